/* sb-codec-hex.c — bytes as hex pairs, and hex text parsed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-codec"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec-private.h"

char *
sb_codec_format_hex (const guint8 *data,
                     gsize         len)
{
  char *text;
  gsize i;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len < G_MAXSIZE / 3, NULL);

  if (len == 0)
    return g_strdup ("");

  text = g_malloc (3 * len);
  for (i = 0; i < len; i++)
    {
      text[3 * i] = hex_digits[data[i] >> 4];
      text[3 * i + 1] = hex_digits[data[i] & 0xf];
      text[3 * i + 2] = ' ';
    }
  text[3 * len - 1] = '\0';

  return text;
}

static inline gboolean
is_hex_separator (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
         c == ',' || c == ':' || c == '-';
}

/* @text is valid UTF-8 and may lack a terminating nul. Positions are counted
 * only when an error is reported, to stay linear. */
GBytes *
_sb_codec_parse_hex (const char  *text,
           gsize        len,
           glong       *error_pos,
           GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (len / 2 + 1);
  const char *end = text + len;
  const char *p = text;

  while (p < end)
    {
      const char *token = p;
      const char *digits;
      glong pos;

      if (is_hex_separator (*p))
        {
          p++;
          continue;
        }

      if (*p == '0' && p + 1 < end && (p[1] == 'x' || p[1] == 'X'))
        p += 2;

      digits = p;
      while (p < end && g_ascii_isxdigit (*p))
        p++;

      if (p < end && !is_hex_separator (*p))
        {
          g_autofree char *ch = _sb_codec_dup_char (p);

          pos = g_utf8_pointer_to_offset (text, p);
          if (error_pos != NULL)
            *error_pos = pos;
          g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_HEX,
                       _("“%s” at position %ld is not a hexadecimal digit"),
                       ch, pos + 1);
          return NULL;
        }

      if (p == digits)
        {
          pos = g_utf8_pointer_to_offset (text, token);
          if (error_pos != NULL)
            *error_pos = pos;
          g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_HEX,
                       _("“%.2s” at position %ld is not followed by hexadecimal digits"),
                       token, pos + 1);
          return NULL;
        }

      if ((p - digits) % 2 != 0)
        {
          g_autofree char *shown = NULL;

          if (p - token > 16)
            shown = g_strdup_printf ("%.16s…", token);
          else
            shown = g_strndup (token, p - token);

          pos = g_utf8_pointer_to_offset (text, token);
          if (error_pos != NULL)
            *error_pos = pos;
          g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_HEX,
                       _("“%s” at position %ld has an odd number of hex digits"),
                       shown, pos + 1);
          return NULL;
        }

      for (; digits < p; digits += 2)
        {
          guint8 byte = (guint8) (g_ascii_xdigit_value (digits[0]) << 4 |
                                  g_ascii_xdigit_value (digits[1]));

          g_byte_array_append (out, &byte, 1);
        }
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
sb_codec_parse_hex (const char  *text,
                    glong       *error_pos,
                    GError     **error)
{
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_pos != NULL)
    *error_pos = -1;

  len = strlen (text);
  if (!_sb_codec_check_text (text, len, error_pos, error))
    return NULL;

  return _sb_codec_parse_hex (text, len, error_pos, error);
}

