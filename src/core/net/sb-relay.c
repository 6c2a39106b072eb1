/* sb-relay.c — a relay session: listen, connect each client upstream,
 * forward both ways
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-relay"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "sb-relay-private.h"
#include "sb-tls.h"
#include "sb-tls-cert.h"

/* Engine thread only */

#define ACCEPTS_PER_DISPATCH 64
#define DATAGRAMS_PER_DISPATCH 32
#define SWEEP_INTERVAL_S 10


G_DEFINE_FINAL_TYPE (SbRelay, sb_relay, SB_TYPE_SESSION)

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Shared with the pipes */

gboolean
_sb_relay_is_datagram (SbRelay *self)
{
  return sb_session_get_kind (SB_SESSION (self)) == SB_KIND_RELAY_UDP;
}

gboolean
_sb_relay_is_tls (SbRelay *self)
{
  return sb_session_get_kind (SB_SESSION (self)) == SB_KIND_RELAY_TLS;
}

gboolean
_sb_relay_pair_ready (SbRelayPair *pair)
{
  if (pair->server == NULL)
    return FALSE;
  return !_sb_relay_is_tls (pair->relay) || (pair->client_tls != NULL && pair->server_tls != NULL);
}

SbRecorder *
_sb_relay_get_recorder (SbRelay *self)
{
  return _sb_session_get_recorder (SB_SESSION (self));
}

const SbRelayFaults *
_sb_relay_get_faults (SbRelay          *self,
                      SbRelayDirection  direction)
{
  return &self->faults[direction];
}

gboolean
_sb_relay_intercepting (SbRelay          *self,
                        SbRelayDirection  direction)
{
  return self->intercept[direction];
}

GRand *
_sb_relay_get_rand (SbRelay *self)
{
  return self->rand;
}

GSocket *
_sb_relay_get_listener (SbRelay *self)
{
  return self->listener;
}

guint8 *
_sb_relay_get_buffer (SbRelay *self)
{
  if (self->buffer == NULL)
    self->buffer = g_malloc (SB_READ_CHUNK);
  return self->buffer;
}

void
_sb_relay_pair_record (SbRelayPair      *pair,
                       SbRelayDirection  direction,
                       const guint8     *data,
                       gsize             len)
{
  SbDirection dir = direction == SB_RELAY_TO_SERVER ? SB_DIRECTION_RX : SB_DIRECTION_TX;

  pair->last_active = g_get_monotonic_time ();
  sb_recorder_data (_sb_relay_get_recorder (pair->relay), sb_peer_get_id (pair->peer),
                    pair->socket_id, dir, data, len);
  _sb_peer_count (pair->peer, dir, len);
  /* What the clients send is what a relay receives: captures see it. */
  if (direction == SB_RELAY_TO_SERVER)
    _sb_session_emit_received (SB_SESSION (pair->relay), pair->peer, data, len);
}

void
_sb_relay_pair_event (SbRelayPair *pair,
                      SbEventKind  event,
                      const char  *format,
                      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  sb_recorder_event (_sb_relay_get_recorder (pair->relay), sb_peer_get_id (pair->peer),
                     event, "%s", message);
}

void
_sb_relay_fault_event (SbRelayPair      *pair,
                       SbRelayDirection  direction,
                       const char       *format,
                       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: a direction ("client → server") and what the relay did. */
  sb_recorder_event (_sb_relay_get_recorder (pair->relay), sb_peer_get_id (pair->peer),
                     SB_EVENT_FAULT, _("%s: %s"), sb_relay_direction_get_label (direction), message);
}

/* Pairs */

static void
pair_free (SbRelayPair *pair)
{
  for (guint i = 0; i < SB_RELAY_N_DIRECTIONS; i++)
    _sb_relay_pipe_clear (&pair->pipes[i]);
  g_clear_object (&pair->connecting);
  g_clear_object (&pair->client_tls);
  g_clear_object (&pair->server_tls);
  g_clear_object (&pair->client_connection);
  g_clear_object (&pair->server_connection);
  g_clear_object (&pair->client);
  g_clear_object (&pair->server);
  g_clear_object (&pair->client_address);
  g_clear_pointer (&pair->key, g_bytes_unref);
  g_clear_object (&pair->peer);
  g_free (pair);
}

