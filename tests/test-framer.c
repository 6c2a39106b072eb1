/* test-framer.c — messages out of a byte stream: spec strings, each framer
 * on byte arrays split at every position, the frames model over a history,
 * and real loopback sockets whose writer controls each read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "sb-frames.h"
#include "sb-session.h"
#include "sb-test-util.h"

/* Byte arrays */

static void
append_escaped (GString      *out,
                const guint8 *data,
                gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n')
        g_string_append (out, "\\n");
      else if (data[i] == '\r')
        g_string_append (out, "\\r");
      else if (data[i] == '\\')
        g_string_append (out, "\\\\");
      else if (data[i] >= 0x20 && data[i] < 0x7f)
        g_string_append_c (out, (char) data[i]);
      else
        g_string_append_printf (out, "\\x%02x", data[i]);
    }
}

/* "C[ab\n] I[cd]": C complete, I incomplete, X cut, V invalid; +N bytes
 * skipped before it, ~ the rest of a cut frame. Checks that marks pair up. */
static char *
describe (GArray       *marks,
          const guint8 *data)
{
  GString *out = g_string_new (NULL);
  gboolean open = FALSE;
  guint64 begin = 0;

  for (guint i = 0; i < marks->len; i++)
    {
      const SbFramerMark *mark = &g_array_index (marks, SbFramerMark, i);

      if (mark->kind == SB_FRAMER_MARK_BEGIN)
        {
          g_assert_false (open);
          open = TRUE;
          begin = mark->position;
          continue;
        }

      g_assert_true (open);
      open = FALSE;
      g_assert_cmpuint (mark->position, >, begin);
      g_assert_cmpuint (mark->info.length, ==, mark->position - begin);
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, "CIXV"[mark->info.status]);
      if (mark->info.skipped > 0)
        g_string_append_printf (out, "+%" G_GUINT64_FORMAT, mark->info.skipped);
      if (mark->info.flags & SB_FRAME_FLAG_CONTINUATION)
        g_string_append_c (out, '~');
      g_string_append_c (out, '[');
      append_escaped (out, data + begin, mark->position - begin);
      g_string_append_c (out, ']');
    }
  return g_string_free (out, FALSE);
}

/* Feeds @data in pieces that end at @cuts (ascending, inside the data). */
static GArray *
feed_pieces (SbFramer     *framer,
             const guint8 *data,
             gsize         len,
             const gsize  *cuts,
             guint         n_cuts,
             gboolean      end)
{
  g_autoptr(SbFramerState) state = sb_framer_state_new (framer);
  GArray *marks = g_array_new (FALSE, FALSE, sizeof (SbFramerMark));
  gsize from = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize to = i < n_cuts ? cuts[i] : len;

      sb_framer_state_feed (state, data + from, to - from, 0, marks);
      from = to;
    }
  if (end)
    sb_framer_state_end (state, marks);
  return marks;
}

/* Frames @text whole, then split at every position and byte by byte: the
 * frames must not depend on how the bytes were read. */
static char *
frame_text (const char *spec,
            const char *text,
            gsize       len,
            gboolean    end)
{
  g_autoptr(SbFramer) f = framer (spec);
  g_autoptr(GArray) whole = sb_framer_split (f, (const guint8 *) text, len, end);
  char *expected = describe (whole, (const guint8 *) text);
  g_autofree gsize *every = g_new (gsize, len + 1);

  for (gsize k = 1; k < len; k++)
    {
      g_autoptr(GArray) marks = feed_pieces (f, (const guint8 *) text, len, &k, 1, end);
      g_autofree char *got = describe (marks, (const guint8 *) text);

      if (g_strcmp0 (got, expected) != 0)
        g_error ("%s split at %" G_GSIZE_FORMAT ": %s, whole: %s", spec, k, got, expected);
    }

  for (gsize k = 1; k < len; k++)
    every[k - 1] = k;
  if (len > 1)
    {
      g_autoptr(GArray) marks = feed_pieces (f, (const guint8 *) text, len, every, (guint) (len - 1), end);
      g_autofree char *got = describe (marks, (const guint8 *) text);

      g_assert_cmpstr (got, ==, expected);
    }
  return expected;
}

#define ASSERT_FRAMES(spec, text, end, expected) G_STMT_START {               \
    g_autofree char *_got = frame_text (spec, text, sizeof (text) - 1, end);  \
    g_assert_cmpstr (_got, ==, expected);                                     \
  } G_STMT_END

static void
test_spec_round_trip (void)
{
  const struct { const char *spec, *canonical; } cases[] = {
    { "none", "none" },
    { "none:max=1048576", "none" },
    { "delim:0d0a", "delim:0d0a" },
    { "delim:0D0A:strip", "delim:0d0a:strip" },
    { "delim:0x7e", "delim:7e" },
    { "delim:0a:strip:max=100", "delim:0a:strip:max=100" },
    { "line", "line" },
    { "line:strip", "line:strip" },
    { "fixed:16", "fixed:16" },
    { "len:2:be", "len:2:be" },
    { "len:4:le:2", "len:4:le:2" },
    { "len:2:be:0:-2", "len:2:be:0:-2" },
    { "len:2:be:4:+3:incl", "len:2:be:4:3:incl" },
    { "len:1:le:incl", "len:1:le:incl" },
    { "len:2:be:0:0", "len:2:be" },
    { "gap:250", "gap:250" },
    { "marker:AA55", "marker:aa55" },
    { "slip", "slip" },
    { "cobs", "cobs" },
    { "json", "json" },
    { "jsonl:max=4096", "jsonl:max=4096" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SbFramer) f = framer (cases[i].spec);
      g_autofree char *printed = sb_framer_to_spec (f);
      g_autoptr(SbFramer) again = framer (printed);
      g_autofree char *description = sb_framer_describe (f);

      g_assert_cmpstr (printed, ==, cases[i].canonical);
      g_assert_true (sb_framer_equal (f, again));
      g_assert_cmpstr (description, !=, "");
    }
}

