/* test-history.c — SbHistory: store, caps, batching, decode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sb-history.h"

/* Every test runs with a model checker attached: it keeps a mirror of
 * n_items driven only by items-changed, and checks each emission against
 * the mirror and against the model as the handler sees it. */
typedef struct
{
  SbHistory *history;
  guint      mirror;
  guint      n_emissions;
  guint      n_removals;
  guint      n_additions;
  guint      last_position;
  guint      last_removed;
  guint      last_added;
  guint      n_records_notifies;
  guint      n_dropped_notifies;
  guint      n_cleared_notifies;
} Fixture;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  g_assert_cmpuint (removed + added, >, 0);
  g_assert_cmpuint (position, <=, fixture->mirror);
  g_assert_cmpuint (position + removed, <=, fixture->mirror);

  fixture->mirror = fixture->mirror - removed + added;
  g_assert_cmpuint (fixture->mirror, ==, g_list_model_get_n_items (model));
  g_assert_cmpuint (fixture->mirror, ==, sb_history_get_n_records (SB_HISTORY (model)));

  /* The new items are readable from inside the handler. */
  if (added > 0)
    {
      g_autoptr(SbHistoryItem) first = g_list_model_get_item (model, position);
      g_autoptr(SbHistoryItem) last = g_list_model_get_item (model, position + added - 1);

      g_assert_nonnull (first);
      g_assert_nonnull (last);
      g_assert_cmpuint (sb_history_item_get_serial (first), ==,
                        sb_history_get_first_serial (SB_HISTORY (model)) + position);
    }
  g_assert_null (g_list_model_get_item (model, fixture->mirror));

  fixture->n_emissions++;
  if (removed > 0)
    fixture->n_removals++;
  if (added > 0)
    fixture->n_additions++;
  fixture->last_position = position;
  fixture->last_removed = removed;
  fixture->last_added = added;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           Fixture    *fixture)
{
  if (g_str_equal (pspec->name, "n-records"))
    fixture->n_records_notifies++;
  else if (g_str_equal (pspec->name, "n-dropped"))
    fixture->n_dropped_notifies++;
  else if (g_str_equal (pspec->name, "n-cleared"))
    fixture->n_cleared_notifies++;
}

static void
reset_counts (Fixture *fixture)
{
  fixture->n_emissions = 0;
  fixture->n_removals = 0;
  fixture->n_additions = 0;
  fixture->n_records_notifies = 0;
  fixture->n_dropped_notifies = 0;
  fixture->n_cleared_notifies = 0;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  memset (fixture, 0, sizeof *fixture);
  fixture->history = sb_history_new ();
  g_signal_connect (fixture->history, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  g_signal_connect (fixture->history, "notify", G_CALLBACK (notify_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  /* A pending flush must not outlive the history. */
  g_assert_finalize_object (fixture->history);
}

/* Runs the default context until nothing is pending, bounded. */
static void
run_main_loop (void)
{
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (g_main_context_pending (NULL));
}

static guint64
append_bytes (SbHistory  *history,
              SbDirection direction,
              guint       peer,
              const char *data,
              gsize       len)
{
  return sb_history_append (history, g_get_real_time (), direction, SB_EVENT_NONE,
                            peer, (const guint8 *) data, len);
}

static guint64
append_str (SbHistory  *history,
            SbDirection direction,
            guint       peer,
            const char *text)
{
  return append_bytes (history, direction, peer, text, strlen (text));
}

static void
append_n (SbHistory *history,
          guint      n,
          gsize      len)
{
  guint8 buffer[256] = { 0 };

  g_assert_cmpuint (len, <=, sizeof buffer);
  for (guint i = 0; i < n; i++)
    {
      memcpy (buffer, &i, MIN (len, sizeof i));
      sb_history_append (history, i, SB_DIRECTION_RX, SB_EVENT_NONE, 0, buffer, len);
    }
}

static char *
decode (SbHistory  *history,
        guint       position,
        const char *encoding)
{
  return sb_history_decode (history, position, encoding, SB_DECODE_DEFAULT, NULL);
}

/* What the codec shows for these bytes on their own. */
static char *
codec_decode (const char *encoding,
              const char *data,
              gsize       len)
{
  return sb_codec_decode (encoding, (const guint8 *) data, len, SB_DECODE_DEFAULT, NULL);
}

/* Tests */

static void
test_names (void)
{
  g_assert_cmpstr (sb_direction_to_string (SB_DIRECTION_RX), ==, "rx");
  g_assert_cmpstr (sb_direction_to_string (SB_DIRECTION_TX), ==, "tx");
  g_assert_cmpstr (sb_direction_to_string (SB_DIRECTION_EVENT), ==, "event");

  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_NONE), ==, "none");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_LISTENING), ==, "listening");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_CONNECTED), ==, "connected");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_PEER_CLOSED), ==, "peer-closed");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_HALF_CLOSED), ==, "half-closed");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_RESET), ==, "reset");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_DISCONNECTED), ==, "disconnected");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_ERROR), ==, "error");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_INFO), ==, "info");
  g_assert_cmpstr (sb_event_kind_to_string (SB_EVENT_STOPPED), ==, "stopped");
}

/* Flushes @history and checks that its next announcement is due @interval
 * after the flush: the deadline its flush source is ready at. */
static void
assert_pace_after_flush (SbHistory *history,
                         gint64     interval)
{
  gint64 before = g_get_monotonic_time (), after;
  GSource *source;

  sb_history_flush (history);
  after = g_get_monotonic_time ();
  source = sb_history_create_flush_source (history);
  g_assert_cmpint (g_source_get_ready_time (source), >=, before + interval);
  g_assert_cmpint (g_source_get_ready_time (source), <=, after + interval);
  g_source_unref (source);
}

static void
append_many (SbHistory *history,
             guint      n)
{
  for (guint i = 0; i < n; i++)
    sb_history_append (history, i, SB_DIRECTION_RX, SB_EVENT_NONE, 0, (const guint8 *) "x", 1);
}