static gboolean
on_reap (gpointer user_data)
{
  SbRelay *self = user_data;

  g_clear_pointer (&self->reap_source, g_source_unref);
  g_ptr_array_set_size (self->dead, 0);

  return G_SOURCE_REMOVE;
}

static void
close_socket (SbRelay  *self,
              GSocket  *socket,
              guint     socket_id,
              gboolean  reset)
{
  if (socket == NULL || g_socket_is_closed (socket))
    return;

  if (reset && !_sb_relay_is_datagram (self))
    {
      /* Linger 0: close() sends RST instead of FIN. */
      struct linger linger = { 1, 0 };

      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }
  g_socket_close (socket, NULL);
  _sb_session_trace (SB_SESSION (self), SB_CALL_CLOSE, socket_id, NULL, 0, 0, NULL, NULL);
}

static SbRelayPair *
pair_new (SbRelay        *self,
          GSocketAddress *client_address)
{
  SbRelayPair *pair = g_new0 (SbRelayPair, 1);

  pair->relay = self;
  pair->socket_id = ++self->n_sockets;
  pair->upstream_id = ++self->n_sockets;
  pair->peer = _sb_peer_new_datagram (_sb_relay_get_recorder (self), client_address);
  pair->last_active = g_get_monotonic_time ();
  for (guint i = 0; i < SB_RELAY_N_DIRECTIONS; i++)
    _sb_relay_pipe_init (&pair->pipes[i], pair, i);
  g_ptr_array_add (self->pairs, pair);

  return pair;
}

void
_sb_relay_pair_end (SbRelayPair *pair,
                    gboolean     reset)
{
  SbRelay *self = pair->relay;
  gsize left = 0;

  if (pair->closed)
    return;
  pair->closed = TRUE;

  g_object_ref (self);

  if (pair->connecting != NULL)
    g_cancellable_cancel (pair->connecting);
  for (guint i = 0; i < SB_RELAY_N_DIRECTIONS; i++)
    {
      left += pair->pipes[i].queued;
      _sb_relay_pipe_clear (&pair->pipes[i]);
    }

  if (left > 0)
    _sb_relay_pair_event (pair, SB_EVENT_INFO,
                          _("%" PRIu64 " bytes waiting in the relay were not passed on"), (guint64) left);

  close_socket (self, pair->client, pair->socket_id, reset);
  close_socket (self, pair->server, pair->upstream_id, reset);

  if (_sb_relay_is_datagram (self))
    _sb_relay_pair_event (pair, SB_EVENT_DISCONNECTED, _("Closed the upstream socket of %s"),
                          sb_peer_get_label (pair->peer));
  else if (reset)
    _sb_relay_pair_event (pair, SB_EVENT_DISCONNECTED, _("Reset both legs of %s (RST)"),
                          sb_peer_get_label (pair->peer));
  else
    _sb_relay_pair_event (pair, SB_EVENT_DISCONNECTED, _("Closed both legs of %s"),
                          sb_peer_get_label (pair->peer));

  if (pair->key != NULL)
    g_hash_table_remove (self->by_address, pair->key);
  g_ptr_array_remove_fast (self->pairs, pair);
  _sb_session_remove_peer (SB_SESSION (self), pair->peer);

  /* Callers up the stack may still look at the pair: freed from an idle. */
  g_ptr_array_add (self->dead, pair);
  if (self->reap_source == NULL)
    {
      self->reap_source = g_idle_source_new ();
      g_source_set_callback (self->reap_source, on_reap, self, NULL);
      g_source_attach (self->reap_source, g_main_context_get_thread_default ());
    }

  g_object_unref (self);
}

