/* bench-churn — a TCP server session under connect/disconnect cycles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-churn --cycles=K [--timeout=S]
 *
 * Runs an SbStreamServer on 127.0.0.1 and prints "rss_before_kb" (once it
 * listens) and "port N". tcp-churn then makes K connections, one after the
 * other. Prints, once K peers came and went: cycles (peers gone),
 * rss_mid_kb (at K/2), rss_after_kb, peers_after, seconds, cycles_per_s,
 * records and history_bytes (the history keeps the events, within its caps).
 */
#include "config.h"

#include <malloc.h>

#include "bench-core.h"

typedef struct
{
  SbSession *session;
  guint      want;
  guint      gone;
  gsize      rss_mid;
  gint64     t_start;
  gint64     t_end;
} Churn;

static void
on_peer_connected (SbSession *session,
                   SbPeer    *peer,
                   Churn     *self)
{
  if (self->t_start == 0)
    self->t_start = g_get_monotonic_time ();
}

static void
on_peer_disconnected (SbSession *session,
                      SbPeer    *peer,
                      Churn     *self)
{
  self->gone++;
  self->t_end = g_get_monotonic_time ();
  if (self->gone == self->want / 2)
    self->rss_mid = sb_bench_probe_get_rss_kb (NULL);
}

/* What malloc holds (all arenas): in use, and free but kept. */
static void
out_heap (const char *when)
{
  struct mallinfo2 info = mallinfo2 ();
  g_autofree char *used = g_strdup_printf ("heap_used_%s_kb", when);
  g_autofree char *kept = g_strdup_printf ("heap_free_%s_kb", when);

  bench_out (used, "%" G_GSIZE_FORMAT, (info.uordblks + info.hblkhd) / 1024);
  bench_out (kept, "%" G_GSIZE_FORMAT, info.fordblks / 1024);
}

static gboolean
is_done (gpointer data)
{
  Churn *self = data;

  return self->gone >= self->want &&
         g_list_model_get_n_items (sb_session_get_peers (self->session)) == 0;
}

int
main (int    argc,
      char **argv)
{
  int cycles = 0, timeout = 120;
  GOptionEntry entries[] = {
    { "cycles", 0, 0, G_OPTION_ARG_INT, &cycles, "Connections to expect", "K" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds", "S" },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  Churn self = { 0 };
  SbHistory *history;
  double seconds;

  bench_parse_options (&argc, &argv, "A TCP server session under connection churn.", entries);
  if (cycles <= 0)
    {
      g_printerr ("bench-churn: give --cycles=K\n");
      return 2;
    }

  sb_bench_probe_start ();
  session = bench_start_session ("tcp-listen://127.0.0.1:0");
  history = sb_session_get_history (session);
  self.session = session;
  self.want = cycles;
  g_signal_connect (session, "peer-connected", G_CALLBACK (on_peer_connected), &self);
  g_signal_connect (session, "peer-disconnected", G_CALLBACK (on_peer_disconnected), &self);

  /* Settle whatever starting up left to do before the first figure. */
  bench_run_for (0.1);
  bench_out ("rss_before_kb", "%" G_GSIZE_FORMAT, sb_bench_probe_get_rss_kb (NULL));
  out_heap ("before");
  bench_out ("port", "%u", bench_session_port (session));

  if (!bench_wait (is_done, &self, timeout))
    g_printerr ("bench-churn: %u of %d cycles after %d s\n", self.gone, cycles, timeout);
  /* Let the last closes and the history flush run. */
  bench_run_for (0.1);
  sb_history_flush (history);
  seconds = (self.t_end - self.t_start) / (double) G_USEC_PER_SEC;

  bench_out ("cycles", "%u", self.gone);
  bench_out ("rss_mid_kb", "%" G_GSIZE_FORMAT, self.rss_mid);
  bench_out ("rss_after_kb", "%" G_GSIZE_FORMAT, sb_bench_probe_get_rss_kb (NULL));
  out_heap ("after");
  bench_out ("peers_after", "%u", g_list_model_get_n_items (sb_session_get_peers (session)));
  bench_out ("seconds", "%.6f", seconds);
  bench_out ("cycles_per_s", "%.1f", seconds > 0 ? self.gone / seconds : 0.0);
  bench_out ("records", "%u", sb_history_get_n_records (history));
  bench_out ("history_bytes", "%" G_GSIZE_FORMAT, sb_history_get_n_bytes (history));
  bench_out_lateness ();

  sb_session_stop (session);
  return 0;
}
