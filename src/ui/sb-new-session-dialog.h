/* sb-new-session-dialog.h — asks what to open in a new tab
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-address.h"

G_BEGIN_DECLS

#define SB_TYPE_NEW_SESSION_DIALOG (sb_new_session_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SbNewSessionDialog, sb_new_session_dialog, SB, NEW_SESSION_DIALOG, GtkWindow)

/*
 * Signal "create" (const SbSessionSpec *spec, gboolean start): the user
 * pressed Create and the input is valid; the dialog closes afterwards.
 * Cancel and Escape just close it.
 */
SbNewSessionDialog *sb_new_session_dialog_new      (GtkWindow           *parent,
                                                    GSettings           *settings);
/* Fills the fields from @spec. */
void                sb_new_session_dialog_set_spec (SbNewSessionDialog  *self,
                                                    const SbSessionSpec *spec);
/* Returns the spec the fields describe, or NULL and shows why under the
 * field at fault (and in @error). */
SbSessionSpec      *sb_new_session_dialog_dup_spec (SbNewSessionDialog  *self,
                                                    GError             **error);

G_END_DECLS