void
_sb_relay_pair_check_done (SbRelayPair *pair)
{
  if (pair->pipes[SB_RELAY_TO_SERVER].shut && pair->pipes[SB_RELAY_TO_CLIENT].shut)
    _sb_relay_pair_end (pair, FALSE);
}

static void
pair_start_pipes (SbRelayPair *pair)
{
  for (guint i = 0; i < SB_RELAY_N_DIRECTIONS && !pair->closed; i++)
    _sb_relay_pipe_update_reading (&pair->pipes[i]);
}

SbRelayPair *
_sb_relay_find_pair (SbRelay *self,
                     SbPeer  *peer)
{
  for (guint i = 0; i < self->pairs->len; i++)
    {
      SbRelayPair *pair = g_ptr_array_index (self->pairs, i);

      if (pair->peer == peer)
        return pair;
    }

  return NULL;
}

/* Streams */

/* Borrowed both: ending a pair (and so disposing of the relay) cancels its
 * connect first, and a cancelled connect touches neither. A reference here
 * would keep a stopped relay alive until the cancelled connect returns. */
typedef struct
{
  SbRelay     *self;
  SbRelayPair *pair;
} Connecting;

static void
set_nodelay (SbRelay *self,
             GSocket *socket,
             guint    socket_id)
{
  g_autoptr(GError) error = NULL;

  if (sb_session_get_kind (SB_SESSION (self)) != SB_KIND_RELAY_TCP && !_sb_relay_is_tls (self))
    return;
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, &error);
  _sb_session_trace (SB_SESSION (self), SB_CALL_SETSOCKOPT, socket_id, NULL,
                     SB_SOCKOPT_TCP_NODELAY, 1, NULL, error);
}

/* Both legs are up: say so and forward. */
static void
pair_connected (SbRelayPair *pair)
{
  SbRelay *self = pair->relay;
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (pair->server, NULL);
  g_autofree char *local_label = local != NULL ? sb_address_to_string (local) : g_strdup ("?");

  if (_sb_relay_is_tls (self))
    _sb_relay_pair_event (pair, SB_EVENT_CONNECTED,
                          _("Relaying %s ⇄ %s over TLS on both legs (upstream from %s): the history holds the plaintext"),
                          sb_peer_get_label (pair->peer), self->upstream_label, local_label);
  else
    _sb_relay_pair_event (pair, SB_EVENT_CONNECTED, _("Relaying %s ⇄ %s (upstream from %s)"),
                          sb_peer_get_label (pair->peer), self->upstream_label, local_label);
  pair_start_pipes (pair);
}

/* relay-tls: a leg's handshake ended. The pair is looked up again, as it
 * may have ended meanwhile. */
static void
tls_done (SbSession    *session,
          SbPeer       *peer,
          GObject      *tls,
          const GError *error,
          gboolean      upstream)
{
  SbRelay *self = SB_RELAY (session);
  SbRelayPair *pair = _sb_relay_find_pair (self, peer);

  if (pair == NULL || pair->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      if (upstream)
        _sb_relay_pair_event (pair, SB_EVENT_ERROR,
                              _("TLS with the server %s failed: %s; resetting the client’s connection"),
                              self->upstream_label, error->message);
      else
        _sb_relay_pair_event (pair, SB_EVENT_ERROR, _("TLS with the client failed: %s; closing its connection"),
                              error->message);
      _sb_relay_pair_end (pair, TRUE);
      return;
    }

  if (upstream)
    g_set_object (&pair->server_tls, G_IO_STREAM (tls));
  else
    g_set_object (&pair->client_tls, G_IO_STREAM (tls));

  if (_sb_relay_pair_ready (pair))
    pair_connected (pair);
}

static void
on_client_tls_done (SbSession    *session,
                    SbPeer       *peer,
                    GObject      *tls,
                    const GError *error)
{
  tls_done (session, peer, tls, error, FALSE);
}

