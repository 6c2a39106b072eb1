/* sb-framer-private.h — what sb-framer.c and sb-framer-state.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-framer.h"

G_BEGIN_DECLS

struct _SbFramer
{
  gatomicrefcount ref_count;
  SbFramerKind    kind;
  gsize           max_frame;

  /* delim, marker */
  guint8          pattern[SB_FRAMER_MAX_PATTERN];
  guint           pattern_len;
  /* Knuth–Morris–Pratt fallback: longest proper prefix that is also a
   * suffix of pattern[0 … i]. */
  guint8          fallback[SB_FRAMER_MAX_PATTERN];
  gboolean        strip;

  /* fixed: length; gap: milliseconds */
  guint           number;

  /* len */
  guint           size;
  gboolean        big_endian;
  guint           offset;
  gint            adjust;
  gboolean        counts_header;
};

#define SLIP_END     0xc0
#define SLIP_ESC     0xdb
#define SLIP_ESC_END 0xdc
#define SLIP_ESC_ESC 0xdd

G_END_DECLS
