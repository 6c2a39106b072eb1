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

  sb_export_append_header (SB_EXPORT_CSV, header);
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

  return g_test_run ();
}
