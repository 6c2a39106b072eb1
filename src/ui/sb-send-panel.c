/* sb-send-panel.c — compose and send text or bytes
 *
 * Recall of earlier sends is in sb-send-panel-recall.c, sending a file in
 * sb-send-panel-file.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-codec.h"
#include "sb-encoding-model.h"
#include "sb-send-panel-private.h"

enum {
  PROP_0,
  PROP_SESSION,
  PROP_VIEW_ENCODING,
  PROP_SELECTED_PEER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbSendPanel, sb_send_panel, GTK_TYPE_WIDGET)

static const char *
message_encoding (SbSendPanel         *self,
                  const SbSendMessage *message)
{
  /* "" is "Same as view". */
  if (message->encoding[0] == '\0')
    return self->view_encoding ? self->view_encoding : "UTF-8";
  return message->encoding;
}

static gboolean
is_hex_mode (SbSendPanel *self)
{
  return gtk_drop_down_get_selected (self->mode_dropdown) == 1;
}

void
_sb_send_panel_show_error (SbSendPanel *self,
                           const char  *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

void
_sb_send_panel_clear_error (SbSendPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->error_tag, &start, &end);
  _sb_send_panel_show_error (self, NULL);
}

static void
mark_error_position (SbSendPanel *self,
                     glong        error_pos)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  int n = gtk_text_buffer_get_char_count (buffer);
  GtkTextIter start, end;

  /* A position just past the end ("missing }") marks the last character. */
  if (error_pos == n && n > 0)
    error_pos = n - 1;
  if (error_pos < 0 || error_pos >= n)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, error_pos);
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_text_view_scroll_to_iter (self->text_view, &start, 0.1, FALSE, 0, 0);
}

/* --- Building the bytes --- */

static gboolean
templates_on (SbSendPanel *self)
{
  return gtk_switch_get_active (self->templates_switch);
}

/* The line ending, encoded, or NULL when there is none. */
static GBytes *
line_end_bytes (SbSendPanel         *self,
                const SbSendMessage *message)
{
  static const char *endings[] = { "", "\n", "\r\n", "\r" };

  if (message->hex || message->line_end == 0 || message->line_end >= G_N_ELEMENTS (endings))
    return NULL;
  return sb_codec_encode (message_encoding (self, message), endings[message->line_end], -1, NULL, NULL);
}

static GBytes *
append_line_end (SbSendPanel         *self,
                 const SbSendMessage *message,
                 GBytes              *bytes)
{
  g_autoptr(GBytes) ending = line_end_bytes (self, message);
  GByteArray *joined;
  const guint8 *data;
  gsize len;

  if (ending == NULL)
    return g_bytes_ref (bytes);
  joined = g_byte_array_new ();
  data = g_bytes_get_data (bytes, &len);
  g_byte_array_append (joined, data, len);
  data = g_bytes_get_data (ending, &len);
  g_byte_array_append (joined, data, len);
  return g_byte_array_free_to_bytes (joined);
}

static SbTemplate *
parse_template (SbSendPanel         *self,
                const SbSendMessage *message,
                glong               *error_pos,
                GError             **error)
{
  return sb_template_parse (message->text, message->hex ? SB_TEMPLATE_HEX : SB_TEMPLATE_TEXT,
                            message->hex ? NULL : message_encoding (self, message),
                            error_pos, error);
}

/* With templates on, the message is a template: parsed here, and expanded
 * (@expand) or previewed with the page's one state, so the preview shows
 * the bytes the next send writes. Never while a repeat holds the state. */
static GBytes *
build_message_bytes (SbSendPanel         *self,
                     const SbSendMessage *message,
                     gboolean             expand,
                     glong               *error_pos,
                     GError             **error)
{
  g_autoptr(GBytes) bytes = NULL;

  *error_pos = -1;
  if (templates_on (self))
    {
      g_autoptr(SbTemplate) template = NULL;

      /* The callers wait for the repeat to end; should one not, a fresh
       * state is used rather than the engine's. */
      SbTemplateState *state = self->repeat == NULL ? self->template_state : NULL;

      template = parse_template (self, message, error_pos, error);
      if (template == NULL)
        return NULL;
      bytes = expand ? sb_template_expand (template, state, NULL, error)
                     : sb_template_preview (template, state, NULL, error);
    }
  else if (message->hex)
    bytes = sb_codec_parse_hex (message->text, error_pos, error);
  else if (message->escapes)
    bytes = sb_codec_encode_escaped (message_encoding (self, message), message->text, -1, error_pos, error);
  else
    bytes = sb_codec_encode (message_encoding (self, message), message->text, -1, error_pos, error);

  if (bytes == NULL)
    return NULL;
  return append_line_end (self, message, bytes);
}

