/* sb-session-ops.c — what callers ask of a session: send, shut down,
 * disconnect, datagram options; and the names of its states
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-session-private.h"

/* A call from the owner's thread, carried out on the engine's. */
typedef enum
{
  OP_SEND,
  OP_SEND_TO,
  OP_SHUTDOWN,
  OP_DISCONNECT,
  OP_CLOSE_WHEN_SENT,
  OP_LAST_SENDER,
  OP_BROADCAST,
  OP_JOIN,
  OP_LEAVE,
} OpKind;

typedef struct
{
  OpKind          kind;
  SbSession      *self;
  SbPeer         *peer;
  GSocketAddress *address;
  GBytes         *bytes;
  const char     *group;
  const char     *iface;
  gboolean        flag;
  GError        **error;
  gboolean        ok;
  SbPeer         *result;   /* owned */
} Op;

static void
run_op (gpointer data,
        gpointer unused)
{
  Op *op = data;

  switch (op->kind)
    {
    case OP_SEND:
      op->ok = sb_session_send (op->self, op->peer, op->bytes, op->error);
      break;
    case OP_SEND_TO:
      op->ok = sb_session_send_to (op->self, op->address, op->bytes, op->error);
      break;
    case OP_SHUTDOWN:
      op->ok = sb_session_shutdown_write (op->self, op->peer, op->error);
      break;
    case OP_DISCONNECT:
      op->ok = sb_session_disconnect_peer (op->self, op->peer, op->error);
      break;
    case OP_CLOSE_WHEN_SENT:
      op->ok = sb_session_close_peer_when_sent (op->self, op->peer, op->error);
      break;
    case OP_LAST_SENDER:
      op->result = sb_session_get_last_sender (op->self);
      if (op->result != NULL)
        g_object_ref (op->result);
      break;
    case OP_BROADCAST:
      op->ok = sb_session_set_broadcast (op->self, op->flag, op->error);
      break;
    case OP_JOIN:
      op->ok = sb_session_join_multicast (op->self, op->group, op->iface, op->error);
      break;
    case OP_LEAVE:
      op->ok = sb_session_leave_multicast (op->self, op->group, op->iface, op->error);
      break;
    default:
      g_assert_not_reached ();
    }
}

#define CALL_ON_ENGINE(...) \
  G_STMT_START { \
    Op op = { __VA_ARGS__ }; \
    if (_sb_session_call (self, run_op, &op)) \
      return op.ok; \
  } G_STMT_END

gboolean
sb_session_send (SbSession  *self,
                 SbPeer     *peer,
                 GBytes     *bytes,
                 GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (peer == NULL || SB_IS_PEER (peer), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  CALL_ON_ENGINE (.kind = OP_SEND, .self = self, .peer = peer, .bytes = bytes, .error = error);

  if (!_sb_session_check_ready (self, error))
    return FALSE;

  return SB_SESSION_GET_CLASS (self)->send (self, peer, NULL, bytes, error);
}

gboolean
sb_session_send_to (SbSession       *self,
                    GSocketAddress  *address,
                    GBytes          *bytes,
                    GError         **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  CALL_ON_ENGINE (.kind = OP_SEND_TO, .self = self, .address = address, .bytes = bytes, .error = error);

  if (sb_kind_is_stream (sb_session_get_kind (self)))
    return _sb_session_unsupported (error);

  if (!_sb_session_check_ready (self, error))
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

  CALL_ON_ENGINE (.kind = OP_SHUTDOWN, .self = self, .peer = peer, .error = error);

  if (!_sb_session_check_ready (self, error))
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

  CALL_ON_ENGINE (.kind = OP_DISCONNECT, .self = self, .peer = peer, .error = error);

  return SB_SESSION_GET_CLASS (self)->disconnect (self, peer, error);
}

gboolean
sb_session_close_peer_when_sent (SbSession  *self,
                                 SbPeer     *peer,
                                 GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (SB_IS_PEER (peer), FALSE);

  CALL_ON_ENGINE (.kind = OP_CLOSE_WHEN_SENT, .self = self, .peer = peer, .error = error);

  if (!sb_peer_is_stream (peer))
    return sb_session_disconnect_peer (self, peer, error);

  _sb_peer_close_when_sent (peer);
  return TRUE;
}

SbPeer *
sb_session_get_last_sender (SbSession *self)
{
  Op op = { .kind = OP_LAST_SENDER, .self = self };

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  if (_sb_session_peek (self, run_op, &op))
    {
      /* Borrowed, as on the engine: the session keeps it for the owner. */
      SbPeer *kept = _sb_session_keep_last_sender (self, op.result);

      g_clear_object (&op.result);
      return kept;
    }

  return SB_SESSION_GET_CLASS (self)->get_last_sender (self);
}

gboolean
sb_session_set_broadcast (SbSession  *self,
                          gboolean    broadcast,
                          GError    **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);

  CALL_ON_ENGINE (.kind = OP_BROADCAST, .self = self, .flag = broadcast, .error = error);

  return SB_SESSION_GET_CLASS (self)->set_broadcast (self, broadcast, error);
}

gboolean
sb_session_join_multicast (SbSession   *self,
                           const char  *group,
                           const char  *iface,
                           GError     **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  CALL_ON_ENGINE (.kind = OP_JOIN, .self = self, .group = group, .iface = iface, .error = error);

  return SB_SESSION_GET_CLASS (self)->set_multicast (self, group, iface, TRUE, error);
}

gboolean
sb_session_leave_multicast (SbSession   *self,
                            const char  *group,
                            const char  *iface,
                            GError     **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  CALL_ON_ENGINE (.kind = OP_LEAVE, .self = self, .group = group, .iface = iface, .error = error);

  return SB_SESSION_GET_CLASS (self)->set_multicast (self, group, iface, FALSE, error);
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
