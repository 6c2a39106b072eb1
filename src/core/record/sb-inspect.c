/* sb-inspect.c — how a message's bytes make its characters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-inspect"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "sb-codec.h"
#include "sb-inspect.h"

/* No encoding we offer needs more bytes for one character. */
#define MAX_UNIT 4

static void
push (GArray     *units,
      guint       offset,
      guint       length,
      SbUnitKind  kind,
      const char *text,
      gsize       text_len)
{
  SbUnit unit = { .offset = offset, .length = length, .kind = kind };

  if (text != NULL)
    memcpy (unit.text, text, MIN (text_len, sizeof unit.text - 1));
  g_array_append_val (units, unit);
}

static void
units_utf8 (GArray       *units,
            const guint8 *data,
            gsize         len)
{
  gsize pos = 0;

  while (pos < len)
    {
      gunichar c;

      /* NUL is a character of its own; GLib reads it as the end of a string. */
      if (data[pos] == 0)
        {
          push (units, pos, 1, SB_UNIT_CHAR, NULL, 0);
          pos++;
          continue;
        }

      c = g_utf8_get_char_validated ((const char *) data + pos, MIN (len - pos, MAX_UNIT));

      if (c == (gunichar) -2)
        {
          /* A valid start that the message ends in the middle of. */
          push (units, pos, len - pos, SB_UNIT_INCOMPLETE, NULL, 0);
          return;
        }

      if (c == (gunichar) -1 || (c == 0 && data[pos] != 0))
        {
          push (units, pos, 1, SB_UNIT_INVALID, NULL, 0);
          pos++;
          continue;
        }

      {
        char text[8];
        int n = g_unichar_to_utf8 (c, text);

        push (units, pos, n, SB_UNIT_CHAR, text, n);
        pos += n;
      }
    }
}

/* Tries ever longer prefixes at each position: iconv says whether they are
 * a character, the start of one (EINVAL), or not valid (EILSEQ). */
static gboolean
units_iconv (GArray        *units,
             const char    *encoding,
             const guint8  *data,
             gsize          len,
             GError       **error)
{
  GIConv cd = g_iconv_open ("UTF-8", encoding);
  gsize pos = 0;

  if (cd == (GIConv) -1)
    {
      g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED,
                   _("The encoding “%s” is not supported"), encoding);
      return FALSE;
    }

  while (pos < len)
    {
      gsize k;

      for (k = 1; k <= MAX_UNIT; k++)
        {
          char out[32];
          char *in = (char *) data + pos;
          char *outp = out;
          gsize in_left = k;
          gsize out_left = sizeof out;
          gsize result;

          g_iconv (cd, NULL, NULL, NULL, NULL);
          result = g_iconv (cd, &in, &in_left, &outp, &out_left);

          if (result != (gsize) -1 && in_left == 0)
            {
              /* Some converters hold a character back until flushed. */
              g_iconv (cd, NULL, NULL, &outp, &out_left);
              push (units, pos, k, SB_UNIT_CHAR, out, sizeof out - out_left);
              break;
            }

          if (result == (gsize) -1 && errno == EINVAL && k < MAX_UNIT)
            {
              if (pos + k >= len)
                {
                  push (units, pos, len - pos, SB_UNIT_INCOMPLETE, NULL, 0);
                  g_iconv_close (cd);
                  return TRUE;
                }
              continue;
            }

          /* EILSEQ, or too long: the first byte cannot start anything here. */
          push (units, pos, 1, SB_UNIT_INVALID, NULL, 0);
          k = 1;
          break;
        }

      pos += k;
    }

  g_iconv_close (cd);
  return TRUE;
}

GArray *
sb_inspect_units (const char    *encoding,
                  const guint8  *data,
                  gsize          len,
                  GError       **error)
{
  const char *canonical;
  g_autoptr(GArray) units = NULL;

  g_return_val_if_fail (encoding != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  canonical = sb_codec_canonical_name (encoding);
  if (canonical == NULL)
    {
      g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED,
                   _("The encoding “%s” is not supported"), encoding);
      return NULL;
    }

  units = g_array_sized_new (FALSE, FALSE, sizeof (SbUnit), len);

  if (g_str_equal (canonical, SB_ENCODING_HEX))
    {
      for (gsize i = 0; i < len; i++)
        {
          char text[3];

          g_snprintf (text, sizeof text, "%02x", data[i]);
          push (units, i, 1, SB_UNIT_CHAR, text, 2);
        }
    }
  else if (g_str_equal (canonical, "UTF-8"))
    {
      units_utf8 (units, data, len);
    }
  else if (!units_iconv (units, canonical, data, len, error))
    {
      return NULL;
    }

  return g_steal_pointer (&units);
}

char *
sb_inspect_describe (const SbUnit *unit,
                     const char   *encoding,
                     const guint8 *data,
                     gsize         len)
{
  const char *name;
  guint8 byte;

  g_return_val_if_fail (unit != NULL, NULL);
  g_return_val_if_fail (unit->offset < len, NULL);

  name = sb_codec_canonical_name (encoding);
  if (name == NULL)
    name = encoding;
  byte = data[unit->offset];

  switch (unit->kind)
    {
    case SB_UNIT_CHAR:
      return NULL;

    case SB_UNIT_INCOMPLETE:
      /* Translators: %s is an encoding name, e.g. "GBK" */
      return g_strdup_printf (_("The message ends in the middle of a %s character"), name);

    case SB_UNIT_INVALID:
    default:
      break;
    }

  if (g_str_equal (name, "UTF-8"))
    {
      if (byte >= 0x80 && byte <= 0xbf)
        return g_strdup_printf (_("0x%02x continues a UTF-8 character, but no character started before it"), byte);
      if (byte == 0xc0 || byte == 0xc1 || byte >= 0xf5)
        return g_strdup_printf (_("0x%02x never appears in UTF-8"), byte);
      return g_strdup_printf (_("0x%02x starts a UTF-8 character, but the bytes after it do not continue it"), byte);
    }

  /* Would a longer run of bytes have been a character? Then the lead was
   * fine and what followed it was not. */
  if (unit->offset + 1 < len)
    {
      g_autoptr(GArray) alone = sb_inspect_units (name, &byte, 1, NULL);

      if (alone != NULL && g_array_index (alone, SbUnit, 0).kind == SB_UNIT_INCOMPLETE)
        {
          /* Translators: "0xc4 starts a GBK character, but 0x20 cannot follow it" */
          return g_strdup_printf (_("0x%02x starts a %s character, but 0x%02x cannot follow it"),
                                  byte, name, data[unit->offset + 1]);
        }
    }

  /* Translators: "0xff cannot start a GBK character" */
  return g_strdup_printf (_("0x%02x cannot start a %s character"), byte, name);
}
