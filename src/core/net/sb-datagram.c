/* sb-datagram.c — a UDP or UNIX datagram session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-datagram"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <net/if.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#ifdef __linux__
# include <linux/errqueue.h>
#endif

#include "sb-datagram-private.h"

G_DEFINE_FINAL_TYPE (SbDatagram, sb_datagram, SB_TYPE_SESSION)

enum {
  PROP_0,
  PROP_MAX_PEERS,
  PROP_PEER_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
outgoing_free (SbDatagramOutgoing *out)
{
  g_bytes_unref (out->bytes);
  g_object_unref (out->to);
  g_free (out);
}

#ifdef __linux__
static char *
describe_icmp_error (const struct sock_extended_err *ee,
                     const char                     *where)
{
  if (ee->ee_origin == SO_EE_ORIGIN_ICMP && ee->ee_type == 3 && ee->ee_code == 3)
    return g_strdup_printf (_("%s answered “port unreachable” (ICMP): nothing is listening on that port"), where);
  if (ee->ee_origin == SO_EE_ORIGIN_ICMP6 && ee->ee_type == 1 && ee->ee_code == 4)
    return g_strdup_printf (_("%s answered “port unreachable” (ICMPv6): nothing is listening on that port"), where);
  if (ee->ee_origin == SO_EE_ORIGIN_ICMP || ee->ee_origin == SO_EE_ORIGIN_ICMP6)
    return g_strdup_printf (_("%s: %s (ICMP type %u, code %u)"), where,
                            g_strerror (ee->ee_errno), ee->ee_type, ee->ee_code);
  return g_strdup_printf (_("%s: %s"), where, g_strerror (ee->ee_errno));
}
#endif

/* With IP_RECVERR the kernel queues the ICMP errors that answer our
 * datagrams (an unconnected socket would never hear of them). Returns TRUE
 * when it found any. */
static gboolean
drain_error_queue (SbDatagram *self)
{
  gboolean found = FALSE;
#ifdef __linux__
  int fd = g_socket_get_fd (self->socket);

  for (guint i = 0; i < 64; i++)
    {
      struct sockaddr_storage name;
      char control[512];
      char data[1];
      struct iovec iov = { data, sizeof data };
      struct msghdr msg = {
        .msg_name = &name, .msg_namelen = sizeof name,
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control, .msg_controllen = sizeof control,
      };
      int error_value = 0;
      socklen_t error_len = sizeof error_value;

      if (recvmsg (fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
        break;

      for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msg); cmsg != NULL; cmsg = CMSG_NXTHDR (&msg, cmsg))
        {
          const struct sock_extended_err *ee;
          g_autoptr(GSocketAddress) to = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *where = NULL;
          g_autofree char *message = NULL;

          if (!((cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_RECVERR) ||
                (cmsg->cmsg_level == IPPROTO_IPV6 && cmsg->cmsg_type == IPV6_RECVERR)))
            continue;

          ee = (const struct sock_extended_err *) CMSG_DATA (cmsg);
          to = g_socket_address_new_from_native (&name, msg.msg_namelen);
          where = to ? sb_address_to_string (to) : g_strdup ("?");
          message = describe_icmp_error (ee, where);
          error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (ee->ee_errno), message);

          _sb_session_trace (SB_SESSION (self), SB_CALL_RECVFROM, 0, to, 0, 0, NULL, error);
          _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_ERROR, "%s", message);
          found = TRUE;
        }

      /* The error is also kept as the socket's pending error: reading
       * SO_ERROR clears it, so the next send does not fail with it. */
      getsockopt (fd, SOL_SOCKET, SO_ERROR, &error_value, &error_len);
    }
#endif
  return found;
}

static gboolean on_readable (GSocket      *socket,
                             GIOCondition  condition,
                             gpointer      user_data);

