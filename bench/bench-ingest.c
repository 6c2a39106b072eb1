/* bench-ingest — a TCP server session in-process, fed by tcp-blast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-ingest [--max-bytes=N] [--max-records=N] [--timeout=S]
 *
 * Runs an SbStreamServer on 127.0.0.1 exactly as the app does (history with
 * its default caps, a listener on items-changed as a view has) and prints
 * "port N". One peer connects, sends until EOF; then it prints: bytes,
 * seconds (accept to close, as tcp-sink measures), rate_Bps, records,
 * dropped, history_bytes, items_changed, the probe's lateness and memory.
 */
#include "config.h"

#include "bench-core.h"

typedef struct
{
  gint64  t_start;
  gint64  t_end;
  guint64 items_changed;
} Ingest;

static void
on_peer_connected (SbSession *session,
                   SbPeer    *peer,
                   Ingest    *self)
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
                      Ingest    *self)
{
  self->t_end = g_get_monotonic_time ();
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Ingest     *self)
{
  self->items_changed++;
}

static gboolean
is_done (gpointer data)
{
  Ingest *self = data;

  return self->t_end != 0;
}

int
main (int    argc,
      char **argv)
{
  int timeout = 120;
  gint64 max_bytes = SB_HISTORY_DEFAULT_MAX_BYTES;
  int max_records = SB_HISTORY_DEFAULT_MAX_RECORDS;
  GOptionEntry entries[] = {
    { "max-bytes", 0, 0, G_OPTION_ARG_INT64, &max_bytes, "History cap in bytes (default as the app)", "N" },
    { "max-records", 0, 0, G_OPTION_ARG_INT, &max_records, "History cap in records (default as the app)", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds", "S" },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  Ingest self = { 0 };
  SbHistory *history;
  SbCounters counters;
  double seconds;

  bench_parse_options (&argc, &argv, "A TCP server session fed by tcp-blast.", entries);

  sb_bench_probe_start ();
  session = bench_start_session ("tcp-listen://127.0.0.1:0");
  history = sb_session_get_history (session);
  if (max_bytes <= 0 || max_records <= 0)
    {
      g_printerr ("bench-ingest: the caps must be positive\n");
      return 2;
    }
  sb_history_set_limits (history, max_records, max_bytes);
  g_signal_connect (session, "peer-connected", G_CALLBACK (on_peer_connected), &self);
  g_signal_connect (session, "peer-disconnected", G_CALLBACK (on_peer_disconnected), &self);
  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), &self);

  bench_out ("port", "%u", bench_session_port (session));

  if (!bench_wait (is_done, &self, timeout))
    {
      g_printerr ("bench-ingest: no complete transfer after %d s\n", timeout);
      return 3;
    }

  sb_history_flush (history);
  sb_session_get_counters (session, &counters);
  seconds = (self.t_end - self.t_start) / (double) G_USEC_PER_SEC;

  bench_out ("bytes", "%" G_GUINT64_FORMAT, counters.rx_bytes);
  bench_out ("messages", "%" G_GUINT64_FORMAT, counters.rx_messages);
  bench_out ("seconds", "%.6f", seconds);
  bench_out ("rate_Bps", "%.0f", counters.rx_bytes / seconds);
  bench_out ("records", "%u", sb_history_get_n_records (history));
  bench_out ("dropped", "%" G_GUINT64_FORMAT, sb_history_get_n_dropped (history));
  bench_out ("history_bytes", "%" G_GSIZE_FORMAT, sb_history_get_n_bytes (history));
  bench_out ("items_changed", "%" G_GUINT64_FORMAT, self.items_changed);
  bench_out_lateness ();
  bench_out_memory ();

  sb_session_stop (session);
  return 0;
}
