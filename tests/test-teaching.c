/* test-teaching.c — the teaching views with real sockets on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <string.h>

#include "sb-byte-inspector.h"
#include "sb-calls-view.h"
#include "sb-follow.h"
#include "sb-frames.h"
#include "sb-history-view.h"
#include "sb-inspect.h"
#include "sb-sequence-view.h"
#include "sb-style.h"
#include "sb-session-page.h"
#include "sb-sessions.h"
#include "sb-tcp-state-view.h"
#include "sb-teaching-panel.h"
#include "sb-ui-test-util.h"

/* Lets pending idles, layout and paint run. */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;
  guint wake = g_timeout_add (20, sb_ui_test_tick, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

/* TRUE when a mapped label of @css_class under @widget starts with @prefix. */
static gboolean
has_label_prefix (GtkWidget  *widget,
                  const char *css_class,
                  const char *prefix)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (widget, css_class, FALSE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (labels, i), prefix))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *widget;
  const char *css_class;
  const char *prefix;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;
  return has_label_prefix (w->widget, w->css_class, w->prefix);
}

static SbTeachingPanel *
page_panel (SbSessionPage *page)
{
  SbTeachingPanel *panel;

  /* As the Teaching views toggle does: the panel is made when first shown. */
  sb_session_page_show_teaching (page, "calls");
  panel = SB_TEACHING_PANEL (find_first (GTK_WIDGET (page), SB_TYPE_TEACHING_PANEL));

  g_assert_nonnull (panel);
  return panel;
}

static SbHistoryView *
page_history_view (SbSessionPage *page)
{
  return SB_HISTORY_VIEW (find_first (GTK_WIDGET (page), SB_TYPE_HISTORY_VIEW));
}

typedef struct
{
  SbSessionPage *page;
  SbDirection    direction;
  const char    *bytes;
  gsize          len;
  guint64        serial;   /* out */
} RecordWait;

/* TRUE when the page's history holds a record of @direction with @bytes. */
static gboolean
history_has (gpointer data)
{
  RecordWait *w = data;
  SbHistory *history = sb_session_get_history (sb_session_page_get_session (w->page));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (history));

  for (guint i = 0; i < n; i++)
    {
      gsize len;
      const guint8 *bytes;

      if (sb_history_get_direction (history, i) != w->direction)
        continue;
      bytes = sb_history_peek_data (history, i, &len);
      if (len == w->len && memcmp (bytes, w->bytes, len) == 0)
        {
          w->serial = sb_history_get_serial (history, i);
          return TRUE;
        }
    }
  return FALSE;
}

static guint64
wait_record (SbSessionPage *page,
             SbDirection    direction,
             const char    *bytes,
             gsize          len)
{
  RecordWait w = { page, direction, bytes, len, 0 };

  g_assert_true (wait_for (history_has, &w));
  return w.serial;
}

static void
send_bytes (SbSessionPage *page,
            const char    *bytes,
            gsize          len)
{
  g_autoptr(GBytes) data = g_bytes_new (bytes, len);
  g_autoptr(GError) error = NULL;

  g_assert_true (sb_session_send (sb_session_page_get_session (page), NULL, data, &error));
  g_assert_no_error (error);
}

/* The Python lines of every call in the Calls view's model. */
static GPtrArray *
calls_lines (SbCallsView *view)
{
  GListModel *model = sb_calls_view_get_model (view);
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SbTraceCall) call = g_list_model_get_item (model, i);
      g_ptr_array_add (lines, sb_trace_call_format (call, SB_TRACE_PYTHON));
    }
  return lines;
}

static gboolean
lines_have_prefix (GPtrArray  *lines,
                   const char *prefix)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (lines, i), prefix))
      return TRUE;
  return FALSE;
}

static gboolean
calls_has_serial (gpointer data)
{
  RecordWait *w = data;
  SbTrace *trace = sb_session_get_trace (sb_session_page_get_session (w->page));

  return sb_trace_find_serial (trace, w->serial, NULL);
}

/* --- TCP state --- */

typedef struct
{
  SbTcpStateView *view;
  GtkWidget      *widget;     /* where to look for the peers' labels */
  const char     *own;        /* state of the session's socket, or NULL */
  const char     *peer;       /* a peer row's state, or NULL */
} StateWait;

static gboolean
tcp_state_is (gpointer data)
{
  StateWait *w = data;

  sb_tcp_state_view_refresh (w->view);
  if (w->own != NULL && g_strcmp0 (sb_tcp_state_view_get_state (w->view), w->own) != 0)
    return FALSE;
  if (w->peer != NULL && !has_label_prefix (w->widget, "sb-tcp-state", w->peer))
    return FALSE;
  return TRUE;
}

