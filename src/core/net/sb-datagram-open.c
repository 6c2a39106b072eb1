/* sb-datagram-open.c — opening and binding a datagram socket
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-datagram"

#include "config.h"

#include <glib/gi18n.h>
#include <netinet/in.h>

#include "sb-datagram-private.h"

void
_sb_datagram_open_socket (SbDatagram *self)
{
  SbSession *session = SB_SESSION (self);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GSocketAddress) bind_address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *local_label = NULL;
  GSocketFamily family;

  if (spec->kind == SB_KIND_UNIX_DGRAM)
    {
      family = G_SOCKET_FAMILY_UNIX;
      if (spec->bind_path != NULL)
        {
          bind_address = sb_address_new_unix (spec->bind_path, &error);
          if (bind_address == NULL)
            {
              _sb_session_fail (session, g_steal_pointer (&error));
              return;
            }
          where = g_strdup (spec->bind_path);
        }
    }
  else
    {
      g_autoptr(GInetAddress) inet = NULL;

      if (spec->has_bind)
        {
          const char *host = spec->bind_host ? spec->bind_host : "127.0.0.1";

          if (g_ascii_strcasecmp (host, "localhost") == 0)
            host = "127.0.0.1";

          inet = g_inet_address_new_from_string (host);
          if (inet == NULL)
            {
              _sb_session_fail (session,
                                g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                             _("“%s” is not an IP address of this computer: bind to 127.0.0.1, ::1, 0.0.0.0 or ::"),
                                             host));
              return;
            }

          if (self->target != NULL &&
              g_socket_address_get_family (self->target) != (GSocketFamily) g_inet_address_get_family (inet))
            {
              _sb_session_fail (session,
                                g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                             _("The local address %s and the target are of different families (IPv4 and IPv6)"),
                                             host));
              return;
            }
        }
      else
        {
          /* Bind now, as the kernel would on the first send, so the port shows. */
          family = self->target ? g_socket_address_get_family (self->target) : G_SOCKET_FAMILY_IPV4;
          inet = g_inet_address_new_any (family);
        }

      family = g_inet_address_get_family (inet);
      bind_address = g_inet_socket_address_new (inet, spec->has_bind ? spec->bind_port : 0);
      where = sb_address_to_string (bind_address);
    }

  self->socket = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  if (self->socket == NULL)
    {
      GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where ? where : "?");

      _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, G_SOCKET_TYPE_DATAGRAM, NULL, human);
      _sb_session_fail (session, human);
      return;
    }

  _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, G_SOCKET_TYPE_DATAGRAM, NULL, NULL);
  if (family == G_SOCKET_FAMILY_IPV6)
    _sb_session_trace (session, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_IPV6_V6ONLY, 0, NULL, NULL);

  g_socket_set_blocking (self->socket, FALSE);
  /* Room for a burst while the main loop is busy drawing. */
  if (family != G_SOCKET_FAMILY_UNIX)
    {
      g_socket_set_option (self->socket, SOL_SOCKET, SO_RCVBUF, RECEIVE_BUFFER, &error);
      _sb_session_trace (session, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_SO_RCVBUF, RECEIVE_BUFFER, NULL, error);
      g_clear_error (&error);
    }

#ifdef __linux__
  /* Hear of ICMP errors (port unreachable…) without connect(). */
  if (family == G_SOCKET_FAMILY_IPV4)
    g_socket_set_option (self->socket, IPPROTO_IP, IP_RECVERR, 1, NULL);
  else if (family == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (self->socket, IPPROTO_IPV6, IPV6_RECVERR, 1, NULL);
#endif

  if (self->broadcast)
    {
      g_socket_set_broadcast (self->socket, TRUE);
      _sb_session_trace (session, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_SO_BROADCAST, 1, NULL, NULL);
    }

  if (bind_address != NULL && !g_socket_bind (self->socket, bind_address, FALSE, &error))
    {
      GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where);

      g_clear_object (&self->socket);
      _sb_session_trace (session, SB_CALL_BIND, 0, bind_address,
                         spec->has_bind ? spec->bind_port : 0, 0, NULL, human);
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
      _sb_session_fail (session, human);
      return;
    }

  if (spec->kind == SB_KIND_UNIX_DGRAM && spec->bind_path != NULL)
    _sb_unix_file_claim (&self->unix_file, spec->bind_path);

  local = g_socket_get_local_address (self->socket, NULL);
  _sb_session_set_local_address (session, local);
  if (bind_address != NULL)
    _sb_session_trace (session, SB_CALL_BIND, 0, local ? local : bind_address,
                       spec->has_bind || spec->kind == SB_KIND_UNIX_DGRAM ? spec->bind_port : 0,
                       0, NULL, NULL);

  _sb_datagram_watch_readable (self);

  local_label = local ? sb_address_to_string (local) : g_strdup (_("(unnamed)"));

  if (self->target != NULL)
    {
      g_autofree char *target = sb_address_to_string (self->target);

      _sb_session_event (session, NULL, SB_EVENT_LISTENING,
                         _("Bound to %s, sending to %s"), local_label, target);
      _sb_session_set_state (session, SB_SESSION_STATE_CONNECTED);
    }
  else
    {
      _sb_session_event (session, NULL, SB_EVENT_LISTENING, _("Bound to %s"), local_label);
      _sb_session_set_state (session, SB_SESSION_STATE_LISTENING);
    }
}
