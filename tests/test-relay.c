/* test-relay.c — a relay between a client and a server: bytes exact both
 * ways, half-close and reset carried through, each fault measured,
 * intercept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real loopback sockets, kernel-chosen ports, every wait bounded. The
 * client and the server are plain non-blocking sockets driven by the same
 * main context as the relay.
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sb-relay.h"
#include "sb-session-setup.h"
#include "sb-sessions.h"
#include "sb-test-util.h"

#define BULK_WAIT_SECONDS 60

#undef WAIT_UNTIL
#define WAIT_UNTIL(expr) G_STMT_START {                                             \
    gint64 _deadline = g_get_monotonic_time () + BULK_WAIT_SECONDS * G_USEC_PER_SEC; \
    guint _tick = g_timeout_add (10, sb_test_tick, NULL);                           \
    while (!(expr))                                                                 \
      {                                                                             \
        if (g_get_monotonic_time () > _deadline)                                    \
          g_error ("timed out waiting for %s", #expr);                              \
        g_main_context_iteration (NULL, TRUE);                                      \
      }                                                                             \
    g_source_remove (_tick);                                                        \
  } G_STMT_END

/* One end of a conversation: sends what it is given, keeps what it reads. */
typedef struct
{
  GSocket    *socket;
  GSource    *in;
  GSource    *out;
  GBytes     *to_send;
  gsize       sent;
  gboolean    shut_after;
  gboolean    shut;
  gboolean    keep_reading;

  GByteArray *received;
  GChecksum  *sum;
  gsize       n_received;
  GArray     *read_sizes;   /* gsize */
  GArray     *read_times;   /* gint64, monotonic */
  guint       n_datagrams;
  gboolean    eof;
  gboolean    reset;
} End;

static gboolean end_on_in (GSocket *socket, GIOCondition condition, gpointer data);

static End *
end_new (GSocket *socket)
{
  End *end = g_new0 (End, 1);

  end->socket = socket;
  g_socket_set_blocking (socket, FALSE);
  end->received = g_byte_array_new ();
  end->sum = g_checksum_new (G_CHECKSUM_SHA256);
  end->read_sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  end->read_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  end->keep_reading = TRUE;
  end->in = g_socket_create_source (socket, G_IO_IN, NULL);
  g_source_set_callback (end->in, G_SOURCE_FUNC (end_on_in), end, NULL);
  g_source_attach (end->in, NULL);

  return end;
}

static void
end_free (End *end)
{
  if (end->in != NULL)
    {
      g_source_destroy (end->in);
      g_source_unref (end->in);
    }
  if (end->out != NULL)
    {
      g_source_destroy (end->out);
      g_source_unref (end->out);
    }
  g_clear_pointer (&end->to_send, g_bytes_unref);
  g_byte_array_unref (end->received);
  g_checksum_free (end->sum);
  g_array_unref (end->read_sizes);
  g_array_unref (end->read_times);
  g_object_unref (end->socket);
  g_free (end);
}

static gboolean
end_on_in (GSocket      *socket,
           GIOCondition  condition,
           gpointer      data)
{
  End *end = data;
  char buffer[65536];

  if (!end->keep_reading)
    return G_SOURCE_CONTINUE;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      gint64 now = g_get_monotonic_time ();

      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          end->reset = TRUE;
          g_clear_pointer (&end->in, g_source_unref);
          return G_SOURCE_REMOVE;
        }
      if (n == 0 && g_socket_get_socket_type (socket) == G_SOCKET_TYPE_STREAM)
        {
          end->eof = TRUE;
          g_clear_pointer (&end->in, g_source_unref);
          return G_SOURCE_REMOVE;
        }

      g_byte_array_append (end->received, (guint8 *) buffer, n);
      g_checksum_update (end->sum, (guint8 *) buffer, n);
      end->n_received += n;
      end->n_datagrams++;
      g_array_append_val (end->read_sizes, n);
      g_array_append_val (end->read_times, now);
    }
}

static void end_flush (End *end);

static gboolean
end_on_out (GSocket      *socket,
            GIOCondition  condition,
            gpointer      data)
{
  End *end = data;

  g_clear_pointer (&end->out, g_source_unref);
  end_flush (end);
  return G_SOURCE_REMOVE;
}

static void
end_flush (End *end)
{
  gsize len = 0;
  const char *data = end->to_send ? g_bytes_get_data (end->to_send, &len) : NULL;

  while (end->sent < len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (end->socket, data + end->sent, len - end->sent, NULL, &error);

      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              end->out = g_socket_create_source (end->socket, G_IO_OUT, NULL);
              g_source_set_callback (end->out, G_SOURCE_FUNC (end_on_out), end, NULL);
              g_source_attach (end->out, NULL);
              return;
            }
          end->reset = TRUE;
          return;
        }
      end->sent += n;
    }

  if (end->shut_after && !end->shut)
    {
      g_assert_true (g_socket_shutdown (end->socket, FALSE, TRUE, NULL));
      end->shut = TRUE;
    }
}

