/* sb-stream-client.c — a TCP or UNIX stream client session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-stream-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-session-private.h"
#include "sb-stream-client.h"

struct _SbStreamClient
{
  SbSession     parent_instance;

  GCancellable *connect_cancellable;
  guint         timeout_id;
  char         *where;
  SbPeer       *peer;
  guint         timed_out : 1;
};

G_DEFINE_FINAL_TYPE (SbStreamClient, sb_stream_client, SB_TYPE_SESSION)

static void
clear_connect (SbStreamClient *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
}

static void
on_client_event (GSocketClient      *client,
                 GSocketClientEvent  event,
                 GSocketConnectable *connectable,
                 GIOStream          *connection,
                 gpointer            user_data)
{
  SbSession *session = user_data;

  if (event == G_SOCKET_CLIENT_RESOLVING)
    _sb_session_set_state (session, SB_SESSION_STATE_RESOLVING);
  else if (event == G_SOCKET_CLIENT_CONNECTING)
    _sb_session_set_state (session, SB_SESSION_STATE_CONNECTING);
}

static gboolean
on_timeout (gpointer user_data)
{
  SbStreamClient *self = user_data;

  self->timeout_id = 0;
  self->timed_out = TRUE;
  g_cancellable_cancel (self->connect_cancellable);

  return G_SOURCE_REMOVE;
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SbStreamClient) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_label = NULL;
  SbSession *session = SB_SESSION (self);

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);

  g_signal_handlers_disconnect_by_func (object, on_client_event, self);

  if (connection == NULL)
    {
      gboolean timed_out = self->timed_out;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !timed_out)
        return;  /* stopped */

      clear_connect (self);

      if (timed_out)
        {
          _sb_session_fail (session,
                            g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                         _("Connecting to %s timed out after %u s"),
                                         self->where, sb_session_get_timeout (session)));
        }
      else
        {
          const SbSessionSpec *spec = sb_session_get_spec (session);
          const char *where = self->where;

          if (error->domain == G_RESOLVER_ERROR && spec->host != NULL)
            where = spec->host;

          _sb_session_fail (session, sb_socket_error_humanize (error, SB_SOCKET_OP_CONNECT, where));
        }
      return;
    }

  clear_connect (self);

  local = g_socket_connection_get_local_address (connection, NULL);
  _sb_session_set_local_address (session, local);

  g_clear_object (&self->peer);
  self->peer = _sb_peer_new_stream (session, connection);

  local_label = local ? sb_address_to_string (local) : g_strdup ("?");
  _sb_session_event (session, self->peer, SB_EVENT_CONNECTED,
                     _("Connected to %s from %s"), sb_peer_get_label (self->peer), local_label);

  _sb_session_set_state (session, SB_SESSION_STATE_CONNECTED);
  _sb_session_add_peer (session, self->peer);

  /* A peer-connected handler may already have stopped us. */
  if (self->peer != NULL && sb_peer_is_connected (self->peer))
    _sb_peer_start (self->peer);
}

static void
sb_stream_client_start (SbSession *session)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) connectable = NULL;
  g_autoptr(GError) error = NULL;
  guint timeout = sb_session_get_timeout (session);

  clear_connect (self);
  g_clear_object (&self->peer);
  g_clear_pointer (&self->where, g_free);
  self->timed_out = FALSE;

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

  client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (client, FALSE);
  g_signal_connect (client, "event", G_CALLBACK (on_client_event), self);

  self->connect_cancellable = g_cancellable_new ();
  g_signal_connect_object (_sb_session_get_cancellable (session), "cancelled",
                           G_CALLBACK (g_cancellable_cancel), self->connect_cancellable,
                           G_CONNECT_SWAPPED);

  if (timeout > 0)
    self->timeout_id = g_timeout_add_seconds (timeout, on_timeout, self);

  _sb_session_set_state (session, SB_SESSION_STATE_CONNECTING);
  g_socket_client_connect_async (client, connectable, self->connect_cancellable,
                                 on_connected, g_object_ref (self));
}

static void
sb_stream_client_stop (SbSession *session)
{
  SbStreamClient *self = SB_STREAM_CLIENT (session);

  clear_connect (self);
}

static SbPeer *
resolve_peer (SbStreamClient  *self,
              SbPeer          *peer,
              GError         **error)
{
  if (self->peer == NULL || (peer != NULL && peer != self->peer))
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

static void
sb_stream_client_dispose (GObject *object)
{
  SbStreamClient *self = (SbStreamClient *)object;

  clear_connect (self);

  G_OBJECT_CLASS (sb_stream_client_parent_class)->dispose (object);

  g_clear_object (&self->peer);
}

static void
sb_stream_client_finalize (GObject *object)
{
  SbStreamClient *self = (SbStreamClient *)object;

  g_clear_pointer (&self->where, g_free);

  G_OBJECT_CLASS (sb_stream_client_parent_class)->finalize (object);
}

static void
sb_stream_client_class_init (SbStreamClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SbSessionClass *session_class = SB_SESSION_CLASS (klass);

  object_class->dispose = sb_stream_client_dispose;
  object_class->finalize = sb_stream_client_finalize;

  session_class->start = sb_stream_client_start;
  session_class->stop = sb_stream_client_stop;
  session_class->send = sb_stream_client_send;
  session_class->shutdown_write = sb_stream_client_shutdown_write;
  session_class->disconnect = sb_stream_client_disconnect;
}

static void
sb_stream_client_init (SbStreamClient *self)
{
}

SbPeer *
sb_stream_client_get_peer (SbStreamClient *self)
{
  g_return_val_if_fail (SB_IS_STREAM_CLIENT (self), NULL);

  return self->peer;
}

void
sb_stream_client_connection_closed (SbStreamClient *self)
{
  g_return_if_fail (SB_IS_STREAM_CLIENT (self));

  g_clear_object (&self->peer);

  /* While stopping, sb_session_stop() sets the final state itself. */
  if (sb_session_get_state (SB_SESSION (self)) == SB_SESSION_STATE_CONNECTED)
    _sb_session_set_state (SB_SESSION (self), SB_SESSION_STATE_CLOSED);
}