static void
on_server_tls_done (SbSession    *session,
                    SbPeer       *peer,
                    GObject      *tls,
                    const GError *error)
{
  tls_done (session, peer, tls, error, TRUE);
}

static void
on_upstream_connected (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Connecting *connecting = user_data;
  SbRelay *self = connecting->self;
  SbRelayPair *pair = connecting->pair;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_free (connecting);
  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&pair->connecting);
  _sb_session_trace (SB_SESSION (self), SB_CALL_CONNECT, pair->upstream_id, self->upstream, 0, 0, NULL, error);

  if (connection == NULL)
    {
      g_autoptr(GError) human = sb_socket_error_humanize (error, SB_SOCKET_OP_CONNECT,
                                                          self->upstream_label);

      _sb_relay_pair_event (pair, SB_EVENT_ERROR, _("%s; resetting the client’s connection"),
                            human->message);
      _sb_relay_pair_end (pair, TRUE);
      return;
    }

  pair->server_connection = g_steal_pointer (&connection);
  pair->server = g_object_ref (g_socket_connection_get_socket (pair->server_connection));
  g_socket_set_blocking (pair->server, FALSE);
  g_socket_set_timeout (pair->server, 0);
  set_nodelay (self, pair->server, pair->upstream_id);

  if (_sb_relay_is_tls (self))
    {
      _sb_relay_pair_event (pair, SB_EVENT_INFO, _("TLS handshake with the server %s (Sockbench is its client)"),
                            self->upstream_label);
      _sb_tls_handshake_over (SB_SESSION (self), pair->peer, pair->upstream_id, NULL,
                              G_OBJECT (pair->server_connection), on_server_tls_done);
      return;
    }

  pair_connected (pair);
}

