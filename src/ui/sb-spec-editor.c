/* sb-spec-editor.c — edits what a session is: kind and addresses
 *
 * Every field is checked through the core (sb-address.h), in one place,
 * check_fields(), so a message is the one the command line would give.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-spec-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-spec-editor.h"
#include "sb-tls-options-editor.h"

#define DEFAULT_BIND_HOST "127.0.0.1"

/* How check_fields() reports what is wrong. */
typedef enum
{
  REPORT_NONE,    /* only the result */
  REPORT_TYPED,   /* under fields whose text is wrong, as it is typed */
  REPORT_ALL,     /* also fields left empty, and focus the first at fault */
} Report;

struct _SbSpecEditor
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkBox         *box;
  GtkWidget      *kind_caption;
  GtkDropDown    *kind_dropdown;
  GtkWidget      *remote_box;
  GtkLabel       *remote_caption;
  GtkEntry       *host_entry;
  GtkWidget      *port_label;
  GtkSpinButton  *port_spin;
  GtkWidget      *host_row;
  GtkWidget      *local_port_box;
  GtkEntry       *local_port_entry;
  GtkLabel       *remote_error;
  GtkCheckButton *bind_check;
  GtkWidget      *bind_box;
  GtkLabel       *bind_caption;
  GtkEntry       *bind_entry;
  GtkSpinButton  *bind_port_spin;
  GtkWidget      *bind_hint;
  GtkWidget      *any_warning;
  GtkLabel       *bind_error;
  GtkWidget      *path_box;
  GtkLabel       *path_caption;
  GtkEntry       *path_entry;
  GtkLabel       *path_error;
  GtkWidget      *local_path_box;
  GtkLabel       *local_path_caption;
  GtkEntry       *local_path_entry;
  GtkLabel       *local_path_error;
  GtkLabel       *general_error;

  /* Borrowed: made on first use (ensure_tls_editor), owned by the box */
  SbTlsOptionsEditor *tls_editor;

  guint           valid : 1;
  guint           compact : 1;
  guint           filling : 1;   /* in set_spec: no "changed" */
};

static SbTlsOptionsEditor *ensure_tls_editor (SbSpecEditor *self);

enum {
  PROP_0,
  PROP_VALID,
  PROP_COMPACT,
  N_PROPS
};

enum {
  CHANGED,
  ACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbSpecEditor, sb_spec_editor, GTK_TYPE_WIDGET)

SbKind
sb_spec_editor_get_kind (SbSpecEditor *self)
{
  guint selected;

  g_return_val_if_fail (SB_IS_SPEC_EDITOR (self), SB_KIND_TCP_CLIENT);

  selected = gtk_drop_down_get_selected (self->kind_dropdown);
  return selected < SB_N_KINDS ? (SbKind) selected : SB_KIND_TCP_CLIENT;
}

/* --- Messages --- */

static void
clear_field (GtkWidget *field)
{
  gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  gtk_widget_remove_css_class (field, "error");
}

