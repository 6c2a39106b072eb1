/* sb-calls-view.h — a session's socket calls as lines of Python or C
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-trace.h"

G_BEGIN_DECLS

#define SB_TYPE_CALLS_VIEW (sb_calls_view_get_type ())
G_DECLARE_FINAL_TYPE (SbCallsView, sb_calls_view, SB, CALLS_VIEW, GtkWidget)

GtkWidget     *sb_calls_view_new                 (void);

/* Property "trace" (nullable). */
SbTrace       *sb_calls_view_get_trace           (SbCallsView   *self);
void           sb_calls_view_set_trace           (SbCallsView   *self,
                                                  SbTrace       *trace);
/* Property "syntax" (an SbTraceSyntax as guint): Python or C. */
SbTraceSyntax  sb_calls_view_get_syntax          (SbCallsView   *self);
void           sb_calls_view_set_syntax          (SbCallsView   *self,
                                                  SbTraceSyntax  syntax);
/* Property "selected-serial" (read-only, notifies): the history record the
 * selected call sent or received, or -1 (no selection, or another call). */
gint64         sb_calls_view_get_selected_serial (SbCallsView   *self);
/* Selects the call that moved history record @serial and scrolls to it;
 * FALSE (selection unchanged) when no call did. */
gboolean       sb_calls_view_select_serial       (SbCallsView   *self,
                                                  guint64        serial);
/* The selection model the list shows (of SbTraceCall). Borrowed. */
GListModel    *sb_calls_view_get_model           (SbCallsView   *self);

G_END_DECLS
