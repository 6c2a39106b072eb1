/* test-window.c — the real window, driven through its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "sb-application.h"
#include "sb-new-session-dialog.h"
#include "sb-preferences-window.h"
#include "sb-preset.h"
#include "sb-ui-test-util.h"
#include "sb-window.h"

static SbApplication *app;
static char *presets_dir;

/* Widgets inside templates, found by type */

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type,
             guint     *skip)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        {
          if (*skip == 0)
            return child;
          (*skip)--;
        }

      if ((found = find_widget (child, type, skip)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_nth (GtkWidget *root,
          GType      type,
          guint      n)
{
  return find_widget (root, type, &n);
}

/* The "Stop the session and close?" question, or NULL. */
static GtkDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_DIALOG (window);
    }

  return NULL;
}

static SbWindow *
new_window (void)
{
  return present_and_keep (sb_ui_test_new_window (app));
}

static const char *
visible_child (SbWindow *window)
{
  GtkWidget *stack = find_nth (GTK_WIDGET (window), GTK_TYPE_STACK, 0);

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

/* Tests */

static void
test_encoding_by_language (void)
{
  static const struct {
    const char *languages[4];
    const char *encoding;
  } cases[] = {
    { { "zh_CN.UTF-8", "zh_CN", "zh", NULL }, "GB18030" },
    { { "zh_SG", NULL }, "GB18030" },
    { { "zh_TW.UTF-8", "zh_TW", "zh", NULL }, "BIG5" },
    { { "zh_HK", NULL }, "BIG5" },
    { { "en_US.UTF-8", "en_US", "en", NULL }, "UTF-8" },
    { { "C", NULL }, "UTF-8" },
    { { NULL }, "UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *got = sb_codec_encoding_for_languages (cases[i].languages);

      g_assert_cmpint (g_ascii_strcasecmp (got, cases[i].encoding), ==, 0);
    }
}

static void
test_empty_state (void)
{
  SbWindow *window = new_window ();

  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 0);
  g_assert_cmpstr (visible_child (window), ==, "empty");

  sb_window_add_default_page (window);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 1);
  g_assert_cmpstr (visible_child (window), ==, "sessions");
  /* The default page is not started. */
  g_assert_null (sb_session_page_get_session (sb_window_get_current_page (window)));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  drain ();
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 0);
  g_assert_cmpstr (visible_child (window), ==, "empty");

  destroy_window (window);
}

static gboolean
session_in_state (gpointer data)
{
  SbSessionPage *page = data;
  SbSession *session = sb_session_page_get_session (page);
  SbSessionState state;

  if (session == NULL)
    return FALSE;

  state = sb_session_get_state (session);
  g_assert_cmpint (state, !=, SB_SESSION_STATE_FAILED);

  return state == SB_SESSION_STATE_LISTENING || state == SB_SESSION_STATE_CONNECTED;
}

