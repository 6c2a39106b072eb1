/* sb-session.h — one socket endpoint and its state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-address.h"
#include "sb-history.h"
#include "sb-peer.h"
#include "sb-recorder.h"
#include "sb-session-error.h"
#include "sb-trace.h"

G_BEGIN_DECLS

typedef enum
{
  SB_SESSION_STATE_IDLE,
  SB_SESSION_STATE_RESOLVING,
  SB_SESSION_STATE_CONNECTING,
  SB_SESSION_STATE_LISTENING,   /* servers; bound datagram sockets with no target */
  SB_SESSION_STATE_CONNECTED,   /* stream clients; datagram sockets with a target */
  SB_SESSION_STATE_CLOSING,
  SB_SESSION_STATE_CLOSED,
  SB_SESSION_STATE_FAILED,
} SbSessionState;

typedef void (*SbProgressFunc) (goffset  sent,
                                goffset  total,
                                gpointer user_data);

#define SB_TYPE_SESSION (sb_session_get_type ())
G_DECLARE_DERIVABLE_TYPE (SbSession, sb_session, SB, SESSION, GObject)

struct _SbSessionClass
{
  GObjectClass parent_class;

  void     (*start)          (SbSession      *self);
  void     (*stop)           (SbSession      *self);
  gboolean (*send)           (SbSession      *self,
                              SbPeer         *peer,
                              GSocketAddress *to,
                              GBytes         *bytes,
                              GError        **error);
  gboolean (*shutdown_write) (SbSession      *self,
                              SbPeer         *peer,
                              GError        **error);
  gboolean (*disconnect)     (SbSession      *self,
                              SbPeer         *peer,
                              GError        **error);
  /* A stream peer has closed for good and left the list. */
  void     (*peer_closed)    (SbSession      *self,
                              SbPeer         *peer);
  gboolean (*get_tcp_info)   (SbSession      *self,
                              SbTcpInfo      *info,
                              GError        **error);
  /* Datagram sockets; the defaults fail with SB_SESSION_ERROR_UNSUPPORTED
   * (the last sender: NULL). */
  SbPeer  *(*get_last_sender) (SbSession     *self);
  gboolean (*set_broadcast)  (SbSession      *self,
                              gboolean        broadcast,
                              GError        **error);
  gboolean (*set_multicast)  (SbSession      *self,
                              const char     *group,
                              const char     *iface,
                              gboolean        join,
                              GError        **error);

  gpointer padding[4];
};

/*
 * Properties: "spec" (construct-only), "state" (SbSessionState, an enum
 * property: SB_TYPE_SESSION_STATE in sb-core-enums.h), "error" (GError boxed, the
 * last failure), "local-address" (after bind/listen: the kernel-chosen port
 * shows here), "peers" (GListModel of SbPeer), "history", "timeout" (connect
 * timeout in seconds, 0 = none; default 10), "close-on-eof" (default TRUE:
 * when a stream peer sends EOF, close once our pending writes are done).
 *
 * Signals:
 *   peer-connected (SbPeer *peer)           a stream peer connected / first datagram
 *   peer-disconnected (SbPeer *peer)        a stream peer is gone (before removal)
 *   received (SbPeer *peer, GBytes *bytes)  after the bytes were recorded
 */
const SbSessionSpec *sb_session_get_spec     (SbSession      *self);
SbKind          sb_session_get_kind          (SbSession      *self);
SbSessionState  sb_session_get_state         (SbSession      *self);
/* The last failure, or NULL. Owned by the session. */
const GError   *sb_session_get_error         (SbSession      *self);
SbHistory      *sb_session_get_history       (SbSession      *self);
GListModel     *sb_session_get_peers         (SbSession      *self);
/* The socket calls made so far, in order (a GListModel of SbTraceCall). */
SbTrace        *sb_session_get_trace         (SbSession      *self);
/* The bound/listening address, or NULL before it is known. */
GSocketAddress *sb_session_get_local_address (SbSession      *self);
/* TCP servers: the listening socket (LISTEN); TCP clients: the connection. */
gboolean        sb_session_get_tcp_info      (SbSession      *self,
                                              SbTcpInfo      *info,
                                              GError        **error);
