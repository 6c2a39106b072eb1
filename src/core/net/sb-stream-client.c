/* sb-stream-client.c — a TCP or UNIX stream client session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-stream-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-session-private.h"
#include "sb-stream-client.h"
#include "sb-tls.h"
#include "sb-unix-file.h"

struct _SbStreamClient
{
  SbSession                 parent_instance;

  /* Connecting: each address the name resolves to is tried in turn, with
   * our own socket calls, so the trace shows every attempt as it was. */
  GCancellable             *connect_cancellable;
  GSocketAddressEnumerator *enumerator;
  GSocket                  *socket;
  GSocketAddress           *attempt;
  GSource                  *connect_source;
  GError                   *last_error;
  GSource                  *timeout_source;
  guint                     n_attempts;
  char                     *where;
  SbPeer                   *peer;
  /* Reconnecting: after the connection closed or an attempt failed, wait
   * (doubling from RECONNECT_FIRST_MS up to RECONNECT_MAX_MS) and connect
   * again; the session stays "connecting" meanwhile, so Stop ends it. */
  GSource                  *retry_source;
  guint                     retry_ms;
  /* The local path a UNIX client bound (spec's ?bind=/PATH), removed at stop. */
  SbUnixFile                unix_file;
  guint                     timed_out : 1;
  guint                     reconnect : 1;
  /* TLS: connected, and the handshake runs; the peer is not listed yet. */
  guint                     handshaking : 1;
};

enum {
  PROP_0,
  PROP_RECONNECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define RECONNECT_FIRST_MS 250
#define RECONNECT_MAX_MS   30000

G_DEFINE_FINAL_TYPE (SbStreamClient, sb_stream_client, SB_TYPE_SESSION)

static void try_next_address (SbStreamClient *self);
static void sb_stream_client_start (SbSession *session);

static gboolean
retry_cb (gpointer user_data)
{
  SbStreamClient *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  sb_stream_client_start (SB_SESSION (self));
  return G_SOURCE_REMOVE;
}

/* Connects again after the back-off, and doubles it for next time. */
static void
schedule_retry (SbStreamClient *self)
{
  SbSession *session = SB_SESSION (self);

  if (self->retry_ms == 0)
    self->retry_ms = RECONNECT_FIRST_MS;
  _sb_session_event (session, NULL, SB_EVENT_INFO,
                     _("Reconnecting to %s in %.1f s"), self->where ? self->where : "",
                     self->retry_ms / 1000.0);
  _sb_session_set_state (session, SB_SESSION_STATE_CONNECTING);
  sb_clear_source (&self->retry_source);
  self->retry_source = sb_timeout_source_add (self->retry_ms, retry_cb, self);
  self->retry_ms = MIN (self->retry_ms * 2, RECONNECT_MAX_MS);
}

static void
clear_attempt (SbStreamClient *self)
{
  if (self->connect_source != NULL)
    {
      g_source_destroy (self->connect_source);
      g_clear_pointer (&self->connect_source, g_source_unref);
    }

  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      g_clear_object (&self->socket);
    }

  g_clear_object (&self->attempt);
}

static void
clear_connect (SbStreamClient *self)
{
  clear_attempt (self);
  sb_clear_source (&self->timeout_source);
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_object (&self->enumerator);
  g_clear_error (&self->last_error);
}

static void
fail_connect (SbStreamClient *self,
              GError         *error)
{
  clear_connect (self);
  if (self->reconnect)
    {
      /* Said, and tried again: the session stays running. */
      _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_ERROR, "%s", error->message);
      g_error_free (error);
      schedule_retry (self);
      return;
    }
  _sb_session_fail (SB_SESSION (self), error);
}

/* The peer is listed and reads once TCP connected, or TLS on top of it. */
static void
peer_ready (SbStreamClient *self)
{
  SbSession *session = SB_SESSION (self);

  self->retry_ms = 0;
  _sb_session_set_state (session, SB_SESSION_STATE_CONNECTED);
  _sb_session_add_peer (session, self->peer);

  /* A peer-connected handler may already have stopped us. */
  if (self->peer != NULL && sb_peer_is_connected (self->peer))
    _sb_peer_start (self->peer);
}

