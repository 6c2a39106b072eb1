/* test-examples.c — Help → Examples and the page's "Export as Python…"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sb-application.h"
#include "sb-calls-view.h"
#include "sb-examples-window.h"
#include "sb-session-page.h"
#include "sb-session-page-private.h"
#include "sb-ui-test-util.h"
#include "sb-window.h"

#define GREETING  "您好，您收到了服务器的新年祝福！"
/* 服务端收到信息啦！ in GBK, written out so the codec is not its own judge. */
#define GBK_REPLY "\xb7\xfe\xce\xf1\xb6\xcb\xca\xd5\xb5\xbd\xd0\xc5\xcf\xa2\xc0\xb2\xa3\xa1"

static SbApplication *app;

static GtkWidget *
find_start_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "examples.start") == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_start_button (child);
      if (found)
        return found;
    }
  return NULL;
}

/* Every byte of @direction in @page's history, in order. */
static GBytes *
history_bytes (SbSessionPage *page,
               SbDirection    direction)
{
  SbSession *session = sb_session_page_get_session (page);
  g_autoptr(GByteArray) all = g_byte_array_new ();
  GListModel *history;

  if (session == NULL)
    return g_byte_array_free_to_bytes (g_steal_pointer (&all));
  history = G_LIST_MODEL (sb_session_get_history (session));
  sb_history_flush (SB_HISTORY (history));
  for (guint i = 0, n = g_list_model_get_n_items (history); i < n; i++)
    {
      g_autoptr(SbHistoryItem) item = g_list_model_get_item (history, i);
      g_autoptr(GBytes) data = NULL;
      gsize len;
      const guint8 *bytes;

      if (sb_history_item_get_direction (item) != direction)
        continue;
      data = sb_history_item_dup_data (item);
      bytes = g_bytes_get_data (data, &len);
      g_byte_array_append (all, bytes, len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&all));
}

typedef struct
{
  SbSessionPage *page;
  SbDirection    direction;
  const char    *expect;
} BytesWait;

static gboolean
history_is (gpointer data)
{
  BytesWait *w = data;
  g_autoptr(GBytes) bytes = history_bytes (w->page, w->direction);
  gsize len;
  const char *got = g_bytes_get_data (bytes, &len);

  return len == strlen (w->expect) && memcmp (got, w->expect, len) == 0;
}

static gboolean
not_running (gpointer data)
{
  SbSession *session = sb_session_page_get_session (data);

  return session != NULL && !sb_session_is_running (session);
}

static SbExamplesWindow *
open_examples (void)
{
  return present_and_keep (sb_examples_window_new (NULL));
}

/* Closes @window and checks that it stopped @sessions and went away. */
static void
close_examples (SbExamplesWindow *window,
                GPtrArray        *sessions)
{
  gtk_window_close (GTK_WINDOW (window));
  for (guint i = 0; sessions != NULL && i < sessions->len; i++)
    g_assert_false (sb_session_is_running (g_ptr_array_index (sessions, i)));
  drain ();
  g_assert_finalize_object (window);
}

/* Runs the example shown with one click on Start; the client receives
 * the greeting exactly, then the server closes the connection. */
static void
run_greeting (SbExamplesWindow *window,
              GPtrArray        *sessions)
{
  SbSessionPage *server = sb_examples_window_get_server_page (window);
  SbSessionPage *client = sb_examples_window_get_client_page (window);
  BytesWait rx = { client, SB_DIRECTION_RX, GREETING };
  BytesWait tx = { server, SB_DIRECTION_TX, GREETING };

  g_assert_nonnull (server);
  g_assert_nonnull (client);
  g_assert_true (gtk_widget_activate (find_start_button (GTK_WIDGET (window))));

  g_assert_true (wait_for (history_is, &rx));
  g_assert_true (wait_for (history_is, &tx));
  g_assert_true (wait_for (not_running, client));
  g_assert_true (sb_session_is_running (sb_session_page_get_session (server)));
  g_assert_cmpstr (sb_session_page_get_encoding (client), ==, "UTF-8");

  /* Both pages show their socket calls. */
  g_assert_true (gtk_widget_is_visible (find_first (GTK_WIDGET (server), SB_TYPE_CALLS_VIEW)));
  g_assert_true (gtk_widget_is_visible (find_first (GTK_WIDGET (client), SB_TYPE_CALLS_VIEW)));

  g_ptr_array_add (sessions, g_object_ref (sb_session_page_get_session (server)));
  g_ptr_array_add (sessions, g_object_ref (sb_session_page_get_session (client)));
}

