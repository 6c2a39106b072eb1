/* sb-send-plan.c — send messages cut into writes, or several in one write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-plan"

#include "config.h"

#include "sb-engine.h"
#include "sb-send-plan.h"

struct _SbSendPlan
{
  GObject         parent_instance;

  SbSession      *session;
  SbPeer         *peer;
  GSocketAddress *to;
  gsize           chunk_size;   /* 0: whole */
  guint           gap_ms;
  guint           batch;        /* ≥ 1 */

  GByteArray     *held;         /* the batch being filled */
  guint           n_held;
  GQueue          writes;       /* GBytes*: whole buffers still to write */
  gsize           offset;       /* into the head of writes */
  GSource        *timer;        /* the gap before the next write */
  guint64         sent;
  guint64         total;
};

enum {
  PROP_0,
  PROP_SENT,
  PROP_TOTAL,
  N_PROPS
};

enum {
  FINISHED,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbSendPlan, sb_send_plan, G_TYPE_OBJECT)

static void
clear_queue (SbSendPlan *self)
{
  GBytes *bytes;

  while ((bytes = g_queue_pop_head (&self->writes)) != NULL)
    g_bytes_unref (bytes);
  self->offset = 0;
  g_byte_array_set_size (self->held, 0);
  self->n_held = 0;
  sb_clear_source (&self->timer);
}

static gboolean
write_piece (SbSendPlan *self,
             GError    **error)
{
  GBytes *head = g_queue_peek_head (&self->writes);
  gsize len = g_bytes_get_size (head);
  gsize n = len - self->offset;
  g_autoptr(GBytes) piece = NULL;
  gboolean ok;

  if (self->chunk_size > 0)
    n = MIN (n, self->chunk_size);
  piece = g_bytes_new_from_bytes (head, self->offset, n);
  if (self->to != NULL)
    ok = sb_session_send_to (self->session, self->to, piece, error);
  else
    ok = sb_session_send (self->session, self->peer, piece, error);
  if (!ok)
    return FALSE;

  self->offset += n;
  self->sent += n;
  if (self->offset == len)
    {
      g_bytes_unref (g_queue_pop_head (&self->writes));
      self->offset = 0;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENT]);
  return TRUE;
}

static gboolean pump_cb (gpointer user_data);

/* Writes what is due now; arms the timer for the rest. */
static gboolean
pump (SbSendPlan *self,
      GError    **error)
{
  g_autoptr(SbSendPlan) hold = g_object_ref (self);

  while (self->timer == NULL && !g_queue_is_empty (&self->writes))
    {
      if (!write_piece (self, error))
        {
          clear_queue (self);
          return FALSE;
        }
      if (!g_queue_is_empty (&self->writes) && self->gap_ms > 0)
        self->timer = sb_timeout_source_add (self->gap_ms, pump_cb, self);
    }
  if (self->timer == NULL && g_queue_is_empty (&self->writes) && self->n_held == 0)
    g_signal_emit (self, signals[FINISHED], 0);
  return TRUE;
}

static gboolean
pump_cb (gpointer user_data)
{
  SbSendPlan *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->timer, g_source_unref);
  if (!pump (self, &error))
    g_signal_emit (self, signals[FAILED], 0, error);
  return G_SOURCE_REMOVE;
}

static gboolean
queue_held (SbSendPlan *self,
            GError    **error)
{
  if (self->n_held == 0)
    return TRUE;
  g_queue_push_tail (&self->writes, g_bytes_new (self->held->data, self->held->len));
  g_byte_array_set_size (self->held, 0);
  self->n_held = 0;
  return pump (self, error);
}

SbSendPlan *
sb_send_plan_new (SbSession      *session,
                  SbPeer         *peer,
                  GSocketAddress *to)
{
  SbSendPlan *self;

  g_return_val_if_fail (SB_IS_SESSION (session), NULL);
  g_return_val_if_fail (peer == NULL || SB_IS_PEER (peer), NULL);
  g_return_val_if_fail (to == NULL || G_IS_SOCKET_ADDRESS (to), NULL);

  self = g_object_new (SB_TYPE_SEND_PLAN, NULL);
  self->session = g_object_ref (session);
  self->peer = peer ? g_object_ref (peer) : NULL;
  self->to = to ? g_object_ref (to) : NULL;
  return self;
}

