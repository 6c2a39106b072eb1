/* sb-peers-view.h — the peers of a server or datagram session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-history-view.h"
#include "sb-session.h"

G_BEGIN_DECLS

#define SB_TYPE_PEERS_VIEW (sb_peers_view_get_type ())
G_DECLARE_FINAL_TYPE (SbPeersView, sb_peers_view, SB, PEERS_VIEW, GtkWidget)

/* Properties: "session" (nullable), "selected-peer" (read-only, nullable).
 * Signal "send-to-peer" (SbPeer *peer): the user chose "Send to this peer". */
void    sb_peers_view_set_session       (SbPeersView *self,
                                         SbSession   *session);
SbPeer *sb_peers_view_get_selected_peer (SbPeersView *self);
/* Selecting a peer makes @view (nullable, not owned) show only its records;
 * the view's "Showing only … ×" chip unselects it. */
void    sb_peers_view_set_history_view  (SbPeersView   *self,
                                         SbHistoryView *view);

G_END_DECLS
