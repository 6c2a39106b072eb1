/* test-history-view.c — the history view on a live page: frames, checks,
 * Modbus, a character split across reads, the peer filter, the text size,
 * and the ramp that lets a list's first rows in a few a frame
 *
 * A writer in the test connects to a TCP server page on loopback and sends
 * its bytes in cuts it chooses (TCP_NODELAY, each cut waited for before the
 * next), so the page reads exactly those cuts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "sb-data-cell.h"
#include "sb-frames.h"
#include "sb-history-view.h"
#include "sb-peers-view.h"
#include "sb-ramp-model.h"
#include "sb-send-panel.h"
#include "sb-session-page.h"
#include "sb-text-size.h"
#include "sb-ui-test-util.h"

/* --- A server page and writers --- */

typedef struct
{
  SbSessionPage *page;
  GtkWidget     *window;
  SbHistoryView *view;
  SbHistory     *history;
} Server;

static void
server_start (Server *s)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);

  s->page = g_object_ref_sink (sb_session_page_new (spec));
  s->window = show_in_window (s->page, 1000, 700);
  sb_session_page_start (s->page);
  wait_state (s->page, SB_SESSION_STATE_LISTENING);
  s->view = SB_HISTORY_VIEW (find_first (GTK_WIDGET (s->page), SB_TYPE_HISTORY_VIEW));
  s->history = sb_session_get_history (sb_session_page_get_session (s->page));
  g_assert_nonnull (s->view);
}

static void
server_stop (Server *s)
{
  sb_session_page_stop (s->page);
  gtk_window_destroy (GTK_WINDOW (s->window));
  drain ();
  g_assert_finalize_object (s->page);
}

typedef struct
{
  Server *server;
  guint   n;
} PeersWait;

static gboolean
has_n_peers (gpointer data)
{
  PeersWait *w = data;
  GListModel *peers = sb_session_get_peers (sb_session_page_get_session (w->server->page));

  return g_list_model_get_n_items (peers) == w->n;
}

/* A blocking client of the server page, with TCP_NODELAY. */
static GSocket *
writer_connect (Server *s,
                guint   n_peers)
{
  GSocketAddress *local = sb_session_get_local_address (sb_session_page_get_session (s->page));
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, &error);
  PeersWait w = { s, n_peers };

  g_assert_no_error (error);
  g_assert_true (g_socket_connect (sock, local, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_set_option (sock, IPPROTO_TCP, TCP_NODELAY, 1, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (has_n_peers, &w));
  return g_steal_pointer (&sock);
}

static guint64
rx_bytes (SbHistory *history)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (history));
  guint64 total = 0;

  for (guint i = 0; i < n; i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_RX)
      {
        gsize len = 0;

        sb_history_peek_data (history, i, &len);
        total += len;
      }
  return total;
}

typedef struct
{
  SbHistory *history;
  guint64    want;
} BytesWait;

static gboolean
has_rx_bytes (gpointer data)
{
  BytesWait *w = data;
  return rx_bytes (w->history) >= w->want;
}

/* Sends @len bytes as one write and waits until the page has read them:
 * one cut, one read. */
static void
send_cut (Server       *s,
          GSocket      *sock,
          const guint8 *data,
          gsize         len)
{
  g_autoptr(GError) error = NULL;
  BytesWait w = { s->history, rx_bytes (s->history) + len };
  gsize sent = 0;

  while (sent < len)
    {
      gssize n = g_socket_send (sock, (const char *) data + sent, len - sent, NULL, &error);

      g_assert_no_error (error);
      sent += (gsize) n;
    }
  g_assert_true (wait_for (has_rx_bytes, &w));
}

static void
append_message (GByteArray *out,
                const char *text)
{
  gsize len = strlen (text);
  guint8 header[2] = { (guint8) (len >> 8), (guint8) len };

  g_byte_array_append (out, header, 2);
  g_byte_array_append (out, (const guint8 *) text, len);
}

/* --- Looking at the view --- */

static void
collect_type (GtkWidget *widget,
              GType      type,
              GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    collect_type (child, type, out);
}

