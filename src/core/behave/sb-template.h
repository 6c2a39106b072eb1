/* sb-template.h — messages with placeholders: parse once, expand many times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A template is what the send panel, auto-reply rules and presets hold: text
 * (encoded in the page's encoding, with the escapes \r \n \t \\ \0 \xNN
 * \uNNNN as sb_codec_encode_escaped() has them) or hex ("01 03 ${seq:u16}"),
 * with placeholders between the literal parts:
 *
 *   ${NAME}  or  ${NAME:ARGS}      ARGS are fields separated by ":"
 *   $${                            a literal "${" (a "$" before anything but
 *                                  "{" is just a "$")
 *
 * Numbers (seq, unix, random, len) take a format field:
 *   dec (the default), hex, HEX    text: decimal, lower/upper case hex;
 *   dec4, hex8, …                  …padded with zeros to that many digits
 *   u8 u16 u32 u64                 binary, big-endian; u16le, u32be, … or a
 *                                  separate "le" / "be" field choose the order
 * Text results (decimal digits, times, uuids, captures) are encoded like the
 * literal text; in a hex template as UTF-8.
 *
 *   ${seq}                 a counter kept in the SbTemplateState: the same
 *                          value everywhere in one message, stepped once per
 *                          message sent. Fields: start=N (default 1), step=N
 *                          (default 1, may be negative), id=NAME (counters
 *                          with another id count apart; the first ${seq} of
 *                          an id in the template sets its start and step),
 *                          and a number format: ${seq:u16}, ${seq:start=0:hex4}.
 *                          Binary formats wrap ("u8" after 255 is 0).
 *   ${time}  ${time:FORMAT}  the context's time: ISO 8601, or a
 *                          g_date_time_format() FORMAT (may hold ":"):
 *                          ${time:%H:%M:%S}
 *   ${unix}  ${unix:ms}    seconds (or milliseconds) since 1970, any format
 *   ${random:A:B}          an integer from A to B (both included), then a
 *                          format: ${random:1:6}, ${random:0:65535:u16le};
 *                          ${random} alone is 0..4294967295, ${random:u8}
 *                          any byte.
 *   ${uuid}  ${uuid:bin}   a random (version 4) UUID as text, or its 16 bytes
 *   ${begin} ${end}        mark a region (nothing is written);
 *   ${begin:NAME} ${end:NAME}  a named one. A region without ${end} runs to
 *                          the end of the message.
 *   ${len} ${len:NAME}     the length in bytes of the region (as encoded), with a
 *                          format (dec by default):
 *                          ${len:u16} ${begin} … . A text-format length (dec,
 *                          hex) cannot lie inside a region a text length measures.
 *   ${rx}                  the frame being answered, as bytes;
 *   ${rx:FIRST:LAST}       its bytes FIRST..LAST, both included, negative from
 *                          the end (-1 the last byte): ${rx:0:1}
 *   ${rx.N}                capture N of the rule's regular expression (0 is the
 *                          whole match); an unmatched group is empty
 *   ${file:PATH}           the contents of a file, read through the context's
 *                          read_file (by default the file itself) at expand time
 *   ${CHECKSUM}            a checksum named as by sb_checksum_new_from_string():
 *                          ${crc-16/modbus} ${crc-32:le} ${lrc} ${crc:width=8,poly=7}.
 *                          It covers every byte of the message before it, or,
 *                          when an unnamed ${begin} comes before it, from there
 *                          (to the ${end} if that comes first too);
 *                          ${crc-32:NAME} covers region NAME, which must not
 *                          hold the checksum. Fields: le / be (default: the
 *                          checksum's), hex / HEX to write it as hex digits
 *                          (encoded like text). A checksum may cover lengths
 *                          and other checksums, but two cannot cover each other.
 *
 * Errors say where: "“${crc16”: missing “}” at position 12"; positions are
 * 1-based characters for people, error_pos 0-based characters.
 */
#pragma once

#include <glib.h>

#include "sb-checksum.h"

G_BEGIN_DECLS

#define SB_TEMPLATE_ERROR (sb_template_error_quark ())

typedef enum
{
  SB_TEMPLATE_ERROR_SYNTAX,    /* an unclosed ${, bad fields, misplaced markers */
  SB_TEMPLATE_ERROR_UNKNOWN,   /* no placeholder of that name; the message names the nearest */
  SB_TEMPLATE_ERROR_LITERAL,   /* literal text cannot be encoded, bad hex or escape */
  SB_TEMPLATE_ERROR_EXPAND,    /* expanding failed: no frame to answer, a file, a value too big */
} SbTemplateError;