static void
test_spec_errors (void)
{
  const struct { const char *spec; int position; const char *says; } cases[] = {
    { "", 1, "expected a kind" },
    { "foo", 1, "unknown kind “foo”" },
    { "delim", 6, "HEX" },
    { "delim:0g", 8, "“g” is not a hex digit" },
    { "delim:abc", 7, "pairs of hex digits" },
    { "fixed:0", 7, "from 1 to" },
    { "fixed:x", 7, "not “x”" },
    { "fixed:100:max=10", 7, "more than the frame limit" },
    { "len:3:be", 5, "1, 2 or 4 bytes" },
    { "len:2:xx", 7, "“be”" },
    { "len:2", 6, "len:SIZE:be" },
    { "len:2:be:1:2:3", 14, "not “3”" },
    { "gap:", 5, "empty field" },
    { "gap:99999999", 5, "the gap" },
    { "json:strip", 6, "max=BYTES" },
    { "line:max=0", 10, "the frame limit" },
    { "marker:", 8, "empty field" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbFramer) f = sb_framer_new_from_spec (cases[i].spec, &error);
      g_autofree char *at = g_strdup_printf ("at character %d:", cases[i].position);

      g_assert_null (f);
      g_assert_error (error, SB_FRAMER_ERROR, SB_FRAMER_ERROR_INVALID_SPEC);
      if (strstr (error->message, at) == NULL || strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s”: %s (wanted %s … %s)", cases[i].spec, error->message, at, cases[i].says);
    }
}

static void
test_delimiters (void)
{
  g_autoptr(SbFramer) strip = framer ("delim:0d0a:strip");
  g_autoptr(SbFramer) line = framer ("line:strip");
  g_autoptr(GBytes) payload = sb_framer_decode_payload (strip, (const guint8 *) "b\r\r\n", 4);
  g_autoptr(GBytes) line_payload = sb_framer_decode_payload (line, (const guint8 *) "x\r\n", 3);
  g_autoptr(GArray) marks = sb_framer_split (line, (const guint8 *) "a\nb\r\n", 5, FALSE);
  g_autofree char *lf = NULL, *crlf = NULL;

  ASSERT_FRAMES ("line", "ab\ncd\r\nef", TRUE, "C[ab\\n] C[cd\\r\\n] I[ef]");
  ASSERT_FRAMES ("line", "\n\n", FALSE, "C[\\n] C[\\n]");
  ASSERT_FRAMES ("delim:0d0a:strip", "a\r\nb\r\r\n", FALSE, "C[a\\r\\n] C[b\\r\\r\\n]");
  ASSERT_FRAMES ("delim:616162", "xaaabaab", FALSE, "C[xaaab] C[aab]");
  ASSERT_FRAMES ("delim:7e", "~a~~", FALSE, "C[~] C[a~] C[~]");
  ASSERT_FRAMES ("delim:0a:max=4", "abcdefghij\nxy\n", FALSE, "X[abcd] X~[efgh] X~[ij\\n] C[xy\\n]");

  g_assert_cmpmem (g_bytes_get_data (payload, NULL), g_bytes_get_size (payload), "b\r", 2);
  g_assert_cmpmem (g_bytes_get_data (line_payload, NULL), g_bytes_get_size (line_payload), "x", 1);

  lf = sb_framer_explain (line, &g_array_index (marks, SbFramerMark, 1).info);
  crlf = sb_framer_explain (line, &g_array_index (marks, SbFramerMark, 3).info);
  g_assert_cmpstr (lf, ==, "Ended by the line end \\n");
  g_assert_cmpstr (crlf, ==, "Ended by the line end \\r\\n");
}

static void
test_fixed_and_none (void)
{
  g_autoptr(SbFramer) fixed = framer ("fixed:3");
  g_autoptr(SbFramer) none = framer ("none:max=2");
  g_autoptr(SbFramerState) state = sb_framer_state_new (fixed);
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbFramerMark));
  const gsize cuts[] = { 2, 3 };
  g_autoptr(GArray) pieces = NULL;
  g_autofree char *text = NULL;
  SbFrameInfo info;
  guint64 begin;

  ASSERT_FRAMES ("fixed:3", "abcdefgh", TRUE, "C[abc] C[def] I[gh]");

  sb_framer_state_feed (state, (const guint8 *) "abcde", 5, 0, marks);
  g_assert_true (sb_framer_state_get_pending (state, &begin, &info));
  g_assert_cmpuint (begin, ==, 3);
  g_assert_cmpuint (info.missing, ==, 1);
  text = sb_framer_explain (fixed, &info);
  g_assert_cmpstr (text, ==, "Fixed length of 3 bytes\nWaiting for 1 more byte");

  /* none: one frame per read, cut at the limit. */
  pieces = feed_pieces (none, (const guint8 *) "abcdef", 6, cuts, G_N_ELEMENTS (cuts), FALSE);
  g_clear_pointer (&text, g_free);
  text = describe (pieces, (const guint8 *) "abcdef");
  g_assert_cmpstr (text, ==, "C[ab] C[c] X[de] X~[f]");
}

static void
test_length (void)
{
  g_autoptr(SbFramer) f = framer ("len:2:be");
  g_autoptr(SbFramerState) state = sb_framer_state_new (f);
  g_autoptr(GArray) marks = sb_framer_split (f, (const guint8 *) "\x00\x03" "abc", 5, FALSE);
  g_autofree char *why = sb_framer_explain (f, &g_array_index (marks, SbFramerMark, 1).info);
  g_autofree char *waiting = NULL;
  SbFrameInfo info;

  ASSERT_FRAMES ("len:2:be", "\x00\x03" "abc" "\x00\x00" "\x00\x01z" "\x00", FALSE,
                 "C[\\x00\\x03abc] C[\\x00\\x00] C[\\x00\\x01z]");
  ASSERT_FRAMES ("len:2:le:1:incl", "T\x05\x00xyT\x03\x00", TRUE, "C[T\\x05\\x00xy] C[T\\x03\\x00]");
  ASSERT_FRAMES ("len:1:be:0:0:incl", "\x00\x02" "ab", TRUE, "V[\\x00] C[\\x02a] I[b]");
  ASSERT_FRAMES ("len:2:be:0:-2", "\x00\x04" "ab" "\x00\x02", FALSE, "C[\\x00\\x04ab] C[\\x00\\x02]");
  ASSERT_FRAMES ("len:1:be:max=4", "\x06" "abcdef" "\x01z", FALSE, "X[\\x06abc] X~[def] C[\\x01z]");

  g_assert_cmpstr (why, ==, "Length field 0x0003 = 3 bytes + 2 header");

  /* A length field that lies: it waits for what never comes. */
  sb_framer_state_feed (state, (const guint8 *) "\x00\x64" "0123456789", 12, 0, marks);
  g_assert_true (sb_framer_state_get_pending (state, NULL, &info));
  g_assert_cmpint (info.reason, ==, SB_FRAME_REASON_LENGTH);
  g_assert_cmpuint (info.missing, ==, 90);
  waiting = sb_framer_explain (f, &info);
  g_assert_cmpstr (waiting, ==, "Length field 0x0064 = 100 bytes + 2 header\nWaiting for 90 more bytes");
}

