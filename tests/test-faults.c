/* test-faults.c — sessions under misbehaving peers, files and sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real loopback sockets, kernel-chosen ports, every wait bounded by a
 * deadline while the main context runs. The misbehaving side is a plain
 * non-blocking socket driven by the test. Each case checks that the
 * session lives on and that its history holds the bytes that crossed,
 * compared by checksum with what the other side saw.
 *
 * Under valgrind (tools/test --valgrind sets SOCKBENCH_TEST_VALGRIND) the
 * bulk transfers and the connect storm are scaled down.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sb-datagram.h"
#include "sb-session.h"
#include "sb-sessions.h"
#include "sb-stream-client.h"
#include "sb-test-util.h"

/* Bulk transfers under the sanitizers or valgrind take longer than the
 * shared SB_TEST_WAIT_SECONDS; every wait is still bounded. */
#define FAULT_WAIT_SECONDS 60

#undef WAIT_UNTIL
#define WAIT_UNTIL(expr) G_STMT_START {                                              \
    gint64 _deadline = g_get_monotonic_time () + FAULT_WAIT_SECONDS * G_USEC_PER_SEC; \
    guint _tick = g_timeout_add (10, sb_test_tick, NULL);                            \
    while (!(expr))                                                                  \
      {                                                                              \
        if (g_get_monotonic_time () > _deadline)                                     \
          g_error ("timed out waiting for %s", #expr);                               \
        g_main_context_iteration (NULL, TRUE);                                       \
      }                                                                              \
    g_source_remove (_tick);                                                         \
  } G_STMT_END

static gboolean under_valgrind;

/* Runs whatever is ready, without blocking. */
static void
drain_main_context (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static gsize
scaled (gsize size)
{
  /* Never below 8 MiB: more than the kernel's socket buffers take, so that
   * something is still in flight when the peer misbehaves. */
  return under_valgrind ? MAX (size / 4, MIN (size, 8 * 1024 * 1024)) : size;
}

/* Bytes counted in @direction: cheap enough to poll during bulk transfers. */
static guint64
counted_len (SbSession   *session,
             SbDirection  direction)
{
  SbCounters counters;

  sb_session_get_counters (session, &counters);
  return direction == SB_DIRECTION_RX ? counters.rx_bytes : counters.tx_bytes;
}

static gboolean
has_event_containing (SbSession   *session,
                      SbEventKind  kind,
                      const char  *fragment)
{
  SbHistory *history = sb_session_get_history (session);

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      g_autofree char *text = NULL;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT ||
          sb_history_get_event (history, i) != kind)
        continue;
      text = sb_history_decode (history, i, "UTF-8", SB_DECODE_DEFAULT, NULL);
      if (strstr (text, fragment) != NULL)
        return TRUE;
    }

  return FALSE;
}

static char *
checksum (const guint8 *data,
          gsize         len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* What @peer saw (@seen) is exactly the start of what the history says was
 * written, and what was written is the start of what was asked (@sent). */
static void
assert_prefixes (const GByteArray *seen,
                 const GByteArray *history_tx,
                 const guint8     *sent,
                 gsize             sent_len)
{
  g_autofree char *seen_sum = NULL;
  g_autofree char *history_sum = NULL;

  g_assert_cmpuint (seen->len, <=, history_tx->len);
  g_assert_cmpuint (history_tx->len, <=, sent_len);
  seen_sum = checksum (seen->data, seen->len);
  history_sum = checksum (history_tx->data, seen->len);
  g_assert_cmpstr (seen_sum, ==, history_sum);
  g_assert_true (history_tx->len == 0 || memcmp (history_tx->data, sent, history_tx->len) == 0);
}

static void
assert_same_bytes (const guint8 *a,
                   gsize         a_len,
                   const guint8 *b,
                   gsize         b_len)
{
  g_autofree char *sum_a = checksum (a, a_len);
  g_autofree char *sum_b = checksum (b, b_len);

  g_assert_cmpuint (a_len, ==, b_len);
  g_assert_cmpstr (sum_a, ==, sum_b);
}

/* The server still takes a client and talks with it. */
static void
assert_server_survives (SbSession *server)
{
  g_autofree char *uri = NULL;
  g_autoptr(GBytes) hello = g_bytes_new_static ("still here", 10);
  SbSession *client;
  guint before = n_peers (server);

  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_LISTENING);

  if (sb_session_get_kind (server) == SB_KIND_UNIX_SERVER)
    uri = g_strdup_printf ("unix://%s", sb_session_get_spec (server)->path);
  else
    uri = g_strdup_printf ("tcp://127.0.0.1:%u", local_port (server));

  client = start_ready (uri);
  WAIT_UNTIL (n_peers (server) == before + 1);
  {
    gsize rx = counted_len (server, SB_DIRECTION_RX);

    g_assert_true (sb_session_send (client, NULL, hello, NULL));
    WAIT_UNTIL (counted_len (server, SB_DIRECTION_RX) == rx + 10);
  }
  stop_and_free (client);
  WAIT_UNTIL (n_peers (server) == before);
}

static gboolean
running_under_asan (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return TRUE;
#endif
#endif
  return FALSE;
}

static gsize
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  g_assert_cmpint (sscanf (statm, "%lu %lu", &size, &resident), ==, 2);
  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