void
sb_send_plan_set_chunk_size (SbSendPlan *self,
                             gsize       chunk_size)
{
  g_return_if_fail (SB_IS_SEND_PLAN (self));
  self->chunk_size = chunk_size;
}

void
sb_send_plan_set_gap_ms (SbSendPlan *self,
                         guint       gap_ms)
{
  g_return_if_fail (SB_IS_SEND_PLAN (self));
  self->gap_ms = gap_ms;
}

void
sb_send_plan_set_batch (SbSendPlan *self,
                        guint       batch)
{
  g_return_if_fail (SB_IS_SEND_PLAN (self));
  self->batch = MAX (1, batch);
}

gboolean
sb_send_plan_push (SbSendPlan *self,
                   GBytes     *bytes,
                   GError    **error)
{
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (SB_IS_SEND_PLAN (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &len);
  self->total += len;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_byte_array_append (self->held, data, len);
  self->n_held++;
  if (self->n_held < self->batch)
    return TRUE;
  return queue_held (self, error);
}

gboolean
sb_send_plan_flush (SbSendPlan *self,
                    GError    **error)
{
  g_return_val_if_fail (SB_IS_SEND_PLAN (self), FALSE);
  return queue_held (self, error);
}

void
sb_send_plan_cancel (SbSendPlan *self)
{
  g_return_if_fail (SB_IS_SEND_PLAN (self));
  clear_queue (self);
}

gboolean
sb_send_plan_is_busy (SbSendPlan *self)
{
  g_return_val_if_fail (SB_IS_SEND_PLAN (self), FALSE);
  return self->n_held > 0 || !g_queue_is_empty (&self->writes);
}

gboolean
sb_send_plan_is_writing (SbSendPlan *self)
{
  g_return_val_if_fail (SB_IS_SEND_PLAN (self), FALSE);
  return !g_queue_is_empty (&self->writes);
}

guint64
sb_send_plan_get_sent (SbSendPlan *self)
{
  g_return_val_if_fail (SB_IS_SEND_PLAN (self), 0);
  return self->sent;
}

guint64
sb_send_plan_get_total (SbSendPlan *self)
{
  g_return_val_if_fail (SB_IS_SEND_PLAN (self), 0);
  return self->total;
}

static void
sb_send_plan_dispose (GObject *object)
{
  SbSendPlan *self = SB_SEND_PLAN (object);

  clear_queue (self);
  g_clear_object (&self->session);
  g_clear_object (&self->peer);
  g_clear_object (&self->to);

  G_OBJECT_CLASS (sb_send_plan_parent_class)->dispose (object);
}

static void
sb_send_plan_finalize (GObject *object)
{
  SbSendPlan *self = SB_SEND_PLAN (object);

  g_byte_array_unref (self->held);

  G_OBJECT_CLASS (sb_send_plan_parent_class)->finalize (object);
}

static void
sb_send_plan_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SbSendPlan *self = SB_SEND_PLAN (object);

  switch (prop_id)
    {
    case PROP_SENT:
      g_value_set_uint64 (value, self->sent);
      break;
    case PROP_TOTAL:
      g_value_set_uint64 (value, self->total);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_send_plan_class_init (SbSendPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_send_plan_dispose;
  object_class->finalize = sb_send_plan_finalize;
  object_class->get_property = sb_send_plan_get_property;

  properties[PROP_SENT] =
    g_param_spec_uint64 ("sent", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOTAL] =
    g_param_spec_uint64 ("total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
sb_send_plan_init (SbSendPlan *self)
{
  self->held = g_byte_array_new ();
  self->batch = 1;
  g_queue_init (&self->writes);
}