SbSendMessage *
_sb_send_panel_dup_message (SbSendPanel *self)
{
  SbSendMessage *message = sb_send_message_new ();
  const char *encoding = sb_encoding_drop_down_get_selected (self->encoding_dropdown);

  g_free (message->text);
  message->text = sb_send_panel_dup_text (self);
  message->hex = is_hex_mode (self);
  message->escapes = gtk_check_button_get_active (self->escapes_check);
  message->line_end = gtk_drop_down_get_selected (self->line_end_dropdown);
  g_free (message->encoding);
  message->encoding = g_strdup (encoding ? encoding : "");
  return message;
}

void
_sb_send_panel_load_message (SbSendPanel         *self,
                             const SbSendMessage *message)
{
  sb_send_panel_set_text (self, message->text);
  sb_send_panel_set_hex (self, message->hex);
  gtk_check_button_set_active (self->escapes_check, message->escapes);
  gtk_drop_down_set_selected (self->line_end_dropdown, message->line_end);
  if (*message->encoding == '\0' || !sb_encoding_drop_down_select (self->encoding_dropdown, message->encoding))
    gtk_drop_down_set_selected (self->encoding_dropdown, 0);
}

static gboolean
send_bytes (SbSendPanel    *self,
            SbPeer         *peer,
            GSocketAddress *address,
            GBytes         *bytes,
            GError        **error)
{
  if (self->session == NULL)
    {
      g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                           _("Start the session first"));
      return FALSE;
    }
  if (_sb_send_panel_plan_active (self))
    return _sb_send_panel_plan_write (self, peer, address, bytes, error);
  if (address != NULL)
    return sb_session_send_to (self->session, address, bytes, error);
  return sb_session_send (self->session, peer, bytes, error);
}

/* --- Repeat --- */

/* Below this a send is on time: the main loop's timeouts have 1 ms steps. */
#define REPEAT_LATE_SHOWN (2 * 1000)

/* The repeat's progress comes from the engine at most 10 times a second. */
static void
update_repeat_label (SbSendPanel *self)
{
  g_autofree char *text = NULL;
  g_autofree char *late = NULL;
  guint64 done = self->repeat ? sb_repeat_get_n_sent (self->repeat) : self->repeat_done;
  gint64 late_us = self->repeat ? sb_repeat_get_late (self->repeat) : 0;

  if (self->repeat_total > 0 && done > 0)
    /* Translators: repeat progress, "Sent 12 of 100" */
    text = g_strdup_printf (_("Sent %" PRIu64 " of %" PRIu64),
                            (uint64_t) done, (uint64_t) self->repeat_total);
  else if (done > 0)
    text = g_strdup_printf (_("Sent %" PRIu64), (uint64_t) done);
  if (text != NULL && late_us >= REPEAT_LATE_SHOWN)
    {
      /* Translators: the repeat falls behind its schedule: "Sent 12 · late by 25 ms" */
      late = g_strdup_printf (_("%s · late by %" PRId64 " ms"), text,
                              (int64_t) (late_us / 1000));
      g_free (text);
      text = g_steal_pointer (&late);
    }
  gtk_label_set_text (self->repeat_label, text ? text : "");
}

void
_sb_send_panel_update_sensitivity (SbSendPanel *self)
{
  gboolean repeating = self->repeat != NULL;
  gboolean sending_file = self->file_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.stop-repeat", repeating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.send", !repeating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.send-file", !sending_file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.cancel-file", sending_file);
  gtk_widget_set_visible (self->file_box, sending_file);
}

/* Stops the repeat, waiting for the engine to let go of it, and keeps its
 * count: the template state is the panel's again. */
