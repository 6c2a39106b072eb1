/* sb-peer.c — a remote endpoint: a stream connection or a datagram sender
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-peer"

#include "config.h"

#include <glib/gi18n.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "sb-address.h"
#include "sb-peer-private.h"

/* Reads per wake-up before yielding to the rest of the main loop. */
#define READS_PER_DISPATCH 16


G_DEFINE_FINAL_TYPE (SbPeer, sb_peer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_CONNECTED,
  PROP_READ_CLOSED,
  PROP_WRITE_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void flush_output (SbPeer *self);

/* Bounds the close_notify a TLS close writes in the background. */
#define TLS_CLOSE_TIMEOUT_S 2

/* A TLS connection closes in the background (close_notify is a write that
 * could wait on a peer that does not read); a plain one at once. */
static void
close_connection (SbPeer *self)
{
  if (self->tls != NULL)
    {
      if (!self->tls_closing)
        {
          self->tls_closing = TRUE;
          g_socket_set_timeout (self->socket, TLS_CLOSE_TIMEOUT_S);
          g_io_stream_close_async (self->tls, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
        }
    }
  else if (self->connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
    }
}

static void
clear_sources (SbPeer *self)
{
  if (self->read_source != NULL)
    {
      g_source_destroy (self->read_source);
      g_clear_pointer (&self->read_source, g_source_unref);
    }

  if (self->write_source != NULL)
    {
      g_source_destroy (self->write_source);
      g_clear_pointer (&self->write_source, g_source_unref);
    }
}

static void
sb_peer_dispose (GObject *object)
{
  SbPeer *self = (SbPeer *)object;

  clear_sources (self);
  self->owner = NULL;
  close_connection (self);
  g_clear_object (&self->tls);
  g_clear_object (&self->connection);
  g_clear_object (&self->socket);
  g_queue_clear_full (&self->out, (GDestroyNotify) g_bytes_unref);

  G_OBJECT_CLASS (sb_peer_parent_class)->dispose (object);
}

static void
sb_peer_finalize (GObject *object)
{
  SbPeer *self = (SbPeer *)object;

  if (self->recorder != NULL)
    sb_history_release_peer (sb_recorder_get_history (self->recorder), self->id);
  g_clear_object (&self->recorder);
  g_clear_object (&self->address);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->buffer, g_free);

  G_OBJECT_CLASS (sb_peer_parent_class)->finalize (object);
}

static void
sb_peer_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SbPeer *self = SB_PEER (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    case PROP_READ_CLOSED:
      g_value_set_boolean (value, self->read_closed);
      break;

    case PROP_WRITE_CLOSED:
      g_value_set_boolean (value, self->write_closed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_peer_class_init (SbPeerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_peer_dispose;
  object_class->finalize = sb_peer_finalize;
  object_class->get_property = sb_peer_get_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_READ_CLOSED] =
    g_param_spec_boolean ("read-closed", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_WRITE_CLOSED] =
    g_param_spec_boolean ("write-closed", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_peer_init (SbPeer *self)
{
  g_queue_init (&self->out);
  self->since = g_get_real_time ();
  self->close_on_eof = TRUE;
}

void
_sb_peer_set_label_id (SbPeer *self,
                       guint   id)
{
  SbHistory *history = sb_recorder_get_history (self->recorder);

  sb_history_hold_peer (history, id);
  sb_history_release_peer (history, self->id);
  self->id = id;
  g_free (self->label);
  self->label = g_strdup (sb_history_get_peer_label (history, id));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

static void
init_identity (SbPeer         *self,
               SbRecorder     *recorder,
               GSocketAddress *address)
{
  g_autofree char *label = NULL;

  self->recorder = g_object_ref (recorder);
  self->address = address ? g_object_ref (address) : NULL;

  label = address ? sb_address_to_string (address) : g_strdup (_("(unnamed)"));
  self->id = sb_history_intern_peer (sb_recorder_get_history (recorder), label);
  sb_history_hold_peer (sb_recorder_get_history (recorder), self->id);
  self->label = g_steal_pointer (&label);
}

SbPeer *
_sb_peer_new_datagram (SbRecorder     *recorder,
                       GSocketAddress *address)
{
  SbPeer *self = g_object_new (SB_TYPE_PEER, NULL);

  init_identity (self, recorder, address);
  self->connected = TRUE;
  _sb_peer_publish (self);

  return self;
}

SbPeer *
_sb_peer_new_stream (SbRecorder        *recorder,
                     GSocketConnection *connection,
                     GSocketAddress    *remote,
                     guint              socket_id)
{
  SbPeer *self = g_object_new (SB_TYPE_PEER, NULL);
  g_autoptr(GSocketAddress) address = NULL;

  if (remote != NULL)
    address = g_object_ref (remote);
  else
    address = g_socket_connection_get_remote_address (connection, NULL);
  init_identity (self, recorder, address);

  self->is_stream = TRUE;
  self->connected = TRUE;
  _sb_peer_publish (self);
  self->socket_id = socket_id;
  self->connection = g_object_ref (connection);
  self->socket = g_object_ref (g_socket_connection_get_socket (connection));
  g_socket_set_blocking (self->socket, FALSE);
  /* Our own timeouts only: a socket timeout would fire on idle connections. */
  g_socket_set_timeout (self->socket, 0);

  if (G_IS_TCP_CONNECTION (connection))
    {
      g_autoptr(GError) error = NULL;

      g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, TRUE, &error);
      sb_recorder_trace (recorder, SB_CALL_SETSOCKOPT, socket_id, NULL,
                         SB_SOCKOPT_TCP_NODELAY, 1, NULL, error);
    }

  return self;
}

void
_sb_peer_set_owner (SbPeer            *self,
                    const SbPeerOwner *owner,
                    gpointer           user_data)
{
  self->owner = owner;
  self->owner_data = user_data;
}

void
_sb_peer_set_close_on_eof (SbPeer   *self,
                           gboolean  close_on_eof)
{
  self->close_on_eof = !!close_on_eof;
}

void
_sb_peer_count (SbPeer      *self,
                SbDirection  direction,
                gsize        len)
{
  if (direction == SB_DIRECTION_RX)
    {
      /* Read by the window's thread (sb_peer_get_rx_bytes ()). */
      __atomic_fetch_add (&self->rx_bytes, len, __ATOMIC_RELAXED);
      __atomic_fetch_add (&self->rx_messages, 1, __ATOMIC_RELAXED);
    }
  else if (direction == SB_DIRECTION_TX)
    {
      __atomic_fetch_add (&self->tx_bytes, len, __ATOMIC_RELAXED);
      __atomic_fetch_add (&self->tx_messages, 1, __ATOMIC_RELAXED);
    }
}

static void
set_flag_and_notify (SbPeer *self,
                     guint   prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
maybe_finish (SbPeer *self)
{
  if (!self->connected)
    return;

  /* Both directions done: nothing more can cross. */
  if (self->read_closed && self->write_closed)
    {
      _sb_peer_close (self, SB_EVENT_DISCONNECTED);
      return;
    }

  /* The peer said it is done, and we are told not to wait for more. */
  if (self->read_closed && self->pending == 0 && !self->shutdown_pending && self->close_on_eof)
    _sb_peer_close (self, SB_EVENT_DISCONNECTED);
}

static void
record (SbPeer       *self,
        SbDirection   direction,
        const guint8 *data,
        gsize         len)
{
  sb_recorder_data (self->recorder, self->id, self->socket_id, direction, data, len);
  _sb_peer_count (self, direction, len);
}

static void
handle_io_error (SbPeer       *self,
                 const GError *error,
                 SbSocketOp    op,
                 SbCallKind    call)
{
  sb_recorder_trace (self->recorder, call, self->socket_id, NULL, 1, 0, NULL, error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      sb_recorder_event (self->recorder, self->id, SB_EVENT_RESET,
                         _("Connection reset by %s (RST)"), self->label);
      _sb_peer_close (self, SB_EVENT_NONE);
    }
  else
    {
      g_autoptr(GError) human = sb_socket_error_humanize (error, op, self->label);

      sb_recorder_event (self->recorder, self->id, SB_EVENT_ERROR, "%s", human->message);
      _sb_peer_close (self, SB_EVENT_NONE);
    }
}

/* One read, from the socket or through TLS; 0 at the end of the stream. */
static gssize
read_some (SbPeer  *self,
           GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (self->tls == NULL)
    return g_socket_receive_with_blocking (self->socket, (char *) self->buffer, SB_READ_CHUNK,
                                           FALSE, NULL, error);

  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->tls)),
                                                self->buffer, SB_READ_CHUNK, NULL, &local_error);
  /* The TCP connection ended without TLS's close_notify: said, and read
   * as the end of the stream (TLS 1.3 peers often close like this). */
  if (n < 0 && g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    {
      sb_recorder_event (self->recorder, self->id, SB_EVENT_INFO,
                         _("%s closed the connection without a TLS close_notify"), self->label);
      return 0;
    }
  if (n < 0)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n;
}

static gboolean on_readable (gpointer user_data);

static gboolean
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  return on_readable (user_data);
}

static gboolean
on_stream_readable (GObject  *stream,
                    gpointer  user_data)
{
  return on_readable (user_data);
}

static gboolean
on_readable (gpointer user_data)
{
  g_autoptr(SbPeer) self = g_object_ref (user_data);

  for (guint i = 0; i < READS_PER_DISPATCH && self->connected && !self->read_closed; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      n = read_some (self, &error);

      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;

          handle_io_error (self, error, SB_SOCKET_OP_RECEIVE, SB_CALL_RECV);
          return G_SOURCE_REMOVE;
        }

      if (n == 0)
        {
          sb_recorder_trace (self->recorder, SB_CALL_RECV, self->socket_id, NULL, 0, 0, NULL, NULL);
          self->read_closed = TRUE;
          _sb_peer_publish (self);
          g_clear_pointer (&self->read_source, g_source_unref);
          sb_recorder_event (self->recorder, self->id, SB_EVENT_PEER_CLOSED,
                             _("%s closed its side of the connection (EOF)"), self->label);
          set_flag_and_notify (self, PROP_READ_CLOSED);
          maybe_finish (self);
          return G_SOURCE_REMOVE;
        }

      record (self, SB_DIRECTION_RX, self->buffer, n);
      if (self->owner != NULL)
        self->owner->received (self, self->buffer, n, self->owner_data);

      if ((gsize) n < SB_READ_CHUNK)
        break;
    }

  return self->connected ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
on_writable (gpointer user_data)
{
  SbPeer *self = user_data;

  g_clear_pointer (&self->write_source, g_source_unref);
  flush_output (self);

  return G_SOURCE_REMOVE;
}

static gboolean
on_socket_writable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  return on_writable (user_data);
}

static gboolean
on_stream_writable (GObject  *stream,
                    gpointer  user_data)
{
  return on_writable (user_data);
}

static GPollableOutputStream *
tls_output (SbPeer *self)
{
  return G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->tls));
}

