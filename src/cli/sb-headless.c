/* sb-headless.c — run sessions without a window, one line per record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include "sb-capture.h"
#include "sb-datagram.h"
#include "sb-checksum.h"
#include "sb-framer.h"
#include "sb-headless.h"
#include "sb-preset.h"
#include "sb-scenario-run.h"
#include "sb-session.h"
#include "sb-sessions.h"
#include "sb-session-setup.h"
#include "sb-stream-client.h"
#include "sb-time.h"

/* How long a line whose last character is cut in two waits for the rest of
 * it, with its stream idle, unless --hold says otherwise. */
#define DEFAULT_HOLD_MS 2000

/* Output is written once this much is formatted, and after each batch. */
#define OUTPUT_CHUNK (64 * 1024)

/* Decoders kept for streams with nothing held, at most (datagram senders
 * never say goodbye). */
#define MAX_IDLE_STREAMS 256


/* The exit status when the reader of the output went away (as a process
 * ended by SIGPIPE, as cat is). */
#define STATUS_OUTPUT_CLOSED 141

/* How long the end waits for captures to reach the disk, at most. */
#define CAPTURE_FLUSH_SECONDS 10

typedef struct _Headless Headless;

typedef struct
{
  GString *text;
  /* Non-NULL while the line waits for the next record of this stream. */
  gpointer waiting_on;
} Line;

/* One peer's received bytes on their way to frames. */
typedef struct
{
  SbFramerState *state;
  GByteArray    *bytes;      /* from stream position start on */
  guint64        start;
  guint64        begin;      /* of the frame in progress */
  gint64         last_time;  /* of the last read */
  gboolean       in_frame;
} FrameStream;

typedef struct
{
  SbDecoder *decoder;
  Line      *held;
  gint64     last_read;   /* monotonic, of the read that left a line held */
} Stream;

/* One session, answered by its setup's responder, maybe captured. */
typedef struct
{
  Headless       *headless;
  SbSessionSetup *setup;
  SbSession      *session;
  SbCapture      *capture;
  /* Non-NULL when received lines are frames (a framer or a check is
   * set): each peer's bytes go through its own framer state as the
   * records are printed, so frames come out in their place, one at a time. */
  SbFramer       *framer;
  SbCheckSpec    *check;
  GHashTable     *frame_streams;  /* peer id → FrameStream */
  GArray         *marks;          /* scratch: SbFramerMark */
  guint           gap_id;
  guint64         next_serial;
  guint           print_id;
  /* (peer id << 2 | direction) → Stream */
  GHashTable     *streams;
  guint           hex : 1;
  guint           joined : 1;
} Runner;

struct _Headless
{
  GMainLoop  *loop;
  GPtrArray  *runners;
  GQueue      lines;
  guint       hold_id;
  gint64      hold_us;
  GString    *output;
  char       *join_group;
  char       *join_iface;
  gint64      count;
  gint64      received;
  gboolean    hex;
  gboolean    broadcast;
  /* Printing what is left, all at once. */
  gboolean    exiting;
  /* Writing the output failed: nothing more is written. */
  gboolean    output_failed;
  int         status;
};

static void
stream_free (Stream *stream)
{
  g_clear_pointer (&stream->decoder, sb_decoder_free);
  g_free (stream);
}

static void
line_free (Line *line)
{
  g_string_free (line->text, TRUE);
  g_free (line);
}

static void
frame_stream_free (FrameStream *fs)
{
  sb_framer_state_free (fs->state);
  g_byte_array_unref (fs->bytes);
  g_free (fs);
}

