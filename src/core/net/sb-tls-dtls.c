/* sb-tls-dtls.c — a DTLS session: TLS over UDP, one peer at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-tls"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-tls.h"
#include "sb-tls-dtls.h"

/* Engine thread only */

#define DATAGRAM_MAX 65536

struct _SbDtlsSession
{
  SbSession        parent_instance;

  GSocket         *socket;
  /* Servers: waiting for a client's first datagram. */
  GSource         *wait_source;
  /* After the handshake: reads go through it. */
  GObject         *dtls;
  GSource         *read_source;
  SbPeer          *peer;
  GTlsCertificate *certificate;
  guint8          *buffer;
};

G_DEFINE_FINAL_TYPE (SbDtlsSession, sb_dtls_session, SB_TYPE_SESSION)

static void wait_for_client (SbDtlsSession *self);

static gboolean
is_server (SbDtlsSession *self)
{
  return sb_session_get_kind (SB_SESSION (self)) == SB_KIND_DTLS_SERVER;
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Ends the DTLS conversation with a close_notify: one datagram, which a
 * UDP socket sends without waiting. */
static void
drop_dtls (SbDtlsSession *self)
{
  destroy_source (&self->read_source);
  if (self->dtls != NULL)
    g_dtls_connection_shutdown (G_DTLS_CONNECTION (self->dtls), FALSE, TRUE, NULL, NULL);
  g_clear_object (&self->dtls);
}

static GSocket *open_socket (SbDtlsSession  *self,
                             GSocketFamily   family,
                             GError        **error);

/* The server's socket is connected to its client: a new one is bound to
 * the same address for the next (connect(AF_UNSPEC) would let go of a
 * port the kernel chose). */
static gboolean
rebind (SbDtlsSession  *self,
        GError        **error)
{
  SbSession *session = SB_SESSION (self);
  GSocketAddress *local = sb_session_get_local_address (session);

  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
    }
  g_clear_object (&self->socket);

  self->socket = open_socket (self, g_socket_address_get_family (local), error);
  if (self->socket == NULL)
    return FALSE;
  if (!g_socket_bind (self->socket, local, TRUE, error))
    {
      _sb_session_trace (session, SB_CALL_BIND, 0, local, 0, 0, NULL, *error);
      return FALSE;
    }
  _sb_session_trace (session, SB_CALL_BIND, 0, local, 0, 0, NULL, NULL);
  return TRUE;
}

static void
close_all (SbDtlsSession *self)
{
  drop_dtls (self);
  destroy_source (&self->wait_source);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_object (&self->peer);
}

/* The client left, or failed: the server waits for the next one. */
static void
peer_gone (SbDtlsSession *self,
           const char    *why)
{
  SbSession *session = SB_SESSION (self);
  g_autoptr(SbPeer) peer = g_steal_pointer (&self->peer);

  drop_dtls (self);
  if (peer != NULL && why != NULL)
    _sb_session_event (session, peer, SB_EVENT_DISCONNECTED, "%s", why);
  if (peer != NULL && g_list_store_find (G_LIST_STORE (sb_session_get_peers (session)), peer, NULL))
    _sb_session_remove_peer (session, peer);

  if (is_server (self))
    {
      g_autoptr(GError) error = NULL;

      if (!rebind (self, &error))
        {
          _sb_session_fail (session, g_steal_pointer (&error));
          return;
        }
      wait_for_client (self);
    }
  else
    {
      _sb_session_set_state (session, SB_SESSION_STATE_CLOSED);
    }
}

static gboolean
on_readable (GDatagramBased *datagram,
             GIOCondition    condition,
             gpointer        user_data)
{
  g_autoptr(SbDtlsSession) self = g_object_ref (user_data);
  SbSession *session = SB_SESSION (self);

  for (guint i = 0; i < 16 && self->dtls != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      GInputVector vector = { self->buffer, DATAGRAM_MAX };
      GInputMessage message = { NULL, &vector, 1, 0, 0, NULL, NULL };
      gint n;

      n = g_datagram_based_receive_messages (G_DATAGRAM_BASED (self->dtls), &message, 1, 0, 0, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      if (n < 0 || message.bytes_received == 0)
        {
          g_autofree char *why = NULL;

          if (n < 0 && !g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF))
            why = g_strdup_printf (_("The DTLS session with %s ended: %s"),
                                   sb_peer_get_label (self->peer), error->message);
          else
            why = g_strdup_printf (_("%s closed the DTLS session"), sb_peer_get_label (self->peer));
          g_clear_pointer (&self->read_source, g_source_unref);
          peer_gone (self, why);
          return G_SOURCE_REMOVE;
        }

      _sb_session_record (session, self->peer, SB_DIRECTION_RX, self->buffer, message.bytes_received);
      _sb_session_emit_received (session, self->peer, self->buffer, message.bytes_received);
    }

  return self->dtls != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
on_handshake_done (SbSession    *session,
                   SbPeer       *peer,
                   GObject      *tls,
                   const GError *error)
{
  SbDtlsSession *self = SB_DTLS_SESSION (session);

  if (peer != self->peer)
    return;

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!is_server (self))
        {
          g_clear_object (&self->peer);
          _sb_session_fail (session, g_error_copy (error));
          return;
        }
      _sb_session_event (session, peer, SB_EVENT_ERROR, "%s", error->message);
      peer_gone (self, NULL);
      return;
    }

  self->dtls = g_object_ref (tls);
  if (self->buffer == NULL)
    self->buffer = g_malloc (DATAGRAM_MAX);
  self->read_source = g_datagram_based_create_source (G_DATAGRAM_BASED (self->dtls), G_IO_IN, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_attach (self->read_source, g_main_context_get_thread_default ());

  if (!is_server (self))
    _sb_session_set_state (session, SB_SESSION_STATE_CONNECTED);
  _sb_session_add_peer (session, peer);
}

