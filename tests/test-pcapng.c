/* test-pcapng.c — sessions exported as pcapng, read by tshark and read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tshark is installed by tools/test when it can be; without it the tshark
 * checks are skipped with the reason, the round trip through the importer
 * still runs.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sb-pcapng.h"
#include "sb-replay.h"
#include "sb-test-util.h"

/* 1 MB; 64 KiB under valgrind (tools/test --valgrind), where it is slow. */
#define BIG_LEN (g_getenv ("SOCKBENCH_TEST_VALGRIND") ? 64 * 1024 : 1024 * 1024)

static const char client_text[] = "héllo 你好 ✓ Grüße\n";
static const char server_text[] = "¡Olá! 世界 \xff\xfe binary\x01";
static const char after_text[] = "still talking after your FIN — 仍在说";

static char *
tshark_path (void)
{
  return g_find_program_in_path ("tshark");
}

/* Runs tshark with @args after -r @file; returns its standard output. */
static char *
tshark (const char         *file,
        const char * const *args)
{
  g_autofree char *path = tshark_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, path);
  g_ptr_array_add (argv, (char *) "-n");
  g_ptr_array_add (argv, (char *) "-r");
  g_ptr_array_add (argv, (char *) file);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("tshark failed: %s", err);
  return g_steal_pointer (&out);
}

static gboolean
need_tshark (void)
{
  g_autofree char *path = tshark_path ();

  if (path == NULL)
    {
      g_test_skip ("tshark is not installed (tools/test installs it with apt-get when it can)");
      return FALSE;
    }
  return TRUE;
}

/* No malformed packet, no bad checksum, no warning or error from the
 * dissectors; @allowed names expert fields that are the truth of the
 * recording (a reset is one). */
static void
assert_clean (const char *file,
              const char *allowed)
{
  g_autofree char *filter = g_strdup_printf ("_ws.malformed || _ws.expert.severity >= 0x00600000%s%s",
                                             allowed ? " && !" : "", allowed ? allowed : "");
  const char *args[] = {
    "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
    "-o", "udp.check_checksum:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE",
    "-Y", filter, NULL
  };
  const char *bad_sums[] = {
    "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
    "-o", "udp.check_checksum:TRUE",
    "-Y", "ip.checksum.status != 2 && ip.checksum.status != 1 || tcp.checksum.status == 0 || udp.checksum.status == 0", NULL
  };
  const char *good_sums[] = {
    "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
    "-o", "udp.check_checksum:TRUE",
    "-Y", "tcp.checksum.status == 1 || udp.checksum.status == 1", NULL
  };
  g_autofree char *bad = tshark (file, args);
  g_autofree char *bad_sum = tshark (file, bad_sums);
  g_autofree char *good_sum = tshark (file, good_sums);

  g_assert_cmpstr (bad, ==, "");
  g_assert_cmpstr (bad_sum, ==, "");
  /* The checksums were checked, and found good. */
  g_assert_cmpstr (good_sum, !=, "");
}

static void
hex_append (GByteArray *into,
            const char *hex)
{
  for (const char *p = hex; p[0] != '\0' && p[1] != '\0'; p += 2)
    {
      guint8 byte = (g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]);

      g_byte_array_append (into, &byte, 1);
    }
}

/* tshark's Follow TCP Stream of @stream, raw: the bytes of node 0 (the
 * side that sent the SYN) and of node 1. */
static void
follow (const char  *file,
        guint        stream,
        GByteArray **node0,
        GByteArray **node1)
{
  g_autofree char *z = g_strdup_printf ("follow,tcp,raw,%u", stream);
  const char *args[] = { "-q", "-z", z, NULL };
  g_autofree char *out = tshark (file, args);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  gboolean in_data = FALSE;

  *node0 = g_byte_array_new ();
  *node1 = g_byte_array_new ();
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "Node 1:"))
        {
          in_data = TRUE;
          continue;
        }
      if (!in_data || g_str_has_prefix (line, "====") || *line == '\0')
        continue;
      if (line[0] == '\t')
        hex_append (*node1, line + 1);
      else
        hex_append (*node0, line);
    }
}

