/* sb-framer-state.c — framing a stream as its reads arrive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A state never copies frame bytes: it keeps a handful of counters per
 * kind, so any number of streams and any frame size take bounded memory.
 * Positions are absolute (bytes fed since the state began); marks say where
 * frames begin and end, and the caller maps them to its own storage.
 */
#define G_LOG_DOMAIN "sb-framer"

#include "config.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sb-framer-state-private.h"

SbFramerState *
sb_framer_state_new (SbFramer *framer)
{
  SbFramerState *self;

  g_return_val_if_fail (framer != NULL, NULL);

  self = g_new0 (SbFramerState, 1);
  self->framer = sb_framer_ref (framer);
  sb_framer_state_reset (self);
  return self;
}

void
sb_framer_state_free (SbFramerState *self)
{
  if (self == NULL)
    return;

  sb_framer_unref (self->framer);
  g_free (self);
}

void
sb_framer_state_reset (SbFramerState *self)
{
  SbFramer *framer;

  g_return_if_fail (self != NULL);

  framer = self->framer;
  memset (self, 0, sizeof *self);
  self->framer = framer;
  self->bad = -1;
  self->json.bad = -1;
}

guint64
sb_framer_state_get_position (SbFramerState *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pos;
}

/* Marks */

/* Inlined where frames are many (the delimiter's loop). */
static inline void
mark_begin (SbFramerState *self,
            SbFramerOut   *out,
            guint64        position)
{
  SbFrameFlags flags = self->continuing ? SB_FRAME_FLAG_CONTINUATION : SB_FRAME_FLAG_NONE;

  if (out->marks != NULL)
    {
      SbFramerMark mark = { SB_FRAMER_MARK_BEGIN, position, { 0, } };

      mark.info.skipped = self->skipped;
      mark.info.flags = flags;
      g_array_append_val (out->marks, mark);
    }
  else
    out->begun = TRUE;

  self->in_frame = TRUE;
  self->frame_start = position;
  self->frame_flags = flags;
  self->frame_skipped = self->skipped;
  self->skipped = 0;
  if (!self->continuing)
    {
      self->decoded = 0;
      self->bad = -1;
      self->escape = FALSE;
      self->cobs_left = 0;
      self->cobs_code = 0;
    }
  self->continuing = FALSE;
}

static inline void
mark_end (SbFramerState *self,
          SbFramerOut   *out,
          guint64        position,
          SbFrameStatus  status,
          SbFrameReason  reason,
          guint64        detail,
          guint64        missing)
{
  SbFrameInfo info;
  GArray *marks = out->marks;
  gboolean begun;

  self->in_frame = FALSE;

  /* The rest of a cut frame can turn out empty (a number cut just before
   * its end): no frame then. */
  if (marks != NULL)
    begun = marks->len > 0 &&
            g_array_index (marks, SbFramerMark, marks->len - 1).kind == SB_FRAMER_MARK_BEGIN;
  else
    begun = out->begun;
  if (position == self->frame_start && begun)
    {
      if (marks != NULL)
        g_array_set_size (marks, marks->len - 1);
      out->begun = FALSE;
      return;
    }

  if (status == SB_FRAME_COMPLETE && (self->frame_flags & SB_FRAME_FLAG_CONTINUATION))
    status = SB_FRAME_CUT;

  info = (SbFrameInfo) {
    .length = position - self->frame_start,
    .skipped = self->frame_skipped,
    .missing = missing,
    .detail = detail,
    .status = status,
    .reason = reason,
    .flags = self->frame_flags,
  };
  if (marks != NULL)
    {
      SbFramerMark mark = { SB_FRAMER_MARK_END, position, info };

      g_array_append_val (marks, mark);
    }
  else
    {
      out->begun = FALSE;
      collector_emit (out, self->frame_start, position, &info);
    }
}

void
sb_framer_mark_begin (SbFramerState *self,
                      SbFramerOut   *out,
                      guint64        position)
{
  mark_begin (self, out, position);
}

