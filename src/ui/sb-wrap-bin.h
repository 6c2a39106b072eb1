/* sb-wrap-bin.h — holds a wrapping label that changes often, measured cheaply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * A container of one child (set with <child> in a .ui file) that is
 * measured height-for-width only: asked how wide it must be for a given
 * height, it answers as for any height. GTK 4.8's GtkLabel answers that
 * question for a wrapping text by trying widths one after another, laying
 * the whole text out each time; the page's counters line changes with
 * every announcement of a flood and was laid out ~130 times per change.
 * Held in this bin, a change costs a layout per width it is measured for.
 *
 * Window thread only.
 */
#define SB_TYPE_WRAP_BIN (sb_wrap_bin_get_type ())
G_DECLARE_FINAL_TYPE (SbWrapBin, sb_wrap_bin, SB, WRAP_BIN, GtkWidget)

G_END_DECLS
