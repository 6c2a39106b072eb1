/* sb-scenario-pane.c — the session page's Scenario pane
 *
 * The editor is a plain GtkTextView (line numbers in its left gutter, the
 * line the script is at as a paragraph background); its text is the
 * setup's "scenario", so presets keep it. The script runs as a coroutine
 * on this thread's main loop (SbScenario yields every 10 ms even in an
 * endless loop), so the window never freezes and Stop always works.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario-pane"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-export.h"
#include "sb-scenario-pane.h"
#include "sb-scenario-python.h"

#define EXAMPLES_PATH "/io/github/sockbench/Sockbench/scenarios/"
#define DEFAULT_NAME "scenario.lua"

struct _SbScenarioPane
{
  GtkWidget             parent_instance;

  /* Template widgets */
  GtkWidget            *toolbar;
  GtkWidget            *run_button;
  GtkWidget            *continue_button;
  GtkWidget            *step_button;
  GtkWidget            *stop_button;
  GtkLabel             *state_label;
  GtkMenuButton        *menu_button;
  GtkWidget            *paned;
  GtkTextView          *editor;
  GtkLabel             *summary_label;
  GtkListBox           *results_list;

  /* Owned */
  SbScenario           *scenario;
  SbSessionSetup       *setup;
  SbSession            *session;
  GBinding             *text_binding;
  GtkWidget            *gutter;          /* line numbers */
  GtkTextTag           *line_tag;        /* the line the script is at */
  char                 *name;            /* the example's file name, or NULL */
  char                 *summary;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (SbScenarioPane, sb_scenario_pane, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SETUP,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The shipped examples, in the menu's order, with their titles. */
static const struct
{
  const char *file;
  const char *title;
} examples[] = {
  { "tcp-echo-client.lua", N_("TCP Echo Client") },
  { "tcp-echo-server.lua", N_("TCP Echo Server") },
  { "udp-client.lua",      N_("UDP Client") },
  { "udp-server.lua",      N_("UDP Server") },
  { "modbus-poll.lua",     N_("Modbus/TCP Poll Loop") },
  { "at-commands.lua",     N_("AT-Command Dialogue") },
  { "load.lua",            N_("Load: 100 Connections") },
};

static const char *
script_name (SbScenarioPane *self)
{
  return self->name != NULL ? self->name : DEFAULT_NAME;
}

static char *
buffer_text (SbScenarioPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

/* --- The summary and the results --- */

static void
set_summary (SbScenarioPane *self,
             const char     *text,
             gboolean        is_error)
{
  g_free (self->summary);
  self->summary = g_strdup (text);
  gtk_label_set_label (self->summary_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
}

static void
clear_results (SbScenarioPane *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results_list))) != NULL)
    gtk_list_box_remove (self->results_list, child);
}

static void
add_result (SbScenarioPane *self,
            const char     *name,
            gboolean        passed,
            const char     *message,
            guint           line)
{
  g_autofree char *text = NULL;
  GtkWidget *row;
  GtkWidget *label;

  if (passed)
    /* Translators: a passed test in the Scenario pane */
    text = g_strdup_printf (_("✔ %s"), name);
  else if (line > 0)
    /* Translators: a failed test: its name, why, and the line */
    text = g_strdup_printf (_("✘ %s — %s, line %u"), name, message ? message : "", line);
  else
    /* Translators: a failed test: its name and why */
    text = g_strdup_printf (_("✘ %s — %s"), name, message ? message : "");

  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_widget_set_margin_top (label, 2);
  gtk_widget_set_margin_bottom (label, 2);
  gtk_widget_add_css_class (label, passed ? "success" : "error");

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), !passed && line > 0);
  if (!passed && line > 0)
    gtk_widget_set_tooltip_text (row, _("Go to this line"));
  g_object_set_data (G_OBJECT (row), "sb-line", GUINT_TO_POINTER (line));
  gtk_list_box_append (self->results_list, row);
}

static void
row_activated_cb (SbScenarioPane *self,
                  GtkListBoxRow  *row)
{
  guint line = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "sb-line"));

  if (line > 0)
    {
      sb_scenario_pane_go_to_line (self, line);
      gtk_widget_grab_focus (GTK_WIDGET (self->editor));
    }
}

/* --- The current line --- */

static void update_state (SbScenarioPane *self);

static void
clear_line (SbScenarioPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->line_tag, &start, &end);
}

static void
line_changed_cb (SbScenarioPane *self,
                 guint           line)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor);
  GtkTextIter start, end;

  update_state (self);
  clear_line (self);
  if (line == 0 || (int) line > gtk_text_buffer_get_line_count (buffer))
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &start, line - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  gtk_text_iter_forward_char (&end);
  gtk_text_buffer_apply_tag (buffer, self->line_tag, &start, &end);
  gtk_text_view_scroll_to_iter (self->editor, &start, 0.1, FALSE, 0, 0);
}

