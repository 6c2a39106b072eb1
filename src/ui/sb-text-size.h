/* sb-text-size.h — a text size for the history, the send box and the teaching views
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SB_TEXT_SIZE_DEFAULT 100
#define SB_TEXT_SIZE_MIN 70
#define SB_TEXT_SIZE_MAX 300

/* Adds app.text-larger, app.text-smaller and app.text-reset (Ctrl+plus,
 * Ctrl+minus, Ctrl+0) to @app; they step the "text-size" key of @settings
 * (a percentage), which scales the data text of every window: the history,
 * the send box and the teaching views, as a projector needs. */
void  sb_text_size_install   (GtkApplication *app,
                              GSettings      *settings);
/* The size after @size one step larger (@direction > 0), smaller (< 0), or
 * the default (0), within the bounds. */
int   sb_text_size_step      (int             size,
                              int             direction);
/* The style sheet for @size. Newly allocated. */
char *sb_text_size_to_css    (int             size);

G_END_DECLS
