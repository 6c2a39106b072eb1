/* sb-stream-server.c — a TCP or UNIX stream server session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-stream-server"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sb-session-private.h"
#include "sb-stream-server.h"
#include "sb-tls.h"

/* Enough for a thousand clients connecting at once. */
#define LISTEN_BACKLOG 1024
/* Connections taken per wake-up before yielding to the main loop. */
#define ACCEPTS_PER_DISPATCH 64
/* Out of descriptors: wait this long before accepting again, doubling. */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 1000

/* Engine thread only */

struct _SbStreamServer
{
  SbSession       parent_instance;

  /* The listening socket and its watch; accept() is ours, so that the
   * peer's address comes from accept() itself and a full descriptor
   * table backs off instead of retrying at once. */
  GSocket        *socket;
  GSource        *accept_source;
  GSource        *backoff_source;
  guint           backoff_ms;
  /* A descriptor kept in reserve: at the limit it is let go for a moment
   * to accept and close what waits, so clients are told instead of left
   * hanging. -1 when none. */
  int             spare_fd;
  /* Connections refused in this spell at the limit. */
  guint64         n_refused;
  /* The socket file we created, removed again on stop. */
  SbUnixFile      unix_file;
  guint           n_unnamed;
  /* Accepted connections, numbered for the trace. */
  guint           n_accepted;
  /* TLS: the certificate shown to every client. */
  GTlsCertificate *certificate;
};

G_DEFINE_FINAL_TYPE (SbStreamServer, sb_stream_server, SB_TYPE_SESSION)

static gboolean
is_unnamed (GSocketAddress *address)
{
  if (!G_IS_UNIX_SOCKET_ADDRESS (address))
    return FALSE;

  return g_unix_socket_address_get_path_len (G_UNIX_SOCKET_ADDRESS (address)) == 0;
}

static void
on_tls_done (SbSession    *session,
             SbPeer       *peer,
             GObject      *tls,
             const GError *error)
{
  if (error == NULL && sb_session_get_state (session) == SB_SESSION_STATE_LISTENING)
    {
      _sb_session_add_peer (session, peer);
      if (sb_peer_is_connected (peer))
        _sb_peer_start (peer);
      return;
    }

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _sb_session_event (session, peer, SB_EVENT_ERROR, "%s", error->message);
  _sb_peer_close (peer, SB_EVENT_DISCONNECTED);
}

static void
take_connection (SbStreamServer *self,
                 int             fd,
                 GSocketAddress *remote)
{
  SbSession *session = SB_SESSION (self);
  g_autoptr(SbPeer) peer = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  guint socket_id = ++self->n_accepted;

  _sb_session_trace (session, SB_CALL_ACCEPT, socket_id, remote, 0, 0, NULL, NULL);

  socket = g_socket_new_from_fd (fd, &error);
  if (socket == NULL)
    {
      close (fd);
      _sb_session_event (session, NULL, SB_EVENT_ERROR, "%s", error->message);
      return;
    }
  connection = g_socket_connection_factory_create_connection (socket);

  peer = _sb_peer_new_stream (_sb_session_get_recorder (session), connection, remote, socket_id);

  /* UNIX clients rarely bind a path: tell them apart by number. */
  if (is_unnamed (sb_peer_get_address (peer)))
    {
      g_autofree char *label = NULL;

      /* Translators: a UNIX socket client that has no address of its own */
      label = g_strdup_printf (_("client %u"), ++self->n_unnamed);
      _sb_peer_set_label_id (peer, sb_history_intern_peer (sb_session_get_history (session), label));
    }

  _sb_session_event (session, peer, SB_EVENT_CONNECTED,
                     _("Accepted a connection from %s"), sb_peer_get_label (peer));

  /* TLS: listed once the handshake is done. */
  if (self->certificate != NULL)
    {
      _sb_tls_handshake (session, peer, socket_id, self->certificate, on_tls_done);
      return;
    }

  _sb_session_add_peer (session, peer);

  if (sb_peer_is_connected (peer))
    _sb_peer_start (peer);
}

static void watch_accept (SbStreamServer *self);

static int
accept_one (SbStreamServer           *self,
            struct sockaddr_storage  *address,
            socklen_t                *address_len)
{
  *address_len = sizeof *address;
  return accept4 (g_socket_get_fd (self->socket), (struct sockaddr *) address, address_len,
                  SOCK_CLOEXEC | SOCK_NONBLOCK);
}

/* Accepts and at once resets every connection waiting, with the spare
 * descriptor let go for each: they learn at once that there is no room. */
