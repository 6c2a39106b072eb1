/* bench-swarm — a TCP server session with many clients, then send to all
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-swarm --clients=C [--size=100] [--wait-ms=10000]
 *
 * Runs an SbStreamServer on 127.0.0.1, prints "port N" and waits (at most
 * --wait-ms) until C peers are listed. Then sends --size bytes to every peer
 * at once (sb_session_send with no peer, as "send to all" does) and prints:
 * listed, send_t0_us, send_t1_us (g_get_monotonic_time, comparable with
 * tcp-swarm's t_last_us), send_ok. Waits (at most --wait-ms) for the clients
 * to leave and prints peers_after, the probe's lateness and memory.
 */
#include "config.h"

#include <string.h>

#include "bench-core.h"

typedef struct
{
  GListModel *peers;
  guint       want;
} Count;

static gboolean
has_peers (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (count->peers) >= count->want;
}

static gboolean
no_peers (gpointer data)
{
  Count *count = data;

  return g_list_model_get_n_items (count->peers) == 0;
}

int
main (int    argc,
      char **argv)
{
  int clients = 0, size = 100, wait_ms = 10000;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Peers to wait for", "C" },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Bytes sent to every peer", "N" },
    { "wait-ms", 0, 0, G_OPTION_ARG_INT, &wait_ms, "Longest wait for the peers", "MS" },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GError) error = NULL;
  Count count;
  gint64 t0, t1;
  gboolean ok;

  bench_parse_options (&argc, &argv, "A TCP server session with many clients.", entries);
  if (clients <= 0 || size <= 0)
    {
      g_printerr ("bench-swarm: give --clients=C\n");
      return 2;
    }

  sb_bench_probe_start ();
  session = bench_start_session ("tcp-listen://127.0.0.1:0");
  count.peers = sb_session_get_peers (session);
  count.want = clients;
  bench_out ("port", "%u", bench_session_port (session));

  bench_wait (has_peers, &count, wait_ms / 1000.0);
  bench_out ("listed", "%u", g_list_model_get_n_items (count.peers));

  message = g_bytes_new_take (g_malloc (size), size);
  memset ((char *) g_bytes_get_data (message, NULL), 's', size);
  t0 = g_get_monotonic_time ();
  ok = sb_session_send (session, NULL, message, &error);
  t1 = g_get_monotonic_time ();
  bench_out ("send_t0_us", "%" G_GINT64_FORMAT, t0);
  bench_out ("send_t1_us", "%" G_GINT64_FORMAT, t1);
  bench_out ("send_ok", "%d", ok);
  if (!ok)
    g_printerr ("bench-swarm: %s\n", error->message);

  count.want = 0;
  bench_wait (no_peers, &count, wait_ms / 1000.0);
  bench_out ("peers_after", "%u", g_list_model_get_n_items (count.peers));
  bench_out_lateness ();
  bench_out_memory ();

  sb_session_stop (session);
  return 0;
}