void            sb_session_get_counters      (SbSession      *self,
                                              SbCounters     *counters);
guint           sb_session_get_timeout       (SbSession      *self);
void            sb_session_set_timeout       (SbSession      *self,
                                              guint           seconds);
gboolean        sb_session_get_close_on_eof  (SbSession      *self);
void            sb_session_set_close_on_eof  (SbSession      *self,
                                              gboolean        close_on_eof);

/* Waits until what the session's engine was doing for it is done, and takes
 * the owner's copies: the history and the state then include it. Nothing
 * to do without an engine. */
void            sb_session_sync              (SbSession      *self);

/* Starts connecting / listening / binding. Progress and failure show in
 * "state" and "error"; nothing blocks. Restartable after stop or failure. */
void            sb_session_start             (SbSession      *self);
/* Closes every peer and the socket; state becomes CLOSED. */
void            sb_session_stop              (SbSession      *self);
gboolean        sb_session_is_running        (SbSession      *self);

/* Queues @bytes for @peer, or for every peer (servers) / the only peer
 * (clients) / the default target (datagram) when @peer is NULL. The bytes
 * are recorded in the history when written. */
gboolean        sb_session_send              (SbSession      *self,
                                              SbPeer         *peer,
                                              GBytes         *bytes,
                                              GError        **error);
/* Datagram sockets: sends to any address. */
gboolean        sb_session_send_to           (SbSession      *self,
                                              GSocketAddress *address,
                                              GBytes         *bytes,
                                              GError        **error);
/* Streams: shutdown(SHUT_WR) for @peer, or every peer when NULL. */
gboolean        sb_session_shutdown_write    (SbSession      *self,
                                              SbPeer         *peer,
                                              GError        **error);
/* Closes the connection with @peer (servers), or forgets it (datagram). */
gboolean        sb_session_disconnect_peer   (SbSession      *self,
                                              SbPeer         *peer,
                                              GError        **error);
/* Stream peers: shuts our side down and closes the connection once every
 * byte already queued for @peer has been written (no timer). Datagram
 * peers are forgotten at once, as sb_session_disconnect_peer() does. */
gboolean        sb_session_close_peer_when_sent (SbSession   *self,
                                                 SbPeer      *peer,
                                                 GError     **error);
/* Datagram: the peer that sent the last datagram, or NULL. */
SbPeer         *sb_session_get_last_sender   (SbSession      *self);
/* Datagram: SO_BROADCAST. */
gboolean        sb_session_set_broadcast     (SbSession      *self,
                                              gboolean        broadcast,
                                              GError        **error);
/* Datagram, IPv4 and IPv6: join or leave @group on @iface (NULL: the default). */
gboolean        sb_session_join_multicast    (SbSession      *self,
                                              const char     *group,
                                              const char     *iface,
                                              GError        **error);
gboolean        sb_session_leave_multicast   (SbSession      *self,
                                              const char     *group,
                                              const char     *iface,
                                              GError        **error);

/* Streams: sends the file at @file to @peer (NULL: as for send) in chunks,
 * without loading it whole; @progress is called on the main loop. */
void            sb_session_send_file_async   (SbSession          *self,
                                              SbPeer             *peer,
                                              GFile              *file,
                                              GCancellable       *cancellable,
                                              SbProgressFunc      progress,
                                              gpointer            progress_data,
                                              GDestroyNotify      progress_notify,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean        sb_session_send_file_finish  (SbSession          *self,
                                              GAsyncResult       *result,
                                              GError            **error);

const char     *sb_session_state_to_string   (SbSessionState  state);  /* "idle", … (stable, untranslated) */
/* Returns the translated state for people ("Listening", "Connected", …). */
const char     *sb_session_state_get_label   (SbSessionState  state);

G_END_DECLS
