/* sb-session-owner.c — what the owner of a session on an engine sees
 *
 * See "Threads" in sb-session-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session"

#include "config.h"

#include "sb-session-private.h"

void
_sb_session_peer_op_free (gpointer data)
{
  SbPeerOp *op = data;

  g_object_unref (op->peer);
  g_free (op);
}


/* Owner */

static void
replay_peer_ops (SbSessionPrivate *priv,
                 GQueue           *ops)
{
  g_autoptr(GHashTable) removed = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  SbPeerOp *op;

  /* One splice per announcement: a flood of senders coming and going
   * costs the peers list one change per frame, not one per sender. */
  while ((op = g_queue_pop_head (ops)) != NULL)
    {
      if (op->kind == SB_PEER_ADDED)
        {
          g_ptr_array_add (added, g_object_ref (op->peer));
        }
      else
        {
          guint i;

          if (g_ptr_array_find (added, op->peer, &i))
            g_ptr_array_remove_index (added, i);
          else
            {
              if (removed == NULL)
                removed = g_hash_table_new (NULL, NULL);
              g_hash_table_add (removed, op->peer);
            }
        }
      _sb_session_peer_op_free (op);
    }

  if (removed != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (priv->owner_peers));
      g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        {
          SbPeer *peer = g_list_model_get_item (G_LIST_MODEL (priv->owner_peers), i);

          if (g_hash_table_contains (removed, peer))
            g_object_unref (peer);
          else
            g_ptr_array_add (kept, peer);
        }
      for (guint i = 0; i < added->len; i++)
        g_ptr_array_add (kept, g_object_ref (added->pdata[i]));
      g_list_store_splice (priv->owner_peers, 0, n, kept->pdata, kept->len);
    }
  else if (added->len > 0)
    {
      g_list_store_splice (priv->owner_peers,
                           g_list_model_get_n_items (G_LIST_MODEL (priv->owner_peers)),
                           0, added->pdata, added->len);
    }
}

/* Takes the owner's copies and notifies what changed. */
static void
announce (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);
  GQueue ops = G_QUEUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  SbSessionState state;
  guint state_serial;
  guint pending;
  guint changed = 0;

  pthread_mutex_lock (&priv->lock);
  sb_clear_source (&priv->announce_source);
  pending = priv->pending;
  priv->pending = 0;
  state = priv->state;
  state_serial = priv->state_serial;
  if (pending & SB_SESSION_CHANGED_ERROR)
    error = priv->error ? g_error_copy (priv->error) : NULL;
  if (pending & SB_SESSION_CHANGED_LOCAL_ADDRESS)
    address = priv->local_address ? g_object_ref (priv->local_address) : NULL;
  ops = priv->peer_ops;
  g_queue_init (&priv->peer_ops);
  pthread_mutex_unlock (&priv->lock);

  g_object_ref (self);

  replay_peer_ops (priv, &ops);
  if (pending & SB_SESSION_CHANGED_ERROR)
    {
      g_clear_error (&priv->owner_error);
      priv->owner_error = g_steal_pointer (&error);
      changed |= SB_SESSION_CHANGED_ERROR;
    }
  if (pending & SB_SESSION_CHANGED_LOCAL_ADDRESS)
    {
      g_set_object (&priv->owner_local_address, address);
      changed |= SB_SESSION_CHANGED_LOCAL_ADDRESS;
    }
  /* Every change is notified, even one that came back to where it was
   * (stopped and started again) between two announcements. */
  if (priv->owner_state_serial != state_serial)
    {
      priv->owner_state = state;
      priv->owner_state_serial = state_serial;
      changed |= SB_SESSION_CHANGED_STATE;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (changed & SB_SESSION_CHANGED_ERROR)
    g_object_notify (G_OBJECT (self), "error");
  if (changed & SB_SESSION_CHANGED_LOCAL_ADDRESS)
    g_object_notify (G_OBJECT (self), "local-address");
  if (changed & SB_SESSION_CHANGED_STATE)
    g_object_notify (G_OBJECT (self), "state");
  g_object_thaw_notify (G_OBJECT (self));

  g_object_unref (self);
}

