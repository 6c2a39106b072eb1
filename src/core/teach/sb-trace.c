/* sb-trace.c — the socket calls a session really made, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-trace"

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>

#include "sb-address.h"
#include "sb-codec.h"
#include "sb-engine.h"
#include "sb-socket-error.h"
#include "sb-trace-private.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SbTrace, sb_trace, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))
G_DEFINE_FINAL_TYPE (SbTraceCall, sb_trace_call, G_TYPE_OBJECT)

static void
detail_free (Detail *detail)
{
  g_clear_object (&detail->address);
  g_free (detail->text);
  g_free (detail->errno_name);
  g_free (detail->message);
  g_free (detail);
}

/* The ring of packed details */

static guint32
push_detail (SbTrace *self,
             guint8  *packed)
{
  if (self->details == NULL || self->details_len == self->details_mask + 1)
    {
      guint capacity = self->details == NULL ? 8 : (self->details_mask + 1) * 2;
      gpointer *details = g_new (gpointer, capacity);

      for (guint i = 0; i < self->details_len; i++)
        details[i] = self->details[(self->details_head + i) & self->details_mask];
      g_free (self->details);
      self->details = details;
      self->details_mask = capacity - 1;
      self->details_head = 0;
    }

  self->details[(self->details_head + self->details_len) & self->details_mask] = packed;
  self->details_len++;
  return self->first_detail + self->details_len - 1;
}

static gpointer *
detail_slot (SbTrace *self,
             guint32  number)
{
  guint32 n = number - self->first_detail;

  g_assert (n < self->details_len);
  return &self->details[(self->details_head + n) & self->details_mask];
}

/* Entries [@from, @to) are about to go: their details go with them. */
static void
free_details (SbTrace *self,
              guint    from,
              guint    to)
{
  for (guint i = from; i < to; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->flags & ENTRY_PACKED)
        g_clear_pointer (detail_slot (self, entry->detail), g_free);
    }

  while (self->details_len > 0 && self->details[self->details_head] == NULL)
    {
      self->details_head = (self->details_head + 1) & self->details_mask;
      self->details_len--;
      self->first_detail++;
    }
}

/* A packed detail: a byte of PACKED_* flags, then what they say is there, in
 * this order: arg1 and arg2 (8 bytes each), the address (2 bytes of length,
 * then its struct sockaddr), text, errno name and message (each up to its
 * NUL). */
enum
{
  PACKED_ARG1    = 1 << 0,
  PACKED_ARG2    = 1 << 1,
  PACKED_ADDRESS = 1 << 2,
  PACKED_TEXT    = 1 << 3,
  PACKED_ERRNO   = 1 << 4,
  PACKED_MESSAGE = 1 << 5,
};

static void
pack_string (GByteArray *out,
             guint8      flag,
             const char *text)
{
  if (text == NULL)
    return;
  out->data[0] |= flag;
  g_byte_array_append (out, (const guint8 *) text, strlen (text) + 1);
}

static guint8 *
pack_detail (GSocketAddress *address,
             gint64          arg1,
             gint64          arg2,
             const char     *text,
             const char     *errno_name,
             const char     *message)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (64);
  guint8 flags = 0;

  g_byte_array_append (out, &flags, 1);
  if (arg1 != 0)
    {
      out->data[0] |= PACKED_ARG1;
      g_byte_array_append (out, (const guint8 *) &arg1, sizeof arg1);
    }
  if (arg2 != 0)
    {
      out->data[0] |= PACKED_ARG2;
      g_byte_array_append (out, (const guint8 *) &arg2, sizeof arg2);
    }
  if (address != NULL)
    {
      gssize size = g_socket_address_get_native_size (address);
      guint8 native[sizeof (struct sockaddr_storage)];
      guint16 size16;

      if (size > 0 && (gsize) size <= sizeof native &&
          g_socket_address_to_native (address, native, sizeof native, NULL))
        {
          size16 = (guint16) size;
          out->data[0] |= PACKED_ADDRESS;
          g_byte_array_append (out, (const guint8 *) &size16, sizeof size16);
          g_byte_array_append (out, native, size16);
        }
    }
  pack_string (out, PACKED_TEXT, text);
  pack_string (out, PACKED_ERRNO, errno_name);
  pack_string (out, PACKED_MESSAGE, message);

  /* Its exact size: the array's spare capacity would be kept with it. */
  return g_memdup2 (out->data, out->len);
}

