/* sb-icmp.c — ICMP echo (ping) session
 *
 * Linux offers two sockets for ICMP echo: the "ping" datagram socket
 * (SOCK_DGRAM, IPPROTO_ICMP), open to the groups in
 * net.ipv4.ping_group_range, where the kernel picks the identifier, fills in
 * the checksum and only hands us our own replies; and SOCK_RAW, which needs
 * CAP_NET_RAW and shows every ICMP message of the host (IPv4: with its IP
 * header). We try them in that order. GLib's GSocketProtocol has no ICMP,
 * so the fd comes from socket() and is wrapped with g_socket_new_from_fd().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-icmp"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sb-icmp-private.h"

G_DEFINE_FINAL_TYPE (SbIcmp, sb_icmp, SB_TYPE_SESSION)

enum {
  PROP_0,
  PROP_INTERVAL,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void arm_expiry (SbIcmp *self);

/* RFC 1071: the one's complement of the one's complement sum. */
static guint16
inet_checksum (const guint8 *data,
               gsize         len)
{
  guint32 sum = 0;
  gsize i;

  for (i = 0; i + 1 < len; i += 2)
    sum += _sb_icmp_read_u16 (data + i);
  if (len & 1)
    sum += (guint32) data[len - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);

  return (guint16) ~sum;
}

/* The host alone: the port of an ICMP address means nothing. */
static char *
host_of (GSocketAddress *address)
{
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("?");

  return g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

/* Peers, as SbDatagram keeps them: a new one is only announced after the
 * message that made it was recorded. */
static SbPeer *
lookup_peer (SbIcmp          *self,
             GSocketAddress  *address,
             SbPeer         **added)
{
  g_autofree char *label = sb_address_to_string (address);
  SbPeer *peer;

  *added = NULL;
  peer = g_hash_table_lookup (self->peers_by_label, label);
  if (peer == NULL)
    {
      peer = _sb_peer_new_datagram (_sb_session_get_recorder (SB_SESSION (self)), address);
      g_hash_table_insert (self->peers_by_label, g_strdup (sb_peer_get_label (peer)), peer);
      *added = peer;
    }

  return peer;
}

static void
announce_peer (SbIcmp *self,
               SbPeer *added)
{
  if (added == NULL)
    return;

  _sb_session_add_peer (SB_SESSION (self), added);
  g_object_unref (added);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
clear_socket (SbIcmp *self)
{
  clear_source (&self->read_source);
  clear_source (&self->tick_source);
  clear_source (&self->expire_source);

  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      g_clear_object (&self->socket);
    }

  g_queue_clear_full (&self->pending, g_free);
}

/* Ends a session with a count once every request is answered or lost. */
static void
maybe_finish (SbIcmp *self)
{
  if (self->socket != NULL &&
      self->count > 0 && self->n_periodic >= self->count &&
      self->tick_source == NULL &&
      g_queue_is_empty (&self->pending))
    sb_session_stop (SB_SESSION (self));
}

static Pending *
take_pending (SbIcmp  *self,
              guint16  seq)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      Pending *p = l->data;

      if (p->seq == seq)
        {
          g_queue_delete_link (&self->pending, l);
          return p;
        }
    }

  return NULL;
}

/* Sending */

