/* test-session.c — every session kind over real loopback sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sb-datagram.h"
#include "sb-engine.h"
#include "sb-stream-client.h"
#include "sb-session.h"
#include "sb-socket-error.h"
#include "sb-test-util.h"

/* TCP */

static void
test_tcp_connect (gconstpointer data)
{
  const char *host = data;
  g_autofree char *uri = NULL;
  SbSession *server, *client;

  if (strchr (host, ':') && !have_ipv6 ())
    {
      g_test_skip ("IPv6 loopback is not available");
      return;
    }

  uri = strchr (host, ':') ? g_strdup_printf ("tcp-listen://[%s]:0", host)
                           : g_strdup_printf ("tcp-listen://%s:0", host);
  server = start_ready (uri);
  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_LISTENING);
  g_assert_cmpuint (local_port (server), >, 0);
  g_assert_cmpuint (count_events (server, SB_EVENT_LISTENING), ==, 1);

  {
    g_autofree char *client_uri = strchr (host, ':')
      ? g_strdup_printf ("tcp://[%s]:%u", host, local_port (server))
      : g_strdup_printf ("tcp://%s:%u", host, local_port (server));
    client = start_ready (client_uri);
  }

  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);
  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_cmpuint (n_peers (client), ==, 1);
  g_assert_cmpuint (count_events (client, SB_EVENT_CONNECTED), ==, 1);
  g_assert_cmpuint (count_events (server, SB_EVENT_CONNECTED), ==, 1);
  g_assert_true (sb_peer_is_stream (peer_at (server, 0)));

  stop_and_free (client);
  WAIT_UNTIL (n_peers (server) == 0);
  stop_and_free (server);
}

static void
test_tcp_dual_stack (void)
{
  SbSession *server, *client;
  const char *label;

  if (!have_ipv6 ())
    {
      g_test_skip ("IPv6 is not available");
      return;
    }

  server = start_ready ("tcp-listen://[::]:0");
  client = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (n_peers (server) == 1);

  /* An IPv4 client on a dual-stack socket shows as plain IPv4. */
  label = sb_peer_get_label (peer_at (server, 0));
  g_assert_true (g_str_has_prefix (label, "127.0.0.1:"));

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_tcp_send_both_ways (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  SbCounters counters;

  WAIT_UNTIL (n_peers (server) == 1);

  send_text (client, NULL, "hello");
  WAIT_UNTIL (received_equals (server, "hello"));

  send_text (server, peer_at (server, 0), "您好");
  WAIT_UNTIL (received_equals (client, "您好"));

  sb_session_get_counters (client, &counters);
  g_assert_cmpuint (counters.tx_bytes, ==, 5);
  g_assert_cmpuint (counters.rx_bytes, ==, strlen ("您好"));
  g_assert_cmpuint (counters.tx_messages, ==, 1);
  g_assert_cmpuint (sb_peer_get_rx_bytes (peer_at (server, 0)), ==, 5);
  g_assert_cmpuint (sb_peer_get_tx_bytes (peer_at (server, 0)), ==, strlen ("您好"));

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_tcp_many_peers (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *clients[5];
  SbPeer *first;

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    clients[i] = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (n_peers (server) == G_N_ELEMENTS (clients));

  send_text (server, NULL, "to all");
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    WAIT_UNTIL (received_equals (clients[i], "to all"));

  /* Disconnect one: only that client sees the connection end. */
  first = peer_at (server, 0);
  g_assert_true (sb_session_disconnect_peer (server, first, NULL));
  g_assert_cmpuint (n_peers (server), ==, G_N_ELEMENTS (clients) - 1);

  {
    guint closed = 0;

    WAIT_UNTIL (({ closed = 0;
                   for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
                     closed += sb_session_get_state (clients[i]) == SB_SESSION_STATE_CLOSED;
                   closed == 1; }));
  }

  /* Stopping the server closes every peer. */
  sb_session_stop (server);
  g_assert_cmpuint (n_peers (server), ==, 0);
  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_CLOSED);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      WAIT_UNTIL (sb_session_get_state (clients[i]) == SB_SESSION_STATE_CLOSED);
      stop_and_free (clients[i]);
    }

  g_assert_finalize_object (server);
}

