/* sb-export.c — history as plain text, CSV or JSON Lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-export"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include <string.h>

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-export.h"

#define WRITE_CHUNK (256 * 1024)

gboolean
sb_export_format_from_string (const char     *text,
                              SbExportFormat *format)
{
  if (g_strcmp0 (text, "text") == 0)
    *format = SB_EXPORT_TEXT;
  else if (g_strcmp0 (text, "csv") == 0)
    *format = SB_EXPORT_CSV;
  else if (g_strcmp0 (text, "jsonl") == 0)
    *format = SB_EXPORT_JSONL;
  else
    return FALSE;
  return TRUE;
}

const char *
sb_export_format_get_extension (SbExportFormat format)
{
  switch (format)
    {
    case SB_EXPORT_CSV:   return ".csv";
    case SB_EXPORT_JSONL: return ".jsonl";
    case SB_EXPORT_TEXT:
    default:              return ".txt";
    }
}

SbExportRecord *
sb_export_record_new (gint64       time_us,
                      SbDirection  direction,
                      SbEventKind  event,
                      const char  *peer,
                      GBytes      *data)
{
  SbExportRecord *record = g_new0 (SbExportRecord, 1);

  record->time_us = time_us;
  record->direction = direction;
  record->event = event;
  record->peer = g_strdup (peer ? peer : "");
  record->data = data ? g_bytes_ref (data) : g_bytes_new (NULL, 0);
  return record;
}

void
sb_export_record_free (SbExportRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->peer);
  g_bytes_unref (record->data);
  g_free (record);
}

GPtrArray *
sb_export_snapshot (SbHistory *history)
{
  guint n;
  GPtrArray *records;

  g_return_val_if_fail (SB_IS_HISTORY (history), NULL);

  n = sb_history_get_n_records (history);
  records = g_ptr_array_new_full (n, (GDestroyNotify) sb_export_record_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) data = sb_history_dup_data (history, i);

      g_ptr_array_add (records,
                       sb_export_record_new (sb_history_get_time (history, i),
                                             sb_history_get_direction (history, i),
                                             sb_history_get_event (history, i),
                                             sb_history_get_peer_label (history, sb_history_get_peer (history, i)),
                                             data));
    }
  return records;
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) exact = dt ? g_date_time_add (dt, time_us % G_USEC_PER_SEC) : NULL;

  /* ISO 8601 with microseconds and the UTC offset: sortable and exact. */
  return exact ? g_date_time_format_iso8601 (exact) : g_strdup ("");
}

static void
append_csv_cell_len (GString    *out,
                     const char *cell,
                     gsize       len)
{
  gboolean formula = len > 0 &&
                     (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                      cell[0] == '\t' || cell[0] == '\r');

  /* Always quoted: a payload may hold anything. A leading ' keeps a
   * spreadsheet from running a cell as a formula. */
  g_string_append_c (out, '"');
  if (formula)
    g_string_append_c (out, '\'');
  for (const char *p = cell; p < cell + len; p++)
    {
      /* A NUL would cut the cell short in most readers; the hex column
       * holds the exact bytes. */
      if (*p == '\0')
        {
          g_string_append (out, "\\0");
          continue;
        }
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_cell (GString    *out,
                 const char *cell)
{
  append_csv_cell_len (out, cell, strlen (cell));
}

static void
append_json_string_len (GString    *out,
                        const char *text,
                        gsize       len)
{
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; p < (const unsigned char *) text + len; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  append_json_string_len (out, text, strlen (text));
}

void
sb_export_append_header (SbExportFormat format,
                         GString       *out)
{
  if (format == SB_EXPORT_CSV)
    g_string_append (out, "time,direction,event,peer,length,text,hex\r\n");
}

void
sb_export_append_record (SbExportFormat        format,
                         const char           *encoding,
                         const SbExportRecord *record,
                         GString              *out)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (record->data, &len);
  gboolean is_event = record->direction == SB_DIRECTION_EVENT;
  g_autofree char *time = format_time (record->time_us);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(SbDecoder) decoder = NULL;
  g_autofree char *hex = NULL;
  const char *event = is_event ? sb_event_kind_to_string (record->event) : "";
  char length[32];

  /* Event payloads are UTF-8 messages, whatever the view encoding. */
  /* A decoder and a GString, not a C string: text after a NUL byte counts. */
  decoder = sb_decoder_new (is_event ? "UTF-8" : encoding,
                            format == SB_EXPORT_TEXT ? SB_DECODE_ESCAPE_CONTROLS : SB_DECODE_DEFAULT,
                            NULL);
  if (decoder != NULL)
    {
      sb_decoder_feed (decoder, data, len, text, NULL);
      sb_decoder_finish (decoder, text, NULL);
    }
  hex = is_event ? g_strdup ("") : sb_codec_format_hex (data, len);
  g_snprintf (length, sizeof length, "%" G_GSIZE_FORMAT, is_event ? 0 : len);

  switch (format)
    {
    case SB_EXPORT_CSV:
      append_csv_cell (out, time);
      g_string_append_c (out, ',');
      append_csv_cell (out, sb_direction_to_string (record->direction));
      g_string_append_c (out, ',');
      append_csv_cell (out, event ? event : "");
      g_string_append_c (out, ',');
      append_csv_cell (out, record->peer);
      g_string_append_c (out, ',');
      g_string_append (out, length);
      g_string_append_c (out, ',');
      append_csv_cell_len (out, text->str, text->len);
      g_string_append_c (out, ',');
      append_csv_cell (out, hex);
      g_string_append (out, "\r\n");
      break;

    case SB_EXPORT_JSONL:
      g_string_append (out, "{\"time\":");
      append_json_string (out, time);
      g_string_append_printf (out, ",\"time_us\":%" G_GINT64_FORMAT ",\"direction\":", record->time_us);
      append_json_string (out, sb_direction_to_string (record->direction));
      g_string_append (out, ",\"event\":");
      if (is_event)
        append_json_string (out, event ? event : "");
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"peer\":");
      append_json_string (out, record->peer);
      g_string_append_printf (out, ",\"length\":%s,\"encoding\":", length);
      append_json_string (out, is_event ? "UTF-8" : encoding);
      g_string_append (out, ",\"text\":");
      append_json_string_len (out, text->str, text->len);
      g_string_append (out, ",\"hex\":");
      append_json_string (out, hex);
      g_string_append (out, "}\n");
      break;

    case SB_EXPORT_TEXT:
    default:
      {
        const char *arrow = record->direction == SB_DIRECTION_RX ? "<-" :
                            record->direction == SB_DIRECTION_TX ? "->" : "--";

        g_string_append_printf (out, "%s %s %s", time, arrow, *record->peer ? record->peer : "-");
        if (is_event)
          g_string_append_printf (out, " [%s] %s\n", event ? event : "", text->str);
        else
          g_string_append_printf (out, " (%s) %s\n", length, text->str);
      }
      break;
    }
}

