/* test-page.c — the session page with real sockets on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "sb-history-view.h"
#include "sb-send-panel.h"
#include "sb-session-page.h"
#include "sb-ui-test-util.h"

/* Texts shown with @css_class: labels, or inscriptions (history cells). */
static gboolean
has_label (GtkWidget  *widget,
           const char *css_class,
           const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (widget, css_class, TRUE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (labels, i), text) == 0)
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *widget;
  const char *css_class;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;
  return has_label (w->widget, w->css_class, w->text);
}

typedef struct
{
  SbSessionPage *page;
  const char    *expect;   /* UTF-8 text of the payload */
  const char    *encoding;
  SbDirection    direction;
} RecordWait;

/* TRUE when the page's history holds a record of @direction whose bytes
 * decode in @encoding to @expect. */
static gboolean
history_has (gpointer data)
{
  RecordWait *w = data;
  SbHistory *history = sb_session_get_history (sb_session_page_get_session (w->page));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (history));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SbHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (history), i);
      g_autoptr(GBytes) data = NULL;
      g_autofree char *text = NULL;
      gsize len;
      const guint8 *bytes;

      if (sb_history_item_get_direction (item) != w->direction)
        continue;
      data = sb_history_item_dup_data (item);
      bytes = g_bytes_get_data (data, &len);
      text = sb_codec_decode (w->encoding, bytes, len, SB_DECODE_DEFAULT, NULL);
      if (g_strcmp0 (text, w->expect) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
match_text_is_one (gpointer data)
{
  return g_strcmp0 (sb_history_view_get_match_text (data), "1 match") == 0;
}

static void
test_page_end_to_end (void)
{
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSessionSpec) client_spec = NULL;
  g_autofree char *client_uri = NULL;
  SbSessionPage *server, *client;
  GtkWidget *server_window, *client_window;
  SbSendPanel *client_panel, *server_panel;
  GSocketAddress *local;
  SbCounters before, after;
  RecordWait rw;
  LabelWait lw;
  guint port;

  server = g_object_ref_sink (sb_session_page_new (server_spec));
  g_assert_null (sb_session_page_get_session (server));
  g_assert_cmpstr (sb_session_page_get_title (server), ==, "TCP server :0");
  server_window = show_in_window (server, 1000, 700);
  sb_session_page_start (server);
  wait_state (server, SB_SESSION_STATE_LISTENING);

  local = sb_session_get_local_address (sb_session_page_get_session (server));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  g_assert_cmpuint (port, >, 0);
  {
    g_autofree char *title = g_strdup_printf ("TCP server :%u", port);
    g_assert_cmpstr (sb_session_page_get_title (server), ==, title);
  }

  client_uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  client_spec = sb_session_spec_parse (client_uri, NULL);
  client = g_object_ref_sink (sb_session_page_new (client_spec));
  client_window = show_in_window (client, 1000, 700);
  sb_session_page_start (client);
  wait_state (client, SB_SESSION_STATE_CONNECTED);
  g_assert_true (wait_for (has_one_peer, server));

  client_panel = SB_SEND_PANEL (find_first (GTK_WIDGET (client), SB_TYPE_SEND_PANEL));
  server_panel = SB_SEND_PANEL (find_first (GTK_WIDGET (server), SB_TYPE_SEND_PANEL));
  g_assert_nonnull (client_panel);
  g_assert_nonnull (server_panel);

  /* Client → server, UTF-8. */
  sb_send_panel_set_text (client_panel, "hello 你好");
  gtk_widget_activate_action (GTK_WIDGET (client), "page.send", NULL);
  g_assert_cmpstr (sb_send_panel_get_error_text (client_panel), ==, "");
  rw = (RecordWait) { server, "hello 你好", "UTF-8", SB_DIRECTION_RX };
  g_assert_true (wait_for (history_has, &rw));
  rw = (RecordWait) { client, "hello 你好", "UTF-8", SB_DIRECTION_TX };
  g_assert_true (wait_for (history_has, &rw));
  lw = (LabelWait) { GTK_WIDGET (server), "sb-data-text", "hello 你好" };
  g_assert_true (wait_for (label_shown, &lw));

  /* Server → client (all peers). */
  sb_send_panel_set_text (server_panel, "pong");
  gtk_widget_activate_action (GTK_WIDGET (server), "page.send", NULL);
  rw = (RecordWait) { client, "pong", "UTF-8", SB_DIRECTION_RX };
  g_assert_true (wait_for (history_has, &rw));
  lw = (LabelWait) { GTK_WIDGET (client), "sb-data-text", "pong" };
  g_assert_true (wait_for (label_shown, &lw));

  /* GBK: the client sends in GBK (its send panel follows its view). */
  sb_session_page_set_encoding (client, "gbk");
  g_assert_cmpstr (sb_session_page_get_encoding (client), ==, "GBK");
  sb_session_page_set_encoding (server, "GBK");
  sb_send_panel_set_text (client_panel, "服务端收到信息啦！");
  gtk_widget_activate_action (GTK_WIDGET (client), "page.send", NULL);
  rw = (RecordWait) { server, "服务端收到信息啦！", "GBK", SB_DIRECTION_RX };
  g_assert_true (wait_for (history_has, &rw));
  lw = (LabelWait) { GTK_WIDGET (server), "sb-data-text", "服务端收到信息啦！" };
  g_assert_true (wait_for (label_shown, &lw));

  /* UTF-8 shows the same bytes differently (escapes), GBK again the same text. */
  sb_session_page_set_encoding (server, "UTF-8");
  g_assert_false (has_label (GTK_WIDGET (server), "sb-data-text", "服务端收到信息啦！"));
  g_assert_true (has_label (GTK_WIDGET (server), "sb-data-text", "hello 你好"));
  sb_session_page_set_encoding (server, "GBK");
  g_assert_true (has_label (GTK_WIDGET (server), "sb-data-text", "服务端收到信息啦！"));

  /* Hex view mode shows the bytes. */
  sb_session_page_set_view_mode (server, SB_VIEW_MODE_BOTH);
  g_assert_true (has_label (GTK_WIDGET (server), "sb-data-hex", "70 6f 6e 67"));
  sb_session_page_set_view_mode (server, SB_VIEW_MODE_TEXT);

  /* Search counts matches. */
  {
    SbHistoryView *view = SB_HISTORY_VIEW (find_first (GTK_WIDGET (server), SB_TYPE_HISTORY_VIEW));
    sb_history_view_search (view, "68 65 6c 6c 6f", TRUE);
    g_assert_true (wait_for (match_text_is_one, view));
    sb_history_view_search (view, "", FALSE);
  }

  /* Pause display: the view keeps its rows while reception goes on. */
  {
    SbHistoryView *view = SB_HISTORY_VIEW (find_first (GTK_WIDGET (client), SB_TYPE_HISTORY_VIEW));
    SbHistory *history = sb_session_get_history (sb_session_page_get_session (client));
    guint shown;

    sb_history_view_set_paused (view, TRUE);
    shown = g_list_model_get_n_items (sb_history_view_get_model (view));
    sb_send_panel_set_text (server_panel, "while paused");
    gtk_widget_activate_action (GTK_WIDGET (server), "page.send", NULL);
    rw = (RecordWait) { client, "while paused", "UTF-8", SB_DIRECTION_RX };
    g_assert_true (wait_for (history_has, &rw));
    g_assert_cmpuint (g_list_model_get_n_items (sb_history_view_get_model (view)), ==, shown);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), >, shown);
    sb_history_view_set_paused (view, FALSE);
    g_assert_cmpuint (g_list_model_get_n_items (sb_history_view_get_model (view)), ==,
                      g_list_model_get_n_items (G_LIST_MODEL (history)));
  }

  /* Invalid hex: an inline error, nothing sent. */
  sb_session_get_counters (sb_session_page_get_session (client), &before);
  sb_send_panel_set_hex (client_panel, TRUE);
  sb_send_panel_set_text (client_panel, "48 65 6G");
  gtk_widget_activate_action (GTK_WIDGET (client), "page.send", NULL);
  g_assert_cmpstr (sb_send_panel_get_error_text (client_panel), !=, "");
  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  sb_session_get_counters (sb_session_page_get_session (client), &after);
  g_assert_cmpuint (after.tx_bytes, ==, before.tx_bytes);
  g_assert_cmpuint (after.tx_messages, ==, before.tx_messages);

  /* An unencodable character: also inline, nothing sent. */
  sb_send_panel_set_hex (client_panel, FALSE);
  sb_session_page_set_encoding (client, "ISO-8859-1");
  sb_send_panel_set_text (client_panel, "abc 你");
  gtk_widget_activate_action (GTK_WIDGET (client), "page.send", NULL);
  g_assert_cmpstr (sb_send_panel_get_error_text (client_panel), !=, "");
  sb_session_get_counters (sb_session_page_get_session (client), &after);
  g_assert_cmpuint (after.tx_bytes, ==, before.tx_bytes);

  /* Presets round-trip. */
  {
    g_autoptr(GKeyFile) keyfile = g_key_file_new ();
    g_autoptr(GError) error = NULL;
    g_autoptr(SbSessionSetup) setup = NULL;
    g_autoptr(SbSessionPage) loaded = NULL;

    sb_session_setup_save (sb_session_page_get_setup (client), keyfile, "Page 1");
    setup = sb_session_setup_new_from_keyfile (keyfile, "Page 1", &error);
    g_assert_no_error (error);
    loaded = g_object_ref_sink (sb_session_page_new_for_setup (setup));
    g_assert_true (sb_session_page_get_setup (loaded) == setup);
    g_assert_cmpstr (sb_session_page_get_encoding (loaded), ==, "ISO-8859-1");
    g_assert_cmpstr (sb_session_page_get_title (loaded), ==, sb_session_page_get_title (client));
  }

  sb_session_page_stop (client);
  sb_session_page_stop (server);
  g_assert_false (sb_session_is_running (sb_session_page_get_session (server)));

  gtk_window_destroy (GTK_WINDOW (client_window));
  gtk_window_destroy (GTK_WINDOW (server_window));
  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}

