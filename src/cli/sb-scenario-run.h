/* sb-scenario-run.h — sockbench --headless --scenario FILE: TAP and JUnit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The options --scenario FILE, --junit FILE, --allow-read FILE (repeatable)
 * and --max-steps N, for the headless command line. Returns a new group. */
GOptionGroup *sb_scenario_run_get_option_group (void);
/* TRUE when the parsed command line asked for a scenario. */
gboolean      sb_scenario_run_requested        (void);
/* Runs the scenario given with --scenario: prints TAP version 13 on
 * standard output, writes --junit. Returns the exit status: 0 when every
 * test passed, 1 when one failed, 2 when the script could not run. */
int           sb_scenario_run_main             (void);

G_END_DECLS