typedef struct
{
  GtkWidget  *widget;
  const char *css_class;
  const char *text;     /* a shown text that holds this */
} LabelWait;

static gboolean
label_contains (gpointer data)
{
  LabelWait *w = data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (w->widget, w->css_class, TRUE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (g_ptr_array_index (labels, i), w->text) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
label_equals (gpointer data)
{
  LabelWait *w = data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (w->widget, w->css_class, TRUE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (g_ptr_array_index (labels, i), w->text) == 0)
      return TRUE;
  return FALSE;
}

/* The check button of @widget's tree whose label is @label. */
static GtkCheckButton *
find_check (GtkWidget  *widget,
            const char *label)
{
  if (GTK_IS_CHECK_BUTTON (widget) &&
      g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (widget)), label) == 0)
    return GTK_CHECK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkCheckButton *found = find_check (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_n_items (gpointer data)
{
  CountWait *w = data;
  return g_list_model_get_n_items (w->model) == w->n;
}

static GBytes *
item_raw (GListModel *model,
          guint       position)
{
  g_autoptr(SbFrameItem) frame = g_list_model_get_item (model, position);

  g_assert_true (SB_IS_FRAME_ITEM (frame));
  return sb_frame_item_dup_raw (frame);
}

/* --- Frames --- */

static gboolean
one_match (gpointer data)
{
  return g_strcmp0 (sb_history_view_get_match_text (data), "1 match") == 0;
}

static void
test_frames (void)
{
  Server s = { 0 };
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(GPtrArray) expect = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbFramer) framer = NULL;
  g_autoptr(SbFrames) frames = NULL;
  g_autoptr(GByteArray) tail = g_byte_array_new ();
  g_autoptr(GArray) parts = NULL;
  GListModel *shown;
  CountWait cw;
  LabelWait lw;
  guint n_messages = 12, three_reads;
  gsize at = 0;

  server_start (&s);
  sock = writer_connect (&s, 1);

  /* Length-prefixed messages, cut at random places. */
  for (guint i = 0; i < n_messages; i++)
    {
      g_autofree char *text = g_strdup_printf ("msg-%02u %.*s", i, (int) (i * 3), "abcdefghijklmnopqrstuvwxyz0123456789");
      gsize before = stream->len;

      append_message (stream, text);
      g_ptr_array_add (expect, g_bytes_new (stream->data + before, stream->len - before));
    }
  while (at < stream->len)
    {
      /* Not inside MIN (): it would draw twice. */
      gsize cut = (gsize) g_test_rand_int_range (1, 24);

      cut = MIN (cut, stream->len - at);
      send_cut (&s, sock, stream->data + at, cut);
      at += cut;
    }

  /* Then one message in three reads, two in one read, and half a message. */
  append_message (tail, "three reads");
  send_cut (&s, sock, tail->data, 1);
  send_cut (&s, sock, tail->data + 1, 5);
  send_cut (&s, sock, tail->data + 6, tail->len - 6);
  g_ptr_array_add (expect, g_bytes_new (tail->data, tail->len));
  g_byte_array_set_size (tail, 0);
  append_message (tail, "first");
  append_message (tail, "second");
  send_cut (&s, sock, tail->data, tail->len);
  g_ptr_array_add (expect, g_bytes_new (tail->data, 7));
  g_ptr_array_add (expect, g_bytes_new (tail->data + 7, 8));
  send_cut (&s, sock, (const guint8 *) "\x00\x0a" "abcd", 6);

  /* Without a framer, one row per read (the connected event and every cut). */
  shown = sb_history_view_get_model (s.view);
  framer = sb_framer_new_from_spec ("len:2:be", &error);
  g_assert_no_error (error);
  frames = sb_frames_new (s.history, NULL);
  sb_history_view_set_frames (s.view, frames);
  g_assert_false (sb_history_view_get_showing_frames (s.view));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, g_list_model_get_n_items (G_LIST_MODEL (s.history)));

  /* With it, exactly the messages, then the incomplete one. */
  sb_frames_set_framer (frames, framer);
  g_assert_true (sb_history_view_get_showing_frames (s.view));
  cw = (CountWait) { shown, expect->len + 1 };
  g_assert_true (wait_for (has_n_items, &cw));
  for (guint i = 0; i < expect->len; i++)
    {
      g_autoptr(GBytes) raw = item_raw (shown, i);

      g_assert_true (g_bytes_equal (raw, g_ptr_array_index (expect, i)));
    }

  /* The rows say how the frames came in. */
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-note", "Waiting for 6 more bytes" };
  g_assert_true (wait_for (label_contains, &lw));
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-note", "3 reads" };
  g_assert_true (wait_for (label_equals, &lw));
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-note", "one read held 2 frames" };
  g_assert_true (wait_for (label_equals, &lw));
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-text", "three reads" };
  g_assert_true (wait_for (label_contains, &lw));

  /* Selecting a frame selects its first read; selecting a read selects
   * the frame holding it. */
  three_reads = n_messages;
  {
    g_autoptr(SbFrameItem) frame = g_list_model_get_item (shown, three_reads);

    parts = sb_frame_item_dup_parts (frame);
  }
  g_assert_cmpuint (parts->len, ==, 3);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (shown), three_reads, TRUE);
  g_assert_cmpint (sb_history_view_get_selected_serial (s.view), ==,
                   (gint64) g_array_index (parts, SbFramePart, 0).serial);
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (shown));
  g_assert_true (sb_history_view_select_serial (s.view, g_array_index (parts, SbFramePart, 2).serial));
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (shown), three_reads));
  g_assert_cmpint (sb_history_view_get_selected_serial (s.view), ==,
                   (gint64) g_array_index (parts, SbFramePart, 0).serial);

  /* Search and filter by frames: a message cut across reads is found whole. */
  sb_history_view_search (s.view, "msg-07 abcdefghijklmnopqrstu", FALSE);
  gtk_check_button_set_active (find_check (GTK_WIDGET (s.view), "_Only matching rows"), TRUE);
  cw = (CountWait) { shown, 1 };
  g_assert_true (wait_for (has_n_items, &cw));
  {
    g_autoptr(GBytes) raw = item_raw (shown, 0);

    g_assert_true (g_bytes_equal (raw, g_ptr_array_index (expect, 7)));
  }
  gtk_check_button_set_active (find_check (GTK_WIDGET (s.view), "_Only matching rows"), FALSE);
  /* Counted and stepped through by frames too. */
  g_assert_true (wait_for (one_match, s.view));
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (shown));
  gtk_widget_activate_action (GTK_WIDGET (s.view), "history.find-next", NULL);
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (shown), 7));
  g_assert_cmpstr (sb_history_view_get_match_text (s.view), ==, "1 of 1 match");
  sb_history_view_search (s.view, "", FALSE);

  /* Back to none: the reads again; and framed again. */
  sb_frames_set_framer (frames, NULL);
  g_assert_false (sb_history_view_get_showing_frames (s.view));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, g_list_model_get_n_items (G_LIST_MODEL (s.history)));
  g_assert_true (sb_frames_set_spec (frames, "len:2:be", &error));
  g_assert_no_error (error);
  cw = (CountWait) { shown, expect->len + 1 };
  g_assert_true (wait_for (has_n_items, &cw));

  /* The rest of the half message completes it. */
  send_cut (&s, sock, (const guint8 *) "efghij", 6);
  {
    g_autoptr(SbFrameItem) last = g_list_model_get_item (shown, expect->len);

    g_assert_cmpint (sb_frame_item_get_status (last), ==, SB_FRAME_COMPLETE);
    g_assert_cmpuint (sb_frame_item_get_length (last), ==, 12);
  }
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-note", "Waiting for 6 more bytes" };
  g_assert_false (label_contains (&lw));

  sb_history_view_set_frames (s.view, NULL);
  g_socket_close (sock, NULL);
  server_stop (&s);
}

