/* sb-tls-options-editor.c — the TLS options of a session spec, as fields
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-tls-options-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-tls-options-editor.h"

struct _SbTlsOptionsEditor
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkExpander    *expander;
  GtkWidget      *grid;
  GtkCheckButton *self_signed_check;
  GtkWidget      *cert_caption;
  GtkEntry       *cert_entry;
  GtkWidget      *key_caption;
  GtkEntry       *key_entry;
  GtkLabel       *ca_caption;
  GtkEntry       *ca_entry;
  GtkWidget      *sni_caption;
  GtkEntry       *sni_entry;
  GtkEntry       *alpn_entry;
  GtkEntry       *keylog_entry;
  GtkCheckButton *insecure_check;

  guint           server : 1;
  /* relay-tls: a certificate for clients, and the upstream's CAs and SNI */
  guint           relay : 1;
  guint           filling : 1;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbTlsOptionsEditor, sb_tls_options_editor, GTK_TYPE_WIDGET)

static void update_summary (SbTlsOptionsEditor *self);

static void
update_fields (SbTlsOptionsEditor *self)
{
  gboolean self_signed = self->server && gtk_check_button_get_active (self->self_signed_check);
  /* A relay is a server to its clients and a client upstream. */
  gboolean upstream = !self->server || self->relay;

  gtk_widget_set_visible (GTK_WIDGET (self->self_signed_check), self->server);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cert_entry), !self_signed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_entry), !self_signed);
  gtk_widget_set_sensitive (self->cert_caption, !self_signed);
  gtk_widget_set_sensitive (self->key_caption, !self_signed);
  gtk_widget_set_visible (self->sni_caption, upstream);
  gtk_widget_set_visible (GTK_WIDGET (self->sni_entry), upstream);
  gtk_label_set_text_with_mnemonic (self->ca_caption,
                                    self->relay ? _("Upstream’s C_As (PEM)")
                                    : self->server ? _("Client C_As (PEM)") : _("Trusted C_As (PEM)"));
  gtk_entry_set_placeholder_text (self->ca_entry,
                                  upstream ? _("empty: the system’s authorities")
                                           : _("empty: no client certificate asked for"));
  gtk_entry_set_placeholder_text (self->cert_entry,
                                  self->server ? _("/path/to/cert.pem")
                                               : _("optional: a client certificate (mutual TLS)"));
  update_summary (self);
}

/* Closed, the expander still says what is set: nothing a session does is
 * hidden, and the page stays short. */
static void
update_summary (SbTlsOptionsEditor *self)
{
  g_autoptr(SbTlsOptions) options = sb_tls_options_editor_dup_options (self);
  g_autoptr(GString) text = g_string_new (_("TLS options"));
  const char *parts[8];
  guint n = 0;

  if (self->relay && (options == NULL || options->cert_file == NULL))
    parts[n++] = _("self-signed certificate");
  if (options != NULL)
    {
      if (options->self_signed)
        parts[n++] = _("self-signed certificate");
      else if (options->cert_file != NULL)
        parts[n++] = self->server ? _("certificate") : _("client certificate");
      if (options->ca_file != NULL)
        parts[n++] = self->server && !self->relay ? _("client certificates required") : _("own CAs");
      if (options->sni != NULL)
        parts[n++] = "SNI";
      if (options->alpn != NULL)
        parts[n++] = "ALPN";
      if (options->keylog_file != NULL)
        parts[n++] = _("key log");
      if (options->insecure)
        parts[n++] = _("insecure");
    }
  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, i == 0 ? ": %s" : ", %s", parts[i]);
  gtk_expander_set_label (self->expander, text->str);
}

static void
field_changed_cb (SbTlsOptionsEditor *self)
{
  update_summary (self);
  if (!self->filling)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
self_signed_toggled_cb (SbTlsOptionsEditor *self)
{
  update_fields (self);
  field_changed_cb (self);
}

static void
sb_tls_options_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SB_TYPE_TLS_OPTIONS_EDITOR);

  G_OBJECT_CLASS (sb_tls_options_editor_parent_class)->dispose (object);
}