void
sb_framer_mark_end_missing (SbFramerState *self,
                            SbFramerOut   *out,
                            guint64        position,
                            SbFrameStatus  status,
                            SbFrameReason  reason,
                            guint64        detail,
                            guint64        missing)
{
  mark_end (self, out, position, status, reason, detail, missing);
}

void
sb_framer_mark_end (SbFramerState *self,
                    SbFramerOut   *out,
                    guint64        position,
                    SbFrameStatus  status,
                    SbFrameReason  reason,
                    guint64        detail)
{
  mark_end (self, out, position, status, reason, detail, 0);
}

/* Ends the frame at the limit; the rest of it is the next frame. */
void
sb_framer_mark_cut (SbFramerState *self,
                    SbFramerOut   *out,
                    guint64        position)
{
  sb_framer_mark_end (self, out, position, SB_FRAME_CUT, SB_FRAME_REASON_LIMIT, 0);
  self->continuing = TRUE;
}

static inline guint
pattern_step (const SbFramer *framer,
              guint           match,
              guint8          b)
{
  while (match > 0 && framer->pattern[match] != b)
    match = framer->fallback[match - 1];
  if (framer->pattern[match] == b)
    match++;
  return match;
}

/* none, fixed, gap: spans */

static void
feed_spans (SbFramerState *self,
            const guint8  *data,
            gsize          len,
            gint64         time_us,
            SbFramerOut   *out)
{
  SbFramer *framer = self->framer;
  guint64 position = self->pos;
  guint64 stop = self->pos + len;

  if (len == 0)
    return;

  if (framer->kind == SB_FRAMER_GAP)
    {
      gint64 silence = time_us - self->last_time;

      if (silence >= (gint64) framer->number * 1000)
        {
          if (self->in_frame)
            sb_framer_mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_GAP,
                 (guint64) silence / 1000);
          self->continuing = FALSE;
        }
      self->last_time = time_us;
    }
  else if (framer->kind == SB_FRAMER_NONE)
    self->continuing = FALSE;

  while (position < stop)
    {
      guint64 room, take;

      if (!self->in_frame)
        sb_framer_mark_begin (self, out, position);

      room = framer->max_frame - (position - self->frame_start);
      if (framer->kind == SB_FRAMER_FIXED)
        room = MIN (room, framer->number - (position - self->frame_start));
      take = MIN (room, stop - position);
      position += take;

      if (framer->kind == SB_FRAMER_FIXED && position - self->frame_start == framer->number)
        sb_framer_mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_FIXED, 0);
      else if (framer->kind == SB_FRAMER_NONE && position == stop)
        sb_framer_mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_READ, 0);
      else if (at_limit (self, position))
        sb_framer_mark_cut (self, out, position);
    }
  self->pos = stop;
}

/* len */

static void
length_known (SbFramerState *self,
              SbFramerOut   *out,
              guint64        position)
{
  SbFramer *framer = self->framer;
  guint header = framer->offset + framer->size;
  gint64 total = (gint64) self->field + framer->adjust;

  if (!framer->counts_header)
    total += header;

  if (total < (gint64) header)
    {
      sb_framer_mark_end (self, out, position, SB_FRAME_INVALID, SB_FRAME_REASON_BAD_LENGTH, self->field);
      self->header_seen = 0;
      self->field = 0;
      self->done = 0;
      return;
    }

  self->have_total = TRUE;
  self->total = (guint64) total;
}

static void
length_done (SbFramerState *self,
             SbFramerOut   *out,
             guint64        position)
{
  sb_framer_mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_LENGTH, self->field);
  self->have_total = FALSE;
  self->header_seen = 0;
  self->field = 0;
  self->done = 0;
}