void
_sb_datagram_watch_readable (SbDatagram *self)
{
  self->read_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_readable), self, NULL);
  g_source_attach (self->read_source, g_main_context_get_thread_default ());
}

/* What the kernel dropped because the receive buffer was full: every
 * datagram sent here is either recorded or counted here. */
static void
count_kernel_drops (SbDatagram *self)
{
  guint32 meminfo[SK_MEMINFO_VARS];
  socklen_t len = sizeof meminfo;

  if (getsockopt (g_socket_get_fd (self->socket), SOL_SOCKET, SO_MEMINFO, meminfo, &len) == 0 &&
      len > SK_MEMINFO_DROPS * sizeof (guint32))
    sb_recorder_set_kernel_drops (_sb_session_get_recorder (SB_SESSION (self)), meminfo[SK_MEMINFO_DROPS]);
}

static gboolean
on_readable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  g_autoptr(SbDatagram) self = g_object_ref (user_data);
  SbSession *session = SB_SESSION (self);
  gboolean had_errors = FALSE;

  if (condition & G_IO_ERR)
    had_errors = drain_error_queue (self);

  for (guint batch = 0; batch < BATCHES_PER_DISPATCH && self->socket != NULL; batch++)
    {
      g_autoptr(GError) error = NULL;
      gint n;

      for (guint i = 0; i < RECV_BATCH; i++)
        {
          self->messages[i].bytes_received = 0;
          self->messages[i].flags = 0;
          self->addresses[i] = NULL;
        }

      n = g_socket_receive_messages (socket, self->messages, RECV_BATCH, 0, NULL, &error);
      if (n < 0)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) && !had_errors)
            {
              /* ICMP errors (port unreachable…) surface here; the socket lives on. */
              g_autofree char *where = self->target ? sb_address_to_string (self->target) : g_strdup ("?");
              g_autoptr(GError) human = sb_socket_error_humanize (error, SB_SOCKET_OP_RECEIVE, where);

              _sb_session_event (session, NULL, SB_EVENT_ERROR, "%s", human->message);
            }
          break;
        }

      for (gint i = 0; i < n && self->socket != NULL; i++)
        {
          g_autoptr(GSocketAddress) from = g_steal_pointer (&self->addresses[i]);
          SbPeer *peer = NULL;
          SbPeer *added = NULL;
          gsize len = MIN (self->messages[i].bytes_received, DATAGRAM_MAX);

          if (from != NULL)
            peer = _sb_datagram_lookup_peer (self, from, &added);
          if (peer != NULL)
            self->last_sender = peer;

          _sb_session_record (session, peer, SB_DIRECTION_RX,
                              self->buffers + (gsize) i * DATAGRAM_MAX, len);
          /* Greeting a new sender comes before answering what it said. */
          _sb_datagram_announce_peer (self, added);
          if (self->socket != NULL)
            _sb_session_emit_received (session, peer, self->buffers + (gsize) i * DATAGRAM_MAX, len);

          if (self->messages[i].flags & MSG_TRUNC)
            _sb_session_event (session, peer, SB_EVENT_INFO,
                               _("The datagram from %s was larger than %u bytes and was cut"),
                               peer ? sb_peer_get_label (peer) : "?", (guint) DATAGRAM_MAX);
        }

      for (gint i = 0; i < RECV_BATCH; i++)
        g_clear_object (&self->addresses[i]);

      if (n < RECV_BATCH)
        break;
    }

  if (self->socket != NULL)
    count_kernel_drops (self);

  return self->socket != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void flush_output (SbDatagram *self);

static gboolean
on_writable (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  SbDatagram *self = user_data;

  g_clear_pointer (&self->write_source, g_source_unref);
  flush_output (self);

  return G_SOURCE_REMOVE;
}

static void
record_sent (SbDatagram     *self,
             GSocketAddress *to,
             GBytes         *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  SbPeer *added;
  SbPeer *peer = _sb_datagram_lookup_peer (self, to, &added);

  _sb_session_record (SB_SESSION (self), peer, SB_DIRECTION_TX, data, len);
  _sb_datagram_announce_peer (self, added);
}

