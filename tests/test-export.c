/* test-export.c — history writers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sb-export.h"

/* A fixed time so the text is predictable in any time zone: only the
 * parts after the time are compared. */
#define T 1700000000123456

static char *
one (SbExportFormat  format,
     const char     *encoding,
     SbDirection     direction,
     SbEventKind     event,
     const char     *peer,
     const void     *data,
     gsize           len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(SbExportRecord) record = sb_export_record_new (T, direction, event, peer, bytes);
  GString *out = g_string_new (NULL);

  sb_export_append_record (format, encoding, record, out);
  return g_string_free (out, FALSE);
}

/* Skips the first (time) cell of a CSV line. */
static const char *
after_time (const char *line)
{
  const char *p = strstr (line, "\",");
  g_assert_nonnull (p);
  return p + 2;
}

static void
test_csv (void)
{
  g_autoptr(GString) header = g_string_new (NULL);
  g_autofree char *plain = one (SB_EXPORT_CSV, "UTF-8", SB_DIRECTION_RX, SB_EVENT_NONE, "127.0.0.1:5", "a,b\"c\r\nd", 8);
  g_autofree char *formula = one (SB_EXPORT_CSV, "UTF-8", SB_DIRECTION_TX, SB_EVENT_NONE, "=peer", "=SUM(A1)", 8);
  g_autofree char *minus = one (SB_EXPORT_CSV, "UTF-8", SB_DIRECTION_TX, SB_EVENT_NONE, "", "-1+2", 4);
  g_autofree char *at = one (SB_EXPORT_CSV, "UTF-8", SB_DIRECTION_TX, SB_EVENT_NONE, "", "@x", 2);
  g_autofree char *plus = one (SB_EXPORT_CSV, "UTF-8", SB_DIRECTION_TX, SB_EVENT_NONE, "", "+x", 2);

  sb_export_append_header (SB_EXPORT_CSV, "UTF-8", header);
  g_assert_cmpstr (header->str, ==, "time,direction,event,peer,length,text,hex\r\n");

  /* Quotes doubled, line breaks kept inside the quoted cell, hex column. */
  g_assert_cmpstr (after_time (plain), ==,
                   "\"rx\",\"\",\"127.0.0.1:5\",8,\"a,b\"\"c\r\nd\",\"61 2c 62 22 63 0d 0a 64\"\r\n");
  /* Formula injection: a leading ' in every cell that starts with = + - @. */
  g_assert_cmpstr (after_time (formula), ==,
                   "\"tx\",\"\",\"'=peer\",8,\"'=SUM(A1)\",\"3d 53 55 4d 28 41 31 29\"\r\n");
  g_assert_nonnull (strstr (minus, ",\"'-1+2\","));
  g_assert_nonnull (strstr (at, ",\"'@x\","));
  g_assert_nonnull (strstr (plus, ",\"'+x\","));
}

static void
test_csv_gbk_and_invalid (void)
{
  /* "你好" in GBK, then a byte invalid in GBK. */
  const guint8 data[] = { 0xc4, 0xe3, 0xba, 0xc3, 0xff };
  g_autofree char *gbk = one (SB_EXPORT_CSV, "GBK", SB_DIRECTION_RX, SB_EVENT_NONE, "p", data, sizeof data);

  g_assert_cmpstr (after_time (gbk), ==, "\"rx\",\"\",\"p\",5,\"你好\\xff\",\"c4 e3 ba c3 ff\"\r\n");
}

