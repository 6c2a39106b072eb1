/* gtk-minimal — the smallest GTK 4 application window, for start-up time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkApplication with one GtkApplicationWindow holding a label, shown the
 * way bench-gui shows Sockbench's window. Prints "renderer NAME" (the
 * GskRenderer GTK picked, as bench-gui does) and "first_frame_mono_us" at its
 * first paint (g_get_monotonic_time, CLOCK_MONOTONIC) and exits, or with
 * --hold stays open (for its idle memory) until it is terminated.
 */
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static gboolean hold;
static gint64 t_main;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (data));

  printf ("renderer %s\n", renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  printf ("main_mono_us %" G_GINT64_FORMAT "\n", t_main);
  printf ("first_frame_mono_us %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  if (!hold)
    _exit (0);
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, data);
}

static void
on_activate (GtkApplication *app,
             gpointer        data)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_title (GTK_WINDOW (window), "Minimal");
  /* Sockbench's first window's size (its settings' default). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), gtk_label_new ("Hello"));
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), window);
}

int
main (int    argc,
      char **argv)
{
  GtkApplication *app;

  t_main = g_get_monotonic_time ();
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sockbench-bench-bus", TRUE);

  if (argc > 1 && strcmp (argv[1], "--hold") == 0)
    {
      hold = TRUE;
      argc--;
      argv++;
    }

  app = gtk_application_new ("io.github.sockbench.BenchMinimal", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