/* A threaded history announces every 50 ms while records come at a
 * readable pace, slows by steps of 50 ms down to 250 ms while they come
 * faster than 200 a second, and comes back by the same steps. */
static void
test_pace (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  GSource *source;

  /* Not threaded: at once. */
  source = sb_history_create_flush_source (history);
  g_assert_cmpint (g_source_get_ready_time (source), ==, 0);
  g_source_unref (source);

  sb_history_set_threaded (history, TRUE);
  assert_pace_after_flush (history, 50000);
  for (gint64 interval = 100000; interval <= 250000; interval += 50000)
    {
      append_many (history, 2000);
      assert_pace_after_flush (history, interval);
    }
  append_many (history, 2000);
  assert_pace_after_flush (history, 250000);
  /* Nothing came: a step back, and another. */
  assert_pace_after_flush (history, 200000);
  assert_pace_after_flush (history, 150000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 5 * 2000);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint max_records;
  guint64 max_bytes;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == SB_TYPE_HISTORY_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (history), 0));
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 0);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 0);
  g_assert_cmpuint (sb_history_get_first_serial (history), ==, 0);
  g_assert_cmpuint (sb_history_get_next_serial (history), ==, 0);
  g_assert_cmpuint (sb_history_get_max_records (history), ==, SB_HISTORY_DEFAULT_MAX_RECORDS);
  g_assert_cmpuint (sb_history_get_max_bytes (history), ==, SB_HISTORY_DEFAULT_MAX_BYTES);

  g_object_get (history, "max-records", &max_records, "max-bytes", &max_bytes, NULL);
  g_assert_cmpuint (max_records, ==, SB_HISTORY_DEFAULT_MAX_RECORDS);
  g_assert_cmpuint (max_bytes, ==, SB_HISTORY_DEFAULT_MAX_BYTES);

  /* Flushing nothing emits nothing. */
  sb_history_flush (history);
  run_main_loop ();
  g_assert_cmpuint (fixture->n_emissions, ==, 0);
  g_assert_cmpuint (fixture->n_records_notifies, ==, 0);
}

static void
test_append_then_flush (Fixture       *fixture,
                        gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint peer = sb_history_intern_peer (history, "127.0.0.1:5000");
  const guint8 *bytes;
  gsize len;

  g_assert_cmpuint (sb_history_append (history, 111, SB_DIRECTION_RX, SB_EVENT_NONE, peer,
                                       (const guint8 *) "hello", 5), ==, 0);
  g_assert_cmpuint (sb_history_append (history, 222, SB_DIRECTION_TX, SB_EVENT_NONE, peer,
                                       (const guint8 *) "world!", 6), ==, 1);
  g_assert_cmpuint (sb_history_append (history, 333, SB_DIRECTION_EVENT, SB_EVENT_PEER_CLOSED,
                                       peer, NULL, 0), ==, 2);

  /* Not announced yet. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 0);
  g_assert_cmpuint (sb_history_get_next_serial (history), ==, 3);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 11);
  g_assert_false (sb_history_find_serial (history, 0, NULL));
  g_assert_cmpuint (fixture->n_emissions, ==, 0);

  sb_history_flush (history);
  g_assert_cmpuint (fixture->n_emissions, ==, 1);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_removed, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, 3);
  g_assert_cmpuint (fixture->n_records_notifies, ==, 1);

  /* The idle was cancelled by the explicit flush. */
  run_main_loop ();
  g_assert_cmpuint (fixture->n_emissions, ==, 1);

  g_assert_cmpuint (sb_history_get_serial (history, 1), ==, 1);
  g_assert_cmpint (sb_history_get_time (history, 0), ==, 111);
  g_assert_cmpint (sb_history_get_time (history, 2), ==, 333);
  g_assert_cmpint (sb_history_get_direction (history, 0), ==, SB_DIRECTION_RX);
  g_assert_cmpint (sb_history_get_direction (history, 1), ==, SB_DIRECTION_TX);
  g_assert_cmpint (sb_history_get_direction (history, 2), ==, SB_DIRECTION_EVENT);
  g_assert_cmpint (sb_history_get_event (history, 0), ==, SB_EVENT_NONE);
  g_assert_cmpint (sb_history_get_event (history, 2), ==, SB_EVENT_PEER_CLOSED);
  g_assert_cmpuint (sb_history_get_peer (history, 1), ==, peer);

  bytes = sb_history_peek_data (history, 1, &len);
  g_assert_cmpmem (bytes, len, "world!", 6);
  bytes = sb_history_peek_data (history, 2, &len);
  g_assert_nonnull (bytes);
  g_assert_cmpuint (len, ==, 0);
}

static void
test_batching (Fixture       *fixture,
               gconstpointer  data)
{
  SbHistory *history = fixture->history;

  append_n (history, 10000, 16);
  g_assert_cmpuint (fixture->n_emissions, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  /* One iteration of the main loop is enough: the flush is an idle. */
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (fixture->n_emissions, ==, 1);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, 10000);
  g_assert_cmpuint (fixture->n_records_notifies, ==, 1);
  run_main_loop ();
  g_assert_cmpuint (fixture->n_emissions, ==, 1);

  /* The next batch is announced after the first. */
  append_n (history, 500, 16);
  run_main_loop ();
  g_assert_cmpuint (fixture->n_emissions, ==, 2);
  g_assert_cmpuint (fixture->last_position, ==, 10000);
  g_assert_cmpuint (fixture->last_added, ==, 500);
  g_assert_cmpuint (fixture->mirror, ==, 10500);
}