/* The payload bytes of @label's records in @direction, in order. */
static GByteArray *
collect_peer (SbHistory   *history,
              const char  *label,
              SbDirection  direction)
{
  GByteArray *all = g_byte_array_new ();

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      const guint8 *data;
      gsize len;

      if (sb_history_get_direction (history, i) != direction ||
          g_strcmp0 (sb_history_get_peer_label (history, sb_history_get_peer (history, i)), label) != 0)
        continue;
      data = sb_history_peek_data (history, i, &len);
      g_byte_array_append (all, data, len);
    }
  return all;
}

static void
assert_bytes_equal (GByteArray *a,
                    GByteArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  /* An empty array has no data at all: memcmp (NULL, NULL, 0) is undefined. */
  g_assert_true (a->len == 0 || memcmp (a->data, b->data, a->len) == 0);
}

static char *
export_sessions (SbSession  *first,
                 SbSession  *second,
                 const char *name)
{
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_pcapng_session_free);
  g_autofree char *path = g_build_filename (sb_test_tmpdir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (sessions, sb_pcapng_session_snapshot (first));
  if (second != NULL)
    g_ptr_array_add (sessions, sb_pcapng_session_snapshot (second));
  g_assert_true (sb_pcapng_write_file (file, sessions, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static GBytes *
big_message (void)
{
  gsize len = BIG_LEN;
  guint8 *data = g_malloc (len);

  for (gsize i = 0; i < len; i++)
    data[i] = (i * 7 + i / 251) & 0xff;
  return g_bytes_new_take (data, len);
}

static void
send_bytes (SbSession *session,
            SbPeer    *peer,
            GBytes    *bytes)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_session_send (session, peer, bytes, &error));
  g_assert_no_error (error);
}

/* A conversation with everything: non-ASCII both ways, 1 MB, a half-close
 * the server talks past, and a second connection that is reset. */
static void
run_tcp_conversation (const char  *host,
                      SbSession  **server_out,
                      SbSession  **client_out)
{
  g_autofree char *listen_uri = g_strdup_printf ("tcp-listen://%s:0", host);
  SbSession *server = start_ready (listen_uri);
  SbSession *client = NULL;
  g_autoptr(GBytes) big = big_message ();
  g_autoptr(GBytes) after = g_bytes_new_static (after_text, strlen (after_text));
  g_autoptr(GError) error = NULL;
  SbPeer *peer;

  sb_session_set_close_on_eof (server, FALSE);
  client = start_client_to ("tcp", host, server);
  WAIT_UNTIL (n_peers (server) == 1);
  peer = peer_at (server, 0);

  send_text (client, NULL, client_text);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text));
  send_text (server, peer, server_text);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == strlen (server_text));
  send_bytes (client, NULL, big);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text) + BIG_LEN);

  g_assert_true (sb_session_shutdown_write (client, NULL, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (count_events (server, SB_EVENT_PEER_CLOSED) == 1);
  send_bytes (server, peer, after);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == strlen (server_text) + strlen (after_text));
  g_assert_true (sb_session_close_peer_when_sent (server, peer, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (count_events (client, SB_EVENT_PEER_CLOSED) == 1);
  WAIT_UNTIL (n_peers (server) == 0);

  *server_out = server;
  *client_out = client;
}

static void
reset_connection (SbSession *server)
{
  g_autoptr(GSocket) raw = raw_connect (server);
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };
  g_autoptr(GError) error = NULL;

  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_cmpint (g_socket_send (raw, "bye", 3, NULL, &error), ==, 3);
  g_assert_no_error (error);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text) + BIG_LEN + 3);
  /* SO_LINGER 0 turns close() into a reset (RST). */
  g_assert_cmpint (setsockopt (g_socket_get_fd (raw), SOL_SOCKET, SO_LINGER, &linger, sizeof linger), ==, 0);
  g_socket_close (raw, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (count_events (server, SB_EVENT_RESET) == 1);
}

