/* sb-session-page-setup.c — the session page's setup bar: an SbSpecEditor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-session-page-private.h"

SbKind
_sb_session_page_current_kind (SbSessionPage *self)
{
  return sb_spec_editor_get_kind (self->spec_editor);
}

void
_sb_session_page_set_flow_visible (GtkWidget *widget,
                                   gboolean   visible)
{
  /* Hide the flow box child too, so no gap is left. */
  GtkWidget *parent = gtk_widget_get_parent (widget);

  gtk_widget_set_visible (widget, visible);
  if (GTK_IS_FLOW_BOX_CHILD (parent))
    gtk_widget_set_visible (parent, visible);
}

static void
update_fields (SbSessionPage *self)
{
  SbKind kind = _sb_session_page_current_kind (self);

  _sb_session_page_set_flow_visible (GTK_WIDGET (self->reconnect_check),
                                     kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_UNIX_CLIENT);
  gtk_widget_set_visible (GTK_WIDGET (self->peers_view),
                          sb_kind_is_server (kind) || kind == SB_KIND_UDP || kind == SB_KIND_UNIX_DGRAM);
  /* A relay sends nothing of its own: its faults and intercept instead. */
  if ((self->relay_panel != NULL && gtk_widget_get_visible (GTK_WIDGET (self->relay_panel))) != sb_kind_is_relay (kind))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->send_panel), !sb_kind_is_relay (kind));
      gtk_widget_set_visible (GTK_WIDGET (_sb_session_page_ensure_relay_panel (self)), sb_kind_is_relay (kind));
      _sb_session_page_reposition_send_area (self);
    }
}

/* Made when the page first has a relay kind: other pages never show it. */
SbRelayPanel *
_sb_session_page_ensure_relay_panel (SbSessionPage *self)
{
  GtkWidget *panel;

  if (self->relay_panel != NULL)
    return self->relay_panel;

  panel = g_object_ref_sink (g_object_new (SB_TYPE_RELAY_PANEL,
                                           "visible", FALSE,
                                           "margin-start", 6,
                                           "margin-end", 6,
                                           "margin-top", 4,
                                           "margin-bottom", 4,
                                           NULL));
  self->relay_panel = SB_RELAY_PANEL (panel);
  sb_relay_panel_set_setup (self->relay_panel, self->setup);
  sb_relay_panel_set_session (self->relay_panel, self->session);
  g_signal_connect_swapped (panel, "layout-changed", G_CALLBACK (_sb_session_page_reposition_send_area), self);
  /* Below the send panel, in the send area's box. */
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->send_panel))), panel);

  return self->relay_panel;
}

void
_sb_session_page_fill_fields (SbSessionPage       *self,
                              const SbSessionSpec *spec)
{
  sb_spec_editor_set_spec (self->spec_editor, spec);
  update_fields (self);
}

/* The fields are the page's SbSpecEditor: one editor and one validation,
 * the core's, for the setup bar and the New Session dialog alike. With
 * @error the message also shows under the field at fault. */
SbSessionSpec *
_sb_session_page_spec_from_fields (SbSessionPage *self,
                                   GError       **error)
{
  if (error == NULL)
    return sb_spec_editor_dup_valid_spec (self->spec_editor);
  return sb_spec_editor_dup_spec (self->spec_editor, error);
}

const char *
_sb_session_page_kind_label (SbKind kind)
{
  switch (kind)
    {
    case SB_KIND_TCP_CLIENT:  return _("TCP client");
    case SB_KIND_TCP_SERVER:  return _("TCP server");
    case SB_KIND_UDP:         return _("UDP");
    case SB_KIND_UNIX_CLIENT: return _("UNIX client");
    case SB_KIND_UNIX_SERVER: return _("UNIX server");
    case SB_KIND_ICMP:        return _("Ping");
    case SB_KIND_TLS_CLIENT:  return _("TLS client");
    case SB_KIND_TLS_SERVER:  return _("TLS server");
    case SB_KIND_DTLS_CLIENT: return _("DTLS client");
    case SB_KIND_DTLS_SERVER: return _("DTLS server");
    case SB_KIND_RELAY_TCP:   return _("TCP relay");
    case SB_KIND_RELAY_UDP:   return _("UDP relay");
    case SB_KIND_RELAY_UNIX:  return _("UNIX relay");
    case SB_KIND_RELAY_TLS:   return _("TLS relay");
    case SB_KIND_UNIX_DGRAM:
    case SB_N_KINDS:
    default:                  return _("UNIX datagram");
    }
}

void
_sb_session_page_fields_changed_cb (SbSessionPage *self)
{
  update_fields (self);
  if (self->session == NULL)
    _sb_session_page_update_title (self);
}