static void
test_batching_capped (Fixture       *fixture,
                      gconstpointer  data)
{
  SbHistory *history = fixture->history;

  sb_history_set_limits (history, 1000, SB_HISTORY_DEFAULT_MAX_BYTES);
  append_n (history, 500, 8);
  run_main_loop ();
  reset_counts (fixture);

  append_n (history, 10000, 8);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 9500);
  g_assert_cmpuint (fixture->n_emissions, ==, 0);
  g_assert_cmpuint (fixture->n_dropped_notifies, ==, 0);

  run_main_loop ();
  /* The 500 announced were removed, the last 1000 added; the 9000 in
   * between were never announced. */
  g_assert_cmpuint (fixture->n_emissions, ==, 2);
  g_assert_cmpuint (fixture->n_removals, ==, 1);
  g_assert_cmpuint (fixture->n_additions, ==, 1);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, 1000);
  g_assert_cmpuint (fixture->n_dropped_notifies, ==, 1);
  g_assert_cmpuint (fixture->n_records_notifies, ==, 1);
  g_assert_cmpuint (sb_history_get_first_serial (history), ==, 9500);

  /* Steady state: 100 more drop 100 at the front and add 100 at the end. */
  reset_counts (fixture);
  append_n (history, 100, 8);
  run_main_loop ();
  g_assert_cmpuint (fixture->n_emissions, ==, 2);
  g_assert_cmpuint (fixture->n_removals, ==, 1);
  g_assert_cmpuint (fixture->last_position, ==, 900);
  g_assert_cmpuint (fixture->last_added, ==, 100);
  g_assert_cmpuint (fixture->mirror, ==, 1000);
  g_assert_cmpuint (sb_history_get_serial (history, 0), ==, 9600);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 9600);
  /* n-records did not change. */
  g_assert_cmpuint (fixture->n_records_notifies, ==, 0);
  g_assert_cmpuint (fixture->n_dropped_notifies, ==, 1);
}

static void
test_cap_count (Fixture       *fixture,
                gconstpointer  data)
{
  SbHistory *history = fixture->history;

  sb_history_set_limits (history, 100, SB_HISTORY_DEFAULT_MAX_BYTES);
  append_n (history, 250, 4);
  sb_history_flush (history);

  g_assert_cmpuint (sb_history_get_n_records (history), ==, 100);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 150);
  g_assert_cmpuint (sb_history_get_n_cleared (history), ==, 0);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 400);
  g_assert_cmpuint (sb_history_get_first_serial (history), ==, 150);
  g_assert_cmpuint (sb_history_get_next_serial (history), ==, 250);

  /* The survivors are the newest, with their own bytes. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GBytes) bytes = sb_history_dup_data (history, i);
      guint value;

      g_assert_cmpuint (g_bytes_get_size (bytes), ==, 4);
      memcpy (&value, g_bytes_get_data (bytes, NULL), 4);
      g_assert_cmpuint (value, ==, 150 + i);
      g_assert_cmpint (sb_history_get_time (history, i), ==, 150 + i);
    }
}

static void
test_cap_bytes (Fixture       *fixture,
                gconstpointer  data)
{
  SbHistory *history = fixture->history;
  g_autofree guint8 *big = g_malloc0 (5000);

  sb_history_set_limits (history, 1000000, 1000);
  append_n (history, 300, 10);
  sb_history_flush (history);

  g_assert_cmpuint (sb_history_get_n_records (history), ==, 100);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 1000);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 200);

  /* 5 more bytes push one 10-byte record out. */
  append_bytes (history, SB_DIRECTION_TX, 0, "12345", 5);
  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 100);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 995);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 201);

  /* A record larger than the cap is kept alone: the newest always stays. */
  sb_history_append (history, 0, SB_DIRECTION_RX, SB_EVENT_NONE, 0, big, 5000);
  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 1);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 5000);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 301);

  append_bytes (history, SB_DIRECTION_RX, 0, "x", 1);
  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 1);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 1);
}

static void
test_lower_limits (Fixture       *fixture,
                   gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint64 max_bytes;

  append_n (history, 1000, 10);
  run_main_loop ();
  reset_counts (fixture);

  /* Lowering drops and announces at once, without the main loop. */
  g_object_set (history, "max-records", 600, NULL);
  g_assert_cmpuint (fixture->n_emissions, ==, 1);
  g_assert_cmpuint (fixture->last_removed, ==, 400);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 600);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 400);
  g_assert_cmpuint (fixture->n_dropped_notifies, ==, 1);

  sb_history_set_limits (history, 600, 2000);
  g_assert_cmpuint (fixture->n_emissions, ==, 2);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 200);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 800);
  g_object_get (history, "max-bytes", &max_bytes, NULL);
  g_assert_cmpuint (max_bytes, ==, 2000);

  /* Raising them drops nothing. */
  sb_history_set_limits (history, 5000, 1000000);
  g_assert_cmpuint (fixture->n_emissions, ==, 2);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 200);
  run_main_loop ();
}

static void
test_clear (Fixture       *fixture,
            gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint64 n_cleared;

  sb_history_set_limits (history, 100, SB_HISTORY_DEFAULT_MAX_BYTES);
  append_n (history, 150, 8);
  run_main_loop ();
  append_n (history, 20, 8);    /* stored, not yet announced */
  reset_counts (fixture);

  sb_history_clear (history);
  g_assert_cmpuint (fixture->n_emissions, ==, 1);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_removed, ==, 100);
  g_assert_cmpuint (fixture->last_added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, 0);
  /* 50 were dropped by the cap before the clear, 20 more by the last
   * appends; the 100 stored then were cleared, not dropped. */
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 70);
  g_assert_cmpuint (sb_history_get_n_cleared (history), ==, 100);
  g_object_get (history, "n-cleared", &n_cleared, NULL);
  g_assert_cmpuint (n_cleared, ==, 100);
  g_assert_cmpuint (fixture->n_cleared_notifies, ==, 1);

  /* Nothing left to announce, and serials are never reused. */
  run_main_loop ();
  g_assert_cmpuint (fixture->n_emissions, ==, 1);
  g_assert_cmpuint (append_str (history, SB_DIRECTION_RX, 0, "again"), ==, 170);
  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_first_serial (history), ==, 170);
  g_assert_cmpuint (sb_history_get_serial (history, 0), ==, 170);

  /* Clearing an empty history changes nothing. */
  sb_history_clear (history);
  reset_counts (fixture);
  sb_history_clear (history);
  g_assert_cmpuint (fixture->n_emissions, ==, 0);
  g_assert_cmpuint (fixture->n_cleared_notifies, ==, 0);
  g_assert_cmpuint (sb_history_get_n_cleared (history), ==, 101);
}

