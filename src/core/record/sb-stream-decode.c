/* sb-stream-decode.c — the text of one record as part of its stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-stream-decode"

#include "config.h"

#include <string.h>

#include "sb-stream-decode.h"

/* How far decode looks back in a stream for the unfinished character a
 * record starts with. A character has at most 4 bytes, so 4 records always;
 * further only while the records seen are tiny, because in GBK, Big5 or
 * Shift_JIS where a character starts depends on the bytes before it, back to
 * the last ASCII byte. Beyond this a split character shows as escapes. */
#define CARRY_DEPTH        4
#define CARRY_BYTES        256
#define CARRY_MAX_DEPTH    64

/* What the unfinished character at the end of a record depends on. */
typedef enum
{
  SYNC_NONE,      /* possibly every byte before it (UTF-16) */
  SYNC_UTF8,      /* its last 3 bytes */
  SYNC_ASCII,     /* the bytes after a byte below 0x30 with 3 more after it */
  SYNC_SINGLE,    /* nothing: one byte is one character */
} Sync;

struct _SbStreamDecode
{
  const char    *encoding;      /* canonical, static */
  SbDecodeFlags  flags;
  gboolean       is_hex;
  Sync           sync;

  /* Owned */
  SbDecoder     *decoder;
  SbDecoder     *event_decoder; /* UTF-8, made on first use */
  GString       *scratch;
};

static Sync
sync_of (const char *encoding)
{
  /* In these a byte below 0x30 is never part of a multi-byte character
   * (GB18030's digits 0x30–0x39 are), so it ends any unfinished one; the
   * decoder waits for at most 3 bytes after a lead byte before it decides. */
  static const char * const ascii_sync[] = {
    "GBK", "GB18030", "Big5", "Shift_JIS", "EUC-JP", "EUC-KR",
  };
  static const char * const single[] = {
    "ISO-8859-1", "Windows-1252", "KOI8-R",
  };

  if (g_strcmp0 (encoding, "UTF-8") == 0)
    return SYNC_UTF8;
  for (guint i = 0; i < G_N_ELEMENTS (ascii_sync); i++)
    if (g_strcmp0 (encoding, ascii_sync[i]) == 0)
      return SYNC_ASCII;
  for (guint i = 0; i < G_N_ELEMENTS (single); i++)
    if (g_strcmp0 (encoding, single[i]) == 0)
      return SYNC_SINGLE;
  return SYNC_NONE;
}

SbStreamDecode *
sb_stream_decode_new (const char     *encoding,
                      SbDecodeFlags   flags,
                      GError        **error)
{
  g_autoptr(SbStreamDecode) self = NULL;
  SbDecoder *decoder;

  g_return_val_if_fail (encoding != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Sets the codec's error for an encoding it does not know. */
  decoder = sb_decoder_new (encoding, flags, error);
  if (decoder == NULL)
    return NULL;

  self = g_new0 (SbStreamDecode, 1);
  self->decoder = decoder;
  self->encoding = sb_codec_canonical_name (encoding);
  self->flags = flags;
  self->is_hex = g_strcmp0 (self->encoding, SB_ENCODING_HEX) == 0;
  self->sync = sync_of (self->encoding);
  self->scratch = g_string_new (NULL);

  return g_steal_pointer (&self);
}

void
sb_stream_decode_free (SbStreamDecode *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->decoder, sb_decoder_free);
  g_clear_pointer (&self->event_decoder, sb_decoder_free);
  g_string_free (self->scratch, TRUE);
  g_free (self);
}

const char *
sb_stream_decode_get_encoding (SbStreamDecode *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->encoding;
}

SbDecodeFlags
sb_stream_decode_get_flags (SbStreamDecode *self)
{
  g_return_val_if_fail (self != NULL, SB_DECODE_DEFAULT);

  return self->flags;
}

static void
feed (SbDecoder    *decoder,
      const guint8 *data,
      gsize         len,
      GString      *out,
      GArray       *marks)
{
  if (len > 0)
    sb_decoder_feed (decoder, data, len, out, marks);
}

/* Sets @tail to the bytes of the character left unfinished at the end of
 * @record, which may include bytes it received from its own predecessors
 * (a 4-byte character over 4 one-byte records). */
