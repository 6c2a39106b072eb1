/* sb-teaching-panel.h — the teaching views of a session page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-byte-inspector.h"
#include "sb-calls-view.h"
#include "sb-history-view.h"
#include "sb-sequence-view.h"
#include "sb-session.h"
#include "sb-tcp-state-view.h"

G_BEGIN_DECLS

#define SB_TYPE_TEACHING_PANEL (sb_teaching_panel_get_type ())
G_DECLARE_FINAL_TYPE (SbTeachingPanel, sb_teaching_panel, SB, TEACHING_PANEL, GtkWidget)

/*
 * Calls, Sequence, Bytes and TCP in a stack. The views share one selection
 * with the page's history view: selecting a row in any of them selects the
 * same record in the others.
 *
 * Properties: "session" (nullable), "history-view" (the page's; weak),
 * "visible-view" ("calls", "sequence", "bytes" or "tcp").
 */
GtkWidget        *sb_teaching_panel_new                (void);
SbSession        *sb_teaching_panel_get_session        (SbTeachingPanel *self);
void              sb_teaching_panel_set_session        (SbTeachingPanel *self,
                                                        SbSession       *session);
void              sb_teaching_panel_set_history_view   (SbTeachingPanel *self,
                                                        SbHistoryView   *history_view);
const char       *sb_teaching_panel_get_visible_view   (SbTeachingPanel *self);
void              sb_teaching_panel_set_visible_view   (SbTeachingPanel *self,
                                                        const char      *name);

/* The frames over the session's history (nullable): the byte inspector
 * draws their boundaries and explains each split, the sequence diagram
 * shows messages above the reads, the Calls view the recv() calls that
 * built a frame. The page sets it when the framing changes. */
SbFrames         *sb_teaching_panel_get_frames         (SbTeachingPanel *self);
void              sb_teaching_panel_set_frames         (SbTeachingPanel *self,
                                                        SbFrames        *frames);

/* Property "detached" (action "teaching.detached", a toggle button in the
 * panel): the panel in its own window, for a small screen, a projector or a
 * lesson side by side. Detaching a panel that is a child of a GtkPaned
 * takes it out and puts it back there when attached again (or when its
 * window is closed); under any other parent only the property changes, and
 * the page moves the panel itself. */
gboolean          sb_teaching_panel_get_detached       (SbTeachingPanel *self);
void              sb_teaching_panel_set_detached       (SbTeachingPanel *self,
                                                        gboolean         detached);
/* Its own window while detached, else NULL. Borrowed. */
GtkWindow        *sb_teaching_panel_get_window         (SbTeachingPanel *self);

/* The views inside. Borrowed. */
SbCallsView      *sb_teaching_panel_get_calls_view     (SbTeachingPanel *self);
SbSequenceView   *sb_teaching_panel_get_sequence_view  (SbTeachingPanel *self);
SbByteInspector  *sb_teaching_panel_get_byte_inspector (SbTeachingPanel *self);
SbTcpStateView   *sb_teaching_panel_get_tcp_state_view (SbTeachingPanel *self);

G_END_DECLS