static void
runner_free (Runner *runner)
{
  g_clear_handle_id (&runner->print_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (runner->session, runner);
  g_signal_handlers_disconnect_by_data (sb_session_get_history (runner->session), runner);
  sb_responder_set_session (sb_session_setup_get_responder (runner->setup), NULL);
  g_signal_handlers_disconnect_by_data (sb_session_setup_get_responder (runner->setup), runner);
  if (runner->capture != NULL)
    {
      g_signal_handlers_disconnect_by_data (runner->capture, runner);
      sb_capture_stop (runner->capture);
    }
  g_clear_object (&runner->capture);
  g_clear_handle_id (&runner->gap_id, g_source_remove);
  g_clear_pointer (&runner->frame_streams, g_hash_table_unref);
  g_clear_pointer (&runner->marks, g_array_unref);
  g_clear_pointer (&runner->framer, sb_framer_unref);
  g_clear_pointer (&runner->check, sb_check_spec_free);
  g_clear_object (&runner->session);
  g_clear_object (&runner->setup);
  g_clear_pointer (&runner->streams, g_hash_table_unref);
  g_free (runner);
}

static void stop_all (Headless *self, int status);

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
        stop_all (self, STATUS_OUTPUT_CLOSED);
      else
        {
          int saved = errno;

          g_printerr ("sockbench: %s: %s\n", _("Cannot write the output"), g_strerror (saved));
          stop_all (self, 1);
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
static void
drain_lines (Headless *self)
{
  while (!g_queue_is_empty (&self->lines))
    {
      Line *line = g_queue_peek_head (&self->lines);

      if (line->waiting_on != NULL)
        break;

      emit_text (self, line->text->str, line->text->len);
      line_free (g_queue_pop_head (&self->lines));
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
      line_free (line);
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
static void
release_runner_streams (Runner *runner,
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

  drain_lines (self);
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
        release_runner_streams (runner, peer_id);

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

static void
quit (Headless *self,
      int       status)
{
  if (status > self->status)
    self->status = status;
  g_main_loop_quit (self->loop);
}

static void
stop_all (Headless *self,
          int       status)
{
  for (guint i = 0; i < self->runners->len; i++)
    sb_session_stop (((Runner *) g_ptr_array_index (self->runners, i))->session);
  quit (self, status);
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
      drain_lines (self);
      quit (self, 0);
      return FALSE;
    }
  return TRUE;
}

/* Prints the frames the marks end, then keeps only what a frame to come
 * may need. FALSE once --count is reached. */
static gboolean
apply_frame_marks (Runner      *runner,
                   guint        peer_id,
                   FrameStream *fs)
{
  guint64 position = sb_framer_state_get_position (fs->state);
  gboolean more = TRUE;
  guint64 keep_from;

  for (guint i = 0; i < runner->marks->len && more; i++)
    {
      const SbFramerMark *mark = &g_array_index (runner->marks, SbFramerMark, i);

      if (mark->kind == SB_FRAMER_MARK_BEGIN)
        {
          fs->begin = mark->position;
          fs->in_frame = TRUE;
          continue;
        }
      if (fs->in_frame && fs->begin >= fs->start && mark->position <= fs->start + fs->bytes->len)
        more = print_frame (runner, peer_id, fs->last_time, fs->bytes->data + (fs->begin - fs->start),
                            mark->position - fs->begin, &mark->info);
      fs->in_frame = FALSE;
    }
  g_array_set_size (runner->marks, 0);

  keep_from = position > SB_FRAMER_MAX_PATTERN ? position - SB_FRAMER_MAX_PATTERN : 0;
  if (fs->in_frame)
    keep_from = MIN (keep_from, fs->begin);
  if (keep_from > fs->start)
    {
      g_byte_array_remove_range (fs->bytes, 0, (guint) MIN (keep_from - fs->start, fs->bytes->len));
      fs->start = keep_from;
    }
  return more;
}

static gboolean
frame_stream_is_idle (gpointer key,
                      gpointer value,
                      gpointer user_data)
{
  FrameStream *fs = value;

  return !fs->in_frame && sb_framer_state_is_idle (fs->state);
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
      gint64 when = sb_framer_state_tick (((FrameStream *) value)->state, G_MININT64, runner->marks);

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
      sb_framer_state_tick (((FrameStream *) value)->state, now, runner->marks);
      if (!apply_frame_marks (runner, GPOINTER_TO_UINT (key), value))
        break;
    }
  drain_lines (runner->headless);
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
      fs->state = sb_framer_state_new (runner->framer);
      fs->bytes = g_byte_array_new ();
      g_hash_table_insert (runner->frame_streams, GUINT_TO_POINTER (peer_id), fs);
    }
  fs->last_time = sb_history_get_time (history, position);
  g_byte_array_append (fs->bytes, data, (guint) len);
  sb_framer_state_feed (fs->state, data, len, fs->last_time, runner->marks);
  return apply_frame_marks (runner, peer_id, fs);
}

/* The received streams of @peer_id (0: all) end: what is in progress is
 * printed as the framer ends it. FALSE once --count is reached. */
static gboolean
end_frame_streams (Runner *runner,
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
          sb_framer_state_end (((FrameStream *) value)->state, runner->marks);
          more = apply_frame_marks (runner, GPOINTER_TO_UINT (key), value);
        }
      g_hash_table_iter_remove (&iter);
    }
  return more;
}

