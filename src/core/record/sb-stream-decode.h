/* sb-stream-decode.h — the text of one record as part of its stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "sb-codec.h"

G_BEGIN_DECLS

/*
 * A stream is the records of one peer in one direction. A character split
 * across two reads is shown whole by the later record, and its first bytes
 * are not shown by the earlier one (unless no later record exists). This is
 * the one decode the history, its views and its exports share, so a record
 * reads the same everywhere.
 *
 * Records are found through an SbStreamLookupFunc, by an index of the
 * caller's choosing (the history uses serials, an export positions in its
 * snapshot). Decoding a record looks back at most a few records of its stream
 * (further while they are tiny), so it costs O(1) records whether the records
 * are visited in order (an export) or at random (the visible rows of a view).
 */

#define SB_STREAM_NO_RECORD G_MAXUINT64
#define SB_STREAM_MAX_CARRY 8

typedef struct
{
  const guint8 *data;
  gsize         length;
  /* Index of the previous record of its stream, or SB_STREAM_NO_RECORD. */
  guint64       prev;
  /* A later record of its stream exists: an unfinished character at the
   * end of this one is shown by that one. */
  gboolean      continued;
  /* An event: the payload is a UTF-8 message, outside any stream. */
  gboolean      is_event;
} SbStreamRecord;

/* Fills @record for @index; returns FALSE if there is no such record (any more). */
typedef gboolean (*SbStreamLookupFunc) (gpointer        source,
                                        guint64         index,
                                        SbStreamRecord *record);

/* What a record's text covers besides its own bytes. */
typedef struct
{
  /* The bytes of earlier records of the stream its text begins with. */
  guint8   carry[SB_STREAM_MAX_CARRY];
  gsize    carry_len;
  /* Bytes at the end of the record whose character the next record shows. */
  gsize    handed_on;
  /* Bytes left out because of max_bytes. */
  gboolean truncated;
} SbStreamSpan;

typedef struct _SbStreamDecode SbStreamDecode;

/* A decode of records in @encoding (SB_ENCODING_HEX formats each record's
 * own bytes as hex). Returns NULL and sets @error if the encoding is not
 * supported. Not thread-safe: one per thread. */
SbStreamDecode *sb_stream_decode_new          (const char         *encoding,
                                               SbDecodeFlags       flags,
                                               GError            **error);
void            sb_stream_decode_free         (SbStreamDecode     *self);
/* The canonical name of the encoding. Static. */
const char     *sb_stream_decode_get_encoding (SbStreamDecode     *self);
SbDecodeFlags   sb_stream_decode_get_flags    (SbStreamDecode     *self);

/* Appends the text of the record @index to @out, from at most its first
 * @max_bytes bytes (G_MAXSIZE for all; a character cut there is left out):
 * with the carried bytes of the previous records of its stream in front,
 * without the unfinished character it hands on to the next one. Invalid
 * bytes become \xNN escapes marked in @marks (nullable). @span (nullable)
 * says what the text covers. An event is its message. Returns FALSE (and
 * appends nothing) if @lookup does not know @index. */
gboolean        sb_stream_decode_append       (SbStreamDecode     *self,
                                               SbStreamLookupFunc  lookup,
                                               gpointer            source,
                                               guint64             index,
                                               gsize               max_bytes,
                                               GString            *out,
                                               GArray             *marks,
                                               SbStreamSpan       *span);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbStreamDecode, sb_stream_decode_free)

G_END_DECLS
