/* sb-new-session-dialog.c — asks what to open in a new tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-new-session-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-new-session-dialog.h"

#define DEFAULT_BIND_HOST "127.0.0.1"

struct _SbNewSessionDialog
{
  GtkWindow    parent_instance;

  /* Template widgets */
  GtkDropDown    *kind_dropdown;
  GtkWidget      *remote_box;
  GtkLabel       *remote_caption;
  GtkEntry       *host_entry;
  GtkWidget      *port_label;
  GtkSpinButton  *port_spin;
  GtkLabel       *remote_error;
  GtkCheckButton *bind_check;
  GtkWidget      *bind_box;
  GtkLabel       *bind_caption;
  GtkEntry       *bind_entry;
  GtkSpinButton  *bind_port_spin;
  GtkWidget      *any_warning;
  GtkLabel       *bind_error;
  GtkWidget      *path_box;
  GtkLabel       *path_caption;
  GtkEntry       *path_entry;
  GtkLabel       *path_error;
  GtkWidget      *local_path_box;
  GtkEntry       *local_path_entry;
  GtkLabel       *local_path_error;
  GtkLabel       *general_error;
  GtkCheckButton *start_check;

  /* Owned */
  GSettings      *settings;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

enum {
  CREATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbNewSessionDialog, sb_new_session_dialog, GTK_TYPE_WINDOW)

static SbKind
get_kind (SbNewSessionDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->kind_dropdown);

  return selected < SB_N_KINDS ? (SbKind) selected : SB_KIND_TCP_CLIENT;
}

static void
hide_errors (SbNewSessionDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->remote_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->bind_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->path_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->local_path_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->general_error), FALSE);
}

static void
show_error (SbNewSessionDialog *self,
            GtkLabel           *label,
            GtkWidget          *field,
            const char         *message)
{
  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  gtk_widget_grab_focus (field);
}

static void
update_any_warning (SbNewSessionDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->bind_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  gtk_widget_set_visible (self->any_warning, sb_address_is_any (stripped));
}

static void
on_kind_changed (SbNewSessionDialog *self)
{
  SbKind kind = get_kind (self);
  gboolean udp_bound = gtk_check_button_get_active (self->bind_check);

  gtk_widget_set_visible (self->remote_box,
                          kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_UDP || kind == SB_KIND_ICMP);
  /* ICMP has no ports. */
  gtk_widget_set_visible (self->port_label, kind != SB_KIND_ICMP);
  gtk_widget_set_visible (GTK_WIDGET (self->port_spin), kind != SB_KIND_ICMP);
  gtk_widget_set_visible (GTK_WIDGET (self->bind_check), kind == SB_KIND_UDP);
  gtk_widget_set_visible (self->bind_box,
                          kind == SB_KIND_TCP_SERVER || (kind == SB_KIND_UDP && udp_bound));
  gtk_widget_set_visible (self->path_box, sb_kind_is_unix (kind));
  gtk_widget_set_visible (self->local_path_box, kind == SB_KIND_UNIX_DGRAM);

  if (kind == SB_KIND_UDP)
    gtk_label_set_text_with_mnemonic (self->remote_caption, _("Send _to (optional)"));
  else if (kind == SB_KIND_ICMP)
    gtk_label_set_text_with_mnemonic (self->remote_caption, _("_Host to ping"));
  else
    gtk_label_set_text_with_mnemonic (self->remote_caption, _("Connect _to"));

  if (kind == SB_KIND_UDP)
    gtk_label_set_text_with_mnemonic (self->bind_caption, _("B_ind to"));
  else
    gtk_label_set_text_with_mnemonic (self->bind_caption, _("_Listen on"));

  switch (kind)
    {
    case SB_KIND_UNIX_SERVER:
      gtk_label_set_text_with_mnemonic (self->path_caption, _("Listen on _path"));
      break;
    case SB_KIND_UNIX_DGRAM:
      gtk_label_set_text_with_mnemonic (self->path_caption, _("Send to _path (optional)"));
      break;
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_TCP_SERVER:
    case SB_KIND_UDP:
    case SB_KIND_ICMP:
    case SB_N_KINDS:
    default:
      gtk_label_set_text_with_mnemonic (self->path_caption, _("Socket _path"));
      break;
    }

  update_any_warning (self);
  hide_errors (self);
}

