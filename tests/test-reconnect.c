/* test-reconnect.c — a TCP client that reconnects by itself, on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sb-sessions.h"
#include "sb-stream-client.h"
#include "sb-test-util.h"

static gboolean
is_state (SbSession      *session,
          SbSessionState  state)
{
  return sb_session_get_state (session) == state;
}

/* The server goes away and comes back on the same port: the client, with
 * "reconnect" on, connects again by itself and talks to the new one; Stop
 * during the back-off ends it. */
static void
test_reconnect (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  guint16 port = local_port (server);
  g_autofree char *client_uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  g_autofree char *server_uri = g_strdup_printf ("tcp-listen://127.0.0.1:%u", port);
  SbSession *client = session_for (client_uri);
  guint errors_before;

  g_assert_true (SB_IS_STREAM_CLIENT (client));
  g_assert_false (sb_stream_client_get_reconnect (SB_STREAM_CLIENT (client)));
  g_object_set (client, "reconnect", TRUE, NULL);
  sb_session_start (client);
  WAIT_UNTIL (is_state (client, SB_SESSION_STATE_CONNECTED) && n_peers (server) == 1);

  /* The server goes: the client keeps trying, and stays running. */
  stop_and_free (server);
  WAIT_UNTIL (count_events (client, SB_EVENT_ERROR) >= 1);
  g_assert_true (sb_session_is_running (client));
  g_assert_cmpuint (count_events (client, SB_EVENT_INFO), >=, 2);
  errors_before = count_events (client, SB_EVENT_ERROR);

  /* It comes back on the same port: the client is there again. */
  server = start_ready (server_uri);
  g_assert_cmpuint (local_port (server), ==, port);
  WAIT_UNTIL (is_state (client, SB_SESSION_STATE_CONNECTED) && n_peers (server) == 1);
  send_text (client, NULL, "back");
  WAIT_UNTIL (received_equals (server, "back"));
  g_assert_cmpuint (count_events (client, SB_EVENT_ERROR), >=, errors_before);

  /* Stop during the back-off: no more attempts. */
  stop_and_free (server);
  WAIT_UNTIL (count_events (client, SB_EVENT_ERROR) > errors_before);
  sb_session_stop (client);
  g_assert_false (sb_session_is_running (client));
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CLOSED);
  server = start_ready (server_uri);
  {
    /* A client of our own reaches it; ours never comes back. */
    SbSession *probe = start_client_to ("tcp", "127.0.0.1", server);

    WAIT_UNTIL (is_state (probe, SB_SESSION_STATE_CONNECTED) && n_peers (server) == 1);
    g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CLOSED);
    stop_and_free (probe);
  }
  stop_and_free (server);
  stop_and_free (client);
}

/* Off by default: a closed connection stays closed. */
static void
test_no_reconnect (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);

  WAIT_UNTIL (is_state (client, SB_SESSION_STATE_CONNECTED) && n_peers (server) == 1);
  stop_and_free (server);
  WAIT_UNTIL (is_state (client, SB_SESSION_STATE_CLOSED));
  g_assert_false (sb_session_is_running (client));
  stop_and_free (client);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/reconnect/server-comes-back", test_reconnect);
  g_test_add_func ("/reconnect/off-by-default", test_no_reconnect);

  return sb_test_run ();
}
