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
#include <sys/stat.h>
#include <unistd.h>

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
  record->check = SB_CHECK_NONE;
  return record;
}

void
sb_export_record_free (SbExportRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->peer);
  g_bytes_unref (record->data);
  g_free (record->check_detail);
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

GPtrArray *
sb_export_snapshot_frames (SbFrames *frames)
{
  GListModel *model;
  GPtrArray *records;
  guint n;

  g_return_val_if_fail (SB_IS_FRAMES (frames), NULL);

  model = G_LIST_MODEL (frames);
  n = g_list_model_get_n_items (model);
  records = g_ptr_array_new_full (n, (GDestroyNotify) sb_export_record_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SbFrameItem) item = g_list_model_get_item (model, i);
      g_autoptr(GBytes) raw = sb_frame_item_dup_raw (item);
      g_autoptr(GArray) parts = NULL;
      SbExportRecord *record;

      if (raw == NULL)
        continue;
      parts = sb_frame_item_dup_parts (item);
      record = sb_export_record_new (sb_frame_item_get_first_time (item),
                                     sb_frame_item_get_direction (item), SB_EVENT_NONE,
                                     sb_frame_item_get_peer_label (item), raw);
      record->is_frame = TRUE;
      record->last_time_us = sb_frame_item_get_last_time (item);
      record->n_reads = parts->len;
      record->check = sb_frame_item_get_check (item, &record->check_detail);
      g_ptr_array_add (records, record);
    }
  return records;
}

