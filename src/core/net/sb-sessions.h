/* sb-sessions.h — making a session of the right kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-engine.h"
#include "sb-session.h"

G_BEGIN_DECLS

/* Returns a new session of the subclass for @spec's kind, on the engine
 * chosen with sb_sessions_set_engine() (none: on the caller's thread). */
SbSession      *sb_session_new               (const SbSessionSpec *spec);
/* The same on @engine (NULL: on the caller's thread). */
SbSession      *sb_session_new_on            (const SbSessionSpec *spec,
                                              SbEngine            *engine);
/* Front ends that draw or print choose the engine their sessions run on. */
void            sb_sessions_set_engine       (SbEngine            *engine);

/* Called with each session sb_session_new() makes, before it is returned:
 * how tools outside the engine (the benchmark probe) watch sessions without
 * the engine knowing them. One hook; NULL removes it. */
typedef void  (*SbSessionCreatedHook)        (SbSession           *session,
                                              gpointer             user_data);
void            sb_session_set_created_hook  (SbSessionCreatedHook hook,
                                              gpointer             user_data);

G_END_DECLS
