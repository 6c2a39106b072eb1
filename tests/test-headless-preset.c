/* test-headless-preset.c — a preset saved in the window runs without it
 *
 * The window's page for a TCP server on 127.0.0.1 port 0 gets a greeting
 * and a GBK reply rule; the preset is saved through the window's own
 * action, run by `sockbench --headless --preset FILE`, and a python3 client
 * gets exactly the greeting and the GBK bytes. The same file opened in the
 * window shows the same rules. A self-signed TLS server saved the same way
 * shows the same certificate headless (twice) and in the window (started
 * twice): a python ssl client pinned to its fingerprint connects each time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <stdlib.h>

#include "sb-codec.h"
#include "sb-history.h"
#include "sb-preset.h"
#include "sb-tls-cert.h"
#include "sb-ui-test-util.h"

static SbApplication *app;
static char *presets_dir;

/* The client: greeted first, then "你好" in GBK is answered in GBK. It
 * prints what it got, as hex, one line per answer. */
static const char client_script[] =
  "import socket, sys\n"
  "def read(s, n):\n"
  "    data = b''\n"
  "    while len(data) < n:\n"
  "        chunk = s.recv(n - len(data))\n"
  "        if not chunk:\n"
  "            break\n"
  "        data += chunk\n"
  "    return data\n"
  "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)\n"
  "print(read(s, len(b'Welcome\\n')).hex())\n"
  "s.sendall('你好'.encode('gbk'))\n"
  "print(read(s, len('你好，世界\\n'.encode('gbk'))).hex())\n"
  "s.close()\n";

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

typedef struct
{
  GDataInputStream *lines;
  GString          *output;
  guint16           port;
  gboolean          ended;
  /* The first "SHA-256 AB:…" an event line shows (TLS servers). */
  char             *fingerprint;
} Headless;

static void read_next_line (Headless *headless);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Headless *headless = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                     result, NULL, &error);
  const char *at;

  if (line == NULL)
    {
      headless->ended = TRUE;
      return;
    }
  g_string_append_printf (headless->output, "%s\n", line);

  /* "TIME\tevent\t-\tLENGTH\tListening on 127.0.0.1:PORT" */
  if ((at = strstr (line, "Listening on 127.0.0.1:")) != NULL)
    headless->port = (guint16) atoi (at + strlen ("Listening on 127.0.0.1:"));
  if (headless->fingerprint == NULL && (at = strstr (line, "(SHA-256 ")) != NULL &&
      strlen (at) >= 9 + 95)
    headless->fingerprint = g_strndup (at + 9, 95);
  read_next_line (headless);
}

static void
read_next_line (Headless *headless)
{
  g_data_input_stream_read_line_async (headless->lines, G_PRIORITY_DEFAULT, NULL,
                                       line_read_cb, headless);
}

static gboolean
headless_listening (gpointer data)
{
  Headless *headless = data;

  return headless->port != 0 || headless->ended;
}

static gboolean
headless_ended (gpointer data)
{
  return ((Headless *) data)->ended;
}

static gboolean
pages_opened (gpointer window)
{
  return sb_window_get_n_pages (window) == 2;
}

static void
assert_same_rules (SbAutoReply *a,
                   SbAutoReply *b)
{
  g_assert_cmpuint (sb_auto_reply_get_n_rules (a), ==, sb_auto_reply_get_n_rules (b));
  for (guint i = 0; i < sb_auto_reply_get_n_rules (a); i++)
    {
      const SbAutoReplyRule *x = sb_auto_reply_get_rule (a, i);
      const SbAutoReplyRule *y = sb_auto_reply_get_rule (b, i);

      g_assert_cmpint (x->trigger, ==, y->trigger);
      g_assert_cmpstr (x->pattern, ==, y->pattern);
      g_assert_cmpstr (x->reply, ==, y->reply);
      g_assert_cmpstr (x->encoding, ==, y->encoding);
      g_assert_cmpint (x->reply_hex, ==, y->reply_hex);
      g_assert_cmpint (x->close_after, ==, y->close_after);
    }
}

