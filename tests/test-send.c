/* test-send.c — the send panel on real loopback sockets: Ctrl+Enter,
 * recall, the last sender, errors, the repeat, snippets in presets,
 * templates and cut writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "sb-encoding-model.h"
#include "sb-history-view.h"
#include "sb-modbus.h"
#include "sb-send-panel-private.h"
#include "sb-ui-test-util.h"

/* --- A plain peer on the test side --- */

typedef struct
{
  GSocket    *socket;
  GByteArray *data;
} Peer;

static gboolean
peer_read (gpointer user_data)
{
  Peer *peer = user_data;
  guint8 buffer[4096];
  gssize n;

  while ((n = g_socket_receive (peer->socket, (char *) buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (peer->data, buffer, n);
  return FALSE;
}

typedef struct
{
  Peer       *peer;
  gsize       len;
} PeerWait;

static gboolean
peer_has (gpointer data)
{
  PeerWait *w = data;

  peer_read (w->peer);
  return w->peer->data->len >= w->len;
}

static void
peer_expect (Peer       *peer,
             const void *bytes,
             gsize       len)
{
  PeerWait w = { peer, len };

  g_assert_true (wait_for (peer_has, &w));
  g_assert_cmpmem (peer->data->data, peer->data->len, bytes, len);
  g_byte_array_set_size (peer->data, 0);
}

static guint16
page_port (SbSessionPage *page)
{
  GSocketAddress *local = sb_session_get_local_address (sb_session_page_get_session (page));

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
}

static void
peer_open (Peer         *peer,
           SbSessionPage *page,
           GSocketType   type)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, page_port (page));
  g_autoptr(GError) error = NULL;

  peer->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, type, 0, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_connect (peer->socket, address, NULL, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (peer->socket, FALSE);
  peer->data = g_byte_array_new ();
}

static void
peer_close (Peer *peer)
{
  g_socket_close (peer->socket, NULL);
  g_clear_object (&peer->socket);
  g_clear_pointer (&peer->data, g_byte_array_unref);
}

/* --- A page in a window --- */

typedef struct
{
  SbSessionPage *page;
  GtkWidget     *window;
  SbSendPanel   *panel;
  Peer           peer;
} Fixture;

static void
fixture_open (Fixture    *f,
              const char *uri,
              int         width,
              int         height)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, NULL);

  f->page = g_object_ref_sink (sb_session_page_new (spec));
  f->window = show_in_window (f->page, width, height);
  f->panel = SB_SEND_PANEL (find_first (GTK_WIDGET (f->page), SB_TYPE_SEND_PANEL));
  sb_session_page_start (f->page);
  wait_state (f->page, SB_SESSION_STATE_LISTENING);
}

/* A TCP server page with one plain client connected to it. */
static void
fixture_tcp (Fixture *f)
{
  fixture_open (f, "tcp-listen://127.0.0.1:0", 1000, 700);
  peer_open (&f->peer, f->page, G_SOCKET_TYPE_STREAM);
  g_assert_true (wait_for (has_one_peer, f->page));
}

static void
fixture_close (Fixture *f)
{
  peer_close (&f->peer);
  sb_session_page_stop (f->page);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->page);
}

static char *
panel_text (SbSendPanel *panel)
{
  return sb_send_panel_dup_text (panel);
}

/* --- Tests --- */

/* Ctrl+Enter in the message box sends and inserts no newline: the panel's
 * key controller on the text view runs in the capture phase, before the
 * text view's own Return. */
static void
test_ctrl_return (void)
{
  Fixture f = { 0 };
  GListModel *controllers;
  GtkEventController *keys = NULL;
  gboolean handled = FALSE;
  g_autofree char *after = NULL;

  fixture_tcp (&f);
  sb_send_panel_set_text (f.panel, "hi");
  gtk_widget_grab_focus (GTK_WIDGET (f.panel->text_view));

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (f.panel->text_view));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        keys = controller;
    }
  g_object_unref (controllers);
  g_assert_nonnull (keys);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 36, GDK_CONTROL_MASK, &handled);
  g_assert_true (handled);
  peer_expect (&f.peer, "hi", 2);
  after = panel_text (f.panel);
  g_assert_cmpstr (after, ==, "hi");

  /* Plain Return is the text view's: a newline, nothing sent. */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_Return, 36, 0, &handled);
  g_assert_false (handled);

  fixture_close (&f);
}

