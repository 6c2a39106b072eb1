/* sb-frames-streams.c — one framer state per stream, and where its marks
 * fall in the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main thread only (the history's).
 */
#define G_LOG_DOMAIN "sb-frames"

#include "config.h"

#include "sb-frames-private.h"

gboolean
sb_frames_stream_is_idle (Stream *stream)
{
  return stream->pending < 0 && !stream->head_dropped && sb_framer_state_is_idle (stream->state);
}

void
sb_frames_stream_free (gpointer data)
{
  Stream *stream = data;

  sb_framer_state_free (stream->state);
  g_array_unref (stream->reads);
  g_free (stream);
}

/* Streams */

static void
map_position (Stream  *stream,
              guint64  position,
              gboolean is_end,
              guint64 *serial,
              guint32 *offset)
{
  for (guint i = stream->reads->len; i > 0; i--)
    {
      ReadSpan *read = &g_array_index (stream->reads, ReadSpan, i - 1);
      gboolean inside = is_end ? read->start < position && position <= read->start + read->len
                               : read->start <= position && position < read->start + read->len;

      if (inside || (i == 1 && position >= read->start))
        {
          *serial = read->serial;
          *offset = (guint32) MIN (position - read->start, read->len);
          return;
        }
    }
  g_assert_not_reached ();
}

static void
add_read (Stream  *stream,
          guint64  serial,
          gsize    len)
{
  ReadSpan read = { serial, sb_framer_state_get_position (stream->state), (guint32) len };
  guint drop = 0;

  /* Keep the reads that hold the last SB_FRAMER_MAX_PATTERN bytes before
   * this one: a mark can point that far back from where it starts. */
  g_array_append_val (stream->reads, read);
  while (drop + 1 < stream->reads->len &&
         read.start - g_array_index (stream->reads, ReadSpan, drop + 1).start >= SB_FRAMER_MAX_PATTERN)
    drop++;
  if (drop > 0)
    g_array_remove_range (stream->reads, 0, drop);
}

static guint64
add_frame (SbFrames          *self,
           Stream            *stream,
           guint64            position,
           const SbFrameInfo *info)
{
  Frame frame = { 0, };
  guint64 number = next_number (self);

  map_position (stream, position, FALSE, &frame.first_serial, &frame.first_offset);
  frame.end_offset = frame.first_offset;
  frame.peer = stream->peer;
  frame.skipped = saturate (info->skipped);
  frame.direction = stream->direction;
  frame.status = SB_FRAME_INCOMPLETE;
  frame.flags = info->flags;
  g_array_append_val (self->frames, frame);
  sb_frames_count_frame (self, &frame, +1);

  stream->pending = (gint64) number;
  stream->pending_start = position;
  stream->head_dropped = FALSE;
  return number;
}

/* The rest of a frame whose head was dropped becomes a frame of its own,
 * from @position on. */
static void
ensure_pending (SbFrames *self,
                Stream   *stream,
                guint64   position)
{
  SbFrameInfo info = { .flags = SB_FRAME_FLAG_HEAD_DROPPED };

  if (stream->pending < 0 && stream->head_dropped)
    add_frame (self, stream, position, &info);
}

static void
set_end (SbFrames          *self,
         Stream            *stream,
         guint64            position,
         const SbFrameInfo *info)
{
  Frame *frame = frame_at (self, (guint64) stream->pending);
  SbFrameFlags flags = frame->flags & SB_FRAME_FLAG_HEAD_DROPPED;

  sb_frames_count_frame (self, frame, -1);
  if (position > stream->pending_start)
    {
      guint64 serial;

      map_position (stream, position, TRUE, &serial, &frame->end_offset);
      frame->last_delta = saturate (serial - frame->first_serial);
      frame->length = saturate (position - stream->pending_start);
    }
  frame->status = info->status;
  frame->reason = info->reason;
  frame->detail = saturate (info->detail);
  frame->missing = saturate (info->missing);
  frame->flags = info->flags | flags;
  sb_frames_count_frame (self, frame, +1);
  sb_frames_note_changed (self, (guint64) stream->pending);
}

