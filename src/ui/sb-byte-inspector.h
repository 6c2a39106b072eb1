/* sb-byte-inspector.h — the bytes of one message and the characters they make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-frames.h"
#include "sb-history.h"
#include "sb-inspect.h"

G_BEGIN_DECLS

/* Bytes of a message the inspector shows at most. */
#define SB_BYTE_INSPECTOR_MAX_BYTES 4096

#define SB_TYPE_BYTE_INSPECTOR (sb_byte_inspector_get_type ())
G_DECLARE_FINAL_TYPE (SbByteInspector, sb_byte_inspector, SB, BYTE_INSPECTOR, GtkWidget)

/*
 * A hex dump, 16 bytes a line, with the characters of two encodings drawn
 * under the bytes that make them: the page's ("encoding") and a second one
 * ("second-encoding", chosen in a drop-down; GBK beside UTF-8, else UTF-8).
 * Invalid bytes are marked, with the reason in a tooltip and in a list.
 * A range of bytes can be selected: its offsets and its decoding show.
 */
GtkWidget    *sb_byte_inspector_new                 (void);

/* The message: @data (nullable: none) and a line saying what it is. Only
 * the first SB_BYTE_INSPECTOR_MAX_BYTES bytes are shown. */
void          sb_byte_inspector_set_data            (SbByteInspector *self,
                                                     GBytes          *data,
                                                     const char      *title);
/* The record @serial of @history (NULL: none), read as the stream reads
 * it: bytes of a character begun in earlier reads of its stream are shown
 * first, shaded ("carried"), and the last bytes of a character the next read
 * completes are one unit that says so: a GBK 中 cut as d6 d0 ce | c4 b7 …
 * shows 中 and then 文 over ce c4, never 姆. Follows later encoding changes
 * and the frames (sb_byte_inspector_set_frames()). */
void          sb_byte_inspector_set_record          (SbByteInspector *self,
                                                     SbHistory       *history,
                                                     guint64          serial,
                                                     const char      *title);
/* Bytes of earlier reads shown before the record's own (0: none). */
guint         sb_byte_inspector_get_carry_length    (SbByteInspector *self);
/* The frames over the history (nullable): the record's frame boundaries
 * are drawn over its bytes, each split explained, an incomplete frame's
 * wait said ("Waiting for 3 more bytes"). */
SbFrames     *sb_byte_inspector_get_frames          (SbByteInspector *self);
void          sb_byte_inspector_set_frames          (SbByteInspector *self,
                                                     SbFrames        *frames);
/* The frames' text under the grid, as shown ("" when none). */
const char   *sb_byte_inspector_get_frames_text     (SbByteInspector *self);
/* Where frames begin or end within the shown bytes (offsets into them,
 * carried bytes included). Borrowed, NULL when none. */
GArray       *sb_byte_inspector_get_frame_bounds    (SbByteInspector *self);
/* What the cell of the page encoding's unit @index shows (a character,
 * an escape, a code point for what no font here draws). Newly allocated. */
char         *sb_byte_inspector_dup_cell_text       (SbByteInspector *self,
                                                     guint            index);
/* Protocol header fields to show above the bytes ("Type: 8 (echo request)",
 * … for ICMP), or NULL for none. Until the next set_data. */
void          sb_byte_inspector_set_header_fields   (SbByteInspector *self,
                                                     GPtrArray       *lines);
/* Shows @message instead of bytes ("This row is an event…"). */
void          sb_byte_inspector_set_placeholder     (SbByteInspector *self,
                                                     const char      *message);
const char   *sb_byte_inspector_get_encoding        (SbByteInspector *self);
void          sb_byte_inspector_set_encoding        (SbByteInspector *self,
                                                     const char      *encoding);
const char   *sb_byte_inspector_get_second_encoding (SbByteInspector *self);
void          sb_byte_inspector_set_second_encoding (SbByteInspector *self,
                                                     const char      *encoding);

/* The units of the shown bytes in the page's encoding (@second FALSE) or
 * in the second encoding. */
guint         sb_byte_inspector_get_n_units         (SbByteInspector *self,
                                                     gboolean         second);
const SbUnit *sb_byte_inspector_get_unit            (SbByteInspector *self,
                                                     gboolean         second,
                                                     guint            index);
/* Selects bytes [@start, @end) of the message (@start == @end: nothing). */
void          sb_byte_inspector_select_range        (SbByteInspector *self,
                                                     guint            start,
                                                     guint            end);
/* The texts under the grid, as shown: the selection, the invalid bytes. */
const char   *sb_byte_inspector_get_selection_text  (SbByteInspector *self);
const char   *sb_byte_inspector_get_invalid_text    (SbByteInspector *self);

G_END_DECLS
