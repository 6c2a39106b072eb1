/* sb-relay-panel.c — a relay page's faults and intercept
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-relay-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "sb-codec.h"
#include "sb-relay-panel.h"
#include "sb-relay.h"
#include "sb-session-setup.h"
#include "sb-template.h"

typedef enum
{
  ROW_DELAY,
  ROW_JITTER,
  ROW_LOSS,
  ROW_SPLIT,
  ROW_RATE,
  ROW_CORRUPT,
  ROW_RESET_AFTER,
  ROW_SILENT,
  N_ROWS
} Row;

static const struct
{
  const char *label;
  double      max;
  double      step;
  guint       digits;
} rows[N_ROWS] = {
  [ROW_DELAY]       = { N_("Delay (ms)"), 600000, 10, 0 },
  [ROW_JITTER]      = { N_("Jitter (± ms)"), 600000, 1, 0 },
  [ROW_LOSS]        = { N_("Drop datagrams (%)"), 100, 1, 1 },
  [ROW_SPLIT]       = { N_("Split into pieces of (bytes, 0: off)"), 1024 * 1024, 1, 0 },
  [ROW_RATE]        = { N_("Bandwidth (bytes/s, 0: no cap)"), G_MAXUINT32, 1000, 0 },
  [ROW_CORRUPT]     = { N_("Corrupt writes (%)"), 100, 1, 1 },
  [ROW_RESET_AFTER] = { N_("Reset after (bytes, 0: never)"), 1e12, 100, 0 },
  [ROW_SILENT]      = { N_("Silent (held open, nothing passed on)"), 0, 0, 0 },
};

struct _SbRelayPanel
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkWidget      *box;
  GtkGrid        *faults_grid;
  GtkLabel       *error_label;
  GtkCheckButton *intercept_up;
  GtkCheckButton *intercept_down;
  GtkWidget      *held_box;
  GtkLabel       *held_label;
  GtkEntry       *held_entry;
  GtkCheckButton *hex_check;
  GtkCheckButton *template_check;
  GtkLabel       *held_error;
  GtkDropDown    *rule_direction;
  GtkEntry       *rule_match;
  GtkEntry       *rule_replace;
  GtkLabel       *rules_label;

  /* Built in init: [row][direction] */
  GtkWidget      *row_labels[N_ROWS];
  GtkWidget      *cells[N_ROWS][SB_RELAY_N_DIRECTIONS];

  /* Owned */
  SbSession      *session;
  SbSessionSetup *setup;
  SbPeer         *held_peer;
  GBytes         *held;
  SbRelayDirection held_direction;
  char           *held_text;
  /* Rule*, applied to each new session of the page */
  GPtrArray      *rules;
  guint           filling : 1;
};

G_DEFINE_FINAL_TYPE (SbRelayPanel, sb_relay_panel, GTK_TYPE_WIDGET)

enum {
  LAYOUT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_held_visible (SbRelayPanel *self,
                  gboolean      visible)
{
  if (gtk_widget_get_visible (self->held_box) == visible)
    return;
  gtk_widget_set_visible (self->held_box, visible);
  g_signal_emit (self, signals[LAYOUT_CHANGED], 0);
}

static void
expanded_cb (SbRelayPanel *self)
{
  g_signal_emit (self, signals[LAYOUT_CHANGED], 0);
}

static gboolean
is_relay (SbSession *session)
{
  return session != NULL && sb_kind_is_relay (sb_session_get_kind (session));
}

/* --- Faults --- */

static void
read_faults (SbRelayPanel     *self,
             SbRelayDirection  d,
             SbRelayFaults    *faults)
{
  GtkSpinButton *spin;

  memset (faults, 0, sizeof *faults);
#define VALUE(row) (spin = GTK_SPIN_BUTTON (self->cells[row][d]), gtk_spin_button_get_value (spin))
  faults->delay_ms = (guint) VALUE (ROW_DELAY);
  faults->jitter_ms = (guint) VALUE (ROW_JITTER);
  faults->loss = VALUE (ROW_LOSS);
  faults->split = (gsize) VALUE (ROW_SPLIT);
  faults->split_gap_ms = SB_RELAY_DEFAULT_SPLIT_GAP_MS;
  faults->rate = (guint64) VALUE (ROW_RATE);
  faults->corrupt = VALUE (ROW_CORRUPT);
  faults->reset_after = (guint64) VALUE (ROW_RESET_AFTER);
#undef VALUE
  faults->silent = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->cells[ROW_SILENT][d]));

  /* The rows this kind hides do nothing. */
  if (self->session != NULL && sb_session_get_kind (self->session) == SB_KIND_RELAY_UDP)
    faults->reset_after = 0;
  else
    faults->loss = 0;
}

