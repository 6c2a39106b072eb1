/* sb-responder.c — carries out auto-reply rules on a session
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-responder"

#include "config.h"

#include <glib/gi18n.h>
#include <pthread.h>

#include "sb-datagram.h"
#include "sb-engine.h"
#include "sb-framer-collector.h"
#include "sb-responder.h"

/* Peers whose frames are followed at once, at most; beyond, idle ones go. */
#define MAX_PEER_STATES 1024

struct _SbResponder
{
  GObject      parent_instance;

  /* Owned */
  SbAutoReply *auto_reply;
  SbSession   *session;
  GError      *error;
  SbFramer    *framer;        /* nullable: none */
  SbCheckSpec *check;         /* nullable: none */
  /* SbPeer* (owned) → SbFramerCollector*: its received bytes on their
   * way to frames */
  GHashTable  *peers;
  GSource     *gap_source;
  SbTemplateState *template_state;
  guint64      n_frames;
  /* A datagram socket with a target was greeted since it became ready. */
  gboolean     greeted;
  gboolean     record_replies;

  /* The rules, framer and check are changed by the owner (the window's
   * rules editor) while the session's signals run them on the engine's
   * thread: both hold @lock meanwhile. Signals the owner listens to are
   * emitted without it. */
  pthread_mutex_t lock;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_ERROR,
  PROP_N_RULES,
  PROP_FRAMER,
  PROP_TEMPLATES,
  PROP_N_FRAMES,
  N_PROPS
};

enum {
  RULES_CHANGED,
  REPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbResponder, sb_responder, G_TYPE_OBJECT)

typedef struct
{
  SbResponder *self;
  GError      *error;
} SetError;

