/* sb-template-private.h — what parsing hands to expanding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-template.h"

G_BEGIN_DECLS

typedef enum
{
  NUM_DEC,
  NUM_HEX,
  NUM_HEX_UPPER,
  NUM_BIN,
} NumKind;

typedef struct
{
  NumKind     kind;
  guint       digits;   /* zero padding of text forms */
  guint       size;     /* bytes of NUM_BIN */
  SbByteOrder order;
} NumFormat;

typedef enum
{
  ITEM_LITERAL,
  ITEM_SEQ,
  ITEM_TIME,
  ITEM_UNIX,
  ITEM_RANDOM,
  ITEM_UUID,
  ITEM_BEGIN,
  ITEM_END,
  ITEM_LEN,
  ITEM_RX,
  ITEM_RX_GROUP,
  ITEM_FILE,
  ITEM_CHECKSUM,
} ItemKind;

typedef struct
{
  ItemKind     kind;
  glong        pos;        /* 0-based character of the "$" (or of the literal) */
  char        *source;     /* the placeholder as written, for messages */
  GBytes      *literal;    /* ITEM_LITERAL */
  NumFormat    num;        /* seq, unix, random, len */
  char        *arg;        /* seq id, time format (NULL: ISO 8601), file path, region name */
  gint64       a;          /* seq start, random low, rx first, group number */
  gint64       b;          /* seq step, random high, rx last */
  gboolean     flag;       /* unix in ms, uuid as bytes, rx sliced, checksum as hex text */
  gboolean     upper;      /* checksum as upper-case hex */
  SbChecksum  *checksum;
  SbByteOrder  order;      /* checksum byte order */
  int          first;      /* len and checksum: the region is the items after */
  int          last;       /* first and before last (-1 and n_items for the whole message) */
} Item;

struct _SbTemplate
{
  gatomicrefcount  ref_count;
  char            *text;
  SbTemplateMode   mode;
  char            *encoding;    /* of text results: the page's, or UTF-8 for hex */
  GArray          *items;       /* Item */
  SbTemplateUses   uses;
};

struct _SbTemplateState
{
  GHashTable *counters;   /* seq id → gint64* next value */
  GRand      *rand;
};

/* The position of @item for people (1-based). */
#define ITEM_POS(item) ((item)->pos + 1)

G_END_DECLS
