/* sb-tcp-info.c — the kernel's view of a TCP socket (Linux TCP_INFO)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-tcp-info"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#ifdef __linux__
# include <linux/sockios.h>
# include <netinet/in.h>
# include <netinet/tcp.h>
# include <sys/ioctl.h>
# include <sys/socket.h>
#endif

#include "sb-tcp-info.h"

gboolean
sb_tcp_info_query (GSocket    *socket,
                   SbTcpInfo  *info,
                   GError    **error)
{
  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);

#ifdef __linux__
  {
    struct tcp_info ti = { 0 };
    socklen_t len = sizeof ti;
    int fd = g_socket_get_fd (socket);
    int queued = 0;

    /* The default protocol of an internet stream socket is TCP. */
    if (g_socket_get_socket_type (socket) != G_SOCKET_TYPE_STREAM ||
        g_socket_get_family (socket) == G_SOCKET_FAMILY_UNIX ||
        (g_socket_get_protocol (socket) != G_SOCKET_PROTOCOL_TCP &&
         g_socket_get_protocol (socket) != G_SOCKET_PROTOCOL_DEFAULT))
      {
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("This is not a TCP socket"));
        return FALSE;
      }

    if (getsockopt (fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
      {
        int errsv = errno;

        g_set_error (error, G_IO_ERROR,
                     errsv == ENOPROTOOPT ? G_IO_ERROR_NOT_SUPPORTED : g_io_error_from_errno (errsv),
                     _("The system did not say how the connection is doing: %s"), g_strerror (errsv));
        return FALSE;
      }

    info->state = ti.tcpi_state;
    info->rtt_us = ti.tcpi_rtt;
    info->rttvar_us = ti.tcpi_rttvar;
    info->snd_cwnd = ti.tcpi_snd_cwnd;
    info->snd_mss = ti.tcpi_snd_mss;
    info->retransmits = ti.tcpi_retransmits;
    info->total_retrans = ti.tcpi_total_retrans;
    info->unacked = ti.tcpi_unacked;

    /* A listening socket has no queues to ask about. */
    if (info->state != SB_TCP_LISTEN)
      {
        if (ioctl (fd, SIOCOUTQ, &queued) == 0)
          info->send_queue = queued;
        if (ioctl (fd, SIOCINQ, &queued) == 0)
          info->recv_queue = queued;
      }

    return TRUE;
  }
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("This system does not show the state of TCP connections"));
  return FALSE;
#endif
}

const char *
sb_tcp_state_name (SbTcpState state)
{
  switch (state)
    {
    case SB_TCP_ESTABLISHED: return "ESTABLISHED";
    case SB_TCP_SYN_SENT: return "SYN_SENT";
    case SB_TCP_SYN_RECV: return "SYN_RECV";
    case SB_TCP_FIN_WAIT1: return "FIN_WAIT1";
    case SB_TCP_FIN_WAIT2: return "FIN_WAIT2";
    case SB_TCP_TIME_WAIT: return "TIME_WAIT";
    case SB_TCP_CLOSE: return "CLOSE";
    case SB_TCP_CLOSE_WAIT: return "CLOSE_WAIT";
    case SB_TCP_LAST_ACK: return "LAST_ACK";
    case SB_TCP_LISTEN: return "LISTEN";
    case SB_TCP_CLOSING: return "CLOSING";
    default: return "UNKNOWN";
    }
}

const char *
sb_tcp_state_explain (SbTcpState state)
{
  switch (state)
    {
    case SB_TCP_ESTABLISHED: return _("Connected: data can flow both ways.");
    case SB_TCP_SYN_SENT: return _("Connecting: our SYN is sent, waiting for the answer.");
    case SB_TCP_SYN_RECV: return _("A client’s SYN arrived; the handshake is being completed.");
    case SB_TCP_FIN_WAIT1: return _("We closed our side (FIN sent); waiting for it to be acknowledged.");
    case SB_TCP_FIN_WAIT2: return _("We closed our side and it was acknowledged; the peer can still send until it closes too.");
    case SB_TCP_TIME_WAIT: return _("Both sides closed; the kernel waits a little so late packets cannot confuse a new connection.");
    case SB_TCP_CLOSE: return _("Closed: no connection.");
    case SB_TCP_CLOSE_WAIT: return _("The peer closed its side (FIN received); we can still send until we close too.");
    case SB_TCP_LAST_ACK: return _("We closed after the peer did; waiting for the last acknowledgement.");
    case SB_TCP_LISTEN: return _("Listening: waiting for clients to connect.");
    case SB_TCP_CLOSING: return _("Both sides closed at the same time; waiting for the acknowledgement.");
    default: return _("An unknown state.");
    }
}
