/* sb-history.c — the record of what crossed the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history"

#include "config.h"

#include <string.h>

#include "sb-history-private.h"

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

static void
peer_label_free (gpointer data)
{
  g_free (data);
}

/* peer_by_id's keys are &PeerLabel.id. */
static void
peer_label_free_by_id (gpointer id)
{
  g_free (PEER_LABEL_OF_ID (id));
}

G_DEFINE_FINAL_TYPE_WITH_CODE (SbHistory, sb_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      sb_history_list_model_init))

/* Model side */

/* The frame budget. A threaded history announces at once when its last
 * announcement is older than the interval, and otherwise waits for it: at
 * most 20 announcements a second while records come at a pace a person
 * can follow, and down to 4 a second while they come faster than anyone
 * reads (more than FAST_RECORDS_PER_S over the last interval). Every view that
 * follows the history pays per announcement, not per record, and the
 * window paints one frame per announcement. */
#define FLUSH_INTERVAL_US       (50 * 1000)
#define FLUSH_INTERVAL_FAST_US  (250 * 1000)
#define FAST_RECORDS_PER_S      200

static gboolean
flush_cb (gpointer user_data)
{
  SbHistory *self = user_data;

  sb_history_flush (self);
  return G_SOURCE_REMOVE;
}

/* A source that is ready at a given time (the flush's deadline), so the
 * history's and the trace's are dispatched in one main-loop iteration. */
