/* test-python-export.c — exported Python scripts, run against real sessions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "sb-auto-reply.h"
#include "sb-python-export.h"
#include "sb-sessions.h"
#include "sb-template.h"
#include "sb-test-util.h"

static char *python;

static gboolean
need_python (void)
{
  if (python == NULL)
    g_test_skip ("python3 is not installed");
  return python != NULL;
}

/* Running a script */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *output_stream;
  GString          *output;
  gboolean          output_done;
  gboolean          exited;
} Script;

static void
read_next_line (Script *script);

static void
on_line (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Script *script = user_data;
  g_autofree char *text = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object),
                                                                 result, NULL, NULL);

  if (text == NULL)
    {
      script->output_done = TRUE;
      return;
    }
  g_string_append_printf (script->output, "%s\n", text);
  read_next_line (script);
}

static void
read_next_line (Script *script)
{
  g_data_input_stream_read_line_async (script->output_stream, G_PRIORITY_DEFAULT, NULL,
                                       on_line, script);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Script *script = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  script->exited = TRUE;
}

/* A script left behind by a failed test dies with the test program; Ctrl+C
 * (SIGINT) works even if the test runner ignores it. */
static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  signal (SIGINT, SIG_DFL);
}

/* Runs `python3 PATH ARGS…` in the temporary folder; stdout and stderr
 * are read line by line on the main loop. */
static Script *
script_start (const char *path,
              ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Script *script = g_new0 (Script, 1);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, python);
  g_ptr_array_add (argv, (char *) path);
  va_start (args, path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, sb_test_tmpdir);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  script->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  script->output = g_string_new (NULL);
  script->output_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (script->process));
  read_next_line (script);
  g_subprocess_wait_async (script->process, NULL, on_exited, script);

  return script;
}

static const char *
find_line (Script     *script,
           const char *prefix)
{
  const char *p = script->output->str;

  while (p != NULL && *p != '\0')
    {
      if (g_str_has_prefix (p, prefix))
        return p;
      p = strchr (p, '\n');
      if (p != NULL)
        p++;
    }
  return NULL;
}

/* Waits for the "listening on HOST PORT" line; returns PORT (0 for paths). */
static guint16
script_wait_listening (Script *script)
{
  const char *found;
  const char *space;

  WAIT_UNTIL (find_line (script, "listening on ") != NULL || (script->exited && script->output_done));
  found = find_line (script, "listening on ");
  if (found == NULL)
    g_error ("the script ended before listening:\n%s", script->output->str);

  space = strrchr (found, ' ');
  if (g_ascii_isdigit (space[1]))
    return (guint16) g_ascii_strtoull (space + 1, NULL, 10);
  return 0;
}

/* Waits for the script to end with status 0; returns its output. */
static char *
script_finish (Script *script)
{
  char *output;

  WAIT_UNTIL (script->exited && script->output_done);
  if (!g_subprocess_get_if_exited (script->process) || g_subprocess_get_exit_status (script->process) != 0)
    g_error ("the script failed:\n%s", script->output->str);

  output = g_string_free (script->output, FALSE);
  g_object_unref (script->output_stream);
  g_object_unref (script->process);
  g_free (script);
  return output;
}

/* Stops a server script with Ctrl+C, as a person would. */
static char *
script_interrupt (Script *script)
{
  g_subprocess_send_signal (script->process, SIGINT);
  return script_finish (script);
}

static guint
count_lines (const char *output,
             const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], prefix);
  return n;
}

/* Outside comments, a script is printable ASCII: data never shows raw. */
static void
assert_ascii_code (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *code = lines[i] + strspn (lines[i], " ");

      if (code[0] == '#')
        continue;
      for (const char *p = code; *p; p++)
        if ((guchar) *p < 0x20 || (guchar) *p > 0x7e)
          g_error ("line %u is not printable ASCII: %s", i + 1, lines[i]);
    }
}

