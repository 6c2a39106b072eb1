/* fuzz-decode.c — SbDecoder and sb_codec_decode on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [encoding index] [flags | n_cuts << 1] [n_cuts × u16 cut] data…
 *
 * Properties, for every encoding sb_codec_get_encodings() offers:
 *   - the output is valid UTF-8; marks are ordered, disjoint and each
 *     covers exactly one "\xNN" (lower case);
 *   - feeding the data cut at arbitrary points and finishing gives the same
 *     text and marks as the one-shot decode;
 *   - with SB_DECODE_ESCAPE_CONTROLS, no control is shown as is: C0 and
 *     DEL are \r \n \t \0 \xNN (unmarked), C1 controls, the line
 *     separators and the bidi controls \uNNNN (four lower-case digits);
 *   - lossless: re-deriving bytes from the view (text between marks
 *     encoded again, each marked \xNN parsed back, control escapes undone)
 *     gives back the input exactly, for the encodings where every byte
 *     sequence has one spelling (see strict_encodings). Elsewhere the re-derived bytes decode to the same
 *     view (the view is a fixed point), which is all that can hold:
 *       Big5, Big5-HKSCS: some characters have two codes in glibc's tables
 *         (the ETEN box drawing f9f9–f9fe repeats a2a4 …; 兀 a461 / c94a,
 *         嗀 dcd1 / ddfc); encoding picks one, so a view of f9 f9 gives
 *         back a2 a4. Found by this harness.
 *   - hex: the view parses back (sb_codec_parse_hex) to the input.
 */
#include "config.h"

#include "sb-codec.h"
#include "fuzz-common.h"

#define MAX_CUTS 7

static const char * const strict_encodings[] = {
  "UTF-8", "GBK", "GB18030", "ISO-8859-1", "Windows-1252", "KOI8-R",
  "EUC-KR", "UTF-16LE", "UTF-16BE", "Shift_JIS", "EUC-JP",
};

static gboolean
is_strict (const char *encoding)
{
  const char *override = g_getenv ("FUZZ_STRICT");  /* "Big5,EUC-JP": try others */

  if (override != NULL)
    {
      g_auto(GStrv) names = g_strsplit (override, ",", -1);

      return g_strv_contains ((const char * const *) names, encoding);
    }
  for (guint i = 0; i < G_N_ELEMENTS (strict_encodings); i++)
    if (strcmp (strict_encodings[i], encoding) == 0)
      return TRUE;
  return FALSE;
}

static void
check_marks (const GString *out,
             const GArray  *marks)
{
  guint prev_end = 0;

  for (guint i = 0; i < marks->len; i++)
    {
      const SbTextMark *m = &g_array_index (marks, SbTextMark, i);

      FUZZ_CHECK (m->start >= prev_end && m->end == m->start + 4 && m->end <= out->len,
                  "mark %u [%u, %u) out of order or not 4 bytes (output %zu bytes)",
                  i, m->start, m->end, out->len);
      FUZZ_CHECK (out->str[m->start] == '\\' && out->str[m->start + 1] == 'x' &&
                  strchr ("0123456789abcdef", out->str[m->start + 2]) != NULL &&
                  strchr ("0123456789abcdef", out->str[m->start + 3]) != NULL &&
                  out->str[m->start + 2] != '\0' && out->str[m->start + 3] != '\0',
                  "mark %u does not cover a lower-case \\xNN: \"%.4s\"", i, out->str + m->start);
      prev_end = m->end;
    }
}

/* Undoes SB_DECODE_ESCAPE_CONTROLS on a run of text between marks: an
 * unmarked \xNN is the control character U+00NN. */
