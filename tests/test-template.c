/* test-template.c — templates: every placeholder, errors, byte orders
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib/gstdio.h>

#include "sb-codec.h"
#include "sb-modbus.h"
#include "sb-template.h"

static SbTemplate *
parse (const char     *text,
       SbTemplateMode  mode,
       const char     *encoding)
{
  g_autoptr(GError) error = NULL;
  glong pos = -2;
  SbTemplate *tmpl = sb_template_parse (text, mode, encoding, &pos, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tmpl);
  g_assert_cmpint (pos, ==, -1);
  return tmpl;
}

static char *
hex_of (GBytes *bytes)
{
  return sb_codec_format_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Expands @tmpl after checking the preview gives the same bytes. */
static char *
expand_checked (SbTemplate              *tmpl,
                SbTemplateState         *state,
                const SbTemplateContext *context)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) preview = sb_template_preview (tmpl, state, context, &error);
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) sent = NULL;

  g_assert_no_error (error);
  again = sb_template_preview (tmpl, state, context, &error);
  g_assert_no_error (error);
  sent = sb_template_expand (tmpl, state, context, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (preview, again));
  g_assert_true (g_bytes_equal (preview, sent));
  return hex_of (sent);
}

static void
assert_hex (const char *template_text,
            const char *expected)
{
  g_autoptr(SbTemplate) tmpl = parse (template_text, SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplateState) state = sb_template_state_new_with_seed (1);
  g_autofree char *got = expand_checked (tmpl, state, NULL);

  g_assert_cmpstr (got, ==, expected);
}

static void
assert_text (const char *template_text,
             const char *encoding,
             const char *expected_hex)
{
  g_autoptr(SbTemplate) tmpl = parse (template_text, SB_TEMPLATE_TEXT, encoding);
  g_autoptr(SbTemplateState) state = sb_template_state_new_with_seed (1);
  g_autofree char *got = expand_checked (tmpl, state, NULL);

  g_assert_cmpstr (got, ==, expected_hex);
}

static void
assert_error (const char     *template_text,
              SbTemplateMode  mode,
              int             code,
              glong           pos,
              const char     *message)
{
  g_autoptr(GError) error = NULL;
  glong got_pos = -2;
  g_autoptr(SbTemplate) tmpl = sb_template_parse (template_text, mode, "UTF-8", &got_pos, &error);

  g_assert_null (tmpl);
  g_assert_error (error, SB_TEMPLATE_ERROR, code);
  if (strstr (error->message, message) == NULL)
    g_error ("“%s”: “%s” does not hold “%s”", template_text, error->message, message);
  g_assert_cmpint (got_pos, ==, pos);
}

static void
test_literal (void)
{
  assert_text ("hello", "UTF-8", "68 65 6c 6c 6f");
  assert_text ("a\\r\\n\\x00", "UTF-8", "61 0d 0a 00");
  assert_text ("", "UTF-8", "");
  assert_text ("€", "GBK", "80");
  assert_text ("a\\n", "UTF-16LE", "61 00 0a 00");
  assert_hex ("01 03 00 00 00 0a", "01 03 00 00 00 0a");
  /* The encoding "hex" is hex mode. */
  {
    g_autoptr(SbTemplate) tmpl = parse ("0a ${seq:u8}", SB_TEMPLATE_TEXT, "hex");
    g_autoptr(SbTemplateState) state = sb_template_state_new ();
    g_autofree char *got = expand_checked (tmpl, state, NULL);

    g_assert_cmpint (sb_template_get_mode (tmpl), ==, SB_TEMPLATE_HEX);
    g_assert_cmpstr (got, ==, "0a 01");
  }
  /* $${ is a literal ${; a lone $ is a $. */
  assert_text ("$${seq}", "UTF-8", "24 7b 73 65 71 7d");
  assert_text ("a$b $", "UTF-8", "61 24 62 20 24");
  assert_text ("$$", "UTF-8", "24 24");

  g_assert_true (sb_template_text_has_placeholders ("a ${seq}"));
  g_assert_false (sb_template_text_has_placeholders ("a $${seq} $ {"));
  g_assert_true (sb_template_text_has_placeholders ("$${x} ${x"));
  g_assert_false (sb_template_text_has_placeholders (""));

  {
    g_autoptr(SbTemplate) tmpl = parse ("plain", SB_TEMPLATE_TEXT, NULL);

    g_assert_true (sb_template_is_constant (tmpl));
    g_assert_cmpstr (sb_template_get_text (tmpl), ==, "plain");
  }
}