/* --- Checks and Modbus --- */

static void
test_checks (void)
{
  Server s = { 0 };
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbFrames) frames = NULL;
  /* A 1-byte length, then a Modbus RTU request with its CRC (c5 cd). */
  static const guint8 good[] = { 0x08, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0xc5, 0xcd };
  static const guint8 bad[] = { 0x08, 0x01, 0x03, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00 };
  GListModel *shown;
  CountWait cw;
  LabelWait lw;

  server_start (&s);
  sock = writer_connect (&s, 1);
  send_cut (&s, sock, good, sizeof good);
  send_cut (&s, sock, bad, sizeof bad);
  send_cut (&s, sock, good, sizeof good);

  frames = sb_frames_new (s.history, NULL);
  g_assert_true (sb_frames_set_spec (frames, "len:1:be", &error));
  g_assert_true (sb_frames_set_check (frames, "crc-16/modbus:1:-3", &error));
  g_assert_no_error (error);
  sb_history_view_set_frames (s.view, frames);
  shown = sb_history_view_get_model (s.view);
  cw = (CountWait) { shown, 3 };
  g_assert_true (wait_for (has_n_items, &cw));

  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-check-ok", "✔" };
  g_assert_true (wait_for (label_equals, &lw));
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-check-bad", "✘" };
  g_assert_true (wait_for (label_equals, &lw));
  /* The row says what was expected. */
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-note", "c5 cd" };
  g_assert_true (wait_for (label_contains, &lw));

  /* Only the bad frames. */
  sb_history_view_search (s.view, "", FALSE);
  gtk_check_button_set_active (find_check (GTK_WIDGET (s.view), "Only _bad frames"), TRUE);
  cw = (CountWait) { shown, 1 };
  g_assert_true (wait_for (has_n_items, &cw));
  {
    g_autoptr(GBytes) raw = item_raw (shown, 0);
    g_autoptr(GBytes) want = g_bytes_new_static (bad, sizeof bad);

    g_assert_true (g_bytes_equal (raw, want));
  }
  gtk_check_button_set_active (find_check (GTK_WIDGET (s.view), "Only _bad frames"), FALSE);
  cw = (CountWait) { shown, 3 };
  g_assert_true (wait_for (has_n_items, &cw));

  /* Without a check, no column. */
  g_assert_true (sb_frames_set_check (frames, "", &error));
  drain ();
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-check-bad", "✘" };
  g_assert_false (label_equals (&lw));

  sb_history_view_set_frames (s.view, NULL);
  g_socket_close (sock, NULL);
  server_stop (&s);
}

