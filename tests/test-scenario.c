/* test-scenario.c — Lua scenarios on the main loop, against loopback peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sb-responder.h"
#include "sb-scenario.h"
#include "sb-scenario-python.h"
#include "sb-sessions.h"
#include "sb-test-util.h"

static gboolean
is_finished (SbScenario *scenario)
{
  return sb_scenario_get_state (scenario) == SB_SCENARIO_STATE_FINISHED;
}

/* Runs @text to its end (every wait bounded) and returns the scenario. */
static SbScenario *
run_text (const char *text,
          guint64     budget)
{
  SbScenario *scenario = sb_scenario_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_scenario_load_text (scenario, text, "test.lua", &error));
  g_assert_no_error (error);
  sb_scenario_set_step_budget (scenario, budget);
  g_assert_true (sb_scenario_run (scenario, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (is_finished (scenario));
  return scenario;
}

static const SbScenarioResult *
result_named (SbScenario *scenario,
              const char *name)
{
  for (guint i = 0; i < sb_scenario_get_n_results (scenario); i++)
    {
      const SbScenarioResult *result = sb_scenario_get_result (scenario, i);

      if (g_str_equal (result->name, name))
        return result;
    }
  g_error ("no result named %s", name);
  return NULL;
}

static void
assert_all_passed (SbScenario *scenario)
{
  for (guint i = 0; i < sb_scenario_get_n_results (scenario); i++)
    {
      const SbScenarioResult *result = sb_scenario_get_result (scenario, i);

      if (!result->passed)
        g_error ("%s failed at line %u: %s", result->name, result->line, result->message);
    }
  g_assert_cmpuint (sb_scenario_get_n_failed (scenario), ==, 0);
}

/* An echo peer on loopback: a TCP server whose only rule is echo. */
static SbSession *
echo_server (SbResponder **responder)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_ECHO, NULL, NULL, "UTF-8");
  g_autoptr(GError) error = NULL;

  *responder = sb_responder_new ();
  g_assert_true (sb_responder_add_rule (*responder, rule, &error));
  sb_responder_set_session (*responder, server);
  return server;
}

static void
test_expect (void)
{
  g_autoptr(SbScenario) scenario = NULL;

  scenario = run_text (
    "local server = listen('tcp-listen://127.0.0.1:0')\n"
    "local client = connect('tcp://' .. server:address(), {frame = 'line'})\n"
    "test('met', function()\n"
    "  client:send('hello\\n')\n"
    "  local f = server:expect('hello', 2000)\n"
    "  check(f == 'hello\\n', 'got ' .. tostring(f))\n"
    "  check(server:sender() ~= nil, 'no sender')\n"
    "end)\n"
    "test('missed', function()\n"
    "  local t0 = os_time_unused\n"
    "  local f, reason = client:expect('never', 50)\n"
    "  check(f == nil, 'should time out')\n"
    "  check(reason:find('within 50 ms', 1, true), reason)\n"
    "end)\n"
    "test('fails', function()\n"
    "  assert(client:expect('OK', 30))\n"
    "end)\n", 0);

  g_assert_cmpuint (sb_scenario_get_n_results (scenario), ==, 3);
  g_assert_true (result_named (scenario, "met")->passed);
  g_assert_true (result_named (scenario, "missed")->passed);
  g_assert_false (result_named (scenario, "fails")->passed);
  g_assert_cmpuint (result_named (scenario, "fails")->line, ==, 16);
  g_assert_cmpstr (result_named (scenario, "fails")->message, ==, "expected “OK” within 30 ms");
  {
    g_autofree char *summary = sb_scenario_dup_summary (scenario);

    g_assert_cmpstr (summary, ==, "2 passed, 1 failed: expected “OK” within 30 ms at line 16");
  }
}