static void
test_tcp_half_close (void)
{
  SbSession *server = start ("tcp-listen://127.0.0.1:0");
  SbSession *client;
  SbPeer *peer;

  /* The server keeps talking after the client said it is done. */
  sb_session_set_close_on_eof (server, FALSE);
  WAIT_UNTIL (is_ready (server));
  client = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (n_peers (server) == 1);
  peer = peer_at (server, 0);

  send_text (client, NULL, "request");
  g_assert_true (sb_session_shutdown_write (client, NULL, NULL));
  g_assert_cmpuint (count_events (client, SB_EVENT_HALF_CLOSED), ==, 1);
  g_assert_true (sb_peer_get_write_closed (sb_stream_client_get_peer (SB_STREAM_CLIENT (client))));

  WAIT_UNTIL (sb_peer_get_read_closed (peer));
  g_assert_true (received_equals (server, "request"));
  g_assert_cmpuint (count_events (server, SB_EVENT_PEER_CLOSED), ==, 1);
  g_assert_cmpuint (count_events (server, SB_EVENT_RESET), ==, 0);

  /* Sending after our own half-close is refused with a clear error. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
    g_autoptr(GError) error = NULL;

    g_assert_false (sb_session_send (client, NULL, bytes, &error));
    g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY);
    g_assert_nonnull (strstr (error->message, "half-close"));
  }

  send_text (server, peer, "response");
  WAIT_UNTIL (received_equals (client, "response"));

  /* The server closes its side too: both ends are done. */
  g_assert_true (sb_session_shutdown_write (server, peer, NULL));
  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_CLOSED);
  WAIT_UNTIL (n_peers (server) == 0);
  g_assert_cmpuint (count_events (client, SB_EVENT_PEER_CLOSED), ==, 1);

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_tcp_reset (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(GSocket) raw = raw_connect (server);
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };
  GError *error = NULL;

  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_true (g_socket_send (raw, "abc", 3, NULL, &error) == 3);
  g_assert_no_error (error);

  /* SO_LINGER 0 turns close() into a reset. */
  g_assert_cmpint (setsockopt (g_socket_get_fd (raw), SOL_SOCKET, SO_LINGER, &linger, sizeof linger), ==, 0);
  g_socket_close (raw, NULL);

  WAIT_UNTIL (n_peers (server) == 0);
  g_assert_cmpuint (count_events (server, SB_EVENT_RESET), ==, 1);
  g_assert_cmpuint (count_events (server, SB_EVENT_PEER_CLOSED), ==, 0);

  stop_and_free (server);
}

static void
test_tcp_eof (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(GSocket) raw = raw_connect (server);

  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_cmpint (g_socket_send (raw, "bye", 3, NULL, NULL), ==, 3);
  g_socket_close (raw, NULL);

  WAIT_UNTIL (n_peers (server) == 0);
  g_assert_true (received_equals (server, "bye"));
  g_assert_cmpuint (count_events (server, SB_EVENT_PEER_CLOSED), ==, 1);
  g_assert_cmpuint (count_events (server, SB_EVENT_RESET), ==, 0);

  stop_and_free (server);
}

static void
test_tcp_refused (void)
{
  /* Bound but not listening: the kernel refuses connections to it. */
  g_autoptr(GSocket) holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *where = NULL;
  SbSession *client;
  const GError *error;

  g_assert_true (g_socket_bind (holder, any, FALSE, NULL));
  bound = g_socket_get_local_address (holder, NULL);
  uri = g_strdup_printf ("tcp://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  where = g_strdup_printf ("127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  client = start (uri);
  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_FAILED);

  error = sb_session_get_error (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "refused"));
  g_assert_nonnull (strstr (error->message, where));
  g_assert_cmpstr (sb_socket_error_errno_name (error), ==, "ECONNREFUSED");
  g_assert_cmpuint (count_events (client, SB_EVENT_ERROR), ==, 1);

  g_assert_finalize_object (client);
}

static void
test_tcp_busy_port (void)
{
  SbSession *first = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tcp-listen://127.0.0.1:%u", local_port (first));
  g_autofree char *port = g_strdup_printf ("Port %u", local_port (first));
  SbSession *second = start (uri);
  const GError *error;

  WAIT_UNTIL (sb_session_get_state (second) == SB_SESSION_STATE_FAILED);
  error = sb_session_get_error (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, port));
  g_assert_nonnull (strstr (error->message, "in use"));

  /* The first server is unharmed, and the second can retry elsewhere. */
  g_assert_cmpint (sb_session_get_state (first), ==, SB_SESSION_STATE_LISTENING);

  g_assert_finalize_object (second);
  stop_and_free (first);
}

/* A resolver that knows no names, so no test asks a DNS server. */
typedef struct { GResolver parent_instance; } TestResolver;
typedef struct { GResolverClass parent_class; } TestResolverClass;
static GType test_resolver_get_type (void);
G_DEFINE_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static void
test_resolver_lookup_by_name_async (GResolver           *resolver,
                                    const char          *hostname,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);

  g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                           "Error resolving “%s”: Name or service not known", hostname);
}

static GList *
test_resolver_lookup_by_name_finish (GResolver     *resolver,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_lookup_by_name_with_flags_async (GResolver                *resolver,
                                               const char               *hostname,
                                               GResolverNameLookupFlags  flags,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data)
{
  test_resolver_lookup_by_name_async (resolver, hostname, cancellable, callback, user_data);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name_async = test_resolver_lookup_by_name_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_by_name_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

static void
test_host_not_found (gconstpointer data)
{
  const char *uri = data;
  g_autoptr(GResolver) previous = g_resolver_get_default ();
  g_autoptr(GResolver) fake = g_object_new (test_resolver_get_type (), NULL);
  SbSession *session;
  const GError *error;

  g_resolver_set_default (fake);

  session = start (uri);
  WAIT_UNTIL (sb_session_get_state (session) == SB_SESSION_STATE_FAILED);
  error = sb_session_get_error (session);
  g_assert_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“no-such-host.invalid” was not found"));

  g_assert_finalize_object (session);
  g_resolver_set_default (previous);
}

static void
test_tcp_timeout (void)
{
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GPtrArray) fillers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *uri = NULL;
  SbSession *client;
  const GError *error;
  guint16 port;

  /* A listener that never accepts, with its queue full: the kernel drops
   * further SYNs and the connect waits until our timeout. */
  g_socket_set_listen_backlog (listener, 0);
  g_assert_true (g_socket_bind (listener, any, FALSE, NULL));
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  for (guint i = 0; i < 4; i++)
    {
      GSocket *filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
      g_autoptr(GSocketAddress) target = g_inet_socket_address_new (loopback, port);

      g_socket_set_blocking (filler, FALSE);
      g_socket_connect (filler, target, NULL, NULL);
      g_ptr_array_add (fillers, filler);
    }

  uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  client = session_for (uri);
  sb_session_set_timeout (client, 1);
  sb_session_start (client);
  WAIT_UNTIL (sb_session_get_state (client) != SB_SESSION_STATE_CONNECTING &&
              sb_session_get_state (client) != SB_SESSION_STATE_RESOLVING);

  if (sb_session_get_state (client) == SB_SESSION_STATE_CONNECTED)
    {
      g_test_skip ("this kernel accepted a connection beyond the listen backlog");
      stop_and_free (client);
      return;
    }

  error = sb_session_get_error (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "timed out after 1 s"));
  g_assert_finalize_object (client);
}