/* Whether an event ends the received stream of its peer (as in SbHistory). */
static gboolean
event_ends_rx (SbEventKind event)
{
  switch (event)
    {
    case SB_EVENT_LISTENING:
    case SB_EVENT_CONNECTED:
    case SB_EVENT_RESET:
    case SB_EVENT_DISCONNECTED:
    case SB_EVENT_STOPPED:
    case SB_EVENT_PEER_CLOSED:
      return TRUE;
    case SB_EVENT_NONE:
    case SB_EVENT_HALF_CLOSED:
    case SB_EVENT_ERROR:
    case SB_EVENT_INFO:
    default:
      return FALSE;
    }
}

/* Printing takes turns with reading: at most this many records at a time. */
#define PRINT_SLICE 1024

static void print_pending (Runner *runner);

static gboolean
print_more (gpointer data)
{
  Runner *runner = data;

  runner->print_id = 0;
  print_pending (runner);

  return G_SOURCE_REMOVE;
}

static void
print_pending (Runner *runner)
{
  Headless *self = runner->headless;
  SbHistory *history = sb_session_get_history (runner->session);
  guint64 first = sb_history_get_first_serial (history);
  guint64 end = first + sb_history_get_n_records (history);
  guint printed = 0;

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

      /* Let the sockets be read between slices of a long backlog. */
      if (printed++ == PRINT_SLICE && !self->exiting)
        {
          if (runner->print_id == 0)
            runner->print_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 15, print_more, runner, NULL);
          break;
        }

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
              !end_frame_streams (runner, sb_history_get_peer (history, pos)))
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
      release_runner_streams (runner, G_MAXUINT);
      drain_lines (self);
      quit (self, 0);
      return;
    }

  drain_lines (self);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Runner *runner = user_data;

  if (runner->print_id == 0)
    print_pending (runner);
}

static void
check_all_ended (Headless *self)
{
  for (guint i = 0; i < self->runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self->runners, i);
      SbSessionState state = sb_session_get_state (runner->session);

      if (state != SB_SESSION_STATE_CLOSED && state != SB_SESSION_STATE_FAILED)
        return;
    }

  quit (self, self->status);
}

static void
on_state_changed (SbSession  *session,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Runner *runner = user_data;
  Headless *self = runner->headless;
  SbSessionState state = sb_session_get_state (session);

  /* Print what led here before the process may end. */
  sb_history_flush (sb_session_get_history (session));

  if ((state == SB_SESSION_STATE_CONNECTED || state == SB_SESSION_STATE_LISTENING) &&
      SB_IS_DATAGRAM (session) && !runner->joined)
    {
      g_autoptr(GError) error = NULL;

      runner->joined = TRUE;
      if (self->broadcast && !sb_session_set_broadcast (session, TRUE, &error))
        g_printerr ("sockbench: %s\n", error->message);
      g_clear_error (&error);
      if (self->join_group != NULL &&
          !sb_session_join_multicast (session, self->join_group, self->join_iface, &error))
        {
          g_printerr ("sockbench: %s\n", error->message);
          quit (self, 1);
          return;
        }
    }

  if (state == SB_SESSION_STATE_FAILED)
    {
      const GError *error = sb_session_get_error (session);

      g_printerr ("sockbench: %s\n", error ? error->message : _("The session failed"));
      self->status = 1;
    }

  if (state == SB_SESSION_STATE_CLOSED || state == SB_SESSION_STATE_FAILED)
    {
      release_runner_streams (runner, G_MAXUINT);
      drain_lines (self);
      check_all_ended (self);
    }
}

