/* sb-address-uri.c — session specs as URIs, and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-address"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-address-private.h"

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
  { "tcp",         SB_KIND_TCP_CLIENT,  FALSE, "bind",
    "tcp://HOST:PORT", "?bind=[HOST]:PORT" },
  { "tcp-listen",  SB_KIND_TCP_SERVER,  TRUE,  NULL,
    "tcp-listen://:PORT or tcp-listen://HOST:PORT", NULL },
  { "udp",         SB_KIND_UDP,         FALSE, "bind",
    "udp://HOST:PORT", "?bind=HOST:PORT" },
  { "udp-listen",  SB_KIND_UDP,         TRUE,  "target",
    "udp-listen://:PORT or udp-listen://HOST:PORT", "?target=HOST:PORT" },
  { "unix",        SB_KIND_UNIX_CLIENT, FALSE, "bind",
    "unix:///PATH", "?bind=/PATH" },
  { "unix-listen", SB_KIND_UNIX_SERVER, TRUE,  NULL,
    "unix-listen:///PATH", NULL },
  { "unixgram",    SB_KIND_UNIX_DGRAM,  FALSE, "bind",
    "unixgram:///PATH or unixgram://?bind=/PATH", "?bind=/PATH" },
  { "icmp",        SB_KIND_ICMP,        FALSE, NULL,
    "icmp://HOST", NULL },
  /* Their query holds the TLS options (sb-tls-options.c reads it). */
  { "tls",         SB_KIND_TLS_CLIENT,  FALSE, NULL,
    "tls://HOST:PORT", NULL },
  { "tls-listen",  SB_KIND_TLS_SERVER,  TRUE,  NULL,
    "tls-listen://:PORT or tls-listen://HOST:PORT", NULL },
  { "dtls",        SB_KIND_DTLS_CLIENT, FALSE, NULL,
    "dtls://HOST:PORT", NULL },
  { "dtls-listen", SB_KIND_DTLS_SERVER, TRUE,  NULL,
    "dtls-listen://:PORT or dtls-listen://HOST:PORT", NULL },
  { "relay",       SB_KIND_RELAY_TCP,   TRUE,  "to",
    "relay://[BIND]:PORT?to=HOST:PORT", "?to=HOST:PORT" },
  { "relay-udp",   SB_KIND_RELAY_UDP,   TRUE,  "to",
    "relay-udp://[BIND]:PORT?to=HOST:PORT", "?to=HOST:PORT" },
  { "relay-unix",  SB_KIND_RELAY_UNIX,  TRUE,  "to",
    "relay-unix:///PATH?to=/PATH", "?to=/PATH" },
  /* ?to= and the TLS options (split_relay_tls_query). */
  { "relay-tls",   SB_KIND_RELAY_TLS,   TRUE,  "to",
    "relay-tls://[BIND]:PORT?to=HOST:PORT", "?to=HOST:PORT" },
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