static void
hide_errors (SbSpecEditor *self)
{
  GtkLabel *labels[] = { self->remote_error, self->bind_error, self->path_error,
                         self->local_path_error, self->general_error };
  GtkEntry *entries[] = { self->host_entry, self->bind_entry, self->path_entry, self->local_path_entry,
                          self->local_port_entry };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    gtk_widget_set_visible (GTK_WIDGET (labels[i]), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    clear_field (GTK_WIDGET (entries[i]));
}

/* Shows @error under @field (through @label) as @report says; @empty: the
 * field was left empty. */
static void
report_error (Report        report,
              GtkLabel     *label,
              GtkWidget    *field,
              gboolean      empty,
              const GError *error)
{
  if (report == REPORT_NONE || (report == REPORT_TYPED && empty))
    return;
  gtk_label_set_text (label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
  if (field == NULL)
    return;
  gtk_widget_add_css_class (field, "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error->message,
                                  -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                               GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                               -1);
  if (report == REPORT_ALL)
    gtk_widget_grab_focus (field);
}

/* --- Checking, through the core --- */

static char *
dup_text (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

/* Reads a host field and a port: each field is checked by the core's
 * per-field validation first (so "300.1.2.3" is "not a valid IPv4
 * address", never a failed lookup), then joined through its parser. */
static gboolean
read_host_port (SbKind          kind,
                SbSpecField     host_field,
                GtkEntry       *entry,
                GtkSpinButton  *spin,
                const char     *default_host,
                char          **host,
                guint16        *port,
                GError        **error)
{
  g_autofree char *text = dup_text (entry);
  g_autofree char *joined = NULL;
  g_autofree char *port_text = NULL;
  gsize len = strlen (text);
  guint16 value = (guint16) gtk_spin_button_get_value_as_int (spin);

  if ((len > 0 || default_host == NULL) &&
      !sb_session_spec_check_field (kind, host_field, text, error))
    return FALSE;
  port_text = g_strdup_printf ("%u", value);
  if (!sb_session_spec_check_field (kind,
                                    host_field == SB_SPEC_FIELD_HOST ? SB_SPEC_FIELD_PORT : SB_SPEC_FIELD_BIND_PORT,
                                    port_text, error))
    return FALSE;

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

/* A TCP client's local side: "" (none: the system chooses), "PORT", or
 * "ADDRESS:PORT" / "[v6]:PORT". Checked by the core's field checks. */
static gboolean
read_local_port (GtkEntry   *entry,
                 gboolean   *has_bind,
                 char      **host,
                 guint16    *port,
                 GError    **error)
{
  g_autofree char *text = dup_text (entry);
  g_autoptr(GError) local_error = NULL;

  *has_bind = FALSE;
  if (text[0] == '\0')
    return TRUE;

  if (text[0] != '[' && strchr (text, ':') == NULL)
    {
      if (!sb_session_spec_check_field (SB_KIND_TCP_CLIENT, SB_SPEC_FIELD_BIND_PORT, text, error))
        return FALSE;
      *port = (guint16) g_ascii_strtoull (text, NULL, 10);
      *has_bind = TRUE;
      return TRUE;
    }

  if (!sb_address_parse_host_port (text, TRUE, host, port, &local_error))
    {
      /* Translators: “Local port: …” before what is wrong with it. */
      g_prefix_error (&local_error, "%s: ", _("Local port"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *has_bind = TRUE;
  return TRUE;
}

static gboolean
entry_is_empty (GtkEntry *entry)
{
  g_autofree char *text = dup_text (entry);

  return text[0] == '\0';
}

/* The one place that asks the core whether the fields make a session. */
static SbSessionSpec *
check_fields (SbSpecEditor  *self,
              Report         report,
              GError       **error)
{
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autoptr(SbSessionSpec) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  SbKind kind = sb_spec_editor_get_kind (self);

  if (report != REPORT_NONE)
    hide_errors (self);

  spec = sb_session_spec_new (kind);
  g_clear_pointer (&spec->bind_host, g_free);
  spec->has_bind = FALSE;

  switch (kind)
    {
    case SB_KIND_TLS_CLIENT:
    case SB_KIND_DTLS_CLIENT:
      if (!read_host_port (kind, SB_SPEC_FIELD_HOST, self->host_entry, self->port_spin, NULL,
                           &spec->host, &spec->port, &local_error))
        {
          report_error (report, self->remote_error, GTK_WIDGET (self->host_entry),
                        entry_is_empty (self->host_entry), local_error);
          goto fail;
        }
      spec->tls = sb_tls_options_editor_dup_options (ensure_tls_editor (self));
      break;

    case SB_KIND_TLS_SERVER:
    case SB_KIND_DTLS_SERVER:
      spec->has_bind = TRUE;
      if (!read_host_port (kind, SB_SPEC_FIELD_BIND_HOST, self->bind_entry, self->bind_port_spin, DEFAULT_BIND_HOST,
                           &spec->bind_host, &spec->bind_port, &local_error))
        {
          report_error (report, self->bind_error, GTK_WIDGET (self->bind_entry), FALSE, local_error);
          goto fail;
        }
      spec->tls = sb_tls_options_editor_dup_options (ensure_tls_editor (self));
      break;

    case SB_KIND_TCP_CLIENT:
      if (!read_host_port (kind, SB_SPEC_FIELD_HOST, self->host_entry, self->port_spin, NULL,
                           &spec->host, &spec->port, &local_error))
        {
          report_error (report, self->remote_error, GTK_WIDGET (self->host_entry),
                        entry_is_empty (self->host_entry), local_error);
          goto fail;
        }
      if (!read_local_port (self->local_port_entry, &spec->has_bind,
                            &spec->bind_host, &spec->bind_port, &local_error))
        {
          report_error (report, self->remote_error, GTK_WIDGET (self->local_port_entry),
                        FALSE, local_error);
          goto fail;
        }
      break;

    case SB_KIND_TCP_SERVER:
      spec->has_bind = TRUE;
      if (!read_host_port (kind, SB_SPEC_FIELD_BIND_HOST, self->bind_entry, self->bind_port_spin, DEFAULT_BIND_HOST,
                           &spec->bind_host, &spec->bind_port, &local_error))
        {
          report_error (report, self->bind_error, GTK_WIDGET (self->bind_entry), FALSE, local_error);
          goto fail;
        }
      break;

    case SB_KIND_UDP:
      if (!entry_is_empty (self->host_entry) &&
          !read_host_port (kind, SB_SPEC_FIELD_HOST, self->host_entry, self->port_spin, NULL,
                           &spec->host, &spec->port, &local_error))
        {
          report_error (report, self->remote_error, GTK_WIDGET (self->host_entry), FALSE, local_error);
          goto fail;
        }
      if (gtk_check_button_get_active (self->bind_check))
        {
          spec->has_bind = TRUE;
          if (!read_host_port (kind, SB_SPEC_FIELD_BIND_HOST, self->bind_entry, self->bind_port_spin, DEFAULT_BIND_HOST,
                               &spec->bind_host, &spec->bind_port, &local_error))
            {
              report_error (report, self->bind_error, GTK_WIDGET (self->bind_entry), FALSE, local_error);
              goto fail;
            }
        }
      if (spec->host == NULL && !spec->has_bind)
        {
          g_set_error_literal (&local_error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                               _("Enter where to send, or bind a local address to receive, or both."));
          report_error (report, self->remote_error, GTK_WIDGET (self->host_entry), TRUE, local_error);
          goto fail;
        }
      break;

    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UDP:
    case SB_KIND_RELAY_TLS:
      spec->has_bind = TRUE;
      if (!read_host_port (kind, SB_SPEC_FIELD_BIND_HOST, self->bind_entry, self->bind_port_spin, DEFAULT_BIND_HOST,
                           &spec->bind_host, &spec->bind_port, &local_error))
        {
          report_error (report, self->bind_error, GTK_WIDGET (self->bind_entry), FALSE, local_error);
          goto fail;
        }
      if (!read_host_port (kind, SB_SPEC_FIELD_HOST, self->host_entry, self->port_spin, NULL,
                           &spec->host, &spec->port, &local_error))
        {
          report_error (report, self->remote_error, GTK_WIDGET (self->host_entry),
                        entry_is_empty (self->host_entry), local_error);
          goto fail;
        }
      if (kind == SB_KIND_RELAY_TLS)
        spec->tls = sb_tls_options_editor_dup_options (ensure_tls_editor (self));
      break;

    case SB_KIND_RELAY_UNIX:
      {
        g_autofree char *path = dup_text (self->path_entry);
        g_autofree char *local_path = dup_text (self->local_path_entry);
        g_autoptr(GSocketAddress) check = NULL;

        if (!sb_session_spec_check_field (kind, SB_SPEC_FIELD_BIND_PATH, local_path, &local_error) ||
            !(check = sb_address_new_unix (local_path, &local_error)))
          {
            report_error (report, self->local_path_error, GTK_WIDGET (self->local_path_entry),
                          local_path[0] == '\0', local_error);
            goto fail;
          }
        g_clear_object (&check);
        if (!sb_session_spec_check_field (kind, SB_SPEC_FIELD_PATH, path, &local_error) ||
            !(check = sb_address_new_unix (path, &local_error)))
          {
            report_error (report, self->path_error, GTK_WIDGET (self->path_entry),
                          path[0] == '\0', local_error);
            goto fail;
          }
        spec->path = g_steal_pointer (&path);
        spec->bind_path = g_steal_pointer (&local_path);
      }
      break;

    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
    case SB_KIND_UNIX_DGRAM:
      {
        g_autofree char *path = dup_text (self->path_entry);
        g_autofree char *local_path = dup_text (self->local_path_entry);
        g_autoptr(GSocketAddress) check = NULL;

        if (path[0] != '\0' &&
            (!sb_session_spec_check_field (kind, SB_SPEC_FIELD_PATH, path, &local_error) ||
             !(check = sb_address_new_unix (path, &local_error))))
          {
            report_error (report, self->path_error, GTK_WIDGET (self->path_entry), FALSE, local_error);
            goto fail;
          }
        g_clear_object (&check);

        if ((kind == SB_KIND_UNIX_DGRAM || kind == SB_KIND_UNIX_CLIENT) && local_path[0] != '\0' &&
            (!sb_session_spec_check_field (kind, SB_SPEC_FIELD_BIND_PATH, local_path, &local_error) ||
             !(check = sb_address_new_unix (local_path, &local_error))))
          {
            report_error (report, self->local_path_error, GTK_WIDGET (self->local_path_entry),
                          FALSE, local_error);
            goto fail;
          }

        if (path[0] == '\0' && (kind != SB_KIND_UNIX_DGRAM || local_path[0] == '\0'))
          {
            g_set_error_literal (&local_error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID,
                                 kind == SB_KIND_UNIX_DGRAM
                                 ? _("Enter where to send, or a local path to receive on, or both.")
                                 : _("Enter the path of the socket."));
            report_error (report, self->path_error, GTK_WIDGET (self->path_entry), TRUE, local_error);
            goto fail;
          }

        if (path[0] != '\0')
          spec->path = g_steal_pointer (&path);
        if ((kind == SB_KIND_UNIX_DGRAM || kind == SB_KIND_UNIX_CLIENT) && local_path[0] != '\0')
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
        else if (sb_session_spec_check_field (kind, SB_SPEC_FIELD_HOST, host, &local_error))
          {
            icmp_uri = g_strconcat ("icmp://", host, NULL);
            icmp = sb_session_spec_parse (icmp_uri, &local_error);
          }

        if (icmp == NULL)
          {
            report_error (report, self->remote_error, GTK_WIDGET (self->host_entry),
                          host[0] == '\0', local_error);
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
      report_error (report, self->general_error, NULL, FALSE, local_error);
      goto fail;
    }
  return g_steal_pointer (&parsed);

fail:
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static void
set_valid (SbSpecEditor *self,
           gboolean      valid)
{
  valid = !!valid;
  if (self->valid == valid)
    return;
  self->valid = valid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* Checks the fields as they are typed. */
static void
revalidate (SbSpecEditor *self)
{
  g_autoptr(SbSessionSpec) spec = check_fields (self, REPORT_TYPED, NULL);

  set_valid (self, spec != NULL);
}

static void
revalidate_silently (SbSpecEditor *self)
{
  g_autoptr(SbSessionSpec) spec = check_fields (self, REPORT_NONE, NULL);

  set_valid (self, spec != NULL);
}

/* --- Fields --- */

static void
update_any_warning (SbSpecEditor *self)
{
  g_autofree char *bind = dup_text (self->bind_entry);

  gtk_widget_set_visible (self->any_warning, sb_address_is_any (bind));
}

static void field_changed_cb (SbSpecEditor *self);

/* The TLS fields are made when a TLS kind is first chosen: most editors
 * (and the first window's) never show them. The box owns them. */
static SbTlsOptionsEditor *
ensure_tls_editor (SbSpecEditor *self)
{
  if (self->tls_editor == NULL)
    {
      self->tls_editor = g_object_new (SB_TYPE_TLS_OPTIONS_EDITOR, "visible", FALSE, NULL);
      g_signal_connect_swapped (self->tls_editor, "changed", G_CALLBACK (field_changed_cb), self);
      /* Where the template had them: just above the general error. */
      gtk_box_insert_child_after (self->box, GTK_WIDGET (self->tls_editor),
                                  gtk_widget_get_prev_sibling (GTK_WIDGET (self->general_error)));
    }

  return self->tls_editor;
}

static void
update_fields (SbSpecEditor *self)
{
  SbKind kind = sb_spec_editor_get_kind (self);
  gboolean udp_bound = gtk_check_button_get_active (self->bind_check);
  gboolean inet_relay = kind == SB_KIND_RELAY_TCP || kind == SB_KIND_RELAY_UDP || kind == SB_KIND_RELAY_TLS;

  gtk_widget_set_visible (self->remote_box,
                          kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_UDP || kind == SB_KIND_ICMP ||
                          kind == SB_KIND_TLS_CLIENT || kind == SB_KIND_DTLS_CLIENT || inet_relay);
  if (sb_kind_is_tls (kind))
    {
      SbTlsOptionsEditor *tls_editor = ensure_tls_editor (self);

      gtk_widget_set_visible (GTK_WIDGET (tls_editor), TRUE);
      sb_tls_options_editor_set_server (tls_editor, sb_kind_is_server (kind));
      sb_tls_options_editor_set_relay (tls_editor, kind == SB_KIND_RELAY_TLS);
    }
  else if (self->tls_editor != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->tls_editor), FALSE);
  /* ICMP has no ports. */
  gtk_widget_set_visible (self->port_label, kind != SB_KIND_ICMP);
  gtk_widget_set_visible (GTK_WIDGET (self->port_spin), kind != SB_KIND_ICMP);
  gtk_widget_set_visible (GTK_WIDGET (self->bind_check), kind == SB_KIND_UDP);
  gtk_widget_set_visible (self->bind_box,
                          kind == SB_KIND_TCP_SERVER || kind == SB_KIND_TLS_SERVER ||
                          kind == SB_KIND_DTLS_SERVER || (kind == SB_KIND_UDP && udp_bound) || inet_relay);
  gtk_widget_set_visible (self->path_box, sb_kind_is_unix (kind));
  gtk_widget_set_visible (self->local_path_box, kind == SB_KIND_UNIX_DGRAM || kind == SB_KIND_UNIX_CLIENT ||
                                                kind == SB_KIND_RELAY_UNIX);
  gtk_widget_set_visible (self->local_port_box, kind == SB_KIND_TCP_CLIENT);
  if (kind == SB_KIND_UNIX_CLIENT)
    gtk_label_set_text_with_mnemonic (self->local_path_caption, _("_Local path (optional, to connect from)"));
  else if (kind == SB_KIND_RELAY_UNIX)
    gtk_label_set_text_with_mnemonic (self->local_path_caption, _("_Listen on path (clients connect here)"));
  else
    gtk_label_set_text_with_mnemonic (self->local_path_caption, _("_Local path (optional, to receive replies)"));

  if (kind == SB_KIND_UDP)
    gtk_label_set_text_with_mnemonic (self->remote_caption, _("Send _to (optional)"));
  else if (kind == SB_KIND_ICMP)
    gtk_label_set_text_with_mnemonic (self->remote_caption, _("_Host to ping"));
  else if (inet_relay)
    gtk_label_set_text_with_mnemonic (self->remote_caption, _("Pass on _to (the server)"));
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
    case SB_KIND_RELAY_UNIX:
      gtk_label_set_text_with_mnemonic (self->path_caption, _("Pass on to _path (the server)"));
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
}

static void
changed (SbSpecEditor *self)
{
  revalidate (self);
  if (!self->filling)
    g_signal_emit (self, signals[CHANGED], 0);
}

/* A UDP socket bound to where it sends gets its own datagrams back: when
 * the person switches to UDP with the target and the bind address the
 * same, bind any free port instead (issue 19, item 6). */
static void
separate_udp_bind (SbSpecEditor *self)
{
  g_autofree char *host = dup_text (self->host_entry);
  g_autofree char *bind = dup_text (self->bind_entry);

  if (self->filling || sb_spec_editor_get_kind (self) != SB_KIND_UDP ||
      !gtk_check_button_get_active (self->bind_check))
    return;
  if (g_strcmp0 (host, bind) == 0 &&
      gtk_spin_button_get_value_as_int (self->port_spin) == gtk_spin_button_get_value_as_int (self->bind_port_spin))
    gtk_spin_button_set_value (self->bind_port_spin, 0);
}

static void
kind_changed_cb (SbSpecEditor *self)
{
  separate_udp_bind (self);
  update_fields (self);
  changed (self);
}

static void
field_changed_cb (SbSpecEditor *self)
{
  update_any_warning (self);
  changed (self);
}

static void
entry_activate_cb (SbSpecEditor *self)
{
  g_signal_emit (self, signals[ACTIVATE], 0);
}

/* --- Public --- */

GtkWidget *
sb_spec_editor_new (void)
{
  return g_object_new (SB_TYPE_SPEC_EDITOR, NULL);
}

static void
set_entry (GtkEntry   *entry,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
}

void
sb_spec_editor_set_spec (SbSpecEditor        *self,
                         const SbSessionSpec *spec)
{
  g_return_if_fail (SB_IS_SPEC_EDITOR (self));
  g_return_if_fail (spec != NULL);

  self->filling = TRUE;
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
  if (spec->kind == SB_KIND_TCP_CLIENT && spec->has_bind)
    {
      g_autofree char *local = spec->bind_host != NULL
                               ? sb_address_format_host_port (spec->bind_host, spec->bind_port)
                               : g_strdup_printf ("%u", spec->bind_port);

      set_entry (self->local_port_entry, local);
    }
  else
    {
      set_entry (self->local_port_entry, NULL);
    }
  if (spec->kind == SB_KIND_UNIX_CLIENT)
    set_entry (self->local_path_entry, spec->bind_path);
  if (spec->kind == SB_KIND_UDP && spec->host == NULL)
    set_entry (self->host_entry, NULL);
  if (spec->kind == SB_KIND_UNIX_DGRAM || spec->kind == SB_KIND_RELAY_UNIX)
    {
      set_entry (self->path_entry, spec->path);
      set_entry (self->local_path_entry, spec->bind_path);
    }

  gtk_check_button_set_active (self->bind_check,
                               spec->kind != SB_KIND_UDP || spec->has_bind || spec->host == NULL);
  gtk_drop_down_set_selected (self->kind_dropdown, spec->kind);
  update_fields (self);
  if (sb_kind_is_tls (spec->kind))
    sb_tls_options_editor_set_options (ensure_tls_editor (self), spec->tls);
  self->filling = FALSE;
  /* A spec from elsewhere shows clean; what is wrong shows as it is edited. */
  hide_errors (self);
  revalidate_silently (self);
}

SbSessionSpec *
sb_spec_editor_dup_valid_spec (SbSpecEditor *self)
{
  g_return_val_if_fail (SB_IS_SPEC_EDITOR (self), NULL);

  return check_fields (self, REPORT_NONE, NULL);
}

SbSessionSpec *
sb_spec_editor_dup_spec (SbSpecEditor  *self,
                         GError       **error)
{
  SbSessionSpec *spec;

  g_return_val_if_fail (SB_IS_SPEC_EDITOR (self), NULL);

  spec = check_fields (self, REPORT_ALL, error);
  set_valid (self, spec != NULL);
  return spec;
}

gboolean
sb_spec_editor_get_valid (SbSpecEditor *self)
{
  g_return_val_if_fail (SB_IS_SPEC_EDITOR (self), FALSE);
  return self->valid;
}

gboolean
sb_spec_editor_get_compact (SbSpecEditor *self)
{
  g_return_val_if_fail (SB_IS_SPEC_EDITOR (self), FALSE);
  return self->compact;
}

void
sb_spec_editor_set_compact (SbSpecEditor *self,
                            gboolean      compact)
{
  GtkWidget *sections[5];

  g_return_if_fail (SB_IS_SPEC_EDITOR (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;

  /* One row: the sections side by side, aligned at the top, without the
   * headings' extra space and the hint. */
  sections[0] = self->remote_box;
  sections[1] = GTK_WIDGET (self->bind_check);
  sections[2] = self->bind_box;
  sections[3] = self->path_box;
  sections[4] = self->local_path_box;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->box),
                                  compact ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (self->box, compact ? 12 : 6);
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      gtk_widget_set_margin_top (sections[i], compact ? 0 : 12);
      gtk_widget_set_valign (sections[i], compact ? GTK_ALIGN_START : GTK_ALIGN_FILL);
      gtk_widget_set_hexpand (sections[i], compact && sections[i] != GTK_WIDGET (self->bind_check));
    }
  gtk_widget_set_visible (self->kind_caption, !compact);
  /* The local port: beside the remote port in the bar, a row of its own
   * (so the host keeps its width) in a dialog. */
  g_object_ref (self->local_port_box);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (self->local_port_box)), self->local_port_box);
  if (compact)
    gtk_box_append (GTK_BOX (self->host_row), self->local_port_box);
  else
    gtk_box_insert_child_after (GTK_BOX (self->remote_box), self->local_port_box, self->host_row);
  g_object_unref (self->local_port_box);
  gtk_widget_set_valign (GTK_WIDGET (self->kind_dropdown), compact ? GTK_ALIGN_START : GTK_ALIGN_FILL);
  gtk_widget_set_visible (self->bind_hint, !compact);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

/* --- GObject --- */

static void
sb_spec_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_SPEC_EDITOR);
  /* It went with the box. */
  SB_SPEC_EDITOR (object)->tls_editor = NULL;

  G_OBJECT_CLASS (sb_spec_editor_parent_class)->dispose (object);
}

static void
sb_spec_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SbSpecEditor *self = SB_SPEC_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_spec_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SbSpecEditor *self = SB_SPEC_EDITOR (object);

  switch (prop_id)
    {
    case PROP_COMPACT:
      sb_spec_editor_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_spec_editor_class_init (SbSpecEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_spec_editor_dispose;
  object_class->get_property = sb_spec_editor_get_property;
  object_class->set_property = sb_spec_editor_set_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-spec-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, box);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, kind_caption);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, remote_box);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, remote_caption);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, host_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, port_label);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, port_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, host_row);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, local_port_box);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, local_port_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, remote_error);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, bind_check);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, bind_box);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, bind_caption);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, bind_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, bind_port_spin);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, bind_hint);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, any_warning);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, bind_error);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, path_box);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, path_caption);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, path_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, path_error);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, local_path_box);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, local_path_caption);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, local_path_entry);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, local_path_error);
  gtk_widget_class_bind_template_child (widget_class, SbSpecEditor, general_error);
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sb-spec-editor");
}

