/* fuzz-history.c — sb_history_decode over records cut anywhere
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [encoding index] [flags] then records, each [header] [payload]:
 *   header 0xff: a "connected" event, which ends every stream;
 *   otherwise bit 7 picks rx or tx, bits 0–5 the length, bit 6 multiplies
 *   it by 37 (records up to 2,331 bytes).
 *
 * Property: for each stream (direction, between connection events) the
 * views of its records, one after the other, equal the one-shot
 * sb_codec_decode() of their concatenation, marks included — whenever
 * the documented look-back (sb-history.h: at least 4 records, further
 * while they are tiny; UTF-8 needs only the last 3 bytes of a record)
 * reaches the start of the stream from every record. Beyond that, in
 * encodings whose lead and trail bytes overlap (GBK, Big5, Shift_JIS…),
 * how a long run of lead bytes pairs up depends on where it started, and
 * a bounded look-back cannot know: then only "no crash, valid UTF-8" is
 * checked. "hex" views are each record's own bytes.
 */
#include "config.h"

#include "sb-history.h"
#include "fuzz-common.h"

/* Mirrors sb-history.c: CARRY_DEPTH, CARRY_BYTES, CARRY_MAX_DEPTH. */
#define CARRY_DEPTH     4
#define CARRY_BYTES     256
#define CARRY_MAX_DEPTH 64

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

typedef struct
{
  guint  position;
  gsize  len;
} Rec;

/* Does the look-back from record @k reach the start of its stream? */
static gboolean
reaches_start (const Rec *recs,
               guint      k,
               gboolean   utf8)
{
  gsize seen = 0;
  guint depth = 1;

  if (k == 0)
    return TRUE;

  for (guint r = k - 1;; r--, depth++)
    {
      if (utf8 && recs[r].len >= 3)
        return TRUE;
      seen += recs[r].len;
      if (r == 0)
        return TRUE;
      if (!(depth < CARRY_DEPTH || (seen < CARRY_BYTES && depth < CARRY_MAX_DEPTH)))
        return FALSE;
    }
}

static void
check_stream (SbHistory     *history,
              const char    *encoding,
              SbDecodeFlags  flags,
              const Rec     *recs,
              guint          n,
              GByteArray    *all)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GArray) joined_marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
  g_autoptr(GArray) want_marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
  g_autofree char *want = NULL;
  gboolean exact = TRUE;
  gboolean hex = strcmp (encoding, SB_ENCODING_HEX) == 0;
  gboolean utf8 = strcmp (encoding, "UTF-8") == 0;

  if (n == 0)
    return;

  for (guint k = 0; k < n; k++)
    {
      g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
      g_autofree char *view = sb_history_decode (history, recs[k].position, encoding, flags, marks);
      gsize view_len = strlen (view);

      FUZZ_CHECK (g_utf8_validate (view, -1, NULL), "%s: record view is not UTF-8", encoding);

      if (hex)
        {
          const guint8 *p;
          gsize len;
          g_autofree char *own = NULL;

          p = sb_history_peek_data (history, recs[k].position, &len);
          own = sb_codec_format_hex (p, len);
          FUZZ_CHECK (strcmp (own, view) == 0, "hex view is not the record's own bytes");
          continue;
        }

      exact = exact && reaches_start (recs, k, utf8);
      for (guint m = 0; m < marks->len; m++)
        {
          SbTextMark mark = g_array_index (marks, SbTextMark, m);

          FUZZ_CHECK (mark.end <= view_len || memchr (view, '\0', view_len) == NULL,
                      "mark beyond the view");
          mark.start += joined->len;
          mark.end += joined->len;
          g_array_append_val (joined_marks, mark);
        }
      g_string_append (joined, view);
    }

  if (hex || !exact)
    return;

  want = sb_codec_decode (encoding, all->data, all->len, flags, want_marks);
  /* Without SB_DECODE_ESCAPE_CONTROLS a NUL ends each C string early; the
   * views cannot be compared then. */
  if (!(flags & SB_DECODE_ESCAPE_CONTROLS) && all->len > 0 && memchr (all->data, 0, all->len) != NULL)
    return;

  if (strcmp (want, joined->str) != 0 ||
      want_marks->len != joined_marks->len ||
      (want_marks->len > 0 &&
       memcmp (want_marks->data, joined_marks->data, want_marks->len * sizeof (SbTextMark)) != 0))
    {
      fuzz_dump ("stream", all->data, all->len);
      for (guint k = 0; k < n; k++)
        fprintf (stderr, "record %u: %zu bytes\n", k, recs[k].len);
      fprintf (stderr, "one-shot: %s\nrecords:  %s\n", want, joined->str);
      fuzz_fail ("%s (flags %d): record views differ from the one-shot decode", encoding, flags);
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  const SbEncodingInfo *encodings;
  const char *encoding;
  guint n_encodings;
  SbDecodeFlags flags;
  g_autoptr(SbHistory) history = NULL;
  GArray *recs[2];
  GByteArray *bytes[2];
  guint peer;

  fuzz_init_glib ();

  encodings = sb_codec_get_encodings (&n_encodings);
  encoding = encodings[fuzz_byte (&in) % n_encodings].name;
  flags = (fuzz_byte (&in) & 1) ? SB_DECODE_ESCAPE_CONTROLS : SB_DECODE_DEFAULT;

  history = sb_history_new ();
  peer = sb_history_intern_peer (history, "127.0.0.1:1");
  for (guint d = 0; d < 2; d++)
    {
      recs[d] = g_array_new (FALSE, FALSE, sizeof (Rec));
      bytes[d] = g_byte_array_new ();
    }

  while (in.len > 0)
    {
      guint8 h = fuzz_byte (&in);
      guint d;
      gsize len;
      Rec rec;

      if (h == 0xff)
        {
          /* The streams so far end here: check them, start new ones. */
          sb_history_append_event (history, SB_EVENT_CONNECTED, peer, "connected");
          sb_history_flush (history);
          for (d = 0; d < 2; d++)
            {
              check_stream (history, encoding, flags, (Rec *) recs[d]->data, recs[d]->len, bytes[d]);
              g_array_set_size (recs[d], 0);
              g_byte_array_set_size (bytes[d], 0);
            }
          continue;
        }

      d = (h >> 7) & 1;
      len = h & 0x3f;
      if (h & 0x40)
        len *= 37;
      len = MIN (len, in.len);

      sb_history_append (history, 0, d ? SB_DIRECTION_TX : SB_DIRECTION_RX, SB_EVENT_NONE,
                         peer, in.data, len);
      rec.position = (guint) sb_history_get_next_serial (history) - 1;
      rec.len = len;
      g_array_append_val (recs[d], rec);
      g_byte_array_append (bytes[d], in.data, len);
      in.data += len;
      in.len -= len;
    }

  sb_history_flush (history);
  for (guint d = 0; d < 2; d++)
    check_stream (history, encoding, flags, (Rec *) recs[d]->data, recs[d]->len, bytes[d]);

  /* Switching encodings reuses the history's decoder: no stale state. */
  if (sb_history_get_n_records (history) > 0)
    {
      g_autofree char *a = sb_history_decode (history, 0, "GB18030", flags, NULL);
      g_autofree char *b = sb_history_decode (history, sb_history_get_n_records (history) - 1,
                                              "UTF-16BE", flags, NULL);

      FUZZ_CHECK (g_utf8_validate (a, -1, NULL) && g_utf8_validate (b, -1, NULL), "views not UTF-8");
    }

  for (guint d = 0; d < 2; d++)
    {
      g_array_unref (recs[d]);
      g_byte_array_unref (bytes[d]);
    }

  return 0;
}