static void
test_not_ready (void)
{
  SbSession *client = session_for ("tcp://127.0.0.1:9");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;

  g_assert_false (sb_session_send (client, NULL, bytes, &error));
  g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY);
  g_assert_finalize_object (client);
}

static void
test_restart (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);

  sb_session_stop (client);
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CLOSED);
  sb_session_start (client);
  WAIT_UNTIL (is_ready (client));
  WAIT_UNTIL (n_peers (server) == 1);
  send_text (client, NULL, "again");
  WAIT_UNTIL (received_equals (server, "again"));

  stop_and_free (client);
  stop_and_free (server);
}

static void
write_random_file (const char *path,
                   gsize       size,
                   GBytes    **contents)
{
  g_autofree guint8 *data = g_malloc (size);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = g_rand_int (rand) & 0xff;

  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  *contents = g_bytes_new_take (g_steal_pointer (&data), size);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
  goffset  last_sent;
  goffset  total;
  guint    progress_calls;
} FileResult;

static void
on_progress (goffset  sent,
             goffset  total,
             gpointer data)
{
  FileResult *result = data;

  g_assert_cmpint (sent, >=, result->last_sent);
  result->last_sent = sent;
  result->total = total;
  result->progress_calls++;
}

static void
on_file_sent (GObject      *object,
              GAsyncResult *res,
              gpointer      data)
{
  FileResult *result = data;

  result->ok = sb_session_send_file_finish (SB_SESSION (object), res, &result->error);
  result->done = TRUE;
}

static void
test_send_file (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "send-file.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GBytes) received = NULL;
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  FileResult result = { 0 };
  gsize size = 5 * 1024 * 1024 + 123;

  write_random_file (path, size, &contents);
  WAIT_UNTIL (n_peers (server) == 1);

  sb_session_send_file_async (client, NULL, file, NULL, on_progress, &result, NULL, on_file_sent, &result);
  WAIT_UNTIL (result.done);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpint (result.last_sent, ==, size);
  g_assert_cmpint (result.total, ==, size);
  g_assert_cmpuint (result.progress_calls, >, 1);

  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == size);
  received = g_byte_array_free_to_bytes (collect (server, SB_DIRECTION_RX));
  g_assert_true (g_bytes_equal (received, contents));

  g_unlink (path);
  stop_and_free (client);
  stop_and_free (server);
}

static void
test_send_file_errors (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "does-not-exist.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  FileResult result = { 0 };

  sb_session_send_file_async (client, NULL, file, NULL, NULL, NULL, NULL, on_file_sent, &result);
  WAIT_UNTIL (result.done);
  g_assert_false (result.ok);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (result.error->message, "does-not-exist.bin"));
  g_clear_error (&result.error);

  /* The session lives on. */
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_send_file_cancel (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "cancel.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) contents = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocket) raw = NULL;
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  FileResult result = { 0 };

  /* A peer that never reads keeps the send waiting for room. */
  write_random_file (path, 32 * 1024 * 1024, &contents);
  raw = raw_connect (server);
  WAIT_UNTIL (n_peers (server) == 1);

  sb_session_send_file_async (server, NULL, file, cancellable, on_progress, &result, NULL, on_file_sent, &result);
  WAIT_UNTIL (result.last_sent > 0);
  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (result.done);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&result.error);
  g_assert_cmpint (result.last_sent, <, 32 * 1024 * 1024);

  g_unlink (path);
  stop_and_free (server);
}

static void
test_back_pressure (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(GSocket) raw = raw_connect (server);
  g_autoptr(GBytes) chunk = g_bytes_new_take (g_malloc0 (1024 * 1024), 1024 * 1024);
  g_autoptr(GError) error = NULL;
  SbPeer *peer;
  guint sent = 0;

  WAIT_UNTIL (n_peers (server) == 1);
  peer = peer_at (server, 0);
  /* @raw stays open, and unread, until the end. */
  g_assert_true (G_IS_SOCKET (raw));

  /* The peer never reads: sends are accepted until the queue is full, then
   * refused with a clear error instead of buffering without bound. */
  while (sb_session_send (server, peer, chunk, &error))
    {
      sent++;
      g_assert_cmpuint (sent, <, 200);
    }

  g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "not reading"));
  g_assert_cmpuint (sb_peer_get_pending (peer), <=, SB_SESSION_MAX_PENDING);
  g_assert_cmpuint (sb_peer_get_pending (peer), >, 0);

  stop_and_free (server);
}