static void
test_open_and_close (void)
{
  SbWindow *window = new_window ();
  SbSessionPage *server;
  SbSessionPage *client;
  GSocketAddress *local;
  GtkDialog *dialog;
  g_autofree char *client_uri = NULL;
  guint16 port;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", "tcp-listen://127.0.0.1:0");
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 1);
  server = sb_window_get_current_page (window);
  g_assert_true (wait_for (session_in_state, server));

  /* History limits and the timeout from the settings reach the session. */
  g_assert_cmpuint (sb_history_get_max_records (sb_session_get_history (sb_session_page_get_session (server))),
                    ==, 1000000);

  local = sb_session_get_local_address (sb_session_page_get_session (server));
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (local));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_assert_cmpuint (port, >, 0);

  client_uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", client_uri);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 2);
  client = sb_window_get_current_page (window);
  g_assert_true (client != server);
  g_assert_true (wait_for (session_in_state, client));
  g_assert_true (wait_for (has_one_peer, server));

  /* A bad URI opens nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", "tcp://no-port-here");
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 2);

  /* The last used set-up is remembered for the next new session. */
  {
    g_autofree char *last = g_settings_get_string (sb_application_get_settings (app), "last-uri");
    g_auto(GStrv) recent = g_settings_get_strv (sb_application_get_settings (app), "recent-uris");

    g_assert_cmpstr (last, ==, client_uri);
    g_assert_cmpstr (recent[0], ==, client_uri);
  }

  /* Closing a running session asks first; Cancel keeps it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  {
    g_autofree char *text = NULL;

    g_object_get (dialog, "text", &text, NULL);
    g_assert_cmpstr (text, ==, "Stop the session and close?");
  }
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 2);
  gtk_dialog_response (dialog, GTK_RESPONSE_CANCEL);
  g_assert_null (find_message_dialog ());
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 2);
  g_assert_true (sb_session_is_running (sb_session_page_get_session (client)));

  /* Close stops it and closes the tab. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  gtk_dialog_response (find_message_dialog (), GTK_RESPONSE_ACCEPT);
  g_assert_null (find_message_dialog ());
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 1);
  g_assert_true (sb_window_get_current_page (window) == server);

  /* Closing the window asks too. */
  gtk_window_close (GTK_WINDOW (window));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  gtk_dialog_response (dialog, GTK_RESPONSE_CANCEL);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 1);

  /* win.force-close-tab never asks. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.force-close-tab", NULL);
  g_assert_null (find_message_dialog ());
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 0);
  g_assert_cmpstr (visible_child (window), ==, "empty");

  destroy_window (window);
}

/* Confirmed, closing the window stops its sessions and destroys it. */
static void
test_close_window_confirmed (void)
{
  SbWindow *window = new_window ();
  SbSessionPage *server;
  g_autoptr(SbSession) session = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", "tcp-listen://127.0.0.1:0");
  server = sb_window_get_current_page (window);
  g_assert_true (wait_for (session_in_state, server));
  session = g_object_ref (sb_session_page_get_session (server));

  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (sb_session_is_running (session));
  gtk_dialog_response (find_message_dialog (), GTK_RESPONSE_ACCEPT);
  g_assert_false (sb_session_is_running (session));
  drain ();
  g_assert_finalize_object (window);
}

static SbNewSessionDialog *
find_dialog (void)
{
  return (SbNewSessionDialog *) find_toplevel (SB_TYPE_NEW_SESSION_DIALOG);
}

