/* test-codec.c — text ⇄ bytes, hex and escapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-codec.h"

/* Everything offered except hex: the encodings that go through a decoder. */
static const char * const text_encodings[] = {
  "UTF-8", "GBK", "GB18030", "Big5", "Big5-HKSCS", "Shift_JIS", "EUC-JP",
  "EUC-KR", "ISO-8859-1", "Windows-1252", "KOI8-R", "UTF-16LE", "UTF-16BE",
};

static GBytes *
hex (const char *text)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = sb_codec_parse_hex (text, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected_hex)
{
  g_autoptr(GBytes) expected = hex (expected_hex);
  g_autofree char *got = sb_codec_format_hex (g_bytes_get_data (bytes, NULL),
                                              g_bytes_get_size (bytes));
  g_autofree char *want = sb_codec_format_hex (g_bytes_get_data (expected, NULL),
                                               g_bytes_get_size (expected));

  g_assert_cmpstr (got, ==, want);
}

/* Decodes @data_hex in one go and returns the text; marks go to @marks. */
static char *
decode_hex (const char    *encoding,
            const char    *data_hex,
            SbDecodeFlags  flags,
            GArray        *marks)
{
  g_autoptr(GBytes) data = hex (data_hex);

  return sb_codec_decode (encoding, g_bytes_get_data (data, NULL),
                          g_bytes_get_size (data), flags, marks);
}

static GArray *
marks_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (SbTextMark));
}

static void
assert_mark (GArray *marks,
             guint   index,
             guint   start,
             guint   end)
{
  g_assert_cmpuint (marks->len, >, index);
  g_assert_cmpuint (g_array_index (marks, SbTextMark, index).start, ==, start);
  g_assert_cmpuint (g_array_index (marks, SbTextMark, index).end, ==, end);
}

/* Feeds @data cut at @cuts (ascending offsets), then finishes. */
static void
decode_cut (SbDecoder    *decoder,
            const guint8 *data,
            gsize         len,
            const gsize  *cuts,
            guint         n_cuts,
            GString      *out,
            GArray       *marks)
{
  gsize from = 0;
  guint i;

  for (i = 0; i <= n_cuts; i++)
    {
      gsize to = i < n_cuts ? cuts[i] : len;

      sb_decoder_feed (decoder, data + from, to - from, out, marks);
      from = to;
    }
  sb_decoder_finish (decoder, out, marks);
}

static void
assert_same_decode (const char *encoding,
                    GString    *out_a,
                    GArray     *marks_a,
                    GString    *out_b,
                    GArray     *marks_b,
                    const char *what)
{
  if (out_a->len != out_b->len || memcmp (out_a->str, out_b->str, out_a->len) != 0)
    g_error ("%s, %s: “%s” ≠ “%s”", encoding, what, out_a->str, out_b->str);

  g_assert_cmpuint (marks_a->len, ==, marks_b->len);
  g_assert_cmpmem (marks_a->data, marks_a->len * sizeof (SbTextMark),
                   marks_b->data, marks_b->len * sizeof (SbTextMark));
}

/* The same text and marks come out whether @data is fed whole, cut once at
 * every offset, cut twice at every pair of offsets, or one byte at a time. */
static void
check_every_split (const char    *encoding,
                   const guint8  *data,
                   gsize          len,
                   SbDecodeFlags  flags)
{
  g_autoptr(SbDecoder) decoder = NULL;
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autoptr(GArray) whole_marks = marks_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *oneshot = NULL;
  g_autoptr(GArray) oneshot_marks = marks_new ();
  gsize i, j;

  decoder = sb_decoder_new (encoding, flags, &error);
  g_assert_no_error (error);

  decode_cut (decoder, data, len, NULL, 0, whole, whole_marks);

  oneshot = sb_codec_decode (encoding, data, len, flags, oneshot_marks);
  g_assert_cmpstr (oneshot, ==, whole->str);
  g_assert_cmpuint (oneshot_marks->len, ==, whole_marks->len);

  for (i = 0; i <= len; i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GArray) marks = marks_new ();
      gsize cut[1] = { i };

      decode_cut (decoder, data, len, cut, 1, out, marks);
      assert_same_decode (encoding, whole, whole_marks, out, marks, "one cut");

      for (j = i; j <= len; j++)
        {
          gsize cuts[2] = { i, j };

          g_string_truncate (out, 0);
          g_array_set_size (marks, 0);
          decode_cut (decoder, data, len, cuts, 2, out, marks);
          assert_same_decode (encoding, whole, whole_marks, out, marks, "two cuts");
        }
    }

  {
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GArray) marks = marks_new ();

    for (i = 0; i < len; i++)
      {
        sb_decoder_feed (decoder, data + i, 1, out, marks);
        g_assert_cmpuint (sb_decoder_get_pending (decoder), <=, 4);
      }
    sb_decoder_finish (decoder, out, marks);
    assert_same_decode (encoding, whole, whole_marks, out, marks, "byte by byte");
  }
}

/* Encodings */

static void
test_encodings_table (void)
{
  static const char * const required[] = {
    "UTF-8", "GBK", "GB18030", "Big5", "Big5-HKSCS", "Shift_JIS", "EUC-JP",
    "EUC-KR", "ISO-8859-1", "Windows-1252", "KOI8-R", "UTF-16LE", "UTF-16BE",
    SB_ENCODING_HEX,
  };
  const SbEncodingInfo *infos;
  guint n = 0;
  guint i, j;

  infos = sb_codec_get_encodings (&n);
  g_assert_nonnull (infos);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (required));
  g_assert_cmpstr (infos[0].name, ==, "UTF-8");
  g_assert_cmpstr (infos[0].description, ==, "Unicode");
  g_assert_cmpstr (infos[n - 1].name, ==, SB_ENCODING_HEX);

  for (i = 0; i < G_N_ELEMENTS (required); i++)
    {
      gboolean found = FALSE;

      for (j = 0; j < n; j++)
        found |= g_strcmp0 (infos[j].name, required[i]) == 0;
      g_assert_true (found);
    }

  for (i = 0; i < n; i++)
    {
      g_assert_nonnull (infos[i].description);
      g_assert_cmpstr (sb_codec_canonical_name (infos[i].name), ==, infos[i].name);
    }

  for (i = 0; i < n; i++)
    if (g_str_equal (infos[i].name, "GBK"))
      g_assert_cmpstr (infos[i].description, ==, "Simplified Chinese (Windows)");

  /* The same static table each time. */
  g_assert_true (sb_codec_get_encodings (NULL) == infos);
}

