/* sb-session.c — one socket endpoint and its state machine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-core-enums.h"
#include "sb-session-private.h"

/*
 * Threads
 *
 * A session made with an engine runs there: its sockets, sources, peers and
 * signals ("received", "peer-connected", "peer-disconnected",
 * "state-changed") belong to the engine's thread, and so do the fields
 * marked "engine" below. The thread that made it (the window's, the
 * headless runner's) is its owner: calls from there (start, send, …) run on
 * the engine and wait for it; what the owner sees (state, error, local
 * address, the peers model and their GObject notifications) is a copy the
 * owner takes in announce_cb, at most once per main-loop iteration of the
 * owner and right after each of its calls. The engine writes what the
 * owner copies under @lock; the owner's copies ("owner") are only touched
 * on the owner's thread.
 *
 * Without an engine (tests of the core, scenarios) everything runs on the
 * thread that made the session and notifications are emitted at once.
 */


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
  STATE_CHANGED,
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
dispose_on_engine (gpointer data,
                   gpointer unused)
{
  G_OBJECT_GET_CLASS (data)->dispose (data);
}

gboolean
_sb_session_dispose_elsewhere (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  if (sb_engine_is_current (priv->engine))
    return FALSE;

  /* Sources and sockets are the engine's: let go of them there. */
  sb_engine_call (priv->engine, dispose_on_engine, self);
  return TRUE;
}

static void
sb_session_dispose (GObject *object)
{
  SbSession *self = (SbSession *)object;
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  if (_sb_session_dispose_elsewhere (self))
    return;

  pthread_mutex_lock (&priv->lock);
  sb_clear_source (&priv->announce_source);
  g_queue_clear_full (&priv->peer_ops, _sb_session_peer_op_free);
  pthread_mutex_unlock (&priv->lock);

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
  g_clear_object (&priv->owner_last_sender);

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
  g_clear_object (&priv->owner_peers);
  g_clear_error (&priv->owner_error);
  g_clear_object (&priv->owner_local_address);
  g_clear_pointer (&priv->owner, g_main_context_unref);
  pthread_mutex_destroy (&priv->lock);

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
      g_value_set_enum (value, sb_session_get_state (self));
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, sb_session_get_error (self));
      break;

    case PROP_LOCAL_ADDRESS:
      g_value_set_object (value, sb_session_get_local_address (self));
      break;

    case PROP_PEERS:
      g_value_set_object (value, sb_session_get_peers (self));
      break;

    case PROP_HISTORY:
      g_value_set_object (value, priv->history);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, g_atomic_int_get (&priv->timeout));
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

  /* On the engine's thread, before the owner's notify::state: for what
   * runs there (the responder, scenarios). */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, SB_TYPE_SESSION_STATE);

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
  priv->owner_peers = g_list_store_new (SB_TYPE_PEER);
  priv->owner = g_main_context_ref_thread_default ();
  priv->timeout = 10;
  priv->close_on_eof = TRUE;
  pthread_mutex_init (&priv->lock, NULL);
}

SbSessionPrivate *
_sb_session_get_private (SbSession *self)
{
  return sb_session_get_instance_private (self);
}

void
_sb_session_set_engine (SbSession *self,
                        SbEngine  *engine)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (priv->state == SB_SESSION_STATE_IDLE);

  priv->engine = engine;
  sb_history_set_threaded (priv->history, engine != NULL);
}

SbPeer *
_sb_session_keep_last_sender (SbSession *self,
                              SbPeer    *peer)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_set_object (&priv->owner_last_sender, peer);
  return peer;
}

SbEngine *
_sb_session_get_engine (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  return priv->engine;
}

typedef struct
{
  SbSession  *self;
  SbTcpInfo  *info;
  GError    **error;
  gboolean    ok;
} TcpInfoCall;

static void
tcp_info_call (gpointer data,
               gpointer unused)
{
  TcpInfoCall *call = data;

  call->ok = SB_SESSION_GET_CLASS (call->self)->get_tcp_info (call->self, call->info, call->error);
}

gboolean
sb_session_get_tcp_info (SbSession  *self,
                         SbTcpInfo  *info,
                         GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (_sb_session_reads_copy (sb_session_get_instance_private (self)))
    {
      TcpInfoCall call = { self, info, error, FALSE };

      _sb_session_peek (self, tcp_info_call, &call);
      return call.ok;
    }

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

  return g_atomic_int_get (&priv->timeout);
}