static void
test_page_fields (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("udp-listen://0.0.0.0:0", NULL);
  SbSessionPage *page = g_object_ref_sink (sb_session_page_new (spec));
  g_autoptr(SbSessionSpec) back = sb_session_page_dup_spec (page);

  g_assert_true (sb_session_spec_equal (spec, back));
  g_assert_cmpint (sb_session_page_get_view_mode (page), ==, SB_VIEW_MODE_TEXT);
  sb_session_page_set_view_mode (page, SB_VIEW_MODE_HEX);
  g_assert_cmpint (sb_session_page_get_view_mode (page), ==, SB_VIEW_MODE_HEX);
  g_assert_finalize_object (page);
}

static gboolean
client_closed (gpointer data)
{
  SbSession *session = sb_session_page_get_session (data);
  SbSessionState state = sb_session_get_state (session);

  return state == SB_SESSION_STATE_CLOSED || state == SB_SESSION_STATE_FAILED;
}

/* The tutorial servers are two clicks: a template each, applied by the page
 * to real connections. */
static void
test_page_auto_reply (void)
{
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSessionSpec) client_spec = NULL;
  g_autofree char *uri = NULL;
  SbSessionPage *server = g_object_ref_sink (sb_session_page_new (server_spec));
  SbSessionPage *client;
  SbSendPanel *panel;
  RecordWait rw;

  gtk_widget_activate_action (GTK_WIDGET (server), "page.rule-template", "s", "gbk-ack");
  gtk_widget_activate_action (GTK_WIDGET (server), "page.rule-template", "s", "greet-close");
  sb_session_page_start (server);
  wait_state (server, SB_SESSION_STATE_LISTENING);
  uri = client_uri_for (server);
  client_spec = sb_session_spec_parse (uri, NULL);
  client = g_object_ref_sink (sb_session_page_new (client_spec));
  sb_session_page_start (client);

  /* Greeted on connect, in UTF-8, then the server closes. */
  rw = (RecordWait) { client, "你好，欢迎连接服务端！Hello!\n", "UTF-8", SB_DIRECTION_RX };
  g_assert_true (wait_for (history_has, &rw));
  g_assert_true (wait_for (client_closed, client));

  /* Without the greeting rule, a message is acknowledged in GBK. */
  {
    g_autoptr(GKeyFile) kf = g_key_file_new ();
    g_autoptr(GError) error = NULL;

    SbSessionSetup *setup = sb_session_page_get_setup (server);

    sb_session_setup_save (setup, kf, "p");
    g_assert_true (g_key_file_has_key (kf, "p", "auto-reply-1", NULL));
    g_key_file_remove_key (kf, "p", "auto-reply-1", NULL);
    /* Loading the setup changes the page's rules: the page shows its setup. */
    g_assert_true (sb_session_setup_load (setup, kf, "p", &error));
    g_assert_no_error (error);
    g_assert_cmpuint (sb_auto_reply_get_n_rules (sb_session_page_get_auto_reply (server)), ==, 1);
  }
  sb_session_page_start (client);
  wait_state (client, SB_SESSION_STATE_CONNECTED);
  panel = SB_SEND_PANEL (find_first (GTK_WIDGET (client), SB_TYPE_SEND_PANEL));
  sb_send_panel_set_text (panel, "hi");
  g_assert_true (sb_send_panel_send (panel));
  rw = (RecordWait) { client, "服务端收到信息啦！", "GBK", SB_DIRECTION_RX };
  g_assert_true (wait_for (history_has, &rw));

  sb_session_page_stop (client);
  sb_session_page_stop (server);
  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}