static void
test_modbus (void)
{
  Server s = { 0 };
  g_autoptr(GSocket) sock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SbFrames) frames = NULL;
  /* Modbus/TCP: transaction 7, unit 1, read holding registers: 10, 20. */
  static const guint8 answer[] = { 0x00, 0x07, 0x00, 0x00, 0x00, 0x07, 0x01, 0x03, 0x04, 0x00, 0x0a, 0x00, 0x14 };
  CountWait cw;
  LabelWait lw;

  server_start (&s);
  sock = writer_connect (&s, 1);
  send_cut (&s, sock, answer, 5);
  send_cut (&s, sock, answer + 5, sizeof answer - 5);

  frames = sb_frames_new (s.history, NULL);
  g_assert_true (sb_frames_set_spec (frames, "len:2:be:4", &error));
  g_assert_no_error (error);
  sb_history_view_set_frames (s.view, frames);
  cw = (CountWait) { sb_history_view_get_model (s.view), 1 };
  g_assert_true (wait_for (has_n_items, &cw));

  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-note", "10, 20" };
  g_assert_false (label_contains (&lw));
  /* The menu's "Decode as Modbus". */
  gtk_widget_activate_action (GTK_WIDGET (s.view), "history.decode-modbus", NULL);
  g_assert_true (sb_history_view_get_decode_modbus (s.view));
  g_assert_true (wait_for (label_contains, &lw));
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-note", "2 reads" };
  g_assert_true (wait_for (label_contains, &lw));

  sb_history_view_set_frames (s.view, NULL);
  g_socket_close (sock, NULL);
  server_stop (&s);
}

/* --- A character split across two reads, live --- */