static void
end_send (End      *end,
          GBytes   *bytes,
          gboolean  shut_after)
{
  g_assert_null (end->to_send);
  end->to_send = g_bytes_ref (bytes);
  end->sent = 0;
  end->shut_after = shut_after;
  end_flush (end);
}

static void
end_send_text (End        *end,
               const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_socket_send (end->socket, text, strlen (text), NULL, &error), ==, strlen (text));
  g_assert_no_error (error);
}

static GBytes *
random_bytes (gsize   len,
              guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (len + 4);

  for (gsize i = 0; i < len; i += 4)
    {
      guint32 word = g_rand_int (rand);

      memcpy (data + i, &word, 4);
    }
  g_rand_free (rand);

  return g_bytes_new_take (data, len);
}

/* Under valgrind (tools/test --valgrind) everything is slower: timings get
 * a wider margin, which the plain run keeps at ±10 ms. */
static gboolean under_valgrind;

static gint64
margin_ms (void)
{
  /* Instrumented builds run slower: there the delay is checked for being
   * at least the setting, and bounded loosely. */
#if defined(__SANITIZE_THREAD__)
  return 300;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
  return 300;
#endif
#endif
  /* Plain builds: the lower bound is the check; the upper one only says a
   * write was not held much longer, with room for a busy machine (two
   * cores shared with other builds held a 100 ms delay 119 ms). */
  return under_valgrind ? 300 : 60;
}

static char *
sha256 (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* A server on loopback and a relay in front of it */

typedef struct
{
  GSocket   *listener;
  char      *upstream;    /* "127.0.0.1:PORT" or a path */
  char      *path;
  SbSession *relay;
  End       *client;
  End       *server;
} Fixture;

static GSocket *
listen_inet (GSocketType  type,
             char       **where)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, G_SOCKET_PROTOCOL_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  if (type == G_SOCKET_TYPE_STREAM)
    g_assert_true (g_socket_listen (socket, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  *where = g_strdup_printf ("127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_set_blocking (socket, FALSE);

  return socket;
}

static GSocket *
connect_to (GSocketAddress *address,
            GSocketType     type)
{
  g_autoptr(GError) error = NULL;
  GSocket *socket = g_socket_new (g_socket_address_get_family (address), type,
                                  G_SOCKET_PROTOCOL_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);

  return socket;
}

static GSocket *
accept_one (GSocket *listener)
{
  GSocket *accepted = NULL;

  WAIT_UNTIL ((accepted = g_socket_accept (listener, NULL, NULL)) != NULL);
  return accepted;
}

/* Starts a relay of @scheme in front of a fresh server, connects a client
 * through it and accepts the relayed connection. */
static void
fixture_setup (Fixture    *f,
               const char *scheme)
{
  g_autofree char *uri = NULL;
  gboolean unix_kind = g_str_equal (scheme, "relay-unix");
  gboolean datagram = g_str_equal (scheme, "relay-udp");
  GSocketType type = datagram ? G_SOCKET_TYPE_DATAGRAM : G_SOCKET_TYPE_STREAM;
  g_autoptr(GSocketAddress) relay_address = NULL;

  if (unix_kind)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketAddress) address = NULL;
      static guint n;

      f->upstream = g_strdup_printf ("%s/server-%u.sock", sb_test_tmpdir, ++n);
      f->path = g_strdup_printf ("%s/relay-%u.sock", sb_test_tmpdir, n);
      address = g_unix_socket_address_new (f->upstream);
      f->listener = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
      g_assert_true (g_socket_bind (f->listener, address, FALSE, &error));
      g_assert_true (g_socket_listen (f->listener, &error));
      g_socket_set_blocking (f->listener, FALSE);
      uri = g_strdup_printf ("relay-unix://%s?to=%s", f->path, f->upstream);
    }
  else
    {
      f->listener = listen_inet (type, &f->upstream);
      uri = g_strdup_printf ("%s://127.0.0.1:0?to=%s", scheme, f->upstream);
    }

  f->relay = start_ready (uri);
  sb_session_relay_set_seed (f->relay, 1234);

  relay_address = g_object_ref (sb_session_get_local_address (f->relay));
  if (datagram)
    {
      f->client = end_new (connect_to (relay_address, type));
      /* The server's end is its bound socket; it answers whoever wrote. */
      f->server = end_new (g_object_ref (f->listener));
      return;
    }

  f->client = end_new (connect_to (relay_address, type));
  f->server = end_new (accept_one (f->listener));
}

static void
fixture_teardown (Fixture *f)
{
  g_clear_pointer (&f->client, end_free);
  g_clear_pointer (&f->server, end_free);
  stop_and_free (f->relay);
  g_socket_close (f->listener, NULL);
  g_clear_object (&f->listener);
  if (f->upstream != NULL && f->path != NULL)
    g_unlink (f->upstream);
  g_clear_pointer (&f->upstream, g_free);
  g_clear_pointer (&f->path, g_free);
}

static void
set_fault (SbSession        *relay,
           SbRelayDirection  direction,
           const char       *name,
           const char       *value)
{
  g_autoptr(GError) error = NULL;
  SbRelayFaults faults;
  SbRelayDirection which;

  g_assert_true (sb_session_relay_get_faults (relay, direction, &faults));
  g_assert_true (sb_relay_faults_parse (&faults, name, value, &which, &error));
  g_assert_no_error (error);
  g_assert_true (sb_session_relay_set_faults (relay, direction, &faults, &error));
  g_assert_no_error (error);
}

static guint
count_events_containing (SbSession   *session,
                         SbEventKind  kind,
                         const char  *text)
{
  SbHistory *history = sb_session_get_history (session);
  guint n = 0;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      g_autofree char *message = NULL;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT ||
          sb_history_get_event (history, i) != kind)
        continue;
      message = sb_history_decode (history, i, "UTF-8", 0, NULL);
      if (text == NULL || strstr (message, text) != NULL)
        n++;
    }

  return n;
}

