/* sb-relay-panel.h — a relay page's faults and intercept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-session.h"
#include "sb-session-setup.h"

G_BEGIN_DECLS

/*
 * Faults per direction, applied to the session as they are changed (and to
 * a new session of the page when it starts), and intercept: the first read
 * held by the relay shows as text or hex, to forward (edited or not) or
 * drop. The panel reads the session's history and peers and calls only
 * sb_session_relay_*(). Signal "layout-changed": the panel's height
 * changed (a held read shown or gone, the faults shown or hidden).
 *
 * Window thread only.
 */

#define SB_TYPE_RELAY_PANEL (sb_relay_panel_get_type ())
G_DECLARE_FINAL_TYPE (SbRelayPanel, sb_relay_panel, SB, RELAY_PANEL, GtkWidget)

/* @session: a relay, or NULL (any other kind shows nothing). */
void        sb_relay_panel_set_session  (SbRelayPanel *self,
                                         SbSession    *session);
/* The page's setup: the panel shows its faults and rules ("relay") and
 * keeps them there as they change. */
void        sb_relay_panel_set_setup    (SbRelayPanel   *self,
                                         SbSessionSetup *setup);
/* The held bytes' text as the panel shows them ("" when none); for tests. */
const char *sb_relay_panel_get_held_text (SbRelayPanel *self);

G_END_DECLS
