/* sb-history.c — the record of what crossed the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sb-history.h"

/*
 * Store layout
 *
 * Records are 32-byte structs in chunks of RECORD_CHUNK_SIZE; the chunks sit
 * in a ring, so the record of a serial is found with a shift and a mask, and
 * no record ever moves once written. Payloads are copied into 1 MiB blocks
 * (a ring of blocks, each knowing the newest record that uses it) and payloads
 * of BIG_PAYLOAD bytes or more get an allocation of their own (a second
 * ring). Dropping the oldest records frees whole chunks and blocks, in order.
 * One spare chunk and one spare block are kept so a capped history in steady
 * state does not malloc/free (mmap/munmap) a megabyte every few thousand
 * appends.
 *
 * A 64-byte message costs 32 bytes of record + 64 bytes of payload.
 *
 * Announced vs stored
 *
 * The model (positions, get_n_items, n-records) shows the *announced* range
 * [vis_first, vis_next); the store holds [store_first, next_serial). Appends
 * and caps change only the store, at once, so memory stays bounded even when
 * the idle cannot run. At the flush the two are reconciled with at most one
 * removal at the front and one addition at the end. A position whose record
 * is already dropped from the store but whose removal is not yet announced
 * answers as an empty record: time 0, direction event, event none, peer 0,
 * no data (get_item makes an item whose data is NULL; decode returns "").
 */

#define RECORD_CHUNK_SHIFT 12
#define RECORD_CHUNK_SIZE  (1u << RECORD_CHUNK_SHIFT)
#define RECORD_CHUNK_MASK  (RECORD_CHUNK_SIZE - 1)
#define BLOCK_SIZE         (1024 * 1024)
/* A block that filled faster than this is followed by one whose pages are
 * made present at once (prefault()). */
#define PREFAULT_WITHIN_US (100 * 1000)
/* At most 1/8 of a block is wasted when a block is closed early. */
#define BIG_PAYLOAD        (BLOCK_SIZE / 8)
/* How far decode looks back in a stream for the unfinished character a
 * record starts with. A character has at most 4 bytes, so 4 records always;
 * further only while the records seen are tiny, because in GBK, Big5 or
 * Shift_JIS where a character starts depends on the bytes before it, back to
 * the last ASCII byte. Beyond this a split character shows as escapes. */
#define CARRY_DEPTH        4
#define CARRY_BYTES        256
#define CARRY_MAX_DEPTH    64

/*
 * Above GTK's layout and paint (GDK_PRIORITY_REDRAW = G_PRIORITY_HIGH_IDLE + 20),
 * so that when both are due the rows are announced first and the frame being
 * painted already shows them; at G_PRIORITY_DEFAULT_IDLE the paint would run
 * first and every batch would be one frame late. Still an idle: socket I/O at
 * G_PRIORITY_DEFAULT always runs before it.
 */
#define FLUSH_PRIORITY     (G_PRIORITY_HIGH_IDLE + 10)

enum
{
  RECORD_HAS_SUCCESSOR = 1 << 0, /* a later record of the same stream exists */
  RECORD_BIG           = 1 << 1, /* payload has an allocation of its own */
};

typedef struct
{
  gint64  time_us;
  guint32 block;       /* number of its block or big payload, modulo 2^32 */
  guint32 offset;      /* in its block */
  guint32 length;
  guint32 peer;
  guint32 prev_delta;  /* serial - serial of the previous record of its stream; 0 = none */
  guint8  direction;
  guint8  event;
  guint8  flags;
  guint8  reserved;
} Record;

G_STATIC_ASSERT (sizeof (Record) == 32);

typedef struct
{
  guint64 last_serial; /* newest record whose payload is in this block */
  gsize   used;
  guint8  data[];
} Block;

/* A deque of pointers: O(1) push at the back, pop at the front, index. */
typedef struct
{
  gpointer *items;
  guint     mask;      /* capacity - 1, capacity a power of two */
  guint     head;
  guint     len;
} PtrRing;

typedef struct
{
  guint64 last_serial;
} Stream;

struct _SbHistory
{
  GObject       parent_instance;

