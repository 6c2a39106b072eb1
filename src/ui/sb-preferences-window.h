/* sb-preferences-window.h — the settings of new sessions and of the look
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SB_TYPE_PREFERENCES_WINDOW (sb_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (SbPreferencesWindow, sb_preferences_window, SB, PREFERENCES_WINDOW, GtkWindow)

/* Returns a window whose controls are bound to @settings. */
SbPreferencesWindow *sb_preferences_window_new (GSettings *settings);

G_END_DECLS
