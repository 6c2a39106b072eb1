/* test-client-bind.c — a stream client that chooses its local side, and one
 * that reconnects from a preset run headless, on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <string.h>

#include "sb-preset.h"
#include "sb-session.h"
#include "sb-session-setup.h"
#include "sb-stream-client.h"
#include "sb-test-util.h"
#include "sb-trace.h"

static gboolean
is_settled (SbSession *session)
{
  SbSessionState state = sb_session_get_state (session);

  return state == SB_SESSION_STATE_CONNECTED || state == SB_SESSION_STATE_FAILED;
}

/* A port that was free a moment ago: the kernel picks one for a throwaway
 * socket, which is closed again. Another program may take it meanwhile, so
 * the caller tries once more when it is busy. */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  guint16 port;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_assert_true (g_socket_close (socket, NULL));

  return port;
}

static GPtrArray *
trace_lines (SbSession *session)
{
  SbTrace *trace = sb_session_get_trace (session);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  sb_history_flush (sb_session_get_history (session));
  sb_trace_flush (trace);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (trace)); i++)
    {
      g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), i);
      char *line = sb_trace_call_format (call, SB_TRACE_PYTHON);

      g_test_message ("  %s", line);
      g_ptr_array_add (lines, line);
    }

  return lines;
}

/* A line, or a line with a "  # …" comment after it. */
static gboolean
has_line (GPtrArray  *lines,
          const char *line)
{
  g_autofree char *commented = g_strconcat (line, "  #", NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *have = g_ptr_array_index (lines, i);

      if (g_str_equal (have, line) || g_str_has_prefix (have, commented))
        return TRUE;
    }

  return FALSE;
}

static guint16
port_of (GSocketAddress *address)
{
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

/* tcp://…?bind=:PORT: the server sees the client come from that port, and
 * the trace shows bind() before connect(). */
static void
test_tcp_chosen_port (gconstpointer data)
{
  const char *bind_host = data;
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *bind_line = NULL;
  guint16 port = 0;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autofree char *uri = NULL;

      port = free_port ();
      uri = g_strdup_printf ("tcp://127.0.0.1:%u?bind=%s:%u", local_port (server), bind_host, port);
      client = start (uri);
      WAIT_UNTIL (is_settled (client));
      if (sb_session_get_state (client) == SB_SESSION_STATE_CONNECTED)
        break;

      /* Taken by someone else in between: once more with another port. */
      g_assert_error (sb_session_get_error (client), G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
      g_clear_pointer (&client, stop_and_free);
    }

  g_assert_nonnull (client);
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);
  g_assert_cmpuint (local_port (client), ==, port);
  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_cmpuint (port_of (sb_peer_get_address (peer_at (server, 0))), ==, port);

  send_text (client, NULL, "from my port");
  WAIT_UNTIL (received_equals (server, "from my port"));

  lines = trace_lines (client);
  g_assert_true (has_line (lines, "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"));
  g_assert_true (has_line (lines, "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)"));
  bind_line = g_strdup_printf ("s.bind(('%s', %u))", bind_host[0] ? bind_host : "0.0.0.0", port);
  g_assert_true (has_line (lines, bind_line));

  stop_and_free (client);
  WAIT_UNTIL (n_peers (server) == 0);
  stop_and_free (server);
}

/* A local port another socket holds: the client fails with the words a
 * busy server port gets, and its trace shows the failed bind(). */
static void
test_tcp_busy_port (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *holder = start_ready ("tcp-listen://127.0.0.1:0");
  guint16 busy = local_port (holder);
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u?bind=127.0.0.1:%u",
                                          local_port (server), busy);
  g_autofree char *words = g_strdup_printf ("Port %u is already in use", busy);
  g_autoptr(GPtrArray) lines = NULL;
  SbSession *client = start (uri);
  const GError *error;
  gboolean failed_bind = FALSE;

  WAIT_UNTIL (is_settled (client));
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_FAILED);
  error = sb_session_get_error (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpuint (count_events (client, SB_EVENT_ERROR), ==, 1);
  g_assert_cmpuint (n_peers (server), ==, 0);

  lines = trace_lines (client);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_str_has_prefix (line, "s.bind(") && strstr (line, "EADDRINUSE") != NULL)
        failed_bind = TRUE;
      g_assert_null (strstr (line, "connect("));
    }
  g_assert_true (failed_bind);

  g_assert_finalize_object (client);
  stop_and_free (holder);
  stop_and_free (server);
}

/* unix:///PATH?bind=/ME: the server's peer has that name, and the file goes
 * when the client stops. */
