/* sb-engine.h — the thread the network runs on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * The engine is one thread with its own GMainContext and GMainLoop, pushed
 * as that thread's default context, so that sockets, timers, GIO's async
 * calls (resolvers, file reads) and everything attached "to the
 * thread-default context" of the engine's code run there.
 *
 * Front ends that draw (the window) or print (the headless runner) make
 * their sessions on the engine; a session made without one (tests of the
 * core, scenarios) runs on the thread that made it, exactly the same code.
 */
typedef struct _SbEngine SbEngine;

/* Starts the engine's thread on the first call. */
SbEngine     *sb_engine_get_default  (void);
/* Stops and joins the default engine's thread, if it was started. Every
 * session on it must be stopped first. */
void          sb_engine_shutdown     (void);

/* TRUE on the engine's thread (or when @engine is NULL: no engine). */
gboolean      sb_engine_is_current   (SbEngine       *engine);

/* Runs @func (@data) on the engine's thread and waits until it returned
 * (at once when called on it, or when @engine is NULL). Never called from
 * the engine's thread for another engine, so it cannot deadlock: the
 * engine never waits for a front end. */
void          sb_engine_call         (SbEngine       *engine,
                                      GFunc           func,
                                      gpointer        data);

/* A timeout on the caller's thread-default context (the engine's, in the
 * engine's code). Returns the source, which the caller owns: clear it with
 * sb_clear_source(), from any thread; a callback that returns
 * G_SOURCE_REMOVE drops its reference with g_clear_pointer (&x, g_source_unref). */
GSource      *sb_timeout_source_add  (guint           interval_ms,
                                      GSourceFunc     func,
                                      gpointer        data);
/* Destroys and unrefs *@source, if any, and sets it to NULL. */
void          sb_clear_source        (GSource       **source);

/* TRUE on an engine's thread. */
gboolean      sb_engine_in_thread    (void);

/* Starts the default engine if it is not running, then lowers the calling
 * thread's scheduling priority (nice) a few steps below it, for this thread
 * and the threads it starts from now on (a renderer's): a window that draws
 * yields to the thread that drains the sockets when the cores are busy. */
void          sb_engine_yield_to_network (void);

/*
 * Objects shared by an owner (the window) and the engine's thread (a
 * responder's counters, say) notify their owner through this: on an
 * engine's thread the notification is queued and emitted on the owner's
 * context (the thread-default context when sb_owner_notify_init() was
 * called), each property once per batch, at most 20 batches a second (the
 * first after a quiet spell at once), and not at all while nothing is
 * connected to its notify:: signal or to plain notify; elsewhere it is
 * emitted at once.
 */
void          sb_owner_notify_init   (GObject        *object);
void          sb_owner_notify        (GObject        *object,
                                      GParamSpec     *pspec);
/* Runs @func (@data) on @object's owner context: at once off the engine's
 * thread, else soon, holding a reference to @object meanwhile. */
void          sb_owner_invoke        (GObject        *object,
                                      GSourceFunc     func,
                                      gpointer        data,
                                      GDestroyNotify  notify);

G_END_DECLS
