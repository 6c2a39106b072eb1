/* sb-repeat.c — one message sent again and again, on the session's thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Made and read on the owner's thread; the fields under "Engine" are
 * touched only on the session's engine (inside sb_engine_call() from the
 * owner, or in the repeat's own sources and signal handlers there), and
 * those under "Shared" under @lock. See "Threads" in sb-repeat.h.
 */
#define G_LOG_DOMAIN "sb-repeat"

#include "config.h"

#include <pthread.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "sb-engine.h"
#include "sb-repeat.h"
#include "sb-send-plan.h"
#include "sb-session-private.h"

/* Progress reaches the owner at most this often (µs). */
#define PUBLISH_INTERVAL (G_USEC_PER_SEC / 10)

struct _SbRepeat
{
  GObject          parent_instance;

  /* Set on the owner before the start, read-only afterwards */
  SbSession       *session;
  SbEngine        *engine;
  SbPeer          *peer;
  GSocketAddress  *to;
  GBytes          *bytes;
  SbTemplate      *template;
  SbTemplateState *state;            /* borrowed; the engine's while running */
  GBytes          *suffix;
  gint64           interval;         /* µs */
  guint64          count;            /* 0: until stopped */
  gsize            chunk_size;
  guint            gap_ms;
  guint            batch;
  gboolean         use_plan;
  gboolean         started;          /* owner */
  gboolean         stopped;          /* owner: sb_repeat_stop() was called */

  /* Engine */
  GSource         *timer;            /* ready at the next slot */
  SbSendPlan      *plan;
  gulong           state_handler;
  gint64           start;            /* monotonic µs of slot 0 */
  guint64          done;
  gint64           late;
  gint64           published_at;
  GError          *failure;          /* a plan's error, ended on at the next tick */
  gboolean         active;
  gboolean         session_ended;
  gboolean         waiting_for_plan;

  /* Shared, under @lock */
  pthread_mutex_t  lock;
  gboolean         running;
  guint64          n_sent;
  gint64           shown_late;
  guint64          plan_sent;
  guint64          plan_total;
  GError          *error;
};

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_N_SENT,
  PROP_LATE,
  PROP_PLAN_SENT,
  PROP_PLAN_TOTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbRepeat, sb_repeat, G_TYPE_OBJECT)

gint64
sb_repeat_lateness (gint64  *start,
                    gint64   interval,
                    guint64  done,
                    gint64   now)
{
  gint64 due = *start + (gint64) done * interval;
  gint64 late = now - due;

  if (late >= interval)
    *start += late;
  return late;
}

/* --- Engine --- */

static GBytes *
next_message (SbRepeat  *self,
              GError   **error)
{
  g_autoptr(GBytes) expanded = NULL;
  GByteArray *joined;
  const guint8 *data;
  gsize len;

  if (self->template == NULL)
    return g_bytes_ref (self->bytes);

  expanded = sb_template_expand (self->template, self->state, NULL, error);
  if (expanded == NULL)
    return NULL;
  if (self->suffix == NULL || g_bytes_get_size (self->suffix) == 0)
    return g_steal_pointer (&expanded);

  joined = g_byte_array_sized_new (g_bytes_get_size (expanded) + g_bytes_get_size (self->suffix));
  data = g_bytes_get_data (expanded, &len);
  g_byte_array_append (joined, data, len);
  data = g_bytes_get_data (self->suffix, &len);
  g_byte_array_append (joined, data, len);
  return g_byte_array_free_to_bytes (joined);
}

static gboolean
send_one (SbRepeat  *self,
          GError   **error)
{
  g_autoptr(GBytes) message = next_message (self, error);

  if (message == NULL)
    return FALSE;
  if (self->plan != NULL)
    return sb_send_plan_push (self->plan, message, error);
  if (self->to != NULL)
    return sb_session_send_to (self->session, self->to, message, error);
  return sb_session_send (self->session, self->peer, message, error);
}

/* Copies the progress for the owner and tells it what changed; when
 * @ending, the repeat stopped running (@error, taken, says why). */