static void
take_client (SbRelay *self,
             GSocket *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  SbRelayPair *pair = pair_new (self, remote);
  Connecting *connecting = g_new0 (Connecting, 1);

  pair->client = g_object_ref (socket);
  pair->client_connection = g_socket_connection_factory_create_connection (socket);
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_timeout (socket, 0);
  _sb_session_trace (SB_SESSION (self), SB_CALL_ACCEPT, pair->socket_id, remote, 0, 0, NULL, NULL);
  set_nodelay (self, socket, pair->socket_id);
  _sb_session_add_peer (SB_SESSION (self), pair->peer);

  if (_sb_relay_is_tls (self))
    {
      g_autofree char *fingerprint = sb_tls_cert_fingerprint (self->certificate);

      _sb_relay_pair_event (pair, SB_EVENT_INFO,
                            _("TLS handshake with the client %s (Sockbench is its server, certificate SHA-256 %s)"),
                            sb_peer_get_label (pair->peer), fingerprint);
      _sb_tls_handshake_over (SB_SESSION (self), pair->peer, pair->socket_id, self->certificate,
                              G_OBJECT (pair->client_connection), on_client_tls_done);
      /* A handshake that failed at once ended the pair. */
      if (pair->closed)
        return;
    }

  pair->connecting = g_cancellable_new ();
  connecting->self = self;
  connecting->pair = pair;
  g_socket_client_set_timeout (client, sb_session_get_timeout (SB_SESSION (self)));
  /* Straight to the address given: no proxy resolver (nor libproxy) asked. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (self->upstream), pair->connecting,
                                 on_upstream_connected, connecting);
}

static gboolean
on_acceptable (GSocket      *listener,
               GIOCondition  condition,
               gpointer      user_data)
{
  SbRelay *self = user_data;

  for (guint i = 0; i < ACCEPTS_PER_DISPATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);

      if (socket == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_ERROR, "%s", error->message);
          break;
        }
      take_client (self, socket);
    }

  return G_SOURCE_CONTINUE;
}

/* Datagrams */

static void
evict_oldest (SbRelay *self)
{
  SbRelayPair *oldest = NULL;

  for (guint i = 0; i < self->pairs->len; i++)
    {
      SbRelayPair *pair = g_ptr_array_index (self->pairs, i);

      if (oldest == NULL || pair->last_active < oldest->last_active)
        oldest = pair;
    }

  if (oldest != NULL)
    {
      sb_recorder_count_dropped_peer (_sb_relay_get_recorder (self));
      _sb_relay_pair_end (oldest, FALSE);
    }
}

static SbRelayPair *
datagram_pair (SbRelay        *self,
               GSocketAddress *address,
               GBytes         *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *local_label = NULL;
  SbRelayPair *pair = g_hash_table_lookup (self->by_address, key);
  GSocketFamily family = g_socket_address_get_family (self->upstream);

  if (pair != NULL)
    return pair;

  if (self->pairs->len >= SB_RELAY_MAX_UDP_PAIRS)
    evict_oldest (self);

  socket = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  if (socket != NULL)
    {
      g_socket_set_blocking (socket, FALSE);
      if (!g_socket_connect (socket, self->upstream, NULL, &error))
        g_clear_object (&socket);
    }

  pair = pair_new (self, address);
  pair->client_address = g_object_ref (address);
  pair->key = g_bytes_ref (key);
  g_hash_table_insert (self->by_address, pair->key, pair);
  _sb_session_add_peer (SB_SESSION (self), pair->peer);

  if (socket == NULL)
    {
      _sb_relay_pair_event (pair, SB_EVENT_ERROR, _("No upstream socket for %s: %s"),
                            sb_peer_get_label (pair->peer), error->message);
      _sb_relay_pair_end (pair, FALSE);
      return NULL;
    }

  pair->server = g_steal_pointer (&socket);
  local = g_socket_get_local_address (pair->server, NULL);
  local_label = local != NULL ? sb_address_to_string (local) : g_strdup ("?");
  _sb_relay_pair_event (pair, SB_EVENT_CONNECTED, _("Relaying %s ⇄ %s (upstream from %s)"),
                        sb_peer_get_label (pair->peer), self->upstream_label, local_label);
  pair_start_pipes (pair);

  return pair;
}

static gboolean
on_client_datagram (GSocket      *listener,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  /* Handlers of "received" may drop the last other reference. */
  g_autoptr(SbRelay) self = g_object_ref (user_data);
  guint8 *buffer = _sb_relay_get_buffer (self);

  for (guint i = 0; i < DATAGRAMS_PER_DISPATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) address = NULL;
      g_autoptr(GBytes) key = NULL;
      SbRelayPair *pair;
      gssize size;
      gssize n;
      gpointer native;

      n = g_socket_receive_from (listener, &address, (char *) buffer, SB_READ_CHUNK, NULL, &error);
      if (n < 0)
        break;

      size = g_socket_address_get_native_size (address);
      native = g_malloc0 (MAX (size, 1));
      g_socket_address_to_native (address, native, size, NULL);
      key = g_bytes_new_take (native, size);

      pair = datagram_pair (self, address, key);
      if (pair == NULL)
        continue;
      _sb_relay_pair_record (pair, SB_RELAY_TO_SERVER, buffer, n);
      if (pair->closed || self->listener == NULL)
        break;
      _sb_relay_pipe_take (&pair->pipes[SB_RELAY_TO_SERVER], buffer, n);
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
on_sweep (gpointer user_data)
{
  SbRelay *self = user_data;
  gint64 before = g_get_monotonic_time () - (gint64) SB_RELAY_UDP_IDLE_S * G_USEC_PER_SEC;

  for (guint i = self->pairs->len; i > 0; i--)
    {
      SbRelayPair *pair = g_ptr_array_index (self->pairs, i - 1);

      if (pair->last_active < before)
        _sb_relay_pair_end (pair, FALSE);
    }

  return G_SOURCE_CONTINUE;
}

/* Starting and stopping */

static GSocketAddress *
listen_address (SbRelay  *self,
                char    **where,
                GError  **error)
{
  const SbSessionSpec *spec = sb_session_get_spec (SB_SESSION (self));
  const char *host;

  if (spec->kind == SB_KIND_RELAY_UNIX)
    {
      *where = g_strdup (spec->bind_path);
      return sb_address_new_unix (spec->bind_path, error);
    }

  host = spec->bind_host != NULL ? spec->bind_host : "127.0.0.1";
  *where = sb_address_format_host_port (host, spec->bind_port);
  return sb_address_new_listen (host, spec->bind_port, error);
}

static void
start_listening (SbRelay *self)
{
  SbSession *session = SB_SESSION (self);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  gboolean datagram = _sb_relay_is_datagram (self);
  GSocketType type = datagram ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *label = NULL;
  GSocketFamily family;

  address = listen_address (self, &where, &error);
  if (address == NULL)
    {
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }

  family = g_socket_address_get_family (address);
  socket = g_socket_new (family, type, G_SOCKET_PROTOCOL_DEFAULT, &error);
  _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, type, NULL, error);
  if (socket == NULL ||
      !g_socket_bind (socket, address, spec->kind == SB_KIND_RELAY_TCP || spec->kind == SB_KIND_RELAY_TLS,
                      &error))
    {
      _sb_session_trace (session, SB_CALL_BIND, 0, address, 0, 0, NULL, error);
      _sb_session_fail (session, sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where));
      return;
    }
  if (spec->kind == SB_KIND_RELAY_UNIX)
    _sb_unix_file_claim (&self->unix_file, spec->bind_path);

  effective = g_socket_get_local_address (socket, NULL);
  _sb_session_trace (session, SB_CALL_BIND, 0, effective ? effective : address, 0, 0, NULL, NULL);

  if (!datagram)
    {
      g_socket_set_listen_backlog (socket, 1024);
      if (!g_socket_listen (socket, &error))
        {
          _sb_unix_file_release (&self->unix_file);
          _sb_session_fail (session, sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where));
          return;
        }
      _sb_session_trace (session, SB_CALL_LISTEN, 0, NULL, 1024, 0, NULL, NULL);
    }
  else
    {
      self->sweep_source = g_timeout_source_new_seconds (SWEEP_INTERVAL_S);
      g_source_set_callback (self->sweep_source, on_sweep, self, NULL);
      g_source_attach (self->sweep_source, g_main_context_get_thread_default ());
    }

  g_socket_set_blocking (socket, FALSE);
  self->listener = g_steal_pointer (&socket);
  self->listen_source = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->listen_source,
                         datagram ? G_SOURCE_FUNC (on_client_datagram) : G_SOURCE_FUNC (on_acceptable),
                         self, NULL);
  g_source_attach (self->listen_source, g_main_context_get_thread_default ());

  _sb_session_set_local_address (session, effective);
  label = sb_address_to_string (effective);
  _sb_session_event (session, NULL, SB_EVENT_LISTENING, _("Listening on %s, relaying to %s"),
                     label, self->upstream_label);
  _sb_session_set_state (session, SB_SESSION_STATE_LISTENING);
}

