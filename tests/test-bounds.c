/* test-bounds.c — what a session keeps per peer stays within its caps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history's peer labels live while a stored record or a live peer
 * refers to them (plus a small queue of unreferenced ones); many distinct
 * senders over loopback leave the label table and the peer list bounded.
 * Connect/close cycles leave no peer, socket or descriptor behind, and keep
 * only their records, labels and calls, within the caps.
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <malloc.h>
#include <string.h>
#include <sys/socket.h>

#include "sb-datagram.h"
#include "sb-test-util.h"

/* UNREFERENCED_KEEP in sb-history-private.h */
#define UNREFERENCED_KEEP 256

static void
test_history_labels (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  guint first, held, stale;

  sb_history_set_limits (history, 100, G_MAXSIZE);

  first = sb_history_intern_peer (history, "first");
  held = sb_history_intern_peer (history, "held");
  sb_history_hold_peer (history, held);
  sb_history_append (history, 1, SB_DIRECTION_RX, SB_EVENT_NONE, held, (const guint8 *) "h", 1);
  sb_history_append (history, 1, SB_DIRECTION_RX, SB_EVENT_NONE, first, (const guint8 *) "f", 1);

  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *label = g_strdup_printf ("10.%u.%u.%u:9", i >> 16, (i >> 8) & 255, i & 255);
      guint id = sb_history_intern_peer (history, label);

      g_assert_cmpuint (id, !=, 0);
      sb_history_append (history, i, SB_DIRECTION_RX, SB_EVENT_NONE, id, (const guint8 *) "x", 1);
      g_assert_cmpuint (sb_history_get_n_peer_labels (history), <=, 100 + 1 + UNREFERENCED_KEEP);
      /* Interning again gives the same id while the label lives. */
      g_assert_cmpuint (sb_history_intern_peer (history, label), ==, id);
    }

  /* The stored records still name their peers. */
  sb_history_flush (history);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, 100);
  g_assert_cmpstr (sb_history_get_peer_label (history, sb_history_get_peer (history, 99)), ==,
                   "10.0.78.31:9");

  /* A held label outlives its records; an old one is gone and answers "". */
  g_assert_cmpstr (sb_history_get_peer_label (history, held), ==, "held");
  g_assert_cmpstr (sb_history_get_peer_label (history, first), ==, "");

  /* Ids are not reused: "first" comes back under a new one. */
  stale = first;
  first = sb_history_intern_peer (history, "first");
  g_assert_cmpuint (first, !=, stale);

  /* Clearing leaves only what is held or recently unreferenced. */
  sb_history_clear (history);
  g_assert_cmpuint (sb_history_get_n_peer_labels (history), <=, 1 + UNREFERENCED_KEEP);
  sb_history_release_peer (history, held);
  g_assert_cmpstr (sb_history_get_peer_label (history, held), ==, "held");
  for (guint i = 0; i < UNREFERENCED_KEEP + 1; i++)
    {
      g_autofree char *label = g_strdup_printf ("later-%u", i);

      sb_history_intern_peer (history, label);
    }
  g_assert_cmpstr (sb_history_get_peer_label (history, held), ==, "");
  g_assert_cmpuint (sb_history_get_n_peer_labels (history), ==, UNREFERENCED_KEEP);
}

static SbCounters
counters_of (SbSession *session)
{
  SbCounters counters;

  sb_session_get_counters (session, &counters);
  return counters;
}

#define N_SENDERS   20000
#define BATCH       100
#define MAX_PEERS   50
#define MAX_RECORDS 200

/* Each sender from an address of its own, 127.2.x.y (all on lo). */
static void
send_from (guint           i,
           GSocketAddress *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *host = g_strdup_printf ("127.2.%u.%u", i / 250, i % 250 + 1);
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

static void
test_udp_distinct_senders (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  GSocketAddress *to = sb_session_get_local_address (server);
  SbHistory *history = sb_session_get_history (server);
  /* Under valgrind, fewer: the bound is the same at 2,000. */
  guint n_senders = g_getenv ("SOCKBENCH_TEST_VALGRIND") ? 2000 : N_SENDERS;
  guint max_labels = 0;

  g_object_set (server, "max-peers", MAX_PEERS, NULL);
  sb_history_set_limits (history, MAX_RECORDS, G_MAXSIZE);

  /* In batches small enough for the socket buffer, so none is lost. */
  for (guint i = 0; i < n_senders; i += BATCH)
    {
      for (guint j = i; j < i + BATCH; j++)
        send_from (j, to);
      WAIT_UNTIL (counters_of (server).rx_messages == i + BATCH);
      g_assert_cmpuint (n_peers (server), <=, MAX_PEERS);
      max_labels = MAX (max_labels, sb_history_get_n_peer_labels (history));
    }

  g_test_message ("%u senders: at most %u labels, %u peers", n_senders, max_labels, n_peers (server));
  g_assert_cmpuint (max_labels, <=, MAX_RECORDS + MAX_PEERS + UNREFERENCED_KEEP);
  g_assert_cmpuint (counters_of (server).peers_dropped, ==, n_senders - MAX_PEERS);

  /* The newest record still names its sender. */
  sb_history_flush (history);
  g_assert_cmpstr (sb_history_get_peer_label (history,
                                              sb_history_get_peer (history, sb_history_get_n_records (history) - 1)),
                   ==, sb_peer_get_label (sb_session_get_last_sender (server)));

  stop_and_free (server);
}

static gboolean
read_eof (GSocket *client)
{
  char buffer[64];

  return recv (g_socket_get_fd (client), buffer, sizeof buffer, MSG_DONTWAIT) == 0;
}

/* @n cycles as bench/tcp-churn makes them: connect, EOF, wait for the
 * server to close (it closes on EOF), close. */
static void
churn (SbSession *server,
       guint      n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GSocket) client = raw_connect (server);

      g_assert_cmpint (shutdown (g_socket_get_fd (client), SHUT_WR), ==, 0);
      WAIT_UNTIL (read_eof (client));
      g_socket_close (client, NULL);
    }
  WAIT_UNTIL (n_peers (server) == 0);
}

