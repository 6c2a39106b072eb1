/* sb-history-view-search.c — the history view's search bar, matches and filter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-follow.h"
#include "sb-history-view-private.h"

/* --- Scrolling --- */

void
_sb_history_view_scroll_to (SbHistoryView *self,
                            guint          position)
{
  sb_follow_scroll_list_to (GTK_WIDGET (self->column_view), position);
}

/* --- Search --- */

static gboolean
matches_search (SbHistoryView *self,
                gpointer       item)
{
  g_autoptr(GBytes) raw = NULL;
  gsize len = 0;
  const guint8 *bytes;

  if (self->search == NULL || !gtk_check_button_get_active (self->filter_check))
    return TRUE;
  if (!SB_IS_FRAME_ITEM (item))
    return sb_search_matches_item (self->search, item);
  if (!sb_search_has_pattern (self->search))
    return TRUE;
  /* A frame matches by its own bytes, wherever its reads were cut. */
  raw = sb_frame_item_dup_raw (item);
  bytes = raw ? g_bytes_get_data (raw, &len) : NULL;
  return bytes != NULL && sb_search_matches_bytes (self->search, bytes, len);
}

gboolean
_sb_history_view_filter_func (gpointer item,
                              gpointer user_data)
{
  SbHistoryView *self = user_data;

  if (self->peer_filter >= 0)
    {
      guint peer = _sb_history_view_item_peer (item);

      /* The session's own events (peer 0) stay: they say what happened. */
      if (peer != (guint) self->peer_filter &&
          !(peer == 0 && !SB_IS_FRAME_ITEM (item)))
        return FALSE;
    }
  /* Only frames whose check failed. */
  if (gtk_check_button_get_active (self->bad_check))
    {
      SbCheckStatus status = SB_IS_FRAME_ITEM (item) ? sb_frame_item_get_check (item, NULL) : SB_CHECK_NONE;

      if (status != SB_CHECK_BAD && status != SB_CHECK_SHORT)
        return FALSE;
    }
  return matches_search (self, item);
}

void
_sb_history_view_update_filter (SbHistoryView *self)
{
  gboolean active = gtk_check_button_get_active (self->filter_check) ||
                    gtk_check_button_get_active (self->bad_check) ||
                    self->peer_filter >= 0;
  GtkFilter *wanted = active ? GTK_FILTER (self->filter) : NULL;

  if (gtk_filter_list_model_get_filter (self->filter_model) != wanted)
    gtk_filter_list_model_set_filter (self->filter_model, wanted);
  else if (wanted != NULL)
    gtk_filter_changed (wanted, GTK_FILTER_CHANGE_DIFFERENT);
}

void
_sb_history_view_update_matches_label (SbHistoryView *self)
{
  guint n = self->search ? sb_search_get_n_matches (self->search) : 0;

  g_clear_pointer (&self->match_text, g_free);

  if (self->search == NULL || !sb_search_has_pattern (self->search))
    self->match_text = g_strdup ("");
  else if (n == 0)
    self->match_text = g_strdup (sb_search_get_scanning (self->search) ? _("Searching…") : _("No matches"));
  else if (self->has_current)
    {
      guint index = sb_search_find_index (self->search, self->current_match);
      /* Translators: "3 of 12 matches" */
      self->match_text = g_strdup_printf (ngettext ("%u of %u match", "%u of %u matches", n),
                                          MIN (index + 1, n), n);
    }
  else
    self->match_text = g_strdup_printf (ngettext ("%u match", "%u matches", n), n);

  gtk_label_set_text (self->match_label, self->match_text);
}

void
_sb_history_view_restart_search (SbHistoryView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean hex = gtk_check_button_get_active (self->search_hex);
  g_autoptr(GError) error = NULL;

  self->has_current = FALSE;
  gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
  if (self->search != NULL &&
      !sb_search_set_pattern (self->search, text, hex, self->encoding, &error))
    gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");

  if (gtk_filter_list_model_get_filter (self->filter_model) != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  _sb_history_view_update_matches_label (self);
  if (error != NULL)
    gtk_label_set_text (self->match_label, error->message);
}

void
sb_history_view_search (SbHistoryView *self,
                        const char    *pattern,
                        gboolean       hex)
{
  g_return_if_fail (SB_IS_HISTORY_VIEW (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_check_button_set_active (self->search_hex, hex);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), pattern ? pattern : "");
  _sb_history_view_restart_search (self);
}

const char *
sb_history_view_get_match_text (SbHistoryView *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_VIEW (self), NULL);
  return self->match_text ? self->match_text : "";
}

/* Frames are in the order of their first read, then of their number. */
static gboolean
position_for_frame (SbHistoryView *self,
                    guint64        first_serial,
                    guint64        number,
                    guint         *position)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint lo = 0, hi = g_list_model_get_n_items (model);

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      g_autoptr(SbFrameItem) item = g_list_model_get_item (model, mid);
      guint64 s = sb_frame_item_get_first_serial (item);
      guint64 n = sb_frame_item_get_number (item);

      if (s == first_serial && n == number)
        {
          *position = mid;
          return TRUE;
        }
      if (s < first_serial || (s == first_serial && n < number))
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