static void
fill_pattern (guint8 *data,
              gsize   len,
              guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i + 4 <= len; i += 4)
    {
      guint32 v = g_rand_int (rand);
      memcpy (data + i, &v, 4);
    }
  for (gsize i = len & ~(gsize) 3; i < len; i++)
    data[i] = (guint8) g_rand_int (rand);
}

/* Raw peers: plain non-blocking sockets the test drives by hand */

static int
raw_tcp_connect (guint16 port)
{
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = g_htons (port),
                             .sin_addr.s_addr = g_htonl (INADDR_LOOPBACK) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  struct pollfd pfd = { .fd = fd, .events = POLLOUT };
  int err = 0;
  socklen_t err_len = sizeof err;

  g_assert_cmpint (fd, >=, 0);
  if (connect (fd, (struct sockaddr *) &sin, sizeof sin) != 0)
    g_assert_cmpint (errno, ==, EINPROGRESS);
  g_assert_cmpint (poll (&pfd, 1, FAULT_WAIT_SECONDS * 1000), ==, 1);
  g_assert_cmpint (getsockopt (fd, SOL_SOCKET, SO_ERROR, &err, &err_len), ==, 0);
  g_assert_cmpint (err, ==, 0);
  return fd;
}

static void
raw_reset (int fd)
{
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  /* SO_LINGER 0 turns close() into a reset (RST). */
  g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger), ==, 0);
  close (fd);
}

/* Reads what is there now; returns FALSE at EOF or on a reset. */
static gboolean
raw_read_some (int         fd,
               GByteArray *into)
{
  guint8 buf[64 * 1024];

  for (;;)
    {
      ssize_t n = recv (fd, buf, sizeof buf, 0);

      if (n > 0)
        {
          g_byte_array_append (into, buf, n);
          continue;
        }
      if (n == 0)
        return FALSE;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return TRUE;
      if (errno == EINTR)
        continue;
      return FALSE;
    }
}

/* Reads, letting the session write, until @len bytes came or EOF. */
static void
raw_read_until (int         fd,
                GByteArray *into,
                gsize       len,
                gboolean    until_eof)
{
  gboolean open = TRUE;

  WAIT_UNTIL (((open = raw_read_some (fd, into)), (!open || (!until_eof && into->len >= len))));
  if (until_eof)
    g_assert_false (open);
}

/* Writes all of @data, letting the session read. */
static void
raw_write_all (int           fd,
               const guint8 *data,
               gsize         len)
{
  gsize done = 0;

  WAIT_UNTIL (({
    ssize_t n = send (fd, data + done, MIN (len - done, 256 * 1024), MSG_NOSIGNAL);
    if (n > 0)
      done += n;
    else
      g_assert_true (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR));
    done == len;
  }));
}

/* File sends */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  goffset   last_sent;
  goffset   total;
  guint     calls;
  /* what to do from the progress callback */
  char     *path;
  goffset   truncate_at_sent;  /* -1: never */
  goffset   truncate_to;
  gboolean  unlink_at_start;
} FileResult;

static void
on_progress (goffset  sent,
             goffset  total,
             gpointer data)
{
  FileResult *r = data;

  g_assert_cmpint (sent, >=, r->last_sent);
  r->last_sent = sent;
  r->total = total;
  r->calls++;

  if (r->unlink_at_start && r->calls == 1)
    g_assert_cmpint (g_unlink (r->path), ==, 0);

  if (r->truncate_at_sent >= 0 && sent >= r->truncate_at_sent)
    {
      g_assert_cmpint (truncate (r->path, r->truncate_to), ==, 0);
      r->truncate_at_sent = -1;
    }
}

static void
on_file_sent (GObject      *object,
              GAsyncResult *res,
              gpointer      data)
{
  FileResult *r = data;

  r->ok = sb_session_send_file_finish (SB_SESSION (object), res, &r->error);
  r->done = TRUE;
}

static GBytes *
write_file (const char *path,
            gsize       size,
            guint32     seed)
{
  guint8 *data = g_malloc (size);
  g_autoptr(GError) error = NULL;

  fill_pattern (data, size, seed);
  g_file_set_contents (path, (const char *) data, size, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, size);
}

/* Resets */

static void
test_reset_during_send (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(GByteArray) seen = g_byte_array_new ();
  g_autoptr(GByteArray) tx = NULL;
  gsize total = scaled (6 * 1024 * 1024);
  g_autofree guint8 *payload = g_malloc (total);
  int fd;

  fill_pattern (payload, total, 1);
  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);

  /* Queue more than the kernel buffers hold, in pieces. */
  for (gsize off = 0; off < total; off += 1024 * 1024)
    {
      g_autoptr(GBytes) piece = g_bytes_new (payload + off, MIN (1024 * 1024, total - off));
      g_autoptr(GError) error = NULL;

      g_assert_true (sb_session_send (server, peer_at (server, 0), piece, &error));
      g_assert_no_error (error);
    }

  /* Take a little, then reset with most of it still in flight. */
  raw_read_until (fd, seen, MIN (total / 8, 256 * 1024), FALSE);
  raw_reset (fd);

  WAIT_UNTIL (n_peers (server) == 0);
  g_assert_cmpuint (count_events (server, SB_EVENT_RESET), ==, 1);
  g_assert_cmpuint (count_events (server, SB_EVENT_PEER_CLOSED), ==, 0);

  tx = collect (server, SB_DIRECTION_TX);
  g_assert_cmpuint (tx->len, <, total);
  assert_prefixes (seen, tx, payload, total);

  assert_server_survives (server);
  stop_and_free (server);
}