static void
test_encodings_aliases (void)
{
  static const struct { const char *alias; const char *name; } cases[] = {
    { "utf-8", "UTF-8" }, { "utf8", "UTF-8" }, { "UTF8", "UTF-8" }, { "Utf_8", "UTF-8" },
    { "gbk", "GBK" }, { "cp936", "GBK" }, { "CP936", "GBK" }, { "gb2312", "GBK" },
    { "GB-2312", "GBK" }, { "windows-936", "GBK" },
    { "gb18030", "GB18030" }, { "GB-18030", "GB18030" },
    { "big5", "Big5" }, { "BIG-5", "Big5" },
    { "big5hkscs", "Big5-HKSCS" }, { "BIG5-HKSCS", "Big5-HKSCS" }, { "big5_hkscs", "Big5-HKSCS" },
    { "sjis", "Shift_JIS" }, { "shift-jis", "Shift_JIS" }, { "SHIFT_JIS", "Shift_JIS" },
    { "shiftjis", "Shift_JIS" },
    { "eucjp", "EUC-JP" }, { "euc-jp", "EUC-JP" }, { "EUC_JP", "EUC-JP" },
    { "euckr", "EUC-KR" }, { "euc-kr", "EUC-KR" },
    { "latin1", "ISO-8859-1" }, { "Latin-1", "ISO-8859-1" }, { "iso8859-1", "ISO-8859-1" },
    { "ISO_8859-1", "ISO-8859-1" }, { "iso-8859-1", "ISO-8859-1" },
    { "cp1252", "Windows-1252" }, { "windows-1252", "Windows-1252" }, { "WINDOWS1252", "Windows-1252" },
    { "koi8-r", "KOI8-R" }, { "koi8r", "KOI8-R" },
    { "utf-16le", "UTF-16LE" }, { "utf16le", "UTF-16LE" }, { "UTF-16BE", "UTF-16BE" },
    { "utf16be", "UTF-16BE" },
    { "hex", SB_ENCODING_HEX }, { "HEX", SB_ENCODING_HEX },
  };
  static const char * const unknown[] = {
    "", "-", "utf", "utf-16", "utf-32", "ascii", "klingon", "utf-8//TRANSLIT",
    "a-very-long-name-that-is-not-an-encoding-at-all",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (sb_codec_canonical_name (cases[i].alias), ==, cases[i].name);

  for (i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_null (sb_codec_canonical_name (unknown[i]));
}

static void
test_encodings_unsupported (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbDecoder) decoder = NULL;
  g_autoptr(GBytes) bytes = NULL;
  glong pos = 0;

  decoder = sb_decoder_new ("klingon", SB_DECODE_DEFAULT, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED);
  g_assert_null (decoder);
  g_assert_nonnull (strstr (error->message, "klingon"));
  g_clear_error (&error);

  bytes = sb_codec_encode ("klingon", "a", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED);
  g_assert_null (bytes);
  g_clear_error (&error);

  bytes = sb_codec_encode_escaped ("UTF-16", "a", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED);
  g_assert_null (bytes);
}

/* Decoding */

static void
test_decode_utf8 (void)
{
  g_autoptr(GArray) marks = marks_new ();
  g_autofree char *text = NULL;
  g_autofree char *ascii = NULL;
  g_autofree char *emoji = NULL;

  text = decode_hex ("UTF-8", "e6 82 a8 e5 a5 bd", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (text, ==, "您好");
  g_assert_cmpuint (marks->len, ==, 0);

  ascii = decode_hex ("utf8", "48 65 6c 6c 6f 5c 6e", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (ascii, ==, "Hello\\n");

  emoji = decode_hex ("UTF-8", "f0 9f 98 80 f4 8f bf bf", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (emoji, ==, "😀\xf4\x8f\xbf\xbf");
  g_assert_cmpuint (marks->len, ==, 0);
}

static void
test_decode_gbk (void)
{
  g_autoptr(GArray) marks = marks_new ();
  g_autofree char *text = NULL;
  g_autofree char *gb18030 = NULL;
  g_autofree char *euro = NULL;

  text = decode_hex ("GBK", "c4 fa ba c3", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (text, ==, "您好");
  gb18030 = decode_hex ("GB18030", "c4 fa ba c3 81 30 81 30 94 39 fc 36", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (gb18030, ==, "您好\xc2\x80😀");
  /* glibc's GBK is Microsoft's CP936, which has the euro sign at 80. */
  euro = decode_hex ("GBK", "80", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (euro, ==, "€");
  g_assert_cmpuint (marks->len, ==, 0);
}

static void
test_decode_invalid_utf8 (void)
{
  static const struct { const char *in; const char *out; guint n_marks; } cases[] = {
    { "ff",                "\\xff",                   1 },
    { "41 ff 42",          "A\\xffB",                 1 },
    { "c0 80",             "\\xc0\\x80",              2 },  /* overlong NUL */
    { "e0 80 af",          "\\xe0\\x80\\xaf",         3 },  /* overlong / */
    { "ed a0 80",          "\\xed\\xa0\\x80",         3 },  /* surrogate */
    { "f4 90 80 80",       "\\xf4\\x90\\x80\\x80",    4 },  /* above U+10FFFF */
    { "f5 80",             "\\xf5\\x80",              2 },
    { "e6 82 41",          "\\xe6\\x82A",             2 },  /* cut short */
    { "e6 82 e6 82 a8",    "\\xe6\\x82您",            2 },
    { "80 e6 82 a8",       "\\x80您",                 1 },
    { "e6 82",             "\\xe6\\x82",              2 },  /* unfinished at the end */
    { "5c 78 66 66",       "\\xff",                   0 },  /* a real backslash */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) marks = marks_new ();
      g_autofree char *text = decode_hex ("UTF-8", cases[i].in, SB_DECODE_DEFAULT, marks);
      guint j;

      g_assert_cmpstr (text, ==, cases[i].out);
      g_assert_cmpuint (marks->len, ==, cases[i].n_marks);

      /* Every mark covers exactly one \xNN. */
      for (j = 0; j < marks->len; j++)
        {
          SbTextMark *mark = &g_array_index (marks, SbTextMark, j);

          g_assert_cmpuint (mark->end - mark->start, ==, 4);
          g_assert_true (g_str_has_prefix (text + mark->start, "\\x"));
        }
    }

  {
    g_autoptr(GArray) marks = marks_new ();
    g_autofree char *text = decode_hex ("UTF-8", "41 ff 42", SB_DECODE_DEFAULT, marks);

    g_assert_cmpstr (text, ==, "A\\xffB");
    assert_mark (marks, 0, 1, 5);
  }
}

static void
test_decode_invalid_gbk (void)
{
  g_autoptr(GArray) marks = marks_new ();
  g_autofree char *text = NULL;
  g_autofree char *lead = NULL;
  g_autofree char *gb18030 = NULL;

  text = decode_hex ("GBK", "c4 fa ff ba c3", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (text, ==, "您\\xff好");
  g_assert_cmpuint (marks->len, ==, 1);
  assert_mark (marks, 0, strlen ("您"), strlen ("您") + 4);

  /* A lead byte followed by a byte that cannot trail it: only the lead is lost. */
  g_array_set_size (marks, 0);
  lead = decode_hex ("GBK", "41 c4 20 42", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (lead, ==, "A\\xc4 B");
  g_assert_cmpuint (marks->len, ==, 1);
  assert_mark (marks, 0, 1, 5);

  /* GB18030: a four-byte sequence broken after two bytes resyncs on "0". */
  g_array_set_size (marks, 0);
  gb18030 = decode_hex ("GB18030", "81 30 20 ff", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (gb18030, ==, "\\x810 \\xff");
  g_assert_cmpuint (marks->len, ==, 2);
  assert_mark (marks, 0, 0, 4);
  assert_mark (marks, 1, 6, 10);
}

static void
test_decode_invalid_other (void)
{
  static const struct { const char *encoding; const char *in; const char *out; guint n_marks; } cases[] = {
    { "Windows-1252", "41 81 80 8d",       "A\\x81€\\x8d",        2 },
    { "ISO-8859-1",   "41 80 ff",          "A\xc2\x80ÿ",          0 },
    { "KOI8-R",       "c1 ff",             "аЪ",                  0 },
    { "Shift_JIS",    "82 a0 82 20 ff",    "あ\\x82 \\xff",       2 },
    { "Big5",         "a4 a4 a4 20 ff",    "中\\xa4 \\xff",       2 },
    { "EUC-KR",       "b0 a1 b0 20",       "가\\xb0 ",            1 },
    { "EUC-JP",       "8e 20 c6 fc",       "\\x8e 日",            1 },
    /* UTF-16 loses a whole code unit: a lone low surrogate, a lone high one. */
    { "UTF-16LE",     "41 00 00 dc 42 00", "A\\x00\\xdcB",        2 },
    { "UTF-16LE",     "3d d8 41 00",       "\\x3d\\xd8A",         2 },
    { "UTF-16BE",     "00 41 dc 00 00 42", "A\\xdc\\x00B",        2 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) marks = marks_new ();
      g_autofree char *text = decode_hex (cases[i].encoding, cases[i].in, SB_DECODE_DEFAULT, marks);

      g_assert_cmpstr (text, ==, cases[i].out);
      g_assert_cmpuint (marks->len, ==, cases[i].n_marks);
    }
}

static void
test_decode_controls (void)
{
  g_autoptr(GArray) marks = marks_new ();
  g_autofree char *escaped = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *mixed = NULL;
  g_autofree char *utf16 = NULL;
  g_autofree char *c1 = NULL;
  static const guint8 data[] = { 'a', '\r', '\n', '\t', 0, '\\', 0x01, 0x1b, 0x7f, 'z' };

  escaped = sb_codec_decode ("UTF-8", data, sizeof data, SB_DECODE_ESCAPE_CONTROLS, marks);
  g_assert_cmpstr (escaped, ==, "a\\r\\n\\t\\0\\\\\\x01\\x1b\\x7fz");
  /* Controls are not invalid bytes. */
  g_assert_cmpuint (marks->len, ==, 0);

  /* Without the flag, text is as it came, backslash included. */
  plain = sb_codec_decode ("UTF-8", data + 5, sizeof data - 5, SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (plain, ==, "\\\x01\x1b\x7fz");
  g_assert_cmpuint (marks->len, ==, 0);

  /* A real backslash and an escape for a bad byte stay apart. */
  mixed = decode_hex ("GBK", "5c ff 0a c4 fa", SB_DECODE_ESCAPE_CONTROLS, marks);
  g_assert_cmpstr (mixed, ==, "\\\\\\xff\\n您");
  g_assert_cmpuint (marks->len, ==, 1);
  assert_mark (marks, 0, 2, 6);

  /* Controls are characters: UTF-16 0a 00 is one \n. */
  g_array_set_size (marks, 0);
  utf16 = decode_hex ("UTF-16LE", "41 00 0a 00 00 00 5c 00", SB_DECODE_ESCAPE_CONTROLS, marks);
  g_assert_cmpstr (utf16, ==, "A\\n\\0\\\\");
  g_assert_cmpuint (marks->len, ==, 0);

  /* C1 controls (CSI among them), the line separators and the bidi
   * overrides would act on a terminal or reorder the view: \uNNNN. */
  c1 = decode_hex ("ISO-8859-1", "85 9b", SB_DECODE_ESCAPE_CONTROLS, marks);
  g_assert_cmpstr (c1, ==, "\\u0085\\u009b");
  g_assert_cmpuint (marks->len, ==, 0);
  {
    g_autofree char *separators = decode_hex ("UTF-8", "61 e2 80 a8 e2 80 ae e2 81 a6 c2 a0 e2 80 a7", SB_DECODE_ESCAPE_CONTROLS, marks);

    /* U+00A0 and U+2027 are ordinary characters and stay. */
    g_assert_cmpstr (separators, ==, "a\\u2028\\u202e\\u2066\xc2\xa0\xe2\x80\xa7");
  }
}

/* Every format character that reorders or hides text decodes escaped, in
 * the middle of data too (a BOM there is no byte order mark), in UTF-8 and
 * UTF-16; its neighbours do not. */
/* Decoders of the same encoding share their thread's iconv descriptor:
 * a character cut in one is not disturbed by another's bytes or errors. */
static gpointer
decode_gbk_thread (gpointer data)
{
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *text = sb_codec_decode ("GBK", (const guint8 *) "\xc4\xe3\xba\xc3\xff", 5,
                                               SB_DECODE_ESCAPE_CONTROLS, NULL);

      g_assert_cmpstr (text, ==, "你好\\xff");
    }
  return NULL;
}

static void
test_decode_shared_iconv (void)
{
  g_autoptr(GString) a_out = g_string_new (NULL);
  g_autoptr(GString) b_out = g_string_new (NULL);
  SbDecoder *a = sb_decoder_new ("GBK", 0, NULL);
  SbDecoder *b = sb_decoder_new ("GBK", 0, NULL);
  GThread *other = g_thread_new ("decode", decode_gbk_thread, NULL);

  sb_decoder_feed (a, (const guint8 *) "\xc4", 1, a_out, NULL);
  g_assert_cmpuint (sb_decoder_get_pending (a), ==, 1);
  sb_decoder_feed (b, (const guint8 *) "\xba\xc3\xff\xba", 4, b_out, NULL);
  sb_decoder_feed (a, (const guint8 *) "\xe3", 1, a_out, NULL);
  sb_decoder_feed (b, (const guint8 *) "\xc3", 1, b_out, NULL);
  sb_decoder_free (b);
  sb_decoder_feed (a, (const guint8 *) "A", 1, a_out, NULL);
  sb_decoder_finish (a, a_out, NULL);
  sb_decoder_free (a);

  g_assert_cmpstr (a_out->str, ==, "你A");
  g_assert_cmpstr (b_out->str, ==, "好\\xff好");
  decode_gbk_thread (NULL);
  g_thread_join (other);
}

static void
test_decode_format_characters (void)
{
  static const gunichar escaped[] = {
    0x061c, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029,
    0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff,
  };
  static const gunichar shown[] = {
    0x061b, 0x061d, 0x200a, 0x2010, 0x2027, 0x202f, 0x2065, 0x206a, 0xfefe, 0x4e2d,
  };

  for (guint i = 0; i < G_N_ELEMENTS (escaped); i++)
    {
      g_autofree char *expected = g_strdup_printf ("a\\u%04xb", escaped[i]);
      g_autofree gunichar2 *utf16 = NULL;
      GString *in = g_string_new ("a");
      g_autofree char *text = NULL;
      g_autofree char *text16 = NULL;
      glong n16;

      g_string_append_unichar (in, escaped[i]);
      g_string_append_c (in, 'b');
      g_assert_true (sb_codec_unichar_needs_escape (escaped[i]));

      text = sb_codec_decode ("UTF-8", (const guint8 *) in->str, in->len, SB_DECODE_ESCAPE_CONTROLS, NULL);
      g_assert_cmpstr (text, ==, expected);

      utf16 = g_utf8_to_utf16 (in->str, -1, NULL, &n16, NULL);
      g_assert_nonnull (utf16);
      text16 = sb_codec_decode (G_BYTE_ORDER == G_LITTLE_ENDIAN ? "UTF-16LE" : "UTF-16BE",
                                (const guint8 *) utf16, n16 * 2, SB_DECODE_ESCAPE_CONTROLS, NULL);
      g_assert_cmpstr (text16, ==, expected);
      g_string_free (in, TRUE);
    }

  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    {
      GString *in = g_string_new ("a");
      g_autofree char *text = NULL;

      g_string_append_unichar (in, shown[i]);
      g_assert_false (sb_codec_unichar_needs_escape (shown[i]));
      text = sb_codec_decode ("UTF-8", (const guint8 *) in->str, in->len, SB_DECODE_ESCAPE_CONTROLS, NULL);
      g_assert_cmpstr (text, ==, in->str);
      g_string_free (in, TRUE);
    }

  /* The predicate over all of Unicode: controls and the list above only. */
  for (gunichar c = 0; c < 0x110000; c++)
    {
      gboolean listed = c < 0x20 || (c >= 0x7f && c <= 0x9f);

      for (guint i = 0; i < G_N_ELEMENTS (escaped) && !listed; i++)
        listed = c == escaped[i];
      g_assert_cmpint (sb_codec_unichar_needs_escape (c), ==, listed);
    }
}

static void
test_encode_unicode_escape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  glong pos;

  /* \uNNNN is a character, written in the encoding like text. */
  bytes = sb_codec_encode_escaped ("GBK", "\\u60a8\\u0041", -1, &pos, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\xc4\xfa" "A", 3);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* What the view shows reads back to the same bytes. */
  bytes = sb_codec_encode_escaped ("ISO-8859-1", "\\u0085", -1, &pos, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "\x85", 1);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Too few digits, or a surrogate: a clear error at the escape. */
  bytes = sb_codec_encode_escaped ("UTF-8", "ab\\u12", -1, &pos, &error);
  g_assert_null (bytes);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_ESCAPE);
  g_assert_cmpint (pos, ==, 2);
  g_clear_error (&error);
  bytes = sb_codec_encode_escaped ("UTF-8", "\\ud800", -1, &pos, &error);
  g_assert_null (bytes);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_ESCAPE);
}

static void
test_decode_nul_default (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("UTF-8", SB_DECODE_DEFAULT, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  static const guint8 data[] = { 'a', 0, 'b' };

  /* The GString keeps the NUL: nothing is lost, only the C string stops early. */
  sb_decoder_feed (decoder, data, sizeof data, out, NULL);
  g_assert_cmpmem (out->str, out->len, data, sizeof data);
}

static void
test_decode_marks_offsets (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("GBK", SB_DECODE_DEFAULT, NULL);
  g_autoptr(GString) out = g_string_new ("prefix:");
  g_autoptr(GArray) marks = marks_new ();
  static const guint8 data[] = { 0xff, 0xc4, 0xfa, 0xff };

  /* Marks are offsets into @out as a whole, after what was there. */
  sb_decoder_feed (decoder, data, sizeof data, out, marks);
  g_assert_cmpstr (out->str, ==, "prefix:\\xff您\\xff");
  g_assert_cmpuint (marks->len, ==, 2);
  assert_mark (marks, 0, 7, 11);
  assert_mark (marks, 1, 11 + strlen ("您"), 15 + strlen ("您"));

  /* The marks array may be NULL. */
  sb_decoder_feed (decoder, data, 1, out, NULL);
  g_assert_true (g_str_has_suffix (out->str, "\\xff\\xff"));
}

static void
test_decode_split_utf8 (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("UTF-8", SB_DECODE_DEFAULT, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  static const guint8 data[] = { 0x41, 0xe6, 0x82, 0xa8, 0x42 };

  sb_decoder_feed (decoder, data, 3, out, NULL);
  g_assert_cmpstr (out->str, ==, "A");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 2);

  /* The feed that completes the character writes all of it. */
  sb_decoder_feed (decoder, data + 3, 2, out, NULL);
  g_assert_cmpstr (out->str, ==, "A您B");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 0);

  /* One byte at a time. */
  g_string_truncate (out, 0);
  sb_decoder_feed (decoder, data + 1, 1, out, NULL);
  sb_decoder_feed (decoder, data + 2, 1, out, NULL);
  g_assert_cmpstr (out->str, ==, "");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 2);
  sb_decoder_feed (decoder, data + 3, 1, out, NULL);
  g_assert_cmpstr (out->str, ==, "您");
}

static void
test_decode_split_gbk (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("GBK", SB_DECODE_DEFAULT, NULL);
  g_autoptr(SbDecoder) gb18030 = sb_decoder_new ("GB18030", SB_DECODE_DEFAULT, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  static const guint8 data[] = { 0xc4, 0xfa, 0xba, 0xc3 };
  static const guint8 four[] = { 0x94, 0x39, 0xfc, 0x36 };

  sb_decoder_feed (decoder, data, 1, out, NULL);
  g_assert_cmpstr (out->str, ==, "");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 1);
  sb_decoder_feed (decoder, data + 1, 3, out, NULL);
  g_assert_cmpstr (out->str, ==, "您好");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 0);

  /* A four-byte GB18030 character kept over three feeds. */
  g_string_truncate (out, 0);
  sb_decoder_feed (gb18030, four, 1, out, NULL);
  sb_decoder_feed (gb18030, four + 1, 2, out, NULL);
  g_assert_cmpuint (sb_decoder_get_pending (gb18030), ==, 3);
  g_assert_cmpstr (out->str, ==, "");
  sb_decoder_feed (gb18030, four + 3, 1, out, NULL);
  g_assert_cmpstr (out->str, ==, "😀");
}

static void
test_decode_split_utf16 (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("UTF-16LE", SB_DECODE_DEFAULT, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) marks = marks_new ();
  /* "A😀B" */
  static const guint8 data[] = { 0x41, 0x00, 0x3d, 0xd8, 0x00, 0xde, 0x42, 0x00 };

  sb_decoder_feed (decoder, data, 3, out, marks);
  g_assert_cmpstr (out->str, ==, "A");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 1);
  sb_decoder_feed (decoder, data + 3, 2, out, marks);
  g_assert_cmpstr (out->str, ==, "A");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 3);
  sb_decoder_feed (decoder, data + 5, 2, out, marks);
  g_assert_cmpstr (out->str, ==, "A😀");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 1);

  /* The odd byte left at the end is escaped by finish. */
  sb_decoder_finish (decoder, out, marks);
  g_assert_cmpstr (out->str, ==, "A😀\\x42");
  g_assert_cmpuint (marks->len, ==, 1);
  assert_mark (marks, 0, 5, 9);
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 0);
}

static void
test_decode_split_cjk (void)
{
  static const struct { const char *encoding; const char *first; const char *second; const char *text; } cases[] = {
    { "Shift_JIS",  "93",       "fa 96 7b", "日本" },
    { "Shift_JIS",  "82 a0 93", "fa",       "あ日" },
    { "Big5",       "a4",       "a4 a4 e5", "中文" },
    { "Big5",       "a4 a4 a4", "e5",       "中文" },
    { "Big5-HKSCS", "88",       "62",       "\xc3\x8a\xcc\x84" },  /* two characters */
    { "EUC-JP",     "8f b0",    "a1",       "丂" },
    { "EUC-KR",     "c7",       "d1 b1 b9", "한국" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SbDecoder) decoder = sb_decoder_new (cases[i].encoding, SB_DECODE_DEFAULT, NULL);
      g_autoptr(GBytes) first = hex (cases[i].first);
      g_autoptr(GBytes) second = hex (cases[i].second);
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GArray) marks = marks_new ();

      sb_decoder_feed (decoder, g_bytes_get_data (first, NULL), g_bytes_get_size (first), out, marks);
      g_assert_cmpuint (sb_decoder_get_pending (decoder), >, 0);
      g_assert_true (g_str_has_prefix (cases[i].text, out->str));
      sb_decoder_feed (decoder, g_bytes_get_data (second, NULL), g_bytes_get_size (second), out, marks);
      g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 0);
      g_assert_cmpstr (out->str, ==, cases[i].text);
      g_assert_cmpuint (marks->len, ==, 0);
    }
}

