/* sb-address-check.c — a session spec checked field by field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-address"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-address-private.h"


static const char *
field_label (SbSpecField field)
{
  switch (field)
    {
    case SB_SPEC_FIELD_KIND:      return _("Kind");
    case SB_SPEC_FIELD_HOST:      return _("Host");
    case SB_SPEC_FIELD_PORT:      return _("Port");
    case SB_SPEC_FIELD_PATH:      return _("Path");
    case SB_SPEC_FIELD_BIND_HOST: return _("Local address");
    case SB_SPEC_FIELD_BIND_PORT: return _("Local port");
    case SB_SPEC_FIELD_BIND_PATH: return _("Local path");
    default:                      g_return_val_if_reached ("");
    }
}

static gboolean
field_used (SbKind      kind,
            SbSpecField field)
{
  switch (field)
    {
    case SB_SPEC_FIELD_KIND:
      return TRUE;
    case SB_SPEC_FIELD_HOST:
      return kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_UDP || kind == SB_KIND_ICMP ||
             kind == SB_KIND_TLS_CLIENT || kind == SB_KIND_DTLS_CLIENT ||
             kind == SB_KIND_RELAY_TCP || kind == SB_KIND_RELAY_UDP || kind == SB_KIND_RELAY_TLS;
    case SB_SPEC_FIELD_PORT:
      return kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_UDP || kind == SB_KIND_TLS_CLIENT ||
             kind == SB_KIND_DTLS_CLIENT || kind == SB_KIND_RELAY_TCP || kind == SB_KIND_RELAY_UDP ||
             kind == SB_KIND_RELAY_TLS;
    case SB_SPEC_FIELD_BIND_HOST:
    case SB_SPEC_FIELD_BIND_PORT:
      return kind == SB_KIND_TCP_SERVER || kind == SB_KIND_UDP || kind == SB_KIND_TCP_CLIENT ||
             kind == SB_KIND_TLS_SERVER || kind == SB_KIND_DTLS_SERVER ||
             kind == SB_KIND_RELAY_TCP || kind == SB_KIND_RELAY_UDP || kind == SB_KIND_RELAY_TLS;
    case SB_SPEC_FIELD_PATH:
      return sb_kind_is_unix (kind);
    case SB_SPEC_FIELD_BIND_PATH:
      return kind == SB_KIND_UNIX_DGRAM || kind == SB_KIND_UNIX_CLIENT || kind == SB_KIND_RELAY_UNIX;
    default:
      return FALSE;
    }
}

/* A host in an entry of its own: brackets are optional for IPv6, since no
 * port follows it. */
static gboolean
check_host_field (const char  *text,
                  GError     **error)
{
  gsize len = strlen (text);

  if (len >= 2 && text[0] == '[' && text[len - 1] == ']')
    {
      g_autofree char *inner = g_strndup (text + 1, len - 2);

      return _sb_address_check_ipv6 (inner, error);
    }
  if (strchr (text, ':') != NULL)
    return _sb_address_check_ipv6 (text, error);

  return _sb_address_check_host_name (text, error);
}

