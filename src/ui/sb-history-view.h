/* sb-history-view.h — the list of records of a session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-frames.h"
#include "sb-history.h"
#include "sb-view-mode.h"

G_BEGIN_DECLS

#define SB_TYPE_HISTORY_VIEW (sb_history_view_get_type ())
G_DECLARE_FINAL_TYPE (SbHistoryView, sb_history_view, SB, HISTORY_VIEW, GtkWidget)

/* Properties: "history" (nullable), "frames" (nullable), "encoding",
 * "view-mode", "paused", "decode-modbus", "selected-serial", "showing-frames"
 * and "peer-filter" (read-only, notify). */
SbHistory  *sb_history_view_get_history   (SbHistoryView *self);
void        sb_history_view_set_history   (SbHistoryView *self,
                                           SbHistory     *history);
const char *sb_history_view_get_encoding  (SbHistoryView *self);
void        sb_history_view_set_encoding  (SbHistoryView *self,
                                           const char    *encoding);
SbViewMode  sb_history_view_get_view_mode (SbHistoryView *self);
void        sb_history_view_set_view_mode (SbHistoryView *self,
                                           SbViewMode     mode);
gboolean    sb_history_view_get_paused    (SbHistoryView *self);
void        sb_history_view_set_paused    (SbHistoryView *self,
                                           gboolean       paused);
/* The frames of the history (nullable). While their framer is not none the
 * rows are SbFrameItems, one per frame, re-framed when the framer changes;
 * with none (or NULL) they are the history's records as before. */
SbFrames   *sb_history_view_get_frames    (SbHistoryView *self);
void        sb_history_view_set_frames    (SbHistoryView *self,
                                           SbFrames      *frames);
/* TRUE while the rows are frames. */
gboolean    sb_history_view_get_showing_frames (SbHistoryView *self);
/* Frames rows get a line decoded as Modbus (Modbus/TCP for a 2-byte length
 * field at offset 4, RTU otherwise); the view menu's "Decode as Modbus". */
gboolean    sb_history_view_get_decode_modbus (SbHistoryView *self);
void        sb_history_view_set_decode_modbus (SbHistoryView *self,
                                               gboolean       decode);
/* Shows only the records (or frames) of peer @peer_id (a history peer id,
 * as sb_peer_get_id()), with a "Showing only @label ×" chip that clears it;
 * 0 shows every peer again. Session events (peer 0) stay shown. */
void        sb_history_view_set_peer_filter (SbHistoryView *self,
                                             guint          peer_id,
                                             const char    *label);
/* The peer shown alone, or 0. */
guint       sb_history_view_get_peer_filter (SbHistoryView *self);
/* The model the column view shows (after filter and pause). Borrowed. */
GListModel *sb_history_view_get_model     (SbHistoryView *self);
/* Sets the search pattern (text, or hex when @hex) as the search entry does. */
void        sb_history_view_search        (SbHistoryView *self,
                                           const char    *pattern,
                                           gboolean       hex);
/* "3 of 12 matches" as shown, or "" without a search. Borrowed. */
const char *sb_history_view_get_match_text (SbHistoryView *self);
/* The serial of the first selected row (of the first read of a frame), or -1. */
gint64      sb_history_view_get_selected_serial (SbHistoryView *self);
/* Selects the row of record @serial (the frame holding it) alone and scrolls it into view (the view
 * stops following the newest). FALSE when that row is not shown (dropped,
 * filtered out, or after a pause). */
gboolean    sb_history_view_select_serial (SbHistoryView *self,
                                           guint64        serial);

G_END_DECLS
