/* test-local-port.c — a TCP client page's local port and Reconnect, in the
 * spec editor, the setup and a real session on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "sb-session-page-private.h"
#include "sb-session-setup.h"
#include "sb-sessions.h"
#include "sb-spec-editor.h"
#include "sb-stream-client.h"
#include "sb-ui-test-util.h"

/* The local port field: the entry whose placeholder says "any". */
static GtkEditable *
find_local_port (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget) &&
      g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), "any") == 0)
    return GTK_EDITABLE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEditable *found = find_local_port (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static char *
uri_of (SbSpecEditor *editor)
{
  g_autoptr(SbSessionSpec) spec = sb_spec_editor_dup_valid_spec (editor);

  return spec != NULL ? sb_session_spec_to_uri (spec) : NULL;
}

/* Empty is any port; a number or ADDRESS:PORT binds; a bad one is said in
 * the core's words; only TCP clients show the field. */
static void
test_editor (void)
{
  GtkWidget *window = gtk_window_new ();
  SbSpecEditor *editor = SB_SPEC_EDITOR (sb_spec_editor_new ());
  g_autoptr(SbSessionSpec) bound = sb_session_spec_parse ("tcp://127.0.0.1:8080?bind=:40000", NULL);
  g_autoptr(SbSessionSpec) plain = sb_session_spec_parse ("tcp://127.0.0.1:8080", NULL);
  g_autoptr(SbSessionSpec) server = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSessionSpec) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  GtkEditable *local;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));
  sb_spec_editor_set_spec (editor, bound);
  drain ();

  local = find_local_port (GTK_WIDGET (editor));
  g_assert_nonnull (local);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (local)));
  g_assert_cmpstr (gtk_editable_get_text (local), ==, "40000");
  uri = uri_of (editor);
  g_assert_cmpstr (uri, ==, "tcp://127.0.0.1:8080?bind=:40000");
  g_clear_pointer (&uri, g_free);

  gtk_editable_set_text (local, "127.0.0.1:40001");
  uri = uri_of (editor);
  g_assert_cmpstr (uri, ==, "tcp://127.0.0.1:8080?bind=127.0.0.1:40001");
  g_clear_pointer (&uri, g_free);

  gtk_editable_set_text (local, "70000");
  drain ();
  g_assert_false (sb_spec_editor_get_valid (editor));
  none = sb_spec_editor_dup_spec (editor, &error);
  g_assert_null (none);
  g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "Local port: Port “70000” is out of range (0–65535)");
  g_clear_error (&error);

  gtk_editable_set_text (local, "300.1.2.3:5");
  g_assert_false (sb_spec_editor_get_valid (editor));
  none = sb_spec_editor_dup_spec (editor, &error);
  g_assert_nonnull (strstr (error->message, "Local port: "));
  g_assert_nonnull (strstr (error->message, "is not a valid IPv4 address"));
  g_clear_error (&error);

  /* Empty: the system chooses, as before. */
  gtk_editable_set_text (local, "");
  g_assert_true (sb_spec_editor_get_valid (editor));
  uri = uri_of (editor);
  g_assert_cmpstr (uri, ==, "tcp://127.0.0.1:8080");
  g_clear_pointer (&uri, g_free);

  /* A spec without one clears it; other kinds do not show it. */
  gtk_editable_set_text (local, "40000");
  sb_spec_editor_set_spec (editor, plain);
  g_assert_cmpstr (gtk_editable_get_text (local), ==, "");
  sb_spec_editor_set_spec (editor, server);
  drain ();
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (local)));

  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
}

static gboolean
has_peer (gpointer session)
{
  return g_list_model_get_n_items (sb_session_get_peers (session)) == 1;
}

static gboolean
is_listening (gpointer session)
{
  return sb_session_get_local_address (session) != NULL;
}

static gboolean
page_connected (gpointer page)
{
  SbSession *session = sb_session_page_get_session (page);

  return session != NULL && sb_session_get_state (session) == SB_SESSION_STATE_CONNECTED;
}

/* A page from a setup with a local port and reconnect=true: the check shows
 * it, the session gets it, the server sees the port; unticking goes back to
 * the setup and the session. */
static void
test_page (void)
{
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSession) server = sb_session_new (server_spec);
  g_autoptr(SbSessionSetup) setup = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autofree char *uri = NULL;
  SbSessionPage *page = NULL;
  GtkWidget *window = NULL;
  SbSession *client;
  guint16 port = 0;

  sb_session_start (server);
  g_assert_true (wait_for (is_listening, server));

  /* A port that was free a moment ago; once more if another took it. */
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GSocket) probe = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
      g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
      g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
      g_autoptr(GSocketAddress) probed = NULL;
      GSocketAddress *listening = sb_session_get_local_address (server);

      g_assert_true (g_socket_bind (probe, any, FALSE, NULL));
      probed = g_socket_get_local_address (probe, NULL);
      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (probed));
      g_socket_close (probe, NULL);

      g_clear_pointer (&uri, g_free);
      g_clear_pointer (&spec, sb_session_spec_free);
      g_clear_object (&setup);
      uri = g_strdup_printf ("tcp://127.0.0.1:%u?bind=:%u",
                             g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (listening)), port);
      spec = sb_session_spec_parse (uri, NULL);
      setup = sb_session_setup_new (spec);
      sb_session_setup_set_reconnect (setup, TRUE);

      page = g_object_ref_sink (sb_session_page_new_for_setup (setup));
      window = show_in_window (page, 1000, 700);
      g_assert_true (gtk_check_button_get_active (page->reconnect_check));

      sb_session_page_start (page);
      if (wait_for (page_connected, page))
        break;

      /* The port was taken in between. */
      sb_session_page_stop (page);
      gtk_window_destroy (GTK_WINDOW (window));
      drain ();
      g_clear_object (&page);
    }

  g_assert_nonnull (page);
  client = sb_session_page_get_session (page);
  g_assert_true (SB_IS_STREAM_CLIENT (client));
  g_assert_true (sb_stream_client_get_reconnect (SB_STREAM_CLIENT (client)));
  g_assert_true (wait_for (has_peer, server));
  {
    g_autoptr(SbPeer) peer = g_list_model_get_item (sb_session_get_peers (server), 0);

    g_assert_cmpuint (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (sb_peer_get_address (peer))), ==, port);
  }

  /* Unticked: the setup (so the preset) and the session follow. */
  gtk_check_button_set_active (page->reconnect_check, FALSE);
  g_assert_false (sb_session_setup_get_reconnect (setup));
  g_assert_false (sb_stream_client_get_reconnect (SB_STREAM_CLIENT (client)));
  sb_session_setup_set_reconnect (setup, TRUE);
  g_assert_true (gtk_check_button_get_active (page->reconnect_check));
  g_assert_true (sb_stream_client_get_reconnect (SB_STREAM_CLIENT (client)));

  sb_session_page_stop (page);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (page);
  sb_session_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/local-port/editor", test_editor);
  g_test_add_func ("/local-port/page", test_page);

  return g_test_run ();
}
