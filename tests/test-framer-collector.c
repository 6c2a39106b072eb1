/* test-framer-collector.c — the frames a collector hands out: split at
 * every byte across feeds, several per feed, cut at the limit, ended with
 * the stream, stopped and freed from its function; and for every framer that
 * does not go by reads, the same frames as the marks of the whole stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-framer-collector.h"
#include "sb-test-util.h"

/* What a collector handed out, one line per frame: "C[abz]", with the
 * status (C complete, I incomplete, X cut, V invalid), ~ for the rest of a
 * cut frame, $ for one ended by its stream, +N for bytes skipped before it. */
typedef struct
{
  GString           *text;
  guint              n_frames;
  /* The read being fed: frames inside it must be handed out in place. */
  const guint8      *read;
  gsize              read_len;
  guint              n_in_place;
  /* Stop after this many frames (0: never); free this collector then. */
  guint              stop_after;
  SbFramerCollector *free_me;
} Got;

static void
describe_frame (GString           *out,
                const guint8      *data,
                gsize              len,
                const SbFrameInfo *info)
{
  if (out->len > 0)
    g_string_append_c (out, ' ');
  g_string_append_c (out, "CIXV"[info->status]);
  if (info->skipped > 0)
    g_string_append_printf (out, "+%" G_GUINT64_FORMAT, info->skipped);
  if (info->flags & SB_FRAME_FLAG_CONTINUATION)
    g_string_append_c (out, '~');
  if (info->flags & SB_FRAME_FLAG_STREAM_ENDED)
    g_string_append_c (out, '$');
  g_string_append_c (out, '[');
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\')
        g_string_append_c (out, (char) data[i]);
      else
        g_string_append_printf (out, "\\x%02x", data[i]);
    }
  g_string_append_c (out, ']');
}

static gboolean
on_frame (const guint8      *data,
          gsize              len,
          const SbFrameInfo *info,
          gpointer           user_data)
{
  Got *got = user_data;

  g_assert_cmpuint (len, ==, info->length);
  describe_frame (got->text, data, len, info);
  got->n_frames++;
  if (got->read != NULL && data >= got->read && data + len <= got->read + got->read_len)
    got->n_in_place++;

  if (got->stop_after > 0 && got->n_frames == got->stop_after)
    {
      if (got->free_me != NULL)
        sb_framer_collector_free (g_steal_pointer (&got->free_me));
      return FALSE;
    }
  return TRUE;
}

static gboolean
feed (SbFramerCollector *collector,
      Got               *got,
      const char        *data,
      gsize              len)
{
  /* A copy of its own, so that a frame pointing past it is caught. */
  g_autofree guint8 *read = g_memdup2 (data, len);
  gboolean more;

  got->read = read;
  got->read_len = len;
  more = sb_framer_collector_feed (collector, read, len, 0, on_frame, got);
  got->read = NULL;
  return more;
}

/* The frames of @stream fed in pieces cut at @cuts (ascending, ending
 * with 0), then ended. */
static char *
collect_frames (const char  *spec,
         const char  *stream,
         gsize        len,
         const gsize *cuts)
{
  g_autoptr(SbFramer) f = framer (spec);
  g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
  Got got = { g_string_new (NULL), };
  gsize at = 0;

  for (guint i = 0; cuts != NULL && cuts[i] != 0; i++)
    {
      g_assert_true (feed (collector, &got, stream + at, cuts[i] - at));
      at = cuts[i];
    }
  g_assert_true (feed (collector, &got, stream + at, len - at));
  g_assert_true (sb_framer_collector_end (collector, on_frame, &got));
  g_assert_true (sb_framer_collector_is_idle (collector));
  return g_string_free (got.text, FALSE);
}

/* The frames of @stream split in two and in three at every byte are
 * always @expected. */
#define EVERY_SPLIT(spec, stream, expected) \
  assert_every_split (spec, stream, sizeof (stream) - 1, expected)

static void
assert_every_split (const char *spec,
                    const char *stream,
                    gsize       len,
                    const char *expected)
{
  g_autofree char *whole = collect_frames (spec, stream, len, NULL);

  g_assert_cmpstr (whole, ==, expected);
  for (gsize p = 1; p < len; p++)
    {
      gsize two[] = { p, 0 };
      g_autofree char *got = collect_frames (spec, stream, len, two);

      g_assert_cmpstr (got, ==, expected);
      for (gsize q = p + 1; q < len; q++)
        {
          gsize three[] = { p, q, 0 };
          g_autofree char *got3 = collect_frames (spec, stream, len, three);

          g_assert_cmpstr (got3, ==, expected);
        }
    }
}