static gboolean
has_live_cell (gpointer data)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  collect_type (data, SB_TYPE_DATA_CELL, cells);
  for (guint i = 0; i < cells->len; i++)
    if (sb_data_cell_get_live (g_ptr_array_index (cells, i)))
      return TRUE;
  return FALSE;
}

static gboolean
no_live_cell (gpointer data)
{
  return !has_live_cell (data);
}

static void
test_live_split (void)
{
  Server s = { 0 };
  g_autoptr(GSocket) sock = NULL;
  LabelWait lw;

  server_start (&s);
  sb_history_view_set_encoding (s.view, "GBK");
  sock = writer_connect (&s, 1);

  /* GBK 中文分割\r\n as d6 d0 ce + c4 b7 d6 b8 ee 0d 0a: 文 is cut. */
  send_cut (&s, sock, (const guint8 *) "\xd6\xd0\xce", 3);
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-text", "中\\xce" };
  g_assert_true (wait_for (label_equals, &lw));
  /* Not an error: its rest is still on its way. */
  g_assert_true (wait_for (has_live_cell, s.view));

  send_cut (&s, sock, (const guint8 *) "\xc4\xb7\xd6\xb8\xee\x0d\x0a", 7);
  /* The row that was live shows the character whole, in the next row. */
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-text", "中" };
  g_assert_true (wait_for (label_equals, &lw));
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-data-text", "文分割" };
  g_assert_true (wait_for (label_contains, &lw));
  g_assert_true (wait_for (no_live_cell, s.view));

  g_socket_close (sock, NULL);
  server_stop (&s);
}

/* --- Showing one peer --- */

static gboolean
only_peer (gpointer data)
{
  Server *s = data;
  GListModel *shown = sb_history_view_get_model (s->view);
  guint peer = sb_history_view_get_peer_filter (s->view);
  guint n = g_list_model_get_n_items (shown), data_rows = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SbHistoryItem) item = g_list_model_get_item (shown, i);
      guint p = sb_history_item_get_peer (item);

      if (p != peer && p != 0)
        return FALSE;
      if (sb_history_item_get_direction (item) == SB_DIRECTION_RX)
        data_rows++;
    }
  return data_rows == 1;
}

static void
test_peer_filter (void)
{
  Server s = { 0 };
  g_autoptr(GSocket) a = NULL;
  g_autoptr(GSocket) b = NULL;
  g_autoptr(GSocketAddress) a_local = NULL;
  g_autofree char *a_label = NULL;
  g_autofree char *chip = NULL;
  SbPeersView *peers_view;
  GtkSelectionModel *peers_model;
  GListModel *peers;
  GListModel *shown;
  guint n_all, a_position = G_MAXUINT;
  LabelWait lw;

  server_start (&s);
  a = writer_connect (&s, 1);
  b = writer_connect (&s, 2);
  send_cut (&s, a, (const guint8 *) "from-a", 6);
  send_cut (&s, b, (const guint8 *) "from-b", 6);

  a_local = g_socket_get_local_address (a, NULL);
  a_label = g_strdup_printf ("127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (a_local)));
  peers = sb_session_get_peers (sb_session_page_get_session (s.page));
  for (guint i = 0; i < g_list_model_get_n_items (peers); i++)
    {
      g_autoptr(SbPeer) peer = g_list_model_get_item (peers, i);

      if (g_strcmp0 (sb_peer_get_label (peer), a_label) == 0)
        a_position = i;
    }
  g_assert_cmpuint (a_position, !=, G_MAXUINT);

  peers_view = SB_PEERS_VIEW (find_first (GTK_WIDGET (s.page), SB_TYPE_PEERS_VIEW));
  sb_peers_view_set_history_view (peers_view, s.view);
  shown = sb_history_view_get_model (s.view);
  n_all = g_list_model_get_n_items (shown);

  /* Clicking the peer shows its records only, with a chip saying so. */
  peers_model = gtk_column_view_get_model (GTK_COLUMN_VIEW (find_first (GTK_WIDGET (peers_view), GTK_TYPE_COLUMN_VIEW)));
  gtk_selection_model_select_item (peers_model, a_position, TRUE);
  g_assert_cmpuint (sb_history_view_get_peer_filter (s.view), !=, 0);
  g_assert_true (wait_for (only_peer, &s));
  chip = g_strdup_printf ("Showing only %s", a_label);
  lw = (LabelWait) { GTK_WIDGET (s.view), "sb-peer-chip-label", chip };
  g_assert_true (wait_for (label_equals, &lw));

  /* New records of the other peer stay out. */
  send_cut (&s, b, (const guint8 *) "more-b", 6);
  g_assert_true (only_peer (&s));

  /* The chip's × shows every peer and unselects the peer. */
  gtk_widget_activate_action (GTK_WIDGET (s.view), "history.show-every-peer", NULL);
  g_assert_cmpuint (sb_history_view_get_peer_filter (s.view), ==, 0);
  g_assert_null (sb_peers_view_get_selected_peer (peers_view));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_all + 1);
  g_assert_false (label_equals (&lw));

  sb_peers_view_set_history_view (peers_view, NULL);
  g_socket_close (a, NULL);
  g_socket_close (b, NULL);
  server_stop (&s);
}

