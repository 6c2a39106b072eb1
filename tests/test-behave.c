/* test-behave.c — SbResponder answers and closes, SbCapture writes to a file
 *
 * Real sockets on loopback, kernel-chosen ports, bounded waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sb-capture.h"
#include "sb-codec.h"
#include "sb-responder.h"
#include "sb-session-setup.h"
#include "sb-test-util.h"

static void
add_rule (SbResponder *responder,
          SbTrigger    trigger,
          const char  *pattern,
          const char  *reply,
          const char  *encoding,
          gboolean     close_after)
{
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (trigger, pattern, reply, encoding);
  g_autoptr(GError) error = NULL;

  rule->close_after = close_after;
  g_assert_true (sb_responder_add_rule (responder, rule, &error));
  g_assert_no_error (error);
}

static gboolean
client_closed (SbSession *client)
{
  SbSessionState state = sb_session_get_state (client);

  return state == SB_SESSION_STATE_CLOSED || state == SB_SESSION_STATE_FAILED;
}

static void
count_cb (guint *n)
{
  (*n)++;
}

/* A greeting on connect, a GBK answer to a GBK question, then the
 * connection closes once the answer has been written. */
static void
test_responder_tcp (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbResponder) responder = sb_responder_new ();
  g_autoptr(GBytes) question = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GByteArray) expected = g_byte_array_new ();
  g_autoptr(GByteArray) rx = NULL;
  SbSession *client;
  guint changes = 0;

  g_signal_connect_swapped (responder, "rules-changed", G_CALLBACK (count_cb), &changes);
  add_rule (responder, SB_TRIGGER_ON_CONNECT, NULL, "Welcome\\n", "UTF-8", FALSE);
  add_rule (responder, SB_TRIGGER_CONTAINS, "你好", "你好，世界\\n", "GBK", TRUE);
  g_assert_cmpuint (changes, ==, 2);
  sb_responder_set_session (responder, server);

  client = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (received_equals (client, "Welcome\n"));

  question = sb_codec_encode ("GBK", "你好", -1, NULL, NULL);
  g_assert_true (sb_session_send (client, NULL, question, NULL));
  WAIT_UNTIL (client_closed (client));

  answer = sb_codec_encode ("GBK", "你好，世界\n", -1, NULL, NULL);
  g_byte_array_append (expected, (const guint8 *) "Welcome\n", 8);
  g_byte_array_append (expected, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  rx = collect (client, SB_DIRECTION_RX);
  g_assert_cmpmem (rx->data, rx->len, expected->data, expected->len);
  g_assert_null (sb_responder_get_error (responder));

  sb_responder_set_session (responder, NULL);
  stop_and_free (client);
  stop_and_free (server);
}

/* With a framer the rules see whole frames, not reads; template replies
 * use the frame (${rx}), a regex's captures (${rx.N}) and a counter that
 * counts per session. */
static void
test_responder_frames (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbResponder) responder = sb_responder_new ();
  g_autoptr(SbFramer) framer = sb_framer_new_from_spec ("line", NULL);
  g_autoptr(SbAutoReplyRule) rule = NULL;
  g_autoptr(GError) error = NULL;
  SbSession *client;

  g_assert_true (sb_responder_set_templates (responder, TRUE, &error));
  g_assert_no_error (error);
  sb_responder_set_framer (responder, framer);
  add_rule (responder, SB_TRIGGER_REGEX, "^(\\w)(\\w*)", "${rx.2}=${rx.1}#${seq}\\n", "UTF-8", FALSE);

  /* A bad template is refused, naming where. */
  rule = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "${crc16", "UTF-8");
  g_assert_false (sb_responder_add_rule (responder, rule, &error));
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "position"));
  g_clear_error (&error);
  g_assert_cmpuint (sb_responder_get_n_rules (responder), ==, 1);

  sb_responder_set_session (responder, server);
  client = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (n_peers (server) == 1);

  /* Three reads, two frames. */
  send_text (client, NULL, "ab");
  send_text (client, NULL, "c\nxy");
  send_text (client, NULL, "z\n");
  WAIT_UNTIL (received_equals (client, "bc=a#1\nyz=x#2\n"));
  g_assert_cmpuint (sb_responder_get_n_frames (responder), ==, 2);
  g_assert_null (sb_responder_get_error (responder));

  /* Literal again: the same rule now sends its text as it is. */
  g_assert_true (sb_responder_set_templates (responder, FALSE, &error));
  g_assert_false (sb_responder_get_templates (responder));
  send_text (client, NULL, "q\n");
  WAIT_UNTIL (received_equals (client, "bc=a#1\nyz=x#2\n${rx.2}=${rx.1}#${seq}\n"));

  sb_responder_set_session (responder, NULL);
  stop_and_free (client);
  stop_and_free (server);
}

