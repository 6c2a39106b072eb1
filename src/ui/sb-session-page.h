/* sb-session-page.h — one session in a tab: setup bar, history, send panel, peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-address.h"
#include "sb-auto-reply.h"
#include "sb-replay.h"
#include "sb-session.h"
#include "sb-session-setup.h"
#include "sb-view-mode.h"

G_BEGIN_DECLS

#define SB_TYPE_SESSION_PAGE (sb_session_page_get_type ())
G_DECLARE_FINAL_TYPE (SbSessionPage, sb_session_page, SB, SESSION_PAGE, GtkWidget)

/* Returns a new page whose setup bar is filled from @spec; not started. */
SbSessionPage *sb_session_page_new           (const SbSessionSpec *spec);
/* Returns a new page showing @setup (a preset page), not started. The page
 * keeps @setup and writes what is changed on the page back to it. */
SbSessionPage *sb_session_page_new_for_setup (SbSessionSetup      *setup);

/* Property "setup" (construct-only): everything that describes the page.
 * Returns it brought up to date (spec of the setup bar or of the running
 * session, send draft): what "Presets → Save Current…" writes. Borrowed. */
SbSessionSetup *sb_session_page_get_setup    (SbSessionPage *self);

/* Property "session": the session of the last Start, or NULL before it.
 * A Start with a changed setup makes a new session (and so a new history). */
SbSession     *sb_session_page_get_session   (SbSessionPage *self);
void           sb_session_page_start         (SbSessionPage *self);
/* Plays @replay (nullable: none) on the page's sessions, this one and any
 * a later Start makes: a recorded side of an imported capture. */
void           sb_session_page_set_replay    (SbSessionPage *self,
                                              SbReplay      *replay);
void           sb_session_page_stop          (SbSessionPage *self);

/* Property "title" (notifies): the tab label, e.g. "TCP server :8080". */
const char    *sb_session_page_get_title     (SbSessionPage *self);

/* Property "encoding": the canonical codec name the history is shown in. */
const char    *sb_session_page_get_encoding  (SbSessionPage *self);
void           sb_session_page_set_encoding  (SbSessionPage *self,
                                              const char    *encoding);

/* Property "view-mode". */
SbViewMode     sb_session_page_get_view_mode (SbSessionPage *self);
void           sb_session_page_set_view_mode (SbSessionPage *self,
                                              SbViewMode     mode);

/* Property "spec" (boxed SbSessionSpec; notifies on Start). Returns a copy
 * of the setup bar's current spec (of the running session while it runs). */
SbSessionSpec *sb_session_page_dup_spec      (SbSessionPage *self);

/* Auto-reply (the setup's responder): checks and adds a copy of @rule, as
 * Add Rule does. */
gboolean       sb_session_page_add_auto_reply_rule (SbSessionPage         *self,
                                                    const SbAutoReplyRule *rule,
                                                    GError               **error);
/* The page's auto-reply rules. Borrowed. */
SbAutoReply   *sb_session_page_get_auto_reply (SbSessionPage *self);
/* Shows @message in the page's message bar (NULL hides it). */
void           sb_session_page_show_message  (SbSessionPage *self,
                                              const char    *message);
/* Counts from zero again from now (the history keeps its records). */
void           sb_session_page_reset_counters (SbSessionPage *self);

/* Opens the teaching views on @view: "calls", "sequence", "bytes" or "tcp". */
void           sb_session_page_show_teaching (SbSessionPage *self,
                                              const char    *view);

G_END_DECLS