static void
test_marker (void)
{
  g_autoptr(SbFramer) f = framer ("marker:7e7e");
  g_autoptr(GArray) marks = sb_framer_split (f, (const guint8 *) "xx~~ab", 6, TRUE);
  g_autofree char *why = sb_framer_explain (f, &g_array_index (marks, SbFramerMark, 1).info);

  ASSERT_FRAMES ("marker:7e7e", "xx~~ab~~~cd", TRUE, "C+2[~~ab] C[~~~cd]");
  ASSERT_FRAMES ("marker:7e7e", "xx~~ab~~~cd", FALSE, "C+2[~~ab]");
  ASSERT_FRAMES ("marker:7e:max=3", "~abcdef~x", TRUE, "X[~ab] C+4[~x]");
  ASSERT_FRAMES ("marker:616162", "aaababaabxaab", TRUE, "C+1[aabab] C[aabx] C[aab]");

  g_assert_cmpstr (why, ==, "Ended with its stream\n2 bytes skipped before it");
}

static void
test_slip_cobs (void)
{
  g_autoptr(SbFramer) slip = framer ("slip");
  g_autoptr(SbFramer) cobs = framer ("cobs");
  g_autoptr(GBytes) decoded = sb_framer_decode_payload (slip, (const guint8 *) "\xc0" "ab\xdb\xdc\xdb\xdd\xc0", 8);
  g_autoptr(GBytes) zeros = sb_framer_decode_payload (cobs, (const guint8 *) "\x02\x11\x02\x22\x00", 5);
  g_autoptr(GBytes) empty = sb_framer_decode_payload (cobs, (const guint8 *) "\x01\x00", 2);
  g_autoptr(GArray) marks = sb_framer_split (slip, (const guint8 *) "c\xdb" "A\xc0", 4, FALSE);
  g_autofree char *bad = sb_framer_explain (slip, &g_array_index (marks, SbFramerMark, 1).info);

  ASSERT_FRAMES ("slip", "\xc0" "ab\xdb\xdc\xc0\xc0" "c\xdb" "A\xc0" "d", TRUE,
                 "C[ab\\xdb\\xdc\\xc0] V[c\\xdbA\\xc0] I[d]");
  ASSERT_FRAMES ("cobs", "\x00\x02\x11\x02\x22\x00\x01\x00\x03\x11", TRUE,
                 "C[\\x02\\x11\\x02\"\\x00] C[\\x01\\x00] I[\\x03\\x11]");
  ASSERT_FRAMES ("cobs", "\x05\x11\x00\xff" "0123456789", FALSE, "V[\\x05\\x11\\x00]");

  g_assert_cmpmem (g_bytes_get_data (decoded, NULL), g_bytes_get_size (decoded), "ab\xc0\xdb", 4);
  g_assert_cmpmem (g_bytes_get_data (zeros, NULL), g_bytes_get_size (zeros), "\x11\x00\x22", 3);
  g_assert_cmpuint (g_bytes_get_size (empty), ==, 0);
  g_assert_cmpstr (bad, ==, "Ended by SLIP END (C0); the escape DB at byte 2 is followed by neither DC nor DD");
}

static void
test_json (void)
{
  ASSERT_FRAMES ("json", " {\"a\":[1,2]} x [ \"]\" ] 12 true nul{}\"s\\\"}\"", FALSE,
                 "C[{\"a\":[1,2]}] C+1[[ \"]\" ]] C[12] C[true] V[nul] C[{}] C[\"s\\\\\"}\"]");
  ASSERT_FRAMES ("json", "{]  [1}", FALSE, "V[{]] V[[1}]");
  ASSERT_FRAMES ("json", "42", TRUE, "C[42]");
  ASSERT_FRAMES ("json", "42", FALSE, "");
  ASSERT_FRAMES ("json", "[\"a", TRUE, "I[[\"a]");
  ASSERT_FRAMES ("json:max=4", "[1,2,3]", FALSE, "X[[1,2] X~[,3]]");
  ASSERT_FRAMES ("jsonl", "{\"a\":1}\n\n  [1]\r\n1 2\nnope\n{", TRUE,
                 "C[{\"a\":1}\\n] C[[1]\\r\\n] V[1 2\\n] V[nope\\n] I[{]");
}

static void
test_gap (void)
{
  g_autoptr(SbFramer) f = framer ("gap:100");
  g_autoptr(SbFramerState) state = sb_framer_state_new (f);
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbFramerMark));
  g_autofree char *text = NULL, *why = NULL;
  const char *data = "abcdef";

  sb_framer_state_feed (state, (const guint8 *) data, 2, 1000000, marks);
  sb_framer_state_feed (state, (const guint8 *) data + 2, 2, 1050000, marks);
  sb_framer_state_feed (state, (const guint8 *) data + 4, 1, 1300000, marks);
  text = describe (marks, (const guint8 *) data);
  g_assert_cmpstr (text, ==, "C[abcd]");
  why = sb_framer_explain (f, &g_array_index (marks, SbFramerMark, 1).info);
  g_assert_cmpstr (why, ==, "Ended by 250 ms of silence (the gap is 100 ms)");

  g_assert_cmpint (sb_framer_state_tick (state, 1350000, marks), ==, 1400000);
  g_assert_cmpint (sb_framer_state_tick (state, 1400000, marks), ==, 0);
  sb_framer_state_feed (state, (const guint8 *) data + 5, 1, 1450000, marks);
  sb_framer_state_end (state, marks);
  g_clear_pointer (&text, g_free);
  text = describe (marks, (const guint8 *) data);
  g_assert_cmpstr (text, ==, "C[abcd] C[e] C[f]");
}

