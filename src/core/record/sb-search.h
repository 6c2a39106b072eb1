/* sb-search.h — finding bytes in a history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-frames.h"
#include "sb-history.h"

G_BEGIN_DECLS

/*
 * SbSearch finds the data records of an SbHistory that contain a pattern:
 * text (encoded once in the view's encoding) or hex bytes. It compares
 * bytes, never decoded text, so a scan costs a memmem per record.
 *
 * The matches are serials in ascending order. New records are scanned in
 * an idle at G_PRIORITY_LOW, SB_SEARCH_CHUNK records per iteration (or by
 * sb_search_scan_step()); matches whose records the cap dropped or a clear
 * removed are forgotten. Lives on the thread that announces the history
 * (the window's).
 *
 * Frames mode (sb_search_set_frames()): the search runs over the frames of
 * the history instead, by their raw bytes, so a pattern cut across reads is
 * found; the matches are then frame numbers (sb_frame_item_get_number()),
 * ascending as the frames are in their model. A frame changed in place (it
 * grew) or the whole model framed again is scanned again.
 *
 * Signal "changed": the matches or the scanning state changed.
 * Properties: "history" (construct-only), "n-matches", "scanning"
 * (read-only; notified with "changed").
 */

#define SB_SEARCH_CHUNK 20000

#define SB_TYPE_SEARCH (sb_search_get_type ())
G_DECLARE_FINAL_TYPE (SbSearch, sb_search, SB, SEARCH, GObject)

/* A search over @history with no pattern yet. */
SbSearch    *sb_search_new            (SbHistory     *history);
SbHistory   *sb_search_get_history    (SbSearch      *self);
/* Searches the frames of @frames (of the same history; NULL: the records
 * again). Matching starts over. */
void         sb_search_set_frames     (SbSearch      *self,
                                       SbFrames      *frames);
SbFrames    *sb_search_get_frames     (SbSearch      *self);

/* Sets the pattern: @text in @encoding, or hex pairs ("48 65 6c") when
 * @hex. "" or NULL clears the search. Returns FALSE with @error (and no
 * pattern) when @text is not valid hex or has a character @encoding cannot
 * write. Matching starts over. */
gboolean     sb_search_set_pattern    (SbSearch      *self,
                                       const char    *text,
                                       gboolean       hex,
                                       const char    *encoding,
                                       GError       **error);
/* TRUE when there is a pattern. */
gboolean     sb_search_has_pattern    (SbSearch      *self);
/* Whether the record's bytes hold the pattern; without a pattern, every
 * record matches; events never match a pattern. */
gboolean     sb_search_matches_item   (SbSearch      *self,
                                       SbHistoryItem *item);
gboolean     sb_search_matches_bytes  (SbSearch      *self,
                                       const guint8  *data,
                                       gsize          len);

/* Scans up to @max_records records not scanned yet; TRUE while some remain. */
gboolean     sb_search_scan_step      (SbSearch      *self,
                                       guint          max_records);
/* TRUE while records are left to scan. */
gboolean     sb_search_get_scanning   (SbSearch      *self);

guint        sb_search_get_n_matches  (SbSearch      *self);
/* The serial of match @index (< n-matches). */
guint64      sb_search_get_match      (SbSearch      *self,
                                       guint          index);
/* The index of the first match whose serial is >= @serial (n-matches when
 * there is none). */
guint        sb_search_find_index     (SbSearch      *self,
                                       guint64        serial);
/* The match after (@forward) or before @from, wrapping around; with @from
 * < 0, the first match (@forward) or the last. FALSE without matches. */
gboolean     sb_search_step           (SbSearch      *self,
                                       gint64         from,
                                       gboolean       forward,
                                       guint64       *serial);

G_END_DECLS