static void
test_seq (void)
{
  g_autoptr(SbTemplate) tmpl = parse ("n=${seq} ${seq:hex4}", SB_TEMPLATE_TEXT, "UTF-8");
  g_autoptr(SbTemplate) bin = parse ("${seq:id=tid:start=0xfffe:u16}${seq:id=tid:u16le}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplate) down = parse ("${seq:start=3:step=-2:dec}", SB_TEMPLATE_TEXT, NULL);
  g_autoptr(SbTemplate) wide = parse ("${seq:u64le} ${seq:u32be} ${seq:u8} ${seq:dec5} ${seq:HEX}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplateState) state = sb_template_state_new ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_true (sb_template_get_uses (tmpl) & SB_TEMPLATE_USES_SEQ);
  g_assert_false (sb_template_is_constant (tmpl));

  /* The same value everywhere in one message, one step per message. */
  first = expand_checked (tmpl, state, NULL);
  second = expand_checked (tmpl, state, NULL);
  g_assert_cmpstr (first, ==, "6e 3d 31 20 30 30 30 31");     /* "n=1 0001" */
  g_assert_cmpstr (second, ==, "6e 3d 32 20 30 30 30 32");    /* "n=2 0002" */

  /* Another id counts apart; binary forms wrap. */
  for (guint i = 0; i < 3; i++)
    {
      static const char * const want[] = { "ff fe fe ff", "ff ff ff ff", "00 00 00 00" };
      g_autofree char *got = expand_checked (bin, state, NULL);

      g_assert_cmpstr (got, ==, want[i]);
    }
  {
    g_autofree char *again = expand_checked (tmpl, state, NULL);

    g_assert_cmpstr (again, ==, "6e 3d 33 20 30 30 30 33");
  }

  {
    g_autoptr(SbTemplateState) fresh = sb_template_state_new ();
    g_autofree char *a = expand_checked (down, fresh, NULL);
    g_autofree char *b = expand_checked (down, fresh, NULL);
    g_autofree char *c = expand_checked (down, fresh, NULL);

    g_assert_cmpstr (a, ==, "33");
    g_assert_cmpstr (b, ==, "31");
    g_assert_cmpstr (c, ==, "2d 31");   /* "-1" */
    sb_template_state_reset (fresh);
    g_free (a);
    a = expand_checked (down, fresh, NULL);
    g_assert_cmpstr (a, ==, "33");
  }

  {
    g_autoptr(SbTemplateState) fresh = sb_template_state_new ();
    g_autofree char *got = expand_checked (wide, fresh, NULL);

    /* "00001" and "1" as UTF-8 text in a hex template */
    g_assert_cmpstr (got, ==, "01 00 00 00 00 00 00 00 00 00 00 01 01 30 30 30 30 31 31");
  }

  /* Without a state every message is the first. */
  {
    g_autoptr(GBytes) a = sb_template_expand (tmpl, NULL, NULL, NULL);
    g_autoptr(GBytes) b = sb_template_expand (tmpl, NULL, NULL, NULL);

    g_assert_true (g_bytes_equal (a, b));
  }
}

static void
test_time (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2024, 2, 29, 13, 5, 9.25);
  SbTemplateContext context = { .now = when };
  static const struct { const char *text; const char *want; } cases[] = {
    { "${time:%H:%M:%S}", "13:05:09" },
    { "${time:%Y-%m-%d}", "2024-02-29" },
    { "${time}", "2024-02-29T13:05:09.250000Z" },
    { "${unix}", "1709211909" },
    { "${unix:s:hex}", "65e0810" },
    { "${unix:ms}", "1709211909250" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SbTemplate) tmpl = parse (cases[i].text, SB_TEMPLATE_TEXT, "UTF-8");
      g_autoptr(GBytes) bytes = sb_template_expand (tmpl, NULL, &context, NULL);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      g_assert_true (sb_template_get_uses (tmpl) & SB_TEMPLATE_USES_TIME);
      if (!g_str_has_prefix (text, cases[i].want))
        g_error ("%s gave “%s”, not “%s”", cases[i].text, text, cases[i].want);
    }

  {
    g_autoptr(SbTemplate) tmpl = parse ("${unix:u32}", SB_TEMPLATE_HEX, NULL);
    g_autoptr(GBytes) bytes = sb_template_expand (tmpl, NULL, &context, NULL);
    g_autofree char *got = hex_of (bytes);

    g_assert_cmpstr (got, ==, "65 e0 81 05");
  }

  /* Without a time in the context: now. */
  {
    g_autoptr(SbTemplate) tmpl = parse ("${unix}", SB_TEMPLATE_TEXT, NULL);
    g_autoptr(GBytes) bytes = sb_template_expand (tmpl, NULL, NULL, NULL);
    g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    gint64 now = g_get_real_time () / G_USEC_PER_SEC;
    gint64 got = g_ascii_strtoll (text, NULL, 10);

    g_assert_cmpint (got, <=, now);
    g_assert_cmpint (got, >=, now - 5);
  }
}

static void
test_random (void)
{
  g_autoptr(SbTemplate) dice = parse ("${random:1:6}", SB_TEMPLATE_TEXT, NULL);
  g_autoptr(SbTemplate) word = parse ("${random:0:65535:u16le}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplate) byte = parse ("${random:u8}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplate) full = parse ("${random:u64}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplate) neg = parse ("${random:-3:-3}", SB_TEMPLATE_TEXT, NULL);
  g_autoptr(SbTemplate) any = parse ("${random}", SB_TEMPLATE_TEXT, NULL);
  g_autoptr(SbTemplateState) state = sb_template_state_new_with_seed (42);
  gboolean seen[7] = { FALSE };

  g_assert_true (sb_template_get_uses (dice) & SB_TEMPLATE_USES_RANDOM);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *got = expand_checked (dice, state, NULL);
      guint value = (guint) (g_ascii_xdigit_value (got[1]));

      g_assert_cmpuint (strlen (got), ==, 2);
      g_assert_cmpuint (value, >=, 1);
      g_assert_cmpuint (value, <=, 6);
      seen[value] = TRUE;
    }
  for (guint v = 1; v <= 6; v++)
    g_assert_true (seen[v]);

  {
    g_autofree char *w = expand_checked (word, state, NULL);
    g_autofree char *b = expand_checked (byte, state, NULL);
    g_autofree char *f = expand_checked (full, state, NULL);
    g_autofree char *n = expand_checked (neg, state, NULL);
    g_autofree char *a = expand_checked (any, state, NULL);

    g_assert_cmpuint (strlen (w), ==, 5);
    g_assert_cmpuint (strlen (b), ==, 2);
    g_assert_cmpuint (strlen (f), ==, 23);
    g_assert_cmpstr (n, ==, "2d 33");
    g_assert_cmpuint (strlen (a), >=, 2);
  }

  /* The same seed, the same values. */
  {
    g_autoptr(SbTemplateState) s1 = sb_template_state_new_with_seed (7);
    g_autoptr(SbTemplateState) s2 = sb_template_state_new_with_seed (7);
    g_autofree char *a = expand_checked (full, s1, NULL);
    g_autofree char *b = expand_checked (full, s2, NULL);

    g_assert_cmpstr (a, ==, b);
  }
}

static void
test_uuid (void)
{
  g_autoptr(SbTemplate) text = parse ("${uuid}", SB_TEMPLATE_TEXT, NULL);
  g_autoptr(SbTemplate) bin = parse ("${uuid:bin}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplateState) state = sb_template_state_new_with_seed (3);
  g_autoptr(GBytes) a = sb_template_expand (text, state, NULL, NULL);
  g_autoptr(GBytes) b = sb_template_expand (text, state, NULL, NULL);
  g_autoptr(GBytes) raw = sb_template_expand (bin, state, NULL, NULL);
  g_autofree char *uuid = g_strndup (g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  const guint8 *r = g_bytes_get_data (raw, NULL);

  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpint (uuid[14], ==, '4');
  g_assert_false (g_bytes_equal (a, b));
  g_assert_cmpuint (g_bytes_get_size (raw), ==, 16);
  g_assert_cmphex (r[6] & 0xf0, ==, 0x40);
  g_assert_cmphex (r[8] & 0xc0, ==, 0x80);
}

static void
test_len (void)
{
  /* Modbus/TCP: the length counts the unit id and the PDU. */
  assert_hex ("00 01 00 00 ${len:u16} ${begin} 01 03 00 00 00 0a",
              "00 01 00 00 00 06 01 03 00 00 00 0a");
  assert_hex ("${len:u16le}${begin}01 02 03${end} ff", "03 00 01 02 03 ff");
  assert_hex ("${len:body:u8} aa ${begin:body} 01 02 ${end:body} ${len:u32}${begin}ee",
              "02 aa 01 02 00 00 00 01 ee");
  assert_hex ("${begin}${end}${len:u64}", "00 00 00 00 00 00 00 00");
  /* As text, in front of the region or after it. */
  assert_text ("LEN=${len} ${begin}hello", "UTF-8", "4c 45 4e 3d 35 20 68 65 6c 6c 6f");
  assert_text ("${begin}hello${end}:${len:hex2}", "UTF-8", "68 65 6c 6c 6f 3a 30 35");
  /* A binary length inside the region it measures counts itself. */
  assert_hex ("${begin}${len:u8}01 02", "03 01 02");
  /* In UTF-16 a length is in bytes. */
  assert_text ("${len:u8}${begin}ab", "UTF-16BE", "04 00 61 00 62");
  /* A text length measuring a region with a binary one in it. */
  assert_text ("${len:a}${begin:a}${len:u8:b}${begin:b}xy", "UTF-8", "33 02 78 79");

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *dir = g_dir_make_tmp ("sb-template-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "big", NULL);
    g_autofree char *text = g_strdup_printf ("${len:u8}${begin}${file:%s}", path);
    g_autoptr(SbTemplate) real = parse (text, SB_TEMPLATE_HEX, NULL);
    g_autofree char *zeros = g_malloc0 (300);

    g_assert_true (g_file_set_contents (path, zeros, 300, NULL));
    bytes = sb_template_expand (real, NULL, NULL, &error);
    g_assert_null (bytes);
    g_assert_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_EXPAND);
    g_assert_nonnull (strstr (error->message, "300 bytes, too long for u8"));
    g_assert_nonnull (strstr (error->message, "position 1"));
    g_unlink (path);
    g_rmdir (dir);
  }
}

static GBytes *
fake_read (const char  *path,
           gpointer     user_data,
           GError     **error)
{
  guint *calls = user_data;

  (*calls)++;
  if (strcmp (path, "greeting.bin") == 0)
    return g_bytes_new_static ("\x01hi", 3);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "No file “%s”", path);
  return NULL;
}

static void
test_file (void)
{
  g_autoptr(SbTemplate) tmpl = parse ("[${file:greeting.bin}]", SB_TEMPLATE_TEXT, NULL);
  g_autoptr(SbTemplate) missing = parse ("ab ${file:C:/nowhere.bin}", SB_TEMPLATE_HEX, NULL);
  guint calls = 0;
  SbTemplateContext context = { .read_file = fake_read, .read_file_data = &calls };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autofree char *got = NULL;

  g_assert_true (sb_template_get_uses (tmpl) & SB_TEMPLATE_USES_FILE);
  /* Parsing reads nothing. */
  g_assert_cmpuint (calls, ==, 0);
  got = expand_checked (tmpl, NULL, &context);
  g_assert_cmpstr (got, ==, "5b 01 68 69 5d");
  g_assert_cmpuint (calls, ==, 3);

  none = sb_template_expand (missing, NULL, &context, &error);
  g_assert_null (none);
  g_assert_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_EXPAND);
  g_assert_cmpstr (error->message, ==, "“${file:C:/nowhere.bin}” at position 4: No file “C:/nowhere.bin”");

  /* The default reads the file. */
  {
    g_autofree char *dir = g_dir_make_tmp ("sb-template-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "f", NULL);
    g_autofree char *text = g_strdup_printf ("${file:%s}!", path);
    g_autoptr(SbTemplate) real = parse (text, SB_TEMPLATE_TEXT, NULL);
    g_autofree char *bytes = NULL;

    g_assert_true (g_file_set_contents (path, "ok", 2, NULL));
    bytes = expand_checked (real, NULL, NULL);
    g_assert_cmpstr (bytes, ==, "6f 6b 21");
    g_unlink (path);
    g_rmdir (dir);
  }
}

static void
test_rx (void)
{
  g_autoptr(GBytes) rx = g_bytes_new_static ("\x00\x07GET temp", 10);
  const char *groups[] = { "GET temp", "temp", NULL };
  SbTemplateContext context = { .rx = rx, .rx_groups = groups, .n_rx_groups = 3 };
  g_autoptr(SbTemplate) echo = parse ("${rx}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplate) slice = parse ("${rx:0:1} ff ${rx:-4:-1}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplate) capture = parse ("${rx.1}=21.5 [${rx.2}]", SB_TEMPLATE_TEXT, "UTF-16LE");
  g_autoptr(SbTemplate) empty = parse ("${rx:2:1}", SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplate) far = parse ("${rx.5}", SB_TEMPLATE_TEXT, NULL);
  g_autoptr(SbTemplate) out = parse ("x${rx:0:10}", SB_TEMPLATE_TEXT, NULL);
  g_autofree char *a = expand_checked (echo, NULL, &context);
  g_autofree char *b = expand_checked (slice, NULL, &context);
  g_autofree char *c = expand_checked (capture, NULL, &context);
  g_autofree char *d = expand_checked (empty, NULL, &context);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) none = NULL;

  g_assert_true (sb_template_get_uses (echo) & SB_TEMPLATE_USES_RX);
  g_assert_cmpstr (a, ==, "00 07 47 45 54 20 74 65 6d 70");
  g_assert_cmpstr (b, ==, "00 07 ff 74 65 6d 70");
  g_assert_cmpstr (c, ==, "74 00 65 00 6d 00 70 00 3d 00 32 00 31 00 2e 00 35 00 20 00 5b 00 5d 00");
  g_assert_cmpstr (d, ==, "");

  none = sb_template_expand (far, NULL, &context, &error);
  g_assert_null (none);
  g_assert_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_EXPAND);
  g_assert_cmpstr (error->message, ==, "“${rx.5}” at position 1: the regular expression has no group 5");
  g_clear_error (&error);

  none = sb_template_expand (out, NULL, &context, &error);
  g_assert_null (none);
  g_assert_cmpstr (error->message, ==, "“${rx:0:10}” at position 2: the received message has 10 bytes");
  g_clear_error (&error);

  none = sb_template_expand (echo, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_cmpstr (error->message, ==, "“${rx}” at position 1: there is no received message to answer here");
}