/* The frames model over a history */

static SbFrameItem *
rx_item (SbFrames *frames,
         guint     index)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (frames));

  for (guint i = 0; i < n; i++)
    {
      SbFrameItem *item = g_list_model_get_item (G_LIST_MODEL (frames), i);

      if (sb_frame_item_get_direction (item) == SB_DIRECTION_RX && index-- == 0)
        return item;
      g_object_unref (item);
    }
  return NULL;
}

static SbFrameStatus
rx_status (SbFrames *frames,
           guint     index)
{
  g_autoptr(SbFrameItem) item = rx_item (frames, index);

  return item != NULL ? sb_frame_item_get_status (item) : SB_FRAME_INCOMPLETE;
}


typedef struct
{
  SbHistory *history;
  SbFrames  *frames;
  guint      a, b;
  guint      n_signals;
} Model;

static void
check_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Model      *m)
{
  guint n = g_list_model_get_n_items (model);

  m->n_signals++;
  g_assert_cmpuint (position + added, <=, n);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SbFrameItem) item = g_list_model_get_item (model, i);
      g_assert_nonnull (item);
    }
}

static void
model_setup (Model      *m,
             const char *spec)
{
  g_autoptr(SbFramer) f = framer (spec);

  m->history = sb_history_new ();
  m->a = sb_history_intern_peer (m->history, "A");
  m->b = sb_history_intern_peer (m->history, "B");
  m->frames = sb_frames_new (m->history, f);
  m->n_signals = 0;
  g_signal_connect (m->frames, "items-changed", G_CALLBACK (check_items_changed), m);
}

static void
model_teardown (Model *m)
{
  g_assert_finalize_object (m->frames);
  g_assert_finalize_object (m->history);
}

static void
append (Model      *m,
        guint       peer,
        const char *text)
{
  sb_history_append (m->history, g_get_real_time (), SB_DIRECTION_RX, SB_EVENT_NONE, peer,
                     (const guint8 *) text, strlen (text));
  sb_history_flush (m->history);
}

static char *
item_text (SbFrames *frames,
           guint     position)
{
  g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (frames), position);
  g_autoptr(GBytes) raw = sb_frame_item_dup_raw (item);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s%c%s[", sb_frame_item_get_peer_label (item),
                          "CIXV"[sb_frame_item_get_status (item)],
                          sb_frame_item_get_flags (item) & SB_FRAME_FLAG_HEAD_DROPPED ? "^" : "");
  if (raw != NULL)
    append_escaped (out, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static char *
model_text (SbFrames *frames)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (frames)); i++)
    {
      g_autofree char *one = item_text (frames, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, one);
    }
  return g_string_free (out, FALSE);
}

#define ASSERT_MODEL(m, expected) G_STMT_START {         \
    g_autofree char *_text = model_text ((m)->frames);   \
    g_assert_cmpstr (_text, ==, expected);               \
  } G_STMT_END

static void
frame_ended_cb (SbFrames    *frames,
                SbFrameItem *item,
                GString     *out)
{
  g_autoptr(GBytes) raw = sb_frame_item_dup_raw (item);
  guint position;

  /* The model already shows it. */
  g_assert_true (sb_frames_find_number (frames, sb_frame_item_get_number (item), &position));
  g_string_append_c (out, '[');
  append_escaped (out, g_bytes_get_data (raw, NULL), g_bytes_get_size (raw));
  g_string_append_c (out, ']');
}

static void
count_notify (guint      *count,
              GParamSpec *pspec,
              GObject    *object)
{
  (*count)++;
}

static void
append_bytes (Model        *m,
              guint         peer,
              SbDirection   direction,
              const guint8 *data,
              gsize         len)
{
  sb_history_append (m->history, g_get_real_time (), direction, SB_EVENT_NONE, peer, data, len);
  sb_history_flush (m->history);
}

/* Received frames are checked as they end; sent ones and frames in progress
 * are not; setting the check checks the model again. */
