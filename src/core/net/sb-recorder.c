/* sb-recorder.c — where a session and its peers write what happened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-recorder"

#include "config.h"

#include "sb-recorder.h"

/* Engine thread only */

struct _SbRecorder
{
  GObject     parent_instance;

  /* Owned */
  SbHistory  *history;
  SbTrace    *trace;

  SbCounters  counters;
  guint       datagram : 1;
};

/* Counters are written on the engine's thread and read on the window's:
 * each is a relaxed atomic (the figures need no order among themselves). */
#define COUNT(field, n) __atomic_fetch_add (&self->counters.field, (n), __ATOMIC_RELAXED)
#define LOAD(field)     __atomic_load_n (&self->counters.field, __ATOMIC_RELAXED)

G_DEFINE_FINAL_TYPE (SbRecorder, sb_recorder, G_TYPE_OBJECT)

static void
sb_recorder_finalize (GObject *object)
{
  SbRecorder *self = (SbRecorder *)object;

  g_clear_object (&self->trace);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (sb_recorder_parent_class)->finalize (object);
}

static void
sb_recorder_class_init (SbRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_recorder_finalize;
}

static void
sb_recorder_init (SbRecorder *self)
{
}

SbRecorder *
sb_recorder_new (SbHistory *history,
                 SbTrace   *trace,
                 gboolean   datagram)
{
  SbRecorder *self;

  g_return_val_if_fail (SB_IS_HISTORY (history), NULL);
  g_return_val_if_fail (SB_IS_TRACE (trace), NULL);

  self = g_object_new (SB_TYPE_RECORDER, NULL);
  self->history = g_object_ref (history);
  self->trace = g_object_ref (trace);
  self->datagram = !!datagram;

  return self;
}

SbHistory *
sb_recorder_get_history (SbRecorder *self)
{
  g_return_val_if_fail (SB_IS_RECORDER (self), NULL);

  return self->history;
}

SbTrace *
sb_recorder_get_trace (SbRecorder *self)
{
  g_return_val_if_fail (SB_IS_RECORDER (self), NULL);

  return self->trace;
}

void
sb_recorder_event (SbRecorder  *self,
                   guint        peer_id,
                   SbEventKind  event,
                   const char  *format,
                   ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (SB_IS_RECORDER (self));

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  sb_history_append_event (self->history, event, peer_id, message);
}

void
sb_recorder_data (SbRecorder   *self,
                  guint         peer_id,
                  guint         socket_id,
                  SbDirection   direction,
                  const guint8 *data,
                  gsize         len)
{
  guint64 serial;

  serial = sb_history_append (self->history, g_get_real_time (), direction, SB_EVENT_NONE,
                              peer_id, data, len);

  if (direction == SB_DIRECTION_RX)
    {
      sb_trace_add_data (self->trace, self->datagram ? SB_CALL_RECVFROM : SB_CALL_RECV,
                         self->datagram ? 0 : socket_id, serial);
      COUNT (rx_bytes, len);
      COUNT (rx_messages, 1);
    }
  else if (direction == SB_DIRECTION_TX)
    {
      sb_trace_add_data (self->trace, self->datagram ? SB_CALL_SENDTO : SB_CALL_SEND,
                         self->datagram ? 0 : socket_id, serial);
      COUNT (tx_bytes, len);
      COUNT (tx_messages, 1);
    }
}

void
sb_recorder_trace (SbRecorder     *self,
                   SbCallKind      kind,
                   guint           socket_id,
                   GSocketAddress *address,
                   gint64          arg1,
                   gint64          arg2,
                   const char     *text,
                   const GError   *error)
{
  sb_trace_add (self->trace, kind, socket_id, address, arg1, arg2, text, error);
}

void
sb_recorder_count_dropped_peer (SbRecorder *self)
{
  COUNT (peers_dropped, 1);
}

void
sb_recorder_count_refused (SbRecorder *self)
{
  COUNT (connections_refused, 1);
}

void
sb_recorder_set_kernel_drops (SbRecorder *self,
                              guint64     drops)
{
  g_return_if_fail (SB_IS_RECORDER (self));

  __atomic_store_n (&self->counters.kernel_drops, drops, __ATOMIC_RELAXED);
}

void
sb_recorder_get_counters (SbRecorder *self,
                          SbCounters *counters)
{
  g_return_if_fail (SB_IS_RECORDER (self));
  g_return_if_fail (counters != NULL);

  counters->rx_bytes = LOAD (rx_bytes);
  counters->tx_bytes = LOAD (tx_bytes);
  counters->rx_messages = LOAD (rx_messages);
  counters->tx_messages = LOAD (tx_messages);
  counters->peers_dropped = LOAD (peers_dropped);
  counters->connections_refused = LOAD (connections_refused);
  counters->kernel_drops = LOAD (kernel_drops);
}