/* Server: the first datagram names the client; the socket is connected to
 * it, and its ClientHello is read by the handshake. */
static gboolean
on_first_datagram (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  SbDtlsSession *self = user_data;
  SbSession *session = SB_SESSION (self);
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GError) error = NULL;
  int flags = G_SOCKET_MSG_PEEK;
  guint8 byte;
  GInputVector vector = { &byte, 1 };

  if (g_socket_receive_message (socket, &from, &vector, 1, NULL, NULL, &flags, NULL, &error) < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      _sb_session_event (session, NULL, SB_EVENT_ERROR, "%s", error->message);
      return G_SOURCE_CONTINUE;
    }

  g_clear_pointer (&self->wait_source, g_source_unref);

  if (!g_socket_connect (socket, from, NULL, &error))
    {
      _sb_session_trace (session, SB_CALL_CONNECT, 0, from, 0, 0, NULL, error);
      _sb_session_event (session, NULL, SB_EVENT_ERROR, "%s", error->message);
      wait_for_client (self);
      return G_SOURCE_REMOVE;
    }
  _sb_session_trace (session, SB_CALL_CONNECT, 0, from, 0, 0, NULL, NULL);

  self->peer = _sb_peer_new_datagram (_sb_session_get_recorder (session), from);
  _sb_session_event (session, self->peer, SB_EVENT_CONNECTED,
                     _("A DTLS client wrote from %s: answering its handshake"), sb_peer_get_label (self->peer));
  _sb_tls_handshake_over (session, self->peer, 0, self->certificate, G_OBJECT (socket), on_handshake_done);
  return G_SOURCE_REMOVE;
}

static void
wait_for_client (SbDtlsSession *self)
{
  if (self->socket == NULL || self->wait_source != NULL)
    return;
  self->wait_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->wait_source, G_SOURCE_FUNC (on_first_datagram), self, NULL);
  g_source_attach (self->wait_source, g_main_context_get_thread_default ());
}

static GSocket *
open_socket (SbDtlsSession  *self,
             GSocketFamily   family,
             GError        **error)
{
  GSocket *socket = g_socket_new (family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);

  _sb_session_trace (SB_SESSION (self), SB_CALL_SOCKET, 0, NULL, family, G_SOCKET_TYPE_DATAGRAM, NULL,
                     error ? *error : NULL);
  if (socket != NULL)
    g_socket_set_blocking (socket, FALSE);
  return socket;
}

static void
on_resolved (SbSession      *session,
             GSocketAddress *address)
{
  SbDtlsSession *self = SB_DTLS_SESSION (session);
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;

  self->socket = open_socket (self, g_socket_address_get_family (address), &error);
  if (self->socket == NULL)
    {
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }

  /* UDP's connect() sends nothing: it fixes where datagrams go. */
  if (!g_socket_connect (self->socket, address, NULL, &error))
    {
      g_autofree char *where = sb_address_to_string (address);
      GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_CONNECT, where);

      _sb_session_trace (session, SB_CALL_CONNECT, 0, address, 0, 0, NULL, human);
      close_all (self);
      _sb_session_fail (session, human);
      return;
    }
  _sb_session_trace (session, SB_CALL_CONNECT, 0, address, 0, 0, NULL, NULL);
  local = g_socket_get_local_address (self->socket, NULL);
  _sb_session_set_local_address (session, local);

  self->peer = _sb_peer_new_datagram (_sb_session_get_recorder (session), address);
  _sb_session_event (session, self->peer, SB_EVENT_CONNECTED,
                     _("Starting a DTLS handshake with %s"), sb_peer_get_label (self->peer));
  _sb_session_set_state (session, SB_SESSION_STATE_CONNECTING);
  _sb_tls_handshake_over (session, self->peer, 0, NULL, G_OBJECT (self->socket), on_handshake_done);
}

