/* sb-spec-editor.h — edits what a session is: kind and addresses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-address.h"

G_BEGIN_DECLS

#define SB_TYPE_SPEC_EDITOR (sb_spec_editor_get_type ())
G_DECLARE_FINAL_TYPE (SbSpecEditor, sb_spec_editor, SB, SPEC_EDITOR, GtkWidget)

/*
 * Kind, remote host and port (a TCP client also its optional local port:
 * empty for any, PORT or ADDRESS:PORT), bind address and port (UDP: bound
 * or not), UNIX path and local path (datagram, and stream client). Each
 * field is checked by the core's parsers as it is typed: a message shows under the field at fault (fields left empty
 * are only reported by sb_spec_editor_dup_spec()).
 *
 * Signal "changed": any field changed (not emitted by set_spec).
 * Signal "activate": Enter was pressed in one of the fields.
 * Properties: "valid" (read-only, notifies): the fields make a session;
 * "compact" (read-write): the fields side by side in one row, for a bar.
 */
GtkWidget     *sb_spec_editor_new         (void);
/* Fills the fields from @spec. */
void           sb_spec_editor_set_spec    (SbSpecEditor        *self,
                                           const SbSessionSpec *spec);
/* Returns the spec the fields describe (owned by the caller), or NULL with
 * @error; then the message shows under the field at fault, which takes the
 * focus. */
SbSessionSpec *sb_spec_editor_dup_spec    (SbSpecEditor        *self,
                                           GError             **error);
/* The spec the fields describe, or NULL when they make none; shows nothing
 * (for callers that only look, such as a title). */
SbSessionSpec *sb_spec_editor_dup_valid_spec (SbSpecEditor      *self);
SbKind         sb_spec_editor_get_kind    (SbSpecEditor        *self);
gboolean       sb_spec_editor_get_valid   (SbSpecEditor        *self);
gboolean       sb_spec_editor_get_compact (SbSpecEditor        *self);
void           sb_spec_editor_set_compact (SbSpecEditor        *self,
                                           gboolean             compact);

G_END_DECLS