static void
test_reset_during_file_send (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "reset.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gsize size = scaled (16 * 1024 * 1024);
  g_autoptr(GBytes) contents = write_file (path, size, 2);
  g_autoptr(GByteArray) seen = g_byte_array_new ();
  g_autoptr(GByteArray) tx = NULL;
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  FileResult result = { .truncate_at_sent = -1 };
  int fd;

  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);

  sb_session_send_file_async (server, NULL, file, NULL, on_progress, &result, NULL, on_file_sent, &result);
  raw_read_until (fd, seen, MIN (size / 8, 512 * 1024), FALSE);
  raw_reset (fd);

  WAIT_UNTIL (result.done);
  g_assert_false (result.ok);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_clear_error (&result.error);
  WAIT_UNTIL (n_peers (server) == 0);
  g_assert_cmpuint (count_events (server, SB_EVENT_RESET), ==, 1);

  tx = collect (server, SB_DIRECTION_TX);
  g_assert_cmpuint (tx->len, <, size);
  assert_prefixes (seen, tx, g_bytes_get_data (contents, NULL), size);

  assert_server_survives (server);
  g_unlink (path);
  stop_and_free (server);
}

/* Half-close with data in flight */

static guint
last_position (SbSession   *session,
               SbDirection  direction,
               SbEventKind  event)
{
  SbHistory *history = sb_session_get_history (session);
  guint last = G_MAXUINT;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_direction (history, i) == direction &&
        (direction != SB_DIRECTION_EVENT || sb_history_get_event (history, i) == event))
      last = i;

  return last;
}

/* Our client sends a lot and half-closes at once: the shutdown waits for
 * the queue, and the server sees every byte before the EOF. */
static void
test_half_close_ours_in_flight (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", local_port (server));
  SbSession *client = start_ready (uri);
  gsize total = scaled (6 * 1024 * 1024);
  g_autofree guint8 *payload = g_malloc (total);
  g_autoptr(GByteArray) rx = NULL;
  g_autoptr(GError) error = NULL;
  SbPeer *peer;

  fill_pattern (payload, total, 3);
  WAIT_UNTIL (n_peers (server) == 1);
  peer = peer_at (server, 0);
  g_object_ref (peer);

  for (gsize off = 0; off < total; off += 1024 * 1024)
    {
      g_autoptr(GBytes) piece = g_bytes_new (payload + off, MIN (1024 * 1024, total - off));

      g_assert_true (sb_session_send (client, NULL, piece, &error));
    }
  g_assert_true (sb_session_shutdown_write (client, NULL, &error));
  g_assert_no_error (error);

  WAIT_UNTIL (sb_peer_get_read_closed (peer));
  rx = collect (server, SB_DIRECTION_RX);
  assert_same_bytes (rx->data, rx->len, payload, total);
  g_assert_cmpuint (last_position (server, SB_DIRECTION_RX, 0), <,
                    last_position (server, SB_DIRECTION_EVENT, SB_EVENT_PEER_CLOSED));
  g_assert_cmpuint (count_events (server, SB_EVENT_RESET), ==, 0);
  g_object_unref (peer);

  /* close-on-eof: the server closes too, the client sees its EOF. */
  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_CLOSED);
  WAIT_UNTIL (n_peers (server) == 0);
  {
    g_autoptr(GByteArray) tx = collect (client, SB_DIRECTION_TX);

    assert_same_bytes (tx->data, tx->len, payload, total);
  }

  assert_server_survives (server);
  stop_and_free (client);
  stop_and_free (server);
}

/* The peer sends a lot and half-closes; we keep the connection half-open,
 * answer with a lot, then half-close too. */
static void
test_half_close_theirs_in_flight (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  gsize total = scaled (6 * 1024 * 1024);
  gsize reply_len = scaled (3 * 1024 * 1024);
  g_autofree guint8 *payload = g_malloc (total);
  g_autofree guint8 *reply = g_malloc (reply_len);
  g_autoptr(GByteArray) rx = NULL;
  g_autoptr(GByteArray) tx = NULL;
  g_autoptr(GByteArray) seen = g_byte_array_new ();
  SbPeer *peer;
  int fd;

  sb_session_set_close_on_eof (server, FALSE);
  fill_pattern (payload, total, 4);
  fill_pattern (reply, reply_len, 5);
  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);
  peer = g_object_ref (peer_at (server, 0));

  raw_write_all (fd, payload, total);
  g_assert_cmpint (shutdown (fd, SHUT_WR), ==, 0);

  WAIT_UNTIL (sb_peer_get_read_closed (peer));
  rx = collect (server, SB_DIRECTION_RX);
  assert_same_bytes (rx->data, rx->len, payload, total);
  g_assert_cmpuint (last_position (server, SB_DIRECTION_RX, 0), <,
                    last_position (server, SB_DIRECTION_EVENT, SB_EVENT_PEER_CLOSED));
  g_assert_true (sb_peer_is_connected (peer));

  /* Half-open: our answer still goes through, then our EOF. */
  for (gsize off = 0; off < reply_len; off += 1024 * 1024)
    {
      g_autoptr(GBytes) piece = g_bytes_new (reply + off, MIN (1024 * 1024, reply_len - off));

      g_assert_true (sb_session_send (server, peer, piece, NULL));
    }
  g_assert_true (sb_session_shutdown_write (server, peer, NULL));
  raw_read_until (fd, seen, reply_len, TRUE);
  assert_same_bytes (seen->data, seen->len, reply, reply_len);
  tx = collect (server, SB_DIRECTION_TX);
  assert_same_bytes (tx->data, tx->len, reply, reply_len);

  WAIT_UNTIL (n_peers (server) == 0);
  g_assert_false (sb_peer_is_connected (peer));
  g_assert_cmpuint (count_events (server, SB_EVENT_RESET), ==, 0);
  g_object_unref (peer);
  close (fd);

  sb_session_set_close_on_eof (server, TRUE);
  assert_server_survives (server);
  stop_and_free (server);
}