static char *
first_peer_label (SbHistory *history,
                  guint      nth)
{
  guint seen = 0;

  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_event (history, i) == SB_EVENT_CONNECTED && sb_history_get_peer (history, i) != 0 &&
        seen++ == nth)
      return g_strdup (sb_history_get_peer_label (history, sb_history_get_peer (history, i)));
  g_assert_not_reached ();
}

static void
check_follow (const char *file,
              guint       stream,
              SbHistory  *history,
              const char *label,
              gboolean    history_is_server)
{
  g_autoptr(GByteArray) node0 = NULL;
  g_autoptr(GByteArray) node1 = NULL;
  g_autoptr(GByteArray) rx = collect_peer (history, label, SB_DIRECTION_RX);
  g_autoptr(GByteArray) tx = collect_peer (history, label, SB_DIRECTION_TX);

  follow (file, stream, &node0, &node1);
  /* Node 0 sent the SYN: the client. */
  assert_bytes_equal (node0, history_is_server ? rx : tx);
  assert_bytes_equal (node1, history_is_server ? tx : rx);
}

static void
check_tcp_file (const char *file,
                SbSession  *server,
                gboolean    with_reset)
{
  SbHistory *history = sb_session_get_history (server);
  gboolean is_server = sb_session_get_kind (server) == SB_KIND_TCP_SERVER;
  g_autofree char *first = first_peer_label (history, 0);
  const char *verbose[] = { "-V", NULL };
  g_autofree char *text = NULL;

  assert_clean (file, with_reset ? "tcp.connection.rst" : NULL);
  check_follow (file, 0, history, first, is_server);
  if (with_reset)
    {
      g_autofree char *second = first_peer_label (history, 1);

      check_follow (file, 1, history, second, is_server);
    }

  /* Events are packet comments. */
  text = tshark (file, verbose);
  g_assert_nonnull (strstr (text, "Packet comments"));
  g_assert_nonnull (strstr (text, "closed its side of the connection"));
  if (with_reset)
    g_assert_nonnull (strstr (text, "(RST)"));
}

/* The importer gives back what the export held: the records of each
 * direction, the same bytes, the same order. */
static void
check_round_trip (const char *file,
                  SbHistory  *history,
                  const char *label,
                  const char *which,
                  gboolean    as_server)
{
  g_autoptr(GFile) gfile = g_file_new_for_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCaptureFile) capture = sb_capture_file_new_from_file (gfile, &error);
  g_autoptr(SbHistory) imported = NULL;
  const SbCaptureStream *stream;
  guint peer_of_import;

  g_assert_no_error (error);
  stream = sb_capture_file_find_stream (capture, which, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stream);
  imported = sb_capture_file_to_history (capture, stream, as_server);
  g_assert_cmpstr (as_server ? stream->client : stream->server, ==,
                   sb_history_get_peer_label (imported, 1));
  peer_of_import = 1;

  for (SbDirection d = SB_DIRECTION_RX; d <= SB_DIRECTION_TX; d++)
    {
      g_autoptr(GByteArray) want = collect_peer (history, label, d);
      g_autoptr(GByteArray) got = collect_peer (imported, sb_history_get_peer_label (imported, peer_of_import), d);
      g_autoptr(GPtrArray) want_records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      g_autoptr(GPtrArray) got_records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

      assert_bytes_equal (want, got);
      /* Record by record, for messages under the MSS (TCP) and always (UDP). */
      for (guint i = 0; i < sb_history_get_n_records (history); i++)
        if (sb_history_get_direction (history, i) == d &&
            g_strcmp0 (sb_history_get_peer_label (history, sb_history_get_peer (history, i)), label) == 0)
          g_ptr_array_add (want_records, sb_history_dup_data (history, i));
      for (guint i = 0; i < sb_history_get_n_records (imported); i++)
        if (sb_history_get_direction (imported, i) == d)
          g_ptr_array_add (got_records, sb_history_dup_data (imported, i));
      if (stream->kind == SB_CAPTURE_STREAM_UDP)
        {
          g_assert_cmpuint (want_records->len, ==, got_records->len);
          for (guint i = 0; i < want_records->len; i++)
            g_assert_true (g_bytes_equal (want_records->pdata[i], got_records->pdata[i]));
        }
      else
        {
          /* Each small message is one record in both. */
          g_assert_true (g_bytes_equal (want_records->pdata[0], got_records->pdata[0]));
        }
    }
}