/* On the owner's thread: the error is the owner's to read. */
static gboolean
set_error_cb (gpointer data)
{
  SetError *set = data;
  SbResponder *self = set->self;

  if (self->error == NULL && set->error == NULL)
    return G_SOURCE_REMOVE;
  g_clear_error (&self->error);
  self->error = g_steal_pointer (&set->error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  return G_SOURCE_REMOVE;
}

static void
set_error_free (gpointer data)
{
  SetError *set = data;

  g_clear_error (&set->error);
  g_free (set);
}

static void
set_error (SbResponder  *self,
           const GError *error)
{
  SetError *set = g_new0 (SetError, 1);

  set->self = self;
  set->error = error ? g_error_copy (error) : NULL;
  sb_owner_invoke (G_OBJECT (self), set_error_cb, set, set_error_free);
}

static void
rules_changed (SbResponder *self)
{
  g_signal_emit (self, signals[RULES_CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RULES]);
}

/* Sends what the rules asked for, in order; a rule that closes ends it. */
static void
run_actions (SbResponder *self,
             SbPeer      *peer,
             GPtrArray   *actions,
             GBytes      *rx)
{
  g_autoptr(SbSession) session = g_object_ref (self->session);

  for (guint i = 0; i < actions->len; i++)
    {
      SbAutoReplyAction *action = g_ptr_array_index (actions, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) expanded = NULL;

      if (action->tmpl != NULL)
        {
          SbTemplateContext context = {
            .rx = rx,
            .rx_groups = (const char * const *) action->groups,
            .n_rx_groups = action->n_groups,
          };

          expanded = sb_template_expand (action->tmpl, self->template_state, &context, &error);
          if (expanded == NULL)
            {
              set_error (self, error);
              return;
            }
        }

      if (!sb_session_send (session, peer, expanded ? expanded : action->bytes, &error))
        {
          set_error (self, error);
          return;
        }
      g_signal_emit (self, signals[REPLIED], 0, peer, expanded ? expanded : action->bytes);
      if (self->record_replies)
        {
          gsize size = g_bytes_get_size (expanded ? expanded : action->bytes);
          g_autofree char *text = NULL;

          /* Translators: an event in the history after a reply sent by an auto-reply rule */
          text = g_strdup_printf (ngettext ("Auto-reply: a rule replied with %u byte",
                                            "Auto-reply: a rule replied with %u bytes",
                                            (gulong) MIN (size, G_MAXUINT)),
                                  (guint) MIN (size, G_MAXUINT));
          sb_history_append_event (sb_session_get_history (session), SB_EVENT_INFO,
                                   peer ? sb_peer_get_id (peer) : 0, text);
        }
      if (action->close_after)
        {
          SbPeer *target = peer;

          /* A stream client has one peer, even when none was named. */
          if (target == NULL && !SB_IS_DATAGRAM (session))
            target = g_list_model_get_n_items (sb_session_get_peers (session)) > 0 ?
                     g_list_model_get_item (sb_session_get_peers (session), 0) : NULL;
          else if (target != NULL)
            g_object_ref (target);

          if (target != NULL &&
              !sb_session_close_peer_when_sent (session, target, &error))
            set_error (self, error);
          g_clear_object (&target);
          return;
        }
    }
}

static void
peer_connected_locked (SbResponder *self,
                   SbPeer      *peer,
                   SbSession   *session)
{
  g_autoptr(GPtrArray) actions = NULL;

  /* A datagram socket with a target is greeted once it is ready (below),
   * not again by whoever answers it first. */
  if (SB_IS_DATAGRAM (session) && sb_session_get_state (session) != SB_SESSION_STATE_LISTENING)
    return;
  if (sb_auto_reply_get_n_rules (self->auto_reply) == 0)
    return;

  actions = sb_auto_reply_on_connect (self->auto_reply);
  run_actions (self, peer, actions, NULL);
}

static void
state_locked (SbResponder    *self,
          SbSessionState  state,
          SbSession      *session)
{
  g_autoptr(GPtrArray) actions = NULL;

  if (!SB_IS_DATAGRAM (session))
    return;
  if (state != SB_SESSION_STATE_CONNECTED)
    {
      if (state != SB_SESSION_STATE_LISTENING)
        self->greeted = FALSE;
      return;
    }
  if (self->greeted)
    return;
  self->greeted = TRUE;

  actions = sb_auto_reply_on_connect (self->auto_reply);
  if (actions->len > 0)
    run_actions (self, NULL, actions, NULL);
}

static guint64
n_frames (SbResponder *self)
{
  return __atomic_load_n (&self->n_frames, __ATOMIC_RELAXED);
}

/* Tells the owner that frames were counted since @before. */
static void
notify_frames (SbResponder *self,
               guint64      before)
{
  if (n_frames (self) != before)
    sb_owner_notify (G_OBJECT (self), properties[PROP_N_FRAMES]);
}

/* One message: a frame, or a read without framing (then @message holds
 * it; a frame's bytes are copied only when a rule answers it). */
static void
answer (SbResponder  *self,
        SbPeer       *peer,
        const guint8 *data,
        gsize         len,
        GBytes       *message)
{
  g_autoptr(GPtrArray) actions = NULL;
  g_autoptr(GBytes) frame = NULL;

  /* Notified once per read, by the caller (notify_frames()): a read of a
   * flood may hold thousands of frames. */
  __atomic_fetch_add (&self->n_frames, 1, __ATOMIC_RELAXED);
  if (sb_auto_reply_get_n_rules (self->auto_reply) == 0)
    return;

  actions = sb_auto_reply_on_frame (self->auto_reply, data, len,
                                    self->check != NULL
                                    ? sb_check_spec_verify (self->check, data, len, NULL)
                                    : SB_CHECK_NONE);
  if (actions->len == 0)
    return;
  if (message == NULL)
    message = frame = g_bytes_new (data, len);
  run_actions (self, peer, actions, message);
}

static void
peer_unref (gpointer peer)
{
  if (peer != NULL)
    g_object_unref (peer);
}

static void
peer_frames_free (gpointer data)
{
  sb_framer_collector_free (data);
}

static void schedule_gap (SbResponder *self);

/* Where a peer's frames go (SbFramerFrameFunc). */
typedef struct
{
  SbResponder       *self;
  SbPeer            *peer;
  SbFramerCollector *collector;
} PeerFrames;

/* Answers a whole frame; FALSE once the peer's frames are gone. */
static gboolean
answer_frame (const guint8      *data,
              gsize              len,
              const SbFrameInfo *info,
              gpointer           user_data)
{
  PeerFrames *pf = user_data;
  SbResponder *self = pf->self;

  if (info->status != SB_FRAME_COMPLETE)
    return TRUE;
  answer (self, pf->peer, data, len, NULL);
  /* A reply may end the session, and with it this stream. */
  return self->peers != NULL && g_hash_table_lookup (self->peers, pf->peer) == pf->collector;
}

static void
cancel_gap (SbResponder *self)
{
  if (self->gap_source != NULL)
    {
      g_source_destroy (self->gap_source);
      g_clear_pointer (&self->gap_source, g_source_unref);
    }
}

static gboolean
gap_locked (gpointer user_data)
{
  SbResponder *self = user_data;
  g_autoptr(GPtrArray) peers = NULL;
  gint64 now = g_get_real_time ();

  g_clear_pointer (&self->gap_source, g_source_unref);
  g_object_ref (self);
  peers = g_ptr_array_new_with_free_func (peer_unref);
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, self->peers);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (peers, key ? g_object_ref (key) : NULL);
  }
  for (guint i = 0; i < peers->len && self->peers != NULL; i++)
    {
      SbPeer *peer = g_ptr_array_index (peers, i);
      PeerFrames pf = { self, peer, g_hash_table_lookup (self->peers, peer) };

      if (pf.collector == NULL)
        continue;
      sb_framer_collector_tick (pf.collector, now, answer_frame, &pf);
    }
  if (self->peers != NULL)
    schedule_gap (self);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static gboolean
