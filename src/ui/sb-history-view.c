/* sb-history-view.c — the list of records of a session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-data-cell.h"
#include "sb-encoding-model.h"
#include "sb-history-view-private.h"

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_ENCODING,
  PROP_VIEW_MODE,
  PROP_PAUSED,
  PROP_SELECTED_SERIAL,
  PROP_FRAMES,
  PROP_SHOWING_FRAMES,
  PROP_DECODE_MODBUS,
  PROP_PEER_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbHistoryView, sb_history_view, GTK_TYPE_WIDGET)


/* --- Rows: records or frames --- */

guint64
_sb_history_view_item_serial (gpointer item)
{
  if (SB_IS_FRAME_ITEM (item))
    return sb_frame_item_get_first_serial (item);
  return sb_history_item_get_serial (item);
}

guint
_sb_history_view_item_peer (gpointer item)
{
  if (SB_IS_FRAME_ITEM (item))
    return sb_frame_item_get_peer (item);
  return sb_history_item_get_peer (item);
}

/* The item's bytes as on the wire; NULL for an event or dropped bytes. */
static GBytes *
item_dup_bytes (gpointer item)
{
  if (SB_IS_FRAME_ITEM (item))
    return sb_frame_item_dup_raw (item);
  return sb_history_item_dup_data (item);
}

static gboolean
item_is_event (gpointer item)
{
  return !SB_IS_FRAME_ITEM (item) && sb_history_item_get_direction (item) == SB_DIRECTION_EVENT;
}

/* --- Following the newest row --- */

static void
update_jump_button (SbHistoryView *self)
{
  gtk_widget_set_visible (self->jump_button, !sb_follow_get_following (self->follow) || self->paused);
}

/* --- Actions --- */

static void
jump_to_newest_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SbHistoryView *self = SB_HISTORY_VIEW (widget);

  if (self->paused)
    sb_history_view_set_paused (self, FALSE);
  sb_follow_jump (self->follow);
}

static char *
selection_to_string (SbHistoryView *self,
                     gboolean       hex)
{
  GtkBitset *sel = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GString *out = g_string_new (NULL);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, sel, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
      g_autoptr(GBytes) data = item_dup_bytes (item);
      gsize len = 0;
      const guint8 *bytes = data ? g_bytes_get_data (data, &len) : NULL;
      g_autofree char *text = NULL;

      if (hex && !item_is_event (item))
        text = sb_codec_format_hex (bytes, len);
      else
        text = sb_codec_decode (self->encoding, bytes, len, SB_DECODE_DEFAULT, NULL);
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, text);
    }
  gtk_bitset_unref (sel);
  return g_string_free (out, FALSE);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SbHistoryView *self = SB_HISTORY_VIEW (widget);
  g_autofree char *text = selection_to_string (self, g_str_equal (action_name, "history.copy-hex"));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SbHistoryView *self = SB_HISTORY_VIEW (widget);

  gtk_selection_model_select_all (GTK_SELECTION_MODEL (self->selection));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  SbHistoryView *self = SB_HISTORY_VIEW (widget);

  if (self->history != NULL)
    sb_history_clear (self->history);
  sb_follow_set_following (self->follow, TRUE);
}

/* --- Encoding and mode --- */

static void
encoding_selected_cb (SbHistoryView *self)
{
  const char *name = sb_encoding_drop_down_get_selected (self->encoding_dropdown);

  if (name != NULL)
    sb_history_view_set_encoding (self, name);
}

static void
mode_toggled_cb (SbHistoryView *self)
{
  if (self->updating_mode)
    return;
  if (gtk_toggle_button_get_active (self->mode_hex))
    sb_history_view_set_view_mode (self, SB_VIEW_MODE_HEX);
  else if (gtk_toggle_button_get_active (self->mode_both))
    sb_history_view_set_view_mode (self, SB_VIEW_MODE_BOTH);
  else if (gtk_toggle_button_get_active (self->mode_text))
    sb_history_view_set_view_mode (self, SB_VIEW_MODE_TEXT);
}

static void
pause_toggled_cb (SbHistoryView *self)
{
  sb_history_view_set_paused (self, gtk_toggle_button_get_active (self->pause_button));
}

/* --- What the rows are --- */