/* --- Text size --- */

/* From the widget's style as it is now. */
static int
font_size_of (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_create_pango_context (widget);
  int size = pango_font_description_get_size (pango_context_get_font_description (context));

  g_object_unref (context);
  return size;
}

typedef struct
{
  GtkWidget *widget;
  int        size;
} SizeWait;

static gboolean
font_is (gpointer data)
{
  SizeWait *w = data;
  /* Pango units round. */
  return ABS (font_size_of (w->widget) - w->size) <= w->size / 100;
}

static void
test_text_size (void)
{
  SbApplication *app = sb_ui_test_new_app (NULL);
  SbWindow *window = present_and_keep (sb_ui_test_new_window (app));
  GSettings *settings = sb_application_get_settings (app);
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.text-larger");
  SbSessionPage *page;
  GtkWidget *text_view;
  SizeWait sw;
  int normal;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>plus"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.text-smaller");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>minus"));
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.text-reset");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>0"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-uri", "s", "tcp-listen://127.0.0.1:0");
  page = sb_window_get_current_page (window);
  g_assert_true (wait_for (page_running, page));
  text_view = find_first (find_first (GTK_WIDGET (page), SB_TYPE_SEND_PANEL), GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (text_view);
  drain ();
  normal = font_size_of (text_view);
  g_assert_cmpint (normal, >, 0);

  g_action_group_activate_action (G_ACTION_GROUP (app), "text-larger", NULL);
  g_assert_cmpint (g_settings_get_int (settings, "text-size"), ==, 110);
  g_action_group_activate_action (G_ACTION_GROUP (app), "text-larger", NULL);
  g_assert_cmpint (g_settings_get_int (settings, "text-size"), ==, 125);
  sw = (SizeWait) { text_view, normal * 125 / 100 };
  g_assert_true (wait_for (font_is, &sw));

  g_action_group_activate_action (G_ACTION_GROUP (app), "text-smaller", NULL);
  g_assert_cmpint (g_settings_get_int (settings, "text-size"), ==, 110);
  g_action_group_activate_action (G_ACTION_GROUP (app), "text-reset", NULL);
  g_assert_cmpint (g_settings_get_int (settings, "text-size"), ==, 100);
  sw = (SizeWait) { text_view, normal };
  g_assert_true (wait_for (font_is, &sw));

  /* Bounded at both ends. */
  g_assert_cmpint (sb_text_size_step (SB_TEXT_SIZE_MAX, 1), ==, SB_TEXT_SIZE_MAX);
  g_assert_cmpint (sb_text_size_step (SB_TEXT_SIZE_MIN, -1), ==, SB_TEXT_SIZE_MIN);

  destroy_window (window);
  /* A registered application stays alive for its bus name, as in test-window. */
  g_object_unref (app);
}

/* --- The ramp: a list's first rows a few a frame --- */

typedef struct
{
  GListModel *ramp;
  guint       max_step;     /* the largest append seen below 200 rows */
  guint       n_changes;
  gboolean    in_order;
} RampWatch;