/* Recall restores the mode, escapes, line end and encoding; a recalled hex
 * send sends the same bytes; labels show the text, not C escapes. */
static void
test_recall (void)
{
  Fixture f = { 0 };
  g_autoptr(SbSendMessage) message = NULL;
  GMenuModel *menu;
  g_autofree char *label = NULL;
  static const guint8 gbk[] = { 0xc4, 0xe3, 0xba, 0xc3, '\t', 'x', '\r', '\n' };

  fixture_tcp (&f);

  sb_send_panel_set_hex (f.panel, TRUE);
  gtk_drop_down_set_selected (f.panel->line_end_dropdown, 2);
  sb_send_panel_set_text (f.panel, "48 65 6c 6c 6f");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, "Hello", 5);

  /* Text, GBK, escapes and CRLF. */
  sb_send_panel_set_hex (f.panel, FALSE);
  sb_encoding_drop_down_select (f.panel->encoding_dropdown, "GBK");
  gtk_check_button_set_active (f.panel->escapes_check, TRUE);
  sb_send_panel_set_text (f.panel, "你好\\tx");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, gbk, sizeof gbk);

  menu = gtk_menu_button_get_menu_model (f.panel->recent_button);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "你好\\tx");
  g_clear_pointer (&label, g_free);
  g_assert_true (g_menu_model_get_item_attribute (menu, 1, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "Hex: 48 65 6c 6c 6f");

  /* Recall the hex send (the oldest) and send again: the same 5 bytes. */
  sb_send_panel_set_text (f.panel, "something else");
  gtk_widget_activate_action (GTK_WIDGET (f.panel), "send-panel.recall", "u", 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (f.panel->mode_dropdown), ==, 1);
  message = _sb_send_panel_dup_message (f.panel);
  g_assert_cmpstr (message->text, ==, "48 65 6c 6c 6f");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, "Hello", 5);

  /* And the GBK one comes back with its encoding, escapes and CRLF. */
  gtk_widget_activate_action (GTK_WIDGET (f.panel), "send-panel.recall", "u", 0);
  g_assert_true (gtk_check_button_get_active (f.panel->escapes_check));
  g_assert_cmpuint (gtk_drop_down_get_selected (f.panel->line_end_dropdown), ==, 2);
  g_assert_cmpstr (sb_encoding_drop_down_get_selected (f.panel->encoding_dropdown), ==, "GBK");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, gbk, sizeof gbk);

  /* The recent sends are in the setup, so a preset keeps them. */
  {
    g_auto(GStrv) recent = NULL;

    g_object_get (sb_session_page_get_setup (f.page), "send-recent", &recent, NULL);
    g_assert_cmpuint (g_strv_length (recent), ==, 2);
  }
  fixture_close (&f);
}

static gboolean
has_last_sender (gpointer data)
{
  g_autoptr(SbPeer) peer = sb_session_get_last_sender (data);

  if (peer != NULL)
    g_object_ref (peer);
  return peer != NULL;
}

/* A listening UDP page answers the last sender by default, and the To row
 * names it. */