  /* Store */
  PtrRing       chunks;         /* Record[RECORD_CHUNK_SIZE] */
  guint64       first_chunk;    /* chunk number (serial >> shift) of chunks[0] */
  PtrRing       blocks;         /* Block */
  guint64       first_block;    /* number of blocks[0] */
  PtrRing       bigs;           /* guint8[] */
  guint64       first_big;      /* number of bigs[0] */
  Record       *spare_chunk;
  Block        *spare_block;
  gint64        block_started_us; /* when the newest block was started */
  guint64       store_first;
  guint64       next_serial;
  gsize         n_bytes;
  GHashTable   *streams;        /* (peer << 2 | direction) -> Stream */

  /* Announced to the model */
  guint64       vis_first;
  guint64       vis_next;
  guint64       notified_dropped;
  gsize         notified_bytes;

  /* Limits and counters */
  guint         max_records;
  gsize         max_bytes;
  guint64       n_dropped;
  guint64       n_cleared;

  /* Peers: id -> label and label -> id */
  GPtrArray    *peer_labels;
  GHashTable   *peer_ids;

  /* Decoder reused across decode calls (iconv_open is not free) */
  SbDecoder    *decoder;
  char         *decoder_encoding;
  SbDecodeFlags decoder_flags;
  gboolean      decoder_is_utf8;

  GMainContext *context;
  GSource      *flush_source;
};

struct _SbHistoryItem
{
  GObject      parent_instance;

  /* Owned */
  SbHistory   *history;

  guint64      serial;
  gint64       time_us;
  gsize        length;
  guint        peer;
  SbDirection  direction;
  SbEventKind  event;
};

enum
{
  PROP_0,
  PROP_N_RECORDS,
  PROP_N_BYTES,
  PROP_N_DROPPED,
  PROP_N_CLEARED,
  PROP_MAX_RECORDS,
  PROP_MAX_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void sb_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SbHistory, sb_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sb_history_list_model_init))

G_DEFINE_FINAL_TYPE (SbHistoryItem, sb_history_item, G_TYPE_OBJECT)

/* PtrRing */