static void
test_teaching_end_to_end (void)
{
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSessionSpec) client_spec = NULL;
  g_autofree char *client_uri = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  SbSessionPage *server, *client;
  GtkWidget *server_window, *client_window;
  SbTeachingPanel *server_panel, *client_panel;
  SbHistoryView *server_history;
  SbCallsView *calls;
  SbSequenceView *sequence;
  SbByteInspector *inspector;
  LabelWait lw;
  guint64 hello_serial, second_serial, gbk_serial;
  guint position;
  const char gbk[] = "\xc4\xfa\xba\xc3\xff";   /* 您好 and a byte GBK never starts with */

  server = g_object_ref_sink (sb_session_page_new (server_spec));
  server_window = show_in_window (server, 1200, 760);
  server_panel = page_panel (server);
  gtk_widget_set_visible (GTK_WIDGET (server_panel), TRUE);
  sb_session_page_start (server);
  wait_state (server, SB_SESSION_STATE_LISTENING);

  client_uri = client_uri_for (server);
  client_spec = sb_session_spec_parse (client_uri, NULL);
  client = g_object_ref_sink (sb_session_page_new (client_spec));
  client_window = show_in_window (client, 1200, 760);
  client_panel = page_panel (client);
  gtk_widget_set_visible (GTK_WIDGET (client_panel), TRUE);
  sb_session_page_start (client);
  wait_state (client, SB_SESSION_STATE_CONNECTED);
  g_assert_true (wait_for (has_one_peer, server));

  send_bytes (client, "hello", 5);
  hello_serial = wait_record (server, SB_DIRECTION_RX, "hello", 5);

  /* Calls: the server's socket calls as Python, in the model and on screen. */
  calls = sb_teaching_panel_get_calls_view (server_panel);
  sb_teaching_panel_set_visible_view (server_panel, "calls");
  {
    RecordWait w = { server, SB_DIRECTION_RX, NULL, 0, hello_serial };
    g_assert_true (wait_for (calls_has_serial, &w));
  }
  lines = calls_lines (calls);
  g_assert_true (lines_have_prefix (lines, "s.listen(1024)"));
  g_assert_true (lines_have_prefix (lines, "conn1, addr = s.accept()"));
  lw = (LabelWait) { GTK_WIDGET (calls), "sb-call", "s.listen(1024)" };
  g_assert_true (wait_for (label_shown, &lw));
  lw = (LabelWait) { GTK_WIDGET (calls), "sb-call", "conn1, addr = s.accept()" };
  g_assert_true (wait_for (label_shown, &lw));
  lw = (LabelWait) { GTK_WIDGET (calls), "sb-call", "data = conn1.recv(65536)  # b'hello'" };
  g_assert_true (wait_for (label_shown, &lw));

  /* The C switch re-renders the rows on screen. */
  sb_calls_view_set_syntax (calls, SB_TRACE_C);
  lw = (LabelWait) { GTK_WIDGET (calls), "sb-call", "listen(s, 1024);" };
  g_assert_true (wait_for (label_shown, &lw));
  sb_calls_view_set_syntax (calls, SB_TRACE_PYTHON);

  /* Selecting a history row selects its call, its arrow and its bytes. */
  server_history = page_history_view (server);
  sequence = sb_teaching_panel_get_sequence_view (server_panel);
  inspector = sb_teaching_panel_get_byte_inspector (server_panel);
  {
    GListModel *model = sb_history_view_get_model (server_history);
    gboolean found = FALSE;

    for (position = 0; position < g_list_model_get_n_items (model); position++)
      {
        g_autoptr(SbHistoryItem) item = g_list_model_get_item (model, position);
        if ((found = sb_history_item_get_serial (item) == hello_serial))
          break;
      }
    g_assert_true (found);
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (model), position, TRUE);
  }
  g_assert_cmpint (sb_history_view_get_selected_serial (server_history), ==, hello_serial);
  g_assert_cmpint (sb_calls_view_get_selected_serial (calls), ==, hello_serial);
  {
    SbTraceCall *call = gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (sb_calls_view_get_model (calls)));
    g_autofree char *line = sb_trace_call_format (call, SB_TRACE_PYTHON);

    g_assert_cmpint (sb_trace_call_get_kind (call), ==, SB_CALL_RECV);
    g_assert_true (g_str_has_prefix (line, "data = conn1.recv(65536)  # b'hello'"));
  }
  g_assert_cmpint (sb_sequence_view_get_selected_serial (sequence), ==, hello_serial);
  g_assert_cmpuint (sb_byte_inspector_get_n_units (inspector, FALSE), ==, 5);

  /* …and selecting a call selects its history row. */
  send_bytes (client, "second", 6);
  second_serial = wait_record (server, SB_DIRECTION_RX, "second", 6);
  {
    RecordWait w = { server, SB_DIRECTION_RX, NULL, 0, second_serial };
    SbTrace *trace = sb_session_get_trace (sb_session_page_get_session (server));
    g_autoptr(GtkBitset) selected = NULL;
    guint call_position;

    g_assert_true (wait_for (calls_has_serial, &w));
    g_assert_true (sb_trace_find_serial (trace, second_serial, &call_position));
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (sb_calls_view_get_model (calls)), call_position, TRUE);
    g_assert_cmpint (sb_calls_view_get_selected_serial (calls), ==, second_serial);
    g_assert_cmpint (sb_history_view_get_selected_serial (server_history), ==, second_serial);
    selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (sb_history_view_get_model (server_history)));
    g_assert_cmpuint (gtk_bitset_get_size (selected), ==, 1);
    g_assert_cmpint (sb_sequence_view_get_selected_serial (sequence), ==, second_serial);
  }

  /* Bytes: a GBK message with an invalid byte, in a GBK page. */
  sb_session_page_set_encoding (server, "GBK");
  g_assert_cmpstr (sb_byte_inspector_get_encoding (inspector), ==, "GBK");
  g_assert_cmpstr (sb_byte_inspector_get_second_encoding (inspector), ==, "UTF-8");
  send_bytes (client, gbk, 5);
  gbk_serial = wait_record (server, SB_DIRECTION_RX, gbk, 5);
  sb_teaching_panel_set_visible_view (server_panel, "bytes");
  g_assert_true (sb_history_view_select_serial (server_history, gbk_serial));
  g_assert_cmpint (sb_calls_view_get_selected_serial (calls), ==, gbk_serial);
  {
    const SbUnit *unit;
    g_autofree char *reason = NULL;

    g_assert_cmpuint (sb_byte_inspector_get_n_units (inspector, FALSE), ==, 3);
    unit = sb_byte_inspector_get_unit (inspector, FALSE, 0);
    g_assert_cmpuint (unit->offset, ==, 0);
    g_assert_cmpuint (unit->length, ==, 2);
    g_assert_cmpint (unit->kind, ==, SB_UNIT_CHAR);
    g_assert_cmpstr (unit->text, ==, "您");
    unit = sb_byte_inspector_get_unit (inspector, FALSE, 1);
    g_assert_cmpuint (unit->offset, ==, 2);
    g_assert_cmpuint (unit->length, ==, 2);
    g_assert_cmpstr (unit->text, ==, "好");
    unit = sb_byte_inspector_get_unit (inspector, FALSE, 2);
    g_assert_cmpuint (unit->offset, ==, 4);
    g_assert_cmpuint (unit->length, ==, 1);
    g_assert_cmpint (unit->kind, ==, SB_UNIT_INVALID);

    reason = sb_inspect_describe (unit, "GBK", (const guint8 *) gbk, 5);
    g_assert_nonnull (reason);
    g_assert_nonnull (strstr (sb_byte_inspector_get_invalid_text (inspector), reason));
    g_assert_nonnull (strstr (sb_byte_inspector_get_invalid_text (inspector), "Byte 4: ff"));

    /* The same bytes in UTF-8: every one of them is invalid there. */
    g_assert_cmpuint (sb_byte_inspector_get_n_units (inspector, TRUE), ==, 5);
    g_assert_cmpint (sb_byte_inspector_get_unit (inspector, TRUE, 0)->kind, ==, SB_UNIT_INVALID);

    /* A selection of one character: its bytes, and the same character in UTF-8. */
    sb_byte_inspector_select_range (inspector, 0, 2);
    g_assert_nonnull (strstr (sb_byte_inspector_get_selection_text (inspector), "c4 fa"));
    g_assert_nonnull (strstr (sb_byte_inspector_get_selection_text (inspector), "GBK: 您"));
    g_assert_nonnull (strstr (sb_byte_inspector_get_selection_text (inspector), "e6 82 a8"));
  }

  /* TCP: LISTEN and ESTABLISHED while connected… */
  sb_teaching_panel_set_visible_view (server_panel, "tcp");
  sb_teaching_panel_set_visible_view (client_panel, "tcp");
  {
    StateWait server_wait = { sb_teaching_panel_get_tcp_state_view (server_panel), GTK_WIDGET (server_panel), "LISTEN", "ESTABLISHED" };
    StateWait client_wait = { sb_teaching_panel_get_tcp_state_view (client_panel), GTK_WIDGET (client_panel), "ESTABLISHED", NULL };

    g_assert_true (wait_for (tcp_state_is, &server_wait));
    g_assert_true (wait_for (tcp_state_is, &client_wait));

    /* …then the client half-closes: it waits in FIN_WAIT2, the server's
     * connection in CLOSE_WAIT (the server does not close on EOF here). */
    sb_session_set_close_on_eof (sb_session_page_get_session (server), FALSE);
    g_assert_true (sb_session_shutdown_write (sb_session_page_get_session (client), NULL, NULL));
    server_wait.peer = "CLOSE_WAIT";
    client_wait.own = "FIN_WAIT2";
    g_assert_true (wait_for (tcp_state_is, &server_wait));
    g_assert_true (wait_for (tcp_state_is, &client_wait));
  }

  sb_session_page_stop (client);
  sb_session_page_stop (server);
  gtk_window_destroy (GTK_WINDOW (client_window));
  gtk_window_destroy (GTK_WINDOW (server_window));
  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}

