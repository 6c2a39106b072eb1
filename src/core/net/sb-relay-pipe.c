/* sb-relay-pipe.c — one direction of a relay pair: read, faults, write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-relay"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-relay-private.h"

/* Engine thread only */

/* Reads per wake-up before yielding to the rest of the main loop. */
#define READS_PER_DISPATCH 16
/* Under a bandwidth cap, pieces of this many milliseconds' worth. */
#define RATE_SLICE_MS 20

static gboolean
is_datagram (SbRelayPipe *pipe)
{
  return _sb_relay_is_datagram (pipe->pair->relay);
}

static const SbRelayFaults *
faults_of (SbRelayPipe *pipe)
{
  return _sb_relay_get_faults (pipe->pair->relay, pipe->direction);
}

GSocket *
_sb_relay_pipe_source_socket (SbRelayPipe *pipe)
{
  return pipe->direction == SB_RELAY_TO_SERVER ? pipe->pair->client : pipe->pair->server;
}

/* relay-tls: the TLS connections the pipe reads from and writes to. */
static GIOStream *
source_tls (SbRelayPipe *pipe)
{
  return pipe->direction == SB_RELAY_TO_SERVER ? pipe->pair->client_tls : pipe->pair->server_tls;
}

static GIOStream *
dest_tls (SbRelayPipe *pipe)
{
  return pipe->direction == SB_RELAY_TO_SERVER ? pipe->pair->server_tls : pipe->pair->client_tls;
}

static GSocket *
dest_socket (SbRelayPipe *pipe)
{
  if (pipe->direction == SB_RELAY_TO_SERVER)
    return pipe->pair->server;
  return is_datagram (pipe) ? _sb_relay_get_listener (pipe->pair->relay) : pipe->pair->client;
}

static void
chunk_free (SbRelayChunk *chunk)
{
  g_bytes_unref (chunk->bytes);
  g_free (chunk);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
_sb_relay_pipe_init (SbRelayPipe      *pipe,
                     SbRelayPair      *pair,
                     SbRelayDirection  direction)
{
  pipe->pair = pair;
  pipe->direction = direction;
  g_queue_init (&pipe->chunks);
}

void
_sb_relay_pipe_clear (SbRelayPipe *pipe)
{
  destroy_source (&pipe->read_source);
  destroy_source (&pipe->write_source);
  destroy_source (&pipe->timer);
  g_queue_clear_full (&pipe->chunks, (GDestroyNotify) chunk_free);
  g_clear_pointer (&pipe->held, g_bytes_unref);
  g_clear_pointer (&pipe->join, g_byte_array_unref);
  pipe->queued = 0;
}

/* Reading */

static gboolean on_readable (GSocket *socket, GIOCondition condition, gpointer user_data);
static gboolean on_tls_readable (GObject *stream, gpointer user_data);

static gboolean
may_read (SbRelayPipe *pipe)
{
  SbRelayPair *pair = pipe->pair;
  gsize limit = pipe->read_source != NULL ? SB_RELAY_HIGH_WATER : SB_RELAY_LOW_WATER;

  /* A datagram relay reads what clients send on its one listening socket. */
  if (is_datagram (pipe) && pipe->direction == SB_RELAY_TO_SERVER)
    return FALSE;

  return !pair->closed && _sb_relay_pair_ready (pair) && _sb_relay_pipe_source_socket (pipe) != NULL &&
         !pipe->eof && pipe->held == NULL && !faults_of (pipe)->silent && pipe->queued < limit;
}

void
_sb_relay_pipe_update_reading (SbRelayPipe *pipe)
{
  if (!may_read (pipe))
    {
      destroy_source (&pipe->read_source);
      return;
    }

  if (pipe->read_source != NULL)
    return;

  if (source_tls (pipe) != NULL)
    {
      GInputStream *input = g_io_stream_get_input_stream (source_tls (pipe));

      pipe->read_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (input), NULL);
      g_source_set_callback (pipe->read_source, G_SOURCE_FUNC (on_tls_readable), pipe, NULL);
    }
  else
    {
      pipe->read_source = g_socket_create_source (_sb_relay_pipe_source_socket (pipe), G_IO_IN, NULL);
      g_source_set_callback (pipe->read_source, G_SOURCE_FUNC (on_readable), pipe, NULL);
    }
  g_source_set_can_recurse (pipe->read_source, TRUE);
  g_source_attach (pipe->read_source, g_main_context_get_thread_default ());
}