static gboolean
send_echo (SbIcmp          *self,
           GSocketAddress  *to,
           const guint8    *payload,
           gsize            payload_len,
           GError         **error)
{
  SbSession *session = SB_SESSION (self);
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *message = NULL;
  gsize len = ICMP_HEADER_LEN + payload_len;
  guint16 seq = self->next_seq++;
  SbPeer *peer, *added;
  Pending *pending;
  gint64 sent;
  gssize n;

  message = g_malloc (len);
  message[0] = _sb_icmp_is_ipv6 (self) ? ICMP6_ECHO_REQUEST : ICMP4_ECHO_REQUEST;
  message[1] = 0;
  message[2] = message[3] = 0;
  message[4] = self->identifier >> 8;
  message[5] = self->identifier & 0xff;
  message[6] = seq >> 8;
  message[7] = seq & 0xff;
  if (payload_len > 0)
    memcpy (message + ICMP_HEADER_LEN, payload, payload_len);

  /* ICMPv6 sums a pseudo-header with addresses we do not choose: the kernel
   * fills that checksum in. ICMPv4 is ours to compute on a raw socket, and
   * the datagram socket would compute the same. */
  if (!_sb_icmp_is_ipv6 (self))
    {
      guint16 checksum = inet_checksum (message, len);

      message[2] = checksum >> 8;
      message[3] = checksum & 0xff;
    }

  sent = g_get_monotonic_time ();
  n = g_socket_send_to (self->socket, to, (const char *) message, len, NULL, &local_error);
  if (n < 0)
    {
      g_autofree char *where = host_of (to);
      GError *human;

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        human = g_error_new (SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY,
                             _("The socket cannot send now: icmp_seq=%u to %s was not sent"),
                             seq, where);
      else
        human = sb_socket_error_humanize (local_error, SB_SOCKET_OP_SEND, where);

      _sb_session_trace (session, SB_CALL_SENDTO, 0, to, 0, 0, NULL, human);
      _sb_session_event (session, NULL, SB_EVENT_ERROR, "%s", human->message);
      g_propagate_error (error, human);
      return FALSE;
    }

  peer = lookup_peer (self, to, &added);
  _sb_session_record (session, peer, SB_DIRECTION_TX, message, len);
  announce_peer (self, added);
  self->n_sent++;

  /* A peer-connected handler may have stopped us. */
  if (self->socket == NULL)
    return TRUE;

  pending = g_new0 (Pending, 1);
  pending->seq = seq;
  pending->sent = sent;
  g_queue_push_tail (&self->pending, pending);
  arm_expiry (self);

  return TRUE;
}

static void
send_periodic (SbIcmp *self)
{
  guint8 payload[PING_TEXT_LEN + 8];
  guint64 now = (guint64) g_get_real_time ();

  memcpy (payload, PING_TEXT, PING_TEXT_LEN);
  for (guint i = 0; i < 8; i++)
    payload[PING_TEXT_LEN + i] = (guint8) (now >> (56 - 8 * i));

  self->n_periodic++;
  /* A failure is an event; the next tick tries again. */
  send_echo (self, self->target, payload, sizeof payload, NULL);
}