/* --- Screenshots (only with SOCKBENCH_SCREENSHOTS=DIR) --- */

static void
screenshot (GtkWidget  *window,
            const char *lang,
            const char *name)
{
  const char *dir = g_getenv ("SOCKBENCH_SCREENSHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || *dir == '\0')
    return;
  settle ();
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

/* --- A character cut across reads, frames, the handshake, C --- */

static guint
position_of (SbHistory *history,
             guint64    serial)
{
  guint position = 0;

  g_assert_true (sb_history_find_serial (history, serial, &position));
  return position;
}

static void
test_teaching_stream (void)
{
  g_autoptr(SbSessionSpec) server_spec = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSessionSpec) client_spec = NULL;
  g_autofree char *client_uri = NULL;
  g_autoptr(SbFrames) frames = NULL;
  g_autoptr(GError) error = NULL;
  SbSessionPage *server, *client;
  GtkWidget *server_window, *client_window;
  SbTeachingPanel *panel, *client_panel;
  SbHistory *history;
  SbSequenceView *sequence;
  SbByteInspector *inspector;
  SbCallsView *calls;
  guint64 first, second, third;
  const char *lang = g_getenv ("SOCKBENCH_SCREENSHOT_LANG") ? g_getenv ("SOCKBENCH_SCREENSHOT_LANG") : "en";
  gboolean english = g_str_equal (lang, "en");
  /* 中文分割\r\n in GBK, cut inside 文: d6 d0 ce | c4 b7 d6 b8 ee 0d 0a */
  const char part1[] = "\xd6\xd0\xce";
  const char part2[] = "\xc4\xb7\xd6\xb8\xee\r\n";
  const char part3[] = "ab\r\ncd";
  const char hello_gbk[] = "\xc4\xe3\xba\xc3";   /* 你好 */

  server = g_object_ref_sink (sb_session_page_new (server_spec));
  server_window = show_in_window (server, 800, 600);
  panel = page_panel (server);
  gtk_widget_set_visible (GTK_WIDGET (panel), TRUE);
  sb_session_page_set_encoding (server, "GBK");
  sb_session_page_start (server);
  wait_state (server, SB_SESSION_STATE_LISTENING);

  client_uri = client_uri_for (server);
  client_spec = sb_session_spec_parse (client_uri, NULL);
  client = g_object_ref_sink (sb_session_page_new (client_spec));
  client_window = show_in_window (client, 800, 600);
  client_panel = page_panel (client);
  gtk_widget_set_visible (GTK_WIDGET (client_panel), TRUE);
  sb_session_page_start (client);
  wait_state (client, SB_SESSION_STATE_CONNECTED);
  g_assert_true (wait_for (has_one_peer, server));

  /* One read each: the next write waits for the last read. */
  send_bytes (client, part1, 3);
  first = wait_record (server, SB_DIRECTION_RX, part1, 3);
  send_bytes (client, part2, 7);
  second = wait_record (server, SB_DIRECTION_RX, part2, 7);
  send_bytes (client, part3, 6);
  third = wait_record (server, SB_DIRECTION_RX, part3, 6);
  send_bytes (client, hello_gbk, 4);
  wait_record (server, SB_DIRECTION_RX, hello_gbk, 4);

  history = sb_session_get_history (sb_session_page_get_session (server));
  sequence = sb_teaching_panel_get_sequence_view (panel);
  inspector = sb_teaching_panel_get_byte_inspector (panel);
  calls = sb_teaching_panel_get_calls_view (panel);
  sb_teaching_panel_set_visible_view (panel, "sequence");
  settle ();
  g_assert_cmpstr (sb_byte_inspector_get_encoding (inspector), ==, "GBK");

  /* The sequence view decodes as the history does: 中 | 文分割, never 姆指. */
  {
    g_autofree char *one = sb_sequence_view_dup_row_text (sequence, position_of (history, first));
    g_autofree char *two = sb_sequence_view_dup_row_text (sequence, position_of (history, second));

    g_assert_nonnull (strstr (one, "中"));
    g_assert_null (strstr (one, "\\xce"));
    g_assert_nonnull (strstr (two, "文分割"));
    g_assert_null (strstr (two, "姆"));
  }

  /* The handshake: three segments with the calls beside them. */
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (history));
    gboolean seen = FALSE;

    for (guint i = 0; i < n && !seen; i++)
      if (sb_history_get_event (history, i) == SB_EVENT_CONNECTED && sb_history_get_peer (history, i) != 0)
        {
          g_autofree char *text = sb_sequence_view_dup_row_text (sequence, i);

          g_assert_nonnull (strstr (text, "SYN"));
          g_assert_nonnull (strstr (text, "SYN-ACK"));
          g_assert_nonnull (strstr (text, "ACK"));
          g_assert_nonnull (strstr (text, "connect()"));
          g_assert_nonnull (strstr (text, "accept()"));
          seen = TRUE;
        }
    g_assert_true (seen);
  }

  /* The inspector: the second read shows the ce it carries, then 文分割. */
  g_assert_true (sb_history_view_select_serial (page_history_view (server), second));
  g_assert_cmpuint (sb_byte_inspector_get_carry_length (inspector), ==, 1);
  g_assert_cmpstr (sb_byte_inspector_get_unit (inspector, FALSE, 0)->text, ==, "文");
  g_assert_cmpuint (sb_byte_inspector_get_unit (inspector, FALSE, 0)->length, ==, 2);
  g_assert_cmpstr (sb_byte_inspector_get_unit (inspector, FALSE, 1)->text, ==, "分");
  g_assert_cmpstr (sb_byte_inspector_get_unit (inspector, FALSE, 2)->text, ==, "割");
  g_assert_null (strstr (sb_byte_inspector_get_invalid_text (inspector), "0xee"));
  /* …and the first read: 中, then the ce the next read completes. */
  g_assert_true (sb_history_view_select_serial (page_history_view (server), first));
  g_assert_cmpuint (sb_byte_inspector_get_carry_length (inspector), ==, 0);
  g_assert_cmpuint (sb_byte_inspector_get_n_units (inspector, FALSE), ==, 2);
  g_assert_cmpstr (sb_byte_inspector_get_unit (inspector, FALSE, 0)->text, ==, "中");
  g_assert_cmpint (sb_byte_inspector_get_unit (inspector, FALSE, 1)->kind, ==, SB_UNIT_INCOMPLETE);

  /* Frames: lines. The message 中文分割\r\n is two reads; the third read
   * holds the end of one message and the start of the next. */
  frames = sb_frames_new (history, NULL);
  g_assert_true (sb_frames_set_spec (frames, "line", &error));
  g_assert_no_error (error);
  sb_teaching_panel_set_frames (panel, frames);
  g_assert_true (sb_history_view_select_serial (page_history_view (server), third));
  settle ();
  {
    GArray *bounds = sb_byte_inspector_get_frame_bounds (inspector);
    const char *text = sb_byte_inspector_get_frames_text (inspector);
    g_autofree char *row = sb_sequence_view_dup_row_text (sequence, position_of (history, third));

    g_assert_nonnull (bounds);
    g_assert_cmpuint (g_array_index (bounds, guint, 0) == 4 || (bounds->len > 1 && g_array_index (bounds, guint, 1) == 4), ==, TRUE);
    /* The words are checked in English. */
    g_assert_true (!english || strstr (text, "Frame 2, bytes 0–3 of this read") != NULL);
    g_assert_true (!english || strstr (text, "Frame 3, bytes 4–5 of this read") != NULL);
    g_assert_nonnull (strstr (row, "#2"));
    g_assert_nonnull (strstr (row, "#3"));
  }
  sb_teaching_panel_set_visible_view (panel, "bytes");
  screenshot (server_window, lang, "bytes-800x600");
  sb_teaching_panel_set_visible_view (panel, "sequence");
  screenshot (server_window, lang, "sequence-800x600");

  /* Calls: the two recv() calls that built message #1. */
  sb_teaching_panel_set_visible_view (panel, "calls");
  g_assert_true (sb_history_view_select_serial (page_history_view (server), second));
  settle ();
  g_assert_true (!english || strstr (sb_calls_view_get_frame_text (calls), "Message #1 was built by 2 recv() calls") != NULL);
  {
    SbTrace *trace = sb_session_get_trace (sb_session_page_get_session (server));
    guint p1, p2;

    g_assert_true (sb_trace_find_serial (trace, first, &p1));
    g_assert_true (sb_trace_find_serial (trace, second, &p2));
    g_assert_true (sb_calls_view_is_frame_call (calls, p1));
    g_assert_true (sb_calls_view_is_frame_call (calls, p2));
  }
  screenshot (server_window, lang, "calls-800x600");

  /* Real C, and GBK text beside its bytes in Python. */
  {
    SbTrace *trace = sb_session_get_trace (sb_session_page_get_session (client));
    gboolean c_connect = FALSE, py_gbk = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (trace)); i++)
      {
        g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), i);
        g_autofree char *c = sb_trace_call_format (call, SB_TRACE_C);
        g_autofree char *py = sb_trace_call_format (call, SB_TRACE_PYTHON);

        if (sb_trace_call_get_kind (call) == SB_CALL_CONNECT)
          {
            g_assert_nonnull (strstr (c, "struct sockaddr_in addr = { 0 };\naddr.sin_family = AF_INET;\naddr.sin_port = htons("));
            g_assert_nonnull (strstr (c, "inet_pton(AF_INET, \"127.0.0.1\", &addr.sin_addr);\n"
                                         "connect(s, (struct sockaddr *) &addr, sizeof addr);"));
            g_assert_null (strstr (c, "{AF_INET"));
            c_connect = TRUE;
          }
        if (g_str_has_prefix (py, "s.send(b'\\xc4\\xe3\\xba\\xc3')"))
          {
            g_assert_true (!english || strstr (py, "你好 in GBK") != NULL);
            py_gbk = TRUE;
          }
      }
    g_assert_true (c_connect);
    g_assert_true (py_gbk);
  }

  /* Lifelines: Server and Client, not Peer 1 (drawn; the words are the
   * translations'). TCP: a table whose values never wrap. */
  sb_teaching_panel_set_visible_view (panel, "tcp");
  {
    StateWait w = { sb_teaching_panel_get_tcp_state_view (panel), GTK_WIDGET (panel), "LISTEN", "ESTABLISHED" };
    GtkWidget *table;

    g_assert_true (wait_for (tcp_state_is, &w));
    table = find_first (GTK_WIDGET (sb_teaching_panel_get_tcp_state_view (panel)), GTK_TYPE_GRID);
    g_assert_nonnull (table);
    g_assert_true (gtk_widget_has_css_class (table, "sb-tcp-table"));
    for (GtkWidget *child = gtk_widget_get_first_child (table); child; child = gtk_widget_get_next_sibling (child))
      g_assert_false (gtk_label_get_wrap (GTK_LABEL (child)));
  }
  screenshot (server_window, lang, "tcp-800x600");

  /* Detached: its own window, and back into the page. */
  {
    GtkWidget *home = gtk_widget_get_parent (GTK_WIDGET (panel));

    sb_teaching_panel_set_detached (panel, TRUE);
    g_assert_true (sb_teaching_panel_get_detached (panel));
    g_assert_true (gtk_widget_get_root (GTK_WIDGET (panel)) == GTK_ROOT (sb_teaching_panel_get_window (panel)));
    settle ();
    sb_teaching_panel_set_visible_view (panel, "sequence");
    screenshot (GTK_WIDGET (sb_teaching_panel_get_window (panel)), lang, "detached");
    sb_teaching_panel_set_visible_view (panel, "tcp");
    screenshot (GTK_WIDGET (sb_teaching_panel_get_window (panel)), lang, "detached-tcp");
    sb_teaching_panel_set_visible_view (panel, "calls");
    sb_calls_view_set_syntax (calls, SB_TRACE_C);
    screenshot (GTK_WIDGET (sb_teaching_panel_get_window (panel)), lang, "detached-calls-c");
    sb_calls_view_set_syntax (calls, SB_TRACE_PYTHON);
    sb_teaching_panel_set_detached (panel, FALSE);
    g_assert_false (sb_teaching_panel_get_detached (panel));
    if (GTK_IS_PANED (home))
      g_assert_true (gtk_widget_get_parent (GTK_WIDGET (panel)) == home);
  }

  gtk_window_set_default_size (GTK_WINDOW (server_window), 1280, 800);
  sb_teaching_panel_set_visible_view (panel, "bytes");
  screenshot (server_window, lang, "bytes-1280x800");

  sb_teaching_panel_set_frames (panel, NULL);
  sb_session_page_stop (client);
  sb_session_page_stop (server);
  gtk_window_destroy (GTK_WINDOW (client_window));
  gtk_window_destroy (GTK_WINDOW (server_window));
  g_assert_finalize_object (client);
  g_assert_finalize_object (server);
}

