/* sb-tcp-info.h — the kernel's view of a TCP socket (Linux TCP_INFO)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TCP states as the kernel numbers them (netinet/tcp.h). */
typedef enum
{
  SB_TCP_ESTABLISHED = 1,
  SB_TCP_SYN_SENT,
  SB_TCP_SYN_RECV,
  SB_TCP_FIN_WAIT1,
  SB_TCP_FIN_WAIT2,
  SB_TCP_TIME_WAIT,
  SB_TCP_CLOSE,
  SB_TCP_CLOSE_WAIT,
  SB_TCP_LAST_ACK,
  SB_TCP_LISTEN,
  SB_TCP_CLOSING,
} SbTcpState;

typedef struct
{
  SbTcpState state;
  guint32    rtt_us;          /* smoothed round-trip time */
  guint32    rttvar_us;
  guint32    snd_cwnd;        /* congestion window, in segments */
  guint32    snd_mss;
  guint32    retransmits;     /* unrecovered retransmits now */
  guint32    total_retrans;   /* retransmits since the connection began */
  guint32    unacked;         /* segments sent and not yet acknowledged */
  guint32    send_queue;      /* bytes in the send queue (SIOCOUTQ) */
  guint32    recv_queue;      /* bytes waiting to be read (SIOCINQ) */
} SbTcpInfo;

/* Fills @info for @socket. Fails with G_IO_ERROR_NOT_SUPPORTED where the
 * system has no TCP_INFO, or for a socket that is not TCP. */
gboolean    sb_tcp_info_query   (GSocket     *socket,
                                 SbTcpInfo   *info,
                                 GError     **error);
/* "ESTABLISHED", "CLOSE_WAIT", … (static, untranslated: the kernel's names). */
const char *sb_tcp_state_name   (SbTcpState   state);
/* One translated line on what the state means for the user. */
const char *sb_tcp_state_explain (SbTcpState  state);

G_END_DECLS