/* A Modbus RTU request cut in two reads is answered once, with its CRC. */
static void
test_responder_template_crc (void)
{
  static const guint8 request[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a };
  static const guint8 expected[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbResponder) responder = sb_responder_new ();
  g_autoptr(SbFramer) framer = sb_framer_new_from_spec ("fixed:6", NULL);
  g_autoptr(SbAutoReplyRule) rule = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "${rx} ${crc-16/modbus}", "UTF-8");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = g_bytes_new_static (request, 4);
  g_autoptr(GBytes) rest = g_bytes_new_static (request + 4, 2);
  g_autoptr(GByteArray) rx = NULL;
  SbSession *client;

  /* A hex template is no hex literal: refused until templates are on. */
  rule->reply_hex = TRUE;
  g_assert_false (sb_responder_add_rule (responder, rule, NULL));
  g_object_set (responder, "templates", TRUE, "framer", framer, NULL);
  g_assert_true (sb_responder_add_rule (responder, rule, &error));
  g_assert_no_error (error);
  /* …and templates cannot be turned off under it. */
  g_assert_false (sb_responder_set_templates (responder, FALSE, &error));
  g_assert_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID);
  g_assert_true (sb_responder_get_templates (responder));

  sb_responder_set_session (responder, server);
  client = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (n_peers (server) == 1);
  g_assert_true (sb_session_send (client, NULL, first, NULL));
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == 4);
  g_assert_cmpuint (collected_len (client, SB_DIRECTION_RX), ==, 0);
  g_assert_true (sb_session_send (client, NULL, rest, NULL));
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == sizeof expected);
  rx = collect (client, SB_DIRECTION_RX);
  g_assert_cmpmem (rx->data, rx->len, expected, sizeof expected);

  sb_responder_set_session (responder, NULL);
  stop_and_free (client);
  stop_and_free (server);
}

/* With the setup's framing and check, a rule for bad frames answers the
 * corrupted Modbus RTU request with a NAK, and the rule for good frames
 * answers the intact one with an ACK. */