static void
test_tcp_greeting (void)
{
  SbExamplesWindow *window = open_examples ();
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SbSessionSpec) spec = NULL;

  g_assert_cmpstr (sb_examples_window_get_example (window), ==, "tcp-greeting");
  run_greeting (window, sessions);

  /* The client was given the port the system chose for the server. */
  spec = sb_session_page_dup_spec (sb_examples_window_get_client_page (window));
  g_assert_cmpint (spec->kind, ==, SB_KIND_TCP_CLIENT);
  g_assert_cmpstr (spec->host, ==, "127.0.0.1");
  g_assert_cmpuint (spec->port, ==,
                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (
                      sb_session_get_local_address (g_ptr_array_index (sessions, 0)))));

  /* Again: one more greeting on a new connection. */
  sb_examples_window_start (window);
  g_assert_true (wait_for (not_running, sb_examples_window_get_client_page (window)));
  {
    BytesWait tx = { sb_examples_window_get_server_page (window), SB_DIRECTION_TX, GREETING GREETING };
    g_assert_true (wait_for (history_is, &tx));
  }

  close_examples (window, sessions);
}

static void
test_udp_gbk (void)
{
  SbExamplesWindow *window = open_examples ();
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  SbSessionPage *server, *client;
  BytesWait rx, server_rx;

  sb_examples_window_set_example (window, "udp-gbk");
  g_assert_cmpstr (sb_examples_window_get_example (window), ==, "udp-gbk");
  server = sb_examples_window_get_server_page (window);
  client = sb_examples_window_get_client_page (window);
  g_assert_cmpstr (sb_session_page_get_encoding (client), ==, "GBK");

  g_assert_true (gtk_widget_activate (find_start_button (GTK_WIDGET (window))));
  rx = (BytesWait) { client, SB_DIRECTION_RX, GBK_REPLY };
  server_rx = (BytesWait) { server, SB_DIRECTION_RX, "hello" };
  g_assert_true (wait_for (history_is, &rx));
  g_assert_true (history_is (&server_rx));

  g_ptr_array_add (sessions, g_object_ref (sb_session_page_get_session (server)));
  g_ptr_array_add (sessions, g_object_ref (sb_session_page_get_session (client)));
  close_examples (window, sessions);
}

static gboolean
have_ipv6_loopback (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

static void
test_tcp6_greeting (void)
{
  SbExamplesWindow *window;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  GSocketAddress *local;

  if (!have_ipv6_loopback ())
    {
      g_test_skip ("no IPv6 loopback");
      return;
    }

  window = open_examples ();
  sb_examples_window_set_example (window, "tcp6-greeting");
  run_greeting (window, sessions);
  local = sb_session_get_local_address (g_ptr_array_index (sessions, 0));
  g_assert_cmpint (g_socket_address_get_family (local), ==, G_SOCKET_FAMILY_IPV6);
  close_examples (window, sessions);
}

static void
test_unix_greeting (void)
{
  SbExamplesWindow *window = open_examples ();
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SbSessionSpec) spec = NULL;

  sb_examples_window_set_example (window, "unix-greeting");
  run_greeting (window, sessions);
  spec = sb_session_page_dup_spec (sb_examples_window_get_server_page (window));
  g_assert_cmpint (spec->kind, ==, SB_KIND_UNIX_SERVER);
  g_assert_true (g_file_test (spec->path, G_FILE_TEST_EXISTS));

  /* Closing the window stops the server, which removes its socket file. */
  close_examples (window, sessions);
  g_assert_false (g_file_test (spec->path, G_FILE_TEST_EXISTS));
}

