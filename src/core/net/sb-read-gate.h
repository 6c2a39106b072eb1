/* sb-read-gate.h — let the rest of the main loop run during a flood
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * Socket readers run at G_PRIORITY_DEFAULT; the history's announcement and
 * GTK's layout and paint run at lower priorities, and would never run while
 * a peer keeps a socket readable. Every reader asks the gate before reading:
 * after a few milliseconds of reading without the main loop reaching the
 * gate's idle (below paint), readers step aside until it does.
 */
typedef void (*SbReadGateResume) (GObject *reader);

/* Returns TRUE when the caller may read now. FALSE: the caller must stop
 * watching its socket; @resume is called with @reader (kept alive until
 * then) once the rest of the main loop has had its turn. */
gboolean sb_read_gate_pass (GObject          *reader,
                            SbReadGateResume  resume);

G_END_DECLS