static void
drop_repeat (SbSendPanel *self)
{
  if (self->repeat == NULL)
    return;
  sb_repeat_stop (self->repeat);
  g_signal_handlers_disconnect_by_data (self->repeat, self);
  self->repeat_done = sb_repeat_get_n_sent (self->repeat);
  g_clear_object (&self->repeat);
}

static void
stop_repeat (SbSendPanel *self)
{
  if (self->repeat == NULL)
    return;
  drop_repeat (self);
  update_repeat_label (self);
  _sb_send_panel_update_plan_label (self);
  _sb_send_panel_update_sensitivity (self);
  /* Frozen while the repeat held the counters: ${seq} moved on. */
  _sb_send_panel_update_preview (self);
}

static void
repeat_progress_cb (SbSendPanel *self)
{
  update_repeat_label (self);
}

static void
repeat_plan_cb (SbSendPanel *self)
{
  _sb_send_panel_update_plan_label (self);
}

/* The repeat ended by itself: its count, an error, or the session. */
static void
repeat_running_cb (SbSendPanel *self)
{
  const GError *error;

  if (self->repeat == NULL || sb_repeat_get_running (self->repeat))
    return;
  error = sb_repeat_get_error (self->repeat);
  /* BUSY: the peer is not reading. The repeat stopped before the queue
   * grew without bound; say why. Send starts again. */
  if (g_error_matches (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY))
    {
      g_autofree char *msg = g_strdup_printf (_("Repeat paused: %s"), error->message);
      _sb_send_panel_show_error (self, msg);
    }
  else if (error != NULL)
    _sb_send_panel_show_error (self, error->message);
  stop_repeat (self);
}

/* Sends @message now and then every interval, on the session's engine: the
 * window's frames never make it late. */
