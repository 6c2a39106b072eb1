/* sb-sequence-view.h — a session's history as a sequence diagram
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-address.h"
#include "sb-frames.h"
#include "sb-history.h"

G_BEGIN_DECLS

#define SB_TYPE_SEQUENCE_VIEW (sb_sequence_view_get_type ())
G_DECLARE_FINAL_TYPE (SbSequenceView, sb_sequence_view, SB, SEQUENCE_VIEW, GtkWidget)

#define SB_SEQUENCE_VIEW_MIN_ROW_HEIGHT 18
#define SB_SEQUENCE_VIEW_MAX_ROW_HEIGHT 96

/*
 * A lifeline for this side and one per peer, one row per history record,
 * time flowing down. It is a GtkScrollable: put it straight into a
 * GtkScrolledWindow; only the rows in view are drawn.
 *
 * Properties: "history" (nullable), "encoding" (of the message previews),
 * "kind" (the session's SbKind as int: datagrams are dashed, who connects
 * to whom), "local-label" (under "This side"), "row-height",
 * "selected-serial" (notifies when a click selects a row; -1 for none).
 */
GtkWidget  *sb_sequence_view_new                 (void);
SbHistory  *sb_sequence_view_get_history         (SbSequenceView *self);
void        sb_sequence_view_set_history         (SbSequenceView *self,
                                                  SbHistory      *history);
void        sb_sequence_view_set_encoding        (SbSequenceView *self,
                                                  const char     *encoding);
void        sb_sequence_view_set_kind            (SbSequenceView *self,
                                                  SbKind          kind);
void        sb_sequence_view_set_local_label     (SbSequenceView *self,
                                                  const char     *label);
int         sb_sequence_view_get_row_height      (SbSequenceView *self);
void        sb_sequence_view_set_row_height      (SbSequenceView *self,
                                                  int             row_height);
/* Zooms by one step (@steps > 0 taller rows, < 0 shorter). */
void        sb_sequence_view_zoom                (SbSequenceView *self,
                                                  int             steps);
gint64      sb_sequence_view_get_selected_serial (SbSequenceView *self);
/* Selects the row of record @serial and scrolls it into view; FALSE if the
 * history does not hold it. */
gboolean    sb_sequence_view_select_serial       (SbSequenceView *self,
                                                  guint64         serial);
/* The rows (history positions) in view now: what a frame draws. */
void        sb_sequence_view_get_visible_range   (SbSequenceView *self,
                                                  guint          *first,
                                                  guint          *n_rows);

/* The frames over the history (nullable): each read's arrow gets the
 * messages it holds drawn above it, one bar per frame, so reads (segments,
 * below) and messages (above) show side by side. */
void        sb_sequence_view_set_frames          (SbSequenceView *self,
                                                  SbFrames       *frames);

/* What row @position says, as drawn: a message's preview ("12 bytes ·
 * “hello”", in the stream's decode), the TCP handshake's three segments and
 * calls, or an event's text, one line each. NULL past the end. Newly allocated. */
char       *sb_sequence_view_dup_row_text        (SbSequenceView *self,
                                                  guint           position);

G_END_DECLS
