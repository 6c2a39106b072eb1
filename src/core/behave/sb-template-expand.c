/* sb-template-expand.c — a parsed template to the bytes of one message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass makes every part whose bytes it can (literals, counters, times,
 * captures, files) and sizes the rest; lengths written as text come next
 * (their regions hold only parts of known size), then binary lengths once
 * every offset is known, and checksums last, each once nothing it covers
 * is still to be written. Preview and send are this same code; only the
 * last step (stepping the counters) differs.
 */
#define G_LOG_DOMAIN "sb-template"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-template-private.h"

typedef struct
{
  gint64 value;
  gint64 step;
} SeqValue;

typedef struct
{
  SbTemplate              *tmpl;
  SbTemplateState         *state;
  GRand                   *rand;       /* the state's, or a copy for a preview */
  GHashTable              *seqs;       /* id → SeqValue of this message */
  GDateTime               *now;
  const SbTemplateContext *context;
} Expander;

G_GNUC_PRINTF (3, 4) static gboolean
fail (GError     **error,
      const Item  *item,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_EXPAND,
               _("“%s” at position %ld: %s"), item->source, ITEM_POS (item), detail);
  return FALSE;
}

static GBytes *
encode_text (Expander    *e,
             const Item  *item,
             const char  *text,
             gssize       len,
             GError     **error)
{
  g_autoptr(GError) local = NULL;
  GBytes *bytes = sb_codec_encode (e->tmpl->encoding, text, len, NULL, &local);

  if (bytes == NULL)
    fail (error, item, "%s", local->message);
  return bytes;
}

static GBytes *
format_number (Expander    *e,
               const Item  *item,
               gint64       value,
               GError     **error)
{
  g_autofree char *text = NULL;

  switch (item->num.kind)
    {
    case NUM_BIN:
      {
        guint8 bytes[8];

        sb_put_uint ((guint64) value, item->num.size, item->num.order, bytes);
        return g_bytes_new (bytes, item->num.size);
      }
    case NUM_HEX:
      text = g_strdup_printf ("%0*" G_GINT64_MODIFIER "x", (int) item->num.digits, (guint64) value);
      break;
    case NUM_HEX_UPPER:
      text = g_strdup_printf ("%0*" G_GINT64_MODIFIER "X", (int) item->num.digits, (guint64) value);
      break;
    case NUM_DEC:
    default:
      text = g_strdup_printf ("%0*" G_GINT64_FORMAT, (int) item->num.digits, value);
      break;
    }
  return encode_text (e, item, text, -1, error);
}

static guint64
random_u64 (GRand *rand)
{
  guint64 hi = g_rand_int (rand);

  return hi << 32 | g_rand_int (rand);
}

static gint64
random_in (GRand  *rand,
           gint64  low,
           gint64  high)
{
  guint64 span = (guint64) high - (guint64) low;
  guint64 r = random_u64 (rand);

  if (span != G_MAXUINT64)
    {
      guint64 n = span + 1;
      guint64 limit = G_MAXUINT64 - G_MAXUINT64 % n;

      while (r >= limit)
        r = random_u64 (rand);
      r %= n;
    }
  return (gint64) ((guint64) low + r);
}

static GBytes *
make_uuid (Expander   *e,
           const Item *item,
           GError    **error)
{
  guint8 b[16];
  g_autofree char *text = NULL;

  for (guint i = 0; i < 16; i += 4)
    sb_put_uint (g_rand_int (e->rand), 4, SB_BYTE_ORDER_BIG, b + i);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  if (item->flag)
    return g_bytes_new (b, sizeof b);

  text = g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return encode_text (e, item, text, -1, error);
}

static gint64
seq_value (Expander   *e,
           const Item *item)
{
  SeqValue *seq = g_hash_table_lookup (e->seqs, item->arg);

  if (seq == NULL)
    {
      gint64 *next = g_hash_table_lookup (e->state->counters, item->arg);

      seq = g_new (SeqValue, 1);
      seq->value = next != NULL ? *next : item->a;
      seq->step = item->b;
      g_hash_table_insert (e->seqs, item->arg, seq);
    }
  return seq->value;
}