static SbTcpState
tcp_state_of_peer (SbPeer *peer)
{
  SbTcpInfo info;
  g_autoptr(GError) error = NULL;

  if (!sb_peer_get_tcp_info (peer, &info, &error))
    g_error ("TCP_INFO failed: %s", error->message);
  return info.state;
}

static void
test_tcp_info (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  SbTcpInfo info;
  g_autoptr(GError) error = NULL;
  SbPeer *server_side;
  SbPeer *client_side;

  if (!sb_session_get_tcp_info (server, &info, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          g_test_skip (error->message);
          stop_and_free (client);
          stop_and_free (server);
          return;
        }
      g_error ("%s", error->message);
    }
  g_assert_cmpint (info.state, ==, SB_TCP_LISTEN);
  g_assert_cmpstr (sb_tcp_state_name (info.state), ==, "LISTEN");

  WAIT_UNTIL (n_peers (server) == 1);
  server_side = peer_at (server, 0);
  client_side = sb_stream_client_get_peer (SB_STREAM_CLIENT (client));
  g_assert_cmpint (tcp_state_of_peer (server_side), ==, SB_TCP_ESTABLISHED);
  g_assert_true (sb_session_get_tcp_info (client, &info, NULL));
  g_assert_cmpint (info.state, ==, SB_TCP_ESTABLISHED);

  /* Data the server has not read yet shows in its receive queue. */
  sb_session_set_close_on_eof (server, FALSE);

  /* Half-close from the client: it waits in FIN_WAIT2, the server in CLOSE_WAIT. */
  g_assert_true (sb_session_shutdown_write (client, NULL, NULL));
  WAIT_UNTIL (sb_peer_get_read_closed (server_side));
  WAIT_UNTIL (tcp_state_of_peer (client_side) == SB_TCP_FIN_WAIT2);
  g_assert_cmpint (tcp_state_of_peer (server_side), ==, SB_TCP_CLOSE_WAIT);
  g_assert_nonnull (sb_tcp_state_explain (SB_TCP_CLOSE_WAIT));

  /* Not TCP: a clear answer, not a crash. */
  {
    SbSession *udp = start_ready ("udp-listen://127.0.0.1:0");
    g_autoptr(GError) udp_error = NULL;

    g_assert_false (sb_session_get_tcp_info (udp, &info, &udp_error));
    g_assert_error (udp_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
    stop_and_free (udp);
  }

  stop_and_free (client);
  stop_and_free (server);
}

/* UDP */

static void
test_udp_exchange (gconstpointer data)
{
  const char *host = data;
  gboolean v6 = strchr (host, ':') != NULL;
  g_autofree char *listen_uri = NULL;
  g_autofree char *target_uri = NULL;
  SbSession *server, *client;
  SbPeer *sender;

  if (v6 && !have_ipv6 ())
    {
      g_test_skip ("IPv6 loopback is not available");
      return;
    }

  listen_uri = v6 ? g_strdup_printf ("udp-listen://[%s]:0", host) : g_strdup_printf ("udp-listen://%s:0", host);
  server = start_ready (listen_uri);
  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_LISTENING);

  target_uri = v6 ? g_strdup_printf ("udp://[%s]:%u", host, local_port (server))
                  : g_strdup_printf ("udp://%s:%u", host, local_port (server));
  client = start_ready (target_uri);
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);

  send_text (client, NULL, "hello");
  WAIT_UNTIL (received_equals (server, "hello"));
  WAIT_UNTIL (n_peers (server) == 1);

  /* Reply to whoever sent last. */
  sender = sb_session_get_last_sender (server);
  g_assert_nonnull (sender);
  g_assert_cmpuint (sb_peer_get_rx_messages (sender), ==, 1);
  send_text (server, sender, "服务端收到信息啦！");
  WAIT_UNTIL (received_equals (client, "服务端收到信息啦！"));

  /* A listening socket has no default target. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
    g_autoptr(GError) error = NULL;

    g_assert_false (sb_session_send (server, NULL, bytes, &error));
    g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NO_TARGET);
  }

  stop_and_free (client);
  stop_and_free (server);
}


static gboolean
session_has_rx_messages (SbSession *session,
                         guint64    n)
{
  SbCounters counters;

  sb_session_get_counters (session, &counters);
  return counters.rx_messages >= n;
}

/* Datagrams from two senders in turn each go to their own peer (the lookup
 * remembers the last sender by its address), and a forgotten peer comes
 * back as a new one. */
