/* sb-history-store.c — records and payloads in chunks and blocks; streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history"

#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sb-history-private.h"

/* PtrRing */

void
_sb_ptr_ring_push (PtrRing  *ring,
               gpointer  item)
{
  if (ring->items == NULL || ring->len == ring->mask + 1)
    {
      guint capacity = ring->items == NULL ? 8 : (ring->mask + 1) * 2;
      gpointer *items = g_new (gpointer, capacity);

      for (guint i = 0; i < ring->len; i++)
        items[i] = ring->items[(ring->head + i) & ring->mask];
      g_free (ring->items);
      ring->items = items;
      ring->mask = capacity - 1;
      ring->head = 0;
    }

  ring->items[(ring->head + ring->len) & ring->mask] = item;
  ring->len++;
}

gpointer
_sb_ptr_ring_pop_front (PtrRing *ring)
{
  gpointer item;

  g_assert (ring->len > 0);
  item = ring->items[ring->head];
  ring->head = (ring->head + 1) & ring->mask;
  ring->len--;
  return item;
}

void
_sb_ptr_ring_clear (PtrRing        *ring,
                GDestroyNotify  free_func)
{
  while (ring->len > 0)
    free_func (_sb_ptr_ring_pop_front (ring));
  ring->head = 0;
}

void
_sb_ptr_ring_destroy (PtrRing *ring)
{
  _sb_ptr_ring_clear (ring, g_free);
  g_clear_pointer (&ring->items, g_free);
  ring->mask = 0;
}

/* Store */
const guint8 *
_sb_history_record_data (SbHistory    *self,
             const Record *record)
{
  if (record->length == 0)
    return (const guint8 *) "";

  /* Block numbers wrap at 2^32; the difference stays right modulo 2^32. */
  if (record->flags & RECORD_BIG)
    return ptr_ring_nth (&self->bigs, record->block - (guint32) self->first_big);
  else
    {
      Block *block = ptr_ring_nth (&self->blocks, record->block - (guint32) self->first_block);

      return block->data + record->offset;
    }
}

/* A threaded history's owner may still read what was dropped: it is freed
 * at the owner's next flush. */
static gboolean
retire (SbHistory *self,
        gpointer   memory)
{
  if (!self->threaded)
    return FALSE;
  g_ptr_array_add (self->retired, memory);
  return TRUE;
}

static void
recycle_chunk (SbHistory *self,
               Record    *chunk)
{
  if (retire (self, chunk))
    return;
  if (self->spare_chunk == NULL)
    self->spare_chunk = chunk;
  else
    g_free (chunk);
}

static void
recycle_block (SbHistory *self,
               Block     *block)
{
  if (retire (self, block))
    return;
  if (self->spare_block == NULL)
    self->spare_block = block;
  else
    g_free (block);
}

/* Makes the pages of a new block present in one call instead of one page
 * fault per 4 KiB as memcpy reaches them: a flood filling the default 256 MiB
 * took ~68,000 faults, ~15 % of the reading CPU. Before Linux 5.14 the call
 * fails and the pages fault in as they are written, as before. */
static void
prefault (guint8 *data,
          gsize   len)
{
#ifdef MADV_POPULATE_WRITE
  static guintptr page;
  guintptr start, end;

  if (page == 0)
    page = (guintptr) sysconf (_SC_PAGESIZE);
  start = ((guintptr) data + page - 1) & ~(page - 1);
  end = ((guintptr) data + len) & ~(page - 1);
  if (end > start)
    (void) madvise ((void *) start, end - start, MADV_POPULATE_WRITE);
#endif
}

/* Copies @data into the payload store and fills in @record's location. */
void
_sb_history_store_payload (SbHistory    *self,
               Record       *record,
               guint64       serial,
               const guint8 *data,
               gsize         len)
{
  Block *block = NULL;

  if (len == 0)
    return;

  if (len >= BIG_PAYLOAD)
    {
      record->flags |= RECORD_BIG;
      record->block = (guint32) (self->first_big + self->bigs.len);
      _sb_ptr_ring_push (&self->bigs, g_memdup2 (data, len));
      return;
    }

  if (self->blocks.len > 0)
    {
      block = ptr_ring_nth (&self->blocks, self->blocks.len - 1);
      if (BLOCK_SIZE - block->used < len)
        block = NULL;
    }

  if (block == NULL)
    {
      /* Only when the last block filled within PREFAULT_WITHIN_US: a quiet
       * session keeps touching 4 KiB at a time, not a megabyte at once. */
      gint64 now = g_get_monotonic_time ();
      gboolean filling = self->blocks.len > 0 && now - self->block_started_us < PREFAULT_WITHIN_US;

      self->block_started_us = now;
      block = g_steal_pointer (&self->spare_block);
      if (block == NULL)
        {
          block = g_malloc (sizeof (Block) + BLOCK_SIZE);
          if (filling)
            prefault (block->data, BLOCK_SIZE);
        }
      block->used = 0;
      _sb_ptr_ring_push (&self->blocks, block);
    }

  record->block = (guint32) (self->first_block + self->blocks.len - 1);
  record->offset = (guint32) block->used;
  memcpy (block->data + block->used, data, len);
  block->used += len;
  block->last_serial = serial;
}