static void
test_checksums (void)
{
  /* The issue's example: hex with the Modbus CRC in wire order. */
  assert_hex ("01 03 00 00 00 0a ${crc-16/modbus}", "01 03 00 00 00 0a c5 cd");
  assert_hex ("01 03 00 00 00 0a ${crc-16/modbus:be}", "01 03 00 00 00 0a cd c5");
  assert_hex ("01 03 00 00 00 0a ${crc:width=16,poly=0x8005,init=0xffff,refin=true:le}", "01 03 00 00 00 0a c5 cd");
  assert_hex ("01 03 00 00 00 0a ${CRC-16/MODBUS}", "01 03 00 00 00 0a c5 cd");
  /* Catalogue check values, big-endian but Modbus. */
  assert_text ("123456789${crc-32}", "UTF-8", "31 32 33 34 35 36 37 38 39 cb f4 39 26");
  assert_text ("123456789${crc-32:le}", "UTF-8", "31 32 33 34 35 36 37 38 39 26 39 f4 cb");
  assert_text ("123456789${crc-32c}", "UTF-8", "31 32 33 34 35 36 37 38 39 e3 06 92 83");
  assert_text ("123456789${crc-16/ccitt-false}", "UTF-8", "31 32 33 34 35 36 37 38 39 29 b1");
  assert_text ("123456789${crc-16/xmodem}", "UTF-8", "31 32 33 34 35 36 37 38 39 31 c3");
  assert_text ("123456789${crc-16/arc}", "UTF-8", "31 32 33 34 35 36 37 38 39 bb 3d");
  assert_text ("123456789${crc-16/ibm}", "UTF-8", "31 32 33 34 35 36 37 38 39 bb 3d");
  assert_text ("123456789${crc-8}", "UTF-8", "31 32 33 34 35 36 37 38 39 f4");
  assert_text ("123456789${sum8}", "UTF-8", "31 32 33 34 35 36 37 38 39 dd");
  assert_text ("123456789${xor8}", "UTF-8", "31 32 33 34 35 36 37 38 39 31");
  assert_text ("123456789${lrc}", "UTF-8", "31 32 33 34 35 36 37 38 39 23");
  assert_text ("123456789${crc-16/modbus}", "UTF-8", "31 32 33 34 35 36 37 38 39 37 4b");
  /* From ${begin}, to ${end}, or over a named region. */
  assert_text ("\\x02${begin}12${end}${lrc}\\x03", "UTF-8", "02 31 32 9d 03");
  assert_text ("\\x02${begin:d}12${end:d}${lrc:d}\\x03", "UTF-8", "02 31 32 9d 03");
  assert_text ("${lrc:d}${begin:d}12", "UTF-8", "9d 31 32");
  /* As hex digits (ASCII protocols). */
  assert_text (":${begin}123456789${crc-16/modbus:hex}", "UTF-8",
               "3a 31 32 33 34 35 36 37 38 39 33 37 34 62");
  assert_text ("123456789${crc-16/modbus:HEX:be}", "UTF-8",
               "31 32 33 34 35 36 37 38 39 34 42 33 37");
  /* In UTF-16 the CRC covers the encoded bytes 31 00, and its digits are UTF-16 too. */
  assert_text ("1${crc-8:hex}", "UTF-16LE", "31 00 65 00 63 00");
  assert_text ("1${crc-8:hex}", "UTF-8", "31 39 37");
  /* A checksum over another, and a length over a checksum. */
  assert_hex ("01 ${sum8} ${sum8}", "01 01 02");
  assert_hex ("01 ${sum8}${sum8}${sum8}${sum8}", "01 01 02 04 08");
  assert_hex ("${len:u8}${begin}01 02 03 ${crc-16/xmodem}", "05 01 02 03 61 31");
  /* A checksum covering a later region holding a checksum. */
  assert_hex ("${sum8:r} ${begin:r} ${begin:s} 05 ${end:s} ${xor8:s} ${end:r}", "0a 05 05");
  /* Unless they cover each other: ${xor8} covers everything before it. */
  {
    g_autoptr(SbTemplate) tmpl = parse ("${sum8:r} ${begin:r} 05 ${xor8} ${end:r}", SB_TEMPLATE_HEX, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = sb_template_preview (tmpl, NULL, NULL, &error);

    g_assert_null (bytes);
    g_assert_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_EXPAND);
    g_assert_cmpstr (error->message, ==, "“${sum8:r}” at position 1: checksums that cover each other cannot be computed");
  }
}

