/* sb-style.c — the one stylesheet, loaded once per display
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-style"

#include "config.h"

#include "sb-style.h"

#define STYLE_RESOURCE "/io/github/sockbench/Sockbench/style.css"
#define STYLE_KEY "sb-style-provider"

void
sb_style_load_for_display (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_object_get_data (G_OBJECT (display), STYLE_KEY) != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, STYLE_RESOURCE);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* The display keeps the provider for as long as it lives. */
  g_object_set_data_full (G_OBJECT (display), STYLE_KEY,
                          g_steal_pointer (&provider), g_object_unref);
}
