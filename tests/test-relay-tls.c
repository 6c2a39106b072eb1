/* test-relay-tls.c — TLS in the middle: a python ssl client, relay-tls://,
 * a python ssl server; the plaintext both ways, in the history, under faults
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real loopback sockets, kernel-chosen ports (the server's listening socket
 * is made here and handed to python as fd 3), every wait bounded. The
 * server's certificate is made at test time, signed by a CA made at test
 * time; the relay makes its own.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sb-relay.h"
#include "sb-sessions.h"
#include "sb-test-util.h"
#include "sb-tls-cert.h"

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

/* The python peers. Each prints one line of results. */
static const char peers_py[] =
  "import hashlib, random, select, socket, ssl, sys, time\n"
  "N = 1 << 20\n"
  "WAIT = 30\n"
  "def pump(conn, out, want):\n"
  "    conn.setblocking(False)\n"
  "    out = memoryview(out)\n"
  "    got = bytearray()\n"
  "    deadline = time.monotonic() + WAIT\n"
  "    while len(out) or len(got) < want:\n"
  "        moved = False\n"
  "        if len(out):\n"
  "            try:\n"
  "                n = conn.send(out[:65536])\n"
  "                out = out[n:]\n"
  "                moved = True\n"
  "            except (ssl.SSLWantReadError, ssl.SSLWantWriteError):\n"
  "                pass\n"
  "        if len(got) < want:\n"
  "            try:\n"
  "                chunk = conn.recv(65536)\n"
  "                if not chunk:\n"
  "                    raise EOFError('the peer closed early')\n"
  "                got += chunk\n"
  "                moved = True\n"
  "            except (ssl.SSLWantReadError, ssl.SSLWantWriteError):\n"
  "                pass\n"
  "        if not moved:\n"
  "            if time.monotonic() > deadline:\n"
  "                raise TimeoutError('no progress')\n"
  "            select.select([conn], [conn] if len(out) else [], [], 0.5)\n"
  "    conn.settimeout(WAIT)\n"
  "    return bytes(got)\n"
  "def digest(b):\n"
  "    return hashlib.sha256(b).hexdigest()\n"
  "def serve():\n"
  "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
  "    ctx.load_cert_chain(sys.argv[2], sys.argv[3])\n"
  "    listener = socket.socket(fileno=3)\n"
  "    listener.settimeout(WAIT)\n"
  "    raw, _ = listener.accept()\n"
  "    raw.settimeout(WAIT)\n"
  "    return ctx, raw\n"
  "def connect():\n"
  "    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
  "    ctx.check_hostname = False\n"
  "    ctx.verify_mode = ssl.CERT_NONE\n"
  "    raw = socket.create_connection(('127.0.0.1', int(sys.argv[2])), timeout=WAIT)\n"
  "    return ctx.wrap_socket(raw, server_hostname='localhost')\n"
  "mode = sys.argv[1]\n"
  "if mode == 'bulk-server':\n"
  "    ctx, raw = serve()\n"
  "    conn = ctx.wrap_socket(raw, server_side=True)\n"
  "    sent = random.Random(2).randbytes(N)\n"
  "    got = pump(conn, sent, N)\n"
  "    rest = conn.recv(1)\n"
  "    conn.unwrap()\n"
  "    print(digest(sent), digest(got), len(rest))\n"
  "elif mode == 'bulk-client':\n"
  "    conn = connect()\n"
  "    sent = random.Random(1).randbytes(N)\n"
  "    got = pump(conn, sent, N)\n"
  "    conn.unwrap()\n"
  "    print(digest(sent), digest(got))\n"
  "elif mode == 'split-server':\n"
  "    ctx, raw = serve()\n"
  "    conn = ctx.wrap_socket(raw, server_side=True)\n"
  "    got = b''\n"
  "    sizes = []\n"
  "    while len(got) < int(sys.argv[4]):\n"
  "        chunk = conn.recv(65536)\n"
  "        if not chunk:\n"
  "            break\n"
  "        sizes.append(len(chunk))\n"
  "        got += chunk\n"
  "    conn.sendall(b'ok')\n"
  "    print(got[:5].decode(), len(got), ' '.join(map(str, sizes)))\n"
  "    conn.recv(1)\n"
  "elif mode == 'split-client':\n"
  "    conn = connect()\n"
  "    conn.sendall(b'hello' + b'.' * 995)\n"
  "    print(conn.recv(2).decode())\n"
  "elif mode == 'refusing-server':\n"
  "    ctx, raw = serve()\n"
  "    try:\n"
  "        ctx.wrap_socket(raw, server_side=True).recv(1)\n"
  "        print('handshake')\n"
  "    except (OSError, ssl.SSLError):\n"
  "        print('refused')\n"
  "elif mode == 'probe-client':\n"
  "    try:\n"
  "        got = connect().recv(1)\n"
  "        print('ended', len(got))\n"
  "    except (OSError, ssl.SSLError):\n"
  "        print('ended', 0)\n";