static const char *
side_name (SbRelayDirection direction,
           gboolean         sender)
{
  /* The side that sends in @direction, or the one that receives. */
  if ((direction == SB_RELAY_TO_SERVER) == !!sender)
    return _("The client");
  return _("The server");
}

static void
on_eof (SbRelayPipe *pipe)
{
  pipe->eof = TRUE;
  destroy_source (&pipe->read_source);

  if (pipe->direction == SB_RELAY_TO_SERVER)
    _sb_relay_pair_event (pipe->pair, SB_EVENT_PEER_CLOSED,
                          _("The client closed its side (EOF); the server gets it once what is queued is written"));
  else
    _sb_relay_pair_event (pipe->pair, SB_EVENT_INFO,
                          _("The server closed its side (EOF); the client gets it once what is queued is written"));

  _sb_relay_pipe_flush (pipe);
}

/* One read from the sending side: its socket, or its TLS connection
 * (plaintext); 0 at the end of the stream. */
static gssize
receive (SbRelayPipe  *pipe,
         guint8       *buffer,
         GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  GInputStream *input;
  gssize n;

  if (source_tls (pipe) == NULL)
    return g_socket_receive (_sb_relay_pipe_source_socket (pipe), (char *) buffer, SB_READ_CHUNK,
                             NULL, error);

  input = g_io_stream_get_input_stream (source_tls (pipe));
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input), buffer,
                                                SB_READ_CHUNK, NULL, &local_error);
  /* TCP ended without TLS's close_notify: said, and passed on as the end. */
  if (n < 0 && g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    {
      _sb_relay_pair_event (pipe->pair, SB_EVENT_INFO, _("%s closed the connection without a TLS close_notify"),
                            side_name (pipe->direction, TRUE));
      return 0;
    }
  if (n < 0)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n;
}

static gboolean read_some (SbRelayPipe *pipe);

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  return read_some (user_data);
}

static gboolean
on_tls_readable (GObject  *stream,
                 gpointer  user_data)
{
  return read_some (user_data);
}

static gboolean
read_some (SbRelayPipe *pipe)
{
  SbRelayPair *pair = pipe->pair;
  /* Handlers of "received" may drop the last other reference. */
  g_autoptr(SbRelay) relay = g_object_ref (pair->relay);
  guint8 *buffer = _sb_relay_get_buffer (relay);

  for (guint i = 0; i < READS_PER_DISPATCH && may_read (pipe); i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      n = receive (pipe, buffer, &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;

          if (is_datagram (pipe))
            {
              /* An ICMP "port unreachable" from the server's host. */
              _sb_relay_pair_event (pair, SB_EVENT_INFO, _("The server did not take a datagram: %s"),
                                    error->message);
              continue;
            }

          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
              g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
            _sb_relay_pair_event (pair, SB_EVENT_RESET,
                                  _("%s reset the connection (RST); the other side is reset too"),
                                  side_name (pipe->direction, TRUE));
          else
            _sb_relay_pair_event (pair, SB_EVENT_ERROR, _("%s: %s; the other side is reset"),
                                  side_name (pipe->direction, TRUE), error->message);
          _sb_relay_pair_end (pair, TRUE);
          return G_SOURCE_REMOVE;
        }

      if (n == 0 && !is_datagram (pipe))
        {
          g_clear_pointer (&pipe->read_source, g_source_unref);
          on_eof (pipe);
          return G_SOURCE_REMOVE;
        }

      _sb_relay_pair_record (pair, pipe->direction, buffer, n);
      /* Someone told of the bytes may have stopped the relay. */
      if (pair->closed)
        return G_SOURCE_REMOVE;
      _sb_relay_pipe_take (pipe, buffer, n);
      if (pair->closed)
        return G_SOURCE_REMOVE;
      /* The take may have stopped reading (held, over the high mark). */
      if (pipe->read_source == NULL)
        return G_SOURCE_REMOVE;

      /* TLS reads a record at a time: read on until it would block. */
      if (!is_datagram (pipe) && source_tls (pipe) == NULL && (gsize) n < SB_READ_CHUNK)
        break;
    }

  return G_SOURCE_CONTINUE;
}

/* Faults */

static void
enqueue (SbRelayPipe *pipe,
         GBytes      *bytes,
         gint64       release_us)
{
  SbRelayChunk *chunk = g_new0 (SbRelayChunk, 1);

  chunk->bytes = g_bytes_ref (bytes);
  chunk->release_us = release_us;
  pipe->queued += g_bytes_get_size (bytes);
  g_queue_push_tail (&pipe->chunks, chunk);
}