static void
test_last_sender (void)
{
  Fixture f = { 0 };
  g_autoptr(GSocketAddress) mine = NULL;
  g_autofree char *expect = NULL;
  GtkStringObject *item;

  fixture_open (&f, "udp-listen://127.0.0.1:0", 1000, 700);
  item = gtk_drop_down_get_selected_item (f.panel->target_dropdown);
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Last sender");

  /* Nothing has arrived: the error says so. */
  sb_send_panel_set_text (f.panel, "pong");
  g_assert_false (sb_send_panel_send (f.panel));
  g_assert_nonnull (strstr (sb_send_panel_get_error_text (f.panel), "last sender"));

  peer_open (&f.peer, f.page, G_SOCKET_TYPE_DATAGRAM);
  g_assert_cmpint (g_socket_send (f.peer.socket, "ping", 4, NULL, NULL), ==, 4);
  g_assert_true (wait_for (has_last_sender, sb_session_page_get_session (f.page)));
  drain ();

  mine = g_socket_get_local_address (f.peer.socket, NULL);
  expect = g_strdup_printf ("127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (mine)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f.panel->address_entry)), ==, expect);

  g_assert_true (sb_send_panel_send (f.panel));
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), ==, "");
  peer_expect (&f.peer, "pong", 4);

  fixture_close (&f);
}

static int
panel_height (SbSendPanel *panel)
{
  return gtk_widget_get_height (GTK_WIDGET (panel));
}

static gboolean
laid_out (gpointer data)
{
  return !gtk_widget_get_visible (data) || gtk_widget_get_mapped (data);
}

/* Errors show over the editor without moving anything, and go when they no
 * longer apply: after a good send, and with a new session. */
static void
test_errors (void)
{
  Fixture f = { 0 };
  int before;
  graphene_rect_t to_row, to_row_after;

  fixture_tcp (&f);
  drain ();
  before = panel_height (f.panel);
  g_assert_true (gtk_widget_compute_bounds (f.panel->target_box, GTK_WIDGET (f.panel), &to_row));

  sb_send_panel_set_hex (f.panel, TRUE);
  sb_send_panel_set_text (f.panel, "48 6G");
  g_assert_false (sb_send_panel_send (f.panel));
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), !=, "");
  g_assert_true (wait_for (laid_out, f.panel->error_label));
  drain ();
  g_assert_cmpint (panel_height (f.panel), ==, before);

  /* Choosing "Selected peer" does not move the To row. */
  gtk_drop_down_set_selected (f.panel->target_dropdown, 1);
  drain ();
  g_assert_true (gtk_widget_compute_bounds (f.panel->target_box, GTK_WIDGET (f.panel), &to_row_after));
  g_assert_cmpfloat (to_row.origin.y, ==, to_row_after.origin.y);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f.panel->address_entry)), ==, "(none selected)");
  sb_send_panel_set_selected_peer (f.panel, g_list_model_get_item (sb_session_get_peers (sb_session_page_get_session (f.page)), 0));
  g_object_unref (f.panel->selected_peer);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f.panel->address_entry)), !=, "(none selected)");

  /* A good send clears it. */
  sb_send_panel_set_text (f.panel, "48 69");
  gtk_check_button_set_active (f.panel->repeat_check, FALSE);
  g_assert_true (sb_send_panel_send (f.panel));
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), ==, "");
  peer_expect (&f.peer, "Hi", 2);

  /* An error about this session goes with it. */
  sb_send_panel_set_text (f.panel, "zz");
  g_assert_false (sb_send_panel_send (f.panel));
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), !=, "");
  sb_session_page_stop (f.page);
  sb_session_page_start (f.page);
  wait_state (f.page, SB_SESSION_STATE_LISTENING);
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), ==, "");

  fixture_close (&f);
}

static gboolean
repeat_done (gpointer data)
{
  SbSendPanel *panel = data;

  return panel->repeat == NULL;
}

/* A repeat of 5, every 20 ms, ends with "Sent 5 of 5", which a later send
 * clears; the five messages arrive, no more. */
