/* test-repeat.c — SbRepeat on the engine's thread, over real loopback
 * sockets: ${seq} in order to a TCP server and a UDP target, the count, a
 * stop in the middle, a peer that does not read, a session stopped under
 * it, a send plan, and the schedule's clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-engine.h"
#include "sb-repeat.h"
#include "sb-sessions.h"
#include "sb-test-util.h"

static GThread *main_thread;

static SbTemplate *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  SbTemplate *template = sb_template_parse (text, SB_TEMPLATE_TEXT, NULL, NULL, &error);

  g_assert_no_error (error);
  return template;
}

static GBytes *
text_bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* Notifications reach the owner on its own thread, never the engine's. */
static void
notified_cb (GObject    *object,
             GParamSpec *pspec,
             guint      *n)
{
  g_assert_true (g_thread_self () == main_thread);
  (*n)++;
}

/* "m1\nm2\n…m@n\n" */
static char *
expected_lines (guint first,
                guint last)
{
  GString *text = g_string_new (NULL);

  for (guint i = first; i <= last; i++)
    g_string_append_printf (text, "m%u\n", i);
  return g_string_free (text, FALSE);
}

static char *
expand_next (SbTemplate      *template,
             SbTemplateState *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sb_template_expand (template, state, NULL, &error);

  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* 40 messages "m${seq}" + "\n", 2 ms apart, from a client on @engine to a
 * server on this thread: every one arrives, in order, each with its
 * counter; the repeat ends by itself; ${seq} continues at 41. */
static void
check_tcp_seq (SbEngine *engine)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", local_port (server));
  SbSession *client = start_ready_on (uri, engine);
  g_autoptr(SbTemplate) template = parse ("m${seq}");
  g_autoptr(SbTemplateState) state = sb_template_state_new ();
  g_autoptr(GBytes) suffix = text_bytes ("\n");
  g_autoptr(SbRepeat) repeat = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = expected_lines (1, 40);
  g_autofree char *next = NULL;
  guint notified = 0;
  gint64 begun;

  WAIT_UNTIL (n_peers (server) == 1);
  repeat = sb_repeat_new (client, NULL, NULL, NULL, 2, 40);
  sb_repeat_set_template (repeat, template, state, suffix);
  g_signal_connect (repeat, "notify", G_CALLBACK (notified_cb), &notified);
  begun = g_get_monotonic_time ();
  g_assert_true (sb_repeat_start (repeat, &error));
  g_assert_no_error (error);

  WAIT_UNTIL (!sb_repeat_get_running (repeat));
  /* 39 intervals of 2 ms: on a schedule, not in a burst. */
  g_assert_cmpint (g_get_monotonic_time () - begun, >=, 39 * 2000);
  g_assert_cmpuint (sb_repeat_get_n_sent (repeat), ==, 40);
  g_assert_null (sb_repeat_get_error (repeat));
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) >= strlen (expected));
  g_assert_true (received_equals (server, expected));
  WAIT_UNTIL (notified > 0);

  /* The state is the owner's again and counts on. */
  sb_repeat_stop (repeat);
  next = expand_next (template, state);
  g_assert_cmpstr (next, ==, "m41");

  g_clear_object (&repeat);
  stop_and_free (client);
  stop_and_free (server);
}

static void
test_tcp_seq (void)
{
  check_tcp_seq (sb_engine_get_default ());
}

/* Without an engine (the core's tests, scenarios) it runs on this thread. */
static void
test_tcp_seq_here (void)
{
  check_tcp_seq (NULL);
}

/* To a UDP address: one datagram per message, in order. */
static void
test_udp_target (void)
{
  SbSession *receiver = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *sender = start_ready_on ("udp-listen://127.0.0.1:0", sb_engine_get_default ());
  g_autoptr(SbTemplate) template = parse ("d${seq:dec3}");
  g_autoptr(SbTemplateState) state = sb_template_state_new ();
  g_autoptr(SbRepeat) repeat = NULL;
  g_autoptr(GError) error = NULL;
  SbHistory *history = sb_session_get_history (receiver);
  guint seen = 0;

  repeat = sb_repeat_new (sender, NULL, sb_session_get_local_address (receiver), NULL, 1, 30);
  sb_repeat_set_template (repeat, template, state, NULL);
  g_assert_true (sb_repeat_start (repeat, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (!sb_repeat_get_running (repeat));
  g_assert_null (sb_repeat_get_error (repeat));
  g_assert_cmpuint (sb_repeat_get_n_sent (repeat), ==, 30);

  WAIT_UNTIL (collected_len (receiver, SB_DIRECTION_RX) >= 30 * 4);
  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      g_autofree char *want = NULL;
      const guint8 *data;
      gsize len;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_RX)
        continue;
      data = sb_history_peek_data (history, i, &len);
      want = g_strdup_printf ("d%03u", ++seen);
      g_assert_cmpmem (data, len, want, strlen (want));
    }
  g_assert_cmpuint (seen, ==, 30);

  g_clear_object (&repeat);
  stop_and_free (sender);
  stop_and_free (receiver);
}

