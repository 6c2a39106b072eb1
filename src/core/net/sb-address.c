/* sb-address.c — addresses and session URIs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-address"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <string.h>

#include "sb-address-private.h"

G_DEFINE_QUARK (sb-address-error-quark, sb_address_error)

gboolean
_sb_address_set_invalid (GError    **error,
                         const char *format,
                         ...)
{
  va_list args;

  if (error == NULL)
    return FALSE;
  g_return_val_if_fail (*error == NULL, FALSE);

  va_start (args, format);
  *error = g_error_new_valist (SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID, format, args);
  va_end (args);

  return FALSE;
}

/* Hosts, ports and paths */

static gboolean
is_all (const char *text,
        const char *allowed_extra)
{
  if (*text == '\0')
    return FALSE;

  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isdigit (*p) && strchr (allowed_extra, *p) == NULL)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_zone_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.';
}

/* @inner is what sits between the brackets. */
gboolean
_sb_address_check_ipv6 (const char  *inner,
                        GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  const char *zone;

  zone = strchr (inner, '%');
  bare = zone != NULL ? g_strndup (inner, zone - inner) : g_strdup (inner);

  if (strchr (bare, ':') == NULL && g_hostname_is_ip_address (bare))
    return _sb_address_set_invalid (error,
                                    _("“[%s]”: only IPv6 addresses go in brackets; write an IPv4 address without them"),
                                    inner);

  address = g_inet_address_new_from_string (bare);
  if (address == NULL ||
      g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return _sb_address_set_invalid (error, _("“[%s]” is not a valid IPv6 address"), inner);

  if (zone != NULL)
    {
      gboolean ok = zone[1] != '\0';

      for (const char *p = zone + 1; *p && ok; p++)
        ok = is_zone_char (*p);

      if (!ok)
        return _sb_address_set_invalid (error,
                                        _("“%s” is not a valid zone in “[%s]”: name a network interface, as in [fe80::1%%eth0]"),
                                        zone + 1, inner);
    }

  return TRUE;
}

/* A number as inet_aton() reads one: decimal, 0x hex, or 0 octal. */
static gboolean
is_number_label (const char *label,
                 gsize       len)
{
  gsize i = 0;

  if (len == 0)
    return FALSE;
  if (len >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X'))
    {
      for (i = 2; i < len; i++)
        if (!g_ascii_isxdigit (label[i]))
          return FALSE;
      return TRUE;
    }
  for (; i < len; i++)
    if (!g_ascii_isdigit (label[i]))
      return FALSE;
  return TRUE;
}

/* Only digits and dots, or a last part that is a number: no top-level
 * domain is a number, so it is meant as an address. */
static gboolean
looks_like_ipv4 (const char *host)
{
  gsize len = strlen (host);
  const char *last;

  if (is_all (host, "."))
    return TRUE;

  if (len > 0 && host[len - 1] == '.')
    len--;
  last = g_strrstr_len (host, len, ".");
  last = last != NULL ? last + 1 : host;

  return is_number_label (last, host + len - last);
}

/* Four decimal numbers from 0 to 255, dot-separated, without leading zeros:
 * the only form that means the same to every program. */
static gboolean
check_ipv4 (const char  *host,
            GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (host, ".", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i < n; i++)
    {
      const char *part = parts[i];
      gsize len = strlen (part);

      if (len == 0)
        return _sb_address_set_invalid (error,
                                    _("“%s” is not a valid IPv4 address: it has an empty part between dots"),
                                    host);
      if (!is_all (part, ""))
        return _sb_address_set_invalid (error,
                                    _("“%s” is not a valid IPv4 address: “%s” is not a number from 0 to 255"),
                                    host, part);
      if (len > 3 || g_ascii_strtoull (part, NULL, 10) > 255)
        return _sb_address_set_invalid (error,
                                    _("“%s” is not a valid IPv4 address: %s is more than 255"),
                                    host, part);
      if (len > 1 && part[0] == '0')
        return _sb_address_set_invalid (error,
                                    _("“%s” is not a valid IPv4 address: %s starts with 0, which some programs read as octal; write it without the 0"),
                                    host, part);
    }

  if (n != 4)
    return _sb_address_set_invalid (error,
                                                _("“%s” is not a valid IPv4 address: write four numbers from 0 to 255 separated by dots, as in 192.168.1.10"),
                                                host);

  return TRUE;
}

/* A host written without brackets: an IPv4 literal or a name. */
gboolean
_sb_address_check_host_name (const char  *host,
                             GError     **error)
{
  g_autofree char *ascii_owned = NULL;
  const char *ascii = host;
  const char *label;
  gsize len;

  /* Looks like an IPv4 literal, so it must be one rather than a name: the
   * resolver would read "127.1", "0x7f.0.0.1" or "010.0.0.1" as some
   * address, not the one meant. */
  if (looks_like_ipv4 (host))
    return check_ipv4 (host, error);

  if (!g_utf8_validate (host, -1, NULL))
    return _sb_address_set_invalid (error, _("The host name is not valid UTF-8"));

  /* Internationalized names are checked in the form DNS will see. */
  if (!g_str_is_ascii (host))
    {
      ascii = ascii_owned = g_hostname_to_ascii (host);
      if (ascii == NULL)
        return _sb_address_set_invalid (error, _("“%s” is not a valid host name"), host);
    }

  for (const char *p = ascii; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return _sb_address_set_invalid (error,
                                        _("“%s” is not a valid host name: “%c” is not allowed; use letters, digits, “-”, “.” and “_”"),
                                        host, *p);
    }

  len = strlen (ascii);
  if (len > HOST_NAME_MAX_LEN)
    return _sb_address_set_invalid (error,
                                    _("The host name “%s” is %u characters long; host names can be at most %u"),
                                    host, (guint) len, HOST_NAME_MAX_LEN);

  label = ascii;
  while (*label)
    {
      const char *dot = strchr (label, '.');
      gsize label_len = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (label_len == 0)
        return _sb_address_set_invalid (error,
                                        _("“%s” is not a valid host name: it has an empty part between dots"),
                                        host);
      if (label_len > HOST_LABEL_MAX_LEN)
        return _sb_address_set_invalid (error,
                                        _("“%s” is not a valid host name: each part between dots can be at most %u characters"),
                                        host, HOST_LABEL_MAX_LEN);

      /* A single trailing dot (a fully qualified name) is fine. */
      label = dot != NULL ? dot + 1 : label + label_len;
    }

  return TRUE;
}

gboolean
_sb_address_parse_port (const char  *text,
                        guint16     *port,
                        GError     **error)
{
  const char *digits = text;
  guint64 value;

  if (!is_all (text, ""))
    return _sb_address_set_invalid (error, _("Port “%s” is not a number from 0 to 65535"), text);

  while (digits[0] == '0' && digits[1] != '\0')
    digits++;

  value = strlen (digits) > 5 ? G_MAXUINT64 : g_ascii_strtoull (digits, NULL, 10);
  if (value > G_MAXUINT16)
    return _sb_address_set_invalid (error, _("Port “%s” is out of range (0–65535)"), text);

  *port = (guint16) value;
  return TRUE;
}

/* Splits and checks "host:port", "[v6]:port", ":port", "port" and "host".
 * A missing host comes back as NULL and a missing port as *has_port FALSE,
 * for the caller to word in its own context. */
gboolean
_sb_address_split_host_port (const char  *text,
                             char       **host_out,
                             guint16     *port_out,
                             gboolean    *has_port,
                             GError     **error)
{
  g_autofree char *host = NULL;
  const char *port_text = NULL;
  guint16 port = 0;

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');

      if (close == NULL)
        return _sb_address_set_invalid (error, _("“%s” is missing its closing bracket"), text);

      host = g_strndup (text + 1, close - text - 1);
      if (!_sb_address_check_ipv6 (host, error))
        return FALSE;

      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        return _sb_address_set_invalid (error,
                                        _("“%s”: write a colon between “]” and the port, as in [::1]:80"),
                                        text);
    }
  else if (is_all (text, ""))
    {
      port_text = text;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon != NULL && strchr (text, ':') != colon)
        {
          g_autofree char *bare = g_strndup (text, colon - text);
          g_autoptr(GInetAddress) before_port = g_inet_address_new_from_string (bare);
          const char *tail = colon + 1;

          /* No brackets: we cannot tell where the address ends, so the
           * example guesses the last group is a port when what comes
           * before it is an address on its own. */
          if (before_port == NULL || !is_all (tail, "") || strlen (tail) > 5)
            {
              g_clear_pointer (&bare, g_free);
              bare = g_strdup (text);
              tail = "PORT";
            }

          return _sb_address_set_invalid (error,
                                          _("“%s” looks like an IPv6 address: put it in brackets, as in [%s]:%s"),
                                          text, bare, tail);
        }

      host = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
      if (host[0] == '\0')
        g_clear_pointer (&host, g_free);
      else if (!_sb_address_check_host_name (host, error))
        return FALSE;

      if (colon != NULL)
        port_text = colon + 1;
    }

  if (port_text != NULL && port_text[0] != '\0')
    {
      if (!_sb_address_parse_port (port_text, &port, error))
        return FALSE;
      *has_port = TRUE;
    }
  else
    {
      *has_port = FALSE;
    }

  *host_out = g_steal_pointer (&host);
  *port_out = port;
  return TRUE;
}

