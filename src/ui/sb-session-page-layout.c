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
  g_autofree char *title = NULL;

  if (self->teaching_window == NULL)
    return;
  /* Translators: the title of the detached teaching views, %s the tab title */
  title = g_strdup_printf (_("Teaching views — %s"), self->title ? self->title : "");
  gtk_window_set_title (GTK_WINDOW (self->teaching_window), title);
}

static void
attach (SbSessionPage *self)
{
  GtkWidget *panel = GTK_WIDGET (self->teaching_panel);
  GtkWidget *window = g_steal_pointer (&self->teaching_window);

  if (window == NULL)
    return;
  g_object_ref (panel);
  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_paned_set_end_child (self->teaching_paned, panel);
  g_object_unref (panel);
  g_signal_handlers_disconnect_by_data (window, self);
  gtk_window_destroy (GTK_WINDOW (window));
  _sb_session_page_reposition_send_area (self);
}

static gboolean
close_request_cb (SbSessionPage *self)
{
  /* Closing the window puts the views back in the page. */
  gtk_toggle_button_set_active (self->detach_button, FALSE);
  return TRUE;
}

static void
detach (SbSessionPage *self)
{
  GtkWidget *panel = GTK_WIDGET (self->teaching_panel);
  GtkWidget *window;

  if (self->teaching_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->teaching_window));
      return;
    }
  /* GTK 4.8's GtkPaned warns when the child that last held the focus
   * leaves it while the focus is elsewhere: drop the focus chain first
   * (the new window takes the focus anyway). */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 520);
  gtk_window_set_hide_on_close (GTK_WINDOW (window), FALSE);
  g_object_ref (panel);
  gtk_paned_set_end_child (self->teaching_paned, NULL);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  g_object_unref (panel);
  g_signal_connect_object (window, "close-request", G_CALLBACK (close_request_cb), self, G_CONNECT_SWAPPED);
  self->teaching_window = window;
  update_window_title (self);
  gtk_window_present (GTK_WINDOW (window));
  _sb_session_page_reposition_send_area (self);
}

static void
detach_toggled_cb (SbSessionPage *self)
{
  if (gtk_toggle_button_get_active (self->detach_button) &&
      gtk_toggle_button_get_active (self->teaching_button))
    detach (self);
  else
    attach (self);
}

static void
teaching_toggled_cb (SbSessionPage *self)
{
  /* Hiding the views closes their window; showing them again opens it. */
  detach_toggled_cb (self);
}

GtkWidget *
_sb_session_page_get_teaching_window (SbSessionPage *self)
{
  return self->teaching_window;
}

void
_sb_session_page_init_layout (SbSessionPage *self)
{
  g_signal_connect_swapped (self->detach_button, "toggled", G_CALLBACK (detach_toggled_cb), self);
  g_signal_connect_swapped (self->teaching_button, "toggled", G_CALLBACK (teaching_toggled_cb), self);
  g_signal_connect_swapped (self, "notify::title", G_CALLBACK (update_window_title), self);
}

void
_sb_session_page_dispose_layout (SbSessionPage *self)
{
  GtkWidget *window = g_steal_pointer (&self->teaching_window);

  /* The window goes with the page; the panel in it is still the page's
   * template child, released by gtk_widget_dispose_template(). */
  if (window != NULL)
    {
      g_signal_handlers_disconnect_by_data (window, self);
      gtk_window_destroy (GTK_WINDOW (window));
    }
}
