/* sb-inspect.h — how a message's bytes make its characters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SB_UNIT_CHAR,        /* bytes that make one character (or a few, for combining encodings) */
  SB_UNIT_INVALID,     /* one byte that is not valid here */
  SB_UNIT_INCOMPLETE,  /* the start of a character cut off at the end */
} SbUnitKind;

typedef struct
{
  guint      offset;   /* first byte, from the start of the message */
  guint      length;   /* bytes in this unit */
  SbUnitKind kind;
  /* The character as UTF-8 (empty for invalid and incomplete units). */
  char       text[16];
} SbUnit;

/* Splits @data into units of @encoding: every byte belongs to exactly one
 * unit, in order. "hex" gives one unit per byte. Returns a GArray of SbUnit,
 * or NULL with @error for an unknown encoding. */
GArray *sb_inspect_units     (const char    *encoding,
                              const guint8  *data,
                              gsize          len,
                              GError       **error);

/* Why @unit is invalid or incomplete, in words ("0xff cannot start a GBK
 * character"), or NULL for a character. Newly allocated. */
char   *sb_inspect_describe  (const SbUnit  *unit,
                              const char    *encoding,
                              const guint8  *data,
                              gsize          len);

G_END_DECLS
