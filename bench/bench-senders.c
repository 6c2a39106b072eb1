/* bench-senders — a UDP session in-process, set up as a window page, with
 * a datagram from every one of many source addresses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-senders --count=N [--encoding=GBK] [--idle-ms=1000] [--timeout=S]
 *
 * Runs an SbDatagram bound to 127.0.0.1 at the default caps, as a page of
 * the window does, and shows it as the page's list would while it follows
 * the newest row: at every items-changed the last VISIBLE_ROWS records are
 * decoded (in --encoding) with their peer labels. Prints "port N", then,
 * once N datagrams came or nothing came for --idle-ms: received, records,
 * labels (peer labels the history keeps), peers, peers_dropped, drops and
 * memory (hwm_kb is the peak).
 */
#include "config.h"

#include "bench-core.h"
#include "sb-codec.h"

#define VISIBLE_ROWS 40

typedef struct
{
  SbSession  *session;
  const char *encoding;
  guint64     count;
  guint64     last_seen;
  gint64      t_first;
  gint64      t_last;
  gint64      idle_us;
  gsize       shown_bytes;
} Senders;

static gboolean
is_done (gpointer data)
{
  Senders *self = data;
  SbCounters counters;
  gint64 now = g_get_monotonic_time ();

  sb_session_get_counters (self->session, &counters);
  if (counters.rx_messages != self->last_seen)
    {
      if (self->t_first == 0)
        self->t_first = now;
      self->last_seen = counters.rx_messages;
      self->t_last = now;
    }

  return counters.rx_messages >= self->count ||
         (self->t_first != 0 && now - self->t_last > self->idle_us);
}

/* What the page's rows do when they are bound: the text and the peer. */
static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Senders    *self)
{
  SbHistory *history = SB_HISTORY (model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = n > VISIBLE_ROWS ? n - VISIBLE_ROWS : 0; i < n; i++)
    {
      g_autofree char *text = sb_history_decode_prefix (history, i, self->encoding,
                                                        SB_DECODE_ESCAPE_CONTROLS, NULL, 256, NULL);
      const char *peer = sb_history_get_peer_label (history, sb_history_get_peer (history, i));

      self->shown_bytes += strlen (text) + strlen (peer);
    }
}

int
main (int    argc,
      char **argv)
{
  gint64 count = 0;
  int idle_ms = 1000, timeout = 120;
  g_autofree char *encoding = NULL;
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT64, &count, "Datagrams expected", "N" },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding, "Encoding the rows are shown in", "NAME" },
    { "idle-ms", 0, 0, G_OPTION_ARG_INT, &idle_ms, "End after this long without a datagram", "MS" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds", "S" },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  Senders self = { 0 };
  SbHistory *history;
  SbCounters counters;
  guint16 port;

  bench_parse_options (&argc, &argv, "A UDP session, as a window page shows it, sprayed from many addresses.", entries);
  if (count <= 0)
    {
      g_printerr ("bench-senders: give --count=N\n");
      return 2;
    }

  sb_bench_probe_start ();
  session = bench_start_session ("udp-listen://127.0.0.1:0");
  history = sb_session_get_history (session);
  port = bench_session_port (session);

  self.session = session;
  self.encoding = encoding != NULL ? encoding : "GBK";
  self.count = count;
  self.idle_us = (gint64) idle_ms * 1000;
  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), &self);
  bench_out ("port", "%u", port);

  if (!bench_wait (is_done, &self, timeout))
    g_printerr ("bench-senders: still waiting after %d s\n", timeout);

  sb_history_flush (history);
  sb_session_get_counters (session, &counters);

  bench_out ("received", "%" G_GUINT64_FORMAT, counters.rx_messages);
  bench_out ("records", "%u", sb_history_get_n_records (history));
  bench_out ("labels", "%u", sb_history_get_n_peer_labels (history));
  bench_out ("peers", "%u", g_list_model_get_n_items (sb_session_get_peers (session)));
  bench_out ("peers_dropped", "%" G_GUINT64_FORMAT, counters.peers_dropped);
  bench_out ("drops", "%" G_GINT64_FORMAT, bench_udp_drops (port));
  bench_out ("seconds", "%.6f", (self.t_last - self.t_first) / (double) G_USEC_PER_SEC);
  bench_out_memory ();

  g_signal_handlers_disconnect_by_data (history, &self);
  sb_session_stop (session);
  return 0;
}
