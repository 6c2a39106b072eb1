/* sb-history-view.h — the list of records of a session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-history.h"
#include "sb-view-mode.h"

G_BEGIN_DECLS

#define SB_TYPE_HISTORY_VIEW (sb_history_view_get_type ())
G_DECLARE_FINAL_TYPE (SbHistoryView, sb_history_view, SB, HISTORY_VIEW, GtkWidget)

/* Properties: "history" (nullable), "encoding", "view-mode", "paused",
 * "selected-serial" (read-only, notifies). */
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
/* The model the column view shows (after filter and pause). Borrowed. */
GListModel *sb_history_view_get_model     (SbHistoryView *self);
/* Sets the search pattern (text, or hex when @hex) as the search entry does. */
void        sb_history_view_search        (SbHistoryView *self,
                                           const char    *pattern,
                                           gboolean       hex);
/* "3 of 12 matches" as shown, or "" without a search. Borrowed. */
const char *sb_history_view_get_match_text (SbHistoryView *self);
/* The serial of the first selected row, or -1. */
gint64      sb_history_view_get_selected_serial (SbHistoryView *self);
/* Selects the row of record @serial alone and scrolls it into view (the view
 * stops following the newest). FALSE when that row is not shown (dropped,
 * filtered out, or after a pause). */
gboolean    sb_history_view_select_serial (SbHistoryView *self,
                                           guint64        serial);

G_END_DECLS