static void
test_captures (void)
{
  g_autoptr(SbResponder) responder = NULL;
  g_autoptr(SbSession) server = echo_server (&responder);
  g_autofree char *text = g_strdup_printf (
    "connect('tcp://127.0.0.1:%u', {frame = 'line'})\n"
    "test('re', function()\n"
    "  send('OK 42 7\\n')\n"
    "  local f, a, b = expect(re('OK (\\\\d+) (\\\\d+)'), 2000)\n"
    "  check(a == '42' and b == '7', tostring(a) .. tostring(b))\n"
    "end)\n"
    "test('pat', function()\n"
    "  send('temp=21.5\\n')\n"
    "  local f, t = expect(pat('temp=([%%d.]+)'), 2000)\n"
    "  check(tonumber(t) == 21.5, tostring(t))\n"
    "end)\n"
    "test('hex', function()\n"
    "  send(hex('01 03 00 0a'))\n"
    "  send('\\n')\n"
    "  local f = expect(hex('03 00'), 2000)\n"
    "  check(f:byte(1) == 1, 'first byte')\n"
    "end)\n"
    "test('function', function()\n"
    "  send('abc\\n')\n"
    "  local f, n = expect(function(f) return #f == 4, #f end, 2000)\n"
    "  check(n == 4, tostring(n))\n"
    "end)\n"
    "test('template', function()\n"
    "  send(tmpl('N${seq}\\\\n'))\n"
    "  send(tmpl('N${seq}\\\\n'))\n"
    "  assert(expect('N1', 2000))\n"
    "  assert(expect('N2', 2000))\n"
    "end)\n",
    local_port (server));
  g_autoptr(SbScenario) scenario = run_text (text, 0);

  assert_all_passed (scenario);
  g_assert_cmpuint (sb_scenario_get_n_passed (scenario), ==, 5);
  sb_responder_set_session (responder, NULL);
  stop_and_free (g_steal_pointer (&server));
}

static void
test_loop (void)
{
  g_autoptr(SbResponder) responder = NULL;
  g_autoptr(SbSession) server = echo_server (&responder);
  g_autofree char *text = g_strdup_printf (
    "connect('tcp://127.0.0.1:%u', {frame = 'line'})\n"
    "test('1000 exchanges', function()\n"
    "  for i = 1, 1000 do\n"
    "    send('ping ' .. i .. '\\n')\n"
    "    local f = assert(expect('ping ' .. i .. '\\n', 2000))\n"
    "  end\n"
    "end)\n",
    local_port (server));
  g_autoptr(SbScenario) scenario = run_text (text, SB_SCENARIO_DEFAULT_STEP_BUDGET);

  assert_all_passed (scenario);
  g_assert_cmpuint (sb_scenario_get_n_passed (scenario), ==, 1);
  sb_responder_set_session (responder, NULL);
  stop_and_free (g_steal_pointer (&server));
}

/* A peer that resets as soon as it has read something. */
static gboolean
on_reset_readable (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      data)
{
  struct linger linger = { 1, 0 };
  char buffer[64];

  g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);
  setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  g_socket_close (socket, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_reset_accept (GSocket      *listener,
                 GIOCondition  condition,
                 gpointer      data)
{
  GSocket *socket = g_socket_accept (listener, NULL, NULL);
  GSource *source;

  if (socket == NULL)
    return G_SOURCE_CONTINUE;
  source = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) on_reset_readable, NULL, NULL);
  g_source_attach (source, NULL);
  g_source_unref (source);
  g_ptr_array_add (data, socket);
  return G_SOURCE_CONTINUE;
}

static void
test_reset (void)
{
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GPtrArray) accepted = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SbScenario) scenario = NULL;
  g_autofree char *text = NULL;
  GSource *source;
  const SbScenarioResult *result;

  g_socket_set_blocking (listener, FALSE);
  g_assert_true (g_socket_bind (listener, any, TRUE, NULL));
  g_assert_true (g_socket_listen (listener, NULL));
  bound = g_socket_get_local_address (listener, NULL);
  source = g_socket_create_source (listener, G_IO_IN, NULL);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) on_reset_accept, accepted, NULL);
  g_source_attach (source, NULL);

  text = g_strdup_printf (
    "connect('tcp://127.0.0.1:%u')\n"
    "test('reset', function()\n"
    "  send('hello')\n"
    "  local f = expect('answer', 5000)\n"
    "  log('not reached')\n"
    "end)\n"
    "test('after', function() end)\n",
    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  scenario = run_text (text, 0);

  result = result_named (scenario, "reset");
  g_assert_false (result->passed);
  g_assert_cmpuint (result->line, ==, 4);
  g_assert_nonnull (strstr (result->message, "reset"));
  g_assert_true (result_named (scenario, "after")->passed);

  g_source_destroy (source);
  g_source_unref (source);
}