typedef struct
{
  SbExportFormat  format;
  char           *encoding;
  GPtrArray      *records;
} WriteData;

static void
write_data_free (gpointer data)
{
  WriteData *wd = data;

  g_free (wd->encoding);
  g_ptr_array_unref (wd->records);
  g_free (wd);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *wd = task_data;
  GFile *file = source_object;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GString) chunk = g_string_sized_new (WRITE_CHUNK + 4096);
  g_autoptr(GCancellable) abandon = g_cancellable_new ();
  GError *error = NULL;

  /* Only the snapshot is touched here, never the live history. */
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sb_export_append_header (wd->format, chunk);
  for (guint i = 0; i <= wd->records->len; i++)
    {
      if (i < wd->records->len)
        sb_export_append_record (wd->format, wd->encoding, g_ptr_array_index (wd->records, i), chunk);
      if (chunk->len >= WRITE_CHUNK || (i == wd->records->len && chunk->len > 0))
        {
          if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), chunk->str, chunk->len,
                                          NULL, cancellable, &error))
            {
              /* Closing with a cancelled cancellable throws the temporary
               * file away: the file we were replacing stays as it was,
               * rather than being replaced by half an export. */
              g_cancellable_cancel (abandon);
              g_output_stream_close (G_OUTPUT_STREAM (stream), abandon, NULL);
              g_task_return_error (task, error);
              return;
            }
          g_string_truncate (chunk, 0);
        }
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
sb_export_write_async (GFile              *file,
                       SbExportFormat      format,
                       const char         *encoding,
                       GPtrArray          *records,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *wd;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (records != NULL);

  wd = g_new0 (WriteData, 1);
  wd->format = format;
  wd->encoding = g_strdup (encoding ? encoding : "UTF-8");
  wd->records = g_ptr_array_ref (records);

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_export_write_async);
  g_task_set_task_data (task, wd, write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
sb_export_write_finish (GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sb_export_write_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
open_stream_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *file = source_object;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_parse_name (file);
  int fd;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("“%s” is not a local file"), name);
      return;
    }

  /* O_NOFOLLOW: a link planted at the path is refused, not written through. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int errsv = errno;

      if (errsv == ELOOP)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                                 _("“%s” is a symbolic link; choose the file itself"), name);
      else
        g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv),
                                 _("Cannot write “%s”: %s"), name, g_strerror (errsv));
      return;
    }

  g_task_return_pointer (task, g_unix_output_stream_new (fd, TRUE), g_object_unref);
}

void
sb_export_open_stream_async (GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_export_open_stream_async);
  g_task_run_in_thread (task, open_stream_thread);
}

GOutputStream *
sb_export_open_stream_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sb_export_open_stream_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
