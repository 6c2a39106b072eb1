/* test-trace.c — the socket calls each session kind really makes
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
#include "sb-stream-client.h"
#include "sb-session.h"
#include "sb-socket-error.h"
#include "sb-test-util.h"
#include "sb-trace.h"

static GPtrArray *
calls_of (SbSession     *session,
          SbTraceSyntax  syntax)
{
  SbTrace *trace = sb_session_get_trace (session);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  sb_history_flush (sb_session_get_history (session));
  sb_trace_flush (trace);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (trace)); i++)
    {
      g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), i);

      g_ptr_array_add (lines, sb_trace_call_format (call, syntax));
    }

  return lines;
}

static GArray *
kinds_of (SbSession *session)
{
  SbTrace *trace = sb_session_get_trace (session);
  GArray *kinds = g_array_new (FALSE, FALSE, sizeof (int));

  sb_history_flush (sb_session_get_history (session));
  sb_trace_flush (trace);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (trace)); i++)
    {
      g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), i);
      int kind = sb_trace_call_get_kind (call);

      g_array_append_val (kinds, kind);
    }

  return kinds;
}

static void
dump (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("  %s", (char *) g_ptr_array_index (lines, i));
}

/* Checks that @session made exactly the calls in @expected (ending in -1). */
static void
assert_kinds (SbSession *session,
              const int *expected)
{
  g_autoptr(GArray) kinds = kinds_of (session);
  g_autoptr(GPtrArray) lines = calls_of (session, SB_TRACE_PYTHON);
  guint n = 0;

  while (expected[n] >= 0)
    n++;

  if (kinds->len != n || memcmp (kinds->data, expected, n * sizeof (int)) != 0)
    {
      dump (lines);
      g_error ("the trace has %u calls, not the %u expected (see the messages above)", kinds->len, n);
    }
}

static gboolean
has_line (GPtrArray  *lines,
          const char *line)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (g_ptr_array_index (lines, i), line))
      return TRUE;

  dump (lines);
  return FALSE;
}

static gboolean
has_line_containing (GPtrArray  *lines,
                     const char *part)
{
  for (guint i = 0; i < lines->len; i++)
    if (strstr (g_ptr_array_index (lines, i), part) != NULL)
      return TRUE;

  dump (lines);
  return FALSE;
}

