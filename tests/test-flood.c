/* test-flood.c — bounded behaviour under abuse, over real loopback sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A peer that sends faster than we read never makes the history grow beyond
 * its caps, and the dropped counter says exactly what was let go; a peer that
 * stops reading makes sends fail with SB_SESSION_ERROR_BUSY instead of
 * queueing without bound, without holding up the other peers.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "sb-session.h"
#include "sb-sessions.h"

/* Every wait is bounded; a test that hangs fails here instead. */
#define WAIT_SECONDS 30
#define FLOOD_BYTES  (50 * 1024 * 1024)
/* Small caps: TCP reads of 64 KiB meet the byte cap, 64-byte datagrams the
 * record cap. */
#define TCP_CAP_RECORDS 100
#define UDP_CAP_RECORDS 1000
#define CAP_BYTES       (1024 * 1024)

typedef gboolean (*Condition) (gpointer data);

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until @condition holds; fails the test after
 * WAIT_SECONDS. @step, when given, runs at every iteration (the other end of
 * the connection, driven from this thread). */
static void
wait_until (Condition    condition,
            gpointer     data,
            GSourceFunc  step,
            gpointer     step_data,
            const char  *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint id = g_timeout_add (10, tick, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out waiting for %s", what);
      if (step != NULL)
        step (step_data);
      g_main_context_iteration (NULL, step == NULL);
    }

  g_source_remove (id);
}

static gboolean
is_ready (gpointer data)
{
  SbSessionState state = sb_session_get_state (data);

  if (state == SB_SESSION_STATE_FAILED)
    g_error ("session failed: %s", sb_session_get_error (data)->message);

  return state == SB_SESSION_STATE_LISTENING || state == SB_SESSION_STATE_CONNECTED;
}

static SbSession *
start_ready (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, &error);
  SbSession *session;

  g_assert_no_error (error);
  session = sb_session_new (spec);
  sb_session_start (session);
  wait_until (is_ready, session, NULL, NULL, "the session to be ready");
  return session;
}

static GInetSocketAddress *
local_address (SbSession *session)
{
  GSocketAddress *address = sb_session_get_local_address (session);

  g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
  return G_INET_SOCKET_ADDRESS (address);
}

static GSocket *
raw_socket (SbSession     *server,
            GSocketType    type,
            GSocketProtocol protocol)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, protocol, &error);
  g_assert_no_error (error);
  g_socket_connect (socket, G_SOCKET_ADDRESS (local_address (server)), NULL, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  return socket;
}

static guint
n_peers (SbSession *session)
{
  return g_list_model_get_n_items (sb_session_get_peers (session));
}

static gboolean
has_one_peer (gpointer data)
{
  return n_peers (data) == 1;
}

static gboolean
has_two_peers (gpointer data)
{
  return n_peers (data) == 2;
}

static gboolean
has_no_peer (gpointer data)
{
  return n_peers (data) == 0;
}

static SbPeer *
peer_at (SbSession *session,
         guint      i)
{
  g_autoptr(SbPeer) peer = g_list_model_get_item (sb_session_get_peers (session), i);

  return peer;  /* the list keeps it alive */
}

static gsize
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "\nVmRSS:")) == NULL)
    return 0;
  return g_ascii_strtoull (line + 7, NULL, 10);
}

/* The byte at @offset of the flood: a pattern that shows any byte out of place. */
static inline guint8
pattern (guint64 offset)
{
  return (guint8) (offset % 251);
}

/* The caps hold whatever comes in, and the counters are honest. */
static void
check_capped (SbHistory *history,
              guint      max_records)
{
  guint n = sb_history_get_n_records (history);
  guint64 first = sb_history_get_first_serial (history);
  guint64 total = sb_history_get_next_serial (history);

  g_assert_cmpuint (n, <=, max_records);
  g_assert_cmpuint (sb_history_get_n_bytes (history), <=, CAP_BYTES);
  /* Serials count every append: what is not kept was dropped, and only the
   * oldest were. */
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, total - n);
  g_assert_cmpuint (sb_history_get_n_dropped (history), ==, first);
  g_assert_cmpuint (sb_history_get_n_cleared (history), ==, 0);
}

/* TCP: a peer that writes faster than we read */

typedef struct
{
  SbHistory *history;
  GSocket *socket;
  guint8  *chunk;
  guint64  sent;
  gboolean shut;
} Blaster;