static void
feed_length (SbFramerState *self,
             const guint8  *data,
             gsize          len,
             SbFramerOut   *out)
{
  SbFramer *framer = self->framer;
  guint header = framer->offset + framer->size;
  gsize i = 0;

  while (i < len)
    {
      guint64 position = self->pos + i;

      if (!self->in_frame)
        sb_framer_mark_begin (self, out, position);

      if (!self->have_total)
        {
          guint8 b = data[i++];

          if (self->header_seen >= framer->offset)
            {
              guint k = self->header_seen - framer->offset;

              if (framer->big_endian)
                self->field = self->field << 8 | b;
              else
                self->field |= (guint64) b << (8 * k);
            }
          self->header_seen++;
          self->done++;
          position++;

          if (self->header_seen == header)
            {
              length_known (self, out, position);
              if (self->have_total && self->done == self->total)
                length_done (self, out, position);
            }
        }
      else
        {
          guint64 room = framer->max_frame - (position - self->frame_start);
          guint64 take = MIN (MIN (room, self->total - self->done), len - i);

          i += take;
          position += take;
          self->done += take;
          if (self->done == self->total)
            length_done (self, out, position);
        }

      if (self->in_frame && at_limit (self, position))
        sb_framer_mark_cut (self, out, position);
    }
  self->pos += len;
}

/* delim, line */

/* The end of the first whole @pattern in @data[0 … len), or NULL. */
static inline const guint8 *
find_pattern (const guint8 *data,
              gsize         len,
              const guint8 *pattern,
              guint         pattern_len)
{
  const guint8 *p = data;
  const guint8 *stop = data + len;

  if (pattern_len == 1)
    {
      p = memchr (data, pattern[0], len);
      return p != NULL ? p + 1 : NULL;
    }
  while ((gsize) (stop - p) >= pattern_len &&
         (p = memchr (p, pattern[0], (gsize) (stop - p) - pattern_len + 1)) != NULL)
    {
      if (memcmp (p + 1, pattern + 1, pattern_len - 1) == 0)
        return p + pattern_len;
      p++;
    }
  return NULL;
}

static inline void
delimiter_end (SbFramerState *self,
               SbFramerOut   *out,
               const guint8  *data,
               gsize          i,
               guint64        position)
{
  guint64 detail = 0;

  if (self->framer->kind == SB_FRAMER_LINE)
    {
      guint8 before = i >= 2 ? data[i - 2] : self->prev;

      detail = position - self->frame_start >= 2 && before == '\r' ? 2 : 1;
    }
  mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_DELIMITER, detail, 0);
  self->match = 0;
}

/* Bit k set: data[k] == byte, for k < len <= 64. */
static inline guint64
byte_mask (const guint8 *data,
           gsize         len,
           guint8        byte)
{
  guint64 mask = 0;
  gsize k = 0;

#ifdef __SSE2__
  __m128i want = _mm_set1_epi8 ((char) byte);

  if (len == 64)
    {
      /* Four independent compares, no shift by a variable. */
      guint64 m0 = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) data), want));
      guint64 m1 = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 16)), want));
      guint64 m2 = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 32)), want));
      guint64 m3 = (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 48)), want));

      return m0 | m1 << 16 | m2 << 32 | m3 << 48;
    }
  for (; k + 16 <= len; k += 16)
    {
      __m128i block = _mm_loadu_si128 ((const __m128i *) (data + k));

      mask |= (guint64) (guint) _mm_movemask_epi8 (_mm_cmpeq_epi8 (block, want)) << k;
    }
#endif
  for (; k < len; k++)
    mask |= (guint64) (data[k] == byte) << k;
  return mask;
}

/* The frame in progress reaches @stop (absolute): cut it at the limit as
 * often as it passes it; @end_after: a delimiter ends it at @stop, so
 * reaching the limit just there is no cut. */
static inline void
cut_to (SbFramerState *self,
        SbFramerOut   *out,
        guint64        stop,
        gboolean       end_after)
{
  guint64 max = self->framer->max_frame;

  while (end_after ? stop - self->frame_start > max : stop - self->frame_start >= max)
    {
      guint64 limit = self->frame_start + max;

      mark_end (self, out, limit, SB_FRAME_CUT, SB_FRAME_REASON_LIMIT, 0, 0);
      self->continuing = TRUE;
      if (limit == stop)
        break;
      mark_begin (self, out, limit);
    }
}