static GString *
unescape_controls (const char *text,
                   gsize       len)
{
  GString *s = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] != '\\')
        {
          FUZZ_CHECK ((guint8) text[i] >= 0x20 && text[i] != 0x7f,
                      "unescaped control %02x with SB_DECODE_ESCAPE_CONTROLS",
                      (guint8) text[i]);
          if ((guint8) text[i] >= 0xc0)
            {
              gunichar c = g_utf8_get_char_validated (text + i, len - i);

              FUZZ_CHECK (c < 0x110000, "invalid UTF-8 between marks");
              FUZZ_CHECK (!fuzz_is_escaped_unichar (c),
                          "U+%04X shown as is with SB_DECODE_ESCAPE_CONTROLS", c);
            }
          g_string_append_c (s, text[i]);
          continue;
        }

      FUZZ_CHECK (i + 1 < len, "lone backslash at the end of a run");
      switch (text[i + 1])
        {
        case 'r':  g_string_append_c (s, '\r'); i++; break;
        case 'n':  g_string_append_c (s, '\n'); i++; break;
        case 't':  g_string_append_c (s, '\t'); i++; break;
        case '0':  g_string_append_c (s, '\0'); i++; break;
        case '\\': g_string_append_c (s, '\\'); i++; break;
        case 'x':
          {
            int hi, lo;

            FUZZ_CHECK (i + 3 < len, "cut \\x escape");
            hi = g_ascii_xdigit_value (text[i + 2]);
            lo = g_ascii_xdigit_value (text[i + 3]);
            FUZZ_CHECK (hi >= 0 && lo >= 0, "bad \\x escape");
            FUZZ_CHECK ((hi << 4 | lo) < 0x20 || (hi << 4 | lo) == 0x7f,
                        "unmarked \\x%c%c is not a control", text[i + 2], text[i + 3]);
            g_string_append_c (s, (char) (hi << 4 | lo));
            i += 3;
          }
          break;
        case 'u':
          {
            gunichar c = 0;

            /* Always four lower-case digits of one of the characters
             * that act rather than show. */
            FUZZ_CHECK (i + 5 < len, "cut \\u escape");
            for (int j = 2; j < 6; j++)
              {
                FUZZ_CHECK (strchr ("0123456789abcdef", text[i + j]) != NULL && text[i + j] != '\0',
                            "\\u escape without four lower-case hex digits");
                c = c << 4 | (gunichar) g_ascii_xdigit_value (text[i + j]);
              }
            FUZZ_CHECK (fuzz_is_escaped_unichar (c), "\\u%04x is not a character that is escaped", c);
            g_string_append_unichar (s, c);
            i += 5;
          }
          break;
        default:
          fuzz_fail ("unknown escape \\%c in the view", text[i + 1]);
        }
    }

  return s;
}

/* sb_codec_encode() refuses U+0000 inside text (by design: a NUL in an
 * entry is a mistake); the decoder writes it as is, so it is encoded here
 * as the \0 escape of sb_codec_encode_escaped(). */
static gboolean
encode_text (const char *encoding,
             const char *text,
             gsize       len,
             GByteArray *bytes)
{
  const char *end = text + len;

  while (text <= end)
    {
      const char *nul = memchr (text, '\0', end - text);
      const char *stop = nul != NULL ? nul : end;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) run = NULL;

      if (stop > text)
        {
          run = sb_codec_encode (encoding, text, stop - text, NULL, &error);
          if (run == NULL)
            {
              fprintf (stderr, "cannot encode decoded text in %s: %s\n", encoding, error->message);
              return FALSE;
            }
          g_byte_array_append (bytes, g_bytes_get_data (run, NULL), g_bytes_get_size (run));
          g_clear_pointer (&run, g_bytes_unref);
        }

      if (nul == NULL)
        break;

      run = sb_codec_encode_escaped (encoding, "\\0", 2, NULL, &error);
      FUZZ_CHECK (run != NULL, "%s: cannot encode \\0", encoding);
      g_byte_array_append (bytes, g_bytes_get_data (run, NULL), g_bytes_get_size (run));
      text = nul + 1;
    }

  return TRUE;
}

/* Re-derives bytes from a view: text between marks encoded again, marks
 * parsed back. Returns NULL if some text cannot be encoded. */
static GByteArray *
rederive (const char    *encoding,
          SbDecodeFlags  flags,
          const GString *out,
          const GArray  *marks)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  gsize pos = 0;

  for (guint i = 0; i <= marks->len; i++)
    {
      gsize end = i < marks->len ? g_array_index (marks, SbTextMark, i).start : out->len;

      if (end > pos)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) run = NULL;
          g_autoptr(GString) text = NULL;

          if (flags & SB_DECODE_ESCAPE_CONTROLS)
            text = unescape_controls (out->str + pos, end - pos);
          else
            text = g_string_new_len (out->str + pos, end - pos);

          if (!encode_text (encoding, text->str, text->len, bytes))
            return NULL;
        }

      if (i < marks->len)
        {
          const SbTextMark *m = &g_array_index (marks, SbTextMark, i);
          guint8 b = (guint8) (g_ascii_xdigit_value (out->str[m->start + 2]) << 4 |
                               g_ascii_xdigit_value (out->str[m->start + 3]));

          g_byte_array_append (bytes, &b, 1);
          pos = m->end;
        }
    }

  return g_steal_pointer (&bytes);
}

static void
decode_whole (const char    *encoding,
              SbDecodeFlags  flags,
              const guint8  *data,
              gsize          len,
              GString       *out,
              GArray        *marks)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new (encoding, flags, NULL);

  sb_decoder_feed (decoder, data, len, out, marks);
  sb_decoder_finish (decoder, out, marks);
}

