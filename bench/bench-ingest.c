/* bench-ingest — a TCP server session in-process, fed by tcp-blast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-ingest [--max-bytes=N] [--max-records=N] [--frame=SPEC] [--timeout=S] [--uri=URI]
 *
 * Runs an SbStreamServer on 127.0.0.1 exactly as the app does (history with
 * its default caps, a listener on items-changed as a view has) and prints
 * "port N". One peer connects, sends until EOF; then it prints: bytes,
 * seconds (accept to close, as tcp-sink measures), rate_Bps, records,
 * dropped, history_bytes, items_changed, the probe's lateness and memory.
 * With --frame, the received records are framed by the core's collector
 * (sb-framer-collector.h), the path of headless --frame and of the
 * responder: each new record fed to it, each frame it hands out counted;
 * it also prints frames and frame_bytes. --uri serves another stream server, e.g.
 * tls-listen://127.0.0.1:0?cert=C.pem&key=K.pem (the time starts once the
 * handshake is done, when the peer is listed).
 */
#include "config.h"

#include "bench-core.h"
#include "sb-framer-collector.h"

typedef struct
{
  gint64  t_start;
  gint64  t_end;
  guint64 items_changed;
  guint64 frames;
  guint64 frame_bytes;
  /* --frame */
  SbHistory         *history;
  SbFramerCollector *collector;
  guint64            next_serial;
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

static void frame_new_records (Ingest *self);

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Ingest     *self)
{
  self->items_changed++;
  if (self->collector != NULL)
    frame_new_records (self);
}

static gboolean
on_frame (const guint8      *data,
          gsize              len,
          const SbFrameInfo *info,
          gpointer           user_data)
{
  Ingest *self = user_data;

  self->frames++;
  self->frame_bytes += len;
  return TRUE;
}

/* What headless does per received record with --frame (sb-headless-print.c),
 * but for writing the line. */
static void
frame_new_records (Ingest *self)
{
  guint64 first = sb_history_get_first_serial (self->history);
  guint64 end = first + sb_history_get_n_records (self->history);

  for (self->next_serial = MAX (self->next_serial, first); self->next_serial < end; self->next_serial++)
    {
      guint pos = (guint) (self->next_serial - first);
      const guint8 *data;
      gsize len;

      if (sb_history_get_direction (self->history, pos) != SB_DIRECTION_RX ||
          (data = sb_history_peek_data (self->history, pos, &len)) == NULL)
        continue;
      sb_framer_collector_feed (self->collector, data, len, sb_history_get_time (self->history, pos),
                                on_frame, self);
    }
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
  g_autofree char *frame_spec = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(SbFramer) framer = NULL;
  GOptionEntry entries[] = {
    { "frame", 0, 0, G_OPTION_ARG_STRING, &frame_spec, "Frame the history with SPEC (sb-framer.h)", "SPEC" },
    { "max-bytes", 0, 0, G_OPTION_ARG_INT64, &max_bytes, "History cap in bytes (default as the app)", "N" },
    { "max-records", 0, 0, G_OPTION_ARG_INT, &max_records, "History cap in records (default as the app)", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, "Give up after S seconds", "S" },
    { "uri", 0, 0, G_OPTION_ARG_STRING, &uri, "Serve URI (default tcp-listen://127.0.0.1:0)", "URI" },
    { NULL }
  };
  g_autoptr(SbSession) session = NULL;
  Ingest self = { 0 };
  SbHistory *history;
  SbCounters counters;
  double seconds;

  bench_parse_options (&argc, &argv, "A TCP server session fed by tcp-blast.", entries);

  sb_bench_probe_start ();
  session = bench_start_session (uri ? uri : "tcp-listen://127.0.0.1:0");
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
  if (frame_spec != NULL)
    {
      g_autoptr(GError) error = NULL;

      framer = sb_framer_new_from_spec (frame_spec, &error);
      if (framer == NULL)
        {
          g_printerr ("bench-ingest: %s\n", error->message);
          return 2;
        }
      self.history = history;
      self.collector = sb_framer_collector_new (framer);
    }

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
  if (self.collector != NULL)
    {
      bench_out ("frames", "%" G_GUINT64_FORMAT, self.frames);
      bench_out ("frame_bytes", "%" G_GUINT64_FORMAT, self.frame_bytes);
      sb_framer_collector_free (self.collector);
    }
  bench_out_lateness ();
  bench_out_memory ();

  sb_session_stop (session);
  return 0;
}
