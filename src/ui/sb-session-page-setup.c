/* sb-session-page-setup.c — the session page's setup bar: kind, addresses, paths
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-session-page-private.h"

SbKind
_sb_session_page_current_kind (SbSessionPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->kind_dropdown);

  return selected < SB_N_KINDS ? (SbKind) selected : SB_KIND_TCP_CLIENT;
}

static void
set_group_visible (GtkWidget *group,
                   gboolean   visible)
{
  /* Hide the flow box child, not just its content, so no gap is left. */
  GtkWidget *parent = gtk_widget_get_parent (group);

  gtk_widget_set_visible (group, visible);
  if (GTK_IS_FLOW_BOX_CHILD (parent))
    gtk_widget_set_visible (parent, visible);
}

static void
update_fields (SbSessionPage *self)
{
  SbKind kind = _sb_session_page_current_kind (self);
  gboolean is_unix = sb_kind_is_unix (kind);
  gboolean has_local = kind == SB_KIND_TCP_SERVER || kind == SB_KIND_UDP;
  gboolean has_remote = kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_UDP || kind == SB_KIND_ICMP;
  const char *local_host = gtk_editable_get_text (GTK_EDITABLE (self->local_host_entry));

  set_group_visible (self->local_group, has_local);
  set_group_visible (self->remote_group, has_remote);
  /* ICMP has no ports. */
  gtk_widget_set_visible (GTK_WIDGET (self->remote_port_spin), kind != SB_KIND_ICMP);
  set_group_visible (self->path_group, is_unix);
  set_group_visible (self->bind_path_group, kind == SB_KIND_UNIX_DGRAM);
  gtk_label_set_text_with_mnemonic (self->path_label,
                                    kind == SB_KIND_UNIX_SERVER ? _("_Path") :
                                    kind == SB_KIND_UNIX_DGRAM ? _("_Target path") : _("_Path"));

  gtk_widget_set_visible (self->warning_label, has_local && sb_address_is_any (local_host));
  gtk_widget_set_visible (GTK_WIDGET (self->peers_view),
                          sb_kind_is_server (kind) || kind == SB_KIND_UDP || kind == SB_KIND_UNIX_DGRAM);
}

void
_sb_session_page_fill_fields (SbSessionPage       *self,
             const SbSessionSpec *spec)
{
  gtk_drop_down_set_selected (self->kind_dropdown, spec->kind);
  gtk_editable_set_text (GTK_EDITABLE (self->remote_host_entry), spec->host ? spec->host : "");
  gtk_spin_button_set_value (self->remote_port_spin, spec->port);
  if (spec->has_bind)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->local_host_entry),
                             spec->bind_host ? spec->bind_host : "127.0.0.1");
      gtk_spin_button_set_value (self->local_port_spin, spec->bind_port);
    }
  else
    {
      gtk_editable_set_text (GTK_EDITABLE (self->local_host_entry), "");
      gtk_spin_button_set_value (self->local_port_spin, 0);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->path_entry), spec->path ? spec->path : "");
  gtk_editable_set_text (GTK_EDITABLE (self->bind_path_entry), spec->bind_path ? spec->bind_path : "");
  update_fields (self);
}

static char *
dup_entry_text (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return *text ? g_steal_pointer (&text) : NULL;
}

SbSessionSpec *
_sb_session_page_spec_from_fields (SbSessionPage *self,
                  GError       **error)
{
  SbKind kind = _sb_session_page_current_kind (self);
  g_autoptr(SbSessionSpec) spec = sb_session_spec_new (kind);
  g_autofree char *remote = dup_entry_text (self->remote_host_entry);
  g_autofree char *local = dup_entry_text (self->local_host_entry);
  g_autofree char *path = dup_entry_text (self->path_entry);
  g_autofree char *bind_path = dup_entry_text (self->bind_path_entry);
  guint16 remote_port = gtk_spin_button_get_value_as_int (self->remote_port_spin);
  guint16 local_port = gtk_spin_button_get_value_as_int (self->local_port_spin);

  switch (kind)
    {
    case SB_KIND_TCP_CLIENT:
      if (remote == NULL || remote_port == 0)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type the remote host and a port other than 0"));
          return NULL;
        }
      g_free (spec->host);
      spec->host = g_steal_pointer (&remote);
      spec->port = remote_port;
      break;

    case SB_KIND_TCP_SERVER:
      spec->has_bind = TRUE;
      g_free (spec->bind_host);
      spec->bind_host = local ? g_steal_pointer (&local) : g_strdup ("127.0.0.1");
      spec->bind_port = local_port;
      break;

    case SB_KIND_UDP:
      if (remote != NULL)
        {
          g_free (spec->host);
          spec->host = g_steal_pointer (&remote);
          spec->port = remote_port;
        }
      /* Without a target the socket must be bound to be reachable. */
      spec->has_bind = spec->host == NULL || local != NULL || local_port != 0;
      if (spec->has_bind)
        {
          g_free (spec->bind_host);
          spec->bind_host = local ? g_steal_pointer (&local) : g_strdup ("127.0.0.1");
          spec->bind_port = local_port;
        }
      break;

    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
      if (path == NULL)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type the socket path"));
          return NULL;
        }
      g_free (spec->path);
      spec->path = g_steal_pointer (&path);
      break;

    case SB_KIND_ICMP:
      if (remote == NULL)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type the host to ping"));
          return NULL;
        }
      /* "[::1]" as a URI would write it: the spec holds the bare address. */
      if (remote[0] == '[' && g_str_has_suffix (remote, "]"))
        {
          char *bare = g_strndup (remote + 1, strlen (remote) - 2);

          g_free (remote);
          remote = bare;
        }
      g_free (spec->host);
      spec->host = g_steal_pointer (&remote);
      break;

    case SB_KIND_UNIX_DGRAM:
    default:
      if (path == NULL && bind_path == NULL)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Type a target path, a bind path, or both"));
          return NULL;
        }
      g_free (spec->path);
      spec->path = g_steal_pointer (&path);
      g_free (spec->bind_path);
      spec->bind_path = g_steal_pointer (&bind_path);
      break;
    }
  return g_steal_pointer (&spec);
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