static void
test_jsonl (void)
{
  const guint8 data[] = { '"', '\\', '\n', '\t', 0x01, 0x7f, 0xff, 0xe4, 0xbd, 0xa0 };
  g_autofree char *line = one (SB_EXPORT_JSONL, "UTF-8", SB_DIRECTION_RX, SB_EVENT_NONE, "[::1]:7", data, sizeof data);
  g_autofree char *event = one (SB_EXPORT_JSONL, "GBK", SB_DIRECTION_EVENT, SB_EVENT_CONNECTED, "", "Connected to \"x\"", 16);
  const char *text;

  g_assert_true (g_str_has_suffix (line, "}\n"));
  g_assert_true (strchr (line, '\n') == line + strlen (line) - 1);   /* one line */
  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_assert_nonnull (strstr (line, ",\"time_us\":1700000000123456,"));
  g_assert_nonnull (strstr (line, "\"direction\":\"rx\",\"event\":null,\"peer\":\"[::1]:7\",\"length\":10,"));
  /* Control characters escaped; the invalid byte kept as a visible \xff
   * escape (its backslash escaped for JSON); the valid character as is. */
  text = strstr (line, "\"text\":");
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "\"text\":\"\\\"\\\\\\n\\t\\u0001\\u007f\\\\xff你\""));
  g_assert_nonnull (strstr (line, "\"hex\":\"22 5c 0a 09 01 7f ff e4 bd a0\"}"));

  /* Events: UTF-8 message whatever the view encoding, event name set. */
  g_assert_nonnull (strstr (event, "\"direction\":\"event\",\"event\":\"connected\""));
  g_assert_nonnull (strstr (event, "\"text\":\"Connected to \\\"x\\\"\""));
  g_assert_nonnull (strstr (event, "\"length\":0"));
}

static void
test_text (void)
{
  g_autofree char *line = one (SB_EXPORT_TEXT, "UTF-8", SB_DIRECTION_TX, SB_EVENT_NONE, "h:1", "a\r\nb", 4);

  /* One line per record: controls escaped. */
  g_assert_true (g_str_has_suffix (line, " -> h:1 (4) a\\r\\nb\n"));
  g_assert_null (strchr (line, '\r'));
}

static void
write_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  if (!sb_export_write_finish (result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

static void
test_write_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sb-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.csv", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "missing", "dir", "history.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_export_record_free);
  g_autofree char *contents = NULL;
  GError *result = NULL;
  guint lines = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *msg = g_strdup_printf ("message %u", i);
      g_autoptr(GBytes) bytes = g_bytes_new (msg, strlen (msg));
      g_ptr_array_add (records, sb_export_record_new (T + i, SB_DIRECTION_RX, SB_EVENT_NONE, "p", bytes));
    }

  sb_export_write_async (file, SB_EXPORT_CSV, "UTF-8", records, NULL, write_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_NONE);   /* the "ok" marker */
  g_clear_error (&result);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (const char *p = contents; (p = strstr (p, "\r\n")) != NULL; p += 2)
    lines++;
  g_assert_cmpuint (lines, ==, 5001);   /* header + records */
  g_assert_nonnull (strstr (contents, "\"message 4999\""));

  /* A location that cannot be written: an error, not a crash. */
  sb_export_write_async (bad, SB_EXPORT_JSONL, "UTF-8", records, NULL, write_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&result);

  g_unlink (path);
  g_rmdir (dir);
}

/* A history holding @n rx records of one peer, announced; its snapshot. */
static SbHistory *
history_of (const guint8 * const *parts,
            const gsize          *lens,
            guint                 n)
{
  SbHistory *history = sb_history_new ();
  guint peer = sb_history_intern_peer (history, "127.0.0.1:5000");

  sb_history_append_event (history, SB_EVENT_CONNECTED, peer, "Connected");
  for (guint i = 0; i < n; i++)
    sb_history_append (history, T + i, SB_DIRECTION_RX, SB_EVENT_NONE, peer, parts[i], lens[i]);
  sb_history_flush (history);
  return history;
}

/* The text column of every record, as each format writes it: from
 * sb_export_append_records() over a snapshot of @history. */
static char *
export_all (SbHistory      *history,
            SbExportFormat  format,
            const char     *encoding)
{
  g_autoptr(GPtrArray) records = sb_export_snapshot (history);
  GString *out = g_string_new (NULL);

  sb_export_append_records (format, encoding, records, out);
  return g_string_free (out, FALSE);
}

/* A server sends GBK "中文分割\r\n" as d6 d0 ce + c4 b7 d6 b8 ee 0d 0a: the
 * second read starts with the second byte of 文. */