gboolean
_sb_address_check_unix_path (const char  *path,
                             GError     **error)
{
  gsize len = strlen (path);

  if (path[0] == '@')
    {
      if (len == 1)
        return _sb_address_set_invalid (error,
                                        _("The abstract socket name “@” is empty: write a name after it, as in @NAME"));

      if (len - 1 > UNIX_PATH_MAX_LEN)
        {
          g_autofree char *shown = g_utf8_make_valid (path, -1);

          return _sb_address_set_invalid (error,
                                          _("The abstract name “%s” is %u bytes long (without “@”); abstract socket names can be at most %u"),
                                          shown, (guint) (len - 1), UNIX_PATH_MAX_LEN);
        }
    }
  else if (len > UNIX_PATH_MAX_LEN)
    {
      g_autofree char *shown = g_utf8_make_valid (path, -1);

      return _sb_address_set_invalid (error,
                                      _("The path “%s” is %u bytes long; UNIX socket paths can be at most %u"),
                                      shown, (guint) len, UNIX_PATH_MAX_LEN);
    }

  return TRUE;
}

/* Decodes %XX escapes; a path cannot hold a NUL byte. */
char *
_sb_address_decode_path (const char  *text,
                         gsize        len,
                         GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      int hi, lo;

      if (text[i] != '%')
        {
          g_string_append_c (out, text[i]);
          continue;
        }

      hi = i + 1 < len ? g_ascii_xdigit_value (text[i + 1]) : -1;
      lo = i + 2 < len ? g_ascii_xdigit_value (text[i + 2]) : -1;
      if (hi < 0 || lo < 0)
        {
          g_autofree char *whole = g_strndup (text, len);
          const char *end = text + i;

          /* Show the "%" and up to two characters after it, whole: a byte
           * count could cut a character in two. */
          for (guint n = 0; n < 3 && end < text + len; n++)
            end = g_utf8_next_char (end);
          end = MIN (end, text + len);

          _sb_address_set_invalid (error,
                                   _("“%.*s” in “%s” is not a valid escape: write a “%%” in a path as %%25"),
                                   (int) (end - (text + i)), text + i, whole);
          return NULL;
        }

      if (hi == 0 && lo == 0)
        {
          g_autofree char *whole = g_strndup (text, len);

          _sb_address_set_invalid (error,
                                   _("“%s” contains %%00, but UNIX socket paths cannot contain NUL bytes"),
                                   whole);
          return NULL;
        }

      g_string_append_c (out, (char) (hi << 4 | lo));
      i += 2;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
_sb_address_append_path (GString    *out,
                         const char *path)
{
  gboolean utf8 = g_utf8_validate (path, -1, NULL);

  /* Escape what the parser treats specially, what a shell or a reader would
   * trip on, and bytes that are not text; readable UTF-8 stays as it is. */
  for (const guchar *p = (const guchar *) path; *p; p++)
    {
      if (*p <= 0x20 || *p == 0x7f || strchr ("%?#&", *p) != NULL ||
          (*p >= 0x80 && !utf8))
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, (char) *p);
    }
}

