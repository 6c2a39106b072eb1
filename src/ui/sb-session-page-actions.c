/* sb-session-page-actions.c — the session page's actions, export and receive to file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-export.h"
#include "sb-session-page-private.h"

static void
dismiss_message_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  sb_session_page_show_message (SB_SESSION_PAGE (widget), NULL);
}

/* --- Receive to file --- */

/* The toggle follows the capture; it never starts one by itself. */
static void
set_record_button (SbSessionPage *self,
                   gboolean       active)
{
  g_signal_handlers_block_by_func (self->record_button, _sb_session_page_record_toggled_cb, self);
  gtk_toggle_button_set_active (self->record_button, active);
  g_signal_handlers_unblock_by_func (self->record_button, _sb_session_page_record_toggled_cb, self);
}

/* While it records, the page says so: the file, the bytes written, and
 * the toggle becomes its Stop. */
static void
update_capture_indicator (SbSessionPage *self)
{
  gboolean active = sb_capture_is_active (self->capture);
  GFile *file = NULL;

  gtk_button_set_label (GTK_BUTTON (self->record_button), active ? _("Stop Sa_ving") : _("Sa_ve received…"));
  _sb_session_page_set_flow_visible (GTK_WIDGET (self->capture_label), active);
  if (!active)
    return;

  g_object_get (self->capture, "file", &file, NULL);
  {
    g_autoptr(GFile) owned = file;
    g_autofree char *name = owned ? g_file_get_basename (owned) : g_strdup ("");
    g_autofree char *path = owned ? g_file_get_parse_name (owned) : g_strdup ("");
    g_autofree char *size = g_format_size (sb_capture_get_bytes_written (self->capture));
    /* Translators: while received bytes are saved, “Saving to rx.bin · 1.2 kB” */
    g_autofree char *text = g_strdup_printf (_("Saving to %s · %s"), name, size);

    gtk_label_set_text (self->capture_label, text);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->capture_label), path);
  }
}

static void
capture_active_cb (SbSessionPage *self)
{
  set_record_button (self, sb_capture_is_active (self->capture));
  update_capture_indicator (self);
}

static void
capture_error_cb (SbSessionPage *self)
{
  const GError *error = sb_capture_get_error (self->capture);

  if (error == NULL)
    return;
  /* A capture that failed is not resumed by the next Start. */
  sb_session_setup_set_capture_file (self->setup, NULL);
  sb_session_page_show_message (self, error->message);
}

static void
start_capture (SbSessionPage *self,
               GFile         *file,
               SbCaptureMode  mode)
{
  g_autofree char *path = g_file_get_path (file);

  sb_session_setup_set_capture_file (self->setup, path);
  sb_capture_start (self->capture, file, mode);
}

void
_sb_session_page_resume_capture (SbSessionPage *self)
{
  const char *path = sb_session_setup_get_capture_file (self->setup);
  g_autoptr(GFile) file = NULL;

  if (path == NULL || sb_capture_is_active (self->capture))
    return;
  /* A capture named by a preset adds to what is there. */
  file = g_file_new_for_path (path);
  sb_capture_start (self->capture, file, SB_CAPTURE_APPEND);
}

static void
record_chooser_cb (SbSessionPage        *self,
                   int                   response,
                   GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    {
      set_record_button (self, sb_capture_is_active (self->capture));
      return;
    }
  /* The save dialog asked before an existing file is replaced. */
  start_capture (self, file, SB_CAPTURE_REPLACE);
}