static guint32
checksum (const guint8 *data,
          gsize         len)
{
  guint32 sum = 2166136261u;

  for (gsize i = 0; i < len; i++)
    sum = (sum ^ data[i]) * 16777619u;
  return sum;
}

static void
test_payload_sizes (Fixture       *fixture,
                    gconstpointer  data)
{
  SbHistory *history = fixture->history;
  const gsize sizes[] = { 0, 1, 65507, 1024 * 1024, 3, 128 * 1024 - 1, 128 * 1024,
                          1024 * 1024 - 5, 5 * 1024 * 1024 + 7, 0, 64, 1 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  GPtrArray *payloads = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (sizes) + 200; i++)
    {
      gsize len = i < G_N_ELEMENTS (sizes) ? sizes[i] : (gsize) g_rand_int_range (rand, 0, 70000);
      guint8 *buffer = g_malloc (len + 1);

      for (gsize j = 0; j < len; j++)
        buffer[j] = (guint8) g_rand_int (rand);
      g_assert_cmpuint (sb_history_append (history, i, SB_DIRECTION_RX, SB_EVENT_NONE, 0,
                                           buffer, len), ==, i);
      g_ptr_array_add (payloads, g_bytes_new_take (buffer, len));
      total += len;
    }

  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, payloads->len);
  g_assert_cmpuint (sb_history_get_n_bytes (history), ==, total);

  for (guint i = 0; i < payloads->len; i++)
    {
      GBytes *expected = g_ptr_array_index (payloads, i);
      g_autoptr(GBytes) got = sb_history_dup_data (history, i);
      g_autoptr(SbHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (history), i);
      g_autoptr(GBytes) from_item = sb_history_item_dup_data (item);
      const guint8 *peeked;
      gsize len;

      g_assert_true (g_bytes_equal (expected, got));
      g_assert_true (g_bytes_equal (expected, from_item));
      g_assert_cmpuint (sb_history_item_get_length (item), ==, g_bytes_get_size (expected));

      peeked = sb_history_peek_data (history, i, &len);
      g_assert_cmpuint (len, ==, g_bytes_get_size (expected));
      g_assert_cmpuint (checksum (peeked, len), ==,
                        checksum (g_bytes_get_data (expected, NULL), g_bytes_get_size (expected)));
    }

  g_ptr_array_unref (payloads);
}

static void
test_out_of_range (Fixture       *fixture,
                   gconstpointer  data)
{
  SbHistory *history = fixture->history;
  gpointer item;

  append_n (history, 3, 4);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (history), 0));
  sb_history_flush (history);

  item = g_list_model_get_item (G_LIST_MODEL (history), 2);
  g_assert_nonnull (item);
  g_object_unref (item);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (history), 3));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (history), G_MAXUINT));
  g_assert_null (g_list_model_get_object (G_LIST_MODEL (history), 100));
}

static void
test_item_outlives_record (Fixture       *fixture,
                           gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint peer = sb_history_intern_peer (history, "[::1]:7");
  g_autoptr(SbHistoryItem) item = NULL;
  g_autoptr(GBytes) bytes = NULL;

  sb_history_set_limits (history, 10, SB_HISTORY_DEFAULT_MAX_BYTES);
  sb_history_append (history, 4242, SB_DIRECTION_TX, SB_EVENT_NONE, peer,
                     (const guint8 *) "payload", 7);
  sb_history_flush (history);

  item = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_true (sb_history_item_get_history (item) == history);
  bytes = sb_history_item_dup_data (item);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "payload", 7);
  g_clear_pointer (&bytes, g_bytes_unref);

  /* Dropped from the store, not yet announced: the data is gone already. */
  append_n (history, 10, 4);
  g_assert_null (sb_history_item_dup_data (item));
  sb_history_flush (history);
  g_assert_null (sb_history_item_dup_data (item));

  /* The fixed fields stay. */
  g_assert_cmpuint (sb_history_item_get_serial (item), ==, 0);
  g_assert_cmpint (sb_history_item_get_time (item), ==, 4242);
  g_assert_cmpint (sb_history_item_get_direction (item), ==, SB_DIRECTION_TX);
  g_assert_cmpint (sb_history_item_get_event (item), ==, SB_EVENT_NONE);
  g_assert_cmpuint (sb_history_item_get_peer (item), ==, peer);
  g_assert_cmpstr (sb_history_item_get_peer_label (item), ==, "[::1]:7");
  g_assert_cmpuint (sb_history_item_get_length (item), ==, 7);

  /* The same after a clear. */
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (history), 0);
  sb_history_clear (history);
  g_assert_null (sb_history_item_dup_data (item));
  g_assert_cmpuint (sb_history_item_get_length (item), ==, 4);
}

