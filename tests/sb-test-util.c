/* sb-test-util.c — what the socket tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sb-sessions.h"
#include "sb-test-util.h"

gboolean
sb_test_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
sb_test_init (int    *argc,
              char ***argv)
{
  g_test_init (argc, argv, NULL);

  sb_test_tmpdir = g_dir_make_tmp ("sockbench-test-XXXXXX", NULL);
  g_assert_nonnull (sb_test_tmpdir);
}

int
sb_test_run (void)
{
  int status = g_test_run ();

  g_rmdir (sb_test_tmpdir);
  g_clear_pointer (&sb_test_tmpdir, g_free);

  return status;
}

char *sb_test_tmpdir;

SbSession *
session_for (const char *uri)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, &error);

  g_assert_no_error (error);
  return sb_session_new (spec);
}

SbSession *
start (const char *uri)
{
  SbSession *session = session_for (uri);

  sb_session_start (session);
  return session;
}

gboolean
is_ready (SbSession *session)
{
  SbSessionState state = sb_session_get_state (session);

  if (state == SB_SESSION_STATE_FAILED)
    g_error ("session failed: %s", sb_session_get_error (session)->message);

  return state == SB_SESSION_STATE_LISTENING || state == SB_SESSION_STATE_CONNECTED;
}

SbSession *
start_ready (const char *uri)
{
  SbSession *session = start (uri);

  WAIT_UNTIL (is_ready (session));
  return session;
}

SbSession *
start_ready_on (const char *uri,
                SbEngine   *engine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, &error);
  SbSession *session;

  g_assert_no_error (error);
  session = sb_session_new_on (spec, engine);
  sb_session_start (session);
  WAIT_UNTIL (is_ready (session));
  return session;
}

guint16
local_port (SbSession *session)
{
  GSocketAddress *address = sb_session_get_local_address (session);

  g_assert_true (G_IS_INET_SOCKET_ADDRESS (address));
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

SbSession *
start_client_to (const char *scheme,
                 const char *host,
                 SbSession  *server)
{
  g_autofree char *uri = g_strdup_printf ("%s://%s:%u", scheme, host, local_port (server));

  return start_ready (uri);
}

guint
n_peers (SbSession *session)
{
  return g_list_model_get_n_items (sb_session_get_peers (session));
}

SbPeer *
peer_at (SbSession *session,
         guint      i)
{
  g_autoptr(SbPeer) peer = g_list_model_get_item (sb_session_get_peers (session), i);

  return peer;  /* the list keeps it alive */
}

/* All payload bytes recorded in @direction, in order. */
GByteArray *
collect (SbSession   *session,
         SbDirection  direction)
{
  SbHistory *history = sb_session_get_history (session);
  GByteArray *all = g_byte_array_new ();

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      const guint8 *data;
      gsize len;

      if (sb_history_get_direction (history, i) != direction)
        continue;
      data = sb_history_peek_data (history, i, &len);
      g_byte_array_append (all, data, len);
    }

  return all;
}

gsize
collected_len (SbSession   *session,
               SbDirection  direction)
{
  g_autoptr(GByteArray) all = collect (session, direction);

  return all->len;
}

guint
count_events (SbSession   *session,
              SbEventKind  kind)
{
  SbHistory *history = sb_session_get_history (session);
  guint n = 0;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      if (sb_history_get_direction (history, i) == SB_DIRECTION_EVENT &&
          sb_history_get_event (history, i) == kind)
        n++;
    }

  return n;
}

gboolean
received_equals (SbSession  *session,
                 const char *text)
{
  g_autoptr(GByteArray) rx = collect (session, SB_DIRECTION_RX);

  return rx->len == strlen (text) && memcmp (rx->data, text, rx->len) == 0;
}

void
send_text (SbSession  *session,
           SbPeer     *peer,
           const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_session_send (session, peer, bytes, &error));
  g_assert_no_error (error);
}

void
stop_and_free (SbSession *session)
{
  gpointer alive = session;

  sb_session_stop (session);
  /* Operations the stop cancelled (a TLS handshake in GIO's worker
   * thread, an accept) let go of the session when their callbacks run. */
  g_object_add_weak_pointer (G_OBJECT (session), &alive);
  g_object_unref (session);
  WAIT_UNTIL (alive == NULL);
}

SbFramer *
framer (const char *spec)
{
  g_autoptr(GError) error = NULL;
  SbFramer *framer = sb_framer_new_from_spec (spec, &error);

  g_assert_no_error (error);
  return framer;
}

guint
n_open_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

gboolean
have_ipv6 (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/* A plain socket, for peers that misbehave on purpose. */
GSocket *
raw_connect (SbSession *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, local_port (server));
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &error);

  g_assert_no_error (error);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);

  return socket;
}

