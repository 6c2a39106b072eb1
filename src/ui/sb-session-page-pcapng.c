/* sb-session-page-pcapng.c — a session page saved as a Wireshark capture
 *
 * Window thread only. The page's session is copied (sb_pcapng_session_snapshot)
 * and written in a worker thread; the live history is never touched there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-pcapng.h"
#include "sb-session-page-private.h"

#define CHOOSER_KEY "sb-pcapng-chooser"

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SbSessionPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_pcapng_write_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf (_("The capture could not be saved: %s"), error->message);

          sb_session_page_show_message (self, msg);
        }
      return;
    }
  sb_session_page_show_message (self, NULL);
}

static void
write_to_file (SbSessionPage *self,
               GFile         *file)
{
  g_autoptr(GPtrArray) sessions = NULL;

  if (self->session == NULL)
    {
      sb_session_page_show_message (self, _("There is no history to save yet"));
      return;
    }
  sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_pcapng_session_free);
  g_ptr_array_add (sessions, sb_pcapng_session_snapshot (self->session));
  sb_pcapng_write_async (file, sessions, self->cancellable, write_cb, g_object_ref (self));
}

static void
chooser_cb (SbSessionPage        *self,
            int                   response,
            GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_object_set_data (G_OBJECT (self), CHOOSER_KEY, NULL);
  if (file != NULL)
    write_to_file (self, file);
}

static void
export_pcapng_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  SbSessionPage *self = SB_SESSION_PAGE (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (g_object_get_data (G_OBJECT (self), CHOOSER_KEY) != NULL)
    return;
  if (self->session == NULL)
    {
      sb_session_page_show_message (self, _("There is no history to save yet"));
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Save as Wireshark Capture"), _sb_session_page_parent_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Translators: default file name of a saved capture, without extension */
  {
    g_autofree char *name = g_strconcat (_("capture"), ".pcapng", NULL);

    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  }
  gtk_file_filter_set_name (filter, _("Wireshark captures (pcapng)"));
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* The page keeps the chooser alive while it is shown. */
  g_object_set_data_full (G_OBJECT (self), CHOOSER_KEY, chooser, g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* page.export-pcapng-to ("/path/or/uri"): no dialog (tests, scripts). */
static void
export_pcapng_to_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *param)
{
  const char *location = g_variant_get_string (param, NULL);
  g_autoptr(GFile) file = NULL;

  if (*location == '\0')
    return;
  file = g_file_new_for_commandline_arg (location);
  write_to_file (SB_SESSION_PAGE (widget), file);
}

void
_sb_session_page_class_init_pcapng (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.export-pcapng", NULL, export_pcapng_action);
  gtk_widget_class_install_action (widget_class, "page.export-pcapng-to", "s", export_pcapng_to_action);
}
