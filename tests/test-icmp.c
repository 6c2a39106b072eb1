/* test-icmp.c — ICMP echo sessions on loopback, and describing ICMP messages
 *
 * Sending ICMP needs the ping datagram socket (net.ipv4.ping_group_range) or
 * CAP_NET_RAW; without either the echo tests skip with the session's own
 * message. The no-reply and no-permission cases run in a child process in a
 * network namespace of its own, where they can be made certain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sb-icmp.h"
#include "sb-session.h"
#include "sb-test-util.h"
#include "sb-trace.h"

/* Helpers */

static GPtrArray *
calls_of (SbSession     *session,
          SbTraceSyntax  syntax)
{
  SbTrace *trace = sb_session_get_trace (session);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  sb_history_flush (sb_session_get_history (session));
  sb_trace_flush (trace);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (trace)); i++)
    {
      g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), i);

      g_ptr_array_add (lines, sb_trace_call_format (call, syntax));
    }

  return lines;
}

static void
dump (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    g_test_message ("  %s", (char *) g_ptr_array_index (lines, i));
}

static gboolean
has_line (GPtrArray  *lines,
          const char *line)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_equal (g_ptr_array_index (lines, i), line))
      return TRUE;

  dump (lines);
  return FALSE;
}

static gboolean
has_line_starting (GPtrArray  *lines,
                   const char *start)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), start))
      return TRUE;

  dump (lines);
  return FALSE;
}

static guint
count_events_with (SbSession   *session,
                   SbEventKind  kind,
                   const char  *start)
{
  SbHistory *history = sb_session_get_history (session);
  guint n = 0;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      g_autofree char *text = NULL;
      const guint8 *data;
      gsize len;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT ||
          sb_history_get_event (history, i) != kind)
        continue;
      data = sb_history_peek_data (history, i, &len);
      text = g_strndup ((const char *) data, len);
      if (g_str_has_prefix (text, start))
        n++;
    }

  return n;
}

static guint
count_direction (SbSession   *session,
                 SbDirection  direction)
{
  SbHistory *history = sb_session_get_history (session);
  guint n = 0;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    n += sb_history_get_direction (history, i) == direction;

  return n;
}

static guint16
u16_at (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

/* Zero when the checksum in @data is right (RFC 1071). */
static guint16
fold_sum (const guint8 *data,
          gsize         len)
{
  guint32 sum = 0;

  for (gsize i = 0; i + 1 < len; i += 2)
    sum += u16_at (data + i);
  if (len & 1)
    sum += (guint32) data[len - 1] << 8;
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);

  return (guint16) ~sum;
}

/* Starts icmp://@host; returns NULL (the test skipped) when this process
 * may not send ICMP. */
static SbSession *
start_ping (const char *host,
            guint       interval,
            guint       count)
{
  g_autofree char *uri = g_strdup_printf (strchr (host, ':') ? "icmp://[%s]" : "icmp://%s", host);
  SbSession *session = session_for (uri);
  SbSessionState state;

  g_assert_true (SB_IS_ICMP (session));
  g_object_set (session, "interval", interval, "count", count, NULL);
  sb_session_start (session);
  WAIT_UNTIL ((state = sb_session_get_state (session)) == SB_SESSION_STATE_CONNECTED ||
              state == SB_SESSION_STATE_FAILED || state == SB_SESSION_STATE_CLOSED);

  if (state == SB_SESSION_STATE_FAILED)
    {
      const GError *error = sb_session_get_error (session);

      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_test_skip (error->message);
      g_assert_finalize_object (session);
      return NULL;
    }

  return session;
}

/* Echo */

