/* sb-stream-client.h — a TCP or UNIX stream client session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

#define SB_TYPE_STREAM_CLIENT (sb_stream_client_get_type ())
G_DECLARE_FINAL_TYPE (SbStreamClient, sb_stream_client, SB, STREAM_CLIENT, SbSession)

/*
 * Property "reconnect" (default FALSE): when the connection closes or an
 * attempt fails, connect again after a back-off (0.25 s, doubling up to
 * 30 s, back to the start once connected). Meanwhile the session stays
 * connecting (running), each wait is an event in the history, and Stop
 * ends it.
 */
gboolean sb_stream_client_get_reconnect (SbStreamClient *self);
void     sb_stream_client_set_reconnect (SbStreamClient *self,
                                         gboolean        reconnect);

/* The connected peer, or NULL. */
SbPeer *sb_stream_client_get_peer (SbStreamClient *self);

G_END_DECLS