static void
test_gbk_split_across_reads (void)
{
  static const guint8 first[] = { 0xd6, 0xd0, 0xce };
  static const guint8 second[] = { 0xc4, 0xb7, 0xd6, 0xb8, 0xee, 0x0d, 0x0a };
  const guint8 *parts[] = { first, second };
  const gsize lens[] = { sizeof first, sizeof second };
  g_autoptr(SbHistory) history = history_of (parts, lens, 2);
  g_autofree char *view0 = sb_history_decode (history, 1, "GBK", SB_DECODE_DEFAULT, NULL);
  g_autofree char *view1 = sb_history_decode (history, 2, "GBK", SB_DECODE_DEFAULT, NULL);
  g_autofree char *csv = export_all (history, SB_EXPORT_CSV, "GBK");
  g_autofree char *jsonl = export_all (history, SB_EXPORT_JSONL, "GBK");
  g_autofree char *text = export_all (history, SB_EXPORT_TEXT, "GBK");

  /* What the history view shows… */
  g_assert_cmpstr (view0, ==, "中");
  g_assert_cmpstr (view1, ==, "文分割\r\n");

  /* …is what every export writes, never 中\xce / 姆指\xee. */
  g_assert_nonnull (strstr (csv, ",3,\"中\",\"d6 d0 ce\"\r\n"));
  g_assert_nonnull (strstr (csv, ",7,\"文分割\r\n\",\"c4 b7 d6 b8 ee 0d 0a\"\r\n"));
  g_assert_nonnull (strstr (jsonl, "\"encoding\":\"GBK\",\"text\":\"中\",\"hex\":\"d6 d0 ce\"}\n"));
  g_assert_nonnull (strstr (jsonl, "\"encoding\":\"GBK\",\"text\":\"文分割\\r\\n\",\"hex\":\"c4 b7 d6 b8 ee 0d 0a\"}\n"));
  g_assert_nonnull (strstr (text, " <- 127.0.0.1:5000 (3) 中\n"));
  g_assert_nonnull (strstr (text, " <- 127.0.0.1:5000 (7) 文分割\\r\\n\n"));
  g_assert_null (strstr (csv, "\\x"));
  g_assert_null (strstr (jsonl, "\\\\x"));
  g_assert_null (strstr (text, "\\x"));
}

/* The same split written by the worker thread, header first. */
static void
test_gbk_split_write_async (void)
{
  static const guint8 first[] = { 0xd6, 0xd0, 0xce };
  static const guint8 second[] = { 0xc4, 0xb7, 0xd6, 0xb8, 0xee, 0x0d, 0x0a };
  const guint8 *parts[] = { first, second };
  const gsize lens[] = { sizeof first, sizeof second };
  g_autoptr(SbHistory) history = history_of (parts, lens, 2);
  g_autoptr(GPtrArray) records = sb_export_snapshot (history);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sb-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  GError *result = NULL;

  g_assert_no_error (error);
  sb_export_write_async (file, SB_EXPORT_TEXT, "GBK", records, NULL, write_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_NONE);
  g_clear_error (&result);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "# Sockbench history, text in GBK."));
  g_assert_nonnull (strstr (contents, " (3) 中\n"));
  g_assert_nonnull (strstr (contents, " (7) 文分割\\r\\n\n"));

  g_unlink (path);
  g_rmdir (dir);
}

/* UTF-8 cut at every byte: the two records read as the whole text, and
 * each export writes what the history view shows. */
