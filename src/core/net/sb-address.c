/* sb-address.c — addresses and session URIs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-address"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <net/if.h>
#include <string.h>

#include "sb-address.h"

/* sockaddr_un.sun_path is 108 bytes: a path needs its NUL, an abstract name
 * its leading NUL, and GUnixSocketAddress clips both to this. */
#define UNIX_PATH_MAX_LEN 107

#define HOST_NAME_MAX_LEN 253
#define HOST_LABEL_MAX_LEN 63

#define DEFAULT_BIND_HOST "127.0.0.1"

G_DEFINE_QUARK (sb-address-error-quark, sb_address_error)

typedef struct
{
  const char *scheme;
  SbKind      kind;
  /* The authority is the local side (BIND optional, port 0 allowed). */
  gboolean    local;
  /* The one option the scheme takes, or NULL. */
  const char *option;
  /* How to write it, for error messages; URI syntax, not translated. */
  const char *usage;
  const char *option_usage;
} Scheme;

static const Scheme schemes[] = {
  { "tcp",         SB_KIND_TCP_CLIENT,  FALSE, NULL,
    "tcp://HOST:PORT", NULL },
  { "tcp-listen",  SB_KIND_TCP_SERVER,  TRUE,  NULL,
    "tcp-listen://:PORT or tcp-listen://HOST:PORT", NULL },
  { "udp",         SB_KIND_UDP,         FALSE, "bind",
    "udp://HOST:PORT", "?bind=HOST:PORT" },
  { "udp-listen",  SB_KIND_UDP,         TRUE,  "target",
    "udp-listen://:PORT or udp-listen://HOST:PORT", "?target=HOST:PORT" },
  { "unix",        SB_KIND_UNIX_CLIENT, FALSE, NULL,
    "unix:///PATH", NULL },
  { "unix-listen", SB_KIND_UNIX_SERVER, TRUE,  NULL,
    "unix-listen:///PATH", NULL },
  { "unixgram",    SB_KIND_UNIX_DGRAM,  FALSE, "bind",
    "unixgram:///PATH or unixgram://?bind=/PATH", "?bind=/PATH" },
  { "icmp",        SB_KIND_ICMP,        FALSE, NULL,
    "icmp://HOST", NULL },
};

static const Scheme *
find_scheme (const char *name,
             gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (strlen (schemes[i].scheme) == len &&
          g_ascii_strncasecmp (schemes[i].scheme, name, len) == 0)
        return &schemes[i];
    }

  return NULL;
}

