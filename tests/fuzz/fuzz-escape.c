/* fuzz-escape.c — sb_codec_encode_escaped on arbitrary text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [encoding index] [mode] text…
 *
 * Mode 0: a reference model built on sb_codec_encode(): runs of text are
 * encoded as by sb_codec_encode(), \r \n \t \\ \0 are those characters in
 * the encoding, \xNN is the raw byte, \uNNNN (four hex digits, either case)
 * is that character encoded like text (\u0000 is \0); anything else after
 * a backslash, \x without two hex digits, \u without four or naming a
 * surrogate, or a trailing backslash is INVALID_ESCAPE at the backslash. The first failure from the left wins. Results, error codes
 * and positions must match the model.
 *
 * Mode 1: the text is taken as bytes: decoding them with
 * SB_DECODE_ESCAPE_CONTROLS and encoding the view with
 * sb_codec_encode_escaped() gives the bytes back, in every encoding where
 * a control byte is a control character (ASCII-compatible and lossless;
 * not UTF-16, where U+0001 is shown as \x01, which reads back as one byte).
 * C1 controls, line separators and bidi controls are shown as \uNNNN,
 * which reads back as the same character.
 */
#include "config.h"

#include "sb-codec.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char * const roundtrip_encodings[] = {
  "UTF-8", "GBK", "GB18030", "ISO-8859-1", "Windows-1252", "KOI8-R",
  "EUC-KR", "EUC-JP", "Shift_JIS",
};

typedef struct
{
  GBytes *bytes;
  int     code;   /* -1 on success */
  glong   pos;
} Result;

static Result
model (const char *encoding,
       const char *text,
       gsize       len)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  Result r = { NULL, -1, -1 };
  const char *end = text + len;
  const char *p = text;
  const char *stop;
  gboolean utf16 = g_str_has_prefix (encoding, "UTF-16");
  glong pos = 0;

  if (!g_utf8_validate_len (text, len, &stop))
    {
      r.code = SB_CODEC_ERROR_INVALID_TEXT;
      r.pos = g_utf8_pointer_to_offset (text, stop);
      return r;
    }

  if (strcmp (encoding, SB_ENCODING_HEX) == 0)
    {
      g_autofree char *copy = g_strndup (text, len);
      g_autoptr(GError) error = NULL;

      r.bytes = sb_codec_parse_hex (copy, &r.pos, &error);
      r.code = r.bytes ? -1 : error->code;
      return r;
    }

  while (p <= end)
    {
      const char *bs = memchr (p, '\\', end - p);
      const char *run_end = bs ? bs : end;

      if (run_end > p)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) run = NULL;
          glong run_pos = -1;

          run = sb_codec_encode (encoding, p, run_end - p, &run_pos, &error);
          if (run == NULL)
            {
              r.code = error->code;
              r.pos = pos + run_pos;
              return r;
            }
          g_byte_array_append (out, g_bytes_get_data (run, NULL), g_bytes_get_size (run));
          pos += g_utf8_strlen (p, run_end - p);
        }

      if (bs == NULL)
        break;

      if (bs + 1 >= end)
        goto bad_escape;

      switch (bs[1])
        {
        case 'r': case 'n': case 't': case '\\':
          {
            const char c = bs[1] == 'r' ? '\r' : bs[1] == 'n' ? '\n' : bs[1] == 't' ? '\t' : '\\';
            g_autoptr(GBytes) ch = sb_codec_encode (encoding, &c, 1, NULL, NULL);

            if (ch == NULL)
              {
                r.code = SB_CODEC_ERROR_UNENCODABLE;
                r.pos = pos;
                return r;
              }
            g_byte_array_append (out, g_bytes_get_data (ch, NULL), g_bytes_get_size (ch));
            p = bs + 2;
            pos += 2;
          }
          break;
        case '0':
          {
            static const guint8 zeros[2] = { 0, 0 };

            g_byte_array_append (out, zeros, utf16 ? 2 : 1);
            p = bs + 2;
            pos += 2;
          }
          break;
        case 'x':
          if (end - bs < 4 || !g_ascii_isxdigit (bs[2]) || !g_ascii_isxdigit (bs[3]))
            goto bad_escape;
          {
            guint8 b = (guint8) (g_ascii_xdigit_value (bs[2]) << 4 | g_ascii_xdigit_value (bs[3]));

            g_byte_array_append (out, &b, 1);
            p = bs + 4;
            pos += 4;
          }
          break;
        case 'u':
          {
            gunichar c = 0;

            if (end - bs < 6)
              goto bad_escape;
            for (int j = 2; j < 6; j++)
              {
                if (!g_ascii_isxdigit (bs[j]))
                  goto bad_escape;
                c = c << 4 | (gunichar) g_ascii_xdigit_value (bs[j]);
              }
            if (c >= 0xd800 && c <= 0xdfff)
              goto bad_escape;

            if (c == 0)
              {
                static const guint8 zeros[2] = { 0, 0 };

                g_byte_array_append (out, zeros, utf16 ? 2 : 1);
              }
            else
              {
                char utf8[6];
                int n = g_unichar_to_utf8 (c, utf8);
                g_autoptr(GError) error = NULL;
                g_autoptr(GBytes) ch = sb_codec_encode (encoding, utf8, n, NULL, &error);

                if (ch == NULL)
                  {
                    r.code = error->code;
                    r.pos = pos;
                    return r;
                  }
                g_byte_array_append (out, g_bytes_get_data (ch, NULL), g_bytes_get_size (ch));
              }
            p = bs + 6;
            pos += 6;
          }
          break;
        default:
          goto bad_escape;
        }
    }

  r.bytes = g_byte_array_free_to_bytes (g_steal_pointer (&out));
  return r;