/* Back-pressure */

/* A peer that never reads while we try to send 100 MB, 1 MB at a time, each
 * a buffer of its own: sends are refused with BUSY once the queue is full,
 * and memory stays bounded. Then the peer reads everything: it gets exactly
 * what the history says was written. */
static void
test_back_pressure_100mb (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  gsize chunk = 1024 * 1024;
  guint attempts = under_valgrind ? 24 : 100;
  guint accepted = 0, busy = 0;
  gsize baseline, peak = 0;
  g_autoptr(GByteArray) sent = g_byte_array_new ();
  g_autoptr(GByteArray) seen = g_byte_array_new ();
  g_autoptr(GByteArray) tx = NULL;
  SbPeer *peer;
  int fd;

  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);
  peer = peer_at (server, 0);
  baseline = rss_bytes ();

  for (guint i = 0; i < attempts; i++)
    {
      guint8 *data = g_malloc (chunk);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      fill_pattern (data, chunk, 100 + i);
      bytes = g_bytes_new_take (data, chunk);
      if (sb_session_send (server, peer, bytes, &error))
        {
          accepted++;
          g_byte_array_append (sent, g_bytes_get_data (bytes, NULL), chunk);
        }
      else
        {
          g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY);
          busy++;
        }
      g_clear_pointer (&bytes, g_bytes_unref);
      drain_main_context ();
      g_assert_cmpuint (sb_peer_get_pending (peer), <=, SB_SESSION_MAX_PENDING + chunk);
      peak = MAX (peak, rss_bytes ());
    }

  g_test_message ("accepted %u MB, refused %u, RSS grew by %zu KB at most",
                  accepted, busy, (peak - MIN (peak, baseline)) / 1024);
  g_assert_cmpuint (busy, >, 0);
  g_assert_cmpuint (accepted + busy, ==, attempts);
  /* the queue, the kernel's buffers and our own copy of what was accepted
   * (AddressSanitizer keeps freed memory in quarantine: RSS says nothing) */
  if (!running_under_asan ())
    g_assert_cmpuint (peak, <, baseline + sent->len + 48 * 1024 * 1024);
  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_LISTENING);
  g_assert_true (sb_peer_is_connected (peer));

  raw_read_until (fd, seen, sent->len, FALSE);
  g_assert_cmpuint (seen->len, ==, sent->len);
  tx = collect (server, SB_DIRECTION_TX);
  assert_same_bytes (seen->data, seen->len, sent->data, sent->len);
  assert_same_bytes (tx->data, tx->len, sent->data, sent->len);

  close (fd);
  WAIT_UNTIL (n_peers (server) == 0);
  assert_server_survives (server);
  stop_and_free (server);
}

/* A file much larger than the window to a peer that does not read: the
 * send waits with bounded memory, and completes once the peer reads. */
static void
test_back_pressure_file (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "big.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gsize size = scaled (64 * 1024 * 1024);
  g_autoptr(GBytes) contents = write_file (path, size, 6);
  g_autoptr(GByteArray) seen = g_byte_array_new ();
  g_autoptr(GByteArray) tx = NULL;
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  FileResult result = { .truncate_at_sent = -1 };
  gsize baseline;
  int fd;

  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);
  baseline = rss_bytes ();

  sb_session_send_file_async (server, NULL, file, NULL, on_progress, &result, NULL, on_file_sent, &result);
  WAIT_UNTIL (result.last_sent > 0);

  /* With the kernel's buffers full, the queue fills up to the window and
   * the file is not read further while the peer does not read. */
  WAIT_UNTIL (sb_peer_get_pending (peer_at (server, 0)) >= 1024 * 1024);
  drain_main_context ();
  g_test_message ("waiting after %" G_GINT64_FORMAT " of %zu bytes, RSS +%zu KB",
                  (gint64) result.last_sent, size, (rss_bytes () - MIN (rss_bytes (), baseline)) / 1024);
  g_assert_false (result.done);
  g_assert_cmpint (result.last_sent, <, (goffset) size);
  g_assert_cmpuint (sb_peer_get_pending (peer_at (server, 0)), <=, 1024 * 1024 + 64 * 1024);
  if (!running_under_asan ())
    g_assert_cmpuint (rss_bytes (), <, baseline + 32 * 1024 * 1024);

  raw_read_until (fd, seen, size, FALSE);
  WAIT_UNTIL (result.done);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  assert_same_bytes (seen->data, seen->len, g_bytes_get_data (contents, NULL), size);
  tx = collect (server, SB_DIRECTION_TX);
  assert_same_bytes (tx->data, tx->len, g_bytes_get_data (contents, NULL), size);

  close (fd);
  g_unlink (path);
  WAIT_UNTIL (n_peers (server) == 0);
  stop_and_free (server);
}

