/* sb-window.h — the workbench window: one tab per session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-session-page.h"

G_BEGIN_DECLS

/* How sb_window_open_spec() sets up a new page. */
typedef struct
{
  const char *encoding;    /* NULL: the application's default */
  int         view_mode;   /* an SbViewMode, or -1: the default from the settings */
  const char *send_text;   /* NULL, or text (with escapes) to send once connected:
                            * an on-connect rule of the page */
  gboolean    start;
} SbOpenOptions;

#define SB_TYPE_WINDOW (sb_window_get_type ())
G_DECLARE_FINAL_TYPE (SbWindow, sb_window, SB, WINDOW, GtkApplicationWindow)

/* @settings (nullable): the application's settings, where the window keeps
 * its size, the last URIs and the default encoding and view; @presets_dir
 * (nullable: sb_preset_get_default_dir()): where presets are kept. */
SbWindow      *sb_window_new              (GtkApplication      *application,
                                           GSettings           *settings,
                                           const char          *presets_dir);
/* Adds a page for @spec and selects it. Returns the page (borrowed). */
SbSessionPage *sb_window_open_spec        (SbWindow            *self,
                                           const SbSessionSpec *spec,
                                           const SbOpenOptions *options);
/* Adds a page with the last used set-up, not started. */
SbSessionPage *sb_window_add_default_page (SbWindow            *self);
guint          sb_window_get_n_pages      (SbWindow            *self);
/* Returns the page at @index, or NULL. Borrowed. */
SbSessionPage *sb_window_get_page         (SbWindow            *self,
                                           guint                index);
SbSessionPage *sb_window_get_current_page (SbWindow            *self);
/* Stops the page's session and removes its tab. */
void           sb_window_close_page       (SbWindow            *self,
                                           SbSessionPage       *page);
/* Returns a preset of every page's SbSessionSetup: what Presets → Save
 * Current… and Export… write. */
GKeyFile      *sb_window_save_state       (SbWindow            *self);
/* Opens every page of a preset as new tabs (not started). Returns how many. */
guint          sb_window_load_state       (SbWindow            *self,
                                           GKeyFile            *keyfile,
                                           GError             **error);
/* Reads @file and opens its pages, as Presets → Open does; errors show in
 * the banner. */
void           sb_window_open_preset_file (SbWindow            *self,
                                           GFile               *file);
/* Shows @message in the window's banner until dismissed. */
void           sb_window_show_error       (SbWindow            *self,
                                           const char          *message);

G_END_DECLS