static gboolean
start_repeat (SbSendPanel         *self,
              const SbSendMessage *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbTemplate) template = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) suffix = NULL;
  g_autoptr(SbPeer) peer = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(SbRepeat) repeat = NULL;
  guint interval = MAX (1, gtk_spin_button_get_value_as_int (self->interval_spin));
  guint64 count = gtk_spin_button_get_value_as_int (self->count_spin);
  glong error_pos = -1;
  gsize chunk_size;
  guint gap_ms, batch;

  if (templates_on (self))
    {
      template = parse_template (self, message, &error_pos, &error);
      suffix = line_end_bytes (self, message);
    }
  else
    bytes = build_message_bytes (self, message, TRUE, &error_pos, &error);
  if (template == NULL && bytes == NULL)
    {
      mark_error_position (self, error_pos);
      _sb_send_panel_show_error (self, error->message);
      return FALSE;
    }
  if (!_sb_send_panel_resolve_target (self, &peer, &address, &error))
    {
      _sb_send_panel_show_error (self, error->message);
      return FALSE;
    }
  /* The repeat's writes go through a plan of its own, on the engine: the
   * panel's must be done first, or the two would interleave. */
  if (_sb_send_panel_plan_busy (self))
    {
      /* Translators: “Write Now” is the button of the send panel's Advanced options */
      _sb_send_panel_show_error (self, _("The last message is not all written yet: wait for it or press “Write Now”, then repeat"));
      return FALSE;
    }

  repeat = sb_repeat_new (self->session, peer, address, bytes, interval, count);
  if (template != NULL)
    sb_repeat_set_template (repeat, template, self->template_state, suffix);
  if (_sb_send_panel_plan_options (self, &chunk_size, &gap_ms, &batch))
    sb_repeat_set_plan (repeat, chunk_size, gap_ms, batch);
  g_signal_connect_object (repeat, "notify::running", G_CALLBACK (repeat_running_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repeat, "notify::n-sent", G_CALLBACK (repeat_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repeat, "notify::late", G_CALLBACK (repeat_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repeat, "notify::plan-sent", G_CALLBACK (repeat_plan_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (repeat, "notify::plan-total", G_CALLBACK (repeat_plan_cb), self, G_CONNECT_SWAPPED);

  self->repeat = g_object_ref (repeat);
  self->repeat_total = count;
  if (!sb_repeat_start (repeat, &error))
    {
      drop_repeat (self);
      self->repeat_done = 0;
      self->repeat_total = 0;
      _sb_send_panel_show_error (self, error->message);
      return FALSE;
    }
  _sb_send_panel_remember (self, message);
  update_repeat_label (self);
  _sb_send_panel_update_plan_label (self);
  _sb_send_panel_update_sensitivity (self);
  return TRUE;
}

static void
stop_repeat_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  stop_repeat (SB_SEND_PANEL (widget));
}

/* --- Send --- */

gboolean
_sb_send_panel_send_message (SbSendPanel         *self,
                             const SbSendMessage *message,
                             gboolean             from_editor)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SbPeer) peer = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  glong error_pos = -1;
  guint64 repeat_total;

  _sb_send_panel_clear_error (self);
  stop_repeat (self);
  /* "Sent 100 of 100" was about the last repeat, not this send. */
  self->repeat_done = 0;
  self->repeat_total = 0;
  update_repeat_label (self);

  if (self->session == NULL)
    {
      _sb_send_panel_show_error (self, _("Start the session first"));
      return FALSE;
    }
  repeat_total = gtk_spin_button_get_value_as_int (self->count_spin);
  if (from_editor && gtk_check_button_get_active (self->repeat_check) && repeat_total != 1)
    return start_repeat (self, message);

  bytes = build_message_bytes (self, message, TRUE, &error_pos, &error);
  if (bytes == NULL)
    {
      if (from_editor)
        mark_error_position (self, error_pos);
      if (!from_editor && *message->name != '\0')
        {
          /* Translators: a snippet could not be sent: “Ping”: invalid hex … */
          g_autofree char *msg = g_strdup_printf (_("“%s”: %s"), message->name, error->message);
          _sb_send_panel_show_error (self, msg);
        }
      else
        _sb_send_panel_show_error (self, error->message);
      return FALSE;
    }
  if (!_sb_send_panel_resolve_target (self, &peer, &address, &error) ||
      !send_bytes (self, peer, address, bytes, &error))
    {
      _sb_send_panel_show_error (self, error->message);
      return FALSE;
    }
  if (from_editor)
    _sb_send_panel_remember (self, message);
  _sb_send_panel_update_preview (self);

  /* A repeat of 1 is this send. */
  if (from_editor && gtk_check_button_get_active (self->repeat_check))
    {
      self->repeat_total = 1;
      self->repeat_done = 1;
      update_repeat_label (self);
    }
  return TRUE;
}

gboolean
sb_send_panel_send (SbSendPanel *self)
{
  g_autoptr(SbSendMessage) message = NULL;

  g_return_val_if_fail (SB_IS_SEND_PANEL (self), FALSE);

  message = _sb_send_panel_dup_message (self);
  return _sb_send_panel_send_message (self, message, TRUE);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sb_send_panel_send (SB_SEND_PANEL (widget));
}

static void
session_received_cb (SbSendPanel *self)
{
  if (_sb_send_panel_current_target (self) == TARGET_LAST)
    _sb_send_panel_update_target_entry (self);
}

static void
session_state_cb (SbSendPanel *self)
{
  /* A session started again, or ended: what went wrong before is about a
   * run that is over. */
  _sb_send_panel_clear_error (self);
  /* A running repeat ends with its session: on the engine, and here when
   * its end arrives, keeping its count. */
  if (self->repeat == NULL)
    {
      self->repeat_done = 0;
      self->repeat_total = 0;
      update_repeat_label (self);
    }
  _sb_send_panel_update_target_entry (self);
}

/* --- Preview --- */

#define PREVIEW_MAX_BYTES 512

void
_sb_send_panel_update_preview (SbSendPanel *self)
{
  g_autoptr(SbSendMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *text = NULL;
  glong error_pos = -1;
  const guint8 *data;
  gsize len;

  if (!templates_on (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->preview_label), FALSE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->preview_label), TRUE);
  /* The counters are the repeat's until it ends; then this runs again. */
  if (self->repeat != NULL)
    return;
  message = _sb_send_panel_dup_message (self);
  bytes = build_message_bytes (self, message, FALSE, &error_pos, &error);
  if (bytes == NULL)
    {
      gtk_label_set_text (self->preview_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->preview_label), "error");
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  /* One line, ellipsized: more than fits would only cost layout (a
   * ${file} of a megabyte was 3 MB of label text). */
  hex = sb_codec_format_hex (data, MIN (len, PREVIEW_MAX_BYTES));
  if (len > PREVIEW_MAX_BYTES)
    {
      char *more = g_strconcat (hex, " …", NULL);

      g_free (hex);
      hex = more;
    }
  /* Translators: the template preview: "12 bytes: 01 03 …" */
  text = g_strdup_printf (ngettext ("%" PRIu64 " byte: %s", "%" PRIu64 " bytes: %s", len),
                         (uint64_t) len, hex);
  gtk_label_set_text (self->preview_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->preview_label), "error");
}

