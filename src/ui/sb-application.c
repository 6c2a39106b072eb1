/* sb-application.c — the GtkApplication: command line, settings, app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-application"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-application.h"
#include "sb-codec.h"
#include "sb-engine.h"
#include "sb-preferences-window.h"
#include "sb-preset.h"
#include "sb-style.h"
#include "sb-text-size.h"
#include "sb-window.h"

struct _SbApplication
{
  GtkApplication  parent_instance;

  /* Owned */
  GSettings      *settings;
  char           *presets_dir;

  gboolean        dark_overridden;  /* we set gtk-application-prefer-dark-theme */
};

G_DEFINE_FINAL_TYPE (SbApplication, sb_application, GTK_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "encoding", 'e', 0, G_OPTION_ARG_STRING, NULL,
    N_("Show and send text in ENCODING (UTF-8, GBK, GB18030, Big5, …)"), N_("ENCODING") },
  { "hex", 'x', 0, G_OPTION_ARG_NONE, NULL,
    N_("Show data as hex"), NULL },
  { "send", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Add a rule to each URI’s tab: send TEXT (escapes such as \\r\\n allowed) once connected; servers send it to each new peer"), N_("TEXT") },
  { "preset", 'p', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the sessions of a preset file (not started); with --headless, run them without a window"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    NULL, NULL },
  { NULL }
};

GSettings *
sb_application_get_settings (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  return self->settings;
}

char *
sb_application_dup_encoding (SbApplication *self)
{
  g_autofree char *encoding = NULL;
  const char *canonical;

  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  encoding = g_settings_get_string (self->settings, "encoding");
  if (encoding[0] != '\0' && (canonical = sb_codec_canonical_name (encoding)) != NULL)
    return g_strdup (canonical);

  return g_strdup (sb_codec_default_encoding ());
}

const char *
sb_application_get_presets_dir (SbApplication *self)
{
  g_return_val_if_fail (SB_IS_APPLICATION (self), NULL);

  if (self->presets_dir == NULL)
    self->presets_dir = sb_preset_get_default_dir ();

  return self->presets_dir;
}

void
sb_application_set_presets_dir (SbApplication *self,
                                const char    *dir)
{
  g_return_if_fail (SB_IS_APPLICATION (self));

  g_free (self->presets_dir);
  self->presets_dir = g_strdup (dir);
}

static SbWindow *
get_window (SbApplication *self,
            gboolean      *created)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (created)
    *created = (window == NULL);

  if (window == NULL)
    window = GTK_WINDOW (sb_window_new (GTK_APPLICATION (self), self->settings,
                                        sb_application_get_presets_dir (self)));

  return SB_WINDOW (window);
}

static void
sb_application_activate (GApplication *app)
{
  SbApplication *self = SB_APPLICATION (app);
  gboolean created = FALSE;
  SbWindow *window = get_window (self, &created);

  /* A fresh window starts with the last used set-up, not started. */
  if (created)
    sb_window_add_default_page (window);

  gtk_window_present (GTK_WINDOW (window));
}

static int
sb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sockbench %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static int
sb_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  SbApplication *self = SB_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_session_spec_free);
  g_autofree char *encoding = NULL;
  g_autofree char *send_text = NULL;
  g_autofree char *preset = NULL;
  g_autofree const char **uris = NULL;
  gboolean hex = FALSE;
  gboolean created = FALSE;
  SbWindow *window;
  int status = 0;

  g_variant_dict_lookup (options, "encoding", "s", &encoding);
  g_variant_dict_lookup (options, "send", "s", &send_text);
  g_variant_dict_lookup (options, "preset", "^ay", &preset);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &uris);
  hex = g_variant_dict_contains (options, "hex");

  if (encoding != NULL)
    {
      const char *canonical = sb_codec_canonical_name (encoding);

      if (canonical == NULL)
        {
          g_application_command_line_printerr (cmdline,
                                               _("sockbench: unknown encoding “%s”\n"),
                                               encoding);
          return 2;
        }
      g_free (encoding);
      encoding = g_strdup (canonical);
    }

  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      SbSessionSpec *spec = sb_session_spec_parse (uris[i], &error);

      if (spec == NULL)
        {
          g_application_command_line_printerr (cmdline, "sockbench: %s: %s\n",
                                               uris[i], error->message);
          status = 1;
          continue;
        }

      g_ptr_array_add (specs, spec);
    }

  /* Nothing valid asked for and something was wrong: open nothing. */
  if (specs->len == 0 && status != 0)
    return status;

  if (specs->len == 0 && preset == NULL)
    {
      g_application_activate (app);
      return status;
    }

  window = get_window (self, &created);

  /* The same preset `sockbench --headless --preset FILE` runs. */
  if (preset != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, preset);

      sb_window_open_preset_file (window, file);
    }

  for (guint i = 0; i < specs->len; i++)
    {
      SbOpenOptions open = {
        .encoding = encoding,
        .view_mode = hex ? SB_VIEW_MODE_HEX : -1,
        .send_text = send_text,
        .start = TRUE,
      };

      sb_window_open_spec (window, g_ptr_array_index (specs, i), &open);
    }

  gtk_window_present (GTK_WINDOW (window));

  return status;
}

