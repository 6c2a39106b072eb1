/* sb-session-private.h — what the session subclasses and SbPeer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"
#include "sb-socket-error.h"

G_BEGIN_DECLS

/* Reads and writes go in chunks of this size. */
#define SB_READ_CHUNK (64 * 1024)
/* A file send reads ahead at most this much into a peer's queue. */
#define SB_FILE_SEND_WINDOW (1024 * 1024)

/* A socket file that a session bound, removed again when it stops, but
 * only while it is still the one it made. */
typedef struct
{
  char    *path;
  guint64  dev;
  guint64  ino;
} SbUnixFile;

void          _sb_unix_file_claim           (SbUnixFile     *file,
                                             const char     *path);
void          _sb_unix_file_release         (SbUnixFile     *file);

/* Session side, for subclasses and peers. */
GCancellable *_sb_session_get_cancellable   (SbSession      *self);
void          _sb_session_set_state         (SbSession      *self,
                                             SbSessionState  state);
/* Records @error as an event, keeps it as "error" and moves to FAILED.
 * Takes ownership of @error. */
void          _sb_session_fail              (SbSession      *self,
                                             GError         *error);
void          _sb_session_set_local_address (SbSession      *self,
                                             GSocketAddress *address);
void          _sb_session_event             (SbSession      *self,
                                             SbPeer         *peer,
                                             SbEventKind     event,
                                             const char     *format,
                                             ...) G_GNUC_PRINTF (4, 5);
/* Records bytes that crossed the socket and counts them. */
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
void          _sb_session_add_peer          (SbSession      *self,
                                             SbPeer         *peer);
/* Emits peer-disconnected and removes @peer from the list. */
void          _sb_session_remove_peer       (SbSession      *self,
                                             SbPeer         *peer);
/* Called by a stream peer when it has closed for good. */
void          _sb_session_peer_closed       (SbSession      *self,
                                             SbPeer         *peer);

/* Peer side. */
/* @socket_id numbers the connection in the trace (0: the session's own). */
SbPeer       *_sb_peer_new_stream           (SbSession          *session,
                                             GSocketConnection  *connection,
                                             guint               socket_id);
SbPeer       *_sb_peer_new_datagram         (SbSession          *session,
                                             GSocketAddress     *address);
void          _sb_peer_start                (SbPeer             *self);
gboolean      _sb_peer_send                 (SbPeer             *self,
                                             GBytes             *bytes,
                                             GError            **error);
gboolean      _sb_peer_shutdown_write       (SbPeer             *self,
                                             GError            **error);
/* Closes the connection now (pending writes are dropped and reported),
 * recording @event unless it is SB_EVENT_NONE. */
void          _sb_peer_close_when_sent      (SbPeer             *self);
void          _sb_peer_close                (SbPeer             *self,
                                             SbEventKind         event);
GSocket      *_sb_peer_get_socket           (SbPeer             *self);
void          _sb_peer_count                (SbPeer             *self,
                                             SbDirection         direction,
                                             gsize               len);
/* Calls @func once, on the main loop, when the peer's queue falls below
 * SB_FILE_SEND_WINDOW or the peer closes. One waiter at a time. */
void          _sb_peer_wait_writable        (SbPeer             *self,
                                             GSourceFunc         func,
                                             gpointer            data);
/* Forgets the waiter registered with @data, if it is still there. */
void          _sb_peer_unwait               (SbPeer             *self,
                                             gpointer            data);
guint         _sb_peer_get_socket_id        (SbPeer             *self);
void          _sb_peer_set_label_id         (SbPeer             *self,
                                             guint               id);

G_END_DECLS