static char *
export_to_file (SbSession    *session,
                SbPythonSide  side,
                const char   *encoding,
                SbAutoReply  *rules,
                const char   *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sb_python_export (session, side, encoding, rules, &error);
  g_autofree char *file = g_strconcat (name, ".py", NULL);
  char *path = g_build_filename (sb_test_tmpdir, file, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  g_assert_true (g_str_has_prefix (text, "#!/usr/bin/env python3\n"));
  assert_ascii_code (text);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* Conversations */

typedef enum
{
  BY_CLIENT,
  BY_SERVER,
} Who;

/* A message, or a half-close when data is NULL. */
typedef struct
{
  Who         who;
  const char *data;
  gsize       len;
} Move;

#define SAY(who, text) { who, text, sizeof (text) - 1 }
#define HALF_CLOSE(who) { who, NULL, 0 }

typedef enum
{
  NET_TCP,
  NET_UDP,
  NET_UNIX,
  NET_UNIXGRAM,
} Net;

typedef struct
{
  Net         net;
  const char *host;   /* TCP and UDP */
  const Move *moves;
  guint       n_moves;
} Case;

static gboolean
is_stream (Net net)
{
  return net == NET_TCP || net == NET_UNIX;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (sb_test_tmpdir, name, NULL);
}

static char *
host_port (const char *host,
           guint16     port)
{
  return strchr (host, ':') ? g_strdup_printf ("[%s]:%u", host, port)
                            : g_strdup_printf ("%s:%u", host, port);
}

/* A Sockbench server of @c's kind, ready; UNIX ones at @name in the temp dir. */
static SbSession *
start_server (const Case *c,
              const char *name)
{
  g_autofree char *path = tmp_path (name);
  g_autofree char *at = host_port (c->host ? c->host : "", 0);
  g_autofree char *uri = NULL;
  SbSession *server;

  switch (c->net)
    {
    case NET_TCP:      uri = g_strdup_printf ("tcp-listen://%s", at); break;
    case NET_UDP:      uri = g_strdup_printf ("udp-listen://%s", at); break;
    case NET_UNIX:     uri = g_strdup_printf ("unix-listen://%s", path); break;
    case NET_UNIXGRAM: uri = g_strdup_printf ("unixgram://?bind=%s", path); break;
    default:           g_assert_not_reached ();
    }

  server = start (uri);
  /* Half-closed streams stay open so the server can still answer. */
  sb_session_set_close_on_eof (server, FALSE);
  WAIT_UNTIL (is_ready (server));
  return server;
}

/* A Sockbench client of @c's kind connected to @port / @server_name. */
static SbSession *
start_client (const Case *c,
              guint16     port,
              const char *server_name,
              const char *client_name)
{
  g_autofree char *server_path = tmp_path (server_name);
  g_autofree char *client_path = tmp_path (client_name);
  g_autofree char *at = host_port (c->host ? c->host : "", port);
  g_autofree char *uri = NULL;

  switch (c->net)
    {
    case NET_TCP:      uri = g_strdup_printf ("tcp://%s", at); break;
    case NET_UDP:      uri = g_strdup_printf ("udp://%s", at); break;
    case NET_UNIX:     uri = g_strdup_printf ("unix://%s", server_path); break;
    case NET_UNIXGRAM: uri = g_strdup_printf ("unixgram://%s?bind=%s", server_path, client_path); break;
    default:           g_assert_not_reached ();
    }

  return start_ready (uri);
}

/* Whom @session answers: a stream server's first client, a bound datagram
 * socket's last sender, NULL (the only peer / the target) for clients. */
static SbPeer *
peer_for (SbSession *session)
{
  SbKind kind = sb_session_get_kind (session);

  if (sb_kind_is_server (kind))
    {
      WAIT_UNTIL (n_peers (session) >= 1);
      return peer_at (session, 0);
    }
  if (kind == SB_KIND_UDP && sb_session_get_spec (session)->host == NULL)
    {
      WAIT_UNTIL (sb_session_get_last_sender (session) != NULL);
      return sb_session_get_last_sender (session);
    }
  if (kind == SB_KIND_UNIX_DGRAM && sb_session_get_spec (session)->path == NULL)
    {
      WAIT_UNTIL (sb_session_get_last_sender (session) != NULL);
      return sb_session_get_last_sender (session);
    }
  return NULL;
}

/* Plays @c's moves between @client and @server; NULL for the side a script
 * plays. Each move waits until the other side has it. */
static void
play (const Case *c,
      SbSession  *client,
      SbSession  *server)
{
  gsize expect[2] = { 0, 0 };

  for (guint i = 0; i < c->n_moves; i++)
    {
      const Move *move = &c->moves[i];
      SbSession *from = move->who == BY_CLIENT ? client : server;
      SbSession *to = move->who == BY_CLIENT ? server : client;
      guint to_index = move->who == BY_CLIENT ? 1 : 0;

      if (move->data == NULL)
        {
          if (from != NULL)
            g_assert_true (sb_session_shutdown_write (from, peer_for (from), NULL));
          if (to != NULL)
            WAIT_UNTIL (count_events (to, SB_EVENT_PEER_CLOSED) >= 1);
          continue;
        }

      if (from != NULL)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (move->data, move->len);
          g_autoptr(GError) error = NULL;

          g_assert_true (sb_session_send (from, peer_for (from), bytes, &error));
          g_assert_no_error (error);
        }
      if (to != NULL)
        {
          expect[to_index] += move->len;
          WAIT_UNTIL (collected_len (to, SB_DIRECTION_RX) >= expect[to_index]);
        }
    }
}

/* What @session received is exactly what the other side said, in order
 * (and, for datagrams, one record per message). */
static void
assert_received (const Case *c,
                 SbSession  *session,
                 Who         other)
{
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GByteArray) rx = collect (session, SB_DIRECTION_RX);
  SbHistory *history = sb_session_get_history (session);
  guint expected_records = 0;
  guint records = 0;

  for (guint i = 0; i < c->n_moves; i++)
    if (c->moves[i].who == other && c->moves[i].data != NULL)
      {
        g_byte_array_append (expected, (const guint8 *) c->moves[i].data, c->moves[i].len);
        expected_records++;
      }

  g_assert_cmpmem (rx->data, rx->len, expected->data, expected->len);

  if (!is_stream (c->net))
    {
      for (guint i = 0; i < sb_history_get_n_records (history); i++)
        records += sb_history_get_direction (history, i) == SB_DIRECTION_RX;
      g_assert_cmpuint (records, ==, expected_records);
    }
}

static guint
count_moves (const Case *c,
             Who         who)
{
  guint n = 0;

  for (guint i = 0; i < c->n_moves; i++)
    n += c->moves[i].who == who && c->moves[i].data != NULL;
  return n;
}

/* Streams: wait until the connection is over on the Sockbench side. */
static void
wait_closed (const Case *c,
             SbSession  *session)
{
  if (!is_stream (c->net))
    return;
  if (sb_kind_is_server (sb_session_get_kind (session)))
    WAIT_UNTIL (n_peers (session) == 0);
  else
    WAIT_UNTIL (sb_session_get_state (session) == SB_SESSION_STATE_CLOSED);
}

static void
remove_tmp (const char *name)
{
  g_autofree char *path = tmp_path (name);

  g_unlink (path);
}