static void
apply_faults (SbRelayPanel *self)
{
  g_autoptr(GError) error = NULL;

  if (!is_relay (self->session))
    return;

  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS && error == NULL; d++)
    {
      SbRelayFaults faults;

      read_faults (self, d, &faults);
      sb_session_relay_set_faults (self->session, d, &faults, &error);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (self->error_label, error->message);
}

static void sync_setup (SbRelayPanel *self);

static void
fault_changed_cb (SbRelayPanel *self)
{
  if (self->filling)
    return;
  apply_faults (self);
  sync_setup (self);
}

static void
build_rows (SbRelayPanel *self)
{
  for (guint r = 0; r < N_ROWS; r++)
    {
      GtkWidget *label = gtk_label_new (_(rows[r].label));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_grid_attach (self->faults_grid, label, 0, r + 1, 1, 1);
      self->row_labels[r] = label;

      for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
        {
          g_autofree char *name = g_strdup_printf ("%s, %s", _(rows[r].label), sb_relay_direction_get_label (d));
          GtkWidget *cell;

          if (r == ROW_SILENT)
            {
              cell = gtk_check_button_new ();
              g_signal_connect_swapped (cell, "toggled", G_CALLBACK (fault_changed_cb), self);
            }
          else
            {
              cell = gtk_spin_button_new_with_range (0, rows[r].max, rows[r].step);
              gtk_spin_button_set_digits (GTK_SPIN_BUTTON (cell), rows[r].digits);
              g_signal_connect_swapped (cell, "value-changed", G_CALLBACK (fault_changed_cb), self);
            }
          gtk_accessible_update_property (GTK_ACCESSIBLE (cell), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_grid_attach (self->faults_grid, cell, d + 1, r + 1, 1, 1);
          self->cells[r][d] = cell;
        }
    }
}

static void
update_rows (SbRelayPanel *self)
{
  gboolean datagram = self->session != NULL && sb_session_get_kind (self->session) == SB_KIND_RELAY_UDP;

  for (guint r = 0; r < N_ROWS; r++)
    {
      gboolean visible = r == ROW_LOSS ? datagram : r == ROW_RESET_AFTER ? !datagram : TRUE;

      gtk_widget_set_visible (self->row_labels[r], visible);
      for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
        gtk_widget_set_visible (self->cells[r][d], visible);
    }
}

/* --- Rewrite rules --- */

typedef struct
{
  SbRelayDirection direction;
  GBytes          *match;
  GBytes          *replace;
  char            *text;
  char            *option;    /* "c2s:FROM=TO", as the setup keeps it */
} Rule;

static void
rule_free (Rule *rule)
{
  g_bytes_unref (rule->match);
  g_bytes_unref (rule->replace);
  g_free (rule->text);
  g_free (rule->option);
  g_free (rule);
}

static Rule *
rule_new (SbRelayDirection  direction,
          GBytes           *match,
          GBytes           *replace,
          const char       *match_text,
          const char       *replace_text)
{
  Rule *rule = g_new0 (Rule, 1);
  g_autoptr(GString) from = g_string_new (match_text);

  rule->direction = direction;
  rule->match = g_bytes_ref (match);
  rule->replace = g_bytes_ref (replace);
  /* Translators: a rewrite rule: its direction, what it finds, what it puts instead */
  rule->text = g_strdup_printf (_("%s: “%s” → “%s”"), sb_relay_direction_get_label (direction),
                                match_text, replace_text);
  /* An "=" in what is found would end it early in the option. */
  g_string_replace (from, "=", "\\x3d", 0);
  rule->option = g_strdup_printf ("%s%s=%s", direction == SB_RELAY_TO_CLIENT ? "s2c:" : "c2s:",
                                  from->str, replace_text);
  return rule;
}

static void read_faults (SbRelayPanel *self, SbRelayDirection d, SbRelayFaults *faults);

/* The page's setup keeps the faults and rules, so presets and a later
 * session of the page have them. */
static void
sync_setup (SbRelayPanel *self)
{
  g_autoptr(SbRelayOptions) options = sb_relay_options_new ();
  g_auto(GStrv) strv = NULL;

  if (self->setup == NULL || self->filling)
    return;
  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    read_faults (self, d, &options->faults[d]);
  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *option = g_strconcat ("rewrite=", rule->option, NULL);

      sb_relay_options_add (options, option, NULL);
    }
  strv = sb_relay_options_to_strv (options);
  sb_session_setup_set_relay (self->setup, (const char * const *) strv, NULL);
}