static void
test_udp_senders (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *a = start_client_to ("udp", "127.0.0.1", server);
  SbSession *b = start_client_to ("udp", "127.0.0.1", server);
  const char *order = "aabab";
  SbPeer *peer_a = NULL, *peer_b = NULL, *again;
  SbHistory *history = sb_session_get_history (server);

  WAIT_UNTIL (is_ready (a) && is_ready (b));
  for (guint i = 0; order[i] != '\0'; i++)
    {
      send_text (order[i] == 'a' ? a : b, NULL, order[i] == 'a' ? "from a" : "from b");
      WAIT_UNTIL (session_has_rx_messages (server, i + 1));
    }
  WAIT_UNTIL (n_peers (server) == 2);

  for (guint i = 0; i < 2; i++)
    {
      SbPeer *peer = peer_at (server, i);

      if (sb_peer_get_rx_messages (peer) == 3)
        peer_a = peer;
      else if (sb_peer_get_rx_messages (peer) == 2)
        peer_b = peer;
    }
  g_assert_nonnull (peer_a);
  g_assert_nonnull (peer_b);
  g_assert_cmpstr (sb_peer_get_label (peer_a), !=, sb_peer_get_label (peer_b));

  /* Each record names the peer that sent it. */
  sb_history_flush (history);
  for (guint i = 0, k = 0; i < sb_history_get_n_records (history); i++)
    {
      gsize len;
      const guint8 *bytes;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_RX)
        continue;
      bytes = sb_history_peek_data (history, i, &len);
      g_assert_cmpmem (bytes, len, order[k] == 'a' ? "from a" : "from b", 6);
      g_assert_cmpstr (sb_history_get_peer_label (history, sb_history_get_peer (history, i)), ==,
                       sb_peer_get_label (order[k] == 'a' ? peer_a : peer_b));
      k++;
    }

  /* Forgotten, then heard from again: a new peer. */
  g_assert_true (sb_session_disconnect_peer (server, peer_a, NULL));
  WAIT_UNTIL (n_peers (server) == 1);
  send_text (a, NULL, "a again");
  WAIT_UNTIL (n_peers (server) == 2);
  again = sb_session_get_last_sender (server);
  g_assert_nonnull (again);
  g_assert_true (again != peer_b);
  g_assert_cmpuint (sb_peer_get_rx_messages (again), ==, 1);

  stop_and_free (a);
  stop_and_free (b);
  stop_and_free (server);
}

static void
test_udp_port_unreachable (void)
{
  g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *uri = NULL;
  SbSession *client;
  gint64 deadline;

  /* A port that was free a moment ago: nothing listens there now. */
  g_assert_true (g_socket_bind (probe, any, FALSE, NULL));
  bound = g_socket_get_local_address (probe, NULL);
  uri = g_strdup_printf ("udp://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (probe, NULL);

  client = start_ready (uri);
  send_text (client, NULL, "anyone?");

  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  WAIT_UNTIL (count_events (client, SB_EVENT_ERROR) > 0 || g_get_monotonic_time () > deadline);
  if (count_events (client, SB_EVENT_ERROR) == 0)
    {
      g_test_skip ("this kernel reported no ICMP error for the datagram");
      stop_and_free (client);
      return;
    }

  /* Shown as an event; the socket lives on and can send again. */
  {
    SbHistory *history = sb_session_get_history (client);
    g_autofree char *text = NULL;

    for (guint i = 0; i < sb_history_get_n_records (history); i++)
      if (sb_history_get_event (history, i) == SB_EVENT_ERROR)
        text = sb_history_decode (history, i, "UTF-8", 0, NULL);
    g_assert_nonnull (strstr (text, "port unreachable"));
  }
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);
  send_text (client, NULL, "still here");

  stop_and_free (client);
}


