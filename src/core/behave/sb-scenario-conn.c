/* sb-scenario-conn.c — a scenario's connection: a session, its frames, a queue
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sb-scenario-private.h"

void
_sb_queued_frame_free (SbQueuedFrame *frame)
{
  g_bytes_unref (frame->bytes);
  g_free (frame->peer);
  g_free (frame);
}

static void
push (SbScenarioConn *conn,
      GBytes         *bytes,
      const char     *peer)
{
  SbQueuedFrame *frame = g_new (SbQueuedFrame, 1);
  SbScenario *self = conn->scenario;

  frame->bytes = g_bytes_ref (bytes);
  frame->peer = g_strdup (peer);
  frame->time = g_get_monotonic_time ();
  g_queue_push_tail (&conn->queue, frame);
  if (conn->queue.length > SB_SCENARIO_MAX_QUEUED)
    _sb_queued_frame_free (g_queue_pop_head (&conn->queue));

  if (self->wait == SB_WAIT_FRAME && self->wait_conn == conn)
    _sb_scenario_wake_now (self);
}

SbQueuedFrame *
_sb_scenario_conn_pop (SbScenarioConn *conn)
{
  return g_queue_pop_head (&conn->queue);
}

static void
received_cb (SbSession      *session,
             SbPeer         *peer,
             GBytes         *bytes,
             SbScenarioConn *conn)
{
  push (conn, bytes, sb_peer_get_label (peer));
}

static void
frame_ended_cb (SbFrames       *frames,
                SbFrameItem    *item,
                SbScenarioConn *conn)
{
  g_autoptr(GBytes) payload = NULL;

  if (sb_frame_item_get_direction (item) != SB_DIRECTION_RX)
    return;
  payload = sb_frame_item_dup_payload (item);
  if (payload != NULL)
    push (conn, payload, sb_frame_item_get_peer_label (item));
}

static void
wake_if_waiting (SbScenarioConn *conn)
{
  SbScenario *self = conn->scenario;

  if (self->wait_conn == conn && (self->wait == SB_WAIT_FRAME || self->wait == SB_WAIT_CONNECT))
    _sb_scenario_wake (self);
}

static void
state_cb (SbSession      *session,
          SbSessionState  state,
          SbScenarioConn *conn)
{
  wake_if_waiting (conn);
}

static void
peer_disconnected_cb (SbSession      *session,
                      SbPeer         *peer,
                      SbScenarioConn *conn)
{
  SbScenario *self = conn->scenario;

  if (conn->closing)
    return;
  if (sb_peer_get_read_closed (peer))
    conn->eof = TRUE;
  else if (conn->reset == NULL)
    {
      conn->reset = g_strdup_printf (_("The connection with %s was reset"), sb_peer_get_label (peer));
      conn->reset_line = self->co != NULL && !self->resuming ? _sb_scenario_current_line (self->co) : self->line;
      if (conn->reset_line == 0)
        conn->reset_line = self->line;
    }
  conn->n_peers_gone++;
  wake_if_waiting (conn);
}

SbScenarioConn *
_sb_scenario_conn_new (SbScenario *self,
                       SbSession  *session,
                       gboolean    owned)
{
  SbScenarioConn *conn = g_new0 (SbScenarioConn, 1);

  conn->scenario = self;
  conn->session = g_object_ref (session);
  conn->owned = owned;
  conn->templates = sb_template_state_new ();
  g_queue_init (&conn->queue);

  g_signal_connect (session, "received", G_CALLBACK (received_cb), conn);
  g_signal_connect (session, "state-changed", G_CALLBACK (state_cb), conn);
  g_signal_connect (session, "peer-disconnected", G_CALLBACK (peer_disconnected_cb), conn);
  g_ptr_array_add (self->conns, conn);
  return conn;
}

gboolean
_sb_scenario_conn_set_framing (SbScenarioConn  *conn,
                               const char      *spec,
                               GError         **error)
{
  g_autoptr(SbFramer) framer = NULL;

  if (spec != NULL && *spec != '\0')
    {
      framer = sb_framer_new_from_spec (spec, error);
      if (framer == NULL)
        return FALSE;
      if (sb_framer_get_kind (framer) == SB_FRAMER_NONE)
        g_clear_pointer (&framer, sb_framer_unref);
    }

  if (conn->frames != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->frames, conn);
      g_clear_object (&conn->frames);
    }
  g_signal_handlers_disconnect_by_func (conn->session, received_cb, conn);

  /* Each read: straight from the session. A framer: its frames. */
  if (framer == NULL)
    g_signal_connect (conn->session, "received", G_CALLBACK (received_cb), conn);
  else
    {
      conn->frames = sb_frames_new (sb_session_get_history (conn->session), framer);
      g_signal_connect (conn->frames, "frame-ended", G_CALLBACK (frame_ended_cb), conn);
    }
  return TRUE;
}

SbPeer *
_sb_scenario_conn_find_peer (SbScenarioConn *conn,
                             const char     *label)
{
  GListModel *peers = sb_session_get_peers (conn->session);
  guint n = g_list_model_get_n_items (peers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SbPeer) peer = g_list_model_get_item (peers, i);

      if (g_str_equal (sb_peer_get_label (peer), label))
        return g_steal_pointer (&peer);
    }
  return NULL;
}

void
_sb_scenario_conn_free (SbScenarioConn *conn)
{
  if (conn->frames != NULL)
    {
      g_signal_handlers_disconnect_by_data (conn->frames, conn);
      g_clear_object (&conn->frames);
    }
  g_signal_handlers_disconnect_by_data (conn->session, conn);
  if (conn->responder != NULL)
    {
      sb_responder_set_session (conn->responder, NULL);
      g_clear_object (&conn->responder);
    }
  if (conn->owned)
    sb_session_stop (conn->session);
  g_clear_object (&conn->session);
  g_queue_clear_full (&conn->queue, (GDestroyNotify) _sb_queued_frame_free);
  sb_template_state_free (conn->templates);
  g_clear_pointer (&conn->last_rx, g_bytes_unref);
  g_free (conn->uri);
  g_free (conn->sender);
  g_free (conn->reset);
  g_free (conn);
}
