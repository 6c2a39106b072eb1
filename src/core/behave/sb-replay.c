/* sb-replay.c — one side of a recorded conversation, played again on a session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Engine thread only: timers are sources attached to the thread-default
 * context; sending never blocks (sb_session_send queues).
 */
#define G_LOG_DOMAIN "sb-replay"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-datagram.h"
#include "sb-engine.h"
#include "sb-replay.h"

typedef struct
{
  gint64       time_us;
  SbDirection  direction;
  SbEventKind  event;
  GBytes      *data;
} Step;

typedef struct
{
  SbReplay *replay;
  SbPeer   *peer;        /* NULL: the datagram socket's target */
  guint     index;       /* the next step */
  guint64   received;    /* bytes from the peer so far */
  guint64   needed;      /* bytes the script had received before the next step */
  gint64    last_step;   /* monotonic time of the step before */
  GSource  *timer;
  gboolean  done;
} Run;

struct _SbReplay
{
  GObject    parent_instance;

  GArray    *steps;      /* Step */
  gboolean   timed;
  guint64    script_bytes;
  SbSession *session;
  GHashTable *runs;      /* SbPeer (or NULL) -> Run */
  guint      n_finished;
};

enum { PROP_0, PROP_SESSION, PROP_TIMED, PROP_N_FINISHED, N_PROPS };
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbReplay, sb_replay, G_TYPE_OBJECT)

static void advance (Run *run);

static void
step_clear (Step *step)
{
  g_clear_pointer (&step->data, g_bytes_unref);
}

static void
run_free (Run *run)
{
  if (run->timer != NULL)
    {
      g_source_destroy (run->timer);
      g_source_unref (run->timer);
    }
  g_clear_object (&run->peer);
  g_free (run);
}

static void
note (SbReplay   *self,
      SbPeer     *peer,
      const char *message)
{
  sb_history_append_event (sb_session_get_history (self->session), SB_EVENT_INFO,
                           peer ? sb_peer_get_id (peer) : 0, message);
}

static gboolean
timer_cb (gpointer data)
{
  Run *run = data;

  g_clear_pointer (&run->timer, g_source_unref);
  advance (run);
  return G_SOURCE_REMOVE;
}

static void
finish (Run *run)
{
  SbReplay *self = run->replay;

  run->done = TRUE;
  g_atomic_int_inc (&self->n_finished);
  note (self, run->peer, _("Replay finished: every message of the recording was sent"));
  /* Counted on the engine's thread; told to the owner on its own. */
  sb_owner_notify (G_OBJECT (self), properties[PROP_N_FINISHED]);
}

static void
advance (Run *run)
{
  SbReplay *self = run->replay;

  while (!run->done && run->timer == NULL && run->index < self->steps->len)
    {
      const Step *step = &g_array_index (self->steps, Step, run->index);
      g_autoptr(GError) error = NULL;

      if (step->direction == SB_DIRECTION_RX)
        {
          run->needed += g_bytes_get_size (step->data);
          run->index++;
          continue;
        }
      /* Our turn comes once the peer said what it said before it. */
      if (run->received < run->needed)
        return;
      if (self->timed && run->index > 0)
        {
          gint64 gap = step->time_us - g_array_index (self->steps, Step, run->index - 1).time_us;
          gint64 wait = run->last_step + MAX (gap, 0) - g_get_monotonic_time ();

          if (wait > 0)
            {
              run->timer = g_timeout_source_new ((guint) MIN ((wait + 999) / 1000, G_MAXUINT));
              g_source_set_callback (run->timer, timer_cb, run, NULL);
              g_source_set_static_name (run->timer, "[sockbench] SbReplay gap");
              g_source_attach (run->timer, g_main_context_get_thread_default ());
              return;
            }
        }

      run->index++;
      run->last_step = g_get_monotonic_time ();
      if (step->direction == SB_DIRECTION_TX)
        {
          if (!sb_session_send (self->session, run->peer, step->data, &error))
            {
              g_autofree char *msg = g_strdup_printf (_("Replay stopped: %s"), error->message);

              note (self, run->peer, msg);
              run->done = TRUE;
              return;
            }
        }
      else if (step->event == SB_EVENT_HALF_CLOSED && run->peer != NULL)
        {
          if (!sb_session_shutdown_write (self->session, run->peer, &error))
            note (self, run->peer, error->message);
        }
      else if (step->event == SB_EVENT_DISCONNECTED && run->peer != NULL)
        {
          if (!sb_session_close_peer_when_sent (self->session, run->peer, &error))
            note (self, run->peer, error->message);
        }
    }
  if (!run->done && run->index >= self->steps->len)
    finish (run);
}

static void
start_run (SbReplay *self,
           SbPeer   *peer)
{
  Run *run = g_new0 (Run, 1);

  run->replay = self;
  run->peer = peer ? g_object_ref (peer) : NULL;
  run->last_step = g_get_monotonic_time ();
  g_hash_table_replace (self->runs, peer, run);
  note (self, peer, self->timed ? _("Replaying the recording with its timing")
                                : _("Replaying the recording as fast as its turns allow"));
  advance (run);
}