bad_escape:
  r.code = SB_CODEC_ERROR_INVALID_ESCAPE;
  r.pos = pos;
  return r;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  const SbEncodingInfo *encodings;
  const char *encoding;
  guint n_encodings;
  guint8 mode;

  fuzz_init_glib ();

  encodings = sb_codec_get_encodings (&n_encodings);
  encoding = encodings[fuzz_byte (&in) % n_encodings].name;
  mode = fuzz_byte (&in);

  if (mode & 1)
    {
      g_autofree char *view = NULL;
      g_autoptr(GBytes) back = NULL;
      g_autoptr(GError) error = NULL;
      const char *rt = roundtrip_encodings[fuzz_byte (&in) % G_N_ELEMENTS (roundtrip_encodings)];

      view = sb_codec_decode (rt, in.data, in.len, SB_DECODE_ESCAPE_CONTROLS, NULL);
      back = sb_codec_encode_escaped (rt, view, -1, NULL, &error);
      if (back == NULL || !fuzz_bytes_equal (back, in.data, in.len))
        {
          fuzz_dump ("data", in.data, in.len);
          fprintf (stderr, "view: %s\n", view);
          if (back != NULL)
            fuzz_dump ("back", g_bytes_get_data (back, NULL), g_bytes_get_size (back));
          fuzz_fail ("%s: encode_escaped (decode (bytes, ESCAPE_CONTROLS)) != bytes: %s",
                     rt, error ? error->message : "other bytes");
        }
      return 0;
    }

  {
    const char *text = (const char *) in.data;
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) got = NULL;
    Result want;
    glong pos = -2;

    got = sb_codec_encode_escaped (encoding, text, in.len, &pos, &error);
    want = model (encoding, text, in.len);

    if (want.code == -1)
      {
        if (got == NULL)
          fuzz_fail ("%s: refused (%s) what the model accepts", encoding, error->message);
        FUZZ_CHECK (pos == -1, "success with position %ld", pos);
        FUZZ_CHECK (g_bytes_equal (got, want.bytes), "%s: other bytes than the model's", encoding);
      }
    else
      {
        if (got != NULL)
          {
            fuzz_dump ("text", in.data, in.len);
            fuzz_fail ("%s: accepted what the model refuses (code %d at %ld)", encoding, want.code, want.pos);
          }
        FUZZ_CHECK (error->domain == SB_CODEC_ERROR, "wrong error domain");
        if (error->code != want.code || pos != want.pos)
          {
            fuzz_dump ("text", in.data, in.len);
            fuzz_fail ("%s: error %d at %ld (%s), the model says %d at %ld", encoding,
                       error->code, pos, error->message, want.code, want.pos);
          }
        FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error message is not UTF-8: %s", error->message);
      }
    g_clear_pointer (&want.bytes, g_bytes_unref);
  }

  return 0;
}
