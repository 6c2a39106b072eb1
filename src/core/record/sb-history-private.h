/* sb-history-private.h — what the parts of sb-history share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pthread.h>

#include "sb-history.h"

G_BEGIN_DECLS

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

/*
 * Threads
 *
 * A session on an engine appends on the engine's thread while its owner
 * (the window) reads positions on its own. Every public function holds
 * @lock (recursive) while it touches the store; the model's side (vis_*)
 * belongs to the owner's thread alone. Records never change once written.
 * What the owner may still be looking at is never freed by the appender: a
 * threaded history retires the chunks, blocks, big payloads and labels it
 * drops, and the owner frees them at its next flush, when no row it shows
 * refers to them any more (pointers from peek_data and get_peer_label are
 * good until the owner's next flush, on the owner's thread).
 */

/*
 * Peer labels
 *
 * Ids are never reused (a stale id answers ""). A label lives while a stored
 * record refers to it or a live peer holds it (sb_history_hold_peer); after
 * that it waits in a queue of unreferenced labels, so that a label interned
 * but not yet used is not lost at once, and beyond UNREFERENCED_KEEP of them
 * the oldest is freed. So the table holds at most
 *   max-records + live peers + UNREFERENCED_KEEP
 * labels, whatever the number of senders over a session.
 */
#define UNREFERENCED_KEEP 256

/* One allocation of 12 bytes + the label. The two tables are sets of
 * pointers into it (to @id, to @label): no value arrays, no second copy of
 * the text. A TCP peer "127.0.0.1:41234" costs a 48-byte block and ~25
 * bytes of the tables. Only the few unreferenced ones have a queue link. */
typedef struct
{
  /* In unreferenced while records == 0 && holds == 0 */
  guint   id;
  guint   records;   /* stored records with this peer */
  guint   holds;
  char    label[];
} PeerLabel;

#define PEER_LABEL_OF_ID(p)    ((PeerLabel *) ((char *) (p) - G_STRUCT_OFFSET (PeerLabel, id)))
#define PEER_LABEL_OF_LABEL(p) ((PeerLabel *) ((char *) (p) - G_STRUCT_OFFSET (PeerLabel, label)))

#define RECORD_CHUNK_SHIFT 12
#define RECORD_CHUNK_SIZE  (1u << RECORD_CHUNK_SHIFT)
#define RECORD_CHUNK_MASK  (RECORD_CHUNK_SIZE - 1)
#define BLOCK_SIZE         (1024 * 1024)
/* A block that filled faster than this is followed by one whose pages are
 * made present at once (prefault()). */
#define PREFAULT_WITHIN_US (100 * 1000)
/* At most 1/8 of a block is wasted when a block is closed early. */
#define BIG_PAYLOAD        (BLOCK_SIZE / 8)

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

struct _SbHistory
{
  GObject         parent_instance;

  /* Store */
  PtrRing         chunks;         /* Record[RECORD_CHUNK_SIZE] */
  guint64         first_chunk;    /* chunk number (serial >> shift) of chunks[0] */
  PtrRing         blocks;         /* Block */
  guint64         first_block;    /* number of blocks[0] */
  PtrRing         bigs;           /* guint8[] */
  guint64         first_big;      /* number of bigs[0] */
  Record         *spare_chunk;
  Block          *spare_block;
  gint64          block_started_us; /* when the newest block was started */
  guint64         store_first;
  guint64         next_serial;
  gsize           n_bytes;
  SbStreamLinks  *links;

  /* Announced to the model */
  guint64         vis_first;
  guint64         vis_next;
  guint64         notified_dropped;
  gsize           notified_bytes;

  /* Limits and counters */
  guint           max_records;
  gsize           max_bytes;
  guint64         n_dropped;
  guint64         n_cleared;

  /* Peers (see "Peer labels"): sets of &PeerLabel.id (it owns the labels)
   * and of PeerLabel.label */
  GHashTable     *peer_by_id;
  GHashTable     *peer_ids;
  GQueue          unreferenced;   /* PeerLabel, oldest first (g_queue_push_tail) */
  guint           next_peer_id;

  /* Reused across decode calls (iconv_open is not free) */
  SbStreamDecode *stream_decode;

  GMainContext   *context;
  GSource        *flush_source;   /* lock */
  gint64          last_flush_us;
  gint64          flush_interval_us;   /* the pace of the next announcement */

  /* Threads (see "Threads" above) */
  pthread_mutex_t lock;           /* recursive */
  gboolean        threaded;
  GPtrArray      *retired;        /* lock: chunks, blocks, big payloads (g_free) */
  GPtrArray      *retired_labels; /* lock: PeerLabel */
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

#define HISTORY_LOCKED(h) \
  __attribute__((cleanup (_sb_history_unlock))) SbHistory *_sb_locked G_GNUC_UNUSED = _sb_history_lock (h)

static inline SbHistory *
_sb_history_lock (SbHistory *self)
{
  pthread_mutex_lock (&self->lock);
  return self;
}

static inline void
_sb_history_unlock (SbHistory **self)
{
  pthread_mutex_unlock (&(*self)->lock);
}

static inline gpointer
ptr_ring_nth (const PtrRing *ring,
              guint          n)
{
  g_assert (n < ring->len);
  return ring->items[(ring->head + n) & ring->mask];
}

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

static inline guint
visible_count (SbHistory *self)
{
  return (guint) (self->vis_next - self->vis_first);
}

/* Returns the record at model @position, or NULL if it is dropped from the
 * store and its removal is not yet announced. */
static inline Record *
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

/* sb-history-store.c */
void          _sb_ptr_ring_push          (PtrRing        *ring,
                                          gpointer        item);
gpointer      _sb_ptr_ring_pop_front     (PtrRing        *ring);
void          _sb_ptr_ring_clear         (PtrRing        *ring,
                                          GDestroyNotify  free_func);
void          _sb_ptr_ring_destroy       (PtrRing        *ring);
const guint8 *_sb_history_record_data    (SbHistory      *self,
                                          const Record   *record);
void          _sb_history_store_payload  (SbHistory      *self,
                                          Record         *record,
                                          guint64         serial,
                                          const guint8   *data,
                                          gsize           len);
void          _sb_history_enforce_limits (SbHistory      *self);
void          _sb_history_store_clear    (SbHistory      *self);
void          _sb_history_peer_unref_record (SbHistory   *self,
                                          guint           peer_id);
void          _sb_history_peers_cleared  (SbHistory      *self);
void          _sb_history_link_stream    (SbHistory      *self,
                                          Record         *record,
                                          guint64         serial);

G_END_DECLS