gap_cb (gpointer user_data)
{
  SbResponder *self = user_data;
  guint64 before = n_frames (self);
  gboolean ret;

  g_object_ref (self);
  pthread_mutex_lock (&self->lock);
  ret = gap_locked (self);
  pthread_mutex_unlock (&self->lock);
  notify_frames (self, before);
  g_object_unref (self);
  return ret;
}

static void
schedule_gap (SbResponder *self)
{
  GHashTableIter iter;
  gpointer value;
  gint64 deadline = G_MAXINT64;

  cancel_gap (self);
  if (self->framer == NULL || sb_framer_get_kind (self->framer) != SB_FRAMER_GAP)
    return;
  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 when = sb_framer_collector_get_deadline (value);

      if (when != 0)
        deadline = MIN (deadline, when);
    }
  if (deadline == G_MAXINT64)
    return;
  self->gap_source = g_timeout_source_new ((guint) CLAMP ((deadline - g_get_real_time () + 999) / 1000,
                                                          0, G_MAXINT));
  g_source_set_callback (self->gap_source, gap_cb, self, NULL);
  g_source_set_static_name (self->gap_source, "[sockbench] SbResponder gap");
  g_source_attach (self->gap_source, g_main_context_get_thread_default ());
}

static gboolean
peer_is_idle (gpointer key,
              gpointer value,
              gpointer user_data)
{
  return sb_framer_collector_is_idle (value);
}

static void
received_locked (SbResponder *self,
             SbPeer      *peer,
             GBytes      *bytes,
             SbSession   *session)
{
  g_autoptr(SbPeer) keep = NULL;
  PeerFrames pf = { self, peer, NULL };
  const guint8 *data;
  gsize len;

  data = g_bytes_get_data (bytes, &len);
  if (self->framer == NULL)
    {
      answer (self, peer, data, len, bytes);
      return;
    }
  keep = peer ? g_object_ref (peer) : NULL;

  pf.collector = g_hash_table_lookup (self->peers, peer);
  if (pf.collector == NULL)
    {
      /* Many datagram senders: those with nothing in progress go first. */
      if (g_hash_table_size (self->peers) >= MAX_PEER_STATES)
        g_hash_table_foreach_remove (self->peers, peer_is_idle, NULL);
      if (g_hash_table_size (self->peers) >= MAX_PEER_STATES)
        g_hash_table_remove_all (self->peers);
      pf.collector = sb_framer_collector_new (self->framer);
      g_hash_table_insert (self->peers, peer ? g_object_ref (peer) : NULL, pf.collector);
    }

  sb_framer_collector_feed (pf.collector, data, len, g_get_real_time (), answer_frame, &pf);
  schedule_gap (self);
}