/* A one-byte delimiter (delim:7a, line): the read is compared 16 bytes at
 * a time, and the frames between the hits handed out in turn; what follows
 * the last hit begins the frame in progress. */
static void
feed_byte_delimiter (SbFramerState *self,
                     const guint8  *data,
                     gsize          len,
                     SbFramerOut   *out)
{
  SbFramer *framer = self->framer;
  guint8 byte = framer->pattern[0];
  gboolean line = framer->kind == SB_FRAMER_LINE;
  guint64 pos = self->pos;
  gsize i = 0;
  /* Handed to a collector, a whole frame of this read that nothing before
   * it was cut from goes straight to its function, without marks; what
   * that loop needs is kept out of memory the function could change. */
  SbFramerCollector *collector = out->marks == NULL ? (SbFramerCollector *) out : NULL;
  SbFramerFrameFunc func = collector != NULL ? collector->func : NULL;
  gpointer user_data = collector != NULL ? collector->user_data : NULL;
  gboolean stopped = func == NULL || collector->stopped;
  gboolean direct = collector != NULL && !self->in_frame && !self->continuing && self->skipped == 0;
  guint64 max_frame = framer->max_frame;
  SbFrameInfo info = { .status = SB_FRAME_COMPLETE, .reason = SB_FRAME_REASON_DELIMITER };
  gsize last_direct = G_MAXSIZE;

  for (gsize base = 0; base < len; base += 64)
    {
      guint64 mask = byte_mask (data + base, MIN (64, len - base), byte);

      while (mask != 0)
        {
          gsize end = base + (gsize) __builtin_ctzll (mask) + 1;

          mask &= mask - 1;
          if (direct && end - i <= max_frame)
            {
              if (!stopped)
                {
                  info.length = end - i;
                  if (line)
                    info.detail = end - i >= 2 && data[end - 2] == '\r' ? 2 : 1;
                  /* (An end from inside the function stops it too.) */
                  stopped = !func (data + i, end - i, &info, user_data) || collector->stopped;
                }
              last_direct = i;
              i = end;
              continue;
            }

          if (collector != NULL)
            collector->stopped = stopped;
          last_direct = G_MAXSIZE;
          if (!self->in_frame)
            mark_begin (self, out, pos + i);
          cut_to (self, out, pos + end, TRUE);
          delimiter_end (self, out, data, end, pos + end);
          i = end;
          if (collector != NULL)
            stopped = func == NULL || collector->stopped;
          direct = collector != NULL && !self->in_frame && !self->continuing && self->skipped == 0;
        }
    }
  if (collector != NULL && func != NULL)
    collector->stopped = stopped;

  if (last_direct != G_MAXSIZE && !self->in_frame)
    {
      /* As mark_begin and mark_end leave it after the last of them. */
      self->frame_start = pos + last_direct;
      self->frame_flags = SB_FRAME_FLAG_NONE;
      self->frame_skipped = 0;
      self->decoded = 0;
      self->bad = -1;
      self->escape = FALSE;
      self->cobs_left = 0;
      self->cobs_code = 0;
      out->begun = FALSE;
    }

  if (i < len)
    {
      if (!self->in_frame)
        mark_begin (self, out, pos + i);
      cut_to (self, out, pos + len, FALSE);
    }
  self->prev = data[len - 1];
  self->pos += len;
}

/* Whole delimiters are looked for over the read at once (memchr, then the
 * rest compared); only one begun at the end of a read, or cut by the
 * limit, is followed byte by byte (Knuth–Morris–Pratt) into the next. */
