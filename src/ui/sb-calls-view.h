/* sb-calls-view.h — a session's socket calls as lines of Python or C
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-frames.h"
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
/* The frames over the trace's history (nullable): selecting a call that
 * read part of a message marks every recv() call that built it ("▸" before
 * its number) and says how many there were. */
void           sb_calls_view_set_frames          (SbCallsView   *self,
                                                  SbFrames      *frames);
/* The calls that built the selected call's messages, as shown ("" when none). */
const char    *sb_calls_view_get_frame_text      (SbCallsView   *self);
/* Whether the call at @position built part of the selected call's message. */
gboolean       sb_calls_view_is_frame_call       (SbCallsView   *self,
                                                  guint          position);
/* The selection model the list shows (of SbTraceCall). Borrowed. */
GListModel    *sb_calls_view_get_model           (SbCallsView   *self);

G_END_DECLS
