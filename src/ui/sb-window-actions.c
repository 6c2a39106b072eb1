/* sb-window-actions.c — the window's actions: sessions, tabs, presets, examples
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-examples-window.h"
#include "sb-new-session-dialog.h"
#include "sb-preset.h"
#include "sb-presets-dialog.h"
#include "sb-window-private.h"

/* Actions */

static void
on_dialog_create (SbWindow            *self,
                  const SbSessionSpec *spec,
                  gboolean             start)
{
  SbOpenOptions options = { NULL, -1, NULL, start };

  sb_window_open_spec (self, spec, &options);
}

static void
new_session_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  SbNewSessionDialog *dialog = sb_new_session_dialog_new (GTK_WINDOW (self), self->settings);

  g_signal_connect_object (dialog, "create", G_CALLBACK (on_dialog_create), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_uri_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;
  SbOpenOptions options = { NULL, -1, NULL, TRUE };

  if (!(spec = sb_session_spec_parse (g_variant_get_string (param, NULL), &error)))
    {
      sb_window_show_error (self, error->message);
      return;
    }

  sb_window_open_spec (self, spec, &options);
}

/* win.close-tab asks before it stops a running session;
 * win.force-close-tab (tests, scripts) does not. */
static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  SbSessionPage *page = sb_window_get_current_page (self);

  if (page == NULL)
    return;

  if (g_str_equal (action_name, "win.force-close-tab"))
    sb_window_close_page (self, page);
  else
    _sb_window_request_close_page (self, page);
}

static void
dismiss_banner_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);

  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
}

/* Presets */

static const char *
presets_dir (SbWindow *self)
{
  return self->presets_dir;
}

static void
preset_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_preset_save_file_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the preset: %s"), error->message);

      sb_window_show_error (self, message);
    }
}

static void
save_preset_to_file (SbWindow *self,
                     GFile    *file)
{
  g_autoptr(GKeyFile) keyfile = sb_window_save_state (self);

  sb_preset_save_file_async (file, keyfile, self->cancellable,
                             preset_saved_cb, g_object_ref (self));
}

/* win.save-preset-to ("/path/or/uri"): what Save Current… and Export…
 * write, without a dialog (tests, scripts). */
static void
save_preset_to_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  const char *location = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;

  if (*location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  save_preset_to_file (SB_WINDOW (widget), file);
}

static void
on_save_name_activate (GtkWidget *widget)
{
  GtkWidget *dialog = GTK_WIDGET (gtk_widget_get_root (widget));
  SbWindow *self = SB_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  GtkLabel *error_label = g_object_get_data (G_OBJECT (dialog), "error");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (!(file = sb_preset_get_file (presets_dir (self), name, &error)))
    {
      gtk_label_set_text (error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (entry));
      return;
    }

  save_preset_to_file (self, file);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
new_small_dialog (SbWindow   *self,
                  const char *title,
                  GtkWidget **header_out)
{
  GtkWidget *dialog = gtk_window_new ();
  GtkWidget *header = gtk_header_bar_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (dialog), title);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_titlebar (GTK_WINDOW (dialog), header);

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (dialog, keys);

  *header_out = header;
  return dialog;
}

static void
save_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkWidget *header;
  GtkWidget *dialog = new_small_dialog (self, _("Save Preset"), &header);
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("Preset _name"));
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *error_label = gtk_label_new (NULL);
  GtkWidget *hint = gtk_label_new (_("Saves every tab’s set-up, auto-reply rules and send texts; open it again from Presets → Open."));

  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), save);
  g_signal_connect (save, "clicked", G_CALLBACK (on_save_name_activate), NULL);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_size_request (entry, 320, -1);
  gtk_label_set_xalign (GTK_LABEL (error_label), 0);
  gtk_label_set_wrap (GTK_LABEL (error_label), TRUE);
  gtk_widget_add_css_class (error_label, "error");
  gtk_widget_set_visible (error_label, FALSE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 40);
  gtk_widget_add_css_class (hint, "dim-label");

  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), error_label);
  gtk_box_append (GTK_BOX (box), hint);
  gtk_window_set_child (GTK_WINDOW (dialog), box);
  gtk_window_set_default_widget (GTK_WINDOW (dialog), save);

  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "error", error_label);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Opening a preset */

