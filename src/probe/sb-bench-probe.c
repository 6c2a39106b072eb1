/* sb-bench-probe.c — main-loop latency probe and counters for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-bench-probe"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "sb-bench-probe.h"
#include "sb-sessions.h"

#define TICK_US         (10 * 1000)
/* GDK_PRIORITY_REDRAW, without including GDK. */
#define FRAME_PRIORITY  (G_PRIORITY_HIGH_IDLE + 20)

/* Lateness histogram: 100 µs steps below 100 ms, 10 ms steps up to 10 s. */
#define FINE_STEP_US    100
#define FINE_BUCKETS    1000
#define COARSE_STEP_US  (10 * 1000)
#define COARSE_BUCKETS  990
#define N_BUCKETS       (FINE_BUCKETS + COARSE_BUCKETS + 1)

typedef struct
{
  GSource *source;
  guint32  buckets[N_BUCKETS];
  guint64  samples;
  guint64  over_50ms;
  gint64   max_us;
} Probe;

typedef struct
{
  GWeakRef  session;
  char     *uri;
  char     *state;
  guint     peers;
  SbCounters counters;
  guint     records;
  guint64   dropped;
  gulong    address_id;
} Watched;

static int enabled = -1;
static Probe probes[2];
static GPtrArray *watched;
static guint usr1_id, usr2_id;
static gboolean atexit_done;

gboolean
sb_bench_probe_enabled (void)
{
  if (G_UNLIKELY (enabled < 0))
    {
      const char *value = g_getenv ("SOCKBENCH_BENCH");

      enabled = value != NULL && value[0] != '\0' && !g_str_equal (value, "0");
    }

  return enabled;
}

static guint
bucket_of (gint64 late_us)
{
  if (late_us < FINE_STEP_US * FINE_BUCKETS)
    return (guint) (late_us / FINE_STEP_US);
  late_us -= FINE_STEP_US * FINE_BUCKETS;
  if (late_us < (gint64) COARSE_STEP_US * COARSE_BUCKETS)
    return FINE_BUCKETS + (guint) (late_us / COARSE_STEP_US);
  return N_BUCKETS - 1;
}

/* The upper edge of @bucket, in µs. */
static gint64
bucket_limit (guint bucket)
{
  if (bucket < FINE_BUCKETS)
    return (gint64) (bucket + 1) * FINE_STEP_US;
  return (gint64) FINE_STEP_US * FINE_BUCKETS + (gint64) (bucket - FINE_BUCKETS + 1) * COARSE_STEP_US;
}

static void
record (Probe  *probe,
        gint64  late_us)
{
  if (late_us < 0)
    late_us = 0;

  probe->buckets[bucket_of (late_us)]++;
  probe->samples++;
  if (late_us > 50 * 1000)
    probe->over_50ms++;
  if (late_us > probe->max_us)
    probe->max_us = late_us;
}

static void
snapshot (Watched *w)
{
  g_autoptr(SbSession) session = g_weak_ref_get (&w->session);
  SbHistory *history;

  if (session == NULL)
    return;

  history = sb_session_get_history (session);
  sb_session_get_counters (session, &w->counters);
  w->peers = g_list_model_get_n_items (sb_session_get_peers (session));
  w->records = sb_history_get_n_records (history);
  w->dropped = sb_history_get_n_dropped (history);
  g_free (w->state);
  w->state = g_strdup (sb_session_state_to_string (sb_session_get_state (session)));
}

static gboolean
probe_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  Probe *probe = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 late = now - g_source_get_ready_time (source);

  /* The ticks this one made miss were late too, each 10 ms less. */
  for (gint64 l = late; l >= 0; l -= TICK_US)
    {
      record (probe, l);
      if (l < TICK_US)
        break;
    }

  if (probe == &probes[SB_BENCH_PROBE_LOOP] && watched != NULL)
    for (guint i = 0; i < watched->len; i++)
      snapshot (g_ptr_array_index (watched, i));

  g_source_set_ready_time (source, now + TICK_US);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs probe_funcs = {
  .dispatch = probe_dispatch,
};

static void
start_probe (Probe      *probe,
             int         priority,
             const char *name)
{
  if (probe->source != NULL)
    return;

  probe->source = g_source_new (&probe_funcs, sizeof (GSource));
  g_source_set_priority (probe->source, priority);
  g_source_set_name (probe->source, name);
  g_source_set_callback (probe->source, NULL, probe, NULL);
  g_source_set_ready_time (probe->source, g_get_monotonic_time () + TICK_US);
  g_source_attach (probe->source, NULL);
}

static void
watch_session_hook (SbSession *session,
                    gpointer   user_data)
{
  sb_bench_probe_watch_session (session);
}

void
sb_bench_probe_start (void)
{
  sb_session_set_created_hook (watch_session_hook, NULL);
  start_probe (&probes[SB_BENCH_PROBE_LOOP], G_PRIORITY_DEFAULT, "sb-bench-probe loop");
  start_probe (&probes[SB_BENCH_PROBE_FRAME], FRAME_PRIORITY, "sb-bench-probe frame");
}

void
sb_bench_probe_reset (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
    {
      GSource *source = probes[i].source;

      memset (&probes[i], 0, sizeof probes[i]);
      probes[i].source = source;
    }
}