static void
test_echo (gconstpointer data)
{
  const char *host = data;
  gboolean v6 = strchr (host, ':') != NULL;
  guint8 request = v6 ? 128 : 8;
  guint8 reply = v6 ? 129 : 0;
  g_autoptr(GPtrArray) py = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autofree char *socket_py = NULL;
  g_autofree char *socket_c = NULL;
  g_autofree char *first_reply = NULL;
  SbHistory *history;
  SbSession *session;
  SbCounters counters;
  guint16 identifier;
  guint replies = 0, requests = 0;

  if (v6 && !have_ipv6 ())
    {
      g_test_skip ("IPv6 loopback is not available");
      return;
    }

  if (!(session = start_ping (host, 100, 0)))
    return;

  identifier = sb_icmp_get_identifier (SB_ICMP (session));
  g_assert_nonnull (sb_icmp_get_target (SB_ICMP (session)));
  g_assert_cmpuint (count_events (session, SB_EVENT_CONNECTED), ==, 1);

  WAIT_UNTIL (count_events_with (session, SB_EVENT_INFO, "Reply from ") >= 2);

  /* tx: our requests, seq 1, 2…; rx: the replies to them, no IP header. */
  history = sb_session_get_history (session);
  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      SbDirection direction = sb_history_get_direction (history, i);
      const guint8 *bytes;
      gsize len;

      if (direction == SB_DIRECTION_EVENT)
        continue;

      bytes = sb_history_peek_data (history, i, &len);
      g_assert_cmpuint (len, ==, 8 + 14 + 8);
      g_assert_cmpuint (bytes[0], ==, direction == SB_DIRECTION_TX ? request : reply);
      g_assert_cmpuint (bytes[1], ==, 0);
      g_assert_cmpuint (u16_at (bytes + 4), ==, identifier);
      g_assert_cmpmem (bytes + 8, 14, "Sockbench ping", 14);
      g_assert_cmpstr (sb_history_get_peer_label (history, sb_history_get_peer (history, i)), ==,
                       v6 ? "[::1]:0" : "127.0.0.1:0");

      if (direction == SB_DIRECTION_TX)
        g_assert_cmpuint (u16_at (bytes + 6), ==, ++requests);
      else
        g_assert_cmpuint (u16_at (bytes + 6), ==, ++replies);

      /* IPv4 checksums are ours, IPv6 the kernel's (0 in what we passed). */
      if (!v6)
        g_assert_cmpuint (fold_sum (bytes, len), ==, 0);
      else if (direction == SB_DIRECTION_TX)
        g_assert_cmpuint (u16_at (bytes + 2), ==, 0);
      else
        {
          /* ICMPv6 sums a pseudo-header too: ::1 → ::1, length, next header 58. */
          guint8 whole[40 + 8 + 14 + 8] = { 0 };

          whole[15] = whole[31] = 1;
          whole[35] = (guint8) len;
          whole[39] = 58;
          memcpy (whole + 40, bytes, len);
          g_assert_cmpuint (fold_sum (whole, 40 + len), ==, 0);
        }
    }
  g_assert_cmpuint (replies, >=, 2);
  g_assert_cmpuint (requests, >=, replies);

  first_reply = g_strdup_printf ("Reply from %s: icmp_seq=1 time=", host);
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, first_reply), ==, 1);

  sb_session_get_counters (session, &counters);
  g_assert_cmpuint (counters.rx_messages, ==, count_direction (session, SB_DIRECTION_RX));
  g_assert_cmpuint (counters.tx_bytes, ==, 30 * counters.tx_messages);
  g_assert_cmpuint (n_peers (session), ==, 1);

  /* The trace has the socket call that worked, after the one refused. */
  py = calls_of (session, SB_TRACE_PYTHON);
  c = calls_of (session, SB_TRACE_C);
  socket_py = g_strdup_printf ("s = socket.socket(socket.%s, socket.%s, socket.%s)",
                               v6 ? "AF_INET6" : "AF_INET",
                               sb_icmp_is_raw (SB_ICMP (session)) ? "SOCK_RAW" : "SOCK_DGRAM",
                               v6 ? "IPPROTO_ICMPV6" : "IPPROTO_ICMP");
  socket_c = g_strdup_printf ("int s = socket(%s, %s, %s);",
                              v6 ? "AF_INET6" : "AF_INET",
                              sb_icmp_is_raw (SB_ICMP (session)) ? "SOCK_RAW" : "SOCK_DGRAM",
                              v6 ? "IPPROTO_ICMPV6" : "IPPROTO_ICMP");
  g_assert_true (has_line (py, socket_py));
  g_assert_true (has_line (c, socket_c));
  if (sb_icmp_is_raw (SB_ICMP (session)))
    {
      g_autofree char *refused = g_strdup_printf ("s = socket.socket(socket.%s, socket.SOCK_DGRAM, socket.%s)  # PermissionError",
                                                  v6 ? "AF_INET6" : "AF_INET",
                                                  v6 ? "IPPROTO_ICMPV6" : "IPPROTO_ICMP");

      g_assert_true (has_line_starting (py, refused));
    }
  g_assert_true (has_line_starting (py, "s.sendto(b'\\x"));
  g_assert_true (has_line_starting (py, "data, addr = s.recvfrom(65536)  # b'\\x"));
  g_assert_true (has_line_starting (c, "sendto(s, "));

  /* Stopping closes the socket and sums up. */
  sb_session_stop (session);
  g_clear_pointer (&py, g_ptr_array_unref);
  py = calls_of (session, SB_TRACE_PYTHON);
  g_assert_cmpstr (g_ptr_array_index (py, py->len - 1), ==, "s.close()");
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, host), ==, 1);
  g_assert_cmpint (sb_session_get_state (session), ==, SB_SESSION_STATE_CLOSED);
  g_assert_finalize_object (session);
}