static gboolean
blast_step (gpointer data)
{
  Blaster *b = data;

  /* Bounded all along, not only at the end. */
  g_assert_cmpuint (sb_history_get_n_bytes (b->history), <=, CAP_BYTES);

  /* As much as the socket takes, up to 1 MiB per main loop iteration. */
  for (guint i = 0; i < 16 && b->sent < FLOOD_BYTES; i++)
    {
      g_autoptr(GError) error = NULL;
      gsize want = MIN (64 * 1024, FLOOD_BYTES - b->sent);
      gssize n;

      for (gsize j = 0; j < want; j++)
        b->chunk[j] = pattern (b->sent + j);
      n = g_socket_send (b->socket, (const char *) b->chunk, want, NULL, &error);
      if (n < 0)
        {
          g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK));
          break;
        }
      b->sent += n;
    }

  if (b->sent == FLOOD_BYTES && !b->shut)
    {
      g_socket_shutdown (b->socket, FALSE, TRUE, NULL);
      b->shut = TRUE;
    }

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  SbSession *session;
  guint64    want;
} RxWait;

static gboolean
received_all (gpointer data)
{
  RxWait *w = data;
  SbCounters counters;

  sb_session_get_counters (w->session, &counters);
  return counters.rx_bytes >= w->want;
}

static void
test_tcp_flood_capped (void)
{
  g_autoptr(SbSession) server = start_ready ("tcp-listen://127.0.0.1:0");
  SbHistory *history = sb_session_get_history (server);
  g_autoptr(GSocket) socket = NULL;
  g_autofree guint8 *chunk = g_malloc (64 * 1024);
  Blaster b = { 0 };
  RxWait w = { server, FLOOD_BYTES };
  g_autoptr(GByteArray) kept = g_byte_array_new ();
  SbCounters counters;
  gsize rss_before, rss_after;
  guint n;

  sb_history_set_limits (history, TCP_CAP_RECORDS, CAP_BYTES);
  rss_before = rss_kb ();

  socket = raw_socket (server, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP);
  b.history = history;
  b.socket = socket;
  b.chunk = chunk;
  wait_until (received_all, &w, blast_step, &b, "50 MB to be received");
  /* The EOF ends the peer. */
  wait_until (has_no_peer, server, NULL, NULL, "the peer to close");
  sb_history_flush (history);

  sb_session_get_counters (server, &counters);
  g_assert_cmpuint (counters.rx_bytes, ==, FLOOD_BYTES);
  check_capped (history, TCP_CAP_RECORDS);
  g_assert_cmpuint (sb_history_get_n_dropped (history), >, 0);

  /* What is kept is the newest part of the stream, byte for byte. */
  n = sb_history_get_n_records (history);
  for (guint i = 0; i < n; i++)
    {
      const guint8 *data;
      gsize len;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_RX)
        continue;
      data = sb_history_peek_data (history, i, &len);
      g_assert_nonnull (data);
      g_byte_array_append (kept, data, len);
    }
  g_assert_cmpuint (kept->len, >, 0);
  g_assert_cmpuint (kept->len, <=, CAP_BYTES);
  for (guint i = 0; i < kept->len; i++)
    {
      guint64 offset = FLOOD_BYTES - kept->len + i;

      if (kept->data[i] != pattern (offset))
        g_error ("kept byte %u (stream offset %" G_GUINT64_FORMAT ") is %u, not %u",
                 i, offset, kept->data[i], pattern (offset));
    }

  /* 50 MB went through; memory did not follow. */
  rss_after = rss_kb ();
  g_test_message ("RSS before %" G_GSIZE_FORMAT " KiB, after %" G_GSIZE_FORMAT " KiB",
                  rss_before, rss_after);
  if (rss_before > 0)
    g_assert_cmpuint (rss_after, <, rss_before + 20 * 1024);

  sb_session_stop (server);
}

/* UDP: datagrams faster than we read */

#define DATAGRAMS 20000

static gboolean
udp_sent_all (gpointer data)
{
  guint *sent = data;

  return *sent >= DATAGRAMS;
}

typedef struct
{
  GSocket *socket;
  guint    sent;
} UdpBlaster;

static gboolean
udp_step (gpointer data)
{
  UdpBlaster *b = data;
  guint8 payload[64] = { 0 };

  for (guint i = 0; i < 512 && b->sent < DATAGRAMS; i++)
    {
      g_autoptr(GError) error = NULL;

      memcpy (payload, &b->sent, sizeof b->sent);
      if (g_socket_send (b->socket, (const char *) payload, sizeof payload, NULL, &error) < 0)
        break;  /* the send buffer is full: next iteration */
      b->sent++;
    }

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  SbSession *session;
  guint64    last;
  gint64     quiet_since;
} Quiet;

