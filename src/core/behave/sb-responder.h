/* sb-responder.h — carries out auto-reply rules on a session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-auto-reply.h"
#include "sb-framer.h"
#include "sb-session.h"

G_BEGIN_DECLS

/*
 * A responder holds a list of rules (an SbAutoReply) and answers on the
 * session it is attached to: on-connect rules when a peer connects (a stream
 * client, or a datagram socket with a target, once it is ready), the other
 * rules on each received message. A rule with "close after" closes the
 * connection once what was sent has been written.
 *
 * With a framer other than none, rules match whole frames: each peer's
 * received bytes go through its own framer state, and a rule sees each
 * complete frame (a frame cut at the limit or invalid is not answered).
 * "n-frames" counts the frames answered so (with none: the reads). With
 * templates on, replies are templates expanded with ${rx} (the frame or
 * read being answered) and ${rx.N} (a regex rule's captures); one
 * SbTemplateState per responder, started again when the session changes,
 * so ${seq} counts per session.
 *
 * Properties: "session" (nullable), "error" (GError boxed: the last send that
 * failed, or NULL), "n-rules", "framer" (SbFramer boxed, nullable: none),
 * "templates" (boolean), "n-frames" (guint64).
 * Signals: rules-changed () after a rule was added or removed;
 * replied (SbPeer *peer, GBytes *bytes) after a rule's reply was sent and
 * recorded (peer: nullable, as the session's send takes it).
 *
 * Main thread only.
 */

#define SB_TYPE_RESPONDER (sb_responder_get_type ())
G_DECLARE_FINAL_TYPE (SbResponder, sb_responder, SB, RESPONDER, GObject)

SbResponder           *sb_responder_new         (void);

SbSession             *sb_responder_get_session (SbResponder           *self);
void                   sb_responder_set_session (SbResponder           *self,
                                                 SbSession             *session);
/* The last failure to answer, or NULL. Owned by the responder. */
const GError          *sb_responder_get_error   (SbResponder           *self);
void                   sb_responder_clear_error (SbResponder           *self);

/* The rules. Borrowed; change them through the functions below so
 * "rules-changed" is emitted. */
SbAutoReply           *sb_responder_get_auto_reply (SbResponder        *self);
/* Checks and adds a copy of @rule. On failure nothing is added. */
gboolean               sb_responder_add_rule    (SbResponder           *self,
                                                 const SbAutoReplyRule *rule,
                                                 GError               **error);
void                   sb_responder_remove_rule (SbResponder           *self,
                                                 guint                  index);
void                   sb_responder_clear_rules (SbResponder           *self);
guint                  sb_responder_get_n_rules (SbResponder           *self);
/* Borrowed; valid until the rule is removed. */
const SbAutoReplyRule *sb_responder_get_rule    (SbResponder           *self,
                                                 guint                  index);
/* Frames received bytes with @framer (NULL: none, each read is a message).
 * Per-peer state starts again. */
SbFramer              *sb_responder_get_framer  (SbResponder           *self);
void                   sb_responder_set_framer  (SbResponder           *self,
                                                 SbFramer              *framer);
/* Verifies each received message with @check (copied; NULL: none), so
 * rules with a check filter can select good or bad frames. */
const SbCheckSpec     *sb_responder_get_check   (SbResponder           *self);
void                   sb_responder_set_check   (SbResponder           *self,
                                                 const SbCheckSpec     *check);
gboolean               sb_responder_get_templates (SbResponder         *self);
/* Makes replies templates (or literal again); on failure (a rule that does
 * not parse so) nothing changes. */
gboolean               sb_responder_set_templates (SbResponder         *self,
                                                 gboolean               templates,
                                                 GError               **error);
/* Messages (frames, or reads with no framer) the rules were given. */
guint64                sb_responder_get_n_frames (SbResponder          *self);

/* Replaces every rule with a copy of @other's (and its templates mode). */
void                   sb_responder_copy_rules  (SbResponder           *self,
                                                 SbResponder           *other);

/* Each reply sent is also an event in the session's history (the window
 * shows them; the command line prints what was sent instead). */
void               sb_responder_set_record_replies (SbResponder *self,
                                                    gboolean     record);

G_END_DECLS