/* A character with no glyph, a combining mark, a format character: each
 * visible in its cell, never an empty box. */
static void
test_teaching_cells (void)
{
  GtkWidget *window = gtk_window_new ();
  SbByteInspector *inspector = SB_BYTE_INSPECTOR (sb_byte_inspector_new ());
  /* ף (d7 a3), a lone combining acute (cc 81), a zero-width joiner (e2 80 8d) */
  g_autoptr(GBytes) data = g_bytes_new_static ("\xd7\xa3\xcc\x81\xe2\x80\x8d", 7);
  g_autofree char *pe = NULL;
  g_autofree char *acute = NULL;
  g_autofree char *zwj = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (inspector));
  gtk_window_present (GTK_WINDOW (window));
  sb_byte_inspector_set_encoding (inspector, "UTF-8");
  sb_byte_inspector_set_data (inspector, data, "test");
  g_assert_cmpuint (sb_byte_inspector_get_n_units (inspector, FALSE), ==, 3);
  pe = sb_byte_inspector_dup_cell_text (inspector, 0);
  acute = sb_byte_inspector_dup_cell_text (inspector, 1);
  zwj = sb_byte_inspector_dup_cell_text (inspector, 2);
  /* ף itself where a font has it, else its code point. */
  g_assert_true (g_str_equal (pe, "ף") || g_str_equal (pe, "05E3"));
  g_assert_cmpstr (acute, ==, "◌\xcc\x81");
  g_assert_cmpstr (zwj, ==, "U+200D");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The TCP table's rows. */