static void
test_repeat (void)
{
  Fixture f = { 0 };
  gint64 begun;

  fixture_tcp (&f);
  sb_send_panel_set_text (f.panel, "r");
  gtk_check_button_set_active (f.panel->repeat_check, TRUE);
  gtk_spin_button_set_value (f.panel->interval_spin, 20);
  gtk_spin_button_set_value (f.panel->count_spin, 5);
  begun = g_get_monotonic_time ();
  g_assert_true (sb_send_panel_send (f.panel));
  g_assert_true (wait_for (repeat_done, f.panel));
  /* Four intervals of 20 ms: not a burst. */
  g_assert_cmpint (g_get_monotonic_time () - begun, >=, 4 * 20 * 1000);
  peer_expect (&f.peer, "rrrrr", 5);
  g_assert_cmpstr (gtk_label_get_text (f.panel->repeat_label), ==, "Sent 5 of 5");

  gtk_check_button_set_active (f.panel->repeat_check, FALSE);
  sb_send_panel_set_text (f.panel, "x");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, "x", 1);
  g_assert_cmpstr (gtk_label_get_text (f.panel->repeat_label), ==, "");

  fixture_close (&f);
}

typedef struct
{
  SbSendPanel *panel;
  guint64      n;
} RepeatWait;

static gboolean
repeat_sent (gpointer data)
{
  RepeatWait *w = data;

  return w->panel->repeat != NULL && sb_repeat_get_n_sent (w->panel->repeat) >= w->n;
}

/* A repeat of a template runs on the engine: ${seq} steps per message, the
 * preview waits for its end, and the next send continues the count. */
static void
test_repeat_template (void)
{
  Fixture f = { 0 };
  g_autofree char *preview = NULL;

  fixture_tcp (&f);
  g_object_set (sb_session_page_get_setup (f.page), "templates", TRUE, NULL);
  sb_send_panel_set_text (f.panel, "n${seq};");
  gtk_check_button_set_active (f.panel->repeat_check, TRUE);
  gtk_spin_button_set_value (f.panel->interval_spin, 5);
  gtk_spin_button_set_value (f.panel->count_spin, 3);
  g_assert_true (sb_send_panel_send (f.panel));
  /* The counters are the repeat's meanwhile. */
  if (f.panel->repeat != NULL)
    g_assert_null (sb_send_panel_dup_preview (f.panel));
  g_assert_true (wait_for (repeat_done, f.panel));
  peer_expect (&f.peer, "n1;n2;n3;", 9);
  g_assert_cmpstr (gtk_label_get_text (f.panel->repeat_label), ==, "Sent 3 of 3");
  preview = sb_send_panel_dup_preview (f.panel);
  g_assert_cmpstr (preview, ==, "6e 34 3b");

  gtk_check_button_set_active (f.panel->repeat_check, FALSE);
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, "n4;", 3);

  fixture_close (&f);
}

/* Stop in the middle: what was sent is counted and arrived, nothing more. */
static void
test_repeat_stop (void)
{
  Fixture f = { 0 };
  RepeatWait w = { NULL, 3 };
  g_autofree char *label = NULL;
  g_autofree char *expected = NULL;
  guint64 n;

  fixture_tcp (&f);
  w.panel = f.panel;
  sb_send_panel_set_text (f.panel, "s");
  gtk_check_button_set_active (f.panel->repeat_check, TRUE);
  gtk_spin_button_set_value (f.panel->interval_spin, 2);
  gtk_spin_button_set_value (f.panel->count_spin, 0);
  g_assert_true (sb_send_panel_send (f.panel));
  g_assert_true (wait_for (repeat_sent, &w));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.panel), "send-panel.stop-repeat", NULL));
  g_assert_null (f.panel->repeat);
  n = f.panel->repeat_done;
  g_assert_cmpuint (n, >=, 3);
  label = g_strdup_printf ("Sent %" G_GUINT64_FORMAT, n);
  g_assert_cmpstr (gtk_label_get_text (f.panel->repeat_label), ==, label);

  gtk_check_button_set_active (f.panel->repeat_check, FALSE);
  sb_send_panel_set_text (f.panel, "E");
  g_assert_true (sb_send_panel_send (f.panel));
  expected = g_strnfill (n, 's');
  {
    g_autofree char *all = g_strconcat (expected, "E", NULL);

    peer_expect (&f.peer, all, n + 1);
  }

  fixture_close (&f);
}