/* Export and send-file without their dialogs */

typedef struct
{
  SbSessionPage *server;
  SbSessionPage *client;
  GtkWidget     *server_window;
  GtkWidget     *client_window;
} Pair;

/* A TCP server page and a client page connected to it, each in a window. */
static void
pair_open (Pair *pair)
{
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSessionSpec) client_spec = NULL;
  g_autofree char *uri = NULL;

  pair->server = g_object_ref_sink (sb_session_page_new (server_spec));
  pair->server_window = show_in_window (pair->server, 1000, 700);
  sb_session_page_start (pair->server);
  wait_state (pair->server, SB_SESSION_STATE_LISTENING);
  uri = client_uri_for (pair->server);
  client_spec = sb_session_spec_parse (uri, NULL);
  pair->client = g_object_ref_sink (sb_session_page_new (client_spec));
  pair->client_window = show_in_window (pair->client, 1000, 700);
  sb_session_page_start (pair->client);
  wait_state (pair->client, SB_SESSION_STATE_CONNECTED);
  g_assert_true (wait_for (has_one_peer, pair->server));
}

static void
pair_close (Pair *pair)
{
  sb_session_page_stop (pair->client);
  sb_session_page_stop (pair->server);
  gtk_window_destroy (GTK_WINDOW (pair->client_window));
  gtk_window_destroy (GTK_WINDOW (pair->server_window));
  g_assert_finalize_object (pair->client);
  g_assert_finalize_object (pair->server);
}