/* --- State --- */

static void
update_state (SbScenarioPane *self)
{
  SbScenarioState state = sb_scenario_get_state (self->scenario);
  gboolean busy = state == SB_SCENARIO_STATE_RUNNING || state == SB_SCENARIO_STATE_PAUSED;
  gboolean paused = state == SB_SCENARIO_STATE_PAUSED;
  g_autofree char *text = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scenario.run", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scenario.continue", paused);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scenario.stop", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scenario.open-example", !busy);
  gtk_widget_set_visible (self->run_button, !paused);
  gtk_widget_set_visible (self->continue_button, paused);

  if (state == SB_SCENARIO_STATE_RUNNING)
    /* Translators: the Scenario pane's state */
    text = g_strdup (_("Running…"));
  else if (paused)
    /* Translators: the Scenario pane's state while stepping */
    text = g_strdup_printf (_("Paused at line %u"), sb_scenario_get_line (self->scenario));
  gtk_label_set_label (self->state_label, text ? text : "");

  if (!busy)
    clear_line (self);
}

static void
test_finished_cb (SbScenarioPane *self,
                  const char     *name,
                  gboolean        passed,
                  const char     *message,
                  guint           line)
{
  add_result (self, name, passed, message, line);
}

static void
finished_cb (SbScenarioPane *self,
             const char     *summary)
{
  guint n = sb_scenario_get_n_results (self->scenario);

  /* The final list, as the scenario has it (results outside any test too). */
  clear_results (self);
  for (guint i = 0; i < n; i++)
    {
      const SbScenarioResult *result = sb_scenario_get_result (self->scenario, i);

      add_result (self, result->name, result->passed, result->message, result->line);
    }
  set_summary (self, summary, sb_scenario_get_n_failed (self->scenario) > 0);
}

/* Goes to the line a syntax error names ("NAME:LINE: …"), if it does. */
static void
show_load_error (SbScenarioPane *self,
                 const GError   *error)
{
  g_autofree char *key = g_strconcat (script_name (self), ":", NULL);
  const char *at = strstr (error->message, key);

  set_summary (self, error->message, TRUE);
  if (at != NULL)
    {
      guint64 line = g_ascii_strtoull (at + strlen (key), NULL, 10);

      if (line > 0 && line < G_MAXUINT)
        sb_scenario_pane_go_to_line (self, (guint) line);
    }
}

/* Loads the editor's text for a new run; FALSE (shown) when it cannot. */
static gboolean
prepare (SbScenarioPane *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = buffer_text (self);

  clear_results (self);
  set_summary (self, "", FALSE);
  if (!sb_scenario_load_text (self->scenario, text, script_name (self), &error))
    {
      show_load_error (self, error);
      return FALSE;
    }
  sb_scenario_set_session (self->scenario, self->session);
  sb_scenario_set_framing (self->scenario,
                           self->setup ? sb_session_setup_get_framing (self->setup) : NULL);
  return TRUE;
}

/* --- Actions --- */

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (widget);
  g_autoptr(GError) error = NULL;

  if (!prepare (self))
    return;
  if (!sb_scenario_run (self->scenario, &error))
    set_summary (self, error->message, TRUE);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (widget);
  SbScenarioState state = sb_scenario_get_state (self->scenario);
  g_autoptr(GError) error = NULL;

  if (state != SB_SCENARIO_STATE_PAUSED && state != SB_SCENARIO_STATE_RUNNING &&
      !prepare (self))
    return;
  if (!sb_scenario_step (self->scenario, &error))
    set_summary (self, error->message, TRUE);
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  sb_scenario_continue (SB_SCENARIO_PANE (widget)->scenario);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sb_scenario_stop (SB_SCENARIO_PANE (widget)->scenario);
}

static void
open_example_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (widget);
  const char *file = g_variant_get_string (parameter, NULL);
  g_autofree char *path = g_strconcat (EXAMPLES_PATH, file, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor);
  GtkTextIter start, end;
  const char *data;
  gsize len;

  if (strchr (file, '/') != NULL ||
      !(bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error)))
    {
      /* Translators: %s is a file name */
      g_autofree char *message = g_strdup_printf (_("There is no example “%s”"), file);

      set_summary (self, message, TRUE);
      return;
    }

  /* One user action: Undo brings the old script back. */
  data = g_bytes_get_data (bytes, &len);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, data, len);
  gtk_text_buffer_end_user_action (buffer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);

  g_free (self->name);
  self->name = g_strdup (file);
  clear_results (self);
  set_summary (self, "", FALSE);
}

static char *
python_name (SbScenarioPane *self)
{
  g_autofree char *base = g_strdup (script_name (self));
  char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strconcat (base, ".py", NULL);
}