static void
test_tcp (void)
{
  SbSession *server, *client;
  g_autofree char *file = NULL;
  g_autofree char *client_file = NULL;
  g_autofree char *label = NULL;

  run_tcp_conversation ("127.0.0.1", &server, &client);
  reset_connection (server);

  file = export_sessions (server, NULL, "tcp.pcapng");
  client_file = export_sessions (client, NULL, "tcp-client.pcapng");

  label = first_peer_label (sb_session_get_history (server), 0);
  check_round_trip (file, sb_session_get_history (server), label, "tcp:0", TRUE);
  check_round_trip (client_file, sb_session_get_history (client),
                    sb_history_get_peer_label (sb_session_get_history (client), 1), "tcp:0", FALSE);

  if (need_tshark ())
    {
      check_tcp_file (file, server, TRUE);
      check_tcp_file (client_file, client, FALSE);
    }

  g_unlink (file);
  g_unlink (client_file);
  stop_and_free (client);
  stop_and_free (server);
}

static void
test_ipv6 (void)
{
  SbSession *server, *client;
  g_autofree char *file = NULL;
  g_autofree char *label = NULL;

  if (!have_ipv6 ())
    {
      g_test_skip ("no IPv6 loopback on this machine");
      return;
    }

  run_tcp_conversation ("[::1]", &server, &client);
  file = export_sessions (server, NULL, "ipv6.pcapng");
  label = first_peer_label (sb_session_get_history (server), 0);
  check_round_trip (file, sb_session_get_history (server), label, "tcp:0", TRUE);

  if (need_tshark ())
    {
      const char *ipv6[] = { "-Y", "ipv6 && tcp.flags.syn == 1 && tcp.flags.ack == 0", NULL };
      g_autofree char *syn = tshark (file, ipv6);

      check_tcp_file (file, server, FALSE);
      g_assert_nonnull (strstr (syn, "::1"));
    }

  g_unlink (file);
  stop_and_free (client);
  stop_and_free (server);
}

static void
test_udp (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("udp", "127.0.0.1", server);
  g_autofree char *file = NULL;
  g_autofree char *label = NULL;

  send_text (client, NULL, client_text);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text));
  send_text (server, sb_session_get_last_sender (server), server_text);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == strlen (server_text));
  send_text (client, NULL, "two");
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text) + 3);

  file = export_sessions (server, NULL, "udp.pcapng");
  label = g_strdup (sb_history_get_peer_label (sb_session_get_history (server), 1));
  check_round_trip (file, sb_session_get_history (server), label, "udp:0", TRUE);

  if (need_tshark ())
    {
      const char *payloads[] = { "-T", "fields", "-e", "udp.payload", NULL };
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;
      g_autoptr(GByteArray) first = g_byte_array_new ();

      assert_clean (file, NULL);
      out = tshark (file, payloads);
      lines = g_strsplit (out, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* three datagrams and the last newline */
      hex_append (first, lines[0]);
      g_assert_cmpuint (first->len, ==, strlen (client_text));
      g_assert_true (memcmp (first->data, client_text, first->len) == 0);
    }

  g_unlink (file);
  stop_and_free (client);
  stop_and_free (server);
}

