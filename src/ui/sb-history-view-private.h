/* sb-history-view-private.h — what the files of SbHistoryView share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-follow.h"
#include "sb-frames.h"
#include "sb-history-view.h"
#include "sb-ramp-model.h"
#include "sb-search.h"

G_BEGIN_DECLS

struct _SbHistoryView
{
  GtkWidget           parent_instance;

  /* Template widgets */
  GtkFlowBox         *toolbar;
  GtkDropDown        *encoding_dropdown;
  GtkToggleButton    *mode_text;
  GtkToggleButton    *mode_hex;
  GtkToggleButton    *mode_both;
  GtkToggleButton    *pause_button;
  GtkToggleButton    *search_button;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkCheckButton     *search_hex;
  GtkCheckButton     *filter_check;
  GtkCheckButton     *bad_check;
  GtkLabel           *match_label;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
  GtkWidget          *jump_button;
  GtkMenuButton      *copy_button;
  GtkMenuButton      *export_button;
  GMenuModel         *copy_menu;
  GMenuModel         *export_menu;
  GtkWidget          *peer_chip;
  GtkLabel           *peer_chip_label;

  /* Owned */
  SbHistory          *history;
  SbFrames           *frames;             /* nullable; shown when its framer is not none */
  GtkFilterListModel *filter_model;
  SbRampModel        *ramp_model;         /* the first rows a few a frame */
  GtkSliceListModel  *slice_model;
  GtkMultiSelection  *selection;
  GtkCustomFilter    *filter;
  GtkColumnViewColumn *check_column;      /* shown for frames with a check */
  SbSearch           *search;             /* NULL without a history */
  SbFollow           *follow;
  GHashTable         *bound_data_cells;   /* GtkListItem* set: rows on screen */
  char               *match_text;
  guint64             current_match;      /* serial of the current match */

  guint               render_generation;  /* changes with encoding, mode, history */
  const char         *encoding;           /* static, canonical */
  SbViewMode          view_mode;
  gint64              selected_serial;    /* first read of the first selected row, or -1 */
  gint64              peer_filter;        /* peer id shown alone, or -1 */
  char               *peer_filter_label;
  guint               paused : 1;
  guint               has_current : 1;
  guint               updating_mode : 1;
  guint               frames_mode : 1;    /* the rows are SbFrameItems */
  guint               decode_modbus : 1;
};

/* sb-history-view.c */
/* The serial of the row's record, or of the first read of its frame. */
guint64  _sb_history_view_item_serial         (gpointer       item);
guint    _sb_history_view_item_peer           (gpointer       item);

/* Modbus/TCP when the frames have a 2-byte length field at offset 4, RTU
 * when they are checked with CRC-16/MODBUS; FALSE otherwise. */
gboolean _sb_history_view_modbus_framing      (SbHistoryView *self,
                                               int           *framing);
/* Whether the frames are checked (a check spec is set). */
gboolean _sb_history_view_has_check           (SbHistoryView *self);

/* sb-history-view-columns.c */
void     _sb_history_view_add_columns         (SbHistoryView *self);
/* Re-renders the rows on screen from their recorded bytes. */
void     _sb_history_view_refresh_visible     (SbHistoryView *self);
/* Renders again the rows on screen whose last character may have been
 * completed by a new read. */
void     _sb_history_view_refresh_live        (SbHistoryView *self);

/* sb-history-view-search.c */
void     _sb_history_view_search_class_init   (GtkWidgetClass *widget_class);
void     _sb_history_view_search_init         (SbHistoryView *self);
gboolean _sb_history_view_filter_func         (gpointer       item,
                                               gpointer       user_data);
void     _sb_history_view_restart_search      (SbHistoryView *self);
/* Sets or removes the filter as the search and the peer filter need. */
void     _sb_history_view_update_filter       (SbHistoryView *self);
void     _sb_history_view_update_matches_label (SbHistoryView *self);
/* Position of @serial in the shown model (items are in serial order). */
gboolean _sb_history_view_position_for_serial (SbHistoryView *self,
                                               guint64        serial,
                                               guint         *position);
void     _sb_history_view_scroll_to           (SbHistoryView *self,
                                               guint          position);

G_END_DECLS