static void
on_tls_done (SbSession    *session,
             SbPeer       *peer,
             GObject      *tls,
             const GError *error)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  if (peer != self->peer || !self->handshaking)
    return;
  self->handshaking = FALSE;

  if (error == NULL)
    {
      peer_ready (self);
      return;
    }

  _sb_peer_close (peer, SB_EVENT_NONE);
  g_clear_object (&self->peer);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    fail_connect (self, g_error_copy (error));
}

static void
connected (SbStreamClient *self)
{
  SbSession *session = SB_SESSION (self);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *local_label = NULL;

  _sb_session_trace (session, SB_CALL_CONNECT, 0, self->attempt, 0, 0, NULL, NULL);

  connection = g_socket_connection_factory_create_connection (self->socket);

  /* The connection owns the socket now. */
  g_clear_object (&self->socket);
  clear_connect (self);

  local = g_socket_connection_get_local_address (connection, NULL);
  _sb_session_set_local_address (session, local);

  g_clear_object (&self->peer);
  self->peer = _sb_peer_new_stream (_sb_session_get_recorder (session), connection, NULL, 0);

  local_label = local ? sb_address_to_string (local) : g_strdup ("?");
  _sb_session_event (session, self->peer, SB_EVENT_CONNECTED,
                     _("Connected to %s from %s"), sb_peer_get_label (self->peer), local_label);

  if (sb_kind_is_tls (sb_session_get_kind (session)))
    {
      self->handshaking = TRUE;
      _sb_tls_handshake (session, self->peer, 0, NULL, on_tls_done);
      return;
    }

  peer_ready (self);
}

static void
attempt_failed (SbStreamClient *self,
                GError         *error)
{
  g_autofree char *where = sb_address_to_string (self->attempt);
  GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_CONNECT, where);

  g_error_free (error);

  _sb_session_trace (SB_SESSION (self), SB_CALL_CONNECT, 0, self->attempt, 0, 0, NULL, human);
  _sb_session_trace (SB_SESSION (self), SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
  clear_attempt (self);

  g_clear_error (&self->last_error);
  self->last_error = human;

  try_next_address (self);
}

/* The spec's local side for @attempt, or NULL when the kernel chooses. A
 * TCP client without a local host binds any address of the target's family. */
static GSocketAddress *
make_local_address (const SbSessionSpec  *spec,
                    GSocketAddress       *attempt,
                    GError              **error)
{
  GSocketFamily family = g_socket_address_get_family (attempt);
  g_autoptr(GInetAddress) inet = NULL;
  const char *host = spec->bind_host;

  if (spec->kind == SB_KIND_UNIX_CLIENT)
    return spec->bind_path != NULL ? sb_address_new_unix (spec->bind_path, error) : NULL;

  if (!spec->has_bind)
    return NULL;

  if (host == NULL)
    return g_inet_socket_address_new (inet = g_inet_address_new_any (family), spec->bind_port);

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    host = family == G_SOCKET_FAMILY_IPV6 ? "::1" : "127.0.0.1";

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address of this computer: bind to 127.0.0.1, ::1, 0.0.0.0 or ::"),
                   host);
      return NULL;
    }
  if ((GSocketFamily) g_inet_address_get_family (inet) != family)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The local address %s and the target are of different families (IPv4 and IPv6)"),
                   host);
      return NULL;
    }

  return g_inet_socket_address_new (inet, spec->bind_port);
}

/* Binds the new socket to the spec's local side before connect(), as a
 * server binds before listen(); SO_REUSEADDR lets a quick reconnect take
 * the same port while the old connection is in TIME_WAIT. */
