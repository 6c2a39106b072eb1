/* sb-history-view-private.h — what the files of SbHistoryView share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-follow.h"
#include "sb-history-view.h"
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
  GtkLabel           *match_label;
  GtkScrolledWindow  *scroller;
  GtkColumnView      *column_view;
  GtkWidget          *jump_button;

  /* Owned */
  SbHistory          *history;
  GtkFilterListModel *filter_model;
  GtkSliceListModel  *slice_model;
  GtkMultiSelection  *selection;
  GtkCustomFilter    *filter;
  SbSearch           *search;             /* NULL without a history */
  SbFollow           *follow;
  GHashTable         *bound_data_cells;   /* GtkListItem* set: rows on screen */
  char               *match_text;
  guint64             current_match;      /* serial of the current match */

  guint               render_generation;  /* changes with encoding, mode, history */
  const char         *encoding;           /* static, canonical */
  SbViewMode          view_mode;
  gint64              selected_serial;    /* first selected row, or -1 */
  guint               paused : 1;
  guint               has_current : 1;
  guint               updating_mode : 1;
};

/* sb-history-view-columns.c */
void     _sb_history_view_add_columns         (SbHistoryView *self);
/* Re-renders the rows on screen from their recorded bytes. */
void     _sb_history_view_refresh_visible     (SbHistoryView *self);

/* sb-history-view-search.c */
void     _sb_history_view_search_class_init   (GtkWidgetClass *widget_class);
void     _sb_history_view_search_init         (SbHistoryView *self);
gboolean _sb_history_view_filter_func         (gpointer       item,
                                               gpointer       user_data);
void     _sb_history_view_restart_search      (SbHistoryView *self);
void     _sb_history_view_update_matches_label (SbHistoryView *self);
/* Position of @serial in the shown model (items are in serial order). */
gboolean _sb_history_view_position_for_serial (SbHistoryView *self,
                                               guint64        serial,
                                               guint         *position);
void     _sb_history_view_scroll_to           (SbHistoryView *self,
                                               guint          position);

G_END_DECLS
