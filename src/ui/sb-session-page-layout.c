/* sb-session-page-layout.c — room on a small screen: the teaching views in
 * a window of their own, the address fields and the send area folded away
 *
 * At 800×600 the history, the teaching views and the send area do not all
 * fit: the teaching views can leave the page for a window of their own (a
 * second screen, a projector) and come back when it is closed; the address
 * fields and the send area fold away with the two toggles of the status
 * row (bound in the template).
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-session-page-private.h"

static void
update_window_title (SbSessionPage *self)
{
  GtkWindow *window = (GtkWindow *) _sb_session_page_get_teaching_window (self);
  g_autofree char *title = NULL;

  if (window == NULL)
    return;
  /* Translators: the title of the detached teaching views, %s the tab title */
  title = g_strdup_printf (_("Teaching views — %s"), self->title ? self->title : "");
  gtk_window_set_title (window, title);
}

/* The panel moves itself between the page and a window of its own; the
 * page names that window and gives the send area its room back. */
static void
detached_cb (SbSessionPage *self)
{
  update_window_title (self);
  _sb_session_page_reposition_send_area (self);
}

/* The views are made the first time they are asked for, not with the page:
 * most pages never show them, and a new window opens faster without. */
SbTeachingPanel *
_sb_session_page_ensure_teaching_panel (SbSessionPage *self)
{
  SbTeachingPanel *panel;

  if (self->teaching_panel != NULL)
    return self->teaching_panel;

  panel = self->teaching_panel = SB_TEACHING_PANEL (g_object_ref_sink (sb_teaching_panel_new ()));
  /* Hidden first, so that showing it notifies as the template's did. */
  gtk_widget_set_visible (GTK_WIDGET (panel), FALSE);
  sb_teaching_panel_set_history_view (panel, self->history_view);
  sb_teaching_panel_set_session (panel, self->session);
  sb_teaching_panel_set_frames (panel, self->frames);
  g_signal_connect_object (panel, "notify::detached", G_CALLBACK (detached_cb), self, G_CONNECT_SWAPPED);
  gtk_paned_set_end_child (self->teaching_paned, GTK_WIDGET (panel));
  g_object_bind_property (self->teaching_button, "active", panel, "visible", G_BINDING_SYNC_CREATE);

  return panel;
}

static void
teaching_toggled_cb (SbSessionPage *self)
{
  if (gtk_toggle_button_get_active (self->teaching_button))
    _sb_session_page_ensure_teaching_panel (self);
  /* Hiding the views closes their window (they come back to the page). */
  else if (self->teaching_panel != NULL)
    sb_teaching_panel_set_detached (self->teaching_panel, FALSE);
}

GtkWidget *
_sb_session_page_get_teaching_window (SbSessionPage *self)
{
  if (self->teaching_panel == NULL)
    return NULL;

  return (GtkWidget *) sb_teaching_panel_get_window (self->teaching_panel);
}

void
_sb_session_page_init_layout (SbSessionPage *self)
{
  g_signal_connect_swapped (self->teaching_button, "toggled", G_CALLBACK (teaching_toggled_cb), self);
  g_signal_connect_swapped (self, "notify::title", G_CALLBACK (update_window_title), self);
}

/* --- The send area's share of the height --- */

void
_sb_session_page_main_paned_max_position_cb (SbSessionPage *self)
{
  GtkWidget *scroller = gtk_paned_get_end_child (self->main_paned);
  int width = gtk_widget_get_width (GTK_WIDGET (self->main_paned));
  int min = 0, max = 0, scroller_min = 0, panel_min = 0;

  g_object_get (self->main_paned, "min-position", &min, "max-position", &max, NULL);

  /* The send panel scrolls, so GtkPaned would give it no more than a
   * scroller's minimum: give it all it needs, once, as far as the
   * history's minimum allows. Below that it scrolls. */
  if (self->main_positioned || max <= 0 || width <= 0)
    return;
  self->main_positioned = TRUE;
  gtk_widget_measure (scroller, GTK_ORIENTATION_VERTICAL, width, &scroller_min, NULL, NULL, NULL);
  /* The send panel, or a relay's panel in its place. */
  gtk_widget_measure (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)), GTK_ORIENTATION_VERTICAL,
                      width, &panel_min, NULL, NULL, NULL);
  gtk_paned_set_position (self->main_paned, CLAMP (max + scroller_min - panel_min, min, max));
}

static gboolean
reposition_idle_cb (gpointer user_data)
{
  SbSessionPage *self = user_data;

  self->reposition_source = 0;
  _sb_session_page_main_paned_max_position_cb (self);
  return G_SOURCE_REMOVE;
}

void
_sb_session_page_reposition_send_area (SbSessionPage *self)
{
  /* Once the new layout is measured. */
  self->main_positioned = FALSE;
  if (self->reposition_source == 0)
    self->reposition_source = g_idle_add (reposition_idle_cb, self);
}