static void
test_script_error (void)
{
  g_autoptr(SbScenario) scenario = NULL;
  g_autoptr(SbScenario) broken = sb_scenario_new ();
  g_autoptr(GError) error = NULL;
  const SbScenarioResult *result;

  scenario = run_text ("log('one')\n"
                       "local t = nil\n"
                       "local x = t.field\n", 0);
  g_assert_cmpuint (sb_scenario_get_n_results (scenario), ==, 1);
  result = sb_scenario_get_result (scenario, 0);
  g_assert_false (result->passed);
  g_assert_cmpuint (result->line, ==, 3);
  g_assert_nonnull (strstr (result->message, "nil value"));

  /* Syntax errors are found when loading, naming the line. */
  g_assert_false (sb_scenario_load_text (broken, "test('a', function()\n  send(1\nend)\n", "bad.lua", &error));
  g_assert_error (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "bad.lua:3:"));
}

static void
test_budget (void)
{
  g_autoptr(SbScenario) scenario = NULL;
  const SbScenarioResult *result;

  scenario = run_text ("test('endless', function()\n"
                       "  local x = 0\n"
                       "  while true do x = x + 1 end\n"
                       "end)\n"
                       "test('never runs', function() end)\n", 100000);
  g_assert_cmpuint (sb_scenario_get_n_results (scenario), ==, 1);
  result = sb_scenario_get_result (scenario, 0);
  g_assert_false (result->passed);
  g_assert_cmpuint (result->line, ==, 3);
  g_assert_nonnull (strstr (result->message, "step budget of 100000"));

  /* pcall in the script cannot swallow it. */
  g_clear_object (&scenario);
  scenario = run_text ("for i = 1, 10 do\n"
                       "  pcall(function() while true do end end)\n"
                       "end\n", 100000);
  g_assert_false (sb_scenario_get_result (scenario, 0)->passed);
  g_assert_nonnull (strstr (sb_scenario_get_result (scenario, 0)->message, "step budget"));

  /* Nor a coroutine of the script. */
  g_clear_object (&scenario);
  scenario = run_text ("local spin = coroutine.wrap(function()\n"
                       "  while true do end\n"
                       "end)\n"
                       "spin()\n", 100000);
  g_assert_nonnull (strstr (sb_scenario_get_result (scenario, 0)->message, "step budget"));
  g_assert_cmpuint (sb_scenario_get_result (scenario, 0)->line, ==, 2);
}

static gboolean
stop_cb (gpointer data)
{
  sb_scenario_stop (data);
  return G_SOURCE_REMOVE;
}

static void
test_stop (void)
{
  g_autoptr(SbScenario) scenario = sb_scenario_new ();
  g_autoptr(GError) error = NULL;
  const SbScenarioResult *result;

  g_assert_true (sb_scenario_load_text (scenario,
                                        "test('spin', function()\n"
                                        "  while true do end\n"
                                        "end)\n", "spin.lua", &error));
  /* No budget: only Stop ends it, and the main loop keeps running. */
  g_assert_true (sb_scenario_run (scenario, &error));
  g_assert_cmpint (sb_scenario_get_state (scenario), ==, SB_SCENARIO_STATE_RUNNING);
  g_timeout_add (50, stop_cb, scenario);
  WAIT_UNTIL (is_finished (scenario));
  result = sb_scenario_get_result (scenario, 0);
  g_assert_false (result->passed);
  g_assert_cmpstr (result->message, ==, "Stopped");
  g_assert_cmpuint (result->line, ==, 2);

  /* Stop while waiting in sleep. */
  g_assert_true (sb_scenario_load_text (scenario, "sleep(60000)\n", "sleep.lua", &error));
  g_assert_true (sb_scenario_run (scenario, &error));
  g_timeout_add (20, stop_cb, scenario);
  WAIT_UNTIL (is_finished (scenario));
  g_assert_cmpstr (sb_scenario_get_result (scenario, 0)->message, ==, "Stopped");
}