static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

#define CHURN_CYCLES        3000
#define CHURN_RECORDS       300
/* A cycle keeps 3 event records (32 bytes + ~45 of text each), 4 calls
 * (24 bytes each, the accept's address packed in 32 more) and its peer's
 * label (~90 bytes): ~470 bytes. */
#define CHURN_BYTES_PER_CYCLE 600

static void
test_tcp_churn (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbHistory *history = sb_session_get_history (server);
  SbTrace *trace = sb_session_get_trace (server);
  guint n = g_getenv ("SOCKBENCH_TEST_VALGRIND") ? 500 : CHURN_CYCLES;
  guint fds = n_open_fds ();
  gsize heap;
  double per_cycle;

  /* Capped: labels and calls go with the records. */
  sb_history_set_limits (history, CHURN_RECORDS, G_MAXSIZE);
  churn (server, n);
  sb_trace_flush (trace);
  g_assert_cmpuint (n_open_fds (), ==, fds);
  g_assert_cmpuint (sb_history_get_n_records (history), ==, CHURN_RECORDS);
  g_assert_cmpuint (sb_history_get_n_peer_labels (history), <=, CHURN_RECORDS + UNREFERENCED_KEEP);
  /* Calls older than the oldest record go in bulk, 4,096 at a time. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (trace)), <=, 4 * CHURN_RECORDS + 4096);
  /* The newest cycle is still named by its own peer. */
  g_assert_cmpuint (count_events (server, SB_EVENT_CONNECTED), >=, CHURN_RECORDS / 3 - 1);
  stop_and_free (server);

  /* Uncapped: every cycle is kept; what it costs. (mallinfo2 answers 0
   * under the sanitizers and valgrind, which replace malloc.) */
  server = start_ready ("tcp-listen://127.0.0.1:0");
  history = sb_session_get_history (server);
  fds = n_open_fds ();
  heap = heap_in_use ();
  churn (server, n);
  sb_history_flush (history);
  g_assert_cmpuint (n_open_fds (), ==, fds);
  g_assert_cmpuint (sb_history_get_n_records (history), >=, 3 * n);
  per_cycle = ((double) heap_in_use () - heap) / n;
  g_test_message ("%u cycles: %.0f bytes of heap each", n, per_cycle);
  g_assert_cmpfloat (per_cycle, <=, CHURN_BYTES_PER_CYCLE);
  stop_and_free (server);
}

static void
communicate_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out);
}

/* A UNIX datagram client bound to a path with U+202E (RIGHT-TO-LEFT
 * OVERRIDE) in it, sending to `sockbench --headless`: the PEER column
 * shows the override escaped, and the output holds it nowhere raw. */
static void
test_headless_unix_peer_label (void)
{
  const char *binary = g_getenv ("SOCKBENCH_BINARY");
  g_autofree char *server_path = g_build_filename (sb_test_tmpdir, "srv", NULL);
  g_autofree char *client_path = g_build_filename (sb_test_tmpdir, "a\xe2\x80\xaetxt.exe", NULL);
  g_autofree char *uri = g_strconcat ("unixgram://?bind=", server_path, NULL);
  g_autofree char *expected_peer = g_strconcat ("\t", sb_test_tmpdir, "/a\\xe2\\x80\\xaetxt.exe\t", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocketAddress) from = NULL;
  g_autoptr(GSocketAddress) to = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean found = FALSE;

  if (binary == NULL)
    {
      g_test_skip ("needs the built sockbench (SOCKBENCH_BINARY)");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              binary, "--headless", "--count=1", uri, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_done, &out);
  WAIT_UNTIL (g_file_test (server_path, G_FILE_TEST_EXISTS));

  client = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, 0, &error);
  g_assert_no_error (error);
  from = g_unix_socket_address_new (client_path);
  g_socket_bind (client, from, FALSE, &error);
  g_assert_no_error (error);
  to = g_unix_socket_address_new (server_path);
  g_socket_send_to (client, to, "hi", 2, NULL, &error);
  g_assert_no_error (error);

  WAIT_UNTIL (out != NULL);
  g_assert_true (g_subprocess_get_successful (process));

  g_assert_null (strstr (out, "\xe2\x80\xae"));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], "\trx\t") != NULL)
      {
        g_assert_nonnull (strstr (lines[i], expected_peer));
        found = TRUE;
      }
  if (!found)
    g_error ("no rx line in:\n%s", out);

  g_socket_close (client, NULL);
  g_unlink (client_path);
  g_unlink (server_path);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/bounds/history/labels", test_history_labels);
  g_test_add_func ("/bounds/udp/distinct-senders", test_udp_distinct_senders);
  g_test_add_func ("/bounds/tcp/churn", test_tcp_churn);
  g_test_add_func ("/bounds/headless/unix-peer-label", test_headless_unix_peer_label);

  return sb_test_run ();
}