/* Returns FALSE with @error when the send failed; WOULD_BLOCK is not a failure. */
static gboolean
try_send (SbDatagram     *self,
          GSocketAddress *to,
          GBytes         *bytes,
          gboolean       *would_block,
          GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gssize n;

  *would_block = FALSE;

  n = g_socket_send_to (self->socket, to, (const char *) data, len, NULL, &local_error);

  /* With IP_RECVERR the kernel hands an ICMP error that answered an earlier
   * datagram to the next send, which then did not happen: that error is
   * shown from the error queue, so send this datagram again. */
  if (n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      g_clear_error (&local_error);
      n = g_socket_send_to (self->socket, to, (const char *) data, len, NULL, &local_error);
    }

  if (n >= 0)
    {
      record_sent (self, to, bytes);
      return TRUE;
    }

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      *would_block = TRUE;
      return TRUE;
    }

  {
    g_autofree char *where = sb_address_to_string (to);
    GError *human = sb_socket_error_humanize (local_error, SB_SOCKET_OP_SEND, where);

    _sb_session_trace (SB_SESSION (self), SB_CALL_SENDTO, 0, to, 0, 0, NULL, human);

    _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_ERROR, "%s", human->message);
    g_propagate_error (error, human);
  }

  return FALSE;
}

static void
watch_writable (SbDatagram *self)
{
  if (self->write_source != NULL)
    return;

  self->write_source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
  g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_writable), self, NULL);
  g_source_attach (self->write_source, g_main_context_get_thread_default ());
}

static void
flush_output (SbDatagram *self)
{
  while (self->socket != NULL && !g_queue_is_empty (&self->out))
    {
      SbDatagramOutgoing *out = g_queue_peek_head (&self->out);
      gboolean would_block;

      /* A failure was recorded as an event; nobody waits for it any more. */
      try_send (self, out->to, out->bytes, &would_block, NULL);
      if (would_block)
        {
          watch_writable (self);
          return;
        }

      self->pending -= g_bytes_get_size (out->bytes);
      outgoing_free (g_queue_pop_head (&self->out));
    }
}

static void
clear_socket (SbDatagram *self)
{
  if (self->read_source != NULL)
    {
      g_source_destroy (self->read_source);
      g_clear_pointer (&self->read_source, g_source_unref);
    }

  if (self->write_source != NULL)
    {
      g_source_destroy (self->write_source);
      g_clear_pointer (&self->write_source, g_source_unref);
    }

  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      g_clear_object (&self->socket);
    }

  _sb_unix_file_release (&self->unix_file);

  g_queue_clear_full (&self->out, (GDestroyNotify) outgoing_free);
  self->pending = 0;
}

static void
on_resolved (SbSession      *session,
             GSocketAddress *address)
{
  SbDatagram *self = SB_DATAGRAM (session);

  g_set_object (&self->target, address);
  _sb_datagram_open_socket (self);
}

static void
sb_datagram_start (SbSession *session)
{
  SbDatagram *self = SB_DATAGRAM (session);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->target);
  _sb_datagram_forget_all (self);

  if (spec->kind == SB_KIND_UNIX_DGRAM)
    {
      if (spec->path != NULL && !(self->target = sb_address_new_unix (spec->path, &error)))
        {
          _sb_session_fail (session, g_steal_pointer (&error));
          return;
        }
      _sb_datagram_open_socket (self);
      return;
    }

  if (spec->host != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (spec->host);

      if (inet == NULL)
        {
          _sb_session_resolve (session, spec->host, spec->port, on_resolved);
          return;
        }

      self->target = g_inet_socket_address_new (inet, spec->port);
    }

  _sb_datagram_open_socket (self);
}

