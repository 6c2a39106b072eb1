/* bench-udp — a UDP session in-process, flooded by udp-blast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-udp --count=N [--idle-ms=500] [--timeout=S]
 *
 * Runs an SbDatagram bound to 127.0.0.1 as the app does and prints
 * "port N". Waits until N datagrams were recorded, or nothing came for
 * --idle-ms after the first. Prints: received, records (rx records in the
 * history), drops (the kernel's counter for the socket, /proc/net/udp),
 * seconds, rate_pps, the probe's lateness and memory.
 */
#include "config.h"

#include "bench-core.h"

typedef struct
{
  SbSession *session;
  guint64    count;
  guint64    last_seen;
  gint64     t_first;
  gint64     t_last;
  gint64     idle_us;
} Flood;

static gboolean
is_done (gpointer data)
{
  Flood *self = data;
  SbCounters counters;
  gint64 now = g_get_monotonic_time ();

  sb_session_get_counters (self->session, &counters);
  if (counters.rx_messages != self->last_seen)
    {
      if (self->t_first == 0)
        {
          self->t_first = now;
          sb_bench_probe_reset ();
        }
      self->last_seen = counters.rx_messages;
      self->t_last = now;
    }

  return counters.rx_messages >= self->count ||
         (self->t_first != 0 && now - self->t_last > self->idle_us);
}

static guint
count_rx_records (SbHistory *history)
{
  guint n = 0;

  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_RX)
      n++;

  return n;
}

int
main (int    argc,
      char **argv)
{
  gint64 count = 0;
  int idle_ms = 500, timeout = 120;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT64, &count, "Datagrams expected", "N" },
    { "idle-ms", 0, 0, G_OPTION_ARG_INT, &idle_ms, "End after this long without a datagram", "MS" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds", "S" },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  Flood self = { 0 };
  SbHistory *history;
  SbCounters counters;
  guint16 port;

  bench_parse_options (&argc, &argv, "A UDP session flooded by udp-blast.", entries);
  if (count <= 0)
    {
      g_printerr ("bench-udp: give --count=N\n");
      return 2;
    }

  sb_bench_probe_start ();
  session = bench_start_session ("udp-listen://127.0.0.1:0");
  history = sb_session_get_history (session);
  port = bench_session_port (session);
  bench_out ("port", "%u", port);

  self.session = session;
  self.count = count;
  self.idle_us = (gint64) idle_ms * 1000;
  if (!bench_wait (is_done, &self, timeout))
    g_printerr ("bench-udp: still waiting after %d s\n", timeout);

  sb_history_flush (history);
  sb_session_get_counters (session, &counters);

  bench_out ("received", "%" G_GUINT64_FORMAT, counters.rx_messages);
  bench_out ("records", "%u", count_rx_records (history));
  bench_out ("drops", "%" G_GINT64_FORMAT, bench_udp_drops (port));
  bench_out ("seconds", "%.6f", (self.t_last - self.t_first) / (double) G_USEC_PER_SEC);
  bench_out ("rate_pps", "%.0f", self.t_last > self.t_first
             ? counters.rx_messages / ((self.t_last - self.t_first) / (double) G_USEC_PER_SEC) : 0.0);
  bench_out_lateness ();
  bench_out_memory ();

  sb_session_stop (session);
  return 0;
}
