/* sb-frame-item.c — one frame of an SbFrames, made on demand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main thread only.
 */
#define G_LOG_DOMAIN "sb-frames"

#include "config.h"

#include "sb-frames-private.h"

struct _SbFrameItem
{
  GObject    parent_instance;

  /* Owned */
  SbHistory *history;
  SbFramer  *framer;
  SbFramesCheck *check;

  guint64    number;
  Frame      frame;
};

G_DEFINE_FINAL_TYPE (SbFrameItem, sb_frame_item, G_TYPE_OBJECT)

static void
sb_frame_item_finalize (GObject *object)
{
  SbFrameItem *self = SB_FRAME_ITEM (object);

  g_clear_object (&self->history);
  g_clear_pointer (&self->framer, sb_framer_unref);
  g_clear_pointer (&self->check, sb_frames_check_unref);

  G_OBJECT_CLASS (sb_frame_item_parent_class)->finalize (object);
}

static void
sb_frame_item_class_init (SbFrameItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_frame_item_finalize;
}

static void
sb_frame_item_init (SbFrameItem *self)
{
}

static void
check_clear (gpointer data)
{
  SbFramesCheck *check = data;

  g_clear_pointer (&check->spec, sb_check_spec_free);
  g_clear_pointer (&check->text, g_free);
}

SbFramesCheck *
sb_frames_check_ref (SbFramesCheck *check)
{
  return g_atomic_rc_box_acquire (check);
}

void
sb_frames_check_unref (SbFramesCheck *check)
{
  g_atomic_rc_box_release_full (check, check_clear);
}

SbFrameItem *
sb_frame_item_new (SbHistory     *history,
                   SbFramer      *framer,
                   SbFramesCheck *check,
                   guint64        number,
                   const Frame   *frame)
{
  SbFrameItem *self = g_object_new (SB_TYPE_FRAME_ITEM, NULL);

  self->history = g_object_ref (history);
  self->framer = sb_framer_ref (framer);
  self->check = sb_frames_check_ref (check);
  self->number = number;
  self->frame = *frame;
  return self;
}

gboolean
sb_frame_foreach_part (SbHistory       *history,
                       const Frame     *frame,
                       SbFramePartFunc  func,
                       gpointer         user_data)
{
  guint64 last = frame->first_serial + frame->last_delta;

  for (guint64 serial = frame->first_serial; serial <= last; serial++)
    {
      SbFramePart part;
      const guint8 *data;
      guint position;
      gsize len, end;

      if (!sb_history_find_serial (history, serial, &position))
        return FALSE;
      if (sb_history_get_event (history, position) != SB_EVENT_NONE ||
          sb_history_get_direction (history, position) != frame->direction ||
          sb_history_get_peer (history, position) != frame->peer)
        continue;

      data = sb_history_peek_data (history, position, &len);
      if (data == NULL)
        return FALSE;

      part.serial = serial;
      part.offset = serial == frame->first_serial ? frame->first_offset : 0;
      end = serial == last ? frame->end_offset : len;
      if (end > len || part.offset > end)
        return FALSE;
      if (end == part.offset)
        continue;
      part.length = (guint) (end - part.offset);
      if (!func (&part, data, user_data))
        break;
    }
  return TRUE;
}

guint64
sb_frame_item_get_number (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return self->number;
}

SbDirection
sb_frame_item_get_direction (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), SB_DIRECTION_RX);

  return self->frame.direction;
}

guint
sb_frame_item_get_peer (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return self->frame.peer;
}

const char *
sb_frame_item_get_peer_label (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), "");

  return sb_history_get_peer_label (self->history, self->frame.peer);
}

static gint64
time_of (SbFrameItem *self,
         guint64      serial)
{
  guint position;

  if (!sb_history_find_serial (self->history, serial, &position))
    return 0;
  return sb_history_get_time (self->history, position);
}

gint64
sb_frame_item_get_first_time (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return time_of (self, self->frame.first_serial);
}

gint64
sb_frame_item_get_last_time (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return time_of (self, self->frame.first_serial + self->frame.last_delta);
}

guint64
sb_frame_item_get_first_serial (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return self->frame.first_serial;
}

guint
sb_frame_item_get_first_offset (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return self->frame.first_offset;
}

guint64
sb_frame_item_get_last_serial (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return self->frame.first_serial + self->frame.last_delta;
}

guint
sb_frame_item_get_end_offset (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return self->frame.end_offset;
}