void
_sb_session_page_record_toggled_cb (SbSessionPage *self)
{
  if (!gtk_toggle_button_get_active (self->record_button))
    {
      sb_session_setup_set_capture_file (self->setup, NULL);
      sb_capture_stop (self->capture);
      return;
    }
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Received Data"), _sb_session_page_parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "received.bin");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (record_chooser_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* page.capture-to ("/path/or/uri"): receive to a new file, no dialog
 * (tests, scripts). An existing file is refused, never replaced. */
static void
capture_to_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *location = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;

  if (*location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  start_capture (self, file, SB_CAPTURE_NEW);
}

void
_sb_session_page_init_capture (SbSessionPage *self)
{
  self->capture = sb_capture_new ();
  g_signal_connect_object (self->capture, "notify::active", G_CALLBACK (capture_active_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->capture, "notify::error", G_CALLBACK (capture_error_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->capture, "notify::bytes-written", G_CALLBACK (update_capture_indicator), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->capture, "notify::file", G_CALLBACK (update_capture_indicator), self, G_CONNECT_SWAPPED);
  update_capture_indicator (self);
}

/* --- Export --- */

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SbSessionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_export_write_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf (_("The history could not be saved: %s"), error->message);
          sb_session_page_show_message (self, msg);
        }
      return;
    }
  sb_session_page_show_message (self, NULL);
}

static void
export_to_file (SbSessionPage  *self,
                GFile          *file,
                SbExportFormat  format)
{
  g_autoptr(GPtrArray) records = NULL;

  if (self->session == NULL)
    {
      sb_session_page_show_message (self, _("There is no history to save yet"));
      return;
    }

  /* A copy of the records: the writer thread never sees the live history. */
  records = sb_export_snapshot (sb_session_get_history (self->session));
  sb_export_write_async (file, format, sb_session_page_get_encoding (self), records,
                         self->cancellable, export_cb, g_object_ref (self));
}

static void
export_chooser_cb (SbSessionPage        *self,
                   int                   response,
                   GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  SbExportFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "format"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    export_to_file (self, file, format);
}

/* page.export-to ("csv", "/path/or/uri"): no dialog (tests, scripts). */
static void
export_to_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *format_name;
  const char *location;
  SbExportFormat format;
  g_autoptr(GFile) file = NULL;

  g_variant_get (param, "(&s&s)", &format_name, &location);
  if (!sb_export_format_from_string (format_name, &format) || *location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  export_to_file (self, file, format);
}

/* page.send-file-path ("/path/or/uri"): Send a file… without its dialog. */
static void
send_file_path_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  const char *location = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;

  if (*location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  sb_send_panel_send_file (self->send_panel, file);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  SbExportFormat format;
  g_autofree char *name = NULL;

  if (!sb_export_format_from_string (g_variant_get_string (param, NULL), &format) || self->chooser != NULL)
    return;
  if (self->session == NULL)
    {
      sb_session_page_show_message (self, _("There is no history to save yet"));
      return;
    }

  self->chooser = gtk_file_chooser_native_new (_("Save History"), _sb_session_page_parent_window (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: default file name of a saved history, without extension */
  name = g_strconcat (_("history"), sb_export_format_get_extension (format), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_object_set_data (G_OBJECT (self->chooser), "format", GINT_TO_POINTER (format));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (export_chooser_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- Page actions --- */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  _sb_session_page_request_start (SB_SESSION_PAGE (widget));
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sb_session_page_stop (SB_SESSION_PAGE (widget));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  sb_send_panel_send (SB_SESSION_PAGE (widget)->send_panel);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  gtk_widget_activate_action (GTK_WIDGET (SB_SESSION_PAGE (widget)->history_view), "history.search", NULL);
}

static void
reset_counters_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  sb_session_page_reset_counters (SB_SESSION_PAGE (widget));
}

void
_sb_session_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "page.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "page.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "page.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "page.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "page.export-to", "(ss)", export_to_action);
  gtk_widget_class_install_action (widget_class, "page.send-file-path", "s", send_file_path_action);
  gtk_widget_class_install_action (widget_class, "page.capture-to", "s", capture_to_action);
  gtk_widget_class_install_action (widget_class, "page.dismiss-message", NULL, dismiss_message_action);
  gtk_widget_class_install_action (widget_class, "page.reset-counters", NULL, reset_counters_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "page.start", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_SHIFT_MASK, "page.stop", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "page.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "page.send", NULL);
}
