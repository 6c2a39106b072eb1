/* sb-headless-print.c — the headless runner's output: one line per record
 * or frame, characters cut across reads held until whole, written as it
 * goes and every write checked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "sb-headless-private.h"

/* Writes what is formatted. A reader that went away ends the run quietly
 * (as cat); any other error is said, and the run ends with status 1. */
static void
flush_output (Headless *self)
{
  gsize done = 0;

  while (done < self->output->len && !self->output_failed)
    {
      gssize n = write (STDOUT_FILENO, self->output->str + done, self->output->len - done);

      if (n >= 0)
        {
          done += (gsize) n;
          continue;
        }
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN)
        {
          /* A non-blocking stdout (a terminal shared with another process):
           * wait until it takes more. */
          g_usleep (1000);
          continue;
        }

      self->output_failed = TRUE;
      if (errno == EPIPE)
        _sb_headless_stop_all (self, STATUS_OUTPUT_CLOSED);
      else
        {
          int saved = errno;

          g_printerr ("sockbench: %s: %s\n", _("Cannot write the output"), g_strerror (saved));
          _sb_headless_stop_all (self, 1);
        }
    }
  g_string_truncate (self->output, 0);
}

static void
emit_text (Headless   *self,
           const char *text,
           gsize       len)
{
  if (self->output_failed)
    return;
  g_string_append_len (self->output, text, (gssize) len);
  if (self->output->len >= OUTPUT_CHUNK)
    flush_output (self);
}

/* Prints every line at the head of the queue that is complete. */
void
_sb_headless_drain_lines (Headless *self)
{
  while (!g_queue_is_empty (&self->lines))
    {
      Line *line = g_queue_peek_head (&self->lines);

      if (line->waiting_on != NULL)
        break;

      emit_text (self, line->text->str, line->text->len);
      _sb_headless_line_free (g_queue_pop_head (&self->lines));
    }

  flush_output (self);
}

/* A line goes out at once, unless one before it waits. */
static void
push_line (Headless *self,
           Line     *line)
{
  if (line->waiting_on == NULL && g_queue_is_empty (&self->lines))
    {
      emit_text (self, line->text->str, line->text->len);
      _sb_headless_line_free (line);
      return;
    }
  g_queue_push_tail (&self->lines, line);
}

static void
release_held (Stream *stream,
              gboolean finish)
{
  if (stream->held == NULL)
    return;

  /* Without finish, the kept bytes open the next line of this stream. */
  if (finish)
    sb_decoder_finish (stream->decoder, stream->held->text, NULL);
  g_string_append_c (stream->held->text, '\n');

  stream->held->waiting_on = NULL;
  stream->held = NULL;
}

/* Releases what the streams of @peer_id (G_MAXUINT: all) hold; a peer
 * that went leaves no decoder behind. */
void
_sb_headless_release_runner_streams (Runner *runner,
                        guint   peer_id)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, runner->streams);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (peer_id == G_MAXUINT || (GPOINTER_TO_UINT (key) >> 2) == peer_id)
        {
          release_held (value, TRUE);
          if (peer_id != G_MAXUINT)
            g_hash_table_iter_remove (&iter);
        }
    }
}

static gboolean on_hold_timeout (gpointer user_data);

/* The next time a held line is due, from the earliest stream. */
static void
schedule_hold (Headless *self)
{
  gint64 due = G_MAXINT64;

  g_clear_handle_id (&self->hold_id, g_source_remove);
  for (guint i = 0; i < self->runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self->runners, i);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, runner->streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Stream *) value)->held != NULL)
          due = MIN (due, ((Stream *) value)->last_read + self->hold_us);
    }
  if (due != G_MAXINT64)
    self->hold_id = g_timeout_add ((guint) CLAMP ((due - g_get_monotonic_time () + 999) / 1000, 0, G_MAXINT),
                                   on_hold_timeout, self);
}

static gboolean
on_hold_timeout (gpointer user_data)
{
  Headless *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->hold_id = 0;

  /* Only streams idle for the whole hold give up on their character. */
  for (guint i = 0; i < self->runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self->runners, i);
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, runner->streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          Stream *stream = value;

          if (stream->held != NULL && now >= stream->last_read + self->hold_us)
            release_held (stream, TRUE);
        }
    }

  _sb_headless_drain_lines (self);
  schedule_hold (self);

  return G_SOURCE_REMOVE;
}

static gboolean
stream_is_idle (gpointer key,
                gpointer value,
                gpointer user_data)
{
  Stream *stream = value;

  return stream->held == NULL && sb_decoder_get_pending (stream->decoder) == 0;
}

