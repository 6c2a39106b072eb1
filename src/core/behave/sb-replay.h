/* sb-replay.h — one side of a recorded conversation, played again on a session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-history.h"
#include "sb-session.h"

G_BEGIN_DECLS

/*
 * A replay plays the tx records of a script (a history seen from the side
 * to play: an imported capture's stream, sb_capture_file_to_history()) on
 * the session it is attached to, to each peer that connects (a client: its
 * one connection; a datagram socket with a target: the target, once ready).
 *
 * Turns are kept: a message is sent once as many bytes were received from
 * the peer as the script received before it, so a server is answered after
 * its question, not before. With "timed", a message also waits the gap the
 * recording had before it (counted from the step before); without, it goes
 * as soon as its turn comes. The script's half-close (our FIN) is a
 * shutdown of the write side; at its end the connection is closed once
 * what was sent is written, if the script closed it.
 *
 * What the replay does shows in the session's history as info events.
 * Properties: "session" (nullable), "timed", "n-finished" (peers whose
 * script ran to its end; notify). Main thread only (the engine's thread).
 */

#define SB_TYPE_REPLAY (sb_replay_get_type ())
G_DECLARE_FINAL_TYPE (SbReplay, sb_replay, SB, REPLAY, GObject)

/* @script is copied (its stored records, in order). */
SbReplay  *sb_replay_new            (SbHistory *script,
                                     gboolean   timed);
void       sb_replay_set_session    (SbReplay  *self,
                                     SbSession *session);
SbSession *sb_replay_get_session    (SbReplay  *self);
gboolean   sb_replay_get_timed      (SbReplay  *self);
guint      sb_replay_get_n_finished (SbReplay  *self);
/* Bytes the script sends, in all. */
guint64    sb_replay_get_script_bytes (SbReplay *self);

G_END_DECLS