/* Bytes exact, both ways, with the half-close carried through */

static void
check_bulk (Fixture *f,
            gsize    size)
{
  g_autoptr(GBytes) up = random_bytes (size, 1);
  g_autoptr(GBytes) down = random_bytes (size, 2);
  g_autofree char *up_sum = sha256 (up);
  g_autofree char *down_sum = sha256 (down);
  g_autoptr(GByteArray) rx = NULL;
  g_autoptr(GByteArray) tx = NULL;
  g_autoptr(GBytes) rx_bytes = NULL;
  g_autoptr(GBytes) tx_bytes = NULL;
  g_autofree char *rx_sum = NULL;
  g_autofree char *tx_sum = NULL;

  end_send (f->client, up, TRUE);
  end_send (f->server, down, TRUE);

  WAIT_UNTIL (f->server->eof && f->client->eof);
  g_assert_false (f->server->reset);
  g_assert_false (f->client->reset);
  g_assert_cmpuint (f->server->n_received, ==, size);
  g_assert_cmpuint (f->client->n_received, ==, size);
  g_assert_cmpstr (g_checksum_get_string (f->server->sum), ==, up_sum);
  g_assert_cmpstr (g_checksum_get_string (f->client->sum), ==, down_sum);

  /* The history holds what each side sent: rx from the client, tx from the server. */
  rx = collect (f->relay, SB_DIRECTION_RX);
  tx = collect (f->relay, SB_DIRECTION_TX);
  rx_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&rx));
  tx_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&tx));
  rx_sum = sha256 (rx_bytes);
  tx_sum = sha256 (tx_bytes);
  g_assert_cmpstr (rx_sum, ==, up_sum);
  g_assert_cmpstr (tx_sum, ==, down_sum);

  /* Both EOFs were seen and passed on; then the pair ended. */
  WAIT_UNTIL (n_peers (f->relay) == 0);
  g_assert_cmpuint (count_events (f->relay, SB_EVENT_PEER_CLOSED), ==, 1);
  g_assert_cmpuint (count_events (f->relay, SB_EVENT_HALF_CLOSED), ==, 1);
  g_assert_cmpuint (count_events (f->relay, SB_EVENT_DISCONNECTED), ==, 1);
  g_assert_cmpuint (count_events (f->relay, SB_EVENT_RESET), ==, 0);
}

static void
test_tcp_bulk (Fixture       *f,
               gconstpointer  data)
{
  check_bulk (f, 1024 * 1024);
}

static void
test_unix_bulk (Fixture       *f,
                gconstpointer  data)
{
  check_bulk (f, 1024 * 1024);
}

static void
test_half_close (Fixture       *f,
                 gconstpointer  data)
{
  /* The client is done; the server still answers, then closes. */
  g_autoptr(GBytes) request = g_bytes_new_static ("question", 8);
  g_autoptr(GBytes) answer = g_bytes_new_static ("answer after EOF", 16);

  end_send (f->client, request, TRUE);
  WAIT_UNTIL (f->server->eof);
  g_assert_cmpmem (f->server->received->data, f->server->received->len, "question", 8);
  g_assert_false (f->client->eof);
  g_assert_cmpuint (n_peers (f->relay), ==, 1);

  end_send (f->server, answer, FALSE);
  WAIT_UNTIL (f->client->n_received == 16);
  g_assert_cmpmem (f->client->received->data, 16, "answer after EOF", 16);
  g_assert_false (f->client->eof);

  g_assert_true (g_socket_shutdown (f->server->socket, FALSE, TRUE, NULL));
  WAIT_UNTIL (f->client->eof);
  WAIT_UNTIL (n_peers (f->relay) == 0);
  g_assert_cmpuint (count_events (f->relay, SB_EVENT_RESET), ==, 0);
}

static void
reset_socket (GSocket *socket)
{
  struct linger linger = { 1, 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger), ==, 0);
  g_socket_close (socket, NULL);
}

static void
test_reset_from_client (Fixture       *f,
                        gconstpointer  data)
{
  end_send_text (f->client, "before the reset");
  WAIT_UNTIL (f->server->n_received == 16);

  g_source_destroy (f->client->in);
  g_clear_pointer (&f->client->in, g_source_unref);
  reset_socket (f->client->socket);

  WAIT_UNTIL (f->server->reset || f->server->eof);
  g_assert_true (f->server->reset);
  g_assert_false (f->server->eof);
  WAIT_UNTIL (n_peers (f->relay) == 0);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_RESET, "client"), ==, 1);
}