static Stream *
get_stream (Runner      *runner,
            guint        peer_id,
            SbDirection  direction)
{
  gpointer key = GUINT_TO_POINTER (peer_id << 2 | direction);
  Stream *stream = g_hash_table_lookup (runner->streams, key);

  if (stream == NULL)
    {
      if (g_hash_table_size (runner->streams) >= MAX_IDLE_STREAMS)
        g_hash_table_foreach_remove (runner->streams, stream_is_idle, NULL);
      stream = g_new0 (Stream, 1);
      /* The encoding was checked when the options were read. */
      stream->decoder = sb_decoder_new (sb_session_setup_get_encoding (runner->setup),
                                        SB_DECODE_ESCAPE_CONTROLS, NULL);
      g_hash_table_insert (runner->streams, key, stream);
    }

  return stream;
}

static void
format_record (Runner *runner,
               guint   position)
{
  Headless *self = runner->headless;
  SbHistory *history = sb_session_get_history (runner->session);
  SbDirection direction = sb_history_get_direction (history, position);
  guint peer_id = sb_history_get_peer (history, position);
  char time[SB_TIME_FORMAT_SIZE];
  const char *peer_label = sb_history_get_peer_label (history, peer_id);
  const guint8 *data;
  gsize len;
  Line *line;

  data = sb_history_peek_data (history, position, &len);
  sb_time_format (sb_history_get_time (history, position), time);

  line = g_new0 (Line, 1);
  line->text = g_string_new (NULL);
  g_string_append_printf (line->text, "%s\t%s\t%s\t%" G_GSIZE_FORMAT "\t",
                          time,
                          sb_direction_to_string (direction),
                          peer_label[0] ? peer_label : "-",
                          len);
  /* The check column is there on every line, "-" where nothing is checked. */
  if (runner->check != NULL)
    g_string_append (line->text, "-\t");

  if (direction == SB_DIRECTION_EVENT)
    {
      g_autofree char *message = sb_codec_decode ("UTF-8", data, len, SB_DECODE_ESCAPE_CONTROLS, NULL);

      /* What was cut in this peer's streams will not be completed now. */
      if (peer_id != 0)
        _sb_headless_release_runner_streams (runner, peer_id);

      g_string_append (line->text, message);
      g_string_append_c (line->text, '\n');
    }
  else if (runner->hex)
    {
      g_autofree char *hex = sb_codec_format_hex (data, len);

      g_string_append (line->text, hex);
      g_string_append_c (line->text, '\n');
    }
  else
    {
      Stream *stream = get_stream (runner, peer_id, direction);

      release_held (stream, FALSE);
      sb_decoder_feed (stream->decoder, data, len, line->text, NULL);

      if (sb_decoder_get_pending (stream->decoder) > 0)
        {
          line->waiting_on = stream;
          stream->held = line;
          stream->last_read = g_get_monotonic_time ();
          schedule_hold (self);
        }
      else
        {
          g_string_append_c (line->text, '\n');
        }
    }

  push_line (self, line);
}

void
_sb_headless_quit (Headless *self,
      int       status)
{
  if (status > self->status)
    self->status = status;
  self->quit = TRUE;
  g_main_loop_quit (self->loop);
}

void
_sb_headless_stop_all (Headless *self,
          int       status)
{
  for (guint i = 0; i < self->runners->len; i++)
    sb_session_stop (((Runner *) g_ptr_array_index (self->runners, i))->session);
  _sb_headless_quit (self, status);
}

/* Prints one received frame: TIME DIRECTION PEER LENGTH [CHECK] DATA;
 * FALSE once --count is reached. */
static gboolean
print_frame (Runner            *runner,
             guint              peer_id,
             gint64             time_us,
             const guint8      *data,
             gsize              len,
             const SbFrameInfo *info)
{
  Headless *self = runner->headless;
  const char *peer_label = sb_history_get_peer_label (sb_session_get_history (runner->session), peer_id);
  char time[SB_TIME_FORMAT_SIZE];
  Line *line;

  if (self->count > 0 && self->received >= self->count)
    return FALSE;

  sb_time_format (time_us, time);
  line = g_new0 (Line, 1);
  line->text = g_string_new (NULL);
  g_string_append_printf (line->text, "%s\t%s\t%s\t%" G_GSIZE_FORMAT "\t",
                          time, sb_direction_to_string (SB_DIRECTION_RX),
                          peer_label[0] ? peer_label : "-", len);
  if (runner->check != NULL)
    {
      const char *mark = "-\t";

      /* Only a whole frame carries its checksum. */
      if (info->status == SB_FRAME_COMPLETE)
        {
          g_autoptr(GBytes) payload = sb_framer_decode_payload (runner->framer, data, len);
          gsize size;
          const guint8 *bytes = g_bytes_get_data (payload, &size);

          mark = sb_check_spec_verify (runner->check, bytes, size, NULL) == SB_CHECK_OK ? "✔\t" : "✘\t";
        }
      g_string_append (line->text, mark);
    }

  if (runner->hex)
    {
      g_autofree char *hex = sb_codec_format_hex (data, len);

      g_string_append (line->text, hex);
    }
  else
    {
      /* A frame is whole: nothing is held over to the next one. */
      g_autofree char *text = sb_codec_decode (sb_session_setup_get_encoding (runner->setup),
                                               data, len, SB_DECODE_ESCAPE_CONTROLS, NULL);

      g_string_append (line->text, text);
    }
  g_string_append_c (line->text, '\n');
  push_line (self, line);

  if (++self->received == self->count)
    {
      _sb_headless_drain_lines (self);
      _sb_headless_quit (self, 0);
      return FALSE;
    }
  return TRUE;
}

