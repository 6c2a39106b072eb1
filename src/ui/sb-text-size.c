/* sb-text-size.c — a text size for the history, the send box and the teaching views
 *
 * The size is a percentage kept in GSettings and applied as one style sheet
 * on the display, so every window and every page follows it at once and
 * nothing is stored in widgets. Lists of GtkInscriptions take their line
 * height from the font, so rows grow with it.
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-text-size"

#include "config.h"

#include "sb-text-size.h"

/* Steps as zoom in a browser: small near 100 %, larger further out. */
static const int steps[] = { 70, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300 };

int
sb_text_size_step (int size,
                   int direction)
{
  if (direction == 0)
    return SB_TEXT_SIZE_DEFAULT;
  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
        if (steps[i] > size)
          return steps[i];
      return SB_TEXT_SIZE_MAX;
    }
  for (guint i = G_N_ELEMENTS (steps); i > 0; i--)
    if (steps[i - 1] < size)
      return steps[i - 1];
  return SB_TEXT_SIZE_MIN;
}

char *
sb_text_size_to_css (int size)
{
  size = CLAMP (size, SB_TEXT_SIZE_MIN, SB_TEXT_SIZE_MAX);
  if (size == SB_TEXT_SIZE_DEFAULT)
    return g_strdup ("");
  /* The containers only: their children inherit the size, and a
   * percentage on them would compound. */
  return g_strdup_printf ("sb-history-view columnview > listview, sb-send-panel textview, "
                          "sb-teaching-panel stack { font-size: %d%%; }\n",
                          size);
}

typedef struct
{
  GSettings      *settings;
  GtkCssProvider *provider;
} TextSize;

static void
text_size_free (gpointer data)
{
  TextSize *ts = data;

  g_signal_handlers_disconnect_by_data (ts->settings, ts);
  g_clear_object (&ts->settings);
  g_clear_object (&ts->provider);
  g_free (ts);
}

static void
apply (TextSize *ts)
{
  g_autofree char *css = sb_text_size_to_css (g_settings_get_int (ts->settings, "text-size"));

  gtk_css_provider_load_from_data (ts->provider, css, -1);
}

static void
step_activate_cb (GSimpleAction *action,
                  GVariant      *param,
                  TextSize      *ts)
{
  const char *name = g_action_get_name (G_ACTION (action));
  int direction = g_str_equal (name, "text-larger") ? 1 : g_str_equal (name, "text-smaller") ? -1 : 0;
  int size = g_settings_get_int (ts->settings, "text-size");

  g_settings_set_int (ts->settings, "text-size", sb_text_size_step (size, direction));
}

void
sb_text_size_install (GtkApplication *app,
                      GSettings      *settings)
{
  static const struct {
    const char *name;
    const char *accels[4];
  } actions[] = {
    { "text-larger", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
    { "text-smaller", { "<Control>minus", "<Control>KP_Subtract", NULL } },
    { "text-reset", { "<Control>0", "<Control>KP_0", NULL } },
  };
  TextSize *ts;
  GdkDisplay *display = gdk_display_get_default ();

  g_return_if_fail (GTK_IS_APPLICATION (app));
  g_return_if_fail (G_IS_SETTINGS (settings));

  ts = g_new0 (TextSize, 1);
  ts->settings = g_object_ref (settings);
  ts->provider = gtk_css_provider_new ();
  /* Lives as long as the application. */
  g_object_set_data_full (G_OBJECT (app), "sb-text-size", ts, text_size_free);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (actions[i].name, NULL);
      g_autofree char *detailed = g_strconcat ("app.", actions[i].name, NULL);

      g_signal_connect (action, "activate", G_CALLBACK (step_activate_cb), ts);
      g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (action));
      gtk_application_set_accels_for_action (app, detailed, actions[i].accels);
    }

  g_signal_connect_swapped (settings, "changed::text-size", G_CALLBACK (apply), ts);
  apply (ts);
  if (display != NULL)
    gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (ts->provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}