static void
test_unannounced_drop (Fixture       *fixture,
                       gconstpointer  data)
{
  SbHistory *history = fixture->history;
  g_autoptr(SbHistoryItem) item = NULL;
  g_autofree char *text = NULL;
  gsize len = 99;

  sb_history_set_limits (history, 5, SB_HISTORY_DEFAULT_MAX_BYTES);
  append_n (history, 5, 4);
  sb_history_flush (history);

  /* Two records dropped from the store; positions still refer to the
   * announced state and the dropped ones answer as empty records. */
  append_n (history, 2, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 5);
  g_assert_cmpuint (sb_history_get_first_serial (history), ==, 0);
  g_assert_cmpuint (sb_history_get_serial (history, 1), ==, 1);
  g_assert_null (sb_history_peek_data (history, 1, &len));
  g_assert_cmpuint (len, ==, 0);
  g_assert_null (sb_history_dup_data (history, 0));
  g_assert_cmpint (sb_history_get_direction (history, 0), ==, SB_DIRECTION_EVENT);
  g_assert_false (sb_history_find_serial (history, 1, NULL));
  item = g_list_model_get_item (G_LIST_MODEL (history), 1);
  g_assert_nonnull (item);
  g_assert_cmpuint (sb_history_item_get_serial (item), ==, 1);
  g_assert_null (sb_history_item_dup_data (item));
  text = decode (history, 0, "hex");
  g_assert_cmpstr (text, ==, "");

  /* Position 2 is still serial 2, which is stored. */
  g_assert_nonnull (sb_history_peek_data (history, 2, &len));
  g_assert_cmpuint (len, ==, 4);
  g_assert_cmpint (sb_history_get_time (history, 2), ==, 2);

  run_main_loop ();
  g_assert_cmpuint (sb_history_get_first_serial (history), ==, 2);
  g_assert_cmpint (sb_history_get_time (history, 0), ==, 2);
}

static void
append_in_handler_cb (GListModel *model,
                      guint       position,
                      guint       removed,
                      guint       added,
                      guint      *n_left)
{
  if (*n_left == 0)
    return;
  (*n_left)--;
  append_n (SB_HISTORY (model), 3, 4);
  /* What was announced so far is what the model shows. */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==,
                    sb_history_get_n_records (SB_HISTORY (model)));
}

static void
test_reentrant_append (Fixture       *fixture,
                       gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint n_left = 2;

  /* A handler of items-changed that appends (and so drops, over the cap)
   * while the flush is announcing; the checker verifies every emission. */
  sb_history_set_limits (history, 4, SB_HISTORY_DEFAULT_MAX_BYTES);
  g_signal_connect (history, "items-changed", G_CALLBACK (append_in_handler_cb), &n_left);
  append_n (history, 4, 4);
  sb_history_flush (history);
  run_main_loop ();

  g_assert_cmpuint (n_left, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 4);
  g_assert_cmpuint (fixture->mirror, ==, 4);
  g_assert_cmpuint (sb_history_get_first_serial (history), ==, 6);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 6);
  for (guint i = 0; i < 4; i++)
    g_assert_nonnull (sb_history_peek_data (history, i, NULL));
}

static void
test_find_serial (Fixture       *fixture,
                  gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint position = 12345;

  sb_history_set_limits (history, 50, SB_HISTORY_DEFAULT_MAX_BYTES);
  append_n (history, 80, 4);
  sb_history_flush (history);

  g_assert_false (sb_history_find_serial (history, 0, &position));
  g_assert_false (sb_history_find_serial (history, 29, &position));
  g_assert_cmpuint (position, ==, 12345);
  g_assert_true (sb_history_find_serial (history, 30, &position));
  g_assert_cmpuint (position, ==, 0);
  g_assert_true (sb_history_find_serial (history, 79, &position));
  g_assert_cmpuint (position, ==, 49);
  g_assert_false (sb_history_find_serial (history, 80, &position));

  /* Appended but not announced: not visible yet. */
  append_n (history, 1, 4);
  g_assert_false (sb_history_find_serial (history, 80, &position));
  sb_history_flush (history);
  g_assert_true (sb_history_find_serial (history, 80, &position));
  g_assert_cmpuint (position, ==, 49);
  g_assert_cmpuint (sb_history_get_serial (history, position), ==, 80);
  g_assert_false (sb_history_find_serial (history, G_MAXUINT64, NULL));
}

static void
test_peers (Fixture       *fixture,
            gconstpointer  data)
{
  SbHistory *history = fixture->history;
  g_autofree char *label = g_strdup ("10.0.0.1:80");
  guint a, b, a2;

  a = sb_history_intern_peer (history, label);
  b = sb_history_intern_peer (history, "10.0.0.2:80");
  g_assert_cmpuint (a, !=, 0);
  g_assert_cmpuint (b, !=, 0);
  g_assert_cmpuint (a, !=, b);

  /* Same label, same id, whatever the pointer. */
  label[0] = '1';
  g_clear_pointer (&label, g_free);
  a2 = sb_history_intern_peer (history, "10.0.0.1:80");
  g_assert_cmpuint (a, ==, a2);

  g_assert_cmpstr (sb_history_get_peer_label (history, 0), ==, "");
  g_assert_cmpstr (sb_history_get_peer_label (history, a), ==, "10.0.0.1:80");
  g_assert_cmpstr (sb_history_get_peer_label (history, b), ==, "10.0.0.2:80");

  /* Labels stay after their records are gone. */
  append_str (history, SB_DIRECTION_RX, b, "x");
  sb_history_clear (history);
  g_assert_cmpstr (sb_history_get_peer_label (history, b), ==, "10.0.0.2:80");
  g_assert_cmpuint (sb_history_intern_peer (history, "10.0.0.2:80"), ==, b);

  /* Many peers. */
  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("192.168.0.%u:%u", i % 256, i);
      guint id = sb_history_intern_peer (history, name);

      g_assert_cmpstr (sb_history_get_peer_label (history, id), ==, name);
    }
}

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint peer = sb_history_intern_peer (history, "peer");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *expected = NULL;
  gint64 before = g_get_real_time ();

  sb_history_append_event (history, SB_EVENT_ERROR, peer, "连接被拒绝\n(refused)");
  sb_history_append_event (history, SB_EVENT_STOPPED, 0, NULL);
  sb_history_flush (history);

  g_assert_cmpint (sb_history_get_direction (history, 0), ==, SB_DIRECTION_EVENT);
  g_assert_cmpint (sb_history_get_event (history, 0), ==, SB_EVENT_ERROR);
  g_assert_cmpuint (sb_history_get_peer (history, 0), ==, peer);
  g_assert_cmpint (sb_history_get_time (history, 0), >=, before);
  g_assert_cmpint (sb_history_get_time (history, 0), <=, g_get_real_time ());
  bytes = sb_history_dup_data (history, 0);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "连接被拒绝\n(refused)", strlen ("连接被拒绝\n(refused)"));

  /* An event is its message, whatever the encoding of the view. */
  text = decode (history, 0, "GBK");
  g_assert_cmpstr (text, ==, "连接被拒绝\n(refused)");
  hex = decode (history, 0, SB_ENCODING_HEX);
  g_assert_cmpstr (hex, ==, "连接被拒绝\n(refused)");
  escaped = sb_history_decode (history, 0, "UTF-8", SB_DECODE_ESCAPE_CONTROLS, NULL);
  expected = sb_codec_decode ("UTF-8", (const guint8 *) "连接被拒绝\n(refused)",
                              strlen ("连接被拒绝\n(refused)"), SB_DECODE_ESCAPE_CONTROLS, NULL);
  g_assert_cmpstr (escaped, ==, expected);
  g_assert_null (strchr (escaped, '\n'));

  g_clear_pointer (&text, g_free);
  text = decode (history, 1, "UTF-8");
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpint (sb_history_get_event (history, 1), ==, SB_EVENT_STOPPED);
}