static void
test_new_session_dialog (void)
{
  SbWindow *window = new_window ();
  SbNewSessionDialog *dialog;
  GtkWidget *host_entry;
  GtkWidget *bind_entry;
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autoptr(SbSessionSpec) parsed = NULL;
  g_autoptr(GError) error = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-session", NULL);
  drain ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_object_ref (dialog);

  /* Every kind reads back what it was given. */
  {
    static const char *uris[] = {
      "tcp://[::1]:7",
      "tcp-listen://0.0.0.0:8080",
      "udp://192.0.2.1:53",
      "udp-listen://127.0.0.1:5000",
      "unix:///tmp/sockbench-test.sock",
      "unix-listen:///tmp/sockbench-test.sock",
      "unixgram:///tmp/a.sock?bind=/tmp/b.sock",
    };

    for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
      {
        g_autoptr(SbSessionSpec) want = sb_session_spec_parse (uris[i], &error);
        g_autoptr(SbSessionSpec) got = NULL;

        g_assert_no_error (error);
        sb_new_session_dialog_set_spec (dialog, want);
        got = sb_new_session_dialog_dup_spec (dialog, &error);
        g_assert_no_error (error);
        if (!sb_session_spec_equal (want, got))
          {
            g_autofree char *got_uri = sb_session_spec_to_uri (got);

            g_error ("%s came back as %s", uris[i], got_uri);
          }
      }
  }

  /* Invalid input: the core's message, and the dialog stays. */
  parsed = sb_session_spec_parse ("tcp://127.0.0.1:80", NULL);
  sb_new_session_dialog_set_spec (dialog, parsed);
  host_entry = find_nth (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, 0);
  gtk_editable_set_text (GTK_EDITABLE (host_entry), "bad host name");
  spec = sb_new_session_dialog_dup_spec (dialog, &error);
  g_assert_null (spec);
  g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
  g_clear_error (&error);
  /* A bad IPv4 literal is an invalid address, not a failed lookup. */
  gtk_editable_set_text (GTK_EDITABLE (host_entry), "300.1.2.3");
  spec = sb_new_session_dialog_dup_spec (dialog, &error);
  g_assert_null (spec);
  g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not a valid IPv4 address"));
  g_clear_error (&error);

  /* Switching to UDP with the target and the bind the same binds any
   * free port: a first datagram does not come back to its own socket. */
  {
    GtkDropDown *kind = GTK_DROP_DOWN (find_nth (GTK_WIDGET (dialog), GTK_TYPE_DROP_DOWN, 0));
    g_autoptr(SbSessionSpec) udp = NULL;

    gtk_editable_set_text (GTK_EDITABLE (host_entry), "127.0.0.1");
    g_clear_pointer (&parsed, sb_session_spec_free);
    parsed = sb_session_spec_parse ("tcp-listen://127.0.0.1:8080", NULL);
    sb_new_session_dialog_set_spec (dialog, parsed);
    g_clear_pointer (&parsed, sb_session_spec_free);
    parsed = sb_session_spec_parse ("tcp://127.0.0.1:8080", NULL);
    sb_new_session_dialog_set_spec (dialog, parsed);
    gtk_drop_down_set_selected (kind, SB_KIND_UDP);
    udp = sb_new_session_dialog_dup_spec (dialog, &error);
    g_assert_no_error (error);
    g_assert_cmpint (udp->kind, ==, SB_KIND_UDP);
    g_assert_cmpstr (udp->host, ==, "127.0.0.1");
    g_assert_cmpuint (udp->port, ==, 8080);
    g_assert_true (udp->has_bind);
    g_assert_cmpuint (udp->bind_port, ==, 0);
  }

  g_clear_pointer (&parsed, sb_session_spec_free);
  parsed = sb_session_spec_parse ("tcp://127.0.0.1:80", NULL);
  sb_new_session_dialog_set_spec (dialog, parsed);
  gtk_editable_set_text (GTK_EDITABLE (host_entry), "bad host name");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.create", NULL);
  drain ();
  g_assert_true (find_dialog () == dialog);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 0);

  /* A valid server, not started: Create adds and selects the page. */
  g_clear_pointer (&parsed, sb_session_spec_free);
  parsed = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  sb_new_session_dialog_set_spec (dialog, parsed);
  bind_entry = find_nth (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, 2);  /* host, local port, bind */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bind_entry)), ==, "127.0.0.1");
  g_settings_set_boolean (sb_application_get_settings (app), "start-new-sessions", FALSE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.create", NULL);
  drain ();
  g_assert_null (find_dialog ());
  g_assert_finalize_object (dialog);

  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 1);
  g_assert_null (sb_session_page_get_session (sb_window_get_current_page (window)));
  {
    g_autofree char *last = g_settings_get_string (sb_application_get_settings (app), "last-uri");

    g_assert_cmpstr (last, ==, "tcp-listen://127.0.0.1:0");
  }

  /* Escape cancels. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-session", NULL);
  drain ();
  dialog = g_object_ref (find_dialog ());
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  drain ();
  g_assert_null (find_dialog ());
  g_assert_finalize_object (dialog);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 1);

  g_settings_reset (sb_application_get_settings (app), "start-new-sessions");
  destroy_window (window);
}

static void
test_settings_reach_pages (void)
{
  GSettings *settings = sb_application_get_settings (app);
  SbWindow *window = new_window ();
  SbSessionPage *page;
  g_autofree char *encoding = NULL;

  g_settings_set_string (settings, "encoding", "GBK");
  g_settings_set_string (settings, "view-mode", "hex");

  page = sb_window_add_default_page (window);
  g_assert_cmpstr (sb_session_page_get_encoding (page), ==, "GBK");
  g_assert_cmpint (sb_session_page_get_view_mode (page), ==, SB_VIEW_MODE_HEX);

  /* The encoding picked in a page is that page's only (issue 19 item 11):
   * the default for new tabs and Preferences stays. The view mode picked
   * becomes the default. */
  sb_session_page_set_encoding (page, "UTF-8");
  sb_session_page_set_view_mode (page, SB_VIEW_MODE_BOTH);
  encoding = g_settings_get_string (settings, "encoding");
  g_assert_cmpstr (encoding, ==, "GBK");
  {
    SbSessionPage *second = sb_window_add_default_page (window);

    g_assert_cmpstr (sb_session_page_get_encoding (second), ==, "GBK");
    g_assert_cmpstr (sb_session_page_get_encoding (page), ==, "UTF-8");
  }
  {
    g_autofree char *view = g_settings_get_string (settings, "view-mode");

    g_assert_cmpstr (view, ==, "both");
  }

  g_settings_reset (settings, "encoding");
  g_settings_reset (settings, "view-mode");
  destroy_window (window);
}