gboolean
_sb_history_view_position_for_serial (SbHistoryView *self,
                                      guint64        serial,
                                      guint         *position)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint lo = 0, hi = g_list_model_get_n_items (model);

  if (self->frames_mode)
    {
      /* The first frame holding bytes of the read. */
      g_autoptr(GArray) found = sb_frames_find_read (self->frames, serial);

      for (guint i = 0; i < found->len; i++)
        {
          g_autoptr(SbFrameItem) frame =
            g_list_model_get_item (G_LIST_MODEL (self->frames), g_array_index (found, guint, i));

          if (frame != NULL &&
              position_for_frame (self, sb_frame_item_get_first_serial (frame),
                                  sb_frame_item_get_number (frame), position))
            return TRUE;
        }
      return FALSE;
    }

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      g_autoptr(SbHistoryItem) item = g_list_model_get_item (model, mid);
      guint64 s = sb_history_item_get_serial (item);

      if (s == serial)
        {
          *position = mid;
          return TRUE;
        }
      if (s < serial)
        lo = mid + 1;
      else
        hi = mid;
    }
  return FALSE;
}

/* Frames mode: the shown position of frame number @number. */
static gboolean
position_for_number (SbHistoryView *self,
                     guint64        number,
                     guint         *position)
{
  g_autoptr(SbFrameItem) frame = NULL;
  guint at;

  if (!sb_frames_find_number (self->frames, number, &at))
    return FALSE;
  frame = g_list_model_get_item (G_LIST_MODEL (self->frames), at);
  return frame != NULL &&
         position_for_frame (self, sb_frame_item_get_first_serial (frame), number, position);
}

/* Where stepping through matches starts: the current match, else the
 * first selected row (its serial, or its frame number), else -1. */
static gint64
step_origin (SbHistoryView *self)
{
  GtkBitset *sel;
  gint64 from = -1;

  if (self->has_current)
    return (gint64) self->current_match;
  if (!self->frames_mode)
    return self->selected_serial;
  sel = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (!gtk_bitset_is_empty (sel))
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                       gtk_bitset_get_minimum (sel));

      if (item != NULL && SB_IS_FRAME_ITEM (item))
        from = (gint64) sb_frame_item_get_number (SB_FRAME_ITEM (item));
    }
  gtk_bitset_unref (sel);
  return from;
}

static void
go_to_match (SbHistoryView *self,
             gboolean       forward)
{
  gint64 from = step_origin (self);   /* or from the start / the end */
  guint64 serial;
  guint position;
  gboolean found;

  if (self->search == NULL || !sb_search_step (self->search, from, forward, &serial))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  self->current_match = serial;
  self->has_current = TRUE;
  _sb_history_view_update_matches_label (self);

  /* A match is a frame number in frames mode. */
  if (self->frames_mode)
    found = position_for_number (self, serial, &position);
  else
    found = _sb_history_view_position_for_serial (self, serial, &position);
  if (found)
    {
      sb_follow_set_following (self->follow, FALSE);
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
      _sb_history_view_scroll_to (self, position);
    }
}

static void
search_changed_cb (SbHistoryView *self)
{
  _sb_history_view_restart_search (self);
}

static void
search_activate_cb (SbHistoryView *self)
{
  go_to_match (self, TRUE);
}

static void
search_next_cb (SbHistoryView *self)
{
  go_to_match (self, TRUE);
}

static void
search_previous_cb (SbHistoryView *self)
{
  go_to_match (self, FALSE);
}

static void
search_stop_cb (SbHistoryView *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
filter_toggled_cb (SbHistoryView *self)
{
  _sb_history_view_update_filter (self);
}

static void
search_mode_changed_cb (SbHistoryView *self)
{
  /* Closing the search bar ends the search and its filter. */
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_check_button_set_active (self->filter_check, FALSE);
      gtk_check_button_set_active (self->bad_check, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
    }
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SbHistoryView *self = SB_HISTORY_VIEW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  go_to_match (SB_HISTORY_VIEW (widget), g_str_equal (action_name, "history.find-next"));
}

void
_sb_history_view_search_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_toggled_cb);

  gtk_widget_class_install_action (widget_class, "history.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "history.find-next", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "history.find-previous", NULL, find_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "history.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "history.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "history.find-previous", NULL);
}

void
_sb_history_view_search_init (SbHistoryView *self)
{
  GtkEventController *shortcuts;

  g_signal_connect_object (self->search_bar, "notify::search-mode-enabled",
                           G_CALLBACK (search_mode_changed_cb), self, G_CONNECT_SWAPPED);
  /* Shift+Enter in the entry goes back, as Enter goes forward. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("history.find-previous")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("history.find-previous")));
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), shortcuts);
  gtk_search_bar_set_key_capture_widget (self->search_bar, NULL);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  _sb_history_view_update_matches_label (self);
}