static char *
format_lines (GPtrArray *lines)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      if (i > 0)
        /* Translators: between line numbers in a list */
        g_string_append (out, _(", "));
      g_string_append_printf (out, "%u", GPOINTER_TO_UINT (g_ptr_array_index (lines, i)));
    }
  return g_string_free (out, FALSE);
}

static void
chooser_response_cb (SbScenarioPane       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *python = NULL;
  g_autofree char *display = NULL;
  g_autofree char *message = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;

  text = buffer_text (self);
  python = sb_scenario_to_python (text, script_name (self), &lines);
  display = g_file_get_parse_name (file);
  if (!sb_export_replace_contents (file, python, strlen (python), &error))
    {
      /* Translators: “Could not save FILE: why” */
      message = g_strdup_printf (_("Could not save %s: %s"), display, error->message);
      set_summary (self, message, TRUE);
      return;
    }

  if (lines != NULL && lines->len > 0)
    {
      g_autofree char *list = format_lines (lines);

      /* Translators: %s is the file, %s a list of line numbers */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Saved %s. Line %s has no Python equivalent: the script stops there.",
                                              "Saved %s. Lines %s have no Python equivalent: the script stops at the first.",
                                              lines->len),
                                 display, list);
    }
  else
    /* Translators: %s is the file */
    message = g_strdup_printf (_("Saved %s."), display);
  set_summary (self, message, FALSE);
}

static void
export_python_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = python_name (self);

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Scenario as Python"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- Line numbers --- */

static void
draw_gutter (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  SbScenarioPane *self = user_data;
  GdkRectangle visible;
  GtkTextIter iter;
  GdkRGBA color;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  gdk_cairo_set_source_rgba (cr, &color);

  gtk_text_view_get_visible_rect (self->editor, &visible);
  gtk_text_view_get_line_at_y (self->editor, &iter, visible.y, NULL);
  for (;;)
    {
      g_autoptr(PangoLayout) layout = NULL;
      g_autofree char *number = NULL;
      int y, line_height, window_y, text_width;

      gtk_text_view_get_line_yrange (self->editor, &iter, &y, &line_height);
      if (y > visible.y + visible.height)
        break;
      gtk_text_view_buffer_to_window_coords (self->editor, GTK_TEXT_WINDOW_LEFT,
                                             0, y, NULL, &window_y);
      number = g_strdup_printf ("%d", gtk_text_iter_get_line (&iter) + 1);
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), number);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      cairo_move_to (cr, width - text_width - 4, window_y);
      pango_cairo_show_layout (cr, layout);
      if (!gtk_text_iter_forward_line (&iter))
        break;
    }
}

static void
update_gutter (SbScenarioPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->editor);
  g_autofree char *widest = g_strdup_printf ("%d", MAX (99, gtk_text_buffer_get_line_count (buffer)));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (self->gutter, widest);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  gtk_widget_set_size_request (self->gutter, width + 8, -1);
  gtk_widget_queue_draw (self->gutter);
}

/* --- Public --- */

void
sb_scenario_pane_set_setup (SbScenarioPane *self,
                            SbSessionSetup *setup)
{
  g_return_if_fail (SB_IS_SCENARIO_PANE (self));
  g_return_if_fail (setup == NULL || SB_IS_SESSION_SETUP (setup));

  if (self->setup == setup)
    return;
  g_clear_pointer (&self->text_binding, g_binding_unbind);
  g_set_object (&self->setup, setup);
  if (setup != NULL)
    self->text_binding = g_object_bind_property (setup, "scenario",
                                                 gtk_text_view_get_buffer (self->editor), "text",
                                                 G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETUP]);
}

void
sb_scenario_pane_set_session (SbScenarioPane *self,
                              SbSession      *session)
{
  g_return_if_fail (SB_IS_SCENARIO_PANE (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));

  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

SbScenario *
sb_scenario_pane_get_scenario (SbScenarioPane *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO_PANE (self), NULL);
  return self->scenario;
}

GtkTextBuffer *
sb_scenario_pane_get_buffer (SbScenarioPane *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO_PANE (self), NULL);
  return gtk_text_view_get_buffer (self->editor);
}

const char *
sb_scenario_pane_get_summary (SbScenarioPane *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO_PANE (self), NULL);
  return self->summary ? self->summary : "";
}

GStrv
sb_scenario_pane_dup_result_texts (SbScenarioPane *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SB_IS_SCENARIO_PANE (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->results_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

      g_strv_builder_add (builder, gtk_label_get_label (GTK_LABEL (label)));
    }
  return g_strv_builder_end (builder);
}

void
sb_scenario_pane_go_to_line (SbScenarioPane *self,
                             guint           line)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_if_fail (SB_IS_SCENARIO_PANE (self));

  buffer = gtk_text_view_get_buffer (self->editor);
  if (line == 0)
    return;
  gtk_text_buffer_get_iter_at_line (buffer, &iter, (int) line - 1);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_view_scroll_to_iter (self->editor, &iter, 0.1, FALSE, 0, 0);
}