static void
test_split_every_byte (void)
{
  EVERY_SPLIT ("delim:7a", "abcz" "defghz" "z" "ijk",
                      "C[abcz] C[defghz] C[z] I$[ijk]");
  EVERY_SPLIT ("delim:0d0a", "ab\r\ncd\r\r\n\r\nef",
                      "C[ab\\x0d\\x0a] C[cd\\x0d\\x0d\\x0a] C[\\x0d\\x0a] I$[ef]");
  EVERY_SPLIT ("line", "one\ntwo\r\n\nthree",
                      "C[one\\x0a] C[two\\x0d\\x0a] C[\\x0a] I$[three]");
  EVERY_SPLIT ("fixed:3", "abcdefgh", "C[abc] C[def] I$[gh]");
  EVERY_SPLIT ("len:1:be", "\x02" "ab" "\x00" "\x03" "cd",
                      "C[\\x02ab] C[\\x00] I$[\\x03cd]");
  /* A marker split across reads ends the frame before it in bytes held
   * from the read before. */
  EVERY_SPLIT ("marker:5aa5", "xx" "\x5a\xa5" "ab" "\x5a\xa5" "cd",
                      "C+2[Z\\xa5ab] C$[Z\\xa5cd]");
}

static void
test_several_per_feed (void)
{
  g_autoptr(SbFramer) f = framer ("delim:7a");
  g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
  Got got = { g_string_new (NULL), };

  /* Whole frames of a read are handed out where they lie in it. */
  g_assert_true (feed (collector, &got, "azbbzcccz", 9));
  g_assert_cmpuint (got.n_frames, ==, 3);
  g_assert_cmpuint (got.n_in_place, ==, 3);

  /* One begun in the read before is put together; the rest are in place. */
  g_assert_true (feed (collector, &got, "ddd", 3));
  g_assert_true (feed (collector, &got, "dzez", 4));
  g_assert_cmpuint (got.n_frames, ==, 5);
  g_assert_cmpuint (got.n_in_place, ==, 4);
  g_assert_cmpstr (got.text->str, ==, "C[az] C[bbz] C[cccz] C[ddddz] C[ez]");
  g_string_free (got.text, TRUE);
}

static void
test_oversized (void)
{
  /* Cut at the limit and flagged: every piece but the first is the rest of
   * a cut frame, the last one ended by its delimiter. */
  EVERY_SPLIT ("delim:7a:max=4", "abcdefghijz" "kz",
                      "X[abcd] X~[efgh] X~[ijz] C[kz]");
  EVERY_SPLIT ("delim:0d0a:max=3", "abcd\r\nef\r\nx\r\n",
                      "X[abc] X~[d\\x0d\\x0a] X[ef\\x0d] X~[\\x0a] C[x\\x0d\\x0a]");
  EVERY_SPLIT ("line:max=4", "abcd\nxy\n", "X[abcd] X~[\\x0a] C[xy\\x0a]");
  EVERY_SPLIT ("len:1:be:max=3", "\x05" "abcde" "\x01" "f",
                      "X[\\x05ab] X~[cde] C[\\x01f]");

  /* Whatever the frame's length, the collector keeps at most the limit. */
  {
    g_autoptr(SbFramer) f = framer ("delim:7a:max=1000");
    g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
    g_autofree char *block = g_malloc (4096);
    Got got = { g_string_new (NULL), };

    memset (block, 'a', 4096);
    for (guint i = 0; i < 64; i++)
      g_assert_true (feed (collector, &got, block, 4096));
    g_assert_cmpuint (got.n_frames, ==, 64 * 4096 / 1000);
    g_assert_cmpuint (sb_framer_collector_get_n_held (collector), <=, 1000 + SB_FRAMER_MAX_PATTERN);
    g_string_free (got.text, TRUE);
  }

  /* A long frame across many reads is handed out whole, then only the
   * last bytes are kept. */
  {
    g_autoptr(SbFramer) f = framer ("delim:7a");
    g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
    g_autofree char *block = g_malloc (4096);
    Got got = { g_string_new (NULL), };

    memset (block, 'a', 4096);
    for (guint i = 0; i < 50; i++)
      g_assert_true (feed (collector, &got, block, 4096));
    g_assert_cmpuint (got.n_frames, ==, 0);
    g_assert_cmpuint (sb_framer_collector_get_n_held (collector), ==, 50 * 4096);
    g_assert_true (feed (collector, &got, "zb", 2));
    g_assert_cmpuint (got.n_frames, ==, 1);
    g_assert_cmpuint (got.text->len, ==, strlen ("C[]") + 50 * 4096 + 1);
    g_assert_cmpuint (sb_framer_collector_get_n_held (collector), <=, SB_FRAMER_MAX_PATTERN);
    g_string_free (got.text, TRUE);
  }
}