static GBytes *
read_file_default (const char  *path,
                   gpointer     user_data,
                   GError     **error)
{
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  return g_bytes_new_take (contents, len);
}

static GBytes *
rx_part (Expander    *e,
         const Item  *item,
         GError     **error)
{
  GBytes *rx = e->context ? e->context->rx : NULL;
  gsize n;
  gint64 first, last;

  if (rx == NULL)
    {
      fail (error, item, _("there is no received message to answer here"));
      return NULL;
    }
  if (!item->flag)
    return g_bytes_ref (rx);

  n = g_bytes_get_size (rx);
  first = item->a < 0 ? (gint64) n + item->a : item->a;
  last = item->b < 0 ? (gint64) n + item->b : item->b;
  if (first < 0 || last >= (gint64) n || first > last + 1)
    {
      fail (error, item,
            g_dngettext (GETTEXT_PACKAGE,
                         "the received message has %lu byte",
                         "the received message has %lu bytes", n),
            (gulong) n);
      return NULL;
    }
  return g_bytes_new_from_bytes (rx, (gsize) first, (gsize) (last + 1 - first));
}

static GBytes *
rx_group (Expander    *e,
          const Item  *item,
          GError     **error)
{
  const SbTemplateContext *c = e->context;
  const char *group;

  if (c == NULL || (c->rx == NULL && c->rx_groups == NULL))
    {
      fail (error, item, _("there is no received message to answer here"));
      return NULL;
    }
  if (c->rx_groups == NULL || item->a >= (gint64) c->n_rx_groups)
    {
      fail (error, item, _("the regular expression has no group %ld"), (long) item->a);
      return NULL;
    }
  group = c->rx_groups[item->a];
  return encode_text (e, item, group ? group : "", -1, error);
}

/* The bytes of @item, or NULL with *@deferred for a length or a checksum
 * written later; *@size is their size when known. */
static gboolean
make_part (Expander    *e,
           const Item  *item,
           GBytes     **out,
           gsize       *size,
           GError     **error)
{
  GBytes *bytes = NULL;

  *out = NULL;
  *size = 0;

  switch (item->kind)
    {
    case ITEM_LITERAL:
      bytes = g_bytes_ref (item->literal);
      break;
    case ITEM_SEQ:
      bytes = format_number (e, item, seq_value (e, item), error);
      break;
    case ITEM_TIME:
      {
        g_autofree char *text = item->arg ? g_date_time_format (e->now, item->arg)
                                          : g_date_time_format_iso8601 (e->now);

        if (text == NULL)
          return fail (error, item, _("the time cannot be written in this format"));
        bytes = encode_text (e, item, text, -1, error);
      }
      break;
    case ITEM_UNIX:
      {
        gint64 value = g_date_time_to_unix (e->now);

        if (item->flag)
          value = value * 1000 + g_date_time_get_microsecond (e->now) / 1000;
        bytes = format_number (e, item, value, error);
      }
      break;
    case ITEM_RANDOM:
      bytes = format_number (e, item, random_in (e->rand, item->a, item->b), error);
      break;
    case ITEM_UUID:
      bytes = make_uuid (e, item, error);
      break;
    case ITEM_RX:
      bytes = rx_part (e, item, error);
      break;
    case ITEM_RX_GROUP:
      bytes = rx_group (e, item, error);
      break;
    case ITEM_FILE:
      {
        const SbTemplateContext *c = e->context;
        SbTemplateReadFile read = c && c->read_file ? c->read_file : read_file_default;
        g_autoptr(GError) local = NULL;

        bytes = read (item->arg, c ? c->read_file_data : NULL, &local);
        if (bytes == NULL)
          return fail (error, item, "%s", local ? local->message : _("the file cannot be read"));
      }
      break;
    case ITEM_BEGIN:
    case ITEM_END:
      return TRUE;
    case ITEM_LEN:
      if (item->num.kind == NUM_BIN)
        *size = item->num.size;
      return TRUE;
    case ITEM_CHECKSUM:
      *size = sb_checksum_get_size (item->checksum);
      if (item->flag)
        {
          g_autofree char *zeros = g_strnfill (*size * 2, '0');
          g_autoptr(GBytes) encoded = encode_text (e, item, zeros, -1, error);

          if (encoded == NULL)
            return FALSE;
          *size = g_bytes_get_size (encoded);
        }
      return TRUE;
    default:
      g_assert_not_reached ();
    }

  if (bytes == NULL)
    return FALSE;
  *out = bytes;
  *size = g_bytes_get_size (bytes);
  return TRUE;
}

