/* test-hostile.c — hostile peers and long sessions, over real loopback sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Many datagram senders keep the peer list bounded; a server out of file
 * descriptors backs off instead of spinning, says so once and recovers; a
 * client that resets before it is accepted keeps its own address.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sb-datagram.h"
#include "sb-test-util.h"

/* Counts the events of @kind whose text has @needle. */
static guint
count_events_with (SbSession   *session,
                   SbEventKind  kind,
                   const char  *needle)
{
  SbHistory *history = sb_session_get_history (session);
  guint n = 0;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      g_autoptr(GBytes) data = NULL;
      g_autofree char *text = NULL;
      gsize len;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT ||
          sb_history_get_event (history, i) != kind)
        continue;

      data = sb_history_dup_data (history, i);
      text = g_strndup (g_bytes_get_data (data, &len), g_bytes_get_size (data));
      if (strstr (text, needle) != NULL)
        n++;
    }

  return n;
}

static SbCounters
counters_of (SbSession *session)
{
  SbCounters counters;

  sb_session_get_counters (session, &counters);
  return counters;
}

/* The @i-th sender's source address: 127.1.x.y, all routed to lo. */
static char *
sender_host (guint i)
{
  return g_strdup_printf ("127.1.%u.%u", i / 200, i % 200 + 1);
}

static void
send_from (guint           i,
           GSocketAddress *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = sender_host (i);
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) from = g_inet_socket_address_new (inet, 0);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, 0, &error);

  g_assert_no_error (error);
  g_socket_bind (socket, from, FALSE, &error);
  g_assert_no_error (error);
  g_socket_send_to (socket, to, "x", 1, NULL, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);
}

#define N_SENDERS 300
#define MAX_PEERS 50

static void
test_udp_many_senders (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  GSocketAddress *to = sb_session_get_local_address (server);
  g_autofree char *newest = sender_host (N_SENDERS - MAX_PEERS);
  g_autofree char *prefix = g_strconcat (newest, ":", NULL);
  guint max_peers;

  g_assert_true (SB_IS_DATAGRAM (server));
  g_assert_cmpuint (sb_datagram_get_max_peers (SB_DATAGRAM (server)), ==, 10000);
  g_assert_cmpuint (sb_datagram_get_peer_timeout (SB_DATAGRAM (server)), >, 0);

  g_object_set (server, "max-peers", MAX_PEERS, NULL);
  g_object_get (server, "max-peers", &max_peers, NULL);
  g_assert_cmpuint (max_peers, ==, MAX_PEERS);

  /* One at a time, so that they arrive in order: the oldest go first. */
  for (guint i = 0; i < N_SENDERS; i++)
    {
      send_from (i, to);
      WAIT_UNTIL (counters_of (server).rx_messages == i + 1);
      g_assert_cmpuint (n_peers (server), <=, MAX_PEERS);
    }

  g_assert_cmpuint (n_peers (server), ==, MAX_PEERS);
  g_assert_cmpuint (counters_of (server).peers_dropped, ==, N_SENDERS - MAX_PEERS);
  g_assert_true (g_str_has_prefix (sb_peer_get_label (peer_at (server, 0)), prefix));
  g_assert_cmpuint (count_events_with (server, SB_EVENT_INFO, "More than 50 peers"), ==, 1);

  /* The last sender is a peer still; the first one is not. */
  g_assert_nonnull (sb_session_get_last_sender (server));

  /* Silent peers expire, and leave the list; that is not "dropped". */
  sb_datagram_set_peer_timeout (SB_DATAGRAM (server), 50);
  WAIT_UNTIL (n_peers (server) == 0);
  g_assert_null (sb_session_get_last_sender (server));
  g_assert_cmpuint (counters_of (server).peers_dropped, ==, N_SENDERS - MAX_PEERS);

  /* The table is whole again: an old sender comes back as a new peer. */
  sb_datagram_set_peer_timeout (SB_DATAGRAM (server), 0);
  send_from (0, to);
  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_cmpuint (counters_of (server).peers_dropped, ==, N_SENDERS - MAX_PEERS);

  stop_and_free (server);
}

/* A client that connects and resets (SO_LINGER 0) before the server runs
 * its accept(): the peer still has the client's own address. */
static void
on_peer_connected (SbSession *session,
                   SbPeer    *peer,
                   GPtrArray *peers)
{
  g_ptr_array_add (peers, g_object_ref (peer));
}