static void
refuse_waiting (SbStreamServer *self)
{
  SbRecorder *recorder = _sb_session_get_recorder (SB_SESSION (self));

  while (self->spare_fd >= 0)
    {
      struct sockaddr_storage address;
      socklen_t address_len;
      struct linger linger = { 1, 0 };
      int fd;

      close (self->spare_fd);
      fd = accept_one (self, &address, &address_len);
      if (fd >= 0)
        {
          setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
          close (fd);
          self->n_refused++;
          sb_recorder_count_refused (recorder);
        }
      self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        break;
    }
}

static gboolean
on_backoff_done (gpointer user_data)
{
  SbStreamServer *self = user_data;

  g_clear_pointer (&self->backoff_source, g_source_unref);
  watch_accept (self);

  return G_SOURCE_REMOVE;
}

/* Out of descriptors: stop watching the socket (it stays readable, so the
 * main loop would spin), say so once, and look again later. */
static void
back_off (SbStreamServer *self,
          int             errsv)
{
  SbSession *session = SB_SESSION (self);

  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }

  if (self->backoff_ms == 0)
    {
      guint n_open = g_list_model_get_n_items (sb_session_get_peers (session));
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (errsv),
                                                     g_strerror (errsv));

      /* Numbered as the connection it would have made. */
      _sb_session_trace (session, SB_CALL_ACCEPT, self->n_accepted + 1, NULL, 0, 0, NULL, error);
      _sb_session_event (session, NULL, SB_EVENT_ERROR,
                         ngettext ("%s: %u connection open; new connections are refused until one closes (raise the limit with “ulimit -n”)",
                                   "%s: %u connections open; new connections are refused until some close (raise the limit with “ulimit -n”)",
                                   n_open),
                         g_strerror (errsv), n_open);
      self->backoff_ms = BACKOFF_MIN_MS;
      self->n_refused = 0;
    }
  else
    {
      self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
    }

  refuse_waiting (self);
  self->backoff_source = sb_timeout_source_add (self->backoff_ms, on_backoff_done, self);
}

static void
recovered (SbStreamServer *self)
{
  if (self->backoff_ms == 0)
    return;

  self->backoff_ms = 0;
  _sb_session_event (SB_SESSION (self), NULL, SB_EVENT_INFO,
                     ngettext ("Accepting connections again; %" PRIu64 " was refused meanwhile",
                               "Accepting connections again; %" PRIu64 " were refused meanwhile",
                               (gulong) MIN (self->n_refused, G_MAXULONG)),
                     (uint64_t) self->n_refused);
}

static gboolean
on_acceptable (GSocket      *listener,
               GIOCondition  condition,
               gpointer      user_data)
{
  g_autoptr(SbStreamServer) self = g_object_ref (user_data);

  for (guint i = 0; i < ACCEPTS_PER_DISPATCH && self->socket != NULL; i++)
    {
      struct sockaddr_storage address;
      socklen_t address_len;
      g_autoptr(GSocketAddress) remote = NULL;
      int fd = accept_one (self, &address, &address_len);
      int errsv = errno;

      if (fd < 0)
        {
          if (errsv == EINTR || errsv == ECONNABORTED)
            continue;

          if (errsv == EMFILE || errsv == ENFILE || errsv == ENOBUFS || errsv == ENOMEM)
            {
              back_off (self, errsv);
              return G_SOURCE_REMOVE;
            }

          if (errsv != EAGAIN && errsv != EWOULDBLOCK)
            {
              g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (errsv),
                                                             g_strerror (errsv));

              _sb_session_trace (SB_SESSION (self), SB_CALL_ACCEPT, self->n_accepted + 1, NULL, 0, 0, NULL, error);
            }
          break;
        }

      recovered (self);

      /* The address accept() gave: a client that reset before we got here
       * has none left to ask for. */
      if (address_len > 0)
        remote = g_socket_address_new_from_native (&address, address_len);
      take_connection (self, fd, remote);
    }

  return self->socket != NULL && self->accept_source != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
watch_accept (SbStreamServer *self)
{
  if (self->socket == NULL || self->accept_source != NULL)
    return;

  self->accept_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (on_acceptable), self, NULL);
  g_source_attach (self->accept_source, g_main_context_get_thread_default ());
}