/* Runs the script at @path as @who against a fresh Sockbench session of
 * the opposite kind, and checks both directions byte for byte. */
static void
run_script (const Case *c,
            const char *path,
            Who         who)
{
  g_autofree char *py_path = tmp_path ("py.sock");
  g_autofree char *fresh_path = tmp_path ("fresh.sock");
  g_autofree char *output = NULL;
  Script *script;

  if (who == BY_SERVER)
    {
      SbSession *client;
      guint16 port;

      if (c->net == NET_UNIX || c->net == NET_UNIXGRAM)
        script = script_start (path, py_path, NULL);
      else
        script = script_start (path, c->host, "0", NULL);
      port = script_wait_listening (script);

      client = start_client (c, port, "py.sock", "fresh-client.sock");
      play (c, client, NULL);
      output = script_finish (script);
      wait_closed (c, client);
      assert_received (c, client, BY_SERVER);
      stop_and_free (client);
    }
  else
    {
      SbSession *server = start_server (c, "fresh.sock");

      if (c->net == NET_UNIX || c->net == NET_UNIXGRAM)
        script = script_start (path, fresh_path, NULL);
      else
        {
          g_autofree char *port = g_strdup_printf ("%u", local_port (server));

          script = script_start (path, c->host, port, NULL);
        }

      play (c, NULL, server);
      output = script_finish (script);
      wait_closed (c, server);
      assert_received (c, server, BY_CLIENT);
      stop_and_free (server);
    }

  /* The script showed each message it received. */
  g_assert_cmpuint (count_lines (output, "received "), ==, count_moves (c, who == BY_SERVER ? BY_CLIENT : BY_SERVER));

  remove_tmp ("py.sock");
  remove_tmp ("fresh-client.sock");
  remove_tmp ("orig-client.sock");
}

static void
test_roundtrip (gconstpointer data)
{
  const Case *c = data;
  SbSession *server, *client;
  struct {
    SbPythonSide side;
    gboolean     of_server;
    const char  *name;
  } exports[] = {
    { SB_PYTHON_THIS_SIDE,  TRUE,  "server-this" },
    { SB_PYTHON_OTHER_SIDE, TRUE,  "server-other" },
    { SB_PYTHON_THIS_SIDE,  FALSE, "client-this" },
    { SB_PYTHON_OTHER_SIDE, FALSE, "client-other" },
  };
  char *paths[G_N_ELEMENTS (exports)];

  if (!need_python ())
    return;
  if (c->host != NULL && strchr (c->host, ':') && !have_ipv6 ())
    {
      g_test_skip ("IPv6 loopback is not available");
      return;
    }

  /* The sessions to export: a Sockbench pair on loopback. */
  server = start_server (c, "orig.sock");
  client = start_client (c, c->host ? local_port (server) : 0, "orig.sock", "orig-client.sock");
  play (c, client, server);
  wait_closed (c, server);
  wait_closed (c, client);

  for (guint i = 0; i < G_N_ELEMENTS (exports); i++)
    paths[i] = export_to_file (exports[i].of_server ? server : client, exports[i].side,
                               "UTF-8", NULL, exports[i].name);
  /* Five exchanges or more in a row are a loop over their data. */
  if (c->n_moves >= 10)
    for (guint i = 0; i < G_N_ELEMENTS (exports); i++)
      {
        g_autofree char *text = NULL;

        g_assert_true (g_file_get_contents (paths[i], &text, NULL, NULL));
        g_assert_nonnull (strstr (text, " in EXCHANGES_1:\n"));
        g_assert_null (strstr (text, "EXCHANGES_2"));
      }
  stop_and_free (client);
  stop_and_free (server);

  /* Each script plays its part against Sockbench: this side of the server
   * and the other side of the client are servers. */
  for (guint i = 0; i < G_N_ELEMENTS (exports); i++)
    {
      gboolean script_is_server = exports[i].of_server == (exports[i].side == SB_PYTHON_THIS_SIDE);

      g_test_message ("running %s", exports[i].name);
      run_script (c, paths[i], script_is_server ? BY_SERVER : BY_CLIENT);
      g_unlink (paths[i]);
      g_free (paths[i]);
    }
}

static const Move stream_moves[] = {
  SAY (BY_CLIENT, "hello\n"),
  SAY (BY_SERVER, "你好\r\n"),
  SAY (BY_CLIENT, "GET /\r\n"),
  HALF_CLOSE (BY_CLIENT),
  SAY (BY_SERVER, "the response, after the client's half-close"),
  HALF_CLOSE (BY_SERVER),
};

static const Move datagram_moves[] = {
  SAY (BY_CLIENT, "ping"),
  SAY (BY_SERVER, "服务端收到信息啦！"),
  SAY (BY_CLIENT, "\x00\x01\xff binary"),
  SAY (BY_SERVER, "ok"),
};

/* Repeated exchanges: the script loops over their data. */
static const Move many_moves[] = {
  SAY (BY_CLIENT, "q1"), SAY (BY_SERVER, "a1"),
  SAY (BY_CLIENT, "q2"), SAY (BY_SERVER, "a2"),
  SAY (BY_CLIENT, "q3"), SAY (BY_SERVER, "a3"),
  SAY (BY_CLIENT, "q4"), SAY (BY_SERVER, "a4"),
  SAY (BY_CLIENT, "q5"), SAY (BY_SERVER, "a5"),
  SAY (BY_CLIENT, "q6"), SAY (BY_SERVER, "a6"),
};