/* TRUE once nothing was received for 200 ms. */
static gboolean
is_quiet (gpointer data)
{
  Quiet *q = data;
  SbCounters counters;
  gint64 now = g_get_monotonic_time ();

  sb_session_get_counters (q->session, &counters);
  if (counters.rx_messages != q->last || q->quiet_since == 0)
    {
      q->last = counters.rx_messages;
      q->quiet_since = now;
    }

  return now - q->quiet_since > 200 * 1000;
}

static void
test_udp_flood_capped (void)
{
  g_autoptr(SbSession) server = start_ready ("udp-listen://127.0.0.1:0");
  SbHistory *history = sb_session_get_history (server);
  g_autoptr(GSocket) socket = NULL;
  UdpBlaster b = { 0 };
  Quiet q = { server, 0, 0 };
  SbCounters counters;
  guint rx_records = 0;

  sb_history_set_limits (history, UDP_CAP_RECORDS, CAP_BYTES);
  socket = raw_socket (server, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP);
  b.socket = socket;

  wait_until (udp_sent_all, &b.sent, udp_step, &b, "the datagrams to be sent");
  wait_until (is_quiet, &q, NULL, NULL, "the datagrams to stop coming");
  sb_history_flush (history);

  sb_session_get_counters (server, &counters);
  g_test_message ("%u datagrams sent, %" G_GUINT64_FORMAT " received",
                  b.sent, counters.rx_messages);
  /* Loopback may drop some under a flood; far more than the cap arrive. */
  g_assert_cmpuint (counters.rx_messages, >, UDP_CAP_RECORDS);
  g_assert_cmpuint (counters.rx_messages, <=, DATAGRAMS);
  check_capped (history, UDP_CAP_RECORDS);
  g_assert_cmpuint (sb_history_get_n_dropped (history), >, 0);

  /* The newest datagrams are the ones kept, in order. */
  for (guint i = 0, last = 0; i < sb_history_get_n_records (history); i++)
    {
      const guint8 *data;
      gsize len;
      guint seq;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_RX)
        continue;
      data = sb_history_peek_data (history, i, &len);
      g_assert_cmpuint (len, ==, 64);
      memcpy (&seq, data, sizeof seq);
      g_assert_cmpuint (seq, >=, last);
      last = seq;
      rx_records++;
    }
  g_assert_cmpuint (rx_records, >, 0);
  g_assert_cmpuint (rx_records, <=, UDP_CAP_RECORDS);

  sb_session_stop (server);
}

/* A peer that stops reading */

typedef struct
{
  GSocket *socket;
  guint64  got;
  gboolean reading;
} Reader;

