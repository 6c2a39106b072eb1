/* fuzz-encode.c — sb_codec_encode on arbitrary text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [encoding index] text…
 *
 * Properties, for every text encoding offered:
 *   - text that is not UTF-8 (or holds U+0000) fails with INVALID_TEXT at
 *     the character index where it stops being valid;
 *   - valid UTF-8 either encodes and decodes back to exactly the text with
 *     no escapes, or fails cleanly with UNENCODABLE at a character index
 *     inside the text, where the text before it encodes on its own;
 *   - a message is set on every failure.
 */
#include "config.h"

#include "sb-codec.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static glong
first_invalid (const char *text,
               gsize       len)
{
  const char *end;

  if (g_utf8_validate_len (text, len, &end))
    return -1;
  return g_utf8_pointer_to_offset (text, end);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  const SbEncodingInfo *encodings;
  const char *encoding;
  const char *text;
  guint n_encodings;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  glong pos = -2;
  glong invalid;
  glong n_chars;

  fuzz_init_glib ();

  encodings = sb_codec_get_encodings (&n_encodings);
  /* hex is a parser, not an encoding: fuzz-hex covers it */
  encoding = encodings[fuzz_byte (&in) % (n_encodings - 1)].name;
  g_assert (strcmp (encoding, SB_ENCODING_HEX) != 0);
  text = (const char *) in.data;

  bytes = sb_codec_encode (encoding, text, in.len, &pos, &error);
  invalid = first_invalid (text, in.len);

  if (invalid >= 0)
    {
      FUZZ_CHECK (bytes == NULL && g_error_matches (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT),
                  "%s: invalid UTF-8 not refused as INVALID_TEXT", encoding);
      FUZZ_CHECK (pos == invalid, "%s: INVALID_TEXT at %ld, the text stops being valid at %ld",
                  encoding, pos, invalid);
      return 0;
    }

  n_chars = g_utf8_strlen (text, in.len);

  if (bytes == NULL)
    {
      g_autoptr(GBytes) prefix = NULL;
      const char *at;

      FUZZ_CHECK (error != NULL && error->message != NULL && *error->message,
                  "%s: failed without a message", encoding);
      FUZZ_CHECK (g_error_matches (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNENCODABLE),
                  "%s: valid text failed with %s %d: %s", encoding,
                  g_quark_to_string (error->domain), error->code, error->message);
      FUZZ_CHECK (pos >= 0 && pos < n_chars, "%s: UNENCODABLE at %ld, outside the %ld characters",
                  encoding, pos, n_chars);

      /* What comes before the bad character is fine on its own. */
      at = g_utf8_offset_to_pointer (text, pos);
      prefix = sb_codec_encode (encoding, text, at - text, NULL, NULL);
      if (prefix == NULL)
        {
          fuzz_dump ("text", (const guint8 *) text, in.len);
          fuzz_fail ("%s: error at %ld but the text before it does not encode either", encoding, pos);
        }
      return 0;
    }

  FUZZ_CHECK (error == NULL && pos == -1, "%s: success with an error or position %ld", encoding, pos);

  {
    g_autoptr(SbDecoder) decoder = sb_decoder_new (encoding, SB_DECODE_DEFAULT, NULL);
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
    gsize n = 0;
    const guint8 *p = g_bytes_get_data (bytes, &n);

    sb_decoder_feed (decoder, p, n, out, marks);
    sb_decoder_finish (decoder, out, marks);
    if (marks->len != 0 || !fuzz_mem_equal (out->str, out->len, text, in.len))
      {
        fuzz_dump ("text", (const guint8 *) text, in.len);
        fuzz_dump ("bytes", p, n);
        fuzz_dump ("back", (const guint8 *) out->str, out->len);
        fuzz_fail ("%s: encoded text does not decode back to itself", encoding);
      }
  }

  return 0;
}