static void
peer_disconnected_locked (SbResponder *self,
                      SbPeer      *peer,
                      SbSession   *session)
{
  g_autoptr(SbPeer) keep = peer ? g_object_ref (peer) : NULL;
  PeerFrames pf = { self, peer, NULL };

  if (self->peers == NULL || (pf.collector = g_hash_table_lookup (self->peers, peer)) == NULL)
    return;
  /* Its stream ended: a frame in progress ends as the framer says. */
  sb_framer_collector_end (pf.collector, answer_frame, &pf);
  if (self->peers != NULL)
    g_hash_table_remove (self->peers, peer);
}

static void
forget_peers (SbResponder *self)
{
  cancel_gap (self);
  if (self->peers != NULL)
    g_hash_table_remove_all (self->peers);
}

/* The session's signals, on the engine's thread (or the owner's, without
 * an engine), under @lock. */

static void
peer_connected_cb (SbResponder *self,
                   SbPeer      *peer,
                   SbSession   *session)
{
  pthread_mutex_lock (&self->lock);
  /* The owner may have detached it while this signal was on its way. */
  if (self->session == session)
    peer_connected_locked (self, peer, session);
  pthread_mutex_unlock (&self->lock);
}

static void
state_cb (SbResponder    *self,
          SbSessionState  state,
          SbSession      *session)
{
  pthread_mutex_lock (&self->lock);
  /* The owner may have detached it while this signal was on its way. */
  if (self->session == session)
    state_locked (self, state, session);
  pthread_mutex_unlock (&self->lock);
}

static void
received_cb (SbResponder *self,
             SbPeer      *peer,
             GBytes      *bytes,
             SbSession   *session)
{
  guint64 before = n_frames (self);

  pthread_mutex_lock (&self->lock);
  /* The owner may have detached it while this signal was on its way. */
  if (self->session == session)
    received_locked (self, peer, bytes, session);
  pthread_mutex_unlock (&self->lock);
  notify_frames (self, before);
}

static void
peer_disconnected_cb (SbResponder *self,
                      SbPeer      *peer,
                      SbSession   *session)
{
  guint64 before = n_frames (self);

  pthread_mutex_lock (&self->lock);
  /* The owner may have detached it while this signal was on its way. */
  if (self->session == session)
    peer_disconnected_locked (self, peer, session);
  pthread_mutex_unlock (&self->lock);
  notify_frames (self, before);
}

SbResponder *
sb_responder_new (void)
{
  return g_object_new (SB_TYPE_RESPONDER, NULL);
}

SbSession *
sb_responder_get_session (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), NULL);
  return self->session;
}

void
sb_responder_set_session (SbResponder *self,
                          SbSession   *session)
{
  g_return_if_fail (SB_IS_RESPONDER (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  pthread_mutex_lock (&self->lock);
  g_set_object (&self->session, session);
  self->greeted = FALSE;
  forget_peers (self);
  /* ${seq} counts per session. */
  sb_template_state_reset (self->template_state);
  pthread_mutex_unlock (&self->lock);

  if (session != NULL)
    {
      g_signal_connect_object (session, "peer-connected", G_CALLBACK (peer_connected_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "received", G_CALLBACK (received_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "peer-disconnected", G_CALLBACK (peer_disconnected_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "state-changed", G_CALLBACK (state_cb), self, G_CONNECT_SWAPPED);
      /* Attached to a socket already ready: it was not greeted yet. */
      if (SB_IS_DATAGRAM (session) && sb_session_get_state (session) == SB_SESSION_STATE_CONNECTED)
        state_cb (self, SB_SESSION_STATE_CONNECTED, session);
    }

  set_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

const GError *
sb_responder_get_error (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), NULL);
  return self->error;
}

void
sb_responder_clear_error (SbResponder *self)
{
  g_return_if_fail (SB_IS_RESPONDER (self));
  set_error (self, NULL);
}

SbAutoReply *
sb_responder_get_auto_reply (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), NULL);
  return self->auto_reply;
}

gboolean
sb_responder_add_rule (SbResponder           *self,
                       const SbAutoReplyRule *rule,
                       GError               **error)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);

  pthread_mutex_lock (&self->lock);
  if (!sb_auto_reply_add_rule (self->auto_reply, rule, error))
    {
      pthread_mutex_unlock (&self->lock);
      return FALSE;
    }
  pthread_mutex_unlock (&self->lock);
  rules_changed (self);
  return TRUE;
}