static void
test_responder_check_filter (void)
{
  static const guint8 good[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };
  static const guint8 bad[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xce };
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (sb_session_get_spec (server));
  SbResponder *responder = sb_session_setup_get_responder (setup);
  g_autoptr(SbAutoReplyRule) nak = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "15", "UTF-8");
  g_autoptr(SbAutoReplyRule) ack = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "06", "UTF-8");
  g_autoptr(SbAutoReplyRule) unchecked = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good_bytes = g_bytes_new_static (good, sizeof good);
  g_autoptr(GBytes) bad_bytes = g_bytes_new_static (bad, sizeof bad);
  g_autoptr(GByteArray) rx = NULL;
  g_autofree char *described = NULL;
  SbSession *client;

  g_assert_true (sb_session_setup_set_framing (setup, "fixed:8", &error));
  g_assert_no_error (error);
  g_assert_true (sb_session_setup_set_check (setup, "crc-16/modbus", &error));
  g_assert_no_error (error);
  g_assert_nonnull (sb_responder_get_check (responder));

  nak->reply_hex = TRUE;
  nak->check_filter = SB_CHECK_FILTER_BAD;
  ack->reply_hex = TRUE;
  ack->check_filter = SB_CHECK_FILTER_OK;
  g_assert_true (sb_responder_add_rule (responder, nak, &error));
  g_assert_true (sb_responder_add_rule (responder, ack, &error));
  g_assert_no_error (error);
  described = sb_auto_reply_rule_describe (nak);
  g_assert_true (g_str_has_prefix (described, "Bad frames → "));

  sb_responder_set_session (responder, server);
  client = start_client_to ("tcp", "127.0.0.1", server);
  WAIT_UNTIL (n_peers (server) == 1);

  g_assert_true (sb_session_send (client, NULL, good_bytes, NULL));
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == 1);
  g_assert_true (sb_session_send (client, NULL, bad_bytes, NULL));
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == 2);
  rx = collect (client, SB_DIRECTION_RX);
  g_assert_cmpmem (rx->data, rx->len, "\x06\x15", 2);
  g_assert_cmpuint (sb_responder_get_n_frames (responder), ==, 2);

  /* Without a check nothing is known of a frame: filtered rules stay quiet. */
  g_assert_true (sb_session_setup_set_check (setup, "", &error));
  g_assert_null (sb_responder_get_check (responder));
  unchecked = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "3f", "UTF-8");
  unchecked->reply_hex = TRUE;
  g_assert_true (sb_responder_add_rule (responder, unchecked, &error));
  g_assert_no_error (error);
  g_assert_true (sb_session_send (client, NULL, bad_bytes, NULL));
  WAIT_UNTIL (collected_len (client, SB_DIRECTION_RX) == 3);
  g_clear_pointer (&rx, g_byte_array_unref);
  rx = collect (client, SB_DIRECTION_RX);
  g_assert_cmpmem (rx->data, rx->len, "\x06\x15\x3f", 3);
  g_assert_cmpuint (sb_responder_get_n_frames (responder), ==, 3);

  sb_responder_set_session (responder, NULL);
  stop_and_free (client);
  stop_and_free (server);
}

/* A stream client greets the server it connected to. */
static void
test_responder_client (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbResponder) responder = sb_responder_new ();
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", local_port (server));
  SbSession *client = session_for (uri);

  add_rule (responder, SB_TRIGGER_ON_CONNECT, NULL, "hello from the client", "UTF-8", FALSE);
  sb_responder_set_session (responder, client);
  sb_session_start (client);
  WAIT_UNTIL (n_peers (server) == 1 && received_equals (server, "hello from the client"));

  sb_responder_clear_rules (responder);
  g_assert_cmpuint (sb_responder_get_n_rules (responder), ==, 0);

  sb_responder_set_session (responder, NULL);
  stop_and_free (client);
  stop_and_free (server);
}

/* Datagrams: a socket with a target greets it once it is ready. */
static void
test_responder_udp (void)
{
  SbSession *server = start_ready ("udp-listen://127.0.0.1:0");
  g_autoptr(SbResponder) responder = sb_responder_new ();
  g_autofree char *uri = g_strdup_printf ("udp://127.0.0.1:%u", local_port (server));
  SbSession *client = session_for (uri);

  add_rule (responder, SB_TRIGGER_ON_CONNECT, NULL, "ping", "UTF-8", FALSE);
  sb_responder_set_session (responder, client);
  sb_session_start (client);
  WAIT_UNTIL (received_equals (server, "ping"));

  sb_responder_set_session (responder, NULL);
  stop_and_free (client);
  stop_and_free (server);
}

static gboolean
capture_done (SbCapture *capture)
{
  return !sb_capture_is_active (capture);
}

static char *
read_file (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &data, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&data);
}