static void
test_model_check (void)
{
  static const guint8 good[] = { 0x00, 0x08, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };
  static const guint8 bad[] = { 0x00, 0x08, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xce };
  static const guint8 shrt[] = { 0x00, 0x01, 0x01 };
  Model m;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  guint notified = 0;

  model_setup (&m, "len:2:be");
  g_signal_connect_swapped (m.frames, "notify::n-bad", G_CALLBACK (count_notify), &notified);
  g_assert_cmpstr (sb_frames_get_check (m.frames), ==, "");

  /* A bad spec changes nothing. */
  g_assert_false (sb_frames_set_check (m.frames, "crc-16/modbos", &error));
  g_assert_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_UNKNOWN);
  g_clear_error (&error);
  g_assert_cmpstr (sb_frames_get_check (m.frames), ==, "");

  /* The checksum covers the frame from byte 2 (after the length field). */
  g_assert_true (sb_frames_set_check (m.frames, "crc-16/modbus:2:-3", &error));
  g_assert_no_error (error);
  append_bytes (&m, m.a, SB_DIRECTION_RX, good, sizeof good);
  append_bytes (&m, m.a, SB_DIRECTION_RX, bad, 6);
  {
    g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (m.frames), 1);

    /* Still waiting for its last bytes: not checked yet. */
    g_assert_cmpint (sb_frame_item_get_check (item, &why), ==, SB_CHECK_NONE);
    g_assert_null (why);
  }
  append_bytes (&m, m.a, SB_DIRECTION_RX, bad + 6, sizeof bad - 6);
  append_bytes (&m, m.a, SB_DIRECTION_RX, shrt, sizeof shrt);
  append_bytes (&m, m.a, SB_DIRECTION_TX, bad, sizeof bad);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (m.frames)), ==, 4);
  g_assert_cmpuint (sb_frames_get_n_bad (m.frames), ==, 2);
  g_assert_cmpuint (notified, ==, 2);

  {
    g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (m.frames), 0);

    g_assert_cmpint (sb_frame_item_get_check (item, &why), ==, SB_CHECK_OK);
    g_assert_null (why);
  }
  {
    g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (m.frames), 1);

    g_assert_cmpint (sb_frame_item_get_check (item, &why), ==, SB_CHECK_BAD);
    g_assert_cmpstr (why, ==, "CRC-16/MODBUS bad: expected c5 cd, found c5 ce");
    g_clear_pointer (&why, g_free);
  }
  {
    g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (m.frames), 2);

    g_assert_cmpint (sb_frame_item_get_check (item, &why), ==, SB_CHECK_SHORT);
    g_assert_cmpstr (why, ==, "CRC-16/MODBUS: frame too short (3 bytes)");
    g_clear_pointer (&why, g_free);
  }
  {
    g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (m.frames), 3);

    g_assert_cmpint (sb_frame_item_get_direction (item), ==, SB_DIRECTION_TX);
    g_assert_cmpint (sb_frame_item_get_check (item, &why), ==, SB_CHECK_NONE);
    g_assert_null (why);
  }

  /* Framing again keeps the check; removing it clears the marks. */
  g_assert_true (sb_frames_set_spec (m.frames, "len:2:be:0:0", &error));
  g_assert_cmpuint (sb_frames_get_n_bad (m.frames), ==, 2);
  g_object_set (m.frames, "check", "", NULL);
  g_assert_cmpuint (sb_frames_get_n_bad (m.frames), ==, 0);
  {
    g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (m.frames), 1);

    g_assert_cmpint (sb_frame_item_get_check (item, NULL), ==, SB_CHECK_NONE);
  }
  /* Setting it again checks what is there. */
  g_object_set (m.frames, "check", "crc-16/modbus:2:-3", NULL);
  g_assert_cmpuint (sb_frames_get_n_bad (m.frames), ==, 2);
  model_teardown (&m);
}

static void
test_model_streams (void)
{
  Model m;
  g_autoptr(SbFrameItem) item = NULL;
  g_autoptr(GArray) parts = NULL;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GError) error = NULL;

  g_autoptr(GString) ended = g_string_new (NULL);

  model_setup (&m, "line");
  g_signal_connect (m.frames, "frame-ended", G_CALLBACK (frame_ended_cb), ended);

  append (&m, m.a, "ab");
  append (&m, m.b, "x\n");
  append (&m, m.a, "c\nd");
  ASSERT_MODEL (&m, "AC[abc\\n] BC[x\\n] AI[d]");
  g_assert_cmpuint (sb_frames_get_n_frames (m.frames, SB_DIRECTION_RX), ==, 3);

  item = g_list_model_get_item (G_LIST_MODEL (m.frames), 0);
  parts = sb_frame_item_dup_parts (item);
  g_assert_cmpuint (parts->len, ==, 2);
  g_assert_cmpuint (g_array_index (parts, SbFramePart, 0).serial, ==, 0);
  g_assert_cmpuint (g_array_index (parts, SbFramePart, 0).length, ==, 2);
  g_assert_cmpuint (g_array_index (parts, SbFramePart, 1).serial, ==, 2);
  g_assert_cmpuint (g_array_index (parts, SbFramePart, 1).offset, ==, 0);
  g_assert_cmpuint (g_array_index (parts, SbFramePart, 1).length, ==, 2);
  g_assert_cmpuint (sb_frame_item_get_first_serial (item), ==, 0);
  g_assert_cmpuint (sb_frame_item_get_last_serial (item), ==, 2);
  g_assert_cmpint (sb_frame_item_get_first_time (item), <=, sb_frame_item_get_last_time (item));

  /* Read 2 holds the end of frame 0 and the start of frame 2. */
  found = sb_frames_find_read (m.frames, 2);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpuint (g_array_index (found, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (found, guint, 1), ==, 2);

  /* The frame in progress is changed in place. */
  m.n_signals = 0;
  append (&m, m.a, "e\n");
  g_assert_cmpuint (m.n_signals, ==, 1);
  ASSERT_MODEL (&m, "AC[abc\\n] BC[x\\n] AC[de\\n]");

  /* The peer closing ends its stream: its frame stays incomplete. */
  append (&m, m.a, "f");
  sb_history_append_event (m.history, SB_EVENT_PEER_CLOSED, m.a, "");
  sb_history_flush (m.history);
  ASSERT_MODEL (&m, "AC[abc\\n] BC[x\\n] AC[de\\n] AI[f]");
  g_assert_cmpstr (ended->str, ==, "[x\\n][abc\\n][de\\n][f]");
  {
    g_autoptr(SbFrameItem) last = g_list_model_get_item (G_LIST_MODEL (m.frames), 3);
    g_autofree char *why = sb_frame_item_dup_explanation (last);

    g_assert_true (sb_frame_item_get_flags (last) & SB_FRAME_FLAG_STREAM_ENDED);
    g_assert_cmpstr (why, ==, "No line end yet\nIts stream ended before it was complete");
  }

  /* A new spec frames the whole history again, ending nothing anew. */
  g_assert_true (sb_frames_set_spec (m.frames, "fixed:2", &error));
  g_assert_cmpstr (ended->str, ==, "[x\\n][abc\\n][de\\n][f]");
  g_assert_no_error (error);
  ASSERT_MODEL (&m, "AC[ab] BC[x\\n] AC[c\\n] AC[de] AC[\\nf]");
  g_assert_false (sb_frames_set_spec (m.frames, "fixed:", &error));
  g_assert_error (error, SB_FRAMER_ERROR, SB_FRAMER_ERROR_INVALID_SPEC);
  ASSERT_MODEL (&m, "AC[ab] BC[x\\n] AC[c\\n] AC[de] AC[\\nf]");

  g_clear_object (&item);
  model_teardown (&m);
}

