/* sb-session.c — one socket endpoint and its state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <inttypes.h>

#include "sb-datagram.h"
#include "sb-icmp.h"
#include "sb-session-private.h"
#include "sb-stream-client.h"
#include "sb-stream-server.h"

typedef struct
{
  SbSessionSpec  *spec;
  SbSessionState  state;
  GError         *error;
  SbHistory      *history;
  SbTrace        *trace;
  GListStore     *peers;
  GSocketAddress *local_address;
  GCancellable   *cancellable;
  SbCounters      counters;
  guint           timeout;
  guint           close_on_eof : 1;
} SbSessionPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SbSession, sb_session, G_TYPE_OBJECT)

G_DEFINE_QUARK (sb-session-error-quark, sb_session_error)

enum {
  PROP_0,
  PROP_SPEC,
  PROP_STATE,
  PROP_ERROR,
  PROP_LOCAL_ADDRESS,
  PROP_PEERS,
  PROP_HISTORY,
  PROP_TIMEOUT,
  PROP_CLOSE_ON_EOF,
  N_PROPS
};

enum {
  PEER_CONNECTED,
  PEER_DISCONNECTED,
  RECEIVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE (SbSessionSpec, sb_session_spec, sb_session_spec_copy, sb_session_spec_free)

static void
sb_session_dispose (GObject *object)
{
  SbSession *self = (SbSession *)object;
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  if (priv->cancellable != NULL)
    g_cancellable_cancel (priv->cancellable);

  /* Close every peer without recording: nobody is left to read it. */
  if (priv->peers != NULL)
    {
      while (g_list_model_get_n_items (G_LIST_MODEL (priv->peers)) > 0)
        {
          g_autoptr(SbPeer) peer = g_list_model_get_item (G_LIST_MODEL (priv->peers), 0);

          g_list_store_remove (priv->peers, 0);
          _sb_peer_close (peer, SB_EVENT_NONE);
        }
    }

  g_clear_object (&priv->cancellable);
  g_clear_object (&priv->local_address);

  G_OBJECT_CLASS (sb_session_parent_class)->dispose (object);
}

static void
sb_session_finalize (GObject *object)
{
  SbSession *self = (SbSession *)object;
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_clear_pointer (&priv->spec, sb_session_spec_free);
  g_clear_error (&priv->error);
  g_clear_object (&priv->trace);
  g_clear_object (&priv->history);
  g_clear_object (&priv->peers);

  G_OBJECT_CLASS (sb_session_parent_class)->finalize (object);
}

static void
sb_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SbSession *self = SB_SESSION (object);
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SPEC:
      g_value_set_boxed (value, priv->spec);
      break;

    case PROP_STATE:
      g_value_set_int (value, priv->state);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, priv->error);
      break;

    case PROP_LOCAL_ADDRESS:
      g_value_set_object (value, priv->local_address);
      break;

    case PROP_PEERS:
      g_value_set_object (value, priv->peers);
      break;

    case PROP_HISTORY:
      g_value_set_object (value, priv->history);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, priv->timeout);
      break;

    case PROP_CLOSE_ON_EOF:
      g_value_set_boolean (value, priv->close_on_eof);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_session_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SbSession *self = SB_SESSION (object);
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SPEC:
      priv->spec = g_value_dup_boxed (value);
      break;

    case PROP_TIMEOUT:
      sb_session_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_CLOSE_ON_EOF:
      sb_session_set_close_on_eof (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
sb_session_real_unsupported (SbSession  *self,
                             SbPeer     *peer,
                             GError    **error)
{
  g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                       _("This kind of session does not support that"));
  return FALSE;
}

