/* bench-scenario — a Lua scenario's ping-pong round trips, in-process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-scenario --port=P [--seconds=2] [--size=64]
 *
 * Runs a scenario that connects to 127.0.0.1:P (a tcp-pingpong --serve)
 * and sends --size bytes, expects them back, and again, for --seconds:
 * send() and expect() through the engine, the coroutine resumed by the
 * main loop for every answer. Prints: round_trips, seconds,
 * round_trips_per_s, and the scenario's summary as a comment.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-core.h"
#include "sb-scenario.h"

static const char script[] =
  "local c = connect('tcp://127.0.0.1:%u')\n"
  "local message = string.rep('p', %u)\n"
  "local trips = 0\n"
  "local start = now()\n"
  "local stop = start + %f\n"
  "while now() < stop do\n"
  "  send(message)\n"
  "  local got = 0\n"
  "  while got < #message do\n"
  "    got = got + #assert(expect('', 5000))\n"
  "  end\n"
  "  trips = trips + 1\n"
  "end\n"
  "log(string.format('%%d %%.6f', trips, (now() - start) / 1000))\n"
  "close()\n";

static void
on_log (SbScenario *scenario,
        const char *message,
        guint       line,
        char      **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(SbScenario) scenario = sb_scenario_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *result = NULL;
  g_autofree char *summary = NULL;
  unsigned port = 0, size = 64;
  double seconds = 2;
  unsigned long long trips = 0;
  double elapsed = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_has_prefix (argv[i], "--port="))
        port = (unsigned) strtoul (argv[i] + 7, NULL, 10);
      else if (g_str_has_prefix (argv[i], "--seconds="))
        seconds = g_ascii_strtod (argv[i] + 10, NULL);
      else if (g_str_has_prefix (argv[i], "--size="))
        size = (unsigned) strtoul (argv[i] + 7, NULL, 10);
      else
        {
          g_printerr ("bench-scenario: unknown option %s\n", argv[i]);
          return 2;
        }
    }
  if (port == 0 || size == 0 || seconds <= 0)
    {
      g_printerr ("usage: bench-scenario --port=P [--seconds=S] [--size=N]\n");
      return 2;
    }

  text = g_strdup_printf (script, port, size, seconds * 1000);
  g_signal_connect (scenario, "log", G_CALLBACK (on_log), &result);
  if (!sb_scenario_load_text (scenario, text, "pingpong.lua", &error) ||
      !sb_scenario_run (scenario, &error))
    {
      g_printerr ("bench-scenario: %s\n", error->message);
      return 1;
    }
  while (sb_scenario_get_state (scenario) != SB_SCENARIO_STATE_FINISHED)
    g_main_context_iteration (NULL, TRUE);

  summary = sb_scenario_dup_summary (scenario);
  if (sb_scenario_get_n_failed (scenario) > 0 || result == NULL ||
      sscanf (result, "%llu %lf", &trips, &elapsed) != 2 || elapsed <= 0)
    {
      g_printerr ("bench-scenario: %s\n", summary);
      return 1;
    }
  printf ("round_trips %llu\nseconds %.3f\nround_trips_per_s %.0f\n# %s\n",
          trips, elapsed, trips / elapsed, summary);
  return 0;
}
