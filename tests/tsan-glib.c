/* tsan-glib.c — what ThreadSanitizer cannot see of GLib's synchronisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tools/test --tsan builds this (without -fsanitize) into build-tsan/ and
 * preloads it into every test process (LD_PRELOAD). It is not part of the
 * product.
 *
 * The distribution's GLib is not built with ThreadSanitizer, and on Linux its
 * GMutex and GCond sit on futexes, not on pthread mutexes (which tsan
 * intercepts): tsan sees no happens-before edge across g_mutex_lock and
 * g_mutex_unlock, nor across the other hand-offs GLib builds on them. Our
 * code is instrumented; so data that our code writes on one thread and reads
 * on another, correctly handed over through GLib, is reported as a race.
 * Every GTask run in a thread does it (the task's data goes through
 * GThreadPool's queue), and every GMutex of our own would.
 *
 * Each function below stands in front of GLib's (the executable and this
 * preloaded library come before libglib in symbol lookup, so calls from our
 * code and from GIO, GObject and GTK come here; GLib's calls to itself do
 * not), calls the real one and tells tsan the edge the real one makes:
 * __tsan_release before giving something up, __tsan_acquire after taking it,
 * keyed on the mutex, the once location, the object, or the item handed
 * over, so that no edge is wider than the real one (a wider edge would hide
 * real races). Without the tsan runtime in the process (Xvfb, python, …)
 * the functions only forward.
 *
 *   g_mutex_lock/trylock/unlock   the mutex's own edge
 *   g_cond_wait/wait_until        the mutex released while waiting
 *   g_once_init_enter/leave       the value published once (GType ids)
 *   g_object_ref/unref            the reference count is a seq-cst atomic
 *                                 read-modify-write: each one synchronises
 *                                 with the ones before it (so a finalizer
 *                                 run by the last unref sees the writes of
 *                                 every thread that held a reference)
 *   g_thread_pool_new/new_full/push   an item pushed, then run by a worker
 *   g_async_queue_push/pop (and variants)   an item pushed, then popped
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The tsan runtime's annotations; absent (NULL) in processes without it. */
void __tsan_acquire (void *addr) __attribute__ ((weak));
void __tsan_release (void *addr) __attribute__ ((weak));

typedef int gboolean;
typedef void *gpointer;
typedef int64_t gint64;
typedef void (*GFunc) (gpointer data, gpointer user_data);
typedef void (*GDestroyNotify) (gpointer data);

static void
acquire (const volatile void *addr)
{
  if (__tsan_acquire != NULL && addr != NULL)
    __tsan_acquire ((void *) addr);
}

static void
release (const volatile void *addr)
{
  if (__tsan_release != NULL && addr != NULL)
    __tsan_release ((void *) addr);
}

static void *
next (const char *name)
{
  void *fn = dlsym (RTLD_NEXT, name);

  if (fn == NULL)
    {
      fprintf (stderr, "tsan-glib: no %s after this library\n", name);
      abort ();
    }
  return fn;
}

/* The real function, looked up once (a benign race: every thread finds the
 * same pointer; this file is not instrumented). */