static void
sb_datagram_stop (SbSession *session)
{
  SbDatagram *self = SB_DATAGRAM (session);

  if (self->socket != NULL)
    _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
  clear_socket (self);
}

static gboolean
sb_datagram_send (SbSession       *session,
                  SbPeer          *peer,
                  GSocketAddress  *to,
                  GBytes          *bytes,
                  GError         **error)
{
  SbDatagram *self = SB_DATAGRAM (session);
  gboolean would_block;

  if (to == NULL && peer != NULL)
    to = sb_peer_get_address (peer);
  if (to == NULL)
    to = self->target;

  if (to == NULL)
    {
      g_set_error_literal (error, SB_SESSION_ERROR,
                           peer != NULL ? SB_SESSION_ERROR_NOT_READY : SB_SESSION_ERROR_NO_TARGET,
                           peer != NULL
                           ? _("This peer has no address to reply to (an unbound UNIX socket)")
                           : _("This socket has no target: choose a peer or type an address"));
      return FALSE;
    }

  if (!g_queue_is_empty (&self->out))
    {
      SbDatagramOutgoing *out;

      if (self->pending + g_bytes_get_size (bytes) > SB_SESSION_MAX_PENDING)
        {
          g_autofree char *size = g_format_size (self->pending);

          g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY,
                       _("The socket cannot send fast enough: %s are waiting"), size);
          return FALSE;
        }

      out = g_new0 (SbDatagramOutgoing, 1);
      out->bytes = g_bytes_ref (bytes);
      out->to = g_object_ref (to);
      g_queue_push_tail (&self->out, out);
      self->pending += g_bytes_get_size (bytes);
      return TRUE;
    }

  if (!try_send (self, to, bytes, &would_block, error))
    return FALSE;

  if (would_block)
    {
      SbDatagramOutgoing *out = g_new0 (SbDatagramOutgoing, 1);

      out->bytes = g_bytes_ref (bytes);
      out->to = g_object_ref (to);
      g_queue_push_tail (&self->out, out);
      self->pending += g_bytes_get_size (bytes);
      watch_writable (self);
    }

  return TRUE;
}

static gboolean
sb_datagram_disconnect (SbSession  *session,
                        SbPeer     *peer,
                        GError    **error)
{
  SbDatagram *self = SB_DATAGRAM (session);

  _sb_datagram_forget_peer (self, peer);
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
  SbDatagram *self = user_data;

  /* The base class removes every peer on stop: forget them here too. */
  if (g_list_model_get_n_items (peers) == 0)
    _sb_datagram_forget_all (self);
}

static void
sb_datagram_constructed (GObject *object)
{
  SbDatagram *self = (SbDatagram *)object;

  G_OBJECT_CLASS (sb_datagram_parent_class)->constructed (object);

  g_signal_connect_object (sb_session_get_peers (SB_SESSION (self)), "items-changed",
                           G_CALLBACK (on_peers_changed), self, 0);
}

static void
sb_datagram_dispose (GObject *object)
{
  SbDatagram *self = (SbDatagram *)object;

  if (_sb_session_dispose_elsewhere (SB_SESSION (object)))
    return;

  clear_socket (self);
  _sb_datagram_forget_all (self);

  G_OBJECT_CLASS (sb_datagram_parent_class)->dispose (object);
}

static void
sb_datagram_finalize (GObject *object)
{
  SbDatagram *self = (SbDatagram *)object;

  g_clear_object (&self->target);
  g_clear_pointer (&self->peers_by_label, g_hash_table_unref);
  g_clear_pointer (&self->buffers, g_free);

  G_OBJECT_CLASS (sb_datagram_parent_class)->finalize (object);
}

