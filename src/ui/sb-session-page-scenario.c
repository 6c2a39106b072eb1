/* sb-session-page-scenario.c — the Scenario pane on the page
 *
 * The pane sits below the history (and the teaching views), the full
 * width of the page, so it fits at 800×600 beside the peers; the
 * "Scenario" toggle of the status row shows it. It edits the setup's
 * "scenario" (presets keep it) and runs on the page's session.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include "sb-session-page-private.h"

static void
scenario_visible_cb (SbSessionPage *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->scenario_paned));

  /* The script sends: the send area folds away while the pane shows (its
   * toggle brings it back), and returns with the pane gone if the pane
   * folded it. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->scenario_pane)))
    {
      if (!gtk_toggle_button_get_active (self->send_toggle))
        {
          self->scenario_folded_send = TRUE;
          gtk_toggle_button_set_active (self->send_toggle, TRUE);
        }
      /* Most of the room for the script and its results, at first; the
       * history keeps a few lines. */
      if (height > 0)
        gtk_paned_set_position (self->scenario_paned, height * 2 / 5);
      gtk_widget_grab_focus (GTK_WIDGET (self->scenario_pane));
    }
  else if (self->scenario_folded_send)
    {
      self->scenario_folded_send = FALSE;
      gtk_toggle_button_set_active (self->send_toggle, FALSE);
    }
  _sb_session_page_reposition_send_area (self);
}

void
_sb_session_page_init_scenario (SbSessionPage *self)
{
  sb_scenario_pane_set_setup (self->scenario_pane, self->setup);
  g_signal_connect_object (self->scenario_pane, "notify::visible", G_CALLBACK (scenario_visible_cb), self, G_CONNECT_SWAPPED);
}