gsize
sb_frame_item_get_length (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), 0);

  return self->frame.length;
}

SbFrameStatus
sb_frame_item_get_status (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), SB_FRAME_INCOMPLETE);

  return self->frame.status;
}

SbFrameFlags
sb_frame_item_get_flags (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), SB_FRAME_FLAG_NONE);

  return self->frame.flags;
}

void
sb_frame_item_get_info (SbFrameItem *self,
                        SbFrameInfo *info)
{
  g_return_if_fail (SB_IS_FRAME_ITEM (self));
  g_return_if_fail (info != NULL);

  *info = (SbFrameInfo) {
    .length = self->frame.length,
    .skipped = self->frame.skipped,
    .missing = self->frame.missing,
    .detail = self->frame.detail,
    .status = self->frame.status,
    .reason = self->frame.reason,
    .flags = self->frame.flags,
  };
}

SbFramer *
sb_frame_item_get_framer (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), NULL);

  return self->framer;
}

static gboolean
add_part (const SbFramePart *part,
          const guint8      *data,
          gpointer           user_data)
{
  g_array_append_vals (user_data, part, 1);
  return TRUE;
}

GArray *
sb_frame_item_dup_parts (SbFrameItem *self)
{
  GArray *parts;

  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), NULL);

  parts = g_array_new (FALSE, FALSE, sizeof (SbFramePart));
  if (!sb_frame_foreach_part (self->history, &self->frame, add_part, parts))
    g_array_set_size (parts, 0);
  return parts;
}

static gboolean
add_bytes (const SbFramePart *part,
           const guint8      *data,
           gpointer           user_data)
{
  g_byte_array_append (user_data, data + part->offset, part->length);
  return TRUE;
}

GBytes *
sb_frame_item_dup_raw (SbFrameItem *self)
{
  g_autoptr(GByteArray) bytes = NULL;

  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), NULL);

  bytes = g_byte_array_sized_new (self->frame.length);
  if (!sb_frame_foreach_part (self->history, &self->frame, add_bytes, bytes) ||
      bytes->len != self->frame.length)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static GBytes *
dup_payload (SbHistory   *history,
             SbFramer    *framer,
             const Frame *frame)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (frame->length);

  if (!sb_frame_foreach_part (history, frame, add_bytes, bytes) || bytes->len != frame->length)
    return NULL;
  return sb_framer_decode_payload (framer, bytes->data, bytes->len);
}

GBytes *
sb_frame_item_dup_payload (SbFrameItem *self)
{
  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), NULL);

  return dup_payload (self->history, self->framer, &self->frame);
}

SbCheckStatus
sb_frame_verify (SbHistory     *history,
                 SbFramer      *framer,
                 SbFramesCheck *check,
                 const Frame   *frame,
                 SbCheckResult *result,
                 gsize         *len)
{
  g_autoptr(GBytes) payload = NULL;
  const guint8 *data;
  gsize size;

  if (check == NULL || check->spec == NULL ||
      frame->direction != SB_DIRECTION_RX || frame->status != SB_FRAME_COMPLETE)
    return SB_CHECK_NONE;
  payload = dup_payload (history, framer, frame);
  if (payload == NULL)
    return SB_CHECK_NONE;
  data = g_bytes_get_data (payload, &size);
  if (len != NULL)
    *len = size;
  return sb_check_spec_verify (check->spec, data, size, result);
}

SbCheckStatus
sb_frame_item_get_check (SbFrameItem  *self,
                         char        **description)
{
  SbCheckStatus status;

  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), SB_CHECK_NONE);

  if (description != NULL)
    *description = NULL;
  if (self->frame.check == 0)
    return SB_CHECK_NONE;
  status = (SbCheckStatus) (self->frame.check - 1);
  if (description != NULL && (status == SB_CHECK_BAD || status == SB_CHECK_SHORT))
    {
      SbCheckResult result;
      gsize len = 0;

      /* The bytes are still in the history unless dropped since. */
      if (sb_frame_verify (self->history, self->framer, self->check, &self->frame,
                           &result, &len) != SB_CHECK_NONE)
        *description = sb_check_result_describe (self->check->spec, &result, len);
    }
  return status;
}

char *
sb_frame_item_dup_explanation (SbFrameItem *self)
{
  SbFrameInfo info;

  g_return_val_if_fail (SB_IS_FRAME_ITEM (self), NULL);

  sb_frame_item_get_info (self, &info);
  return sb_framer_explain (self->framer, &info);
}