static void
test_trace_tcp (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  g_autoptr(GPtrArray) server_py = NULL;
  g_autoptr(GPtrArray) client_py = NULL;
  g_autoptr(GPtrArray) client_c = NULL;
  g_autofree char *bind_line = NULL;
  g_autofree char *connect_line = NULL;
  guint16 port = local_port (server);
  const int server_calls[] = {
    SB_CALL_SOCKET, SB_CALL_SETSOCKOPT, SB_CALL_BIND, SB_CALL_LISTEN,
    SB_CALL_ACCEPT, SB_CALL_SETSOCKOPT, SB_CALL_RECV, SB_CALL_SEND,
    SB_CALL_RECV /* EOF */, SB_CALL_CLOSE, SB_CALL_CLOSE, -1
  };
  const int client_calls[] = {
    SB_CALL_SOCKET, SB_CALL_CONNECT, SB_CALL_SETSOCKOPT, SB_CALL_SEND,
    SB_CALL_RECV, SB_CALL_SHUTDOWN, SB_CALL_RECV /* EOF */, SB_CALL_CLOSE, -1
  };

  WAIT_UNTIL (n_peers (server) == 1);
  send_text (client, NULL, "hello");
  WAIT_UNTIL (received_equals (server, "hello"));
  send_text (server, NULL, "hi");
  WAIT_UNTIL (received_equals (client, "hi"));
  g_assert_true (sb_session_shutdown_write (client, NULL, NULL));
  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_CLOSED);
  WAIT_UNTIL (n_peers (server) == 0);
  sb_session_stop (server);

  assert_kinds (server, server_calls);
  assert_kinds (client, client_calls);

  server_py = calls_of (server, SB_TRACE_PYTHON);
  g_assert_true (has_line (server_py, "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"));
  bind_line = g_strdup_printf ("s.bind(('127.0.0.1', %u))  # port 0: the kernel chose %u", port, port);
  g_assert_true (has_line (server_py, bind_line));
  g_assert_true (has_line (server_py, "s.listen(1024)"));
  g_assert_true (has_line_containing (server_py, "conn1, addr = s.accept()  # ('127.0.0.1', "));
  g_assert_true (has_line (server_py, "data = conn1.recv(65536)  # b'hello' (5)"));
  g_assert_true (has_line (server_py, "conn1.send(b'hi')  # 2"));
  g_assert_true (has_line_containing (server_py, "data = conn1.recv(65536)  # b'' — "));
  g_assert_true (has_line (server_py, "conn1.close()"));
  g_assert_true (has_line (server_py, "s.close()"));

  client_py = calls_of (client, SB_TRACE_PYTHON);
  connect_line = g_strdup_printf ("s.connect(('127.0.0.1', %u))", port);
  g_assert_true (has_line (client_py, connect_line));
  g_assert_true (has_line (client_py, "s.send(b'hello')  # 5"));
  g_assert_true (has_line (client_py, "s.shutdown(socket.SHUT_WR)"));

  client_c = calls_of (client, SB_TRACE_C);
  g_assert_true (has_line (client_c, "int s = socket(AF_INET, SOCK_STREAM, 0);"));
  g_assert_true (has_line (client_c, "send(s, \"hello\", 5, 0);  // = 5"));
  g_assert_true (has_line (client_c, "shutdown(s, SHUT_WR);"));

  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}

static void
test_trace_refused (void)
{
  g_autoptr(GSocket) holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GPtrArray) py = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autofree char *uri = NULL;
  SbSession *client;
  SbTrace *trace;
  const int calls[] = { SB_CALL_SOCKET, SB_CALL_CONNECT, SB_CALL_CLOSE, -1 };

  g_assert_true (g_socket_bind (holder, any, FALSE, NULL));
  bound = g_socket_get_local_address (holder, NULL);
  uri = g_strdup_printf ("tcp://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  client = start (uri);
  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_FAILED);
  assert_kinds (client, calls);

  trace = sb_session_get_trace (client);
  {
    g_autoptr(SbTraceCall) connect = g_list_model_get_item (G_LIST_MODEL (trace), 1);

    g_assert_true (sb_trace_call_failed (connect));
    g_assert_cmpstr (sb_trace_call_get_errno_name (connect), ==, "ECONNREFUSED");
  }

  py = calls_of (client, SB_TRACE_PYTHON);
  g_assert_true (has_line_containing (py, "# ConnectionRefusedError (ECONNREFUSED): Connection refused by 127.0.0.1:"));
  c = calls_of (client, SB_TRACE_C);
  g_assert_true (has_line_containing (c, "// = -1 ECONNREFUSED: "));

  g_assert_finalize_object (client);
}

static void
test_trace_busy (void)
{
  SbSession *first = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tcp-listen://127.0.0.1:%u", local_port (first));
  SbSession *second = start (uri);
  g_autoptr(GPtrArray) py = NULL;
  const int calls[] = { SB_CALL_SOCKET, SB_CALL_SETSOCKOPT, SB_CALL_BIND, SB_CALL_CLOSE, -1 };

  WAIT_UNTIL (sb_session_get_state (second) == SB_SESSION_STATE_FAILED);
  assert_kinds (second, calls);
  py = calls_of (second, SB_TRACE_PYTHON);
  g_assert_true (has_line_containing (py, "(EADDRINUSE)"));

  g_assert_finalize_object (second);
  sb_session_stop (first);
  g_assert_finalize_object (first);
}