static void
sb_datagram_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SbDatagram *self = SB_DATAGRAM (object);

  switch (prop_id)
    {
    case PROP_MAX_PEERS:
      g_value_set_uint (value, self->max_peers);
      break;

    case PROP_PEER_TIMEOUT:
      g_value_set_uint (value, self->peer_timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_datagram_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SbDatagram *self = SB_DATAGRAM (object);

  switch (prop_id)
    {
    case PROP_MAX_PEERS:
      sb_datagram_set_max_peers (self, g_value_get_uint (value));
      break;

    case PROP_PEER_TIMEOUT:
      sb_datagram_set_peer_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static SbPeer *
sb_datagram_get_last_sender_vfunc (SbSession *session)
{
  return sb_datagram_get_last_sender (SB_DATAGRAM (session));
}

static gboolean
sb_datagram_set_broadcast_vfunc (SbSession  *session,
                                 gboolean    broadcast,
                                 GError    **error)
{
  return sb_datagram_set_broadcast (SB_DATAGRAM (session), broadcast, error);
}

static gboolean
sb_datagram_set_multicast_vfunc (SbSession   *session,
                                 const char  *group,
                                 const char  *iface,
                                 gboolean     join,
                                 GError     **error)
{
  return sb_datagram_set_multicast (SB_DATAGRAM (session), group, iface, join, error);
}

static void
sb_datagram_class_init (SbDatagramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SbSessionClass *session_class = SB_SESSION_CLASS (klass);

  object_class->constructed = sb_datagram_constructed;
  object_class->dispose = sb_datagram_dispose;
  object_class->finalize = sb_datagram_finalize;
  object_class->get_property = sb_datagram_get_property;
  object_class->set_property = sb_datagram_set_property;

  session_class->start = sb_datagram_start;
  session_class->stop = sb_datagram_stop;
  session_class->send = sb_datagram_send;
  session_class->disconnect = sb_datagram_disconnect;
  session_class->get_last_sender = sb_datagram_get_last_sender_vfunc;
  session_class->set_broadcast = sb_datagram_set_broadcast_vfunc;
  session_class->set_multicast = sb_datagram_set_multicast_vfunc;

  properties[PROP_MAX_PEERS] =
    g_param_spec_uint ("max-peers", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_MAX_PEERS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PEER_TIMEOUT] =
    g_param_spec_uint ("peer-timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_PEER_TIMEOUT,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_datagram_init (SbDatagram *self)
{
  /* Peers are owned by the session's list; this only finds them. */
  self->peers_by_label = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->by_age);
  self->max_peers = DEFAULT_MAX_PEERS;
  self->peer_timeout = DEFAULT_PEER_TIMEOUT;
  g_queue_init (&self->out);

  self->buffers = g_malloc ((gsize) RECV_BATCH * DATAGRAM_MAX);
  for (guint i = 0; i < RECV_BATCH; i++)
    {
      self->vectors[i].buffer = self->buffers + (gsize) i * DATAGRAM_MAX;
      self->vectors[i].size = DATAGRAM_MAX;
      self->messages[i].address = &self->addresses[i];
      self->messages[i].vectors = &self->vectors[i];
      self->messages[i].num_vectors = 1;
    }
}

SbPeer *
sb_datagram_get_last_sender (SbDatagram *self)
{
  g_return_val_if_fail (SB_IS_DATAGRAM (self), NULL);

  return self->last_sender;
}

void
sb_datagram_set_max_peers (SbDatagram *self,
                           guint       max_peers)
{
  g_return_if_fail (SB_IS_DATAGRAM (self));

  max_peers = MAX (max_peers, 1);
  if (self->max_peers != max_peers)
    {
      _sb_datagram_set_max_peers (self, max_peers);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_PEERS]);
    }
}

void
sb_datagram_set_peer_timeout (SbDatagram *self,
                              guint       timeout_ms)
{
  g_return_if_fail (SB_IS_DATAGRAM (self));

  if (self->peer_timeout != timeout_ms)
    {
      _sb_datagram_set_peer_timeout (self, timeout_ms);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_TIMEOUT]);
    }
}