static void
peer_connected_cb (SbReplay  *self,
                   SbPeer    *peer,
                   SbSession *session)
{
  /* A datagram socket with a target plays to the target (below). */
  if (SB_IS_DATAGRAM (session) && sb_session_get_state (session) != SB_SESSION_STATE_LISTENING)
    return;
  start_run (self, peer);
}

static void
state_cb (SbReplay       *self,
          SbSessionState  state,
          SbSession      *session)
{
  if (SB_IS_DATAGRAM (session) && state == SB_SESSION_STATE_CONNECTED &&
      !g_hash_table_contains (self->runs, NULL))
    start_run (self, NULL);
}

static void
received_cb (SbReplay  *self,
             SbPeer    *peer,
             GBytes    *bytes,
             SbSession *session)
{
  Run *run = g_hash_table_lookup (self->runs, peer);

  if (run == NULL && SB_IS_DATAGRAM (session))
    run = g_hash_table_lookup (self->runs, NULL);
  if (run == NULL)
    return;
  run->received += g_bytes_get_size (bytes);
  advance (run);
}

static void
peer_disconnected_cb (SbReplay  *self,
                      SbPeer    *peer,
                      SbSession *session)
{
  Run *run = g_hash_table_lookup (self->runs, peer);

  if (run != NULL && !run->done)
    note (self, peer, _("Replay stopped: the peer closed the connection before the end of the recording"));
  g_hash_table_remove (self->runs, peer);
}

SbReplay *
sb_replay_new (SbHistory *script,
               gboolean   timed)
{
  SbReplay *self;

  g_return_val_if_fail (SB_IS_HISTORY (script), NULL);

  self = g_object_new (SB_TYPE_REPLAY, "timed", timed, NULL);
  sb_history_flush (script);
  for (guint i = 0; i < sb_history_get_n_records (script); i++)
    {
      Step step = { 0 };

      step.time_us = sb_history_get_time (script, i);
      step.direction = sb_history_get_direction (script, i);
      step.event = sb_history_get_event (script, i);
      step.data = sb_history_dup_data (script, i);
      if (step.data == NULL)
        continue;
      if (step.direction == SB_DIRECTION_EVENT &&
          step.event != SB_EVENT_HALF_CLOSED && step.event != SB_EVENT_DISCONNECTED)
        {
          step_clear (&step);
          continue;
        }
      if (step.direction == SB_DIRECTION_TX)
        self->script_bytes += g_bytes_get_size (step.data);
      g_array_append_val (self->steps, step);
    }
  return self;
}

SbSession *
sb_replay_get_session (SbReplay *self)
{
  g_return_val_if_fail (SB_IS_REPLAY (self), NULL);
  return self->session;
}

void
sb_replay_set_session (SbReplay  *self,
                       SbSession *session)
{
  g_return_if_fail (SB_IS_REPLAY (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_hash_table_remove_all (self->runs);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "peer-connected", G_CALLBACK (peer_connected_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "received", G_CALLBACK (received_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "peer-disconnected", G_CALLBACK (peer_disconnected_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "state-changed", G_CALLBACK (state_cb), self, G_CONNECT_SWAPPED);
      state_cb (self, sb_session_get_state (session), session);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

gboolean
sb_replay_get_timed (SbReplay *self)
{
  g_return_val_if_fail (SB_IS_REPLAY (self), FALSE);
  return self->timed;
}

guint
sb_replay_get_n_finished (SbReplay *self)
{
  g_return_val_if_fail (SB_IS_REPLAY (self), 0);
  return g_atomic_int_get (&self->n_finished);
}

guint64
sb_replay_get_script_bytes (SbReplay *self)
{
  g_return_val_if_fail (SB_IS_REPLAY (self), 0);
  return self->script_bytes;
}

static void
sb_replay_dispose (GObject *object)
{
  SbReplay *self = SB_REPLAY (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sb_replay_parent_class)->dispose (object);
}

static void
sb_replay_finalize (GObject *object)
{
  SbReplay *self = SB_REPLAY (object);

  g_array_unref (self->steps);

  G_OBJECT_CLASS (sb_replay_parent_class)->finalize (object);
}

static void
sb_replay_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbReplay *self = SB_REPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TIMED:
      g_value_set_boolean (value, self->timed);
      break;
    case PROP_N_FINISHED:
      g_value_set_uint (value, g_atomic_int_get (&self->n_finished));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_replay_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SbReplay *self = SB_REPLAY (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sb_replay_set_session (self, g_value_get_object (value));
      break;
    case PROP_TIMED:
      self->timed = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_replay_class_init (SbReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_replay_dispose;
  object_class->finalize = sb_replay_finalize;
  object_class->get_property = sb_replay_get_property;
  object_class->set_property = sb_replay_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TIMED] =
    g_param_spec_boolean ("timed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FINISHED] =
    g_param_spec_uint ("n-finished", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_replay_init (SbReplay *self)
{
  self->steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_array_set_clear_func (self->steps, (GDestroyNotify) step_clear);
  self->runs = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) run_free);
  sb_owner_notify_init (G_OBJECT (self));
}