static void
test_reset_from_server (Fixture       *f,
                        gconstpointer  data)
{
  end_send_text (f->server, "bye");
  WAIT_UNTIL (f->client->n_received == 3);

  g_source_destroy (f->server->in);
  g_clear_pointer (&f->server->in, g_source_unref);
  reset_socket (f->server->socket);

  WAIT_UNTIL (f->client->reset || f->client->eof);
  g_assert_true (f->client->reset);
  WAIT_UNTIL (n_peers (f->relay) == 0);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_RESET, "server"), ==, 1);
}

/* Faults */

static void
test_delay (Fixture       *f,
            gconstpointer  data)
{
  const gint64 setting[] = { 100, 50 };

  set_fault (f->relay, SB_RELAY_TO_SERVER, "delay", "100");
  set_fault (f->relay, SB_RELAY_TO_CLIENT, "delay", "50");

  for (guint round = 0; round < 3; round++)
    {
      gint64 sent;
      gint64 took;

      sent = g_get_monotonic_time ();
      end_send_text (f->client, "ping");
      WAIT_UNTIL (f->server->read_times->len == round + 1);
      took = (g_array_index (f->server->read_times, gint64, round) - sent) / 1000;
      g_assert_cmpint (took, >=, setting[0] - 10);
      g_assert_cmpint (took, <=, setting[0] + margin_ms ());

      sent = g_get_monotonic_time ();
      end_send_text (f->server, "pong");
      WAIT_UNTIL (f->client->read_times->len == round + 1);
      took = (g_array_index (f->client->read_times, gint64, round) - sent) / 1000;
      g_assert_cmpint (took, >=, setting[1] - 10);
      g_assert_cmpint (took, <=, setting[1] + margin_ms ());
    }

  /* Each delayed write is an event, and so is each change of setting. */
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Held"), ==, 6);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "from now on"), ==, 2);

  /* Changed while running: off again, and the next ping is not held. */
  set_fault (f->relay, SB_RELAY_TO_SERVER, "delay", "off");
  end_send_text (f->client, "ping");
  WAIT_UNTIL (f->server->read_times->len == 4);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Held"), ==, 6);
}

static void
test_jitter_keeps_order (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GString) expected = g_string_new (NULL);

  set_fault (f->relay, SB_RELAY_TO_SERVER, "delay", "20±15");
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *line = g_strdup_printf ("%u;", i);

      g_string_append (expected, line);
      end_send_text (f->client, line);
      /* Separate reads at the relay, each with its own jitter. */
      WAIT_UNTIL (collected_len (f->relay, SB_DIRECTION_RX) == expected->len);
    }

  WAIT_UNTIL (f->server->n_received == expected->len);
  g_assert_cmpmem (f->server->received->data, f->server->received->len, expected->str, expected->len);
}

static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  set_fault (f->relay, SB_RELAY_TO_SERVER, "split", under_valgrind ? "4/300" : "4/30");
  end_send_text (f->client, "abcdefghijklmnopqrst");

  WAIT_UNTIL (f->server->n_received == 20);
  g_assert_cmpmem (f->server->received->data, 20, "abcdefghijklmnopqrst", 20);
  g_assert_cmpuint (f->server->read_sizes->len, ==, 5);
  for (guint i = 0; i < f->server->read_sizes->len; i++)
    g_assert_cmpuint (g_array_index (f->server->read_sizes, gsize, i), ==, 4);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Split 20 bytes"), ==, 1);
}

static void
test_join (Fixture       *f,
           gconstpointer  data)
{
  set_fault (f->relay, SB_RELAY_TO_CLIENT, "join", "200");
  for (guint i = 0; i < 5; i++)
    {
      end_send_text (f->server, "part;");
      WAIT_UNTIL (collected_len (f->relay, SB_DIRECTION_TX) == 5 * (i + 1));
    }

  WAIT_UNTIL (f->client->n_received == 25);
  g_assert_cmpuint (f->client->read_sizes->len, ==, 1);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Joined 5 reads"), ==, 1);
}

static void
count_received (SbSession *session,
                SbPeer    *peer,
                GBytes    *bytes,
                gsize     *total)
{
  *total += g_bytes_get_size (bytes);
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  gsize received = 0;

  /* "received" tells of what the client sent, as it was read. */
  g_signal_connect (f->relay, "received", G_CALLBACK (count_received), &received);
  set_fault (f->relay, SB_RELAY_TO_SERVER, "corrupt", "100");
  end_send_text (f->client, "0123456789");
  WAIT_UNTIL (f->server->n_received == 10);

  /* Exactly one byte differs, and the event says which. */
  {
    guint differ = 0;

    for (guint i = 0; i < 10; i++)
      differ += f->server->received->data[i] != (guint8) ('0' + i);
    g_assert_cmpuint (differ, ==, 1);
  }
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Changed byte"), ==, 1);
  /* The history keeps what the client really sent. */
  g_assert_true (received_equals (f->relay, "0123456789"));
  g_assert_cmpuint (received, ==, 10);
  g_signal_handlers_disconnect_by_func (f->relay, count_received, &received);
}

