/* test-inspect.c — which bytes make which character, and why not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-inspect.h"

typedef struct
{
  guint       offset;
  guint       length;
  SbUnitKind  kind;
  const char *text;
} Expect;

static void
check_units (const char   *encoding,
             const char   *bytes,
             gsize         len,
             const Expect *expect,
             guint         n_expect)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) units = sb_inspect_units (encoding, (const guint8 *) bytes, len, &error);
  guint covered = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (units->len, ==, n_expect);

  for (guint i = 0; i < units->len; i++)
    {
      SbUnit *unit = &g_array_index (units, SbUnit, i);

      /* Every byte belongs to exactly one unit, in order. */
      g_assert_cmpuint (unit->offset, ==, covered);
      covered += unit->length;

      g_assert_cmpuint (unit->offset, ==, expect[i].offset);
      g_assert_cmpuint (unit->length, ==, expect[i].length);
      g_assert_cmpint (unit->kind, ==, expect[i].kind);
      g_assert_cmpstr (unit->text, ==, expect[i].text);
    }
  g_assert_cmpuint (covered, ==, len);
}

static void
test_utf8 (void)
{
  const Expect expect[] = {
    { 0, 3, SB_UNIT_CHAR, "您" },
    { 3, 1, SB_UNIT_CHAR, "a" },
    { 4, 1, SB_UNIT_INVALID, "" },
    { 5, 3, SB_UNIT_CHAR, "好" },
    { 8, 2, SB_UNIT_INCOMPLETE, "" },
  };

  check_units ("UTF-8", "\xe6\x82\xa8" "a" "\xff" "\xe5\xa5\xbd" "\xe6\x82", 10, expect, G_N_ELEMENTS (expect));
}

static void
test_utf8_nul (void)
{
  /* Binary data: a NUL is one byte, not the end of the message. */
  const Expect expect[] = {
    { 0, 1, SB_UNIT_CHAR, "a" },
    { 1, 1, SB_UNIT_CHAR, "" },
    { 2, 1, SB_UNIT_CHAR, "b" },
  };

  check_units ("UTF-8", "a\0b", 3, expect, G_N_ELEMENTS (expect));
}

static void
test_gbk (void)
{
  const Expect expect[] = {
    { 0, 2, SB_UNIT_CHAR, "您" },
    { 2, 2, SB_UNIT_CHAR, "好" },
    { 4, 1, SB_UNIT_INVALID, "" },
    { 5, 1, SB_UNIT_CHAR, "!" },
  };

  check_units ("GBK", "\xc4\xfa\xba\xc3\xff!", 6, expect, G_N_ELEMENTS (expect));
}

static void
test_same_char_two_encodings (void)
{
  /* 您 is e6 82 a8 in UTF-8 and c4 fa in GBK: the inspector's side by side. */
  g_autoptr(GArray) utf8 = sb_inspect_units ("UTF-8", (const guint8 *) "\xe6\x82\xa8", 3, NULL);
  g_autoptr(GArray) gbk = sb_inspect_units ("GBK", (const guint8 *) "\xc4\xfa", 2, NULL);

  g_assert_cmpuint (utf8->len, ==, 1);
  g_assert_cmpuint (gbk->len, ==, 1);
  g_assert_cmpstr (g_array_index (utf8, SbUnit, 0).text, ==, g_array_index (gbk, SbUnit, 0).text);
  g_assert_cmpuint (g_array_index (utf8, SbUnit, 0).length, ==, 3);
  g_assert_cmpuint (g_array_index (gbk, SbUnit, 0).length, ==, 2);
}

static void
test_shift_jis (void)
{
  /* こんにちは: two bytes a character, then an ASCII byte. */
  const Expect expect[] = {
    { 0, 2, SB_UNIT_CHAR, "こ" },
    { 2, 2, SB_UNIT_CHAR, "ん" },
    { 4, 1, SB_UNIT_CHAR, "A" },
    { 5, 1, SB_UNIT_INCOMPLETE, "" },
  };

  check_units ("Shift_JIS", "\x82\xb1\x82\xf1" "A" "\x82", 6, expect, G_N_ELEMENTS (expect));
}