static void
test_stable_storage (Fixture       *fixture,
                     gconstpointer  data)
{
  SbHistory *history = fixture->history;
  const guint8 *first, *later;
  gsize len;

  /* Records and payloads never move once written: appending does not
   * reallocate or copy what is stored, whatever the length. */
  append_str (history, SB_DIRECTION_RX, 0, "first record");
  sb_history_flush (history);
  first = sb_history_peek_data (history, 0, &len);

  append_n (history, 200000, 64);
  sb_history_flush (history);
  later = sb_history_peek_data (history, 0, &len);
  g_assert_true (first == later);
  g_assert_cmpmem (later, len, "first record", 12);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 200001);
}

static void
test_notify_batched (Fixture       *fixture,
                     gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint n_records;
  guint64 n_dropped;

  sb_history_set_limits (history, 10, SB_HISTORY_DEFAULT_MAX_BYTES);
  reset_counts (fixture);

  append_n (history, 1000, 4);
  g_assert_cmpuint (fixture->n_records_notifies, ==, 0);
  g_assert_cmpuint (fixture->n_dropped_notifies, ==, 0);

  run_main_loop ();
  g_assert_cmpuint (fixture->n_records_notifies, ==, 1);
  g_assert_cmpuint (fixture->n_dropped_notifies, ==, 1);
  g_object_get (history, "n-records", &n_records, "n-dropped", &n_dropped, NULL);
  g_assert_cmpuint (n_records, ==, 10);
  g_assert_cmpuint (n_dropped, ==, 990);

  /* Nothing changed, nothing notified. */
  sb_history_flush (history);
  g_assert_cmpuint (fixture->n_records_notifies, ==, 1);
  g_assert_cmpuint (fixture->n_dropped_notifies, ==, 1);
}

/* Under ThreadSanitizer (tools/test --tsan) every byte of the records has
 * its shadow, resident too: the bound below means nothing there. */
static gboolean
running_under_tsan (void)
{
#if defined(__SANITIZE_THREAD__)
  return TRUE;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
  return TRUE;
#endif
#endif
  return FALSE;
}

static void
test_memory (Fixture       *fixture,
             gconstpointer  data)
{
  SbHistory *history = fixture->history;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint8 payload[64];
  long pages_before, pages_after;
  double mib;

  if (running_under_tsan ())
    {
      g_test_skip ("ThreadSanitizer's shadow memory is resident with the records");
      return;
    }
  if (!g_file_get_contents ("/proc/self/statm", &before, NULL, NULL))
    {
      g_test_skip ("no /proc/self/statm");
      return;
    }

  memset (payload, 'x', sizeof payload);
  for (guint i = 0; i < 1000000; i++)
    sb_history_append (history, i, SB_DIRECTION_RX, SB_EVENT_NONE, 0, payload, sizeof payload);
  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 1000000);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, 0);

  g_assert_true (g_file_get_contents ("/proc/self/statm", &after, NULL, NULL));
  /* Second field: resident pages. */
  pages_before = strtol (strchr (before, ' ') + 1, NULL, 10);
  pages_after = strtol (strchr (after, ' ') + 1, NULL, 10);
  mib = (double) (pages_after - pages_before) * sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
  g_test_message ("1,000,000 records of 64 bytes: %.1f MiB resident", mib);
  /* 64 MB of payload + 32 MB of records. */
  g_assert_cmpfloat (mib, <, 120.0);
}

/* Decode */

static void
test_decode_split_utf8 (Fixture       *fixture,
                        gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint peer = sb_history_intern_peer (history, "a");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  /* 中 = e4 b8 ad, cut after its first byte. */
  append_bytes (history, SB_DIRECTION_RX, peer, "ab\xe4", 3);
  sb_history_flush (history);

  /* Alone, the cut character is shown as escapes... */
  first = decode (history, 0, "UTF-8");
  second = codec_decode ("UTF-8", "ab\xe4", 3);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpstr (first, !=, "ab");
  g_clear_pointer (&first, g_free);
  g_clear_pointer (&second, g_free);

  /* ...and once the rest arrives, whole in the later record only. */
  append_bytes (history, SB_DIRECTION_RX, peer, "\xb8\xad" "cd", 4);
  sb_history_flush (history);
  first = decode (history, 0, "UTF-8");
  second = decode (history, 1, "UTF-8");
  g_assert_cmpstr (first, ==, "ab");
  g_assert_cmpstr (second, ==, "中cd");

  /* Hex is each record's own bytes. */
  third = decode (history, 1, "hex");
  g_assert_cmpstr (third, ==, "b8 ad 63 64");
}

