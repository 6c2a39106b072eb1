/* sb-tls-options.c — how a TLS session is set up, and its URI query
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-tls"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-tls-options.h"

/* Errors are G_IO_ERROR_INVALID_ARGUMENT; the URI parser passes them on
 * as its own. */
static gboolean G_GNUC_PRINTF (2, 3)
set_invalid (GError     **error,
             const char  *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, format, args));
  va_end (args);
  return FALSE;
}

static char *
decode_value (const char  *uri,
              const char  *key,
              const char  *text,
              GError     **error)
{
  char *value = g_uri_unescape_string (text, NULL);

  if (value == NULL)
    set_invalid (error, _("The option “%s” in “%s” has a bad escape or a %%00: write a “%%” as %%25"), key, uri);
  return value;
}

/* What the parser treats specially, spaces, control bytes and bytes that
 * are not UTF-8 are escaped. */
static void
append_value (GString    *out,
              const char *value)
{
  gboolean utf8 = g_utf8_validate (value, -1, NULL);

  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      if (*p <= 0x20 || *p == 0x7f || strchr ("%?#&", *p) != NULL || (*p >= 0x80 && !utf8))
        g_string_append_printf (out, "%%%02X", *p);
      else
        g_string_append_c (out, (char) *p);
    }
}

typedef enum
{
  OPT_CERT,
  OPT_KEY,
  OPT_CA,
  OPT_SNI,
  OPT_ALPN,
  OPT_INSECURE,
  OPT_SELF_SIGNED,
  OPT_KEYLOG,
} OptionId;

typedef enum
{
  SIDE_CLIENT,
  SIDE_SERVER,
  SIDE_RELAY,
} Side;

typedef struct
{
  const char *key;
  OptionId    id;
  gboolean    flag;
  gboolean    client;
  gboolean    server;
} Option;

/* In the order the URI writes them. */
static const Option options_table[] = {
  { "cert",        OPT_CERT,        FALSE, TRUE,  TRUE  },
  { "key",         OPT_KEY,         FALSE, TRUE,  TRUE  },
  { "self-signed", OPT_SELF_SIGNED, TRUE,  FALSE, TRUE  },
  { "ca",          OPT_CA,          FALSE, TRUE,  TRUE  },
  { "sni",         OPT_SNI,         FALSE, TRUE,  FALSE },
  { "alpn",        OPT_ALPN,        FALSE, TRUE,  TRUE  },
  { "insecure",    OPT_INSECURE,    TRUE,  TRUE,  TRUE  },
  { "keylog",      OPT_KEYLOG,      FALSE, TRUE,  TRUE  },
};

SbTlsOptions *
sb_tls_options_new (void)
{
  return g_new0 (SbTlsOptions, 1);
}

SbTlsOptions *
sb_tls_options_copy (const SbTlsOptions *options)
{
  SbTlsOptions *copy;

  g_return_val_if_fail (options != NULL, NULL);

  copy = g_new0 (SbTlsOptions, 1);
  *copy = *options;
  copy->cert_file = g_strdup (options->cert_file);
  copy->key_file = g_strdup (options->key_file);
  copy->ca_file = g_strdup (options->ca_file);
  copy->sni = g_strdup (options->sni);
  copy->alpn = g_strdup (options->alpn);
  copy->keylog_file = g_strdup (options->keylog_file);
  copy->identity_pem = g_strdup (options->identity_pem);

  return copy;
}

void
sb_tls_options_free (SbTlsOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->cert_file);
  g_free (options->key_file);
  g_free (options->ca_file);
  g_free (options->sni);
  g_free (options->alpn);
  g_free (options->keylog_file);
  g_free (options->identity_pem);
  g_free (options);
}

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static char **
slot_of (SbTlsOptions *options,
         OptionId      id)
{
  switch (id)
    {
    case OPT_CERT:   return &options->cert_file;
    case OPT_KEY:    return &options->key_file;
    case OPT_CA:     return &options->ca_file;
    case OPT_SNI:    return &options->sni;
    case OPT_ALPN:   return &options->alpn;
    case OPT_KEYLOG: return &options->keylog_file;
    case OPT_INSECURE:
    case OPT_SELF_SIGNED:
    default:         return NULL;
    }
}

