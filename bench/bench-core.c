/* bench-core.c — what the benchmark programs that link the core share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-core.h"
#include "sb-sessions.h"

void
bench_parse_options (int           *argc,
                     char        ***argv,
                     const char    *summary,
                     GOptionEntry  *entries)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      exit (2);
    }
}

void
bench_out (const char *key,
           const char *format,
           ...)
{
  va_list args;

  printf ("%s ", key);
  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
bench_wait (BenchCondition condition,
            gpointer       data,
            double         seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  guint id = g_timeout_add (50, tick, NULL);
  gboolean done;

  while (!(done = condition (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
  return done;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
bench_run_for (double seconds)
{
  bench_wait (never, NULL, seconds);
}

static gboolean
is_ready (gpointer data)
{
  SbSessionState state = sb_session_get_state (data);

  return state == SB_SESSION_STATE_LISTENING ||
         state == SB_SESSION_STATE_CONNECTED ||
         state == SB_SESSION_STATE_FAILED;
}

SbSession *
bench_start_session (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, &error);
  SbSession *session;

  if (spec == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      exit (2);
    }

  session = sb_session_new (spec);
  sb_session_start (session);
  if (!bench_wait (is_ready, session, 10) ||
      sb_session_get_state (session) == SB_SESSION_STATE_FAILED)
    {
      const GError *failure = sb_session_get_error (session);

      g_printerr ("%s: %s: %s\n", g_get_prgname (), uri,
                  failure ? failure->message : "not ready after 10 s");
      exit (1);
    }

  return session;
}

guint16
bench_session_port (SbSession *session)
{
  GSocketAddress *address = sb_session_get_local_address (session);

  g_assert (G_IS_INET_SOCKET_ADDRESS (address));
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

void
bench_out_lateness (void)
{
  static const char *names[] = { "loop", "frame" };

  for (guint kind = SB_BENCH_PROBE_LOOP; kind <= SB_BENCH_PROBE_FRAME; kind++)
    {
      SbBenchLateness l;
      g_autofree char *key = NULL;

      sb_bench_probe_get_lateness (kind, &l);
      key = g_strdup_printf ("%s_samples", names[kind]);
      bench_out (key, "%" G_GUINT64_FORMAT, l.samples);
      g_free (key);
      key = g_strdup_printf ("%s_p50_ms", names[kind]);
      bench_out (key, "%.1f", l.p50_ms);
      g_free (key);
      key = g_strdup_printf ("%s_p99_ms", names[kind]);
      bench_out (key, "%.1f", l.p99_ms);
      g_free (key);
      key = g_strdup_printf ("%s_max_ms", names[kind]);
      bench_out (key, "%.1f", l.max_ms);
    }
}

void
bench_out_memory (void)
{
  gsize hwm;
  gsize rss = sb_bench_probe_get_rss_kb (&hwm);

  bench_out ("rss_kb", "%" G_GSIZE_FORMAT, rss);
  bench_out ("hwm_kb", "%" G_GSIZE_FORMAT, hwm);
}

gint64
bench_udp_drops (guint16 port)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 drops = -1;

  if (!g_file_get_contents ("/proc/net/udp", &contents, NULL, NULL))
    return -1;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      unsigned addr, lport;
      const char *last;

      if (sscanf (lines[i], " %*u: %8x:%4x", &addr, &lport) != 2 || lport != port)
        continue;
      last = strrchr (g_strchomp (lines[i]), ' ');
      if (last != NULL)
        drops = g_ascii_strtoll (last + 1, NULL, 10);
    }

  return drops;
}