typedef struct
{
  const char *path;
  const char *line_end;
  guint       n_lines;
} ExportWait;

/* The file holds @n_lines complete lines: a new file is written in place,
 * so it exists before it is whole. */
static gboolean
export_written (gpointer data)
{
  ExportWait *w = data;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (w->path, &contents, NULL, NULL) || !g_str_has_suffix (contents, w->line_end))
    return FALSE;
  lines = g_strsplit (contents, w->line_end, -1);
  return g_strv_length (lines) == w->n_lines + 1;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* The page's message bar shows an error containing @part. */
static gboolean
page_error_contains (SbSessionPage *page,
                     const char    *part)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (GTK_WIDGET (page), "error", TRUE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (g_ptr_array_index (labels, i), part) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
page_error_contains_cb (gpointer data)
{
  return page_error_contains (data, "could not be saved");
}

static gboolean
send_error_shown (gpointer data)
{
  return g_strcmp0 (sb_send_panel_get_error_text (data), "") != 0 &&
         !sb_send_panel_is_sending_file (data);
}

static void
test_page_export (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockbench-page-XXXXXX", &error);
  g_autofree char *csv_path = g_build_filename (dir, "history.csv", NULL);
  g_autofree char *jsonl_path = g_build_filename (dir, "history.jsonl", NULL);
  g_autofree char *jsonl_uri = g_filename_to_uri (jsonl_path, NULL, NULL);
  g_autofree char *bad_path = g_build_filename (dir, "no-such-dir", "history.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *jsonl = NULL;
  g_auto(GStrv) lines = NULL;
  SbSendPanel *panel;
  SbHistory *history;
  RecordWait rw;
  ExportWait ew;
  Pair pair;
  guint n_records;

  g_assert_no_error (error);
  pair_open (&pair);

  panel = SB_SEND_PANEL (find_first (GTK_WIDGET (pair.client), SB_TYPE_SEND_PANEL));
  sb_send_panel_set_text (panel, "hello, \"csv\" 你好");
  g_assert_true (sb_send_panel_send (panel));
  rw = (RecordWait) { pair.server, "hello, \"csv\" 你好", "UTF-8", SB_DIRECTION_RX };
  g_assert_true (wait_for (history_has, &rw));
  history = sb_session_get_history (sb_session_page_get_session (pair.server));
  sb_history_flush (history);
  n_records = g_list_model_get_n_items (G_LIST_MODEL (history));

  /* CSV, to a path: a header, one line per record, quotes doubled. */
  gtk_widget_activate_action (GTK_WIDGET (pair.server), "page.export-to", "(ss)", "csv", csv_path);
  ew = (ExportWait) { csv_path, "\r\n", 1 + n_records };
  g_assert_true (wait_for (export_written, &ew));
  csv = read_file (csv_path);
  g_assert_true (g_str_has_prefix (csv, "time,direction,event,peer,length,text,hex\r\n"));
  g_assert_nonnull (strstr (csv, "\"rx\",\"\",\"127.0.0.1:"));
  g_assert_nonnull (strstr (csv, ",19,\"hello, \"\"csv\"\" 你好\",\"68 65 6c 6c 6f 2c 20 22 63 73 76 22 20 e4 bd a0 e5 a5 bd\"\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + n_records + 1);
  g_clear_pointer (&lines, g_strfreev);

  /* JSON Lines, to a URI: one object per record. */
  gtk_widget_activate_action (GTK_WIDGET (pair.server), "page.export-to", "(ss)", "jsonl", jsonl_uri);
  ew = (ExportWait) { jsonl_path, "\n", n_records };
  g_assert_true (wait_for (export_written, &ew));
  jsonl = read_file (jsonl_path);
  lines = g_strsplit (jsonl, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_records + 1);
  g_assert_cmpstr (lines[n_records], ==, "");
  for (guint i = 0; i < n_records; i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], "{\"time\":"));
      g_assert_true (g_str_has_suffix (lines[i], "}"));
    }
  g_assert_nonnull (strstr (jsonl, "\"direction\":\"rx\""));
  g_assert_nonnull (strstr (jsonl, "\"hex\":\"68 65 6c 6c 6f 2c 20 22 63 73 76 22 20 e4 bd a0 e5 a5 bd\"}"));
  g_assert_false (page_error_contains (pair.server, "could not be saved"));

  /* Where nothing can be written: an error in the page; the history and
   * the session go on. */
  gtk_widget_activate_action (GTK_WIDGET (pair.server), "page.export-to", "(ss)", "csv", bad_path);
  g_assert_true (wait_for (page_error_contains_cb, pair.server));
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_records);
  g_assert_true (sb_session_is_running (sb_session_page_get_session (pair.server)));
  rw = (RecordWait) { pair.server, "hello, \"csv\" 你好", "UTF-8", SB_DIRECTION_RX };
  g_assert_true (history_has (&rw));

  /* Dismissed, the next good export leaves no error behind. */
  gtk_widget_activate_action (GTK_WIDGET (pair.server), "page.dismiss-message", NULL);
  g_assert_false (page_error_contains (pair.server, "could not be saved"));

  pair_close (&pair);
  g_unlink (csv_path);
  g_unlink (jsonl_path);
  g_rmdir (dir);
}