static void
apply_color_scheme (SbApplication *self)
{
  GtkSettings *gtk_settings = gtk_settings_get_default ();
  g_autofree char *scheme = g_settings_get_string (self->settings, "color-scheme");
  gboolean dark;

  if (gtk_settings == NULL)
    return;

  /* Setting or resetting the property reloads the whole theme, even to the
   * value it has (GTK 4.8): at start-up, with the system's scheme, that was
   * a second theme load for nothing. Touch it only to change it. */
  if (g_str_equal (scheme, "dark") || g_str_equal (scheme, "light"))
    {
      g_object_get (gtk_settings, "gtk-application-prefer-dark-theme", &dark, NULL);
      if (dark != g_str_equal (scheme, "dark"))
        g_object_set (gtk_settings, "gtk-application-prefer-dark-theme", !dark, NULL);
      self->dark_overridden = TRUE;
    }
  else if (self->dark_overridden)
    {
      gtk_settings_reset_property (gtk_settings, "gtk-application-prefer-dark-theme");
      self->dark_overridden = FALSE;
    }
}

static void
on_color_scheme_changed (SbApplication *self)
{
  apply_color_scheme (self);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  SbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SbPreferencesWindow *prefs = sb_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  SbApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *authors[] = { "The Sockbench authors", NULL };

  gtk_show_about_dialog (parent,
                         "program-name", "Sockbench",
                         "version", PACKAGE_VERSION,
                         "logo-icon-name", APPLICATION_ID,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("A workbench for TCP, UDP and UNIX sockets: "
                                       "send and watch bytes in any encoding."),
                         "authors", authors,
                         "translator-credits", _("translator-credits"),
                         "modal", TRUE,
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  SbApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows saves their size and stops their sessions. A
   * window with running sessions asks first, and may stay: then the
   * application stays too, and quits when its last window closes. */
  for (GList *l = windows; l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_entries[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
};

static void
sb_application_startup (GApplication *app)
{
  SbApplication *self = SB_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.new-session", { "<Control>t", "<Control>n", NULL } },
    { "win.close-tab", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", "F1", NULL } },
  };

  /* Before GTK starts its renderer's threads, which then inherit it. */
  sb_engine_yield_to_network ();

  G_APPLICATION_CLASS (sb_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);

  sb_style_load_for_display (gdk_display_get_default ());
  sb_text_size_install (GTK_APPLICATION (self), self->settings);

  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed), self,
                           G_CONNECT_SWAPPED);
  apply_color_scheme (self);
}

static void
sb_application_finalize (GObject *object)
{
  SbApplication *self = SB_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->presets_dir, g_free);

  G_OBJECT_CLASS (sb_application_parent_class)->finalize (object);
}

static void
sb_application_class_init (SbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sb_application_finalize;

  app_class->activate = sb_application_activate;
  app_class->startup = sb_application_startup;
  app_class->command_line = sb_application_command_line;
  app_class->handle_local_options = sb_application_handle_local_options;
}

static void
sb_application_init (SbApplication *self)
{
  self->settings = g_settings_new (APPLICATION_ID);

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[URI…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Opens one tab per session URI and starts it:\n"
      "  tcp://HOST:PORT          tcp-listen://[BIND]:PORT\n"
      "  udp://HOST:PORT          udp-listen://[BIND]:PORT\n"
      "  unix:///PATH             unix-listen:///PATH\n"
      "  unixgram:///PATH[?bind=/PATH]\n"
      "--preset FILE opens a saved preset instead.\n"
      "Run with --headless to print records instead of opening a window;\n"
      "--headless --preset FILE runs a preset with its rules and captures."));
}

SbApplication *
sb_application_new (GApplicationFlags flags)
{
  return g_object_new (SB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", flags | G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/io/github/sockbench/Sockbench",
                       NULL);
}

int
sb_application_run (int    argc,
                    char **argv)
{
  g_autoptr(SbApplication) app = NULL;

  g_set_application_name ("Sockbench");

  app = sb_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
