/* sb-ui-test-util.c — what the GTK tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sb-send-panel.h"
#include "sb-style.h"
#include "sb-sessions.h"
#include "sb-ui-test-util.h"

gboolean
sb_ui_test_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
sb_ui_test_init (int         *argc,
                 char      ***argv,
                 const char  *gtk_a11y)
{
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sockbench-test-bus", TRUE);
  g_setenv ("GTK_A11Y", gtk_a11y, TRUE);

  gtk_test_init (argc, argv, NULL);
  /* The styles the application loads at start-up, for widgets made
   * without it. */
  sb_style_load_for_display (gdk_display_get_default ());
  /* As in the application: the pages' sessions run on the engine's thread. */
  sb_sessions_set_engine (sb_engine_get_default ());
}

SbApplication *
sb_ui_test_new_app (const char *presets_dir)
{
  g_autoptr(GError) error = NULL;
  SbApplication *app = sb_application_new (G_APPLICATION_NON_UNIQUE);

  if (presets_dir != NULL)
    sb_application_set_presets_dir (app, presets_dir);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

SbWindow *
sb_ui_test_new_window (SbApplication *app)
{
  return sb_window_new (GTK_APPLICATION (app), sb_application_get_settings (app),
                        sb_application_get_presets_dir (app));
}

gboolean
wait_for (SbUiTestCondition cond,
          gpointer          data)
{
  gint64 end = g_get_monotonic_time () + SB_UI_TEST_WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, sb_ui_test_tick, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
  return ok;
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
unref_and_wait_finalized (gpointer object)
{
  gpointer alive = object;

  g_object_add_weak_pointer (G_OBJECT (object), &alive);
  g_object_unref (object);
  g_assert_true (wait_for (is_gone, &alive));
}

void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

gpointer
present_and_keep (gpointer window)
{
  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  drain ();
  return window;
}

GtkWidget *
find_first (GtkWidget *widget,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;  /* the list keeps it alive */
    }
  return NULL;
}

void
collect_labels (GtkWidget  *widget,
                const char *css_class,
                gboolean    with_inscriptions,
                GPtrArray  *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class) &&
      gtk_widget_get_visible (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));
  if (with_inscriptions &&
      GTK_IS_INSCRIPTION (widget) && gtk_widget_has_css_class (widget, css_class) &&
      gtk_widget_get_visible (widget) && gtk_widget_get_mapped (widget) &&
      gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL)
    g_ptr_array_add (out, (gpointer) gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_labels (child, css_class, with_inscriptions, out);
}

GtkWidget *
show_in_window (SbSessionPage *page,
                int            width,
                int            height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static gboolean
page_state_is (gpointer data)
{
  SbSessionPage *page = data;
  SbSession *session = sb_session_page_get_session (page);
  SbSessionState want = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), "want-state"));

  return session != NULL && sb_session_get_state (session) == want &&
         (want != SB_SESSION_STATE_LISTENING || sb_session_get_local_address (session) != NULL);
}

void
wait_state (SbSessionPage  *page,
            SbSessionState  state)
{
  g_object_set_data (G_OBJECT (page), "want-state", GINT_TO_POINTER (state));
  g_assert_true (wait_for (page_state_is, page));
}

gboolean
page_running (gpointer page)
{
  SbSession *session = sb_session_page_get_session (page);
  SbSessionState state = session ? sb_session_get_state (session) : SB_SESSION_STATE_IDLE;

  return state == SB_SESSION_STATE_LISTENING || state == SB_SESSION_STATE_CONNECTED;
}

gboolean
has_one_peer (gpointer page)
{
  SbSession *session = sb_session_page_get_session (page);

  return session != NULL && g_list_model_get_n_items (sb_session_get_peers (session)) == 1;
}

char *
client_uri_for (SbSessionPage *server)
{
  GSocketAddress *local = sb_session_get_local_address (sb_session_page_get_session (server));

  return g_strdup_printf ("tcp://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
}

void
page_send_text (SbSessionPage *page,
                const char    *text)
{
  SbSendPanel *panel = SB_SEND_PANEL (find_first (GTK_WIDGET (page), SB_TYPE_SEND_PANEL));

  sb_send_panel_set_text (panel, text);
  g_assert_true (sb_send_panel_send (panel));
}

void
open_tcp_pair (SbWindow       *window,
               SbSessionPage **server_out,
               SbSessionPage **client_out)
{
  SbSessionPage *server, *client;
  g_autofree char *uri = NULL;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", "tcp-listen://127.0.0.1:0");
  server = sb_window_get_current_page (window);
  g_assert_true (wait_for (page_running, server));
  uri = client_uri_for (server);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", uri);
  client = sb_window_get_current_page (window);
  g_assert_true (wait_for (page_running, client));
  g_assert_true (wait_for (has_one_peer, server));

  *server_out = server;
  *client_out = client;
}

void
show_page (SbWindow      *window,
           SbSessionPage *page)
{
  GtkNotebook *notebook = GTK_NOTEBOOK (find_first (GTK_WIDGET (window), GTK_TYPE_NOTEBOOK));

  gtk_notebook_set_current_page (notebook, gtk_notebook_page_num (notebook, GTK_WIDGET (page)));
  drain ();
}

void
destroy_window (SbWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_assert_finalize_object (window);
}