char *
sb_send_panel_dup_preview (SbSendPanel *self)
{
  g_autoptr(SbSendMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  glong error_pos;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (SB_IS_SEND_PANEL (self), NULL);
  if (self->repeat != NULL && templates_on (self))
    return NULL;
  message = _sb_send_panel_dup_message (self);
  bytes = build_message_bytes (self, message, FALSE, &error_pos, NULL);

  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  return sb_codec_format_hex (data, len);
}

static void
mode_selected_cb (SbSendPanel *self)
{
  gboolean hex = is_hex_mode (self);

  /* Hex is bytes as typed: no escapes, line ending or encoding. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->escapes_check), !hex);
  gtk_widget_set_sensitive (GTK_WIDGET (self->line_end_dropdown), !hex);
  gtk_widget_set_sensitive (GTK_WIDGET (self->encoding_dropdown), !hex);
  _sb_send_panel_clear_error (self);
  _sb_send_panel_update_preview (self);
}

static void
buffer_changed_cb (SbSendPanel *self)
{
  /* The marked position is stale once the text changes. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    _sb_send_panel_clear_error (self);
  _sb_send_panel_update_preview (self);
  if (templates_on (self) && self->repeat == NULL &&
      gtk_widget_has_css_class (GTK_WIDGET (self->preview_label), "error"))
    {
      g_autoptr(SbSendMessage) message = _sb_send_panel_dup_message (self);
      g_autoptr(GError) error = NULL;
      glong error_pos = -1;
      g_autoptr(GBytes) bytes = build_message_bytes (self, message, FALSE, &error_pos, &error);

      /* Underline where the template goes wrong, without moving the cursor. */
      if (bytes == NULL && error_pos >= 0)
        {
          GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
          GtkTextIter start, end;

          if (error_pos < gtk_text_buffer_get_char_count (buffer))
            {
              gtk_text_buffer_get_iter_at_offset (buffer, &start, error_pos);
              end = start;
              gtk_text_iter_forward_char (&end);
              gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
            }
        }
    }
}

static void
options_changed_cb (SbSendPanel *self)
{
  _sb_send_panel_update_preview (self);
}

/* --- Public --- */

void
sb_send_panel_set_session (SbSendPanel *self,
                           SbSession   *session)
{
  g_return_if_fail (SB_IS_SEND_PANEL (self));

  if (self->session == session)
    return;
  stop_repeat (self);
  _sb_send_panel_plan_reset (self);
  if (self->file_cancellable)
    g_cancellable_cancel (self->file_cancellable);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (sb_session_get_history (self->session), self);
    }
  g_set_object (&self->session, session);
  g_clear_object (&self->selected_peer);
  /* Errors and progress were about the session that is gone. */
  _sb_send_panel_clear_error (self);
  self->repeat_done = 0;
  self->repeat_total = 0;
  update_repeat_label (self);
  if (session != NULL)
    {
      /* What the engine received reaches this thread through the history. */
      g_signal_connect_swapped (sb_session_get_history (session), "items-changed",
                                G_CALLBACK (session_received_cb), self);
      g_signal_connect_swapped (session, "notify::state", G_CALLBACK (session_state_cb), self);
    }
  _sb_send_panel_rebuild_targets (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
sb_send_panel_set_view_encoding (SbSendPanel *self,
                                 const char  *encoding)
{
  g_return_if_fail (SB_IS_SEND_PANEL (self));

  if (g_strcmp0 (self->view_encoding, encoding) == 0)
    return;
  g_free (self->view_encoding);
  self->view_encoding = g_strdup (encoding);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_ENCODING]);
}

