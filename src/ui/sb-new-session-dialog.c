/* sb-new-session-dialog.c — asks what to open in a new tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-new-session-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-new-session-dialog.h"
#include "sb-spec-editor.h"

struct _SbNewSessionDialog
{
  GtkWindow       parent_instance;

  /* Template widgets */
  SbSpecEditor   *editor;
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

SbSessionSpec *
sb_new_session_dialog_dup_spec (SbNewSessionDialog  *self,
                                GError             **error)
{
  g_return_val_if_fail (SB_IS_NEW_SESSION_DIALOG (self), NULL);
  return sb_spec_editor_dup_spec (self->editor, error);
}

void
sb_new_session_dialog_set_spec (SbNewSessionDialog  *self,
                                const SbSessionSpec *spec)
{
  g_return_if_fail (SB_IS_NEW_SESSION_DIALOG (self));
  g_return_if_fail (spec != NULL);
  sb_spec_editor_set_spec (self->editor, spec);
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

  g_type_ensure (SB_TYPE_SPEC_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-new-session-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, editor);
  gtk_widget_class_bind_template_child (widget_class, SbNewSessionDialog, start_check);

  gtk_widget_class_install_action (widget_class, "dialog.create", NULL, create_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sb_new_session_dialog_init (SbNewSessionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