static void
schedule (SbRelayPipe *pipe,
          GBytes      *bytes)
{
  const SbRelayFaults *faults = faults_of (pipe);
  GRand *rand = _sb_relay_get_rand (pipe->pair->relay);
  gsize len = g_bytes_get_size (bytes);
  gint64 now = g_get_monotonic_time ();
  gint64 release = now;
  gint64 first = G_MAXINT64;
  gsize piece;
  gint64 gap = 0;

  if (faults->delay_ms > 0 || faults->jitter_ms > 0)
    {
      gint64 delay = (gint64) faults->delay_ms * 1000;

      if (faults->jitter_ms > 0)
        delay += (gint64) g_rand_int_range (rand, -(gint32) faults->jitter_ms * 1000,
                                            (gint32) faults->jitter_ms * 1000 + 1);
      release = now + MAX (delay, 0);
    }

  /* A stream keeps its order whatever the jitter says. */
  if (!is_datagram (pipe))
    release = MAX (release, pipe->last_release);

  piece = len;
  if (faults->split > 0 && faults->split < len)
    {
      piece = faults->split;
      gap = (gint64) faults->split_gap_ms * 1000;
      _sb_relay_fault_event (pipe->pair, pipe->direction,
                             _("Split %" PRIu64 " bytes into writes of %" PRIu64 " bytes, %u ms apart"),
                             (guint64) len, (guint64) piece, faults->split_gap_ms);
    }
  if (faults->rate > 0)
    {
      gsize slice = MAX (faults->rate * RATE_SLICE_MS / 1000, 1);

      piece = MIN (piece, slice);
    }

  for (gsize offset = 0; offset < len; offset += piece)
    {
      gsize n = MIN (piece, len - offset);
      g_autoptr(GBytes) part = piece == len ? g_bytes_ref (bytes) : g_bytes_new_from_bytes (bytes, offset, n);
      gint64 at = release + (offset / piece) * gap;

      if (faults->rate > 0)
        {
          at = MAX (at, pipe->rate_free_at);
          pipe->rate_free_at = at + (gint64) n * G_USEC_PER_SEC / faults->rate;
        }
      enqueue (pipe, part, at);
      pipe->last_release = MAX (pipe->last_release, at);
      first = MIN (first, at);
    }

  if (first > now)
    _sb_relay_fault_event (pipe->pair, pipe->direction, _("Held %" PRIu64 " bytes for %" PRId64 " ms"),
                           (guint64) len, (gint64) ((first - now + 500) / 1000));
  if (faults->rate > 0 && pipe->rate_free_at - MAX (first, now) >= 1000)
    _sb_relay_fault_event (pipe->pair, pipe->direction,
                           _("Spread %" PRIu64 " bytes over %" PRId64 " ms (bandwidth cap)"),
                           (guint64) len, (gint64) ((pipe->rate_free_at - MAX (first, now) + 500) / 1000));

  _sb_relay_pipe_flush (pipe);
}

static void
flush_join (SbRelayPipe *pipe)
{
  g_autoptr(GBytes) joined = NULL;
  guint reads = pipe->join_reads;

  if (pipe->join == NULL)
    return;

  pipe->queued -= pipe->join->len;
  joined = g_byte_array_free_to_bytes (g_steal_pointer (&pipe->join));
  pipe->join_reads = 0;
  pipe->join_deadline = 0;
  if (reads > 1)
    _sb_relay_fault_event (pipe->pair, pipe->direction, _("Joined %u reads (%" PRIu64 " bytes) into one write"),
                           reads, (guint64) g_bytes_get_size (joined));
  schedule (pipe, joined);
}