void
sb_frames_apply_marks (SbFrames *self,
                       Stream   *stream,
                       guint64   fed_from)
{
  SbFrameInfo info;
  guint64 begin;

  for (guint i = 0; i < self->marks->len; i++)
    {
      const SbFramerMark *mark = &g_array_index (self->marks, SbFramerMark, i);

      if (mark->kind == SB_FRAMER_MARK_BEGIN)
        {
          add_frame (self, stream, mark->position, &mark->info);
          continue;
        }

      if (mark->position > fed_from)
        ensure_pending (self, stream, fed_from);
      if (stream->pending >= 0)
        {
          guint64 number = (guint64) stream->pending;

          set_end (self, stream, mark->position, &mark->info);
          sb_frames_check_ended (self, number);
          g_array_append_val (self->ended, number);
        }
      stream->pending = -1;
      stream->head_dropped = FALSE;
    }
  g_array_set_size (self->marks, 0);

  if (sb_framer_state_get_pending (stream->state, &begin, &info))
    {
      guint64 end = begin + info.length;

      if (end > fed_from)
        ensure_pending (self, stream, fed_from);
      if (stream->pending >= 0)
        set_end (self, stream, end, &info);
    }
  else
    stream->head_dropped = FALSE;
}

static Stream *
get_stream (SbFrames    *self,
            guint        peer,
            SbDirection  direction)
{
  gpointer key = stream_key (peer, direction);
  Stream *stream = g_hash_table_lookup (self->streams, key);

  if (stream == NULL)
    {
      stream = g_new0 (Stream, 1);
      stream->peer = peer;
      stream->direction = direction;
      stream->state = sb_framer_state_new (self->framer);
      stream->reads = g_array_new (FALSE, FALSE, sizeof (ReadSpan));
      stream->pending = -1;
      g_hash_table_insert (self->streams, key, stream);
    }
  return stream;
}

static void
end_stream (SbFrames *self,
            Stream   *stream)
{
  guint64 position = sb_framer_state_get_position (stream->state);

  sb_framer_state_end (stream->state, self->marks);
  sb_frames_apply_marks (self, stream, position);
}

static gboolean
end_stream_cb (gpointer key,
               gpointer value,
               gpointer user_data)
{
  end_stream (user_data, value);
  return TRUE;
}

/* A connection boundary ends the streams it concerns, as in SbHistory. */
static void
end_streams (SbFrames    *self,
             SbEventKind  event,
             guint        peer)
{
  gboolean rx, tx;

  if (!sb_event_kind_ends_streams (event, &rx, &tx))
    return;

  if (peer == 0)
    {
      g_hash_table_foreach_remove (self->streams, end_stream_cb, self);
      return;
    }

  for (int tx_side = 0; tx_side < 2; tx_side++)
    {
      gpointer key = stream_key (peer, tx_side ? SB_DIRECTION_TX : SB_DIRECTION_RX);
      Stream *stream;

      if (!(tx_side ? tx : rx) || (stream = g_hash_table_lookup (self->streams, key)) == NULL)
        continue;
      end_stream (self, stream);
      g_hash_table_remove (self->streams, key);
    }
}

void
sb_frames_frame_record (SbFrames *self,
                        guint     position)
{
  SbDirection direction = sb_history_get_direction (self->history, position);
  guint peer = sb_history_get_peer (self->history, position);
  const guint8 *data;
  Stream *stream;
  guint64 fed_from;
  gsize len;

  if (direction == SB_DIRECTION_EVENT)
    {
      end_streams (self, sb_history_get_event (self->history, position), peer);
      return;
    }

  data = sb_history_peek_data (self->history, position, &len);
  if (data == NULL)
    {
      /* Dropped before it was announced: nothing can continue over it. */
      g_hash_table_remove_all (self->streams);
      return;
    }
  if (len == 0)
    return;

  stream = get_stream (self, peer, direction);
  fed_from = sb_framer_state_get_position (stream->state);
  add_read (stream, sb_history_get_serial (self->history, position), len);
  sb_framer_state_feed (stream->state, data, len, sb_history_get_time (self->history, position),
                        self->marks);
  sb_frames_apply_marks (self, stream, fed_from);

  /* Many peers (datagram senders) leave many streams: one with nothing in
   * progress goes, once there are more than a few. */
  if (g_hash_table_size (self->streams) > KEEP_IDLE_STREAMS && sb_frames_stream_is_idle (stream))
    g_hash_table_remove (self->streams, stream_key (peer, direction));
}
