/* sb-preferences-window.c — the settings of new sessions and of the look
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-encoding-model.h"
#include "sb-preferences-window.h"

struct _SbPreferencesWindow
{
  GtkWindow    parent_instance;

  /* Template widgets */
  GtkDropDown   *encoding_dropdown;
  GtkDropDown   *view_mode_dropdown;
  GtkSwitch     *start_switch;
  GtkSpinButton *records_spin;
  GtkSpinButton *mib_spin;
  GtkSpinButton *timeout_spin;
  GtkDropDown   *style_dropdown;

  /* Owned */
  GSettings     *settings;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const view_modes[] = { "text", "hex", "both", NULL };
static const char * const color_schemes[] = { "default", "light", "dark", NULL };

G_DEFINE_FINAL_TYPE (SbPreferencesWindow, sb_preferences_window, GTK_TYPE_WINDOW)

/* A string setting with choices ⇄ the position in a drop-down. */
static gboolean
choice_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *current = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    {
      if (g_str_equal (choices[i], current))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  /* An unknown value shows as the first row. */
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
choice_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const char * const *choices = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) choices))
    return NULL;

  return g_variant_new_string (choices[selected]);
}

static void
bind_choices (SbPreferencesWindow *self,
              const char          *key,
              GtkDropDown         *dropdown,
              const char * const  *choices)
{
  g_settings_bind_with_mapping (self->settings, key,
                                dropdown, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                choice_get_mapping, choice_set_mapping,
                                (gpointer) choices, NULL);
}

static void
build_encodings (SbPreferencesWindow *self)
{
  g_autofree char *automatic = NULL;

  /* TRANSLATORS: %s is an encoding such as UTF-8 or GB18030 */
  automatic = g_strdup_printf (_("By language (%s)"), sb_codec_default_encoding ());
  sb_encoding_drop_down_setup (self->encoding_dropdown, SB_ENCODING_MODEL_WITH_HEX, automatic, FALSE);
  sb_encoding_drop_down_bind_setting (self->encoding_dropdown, self->settings, "encoding");
}

static void
sb_preferences_window_constructed (GObject *object)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (sb_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (self->settings != NULL);

  build_encodings (self);

  bind_choices (self, "view-mode", self->view_mode_dropdown, view_modes);
  bind_choices (self, "color-scheme", self->style_dropdown, color_schemes);

  g_settings_bind (self->settings, "start-new-sessions",
                   self->start_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-max-records",
                   self->records_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-max-mib",
                   self->mib_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "connect-timeout",
                   self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
}

static void
sb_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

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
sb_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

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
sb_preferences_window_dispose (GObject *object)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

  if (self->encoding_dropdown != NULL)
    g_settings_unbind (self->encoding_dropdown, "selected");

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sb_preferences_window_parent_class)->dispose (object);
}

static void
sb_preferences_window_class_init (SbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_preferences_window_constructed;
  object_class->dispose = sb_preferences_window_dispose;
  object_class->get_property = sb_preferences_window_get_property;
  object_class->set_property = sb_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/sockbench/Sockbench/sb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, encoding_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, view_mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, start_switch);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, records_spin);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, mib_spin);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, SbPreferencesWindow, style_dropdown);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
sb_preferences_window_init (SbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SbPreferencesWindow *
sb_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (SB_TYPE_PREFERENCES_WINDOW,
                       "settings", settings,
                       NULL);
}
