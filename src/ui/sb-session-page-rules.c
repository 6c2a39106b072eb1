/* sb-session-page-rules.c — the session page's auto-reply pane
 *
 * The rules live in the page's setup (its SbResponder answers); this pane
 * only shows and edits them. The Auto-reply button counts the rules; each
 * reply a rule sends is followed in the history by an event that says so.
 * The pane (sb-session-page-rules.ui) is made when the button first opens:
 * ~190 widgets that most pages never show.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-encoding-model.h"
#include "sb-session-page-private.h"

static gboolean
trigger_has_pattern (SbTrigger trigger)
{
  return trigger == SB_TRIGGER_CONTAINS || trigger == SB_TRIGGER_HEX_EQUALS || trigger == SB_TRIGGER_REGEX;
}

static void
stop_editing (SbSessionPage *self)
{
  self->editing_rule = -1;
  gtk_button_set_label (self->add_rule_button, _("_Add Rule"));
}

/* The pattern means nothing for "A peer connects", echo and any; nor the
 * frame filter for "A peer connects". */
static void
trigger_changed_cb (SbSessionPage *self)
{
  guint trigger = gtk_drop_down_get_selected (self->trigger_dropdown);

  gtk_widget_set_sensitive (GTK_WIDGET (self->pattern_entry), trigger_has_pattern (trigger));
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_filter_dropdown), trigger != SB_TRIGGER_ON_CONNECT);
}

/* The frame filter is offered while the page verifies frames. */
static void
check_changed_cb (SbSessionPage *self)
{
  const char *check = sb_session_setup_get_check (self->setup);
  gboolean shown = check != NULL && *check != '\0';

  if (self->auto_reply_popover == NULL)
    return;

  gtk_widget_set_visible (self->check_filter_label, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->check_filter_dropdown), shown);
}

static void
edit_rule_clicked_cb (GtkButton     *button,
                      SbSessionPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  int index = gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row));

  if (index >= 0)
    _sb_session_page_edit_rule (self, index);
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
  g_autofree char *button = NULL;
  g_autofree char *tooltip = NULL;

  /* The button says that rules are active, and how many; short, so the
   * status row fits 800 px in every language. */
  if (n > 0)
    {
      /* Translators: the auto-reply button while %u rules are active, “Auto-reply · 2” */
      button = g_strdup_printf (_("_Auto-reply · %u"), n);
      tooltip = g_strdup_printf (ngettext ("%u rule answers peers by itself", "%u rules answer peers by themselves", n), n);
    }
  gtk_menu_button_set_label (self->auto_reply_button, n > 0 ? button : _("_Auto-reply"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->auto_reply_button),
                               n > 0 ? tooltip : _("Rules that answer peers by themselves"));
  if (n > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->auto_reply_button), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->auto_reply_button), "accent");
  if (self->auto_reply_popover == NULL)
    return;
  if (self->editing_rule >= 0 && (guint) self->editing_rule >= n)
    stop_editing (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list))) != NULL)
    gtk_list_box_remove (self->rules_list, child);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = sb_auto_reply_rule_describe (sb_responder_get_rule (responder, i));
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");

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
      gtk_widget_add_css_class (edit, "flat");
      gtk_widget_set_tooltip_text (edit, _("Edit this rule"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Edit this rule"), -1);
      g_signal_connect (edit, "clicked", G_CALLBACK (edit_rule_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), edit);
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

/* Saves the editor to rule @index: the rules are put back in order with
 * the new one in its place. */
static gboolean
replace_rule (SbSessionPage         *self,
              guint                  index,
              const SbAutoReplyRule *rule)
{
  SbResponder *responder = sb_session_setup_get_responder (self->setup);
  g_autoptr(SbResponder) old = sb_responder_new ();
  g_autoptr(GError) error = NULL;
  guint n;

  /* Checked first: on failure the rules stay as they were. */
  if (!sb_responder_add_rule (old, rule, &error))
    {
      gtk_label_set_text (self->rule_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->rule_error_label), TRUE);
      return FALSE;
    }
  sb_responder_clear_rules (old);
  sb_responder_copy_rules (old, responder);
  n = sb_responder_get_n_rules (old);
  sb_responder_clear_rules (responder);
  for (guint i = 0; i < n; i++)
    sb_responder_add_rule (responder, i == index ? rule : sb_responder_get_rule (old, i), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->rule_error_label), FALSE);
  return TRUE;
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *encoding;
  g_autoptr(SbAutoReplyRule) rule = NULL;
  gboolean done;

  _sb_session_page_ensure_rules_pane (self);
  encoding = sb_encoding_drop_down_get_selected (self->rule_encoding_dropdown);
  rule =
    sb_auto_reply_rule_new (gtk_drop_down_get_selected (self->trigger_dropdown),
                            gtk_editable_get_text (GTK_EDITABLE (self->pattern_entry)),
                            gtk_editable_get_text (GTK_EDITABLE (self->reply_entry)),
                            encoding != NULL && encoding[0] != '\0' ? encoding : "UTF-8");

  rule->reply_hex = gtk_check_button_get_active (self->reply_hex_check);
  rule->close_after = gtk_check_button_get_active (self->close_after_check);
  /* Only messages are filtered, and only while the page has a check. */
  if (rule->trigger != SB_TRIGGER_ON_CONNECT &&
      gtk_widget_get_visible (GTK_WIDGET (self->check_filter_dropdown)))
    rule->check_filter = MIN (gtk_drop_down_get_selected (self->check_filter_dropdown),
                              SB_N_CHECK_FILTERS - 1);
  else if (self->editing_rule >= 0)
    rule->check_filter = sb_responder_get_rule (sb_session_setup_get_responder (self->setup),
                                                self->editing_rule)->check_filter;
  if (rule->trigger == SB_TRIGGER_ON_CONNECT)
    rule->check_filter = SB_CHECK_FILTER_NONE;
  if (!trigger_has_pattern (rule->trigger))
    g_clear_pointer (&rule->pattern, g_free);
  if (self->editing_rule >= 0)
    done = replace_rule (self, self->editing_rule, rule);
  else
    done = add_rule (self, rule);
  if (done)
    {
      stop_editing (self);
      gtk_editable_set_text (GTK_EDITABLE (self->pattern_entry), "");
      gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), "");
    }
}