static char *dir;

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_file (const char *name,
            const char *text)
{
  g_autofree char *path = path_of (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* ca.pem, and server.pem/server.key it signed, for localhost and loopback. */
static void
make_certificates (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char * const loopback[] = { "localhost", "127.0.0.1", "::1", NULL };
  g_autofree char *ca_pem = NULL, *ca_key = NULL, *cert = NULL, *key = NULL;
  g_autoptr(GError) error = NULL;
  SbTlsCertRequest ca = {
    .common_name = "Relay Test CA",
    .not_before = now - 3600,
    .not_after = now + 24 * 3600,
    .is_ca = TRUE,
  };
  SbTlsCertRequest server = {
    .common_name = "server",
    .hosts = loopback,
    .not_before = now - 3600,
    .not_after = now + 24 * 3600,
  };

  dir = g_build_filename (sb_test_tmpdir, "relay-certs", NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_assert_true (sb_tls_cert_generate (&ca, &ca_pem, &ca_key, &error));
  g_assert_no_error (error);
  server.issuer_cert_pem = ca_pem;
  server.issuer_key_pem = ca_key;
  g_assert_true (sb_tls_cert_generate (&server, &cert, &key, &error));
  g_assert_no_error (error);
  write_file ("ca.pem", ca_pem);
  write_file ("server.pem", cert);
  write_file ("server.key", key);
}

static void
remove_certificates (void)
{
  const char *names[] = { "ca.pem", "server.pem", "server.key" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = path_of (names[i]);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
}

/* A python peer, and what it printed once it exits. */
typedef struct
{
  GSubprocess *process;
  char        *output;
  gboolean     done;
} Peer;

static void
on_communicated (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Peer *peer = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &peer->output, NULL, &error);
  g_assert_no_error (error);
  peer->done = TRUE;
}

/* Runs the script in @mode; @listener (or NULL) becomes its fd 3. */
static Peer *
peer_spawn (GSocket    *listener,
            const char *mode,
            const char *arg1,
            const char *arg2,
            const char *arg3)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  Peer *peer = g_new0 (Peer, 1);

  if (listener != NULL)
    g_subprocess_launcher_take_fd (launcher, dup (g_socket_get_fd (listener)), 3);
  peer->process = g_subprocess_launcher_spawn (launcher, &error, "python3", "-c", peers_py, mode,
                                               arg1, arg2, arg3, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (peer->process, NULL, NULL, on_communicated, peer);

  return peer;
}

/* Waits for the peer to exit well; returns its words (free them). */
static GStrv
peer_finish (Peer *peer)
{
  GStrv words;

  WAIT_UNTIL (peer->done);
  g_assert_true (g_subprocess_get_successful (peer->process));
  g_test_message ("python: %s", peer->output);
  words = g_strsplit (g_strstrip (peer->output), " ", -1);
  g_object_unref (peer->process);
  g_free (peer->output);
  g_free (peer);

  return words;
}

static GSocket *
listen_loopback (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_assert_true (g_socket_listen (socket, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return socket;
}

/* A relay-tls in front of @port, trusting the test CA (unless @trust is
 * FALSE), on the engine's thread as in the window (or on this one). */
static SbSession *
relay_to_on (guint16   port,
             gboolean  trust,
             SbEngine *engine)
{
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *uri = trust ? g_strdup_printf ("relay-tls://127.0.0.1:0?to=127.0.0.1:%u&ca=%s", port, ca)
                               : g_strdup_printf ("relay-tls://127.0.0.1:0?to=127.0.0.1:%u", port);

  return start_ready_on (uri, engine);
}

static SbSession *
relay_to (guint16  port,
          gboolean trust)
{
  return relay_to_on (port, trust, NULL);
}

static void
on_released (gpointer  data,
             GObject  *where)
{
  g_atomic_int_set ((gint *) data, 1);
}

/* Stops @relay and waits, bounded, until what it started has let go (its
 * last reference may go on the engine's thread). */
static void
stop_and_release (SbSession *relay)
{
  gint released = 0;

  sb_session_stop (relay);
  g_object_weak_ref (G_OBJECT (relay), on_released, &released);
  g_object_unref (relay);
  WAIT_UNTIL (g_atomic_int_get (&released));
}

/* The text of every @kind event (SB_EVENT_NONE: every event). */
static char *
events_text (SbSession   *session,
             SbEventKind  kind)
{
  SbHistory *history = sb_session_get_history (session);
  GString *out = g_string_new (NULL);

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      g_autofree char *message = NULL;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT ||
          (kind != SB_EVENT_NONE && sb_history_get_event (history, i) != kind))
        continue;
      message = sb_history_decode (history, i, "UTF-8", 0, NULL);
      g_string_append_printf (out, "%s\n--\n", message);
    }

  return g_string_free (out, FALSE);
}

static char *
history_sha256 (SbSession   *session,
                SbDirection  direction)
{
  g_autoptr(GByteArray) bytes = collect (session, direction);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes->data, bytes->len);
}

static char *
relay_port (SbSession *relay)
{
  return g_strdup_printf ("%u", local_port (relay));
}

static void
check_bulk (SbEngine *engine)
{
  g_autofree char *cert = path_of ("server.pem");
  g_autofree char *key = path_of ("server.key");
  g_autofree char *port_text = NULL;
  g_autofree char *rx_sum = NULL;
  g_autofree char *tx_sum = NULL;
  g_autofree char *certs = NULL;
  g_autofree char *tls = NULL;
  g_autofree char *all = NULL;
  g_auto(GStrv) server_words = NULL;
  g_auto(GStrv) client_words = NULL;
  guint16 port = 0;
  g_autoptr(GSocket) listener = listen_loopback (&port);
  SbSession *relay = relay_to_on (port, TRUE, engine);
  Peer *server = peer_spawn (listener, "bulk-server", cert, key, NULL);
  Peer *client = NULL;

  port_text = relay_port (relay);
  client = peer_spawn (NULL, "bulk-client", port_text, NULL, NULL);

  client_words = peer_finish (client);
  server_words = peer_finish (server);
  g_assert_cmpuint (g_strv_length (client_words), ==, 2);
  g_assert_cmpuint (g_strv_length (server_words), ==, 3);
  /* 1 MiB each way, byte-exact; the client's close_notify reached the server. */
  g_assert_cmpstr (client_words[0], ==, server_words[1]);
  g_assert_cmpstr (server_words[0], ==, client_words[1]);
  g_assert_cmpstr (server_words[2], ==, "0");

  /* The history holds the plaintext: rx what the client sent, tx the server. */
  WAIT_UNTIL (n_peers (relay) == 0);
  rx_sum = history_sha256 (relay, SB_DIRECTION_RX);
  tx_sum = history_sha256 (relay, SB_DIRECTION_TX);
  g_assert_cmpstr (rx_sum, ==, client_words[0]);
  g_assert_cmpstr (tx_sum, ==, server_words[0]);
  g_assert_cmpuint (collected_len (relay, SB_DIRECTION_RX), ==, 1024 * 1024);

  /* Both handshakes and the server's chain are events; EOFs went on as close_notify. */
  certs = events_text (relay, SB_EVENT_CERTIFICATE);
  g_assert_nonnull (strstr (certs, "Certificate 1 of 2: CN=server"));
  g_assert_nonnull (strstr (certs, "Issued by: CN=Relay Test CA"));
  tls = events_text (relay, SB_EVENT_TLS);
  g_assert_nonnull (strstr (tls, "With the client: TLS 1."));
  g_assert_nonnull (strstr (tls, "With the server: TLS 1."));
  all = events_text (relay, SB_EVENT_NONE);
  g_assert_nonnull (strstr (all, "Made a self-signed certificate"));
  g_assert_nonnull (strstr (all, "TLS handshake with the client"));
  g_assert_nonnull (strstr (all, "TLS handshake with the server"));
  g_assert_nonnull (strstr (all, "over TLS on both legs"));
  g_assert_nonnull (strstr (all, "TLS close_notify to the server"));
  g_assert_nonnull (strstr (all, "TLS close_notify to the client"));
  g_assert_cmpuint (count_events (relay, SB_EVENT_RESET), ==, 0);
  g_assert_cmpuint (count_events (relay, SB_EVENT_ERROR), ==, 0);

  stop_and_release (relay);
  g_socket_close (listener, NULL);
}

static void
test_bulk (void)
{
  check_bulk (NULL);
}

/* The same with the relay on the engine's thread, as the window runs it. */
static void
test_bulk_on_engine (void)
{
  check_bulk (sb_engine_get_default ());
}

static void
test_split_and_rewrite (void)
{
  g_autofree char *cert = path_of ("server.pem");
  g_autofree char *key = path_of ("server.key");
  g_autofree char *port_text = NULL;
  g_autofree char *faults_text = NULL;
  g_auto(GStrv) server_words = NULL;
  g_auto(GStrv) client_words = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) match = g_bytes_new_static ("hello", 5);
  g_autoptr(GBytes) replace = g_bytes_new_static ("HOWDY", 5);
  guint16 port = 0;
  g_autoptr(GSocket) listener = listen_loopback (&port);
  SbSession *relay = relay_to (port, TRUE);
  SbRelayFaults faults = { .split = 100, .split_gap_ms = 1 };
  Peer *server = peer_spawn (listener, "split-server", cert, key, "1000");
  Peer *client = NULL;
  guint n_pieces;

  g_assert_true (sb_session_relay_set_faults (relay, SB_RELAY_TO_SERVER, &faults, &error));
  g_assert_no_error (error);
  g_assert_true (sb_session_relay_add_rewrite (relay, SB_RELAY_TO_SERVER, match, replace, &error));
  g_assert_no_error (error);

  port_text = relay_port (relay);
  client = peer_spawn (NULL, "split-client", port_text, NULL, NULL);
  client_words = peer_finish (client);
  server_words = peer_finish (server);

  g_assert_cmpstr (client_words[0], ==, "ok");
  /* The server got the plaintext rewritten, in TLS records of 100 bytes. */
  g_assert_cmpstr (server_words[0], ==, "HOWDY");
  g_assert_cmpstr (server_words[1], ==, "1000");
  n_pieces = g_strv_length (server_words) - 2;
  g_assert_cmpuint (n_pieces, ==, 10);
  for (guint i = 2; server_words[i] != NULL; i++)
    g_assert_cmpstr (server_words[i], ==, "100");

  faults_text = events_text (relay, SB_EVENT_FAULT);
  g_assert_nonnull (strstr (faults_text, "Split 1000 bytes into writes of 100 bytes"));
  g_assert_nonnull (strstr (faults_text, "HOWDY"));

  stop_and_release (relay);
  g_socket_close (listener, NULL);
}

static void
test_upstream_refused (void)
{
  g_autofree char *cert = path_of ("server.pem");
  g_autofree char *key = path_of ("server.key");
  g_autofree char *port_text = NULL;
  g_autofree char *errors = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) server_words = NULL;
  g_auto(GStrv) client_words = NULL;
  guint16 port = 0;
  g_autoptr(GSocket) listener = listen_loopback (&port);
  /* No ca=: the server's CA is unknown to the relay. */
  SbSession *relay = relay_to (port, FALSE);
  Peer *server = peer_spawn (listener, "refusing-server", cert, key, NULL);
  Peer *client = NULL;

  port_text = relay_port (relay);
  client = peer_spawn (NULL, "probe-client", port_text, NULL, NULL);
  client_words = peer_finish (client);
  server_words = peer_finish (server);
  g_assert_cmpstr (client_words[0], ==, "ended");
  g_assert_cmpstr (client_words[1], ==, "0");
  g_assert_cmpstr (server_words[0], ==, "refused");

  WAIT_UNTIL (n_peers (relay) == 0);
  errors = events_text (relay, SB_EVENT_ERROR);
  expected = g_strdup_printf ("TLS with the server 127.0.0.1:%u failed: The certificate of 127.0.0.1:%u was refused",
                              port, port);
  if (strstr (errors, expected) == NULL)
    g_error ("no “%s” in:\n%s", expected, errors);
  g_assert_nonnull (strstr (errors, "resetting the client’s connection"));
  g_assert_cmpuint (collected_len (relay, SB_DIRECTION_RX), ==, 0);

  stop_and_release (relay);
  g_socket_close (listener, NULL);
}