static char *
unpack_string (const guint8 **p)
{
  char *text = g_strdup ((const char *) *p);

  *p += strlen (text) + 1;
  return text;
}

static Detail *
unpack_detail (SbTrace     *self,
               const Entry *entry)
{
  Detail *detail = g_new0 (Detail, 1);
  const guint8 *p;
  guint8 flags;

  if (!(entry->flags & ENTRY_PACKED))
    {
      detail->arg1 = entry->args[0];
      detail->arg2 = entry->args[1];
      return detail;
    }

  p = *detail_slot (self, entry->detail);
  flags = *p++;
  if (flags & PACKED_ARG1)
    {
      memcpy (&detail->arg1, p, sizeof detail->arg1);
      p += sizeof detail->arg1;
    }
  if (flags & PACKED_ARG2)
    {
      memcpy (&detail->arg2, p, sizeof detail->arg2);
      p += sizeof detail->arg2;
    }
  if (flags & PACKED_ADDRESS)
    {
      guint16 size;

      memcpy (&size, p, sizeof size);
      p += sizeof size;
      detail->address = g_socket_address_new_from_native ((gpointer) p, size);
      p += size;
    }
  if (flags & PACKED_TEXT)
    detail->text = unpack_string (&p);
  if (flags & PACKED_ERRNO)
    detail->errno_name = unpack_string (&p);
  if (flags & PACKED_MESSAGE)
    detail->message = unpack_string (&p);

  return detail;
}

static GType
sb_trace_get_item_type (GListModel *model)
{
  return SB_TYPE_TRACE_CALL;
}

static guint
sb_trace_get_n_items (GListModel *model)
{
  return SB_TRACE (model)->n_announced;
}

static gpointer
sb_trace_get_item (GListModel *model,
                   guint       position)
{
  SbTrace *self = SB_TRACE (model);
  SbTraceCall *call;

  if (position >= self->n_announced)
    return NULL;

  call = g_object_new (SB_TYPE_TRACE_CALL, NULL);
  call->trace = g_object_ref (self);
  pthread_mutex_lock (&self->lock);
  call->entry = g_array_index (self->entries, Entry, position);
  if (!(call->entry.flags & ENTRY_DATA))
    call->detail = unpack_detail (self, &call->entry);
  pthread_mutex_unlock (&self->lock);

  return call;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = sb_trace_get_item_type;
  iface->get_n_items = sb_trace_get_n_items;
  iface->get_item = sb_trace_get_item;
}

static void
sb_trace_dispose (GObject *object)
{
  SbTrace *self = (SbTrace *)object;

  pthread_mutex_lock (&self->lock);
  sb_clear_source (&self->flush_source);
  pthread_mutex_unlock (&self->lock);

  G_OBJECT_CLASS (sb_trace_parent_class)->dispose (object);
}

static void
sb_trace_finalize (GObject *object)
{
  SbTrace *self = (SbTrace *)object;

  g_clear_object (&self->history);
  for (guint i = 0; i < self->details_len; i++)
    g_free (self->details[(self->details_head + i) & self->details_mask]);
  g_clear_pointer (&self->details, g_free);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  pthread_mutex_destroy (&self->lock);
  g_clear_pointer (&self->tls_sockets, g_hash_table_unref);

  G_OBJECT_CLASS (sb_trace_parent_class)->finalize (object);
}

static void
sb_trace_class_init (SbTraceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_trace_dispose;
  object_class->finalize = sb_trace_finalize;
}

static void
sb_trace_init (SbTrace *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  self->tls_sockets = g_hash_table_new (NULL, NULL);
  self->context = g_main_context_ref_thread_default ();
  pthread_mutex_init (&self->lock, NULL);
}

