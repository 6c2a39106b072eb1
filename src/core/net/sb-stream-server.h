/* sb-stream-server.h — a TCP or UNIX stream server session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

#define SB_TYPE_STREAM_SERVER (sb_stream_server_get_type ())
G_DECLARE_FINAL_TYPE (SbStreamServer, sb_stream_server, SB, STREAM_SERVER, SbSession)

G_END_DECLS