void
sb_bench_probe_get_lateness (SbBenchProbeKind  kind,
                             SbBenchLateness  *lateness)
{
  const Probe *probe;
  guint64 seen = 0;
  gboolean have_p50 = FALSE;

  g_return_if_fail (kind <= SB_BENCH_PROBE_FRAME);
  g_return_if_fail (lateness != NULL);

  probe = &probes[kind];
  *lateness = (SbBenchLateness) {
    .samples = probe->samples,
    .max_ms = probe->max_us / 1000.0,
    .over_50ms = probe->over_50ms,
  };

  for (guint b = 0; b < N_BUCKETS && probe->samples > 0; b++)
    {
      seen += probe->buckets[b];
      /* Percentiles are the bucket's upper edge, never above the maximum. */
      if (!have_p50 && seen * 2 >= probe->samples)
        {
          lateness->p50_ms = MIN (bucket_limit (b), probe->max_us) / 1000.0;
          have_p50 = TRUE;
        }
      if (seen * 100 >= probe->samples * 99)
        {
          lateness->p99_ms = MIN (bucket_limit (b), probe->max_us) / 1000.0;
          break;
        }
    }
}

gsize
sb_bench_probe_get_rss_kb (gsize *hwm_kb)
{
  g_autofree char *status = NULL;
  gsize rss = 0, hwm = 0;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      const char *line;

      if ((line = strstr (status, "\nVmRSS:")) != NULL)
        rss = g_ascii_strtoull (line + 7, NULL, 10);
      if ((line = strstr (status, "\nVmHWM:")) != NULL)
        hwm = g_ascii_strtoull (line + 7, NULL, 10);
    }

  if (hwm_kb != NULL)
    *hwm_kb = hwm;
  return rss;
}

static void
print_lateness (const char       *name,
                SbBenchProbeKind  kind)
{
  SbBenchLateness l;

  sb_bench_probe_get_lateness (kind, &l);
  g_printerr ("sockbench-bench: %s samples=%" G_GUINT64_FORMAT " p50_ms=%.1f p99_ms=%.1f"
              " max_ms=%.1f over_50ms=%" G_GUINT64_FORMAT "\n",
              name, l.samples, l.p50_ms, l.p99_ms, l.max_ms, l.over_50ms);
}

void
sb_bench_probe_print (void)
{
  gsize rss, hwm;

  print_lateness ("loop", SB_BENCH_PROBE_LOOP);
  print_lateness ("frame", SB_BENCH_PROBE_FRAME);

  rss = sb_bench_probe_get_rss_kb (&hwm);
  g_printerr ("sockbench-bench: memory rss_kb=%" G_GSIZE_FORMAT " hwm_kb=%" G_GSIZE_FORMAT "\n", rss, hwm);

  for (guint i = 0; watched != NULL && i < watched->len; i++)
    {
      Watched *w = g_ptr_array_index (watched, i);

      snapshot (w);
      g_printerr ("sockbench-bench: session uri=%s state=%s peers=%u"
                  " rx_messages=%" G_GUINT64_FORMAT " rx_bytes=%" G_GUINT64_FORMAT
                  " tx_messages=%" G_GUINT64_FORMAT " tx_bytes=%" G_GUINT64_FORMAT
                  " records=%u dropped=%" G_GUINT64_FORMAT "\n",
                  w->uri, w->state ? w->state : "idle", w->peers,
                  w->counters.rx_messages, w->counters.rx_bytes,
                  w->counters.tx_messages, w->counters.tx_bytes,
                  w->records, w->dropped);
    }
}

static void
print_at_exit (void)
{
  if (atexit_done)
    return;
  atexit_done = TRUE;
  sb_bench_probe_print ();
}

static gboolean
on_usr1 (gpointer user_data)
{
  sb_bench_probe_print ();
  return G_SOURCE_CONTINUE;
}

static gboolean
on_usr2 (gpointer user_data)
{
  sb_bench_probe_reset ();
  return G_SOURCE_CONTINUE;
}

void
sb_bench_probe_init (void)
{
  if (!sb_bench_probe_enabled () || usr1_id != 0)
    return;

  sb_bench_probe_start ();
  usr1_id = g_unix_signal_add (SIGUSR1, on_usr1, NULL);
  usr2_id = g_unix_signal_add (SIGUSR2, on_usr2, NULL);
  atexit (print_at_exit);
}

static void
on_local_address (SbSession  *session,
                  GParamSpec *pspec,
                  Watched    *w)
{
  GSocketAddress *address = sb_session_get_local_address (session);
  g_autofree char *text = NULL;

  if (address == NULL)
    return;

  text = sb_address_to_string (address);
  g_printerr ("sockbench-bench: listening uri=%s address=%s\n", w->uri, text);
}

void
sb_bench_probe_watch_session (SbSession *session)
{
  Watched *w;

  if (!sb_bench_probe_enabled ())
    return;

  g_return_if_fail (SB_IS_SESSION (session));

  if (watched == NULL)
    watched = g_ptr_array_new ();

  w = g_new0 (Watched, 1);
  g_weak_ref_init (&w->session, session);
  w->uri = sb_session_spec_to_uri (sb_session_get_spec (session));
  /* Kept until exit, like the counters. */
  w->address_id = g_signal_connect (session, "notify::local-address",
                                    G_CALLBACK (on_local_address), w);
  g_ptr_array_add (watched, w);
  on_local_address (session, NULL, w);
}