static gboolean
deadline_dispatch (GSource     *source,
                   GSourceFunc  callback,
                   gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs deadline_funcs = {
  .dispatch = deadline_dispatch,
};

/* Called with the lock held. */
static gint64
flush_deadline (SbHistory *self)
{
  if (!self->threaded)
    return 0;
  return self->last_flush_us + self->flush_interval_us;
}

GSource *
sb_history_create_flush_source (SbHistory *self)
{
  GSource *source;
  gint64 deadline;

  g_return_val_if_fail (SB_IS_HISTORY (self), NULL);

  pthread_mutex_lock (&self->lock);
  deadline = flush_deadline (self);
  pthread_mutex_unlock (&self->lock);

  source = g_source_new (&deadline_funcs, sizeof (GSource));
  g_source_set_priority (source, FLUSH_PRIORITY);
  /* 0 is "at once" for g_source_set_ready_time(). */
  g_source_set_ready_time (source, MAX (deadline, 0));
  return source;
}

/* Called with the lock held. */
static void
schedule_flush (SbHistory *self)
{
  if (self->flush_source != NULL)
    return;

  /* The source holds no reference: dispose destroys it. */
  self->flush_source = sb_history_create_flush_source (self);
  g_source_set_callback (self->flush_source, flush_cb, self, NULL);
  g_source_set_static_name (self->flush_source, "[sockbench] SbHistory flush");
  g_source_attach (self->flush_source, self->context);
}

static void
cancel_flush (SbHistory *self)
{
  HISTORY_LOCKED (self);

  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
}

/* The owner's thread, with the lock held: nothing it shows refers to what
 * was retired before now. */
static void
reclaim (SbHistory *self,
         guint      n_retired,
         guint      n_labels)
{
  for (guint i = 0; i < n_retired; i++)
    g_free (self->retired->pdata[i]);
  g_ptr_array_remove_range (self->retired, 0, n_retired);
  for (guint i = 0; i < n_labels; i++)
    peer_label_free (self->retired_labels->pdata[i]);
  g_ptr_array_remove_range (self->retired_labels, 0, n_labels);
}

void
sb_history_set_threaded (SbHistory *self,
                         gboolean   threaded)
{
  g_return_if_fail (SB_IS_HISTORY (self));

  {
    HISTORY_LOCKED (self);

    self->threaded = !!threaded;
  }
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
  HISTORY_LOCKED (self);
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

  reclaim (self, self->retired->len, self->retired_labels->len);
  g_ptr_array_unref (self->retired);
  g_ptr_array_unref (self->retired_labels);
  pthread_mutex_destroy (&self->lock);
  _sb_ptr_ring_destroy (&self->chunks);
  _sb_ptr_ring_destroy (&self->blocks);
  _sb_ptr_ring_destroy (&self->bigs);
  g_clear_pointer (&self->spare_chunk, g_free);
  g_clear_pointer (&self->spare_block, g_free);
  g_clear_pointer (&self->links, sb_stream_links_free);
  /* The queue borrows the labels: the table frees them. */
  g_queue_clear (&self->unreferenced);
  g_clear_pointer (&self->peer_ids, g_hash_table_unref);
  g_clear_pointer (&self->peer_by_id, g_hash_table_unref);
  g_clear_pointer (&self->stream_decode, sb_stream_decode_free);
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
  self->flush_interval_us = FLUSH_INTERVAL_US;
  self->max_records = SB_HISTORY_DEFAULT_MAX_RECORDS;
  self->max_bytes = SB_HISTORY_DEFAULT_MAX_BYTES;
  self->links = sb_stream_links_new ();
  self->peer_by_id = g_hash_table_new_full (g_int_hash, g_int_equal,
                                            peer_label_free_by_id, NULL);
  /* Keys are borrowed from the PeerLabel. */
  self->peer_ids = g_hash_table_new (g_str_hash, g_str_equal);
  self->next_peer_id = 1;
  self->context = g_main_context_ref_thread_default ();
  self->retired = g_ptr_array_new ();
  self->retired_labels = g_ptr_array_new ();
  {
    pthread_mutexattr_t attr;

    pthread_mutexattr_init (&attr);
    pthread_mutexattr_settype (&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init (&self->lock, &attr);
    pthread_mutexattr_destroy (&attr);
  }
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
  HISTORY_LOCKED (self);
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
      _sb_history_enforce_limits (self);
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
  HISTORY_LOCKED (self);
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->max_records;
}

gsize
sb_history_get_max_bytes (SbHistory *self)
{
  HISTORY_LOCKED (self);
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->max_bytes;
}

static PeerLabel *
lookup_peer (SbHistory *self,
             guint      peer_id)
{
  gpointer id = g_hash_table_lookup (self->peer_by_id, &peer_id);

  return id != NULL ? PEER_LABEL_OF_ID (id) : NULL;
}

/* A label is parked at the tail and mostly taken back soon after (interned,
 * then used by a record or held by its peer): look from the tail. */
static void
unpark_peer (SbHistory *self,
             PeerLabel *peer)
{
  for (GList *l = self->unreferenced.tail; l != NULL; l = l->prev)
    if (l->data == peer)
      {
        g_queue_delete_link (&self->unreferenced, l);
        return;
      }
  g_assert_not_reached ();
}

static void
forget_peer (SbHistory *self,
             PeerLabel *peer)
{
  unpark_peer (self, peer);
  sb_stream_links_forget_peer (self->links, peer->id);
  g_hash_table_remove (self->peer_ids, peer->label);
  if (self->threaded)
    {
      /* The owner may hold its text until its next flush. */
      g_hash_table_steal (self->peer_by_id, &peer->id);
      g_ptr_array_add (self->retired_labels, peer);
    }
  else
    g_hash_table_remove (self->peer_by_id, &peer->id);
}

/* A label nothing refers to waits in the queue; the oldest beyond
 * UNREFERENCED_KEEP is freed. */
static void
park_peer (SbHistory *self,
           PeerLabel *peer)
{
  g_queue_push_tail (&self->unreferenced, peer);
  while (self->unreferenced.length > UNREFERENCED_KEEP)
    forget_peer (self, self->unreferenced.head->data);
}

static void
use_peer (SbHistory *self,
          PeerLabel *peer)
{
  if (peer->records == 0 && peer->holds == 0)
    unpark_peer (self, peer);
}

void
_sb_history_peer_unref_record (SbHistory *self,
                               guint      peer_id)
{
  PeerLabel *peer;

  if (peer_id == 0 || (peer = lookup_peer (self, peer_id)) == NULL)
    return;
  g_assert (peer->records > 0);
  if (--peer->records == 0 && peer->holds == 0)
    park_peer (self, peer);
}

/* Every record is gone. */
void
_sb_history_peers_cleared (SbHistory *self)
{
  GHashTableIter iter;
  PeerLabel *peer;
  gpointer id;
  g_autoptr(GPtrArray) parked = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, self->peer_by_id);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      peer = PEER_LABEL_OF_ID (id);
      if (peer->records > 0 && peer->holds == 0)
        g_ptr_array_add (parked, peer);
      peer->records = 0;
    }
  /* Not while iterating: parking may free labels. */
  for (guint i = 0; i < parked->len; i++)
    park_peer (self, g_ptr_array_index (parked, i));
}