static void
test_decode_split_invalid (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("GBK", SB_DECODE_DEFAULT, NULL);
  g_autoptr(SbDecoder) utf8 = sb_decoder_new ("UTF-8", SB_DECODE_DEFAULT, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) marks = marks_new ();
  static const guint8 gbk[] = { 0x41, 0xc4, 0x20, 0xc4, 0xfa };
  static const guint8 bad[] = { 0xe6, 0x82, 0x41 };

  /* The kept lead byte turns out invalid: it is escaped, the next byte is text. */
  sb_decoder_feed (decoder, gbk, 2, out, marks);
  g_assert_cmpstr (out->str, ==, "A");
  g_assert_cmpuint (marks->len, ==, 0);
  sb_decoder_feed (decoder, gbk + 2, 3, out, marks);
  g_assert_cmpstr (out->str, ==, "A\\xc4 您");
  g_assert_cmpuint (marks->len, ==, 1);
  assert_mark (marks, 0, 1, 5);

  g_string_truncate (out, 0);
  g_array_set_size (marks, 0);
  sb_decoder_feed (utf8, bad, 1, out, marks);
  sb_decoder_feed (utf8, bad + 1, 1, out, marks);
  g_assert_cmpstr (out->str, ==, "");
  sb_decoder_feed (utf8, bad + 2, 1, out, marks);
  g_assert_cmpstr (out->str, ==, "\\xe6\\x82A");
  g_assert_cmpuint (marks->len, ==, 2);
  assert_mark (marks, 0, 0, 4);
  assert_mark (marks, 1, 4, 8);
}