static gboolean
bind_local (SbStreamClient  *self,
            GError         **error)
{
  SbSession *session = SB_SESSION (self);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *where = NULL;
  gboolean tcp = spec->kind == SB_KIND_TCP_CLIENT || spec->kind == SB_KIND_TLS_CLIENT;

  local = make_local_address (spec, self->attempt, error);
  if (local == NULL)
    return error == NULL || *error == NULL;

  where = sb_address_to_string (local);
  if (tcp)
    _sb_session_trace (session, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_SO_REUSEADDR, 1, NULL, NULL);

  if (!g_socket_bind (self->socket, local, tcp, &local_error))
    {
      GError *human = sb_socket_error_humanize (local_error, SB_SOCKET_OP_BIND, where);

      _sb_session_trace (session, SB_CALL_BIND, 0, local, tcp ? spec->bind_port : 0, 0, NULL, human);
      g_propagate_error (error, human);
      return FALSE;
    }

  if (!tcp)
    _sb_unix_file_claim (&self->unix_file, spec->bind_path);

  effective = g_socket_get_local_address (self->socket, NULL);
  _sb_session_trace (session, SB_CALL_BIND, 0, effective ? effective : local,
                     tcp ? spec->bind_port : 0, 0, NULL, NULL);
  return TRUE;
}

/* The local side could not be bound: said like a failed attempt, and the
 * next address is tried (a busy port stays busy, so its error is the last). */
static void
bind_failed (SbStreamClient *self,
             GError         *error)
{
  _sb_session_trace (SB_SESSION (self), SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
  clear_attempt (self);

  g_clear_error (&self->last_error);
  self->last_error = error;

  try_next_address (self);
}

static gboolean
on_connect_ready (GSocket      *socket,
                  GIOCondition  condition,
                  gpointer      user_data)
{
  SbStreamClient *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->connect_source, g_source_unref);

  if (g_socket_check_connect_result (socket, &error))
    connected (self);
  else
    attempt_failed (self, error);

  return G_SOURCE_REMOVE;
}

static void
on_next_address (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SbStreamClient) self = user_data;
  SbSession *session = SB_SESSION (self);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  address = g_socket_address_enumerator_next_finish (G_SOCKET_ADDRESS_ENUMERATOR (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* stopped, or timed out (which reports itself) */

  if (address == NULL)
    {
      if (self->n_attempts == 0 && error != NULL)
        {
          /* The name did not resolve. */
          GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_CONNECT,
                                                    spec->host ? spec->host : self->where);

          _sb_session_trace (session, SB_CALL_GETADDRINFO, 0, NULL, 0, 0, spec->host, human);
          fail_connect (self, human);
        }
      else if (self->last_error != NULL)
        {
          fail_connect (self, g_steal_pointer (&self->last_error));
        }
      else
        {
          fail_connect (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                           _("%s has no address to connect to"), self->where));
        }
      return;
    }

  if (self->n_attempts++ == 0 && spec->host != NULL && !g_hostname_is_ip_address (spec->host))
    _sb_session_trace (session, SB_CALL_GETADDRINFO, 0, address, 0, 0, spec->host, NULL);

  _sb_session_set_state (session, SB_SESSION_STATE_CONNECTING);

  self->attempt = g_steal_pointer (&address);
  self->socket = g_socket_new (g_socket_address_get_family (self->attempt),
                               G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL,
                     g_socket_address_get_family (self->attempt), G_SOCKET_TYPE_STREAM, NULL, error);
  if (self->socket == NULL)
    {
      attempt_failed (self, g_steal_pointer (&error));
      return;
    }

  if (!bind_local (self, &error))
    {
      bind_failed (self, g_steal_pointer (&error));
      return;
    }

  g_socket_set_blocking (self->socket, FALSE);

  if (g_socket_connect (self->socket, self->attempt, NULL, &error))
    {
      connected (self);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      self->connect_source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
      g_source_set_callback (self->connect_source, G_SOURCE_FUNC (on_connect_ready), self, NULL);
      g_source_attach (self->connect_source, g_main_context_get_thread_default ());
    }
  else
    {
      attempt_failed (self, g_steal_pointer (&error));
    }
}