/* Where a stream's frames are printed (SbFramerFrameFunc). */
typedef struct
{
  Runner      *runner;
  guint        peer_id;
  FrameStream *fs;
} FramePrint;

static gboolean
print_collected (const guint8      *data,
                 gsize              len,
                 const SbFrameInfo *info,
                 gpointer           user_data)
{
  FramePrint *print = user_data;

  return print_frame (print->runner, print->peer_id, print->fs->last_time, data, len, info);
}

static gboolean
frame_stream_is_idle (gpointer key,
                      gpointer value,
                      gpointer user_data)
{
  FrameStream *fs = value;

  return sb_framer_collector_is_idle (fs->collector);
}

static gboolean frame_gap_cb (gpointer data);

/* gap: the frame in progress ends after the silence. */
static void
schedule_frame_gap (Runner *runner)
{
  GHashTableIter iter;
  gpointer value;
  gint64 deadline = G_MAXINT64;

  g_clear_handle_id (&runner->gap_id, g_source_remove);
  if (sb_framer_get_kind (runner->framer) != SB_FRAMER_GAP)
    return;
  g_hash_table_iter_init (&iter, runner->frame_streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 when = sb_framer_collector_get_deadline (((FrameStream *) value)->collector);

      if (when != 0)
        deadline = MIN (deadline, when);
    }
  if (deadline != G_MAXINT64)
    runner->gap_id = g_timeout_add ((guint) CLAMP ((deadline - g_get_real_time () + 999) / 1000, 0, G_MAXINT),
                                    frame_gap_cb, runner);
}

static gboolean
frame_gap_cb (gpointer data)
{
  Runner *runner = data;
  gint64 now = g_get_real_time ();
  GHashTableIter iter;
  gpointer key, value;

  runner->gap_id = 0;
  g_hash_table_iter_init (&iter, runner->frame_streams);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FramePrint print = { runner, GPOINTER_TO_UINT (key), value };

      if (!sb_framer_collector_tick (print.fs->collector, now, print_collected, &print))
        break;
    }
  _sb_headless_drain_lines (runner->headless);
  schedule_frame_gap (runner);
  return G_SOURCE_REMOVE;
}

/* A received record: its bytes go on to the peer's framer. */
static gboolean
frame_record (Runner *runner,
              guint   position)
{
  SbHistory *history = sb_session_get_history (runner->session);
  guint peer_id = sb_history_get_peer (history, position);
  FrameStream *fs = g_hash_table_lookup (runner->frame_streams, GUINT_TO_POINTER (peer_id));
  FramePrint print = { runner, peer_id, NULL };
  const guint8 *data;
  gsize len;

  data = sb_history_peek_data (history, position, &len);
  if (data == NULL || len == 0)
    return TRUE;
  if (fs == NULL)
    {
      /* Datagram senders never say goodbye: streams with nothing in
       * progress go first. */
      if (g_hash_table_size (runner->frame_streams) >= MAX_IDLE_STREAMS)
        g_hash_table_foreach_remove (runner->frame_streams, frame_stream_is_idle, NULL);
      fs = g_new0 (FrameStream, 1);
      fs->collector = sb_framer_collector_new (runner->framer);
      g_hash_table_insert (runner->frame_streams, GUINT_TO_POINTER (peer_id), fs);
    }
  fs->last_time = sb_history_get_time (history, position);
  print.fs = fs;
  return sb_framer_collector_feed (fs->collector, data, len, fs->last_time, print_collected, &print);
}

/* The received streams of @peer_id (0: all) end: what is in progress is
 * printed as the framer ends it. FALSE once --count is reached. */
