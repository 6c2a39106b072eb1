/* test-search.c — SbSearch: text and hex patterns over a history, without
 * a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "sb-search.h"

typedef struct
{
  SbHistory *history;
  SbSearch  *search;
  guint      peer;
  guint      n_changed;
} Fixture;

static void
changed_cb (SbSearch *search,
            Fixture  *fixture)
{
  fixture->n_changed++;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->history = sb_history_new ();
  fixture->peer = sb_history_intern_peer (fixture->history, "127.0.0.1:5000");
  fixture->search = sb_search_new (fixture->history);
  g_signal_connect (fixture->search, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_assert_finalize_object (fixture->search);
  g_assert_finalize_object (fixture->history);
}

static guint64
append (Fixture     *fixture,
        SbDirection  direction,
        const char  *bytes,
        gssize       len)
{
  if (len < 0)
    len = strlen (bytes);
  return sb_history_append (fixture->history, g_get_real_time (), direction, SB_EVENT_NONE,
                            fixture->peer, (const guint8 *) bytes, len);
}

/* Scans everything announced, as the idle would, without a main loop. */
static void
scan_all (Fixture *fixture)
{
  while (sb_search_scan_step (fixture->search, 3))
    ;
}

static void
test_no_pattern (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(SbHistoryItem) item = NULL;

  append (fixture, SB_DIRECTION_RX, "hello", -1);
  sb_history_flush (fixture->history);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);

  g_assert_false (sb_search_has_pattern (fixture->search));
  g_assert_true (sb_search_matches_item (fixture->search, item));
  g_assert_false (sb_search_scan_step (fixture->search, 100));
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 0);

  /* "" is no search either. */
  g_assert_true (sb_search_set_pattern (fixture->search, "", FALSE, "UTF-8", NULL));
  g_assert_false (sb_search_has_pattern (fixture->search));
}

static void
test_text (Fixture       *fixture,
           gconstpointer  data)
{
  guint64 a, b, c;

  a = append (fixture, SB_DIRECTION_RX, "GET /index HTTP/1.1", -1);
  append (fixture, SB_DIRECTION_TX, "nothing here", -1);
  sb_history_append_event (fixture->history, SB_EVENT_INFO, fixture->peer, "index of events");
  b = append (fixture, SB_DIRECTION_TX, "the index again", -1);
  c = append (fixture, SB_DIRECTION_RX, "index", -1);
  sb_history_flush (fixture->history);

  g_assert_true (sb_search_set_pattern (fixture->search, "index", FALSE, "UTF-8", NULL));
  g_assert_true (sb_search_has_pattern (fixture->search));
  scan_all (fixture);

  /* Events never match: their text is not bytes that crossed. */
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 3);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 0), ==, a);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 1), ==, b);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 2), ==, c);
  g_assert_cmpuint (sb_search_find_index (fixture->search, a + 1), ==, 1);
  g_assert_cmpuint (sb_search_find_index (fixture->search, c + 1), ==, 3);

  /* Case matters: bytes are compared. */
  g_assert_true (sb_search_set_pattern (fixture->search, "INDEX", FALSE, "UTF-8", NULL));
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 0);
}

static void
test_encoding (Fixture       *fixture,
               gconstpointer  data)
{
  /* "你好" in GBK and in UTF-8. */
  guint64 gbk = append (fixture, SB_DIRECTION_RX, "\xc4\xe3\xba\xc3", -1);
  guint64 utf8 = append (fixture, SB_DIRECTION_RX, "\xe4\xbd\xa0\xe5\xa5\xbd", -1);
  guint64 serial;

  sb_history_flush (fixture->history);

  g_assert_true (sb_search_set_pattern (fixture->search, "你好", FALSE, "GBK", NULL));
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 1);
  g_assert_true (sb_search_step (fixture->search, -1, TRUE, &serial));
  g_assert_cmpuint (serial, ==, gbk);

  g_assert_true (sb_search_set_pattern (fixture->search, "你好", FALSE, "UTF-8", NULL));
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 1);
  g_assert_true (sb_search_step (fixture->search, -1, TRUE, &serial));
  g_assert_cmpuint (serial, ==, utf8);
}

