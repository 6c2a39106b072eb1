/* sb-codec-private.h — what the parts of sb-codec share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-codec.h"

G_BEGIN_DECLS

/* Longest character of any encoding below, and the most bytes a decoder
 * ever keeps between feeds (an incomplete character is shorter than that). */
#define MAX_CHAR_LEN 4
#define MAX_PENDING  8

typedef enum
{
  CODEC_ICONV,
  CODEC_UTF8,   /* hand-written: faster, and glibc accepts UTF-8 above U+10FFFF */
  CODEC_HEX,
} CodecKind;

typedef struct
{
  SbEncodingInfo  info;
  const char     *iconv_name;
  CodecKind       kind;
  guint8          unit;          /* bytes escaped when a code unit is invalid */
} CodecEntry;

static const char hex_digits[] = "0123456789abcdef";

/* sb-codec.c */
const CodecEntry *_sb_codec_lookup_entry (const char  *name,
                                          GError     **error);
char             *_sb_codec_dup_char     (const char  *p);
gboolean          _sb_codec_check_text   (const char  *text,
                                          gsize        len,
                                          glong       *error_pos,
                                          GError     **error);

/* sb-codec-hex.c */
GBytes           *_sb_codec_parse_hex    (const char  *text,
                                          gsize        len,
                                          glong       *error_pos,
                                          GError     **error);

G_END_DECLS