/* Public: hosts and ports */

/**
 * sb_address_parse_host_port:
 *
 * Returns: TRUE and the parts (@host newly allocated, or NULL when the
 * text has no host and @host_optional is set), or FALSE with @error.
 */
gboolean
sb_address_parse_host_port (const char  *text,
                            gboolean     host_optional,
                            char       **host,
                            guint16     *port,
                            GError     **error)
{
  g_autofree char *parsed_host = NULL;
  guint16 parsed_port = 0;
  gboolean has_port = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text[0] == '\0')
    return _sb_address_set_invalid (error, _("The address is empty: write it as HOST:PORT"));

  if (!g_utf8_validate (text, -1, NULL))
    return _sb_address_set_invalid (error, _("The address is not valid UTF-8"));

  if (!_sb_address_split_host_port (text, &parsed_host, &parsed_port, &has_port, error))
    return FALSE;

  if (parsed_host == NULL && !host_optional)
    return _sb_address_set_invalid (error, _("“%s” has no host: write it as HOST:PORT"), text);

  if (!has_port)
    return _sb_address_set_invalid (error, _("“%s” has no port: write it as HOST:PORT"), text);

  if (host != NULL)
    *host = g_steal_pointer (&parsed_host);
  if (port != NULL)
    *port = parsed_port;

  return TRUE;
}