static GSocketAddress *
make_listen_address (SbStreamServer  *self,
                     char           **where,
                     GError         **error)
{
  const SbSessionSpec *spec = sb_session_get_spec (SB_SESSION (self));
  const char *host;

  if (spec->kind == SB_KIND_UNIX_SERVER)
    {
      *where = g_strdup (spec->path);
      return sb_address_new_unix (spec->path, error);
    }

  host = spec->has_bind && spec->bind_host != NULL ? spec->bind_host : "127.0.0.1";
  *where = sb_address_format_host_port (host, spec->bind_port);
  return sb_address_new_listen (host, spec->bind_port, error);
}

static void
sb_stream_server_start (SbSession *session)
{
  SbStreamServer *self = SB_STREAM_SERVER (session);
  const SbSessionSpec *spec = sb_session_get_spec (session);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  g_autofree char *label = NULL;
  GSocketFamily family;
  gboolean tcp = spec->kind == SB_KIND_TCP_SERVER || spec->kind == SB_KIND_TLS_SERVER;
  GError *human;

  /* A self-signed certificate stays the same across restarts (clients
   * that pinned it keep working); files are read again. */
  if (spec->tls == NULL || !spec->tls->self_signed)
    g_clear_object (&self->certificate);
  if (sb_kind_is_tls (spec->kind) && self->certificate == NULL)
    {
      self->certificate = _sb_tls_server_certificate (session, &error);
      if (self->certificate == NULL)
        {
          _sb_session_fail (session, g_steal_pointer (&error));
          return;
        }
    }

  address = make_listen_address (self, &where, &error);
  if (address == NULL)
    {
      _sb_session_fail (session, g_steal_pointer (&error));
      return;
    }

  self->n_accepted = 0;
  self->n_unnamed = 0;
  family = g_socket_address_get_family (address);

  /* Our own socket(), bind() and listen(), so that the trace shows each
   * call as it happened and the listening socket can be asked for TCP_INFO. */
  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM,
                         tcp ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_DEFAULT, &error);
  _sb_session_trace (session, SB_CALL_SOCKET, 0, NULL, family, G_SOCKET_TYPE_STREAM, NULL, error);
  if (socket == NULL)
    goto failed;

  /* GSocket turns IPV6_V6ONLY off: [::] takes IPv4 clients too. */
  if (family == G_SOCKET_FAMILY_IPV6)
    _sb_session_trace (session, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_IPV6_V6ONLY, 0, NULL, NULL);
  if (tcp)
    _sb_session_trace (session, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_SO_REUSEADDR, 1, NULL, NULL);

  if (!g_socket_bind (socket, address, tcp, &error))
    {
      human = sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where);
      _sb_session_trace (session, SB_CALL_BIND, 0, address, spec->bind_port, 0, NULL, human);
      goto failed_human;
    }

  if (spec->kind == SB_KIND_UNIX_SERVER)
    _sb_unix_file_claim (&self->unix_file, spec->path);

  effective = g_socket_get_local_address (socket, NULL);
  _sb_session_trace (session, SB_CALL_BIND, 0, effective ? effective : address, spec->bind_port, 0, NULL, NULL);

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_listen (socket, &error))
    {
      human = sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where);
      _sb_session_trace (session, SB_CALL_LISTEN, 0, NULL, LISTEN_BACKLOG, 0, NULL, human);
      goto failed_human;
    }
  _sb_session_trace (session, SB_CALL_LISTEN, 0, NULL, LISTEN_BACKLOG, 0, NULL, NULL);

  g_socket_set_blocking (socket, FALSE);
  self->socket = g_steal_pointer (&socket);
  self->backoff_ms = 0;
  if (self->spare_fd < 0)
    self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  watch_accept (self);
  _sb_session_set_local_address (session, effective);

  label = sb_address_to_string (effective);
  _sb_session_event (session, NULL, SB_EVENT_LISTENING, _("Listening on %s"), label);
  _sb_session_set_state (session, SB_SESSION_STATE_LISTENING);
  return;

failed:
  human = sb_socket_error_humanize (error, SB_SOCKET_OP_BIND, where);
failed_human:
  if (socket != NULL)
    {
      g_socket_close (socket, NULL);
      _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
    }
  _sb_unix_file_release (&self->unix_file);
  _sb_session_fail (session, human);
}

static void
close_service (SbStreamServer *self)
{
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  sb_clear_source (&self->backoff_source);

  if (self->socket != NULL)
    {
      g_socket_close (self->socket, NULL);
      g_clear_object (&self->socket);
    }

  if (self->spare_fd >= 0)
    {
      close (self->spare_fd);
      self->spare_fd = -1;
    }

  _sb_unix_file_release (&self->unix_file);
}