static void
test_end (void)
{
  g_autoptr(SbFramer) f = framer ("delim:7a");
  g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
  Got got = { g_string_new (NULL), };

  /* Nothing in progress: the end hands out nothing. */
  g_assert_true (feed (collector, &got, "abz", 3));
  g_assert_true (sb_framer_collector_end (collector, on_frame, &got));
  g_assert_cmpstr (got.text->str, ==, "C[abz]");

  /* What is in progress ends incomplete, from the bytes held; then the
   * collector starts over. */
  g_assert_true (feed (collector, &got, "cd", 2));
  g_assert_true (feed (collector, &got, "e", 1));
  g_assert_false (sb_framer_collector_is_idle (collector));
  g_assert_true (sb_framer_collector_end (collector, on_frame, &got));
  g_assert_true (sb_framer_collector_is_idle (collector));
  g_assert_true (feed (collector, &got, "fz", 2));
  g_assert_cmpstr (got.text->str, ==, "C[abz] I$[cde] C[fz]");
  g_string_free (got.text, TRUE);

  /* A framer that ends a frame with the stream ends it complete. */
  {
    g_autofree char *marker = collect_frames ("marker:7e", "~ab~cd", 6, NULL);
    g_autofree char *gap = collect_frames ("gap:50", "abc", 3, NULL);

    g_assert_cmpstr (marker, ==, "C[~ab] C$[~cd]");
    g_assert_cmpstr (gap, ==, "C$[abc]");
  }
}

static void
test_gap_tick (void)
{
  g_autoptr(SbFramer) f = framer ("gap:10");
  g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
  Got got = { g_string_new (NULL), };

  g_assert_cmpint (sb_framer_collector_get_deadline (collector), ==, 0);
  g_assert_true (sb_framer_collector_feed (collector, (const guint8 *) "ab", 2, 1000000, on_frame, &got));
  g_assert_true (sb_framer_collector_feed (collector, (const guint8 *) "cd", 2, 1005000, on_frame, &got));
  g_assert_cmpint (sb_framer_collector_get_deadline (collector), ==, 1015000);
  g_assert_true (sb_framer_collector_tick (collector, 1014999, on_frame, &got));
  g_assert_cmpuint (got.n_frames, ==, 0);
  g_assert_true (sb_framer_collector_tick (collector, 1015000, on_frame, &got));
  g_assert_cmpstr (got.text->str, ==, "C[abcd]");
  g_assert_cmpint (sb_framer_collector_get_deadline (collector), ==, 0);
  g_string_free (got.text, TRUE);
}

static void
test_stop_and_free (void)
{
  g_autoptr(SbFramer) f = framer ("delim:7a");

  /* Stopped: the rest of that read's frames are not handed out; the next
   * read goes on where that one ended. */
  {
    g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
    Got got = { g_string_new (NULL), .stop_after = 1 };

    g_assert_false (feed (collector, &got, "azbzc", 5));
    g_assert_true (feed (collector, &got, "dz", 2));
    g_assert_cmpstr (got.text->str, ==, "C[az] C[cdz]");
    g_string_free (got.text, TRUE);
  }

  /* Freed by its function, in a feed, a tick and an end: it is gone once
   * the call returns (the sanitizers and valgrind watch this). */
  {
    Got got = { g_string_new (NULL), .stop_after = 2 };

    got.free_me = sb_framer_collector_new (f);
    g_assert_false (feed (got.free_me, &got, "azbzcz", 6));
    g_assert_null (got.free_me);
    g_assert_cmpstr (got.text->str, ==, "C[az] C[bz]");
    g_string_free (got.text, TRUE);
  }
  {
    g_autoptr(SbFramer) gap = framer ("gap:10");
    Got got = { g_string_new (NULL), .stop_after = 1 };

    got.free_me = sb_framer_collector_new (gap);
    g_assert_true (sb_framer_collector_feed (got.free_me, (const guint8 *) "ab", 2, 0, on_frame, &got));
    g_assert_false (sb_framer_collector_tick (got.free_me, 10000, on_frame, &got));
    g_assert_null (got.free_me);
    g_assert_cmpstr (got.text->str, ==, "C[ab]");
    g_string_free (got.text, TRUE);
  }
  {
    Got got = { g_string_new (NULL), .stop_after = 1 };

    got.free_me = sb_framer_collector_new (f);
    g_assert_true (feed (got.free_me, &got, "ab", 2));
    g_assert_false (sb_framer_collector_end (got.free_me, on_frame, &got));
    g_assert_null (got.free_me);
    g_assert_cmpstr (got.text->str, ==, "I$[ab]");
    g_string_free (got.text, TRUE);
  }
}

/* Ended from its own function (a reply that closes the peer): no more
 * frames of that read, and it starts over after it. */
typedef struct
{
  SbFramerCollector *collector;
  GString           *text;
} EndFromInside;