/* Connect storm */

static void
on_peer_connected (SbSession *session,
                   SbPeer    *peer,
                   gpointer   data)
{
  (*(guint *) data)++;
}

/* 10,000 connections opened and closed as fast as a non-blocking client
 * can, in batches that fit the listen backlog; half end with FIN, half with
 * RST. Every one is seen, none stays in the peers list, no descriptor
 * leaks, and the server still works. */
static void
test_connect_storm (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  guint16 port = local_port (server);
  guint total = under_valgrind ? 500 : 10000;
  guint batch = 250;
  guint connected = 0;
  guint fds_before;
  gint64 start = g_get_monotonic_time ();
  struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = g_htons (port),
                             .sin_addr.s_addr = g_htonl (INADDR_LOOPBACK) };

  g_signal_connect (server, "peer-connected", G_CALLBACK (on_peer_connected), &connected);
  /* 2 × 10,000 events would be kept anyway; keep the store small. */
  sb_history_set_limits (sb_session_get_history (server), 1000, 1024 * 1024);
  fds_before = n_open_fds ();

  for (guint done = 0; done < total; done += batch)
    {
      int fds[250];
      struct pollfd pfds[250];
      guint n = MIN (batch, total - done);
      guint open_fds = 0;

      for (guint i = 0; i < n; i++)
        {
          fds[i] = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
          g_assert_cmpint (fds[i], >=, 0);
          if (connect (fds[i], (struct sockaddr *) &sin, sizeof sin) != 0)
            g_assert_cmpint (errno, ==, EINPROGRESS);
          pfds[i].fd = fds[i];
          pfds[i].events = POLLOUT;
        }

      /* Wait for the handshakes (the kernel completes them; accept() is the
       * session's business), letting the session accept meanwhile. */
      WAIT_UNTIL (({
        guint ready = 0;
        g_assert_cmpint (poll (pfds, n, 0), >=, 0);
        for (guint i = 0; i < n; i++)
          ready += (pfds[i].revents & (POLLOUT | POLLERR | POLLHUP)) != 0;
        ready == n;
      }));

      for (guint i = 0; i < n; i++)
        {
          int err = 0;
          socklen_t err_len = sizeof err;

          g_assert_cmpint (getsockopt (fds[i], SOL_SOCKET, SO_ERROR, &err, &err_len), ==, 0);
          g_assert_cmpint (err, ==, 0);
          if ((done + i) % 2)
            raw_reset (fds[i]);
          else
            close (fds[i]);
          open_fds++;
        }
      g_assert_cmpuint (open_fds, ==, n);

      WAIT_UNTIL (connected == done + n);
    }

  WAIT_UNTIL (n_peers (server) == 0);
  g_test_message ("%u connections in %.2f s", total,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (connected, ==, total);
  g_assert_cmpuint (n_open_fds (), <=, fds_before);

  g_signal_handlers_disconnect_by_func (server, on_peer_connected, &connected);
  assert_server_survives (server);
  stop_and_free (server);
}

/* Datagrams */

