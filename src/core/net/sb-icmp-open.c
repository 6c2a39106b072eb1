/* sb-icmp-open.c — opening the ICMP socket: the ping datagram socket, else SOCK_RAW
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-icmp"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sb-icmp-private.h"

/* Opening */

static GError *
errno_error (int         errsv,
             const char *why)
{
  /* The errno's own text ends the message, so the trace can name it. */
  return g_error_new (G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s", why, g_strerror (errsv));
}

static gboolean
is_permission (int errsv)
{
  return errsv == EACCES || errsv == EPERM;
}

int
_sb_icmp_open_fd (SbIcmp *self)
{
  SbSession *session = SB_SESSION (self);
  gboolean v6 = _sb_icmp_is_ipv6 (self);
  GSocketFamily family = v6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4;
  int domain = v6 ? AF_INET6 : AF_INET;
  int protocol = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
  const char *protocol_name = v6 ? "IPPROTO_ICMPV6" : "IPPROTO_ICMP";
  g_autoptr(GError) dgram_error = NULL;
  g_autoptr(GError) raw_error = NULL;
  int errsv;
  int fd;

  fd = socket (domain, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  if (fd >= 0)
    {
      _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, G_SOCKET_TYPE_DATAGRAM,
                         protocol_name, NULL);
      self->raw = FALSE;
      return fd;
    }

  errsv = errno;
  dgram_error = errno_error (errsv, is_permission (errsv)
                                    ? _("Your group is not in net.ipv4.ping_group_range")
                                    : _("Could not open an ICMP datagram socket"));
  _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, G_SOCKET_TYPE_DATAGRAM,
                     protocol_name, dgram_error);
  if (!is_permission (errsv))
    {
      _sb_session_fail (session, g_steal_pointer (&dgram_error));
      return -1;
    }

  fd = socket (domain, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  if (fd >= 0)
    {
      _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, SB_TRACE_SOCK_RAW,
                         protocol_name, NULL);
      self->raw = TRUE;
      return fd;
    }

  errsv = errno;
  raw_error = errno_error (errsv, is_permission (errsv)
                                  ? _("Raw sockets need CAP_NET_RAW")
                                  : _("Could not open a raw ICMP socket"));
  _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, SB_TRACE_SOCK_RAW,
                     protocol_name, raw_error);

  if (is_permission (errsv))
    _sb_session_fail (session,
                      g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                           _("ICMP needs permission: add your group to net.ipv4.ping_group_range (sysctl), or give Sockbench CAP_NET_RAW")));
  else
    _sb_session_fail (session, g_steal_pointer (&raw_error));

  return -1;
}

/* The ping socket's "port" is its echo identifier: bind to 0 and the
 * kernel picks a free one, which our requests then carry. */
gboolean
_sb_icmp_bind_identifier (SbIcmp  *self,
                          GError **error)
{
  SbSession *session = SB_SESSION (self);
  g_autoptr(GInetAddress) any = g_inet_address_new_any (g_socket_address_get_family (self->target));
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (any, 0);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_socket_bind (self->socket, address, FALSE, &local_error))
    {
      GError *human = sb_socket_error_humanize (local_error, SB_SOCKET_OP_BIND, "ICMP");

      _sb_session_trace (session, SB_CALL_BIND, 0, address, 0, 0, NULL, human);
      g_propagate_error (error, human);
      return FALSE;
    }

  local = g_socket_get_local_address (self->socket, &local_error);
  if (local == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  _sb_session_trace (session, SB_CALL_BIND, 0, local, 0, 0, NULL, NULL);
  _sb_session_set_local_address (session, local);
  self->identifier = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return TRUE;
}
