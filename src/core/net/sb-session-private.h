/* sb-session-private.h — what the session base class shares with its
 * subclasses and its own parts (sb-session-*.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pthread.h>

#include "sb-engine.h"
#include "sb-peer-private.h"
#include "sb-session.h"
#include "sb-socket-error.h"
#include "sb-unix-file.h"

G_BEGIN_DECLS

/*
 * Threads
 *
 * A session made with an engine runs there: its sockets, sources, peers and
 * signals ("received", "peer-connected", "peer-disconnected",
 * "state-changed") belong to the engine's thread, and so do the fields
 * marked "engine" below. The thread that made it (the window's, the
 * headless runner's) is its owner: calls from there (start, send, …) run on
 * the engine and wait for it (_sb_session_call); what the owner sees
 * (state, error, local address, the peers model and their GObject
 * notifications) is a copy the owner takes in sb-session-owner.c, at most
 * once per main-loop iteration of the owner and right after each of its
 * calls. The engine writes what the owner copies under @lock; the owner's
 * copies ("owner") are only touched on the owner's thread.
 *
 * Without an engine (tests of the core, scenarios) everything runs on the
 * thread that made the session and notifications are emitted at once.
 *
 * The struct is for the session's own parts (sb-session*.c) only.
 */
typedef enum
{
  SB_PEER_ADDED,
  SB_PEER_REMOVED,
} SbPeerOpKind;

typedef struct
{
  SbPeerOpKind  kind;
  SbPeer     *peer;   /* owned */
} SbPeerOp;

typedef struct
{
  SbSessionSpec  *spec;
  SbHistory      *history;
  SbTrace        *trace;
  SbRecorder     *recorder;
  SbEngine       *engine;          /* NULL: the owner's thread */
  GMainContext   *owner;

  /* engine; written under @lock where the owner copies them */
  SbSessionState  state;
  guint           state_serial;    /* counts changes of @state */
  GError         *error;
  GSocketAddress *local_address;
  GListStore     *peers;
  GCancellable   *cancellable;
  guint           timeout;         /* atomic */
  guint           close_on_eof : 1;

  pthread_mutex_t lock;
  guint           pending;         /* lock: 1 << PROP_… to announce */
  GQueue          peer_ops;        /* lock: SbPeerOp, in order */
  GSource        *announce_source; /* lock */

  /* owner */
  SbSessionState  owner_state;
  GError         *owner_error;
  GSocketAddress *owner_local_address;
  GListStore     *owner_peers;
  SbPeer         *owner_last_sender;
  guint           owner_state_serial; /* the state_serial last notified */
} SbSessionPrivate;

typedef enum
{
  SB_SESSION_CHANGED_STATE         = 1 << 0,
  SB_SESSION_CHANGED_ERROR         = 1 << 1,
  SB_SESSION_CHANGED_LOCAL_ADDRESS = 1 << 2,
} SbSessionChanged;

SbSessionPrivate *_sb_session_get_private   (SbSession      *self);

/* TRUE where the owner reads its copies: on any thread but the engine's. */
static inline gboolean
_sb_session_reads_copy (SbSessionPrivate *priv)
{
  return priv->engine != NULL && !sb_engine_is_current (priv->engine);
}

/* sb-session-owner.c */
void          _sb_session_peer_op_free      (gpointer        data);
/* Engine: @what changed; notifies now without an engine, else tells the owner. */
void          _sb_session_changed           (SbSession      *self,
                                             SbSessionChanged what);
void          _sb_session_tell_owner_peer   (SbSession      *self,
                                             SbPeerOpKind      kind,
                                             SbPeer         *peer);

GCancellable *_sb_session_get_cancellable   (SbSession      *self);
/* Where the session and its peers write history, trace and counters. */
SbRecorder   *_sb_session_get_recorder      (SbSession      *self);
void          _sb_session_set_state         (SbSession      *self,
                                             SbSessionState  state);
/* Records @error as an event, keeps it as "error" and moves to FAILED.
 * Takes ownership of @error. */
void          _sb_session_fail              (SbSession      *self,
                                             GError         *error);
void          _sb_session_set_local_address (SbSession      *self,
                                             GSocketAddress *address);
/* Fails with a clear error unless the session is connected or listening. */
gboolean      _sb_session_check_ready       (SbSession      *self,
                                             GError        **error);
void          _sb_session_event             (SbSession      *self,
                                             SbPeer         *peer,
                                             SbEventKind     event,
                                             const char     *format,
                                             ...) G_GNUC_PRINTF (4, 5);
/* Records bytes that crossed the socket and counts them (datagram peers;
 * stream peers record themselves). */
void          _sb_session_record            (SbSession      *self,
                                             SbPeer         *peer,
                                             SbDirection     direction,
                                             const guint8   *data,
                                             gsize           len);
/* Looks up @host without blocking (state RESOLVING, traced as getaddrinfo)
 * and calls @done with an address for @port, IPv4 preferred. On failure the
 * session fails with a clear error and @done is not called. */
typedef void (*SbResolvedFunc) (SbSession      *self,
                                GSocketAddress *address);

void          _sb_session_resolve           (SbSession      *self,
                                             const char     *host,
                                             guint16         port,
                                             SbResolvedFunc  done);

/* Records a socket call in the trace. */
void          _sb_session_trace             (SbSession      *self,
                                             SbCallKind      kind,
                                             guint           socket_id,
                                             GSocketAddress *address,
                                             gint64          arg1,
                                             gint64          arg2,
                                             const char     *text,
                                             const GError   *error);
/* Emits "received", after the bytes were recorded (and a new sender announced). */
void          _sb_session_emit_received     (SbSession      *self,
                                             SbPeer         *peer,
                                             const guint8   *data,
                                             gsize           len);
/* Takes @peer into the list (the session becomes its owner) and emits
 * peer-connected. */
void          _sb_session_add_peer          (SbSession      *self,
                                             SbPeer         *peer);
/* Emits peer-disconnected and removes @peer from the list. */
void          _sb_session_remove_peer       (SbSession      *self,
                                             SbPeer         *peer);
/* Makes the session run on @engine (before it starts; NULL: here). */
void          _sb_session_set_engine        (SbSession      *self,
                                             SbEngine       *engine);
SbEngine     *_sb_session_get_engine        (SbSession      *self);
/* On the owner's thread of a session on an engine: runs @func (@data) on
 * the engine, waits, takes the owner's copies and returns TRUE. Elsewhere
 * returns FALSE at once: the caller does the work itself. */
gboolean      _sb_session_call              (SbSession      *self,
                                             GFunc           func,
                                             gpointer        data);
/* The same for getters: no announcement from inside them. */
gboolean      _sb_session_peek              (SbSession      *self,
                                             GFunc           func,
                                             gpointer        data);
/* The first thing each subclass's dispose does: on the owner's thread it
 * runs the whole dispose on the engine instead and returns TRUE. */
gboolean      _sb_session_dispose_elsewhere (SbSession      *self);
/* Keeps the last sender the owner asked for alive while it looks at it. */
SbPeer       *_sb_session_keep_last_sender  (SbSession      *self,
                                             SbPeer         *peer);
/* The "unsupported" error of operations a kind does not have. */
gboolean      _sb_session_unsupported       (GError        **error);

G_END_DECLS