static void
sb_session_class_init (SbSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_session_dispose;
  object_class->finalize = sb_session_finalize;
  object_class->get_property = sb_session_get_property;
  object_class->set_property = sb_session_set_property;

  klass->shutdown_write = sb_session_real_unsupported;
  klass->disconnect = sb_session_real_unsupported;

  properties[PROP_SPEC] =
    g_param_spec_boxed ("spec", NULL, NULL,
                        SB_TYPE_SESSION_SPEC,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* An int, not an enum type: the core registers no enum types. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      SB_SESSION_STATE_IDLE, SB_SESSION_STATE_FAILED, SB_SESSION_STATE_IDLE,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOCAL_ADDRESS] =
    g_param_spec_object ("local-address", NULL, NULL,
                         G_TYPE_SOCKET_ADDRESS,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PEERS] =
    g_param_spec_object ("peers", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL,
                         SB_TYPE_HISTORY,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, 3600, 10,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CLOSE_ON_EOF] =
    g_param_spec_boolean ("close-on-eof", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PEER_CONNECTED] =
    g_signal_new ("peer-connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SB_TYPE_PEER);

  signals[PEER_DISCONNECTED] =
    g_signal_new ("peer-disconnected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SB_TYPE_PEER);

  signals[RECEIVED] =
    g_signal_new ("received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, SB_TYPE_PEER, G_TYPE_BYTES);
}

static void
sb_session_init (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  priv->history = sb_history_new ();
  priv->trace = sb_trace_new (priv->history);
  priv->peers = g_list_store_new (SB_TYPE_PEER);
  priv->timeout = 10;
  priv->close_on_eof = TRUE;
}

static SbSessionCreatedHook created_hook;
static gpointer created_hook_data;

void
sb_session_set_created_hook (SbSessionCreatedHook hook,
                             gpointer             user_data)
{
  created_hook = hook;
  created_hook_data = user_data;
}

SbSession *
sb_session_new (const SbSessionSpec *spec)
{
  SbSession *session;
  GType type;

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->kind)
    {
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_UNIX_CLIENT:
      type = SB_TYPE_STREAM_CLIENT;
      break;

    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_SERVER:
      type = SB_TYPE_STREAM_SERVER;
      break;

    case SB_KIND_UDP:
    case SB_KIND_UNIX_DGRAM:
      type = SB_TYPE_DATAGRAM;
      break;

    case SB_KIND_ICMP:
      type = SB_TYPE_ICMP;
      break;

    case SB_N_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }

  session = g_object_new (type, "spec", spec, NULL);
  if (created_hook != NULL)
    created_hook (session, created_hook_data);

  return session;
}

const SbSessionSpec *
sb_session_get_spec (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->spec;
}

SbKind
sb_session_get_kind (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), 0);

  return priv->spec->kind;
}

SbSessionState
sb_session_get_state (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), SB_SESSION_STATE_IDLE);

  return priv->state;
}

const GError *
sb_session_get_error (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->error;
}

SbHistory *
sb_session_get_history (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->history;
}

GListModel *
sb_session_get_peers (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return G_LIST_MODEL (priv->peers);
}

SbTrace *
sb_session_get_trace (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->trace;
}

GSocketAddress *
sb_session_get_local_address (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->local_address;
}

gboolean
sb_session_get_tcp_info (SbSession  *self,
                         SbTcpInfo  *info,
                         GError    **error)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);
  GSocket *socket = NULL;

  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (priv->spec->kind == SB_KIND_TCP_CLIENT && SB_IS_STREAM_CLIENT (self))
    {
      SbPeer *peer = sb_stream_client_get_peer (SB_STREAM_CLIENT (self));

      if (peer != NULL)
        return sb_peer_get_tcp_info (peer, info, error);
    }
  else if (priv->spec->kind == SB_KIND_TCP_SERVER && SB_IS_STREAM_SERVER (self))
    {
      socket = sb_stream_server_get_socket (SB_STREAM_SERVER (self));
    }
  else
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("Only TCP sessions have a TCP state"));
      return FALSE;
    }

  if (socket == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The session has no open connection"));
      return FALSE;
    }

  return sb_tcp_info_query (socket, info, error);
}