static void
update_rules_label (SbRelayPanel *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, rule->text);
    }
  gtk_label_set_text (self->rules_label, text->len > 0 ? text->str : _("No rules: everything is passed on as it was read."));
}

static void
apply_rules (SbRelayPanel *self)
{
  if (!is_relay (self->session))
    return;

  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    sb_session_relay_clear_rewrites (self->session, d);
  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);

      sb_session_relay_add_rewrite (self->session, rule->direction, rule->match, rule->replace, NULL);
    }
}

static void
add_rule (SbRelayPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) match = NULL;
  g_autoptr(GBytes) replace = NULL;
  const char *match_text = gtk_editable_get_text (GTK_EDITABLE (self->rule_match));
  const char *replace_text = gtk_editable_get_text (GTK_EDITABLE (self->rule_replace));
  Rule *rule;

  if ((match = sb_codec_encode_escaped ("UTF-8", match_text, -1, NULL, &error)) != NULL &&
      g_bytes_get_size (match) == 0)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _("A rewrite needs something to look for: the match is empty"));
  if (error == NULL)
    replace = sb_codec_encode_escaped ("UTF-8", replace_text, -1, NULL, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      return;
    }

  rule = rule_new (gtk_drop_down_get_selected (self->rule_direction) == 1 ? SB_RELAY_TO_CLIENT : SB_RELAY_TO_SERVER,
                   match, replace, match_text, replace_text);
  g_ptr_array_add (self->rules, rule);
  if (is_relay (self->session))
    sb_session_relay_add_rewrite (self->session, rule->direction, rule->match, rule->replace, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->rule_match), "");
  gtk_editable_set_text (GTK_EDITABLE (self->rule_replace), "");
  update_rules_label (self);
  sync_setup (self);
  g_signal_emit (self, signals[LAYOUT_CHANGED], 0);
}

static void
add_rule_cb (SbRelayPanel *self)
{
  add_rule (self);
}

static void
add_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  add_rule (SB_RELAY_PANEL (widget));
}

static void
clear_rules_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SbRelayPanel *self = SB_RELAY_PANEL (widget);

  g_ptr_array_set_size (self->rules, 0);
  apply_rules (self);
  update_rules_label (self);
  sync_setup (self);
  g_signal_emit (self, signals[LAYOUT_CHANGED], 0);
}

/* --- Intercept --- */

static char *
format_bytes (SbRelayPanel *self,
              GBytes       *bytes)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (gtk_check_button_get_active (self->hex_check))
    return sb_codec_format_hex (data, len);
  return sb_codec_decode ("UTF-8", data, len, SB_DECODE_ESCAPE_CONTROLS, NULL);
}

static void
show_held (SbRelayPanel     *self,
           SbPeer           *peer,
           SbRelayDirection  direction,
           GBytes           *held)
{
  g_autofree char *label = NULL;

  if (held == NULL)
    {
      g_clear_object (&self->held_peer);
      g_clear_pointer (&self->held, g_bytes_unref);
      g_clear_pointer (&self->held_text, g_free);
      set_held_visible (self, FALSE);
      return;
    }

  /* Still the same frame: keep what is being typed. */
  if (peer == self->held_peer && direction == self->held_direction &&
      self->held != NULL && g_bytes_equal (held, self->held))
    return;

  g_set_object (&self->held_peer, peer);
  g_clear_pointer (&self->held, g_bytes_unref);
  self->held = g_bytes_ref (held);
  self->held_direction = direction;
  g_free (self->held_text);
  self->held_text = format_bytes (self, held);

  /* Translators: “Held: 5 bytes from 127.0.0.1:40000 (client → server)” */
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Held: %" PRIu64 " byte from %s (%s)",
                                        "Held: %" PRIu64 " bytes from %s (%s)",
                                        g_bytes_get_size (held)),
                           (guint64) g_bytes_get_size (held), sb_peer_get_label (peer),
                           sb_relay_direction_get_label (direction));
  gtk_label_set_text (self->held_label, label);
  gtk_editable_set_text (GTK_EDITABLE (self->held_entry), self->held_text);
  gtk_widget_set_visible (GTK_WIDGET (self->held_error), FALSE);
  set_held_visible (self, TRUE);
}