static void
ptr_ring_push (PtrRing  *ring,
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

static inline gpointer
ptr_ring_nth (const PtrRing *ring,
              guint          n)
{
  g_assert (n < ring->len);
  return ring->items[(ring->head + n) & ring->mask];
}

static gpointer
ptr_ring_pop_front (PtrRing *ring)
{
  gpointer item;

  g_assert (ring->len > 0);
  item = ring->items[ring->head];
  ring->head = (ring->head + 1) & ring->mask;
  ring->len--;
  return item;
}

static void
ptr_ring_clear (PtrRing        *ring,
                GDestroyNotify  free_func)
{
  while (ring->len > 0)
    free_func (ptr_ring_pop_front (ring));
  ring->head = 0;
}

static void
ptr_ring_destroy (PtrRing *ring)
{
  ptr_ring_clear (ring, g_free);
  g_clear_pointer (&ring->items, g_free);
  ring->mask = 0;
}

/* Store */

static inline guint64
store_count (SbHistory *self)
{
  return self->next_serial - self->store_first;
}

static inline gboolean
store_has (SbHistory *self,
           guint64    serial)
{
  return serial >= self->store_first && serial < self->next_serial;
}

static inline Record *
record_at (SbHistory *self,
           guint64    serial)
{
  Record *chunk = ptr_ring_nth (&self->chunks,
                                (guint) ((serial >> RECORD_CHUNK_SHIFT) - self->first_chunk));

  return &chunk[serial & RECORD_CHUNK_MASK];
}

static const guint8 *
record_data (SbHistory    *self,
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

static void
recycle_chunk (SbHistory *self,
               Record    *chunk)
{
  if (self->spare_chunk == NULL)
    self->spare_chunk = chunk;
  else
    g_free (chunk);
}

static void
recycle_block (SbHistory *self,
               Block     *block)
{
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
static void
store_payload (SbHistory    *self,
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
      ptr_ring_push (&self->bigs, g_memdup2 (data, len));
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
      ptr_ring_push (&self->blocks, block);
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

  if (record->length > 0)
    {
      self->n_bytes -= record->length;
      /* Big payloads are in serial order too: the oldest is at the front. */
      if (record->flags & RECORD_BIG)
        {
          g_free (ptr_ring_pop_front (&self->bigs));
          self->first_big++;
        }
    }

  self->store_first++;

  while (self->blocks.len > 0)
    {
      Block *block = ptr_ring_nth (&self->blocks, 0);

      if (block->last_serial >= self->store_first)
        break;
      recycle_block (self, ptr_ring_pop_front (&self->blocks));
      self->first_block++;
    }

  if (self->chunks.len > 0 &&
      (self->store_first >> RECORD_CHUNK_SHIFT) > self->first_chunk)
    {
      recycle_chunk (self, ptr_ring_pop_front (&self->chunks));
      self->first_chunk++;
    }
}

/* Drops the oldest records beyond the caps; the newest record is always kept. */
static void
enforce_limits (SbHistory *self)
{
  while (store_count (self) > self->max_records ||
         (self->n_bytes > self->max_bytes && store_count (self) > 1))
    {
      drop_oldest (self);
      self->n_dropped++;
    }
}

static void
store_clear (SbHistory *self)
{
  ptr_ring_clear (&self->chunks, g_free);
  self->first_block += self->blocks.len;
  ptr_ring_clear (&self->blocks, g_free);
  self->first_big += self->bigs.len;
  ptr_ring_clear (&self->bigs, g_free);
  self->store_first = self->next_serial;
  self->n_bytes = 0;
  g_hash_table_remove_all (self->streams);
}

static inline gpointer
stream_key (guint       peer,
            SbDirection direction)
{
  return GSIZE_TO_POINTER (((gsize) peer << 2) | direction);
}

/* Links a data record to the previous one of its (peer, direction) stream,
 * so decode can carry an unfinished character across them. */
static void
link_stream (SbHistory *self,
             Record    *record,
             guint64    serial)
{
  gpointer key = stream_key (record->peer, record->direction);
  Stream *stream = g_hash_table_lookup (self->streams, key);

  if (stream == NULL)
    {
      stream = g_new0 (Stream, 1);
      g_hash_table_insert (self->streams, key, stream);
    }
  else if (store_has (self, stream->last_serial) &&
           serial - stream->last_serial <= G_MAXUINT32)
    {
      record->prev_delta = (guint32) (serial - stream->last_serial);
      record_at (self, stream->last_serial)->flags |= RECORD_HAS_SUCCESSOR;
    }

  stream->last_serial = serial;
}

/* A connection boundary ends the streams it concerns: bytes after a
 * reconnect do not continue a character cut before it. */
static void
end_streams (SbHistory   *self,
             SbEventKind  event,
             guint        peer)
{
  gboolean rx, tx;

  switch (event)
    {
    case SB_EVENT_LISTENING:
    case SB_EVENT_CONNECTED:
    case SB_EVENT_RESET:
    case SB_EVENT_DISCONNECTED:
    case SB_EVENT_STOPPED:
      rx = tx = TRUE;
      break;
    case SB_EVENT_PEER_CLOSED:
      rx = TRUE;
      tx = FALSE;
      break;
    case SB_EVENT_HALF_CLOSED:
      rx = FALSE;
      tx = TRUE;
      break;
    case SB_EVENT_NONE:
    case SB_EVENT_ERROR:
    case SB_EVENT_INFO:
    default:
      return;
    }

  if (peer == 0)
    {
      /* The session itself: every stream ends. */
      g_hash_table_remove_all (self->streams);
      return;
    }

  if (rx)
    g_hash_table_remove (self->streams, stream_key (peer, SB_DIRECTION_RX));
  if (tx)
    g_hash_table_remove (self->streams, stream_key (peer, SB_DIRECTION_TX));
}

/* Model side */

static inline guint
visible_count (SbHistory *self)
{
  return (guint) (self->vis_next - self->vis_first);
}

/* Returns the record at model @position, or NULL if it is dropped from the
 * store and its removal is not yet announced. */
static Record *
lookup_position (SbHistory *self,
                 guint      position,
                 guint64   *serial)
{
  guint64 s = self->vis_first + position;

  if (serial != NULL)
    *serial = s;
  if (s < self->store_first)
    return NULL;
  return record_at (self, s);
}

static gboolean
flush_cb (gpointer user_data)
{
  SbHistory *self = user_data;

  g_clear_pointer (&self->flush_source, g_source_unref);
  sb_history_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (SbHistory *self)
{
  if (self->flush_source != NULL)
    return;

  /* The source holds no reference: dispose destroys it. */
  self->flush_source = g_idle_source_new ();
  g_source_set_priority (self->flush_source, FLUSH_PRIORITY);
  g_source_set_callback (self->flush_source, flush_cb, self, NULL);
  g_source_set_static_name (self->flush_source, "[sockbench] SbHistory flush");
  g_source_attach (self->flush_source, self->context);
}

static void
cancel_flush (SbHistory *self)
{
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
}

/* SbHistoryItem */

static void
sb_history_item_finalize (GObject *object)
{
  SbHistoryItem *self = SB_HISTORY_ITEM (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (sb_history_item_parent_class)->finalize (object);
}

static void
sb_history_item_class_init (SbHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_history_item_finalize;
}

static void
sb_history_item_init (SbHistoryItem *self)
{
}

/* GListModel */

static GType
sb_history_get_item_type (GListModel *model)
{
  return SB_TYPE_HISTORY_ITEM;
}

static guint
sb_history_get_n_items (GListModel *model)
{
  return visible_count (SB_HISTORY (model));
}

static gpointer
sb_history_get_item (GListModel *model,
                     guint       position)
{
  SbHistory *self = SB_HISTORY (model);
  SbHistoryItem *item;
  Record *record;
  guint64 serial;

  if (position >= visible_count (self))
    return NULL;

  record = lookup_position (self, position, &serial);

  item = g_object_new (SB_TYPE_HISTORY_ITEM, NULL);
  item->history = g_object_ref (self);
  item->serial = serial;
  if (record != NULL)
    {
      item->time_us = record->time_us;
      item->length = record->length;
      item->peer = record->peer;
      item->direction = record->direction;
      item->event = record->event;
    }
  else
    {
      item->direction = SB_DIRECTION_EVENT;
      item->event = SB_EVENT_NONE;
    }

  return item;
}

static void
sb_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sb_history_get_item_type;
  iface->get_n_items = sb_history_get_n_items;
  iface->get_item = sb_history_get_item;
}

/* GObject */

static void
sb_history_dispose (GObject *object)
{
  SbHistory *self = SB_HISTORY (object);

  cancel_flush (self);

  G_OBJECT_CLASS (sb_history_parent_class)->dispose (object);
}

static void
sb_history_finalize (GObject *object)
{
  SbHistory *self = SB_HISTORY (object);

  ptr_ring_destroy (&self->chunks);
  ptr_ring_destroy (&self->blocks);
  ptr_ring_destroy (&self->bigs);
  g_clear_pointer (&self->spare_chunk, g_free);
  g_clear_pointer (&self->spare_block, g_free);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->peer_labels, g_ptr_array_unref);
  g_clear_pointer (&self->peer_ids, g_hash_table_unref);
  g_clear_pointer (&self->decoder, sb_decoder_free);
  g_clear_pointer (&self->decoder_encoding, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sb_history_parent_class)->finalize (object);
}

static void
sb_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SbHistory *self = SB_HISTORY (object);

  switch (prop_id)
    {
    case PROP_N_RECORDS:
      g_value_set_uint (value, sb_history_get_n_records (self));
      break;
    case PROP_N_BYTES:
      g_value_set_uint64 (value, sb_history_get_n_bytes (self));
      break;
    case PROP_N_DROPPED:
      g_value_set_uint64 (value, sb_history_get_n_dropped (self));
      break;
    case PROP_N_CLEARED:
      g_value_set_uint64 (value, sb_history_get_n_cleared (self));
      break;
    case PROP_MAX_RECORDS:
      g_value_set_uint (value, self->max_records);
      break;
    case PROP_MAX_BYTES:
      g_value_set_uint64 (value, self->max_bytes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SbHistory *self = SB_HISTORY (object);

  switch (prop_id)
    {
    case PROP_MAX_RECORDS:
      sb_history_set_limits (self, g_value_get_uint (value), self->max_bytes);
      break;
    case PROP_MAX_BYTES:
      sb_history_set_limits (self, self->max_records, (gsize) g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_history_class_init (SbHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_history_dispose;
  object_class->finalize = sb_history_finalize;
  object_class->get_property = sb_history_get_property;
  object_class->set_property = sb_history_set_property;

  /* Counters notify when the model is flushed, never per append. */
  properties[PROP_N_RECORDS] =
    g_param_spec_uint ("n-records", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_BYTES] =
    g_param_spec_uint64 ("n-bytes", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_DROPPED] =
    g_param_spec_uint64 ("n-dropped", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_CLEARED] =
    g_param_spec_uint64 ("n-cleared", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_RECORDS] =
    g_param_spec_uint ("max-records", NULL, NULL,
                       1, G_MAXUINT, SB_HISTORY_DEFAULT_MAX_RECORDS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MAX_BYTES] =
    g_param_spec_uint64 ("max-bytes", NULL, NULL,
                         0, G_MAXSIZE, SB_HISTORY_DEFAULT_MAX_BYTES,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_history_init (SbHistory *self)
{
  self->max_records = SB_HISTORY_DEFAULT_MAX_RECORDS;
  self->max_bytes = SB_HISTORY_DEFAULT_MAX_BYTES;
  self->streams = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->peer_labels = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->peer_labels, g_strdup (""));
  /* Keys are borrowed from peer_labels. */
  self->peer_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->context = g_main_context_ref_thread_default ();
}

/* Public API */

SbHistory *
sb_history_new (void)
{
  return g_object_new (SB_TYPE_HISTORY, NULL);
}

void
sb_history_set_limits (SbHistory *self,
                       guint      max_records,
                       gsize      max_bytes)
{
  gboolean records_changed, bytes_changed;

  g_return_if_fail (SB_IS_HISTORY (self));
  g_return_if_fail (max_records > 0);

  records_changed = self->max_records != max_records;
  bytes_changed = self->max_bytes != max_bytes;
  self->max_records = max_records;
  self->max_bytes = max_bytes;

  if (records_changed || bytes_changed)
    {
      /* Lowering a cap is a user action: drop and announce at once. */
      enforce_limits (self);
      sb_history_flush (self);
    }

  if (records_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RECORDS]);
  if (bytes_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_BYTES]);
}

guint
sb_history_get_max_records (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->max_records;
}

gsize
sb_history_get_max_bytes (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->max_bytes;
}

guint
sb_history_intern_peer (SbHistory  *self,
                        const char *label)
{
  gpointer id;
  char *copy;

  g_return_val_if_fail (SB_IS_HISTORY (self), 0);
  g_return_val_if_fail (label != NULL, 0);

  if (g_hash_table_lookup_extended (self->peer_ids, label, NULL, &id))
    return GPOINTER_TO_UINT (id);

  copy = g_strdup (label);
  g_ptr_array_add (self->peer_labels, copy);
  g_hash_table_insert (self->peer_ids, copy, GUINT_TO_POINTER (self->peer_labels->len - 1));

  return self->peer_labels->len - 1;
}

const char *
sb_history_get_peer_label (SbHistory *self,
                           guint      peer_id)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), "");
  g_return_val_if_fail (peer_id < self->peer_labels->len, "");

  return g_ptr_array_index (self->peer_labels, peer_id);
}

guint64
sb_history_append (SbHistory    *self,
                   gint64        time_us,
                   SbDirection   direction,
                   SbEventKind   event,
                   guint         peer_id,
                   const guint8 *data,
                   gsize         len)
{
  guint64 serial;
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY (self), 0);
  g_return_val_if_fail (direction <= SB_DIRECTION_EVENT, 0);
  g_return_val_if_fail (event <= SB_EVENT_STOPPED, 0);
  g_return_val_if_fail (peer_id < self->peer_labels->len, 0);
  g_return_val_if_fail (data != NULL || len == 0, 0);
  g_return_val_if_fail (len <= G_MAXUINT32, 0);

  serial = self->next_serial;

  if (self->chunks.len == 0 ||
      (serial >> RECORD_CHUNK_SHIFT) - self->first_chunk == self->chunks.len)
    {
      Record *chunk = g_steal_pointer (&self->spare_chunk);

      if (chunk == NULL)
        chunk = g_new (Record, RECORD_CHUNK_SIZE);
      if (self->chunks.len == 0)
        self->first_chunk = serial >> RECORD_CHUNK_SHIFT;
      ptr_ring_push (&self->chunks, chunk);
    }

  record = record_at (self, serial);
  *record = (Record) {
    .time_us = time_us,
    .length = (guint32) len,
    .peer = peer_id,
    .direction = direction,
    .event = event,
  };
  store_payload (self, record, serial, data, len);
  self->next_serial++;
  self->n_bytes += len;

  if (direction == SB_DIRECTION_EVENT)
    end_streams (self, event, peer_id);
  else if (len > 0)
    link_stream (self, record, serial);

  enforce_limits (self);
  schedule_flush (self);

  return serial;
}

guint64
sb_history_append_event (SbHistory   *self,
                         SbEventKind  event,
                         guint        peer_id,
                         const char  *message)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  if (message == NULL)
    message = "";

  return sb_history_append (self, g_get_real_time (), SB_DIRECTION_EVENT, event,
                            peer_id, (const guint8 *) message, strlen (message));
}

void
sb_history_flush (SbHistory *self)
{
  guint n_before;
  guint64 removed, added;

  g_return_if_fail (SB_IS_HISTORY (self));

  cancel_flush (self);
  n_before = visible_count (self);

  /* The model must match what each emission announced, at every emission:
   * handlers read it back. */
  removed = MIN (self->store_first, self->vis_next) - self->vis_first;
  if (removed > 0)
    {
      self->vis_first += removed;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) removed, 0);
    }
  /* Everything visible went; records both appended and dropped since the
   * last flush were never announced. (Not so if a handler appended over a
   * cap meanwhile: its idle announces that.) */
  if (self->vis_first == self->vis_next && self->vis_first < self->store_first)
    self->vis_first = self->vis_next = self->store_first;

  added = self->next_serial - self->vis_next;
  if (added > 0)
    {
      guint position = visible_count (self);

      self->vis_next = self->next_serial;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, (guint) added);
    }

  if (n_before != visible_count (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RECORDS]);
  if (self->notified_bytes != self->n_bytes)
    {
      self->notified_bytes = self->n_bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BYTES]);
    }
  if (self->notified_dropped != self->n_dropped)
    {
      self->notified_dropped = self->n_dropped;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
    }
}

