/* fuzz-template.c — templates, check specs and Modbus frames from arbitrary input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [mode] [encoding index] [seed] template text…
 *
 * A template that parses expands without crashing or reading out of
 * bounds, with a fixed time, a received frame and its captures, and a file
 * reader that reads nothing from disk. Properties:
 *   - a preview is exactly what the send then gives (same state, same
 *     context), and a second preview changes nothing;
 *   - two states with the same seed give the same bytes;
 *   - a constant template gives the same bytes whatever the state;
 *   - no expansion is larger than SB_TEMPLATE_MAX_SIZE;
 *   - an error has the template domain, a UTF-8 message, and (from the
 *     parser) a position inside the text.
 * The text is also read as a check spec (parse → print → parse prints the
 * same) checked against the text's bytes, and the bytes as Modbus frames
 * in both framings and directions (decode agrees with describe).
 */
#include "config.h"

#include "sb-checksum.h"
#include "sb-codec.h"
#include "sb-modbus.h"
#include "sb-template.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static GBytes *
fake_file (const char  *path,
           gpointer     user_data,
           GError     **error)
{
  gsize n = strlen (path);

  if (n % 3 == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "No file “%s”", path);
      return NULL;
    }
  return g_bytes_new (path, n);
}

static void
check_error (const GError *error,
             gboolean      parsing,
             glong         pos,
             glong         n_chars)
{
  FUZZ_CHECK (error != NULL, "failure without an error");
  FUZZ_CHECK (error->domain == SB_TEMPLATE_ERROR, "error of another domain: %s", error->message);
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error message is not UTF-8");
  if (parsing)
    FUZZ_CHECK (pos >= 0 && pos <= n_chars, "error position %ld outside 0..%ld: %s", pos, n_chars, error->message);
}

static void
fuzz_template (const char     *text,
               SbTemplateMode  mode,
               const char     *encoding,
               guint32         seed,
               GBytes         *rx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbTemplate) tmpl = NULL;
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, 7, 12, 34, 56.789);
  const char *groups[] = { "whole", NULL, "two" };
  SbTemplateContext context = { when, rx, groups, G_N_ELEMENTS (groups), fake_file, NULL };
  glong pos = -2;

  tmpl = sb_template_parse (text, mode, encoding, &pos, &error);
  if (tmpl == NULL)
    {
      check_error (error, TRUE, pos, g_utf8_validate (text, -1, NULL) ? g_utf8_strlen (text, -1) : G_MAXLONG);
      return;
    }
  FUZZ_CHECK (pos == -1, "success with position %ld", pos);

  {
    g_autoptr(SbTemplateState) state = sb_template_state_new_with_seed (seed);
    g_autoptr(SbTemplateState) twin = sb_template_state_new_with_seed (seed);
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;
    g_autoptr(GError) e3 = NULL;
    g_autoptr(GError) e4 = NULL;
    g_autoptr(GBytes) preview = sb_template_preview (tmpl, state, &context, &e1);
    g_autoptr(GBytes) again = sb_template_preview (tmpl, state, &context, &e2);
    g_autoptr(GBytes) sent = sb_template_expand (tmpl, state, &context, &e3);
    g_autoptr(GBytes) twin_sent = sb_template_expand (tmpl, twin, &context, &e4);

    if (preview == NULL)
      {
        check_error (e1, FALSE, 0, 0);
        FUZZ_CHECK (again == NULL && sent == NULL && twin_sent == NULL,
                    "a preview failed (%s) but the send did not", e1->message);
        check_error (e3, FALSE, 0, 0);
        FUZZ_CHECK (g_strcmp0 (e1->message, e3->message) == 0,
                    "preview and send fail differently: %s / %s", e1->message, e3->message);
        return;
      }
    FUZZ_CHECK (again != NULL && sent != NULL && twin_sent != NULL,
                "a preview worked but a send failed: %s",
                e2 ? e2->message : e3 ? e3->message : e4 ? e4->message : "?");
    if (!g_bytes_equal (preview, sent) || !g_bytes_equal (preview, again))
      {
        fuzz_dump ("preview", g_bytes_get_data (preview, NULL), g_bytes_get_size (preview));
        fuzz_dump ("sent", g_bytes_get_data (sent, NULL), g_bytes_get_size (sent));
        fuzz_fail ("preview != send for “%s”", text);
      }
    FUZZ_CHECK (g_bytes_equal (sent, twin_sent), "the same seed gave other bytes");
    FUZZ_CHECK (g_bytes_get_size (sent) <= SB_TEMPLATE_MAX_SIZE, "expanded beyond the limit");

    if (sb_template_is_constant (tmpl))
      {
        g_autoptr(SbTemplateState) other = sb_template_state_new_with_seed (seed + 1);
        g_autoptr(GBytes) third = sb_template_expand (tmpl, other, NULL, NULL);

        FUZZ_CHECK (third != NULL && g_bytes_equal (third, sent), "a constant template changed");
      }
  }
}