static void
test_trace_udp (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("udp", "127.0.0.1", server);
  g_autoptr(GPtrArray) server_py = NULL;
  g_autoptr(GPtrArray) client_py = NULL;
  g_autofree char *sendto_line = NULL;
  const int server_calls[] = {
    SB_CALL_SOCKET, SB_CALL_SETSOCKOPT, SB_CALL_BIND, SB_CALL_RECVFROM,
    SB_CALL_SENDTO, SB_CALL_SETSOCKOPT /* broadcast */, SB_CALL_CLOSE, -1
  };
  const int client_calls[] = {
    SB_CALL_SOCKET, SB_CALL_SETSOCKOPT, SB_CALL_BIND, SB_CALL_SENDTO,
    SB_CALL_RECVFROM, SB_CALL_CLOSE, -1
  };

  send_text (client, NULL, "hello");
  WAIT_UNTIL (received_equals (server, "hello"));
  send_text (server, sb_session_get_last_sender (server), "ok");
  WAIT_UNTIL (received_equals (client, "ok"));
  g_assert_true (sb_session_set_broadcast (server, TRUE, NULL));
  sb_session_stop (client);
  sb_session_stop (server);

  assert_kinds (server, server_calls);
  assert_kinds (client, client_calls);

  server_py = calls_of (server, SB_TRACE_PYTHON);
  g_assert_true (has_line (server_py, "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"));
  g_assert_true (has_line_containing (server_py, "data, addr = s.recvfrom(65536)  # b'hello', ('127.0.0.1', "));
  g_assert_true (has_line_containing (server_py, "s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)"));

  client_py = calls_of (client, SB_TRACE_PYTHON);
  sendto_line = g_strdup_printf ("s.sendto(b'hello', ('127.0.0.1', %u))  # 5", local_port (server));
  g_assert_true (has_line (client_py, sendto_line));

  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}

static void
test_trace_unix (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "trace.sock", NULL);
  g_autofree char *listen_uri = g_strdup_printf ("unix-listen://%s", path);
  g_autofree char *uri = g_strdup_printf ("unix://%s", path);
  g_autofree char *bind_line = g_strdup_printf ("s.bind('%s')", path);
  SbSession *server = start_ready (listen_uri);
  SbSession *client = start_ready (uri);
  g_autoptr(GPtrArray) server_py = NULL;
  const int client_calls[] = {
    SB_CALL_SOCKET, SB_CALL_CONNECT, SB_CALL_SEND, SB_CALL_CLOSE, -1
  };

  WAIT_UNTIL (n_peers (server) == 1);
  send_text (client, NULL, "x");
  WAIT_UNTIL (received_equals (server, "x"));
  sb_session_stop (client);
  sb_session_stop (server);

  assert_kinds (client, client_calls);
  server_py = calls_of (server, SB_TRACE_PYTHON);
  g_assert_true (has_line (server_py, "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)"));
  g_assert_true (has_line (server_py, bind_line));
  g_assert_true (has_line (server_py, "conn1, addr = s.accept()  # ''"));

  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}

static void
test_trace_find_serial (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  SbHistory *history = sb_session_get_history (client);
  SbTrace *trace = sb_session_get_trace (client);
  guint found = 0;

  for (guint i = 0; i < 5; i++)
    send_text (client, NULL, "m");
  sb_history_flush (history);
  sb_trace_flush (trace);

  /* Every sent record leads back to the send() that moved it, and back. */
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      guint64 serial = sb_history_get_serial (history, i);
      guint position;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_TX)
        {
          g_assert_false (sb_trace_find_serial (trace, serial, NULL));
          continue;
        }

      g_assert_true (sb_trace_find_serial (trace, serial, &position));
      {
        g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), position);

        g_assert_cmpint (sb_trace_call_get_kind (call), ==, SB_CALL_SEND);
        g_assert_cmpint (sb_trace_call_get_serial (call), ==, (gint64) serial);
      }
      found++;
    }
  g_assert_cmpuint (found, ==, 5);

  sb_session_stop (client);
  sb_session_stop (server);
  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}


