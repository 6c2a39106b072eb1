/* sb-datagram.h — a UDP or UNIX datagram session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

#define SB_TYPE_DATAGRAM (sb_datagram_get_type ())
G_DECLARE_FINAL_TYPE (SbDatagram, sb_datagram, SB, DATAGRAM, SbSession)

SbPeer         *sb_datagram_get_last_sender     (SbDatagram  *self);
/* "max-peers" (default 10000): beyond it, each new sender makes the one
 * silent longest be forgotten, counted in SbCounters.peers_dropped.
 * "peer-timeout" (ms, default 600000, 0: never): a peer silent that long
 * is forgotten. Forgotten peers leave the session's "peers" list. */
guint           sb_datagram_get_max_peers       (SbDatagram  *self);
void            sb_datagram_set_max_peers       (SbDatagram  *self,
                                                 guint        max_peers);
guint           sb_datagram_get_peer_timeout    (SbDatagram  *self);
void            sb_datagram_set_peer_timeout    (SbDatagram  *self,
                                                 guint        timeout_ms);
/* SO_BROADCAST; kept across restarts. */
gboolean        sb_datagram_set_broadcast       (SbDatagram  *self,
                                                 gboolean     broadcast,
                                                 GError     **error);
/* Joins (or leaves) @group, and sends multicast through @iface when given. */
gboolean        sb_datagram_set_multicast       (SbDatagram  *self,
                                                 const char  *group,
                                                 const char  *iface,
                                                 gboolean     join,
                                                 GError     **error);
/* IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS; 0 keeps datagrams on this host. */
gboolean        sb_datagram_set_multicast_ttl   (SbDatagram  *self,
                                                 guint        ttl,
                                                 GError     **error);

G_END_DECLS
