/* test-checksum.c — sums, CRCs and check specs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Check values are those of the CRC catalogue (reveng.sourceforge.io):
 * the CRC of the nine ASCII bytes "123456789".
 */
#include <string.h>

#include "sb-checksum.h"

static const guint8 check_input[] = "123456789";

static SbChecksum *
get (const char *name)
{
  g_autoptr(GError) error = NULL;
  SbChecksum *checksum = sb_checksum_new_from_string (name, &error);

  g_assert_no_error (error);
  g_assert_nonnull (checksum);
  return checksum;
}

static guint64
check_value (const char *name)
{
  g_autoptr(SbChecksum) checksum = get (name);

  return sb_checksum_compute (checksum, check_input, 9);
}

static void
test_catalogue (void)
{
  static const struct { const char *name; guint64 check; guint width; SbByteOrder order; } cases[] = {
    { "crc-16/modbus",      0x4b37,     16, SB_BYTE_ORDER_LITTLE },
    { "crc-32",             0xcbf43926, 32, SB_BYTE_ORDER_BIG },
    { "crc-16/ccitt-false", 0x29b1,     16, SB_BYTE_ORDER_BIG },
    { "crc-16/xmodem",      0x31c3,     16, SB_BYTE_ORDER_BIG },
    { "crc-16/arc",         0xbb3d,     16, SB_BYTE_ORDER_BIG },
    { "crc-16/ibm",         0xbb3d,     16, SB_BYTE_ORDER_BIG },
    { "crc-32c",            0xe3069283, 32, SB_BYTE_ORDER_BIG },
    { "crc-8",              0xf4,       8,  SB_BYTE_ORDER_BIG },
    /* 0x31 + … + 0x39 = 0x1dd */
    { "sum8",               0xdd,       8,  SB_BYTE_ORDER_BIG },
    /* 0x30 nine times is 0x30; 1 ^ 2 ^ … ^ 9 = 1 */
    { "xor8",               0x31,       8,  SB_BYTE_ORDER_BIG },
    /* two's complement of the sum */
    { "lrc",                0x23,       8,  SB_BYTE_ORDER_BIG },
    { "CRC-16/MODBUS",      0x4b37,     16, SB_BYTE_ORDER_LITTLE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SbChecksum) checksum = get (cases[i].name);

      g_assert_cmphex (sb_checksum_compute (checksum, check_input, 9), ==, cases[i].check);
      g_assert_cmpuint (sb_checksum_get_width (checksum), ==, cases[i].width);
      g_assert_cmpuint (sb_checksum_get_size (checksum), ==, cases[i].width / 8);
      g_assert_cmpint (sb_checksum_get_byte_order (checksum), ==, cases[i].order);
    }

  /* Every listed name looks up, and an alias gives the canonical name. */
  for (const char * const *n = sb_checksum_list_names (); *n; n++)
    {
      g_autoptr(SbChecksum) checksum = get (*n);

      g_assert_cmpstr (sb_checksum_get_name (checksum), ==, *n);
    }
  {
    g_autoptr(SbChecksum) ibm = get ("crc-16/ibm");

    g_assert_cmpstr (sb_checksum_get_name (ibm), ==, "crc-16/arc");
    g_assert_cmpstr (sb_checksum_list_names ()[0], ==, "crc-16/modbus");
  }
}

static void
test_pieces (void)
{
  for (const char * const *n = sb_checksum_list_names (); *n; n++)
    {
      g_autoptr(SbChecksum) checksum = get (*n);
      guint64 whole = sb_checksum_compute (checksum, check_input, 9);

      for (gsize cut = 0; cut <= 9; cut++)
        {
          guint64 state = sb_checksum_start (checksum);

          state = sb_checksum_update (checksum, state, check_input, cut);
          state = sb_checksum_update (checksum, state, check_input + cut, 9 - cut);
          g_assert_cmphex (sb_checksum_finish (checksum, state), ==, whole);
        }
    }

  /* Empty input: init ^ xorout for a CRC. */
  g_assert_cmphex (check_value ("crc-16/modbus") , ==, 0x4b37);
  {
    g_autoptr(SbChecksum) crc32 = get ("crc-32");
    g_autoptr(SbChecksum) modbus = get ("crc-16/modbus");

    g_assert_cmphex (sb_checksum_compute (crc32, NULL, 0), ==, 0);
    g_assert_cmphex (sb_checksum_compute (modbus, NULL, 0), ==, 0xffff);
  }
}