void
sb_history_clear (SbHistory *self)
{
  guint64 n;

  g_return_if_fail (SB_IS_HISTORY (self));

  n = store_count (self);
  store_clear (self);
  self->n_cleared += n;

  /* One items-changed (0, n_items, 0), now. */
  sb_history_flush (self);

  if (n > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLEARED]);
}

guint
sb_history_get_n_records (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return visible_count (self);
}

gsize
sb_history_get_n_bytes (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->n_bytes;
}

guint64
sb_history_get_n_dropped (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->n_dropped;
}

guint64
sb_history_get_n_cleared (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->n_cleared;
}

guint64
sb_history_get_first_serial (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->vis_first;
}

guint64
sb_history_get_next_serial (SbHistory *self)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->next_serial;
}

guint64
sb_history_get_serial (SbHistory *self,
                       guint      position)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);
  g_return_val_if_fail (position < visible_count (self), 0);

  return self->vis_first + position;
}

gint64
sb_history_get_time (SbHistory *self,
                     guint      position)
{
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY (self), 0);
  g_return_val_if_fail (position < visible_count (self), 0);

  record = lookup_position (self, position, NULL);
  return record != NULL ? record->time_us : 0;
}

SbDirection
sb_history_get_direction (SbHistory *self,
                          guint      position)
{
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY (self), SB_DIRECTION_EVENT);
  g_return_val_if_fail (position < visible_count (self), SB_DIRECTION_EVENT);

  record = lookup_position (self, position, NULL);
  return record != NULL ? record->direction : SB_DIRECTION_EVENT;
}