/* --- Export as Python --- */

static gboolean
is_executable_file (gpointer data)
{
  GStatBuf st;

  return g_lstat (data, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & S_IXUSR);
}

static gboolean
subprocess_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* The script is complete, executable as the umask allows, and compiles. */
static void
check_script (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *cfile = g_strconcat (path, "c", NULL);
  g_autoptr(GSubprocess) process = NULL;
  gboolean done = FALSE;
  GStatBuf st;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "#!/usr/bin/env python3\n"));

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_mode & 0111, ==, (st.st_mode & 0444) >> 2);

  if (python == NULL)
    {
      g_test_message ("python3 not found: %s not compiled", path);
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                              python, "-c",
                              "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)",
                              path, cfile, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  if (!wait_for (subprocess_done, &done))
    {
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_not_reached ();
    }
  g_assert_true (g_subprocess_get_successful (process));
  g_unlink (cfile);
}

static gboolean
page_error_contains (gpointer data)
{
  GtkWidget *page = data;
  const char *part = g_object_get_data (G_OBJECT (page), "want-error");
  GtkWidget *stack[64];
  guint n = 0;

  /* The visible error labels of the page, depth first. */
  stack[n++] = page;
  while (n > 0)
    {
      GtkWidget *w = stack[--n];

      if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "error") && gtk_widget_get_visible (w) &&
          strstr (gtk_label_get_text (GTK_LABEL (w)), part) != NULL)
        return TRUE;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c && n < G_N_ELEMENTS (stack); c = gtk_widget_get_next_sibling (c))
        stack[n++] = c;
    }
  return FALSE;
}

