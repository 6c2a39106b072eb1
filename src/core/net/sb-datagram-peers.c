/* sb-datagram-peers.c — the senders a datagram socket knows, bounded
 *
 * Every address we exchange a datagram with becomes a peer. So that a
 * flood from many addresses cannot grow memory without end, peers are kept
 * in the order they were last heard of: one silent for "peer-timeout" ms is
 * forgotten, and beyond "max-peers" the one silent longest is forgotten for
 * each new one (counted as peers dropped).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-datagram"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-datagram-private.h"

/* Engine thread only */

struct _SbDatagramPeer
{
  /* In self->by_age; data points back here. */
  GList    link;
  /* Borrowed: the session's list owns the peer. */
  SbPeer  *peer;
  /* The label, the key in self->peers_by_label. */
  char    *label;
  gint64   last_seen;   /* monotonic, µs */
};

static void arm_expiry (SbDatagram *self);

static void
entry_free (SbDatagramPeer *entry)
{
  g_free (entry->label);
  g_free (entry);
}

/* Takes @entry out of the table; the caller removes its peer from the list. */
static SbPeer *
unlink_entry (SbDatagram     *self,
              SbDatagramPeer *entry)
{
  SbPeer *peer = entry->peer;

  if (self->cached_entry == entry)
    self->cached_entry = NULL;
  if (self->last_sender == peer)
    self->last_sender = NULL;

  g_queue_unlink (&self->by_age, &entry->link);
  g_hash_table_remove (self->peers_by_label, entry->label);
  entry_free (entry);

  return peer;
}

static void
drop_oldest (SbDatagram *self)
{
  SbDatagramPeer *entry = g_queue_peek_head (&self->by_age);
  SbPeer *peer;

  if (entry == NULL)
    return;

  peer = g_object_ref (unlink_entry (self, entry));
  sb_recorder_count_dropped_peer (_sb_session_get_recorder (SB_SESSION (self)));
  _sb_session_remove_peer (SB_SESSION (self), peer);
  g_object_unref (peer);
}

static void
enforce_limit (SbDatagram *self)
{
  if (g_hash_table_size (self->peers_by_label) <= self->max_peers)
    return;

  if (!self->warned_limit)
    {
      self->warned_limit = TRUE;
      _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_INFO,
                         ngettext ("More than %u peer: for each new one, the one silent longest is forgotten",
                                   "More than %u peers: for each new one, the one silent longest is forgotten",
                                   self->max_peers),
                         self->max_peers);
    }

  while (g_hash_table_size (self->peers_by_label) > self->max_peers)
    drop_oldest (self);
}

SbPeer *
_sb_datagram_lookup_peer (SbDatagram      *self,
                          GSocketAddress  *address,
                          SbPeer         **added)
{
  struct sockaddr_storage native;
  gssize native_len = g_socket_address_get_native_size (address);
  gboolean have_native = FALSE;
  g_autofree char *label = NULL;
  SbDatagramPeer *entry;

  *added = NULL;

  /* A flood comes from one sender or a few: compare the address as bytes
   * instead of formatting it for every datagram. */
  if (native_len > 0 && (gsize) native_len <= sizeof native)
    {
      memset (&native, 0, sizeof native);
      have_native = g_socket_address_to_native (address, &native, sizeof native, NULL);
    }
  if (have_native && self->cached_entry != NULL && self->cached_native_len == (gsize) native_len &&
      memcmp (&native, &self->cached_native, native_len) == 0)
    {
      entry = self->cached_entry;
    }
  else
    {
      label = sb_address_to_string (address);
      entry = g_hash_table_lookup (self->peers_by_label, label);
      if (entry == NULL)
        {
          SbPeer *peer = _sb_peer_new_datagram (_sb_session_get_recorder (SB_SESSION (self)), address);

          entry = g_new0 (SbDatagramPeer, 1);
          entry->link.data = entry;
          entry->peer = peer;
          entry->label = g_strdup (sb_peer_get_label (peer));
          g_hash_table_insert (self->peers_by_label, entry->label, entry);
          g_queue_push_tail_link (&self->by_age, &entry->link);
          *added = peer;
        }

      self->cached_entry = have_native ? entry : NULL;
      if (have_native)
        {
          memcpy (&self->cached_native, &native, native_len);
          self->cached_native_len = native_len;
        }
    }

  entry->last_seen = g_get_monotonic_time ();
  if (self->by_age.tail != &entry->link)
    {
      g_queue_unlink (&self->by_age, &entry->link);
      g_queue_push_tail_link (&self->by_age, &entry->link);
    }

  return entry->peer;
}

