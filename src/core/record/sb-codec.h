/* sb-codec.h — text ⇄ bytes, hex and escapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_CODEC_ERROR (sb_codec_error_quark ())

typedef enum
{
  SB_CODEC_ERROR_UNSUPPORTED,   /* the encoding is not known to iconv */
  SB_CODEC_ERROR_UNENCODABLE,   /* a character cannot be written in the encoding */
  SB_CODEC_ERROR_INVALID_HEX,   /* hex text could not be parsed */
  SB_CODEC_ERROR_INVALID_ESCAPE,/* a backslash escape could not be parsed */
  SB_CODEC_ERROR_INVALID_TEXT,  /* the input text is not valid UTF-8 */
} SbCodecError;

typedef enum
{
  SB_DECODE_DEFAULT         = 0,
  /* Also write \r \n \t \0 \\ and other C0 controls / DEL as escapes,
   * so the result fits on one line (headless output, list cells), and
   * C1 controls, U+2028–U+202E and U+2066–U+2069 as \uNNNN, so received
   * text can neither drive a terminal nor reorder what is shown. */
  SB_DECODE_ESCAPE_CONTROLS = 1 << 0,
} SbDecodeFlags;

/* A range [start, end) of byte offsets in decoded UTF-8 output that is an
 * escape standing for bytes invalid in the encoding. Offsets are into the
 * whole output GString (after what it held before); one mark per \xNN. */
typedef struct
{
  guint start;
  guint end;
} SbTextMark;

typedef struct
{
  const char *name;         /* canonical name shown to users, e.g. "GBK" */
  const char *description;  /* untranslated, marked with N_(), e.g. "Simplified Chinese (Windows)" */
} SbEncodingInfo;

/* The pseudo-encoding that shows bytes as hex pairs ("48 65 6c"; a decoder
 * joins feeds with a space and ignores its flags); encoding it parses hex. */
#define SB_ENCODING_HEX "hex"

GQuark                sb_codec_error_quark      (void);

/* Returns the static table of encodings offered to users (UTF-8 first, "hex" last). */
const SbEncodingInfo *sb_codec_get_encodings    (guint          *n_encodings);

/* Returns the canonical name for @name (case-insensitive, aliases such as
 * "utf8", "cp936", "latin1" accepted; "-", "_" and spaces are ignored), or
 * NULL when it is not supported. Static string. */
const char           *sb_codec_canonical_name   (const char     *name);

/* Whether @c must not reach a screen, log or file raw: it would act on a
 * terminal or change what the text around it looks like instead of being
 * seen. C0 and C1 controls, DEL, the line and paragraph separators, the
 * bidirectional marks, embeddings, overrides and isolates (U+200E, U+200F,
 * U+061C, U+202A–U+202E, U+2066–U+2069), the zero width space (U+200B), the
 * zero width (non-)joiners (U+200C, U+200D) and a byte order mark (U+FEFF).
 * Decoded data (SB_DECODE_ESCAPE_CONTROLS) and peer labels both use it. */
gboolean              sb_codec_unichar_needs_escape (gunichar c);

/* Stateful decoder for one stream (one peer, one direction).
 *
 * Decoding is lossless: a byte invalid in the encoding is written as \xNN
 * (lower case) and marked; decoding resumes at the next byte. In UTF-16 an
 * invalid code unit (a lone surrogate) is two escapes, so the stream stays
 * aligned. UTF-8 rejects overlongs, surrogates and values above U+10FFFF.
 * Feeding the same bytes whole or cut anywhere gives the same text and marks.
 * Without SB_DECODE_ESCAPE_CONTROLS, controls (U+0000 too) are written as is. */
typedef struct _SbDecoder SbDecoder;

SbDecoder            *sb_decoder_new            (const char     *encoding,
                                                 SbDecodeFlags   flags,
                                                 GError        **error);
