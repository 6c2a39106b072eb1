/* sb-scenario-run.c — sockbench --headless --scenario FILE: TAP and JUnit
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario-run"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>

#include "sb-scenario.h"
#include "sb-scenario-run.h"

/* The command line's options: one process, one scenario. */
static char *scenario_path;
static char *junit_path;
static char **allow_read;
static gint64 max_steps = -1;

typedef struct
{
  GMainLoop  *loop;
  SbScenario *scenario;
  guint       n;
} Run;

GOptionGroup *
sb_scenario_run_get_option_group (void)
{
  static GOptionEntry entries[] = {
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &scenario_path, N_("Run a Lua scenario and print its tests as TAP; the exit status is 0 only when every test passed"), N_("FILE") },
    { "junit", 0, 0, G_OPTION_ARG_FILENAME, &junit_path, N_("With --scenario: also write the results as JUnit XML"), N_("FILE") },
    { "allow-read", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &allow_read, N_("With --scenario: a file the script may read with readfile() (repeatable)"), N_("FILE") },
    { "max-steps", 0, 0, G_OPTION_ARG_INT64, &max_steps, N_("With --scenario: stop a script after N Lua instructions (default 200000000, 0 for no limit)"), N_("N") },
    { NULL }
  };
  GOptionGroup *group;

  group = g_option_group_new ("scenario", _("Scenario options:"), _("Show the scenario options"), NULL, NULL);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  g_option_group_add_entries (group, entries);
  return group;
}

gboolean
sb_scenario_run_requested (void)
{
  return scenario_path != NULL;
}

/* One line of YAML: a double-quoted scalar. */
static char *
yaml_quote (const char *text)
{
  GString *out = g_string_new ("\"");

  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* A test name on one TAP line: no line breaks, "#" escaped. */
static char *
tap_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '#')
        g_string_append (out, "\\#");
      else if ((guchar) *p < 0x20)
        g_string_append_c (out, ' ');
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
on_test_finished (SbScenario *scenario,
                  const char *name,
                  gboolean    passed,
                  const char *message,
                  guint       line,
                  Run        *run)
{
  g_autofree char *shown = tap_name (name);

  run->n++;
  if (passed)
    printf ("ok %u - %s\n", run->n, shown);
  else
    {
      g_autofree char *quoted = yaml_quote (message != NULL ? message : "");

      printf ("not ok %u - %s\n", run->n, shown);
      printf ("  ---\n  message: %s\n", quoted);
      if (line > 0)
        printf ("  line: %u\n", line);
      printf ("  file: %s\n  ...\n", sb_scenario_get_name (scenario));
    }
  fflush (stdout);
}

static void
on_log (SbScenario *scenario,
        const char *message,
        guint       line,
        Run        *run)
{
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    printf ("# %s\n", lines[i]);
  fflush (stdout);
}

static void
on_finished (SbScenario *scenario,
             const char *summary,
             Run        *run)
{
  g_main_loop_quit (run->loop);
}

static gboolean
on_signal (gpointer data)
{
  Run *run = data;

  sb_scenario_stop (run->scenario);
  return G_SOURCE_CONTINUE;
}

/* Text for XML 1.0: escaped, with the control characters it cannot hold
 * written as \xNN. */
static void
append_xml (GString    *out,
            const char *text)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autofree char *escaped = NULL;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
        g_string_append_printf (clean, "\\x%02x", c);
      else
        g_string_append_c (clean, (char) c);
    }
  escaped = g_markup_escape_text (clean->str, -1);
  g_string_append (out, escaped);
}