static void
test_udp_host_name (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("udp://localhost:%u", local_port (server));
  SbSession *client = start (uri);
  SbTrace *trace = sb_session_get_trace (client);
  g_autoptr(SbTraceCall) first = NULL;

  /* "localhost" comes from the hosts file: no name server is asked. */
  WAIT_UNTIL (is_ready (client));
  send_text (client, NULL, "by name");
  WAIT_UNTIL (received_equals (server, "by name"));

  sb_trace_flush (trace);
  first = g_list_model_get_item (G_LIST_MODEL (trace), 0);
  g_assert_cmpint (sb_trace_call_get_kind (first), ==, SB_CALL_GETADDRINFO);

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_udp_sizes (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("udp", "127.0.0.1", server);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree guint8 *big = g_malloc (65507);
  g_autoptr(GBytes) large = NULL;
  g_autoptr(GBytes) too_large = g_bytes_new_take (g_malloc0 (65508), 65508);
  g_autoptr(GError) error = NULL;
  SbHistory *history = sb_session_get_history (server);
  g_autoptr(GByteArray) rx = NULL;
  guint rx_records = 0;

  for (guint i = 0; i < 65507; i++)
    big[i] = i * 7;
  large = g_bytes_new (big, 65507);

  g_assert_true (sb_session_send (client, NULL, empty, NULL));
  g_assert_true (sb_session_send (client, NULL, large, NULL));

  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == 65507);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_RX)
      rx_records++;
  g_assert_cmpuint (rx_records, ==, 2);  /* the empty datagram is a record too */
  rx = collect (server, SB_DIRECTION_RX);
  g_assert_cmpmem (rx->data, rx->len, big, 65507);

  /* One byte more than UDP can carry: a clear error, the socket lives on. */
  g_assert_false (sb_session_send (client, NULL, too_large, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_udp_send_to (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *other = start_ready ("udp-listen://127.0.0.1:0");
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, local_port (other));
  g_autoptr(GBytes) bytes = g_bytes_new_static ("direct", 6);
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_session_send_to (server, to, bytes, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (received_equals (other, "direct"));

  stop_and_free (other);
  stop_and_free (server);
}

static void
test_udp_broadcast (void)
{
  SbSession *receiver = start_ready ("udp-listen://0.0.0.0:0");
  SbSession *sender = start_ready ("udp-listen://127.0.0.1:0");
  g_autoptr(GInetAddress) broadcast = g_inet_address_new_from_string ("127.255.255.255");
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (broadcast, local_port (receiver));
  g_autoptr(GBytes) bytes = g_bytes_new_static ("everyone", 8);
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  /* Without SO_BROADCAST the kernel refuses, and we say why. */
  if (sb_session_send_to (sender, to, bytes, &error))
    {
      g_test_skip ("this kernel sends to 127.255.255.255 without SO_BROADCAST");
      stop_and_free (sender);
      stop_and_free (receiver);
      return;
    }
  g_assert_nonnull (strstr (error->message, "broadcast"));
  g_clear_error (&error);

  g_assert_true (sb_session_set_broadcast (sender, TRUE, NULL));
  g_assert_true (sb_session_send_to (sender, to, bytes, &error));
  g_assert_no_error (error);

  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  WAIT_UNTIL (received_equals (receiver, "everyone") || g_get_monotonic_time () > deadline);
  if (!received_equals (receiver, "everyone"))
    g_test_skip ("this kernel does not deliver loopback broadcasts");

  stop_and_free (sender);
  stop_and_free (receiver);
}

static void
test_udp_multicast (gconstpointer data)
{
  const char *group = data;
  gboolean v6 = strchr (group, ':') != NULL;
  SbSession *receiver, *sender;
  g_autoptr(GInetAddress) group_address = g_inet_address_new_from_string (group);
  g_autoptr(GSocketAddress) to = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("group", 5);
  g_autoptr(GError) error = NULL;
  gint64 deadline;

  if (v6 && !have_ipv6 ())
    {
      g_test_skip ("IPv6 is not available");
      return;
    }

  receiver = start_ready (v6 ? "udp-listen://[::]:0" : "udp-listen://0.0.0.0:0");
  sender = start_ready (v6 ? "udp-listen://[::1]:0" : "udp-listen://127.0.0.1:0");

  if (!sb_session_join_multicast (receiver, group, "lo", &error))
    {
      g_autofree char *reason = g_strdup_printf ("cannot join %s on lo: %s", group, error->message);

      g_test_skip (reason);
      stop_and_free (sender);
      stop_and_free (receiver);
      return;
    }

  /* Out through lo only, and never further than this host. */
  g_assert_true (sb_datagram_set_multicast (SB_DATAGRAM (sender), group, "lo", TRUE, NULL));
  g_assert_true (sb_datagram_set_multicast_ttl (SB_DATAGRAM (sender), 0, NULL));

  to = g_inet_socket_address_new (group_address, local_port (receiver));
  if (!sb_session_send_to (sender, to, bytes, &error))
    {
      g_autofree char *reason = g_strdup_printf ("cannot send to %s through lo: %s", group, error->message);

      g_test_skip (reason);
      stop_and_free (sender);
      stop_and_free (receiver);
      return;
    }

  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  WAIT_UNTIL (received_equals (receiver, "group") || g_get_monotonic_time () > deadline);
  if (!received_equals (receiver, "group"))
    g_test_skip ("this kernel does not loop multicast back through lo");
  else
    g_assert_true (sb_session_leave_multicast (receiver, group, "lo", NULL));

  stop_and_free (sender);
  stop_and_free (receiver);
}

static void
test_multicast_bad_group (void)
{
  SbSession *session = start_ready ("udp-listen://127.0.0.1:0");
  g_autoptr(GError) error = NULL;

  g_assert_false (sb_session_join_multicast (session, "10.1.2.3", NULL, &error));
  g_assert_nonnull (strstr (error->message, "not a multicast group"));

  stop_and_free (session);
}

/* UNIX */

static void
test_unix_stream (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "stream.sock", NULL);
  g_autofree char *listen_uri = g_strdup_printf ("unix-listen://%s", path);
  g_autofree char *uri = g_strdup_printf ("unix://%s", path);
  SbSession *server = start_ready (listen_uri);
  SbSession *client = start_ready (uri);

  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_cmpstr (sb_peer_get_label (peer_at (server, 0)), ==, "client 1");

  send_text (client, NULL, "over unix");
  WAIT_UNTIL (received_equals (server, "over unix"));
  send_text (server, NULL, "back");
  WAIT_UNTIL (received_equals (client, "back"));

  g_assert_true (sb_session_shutdown_write (client, NULL, NULL));
  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_CLOSED);
  WAIT_UNTIL (n_peers (server) == 0);

  stop_and_free (client);
  stop_and_free (server);

  /* The socket file goes with the server. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_unix_path_exists (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "exists.sock", NULL);
  g_autofree char *uri = g_strdup_printf ("unix-listen://%s", path);
  SbSession *server;
  const GError *error;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  server = start (uri);
  WAIT_UNTIL (sb_session_get_state (server) == SB_SESSION_STATE_FAILED);
  error = sb_session_get_error (server);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "in use"));

  /* We did not create it, so we do not remove it. */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unlink (path);
  g_assert_finalize_object (server);
}

static void
test_unix_missing (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "nobody-here.sock", NULL);
  g_autofree char *uri = g_strdup_printf ("unix://%s", path);
  SbSession *client = start (uri);

  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (sb_session_get_error (client)->message, path));
  g_assert_finalize_object (client);
}

