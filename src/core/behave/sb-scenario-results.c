/* sb-scenario-results.c — what a scenario run found: results and summary
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-scenario-private.h"

guint
sb_scenario_get_n_passed (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), 0);
  return self->n_passed;
}

guint
sb_scenario_get_n_failed (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), 0);
  return self->n_failed;
}

guint
sb_scenario_get_n_results (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), 0);
  return self->results->len;
}

const SbScenarioResult *
sb_scenario_get_result (SbScenario *self,
                        guint       index)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), NULL);
  g_return_val_if_fail (index < self->results->len, NULL);
  return g_ptr_array_index (self->results, index);
}

GPtrArray *
sb_scenario_get_sessions (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), NULL);
  return self->sessions;
}

char *
sb_scenario_dup_summary (SbScenario *self)
{
  const SbScenarioResult *first = NULL;

  g_return_val_if_fail (SB_IS_SCENARIO (self), NULL);

  for (guint i = 0; i < self->results->len && first == NULL; i++)
    {
      const SbScenarioResult *result = g_ptr_array_index (self->results, i);

      if (!result->passed)
        first = result;
    }

  if (first == NULL)
    return g_strdup_printf (_("%u passed"), self->n_passed);
  if (first->line > 0)
    return g_strdup_printf (_("%u passed, %u failed: %s at line %u"),
                            self->n_passed, self->n_failed, first->message, first->line);
  return g_strdup_printf (_("%u passed, %u failed: %s"),
                          self->n_passed, self->n_failed, first->message);
}