static gssize
write_some (SbPeer        *self,
            const guint8  *data,
            gsize          len,
            GError       **error)
{
  if (self->tls != NULL)
    return g_pollable_output_stream_write_nonblocking (tls_output (self), data, len, NULL, error);

  return g_socket_send_with_blocking (self->socket, (const char *) data, len, FALSE, NULL, error);
}

static void
watch_writable (SbPeer *self)
{
  if (self->write_source != NULL)
    return;

  if (self->tls != NULL)
    {
      self->write_source = g_pollable_output_stream_create_source (tls_output (self), NULL);
      g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_stream_writable), self, NULL);
    }
  else
    {
      self->write_source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
      g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_socket_writable), self, NULL);
    }
  g_source_attach (self->write_source, g_main_context_get_thread_default ());
}

static void
do_shutdown (SbPeer *self)
{
  g_autoptr(GError) error = NULL;

  self->shutdown_pending = FALSE;

  /* TLS: close_notify, written in the background; the TCP side stays open. */
  if (self->tls != NULL)
    {
      g_socket_set_timeout (self->socket, TLS_CLOSE_TIMEOUT_S);
      g_output_stream_close_async (g_io_stream_get_output_stream (self->tls), G_PRIORITY_DEFAULT,
                                   NULL, NULL, NULL);
    }
  else if (!g_socket_shutdown (self->socket, FALSE, TRUE, &error))
    {
      handle_io_error (self, error, SB_SOCKET_OP_SEND, SB_CALL_SHUTDOWN);
      return;
    }

  sb_recorder_trace (self->recorder, SB_CALL_SHUTDOWN, self->socket_id, NULL, 1, 0, NULL, NULL);

  self->write_closed = TRUE;

  _sb_peer_publish (self);
  sb_recorder_event (self->recorder, self->id, SB_EVENT_HALF_CLOSED,
                     _("Shut down sending to %s (half-close, EOF sent)"), self->label);
  set_flag_and_notify (self, PROP_WRITE_CLOSED);
  maybe_finish (self);
}