static void
publish (SbRepeat *self,
         gboolean  force,
         gboolean  ending,
         GError   *error)
{
  gint64 now = g_get_monotonic_time ();
  guint64 plan_sent = self->plan ? sb_send_plan_get_sent (self->plan) : 0;
  guint64 plan_total = self->plan ? sb_send_plan_get_total (self->plan) : 0;
  gboolean changed[N_PROPS] = { FALSE, };

  if (!force && !ending && now - self->published_at < PUBLISH_INTERVAL)
    return;
  self->published_at = now;

  pthread_mutex_lock (&self->lock);
  changed[PROP_N_SENT] = self->n_sent != self->done;
  changed[PROP_LATE] = self->shown_late != self->late;
  /* A plan cancelled at the end reads 0: keep its last figures. */
  if (self->plan != NULL)
    {
      changed[PROP_PLAN_SENT] = self->plan_sent != plan_sent;
      changed[PROP_PLAN_TOTAL] = self->plan_total != plan_total;
      self->plan_sent = plan_sent;
      self->plan_total = plan_total;
    }
  self->n_sent = self->done;
  self->shown_late = self->late;
  if (ending)
    {
      changed[PROP_RUNNING] = self->running;
      self->running = FALSE;
      g_clear_error (&self->error);
      self->error = error;
    }
  pthread_mutex_unlock (&self->lock);

  for (guint i = 1; i < N_PROPS; i++)
    if (changed[i])
      sb_owner_notify (G_OBJECT (self), properties[i]);
}

static void
teardown (SbRepeat *self)
{
  sb_clear_source (&self->timer);
  if (self->plan != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->plan, self);
      sb_send_plan_cancel (self->plan);
    }
  if (self->state_handler != 0)
    g_clear_signal_handler (&self->state_handler, self->session);
  g_clear_error (&self->failure);
  self->active = FALSE;
  self->waiting_for_plan = FALSE;
}

/* Ends the repeat by itself: count reached, failure or session gone. */
static void
end (SbRepeat *self,
     GError   *error)
{
  /* The plan's last figures first: teardown cancels it. */
  publish (self, TRUE, FALSE, NULL);
  teardown (self);
  g_clear_object (&self->plan);
  publish (self, TRUE, TRUE, error);
}

/* The timer: a timerfd where there is one, so a 1 ms repeat wakes at its
 * slot (the main loop's own timeouts wake up to a millisecond after it,
 * which at 1 ms is a whole slot lost), else the source's ready time. */
typedef struct
{
  GSource  source;
  int      fd;
  gpointer tag;
} TickSource;

static gboolean
tick_dispatch (GSource     *source,
               GSourceFunc  callback,
               gpointer     user_data)
{
  TickSource *tick = (TickSource *) source;

  /* Fires once per arming; tick_cb arms the next one. */
  g_source_set_ready_time (source, -1);
  if (tick->fd >= 0 && (g_source_query_unix_fd (source, tick->tag) & G_IO_IN))
    {
      guint64 expirations;
      /* Only drained: how many does not matter, the slot is due. */
      G_GNUC_UNUSED ssize_t n = read (tick->fd, &expirations, sizeof expirations);
    }
  return callback (user_data);
}

static void
tick_finalize (GSource *source)
{
  TickSource *tick = (TickSource *) source;

  if (tick->fd >= 0)
    close (tick->fd);
}

static GSourceFuncs tick_funcs = {
  .dispatch = tick_dispatch,
  .finalize = tick_finalize,
};

static GSource *
tick_source_new (void)
{
  GSource *source = g_source_new (&tick_funcs, sizeof (TickSource));
  TickSource *tick = (TickSource *) source;

  tick->fd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (tick->fd >= 0)
    tick->tag = g_source_add_unix_fd (source, tick->fd, G_IO_IN);
  return source;
}

/* Makes the timer fire at @due (monotonic µs, as g_get_monotonic_time()). */
static void
arm (SbRepeat *self,
     gint64    due)
{
  TickSource *tick = (TickSource *) self->timer;
  struct itimerspec when = { { 0, 0 }, { 0, 0 } };

  if (tick->fd < 0)
    {
      g_source_set_ready_time (self->timer, due);
      return;
    }
  /* GLib's monotonic clock is CLOCK_MONOTONIC; 0 would disarm. */
  due = MAX (due, 1);
  when.it_value.tv_sec = due / G_USEC_PER_SEC;
  when.it_value.tv_nsec = (due % G_USEC_PER_SEC) * 1000;
  if (timerfd_settime (tick->fd, TFD_TIMER_ABSTIME, &when, NULL) < 0)
    g_source_set_ready_time (self->timer, due);
}