static const Move many_stream_moves[] = {
  SAY (BY_CLIENT, "q1"), SAY (BY_SERVER, "a1"),
  SAY (BY_CLIENT, "q2"), SAY (BY_SERVER, "a2"),
  SAY (BY_CLIENT, "q3"), SAY (BY_SERVER, "a3"),
  SAY (BY_CLIENT, "q4"), SAY (BY_SERVER, "a4"),
  SAY (BY_CLIENT, "q5"), SAY (BY_SERVER, "a5"),
  HALF_CLOSE (BY_CLIENT),
  HALF_CLOSE (BY_SERVER),
};

static const Case tcp4_many_case = { NET_TCP, "127.0.0.1", many_stream_moves, G_N_ELEMENTS (many_stream_moves) };
static const Case udp4_many_case = { NET_UDP, "127.0.0.1", many_moves, G_N_ELEMENTS (many_moves) };
static const Case tcp4_case = { NET_TCP, "127.0.0.1", stream_moves, G_N_ELEMENTS (stream_moves) };
static const Case tcp6_case = { NET_TCP, "::1", stream_moves, G_N_ELEMENTS (stream_moves) };
static const Case udp4_case = { NET_UDP, "127.0.0.1", datagram_moves, G_N_ELEMENTS (datagram_moves) };
static const Case udp6_case = { NET_UDP, "::1", datagram_moves, G_N_ELEMENTS (datagram_moves) };
static const Case unix_case = { NET_UNIX, NULL, stream_moves, G_N_ELEMENTS (stream_moves) };
static const Case unixgram_case = { NET_UNIXGRAM, NULL, datagram_moves, G_N_ELEMENTS (datagram_moves) };

/* Hostile payloads */

static const Move hostile_moves[] = {
  SAY (BY_CLIENT, "'); import os; os.system('x') #"),
  SAY (BY_SERVER, "\"); open('INJECTED', 'w') #"),
  SAY (BY_CLIENT, "'''); open('INJECTED', 'w'); ('''"),
  SAY (BY_SERVER, "\"\"\"); open('INJECTED', 'w'); (\"\"\""),
  SAY (BY_CLIENT, "quotes ' \" and backslashes \\ \\\\ \\' \\\" end\\"),
  SAY (BY_SERVER, "line\nbreaks\r\nand\rreturns\n# not a comment\n\n"),
  SAY (BY_CLIENT, "\0NUL\0in the middle\0"),
  SAY (BY_SERVER, "invalid UTF-8: \xff\xfe\xc3\x28 \xed\xa0\x80 \xf4\x90\x80\x80 \xc0\xaf"),
  SAY (BY_CLIENT, "python escapes as text: \\x41 \\u0041 \\N{BULLET} \\0 {0} %s %d"),
  SAY (BY_SERVER, "\x1b[2J\x1b]0;title\x07 terminal controls \x7f\x9b"),
  HALF_CLOSE (BY_CLIENT),
};

static const Case hostile_case = { NET_TCP, "127.0.0.1", hostile_moves, G_N_ELEMENTS (hostile_moves) };

static void
test_hostile_payloads (void)
{
  const Case *c = &hostile_case;
  g_autofree char *marker = tmp_path ("INJECTED");
  g_autofree char *this_path = NULL;
  g_autofree char *other_path = NULL;
  SbSession *server, *client;

  if (!need_python ())
    return;

  server = start_server (c, "orig.sock");
  sb_session_set_close_on_eof (server, TRUE);
  client = start_client (c, local_port (server), "orig.sock", "orig-client.sock");
  play (c, client, server);
  wait_closed (c, server);
  wait_closed (c, client);

  /* Both ways of showing text: decoded, and hex. */
  this_path = export_to_file (server, SB_PYTHON_THIS_SIDE, "UTF-8", NULL, "hostile-this");
  other_path = export_to_file (server, SB_PYTHON_OTHER_SIDE, "hex", NULL, "hostile-other");
  stop_and_free (client);
  stop_and_free (server);

  run_script (c, this_path, BY_SERVER);

  /* The other side of the server against a server that closes on EOF. */
  {
    SbSession *fresh = start_server (c, "fresh.sock");
    g_autofree char *port = g_strdup_printf ("%u", local_port (fresh));
    Script *script;
    g_autofree char *output = NULL;

    sb_session_set_close_on_eof (fresh, TRUE);
    script = script_start (other_path, "127.0.0.1", port, NULL);
    play (c, NULL, fresh);
    output = script_finish (script);
    wait_closed (c, fresh);
    assert_received (c, fresh, BY_CLIENT);
    g_assert_nonnull (strstr (output, "received 27 bytes: 22 29 3b 20 6f 70 65 6e 28 27 49"));
    stop_and_free (fresh);
  }

  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_unlink (this_path);
  g_unlink (other_path);
}

/* A UNIX path with quotes, a backslash, a newline and a byte that is not
 * UTF-8, used as the script's default (no argument given). */