static void
test_decode_finish (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("GB18030", SB_DECODE_DEFAULT, NULL);
  g_autoptr(SbDecoder) utf8 = sb_decoder_new ("UTF-8", SB_DECODE_DEFAULT, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) marks = marks_new ();
  static const guint8 cut[] = { 0x41, 0x81, 0x30, 0x81 };
  static const guint8 nihao[] = { 0xc4, 0xfa };

  sb_decoder_feed (decoder, cut, sizeof cut, out, marks);
  g_assert_cmpstr (out->str, ==, "A");
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 3);

  /* Nothing kept is dropped; "0" after the bad lead is text again. */
  sb_decoder_finish (decoder, out, marks);
  g_assert_cmpstr (out->str, ==, "A\\x810\\x81");
  g_assert_cmpuint (marks->len, ==, 2);
  assert_mark (marks, 0, 1, 5);
  assert_mark (marks, 1, 6, 10);
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 0);

  /* A finished decoder starts a new stream. */
  g_string_truncate (out, 0);
  sb_decoder_feed (decoder, nihao, sizeof nihao, out, NULL);
  g_assert_cmpstr (out->str, ==, "您");

  /* Reset forgets kept bytes without writing them. */
  g_string_truncate (out, 0);
  sb_decoder_feed (utf8, cut + 1, 1, out, NULL);
  g_assert_cmpuint (sb_decoder_get_pending (utf8), ==, 0);
  g_assert_cmpstr (out->str, ==, "\\x81");
  g_string_truncate (out, 0);
  sb_decoder_feed (utf8, (const guint8 *) "\xe6\x82", 2, out, NULL);
  g_assert_cmpuint (sb_decoder_get_pending (utf8), ==, 2);
  sb_decoder_reset (utf8);
  g_assert_cmpuint (sb_decoder_get_pending (utf8), ==, 0);
  sb_decoder_finish (utf8, out, NULL);
  g_assert_cmpstr (out->str, ==, "");

  /* Finishing with nothing kept writes nothing. */
  sb_decoder_finish (utf8, out, marks);
  g_assert_cmpstr (out->str, ==, "");
}

