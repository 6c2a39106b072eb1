/* sb-session-private.h — what the session base class shares with its
 * subclasses and its own parts (sb-session-*.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-peer-private.h"
#include "sb-session.h"
#include "sb-socket-error.h"
#include "sb-unix-file.h"

G_BEGIN_DECLS

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
/* The "unsupported" error of operations a kind does not have. */
gboolean      _sb_session_unsupported       (GError        **error);

G_END_DECLS