static void
test_export_python (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockbench-examples-XXXXXX", &error);
  g_autofree char *server_py = g_build_filename (dir, "server.py", NULL);
  g_autofree char *client_py = g_build_filename (dir, "client.py", NULL);
  g_autofree char *other_py = g_build_filename (dir, "other.py", NULL);
  g_autofree char *fresh_py = g_build_filename (dir, "fresh.py", NULL);
  g_autofree char *victim = g_build_filename (dir, "victim.txt", NULL);
  g_autofree char *link_py = g_build_filename (dir, "link.py", NULL);
  g_autofree char *bad_py = g_build_filename (dir, "no-such-dir", "x.py", NULL);
  g_autofree char *victim_text = NULL;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SbSessionSpec) fresh_spec = sb_session_spec_parse ("udp-listen://127.0.0.1:0", NULL);
  SbExamplesWindow *window;
  SbSessionPage *server, *client, *fresh;

  g_assert_no_error (error);
  window = open_examples ();
  run_greeting (window, sessions);
  server = sb_examples_window_get_server_page (window);
  client = sb_examples_window_get_client_page (window);

  /* This side of the server (its rules make it a loop server), the client,
   * and the server's other side. */
  gtk_widget_activate_action (GTK_WIDGET (server), "page.export-python-to", "(ss)", "this", server_py);
  gtk_widget_activate_action (GTK_WIDGET (client), "page.export-python-to", "(ss)", "this", client_py);
  gtk_widget_activate_action (GTK_WIDGET (server), "page.export-python-to", "(ss)", "other", other_py);
  g_assert_true (wait_for (is_executable_file, server_py));
  g_assert_true (wait_for (is_executable_file, client_py));
  g_assert_true (wait_for (is_executable_file, other_py));
  check_script (server_py);
  check_script (client_py);
  check_script (other_py);

  /* A page that never ran, with nothing recorded, exports too. */
  fresh = g_object_ref_sink (sb_session_page_new (fresh_spec));
  gtk_widget_activate_action (GTK_WIDGET (fresh), "page.export-python-to", "(ss)", "this", fresh_py);
  g_assert_true (wait_for (is_executable_file, fresh_py));
  check_script (fresh_py);
  g_assert_finalize_object (fresh);

  /* A symlink planted at the path is replaced, not followed. */
  g_assert_true (g_file_set_contents (victim, "keep", -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (symlink (victim, link_py), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (server), "page.export-python-to", "(ss)", "other", link_py);
  g_assert_true (wait_for (is_executable_file, link_py));
  g_assert_true (g_file_get_contents (victim, &victim_text, NULL, &error));
  g_assert_cmpstr (victim_text, ==, "keep");
  check_script (link_py);

  /* Where nothing can be written: an error in the page. */
  g_object_set_data (G_OBJECT (server), "want-error", (gpointer) "could not be saved");
  gtk_widget_activate_action (GTK_WIDGET (server), "page.export-python-to", "(ss)", "this", bad_py);
  g_assert_true (wait_for (page_error_contains, server));
  g_assert_false (g_file_test (bad_py, G_FILE_TEST_EXISTS));

  close_examples (window, sessions);

  for (const char *const *p = (const char *const[]) { server_py, client_py, other_py, fresh_py,
                                                      victim, link_py, NULL }; *p; p++)
    g_unlink (*p);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Suggested names: the number is always the server's port. */
static void
test_python_file_name (void)
{
  static const struct {
    const char *uri;
    const char *this_side;
    const char *other_side;
  } cases[] = {
    { "tcp-listen://127.0.0.1:30000", "tcp_server_30000.py", "tcp_client_for_30000.py" },
    { "tcp://[::1]:30000", "tcp_client_for_30000.py", "tcp_server_30000.py" },
    { "tcp-listen://127.0.0.1:0", "tcp_server.py", "tcp_client_for.py" },
    { "udp-listen://127.0.0.1:5000", "udp_server_5000.py", "udp_client_for_5000.py" },
    { "udp://127.0.0.1:5000", "udp_client_for_5000.py", "udp_server_5000.py" },
    { "unix-listen:///run/x/greeting.sock", "unix_server_greeting.py", "unix_client_for_greeting.py" },
    { "unix://@my%20name", "unix_client_for_my_name.py", "unix_server_my_name.py" },
    { "unixgram://?bind=/tmp/d.sock", "unixgram_server_d.py", "unixgram_client_for_d.py" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (cases[i].uri, &error);
      g_autofree char *this_side = NULL;
      g_autofree char *other_side = NULL;

      g_assert_no_error (error);
      this_side = _sb_session_page_python_file_name (spec, NULL, SB_PYTHON_THIS_SIDE);
      other_side = _sb_session_page_python_file_name (spec, NULL, SB_PYTHON_OTHER_SIDE);
      g_assert_cmpstr (this_side, ==, cases[i].this_side);
      g_assert_cmpstr (other_side, ==, cases[i].other_side);
    }

  /* Port 0: the port the system chose, once known. */
  {
    g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) local = g_inet_socket_address_new (loopback, 41234);
    g_autofree char *name = _sb_session_page_python_file_name (spec, local, SB_PYTHON_OTHER_SIDE);

    g_assert_cmpstr (name, ==, "tcp_client_for_41234.py");
  }
}

/* --- Help → Examples --- */

static SbExamplesWindow *
find_examples_window (void)
{
  return (SbExamplesWindow *) find_toplevel (SB_TYPE_EXAMPLES_WINDOW);
}

static void
test_menu (void)
{
  SbWindow *main_window = present_and_keep (sb_ui_test_new_window (app));
  SbExamplesWindow *examples;

  g_assert_null (find_examples_window ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.examples", NULL));
  drain ();
  examples = find_examples_window ();
  g_assert_nonnull (examples);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (examples)) == GTK_WINDOW (main_window));
  /* Not a reference: GTK 4.8 leaves a window that outlives its destroyed
   * parent pointing at it. */
  g_object_add_weak_pointer (G_OBJECT (examples), (gpointer *) &examples);

  /* Asked again, the same window comes up. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (main_window), "win.examples", NULL));
  drain ();
  g_assert_true (find_examples_window () == examples);

  /* It goes with its main window. */
  gtk_window_destroy (GTK_WINDOW (main_window));
  drain ();
  g_assert_finalize_object (main_window);
  drain ();
  g_assert_null (examples);
  g_assert_null (find_examples_window ());
}

/* --- Compact: 800×600 and 1280×800 --- */

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *dir = g_getenv ("SOCKBENCH_SCREENSHOTS");
  const char *lang = g_getenv ("SOCKBENCH_SCREENSHOT_LANG") ? g_getenv ("SOCKBENCH_SCREENSHOT_LANG") : "en";
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window), gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node, NULL);
  path = g_strdup_printf ("%s/%s-%s.png", dir, lang, name);
  gdk_texture_save_to_png (texture, path);
}