void
sb_session_get_counters (SbSession  *self,
                         SbCounters *counters)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));
  g_return_if_fail (counters != NULL);

  *counters = priv->counters;
}

guint
sb_session_get_timeout (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), 0);

  return priv->timeout;
}

void
sb_session_set_timeout (SbSession *self,
                        guint      seconds)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  if (priv->timeout != seconds)
    {
      priv->timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
}

gboolean
sb_session_get_close_on_eof (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);

  return priv->close_on_eof;
}

void
sb_session_set_close_on_eof (SbSession *self,
                             gboolean   close_on_eof)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  close_on_eof = !!close_on_eof;

  if (priv->close_on_eof != close_on_eof)
    {
      priv->close_on_eof = close_on_eof;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_ON_EOF]);
    }
}

gboolean
sb_session_is_running (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);

  switch (priv->state)
    {
    case SB_SESSION_STATE_RESOLVING:
    case SB_SESSION_STATE_CONNECTING:
    case SB_SESSION_STATE_LISTENING:
    case SB_SESSION_STATE_CONNECTED:
    case SB_SESSION_STATE_CLOSING:
      return TRUE;

    case SB_SESSION_STATE_IDLE:
    case SB_SESSION_STATE_CLOSED:
    case SB_SESSION_STATE_FAILED:
    default:
      return FALSE;
    }
}

void
sb_session_start (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  if (sb_session_is_running (self))
    return;

  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();

  if (priv->error != NULL)
    {
      g_clear_error (&priv->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  SB_SESSION_GET_CLASS (self)->start (self);
}

void
sb_session_stop (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  if (!sb_session_is_running (self))
    return;

  g_object_ref (self);

  _sb_session_set_state (self, SB_SESSION_STATE_CLOSING);
  g_cancellable_cancel (priv->cancellable);

  SB_SESSION_GET_CLASS (self)->stop (self);

  while (g_list_model_get_n_items (G_LIST_MODEL (priv->peers)) > 0)
    {
      g_autoptr(SbPeer) peer = g_list_model_get_item (G_LIST_MODEL (priv->peers), 0);

      if (sb_peer_is_stream (peer))
        _sb_peer_close (peer, SB_EVENT_DISCONNECTED);
      else
        _sb_session_remove_peer (self, peer);
    }

  _sb_session_event (self, NULL, SB_EVENT_STOPPED, "%s", _("Stopped"));
  _sb_session_set_state (self, SB_SESSION_STATE_CLOSED);

  g_object_unref (self);
}

static gboolean
check_ready (SbSession  *self,
             GError    **error)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  if (priv->state == SB_SESSION_STATE_CONNECTED || priv->state == SB_SESSION_STATE_LISTENING)
    return TRUE;

  g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                       sb_kind_is_stream (priv->spec->kind) && !sb_kind_is_server (priv->spec->kind)
                       ? _("Not connected: start the session first")
                       : _("The session is not running: start it first"));
  return FALSE;
}

gboolean
sb_session_send (SbSession  *self,
                 SbPeer     *peer,
                 GBytes     *bytes,
                 GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (peer == NULL || SB_IS_PEER (peer), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!check_ready (self, error))
    return FALSE;

  return SB_SESSION_GET_CLASS (self)->send (self, peer, NULL, bytes, error);
}

gboolean
sb_session_send_to (SbSession       *self,
                    GSocketAddress  *address,
                    GBytes          *bytes,
                    GError         **error)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (sb_kind_is_stream (priv->spec->kind))
    return sb_session_real_unsupported (self, NULL, error);

  if (!check_ready (self, error))
    return FALSE;

  return SB_SESSION_GET_CLASS (self)->send (self, NULL, address, bytes, error);
}

gboolean
sb_session_shutdown_write (SbSession  *self,
                           SbPeer     *peer,
                           GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (peer == NULL || SB_IS_PEER (peer), FALSE);

  if (!check_ready (self, error))
    return FALSE;

  return SB_SESSION_GET_CLASS (self)->shutdown_write (self, peer, error);
}