static void
test_modbus (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  /* Read holding registers 0..1 of unit 1, and the answer 0x1234 0x5678. */
  static const guint8 request[] = { 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x01, 0x03, 0x00, 0x00, 0x00, 0x02 };
  static const guint8 reply[] = { 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x01, 0x03, 0x04, 0x12, 0x34, 0x56, 0x78 };
  g_autoptr(GBytes) req = g_bytes_new_static (request, sizeof request);
  g_autoptr(GBytes) rep = g_bytes_new_static (reply, sizeof reply);
  g_autofree char *file = NULL;

  WAIT_UNTIL (n_peers (server) == 1);
  send_bytes (client, NULL, req);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == sizeof request);
  send_bytes (server, peer_at (server, 0), rep);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == sizeof reply);

  file = export_sessions (client, NULL, "modbus.pcapng");
  if (need_tshark ())
    {
      /* Port 502 needs root: the listener's port is named Modbus/TCP's. */
      g_autofree char *port = g_strdup_printf ("mbtcp.tcp.port:%u", local_port (server));
      const char *args[] = { "-o", port, "-Y", "modbus.func_code == 3", "-T", "fields",
                             "-e", "modbus.regval_uint16", NULL };
      const char *warnings[] = { "-o", port, "-Y", "_ws.malformed || _ws.expert.severity >= 0x00600000", NULL };
      g_autofree char *out = tshark (file, args);
      g_autofree char *warned = tshark (file, warnings);

      assert_clean (file, NULL);
      g_assert_cmpstr (warned, ==, "");
      /* The request, and the answer with its two registers decoded. */
      g_assert_nonnull (strstr (out, "4660,22136"));
    }

  g_unlink (file);
  stop_and_free (client);
  stop_and_free (server);
}

/* UNIX sockets: the payloads alone, handed to Wireshark's data dissector. */
static void
test_unix (void)
{
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "s", NULL);
  g_autofree char *uri = g_strdup_printf ("unix-listen://%s", path);
  g_autofree char *client_uri = g_strdup_printf ("unix://%s", path);
  SbSession *server = start_ready (uri);
  SbSession *client = start_ready (client_uri);
  g_autofree char *file = NULL;

  WAIT_UNTIL (n_peers (server) == 1);
  send_text (client, NULL, client_text);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text));

  file = export_sessions (server, NULL, "unix.pcapng");
  if (need_tshark ())
    {
      const char *args[] = { "-T", "fields", "-e", "data.data", NULL };
      const char *warnings[] = { "-Y", "_ws.malformed || _ws.expert.severity >= 0x00600000", NULL };
      g_autofree char *out = tshark (file, args);
      g_autofree char *warned = tshark (file, warnings);
      g_autoptr(GByteArray) data = g_byte_array_new ();

      g_assert_cmpstr (warned, ==, "");
      hex_append (data, out);
      g_assert_cmpuint (data->len, ==, strlen (client_text));
      g_assert_true (memcmp (data->data, client_text, data->len) == 0);
    }

  g_unlink (file);
  stop_and_free (client);
  stop_and_free (server);
  g_unlink (path);
}

static void
child_exited (GPid     pid,
              int      status,
              gpointer user_data)
{
  *(int *) user_data = status;
  g_spawn_close_pid (pid);
}

