/* sb-preferences-window.c — the settings of new sessions and of the look
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-application.h"
#include "sb-codec.h"
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
  char         **encodings;   /* the setting values of encoding_dropdown's rows */
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

  /* An unknown value (an encoding this build lacks) shows as the first row. */
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
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_autofree char *automatic = NULL;
  const SbEncodingInfo *encodings;
  guint n_encodings = 0;

  /* TRANSLATORS: %s is an encoding such as UTF-8 or GB18030 */
  automatic = g_strdup_printf (_("By language (%s)"), sb_codec_default_encoding ());
  gtk_string_list_append (labels, automatic);
  g_strv_builder_add (values, "");

  encodings = sb_codec_get_encodings (&n_encodings);
  for (guint i = 0; i < n_encodings; i++)
    {
      g_autofree char *label = NULL;

      if (encodings[i].description != NULL && encodings[i].description[0] != '\0')
        label = g_strdup_printf ("%s — %s", encodings[i].name, _(encodings[i].description));
      else
        label = g_strdup (encodings[i].name);

      gtk_string_list_append (labels, label);
      g_strv_builder_add (values, encodings[i].name);
    }

  self->encodings = g_strv_builder_end (values);
  gtk_drop_down_set_model (self->encoding_dropdown, G_LIST_MODEL (labels));
}

static void
sb_preferences_window_constructed (GObject *object)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (sb_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (self->settings != NULL);

  build_encodings (self);

  bind_choices (self, "encoding", self->encoding_dropdown, (const char * const *) self->encodings);
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

  /* The bindings point into self->encodings: drop them first. */
  if (self->encoding_dropdown != NULL)
    g_settings_unbind (self->encoding_dropdown, "selected");

  gtk_widget_dispose_template (GTK_WIDGET (self), SB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sb_preferences_window_parent_class)->dispose (object);
}

static void
sb_preferences_window_finalize (GObject *object)
{
  SbPreferencesWindow *self = SB_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->encodings, g_strfreev);

  G_OBJECT_CLASS (sb_preferences_window_parent_class)->finalize (object);
}

static void
sb_preferences_window_class_init (SbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = sb_preferences_window_constructed;
  object_class->dispose = sb_preferences_window_dispose;
  object_class->finalize = sb_preferences_window_finalize;
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
