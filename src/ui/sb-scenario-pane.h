/* sb-scenario-pane.h — the session page's Scenario pane: a Lua script, Run / Step / Stop, results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-scenario.h"
#include "sb-session-setup.h"

G_BEGIN_DECLS

/*
 * The editor holds the setup's "scenario" text (so presets keep it); a run
 * loads it into its SbScenario with the page's session as the current
 * connection and the setup's framing. Actions on the pane: scenario.run,
 * scenario.step, scenario.continue, scenario.stop, scenario.open-example
 * (a file name of the shipped examples), scenario.export-python.
 *
 * Window thread only.
 */

#define SB_TYPE_SCENARIO_PANE (sb_scenario_pane_get_type ())
G_DECLARE_FINAL_TYPE (SbScenarioPane, sb_scenario_pane, SB, SCENARIO_PANE, GtkWidget)

/* Properties "setup" and "session" (both nullable). */
void           sb_scenario_pane_set_setup      (SbScenarioPane *self,
                                                SbSessionSetup *setup);
void           sb_scenario_pane_set_session    (SbScenarioPane *self,
                                                SbSession      *session);
/* Borrowed: the pane's scenario, and its editor. */
SbScenario    *sb_scenario_pane_get_scenario   (SbScenarioPane *self);
GtkTextBuffer *sb_scenario_pane_get_buffer     (SbScenarioPane *self);
/* The summary line as shown (the last run's, or why it could not run). */
const char    *sb_scenario_pane_get_summary    (SbScenarioPane *self);
/* The result rows as shown ("✔ name", "✘ name — message, line N"), newly
 * allocated. */
GStrv          sb_scenario_pane_dup_result_texts (SbScenarioPane *self);
/* Puts the cursor on line @line (1-based) and scrolls to it. */
void           sb_scenario_pane_go_to_line     (SbScenarioPane *self,
                                                guint           line);
/* The names of the shipped examples (file names), newly allocated. */
GStrv          sb_scenario_pane_list_examples  (void);

G_END_DECLS