static void
sb_tls_options_editor_class_init (SbTlsOptionsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sb_tls_options_editor_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/sockbench/Sockbench/sb-tls-options-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, expander);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, grid);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, self_signed_check);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, cert_caption);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, cert_entry);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, key_caption);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, key_entry);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, ca_caption);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, ca_entry);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, sni_caption);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, sni_entry);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, alpn_entry);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, keylog_entry);
  gtk_widget_class_bind_template_child (widget_class, SbTlsOptionsEditor, insecure_check);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, self_signed_toggled_cb);
}

static void
sb_tls_options_editor_init (SbTlsOptionsEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_fields (self);
}

void
sb_tls_options_editor_set_server (SbTlsOptionsEditor *self,
                                  gboolean            server)
{
  g_return_if_fail (SB_IS_TLS_OPTIONS_EDITOR (self));

  server = !!server;
  if (self->server == server)
    return;
  self->server = server;
  /* A new server has no certificate yet: offer to make one. */
  if (server && gtk_editable_get_text (GTK_EDITABLE (self->cert_entry))[0] == '\0')
    {
      self->filling = TRUE;
      gtk_check_button_set_active (self->self_signed_check, TRUE);
      self->filling = FALSE;
    }
  update_fields (self);
}

void
sb_tls_options_editor_set_relay (SbTlsOptionsEditor *self,
                                 gboolean            relay)
{
  g_return_if_fail (SB_IS_TLS_OPTIONS_EDITOR (self));

  relay = !!relay;
  if (self->relay == relay)
    return;
  self->relay = relay;
  update_fields (self);
}

static void
set_text (GtkEntry   *entry,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text != NULL ? text : "");
}

void
sb_tls_options_editor_set_options (SbTlsOptionsEditor *self,
                                   const SbTlsOptions *options)
{
  SbTlsOptions empty = { 0 };

  g_return_if_fail (SB_IS_TLS_OPTIONS_EDITOR (self));

  if (options == NULL)
    options = &empty;

  self->filling = TRUE;
  set_text (self->cert_entry, options->cert_file);
  set_text (self->key_entry, options->key_file);
  set_text (self->ca_entry, options->ca_file);
  set_text (self->sni_entry, options->sni);
  set_text (self->alpn_entry, options->alpn);
  set_text (self->keylog_entry, options->keylog_file);
  gtk_check_button_set_active (self->insecure_check, options->insecure);
  /* A relay without cert= makes one, as its spec says or not. */
  gtk_check_button_set_active (self->self_signed_check,
                               options->self_signed || (self->relay && options->cert_file == NULL));
  self->filling = FALSE;
  update_fields (self);
}

static char *
dup_field (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  return text[0] != '\0' ? g_steal_pointer (&text) : NULL;
}

SbTlsOptions *
sb_tls_options_editor_dup_options (SbTlsOptionsEditor *self)
{
  g_autoptr(SbTlsOptions) options = sb_tls_options_new ();
  gboolean self_signed;

  g_return_val_if_fail (SB_IS_TLS_OPTIONS_EDITOR (self), NULL);

  self_signed = self->server && gtk_check_button_get_active (self->self_signed_check);
  /* A relay makes one unless given cert=: no self-signed=1 to write. */
  options->self_signed = self_signed && !self->relay;
  if (!self_signed)
    {
      options->cert_file = dup_field (self->cert_entry);
      options->key_file = dup_field (self->key_entry);
    }
  options->ca_file = dup_field (self->ca_entry);
  if (!self->server || self->relay)
    options->sni = dup_field (self->sni_entry);
  options->alpn = dup_field (self->alpn_entry);
  options->keylog_file = dup_field (self->keylog_entry);
  options->insecure = gtk_check_button_get_active (self->insecure_check);

  return sb_tls_options_is_empty (options) ? NULL : g_steal_pointer (&options);
}