void
_sb_relay_pipe_forward (SbRelayPipe *pipe,
                        GBytes      *bytes)
{
  const SbRelayFaults *faults = faults_of (pipe);
  GRand *rand = _sb_relay_get_rand (pipe->pair->relay);
  g_autoptr(GBytes) out = g_bytes_ref (bytes);
  gsize len = g_bytes_get_size (bytes);

  if (len == 0 && !is_datagram (pipe))
    return;

  if (is_datagram (pipe) && faults->loss > 0 && g_rand_double (rand) * 100 < faults->loss)
    {
      _sb_relay_fault_event (pipe->pair, pipe->direction, _("Dropped a datagram of %" PRIu64 " bytes"), (guint64) len);
      return;
    }

  if (is_datagram (pipe) && pipe->queued + len > SB_RELAY_HIGH_WATER)
    {
      _sb_relay_pair_event (pipe->pair, SB_EVENT_INFO,
                            _("Dropped a datagram of %" PRIu64 " bytes (%s): the relay’s queue is full"),
                            (guint64) len, sb_relay_direction_get_label (pipe->direction));
      return;
    }

  if (faults->reset_after > 0 && !is_datagram (pipe))
    {
      guint64 passed = pipe->forwarded;

      if (pipe->reset_due)
        return;
      if (passed + len >= faults->reset_after)
        {
          gsize keep = faults->reset_after > passed ? faults->reset_after - passed : 0;

          g_clear_pointer (&out, g_bytes_unref);
          out = g_bytes_new_from_bytes (bytes, 0, keep);
          len = keep;
          pipe->reset_due = TRUE;
        }
      pipe->forwarded += len;
    }

  if (faults->corrupt > 0 && len > 0 && g_rand_double (rand) * 100 < faults->corrupt)
    {
      gsize at = g_rand_int_range (rand, 0, (gint32) MIN (len, G_MAXINT32));
      guint8 flip = g_rand_int_range (rand, 1, 256);
      gsize size = 0;
      guint8 *copy = g_bytes_unref_to_data (g_steal_pointer (&out), &size);
      guint8 was = copy[at];

      copy[at] ^= flip;
      out = g_bytes_new_take (copy, size);
      _sb_relay_fault_event (pipe->pair, pipe->direction,
                             _("Changed byte %" PRIu64 " of %" PRIu64 " from 0x%02X to 0x%02X"),
                             (guint64) at + 1, (guint64) len, was, copy[at]);
    }

  if (faults->join_ms > 0)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (out, &size);

      if (pipe->join == NULL)
        {
          pipe->join = g_byte_array_new ();
          pipe->join_deadline = g_get_monotonic_time () + (gint64) faults->join_ms * 1000;
        }
      g_byte_array_append (pipe->join, data, size);
      pipe->join_reads++;
      pipe->queued += size;
      /* The timer sends it: at the deadline, or now when a reset is due. */
      if (pipe->reset_due)
        flush_join (pipe);
      else
        _sb_relay_pipe_flush (pipe);
      return;
    }

  if (len == 0 && pipe->reset_due)
    {
      _sb_relay_pipe_flush (pipe);
      return;
    }

  schedule (pipe, out);
}

void
_sb_relay_pipe_take (SbRelayPipe  *pipe,
                     const guint8 *data,
                     gsize         len)
{
  g_autoptr(GBytes) read = g_bytes_new (data, len);
  /* Rules rewrite first: intercept shows what would be passed on. */
  g_autoptr(GBytes) bytes = _sb_relay_rewrite (pipe->pair, pipe->direction, read);

  len = g_bytes_get_size (bytes);
  if (_sb_relay_intercepting (pipe->pair->relay, pipe->direction))
    {
      if (pipe->held != NULL)
        {
          /* Datagrams keep coming on the shared socket while one is held. */
          _sb_relay_fault_event (pipe->pair, pipe->direction,
                                 _("Dropped a datagram of %" PRIu64 " bytes: another one is held by intercept"),
                                 (guint64) len);
          return;
        }
      pipe->held = g_steal_pointer (&bytes);
      pipe->queued += len;
      _sb_relay_fault_event (pipe->pair, pipe->direction,
                             _("Intercepted %" PRIu64 " bytes: they wait to be forwarded, edited or dropped"),
                             (guint64) len);
      _sb_relay_pipe_update_reading (pipe);
      return;
    }

  _sb_relay_pipe_forward (pipe, bytes);
}

void
_sb_relay_pipe_faults_changed (SbRelayPipe *pipe)
{
  if (!faults_of (pipe)->silent)
    _sb_relay_pipe_flush (pipe);
  else
    _sb_relay_pipe_update_reading (pipe);
}

/* Writing */

static gboolean
on_timer (gpointer user_data)
{
  SbRelayPipe *pipe = user_data;

  g_clear_pointer (&pipe->timer, g_source_unref);
  if (pipe->join != NULL && g_get_monotonic_time () >= pipe->join_deadline)
    flush_join (pipe);
  else
    _sb_relay_pipe_flush (pipe);

  return G_SOURCE_REMOVE;
}