/* Fenwick tree over n items: add to item i, and sum the items before k. */
static void
fenwick_add (int   *tree,
             guint  n,
             guint  i,
             int    delta)
{
  for (guint k = i + 1; k <= n; k += k & -k)
    tree[k] += delta;
}

static int
fenwick_sum (const int *tree,
             int        k)
{
  int sum = 0;

  for (; k > 0; k -= k & -k)
    sum += tree[k];
  return sum;
}

static gsize
region_start (const Item  *item,
              const gsize *offsets)
{
  return item->first < 0 ? 0 : offsets[item->first];
}

static gsize
region_end (const Item  *item,
            const gsize *offsets,
            guint        n,
            gsize        total)
{
  return item->last >= (int) n ? total : offsets[item->last];
}

static gboolean
write_checksum (Expander    *e,
                const Item  *item,
                guint8      *buffer,
                gsize        start,
                gsize        end,
                gsize        at,
                gsize        size,
                GError     **error)
{
  guint width = sb_checksum_get_size (item->checksum);
  guint64 value = sb_checksum_compute (item->checksum, buffer + start, end - start);
  guint8 bytes[8];

  sb_put_uint (value, width, item->order, bytes);
  if (item->flag)
    {
      GString *hex = g_string_new (NULL);
      g_autoptr(GBytes) encoded = NULL;

      for (guint i = 0; i < width; i++)
        g_string_append_printf (hex, item->upper ? "%02X" : "%02x", bytes[i]);
      encoded = encode_text (e, item, hex->str, hex->len, error);
      g_string_free (hex, TRUE);
      if (encoded == NULL)
        return FALSE;
      g_assert (g_bytes_get_size (encoded) == size);
      memcpy (buffer + at, g_bytes_get_data (encoded, NULL), size);
      return TRUE;
    }
  memcpy (buffer + at, bytes, width);
  return TRUE;
}