static gboolean
on_tick (gpointer user_data)
{
  g_autoptr(SbIcmp) self = g_object_ref (user_data);

  if (self->count == 0 || self->n_periodic < self->count)
    send_periodic (self);

  if (self->count > 0 && self->n_periodic >= self->count)
    {
      g_clear_pointer (&self->tick_source, g_source_unref);
      maybe_finish (self);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
start_ticking (SbIcmp *self)
{
  clear_source (&self->tick_source);

  if (self->count > 0 && self->n_periodic >= self->count)
    return;

  self->tick_source = g_timeout_source_new (self->interval);
  g_source_set_callback (self->tick_source, on_tick, self, NULL);
  g_source_attach (self->tick_source, g_main_context_get_thread_default ());
}

/* Timeouts */

static gint64
wait_us (SbIcmp *self)
{
  return (gint64) self->interval * 2 * 1000;
}

static gboolean
on_expire (gpointer user_data)
{
  g_autoptr(SbIcmp) self = g_object_ref (user_data);
  gint64 now = g_get_monotonic_time ();
  Pending *head;

  g_clear_pointer (&self->expire_source, g_source_unref);

  while ((head = g_queue_peek_head (&self->pending)) != NULL && head->sent + wait_us (self) <= now)
    {
      _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_INFO,
                         _("No reply to icmp_seq=%u"), head->seq);
      g_free (g_queue_pop_head (&self->pending));
    }

  arm_expiry (self);
  maybe_finish (self);

  return G_SOURCE_REMOVE;
}

static void
arm_expiry (SbIcmp *self)
{
  Pending *head = g_queue_peek_head (&self->pending);
  gint64 left;

  if (self->expire_source != NULL || head == NULL)
    return;

  left = head->sent + wait_us (self) - g_get_monotonic_time ();
  self->expire_source = g_timeout_source_new ((guint) CLAMP ((left + 999) / 1000, 0, G_MAXINT));
  g_source_set_callback (self->expire_source, on_expire, self, NULL);
  g_source_attach (self->expire_source, g_main_context_get_thread_default ());
}

/* Receiving */

/* Finds our echo request quoted in an ICMP error: the original IP header,
 * then at least the first 8 bytes of what it carried. */
static gboolean
quoted_request (SbIcmp       *self,
                const guint8 *icmp,
                gsize         len,
                guint16      *seq)
{
  const guint8 *inner = icmp + ICMP_HEADER_LEN;
  gsize inner_len = len - ICMP_HEADER_LEN;
  gsize header_len;

  if (_sb_icmp_is_ipv6 (self))
    {
      /* Only a request right after the fixed header: no extension headers. */
      if (inner_len < IPV6_HEADER_LEN + ICMP_HEADER_LEN || inner[6] != IPPROTO_ICMPV6)
        return FALSE;
      header_len = IPV6_HEADER_LEN;
    }
  else
    {
      if (inner_len < IPV4_HEADER_MIN || inner[9] != IPPROTO_ICMP)
        return FALSE;
      header_len = (gsize) (inner[0] & 0x0f) * 4;
      if (header_len < IPV4_HEADER_MIN || inner_len < header_len + ICMP_HEADER_LEN)
        return FALSE;
    }

  inner += header_len;
  if (inner[0] != (_sb_icmp_is_ipv6 (self) ? ICMP6_ECHO_REQUEST : ICMP4_ECHO_REQUEST) ||
      _sb_icmp_read_u16 (inner + 4) != self->identifier)
    return FALSE;

  *seq = _sb_icmp_read_u16 (inner + 6);
  return TRUE;
}

static void
handle_message (SbIcmp         *self,
                GSocketAddress *from,
                const guint8   *icmp,
                gsize           len)
{
  SbSession *session = SB_SESSION (self);
  g_autofree char *host = host_of (from);
  guint8 reply_type = _sb_icmp_is_ipv6 (self) ? ICMP6_ECHO_REPLY : ICMP4_ECHO_REPLY;
  SbPeer *peer, *added;
  Pending *pending;
  guint16 seq;
  gboolean is_error;

  if (len < ICMP_HEADER_LEN)
    return;

  /* A raw socket sees every ICMP message of the host, our own requests
   * on loopback included: keep replies to us, and errors about our requests. */
  if (icmp[0] == reply_type)
    {
      if (_sb_icmp_read_u16 (icmp + 4) != self->identifier)
        return;
      seq = _sb_icmp_read_u16 (icmp + 6);
      is_error = FALSE;
    }
  else if (_sb_icmp_is_ipv6 (self) ? (icmp[0] == ICMP6_UNREACHABLE || icmp[0] == ICMP6_TIME_EXCEEDED)
                          : (icmp[0] == ICMP4_UNREACHABLE || icmp[0] == ICMP4_TIME_EXCEEDED))
    {
      if (!quoted_request (self, icmp, len, &seq))
        return;
      is_error = TRUE;
    }
  else
    {
      return;
    }

  peer = lookup_peer (self, from, &added);
  _sb_session_record (session, peer, SB_DIRECTION_RX, icmp, len);
  announce_peer (self, added);
  if (self->socket == NULL)
    return;
  _sb_session_emit_received (session, peer, icmp, len);
  if (self->socket == NULL)
    return;

  pending = take_pending (self, seq);

  if (is_error)
    {
      const char *what = (icmp[0] == ICMP4_TIME_EXCEEDED && !_sb_icmp_is_ipv6 (self)) ||
                         (icmp[0] == ICMP6_TIME_EXCEEDED && _sb_icmp_is_ipv6 (self))
                         ? _("time to live exceeded")
                         : _("destination unreachable");

      /* Translators: “From 192.0.2.1: icmp_seq=3 destination unreachable (code 1)” */
      _sb_session_event (session, peer, SB_EVENT_ERROR, _("From %s: icmp_seq=%u %s (code %u)"),
                         host, seq, what, icmp[1]);
    }
  else if (pending != NULL)
    {
      double ms = (g_get_monotonic_time () - pending->sent) / 1000.0;

      self->n_replies++;
      _sb_session_event (session, peer, SB_EVENT_INFO,
                         _("Reply from %s: icmp_seq=%u time=%.3f ms"), host, seq, ms);
    }
  else
    {
      _sb_session_event (session, peer, SB_EVENT_INFO,
                         _("Reply from %s: icmp_seq=%u, late or duplicate"), host, seq);
    }

  g_free (pending);
}

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  g_autoptr(SbIcmp) self = g_object_ref (user_data);

  for (guint i = 0; i < READS_PER_DISPATCH && self->socket != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) from = NULL;
      const guint8 *icmp = self->buffer;
      gssize n;
      gsize len;

      n = g_socket_receive_from (socket, &from, (char *) self->buffer, RECEIVE_MAX, NULL, &error);
      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              g_autofree char *where = host_of (self->target);
              g_autoptr(GError) human = sb_socket_error_humanize (error, SB_SOCKET_OP_RECEIVE, where);

              _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_ERROR, "%s", human->message);
            }
          break;
        }

      len = (gsize) n;

      /* Raw IPv4 sockets hand us the IP header too. */
      if (self->raw && !_sb_icmp_is_ipv6 (self))
        {
          gsize header_len;

          if (len < IPV4_HEADER_MIN || (self->buffer[0] >> 4) != 4)
            continue;
          header_len = (gsize) (self->buffer[0] & 0x0f) * 4;
          if (header_len < IPV4_HEADER_MIN || header_len > len)
            continue;
          icmp += header_len;
          len -= header_len;
        }

      if (from != NULL)
        handle_message (self, from, icmp, len);
    }

  maybe_finish (self);

  return self->socket != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
