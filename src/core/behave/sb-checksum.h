/* sb-checksum.h — sums and CRCs of frames, and checking them on receive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names are those of the CRC catalogue (reveng.sourceforge.io), lower case:
 *   crc-16/modbus  crc-32  crc-16/ccitt-false  crc-16/xmodem
 *   crc-16/arc (alias crc-16/ibm)  crc-32c  crc-8  sum8  xor8  lrc
 * and a custom CRC in the Rocksoft model, written
 *   crc:width=16,poly=0x8005,init=0xffff,refin=true,refout=true,xorout=0
 * (keys in any order, separated by commas or blanks; init and xorout default
 * to 0, refin to false, refout to refin; width is 1..64).
 *
 * Any thread: checksums are immutable once made.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_CHECKSUM_ERROR (sb_checksum_error_quark ())

typedef enum
{
  SB_CHECKSUM_ERROR_UNKNOWN,   /* no checksum of that name; the message names the nearest */
  SB_CHECKSUM_ERROR_INVALID,   /* bad custom CRC parameters or check spec */
} SbChecksumError;

typedef enum
{
  SB_BYTE_ORDER_BIG,      /* most significant byte first ("be") */
  SB_BYTE_ORDER_LITTLE,   /* least significant byte first ("le") */
} SbByteOrder;

typedef struct
{
  guint     width;    /* bits, 1..64 */
  guint64   poly;     /* unreflected, without the top bit */
  guint64   init;
  gboolean  refin;
  gboolean  refout;
  guint64   xorout;
} SbCrcParams;

typedef struct _SbChecksum SbChecksum;

GQuark              sb_checksum_error_quark      (void);

/* Returns the catalogue's names, in the order a menu shows them
 * (crc-16/modbus first), NULL-terminated. Static. Aliases are not listed. */
const char * const *sb_checksum_list_names       (void);
/* Returns the checksum named @name (catalogue name or alias, any case; or a
 * "crc:…" custom CRC), or NULL with SB_CHECKSUM_ERROR_UNKNOWN naming the
 * nearest catalogue name, or SB_CHECKSUM_ERROR_INVALID for bad parameters.
 * Owned by the caller (sb_checksum_unref). */
SbChecksum         *sb_checksum_new_from_string  (const char         *name,
                                                  GError            **error);
/* Returns a custom CRC, or NULL with SB_CHECKSUM_ERROR_INVALID. */
SbChecksum         *sb_checksum_new_crc          (const SbCrcParams  *params,
                                                  GError            **error);
SbChecksum         *sb_checksum_ref              (SbChecksum         *self);
void                sb_checksum_unref            (SbChecksum         *self);

/* The catalogue name ("crc-16/modbus"), or the "crc:…" form of a custom CRC,
 * which sb_checksum_new_from_string() reads back. Owned by @self. */
const char         *sb_checksum_get_name         (const SbChecksum   *self);
guint               sb_checksum_get_width        (const SbChecksum   *self);   /* bits */
guint               sb_checksum_get_size         (const SbChecksum   *self);   /* bytes on the wire: 1..8 */
/* Little-endian for crc-16/modbus (as Modbus RTU sends it), big otherwise. */
SbByteOrder         sb_checksum_get_byte_order   (const SbChecksum   *self);
/* Returns FALSE for sum8, xor8 and lrc; fills @params (nullable) for a CRC. */
gboolean            sb_checksum_get_crc_params   (const SbChecksum   *self,
                                                  SbCrcParams        *params);

/* Returns the checksum of @len bytes. */
guint64             sb_checksum_compute          (const SbChecksum   *self,
                                                  const guint8       *data,
                                                  gsize               len);
/* The same in pieces: start, update any number of times, finish. */
guint64             sb_checksum_start            (const SbChecksum   *self);
guint64             sb_checksum_update           (const SbChecksum   *self,
                                                  guint64             state,
                                                  const guint8       *data,
                                                  gsize               len);