static void
test_errors (void)
{
  static const struct { const char *text; SbTemplateMode mode; int code; glong pos; const char *message; } cases[] = {
    { "01 03 ${crc16", SB_TEMPLATE_HEX, SB_TEMPLATE_ERROR_SYNTAX, 13, "“${crc16”: missing “}” at position 14" },
    { "0123456${crc16", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 14, "“${crc16”: missing “}” at position 15" },
    { "a ${seq\nb}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 7, "“${seq”: missing “}” at position 8" },
    { "${seq ${seq}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 6, "missing “}” at position 7" },
    { "héllo ${crc16}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_UNKNOWN, 6,
      "“${crc16}” at position 7 is not a placeholder; did you mean “${crc-16/modbus}”?" },
    { "${sequence}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_UNKNOWN, 0, "did you mean “${seq}”?" },
    { "${tim}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_UNKNOWN, 0, "did you mean “${time}”?" },
    { "${}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_UNKNOWN, 0, "is not a placeholder" },
    { "${seq:u24}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "“${seq:u24}” at position 1: “u24” is not a field here" },
    { "${seq:start=x}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "“x” is not a whole number" },
    { "${seq:id=1a}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "is not a name" },
    { "${seq:dec:le}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "binary formats" },
    { "${seq:dec0}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "not a field" },
    { "${random:5}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "needs a range" },
    { "${random:6:1}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "the range is empty: 6 is more than 1" },
    { "${uuid:x}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "uuid:bin" },
    { "${time:}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "not a time format" },
    { "${time:%Q}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "not a time format" },
    { "${unix:ms:u24}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "not a field" },
    { "${file}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "${file:PATH}" },
    { "${rx:1}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "${rx:FIRST:LAST}" },
    { "${rx.x}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "${rx.N}" },
    { "${rx.100}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "${rx.N}" },
    { "${begin:a:b}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "at most a name" },
    { "${begin}${begin}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 8, "marked already at position 1" },
    { "a${end}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 1, "needs its ${begin} before it" },
    { "${end:x}${begin:x}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "needs its ${begin:x} before it" },
    { "${len}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "no ${begin} to measure" },
    { "${len:body:u8}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "no ${begin:body} to measure" },
    { "${len:a:b}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "not a field" },
    { "${begin}${len}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 8, "must be binary" },
    { "${len:a}${begin:a}${len:b}${begin:b}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 18, "must be binary" },
    { "${begin:r}${crc-32:r}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 10, "inside the region it covers" },
    { "${crc-32:r}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "no ${begin:r}" },
    { "${crc-32:mid}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "no ${begin:mid}" },
    { "${crc-32:a:b}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "not a field of a checksum" },
    { "${crc}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "needs its parameters" },
    { "${crc:width=99,poly=1}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_SYNTAX, 0, "1 to 64 bits" },
    { "ab ${seq} 0", SB_TEMPLATE_HEX, SB_TEMPLATE_ERROR_LITERAL, 10, "position 11" },
    { "ab ${seq} zz", SB_TEMPLATE_HEX, SB_TEMPLATE_ERROR_LITERAL, 10, "“z” at position 11 is not a hexadecimal digit" },
    { "x${seq}€", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_LITERAL, 7, "at position 8 cannot be written in ISO-8859-1" },
    { "x${seq}\\q", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_LITERAL, 7, "at position 8 is not a valid escape" },
    { "\\${seq}", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_LITERAL, 0, "position 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *encoding = strstr (cases[i].message, "ISO-8859-1") ? "ISO-8859-1" : "UTF-8";
      g_autoptr(GError) error = NULL;
      glong pos = -2;
      g_autoptr(SbTemplate) tmpl = sb_template_parse (cases[i].text, cases[i].mode, encoding, &pos, &error);

      if (tmpl != NULL)
        g_error ("“%s” parsed", cases[i].text);
      g_assert_error (error, SB_TEMPLATE_ERROR, cases[i].code);
      if (strstr (error->message, cases[i].message) == NULL)
        g_error ("“%s”: “%s” does not hold “%s”", cases[i].text, error->message, cases[i].message);
      if (pos != cases[i].pos)
        g_error ("“%s”: position %ld, not %ld (%s)", cases[i].text, pos, cases[i].pos, error->message);
    }

  assert_error ("ok \xff", SB_TEMPLATE_TEXT, SB_TEMPLATE_ERROR_LITERAL, 3, "not valid UTF-8 at position 4");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbTemplate) tmpl = sb_template_parse ("x", SB_TEMPLATE_TEXT, "EBCDIC-42", NULL, &error);

    g_assert_null (tmpl);
    g_assert_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_LITERAL);
  }
  /* Long placeholders are cut in the message. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SbTemplate) tmpl = sb_template_parse ("${time:%Y-%m-%d %H:%M:%S and so on", SB_TEMPLATE_TEXT,
                                                    NULL, NULL, &error);

    g_assert_null (tmpl);
    g_assert_true (g_str_has_prefix (error->message, "“${time:%Y-%m-%d %H:%M:%…”"));
  }
}

static void
test_names (void)
{
  const char * const *names = sb_template_list_names ();
  gboolean modbus = FALSE, seq = FALSE;

  for (guint i = 0; names[i] != NULL; i++)
    {
      modbus |= strcmp (names[i], "crc-16/modbus") == 0;
      seq |= strcmp (names[i], "seq") == 0;
    }
  g_assert_true (modbus);
  g_assert_true (seq);
}

static void
test_many (void)
{
  /* Many placeholders: a chain of sums (each covers the one before) and
   * many named regions. Each sum doubles the total, so the nth is 2^(n-1). */
  GString *text = g_string_new ("01");
  g_autoptr(SbTemplate) tmpl = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  guint n = 5000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "${len:r%u:u8}${begin:r%u}${sum8}${end:r%u}", i, i, i);
  tmpl = parse (text->str, SB_TEMPLATE_HEX, NULL);
  g_string_free (text, TRUE);
  bytes = sb_template_expand (tmpl, NULL, NULL, NULL);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 1 + 2 * n);
  data = g_bytes_get_data (bytes, NULL);
  /* 01, then (len 01, sum): the first sum is 01 + 01 = 02. */
  g_assert_cmphex (data[1], ==, 0x01);
  g_assert_cmphex (data[2], ==, 0x02);
  g_assert_cmphex (data[4], ==, 0x05);
}

static void
test_preview (void)
{
  /* Preview and send agree for every kind of part, and preview steps nothing. */
  g_autoptr(GDateTime) when = g_date_time_new_utc (2030, 1, 1, 0, 0, 0);
  g_autoptr(GBytes) rx = g_bytes_new_static ("ping", 4);
  const char *groups[] = { "ping" };
  SbTemplateContext context = { .now = when, .rx = rx, .rx_groups = groups, .n_rx_groups = 1 };
  g_autoptr(SbTemplate) tmpl = parse ("${seq:u16}${len:u8}${begin}${time:%s}${unix:u32}${random:u32}"
                                      "${uuid:bin}${rx}${rx.0}${crc-32}${end}${lrc}",
                                      SB_TEMPLATE_HEX, NULL);
  g_autoptr(SbTemplateState) state = sb_template_state_new ();

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) p1 = sb_template_preview (tmpl, state, &context, NULL);
      g_autoptr(GBytes) p2 = sb_template_preview (tmpl, state, &context, NULL);
      g_autoptr(GBytes) sent = sb_template_expand (tmpl, state, &context, NULL);
      const guint8 *data = g_bytes_get_data (sent, NULL);

      g_assert_true (g_bytes_equal (p1, p2));
      g_assert_true (g_bytes_equal (p1, sent));
      g_assert_cmpuint (data[0] << 8 | data[1], ==, i + 1);
    }
}

static char *
modbus_request (SbModbusFraming  framing,
                const char      *line,
                SbTemplateState *state)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sb_modbus_request_template (framing, line, &error);
  g_autoptr(SbTemplate) tmpl = NULL;

  g_assert_no_error (error);
  tmpl = parse (text, SB_TEMPLATE_HEX, NULL);
  return expand_checked (tmpl, state, NULL);
}

static GBytes *
bytes_of (const char *hex_text)
{
  g_autoptr(GError) error = NULL;
  GBytes *bytes = sb_codec_parse_hex (hex_text, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
assert_described (SbModbusFraming    framing,
                  SbModbusDirection  direction,
                  const char        *frame_hex,
                  const char        *expected)
{
  g_autoptr(GBytes) frame = bytes_of (frame_hex);
  g_autofree char *text = sb_modbus_describe (framing, direction, g_bytes_get_data (frame, NULL),
                                              g_bytes_get_size (frame));

  g_assert_cmpstr (text, ==, expected);
}

static void
test_modbus (void)
{
  g_autoptr(SbTemplateState) state = sb_template_state_new ();
  SbModbusFraming framing;

  /* RTU requests, with the CRCs of the usual worked examples. */
  {
    g_autofree char *read = modbus_request (SB_MODBUS_RTU, "read-holding-registers unit=1 address=0 count=10", NULL);
    g_autofree char *write = modbus_request (SB_MODBUS_RTU, "write-single-register unit=1 address=1 value=3", NULL);
    g_autofree char *multi = modbus_request (SB_MODBUS_RTU, "write-multiple-registers unit=1 address=1 values=10,0x102", NULL);
    g_autofree char *text = sb_modbus_request_template (SB_MODBUS_RTU, "read-holding-registers unit=1 address=0 count=10", NULL);

    g_assert_cmpstr (text, ==, "01 03 00 00 00 0a ${crc-16/modbus}");
    g_assert_cmpstr (read, ==, "01 03 00 00 00 0a c5 cd");
    g_assert_cmpstr (write, ==, "01 06 00 01 00 03 98 0b");
    g_assert_cmpstr (multi, ==, "01 10 00 01 00 02 04 00 0a 01 02 92 30");
  }

  /* TCP: the transaction id counts, the MBAP length follows the PDU. */
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *got = modbus_request (SB_MODBUS_TCP, "read-holding-registers unit=1 address=0 count=10", state);
      g_autofree char *want = g_strdup_printf ("00 %02x 00 00 00 06 01 03 00 00 00 0a", i);

      g_assert_cmpstr (got, ==, want);
    }
  {
    g_autofree char *got = modbus_request (SB_MODBUS_TCP, "write-multiple-registers  address=16 values=1,2,3 unit=17", state);

    g_assert_cmpstr (got, ==, "00 03 00 00 00 0d 11 10 00 10 00 03 06 00 01 00 02 00 03");
  }

  /* Requests that cannot be made. */
  {
    static const struct { const char *line; const char *needle; } bad[] = {
      { "read-coils unit=1", "read-holding-registers, read-input-registers" },
      { "", "is not a Modbus request" },
      { "read-holding-registers unit=1 address=0", "needs count=" },
      { "read-holding-registers unit=1 address=0 count=10 colour=red", "“colour” is not a field" },
      { "read-holding-registers unit=1 address=0x10000 count=1", "from 0 to 65535 for address" },
      { "read-holding-registers unit=256 address=0 count=1", "from 0 to 255 for unit" },
      { "write-single-register address=0 value=-1", "“-1” is not a number" },
      { "write-multiple-registers address=0 values=1,,2", "“” is not a number" },
      { "write-single-register address=0 value", "“value” is not a field" },
      { "write-single-register address=\xff", "not valid UTF-8 at position 31" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = sb_modbus_request_template (SB_MODBUS_TCP, bad[i].line, &error);

        g_assert_null (text);
        g_assert_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID);
        if (strstr (error->message, bad[i].needle) == NULL)
          g_error ("“%s”: “%s” does not hold “%s”", bad[i].line, error->message, bad[i].needle);
      }
    {
      GString *many = g_string_new ("write-multiple-registers address=0 values=0");
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      for (guint i = 0; i < 130; i++)
        g_string_append (many, ",1");
      text = sb_modbus_request_template (SB_MODBUS_RTU, many->str, &error);
      g_string_free (many, TRUE);
      g_assert_null (text);
      g_assert_nonnull (strstr (error->message, "Too many values"));
    }
  }

  /* Answers. */
  assert_described (SB_MODBUS_RTU, SB_MODBUS_RESPONSE, "01 03 04 00 0a ff ff db 81",
                    "Unit 1: Read holding registers, 2 registers: 10, 65535");
  assert_described (SB_MODBUS_RTU, SB_MODBUS_REQUEST, "01 03 00 00 00 0a c5 cd",
                    "Unit 1: Read holding registers, address 0, 10 registers");
  assert_described (SB_MODBUS_RTU, SB_MODBUS_RESPONSE, "01 06 00 01 00 03 98 0b",
                    "Unit 1: Write single register, address 1: 3");
  assert_described (SB_MODBUS_RTU, SB_MODBUS_RESPONSE, "11 10 00 01 00 02 12 98",
                    "Unit 17: Write multiple registers, address 1, 2 registers");
  assert_described (SB_MODBUS_RTU, SB_MODBUS_RESPONSE, "01 83 02 c0 f1",
                    "Unit 1: exception 2 to Read holding registers: illegal data address "
                    "(the address, or address + count, is not one the device has)");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 07 01 03 04 00 0a 00 14",
                    "Unit 1, transaction 7: Read holding registers, 2 registers: 10, 20");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 03 01 90 0b",
                    "Unit 1, transaction 7: exception 11 to Write multiple registers: gateway target device "
                    "failed to respond (no answer behind the gateway)");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 03 01 c1 63",
                    "Unit 1, transaction 7: exception 99 to function 65: an exception Modbus does not define");

  /* Frames that cannot be read say why. */
  assert_described (SB_MODBUS_RTU, SB_MODBUS_RESPONSE, "01 03 04 00 0a ff ff 00 00",
                    "CRC-16/MODBUS bad: expected db 81, found 00 00");
  assert_described (SB_MODBUS_RTU, SB_MODBUS_RESPONSE, "01 03",
                    "A Modbus RTU frame has at least 4 bytes, not 2");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 09 01 03 04 00 0a 00 14",
                    "The MBAP header says 9 bytes follow, but 7 do");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 01 00 02 01 03",
                    "The protocol id is 1, not 0: this is not Modbus");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 02 01 2b",
                    "Function 43 is not one Sockbench reads");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 06 01 03 04 00 0a 00",
                    "Read holding registers: the frame has 3 bytes of registers, not the 4 it says");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 07 01 06 00 01 00 03 00",
                    "Write single register: 1 byte more than the frame should have");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 04 01 06 00 01",
                    "Write single register: the frame ends before its field “value”");
  assert_described (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, "00 07 00 00 00 04 01 83 02 00",
                    "An exception response has a function code and an exception code, 3 bytes here");

  /* Structured. */
  {
    g_autoptr(GBytes) frame = bytes_of ("00 07 00 00 00 07 01 03 04 00 0a 00 14");
    SbModbusFrame decoded;

    g_assert_true (sb_modbus_decode (SB_MODBUS_TCP, SB_MODBUS_RESPONSE, g_bytes_get_data (frame, NULL),
                                     g_bytes_get_size (frame), &decoded, NULL));
    g_assert_cmpint (decoded.transaction, ==, 7);
    g_assert_cmpuint (decoded.unit, ==, 1);
    g_assert_cmpuint (decoded.function, ==, 3);
    g_assert_cmpuint (decoded.exception, ==, 0);
    g_assert_cmpint (decoded.address, ==, -1);
    g_assert_cmpint (decoded.count, ==, 2);
    g_assert_cmpuint (decoded.values->len, ==, 2);
    g_assert_cmpuint (g_array_index (decoded.values, guint16, 1), ==, 20);
    sb_modbus_frame_clear (&decoded);
  }

  /* Names, framings and the check RTU answers carry. */
  g_assert_true (sb_modbus_framing_from_string ("Modbus-RTU", &framing));
  g_assert_cmpint (framing, ==, SB_MODBUS_RTU);
  g_assert_cmpstr (sb_modbus_framing_to_string (framing), ==, "modbus-rtu");
  g_assert_cmpstr (sb_modbus_framing_get_check (SB_MODBUS_RTU), ==, "crc-16/modbus");
  g_assert_null (sb_modbus_framing_get_check (SB_MODBUS_TCP));
  g_assert_false (sb_modbus_framing_from_string ("modbus-ascii", &framing));
  for (const char * const *r = sb_modbus_list_requests (); *r; r++)
    {
      g_assert_nonnull (sb_modbus_request_get_title (*r));
      g_assert_nonnull (sb_modbus_request_get_fields (*r));
    }
  g_assert_null (sb_modbus_request_get_title ("nothing"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/template/literal", test_literal);
  g_test_add_func ("/template/seq", test_seq);
  g_test_add_func ("/template/time", test_time);
  g_test_add_func ("/template/random", test_random);
  g_test_add_func ("/template/uuid", test_uuid);
  g_test_add_func ("/template/len", test_len);
  g_test_add_func ("/template/file", test_file);
  g_test_add_func ("/template/rx", test_rx);
  g_test_add_func ("/template/checksums", test_checksums);
  g_test_add_func ("/template/errors", test_errors);
  g_test_add_func ("/template/names", test_names);
  g_test_add_func ("/template/many", test_many);
  g_test_add_func ("/template/preview", test_preview);
  g_test_add_func ("/template/modbus", test_modbus);

  return g_test_run ();
}