guint
sb_history_intern_peer (SbHistory  *self,
                        const char *label)
{
  HISTORY_LOCKED (self);
  PeerLabel *peer;
  const char *known;
  gsize size;

  g_return_val_if_fail (SB_IS_HISTORY (self), 0);
  g_return_val_if_fail (label != NULL, 0);

  known = g_hash_table_lookup (self->peer_ids, label);
  if (known != NULL)
    return PEER_LABEL_OF_LABEL (known)->id;

  size = strlen (label) + 1;
  peer = g_malloc0 (sizeof (PeerLabel) + size);
  memcpy (peer->label, label, size);
  /* Ids are not reused; after 2^32 of them, skip those still in use. */
  while (self->next_peer_id == 0 || lookup_peer (self, self->next_peer_id) != NULL)
    self->next_peer_id++;
  peer->id = self->next_peer_id++;
  g_hash_table_add (self->peer_by_id, &peer->id);
  g_hash_table_add (self->peer_ids, peer->label);
  park_peer (self, peer);

  return peer->id;
}

const char *
sb_history_get_peer_label (SbHistory *self,
                           guint      peer_id)
{
  HISTORY_LOCKED (self);
  PeerLabel *peer;

  g_return_val_if_fail (SB_IS_HISTORY (self), "");

  peer = lookup_peer (self, peer_id);
  return peer != NULL ? peer->label : "";
}

void
sb_history_hold_peer (SbHistory *self,
                      guint      peer_id)
{
  HISTORY_LOCKED (self);
  PeerLabel *peer;

  g_return_if_fail (SB_IS_HISTORY (self));

  if (peer_id == 0)
    return;
  peer = lookup_peer (self, peer_id);
  g_return_if_fail (peer != NULL);

  use_peer (self, peer);
  peer->holds++;
}

void
sb_history_release_peer (SbHistory *self,
                         guint      peer_id)
{
  HISTORY_LOCKED (self);
  PeerLabel *peer;

  g_return_if_fail (SB_IS_HISTORY (self));

  if (peer_id == 0)
    return;
  peer = lookup_peer (self, peer_id);
  g_return_if_fail (peer != NULL && peer->holds > 0);

  if (--peer->holds == 0 && peer->records == 0)
    park_peer (self, peer);
}