static void
test_utf8_split_everywhere (void)
{
  static const char whole[] = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80z";   /* aé中😀z */
  gsize len = strlen (whole);

  for (gsize cut = 1; cut < len; cut++)
    {
      const guint8 *parts[] = { (const guint8 *) whole, (const guint8 *) whole + cut };
      const gsize lens[] = { cut, len - cut };
      g_autoptr(SbHistory) history = history_of (parts, lens, 2);
      g_autoptr(GPtrArray) records = sb_export_snapshot (history);
      g_autofree char *view0 = sb_history_decode (history, 1, "UTF-8", SB_DECODE_DEFAULT, NULL);
      g_autofree char *view1 = sb_history_decode (history, 2, "UTF-8", SB_DECODE_DEFAULT, NULL);
      g_autofree char *joined = g_strconcat (view0, view1, NULL);
      g_autofree char *csv = export_all (history, SB_EXPORT_CSV, "UTF-8");
      g_autofree char *jsonl = export_all (history, SB_EXPORT_JSONL, "UTF-8");
      g_autofree char *text = export_all (history, SB_EXPORT_TEXT, "UTF-8");
      g_autofree char *csv0 = g_strdup_printf (",%" G_GSIZE_FORMAT ",\"%s\",", cut, view0);
      g_autofree char *csv1 = g_strdup_printf (",%" G_GSIZE_FORMAT ",\"%s\",", len - cut, view1);
      g_autofree char *json0 = g_strdup_printf ("\"text\":\"%s\",", view0);
      g_autofree char *json1 = g_strdup_printf ("\"text\":\"%s\",", view1);
      g_autofree char *text0 = g_strdup_printf (" (%" G_GSIZE_FORMAT ") %s\n", cut, view0);
      g_autofree char *text1 = g_strdup_printf (" (%" G_GSIZE_FORMAT ") %s\n", len - cut, view1);

      g_test_message ("cut at %" G_GSIZE_FORMAT ": “%s” + “%s”", cut, view0, view1);
      g_assert_cmpstr (joined, ==, whole);
      g_assert_true (g_utf8_validate (view0, -1, NULL));
      g_assert_nonnull (strstr (csv, csv0));
      g_assert_nonnull (strstr (csv, csv1));
      g_assert_nonnull (strstr (jsonl, json0));
      g_assert_nonnull (strstr (jsonl, json1));
      g_assert_nonnull (strstr (text, text0));
      g_assert_nonnull (strstr (text, text1));
    }
}

/* An unfinished character at the end of a stream, or before a reconnect,
 * is written as escapes where it is, as the view shows it. */
static void
test_split_stream_ends (void)
{
  static const guint8 first[] = { 'a', 0xe4, 0xb8 };
  static const guint8 second[] = { 0xad, 'b' };
  g_autoptr(SbHistory) history = sb_history_new ();
  guint peer = sb_history_intern_peer (history, "p");
  g_autofree char *csv = NULL;
  g_autofree char *view = NULL;

  sb_history_append (history, T, SB_DIRECTION_RX, SB_EVENT_NONE, peer, first, sizeof first);
  sb_history_append_event (history, SB_EVENT_CONNECTED, peer, "again");
  sb_history_append (history, T + 1, SB_DIRECTION_RX, SB_EVENT_NONE, peer, second, sizeof second);
  sb_history_flush (history);

  view = sb_history_decode (history, 0, "UTF-8", SB_DECODE_DEFAULT, NULL);
  g_assert_cmpstr (view, ==, "a\\xe4\\xb8");
  csv = export_all (history, SB_EXPORT_CSV, "UTF-8");
  g_assert_nonnull (strstr (csv, ",3,\"a\\xe4\\xb8\","));
  g_assert_nonnull (strstr (csv, ",2,\"\\xadb\","));
}

static char *
export_frames (SbFrames       *frames,
               SbExportFormat  format)
{
  g_autoptr(GPtrArray) records = sb_export_snapshot_frames (frames);
  GString *out = g_string_new (NULL);

  sb_export_append_header_for (format, "UTF-8", records, out);
  sb_export_append_records (format, "UTF-8", records, out);
  return g_string_free (out, FALSE);
}

/* Frames, not reads: each with its reads' first and last times, how many
 * reads made it, and its check. */