static void
wake (SbRepeat *self)
{
  if (self->timer != NULL)
    g_source_set_ready_time (self->timer, 0);
}

/* After a message was sent: the end, or the next slot. FALSE when ended. */
static gboolean
after_send (SbRepeat *self)
{
  g_autoptr(GError) error = NULL;

  if (self->count > 0 && self->done >= self->count)
    {
      if (self->plan != NULL)
        {
          /* A partly filled batch goes now: nothing is left behind. */
          if (!sb_send_plan_flush (self->plan, &error))
            {
              end (self, g_steal_pointer (&error));
              return FALSE;
            }
          if (sb_send_plan_is_writing (self->plan))
            {
              self->waiting_for_plan = TRUE;
              publish (self, TRUE, FALSE, NULL);
              return TRUE;
            }
        }
      end (self, NULL);
      return FALSE;
    }

  arm (self, self->start + (gint64) self->done * self->interval);
  publish (self, FALSE, FALSE, NULL);
  return TRUE;
}

static gboolean
tick_cb (gpointer user_data)
{
  SbRepeat *self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 now;
  gint64 late;

  if (self->failure != NULL)
    {
      end (self, g_steal_pointer (&self->failure));
      return G_SOURCE_REMOVE;
    }
  if (self->session_ended)
    {
      end (self, NULL);
      return G_SOURCE_REMOVE;
    }
  /* The message before is still being written: this slot waits for it
   * (the plan's "finished" wakes us), so nothing piles up. */
  if (self->plan != NULL && sb_send_plan_is_writing (self->plan))
    {
      self->waiting_for_plan = TRUE;
      publish (self, FALSE, FALSE, NULL);
      return G_SOURCE_CONTINUE;
    }
  self->waiting_for_plan = FALSE;
  if (self->count > 0 && self->done >= self->count)
    {
      end (self, NULL);
      return G_SOURCE_REMOVE;
    }

  now = g_get_monotonic_time ();
  late = sb_repeat_lateness (&self->start, self->interval, self->done, now);
  if (late < 0)
    {
      arm (self, now - late);
      return G_SOURCE_CONTINUE;
    }
  self->late = late;

  if (!send_one (self, &error))
    {
      end (self, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }
  self->done++;
  return after_send (self) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* The signals below come on the engine, possibly from inside a send: they
 * only flag and wake the timer, which ends the repeat from a clean stack. */
static void
session_state_cb (SbRepeat       *self,
                  SbSessionState  state)
{
  if (state == SB_SESSION_STATE_CONNECTED || state == SB_SESSION_STATE_LISTENING)
    return;
  self->session_ended = TRUE;
  wake (self);
}

static void
plan_failed_cb (SbRepeat   *self,
                GError     *error,
                SbSendPlan *plan)
{
  if (self->failure == NULL)
    self->failure = g_error_copy (error);
  wake (self);
}

static void
plan_finished_cb (SbRepeat *self)
{
  if (self->waiting_for_plan)
    wake (self);
}

typedef struct
{
  SbRepeat  *self;
  gboolean   ok;
  GError   **error;
} StartCall;

static void
start_on_engine (gpointer data,
                 gpointer unused)
{
  StartCall *call = data;
  SbRepeat *self = call->self;

  self->timer = tick_source_new ();
  /* Ahead of the sockets' reads: a flood does not make the repeat late. */
  g_source_set_priority (self->timer, G_PRIORITY_DEFAULT - 10);
  g_source_set_callback (self->timer, tick_cb, self, NULL);
  g_source_set_static_name (self->timer, "[sockbench] repeat");
  g_source_attach (self->timer, g_main_context_get_thread_default ());

  if (self->use_plan)
    {
      self->plan = sb_send_plan_new (self->session, self->peer, self->to);
      sb_send_plan_set_chunk_size (self->plan, self->chunk_size);
      sb_send_plan_set_gap_ms (self->plan, self->gap_ms);
      sb_send_plan_set_batch (self->plan, self->batch);
      g_signal_connect_swapped (self->plan, "failed", G_CALLBACK (plan_failed_cb), self);
      g_signal_connect_swapped (self->plan, "finished", G_CALLBACK (plan_finished_cb), self);
    }
  self->state_handler = g_signal_connect_swapped (self->session, "state-changed",
                                                  G_CALLBACK (session_state_cb), self);
  self->active = TRUE;

  if (!send_one (self, call->error))
    {
      teardown (self);
      g_clear_object (&self->plan);
      call->ok = FALSE;
      return;
    }
  self->done = 1;
  self->late = 0;
  self->start = g_get_monotonic_time ();
  pthread_mutex_lock (&self->lock);
  self->running = TRUE;
  pthread_mutex_unlock (&self->lock);
  call->ok = TRUE;
  publish (self, TRUE, FALSE, NULL);
  after_send (self);
}

static void
stop_on_engine (gpointer data,
                gpointer unused)
{
  SbRepeat *self = data;
  guint64 plan_sent = self->plan ? sb_send_plan_get_sent (self->plan) : 0;
  guint64 plan_total = self->plan ? sb_send_plan_get_total (self->plan) : 0;
  gboolean had_plan = self->plan != NULL;

  if (!self->active)
    return;
  teardown (self);
  g_clear_object (&self->plan);

  /* The owner asked: the final figures, no notification. */
  pthread_mutex_lock (&self->lock);
  self->running = FALSE;
  self->n_sent = self->done;
  self->shown_late = self->late;
  if (had_plan)
    {
      self->plan_sent = plan_sent;
      self->plan_total = plan_total;
    }
  pthread_mutex_unlock (&self->lock);
}

/* --- Owner --- */

SbRepeat *
sb_repeat_new (SbSession      *session,
               SbPeer         *peer,
               GSocketAddress *to,
               GBytes         *bytes,
               guint           interval_ms,
               guint64         count)
{
  SbRepeat *self;

  g_return_val_if_fail (SB_IS_SESSION (session), NULL);
  g_return_val_if_fail (peer == NULL || SB_IS_PEER (peer), NULL);
  g_return_val_if_fail (to == NULL || G_IS_SOCKET_ADDRESS (to), NULL);

  self = g_object_new (SB_TYPE_REPEAT, NULL);
  self->session = g_object_ref (session);
  self->engine = _sb_session_get_engine (session);
  self->peer = peer ? g_object_ref (peer) : NULL;
  self->to = to ? g_object_ref (to) : NULL;
  self->bytes = bytes ? g_bytes_ref (bytes) : NULL;
  self->interval = (gint64) MAX (1, interval_ms) * 1000;
  self->count = count;
  return self;
}

void
sb_repeat_set_template (SbRepeat        *self,
                        SbTemplate      *template,
                        SbTemplateState *state,
                        GBytes          *suffix)
{
  g_return_if_fail (SB_IS_REPEAT (self));
  g_return_if_fail (template != NULL);
  g_return_if_fail (state != NULL);
  g_return_if_fail (!self->started);

  g_clear_pointer (&self->template, sb_template_unref);
  g_clear_pointer (&self->suffix, g_bytes_unref);
  self->template = sb_template_ref (template);
  self->state = state;
  self->suffix = suffix ? g_bytes_ref (suffix) : NULL;
}

void
sb_repeat_set_plan (SbRepeat *self,
                    gsize     chunk_size,
                    guint     gap_ms,
                    guint     batch)
{
  g_return_if_fail (SB_IS_REPEAT (self));
  g_return_if_fail (!self->started);

  self->use_plan = TRUE;
  self->chunk_size = chunk_size;
  self->gap_ms = gap_ms;
  self->batch = MAX (1, batch);
}

gboolean
sb_repeat_start (SbRepeat  *self,
                 GError   **error)
{
  StartCall call = { self, FALSE, error };

  g_return_val_if_fail (SB_IS_REPEAT (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);
  g_return_val_if_fail (self->bytes != NULL || self->template != NULL, FALSE);

  self->started = TRUE;
  sb_engine_call (self->engine, start_on_engine, &call);
  return call.ok;
}

void
sb_repeat_stop (SbRepeat *self)
{
  g_return_if_fail (SB_IS_REPEAT (self));

  /* Once: a later dispose need not reach an engine that may be gone. */
  if (self->started && !self->stopped)
    {
      self->stopped = TRUE;
      sb_engine_call (self->engine, stop_on_engine, self);
    }
}

gboolean
sb_repeat_get_running (SbRepeat *self)
{
  gboolean running;

  g_return_val_if_fail (SB_IS_REPEAT (self), FALSE);

  pthread_mutex_lock (&self->lock);
  running = self->running;
  pthread_mutex_unlock (&self->lock);
  return running;
}

guint64
sb_repeat_get_n_sent (SbRepeat *self)
{
  guint64 n;

  g_return_val_if_fail (SB_IS_REPEAT (self), 0);

  pthread_mutex_lock (&self->lock);
  n = self->n_sent;
  pthread_mutex_unlock (&self->lock);
  return n;
}

gint64
sb_repeat_get_late (SbRepeat *self)
{
  gint64 late;

  g_return_val_if_fail (SB_IS_REPEAT (self), 0);

  pthread_mutex_lock (&self->lock);
  late = self->shown_late;
  pthread_mutex_unlock (&self->lock);
  return late;
}

guint64
sb_repeat_get_plan_sent (SbRepeat *self)
{
  guint64 n;

  g_return_val_if_fail (SB_IS_REPEAT (self), 0);

  pthread_mutex_lock (&self->lock);
  n = self->plan_sent;
  pthread_mutex_unlock (&self->lock);
  return n;
}

guint64
sb_repeat_get_plan_total (SbRepeat *self)
{
  guint64 n;

  g_return_val_if_fail (SB_IS_REPEAT (self), 0);

  pthread_mutex_lock (&self->lock);
  n = self->plan_total;
  pthread_mutex_unlock (&self->lock);
  return n;
}

const GError *
sb_repeat_get_error (SbRepeat *self)
{
  const GError *error;

  g_return_val_if_fail (SB_IS_REPEAT (self), NULL);

  pthread_mutex_lock (&self->lock);
  error = self->error;
  pthread_mutex_unlock (&self->lock);
  return error;
}

guint
sb_repeat_get_interval_ms (SbRepeat *self)
{
  g_return_val_if_fail (SB_IS_REPEAT (self), 0);
  return (guint) (self->interval / 1000);
}

guint64
sb_repeat_get_count (SbRepeat *self)
{
  g_return_val_if_fail (SB_IS_REPEAT (self), 0);
  return self->count;
}

/* --- GObject --- */

static void
sb_repeat_dispose (GObject *object)
{
  SbRepeat *self = SB_REPEAT (object);

  sb_repeat_stop (self);
  g_clear_object (&self->session);
  g_clear_object (&self->peer);
  g_clear_object (&self->to);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->template, sb_template_unref);
  g_clear_pointer (&self->suffix, g_bytes_unref);

  G_OBJECT_CLASS (sb_repeat_parent_class)->dispose (object);
}

static void
sb_repeat_finalize (GObject *object)
{
  SbRepeat *self = SB_REPEAT (object);

  g_clear_error (&self->error);
  pthread_mutex_destroy (&self->lock);

  G_OBJECT_CLASS (sb_repeat_parent_class)->finalize (object);
}

static void
sb_repeat_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbRepeat *self = SB_REPEAT (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, sb_repeat_get_running (self));
      break;
    case PROP_N_SENT:
      g_value_set_uint64 (value, sb_repeat_get_n_sent (self));
      break;
    case PROP_LATE:
      g_value_set_int64 (value, sb_repeat_get_late (self));
      break;
    case PROP_PLAN_SENT:
      g_value_set_uint64 (value, sb_repeat_get_plan_sent (self));
      break;
    case PROP_PLAN_TOTAL:
      g_value_set_uint64 (value, sb_repeat_get_plan_total (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_repeat_class_init (SbRepeatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_repeat_dispose;
  object_class->finalize = sb_repeat_finalize;
  object_class->get_property = sb_repeat_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_SENT] =
    g_param_spec_uint64 ("n-sent", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LATE] =
    g_param_spec_int64 ("late", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAN_SENT] =
    g_param_spec_uint64 ("plan-sent", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PLAN_TOTAL] =
    g_param_spec_uint64 ("plan-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_repeat_init (SbRepeat *self)
{
  pthread_mutex_init (&self->lock, NULL);
  self->batch = 1;
  sb_owner_notify_init (G_OBJECT (self));
}
