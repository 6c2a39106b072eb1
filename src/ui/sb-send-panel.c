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
current_encoding (SbSendPanel *self)
{
  const char *name = sb_encoding_drop_down_get_selected (self->encoding_dropdown);

  /* The first row ("") is "Same as view". */
  if (name == NULL || name[0] == '\0')
    return self->view_encoding ? self->view_encoding : "UTF-8";
  return name;
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
  GtkTextIter start, end;

  if (error_pos < 0 || error_pos >= gtk_text_buffer_get_char_count (buffer))
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, error_pos);
  end = start;
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag (buffer, self->error_tag, &start, &end);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_view_scroll_to_iter (self->text_view, &start, 0.1, FALSE, 0, 0);
}

/* --- Building the bytes --- */

static GBytes *
build_bytes (SbSendPanel *self,
             char       **text_out,
             GError     **error)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  glong error_pos = -1;
  static const char *endings[] = { "", "\n", "\r\n", "\r" };
  guint line_end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  if (is_hex_mode (self))
    bytes = sb_codec_parse_hex (text, &error_pos, error);
  else if (gtk_check_button_get_active (self->escapes_check))
    bytes = sb_codec_encode_escaped (current_encoding (self), text, -1, &error_pos, error);
  else
    bytes = sb_codec_encode (current_encoding (self), text, -1, &error_pos, error);

  if (bytes == NULL)
    {
      mark_error_position (self, error_pos);
      return NULL;
    }

  line_end = gtk_drop_down_get_selected (self->line_end_dropdown);
  if (!is_hex_mode (self) && line_end > 0 && line_end < G_N_ELEMENTS (endings))
    {
      g_autoptr(GBytes) ending = sb_codec_encode (current_encoding (self), endings[line_end], -1, NULL, NULL);
      GByteArray *joined = g_byte_array_new ();
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      g_byte_array_append (joined, data, len);
      if (ending != NULL)
        {
          data = g_bytes_get_data (ending, &len);
          g_byte_array_append (joined, data, len);
        }
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = g_byte_array_free_to_bytes (joined);
    }

  if (text_out)
    *text_out = g_steal_pointer (&text);
  return g_steal_pointer (&bytes);
}

static Target
current_target (SbSendPanel *self)
{
  guint selected;

  if (!gtk_widget_get_visible (self->target_box))
    return TARGET_DEFAULT;
  selected = gtk_drop_down_get_selected (self->target_dropdown);
  if (selected >= G_N_ELEMENTS (self->targets))
    return TARGET_DEFAULT;
  return self->targets[selected];
}

/* Resolves the target widgets to a peer or an address. */
gboolean
_sb_send_panel_resolve_target (SbSendPanel     *self,
                               SbPeer         **peer,
                               GSocketAddress **address,
                               GError         **error)
{
  *peer = NULL;
  *address = NULL;

  switch (current_target (self))
    {
    case TARGET_SELECTED:
      if (self->selected_peer == NULL)
        {
          g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NO_TARGET,
                               _("Select a peer in the peers list first"));
          return FALSE;
        }
      *peer = g_object_ref (self->selected_peer);
      return TRUE;

    case TARGET_ADDRESS:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
        g_autofree char *host = NULL;
        guint16 port = 0;

        if (self->session && sb_kind_is_unix (sb_session_get_kind (self->session)))
          {
            *address = sb_address_new_unix (text, error);
            return *address != NULL;
          }
        if (!sb_address_parse_host_port (text, FALSE, &host, &port, error))
          return FALSE;
        *address = g_inet_socket_address_new_from_string (host, port);
        if (*address == NULL)
          {
            /* Resolving a name would block here; the setup bar resolves names. */
            g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NO_TARGET,
                         _("“%s” is not an IP address; type a numeric address such as 192.168.1.20:5000"),
                         host);
            return FALSE;
          }
        return TRUE;
      }

    case TARGET_DEFAULT:
    default:
      return TRUE;
    }
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
  if (address != NULL)
    return sb_session_send_to (self->session, address, bytes, error);
  return sb_session_send (self->session, peer, bytes, error);
}

/* --- Repeat --- */

static void
update_repeat_label (SbSendPanel *self,
                     gboolean     force)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;

  /* A 1 ms repeat must not relayout the label a thousand times a second. */
  if (!force && now - self->repeat_label_time < G_USEC_PER_SEC / 10)
    return;
  self->repeat_label_time = now;

  if (self->repeat_total > 0)
    /* Translators: repeat progress, "Sent 12 of 100" */
    text = g_strdup_printf (_("Sent %" PRIu64 " of %" PRIu64),
                            (uint64_t) self->repeat_done, (uint64_t) self->repeat_total);
  else if (self->repeat_done > 0)
    text = g_strdup_printf (_("Sent %" PRIu64), (uint64_t) self->repeat_done);
  gtk_label_set_text (self->repeat_label, text ? text : "");
}

void
_sb_send_panel_update_sensitivity (SbSendPanel *self)
{
  gboolean repeating = self->repeat_source != 0;
  gboolean sending_file = self->file_cancellable != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.stop-repeat", repeating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.send", !repeating);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.send-file", !sending_file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.cancel-file", sending_file);
  gtk_widget_set_visible (self->file_box, sending_file);
}