static void
ramp_changed_cb (GListModel *ramp,
                 guint       position,
                 guint       removed,
                 guint       added,
                 RampWatch  *w)
{
  w->n_changes++;
  if (removed == 0 && position < 200)
    w->max_step = MAX (w->max_step, added);
  /* Items come in the source's order, appended at the end. */
  if (removed == 0 && position + added != g_list_model_get_n_items (ramp))
    w->in_order = FALSE;
}

static gboolean
ramp_done (gpointer data)
{
  return !sb_ramp_model_is_ramping (data);
}

static void
append_strings (GListStore *store,
                guint       first,
                guint       n)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);

      g_ptr_array_add (items, gtk_string_object_new (text));
    }
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0, items->pdata, items->len);
}

static void
test_ramp (void)
{
  g_autoptr(GListStore) store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = gtk_label_new ("frames");
  g_autoptr(SbRampModel) ramp = sb_ramp_model_new (G_LIST_MODEL (store), label);
  RampWatch w = { G_LIST_MODEL (ramp), 0, 0, TRUE };

  gtk_window_set_child (GTK_WINDOW (window), label);
  present_and_keep (window);
  g_assert_true (gtk_widget_get_mapped (label));
  g_signal_connect (ramp, "items-changed", G_CALLBACK (ramp_changed_cb), &w);

  /* A few at a time pass straight through. */
  append_strings (store, 0, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 5);
  g_assert_false (sb_ramp_model_is_ramping (ramp));

  /* A flood into a list short of 200 rows comes in a step a frame up to
   * 200, then the rest at once, every item in the source's order. */
  append_strings (store, 5, 1000);
  g_assert_true (sb_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 5 + SB_RAMP_MODEL_STEP);
  append_strings (store, 1005, 10);   /* more while it ramps: held back too */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 5 + SB_RAMP_MODEL_STEP);
  g_assert_true (wait_for (ramp_done, ramp));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 1015);
  g_assert_cmpuint (w.max_step, ==, SB_RAMP_MODEL_STEP);
  g_assert_true (w.in_order);
  g_assert_cmpuint (w.n_changes, >=, 200 / SB_RAMP_MODEL_STEP);
  for (guint i = 0; i < 1015; i += 101)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (ramp), i);
      g_autofree char *expect = g_strdup_printf ("%u", i);

      g_assert_cmpstr (gtk_string_object_get_string (item), ==, expect);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (ramp), 1015));

  /* With 200 rows, a flood passes straight through. */
  append_strings (store, 1015, 500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 1515);

  /* A change that is not an append while it ramps shows the source as it is. */
  g_list_store_remove_all (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 0);
  append_strings (store, 0, 300);
  g_assert_true (sb_ramp_model_is_ramping (ramp));
  g_list_store_remove (store, 0);
  g_assert_false (sb_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 299);

  /* A list that is not shown has no frames: everything comes in at once. */
  g_list_store_remove_all (store);
  append_strings (store, 0, 300);
  g_assert_true (sb_ramp_model_is_ramping (ramp));
  gtk_widget_set_visible (label, FALSE);
  g_assert_false (sb_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 300);
  g_list_store_remove_all (store);
  append_strings (store, 0, 300);
  g_assert_false (sb_ramp_model_is_ramping (ramp));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (ramp)), ==, 300);

  g_signal_handlers_disconnect_by_data (ramp, &w);
  gtk_window_destroy (GTK_WINDOW (window));
  unref_and_wait_finalized (window);
}

int
main (int   argc,
      char *argv[])
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/history-view/frames", test_frames);
  g_test_add_func ("/history-view/checks", test_checks);
  g_test_add_func ("/history-view/modbus", test_modbus);
  g_test_add_func ("/history-view/live-split", test_live_split);
  g_test_add_func ("/history-view/peer-filter", test_peer_filter);
  g_test_add_func ("/history-view/text-size", test_text_size);
  g_test_add_func ("/history-view/ramp", test_ramp);

  return g_test_run ();
}
