/* sb-ramp-model.h — a list model that lets a list's first rows in a few a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Passes @source through, except when a list that has fewer rows than GTK
 * 4.8 keeps (about 200, whatever its height) is appended many at once: then
 * the new items are let in SB_RAMP_MODEL_STEP a frame of @widget's frame
 * clock until the list has that many rows, and the rest at once. GTK 4.8
 * makes a widget per row it keeps; a flood into an empty history view made
 * 200 of them (a thousand widgets with their cells) in one frame, the
 * longest the window ever stalled. The rows are made all the same, one frame
 * apart, in the order they come; nothing is held back longer than the
 * frames that takes (10 at most), and not at all while @widget is not
 * mapped. Any change other than an append lets in everything at once.
 *
 * Window thread only.
 */
#define SB_RAMP_MODEL_STEP 20

#define SB_TYPE_RAMP_MODEL (sb_ramp_model_get_type ())
G_DECLARE_FINAL_TYPE (SbRampModel, sb_ramp_model, SB, RAMP_MODEL, GObject)

/* @widget: the list whose frames pace the ramp (not referenced). */
SbRampModel *sb_ramp_model_new         (GListModel  *source,
                                        GtkWidget   *widget);
/* TRUE while items of the source are not let in yet. */
gboolean     sb_ramp_model_is_ramping  (SbRampModel *self);

G_END_DECLS