static void
call_writable_waiter (SbPeer *self)
{
  GSourceFunc func = self->writable_func;
  gpointer data = self->writable_data;

  if (func == NULL)
    return;

  self->writable_func = NULL;
  self->writable_data = NULL;
  func (data);
}

static void
flush_output (SbPeer *self)
{
  g_object_ref (self);

  while (self->connected && !g_queue_is_empty (&self->out))
    {
      g_autoptr(GError) error = NULL;
      GBytes *head = g_queue_peek_head (&self->out);
      gsize len;
      const guint8 *data = g_bytes_get_data (head, &len);
      gssize n;

      n = write_some (self, data + self->out_offset, len - self->out_offset, &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              watch_writable (self);
              break;
            }

          handle_io_error (self, error, SB_SOCKET_OP_SEND, SB_CALL_SEND);
          break;
        }

      record (self, SB_DIRECTION_TX, data + self->out_offset, n);
      self->out_offset += n;
      self->pending -= n;

      if (self->out_offset == len)
        {
          g_bytes_unref (g_queue_pop_head (&self->out));
          self->out_offset = 0;
        }
    }

  if (self->connected && g_queue_is_empty (&self->out))
    {
      if (self->shutdown_pending)
        do_shutdown (self);
      if (self->close_when_sent)
        _sb_peer_close (self, SB_EVENT_DISCONNECTED);
      else
        maybe_finish (self);
    }

  if (self->pending < SB_FILE_SEND_WINDOW || !self->connected)
    call_writable_waiter (self);

  g_object_unref (self);
}