static void
test_teaching_tcp_table (void)
{
  SbTcpInfo info = { .state = SB_TCP_ESTABLISHED, .rtt_us = 120, .rttvar_us = 50, .snd_cwnd = 10,
                     .snd_mss = 1448, .unacked = 0, .send_queue = 0, .recv_queue = 3 };
  g_autoptr(GPtrArray) rows = sb_tcp_state_view_table_rows (&info);

  g_assert_cmpuint (rows->len, ==, 12);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "Round-trip time");
  g_assert_cmpstr (g_ptr_array_index (rows, 1), ==, "0.12 ms (± 0.05)");
  g_assert_cmpstr (g_ptr_array_index (rows, 3), ==, "10 × 1448 bytes");
  g_assert_cmpstr (g_ptr_array_index (rows, 10), ==, "Receive queue");
  g_assert_cmpstr (g_ptr_array_index (rows, 11), ==, "3 bytes");
}

/* TRUE when a mapped failed call shows its errno name. */
static gboolean
failed_call_shown (gpointer data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_labels (data, "sb-call-failed", FALSE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (strstr (g_ptr_array_index (labels, i), "ECONNREFUSED") != NULL)
      return TRUE;
  return FALSE;
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  /* Bound, never listening: connecting to it is refused. */
  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_teaching_failed_call (void)
{
  g_autofree char *uri = g_strdup_printf ("tcp://127.0.0.1:%u", closed_port ());
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, NULL);
  SbSessionPage *page = g_object_ref_sink (sb_session_page_new (spec));
  GtkWidget *window = show_in_window (page, 1200, 760);
  SbTeachingPanel *panel = page_panel (page);

  gtk_widget_set_visible (GTK_WIDGET (panel), TRUE);
  sb_session_page_start (page);
  wait_state (page, SB_SESSION_STATE_FAILED);
  /* The refused connect() is on screen, styled as a failure, with its errno. */
  g_assert_true (wait_for (failed_call_shown, sb_teaching_panel_get_calls_view (panel)));

  /* A history without peers draws a diagram all the same. */
  sb_teaching_panel_set_visible_view (panel, "sequence");
  settle ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

static gboolean
has_tx_record (gpointer data)
{
  SbSession *session = sb_session_page_get_session (data);
  SbHistory *history = sb_session_get_history (session);

  if (sb_session_get_state (session) == SB_SESSION_STATE_FAILED)
    return TRUE;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (history)); i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_TX)
      {
        g_object_set_data (data, "tx-serial", GSIZE_TO_POINTER (sb_history_get_serial (history, i) + 1));
        return TRUE;
      }
  return FALSE;
}