static const char * const split_samples[][2] = {
  { "UTF-8",        "41 e6 82 a8 e5 a5 bd f0 9f 98 80 ff c0 80 ed a0 80 e6 82 41 0a 5c f4 90 80 e6" },
  { "UTF-8",        "c3 a9 e2 82 ac f0 9f 98 80 f0 9f 98 c3" },
  { "GBK",          "41 c4 fa ba c3 ff 80 c4 20 0d 0a 81 40 fe fe c4" },
  { "GB18030",      "81 30 81 30 a2 e3 81 30 20 94 39 fc 36 ff 81 30 81" },
  { "Big5",         "a4 a4 a4 e5 80 ff a4 20 a1 40 a4" },
  { "Big5-HKSCS",   "88 62 88 64 41 a4 a4 88 66 ff a4" },
  { "Shift_JIS",    "82 a0 5c 7e 93 fa 82 20 a0 ff 81 40 b1 82" },
  { "EUC-JP",       "8f b0 a1 c6 fc 8e 20 8f a1 8e b1 a4 a2 8f" },
  { "EUC-KR",       "b0 a1 b0 20 c7 d1 ff 41 b0" },
  { "ISO-8859-1",   "41 e9 ff 00 80 5c" },
  { "Windows-1252", "41 80 81 8d 9f 5c 0a" },
  { "KOI8-R",       "c1 ff 00 7f 5c" },
  { "UTF-16LE",     "41 00 3d d8 00 de 00 dc 3d d8 41 00 0a 00 5c 00 00 00 3d" },
  { "UTF-16BE",     "00 41 d8 3d de 00 dc 00 d8 3d 00 41 00 0a 00 5c 00" },
  { "hex",          "00 01 fe ff 41" },
};

static void
test_decode_split_every_point (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (split_samples); i++)
    {
      g_autoptr(GBytes) data = hex (split_samples[i][1]);

      check_every_split (split_samples[i][0], g_bytes_get_data (data, NULL),
                         g_bytes_get_size (data), SB_DECODE_DEFAULT);
      check_every_split (split_samples[i][0], g_bytes_get_data (data, NULL),
                         g_bytes_get_size (data), SB_DECODE_ESCAPE_CONTROLS);
    }
}

/* Every pair of bytes, whole and cut in the middle: catches an iconv that
 * would answer differently for a lone first byte than for the pair. */
static void
test_decode_split_all_pairs (void)
{
  guint e;

  for (e = 0; e < G_N_ELEMENTS (text_encodings); e++)
    {
      g_autoptr(SbDecoder) decoder = sb_decoder_new (text_encodings[e], SB_DECODE_ESCAPE_CONTROLS, NULL);
      g_autoptr(GString) whole = g_string_new (NULL);
      g_autoptr(GString) cut = g_string_new (NULL);
      g_autoptr(GArray) whole_marks = marks_new ();
      g_autoptr(GArray) cut_marks = marks_new ();
      guint v;

      for (v = 0; v < 0x10000; v++)
        {
          guint8 pair[2] = { v >> 8, v & 0xff };

          g_string_truncate (whole, 0);
          g_string_truncate (cut, 0);
          g_array_set_size (whole_marks, 0);
          g_array_set_size (cut_marks, 0);

          sb_decoder_feed (decoder, pair, 2, whole, whole_marks);
          sb_decoder_finish (decoder, whole, whole_marks);
          sb_decoder_feed (decoder, pair, 1, cut, cut_marks);
          sb_decoder_feed (decoder, pair + 1, 1, cut, cut_marks);
          sb_decoder_finish (decoder, cut, cut_marks);

          assert_same_decode (text_encodings[e], whole, whole_marks, cut, cut_marks, "pair");
          g_assert_true (g_utf8_validate_len (whole->str, whole->len, NULL));
        }
    }
}

/* Random bytes biased towards lead bytes, cut at random places. */
static void
test_decode_split_random (void)
{
  guint e;

  for (e = 0; e < G_N_ELEMENTS (text_encodings); e++)
    {
      g_autoptr(SbDecoder) decoder = sb_decoder_new (text_encodings[e], SB_DECODE_ESCAPE_CONTROLS, NULL);
      guint round;

      for (round = 0; round < 300; round++)
        {
          g_autoptr(GString) whole = g_string_new (NULL);
          g_autoptr(GString) cut = g_string_new (NULL);
          g_autoptr(GArray) whole_marks = marks_new ();
          g_autoptr(GArray) cut_marks = marks_new ();
          guint8 data[64];
          gsize cuts[6];
          guint i;

          for (i = 0; i < sizeof data; i++)
            data[i] = g_test_rand_bit () ? g_test_rand_int_range (0x80, 0x100)
                                         : g_test_rand_int_range (0, 0x100);
          for (i = 0; i < G_N_ELEMENTS (cuts); i++)
            cuts[i] = g_test_rand_int_range (0, sizeof data + 1);
          for (i = 1; i < G_N_ELEMENTS (cuts); i++)
            {
              guint j;

              for (j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
                {
                  gsize t = cuts[j];

                  cuts[j] = cuts[j - 1];
                  cuts[j - 1] = t;
                }
            }

          decode_cut (decoder, data, sizeof data, NULL, 0, whole, whole_marks);
          decode_cut (decoder, data, sizeof data, cuts, G_N_ELEMENTS (cuts), cut, cut_marks);
          assert_same_decode (text_encodings[e], whole, whole_marks, cut, cut_marks, "random");
          g_assert_true (g_utf8_validate_len (whole->str, whole->len, NULL));
        }
    }
}

/* Decoding with escapes then encoding the text back with the same escapes
 * gives the bytes back: nothing is dropped or replaced. Not for Big5, where
 * some characters have two codes (f9fa and a27e are both ╭), nor UTF-16,
 * whose controls are escaped as characters, not bytes. */
static void
test_decode_lossless (void)
{
  static const char * const encodings[] = {
    "UTF-8", "GBK", "GB18030", "Shift_JIS", "EUC-JP", "EUC-KR",
    "ISO-8859-1", "Windows-1252", "KOI8-R",
  };
  guint e;

  for (e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      guint round;

      for (round = 0; round < 200; round++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GBytes) back = NULL;
          g_autofree char *text = NULL;
          guint8 data[48];
          guint i;

          for (i = 0; i < sizeof data; i++)
            data[i] = g_test_rand_int_range (0, 0x100);

          text = sb_codec_decode (encodings[e], data, sizeof data, SB_DECODE_ESCAPE_CONTROLS, NULL);
          back = sb_codec_encode_escaped (encodings[e], text, -1, NULL, &error);
          if (error != NULL)
            g_error ("%s: %s: %s", encodings[e], text, error->message);
          if (g_bytes_get_size (back) != sizeof data ||
              memcmp (g_bytes_get_data (back, NULL), data, sizeof data) != 0)
            {
              g_autofree char *want = sb_codec_format_hex (data, sizeof data);
              g_autofree char *got = sb_codec_format_hex (g_bytes_get_data (back, NULL),
                                                          g_bytes_get_size (back));

              g_error ("%s: “%s”\n%s\n%s", encodings[e], text, want, got);
            }
        }
    }
}