/* A new read may complete the last character of the stream's previous row. */
static void
history_items_changed_cb (SbHistoryView *self,
                          guint          position,
                          guint          removed,
                          guint          added)
{
  if (added > 0 && !self->frames_mode)
    _sb_history_view_refresh_live (self);
}

/* Rows are frames when the page has frames with a framer, records otherwise. */
static void
show_source (SbHistoryView *self)
{
  SbFramer *framer = self->frames ? sb_frames_get_framer (self->frames) : NULL;
  gboolean frames_mode = framer != NULL && sb_framer_get_kind (framer) != SB_FRAMER_NONE &&
                         self->history != NULL && sb_frames_get_history (self->frames) == self->history;
  GListModel *source = frames_mode ? G_LIST_MODEL (self->frames) : G_LIST_MODEL (self->history);

  self->frames_mode = frames_mode;
  gtk_column_view_column_set_visible (self->check_column, frames_mode && _sb_history_view_has_check (self));
  gtk_widget_set_visible (GTK_WIDGET (self->bad_check), frames_mode && _sb_history_view_has_check (self));
  if (!gtk_widget_get_visible (GTK_WIDGET (self->bad_check)))
    gtk_check_button_set_active (self->bad_check, FALSE);
  /* Serials are per history, frames per framer: cells must not take one
   * for the other. */
  self->render_generation++;
  if (gtk_filter_list_model_get_model (self->filter_model) != source)
    gtk_filter_list_model_set_model (self->filter_model, source);
  if (self->search != NULL)
    sb_search_set_frames (self->search, frames_mode ? self->frames : NULL);
  {
    int framing;

    gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.decode-modbus",
                                   frames_mode && _sb_history_view_modbus_framing (self, &framing));
  }
  _sb_history_view_refresh_visible (self);
  _sb_history_view_restart_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING_FRAMES]);
}

static void
show_every_peer_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  sb_history_view_set_peer_filter (SB_HISTORY_VIEW (widget), 0, NULL);
}

/* --- Public --- */

SbHistory *
sb_history_view_get_history (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), NULL);
  return self->history;
}

void
sb_history_view_set_history (SbHistoryView *self,
                             SbHistory     *history)
{
  g_return_if_fail (SB_IS_HISTORY_VIEW (self));
  g_return_if_fail (!history || SB_IS_HISTORY (history));

  if (self->history == history)
    return;

  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  g_clear_object (&self->search);
  if (history != NULL)
    {
      self->search = sb_search_new (history);
      g_signal_connect_object (self->search, "changed",
                               G_CALLBACK (_sb_history_view_update_matches_label), self, G_CONNECT_SWAPPED);
    }

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_items_changed_cb, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (history_items_changed_cb),
                             self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  /* Frames of another history mean nothing here. */
  if (self->frames != NULL && sb_frames_get_history (self->frames) != history)
    sb_history_view_set_frames (self, NULL);
  show_source (self);
  sb_follow_jump (self->follow);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HISTORY]);
}

SbFrames *
sb_history_view_get_frames (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), NULL);
  return self->frames;
}

void
sb_history_view_set_frames (SbHistoryView *self,
                            SbFrames      *frames)
{
  g_return_if_fail (SB_IS_HISTORY_VIEW (self));
  g_return_if_fail (!frames || SB_IS_FRAMES (frames));

  if (self->frames == frames)
    return;
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_func (self->frames, show_source, self);
  g_set_object (&self->frames, frames);
  if (frames != NULL)
    {
      g_signal_connect_object (frames, "notify::framer", G_CALLBACK (show_source), self, G_CONNECT_SWAPPED);
      /* Checked again: every row says something else. */
      g_signal_connect_object (frames, "notify::check", G_CALLBACK (show_source), self, G_CONNECT_SWAPPED);
    }
  show_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMES]);
}

gboolean
sb_history_view_get_showing_frames (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), FALSE);
  return self->frames_mode;
}

gboolean
sb_history_view_get_decode_modbus (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), FALSE);
  return self->decode_modbus;
}