static void
test_unix_bound (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "server.sock", NULL);
  g_autofree char *me = g_build_filename (sb_test_tmpdir, "me.sock", NULL);
  g_autofree char *listen_uri = g_strdup_printf ("unix-listen://%s", path);
  g_autofree char *uri = g_strdup_printf ("unix://%s?bind=%s", path, me);
  SbSession *server = start_ready (listen_uri);
  SbSession *client = start (uri);
  GSocketAddress *address;

  WAIT_UNTIL (is_settled (client));
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTED);
  WAIT_UNTIL (n_peers (server) == 1);
  address = sb_peer_get_address (peer_at (server, 0));
  g_assert_true (G_IS_UNIX_SOCKET_ADDRESS (address));
  g_assert_cmpstr (g_unix_socket_address_get_path (G_UNIX_SOCKET_ADDRESS (address)), ==, me);
  g_assert_true (g_file_test (me, G_FILE_TEST_EXISTS));

  stop_and_free (client);
  g_assert_false (g_file_test (me, G_FILE_TEST_EXISTS));
  WAIT_UNTIL (n_peers (server) == 0);
  stop_and_free (server);
}

typedef struct
{
  GDataInputStream *lines;
  GString          *output;
  gboolean          ended;
} Output;

static void read_next_line (Output *output);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Output *output = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, NULL);

  if (line == NULL)
    {
      output->ended = TRUE;
      return;
    }
  g_test_message ("headless: %s", line);
  g_string_append_printf (output->output, "%s\n", line);
  read_next_line (output);
}

static void
read_next_line (Output *output)
{
  g_data_input_stream_read_line_async (output->lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, output);
}

/* A preset file of one TCP client page to @port, with @reconnect. */
static char *
write_preset (guint16   port,
              gboolean  reconnect)
{
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, NULL);
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (spec);
  g_autoptr(GPtrArray) setups = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GKeyFile) preset = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (sb_test_tmpdir, reconnect ? "reconnect.sbpreset" : "once.sbpreset", NULL);

  sb_session_setup_set_reconnect (setup, reconnect);
  g_ptr_array_add (setups, g_steal_pointer (&setup));
  preset = sb_preset_new_from_setups (setups);
  g_assert_true (g_key_file_save_to_file (preset, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/* `sockbench --headless --preset FILE` applies reconnect=true: refused, it
 * says it will try again and keeps running; without it, it ends failed. */
static void
test_headless_reconnect (void)
{
  const char *binary = g_getenv ("SOCKBENCH_BINARY");
  g_autoptr(GSocket) holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reconnect_path = NULL;
  g_autofree char *once_path = NULL;
  Output output = { NULL, };
  gboolean done = FALSE;
  guint16 port;

  if (binary == NULL)
    {
      g_test_skip ("needs the built sockbench (SOCKBENCH_BINARY)");
      return;
    }

  /* Bound but not listening: every connection to it is refused. */
  g_assert_true (g_socket_bind (holder, any, FALSE, NULL));
  bound = g_socket_get_local_address (holder, NULL);
  port = port_of (bound);
  reconnect_path = write_preset (port, TRUE);
  once_path = write_preset (port, FALSE);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              binary, "--headless", "--preset", reconnect_path, NULL);
  g_assert_no_error (error);
  output.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  output.output = g_string_new (NULL);
  read_next_line (&output);
  WAIT_UNTIL (strstr (output.output->str, "Reconnecting to") != NULL || output.ended);
  g_assert_nonnull (strstr (output.output->str, "Reconnecting to"));
  g_assert_false (output.ended);

  /* Still running: ended here, by its own handle. */
  g_subprocess_force_exit (process);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  WAIT_UNTIL (done && output.ended);
  g_clear_object (&output.lines);
  g_string_free (output.output, TRUE);
  g_clear_object (&process);

  done = FALSE;
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              binary, "--headless", "--preset", once_path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  WAIT_UNTIL (done);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  sb_test_init (&argc, &argv);

  g_test_add_data_func ("/client-bind/tcp/chosen-port/any", "", test_tcp_chosen_port);
  g_test_add_data_func ("/client-bind/tcp/chosen-port/loopback", "127.0.0.1", test_tcp_chosen_port);
  g_test_add_func ("/client-bind/tcp/busy-port", test_tcp_busy_port);
  g_test_add_func ("/client-bind/unix", test_unix_bound);
  g_test_add_func ("/client-bind/headless-reconnect", test_headless_reconnect);

  return sb_test_run ();
}