static void
refresh_held (SbRelayPanel *self)
{
  GListModel *peers;

  if (!is_relay (self->session))
    {
      show_held (self, NULL, 0, NULL);
      return;
    }

  peers = sb_session_get_peers (self->session);
  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    {
      if (!sb_session_relay_get_intercept (self->session, d))
        continue;
      for (guint i = 0; i < g_list_model_get_n_items (peers); i++)
        {
          g_autoptr(SbPeer) peer = g_list_model_get_item (peers, i);
          g_autoptr(GBytes) held = sb_session_relay_dup_held (self->session, peer, d);

          if (held != NULL)
            {
              show_held (self, peer, d, held);
              return;
            }
        }
    }

  show_held (self, NULL, 0, NULL);
}

static void
history_changed_cb (SbRelayPanel *self)
{
  refresh_held (self);
}

static void
apply_intercept (SbRelayPanel *self)
{
  if (!is_relay (self->session))
    return;

  sb_session_relay_set_intercept (self->session, SB_RELAY_TO_SERVER,
                                  gtk_check_button_get_active (self->intercept_up), NULL);
  sb_session_relay_set_intercept (self->session, SB_RELAY_TO_CLIENT,
                                  gtk_check_button_get_active (self->intercept_down), NULL);
  refresh_held (self);
}

static void
intercept_toggled_cb (SbRelayPanel *self)
{
  apply_intercept (self);
}

static void
hex_toggled_cb (SbRelayPanel *self)
{
  g_autoptr(GBytes) held = self->held ? g_bytes_ref (self->held) : NULL;

  if (held == NULL)
    return;
  g_free (self->held_text);
  self->held_text = format_bytes (self, held);
  gtk_editable_set_text (GTK_EDITABLE (self->held_entry), self->held_text);
}

static void
release (SbRelayPanel *self,
         gboolean      drop)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) edit = NULL;
  g_autoptr(SbPeer) peer = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->held_entry));

  if (self->held_peer == NULL || self->session == NULL)
    return;

  if (!drop && gtk_check_button_get_active (self->template_check))
    {
      /* ${rx} is the held read, as a rule's reply sees the frame it answers. */
      SbTemplateContext context = { .rx = self->held };
      g_autoptr(SbTemplate) template = sb_template_parse (text, gtk_check_button_get_active (self->hex_check)
                                                                ? SB_TEMPLATE_HEX : SB_TEMPLATE_TEXT,
                                                          "UTF-8", NULL, &error);

      if (template != NULL)
        edit = sb_template_expand (template, NULL, &context, &error);
      if (edit == NULL)
        {
          gtk_label_set_text (self->held_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->held_error), TRUE);
          return;
        }
    }
  else if (!drop)
    {
      edit = gtk_check_button_get_active (self->hex_check)
             ? sb_codec_parse_hex (text, NULL, &error)
             : sb_codec_encode_escaped ("UTF-8", text, -1, NULL, &error);
      if (edit == NULL)
        {
          gtk_label_set_text (self->held_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->held_error), TRUE);
          return;
        }
    }

  peer = g_object_ref (self->held_peer);
  show_held (self, NULL, 0, NULL);
  if (!sb_session_relay_release (self->session, peer, self->held_direction, edit, drop, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
  refresh_held (self);
}

static void
held_activate_cb (SbRelayPanel *self)
{
  release (self, FALSE);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  release (SB_RELAY_PANEL (widget), FALSE);
}

static void
drop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  release (SB_RELAY_PANEL (widget), TRUE);
}

/* --- Public --- */