static GBytes *
expand (SbTemplate               *self,
        SbTemplateState          *state,
        const SbTemplateContext  *context,
        gboolean                  commit,
        GError                  **error)
{
  g_autoptr(SbTemplateState) own_state = NULL;
  g_autoptr(GRand) rand_copy = NULL;
  g_autoptr(GHashTable) seqs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree gsize *sizes = NULL;
  g_autofree gsize *offsets = NULL;
  g_autofree guint8 *buffer = NULL;
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = self->items->len;
  gsize total = 0;
  Expander e;

  if (state == NULL)
    state = own_state = sb_template_state_new ();
  if (!commit)
    rand_copy = g_rand_copy (state->rand);
  if (context != NULL && context->now != NULL)
    now = g_date_time_ref (context->now);
  else
    now = g_date_time_new_now_local ();

  e = (Expander) { self, state, commit ? state->rand : rand_copy, seqs, now, context };

  parts = g_ptr_array_new_full (n, (GDestroyNotify) g_bytes_unref);
  g_ptr_array_set_size (parts, n);
  sizes = g_new0 (gsize, n + 1);
  offsets = g_new0 (gsize, n + 1);

  for (guint i = 0; i < n; i++)
    {
      const Item *item = &g_array_index (self->items, Item, i);
      GBytes *part = NULL;

      if (!make_part (&e, item, &part, &sizes[i], error))
        return NULL;
      g_ptr_array_index (parts, i) = part;
      if (sizes[i] > SB_TEMPLATE_MAX_SIZE - total)
        {
          fail (error, item, _("the message would be more than %d MiB"), SB_TEMPLATE_MAX_SIZE >> 20);
          return NULL;
        }
      total += sizes[i];
    }

  /* Lengths as text: the parts of their regions are all sized. */
  for (guint i = 0; i < n; i++)
    offsets[i + 1] = offsets[i] + sizes[i];
  for (guint i = 0; i < n; i++)
    {
      const Item *item = &g_array_index (self->items, Item, i);
      GBytes *part;
      gsize region;

      if (item->kind != ITEM_LEN || item->num.kind == NUM_BIN)
        continue;
      region = offsets[item->last] - offsets[item->first + 1];
      part = format_number (&e, item, (gint64) region, error);
      if (part == NULL)
        return NULL;
      g_ptr_array_index (parts, i) = part;
      sizes[i] = g_bytes_get_size (part);
      if (sizes[i] > SB_TEMPLATE_MAX_SIZE - total)
        {
          fail (error, item, _("the message would be more than %d MiB"), SB_TEMPLATE_MAX_SIZE >> 20);
          return NULL;
        }
      total += sizes[i];
    }

  for (guint i = 0; i < n; i++)
    offsets[i + 1] = offsets[i] + sizes[i];
  g_assert (offsets[n] == total);

  buffer = g_malloc (total + 1);
  for (guint i = 0; i < n; i++)
    {
      GBytes *part = g_ptr_array_index (parts, i);

      if (part != NULL)
        memcpy (buffer + offsets[i], g_bytes_get_data (part, NULL), sizes[i]);
    }

  /* Binary lengths, now every offset is known. */
  for (guint i = 0; i < n; i++)
    {
      const Item *item = &g_array_index (self->items, Item, i);
      gsize region;

      if (item->kind == ITEM_CHECKSUM)
        g_array_append_val (pending, i);
      if (item->kind != ITEM_LEN || item->num.kind != NUM_BIN)
        continue;
      region = region_end (item, offsets, n, total) - region_start (item, offsets);
      if (item->num.size < 8 && (guint64) region >> (8 * item->num.size) != 0)
        {
          fail (error, item,
                g_dngettext (GETTEXT_PACKAGE,
                             "the region is %lu byte, too long for u%u",
                             "the region is %lu bytes, too long for u%u", region),
                (gulong) region, item->num.size * 8);
          return NULL;
        }
      sb_put_uint (region, item->num.size, item->num.order, buffer + offsets[i]);
    }

  /* Checksums, each once no checksum it covers is still to be written:
   * a Fenwick tree over the items counts those still to be written. */
  {
    g_autofree int *unwritten = g_new0 (int, n + 1);

    for (guint p = 0; p < pending->len; p++)
      fenwick_add (unwritten, n, g_array_index (pending, guint, p), 1);

    while (pending->len > 0)
      {
        guint kept = 0;

        for (guint p = 0; p < pending->len; p++)
          {
            guint i = g_array_index (pending, guint, p);
            const Item *item = &g_array_index (self->items, Item, i);

            /* The items strictly between first and last. */
            if (fenwick_sum (unwritten, item->last) - fenwick_sum (unwritten, item->first + 1) > 0)
              {
                g_array_index (pending, guint, kept++) = i;
                continue;
              }
            if (!write_checksum (&e, item, buffer, region_start (item, offsets),
                                 region_end (item, offsets, n, total), offsets[i], sizes[i], error))
              return NULL;
            fenwick_add (unwritten, n, i, -1);
          }

        if (kept == pending->len)
          {
            fail (error, &g_array_index (self->items, Item, g_array_index (pending, guint, 0)),
                  _("checksums that cover each other cannot be computed"));
            return NULL;
          }
        g_array_set_size (pending, kept);
      }
  }

  if (commit)
    {
      GHashTableIter iter;
      const char *id;
      SeqValue *seq;

      g_hash_table_iter_init (&iter, seqs);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &seq))
        {
          gint64 *next = g_new (gint64, 1);

          *next = (gint64) ((guint64) seq->value + (guint64) seq->step);
          g_hash_table_insert (state->counters, g_strdup (id), next);
        }
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), total);
}

GBytes *
sb_template_expand (SbTemplate               *self,
                    SbTemplateState          *state,
                    const SbTemplateContext  *context,
                    GError                  **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  return expand (self, state, context, TRUE, error);
}

GBytes *
sb_template_preview (SbTemplate               *self,
                     SbTemplateState          *state,
                     const SbTemplateContext  *context,
                     GError                  **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  return expand (self, state, context, FALSE, error);
}