static gboolean
check_field (SbKind        kind,
             SbSpecField   field,
             const char   *text,
             GError      **error)
{
  guint16 port;
  SbKind parsed;

  if (!g_utf8_validate (text, -1, NULL))
    return _sb_address_set_invalid (error, _("The text is not valid UTF-8"));

  if (field == SB_SPEC_FIELD_KIND)
    {
      if (!_sb_address_kind_from_scheme (text, &parsed))
        return _sb_address_set_invalid (error,
                                        _("“%s” is not a kind of session: use tcp, tcp-listen, udp, udp-listen, unix, unix-listen, unixgram, icmp, tls, tls-listen, dtls, dtls-listen, relay, relay-udp, relay-unix or relay-tls"),
                                        text);
      return TRUE;
    }

  switch (field)
    {
    case SB_SPEC_FIELD_HOST:
      if (text[0] == '\0')
        return _sb_address_set_invalid (error, _("The host is empty: write a host name or an address"));
      return check_host_field (text, error);

    case SB_SPEC_FIELD_BIND_HOST:
      return text[0] == '\0' || check_host_field (text, error);

    case SB_SPEC_FIELD_PORT:
      if (!_sb_address_parse_port (text, &port, error))
        return FALSE;
      if (port == 0)
        return _sb_address_set_invalid (error,
                                        _("Port 0 cannot be connected to; choose a port from 1 to 65535"));
      return TRUE;

    case SB_SPEC_FIELD_BIND_PORT:
      return _sb_address_parse_port (text, &port, error);

    case SB_SPEC_FIELD_PATH:
      if (text[0] == '\0')
        return _sb_address_set_invalid (error,
                                        _("The path is empty: write a file path, or @NAME for an abstract socket"));
      return _sb_address_check_unix_path (text, error);

    case SB_SPEC_FIELD_BIND_PATH:
      if (text[0] == '\0' && kind == SB_KIND_RELAY_UNIX)
        return _sb_address_set_invalid (error,
                                        _("The path to listen on is empty: write a file path, or @NAME for an abstract socket"));
      return text[0] == '\0' || _sb_address_check_unix_path (text, error);

    case SB_SPEC_FIELD_KIND:
    default:
      g_return_val_if_reached (FALSE);
    }
}

gboolean
sb_session_spec_check_field (SbKind        kind,
                             SbSpecField   field,
                             const char   *text,
                             GError      **error)
{
  g_autoptr(GError) reason = NULL;

  g_return_val_if_fail (field <= SB_SPEC_FIELD_BIND_PATH, FALSE);
  g_return_val_if_fail (field == SB_SPEC_FIELD_KIND || kind < SB_N_KINDS, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!field_used (kind, field))
    _sb_address_set_invalid (&reason, _("%s:// sessions do not have this field"),
                             sb_kind_to_scheme (kind));
  else if (check_field (kind, field, text, &reason))
    return TRUE;

  /* The port's own messages already say "Port …". */
  if (field == SB_SPEC_FIELD_PORT && field_used (kind, field))
    {
      g_propagate_error (error, g_steal_pointer (&reason));
      return FALSE;
    }

  /* Translators: a field of a session ("Host") and what is wrong with it. */
  g_set_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID, _("%s: %s"),
                 field_label (field), reason->message);
  return FALSE;
}

static gboolean
check_spec_field (const SbSessionSpec  *spec,
                  SbSpecField           field,
                  const char           *text,
                  SbSpecField          *bad_field,
                  GError              **error)
{
  if (!field_used (spec->kind, field) ||
      sb_session_spec_check_field (spec->kind, field, text != NULL ? text : "", error))
    return TRUE;

  if (bad_field != NULL)
    *bad_field = field;
  return FALSE;
}

gboolean
sb_session_spec_check (const SbSessionSpec *spec,
                       SbSpecField         *field,
                       GError             **error)
{
  char port[8];

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (spec->kind < SB_N_KINDS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_snprintf (port, sizeof port, "%u", spec->port);

  /* A UDP spec has a target, a bound side, or both; the local port is any
   * number that fits. */
  if (spec->kind != SB_KIND_UDP || spec->host != NULL)
    {
      if (!check_spec_field (spec, SB_SPEC_FIELD_HOST, spec->host, field, error) ||
          !check_spec_field (spec, SB_SPEC_FIELD_PORT, port, field, error))
        return FALSE;
    }
  if ((spec->kind != SB_KIND_UDP && spec->kind != SB_KIND_TCP_CLIENT) || spec->has_bind)
    {
      if (!check_spec_field (spec, SB_SPEC_FIELD_BIND_HOST, spec->bind_host, field, error))
        return FALSE;
    }
  /* unixgram with a bound path alone has no target. */
  if (spec->kind != SB_KIND_UNIX_DGRAM || spec->bind_path == NULL || spec->path != NULL)
    {
      if (!check_spec_field (spec, SB_SPEC_FIELD_PATH, spec->path, field, error))
        return FALSE;
    }

  return check_spec_field (spec, SB_SPEC_FIELD_BIND_PATH, spec->bind_path, field, error);
}