SbTrace *
sb_trace_new (SbHistory *history)
{
  SbTrace *self;

  g_return_val_if_fail (SB_IS_HISTORY (history), NULL);

  self = g_object_new (SB_TYPE_TRACE, NULL);
  self->history = g_object_ref (history);

  return self;
}

SbHistory *
sb_trace_get_history (SbTrace *self)
{
  g_return_val_if_fail (SB_IS_TRACE (self), NULL);

  return self->history;
}

/* Calls whose place in the history was dropped are dropped too, so the
 * trace is bounded by the history's caps. */
static guint
drop_old_data_calls (SbTrace *self)
{
  guint64 first = sb_history_get_first_serial (self->history);
  guint n = 0;

  while (n < self->entries->len)
    {
      Entry *entry = &g_array_index (self->entries, Entry, n);

      if (entry->serial >= first)
        break;
      n++;
    }

  /* Removing from the front moves the array: do it in bulk. */
  if (n < 4096 && n < self->entries->len / 8)
    return 0;

  free_details (self, 0, n);
  g_array_remove_range (self->entries, 0, n);
  return n;
}

void
sb_trace_flush (SbTrace *self)
{
  guint dropped, removed, added, position;

  g_return_if_fail (SB_IS_TRACE (self));

  pthread_mutex_lock (&self->lock);
  sb_clear_source (&self->flush_source);
  pthread_mutex_unlock (&self->lock);

  /* A send or receive refers to its record: announce the record first. */
  sb_history_flush (self->history);

  /* Dropped calls that were never announced simply never appear. */
  pthread_mutex_lock (&self->lock);
  /* n_announced changes with the array, under the lock: the engine's
   * append reads it to find what is not announced yet. */
  dropped = drop_old_data_calls (self);
  removed = MIN (dropped, self->n_announced);
  self->n_announced -= removed;
  pthread_mutex_unlock (&self->lock);

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  pthread_mutex_lock (&self->lock);
  position = self->n_announced;
  added = self->entries->len - position;
  self->n_announced += added;
  pthread_mutex_unlock (&self->lock);
  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);
}

static gboolean
flush_idle (gpointer data)
{
  SbTrace *self = data;

  sb_trace_flush (self);

  return G_SOURCE_REMOVE;
}

/* Calls not yet announced whose records the history has already dropped
 * are let go at once, so the trace stays within the history's caps while a
 * flood keeps the flush idle from running. */
#define COMPACT_EVERY 4096

static void
drop_unannounced (SbTrace *self)
{
  guint64 first = sb_history_get_stored_first_serial (self->history);
  guint k = self->n_announced;

  while (k < self->entries->len && g_array_index (self->entries, Entry, k).serial < first)
    k++;
  if (k > self->n_announced)
    free_details (self, self->n_announced, k);
  if (k > self->n_announced)
    g_array_remove_range (self->entries, self->n_announced, k - self->n_announced);
}

static void
append (SbTrace *self,
        Entry   *entry)
{
  if (self->entries->len - self->n_announced >= COMPACT_EVERY &&
      (self->entries->len - self->n_announced) % COMPACT_EVERY == 0)
    drop_unannounced (self);

  g_array_append_vals (self->entries, entry, 1);

  /* The same priority as the history's, queued after it, and at the
   * history's pace: its flush announces the history too. */
  if (self->flush_source == NULL)
    {
      self->flush_source = sb_history_create_flush_source (self->history);
      g_source_set_callback (self->flush_source, flush_idle, self, NULL);
      g_source_set_static_name (self->flush_source, "[sockbench] SbTrace flush");
      g_source_attach (self->flush_source, self->context);
    }
}