gboolean
_sb_address_kind_from_scheme (const char *name,
                              SbKind     *kind)
{
  const Scheme *scheme = find_scheme (name, strlen (name));

  if (scheme != NULL)
    *kind = scheme->kind;
  return scheme != NULL;
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
      /* The local side: no host means any address of the target's family. */
      if (spec->has_bind)
        {
          g_string_append (uri, "?bind=");
          append_host_port (uri, spec->bind_host, spec->bind_port);
        }
      break;

    case SB_KIND_TCP_SERVER:
      g_string_append (uri, "tcp-listen://");
      append_host_port (uri, _sb_address_bind_host_or_default (spec), spec->bind_port);
      break;

    case SB_KIND_UDP:
      if (spec->host != NULL)
        {
          g_string_append (uri, "udp://");
          append_host_port (uri, spec->host, spec->port);
          if (spec->has_bind)
            {
              g_string_append (uri, "?bind=");
              append_host_port (uri, _sb_address_bind_host_or_default (spec), spec->bind_port);
            }
        }
      else if (spec->has_bind)
        {
          g_string_append (uri, "udp-listen://");
          append_host_port (uri, _sb_address_bind_host_or_default (spec), spec->bind_port);
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
        _sb_address_append_path (uri, spec->path);
      if (spec->kind == SB_KIND_UNIX_CLIENT && spec->bind_path != NULL)
        {
          g_string_append (uri, "?bind=");
          _sb_address_append_path (uri, spec->bind_path);
        }
      break;

    case SB_KIND_UNIX_DGRAM:
      g_string_append (uri, "unixgram://");
      if (spec->path != NULL)
        _sb_address_append_path (uri, spec->path);
      if (spec->bind_path != NULL)
        {
          g_string_append (uri, "?bind=");
          _sb_address_append_path (uri, spec->bind_path);
        }
      break;

    case SB_KIND_TLS_CLIENT:
    case SB_KIND_DTLS_CLIENT:
      g_string_append (uri, sb_kind_to_scheme (spec->kind));
      g_string_append (uri, "://");
      if (spec->host != NULL)
        append_host_port (uri, spec->host, spec->port);
      sb_tls_options_append (spec->tls, uri);
      break;

    case SB_KIND_TLS_SERVER:
    case SB_KIND_DTLS_SERVER:
      g_string_append (uri, sb_kind_to_scheme (spec->kind));
      g_string_append (uri, "://");
      append_host_port (uri, _sb_address_bind_host_or_default (spec), spec->bind_port);
      sb_tls_options_append (spec->tls, uri);
      break;

    case SB_KIND_ICMP:
      g_string_append (uri, "icmp://");
      if (spec->host != NULL && strchr (spec->host, ':') != NULL)
        g_string_append_printf (uri, "[%s]", spec->host);
      else if (spec->host != NULL)
        g_string_append (uri, spec->host);
      break;

    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UDP:
      g_string_append (uri, sb_kind_to_scheme (spec->kind));
      g_string_append (uri, "://");
      append_host_port (uri, _sb_address_bind_host_or_default (spec), spec->bind_port);
      if (spec->host != NULL)
        {
          g_string_append (uri, "?to=");
          append_host_port (uri, spec->host, spec->port);
        }
      break;

    case SB_KIND_RELAY_TLS:
      g_string_append (uri, "relay-tls://");
      append_host_port (uri, _sb_address_bind_host_or_default (spec), spec->bind_port);
      if (spec->host != NULL)
        {
          g_autoptr(GString) options = g_string_new (NULL);

          g_string_append (uri, "?to=");
          append_host_port (uri, spec->host, spec->port);
          /* "?cert=…&…" goes on after ?to= as "&cert=…&…". */
          sb_tls_options_append (spec->tls, options);
          if (options->len > 0)
            {
              g_string_append_c (uri, '&');
              g_string_append (uri, options->str + 1);
            }
        }
      break;

    case SB_KIND_RELAY_UNIX:
      g_string_append (uri, "relay-unix://");
      if (spec->bind_path != NULL)
        _sb_address_append_path (uri, spec->bind_path);
      if (spec->path != NULL)
        {
          g_string_append (uri, "?to=");
          _sb_address_append_path (uri, spec->path);
        }
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

  if (!_sb_address_split_host_port (text, &host, &port, &has_port, error))
    return FALSE;

  if (host == NULL && default_host == NULL)
    return _sb_address_set_invalid (error, _("“%s” has no host: write it as %s"), shown, usage);

  if (!has_port)
    return _sb_address_set_invalid (error, _("“%s” has no port: write it as %s"), shown, usage);

  if (port == 0 && !local)
    return _sb_address_set_invalid (error,
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
      _sb_address_set_invalid (error, _("“%s” has no path: write it as %s"), shown, usage);
      return NULL;
    }

  path = _sb_address_decode_path (text, len, error);
  if (path == NULL || !_sb_address_check_unix_path (path, error))
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
            return _sb_address_set_invalid (error,
                                            _("“%s” has an unknown option “%s”: %s:// only takes %s"),
                                            uri, key, scheme->scheme, scheme->option_usage);
          if (sb_kind_is_unix (scheme->kind))
            return _sb_address_set_invalid (error,
                                            _("“%s” has an option “%s”, but %s:// takes none (write a “?” in a path as %%3F)"),
                                            uri, key, scheme->scheme);
          return _sb_address_set_invalid (error,
                                          _("“%s” has an option “%s”, but %s:// takes none"),
                                          uri, key, scheme->scheme);
        }

      if (value != NULL)
        return _sb_address_set_invalid (error, _("“%s” gives the option “%s” twice"), uri, key);

      if (eq == NULL || eq[1] == '\0')
        return _sb_address_set_invalid (error,
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
      else if (scheme->kind == SB_KIND_TCP_CLIENT)
        {
          /* tcp://HOST:PORT?bind=[HOST]:PORT: without a host, the client
           * binds any address of the target's family (bind_host NULL). */
          gboolean has_port = FALSE;

          spec->has_bind = TRUE;
          if (!_sb_address_split_host_port (option, &spec->bind_host, &spec->bind_port,
                                            &has_port, error))
            return FALSE;
          if (!has_port)
            return _sb_address_set_invalid (error, _("“%s” has no port: write it as %s"),
                                            shown, scheme->option_usage);
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
    return _sb_address_set_invalid (error, _("“%s” has no host: write it as icmp://HOST"), uri);

  if (authority[0] == '[')
    {
      if (!_sb_address_split_host_port (authority, &host, &port, &has_port, error))
        return FALSE;
    }
  else if (colon != NULL)
    {
      /* One colon is a host and a port; IPv6 has at least two. */
      if (strchr (colon + 1, ':') == NULL)
        has_port = TRUE;
      else if (!_sb_address_check_ipv6 (authority, NULL))
        return _sb_address_set_invalid (error, _("“%s” is not a valid IPv6 address"), authority);
      else
        host = g_strdup (authority);
    }
  else
    {
      if (!_sb_address_check_host_name (authority, error))
        return FALSE;
      host = g_strdup (authority);
    }

  if (has_port || (authority[0] == '[' && strchr (authority, ']')[1] != '\0'))
    return _sb_address_set_invalid (error,
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
  if (scheme->kind == SB_KIND_RELAY_UNIX)
    {
      /* relay-unix:///LISTEN?to=/UPSTREAM: the local side is the path. */
      g_autofree char *shown = NULL;

      spec->bind_path = parse_unix_side (uri, rest, rest_len, scheme->usage, error);
      if (spec->bind_path == NULL)
        return FALSE;
      if (option == NULL)
        return _sb_address_set_invalid (error, _("“%s” has no upstream: write it as %s"),
                                        uri, scheme->usage);
      shown = g_strdup_printf ("?%s=%s", scheme->option, option);
      spec->path = parse_unix_side (shown, option, strlen (option), scheme->option_usage, error);
      return spec->path != NULL;
    }

  if (option != NULL)
    {
      g_autofree char *shown = g_strdup_printf ("?%s=%s", scheme->option, option);

      spec->bind_path = parse_unix_side (shown, option, strlen (option),
                                         scheme->option_usage, error);
      if (spec->bind_path == NULL)
        return FALSE;
    }

  /* unixgram://?bind=/PATH is a bound socket with no target. */
  if (rest_len == 0 && spec->bind_path != NULL && spec->kind == SB_KIND_UNIX_DGRAM)
    return TRUE;

  spec->path = parse_unix_side (uri, rest, rest_len, scheme->usage, error);

  return spec->path != NULL;
}

/* relay-tls://…?to=HOST:PORT&TLS options: takes ?to= out of @query and
 * leaves the rest, "&"-joined, for the TLS options. */
static gboolean
split_relay_tls_query (const char  *uri,
                       const char  *query,
                       char       **to_out,
                       char       **rest_out,
                       GError     **error)
{
  g_auto(GStrv) items = g_strsplit (query, "&", -1);
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autofree char *to = NULL;

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];

      if (g_str_has_prefix (item, "to=") || g_str_equal (item, "to"))
        {
          if (to != NULL)
            return _sb_address_set_invalid (error, _("“%s” gives the option “%s” twice"), uri, "to");
          if (item[2] == '\0' || item[3] == '\0')
            return _sb_address_set_invalid (error,
                                            _("The option “%s” in “%s” has no value: write it as %s"),
                                            "to", uri, "?to=HOST:PORT");
          to = g_strdup (item + 3);
          continue;
        }
      if (item[0] == '\0')
        continue;
      g_string_append_printf (rest, "%s%s", rest->len > 0 ? "&" : "", item);
    }

  *to_out = g_steal_pointer (&to);
  *rest_out = g_string_free (g_steal_pointer (&rest), FALSE);
  return TRUE;
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
      _sb_address_set_invalid (error,
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
        _sb_address_set_invalid (error,
                                 _("“%s” is missing “//” after “%s:”: write it as %s"),
                                 uri, bare->scheme, bare->usage);
      else
        _sb_address_set_invalid (error,
                                 _("“%s” is not a session URI: use tcp://, tcp-listen://, udp://, udp-listen://, unix://, unix-listen://, unixgram://, icmp://, tls://, tls-listen://, dtls://, dtls-listen://, relay://, relay-udp://, relay-unix:// or relay-tls://"),
                                 uri);
      return NULL;
    }

  /* Not sb_session_spec_new(): the URI alone decides what is bound. */
  spec = g_new0 (SbSessionSpec, 1);
  spec->kind = scheme->kind;

  rest = separator + 3;
  query = strchr (rest, '?');
  rest_len = query != NULL ? (gsize) (query - rest) : strlen (rest);

  if (query != NULL && scheme->kind == SB_KIND_RELAY_TLS)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *tls_query = NULL;

      if (!split_relay_tls_query (uri, query + 1, &option, &tls_query, error))
        return NULL;
      spec->tls = sb_tls_options_parse_relay (uri, tls_query, &local_error);
      if (spec->tls == NULL)
        {
          _sb_address_set_invalid (error, "%s", local_error->message);
          return NULL;
        }
      if (sb_tls_options_is_empty (spec->tls))
        g_clear_pointer (&spec->tls, sb_tls_options_free);
    }
  else if (query != NULL && sb_kind_is_tls (scheme->kind))
    {
      g_autoptr(GError) local_error = NULL;

      spec->tls = sb_tls_options_parse (uri, query + 1, scheme->local, &local_error);
      if (spec->tls == NULL)
        {
          _sb_address_set_invalid (error, "%s", local_error->message);
          return NULL;
        }
      if (sb_tls_options_is_empty (spec->tls))
        g_clear_pointer (&spec->tls, sb_tls_options_free);
    }
  else if (query != NULL && !parse_query (uri, scheme, query + 1, &option, error))
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

      if (sb_kind_is_relay (scheme->kind) && spec->host == NULL)
        {
          _sb_address_set_invalid (error, _("“%s” has no upstream: write it as %s"),
                                   uri, scheme->usage);
          return NULL;
        }
    }

  return g_steal_pointer (&spec);
}