static void
test_model_drops (void)
{
  Model m;

  model_setup (&m, "line");

  /* Frames whose first read was dropped go with it. */
  append (&m, m.a, "1\n");
  append (&m, m.a, "2\n");
  append (&m, m.b, "3\n");
  sb_history_set_limits (m.history, 2, SB_HISTORY_DEFAULT_MAX_BYTES);
  ASSERT_MODEL (&m, "AC[2\\n] BC[3\\n]");
  g_assert_cmpuint (sb_frames_get_n_frames (m.frames, SB_DIRECTION_RX), ==, 2);

  /* A frame in progress whose head was dropped: the rest shows apart. */
  sb_history_set_limits (m.history, 3, SB_HISTORY_DEFAULT_MAX_BYTES);
  append (&m, m.a, "a");
  append (&m, m.a, "b");
  append (&m, m.a, "c");
  ASSERT_MODEL (&m, "AI[abc]");
  append (&m, m.a, "d");
  ASSERT_MODEL (&m, "AI^[d]");
  append (&m, m.a, "e\nf");
  ASSERT_MODEL (&m, "AC^[de\\n] AI[f]");

  /* Clearing the history clears the frames; nothing continues over it. */
  sb_history_clear (m.history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (m.frames)), ==, 0);
  append (&m, m.a, "g\n");
  ASSERT_MODEL (&m, "AC[g\\n]");

  /* Beyond max-frames the oldest frames go, counted. */
  append (&m, m.a, "h\ni\nj\n");
  sb_frames_set_max_frames (m.frames, 2);
  ASSERT_MODEL (&m, "AC[i\\n] AC[j\\n]");
  g_assert_cmpuint (sb_frames_get_n_dropped (m.frames), ==, 2);
  {
    g_autoptr(SbFrameItem) last = g_list_model_get_item (G_LIST_MODEL (m.frames), 1);
    guint position = 0;

    g_assert_true (sb_frames_find_number (m.frames, sb_frame_item_get_number (last), &position));
    g_assert_cmpuint (position, ==, 1);
    g_assert_false (sb_frames_find_number (m.frames, sb_frame_item_get_number (last) - 2, NULL));
  }
  g_assert_cmpuint (sb_frames_get_n_frames (m.frames, SB_DIRECTION_RX), ==, 2);

  model_teardown (&m);
}

static void
test_model_marker_across_reads (void)
{
  Model m;
  char long_read[101];

  /* The marker of the second frame starts one read before a long one. */
  model_setup (&m, "marker:aa55");
  memset (long_read, 'y', 100);
  long_read[0] = '\x55';
  long_read[100] = '\0';
  append (&m, m.a, "\xaa\x55x\xaa");
  append (&m, m.a, long_read);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (m.frames)), ==, 2);
  {
    g_autoptr(SbFrameItem) first = g_list_model_get_item (G_LIST_MODEL (m.frames), 0);
    g_autoptr(SbFrameItem) second = g_list_model_get_item (G_LIST_MODEL (m.frames), 1);
    g_autoptr(GArray) parts = sb_frame_item_dup_parts (second);

    g_assert_cmpuint (sb_frame_item_get_length (first), ==, 3);
    g_assert_cmpuint (sb_frame_item_get_first_serial (second), ==, 0);
    g_assert_cmpuint (sb_frame_item_get_first_offset (second), ==, 3);
    g_assert_cmpuint (sb_frame_item_get_length (second), ==, 101);
    g_assert_cmpuint (parts->len, ==, 2);
  }
  model_teardown (&m);
}

static void
test_model_gap_timer (void)
{
  Model m;

  model_setup (&m, "gap:500");
  append (&m, m.a, "ab");
  append (&m, m.a, "cd");
  ASSERT_MODEL (&m, "AI[abcd]");
  WAIT_UNTIL (rx_status (m.frames, 0) == SB_FRAME_COMPLETE);
  ASSERT_MODEL (&m, "AC[abcd]");
  model_teardown (&m);
}

static void
test_frame_history (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  g_autoptr(SbFramer) f = framer ("line");
  guint a = sb_history_intern_peer (history, "A");

  for (guint i = 0; i < 1000; i++)
    sb_history_append (history, i, SB_DIRECTION_RX, SB_EVENT_NONE, a, (const guint8 *) "ab\ncd", 5);
  sb_history_flush (history);

  /* 1000 reads "ab\ncd": "ab\n", then 999 × "cdab\n", then "cd" in progress. */
  g_assert_cmpuint (sb_frames_frame_history (history, f), ==, 1001);
}

/* Real sockets: a writer that controls its reads */

typedef struct
{
  SbSession *server;
  SbFrames  *frames;
  GSocket   *client;
  gsize      written;
} Wire;

static void
wire_open (Wire       *w,
           const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbFramer) f = framer (spec);

  w->server = start_ready ("tcp-listen://127.0.0.1:0");
  w->frames = sb_frames_new (sb_session_get_history (w->server), f);
  w->client = raw_connect (w->server);
  g_socket_set_option (w->client, IPPROTO_TCP, TCP_NODELAY, 1, &error);
  g_assert_no_error (error);
  w->written = 0;
  WAIT_UNTIL (n_peers (w->server) == 1);
}

/* Writes @len bytes and waits until the server has recorded them, so the
 * next write is a read of its own. */
static void
wire_write (Wire         *w,
            const guint8 *data,
            gsize         len)
{
  g_autoptr(GError) error = NULL;
  gsize sent = 0;

  while (sent < len)
    {
      gssize n = g_socket_send (w->client, (const char *) data + sent, len - sent, NULL, &error);

      g_assert_no_error (error);
      sent += (gsize) n;
    }
  w->written += len;
  WAIT_UNTIL (collected_len (w->server, SB_DIRECTION_RX) == w->written);
}

static void
wire_close (Wire *w)
{
  g_socket_close (w->client, NULL);
  g_clear_object (&w->client);
  /* A reset when the client left bytes unread: it ends the streams too. */
  WAIT_UNTIL (count_events (w->server, SB_EVENT_PEER_CLOSED) + count_events (w->server, SB_EVENT_RESET) == 1);
}