static void
test_tcp_reset_before_accept (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func (g_object_unref);
  char *expected[2] = { NULL, NULL };

  g_signal_connect (server, "peer-connected", G_CALLBACK (on_peer_connected), peers);

  /* The main loop does not run: nothing is accepted yet. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GSocket) client = raw_connect (server);
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (client, NULL);
      g_autoptr(GError) error = NULL;
      struct linger linger = { 1, 0 };

      expected[i] = g_strdup_printf ("127.0.0.1:%u",
                                     g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
      g_assert_cmpint (setsockopt (g_socket_get_fd (client), SOL_SOCKET, SO_LINGER,
                                   &linger, sizeof linger), ==, 0);
      g_socket_close (client, &error);
      g_assert_no_error (error);
    }

  WAIT_UNTIL (peers->len == 2 && n_peers (server) == 0);

  for (guint i = 0; i < 2; i++)
    g_assert_cmpstr (sb_peer_get_label (g_ptr_array_index (peers, i)), ==, expected[i]);
  g_assert_cmpuint (sb_peer_get_id (g_ptr_array_index (peers, 0)), !=,
                    sb_peer_get_id (g_ptr_array_index (peers, 1)));
  g_assert_cmpuint (count_events_with (server, SB_EVENT_CONNECTED, "(unnamed)"), ==, 0);

  g_signal_handlers_disconnect_by_func (server, on_peer_connected, peers);
  stop_and_free (server);
  g_free (expected[0]);
  g_free (expected[1]);
}

/* At the descriptor limit: one event, no spin, refused clients counted,
 * and accepting again once connections close. Runs in a subprocess of its
 * own, as it lowers RLIMIT_NOFILE. */
#define N_CLIENTS 60
#define ROOM      20

static gint64
cpu_us (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
fd_limit_scenario (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  GSocket *clients[N_CLIENTS + 1] = { NULL, };
  struct rlimit limit;
  guint accepted;
  gboolean done = FALSE;
  gint64 cpu_before;
  int lowest_free;

  /* Every client connects before the server runs: they wait in the
   * backlog. Then only ROOM descriptors are left. */
  for (guint i = 0; i < N_CLIENTS; i++)
    clients[i] = raw_connect (server);

  lowest_free = dup (0);
  g_assert_cmpint (lowest_free, >=, 0);
  close (lowest_free);
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  limit.rlim_cur = lowest_free + ROOM;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);

  /* Some are accepted, the rest are refused, none left waiting. */
  WAIT_UNTIL (n_peers (server) + counters_of (server).connections_refused == N_CLIENTS);
  accepted = n_peers (server);
  g_assert_cmpuint (accepted, >, 10);
  g_assert_cmpuint (accepted, <=, ROOM);
  g_assert_cmpuint (counters_of (server).connections_refused, ==, N_CLIENTS - accepted);
  g_assert_cmpuint (count_events_with (server, SB_EVENT_ERROR, "ulimit -n"), ==, 1);

  /* A refused client hears at once that it was refused. */
  {
    g_autoptr(GError) error = NULL;
    char byte;

    g_socket_set_timeout (clients[N_CLIENTS - 1], SB_TEST_WAIT_SECONDS);
    g_assert_cmpint (g_socket_receive (clients[N_CLIENTS - 1], &byte, 1, NULL, &error), <, 0);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  }

  /* Another client at the limit: refused too, with no new event and no
   * busy loop while the server waits. */
  cpu_before = cpu_us ();
  {
    g_autoptr(GSocket) late = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, local_port (server));

    /* The client's own descriptor may be the one missing: close one first. */
    g_clear_object (&clients[N_CLIENTS - 1]);
    late = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &error);
    g_assert_no_error (error);
    g_socket_connect (late, address, NULL, &error);
    g_assert_no_error (error);
    WAIT_UNTIL (counters_of (server).connections_refused == N_CLIENTS - accepted + 1);
  }
  g_timeout_add (500, set_flag, &done);
  WAIT_UNTIL (done);
  g_assert_cmpint (cpu_us () - cpu_before, <, 250 * 1000);
  g_assert_cmpuint (count_events_with (server, SB_EVENT_ERROR, "ulimit -n"), ==, 1);

  /* Ten accepted clients leave: the server has room again. */
  for (guint i = 0; i < 10; i++)
    g_clear_object (&clients[i]);
  WAIT_UNTIL (n_peers (server) == accepted - 10);

  clients[0] = raw_connect (server);
  WAIT_UNTIL (n_peers (server) == accepted - 9);
  g_assert_cmpuint (count_events_with (server, SB_EVENT_INFO, "again"), ==, 1);
  g_assert_cmpuint (count_events_with (server, SB_EVENT_ERROR, "ulimit -n"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    g_clear_object (&clients[i]);
  stop_and_free (server);
}

static void
test_tcp_fd_limit (void)
{
  if (g_test_subprocess ())
    {
      fd_limit_scenario ();
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/hostile/udp/many-senders", test_udp_many_senders);
  g_test_add_func ("/hostile/tcp/reset-before-accept", test_tcp_reset_before_accept);
  g_test_add_func ("/hostile/tcp/fd-limit", test_tcp_fd_limit);

  return sb_test_run ();
}