guint
sb_history_get_n_peer_labels (SbHistory *self)
{
  HISTORY_LOCKED (self);
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return g_hash_table_size (self->peer_by_id);
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
  HISTORY_LOCKED (self);
  guint64 serial;
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY (self), 0);
  g_return_val_if_fail (direction <= SB_DIRECTION_EVENT, 0);
  g_return_val_if_fail (event <= SB_EVENT_LAST, 0);
  g_return_val_if_fail (data != NULL || len == 0, 0);
  g_return_val_if_fail (len <= G_MAXUINT32, 0);

  if (peer_id != 0)
    {
      PeerLabel *peer = lookup_peer (self, peer_id);

      g_return_val_if_fail (peer != NULL, 0);
      use_peer (self, peer);
      peer->records++;
    }

  serial = self->next_serial;

  if (self->chunks.len == 0 ||
      (serial >> RECORD_CHUNK_SHIFT) - self->first_chunk == self->chunks.len)
    {
      Record *chunk = g_steal_pointer (&self->spare_chunk);

      if (chunk == NULL)
        chunk = g_new (Record, RECORD_CHUNK_SIZE);
      if (self->chunks.len == 0)
        self->first_chunk = serial >> RECORD_CHUNK_SHIFT;
      _sb_ptr_ring_push (&self->chunks, chunk);
    }

  record = record_at (self, serial);
  *record = (Record) {
    .time_us = time_us,
    .length = (guint32) len,
    .peer = peer_id,
    .direction = direction,
    .event = event,
  };
  _sb_history_store_payload (self, record, serial, data, len);
  self->next_serial++;
  self->n_bytes += len;

  _sb_history_link_stream (self, record, serial);

  _sb_history_enforce_limits (self);
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

  guint64 store_first, next_serial, n_dropped;
  gsize n_bytes;
  guint n_retired, n_labels;
  gint64 now;

  g_return_if_fail (SB_IS_HISTORY (self));

  /* What the store holds now; the appender goes on meanwhile, and what it
   * adds is announced at the next flush. */
  pthread_mutex_lock (&self->lock);
  if (self->flush_source != NULL)
    {
      g_source_destroy (self->flush_source);
      g_clear_pointer (&self->flush_source, g_source_unref);
    }
  now = g_get_monotonic_time ();
  store_first = self->store_first;
  next_serial = self->next_serial;
  /* The pace of the next interval follows this one's, a step at a time
   * both ways, so a flood that stutters keeps a steady pace. (A record
   * after a quiet spell longer than the interval is announced at once
   * whatever the pace.) */
  if (self->threaded && self->last_flush_us > 0 &&
      (next_serial - self->vis_next) * G_USEC_PER_SEC >
      (guint64) FAST_RECORDS_PER_S * (guint64) MAX (now - self->last_flush_us, 1))
    self->flush_interval_us = MIN (self->flush_interval_us + FLUSH_INTERVAL_US, FLUSH_INTERVAL_FAST_US);
  else
    self->flush_interval_us = MAX (self->flush_interval_us - FLUSH_INTERVAL_US, FLUSH_INTERVAL_US);
  self->last_flush_us = now;
  n_bytes = self->n_bytes;
  n_dropped = self->n_dropped;
  /* Retired for records before store_first: not shown after this flush. */
  n_retired = self->retired->len;
  n_labels = self->retired_labels->len;
  pthread_mutex_unlock (&self->lock);

  n_before = visible_count (self);

  /* The model must match what each emission announced, at every emission:
   * handlers read it back. */
  removed = MIN (store_first, self->vis_next) - self->vis_first;
  if (removed > 0)
    {
      self->vis_first += removed;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) removed, 0);
    }
  /* Everything visible went; records both appended and dropped since the
   * last flush were never announced. (Not so if a handler appended over a
   * cap meanwhile: its idle announces that.) */
  if (self->vis_first == self->vis_next && self->vis_first < store_first)
    self->vis_first = self->vis_next = store_first;

  added = next_serial - self->vis_next;
  if (added > 0)
    {
      guint position = visible_count (self);

      self->vis_next = next_serial;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, (guint) added);
    }

  /* The rows handlers showed are announced gone: what they referred to can go. */
  pthread_mutex_lock (&self->lock);
  reclaim (self, n_retired, n_labels);
  pthread_mutex_unlock (&self->lock);

  if (n_before != visible_count (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RECORDS]);
  if (self->notified_bytes != n_bytes)
    {
      self->notified_bytes = n_bytes;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BYTES]);
    }
  if (self->notified_dropped != n_dropped)
    {
      self->notified_dropped = n_dropped;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DROPPED]);
    }
}

void
sb_history_clear (SbHistory *self)
{
  HISTORY_LOCKED (self);
  guint64 n;

  g_return_if_fail (SB_IS_HISTORY (self));

  n = store_count (self);
  _sb_history_store_clear (self);
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
  HISTORY_LOCKED (self);
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->n_bytes;
}

guint64
sb_history_get_n_dropped (SbHistory *self)
{
  HISTORY_LOCKED (self);
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->n_dropped;
}

guint64
sb_history_get_n_cleared (SbHistory *self)
{
  HISTORY_LOCKED (self);
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
sb_history_get_stored_first_serial (SbHistory *self)
{
  HISTORY_LOCKED (self);
  g_return_val_if_fail (SB_IS_HISTORY (self), 0);

  return self->store_first;
}

guint64
sb_history_get_next_serial (SbHistory *self)
{
  HISTORY_LOCKED (self);
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
  HISTORY_LOCKED (self);
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
  HISTORY_LOCKED (self);
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
  HISTORY_LOCKED (self);
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
  HISTORY_LOCKED (self);
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
  HISTORY_LOCKED (self);
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
  return _sb_history_record_data (self, record);
}

GBytes *
sb_history_dup_data (SbHistory *self,
                     guint      position)
{
  HISTORY_LOCKED (self);
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
  HISTORY_LOCKED (self);
  g_return_val_if_fail (SB_IS_HISTORY (self), FALSE);

  if (serial < self->vis_first || serial >= self->vis_next || serial < self->store_first)
    return FALSE;

  if (position != NULL)
    *position = (guint) (serial - self->vis_first);
  return TRUE;
}