/* A peer that does not read: the session's queue fills, the repeat pauses
 * with a message that says so, and Send is enabled again. Each message is
 * a 1 MiB file (${file}): a few fill the queue, and the editor stays small. */
static void
test_repeat_busy (void)
{
  Fixture f = { 0 };
  g_autofree char *block = g_strnfill (1024 * 1024, 'b');
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_file_open_tmp ("sb-send-XXXXXX", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, block, -1, &error));
  text = g_strdup_printf ("${file:%s}", path);

  fixture_tcp (&f);
  g_object_set (sb_session_page_get_setup (f.page), "templates", TRUE, NULL);
  sb_send_panel_set_text (f.panel, text);
  gtk_check_button_set_active (f.panel->repeat_check, TRUE);
  gtk_spin_button_set_value (f.panel->interval_spin, 1);
  gtk_spin_button_set_value (f.panel->count_spin, 0);
  g_assert_true (sb_send_panel_send (f.panel));
  g_assert_true (wait_for (repeat_done, f.panel));
  g_assert_true (g_str_has_prefix (sb_send_panel_get_error_text (f.panel), "Repeat paused: "));
  g_assert_null (f.panel->repeat);
  g_unlink (path);

  fixture_close (&f);
}

/* The session stopped under a running repeat: the repeat ends with it and
 * keeps its count. */
static void
test_repeat_session_stops (void)
{
  Fixture f = { 0 };
  RepeatWait w = { NULL, 2 };

  fixture_tcp (&f);
  w.panel = f.panel;
  sb_send_panel_set_text (f.panel, "q");
  gtk_check_button_set_active (f.panel->repeat_check, TRUE);
  gtk_spin_button_set_value (f.panel->interval_spin, 3);
  gtk_spin_button_set_value (f.panel->count_spin, 0);
  g_assert_true (sb_send_panel_send (f.panel));
  g_assert_true (wait_for (repeat_sent, &w));
  sb_session_page_stop (f.page);
  g_assert_true (wait_for (repeat_done, f.panel));
  g_assert_cmpuint (f.panel->repeat_done, >=, 2);
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), ==, "");

  fixture_close (&f);
}

/* A snippet is saved in the setup, so in a preset, and sent by Alt+1's
 * action from a page opened from that preset. */
static void
test_snippets (void)
{
  Fixture f = { 0 };
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(SbSessionSetup) setup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  SbSessionPage *loaded;
  SbSendPanel *loaded_panel;
  GtkWidget *window;
  Peer peer = { 0 };

  fixture_tcp (&f);
  sb_send_panel_set_text (f.panel, "ping");
  gtk_drop_down_set_selected (f.panel->line_end_dropdown, 1);
  gtk_editable_set_text (GTK_EDITABLE (f.panel->snippet_name_entry), "Ping; LF");
  gtk_widget_activate_action (GTK_WIDGET (f.panel), "send-panel.save-snippet", NULL);
  sb_send_panel_set_text (f.panel, "other");
  gtk_drop_down_set_selected (f.panel->line_end_dropdown, 0);

  gtk_widget_activate_action (GTK_WIDGET (f.panel), "send-panel.send-snippet", "u", 0);
  peer_expect (&f.peer, "ping\n", 5);

  sb_session_setup_save (sb_session_page_get_setup (f.page), keyfile, "Page 1");
  saved = g_key_file_get_string (keyfile, "Page 1", "snippet-0", NULL);
  g_assert_cmpstr (saved, ==, "text;0;1;;Ping, LF;ping");
  fixture_close (&f);

  setup = sb_session_setup_new_from_keyfile (keyfile, "Page 1", &error);
  g_assert_no_error (error);
  loaded = g_object_ref_sink (sb_session_page_new_for_setup (setup));
  window = show_in_window (loaded, 1000, 700);
  loaded_panel = SB_SEND_PANEL (find_first (GTK_WIDGET (loaded), SB_TYPE_SEND_PANEL));
  g_assert_cmpuint (loaded_panel->snippets->len, ==, 1);
  sb_session_page_start (loaded);
  wait_state (loaded, SB_SESSION_STATE_LISTENING);
  peer_open (&peer, loaded, G_SOCKET_TYPE_STREAM);
  g_assert_true (wait_for (has_one_peer, loaded));
  gtk_widget_activate_action (GTK_WIDGET (loaded_panel), "send-panel.send-snippet", "u", 0);
  peer_expect (&peer, "ping\n", 5);

  /* Removing it empties the list, and the setup with it. */
  gtk_widget_activate_action (GTK_WIDGET (loaded_panel), "send-panel.remove-snippet", "u", 0);
  {
    g_auto(GStrv) snippets = NULL;

    g_object_get (setup, "snippets", &snippets, NULL);
    g_assert_cmpuint (g_strv_length (snippets), ==, 0);
  }

  peer_close (&peer);
  sb_session_page_stop (loaded);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (loaded);
}