static void
stop_repeat (SbSendPanel *self)
{
  g_clear_handle_id (&self->repeat_source, g_source_remove);
  g_clear_pointer (&self->repeat_bytes, g_bytes_unref);
  g_clear_object (&self->repeat_peer);
  g_clear_object (&self->repeat_address);
  update_repeat_label (self, TRUE);
  _sb_send_panel_update_sensitivity (self);
}

/* A busy frame may delay a tick; catch up by at most this many sends. */
#define REPEAT_MAX_CATCH_UP 50

static gboolean
repeat_tick_cb (gpointer user_data)
{
  SbSendPanel *self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  guint64 due;

  /* Send what the clock says is due, not one per tick: a GLib timeout
   * re-arms after each callback and would fall behind a 1 ms rhythm. */
  due = (guint64) ((now - self->repeat_start) / self->repeat_interval) + 1;
  if (due > self->repeat_done + REPEAT_MAX_CATCH_UP)
    {
      /* Too far behind (a stalled loop): resume the rhythm from now. */
      self->repeat_start = now - (gint64) self->repeat_done * self->repeat_interval;
      due = self->repeat_done + 1;
    }
  if (self->repeat_total > 0)
    due = MIN (due, self->repeat_total);

  while (self->repeat_done < due)
    {
      if (!send_bytes (self, self->repeat_peer, self->repeat_address, self->repeat_bytes, &error))
        {
          /* BUSY: the peer is not reading. Stop before the queue grows without
           * bound and say why; Send starts again. */
          if (g_error_matches (error, SB_SESSION_ERROR, SB_SESSION_ERROR_BUSY))
            {
              g_autofree char *msg = g_strdup_printf (_("Repeat paused: %s"), error->message);
              _sb_send_panel_show_error (self, msg);
            }
          else
            _sb_send_panel_show_error (self, error->message);
          self->repeat_source = 0;
          stop_repeat (self);
          return G_SOURCE_REMOVE;
        }

      self->repeat_done++;
    }

  if (self->repeat_total > 0 && self->repeat_done >= self->repeat_total)
    {
      self->repeat_source = 0;
      stop_repeat (self);
      return G_SOURCE_REMOVE;
    }
  update_repeat_label (self, FALSE);
  return G_SOURCE_CONTINUE;
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
sb_send_panel_send (SbSendPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SbPeer) peer = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SB_IS_SEND_PANEL (self), FALSE);

  _sb_send_panel_clear_error (self);
  stop_repeat (self);

  bytes = build_bytes (self, &text, &error);
  if (bytes == NULL ||
      !_sb_send_panel_resolve_target (self, &peer, &address, &error) ||
      !send_bytes (self, peer, address, bytes, &error))
    {
      _sb_send_panel_show_error (self, error->message);
      return FALSE;
    }
  _sb_send_panel_remember (self, text);

  if (gtk_check_button_get_active (self->repeat_check))
    {
      self->repeat_total = gtk_spin_button_get_value_as_int (self->count_spin);
      self->repeat_done = 1;
      if (self->repeat_total == 0 || self->repeat_total > 1)
        {
          guint interval = MAX (1, gtk_spin_button_get_value_as_int (self->interval_spin));

          self->repeat_bytes = g_bytes_ref (bytes);
          g_set_object (&self->repeat_peer, peer);
          g_set_object (&self->repeat_address, address);
          self->repeat_start = g_get_monotonic_time ();
          self->repeat_interval = (gint64) interval * 1000;
          self->repeat_source = g_timeout_add (interval, repeat_tick_cb, self);
        }
      update_repeat_label (self, TRUE);
      _sb_send_panel_update_sensitivity (self);
    }
  return TRUE;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sb_send_panel_send (SB_SEND_PANEL (widget));
}

/* --- Targets --- */

static void
rebuild_targets (SbSendPanel *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  SbKind kind;
  guint n = 0;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (self->target_box, FALSE);
      return;
    }
  kind = sb_session_get_kind (self->session);

  switch (kind)
    {
    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_SERVER:
      self->targets[n++] = TARGET_DEFAULT;
      gtk_string_list_append (list, _("All peers"));
      self->targets[n++] = TARGET_SELECTED;
      gtk_string_list_append (list, _("Selected peer"));
      break;
    case SB_KIND_UDP:
    case SB_KIND_UNIX_DGRAM:
      self->targets[n++] = TARGET_DEFAULT;
      gtk_string_list_append (list, _("Default target"));
      self->targets[n++] = TARGET_SELECTED;
      gtk_string_list_append (list, _("Selected peer"));
      self->targets[n++] = TARGET_ADDRESS;
      gtk_string_list_append (list, _("Address…"));
      break;
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_ICMP:
    default:
      break;
    }
  gtk_drop_down_set_model (self->target_dropdown, G_LIST_MODEL (list));
  gtk_widget_set_visible (self->target_box, n > 0);
  gtk_entry_set_placeholder_text (self->address_entry,
                                  sb_kind_is_unix (kind) ? _("/path/to/socket") : _("host:port"));
}