/* sb_session_send(): one request carrying the bytes, answered with them. */
static void
test_send_payload (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("hello, ping", 11);
  g_autoptr(GError) error = NULL;
  SbHistory *history;
  SbSession *session;
  gboolean found = FALSE;

  /* One request at start, then nothing for an hour: ours is seq 2. */
  if (!(session = start_ping ("127.0.0.1", 3600000, 0)))
    return;

  g_assert_true (sb_session_send (session, NULL, bytes, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (count_events_with (session, SB_EVENT_INFO, "Reply from 127.0.0.1: icmp_seq=2 ") == 1);

  history = sb_session_get_history (session);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      const guint8 *data;
      gsize len;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_RX)
        continue;
      data = sb_history_peek_data (history, i, &len);
      if (u16_at (data + 6) != 2)
        continue;
      g_assert_cmpuint (data[0], ==, 0);
      g_assert_cmpmem (data + 8, len - 8, "hello, ping", 11);
      found = TRUE;
    }
  g_assert_true (found);

  stop_and_free (session);
}

/* A failing sendto() is an event; the session lives on. */
static void
test_send_error (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autoptr(GInetAddress) broadcast = g_inet_address_new_from_string ("255.255.255.255");
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (broadcast, 0);
  g_autoptr(GSocketAddress) v6 = g_inet_socket_address_new_from_string ("::1", 0);
  g_autoptr(GPtrArray) py = NULL;
  g_autoptr(GError) error = NULL;
  SbSession *session;

  if (!(session = start_ping ("127.0.0.1", 50, 0)))
    return;

  /* Broadcast without SO_BROADCAST: EACCES. */
  g_assert_false (sb_session_send_to (session, to, bytes, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "255.255.255.255"));
  g_clear_error (&error);
  g_assert_cmpuint (count_events (session, SB_EVENT_ERROR), ==, 1);

  py = calls_of (session, SB_TRACE_PYTHON);
  g_assert_true (has_line_starting (py, "s.sendto(…)  # PermissionError (EACCES)"));

  /* The other family is refused before any call. */
  g_assert_false (sb_session_send_to (session, v6, bytes, &error));
  g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpint (sb_session_get_state (session), ==, SB_SESSION_STATE_CONNECTED);
  {
    guint before = count_events_with (session, SB_EVENT_INFO, "Reply from ");

    WAIT_UNTIL (count_events_with (session, SB_EVENT_INFO, "Reply from ") > before);
  }

  stop_and_free (session);
}

/* "count": the session ends once that many requests are answered. */
static void
test_count (void)
{
  SbSession *session;

  if (!(session = start_ping ("127.0.0.1", 20, 3)))
    return;

  WAIT_UNTIL (sb_session_get_state (session) == SB_SESSION_STATE_CLOSED);
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, "Reply from "), ==, 3);
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, "127.0.0.1: 3 sent, 3 received, 0% lost"), ==, 1);
  g_assert_cmpuint (count_events (session, SB_EVENT_STOPPED), ==, 1);
  g_assert_cmpuint (count_direction (session, SB_DIRECTION_TX), ==, 3);

  /* Restartable: a new run counts from 1 again. */
  sb_session_start (session);
  WAIT_UNTIL (sb_session_get_state (session) == SB_SESSION_STATE_CLOSED);
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, "Reply from 127.0.0.1: icmp_seq=1 "), ==, 2);

  g_assert_finalize_object (session);
}