void
sb_send_panel_set_selected_peer (SbSendPanel *self,
                                 SbPeer      *peer)
{
  g_return_if_fail (SB_IS_SEND_PANEL (self));

  if (g_set_object (&self->selected_peer, peer))
    {
      _sb_send_panel_update_target_entry (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PEER]);
    }
}

void
sb_send_panel_target_selected (SbSendPanel *self)
{
  g_return_if_fail (SB_IS_SEND_PANEL (self));

  for (guint i = 0; i < G_N_ELEMENTS (self->targets); i++)
    if (self->targets[i] == TARGET_SELECTED && gtk_widget_get_visible (self->target_box))
      {
        gtk_drop_down_set_selected (self->target_dropdown, i);
        break;
      }
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

void
sb_send_panel_set_text (SbSendPanel *self,
                        const char  *text)
{
  g_return_if_fail (SB_IS_SEND_PANEL (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
}

char *
sb_send_panel_dup_text (SbSendPanel *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SB_IS_SEND_PANEL (self), NULL);
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
sb_send_panel_set_hex (SbSendPanel *self,
                       gboolean     hex)
{
  g_return_if_fail (SB_IS_SEND_PANEL (self));
  gtk_drop_down_set_selected (self->mode_dropdown, hex ? 1 : 0);
}

const char *
sb_send_panel_get_error_text (SbSendPanel *self)
{
  g_return_val_if_fail (SB_IS_SEND_PANEL (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return "";
  return gtk_label_get_text (self->error_label);
}

/* --- GObject --- */

static void
sb_send_panel_dispose (GObject *object)
{
  SbSendPanel *self = SB_SEND_PANEL (object);
  GtkWidget *child;

  drop_repeat (self);
  _sb_send_panel_plan_reset (self);
  sb_send_panel_bind_setup (self, NULL);
  if (self->file_cancellable)
    g_cancellable_cancel (self->file_cancellable);
  if (self->file_chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SEND_PANEL);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (sb_session_get_history (self->session), self);
    }
  g_clear_object (&self->session);
  g_clear_object (&self->selected_peer);
  g_clear_object (&self->recent_menu);

  G_OBJECT_CLASS (sb_send_panel_parent_class)->dispose (object);
}

static void
sb_send_panel_finalize (GObject *object)
{
  SbSendPanel *self = SB_SEND_PANEL (object);

  g_clear_object (&self->file_cancellable);
  g_clear_pointer (&self->view_encoding, g_free);
  g_clear_pointer (&self->recent, g_ptr_array_unref);
  g_clear_pointer (&self->snippets, g_ptr_array_unref);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);
  g_clear_pointer (&self->template_state, sb_template_state_free);
  g_clear_pointer (&self->address_text, g_free);

  G_OBJECT_CLASS (sb_send_panel_parent_class)->finalize (object);
}

static void
sb_send_panel_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SbSendPanel *self = SB_SEND_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_VIEW_ENCODING:
      g_value_set_string (value, self->view_encoding);
      break;
    case PROP_SELECTED_PEER:
      g_value_set_object (value, self->selected_peer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_send_panel_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SbSendPanel *self = SB_SEND_PANEL (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sb_send_panel_set_session (self, g_value_get_object (value));
      break;
    case PROP_VIEW_ENCODING:
      sb_send_panel_set_view_encoding (self, g_value_get_string (value));
      break;
    case PROP_SELECTED_PEER:
      sb_send_panel_set_selected_peer (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_send_panel_class_init (SbSendPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_send_panel_dispose;
  object_class->finalize = sb_send_panel_finalize;
  object_class->get_property = sb_send_panel_get_property;
  object_class->set_property = sb_send_panel_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIEW_ENCODING] =
    g_param_spec_string ("view-encoding", NULL, NULL, "UTF-8",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_PEER] =
    g_param_spec_object ("selected-peer", NULL, NULL, SB_TYPE_PEER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/page/sb-send-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, escapes_check);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, line_end_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, encoding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, target_box);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, target_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, address_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, text_view);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, send_button);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, recent_button);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, repeat_check);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, count_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, repeat_label);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, file_box);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, file_progress);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, templates_switch);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, preview_label);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, snippets_button);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, snippets_list);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, snippet_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, chunk_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, gap_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, batch_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, plan_label);
  gtk_widget_class_bind_template_child (widget_class, SbSendPanel, modbus_button);
  gtk_widget_class_install_action (widget_class, "send-panel.modbus", "s", _sb_send_panel_modbus_action);
  gtk_widget_class_install_action (widget_class, "send-panel.flush", NULL, _sb_send_panel_flush_action);

  gtk_widget_class_install_action (widget_class, "send-panel.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "send-panel.stop-repeat", NULL, stop_repeat_action);
  gtk_widget_class_install_action (widget_class, "send-panel.send-file", NULL, _sb_send_panel_send_file_action);
  gtk_widget_class_install_action (widget_class, "send-panel.cancel-file", NULL, _sb_send_panel_cancel_file_action);
  gtk_widget_class_install_action (widget_class, "send-panel.recall", "u", _sb_send_panel_recall_action);
  gtk_widget_class_install_action (widget_class, "send-panel.save-snippet", NULL, _sb_send_panel_save_snippet_action);
  gtk_widget_class_install_action (widget_class, "send-panel.send-snippet", "u", _sb_send_panel_send_snippet_action);
  gtk_widget_class_install_action (widget_class, "send-panel.remove-snippet", "u", _sb_send_panel_remove_snippet_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "send-panel.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "send-panel.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "send-panel.stop-repeat", NULL);
  for (guint i = 0; i < MAX_SNIPPET_KEYS; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "send-panel.send-snippet", "u", i);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-send-panel");
}