static void
test_trace_bounded (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("udp", "127.0.0.1", server);
  SbHistory *history = sb_session_get_history (client);
  SbTrace *trace = sb_session_get_trace (client);

  /* The trace goes with the history: a capped history caps it too, the
   * calls made before the oldest kept record included. */
  sb_history_set_limits (history, 100, 1024 * 1024);
  for (guint i = 0; i < 20000; i++)
    send_text (client, NULL, "x");
  sb_history_flush (history);
  sb_trace_flush (trace);

  g_assert_cmpuint (sb_history_get_n_records (history), ==, 100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trace)), <=, 100 + 4096);

  {
    g_autoptr(SbTraceCall) first = g_list_model_get_item (G_LIST_MODEL (trace), 0);

    /* socket() and bind() went with the records before them. */
    g_assert_cmpint (sb_trace_call_get_kind (first), ==, SB_CALL_SENDTO);
  }

  stop_and_free (client);
  stop_and_free (server);
}


static char *
format_at (SbTrace       *trace,
           guint          position,
           SbTraceSyntax  syntax)
{
  g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), position);

  g_assert_nonnull (call);
  return sb_trace_call_format (call, syntax);
}

/* What a call keeps beyond its 24 bytes is packed (an address, a text, an
 * error, arguments beyond 16 bits) and comes back whole; small arguments
 * stay in the entry. */
static void
test_trace_packed (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  g_autoptr(SbTrace) trace = sb_trace_new (history);
  g_autoptr(GInetAddress) six = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) six_address = g_inet_socket_address_new (six, 54321);
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "packed.sock", NULL);
  g_autoptr(GSocketAddress) unix_address = g_unix_socket_address_new (path);
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                                   "Connection refused");
  g_autoptr(SbTraceCall) failed = NULL;
  g_autoptr(SbTraceCall) eof = NULL;
  g_autofree char *rcvbuf = NULL;
  g_autofree char *negative = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *connect = NULL;
  g_autofree char *listen = NULL;

  sb_trace_add (trace, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_SO_RCVBUF, 4 * 1024 * 1024, NULL, NULL);
  sb_trace_add (trace, SB_CALL_SETSOCKOPT, 0, NULL, SB_SOCKOPT_IP_MULTICAST_TTL, -70000, NULL, NULL);
  sb_trace_add (trace, SB_CALL_ACCEPT, 1, six_address, 0, 0, NULL, NULL);
  sb_trace_add (trace, SB_CALL_BIND, 0, unix_address, 0, 0, NULL, NULL);
  sb_trace_add (trace, SB_CALL_CONNECT, 0, six_address, 0, 0, NULL, refused);
  sb_trace_add (trace, SB_CALL_LISTEN, 0, NULL, 4096, 0, NULL, NULL);
  sb_trace_add (trace, SB_CALL_RECV, 1, NULL, 0, 0, NULL, NULL);
  sb_trace_flush (trace);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trace)), ==, 7);

  rcvbuf = format_at (trace, 0, SB_TRACE_C);
  g_assert_nonnull (strstr (rcvbuf, "SO_RCVBUF, &(int){4194304}"));
  negative = format_at (trace, 1, SB_TRACE_C);
  g_assert_nonnull (strstr (negative, "&(int){-70000}"));
  accept = format_at (trace, 2, SB_TRACE_PYTHON);
  g_assert_nonnull (strstr (accept, "conn1, addr = s.accept()  # ('::1', 54321"));
  bind = format_at (trace, 3, SB_TRACE_PYTHON);
  g_assert_nonnull (strstr (bind, path));
  connect = format_at (trace, 4, SB_TRACE_PYTHON);
  g_assert_nonnull (strstr (connect, "ECONNREFUSED"));
  g_assert_nonnull (strstr (connect, "Connection refused"));
  failed = g_list_model_get_item (G_LIST_MODEL (trace), 4);
  g_assert_true (sb_trace_call_failed (failed));
  g_assert_cmpstr (sb_trace_call_get_errno_name (failed), ==, "ECONNREFUSED");
  listen = format_at (trace, 5, SB_TRACE_C);
  g_assert_nonnull (strstr (listen, "listen(s, 4096);"));
  eof = g_list_model_get_item (G_LIST_MODEL (trace), 6);
  g_assert_false (sb_trace_call_failed (eof));
  g_assert_cmpint (sb_trace_call_get_serial (eof), ==, -1);
}