static void
try_next_address (SbStreamClient *self)
{
  g_socket_address_enumerator_next_async (self->enumerator, self->connect_cancellable,
                                          on_next_address, g_object_ref (self));
}

static gboolean
on_timeout (gpointer user_data)
{
  SbStreamClient *self = user_data;
  SbSession *session = SB_SESSION (self);
  GError *error;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  self->timed_out = TRUE;

  error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("Connecting to %s timed out after %u s"),
                       self->where, sb_session_get_timeout (session));

  if (self->attempt != NULL)
    {
      _sb_session_trace (session, SB_CALL_CONNECT, 0, self->attempt, 0, 0, NULL, error);
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
    }

  fail_connect (self, error);

  return G_SOURCE_REMOVE;
}

static void
sb_stream_client_start (SbSession *session)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout = sb_session_get_timeout (session);

  clear_connect (self);
  sb_clear_source (&self->retry_source);
  g_clear_object (&self->peer);
  g_clear_pointer (&self->where, g_free);
  _sb_unix_file_release (&self->unix_file);
  self->timed_out = FALSE;
  self->handshaking = FALSE;
  self->n_attempts = 0;

  if (spec->kind == SB_KIND_UNIX_CLIENT)
    {
      GSocketAddress *address = sb_address_new_unix (spec->path, &error);

      if (address == NULL)
        {
          _sb_session_fail (session, g_steal_pointer (&error));
          return;
        }

      connectable = G_SOCKET_CONNECTABLE (address);
      self->where = g_strdup (spec->path);
    }
  else
    {
      connectable = g_network_address_new (spec->host, spec->port);
      self->where = sb_address_format_host_port (spec->host, spec->port);
    }

  self->connect_cancellable = g_cancellable_new ();
  self->enumerator = g_socket_connectable_enumerate (connectable);

  if (timeout > 0)
    self->timeout_source = sb_timeout_source_add (timeout * 1000, on_timeout, self);

  if (spec->host != NULL && !g_hostname_is_ip_address (spec->host))
    _sb_session_set_state (session, SB_SESSION_STATE_RESOLVING);
  else
    _sb_session_set_state (session, SB_SESSION_STATE_CONNECTING);

  try_next_address (self);
}

static void
sb_stream_client_stop (SbSession *session)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  if (self->attempt != NULL)
    _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
  if (self->handshaking && self->peer != NULL)
    {
      self->handshaking = FALSE;
      _sb_peer_close (self->peer, SB_EVENT_DISCONNECTED);
      g_clear_object (&self->peer);
    }
  clear_connect (self);
  sb_clear_source (&self->retry_source);
  self->retry_ms = 0;
  _sb_unix_file_release (&self->unix_file);
}

static SbPeer *
resolve_peer (SbStreamClient  *self,
              SbPeer          *peer,
              GError         **error)
{
  if (self->peer == NULL || self->handshaking || (peer != NULL && peer != self->peer))
    {
      g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                           _("Not connected: start the session first"));
      return NULL;
    }

  return self->peer;
}

static gboolean
sb_stream_client_send (SbSession       *session,
                       SbPeer          *peer,
                       GSocketAddress  *to,
                       GBytes          *bytes,
                       GError         **error)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  if (!(peer = resolve_peer (self, peer, error)))
    return FALSE;

  return _sb_peer_send (peer, bytes, error);
}

static gboolean
sb_stream_client_shutdown_write (SbSession  *session,
                                 SbPeer     *peer,
                                 GError    **error)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  if (!(peer = resolve_peer (self, peer, error)))
    return FALSE;

  return _sb_peer_shutdown_write (peer, error);
}

static gboolean
sb_stream_client_disconnect (SbSession  *session,
                             SbPeer     *peer,
                             GError    **error)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  if (!(peer = resolve_peer (self, peer, error)))
    return FALSE;

  _sb_peer_close (peer, SB_EVENT_DISCONNECTED);
  return TRUE;
}