static void
sb_send_panel_init (SbSendPanel *self)
{
  GtkEventController *keys;
  GtkTextBuffer *buffer;
  GtkBoxLayout *layout;

  gtk_widget_init_template (GTK_WIDGET (self));
  layout = GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self)));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (layout, 4);

  self->recent = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_send_message_free);
  self->snippets = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_send_message_free);
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  self->template_state = sb_template_state_new ();
  self->recent_menu = g_menu_new ();
  self->recall_index = -1;
  gtk_menu_button_set_menu_model (self->recent_button, G_MENU_MODEL (self->recent_menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_button), FALSE);

  /* Translators: send encoding: the one the history is shown in */
  sb_encoding_drop_down_setup (self->encoding_dropdown, SB_ENCODING_MODEL_TEXT, _("Same as view"), TRUE);

  buffer = gtk_text_view_get_buffer (self->text_view);
  self->error_tag = gtk_text_buffer_create_tag (buffer, "error",
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                "background", "rgba(224,27,36,0.35)",
                                                NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (_sb_send_panel_text_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);

  g_signal_connect_swapped (self->target_dropdown, "notify::selected", G_CALLBACK (_sb_send_panel_target_selected_cb), self);
  g_signal_connect_swapped (self->mode_dropdown, "notify::selected", G_CALLBACK (mode_selected_cb), self);
  g_signal_connect_swapped (self->encoding_dropdown, "notify::selected", G_CALLBACK (_sb_send_panel_encoding_selected_cb), self);
  g_signal_connect_swapped (self->escapes_check, "notify::active", G_CALLBACK (options_changed_cb), self);
  g_signal_connect_swapped (self->line_end_dropdown, "notify::selected", G_CALLBACK (options_changed_cb), self);
  g_signal_connect_swapped (self->templates_switch, "notify::active", G_CALLBACK (options_changed_cb), self);
  g_signal_connect_swapped (self->address_entry, "changed", G_CALLBACK (_sb_send_panel_address_changed_cb), self);

  _sb_send_panel_rebuild_targets (self);
  _sb_send_panel_rebuild_snippets (self);
  _sb_send_panel_plan_reset (self);
  {
    g_autoptr(GMenuModel) modbus = _sb_send_panel_modbus_menu_new ();

    gtk_menu_button_set_menu_model (self->modbus_button, modbus);
  }
  _sb_send_panel_update_sensitivity (self);
}