static void
count_notify (guint *notified)
{
  (*notified)++;
}

static void
test_properties (void)
{
  SbSession *session = session_for ("icmp://127.0.0.1");
  SbIcmp *icmp = SB_ICMP (session);
  guint notified = 0;

  g_signal_connect_swapped (session, "notify", G_CALLBACK (count_notify), &notified);

  g_assert_cmpuint (sb_icmp_get_interval (icmp), ==, 1000);
  g_assert_cmpuint (sb_icmp_get_count (icmp), ==, 0);
  g_assert_false (sb_icmp_is_raw (icmp));
  g_assert_null (sb_icmp_get_target (icmp));

  sb_icmp_set_interval (icmp, 250);
  sb_icmp_set_interval (icmp, 250);
  g_assert_cmpuint (notified, ==, 1);
  sb_icmp_set_interval (icmp, 1);
  g_assert_cmpuint (sb_icmp_get_interval (icmp), ==, 10);
  sb_icmp_set_count (icmp, 4);
  g_assert_cmpuint (sb_icmp_get_count (icmp), ==, 4);
  g_assert_cmpuint (notified, ==, 3);

  /* Not running: nothing to send with. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
    g_autoptr(GError) error = NULL;

    g_assert_false (sb_session_send (session, NULL, bytes, &error));
    g_assert_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY);
  }

  g_assert_finalize_object (session);
}

/* In a network namespace of our own (a child process) */

static gboolean
can_unshare_net (void)
{
  int status = 0;
  pid_t pid = fork ();

  if (pid == 0)
    _exit (unshare (CLONE_NEWNET) == 0 ? 0 : 1);

  return pid > 0 && waitpid (pid, &status, 0) == pid && WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

static void
enter_private_net (void)
{
  struct ifreq ifr = { 0 };
  int fd;

  g_assert_cmpint (unshare (CLONE_NEWNET), ==, 0);

  /* A new namespace has lo down. */
  fd = socket (AF_INET, SOCK_DGRAM, 0);
  g_assert_cmpint (fd, >=, 0);
  strcpy (ifr.ifr_name, "lo");
  g_assert_cmpint (ioctl (fd, SIOCGIFFLAGS, &ifr), ==, 0);
  ifr.ifr_flags |= IFF_UP;
  g_assert_cmpint (ioctl (fd, SIOCSIFFLAGS, &ifr), ==, 0);
  close (fd);
}

static void
write_sysctl (const char *path,
              const char *value)
{
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs (value, file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* Runs the current test again in a child process, which calls
 * enter_private_net() first. */
static void
run_in_private_net (void)
{
  if (!can_unshare_net ())
    {
      g_test_skip ("Cannot make a network namespace (needs CAP_SYS_ADMIN)");
      return;
    }

  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The host ignores echo requests: each one ends as "No reply". */
static void
test_no_reply (void)
{
  SbSession *session;

  if (!g_test_subprocess ())
    {
      run_in_private_net ();
      return;
    }

  enter_private_net ();
  write_sysctl ("/proc/sys/net/ipv4/icmp_echo_ignore_all", "1");

  if (!(session = start_ping ("127.0.0.1", 50, 2)))
    return;

  WAIT_UNTIL (sb_session_get_state (session) == SB_SESSION_STATE_CLOSED);
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, "No reply to icmp_seq=1"), ==, 1);
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, "No reply to icmp_seq=2"), ==, 1);
  g_assert_cmpuint (count_events_with (session, SB_EVENT_INFO, "127.0.0.1: 2 sent, 0 received, 100% lost"), ==, 1);
  g_assert_cmpuint (count_direction (session, SB_DIRECTION_RX), ==, 0);
  g_assert_finalize_object (session);
}

static void
drop_net_raw (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct caps[2];
  guint32 bit = 1u << (CAP_NET_RAW % 32);

  g_assert_cmpint (syscall (SYS_capget, &header, caps), ==, 0);
  caps[CAP_NET_RAW / 32].effective &= ~bit;
  caps[CAP_NET_RAW / 32].permitted &= ~bit;
  caps[CAP_NET_RAW / 32].inheritable &= ~bit;
  g_assert_cmpint (syscall (SYS_capset, &header, caps), ==, 0);
}

/* Neither socket allowed: the session says which permission is missing,
 * and the trace shows both refusals. */
static void
test_no_permission (void)
{
  g_autoptr(GPtrArray) py = NULL;
  g_autoptr(GPtrArray) c = NULL;
  SbSession *session;
  const GError *error;

  if (!g_test_subprocess ())
    {
      run_in_private_net ();
      return;
    }

  enter_private_net ();
  /* A new namespace lets no group use ping sockets; make sure of it. */
  write_sysctl ("/proc/sys/net/ipv4/ping_group_range", "1 0");
  drop_net_raw ();

  session = start ("icmp://127.0.0.1");
  WAIT_UNTIL (sb_session_get_state (session) == SB_SESSION_STATE_FAILED);

  error = sb_session_get_error (session);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpstr (error->message, ==,
                   "ICMP needs permission: add your group to net.ipv4.ping_group_range (sysctl), "
                   "or give Sockbench CAP_NET_RAW");

  py = calls_of (session, SB_TRACE_PYTHON);
  g_assert_cmpuint (py->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (py, 0), ==,
                   "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)"
                   "  # PermissionError (EACCES): Your group is not in net.ipv4.ping_group_range: Permission denied");
  g_assert_cmpstr (g_ptr_array_index (py, 1), ==,
                   "s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)"
                   "  # PermissionError (EPERM): Raw sockets need CAP_NET_RAW: Operation not permitted");
  c = calls_of (session, SB_TRACE_C);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (c, 1), "int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);  // = -1 EPERM: "));

  g_assert_finalize_object (session);
}

