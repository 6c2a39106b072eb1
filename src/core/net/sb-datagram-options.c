/* sb-datagram-options.c — broadcast and multicast on a datagram socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-datagram"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>

#include "sb-datagram-private.h"

static gboolean
check_socket (SbDatagram  *self,
              GError     **error)
{
  if (self->socket != NULL)
    return TRUE;

  g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                       _("The session is not running: start it first"));
  return FALSE;
}

gboolean
sb_datagram_set_broadcast (SbDatagram  *self,
                           gboolean     broadcast,
                           GError     **error)
{
  g_return_val_if_fail (SB_IS_DATAGRAM (self), FALSE);

  self->broadcast = !!broadcast;

  if (self->socket != NULL)
    {
      g_socket_set_broadcast (self->socket, broadcast);
      _sb_session_trace (SB_SESSION (self), SB_CALL_SETSOCKOPT, 0, NULL,
                         SB_SOCKOPT_SO_BROADCAST, !!broadcast, NULL, NULL);
    }

  _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_INFO,
                     broadcast ? _("Broadcast turned on (SO_BROADCAST)")
                               : _("Broadcast turned off"));
  return TRUE;
}

static gboolean
set_multicast_interface (SbDatagram   *self,
                         GInetAddress *group,
                         const char   *iface,
                         GError      **error)
{
  int fd = g_socket_get_fd (self->socket);
  unsigned int index = if_nametoindex (iface);
  int result;

  if (index == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no network interface named “%s”"), iface);
      return FALSE;
    }

  if (g_inet_address_get_family (group) == G_SOCKET_FAMILY_IPV4)
    {
      struct ip_mreqn mreq = { .imr_ifindex = (int) index };

      result = setsockopt (fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof mreq);
    }
  else
    {
      int idx = (int) index;

      result = setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof idx);
    }

  if (result != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Could not send multicast through %s: %s"), iface, g_strerror (errsv));
      return FALSE;
    }

  return TRUE;
}

gboolean
sb_datagram_set_multicast (SbDatagram  *self,
                           const char  *group,
                           const char  *iface,
                           gboolean     join,
                           GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *mreq = NULL;
  gboolean v6;

  g_return_val_if_fail (SB_IS_DATAGRAM (self), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  if (!check_socket (self, error))
    return FALSE;

  address = g_inet_address_new_from_string (group);
  if (address == NULL || !g_inet_address_get_is_multicast (address))
    {
      g_set_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                   _("“%s” is not a multicast group address (224.0.0.0–239.255.255.255 or ff00::/8)"),
                   group);
      return FALSE;
    }

  if (g_socket_get_family (self->socket) != (GSocketFamily) g_inet_address_get_family (address))
    {
      g_set_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                   _("The group %s is not of this socket’s family (IPv4 or IPv6)"), group);
      return FALSE;
    }

  v6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
  /* Translators: the argument of a multicast join in the socket calls view */
  mreq = g_strdup_printf (_("mreq(%s on %s)"), group, iface ? iface : "*");

  if (join)
    {
      gboolean ok = g_socket_join_multicast_group (self->socket, address, FALSE, iface, &local_error);

      _sb_session_trace (SB_SESSION (self), SB_CALL_SETSOCKOPT, 0, NULL,
                         v6 ? SB_SOCKOPT_IPV6_JOIN_GROUP : SB_SOCKOPT_IP_ADD_MEMBERSHIP,
                         0, mreq, local_error);
      if (!ok)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Could not join the multicast group %s: %s"), group, local_error->message);
          return FALSE;
        }

      if (iface != NULL)
        {
          g_autoptr(GError) if_error = NULL;
          gboolean if_ok = set_multicast_interface (self, address, iface, &if_error);

          _sb_session_trace (SB_SESSION (self), SB_CALL_SETSOCKOPT, 0, NULL,
                             v6 ? SB_SOCKOPT_IPV6_MULTICAST_IF : SB_SOCKOPT_IP_MULTICAST_IF,
                             if_nametoindex (iface), NULL, if_error);
          if (!if_ok)
            {
              g_propagate_error (error, g_steal_pointer (&if_error));
              return FALSE;
            }
        }

      g_socket_set_multicast_loopback (self->socket, TRUE);
      _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_INFO,
                         _("Joined the multicast group %s on %s"), group,
                         iface ? iface : _("the default interface"));
    }
  else
    {
      gboolean ok = g_socket_leave_multicast_group (self->socket, address, FALSE, iface, &local_error);

      _sb_session_trace (SB_SESSION (self), SB_CALL_SETSOCKOPT, 0, NULL,
                         v6 ? SB_SOCKOPT_IPV6_LEAVE_GROUP : SB_SOCKOPT_IP_DROP_MEMBERSHIP,
                         0, mreq, local_error);
      if (!ok)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Could not leave the multicast group %s: %s"), group, local_error->message);
          return FALSE;
        }

      _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_INFO,
                         _("Left the multicast group %s"), group);
    }

  return TRUE;
}

gboolean
sb_datagram_set_multicast_ttl (SbDatagram  *self,
                               guint        ttl,
                               GError     **error)
{
  g_return_val_if_fail (SB_IS_DATAGRAM (self), FALSE);

  if (!check_socket (self, error))
    return FALSE;

  g_socket_set_multicast_ttl (self->socket, ttl);
  _sb_session_trace (SB_SESSION (self), SB_CALL_SETSOCKOPT, 0, NULL,
                     g_socket_get_family (self->socket) == G_SOCKET_FAMILY_IPV6
                       ? SB_SOCKOPT_IPV6_MULTICAST_HOPS : SB_SOCKOPT_IP_MULTICAST_TTL,
                     ttl, NULL, NULL);
  return TRUE;
}