static void
test_uris (void)
{
  const char *good[] = {
    "relay-tls://:0?to=127.0.0.1:443",
    "relay-tls://127.0.0.1:8443?to=[::1]:443&ca=/tmp/ca.pem&sni=example.org",
    "relay-tls://:0?insecure=1&to=127.0.0.1:443&alpn=h2,http/1.1",
    "relay-tls://:0?to=127.0.0.1:443&cert=/tmp/c.pem&key=/tmp/k.pem&ca=/tmp/ca.pem",
  };
  const struct { const char *uri; const char *message; } bad[] = {
    { "relay-tls://:0", "has no upstream" },
    { "relay-tls://:0?ca=/tmp/ca.pem", "has no upstream" },
    { "relay-tls://:0?to=127.0.0.1:1&to=127.0.0.1:2", "twice" },
    { "relay-tls://:0?to=127.0.0.1:1&bogus=1", "a TLS relay takes to, cert" },
    { "relay-tls://:0?to=127.0.0.1:1&self-signed=1&cert=/tmp/c.pem", "choose one" },
    { "relay-tls://:0?to=", "has no value" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (good[i], &error);
      g_autoptr(SbSessionSpec) again = NULL;
      g_autofree char *uri = NULL;

      g_assert_no_error (error);
      g_assert_cmpint (spec->kind, ==, SB_KIND_RELAY_TLS);
      g_assert_true (sb_kind_is_relay (spec->kind));
      g_assert_true (sb_kind_is_tls (spec->kind));
      g_assert_true (sb_session_spec_check (spec, NULL, &error));
      g_assert_no_error (error);
      uri = sb_session_spec_to_uri (spec);
      g_assert_true (g_str_has_prefix (uri, "relay-tls://"));
      again = sb_session_spec_parse (uri, &error);
      g_assert_no_error (error);
      g_assert_true (sb_session_spec_equal (spec, again));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (bad[i].uri, &error);

      g_assert_null (spec);
      g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("%s: “%s” does not say “%s”", bad[i].uri, error->message, bad[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *python = NULL;
  int status;

  sb_test_init (&argc, &argv);

  g_test_add_func ("/relay-tls/uris", test_uris);

  python = g_find_program_in_path ("python3");
  if (python != NULL && g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_add_func ("/relay-tls/bulk", test_bulk);
      g_test_add_func ("/relay-tls/bulk-on-engine", test_bulk_on_engine);
      g_test_add_func ("/relay-tls/split-and-rewrite", test_split_and_rewrite);
      g_test_add_func ("/relay-tls/upstream-refused", test_upstream_refused);
    }

  make_certificates ();
  status = g_test_run ();
  sb_engine_shutdown ();
  remove_certificates ();
  g_rmdir (sb_test_tmpdir);

  return status;
}