void
_sb_datagram_announce_peer (SbDatagram *self,
                            SbPeer     *added)
{
  if (added == NULL)
    return;

  /* The session's list owns it from here. */
  _sb_session_add_peer (SB_SESSION (self), added);
  g_object_unref (added);

  enforce_limit (self);
  arm_expiry (self);
}

void
_sb_datagram_forget_peer (SbDatagram *self,
                          SbPeer     *peer)
{
  SbDatagramPeer *entry = g_hash_table_lookup (self->peers_by_label, sb_peer_get_label (peer));

  if (entry != NULL && entry->peer == peer)
    unlink_entry (self, entry);
  if (self->last_sender == peer)
    self->last_sender = NULL;
}

void
_sb_datagram_forget_all (SbDatagram *self)
{
  SbDatagramPeer *entry;

  sb_clear_source (&self->expire_source);
  while ((entry = g_queue_peek_head (&self->by_age)) != NULL)
    unlink_entry (self, entry);
  self->last_sender = NULL;
  self->cached_entry = NULL;
  self->warned_limit = FALSE;
}

static gboolean
on_expire (gpointer user_data)
{
  SbDatagram *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 timeout_us = (gint64) self->peer_timeout * 1000;
  SbDatagramPeer *entry;

  g_clear_pointer (&self->expire_source, g_source_unref);
  g_object_ref (self);

  /* Oldest first: stop at the first that was heard of recently. A
   * peer-disconnected handler may change the table, so look again each time. */
  while (self->peer_timeout > 0 &&
         (entry = g_queue_peek_head (&self->by_age)) != NULL &&
         now - entry->last_seen >= timeout_us)
    {
      SbPeer *peer = g_object_ref (unlink_entry (self, entry));

      _sb_session_remove_peer (SB_SESSION (self), peer);
      g_object_unref (peer);
    }

  arm_expiry (self);
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

static void
arm_expiry (SbDatagram *self)
{
  SbDatagramPeer *head = g_queue_peek_head (&self->by_age);
  gint64 due;

  if (self->expire_source != NULL || head == NULL || self->peer_timeout == 0)
    return;

  /* Touching a peer moves it to the tail: the head expires first, and a
   * timer that finds it was heard of since just waits again. */
  due = head->last_seen + (gint64) self->peer_timeout * 1000 - g_get_monotonic_time ();
  self->expire_source = sb_timeout_source_add (due > 0 ? (guint) ((due + 999) / 1000) : 0, on_expire, self);
}

guint
sb_datagram_get_max_peers (SbDatagram *self)
{
  g_return_val_if_fail (SB_IS_DATAGRAM (self), 0);

  return self->max_peers;
}

void
_sb_datagram_set_max_peers (SbDatagram *self,
                            guint       max_peers)
{
  self->max_peers = MAX (max_peers, 1);
  g_object_ref (self);
  enforce_limit (self);
  g_object_unref (self);
}

guint
sb_datagram_get_peer_timeout (SbDatagram *self)
{
  g_return_val_if_fail (SB_IS_DATAGRAM (self), 0);

  return self->peer_timeout;
}

void
_sb_datagram_set_peer_timeout (SbDatagram *self,
                               guint       timeout_ms)
{
  self->peer_timeout = timeout_ms;
  sb_clear_source (&self->expire_source);
  arm_expiry (self);
}
