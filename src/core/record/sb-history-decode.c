/* sb-history-decode.c — records as text, each as part of its stream
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history"

#include "config.h"

#include "sb-history-private.h"

/* SbStreamLookupFunc over the store: indexes are serials. */
static gboolean
lookup_serial (gpointer        source,
               guint64         serial,
               SbStreamRecord *out)
{
  SbHistory *self = source;
  const Record *record;

  if (!store_has (self, serial))
    return FALSE;

  record = record_at (self, serial);
  out->data = _sb_history_record_data (self, record);
  out->length = record->length;
  out->prev = record->prev_delta != 0 ? serial - record->prev_delta : SB_STREAM_NO_RECORD;
  out->continued = (record->flags & RECORD_HAS_SUCCESSOR) != 0;
  out->is_event = record->direction == SB_DIRECTION_EVENT;
  return TRUE;
}

/* Returns the decode for @encoding and @flags, reusing the last one;
 * NULL if the codec does not support @encoding. */
static SbStreamDecode *
ensure_stream_decode (SbHistory     *self,
                      const char    *encoding,
                      SbDecodeFlags  flags)
{
  g_autoptr(GError) error = NULL;
  SbStreamDecode *decode;

  if (self->stream_decode != NULL &&
      sb_stream_decode_get_flags (self->stream_decode) == flags &&
      g_strcmp0 (sb_stream_decode_get_encoding (self->stream_decode),
                 sb_codec_canonical_name (encoding)) == 0)
    return self->stream_decode;

  decode = sb_stream_decode_new (encoding, flags, &error);
  if (decode == NULL)
    {
      g_debug ("Cannot decode history as %s: %s", encoding, error->message);
      return NULL;
    }

  g_clear_pointer (&self->stream_decode, sb_stream_decode_free);
  self->stream_decode = decode;
  return decode;
}

static char *
decode_record (SbHistory     *self,
               guint          position,
               const char    *encoding,
               SbDecodeFlags  flags,
               GArray        *marks,
               gsize          max_bytes,
               gboolean      *truncated)
{
  SbStreamDecode *decode;
  SbStreamSpan span;
  const Record *record;
  GString *out;
  guint64 serial;

  g_return_val_if_fail (SB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (position < visible_count (self), NULL);
  g_return_val_if_fail (encoding != NULL, NULL);

  record = lookup_position (self, position, &serial);
  if (record == NULL)
    {
      if (truncated != NULL)
        *truncated = FALSE;
      return g_strdup ("");
    }

  decode = ensure_stream_decode (self, encoding, flags);
  if (decode == NULL)
    /* As hex; events still read as their message. */
    decode = ensure_stream_decode (self, SB_ENCODING_HEX, flags);

  out = g_string_new (NULL);
  sb_stream_decode_append (decode, lookup_serial, self, serial, max_bytes, out, marks, &span);
  if (truncated != NULL)
    *truncated = span.truncated;

  return g_string_free (out, FALSE);
}

char *
sb_history_decode (SbHistory     *self,
                   guint          position,
                   const char    *encoding,
                   SbDecodeFlags  flags,
                   GArray        *marks)
{
  HISTORY_LOCKED (self);
  return decode_record (self, position, encoding, flags, marks, G_MAXSIZE, NULL);
}

char *
sb_history_decode_prefix (SbHistory     *self,
                          guint          position,
                          const char    *encoding,
                          SbDecodeFlags  flags,
                          GArray        *marks,
                          gsize          max_bytes,
                          gboolean      *truncated)
{
  HISTORY_LOCKED (self);
  return decode_record (self, position, encoding, flags, marks, max_bytes, truncated);
}

gboolean
sb_history_get_stream_span (SbHistory    *self,
                            guint         position,
                            const char   *encoding,
                            SbStreamSpan *span)
{
  HISTORY_LOCKED (self);
  g_autoptr(GString) scratch = NULL;
  SbStreamDecode *decode;
  const Record *record;
  guint64 serial;

  g_return_val_if_fail (SB_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (position < visible_count (self), FALSE);
  g_return_val_if_fail (encoding != NULL, FALSE);
  g_return_val_if_fail (span != NULL, FALSE);

  *span = (SbStreamSpan) { .carry_len = 0 };

  record = lookup_position (self, position, &serial);
  if (record == NULL || record->direction == SB_DIRECTION_EVENT)
    return FALSE;

  decode = ensure_stream_decode (self, encoding, SB_DECODE_DEFAULT);
  if (decode == NULL || g_strcmp0 (sb_stream_decode_get_encoding (decode), SB_ENCODING_HEX) == 0)
    return FALSE;

  scratch = g_string_new (NULL);
  return sb_stream_decode_append (decode, lookup_serial, self, serial, G_MAXSIZE, scratch, NULL, span);
}