static void
test_frames (void)
{
  static const guint8 good[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };
  static const guint8 bad[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00 };
  g_autoptr(SbHistory) history = sb_history_new ();
  g_autoptr(SbFramer) framer = sb_framer_new_from_spec ("fixed:8", NULL);
  g_autoptr(SbFrames) frames = NULL;
  guint peer = sb_history_intern_peer (history, "p");
  g_autofree char *csv = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;

  sb_history_append (history, T, SB_DIRECTION_RX, SB_EVENT_NONE, peer, good, 3);
  sb_history_append (history, T + 1, SB_DIRECTION_RX, SB_EVENT_NONE, peer, good + 3, 5);
  sb_history_append (history, T + 2, SB_DIRECTION_RX, SB_EVENT_NONE, peer, bad, sizeof bad);
  sb_history_flush (history);
  frames = sb_frames_new (history, framer);
  g_assert_true (sb_frames_set_check (frames, "crc-16/modbus", NULL));

  records = sb_export_snapshot_frames (frames);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpint (((SbExportRecord *) records->pdata[0])->time_us, ==, T);
  g_assert_cmpint (((SbExportRecord *) records->pdata[0])->last_time_us, ==, T + 1);
  g_assert_cmpuint (((SbExportRecord *) records->pdata[0])->n_reads, ==, 2);

  csv = export_frames (frames, SB_EXPORT_CSV);
  g_assert_true (g_str_has_prefix (csv, "time,last_time,direction,peer,length,reads,check,check_detail,text,hex\r\n"));
  g_assert_nonnull (strstr (csv, ",\"rx\",\"p\",8,2,\"ok\",\"\","));
  g_assert_nonnull (strstr (csv, ",\"rx\",\"p\",8,1,\"bad\",\"CRC-16/MODBUS bad: expected c5 cd, found 00 00\","));
  g_assert_nonnull (strstr (csv, ",\"01 03 00 00 00 0a c5 cd\"\r\n"));

  jsonl = export_frames (frames, SB_EXPORT_JSONL);
  g_assert_nonnull (strstr (jsonl, "\"time_us\":1700000000123456,"));
  g_assert_nonnull (strstr (jsonl, "\"last_time_us\":1700000000123457,"));
  g_assert_nonnull (strstr (jsonl, "\"frame\":true,\"peer\":\"p\",\"length\":8,\"reads\":2,\"check\":\"ok\","));
  g_assert_nonnull (strstr (jsonl, "\"check\":\"bad\",\"check_detail\":\"CRC-16/MODBUS bad: expected c5 cd, found 00 00\""));

  text = export_frames (frames, SB_EXPORT_TEXT);
  g_assert_nonnull (strstr (text, " <- p (8, 2 reads) ✔ "));
  g_assert_nonnull (strstr (text, " <- p (8, 1 read) ✘ "));
}

/* Text export: a received backslash is written \\, so the four characters
 * \xff in the data never read as the escape of an invalid byte; the header
 * line says so. The history view's look (\xff for the byte) is kept. */
static void
test_text_unambiguous (void)
{
  static const guint8 literal[] = { '\\', 'x', 'f', 'f' };
  static const guint8 invalid[] = { 0xff };
  g_autofree char *a = one (SB_EXPORT_TEXT, "UTF-8", SB_DIRECTION_RX, SB_EVENT_NONE, "p", literal, sizeof literal);
  g_autofree char *b = one (SB_EXPORT_TEXT, "UTF-8", SB_DIRECTION_RX, SB_EVENT_NONE, "p", invalid, sizeof invalid);
  g_autofree char *c = one (SB_EXPORT_TEXT, "UTF-8", SB_DIRECTION_EVENT, SB_EVENT_ERROR, "p", "C:\\x", 4);
  g_autoptr(GString) header = g_string_new (NULL);

  g_assert_true (g_str_has_suffix (a, " (4) \\\\xff\n"));
  g_assert_true (g_str_has_suffix (b, " (1) \\xff\n"));
  g_assert_true (g_str_has_suffix (c, " [error] C:\\\\x\n"));

  sb_export_append_header (SB_EXPORT_TEXT, "GBK", header);
  g_assert_true (g_str_has_prefix (header->str, "# Sockbench history, text in GBK."));
  g_assert_nonnull (strstr (header->str, "\\\\ is a backslash"));
  g_assert_nonnull (strstr (header->str, "\\xNN a byte not valid in GBK"));
  g_assert_true (g_str_has_suffix (header->str, "\n"));
  g_assert_null (strchr (header->str, '\r'));

  g_string_truncate (header, 0);
  sb_export_append_header (SB_EXPORT_JSONL, "GBK", header);
  g_assert_cmpstr (header->str, ==, "");
}