guint64             sb_checksum_finish           (const SbChecksum   *self,
                                                  guint64             state);

/* Writes the low @size bytes (1..8) of @value to @out in @order. */
void                sb_put_uint                  (guint64             value,
                                                  guint               size,
                                                  SbByteOrder         order,
                                                  guint8             *out);
/* Reads @size bytes (1..8) from @data in @order. */
guint64             sb_get_uint                  (const guint8       *data,
                                                  guint               size,
                                                  SbByteOrder         order);
/* "le" / "be" and back; FALSE for anything else. */
gboolean            sb_byte_order_from_string    (const char         *text,
                                                  SbByteOrder        *order);
const char         *sb_byte_order_to_string      (SbByteOrder         order);

/* The catalogue name nearest to @name (ignoring case, "-" and "/"; a name
 * that starts with what was typed is nearest). Static. */
const char         *sb_checksum_nearest_name     (const char         *name);

/* The name of @names (NULL-terminated) nearest to @typed, by the same
 * measure; NULL when @names is empty. For "did you mean" in messages. */
const char         *sb_nearest_name              (const char         *typed,
                                                  const char * const *names);

/* Checking frames on receive.
 *
 * Spec strings (what --check= and presets store):
 *   NAME[:FIRST:LAST][:le|:be]
 * NAME as for sb_checksum_new_from_string() ("crc:…" takes the parameters
 * as its next field). The checksum covers bytes FIRST..LAST of the frame,
 * both included; negative numbers count from the end (-1 is the last byte).
 * The checksum itself is the get_size() bytes right after LAST. Without
 * FIRST:LAST it covers every byte but the checksum at the end:
 * "crc-16/modbus" is "crc-16/modbus:0:-3". The byte order defaults to the
 * checksum's own. */
typedef struct _SbCheckSpec SbCheckSpec;

typedef enum
{
  SB_CHECK_OK,      /* the checksum in the frame is the one computed */
  SB_CHECK_BAD,     /* it is not: see expected and found */
  SB_CHECK_SHORT,   /* the frame is too short to hold the range and the checksum */
  SB_CHECK_NONE,    /* not checked: no check set, a sent frame, or one not ended */
} SbCheckStatus;

typedef struct
{
  SbCheckStatus status;
  guint64       expected;   /* computed over the range (OK, BAD) */
  guint64       found;      /* read from the frame (OK, BAD) */
  gsize         first;      /* the range covered, both included (OK, BAD) */
  gsize         last;
  gsize         at;         /* where the checksum sits in the frame (OK, BAD) */
} SbCheckResult;

/* Returns the parsed spec, or NULL with an error naming the bad field. */
SbCheckSpec        *sb_check_spec_parse          (const char         *text,
                                                  GError            **error);
void                sb_check_spec_free           (SbCheckSpec        *spec);
SbCheckSpec        *sb_check_spec_copy           (const SbCheckSpec  *spec);
/* The shortest string that parses back to the same spec
 * ("crc-16/modbus:0:-3:le" gives "crc-16/modbus"). Newly allocated. */
char               *sb_check_spec_to_string      (const SbCheckSpec  *spec);
/* Borrowed; valid as long as @spec. */
SbChecksum         *sb_check_spec_get_checksum   (const SbCheckSpec  *spec);
/* Checks one frame; fills @result (nullable) and returns its status. */
SbCheckStatus       sb_check_spec_verify         (const SbCheckSpec  *spec,
                                                  const guint8       *data,
                                                  gsize               len,
                                                  SbCheckResult      *result);
/* "CRC-16/MODBUS ok (c5 cd)", "CRC-16/MODBUS bad: expected c5 cd, found 00 00",
 * "CRC-16/MODBUS: frame too short (3 bytes)". Newly allocated, translated. */
char               *sb_check_result_describe     (const SbCheckSpec  *spec,
                                                  const SbCheckResult *result,
                                                  gsize               len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbChecksum, sb_checksum_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbCheckSpec, sb_check_spec_free)

G_END_DECLS
