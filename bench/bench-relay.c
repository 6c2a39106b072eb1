/* bench-relay — a relay session in-process between tcp-blast and tcp-sink
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-relay --to=PORT [--timeout=S]
 *
 * Runs relay://127.0.0.1:0?to=127.0.0.1:PORT exactly as the app does (both
 * directions recorded in the history with its default caps, a listener on
 * items-changed as a view has) and prints "port N". One client connects
 * and sends until EOF; once both legs are closed it prints: bytes (client →
 * server), seconds, rate_Bps, records, dropped, the probe's lateness and
 * memory. The sink measures the same transfer end to end.
 */
#include "config.h"

#include "bench-core.h"

typedef struct
{
  gint64  t_start;
  gint64  t_end;
  guint64 items_changed;
} Relay;

static void
on_peer_connected (SbSession *session,
                   SbPeer    *peer,
                   Relay     *self)
{
  if (self->t_start == 0)
    {
      self->t_start = g_get_monotonic_time ();
      sb_bench_probe_reset ();
    }
}

static void
on_peer_disconnected (SbSession *session,
                      SbPeer    *peer,
                      Relay     *self)
{
  self->t_end = g_get_monotonic_time ();
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Relay      *self)
{
  self->items_changed++;
}

static gboolean
is_done (gpointer data)
{
  Relay *self = data;

  return self->t_end != 0;
}

int
main (int    argc,
      char **argv)
{
  int timeout = 120, to = 0;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_INT, &to, "Port of the server on 127.0.0.1", "PORT" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds", "S" },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  g_autofree char *uri = NULL;
  Relay self = { 0 };
  SbHistory *history;
  SbCounters counters;
  double seconds;

  bench_parse_options (&argc, &argv, "A relay session between tcp-blast and tcp-sink.", entries);
  if (to <= 0 || to > 65535)
    {
      g_printerr ("bench-relay: give --to=PORT\n");
      return 2;
    }

  sb_bench_probe_start ();
  uri = g_strdup_printf ("relay://127.0.0.1:0?to=127.0.0.1:%d", to);
  session = bench_start_session (uri);
  history = sb_session_get_history (session);
  g_signal_connect (session, "peer-connected", G_CALLBACK (on_peer_connected), &self);
  g_signal_connect (session, "peer-disconnected", G_CALLBACK (on_peer_disconnected), &self);
  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), &self);

  bench_out ("port", "%u", bench_session_port (session));

  if (!bench_wait (is_done, &self, timeout))
    {
      g_printerr ("bench-relay: no complete transfer after %d s\n", timeout);
      return 3;
    }

  sb_history_flush (history);
  sb_session_get_counters (session, &counters);
  seconds = (self.t_end - self.t_start) / (double) G_USEC_PER_SEC;

  bench_out ("bytes", "%" G_GUINT64_FORMAT, counters.rx_bytes);
  bench_out ("seconds", "%.6f", seconds);
  bench_out ("rate_Bps", "%.0f", counters.rx_bytes / seconds);
  bench_out ("records", "%u", sb_history_get_n_records (history));
  bench_out ("dropped", "%" G_GUINT64_FORMAT, sb_history_get_n_dropped (history));
  bench_out ("items_changed", "%" G_GUINT64_FORMAT, self.items_changed);
  bench_out_lateness ();
  bench_out_memory ();

  sb_session_stop (session);
  return 0;
}