void
sb_history_view_set_decode_modbus (SbHistoryView *self,
                                   gboolean       decode)
{
  g_return_if_fail (SB_IS_HISTORY_VIEW (self));

  decode = !!decode;
  if (self->decode_modbus == decode)
    return;
  self->decode_modbus = decode;
  _sb_history_view_refresh_visible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECODE_MODBUS]);
}

void
sb_history_view_set_peer_filter (SbHistoryView *self,
                                 guint          peer_id,
                                 const char    *label)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SB_IS_HISTORY_VIEW (self));

  if (peer_id == 0)
    {
      if (self->peer_filter < 0)
        return;
      self->peer_filter = -1;
      g_clear_pointer (&self->peer_filter_label, g_free);
    }
  else
    {
      if (self->peer_filter == peer_id)
        return;
      self->peer_filter = peer_id;
      g_free (self->peer_filter_label);
      self->peer_filter_label = g_strdup (label ? label : "");
      /* Translators: above the history while it shows one peer's records */
      text = g_strdup_printf (_("Showing only %s"), self->peer_filter_label);
      gtk_label_set_text (self->peer_chip_label, text);
    }
  gtk_widget_set_visible (self->peer_chip, self->peer_filter >= 0);
  _sb_history_view_update_filter (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_FILTER]);
}

guint
sb_history_view_get_peer_filter (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), 0);
  return self->peer_filter < 0 ? 0 : (guint) self->peer_filter;
}

const char *
sb_history_view_get_encoding (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), NULL);
  return self->encoding;
}

void
sb_history_view_set_encoding (SbHistoryView *self,
                              const char    *encoding)
{
  const char *canonical;

  g_return_if_fail (SB_IS_HISTORY_VIEW (self));

  canonical = encoding ? sb_codec_canonical_name (encoding) : NULL;
  if (g_strcmp0 (canonical, SB_ENCODING_HEX) == 0)
    {
      sb_history_view_set_view_mode (self, SB_VIEW_MODE_HEX);
      return;
    }
  if (canonical == NULL)
    {
      g_warning ("Unknown encoding “%s”", encoding ? encoding : "(null)");
      return;
    }
  if (g_strcmp0 (canonical, self->encoding) == 0)
    return;

  self->encoding = canonical;
  sb_encoding_drop_down_select (self->encoding_dropdown, canonical);

  _sb_history_view_refresh_visible (self);
  /* A text pattern means other bytes in another encoding. */
  if (self->search != NULL && sb_search_has_pattern (self->search) &&
      !gtk_check_button_get_active (self->search_hex))
    _sb_history_view_restart_search (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

SbViewMode
sb_history_view_get_view_mode (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), SB_VIEW_MODE_TEXT);
  return self->view_mode;
}

void
sb_history_view_set_view_mode (SbHistoryView *self,
                               SbViewMode     mode)
{
  g_return_if_fail (SB_IS_HISTORY_VIEW (self));
  g_return_if_fail (mode <= SB_VIEW_MODE_BOTH);

  if (self->view_mode == mode)
    return;
  self->view_mode = mode;

  self->updating_mode = TRUE;
  gtk_toggle_button_set_active (mode == SB_VIEW_MODE_TEXT ? self->mode_text :
                                mode == SB_VIEW_MODE_HEX ? self->mode_hex : self->mode_both,
                                TRUE);
  self->updating_mode = FALSE;

  _sb_history_view_refresh_visible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_MODE]);
}

gboolean
sb_history_view_get_paused (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), FALSE);
  return self->paused;
}

/* The slice is shown only while paused. GTK 4.8's GtkSliceListModel
 * announces any change that adds and removes a different number of rows as
 * "every row from there on was replaced": with the history's cap dropping
 * the oldest rows, every flush would make the view destroy and create every
 * row it keeps (about 200) instead of moving them. The rows are the same in
 * both models at the switch, and so is the selection. */
static void
show_model (SbHistoryView *self,
            GListModel    *model)
{
  GtkBitset *selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  gtk_multi_selection_set_model (self->selection, model);
  if (!gtk_bitset_is_empty (selected))
    gtk_selection_model_set_selection (GTK_SELECTION_MODEL (self->selection), selected, selected);
  gtk_bitset_unref (selected);
}

