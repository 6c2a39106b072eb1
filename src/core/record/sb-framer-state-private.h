/* sb-framer-state-private.h — what the streaming framer's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-framer-private.h"

G_BEGIN_DECLS

typedef enum
{
  SCAN_NONE,
  SCAN_NUMBER,
  SCAN_LITERAL,
} ScanScalar;

/* Where a JSON value stands; no bytes kept. */
typedef struct
{
  gboolean    active;
  gboolean    in_string;
  gboolean    escape;
  ScanScalar  scalar;
  const char *literal;
  guint       literal_pos;
  guint       depth;
  guint64     stack;      /* bit i set: level i + 1 is an object (first 64 levels) */
  SbJsonKind  kind;
  gint64      bad;        /* offset of the first error in the frame, or -1 */
} JsonScan;

typedef enum
{
  JSON_SEPARATOR,  /* whitespace between values */
  JSON_GARBAGE,    /* cannot start a value */
  JSON_START,      /* a value starts with this byte */
  JSON_CONTINUE,
  JSON_END_AFTER,  /* the value ends with this byte */
  JSON_END_BEFORE, /* the value ended before this byte: look at it again */
} JsonStep;

/* Where a state's frames go while it is fed: marks appended to an array
 * (sb_framer_state_feed), or with marks NULL, each ended frame handed at
 * once to the SbFramerCollector that holds this (collector_emit below). */
typedef struct
{
  GArray   *marks;
  /* No marks: a frame began since the call began and has not ended (what
   * a BEGIN last in marks says). */
  gboolean  begun;
} SbFramerOut;

struct _SbFramerState
{
  SbFramer    *framer;
  guint64      pos;

  gboolean     in_frame;
  guint64      frame_start;
  SbFrameFlags frame_flags;
  guint64      frame_skipped;
  /* The next frame is the rest of a cut one: no skipping before it. */
  gboolean     continuing;
  guint64      skipped;
  gint64       last_time;

  /* delim, line, marker */
  guint        match;
  guint64      skip_from;
  guint8       prev;

  /* len */
  guint        header_seen;
  guint64      field;
  gboolean     have_total;
  guint64      total;
  guint64      done;

  /* slip, cobs */
  gboolean     escape;
  guint64      decoded;
  gint64       bad;
  guint        cobs_left;
  guint        cobs_code;
  guint64      cobs_code_at;

  /* json, jsonl */
  JsonScan     json;
  guint64      values;
};

static inline gboolean
at_limit (SbFramerState *self,
          guint64        position)
{
  return position - self->frame_start >= self->framer->max_frame;
}

/* sb-framer-state.c */
void          sb_framer_state_feed_out  (SbFramerState *self,
                                         const guint8  *data,
                                         gsize          len,
                                         gint64         time_us,
                                         SbFramerOut   *out);
gint64        sb_framer_state_tick_out  (SbFramerState *self,
                                         gint64         now_us,
                                         SbFramerOut   *out);
void          sb_framer_state_end_out   (SbFramerState *self,
                                         SbFramerOut   *out);
void          sb_framer_mark_begin      (SbFramerState *self,
                                         SbFramerOut   *out,
                                         guint64        position);
void          sb_framer_mark_end        (SbFramerState *self,
                                         SbFramerOut   *out,
                                         guint64        position,
                                         SbFrameStatus  status,
                                         SbFrameReason  reason,
                                         guint64        detail);
void          sb_framer_mark_end_missing (SbFramerState *self,
                                         SbFramerOut   *out,
                                         guint64        position,
                                         SbFrameStatus  status,
                                         SbFrameReason  reason,
                                         guint64        detail,
                                         guint64        missing);
void          sb_framer_mark_cut        (SbFramerState *self,
                                         SbFramerOut   *out,
                                         guint64        position);

/* sb-framer-json.c */
void          sb_framer_json_end        (SbFramerState *self,
                                         SbFramerOut   *out,
                                         guint64        position);
void          sb_framer_feed_json       (SbFramerState *self,
                                         const guint8  *data,
                                         gsize          len,
                                         SbFramerOut   *out);
void          sb_framer_feed_json_lines (SbFramerState *self,
                                         const guint8  *data,
                                         gsize          len,
                                         SbFramerOut   *out);

/* sb-framer-collector.c: here so that the state's loops call it inline */
struct _SbFramerCollector
{
  SbFramerOut        out;         /* first: collector_emit() gets it back */
  SbFramerState     *state;

  /* The stream's bytes from @held_start to what was fed last: the frame in
   * progress and the last SB_FRAMER_MAX_PATTERN bytes. */
  GByteArray        *held;
  guint64            held_start;
  GByteArray        *joined;      /* scratch: a frame across feeds */

  /* During a call */
  const guint8      *data;
  guint64            data_start;
  SbFramerFrameFunc  func;
  gpointer           user_data;
  gboolean           stopped;
  gboolean           running;
  gboolean           dying;       /* freed by func: free once the call ends */
  gboolean           ended;       /* ended by func: start over once the call ends */
};

void          sb_framer_collector_join  (SbFramerCollector *self,
                                         guint64            begin,
                                         guint64            end,
                                         const SbFrameInfo *info);

/* A frame ended, from @begin to @end (stream positions): its bytes go to
 * the collector's function from where they are. */
static inline void
collector_emit (SbFramerOut       *out,
                guint64            begin,
                guint64            end,
                const SbFrameInfo *info)
{
  SbFramerCollector *self = (SbFramerCollector *) out;

  if (self->stopped || self->func == NULL)
    return;
  if (G_LIKELY (begin >= self->data_start && end > begin))
    {
      if (!self->func (self->data + (begin - self->data_start), (gsize) (end - begin), info, self->user_data))
        self->stopped = TRUE;
    }
  else
    sb_framer_collector_join (self, begin, end, info);
}

G_END_DECLS