static gboolean
announce_cb (gpointer user_data)
{
  announce (user_data);
  return G_SOURCE_REMOVE;
}

/* Called with @lock held. */
static void
schedule_announce_locked (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  if (priv->announce_source != NULL)
    return;

  /* Below socket I/O, above GTK's layout and paint (as the history's). */
  priv->announce_source = g_idle_source_new ();
  g_source_set_priority (priv->announce_source, G_PRIORITY_HIGH_IDLE + 10);
  g_source_set_callback (priv->announce_source, announce_cb,
                         g_object_ref (self), g_object_unref);
  g_source_set_static_name (priv->announce_source, "[sockbench] SbSession announce");
  g_source_attach (priv->announce_source, priv->owner);
}

/* Engine: @prop_id changed; notify now, or tell the owner. */
void
_sb_session_changed (SbSession        *self,
                     SbSessionChanged  what)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  if (priv->engine == NULL)
    {
      g_object_notify (G_OBJECT (self), what == SB_SESSION_CHANGED_STATE ? "state" :
                                        what == SB_SESSION_CHANGED_ERROR ? "error" : "local-address");
      return;
    }

  pthread_mutex_lock (&priv->lock);
  priv->pending |= what;
  schedule_announce_locked (self);
  pthread_mutex_unlock (&priv->lock);
}

static void
nothing (gpointer data,
         gpointer unused)
{
}

void
sb_session_sync (SbSession *self)
{
  g_return_if_fail (SB_IS_SESSION (self));

  _sb_session_call (self, nothing, NULL);
}

gboolean
_sb_session_peek (SbSession *self,
                  GFunc      func,
                  gpointer   data)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  if (!_sb_session_reads_copy (priv))
    return FALSE;

  /* A getter: nothing changes, nothing is announced from inside it. */
  sb_engine_call (priv->engine, func, data);
  return TRUE;
}

gboolean
_sb_session_call (SbSession *self,
                  GFunc      func,
                  gpointer   data)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  if (!_sb_session_reads_copy (priv))
    return FALSE;

  sb_engine_call (priv->engine, func, data);
  /* What the call changed is seen, and notified, at once: stop() then
   * is_running() is FALSE, as without an engine. */
  announce (self);
  return TRUE;
}

const SbSessionSpec *
sb_session_get_spec (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->spec;
}

SbKind
sb_session_get_kind (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), 0);

  return priv->spec->kind;
}

SbSessionState
sb_session_get_state (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), SB_SESSION_STATE_IDLE);

  return _sb_session_reads_copy (priv) ? priv->owner_state : priv->state;
}

const GError *
sb_session_get_error (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return _sb_session_reads_copy (priv) ? priv->owner_error : priv->error;
}

SbHistory *
sb_session_get_history (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->history;
}

GListModel *
sb_session_get_peers (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return G_LIST_MODEL (_sb_session_reads_copy (priv) ? priv->owner_peers : priv->peers);
}

SbTrace *
sb_session_get_trace (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return priv->trace;
}

GSocketAddress *
sb_session_get_local_address (SbSession *self)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);

  g_return_val_if_fail (SB_IS_SESSION (self), NULL);

  return _sb_session_reads_copy (priv) ? priv->owner_local_address : priv->local_address;
}

void
_sb_session_tell_owner_peer (SbSession  *self,
                 SbPeerOpKind  kind,
                 SbPeer     *peer)
{
  SbSessionPrivate *priv = _sb_session_get_private (self);
  SbPeerOp *op;

  if (priv->engine == NULL)
    return;

  op = g_new (SbPeerOp, 1);
  op->kind = kind;
  op->peer = g_object_ref (peer);
  pthread_mutex_lock (&priv->lock);
  g_queue_push_tail (&priv->peer_ops, op);
  schedule_announce_locked (self);
  pthread_mutex_unlock (&priv->lock);
}