static void
on_responder_error (SbResponder *responder,
                    GParamSpec  *pspec,
                    gpointer     user_data)
{
  const GError *error = sb_responder_get_error (responder);
  Runner *runner = user_data;

  /* Stopping because the output failed: what did not get sent is no news. */
  if (error != NULL && !runner->headless->output_failed)
    g_printerr ("sockbench: %s\n", error->message);
}

static void
on_capture_error (SbCapture  *capture,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Runner *runner = user_data;
  const GError *error = sb_capture_get_error (capture);

  if (error != NULL)
    {
      g_printerr ("sockbench: %s\n", error->message);
      quit (runner->headless, 1);
    }
}

static gboolean
on_signal (gpointer user_data)
{
  Headless *self = user_data;

  stop_all (self, 0);

  return G_SOURCE_CONTINUE;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* --send and --reply are rules like any other: the same responder answers. */
static gboolean
add_option_rule (SbSessionSetup  *setup,
                 const char      *option,
                 SbTrigger        trigger,
                 const char      *text,
                 gboolean         hex,
                 GError         **error)
{
  g_autoptr(SbAutoReplyRule) rule = NULL;
  g_autoptr(GError) local_error = NULL;

  if (text == NULL)
    return TRUE;

  if (sb_session_setup_get_templates (setup) &&
      !sb_responder_get_templates (sb_session_setup_get_responder (setup)))
    {
      /* A rule of the preset does not parse as a template. */
      g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID, "%s: %s", option,
                   sb_responder_get_error (sb_session_setup_get_responder (setup))->message);
      return FALSE;
    }

  rule = sb_auto_reply_rule_new (trigger, NULL, text, sb_session_setup_get_encoding (setup));
  rule->reply_hex = hex;
  if (!sb_responder_add_rule (sb_session_setup_get_responder (setup), rule, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", option, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_runner (Headless       *self,
            SbSessionSetup *setup,
            int             timeout)
{
  Runner *runner = g_new0 (Runner, 1);
  const char *capture_path = sb_session_setup_get_capture_file (setup);

  runner->headless = self;
  runner->setup = g_object_ref (setup);
  runner->session = sb_session_new (sb_session_setup_get_spec (setup));
  if (SB_IS_STREAM_CLIENT (runner->session))
    sb_stream_client_set_reconnect (SB_STREAM_CLIENT (runner->session),
                                    sb_session_setup_get_reconnect (setup));
  runner->hex = self->hex || sb_session_setup_get_view_mode (setup) == SB_VIEW_MODE_HEX;
  runner->streams = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) stream_free);
  if (timeout >= 0)
    sb_session_set_timeout (runner->session, timeout);
  g_ptr_array_add (self->runners, runner);

  /* Received lines are frames when the setup frames or checks what it
   * receives (the specs were checked when the setup took them). */
  if (!g_str_equal (sb_session_setup_get_framing (setup), "none") ||
      *sb_session_setup_get_check (setup) != '\0')
    {
      runner->framer = sb_framer_new_from_spec (sb_session_setup_get_framing (setup), NULL);
      if (*sb_session_setup_get_check (setup) != '\0')
        runner->check = sb_check_spec_parse (sb_session_setup_get_check (setup), NULL);
      runner->frame_streams = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) frame_stream_free);
      runner->marks = g_array_new (FALSE, FALSE, sizeof (SbFramerMark));
    }

  g_signal_connect (sb_session_get_history (runner->session), "items-changed",
                    G_CALLBACK (on_items_changed), runner);
  g_signal_connect (runner->session, "notify::state", G_CALLBACK (on_state_changed), runner);

  sb_responder_set_session (sb_session_setup_get_responder (setup), runner->session);
  g_signal_connect (sb_session_setup_get_responder (setup), "notify::error",
                    G_CALLBACK (on_responder_error), runner);

  if (capture_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (capture_path);

      /* Never over an earlier capture: add to it. */
      runner->capture = sb_capture_new ();
      sb_capture_set_session (runner->capture, runner->session);
      g_signal_connect (runner->capture, "notify::error", G_CALLBACK (on_capture_error), runner);
      sb_capture_start (runner->capture, file, SB_CAPTURE_APPEND);
    }
}