void
_sb_peer_start (SbPeer *self)
{
  g_return_if_fail (self->is_stream);
  g_return_if_fail (self->read_source == NULL);

  if (self->buffer == NULL)
    self->buffer = g_malloc (SB_READ_CHUNK);

  if (self->tls != NULL)
    {
      GPollableInputStream *input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->tls));

      self->read_source = g_pollable_input_stream_create_source (input, NULL);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_stream_readable), self, NULL);
    }
  else
    {
      self->read_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_socket_readable), self, NULL);
    }
  /* GLib 2.74 blocks a source while it dispatches: its fd leaves the poll
   * set and comes back, each time waking the loop (two eventfd writes and
   * an extra poll per read). Nothing here runs a nested loop. */
  g_source_set_can_recurse (self->read_source, TRUE);
  g_source_attach (self->read_source, g_main_context_get_thread_default ());
}

gboolean
_sb_peer_send (SbPeer  *self,
               GBytes  *bytes,
               GError **error)
{
  gsize len = g_bytes_get_size (bytes);

  if (!self->connected)
    {
      g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                   _("The connection with %s is closed"), self->label);
      return FALSE;
    }

  if (self->write_closed || self->shutdown_pending)
    {
      g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                   _("Sending to %s was shut down (half-close); nothing more can be sent"),
                   self->label);
      return FALSE;
    }

  if (self->pending > 0 && self->pending + len > SB_SESSION_MAX_PENDING)
    {
      g_autofree char *size = g_format_size (self->pending);

      g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY,
                   _("%s is not reading: %s are still waiting to be sent"),
                   self->label, size);
      return FALSE;
    }

  if (len == 0)
    return TRUE;

  g_queue_push_tail (&self->out, g_bytes_ref (bytes));
  self->pending += len;

  if (self->write_source == NULL)
    flush_output (self);

  return TRUE;
}