void
sb_history_view_set_paused (SbHistoryView *self,
                            gboolean       paused)
{
  g_return_if_fail (SB_IS_HISTORY_VIEW (self));

  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;

  /* Pausing freezes the number of rows shown: the slice stops at the
   * current end while records keep arriving in the history. Records
   * dropped at the front by the cap still leave (the slice shifts). */
  if (paused)
    {
      gtk_slice_list_model_set_size (self->slice_model,
                                     g_list_model_get_n_items (G_LIST_MODEL (self->ramp_model)));
      show_model (self, G_LIST_MODEL (self->slice_model));
    }
  else
    {
      show_model (self, G_LIST_MODEL (self->ramp_model));
      gtk_slice_list_model_set_size (self->slice_model, G_MAXUINT);
    }
  sb_follow_set_paused (self->follow, paused);

  gtk_toggle_button_set_active (self->pause_button, paused);
  update_jump_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

GListModel *
sb_history_view_get_model (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

static void
update_selected_serial (SbHistoryView *self)
{
  GtkBitset *sel = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  gint64 serial = -1;

  if (!gtk_bitset_is_empty (sel))
    {
      g_autoptr(GObject) item =
        g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_minimum (sel));

      if (item != NULL)
        serial = _sb_history_view_item_serial (item);
    }
  gtk_bitset_unref (sel);

  if (serial != self->selected_serial)
    {
      self->selected_serial = serial;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_SERIAL]);
    }
}

gint64
sb_history_view_get_selected_serial (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), -1);
  return self->selected_serial;
}

gboolean
sb_history_view_select_serial (SbHistoryView *self,
                               guint64        serial)
{
  guint position;

  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), FALSE);

  if (!_sb_history_view_position_for_serial (self, serial, &position))
    return FALSE;
  sb_follow_set_following (self->follow, FALSE);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  _sb_history_view_scroll_to (self, position);
  return TRUE;
}

/* --- GObject --- */

static void
sb_history_view_dispose (GObject *object)
{
  SbHistoryView *self = SB_HISTORY_VIEW (object);
  GtkWidget *child;

  g_clear_object (&self->follow);
  if (self->search != NULL)
    g_signal_handlers_disconnect_by_data (self->search, self);
  g_clear_object (&self->search);

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_HISTORY_VIEW);
  /* Template children without an id are not cleared by the above. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->selection);
  g_clear_object (&self->slice_model);
  g_clear_object (&self->ramp_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_clear_object (&self->frames);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (sb_history_view_parent_class)->dispose (object);
}

static void
sb_history_view_finalize (GObject *object)
{
  SbHistoryView *self = SB_HISTORY_VIEW (object);

  g_clear_pointer (&self->bound_data_cells, g_hash_table_unref);
  g_clear_pointer (&self->match_text, g_free);
  g_clear_pointer (&self->peer_filter_label, g_free);

  G_OBJECT_CLASS (sb_history_view_parent_class)->finalize (object);
}

static void
sb_history_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SbHistoryView *self = SB_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_ENCODING:
      g_value_set_string (value, self->encoding);
      break;
    case PROP_VIEW_MODE:
      g_value_set_enum (value, self->view_mode);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    case PROP_SELECTED_SERIAL:
      g_value_set_int64 (value, self->selected_serial);
      break;
    case PROP_FRAMES:
      g_value_set_object (value, self->frames);
      break;
    case PROP_SHOWING_FRAMES:
      g_value_set_boolean (value, self->frames_mode);
      break;
    case PROP_DECODE_MODBUS:
      g_value_set_boolean (value, self->decode_modbus);
      break;
    case PROP_PEER_FILTER:
      g_value_set_uint (value, sb_history_view_get_peer_filter (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_history_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SbHistoryView *self = SB_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      sb_history_view_set_history (self, g_value_get_object (value));
      break;
    case PROP_ENCODING:
      sb_history_view_set_encoding (self, g_value_get_string (value));
      break;
    case PROP_VIEW_MODE:
      sb_history_view_set_view_mode (self, g_value_get_enum (value));
      break;
    case PROP_PAUSED:
      sb_history_view_set_paused (self, g_value_get_boolean (value));
      break;
    case PROP_FRAMES:
      sb_history_view_set_frames (self, g_value_get_object (value));
      break;
    case PROP_DECODE_MODBUS:
      sb_history_view_set_decode_modbus (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_history_view_class_init (SbHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_history_view_dispose;
  object_class->finalize = sb_history_view_finalize;
  object_class->get_property = sb_history_view_get_property;
  object_class->set_property = sb_history_view_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, SB_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENCODING] =
    g_param_spec_string ("encoding", NULL, NULL, "UTF-8",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIEW_MODE] =
    g_param_spec_enum ("view-mode", NULL, NULL, SB_TYPE_VIEW_MODE, SB_VIEW_MODE_TEXT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_SERIAL] =
    g_param_spec_int64 ("selected-serial", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FRAMES] =
    g_param_spec_object ("frames", NULL, NULL, SB_TYPE_FRAMES,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHOWING_FRAMES] =
    g_param_spec_boolean ("showing-frames", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DECODE_MODBUS] =
    g_param_spec_boolean ("decode-modbus", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PEER_FILTER] =
    g_param_spec_uint ("peer-filter", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SB_TYPE_DATA_CELL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/page/sb-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, encoding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, mode_text);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, mode_hex);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, mode_both);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, search_button);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, search_hex);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, filter_check);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, bad_check);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, match_label);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, scroller);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, column_view);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, copy_button);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, export_button);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, copy_menu);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, export_menu);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, peer_chip);
  gtk_widget_class_bind_template_child (widget_class, SbHistoryView, peer_chip_label);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_toggled_cb);

  gtk_widget_class_install_action (widget_class, "history.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "history.copy-hex", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "history.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "history.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "history.jump-to-newest", NULL, jump_to_newest_action);
  gtk_widget_class_install_property_action (widget_class, "history.decode-modbus", "decode-modbus");
  gtk_widget_class_install_action (widget_class, "history.show-every-peer", NULL, show_every_peer_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "history.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "history.copy-hex", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, "history.jump-to-newest", NULL);

  _sb_history_view_search_class_init (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-history-view");
}

/* The Copy and Save menus are made when they first open: each page has
 * them, and GTK builds a menu's popover (30-odd widgets) as soon as it is
 * given the model. */