gboolean
sb_session_disconnect_peer (SbSession  *self,
                            SbPeer     *peer,
                            GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (SB_IS_PEER (peer), FALSE);

  return SB_SESSION_GET_CLASS (self)->disconnect (self, peer, error);
}

gboolean
sb_session_close_peer_when_sent (SbSession  *self,
                                 SbPeer     *peer,
                                 GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (SB_IS_PEER (peer), FALSE);

  if (!sb_peer_is_stream (peer))
    return sb_session_disconnect_peer (self, peer, error);

  _sb_peer_close_when_sent (peer);
  return TRUE;
}

SbPeer *
sb_session_get_last_sender (SbSession *self)
{
  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  if (!SB_IS_DATAGRAM (self))
    return NULL;

  return sb_datagram_get_last_sender (SB_DATAGRAM (self));
}

gboolean
sb_session_set_broadcast (SbSession  *self,
                          gboolean    broadcast,
                          GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);

  if (!SB_IS_DATAGRAM (self))
    return sb_session_real_unsupported (self, NULL, error);

  return sb_datagram_set_broadcast (SB_DATAGRAM (self), broadcast, error);
}

gboolean
sb_session_join_multicast (SbSession   *self,
                           const char  *group,
                           const char  *iface,
                           GError     **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  if (!SB_IS_DATAGRAM (self))
    return sb_session_real_unsupported (self, NULL, error);

  return sb_datagram_set_multicast (SB_DATAGRAM (self), group, iface, TRUE, error);
}

gboolean
sb_session_leave_multicast (SbSession   *self,
                            const char  *group,
                            const char  *iface,
                            GError     **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  if (!SB_IS_DATAGRAM (self))
    return sb_session_real_unsupported (self, NULL, error);

  return sb_datagram_set_multicast (SB_DATAGRAM (self), group, iface, FALSE, error);
}

const char *
sb_session_state_to_string (SbSessionState state)
{
  static const char * const names[] = {
    "idle", "resolving", "connecting", "listening", "connected", "closing", "closed", "failed",
  };

  g_return_val_if_fail (state < G_N_ELEMENTS (names), "unknown");

  return names[state];
}

const char *
sb_session_state_get_label (SbSessionState state)
{
  switch (state)
    {
    case SB_SESSION_STATE_IDLE: return C_("session state", "Not started");
    case SB_SESSION_STATE_RESOLVING: return C_("session state", "Looking up host");
    case SB_SESSION_STATE_CONNECTING: return C_("session state", "Connecting");
    case SB_SESSION_STATE_LISTENING: return C_("session state", "Listening");
    case SB_SESSION_STATE_CONNECTED: return C_("session state", "Connected");
    case SB_SESSION_STATE_CLOSING: return C_("session state", "Closing");
    case SB_SESSION_STATE_CLOSED: return C_("session state", "Closed");
    case SB_SESSION_STATE_FAILED: return C_("session state", "Failed");
    default: g_return_val_if_reached ("");
    }
}

/* Private API */

GCancellable *
_sb_session_get_cancellable (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  return priv->cancellable;
}