/* sockbench --headless --pcapng=FILE writes the file when stopped by Ctrl-C. */
static void
test_headless_sigint (void)
{
  const char *binary = g_getenv ("SOCKBENCH_BINARY");
  g_autofree char *file = g_build_filename (sb_test_tmpdir, "headless.pcapng", NULL);
  g_autofree char *option = g_strdup_printf ("--pcapng=%s", file);
  const char *argv[] = { binary, "--headless", option, "tcp-listen://127.0.0.1:0", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GFile) gfile = g_file_new_for_path (file);
  g_autoptr(SbCaptureFile) capture = NULL;
  g_autoptr(SbHistory) imported = NULL;
  g_autoptr(GByteArray) rx = NULL;
  guint16 port = 0;
  int out_fd = -1;
  int status = -1;
  GPid pid;

  if (binary == NULL)
    {
      g_test_skip ("SOCKBENCH_BINARY is not set (run through meson test)");
      return;
    }
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited, &status);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);

  /* Its first line says where it listens; then it prints what it got. */
  while (port == 0)
    {
      g_autofree char *line = NULL;
      const char *at;

      g_assert_cmpint (g_io_channel_read_line (out, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
      at = strstr (line, "127.0.0.1:");
      if (at != NULL)
        port = atoi (at + strlen ("127.0.0.1:"));
    }
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

    socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &error);
    g_assert_no_error (error);
    g_assert_true (g_socket_connect (socket, address, NULL, &error));
    g_assert_cmpint (g_socket_send (socket, client_text, strlen (client_text), NULL, &error), ==,
                     (gssize) strlen (client_text));
  }
  for (;;)
    {
      g_autofree char *line = NULL;

      g_assert_cmpint (g_io_channel_read_line (out, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
      if (strstr (line, "\trx\t") != NULL)
        break;
    }

  kill (pid, SIGINT);
  WAIT_UNTIL (status != -1);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  capture = sb_capture_file_new_from_file (gfile, &error);
  g_assert_no_error (error);
  imported = sb_capture_file_to_history (capture, g_ptr_array_index (sb_capture_file_get_streams (capture), 0), TRUE);
  rx = collect_peer (imported, sb_history_get_peer_label (imported, 1), SB_DIRECTION_RX);
  g_assert_cmpuint (rx->len, ==, strlen (client_text));
  g_assert_true (memcmp (rx->data, client_text, rx->len) == 0);
  g_unlink (file);
}

static const char echo_server_py[] =
  "import socket, sys\n"
  "s = socket.socket()\n"
  "s.bind(('127.0.0.1', 0))\n"
  "s.listen(1)\n"
  "print(s.getsockname()[1], flush=True)\n"
  "c, _ = s.accept()\n"
  "got = b''\n"
  "while True:\n"
  "    d = c.recv(65536)\n"
  "    if not d:\n"
  "        break\n"
  "    got += d\n"
  "    c.sendall(d)\n"
  "c.close()\n"
  "print(got.hex(), flush=True)\n";

/* A conversation with an echo server, exported; its client side replayed
 * from the capture against a python echo server sends the same bytes. */
static void
test_replay_client (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  g_autoptr(GBytes) second = NULL;
  g_autofree char *file = NULL;
  g_autoptr(GFile) gfile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCaptureFile) capture = NULL;
  g_autoptr(SbHistory) script = NULL;
  g_autoptr(SbReplay) replay = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autoptr(GByteArray) want = NULL;
  g_autoptr(GByteArray) got = g_byte_array_new ();
  g_autofree char *port_line = NULL;
  g_autofree char *hex_line = NULL;
  g_autofree char *uri = NULL;
  const char *argv[] = { "python3", "-c", echo_server_py, NULL };
  SbSession *replayer;
  int out_fd = -1;
  int status = -1;
  GPid pid;
  SbPeer *peer;
  guint8 *bulk = g_malloc (5000);

  for (guint i = 0; i < 5000; i++)
    bulk[i] = i % 251;
  second = g_bytes_new_take (bulk, 5000);

  WAIT_UNTIL (n_peers (server) == 1);
  peer = peer_at (server, 0);
  send_text (client, NULL, client_text);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text));
  send_text (server, peer, client_text);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == strlen (client_text));
  send_bytes (client, NULL, second);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text) + 5000);
  send_bytes (server, peer, second);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == strlen (client_text) + 5000);
  g_assert_true (sb_session_shutdown_write (client, NULL, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (count_events (server, SB_EVENT_PEER_CLOSED) == 1);

  file = export_sessions (client, NULL, "replay.pcapng");
  want = collect (client, SB_DIRECTION_TX);
  stop_and_free (client);
  stop_and_free (server);

  gfile = g_file_new_for_path (file);
  capture = sb_capture_file_new_from_file (gfile, &error);
  g_assert_no_error (error);
  script = sb_capture_file_to_history (capture, sb_capture_file_find_stream (capture, "tcp:0", NULL), FALSE);

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
                                           G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited, &status);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  g_assert_cmpint (g_io_channel_read_line (out, &port_line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);

  uri = g_strdup_printf ("tcp://127.0.0.1:%d", atoi (port_line));
  replayer = session_for (uri);
  replay = sb_replay_new (script, FALSE);
  sb_replay_set_session (replay, replayer);
  sb_session_start (replayer);
  WAIT_UNTIL (sb_replay_get_n_finished (replay) == 1);
  WAIT_UNTIL (status != -1);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_cmpint (g_io_channel_read_line (out, &hex_line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
  g_strstrip (hex_line);
  hex_append (got, hex_line);
  assert_bytes_equal (want, got);
  /* And the echo came back as it did in the recording. */
  WAIT_UNTIL (collected_len (replayer, SB_DIRECTION_RX) == strlen (client_text) + 5000);

  sb_replay_set_session (replay, NULL);
  stop_and_free (replayer);
  g_unlink (file);
}

/* sockbench --headless --replay=FILE#tcp:0 tcp-listen://…: the server side
 * of a recording answers a new client as the recorded server did. */
static void
test_replay_server_headless (void)
{
  const char *binary = g_getenv ("SOCKBENCH_BINARY");
  SbSession *server, *client;
  g_autofree char *file = NULL;
  g_autofree char *option = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) out = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  guint16 port = 0;
  int out_fd = -1;
  int status = -1;
  GPid pid;

  if (binary == NULL)
    {
      g_test_skip ("SOCKBENCH_BINARY is not set (run through meson test)");
      return;
    }

  server = start_ready ("tcp-listen://127.0.0.1:0");
  client = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (n_peers (server) == 1);
  send_text (client, NULL, client_text);
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen (client_text));
  send_text (server, peer_at (server, 0), server_text);
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == strlen (server_text));
  file = export_sessions (server, NULL, "replay-server.pcapng");
  stop_and_free (client);
  stop_and_free (server);

  option = g_strdup_printf ("--replay=%s#tcp:0", file);
  {
    const char *argv[] = { binary, "--headless", option, "tcp-listen://127.0.0.1:0", NULL };

    g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                             NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
    g_assert_no_error (error);
  }
  g_child_watch_add (pid, child_exited, &status);
  out = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (out, TRUE);
  while (port == 0)
    {
      g_autofree char *line = NULL;
      const char *at;

      g_assert_cmpint (g_io_channel_read_line (out, &line, NULL, NULL, &error), ==, G_IO_STATUS_NORMAL);
      at = strstr (line, "127.0.0.1:");
      if (at != NULL)
        port = atoi (at + strlen ("127.0.0.1:"));
    }

  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);
    char buf[256];

    socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &error);
    g_assert_no_error (error);
    g_socket_set_timeout (socket, SB_TEST_WAIT_SECONDS);
    g_assert_true (g_socket_connect (socket, address, NULL, &error));
    g_assert_cmpint (g_socket_send (socket, client_text, strlen (client_text), NULL, &error), ==,
                     (gssize) strlen (client_text));
    while (answer->len < strlen (server_text))
      {
        gssize n = g_socket_receive (socket, buf, sizeof buf, NULL, &error);

        g_assert_no_error (error);
        g_assert_cmpint (n, >, 0);
        g_byte_array_append (answer, (guint8 *) buf, n);
      }
  }
  g_assert_cmpuint (answer->len, ==, strlen (server_text));
  g_assert_true (memcmp (answer->data, server_text, answer->len) == 0);

  kill (pid, SIGINT);
  WAIT_UNTIL (status != -1);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_unlink (file);
}