static gboolean
end_from_inside (const guint8      *data,
                 gsize              len,
                 const SbFrameInfo *info,
                 gpointer           user_data)
{
  EndFromInside *e = user_data;

  describe_frame (e->text, data, len, info);
  g_assert_false (sb_framer_collector_end (e->collector, end_from_inside, e));
  return TRUE;
}

static void
test_end_from_inside (void)
{
  g_autoptr(SbFramer) f = framer ("delim:7a");
  g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
  EndFromInside e = { collector, g_string_new (NULL) };

  g_assert_false (sb_framer_collector_feed (collector, (const guint8 *) "azbzc", 5, 0, end_from_inside, &e));
  g_assert_true (sb_framer_collector_is_idle (collector));
  g_assert_cmpstr (e.text->str, ==, "C[az]");
  g_string_free (e.text, TRUE);
}

/* Every framer: the collector's frames, fed at every split, are those the
 * marks of the whole stream make (sb_framer_split). */
static char *
frames_of_marks (SbFramer     *f,
                 const guint8 *data,
                 gsize         len)
{
  g_autoptr(GArray) marks = sb_framer_split (f, data, len, TRUE);
  GString *out = g_string_new (NULL);
  guint64 begin = 0;

  for (guint i = 0; i < marks->len; i++)
    {
      const SbFramerMark *mark = &g_array_index (marks, SbFramerMark, i);

      if (mark->kind == SB_FRAMER_MARK_BEGIN)
        begin = mark->position;
      else
        describe_frame (out, data + begin, mark->position - begin, &mark->info);
    }
  return g_string_free (out, FALSE);
}

static void
test_every_framer (void)
{
#define CASE(spec, stream) { spec, stream, sizeof (stream) - 1 }
  static const struct
  {
    const char *spec;
    const char *stream;
    gsize       len;
  } cases[] = {
    CASE ("delim:7a:strip", "abzcz"),
    CASE ("delim:616161:max=5", "xaaaybaaaaaaccccccaa"),
    CASE ("line:strip", "a\r\nb\n\nc"),
    CASE ("fixed:4:max=9", "abcdefghij"),
    CASE ("len:2:le:1:-1", "x\x03\x00" "ab" "y\x01\x00" "z"),
    CASE ("len:2:be:0:0:incl", "\x00\x04" "ab" "\x00\x01" "\x00\x03" "c"),
    CASE ("marker:616263:max=6", "zzabcdefghijabcxyabcab"),
    CASE ("slip", "\xc0" "ab\xdb\xdc" "\xc0\xc0" "c\xdb" "x\xc0" "d"),
    CASE ("cobs:max=4", "\x03" "ab\x00" "\x01\x00" "\x05" "abcd\x00" "\x02"),
    CASE ("json", " {\"a\":[1,2]} 12 \"s\" tru"),
    CASE ("jsonl:max=8", "{\"a\":1}\n[1] 2\n\nnot json\n{}"),
  };

  /* none: one frame per read, whatever the reads are. */
  {
    gsize cuts[] = { 2, 0 };
    g_autofree char *text = collect_frames ("none:max=4", "abcdefg", 7, cuts);

    g_assert_cmpstr (text, ==, "C[ab] X[cdef] X~[g]");
  }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(SbFramer) f = framer (cases[c].spec);
      const guint8 *data = (const guint8 *) cases[c].stream;
      gsize len = cases[c].len;
      g_autofree char *expected = frames_of_marks (f, data, len);

      for (gsize p = 0; p <= len; p++)
        for (gsize q = p; q <= len; q++)
          {
            g_autoptr(SbFramerCollector) collector = sb_framer_collector_new (f);
            Got got = { g_string_new (NULL), };
            g_autofree char *text = NULL;

            feed (collector, &got, (const char *) data, p);
            feed (collector, &got, (const char *) data + p, q - p);
            feed (collector, &got, (const char *) data + q, len - q);
            sb_framer_collector_end (collector, on_frame, &got);
            text = g_string_free (got.text, FALSE);
            if (g_strcmp0 (text, expected) != 0)
              g_error ("%s cut at %" G_GSIZE_FORMAT " and %" G_GSIZE_FORMAT ": \"%s\", not \"%s\"",
                       cases[c].spec, p, q, text, expected);
          }
    }
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/framer-collector/split-every-byte", test_split_every_byte);
  g_test_add_func ("/framer-collector/several-per-feed", test_several_per_feed);
  g_test_add_func ("/framer-collector/oversized", test_oversized);
  g_test_add_func ("/framer-collector/end", test_end);
  g_test_add_func ("/framer-collector/gap-tick", test_gap_tick);
  g_test_add_func ("/framer-collector/stop-and-free", test_stop_and_free);
  g_test_add_func ("/framer-collector/end-from-inside", test_end_from_inside);
  g_test_add_func ("/framer-collector/every-framer", test_every_framer);

  return sb_test_run ();
}
