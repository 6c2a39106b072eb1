/* sb-engine.c — the thread the network runs on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-engine"

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sb-engine.h"

struct _SbEngine
{
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
};

/* pthread's own primitives, not GMutex: ThreadSanitizer sees them. */
typedef struct
{
  GFunc           func;
  gpointer        data;
  pthread_mutex_t mutex;
  pthread_cond_t  cond;
  gboolean        done;
} Call;

static GMutex default_lock;
static SbEngine *default_engine;
static __thread gboolean in_engine;

static gpointer
engine_thread (gpointer user_data)
{
  SbEngine *engine = user_data;

  in_engine = TRUE;
  g_main_context_push_thread_default (engine->context);
  g_main_loop_run (engine->loop);
  /* What was queued before the quit still runs: sessions stopped by their
   * owners may have left callbacks for the last of their sources. */
  while (g_main_context_iteration (engine->context, FALSE))
    ;
  g_main_context_pop_thread_default (engine->context);

  return NULL;
}

SbEngine *
sb_engine_get_default (void)
{
  SbEngine *engine;

  g_mutex_lock (&default_lock);
  if (default_engine == NULL)
    {
      engine = g_new0 (SbEngine, 1);
      engine->context = g_main_context_new ();
      engine->loop = g_main_loop_new (engine->context, FALSE);
      engine->thread = g_thread_new ("sb-engine", engine_thread, engine);
      default_engine = engine;
    }
  engine = default_engine;
  g_mutex_unlock (&default_lock);

  return engine;
}

static void
invoke (SbEngine       *engine,
        GSourceFunc     func,
        gpointer        data,
        GDestroyNotify  notify)
{
  GSource *source;

  g_return_if_fail (engine != NULL);
  g_return_if_fail (func != NULL);

  /* Not g_main_context_invoke(): that runs at once on the engine's thread,
   * and callers rely on "soon", after they return. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[sockbench] engine call");
  g_source_attach (source, engine->context);
  g_source_unref (source);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
sb_engine_shutdown (void)
{
  SbEngine *engine;

  g_mutex_lock (&default_lock);
  engine = g_steal_pointer (&default_engine);
  g_mutex_unlock (&default_lock);

  if (engine == NULL)
    return;

  g_return_if_fail (!sb_engine_is_current (engine));

  invoke (engine, quit_cb, engine->loop, NULL);
  g_thread_join (engine->thread);
  g_main_loop_unref (engine->loop);
  g_main_context_unref (engine->context);
  g_free (engine);
}

gboolean
sb_engine_is_current (SbEngine *engine)
{
  return engine == NULL || g_main_context_is_owner (engine->context);
}


static gboolean
call_cb (gpointer user_data)
{
  Call *call = user_data;

  /* Taken first: what the caller wrote before it waited is seen here. */
  pthread_mutex_lock (&call->mutex);
  call->func (call->data, NULL);
  call->done = TRUE;
  pthread_cond_signal (&call->cond);
  pthread_mutex_unlock (&call->mutex);

  return G_SOURCE_REMOVE;
}

void
sb_engine_call (SbEngine *engine,
                GFunc     func,
                gpointer  data)
{
  Call call = { func, data };

  g_return_if_fail (func != NULL);

  if (sb_engine_is_current (engine))
    {
      func (data, NULL);
      return;
    }

  pthread_mutex_init (&call.mutex, NULL);
  pthread_cond_init (&call.cond, NULL);
  pthread_mutex_lock (&call.mutex);

  /* Above every socket source: a user's click is not queued behind a flood. */
  {
    GSource *source = g_idle_source_new ();

    g_source_set_priority (source, G_PRIORITY_HIGH);
    g_source_set_callback (source, call_cb, &call, NULL);
    g_source_set_static_name (source, "[sockbench] engine call (sync)");
    g_source_attach (source, engine->context);
    g_source_unref (source);
  }

  while (!call.done)
    pthread_cond_wait (&call.cond, &call.mutex);
  pthread_mutex_unlock (&call.mutex);

  pthread_mutex_destroy (&call.mutex);
  pthread_cond_destroy (&call.cond);
}

GSource *
sb_timeout_source_add (guint       interval_ms,
                       GSourceFunc func,
                       gpointer    data)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[sockbench] timeout");
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

void
sb_clear_source (GSource **source)
{
  GSource *s = g_steal_pointer (source);

  if (s != NULL)
    {
      g_source_destroy (s);
      g_source_unref (s);
    }
}

gboolean
sb_engine_in_thread (void)
{
  return in_engine;
}

/* How many steps of nice a front end that draws runs below the engine:
 * under full contention the engine then gets about three times its share
 * of a core. */
#define FRONT_NICE_STEPS 4

void
sb_engine_yield_to_network (void)
{
  id_t self = (id_t) gettid ();
  int nice;

  /* Started first, the engine keeps the priority it has now. */
  sb_engine_get_default ();

  /* On Linux the nice value is each thread's own, and raising it needs no
   * privilege; threads started from here on inherit it. */
  errno = 0;
  nice = getpriority (PRIO_PROCESS, self);
  if (nice == -1 && errno != 0)
    return;
  if (setpriority (PRIO_PROCESS, self, MIN (nice + FRONT_NICE_STEPS, 19)) != 0)
    g_debug ("Could not lower the front end's priority: %s", g_strerror (errno));
}

/* Owner notifications */