static const char *
check_name (SbCheckStatus check)
{
  switch (check)
    {
    case SB_CHECK_OK:
      return "ok";
    case SB_CHECK_BAD:
      return "bad";
    case SB_CHECK_SHORT:
      return "short";
    case SB_CHECK_NONE:
    default:
      return "";
    }
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
sb_export_append_header_for (SbExportFormat  format,
                             const char     *encoding,
                             GPtrArray      *records,
                             GString        *out)
{
  g_return_if_fail (records != NULL);
  g_return_if_fail (out != NULL);

  if (format == SB_EXPORT_CSV && records->len > 0 &&
      ((SbExportRecord *) g_ptr_array_index (records, 0))->is_frame)
    g_string_append (out, "time,last_time,direction,peer,length,reads,check,check_detail,text,hex\r\n");
  else
    sb_export_append_header (format, encoding, out);
}

void
sb_export_append_header (SbExportFormat  format,
                         const char     *encoding,
                         GString        *out)
{
  switch (format)
    {
    case SB_EXPORT_CSV:
      g_string_append (out, "time,direction,event,peer,length,text,hex\r\n");
      break;
    case SB_EXPORT_TEXT:
      /* Says how to read the text back: the data is escaped so that what
       * stands for a byte never looks like bytes that were received. */
      g_string_append_printf (out,
                              "# Sockbench history, text in %s. Escapes in the text: \\\\ is a backslash; "
                              "\\xNN a byte not valid in %s; \\r \\n \\t \\0 and \\uNNNN control characters.\n",
                              encoding != NULL ? encoding : "UTF-8",
                              encoding != NULL ? encoding : "UTF-8");
      break;
    case SB_EXPORT_JSONL:
    default:
      break;
    }
}

/* A frame: its first and last read's times, how many reads made it, and
 * its check. */
static void
append_frame_line (SbExportFormat        format,
                   const char           *encoding,
                   const SbExportRecord *record,
                   const GString        *text,
                   const char           *time,
                   const char           *length,
                   const char           *hex,
                   GString              *out)
{
  g_autofree char *last_time = format_time (record->last_time_us);
  const char *check = check_name (record->check);

  switch (format)
    {
    case SB_EXPORT_CSV:
      append_csv_cell (out, time);
      g_string_append_c (out, ',');
      append_csv_cell (out, last_time);
      g_string_append_c (out, ',');
      append_csv_cell (out, sb_direction_to_string (record->direction));
      g_string_append_c (out, ',');
      append_csv_cell (out, record->peer);
      g_string_append_printf (out, ",%s,%u,", length, record->n_reads);
      append_csv_cell (out, check);
      g_string_append_c (out, ',');
      append_csv_cell (out, record->check_detail ? record->check_detail : "");
      g_string_append_c (out, ',');
      append_csv_cell_len (out, text->str, text->len);
      g_string_append_c (out, ',');
      append_csv_cell (out, hex);
      g_string_append (out, "\r\n");
      break;

    case SB_EXPORT_JSONL:
      g_string_append (out, "{\"time\":");
      append_json_string (out, time);
      g_string_append_printf (out, ",\"time_us\":%" G_GINT64_FORMAT ",\"last_time\":", record->time_us);
      append_json_string (out, last_time);
      g_string_append_printf (out, ",\"last_time_us\":%" G_GINT64_FORMAT ",\"direction\":", record->last_time_us);
      append_json_string (out, sb_direction_to_string (record->direction));
      g_string_append (out, ",\"frame\":true,\"peer\":");
      append_json_string (out, record->peer);
      g_string_append_printf (out, ",\"length\":%s,\"reads\":%u,\"check\":", length, record->n_reads);
      if (*check != '\0')
        append_json_string (out, check);
      else
        g_string_append (out, "null");
      if (record->check_detail != NULL)
        {
          g_string_append (out, ",\"check_detail\":");
          append_json_string (out, record->check_detail);
        }
      g_string_append (out, ",\"encoding\":");
      append_json_string (out, encoding);
      g_string_append (out, ",\"text\":");
      append_json_string_len (out, text->str, text->len);
      g_string_append (out, ",\"hex\":");
      append_json_string (out, hex);
      g_string_append (out, "}\n");
      break;

    case SB_EXPORT_TEXT:
    default:
      {
        const char *arrow = record->direction == SB_DIRECTION_RX ? "<-" : "->";

        /* In English like the header: the export is for tools. */
        g_string_append_printf (out, "%s %s %s (%s, %u %s)", time, arrow,
                                *record->peer ? record->peer : "-", length, record->n_reads,
                                record->n_reads == 1 ? "read" : "reads");
        if (record->check == SB_CHECK_OK)
          g_string_append (out, " ✔");
        else if (record->check != SB_CHECK_NONE)
          g_string_append (out, " ✘");
        g_string_append_c (out, ' ');
        g_string_append_len (out, text->str, text->len);
        g_string_append_c (out, '\n');
      }
      break;
    }
}

static void
append_line (SbExportFormat        format,
             const char           *encoding,
             const SbExportRecord *record,
             const GString        *text,
             GString              *out)
{
  gsize len = g_bytes_get_size (record->data);
  const guint8 *data = g_bytes_get_data (record->data, NULL);
  gboolean is_event = record->direction == SB_DIRECTION_EVENT;
  g_autofree char *time = format_time (record->time_us);
  g_autofree char *hex = NULL;
  const char *event = is_event ? sb_event_kind_to_string (record->event) : "";
  char length[32];

  hex = is_event ? g_strdup ("") : sb_codec_format_hex (data, len);
  g_snprintf (length, sizeof length, "%" G_GSIZE_FORMAT, is_event ? 0 : len);

  if (record->is_frame)
    {
      append_frame_line (format, encoding, record, text, time, length, hex, out);
      return;
    }

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
          g_string_append_printf (out, " [%s] ", event ? event : "");
        else
          g_string_append_printf (out, " (%s) ", length);
        /* Controls are escaped in text: it holds no NUL. */
        g_string_append_len (out, text->str, text->len);
        g_string_append_c (out, '\n');
      }
      break;
    }
}

/* Records of a snapshot as the stream decode reads them: linked by the
 * history's stream rules, so each reads as the history view shows it. */
typedef struct
{
  SbExportFormat   format;
  const char      *encoding;
  GPtrArray       *records;   /* SbExportRecord */
  SbStreamRecord  *stream;
  SbStreamDecode  *decode;
  GString         *text;
} Writer;

static gboolean
lookup_snapshot (gpointer        source,
                 guint64         index,
                 SbStreamRecord *record)
{
  Writer *writer = source;

  if (index >= writer->records->len)
    return FALSE;

  *record = writer->stream[index];
  return TRUE;
}