static void
target_selected_cb (SbSendPanel *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->address_entry), current_target (self) == TARGET_ADDRESS);
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
}

static void
buffer_changed_cb (SbSendPanel *self)
{
  /* The marked position is stale once the text changes. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    _sb_send_panel_clear_error (self);
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
  if (self->file_cancellable)
    g_cancellable_cancel (self->file_cancellable);
  g_set_object (&self->session, session);
  g_clear_object (&self->selected_peer);
  rebuild_targets (self);
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
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PEER]);
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

void
sb_send_panel_save_state (SbSendPanel *self,
                          GKeyFile    *keyfile,
                          const char  *group)
{
  g_autofree char *text = sb_send_panel_dup_text (self);
  const char *encoding = sb_encoding_drop_down_get_selected (self->encoding_dropdown);

  g_key_file_set_string (keyfile, group, "send-text", text);
  g_key_file_set_string (keyfile, group, "send-mode", is_hex_mode (self) ? "hex" : "text");
  g_key_file_set_boolean (keyfile, group, "send-escapes", gtk_check_button_get_active (self->escapes_check));
  g_key_file_set_integer (keyfile, group, "send-line-end", gtk_drop_down_get_selected (self->line_end_dropdown));
  g_key_file_set_string (keyfile, group, "send-encoding", encoding ? encoding : "");
  g_key_file_set_integer (keyfile, group, "send-repeat-ms", gtk_spin_button_get_value_as_int (self->interval_spin));
  g_key_file_set_integer (keyfile, group, "send-repeat-count", gtk_spin_button_get_value_as_int (self->count_spin));
  g_key_file_set_string_list (keyfile, group, "send-recent",
                              (const char * const *) self->recent->pdata, self->recent->len);
}

void
sb_send_panel_load_state (SbSendPanel *self,
                          GKeyFile    *keyfile,
                          const char  *group)
{
  g_autofree char *text = g_key_file_get_string (keyfile, group, "send-text", NULL);
  g_autofree char *mode = g_key_file_get_string (keyfile, group, "send-mode", NULL);
  g_autofree char *encoding = g_key_file_get_string (keyfile, group, "send-encoding", NULL);
  g_auto(GStrv) recent = g_key_file_get_string_list (keyfile, group, "send-recent", NULL, NULL);
  int line_end = g_key_file_get_integer (keyfile, group, "send-line-end", NULL);
  int interval = g_key_file_get_integer (keyfile, group, "send-repeat-ms", NULL);
  int count = g_key_file_get_integer (keyfile, group, "send-repeat-count", NULL);

  if (text != NULL)
    sb_send_panel_set_text (self, text);
  sb_send_panel_set_hex (self, g_strcmp0 (mode, "hex") == 0);
  gtk_check_button_set_active (self->escapes_check,
                               g_key_file_get_boolean (keyfile, group, "send-escapes", NULL));
  if (line_end >= 0 && line_end < 4)
    gtk_drop_down_set_selected (self->line_end_dropdown, line_end);
  if (interval > 0)
    gtk_spin_button_set_value (self->interval_spin, interval);
  if (count >= 0)
    gtk_spin_button_set_value (self->count_spin, count);

  /* "" or an encoding this build lacks: "Same as view". */
  if (encoding == NULL || !sb_encoding_drop_down_select (self->encoding_dropdown, encoding))
    gtk_drop_down_set_selected (self->encoding_dropdown, 0);

  if (recent != NULL)
    {
      g_ptr_array_set_size (self->recent, 0);
      for (guint i = 0; recent[i] != NULL; i++)
        g_ptr_array_add (self->recent, g_strdup (recent[i]));
      _sb_send_panel_rebuild_recent_menu (self);
    }
}

/* --- GObject --- */

static void
sb_send_panel_dispose (GObject *object)
{
  SbSendPanel *self = SB_SEND_PANEL (object);
  GtkWidget *child;

  stop_repeat (self);
  if (self->file_cancellable)
    g_cancellable_cancel (self->file_cancellable);
  if (self->file_chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SEND_PANEL);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

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

  gtk_widget_class_install_action (widget_class, "send-panel.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "send-panel.stop-repeat", NULL, stop_repeat_action);
  gtk_widget_class_install_action (widget_class, "send-panel.send-file", NULL, _sb_send_panel_send_file_action);
  gtk_widget_class_install_action (widget_class, "send-panel.cancel-file", NULL, _sb_send_panel_cancel_file_action);
  gtk_widget_class_install_action (widget_class, "send-panel.recall", "u", _sb_send_panel_recall_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "send-panel.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "send-panel.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "send-panel.stop-repeat", NULL);

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

  self->recent = g_ptr_array_new_with_free_func (g_free);
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

  g_signal_connect_swapped (self->target_dropdown, "notify::selected", G_CALLBACK (target_selected_cb), self);
  g_signal_connect_swapped (self->mode_dropdown, "notify::selected", G_CALLBACK (mode_selected_cb), self);

  rebuild_targets (self);
  _sb_send_panel_update_sensitivity (self);
}