static void
feed_delimiter (SbFramerState *self,
                const guint8  *data,
                gsize          len,
                SbFramerOut   *out)
{
  SbFramer *framer = self->framer;
  guint pattern_len = framer->pattern_len;
  gsize i = 0;

  if (pattern_len == 1 && len > 0)
    {
      feed_byte_delimiter (self, data, len, out);
      return;
    }

  while (i < len)
    {
      guint64 position = self->pos + i;

      if (!self->in_frame)
        sb_framer_mark_begin (self, out, position);

      if (self->match == 0)
        {
          guint64 room = framer->max_frame - (position - self->frame_start);
          gsize limit = (gsize) MIN (room, len - i);
          const guint8 *end = find_pattern (data + i, limit, framer->pattern, pattern_len);

          if (end != NULL)
            {
              i = (gsize) (end - data);
              delimiter_end (self, out, data, i, self->pos + i);
              continue;
            }

          /* None in reach: a delimiter may have begun in the last bytes. */
          for (gsize k = limit >= pattern_len ? limit - (pattern_len - 1) : 0; k < limit; k++)
            self->match = pattern_step (framer, self->match, data[i + k]);
          i += limit;
          if (at_limit (self, self->pos + i))
            sb_framer_mark_cut (self, out, self->pos + i);
          continue;
        }

      self->match = pattern_step (framer, self->match, data[i]);
      i++;
      position++;

      if (self->match == pattern_len)
        delimiter_end (self, out, data, i, position);
      else if (at_limit (self, position))
        sb_framer_mark_cut (self, out, position);
    }

  if (len > 0)
    self->prev = data[len - 1];
  self->pos += len;
}

/* marker */

static void
feed_marker (SbFramerState *self,
             const guint8  *data,
             gsize          len,
             SbFramerOut   *out)
{
  SbFramer *framer = self->framer;

  for (gsize i = 0; i < len; i++)
    {
      guint64 position = self->pos + i + 1;

      self->match = pattern_step (framer, self->match, data[i]);

      if (self->match == framer->pattern_len)
        {
          guint64 start = position - framer->pattern_len;

          if (self->in_frame)
            sb_framer_mark_end (self, out, start, SB_FRAME_COMPLETE, SB_FRAME_REASON_MARKER, 0);
          else
            self->skipped = start - self->skip_from;
          self->continuing = FALSE;
          sb_framer_mark_begin (self, out, start);
          self->match = 0;
        }
      else if (self->in_frame &&
               position - self->match - self->frame_start >= framer->max_frame)
        {
          guint64 limit = self->frame_start + framer->max_frame;

          /* Resynchronise: skip to the next marker. */
          sb_framer_mark_end (self, out, limit, SB_FRAME_CUT, SB_FRAME_REASON_LIMIT, 0);
          self->skip_from = limit;
        }
    }
  self->pos += len;
}

/* slip, cobs */

static void
slip_end (SbFramerState *self,
          SbFramerOut   *out,
          guint64        position)
{
  if (self->escape && self->bad < 0)
    self->bad = (gint64) (position - 2 - self->frame_start);

  if (self->bad >= 0)
    sb_framer_mark_end (self, out, position, SB_FRAME_INVALID, SB_FRAME_REASON_BAD_SLIP, (guint64) self->bad);
  else
    sb_framer_mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_SLIP, self->decoded);
}

static void
cobs_end (SbFramerState *self,
          SbFramerOut   *out,
          guint64        position)
{
  if (self->cobs_left > 0)
    sb_framer_mark_end (self, out, position, SB_FRAME_INVALID, SB_FRAME_REASON_BAD_COBS, self->cobs_code_at);
  else
    sb_framer_mark_end (self, out, position, SB_FRAME_COMPLETE, SB_FRAME_REASON_COBS, self->decoded);
}