static gboolean
write_junit (SbScenario  *scenario,
             const char  *path,
             GDateTime   *started,
             gint64       elapsed_us,
             GError     **error)
{
  g_autoptr(GString) out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_autofree char *timestamp = g_date_time_format (started, "%Y-%m-%dT%H:%M:%S");
  const char *name = sb_scenario_get_name (scenario);
  guint n = sb_scenario_get_n_results (scenario);
  guint failed = sb_scenario_get_n_failed (scenario);
  double seconds = elapsed_us / 1e6;

  g_string_append_printf (out, "<testsuites name=\"sockbench\" tests=\"%u\" failures=\"%u\" errors=\"0\" time=\"%.3f\">\n",
                          n, failed, seconds);
  g_string_append (out, "  <testsuite id=\"0\" package=\"sockbench\" name=\"");
  append_xml (out, name);
  g_string_append_printf (out, "\" timestamp=\"%s\" hostname=\"", timestamp);
  append_xml (out, g_get_host_name ());
  g_string_append_printf (out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"0\" time=\"%.3f\">\n",
                          n, failed, seconds);
  g_string_append (out, "    <properties/>\n");

  for (guint i = 0; i < n; i++)
    {
      const SbScenarioResult *result = sb_scenario_get_result (scenario, i);

      g_string_append (out, "    <testcase name=\"");
      append_xml (out, result->name);
      g_string_append (out, "\" classname=\"");
      append_xml (out, name);
      g_string_append_printf (out, "\" time=\"%.3f\"", result->duration_us / 1e6);
      if (result->passed)
        {
          g_string_append (out, "/>\n");
          continue;
        }
      g_string_append (out, ">\n      <failure type=\"failure\" message=\"");
      append_xml (out, result->message);
      g_string_append (out, "\">");
      if (result->line > 0)
        {
          append_xml (out, name);
          g_string_append_printf (out, ":%u: ", result->line);
        }
      append_xml (out, result->message);
      g_string_append (out, "</failure>\n    </testcase>\n");
    }

  g_string_append (out, "    <system-out/>\n    <system-err/>\n  </testsuite>\n</testsuites>\n");
  return g_file_set_contents (path, out->str, out->len, error);
}

int
sb_scenario_run_main (void)
{
  g_autoptr(SbScenario) scenario = sb_scenario_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) started = g_date_time_new_now_local ();
  gint64 start = g_get_monotonic_time ();
  Run run = { 0 };
  guint sigint, sigterm;
  int status;

  printf ("TAP version 13\n");
  fflush (stdout);

  if (!sb_scenario_load_file (scenario, scenario_path, &error))
    {
      printf ("Bail out! %s\n", error->message);
      g_printerr ("sockbench: %s\n", error->message);
      return 2;
    }

  for (guint i = 0; allow_read != NULL && allow_read[i] != NULL; i++)
    sb_scenario_allow_file (scenario, allow_read[i]);
  sb_scenario_set_step_budget (scenario, max_steps < 0 ? SB_SCENARIO_DEFAULT_STEP_BUDGET : (guint64) max_steps);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.scenario = scenario;
  g_signal_connect (scenario, "test-finished", G_CALLBACK (on_test_finished), &run);
  g_signal_connect (scenario, "log", G_CALLBACK (on_log), &run);
  g_signal_connect (scenario, "finished", G_CALLBACK (on_finished), &run);
  sigint = g_unix_signal_add (SIGINT, on_signal, &run);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &run);

  if (!sb_scenario_run (scenario, &error))
    {
      printf ("Bail out! %s\n", error->message);
      g_printerr ("sockbench: %s\n", error->message);
      status = 2;
    }
  else
    {
      g_autofree char *summary = NULL;

      if (sb_scenario_get_state (scenario) != SB_SCENARIO_STATE_FINISHED)
        g_main_loop_run (run.loop);

      summary = sb_scenario_dup_summary (scenario);
      printf ("1..%u\n# %s\n", run.n, summary);
      fflush (stdout);
      status = sb_scenario_get_n_failed (scenario) == 0 && run.n > 0 ? 0 : 1;

      if (junit_path != NULL &&
          !write_junit (scenario, junit_path, started, g_get_monotonic_time () - start, &error))
        {
          g_printerr ("sockbench: %s\n", error->message);
          status = 2;
        }
    }

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_signal_handlers_disconnect_by_data (scenario, &run);
  g_main_loop_unref (run.loop);
  return status;
}