static void
start_server (SbDtlsSession *self)
{
  SbSession *session = SB_SESSION (self);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  const char *host = spec->bind_host != NULL ? spec->bind_host : "127.0.0.1";
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = sb_address_format_host_port (host, spec->bind_port);
  g_autofree char *label = NULL;

  if (self->certificate == NULL)
    self->certificate = _sb_tls_server_certificate (session, &error);
  if (self->certificate == NULL)
    {
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }

  address = sb_address_new_listen (host, spec->bind_port, &error);
  if (address == NULL)
    {
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }

  self->socket = open_socket (self, g_socket_address_get_family (address), &error);
  if (self->socket == NULL)
    {
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }
  if (!g_socket_bind (self->socket, address, TRUE, &error))
    {
      GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where);

      _sb_session_trace (session, SB_CALL_BIND, 0, address, spec->bind_port, 0, NULL, human);
      close_all (self);
      _sb_session_fail (session, human);
      return;
    }
  effective = g_socket_get_local_address (self->socket, NULL);
  _sb_session_trace (session, SB_CALL_BIND, 0, effective, spec->bind_port, 0, NULL, NULL);
  _sb_session_set_local_address (session, effective);

  label = sb_address_to_string (effective);
  _sb_session_event (session, NULL, SB_EVENT_LISTENING, _("Listening on %s"), label);
  _sb_session_set_state (session, SB_SESSION_STATE_LISTENING);
  wait_for_client (self);
}

static void
sb_dtls_session_start (SbSession *session)
{
  SbDtlsSession *self = SB_DTLS_SESSION (session);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GError) error = NULL;

  close_all (self);
  /* A self-signed certificate stays the same across restarts. */
  if (spec->tls == NULL || !spec->tls->self_signed)
    g_clear_object (&self->certificate);

  if (!_sb_tls_check_backend (&error))
    {
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }

  if (is_server (self))
    start_server (self);
  else
    _sb_session_resolve (session, spec->host, spec->port, on_resolved);
}

static void
sb_dtls_session_stop (SbSession *session)
{
  SbDtlsSession *self = SB_DTLS_SESSION (session);

  if (self->socket != NULL)
    _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
  close_all (self);
}

static gboolean
sb_dtls_session_send (SbSession       *session,
                      SbPeer          *peer,
                      GSocketAddress  *to,
                      GBytes          *bytes,
                      GError         **error)
{
  SbDtlsSession *self = SB_DTLS_SESSION (session);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GOutputVector vector = { data, len };
  GOutputMessage message = { NULL, &vector, 1, 0, NULL, 0 };

  if (self->dtls == NULL || (peer != NULL && peer != self->peer))
    {
      g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                           is_server (self) ? _("No DTLS client is connected") : _("Not connected: start the session first"));
      return FALSE;
    }

  if (g_datagram_based_send_messages (G_DATAGRAM_BASED (self->dtls), &message, 1, 0, 0, NULL, error) < 0)
    return FALSE;

  _sb_session_record (session, self->peer, SB_DIRECTION_TX, data, len);
  return TRUE;
}

static gboolean
sb_dtls_session_disconnect (SbSession  *session,
                            SbPeer     *peer,
                            GError    **error)
{
  SbDtlsSession *self = SB_DTLS_SESSION (session);
  g_autofree char *why = NULL;

  if (self->peer == NULL || (peer != NULL && peer != self->peer))
    return _sb_session_unsupported (error);

  why = g_strdup_printf (_("Ended the DTLS session with %s"), sb_peer_get_label (self->peer));
  peer_gone (self, why);
  return TRUE;
}

static void
sb_dtls_session_dispose (GObject *object)
{
  SbDtlsSession *self = SB_DTLS_SESSION (object);

  if (_sb_session_dispose_elsewhere (SB_SESSION (object)))
    return;

  close_all (self);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (sb_dtls_session_parent_class)->dispose (object);
}

static void
sb_dtls_session_finalize (GObject *object)
{
  SbDtlsSession *self = SB_DTLS_SESSION (object);

  g_clear_pointer (&self->buffer, g_free);

  G_OBJECT_CLASS (sb_dtls_session_parent_class)->finalize (object);
}

static void
sb_dtls_session_class_init (SbDtlsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SbSessionClass *session_class = SB_SESSION_CLASS (klass);

  object_class->dispose = sb_dtls_session_dispose;
  object_class->finalize = sb_dtls_session_finalize;

  session_class->start = sb_dtls_session_start;
  session_class->stop = sb_dtls_session_stop;
  session_class->send = sb_dtls_session_send;
  session_class->disconnect = sb_dtls_session_disconnect;
}

static void
sb_dtls_session_init (SbDtlsSession *self)
{
}
