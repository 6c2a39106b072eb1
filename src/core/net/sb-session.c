/* sb-session.c — one socket endpoint and its state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-core-enums.h"
#include "sb-session-private.h"

/* Engine thread only */

typedef struct
{
  SbSessionSpec  *spec;
  SbSessionState  state;
  GError         *error;
  SbHistory      *history;
  SbTrace        *trace;
  SbRecorder     *recorder;
  GListStore     *peers;
  GSocketAddress *local_address;
  GCancellable   *cancellable;
  guint           timeout;
  guint           close_on_eof : 1;
} SbSessionPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SbSession, sb_session, G_TYPE_OBJECT)

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

static void on_peer_received (SbPeer       *peer,
                              const guint8 *data,
                              gsize         len,
                              gpointer      user_data);
static void on_peer_closed   (SbPeer       *peer,
                              gpointer      user_data);

static const SbPeerOwner peer_owner = {
  .received = on_peer_received,
  .closed = on_peer_closed,
};

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
          _sb_peer_set_owner (peer, NULL, NULL);
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
  g_clear_object (&priv->recorder);
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
      g_value_set_enum (value, priv->state);
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

gboolean
_sb_session_unsupported (GError **error)
{
  g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                       _("This kind of session does not support that"));
  return FALSE;
}

static gboolean
sb_session_real_unsupported (SbSession  *self,
                             SbPeer     *peer,
                             GError    **error)
{
  return _sb_session_unsupported (error);
}

static gboolean
sb_session_real_get_tcp_info (SbSession  *self,
                              SbTcpInfo  *info,
                              GError    **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       _("Only TCP sessions have a TCP state"));
  return FALSE;
}

static SbPeer *
sb_session_real_get_last_sender (SbSession *self)
{
  return NULL;
}

static gboolean
sb_session_real_set_broadcast (SbSession  *self,
                               gboolean    broadcast,
                               GError    **error)
{
  return _sb_session_unsupported (error);
}

static gboolean
sb_session_real_set_multicast (SbSession   *self,
                               const char  *group,
                               const char  *iface,
                               gboolean     join,
                               GError     **error)
{
  return _sb_session_unsupported (error);
}

static void
sb_session_constructed (GObject *object)
{
  SbSession *self = (SbSession *)object;
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  G_OBJECT_CLASS (sb_session_parent_class)->constructed (object);

  g_return_if_fail (priv->spec != NULL);

  priv->recorder = sb_recorder_new (priv->history, priv->trace, !sb_kind_is_stream (priv->spec->kind));
}

static void
sb_session_class_init (SbSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sb_session_constructed;
  object_class->dispose = sb_session_dispose;
  object_class->finalize = sb_session_finalize;
  object_class->get_property = sb_session_get_property;
  object_class->set_property = sb_session_set_property;

  klass->shutdown_write = sb_session_real_unsupported;
  klass->disconnect = sb_session_real_unsupported;
  klass->get_tcp_info = sb_session_real_get_tcp_info;
  klass->get_last_sender = sb_session_real_get_last_sender;
  klass->set_broadcast = sb_session_real_set_broadcast;
  klass->set_multicast = sb_session_real_set_multicast;

  properties[PROP_SPEC] =
    g_param_spec_boxed ("spec", NULL, NULL,
                        SB_TYPE_SESSION_SPEC,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       SB_TYPE_SESSION_STATE, SB_SESSION_STATE_IDLE,
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
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  return SB_SESSION_GET_CLASS (self)->get_tcp_info (self, info, error);
}

void
sb_session_get_counters (SbSession  *self,
                         SbCounters *counters)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));
  g_return_if_fail (counters != NULL);

  sb_recorder_get_counters (priv->recorder, counters);
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
      for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (priv->peers)); i < n; i++)
        {
          g_autoptr(SbPeer) peer = g_list_model_get_item (G_LIST_MODEL (priv->peers), i);

          _sb_peer_set_close_on_eof (peer, close_on_eof);
        }
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

gboolean
_sb_session_check_ready (SbSession  *self,
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

/* Private API */

GCancellable *
_sb_session_get_cancellable (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  return priv->cancellable;
}

SbRecorder *
_sb_session_get_recorder (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  return priv->recorder;
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

  sb_recorder_event (priv->recorder, peer ? sb_peer_get_id (peer) : 0, event, "%s", message);
}

void
_sb_session_record (SbSession    *self,
                    SbPeer       *peer,
                    SbDirection   direction,
                    const guint8 *data,
                    gsize         len)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  sb_recorder_data (priv->recorder, peer ? sb_peer_get_id (peer) : 0, 0, direction, data, len);

  if (peer != NULL)
    _sb_peer_count (peer, direction, len);
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

  sb_recorder_trace (priv->recorder, kind, socket_id, address, arg1, arg2, text, error);
}

void
_sb_session_add_peer (SbSession *self,
                      SbPeer    *peer)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  _sb_peer_set_owner (peer, &peer_owner, self);
  _sb_peer_set_close_on_eof (peer, priv->close_on_eof);
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

static void
on_peer_received (SbPeer       *peer,
                  const guint8 *data,
                  gsize         len,
                  gpointer      user_data)
{
  _sb_session_emit_received (SB_SESSION (user_data), peer, data, len);
}

static void
on_peer_closed (SbPeer   *peer,
                gpointer  user_data)
{
  SbSession *self = g_object_ref (SB_SESSION (user_data));

  _sb_session_remove_peer (self, peer);

  if (SB_SESSION_GET_CLASS (self)->peer_closed != NULL)
    SB_SESSION_GET_CLASS (self)->peer_closed (self, peer);

  g_object_unref (self);
}