static void
test_decode_split_gbk (Fixture       *fixture,
                       gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint peer = sb_history_intern_peer (history, "gbk");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));

  /* 中文 in GBK = d6 d0 ce c4, cut inside 文. */
  append_bytes (history, SB_DIRECTION_TX, peer, "\xd6\xd0\xce", 3);
  append_bytes (history, SB_DIRECTION_TX, peer, "\xc4", 1);
  sb_history_flush (history);

  first = sb_history_decode (history, 0, "GBK", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (first, ==, "中");
  g_assert_cmpuint (marks->len, ==, 0);
  second = sb_history_decode (history, 1, "GBK", SB_DECODE_DEFAULT, marks);
  g_assert_cmpstr (second, ==, "文");
  g_assert_cmpuint (marks->len, ==, 0);
}

static void
test_decode_four_records (Fixture       *fixture,
                          gconstpointer  data)
{
  SbHistory *history = fixture->history;
  /* 😀 = f0 9f 98 80, one byte per record. */
  const char bytes[] = "\xf0\x9f\x98\x80";

  for (guint i = 0; i < 4; i++)
    append_bytes (history, SB_DIRECTION_RX, 0, bytes + i, 1);
  sb_history_flush (history);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = decode (history, i, "UTF-8");

      g_assert_cmpstr (text, ==, "");
    }
  {
    g_autofree char *text = decode (history, 3, "UTF-8");

    g_assert_cmpstr (text, ==, "😀");
  }
}

static void
test_decode_interleaved (Fixture       *fixture,
                         gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint a = sb_history_intern_peer (history, "a");
  guint b = sb_history_intern_peer (history, "b");
  const char *expected[] = { "x", "", "国", "中", "z", "!", "é" };

  /* Two peers and two directions, each cutting its own character:
   *   a rx: "x" e4 | b8 ad        中
   *   b rx: e5 9b | bd            国
   *   a tx: "z" c3 | a9           é   (after a's rx record) */
  append_bytes (history, SB_DIRECTION_RX, a, "x\xe4", 2);     /* 0 */
  append_bytes (history, SB_DIRECTION_RX, b, "\xe5\x9b", 2);  /* 1 */
  append_bytes (history, SB_DIRECTION_RX, b, "\xbd", 1);      /* 2 */
  append_bytes (history, SB_DIRECTION_RX, a, "\xb8\xad", 2);  /* 3 */
  append_bytes (history, SB_DIRECTION_TX, a, "z\xc3", 2);     /* 4 */
  append_bytes (history, SB_DIRECTION_RX, b, "!", 1);         /* 5 */
  append_bytes (history, SB_DIRECTION_TX, a, "\xa9", 1);      /* 6 */
  sb_history_flush (history);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *text = decode (history, i, "UTF-8");

      g_assert_cmpstr (text, ==, expected[i]);
    }
}

static void
test_decode_lost_start (Fixture       *fixture,
                        gconstpointer  data)
{
  SbHistory *history = fixture->history;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));

  /* The record holding the first byte of 中 is dropped: the rest is shown
   * as escapes, not silently lost. */
  sb_history_set_limits (history, 1, SB_HISTORY_DEFAULT_MAX_BYTES);
  append_bytes (history, SB_DIRECTION_RX, 0, "\xe4", 1);
  append_bytes (history, SB_DIRECTION_RX, 0, "\xb8\xad" "ok", 4);
  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 1);

  text = sb_history_decode (history, 0, "UTF-8", SB_DECODE_DEFAULT, marks);
  expected = codec_decode ("UTF-8", "\xb8\xad" "ok", 4);
  g_assert_cmpstr (text, ==, expected);
  g_assert_true (g_str_has_suffix (text, "ok"));
  g_assert_cmpuint (marks->len, >, 0);
}

static void
test_decode_boundary (Fixture       *fixture,
                      gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint peer = sb_history_intern_peer (history, "p");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *expected_first = NULL;
  g_autofree char *expected_second = NULL;

  /* A reconnect ends the stream: nothing is carried over it. */
  append_bytes (history, SB_DIRECTION_RX, peer, "a\xe4", 2);
  sb_history_append_event (history, SB_EVENT_DISCONNECTED, peer, "bye");
  sb_history_append_event (history, SB_EVENT_CONNECTED, peer, "hello");
  append_bytes (history, SB_DIRECTION_RX, peer, "\xb8\xad", 2);
  sb_history_flush (history);

  first = decode (history, 0, "UTF-8");
  second = decode (history, 3, "UTF-8");
  expected_first = codec_decode ("UTF-8", "a\xe4", 2);
  expected_second = codec_decode ("UTF-8", "\xb8\xad", 2);
  g_assert_cmpstr (first, ==, expected_first);
  g_assert_cmpstr (second, ==, expected_second);
}

static void
check_stream_lossless (SbHistory  *history,
                       const char *encoding,
                       GBytes     *bytes,
                       guint       seed,
                       guint       max_record)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autofree char *whole = NULL;
  guint other = sb_history_intern_peer (history, "other");
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  g_byte_array_append (stream, data, size);
  g_byte_array_append (stream, (const guint8 *) "\xe4\xb8", 2);  /* unfinished */

  sb_history_clear (history);
  for (gsize at = 0; at < stream->len;)
    {
      /* Not inside MIN (): it would draw twice. */
      gsize len = (gsize) g_rand_int_range (rand, 1, max_record + 1);

      len = MIN (len, stream->len - at);

      append_bytes (history, SB_DIRECTION_RX, 0, (const char *) stream->data + at, len);
      /* Other streams in between must not disturb it. */
      append_bytes (history, SB_DIRECTION_TX, 0, "\xff\xd6", 2);
      append_bytes (history, SB_DIRECTION_RX, other, "\xb8", 1);
      at += len;
    }
  sb_history_flush (history);

  for (guint i = 0; i < sb_history_get_n_records (history); i += 3)
    {
      g_autofree char *part = decode (history, i, encoding);

      g_string_append (joined, part);
    }
  whole = codec_decode (encoding, (const char *) stream->data, stream->len);
  g_assert_cmpmem (joined->str, joined->len, whole, strlen (whole));
}