/* With templates on, the preview is the bytes the next send writes. */
static void
test_templates (void)
{
  Fixture f = { 0 };
  static const guint8 modbus[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };
  g_autofree char *preview = NULL;

  fixture_tcp (&f);
  g_object_set (sb_session_page_get_setup (f.page), "templates", TRUE, NULL);
  g_assert_true (gtk_switch_get_active (f.panel->templates_switch));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f.panel->preview_label)));

  sb_send_panel_set_hex (f.panel, TRUE);
  sb_send_panel_set_text (f.panel, "01 03 00 00 00 0a ${crc-16/modbus}");
  preview = sb_send_panel_dup_preview (f.panel);
  g_assert_cmpstr (preview, ==, "01 03 00 00 00 0a c5 cd");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, modbus, sizeof modbus);

  /* The Modbus menu fills in the same request for RTU. */
  sb_send_panel_set_text (f.panel, "");
  gtk_widget_activate_action (GTK_WIDGET (f.panel), "send-panel.modbus", "s", "modbus-rtu read-holding-registers");
  g_clear_pointer (&preview, g_free);
  preview = sb_send_panel_dup_preview (f.panel);
  g_assert_cmpstr (preview, ==, "01 03 00 00 00 0a c5 cd");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, modbus, sizeof modbus);

  /* A counter: the preview shows the next value, each send steps it. */
  sb_send_panel_set_hex (f.panel, FALSE);
  sb_send_panel_set_text (f.panel, "n=${seq}");
  g_clear_pointer (&preview, g_free);
  preview = sb_send_panel_dup_preview (f.panel);
  g_assert_cmpstr (preview, ==, "6e 3d 31");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, "n=1", 3);
  g_clear_pointer (&preview, g_free);
  preview = sb_send_panel_dup_preview (f.panel);
  g_assert_cmpstr (preview, ==, "6e 3d 32");

  /* An error names the position and marks it. */
  sb_send_panel_set_text (f.panel, "ab ${crc16");
  g_assert_false (sb_send_panel_send (f.panel));
  g_assert_nonnull (strstr (sb_send_panel_get_error_text (f.panel), "position 11"));
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (f.panel->text_view);
    GtkTextIter start, end;

    g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
    g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, 9);
    g_assert_cmpint (gtk_text_iter_get_offset (&end), ==, 10);
  }

  fixture_close (&f);
}