static void
feed_escaped (SbFramerState *self,
              const guint8  *data,
              gsize          len,
              SbFramerOut   *out)
{
  gboolean slip = self->framer->kind == SB_FRAMER_SLIP;
  guint8 delimiter = slip ? SLIP_END : 0;

  for (gsize i = 0; i < len; i++)
    {
      guint64 position = self->pos + i;
      guint8 b = data[i];

      if (!self->in_frame)
        {
          /* Delimiters between frames (empty frames) belong to none. */
          if (b == delimiter && !self->continuing)
            continue;
          sb_framer_mark_begin (self, out, position);
        }

      if (b == delimiter)
        {
          if (slip)
            slip_end (self, out, position + 1);
          else
            cobs_end (self, out, position + 1);
          continue;
        }

      if (slip)
        {
          if (self->escape)
            {
              self->escape = FALSE;
              if (b != SLIP_ESC_END && b != SLIP_ESC_ESC && self->bad < 0)
                self->bad = position >= self->frame_start + 1
                            ? (gint64) (position - 1 - self->frame_start) : 0;
              self->decoded++;
            }
          else if (b == SLIP_ESC)
            self->escape = TRUE;
          else
            self->decoded++;
        }
      else if (self->cobs_left == 0)
        {
          if (self->cobs_code != 0 && self->cobs_code < 0xff)
            self->decoded++;
          self->cobs_code = b;
          self->cobs_left = b - 1u;
          self->cobs_code_at = position - self->frame_start;
        }
      else
        {
          self->cobs_left--;
          self->decoded++;
        }

      if (at_limit (self, position + 1))
        sb_framer_mark_cut (self, out, position + 1);
    }
  self->pos += len;
}

/* Public */

