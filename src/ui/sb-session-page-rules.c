/* sb-session-page-rules.c — the session page's auto-reply pane
 *
 * The rules live in the page's setup (its SbResponder answers); this pane
 * only shows and edits them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-session-page-private.h"

static const SbEncodingInfo *
rule_encoding_at (guint index)
{
  guint n = 0, k = 0;
  const SbEncodingInfo *table = sb_codec_get_encodings (&n);

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (table[i].name, SB_ENCODING_HEX) == 0)
        continue;
      if (k++ == index)
        return &table[i];
    }
  return NULL;
}

static void
remove_rule_clicked_cb (GtkButton     *button,
                        SbSessionPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  SbResponder *responder = sb_session_setup_get_responder (self->setup);

  /* The list is rebuilt when the rules change. */
  if (index >= 0 && (guint) index < sb_responder_get_n_rules (responder))
    sb_responder_remove_rule (responder, index);
}

void
_sb_session_page_rebuild_rules_list (SbSessionPage *self)
{
  SbResponder *responder = sb_session_setup_get_responder (self->setup);
  GtkWidget *child;
  guint n = sb_responder_get_n_rules (responder);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list))) != NULL)
    gtk_list_box_remove (self->rules_list, child);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = sb_auto_reply_rule_describe (sb_responder_get_rule (responder, i));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove this rule"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove this rule"), -1);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_rule_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_list_box_append (self->rules_list, box);
    }

  if (n == 0)
    {
      GtkWidget *label = gtk_label_new (_("No rules: nothing is answered automatically"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_append (self->rules_list, label);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (gtk_widget_get_parent (label)), FALSE);
    }
}

static gboolean
add_rule (SbSessionPage         *self,
          const SbAutoReplyRule *rule)
{
  g_autoptr(GError) error = NULL;

  if (!sb_responder_add_rule (sb_session_setup_get_responder (self->setup), rule, &error))
    {
      gtk_label_set_text (self->rule_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->rule_error_label), TRUE);
      return FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->rule_error_label), FALSE);
  return TRUE;
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const SbEncodingInfo *info = rule_encoding_at (gtk_drop_down_get_selected (self->rule_encoding_dropdown));
  g_autoptr(SbAutoReplyRule) rule =
    sb_auto_reply_rule_new (gtk_drop_down_get_selected (self->trigger_dropdown),
                            gtk_editable_get_text (GTK_EDITABLE (self->pattern_entry)),
                            gtk_editable_get_text (GTK_EDITABLE (self->reply_entry)),
                            info ? info->name : "UTF-8");

  rule->reply_hex = gtk_check_button_get_active (self->reply_hex_check);
  rule->close_after = gtk_check_button_get_active (self->close_after_check);
  if (add_rule (self, rule))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->pattern_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), "");
    }
}

static void
rule_template_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  g_autoptr(SbAutoReplyRule) rule = NULL;

  if (g_str_equal (name, "greet-close"))
    {
      rule = sb_auto_reply_rule_new (SB_TRIGGER_ON_CONNECT, NULL, "你好，欢迎连接服务端！Hello!\\n", "UTF-8");
      rule->close_after = TRUE;
    }
  else if (g_str_equal (name, "gbk-ack"))
    rule = sb_auto_reply_rule_new (SB_TRIGGER_ANY, NULL, "服务端收到信息啦！", "GBK");
  else
    rule = sb_auto_reply_rule_new (SB_TRIGGER_ECHO, NULL, NULL, "UTF-8");
  add_rule (self, rule);
}

static void
responder_error_cb (SbSessionPage *self,
                    GParamSpec    *pspec,
                    SbResponder   *responder)
{
  const GError *error = sb_responder_get_error (responder);

  if (error != NULL)
    sb_session_page_show_message (self, error->message);
}

void
_sb_session_page_init_rules (SbSessionPage *self)
{
  g_autoptr(GtkStringList) encodings = gtk_string_list_new (NULL);
  SbResponder *responder = sb_session_setup_get_responder (self->setup);
  const SbEncodingInfo *info;

  for (guint i = 0; (info = rule_encoding_at (i)) != NULL; i++)
    gtk_string_list_append (encodings, info->name);
  gtk_drop_down_set_model (self->rule_encoding_dropdown, G_LIST_MODEL (encodings));

  g_signal_connect_object (responder, "rules-changed",
                           G_CALLBACK (_sb_session_page_rebuild_rules_list), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (responder, "notify::error",
                           G_CALLBACK (responder_error_cb), self, G_CONNECT_SWAPPED);
  _sb_session_page_rebuild_rules_list (self);
}

void
_sb_session_page_class_init_rules (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "page.rule-template", "s", rule_template_action);
}