/* Ping: the byte inspector shows the ICMP header fields of a message. */
static void
test_teaching_icmp_header (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("icmp://127.0.0.1", NULL);
  SbSessionPage *page = g_object_ref_sink (sb_session_page_new (spec));
  GtkWidget *window = show_in_window (page, 1200, 760);
  SbTeachingPanel *panel = page_panel (page);
  SbHistoryView *history_view = page_history_view (page);
  guint64 serial;
  LabelWait lw;

  gtk_widget_set_visible (GTK_WIDGET (panel), TRUE);
  sb_teaching_panel_set_visible_view (panel, "bytes");
  sb_session_page_start (page);
  g_assert_true (wait_for (has_tx_record, page));
  if (g_object_get_data (G_OBJECT (page), "tx-serial") == NULL)
    {
      /* No ICMP socket for us here (ping_group_range, no raw sockets). */
      g_test_skip ("ICMP sockets are not allowed here");
    }
  else
    {
      serial = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (page), "tx-serial")) - 1;
      g_assert_true (sb_history_view_select_serial (history_view, serial));
      lw = (LabelWait) { GTK_WIDGET (panel), "sb-header-fields", "Type: 8 (" };
      g_assert_true (wait_for (label_shown, &lw));
    }

  sb_session_page_stop (page);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

