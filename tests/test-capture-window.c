/* test-capture-window.c — a page saved as a Wireshark capture, and the
 * capture imported back into a read-only window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sb-capture-window.h"
#include "sb-ui-test-util.h"
#include "sb-window-private.h"

static SbApplication *app;

static const char text[] = "héllo 你好 over the wire\n";

static gboolean
file_written (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && st.st_size > 0;
}

static gboolean
received_text (gpointer data)
{
  SbHistory *history = sb_session_get_history (sb_session_page_get_session (data));

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_RX)
      return TRUE;
  return FALSE;
}

typedef struct
{
  SbSessionPage *page;
  guint64        len;
} RxWait;

static gboolean
received_len (gpointer data)
{
  RxWait *w = data;
  SbHistory *history = sb_session_get_history (sb_session_page_get_session (w->page));
  guint64 total = 0;

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_RX)
      {
        gsize len;

        sb_history_peek_data (history, i, &len);
        total += len;
      }
  return total == w->len;
}

static gboolean
capture_window_shown (gpointer data)
{
  return find_toplevel (SB_TYPE_CAPTURE_WINDOW) != NULL;
}

static GByteArray *
collect (SbHistory   *history,
         SbDirection  direction)
{
  GByteArray *all = g_byte_array_new ();

  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    if (sb_history_get_direction (history, i) == direction)
      {
        gsize len;
        const guint8 *data = sb_history_peek_data (history, i, &len);

        g_byte_array_append (all, data, len);
      }
  return all;
}

/* With SOCKBENCH_SCREENSHOTS=DIR: DIR/LANG-NAME.png (LANG from
 * SOCKBENCH_SCREENSHOT_LANG, default en). */
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
  for (int i = 0; i < 20; i++)
    drain ();
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

static void
test_export_import (void)
{
  SbWindow *window = present_and_keep (sb_ui_test_new_window (app));
  g_autofree char *dir = g_dir_make_tmp ("sockbench-capture-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "page.pcapng", NULL);
  SbSessionPage *server, *client;
  SbCaptureWindow *capture;
  g_autoptr(GByteArray) sent = NULL;
  g_autoptr(GByteArray) tx = NULL;
  g_autoptr(GByteArray) rx = NULL;

  open_tcp_pair (window, &server, &client);
  page_send_text (client, text);
  g_assert_true (wait_for (received_text, server));

  gtk_widget_activate_action (GTK_WIDGET (client), "page.export-pcapng-to", "s", path);
  g_assert_true (wait_for (file_written, path));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.import-capture-file", "s", path);
  g_assert_true (wait_for (capture_window_shown, NULL));
  capture = SB_CAPTURE_WINDOW (find_toplevel (SB_TYPE_CAPTURE_WINDOW));
  g_object_ref (capture);

  /* Seen from the client, as it was recorded: what it sent is tx (the
   * text in the page's encoding, which follows the language). */
  sent = collect (sb_session_get_history (sb_session_page_get_session (client)), SB_DIRECTION_TX);
  tx = collect (sb_capture_window_get_history (capture), SB_DIRECTION_TX);
  g_assert_cmpuint (tx->len, >, 0);
  g_assert_cmpuint (tx->len, ==, sent->len);
  g_assert_true (memcmp (tx->data, sent->data, tx->len) == 0);

  /* Any framing, as a page has it; a bad spec changes nothing. */
  g_assert_true (sb_capture_window_set_framing (capture, "line"));
  g_assert_false (sb_capture_window_set_framing (capture, "len:9:xx"));
  g_assert_true (sb_capture_window_set_framing (capture, "line"));
  drain ();
  screenshot (GTK_WIDGET (capture), "capture-window");

  /* From the server's side the same bytes were received. */
  sb_capture_window_show_stream (capture, 0, TRUE);
  rx = collect (sb_capture_window_get_history (capture), SB_DIRECTION_RX);
  g_assert_cmpuint (rx->len, ==, sent->len);

  /* Replayed as the client against the page that served it: the server
   * page receives the same bytes a second time. */
  {
    guint n_pages = sb_window_get_n_pages (window);
    RxWait w = { server, 2 * sent->len };
    SbSessionPage *replayer;

    sb_capture_window_show_stream (capture, 0, FALSE);
    gtk_widget_activate_action (GTK_WIDGET (capture), "capture.replay", "s", "client");
    g_assert_cmpuint (sb_window_get_n_pages (window), ==, n_pages + 1);
    replayer = sb_window_get_current_page (window);
    g_assert_null (sb_session_page_get_session (replayer));
    sb_session_page_start (replayer);
    g_assert_true (wait_for (received_len, &w));
  }

  gtk_window_destroy (GTK_WINDOW (capture));
  unref_and_wait_finalized (capture);
  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
banner_shown (gpointer data)
{
  return gtk_revealer_get_reveal_child (((SbWindow *) data)->banner_revealer);
}

/* A file that is not a capture says so in the window's banner. */
static void
test_import_bad (void)
{
  SbWindow *window = present_and_keep (sb_ui_test_new_window (app));
  g_autofree char *dir = g_dir_make_tmp ("sockbench-capture-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "junk.pcapng", NULL);

  g_assert_true (g_file_set_contents (path, "no capture here", -1, NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.import-capture-file", "s", path);
  g_assert_true (wait_for (banner_shown, window));
  g_assert_nonnull (strstr (gtk_label_get_text (window->banner_label), "junk.pcapng"));
  g_assert_null (find_toplevel (SB_TYPE_CAPTURE_WINDOW));

  destroy_window (window);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sb_ui_test_init (&argc, &argv, "none");
  /* Screenshots in another language load its catalog. */
  if (g_getenv ("SOCKBENCH_SCREENSHOT_LANG") != NULL && g_getenv ("SOCKBENCH_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SOCKBENCH_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  app = sb_ui_test_new_app (NULL);

  g_test_add_func ("/capture-window/export-import", test_export_import);
  g_test_add_func ("/capture-window/import-bad", test_import_bad);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