void
_sb_session_set_state (SbSession      *self,
                       SbSessionState  state)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  if (priv->state != state)
    {
      g_debug ("%s: %s → %s",
               G_OBJECT_TYPE_NAME (self),
               sb_session_state_to_string (priv->state),
               sb_session_state_to_string (state));
      priv->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

void
_sb_session_fail (SbSession *self,
                  GError    *error)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (error != NULL);

  g_object_ref (self);

  g_clear_error (&priv->error);
  priv->error = error;

  _sb_session_event (self, NULL, SB_EVENT_ERROR, "%s", error->message);

  if (sb_session_is_running (self))
    {
      /* Close what is open, as stop does, but end in FAILED. */
      g_cancellable_cancel (priv->cancellable);
      SB_SESSION_GET_CLASS (self)->stop (self);

      while (g_list_model_get_n_items (G_LIST_MODEL (priv->peers)) > 0)
        {
          g_autoptr(SbPeer) peer = g_list_model_get_item (G_LIST_MODEL (priv->peers), 0);

          if (sb_peer_is_stream (peer))
            _sb_peer_close (peer, SB_EVENT_DISCONNECTED);
          else
            _sb_session_remove_peer (self, peer);
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  _sb_session_set_state (self, SB_SESSION_STATE_FAILED);

  g_object_unref (self);
}

void
_sb_session_set_local_address (SbSession      *self,
                               GSocketAddress *address)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  if (g_set_object (&priv->local_address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_ADDRESS]);
}

void
_sb_session_event (SbSession   *self,
                   SbPeer      *peer,
                   SbEventKind  event,
                   const char  *format,
                   ...)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  sb_history_append_event (priv->history, event, peer ? sb_peer_get_id (peer) : 0, message);
}

void
_sb_session_record (SbSession    *self,
                    SbPeer       *peer,
                    SbDirection   direction,
                    const guint8 *data,
                    gsize         len)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);
  gboolean datagram = !sb_kind_is_stream (priv->spec->kind);
  guint64 serial;

  serial = sb_history_append (priv->history, g_get_real_time (), direction, SB_EVENT_NONE,
                              peer ? sb_peer_get_id (peer) : 0, data, len);

  if (direction == SB_DIRECTION_RX)
    sb_trace_add_data (priv->trace, datagram ? SB_CALL_RECVFROM : SB_CALL_RECV,
                       peer && !datagram ? _sb_peer_get_socket_id (peer) : 0, serial);
  else if (direction == SB_DIRECTION_TX)
    sb_trace_add_data (priv->trace, datagram ? SB_CALL_SENDTO : SB_CALL_SEND,
                       peer && !datagram ? _sb_peer_get_socket_id (peer) : 0, serial);

  if (peer != NULL)
    _sb_peer_count (peer, direction, len);

  if (direction == SB_DIRECTION_RX)
    {
      priv->counters.rx_bytes += len;
      priv->counters.rx_messages++;
    }
  else if (direction == SB_DIRECTION_TX)
    {
      priv->counters.tx_bytes += len;
      priv->counters.tx_messages++;
    }
}

void
_sb_session_emit_received (SbSession    *self,
                           SbPeer       *peer,
                           const guint8 *data,
                           gsize         len)
{
  /* Making a GBytes per message only pays when someone listens. */
  if (g_signal_has_handler_pending (self, signals[RECEIVED], 0, TRUE))
    {
      g_autoptr(GBytes) bytes = g_bytes_new (data, len);

      g_signal_emit (self, signals[RECEIVED], 0, peer, bytes);
    }
}

void
_sb_session_trace (SbSession      *self,
                   SbCallKind      kind,
                   guint           socket_id,
                   GSocketAddress *address,
                   gint64          arg1,
                   gint64          arg2,
                   const char     *text,
                   const GError   *error)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  sb_trace_add (priv->trace, kind, socket_id, address, arg1, arg2, text, error);
}

void
_sb_session_add_peer (SbSession *self,
                      SbPeer    *peer)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_list_store_append (priv->peers, peer);
  g_signal_emit (self, signals[PEER_CONNECTED], 0, peer);
}

void
_sb_session_remove_peer (SbSession *self,
                         SbPeer    *peer)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);
  guint position;

  if (!g_list_store_find (priv->peers, peer, &position))
    return;

  g_object_ref (peer);
  g_signal_emit (self, signals[PEER_DISCONNECTED], 0, peer);
  /* A handler may have removed it already. */
  if (g_list_store_find (priv->peers, peer, &position))
    g_list_store_remove (priv->peers, position);
  g_object_unref (peer);
}