char *
sb_address_format_host_port (const char *host,
                             guint16     port)
{
  if (host == NULL)
    return g_strdup_printf (":%u", port);

  /* Only IPv6 literals have colons; names and IPv4 never do. */
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", host, port);

  return g_strdup_printf ("%s:%u", host, port);
}

gboolean
sb_address_is_any (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL)
    return FALSE;

  len = strlen (host);
  if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_any (address);
}

/* Public: kinds */

gboolean
sb_kind_is_stream (SbKind kind)
{
  g_return_val_if_fail (kind < SB_N_KINDS, FALSE);

  switch (kind)
    {
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
    case SB_KIND_TLS_CLIENT:
    case SB_KIND_TLS_SERVER:
    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UNIX:
    case SB_KIND_RELAY_TLS:
      return TRUE;

    case SB_KIND_RELAY_UDP:
    case SB_KIND_UDP:
    case SB_KIND_UNIX_DGRAM:
    case SB_KIND_ICMP:
    case SB_N_KINDS:
    default:
      return FALSE;
    }
}

gboolean
sb_kind_is_server (SbKind kind)
{
  g_return_val_if_fail (kind < SB_N_KINDS, FALSE);

  /* Relays listen too: many peers, each one a client. */
  return kind == SB_KIND_TCP_SERVER || kind == SB_KIND_UNIX_SERVER || kind == SB_KIND_TLS_SERVER ||
         kind == SB_KIND_DTLS_SERVER || sb_kind_is_relay (kind);
}

gboolean
sb_kind_is_tls (SbKind kind)
{
  g_return_val_if_fail (kind < SB_N_KINDS, FALSE);

  return kind == SB_KIND_TLS_CLIENT || kind == SB_KIND_TLS_SERVER ||
         kind == SB_KIND_DTLS_CLIENT || kind == SB_KIND_DTLS_SERVER ||
         kind == SB_KIND_RELAY_TLS;
}

gboolean
sb_kind_is_relay (SbKind kind)
{
  g_return_val_if_fail (kind < SB_N_KINDS, FALSE);

  return kind == SB_KIND_RELAY_TCP || kind == SB_KIND_RELAY_UDP || kind == SB_KIND_RELAY_UNIX ||
         kind == SB_KIND_RELAY_TLS;
}

gboolean
sb_kind_is_unix (SbKind kind)
{
  g_return_val_if_fail (kind < SB_N_KINDS, FALSE);

  return kind == SB_KIND_UNIX_CLIENT ||
         kind == SB_KIND_UNIX_SERVER ||
         kind == SB_KIND_UNIX_DGRAM ||
         kind == SB_KIND_RELAY_UNIX;
}
/* Public: session specs */