static void
drop_oldest (SbHistory *self)
{
  Record *record = record_at (self, self->store_first);

  _sb_history_peer_unref_record (self, record->peer);

  if (record->length > 0)
    {
      self->n_bytes -= record->length;
      /* Big payloads are in serial order too: the oldest is at the front. */
      if (record->flags & RECORD_BIG)
        {
          gpointer big = _sb_ptr_ring_pop_front (&self->bigs);

          if (!retire (self, big))
            g_free (big);
          self->first_big++;
        }
    }

  self->store_first++;

  while (self->blocks.len > 0)
    {
      Block *block = ptr_ring_nth (&self->blocks, 0);

      if (block->last_serial >= self->store_first)
        break;
      recycle_block (self, _sb_ptr_ring_pop_front (&self->blocks));
      self->first_block++;
    }

  if (self->chunks.len > 0 &&
      (self->store_first >> RECORD_CHUNK_SHIFT) > self->first_chunk)
    {
      recycle_chunk (self, _sb_ptr_ring_pop_front (&self->chunks));
      self->first_chunk++;
    }
}

/* Drops the oldest records beyond the caps; the newest record is always kept. */
void
_sb_history_enforce_limits (SbHistory *self)
{
  while (store_count (self) > self->max_records ||
         (self->n_bytes > self->max_bytes && store_count (self) > 1))
    {
      drop_oldest (self);
      self->n_dropped++;
    }
}

void
_sb_history_store_clear (SbHistory *self)
{
  _sb_ptr_ring_clear (&self->chunks, g_free);
  self->first_block += self->blocks.len;
  _sb_ptr_ring_clear (&self->blocks, g_free);
  self->first_big += self->bigs.len;
  _sb_ptr_ring_clear (&self->bigs, g_free);
  self->store_first = self->next_serial;
  self->n_bytes = 0;
  sb_stream_links_clear (self->links);
  _sb_history_peers_cleared (self);
}


/* Streams */

struct _SbStreamLinks
{
  GHashTable *last;   /* (peer << 2 | direction) -> index of its newest record */
};

static inline gpointer
stream_key (guint       peer,
            SbDirection direction)
{
  return GSIZE_TO_POINTER (((gsize) peer << 2) | direction);
}

SbStreamLinks *
sb_stream_links_new (void)
{
  SbStreamLinks *self = g_new0 (SbStreamLinks, 1);

  self->last = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  return self;
}

void
sb_stream_links_free (SbStreamLinks *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->last);
  g_free (self);
}

void
sb_stream_links_clear (SbStreamLinks *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove_all (self->last);
}

gboolean
sb_event_kind_ends_streams (SbEventKind  event,
                            gboolean    *rx,
                            gboolean    *tx)
{
  gboolean r, t;

  switch (event)
    {
    case SB_EVENT_LISTENING:
    case SB_EVENT_CONNECTED:
    case SB_EVENT_RESET:
    case SB_EVENT_DISCONNECTED:
    case SB_EVENT_STOPPED:
      r = t = TRUE;
      break;
    case SB_EVENT_PEER_CLOSED:
      r = TRUE;
      t = FALSE;
      break;
    case SB_EVENT_HALF_CLOSED:
      r = FALSE;
      t = TRUE;
      break;
    case SB_EVENT_NONE:
    case SB_EVENT_ERROR:
    case SB_EVENT_INFO:
    default:
      return FALSE;
    }

  if (rx != NULL)
    *rx = r;
  if (tx != NULL)
    *tx = t;
  return TRUE;
}

/* A connection boundary ends the streams it concerns: bytes after a
 * reconnect do not continue a character cut before it. */
static void
end_streams (SbStreamLinks *self,
             SbEventKind    event,
             guint          peer)
{
  gboolean rx, tx;

  if (!sb_event_kind_ends_streams (event, &rx, &tx))
    return;

  if (peer == 0)
    {
      /* The session itself: every stream ends. */
      g_hash_table_remove_all (self->last);
      return;
    }

  if (rx)
    g_hash_table_remove (self->last, stream_key (peer, SB_DIRECTION_RX));
  if (tx)
    g_hash_table_remove (self->last, stream_key (peer, SB_DIRECTION_TX));
}

void
sb_stream_links_forget_peer (SbStreamLinks *self,
                             guint          peer)
{
  g_return_if_fail (self != NULL);

  g_hash_table_remove (self->last, stream_key (peer, SB_DIRECTION_RX));
  g_hash_table_remove (self->last, stream_key (peer, SB_DIRECTION_TX));
}

guint64
sb_stream_links_add (SbStreamLinks *self,
                     guint64        index,
                     SbDirection    direction,
                     SbEventKind    event,
                     guint          peer,
                     gsize          length)
{
  gpointer key;
  guint64 *last;
  guint64 prev;

  g_return_val_if_fail (self != NULL, SB_STREAM_NO_RECORD);

  if (direction == SB_DIRECTION_EVENT)
    {
      end_streams (self, event, peer);
      return SB_STREAM_NO_RECORD;
    }
  if (length == 0)
    return SB_STREAM_NO_RECORD;

  key = stream_key (peer, direction);
  last = g_hash_table_lookup (self->last, key);
  if (last == NULL)
    {
      last = g_new (guint64, 1);
      g_hash_table_insert (self->last, key, last);
      prev = SB_STREAM_NO_RECORD;
    }
  else
    prev = *last;

  *last = index;
  return prev;
}

/* Links a record to the previous one of its (peer, direction) stream, so
 * decode can carry an unfinished character across them. */
void
_sb_history_link_stream (SbHistory *self,
                         Record    *record,
                         guint64    serial)
{
  guint64 prev = sb_stream_links_add (self->links, serial, record->direction,
                                      record->event, record->peer, record->length);

  if (prev != SB_STREAM_NO_RECORD && store_has (self, prev) && serial - prev <= G_MAXUINT32)
    {
      record->prev_delta = (guint32) (serial - prev);
      record_at (self, prev)->flags |= RECORD_HAS_SUCCESSOR;
    }
}