void
_sb_session_peer_closed (SbSession *self,
                         SbPeer    *peer)
{
  g_object_ref (self);

  _sb_session_remove_peer (self, peer);

  if (SB_IS_STREAM_CLIENT (self))
    sb_stream_client_connection_closed (SB_STREAM_CLIENT (self));

  g_object_unref (self);
}

/* Sending a file: read a chunk, queue it to every target peer, and read the
 * next one only when their queues have room, so memory stays bounded by
 * SB_FILE_SEND_WINDOW whatever the file size. */

typedef struct
{
  SbSession      *session;
  GPtrArray      *peers;
  GFile          *file;
  char           *name;
  GInputStream   *input;
  goffset         size;
  goffset         sent;
  SbProgressFunc  progress;
  gpointer        progress_data;
  GDestroyNotify  progress_notify;
  gulong          cancelled_id;
  SbPeer         *waiting_on;
  guint           finished : 1;
} FileSend;

static void
file_send_free (FileSend *fs)
{
  if (fs->progress_notify != NULL)
    fs->progress_notify (fs->progress_data);
  g_clear_object (&fs->session);
  g_clear_pointer (&fs->peers, g_ptr_array_unref);
  g_clear_object (&fs->file);
  g_clear_object (&fs->input);
  g_free (fs->name);
  g_free (fs);
}

static void file_send_read_next (GTask *task);

static void
file_send_finish_task (GTask  *task,
                       GError *error)
{
  FileSend *fs = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (fs->finished)
    {
      g_clear_error (&error);
      return;
    }
  fs->finished = TRUE;

  if (fs->waiting_on != NULL)
    {
      _sb_peer_unwait (fs->waiting_on, task);
      fs->waiting_on = NULL;
      g_object_unref (task);  /* the waiter's reference */
    }

  if (fs->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, fs->cancelled_id);
      fs->cancelled_id = 0;
    }

  if (fs->input != NULL)
    g_input_stream_close_async (fs->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                           _("Sending “%s” was cancelled after %" PRId64 " of %" PRId64 " bytes"),
                           fs->name, (gint64) fs->sent, (gint64) fs->size);
      else
        _sb_session_event (fs->session, NULL, SB_EVENT_ERROR, "%s", error->message);
      g_task_return_error (task, error);
    }
  else
    {
      if (fs->sent < fs->size)
        _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                           _("Sent “%s”: %" PRId64 " bytes; the file became shorter (it had %" PRId64 ") while it was sent"),
                           fs->name, (gint64) fs->sent, (gint64) fs->size);
      else
        _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                           _("Sent “%s”: %" PRId64 " bytes"),
                           fs->name, (gint64) fs->sent);
      g_task_return_boolean (task, TRUE);
    }
}

static void
file_send_drop_closed_peers (FileSend *fs)
{
  for (guint i = fs->peers->len; i > 0; i--)
    {
      if (!sb_peer_is_connected (g_ptr_array_index (fs->peers, i - 1)))
        g_ptr_array_remove_index (fs->peers, i - 1);
    }
}

static gboolean
file_send_check_peers (GTask *task)
{
  FileSend *fs = g_task_get_task_data (task);

  file_send_drop_closed_peers (fs);

  if (fs->peers->len == 0)
    {
      file_send_finish_task (task,
                             g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                          _("The connection closed while sending “%s”: %" PRId64 " of %" PRId64 " bytes were sent"),
                                          fs->name, (gint64) fs->sent, (gint64) fs->size));
      return FALSE;
    }

  return TRUE;
}

static gboolean file_send_on_writable (gpointer data);

/* Reads on when every peer has room; otherwise waits on the first that has not. */
static void
file_send_continue (GTask *task)
{
  FileSend *fs = g_task_get_task_data (task);

  if (fs->finished || !file_send_check_peers (task))
    return;

  for (guint i = 0; i < fs->peers->len; i++)
    {
      SbPeer *peer = g_ptr_array_index (fs->peers, i);

      if (sb_peer_get_pending (peer) >= SB_FILE_SEND_WINDOW)
        {
          fs->waiting_on = peer;
          _sb_peer_wait_writable (peer, file_send_on_writable, g_object_ref (task));
          return;
        }
    }

  file_send_read_next (task);
}