GStrv
sb_scenario_pane_list_examples (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    g_strv_builder_add (builder, examples[i].file);
  return g_strv_builder_end (builder);
}

/* --- GObject --- */

static GMenuModel *
build_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) list = g_menu_new ();
  g_autoptr(GMenu) export = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(examples[i].title), NULL);

      g_menu_item_set_action_and_target (item, "scenario.open-example", "s", examples[i].file);
      g_menu_append_item (list, item);
    }
  g_menu_append_submenu (menu, _("Open _Example"), G_MENU_MODEL (list));
  g_menu_append (export, _("Export as _Python…"), "scenario.export-python");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (export));
  return G_MENU_MODEL (menu);
}

static gboolean
sb_scenario_pane_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (SB_SCENARIO_PANE (widget)->editor));
}

static void
sb_scenario_pane_dispose (GObject *object)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (object);

  if (self->scenario != NULL)
    {
      /* No signals into a pane that goes. */
      g_signal_handlers_disconnect_by_data (self->scenario, self);
      sb_scenario_stop (self->scenario);
      g_clear_object (&self->scenario);
    }
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->text_binding, g_binding_unbind);
  g_clear_object (&self->setup);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_SCENARIO_PANE);

  G_OBJECT_CLASS (sb_scenario_pane_parent_class)->dispose (object);
}

static void
sb_scenario_pane_finalize (GObject *object)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (sb_scenario_pane_parent_class)->finalize (object);
}

static void
sb_scenario_pane_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (object);

  switch (prop_id)
    {
    case PROP_SETUP:
      g_value_set_object (value, self->setup);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_scenario_pane_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SbScenarioPane *self = SB_SCENARIO_PANE (object);

  switch (prop_id)
    {
    case PROP_SETUP:
      sb_scenario_pane_set_setup (self, g_value_get_object (value));
      break;
    case PROP_SESSION:
      sb_scenario_pane_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_scenario_pane_class_init (SbScenarioPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sb_scenario_pane_dispose;
  object_class->finalize = sb_scenario_pane_finalize;
  object_class->get_property = sb_scenario_pane_get_property;
  object_class->set_property = sb_scenario_pane_set_property;

  properties[PROP_SETUP] =
    g_param_spec_object ("setup", NULL, NULL, SB_TYPE_SESSION_SETUP, rw);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->grab_focus = sb_scenario_pane_grab_focus;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/page/sb-scenario-pane.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "scenariopane");
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, toolbar);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, run_button);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, continue_button);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, step_button);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, stop_button);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, state_label);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, menu_button);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, paned);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, editor);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SbScenarioPane, results_list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "scenario.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "scenario.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "scenario.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "scenario.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "scenario.open-example", "s", open_example_action);
  gtk_widget_class_install_action (widget_class, "scenario.export-python", NULL, export_python_action);

  /* While the focus is in the pane: Shift+Escape stops (Ctrl+Enter runs,
   * see init: the editor would take it for a new line). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, GDK_SHIFT_MASK, "scenario.stop", NULL);
}

static void
sb_scenario_pane_init (SbScenarioPane *self)
{
  g_autoptr(GMenuModel) menu = NULL;
  GtkEventController *shortcuts;
  GtkTextBuffer *buffer;
  GtkAdjustment *vadjustment;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  /* Before the editor sees it. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                                                       gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                                                          gtk_named_action_new ("scenario.run")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  menu = build_menu ();
  gtk_menu_button_set_menu_model (self->menu_button, menu);

  buffer = gtk_text_view_get_buffer (self->editor);
  self->line_tag = gtk_text_buffer_create_tag (buffer, "current-line",
                                               "paragraph-background", "rgba(53,132,228,0.25)",
                                               NULL);

  self->gutter = gtk_drawing_area_new ();
  gtk_widget_add_css_class (self->gutter, "dim-label");
  gtk_widget_add_css_class (self->gutter, "monospace");
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->gutter), draw_gutter, self, NULL);
  gtk_text_view_set_gutter (self->editor, GTK_TEXT_WINDOW_LEFT, self->gutter);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (update_gutter), self, G_CONNECT_SWAPPED);
  vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->editor));
  g_signal_connect_object (vadjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw),
                           self->gutter, G_CONNECT_SWAPPED);
  update_gutter (self);

  self->scenario = sb_scenario_new ();
  g_signal_connect_object (self->scenario, "notify::state", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scenario, "line-changed", G_CALLBACK (line_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scenario, "test-finished", G_CALLBACK (test_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scenario, "finished", G_CALLBACK (finished_cb), self, G_CONNECT_SWAPPED);
  update_state (self);
}