static void
test_unix_no_permission (void)
{
  g_autofree char *dir = g_build_filename (sb_test_tmpdir, "locked", NULL);
  g_autofree char *path = g_build_filename (dir, "s.sock", NULL);
  g_autofree char *uri = g_strdup_printf ("unix-listen://%s", path);
  SbSession *server;

  if (geteuid () == 0)
    {
      g_test_skip ("root is not stopped by folder permissions");
      return;
    }

  g_assert_cmpint (g_mkdir (dir, 0500), ==, 0);
  server = start (uri);
  WAIT_UNTIL (sb_session_get_state (server) == SB_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (sb_session_get_error (server)->message, "Permission denied"));
  g_assert_finalize_object (server);
  g_rmdir (dir);
}

static void
test_unix_abstract (void)
{
  g_autofree char *uri = g_strdup_printf ("unix-listen://@sockbench-test-%d", getpid ());
  g_autofree char *client_uri = g_strdup_printf ("unix://@sockbench-test-%d", getpid ());
  SbSession *server = start_ready (uri);
  SbSession *client = start_ready (client_uri);

  send_text (client, NULL, "abstract");
  WAIT_UNTIL (received_equals (server, "abstract"));

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_unix_datagram (void)
{
  g_autofree char *a = g_build_filename (sb_test_tmpdir, "a.dgram", NULL);
  g_autofree char *b = g_build_filename (sb_test_tmpdir, "b.dgram", NULL);
  g_autofree char *uri_a = g_strdup_printf ("unixgram://?bind=%s", a);
  g_autofree char *uri_b = g_strdup_printf ("unixgram://%s?bind=%s", a, b);
  SbSession *server = start_ready (uri_a);
  SbSession *client = start_ready (uri_b);

  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_LISTENING);
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);

  send_text (client, NULL, "datagram");
  WAIT_UNTIL (received_equals (server, "datagram"));
  g_assert_cmpstr (sb_peer_get_label (sb_session_get_last_sender (server)), ==, b);

  send_text (server, sb_session_get_last_sender (server), "reply");
  WAIT_UNTIL (received_equals (client, "reply"));

  stop_and_free (client);
  stop_and_free (server);
  g_assert_false (g_file_test (a, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (b, G_FILE_TEST_EXISTS));
}

/* Errors in words */

static void
test_humanize (void)
{
  struct {
    GQuark      domain;
    int         code;
    const char *message;
    SbSocketOp  op;
    const char *where;
    const char *expect;
  } cases[] = {
    { G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "Error binding to address: Permission denied",
      SB_SOCKET_OP_BIND, "0.0.0.0:80", "Port 80 needs administrator rights" },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "No route to host",
      SB_SOCKET_OP_CONNECT, "192.0.2.1:80", "No route to 192.0.2.1:80" },
    { G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Network is unreachable",
      SB_SOCKET_OP_CONNECT, "[2001:db8::1]:80", "network is unreachable" },
    { G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE, "Address already in use",
      SB_SOCKET_OP_BIND, "127.0.0.1:8080", "Port 8080 is already in use by another program" },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused",
      SB_SOCKET_OP_CONNECT, "127.0.0.1:9", "Connection refused by 127.0.0.1:9" },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "Name or service not known",
      SB_SOCKET_OP_RESOLVE, "nowhere.invalid", "“nowhere.invalid” was not found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) raw = g_error_new_literal (cases[i].domain, cases[i].code, cases[i].message);
      g_autoptr(GError) human = sb_socket_error_humanize (raw, cases[i].op, cases[i].where);

      g_assert_true (human->domain == cases[i].domain);
      g_assert_cmpint (human->code, ==, cases[i].code);
      if (strstr (human->message, cases[i].expect) == NULL)
        g_error ("“%s” does not say “%s”", human->message, cases[i].expect);
    }
}

/* Owner notifications from the engine's thread */

#define TEST_TYPE_COUNTER (test_counter_get_type ())
G_DECLARE_FINAL_TYPE (TestCounter, test_counter, TEST, COUNTER, GObject)

struct _TestCounter
{
  GObject parent_instance;
  guint   count;   /* atomic */
};

G_DEFINE_FINAL_TYPE (TestCounter, test_counter, G_TYPE_OBJECT)

static GParamSpec *counter_pspec;

static void
test_counter_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  g_value_set_uint (value, g_atomic_int_get (&TEST_COUNTER (object)->count));
}

static void
test_counter_class_init (TestCounterClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = test_counter_get_property;
  counter_pspec = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (G_OBJECT_CLASS (klass), 1, counter_pspec);
}

static void
test_counter_init (TestCounter *self)
{
}

typedef struct
{
  TestCounter *counter;
  gint64       for_us;
  guint        n_sent;
} Stepping;

/* On the engine: steps the counter and notifies, as a flood's reads do,
 * for @for_us. */
static void
step_counter (gpointer data,
              gpointer unused)
{
  Stepping *s = data;
  gint64 end = g_get_monotonic_time () + s->for_us;

  do
    {
      g_atomic_int_inc (&s->counter->count);
      sb_owner_notify (G_OBJECT (s->counter), counter_pspec);
      s->n_sent++;
    }
  while (g_get_monotonic_time () < end);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *n)
{
  (*n)++;
}