static void
test_silent (Fixture       *f,
             gconstpointer  data)
{
  set_fault (f->relay, SB_RELAY_TO_SERVER, "silent", "on");
  end_send_text (f->client, "unheard");
  end_send_text (f->server, "still talking");
  WAIT_UNTIL (f->client->n_received == 13);
  g_assert_cmpuint (f->server->n_received, ==, 0);
  g_assert_cmpuint (n_peers (f->relay), ==, 1);

  set_fault (f->relay, SB_RELAY_TO_SERVER, "silent", "off");
  WAIT_UNTIL (f->server->n_received == 7);
  g_assert_cmpmem (f->server->received->data, 7, "unheard", 7);
}

static void
test_reset_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) payload = random_bytes (5000, 3);

  set_fault (f->relay, SB_RELAY_TO_SERVER, "reset-after", "1000");
  end_send (f->client, payload, FALSE);

  WAIT_UNTIL (f->server->reset || f->server->eof);
  g_assert_true (f->server->reset);
  g_assert_cmpuint (f->server->n_received, ==, 1000);
  g_assert_cmpmem (f->server->received->data, 1000, g_bytes_get_data (payload, NULL), 1000);
  WAIT_UNTIL (f->client->reset || f->client->eof);
  g_assert_true (f->client->reset);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Reset both sides after 1000 bytes"), ==, 1);
}

static void
test_rate (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GBytes) payload = random_bytes (20000, 4);
  gint64 started = g_get_monotonic_time ();
  gint64 took;

  /* 20,000 bytes at 100,000 bytes/s: 200 ms, not much less. */
  set_fault (f->relay, SB_RELAY_TO_SERVER, "rate", "100k");
  end_send (f->client, payload, FALSE);
  WAIT_UNTIL (f->server->n_received == 20000);
  took = (g_get_monotonic_time () - started) / 1000;
  g_assert_cmpint (took, >=, 170);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "bandwidth cap"), >=, 1);
}

static void
test_backpressure (Fixture       *f,
                   gconstpointer  data)
{
  /* The server does not read: the relay stops reading the client instead
   * of queueing everything it sends. */
  gsize size = 64 * 1024 * 1024;
  g_autoptr(GBytes) payload = NULL;
  g_autofree char *sum = NULL;
  guint64 before = 0;

  if (under_valgrind)
    {
      g_test_skip ("64 MiB through the relay take minutes under valgrind");
      return;
    }
  payload = random_bytes (size, 5);
  sum = sha256 (payload);

  f->server->keep_reading = FALSE;
  g_source_destroy (f->server->in);
  g_clear_pointer (&f->server->in, g_source_unref);
  end_send (f->client, payload, FALSE);

  /* Wait until the relay reads no more. */
  for (;;)
    {
      guint64 now;
      gint64 until = g_get_monotonic_time () + 200 * 1000;

      WAIT_UNTIL (g_get_monotonic_time () > until);
      now = collected_len (f->relay, SB_DIRECTION_RX);
      if (now == before)
        break;
      before = now;
    }
  g_assert_cmpuint (before, <, size);
  g_assert_cmpuint (f->client->sent, <, size);

  f->server->keep_reading = TRUE;
  f->server->in = g_socket_create_source (f->server->socket, G_IO_IN, NULL);
  g_source_set_callback (f->server->in, G_SOURCE_FUNC (end_on_in), f->server, NULL);
  g_source_attach (f->server->in, NULL);
  WAIT_UNTIL (f->server->n_received == size);
  g_assert_cmpstr (g_checksum_get_string (f->server->sum), ==, sum);
}

/* Datagrams */

static void
test_udp_both_ways (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) from = NULL;
  char buffer[64];
  gssize n;

  end_send_text (f->client, "hello server");
  WAIT_UNTIL (f->server->n_datagrams == 1);
  g_assert_cmpmem (f->server->received->data, f->server->received->len, "hello server", 12);

  /* The server answers the relay's upstream socket; the client gets it. */
  g_source_destroy (f->server->in);
  g_clear_pointer (&f->server->in, g_source_unref);
  end_send_text (f->client, "again");
  WAIT_UNTIL ((n = g_socket_receive_from (f->server->socket, &from, buffer, sizeof buffer, NULL, NULL)) > 0);
  g_assert_cmpint (n, ==, 5);
  g_assert_cmpint (g_socket_send_to (f->server->socket, from, "hello client", 12, NULL, &error), ==, 12);
  WAIT_UNTIL (f->client->n_datagrams == 1);
  g_assert_cmpmem (f->client->received->data, f->client->received->len, "hello client", 12);
  g_assert_cmpuint (n_peers (f->relay), ==, 1);
  g_assert_true (received_equals (f->relay, "hello serveragain"));
}

static guint64
rx_messages (SbSession *session)
{
  SbCounters counters;

  sb_session_get_counters (session, &counters);
  return counters.rx_messages;
}

