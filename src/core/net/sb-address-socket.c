/* sb-address-socket.c — socket addresses as the UI shows them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-address"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixsocketaddress.h>
#include <net/if.h>
#include <string.h>

#include "sb-address-private.h"
#include "sb-codec.h"

/* Public: socket addresses */

static char *
inet_to_string (GInetSocketAddress *inet)
{
  GInetAddress *address = g_inet_socket_address_get_address (inet);
  guint16 port = g_inet_socket_address_get_port (inet);
  g_autofree char *host = NULL;

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
      const guint8 *bytes = g_inet_address_to_bytes (address);
      guint32 scope_id;

      /* A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d. */
      if (memcmp (bytes, mapped_prefix, sizeof mapped_prefix) == 0)
        return g_strdup_printf ("%u.%u.%u.%u:%u",
                                bytes[12], bytes[13], bytes[14], bytes[15], port);

      scope_id = g_inet_socket_address_get_scope_id (inet);
      if (scope_id != 0)
        {
          g_autofree char *bare = g_inet_address_to_string (address);
          char name[IF_NAMESIZE];

          if (if_indextoname (scope_id, name) != NULL)
            host = g_strdup_printf ("%s%%%s", bare, name);
          else
            host = g_strdup_printf ("%s%%%u", bare, scope_id);

          return sb_address_format_host_port (host, port);
        }
    }

  host = g_inet_address_to_string (address);

  return sb_address_format_host_port (host, port);
}

/* A UNIX path or abstract name is chosen by whoever bound the socket: a
 * datagram sender picks the label we show for it. Make it one line of text
 * that names one address: what the codec escapes in data
 * (sb_codec_unichar_needs_escape(): controls, line separators, bidi and
 * zero width format characters), backslashes and bytes that are not UTF-8 are written as \xNN (a
 * backslash as \\), so a newline cannot start a fake line in a log or
 * export, nor a bidi override make one label read as another, and two
 * senders never share a label (peers are looked up by label). */
static char *
label_escape (const char *name,
              gsize       len)
{
  GString *out = g_string_sized_new (len + 1);
  const char *p = name;
  const char *end = name + len;

  while (p < end)
    {
      guint8 c = (guint8) *p;
      gunichar ch;

      if (c >= 0x20 && c < 0x7f && c != '\\')
        {
          g_string_append_c (out, (char) c);
          p++;
          continue;
        }

      if (c == '\\')
        {
          g_string_append (out, "\\\\");
          p++;
          continue;
        }

      ch = c >= 0x80 ? g_utf8_get_char_validated (p, end - p) : (gunichar) -1;
      if (ch == (gunichar) -1 || ch == (gunichar) -2 || sb_codec_unichar_needs_escape (ch))
        {
          g_string_append_printf (out, "\\x%02x", c);
          p++;
          continue;
        }

      g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

static char *
unix_to_string (GUnixSocketAddress *unix_address)
{
  const char *path = g_unix_socket_address_get_path (unix_address);
  gsize len = g_unix_socket_address_get_path_len (unix_address);
  g_autofree char *name = NULL;

  switch (g_unix_socket_address_get_address_type (unix_address))
    {
    case G_UNIX_SOCKET_ADDRESS_PATH:
      /* The kernel may count the terminating NUL in the length. */
      if (path[0] == '\0')
        break;
      return label_escape (path, strlen (path));

    case G_UNIX_SOCKET_ADDRESS_ABSTRACT_PADDED:
      while (len > 0 && path[len - 1] == '\0')
        len--;
      G_GNUC_FALLTHROUGH;

    case G_UNIX_SOCKET_ADDRESS_ABSTRACT:
      name = label_escape (path, len);
      return g_strconcat ("@", name, NULL);

    case G_UNIX_SOCKET_ADDRESS_INVALID:
    case G_UNIX_SOCKET_ADDRESS_ANONYMOUS:
    default:
      break;
    }

  /* TRANSLATORS: a UNIX socket that is not bound to a path or name */
  return g_strdup (_("(unnamed)"));
}

char *
sb_address_to_string (GSocketAddress *address)
{
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    return inet_to_string (G_INET_SOCKET_ADDRESS (address));

  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    return unix_to_string (G_UNIX_SOCKET_ADDRESS (address));

  /* TRANSLATORS: a socket address of a family Sockbench does not show */
  return g_strdup (_("(unknown address)"));
}

GSocketAddress *
sb_address_new_listen (const char  *host,
                       guint16      port,
                       GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;

  g_return_val_if_fail (host != NULL, NULL);

  inet = g_inet_address_new_from_string (g_ascii_strcasecmp (host, "localhost") == 0 ? "127.0.0.1" : host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address of this computer: listen on 127.0.0.1, ::1, 0.0.0.0 or ::"),
                   host);
      return NULL;
    }

  return g_inet_socket_address_new (inet, port);
}

GSocketAddress *
sb_address_new_unix (const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path[0] == '\0')
    {
      _sb_address_set_invalid (error, _("The UNIX socket path is empty"));
      return NULL;
    }

  if (!_sb_address_check_unix_path (path, error))
    return NULL;

  if (path[0] == '@')
    {
      if (!g_unix_socket_address_abstract_names_supported ())
        {
          _sb_address_set_invalid (error,
                                   _("“%s” is an abstract socket name, which this system does not support; use a path instead"),
                                   path);
          return NULL;
        }

      return g_unix_socket_address_new_with_type (path + 1, -1,
                                                  G_UNIX_SOCKET_ADDRESS_ABSTRACT);
    }

  return g_unix_socket_address_new (path);
}