void
sb_trace_add (SbTrace        *self,
              SbCallKind      kind,
              guint           socket_id,
              GSocketAddress *address,
              gint64          arg1,
              gint64          arg2,
              const char     *text,
              const GError   *error)
{
  Entry entry = { 0 };
  guint8 *packed = NULL;

  g_return_if_fail (SB_IS_TRACE (self));

  entry.time = g_get_real_time ();
  entry.serial = sb_history_get_next_serial (self->history);
  entry.socket_id = socket_id;
  entry.kind = kind;
  entry.flags = error != NULL ? ENTRY_FAILED : 0;
  if (address == NULL && text == NULL && error == NULL &&
      arg1 == (gint16) arg1 && arg2 == (gint16) arg2)
    {
      entry.args[0] = (gint16) arg1;
      entry.args[1] = (gint16) arg2;
    }
  else
    {
      entry.flags |= ENTRY_PACKED;
      packed = pack_detail (address, arg1, arg2, text,
                            error ? sb_socket_error_errno_name (error) : NULL,
                            error ? error->message : NULL);
    }
  pthread_mutex_lock (&self->lock);
  if (kind == SB_CALL_TLS_HANDSHAKE && error == NULL)
    g_hash_table_add (self->tls_sockets, GUINT_TO_POINTER (socket_id + 1));
  if (packed != NULL)
    entry.detail = push_detail (self, packed);
  append (self, &entry);
  pthread_mutex_unlock (&self->lock);
}

void
sb_trace_add_data (SbTrace    *self,
                   SbCallKind  kind,
                   guint       socket_id,
                   guint64     serial)
{
  Entry entry = { 0 };

  g_return_if_fail (SB_IS_TRACE (self));

  entry.time = g_get_real_time ();
  entry.serial = serial;
  entry.socket_id = socket_id;
  entry.kind = kind;
  entry.flags = ENTRY_DATA;
  pthread_mutex_lock (&self->lock);
  append (self, &entry);
  pthread_mutex_unlock (&self->lock);
}

gboolean
sb_trace_find_serial (SbTrace *self,
                      guint64  serial,
                      guint   *position)
{
  guint lo = 0, hi;

  g_return_val_if_fail (SB_IS_TRACE (self), FALSE);

  pthread_mutex_lock (&self->lock);
  /* Data calls are in serial order; other calls (serial -1) sit between
   * them, so step over those while bisecting. */
  hi = self->n_announced;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint probe = mid;
      Entry *entry;

      while (probe < hi && !(g_array_index (self->entries, Entry, probe).flags & ENTRY_DATA))
        probe++;

      if (probe == hi)
        {
          hi = mid;
          continue;
        }

      entry = &g_array_index (self->entries, Entry, probe);
      if (entry->serial == serial)
        {
          pthread_mutex_unlock (&self->lock);
          if (position != NULL)
            *position = probe;
          return TRUE;
        }

      if (entry->serial < serial)
        lo = probe + 1;
      else
        hi = mid;
    }

  pthread_mutex_unlock (&self->lock);
  return FALSE;
}

/* SbTraceCall */

static void
sb_trace_call_finalize (GObject *object)
{
  SbTraceCall *self = (SbTraceCall *)object;

  g_clear_pointer (&self->detail, detail_free);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (sb_trace_call_parent_class)->finalize (object);
}

static void
sb_trace_call_class_init (SbTraceCallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sb_trace_call_finalize;
}

static void
sb_trace_call_init (SbTraceCall *self)
{
}

SbCallKind
sb_trace_call_get_kind (SbTraceCall *self)
{
  g_return_val_if_fail (SB_IS_TRACE_CALL (self), 0);
  return self->entry.kind;
}

gint64
sb_trace_call_get_time (SbTraceCall *self)
{
  g_return_val_if_fail (SB_IS_TRACE_CALL (self), 0);
  return self->entry.time;
}

gint64
sb_trace_call_get_serial (SbTraceCall *self)
{
  g_return_val_if_fail (SB_IS_TRACE_CALL (self), -1);
  return (self->entry.flags & ENTRY_DATA) ? (gint64) self->entry.serial : -1;
}

gboolean
sb_trace_call_failed (SbTraceCall *self)
{
  g_return_val_if_fail (SB_IS_TRACE_CALL (self), FALSE);
  return !!(self->entry.flags & ENTRY_FAILED);
}

const char *
sb_trace_call_get_errno_name (SbTraceCall *self)
{
  g_return_val_if_fail (SB_IS_TRACE_CALL (self), NULL);
  return self->detail ? self->detail->errno_name : NULL;
}

/* Formatting */