static gboolean
file_send_on_writable (gpointer data)
{
  g_autoptr(GTask) task = data;
  FileSend *fs = g_task_get_task_data (task);

  fs->waiting_on = NULL;
  file_send_continue (task);

  return G_SOURCE_REMOVE;
}

static void
file_send_on_read (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileSend *fs = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize len;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (fs->finished)
    {
      g_clear_error (&error);
      return;
    }

  if (bytes == NULL)
    {
      GError *human = g_error_new (error->domain, error->code,
                                   _("Could not read “%s”: %s"), fs->name, error->message);

      g_error_free (error);
      file_send_finish_task (task, human);
      return;
    }

  len = g_bytes_get_size (bytes);
  if (len == 0)
    {
      file_send_finish_task (task, NULL);
      return;
    }

  if (!file_send_check_peers (task))
    return;

  for (guint i = 0; i < fs->peers->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      /* A failing peer is closed or reported; the others go on. */
      if (!_sb_peer_send (g_ptr_array_index (fs->peers, i), bytes, &local_error))
        _sb_session_event (fs->session, g_ptr_array_index (fs->peers, i),
                           SB_EVENT_ERROR, "%s", local_error->message);
    }

  fs->sent += len;
  if (fs->size < fs->sent)
    fs->size = fs->sent;

  if (fs->progress != NULL)
    fs->progress (fs->sent, fs->size, fs->progress_data);

  file_send_continue (task);
}

static void
file_send_read_next (GTask *task)
{
  FileSend *fs = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (fs->input, SB_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   file_send_on_read, g_object_ref (task));
}

static gboolean
file_send_cancel_wait (gpointer data)
{
  GTask *task = data;
  FileSend *fs = g_task_get_task_data (task);

  if (fs->waiting_on != NULL)
    file_send_finish_task (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      _("Cancelled")));

  return G_SOURCE_REMOVE;
}

static void
file_send_on_cancelled (GCancellable *cancellable,
                        gpointer      user_data)
{
  /* Reads see the cancellable themselves; only a wait on a peer does not.
   * Not from inside the handler: finishing disconnects it. */
  g_idle_add_full (G_PRIORITY_DEFAULT, file_send_cancel_wait,
                   g_object_ref (user_data), g_object_unref);
}

static void
file_send_on_info (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileSend *fs = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (object), result, &error);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    fs->size = g_file_info_get_size (info);

  _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                     _("Sending “%s” (%" PRId64 " bytes)"), fs->name, (gint64) fs->size);

  if (fs->progress != NULL)
    fs->progress (0, fs->size, fs->progress_data);

  file_send_continue (task);
}

static void
file_send_on_open (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileSend *fs = g_task_get_task_data (task);
  g_autoptr(GFileInputStream) input = NULL;
  GError *error = NULL;

  input = g_file_read_finish (G_FILE (object), result, &error);
  if (input == NULL)
    {
      GError *human = g_error_new (error->domain, error->code,
                                   _("Could not open “%s”: %s"), fs->name, error->message);

      g_error_free (error);
      file_send_finish_task (task, human);
      return;
    }

  fs->input = G_INPUT_STREAM (g_steal_pointer (&input));
  g_file_input_stream_query_info_async (G_FILE_INPUT_STREAM (fs->input),
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_PRIORITY_DEFAULT,
                                        g_task_get_cancellable (task),
                                        file_send_on_info, g_object_ref (task));
}