static gboolean
has_suffix (SbSession  *session,
            const char *suffix)
{
  g_autoptr(GByteArray) rx = collect (session, SB_DIRECTION_RX);
  gsize n = strlen (suffix);

  return rx->len >= n && memcmp (rx->data + rx->len - n, suffix, n) == 0;
}

/* Stopped in the middle: nothing is sent after sb_repeat_stop() returns (a
 * marker sent then arrives right after the last message), and ${seq}
 * continues where the repeat stopped. */
static void
test_stop_middle (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", local_port (server));
  SbSession *client = start_ready_on (uri, sb_engine_get_default ());
  g_autoptr(SbTemplate) template = parse ("m${seq}");
  g_autoptr(SbTemplateState) state = sb_template_state_new ();
  g_autoptr(GBytes) suffix = text_bytes ("\n");
  g_autoptr(SbRepeat) repeat = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lines = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *next = NULL;
  SbCounters counters;
  guint64 n;

  WAIT_UNTIL (n_peers (server) == 1);
  repeat = sb_repeat_new (client, NULL, NULL, NULL, 1, 0);
  sb_repeat_set_template (repeat, template, state, suffix);
  g_assert_true (sb_repeat_start (repeat, &error));
  WAIT_UNTIL (sb_repeat_get_n_sent (repeat) >= 10);
  sb_repeat_stop (repeat);
  g_assert_false (sb_repeat_get_running (repeat));
  n = sb_repeat_get_n_sent (repeat);
  sb_session_get_counters (client, &counters);
  g_assert_cmpuint (counters.tx_messages, ==, n);

  send_text (client, NULL, "end\n");
  WAIT_UNTIL (has_suffix (server, "end\n"));
  lines = expected_lines (1, n);
  expected = g_strconcat (lines, "end\n", NULL);
  g_assert_true (received_equals (server, expected));
  sb_session_get_counters (client, &counters);
  g_assert_cmpuint (counters.tx_messages, ==, n + 1);

  next = expand_next (template, state);
  g_assert_cmpuint (g_ascii_strtoull (next + 1, NULL, 10), ==, n + 1);
  /* Stopping again is harmless. */
  sb_repeat_stop (repeat);

  g_clear_object (&repeat);
  stop_and_free (client);
  stop_and_free (server);
}

/* A peer that never reads: the session's queue fills and the repeat ends
 * with SB_SESSION_ERROR_BUSY instead of queueing without bound. */
