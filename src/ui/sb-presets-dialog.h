/* sb-presets-dialog.h — Presets → Open: the saved presets, to open or delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * Lists the presets of "presets-dir" (construct-only). Open emits
 * open (GFile *file) and closes the dialog; Delete removes the file and
 * refreshes the list. Failures are emitted as failed (const char *message).
 */

#define SB_TYPE_PRESETS_DIALOG (sb_presets_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SbPresetsDialog, sb_presets_dialog, SB, PRESETS_DIALOG, GtkWindow)

SbPresetsDialog *sb_presets_dialog_new (GtkWindow  *parent,
                                        const char *presets_dir);

G_END_DECLS