static void
wire_free (Wire *w)
{
  g_clear_object (&w->client);
  g_assert_finalize_object (w->frames);
  stop_and_free (w->server);
}

typedef struct
{
  const char *spec;
  struct
  {
    const char *data;
    gsize       len;
  } messages[4];
} WireCase;

#define M(s) { s, sizeof (s) - 1 }

static void
test_wire_split (gconstpointer data)
{
  const WireCase *c = data;
  g_autoptr(GByteArray) all = g_byte_array_new ();
  g_autoptr(GByteArray) wanted = g_byte_array_new ();
  g_autoptr(GByteArray) got = NULL;
  guint n_messages = 0;
  Wire w;

  for (guint i = 0; i < G_N_ELEMENTS (c->messages) && c->messages[i].data != NULL; i++, n_messages++)
    g_byte_array_append (all, (const guint8 *) c->messages[i].data, (guint) c->messages[i].len);

  wire_open (&w, c->spec);

  /* Round k writes the messages in two reads split at byte k (one read
   * holding them all for k = 0). */
  for (guint k = 0; k < all->len; k++)
    {
      if (k > 0)
        wire_write (&w, all->data, k);
      wire_write (&w, all->data + k, all->len - k);
      g_byte_array_append (wanted, all->data, all->len);
    }

  /* The last marker frame ends with the stream. */
  wire_close (&w);

  /* The raw history is what was written, read by read. */
  got = collect (w.server, SB_DIRECTION_RX);
  g_assert_cmpmem (got->data, got->len, wanted->data, wanted->len);

  g_assert_cmpuint (sb_frames_get_n_frames (w.frames, SB_DIRECTION_RX), ==, all->len * n_messages);
  for (guint k = 0, index = 0; k < all->len; k++)
    {
      gsize start = 0;

      for (guint i = 0; i < n_messages; i++, index++)
        {
          g_autoptr(SbFrameItem) item = rx_item (w.frames, index);
          g_autoptr(GBytes) raw = sb_frame_item_dup_raw (item);
          g_autoptr(GArray) parts = sb_frame_item_dup_parts (item);
          gboolean split = k > start && k < start + c->messages[i].len;

          g_assert_cmpint (sb_frame_item_get_status (item), ==, SB_FRAME_COMPLETE);
          g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                           c->messages[i].data, c->messages[i].len);
          g_assert_cmpuint (parts->len, ==, split ? 2 : 1);
          start += c->messages[i].len;
        }
    }

  /* The single read of round 0 holds every message. */
  {
    g_autoptr(SbFrameItem) first = rx_item (w.frames, 0);
    g_autoptr(GArray) found = sb_frames_find_read (w.frames, sb_frame_item_get_first_serial (first));

    g_assert_cmpuint (found->len, ==, n_messages);
  }

  wire_free (&w);
}

static const WireCase wire_cases[] = {
  { "line", { M ("hello\n"), M ("\r\n"), M ("world\r\n") } },
  { "delim:7e7e:strip", { M ("ab~~"), M ("~~"), M ("c~d~~") } },
  { "fixed:4", { M ("abcd"), M ("efgh"), M ("ijkl") } },
  { "len:2:be", { M ("\x00\x03" "abc"), M ("\x00\x00"), M ("\x00\x01" "z") } },
  { "len:1:le:1:0:incl", { M ("T\x04" "ab"), M ("U\x02") } },
  { "marker:aa55", { M ("\xaa\x55" "one"), M ("\xaa\x55" "two\xaa") } },
  { "slip", { M ("ab\xdb\xdc\xc0"), M ("\xdb\xdd\xc0") } },
  { "cobs", { M ("\x02\x11\x02\x22\x00"), M ("\x01\x00"), M ("\x03xy\x00") } },
  { "json", { M ("{\"a\":[1,\"}\"]}"), M ("[]"), M ("\"s\"") } },
  { "jsonl", { M ("{\"a\":1}\n"), M ("[2]\r\n") } },
};

static void
test_wire_marker_garbage (void)
{
  Wire w;
  g_autoptr(SbFrameItem) first = NULL;
  g_autoptr(SbFrameItem) second = NULL;
  g_autoptr(GBytes) raw = NULL;

  wire_open (&w, "marker:aa55");
  wire_write (&w, (const guint8 *) "junk\xaa", 5);
  wire_write (&w, (const guint8 *) "\x55" "one\xaa\x55" "tw", 8);
  wire_write (&w, (const guint8 *) "o", 1);

  first = rx_item (w.frames, 0);
  g_assert_cmpint (sb_frame_item_get_status (first), ==, SB_FRAME_COMPLETE);
  g_assert_cmpuint (sb_frame_item_get_first_offset (first), ==, 4);
  raw = sb_frame_item_dup_raw (first);
  g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), "\xaa\x55" "one", 5);
  g_assert_cmpuint (sb_frames_get_n_skipped (w.frames), ==, 4);

  /* The last frame ends with its stream. */
  second = rx_item (w.frames, 1);
  g_assert_cmpint (sb_frame_item_get_status (second), ==, SB_FRAME_INCOMPLETE);
  g_clear_object (&second);
  wire_close (&w);
  second = rx_item (w.frames, 1);
  g_assert_cmpint (sb_frame_item_get_status (second), ==, SB_FRAME_COMPLETE);
  g_assert_cmpuint (sb_frame_item_get_length (second), ==, 5);
  wire_free (&w);
}

static void
test_wire_oversized (void)
{
  Wire w;
  guint8 big[41];

  memset (big, 'x', 40);
  big[40] = '\n';
  wire_open (&w, "line:max=16");
  wire_write (&w, big, 20);
  wire_write (&w, big + 20, 21);

  g_assert_cmpuint (sb_frames_get_n_frames (w.frames, SB_DIRECTION_RX), ==, 3);
  g_assert_cmpuint (sb_frames_get_n_cut (w.frames), ==, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SbFrameItem) item = rx_item (w.frames, i);
      g_autoptr(GArray) parts = sb_frame_item_dup_parts (item);

      g_assert_cmpint (sb_frame_item_get_status (item), ==, SB_FRAME_CUT);
      g_assert_cmpuint (sb_frame_item_get_length (item), ==, i < 2 ? 16 : 9);
      g_assert_cmpuint (parts->len, ==, i == 1 ? 2 : 1);
    }
  wire_close (&w);
  wire_free (&w);
}

