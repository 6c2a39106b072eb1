/* fuzz-hex.c — sb_codec_parse_hex and sb_codec_format_hex
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [mode] text…
 *
 * The grammar (sb-codec.h): separators are blanks, tabs, newlines, CR,
 * commas, colons and dashes; everything else is tokens of an optional 0x/0X
 * and then an even, non-zero number of hex digits. A reference parser here
 * follows that grammar; the codec must accept exactly when it does, give
 * the same bytes, and otherwise fail with INVALID_HEX at a character index
 * inside the text (INVALID_TEXT at the first bad byte when not UTF-8).
 * format_hex → parse_hex gives any bytes back, and format_hex output is
 * lower case, one space between bytes.
 */
#include "config.h"

#include "sb-codec.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gboolean
is_sep (char c)
{
  return c != '\0' && strchr (" \t\n\r,:-", c) != NULL;
}

/* Returns the bytes, or NULL when the grammar rejects @text. */
static GByteArray *
reference_parse (const char *text)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  GString *token = g_string_new (NULL);
  const char *p = text;

  for (;; p++)
    {
      if (*p != '\0' && !is_sep (*p))
        {
          g_string_append_c (token, *p);
          continue;
        }

      if (token->len > 0)
        {
          const char *d = token->str;
          gsize n;

          if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
            d += 2;
          n = strlen (d);
          if (n == 0 || n % 2 != 0)
            goto fail;
          for (gsize i = 0; i < n; i++)
            if (!g_ascii_isxdigit (d[i]))
              goto fail;
          for (gsize i = 0; i < n; i += 2)
            {
              guint8 b = (guint8) (g_ascii_xdigit_value (d[i]) << 4 | g_ascii_xdigit_value (d[i + 1]));
              g_byte_array_append (out, &b, 1);
            }
          g_string_truncate (token, 0);
        }

      if (*p == '\0')
        break;
    }

  g_string_free (token, TRUE);
  return g_steal_pointer (&out);

fail:
  g_string_free (token, TRUE);
  return NULL;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  guint8 mode = fuzz_byte (&in);

  fuzz_init_glib ();

  if (mode & 1)
    {
      /* Any bytes: format, then parse back. */
      g_autofree char *text = sb_codec_format_hex (in.data, in.len);
      g_autoptr(GBytes) back = NULL;
      g_autoptr(GError) error = NULL;
      glong pos = -2;

      FUZZ_CHECK (strlen (text) == (in.len ? 3 * in.len - 1 : 0), "format_hex length");
      for (gsize i = 0; text[i]; i++)
        FUZZ_CHECK ((i % 3 == 2) ? text[i] == ' ' : strchr ("0123456789abcdef", text[i]) != NULL,
                    "format_hex: unexpected '%c' at %zu", text[i], i);
      back = sb_codec_parse_hex (text, &pos, &error);
      FUZZ_CHECK (back != NULL && error == NULL && pos == -1, "format_hex output does not parse");
      FUZZ_CHECK (fuzz_bytes_equal (back, in.data, in.len), "format_hex → parse_hex changed the bytes");
      return 0;
    }

  {
    g_autofree char *text = g_strndup ((const char *) in.data, in.len);  /* up to a NUL */
    g_autoptr(GByteArray) expected = NULL;
    g_autoptr(GBytes) got = NULL;
    g_autoptr(GBytes) got_via_encode = NULL;
    g_autoptr(GError) error = NULL;
    const char *end;
    glong pos = -2;

    got = sb_codec_parse_hex (text, &pos, &error);
    got_via_encode = sb_codec_encode (SB_ENCODING_HEX, text, -1, NULL, NULL);

    FUZZ_CHECK ((got == NULL) == (got_via_encode == NULL) &&
                (got == NULL || g_bytes_equal (got, got_via_encode)),
                "sb_codec_encode (\"hex\") differs from sb_codec_parse_hex");

    if (!g_utf8_validate (text, -1, &end))
      {
        FUZZ_CHECK (got == NULL && g_error_matches (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT),
                    "not UTF-8 but not INVALID_TEXT");
        FUZZ_CHECK (pos == g_utf8_pointer_to_offset (text, end), "INVALID_TEXT position %ld", pos);
        return 0;
      }

    expected = reference_parse (text);
    if (expected == NULL)
      {
        FUZZ_CHECK (got == NULL, "accepted \"%s\", which the grammar rejects", text);
        FUZZ_CHECK (g_error_matches (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_HEX),
                    "rejected \"%s\" with the wrong error", text);
        FUZZ_CHECK (pos >= 0 && pos < g_utf8_strlen (text, -1), "error position %ld outside \"%s\"", pos, text);
        FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error message is not UTF-8");
      }
    else
      {
        if (got == NULL)
          fuzz_fail ("rejected \"%s\", which the grammar accepts: %s", text, error->message);
        FUZZ_CHECK (pos == -1, "success with position %ld", pos);
        FUZZ_CHECK (fuzz_bytes_equal (got, expected->data, expected->len), "\"%s\": other bytes than the grammar's", text);
      }
  }

  return 0;
}
