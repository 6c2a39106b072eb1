/* sb-frames.h — the messages in a history, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-checksum.h"
#include "sb-framer.h"
#include "sb-history.h"

G_BEGIN_DECLS

#define SB_FRAMES_DEFAULT_MAX_FRAMES 1000000

#define SB_TYPE_FRAMES (sb_frames_get_type ())
G_DECLARE_FINAL_TYPE (SbFrames, sb_frames, SB, FRAMES, GObject)

#define SB_TYPE_FRAME_ITEM (sb_frame_item_get_type ())
G_DECLARE_FINAL_TYPE (SbFrameItem, sb_frame_item, SB, FRAME_ITEM, GObject)

/*
 * SbFrames is a GListModel of SbFrameItem: a view of an SbHistory through a
 * framer. The history's records stay the truth; a frame is stored as where
 * its bytes are (history serial and offset of its first and last byte, about
 * 48 bytes a frame), and items are made on demand.
 *
 * Each stream (peer and direction) has its own framer state. Records are
 * framed as the history announces them (O(new bytes)); changing the framer
 * frames the whole history again. Connection events end streams as they do
 * for sb_history_decode() (a frame in progress ends there, incomplete). A
 * frame in progress is in the model as an incomplete frame, changed in place
 * (items-changed pos, 1, 1) as it grows. Frames are in the order they began
 * to be seen: by the read holding their first byte, except that a marker
 * split across reads starts its frame in an earlier read.
 *
 * Frames whose first read the history dropped are dropped too; the rest of a
 * frame in progress whose head was dropped shows as a frame flagged
 * SB_FRAME_FLAG_HEAD_DROPPED. Beyond max-frames the oldest frames are dropped
 * (counted in n-dropped). Counters cover the frames in the model.
 *
 * gap frames end on a timer (record times are wall-clock): the frame in
 * progress ends when the gap has passed with no read.
 *
 * Signal "frame-ended" (SbFrameItem *item): a frame stopped growing
 * (complete, cut, invalid, or incomplete because its stream ended), once
 * the model shows it; for what headless output and rules act on. Not
 * emitted when the whole history is framed again.
 *
 * Properties: "history" (construct-only), "framer" (SbFramer, read-write),
 * "max-frames" (read-write), "check" (a check spec as sb_check_spec_parse()
 * reads, "" for none; read-write), "n-rx-frames", "n-tx-frames",
 * "n-skipped", "n-cut", "n-invalid", "n-dropped", "n-bad" (notified once
 * per batch).
 *
 * With a check set, each received frame is verified when it ends complete
 * (sb_frame_item_get_check()); "n-bad" counts the received frames in the
 * model whose check failed (bad or too short). Setting the check verifies
 * every frame in the model again.
 *
 * Main thread only (the history's).
 */
/* @framer: nullable, none if NULL. */
SbFrames     *sb_frames_new                (SbHistory     *history,
                                            SbFramer      *framer);
SbHistory    *sb_frames_get_history        (SbFrames      *self);
SbFramer     *sb_frames_get_framer         (SbFrames      *self);
/* Frames the whole history again with @framer (NULL: none). */
void          sb_frames_set_framer         (SbFrames      *self,
                                            SbFramer      *framer);
/* sb_frames_set_framer() from a spec string; on error nothing changes. */
gboolean      sb_frames_set_spec           (SbFrames      *self,
                                            const char    *spec,
                                            GError       **error);
guint         sb_frames_get_max_frames     (SbFrames      *self);
void          sb_frames_set_max_frames     (SbFrames      *self,
                                            guint          max_frames);

/* The check spec as set ("" for none). Owned by @self. */
const char   *sb_frames_get_check          (SbFrames      *self);
/* Sets the check from a spec string (NULL or "" for none); on error nothing
 * changes. */
gboolean      sb_frames_set_check          (SbFrames      *self,
                                            const char    *spec,
                                            GError       **error);
/* Received frames in the model whose check failed. */
guint64       sb_frames_get_n_bad          (SbFrames      *self);

/* Frames in the model in @direction (rx or tx), incomplete ones included. */
guint64       sb_frames_get_n_frames       (SbFrames      *self,
                                            SbDirection    direction);