static void
get_tail (SbStreamDecode       *self,
          SbStreamLookupFunc    lookup,
          gpointer              source,
          const SbStreamRecord *record,
          guint                 depth,
          gsize                 seen,
          GByteArray           *tail)
{
  SbDecoder *decoder = self->decoder;
  const guint8 *data = record->data;
  g_autoptr(GByteArray) carry = NULL;
  SbStreamRecord prev;
  gsize sync_from;
  gsize pending;

  /* The bytes that decide the tail, when they are fewer than the record:
   * UTF-8 resynchronizes on every lead byte and an unfinished character has
   * at most 3 bytes, so the last 3 bytes decide, however long the record
   * (a 64 KiB read is not decoded again to find it); in GBK and its kin the
   * bytes after a resync point do, without any earlier record. */
  if (self->sync == SYNC_SINGLE)
    {
      g_byte_array_set_size (tail, 0);
      return;
    }

  sync_from = record->length;
  if (self->sync == SYNC_UTF8 && record->length >= 3)
    sync_from = record->length - 3;
  else if (self->sync == SYNC_ASCII)
    {
      for (gsize i = record->length; i >= 4; i--)
        if (data[i - 4] < 0x30)
          {
            sync_from = i - 3;
            break;
          }
    }

  if (sync_from < record->length)
    {
      gsize n = record->length - sync_from;

      g_byte_array_set_size (tail, 0);
      sb_decoder_reset (decoder);
      g_string_truncate (self->scratch, 0);
      feed (decoder, data + sync_from, n, self->scratch, NULL);
      pending = MIN (sb_decoder_get_pending (decoder), n);
      sb_decoder_reset (decoder);
      g_byte_array_append (tail, data + record->length - pending, pending);
      return;
    }

  /* @seen: bytes of the records between this one and the one being shown */
  carry = g_byte_array_new ();
  seen += record->length;
  if (record->prev != SB_STREAM_NO_RECORD &&
      (depth < CARRY_DEPTH || (seen < CARRY_BYTES && depth < CARRY_MAX_DEPTH)) &&
      lookup (source, record->prev, &prev) && !prev.is_event)
    get_tail (self, lookup, source, &prev, depth + 1, seen, carry);

  sb_decoder_reset (decoder);
  g_string_truncate (self->scratch, 0);
  feed (decoder, carry->data, carry->len, self->scratch, NULL);
  feed (decoder, data, record->length, self->scratch, NULL);
  pending = MIN (sb_decoder_get_pending (decoder), carry->len + record->length);
  sb_decoder_reset (decoder);

  /* The pending bytes are the last ones fed: carry + data. */
  g_byte_array_set_size (tail, 0);
  if (pending > record->length)
    {
      gsize from_carry = pending - record->length;

      g_byte_array_append (tail, carry->data + carry->len - from_carry, from_carry);
      g_byte_array_append (tail, data, record->length);
    }
  else if (pending > 0)
    g_byte_array_append (tail, data + record->length - pending, pending);
}

gboolean
sb_stream_decode_append (SbStreamDecode     *self,
                         SbStreamLookupFunc  lookup,
                         gpointer            source,
                         guint64             index,
                         gsize               max_bytes,
                         GString            *out,
                         GArray             *marks,
                         SbStreamSpan       *span)
{
  g_autoptr(GByteArray) carry = NULL;
  SbStreamRecord record, prev;
  gsize length, pending;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (lookup != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (span != NULL)
    memset (span, 0, sizeof *span);

  memset (&record, 0, sizeof record);
  if (!lookup (source, index, &record))
    return FALSE;

  length = MIN (record.length, max_bytes);
  if (span != NULL)
    span->truncated = length < record.length;

  if (record.is_event)
    {
      /* Event payloads are UTF-8 messages, whatever the view encoding. */
      if (self->event_decoder == NULL)
        self->event_decoder = sb_decoder_new ("UTF-8", self->flags, NULL);
      feed (self->event_decoder, record.data, length, out, marks);
      sb_decoder_finish (self->event_decoder, out, marks);
      return TRUE;
    }

  if (self->is_hex)
    {
      g_autofree char *hex = sb_codec_format_hex (record.data, length);

      g_string_append (out, hex);
      return TRUE;
    }

  carry = g_byte_array_new ();
  if (record.prev != SB_STREAM_NO_RECORD && lookup (source, record.prev, &prev) && !prev.is_event)
    get_tail (self, lookup, source, &prev, 1, 0, carry);

  sb_decoder_reset (self->decoder);
  feed (self->decoder, carry->data, carry->len, out, marks);
  feed (self->decoder, record.data, length, out, marks);

  if (span != NULL && carry->len > 0)
    {
      span->carry_len = MIN (carry->len, SB_STREAM_MAX_CARRY);
      memcpy (span->carry, carry->data + carry->len - span->carry_len, span->carry_len);
    }

  /* An unfinished character is shown by the next record of the stream; one
   * cut by @max_bytes is not shown at all. */
  if (record.continued || length < record.length)
    {
      pending = sb_decoder_get_pending (self->decoder);
      if (span != NULL && record.continued && length == record.length)
        span->handed_on = MIN (pending, record.length);
      sb_decoder_reset (self->decoder);
    }
  else
    sb_decoder_finish (self->decoder, out, marks);

  return TRUE;
}