#define REAL(name, type) \
  static __typeof__ (type) real_##name; \
  if (real_##name == NULL) \
    real_##name = (__typeof__ (type)) next (#name)

/* GMutex, GCond */

void
g_mutex_lock (void *mutex)
{
  REAL (g_mutex_lock, void (*) (void *));
  real_g_mutex_lock (mutex);
  acquire (mutex);
}

gboolean
g_mutex_trylock (void *mutex)
{
  REAL (g_mutex_trylock, gboolean (*) (void *));
  gboolean locked = real_g_mutex_trylock (mutex);

  if (locked)
    acquire (mutex);
  return locked;
}

void
g_mutex_unlock (void *mutex)
{
  REAL (g_mutex_unlock, void (*) (void *));
  release (mutex);
  real_g_mutex_unlock (mutex);
}

void
g_cond_wait (void *cond,
             void *mutex)
{
  REAL (g_cond_wait, void (*) (void *, void *));
  release (mutex);
  real_g_cond_wait (cond, mutex);
  acquire (mutex);
}

gboolean
g_cond_wait_until (void   *cond,
                   void   *mutex,
                   gint64  end_time)
{
  REAL (g_cond_wait_until, gboolean (*) (void *, void *, gint64));
  gboolean signalled;

  release (mutex);
  signalled = real_g_cond_wait_until (cond, mutex, end_time);
  acquire (mutex);
  return signalled;
}

/* g_once_init_enter/leave (the headers' macros read the location with an
 * atomic load in our code, which tsan sees; the store is in GLib) */

gboolean
g_once_init_enter (volatile void *location)
{
  REAL (g_once_init_enter, gboolean (*) (volatile void *));
  gboolean enter = real_g_once_init_enter (location);

  if (!enter)
    acquire (location);
  return enter;
}

void
g_once_init_leave (volatile void *location,
                   size_t         result)
{
  REAL (g_once_init_leave, void (*) (volatile void *, size_t));
  release (location);
  real_g_once_init_leave (location, result);
}

/* GObject references */

gpointer
g_object_ref (gpointer object)
{
  REAL (g_object_ref, gpointer (*) (gpointer));
  release (object);
  acquire (object);
  return real_g_object_ref (object);
}

void
g_object_unref (gpointer object)
{
  REAL (g_object_unref, void (*) (gpointer));
  release (object);
  acquire (object);
  real_g_object_unref (object);
}

/* GThreadPool: the item is released when pushed, acquired by the worker
 * before the pool's function runs (a trampoline in front of it). */

typedef struct
{
  GFunc    func;
  gpointer user_data;
} PoolFunc;

static void
pool_trampoline (gpointer data,
                 gpointer user_data)
{
  PoolFunc *pf = user_data;

  acquire (data);
  pf->func (data, pf->user_data);
}

static PoolFunc *
pool_func_new (GFunc    func,
               gpointer user_data)
{
  /* Kept for the life of the process, as pools usually are. */
  PoolFunc *pf = malloc (sizeof *pf);

  if (pf == NULL)
    abort ();
  pf->func = func;
  pf->user_data = user_data;
  return pf;
}

gpointer
g_thread_pool_new (GFunc     func,
                   gpointer  user_data,
                   int       max_threads,
                   gboolean  exclusive,
                   gpointer  error)
{
  REAL (g_thread_pool_new, gpointer (*) (GFunc, gpointer, int, gboolean, gpointer));
  return real_g_thread_pool_new (pool_trampoline, pool_func_new (func, user_data),
                                 max_threads, exclusive, error);
}

gpointer
g_thread_pool_new_full (GFunc          func,
                        gpointer       user_data,
                        GDestroyNotify item_free_func,
                        int            max_threads,
                        gboolean       exclusive,
                        gpointer       error)
{
  REAL (g_thread_pool_new_full, gpointer (*) (GFunc, gpointer, GDestroyNotify, int, gboolean, gpointer));
  return real_g_thread_pool_new_full (pool_trampoline, pool_func_new (func, user_data),
                                      item_free_func, max_threads, exclusive, error);
}

gboolean
g_thread_pool_push (gpointer pool,
                    gpointer data,
                    gpointer error)
{
  REAL (g_thread_pool_push, gboolean (*) (gpointer, gpointer, gpointer));
  release (data);
  return real_g_thread_pool_push (pool, data, error);
}

/* GAsyncQueue */

#define QUEUE_PUSH(name) \
  void name (gpointer queue, gpointer data) \
  { \
    REAL (name, void (*) (gpointer, gpointer)); \
    release (data); \
    real_##name (queue, data); \
  }

QUEUE_PUSH (g_async_queue_push)
QUEUE_PUSH (g_async_queue_push_unlocked)
QUEUE_PUSH (g_async_queue_push_front)
QUEUE_PUSH (g_async_queue_push_front_unlocked)

#define QUEUE_POP(name) \
  gpointer name (gpointer queue) \
  { \
    REAL (name, gpointer (*) (gpointer)); \
    gpointer data = real_##name (queue); \
    acquire (data); \
    return data; \
  }

QUEUE_POP (g_async_queue_pop)
QUEUE_POP (g_async_queue_pop_unlocked)
QUEUE_POP (g_async_queue_try_pop)
QUEUE_POP (g_async_queue_try_pop_unlocked)

gpointer
g_async_queue_timeout_pop (gpointer queue,
                           uint64_t timeout)
{
  REAL (g_async_queue_timeout_pop, gpointer (*) (gpointer, uint64_t));
  gpointer data = real_g_async_queue_timeout_pop (queue, timeout);

  acquire (data);
  return data;
}