static void
test_wire_lying_length (void)
{
  Wire w;
  g_autoptr(SbFrameItem) item = NULL;
  g_autofree char *why = NULL;

  wire_open (&w, "len:2:be");
  wire_write (&w, (const guint8 *) "\x00\x64" "0123456789", 12);
  wire_write (&w, (const guint8 *) "\x00\x02" "hi", 4);

  /* The next message is swallowed as body: the frame still waits. */
  g_assert_cmpuint (sb_frames_get_n_frames (w.frames, SB_DIRECTION_RX), ==, 1);
  item = rx_item (w.frames, 0);
  g_assert_cmpint (sb_frame_item_get_status (item), ==, SB_FRAME_INCOMPLETE);
  g_assert_cmpuint (sb_frame_item_get_length (item), ==, 16);
  why = sb_frame_item_dup_explanation (item);
  g_assert_cmpstr (why, ==, "Length field 0x0064 = 100 bytes + 2 header\nWaiting for 86 more bytes");

  wire_close (&w);
  g_clear_object (&item);
  item = rx_item (w.frames, 0);
  g_assert_cmpint (sb_frame_item_get_status (item), ==, SB_FRAME_INCOMPLETE);
  g_assert_true (sb_frame_item_get_flags (item) & SB_FRAME_FLAG_STREAM_ENDED);
  wire_free (&w);
}

static void
test_wire_gap (void)
{
  Wire w;
  g_autoptr(SbFrameItem) item = NULL;
  g_autoptr(GArray) parts = NULL;

  wire_open (&w, "gap:1000");
  wire_write (&w, (const guint8 *) "ab", 2);
  wire_write (&w, (const guint8 *) "cd", 2);
  WAIT_UNTIL (rx_status (w.frames, 0) == SB_FRAME_COMPLETE);
  item = rx_item (w.frames, 0);
  parts = sb_frame_item_dup_parts (item);
  g_assert_cmpuint (sb_frame_item_get_length (item), ==, 4);
  g_assert_cmpuint (parts->len, ==, 2);
  wire_close (&w);
  wire_free (&w);
}

static void
test_wire_none (void)
{
  Wire w;
  const char *pieces[] = { "a", "bc", "def" };

  wire_open (&w, "none");
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    wire_write (&w, (const guint8 *) pieces[i], strlen (pieces[i]));
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autoptr(SbFrameItem) item = rx_item (w.frames, i);
      g_autoptr(GBytes) raw = sb_frame_item_dup_raw (item);

      g_assert_cmpmem (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), pieces[i], strlen (pieces[i]));
    }
  wire_close (&w);
  wire_free (&w);
}

static void
test_wire_both_directions (void)
{
  Wire w;

  /* What we send is framed as its own stream, apart from what we read. */
  wire_open (&w, "line");
  wire_write (&w, (const guint8 *) "a\nb", 3);
  send_text (w.server, peer_at (w.server, 0), "x\ny\nz");
  WAIT_UNTIL (collected_len (w.server, SB_DIRECTION_TX) == 5);

  g_assert_cmpuint (sb_frames_get_n_frames (w.frames, SB_DIRECTION_RX), ==, 2);
  g_assert_cmpuint (sb_frames_get_n_frames (w.frames, SB_DIRECTION_TX), ==, 3);
  for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (w.frames)); i < n; i++)
    {
      g_autoptr(SbFrameItem) item = g_list_model_get_item (G_LIST_MODEL (w.frames), i);
      g_autoptr(GBytes) raw = sb_frame_item_dup_raw (item);
      gboolean ended = g_bytes_get_size (raw) == 2;

      g_assert_cmpstr (sb_frame_item_get_peer_label (item), ==,
                       sb_history_get_peer_label (sb_session_get_history (w.server),
                                                  sb_frame_item_get_peer (item)));
      g_assert_cmpint (sb_frame_item_get_status (item), ==,
                       ended ? SB_FRAME_COMPLETE : SB_FRAME_INCOMPLETE);
    }

  wire_close (&w);
  wire_free (&w);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/framer/spec/round-trip", test_spec_round_trip);
  g_test_add_func ("/framer/spec/errors", test_spec_errors);
  g_test_add_func ("/framer/bytes/delimiters", test_delimiters);
  g_test_add_func ("/framer/bytes/fixed-none", test_fixed_and_none);
  g_test_add_func ("/framer/bytes/length", test_length);
  g_test_add_func ("/framer/bytes/marker", test_marker);
  g_test_add_func ("/framer/bytes/slip-cobs", test_slip_cobs);
  g_test_add_func ("/framer/bytes/json", test_json);
  g_test_add_func ("/framer/bytes/gap", test_gap);
  g_test_add_func ("/framer/model/streams", test_model_streams);
  g_test_add_func ("/framer/model/check", test_model_check);
  g_test_add_func ("/framer/model/drops", test_model_drops);
  g_test_add_func ("/framer/model/marker-across-reads", test_model_marker_across_reads);
  g_test_add_func ("/framer/model/gap-timer", test_model_gap_timer);
  g_test_add_func ("/framer/model/frame-history", test_frame_history);
  for (guint i = 0; i < G_N_ELEMENTS (wire_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/framer/wire/split/%s", wire_cases[i].spec);

      g_test_add_data_func (path, &wire_cases[i], test_wire_split);
    }
  g_test_add_func ("/framer/wire/marker-garbage", test_wire_marker_garbage);
  g_test_add_func ("/framer/wire/oversized", test_wire_oversized);
  g_test_add_func ("/framer/wire/lying-length", test_wire_lying_length);
  g_test_add_func ("/framer/wire/gap", test_wire_gap);
  g_test_add_func ("/framer/wire/none", test_wire_none);
  g_test_add_func ("/framer/wire/both-directions", test_wire_both_directions);

  return sb_test_run ();
}