static void
test_busy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(SbRepeat) repeat = NULL;
  g_autoptr(GBytes) block = NULL;
  g_autofree char *uri = NULL;
  g_autofree guint8 *data = g_malloc0 (64 * 1024);
  const GError *why;
  SbSession *client;
  SbCounters counters;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  bound = g_socket_get_local_address (listener, &error);
  uri = g_strdup_printf ("tcp://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = start_ready_on (uri, sb_engine_get_default ());
  accepted = g_socket_accept (listener, NULL, &error);
  g_assert_no_error (error);

  block = g_bytes_new_take (g_steal_pointer (&data), 64 * 1024);
  repeat = sb_repeat_new (client, NULL, NULL, block, 1, 0);
  g_assert_true (sb_repeat_start (repeat, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (!sb_repeat_get_running (repeat));
  why = sb_repeat_get_error (repeat);
  g_assert_error ((GError *) why, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY);
  /* What was handed over and not written is within the session's bound
   * (8 MiB) and one message. */
  sb_session_sync (client);
  sb_session_get_counters (client, &counters);
  g_assert_cmpuint (sb_repeat_get_n_sent (repeat) * 64 * 1024, <=, counters.tx_bytes + 8 * 1024 * 1024 + 64 * 1024);

  g_clear_object (&repeat);
  stop_and_free (client);
  g_socket_close (accepted, NULL);
  g_socket_close (listener, NULL);
}

/* The session stopped under a running repeat: it ends by itself, without
 * an error (the session says why), and tells its owner. */
static void
test_session_stops (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", local_port (server));
  SbSession *client = start_ready_on (uri, sb_engine_get_default ());
  g_autoptr(GBytes) bytes = text_bytes ("x");
  g_autoptr(SbRepeat) repeat = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;
  guint64 n;

  repeat = sb_repeat_new (client, NULL, NULL, bytes, 3, 0);
  g_signal_connect (repeat, "notify::running", G_CALLBACK (notified_cb), &notified);
  g_assert_true (sb_repeat_start (repeat, &error));
  WAIT_UNTIL (sb_repeat_get_n_sent (repeat) >= 3);
  sb_session_stop (client);
  WAIT_UNTIL (notified == 1);
  g_assert_false (sb_repeat_get_running (repeat));
  g_assert_null (sb_repeat_get_error (repeat));
  n = sb_repeat_get_n_sent (repeat);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == n);

  g_clear_object (&repeat);
  stop_and_free (client);
  stop_and_free (server);
}

/* A first send that fails is an error at once, and nothing runs. */
static void
test_not_ready (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp://127.0.0.1:9", NULL);
  SbSession *client = sb_session_new_on (spec, sb_engine_get_default ());
  g_autoptr(GBytes) bytes = text_bytes ("x");
  g_autoptr(SbRepeat) repeat = sb_repeat_new (client, NULL, NULL, bytes, 1, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (sb_repeat_start (repeat, &error));
  g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY);
  g_assert_false (sb_repeat_get_running (repeat));
  g_assert_cmpuint (sb_repeat_get_n_sent (repeat), ==, 0);

  g_clear_object (&repeat);
  stop_and_free (client);
}

/* With a send plan (writes of 2 bytes, 3 ms apart) made on the engine:
 * each message waits for the one before, and the repeat ends once the
 * plan has written everything. */
static void
test_plan (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", local_port (server));
  SbSession *client = start_ready_on (uri, sb_engine_get_default ());
  g_autoptr(SbTemplate) template = parse ("m${seq}");
  g_autoptr(SbTemplateState) state = sb_template_state_new ();
  g_autoptr(GBytes) suffix = text_bytes ("\n");
  g_autoptr(SbRepeat) repeat = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = expected_lines (1, 5);
  SbCounters counters;

  WAIT_UNTIL (n_peers (server) == 1);
  repeat = sb_repeat_new (client, NULL, NULL, NULL, 1, 5);
  sb_repeat_set_template (repeat, template, state, suffix);
  sb_repeat_set_plan (repeat, 2, 3, 1);
  g_assert_true (sb_repeat_start (repeat, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (!sb_repeat_get_running (repeat));
  g_assert_null (sb_repeat_get_error (repeat));
  g_assert_cmpuint (sb_repeat_get_n_sent (repeat), ==, 5);
  g_assert_cmpuint (sb_repeat_get_plan_total (repeat), ==, strlen (expected));
  g_assert_cmpuint (sb_repeat_get_plan_sent (repeat), ==, strlen (expected));
  /* "m1\n" is two writes: "m1", "\n". */
  sb_session_get_counters (client, &counters);
  g_assert_cmpuint (counters.tx_messages, ==, 10);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) >= strlen (expected));
  g_assert_true (received_equals (server, expected));

  g_clear_object (&repeat);
  stop_and_free (client);
  stop_and_free (server);
}

/* The schedule: on time it keeps its slots; a stall of several intervals
 * moves it instead of bursting the missed sends. */
static void
test_clock (void)
{
  gint64 start = 1000000;
  const gint64 interval = 10000;

  /* Slot 3 is due at start + 30 ms: 0.5 ms late, the schedule stays. */
  g_assert_cmpint (sb_repeat_lateness (&start, interval, 3, 1000000 + 30500), ==, 500);
  g_assert_cmpint (start, ==, 1000000);
  /* Woken early: negative, nothing moves. */
  g_assert_cmpint (sb_repeat_lateness (&start, interval, 4, 1000000 + 39000), ==, -1000);
  g_assert_cmpint (start, ==, 1000000);
  /* Stalled 35 ms: slot 4 is sent now and slot 5 one interval later. */
  g_assert_cmpint (sb_repeat_lateness (&start, interval, 4, 1000000 + 75000), ==, 35000);
  g_assert_cmpint (start + 4 * interval, ==, 1000000 + 75000);
  g_assert_cmpint (sb_repeat_lateness (&start, interval, 5, 1000000 + 85000), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sb_test_init (&argc, &argv);
  main_thread = g_thread_self ();

  g_test_add_func ("/repeat/clock", test_clock);
  g_test_add_func ("/repeat/tcp-seq", test_tcp_seq);
  g_test_add_func ("/repeat/tcp-seq-here", test_tcp_seq_here);
  g_test_add_func ("/repeat/udp-target", test_udp_target);
  g_test_add_func ("/repeat/stop-middle", test_stop_middle);
  g_test_add_func ("/repeat/busy", test_busy);
  g_test_add_func ("/repeat/session-stops", test_session_stops);
  g_test_add_func ("/repeat/not-ready", test_not_ready);
  g_test_add_func ("/repeat/plan", test_plan);

  status = sb_test_run ();
  sb_engine_shutdown ();
  return status;
}