int
sb_headless_run (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) setups = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *encoding = NULL;
  g_autofree char *send_text = NULL;
  g_autofree char *reply_text = NULL;
  g_autofree char *join = NULL;
  g_autofree char *preset_path = NULL;
  g_autofree char *frame_spec = NULL;
  g_autofree char *check_spec = NULL;
  g_auto(GStrv) uris = NULL;
  gboolean headless = FALSE;
  gboolean templates = FALSE;
  gint64 count = 0;
  /* G_MININT: not given. */
  int timeout = G_MININT;
  int hold = G_MININT;
  Headless self = { 0 };
  const char *canonical;
  GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless, N_("Run without a window, printing one line per record"), NULL },
    { "preset", 'p', 0, G_OPTION_ARG_FILENAME, &preset_path, N_("Run every session of a preset file, with its auto-reply rules and capture files"), N_("FILE") },
    { "encoding", 'e', 0, G_OPTION_ARG_STRING, &encoding, N_("Encoding of the text shown and sent for the URIs given (default UTF-8)"), N_("NAME") },
    { "hex", 'x', 0, G_OPTION_ARG_NONE, &self.hex, N_("Show data as hex, and read --send and --reply as hex"), NULL },
    { "send", 's', 0, G_OPTION_ARG_STRING, &send_text, N_("Add a rule: send TEXT once connected, or to each peer as it connects (escapes \\r \\n \\t \\\\ \\0 \\xNN \\uNNNN)"), N_("TEXT") },
    { "reply", 'r', 0, G_OPTION_ARG_STRING, &reply_text, N_("Add a rule: answer every received message with TEXT"), N_("TEXT") },
    { "count", 'c', 0, G_OPTION_ARG_INT64, &count, N_("Exit after N received messages"), N_("N") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout, N_("Connect timeout in seconds (default 10, 0 for none)"), N_("SECONDS") },
    { "broadcast", 'b', 0, G_OPTION_ARG_NONE, &self.broadcast, N_("Allow sending UDP broadcasts (SO_BROADCAST)"), NULL },
    { "join", 'j', 0, G_OPTION_ARG_STRING, &join, N_("Join a multicast GROUP, optionally through an interface (GROUP@IFACE)"), N_("GROUP") },
    { "frame", 'f', 0, G_OPTION_ARG_STRING, &frame_spec, N_("Print one line per message framed by SPEC instead of one per read (see below)"), N_("SPEC") },
    { "check", 'k', 0, G_OPTION_ARG_STRING, &check_spec, N_("Check each received message's checksum and mark it ✔ or ✘ in a column before DATA (e.g. crc-16/modbus)"), N_("SPEC") },
    { "template", 'T', 0, G_OPTION_ARG_NONE, &templates, N_("Read --send and --reply as templates: ${seq}, ${rx}, ${crc-16/modbus}, …"), NULL },
    { "hold", 0, 0, G_OPTION_ARG_INT, &hold, N_("How long a character cut across reads waits, with its stream idle, for its other bytes before it is printed as \\xNN (default 2000)"), N_("MS") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &uris, NULL, N_("URI…") },
    { NULL }
  };

  context = g_option_context_new (_("— open sockets and print what crosses them"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, sb_scenario_run_get_option_group ());
  g_option_context_set_description (context,
    _("URIs: tcp://HOST:PORT, tcp-listen://[BIND]:PORT, udp://HOST:PORT, udp-listen://[BIND]:PORT,\n"
      "unix:///PATH, unix-listen:///PATH, unixgram:///PATH[?bind=/PATH], icmp://HOST (ping)\n\n"
      "A preset saved in the window (Presets → Save Current…, or Export…) runs here\n"
      "with --preset FILE: its sessions, auto-reply rules and capture files. Captures\n"
      "are added to the end of an existing file. --send and --reply add rules to every\n"
      "session.\n\n"
      "Each record is printed as TIME, DIRECTION (rx, tx, event), PEER, LENGTH and DATA,\n"
      "separated by tabs. Bytes invalid in the encoding are shown as \\xNN. A listening\n"
      "session prints its address (with the port the kernel chose for port 0) as an event.\n\n"
      "--frame=SPEC prints one line per message (DATA is the message, LENGTH its size):\n"
      "  line               up to \\n or \\r\\n      delim:HEX      up to these bytes (kept)\n"
      "  fixed:N            N bytes each          gap:MS         a new one after MS of silence\n"
      "  len:SIZE:be|le[:OFFSET[:ADJUST]]         a SIZE-byte length of the body that follows\n"
      "  slip, cobs         RFC 1055, COBS        (len:2:be: a 2-byte big-endian length)\n"
      "--check=SPEC checks each received message: NAME[:FIRST:LAST][:le|:be], by default\n"
      "the checksum at the end over every byte before it. --count counts messages.\n\n"
      "The output stops quietly (status 141) when its reader goes away, as cat does;\n"
      "any other error writing it is reported and the status is 1."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sockbench: %s\n", error->message);
      return 2;
    }
  if (sb_scenario_run_requested ())
    return sb_scenario_run_main ();

  if ((uris == NULL || uris[0] == NULL) && preset_path == NULL)
    {
      g_printerr ("sockbench: %s\n", _("Give at least one session URI, e.g. tcp-listen://127.0.0.1:8080, or --preset FILE"));
      return 2;
    }

  canonical = sb_codec_canonical_name (encoding ? encoding : "UTF-8");
  if (canonical == NULL || g_str_equal (canonical, SB_ENCODING_HEX))
    {
      if (canonical != NULL)
        self.hex = TRUE;
      else
        {
          g_printerr ("sockbench: ");
          g_printerr (_("Unknown encoding “%s”"), encoding);
          g_printerr ("\n");
          return 2;
        }
      canonical = "UTF-8";
    }
  if (count < 0 || (timeout != G_MININT && timeout < 0) || (hold != G_MININT && hold < 0))
    {
      const char *option = count < 0 ? "--count" : (timeout != G_MININT && timeout < 0) ? "--timeout" : "--hold";
      gint64 value = count < 0 ? count : (timeout != G_MININT && timeout < 0) ? timeout : hold;

      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      g_printerr ("sockbench: ");
      /* Translators: “--count: -1 is negative; give 0 or more” */
      g_printerr (_("%s: %s is negative; give 0 or more"), option, number);
      g_printerr ("\n");
      return 2;
    }
  self.count = count;
  self.hold_us = (hold == G_MININT ? DEFAULT_HOLD_MS : hold) * (gint64) 1000;
  if (timeout == G_MININT)
    timeout = -1;

  if (join != NULL)
    {
      char *at = strchr (join, '@');

      if (at != NULL)
        {
          self.join_iface = g_strdup (at + 1);
          *at = '\0';
        }
      self.join_group = g_strdup (join);
    }

  if (preset_path != NULL)
    {
      g_autofree char *data = NULL;
      g_autoptr(GKeyFile) keyfile = NULL;
      g_autoptr(GPtrArray) preset = NULL;
      gsize length = 0;

      if (!g_file_get_contents (preset_path, &data, &length, &error) ||
          !(keyfile = sb_preset_parse (data, length, &error)) ||
          !(preset = sb_preset_get_setups (keyfile, &error)))
        {
          g_autofree char *name = g_filename_display_name (preset_path);

          g_prefix_error (&error, "%s: ", name);
          goto fail;
        }
      g_ptr_array_extend_and_steal (setups, g_steal_pointer (&preset));
    }

  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uris[i], &error);
      SbSessionSetup *setup;

      if (spec == NULL)
        goto fail;
      setup = sb_session_setup_new (spec);
      sb_session_setup_set_encoding (setup, canonical);
      g_ptr_array_add (setups, setup);
    }

  /* Given on the command line, they apply to a preset's sessions too. */
  for (guint i = 0; i < setups->len; i++)
    {
      SbSessionSetup *setup = g_ptr_array_index (setups, i);

      if (frame_spec != NULL && !sb_session_setup_set_framing (setup, frame_spec, &error))
        {
          g_prefix_error (&error, "--frame: ");
          goto fail;
        }
      if (check_spec != NULL && !sb_session_setup_set_check (setup, check_spec, &error))
        {
          g_prefix_error (&error, "--check: ");
          goto fail;
        }
      if (templates)
        sb_session_setup_set_templates (setup, TRUE);
    }

  for (guint i = 0; i < setups->len; i++)
    {
      SbSessionSetup *setup = g_ptr_array_index (setups, i);

      if (!add_option_rule (setup, "--send", SB_TRIGGER_ON_CONNECT, send_text, self.hex, &error) ||
          !add_option_rule (setup, "--reply", SB_TRIGGER_ANY, reply_text, self.hex, &error))
        goto fail;
    }

  self.loop = g_main_loop_new (NULL, FALSE);
  self.runners = g_ptr_array_new_with_free_func ((GDestroyNotify) runner_free);
  self.output = g_string_sized_new (OUTPUT_CHUNK);
  g_queue_init (&self.lines);

  for (guint i = 0; i < setups->len; i++)
    add_runner (&self, g_ptr_array_index (setups, i), timeout);

  g_unix_signal_add (SIGINT, on_signal, &self);
  g_unix_signal_add (SIGTERM, on_signal, &self);

  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);

      sb_session_start (runner->session);
    }

  check_all_ended (&self);
  if (self.status == 0 || g_main_loop_is_running (self.loop))
    g_main_loop_run (self.loop);

  /* Write out whatever is still held, in order. */
  self.exiting = TRUE;
  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);

      g_clear_handle_id (&runner->print_id, g_source_remove);
      sb_history_flush (sb_session_get_history (runner->session));
      print_pending (runner);
      /* What is still in progress is printed as the framer ends it. */
      if (runner->framer != NULL && !(self.count > 0 && self.received >= self.count))
        end_frame_streams (runner, 0);
      release_runner_streams (runner, G_MAXUINT);
    }
  drain_lines (&self);

  /* What was received is on disk before the process ends. */
  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);
      gint64 deadline = g_get_monotonic_time () + CAPTURE_FLUSH_SECONDS * G_USEC_PER_SEC;

      guint wake;

      if (runner->capture == NULL)
        continue;
      sb_capture_stop (runner->capture);
      /* The tick bounds each wait when nothing else happens. */
      wake = g_timeout_add (100, tick, NULL);
      while (sb_capture_is_active (runner->capture) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (wake);
    }

  g_clear_handle_id (&self.hold_id, g_source_remove);
  g_ptr_array_unref (self.runners);
  g_queue_clear_full (&self.lines, (GDestroyNotify) line_free);
  g_string_free (self.output, TRUE);
  g_main_loop_unref (self.loop);
  g_free (self.join_group);
  g_free (self.join_iface);

  return self.status;

fail:
  g_printerr ("sockbench: %s\n", error->message);
  g_clear_pointer (&self.runners, g_ptr_array_unref);
  g_clear_pointer (&self.loop, g_main_loop_unref);
  g_free (self.join_group);
  g_free (self.join_iface);
  return 2;
}