static void
writer_init (Writer         *writer,
             SbExportFormat  format,
             const char     *encoding,
             GPtrArray      *records,
             gboolean        linked)
{
  g_autoptr(SbStreamLinks) links = sb_stream_links_new ();
  g_autoptr(GHashTable) peers = g_hash_table_new (g_str_hash, g_str_equal);
  SbDecodeFlags flags = format == SB_EXPORT_TEXT ? SB_DECODE_ESCAPE_CONTROLS : SB_DECODE_DEFAULT;

  writer->format = format;
  writer->encoding = encoding;
  writer->records = records;
  writer->stream = g_new0 (SbStreamRecord, records->len);
  writer->decode = sb_stream_decode_new (encoding, flags, NULL);
  /* As the history view: hex for an encoding the codec does not have. */
  if (writer->decode == NULL)
    writer->decode = sb_stream_decode_new (SB_ENCODING_HEX, flags, NULL);
  writer->text = g_string_new (NULL);
  /* A frame is whole: nothing continues from one to the next. */
  if (records->len > 0 && ((SbExportRecord *) g_ptr_array_index (records, 0))->is_frame)
    linked = FALSE;

  for (guint i = 0; i < records->len; i++)
    {
      const SbExportRecord *record = g_ptr_array_index (records, i);
      SbStreamRecord *stream = &writer->stream[i];
      gpointer peer = NULL;

      /* Peer ids for the links: 0 is the session itself, as in the history. */
      if (*record->peer != '\0' &&
          !g_hash_table_lookup_extended (peers, record->peer, NULL, &peer))
        {
          peer = GUINT_TO_POINTER (g_hash_table_size (peers) + 1);
          g_hash_table_insert (peers, record->peer, peer);
        }

      stream->data = g_bytes_get_data (record->data, &stream->length);
      stream->is_event = record->direction == SB_DIRECTION_EVENT;
      stream->prev = linked ? sb_stream_links_add (links, i, record->direction, record->event,
                                                   GPOINTER_TO_UINT (peer), stream->length)
                            : SB_STREAM_NO_RECORD;
      if (stream->prev != SB_STREAM_NO_RECORD)
        writer->stream[stream->prev].continued = TRUE;
    }
}

static void
writer_clear (Writer *writer)
{
  g_clear_pointer (&writer->stream, g_free);
  g_clear_pointer (&writer->decode, sb_stream_decode_free);
  if (writer->text != NULL)
    g_string_free (g_steal_pointer (&writer->text), TRUE);
}

static void
writer_append (Writer  *writer,
               guint    index,
               GString *out)
{
  /* A GString, not a C string: text after a NUL byte counts. */
  g_string_truncate (writer->text, 0);
  sb_stream_decode_append (writer->decode, lookup_snapshot, writer, index,
                           G_MAXSIZE, writer->text, NULL, NULL);
  append_line (writer->format, writer->encoding, g_ptr_array_index (writer->records, index),
               writer->text, out);
}

void
sb_export_append_record (SbExportFormat        format,
                         const char           *encoding,
                         const SbExportRecord *record,
                         GString              *out)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  Writer writer;

  g_return_if_fail (encoding != NULL);
  g_return_if_fail (record != NULL);
  g_return_if_fail (out != NULL);

  g_ptr_array_add (one, (gpointer) record);
  writer_init (&writer, format, encoding, one, FALSE);
  writer_append (&writer, 0, out);
  writer_clear (&writer);
}

void
sb_export_append_records (SbExportFormat  format,
                          const char     *encoding,
                          GPtrArray      *records,
                          GString        *out)
{
  Writer writer;

  g_return_if_fail (encoding != NULL);
  g_return_if_fail (records != NULL);
  g_return_if_fail (out != NULL);

  writer_init (&writer, format, encoding, records, TRUE);
  for (guint i = 0; i < records->len; i++)
    writer_append (&writer, i, out);
  writer_clear (&writer);
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

/* A new file written beside its destination under a temporary name and
 * renamed over it at the end, so a failed write (a full disk, a size
 * limit, a cancel) leaves neither half a file nor a changed old one. */
typedef struct
{
  char *path;
  char *tmp_path;
  char *name;       /* for messages */
  int   fd;
} AtomicFile;

static void
atomic_file_free (AtomicFile *af)
{
  if (af->fd >= 0)
    close (af->fd);
  if (af->tmp_path != NULL)
    g_unlink (af->tmp_path);
  g_free (af->path);
  g_free (af->tmp_path);
  g_free (af->name);
  g_free (af);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtomicFile, atomic_file_free)

static gboolean
atomic_file_fail (AtomicFile  *af,
                  int          errsv,
                  GError     **error)
{
  if (errsv == ENOSPC || errsv == EFBIG || errsv == EDQUOT)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                 _("Cannot write “%s”: %s; nothing was written"), af->name, g_strerror (errsv));
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                 _("Cannot write “%s”: %s"), af->name, g_strerror (errsv));
  return FALSE;
}