static void
test_hex (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(SbHistoryItem) item = NULL;
  guint64 with_nul;

  append (fixture, SB_DIRECTION_RX, "abc", -1);
  with_nul = append (fixture, SB_DIRECTION_RX, "a\0\xff" "b", 4);
  sb_history_flush (fixture->history);

  g_assert_true (sb_search_set_pattern (fixture->search, "00 FF", TRUE, "UTF-8", NULL));
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 1);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 0), ==, with_nul);

  /* The filter asks the same question of an item. */
  item = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  g_assert_false (sb_search_matches_item (fixture->search, item));
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->history), 1);
  g_assert_true (sb_search_matches_item (fixture->search, item));
}

static void
test_bad_pattern (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  append (fixture, SB_DIRECTION_RX, "abc", -1);
  sb_history_flush (fixture->history);

  g_assert_false (sb_search_set_pattern (fixture->search, "4g", TRUE, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_false (sb_search_has_pattern (fixture->search));
  g_clear_error (&error);

  /* A character the encoding cannot write. */
  g_assert_false (sb_search_set_pattern (fixture->search, "€", FALSE, "ISO-8859-1", &error));
  g_assert_nonnull (error);
  g_assert_false (sb_search_has_pattern (fixture->search));
}

static void
test_step (Fixture       *fixture,
           gconstpointer  data)
{
  guint64 m[3], serial;

  m[0] = append (fixture, SB_DIRECTION_RX, "x1", -1);
  append (fixture, SB_DIRECTION_RX, "y", -1);
  m[1] = append (fixture, SB_DIRECTION_RX, "x2", -1);
  append (fixture, SB_DIRECTION_RX, "y", -1);
  m[2] = append (fixture, SB_DIRECTION_RX, "x3", -1);
  sb_history_flush (fixture->history);

  g_assert_false (sb_search_step (fixture->search, -1, TRUE, &serial));
  g_assert_true (sb_search_set_pattern (fixture->search, "x", FALSE, "UTF-8", NULL));
  scan_all (fixture);

  g_assert_true (sb_search_step (fixture->search, -1, TRUE, &serial));
  g_assert_cmpuint (serial, ==, m[0]);
  g_assert_true (sb_search_step (fixture->search, -1, FALSE, &serial));
  g_assert_cmpuint (serial, ==, m[2]);
  g_assert_true (sb_search_step (fixture->search, m[0], TRUE, &serial));
  g_assert_cmpuint (serial, ==, m[1]);
  /* From a row between matches. */
  g_assert_true (sb_search_step (fixture->search, m[1] + 1, TRUE, &serial));
  g_assert_cmpuint (serial, ==, m[2]);
  g_assert_true (sb_search_step (fixture->search, m[1] + 1, FALSE, &serial));
  g_assert_cmpuint (serial, ==, m[1]);
  /* Wrapping around both ways. */
  g_assert_true (sb_search_step (fixture->search, m[2], TRUE, &serial));
  g_assert_cmpuint (serial, ==, m[0]);
  g_assert_true (sb_search_step (fixture->search, m[0], FALSE, &serial));
  g_assert_cmpuint (serial, ==, m[2]);
}

/* New records are scanned by the idle; records the cap drops take their
 * matches with them. */
static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  guint64 first, last = 0;

  sb_history_set_limits (fixture->history, 10, SB_HISTORY_DEFAULT_MAX_BYTES);
  g_assert_true (sb_search_set_pattern (fixture->search, "ping", FALSE, "UTF-8", NULL));
  g_assert_false (sb_search_get_scanning (fixture->search));

  first = append (fixture, SB_DIRECTION_RX, "ping 0", -1);
  for (guint i = 1; i < 6; i++)
    last = append (fixture, SB_DIRECTION_RX, i % 2 ? "pong" : "ping", -1);
  sb_history_flush (fixture->history);
  g_assert_true (sb_search_get_scanning (fixture->search));
  fixture->n_changed = 0;
  while (sb_search_get_scanning (fixture->search))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fixture->n_changed, >, 0);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 3);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 0), ==, first);

  /* Ten more: the first six records leave, and their matches. */
  for (guint i = 0; i < 10; i++)
    last = append (fixture, SB_DIRECTION_RX, i == 9 ? "last ping" : "-", -1);
  sb_history_flush (fixture->history);
  while (sb_search_get_scanning (fixture->search))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 1);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 0), ==, last);

  /* A clear forgets them all. */
  sb_history_clear (fixture->history);
  sb_history_flush (fixture->history);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 0);
}