/* Advanced: one send cut into 2-byte writes 60 ms apart arrives whole. */
static void
test_cut_writes (void)
{
  Fixture f = { 0 };
  SbCounters counters;

  fixture_tcp (&f);
  gtk_spin_button_set_value (f.panel->chunk_spin, 2);
  gtk_spin_button_set_value (f.panel->gap_spin, 100);
  sb_send_panel_set_text (f.panel, "abcde");
  g_assert_true (sb_send_panel_send (f.panel));
  peer_expect (&f.peer, "abcde", 5);
  sb_session_get_counters (sb_session_page_get_session (f.page), &counters);
  g_assert_cmpuint (counters.tx_bytes, ==, 5);
  g_assert_cmpuint (counters.tx_messages, ==, 3);

  /* A file goes the same way: 10 bytes as 4 + 4 + 2. */
  {
    g_autofree char *path = NULL;
    g_autoptr(GFile) file = NULL;
    g_autoptr(GError) error = NULL;
    int fd = g_file_open_tmp ("sb-send-XXXXXX", &path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (write (fd, "0123456789", 10), ==, 10);
    close (fd);
    file = g_file_new_for_path (path);
    gtk_spin_button_set_value (f.panel->chunk_spin, 4);
    gtk_spin_button_set_value (f.panel->gap_spin, 30);
    sb_send_panel_send_file (f.panel, file);
    peer_expect (&f.peer, "0123456789", 10);
    sb_session_get_counters (sb_session_page_get_session (f.page), &counters);
    g_assert_cmpuint (counters.tx_bytes, ==, 15);
    g_assert_cmpuint (counters.tx_messages, ==, 6);
    g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), ==, "");
    g_unlink (path);
  }

  fixture_close (&f);
}

static gboolean
plan_idle (gpointer data)
{
  SbSendPanel *panel = data;

  return !_sb_send_panel_plan_busy (panel);
}

/* A repeat with the Advanced options runs its plan on the engine too: 3
 * messages as 2-byte writes 5 ms apart, one after the other. While the
 * panel's own plan still writes, a repeat is refused: the two would mix. */
static void
test_repeat_cut_writes (void)
{
  Fixture f = { 0 };
  SbCounters counters;

  fixture_tcp (&f);
  gtk_spin_button_set_value (f.panel->chunk_spin, 2);
  gtk_spin_button_set_value (f.panel->gap_spin, 5);
  sb_send_panel_set_text (f.panel, "abc");
  gtk_check_button_set_active (f.panel->repeat_check, TRUE);
  gtk_spin_button_set_value (f.panel->interval_spin, 1);
  gtk_spin_button_set_value (f.panel->count_spin, 3);
  g_assert_true (sb_send_panel_send (f.panel));
  g_assert_true (wait_for (repeat_done, f.panel));
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), ==, "");
  peer_expect (&f.peer, "abcabcabc", 9);
  sb_session_get_counters (sb_session_page_get_session (f.page), &counters);
  g_assert_cmpuint (counters.tx_messages, ==, 6);
  g_assert_cmpstr (gtk_label_get_text (f.panel->repeat_label), ==, "Sent 3 of 3");
  g_assert_cmpstr (gtk_label_get_text (f.panel->plan_label), ==, "");

  /* The panel's plan busy with a slow send: no repeat yet. */
  gtk_check_button_set_active (f.panel->repeat_check, FALSE);
  gtk_spin_button_set_value (f.panel->gap_spin, 50);
  sb_send_panel_set_text (f.panel, "0123");
  g_assert_true (sb_send_panel_send (f.panel));
  gtk_check_button_set_active (f.panel->repeat_check, TRUE);
  g_assert_false (sb_send_panel_send (f.panel));
  g_assert_cmpstr (sb_send_panel_get_error_text (f.panel), !=, "");
  g_assert_null (f.panel->repeat);
  g_assert_true (wait_for (plan_idle, f.panel));
  peer_expect (&f.peer, "0123", 4);

  fixture_close (&f);
}

/* --- A Modbus/TCP device in python, asked from a window page --- */

/* Standard library only: answers read holding registers (function 3) with
 * registers 10, 20, 30… and prints its port first. */
static const char modbus_device_py[] =
  "import socket, struct, sys\n"
  "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)\n"
  "print(l.getsockname()[1], flush=True)\n"
  "c, _ = l.accept()\n"
  "def exactly(n):\n"
  "    b = b''\n"
  "    while len(b) < n:\n"
  "        d = c.recv(n - len(b))\n"
  "        if not d: sys.exit(0)\n"
  "        b += d\n"
  "    return b\n"
  "while True:\n"
  "    tid, proto, length = struct.unpack('>HHH', exactly(6))\n"
  "    unit, fn, addr, count = struct.unpack('>BBHH', exactly(length))\n"
  "    regs = b''.join(struct.pack('>H', 10 * (addr + i + 1)) for i in range(count))\n"
  "    pdu = bytes([unit, fn, len(regs)]) + regs\n"
  "    c.sendall(struct.pack('>HHH', tid, 0, len(pdu)) + pdu)\n";

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} NoteWait;