static gboolean
set_invalid (GError    **error,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_invalid (GError    **error,
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
static gboolean
check_ipv6 (const char  *inner,
            GError     **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  const char *zone;

  zone = strchr (inner, '%');
  bare = zone != NULL ? g_strndup (inner, zone - inner) : g_strdup (inner);

  if (strchr (bare, ':') == NULL && g_hostname_is_ip_address (bare))
    return set_invalid (error,
                        _("“[%s]”: only IPv6 addresses go in brackets; write an IPv4 address without them"),
                        inner);

  address = g_inet_address_new_from_string (bare);
  if (address == NULL ||
      g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
    return set_invalid (error, _("“[%s]” is not a valid IPv6 address"), inner);

  if (zone != NULL)
    {
      gboolean ok = zone[1] != '\0';

      for (const char *p = zone + 1; *p && ok; p++)
        ok = is_zone_char (*p);

      if (!ok)
        return set_invalid (error,
                            _("“%s” is not a valid zone in “[%s]”: name a network interface, as in [fe80::1%%eth0]"),
                            zone + 1, inner);
    }

  return TRUE;
}

/* A host written without brackets: an IPv4 literal or a name. */
static gboolean
check_host_name (const char  *host,
                 GError     **error)
{
  g_autofree char *ascii_owned = NULL;
  const char *ascii = host;
  const char *label;
  gsize len;

  /* Looks like an IPv4 literal, so it must be one rather than a name. */
  if (is_all (host, "."))
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

      if (address == NULL ||
          g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV4)
        return set_invalid (error, _("“%s” is not a valid IPv4 address"), host);

      return TRUE;
    }

  if (!g_utf8_validate (host, -1, NULL))
    return set_invalid (error, _("The host name is not valid UTF-8"));

  /* Internationalized names are checked in the form DNS will see. */
  if (!g_str_is_ascii (host))
    {
      ascii = ascii_owned = g_hostname_to_ascii (host);
      if (ascii == NULL)
        return set_invalid (error, _("“%s” is not a valid host name"), host);
    }

  for (const char *p = ascii; *p; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return set_invalid (error,
                            _("“%s” is not a valid host name: “%c” is not allowed; use letters, digits, “-”, “.” and “_”"),
                            host, *p);
    }

  len = strlen (ascii);
  if (len > HOST_NAME_MAX_LEN)
    return set_invalid (error,
                        _("The host name “%s” is %u characters long; host names can be at most %u"),
                        host, (guint) len, HOST_NAME_MAX_LEN);

  label = ascii;
  while (*label)
    {
      const char *dot = strchr (label, '.');
      gsize label_len = dot != NULL ? (gsize) (dot - label) : strlen (label);

      if (label_len == 0)
        return set_invalid (error,
                            _("“%s” is not a valid host name: it has an empty part between dots"),
                            host);
      if (label_len > HOST_LABEL_MAX_LEN)
        return set_invalid (error,
                            _("“%s” is not a valid host name: each part between dots can be at most %u characters"),
                            host, HOST_LABEL_MAX_LEN);

      /* A single trailing dot (a fully qualified name) is fine. */
      label = dot != NULL ? dot + 1 : label + label_len;
    }

  return TRUE;
}

static gboolean
parse_port (const char  *text,
            guint16     *port,
            GError     **error)
{
  const char *digits = text;
  guint64 value;

  if (!is_all (text, ""))
    return set_invalid (error, _("Port “%s” is not a number from 0 to 65535"), text);

  while (digits[0] == '0' && digits[1] != '\0')
    digits++;

  value = strlen (digits) > 5 ? G_MAXUINT64 : g_ascii_strtoull (digits, NULL, 10);
  if (value > G_MAXUINT16)
    return set_invalid (error, _("Port “%s” is out of range (0–65535)"), text);

  *port = (guint16) value;
  return TRUE;
}

/* Splits and checks "host:port", "[v6]:port", ":port", "port" and "host".
 * A missing host comes back as NULL and a missing port as *has_port FALSE,
 * for the caller to word in its own context. */
static gboolean
split_host_port (const char  *text,
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
        return set_invalid (error, _("“%s” is missing its closing bracket"), text);

      host = g_strndup (text + 1, close - text - 1);
      if (!check_ipv6 (host, error))
        return FALSE;

      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        return set_invalid (error,
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

          return set_invalid (error,
                              _("“%s” looks like an IPv6 address: put it in brackets, as in [%s]:%s"),
                              text, bare, tail);
        }

      host = colon != NULL ? g_strndup (text, colon - text) : g_strdup (text);
      if (host[0] == '\0')
        g_clear_pointer (&host, g_free);
      else if (!check_host_name (host, error))
        return FALSE;

      if (colon != NULL)
        port_text = colon + 1;
    }

  if (port_text != NULL && port_text[0] != '\0')
    {
      if (!parse_port (port_text, &port, error))
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

static gboolean
check_unix_path (const char  *path,
                 GError     **error)
{
  gsize len = strlen (path);

  if (path[0] == '@')
    {
      if (len == 1)
        return set_invalid (error,
                            _("The abstract socket name “@” is empty: write a name after it, as in @NAME"));

      if (len - 1 > UNIX_PATH_MAX_LEN)
        {
          g_autofree char *shown = g_utf8_make_valid (path, -1);

          return set_invalid (error,
                              _("The abstract name “%s” is %u bytes long (without “@”); abstract socket names can be at most %u"),
                              shown, (guint) (len - 1), UNIX_PATH_MAX_LEN);
        }
    }
  else if (len > UNIX_PATH_MAX_LEN)
    {
      g_autofree char *shown = g_utf8_make_valid (path, -1);

      return set_invalid (error,
                          _("The path “%s” is %u bytes long; UNIX socket paths can be at most %u"),
                          shown, (guint) len, UNIX_PATH_MAX_LEN);
    }

  return TRUE;
}

/* Decodes %XX escapes; a path cannot hold a NUL byte. */
static char *
decode_path (const char  *text,
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

          set_invalid (error,
                       _("“%.*s” in “%s” is not a valid escape: write a “%%” in a path as %%25"),
                       (int) (end - (text + i)), text + i, whole);
          return NULL;
        }

      if (hi == 0 && lo == 0)
        {
          g_autofree char *whole = g_strndup (text, len);

          set_invalid (error,
                       _("“%s” contains %%00, but UNIX socket paths cannot contain NUL bytes"),
                       whole);
          return NULL;
        }

      g_string_append_c (out, (char) (hi << 4 | lo));
      i += 2;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
append_path (GString    *out,
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
    return set_invalid (error, _("The address is empty: write it as HOST:PORT"));

  if (!g_utf8_validate (text, -1, NULL))
    return set_invalid (error, _("The address is not valid UTF-8"));

  if (!split_host_port (text, &parsed_host, &parsed_port, &has_port, error))
    return FALSE;

  if (parsed_host == NULL && !host_optional)
    return set_invalid (error, _("“%s” has no host: write it as HOST:PORT"), text);

  if (!has_port)
    return set_invalid (error, _("“%s” has no port: write it as HOST:PORT"), text);

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
 * that names one address: controls, line separators, bidi controls
 * (U+2028–U+202E, U+2066–U+2069, as the codec escapes them in data),
 * backslashes and bytes that are not UTF-8 are written as \xNN (a
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
      if (ch == (gunichar) -1 || ch == (gunichar) -2 || g_unichar_iscntrl (ch) ||
          (ch >= 0x2028 && ch <= 0x202e) || (ch >= 0x2066 && ch <= 0x2069))
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
sb_address_new_unix (const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path[0] == '\0')
    {
      set_invalid (error, _("The UNIX socket path is empty"));
      return NULL;
    }

  if (!check_unix_path (path, error))
    return NULL;

  if (path[0] == '@')
    {
      if (!g_unix_socket_address_abstract_names_supported ())
        {
          set_invalid (error,
                       _("“%s” is an abstract socket name, which this system does not support; use a path instead"),
                       path);
          return NULL;
        }

      return g_unix_socket_address_new_with_type (path + 1, -1,
                                                  G_UNIX_SOCKET_ADDRESS_ABSTRACT);
    }

  return g_unix_socket_address_new (path);
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
      return TRUE;

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

  return kind == SB_KIND_TCP_SERVER || kind == SB_KIND_UNIX_SERVER;
}

gboolean
sb_kind_is_unix (SbKind kind)
{
  g_return_val_if_fail (kind < SB_N_KINDS, FALSE);

  return kind == SB_KIND_UNIX_CLIENT ||
         kind == SB_KIND_UNIX_SERVER ||
         kind == SB_KIND_UNIX_DGRAM;
}

const char *
sb_kind_to_scheme (SbKind kind)
{
  g_return_val_if_fail (kind < SB_N_KINDS, NULL);

  /* The first scheme of each kind is its canonical one. */
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (schemes[i].kind == kind)
        return schemes[i].scheme;
    }

  g_return_val_if_reached (NULL);
}

/* Public: session specs */

SbSessionSpec *
sb_session_spec_new (SbKind kind)
{
  SbSessionSpec *spec;

  g_return_val_if_fail (kind < SB_N_KINDS, NULL);

  spec = g_new0 (SbSessionSpec, 1);
  spec->kind = kind;

  if (kind == SB_KIND_TCP_SERVER)
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
  g_free (spec);
}

static const char *
bind_host_or_default (const SbSessionSpec *spec)
{
  return spec->bind_host != NULL ? spec->bind_host : DEFAULT_BIND_HOST;
}

static gboolean
binds_equal (const SbSessionSpec *a,
             const SbSessionSpec *b)
{
  return g_strcmp0 (bind_host_or_default (a), bind_host_or_default (b)) == 0 &&
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
      return g_strcmp0 (a->host, b->host) == 0 && a->port == b->port;

    case SB_KIND_TCP_SERVER:
      return binds_equal (a, b);

    case SB_KIND_UDP:
      if (g_strcmp0 (a->host, b->host) != 0 ||
          (a->host != NULL && a->port != b->port) ||
          !a->has_bind != !b->has_bind)
        return FALSE;
      return !a->has_bind || binds_equal (a, b);

    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
      return g_strcmp0 (a->path, b->path) == 0;

    case SB_KIND_UNIX_DGRAM:
      return g_strcmp0 (a->path, b->path) == 0 &&
             g_strcmp0 (a->bind_path, b->bind_path) == 0;

    case SB_KIND_ICMP:
      return g_strcmp0 (a->host, b->host) == 0;

    case SB_N_KINDS:
    default:
      return FALSE;
    }
}

static void
append_host_port (GString    *out,
                  const char *host,
                  guint16     port)
{
  g_autofree char *text = sb_address_format_host_port (host, port);

  g_string_append (out, text);
}

/* An incomplete spec (a client without a host, say) still prints, but
 * what it prints does not parse. */
char *
sb_session_spec_to_uri (const SbSessionSpec *spec)
{
  g_autoptr(GString) uri = NULL;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (spec->kind < SB_N_KINDS, NULL);

  uri = g_string_new (NULL);

  switch (spec->kind)
    {
    case SB_KIND_TCP_CLIENT:
      g_string_append (uri, "tcp://");
      if (spec->host != NULL)
        append_host_port (uri, spec->host, spec->port);
      break;

    case SB_KIND_TCP_SERVER:
      g_string_append (uri, "tcp-listen://");
      append_host_port (uri, bind_host_or_default (spec), spec->bind_port);
      break;

    case SB_KIND_UDP:
      if (spec->host != NULL)
        {
          g_string_append (uri, "udp://");
          append_host_port (uri, spec->host, spec->port);
          if (spec->has_bind)
            {
              g_string_append (uri, "?bind=");
              append_host_port (uri, bind_host_or_default (spec), spec->bind_port);
            }
        }
      else if (spec->has_bind)
        {
          g_string_append (uri, "udp-listen://");
          append_host_port (uri, bind_host_or_default (spec), spec->bind_port);
        }
      else
        {
          g_string_append (uri, "udp://");
        }
      break;

    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
      g_string_append (uri, sb_kind_to_scheme (spec->kind));
      g_string_append (uri, "://");
      if (spec->path != NULL)
        append_path (uri, spec->path);
      break;

    case SB_KIND_UNIX_DGRAM:
      g_string_append (uri, "unixgram://");
      if (spec->path != NULL)
        append_path (uri, spec->path);
      if (spec->bind_path != NULL)
        {
          g_string_append (uri, "?bind=");
          append_path (uri, spec->bind_path);
        }
      break;

    case SB_KIND_ICMP:
      g_string_append (uri, "icmp://");
      if (spec->host != NULL && strchr (spec->host, ':') != NULL)
        g_string_append_printf (uri, "[%s]", spec->host);
      else if (spec->host != NULL)
        g_string_append (uri, spec->host);
      break;

    case SB_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  return g_string_free (g_steal_pointer (&uri), FALSE);
}

/* Parsing URIs */

/* Reads one side of an inet session. @default_host NULL means the host is
 * required; @local allows port 0 (the kernel picks one). */
static gboolean
parse_inet_side (const char  *shown,
                 const char  *text,
                 const char  *usage,
                 const char  *default_host,
                 gboolean     local,
                 char       **host_out,
                 guint16     *port_out,
                 GError     **error)
{
  g_autofree char *host = NULL;
  guint16 port = 0;
  gboolean has_port = FALSE;

  if (!split_host_port (text, &host, &port, &has_port, error))
    return FALSE;

  if (host == NULL && default_host == NULL)
    return set_invalid (error, _("“%s” has no host: write it as %s"), shown, usage);

  if (!has_port)
    return set_invalid (error, _("“%s” has no port: write it as %s"), shown, usage);

  if (port == 0 && !local)
    return set_invalid (error,
                        _("Port 0 cannot be connected to; choose a port from 1 to 65535"));

  *host_out = host != NULL ? g_steal_pointer (&host) : g_strdup (default_host);
  *port_out = port;
  return TRUE;
}

static char *
parse_unix_side (const char  *shown,
                 const char  *text,
                 gsize        len,
                 const char  *usage,
                 GError     **error)
{
  g_autofree char *path = NULL;

  if (len == 0)
    {
      set_invalid (error, _("“%s” has no path: write it as %s"), shown, usage);
      return NULL;
    }

  path = decode_path (text, len, error);
  if (path == NULL || !check_unix_path (path, error))
    return NULL;

  return g_steal_pointer (&path);
}

/* Finds the scheme's one option in @query ("key=value&…"). Every other key
 * is an error, so a typo never silently drops a setting. */
static gboolean
parse_query (const char    *uri,
             const Scheme  *scheme,
             const char    *query,
             char         **value_out,
             GError       **error)
{
  g_auto(GStrv) items = g_strsplit (query, "&", -1);
  g_autofree char *value = NULL;

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      const char *eq = strchr (item, '=');
      g_autofree char *key = NULL;

      if (item[0] == '\0')
        continue;

      key = eq != NULL ? g_strndup (item, eq - item) : g_strdup (item);

      if (scheme->option == NULL || g_strcmp0 (key, scheme->option) != 0)
        {
          if (scheme->option != NULL)
            return set_invalid (error,
                                _("“%s” has an unknown option “%s”: %s:// only takes %s"),
                                uri, key, scheme->scheme, scheme->option_usage);
          if (sb_kind_is_unix (scheme->kind))
            return set_invalid (error,
                                _("“%s” has an option “%s”, but %s:// takes none (write a “?” in a path as %%3F)"),
                                uri, key, scheme->scheme);
          return set_invalid (error,
                              _("“%s” has an option “%s”, but %s:// takes none"),
                              uri, key, scheme->scheme);
        }

      if (value != NULL)
        return set_invalid (error, _("“%s” gives the option “%s” twice"), uri, key);

      if (eq == NULL || eq[1] == '\0')
        return set_invalid (error,
                            _("The option “%s” in “%s” has no value: write it as %s"),
                            key, uri, scheme->option_usage);

      value = g_strdup (eq + 1);
    }

  *value_out = g_steal_pointer (&value);
  return TRUE;
}

static gboolean
parse_inet_uri (SbSessionSpec *spec,
                const Scheme  *scheme,
                const char    *uri,
                const char    *authority,
                const char    *option,
                GError       **error)
{
  if (!scheme->local)
    {
      if (!parse_inet_side (uri, authority, scheme->usage, NULL, FALSE,
                            &spec->host, &spec->port, error))
        return FALSE;
    }
  else
    {
      spec->has_bind = TRUE;
      if (!parse_inet_side (uri, authority, scheme->usage, DEFAULT_BIND_HOST, TRUE,
                            &spec->bind_host, &spec->bind_port, error))
        return FALSE;
    }

  if (option != NULL)
    {
      g_autofree char *shown = g_strdup_printf ("?%s=%s", scheme->option, option);

      if (scheme->local)
        {
          /* udp-listen://BIND?target=HOST:PORT */
          if (!parse_inet_side (shown, option, scheme->option_usage, NULL, FALSE,
                                &spec->host, &spec->port, error))
            return FALSE;
        }
      else
        {
          /* udp://HOST:PORT?bind=HOST:PORT: no loopback default here, since
           * a loopback socket cannot reach the remote target. */
          spec->has_bind = TRUE;
          if (!parse_inet_side (shown, option,
                                "?bind=HOST:PORT (0.0.0.0 binds every interface)",
                                NULL, TRUE,
                                &spec->bind_host, &spec->bind_port, error))
            return FALSE;
        }
    }

  return TRUE;
}

/* icmp://HOST: no port, so an IPv6 address may go without brackets. */
static gboolean
parse_icmp_uri (SbSessionSpec *spec,
                const char    *uri,
                const char    *authority,
                GError       **error)
{
  g_autofree char *host = NULL;
  guint16 port = 0;
  gboolean has_port = FALSE;
  const char *colon = strchr (authority, ':');

  if (authority[0] == '\0')
    return set_invalid (error, _("“%s” has no host: write it as icmp://HOST"), uri);

  if (authority[0] == '[')
    {
      if (!split_host_port (authority, &host, &port, &has_port, error))
        return FALSE;
    }
  else if (colon != NULL)
    {
      /* One colon is a host and a port; IPv6 has at least two. */
      if (strchr (colon + 1, ':') == NULL)
        has_port = TRUE;
      else if (!check_ipv6 (authority, NULL))
        return set_invalid (error, _("“%s” is not a valid IPv6 address"), authority);
      else
        host = g_strdup (authority);
    }
  else
    {
      if (!check_host_name (authority, error))
        return FALSE;
      host = g_strdup (authority);
    }

  if (has_port || (authority[0] == '[' && strchr (authority, ']')[1] != '\0'))
    return set_invalid (error,
                        _("“%s” has a port, but ICMP has none: write it as icmp://HOST"), uri);

  spec->host = g_steal_pointer (&host);
  return TRUE;
}

static gboolean
parse_unix_uri (SbSessionSpec *spec,
                const Scheme  *scheme,
                const char    *uri,
                const char    *rest,
                gsize          rest_len,
                const char    *option,
                GError       **error)
{
  if (option != NULL)
    {
      g_autofree char *shown = g_strdup_printf ("?%s=%s", scheme->option, option);

      spec->bind_path = parse_unix_side (shown, option, strlen (option),
                                         scheme->option_usage, error);
      if (spec->bind_path == NULL)
        return FALSE;
    }

  /* unixgram://?bind=/PATH is a bound socket with no target. */
  if (rest_len == 0 && spec->bind_path != NULL)
    return TRUE;

  spec->path = parse_unix_side (uri, rest, rest_len, scheme->usage, error);

  return spec->path != NULL;
}

SbSessionSpec *
sb_session_spec_parse (const char  *uri,
                       GError     **error)
{
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autofree char *option = NULL;
  g_autofree char *authority = NULL;
  const Scheme *scheme;
  const char *separator;
  const char *rest;
  const char *query;
  gsize rest_len;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (uri, -1, NULL))
    {
      set_invalid (error,
                   _("The session URI is not valid UTF-8; write other bytes in a path as %%XX"));
      return NULL;
    }

  separator = strstr (uri, "://");
  scheme = separator != NULL ? find_scheme (uri, separator - uri) : NULL;
  if (scheme == NULL)
    {
      const char *colon = strchr (uri, ':');
      const Scheme *bare = colon != NULL ? find_scheme (uri, colon - uri) : NULL;

      /* "unix:/tmp/s" names a scheme we know but misses the slashes. */
      if (bare != NULL && separator == NULL)
        set_invalid (error,
                     _("“%s” is missing “//” after “%s:”: write it as %s"),
                     uri, bare->scheme, bare->usage);
      else
        set_invalid (error,
                     _("“%s” is not a session URI: use tcp://, tcp-listen://, udp://, udp-listen://, unix://, unix-listen://, unixgram:// or icmp://"),
                     uri);
      return NULL;
    }

  /* Not sb_session_spec_new(): the URI alone decides what is bound. */
  spec = g_new0 (SbSessionSpec, 1);
  spec->kind = scheme->kind;

  rest = separator + 3;
  query = strchr (rest, '?');
  rest_len = query != NULL ? (gsize) (query - rest) : strlen (rest);

  if (query != NULL && !parse_query (uri, scheme, query + 1, &option, error))
    return NULL;

  if (sb_kind_is_unix (scheme->kind))
    {
      if (!parse_unix_uri (spec, scheme, uri, rest, rest_len, option, error))
        return NULL;
    }
  else
    {
      /* Tolerate the trailing slash of a pasted "tcp://host:80/". */
      if (rest_len > 0 && rest[rest_len - 1] == '/')
        rest_len--;
      authority = g_strndup (rest, rest_len);

      if (scheme->kind == SB_KIND_ICMP)
        {
          if (!parse_icmp_uri (spec, uri, authority, error))
            return NULL;
        }
      else if (!parse_inet_uri (spec, scheme, uri, authority, option, error))
        return NULL;
    }

  return g_steal_pointer (&spec);
}