static void
test_odd_unix_path (void)
{
  static const Move moves[] = {
    SAY (BY_CLIENT, "over an odd path"),
    SAY (BY_SERVER, "ok"),
    HALF_CLOSE (BY_CLIENT),
  };
  const Case c = { NET_UNIX, NULL, moves, G_N_ELEMENTS (moves) };
  g_autofree char *odd = tmp_path ("q'\"\\\n\xff.sock");
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_new (SB_KIND_UNIX_SERVER);
  g_autoptr(SbSessionSpec) client_spec = sb_session_spec_new (SB_KIND_UNIX_CLIENT);
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  SbSession *server, *client;
  Script *script;

  if (!need_python ())
    return;

  server_spec->path = g_strdup (odd);
  client_spec->path = g_strdup (odd);

  server = sb_session_new (server_spec);
  sb_session_start (server);
  WAIT_UNTIL (is_ready (server));
  client = sb_session_new (client_spec);
  sb_session_start (client);
  WAIT_UNTIL (is_ready (client));
  play (&c, client, server);
  wait_closed (&c, server);
  path = export_to_file (server, SB_PYTHON_THIS_SIDE, "UTF-8", NULL, "odd-path");
  stop_and_free (client);
  stop_and_free (server);
  g_assert_false (g_file_test (odd, G_FILE_TEST_EXISTS));

  script = script_start (path, NULL);
  script_wait_listening (script);
  g_assert_true (g_file_test (odd, G_FILE_TEST_EXISTS));

  client = sb_session_new (client_spec);
  sb_session_start (client);
  WAIT_UNTIL (is_ready (client));
  play (&c, client, NULL);
  output = script_finish (script);
  wait_closed (&c, client);
  assert_received (&c, client, BY_SERVER);
  stop_and_free (client);

  g_unlink (odd);
  g_unlink (path);
}

/* Auto-reply rules */

static void
add_rule (SbAutoReply *rules,
          SbTrigger    trigger,
          const char  *pattern,
          const char  *reply,
          const char  *encoding,
          gboolean     reply_hex,
          gboolean     close_after)
{
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (trigger, pattern, reply, encoding);
  g_autoptr(GError) error = NULL;

  rule->reply_hex = reply_hex;
  rule->close_after = close_after;
  g_assert_true (sb_auto_reply_add_rule (rules, rule, &error));
  g_assert_no_error (error);
}

/* Sends what the actions say, as the session page does: stop at a close. */
static gboolean
expect_actions (GPtrArray  *expected,
                GPtrArray  *actions)
{
  for (guint i = 0; i < actions->len; i++)
    {
      SbAutoReplyAction *action = g_ptr_array_index (actions, i);

      g_ptr_array_add (expected, g_bytes_ref (action->bytes));
      if (action->close_after)
        return TRUE;
    }
  return FALSE;
}

static void
test_auto_reply_udp (void)
{
  static const char *messages[] = { "hello1", "\x01\x02", "x'); quit", "again" };
  g_autoptr(SbAutoReply) rules = sb_auto_reply_new ();
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  SbSession *original, *client;
  SbHistory *history;
  gboolean known = FALSE;
  guint16 port;
  Script *script;
  guint n = 0;

  if (!need_python ())
    return;

  add_rule (rules, SB_TRIGGER_ON_CONNECT, NULL, "welcome\\n", "UTF-8", FALSE, FALSE);
  add_rule (rules, SB_TRIGGER_CONTAINS, "'); quit", "bye", "UTF-8", FALSE, TRUE);
  add_rule (rules, SB_TRIGGER_HEX_EQUALS, "01 02", "03 04", "UTF-8", TRUE, FALSE);
  add_rule (rules, SB_TRIGGER_REGEX, "^h.llo\\d", "matched\\r\\n", "UTF-8", FALSE, FALSE);
  add_rule (rules, SB_TRIGGER_ANY, NULL, "服务端收到信息啦！", "GBK", FALSE, FALSE);

  original = session_for ("udp-listen://127.0.0.1:0");
  path = export_to_file (original, SB_PYTHON_THIS_SIDE, "GBK", rules, "udp-rules");
  g_assert_finalize_object (original);

  script = script_start (path, "127.0.0.1", "0", NULL);
  port = script_wait_listening (script);
  g_assert_cmpuint (port, >, 0);
  {
    g_autofree char *uri = g_strdup_printf ("udp://127.0.0.1:%u", port);

    client = start_ready (uri);
  }
  history = sb_session_get_history (client);

  /* Sockbench's own rule engine says what the script must answer. */
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GPtrArray) on_connect = sb_auto_reply_on_connect (rules);
      g_autoptr(GPtrArray) on_message = sb_auto_reply_on_message (rules, (const guint8 *) messages[i],
                                                                  strlen (messages[i]));
      gboolean closed = FALSE;

      if (!known)
        closed = expect_actions (expected, on_connect);
      known = TRUE;
      closed = expect_actions (expected, on_message) || closed;
      if (closed)
        known = FALSE;

      send_text (client, NULL, messages[i]);
      WAIT_UNTIL (({ guint rx = 0;
                     sb_history_flush (history);
                     for (guint j = 0; j < sb_history_get_n_records (history); j++)
                       rx += sb_history_get_direction (history, j) == SB_DIRECTION_RX;
                     rx >= expected->len; }));
    }

  /* The same datagrams, in the same order. */
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      GBytes *want;
      gsize len;
      const guint8 *data;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_RX)
        continue;
      g_assert_cmpuint (n, <, expected->len);
      want = g_ptr_array_index (expected, n++);
      data = sb_history_peek_data (history, i, &len);
      g_assert_cmpmem (data, len, g_bytes_get_data (want, NULL), g_bytes_get_size (want));
    }
  g_assert_cmpuint (n, ==, expected->len);

  /* The rules at work: greeted twice (after the close), GBK every time. */
  {
    g_autoptr(GByteArray) rx = collect (client, SB_DIRECTION_RX);
    g_autoptr(GBytes) gbk = sb_codec_encode ("GBK", "服务端收到信息啦！", -1, NULL, NULL);
    guint greetings = 0, replies = 0;

    for (guint i = 0; i < expected->len; i++)
      {
        GBytes *bytes = g_ptr_array_index (expected, i);

        greetings += g_bytes_get_size (bytes) == 8 && memcmp (g_bytes_get_data (bytes, NULL), "welcome\n", 8) == 0;
        replies += g_bytes_equal (bytes, gbk);
      }
    g_assert_cmpuint (greetings, ==, 2);
    g_assert_cmpuint (replies, ==, 3);
    g_assert_cmpuint (rx->len, >, 0);
  }

  output = script_interrupt (script);
  g_assert_cmpuint (count_lines (output, "received "), ==, G_N_ELEMENTS (messages));
  stop_and_free (client);
  g_unlink (path);
}