/* Garbage bytes skipped before the frames in the model. */
guint64       sb_frames_get_n_skipped      (SbFrames      *self);
/* Frames cut at the limit (the first piece of each; its rest is flagged
 * SB_FRAME_FLAG_CONTINUATION and not counted again). */
guint64       sb_frames_get_n_cut          (SbFrames      *self);
guint64       sb_frames_get_n_invalid      (SbFrames      *self);
/* Frames dropped beyond max-frames since the framer was set. */
guint64       sb_frames_get_n_dropped      (SbFrames      *self);

/* Finds the model position of the frame numbered @number (see
 * sb_frame_item_get_number()); FALSE if it was dropped or is not announced. */
gboolean      sb_frames_find_number        (SbFrames      *self,
                                            guint64        number,
                                            guint         *position);
/* Model positions of the frames holding bytes of the history record
 * @serial, ascending. Newly allocated array of guint. */
GArray       *sb_frames_find_read          (SbFrames      *self,
                                            guint64        serial);

/* Benchmark hook: frames every record the history has announced with
 * @framer, without a model, as sb_frames would. Returns the number of
 * frames (incomplete ones at the end included). */
guint64       sb_frames_frame_history      (SbHistory     *history,
                                            SbFramer      *framer);

/* SbFrameItem: one frame, as it was when the item was made (a frame in
 * progress is replaced in the model as it grows). */

/* One read's share of a frame. */
typedef struct
{
  guint64 serial;
  guint   offset;
  guint   length;
} SbFramePart;

/* Counts frames from 0 since the framer was set; never reused. */
guint64       sb_frame_item_get_number       (SbFrameItem *self);
SbDirection   sb_frame_item_get_direction    (SbFrameItem *self);
guint         sb_frame_item_get_peer         (SbFrameItem *self);
const char   *sb_frame_item_get_peer_label   (SbFrameItem *self);
/* Times of the first and last read (0 if dropped from the history). */
gint64        sb_frame_item_get_first_time   (SbFrameItem *self);
gint64        sb_frame_item_get_last_time    (SbFrameItem *self);
/* The first byte is at @first_offset of record @first_serial; the last ends
 * just before @end_offset of @last_serial. */
guint64       sb_frame_item_get_first_serial (SbFrameItem *self);
guint         sb_frame_item_get_first_offset (SbFrameItem *self);
guint64       sb_frame_item_get_last_serial  (SbFrameItem *self);
guint         sb_frame_item_get_end_offset   (SbFrameItem *self);
/* Raw bytes. */
gsize         sb_frame_item_get_length       (SbFrameItem *self);
SbFrameStatus sb_frame_item_get_status       (SbFrameItem *self);
SbFrameFlags  sb_frame_item_get_flags        (SbFrameItem *self);
/* Everything about the frame but where it is. */
void          sb_frame_item_get_info         (SbFrameItem *self,
                                              SbFrameInfo *info);
SbFramer     *sb_frame_item_get_framer       (SbFrameItem *self);
/* The reads that made the frame, in order. Newly allocated array of
 * SbFramePart; empty if its reads were dropped. */
GArray       *sb_frame_item_dup_parts        (SbFrameItem *self);
/* The bytes as on the wire; NULL if the history dropped some of them. */
GBytes       *sb_frame_item_dup_raw          (SbFrameItem *self);
/* The payload (decoded for slip and cobs, without the delimiter with
 * strip); NULL if the history dropped some of the bytes. */
GBytes       *sb_frame_item_dup_payload      (SbFrameItem *self);
/* The frame's check: SB_CHECK_NONE when no check is set, for sent frames
 * and for frames not ended complete; SB_CHECK_OK, SB_CHECK_BAD or
 * SB_CHECK_SHORT otherwise. @description (nullable) gets
 * sb_check_result_describe()'s text when bad or short (newly allocated),
 * NULL otherwise. */
SbCheckStatus sb_frame_item_get_check        (SbFrameItem  *self,
                                              char        **description);
/* Why it split there, translated, one line per fact. Newly allocated. */
char         *sb_frame_item_dup_explanation  (SbFrameItem *self);

G_END_DECLS
