/* sb-window-private.h — what the parts of the window share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-window.h"

G_BEGIN_DECLS

/* Window thread only. */
struct _SbWindow
{
  GtkApplicationWindow parent_instance;

  /* Template widgets */
  GtkMenuButton *menu_button;
  GMenuModel   *primary_menu;
  GtkRevealer  *banner_revealer;
  GtkLabel     *banner_label;
  GtkStack     *stack;
  GtkNotebook  *notebook;
  GtkWidget    *empty_new_button;
  GtkImage     *empty_icon;

  /* Owned */
  GSettings    *settings;        /* construct-only; NULL: nothing is remembered */
  char         *presets_dir;     /* construct-only */
  GCancellable *cancellable;     /* preset I/O; cancelled when the window goes */

  /* Borrowed */
  GtkWidget    *confirm_dialog;   /* "Stop the session and close?", while shown */

  /* State */
  gboolean      close_confirmed;  /* the user said Close: do not ask again */
};

/* sb-window.c: closes @page's tab, after asking if its session is running. */
void _sb_window_request_close_page (SbWindow       *self,
                                    SbSessionPage  *page);

/* sb-window-actions.c */
void _sb_window_class_init_actions (GtkWidgetClass *widget_class);
/* sb-window-capture.c: win.import-capture (a chooser), win.import-capture-file (s) */
void _sb_window_class_init_capture (GtkWidgetClass *widget_class);

G_END_DECLS