static gboolean
marks_equal (const GArray *a,
             const GArray *b)
{
  return a->len == b->len &&
         (a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (SbTextMark)) == 0);
}

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  const SbEncodingInfo *encodings;
  const char *encoding;
  guint n_encodings;
  SbDecodeFlags flags;
  guint n_cuts;
  gsize cuts[MAX_CUTS];
  guint8 b;
  g_autofree char *oneshot = NULL;
  g_autoptr(GArray) oneshot_marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
  g_autoptr(GArray) whole_marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
  g_autoptr(GArray) cut_marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GString) cut = g_string_new (NULL);
  g_autoptr(SbDecoder) decoder = NULL;
  gsize from = 0;

  fuzz_init_glib ();

  encodings = sb_codec_get_encodings (&n_encodings);
  encoding = encodings[fuzz_byte (&in) % n_encodings].name;
  b = fuzz_byte (&in);
  flags = (b & 1) ? SB_DECODE_ESCAPE_CONTROLS : SB_DECODE_DEFAULT;
  n_cuts = (b >> 1) % (MAX_CUTS + 1);
  for (guint i = 0; i < n_cuts; i++)
    cuts[i] = fuzz_u16 (&in);
  for (guint i = 0; i < n_cuts; i++)
    cuts[i] = in.len > 0 ? cuts[i] % (in.len + 1) : 0;
  /* insertion sort: at most 7 */
  for (guint i = 1; i < n_cuts; i++)
    for (guint j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
      {
        gsize t = cuts[j];
        cuts[j] = cuts[j - 1];
        cuts[j - 1] = t;
      }

  /* One-shot and whole-feed decodes agree. */
  oneshot = sb_codec_decode (encoding, in.data, in.len, flags, oneshot_marks);
  decode_whole (encoding, flags, in.data, in.len, whole, whole_marks);
  FUZZ_CHECK (fuzz_utf8_valid (whole->str, whole->len), "%s: output is not UTF-8", encoding);
  if (strlen (oneshot) == whole->len)
    FUZZ_CHECK (memcmp (oneshot, whole->str, whole->len) == 0 && marks_equal (oneshot_marks, whole_marks),
                "%s: sb_codec_decode differs from one feed", encoding);
  else
    FUZZ_CHECK (memchr (whole->str, '\0', whole->len) != NULL,
                "%s: sb_codec_decode has another length than one feed", encoding);

  /* Cut anywhere: same text and marks. */
  decoder = sb_decoder_new (encoding, flags, NULL);
  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize to = i < n_cuts ? cuts[i] : in.len;

      sb_decoder_feed (decoder, in.data + from, to - from, cut, cut_marks);
      FUZZ_CHECK (sb_decoder_get_pending (decoder) <= 8, "%s: %zu bytes pending",
                  encoding, sb_decoder_get_pending (decoder));
      from = to;
    }
  sb_decoder_finish (decoder, cut, cut_marks);
  FUZZ_CHECK (sb_decoder_get_pending (decoder) == 0, "pending after finish");

  if (!g_string_equal (whole, cut) || !marks_equal (whole_marks, cut_marks))
    {
      fuzz_dump ("data", in.data, in.len);
      for (guint i = 0; i < n_cuts; i++)
        fprintf (stderr, "cut at %zu\n", cuts[i]);
      fprintf (stderr, "whole: %s\ncut:   %s\n", whole->str, cut->str);
      fuzz_fail ("%s (flags %d): decoding in pieces differs from decoding whole", encoding, flags);
    }

  if (strcmp (encoding, SB_ENCODING_HEX) == 0)
    {
      g_autoptr(GBytes) back = sb_codec_parse_hex (whole->str, NULL, NULL);

      FUZZ_CHECK (back != NULL && fuzz_bytes_equal (back, in.data, in.len),
                  "hex view does not parse back to the input");
      return 0;
    }

  check_marks (whole, whole_marks);

  /* Lossless: the bytes can be re-derived from the view. */
  {
    g_autoptr(GByteArray) back = rederive (encoding, flags, whole, whole_marks);

    if (is_strict (encoding))
      {
        if (back == NULL || !fuzz_mem_equal (back->data, back->len, in.data, in.len))
          {
            fuzz_dump ("data", in.data, in.len);
            if (back != NULL)
              fuzz_dump ("back", back->data, back->len);
            fprintf (stderr, "view: %s\n", whole->str);
            fuzz_fail ("%s (flags %d): the view does not give back the bytes", encoding, flags);
          }
      }
    else
      {
        g_autoptr(GString) again = g_string_new (NULL);
        g_autoptr(GArray) again_marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));

        FUZZ_CHECK (back != NULL, "%s: decoded text cannot be encoded again", encoding);
        decode_whole (encoding, flags, back->data, back->len, again, again_marks);
        if (!g_string_equal (whole, again) || !marks_equal (whole_marks, again_marks))
          {
            fuzz_dump ("data", in.data, in.len);
            fuzz_dump ("back", back->data, back->len);
            fprintf (stderr, "view:  %s\nagain: %s\n", whole->str, again->str);
            fuzz_fail ("%s: the view is not a fixed point", encoding);
          }
      }
  }

  return 0;
}
