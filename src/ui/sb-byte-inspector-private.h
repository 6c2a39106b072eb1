/* sb-byte-inspector-private.h — what the files of SbByteInspector share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-byte-inspector.h"
#include "sb-inspect.h"

G_BEGIN_DECLS

#define BYTES_PER_LINE 16
#define NARROW_BYTES_PER_LINE 8

/* SbByteGrid: the drawn grid of bytes and the characters they make in two
 * encodings (sb-byte-inspector-grid.c). Signal "selection-changed". */
#define SB_TYPE_BYTE_GRID (sb_byte_grid_get_type ())
G_DECLARE_FINAL_TYPE (SbByteGrid, sb_byte_grid, SB, BYTE_GRID, GtkWidget)

typedef enum
{
  ROW_HEX,
  ROW_FIRST,
  ROW_SECOND,
} GridRow;

struct _SbByteGrid
{
  GtkWidget      parent_instance;

  GBytes        *data;
  GArray        *units[2];     /* SbUnit, of encodings[0] and [1] */
  const char    *encodings[2];
  GskRenderNode *cache;
  guint          sel_start;
  guint          sel_end;      /* sel_start == sel_end: no selection */
  guint          anchor_start;
  guint          anchor_end;
  guint          carry_len;    /* first bytes: carried from earlier reads */
  guint          handed_on;    /* last bytes: their character is the next read's */
  GArray        *bounds;       /* guint offsets where a frame begins or ends */
  guint          bpl;          /* bytes a line: 16, or 8 when narrow */
  int            cw;           /* width of a monospace character */
  int            lh;           /* line height */
};

/* Shows @data as the grid's encodings[0] and [1] read it; clears the
 * selection. */
void sb_byte_grid_set_data      (SbByteGrid *self,
                                 GBytes     *data);
/* What the cell of @unit shows, as drawn with @layout (any layout of the
 * grid): controls as escapes, a combining mark on a dotted circle, and a
 * character that is invisible (a format character) or that no font here
 * can draw as its code point, never as an empty box. */
void sb_byte_grid_cell_text     (SbByteGrid   *self,
                                 PangoLayout  *layout,
                                 const SbUnit *unit,
                                 char         *out,
                                 gsize         size);
/* Selects bytes [@start, @end). */
void sb_byte_grid_set_selection (SbByteGrid *self,
                                 guint       start,
                                 guint       end);

G_END_DECLS