SbEventKind
sb_history_get_event (SbHistory *self,
                      guint      position)
{
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY (self), SB_EVENT_NONE);
  g_return_val_if_fail (position < visible_count (self), SB_EVENT_NONE);

  record = lookup_position (self, position, NULL);
  return record != NULL ? record->event : SB_EVENT_NONE;
}

guint
sb_history_get_peer (SbHistory *self,
                     guint      position)
{
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY (self), 0);
  g_return_val_if_fail (position < visible_count (self), 0);

  record = lookup_position (self, position, NULL);
  return record != NULL ? record->peer : 0;
}

const guint8 *
sb_history_peek_data (SbHistory *self,
                      guint      position,
                      gsize     *len)
{
  Record *record;

  if (len != NULL)
    *len = 0;

  g_return_val_if_fail (SB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (position < visible_count (self), NULL);

  record = lookup_position (self, position, NULL);
  if (record == NULL)
    return NULL;

  if (len != NULL)
    *len = record->length;
  return record_data (self, record);
}

GBytes *
sb_history_dup_data (SbHistory *self,
                     guint      position)
{
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (SB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (position < visible_count (self), NULL);

  data = sb_history_peek_data (self, position, &len);
  if (data == NULL)
    return NULL;
  return g_bytes_new (data, len);
}

gboolean
sb_history_find_serial (SbHistory *self,
                        guint64    serial,
                        guint     *position)
{
  g_return_val_if_fail (SB_IS_HISTORY (self), FALSE);

  if (serial < self->vis_first || serial >= self->vis_next || serial < self->store_first)
    return FALSE;

  if (position != NULL)
    *position = (guint) (serial - self->vis_first);
  return TRUE;
}

/* Decode */

static SbDecoder *
ensure_decoder (SbHistory     *self,
                const char    *encoding,
                SbDecodeFlags  flags)
{
  g_autoptr(GError) error = NULL;
  SbDecoder *decoder;

  if (self->decoder != NULL &&
      self->decoder_flags == flags &&
      g_strcmp0 (self->decoder_encoding, encoding) == 0)
    {
      sb_decoder_reset (self->decoder);
      return self->decoder;
    }

  decoder = sb_decoder_new (encoding, flags, &error);
  if (decoder == NULL)
    {
      g_debug ("Cannot decode history as %s: %s", encoding, error->message);
      return NULL;
    }

  g_clear_pointer (&self->decoder, sb_decoder_free);
  g_free (self->decoder_encoding);
  self->decoder = decoder;
  self->decoder_encoding = g_strdup (encoding);
  self->decoder_flags = flags;
  self->decoder_is_utf8 = g_strcmp0 (sb_codec_canonical_name (encoding), "UTF-8") == 0;

  return decoder;
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

/* Sets @tail to the bytes of the character left unfinished at the end of the
 * record @serial, which may include bytes it received from its own
 * predecessors (a 4-byte character over 4 one-byte records). */
static void
get_tail (SbHistory  *self,
          SbDecoder  *decoder,
          guint64     serial,
          guint       depth,
          gsize       seen,
          GByteArray *tail,
          GString    *scratch)
{
  const Record *record = record_at (self, serial);
  const guint8 *data = record_data (self, record);
  g_autoptr(GByteArray) carry = NULL;
  gsize pending;

  /* UTF-8 resynchronizes on every lead byte and an unfinished character has
   * at most 3 bytes: the last 3 bytes decide the tail, however long the
   * record (a 64 KiB read is not decoded again to find it). */
  if (self->decoder_is_utf8 && record->length >= 3)
    {
      data += record->length - 3;
      g_byte_array_set_size (tail, 0);
      sb_decoder_reset (decoder);
      g_string_truncate (scratch, 0);
      sb_decoder_feed (decoder, data, 3, scratch, NULL);
      pending = MIN (sb_decoder_get_pending (decoder), 3);
      sb_decoder_reset (decoder);
      g_byte_array_append (tail, data + 3 - pending, pending);
      return;
    }

  /* @seen: bytes of the records between this one and the one being shown */
  carry = g_byte_array_new ();
  seen += record->length;
  if (record->prev_delta != 0 &&
      store_has (self, serial - record->prev_delta) &&
      (depth < CARRY_DEPTH || (seen < CARRY_BYTES && depth < CARRY_MAX_DEPTH)))
    get_tail (self, decoder, serial - record->prev_delta, depth + 1, seen, carry, scratch);

  sb_decoder_reset (decoder);
  g_string_truncate (scratch, 0);
  feed (decoder, carry->data, carry->len, scratch, NULL);
  feed (decoder, data, record->length, scratch, NULL);
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

static char *
decode_record (SbHistory     *self,
               guint          position,
               const char    *encoding,
               SbDecodeFlags  flags,
               GArray        *marks,
               gsize          max_bytes,
               gboolean      *truncated)
{
  g_autoptr(GByteArray) carry = NULL;
  g_autoptr(GString) scratch = NULL;
  const guint8 *data;
  SbDecoder *decoder;
  Record *record;
  GString *out;
  guint64 serial;
  gsize length;

  g_return_val_if_fail (SB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (position < visible_count (self), NULL);
  g_return_val_if_fail (encoding != NULL, NULL);

  record = lookup_position (self, position, &serial);
  if (record == NULL)
    return g_strdup ("");
  data = record_data (self, record);
  length = MIN (record->length, max_bytes);
  if (truncated != NULL)
    *truncated = length < record->length;

  if (record->direction == SB_DIRECTION_EVENT)
    return sb_codec_decode ("UTF-8", data, length, flags, marks);

  if (g_ascii_strcasecmp (encoding, SB_ENCODING_HEX) == 0)
    return sb_codec_format_hex (data, length);

  decoder = ensure_decoder (self, encoding, flags);
  if (decoder == NULL)
    return sb_codec_format_hex (data, length);

  carry = g_byte_array_new ();
  if (record->prev_delta != 0 && store_has (self, serial - record->prev_delta))
    {
      scratch = g_string_new (NULL);
      get_tail (self, decoder, serial - record->prev_delta, 1, 0, carry, scratch);
    }

  out = g_string_new (NULL);
  feed (decoder, carry->data, carry->len, out, marks);
  feed (decoder, data, length, out, marks);

  /* An unfinished character is shown by the next record of the stream; one
   * cut by @max_bytes is not shown at all. */
  if ((record->flags & RECORD_HAS_SUCCESSOR) || length < record->length)
    sb_decoder_reset (decoder);
  else
    sb_decoder_finish (decoder, out, marks);

  return g_string_free (out, FALSE);
}

char *
sb_history_decode (SbHistory     *self,
                   guint          position,
                   const char    *encoding,
                   SbDecodeFlags  flags,
                   GArray        *marks)
{
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
  return decode_record (self, position, encoding, flags, marks, max_bytes, truncated);
}

/* SbHistoryItem API */

SbHistory *
sb_history_item_get_history (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), NULL);

  return self->history;
}

guint64
sb_history_item_get_serial (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->serial;
}

gint64
sb_history_item_get_time (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->time_us;
}

SbDirection
sb_history_item_get_direction (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), SB_DIRECTION_EVENT);

  return self->direction;
}

SbEventKind
sb_history_item_get_event (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), SB_EVENT_NONE);

  return self->event;
}