static void
fuzz_check_spec (const char   *text,
                 const guint8 *bytes,
                 gsize         len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCheckSpec) spec = sb_check_spec_parse (text, &error);
  g_autoptr(SbCheckSpec) again = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *reprinted = NULL;
  g_autofree char *described = NULL;
  SbCheckResult result;
  SbCheckStatus status;

  if (spec == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == SB_CHECKSUM_ERROR, "check spec failure without its error");
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "check spec message is not UTF-8");
      return;
    }
  printed = sb_check_spec_to_string (spec);
  again = sb_check_spec_parse (printed, &error);
  FUZZ_CHECK (again != NULL, "“%s” printed as “%s”, which does not parse: %s", text, printed, error->message);
  reprinted = sb_check_spec_to_string (again);
  FUZZ_CHECK (strcmp (printed, reprinted) == 0, "“%s” → “%s” → “%s”", text, printed, reprinted);

  status = sb_check_spec_verify (spec, bytes, len, &result);
  FUZZ_CHECK (status == result.status, "verify returned another status than its result");
  if (status != SB_CHECK_SHORT)
    {
      guint size = sb_checksum_get_size (sb_check_spec_get_checksum (spec));

      FUZZ_CHECK (result.first <= result.last + 1 && result.at == result.last + 1 && result.at + size <= len,
                  "verify looked outside the frame");
      FUZZ_CHECK ((status == SB_CHECK_OK) == (result.expected == result.found), "status disagrees with values");
    }
  described = sb_check_result_describe (spec, &result, len);
  FUZZ_CHECK (g_utf8_validate (described, -1, NULL), "description is not UTF-8");
}

static void
fuzz_modbus (const guint8 *bytes,
             gsize         len)
{
  for (guint f = 0; f < 2; f++)
    for (guint d = 0; d < 2; d++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *described = sb_modbus_describe (f, d, bytes, len);
        SbModbusFrame frame;
        gboolean ok = sb_modbus_decode (f, d, bytes, len, &frame, &error);

        FUZZ_CHECK (g_utf8_validate (described, -1, NULL), "Modbus description is not UTF-8");
        FUZZ_CHECK (ok == (error == NULL), "decode result and error disagree");
        if (!ok)
          FUZZ_CHECK (strcmp (described, error->message) == 0, "describe does not give decode's reason");
        sb_modbus_frame_clear (&frame);
      }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  const SbEncodingInfo *encodings;
  guint n_encodings;
  guint8 mode;
  const char *encoding;
  guint32 seed;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) rx = NULL;

  fuzz_init_glib ();

  encodings = sb_codec_get_encodings (&n_encodings);
  mode = fuzz_byte (&in);
  encoding = encodings[fuzz_byte (&in) % n_encodings].name;
  seed = fuzz_byte (&in);
  /* Up to the first NUL, as the template is a C string. */
  text = g_strndup ((const char *) in.data, in.len);
  rx = g_bytes_new (in.data, MIN (in.len, 16));

  fuzz_template (text, mode & 1 ? SB_TEMPLATE_HEX : SB_TEMPLATE_TEXT, encoding, seed, (mode & 2) ? NULL : rx);
  if (mode & 4)
    fuzz_check_spec (text, in.data, in.len);
  if (mode & 8)
    fuzz_modbus (in.data, in.len);

  return 0;
}