void
sb_framer_state_feed_out (SbFramerState *self,
                          const guint8  *data,
                          gsize          len,
                          gint64         time_us,
                          SbFramerOut   *out)
{

  switch (self->framer->kind)
    {
    case SB_FRAMER_NONE:
    case SB_FRAMER_FIXED:
    case SB_FRAMER_GAP:
      feed_spans (self, data, len, time_us, out);
      break;
    case SB_FRAMER_LENGTH:
      feed_length (self, data, len, out);
      break;
    case SB_FRAMER_DELIMITER:
    case SB_FRAMER_LINE:
      feed_delimiter (self, data, len, out);
      break;
    case SB_FRAMER_MARKER:
      feed_marker (self, data, len, out);
      break;
    case SB_FRAMER_SLIP:
    case SB_FRAMER_COBS:
      feed_escaped (self, data, len, out);
      break;
    case SB_FRAMER_JSON:
      sb_framer_feed_json (self, data, len, out);
      break;
    case SB_FRAMER_JSON_LINES:
      sb_framer_feed_json_lines (self, data, len, out);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
sb_framer_state_feed (SbFramerState *self,
                      const guint8  *data,
                      gsize          len,
                      gint64         time_us,
                      GArray        *marks)
{
  SbFramerOut out = { .marks = marks };

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (marks != NULL);

  sb_framer_state_feed_out (self, data, len, time_us, &out);
}

gint64
sb_framer_state_tick_out (SbFramerState *self,
                          gint64         now_us,
                          SbFramerOut   *out)
{
  gint64 deadline;

  if (self->framer->kind != SB_FRAMER_GAP || (!self->in_frame && !self->continuing))
    return 0;

  deadline = self->last_time + (gint64) self->framer->number * 1000;
  if (now_us < deadline)
    return self->in_frame ? deadline : 0;

  if (self->in_frame)
    sb_framer_mark_end (self, out, self->pos, SB_FRAME_COMPLETE, SB_FRAME_REASON_GAP,
         (guint64) (now_us - self->last_time) / 1000);
  self->continuing = FALSE;
  return 0;
}

gint64
sb_framer_state_tick (SbFramerState *self,
                      gint64         now_us,
                      GArray        *marks)
{
  SbFramerOut out = { .marks = marks };

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (marks != NULL, 0);

  return sb_framer_state_tick_out (self, now_us, &out);
}

gboolean
sb_framer_state_get_pending (SbFramerState *self,
                             guint64       *begin_out,
                             SbFrameInfo   *info)
{
  SbFramer *framer;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!self->in_frame)
    return FALSE;

  framer = self->framer;
  if (begin_out != NULL)
    *begin_out = self->frame_start;
  if (info == NULL)
    return TRUE;

  *info = (SbFrameInfo) {
    .length = self->pos - self->frame_start,
    .skipped = self->frame_skipped,
    .status = SB_FRAME_INCOMPLETE,
    .flags = self->frame_flags,
  };

  switch (framer->kind)
    {
    case SB_FRAMER_NONE:
      info->reason = SB_FRAME_REASON_READ;
      break;
    case SB_FRAMER_DELIMITER:
    case SB_FRAMER_LINE:
      info->reason = SB_FRAME_REASON_DELIMITER;
      break;
    case SB_FRAMER_FIXED:
      info->reason = SB_FRAME_REASON_FIXED;
      info->missing = framer->number - info->length;
      break;
    case SB_FRAMER_LENGTH:
      if (self->have_total)
        {
          info->reason = SB_FRAME_REASON_LENGTH;
          info->detail = self->field;
          info->missing = self->total - self->done;
        }
      else
        {
          info->reason = SB_FRAME_REASON_LENGTH_FIELD;
          info->missing = framer->offset + framer->size - self->header_seen;
        }
      break;
    case SB_FRAMER_GAP:
      info->reason = SB_FRAME_REASON_GAP;
      break;
    case SB_FRAMER_MARKER:
      info->reason = SB_FRAME_REASON_MARKER;
      info->length -= self->match;
      break;
    case SB_FRAMER_SLIP:
      info->reason = SB_FRAME_REASON_SLIP;
      break;
    case SB_FRAMER_COBS:
      info->reason = SB_FRAME_REASON_COBS;
      break;
    case SB_FRAMER_JSON:
      info->reason = SB_FRAME_REASON_JSON;
      break;
    case SB_FRAMER_JSON_LINES:
      info->reason = SB_FRAME_REASON_JSON_LINE;
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

void
sb_framer_state_end_out (SbFramerState *self,
                         SbFramerOut   *out)
{
  SbFrameInfo info;

  if (sb_framer_state_get_pending (self, NULL, &info))
    {
      SbFramerKind kind = self->framer->kind;

      self->frame_flags |= SB_FRAME_FLAG_STREAM_ENDED;
      if (kind == SB_FRAMER_GAP || kind == SB_FRAMER_MARKER)
        sb_framer_mark_end (self, out, self->pos, SB_FRAME_COMPLETE, SB_FRAME_REASON_STREAM_END, 0);
      else if (kind == SB_FRAMER_JSON && self->json.scalar == SCAN_NUMBER && self->json.active)
        sb_framer_json_end (self, out, self->pos);
      else
        {
          if (out->marks != NULL)
            {
              sb_framer_mark_end (self, out, self->pos, SB_FRAME_INCOMPLETE, info.reason, info.detail);
              g_array_index (out->marks, SbFramerMark, out->marks->len - 1).info.missing = info.missing;
            }
          else
            sb_framer_mark_end_missing (self, out, self->pos, SB_FRAME_INCOMPLETE, info.reason,
                                        info.detail, info.missing);
        }
    }
  sb_framer_state_reset (self);
}

void
sb_framer_state_end (SbFramerState *self,
                     GArray        *marks)
{
  SbFramerOut out = { .marks = marks };

  g_return_if_fail (self != NULL);
  g_return_if_fail (marks != NULL);

  sb_framer_state_end_out (self, &out);
}

gboolean
sb_framer_state_is_idle (SbFramerState *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return !self->in_frame && !self->continuing && self->skipped == 0 && self->match == 0 &&
         self->header_seen == 0 &&
         (self->framer->kind != SB_FRAMER_MARKER || self->pos == self->skip_from);
}

GArray *
sb_framer_split (SbFramer     *self,
                 const guint8 *data,
                 gsize         len,
                 gboolean      end_stream)
{
  g_autoptr(SbFramerState) state = NULL;
  GArray *marks;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  marks = g_array_new (FALSE, FALSE, sizeof (SbFramerMark));
  state = sb_framer_state_new (self);
  sb_framer_state_feed (state, data, len, 0, marks);
  if (end_stream)
    sb_framer_state_end (state, marks);
  return marks;
}