static void
read_count_cb (guint       *seen,
               GParamSpec  *pspec,
               TestCounter *counter)
{
  *seen = g_atomic_int_get (&counter->count);
}

static void
test_owner_notify (void)
{
  SbEngine *engine = sb_engine_get_default ();
  g_autoptr(TestCounter) counter = g_object_new (TEST_TYPE_COUNTER, NULL);
  Stepping stepping = { counter, 0, 0 };
  guint n_notified = 0;

  sb_owner_notify_init (G_OBJECT (counter));

  /* Unwatched: nothing is sent to the owner. */
  stepping.for_us = 20 * 1000;
  sb_engine_call (engine, step_counter, &stepping);
  g_assert_cmpuint (stepping.n_sent, >, 0);
  g_assert_false (g_main_context_pending (NULL));

  /* Watched, through a plain "notify" handler too: changes every
   * millisecond for 300 ms, the owner dispatching between them, reach the
   * owner at most 20 times a second (the first at once), and the last
   * value does reach it. */
  g_signal_connect (counter, "notify", G_CALLBACK (count_notify_cb), &n_notified);
  stepping.for_us = 1000;
  for (gint64 end = g_get_monotonic_time () + 300 * 1000; g_get_monotonic_time () < end;)
    {
      sb_engine_call (engine, step_counter, &stepping);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_cmpuint (n_notified, >=, 1);
  g_assert_cmpuint (n_notified, <=, 300 / 50 + 2);
  {
    guint last = g_atomic_int_get (&counter->count);
    guint seen = 0;

    g_signal_handlers_disconnect_by_data (counter, &n_notified);
    g_signal_connect_swapped (counter, "notify", G_CALLBACK (read_count_cb), &seen);
    sb_engine_call (engine, step_counter, &stepping);
    last = g_atomic_int_get (&counter->count);
    WAIT_UNTIL (seen == last);
  }
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/session/owner-notify", test_owner_notify);
  g_test_add_data_func ("/session/tcp/connect/ipv4", "127.0.0.1", test_tcp_connect);
  g_test_add_data_func ("/session/tcp/connect/ipv6", "::1", test_tcp_connect);
  g_test_add_func ("/session/tcp/dual-stack", test_tcp_dual_stack);
  g_test_add_func ("/session/tcp/send-both-ways", test_tcp_send_both_ways);
  g_test_add_func ("/session/tcp/many-peers", test_tcp_many_peers);
  g_test_add_func ("/session/tcp/half-close", test_tcp_half_close);
  g_test_add_func ("/session/tcp/reset", test_tcp_reset);
  g_test_add_func ("/session/tcp/eof", test_tcp_eof);
  g_test_add_func ("/session/tcp/refused", test_tcp_refused);
  g_test_add_func ("/session/tcp/busy-port", test_tcp_busy_port);
  g_test_add_data_func ("/session/tcp/host-not-found", "tcp://no-such-host.invalid:80", test_host_not_found);
  g_test_add_data_func ("/session/udp/host-not-found", "udp://no-such-host.invalid:80", test_host_not_found);
  g_test_add_func ("/session/tcp/timeout", test_tcp_timeout);
  g_test_add_func ("/session/tcp/restart", test_restart);
  g_test_add_func ("/session/not-ready", test_not_ready);
  g_test_add_func ("/session/tcp/send-file", test_send_file);
  g_test_add_func ("/session/tcp/send-file-missing", test_send_file_errors);
  g_test_add_func ("/session/tcp/send-file-cancel", test_send_file_cancel);
  g_test_add_func ("/session/tcp/back-pressure", test_back_pressure);
  g_test_add_func ("/session/tcp/tcp-info", test_tcp_info);
  g_test_add_data_func ("/session/udp/exchange/ipv4", "127.0.0.1", test_udp_exchange);
  g_test_add_data_func ("/session/udp/exchange/ipv6", "::1", test_udp_exchange);
  g_test_add_func ("/session/udp/sizes", test_udp_sizes);
  g_test_add_func ("/session/udp/senders", test_udp_senders);
  g_test_add_func ("/session/udp/host-name", test_udp_host_name);
  g_test_add_func ("/session/udp/port-unreachable", test_udp_port_unreachable);
  g_test_add_func ("/session/udp/send-to", test_udp_send_to);
  g_test_add_func ("/session/udp/broadcast", test_udp_broadcast);
  g_test_add_data_func ("/session/udp/multicast/ipv4", "239.255.77.77", test_udp_multicast);
  g_test_add_data_func ("/session/udp/multicast/ipv6", "ff15::5b:77", test_udp_multicast);
  g_test_add_func ("/session/udp/multicast-bad-group", test_multicast_bad_group);
  g_test_add_func ("/session/unix/stream", test_unix_stream);
  g_test_add_func ("/session/unix/path-exists", test_unix_path_exists);
  g_test_add_func ("/session/unix/missing", test_unix_missing);
  g_test_add_func ("/session/unix/no-permission", test_unix_no_permission);
  g_test_add_func ("/session/unix/abstract", test_unix_abstract);
  g_test_add_func ("/session/unix/datagram", test_unix_datagram);
  g_test_add_func ("/socket-error/humanize", test_humanize);

  return sb_test_run ();
}