static void
test_udp_loss (Fixture       *f,
               gconstpointer  data)
{
  const guint total = 10000;
  guint dropped;
  /* 10 % of 10,000: a binomial count of mean 1,000 and standard deviation
   * sqrt (10,000 × 0.1 × 0.9) = 30; five of them either side. */
  const guint mean = 1000;
  const guint bound = 5 * 30;

  set_fault (f->relay, SB_RELAY_TO_SERVER, "loss", "10");
  for (guint i = 0; i < total; i++)
    {
      char line[16];

      g_snprintf (line, sizeof line, "%05u", i);
      end_send_text (f->client, line);
      /* Paced, so no socket buffer drops anything the relay did not. */
      if (i % 50 == 49)
        WAIT_UNTIL (rx_messages (f->relay) == i + 1);
    }
  WAIT_UNTIL (rx_messages (f->relay) == total);

  dropped = count_events_containing (f->relay, SB_EVENT_FAULT, "Dropped a datagram");
  WAIT_UNTIL (f->server->n_datagrams == total - dropped);
  g_test_message ("dropped %u of %u", dropped, total);
  g_assert_cmpuint (dropped, >=, mean - bound);
  g_assert_cmpuint (dropped, <=, mean + bound);
}

static void
test_intercept (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) edit = g_bytes_new_static ("EDITED", 6);
  g_autoptr(GBytes) held = NULL;
  SbPeer *peer = peer_at (f->relay, 0);

  g_assert_true (sb_session_relay_set_intercept (f->relay, SB_RELAY_TO_SERVER, TRUE, &error));
  g_assert_no_error (error);

  end_send_text (f->client, "original");
  WAIT_UNTIL ((held = sb_session_relay_dup_held (f->relay, peer, SB_RELAY_TO_SERVER)) != NULL);
  g_assert_cmpmem (g_bytes_get_data (held, NULL), g_bytes_get_size (held), "original", 8);
  g_assert_cmpuint (f->server->n_received, ==, 0);

  g_assert_true (sb_session_relay_release (f->relay, peer, SB_RELAY_TO_SERVER, edit, FALSE, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (f->server->n_received == 6);
  g_assert_cmpmem (f->server->received->data, 6, "EDITED", 6);

  /* The next one is dropped, the one after forwarded as it was. */
  g_clear_pointer (&held, g_bytes_unref);
  end_send_text (f->client, "drop me");
  WAIT_UNTIL ((held = sb_session_relay_dup_held (f->relay, peer, SB_RELAY_TO_SERVER)) != NULL);
  g_assert_true (sb_session_relay_release (f->relay, peer, SB_RELAY_TO_SERVER, NULL, TRUE, &error));
  g_clear_pointer (&held, g_bytes_unref);
  end_send_text (f->client, "keep");
  WAIT_UNTIL ((held = sb_session_relay_dup_held (f->relay, peer, SB_RELAY_TO_SERVER)) != NULL);
  g_assert_true (sb_session_relay_set_intercept (f->relay, SB_RELAY_TO_SERVER, FALSE, &error));
  WAIT_UNTIL (f->server->n_received == 10);
  g_assert_cmpmem (f->server->received->data, 10, "EDITEDkeep", 10);

  g_assert_false (sb_session_relay_release (f->relay, peer, SB_RELAY_TO_SERVER, NULL, FALSE, &error));
  g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Forwarded an edit"), ==, 1);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Dropped 7 intercepted bytes"), ==, 1);
  /* The history keeps what the client sent. */
  g_assert_true (received_equals (f->relay, "originaldrop mekeep"));
}