static gboolean *
flag_of (SbTlsOptions *options,
         OptionId      id)
{
  return id == OPT_INSECURE ? &options->insecure : &options->self_signed;
}

gboolean
sb_tls_options_equal (const SbTlsOptions *a,
                      const SbTlsOptions *b)
{
  SbTlsOptions empty = { 0 };

  if (a == NULL)
    a = &empty;
  if (b == NULL)
    b = &empty;

  for (guint i = 0; i < G_N_ELEMENTS (options_table); i++)
    {
      const Option *option = &options_table[i];

      if (option->flag)
        {
          if (!*flag_of ((SbTlsOptions *) a, option->id) != !*flag_of ((SbTlsOptions *) b, option->id))
            return FALSE;
        }
      else if (g_strcmp0 (nonempty (*slot_of ((SbTlsOptions *) a, option->id)),
                          nonempty (*slot_of ((SbTlsOptions *) b, option->id))) != 0)
        {
          return FALSE;
        }
    }

  /* A spec from the fields does not carry the certificate its setup keeps. */
  return a->identity_pem == NULL || b->identity_pem == NULL ||
         g_str_equal (a->identity_pem, b->identity_pem);
}

gboolean
sb_tls_options_is_empty (const SbTlsOptions *options)
{
  return sb_tls_options_equal (options, NULL);
}

static gboolean
parse_flag (const char  *uri,
            const char  *key,
            const char  *value,
            gboolean    *flag,
            GError     **error)
{
  if (value == NULL || g_ascii_strcasecmp (value, "1") == 0 ||
      g_ascii_strcasecmp (value, "true") == 0 || g_ascii_strcasecmp (value, "yes") == 0)
    {
      *flag = TRUE;
      return TRUE;
    }
  if (g_ascii_strcasecmp (value, "0") == 0 || g_ascii_strcasecmp (value, "false") == 0 ||
      g_ascii_strcasecmp (value, "no") == 0)
    {
      *flag = FALSE;
      return TRUE;
    }

  return set_invalid (error,
                                  _("The option “%s” in “%s” is “%s”: write %s=1 or %s=0"),
                                  key, uri, value, key, key);
}

static gboolean
check_alpn (const char  *uri,
            const char  *alpn,
            GError     **error)
{
  g_auto(GStrv) names = g_strsplit (alpn, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      gsize len = strlen (names[i]);

      if (len == 0 || len > 255)
        return set_invalid (error,
                                        _("The ALPN list “%s” in “%s” has an empty or too long name: write names separated by commas, e.g. h2,http/1.1"),
                                        alpn, uri);
    }

  return TRUE;
}

gboolean
sb_tls_options_check (const SbTlsOptions  *options,
                      const char          *where,
                      GError             **error)
{
  if (options == NULL)
    return TRUE;

  if (options->self_signed && options->cert_file != NULL)
    return set_invalid (error,
                                    _("“%s” gives both a certificate and self-signed=1: choose one"), where);
  if (options->key_file != NULL && options->cert_file == NULL)
    return set_invalid (error, _("“%s” gives a key but no certificate: add cert=FILE"), where);
  if (options->alpn != NULL && !check_alpn (where, options->alpn, error))
    return FALSE;

  return TRUE;
}

