/* sb-frames-private.h — what sb-frames.c and sb-frame-item.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-frames.h"

G_BEGIN_DECLS

/* Where a frame's bytes are, and what it is: 48 bytes. Counts that could
 * pass 32 bits saturate. */
typedef struct
{
  guint64 first_serial;
  guint32 last_delta;    /* last serial - first serial */
  guint32 first_offset;
  guint32 end_offset;
  guint32 peer;
  guint32 length;
  guint32 skipped;
  guint32 missing;
  guint32 detail;
  guint8  direction;
  guint8  status;
  guint8  flags;
  guint8  reason;
} Frame;

SbFrameItem  *sb_frame_item_new   (SbHistory   *history,
                                   SbFramer    *framer,
                                   guint64      number,
                                   const Frame *frame);

/* Calls @func for each read's share of @frame, in order, until it returns
 * FALSE. Returns FALSE if a read was dropped from the history. */
typedef gboolean (*SbFramePartFunc) (const SbFramePart *part,
                                     const guint8      *data,
                                     gpointer           user_data);
gboolean      sb_frame_foreach_part (SbHistory      *history,
                                     const Frame    *frame,
                                     SbFramePartFunc func,
                                     gpointer        user_data);

G_END_DECLS
