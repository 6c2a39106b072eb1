/* sb-style.h — the one stylesheet, loaded once per display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Adds style.css from the resource bundle to @display at application
 * priority; a second call for the same display does nothing. */
void sb_style_load_for_display (GdkDisplay *display);

G_END_DECLS