static void
test_window_preset_runs_headless (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbAutoReplyRule) greeting = sb_auto_reply_rule_new (SB_TRIGGER_ON_CONNECT, NULL, "Welcome\\n", "UTF-8");
  g_autoptr(SbAutoReplyRule) gbk = sb_auto_reply_rule_new (SB_TRIGGER_CONTAINS, "你好", "你好，世界\\n", "GBK");
  g_autofree char *path = g_build_filename (presets_dir, "Headless bench" SB_PRESET_SUFFIX, NULL);
  g_autofree char *contents = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *port_arg = NULL;
  g_autofree char *client_out = NULL;
  g_autofree char *client_err = NULL;
  g_autoptr(GSubprocess) headless_process = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(GBytes) expected_reply = NULL;
  g_autofree char *expected_out = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("SOCKBENCH_BINARY");
  Headless headless = { 0, };
  SbWindow *window;
  SbSessionPage *page;

  if (binary == NULL || python == NULL)
    {
      g_test_skip ("needs the built sockbench (SOCKBENCH_BINARY) and python3");
      return;
    }

  /* The page, as a person makes it in the window. */
  window = present_and_keep (sb_ui_test_new_window (app));
  page = sb_window_open_spec (window, spec, NULL);
  g_assert_true (sb_session_page_add_auto_reply_rule (page, greeting, &error));
  g_assert_no_error (error);
  g_assert_true (sb_session_page_add_auto_reply_rule (page, gbk, &error));
  g_assert_no_error (error);

  /* Saved by what Presets → Save Current… and Export… run. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-preset-to", "s", path);
  g_assert_true (wait_for (file_exists, path));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  /* The kernel chooses the port: nothing here can be taken by someone else. */
  g_assert_nonnull (strstr (contents, "URI=tcp-listen://127.0.0.1:0\n"));

  /* The same preset without a window. */
  headless_process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                       binary, "--headless", "--preset", path, NULL);
  g_assert_no_error (error);
  headless.output = g_string_new (NULL);
  headless.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (headless_process));
  read_next_line (&headless);
  g_assert_true (wait_for (headless_listening, &headless));
  if (headless.port == 0)
    g_error ("sockbench --headless did not listen:\n%s", headless.output->str);

  port_arg = g_strdup_printf ("%u", headless.port);
  client = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             python, "-c", client_script, port_arg, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (client, NULL, NULL, &client_out, &client_err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (client))
    g_error ("the python client failed:\n%s", client_err);

  expected_reply = sb_codec_encode_escaped ("GBK", "你好，世界\\n", -1, NULL, &error);
  g_assert_no_error (error);
  {
    gsize len;
    const guint8 *data = g_bytes_get_data (expected_reply, &len);
    GString *hex = g_string_new ("57656c636f6d650a\n");   /* "Welcome\n" */

    for (gsize k = 0; k < len; k++)
      g_string_append_printf (hex, "%02x", data[k]);
    g_string_append_c (hex, '\n');
    expected_out = g_string_free (hex, FALSE);
  }
  g_assert_cmpstr (client_out, ==, expected_out);

  g_subprocess_send_signal (headless_process, SIGTERM);
  g_assert_true (wait_for (headless_ended, &headless));
  g_assert_true (g_subprocess_wait (headless_process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&headless.lines);
  g_string_free (headless.output, TRUE);

  /* The same preset in the window shows the same rules. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-preset-file", "s", path);
  g_assert_true (wait_for (pages_opened, window));
  assert_same_rules (sb_session_page_get_auto_reply (sb_window_get_page (window, 0)),
                     sb_session_page_get_auto_reply (sb_window_get_page (window, 1)));
  g_assert_cmpuint (sb_auto_reply_get_n_rules (sb_session_page_get_auto_reply (sb_window_get_page (window, 1))), ==, 2);

  while (sb_window_get_n_pages (window) > 0)
    sb_window_close_page (window, sb_window_get_page (window, 0));
  destroy_window (window);
  g_unlink (path);
}

/* A python ssl client pinned to a fingerprint (argv[2]): it connects with
 * no authority and refuses any other certificate (exit 1). */
static const char pinned_client_script[] =
  "import hashlib, socket, ssl, sys\n"
  "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
  "ctx.check_hostname = False\n"
  "ctx.verify_mode = ssl.CERT_NONE\n"
  "raw = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=10)\n"
  "with ctx.wrap_socket(raw, server_hostname='localhost') as s:\n"
  "    d = hashlib.sha256(s.getpeercert(binary_form=True)).hexdigest().upper()\n"
  "    got = ':'.join(d[i:i + 2] for i in range(0, len(d), 2))\n"
  "    if got != sys.argv[2]:\n"
  "        sys.exit('pinned %s, the server showed %s' % (sys.argv[2], got))\n"
  "    s.sendall(b'pinned\\n')\n"
  "    print(got)\n";

/* Connects the pinned client to @port; it must see @pinned. */
static void
connect_pinned (const char *python,
                guint16     port,
                const char *pinned)
{
  g_autoptr(GSubprocess) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  g_autofree char *client_out = NULL;
  g_autofree char *client_err = NULL;
  g_autofree char *expected = g_strdup_printf ("%s\n", pinned);

  client = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             python, "-c", pinned_client_script, port_arg, pinned, NULL);
  g_assert_no_error (error);
  /* Sessions run on the engine's thread: this one can wait. */
  g_assert_true (g_subprocess_communicate_utf8 (client, NULL, NULL, &client_out, &client_err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (client))
    g_error ("the pinned python client failed:\n%s", client_err);
  g_assert_cmpstr (client_out, ==, expected);
}

/* Runs `sockbench --headless --preset @path`, connects the pinned client
 * (pinned to @pinned, or to what the server shows when NULL) and returns
 * the fingerprint the server said it shows. */
static char *
run_pinned (const char *binary,
            const char *python,
            const char *path,
            const char *pinned)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Headless headless = { 0, };

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              binary, "--headless", "--preset", path, NULL);
  g_assert_no_error (error);
  headless.output = g_string_new (NULL);
  headless.lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  read_next_line (&headless);
  g_assert_true (wait_for (headless_listening, &headless));
  if (headless.port == 0 || headless.fingerprint == NULL)
    g_error ("sockbench --headless did not listen with its certificate:\n%s", headless.output->str);

  if (pinned != NULL)
    g_assert_cmpstr (headless.fingerprint, ==, pinned);
  connect_pinned (python, headless.port, pinned ? pinned : headless.fingerprint);

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (wait_for (headless_ended, &headless));
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&headless.lines);
  g_string_free (headless.output, TRUE);
  return headless.fingerprint;
}