static void
test_decode_stream_lossless (Fixture       *fixture,
                             gconstpointer  data)
{
  SbHistory *history = fixture->history;
  const char *mixed = "Sockbench 套接字工作台 — ünïcödé, 😀 and \x01 bytes.";
  const struct { const char *encoding; const char *text; } cases[] = {
    { "UTF-8", mixed },
    { "GBK",   "套接字工作台：发送、接收，每一个字节都在。" },
    { "Big5",  "網路通訊端工作台：傳送與接收。" },
    /* Spaces and line ends: the decode stops looking back at them. */
    { "GB18030", "套接字 工作台\r\n发送、接收 😀 € 每一个字节都在。\n第二行 2026 年\r\n" },
    { "GBK",   "中文分割\r\n中文 分割 中文 分割\r\n" },
    { "Shift_JIS", "ソケット ワークベンチ\r\n送信 と 受信。\n" },
    { "EUC-KR", "소켓 작업대\r\n보내기 받기\n" },
    { "UTF-16LE", "套接字 ok\n😀 two\n" },
  };

  /* Cut a stream anywhere: its rows together show exactly what the whole
   * stream shows, every byte once. Also for bytes that are not text in the
   * encoding (UTF-8 bytes seen as GBK). */
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GBytes) encoded = sb_codec_encode (cases[c].encoding, cases[c].text, -1, NULL, NULL);
      g_autoptr(GBytes) raw = g_bytes_new_static (mixed, strlen (mixed));

      g_assert_nonnull (encoded);
      for (guint seed = 0; seed < 20; seed++)
        {
          check_stream_lossless (history, cases[c].encoding, encoded, seed, 4);
          check_stream_lossless (history, cases[c].encoding, encoded, seed, 64);
          check_stream_lossless (history, cases[c].encoding, raw, seed, 4);
          check_stream_lossless (history, cases[c].encoding, raw, seed, 64);
        }
    }
}

static void
test_decode_unsupported (Fixture       *fixture,
                         gconstpointer  data)
{
  SbHistory *history = fixture->history;
  g_autofree char *text = NULL;

  append_bytes (history, SB_DIRECTION_RX, 0, "AB", 2);
  sb_history_flush (history);

  /* An encoding iconv does not know shows the bytes as hex. */
  text = decode (history, 0, "NO-SUCH-ENCODING-42");
  g_assert_cmpstr (text, ==, "41 42");
}

/* What a record's text covers: the byte inspector lines bytes up with it. */
static void
test_decode_span (Fixture       *fixture,
                  gconstpointer  data)
{
  SbHistory *history = fixture->history;
  guint peer = sb_history_intern_peer (history, "p");
  SbStreamSpan span;

  /* GBK 中文分割\r\n as d6 d0 ce + c4 b7 d6 b8 ee 0d 0a. */
  append_bytes (history, SB_DIRECTION_RX, peer, "\xd6\xd0\xce", 3);
  append_bytes (history, SB_DIRECTION_RX, peer, "\xc4\xb7\xd6\xb8\xee\r\n", 7);
  sb_history_append_event (history, SB_EVENT_INFO, peer, "note");
  sb_history_flush (history);

  g_assert_true (sb_history_get_stream_span (history, 0, "GBK", &span));
  g_assert_cmpuint (span.carry_len, ==, 0);
  g_assert_cmpuint (span.handed_on, ==, 1);
  g_assert_false (span.truncated);

  g_assert_true (sb_history_get_stream_span (history, 1, "GBK", &span));
  g_assert_cmpuint (span.carry_len, ==, 1);
  g_assert_cmpuint (span.carry[0], ==, 0xce);
  g_assert_cmpuint (span.handed_on, ==, 0);

  /* Read alone, hex and events have no span. */
  g_assert_false (sb_history_get_stream_span (history, 1, SB_ENCODING_HEX, &span));
  g_assert_false (sb_history_get_stream_span (history, 2, "GBK", &span));
  g_assert_cmpuint (span.carry_len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/history/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/history/names", test_names);
  g_test_add_func ("/history/pace", test_pace);
  ADD ("empty", test_empty);
  ADD ("append-then-flush", test_append_then_flush);
  ADD ("batching", test_batching);
  ADD ("batching-capped", test_batching_capped);
  ADD ("cap-count", test_cap_count);
  ADD ("cap-bytes", test_cap_bytes);
  ADD ("lower-limits", test_lower_limits);
  ADD ("clear", test_clear);
  ADD ("payload-sizes", test_payload_sizes);
  ADD ("out-of-range", test_out_of_range);
  ADD ("item-outlives-record", test_item_outlives_record);
  ADD ("unannounced-drop", test_unannounced_drop);
  ADD ("reentrant-append", test_reentrant_append);
  ADD ("find-serial", test_find_serial);
  ADD ("peers", test_peers);
  ADD ("events", test_events);
  ADD ("stable-storage", test_stable_storage);
  ADD ("notify-batched", test_notify_batched);
  ADD ("memory", test_memory);
  ADD ("decode/split-utf8", test_decode_split_utf8);
  ADD ("decode/split-gbk", test_decode_split_gbk);
  ADD ("decode/four-records", test_decode_four_records);
  ADD ("decode/interleaved", test_decode_interleaved);
  ADD ("decode/lost-start", test_decode_lost_start);
  ADD ("decode/boundary", test_decode_boundary);
  ADD ("decode/stream-lossless", test_decode_stream_lossless);
  ADD ("decode/unsupported", test_decode_unsupported);
  ADD ("decode/span", test_decode_span);

#undef ADD

  return g_test_run ();
}