typedef enum
{
  SB_TEMPLATE_TEXT,   /* literal parts are text with escapes */
  SB_TEMPLATE_HEX,    /* literal parts are hex bytes */
} SbTemplateMode;

/* What a template depends on, for front ends (the Python export writes a
 * constant template as a bytes literal; a template with RX needs a frame). */
typedef enum
{
  SB_TEMPLATE_USES_NOTHING = 0,
  SB_TEMPLATE_USES_SEQ     = 1 << 0,
  SB_TEMPLATE_USES_TIME    = 1 << 1,   /* time, unix */
  SB_TEMPLATE_USES_RANDOM  = 1 << 2,   /* random, uuid */
  SB_TEMPLATE_USES_RX      = 1 << 3,   /* rx, rx.N */
  SB_TEMPLATE_USES_FILE    = 1 << 4,
} SbTemplateUses;

/* The largest message a template expands to. */
#define SB_TEMPLATE_MAX_SIZE (16 * 1024 * 1024)

/* Reads @path for ${file:PATH}; returns its bytes or NULL with @error set. */
typedef GBytes *(*SbTemplateReadFile) (const char  *path,
                                       gpointer     user_data,
                                       GError     **error);

/* What one expansion sees; every field may be NULL / 0. Borrowed. */
typedef struct
{
  GDateTime           *now;          /* for time and unix; NULL: the current local time */
  GBytes              *rx;           /* the frame being answered */
  const char * const  *rx_groups;    /* its captures as text (an entry may be NULL: unmatched) */
  guint                n_rx_groups;
  SbTemplateReadFile   read_file;    /* NULL: read the file itself */
  gpointer             read_file_data;
} SbTemplateContext;

/* Counters and the random source of one owner (a send panel, a rule, a
 * session). One thread at a time. */
typedef struct _SbTemplateState SbTemplateState;

SbTemplateState    *sb_template_state_new        (void);
/* Random values repeat for a seed: for tests and reproducible runs. */
SbTemplateState    *sb_template_state_new_with_seed (guint32           seed);
void                sb_template_state_free       (SbTemplateState   *state);
/* Every counter starts again from its start. */
void                sb_template_state_reset      (SbTemplateState   *state);

typedef struct _SbTemplate SbTemplate;

GQuark              sb_template_error_quark      (void);

/* Returns the parsed template, or NULL with an error naming the position
 * (*@error_pos, nullable, the 0-based character; -1 on success). @encoding
 * is for the text of SB_TEMPLATE_TEXT (NULL: UTF-8; "hex" makes it a hex
 * template); hex templates write their text results as UTF-8. Literal parts
 * are encoded here, once. Immutable: any thread. */
SbTemplate         *sb_template_parse            (const char        *text,
                                                  SbTemplateMode     mode,
                                                  const char        *encoding,
                                                  glong             *error_pos,
                                                  GError           **error);
SbTemplate         *sb_template_ref              (SbTemplate        *self);
void                sb_template_unref            (SbTemplate        *self);
const char         *sb_template_get_text         (SbTemplate        *self);
SbTemplateMode      sb_template_get_mode         (SbTemplate        *self);
SbTemplateUses      sb_template_get_uses         (SbTemplate        *self);
/* TRUE when every expansion gives the same bytes whatever the state and context. */
gboolean            sb_template_is_constant      (SbTemplate        *self);

/* Returns the bytes to send and steps the state's counters (and its random
 * source). With @state NULL a fresh state is used (every counter at its
 * start); @context may be NULL. Errors (SB_TEMPLATE_ERROR_EXPAND) name the
 * placeholder and its position. */
GBytes             *sb_template_expand           (SbTemplate               *self,
                                                  SbTemplateState          *state,
                                                  const SbTemplateContext  *context,
                                                  GError                  **error);
/* Returns exactly the bytes sb_template_expand() would send next with the same
 * state and context (the same code), and changes nothing. */
GBytes             *sb_template_preview          (SbTemplate               *self,
                                                  SbTemplateState          *state,
                                                  const SbTemplateContext  *context,
                                                  GError                  **error);

/* TRUE when @text holds a "${" that is not "$${": whether to treat it as a template. */
gboolean            sb_template_text_has_placeholders (const char    *text);
/* Placeholder names for completion and help ("seq", "time", …, then the
 * checksum names), NULL-terminated. Static. */
const char * const *sb_template_list_names       (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbTemplate, sb_template_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbTemplateState, sb_template_state_free)

G_END_DECLS