void
sb_responder_remove_rule (SbResponder *self,
                          guint        index)
{
  g_return_if_fail (SB_IS_RESPONDER (self));
  g_return_if_fail (index < sb_auto_reply_get_n_rules (self->auto_reply));

  pthread_mutex_lock (&self->lock);
  sb_auto_reply_remove_rule (self->auto_reply, index);
  pthread_mutex_unlock (&self->lock);
  rules_changed (self);
}

void
sb_responder_clear_rules (SbResponder *self)
{
  g_return_if_fail (SB_IS_RESPONDER (self));

  if (sb_auto_reply_get_n_rules (self->auto_reply) == 0)
    return;
  pthread_mutex_lock (&self->lock);
  sb_auto_reply_clear (self->auto_reply);
  pthread_mutex_unlock (&self->lock);
  rules_changed (self);
}

guint
sb_responder_get_n_rules (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), 0);
  return sb_auto_reply_get_n_rules (self->auto_reply);
}

const SbAutoReplyRule *
sb_responder_get_rule (SbResponder *self,
                       guint        index)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), NULL);
  return sb_auto_reply_get_rule (self->auto_reply, index);
}

SbFramer *
sb_responder_get_framer (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), NULL);

  return self->framer;
}

void
sb_responder_set_framer (SbResponder *self,
                         SbFramer    *framer)
{
  g_return_if_fail (SB_IS_RESPONDER (self));

  if (framer != NULL && sb_framer_get_kind (framer) == SB_FRAMER_NONE)
    framer = NULL;
  if (framer == self->framer ||
      (framer != NULL && self->framer != NULL && sb_framer_equal (framer, self->framer)))
    return;

  pthread_mutex_lock (&self->lock);
  forget_peers (self);
  g_clear_pointer (&self->framer, sb_framer_unref);
  if (framer != NULL)
    self->framer = sb_framer_ref (framer);
  pthread_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMER]);
}

const SbCheckSpec *
sb_responder_get_check (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), NULL);

  return self->check;
}

void
sb_responder_set_check (SbResponder       *self,
                        const SbCheckSpec *check)
{
  g_return_if_fail (SB_IS_RESPONDER (self));

  pthread_mutex_lock (&self->lock);
  g_clear_pointer (&self->check, sb_check_spec_free);
  if (check != NULL)
    self->check = sb_check_spec_copy (check);
  pthread_mutex_unlock (&self->lock);
}

gboolean
sb_responder_get_templates (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), FALSE);

  return sb_auto_reply_get_templates (self->auto_reply);
}

gboolean
sb_responder_set_templates (SbResponder  *self,
                            gboolean      templates,
                            GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (SB_IS_RESPONDER (self), FALSE);

  if (sb_auto_reply_get_templates (self->auto_reply) == !!templates)
    return TRUE;
  pthread_mutex_lock (&self->lock);
  ok = sb_auto_reply_set_templates (self->auto_reply, templates, error);
  pthread_mutex_unlock (&self->lock);
  if (!ok)
    return FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPLATES]);
  return TRUE;
}

guint64
sb_responder_get_n_frames (SbResponder *self)
{
  g_return_val_if_fail (SB_IS_RESPONDER (self), 0);

  return n_frames (self);
}