gboolean
_sb_peer_shutdown_write (SbPeer  *self,
                         GError **error)
{
  if (!self->connected)
    {
      g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                   _("The connection with %s is closed"), self->label);
      return FALSE;
    }

  if (self->write_closed || self->shutdown_pending)
    return TRUE;

  if (self->pending > 0)
    self->shutdown_pending = TRUE;
  else
    do_shutdown (self);

  return TRUE;
}

void
_sb_peer_close_when_sent (SbPeer *self)
{
  g_autoptr(SbPeer) hold = NULL;

  g_return_if_fail (self->is_stream);

  if (!self->connected)
    return;

  /* Our side shuts down at once (or after the queue), then the connection
   * closes as soon as the last queued byte is written: no timer. When the
   * peer had closed its side already, the shutdown ends the connection and
   * its owner lets go of it: held until done. */
  hold = g_object_ref (self);
  if (!self->write_closed && !self->shutdown_pending)
    _sb_peer_shutdown_write (self, NULL);
  if (!self->connected)
    return;

  if (self->pending == 0)
    _sb_peer_close (self, SB_EVENT_DISCONNECTED);
  else
    self->close_when_sent = TRUE;
}

void
_sb_peer_close (SbPeer      *self,
                SbEventKind  event)
{
  const SbPeerOwner *owner = self->owner;
  gpointer owner_data = self->owner_data;

  if (!self->connected)
    return;

  g_object_ref (self);

  self->connected = FALSE;

  _sb_peer_publish (self);
  clear_sources (self);

  if (self->pending > 0)
    {
      g_autofree char *size = g_format_size_full (self->pending, G_FORMAT_SIZE_LONG_FORMAT);

      sb_recorder_event (self->recorder, self->id, SB_EVENT_INFO,
                         _("%s were not sent to %s: the connection closed first"),
                         size, self->label);
    }

  g_queue_clear_full (&self->out, (GDestroyNotify) g_bytes_unref);
  self->out_offset = 0;
  self->pending = 0;

  if (self->connection != NULL)
    {
      close_connection (self);
      sb_recorder_trace (self->recorder, SB_CALL_CLOSE, self->socket_id, NULL, 0, 0, NULL, NULL);
    }

  if (event != SB_EVENT_NONE)
    sb_recorder_event (self->recorder, self->id, event, _("Connection with %s closed"), self->label);

  set_flag_and_notify (self, PROP_CONNECTED);
  call_writable_waiter (self);

  self->owner = NULL;
  if (owner != NULL)
    owner->closed (self, owner_data);

  g_object_unref (self);
}

void
_sb_peer_wait_writable (SbPeer      *self,
                        GSourceFunc  func,
                        gpointer     data)
{
  g_return_if_fail (self->writable_func == NULL);

  if (!self->connected || self->pending < SB_FILE_SEND_WINDOW)
    {
      func (data);
      return;
    }

  self->writable_func = func;
  self->writable_data = data;
}

void
_sb_peer_unwait (SbPeer   *self,
                 gpointer  data)
{
  if (self->writable_data == data)
    {
      self->writable_func = NULL;
      self->writable_data = NULL;
    }
}

