/* sb-send-panel.h — compose and send text or bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-session.h"
#include "sb-session-setup.h"

G_BEGIN_DECLS

#define SB_TYPE_SEND_PANEL (sb_send_panel_get_type ())
G_DECLARE_FINAL_TYPE (SbSendPanel, sb_send_panel, SB, SEND_PANEL, GtkWidget)

/* Properties: "session" (nullable), "view-encoding" (what "Same as view"
 * means), "selected-peer" (the peer chosen in the peers list, nullable). */
void        sb_send_panel_set_session        (SbSendPanel *self,
                                              SbSession   *session);
void        sb_send_panel_set_view_encoding  (SbSendPanel *self,
                                              const char  *encoding);
void        sb_send_panel_set_selected_peer  (SbSendPanel *self,
                                              SbPeer      *peer);
/* Makes the selected peer the target of the next sends. */
void        sb_send_panel_target_selected    (SbSendPanel *self);

void        sb_send_panel_set_text           (SbSendPanel *self,
                                              const char  *text);
/* Returns the text in the editor, newly allocated. */
char       *sb_send_panel_dup_text           (SbSendPanel *self);
void        sb_send_panel_set_hex            (SbSendPanel *self,
                                              gboolean     hex);
/* Sends what the editor holds, as the Send button does (repeat included).
 * Returns FALSE and shows the error inline when nothing could be sent. */
gboolean    sb_send_panel_send               (SbSendPanel *self);
/* The error shown over the editor, or "". Borrowed. */
const char *sb_send_panel_get_error_text     (SbSendPanel *self);
/* Sends @file to the current target, as "Send a file…" does after its
 * dialog; errors show inline. Does nothing while a file is being sent. */
void        sb_send_panel_send_file          (SbSendPanel *self,
                                              GFile       *file);
gboolean    sb_send_panel_is_sending_file    (SbSendPanel *self);

/* Shows @setup's draft and its options (send-*, templates, snippets) and
 * writes what is changed back into it; NULL unbinds. */
void        sb_send_panel_bind_setup         (SbSendPanel    *self,
                                              SbSessionSetup *setup);
/* The bytes the next send writes, as hex ("48 69"), or NULL when the
 * message cannot be built. Newly allocated. */
char       *sb_send_panel_dup_preview        (SbSendPanel *self);

G_END_DECLS
