/* test-relay-page.c — a relay page: its panel instead of the send panel,
 * faults set from the panel, intercept (a held read edited in the window
 * reaches the server as edited) and a rewrite rule added in the panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "sb-relay.h"
#include "sb-session-page-private.h"
#include "sb-spec-editor.h"
#include "sb-tls-options-editor.h"
#include "sb-ui-test-util.h"

/* The first check button under @widget whose label is @label. */
static GtkCheckButton *
find_check (GtkWidget  *widget,
            const char *label)
{
  if (GTK_IS_CHECK_BUTTON (widget) &&
      g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), label) == 0)
    return GTK_CHECK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkCheckButton *found = find_check (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkExpander *
find_expander (GtkWidget  *widget,
               const char *label)
{
  if (GTK_IS_EXPANDER (widget) && g_strcmp0 (gtk_expander_get_label (GTK_EXPANDER (widget)), label) == 0)
    return GTK_EXPANDER (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkExpander *found = find_expander (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkEntry *
find_entry_with_placeholder (GtkWidget  *widget,
                             const char *placeholder)
{
  if (GTK_IS_ENTRY (widget) &&
      g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), placeholder) == 0)
    return GTK_ENTRY (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkEntry *found = find_entry_with_placeholder (child, placeholder);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The spin buttons under @widget, in tree order. */
static void
collect_spins (GtkWidget *widget,
               GPtrArray *out)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_spins (child, out);
}

typedef struct
{
  GSocket    *socket;
  GByteArray *received;
} Server;

static gboolean
server_has (gpointer data)
{
  gpointer *args = data;
  Server *server = args[0];
  const char *want = args[1];
  char buffer[256];
  gssize n;

  while ((n = g_socket_receive (server->socket, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (server->received, (guint8 *) buffer, n);

  return server->received->len == strlen (want) &&
         memcmp (server->received->data, want, server->received->len) == 0;
}

static gboolean
accepted (gpointer data)
{
  gpointer *args = data;

  *(GSocket **) args[1] = g_socket_accept (args[0], NULL, NULL);
  return *(GSocket **) args[1] != NULL;
}

static gboolean
held_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (sb_relay_panel_get_held_text (args[0]), args[1]) == 0;
}

static void
test_intercept_edit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autofree char *uri = NULL;
  Server server = { NULL, g_byte_array_new () };
  SbSessionPage *page;
  SbSession *session;
  SbRelayPanel *panel;
  GtkCheckButton *intercept;
  GtkWidget *window;
  GtkWidget *entry;
  SbRelayFaults faults;
  gpointer args[2];

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_true (g_socket_bind (listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (listener, &error));
  g_socket_set_blocking (listener, FALSE);
  bound = g_socket_get_local_address (listener, &error);
  uri = g_strdup_printf ("relay://127.0.0.1:0?to=127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  spec = sb_session_spec_parse (uri, &error);
  g_assert_no_error (error);
  page = g_object_ref_sink (sb_session_page_new (spec));
  window = show_in_window (page, 1000, 700);
  panel = page->relay_panel;
  sb_session_page_start (page);
  g_assert_true (wait_for (page_running, page));
  session = sb_session_page_get_session (page);

  /* The relay's panel stands where the send panel is. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->send_panel)));
  g_assert_true (g_str_has_prefix (sb_session_page_get_title (page), "TCP relay :"));

  /* A fault set in the panel is the session's at once: the first spin
   * button is the delay client → server. */
  gtk_expander_set_expanded (GTK_EXPANDER (find_first (GTK_WIDGET (panel), GTK_TYPE_EXPANDER)), TRUE);
  collect_spins (GTK_WIDGET (panel), spins);
  g_assert_cmpuint (spins->len, >, 2);
  gtk_spin_button_set_value (spins->pdata[0], 40);
  g_assert_true (sb_session_relay_get_faults (session, SB_RELAY_TO_SERVER, &faults));
  g_assert_cmpuint (faults.delay_ms, ==, 40);
  gtk_spin_button_set_value (spins->pdata[0], 0);

  intercept = find_check (GTK_WIDGET (panel), "_Intercept client → server");
  g_assert_nonnull (intercept);
  gtk_check_button_set_active (intercept, TRUE);
  g_assert_true (sb_session_relay_get_intercept (session, SB_RELAY_TO_SERVER));

  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_true (g_socket_connect (client, sb_session_get_local_address (session), NULL, &error));
  args[0] = listener;
  args[1] = &server.socket;
  g_assert_true (wait_for (accepted, args));
  g_socket_set_blocking (server.socket, FALSE);

  g_assert_cmpint (g_socket_send (client, "hello\n", 6, NULL, &error), ==, 6);
  args[0] = panel;
  args[1] = "hello\\n";
  g_assert_true (wait_for (held_is, args));

  /* Edited as text with escapes, forwarded with the panel's action. */
  entry = find_first (GTK_WIDGET (panel), GTK_TYPE_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (entry), "HELLO\\x21\\n");
  gtk_widget_activate_action (GTK_WIDGET (panel), "relay.forward", NULL);
  args[0] = &server;
  args[1] = "HELLO!\n";
  g_assert_true (wait_for (server_has, args));
  g_assert_cmpstr (sb_relay_panel_get_held_text (panel), ==, "");

  /* A rewrite rule added in the panel changes what the server gets. */
  gtk_check_button_set_active (intercept, FALSE);
  gtk_expander_set_expanded (GTK_EXPANDER (find_expander (GTK_WIDGET (panel), "_Rewrite rules")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (find_entry_with_placeholder (GTK_WIDGET (panel), "Replace with")), "there");
  gtk_editable_set_text (GTK_EDITABLE (find_entry_with_placeholder (GTK_WIDGET (panel), "Find (escapes: \\r \\n \\xNN)")), "world");
  gtk_widget_activate_action (GTK_WIDGET (panel), "relay.add-rule", NULL);
  g_assert_cmpint (g_socket_send (client, "world", 5, NULL, &error), ==, 5);
  args[0] = &server;
  args[1] = "HELLO!\nthere";
  g_assert_true (wait_for (server_has, args));

  /* Edited as a template: ${rx} is the held read. */
  gtk_check_button_set_active (intercept, TRUE);
  gtk_check_button_set_active (find_check (GTK_WIDGET (panel), "_Template"), TRUE);
  g_assert_cmpint (g_socket_send (client, "abc", 3, NULL, &error), ==, 3);
  args[0] = panel;
  args[1] = "abc";
  g_assert_true (wait_for (held_is, args));
  gtk_editable_set_text (GTK_EDITABLE (entry), "<${rx}>");
  gtk_widget_activate_action (GTK_WIDGET (panel), "relay.forward", NULL);
  args[0] = &server;
  args[1] = "HELLO!\nthere<abc>";
  g_assert_true (wait_for (server_has, args));

  sb_session_page_stop (page);
  g_socket_close (client, NULL);
  g_clear_object (&server.socket);
  g_byte_array_unref (server.received);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

/* A page opened from a setup shows its relay options, applies them to its
 * session, and keeps what is changed in the setup. */
static void
test_setup_options (void)
{
  const char *options[] = { "delay=c2s:70", "rewrite=s2c:ok=OK", NULL };
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("relay://127.0.0.1:0?to=127.0.0.1:9", NULL);
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (spec);
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  SbSessionPage *page;
  GtkWidget *window;
  SbRelayFaults faults;
  const char * const *kept;

  g_assert_true (sb_session_setup_set_relay (setup, options, &error));
  page = g_object_ref_sink (sb_session_page_new_for_setup (setup));
  window = show_in_window (page, 1000, 700);
  gtk_expander_set_expanded (GTK_EXPANDER (find_first (GTK_WIDGET (page->relay_panel), GTK_TYPE_EXPANDER)), TRUE);
  collect_spins (GTK_WIDGET (page->relay_panel), spins);
  g_assert_cmpfloat (gtk_spin_button_get_value (spins->pdata[0]), ==, 70);

  sb_session_page_start (page);
  g_assert_true (wait_for (page_running, page));
  g_assert_true (sb_session_relay_get_faults (sb_session_page_get_session (page), SB_RELAY_TO_SERVER, &faults));
  g_assert_cmpuint (faults.delay_ms, ==, 70);

  /* The server → client delay, set in the panel, is kept in the setup. */
  gtk_spin_button_set_value (spins->pdata[1], 30);
  kept = sb_session_setup_get_relay (sb_session_page_get_setup (page));
  g_assert_true (g_strv_contains (kept, "delay=s2c:30"));
  g_assert_true (g_strv_contains (kept, "delay=c2s:70"));
  g_assert_true (g_strv_contains (kept, "rewrite=s2c:ok=OK"));

  sb_session_page_stop (page);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

/* The first label under @widget whose text (mnemonic) is @text. */
static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* relay-tls:// in the spec editor: its kind in the drop-down, the TLS
 * options with the upstream's CAs and SNI, and the URI back as it was. */
static void
test_tls_spec (void)
{
  g_autoptr(SbSessionSpec) spec =
    sb_session_spec_parse ("relay-tls://127.0.0.1:0?to=127.0.0.1:9&ca=/tmp/ca.pem&sni=example.org", NULL);
  g_autoptr(SbSessionSpec) back = NULL;
  g_autoptr(SbSessionSpec) chosen = NULL;
  GtkWidget *editor = g_object_ref_sink (sb_spec_editor_new ());
  GtkWidget *window = gtk_window_new ();
  GtkWidget *tls_editor;
  GtkDropDown *kinds;

  gtk_window_set_child (GTK_WINDOW (window), editor);
  gtk_window_present (GTK_WINDOW (window));
  sb_spec_editor_set_spec (SB_SPEC_EDITOR (editor), spec);
  g_assert_cmpint (sb_spec_editor_get_kind (SB_SPEC_EDITOR (editor)), ==, SB_KIND_RELAY_TLS);
  back = sb_spec_editor_dup_valid_spec (SB_SPEC_EDITOR (editor));
  g_assert_nonnull (back);
  g_assert_true (sb_session_spec_equal (spec, back));

  tls_editor = find_first (editor, SB_TYPE_TLS_OPTIONS_EDITOR);
  g_assert_true (gtk_widget_get_visible (tls_editor));
  gtk_expander_set_expanded (GTK_EXPANDER (find_first (tls_editor, GTK_TYPE_EXPANDER)), TRUE);
  g_assert_nonnull (find_label (tls_editor, "Upstream’s C_As (PEM)"));

  /* The kind is the last of the drop-down, as in the enum. */
  kinds = GTK_DROP_DOWN (find_first (editor, GTK_TYPE_DROP_DOWN));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (kinds)), ==, SB_N_KINDS);
  gtk_drop_down_set_selected (kinds, SB_KIND_RELAY_TCP);
  g_assert_false (gtk_widget_get_visible (tls_editor));
  gtk_drop_down_set_selected (kinds, SB_KIND_RELAY_TLS);
  g_assert_true (gtk_widget_get_visible (tls_editor));
  chosen = sb_spec_editor_dup_valid_spec (SB_SPEC_EDITOR (editor));
  g_assert_nonnull (chosen);
  g_assert_cmpint (chosen->kind, ==, SB_KIND_RELAY_TLS);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (editor);
}

int
main (int   argc,
      char *argv[])
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/relay-page/intercept-edit", test_intercept_edit);
  g_test_add_func ("/relay-page/setup-options", test_setup_options);
  g_test_add_func ("/relay-page/tls-spec", test_tls_spec);

  return g_test_run ();
}