open_socket (SbIcmp *self)
{
  SbSession *session = SB_SESSION (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *host = host_of (self->target);
  int fd;

  fd = _sb_icmp_open_fd (self);
  if (fd < 0)
    return;

  self->socket = g_socket_new_from_fd (fd, &error);
  if (self->socket == NULL)
    {
      close (fd);
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }
  g_socket_set_blocking (self->socket, FALSE);

  if (self->raw)
    {
      self->identifier = (guint16) g_random_int_range (1, 0x10000);
    }
  else if (!_sb_icmp_bind_identifier (self, &error))
    {
      clear_socket (self);
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }

  self->read_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_attach (self->read_source, g_main_context_get_thread_default ());

  _sb_session_event (session, NULL, SB_EVENT_CONNECTED,
                     self->raw ? _("Pinging %s through a raw socket (SOCK_RAW), identifier 0x%04x")
                               : _("Pinging %s through an ICMP datagram socket, identifier 0x%04x"),
                     host, self->identifier);

  /* Like ping: the first request at once, then one per interval. It goes
   * before the state change, so it stays icmp_seq=1 even when a listener
   * sends as soon as the session is connected. */
  if (self->count == 0 || self->n_periodic < self->count)
    send_periodic (self);
  _sb_session_set_state (session, SB_SESSION_STATE_CONNECTED);
  if (self->socket != NULL)
    start_ticking (self);
  maybe_finish (self);
}

static void
on_resolved (SbSession      *session,
             GSocketAddress *address)
{
  SbIcmp *self = SB_ICMP (session);

  g_set_object (&self->target, address);
  open_socket (self);
}

/* SbSession */

static void
sb_icmp_start (SbSession *session)
{
  SbIcmp *self = SB_ICMP (session);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GInetAddress) inet = NULL;

  g_clear_object (&self->target);
  g_hash_table_remove_all (self->peers_by_label);
  self->identifier = 0;
  self->next_seq = 1;
  self->n_periodic = 0;
  self->n_sent = 0;
  self->n_replies = 0;
  self->raw = FALSE;

  if (spec->host == NULL)
    {
      _sb_session_fail (session, g_error_new_literal (SB_SESSION_ERROR, SB_SESSION_ERROR_NO_TARGET,
                                                      _("Type the host to ping")));
      return;
    }

  inet = g_inet_address_new_from_string (spec->host);
  if (inet == NULL)
    {
      _sb_session_resolve (session, spec->host, 0, on_resolved);
      return;
    }

  self->target = g_inet_socket_address_new (inet, 0);
  open_socket (self);
}