static gboolean
on_writable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  SbRelayPipe *pipe = user_data;

  g_clear_pointer (&pipe->write_source, g_source_unref);
  _sb_relay_pipe_flush (pipe);

  return G_SOURCE_REMOVE;
}

static gboolean
on_tls_writable (GObject  *stream,
                 gpointer  user_data)
{
  SbRelayPipe *pipe = user_data;

  g_clear_pointer (&pipe->write_source, g_source_unref);
  _sb_relay_pipe_flush (pipe);

  return G_SOURCE_REMOVE;
}

static void
arm_timer (SbRelayPipe *pipe,
           gint64       at,
           gint64       now)
{
  guint ms = (guint) ((at - now + 999) / 1000);

  destroy_source (&pipe->timer);
  pipe->timer = g_timeout_source_new (ms);
  g_source_set_callback (pipe->timer, on_timer, pipe, NULL);
  g_source_attach (pipe->timer, g_main_context_get_thread_default ());
}

static void
eof_passed (SbRelayPipe *pipe)
{
  g_autoptr(GError) error = NULL;

  pipe->shut = TRUE;
  if (!g_socket_shutdown (dest_socket (pipe), FALSE, TRUE, &error))
    {
      _sb_relay_pair_event (pipe->pair, SB_EVENT_ERROR, "%s", error->message);
      _sb_relay_pair_end (pipe->pair, TRUE);
      return;
    }
  _sb_session_trace (SB_SESSION (pipe->pair->relay), SB_CALL_SHUTDOWN,
                     pipe->direction == SB_RELAY_TO_CLIENT ? pipe->pair->socket_id : pipe->pair->upstream_id,
                     NULL, 1, 0, NULL, NULL);

  if (dest_tls (pipe) != NULL && pipe->direction == SB_RELAY_TO_CLIENT)
    _sb_relay_pair_event (pipe->pair, SB_EVENT_HALF_CLOSED,
                          _("Passed the server’s EOF on: TLS close_notify to the client, then shut down sending (half-close)"));
  else if (dest_tls (pipe) != NULL)
    _sb_relay_pair_event (pipe->pair, SB_EVENT_INFO,
                          _("Passed the client’s EOF on: TLS close_notify to the server, then shut down sending (half-close)"));
  else if (pipe->direction == SB_RELAY_TO_CLIENT)
    _sb_relay_pair_event (pipe->pair, SB_EVENT_HALF_CLOSED,
                          _("Passed the server’s EOF on: shut down sending to the client (half-close)"));
  else
    _sb_relay_pair_event (pipe->pair, SB_EVENT_INFO,
                          _("Passed the client’s EOF on: shut down sending to the server (half-close)"));

  _sb_relay_pair_check_done (pipe->pair);
}

/* The pair may have ended while close_notify was written: looked up again
 * by its peer. */
typedef struct
{
  SbRelay          *relay;
  SbPeer           *peer;
  SbRelayDirection  direction;
} Closing;

static void
on_tls_output_closed (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Closing *closing = user_data;
  g_autoptr(SbRelay) relay = closing->relay;
  g_autoptr(SbPeer) peer = closing->peer;
  g_autoptr(GError) error = NULL;
  SbRelayDirection direction = closing->direction;
  SbRelayPair *pair;
  SbRelayPipe *pipe;

  g_free (closing);
  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error);
  pair = _sb_relay_find_pair (relay, peer);
  if (pair == NULL || pair->closed)
    return;

  pipe = &pair->pipes[direction];
  pipe->closing = FALSE;
  if (error != NULL)
    {
      _sb_relay_pair_event (pair, SB_EVENT_ERROR, _("Sending TLS close_notify to %s: %s; the other side is reset"),
                            pipe->direction == SB_RELAY_TO_SERVER ? _("the server") : _("the client"),
                            error->message);
      _sb_relay_pair_end (pair, TRUE);
      return;
    }
  eof_passed (pipe);
}

static void
pass_eof_on (SbRelayPipe *pipe)
{
  Closing *closing;

  if (dest_tls (pipe) == NULL)
    {
      eof_passed (pipe);
      return;
    }

  /* close_notify is a write that may wait: in the background, then the
   * shutdown. Closing only the output leaves reading as it is. */
  if (pipe->closing)
    return;
  pipe->closing = TRUE;
  closing = g_new0 (Closing, 1);
  closing->relay = g_object_ref (pipe->pair->relay);
  closing->peer = g_object_ref (pipe->pair->peer);
  closing->direction = pipe->direction;
  g_output_stream_close_async (g_io_stream_get_output_stream (dest_tls (pipe)), G_PRIORITY_DEFAULT, NULL,
                               on_tls_output_closed, closing);
}