static void
test_sandbox (void)
{
  g_autoptr(SbScenario) scenario = sb_scenario_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "data.txt", NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_set_contents (path, "secret", -1, NULL));
  text = g_strdup_printf (
    "test('absent', function()\n"
    "  check(io == nil and os == nil and package == nil and debug == nil, 'a library is there')\n"
    "  check(require == nil and dofile == nil and loadfile == nil, 'file loading is there')\n"
    "  check(string.dump == nil, 'string.dump is there')\n"
    "  check(load('return 1')() == 1, 'load of text')\n"
    "  check(load('\\27Lua') == nil, 'load of binary')\n"
    "  local ok, err = pcall(coroutine.wrap(function() sleep(10) end))\n"
    "  check(not ok and err:find('can only wait', 1, true), tostring(err))\n"
    "end)\n"
    "test('readfile', function()\n"
    "  check(readfile('%s') == 'secret', 'allowed file')\n"
    "  local ok, err = pcall(readfile, '/etc/passwd')\n"
    "  check(not ok and err:find('not named'), tostring(err))\n"
    "end)\n", path);
  g_assert_true (sb_scenario_load_text (scenario, text, "sandbox.lua", &error));
  sb_scenario_allow_file (scenario, path);
  g_assert_true (sb_scenario_run (scenario, &error));
  WAIT_UNTIL (is_finished (scenario));
  assert_all_passed (scenario);
  g_assert_cmpuint (sb_scenario_get_n_passed (scenario), ==, 2);
  g_remove (path);
}

static void
on_line (SbScenario *scenario,
         guint       line,
         GArray     *lines)
{
  g_array_append_val (lines, line);
}

static void
test_step (void)
{
  g_autoptr(SbScenario) scenario = sb_scenario_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));

  g_signal_connect (scenario, "line-changed", G_CALLBACK (on_line), lines);
  g_assert_true (sb_scenario_load_text (scenario, "local a = 1\nlocal b = 2\nlog(a + b)\n", "step.lua", &error));
  g_assert_true (sb_scenario_step (scenario, &error));
  g_assert_cmpint (sb_scenario_get_state (scenario), ==, SB_SCENARIO_STATE_PAUSED);
  g_assert_cmpuint (sb_scenario_get_line (scenario), ==, 1);
  g_assert_true (sb_scenario_step (scenario, &error));
  g_assert_cmpuint (sb_scenario_get_line (scenario), ==, 2);
  sb_scenario_continue (scenario);
  WAIT_UNTIL (is_finished (scenario));
  g_assert_cmpuint (lines->len, >=, 2);
  g_assert_cmpuint (g_array_index (lines, guint, 0), ==, 1);
  assert_all_passed (scenario);
}

static void
on_finished (SbScenario *scenario,
             const char *summary,
             char      **out)
{
  *out = g_strdup (summary);
}

static void
test_page_session (void)
{
  g_autoptr(SbResponder) responder = NULL;
  g_autoptr(SbSession) server = echo_server (&responder);
  g_autoptr(SbSession) client = start_client_to ("tcp", "127.0.0.1", server);
  g_autoptr(SbScenario) scenario = sb_scenario_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  WAIT_UNTIL (is_ready (client));
  /* The window's page: its session, its framing; results in its history. */
  sb_scenario_set_session (scenario, client);
  sb_scenario_set_framing (scenario, "line");
  g_signal_connect (scenario, "finished", G_CALLBACK (on_finished), &summary);
  g_assert_true (sb_scenario_load_text (scenario,
                                        "test('echo', function()\n"
                                        "  send('a\\nb\\n')\n"
                                        "  check(expect('', 2000) == 'a\\n', 'line a')\n"
                                        "  check(expect('', 2000) == 'b\\n', 'line b')\n"
                                        "end)\n", "page.lua", &error));
  g_assert_true (sb_scenario_run (scenario, &error));
  WAIT_UNTIL (is_finished (scenario));
  assert_all_passed (scenario);
  g_assert_cmpstr (summary, ==, "1 passed");
  /* The page's session goes on. */
  g_assert_true (sb_session_is_running (client));
  g_assert_cmpuint (count_events (client, SB_EVENT_INFO), >=, 3);
  sb_scenario_set_session (scenario, NULL);
  stop_and_free (g_steal_pointer (&client));
  sb_responder_set_session (responder, NULL);
  stop_and_free (g_steal_pointer (&server));
}

static void
test_udp (void)
{
  g_autoptr(SbScenario) scenario = run_text (
    "local server = listen('udp-listen://127.0.0.1:0')\n"
    "local client = connect('udp://127.0.0.1:' .. server:port())\n"
    "test('datagrams', function()\n"
    "  client:send('one')\n"
    "  local f = assert(server:expect('one', 2000))\n"
    "  server:send('two', server:sender())\n"
    "  assert(client:expect('two', 2000))\n"
    "  check(#server:peers() == 1, 'one peer')\n"
    "end)\n", 0);

  assert_all_passed (scenario);
}

