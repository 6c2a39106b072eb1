/* sb-send-panel-plan.c — the send panel's Advanced options: writes cut into
 * pieces, several sends joined into one write (SbSendPlan)
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-panel"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-send-panel-private.h"

static guint
chunk_size (SbSendPanel *self)
{
  return gtk_spin_button_get_value_as_int (self->chunk_spin);
}

static guint
batch (SbSendPanel *self)
{
  return MAX (1, gtk_spin_button_get_value_as_int (self->batch_spin));
}

gboolean
_sb_send_panel_plan_active (SbSendPanel *self)
{
  return chunk_size (self) > 0 || batch (self) > 1 ||
         (self->plan != NULL && sb_send_plan_is_busy (self->plan));
}

gboolean
_sb_send_panel_plan_options (SbSendPanel *self,
                             gsize       *chunk_size_out,
                             guint       *gap_ms,
                             guint       *batch_out)
{
  *chunk_size_out = chunk_size (self);
  *gap_ms = gtk_spin_button_get_value_as_int (self->gap_spin);
  *batch_out = batch (self);
  return *chunk_size_out > 0 || *batch_out > 1;
}

gboolean
_sb_send_panel_plan_busy (SbSendPanel *self)
{
  return self->plan != NULL && sb_send_plan_is_busy (self->plan);
}

void
_sb_send_panel_update_plan_label (SbSendPanel *self)
{
  g_autofree char *text = NULL;
  guint64 sent = 0, total = 0;

  if (_sb_send_panel_plan_busy (self))
    {
      sent = sb_send_plan_get_sent (self->plan);
      total = sb_send_plan_get_total (self->plan);
    }
  else if (self->repeat != NULL)
    {
      /* A repeat's plan runs on the engine; these are its published figures. */
      sent = sb_repeat_get_plan_sent (self->repeat);
      total = sb_repeat_get_plan_total (self->repeat);
    }
  if (sent < total)
    /* Translators: the send plan's progress in bytes, "12 of 40 bytes written" */
    text = g_strdup_printf (_("%" PRIu64 " of %" PRIu64 " bytes written"),
                            (uint64_t) sent, (uint64_t) total);
  gtk_label_set_text (self->plan_label, text ? text : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "send-panel.flush", _sb_send_panel_plan_busy (self));
}

static void
plan_failed_cb (SbSendPanel *self,
                GError      *error,
                SbSendPlan  *plan)
{
  _sb_send_panel_show_error (self, error->message);
  _sb_send_panel_update_plan_label (self);
}

void
_sb_send_panel_plan_reset (SbSendPanel *self)
{
  if (self->plan != NULL)
    {
      sb_send_plan_cancel (self->plan);
      g_signal_handlers_disconnect_by_data (self->plan, self);
      g_clear_object (&self->plan);
    }
  if (self->plan_label != NULL)
    _sb_send_panel_update_plan_label (self);
}

gboolean
_sb_send_panel_plan_write (SbSendPanel     *self,
                           SbPeer          *peer,
                           GSocketAddress  *address,
                           GBytes          *bytes,
                           GError         **error)
{
  gboolean ok;

  /* A plan writes to one target: a send elsewhere starts a new one once
   * the last has finished. */
  if (self->plan != NULL && !sb_send_plan_is_busy (self->plan))
    _sb_send_panel_plan_reset (self);
  if (self->plan == NULL)
    {
      self->plan = sb_send_plan_new (self->session, peer, address);
      g_signal_connect_object (self->plan, "notify::sent", G_CALLBACK (_sb_send_panel_update_plan_label), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->plan, "finished", G_CALLBACK (_sb_send_panel_update_plan_label), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->plan, "failed", G_CALLBACK (plan_failed_cb), self, G_CONNECT_SWAPPED);
    }
  sb_send_plan_set_chunk_size (self->plan, chunk_size (self));
  sb_send_plan_set_gap_ms (self->plan, gtk_spin_button_get_value_as_int (self->gap_spin));
  sb_send_plan_set_batch (self->plan, batch (self));
  ok = sb_send_plan_push (self->plan, bytes, error);
  _sb_send_panel_update_plan_label (self);
  return ok;
}

void
_sb_send_panel_flush_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  SbSendPanel *self = SB_SEND_PANEL (widget);
  g_autoptr(GError) error = NULL;

  if (self->plan == NULL)
    return;
  if (!sb_send_plan_flush (self->plan, &error))
    _sb_send_panel_show_error (self, error->message);
  _sb_send_panel_update_plan_label (self);
}