guint
sb_history_item_get_peer (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->peer;
}

const char *
sb_history_item_get_peer_label (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), "");

  return sb_history_get_peer_label (self->history, self->peer);
}

gsize
sb_history_item_get_length (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->length;
}

GBytes *
sb_history_item_dup_data (SbHistoryItem *self)
{
  SbHistory *history;
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), NULL);

  history = self->history;
  if (!store_has (history, self->serial))
    return NULL;

  record = record_at (history, self->serial);
  return g_bytes_new (record_data (history, record), record->length);
}

/* Names */

const char *
sb_direction_to_string (SbDirection direction)
{
  switch (direction)
    {
    case SB_DIRECTION_RX:
      return "rx";
    case SB_DIRECTION_TX:
      return "tx";
    case SB_DIRECTION_EVENT:
      return "event";
    default:
      g_return_val_if_reached ("unknown");
    }
}

const char *
sb_event_kind_to_string (SbEventKind event)
{
  static const char * const names[] = {
    [SB_EVENT_NONE] = "none",
    [SB_EVENT_LISTENING] = "listening",
    [SB_EVENT_CONNECTED] = "connected",
    [SB_EVENT_PEER_CLOSED] = "peer-closed",
    [SB_EVENT_HALF_CLOSED] = "half-closed",
    [SB_EVENT_RESET] = "reset",
    [SB_EVENT_DISCONNECTED] = "disconnected",
    [SB_EVENT_ERROR] = "error",
    [SB_EVENT_INFO] = "info",
    [SB_EVENT_STOPPED] = "stopped",
  };

  g_return_val_if_fail ((guint) event < G_N_ELEMENTS (names), "unknown");

  return names[event];
}

const char *
sb_event_kind_get_label (SbEventKind event)
{
  switch (event)
    {
    case SB_EVENT_LISTENING:    return _("Listening");
    case SB_EVENT_CONNECTED:    return _("Connected");
    case SB_EVENT_PEER_CLOSED:  return _("Closed by the peer");
    case SB_EVENT_HALF_CLOSED:  return _("Sending side closed");
    case SB_EVENT_RESET:        return _("Connection reset");
    case SB_EVENT_DISCONNECTED: return _("Disconnected");
    case SB_EVENT_ERROR:        return _("Error");
    case SB_EVENT_STOPPED:      return _("Stopped");
    case SB_EVENT_INFO:
    case SB_EVENT_NONE:
    default:                    return "";
    }
}