void
sb_responder_copy_rules (SbResponder *self,
                         SbResponder *other)
{
  guint n;
  gboolean templates;
  gboolean templates_changed = FALSE;

  g_return_if_fail (SB_IS_RESPONDER (self));
  g_return_if_fail (SB_IS_RESPONDER (other));

  if (self == other)
    return;

  pthread_mutex_lock (&self->lock);
  sb_auto_reply_clear (self->auto_reply);
  /* Empty now: this cannot fail. */
  templates = sb_auto_reply_get_templates (other->auto_reply);
  if (templates != sb_auto_reply_get_templates (self->auto_reply) &&
      sb_auto_reply_set_templates (self->auto_reply, templates, NULL))
    templates_changed = TRUE;
  n = sb_auto_reply_get_n_rules (other->auto_reply);
  /* The rules were checked when they were added to @other. */
  for (guint i = 0; i < n; i++)
    sb_auto_reply_add_rule (self->auto_reply, sb_auto_reply_get_rule (other->auto_reply, i), NULL);
  pthread_mutex_unlock (&self->lock);
  if (templates_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEMPLATES]);
  rules_changed (self);
}

static void
sb_responder_dispose (GObject *object)
{
  SbResponder *self = SB_RESPONDER (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  cancel_gap (self);
  g_clear_pointer (&self->peers, g_hash_table_unref);

  G_OBJECT_CLASS (sb_responder_parent_class)->dispose (object);
}

static void
sb_responder_finalize (GObject *object)
{
  SbResponder *self = SB_RESPONDER (object);

  g_clear_pointer (&self->auto_reply, sb_auto_reply_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->framer, sb_framer_unref);
  g_clear_pointer (&self->check, sb_check_spec_free);
  g_clear_pointer (&self->template_state, sb_template_state_free);
  pthread_mutex_destroy (&self->lock);

  G_OBJECT_CLASS (sb_responder_parent_class)->finalize (object);
}

static void
sb_responder_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SbResponder *self = SB_RESPONDER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_N_RULES:
      g_value_set_uint (value, sb_auto_reply_get_n_rules (self->auto_reply));
      break;
    case PROP_FRAMER:
      g_value_set_boxed (value, self->framer);
      break;
    case PROP_TEMPLATES:
      g_value_set_boolean (value, sb_auto_reply_get_templates (self->auto_reply));
      break;
    case PROP_N_FRAMES:
      g_value_set_uint64 (value, n_frames (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_responder_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SbResponder *self = SB_RESPONDER (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sb_responder_set_session (self, g_value_get_object (value));
      break;
    case PROP_FRAMER:
      sb_responder_set_framer (self, g_value_get_boxed (value));
      break;
    case PROP_TEMPLATES:
      {
        g_autoptr(GError) error = NULL;

        if (!sb_responder_set_templates (self, g_value_get_boolean (value), &error))
          set_error (self, error);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_responder_class_init (SbResponderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_responder_dispose;
  object_class->finalize = sb_responder_finalize;
  object_class->get_property = sb_responder_get_property;
  object_class->set_property = sb_responder_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_RULES] =
    g_param_spec_uint ("n-rules", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FRAMER] =
    g_param_spec_boxed ("framer", NULL, NULL, SB_TYPE_FRAMER,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TEMPLATES] =
    g_param_spec_boolean ("templates", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_FRAMES] =
    g_param_spec_uint64 ("n-frames", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[RULES_CHANGED] =
    g_signal_new ("rules-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REPLIED] =
    g_signal_new ("replied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SB_TYPE_PEER, G_TYPE_BYTES);
}

static void
sb_responder_init (SbResponder *self)
{
  self->auto_reply = sb_auto_reply_new ();
  self->peers = g_hash_table_new_full (NULL, NULL, peer_unref, peer_frames_free);
  self->template_state = sb_template_state_new ();
  {
    pthread_mutexattr_t attr;

    /* Recursive: a reply can close a peer, whose signal comes back here. */
    pthread_mutexattr_init (&attr);
    pthread_mutexattr_settype (&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init (&self->lock, &attr);
    pthread_mutexattr_destroy (&attr);
  }
  sb_owner_notify_init (G_OBJECT (self));
}

void
sb_responder_set_record_replies (SbResponder *self,
                                 gboolean     record)
{
  g_return_if_fail (SB_IS_RESPONDER (self));

  pthread_mutex_lock (&self->lock);
  self->record_replies = !!record;
  pthread_mutex_unlock (&self->lock);
}