static gboolean
read_step (gpointer data)
{
  Reader *r = data;
  char buffer[64 * 1024];

  while (r->reading)
    {
      gssize n = g_socket_receive (r->socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      r->got += n;
    }

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  SbPeer  *peer;
  Reader  *reader;
  guint64  want;
} Drain;

static gboolean
drained (gpointer data)
{
  Drain *d = data;

  return sb_peer_get_pending (d->peer) == 0 && d->reader->got >= d->want;
}

static gboolean
both_read (gpointer data)
{
  Reader **readers = data;

  read_step (readers[0]);
  read_step (readers[1]);
  return FALSE;
}

static void
test_slow_reader (void)
{
  g_autoptr(SbSession) server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(GSocket) slow_socket = NULL;
  g_autoptr(GSocket) fast_socket = NULL;
  g_autoptr(GBytes) chunk = g_bytes_new_take (g_malloc0 (256 * 1024), 256 * 1024);
  Reader slow = { 0 }, fast = { 0 };
  Reader *readers[2] = { &slow, &fast };
  SbPeer *slow_peer, *fast_peer;
  guint64 accepted = 0, accepted_fast = 0;
  gboolean busy = FALSE;
  gint64 deadline;

  slow_socket = raw_socket (server, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP);
  wait_until (has_one_peer, server, NULL, NULL, "the slow peer");
  fast_socket = raw_socket (server, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP);
  wait_until (has_two_peers, server, NULL, NULL, "the fast peer");
  slow_peer = peer_at (server, 0);
  fast_peer = peer_at (server, 1);

  slow.socket = slow_socket;
  fast.socket = fast_socket;
  fast.reading = TRUE;

  /* Both read at first; then the slow one stops. Send to all, with the main
   * loop running, until the slow one's queue is full. */
  slow.reading = TRUE;
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (sb_session_send (server, NULL, chunk, &error));
      g_assert_no_error (error);
      accepted += g_bytes_get_size (chunk);
      accepted_fast += g_bytes_get_size (chunk);
      both_read (readers);
      g_main_context_iteration (NULL, FALSE);
    }
  slow.reading = FALSE;

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  while (!busy)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (sb_session_send (server, NULL, chunk, &error))
        accepted += g_bytes_get_size (chunk);
      else
        {
          g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY);
          g_assert_nonnull (strstr (error->message, sb_peer_get_label (slow_peer)));
          busy = TRUE;
        }
      /* The fast peer got it either way. */
      accepted_fast += g_bytes_get_size (chunk);
      g_assert_cmpuint (sb_peer_get_pending (slow_peer), <=, SB_SESSION_MAX_PENDING);

      both_read (readers);
      g_main_context_iteration (NULL, FALSE);
    }

  /* It stays refused, and bounded, however often we try. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sb_session_send (server, slow_peer, chunk, &error));
      g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY);
      g_assert_cmpuint (sb_peer_get_pending (slow_peer), <=, SB_SESSION_MAX_PENDING);
      both_read (readers);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (sb_peer_get_pending (slow_peer), >, 0);
  g_assert_true (sb_peer_is_connected (slow_peer));

  /* The slow peer never held up the fast one. */
  {
    Drain d = { fast_peer, &fast, accepted_fast };

    wait_until (drained, &d, both_read, readers, "the fast peer to get everything");
    g_assert_cmpuint (fast.got, ==, accepted_fast);
  }

  /* Reading again drains the queue, and sends are accepted again. */
  slow.reading = TRUE;
  {
    Drain d = { slow_peer, &slow, accepted };
    g_autoptr(GError) error = NULL;

    wait_until (drained, &d, both_read, readers, "the slow peer's queue to drain");
    g_assert_cmpuint (slow.got, ==, accepted);
    g_assert_true (sb_session_send (server, slow_peer, chunk, &error));
    g_assert_no_error (error);
  }

  sb_session_stop (server);
}

/* A view of a flood of 64 KiB records decodes only what a cell shows */

static void
test_decode_prefix (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  guint peer = sb_history_intern_peer (history, "127.0.0.1:9");
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *full = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *hex = NULL;
  gboolean truncated = FALSE;

  /* 中 = e4 b8 ad: the first record ends with its first byte, the second
   * starts with the rest, then 65,000 bytes of 中. */
  sb_history_append (history, 1, SB_DIRECTION_RX, SB_EVENT_NONE, peer, (const guint8 *) "ab\xe4", 3);
  g_string_append (big, "\xb8\xad");
  while (big->len < 65000)
    g_string_append (big, "中");
  sb_history_append (history, 2, SB_DIRECTION_RX, SB_EVENT_NONE, peer, (const guint8 *) big->str, big->len);
  sb_history_flush (history);

  full = sb_history_decode (history, 1, "UTF-8", 0, NULL);
  prefix = sb_history_decode_prefix (history, 1, "UTF-8", 0, NULL, 4001, &truncated);
  g_assert_true (truncated);
  g_assert_true (g_utf8_validate (prefix, -1, NULL));
  /* The joined character is there; the one cut at the limit is not. */
  g_assert_true (g_str_has_prefix (prefix, "中中"));
  g_assert_true (g_str_has_prefix (full, prefix));
  g_assert_cmpuint (strlen (prefix), ==, 3 + 3 * ((4001 - 2) / 3));

  g_clear_pointer (&prefix, g_free);
  prefix = sb_history_decode_prefix (history, 1, "UTF-8", 0, NULL, G_MAXSIZE, &truncated);
  g_assert_false (truncated);
  g_assert_cmpstr (prefix, ==, full);

  hex = sb_history_decode_prefix (history, 0, "hex", 0, NULL, 2, &truncated);
  g_assert_true (truncated);
  g_assert_cmpstr (hex, ==, "61 62");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flood/tcp/history-capped", test_tcp_flood_capped);
  g_test_add_func ("/flood/udp/history-capped", test_udp_flood_capped);
  g_test_add_func ("/flood/tcp/slow-reader", test_slow_reader);
  g_test_add_func ("/flood/history/decode-prefix", test_decode_prefix);

  return g_test_run ();
}
