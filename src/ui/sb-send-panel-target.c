/* sb-send-panel-target.c — where sends go: the To row, the last sender, a typed address
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-send-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-send-panel-private.h"

Target
_sb_send_panel_current_target (SbSendPanel *self)
{
  guint selected;

  if (!gtk_widget_get_visible (self->target_box))
    return TARGET_DEFAULT;
  selected = gtk_drop_down_get_selected (self->target_dropdown);
  if (selected >= G_N_ELEMENTS (self->targets))
    return TARGET_DEFAULT;
  return self->targets[selected];
}

/* Resolves the target widgets to a peer or an address. */
gboolean
_sb_send_panel_resolve_target (SbSendPanel     *self,
                               SbPeer         **peer,
                               GSocketAddress **address,
                               GError         **error)
{
  *peer = NULL;
  *address = NULL;

  switch (_sb_send_panel_current_target (self))
    {
    case TARGET_SELECTED:
      if (self->selected_peer == NULL)
        {
          g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NO_TARGET,
                               _("Select a peer in the peers list first"));
          return FALSE;
        }
      *peer = g_object_ref (self->selected_peer);
      return TRUE;

    case TARGET_ADDRESS:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_entry));
        g_autofree char *host = NULL;
        guint16 port = 0;

        if (self->session && sb_kind_is_unix (sb_session_get_kind (self->session)))
          {
            *address = sb_address_new_unix (text, error);
            return *address != NULL;
          }
        if (!sb_address_parse_host_port (text, FALSE, &host, &port, error))
          return FALSE;
        *address = g_inet_socket_address_new_from_string (host, port);
        if (*address == NULL)
          {
            /* Resolving a name would block here; the setup bar resolves names. */
            g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NO_TARGET,
                         _("“%s” is not an IP address; type a numeric address such as 192.168.1.20:5000"),
                         host);
            return FALSE;
          }
        return TRUE;
      }

    case TARGET_LAST:
      *peer = self->session ? sb_session_get_last_sender (self->session) : NULL;
      if (*peer == NULL)
        {
          g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NO_TARGET,
                               _("Nothing has arrived yet: there is no last sender to reply to"));
          return FALSE;
        }
      g_object_ref (*peer);
      return TRUE;

    case TARGET_DEFAULT:
    default:
      return TRUE;
    }
}

/* --- Targets --- */

void
_sb_send_panel_update_target_entry (SbSendPanel *self)
{
  Target target = _sb_send_panel_current_target (self);
  g_autoptr(SbPeer) last = NULL;
  const char *shown = NULL;

  /* The entry stays where it is and names who the target is; it is
   * editable only for a typed address, so choosing a target never moves
   * the row. */
  switch (target)
    {
    case TARGET_ADDRESS:
      gtk_editable_set_editable (GTK_EDITABLE (self->address_entry), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->address_entry), TRUE);
      gtk_entry_set_placeholder_text (self->address_entry,
                                      self->session && sb_kind_is_unix (sb_session_get_kind (self->session)) ?
                                      _("/path/to/socket") : _("host:port"));
      return;
    case TARGET_SELECTED:
      /* Translators: in the To row when no peer is selected */
      shown = self->selected_peer ? sb_peer_get_label (self->selected_peer) : _("(none selected)");
      break;
    case TARGET_LAST:
      last = self->session ? sb_session_get_last_sender (self->session) : NULL;
      if (last != NULL)
        g_object_ref (last);
      /* Translators: in the To row before any datagram has arrived */
      shown = last ? sb_peer_get_label (last) : _("(none yet)");
      break;
    case TARGET_DEFAULT:
    default:
      shown = "";
      break;
    }
  gtk_editable_set_editable (GTK_EDITABLE (self->address_entry), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_entry), FALSE);
  gtk_entry_set_placeholder_text (self->address_entry, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->address_entry), shown);
}

void
_sb_send_panel_rebuild_targets (SbSendPanel *self)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const SbSessionSpec *spec;
  SbKind kind;
  guint n = 0;

  if (self->session == NULL)
    {
      gtk_widget_set_visible (self->target_box, FALSE);
      return;
    }
  kind = sb_session_get_kind (self->session);
  spec = sb_session_get_spec (self->session);

  switch (kind)
    {
    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_SERVER:
    case SB_KIND_TLS_SERVER:
      self->targets[n++] = TARGET_DEFAULT;
      gtk_string_list_append (list, _("All peers"));
      self->targets[n++] = TARGET_SELECTED;
      gtk_string_list_append (list, _("Selected peer"));
      break;
    case SB_KIND_UDP:
    case SB_KIND_UNIX_DGRAM:
      {
        gboolean has_target = kind == SB_KIND_UDP ? (spec->host != NULL && *spec->host != '\0')
                                                  : (spec->path != NULL && *spec->path != '\0');

        /* A socket that only listens answers whoever spoke last. */
        if (has_target)
          {
            self->targets[n++] = TARGET_DEFAULT;
            gtk_string_list_append (list, _("Default target"));
          }
        self->targets[n++] = TARGET_LAST;
        /* Translators: send target: the address the last datagram came from */
        gtk_string_list_append (list, _("Last sender"));
        self->targets[n++] = TARGET_SELECTED;
        gtk_string_list_append (list, _("Selected peer"));
        self->targets[n++] = TARGET_ADDRESS;
        gtk_string_list_append (list, _("Address…"));
      }
      break;
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_ICMP:
    default:
      break;
    }
  gtk_drop_down_set_model (self->target_dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (self->target_dropdown, 0);
  gtk_widget_set_visible (self->target_box, n > 0);
  _sb_send_panel_update_target_entry (self);
}

void
_sb_send_panel_target_selected_cb (SbSendPanel *self)
{
  Target target = _sb_send_panel_current_target (self);

  /* Keep what was typed while another target shows its name. */
  if (self->typing_target != (target == TARGET_ADDRESS))
    {
      if (target == TARGET_ADDRESS)
        gtk_editable_set_text (GTK_EDITABLE (self->address_entry), self->address_text ? self->address_text : "");
      self->typing_target = target == TARGET_ADDRESS;
    }
  _sb_send_panel_update_target_entry (self);
}

void
_sb_send_panel_address_changed_cb (SbSendPanel *self)
{
  if (self->typing_target)
    {
      g_free (self->address_text);
      self->address_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_entry)));
    }
}