static void
test_nul_text (void)
{
  /* Text after a NUL byte is exported too: JSON writes \u0000, CSV \0. */
  g_autofree char *json = one (SB_EXPORT_JSONL, "UTF-8", SB_DIRECTION_RX, SB_EVENT_NONE, "p", "ab\0cd", 5);
  g_autofree char *csv = one (SB_EXPORT_CSV, "UTF-8", SB_DIRECTION_RX, SB_EVENT_NONE, "p", "ab\0cd", 5);

  g_assert_nonnull (strstr (json, "\"text\":\"ab\\u0000cd\""));
  g_assert_nonnull (strstr (csv, "\"ab\\0cd\""));
}

static void
test_cancel_keeps_old_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sb-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_export_record_free);
  g_autofree char *contents = NULL;
  GError *result = NULL;

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  for (guint i = 0; i < 200000; i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
      g_ptr_array_add (records, sb_export_record_new (T + i, SB_DIRECTION_RX, SB_EVENT_NONE, "p", bytes));
    }

  sb_export_write_async (file, SB_EXPORT_JSONL, "UTF-8", records, cancellable, write_done, &result);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* A cancelled export leaves the old file as it was, never half a new one. */
  if (!g_error_matches (result, G_IO_ERROR, G_IO_ERROR_NONE))
    {
      g_assert_error (result, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, "old");
    }
  g_clear_error (&result);

  g_unlink (path);
  g_rmdir (dir);
}


typedef struct
{
  gboolean       done;
  GOutputStream *stream;
  GError        *error;
} OpenResult;

static void
open_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenResult *open = user_data;

  open->stream = sb_export_open_stream_finish (result, &open->error);
  open->done = TRUE;
}

static void
test_receive_file_no_symlink (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sb-export-XXXXXX", &error);
  g_autofree char *target = g_build_filename (dir, "precious", NULL);
  g_autofree char *link = g_build_filename (dir, "received.bin", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.bin", NULL);
  g_autoptr(GFile) link_file = g_file_new_for_path (link);
  g_autoptr(GFile) plain_file = g_file_new_for_path (plain);
  g_autofree char *contents = NULL;
  OpenResult refused = { 0 };
  OpenResult opened = { 0 };

  g_assert_true (g_file_set_contents (target, "keep", -1, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);

  /* A link planted at the chosen path is refused, its target untouched. */
  sb_export_open_stream_async (link_file, NULL, open_done, &refused);
  while (!refused.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (refused.stream);
  g_assert_error (refused.error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS);
  g_clear_error (&refused.error);
  g_assert_true (g_file_get_contents (target, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep");

  /* A plain file is created and written. */
  sb_export_open_stream_async (plain_file, NULL, open_done, &opened);
  while (!opened.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (opened.error);
  g_assert_true (g_output_stream_write_all (opened.stream, "bytes", 5, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (opened.stream, NULL, NULL));
  g_object_unref (opened.stream);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (plain, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "bytes");

  g_unlink (plain);
  g_unlink (link);
  g_unlink (target);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/csv", test_csv);
  g_test_add_func ("/export/nul-text", test_nul_text);
  g_test_add_func ("/export/receive-file-no-symlink", test_receive_file_no_symlink);
  g_test_add_func ("/export/cancel-keeps-old-file", test_cancel_keeps_old_file);
  g_test_add_func ("/export/csv-gbk-invalid", test_csv_gbk_and_invalid);
  g_test_add_func ("/export/jsonl", test_jsonl);
  g_test_add_func ("/export/text", test_text);
  g_test_add_func ("/export/write-async", test_write_async);
  g_test_add_func ("/export/gbk-split-across-reads", test_gbk_split_across_reads);
  g_test_add_func ("/export/gbk-split-write-async", test_gbk_split_write_async);
  g_test_add_func ("/export/utf8-split-everywhere", test_utf8_split_everywhere);
  g_test_add_func ("/export/split-stream-ends", test_split_stream_ends);
  g_test_add_func ("/export/frames", test_frames);
  g_test_add_func ("/export/text-unambiguous", test_text_unambiguous);

  return g_test_run ();
}
