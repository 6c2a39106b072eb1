/* sb-send-panel-setup.c — the panel bound to its SbSessionSetup: the draft, its options, recent sends and snippets
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-encoding-model.h"
#include "sb-send-panel-private.h"

/* --- The setup --- */

void
_sb_send_panel_store_lists (SbSendPanel *self)
{
  g_autoptr(GStrvBuilder) recent = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) snippets = g_strv_builder_new ();
  g_auto(GStrv) recent_v = NULL;
  g_auto(GStrv) snippets_v = NULL;

  if (self->setup == NULL)
    return;
  for (guint i = 0; i < self->recent->len; i++)
    {
      g_autofree char *line = sb_send_message_to_string (g_ptr_array_index (self->recent, i));

      g_strv_builder_add (recent, line);
    }
  for (guint i = 0; i < self->snippets->len; i++)
    {
      g_autofree char *line = sb_send_message_to_string (g_ptr_array_index (self->snippets, i));

      g_strv_builder_add (snippets, line);
    }
  recent_v = g_strv_builder_end (recent);
  snippets_v = g_strv_builder_end (snippets);
  self->syncing = TRUE;
  g_object_set (self->setup, "send-recent", recent_v, "snippets", snippets_v, NULL);
  self->syncing = FALSE;
}

void
_sb_send_panel_load_lists (SbSendPanel *self)
{
  g_auto(GStrv) recent = NULL;
  g_auto(GStrv) snippets = NULL;

  if (self->setup == NULL || self->syncing)
    return;
  g_object_get (self->setup, "send-recent", &recent, "snippets", &snippets, NULL);
  g_ptr_array_set_size (self->recent, 0);
  for (guint i = 0; recent != NULL && recent[i] != NULL; i++)
    g_ptr_array_add (self->recent, sb_send_message_parse (recent[i]));
  g_ptr_array_set_size (self->snippets, 0);
  for (guint i = 0; snippets != NULL && snippets[i] != NULL; i++)
    g_ptr_array_add (self->snippets, sb_send_message_parse (snippets[i]));
  self->recall_index = -1;
  _sb_send_panel_rebuild_recent_menu (self);
  _sb_send_panel_rebuild_snippets (self);
}

static gboolean
hex_to_selected (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_uint (to, g_value_get_boolean (from) ? 1 : 0);
  return TRUE;
}

static gboolean
selected_to_hex (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_uint (from) == 1);
  return TRUE;
}

static void
setup_encoding_cb (SbSendPanel *self)
{
  g_autofree char *encoding = NULL;

  if (self->syncing)
    return;
  g_object_get (self->setup, "send-encoding", &encoding, NULL);
  self->syncing = TRUE;
  if (encoding == NULL || *encoding == '\0' ||
      !sb_encoding_drop_down_select (self->encoding_dropdown, encoding))
    gtk_drop_down_set_selected (self->encoding_dropdown, 0);
  self->syncing = FALSE;
}

void
_sb_send_panel_encoding_selected_cb (SbSendPanel *self)
{
  const char *encoding = sb_encoding_drop_down_get_selected (self->encoding_dropdown);

  _sb_send_panel_update_preview (self);
  if (self->setup == NULL || self->syncing)
    return;
  self->syncing = TRUE;
  g_object_set (self->setup, "send-encoding", encoding ? encoding : "", NULL);
  self->syncing = FALSE;
}

static void
bind (SbSendPanel  *self,
      const char   *source_property,
      gpointer      target,
      const char   *target_property)
{
  g_ptr_array_add (self->bindings,
                   g_object_ref (g_object_bind_property (self->setup, source_property, target, target_property,
                                                         G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE)));
}

void
sb_send_panel_bind_setup (SbSendPanel    *self,
                          SbSessionSetup *setup)
{
  g_return_if_fail (SB_IS_SEND_PANEL (self));
  g_return_if_fail (setup == NULL || SB_IS_SESSION_SETUP (setup));

  if (self->setup == setup)
    return;
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
  if (self->setup != NULL)
    g_signal_handlers_disconnect_by_data (self->setup, self);
  g_set_object (&self->setup, setup);
  if (setup == NULL)
    return;

  /* The draft and its options live in the setup: the widgets show it and
   * write what the person changes back into it. */
  bind (self, "send-text", gtk_text_view_get_buffer (self->text_view), "text");
  g_ptr_array_add (self->bindings,
                   g_object_ref (g_object_bind_property_full (setup, "send-hex", self->mode_dropdown, "selected",
                                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                              hex_to_selected, selected_to_hex, NULL, NULL)));
  bind (self, "send-escapes", self->escapes_check, "active");
  bind (self, "send-line-end", self->line_end_dropdown, "selected");
  bind (self, "send-repeat-ms", self->interval_spin, "value");
  bind (self, "send-repeat-count", self->count_spin, "value");
  bind (self, "templates", self->templates_switch, "active");
  g_signal_connect_swapped (setup, "notify::send-encoding", G_CALLBACK (setup_encoding_cb), self);
  g_signal_connect_swapped (setup, "notify::send-recent", G_CALLBACK (_sb_send_panel_load_lists), self);
  g_signal_connect_swapped (setup, "notify::snippets", G_CALLBACK (_sb_send_panel_load_lists), self);
  setup_encoding_cb (self);
  _sb_send_panel_load_lists (self);
  _sb_send_panel_update_preview (self);
}
