/* sb-peer.h — a remote endpoint: a stream connection or a datagram sender
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-tcp-info.h"

G_BEGIN_DECLS

#define SB_TYPE_PEER (sb_peer_get_type ())
G_DECLARE_FINAL_TYPE (SbPeer, sb_peer, SB, PEER, GObject)

/*
 * Properties (all notify): "label", "connected", "read-closed" (the peer sent
 * EOF), "write-closed" (we shut down our side). Byte and message counters
 * change with every message and do not notify: poll them (at most 10 Hz).
 */
const char     *sb_peer_get_label        (SbPeer *self);
GSocketAddress *sb_peer_get_address      (SbPeer *self);
/* The peer id in the session's history. */
guint           sb_peer_get_id           (SbPeer *self);
/* Wall-clock time (µs) of the connection or of the first datagram. */
gint64          sb_peer_get_since        (SbPeer *self);
gboolean        sb_peer_is_stream        (SbPeer *self);
gboolean        sb_peer_is_connected     (SbPeer *self);
gboolean        sb_peer_get_read_closed  (SbPeer *self);
gboolean        sb_peer_get_write_closed (SbPeer *self);
guint64         sb_peer_get_rx_bytes     (SbPeer *self);
guint64         sb_peer_get_tx_bytes     (SbPeer *self);
guint64         sb_peer_get_rx_messages  (SbPeer *self);
guint64         sb_peer_get_tx_messages  (SbPeer *self);
/* Bytes accepted by sb_session_send() but not yet written to the socket. */
gsize           sb_peer_get_pending      (SbPeer *self);
/* TCP connections: the kernel's view (state, RTT, window, queues). */
gboolean        sb_peer_get_tcp_info     (SbPeer     *self,
                                          SbTcpInfo  *info,
                                          GError    **error);

G_END_DECLS