static void
add_record (GPtrArray   *records,
            SbDirection  direction,
            SbEventKind  event,
            const char  *text,
            gint64       time_us)
{
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));

  g_ptr_array_add (records, sb_export_record_new (time_us, direction, event, "10.0.0.2:80", data));
}

/* Removes the packet block whose payload holds @text. */
static GBytes *
drop_packet_with (GBytes     *file,
                  const char *text)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (file, &len);
  GByteArray *out = g_byte_array_new ();
  gboolean dropped = FALSE;

  for (gsize off = 0; off + 12 <= len;)
    {
      guint32 type = data[off] | data[off + 1] << 8 | data[off + 2] << 16 | (guint32) data[off + 3] << 24;
      guint32 size = data[off + 4] | data[off + 5] << 8 | data[off + 6] << 16 | (guint32) data[off + 7] << 24;

      g_assert_cmpuint (size, >=, 12);
      g_assert_cmpuint (off + size, <=, len);
      if (type == 6 && memmem (data + off, size, text, strlen (text)) != NULL)
        dropped = TRUE;
      else
        g_byte_array_append (out, data + off, size);
      off += size;
    }
  g_assert_true (dropped);
  return g_byte_array_free_to_bytes (out);
}

/* A history with no session behind it gets the stand-in local address; a
 * segment the capture lost leaves a hole that is said, and what follows it
 * is kept. */