static void
test_utf16 (void)
{
  const Expect expect[] = {
    { 0, 2, SB_UNIT_CHAR, "A" },
    { 2, 4, SB_UNIT_CHAR, "😀" },
    { 6, 1, SB_UNIT_INCOMPLETE, "" },
  };

  check_units ("UTF-16LE", "A\0" "\x3d\xd8\x00\xde" "x", 7, expect, G_N_ELEMENTS (expect));
}

static void
test_hex (void)
{
  const Expect expect[] = {
    { 0, 1, SB_UNIT_CHAR, "00" },
    { 1, 1, SB_UNIT_CHAR, "ff" },
  };

  check_units ("hex", "\0\xff", 2, expect, G_N_ELEMENTS (expect));
}

static void
test_reasons (void)
{
  struct {
    const char *encoding;
    const char *bytes;
    gsize       len;
    guint       unit;
    const char *reason;
  } cases[] = {
    { "GBK", "\xff", 1, 0, "0xff cannot start a GBK character" },
    { "GBK", "\xc4 ", 2, 0, "0xc4 starts a GBK character, but 0x20 cannot follow it" },
    { "GBK", "a\xc4", 2, 1, "The message ends in the middle of a GBK character" },
    { "UTF-8", "\xa8", 1, 0, "0xa8 continues a UTF-8 character, but no character started before it" },
    { "UTF-8", "\xff", 1, 0, "0xff never appears in UTF-8" },
    { "UTF-8", "\xe6z", 2, 0, "0xe6 starts a UTF-8 character, but the bytes after it do not continue it" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) units = sb_inspect_units (cases[i].encoding, (const guint8 *) cases[i].bytes, cases[i].len, NULL);
      g_autofree char *reason = sb_inspect_describe (&g_array_index (units, SbUnit, cases[i].unit),
                                                     cases[i].encoding,
                                                     (const guint8 *) cases[i].bytes, cases[i].len);

      g_assert_cmpstr (reason, ==, cases[i].reason);
    }
}

static void
test_every_byte_covered (void)
{
  /* Random bytes in every encoding: units tile the message exactly. */
  const char *encodings[] = { "UTF-8", "GBK", "GB18030", "Big5", "Shift_JIS", "EUC-JP", "EUC-KR", "UTF-16BE", "ISO-8859-1" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint8 data[512];

  for (guint i = 0; i < sizeof data; i++)
    data[i] = g_rand_int (rand);

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr(GArray) units = sb_inspect_units (encodings[e], data, sizeof data, NULL);
      guint covered = 0;

      g_assert_nonnull (units);
      for (guint i = 0; i < units->len; i++)
        {
          SbUnit *unit = &g_array_index (units, SbUnit, i);

          g_assert_cmpuint (unit->offset, ==, covered);
          g_assert_cmpuint (unit->length, >, 0);
          covered += unit->length;
        }
      g_assert_cmpuint (covered, ==, sizeof data);
    }
}

static void
test_unknown_encoding (void)
{
  g_autoptr(GError) error = NULL;
  GArray *units = sb_inspect_units ("no-such-encoding", (const guint8 *) "a", 1, &error);

  g_assert_null (units);
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/inspect/utf8", test_utf8);
  g_test_add_func ("/inspect/utf8-nul", test_utf8_nul);
  g_test_add_func ("/inspect/gbk", test_gbk);
  g_test_add_func ("/inspect/utf8-vs-gbk", test_same_char_two_encodings);
  g_test_add_func ("/inspect/shift-jis", test_shift_jis);
  g_test_add_func ("/inspect/utf16", test_utf16);
  g_test_add_func ("/inspect/hex", test_hex);
  g_test_add_func ("/inspect/reasons", test_reasons);
  g_test_add_func ("/inspect/every-byte-covered", test_every_byte_covered);
  g_test_add_func ("/inspect/unknown-encoding", test_unknown_encoding);

  return g_test_run ();
}
