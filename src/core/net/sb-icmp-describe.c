/* sb-icmp-describe.c — describing an ICMP message field by field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-icmp"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-icmp-private.h"

/* Describing a message */

static const char *
type_name (guint8        type,
           GSocketFamily family)
{
  if (family == G_SOCKET_FAMILY_IPV6)
    {
      switch (type)
        {
        case 1:   return _("destination unreachable");
        case 2:   return _("packet too big");
        case 3:   return _("time exceeded");
        case 4:   return _("parameter problem");
        case 128: return _("echo request");
        case 129: return _("echo reply");
        case 133: return _("router solicitation");
        case 134: return _("router advertisement");
        case 135: return _("neighbor solicitation");
        case 136: return _("neighbor advertisement");
        case 137: return _("redirect");
        default:  return NULL;
        }
    }

  if (family == G_SOCKET_FAMILY_IPV4)
    {
      switch (type)
        {
        case 0:  return _("echo reply");
        case 3:  return _("destination unreachable");
        case 5:  return _("redirect");
        case 8:  return _("echo request");
        case 11: return _("time exceeded");
        case 12: return _("parameter problem");
        case 13: return _("timestamp request");
        case 14: return _("timestamp reply");
        default: return NULL;
        }
    }

  return NULL;
}

static gboolean
is_echo (guint8        type,
         GSocketFamily family)
{
  if (family == G_SOCKET_FAMILY_IPV6)
    return type == ICMP6_ECHO_REQUEST || type == ICMP6_ECHO_REPLY;

  return type == ICMP4_ECHO_REQUEST || type == ICMP4_ECHO_REPLY;
}

GPtrArray *
sb_icmp_describe (const guint8  *data,
                  gsize          len,
                  GSocketFamily  family)
{
  GPtrArray *lines;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  lines = g_ptr_array_new_with_free_func (g_free);

  if (len >= 1)
    {
      const char *name = type_name (data[0], family);

      if (name != NULL)
        g_ptr_array_add (lines, g_strdup_printf (_("Type: %u (%s)"), data[0], name));
      else
        g_ptr_array_add (lines, g_strdup_printf (_("Type: %u"), data[0]));
    }
  if (len >= 2)
    g_ptr_array_add (lines, g_strdup_printf (_("Code: %u"), data[1]));
  if (len >= 4)
    g_ptr_array_add (lines, g_strdup_printf (_("Checksum: 0x%04x"), _sb_icmp_read_u16 (data + 2)));

  if (len < ICMP_HEADER_LEN)
    {
      g_ptr_array_add (lines, g_strdup_printf (_("Too short for an ICMP message: %u bytes of the 8-byte header"),
                                               (guint) len));
      return lines;
    }

  if (is_echo (data[0], family))
    {
      g_ptr_array_add (lines, g_strdup_printf (_("Identifier: 0x%04x"), _sb_icmp_read_u16 (data + 4)));
      g_ptr_array_add (lines, g_strdup_printf (_("Sequence: %u"), _sb_icmp_read_u16 (data + 6)));
    }
  else
    {
      g_ptr_array_add (lines, g_strdup_printf (_("Rest of header: %02x %02x %02x %02x"),
                                               data[4], data[5], data[6], data[7]));
    }

  g_ptr_array_add (lines, g_strdup_printf (ngettext ("Payload: %" PRIu64 " byte", "Payload: %" PRIu64 " bytes",
                                                     (gulong) (len - ICMP_HEADER_LEN)),
                                           (guint64) (len - ICMP_HEADER_LEN)));
  return lines;
}
