/* sb-framer-collector.h — a stream's frames, handed out as they end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-framer.h"

G_BEGIN_DECLS

/*
 * A collector frames one stream (a peer's received bytes) with a framer
 * state and hands each frame that ends to a function, with its bytes, as
 * the responder, the headless front end and the benchmarks need them.
 *
 * A frame that lies inside the bytes just fed is handed out where it lies:
 * nothing is copied or allocated for it. Only a frame that began in bytes
 * fed before is put together, in a buffer the collector keeps and reuses.
 * Between feeds the collector keeps the frame in progress (bounded by the
 * framer's limit) and the last SB_FRAMER_MAX_PATTERN bytes.
 *
 * Used by one thread.
 */

SbFramerCollector *sb_framer_collector_new      (SbFramer          *framer);
void               sb_framer_collector_free     (SbFramerCollector *self);

/* Frames @data (one read at @time_us, used by gap) and hands each frame it
 * ends to @func. Returns FALSE if @func stopped it (the rest of @data is
 * still followed, so the next feed goes on where this one ended). */
gboolean           sb_framer_collector_feed     (SbFramerCollector *self,
                                                 const guint8      *data,
                                                 gsize              len,
                                                 gint64             time_us,
                                                 SbFramerFrameFunc  func,
                                                 gpointer           user_data);
/* gap: ends the frame in progress if @now_us is at least the gap after its
 * last read, handing it to @func. FALSE if @func stopped. */
gboolean           sb_framer_collector_tick     (SbFramerCollector *self,
                                                 gint64             now_us,
                                                 SbFramerFrameFunc  func,
                                                 gpointer           user_data);
/* gap: when the frame in progress would end, or 0 if nothing waits. */
gint64             sb_framer_collector_get_deadline (SbFramerCollector *self);
/* The stream ended: a frame in progress ends as the framer says
 * (sb_framer_state_end) and goes to @func; the collector starts over.
 * FALSE if @func stopped. Called from the function of a feed or tick, it
 * stops that call instead, and what was in progress is dropped. */
gboolean           sb_framer_collector_end      (SbFramerCollector *self,
                                                 SbFramerFrameFunc  func,
                                                 gpointer           user_data);
/* Bytes kept between feeds: at most the framer's limit and
 * SB_FRAMER_MAX_PATTERN. */
gsize              sb_framer_collector_get_n_held (SbFramerCollector *self);
/* TRUE when nothing is in progress: dropping the collector loses nothing. */
gboolean           sb_framer_collector_is_idle  (SbFramerCollector *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbFramerCollector, sb_framer_collector_free)

G_END_DECLS