static int
raw_udp_socket (int family)
{
  int fd = socket (family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int size = 1024 * 1024;

  g_assert_cmpint (fd, >=, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  return fd;
}

/* The largest and the empty datagram, both ways, from and to a plain
 * socket: each is one record holding exactly its bytes, and an empty
 * datagram from a new sender makes it a peer. */
static void
test_udp_extremes (gconstpointer data)
{
  gboolean v6 = GPOINTER_TO_INT (data);
  int family = v6 ? AF_INET6 : AF_INET;
  gsize max = v6 ? 65527 : 65507;  /* 65535 − 8 (UDP) − 20 (IPv4 header) */
  g_autofree guint8 *big = g_malloc (max);
  g_autoptr(GByteArray) rx = NULL;
  struct sockaddr_storage to = { 0 }, raw_addr = { 0 };
  socklen_t to_len, raw_len = sizeof raw_addr;
  SbSession *session;
  SbHistory *history;
  SbPeer *sender;
  guint8 buf[70000];
  ssize_t n;
  int fd;

  if (v6 && !have_ipv6 ())
    {
      g_test_skip ("IPv6 loopback is not available");
      return;
    }

  fill_pattern (big, max, 7);
  session = start_ready (v6 ? "udp-listen://[::1]:0" : "udp-listen://127.0.0.1:0");
  history = sb_session_get_history (session);
  fd = raw_udp_socket (family);

  if (v6)
    {
      struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &to;
      sin6->sin6_family = AF_INET6;
      sin6->sin6_addr = in6addr_loopback;
      sin6->sin6_port = g_htons (local_port (session));
      to_len = sizeof *sin6;
    }
  else
    {
      struct sockaddr_in *sin = (struct sockaddr_in *) &to;
      sin->sin_family = AF_INET;
      sin->sin_addr.s_addr = g_htonl (INADDR_LOOPBACK);
      sin->sin_port = g_htons (local_port (session));
      to_len = sizeof *sin;
    }

  /* In: empty first, from a sender never seen, then the largest. */
  g_assert_cmpint (sendto (fd, "", 0, 0, (struct sockaddr *) &to, to_len), ==, 0);
  WAIT_UNTIL (n_peers (session) == 1);
  sender = sb_session_get_last_sender (session);
  g_assert_nonnull (sender);
  g_assert_cmpuint (sb_peer_get_rx_messages (sender), ==, 1);
  g_assert_cmpuint (sb_peer_get_rx_bytes (sender), ==, 0);

  g_assert_cmpint (sendto (fd, big, max, 0, (struct sockaddr *) &to, to_len), ==, (ssize_t) max);
  WAIT_UNTIL (counted_len (session, SB_DIRECTION_RX) == max);
  rx = collect (session, SB_DIRECTION_RX);
  assert_same_bytes (rx->data, rx->len, big, max);
  g_assert_cmpuint (sb_peer_get_rx_messages (sender), ==, 2);

  /* Out: to the sender, the largest and the empty one. */
  {
    g_autoptr(GBytes) large = g_bytes_new (big, max);
    g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
    g_autoptr(GError) error = NULL;

    g_assert_true (sb_session_send (session, sender, large, &error));
    g_assert_no_error (error);
    g_assert_true (sb_session_send (session, sender, empty, &error));
    g_assert_no_error (error);
  }

  WAIT_UNTIL ((n = recvfrom (fd, buf, sizeof buf, 0, (struct sockaddr *) &raw_addr, &raw_len)) >= 0);
  assert_same_bytes (buf, n, big, max);
  WAIT_UNTIL ((n = recv (fd, buf, sizeof buf, 0)) >= 0);
  g_assert_cmpint (n, ==, 0);

  {
    g_autoptr(GByteArray) tx = collect (session, SB_DIRECTION_TX);
    guint tx_records = 0, rx_records = 0;

    assert_same_bytes (tx->data, tx->len, big, max);
    for (guint i = 0; i < sb_history_get_n_records (history); i++)
      {
        tx_records += sb_history_get_direction (history, i) == SB_DIRECTION_TX;
        rx_records += sb_history_get_direction (history, i) == SB_DIRECTION_RX;
      }
    g_assert_cmpuint (tx_records, ==, 2);
    g_assert_cmpuint (rx_records, ==, 2);
  }

  close (fd);
  g_assert_cmpint (sb_session_get_state (session), ==, SB_SESSION_STATE_LISTENING);
  stop_and_free (session);
}

/* UNIX datagrams can be larger than any UDP datagram. The session reads at
 * most 64 KiB of one: what it keeps is the datagram's first 64 KiB, and an
 * INFO event says it was cut. (The history cannot hold "exactly what
 * crossed" here; it says so.) */
static void
test_unix_datagram_too_large (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "big.dgram", NULL);
  g_autofree char *uri = g_strdup_printf ("unixgram://?bind=%s", path);
  gsize size = 100000;
  g_autofree guint8 *big = g_malloc (size);
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  g_autoptr(GByteArray) rx = NULL;
  SbSession *session;
  int fd, sndbuf = 1024 * 1024;

  fill_pattern (big, size, 8);
  session = start_ready (uri);
  fd = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  setsockopt (fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  g_strlcpy (sun.sun_path, path, sizeof sun.sun_path);
  g_assert_cmpint (sendto (fd, big, size, 0, (struct sockaddr *) &sun, sizeof sun), ==, (ssize_t) size);

  WAIT_UNTIL (counted_len (session, SB_DIRECTION_RX) > 0);
  rx = collect (session, SB_DIRECTION_RX);
  g_assert_cmpuint (rx->len, ==, 64 * 1024);
  g_assert_true (memcmp (rx->data, big, rx->len) == 0);
  g_assert_true (has_event_containing (session, SB_EVENT_INFO, "was cut"));
  g_assert_cmpint (sb_session_get_state (session), ==, SB_SESSION_STATE_LISTENING);

  close (fd);
  stop_and_free (session);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* ICMP port unreachable for a burst of datagrams (test-session checks one
 * datagram). SbDatagram turns on IP_RECVERR, so each ICMP error is queued
 * on the socket and shown as an event; the kernel also keeps the latest as
 * the socket's pending error and hands it to the next sendto() instead of
 * sending. SbDatagram sends such a datagram again: every send of the burst
 * goes out and is recorded, and the errors are shown. */
static void
test_udp_port_unreachable_burst (void)
{
  g_autofree char *uri = NULL;
  struct sockaddr_in closed = { .sin_family = AF_INET, .sin_addr.s_addr = g_htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof closed;
  g_autoptr(GBytes) bytes = g_bytes_new_static ("anyone?", 7);
  SbSession *session;
  guint sent = 0, refused = 0;
  int holder;

  /* A port nobody listens on: bound, then closed. */
  holder = socket (AF_INET, SOCK_DGRAM, 0);
  g_assert_cmpint (bind (holder, (struct sockaddr *) &closed, sizeof closed), ==, 0);
  g_assert_cmpint (getsockname (holder, (struct sockaddr *) &closed, &len), ==, 0);
  close (holder);

  uri = g_strdup_printf ("udp://127.0.0.1:%u", g_ntohs (closed.sin_port));
  session = start_ready (uri);

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GError) error = NULL;

      if (sb_session_send (session, NULL, bytes, &error))
        sent++;
      else
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
          refused++;
        }
    }
  g_test_message ("burst of 8: %u sent, %u refused by a pending ICMP error", sent, refused);
  g_assert_cmpuint (sent, ==, 8);
  g_assert_cmpuint (refused, ==, 0);

  WAIT_UNTIL (has_event_containing (session, SB_EVENT_ERROR, "port unreachable"));
  g_assert_cmpint (sb_session_get_state (session), ==, SB_SESSION_STATE_CONNECTED);
  g_assert_cmpuint (counted_len (session, SB_DIRECTION_TX), ==, 7 * sent);
  {
    g_autoptr(GByteArray) tx = collect (session, SB_DIRECTION_TX);

    g_assert_cmpuint (tx->len, ==, 7 * sent);
  }

  /* Once the loop has shown the errors, sending works again. */
  drain_main_context ();
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (sb_session_send (session, NULL, bytes, &error));
    g_assert_no_error (error);
  }

  stop_and_free (session);
}