/* Describing messages */

static void
assert_lines (GPtrArray          *lines,
              const char * const *expected)
{
  guint n = g_strv_length ((char **) expected);

  for (guint i = 0; i < lines->len; i++)
    g_test_message ("  %s", (char *) g_ptr_array_index (lines, i));

  g_assert_cmpuint (lines->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (lines, i), ==, expected[i]);
}

static void
test_describe (void)
{
  guint8 reply[8 + 22] = { 0x00, 0x00, 0x1c, 0x2b, 0x12, 0x34, 0x00, 0x01 };
  static const guint8 request6[] = { 128, 0, 0xab, 0xcd, 0xff, 0xff, 0x01, 0x00, 'x' };
  static const guint8 unreachable[] = { 3, 1, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 28 };
  static const guint8 solicitation[] = { 135, 0, 0, 0, 0, 0, 0, 0 };
  static const guint8 unknown[] = { 42, 7, 0, 1, 2, 3, 4, 5 };
  const char * const reply_lines[] = {
    "Type: 0 (echo reply)", "Code: 0", "Checksum: 0x1c2b", "Identifier: 0x1234",
    "Sequence: 1", "Payload: 22 bytes", NULL
  };
  const char * const request6_lines[] = {
    "Type: 128 (echo request)", "Code: 0", "Checksum: 0xabcd", "Identifier: 0xffff",
    "Sequence: 256", "Payload: 1 byte", NULL
  };
  const char * const unreachable_lines[] = {
    "Type: 3 (destination unreachable)", "Code: 1", "Checksum: 0x0000",
    "Rest of header: 00 00 00 00", "Payload: 4 bytes", NULL
  };
  const char * const solicitation_lines[] = {
    "Type: 135 (neighbor solicitation)", "Code: 0", "Checksum: 0x0000",
    "Rest of header: 00 00 00 00", "Payload: 0 bytes", NULL
  };
  const char * const unknown_lines[] = {
    "Type: 42", "Code: 7", "Checksum: 0x0001", "Rest of header: 02 03 04 05", "Payload: 0 bytes", NULL
  };
  g_autoptr(GPtrArray) lines = NULL;

  memcpy (reply + 8, "Sockbench ping\0\0\0\0\0\0\0\0", 22);
  lines = sb_icmp_describe (reply, sizeof reply, G_SOCKET_FAMILY_IPV4);
  assert_lines (lines, reply_lines);
  g_clear_pointer (&lines, g_ptr_array_unref);

  lines = sb_icmp_describe (request6, sizeof request6, G_SOCKET_FAMILY_IPV6);
  assert_lines (lines, request6_lines);
  g_clear_pointer (&lines, g_ptr_array_unref);

  lines = sb_icmp_describe (unreachable, sizeof unreachable, G_SOCKET_FAMILY_IPV4);
  assert_lines (lines, unreachable_lines);
  g_clear_pointer (&lines, g_ptr_array_unref);

  lines = sb_icmp_describe (solicitation, sizeof solicitation, G_SOCKET_FAMILY_IPV6);
  assert_lines (lines, solicitation_lines);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Type names depend on the family: 128 means nothing to ICMPv4. */
  lines = sb_icmp_describe (request6, sizeof request6, G_SOCKET_FAMILY_IPV4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "Type: 128");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "Rest of header: ff ff 01 00");
  g_clear_pointer (&lines, g_ptr_array_unref);

  lines = sb_icmp_describe (unknown, sizeof unknown, G_SOCKET_FAMILY_INVALID);
  assert_lines (lines, unknown_lines);
}

