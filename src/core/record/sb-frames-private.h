/* sb-frames-private.h — what sb-frames.c and sb-frame-item.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-checksum.h"
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
  guint8  check;         /* SbCheckStatus + 1 once checked, 0 before */
} Frame;

/* The check of a frames model, shared with its items (an atomic rc box). */
typedef struct
{
  SbCheckSpec *spec;     /* nullable: no check */
  char        *text;     /* as set; "" for none */
} SbFramesCheck;

SbFramesCheck *sb_frames_check_ref   (SbFramesCheck *check);
void           sb_frames_check_unref (SbFramesCheck *check);

SbFrameItem  *sb_frame_item_new   (SbHistory     *history,
                                   SbFramer      *framer,
                                   SbFramesCheck *check,
                                   guint64        number,
                                   const Frame   *frame);
/* Verifies @frame's payload with @check; SB_CHECK_NONE when it is not an
 * ended, complete received frame or no check is set. */
SbCheckStatus sb_frame_verify     (SbHistory     *history,
                                   SbFramer      *framer,
                                   SbFramesCheck *check,
                                   const Frame   *frame,
                                   SbCheckResult *result,
                                   gsize         *len);

/* Calls @func for each read's share of @frame, in order, until it returns
 * FALSE. Returns FALSE if a read was dropped from the history. */
typedef gboolean (*SbFramePartFunc) (const SbFramePart *part,
                                     const guint8      *data,
                                     gpointer           user_data);
gboolean      sb_frame_foreach_part (SbHistory      *history,
                                     const Frame    *frame,
                                     SbFramePartFunc func,
                                     gpointer        user_data);

/* Recent reads of a stream, enough to place a mark up to
 * SB_FRAMER_MAX_PATTERN bytes back. */
typedef struct
{
  guint64 serial;
  guint64 start;   /* stream position of its first byte */
  guint32 len;
} ReadSpan;

typedef struct
{
  guint          peer;
  SbDirection    direction;
  SbFramerState *state;
  GArray        *reads;          /* ReadSpan */
  gint64         pending;        /* number of its frame in progress, or -1 */
  guint64        pending_start;  /* stream position of that frame's first byte */
  gboolean       head_dropped;   /* the frame in progress was dropped */
} Stream;

struct _SbFrames
{
  GObject     parent_instance;

  /* Owned */
  SbHistory  *history;
  SbFramer   *framer;
  GArray     *frames;        /* Frame, from index head */
  GHashTable *streams;       /* stream key → Stream */
  GArray     *marks;         /* scratch: SbFramerMark */
  GArray     *changed;       /* numbers of announced frames changed since the last announcement */
  GArray     *ended;         /* numbers of frames that ended since the last announcement */
  GSource    *gap_source;
  SbFramesCheck *check;
  gboolean    constructed;

  guint       head;
  guint64     first_number;  /* number of frames[head] */
  guint64     vis_first;     /* what the model announced */
  guint64     vis_next;
  guint64     framed_next;   /* next history serial to frame */
  guint       max_frames;

  guint64     n_frames[2];
  guint64     n_skipped;
  guint64     n_cut;
  guint64     n_invalid;
  guint64     n_dropped;
  guint64     n_bad;
};

/* Streams with nothing in progress kept for reuse. */
#define KEEP_IDLE_STREAMS 64

static inline guint32
saturate (guint64 value)
{
  return (guint32) MIN (value, G_MAXUINT32);
}

static inline gpointer
stream_key (guint       peer,
            SbDirection direction)
{
  return GSIZE_TO_POINTER (((gsize) peer << 1) | (direction == SB_DIRECTION_TX));
}

static inline guint64
next_number (SbFrames *self)
{
  return self->first_number + (self->frames->len - self->head);
}

static inline Frame *
frame_at (SbFrames *self,
          guint64   number)
{
  return &g_array_index (self->frames, Frame, self->head + (guint) (number - self->first_number));
}

/* sb-frames.c */
void          sb_frames_count_frame   (SbFrames          *self,
                                       const Frame       *frame,
                                       int                sign);
void          sb_frames_note_changed  (SbFrames          *self,
                                       guint64            number);
/* Checks the frame numbered @number, which has just ended. */
void          sb_frames_check_ended   (SbFrames          *self,
                                       guint64            number);

/* sb-frames-streams.c */
void          sb_frames_stream_free   (gpointer           data);
gboolean      sb_frames_stream_is_idle (Stream           *stream);
void          sb_frames_apply_marks   (SbFrames          *self,
                                       Stream            *stream,
                                       guint64            fed_from);
void          sb_frames_frame_record  (SbFrames          *self,
                                       guint              position);

G_END_DECLS