gboolean
_sb_headless_end_frame_streams (Runner *runner,
                   guint   peer_id)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean more = TRUE;

  g_hash_table_iter_init (&iter, runner->frame_streams);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (peer_id != 0 && GPOINTER_TO_UINT (key) != peer_id)
        continue;
      if (more)
        {
          FramePrint print = { runner, GPOINTER_TO_UINT (key), value };

          more = sb_framer_collector_end (print.fs->collector, print_collected, &print);
        }
      g_hash_table_iter_remove (&iter);
    }
  return more;
}

/* Whether an event ends the received stream of its peer (as in SbHistory). */
static gboolean
event_ends_rx (SbEventKind event)
{
  gboolean rx = FALSE;

  return sb_event_kind_ends_streams (event, &rx, NULL) && rx;
}

/* Printing takes turns with reading (and with a signal to stop): at most
 * this many records or bytes at a time. 1,024 records of 64 KiB were
 * 200 MB of --hex, a second or more before the loop looked again. */
#define PRINT_SLICE       1024
#define PRINT_SLICE_BYTES (1024 * 1024)


static void
skip_unprinted (Runner *runner,
                guint   from,
                guint   to)
{
  Headless *self = runner->headless;
  SbHistory *history = sb_session_get_history (runner->session);

  for (guint pos = from; pos < to; pos++)
    {
      gsize len = 0;

      self->unprinted_records++;
      if (sb_history_get_direction (history, pos) == SB_DIRECTION_EVENT)
        continue;
      sb_history_peek_data (history, pos, &len);
      self->unprinted_bytes += len;
    }
}

static gboolean
print_more (gpointer data)
{
  Runner *runner = data;

  runner->print_id = 0;
  _sb_headless_print_pending (runner);

  return G_SOURCE_REMOVE;
}

static void
print_pending_now (Runner *runner)
{
  Headless *self = runner->headless;
  SbHistory *history = sb_session_get_history (runner->session);
  guint64 first = sb_history_get_first_serial (history);
  guint64 end = first + sb_history_get_n_records (history);
  guint printed = 0;
  gsize printed_bytes = 0;

  if (runner->next_serial < first)
    {
      g_printerr (_("sockbench: %" PRIu64 " records were dropped before they could be printed\n"),
                  (uint64_t) (first - runner->next_serial));
      runner->next_serial = first;
    }

  for (; runner->next_serial < end; runner->next_serial++)
    {
      guint pos = (guint) (runner->next_serial - first);
      gboolean rx = sb_history_get_direction (history, pos) == SB_DIRECTION_RX;
      gsize len = 0;

      /* Stopped by a signal: what is printed is a prefix, the rest counted. */
      if (self->exiting && self->print_until != 0 &&
          g_get_monotonic_time () >= self->print_until)
        {
          skip_unprinted (runner, pos, (guint) (end - first));
          runner->next_serial = end;
          break;
        }

      /* Let the sockets be read between slices of a long backlog. */
      if ((printed++ == PRINT_SLICE || printed_bytes >= PRINT_SLICE_BYTES) && !self->exiting)
        {
          if (runner->print_id == 0)
            runner->print_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 15, print_more, runner, NULL);
          break;
        }
      sb_history_peek_data (history, pos, &len);
      printed_bytes += len;

      /* Received bytes are printed as frames; what was sent as it was
       * sent (one message per send). */
      if (runner->framer != NULL)
        {
          if (rx)
            {
              if (!frame_record (runner, pos))
                break;
              continue;
            }
          if (sb_history_get_direction (history, pos) == SB_DIRECTION_EVENT &&
              event_ends_rx (sb_history_get_event (history, pos)) &&
              !_sb_headless_end_frame_streams (runner, sb_history_get_peer (history, pos)))
            break;
          format_record (runner, pos);
          continue;
        }

      /* Once N messages are in, print what they caused (a reply, an
       * event) up to the next received message, then end. */
      if (rx && self->count > 0 && self->received >= self->count)
        break;

      format_record (runner, pos);

      if (rx)
        self->received++;
    }

  if (runner->framer != NULL)
    schedule_frame_gap (runner);

  if (runner->framer == NULL && self->count > 0 && self->received >= self->count)
    {
      _sb_headless_release_runner_streams (runner, G_MAXUINT);
      _sb_headless_drain_lines (self);
      _sb_headless_quit (self, 0);
      return;
    }

  _sb_headless_drain_lines (self);
}

/* Printing can stop the sessions (the reader went away, --count reached),
 * and a stopping session records its last events at once: that must not
 * print again from inside a frame being printed, whose stream it would
 * free. What comes meanwhile is printed from the idle. */
void
_sb_headless_print_pending (Runner *runner)
{
  if (runner->printing)
    {
      if (runner->print_id == 0)
        runner->print_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 15, print_more, runner, NULL);
      return;
    }
  runner->printing = TRUE;
  print_pending_now (runner);
  runner->printing = FALSE;
}