static gboolean
sb_stream_client_get_tcp_info (SbSession  *session,
                               SbTcpInfo  *info,
                               GError    **error)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  if (sb_kind_is_unix (sb_session_get_kind (session)))
    return SB_SESSION_CLASS (sb_stream_client_parent_class)->get_tcp_info (session, info, error);

  if (self->peer == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The session has no open connection"));
      return FALSE;
    }

  return sb_peer_get_tcp_info (self->peer, info, error);
}

static void
sb_stream_client_peer_closed (SbSession *session,
                              SbPeer    *peer)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  g_clear_object (&self->peer);

  /* While stopping, sb_session_stop() sets the final state itself. */
  if (sb_session_get_state (session) != SB_SESSION_STATE_CONNECTED)
    return;
  if (self->reconnect)
    schedule_retry (self);
  else
    _sb_session_set_state (session, SB_SESSION_STATE_CLOSED);
}

static void
sb_stream_client_dispose (GObject *object)
{
  SbStreamClient *self = (SbStreamClient *)object;

  if (_sb_session_dispose_elsewhere (SB_SESSION (object)))
    return;

  clear_connect (self);
  sb_clear_source (&self->retry_source);

  G_OBJECT_CLASS (sb_stream_client_parent_class)->dispose (object);

  g_clear_object (&self->peer);
}

static void
sb_stream_client_finalize (GObject *object)
{
  SbStreamClient *self = (SbStreamClient *)object;

  g_clear_pointer (&self->where, g_free);
  _sb_unix_file_release (&self->unix_file);

  G_OBJECT_CLASS (sb_stream_client_parent_class)->finalize (object);
}

static void
sb_stream_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SbStreamClient *self = SB_STREAM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RECONNECT:
      g_value_set_boolean (value, self->reconnect);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_stream_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SbStreamClient *self = SB_STREAM_CLIENT (object);

  switch (prop_id)
    {
    case PROP_RECONNECT:
      sb_stream_client_set_reconnect (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_stream_client_class_init (SbStreamClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SbSessionClass *session_class = SB_SESSION_CLASS (klass);

  object_class->dispose = sb_stream_client_dispose;
  object_class->finalize = sb_stream_client_finalize;
  object_class->get_property = sb_stream_client_get_property;
  object_class->set_property = sb_stream_client_set_property;

  properties[PROP_RECONNECT] =
    g_param_spec_boolean ("reconnect", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  session_class->start = sb_stream_client_start;
  session_class->stop = sb_stream_client_stop;
  session_class->send = sb_stream_client_send;
  session_class->shutdown_write = sb_stream_client_shutdown_write;
  session_class->disconnect = sb_stream_client_disconnect;
  session_class->peer_closed = sb_stream_client_peer_closed;
  session_class->get_tcp_info = sb_stream_client_get_tcp_info;
}

static void
sb_stream_client_init (SbStreamClient *self)
{
}

gboolean
sb_stream_client_get_reconnect (SbStreamClient *self)
{
  g_return_val_if_fail (SB_IS_STREAM_CLIENT (self), FALSE);

  return self->reconnect;
}

static void
set_reconnect_call (gpointer data,
                    gpointer unused)
{
  gpointer *args = data;

  sb_stream_client_set_reconnect (args[0], GPOINTER_TO_INT (args[1]));
}

void
sb_stream_client_set_reconnect (SbStreamClient *self,
                                gboolean        reconnect)
{
  g_return_if_fail (SB_IS_STREAM_CLIENT (self));

  reconnect = !!reconnect;
  {
    gpointer args[2] = { self, GINT_TO_POINTER (reconnect) };

    if (_sb_session_call (SB_SESSION (self), set_reconnect_call, args))
      return;
  }
  if (self->reconnect == reconnect)
    return;
  self->reconnect = reconnect;
  /* Turned off while waiting: the wait ends as a stop would. */
  if (!reconnect && self->retry_source != NULL)
    sb_session_stop (SB_SESSION (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT]);
}

SbPeer *
sb_stream_client_get_peer (SbStreamClient *self)
{
  g_return_val_if_fail (SB_IS_STREAM_CLIENT (self), NULL);

  return self->peer;
}