static void
sb_icmp_stop (SbSession *session)
{
  SbIcmp *self = SB_ICMP (session);

  if (self->socket != NULL)
    {
      if (self->n_sent > 0)
        {
          g_autofree char *host = host_of (self->target);

          /* Translators: the summary when a ping session ends, as ping prints it */
          _sb_session_event (session, NULL, SB_EVENT_INFO,
                             _("%s: %u sent, %u received, %u%% lost"),
                             host, self->n_sent, self->n_replies,
                             (guint) (100 * (guint64) (self->n_sent - MIN (self->n_replies, self->n_sent)) / self->n_sent));
        }
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
    }

  clear_socket (self);
}

static gboolean
sb_icmp_send (SbSession       *session,
              SbPeer          *peer,
              GSocketAddress  *to,
              GBytes          *bytes,
              GError         **error)
{
  SbIcmp *self = SB_ICMP (session);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (to == NULL && peer != NULL)
    to = sb_peer_get_address (peer);
  if (to == NULL)
    to = self->target;

  if (self->socket == NULL || to == NULL)
    {
      g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                           _("The session is not running: start it first"));
      return FALSE;
    }

  if (!G_IS_INET_SOCKET_ADDRESS (to) ||
      g_socket_address_get_family (to) != g_socket_address_get_family (self->target))
    {
      g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                           _sb_icmp_is_ipv6 (self)
                           ? _("This ICMP session pings IPv6 addresses only")
                           : _("This ICMP session pings IPv4 addresses only"));
      return FALSE;
    }

  return send_echo (self, to, data, len, error);
}

static gboolean
sb_icmp_disconnect (SbSession  *session,
                    SbPeer     *peer,
                    GError    **error)
{
  SbIcmp *self = SB_ICMP (session);

  g_hash_table_remove (self->peers_by_label, sb_peer_get_label (peer));
  _sb_session_remove_peer (session, peer);

  return TRUE;
}

static void
on_peers_changed (GListModel *peers,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  SbIcmp *self = user_data;

  /* The base class removes every peer on stop: forget them here too. */
  if (g_list_model_get_n_items (peers) == 0)
    g_hash_table_remove_all (self->peers_by_label);
}

/* GObject */

static void
sb_icmp_constructed (GObject *object)
{
  SbIcmp *self = (SbIcmp *)object;

  G_OBJECT_CLASS (sb_icmp_parent_class)->constructed (object);

  g_signal_connect_object (sb_session_get_peers (SB_SESSION (self)), "items-changed",
                           G_CALLBACK (on_peers_changed), self, 0);
}

static void
sb_icmp_dispose (GObject *object)
{
  SbIcmp *self = (SbIcmp *)object;

  if (_sb_session_dispose_elsewhere (SB_SESSION (object)))
    return;

  clear_socket (self);
  g_hash_table_remove_all (self->peers_by_label);

  G_OBJECT_CLASS (sb_icmp_parent_class)->dispose (object);
}