void
sb_relay_panel_set_session (SbRelayPanel *self,
                            SbSession    *session)
{
  g_return_if_fail (SB_IS_RELAY_PANEL (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (sb_session_get_history (self->session), self);
      g_signal_handlers_disconnect_by_data (sb_session_get_peers (self->session), self);
    }
  g_set_object (&self->session, session);
  show_held (self, NULL, 0, NULL);

  if (is_relay (session))
    {
      g_signal_connect_object (sb_session_get_history (session), "items-changed",
                               G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sb_session_get_peers (session), "items-changed",
                               G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);
      update_rows (self);
      /* A new session of the page starts with the page's faults. */
      apply_faults (self);
      apply_rules (self);
      apply_intercept (self);
    }
}

/* The widgets and rules as the setup says; nothing is written back meanwhile. */
static void
fill_from_setup (SbRelayPanel *self)
{
  g_autoptr(SbRelayOptions) options = sb_relay_options_new ();

  if (!sb_relay_options_add_all (options, sb_session_setup_get_relay (self->setup), NULL))
    return;

  self->filling = TRUE;
  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    {
      const SbRelayFaults *f = &options->faults[d];
      const double values[] = {
        [ROW_DELAY] = f->delay_ms, [ROW_JITTER] = f->jitter_ms, [ROW_LOSS] = f->loss,
        [ROW_SPLIT] = f->split, [ROW_RATE] = f->rate, [ROW_CORRUPT] = f->corrupt,
        [ROW_RESET_AFTER] = f->reset_after,
      };

      for (guint r = 0; r < ROW_SILENT; r++)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->cells[r][d]), values[r]);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->cells[ROW_SILENT][d]), f->silent);
    }

  g_ptr_array_set_size (self->rules, 0);
  for (guint i = 0; i < options->rules->len; i++)
    {
      SbRelayRule *option = g_ptr_array_index (options->rules, i);
      const char *text = option->text;
      g_autofree char *from = NULL;
      const char *eq;

      if (g_str_has_prefix (text, "c2s:") || g_str_has_prefix (text, "s2c:"))
        text += 4;
      /* The option's own "=" ("=" in FROM is written \x3d). */
      eq = strchr (text, '=');
      from = g_strndup (text, eq - text);
      /* A rule for both directions is two rules here. */
      for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
        if (option->direction == SB_RELAY_N_DIRECTIONS || option->direction == d)
          g_ptr_array_add (self->rules, rule_new (d, option->match, option->replace, from, eq + 1));
    }
  update_rules_label (self);
  self->filling = FALSE;
}

void
sb_relay_panel_set_setup (SbRelayPanel   *self,
                          SbSessionSetup *setup)
{
  g_return_if_fail (SB_IS_RELAY_PANEL (self));
  g_return_if_fail (setup == NULL || SB_IS_SESSION_SETUP (setup));

  if (!g_set_object (&self->setup, setup) || setup == NULL)
    return;
  fill_from_setup (self);
  apply_faults (self);
  apply_rules (self);
}

const char *
sb_relay_panel_get_held_text (SbRelayPanel *self)
{
  g_return_val_if_fail (SB_IS_RELAY_PANEL (self), NULL);

  return self->held != NULL ? gtk_editable_get_text (GTK_EDITABLE (self->held_entry)) : "";
}

static void
sb_relay_panel_dispose (GObject *object)
{
  SbRelayPanel *self = SB_RELAY_PANEL (object);

  sb_relay_panel_set_session (self, NULL);
  g_clear_object (&self->setup);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_RELAY_PANEL);

  G_OBJECT_CLASS (sb_relay_panel_parent_class)->dispose (object);
}

static void
sb_relay_panel_class_init (SbRelayPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_relay_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sockbench/Sockbench/page/sb-relay-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, box);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, faults_grid);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, intercept_up);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, intercept_down);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, held_box);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, held_label);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, held_entry);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, hex_check);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, template_check);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, held_error);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, rule_direction);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, rule_match);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, rule_replace);
  gtk_widget_class_bind_template_child (widget_class, SbRelayPanel, rules_label);
  gtk_widget_class_bind_template_callback (widget_class, intercept_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, hex_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, held_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, expanded_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_rule_cb);

  /* The held read or the faults appeared or went: the page gives the
   * panel the height it needs. */
  signals[LAYOUT_CHANGED] =
    g_signal_new ("layout-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "relay.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "relay.drop", NULL, drop_action);
  gtk_widget_class_install_action (widget_class, "relay.add-rule", NULL, add_rule_action);
  gtk_widget_class_install_action (widget_class, "relay.clear-rules", NULL, clear_rules_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sb_relay_panel_init (SbRelayPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  build_rows (self);
  update_rows (self);
  update_rules_label (self);
}