static void
on_field_changed (SbNewSessionDialog *self,
                  GtkEditable        *editable)
{
  gtk_accessible_reset_state (GTK_ACCESSIBLE (editable), GTK_ACCESSIBLE_STATE_INVALID);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (editable), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  hide_errors (self);
  update_any_warning (self);
}

static char *
dup_text (GtkEntry *entry)
{
  char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  return g_strstrip (text);
}

/* Reads a host field and a port into @host/@port through the core parser,
 * so the message is the one the command line would give. */
static gboolean
read_host_port (GtkEntry       *entry,
                GtkSpinButton  *spin,
                const char     *default_host,
                char          **host,
                guint16        *port,
                GError        **error)
{
  g_autofree char *text = dup_text (entry);
  g_autofree char *joined = NULL;
  gsize len = strlen (text);
  guint16 value = (guint16) gtk_spin_button_get_value_as_int (spin);

  if (len == 0)
    {
      if (default_host == NULL)
        {
          g_set_error_literal (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Enter a host name or an address."));
          return FALSE;
        }
      g_free (text);
      text = g_strdup (default_host);
      len = strlen (text);
    }

  /* "[::1]" typed with its brackets */
  if (len > 2 && text[0] == '[' && text[len - 1] == ']')
    {
      text[len - 1] = '\0';
      memmove (text, text + 1, len - 1);
    }

  joined = sb_address_format_host_port (text, value);

  return sb_address_parse_host_port (joined, FALSE, host, port, error);
}

SbSessionSpec *
sb_new_session_dialog_dup_spec (SbNewSessionDialog  *self,
                                GError             **error)
{
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autoptr(SbSessionSpec) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  SbKind kind;

  g_return_val_if_fail (SB_IS_NEW_SESSION_DIALOG (self), NULL);

  hide_errors (self);

  kind = get_kind (self);
  spec = sb_session_spec_new (kind);
  g_clear_pointer (&spec->bind_host, g_free);
  spec->has_bind = FALSE;

  switch (kind)
    {
    case SB_KIND_TCP_CLIENT:
      if (!read_host_port (self->host_entry, self->port_spin, NULL,
                           &spec->host, &spec->port, &local_error))
        {
          show_error (self, self->remote_error, GTK_WIDGET (self->host_entry), local_error->message);
          goto fail;
        }
      break;

    case SB_KIND_TCP_SERVER:
      spec->has_bind = TRUE;
      if (!read_host_port (self->bind_entry, self->bind_port_spin, DEFAULT_BIND_HOST,
                           &spec->bind_host, &spec->bind_port, &local_error))
        {
          show_error (self, self->bind_error, GTK_WIDGET (self->bind_entry), local_error->message);
          goto fail;
        }
      break;

    case SB_KIND_UDP:
      {
        g_autofree char *target = dup_text (self->host_entry);

        if (target[0] != '\0' &&
            !read_host_port (self->host_entry, self->port_spin, NULL,
                             &spec->host, &spec->port, &local_error))
          {
            show_error (self, self->remote_error, GTK_WIDGET (self->host_entry), local_error->message);
            goto fail;
          }

        if (gtk_check_button_get_active (self->bind_check))
          {
            spec->has_bind = TRUE;
            if (!read_host_port (self->bind_entry, self->bind_port_spin, DEFAULT_BIND_HOST,
                                 &spec->bind_host, &spec->bind_port, &local_error))
              {
                show_error (self, self->bind_error, GTK_WIDGET (self->bind_entry), local_error->message);
                goto fail;
              }
          }

        if (spec->host == NULL && !spec->has_bind)
          {
            g_set_error_literal (&local_error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                                 _("Enter where to send, or bind a local address to receive, or both."));
            show_error (self, self->remote_error, GTK_WIDGET (self->host_entry), local_error->message);
            goto fail;
          }
      }
      break;

    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
    case SB_KIND_UNIX_DGRAM:
      {
        g_autofree char *path = dup_text (self->path_entry);
        g_autofree char *local_path = dup_text (self->local_path_entry);
        g_autoptr(GSocketAddress) check = NULL;

        if (path[0] != '\0' && !(check = sb_address_new_unix (path, &local_error)))
          {
            show_error (self, self->path_error, GTK_WIDGET (self->path_entry), local_error->message);
            goto fail;
          }
        g_clear_object (&check);

        if (kind == SB_KIND_UNIX_DGRAM && local_path[0] != '\0' &&
            !(check = sb_address_new_unix (local_path, &local_error)))
          {
            show_error (self, self->local_path_error, GTK_WIDGET (self->local_path_entry),
                        local_error->message);
            goto fail;
          }

        if (path[0] == '\0' && (kind != SB_KIND_UNIX_DGRAM || local_path[0] == '\0'))
          {
            g_set_error_literal (&local_error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                                 kind == SB_KIND_UNIX_DGRAM
                                 ? _("Enter where to send, or a local path to receive on, or both.")
                                 : _("Enter the path of the socket."));
            show_error (self, self->path_error, GTK_WIDGET (self->path_entry), local_error->message);
            goto fail;
          }

        if (path[0] != '\0')
          spec->path = g_steal_pointer (&path);
        if (kind == SB_KIND_UNIX_DGRAM && local_path[0] != '\0')
          spec->bind_path = g_steal_pointer (&local_path);
      }
      break;

    case SB_KIND_ICMP:
      {
        g_autofree char *host = dup_text (self->host_entry);
        g_autofree char *icmp_uri = NULL;
        g_autoptr(SbSessionSpec) icmp = NULL;

        if (host[0] == '\0')
          g_set_error_literal (&local_error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Enter a host name or an address."));
        else
          {
            icmp_uri = g_strconcat ("icmp://", host, NULL);
            icmp = sb_session_spec_parse (icmp_uri, &local_error);
          }

        if (icmp == NULL)
          {
            show_error (self, self->remote_error, GTK_WIDGET (self->host_entry), local_error->message);
            goto fail;
          }
        spec->host = g_steal_pointer (&icmp->host);
      }
      break;

    case SB_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  /* The URI is what the session, presets and the command line see: it must
   * read back. */
  uri = sb_session_spec_to_uri (spec);
  if (!(parsed = sb_session_spec_parse (uri, &local_error)))
    {
      gtk_label_set_text (self->general_error, local_error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->general_error), TRUE);
      goto fail;
    }

  return g_steal_pointer (&parsed);

fail:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
set_entry (GtkEntry   *entry,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
}

void
sb_new_session_dialog_set_spec (SbNewSessionDialog  *self,
                                const SbSessionSpec *spec)
{
  g_return_if_fail (SB_IS_NEW_SESSION_DIALOG (self));
  g_return_if_fail (spec != NULL);

  if (spec->host != NULL)
    {
      set_entry (self->host_entry, spec->host);
      if (spec->kind != SB_KIND_ICMP)
        gtk_spin_button_set_value (self->port_spin, spec->port);
    }

  if (spec->has_bind)
    {
      set_entry (self->bind_entry, spec->bind_host ? spec->bind_host : DEFAULT_BIND_HOST);
      gtk_spin_button_set_value (self->bind_port_spin, spec->bind_port);
    }

  if (spec->path != NULL)
    set_entry (self->path_entry, spec->path);
  if (spec->bind_path != NULL)
    set_entry (self->local_path_entry, spec->bind_path);

  /* Optional parts this spec leaves out must not linger from before. */
  if (spec->kind == SB_KIND_UDP && spec->host == NULL)
    set_entry (self->host_entry, NULL);
  if (spec->kind == SB_KIND_UNIX_DGRAM)
    {
      set_entry (self->path_entry, spec->path);
      set_entry (self->local_path_entry, spec->bind_path);
    }

  gtk_check_button_set_active (self->bind_check,
                               spec->kind != SB_KIND_UDP || spec->has_bind || spec->host == NULL);
  gtk_drop_down_set_selected (self->kind_dropdown, spec->kind);
  on_kind_changed (self);
}

static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SbNewSessionDialog *self = SB_NEW_SESSION_DIALOG (widget);
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autofree char *uri = NULL;
  gboolean start;

  if (!(spec = sb_new_session_dialog_dup_spec (self, NULL)))
    return;

  uri = sb_session_spec_to_uri (spec);
  start = gtk_check_button_get_active (self->start_check);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-uri", uri);

  g_signal_emit (self, signals[CREATE], 0, spec, start);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
load_settings (SbNewSessionDialog *self)
{
  g_autofree char *uri = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;

  if (self->settings == NULL)
    return;

  g_settings_bind (self->settings, "start-new-sessions",
                   self->start_check, "active", G_SETTINGS_BIND_DEFAULT);

  uri = g_settings_get_string (self->settings, "last-uri");
  if ((spec = sb_session_spec_parse (uri, NULL)) != NULL)
    sb_new_session_dialog_set_spec (self, spec);
}

static void
sb_new_session_dialog_constructed (GObject *object)
{
  SbNewSessionDialog *self = SB_NEW_SESSION_DIALOG (object);

  G_OBJECT_CLASS (sb_new_session_dialog_parent_class)->constructed (object);

  load_settings (self);
}

static void
sb_new_session_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SbNewSessionDialog *self = SB_NEW_SESSION_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_new_session_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SbNewSessionDialog *self = SB_NEW_SESSION_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_new_session_dialog_dispose (GObject *object)
{
  SbNewSessionDialog *self = SB_NEW_SESSION_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_NEW_SESSION_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sb_new_session_dialog_parent_class)->dispose (object);
}

static void
sb_new_session_dialog_class_init (SbNewSessionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_new_session_dialog_constructed;
  object_class->dispose = sb_new_session_dialog_dispose;
  object_class->get_property = sb_new_session_dialog_get_property;
  object_class->set_property = sb_new_session_dialog_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The spec is an SbSessionSpec, valid during the emission. */
  signals[CREATE] =
    g_signal_new ("create",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-new-session-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, remote_box);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, remote_caption);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, host_entry);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, port_label);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, port_spin);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, remote_error);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, bind_check);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, bind_box);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, bind_caption);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, bind_entry);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, bind_port_spin);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, any_warning);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, bind_error);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, path_box);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, path_caption);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, path_entry);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, path_error);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, local_path_box);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, local_path_entry);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, local_path_error);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, general_error);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, start_check);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);

  gtk_widget_class_install_action (widget_class, "dialog.create", NULL, create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sb_new_session_dialog_init (SbNewSessionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 spin buttons have no activates-default; their text has. */
  gtk_text_set_activates_default (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->port_spin))), TRUE);
  gtk_text_set_activates_default (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->bind_port_spin))), TRUE);

  /* Defaults before the settings (if any) fill in the last values. */
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), "127.0.0.1");
  gtk_spin_button_set_value (self->port_spin, 8080);
  gtk_editable_set_text (GTK_EDITABLE (self->bind_entry), DEFAULT_BIND_HOST);
  gtk_spin_button_set_value (self->bind_port_spin, 8080);
  gtk_check_button_set_active (self->bind_check, TRUE);
  gtk_drop_down_set_selected (self->kind_dropdown, SB_KIND_TCP_SERVER);
  on_kind_changed (self);
}

SbNewSessionDialog *
sb_new_session_dialog_new (GtkWindow *parent,
                           GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SB_TYPE_NEW_SESSION_DIALOG,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
}
