/* sb-codec-encode.c — text to bytes, plain or with escapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-codec"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-codec-private.h"

/* Encoding */

static void
set_unencodable (const CodecEntry  *entry,
                 const char        *p,
                 glong              pos,
                 glong             *error_pos,
                 GError           **error)
{
  g_autofree char *ch = _sb_codec_dup_char (p);

  if (error_pos != NULL)
    *error_pos = pos;
  g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNENCODABLE,
               _("“%s” (U+%04X) at position %ld cannot be written in %s"),
               ch, g_utf8_get_char (p), pos + 1, entry->info.name);
}

/* Runs all of @in through @cd, flushing any state at the end. On failure
 * *@stop is where the conversion stopped. */
static gboolean
iconv_all (GIConv       cd,
           const char  *in,
           gsize        len,
           GByteArray  *out,
           const char **stop)
{
  gchar *inbuf = (gchar *) in;
  gsize inleft = len;
  gboolean flushing = FALSE;

  for (;;)
    {
      guint done = out->len;
      gsize room = MAX (2 * inleft, 32);
      gchar *outbuf;
      gsize outleft = room;
      gsize r;
      int saved_errno;

      g_byte_array_set_size (out, done + room);
      outbuf = (gchar *) out->data + done;

      if (flushing)
        r = g_iconv (cd, NULL, NULL, &outbuf, &outleft);
      else
        r = g_iconv (cd, &inbuf, &inleft, &outbuf, &outleft);
      saved_errno = errno;

      g_byte_array_set_size (out, (guint8 *) outbuf - out->data);

      if (r == (gsize) -1)
        {
          if (saved_errno == E2BIG)
            continue;
          *stop = inbuf;
          return FALSE;
        }

      if (flushing)
        return TRUE;
      flushing = TRUE;
    }
}

/* Encodes @len bytes of UTF-8 (already validated, may hold U+0000) at
 * character @base of the user's text. glibc writes some characters it cannot
 * read back (Shift_JIS "\" becomes ¥, Plane 14 tags vanish), so the bytes are
 * decoded again and any difference reported as unencodable. */
static gboolean
encode_run (const CodecEntry  *entry,
            const char        *text,
            gsize              len,
            glong              base,
            GByteArray        *out,
            glong             *error_pos,
            GError           **error)
{
  g_autoptr(GByteArray) back = NULL;
  const char *stop = NULL;
  const char *back_stop = NULL;
  guint start = out->len;
  gsize converted;
  gboolean back_ok;
  GIConv to;
  GIConv from;
  gboolean ok;
  gsize i;

  if (len == 0)
    return TRUE;

  if (entry->kind == CODEC_UTF8)
    {
      g_byte_array_append (out, (const guint8 *) text, len);
      return TRUE;
    }

  to = g_iconv_open (entry->iconv_name, "UTF-8");
  from = g_iconv_open ("UTF-8", entry->iconv_name);
  if (to == (GIConv) -1 || from == (GIConv) -1)
    {
      if (to != (GIConv) -1)
        g_iconv_close (to);
      if (from != (GIConv) -1)
        g_iconv_close (from);
      g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED,
                   _("The encoding “%s” is not supported"), entry->info.name);
      return FALSE;
    }

  ok = iconv_all (to, text, len, out, &stop);
  g_iconv_close (to);

  /* When iconv stops at a character it has no code for, what it wrote
   * before still needs the read-back check: an earlier character that it
   * wrote but cannot read back is the first one to report. */
  converted = ok ? len : (gsize) (stop - text);
  back = g_byte_array_sized_new (converted + 16);
  back_ok = iconv_all (from, (const char *) out->data + start, out->len - start, back, &back_stop);
  g_iconv_close (from);

  if (back_ok && back->len == converted && memcmp (back->data, text, converted) == 0)
    {
      if (ok)
        return TRUE;

      g_byte_array_set_size (out, start);
      set_unencodable (entry, stop, base + g_utf8_pointer_to_offset (text, stop),
                       error_pos, error);
      return FALSE;
    }

  /* The first character that differs is the one that did not survive. */
  for (i = 0; i < converted && i < back->len && text[i] == (char) back->data[i]; i++)
    ;
  if (i >= converted)
    i = g_utf8_prev_char (text + converted) - text;
  while (i > 0 && (text[i] & 0xc0) == 0x80)
    i--;

  g_byte_array_set_size (out, start);
  set_unencodable (entry, text + i, base + g_utf8_pointer_to_offset (text, text + i),
                   error_pos, error);
  return FALSE;
}