static void
test_rewrite (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) match = g_bytes_new_static ("world", 5);
  g_autoptr(GBytes) replace = g_bytes_new_static ("there!", 6);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

  g_assert_true (sb_session_relay_add_rewrite (f->relay, SB_RELAY_TO_SERVER, match, replace, &error));
  g_assert_no_error (error);
  g_assert_false (sb_session_relay_add_rewrite (f->relay, SB_RELAY_TO_SERVER, empty, replace, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  end_send_text (f->client, "hello world, world");
  WAIT_UNTIL (f->server->n_received == 20);
  g_assert_cmpmem (f->server->received->data, 20, "hello there!, there!", 20);
  g_assert_cmpuint (count_events_containing (f->relay, SB_EVENT_FAULT, "Rewrote 2 matches"), ==, 1);
  /* The history keeps what the client sent; the other way is untouched. */
  g_assert_true (received_equals (f->relay, "hello world, world"));
  end_send_text (f->server, "world");
  WAIT_UNTIL (f->client->n_received == 5);
  g_assert_cmpmem (f->client->received->data, 5, "world", 5);

  sb_session_relay_clear_rewrites (f->relay, SB_RELAY_TO_SERVER);
  end_send_text (f->client, "world");
  WAIT_UNTIL (f->server->n_received == 25);
  g_assert_cmpmem (f->server->received->data + 20, 5, "world", 5);
}

/* Without a fixture */

static void
test_fault_syntax (void)
{
  struct {
    const char *name;
    const char *value;
    gboolean ok;
    SbRelayDirection which;
  } cases[] = {
    { "delay", "100", TRUE, SB_RELAY_N_DIRECTIONS },
    { "delay", "100±20", TRUE, SB_RELAY_N_DIRECTIONS },
    { "delay", "c2s:100+-20", TRUE, SB_RELAY_TO_SERVER },
    { "delay", "s2c:5", TRUE, SB_RELAY_TO_CLIENT },
    { "delay", "10±20", TRUE, SB_RELAY_N_DIRECTIONS },
    { "delay", "10±x", FALSE, 0 },
    { "delay", "fast", FALSE, 0 },
    { "loss", "12.5%", TRUE, SB_RELAY_N_DIRECTIONS },
    { "loss", "101", FALSE, 0 },
    { "split", "4", TRUE, SB_RELAY_N_DIRECTIONS },
    { "split", "4/0", TRUE, SB_RELAY_N_DIRECTIONS },
    { "split", "0", FALSE, 0 },
    { "rate", "64k", TRUE, SB_RELAY_N_DIRECTIONS },
    { "rate", "1G", FALSE, 0 },
    { "silent", "on", TRUE, SB_RELAY_N_DIRECTIONS },
    { "reset-after", "off", TRUE, SB_RELAY_N_DIRECTIONS },
    { "jam", "1", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      SbRelayFaults faults = { 0 };
      SbRelayDirection which;
      gboolean ok = sb_relay_faults_parse (&faults, cases[i].name, cases[i].value, &which, &error);

      g_test_message ("%s=%s", cases[i].name, cases[i].value);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (which, ==, cases[i].which);
      else
        g_assert_nonnull (error);
    }

  {
    SbRelayFaults faults = { 0 };
    SbRelayDirection which;
    g_autofree char *text = NULL;

    g_assert_true (sb_relay_faults_parse (&faults, "delay", "100±20", &which, NULL));
    g_assert_true (sb_relay_faults_parse (&faults, "split", "4/20", &which, NULL));
    g_assert_cmpuint (faults.delay_ms, ==, 100);
    g_assert_cmpuint (faults.jitter_ms, ==, 20);
    g_assert_cmpuint (faults.split, ==, 4);
    g_assert_cmpuint (faults.split_gap_ms, ==, 20);
    text = sb_relay_faults_describe (&faults);
    g_assert_nonnull (strstr (text, "100"));
  }
}

static void
test_uris (void)
{
  const char *good[] = {
    "relay://:0?to=127.0.0.1:7",
    "relay://127.0.0.1:9000?to=[::1]:80",
    "relay-udp://0.0.0.0:53?to=127.0.0.1:5353",
    "relay-unix:///tmp/in.sock?to=/tmp/out.sock",
  };
  const char *bad[] = {
    "relay://:0",
    "relay://:0?to=host",
    "relay://:0?bind=1.2.3.4:5",
    "relay-unix:///tmp/in.sock",
    "relay-udp://:0?to=127.0.0.1:0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (good[i], &error);
      g_autoptr(SbSessionSpec) again = NULL;
      g_autofree char *uri = NULL;

      g_assert_no_error (error);
      g_assert_true (sb_kind_is_relay (spec->kind));
      g_assert_true (sb_session_spec_check (spec, NULL, &error));
      g_assert_no_error (error);
      uri = sb_session_spec_to_uri (spec);
      again = sb_session_spec_parse (uri, &error);
      g_assert_no_error (error);
      g_assert_true (sb_session_spec_equal (spec, again));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (bad[i], &error);

      g_test_message ("%s: %s", bad[i], error ? error->message : "(parsed)");
      g_assert_null (spec);
      g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
    }
}

static void
test_options (void)
{
  const char *written[] = { "delay=c2s:100±20", "split=s2c:4/10", "loss=c2s:12.5", "rate=64k",
                            "silent=s2c:on", "rewrite=c2s:GET=HEAD", "rewrite=a\\x3db=c", NULL };
  g_autoptr(SbRelayOptions) options = sb_relay_options_new ();
  g_autoptr(SbRelayOptions) again = sb_relay_options_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) strv = NULL;
  g_auto(GStrv) strv_again = NULL;
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (NULL);
  g_autoptr(SbSessionSetup) loaded = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  const char *bad[] = { "delay=fast", NULL };

  g_assert_true (sb_relay_options_add_all (options, written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (options->faults[SB_RELAY_TO_SERVER].delay_ms, ==, 100);
  g_assert_cmpuint (options->faults[SB_RELAY_TO_CLIENT].delay_ms, ==, 0);
  g_assert_cmpuint (options->faults[SB_RELAY_TO_CLIENT].split, ==, 4);
  g_assert_cmpuint (options->faults[SB_RELAY_TO_SERVER].rate, ==, 64000);
  g_assert_cmpuint (options->faults[SB_RELAY_TO_CLIENT].rate, ==, 64000);
  g_assert_cmpuint (options->rules->len, ==, 2);
  g_assert_cmpmem (g_bytes_get_data (((SbRelayRule *) options->rules->pdata[1])->match, NULL), 3, "a=b", 3);

  /* Written back, it reads the same. */
  strv = sb_relay_options_to_strv (options);
  g_assert_true (sb_relay_options_add_all (again, (const char * const *) strv, &error));
  strv_again = sb_relay_options_to_strv (again);
  g_assert_true (g_strv_equal ((const char * const *) strv, (const char * const *) strv_again));
  g_assert_cmpmem (&options->faults, sizeof options->faults, &again->faults, sizeof again->faults);

  /* A setup keeps them in its preset group; a wrong one changes nothing. */
  g_assert_true (sb_session_setup_set_relay (setup, written, &error));
  g_assert_false (sb_session_setup_set_relay (setup, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  sb_session_setup_save (setup, keyfile, "page");
  loaded = sb_session_setup_new_from_keyfile (keyfile, "page", &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_equal (sb_session_setup_get_relay (loaded), written));
  g_key_file_set_string (keyfile, "page", "relay", "loss=200");
  g_assert_false (sb_session_setup_load (loaded, keyfile, "page", &error));
  g_assert_nonnull (error);
}

static void
test_wrong_faults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSession) relay = session_for ("relay://:0?to=127.0.0.1:7");
  g_autoptr(SbSession) udp = session_for ("relay-udp://:0?to=127.0.0.1:7");
  g_autoptr(SbSession) client = session_for ("tcp://127.0.0.1:7");
  SbRelayFaults faults = { 0 };

  faults.loss = 5;
  g_assert_false (sb_session_relay_set_faults (relay, SB_RELAY_TO_SERVER, &faults, &error));
  g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  faults.loss = 0;
  faults.reset_after = 10;
  g_assert_false (sb_session_relay_set_faults (udp, SB_RELAY_TO_SERVER, &faults, &error));
  g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  g_assert_false (sb_session_relay_set_faults (client, SB_RELAY_TO_SERVER, &faults, &error));
  g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED);
}

static void
test_upstream_refused (void)
{
  g_autofree char *upstream = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GSocket) gone = listen_inet (G_SOCKET_TYPE_STREAM, &upstream);
  SbSession *relay;
  End *client;

  /* Nothing listens there any more. */
  g_socket_close (gone, NULL);
  uri = g_strdup_printf ("relay://127.0.0.1:0?to=%s", upstream);
  relay = start_ready (uri);

  client = end_new (connect_to (sb_session_get_local_address (relay), G_SOCKET_TYPE_STREAM));
  WAIT_UNTIL (client->reset || client->eof);
  g_assert_true (client->reset);
  WAIT_UNTIL (n_peers (relay) == 0);
  g_assert_cmpuint (count_events (relay, SB_EVENT_ERROR), ==, 1);

  end_free (client);
  stop_and_free (relay);
}

#define ADD(path, scheme, func) \
  g_test_add (path, Fixture, scheme, fixture_setup_cb, func, fixture_teardown_cb)

static void
fixture_setup_cb (Fixture       *f,
                  gconstpointer  scheme)
{
  fixture_setup (f, scheme);
}

static void
fixture_teardown_cb (Fixture       *f,
                     gconstpointer  scheme)
{
  fixture_teardown (f);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);
  under_valgrind = g_getenv ("SOCKBENCH_TEST_VALGRIND") != NULL;

  g_test_add_func ("/relay/uris", test_uris);
  g_test_add_func ("/relay/fault-syntax", test_fault_syntax);
  g_test_add_func ("/relay/wrong-faults", test_wrong_faults);
  g_test_add_func ("/relay/options", test_options);
  g_test_add_func ("/relay/upstream-refused", test_upstream_refused);
  ADD ("/relay/tcp/bulk", "relay", test_tcp_bulk);
  ADD ("/relay/unix/bulk", "relay-unix", test_unix_bulk);
  ADD ("/relay/tcp/half-close", "relay", test_half_close);
  ADD ("/relay/unix/half-close", "relay-unix", test_half_close);
  ADD ("/relay/tcp/reset-from-client", "relay", test_reset_from_client);
  ADD ("/relay/tcp/reset-from-server", "relay", test_reset_from_server);
  ADD ("/relay/tcp/backpressure", "relay", test_backpressure);
  ADD ("/relay/fault/delay", "relay", test_delay);
  ADD ("/relay/fault/jitter-keeps-order", "relay", test_jitter_keeps_order);
  ADD ("/relay/fault/split", "relay", test_split);
  ADD ("/relay/fault/join", "relay", test_join);
  ADD ("/relay/fault/corrupt", "relay", test_corrupt);
  ADD ("/relay/fault/silent", "relay", test_silent);
  ADD ("/relay/fault/reset-after", "relay", test_reset_after);
  ADD ("/relay/fault/rate", "relay", test_rate);
  ADD ("/relay/udp/both-ways", "relay-udp", test_udp_both_ways);
  ADD ("/relay/udp/loss", "relay-udp", test_udp_loss);
  ADD ("/relay/intercept", "relay", test_intercept);
  ADD ("/relay/rewrite", "relay", test_rewrite);

  return sb_test_run ();
}