static void
on_resolved (SbSession      *session,
             GSocketAddress *address)
{
  SbRelay *self = SB_RELAY (session);

  g_set_object (&self->upstream, address);
  g_free (self->upstream_label);
  self->upstream_label = sb_address_to_string (address);
  start_listening (self);
}

static void
sb_relay_start (SbSession *session)
{
  SbRelay *self = SB_RELAY (session);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GError) error = NULL;

  self->n_sockets = 0;

  if (spec->kind == SB_KIND_RELAY_TLS)
    {
      g_clear_object (&self->certificate);
      self->certificate = _sb_tls_server_certificate (session, &error);
      if (self->certificate == NULL)
        {
          _sb_session_fail (session, g_steal_pointer (&error));
          return;
        }
    }

  if (spec->kind == SB_KIND_RELAY_UNIX)
    {
      g_autoptr(GSocketAddress) upstream = sb_address_new_unix (spec->path, &error);

      if (upstream == NULL)
        {
          _sb_session_fail (session, g_steal_pointer (&error));
          return;
        }
      on_resolved (session, upstream);
      return;
    }

  _sb_session_resolve (session, spec->host, spec->port, on_resolved);
}

static void
sb_relay_stop (SbSession *session)
{
  SbRelay *self = SB_RELAY (session);

  while (self->pairs->len > 0)
    _sb_relay_pair_end (g_ptr_array_index (self->pairs, self->pairs->len - 1), FALSE);

  destroy_source (&self->listen_source);
  destroy_source (&self->sweep_source);
  if (self->listener != NULL)
    {
      g_socket_close (self->listener, NULL);
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
      g_clear_object (&self->listener);
    }
  _sb_unix_file_release (&self->unix_file);
}