static void
test_auto_reply_tcp (void)
{
  g_autoptr(SbAutoReply) rules = sb_auto_reply_new ();
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  SbSession *original, *client;
  guint16 port;
  Script *script;

  if (!need_python ())
    return;

  add_rule (rules, SB_TRIGGER_ON_CONNECT, NULL, "hi\\n", "UTF-8", FALSE, FALSE);
  add_rule (rules, SB_TRIGGER_ECHO, NULL, NULL, "UTF-8", FALSE, FALSE);
  add_rule (rules, SB_TRIGGER_CONTAINS, "quit", "bye\\n", "UTF-8", FALSE, TRUE);

  original = session_for ("tcp-listen://127.0.0.1:0");
  path = export_to_file (original, SB_PYTHON_THIS_SIDE, "UTF-8", rules, "tcp-rules");
  g_assert_finalize_object (original);

  script = script_start (path, "127.0.0.1", "0", NULL);
  port = script_wait_listening (script);

  /* One client after another. */
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);

      client = start_ready (uri);
      WAIT_UNTIL (received_equals (client, "hi\n"));
      send_text (client, NULL, "abc");
      WAIT_UNTIL (received_equals (client, "hi\nabc"));
      send_text (client, NULL, "quit");
      WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_CLOSED);
      g_assert_true (received_equals (client, "hi\nabcquitbye\n"));
      g_assert_cmpuint (count_events (client, SB_EVENT_PEER_CLOSED), ==, 1);
      stop_and_free (client);
    }

  output = script_interrupt (script);
  g_assert_cmpuint (count_lines (output, "connected by "), ==, 2);
  g_unlink (path);
}

/* Template replies: one that gives the same bytes every time (a Modbus
 * request with its CRC) is run by the script as those bytes; what the
 * script cannot compute (a file of this machine, a regular expression
 * Python's re reads otherwise) is refused, naming the rule. */
static void
test_auto_reply_templates (void)
{
  static const guint8 request[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };
  g_autoptr(SbAutoReply) rules = sb_auto_reply_new ();
  g_autoptr(SbAutoReply) changing = sb_auto_reply_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GByteArray) rx = NULL;
  SbSession *original, *client;
  guint16 port;
  Script *script;

  g_assert_true (sb_auto_reply_set_templates (rules, TRUE, NULL));
  g_assert_true (sb_auto_reply_set_templates (changing, TRUE, NULL));
  add_rule (changing, SB_TRIGGER_ANY, NULL, "${seq} ${crc-16/modbus}", "UTF-8", TRUE, FALSE);
  add_rule (changing, SB_TRIGGER_ANY, NULL, "${file:/x} ${crc-16/modbus}", "UTF-8", TRUE, FALSE);
  original = session_for ("tcp-listen://127.0.0.1:0");
  refused = sb_python_export (original, SB_PYTHON_THIS_SIDE, "UTF-8", changing, &error);
  g_assert_null (refused);
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Rule 2"));
  g_assert_nonnull (strstr (error->message, "${file:/x}"));
  g_clear_error (&error);

  sb_auto_reply_clear (changing);
  add_rule (changing, SB_TRIGGER_REGEX, "(?|a(b)|c(d))", "${rx.1}", "UTF-8", FALSE, FALSE);
  refused = sb_python_export (original, SB_PYTHON_THIS_SIDE, "UTF-8", changing, &error);
  g_assert_null (refused);
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Rule 1"));
  g_clear_error (&error);

  if (!need_python ())
    {
      g_assert_finalize_object (original);
      return;
    }

  add_rule (rules, SB_TRIGGER_ON_CONNECT, NULL, "01 03 00 00 00 0a ${crc-16/modbus}", "UTF-8", TRUE, FALSE);
  path = export_to_file (original, SB_PYTHON_THIS_SIDE, "UTF-8", rules, "tcp-template-rules");
  g_assert_finalize_object (original);

  script = script_start (path, "127.0.0.1", "0", NULL);
  port = script_wait_listening (script);
  uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  client = start_ready (uri);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == sizeof request);
  rx = collect (client, SB_DIRECTION_RX);
  g_assert_cmpmem (rx->data, rx->len, request, sizeof request);
  stop_and_free (client);
  output = script_interrupt (script);
  g_unlink (path);
}

/* Template replies that change per message: the script computes them as
 * the engine does. A counter with a CRC-16/MODBUS over it, and a capture
 * of the regular expression with a length and a CRC-32 as hex text, for
 * three messages each: the bytes the script sends are those
 * sb_template_expand() gives with one state (as the responder keeps) and
 * the same received frame and captures. */