void
_sb_session_page_edit_rule (SbSessionPage *self,
                            guint          index)
{
  SbResponder *responder = sb_session_setup_get_responder (self->setup);
  const SbAutoReplyRule *rule;

  g_return_if_fail (index < sb_responder_get_n_rules (responder));

  _sb_session_page_ensure_rules_pane (self);
  rule = sb_responder_get_rule (responder, index);
  self->editing_rule = index;
  gtk_drop_down_set_selected (self->trigger_dropdown, rule->trigger);
  gtk_editable_set_text (GTK_EDITABLE (self->pattern_entry), rule->pattern ? rule->pattern : "");
  gtk_editable_set_text (GTK_EDITABLE (self->reply_entry), rule->reply ? rule->reply : "");
  sb_encoding_drop_down_select (self->rule_encoding_dropdown, rule->encoding ? rule->encoding : "UTF-8");
  gtk_check_button_set_active (self->reply_hex_check, rule->reply_hex);
  gtk_check_button_set_active (self->close_after_check, rule->close_after);
  gtk_drop_down_set_selected (self->check_filter_dropdown, rule->check_filter);
  gtk_button_set_label (self->add_rule_button, _("_Save Rule"));
  gtk_widget_grab_focus (GTK_WIDGET (self->reply_entry));
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
  /* Where a refused rule is said. */
  _sb_session_page_ensure_rules_pane (self);
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
_sb_session_page_rules_session_replaced (SbSessionPage *self,
                                         gboolean       had_session)
{
  guint n = sb_responder_get_n_rules (sb_session_setup_get_responder (self->setup));
  g_autofree char *text = NULL;

  if (!had_session || n == 0)
    return;
  /* Translators: shown when a new session replaced the page's old one */
  text = g_strdup_printf (ngettext ("The %u auto-reply rule still answers on the new session.",
                                    "The %u auto-reply rules still answer on the new session.", n),
                          n);
  sb_session_page_show_message (self, text);
}

/* A menu's popover is made when it first opens, not with every page. */
static void
templates_popup_cb (GtkMenuButton *button,
                    gpointer       user_data)
{
  SbSessionPage *self = user_data;

  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
  gtk_menu_button_set_menu_model (button, self->templates_menu);
}

void
_sb_session_page_ensure_rules_pane (SbSessionPage *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (self->auto_reply_popover != NULL)
    return;

  builder = gtk_builder_new_from_resource ("/io/github/sockbench/Sockbench/page/sb-session-page-rules.ui");
#define GET(type, name) self->name = type (gtk_builder_get_object (builder, #name))
  GET (GTK_LIST_BOX, rules_list);
  GET (GTK_DROP_DOWN, trigger_dropdown);
  GET (GTK_ENTRY, pattern_entry);
  GET (GTK_ENTRY, reply_entry);
  GET (GTK_DROP_DOWN, rule_encoding_dropdown);
  GET (GTK_CHECK_BUTTON, reply_hex_check);
  GET (GTK_CHECK_BUTTON, close_after_check);
  GET (GTK_WIDGET, check_filter_label);
  GET (GTK_DROP_DOWN, check_filter_dropdown);
  GET (GTK_LABEL, rule_error_label);
  GET (GTK_BUTTON, add_rule_button);
  GET (GTK_MENU_BUTTON, templates_button);
#undef GET
  self->templates_menu = g_object_ref (G_MENU_MODEL (gtk_builder_get_object (builder, "templates_menu")));
  self->auto_reply_popover = g_object_ref (GTK_WIDGET (gtk_builder_get_object (builder, "auto_reply_popover")));
  gtk_menu_button_set_popover (self->auto_reply_button, self->auto_reply_popover);
  gtk_menu_button_set_create_popup_func (self->templates_button, templates_popup_cb, self, NULL);

  sb_encoding_drop_down_setup (self->rule_encoding_dropdown, SB_ENCODING_MODEL_TEXT, NULL, TRUE);
  sb_encoding_drop_down_select (self->rule_encoding_dropdown, "UTF-8");
  g_signal_connect_object (self->trigger_dropdown, "notify::selected",
                           G_CALLBACK (trigger_changed_cb), self, G_CONNECT_SWAPPED);
  trigger_changed_cb (self);
  check_changed_cb (self);
  _sb_session_page_rebuild_rules_list (self);
}

static void
auto_reply_popup_cb (GtkMenuButton *button,
                     gpointer       user_data)
{
  SbSessionPage *self = user_data;

  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
  _sb_session_page_ensure_rules_pane (self);
}

void
_sb_session_page_dispose_rules (SbSessionPage *self)
{
  /* The widgets went with the popover. */
  self->rules_list = NULL;
  self->trigger_dropdown = self->check_filter_dropdown = self->rule_encoding_dropdown = NULL;
  self->pattern_entry = self->reply_entry = NULL;
  self->reply_hex_check = self->close_after_check = NULL;
  self->check_filter_label = NULL;
  self->rule_error_label = NULL;
  self->add_rule_button = NULL;
  self->templates_button = NULL;
  g_clear_object (&self->auto_reply_popover);
  g_clear_object (&self->templates_menu);
}

void
_sb_session_page_init_rules (SbSessionPage *self)
{
  SbResponder *responder = sb_session_setup_get_responder (self->setup);

  gtk_menu_button_set_create_popup_func (self->auto_reply_button, auto_reply_popup_cb, self, NULL);
  g_signal_connect_object (self->setup, "notify::check",
                           G_CALLBACK (check_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (responder, "rules-changed",
                           G_CALLBACK (_sb_session_page_rebuild_rules_list), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (responder, "notify::error",
                           G_CALLBACK (responder_error_cb), self, G_CONNECT_SWAPPED);
  /* The responder runs on the engine's thread: it records its replies there. */
  sb_responder_set_record_replies (responder, TRUE);
  _sb_session_page_rebuild_rules_list (self);
}

void
_sb_session_page_class_init_rules (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "page.rule-template", "s", rule_template_action);
}