static void
test_decode_ascii (void)
{
  guint8 ascii[128];
  guint e;
  guint i;
  g_autofree char *yen = NULL;

  for (i = 0; i < sizeof ascii; i++)
    ascii[i] = i;

  for (e = 0; e < G_N_ELEMENTS (text_encodings); e++)
    {
      g_autofree char *text = NULL;

      if (g_str_has_prefix (text_encodings[e], "UTF-16") || g_str_equal (text_encodings[e], "Shift_JIS"))
        continue;

      text = sb_codec_decode (text_encodings[e], ascii + 1, sizeof ascii - 1, SB_DECODE_DEFAULT, NULL);
      g_assert_cmpmem (text, strlen (text), ascii + 1, sizeof ascii - 1);
    }

  /* glibc's Shift_JIS is JIS X 0201 below 80: 5c is the yen sign, 7e the overline. */
  yen = decode_hex ("Shift_JIS", "41 5c 7e", SB_DECODE_DEFAULT, NULL);
  g_assert_cmpstr (yen, ==, "A¥‾");
}

static void
test_decode_long (void)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GArray) marks = marks_new ();
  g_autofree char *text = NULL;
  static const guint8 chunk[] = { 0xc4, 0xfa, 0xba, 0xc3, 'a', 'b', 0xff };
  guint i;

  /* Well past the converter's output buffer. */
  for (i = 0; i < 5000; i++)
    {
      g_byte_array_append (data, chunk, sizeof chunk);
      g_string_append (expected, "您好ab\\xff");
    }

  text = sb_codec_decode ("GBK", data->data, data->len, SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (text, ==, expected->str);
  g_assert_cmpuint (marks->len, ==, 5000);
  assert_mark (marks, 4999, expected->len - 4, expected->len);
}

static void
test_decode_hex (void)
{
  g_autoptr(SbDecoder) decoder = sb_decoder_new ("HEX", SB_DECODE_ESCAPE_CONTROLS, NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) marks = marks_new ();
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;
  static const guint8 data[] = { 'H', 'e', 'l', 0x00, 0xff };

  text = sb_codec_decode (SB_ENCODING_HEX, data, sizeof data, SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (text, ==, "48 65 6c 00 ff");
  g_assert_cmpuint (marks->len, ==, 0);

  empty = sb_codec_decode (SB_ENCODING_HEX, NULL, 0, SB_DECODE_DEFAULT, NULL);
  g_assert_cmpstr (empty, ==, "");

  /* Feeds join with a space, as if fed whole. */
  sb_decoder_feed (decoder, data, 2, out, marks);
  sb_decoder_feed (decoder, data + 2, 0, out, marks);
  sb_decoder_feed (decoder, data + 2, 3, out, marks);
  g_assert_cmpuint (sb_decoder_get_pending (decoder), ==, 0);
  sb_decoder_finish (decoder, out, marks);
  g_assert_cmpstr (out->str, ==, "48 65 6c 00 ff");

  /* After finish a new stream starts without a leading space. */
  sb_decoder_feed (decoder, data, 1, out, marks);
  g_assert_cmpstr (out->str, ==, "48 65 6c 00 ff48");
  g_assert_cmpuint (marks->len, ==, 0);
}

/* Encoding */

static void
test_encode_tables (void)
{
  static const struct { const char *encoding; const char *text; const char *bytes; } cases[] = {
    { "UTF-8",        "您好",   "e6 82 a8 e5 a5 bd" },
    { "GBK",          "您好",   "c4 fa ba c3" },
    { "cp936",        "您好",   "c4 fa ba c3" },
    { "GB18030",      "您好😀", "c4 fa ba c3 94 39 fc 36" },
    { "Big5",         "中文",   "a4 a4 a4 e5" },
    { "Big5-HKSCS",   "a\xc3\x8a", "61 88 66" },  /* held back by iconv until flushed */
    { "Big5-HKSCS",   "\xc3\x8a\xcc\x84", "88 62" },
    { "Shift_JIS",    "日本",   "93 fa 96 7b" },
    { "EUC-JP",       "日本",   "c6 fc cb dc" },
    { "EUC-KR",       "한국",   "c7 d1 b1 b9" },
    { "ISO-8859-1",   "é",      "e9" },
    { "Windows-1252", "“é”",    "93 e9 94" },
    { "KOI8-R",       "Ъ",      "ff" },
    { "UTF-16LE",     "A😀",    "41 00 3d d8 00 de" },
    { "UTF-16BE",     "A😀",    "00 41 d8 3d de 00" },
    { "UTF-8",        "",       "" },
    { "GBK",          "",       "" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      glong pos = 42;

      bytes = sb_codec_encode (cases[i].encoding, cases[i].text, -1, &pos, &error);
      g_assert_no_error (error);
      assert_bytes (bytes, cases[i].bytes);
      g_assert_cmpint (pos, ==, -1);
    }
}

static void
test_encode_roundtrip (void)
{
  static const struct { const char *encoding; const char *text; } cases[] = {
    { "GBK",          "服务端收到信息啦！" },
    { "GB18030",      "服务端收到信息啦！" },
    { "UTF-8",        "服务端收到信息啦！" },
    { "UTF-16LE",     "服务端收到信息啦！😀" },
    { "UTF-16BE",     "服务端收到信息啦！😀" },
    { "Big5",         "伺服器收到訊息了！" },
    { "Big5-HKSCS",   "伺服器收到訊息了！" },
    { "Shift_JIS",    "サーバーがメッセージを受信しました" },
    { "EUC-JP",       "サーバーがメッセージを受信しました" },
    { "EUC-KR",       "서버가 메시지를 받았습니다" },
    { "KOI8-R",       "Сервер получил сообщение" },
    { "Windows-1252", "Le serveur a reçu « ça » – 5 €" },
    { "ISO-8859-1",   "Le serveur a reçu « ça »" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GArray) marks = marks_new ();
      g_autofree char *text = NULL;

      bytes = sb_codec_encode (cases[i].encoding, cases[i].text, -1, NULL, &error);
      g_assert_no_error (error);
      text = sb_codec_decode (cases[i].encoding, g_bytes_get_data (bytes, NULL),
                              g_bytes_get_size (bytes), SB_DECODE_DEFAULT, marks);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpuint (marks->len, ==, 0);
    }

  {
    g_autoptr(GBytes) bytes = sb_codec_encode ("GBK", "服务端收到信息啦！", -1, NULL, NULL);

    assert_bytes (bytes, "b7 fe ce f1 b6 cb ca d5 b5 bd d0 c5 cf a2 c0 b2 a3 a1");
  }
}

static void
test_encode_euro (void)
{
  static const struct { const char *encoding; const char *bytes; } ok[] = {
    { "GB18030",      "a2 e3" },
    { "Windows-1252", "80" },
    { "GBK",          "80" },    /* glibc's GBK is CP936, which has it */
    { "Big5",         "a3 e1" },
    { "EUC-KR",       "a2 e6" },
    { "UTF-16LE",     "ac 20" },
  };
  static const char * const refused[] = {
    "ISO-8859-1", "KOI8-R", "Shift_JIS", "EUC-JP", "Big5-HKSCS",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = sb_codec_encode (ok[i].encoding, "€", -1, NULL, &error);

      g_assert_no_error (error);
      assert_bytes (bytes, ok[i].bytes);
    }

  for (i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *expected = g_strdup_printf ("“€” (U+20AC) at position 4 cannot be written in %s", refused[i]);
      glong pos = -1;

      bytes = sb_codec_encode (refused[i], "abc€d", -1, &pos, &error);
      g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNENCODABLE);
      g_assert_null (bytes);
      g_assert_cmpint (pos, ==, 3);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_encode_unencodable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  glong pos = -1;

  bytes = sb_codec_encode ("GBK", "您好😀!", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNENCODABLE);
  g_assert_null (bytes);
  g_assert_cmpint (pos, ==, 2);
  g_assert_cmpstr (error->message, ==, "“😀” (U+1F600) at position 3 cannot be written in GBK");
  g_clear_error (&error);

  /* Hangul is not in GBK; the position counts characters, not bytes. */
  bytes = sb_codec_encode ("gbk", "中文한", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNENCODABLE);
  g_assert_cmpint (pos, ==, 2);
  g_clear_error (&error);

  /* Only the first @len bytes count. */
  bytes = sb_codec_encode ("ISO-8859-1", "ab€", 2, &pos, &error);
  g_assert_no_error (error);
  assert_bytes (bytes, "61 62");
  g_assert_cmpint (pos, ==, -1);
}

/* glibc writes some characters it does not read back, without an error;
 * these must fail like any other unencodable character. */
static void
test_encode_honest (void)
{
  static const struct { const char *encoding; const char *text; glong pos; gunichar ch; } cases[] = {
    { "Shift_JIS",  "a\\b",               1, '\\' },    /* 5c reads back as ¥ */
    { "Shift_JIS",  "~",                  0, '~' },     /* 7e reads back as ‾ */
    { "EUC-JP",     "¥",                  0, 0xa5 },    /* would be 5c, read as \ */
    { "EUC-KR",     "a₩",                 1, 0x20a9 },  /* would read back as ￦ */
    { "GBK",        "a\xf3\xa0\x81\x81z", 1, 0xe0041 }, /* tag characters vanish */
    { "ISO-8859-1", "ab\xf3\xa0\x80\x81", 2, 0xe0001 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *code = g_strdup_printf ("(U+%04X)", cases[i].ch);
      glong pos = -1;

      bytes = sb_codec_encode (cases[i].encoding, cases[i].text, -1, &pos, &error);
      g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNENCODABLE);
      g_assert_null (bytes);
      g_assert_cmpint (pos, ==, cases[i].pos);
      g_assert_nonnull (strstr (error->message, code));
    }

  /* The first bad character is reported, even when glibc writes it
   * without complaint and only stops at a later one it has no code for
   * (found by tests/fuzz/fuzz-encode). */
  {
    static const struct { const char *encoding; const char *text; glong pos; gunichar ch; } later[] = {
      { "Shift_JIS", "a~b\xc6\xac",   1, '~' },   /* Ƭ is not in Shift_JIS at all */
      { "Shift_JIS", "x\\y😀",        1, '\\' },
      { "EUC-KR",    "₩😀",             0, 0x20a9 },
    };

    for (i = 0; i < G_N_ELEMENTS (later); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) bytes = NULL;
        g_autofree char *code = g_strdup_printf ("(U+%04X)", later[i].ch);
        glong pos = -1;

        bytes = sb_codec_encode (later[i].encoding, later[i].text, -1, &pos, &error);
        g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNENCODABLE);
        g_assert_null (bytes);
        g_assert_cmpint (pos, ==, later[i].pos);
        g_assert_nonnull (strstr (error->message, code));
      }
  }

  /* Shift_JIS still writes the yen sign as 5c. */
  {
    g_autoptr(GBytes) bytes = sb_codec_encode ("Shift_JIS", "¥", -1, NULL, NULL);

    assert_bytes (bytes, "5c");
  }
}

