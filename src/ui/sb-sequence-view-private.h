/* sb-sequence-view-private.h — what the files of SbSequenceView share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-follow.h"
#include "sb-frames.h"
#include "sb-sequence-view.h"

G_BEGIN_DECLS

#define HEADER_HEIGHT    40
#define GUTTER_WIDTH     84    /* times on the left, when there is room */
#define COLUMN_MIN_WIDTH 150
#define DEFAULT_ROW      34
#define LABEL_MIN_ROW    28    /* below this, arrows without words */
#define PREVIEW_CHARS    24
#define PREVIEW_BYTES    96    /* decoded for a preview, at most */

struct _SbSequenceView
{
  GtkWidget            parent_instance;

  /* Owned */
  SbHistory           *history;
  GtkAdjustment       *hadjustment;
  GtkAdjustment       *vadjustment;
  char                *local_label;

  const char          *encoding;       /* static, canonical */
  SbKind               kind;
  GtkScrollablePolicy  hscroll_policy;
  GtkScrollablePolicy  vscroll_policy;
  guint                n_columns;      /* this side + highest peer id, at least 2 (relays: + the server) */
  guint                max_peer;       /* the highest peer id seen, 0 for none */
  int                  row_height;
  gint64               selected_serial;
  gint64               pending_scroll;  /* serial to show once laid out, or -1 */
  SbFollow            *follow;
  SbFrames            *frames;         /* nullable: messages above the reads */
  guint                show_gutter : 1;
};

/* --- Geometry --- */

static inline guint
n_rows (SbSequenceView *self)
{
  return self->history ? g_list_model_get_n_items (G_LIST_MODEL (self->history)) : 0;
}

static inline double
gutter_width (SbSequenceView *self)
{
  return self->show_gutter ? GUTTER_WIDTH : 8;
}

static inline double
column_width (SbSequenceView *self)
{
  double room = gtk_widget_get_width (GTK_WIDGET (self)) - gutter_width (self) - 8;

  return MAX (COLUMN_MIN_WIDTH, room / self->n_columns);
}

/* A relay has three lanes: its clients (peer ids) on the left, Sockbench
 * (column 0) in the middle, the server (the last column) on the right. */
static inline guint
server_column (SbSequenceView *self)
{
  return self->n_columns - 1;
}

static inline guint
column_slot (SbSequenceView *self,
             guint           column)
{
  if (!sb_kind_is_relay (self->kind))
    return column;
  if (column == 0)
    return self->n_columns - 2;
  return column == server_column (self) ? column : column - 1;
}

/* Canvas x of the lifeline of @column (before horizontal scrolling). */
static inline double
column_x (SbSequenceView *self,
          guint          column)
{
  return gutter_width (self) + column_width (self) * (column_slot (self, column) + 0.5);
}

static inline double
vvalue (SbSequenceView *self)
{
  return self->vadjustment ? gtk_adjustment_get_value (self->vadjustment) : 0;
}

static inline double
hvalue (SbSequenceView *self)
{
  return self->hadjustment ? gtk_adjustment_get_value (self->hadjustment) : 0;
}

/* sb-sequence-view-draw.c */
void _sb_sequence_view_snapshot (GtkWidget   *widget,
                                 GtkSnapshot *snapshot);

G_END_DECLS