static void
test_describe_short (void)
{
  static const guint8 header[] = { 8, 0, 0xf7, 0xfe, 0, 1, 0, 0 };
  const char * const empty_lines[] = {
    "Too short for an ICMP message: 0 bytes of the 8-byte header", NULL
  };
  const char * const three_lines[] = {
    "Type: 8 (echo request)", "Code: 0", "Too short for an ICMP message: 3 bytes of the 8-byte header", NULL
  };
  g_autoptr(GPtrArray) lines = NULL;

  lines = sb_icmp_describe (NULL, 0, G_SOCKET_FAMILY_IPV4);
  assert_lines (lines, empty_lines);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Each prefix in a buffer of exactly its size: nothing is read past it. */
  for (gsize len = 0; len <= sizeof header; len++)
    {
      g_autofree guint8 *copy = g_memdup2 (header, len);

      lines = sb_icmp_describe (copy, len, G_SOCKET_FAMILY_IPV4);
      g_assert_cmpuint (lines->len, ==, len < 8 ? MIN (len, 2) + (len >= 4) + 1 : 6);
      if (len == 3)
        assert_lines (lines, three_lines);
      g_clear_pointer (&lines, g_ptr_array_unref);
    }

  g_test_expect_message ("sb-icmp", G_LOG_LEVEL_CRITICAL, "*data != NULL*");
  g_assert_null (sb_icmp_describe (NULL, 1, G_SOCKET_FAMILY_IPV4));
  g_test_assert_expected_messages ();
}

static void
test_describe_garbage (void)
{
  static const GSocketFamily families[] = {
    G_SOCKET_FAMILY_IPV4, G_SOCKET_FAMILY_IPV6, G_SOCKET_FAMILY_UNIX, G_SOCKET_FAMILY_INVALID, (GSocketFamily) 12345,
  };
  GRand *rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 20000; round++)
    {
      gsize len = g_rand_int_range (rand, 0, round % 100 == 0 ? 70000 : 48);
      /* Exactly len bytes, so a read past them shows under valgrind. */
      g_autofree guint8 *data = g_malloc (len);
      g_autoptr(GPtrArray) lines = NULL;

      for (gsize i = 0; i < len; i++)
        data[i] = (guint8) g_rand_int (rand);

      lines = sb_icmp_describe (data, len, families[round % G_N_ELEMENTS (families)]);
      g_assert_nonnull (lines);
      g_assert_cmpuint (lines->len, >=, 1);
      for (guint i = 0; i < lines->len; i++)
        g_assert_true (g_utf8_validate (g_ptr_array_index (lines, i), -1, NULL));
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_data_func ("/icmp/echo/ipv4", "127.0.0.1", test_echo);
  g_test_add_data_func ("/icmp/echo/ipv6", "::1", test_echo);
  g_test_add_func ("/icmp/send-payload", test_send_payload);
  g_test_add_func ("/icmp/send-error", test_send_error);
  g_test_add_func ("/icmp/count", test_count);
  g_test_add_func ("/icmp/properties", test_properties);
  g_test_add_func ("/icmp/no-reply", test_no_reply);
  g_test_add_func ("/icmp/no-permission", test_no_permission);
  g_test_add_func ("/icmp/describe/messages", test_describe);
  g_test_add_func ("/icmp/describe/short", test_describe_short);
  g_test_add_func ("/icmp/describe/garbage", test_describe_garbage);

  return sb_test_run ();
}
