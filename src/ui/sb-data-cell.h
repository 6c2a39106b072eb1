/* sb-data-cell.h — the Data cell of a history row: text, hex or both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-frames.h"
#include "sb-history.h"
#include "sb-view-mode.h"

G_BEGIN_DECLS

/* A cell shows at most this much; the rest is in the record (copy, export). */
#define SB_DATA_CELL_MAX_CHARS 1000
#define SB_DATA_CELL_MAX_HEX_BYTES 400

#define SB_TYPE_DATA_CELL (sb_data_cell_get_type ())
G_DECLARE_FINAL_TYPE (SbDataCell, sb_data_cell, SB, DATA_CELL, GtkWidget)

GtkWidget *sb_data_cell_new  (void);
/* Shows @record decoded in @encoding (static, canonical) as @mode says.
 * @generation names how the view renders (it changes with the encoding, the
 * mode or the history): a cell that shows the same record in the same
 * generation already is left alone, as GTK 4.8 binds rows again whenever
 * their position changes. */
void       sb_data_cell_show (SbDataCell    *self,
                              SbHistoryItem *record,
                              const char    *encoding,
                              SbViewMode     mode,
                              guint          generation);
/* Whether the cell shows frame @frame (same number, length and status) in
 * @generation already: sb_data_cell_show_frame() would change nothing. */
gboolean   sb_data_cell_shows_frame (SbDataCell  *self,
                                     SbFrameItem *frame,
                                     guint        generation);
/* Shows frame @frame's raw bytes decoded in @encoding as @mode says, with
 * @note (nullable: the reads that made it, its check, a decoded line) on a
 * line of its own under the data. */
void       sb_data_cell_show_frame  (SbDataCell  *self,
                                     SbFrameItem *frame,
                                     const char  *encoding,
                                     SbViewMode   mode,
                                     guint        generation,
                                     const char  *note);
/* TRUE when the cell shows a record whose last bytes begin a character
 * the next read of its stream may complete (drawn as pending, not as
 * invalid): the view shows it again when that read arrives. */
gboolean   sb_data_cell_get_live    (SbDataCell  *self);
/* The serial of the record shown (frames: of its first read). */
guint64    sb_data_cell_get_serial  (SbDataCell  *self);
/* Forgets what it shows, so the next show renders again. */
void       sb_data_cell_invalidate  (SbDataCell  *self);
/* Shows nothing and lets go of the text's attributes (GTK 4.8's
 * GtkInscription never releases them itself). */
void       sb_data_cell_clear (SbDataCell   *self);

G_END_DECLS