static void
sb_stream_server_stop (SbSession *session)
{
  SbStreamServer *self = SB_STREAM_SERVER (session);

  if (self->socket != NULL)
    _sb_session_trace (session, SB_CALL_CLOSE, 0, NULL, 0, 0, NULL, NULL);
  close_service (self);
}

static gboolean
check_peer (SbSession  *session,
            SbPeer     *peer,
            GError    **error)
{
  GListModel *peers = sb_session_get_peers (session);
  guint n = g_list_model_get_n_items (peers);

  if (peer == NULL && n == 0)
    {
      g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                           _("No client is connected"));
      return FALSE;
    }

  if (peer != NULL && !sb_peer_is_connected (peer))
    {
      g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                   _("The connection with %s is closed"), sb_peer_get_label (peer));
      return FALSE;
    }

  return TRUE;
}

typedef gboolean (*PeerOp) (SbPeer  *peer,
                            gpointer data,
                            GError **error);

/* Runs @op on @peer, or on every peer; the first error is reported but does
 * not keep the others from being served. */
static gboolean
for_peers (SbSession  *session,
           SbPeer     *peer,
           PeerOp      op,
           gpointer    data,
           GError    **error)
{
  g_autoptr(GPtrArray) targets = NULL;
  GListModel *peers;
  GError *first = NULL;

  if (!check_peer (session, peer, error))
    return FALSE;

  if (peer != NULL)
    return op (peer, data, error);

  /* Copy first: an operation may close a peer and change the list. */
  peers = sb_session_get_peers (session);
  targets = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0, n = g_list_model_get_n_items (peers); i < n; i++)
    g_ptr_array_add (targets, g_list_model_get_item (peers, i));

  for (guint i = 0; i < targets->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!op (g_ptr_array_index (targets, i), data, &local_error) && first == NULL)
        first = g_steal_pointer (&local_error);
    }

  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }

  return TRUE;
}

static gboolean
send_op (SbPeer   *peer,
         gpointer  data,
         GError  **error)
{
  return _sb_peer_send (peer, data, error);
}

static gboolean
shutdown_op (SbPeer   *peer,
             gpointer  data,
             GError  **error)
{
  return _sb_peer_shutdown_write (peer, error);
}

static gboolean
sb_stream_server_send (SbSession       *session,
                       SbPeer          *peer,
                       GSocketAddress  *to,
                       GBytes          *bytes,
                       GError         **error)
{
  return for_peers (session, peer, send_op, bytes, error);
}

static gboolean
sb_stream_server_shutdown_write (SbSession  *session,
                                 SbPeer     *peer,
                                 GError    **error)
{
  return for_peers (session, peer, shutdown_op, NULL, error);
}

static gboolean
sb_stream_server_disconnect (SbSession  *session,
                             SbPeer     *peer,
                             GError    **error)
{
  if (!check_peer (session, peer, error))
    return FALSE;

  _sb_peer_close (peer, SB_EVENT_DISCONNECTED);
  return TRUE;
}

static gboolean
sb_stream_server_get_tcp_info (SbSession  *session,
                               SbTcpInfo  *info,
                               GError    **error)
{
  SbStreamServer *self = SB_STREAM_SERVER (session);

  if (sb_kind_is_unix (sb_session_get_kind (session)))
    return SB_SESSION_CLASS (sb_stream_server_parent_class)->get_tcp_info (session, info, error);

  if (self->socket == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The session has no open connection"));
      return FALSE;
    }

  return sb_tcp_info_query (self->socket, info, error);
}

static void
sb_stream_server_dispose (GObject *object)
{
  if (_sb_session_dispose_elsewhere (SB_SESSION (object)))
    return;

  close_service (SB_STREAM_SERVER (object));
  g_clear_object (&SB_STREAM_SERVER (object)->certificate);

  G_OBJECT_CLASS (sb_stream_server_parent_class)->dispose (object);
}

static void
sb_stream_server_class_init (SbStreamServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SbSessionClass *session_class = SB_SESSION_CLASS (klass);

  object_class->dispose = sb_stream_server_dispose;

  session_class->start = sb_stream_server_start;
  session_class->stop = sb_stream_server_stop;
  session_class->send = sb_stream_server_send;
  session_class->shutdown_write = sb_stream_server_shutdown_write;
  session_class->disconnect = sb_stream_server_disconnect;
  session_class->get_tcp_info = sb_stream_server_get_tcp_info;
}

static void
sb_stream_server_init (SbStreamServer *self)
{
  self->spare_fd = -1;
}