static void
test_encode_invalid_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  glong pos = -1;

  bytes = sb_codec_encode ("GBK", "ab\xff", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT);
  g_assert_null (bytes);
  g_assert_cmpint (pos, ==, 2);
  g_clear_error (&error);

  bytes = sb_codec_encode ("UTF-8", "您\xe5\xa5", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT);
  g_assert_cmpint (pos, ==, 1);
  g_clear_error (&error);

  /* Surrogates and NULs inside @len are not text either. */
  bytes = sb_codec_encode ("UTF-16LE", "\xed\xa0\x80", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT);
  g_assert_cmpint (pos, ==, 0);
  g_clear_error (&error);

  bytes = sb_codec_encode ("UTF-8", "a\0b", 3, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT);
  g_assert_cmpint (pos, ==, 1);
  g_clear_error (&error);

  bytes = sb_codec_encode_escaped ("UTF-8", "\\n\xff", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT);
  g_assert_cmpint (pos, ==, 2);
}

static void
test_encode_utf16 (void)
{
  g_autoptr(GBytes) le = sb_codec_encode ("UTF-16LE", "Hi", -1, NULL, NULL);
  g_autoptr(GBytes) be = sb_codec_encode ("utf-16be", "Hi", -1, NULL, NULL);
  g_autoptr(GBytes) le2 = NULL;

  /* No byte order mark, ever: not at the start, not per call. */
  assert_bytes (le, "48 00 69 00");
  assert_bytes (be, "00 48 00 69");
  le2 = sb_codec_encode_escaped ("UTF-16LE", "a\\nb", -1, NULL, NULL);
  assert_bytes (le2, "61 00 0a 00 62 00");
}

static void
test_encode_hex (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) escaped = NULL;
  glong pos = -1;

  bytes = sb_codec_encode (SB_ENCODING_HEX, "48 65 6C", -1, NULL, &error);
  g_assert_no_error (error);
  assert_bytes (bytes, "48 65 6c");
  g_clear_pointer (&bytes, g_bytes_unref);

  escaped = sb_codec_encode_escaped ("hex", "0x48,0x65", -1, NULL, &error);
  g_assert_no_error (error);
  assert_bytes (escaped, "48 65");

  /* Only @len bytes are read, even without a nul after them. */
  bytes = sb_codec_encode ("hex", "48 65 6c", 5, NULL, &error);
  g_assert_no_error (error);
  assert_bytes (bytes, "48 65");
  g_clear_pointer (&bytes, g_bytes_unref);

  bytes = sb_codec_encode ("hex", "48 6", -1, &pos, &error);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_HEX);
  g_assert_null (bytes);
  g_assert_cmpint (pos, ==, 3);
}

/* Escapes */