static gboolean
sb_relay_send (SbSession       *session,
               SbPeer          *peer,
               GSocketAddress  *to,
               GBytes          *bytes,
               GError         **error)
{
  g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                       _("A relay passes on what its client and server send; to change or add bytes, intercept a direction and edit what it holds"));
  return FALSE;
}

static gboolean
sb_relay_shutdown_write (SbSession  *session,
                         SbPeer     *peer,
                         GError    **error)
{
  return sb_relay_send (session, peer, NULL, NULL, error);
}

static gboolean
sb_relay_disconnect (SbSession  *session,
                     SbPeer     *peer,
                     GError    **error)
{
  SbRelay *self = SB_RELAY (session);

  if (peer == NULL)
    {
      while (self->pairs->len > 0)
        _sb_relay_pair_end (g_ptr_array_index (self->pairs, self->pairs->len - 1), FALSE);
      return TRUE;
    }

  if (_sb_relay_find_pair (self, peer) != NULL)
    _sb_relay_pair_end (_sb_relay_find_pair (self, peer), FALSE);
  return TRUE;
}

static void
sb_relay_dispose (GObject *object)
{
  SbRelay *self = SB_RELAY (object);

  if (_sb_session_dispose_elsewhere (SB_SESSION (object)))
    return;

  if (self->pairs != NULL)
    while (self->pairs->len > 0)
      _sb_relay_pair_end (g_ptr_array_index (self->pairs, self->pairs->len - 1), FALSE);
  destroy_source (&self->reap_source);
  destroy_source (&self->listen_source);
  destroy_source (&self->sweep_source);
  if (self->dead != NULL)
    g_ptr_array_set_size (self->dead, 0);
  g_clear_object (&self->listener);
  _sb_unix_file_release (&self->unix_file);

  G_OBJECT_CLASS (sb_relay_parent_class)->dispose (object);
}

static void
sb_relay_finalize (GObject *object)
{
  SbRelay *self = SB_RELAY (object);

  g_clear_pointer (&self->pairs, g_ptr_array_unref);
  g_clear_pointer (&self->dead, g_ptr_array_unref);
  g_clear_pointer (&self->by_address, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    g_clear_pointer (&self->rewrites[d], g_ptr_array_unref);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->upstream_label, g_free);
  g_clear_object (&self->upstream);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (sb_relay_parent_class)->finalize (object);
}

static void
sb_relay_class_init (SbRelayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SbSessionClass *session_class = SB_SESSION_CLASS (klass);

  object_class->dispose = sb_relay_dispose;
  object_class->finalize = sb_relay_finalize;

  session_class->start = sb_relay_start;
  session_class->stop = sb_relay_stop;
  session_class->send = sb_relay_send;
  session_class->shutdown_write = sb_relay_shutdown_write;
  session_class->disconnect = sb_relay_disconnect;
}

static void
sb_relay_init (SbRelay *self)
{
  self->pairs = g_ptr_array_new ();
  self->dead = g_ptr_array_new_with_free_func ((GDestroyNotify) pair_free);
  self->by_address = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  self->rand = g_rand_new ();
  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    self->rewrites[d] = g_ptr_array_new_with_free_func ((GDestroyNotify) _sb_relay_rewrite_free);
}
