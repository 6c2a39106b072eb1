/* sb-window-capture.c — the window's "Import Capture…": a pcap or pcapng
 * file read in a worker thread, its streams shown in a capture window
 *
 * Window thread only (the file is read and parsed in a GTask thread).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-capture-window.h"
#include "sb-codec.h"
#include "sb-pcapng.h"
#include "sb-window-private.h"

#define CHOOSER_KEY "sb-capture-chooser"

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  SbCaptureFile *capture = sb_capture_file_new_from_file (G_FILE (task_data), &error);

  if (capture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, capture, (GDestroyNotify) sb_capture_file_free);
}

/* A replay opens as a new page, not started: its address can be edited. */
static void
replay_cb (SbWindow      *self,
           SbReplay      *replay,
           SbSessionSpec *spec)
{
  SbOpenOptions options = { NULL, -1, NULL, FALSE };
  SbSessionPage *page = sb_window_open_spec (self, spec, &options);

  sb_session_page_set_replay (page, replay);
  gtk_window_present (GTK_WINDOW (self));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SbWindow *self = SB_WINDOW (object);
  GFile *file = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  SbCaptureFile *capture = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *name = NULL;
  SbCaptureWindow *window;
  SbSessionPage *page;

  if (capture == NULL)
    {
      sb_window_show_error (self, error->message);
      return;
    }
  name = g_file_get_basename (file);
  window = sb_capture_window_new (GTK_WINDOW (self), capture, name);
  /* Shown in the encoding the current page uses, else the language's. */
  page = sb_window_get_current_page (self);
  sb_capture_window_set_encoding (window, page != NULL ? sb_session_page_get_encoding (page)
                                                       : sb_codec_default_encoding ());
  g_signal_connect_object (window, "replay", G_CALLBACK (replay_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
import_file (SbWindow *self,
             GFile    *file)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, read_cb, NULL);

  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_thread);
}

static void
chooser_cb (SbWindow             *self,
            int                   response,
            GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_set_data (G_OBJECT (self), CHOOSER_KEY, NULL);
  if (file != NULL)
    import_file (self, file);
}

static void
import_capture_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  SbWindow *self = SB_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (g_object_get_data (G_OBJECT (self), CHOOSER_KEY) != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Import Capture"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Captures (pcap, pcapng)"));
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_filter_add_pattern (filter, "*.pcap");
  gtk_file_filter_add_pattern (filter, "*.cap");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_object_set_data_full (G_OBJECT (self), CHOOSER_KEY, chooser, g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* win.import-capture-file ("/path/or/uri"): no dialog (tests, scripts). */
static void
import_capture_file_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *param)
{
  const char *location = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;

  if (*location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  import_file (SB_WINDOW (widget), file);
}

void
_sb_window_class_init_capture (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.import-capture", NULL, import_capture_action);
  gtk_widget_class_install_action (widget_class, "win.import-capture-file", "s", import_capture_file_action);
}
