/* sb-repeat.h — one message sent again and again, on the session's thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-session.h"
#include "sb-template.h"

G_BEGIN_DECLS

/*
 * "Repeat every N ms, M times": the first message goes when the repeat
 * starts, then one per slot of a steady schedule measured from the start
 * (slot k at start + k × interval). A send that comes a whole interval late
 * or more moves the schedule (sb_repeat_lateness()): missed slots are
 * skipped, never sent in a burst.
 *
 * What is sent: constant bytes, or a template expanded for each message
 * with a template state (${seq} counts on) followed by a suffix (the line
 * ending, already encoded). With a send plan (chunk size, gap, batch: see
 * sb-send-plan.h) each message goes through one SbSendPlan made for the
 * repeat; a message waits until the plan has written the one before (the
 * slot is then late), so nothing piles up; at the end a partly filled batch
 * is flushed and the repeat ends once the plan has written everything.
 *
 * It ends by itself when it has sent @count messages (0: never), when a
 * send fails (the error says why; SB_SESSION_ERROR_BUSY when the peer does
 * not read and the session's queue is full: nothing grows without bound),
 * or when the session stops being connected or listening (no error: the
 * session says why).
 *
 * Threads. Made, started, stopped and read on one thread, the owner's (the
 * window's). The timer, the expansions, the writes and the plan run where
 * the session runs: on its engine's thread (a session without an engine:
 * on the owner's, with sources on its thread-default context).
 *
 *   - sb_repeat_start() and sb_repeat_stop() run on the engine and wait for
 *     it. After sb_repeat_stop() returns the engine never touches the
 *     repeat, its template state or anything of the caller's again: its
 *     timer is destroyed, its plan cancelled and the session's signals
 *     disconnected, all on the engine, before the call returns.
 *   - The template state belongs to the repeat from sb_repeat_start() until
 *     sb_repeat_stop() returned or "running" reads FALSE; the owner must not
 *     expand or preview with it meanwhile. After that it is the owner's
 *     again, stepped once per message sent: ${seq} continues from there.
 *   - Progress ("n-sent", "late", "plan-sent", "plan-total") is published
 *     at most 10 times a second, and at the end; "running" becomes FALSE
 *     when the repeat ended by itself. Their notify:: is emitted on the
 *     owner's thread (sb_owner_notify()), possibly after the values
 *     changed: the getters read the latest values under a lock.
 */

#define SB_TYPE_REPEAT (sb_repeat_get_type ())
G_DECLARE_FINAL_TYPE (SbRepeat, sb_repeat, SB, REPEAT, GObject)

/* Returns a repeat of @bytes (NULL when a template is set instead) to
 * @peer (nullable: the session's default target) or @to (nullable:
 * datagram sockets, any address), every @interval_ms (at least 1), @count
 * times (0: until stopped). */
SbRepeat     *sb_repeat_new              (SbSession       *session,
                                          SbPeer          *peer,
                                          GSocketAddress  *to,
                                          GBytes          *bytes,
                                          guint            interval_ms,
                                          guint64          count);
/* Instead of constant bytes: @template expanded with @state (borrowed: it
 * must outlive the repeat, see "Threads" above), then @suffix (nullable).
 * Before sb_repeat_start(). */
void          sb_repeat_set_template     (SbRepeat        *self,
                                          SbTemplate      *template,
                                          SbTemplateState *state,
                                          GBytes          *suffix);
/* Sends through a send plan: writes of at most @chunk_size bytes (0:
 * whole), @gap_ms apart, @batch messages joined into one buffer. Before
 * sb_repeat_start(). */
void          sb_repeat_set_plan         (SbRepeat        *self,
                                          gsize            chunk_size,
                                          guint            gap_ms,
                                          guint            batch);
/* Sends the first message and schedules the rest. Returns FALSE with
 * @error when the first send fails; the repeat is then not running. */
gboolean      sb_repeat_start            (SbRepeat        *self,
                                          GError         **error);
/* Stops it, and waits until the engine let go (see "Threads"). What a plan
 * had not written yet is dropped. No notification. Safe to call twice. */
void          sb_repeat_stop             (SbRepeat        *self);

gboolean      sb_repeat_get_running      (SbRepeat        *self);
/* Messages sent (handed to the session or the plan), the first included. */
guint64       sb_repeat_get_n_sent       (SbRepeat        *self);
/* How late (µs) the last message was behind its slot. */
gint64        sb_repeat_get_late         (SbRepeat        *self);
/* With a plan: bytes written, and bytes pushed into it. */
guint64       sb_repeat_get_plan_sent    (SbRepeat        *self);
guint64       sb_repeat_get_plan_total   (SbRepeat        *self);
/* Why the repeat ended by itself, or NULL (still running, stopped, count
 * reached, session stopped). Owned by the repeat; set once. */
const GError *sb_repeat_get_error        (SbRepeat        *self);
guint         sb_repeat_get_interval_ms  (SbRepeat        *self);
guint64       sb_repeat_get_count        (SbRepeat        *self);

/* The schedule: slot @done is due at *@start + @done × @interval (µs).
 * Returns how late it is at @now (negative: not yet due). When it is a
 * whole interval late or more, *@start moves so that slot @done is due
 * now: the schedule stays even after a stall instead of bursting. */
gint64        sb_repeat_lateness         (gint64          *start,
                                          gint64           interval,
                                          guint64          done,
                                          gint64           now);

G_END_DECLS
