/* sb-application.h — the GtkApplication: command line, settings, app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SB_TYPE_APPLICATION (sb_application_get_type ())
G_DECLARE_FINAL_TYPE (SbApplication, sb_application, SB, APPLICATION, GtkApplication)

/* Runs the application (main.c calls this when not --headless). */
int            sb_application_run                (int            argc,
                                                  char         **argv);

/* Returns a new application; tests pass G_APPLICATION_NON_UNIQUE. */
SbApplication *sb_application_new                (GApplicationFlags flags);
/* Returns the application's settings (io.github.sockbench.Sockbench). Borrowed. */
GSettings     *sb_application_get_settings       (SbApplication *self);
/* Returns the encoding of new sessions: the "encoding" setting, or when it is
 * empty the encoding the language suggests. Newly allocated. */
char          *sb_application_dup_encoding       (SbApplication *self);
/* Returns the encoding a language suggests: GB18030 for Simplified Chinese,
 * Big5 for Traditional Chinese, UTF-8 otherwise. Static. */
/* Same, for an explicit list of language names (as g_get_language_names()). */
/* Returns the presets directory this application uses. Borrowed. */
const char    *sb_application_get_presets_dir    (SbApplication *self);
/* Overrides the presets directory (tests). */
void           sb_application_set_presets_dir    (SbApplication *self,
                                                  const char    *dir);

G_END_DECLS
