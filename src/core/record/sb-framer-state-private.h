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
void          sb_framer_mark_begin      (SbFramerState *self,
                                         GArray        *marks,
                                         guint64        position);
void          sb_framer_mark_end        (SbFramerState *self,
                                         GArray        *marks,
                                         guint64        position,
                                         SbFrameStatus  status,
                                         SbFrameReason  reason,
                                         guint64        detail);
void          sb_framer_mark_cut        (SbFramerState *self,
                                         GArray        *marks,
                                         guint64        position);

/* sb-framer-json.c */
void          sb_framer_json_end        (SbFramerState *self,
                                         GArray        *marks,
                                         guint64        position);
void          sb_framer_feed_json       (SbFramerState *self,
                                         const guint8  *data,
                                         gsize          len,
                                         GArray        *marks);
void          sb_framer_feed_json_lines (SbFramerState *self,
                                         const guint8  *data,
                                         gsize          len,
                                         GArray        *marks);

G_END_DECLS