static void
test_teaching_tcp_unavailable (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("udp-listen://127.0.0.1:0", NULL);
  g_autoptr(SbSession) session = sb_session_new (spec);
  SbTcpStateView *view = g_object_ref_sink (SB_TCP_STATE_VIEW (sb_tcp_state_view_new ()));

  g_assert_null (sb_tcp_state_view_get_state (view));
  sb_tcp_state_view_set_session (view, session);
  g_assert_null (sb_tcp_state_view_get_state (view));
  {
    GtkWidget *label = find_first (GTK_WIDGET (view), GTK_TYPE_LABEL);

    /* The first label is the "not available" one, and it says why. */
    g_assert_true (gtk_widget_get_visible (label));
    g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "Not available: UDP"));
  }
  sb_tcp_state_view_set_session (view, NULL);
  g_assert_finalize_object (view);
}

/* Counts render nodes, to tell a frame that draws a screenful from one that
 * draws everything. */
static guint
count_nodes (GskRenderNode *node)
{
  guint n = 1;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_nodes (gsk_container_node_get_child (node, i));
      break;
    case GSK_TRANSFORM_NODE:
      n += count_nodes (gsk_transform_node_get_child (node));
      break;
    case GSK_CLIP_NODE:
      n += count_nodes (gsk_clip_node_get_child (node));
      break;
    case GSK_ROUNDED_CLIP_NODE:
      n += count_nodes (gsk_rounded_clip_node_get_child (node));
      break;
    case GSK_OPACITY_NODE:
      n += count_nodes (gsk_opacity_node_get_child (node));
      break;
    case GSK_DEBUG_NODE:
      n += count_nodes (gsk_debug_node_get_child (node));
      break;
    default:
      break;
    }
  return n;
}

static guint
snapshot_nodes (GtkWidget *widget,
                double    *ms)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  gint64 start;
  guint n;

  /* As a frame would: layout first; then draw afresh (GTK would reuse the
   * node of the last frame). */
  settle ();
  start = g_get_monotonic_time ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  *ms = (g_get_monotonic_time () - start) / 1000.0;
  g_assert_nonnull (node);
  n = count_nodes (node);
  gsk_render_node_unref (node);
  return n;
}

static gboolean
adjustment_ready (gpointer data)
{
  GtkAdjustment *adj = data;
  return gtk_adjustment_get_upper (adj) > 1000000 && gtk_adjustment_get_page_size (adj) > 100;
}

static void
test_teaching_sequence_huge (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  SbSequenceView *view = SB_SEQUENCE_VIEW (sb_sequence_view_new ());
  GtkAdjustment *vadj;
  guint peer = sb_history_intern_peer (history, "127.0.0.1:5000");
  guint first, n_rows, n_nodes, n_nodes_before;
  gint64 start;
  double ms;
  int row_height;

  g_object_ref (view);
  sb_history_append_event (history, SB_EVENT_LISTENING, 0, "Listening on 127.0.0.1:4000");
  sb_history_append_event (history, SB_EVENT_CONNECTED, peer, NULL);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100000; i++)
    {
      char text[32];
      int len = g_snprintf (text, sizeof text, "message %u", i);

      sb_history_append (history, g_get_real_time (), i % 2 ? SB_DIRECTION_TX : SB_DIRECTION_RX,
                         SB_EVENT_NONE, peer, (const guint8 *) text, len);
    }
  sb_history_append_event (history, SB_EVENT_RESET, peer, NULL);
  sb_history_flush (history);
  g_test_message ("appended 100,003 records in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);

  sb_sequence_view_set_history (view, history);
  sb_sequence_view_set_kind (view, SB_KIND_TCP_SERVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (view));
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 400);
  gtk_window_present (GTK_WINDOW (window));

  vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_true (wait_for (adjustment_ready, vadj));
  settle ();

  /* It follows the newest: the view is at the bottom. */
  sb_sequence_view_get_visible_range (view, &first, &n_rows);
  g_assert_cmpuint (n_rows, >, 0);
  g_assert_cmpuint (n_rows, <, 50);
  g_assert_cmpuint (first + n_rows, ==, g_list_model_get_n_items (G_LIST_MODEL (history)));

  n_nodes = snapshot_nodes (GTK_WIDGET (view), &ms);
  g_test_message ("snapshot at the end: %u rows, %u nodes, %.2f ms", n_rows, n_nodes, ms);
  g_assert_cmpuint (n_nodes, <, 100 * n_rows + 200);

  /* In the middle, still a screenful. */
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj) / 2);
  sb_sequence_view_get_visible_range (view, &first, &n_rows);
  g_assert_cmpuint (first, >, 40000);
  g_assert_cmpuint (first, <, 60000);
  g_assert_cmpuint (n_rows, <, 50);
  n_nodes_before = n_nodes;
  n_nodes = snapshot_nodes (GTK_WIDGET (view), &ms);
  g_test_message ("snapshot in the middle: %u rows, %u nodes, %.2f ms", n_rows, n_nodes, ms);
  g_assert_cmpuint (n_nodes, <, 100 * n_rows + 200);
  (void) n_nodes_before;

  /* Zoom: taller rows, fewer of them on screen. */
  row_height = sb_sequence_view_get_row_height (view);
  sb_sequence_view_zoom (view, 2);
  g_assert_cmpint (sb_sequence_view_get_row_height (view), >, row_height);
  {
    guint zoomed_first, zoomed_rows;

    sb_sequence_view_get_visible_range (view, &zoomed_first, &zoomed_rows);
    g_assert_cmpuint (zoomed_rows, <, n_rows);
    /* The row at the top stays at the top. */
    g_assert_cmpuint (zoomed_first, >=, first - 1);
    g_assert_cmpuint (zoomed_first, <=, first + 1);
  }

  /* Selecting a record far away scrolls to it. */
  g_assert_true (sb_sequence_view_select_serial (view, 10));
  g_assert_cmpint (sb_sequence_view_get_selected_serial (view), ==, 10);
  sb_sequence_view_get_visible_range (view, &first, &n_rows);
  g_assert_cmpuint (first, <=, 10);
  g_assert_cmpuint (first + n_rows, >, 10);
  n_nodes = snapshot_nodes (GTK_WIDGET (view), &ms);
  g_assert_cmpuint (n_nodes, <, 100 * n_rows + 200);

  /* Clearing the history leaves an empty diagram. */
  sb_history_clear (history);
  sb_history_flush (history);
  sb_sequence_view_get_visible_range (view, &first, &n_rows);
  g_assert_cmpuint (n_rows, ==, 0);
  snapshot_nodes (GTK_WIDGET (view), &ms);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static gboolean
