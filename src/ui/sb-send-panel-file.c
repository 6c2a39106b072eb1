/* sb-send-panel-file.c — the send panel's Send File…
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-send-panel-private.h"

/* --- Send file --- */

static void
file_progress_cb (goffset  sent,
                  goffset  total,
                  gpointer user_data)
{
  SbSendPanel *self = user_data;
  g_autofree char *size_sent = g_format_size (sent);
  g_autofree char *size_total = g_format_size (total);
  /* Translators: file sending progress, "1.2 MB of 4.0 MB" */
  g_autofree char *text = g_strdup_printf (_("%s of %s"), size_sent, size_total);

  gtk_progress_bar_set_fraction (self->file_progress, total > 0 ? (double) sent / total : 0.0);
  gtk_progress_bar_set_text (self->file_progress, text);
}

static void
send_file_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SbSendPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sb_session_send_file_finish (SB_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _sb_send_panel_show_error (self, error->message);
  g_clear_object (&self->file_cancellable);
  _sb_send_panel_update_sensitivity (self);
}

/* With "Writes of at most N bytes" set, a file goes through the send plan:
 * read whole (up to this size), then written N bytes every M ms. */
#define MAX_PLANNED_FILE (64 * 1024 * 1024)

typedef struct
{
  SbSendPanel    *self;
  SbPeer         *peer;
  GSocketAddress *address;
} FileLoad;

static void
file_load_free (FileLoad *load)
{
  g_object_unref (load->self);
  g_clear_object (&load->peer);
  g_clear_object (&load->address);
  g_free (load);
}

static void
planned_file_loaded_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  FileLoad *load = user_data;
  SbSendPanel *self = load->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);

  g_clear_object (&self->file_cancellable);
  _sb_send_panel_update_sensitivity (self);
  if (bytes != NULL && g_bytes_get_size (bytes) > MAX_PLANNED_FILE)
    {
      g_autofree char *size = g_format_size (MAX_PLANNED_FILE);

      g_clear_pointer (&bytes, g_bytes_unref);
      /* Translators: %s is a size, "64.0 MB" */
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   _("Files sent in small writes can be at most %s; send it whole (write size 0)"), size);
    }
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sb_send_panel_show_error (self, error->message);
    }
  else if (self->session == NULL ||
           !_sb_send_panel_plan_write (self, load->peer, load->address, bytes, &error))
    _sb_send_panel_show_error (self, error ? error->message : _("Start the session first"));
  file_load_free (load);
}

void
sb_send_panel_send_file (SbSendPanel *self,
                         GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SbPeer) peer = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  g_return_if_fail (SB_IS_SEND_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->file_cancellable != NULL)
    return;

  _sb_send_panel_clear_error (self);
  if (self->session == NULL)
    {
      _sb_send_panel_show_error (self, _("Start the session first"));
      return;
    }
  if (!_sb_send_panel_resolve_target (self, &peer, &address, &error))
    {
      _sb_send_panel_show_error (self, error->message);
      return;
    }

  self->file_cancellable = g_cancellable_new ();
  if (gtk_spin_button_get_value_as_int (self->chunk_spin) > 0)
    {
      FileLoad *load = g_new0 (FileLoad, 1);

      load->self = g_object_ref (self);
      load->peer = g_steal_pointer (&peer);
      load->address = g_steal_pointer (&address);
      _sb_send_panel_update_sensitivity (self);
      g_file_load_bytes_async (file, self->file_cancellable, planned_file_loaded_cb, load);
      return;
    }
  gtk_progress_bar_set_fraction (self->file_progress, 0.0);
  gtk_progress_bar_set_text (self->file_progress, NULL);
  _sb_send_panel_update_sensitivity (self);
  /* The progress callback holds a reference, dropped by the session. */
  sb_session_send_file_async (self->session, peer, file, self->file_cancellable,
                              file_progress_cb, g_object_ref (self), g_object_unref,
                              send_file_cb, g_object_ref (self));
}

gboolean
sb_send_panel_is_sending_file (SbSendPanel *self)
{
  g_return_val_if_fail (SB_IS_SEND_PANEL (self), FALSE);

  return self->file_cancellable != NULL;
}

static void
file_chooser_response_cb (SbSendPanel          *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->file_chooser);
  if (file != NULL)
    sb_send_panel_send_file (self, file);
}

void
_sb_send_panel_send_file_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *param)
{
  SbSendPanel *self = SB_SEND_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->file_chooser != NULL)
    return;
  self->file_chooser = gtk_file_chooser_native_new (_("Send File"),
                                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Send"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);
  g_signal_connect_object (self->file_chooser, "response",
                           G_CALLBACK (file_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

void
_sb_send_panel_cancel_file_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  SbSendPanel *self = SB_SEND_PANEL (widget);

  if (self->file_cancellable)
    g_cancellable_cancel (self->file_cancellable);
}