static void
test_auto_reply_computed (void)
{
  static const char *const ids[] = { "a1", "b22", "c333" };
  g_autoptr(SbAutoReply) rules = sb_auto_reply_new ();
  g_autoptr(SbTemplate) counter = NULL;
  g_autoptr(SbTemplate) capture = NULL;
  g_autoptr(SbTemplateState) state = sb_template_state_new ();
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GByteArray) rx = NULL;
  g_autofree char *path = NULL;
  g_autofree char *output = NULL;
  g_autofree char *uri = NULL;
  const char *counter_text = "${seq:start=65534:step=3:u16le} 01 ${len:u8} ${begin} 02 03 ${end} ${crc-16/modbus}";
  const char *capture_text = "id ${rx.1} #${seq:id=b:start=9:hex4} [${len:n}] ${begin:n}${rx}${end:n} ${crc-32:hex}\\n";
  SbSession *original, *client;
  guint16 port;
  Script *script;

  if (!need_python ())
    return;

  g_assert_true (sb_auto_reply_set_templates (rules, TRUE, NULL));
  add_rule (rules, SB_TRIGGER_CONTAINS, "ping", counter_text, "UTF-8", TRUE, FALSE);
  add_rule (rules, SB_TRIGGER_REGEX, "id=(\\w+)", capture_text, "UTF-8", FALSE, FALSE);
  counter = sb_template_parse (counter_text, SB_TEMPLATE_HEX, NULL, NULL, NULL);
  capture = sb_template_parse (capture_text, SB_TEMPLATE_TEXT, "UTF-8", NULL, NULL);
  g_assert_nonnull (counter);
  g_assert_nonnull (capture);

  original = session_for ("tcp-listen://127.0.0.1:0");
  path = export_to_file (original, SB_PYTHON_THIS_SIDE, "UTF-8", rules, "tcp-computed-rules");
  g_assert_finalize_object (original);

  script = script_start (path, "127.0.0.1", "0", NULL);
  port = script_wait_listening (script);
  uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  client = start_ready (uri);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *message = g_strdup_printf ("id=%s", ids[i]);
      g_autofree char *whole = g_strdup (message);
      const char *groups[] = { whole, ids[i] };
      g_autoptr(GBytes) frame = g_bytes_new (message, strlen (message));
      g_autoptr(GBytes) ping = g_bytes_new_static ("ping", 4);
      SbTemplateContext with_groups = { .rx = frame, .rx_groups = groups, .n_rx_groups = 2 };
      SbTemplateContext plain = { .rx = ping };
      g_autoptr(GBytes) one = sb_template_expand (counter, state, &plain, NULL);
      g_autoptr(GBytes) two = NULL;

      g_assert_nonnull (one);
      g_byte_array_append (expected, g_bytes_get_data (one, NULL), g_bytes_get_size (one));
      send_text (client, NULL, "ping");
      WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == expected->len);

      two = sb_template_expand (capture, state, &with_groups, NULL);
      g_assert_nonnull (two);
      g_byte_array_append (expected, g_bytes_get_data (two, NULL), g_bytes_get_size (two));
      send_text (client, NULL, message);
      WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == expected->len);
    }

  rx = collect (client, SB_DIRECTION_RX);
  g_assert_cmpmem (rx->data, rx->len, expected->data, expected->len);
  stop_and_free (client);
  output = script_interrupt (script);
  g_assert_null (strstr (output, "template:"));
  g_unlink (path);
}

/* Edge cases */

/* Sessions that never ran still export scripts that run: listen or
 * connect, then close. */
static void
test_nothing_recorded (void)
{
  SbSession *tcp_server, *udp_client, *fresh;
  g_autofree char *server_this = NULL;
  g_autofree char *server_other = NULL;
  g_autofree char *udp_this = NULL;
  g_autofree char *udp_other = NULL;
  g_autofree char *port = NULL;
  Script *script;

  if (!need_python ())
    return;

  tcp_server = session_for ("tcp-listen://127.0.0.1:0");
  server_this = export_to_file (tcp_server, SB_PYTHON_THIS_SIDE, NULL, NULL, "empty-server-this");
  server_other = export_to_file (tcp_server, SB_PYTHON_OTHER_SIDE, NULL, NULL, "empty-server-other");
  g_assert_finalize_object (tcp_server);

  udp_client = session_for ("udp://127.0.0.1:9");
  udp_this = export_to_file (udp_client, SB_PYTHON_THIS_SIDE, NULL, NULL, "empty-udp-this");
  udp_other = export_to_file (udp_client, SB_PYTHON_OTHER_SIDE, NULL, NULL, "empty-udp-other");
  g_assert_finalize_object (udp_client);

  /* No arguments: the session's own address, port 0. */
  script = script_start (server_this, NULL);
  g_assert_cmpuint (script_wait_listening (script), >, 0);
  g_free (script_finish (script));

  fresh = start_ready ("tcp-listen://127.0.0.1:0");
  port = g_strdup_printf ("%u", local_port (fresh));
  script = script_start (server_other, "127.0.0.1", port, NULL);
  g_free (script_finish (script));
  WAIT_UNTIL (count_events (fresh, SB_EVENT_CONNECTED) == 1);
  stop_and_free (fresh);

  g_free (script_finish (script_start (udp_this, NULL)));

  script = script_start (udp_other, "127.0.0.1", "0", NULL);
  g_assert_cmpuint (script_wait_listening (script), >, 0);
  g_free (script_finish (script));

  g_unlink (server_this);
  g_unlink (server_other);
  g_unlink (udp_this);
  g_unlink (udp_other);
}