value_is (GtkAdjustment *adj,
          double         value)
{
  return gtk_adjustment_get_value (adj) == value;
}

static gboolean
at_bottom (gpointer data)
{
  GtkAdjustment *adj = data;

  return value_is (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
}

/* SbFollow, which the history, Calls and Sequence views share: it follows
 * while the user is at the bottom, stops when the user scrolls up, and
 * "Jump to newest" or scrolling back down starts it again. */
static void
test_follow (void)
{
  g_autoptr(GtkAdjustment) adj = g_object_ref_sink (gtk_adjustment_new (0, 0, 1000, 10, 90, 100));
  SbFollow *follow = sb_follow_new (NULL, NULL);
  guint n_notify = 0;

  g_signal_connect (follow, "notify::following", G_CALLBACK (count_notify_cb), &n_notify);
  sb_follow_set_adjustment (follow, adj);
  g_assert_true (sb_follow_get_following (follow));

  /* More rows while following: the view goes to the newest. */
  gtk_adjustment_set_upper (adj, 2000);
  g_assert_true (wait_for (at_bottom, adj));
  g_assert_true (sb_follow_get_following (follow));

  /* The user scrolls up: it stops, and stays where the user is. */
  gtk_adjustment_set_value (adj, 500);
  g_assert_false (sb_follow_get_following (follow));
  g_assert_cmpuint (n_notify, ==, 1);
  gtk_adjustment_set_upper (adj, 3000);
  drain ();
  g_assert_true (value_is (adj, 500));

  /* The program moving the view is not the user scrolling up. */
  sb_follow_set_following (follow, TRUE);
  sb_follow_set_value (follow, 100);
  g_assert_true (sb_follow_get_following (follow));
  sb_follow_set_following (follow, FALSE);

  /* Back at the bottom by hand: it follows again. */
  gtk_adjustment_set_value (adj, 2900);
  g_assert_true (sb_follow_get_following (follow));

  /* Paused (the history's Pause): nothing moves until it resumes. */
  sb_follow_set_paused (follow, TRUE);
  gtk_adjustment_set_upper (adj, 4000);
  drain ();
  g_assert_true (value_is (adj, 2900));
  sb_follow_set_paused (follow, FALSE);
  g_assert_true (wait_for (at_bottom, adj));

  /* Jump to newest, from anywhere. */
  gtk_adjustment_set_value (adj, 0);
  g_assert_false (sb_follow_get_following (follow));
  sb_follow_jump (follow);
  g_assert_true (sb_follow_get_following (follow));
  g_assert_true (wait_for (at_bottom, adj));

  sb_follow_set_adjustment (follow, NULL);
  g_assert_finalize_object (follow);
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
  /* Screenshots in another language need it set before GTK starts. */
  screenshot_language ();
  /* No accessibility bus; the app's style, as the window has it. */
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/teaching/follow", test_follow);
  g_test_add_func ("/teaching/end-to-end", test_teaching_end_to_end);
  g_test_add_func ("/teaching/stream", test_teaching_stream);
  g_test_add_func ("/teaching/cells", test_teaching_cells);
  g_test_add_func ("/teaching/tcp-table", test_teaching_tcp_table);
  g_test_add_func ("/teaching/failed-call", test_teaching_failed_call);
  g_test_add_func ("/teaching/icmp-header", test_teaching_icmp_header);
  g_test_add_func ("/teaching/tcp-unavailable", test_teaching_tcp_unavailable);
  g_test_add_func ("/teaching/sequence-huge", test_teaching_sequence_huge);

  return g_test_run ();
}
