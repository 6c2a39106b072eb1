/* sb-export.h — history as plain text, CSV or JSON Lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-checksum.h"
#include "sb-frames.h"
#include "sb-history.h"

G_BEGIN_DECLS

typedef enum
{
  SB_EXPORT_TEXT,    /* one line per record, controls escaped */
  SB_EXPORT_CSV,     /* RFC 4180, with a header; formula-looking cells prefixed with ' */
  SB_EXPORT_JSONL,   /* one JSON object per line */
} SbExportFormat;

/* One record copied out of the history, so a thread may write it. */
typedef struct
{
  gint64       time_us;
  SbDirection  direction;
  SbEventKind  event;
  char        *peer;
  GBytes      *data;
  /* A frame (sb_export_snapshot_frames()), not a read: time_us is its first
   * read's time. */
  gboolean       is_frame;
  gint64         last_time_us;   /* its last read's */
  guint          n_reads;
  SbCheckStatus  check;          /* SB_CHECK_NONE when not checked */
  char          *check_detail;   /* nullable: why it is bad */
} SbExportRecord;

/* "text", "csv", "jsonl" */
gboolean   sb_export_format_from_string (const char           *text,
                                         SbExportFormat       *format);
/* ".txt", ".csv", ".jsonl" */
const char *sb_export_format_get_extension (SbExportFormat     format);

SbExportRecord *sb_export_record_new    (gint64                time_us,
                                         SbDirection           direction,
                                         SbEventKind           event,
                                         const char           *peer,
                                         GBytes               *data);
void       sb_export_record_free        (SbExportRecord       *record);

/* Copies every stored record (main thread). Returns a GPtrArray of
 * SbExportRecord that frees them. */
GPtrArray *sb_export_snapshot           (SbHistory            *history);

/* Copies every frame of @frames (main thread), received and sent, with
 * their reads' first and last times and their check. Returns a GPtrArray
 * of SbExportRecord (is_frame set) that frees them. Frames whose bytes the
 * history dropped are left out. */
GPtrArray *sb_export_snapshot_frames    (SbFrames             *frames);

/* sb_export_append_header() for @records: frames get their own columns
 * (CSV: time,last_time,direction,peer,length,reads,check,check_detail,text,hex). */
void       sb_export_append_header_for  (SbExportFormat        format,
                                         const char           *encoding,
                                         GPtrArray            *records,
                                         GString              *out);

/* Appends the header line: CSV its column names; text a comment line
 * ("# …") naming @encoding and saying how the text is escaped (\\ is a
 * backslash, \xNN a byte invalid in @encoding, \r \n \t \0 \uNNNN controls,
 * so no escape can be mistaken for received bytes); nothing for JSON Lines. */
void       sb_export_append_header      (SbExportFormat        format,
                                         const char           *encoding,
                                         GString              *out);
/* Appends one record alone and its line end. Text is decoded in @encoding;
 * hex is always included in CSV and JSON Lines. */
void       sb_export_append_record      (SbExportFormat        format,
                                         const char           *encoding,
                                         const SbExportRecord *record,
                                         GString              *out);
/* Appends @records (SbExportRecord, in history order), each with its line
 * end. The text of each is that of the history view: a character split
 * across two records of the same peer and direction is written whole in the
 * later one (see sb_stream_decode_append()). No header. */
void       sb_export_append_records     (SbExportFormat        format,
                                         const char           *encoding,
                                         GPtrArray            *records,
                                         GString              *out);

/* Writes the header and @records (a snapshot; a reference is taken), as
 * sb_export_append_records() does, to @file in a worker thread, replacing
 * the file. */
void       sb_export_write_async        (GFile                *file,
                                         SbExportFormat        format,
                                         const char           *encoding,
                                         GPtrArray            *records,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean   sb_export_write_finish       (GAsyncResult         *result,
                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbExportRecord, sb_export_record_free)

/* Opens @file for writing received bytes as they arrive: created with the
 * user's umask, emptied if it exists, and never written through a symlink
 * planted at its path. Local files only. */
void           sb_export_open_stream_async  (GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GOutputStream *sb_export_open_stream_finish (GAsyncResult        *result,
                                             GError             **error);

/* Writes @data to @file through a temporary file in the same folder renamed
 * over it: on failure nothing is left behind and an old file is untouched.
 * Errors name the file. Blocking: call it from a worker thread. */
gboolean      sb_export_replace_contents    (GFile          *file,
                                             const char     *data,
                                             gsize           len,
                                             GError        **error);

G_END_DECLS
