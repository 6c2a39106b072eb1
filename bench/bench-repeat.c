/* bench-repeat — sb_session_send from a 1 ms GLib timeout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-repeat --port=P [--interval-ms=1] [--seconds=5] [--size=100] [--steady]
 *
 * Connects an SbStreamClient to 127.0.0.1:P (a tcp-sink) and calls
 * sb_session_send() from g_timeout_add (interval), as a "repeat every N ms"
 * does, for --seconds. With --steady the callback sends every message due by
 * the clock (at most 10 at once), so the rate does not drift below 1/interval
 * when a tick comes late. Prints: sends, errors, seconds, sends_per_s, the
 * probe's lateness.
 */
#include "config.h"

#include "bench-core.h"

typedef struct
{
  SbSession *session;
  GBytes    *message;
  gint64     start;
  gint64     interval_us;
  guint64    sends;
  guint64    errors;
  gboolean   steady;
} Repeat;

static gboolean
on_tick (gpointer data)
{
  Repeat *self = data;
  guint64 due = 1;

  if (self->steady)
    {
      guint64 by_clock = (g_get_monotonic_time () - self->start) / self->interval_us + 1;

      due = by_clock > self->sends ? MIN (by_clock - self->sends, 10) : 0;
    }

  for (guint64 i = 0; i < due; i++)
    {
      g_autoptr(GError) error = NULL;

      if (sb_session_send (self->session, NULL, self->message, &error))
        self->sends++;
      else
        self->errors++;
    }

  return G_SOURCE_CONTINUE;
}

int
main (int    argc,
      char **argv)
{
  int port = 0, interval_ms = 1, size = 100;
  double seconds = 5;
  gboolean steady = FALSE;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port of the tcp-sink on 127.0.0.1", "P" },
    { "interval-ms", 0, 0, G_OPTION_ARG_INT, &interval_ms, "Repeat interval", "MS" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "How long to repeat", "S" },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Bytes per send", "N" },
    { "steady", 0, 0, G_OPTION_ARG_NONE, &steady, "Catch up with the clock", NULL },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  g_autofree char *uri = NULL;
  Repeat self = { 0 };
  gint64 end;
  guint id;

  bench_parse_options (&argc, &argv, "sb_session_send from a GLib timeout.", entries);
  if (port <= 0 || interval_ms <= 0 || size <= 0)
    {
      g_printerr ("bench-repeat: give --port=P\n");
      return 2;
    }

  sb_bench_probe_start ();
  uri = g_strdup_printf ("tcp://127.0.0.1:%d", port);
  session = bench_start_session (uri);

  self.session = session;
  self.message = g_bytes_new_take (g_malloc0 (size), size);
  self.interval_us = interval_ms * 1000;
  self.steady = steady;
  sb_bench_probe_reset ();
  self.start = g_get_monotonic_time ();
  id = g_timeout_add (interval_ms, on_tick, &self);
  bench_run_for (seconds);
  g_source_remove (id);
  end = g_get_monotonic_time ();

  bench_out ("sends", "%" G_GUINT64_FORMAT, self.sends);
  bench_out ("errors", "%" G_GUINT64_FORMAT, self.errors);
  bench_out ("seconds", "%.6f", (end - self.start) / (double) G_USEC_PER_SEC);
  bench_out ("sends_per_s", "%.1f", self.sends / ((end - self.start) / (double) G_USEC_PER_SEC));
  bench_out_lateness ();

  g_bytes_unref (self.message);
  sb_session_stop (session);
  bench_run_for (0.05);
  return 0;
}