static void
test_escaped_forms (void)
{
  static const struct { const char *encoding; const char *text; const char *bytes; } cases[] = {
    { "UTF-8",    "a\\r\\n\\t\\\\\\0z",  "61 0d 0a 09 5c 00 7a" },
    { "UTF-8",    "\\x00\\xff\\xAB",     "00 ff ab" },
    { "UTF-8",    "您\\x0a好",           "e6 82 a8 0a e5 a5 bd" },
    { "GBK",      "您\\xff好\\r\\n",     "c4 fa ff ba c3 0d 0a" },
    { "GBK",      "",                    "" },
    { "GBK",      "\\\\",                "5c" },
    { "UTF-16LE", "\\x41\\0A",           "41 00 00 41 00" },
    { "UTF-16BE", "\\\\\\t",             "00 5c 00 09" },
    { "UTF-8",    "x",                   "78" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      glong pos = 42;

      bytes = sb_codec_encode_escaped (cases[i].encoding, cases[i].text, -1, &pos, &error);
      g_assert_no_error (error);
      assert_bytes (bytes, cases[i].bytes);
      g_assert_cmpint (pos, ==, -1);
    }

  /* @len cuts before a trailing escape. */
  {
    g_autoptr(GBytes) bytes = sb_codec_encode_escaped ("UTF-8", "ab\\n", 2, NULL, NULL);

    assert_bytes (bytes, "61 62");
  }
}

static void
test_escaped_errors (void)
{
  static const struct { const char *text; glong pos; SbCodecError code; const char *message; } cases[] = {
    { "ab\\q",        2, SB_CODEC_ERROR_INVALID_ESCAPE, "“\\q” at position 3 is not a valid escape; use \\r, \\n, \\t, \\\\, \\0, \\xNN or \\uNNNN" },
    { "é\\x4",        1, SB_CODEC_ERROR_INVALID_ESCAPE, "“\\x4” at position 2 is not a valid escape: \\x needs two hexadecimal digits" },
    { "\\x4g",        0, SB_CODEC_ERROR_INVALID_ESCAPE, "“\\x4g” at position 1 is not a valid escape: \\x needs two hexadecimal digits" },
    { "\\x",          0, SB_CODEC_ERROR_INVALID_ESCAPE, NULL },
    { "abc\\",        3, SB_CODEC_ERROR_INVALID_ESCAPE, "“\\” at position 4 ends the text; write “\\\\” for a backslash" },
    { "\\n\\é",       2, SB_CODEC_ERROR_INVALID_ESCAPE, "“\\é” at position 3 is not a valid escape; use \\r, \\n, \\t, \\\\, \\0, \\xNN or \\uNNNN" },
    { "\\X41",        0, SB_CODEC_ERROR_INVALID_ESCAPE, NULL },
    { "\\x41\\n\\\\€", 8, SB_CODEC_ERROR_UNENCODABLE,    "“€” (U+20AC) at position 9 cannot be written in ISO-8859-1" },
    { "é\\xff€",      5, SB_CODEC_ERROR_UNENCODABLE,    NULL },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      glong pos = -1;

      bytes = sb_codec_encode_escaped ("ISO-8859-1", cases[i].text, -1, &pos, &error);
      g_assert_error (error, SB_CODEC_ERROR, (gint) cases[i].code);
      g_assert_null (bytes);
      g_assert_cmpint (pos, ==, cases[i].pos);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

/* Hex */

static void
test_hex_format (void)
{
  static const guint8 data[] = { 0x48, 0x65, 0x6c, 0x00, 0xab, 0xff };
  g_autofree char *empty = sb_codec_format_hex (NULL, 0);
  g_autofree char *one = sb_codec_format_hex (data, 1);
  g_autofree char *all = sb_codec_format_hex (data, sizeof data);

  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (one, ==, "48");
  g_assert_cmpstr (all, ==, "48 65 6c 00 ab ff");
}

static void
test_hex_parse (void)
{
  static const struct { const char *text; const char *expected; } cases[] = {
    { "48 65",            "48 65" },
    { "4865",             "48 65" },
    { "0x48,0x65",        "48 65" },
    { "0X48 0x65",        "48 65" },
    { "48:65",            "48 65" },
    { "48-65",            "48 65" },
    { "48\n65\t6c\r\n",   "48 65 6c" },
    { " , 48 ,, 65 ,",    "48 65" },
    { "aBcD",             "ab cd" },
    { "0x4865",           "48 65" },
    { "00",               "00" },
    { "",                 "" },
    { "  \n",             "" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *text = NULL;
      glong pos = 42;

      bytes = sb_codec_parse_hex (cases[i].text, &pos, &error);
      g_assert_no_error (error);
      g_assert_cmpint (pos, ==, -1);
      text = sb_codec_format_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_hex_parse_errors (void)
{
  static const struct { const char *text; glong pos; const char *message; } cases[] = {
    { "48 6g",     4, "“g” at position 5 is not a hexadecimal digit" },
    { "486",       0, "“486” at position 1 has an odd number of hex digits" },
    { "48 486 65", 3, "“486” at position 4 has an odd number of hex digits" },
    { "0x486",     0, "“0x486” at position 1 has an odd number of hex digits" },
    { "4",         0, NULL },
    { "48 0x",     3, "“0x” at position 4 is not followed by hexadecimal digits" },
    { "0x 48",     0, NULL },
    { "00x48",     2, "“x” at position 3 is not a hexadecimal digit" },
    { "48;65",     2, "“;” at position 3 is not a hexadecimal digit" },
    { "您48",      0, "“您” at position 1 is not a hexadecimal digit" },
    { "48 你",     3, NULL },
    { "x",         0, NULL },
    { "48 65 ZZ",  6, NULL },
    { "0123456789abcdef0",  0, "“0123456789abcdef…” at position 1 has an odd number of hex digits" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      glong pos = -1;

      bytes = sb_codec_parse_hex (cases[i].text, &pos, &error);
      g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_HEX);
      g_assert_null (bytes);
      g_assert_cmpint (pos, ==, cases[i].pos);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
    }

  /* Not UTF-8 at all is a different mistake. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = NULL;
    glong pos = -1;

    bytes = sb_codec_parse_hex ("48 \xff", &pos, &error);
    g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT);
    g_assert_cmpint (pos, ==, 3);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/encode/unicode-escape", test_encode_unicode_escape);
  g_test_add_func ("/codec/encodings/table", test_encodings_table);
  g_test_add_func ("/codec/encodings/aliases", test_encodings_aliases);
  g_test_add_func ("/codec/encodings/unsupported", test_encodings_unsupported);

  g_test_add_func ("/codec/decode/utf8", test_decode_utf8);
  g_test_add_func ("/codec/decode/gbk", test_decode_gbk);
  g_test_add_func ("/codec/decode/invalid-utf8", test_decode_invalid_utf8);
  g_test_add_func ("/codec/decode/invalid-gbk", test_decode_invalid_gbk);
  g_test_add_func ("/codec/decode/invalid-other", test_decode_invalid_other);
  g_test_add_func ("/codec/decode/controls", test_decode_controls);
  g_test_add_func ("/codec/decode/format-characters", test_decode_format_characters);
  g_test_add_func ("/codec/decode/shared-iconv", test_decode_shared_iconv);
  g_test_add_func ("/codec/decode/nul-default", test_decode_nul_default);
  g_test_add_func ("/codec/decode/marks-offsets", test_decode_marks_offsets);
  g_test_add_func ("/codec/decode/split-utf8", test_decode_split_utf8);
  g_test_add_func ("/codec/decode/split-gbk", test_decode_split_gbk);
  g_test_add_func ("/codec/decode/split-utf16", test_decode_split_utf16);
  g_test_add_func ("/codec/decode/split-cjk", test_decode_split_cjk);
  g_test_add_func ("/codec/decode/split-invalid", test_decode_split_invalid);
  g_test_add_func ("/codec/decode/finish", test_decode_finish);
  g_test_add_func ("/codec/decode/split-every-point", test_decode_split_every_point);
  g_test_add_func ("/codec/decode/split-all-pairs", test_decode_split_all_pairs);
  g_test_add_func ("/codec/decode/split-random", test_decode_split_random);
  g_test_add_func ("/codec/decode/lossless", test_decode_lossless);
  g_test_add_func ("/codec/decode/ascii", test_decode_ascii);
  g_test_add_func ("/codec/decode/long", test_decode_long);
  g_test_add_func ("/codec/decode/hex", test_decode_hex);

  g_test_add_func ("/codec/encode/tables", test_encode_tables);
  g_test_add_func ("/codec/encode/roundtrip", test_encode_roundtrip);
  g_test_add_func ("/codec/encode/euro", test_encode_euro);
  g_test_add_func ("/codec/encode/unencodable", test_encode_unencodable);
  g_test_add_func ("/codec/encode/honest", test_encode_honest);
  g_test_add_func ("/codec/encode/invalid-text", test_encode_invalid_text);
  g_test_add_func ("/codec/encode/utf16", test_encode_utf16);
  g_test_add_func ("/codec/encode/hex", test_encode_hex);

  g_test_add_func ("/codec/escaped/forms", test_escaped_forms);
  g_test_add_func ("/codec/escaped/errors", test_escaped_errors);

  g_test_add_func ("/codec/hex/format", test_hex_format);
  g_test_add_func ("/codec/hex/parse", test_hex_parse);
  g_test_add_func ("/codec/hex/parse-errors", test_hex_parse_errors);

  return g_test_run ();
}