void
sb_session_send_file_async (SbSession           *self,
                            SbPeer              *peer,
                            GFile               *file,
                            GCancellable        *cancellable,
                            SbProgressFunc       progress,
                            gpointer             progress_data,
                            GDestroyNotify       progress_notify,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *peers = G_LIST_MODEL (priv->peers);
  FileSend *fs;

  g_return_if_fail (SB_IS_SESSION (self));
  g_return_if_fail (peer == NULL || SB_IS_PEER (peer));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_session_send_file_async);

  fs = g_new0 (FileSend, 1);
  fs->session = g_object_ref (self);
  fs->file = g_object_ref (file);
  fs->name = g_file_get_parse_name (file);
  fs->peers = g_ptr_array_new_with_free_func (g_object_unref);
  fs->progress = progress;
  fs->progress_data = progress_data;
  fs->progress_notify = progress_notify;
  g_task_set_task_data (task, fs, (GDestroyNotify) file_send_free);

  if (!sb_kind_is_stream (priv->spec->kind))
    {
      g_task_return_new_error (task, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                               _("Files can be sent over streams only (TCP or UNIX stream)"));
      return;
    }

  if (!check_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (peer != NULL)
    g_ptr_array_add (fs->peers, g_object_ref (peer));
  else
    for (guint i = 0, n = g_list_model_get_n_items (peers); i < n; i++)
      g_ptr_array_add (fs->peers, g_list_model_get_item (peers, i));

  file_send_drop_closed_peers (fs);
  if (fs->peers->len == 0)
    {
      g_task_return_new_error (task, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                               peer != NULL ? _("The connection with %s is closed")
                                            : _("No client is connected"),
                               peer != NULL ? sb_peer_get_label (peer) : "");
      return;
    }

  if (cancellable != NULL)
    fs->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (file_send_on_cancelled), task, NULL);

  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, file_send_on_open, g_object_ref (task));
}

gboolean
sb_session_send_file_finish (SbSession     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_sb_unix_file_claim (SbUnixFile *file,
                     const char *path)
{
  GStatBuf st;

  _sb_unix_file_release (file);

  /* Abstract names have no file. */
  if (path == NULL || path[0] == '@' || g_lstat (path, &st) != 0)
    return;

  file->path = g_strdup (path);
  file->dev = st.st_dev;
  file->ino = st.st_ino;
}

void
_sb_unix_file_release (SbUnixFile *file)
{
  GStatBuf st;

  if (file->path == NULL)
    return;

  /* Someone may have removed ours and bound theirs at the same path. */
  if (g_lstat (file->path, &st) == 0 &&
      (guint64) st.st_dev == file->dev && (guint64) st.st_ino == file->ino)
    g_unlink (file->path);

  g_clear_pointer (&file->path, g_free);
}

typedef struct
{
  SbSession      *session;
  char           *host;
  guint16         port;
  SbResolvedFunc  done;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->session);
  g_free (lookup->host);
  g_free (lookup);
}

static void
on_resolved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Lookup *lookup = user_data;
  SbSession *self = lookup->session;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);

  if (addresses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_RESOLVE, lookup->host);

          _sb_session_trace (self, SB_CALL_GETADDRINFO, 0, NULL, 0, 0, lookup->host, human);
          _sb_session_fail (self, human);
        }
      lookup_free (lookup);
      return;
    }

  /* Prefer IPv4 when both exist, as most devices speak it. */
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      if (address == NULL || g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
        {
          g_clear_object (&address);
          address = g_inet_socket_address_new (l->data, lookup->port);
          if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
            break;
        }
    }
  g_resolver_free_addresses (addresses);

  _sb_session_trace (self, SB_CALL_GETADDRINFO, 0, address, 0, 0, lookup->host, NULL);
  lookup->done (self, address);
  lookup_free (lookup);
}

void
_sb_session_resolve (SbSession      *self,
                     const char     *host,
                     guint16         port,
                     SbResolvedFunc  done)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->session = g_object_ref (self);
  lookup->host = g_strdup (host);
  lookup->port = port;
  lookup->done = done;

  _sb_session_set_state (self, SB_SESSION_STATE_RESOLVING);
  g_resolver_lookup_by_name_async (resolver, host, _sb_session_get_cancellable (self),
                                   on_resolved, lookup);
}