typedef struct
{
  SbSessionPage *server;
  SbSendPanel   *panel;
  guint64        size;
} FileWait;

static gboolean
file_arrived (gpointer data)
{
  FileWait *w = data;
  SbCounters c;

  sb_session_get_counters (sb_session_page_get_session (w->server), &c);
  return c.rx_bytes >= w->size && !sb_send_panel_is_sending_file (w->panel);
}

static void
test_page_send_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockbench-page-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "one-mebibyte.bin", NULL);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  guint8 *contents = g_malloc (1024 * 1024);
  SbHistory *history;
  FileWait fw;
  Pair pair;
  SbCounters c;
  guint n;

  g_assert_no_error (error);
  /* Not a repeating pattern of a read's size: misplaced chunks would show. */
  for (guint i = 0; i < 1024 * 1024; i++)
    contents[i] = (guint8) ((i * 7 + i / 251) & 0xff);
  g_file_set_contents (path, (const char *) contents, 1024 * 1024, &error);
  g_assert_no_error (error);

  pair_open (&pair);
  fw = (FileWait) { pair.server, SB_SEND_PANEL (find_first (GTK_WIDGET (pair.client), SB_TYPE_SEND_PANEL)), 1024 * 1024 };
  gtk_widget_activate_action (GTK_WIDGET (pair.client), "page.send-file-path", "s", path);
  g_assert_true (sb_send_panel_is_sending_file (fw.panel));
  g_assert_true (wait_for (file_arrived, &fw));
  g_assert_cmpstr (sb_send_panel_get_error_text (fw.panel), ==, "");

  sb_session_get_counters (sb_session_page_get_session (pair.server), &c);
  g_assert_cmpuint (c.rx_bytes, ==, 1024 * 1024);

  /* The bytes that arrived are the file's, in order. */
  history = sb_session_get_history (sb_session_page_get_session (pair.server));
  sb_history_flush (history);
  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SbHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (history), i);
      g_autoptr(GBytes) data = NULL;

      if (sb_history_item_get_direction (item) != SB_DIRECTION_RX)
        continue;
      data = sb_history_item_dup_data (item);
      g_byte_array_append (received, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
    }
  g_assert_cmpmem (received->data, received->len, contents, 1024 * 1024);

  /* A file that is not there: an inline error, nothing sent. */
  {
    g_autofree char *missing = g_build_filename (dir, "missing.bin", NULL);

    gtk_widget_activate_action (GTK_WIDGET (pair.client), "page.send-file-path", "s", missing);
    g_assert_true (wait_for (send_error_shown, fw.panel));
    sb_session_get_counters (sb_session_page_get_session (pair.server), &c);
    g_assert_cmpuint (c.rx_bytes, ==, 1024 * 1024);
  }

  pair_close (&pair);
  g_free (contents);
  g_unlink (path);
  g_rmdir (dir);
}

