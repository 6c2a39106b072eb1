/* sb-send-panel-recall.c — the send panel's earlier sends: the menu, Up and Down
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-send-panel-private.h"

/* --- Recall --- */

void
_sb_send_panel_rebuild_recent_menu (SbSendPanel *self)
{
  g_menu_remove_all (self->recent_menu);
  for (guint i = self->recent->len; i > 0; i--)
    {
      const SbSendMessage *message = g_ptr_array_index (self->recent, i - 1);
      g_autofree char *label = sb_send_message_dup_label (message, 40);
      g_autoptr(GMenuItem) item = NULL;

      item = g_menu_item_new (NULL, NULL);
      /* Set as an attribute, not a label: a "_" in a message is no mnemonic. */
      g_menu_item_set_attribute (item, G_MENU_ATTRIBUTE_LABEL, "s", label);
      g_menu_item_set_action_and_target (item, "send-panel.recall", "u", i - 1);
      g_menu_append_item (self->recent_menu, item);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_button), self->recent->len > 0);
}

void
_sb_send_panel_remember (SbSendPanel         *self,
                         const SbSendMessage *message)
{
  if (message == NULL || *message->text == '\0')
    return;
  for (guint i = 0; i < self->recent->len; i++)
    if (sb_send_message_equal (g_ptr_array_index (self->recent, i), message))
      {
        g_ptr_array_remove_index (self->recent, i);
        break;
      }
  g_ptr_array_add (self->recent, sb_send_message_copy (message));
  if (self->recent->len > MAX_RECENT)
    g_ptr_array_remove_index (self->recent, 0);
  self->recall_index = -1;
  _sb_send_panel_rebuild_recent_menu (self);
  _sb_send_panel_store_lists (self);
}

static void
recall (SbSendPanel *self,
        int          index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter end;

  if (index < 0 || index >= (int) self->recent->len)
    return;
  _sb_send_panel_load_message (self, g_ptr_array_index (self->recent, index));
  self->recall_index = index;
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
}

static gboolean
recall_step (SbSendPanel *self,
             int          step)
{
  int index;

  if (self->recent->len == 0)
    return FALSE;
  if (self->recall_index < 0)
    index = step < 0 ? (int) self->recent->len - 1 : -1;
  else
    index = self->recall_index + step;
  if (index < 0 || index >= (int) self->recent->len)
    {
      if (step > 0 && self->recall_index >= 0)
        {
          /* Past the newest: back to an empty editor. */
          self->recall_index = -1;
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", -1);
          return TRUE;
        }
      return FALSE;
    }
  recall (self, index);
  return TRUE;
}

gboolean
_sb_send_panel_text_key_pressed_cb (SbSendPanel           *self,
                                    guint                  keyval,
                                    guint                  keycode,
                                    GdkModifierType        state,
                                    GtkEventControllerKey *controller)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter cursor;
  gboolean alt = (state & GDK_ALT_MASK) != 0;
  int step;

  /* Ctrl+Enter sends, here where the text view would insert a newline. */
  if ((state & GDK_CONTROL_MASK) &&
      (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "send-panel.send", NULL);
      return TRUE;
    }
  if (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK))
    return FALSE;
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    step = -1;
  else if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    step = 1;
  else
    return FALSE;

  if (!alt)
    {
      /* Plain Up/Down recall only at the edge of the text, so moving
       * between lines of a multi-line message still works. */
      if (gtk_text_buffer_get_has_selection (buffer))
        return FALSE;
      gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
      if (step < 0 && gtk_text_iter_get_line (&cursor) != 0)
        return FALSE;
      if (step > 0 && gtk_text_iter_get_line (&cursor) != gtk_text_buffer_get_line_count (buffer) - 1)
        return FALSE;
      if (step > 0 && self->recall_index < 0)
        return FALSE;
    }
  return recall_step (self, step);
}

void
_sb_send_panel_recall_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  recall (SB_SEND_PANEL (widget), (int) g_variant_get_uint32 (param));
}

