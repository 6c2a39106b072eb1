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

/* Made the first time it is shown, not with the page: its editor, buttons
 * and menus cost start-up time that most pages never use. The setup keeps
 * the script until then. */
SbScenarioPane *
_sb_session_page_ensure_scenario_pane (SbSessionPage *self)
{
  SbScenarioPane *pane;

  if (self->scenario_pane != NULL)
    return self->scenario_pane;

  pane = self->scenario_pane = g_object_ref_sink (g_object_new (SB_TYPE_SCENARIO_PANE, NULL));
  gtk_widget_set_visible (GTK_WIDGET (pane), FALSE);
  sb_scenario_pane_set_setup (pane, self->setup);
  sb_scenario_pane_set_session (pane, self->session);
  gtk_paned_set_end_child (self->scenario_paned, GTK_WIDGET (pane));
  /* Shown through the binding, so the page folds its send area as for
   * any later showing. */
  g_signal_connect_object (pane, "notify::visible", G_CALLBACK (scenario_visible_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->scenario_button, "active", pane, "visible", G_BINDING_SYNC_CREATE);

  return pane;
}

static void
scenario_toggled_cb (SbSessionPage *self)
{
  if (gtk_toggle_button_get_active (self->scenario_button))
    _sb_session_page_ensure_scenario_pane (self);
}

void
_sb_session_page_init_scenario (SbSessionPage *self)
{
  g_signal_connect_swapped (self->scenario_button, "toggled", G_CALLBACK (scenario_toggled_cb), self);
}