/* Receive to file: the page's capture refuses to write over a file it did
 * not create, and writes what arrives to a new one. */
typedef struct
{
  const char *path;
  const char *want;
} ContentsWait;

static gboolean
file_holds (gpointer data)
{
  ContentsWait *fw = data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (fw->path, &contents, NULL, NULL) && g_str_equal (contents, fw->want);
}

static gboolean
capture_refused (gpointer page)
{
  return sb_session_setup_get_capture_file (sb_session_page_get_setup (page)) == NULL;
}

static void
test_page_capture (void)
{
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSessionSpec) client_spec = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sockbench-capture-XXXXXX", &error);
  g_autofree char *old = g_build_filename (dir, "old.bin", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.bin", NULL);
  g_autofree char *uri = NULL;
  g_autofree char *kept = NULL;
  SbSessionPage *server = g_object_ref_sink (sb_session_page_new (server_spec));
  SbSessionPage *client;
  ContentsWait fw;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (old, "keep me", -1, &error));

  sb_session_page_start (server);
  wait_state (server, SB_SESSION_STATE_LISTENING);
  uri = client_uri_for (server);
  client_spec = sb_session_spec_parse (uri, NULL);
  client = g_object_ref_sink (sb_session_page_new (client_spec));
  sb_session_page_start (client);
  wait_state (client, SB_SESSION_STATE_CONNECTED);

  /* An existing file is not replaced: the capture stops, the file stays. */
  gtk_widget_activate_action (GTK_WIDGET (server), "page.capture-to", "s", old);
  g_assert_true (wait_for (capture_refused, server));
  g_assert_true (g_file_get_contents (old, &kept, NULL, &error));
  g_assert_cmpstr (kept, ==, "keep me");

  /* A new file gets what arrives, and the setup (so a preset) names it. */
  gtk_widget_activate_action (GTK_WIDGET (server), "page.capture-to", "s", fresh);
  g_assert_cmpstr (sb_session_setup_get_capture_file (sb_session_page_get_setup (server)), ==, fresh);
  page_send_text (client, "captured");
  fw = (ContentsWait) { fresh, "captured" };
  g_assert_true (wait_for (file_holds, &fw));

  sb_session_page_stop (client);
  sb_session_page_stop (server);
  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
  g_unlink (old);
  g_unlink (fresh);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/page/fields", test_page_fields);
  g_test_add_func ("/page/end-to-end", test_page_end_to_end);
  g_test_add_func ("/page/auto-reply", test_page_auto_reply);
  g_test_add_func ("/page/export", test_page_export);
  g_test_add_func ("/page/send-file", test_page_send_file);
  g_test_add_func ("/page/capture", test_page_capture);

  return g_test_run ();
}