static void
test_preferences (void)
{
  GSettings *settings = sb_application_get_settings (app);
  SbPreferencesWindow *prefs = present_and_keep (sb_preferences_window_new (settings));
  GtkWidget *encoding_dropdown;
  GtkWidget *view_dropdown;
  GtkWidget *style_dropdown;
  GtkWidget *records_spin;
  g_autofree char *view = NULL;
  g_autofree char *scheme = NULL;

  encoding_dropdown = find_nth (GTK_WIDGET (prefs), GTK_TYPE_DROP_DOWN, 0);
  view_dropdown = find_nth (GTK_WIDGET (prefs), GTK_TYPE_DROP_DOWN, 1);
  style_dropdown = find_nth (GTK_WIDGET (prefs), GTK_TYPE_DROP_DOWN, 2);
  records_spin = find_nth (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON, 0);

  /* "" (by language) is the first row. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (encoding_dropdown)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (encoding_dropdown))), >, 2);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (view_dropdown), 1);
  view = g_settings_get_string (settings, "view-mode");
  g_assert_cmpstr (view, ==, "hex");

  gtk_drop_down_set_selected (GTK_DROP_DOWN (style_dropdown), 2);
  scheme = g_settings_get_string (settings, "color-scheme");
  g_assert_cmpstr (scheme, ==, "dark");
  drain ();
  {
    gboolean dark = FALSE;

    g_object_get (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", &dark, NULL);
    g_assert_true (dark);
  }

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (records_spin), 5000);
  g_assert_cmpuint (g_settings_get_uint (settings, "history-max-records"), ==, 5000);

  g_settings_set_uint (settings, "connect-timeout", 3);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (find_nth (GTK_WIDGET (prefs), GTK_TYPE_SPIN_BUTTON, 2))),
                     ==, 3.0);

  gtk_window_destroy (GTK_WINDOW (prefs));
  drain ();
  g_assert_finalize_object (prefs);

  g_settings_reset (settings, "view-mode");
  g_settings_reset (settings, "color-scheme");
  g_settings_reset (settings, "history-max-records");
  g_settings_reset (settings, "connect-timeout");
}

static void
test_preset_state (void)
{
  SbWindow *window = new_window ();
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) pages = NULL;
  gsize n_pages = 0;
  guint n_opened;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", "udp-listen://127.0.0.1:0");
  sb_window_add_default_page (window);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 2);

  keyfile = sb_window_save_state (window);
  g_assert_true (sb_preset_validate (keyfile, &error));
  g_assert_no_error (error);
  pages = sb_preset_get_pages (keyfile, &n_pages);
  g_assert_cmpuint (n_pages, ==, 2);

  g_assert_true (sb_preset_save (presets_dir, "Test bench", keyfile, &error));
  g_assert_no_error (error);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.force-close-tab", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.force-close-tab", NULL);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 0);

  n_opened = sb_window_load_state (window, keyfile, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_opened, ==, 2);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 2);

  destroy_window (window);
}

static GtkWindow *
find_toplevel_titled (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (window), title) == 0)
        return window;
    }

  return NULL;
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static gboolean
list_has_rows (gpointer data)
{
  return find_nth (data, GTK_TYPE_LIST_BOX_ROW, 0) != NULL &&
         find_nth (data, GTK_TYPE_BUTTON, 0) != NULL;
}

static gboolean
has_pages (gpointer data)
{
  return sb_window_get_n_pages (data) == 2;
}

static void
test_preset_dialogs (void)
{
  SbWindow *window = new_window ();
  GtkWindow *dialog;
  GtkWidget *entry;
  GtkWidget *button;
  GtkWidget *error_label;
  g_autofree char *path = g_build_filename (presets_dir, "Dialog bench.sbpreset", NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", "tcp-listen://127.0.0.1:0");
  sb_window_add_default_page (window);

  /* Save Current…: a bad name is refused in place. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save-preset", NULL);
  drain ();
  dialog = find_toplevel_titled ("Save Preset");
  g_assert_nonnull (dialog);
  entry = find_nth (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), "../escape");
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  drain ();
  g_assert_true (find_toplevel_titled ("Save Preset") == dialog);
  for (guint i = 0; (error_label = find_nth (GTK_WIDGET (dialog), GTK_TYPE_LABEL, i)) != NULL; i++)
    {
      if (gtk_widget_has_css_class (error_label, "error"))
        break;
    }
  g_assert_nonnull (error_label);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");

  gtk_editable_set_text (GTK_EDITABLE (entry), "Dialog bench");
  g_signal_emit_by_name (gtk_window_get_default_widget (dialog), "clicked");
  drain ();
  g_assert_null (find_toplevel_titled ("Save Preset"));
  g_assert_true (wait_for (file_exists, path));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.force-close-tab", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.force-close-tab", NULL);
  g_assert_cmpuint (sb_window_get_n_pages (window), ==, 0);

  /* Open…: the list shows it; Open brings both tabs back. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-preset", NULL);
  drain ();
  dialog = find_toplevel_titled ("Open Preset");
  g_assert_nonnull (dialog);
  g_assert_true (wait_for (list_has_rows, dialog));
  button = find_nth (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, 0);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Open");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (wait_for (has_pages, window));
  g_assert_null (find_toplevel_titled ("Open Preset"));

  g_unlink (path);
  destroy_window (window);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  /* No session bus is needed; never start one. */
  sb_ui_test_init (&argc, &argv, "none");

  presets_dir = g_dir_make_tmp ("sockbench-window-XXXXXX", &error);
  g_assert_no_error (error);

  app = sb_ui_test_new_app (presets_dir);

  g_test_add_func ("/window/encoding-by-language", test_encoding_by_language);
  g_test_add_func ("/window/empty-state", test_empty_state);
  g_test_add_func ("/window/open-and-close", test_open_and_close);
  g_test_add_func ("/window/close-window-confirmed", test_close_window_confirmed);
  g_test_add_func ("/window/new-session-dialog", test_new_session_dialog);
  g_test_add_func ("/window/settings-reach-pages", test_settings_reach_pages);
  g_test_add_func ("/window/preferences", test_preferences);
  g_test_add_func ("/window/preset-state", test_preset_state);
  g_test_add_func ("/window/preset-dialogs", test_preset_dialogs);

  status = g_test_run ();

  {
    g_autofree char *file = g_build_filename (presets_dir, "Test bench.sbpreset", NULL);

    g_unlink (file);
    g_rmdir (presets_dir);
  }
  g_free (presets_dir);
  g_clear_object (&app);

  return status;
}