GBytes *
sb_codec_encode (const char  *encoding,
                 const char  *text,
                 gssize       len,
                 glong       *error_pos,
                 GError     **error)
{
  g_autoptr(GByteArray) out = NULL;
  const CodecEntry *entry;

  g_return_val_if_fail (encoding != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_pos != NULL)
    *error_pos = -1;

  entry = _sb_codec_lookup_entry (encoding, error);
  if (entry == NULL)
    return NULL;

  if (text == NULL)
    text = "";
  if (len < 0)
    len = strlen (text);

  if (!_sb_codec_check_text (text, len, error_pos, error))
    return NULL;

  if (entry->kind == CODEC_HEX)
    return _sb_codec_parse_hex (text, len, error_pos, error);

  out = g_byte_array_sized_new (2 * len + 16);
  if (!encode_run (entry, text, len, 0, out, error_pos, error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static void
set_invalid_escape (const char  *text,
                    const char  *p,
                    const char  *end,
                    glong       *error_pos,
                    GError     **error)
{
  glong pos = g_utf8_pointer_to_offset (text, p);
  g_autofree char *shown = NULL;

  if (error_pos != NULL)
    *error_pos = pos;

  if (p + 1 >= end)
    {
      g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_ESCAPE,
                   _("“\\” at position %ld ends the text; write “\\\\” for a backslash"),
                   pos + 1);
    }
  else if (p[1] == 'x')
    {
      const char *q = p + 2;
      guint i;

      /* Show what was there instead of two hex digits. */
      for (i = 0; i < 2 && q < end; i++)
        q = g_utf8_next_char (q);
      shown = g_strndup (p, q - p);
      g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_ESCAPE,
                   _("“%s” at position %ld is not a valid escape: \\x needs two hexadecimal digits"),
                   shown, pos + 1);
    }
  else if (p[1] == 'u')
    {
      const char *q = p + 2;
      guint i;

      for (i = 0; i < 4 && q < end; i++)
        q = g_utf8_next_char (q);
      shown = g_strndup (p, q - p);
      g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_ESCAPE,
                   _("“%s” at position %ld is not a valid escape: \\u needs four hexadecimal digits of a character"),
                   shown, pos + 1);
    }
  else
    {
      shown = g_strndup (p, g_utf8_next_char (p + 1) - p);
      g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_ESCAPE,
                   _("“%s” at position %ld is not a valid escape; use \\r, \\n, \\t, \\\\, \\0, \\xNN or \\uNNNN"),
                   shown, pos + 1);
    }
}

GBytes *
sb_codec_encode_escaped (const char  *encoding,
                         const char  *text,
                         gssize       len,
                         glong       *error_pos,
                         GError     **error)
{
  g_autoptr(GByteArray) out = NULL;
  const CodecEntry *entry;
  const char *p;
  const char *end;
  const char *run;
  glong pos = 0;
  glong run_pos = 0;

  g_return_val_if_fail (encoding != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (error_pos != NULL)
    *error_pos = -1;

  entry = _sb_codec_lookup_entry (encoding, error);
  if (entry == NULL)
    return NULL;

  if (text == NULL)
    text = "";
  if (len < 0)
    len = strlen (text);

  if (!_sb_codec_check_text (text, len, error_pos, error))
    return NULL;

  /* Hex is already a way of writing raw bytes. */
  if (entry->kind == CODEC_HEX)
    return _sb_codec_parse_hex (text, len, error_pos, error);

  out = g_byte_array_sized_new (2 * len + 16);
  end = text + len;
  p = run = text;

  while (p < end)
    {
      const char *ch = NULL;
      guint8 byte;

      if (*p != '\\')
        {
          p = g_utf8_next_char (p);
          pos++;
          continue;
        }

      if (!encode_run (entry, run, p - run, run_pos, out, error_pos, error))
        return NULL;

      if (p + 1 >= end)
        {
          set_invalid_escape (text, p, end, error_pos, error);
          return NULL;
        }

      /* Character escapes go through the encoding (\n is 0a 00 in UTF-16LE);
       * only \xNN is a raw byte. */
      switch (p[1])
        {
        case 'r':  ch = "\r"; break;
        case 'n':  ch = "\n"; break;
        case 't':  ch = "\t"; break;
        case '\\': ch = "\\"; break;
        case '0':  ch = ""; break;  /* U+0000, one byte long */
        case 'x':
          if (end - p < 4 || !g_ascii_isxdigit (p[2]) || !g_ascii_isxdigit (p[3]))
            {
              set_invalid_escape (text, p, end, error_pos, error);
              return NULL;
            }
          byte = (guint8) (g_ascii_xdigit_value (p[2]) << 4 | g_ascii_xdigit_value (p[3]));
          g_byte_array_append (out, &byte, 1);
          p += 4;
          pos += 4;
          break;
        case 'u':
          {
            gunichar c = 0;
            char utf8[6];
            int n;

            for (n = 2; n < 6 && p + n < end && g_ascii_isxdigit (p[n]); n++)
              c = c << 4 | g_ascii_xdigit_value (p[n]);
            if (n != 6 || !g_unichar_validate (c))
              {
                set_invalid_escape (text, p, end, error_pos, error);
                return NULL;
              }

            /* A character, so it goes through the encoding like text. */
            n = g_unichar_to_utf8 (c, utf8);
            if (!encode_run (entry, utf8, n, pos, out, error_pos, error))
              return NULL;
            p += 6;
            pos += 6;
          }
          break;
        default:
          set_invalid_escape (text, p, end, error_pos, error);
          return NULL;
        }

      if (ch != NULL)
        {
          if (!encode_run (entry, ch, 1, pos, out, error_pos, error))
            return NULL;
          p += 2;
          pos += 2;
        }

      run = p;
      run_pos = pos;
    }

  if (!encode_run (entry, run, end - run, run_pos, out, error_pos, error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