static void
set_unknown_option (GError     **error,
                    Side         side,
                    const char  *uri,
                    const char  *key)
{
  if (side == SIDE_SERVER)
    set_invalid (error, _("“%s” has an unknown option “%s”: a TLS server takes cert, key, self-signed, ca, alpn, insecure and keylog"),
                 uri, key);
  else if (side == SIDE_RELAY)
    set_invalid (error, _("“%s” has an unknown option “%s”: a TLS relay takes to, cert, key, self-signed, ca, sni, alpn, insecure and keylog"),
                 uri, key);
  else
    set_invalid (error, _("“%s” has an unknown option “%s”: a TLS client takes cert, key, ca, sni, alpn, insecure and keylog"),
                 uri, key);
}

static SbTlsOptions *
parse_side (const char  *uri,
            const char  *query,
            Side         side,
            GError     **error)
{
  g_autoptr(SbTlsOptions) options = sb_tls_options_new ();
  g_auto(GStrv) items = NULL;
  guint seen = 0;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  items = g_strsplit (query, "&", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      const char *eq = strchr (item, '=');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;
      const Option *option = NULL;

      if (item[0] == '\0')
        continue;

      key = eq != NULL ? g_strndup (item, eq - item) : g_strdup (item);
      for (guint j = 0; j < G_N_ELEMENTS (options_table); j++)
        {
          /* A relay takes every option: each keeps one meaning there
           * (sb-address.h says which leg it sets). */
          if (g_str_equal (options_table[j].key, key) &&
              (side == SIDE_RELAY ||
               (side == SIDE_SERVER ? options_table[j].server : options_table[j].client)))
            option = &options_table[j];
        }

      if (option == NULL)
        {
          set_unknown_option (error, side, uri, key);
          return NULL;
        }

      if (seen & (1u << option->id))
        {
          set_invalid (error, _("“%s” gives the option “%s” twice"), uri, key);
          return NULL;
        }
      seen |= 1u << option->id;

      if (eq != NULL)
        {
          value = decode_value (uri, key, eq + 1, error);
          if (value == NULL)
            return NULL;
        }

      if (option->flag)
        {
          if (!parse_flag (uri, key, value, flag_of (options, option->id), error))
            return NULL;
          continue;
        }

      if (value == NULL || value[0] == '\0')
        {
          set_invalid (error, _("The option “%s” in “%s” has no value: write it as %s=VALUE"),
                                   key, uri, key);
          return NULL;
        }
      if (option->id == OPT_ALPN && !check_alpn (uri, value, error))
        return NULL;

      *slot_of (options, option->id) = g_steal_pointer (&value);
    }

  if (!sb_tls_options_check (options, uri, error))
    return NULL;

  return g_steal_pointer (&options);
}

SbTlsOptions *
sb_tls_options_parse (const char  *uri,
                      const char  *query,
                      gboolean     server,
                      GError     **error)
{
  return parse_side (uri, query, server ? SIDE_SERVER : SIDE_CLIENT, error);
}

SbTlsOptions *
sb_tls_options_parse_relay (const char  *uri,
                            const char  *query,
                            GError     **error)
{
  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);

  return parse_side (uri, query, SIDE_RELAY, error);
}

void
sb_tls_options_append (const SbTlsOptions *options,
                       GString            *uri)
{
  gboolean first = TRUE;

  g_return_if_fail (uri != NULL);

  if (options == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (options_table); i++)
    {
      const Option *option = &options_table[i];
      const char *value = NULL;

      if (option->flag)
        {
          if (!*flag_of ((SbTlsOptions *) options, option->id))
            continue;
        }
      else if ((value = nonempty (*slot_of ((SbTlsOptions *) options, option->id))) == NULL)
        {
          continue;
        }

      g_string_append_c (uri, first ? '?' : '&');
      first = FALSE;
      g_string_append (uri, option->key);
      g_string_append_c (uri, '=');
      if (value != NULL)
        append_value (uri, value);
      else
        g_string_append_c (uri, '1');
    }
}

char **
sb_tls_options_get_alpn (const SbTlsOptions *options)
{
  if (options == NULL || nonempty (options->alpn) == NULL)
    return NULL;

  return g_strsplit (options->alpn, ",", -1);
}