static void
test_stand_in_and_hole (void)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_export_record_free);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_pcapng_session_free);
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GBytes) holed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCaptureFile) capture = NULL;
  g_autoptr(SbHistory) history = NULL;
  const SbCaptureStream *stream;
  g_autoptr(GByteArray) tx = NULL;
  g_autoptr(GByteArray) rx = NULL;
  gboolean said = FALSE;
  gint64 t = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC;

  add_record (records, SB_DIRECTION_EVENT, SB_EVENT_CONNECTED, "Connected to 10.0.0.2:80", t);
  add_record (records, SB_DIRECTION_TX, SB_EVENT_NONE, "one", t + 10);
  add_record (records, SB_DIRECTION_RX, SB_EVENT_NONE, "lost reply", t + 20);
  add_record (records, SB_DIRECTION_TX, SB_EVENT_NONE, "three", t + 30);
  add_record (records, SB_DIRECTION_RX, SB_EVENT_NONE, "four", t + 40);
  g_ptr_array_add (sessions, sb_pcapng_session_new (SB_KIND_TCP_CLIENT, "tcp://10.0.0.2:80", NULL, records));
  file = sb_pcapng_build (sessions, 0);

  capture = sb_capture_file_new_from_bytes (file, &error);
  g_assert_no_error (error);
  stream = g_ptr_array_index (sb_capture_file_get_streams (capture), 0);
  g_assert_cmpstr (stream->client, ==, SB_PCAPNG_STAND_IN_IPV4 ":9");
  g_assert_cmpstr (stream->server, ==, "10.0.0.2:80");
  g_assert_cmpint (stream->first_time_us, ==, t);
  g_clear_pointer (&capture, sb_capture_file_free);

  holed = drop_packet_with (file, "lost reply");
  capture = sb_capture_file_new_from_bytes (holed, &error);
  g_assert_no_error (error);
  stream = g_ptr_array_index (sb_capture_file_get_streams (capture), 0);
  history = sb_capture_file_to_history (capture, stream, FALSE);
  tx = collect_peer (history, "10.0.0.2:80", SB_DIRECTION_TX);
  rx = collect_peer (history, "10.0.0.2:80", SB_DIRECTION_RX);
  g_assert_cmpuint (tx->len, ==, strlen ("onethree"));
  g_assert_true (memcmp (tx->data, "onethree", tx->len) == 0);
  g_assert_cmpuint (rx->len, ==, strlen ("four"));
  g_assert_true (memcmp (rx->data, "four", rx->len) == 0);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      g_autofree char *text = sb_history_decode (history, i, "UTF-8", 0, NULL);

      if (sb_history_get_event (history, i) == SB_EVENT_INFO && strstr (text, "10") != NULL)
        said = TRUE;
    }
  g_assert_true (said);
}

/* Bytes that are not a capture, or a capture cut short, are refused or
 * read as far as they go; never a crash. */
static void
test_import_bad (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) junk = g_bytes_new_static ("not a capture at all", 20);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  SbCaptureFile *capture;

  capture = sb_capture_file_new_from_bytes (junk, &error);
  g_assert_null (capture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  capture = sb_capture_file_new_from_bytes (empty, &error);
  g_assert_null (capture);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/pcapng/tcp", test_tcp);
  g_test_add_func ("/pcapng/ipv6", test_ipv6);
  g_test_add_func ("/pcapng/udp", test_udp);
  g_test_add_func ("/pcapng/modbus", test_modbus);
  g_test_add_func ("/pcapng/unix", test_unix);
  g_test_add_func ("/pcapng/import-bad", test_import_bad);
  g_test_add_func ("/pcapng/stand-in-and-hole", test_stand_in_and_hole);
  g_test_add_func ("/pcapng/headless-sigint", test_headless_sigint);
  g_test_add_func ("/pcapng/replay-client", test_replay_client);
  g_test_add_func ("/pcapng/replay-server-headless", test_replay_server_headless);

  return sb_test_run ();
}