static void
test_custom (void)
{
  /* Custom CRCs that are the named ones, and other widths of the catalogue. */
  static const struct { const char *spec; guint64 check; guint size; } cases[] = {
    { "crc:width=16,poly=0x8005,init=0xffff,refin=true,refout=true,xorout=0", 0x4b37, 2 },
    { "crc:width=32 poly=0x04c11db7 init=0xffffffff refin=true xorout=0xffffffff", 0xcbf43926, 4 },
    { "crc:poly=0x1021,width=16,init=0xffff", 0x29b1, 2 },
    { "crc:width=16,poly=0x1021", 0x31c3, 2 },
    { "crc:width=8,poly=7", 0xf4, 1 },
    { "crc:width=32,poly=0x1edc6f41,init=0xffffffff,refin=1,refout=1,xorout=0xffffffff", 0xe3069283, 4 },
    /* CRC-16/KERMIT */
    { "crc:width=16,poly=0x1021,refin=true", 0x2189, 2 },
    /* CRC-3/GSM, CRC-5/USB, CRC-7/MMC */
    { "crc:width=3,poly=0x3,xorout=0x7", 0x4, 1 },
    { "crc:width=5,poly=0x05,init=0x1f,refin=true,xorout=0x1f", 0x19, 1 },
    { "crc:width=7,poly=0x09", 0x75, 1 },
    /* CRC-12/UMTS: refin false, refout true */
    { "crc:width=12,poly=0x80f,refin=false,refout=true", 0xdaf, 2 },
    /* CRC-24/OPENPGP */
    { "crc:width=24,poly=0x864cfb,init=0xb704ce", 0x21cf02, 3 },
    /* CRC-64/ECMA-182 */
    { "crc:width=64,poly=0x42f0e1eba9ea3693", G_GUINT64_CONSTANT (0x6c40df5f0b497347), 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SbChecksum) checksum = get (cases[i].spec);
      g_autoptr(SbChecksum) again = NULL;

      g_assert_cmphex (sb_checksum_compute (checksum, check_input, 9), ==, cases[i].check);
      g_assert_cmpuint (sb_checksum_get_size (checksum), ==, cases[i].size);
      g_assert_true (sb_checksum_get_crc_params (checksum, NULL));
      /* The name reads back as the same CRC. */
      again = get (sb_checksum_get_name (checksum));
      g_assert_cmphex (sb_checksum_compute (again, check_input, 9), ==, cases[i].check);
      g_assert_cmpstr (sb_checksum_get_name (again), ==, sb_checksum_get_name (checksum));
    }

  {
    SbCrcParams params = { 16, 0x8005, 0xffff, TRUE, TRUE, 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(SbChecksum) crc = sb_checksum_new_crc (&params, &error);
    g_autoptr(SbChecksum) sum = get ("sum8");
    SbCrcParams back;

    g_assert_no_error (error);
    g_assert_cmphex (sb_checksum_compute (crc, check_input, 9), ==, 0x4b37);
    g_assert_true (sb_checksum_get_crc_params (crc, &back));
    g_assert_cmpuint (back.width, ==, 16);
    g_assert_cmphex (back.poly, ==, 0x8005);
    g_assert_false (sb_checksum_get_crc_params (sum, NULL));
  }
}

static void
test_errors (void)
{
  static const struct { const char *name; SbChecksumError code; const char *needle; } cases[] = {
    { "crc16", SB_CHECKSUM_ERROR_UNKNOWN, "crc-16/modbus" },
    { "crc-32x", SB_CHECKSUM_ERROR_UNKNOWN, "crc-32" },
    { "xor", SB_CHECKSUM_ERROR_UNKNOWN, "xor8" },
    { "", SB_CHECKSUM_ERROR_UNKNOWN, "crc-16/modbus" },
    { "crc:", SB_CHECKSUM_ERROR_INVALID, "width" },
    { "crc:width=16", SB_CHECKSUM_ERROR_INVALID, "poly" },
    { "crc:width=0,poly=1", SB_CHECKSUM_ERROR_INVALID, "1 to 64" },
    { "crc:width=65,poly=1", SB_CHECKSUM_ERROR_INVALID, "not 65" },
    { "crc:width=8,poly=0x107", SB_CHECKSUM_ERROR_INVALID, "8 bits" },
    { "crc:width=8,poly=0x06", SB_CHECKSUM_ERROR_INVALID, "odd" },
    { "crc:width=8,poly=7,refin=maybe", SB_CHECKSUM_ERROR_INVALID, "maybe" },
    { "crc:width=8,poly=7,colour=red", SB_CHECKSUM_ERROR_INVALID, "colour" },
    { "crc:width=8,poly", SB_CHECKSUM_ERROR_INVALID, "KEY=VALUE" },
    { "crc:width=8,poly=-7", SB_CHECKSUM_ERROR_INVALID, "-7" },
    { "crc-\xff", SB_CHECKSUM_ERROR_UNKNOWN, "not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbChecksum) checksum = sb_checksum_new_from_string (cases[i].name, &error);

      g_assert_null (checksum);
      g_assert_error (error, SB_CHECKSUM_ERROR, (gint) cases[i].code);
      if (strstr (error->message, cases[i].needle) == NULL)
        g_error ("“%s”: “%s” does not mention “%s”", cases[i].name, error->message, cases[i].needle);
    }

  g_assert_cmpstr (sb_checksum_nearest_name ("CRC16MODBUS"), ==, "crc-16/modbus");
  g_assert_cmpstr (sb_checksum_nearest_name ("crc32c"), ==, "crc-32c");
  g_assert_cmpstr (sb_checksum_nearest_name ("ccitt"), !=, NULL);
  g_assert_cmpstr (sb_checksum_nearest_name ("crc-16/ccit-false"), ==, "crc-16/ccitt-false");
  g_assert_cmpstr (sb_checksum_nearest_name ("lrcc"), ==, "lrc");
}

static void
test_byte_order (void)
{
  guint8 out[8];
  SbByteOrder order;

  sb_put_uint (0x1234, 2, SB_BYTE_ORDER_BIG, out);
  g_assert_cmphex (out[0], ==, 0x12);
  g_assert_cmphex (out[1], ==, 0x34);
  sb_put_uint (0x1234, 2, SB_BYTE_ORDER_LITTLE, out);
  g_assert_cmphex (out[0], ==, 0x34);
  g_assert_cmphex (out[1], ==, 0x12);
  sb_put_uint (G_GUINT64_CONSTANT (0x0102030405060708), 8, SB_BYTE_ORDER_LITTLE, out);
  g_assert_cmphex (out[0], ==, 0x08);
  g_assert_cmphex (out[7], ==, 0x01);
  g_assert_cmphex (sb_get_uint (out, 8, SB_BYTE_ORDER_LITTLE), ==, G_GUINT64_CONSTANT (0x0102030405060708));
  g_assert_cmphex (sb_get_uint (out, 8, SB_BYTE_ORDER_BIG), ==, G_GUINT64_CONSTANT (0x0807060504030201));
  /* Only the low bytes are written. */
  sb_put_uint (0xabcdef, 1, SB_BYTE_ORDER_BIG, out);
  g_assert_cmphex (out[0], ==, 0xef);

  g_assert_true (sb_byte_order_from_string ("LE", &order));
  g_assert_cmpint (order, ==, SB_BYTE_ORDER_LITTLE);
  g_assert_true (sb_byte_order_from_string ("be", &order));
  g_assert_cmpint (order, ==, SB_BYTE_ORDER_BIG);
  g_assert_false (sb_byte_order_from_string ("middle", &order));
  g_assert_cmpstr (sb_byte_order_to_string (SB_BYTE_ORDER_LITTLE), ==, "le");
}

/* A Modbus RTU request: read 10 holding registers from 0 of unit 1. */
static const guint8 modbus_frame[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };

static void
test_modbus_rtu (void)
{
  g_autoptr(SbChecksum) modbus = get ("crc-16/modbus");
  guint64 crc = sb_checksum_compute (modbus, modbus_frame, 6);
  guint8 wire[2];

  g_assert_cmphex (crc, ==, 0xcdc5);
  sb_put_uint (crc, 2, sb_checksum_get_byte_order (modbus), wire);
  g_assert_cmphex (wire[0], ==, 0xc5);
  g_assert_cmphex (wire[1], ==, 0xcd);

  /* The CRC of a whole frame, CRC included, is 0 (the residue). */
  g_assert_cmphex (sb_checksum_compute (modbus, modbus_frame, 8), ==, 0);
}

static void
test_spec_parse (void)
{
  static const struct { const char *text; const char *printed; } cases[] = {
    { "crc-16/modbus", "crc-16/modbus" },
    { "crc-16/modbus:0:-3", "crc-16/modbus" },
    { "crc-16/modbus:0:-3:le", "crc-16/modbus" },
    { "CRC-16/MODBUS:be", "crc-16/modbus:be" },
    { "crc-32:2:-5", "crc-32:2:-5" },
    { "crc-32:0:-5:le", "crc-32:le" },
    { "crc-16/ibm", "crc-16/arc" },
    { "lrc:1:-3", "lrc:1:-3" },
    { "crc:width=16,poly=0x8005,init=0xffff,refin=true:0:-4",
      "crc:width=16,poly=0x8005,init=0xffff,refin=true,refout=true,xorout=0x0:0:-4" },
  };
  static const struct { const char *text; const char *needle; } errors[] = {
    { "", "crc-16/modbus" },
    { "crc16", "crc-16/modbus" },
    { "crc-16/modbus:0", "FIRST:LAST" },
    { "crc-16/modbus:a:b", "FIRST:LAST" },
    { "crc-16/modbus:0:-3:xx", "FIRST:LAST" },
    { "crc-16/modbus:le:be", "FIRST:LAST" },
    { "crc-16/modbus:0:-3:le:1", "FIRST:LAST" },
    { "crc", "width" },
    { "crc:width=99,poly=1", "64" },
    { "crc-16/modbus:\xc3", "not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbCheckSpec) spec = sb_check_spec_parse (cases[i].text, &error);
      g_autoptr(SbCheckSpec) again = NULL;
      g_autoptr(SbCheckSpec) copy = NULL;
      g_autofree char *printed = NULL;
      g_autofree char *printed_again = NULL;
      g_autofree char *printed_copy = NULL;

      g_assert_no_error (error);
      printed = sb_check_spec_to_string (spec);
      g_assert_cmpstr (printed, ==, cases[i].printed);
      again = sb_check_spec_parse (printed, &error);
      g_assert_no_error (error);
      printed_again = sb_check_spec_to_string (again);
      g_assert_cmpstr (printed_again, ==, printed);
      copy = sb_check_spec_copy (spec);
      printed_copy = sb_check_spec_to_string (copy);
      g_assert_cmpstr (printed_copy, ==, printed);
    }

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbCheckSpec) spec = sb_check_spec_parse (errors[i].text, &error);

      g_assert_null (spec);
      g_assert_error (error, SB_CHECKSUM_ERROR, error->code);
      if (strstr (error->message, errors[i].needle) == NULL)
        g_error ("“%s”: “%s” does not mention “%s”", errors[i].text, error->message, errors[i].needle);
    }
}

static SbCheckSpec *
spec (const char *text)
{
  g_autoptr(GError) error = NULL;
  SbCheckSpec *s = sb_check_spec_parse (text, &error);

  g_assert_no_error (error);
  return s;
}

static void
test_spec_verify (void)
{
  g_autoptr(SbCheckSpec) modbus = spec ("crc-16/modbus");
  g_autoptr(SbCheckSpec) modbus_be = spec ("crc-16/modbus:be");
  g_autoptr(SbCheckSpec) framed = spec ("lrc:1:-3");
  guint8 bad[sizeof modbus_frame];
  SbCheckResult result;
  g_autofree char *ok_text = NULL;
  g_autofree char *bad_text = NULL;
  g_autofree char *short_text = NULL;

  g_assert_cmpint (sb_check_spec_verify (modbus, modbus_frame, sizeof modbus_frame, &result), ==, SB_CHECK_OK);
  g_assert_cmphex (result.expected, ==, 0xcdc5);
  g_assert_cmphex (result.found, ==, 0xcdc5);
  g_assert_cmpuint (result.first, ==, 0);
  g_assert_cmpuint (result.last, ==, 5);
  g_assert_cmpuint (result.at, ==, 6);
  ok_text = sb_check_result_describe (modbus, &result, sizeof modbus_frame);
  g_assert_cmpstr (ok_text, ==, "CRC-16/MODBUS ok (c5 cd)");

  /* Read in the other order, the same bytes are another number. */
  g_assert_cmpint (sb_check_spec_verify (modbus_be, modbus_frame, sizeof modbus_frame, &result), ==, SB_CHECK_BAD);
  g_assert_cmphex (result.found, ==, 0xc5cd);

  memcpy (bad, modbus_frame, sizeof bad);
  bad[5] = 0x0b;
  g_assert_cmpint (sb_check_spec_verify (modbus, bad, sizeof bad, &result), ==, SB_CHECK_BAD);
  g_assert_cmphex (result.found, ==, 0xcdc5);
  bad_text = sb_check_result_describe (modbus, &result, sizeof bad);
  g_assert_true (g_str_has_prefix (bad_text, "CRC-16/MODBUS bad: expected "));
  g_assert_true (g_str_has_suffix (bad_text, "found c5 cd"));

  for (gsize len = 0; len < 2; len++)
    g_assert_cmpint (sb_check_spec_verify (modbus, modbus_frame, len, NULL), ==, SB_CHECK_SHORT);
  /* Two bytes: an empty range and a CRC of nothing (0xffff). */
  g_assert_cmpint (sb_check_spec_verify (modbus, (const guint8 *) "\xff\xff", 2, &result), ==, SB_CHECK_OK);
  g_assert_cmpint (sb_check_spec_verify (modbus, modbus_frame, 1, &result), ==, SB_CHECK_SHORT);
  short_text = sb_check_result_describe (modbus, &result, 1);
  g_assert_cmpstr (short_text, ==, "CRC-16/MODBUS: frame too short (1 byte)");
  g_assert_cmpint (sb_check_spec_verify (modbus, NULL, 0, NULL), ==, SB_CHECK_SHORT);

  /* STX, data, LRC, ETX: the LRC of "12" is 0x100 - 0x63 = 0x9d. */
  g_assert_cmpint (sb_check_spec_verify (framed, (const guint8 *) "\x02" "12" "\x9d\x03", 5, &result), ==, SB_CHECK_OK);
  g_assert_cmpuint (result.first, ==, 1);
  g_assert_cmpuint (result.last, ==, 2);
  g_assert_cmpuint (result.at, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/checksum/catalogue", test_catalogue);
  g_test_add_func ("/checksum/pieces", test_pieces);
  g_test_add_func ("/checksum/custom", test_custom);
  g_test_add_func ("/checksum/errors", test_errors);
  g_test_add_func ("/checksum/byte-order", test_byte_order);
  g_test_add_func ("/checksum/modbus-rtu", test_modbus_rtu);
  g_test_add_func ("/checksum/spec/parse", test_spec_parse);
  g_test_add_func ("/checksum/spec/verify", test_spec_verify);

  return g_test_run ();
}