static void
sb_icmp_finalize (GObject *object)
{
  SbIcmp *self = (SbIcmp *)object;

  g_clear_object (&self->target);
  g_clear_object (&self->owner_target);
  g_clear_pointer (&self->peers_by_label, g_hash_table_unref);
  g_clear_pointer (&self->buffer, g_free);

  G_OBJECT_CLASS (sb_icmp_parent_class)->finalize (object);
}

static void
sb_icmp_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  SbIcmp *self = SB_ICMP (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;

    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_icmp_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  SbIcmp *self = SB_ICMP (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      sb_icmp_set_interval (self, g_value_get_uint (value));
      break;

    case PROP_COUNT:
      sb_icmp_set_count (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_icmp_class_init (SbIcmpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SbSessionClass *session_class = SB_SESSION_CLASS (klass);

  object_class->constructed = sb_icmp_constructed;
  object_class->dispose = sb_icmp_dispose;
  object_class->finalize = sb_icmp_finalize;
  object_class->get_property = sb_icmp_get_property;
  object_class->set_property = sb_icmp_set_property;

  session_class->start = sb_icmp_start;
  session_class->stop = sb_icmp_stop;
  session_class->send = sb_icmp_send;
  session_class->disconnect = sb_icmp_disconnect;

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL,
                       MIN_INTERVAL, MAX_INTERVAL, DEFAULT_INTERVAL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_icmp_init (SbIcmp *self)
{
  self->interval = DEFAULT_INTERVAL;
  self->next_seq = 1;
  self->buffer = g_malloc (RECEIVE_MAX);
  self->peers_by_label = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->pending);
}

/* Public */

guint
sb_icmp_get_interval (SbIcmp *self)
{
  g_return_val_if_fail (SB_IS_ICMP (self), 0);

  return self->interval;
}

void
sb_icmp_set_interval (SbIcmp *self,
                      guint   interval_ms)
{
  g_return_if_fail (SB_IS_ICMP (self));

  interval_ms = CLAMP (interval_ms, MIN_INTERVAL, MAX_INTERVAL);
  if (self->interval == interval_ms)
    return;

  self->interval = interval_ms;
  if (self->tick_source != NULL)
    start_ticking (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

guint
sb_icmp_get_count (SbIcmp *self)
{
  g_return_val_if_fail (SB_IS_ICMP (self), 0);

  return self->count;
}

void
sb_icmp_set_count (SbIcmp *self,
                   guint   count)
{
  g_return_if_fail (SB_IS_ICMP (self));

  if (self->count == count)
    return;

  self->count = count;
  /* A higher count (or none) picks up where the old one stopped. */
  if (self->socket != NULL && self->tick_source == NULL)
    start_ticking (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
}

static void
target_call (gpointer data,
             gpointer unused)
{
  gpointer *args = data;
  SbIcmp *self = args[0];

  args[1] = self->target ? g_object_ref (self->target) : NULL;
}

GSocketAddress *
sb_icmp_get_target (SbIcmp *self)
{
  gpointer args[2] = { self, NULL };

  g_return_val_if_fail (SB_IS_ICMP (self), NULL);

  /* The owner's thread gets the engine's address and keeps it while it
   * looks at it (until it asks again). */
  if (_sb_session_peek (SB_SESSION (self), target_call, args))
    {
      g_clear_object (&self->owner_target);
      self->owner_target = args[1];
      return self->owner_target;
    }

  return self->target;
}

guint16
sb_icmp_get_identifier (SbIcmp *self)
{
  g_return_val_if_fail (SB_IS_ICMP (self), 0);

  return self->identifier;
}

gboolean
sb_icmp_is_raw (SbIcmp *self)
{
  g_return_val_if_fail (SB_IS_ICMP (self), FALSE);

  return self->raw;
}