/* Packed calls go with the records around them, from the front once
 * announced and from among those not yet announced during a flood; the
 * ones kept still read their own details. */
static void
test_trace_packed_bounded (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  g_autoptr(SbTrace) trace = sb_trace_new (history);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint n, first = 0;

  sb_history_set_limits (history, 10, G_MAXSIZE);
  for (guint round = 0; round < 3; round++)
    {
      /* Not announced in between: more than 4,096 at a time. */
      for (guint i = 0; i < 10000; i++)
        {
          guint k = round * 10000 + i;
          g_autofree char *host = g_strdup_printf ("host-%u", k);
          g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) (k % 65535 + 1));

          sb_trace_add (trace, SB_CALL_GETADDRINFO, 0, address, 0, 0, host, NULL);
          sb_history_append_event (history, SB_EVENT_INFO, 0, host);
        }
      sb_trace_flush (trace);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (trace));
  g_assert_cmpuint (n, >=, 10);
  g_assert_cmpuint (n, <=, 10 + 3 * 4096);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *line = format_at (trace, i, SB_TRACE_PYTHON);
      guint k;

      g_assert_cmpint (sscanf (line, "socket.getaddrinfo('host-%u'", &k), ==, 1);
      if (i > 0)
        g_assert_cmpuint (k, >, first);
      first = k;
      g_assert_nonnull (strstr (line, "127.0.0.1"));
    }
  g_assert_cmpuint (first, ==, 29999);
}

static void
test_trace_reset (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(GSocket) raw = raw_connect (server);
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };
  g_autoptr(GPtrArray) py = NULL;
  SbTrace *trace = sb_session_get_trace (server);
  gboolean found = FALSE;

  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_cmpint (setsockopt (g_socket_get_fd (raw), SOL_SOCKET, SO_LINGER, &linger, sizeof linger), ==, 0);
  g_socket_close (raw, NULL);
  WAIT_UNTIL (n_peers (server) == 0);

  /* recv() failing after an RST is ECONNRESET, not EPIPE. */
  sb_trace_flush (trace);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (trace)); i++)
    {
      g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), i);

      if (sb_trace_call_get_kind (call) == SB_CALL_RECV && sb_trace_call_failed (call))
        {
          g_assert_cmpstr (sb_trace_call_get_errno_name (call), ==, "ECONNRESET");
          found = TRUE;
        }
    }
  g_assert_true (found);

  py = calls_of (server, SB_TRACE_PYTHON);
  g_assert_true (has_line_containing (py, "data = conn1.recv(65536)  # ConnectionResetError (ECONNRESET)"));

  stop_and_free (server);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/trace/tcp", test_trace_tcp);
  g_test_add_func ("/trace/tcp-refused", test_trace_refused);
  g_test_add_func ("/trace/tcp-busy-port", test_trace_busy);
  g_test_add_func ("/trace/udp", test_trace_udp);
  g_test_add_func ("/trace/unix", test_trace_unix);
  g_test_add_func ("/trace/find-serial", test_trace_find_serial);
  g_test_add_func ("/trace/bounded", test_trace_bounded);
  g_test_add_func ("/trace/reset", test_trace_reset);
  g_test_add_func ("/trace/packed", test_trace_packed);
  g_test_add_func ("/trace/packed-bounded", test_trace_packed_bounded);

  return sb_test_run ();
}