/* The SHA-256 in @session's last event that shows one ("… (SHA-256 AB:…)"),
 * or NULL; @n counts those events. */
static char *
session_fingerprint (SbSession *session,
                     guint     *n)
{
  SbHistory *history = sb_session_get_history (session);
  char *last = NULL;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      gsize len = 0;
      const char *data;
      g_autofree char *text = NULL;
      const char *at;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT)
        continue;
      data = (const char *) sb_history_peek_data (history, i, &len);
      text = g_strndup (data, len);
      if ((at = strstr (text, "(SHA-256 ")) != NULL && strlen (at) >= 9 + 95)
        {
          g_free (last);
          last = g_strndup (at + 9, 95);
          (*n)++;
        }
    }
  return last;
}

static gboolean
session_listening (gpointer page)
{
  SbSession *session = sb_session_page_get_session (page);

  return session != NULL && sb_session_get_state (session) == SB_SESSION_STATE_LISTENING;
}

static gboolean
session_stopped (gpointer page)
{
  SbSession *session = sb_session_page_get_session (page);

  return session == NULL || !sb_session_is_running (session);
}

/* A self-signed TLS server saved in a preset shows the same certificate
 * each time it starts: headless twice, and in the window opened from the
 * preset, started twice. A python client pinned to the first fingerprint
 * connects every time. */
static void
test_self_signed_tls_preset (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tls-listen://127.0.0.1:0?self-signed=1", NULL);
  g_autofree char *path = g_build_filename (presets_dir, "Self-signed" SB_PRESET_SUFFIX, NULL);
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *kept_fingerprint = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const char *binary = g_getenv ("SOCKBENCH_BINARY");
  SbWindow *window;
  SbSessionPage *page;

  if (binary == NULL || python == NULL)
    {
      g_test_skip ("needs the built sockbench (SOCKBENCH_BINARY) and python3");
      return;
    }

  window = present_and_keep (sb_ui_test_new_window (app));
  sb_window_open_spec (window, spec, NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-preset-to", "s", path);
  g_assert_true (wait_for (file_exists, path));

  /* The preset keeps the certificate with its key. */
  g_assert_true (g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  kept = g_key_file_get_string (keyfile, "Page 1", "tls-self-signed", &error);
  g_assert_no_error (error);
  g_assert_true (sb_tls_cert_check_identity (kept, &kept_fingerprint, &error));
  g_assert_no_error (error);

  /* Headless, twice: the same certificate, the one the preset keeps. */
  first = run_pinned (binary, python, path, NULL);
  g_assert_cmpstr (first, ==, kept_fingerprint);
  second = run_pinned (binary, python, path, first);
  g_assert_cmpstr (second, ==, first);

  /* Opened in the window and started twice. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-preset-file", "s", path);
  g_assert_true (wait_for (pages_opened, window));
  page = sb_window_get_page (window, 1);
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *shown = NULL;
      GSocketAddress *address;
      guint n = 0;

      sb_session_page_start (page);
      g_assert_true (wait_for (session_listening, page));
      shown = session_fingerprint (sb_session_page_get_session (page), &n);
      g_assert_cmpstr (shown, ==, first);
      g_assert_cmpuint (n, ==, 1);   /* said once, at the first start */
      address = sb_session_get_local_address (sb_session_page_get_session (page));
      connect_pinned (python, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)), first);
      sb_session_page_stop (page);
      g_assert_true (wait_for (session_stopped, page));
    }

  while (sb_window_get_n_pages (window) > 0)
    sb_window_close_page (window, sb_window_get_page (window, 0));
  destroy_window (window);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  sb_ui_test_init (&argc, &argv, "none");

  presets_dir = g_dir_make_tmp ("sockbench-headless-preset-XXXXXX", &error);
  g_assert_no_error (error);
  app = sb_ui_test_new_app (presets_dir);

  g_test_add_func ("/headless-preset/window-preset-runs-headless", test_window_preset_runs_headless);
  g_test_add_func ("/headless-preset/self-signed-tls", test_self_signed_tls_preset);

  status = g_test_run ();

  g_rmdir (presets_dir);
  g_free (presets_dir);
  g_clear_object (&app);

  return status;
}
