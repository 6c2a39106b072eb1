/* sb-tcp-state-view.h — the kernel's view of a session's TCP sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-session.h"

G_BEGIN_DECLS

#define SB_TYPE_TCP_STATE_VIEW (sb_tcp_state_view_get_type ())
G_DECLARE_FINAL_TYPE (SbTcpStateView, sb_tcp_state_view, SB, TCP_STATE_VIEW, GtkWidget)

/*
 * The state, RTT, congestion window, retransmits and queues of the session's
 * own socket (a server's listening socket, a client's connection) and of each
 * connection a server accepted. Refreshed once a second while mapped.
 * Non-TCP sessions get a line saying why there is nothing to show.
 */
GtkWidget  *sb_tcp_state_view_new         (void);
/* Property "session" (nullable). */
SbSession  *sb_tcp_state_view_get_session (SbTcpStateView *self);
void        sb_tcp_state_view_set_session (SbTcpStateView *self,
                                           SbSession      *session);
/* Queries the kernel now instead of at the next tick. */
void        sb_tcp_state_view_refresh     (SbTcpStateView *self);
/* The state shown for the session's own socket ("LISTEN", "ESTABLISHED"…),
 * or NULL when none is. */
const char *sb_tcp_state_view_get_state   (SbTcpStateView *self);
/* The table shown under a socket's state: label, value, label, value…
 * (“Receive queue”, “0 bytes”). Newly allocated array of strings. */
GPtrArray  *sb_tcp_state_view_table_rows  (const SbTcpInfo *info);

G_END_DECLS