typedef struct
{
  SbExamplesWindow *window;
  int               width;
  gboolean          compact;
} SizeWait;

/* Laid out at about @width (the window's own decorations aside), in the
 * wanted form; compact, the page shown has the window's whole width. */
static gboolean
laid_out (gpointer data)
{
  SizeWait *w = data;
  SbSessionPage *server = sb_examples_window_get_server_page (w->window);
  int width = gtk_widget_get_width (GTK_WIDGET (w->window));

  if (ABS (width - w->width) > 16 || sb_examples_window_get_compact (w->window) != w->compact)
    return FALSE;
  /* The page sits in a scroller in a side box: that box's width. */
  if (w->compact && gtk_widget_get_width (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (server)))) < width - 40)
    return FALSE;
  return TRUE;
}

static void
test_compact (void)
{
  SbExamplesWindow *window = open_examples ();
  SizeWait w = { window, 800, TRUE };
  int server_min = 0, client_min = 0;

  /* 800×600: one page at a time, each whole, the Start button in view. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  g_assert_true (wait_for (laid_out, &w));
  {
    SbSessionPage *server = sb_examples_window_get_server_page (window);
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (find_start_button (GTK_WIDGET (window)), GTK_WIDGET (window), &bounds));
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, 800);
    g_assert_nonnull (server);
  }
  screenshot (GTK_WIDGET (window), "examples-800x600");

  /* 1280×800: side by side only if both pages fit whole beside the list. */
  gtk_widget_measure (GTK_WIDGET (sb_examples_window_get_server_page (window)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &server_min, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (sb_examples_window_get_client_page (window)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &client_min, NULL, NULL, NULL);
  w.width = 1280;
  w.compact = server_min + client_min + 210 + 24 > 1280 - 10;
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (wait_for (laid_out, &w));
  screenshot (GTK_WIDGET (window), "examples-1280x800");

  close_examples (window, NULL);
}

/* Screenshots in another language (SOCKBENCH_SCREENSHOT_LANG, with
 * LANGUAGE set and SOCKBENCH_LOCALEDIR holding its catalog): the tests do
 * not load the catalog otherwise. */
static void
screenshot_language (void)
{
  if (g_getenv ("SOCKBENCH_SCREENSHOT_LANG") == NULL || g_getenv ("SOCKBENCH_LOCALEDIR") == NULL)
    return;
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SOCKBENCH_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* No session bus is needed; never start one. */
  sb_ui_test_init (&argc, &argv, "none");
  screenshot_language ();
  app = sb_ui_test_new_app (NULL);

  g_test_add_func ("/examples/tcp-greeting", test_tcp_greeting);
  g_test_add_func ("/examples/udp-gbk", test_udp_gbk);
  g_test_add_func ("/examples/tcp6-greeting", test_tcp6_greeting);
  g_test_add_func ("/examples/unix-greeting", test_unix_greeting);
  g_test_add_func ("/examples/python-file-name", test_python_file_name);
  g_test_add_func ("/examples/export-python", test_export_python);
  g_test_add_func ("/examples/menu", test_menu);
  g_test_add_func ("/examples/compact", test_compact);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}