static void
menu_popup_cb (GtkMenuButton *button,
               gpointer       menu)
{
  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
  gtk_menu_button_set_menu_model (button, menu);
}

static void
sb_history_view_init (SbHistoryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->encoding = "UTF-8";
  self->view_mode = SB_VIEW_MODE_TEXT;
  self->selected_serial = -1;
  self->peer_filter = -1;
  self->bound_data_cells = g_hash_table_new (NULL, NULL);

  /* The button shows the name only, to stay narrow; the list describes. */
  sb_encoding_drop_down_setup (self->encoding_dropdown, SB_ENCODING_MODEL_TEXT, NULL, TRUE);
  sb_encoding_drop_down_select (self->encoding_dropdown, self->encoding);
  g_signal_connect_swapped (self->encoding_dropdown, "notify::selected",
                            G_CALLBACK (encoding_selected_cb), self);

  _sb_history_view_add_columns (self);

  /* history → filter (search) → ramp → [slice (pause), while paused] → selection → column view */
  self->filter = gtk_custom_filter_new (_sb_history_view_filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (NULL, NULL);
  gtk_filter_list_model_set_incremental (self->filter_model, TRUE);
  self->ramp_model = sb_ramp_model_new (G_LIST_MODEL (self->filter_model), GTK_WIDGET (self->column_view));
  self->slice_model = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->ramp_model)), 0, G_MAXUINT);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->ramp_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  self->follow = sb_follow_new_for_list (GTK_WIDGET (self->column_view), G_LIST_MODEL (self->selection));
  sb_follow_set_adjustment (self->follow, gtk_scrolled_window_get_vadjustment (self->scroller));
  g_signal_connect_object (self->follow, "notify::following",
                           G_CALLBACK (update_jump_button), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (update_selected_serial), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (update_selected_serial), self, G_CONNECT_SWAPPED);

  _sb_history_view_search_init (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.decode-modbus", FALSE);

  gtk_menu_button_set_create_popup_func (self->copy_button, menu_popup_cb, self->copy_menu, NULL);
  gtk_menu_button_set_create_popup_func (self->export_button, menu_popup_cb, self->export_menu, NULL);
}
