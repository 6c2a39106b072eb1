/* sb-responder.c — carries out auto-reply rules on a session
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-responder"

#include "config.h"

#include "sb-datagram.h"
#include "sb-responder.h"

struct _SbResponder
{
  GObject      parent_instance;

  /* Owned */
  SbAutoReply *auto_reply;
  SbSession   *session;
  GError      *error;
  /* A datagram socket with a target was greeted since it became ready. */
  gboolean     greeted;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_ERROR,
  PROP_N_RULES,
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

static void
set_error (SbResponder  *self,
           const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
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
             GPtrArray   *actions)
{
  g_autoptr(SbSession) session = g_object_ref (self->session);

  for (guint i = 0; i < actions->len; i++)
    {
      SbAutoReplyAction *action = g_ptr_array_index (actions, i);
      g_autoptr(GError) error = NULL;

      if (!sb_session_send (session, peer, action->bytes, &error))
        {
          set_error (self, error);
          return;
        }
      g_signal_emit (self, signals[REPLIED], 0, peer, action->bytes);
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
peer_connected_cb (SbResponder *self,
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
  run_actions (self, peer, actions);
}

static void
state_cb (SbResponder *self,
          GParamSpec  *pspec,
          SbSession   *session)
{
  SbSessionState state = sb_session_get_state (session);
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
    run_actions (self, NULL, actions);
}

static void
received_cb (SbResponder *self,
             SbPeer      *peer,
             GBytes      *bytes,
             SbSession   *session)
{
  g_autoptr(GPtrArray) actions = NULL;
  const guint8 *data;
  gsize len;

  if (sb_auto_reply_get_n_rules (self->auto_reply) == 0)
    return;

  data = g_bytes_get_data (bytes, &len);
  actions = sb_auto_reply_on_message (self->auto_reply, data, len);
  if (actions->len > 0)
    run_actions (self, peer, actions);
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
  g_set_object (&self->session, session);
  self->greeted = FALSE;

  if (session != NULL)
    {
      g_signal_connect_object (session, "peer-connected", G_CALLBACK (peer_connected_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "received", G_CALLBACK (received_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::state", G_CALLBACK (state_cb), self, G_CONNECT_SWAPPED);
      /* Attached to a socket already ready: it was not greeted yet. */
      if (SB_IS_DATAGRAM (session) && sb_session_get_state (session) == SB_SESSION_STATE_CONNECTED)
        state_cb (self, NULL, session);
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

  if (!sb_auto_reply_add_rule (self->auto_reply, rule, error))
    return FALSE;
  rules_changed (self);
  return TRUE;
}

void
sb_responder_remove_rule (SbResponder *self,
                          guint        index)
{
  g_return_if_fail (SB_IS_RESPONDER (self));
  g_return_if_fail (index < sb_auto_reply_get_n_rules (self->auto_reply));

  sb_auto_reply_remove_rule (self->auto_reply, index);
  rules_changed (self);
}

void
sb_responder_clear_rules (SbResponder *self)
{
  g_return_if_fail (SB_IS_RESPONDER (self));

  if (sb_auto_reply_get_n_rules (self->auto_reply) == 0)
    return;
  sb_auto_reply_clear (self->auto_reply);
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

void
sb_responder_copy_rules (SbResponder *self,
                         SbResponder *other)
{
  guint n;

  g_return_if_fail (SB_IS_RESPONDER (self));
  g_return_if_fail (SB_IS_RESPONDER (other));

  if (self == other)
    return;
  sb_auto_reply_clear (self->auto_reply);
  n = sb_auto_reply_get_n_rules (other->auto_reply);
  /* The rules were checked when they were added to @other. */
  for (guint i = 0; i < n; i++)
    sb_auto_reply_add_rule (self->auto_reply, sb_auto_reply_get_rule (other->auto_reply, i), NULL);
  rules_changed (self);
}

static void
sb_responder_dispose (GObject *object)
{
  SbResponder *self = SB_RESPONDER (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sb_responder_parent_class)->dispose (object);
}

static void
sb_responder_finalize (GObject *object)
{
  SbResponder *self = SB_RESPONDER (object);

  g_clear_pointer (&self->auto_reply, sb_auto_reply_free);
  g_clear_error (&self->error);

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
}