/* A long history is scanned in chunks: the main loop runs between them. */
static void
test_chunks (Fixture       *fixture,
             gconstpointer  data)
{
  guint n = SB_SEARCH_CHUNK * 2 + 10, iterations = 0;

  for (guint i = 0; i < n; i++)
    append (fixture, SB_DIRECTION_RX, i % 1000 == 0 ? "needle" : "hay", -1);
  sb_history_flush (fixture->history);

  g_assert_true (sb_search_set_pattern (fixture->search, "needle", FALSE, "UTF-8", NULL));
  g_assert_true (sb_search_get_scanning (fixture->search));
  while (sb_search_get_scanning (fixture->search))
    {
      g_main_context_iteration (NULL, TRUE);
      iterations++;
    }
  g_assert_cmpuint (iterations, >=, 3);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, (n + 999) / 1000);
}

/* Frames mode: the pattern is looked for in frames, whatever the reads. */
static void
test_frames (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbFrames) frames = NULL;
  guint64 number;

  /* Three lines; "beta" is cut across two reads; the last line grows. */
  append (fixture, SB_DIRECTION_RX, "alpha\nbe", -1);
  append (fixture, SB_DIRECTION_RX, "ta\ngam", -1);
  sb_history_flush (fixture->history);
  frames = sb_frames_new (fixture->history, NULL);
  g_assert_true (sb_frames_set_spec (frames, "line", &error));
  g_assert_no_error (error);
  sb_search_set_frames (fixture->search, frames);
  g_assert_true (sb_search_get_frames (fixture->search) == frames);

  g_assert_true (sb_search_set_pattern (fixture->search, "beta", FALSE, "UTF-8", &error));
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 1);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 0), ==, 1);   /* frame 1 */

  /* The frame in progress is scanned again as it grows. */
  g_assert_true (sb_search_set_pattern (fixture->search, "gamma", FALSE, "UTF-8", &error));
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 0);
  append (fixture, SB_DIRECTION_RX, "ma\n", -1);
  sb_history_flush (fixture->history);
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 1);
  g_assert_true (sb_search_step (fixture->search, -1, TRUE, &number));
  g_assert_cmpuint (number, ==, 2);

  /* Framed again: numbers start over, and so do the matches. */
  g_assert_true (sb_frames_set_spec (frames, "fixed:4", &error));
  scan_all (fixture);
  /* "alph" "a\nbe" "ta\nga" "mma\n": no frame holds "gamma" whole. */
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 0);
  g_assert_true (sb_search_set_pattern (fixture->search, "mma", FALSE, "UTF-8", &error));
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 1);
  g_assert_cmpuint (sb_search_get_match (fixture->search, 0), ==, 3);

  /* Back to the records: "mma" is cut across two reads, no record holds it. */
  sb_search_set_frames (fixture->search, NULL);
  scan_all (fixture);
  g_assert_cmpuint (sb_search_get_n_matches (fixture->search), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/search/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("no-pattern", test_no_pattern);
  ADD ("text", test_text);
  ADD ("encoding", test_encoding);
  ADD ("hex", test_hex);
  ADD ("bad-pattern", test_bad_pattern);
  ADD ("step", test_step);
  ADD ("live", test_live);
  ADD ("chunks", test_chunks);
  ADD ("frames", test_frames);

  return g_test_run ();
}
