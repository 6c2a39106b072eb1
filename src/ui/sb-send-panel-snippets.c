/* sb-send-panel-snippets.c — the send panel's named snippets
 *
 * A snippet is a saved message with a name (sb-send-message.h), sent with
 * one click in the Snippets popover or with Alt+1…9; the list lives in the
 * setup's "snippets", so presets keep it. The Modbus menu fills the message
 * with a request template (sb-modbus.h). Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-modbus.h"

#include "sb-send-panel-private.h"

static GtkWidget *
snippet_row (SbSendPanel         *self,
             const SbSendMessage *snippet,
             guint                index)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *send = gtk_button_new ();
  GtkWidget *label_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name, *preview, *remove;
  g_autofree char *text = sb_send_message_dup_label (snippet, 32);
  g_autofree char *title = NULL;
  g_autofree char *tooltip = NULL;

  if (index < MAX_SNIPPET_KEYS)
    /* Translators: a snippet in the list: its shortcut number and its name */
    title = g_strdup_printf (_("%u. %s"), index + 1, snippet->name);
  else
    title = g_strdup (snippet->name);
  name = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  preview = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_ellipsize (GTK_LABEL (preview), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (preview, "dim-label");
  gtk_widget_add_css_class (preview, "caption");
  gtk_box_append (GTK_BOX (label_box), name);
  gtk_box_append (GTK_BOX (label_box), preview);
  gtk_button_set_child (GTK_BUTTON (send), label_box);
  gtk_widget_set_hexpand (send, TRUE);
  gtk_widget_add_css_class (send, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (send), "send-panel.send-snippet");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (send), "u", index);
  if (index < MAX_SNIPPET_KEYS)
    /* Translators: tooltip of a snippet, %u is 1–9 */
    tooltip = g_strdup_printf (_("Send this snippet (Alt+%u)"), index + 1);
  else
    tooltip = g_strdup (_("Send this snippet"));
  gtk_widget_set_tooltip_text (send, tooltip);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove this snippet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove this snippet"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "send-panel.remove-snippet");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", index);

  gtk_box_append (GTK_BOX (box), send);
  gtk_box_append (GTK_BOX (box), remove);
  return box;
}

void
_sb_send_panel_rebuild_snippets (SbSendPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->snippets_list))) != NULL)
    gtk_list_box_remove (self->snippets_list, child);
  for (guint i = 0; i < self->snippets->len; i++)
    gtk_list_box_append (self->snippets_list, snippet_row (self, g_ptr_array_index (self->snippets, i), i));
  gtk_widget_set_visible (GTK_WIDGET (self->snippets_list), self->snippets->len > 0);
}

void
_sb_send_panel_save_snippet_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  SbSendPanel *self = SB_SEND_PANEL (widget);
  g_autoptr(SbSendMessage) message = _sb_send_panel_dup_message (self);
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->snippet_name_entry))));

  if (*message->text == '\0')
    {
      _sb_send_panel_show_error (self, _("Type a message to save as a snippet"));
      return;
    }
  g_free (message->name);
  message->name = *name ? g_steal_pointer (&name) : sb_send_message_dup_label (message, 24);

  /* The same name again replaces that snippet. */
  for (guint i = 0; i < self->snippets->len; i++)
    {
      SbSendMessage *old = g_ptr_array_index (self->snippets, i);

      if (g_str_equal (old->name, message->name))
        {
          g_ptr_array_index (self->snippets, i) = g_steal_pointer (&message);
          sb_send_message_free (old);
          break;
        }
    }
  if (message != NULL)
    g_ptr_array_add (self->snippets, g_steal_pointer (&message));
  gtk_editable_set_text (GTK_EDITABLE (self->snippet_name_entry), "");
  _sb_send_panel_rebuild_snippets (self);
  _sb_send_panel_store_lists (self);
}

void
_sb_send_panel_send_snippet_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  SbSendPanel *self = SB_SEND_PANEL (widget);
  guint index = g_variant_get_uint32 (param);

  if (index >= self->snippets->len)
    return;
  gtk_menu_button_popdown (self->snippets_button);
  _sb_send_panel_send_message (self, g_ptr_array_index (self->snippets, index), FALSE);
}

void
_sb_send_panel_remove_snippet_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  SbSendPanel *self = SB_SEND_PANEL (widget);
  guint index = g_variant_get_uint32 (param);

  if (index >= self->snippets->len)
    return;
  g_ptr_array_remove_index (self->snippets, index);
  _sb_send_panel_rebuild_snippets (self);
  _sb_send_panel_store_lists (self);
}

/* --- Modbus request templates --- */

/* A request line with example values for each of its fields. */
static char *
example_line (const char *request)
{
  g_autoptr(GString) line = g_string_new (request);
  g_auto(GStrv) fields = g_strsplit (sb_modbus_request_get_fields (request), " ", -1);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *eq = strchr (fields[i], '=');
      g_autofree char *key = eq ? g_strndup (fields[i], eq - fields[i]) : g_strdup (fields[i]);
      const char *value = "0";

      if (g_str_equal (key, "unit"))
        value = "1";
      else if (g_str_equal (key, "count"))
        value = "10";
      else if (g_str_equal (key, "values"))
        value = "1,2,3";
      g_string_append_printf (line, " %s=%s", key, value);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

GMenuModel *
_sb_send_panel_modbus_menu_new (void)
{
  GMenu *menu = g_menu_new ();
  const SbModbusFraming framings[] = { SB_MODBUS_TCP, SB_MODBUS_RTU };
  /* Translators: menu sections of Modbus request templates */
  const char *titles[] = { N_("Modbus/TCP"), N_("Modbus RTU") };

  for (guint i = 0; i < G_N_ELEMENTS (framings); i++)
    {
      g_autoptr(GMenu) section = g_menu_new ();
      const char * const *requests = sb_modbus_list_requests ();

      for (guint k = 0; requests[k] != NULL; k++)
        {
          g_autoptr(GMenuItem) item = g_menu_item_new (sb_modbus_request_get_title (requests[k]), NULL);
          g_autofree char *target = g_strdup_printf ("%s %s", sb_modbus_framing_to_string (framings[i]), requests[k]);

          g_menu_item_set_action_and_target (item, "send-panel.modbus", "s", target);
          g_menu_append_item (section, item);
        }
      g_menu_append_section (menu, _(titles[i]), G_MENU_MODEL (section));
    }
  return G_MENU_MODEL (menu);
}

void
_sb_send_panel_modbus_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  SbSendPanel *self = SB_SEND_PANEL (widget);
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (param, NULL), " ", 2);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *template = NULL;
  SbModbusFraming framing;

  if (g_strv_length (parts) != 2 || !sb_modbus_framing_from_string (parts[0], &framing))
    return;
  line = example_line (parts[1]);
  template = sb_modbus_request_template (framing, line, &error);
  if (template == NULL)
    {
      _sb_send_panel_show_error (self, error->message);
      return;
    }
  /* The request is a hex template: the MBAP length and id, or the CRC,
   * are filled in when it is sent. */
  gtk_switch_set_active (self->templates_switch, TRUE);
  sb_send_panel_set_hex (self, TRUE);
  sb_send_panel_set_text (self, template);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}