static void
preset_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;

  if (!(keyfile = sb_preset_load_file_finish (result, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not open the preset: %s"), error->message);

          sb_window_show_error (self, message);
        }
      return;
    }

  sb_window_load_state (self, keyfile, &error);
  if (error != NULL)
    sb_window_show_error (self, error->message);
}

void
sb_window_open_preset_file (SbWindow *self,
                            GFile    *file)
{
  g_return_if_fail (SB_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  sb_preset_load_file_async (file, self->cancellable, preset_loaded_cb, g_object_ref (self));
}

/* win.open-preset-file ("/path/or/uri"): opens any preset file, as
 * `sockbench --preset FILE` does. */
static void
open_preset_file_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  const char *location = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;

  if (*location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  sb_window_open_preset_file (SB_WINDOW (widget), file);
}

static void
presets_dialog_failed_cb (SbWindow   *self,
                          const char *message)
{
  sb_window_show_error (self, message);
}

static void
open_preset_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  SbPresetsDialog *dialog = sb_presets_dialog_new (GTK_WINDOW (self), presets_dir (self));

  g_signal_connect_object (dialog, "open", G_CALLBACK (sb_window_open_preset_file), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "failed", G_CALLBACK (presets_dialog_failed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Import and export */

static GtkFileFilter *
preset_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Sockbench presets"));
  gtk_file_filter_add_pattern (filter, "*" SB_PRESET_SUFFIX);

  return filter;
}

typedef struct
{
  SbWindow *window;
  char     *name;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->window);
  g_free (data->name);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportData, import_data_free)

static void
import_saved_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_preset_save_file_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not import the preset: %s"), error->message);

          sb_window_show_error (data->window, message);
        }
      return;
    }

  /* Show it among the others. */
  gtk_widget_activate_action (GTK_WIDGET (data->window), "win.open-preset", NULL);
}

static void
import_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ImportData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(GFile) target = NULL;

  if (!(keyfile = sb_preset_load_file_finish (result, &error)) ||
      !(target = sb_preset_get_file (presets_dir (data->window), data->name, &error)))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not import the preset: %s"), error->message);

          sb_window_show_error (data->window, message);
        }
      return;
    }

  sb_preset_save_file_async (target, keyfile, data->window->cancellable,
                             import_saved_cb, g_steal_pointer (&data));
}

static void
on_import_response (GtkNativeDialog *chooser,
                    int              response,
                    SbWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      g_autofree char *basename = g_file_get_basename (file);
      g_autofree char *name = sb_preset_name_from_path (basename);
      ImportData *data;

      if (name == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("“%s” cannot be used as a preset name."), basename);

          sb_window_show_error (self, message);
        }
      else
        {
          data = g_new0 (ImportData, 1);
          data->window = g_object_ref (self);
          data->name = g_steal_pointer (&name);
          sb_preset_load_file_async (file, self->cancellable, import_loaded_cb, data);
        }
    }

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_preset_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = preset_filter ();

  chooser = gtk_file_chooser_native_new (_("Import Preset"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    SbWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    save_preset_to_file (self, file);

  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_preset_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = preset_filter ();
  g_autofree char *name = g_strconcat (_("Sessions"), SB_PRESET_SUFFIX, NULL);

  chooser = gtk_file_chooser_native_new (_("Export Preset"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Help → Examples */

static void
examples_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  sb_examples_window_present_for (GTK_WINDOW (widget));
}

/* Help → Keyboard Shortcuts, built the first time it is asked for */

static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/io/github/sockbench/Sockbench/sb-help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

void
_sb_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_help_overlay_action);
  gtk_widget_class_install_action (widget_class, "win.new-session", NULL, new_session_action);
  gtk_widget_class_install_action (widget_class, "win.open-uri", "s", open_uri_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.force-close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-banner", NULL, dismiss_banner_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset", NULL, save_preset_action);
  gtk_widget_class_install_action (widget_class, "win.save-preset-to", "s", save_preset_to_action);
  gtk_widget_class_install_action (widget_class, "win.open-preset", NULL, open_preset_action);
  gtk_widget_class_install_action (widget_class, "win.open-preset-file", "s", open_preset_file_action);
  gtk_widget_class_install_action (widget_class, "win.import-preset", NULL, import_preset_action);
  gtk_widget_class_install_action (widget_class, "win.export-preset", NULL, export_preset_action);
  gtk_widget_class_install_action (widget_class, "win.examples", NULL, examples_action);
}