/* UNIX socket paths */

/* Another server is listening on the path: we fail with "in use", leave its
 * socket alone, and it keeps working. */
static void
test_unix_path_live (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "live.sock", NULL);
  g_autofree char *uri = g_strdup_printf ("unix-listen://%s", path);
  SbSession *first = start_ready (uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, &error);
  SbSession *second = sb_session_new (spec);

  sb_session_start (second);
  WAIT_UNTIL (sb_session_get_state (second) == SB_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (sb_session_get_error (second)->message, "in use"));
  sb_session_stop (second);
  g_assert_finalize_object (second);

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_server_survives (first);
  stop_and_free (first);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A path longer than sun_path holds, in a spec made by hand (the URI parser
 * already refuses it): the session fails with a clear message and creates
 * nothing. */
static void
test_unix_path_too_long (gconstpointer data)
{
  SbKind kind = GPOINTER_TO_INT (data);
  g_autoptr(SbSessionSpec) spec = sb_session_spec_new (kind);
  g_autoptr(GString) path = g_string_new (sb_test_tmpdir);
  SbSession *session;
  const char *message;

  g_string_append_c (path, '/');
  while (path->len < 150)
    g_string_append_c (path, 'x');
  if (kind == SB_KIND_UNIX_DGRAM)
    spec->bind_path = g_strdup (path->str);
  else
    spec->path = g_strdup (path->str);

  session = sb_session_new (spec);
  sb_session_start (session);
  WAIT_UNTIL (sb_session_get_state (session) == SB_SESSION_STATE_FAILED);
  message = sb_session_get_error (session)->message;
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "150 bytes"));
  g_assert_false (g_file_test (path->str, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (session);
}

/* A client connecting to a socket in a folder it may not enter. */
static void
test_unix_path_no_permission (void)
{
  g_autofree char *dir = g_build_filename (sb_test_tmpdir, "closed", NULL);
  g_autofree char *path = g_build_filename (dir, "s.sock", NULL);
  g_autofree char *listen_uri = g_strdup_printf ("unix-listen://%s", path);
  g_autofree char *uri = g_strdup_printf ("unix://%s", path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;
  SbSession *server, *client;

  if (geteuid () == 0)
    {
      g_test_skip ("running as root, which folder permissions do not stop");
      return;
    }

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  server = start_ready (listen_uri);
  g_assert_cmpint (g_chmod (dir, 0), ==, 0);

  spec = sb_session_spec_parse (uri, &error);
  client = sb_session_new (spec);
  sb_session_start (client);
  WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (sb_session_get_error (client)->message, "ermission"));
  g_assert_finalize_object (client);

  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  stop_and_free (server);
  g_rmdir (dir);
}

/* While we listen, someone removes our socket file and another program
 * binds the same path. Stopping must not remove the other program's
 * socket. */
static void
test_unix_path_replaced (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "replaced.sock", NULL);
  g_autofree char *uri = g_strdup_printf ("unix-listen://%s", path);
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  SbSession *server = start_ready (uri);
  int other;

  g_assert_cmpint (g_unlink (path), ==, 0);
  other = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_strlcpy (sun.sun_path, path, sizeof sun.sun_path);
  g_assert_cmpint (bind (other, (struct sockaddr *) &sun, sizeof sun), ==, 0);
  g_assert_cmpint (listen (other, 1), ==, 0);

  stop_and_free (server);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  close (other);
  g_unlink (path);
}

/* Files that change while they are sent */

/* Removed right after it was opened: the open file is still read whole. */
static void
test_file_removed_after_open (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "removed.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gsize size = scaled (3 * 1024 * 1024);
  g_autoptr(GBytes) contents = write_file (path, size, 9);
  g_autoptr(GByteArray) seen = g_byte_array_new ();
  g_autoptr(GByteArray) tx = NULL;
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  FileResult result = { .truncate_at_sent = -1, .unlink_at_start = TRUE };
  int fd;

  result.path = path;
  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);

  sb_session_send_file_async (server, NULL, file, NULL, on_progress, &result, NULL, on_file_sent, &result);
  raw_read_until (fd, seen, size, FALSE);
  WAIT_UNTIL (result.done);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  assert_same_bytes (seen->data, seen->len, g_bytes_get_data (contents, NULL), size);
  tx = collect (server, SB_DIRECTION_TX);
  assert_same_bytes (tx->data, tx->len, g_bytes_get_data (contents, NULL), size);

  close (fd);
  WAIT_UNTIL (n_peers (server) == 0);
  assert_server_survives (server);
  stop_and_free (server);
}

