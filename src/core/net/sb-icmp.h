/* sb-icmp.h — ICMP echo (ping) session: the SOCK_RAW row of the tutorial
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

#define SB_TYPE_ICMP (sb_icmp_get_type ())
G_DECLARE_FINAL_TYPE (SbIcmp, sb_icmp, SB, ICMP, SbSession)

/*
 * icmp://HOST. Opens the unprivileged ICMP datagram socket, or SOCK_RAW
 * when that is refused, then sends an echo request every "interval" ms
 * (default 1000) with sequence numbers from 1 and the payload
 * "Sockbench ping" + an 8-byte timestamp. "count" (default 0: until stopped)
 * ends the session once that many requests were answered or timed out.
 * sb_session_send() sends one echo request whose payload is the bytes.
 *
 * History: tx is the ICMP message we passed to sendto() (header + payload;
 * over IPv6 the kernel fills in the checksum), rx an echo reply of ours
 * without the IP header. Each reply adds an INFO event ("Reply from …:
 * icmp_seq=1 time=0.081 ms"), a request without a reply within twice the
 * interval adds "No reply to icmp_seq=N".
 */

/* Milliseconds between echo requests (10 to 3600000). */
guint           sb_icmp_get_interval   (SbIcmp        *self);
void            sb_icmp_set_interval   (SbIcmp        *self,
                                        guint          interval_ms);
/* Requests to send before the session ends; 0 sends until stopped. */
guint           sb_icmp_get_count      (SbIcmp        *self);
void            sb_icmp_set_count      (SbIcmp        *self,
                                        guint          count);
/* The resolved target (after start), or NULL. Owned by the session. */
GSocketAddress *sb_icmp_get_target     (SbIcmp        *self);
/* The echo identifier of this session's requests (after start). */
guint16         sb_icmp_get_identifier (SbIcmp        *self);
/* TRUE when the socket is SOCK_RAW, FALSE for the ICMP datagram socket. */
gboolean        sb_icmp_is_raw         (SbIcmp        *self);

/* Describes the ICMP message @data (no IP header) field by field, as
 * translated lines ("Type: 0 (echo reply)", "Code: 0", "Checksum: 0x1c2b",
 * "Identifier: 0x1234", "Sequence: 1", "Payload: 22 bytes"). Any bytes are
 * fine: a short message describes what it has. @family chooses the type
 * names (ICMP or ICMPv6). Returns a GPtrArray of strings, owned by the
 * caller. */
GPtrArray      *sb_icmp_describe       (const guint8  *data,
                                        gsize          len,
                                        GSocketFamily  family);

G_END_DECLS