/* What arrives is written in order; a capture never replaces a file unless
 * told to, appends when asked, and refuses symbolic links. */
static void
test_capture (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client = start_client_to ("tcp", "127.0.0.1", server);
  g_autoptr(SbCapture) capture = sb_capture_new ();
  g_autofree char *path = g_build_filename (sb_test_tmpdir, "capture.bin", NULL);
  g_autofree char *link = g_build_filename (sb_test_tmpdir, "capture-link.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) link_file = g_file_new_for_path (link);
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;

  WAIT_UNTIL (n_peers (server) == 1);
  sb_capture_set_session (capture, server);

  /* New file: created. */
  sb_capture_start (capture, file, SB_CAPTURE_NEW);
  g_assert_true (sb_capture_is_active (capture));
  send_text (client, NULL, "one ");
  send_text (client, NULL, "two");
  WAIT_UNTIL (sb_capture_get_bytes_written (capture) == 7);
  sb_capture_stop (capture);
  WAIT_UNTIL (capture_done (capture));
  data = read_file (path);
  g_assert_cmpstr (data, ==, "one two");
  g_clear_pointer (&data, g_free);

  /* NEW on an existing file: refused, the file kept, the error names it. */
  sb_capture_start (capture, file, SB_CAPTURE_NEW);
  WAIT_UNTIL (capture_done (capture));
  g_assert_nonnull (sb_capture_get_error (capture));
  g_assert_true (g_error_matches (sb_capture_get_error (capture), G_IO_ERROR, G_IO_ERROR_EXISTS));
  name = g_file_get_parse_name (file);
  g_assert_nonnull (strstr (sb_capture_get_error (capture)->message, name));
  data = read_file (path);
  g_assert_cmpstr (data, ==, "one two");
  g_clear_pointer (&data, g_free);

  /* APPEND adds to the end. */
  sb_capture_start (capture, file, SB_CAPTURE_APPEND);
  g_assert_null (sb_capture_get_error (capture));
  send_text (client, NULL, " three");
  WAIT_UNTIL (sb_capture_get_bytes_written (capture) == 6);
  sb_capture_stop (capture);
  WAIT_UNTIL (capture_done (capture));
  data = read_file (path);
  g_assert_cmpstr (data, ==, "one two three");
  g_clear_pointer (&data, g_free);

  /* A symbolic link planted at the path is not written through. */
  g_assert_cmpint (symlink (path, link), ==, 0);
  sb_capture_start (capture, link_file, SB_CAPTURE_REPLACE);
  WAIT_UNTIL (capture_done (capture));
  g_assert_true (g_error_matches (sb_capture_get_error (capture), G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS));
  data = read_file (path);
  g_assert_cmpstr (data, ==, "one two three");
  g_clear_pointer (&data, g_free);

  /* REPLACE (after someone agreed) empties the file first. */
  sb_capture_start (capture, file, SB_CAPTURE_REPLACE);
  send_text (client, NULL, "four");
  WAIT_UNTIL (sb_capture_get_bytes_written (capture) == 4);
  sb_capture_stop (capture);
  WAIT_UNTIL (capture_done (capture));
  data = read_file (path);
  g_assert_cmpstr (data, ==, "four");

  sb_capture_set_session (capture, NULL);
  g_unlink (link);
  g_unlink (path);
  stop_and_free (client);
  stop_and_free (server);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/behave/responder-tcp", test_responder_tcp);
  g_test_add_func ("/behave/responder-client", test_responder_client);
  g_test_add_func ("/behave/responder-udp", test_responder_udp);
  g_test_add_func ("/behave/responder-frames", test_responder_frames);
  g_test_add_func ("/behave/responder-template-crc", test_responder_template_crc);
  g_test_add_func ("/behave/responder-check-filter", test_responder_check_filter);
  g_test_add_func ("/behave/capture", test_capture);

  return sb_test_run ();
}