void                  sb_decoder_free           (SbDecoder      *decoder);
void                  sb_decoder_reset          (SbDecoder      *decoder);
/* Appends the text of @data to @out. Invalid bytes become \xNN escapes whose
 * ranges are appended to @marks (a GArray of SbTextMark, nullable). A trailing
 * incomplete character is kept and completed by the next call. */
void                  sb_decoder_feed           (SbDecoder      *decoder,
                                                 const guint8   *data,
                                                 gsize           len,
                                                 GString        *out,
                                                 GArray         *marks);
/* Writes bytes still kept (an unfinished character) as escapes, and resets.
 * Resyncs after each escaped byte: GB18030 81 30 81 gives "\x810\x81". */
void                  sb_decoder_finish         (SbDecoder      *decoder,
                                                 GString        *out,
                                                 GArray         *marks);
/* Returns how many bytes are kept waiting for the rest of a character. */
gsize                 sb_decoder_get_pending    (SbDecoder      *decoder);

/* One-shot lossless decode; a trailing incomplete character is escaped.
 * @encoding must be supported (see sb_codec_canonical_name()). Returns a newly
 * allocated UTF-8 string; use SB_DECODE_ESCAPE_CONTROLS if the data may hold
 * NULs, which would end the string early. */
char                 *sb_codec_decode           (const char     *encoding,
                                                 const guint8   *data,
                                                 gsize           len,
                                                 SbDecodeFlags   flags,
                                                 GArray         *marks);

/* Encodes UTF-8 @text (@len bytes, or -1 if nul-terminated); no byte order
 * mark is written. A character that would not read back as itself (glibc
 * writes some anyway, e.g. "\" in Shift_JIS) is SB_CODEC_ERROR_UNENCODABLE;
 * invalid UTF-8 is SB_CODEC_ERROR_INVALID_TEXT. On failure sets @error naming
 * the character and its position (1-based, for people), and *@error_pos
 * (nullable) to the character index (0-based); -1 on success. With
 * SB_ENCODING_HEX, @text is parsed as by sb_codec_parse_hex(). */
GBytes               *sb_codec_encode           (const char     *encoding,
                                                 const char     *text,
                                                 gssize          len,
                                                 glong          *error_pos,
                                                 GError        **error);
/* Like sb_codec_encode(), after parsing \r \n \t \\ \0 \xNN \uNNNN: text
 * between escapes is encoded, \xNN is the raw byte NN. \r \n \t \\ \0 and
 * \uNNNN are characters, encoded like text (\n is 0a 00 in UTF-16LE). Any other escape,
 * \x without two hex digits or a lone trailing backslash is
 * SB_CODEC_ERROR_INVALID_ESCAPE. Positions are in the original @text. */
GBytes               *sb_codec_encode_escaped   (const char     *encoding,
                                                 const char     *text,
                                                 gssize          len,
                                                 glong          *error_pos,
                                                 GError        **error);

/* "48 65 6c" (lower case, one space between bytes). Newly allocated. */
char                 *sb_codec_format_hex       (const guint8   *data,
                                                 gsize           len);
/* Accepts "48 65", "4865", "0x48,0x65", "48:65" (and mixes of blanks, commas,
 * colons, dashes, tabs and newlines as separators); "" gives empty bytes.
 * Fails with SB_CODEC_ERROR_INVALID_HEX (SB_CODEC_ERROR_INVALID_TEXT if @text
 * is not UTF-8). On failure *@error_pos is the character index (0-based) of
 * the bad character or of the run with an odd number of digits; -1 on success. */
GBytes               *sb_codec_parse_hex        (const char     *text,
                                                 glong          *error_pos,
                                                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbDecoder, sb_decoder_free)

/* The encoding a user of these languages (most wanted first, as
 * g_get_language_names() gives them) most likely meets: GB18030 for
 * Simplified Chinese, Big5 for Traditional, UTF-8 otherwise. Static. */
const char    *sb_codec_encoding_for_languages (const char * const *languages);
/* The same for the languages of this process. */
const char    *sb_codec_default_encoding       (void);

G_END_DECLS