SbSessionSpec *
sb_session_spec_new (SbKind kind)
{
  SbSessionSpec *spec;

  g_return_val_if_fail (kind < SB_N_KINDS, NULL);

  spec = g_new0 (SbSessionSpec, 1);
  spec->kind = kind;

  if (kind == SB_KIND_TCP_SERVER || kind == SB_KIND_TLS_SERVER || kind == SB_KIND_DTLS_SERVER ||
      kind == SB_KIND_RELAY_TCP || kind == SB_KIND_RELAY_UDP || kind == SB_KIND_RELAY_TLS)
    {
      spec->has_bind = TRUE;
      spec->bind_host = g_strdup (DEFAULT_BIND_HOST);
    }

  return spec;
}

SbSessionSpec *
sb_session_spec_copy (const SbSessionSpec *spec)
{
  SbSessionSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_new0 (SbSessionSpec, 1);
  *copy = *spec;
  copy->host = g_strdup (spec->host);
  copy->bind_host = g_strdup (spec->bind_host);
  copy->path = g_strdup (spec->path);
  copy->bind_path = g_strdup (spec->bind_path);
  copy->tls = spec->tls != NULL ? sb_tls_options_copy (spec->tls) : NULL;

  return copy;
}

void
sb_session_spec_free (SbSessionSpec *spec)
{
  if (spec == NULL)
    return;

  g_free (spec->host);
  g_free (spec->bind_host);
  g_free (spec->path);
  g_free (spec->bind_path);
  sb_tls_options_free (spec->tls);
  g_free (spec);
}

const char *
_sb_address_bind_host_or_default (const SbSessionSpec *spec)
{
  return spec->bind_host != NULL ? spec->bind_host : DEFAULT_BIND_HOST;
}

static gboolean
binds_equal (const SbSessionSpec *a,
             const SbSessionSpec *b)
{
  return g_strcmp0 (_sb_address_bind_host_or_default (a), _sb_address_bind_host_or_default (b)) == 0 &&
         a->bind_port == b->bind_port;
}

/* Compares only the fields the kind uses, so two specs are equal when they
 * describe the same session. */
gboolean
sb_session_spec_equal (const SbSessionSpec *a,
                       const SbSessionSpec *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->kind != b->kind)
    return FALSE;

  switch (a->kind)
    {
    case SB_KIND_TCP_CLIENT:
      if (g_strcmp0 (a->host, b->host) != 0 || a->port != b->port ||
          !a->has_bind != !b->has_bind)
        return FALSE;
      /* No local host means any address, not the loopback default. */
      return !a->has_bind ||
             (g_strcmp0 (a->bind_host, b->bind_host) == 0 && a->bind_port == b->bind_port);

    case SB_KIND_TCP_SERVER:
      return binds_equal (a, b);

    case SB_KIND_UDP:
      if (g_strcmp0 (a->host, b->host) != 0 ||
          (a->host != NULL && a->port != b->port) ||
          !a->has_bind != !b->has_bind)
        return FALSE;
      return !a->has_bind || binds_equal (a, b);

    case SB_KIND_UNIX_SERVER:
      return g_strcmp0 (a->path, b->path) == 0;

    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_DGRAM:
      return g_strcmp0 (a->path, b->path) == 0 &&
             g_strcmp0 (a->bind_path, b->bind_path) == 0;

    case SB_KIND_ICMP:
      return g_strcmp0 (a->host, b->host) == 0;

    case SB_KIND_TLS_CLIENT:
    case SB_KIND_DTLS_CLIENT:
      return g_strcmp0 (a->host, b->host) == 0 && a->port == b->port &&
             sb_tls_options_equal (a->tls, b->tls);

    case SB_KIND_TLS_SERVER:
    case SB_KIND_DTLS_SERVER:
      return binds_equal (a, b) && sb_tls_options_equal (a->tls, b->tls);
    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UDP:
      return binds_equal (a, b) && g_strcmp0 (a->host, b->host) == 0 && a->port == b->port;

    case SB_KIND_RELAY_TLS:
      return binds_equal (a, b) && g_strcmp0 (a->host, b->host) == 0 && a->port == b->port &&
             sb_tls_options_equal (a->tls, b->tls);

    case SB_KIND_RELAY_UNIX:
      return g_strcmp0 (a->path, b->path) == 0 &&
             g_strcmp0 (a->bind_path, b->bind_path) == 0;

    case SB_N_KINDS:
    default:
      return FALSE;
    }
}