/* Removed before the send starts: a clear error, nothing sent. */
static void
test_file_removed_before (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "gone.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  FileResult result = { .truncate_at_sent = -1 };
  int fd;

  g_bytes_unref (write_file (path, 1000, 10));
  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);

  g_assert_cmpint (g_unlink (path), ==, 0);
  sb_session_send_file_async (server, NULL, file, NULL, on_progress, &result, NULL, on_file_sent, &result);
  WAIT_UNTIL (result.done);
  g_assert_false (result.ok);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (result.error->message, "gone.bin"));
  g_clear_error (&result.error);
  g_assert_cmpuint (counted_len (server, SB_DIRECTION_TX), ==, 0);
  g_assert_cmpuint (count_events (server, SB_EVENT_ERROR), ==, 1);
  g_assert_true (sb_peer_is_connected (peer_at (server, 0)));

  close (fd);
  WAIT_UNTIL (n_peers (server) == 0);
  assert_server_survives (server);
  stop_and_free (server);
}

/* Truncated from the progress callback after @at bytes went out, to @to:
 * the send ends early and says so; what went out is the file's start. */
static void
test_file_shrinks (gconstpointer data)
{
  const goffset *cut = data;
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "shrinks.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gsize size = 4 * 1024 * 1024;
  g_autoptr(GBytes) contents = write_file (path, size, 11);
  g_autoptr(GByteArray) seen = g_byte_array_new ();
  g_autoptr(GByteArray) tx = NULL;
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  FileResult result = { 0 };
  int fd;

  result.path = path;
  result.truncate_at_sent = cut[0];
  result.truncate_to = cut[1];
  fd = raw_tcp_connect (local_port (server));
  WAIT_UNTIL (n_peers (server) == 1);

  sb_session_send_file_async (server, NULL, file, NULL, on_progress, &result, NULL, on_file_sent, &result);
  WAIT_UNTIL (({ raw_read_some (fd, seen); result.done; }));
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpint (result.last_sent, <, (goffset) size);
  g_assert_cmpint (result.last_sent, >=, cut[1]);
  g_assert_true (has_event_containing (server, SB_EVENT_INFO, "became shorter"));

  raw_read_until (fd, seen, result.last_sent, FALSE);
  tx = collect (server, SB_DIRECTION_TX);
  g_assert_cmpuint (tx->len, ==, result.last_sent);
  assert_same_bytes (seen->data, seen->len, tx->data, tx->len);
  g_assert_true (tx->len == 0 || memcmp (tx->data, g_bytes_get_data (contents, NULL), tx->len) == 0);

  close (fd);
  g_unlink (path);
  WAIT_UNTIL (n_peers (server) == 0);
  assert_server_survives (server);
  stop_and_free (server);
}

int
main (int   argc,
      char *argv[])
{
  static const goffset shrink_at_start[2] = { 0, 0 };           /* to nothing, before the first read */
  static const goffset shrink_mid[2] = { 256 * 1024, 100000 };  /* below what was already read */

  sb_test_init (&argc, &argv);
  under_valgrind = g_getenv ("SOCKBENCH_TEST_VALGRIND") != NULL;

  g_test_add_func ("/faults/tcp/reset-during-send", test_reset_during_send);
  g_test_add_func ("/faults/tcp/reset-during-file-send", test_reset_during_file_send);
  g_test_add_func ("/faults/tcp/half-close-ours-in-flight", test_half_close_ours_in_flight);
  g_test_add_func ("/faults/tcp/half-close-theirs-in-flight", test_half_close_theirs_in_flight);
  g_test_add_func ("/faults/tcp/back-pressure-100mb", test_back_pressure_100mb);
  g_test_add_func ("/faults/tcp/back-pressure-file", test_back_pressure_file);
  g_test_add_func ("/faults/tcp/connect-storm", test_connect_storm);
  g_test_add_data_func ("/faults/udp/extremes/ipv4", GINT_TO_POINTER (FALSE), test_udp_extremes);
  g_test_add_data_func ("/faults/udp/extremes/ipv6", GINT_TO_POINTER (TRUE), test_udp_extremes);
  g_test_add_func ("/faults/udp/port-unreachable-burst", test_udp_port_unreachable_burst);
  g_test_add_func ("/faults/unix/datagram-too-large", test_unix_datagram_too_large);
  g_test_add_func ("/faults/unix/path-live", test_unix_path_live);
  g_test_add_data_func ("/faults/unix/path-too-long/server", GINT_TO_POINTER (SB_KIND_UNIX_SERVER), test_unix_path_too_long);
  g_test_add_data_func ("/faults/unix/path-too-long/client", GINT_TO_POINTER (SB_KIND_UNIX_CLIENT), test_unix_path_too_long);
  g_test_add_data_func ("/faults/unix/path-too-long/datagram", GINT_TO_POINTER (SB_KIND_UNIX_DGRAM), test_unix_path_too_long);
  g_test_add_func ("/faults/unix/path-no-permission", test_unix_path_no_permission);
  g_test_add_func ("/faults/unix/path-replaced", test_unix_path_replaced);
  g_test_add_func ("/faults/file/removed-before", test_file_removed_before);
  g_test_add_func ("/faults/file/removed-after-open", test_file_removed_after_open);
  g_test_add_data_func ("/faults/file/shrinks-to-nothing", shrink_at_start, test_file_shrinks);
  g_test_add_data_func ("/faults/file/shrinks-mid-send", shrink_mid, test_file_shrinks);

  return sb_test_run ();
}