/* Every kind and side, with and without every kind of rule, compiles. */
static void
test_every_kind_compiles (void)
{
  const char *uris[] = {
    "tcp://127.0.0.1:7",
    "tcp://[::1]:7",
    "tcp://example.com:80",
    "tcp-listen://:0",
    "tcp-listen://[::]:8080",
    "udp://127.0.0.1:7",
    "udp://127.0.0.1:7?bind=0.0.0.0:5000",
    "udp-listen://0.0.0.0:5000",
    "unix:///tmp/sockbench-test.sock",
    "unix://@sockbench-abstract",
    "unix-listen:///tmp/sockbench-test.sock",
    "unixgram:///tmp/a.sock?bind=/tmp/b.sock",
    "unixgram:///tmp/a.sock",
    "unixgram://?bind=/tmp/b.sock",
  };
  g_autoptr(SbAutoReply) rules = sb_auto_reply_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *errors = NULL;
  int status;

  if (!need_python ())
    return;

  add_rule (rules, SB_TRIGGER_ON_CONNECT, NULL, "\\x00'\"\\\\", "UTF-8", FALSE, TRUE);
  add_rule (rules, SB_TRIGGER_CONTAINS, "\"\"\"'''\\", "\\r\\n", "Shift_JIS", FALSE, FALSE);
  add_rule (rules, SB_TRIGGER_HEX_EQUALS, "ff 00 27 22 5c", "00 ff", "UTF-8", TRUE, FALSE);
  add_rule (rules, SB_TRIGGER_REGEX, "^(a|b)\\s+'\"\\\\$", "x", "UTF-16LE", FALSE, FALSE);
  add_rule (rules, SB_TRIGGER_ECHO, NULL, NULL, "UTF-8", FALSE, TRUE);
  add_rule (rules, SB_TRIGGER_ANY, NULL, "€", "GBK", FALSE, FALSE);

  g_ptr_array_add (argv, g_strdup (python));
  g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup ("import sys\n"
                                   "for path in sys.argv[1:]:\n"
                                   "    compile(open(path, 'rb').read(), path, 'exec')\n"));

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    for (guint side = 0; side < 2; side++)
      for (guint with_rules = 0; with_rules < 2; with_rules++)
        {
          SbSession *session = session_for (uris[i]);
          g_autofree char *name = g_strdup_printf ("kind-%u-%u-%u", i, side, with_rules);

          g_ptr_array_add (argv, export_to_file (session, side, with_rules ? "Big5" : "hex",
                                                 with_rules ? rules : NULL, name));
          g_assert_finalize_object (session);
        }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &errors, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("a script does not compile:\n%s", errors);

  for (guint i = 3; i + 1 < argv->len; i++)
    g_unlink (g_ptr_array_index (argv, i));
}

/* A bound datagram socket that spoke first names its peer in the script. */
static void
test_datagram_speaks_first (void)
{
  SbSession *a = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *b = start_ready ("udp-listen://127.0.0.1:0");
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, local_port (b));
  g_autoptr(GBytes) bytes = g_bytes_new_static ("first", 5);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = g_strdup_printf ("client = (\"127.0.0.1\", %u)", local_port (b));

  g_assert_true (sb_session_send_to (a, to, bytes, &error));
  WAIT_UNTIL (received_equals (b, "first"));

  text = sb_python_export (a, SB_PYTHON_THIS_SIDE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, expected));
  g_assert_nonnull (strstr (text, "s.sendto(b\"first\", client)"));

  stop_and_free (b);
  stop_and_free (a);
}

static void
test_errors (void)
{
  SbSession *session = session_for ("tcp://127.0.0.1:7");
  g_autoptr(SbSessionSpec) icmp = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  text = sb_python_export (session, SB_PYTHON_THIS_SIDE, "no-such-encoding", NULL, &error);
  g_assert_null (text);
  g_assert_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "no-such-encoding"));
  g_clear_error (&error);
  g_assert_finalize_object (session);

  /* ICMP has no Python counterpart here. */
  icmp = sb_session_spec_parse ("icmp://127.0.0.1", NULL);
  if (icmp != NULL)
    {
      session = sb_session_new (icmp);
      text = sb_python_export (session, SB_PYTHON_THIS_SIDE, NULL, NULL, &error);
      g_assert_null (text);
      g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED);
      g_assert_nonnull (strstr (error->message, "icmp"));
      g_assert_finalize_object (session);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sb_test_init (&argc, &argv);
  python = g_find_program_in_path ("python3");

  g_test_add_data_func ("/python-export/tcp/ipv4", &tcp4_case, test_roundtrip);
  g_test_add_data_func ("/python-export/tcp/ipv6", &tcp6_case, test_roundtrip);
  g_test_add_data_func ("/python-export/udp/ipv4", &udp4_case, test_roundtrip);
  g_test_add_data_func ("/python-export/udp/ipv6", &udp6_case, test_roundtrip);
  g_test_add_data_func ("/python-export/tcp/loop", &tcp4_many_case, test_roundtrip);
  g_test_add_data_func ("/python-export/udp/loop", &udp4_many_case, test_roundtrip);
  g_test_add_data_func ("/python-export/unix/stream", &unix_case, test_roundtrip);
  g_test_add_data_func ("/python-export/unix/datagram", &unixgram_case, test_roundtrip);
  g_test_add_func ("/python-export/hostile-payloads", test_hostile_payloads);
  g_test_add_func ("/python-export/unix/odd-path", test_odd_unix_path);
  g_test_add_func ("/python-export/auto-reply/udp-gbk", test_auto_reply_udp);
  g_test_add_func ("/python-export/auto-reply/tcp", test_auto_reply_tcp);
  g_test_add_func ("/python-export/auto-reply/templates", test_auto_reply_templates);
  g_test_add_func ("/python-export/auto-reply/computed", test_auto_reply_computed);
  g_test_add_func ("/python-export/nothing-recorded", test_nothing_recorded);
  g_test_add_func ("/python-export/every-kind-compiles", test_every_kind_compiles);
  g_test_add_func ("/python-export/datagram-speaks-first", test_datagram_speaks_first);
  g_test_add_func ("/python-export/errors", test_errors);

  status = sb_test_run ();
  g_free (python);
  return status;
}