static void
test_python (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unsupported = NULL;
  g_autofree char *python = NULL;

  python = sb_scenario_to_python (
    "-- an echo client\n"
    "connect('tcp://127.0.0.1:7', {frame = 'line'})\n"
    "test('echo', function()\n"
    "  for i = 1, 3 do\n"
    "    send('ping ' .. i .. '\\n')\n"
    "    local f = assert(expect('ping', 500))\n"
    "  end\n"
    "  sleep(10)\n"
    "end)\n"
    "local t = setmetatable({}, {})\n"
    "close()\n",
    "echo.lua", &unsupported);
  g_assert_nonnull (strstr (python, "conn = _open(\"tcp://127.0.0.1:7\", frame=\"line\", listen=False)"));
  g_assert_nonnull (strstr (python, "def test_1():"));
  g_assert_nonnull (strstr (python, "run_test(\"echo\", test_1)"));
  g_assert_nonnull (strstr (python, "for i in range(1, 3 + 1):"));
  g_assert_nonnull (strstr (python, "time.sleep(10 / 1000)"));
  g_assert_cmpuint (unsupported->len, ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_ptr_array_index (unsupported, 0)), ==, 10);
  g_assert_nonnull (strstr (python, "line 10"));
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  char **out = data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, out, NULL, &error));
  g_assert_no_error (error);
  if (*out == NULL)
    *out = g_strdup ("");
}

/* The exported script does the same against the same peer: its TAP says so. */
static void
test_python_runs (void)
{
  g_autofree char *python3 = g_find_program_in_path ("python3");
  g_autoptr(SbResponder) responder = NULL;
  g_autoptr(SbSession) server = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *python = NULL;
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "echo.py", NULL);
  g_autofree char *out = NULL;

  if (python3 == NULL)
    {
      g_test_skip ("no python3");
      return;
    }
  server = echo_server (&responder);
  text = g_strdup_printf (
    "connect('tcp://127.0.0.1:%u', {frame = 'line'})\n"
    "test('met', function()\n"
    "  send('hello\\n')\n"
    "  local f = assert(expect('hello', 2000))\n"
    "  check(f == 'hello\\n', 'echo')\n"
    "end)\n"
    "test('missed', function()\n"
    "  assert(expect('never', 100))\n"
    "end)\n"
    "test('loop', function()\n"
    "  for i = 1, 100 do\n"
    "    send('ping ' .. i .. '\\n')\n"
    "    assert(expect('ping ' .. i .. '\\n', 2000))\n"
    "  end\n"
    "end)\n"
    "test('captures', function()\n"
    "  send('OK 42\\n')\n"
    "  local f, n = expect(re('OK (\\\\d+)'), 2000)\n"
    "  check(n == '42', 'capture')\n"
    "end)\n"
    "close()\n", local_port (server));
  python = sb_scenario_to_python (text, "echo.lua", NULL);
  g_assert_true (g_file_set_contents (path, python, -1, NULL));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, python3, path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &out);
  WAIT_UNTIL (out != NULL);
  WAIT_UNTIL (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_nonnull (strstr (out, "ok 1 - met\n"));
  g_assert_nonnull (strstr (out, "not ok 2 - missed\n"));
  g_assert_nonnull (strstr (out, "ok 3 - loop\n"));
  g_assert_nonnull (strstr (out, "ok 4 - captures\n"));
  g_assert_nonnull (strstr (out, "1..4\n"));

  g_remove (path);
  sb_responder_set_session (responder, NULL);
  stop_and_free (g_steal_pointer (&server));
}

int
main (int    argc,
      char **argv)
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/scenario/expect", test_expect);
  g_test_add_func ("/scenario/captures", test_captures);
  g_test_add_func ("/scenario/loop", test_loop);
  g_test_add_func ("/scenario/reset", test_reset);
  g_test_add_func ("/scenario/script-error", test_script_error);
  g_test_add_func ("/scenario/budget", test_budget);
  g_test_add_func ("/scenario/stop", test_stop);
  g_test_add_func ("/scenario/sandbox", test_sandbox);
  g_test_add_func ("/scenario/step", test_step);
  g_test_add_func ("/scenario/page-session", test_page_session);
  g_test_add_func ("/scenario/udp", test_udp);
  g_test_add_func ("/scenario/python", test_python);
  g_test_add_func ("/scenario/python-runs", test_python_runs);

  return sb_test_run ();
}