/* Returns FALSE when the pair ended. */
static gboolean
write_chunk (SbRelayPipe  *pipe,
             SbRelayChunk *chunk,
             gboolean     *blocked)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (chunk->bytes, &len);
  GSocket *dest = dest_socket (pipe);
  gssize n;

  if (is_datagram (pipe))
    {
      if (pipe->direction == SB_RELAY_TO_CLIENT)
        n = g_socket_send_to (dest, pipe->pair->client_address, (const char *) data, len, NULL, &error);
      else
        n = g_socket_send (dest, (const char *) data, len, NULL, &error);
      if (n < 0)
        _sb_relay_pair_event (pipe->pair, SB_EVENT_INFO,
                              _("A datagram of %" PRIu64 " bytes (%s) was not sent: %s"),
                              (guint64) len, sb_relay_direction_get_label (pipe->direction), error->message);
      pipe->head_offset = len;
      return TRUE;
    }

  if (dest_tls (pipe) != NULL)
    n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (dest_tls (pipe))),
                                                    data + pipe->head_offset, len - pipe->head_offset,
                                                    NULL, &error);
  else
    n = g_socket_send (dest, (const char *) data + pipe->head_offset, len - pipe->head_offset, NULL, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          *blocked = TRUE;
          return TRUE;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        _sb_relay_pair_event (pipe->pair, SB_EVENT_RESET,
                              _("%s reset the connection (RST) before taking everything; the other side is reset too"),
                              side_name (pipe->direction, FALSE));
      else
        _sb_relay_pair_event (pipe->pair, SB_EVENT_ERROR, _("Sending to %s: %s"),
                              pipe->direction == SB_RELAY_TO_SERVER ? _("the server") : _("the client"),
                              error->message);
      _sb_relay_pair_end (pipe->pair, TRUE);
      return FALSE;
    }

  pipe->head_offset += n;
  return TRUE;
}

void
_sb_relay_pipe_flush (SbRelayPipe *pipe)
{
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;

  if (pipe->pair->closed || pipe->write_source != NULL || dest_socket (pipe) == NULL)
    return;

  while (!g_queue_is_empty (&pipe->chunks) && !faults_of (pipe)->silent)
    {
      SbRelayChunk *chunk = g_queue_peek_head (&pipe->chunks);
      gboolean blocked = FALSE;
      gsize len = g_bytes_get_size (chunk->bytes);
      gsize before = pipe->head_offset;

      if (chunk->release_us > now)
        {
          next = chunk->release_us;
          break;
        }

      if (!write_chunk (pipe, chunk, &blocked))
        return;
      pipe->queued -= pipe->head_offset - before;

      if (blocked)
        {
          if (dest_tls (pipe) != NULL)
            {
              GOutputStream *output = g_io_stream_get_output_stream (dest_tls (pipe));

              pipe->write_source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (output), NULL);
              g_source_set_callback (pipe->write_source, G_SOURCE_FUNC (on_tls_writable), pipe, NULL);
            }
          else
            {
              pipe->write_source = g_socket_create_source (dest_socket (pipe), G_IO_OUT, NULL);
              g_source_set_callback (pipe->write_source, G_SOURCE_FUNC (on_writable), pipe, NULL);
            }
          g_source_attach (pipe->write_source, g_main_context_get_thread_default ());
          break;
        }

      if (pipe->head_offset == len)
        {
          chunk_free (g_queue_pop_head (&pipe->chunks));
          pipe->head_offset = 0;
        }
    }

  if (pipe->join != NULL)
    next = MIN (next, pipe->join_deadline);

  if (next != G_MAXINT64 && pipe->write_source == NULL)
    arm_timer (pipe, next, now);

  if (g_queue_is_empty (&pipe->chunks) && pipe->join == NULL && pipe->write_source == NULL)
    {
      if (pipe->reset_due)
        {
          _sb_relay_fault_event (pipe->pair, pipe->direction,
                                 _("Reset both sides after %" PRIu64 " bytes"),
                                 (guint64) faults_of (pipe)->reset_after);
          _sb_relay_pair_end (pipe->pair, TRUE);
          return;
        }

      if (pipe->eof && !pipe->shut && pipe->held == NULL && !is_datagram (pipe))
        {
          pass_eof_on (pipe);
          return;
        }
    }

  _sb_relay_pipe_update_reading (pipe);
}