/* At most this often: a counter stepped by every datagram of a flood must
 * not wake the owner's thread for each. The first after a quiet spell is
 * dispatched at once. */
#define NOTIFY_INTERVAL_US (50 * 1000)

typedef struct
{
  pthread_mutex_t lock;
  GMainContext   *owner;
  GPtrArray      *pending;   /* GParamSpec, lock */
  gboolean        scheduled; /* lock */
  gint64          last;      /* when the last batch was dispatched, lock */
} Notifier;

static GQuark
notifier_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("sb-owner-notifier");
  return quark;
}

static void
notifier_free (gpointer data)
{
  Notifier *n = data;

  pthread_mutex_destroy (&n->lock);
  g_main_context_unref (n->owner);
  g_ptr_array_unref (n->pending);
  g_free (n);
}

void
sb_owner_notify_init (GObject *object)
{
  Notifier *n = g_new0 (Notifier, 1);

  pthread_mutex_init (&n->lock, NULL);
  n->owner = g_main_context_ref_thread_default ();
  n->pending = g_ptr_array_new ();
  g_object_set_qdata_full (object, notifier_quark (), n, notifier_free);
}

static gboolean
notifier_dispatch (gpointer data)
{
  GObject *object = data;
  Notifier *n = g_object_get_qdata (object, notifier_quark ());
  g_autoptr(GPtrArray) pending = NULL;

  pthread_mutex_lock (&n->lock);
  pending = g_steal_pointer (&n->pending);
  n->pending = g_ptr_array_new ();
  n->scheduled = FALSE;
  n->last = g_get_monotonic_time ();
  pthread_mutex_unlock (&n->lock);

  g_object_freeze_notify (object);
  for (guint i = 0; i < pending->len; i++)
    g_object_notify_by_pspec (object, pending->pdata[i]);
  g_object_thaw_notify (object);

  return G_SOURCE_REMOVE;
}

static void
attach_source (GSource        *source,
               GMainContext   *context,
               gint            priority,
               GSourceFunc     func,
               gpointer        data,
               GDestroyNotify  notify)
{
  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[sockbench] to the owner");
  g_source_attach (source, context);
  g_source_unref (source);
}

static void
add_pending (Notifier   *n,
             GParamSpec *pspec)
{
  if (!g_ptr_array_find (n->pending, pspec, NULL))
    g_ptr_array_add (n->pending, pspec);
}

/* Whether anything is connected to @pspec's notify:: or to plain notify. */
static gboolean
is_watched (GObject    *object,
            GParamSpec *pspec)
{
  static guint notify_id;

  if (G_UNLIKELY (notify_id == 0))
    notify_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
  return g_signal_has_handler_pending (object, notify_id, g_param_spec_get_name_quark (pspec), FALSE) ||
         g_signal_handler_find (object, G_SIGNAL_MATCH_ID | G_SIGNAL_MATCH_DETAIL, notify_id, 0,
                                NULL, NULL, NULL) != 0;
}

void
sb_owner_notify (GObject    *object,
                 GParamSpec *pspec)
{
  Notifier *n = g_object_get_qdata (object, notifier_quark ());
  gint64 wait;

  if (!in_engine || n == NULL)
    {
      g_object_notify_by_pspec (object, pspec);
      return;
    }

  /* A batch is on its way: join it; only the notifier's lock. */
  pthread_mutex_lock (&n->lock);
  if (n->scheduled)
    {
      add_pending (n, pspec);
      pthread_mutex_unlock (&n->lock);
      return;
    }
  pthread_mutex_unlock (&n->lock);

  /* Nobody watches it (neither notify::NAME nor plain notify): nothing to
   * send. One who connects later reads the value as it is then. */
  if (!is_watched (object, pspec))
    return;

  pthread_mutex_lock (&n->lock);
  add_pending (n, pspec);
  if (!n->scheduled)
    {
      n->scheduled = TRUE;
      wait = n->last + NOTIFY_INTERVAL_US - g_get_monotonic_time ();
      attach_source (wait > 0 ? g_timeout_source_new ((guint) (wait / 1000) + 1) : g_idle_source_new (),
                     n->owner, G_PRIORITY_HIGH_IDLE + 10, notifier_dispatch,
                     g_object_ref (object), g_object_unref);
    }
  pthread_mutex_unlock (&n->lock);
}

typedef struct
{
  GObject        *object;
  GSourceFunc     func;
  gpointer        data;
  GDestroyNotify  notify;
} OwnerCall;

static gboolean
owner_call_cb (gpointer data)
{
  OwnerCall *call = data;

  call->func (call->data);
  return G_SOURCE_REMOVE;
}

static void
owner_call_free (gpointer data)
{
  OwnerCall *call = data;

  if (call->notify != NULL)
    call->notify (call->data);
  g_object_unref (call->object);
  g_free (call);
}

void
sb_owner_invoke (GObject        *object,
                 GSourceFunc     func,
                 gpointer        data,
                 GDestroyNotify  notify)
{
  Notifier *n = g_object_get_qdata (object, notifier_quark ());
  OwnerCall *call;

  if (!in_engine || n == NULL)
    {
      func (data);
      if (notify != NULL)
        notify (data);
      return;
    }

  call = g_new (OwnerCall, 1);
  call->object = g_object_ref (object);
  call->func = func;
  call->data = data;
  call->notify = notify;
  attach_source (g_idle_source_new (), n->owner, G_PRIORITY_DEFAULT, owner_call_cb, call, owner_call_free);
}
