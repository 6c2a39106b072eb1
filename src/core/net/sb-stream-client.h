/* sb-stream-client.h — a TCP or UNIX stream client session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

#define SB_TYPE_STREAM_CLIENT (sb_stream_client_get_type ())
G_DECLARE_FINAL_TYPE (SbStreamClient, sb_stream_client, SB, STREAM_CLIENT, SbSession)

/* The connected peer, or NULL. */
SbPeer *sb_stream_client_get_peer (SbStreamClient *self);

G_END_DECLS
