/* sb-capture-window.h — a stream of an imported capture, read-only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-history.h"
#include "sb-pcapng.h"
#include "sb-replay.h"

G_BEGIN_DECLS

#define SB_TYPE_CAPTURE_WINDOW (sb_capture_window_get_type ())
G_DECLARE_FINAL_TYPE (SbCaptureWindow, sb_capture_window, SB, CAPTURE_WINDOW, GtkWindow)

/* Actions: capture.replay ("client" or "server"): emits "replay" with a
 * replay of that side of the shown stream and the spec of a session to play
 * it on; capture.replay-timed (the "replay-timed" property): with the
 * recorded gaps. */

/* Shows the streams of @capture (taken) read from @name; the first one is
 * shown, seen from its client. */
SbCaptureWindow *sb_capture_window_new          (GtkWindow     *parent,
                                                 SbCaptureFile *capture,
                                                 const char    *name);
/* Shows stream @index (of sb_capture_file_get_streams()) from one side. */
void             sb_capture_window_show_stream  (SbCaptureWindow *self,
                                                 guint            index,
                                                 gboolean         as_server);
/* Frames the shown history with @spec (as --frame takes it; "" or "none":
 * reads as they came). FALSE, and nothing changes, for a bad spec. */
gboolean         sb_capture_window_set_framing  (SbCaptureWindow *self,
                                                 const char      *spec);
/* The encoding the history is shown in (the view's drop-down changes it too). */
void             sb_capture_window_set_encoding (SbCaptureWindow *self,
                                                 const char      *encoding);
/* The history shown. Borrowed. */
SbHistory       *sb_capture_window_get_history  (SbCaptureWindow *self);

G_END_DECLS
