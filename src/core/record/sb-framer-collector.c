/* sb-framer-collector.c — a stream's frames, handed out as they end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state does not keep marks here: it hands each frame that ends to
 * collector_emit() (sb-framer-state-private.h), which finds its bytes where
 * they are — in the read being fed, in what was held from the reads before
 * (sb_framer_collector_join), or across both (only then copied, into a
 * buffer reused from frame to frame).
 */
#define G_LOG_DOMAIN "sb-framer"

#include "config.h"

#include <string.h>

#include "sb-framer-collector.h"
#include "sb-framer-state-private.h"

/* A buffer that grew past this for a long frame is given back once it
 * holds less again: many idle streams keep little. */
#define KEEP_ALLOCATED (64 * 1024)

/* Empties @array, giving its memory back if it grew large. */
static void
clear_buffer (GByteArray **array)
{
  if ((*array)->len > KEEP_ALLOCATED)
    {
      g_byte_array_unref (*array);
      *array = g_byte_array_new ();
    }
  else
    g_byte_array_set_size (*array, 0);
}

/* A frame that is not all in the read being fed (collector_emit does those). */
void
sb_framer_collector_join (SbFramerCollector *self,
                          guint64            begin,
                          guint64            end,
                          const SbFrameInfo *info)
{
  const guint8 *bytes;
  gsize len = (gsize) (end - begin);

  if (len == 0)
    bytes = (const guint8 *) "";
  else if (begin >= self->data_start)
    bytes = self->data + (begin - self->data_start);
  else if (begin < self->held_start)
    return;  /* no longer held: never for frames within the limit */
  else if (end <= self->data_start)
    bytes = self->held->data + (begin - self->held_start);
  else
    {
      gsize head = (gsize) (self->data_start - begin);

      g_byte_array_set_size (self->joined, 0);
      g_byte_array_append (self->joined, self->held->data + (begin - self->held_start), (guint) head);
      g_byte_array_append (self->joined, self->data, (guint) (len - head));
      bytes = self->joined->data;
    }

  if (!self->func (bytes, len, info, self->user_data))
    self->stopped = TRUE;
}

SbFramerCollector *
sb_framer_collector_new (SbFramer *framer)
{
  SbFramerCollector *self;

  g_return_val_if_fail (framer != NULL, NULL);

  self = g_new0 (SbFramerCollector, 1);
  self->state = sb_framer_state_new (framer);
  self->held = g_byte_array_new ();
  self->joined = g_byte_array_new ();
  return self;
}

static void
collector_free (SbFramerCollector *self)
{
  sb_framer_state_free (self->state);
  g_byte_array_unref (self->held);
  g_byte_array_unref (self->joined);
  g_free (self);
}

void
sb_framer_collector_free (SbFramerCollector *self)
{
  if (self == NULL)
    return;

  if (self->running)
    self->dying = TRUE;
  else
    collector_free (self);
}

static void
call_begin (SbFramerCollector *self,
            const guint8      *data,
            SbFramerFrameFunc  func,
            gpointer           user_data)
{
  self->running = TRUE;
  self->stopped = FALSE;
  self->out.begun = FALSE;
  self->data = data;
  self->data_start = self->state->pos;
  self->func = func;
  self->user_data = user_data;
}

/* FALSE if func stopped it or freed the collector (then it is gone). */
static gboolean
call_end (SbFramerCollector *self)
{
  gboolean more = !self->stopped;

  self->running = FALSE;
  if (self->joined->len > 0 && !self->dying)
    clear_buffer (&self->joined);
  self->data = NULL;
  self->func = NULL;
  self->user_data = NULL;
  if (self->dying)
    {
      collector_free (self);
      return FALSE;
    }
  if (self->ended)
    {
      self->ended = FALSE;
      sb_framer_state_reset (self->state);
      clear_buffer (&self->held);
      self->held_start = 0;
    }
  return more;
}

/* Keeps of the bytes held and @len just fed what a frame to come may use. */
static void
hold (SbFramerCollector *self,
      const guint8      *data,
      gsize              len)
{
  SbFramerState *state = self->state;
  guint64 data_start = state->pos - len;
  guint64 keep_from = state->pos > SB_FRAMER_MAX_PATTERN ? state->pos - SB_FRAMER_MAX_PATTERN : 0;

  if (state->in_frame)
    keep_from = MIN (keep_from, state->frame_start);
  keep_from = MAX (keep_from, self->held_start);

  if (keep_from >= data_start)
    {
      clear_buffer (&self->held);
      g_byte_array_append (self->held, data + (keep_from - data_start), (guint) (state->pos - keep_from));
    }
  else
    {
      g_byte_array_remove_range (self->held, 0, (guint) (keep_from - self->held_start));
      g_byte_array_append (self->held, data, (guint) len);
    }
  self->held_start = keep_from;
}

gboolean
sb_framer_collector_feed (SbFramerCollector *self,
                          const guint8      *data,
                          gsize              len,
                          gint64             time_us,
                          SbFramerFrameFunc  func,
                          gpointer           user_data)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  call_begin (self, data, func, user_data);
  sb_framer_state_feed_out (self->state, data, len, time_us, &self->out);
  if (!self->dying && len > 0)
    hold (self, data, len);
  return call_end (self);
}

gboolean
sb_framer_collector_tick (SbFramerCollector *self,
                          gint64             now_us,
                          SbFramerFrameFunc  func,
                          gpointer           user_data)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  call_begin (self, NULL, func, user_data);
  sb_framer_state_tick_out (self->state, now_us, &self->out);
  return call_end (self);
}

gint64
sb_framer_collector_get_deadline (SbFramerCollector *self)
{
  g_return_val_if_fail (self != NULL, 0);

  /* Long before any deadline: nothing ends, the deadline is told. */
  return sb_framer_state_tick_out (self->state, G_MININT64, &self->out);
}

gboolean
sb_framer_collector_end (SbFramerCollector *self,
                         SbFramerFrameFunc  func,
                         gpointer           user_data)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->running)
    {
      /* Ended from the function of a feed (a reply closed the peer): the
       * state is in the middle of that read. No more frames come from it,
       * and what is in progress is dropped once the read is done. */
      self->stopped = TRUE;
      self->ended = TRUE;
      return FALSE;
    }

  call_begin (self, NULL, func, user_data);
  sb_framer_state_end_out (self->state, &self->out);
  if (!self->dying)
    {
      /* The state starts over from position 0. */
      clear_buffer (&self->held);
      self->held_start = 0;
    }
  return call_end (self);
}

gsize
sb_framer_collector_get_n_held (SbFramerCollector *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->held->len;
}

gboolean
sb_framer_collector_is_idle (SbFramerCollector *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return sb_framer_state_is_idle (self->state);
}
