/* bench-history — a million records in an SbHistory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-history [--records=1000000] [--size=64] [--lookups=100000]
 *
 * Appends the records with the default caps, in batches of 1,000 with a main
 * context iteration between batches (so the coalesced items-changed runs as
 * it does in the app). Prints: records, rss_before_kb, rss_after_kb,
 * bytes_per_record, first_ns and last_ns (mean append cost over the first
 * and the last 10%), last_over_first, flush_max_us (longest main context
 * iteration), lookup_ns (get_item + decode of a random position, as a row
 * being bound while scrolling does), items_changed.
 */
#include "config.h"

#include <string.h>

#include "bench-core.h"

#define BATCH 1000

static guint64 items_changed;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    data)
{
  items_changed++;
}

int
main (int    argc,
      char **argv)
{
  int records = 1000000, size = 64, lookups = 100000;
  GOptionEntry entries[] = {
    { "records", 0, 0, G_OPTION_ARG_INT, &records, "Records to append", "N" },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Payload bytes per record", "N" },
    { "lookups", 0, 0, G_OPTION_ARG_INT, &lookups, "Random get_item + decode", "N" },
    { NULL }
  };
  g_autoptr(SbHistory) history = NULL;
  g_autofree guint8 *payload = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 first_ns = 0, last_ns = 0, flush_max = 0, t0, t1;
  guint first_n = 0, last_n = 0, peer, batches;
  gsize rss_before, rss_after;
  guint n;

  bench_parse_options (&argc, &argv, "A million records in an SbHistory.", entries);
  if (records < 10 * BATCH || size <= 0)
    {
      g_printerr ("bench-history: give at least %d records\n", 10 * BATCH);
      return 2;
    }

  payload = g_malloc (size);
  for (int i = 0; i < size; i++)
    payload[i] = 'a' + i % 26;

  rss_before = sb_bench_probe_get_rss_kb (NULL);
  history = sb_history_new ();
  g_signal_connect (history, "items-changed", G_CALLBACK (on_items_changed), NULL);
  peer = sb_history_intern_peer (history, "127.0.0.1:40000");

  batches = records / BATCH;
  for (guint b = 0; b < batches; b++)
    {
      gint64 now = g_get_real_time ();

      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < BATCH; i++)
        sb_history_append (history, now, SB_DIRECTION_RX, SB_EVENT_NONE, peer, payload, size);
      t1 = g_get_monotonic_time ();

      if (b < batches / 10)
        {
          first_ns += (t1 - t0) * 1000;
          first_n += BATCH;
        }
      else if (b >= batches - batches / 10)
        {
          last_ns += (t1 - t0) * 1000;
          last_n += BATCH;
        }

      t0 = g_get_monotonic_time ();
      while (g_main_context_iteration (NULL, FALSE))
        ;
      t1 = g_get_monotonic_time ();
      flush_max = MAX (flush_max, t1 - t0);
    }
  sb_history_flush (history);
  rss_after = sb_bench_probe_get_rss_kb (NULL);
  n = sb_history_get_n_records (history);

  bench_out ("records", "%u", n);
  bench_out ("dropped", "%" G_GUINT64_FORMAT, sb_history_get_n_dropped (history));
  bench_out ("rss_before_kb", "%" G_GSIZE_FORMAT, rss_before);
  bench_out ("rss_after_kb", "%" G_GSIZE_FORMAT, rss_after);
  bench_out ("bytes_per_record", "%.1f", (rss_after - rss_before) * 1024.0 / MAX (n, 1));
  bench_out ("first_ns", "%.1f", first_ns / (double) first_n);
  bench_out ("last_ns", "%.1f", last_ns / (double) last_n);
  bench_out ("last_over_first", "%.3f", (last_ns / (double) last_n) / (first_ns / (double) first_n));
  bench_out ("flush_max_us", "%" G_GINT64_FORMAT, flush_max);
  bench_out ("items_changed", "%" G_GUINT64_FORMAT, items_changed);

  t0 = g_get_monotonic_time ();
  for (int i = 0; i < lookups && n > 0; i++)
    {
      guint position = g_rand_int_range (rand, 0, n);
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (history), position);
      g_autofree char *text = sb_history_decode (history, position, "UTF-8", 0, NULL);

      g_assert (item != NULL && text != NULL);
    }
  t1 = g_get_monotonic_time ();
  bench_out ("lookup_ns", "%.1f", lookups > 0 ? (t1 - t0) * 1000.0 / lookups : 0.0);

  return 0;
}
