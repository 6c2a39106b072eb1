/* sb-send-plan.h — send messages cut into writes, or several in one write
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-session.h"

G_BEGIN_DECLS

/*
 * A send plan writes to one target of a session on a schedule the person
 * chooses, to show how a byte stream cuts and joins messages (半包 and 粘包)
 * or to pace a large send:
 *
 *   chunk-size N   every message (or batch) goes out as writes of at most N
 *                  bytes (0: one write);
 *   gap-ms M       M ms between two writes, driven by the main loop;
 *   batch K        K pushed messages are joined into one buffer before it is
 *                  written (1: each on its own); sb_send_plan_flush() writes
 *                  a partial batch.
 *
 * Each write is one sb_session_send() (or sb_session_send_to() when the plan
 * has an address), so the session records it as one send. Signals:
 * "finished" when everything pushed has been written, "failed" (a GError,
 * borrowed) when a write fails — what was not yet written is dropped.
 * Properties "sent" and "total" (bytes, guint64, read-only) count since the
 * plan was made. The plan holds a reference on the session and the peer.
 *
 * The thread that made it only: its gaps are timeouts on that thread's
 * default context (the engine's, for a plan made there).
 */

#define SB_TYPE_SEND_PLAN (sb_send_plan_get_type ())
G_DECLARE_FINAL_TYPE (SbSendPlan, sb_send_plan, SB, SEND_PLAN, GObject)

/* @peer and @to are nullable: neither is the session's default target. */
SbSendPlan *sb_send_plan_new            (SbSession      *session,
                                         SbPeer         *peer,
                                         GSocketAddress *to);
void        sb_send_plan_set_chunk_size (SbSendPlan     *self,
                                         gsize           chunk_size);
void        sb_send_plan_set_gap_ms     (SbSendPlan     *self,
                                         guint           gap_ms);
void        sb_send_plan_set_batch      (SbSendPlan     *self,
                                         guint           batch);
/* Queues @bytes; the first write may happen before this returns. Returns
 * FALSE with @error when a write fails at once (the plan is then empty). */
gboolean    sb_send_plan_push           (SbSendPlan     *self,
                                         GBytes         *bytes,
                                         GError        **error);
/* Writes a partly filled batch now. */
gboolean    sb_send_plan_flush          (SbSendPlan     *self,
                                         GError        **error);
/* Drops what is not yet written; no signal. */
void        sb_send_plan_cancel         (SbSendPlan     *self);
/* TRUE while something pushed is not yet written (held batches included). */
gboolean    sb_send_plan_is_busy        (SbSendPlan     *self);
/* TRUE while whole batches wait for their writes (held messages not included). */
gboolean    sb_send_plan_is_writing     (SbSendPlan     *self);
guint64     sb_send_plan_get_sent       (SbSendPlan     *self);
guint64     sb_send_plan_get_total      (SbSendPlan     *self);

G_END_DECLS