static gboolean
note_contains (gpointer data)
{
  NoteWait *w = data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (w->widget, "sb-data-note", TRUE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (g_ptr_array_index (labels, i), w->text) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_modbus_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) device = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *port = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *request = NULL;
  g_autofree char *preview = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;
  GtkWidget *history_view;
  Fixture f = { 0 };
  NoteWait note;

  device = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "python3", "-c", modbus_device_py, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (device));
  port = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (port);

  /* A client page, framed as Modbus/TCP (the MBAP length at offset 4). */
  uri = g_strdup_printf ("tcp://127.0.0.1:%s", port);
  spec = sb_session_spec_parse (uri, &error);
  g_assert_no_error (error);
  f.page = g_object_ref_sink (sb_session_page_new (spec));
  g_assert_true (sb_session_setup_set_framing (sb_session_page_get_setup (f.page), "len:2:be:4", &error));
  f.window = show_in_window (f.page, 1000, 700);
  f.panel = SB_SEND_PANEL (find_first (GTK_WIDGET (f.page), SB_TYPE_SEND_PANEL));
  history_view = find_first (GTK_WIDGET (f.page), SB_TYPE_HISTORY_VIEW);
  sb_session_page_start (f.page);
  wait_state (f.page, SB_SESSION_STATE_CONNECTED);

  /* The Modbus request template, sent from the panel: the MBAP header
   * (transaction from ${seq}, length from ${len}) is filled in. */
  request = sb_modbus_request_template (SB_MODBUS_TCP, "read-holding-registers unit=1 address=0 count=2", &error);
  g_assert_no_error (error);
  g_object_set (sb_session_page_get_setup (f.page), "templates", TRUE, NULL);
  sb_send_panel_set_hex (f.panel, TRUE);
  sb_send_panel_set_text (f.panel, request);
  preview = sb_send_panel_dup_preview (f.panel);
  g_assert_cmpstr (preview + 6, ==, "00 00 00 06 01 03 00 00 00 02");
  g_assert_true (sb_send_panel_send (f.panel));

  /* The device's answer is one frame, shown decoded: registers 10 and 20. */
  gtk_widget_activate_action (history_view, "history.decode-modbus", NULL);
  note = (NoteWait) { history_view, "10, 20" };
  g_assert_true (wait_for (note_contains, &note));

  sb_session_page_stop (f.page);
  gtk_window_destroy (GTK_WINDOW (f.window));
  g_assert_finalize_object (f.page);
  g_subprocess_force_exit (device);
  g_subprocess_wait (device, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/send/ctrl-return", test_ctrl_return);
  g_test_add_func ("/send/recall", test_recall);
  g_test_add_func ("/send/last-sender", test_last_sender);
  g_test_add_func ("/send/errors", test_errors);
  g_test_add_func ("/send/repeat", test_repeat);
  g_test_add_func ("/send/repeat-template", test_repeat_template);
  g_test_add_func ("/send/repeat-stop", test_repeat_stop);
  g_test_add_func ("/send/repeat-busy", test_repeat_busy);
  g_test_add_func ("/send/repeat-session-stops", test_repeat_session_stops);
  g_test_add_func ("/send/repeat-cut-writes", test_repeat_cut_writes);
  g_test_add_func ("/send/snippets", test_snippets);
  g_test_add_func ("/send/templates", test_templates);
  g_test_add_func ("/send/modbus-device", test_modbus_device);
  g_test_add_func ("/send/cut-writes", test_cut_writes);

  return g_test_run ();
}