void
sb_session_set_timeout (SbSession *self,
                        guint      seconds)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  if ((guint) g_atomic_int_get (&priv->timeout) != seconds)
    {
      g_atomic_int_set (&priv->timeout, seconds);
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

static void
set_close_on_eof_call (gpointer data,
                       gpointer unused)
{
  gpointer *args = data;

  sb_session_set_close_on_eof (args[0], GPOINTER_TO_INT (args[1]));
}

void
sb_session_set_close_on_eof (SbSession *self,
                             gboolean   close_on_eof)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  close_on_eof = !!close_on_eof;

  if (_sb_session_reads_copy (priv))
    {
      gpointer args[2] = { self, GINT_TO_POINTER (close_on_eof) };

      gboolean was = priv->close_on_eof;

      _sb_session_call (self, set_close_on_eof_call, args);
      if (was != close_on_eof)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_ON_EOF]);
      return;
    }

  if (priv->close_on_eof != close_on_eof)
    {
      priv->close_on_eof = close_on_eof;
      for (guint i = 0, n = g_list_model_get_n_items (G_LIST_MODEL (priv->peers)); i < n; i++)
        {
          g_autoptr(SbPeer) peer = g_list_model_get_item (G_LIST_MODEL (priv->peers), i);

          _sb_peer_set_close_on_eof (peer, close_on_eof);
        }
      /* Threaded, the owner's call notifies on the owner's thread. */
      if (priv->engine == NULL)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_ON_EOF]);
    }
}

gboolean
sb_session_is_running (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);

  switch (_sb_session_reads_copy (priv) ? priv->owner_state : priv->state)
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

static void
start_call (gpointer data,
            gpointer unused)
{
  sb_session_start (data);
}

static void
stop_call (gpointer data,
           gpointer unused)
{
  sb_session_stop (data);
}

void
sb_session_start (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  if (_sb_session_call (self, start_call, self))
    return;

  if (sb_session_is_running (self))
    return;

  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();

  if (priv->error != NULL)
    {
      pthread_mutex_lock (&priv->lock);
      g_clear_error (&priv->error);
      pthread_mutex_unlock (&priv->lock);
      _sb_session_changed (self, SB_SESSION_CHANGED_ERROR);
    }

  SB_SESSION_GET_CLASS (self)->start (self);
}

void
sb_session_stop (SbSession *self)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (SB_IS_SESSION (self));

  if (_sb_session_call (self, stop_call, self))
    return;

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
      pthread_mutex_lock (&priv->lock);
      priv->state = state;
      priv->state_serial++;
      pthread_mutex_unlock (&priv->lock);
      g_signal_emit (self, signals[STATE_CHANGED], 0, state);
      _sb_session_changed (self, SB_SESSION_CHANGED_STATE);
    }
}

void
_sb_session_fail (SbSession *self,
                  GError    *error)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  g_return_if_fail (error != NULL);

  g_object_ref (self);

  pthread_mutex_lock (&priv->lock);
  g_clear_error (&priv->error);
  priv->error = error;
  pthread_mutex_unlock (&priv->lock);

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

  _sb_session_changed (self, SB_SESSION_CHANGED_ERROR);
  _sb_session_set_state (self, SB_SESSION_STATE_FAILED);

  g_object_unref (self);
}

void
_sb_session_set_local_address (SbSession      *self,
                               GSocketAddress *address)
{
  SbSessionPrivate *priv = sb_session_get_instance_private (self);

  gboolean set;

  pthread_mutex_lock (&priv->lock);
  set = g_set_object (&priv->local_address, address);
  pthread_mutex_unlock (&priv->lock);
  if (set)
    _sb_session_changed (self, SB_SESSION_CHANGED_LOCAL_ADDRESS);
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
  _sb_peer_set_engine (peer, priv->engine);
  _sb_peer_set_close_on_eof (peer, priv->close_on_eof);
  g_list_store_append (priv->peers, peer);
  _sb_session_tell_owner_peer (self, SB_PEER_ADDED, peer);
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
    {
      g_list_store_remove (priv->peers, position);
      _sb_session_tell_owner_peer (self, SB_PEER_REMOVED, peer);
    }
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