static void
sb_spec_editor_init (SbSpecEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the page's one-row bar the UDP check's long label wraps rather than
   * hold the window wider than 800 px (GtkCheckButton makes the label). */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->bind_check));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      {
        gtk_label_set_wrap (GTK_LABEL (child), TRUE);
        gtk_label_set_wrap_mode (GTK_LABEL (child), PANGO_WRAP_WORD_CHAR);
        gtk_label_set_xalign (GTK_LABEL (child), 0.0f);
      }

  /* GTK 4.8 spin buttons have no activates-default; their text has. */
  gtk_text_set_activates_default (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->port_spin))), TRUE);
  gtk_text_set_activates_default (GTK_TEXT (gtk_editable_get_delegate (GTK_EDITABLE (self->bind_port_spin))), TRUE);
  g_signal_connect_object (self->port_spin, "value-changed", G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->bind_port_spin, "value-changed", G_CALLBACK (field_changed_cb), self, G_CONNECT_SWAPPED);
  {
    GtkWidget *entries[] = {
      GTK_WIDGET (self->host_entry), GTK_WIDGET (self->bind_entry),
      GTK_WIDGET (self->path_entry), GTK_WIDGET (self->local_path_entry),
      GTK_WIDGET (self->local_port_entry),
      GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->port_spin))),
      GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->bind_port_spin))),
    };

    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      g_signal_connect_object (entries[i], "activate", G_CALLBACK (entry_activate_cb), self, G_CONNECT_SWAPPED);
  }

  /* A TCP server on 127.0.0.1:8080 until told otherwise. */
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_entry), "127.0.0.1");
  gtk_spin_button_set_value (self->port_spin, 8080);
  gtk_editable_set_text (GTK_EDITABLE (self->bind_entry), DEFAULT_BIND_HOST);
  gtk_spin_button_set_value (self->bind_port_spin, 8080);
  gtk_check_button_set_active (self->bind_check, TRUE);
  gtk_drop_down_set_selected (self->kind_dropdown, SB_KIND_TCP_SERVER);
  update_fields (self);
  self->filling = FALSE;
  revalidate_silently (self);
}