static AtomicFile *
atomic_file_open (GFile   *file,
                  GError **error)
{
  g_autoptr(AtomicFile) af = g_new0 (AtomicFile, 1);
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmpl = NULL;
  struct stat st;

  af->fd = -1;
  af->name = g_file_get_parse_name (file);
  af->path = g_file_get_path (file);
  if (af->path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a local file"), af->name);
      return NULL;
    }

  dir = g_path_get_dirname (af->path);
  base = g_path_get_basename (af->path);
  tmpl = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  /* The mode goes through the umask, as for any new file. */
  af->fd = g_mkstemp_full (tmpl, O_WRONLY | O_CLOEXEC, 0666);
  if (af->fd < 0)
    return atomic_file_fail (af, errno, error), NULL;
  af->tmp_path = g_steal_pointer (&tmpl);

  /* A file replaced keeps its permissions. */
  if (g_stat (af->path, &st) == 0 && S_ISREG (st.st_mode))
    fchmod (af->fd, st.st_mode & 07777);

  return g_steal_pointer (&af);
}

static gboolean
atomic_file_write (AtomicFile  *af,
                   const char  *data,
                   gsize        len,
                   GError     **error)
{
  while (len > 0)
    {
      gssize n = write (af->fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return atomic_file_fail (af, errno, error);
      data += n;
      len -= n;
    }

  return TRUE;
}

static gboolean
atomic_file_commit (AtomicFile  *af,
                    GError     **error)
{
  int fd = af->fd;

  af->fd = -1;
  /* A full disk may show only here (delayed allocation, network file
   * systems): the data is on disk before the old file is replaced. */
  if (fsync (fd) != 0 && errno != EINVAL && errno != EROFS)
    {
      int errsv = errno;

      close (fd);
      return atomic_file_fail (af, errsv, error);
    }
  if (close (fd) != 0)
    return atomic_file_fail (af, errno, error);
  if (g_rename (af->tmp_path, af->path) != 0)
    return atomic_file_fail (af, errno, error);
  g_clear_pointer (&af->tmp_path, g_free);

  return TRUE;
}

gboolean
sb_export_replace_contents (GFile         *file,
                            const char    *data,
                            gsize          len,
                            GError       **error)
{
  g_autoptr(AtomicFile) af = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  af = atomic_file_open (file, error);
  return af != NULL &&
         atomic_file_write (af, data, len, error) &&
         atomic_file_commit (af, error);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *wd = task_data;
  GFile *file = source_object;
  g_autoptr(AtomicFile) af = NULL;
  g_autoptr(GString) chunk = g_string_sized_new (WRITE_CHUNK + 4096);
  GError *error = NULL;
  Writer writer;

  /* Only the snapshot is touched here, never the live history. */
  af = atomic_file_open (file, &error);
  if (af == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  sb_export_append_header_for (wd->format, wd->encoding, wd->records, chunk);
  writer_init (&writer, wd->format, wd->encoding, wd->records, TRUE);
  for (guint i = 0; i <= wd->records->len; i++)
    {
      if (i < wd->records->len)
        writer_append (&writer, i, chunk);
      if (chunk->len >= WRITE_CHUNK || (i == wd->records->len && chunk->len > 0))
        {
          /* Freeing @af on failure removes the temporary file: the
           * destination stays as it was, or absent. */
          if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
              !atomic_file_write (af, chunk->str, chunk->len, &error))
            {
              writer_clear (&writer);
              g_task_return_error (task, error);
              return;
            }
          g_string_truncate (chunk, 0);
        }
    }
  writer_clear (&writer);

  if (!atomic_file_commit (af, &error))
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
