/* sb-examples-window.h — tutorial pairs: a server and a client side by side
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-session-page.h"

G_BEGIN_DECLS

#define SB_TYPE_EXAMPLES_WINDOW (sb_examples_window_get_type ())
G_DECLARE_FINAL_TYPE (SbExamplesWindow, sb_examples_window, SB, EXAMPLES_WINDOW, GtkWindow)

/*
 * The examples, by id:
 *   "tcp-greeting"    a TCP server greets each client in UTF-8 and closes
 *   "udp-gbk"         a UDP client sends "hello", the server answers in GBK
 *   "tcp6-greeting"   the greeting pair on [::1]
 *   "unix-greeting"   the greeting pair over a UNIX stream socket
 *
 * Action "examples.start" (the Start button) runs the example shown: it
 * starts the server, waits until it listens, gives the client its port
 * (chosen by the system) and starts the client. Loopback only. Closing
 * the window stops every session in it.
 */

/* Returns a new window, transient for @parent (nullable). */
SbExamplesWindow *sb_examples_window_new             (GtkWindow        *parent);
/* Shows @parent's examples window, made on first use. Borrowed. */
SbExamplesWindow *sb_examples_window_present_for     (GtkWindow        *parent);

/* Property "example": the id of the example shown. */
const char       *sb_examples_window_get_example     (SbExamplesWindow *self);
void              sb_examples_window_set_example     (SbExamplesWindow *self,
                                                      const char       *id);
/* The pages of the example shown. Borrowed. */
/* Whether the pages are shown one at a time under Server | Client tabs:
 * when the window is narrower than the two pages and the list need (an
 * 800×600 or 1280×800 screen). */
gboolean          sb_examples_window_get_compact     (SbExamplesWindow *self);
SbSessionPage    *sb_examples_window_get_server_page (SbExamplesWindow *self);
SbSessionPage    *sb_examples_window_get_client_page (SbExamplesWindow *self);
/* Runs the example shown, as the Start button does. */
void              sb_examples_window_start           (SbExamplesWindow *self);

G_END_DECLS
