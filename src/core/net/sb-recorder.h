/* sb-recorder.h — where a session and its peers write what happened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-history.h"
#include "sb-trace.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 rx_bytes;
  guint64 tx_bytes;
  guint64 rx_messages;
  guint64 tx_messages;
  /* Datagram senders forgotten to keep the peer list bounded. */
  guint64 peers_dropped;
  /* Stream servers: connections closed unserved at the descriptor limit. */
  guint64 connections_refused;
  /* Datagram sockets: datagrams the kernel dropped because the socket's
   * receive buffer was full (SO_MEMINFO's drop count). */
  guint64 kernel_drops;
} SbCounters;

/* Engine thread only. The session makes one and hands it to its peers:
 * bytes, events and socket calls go into the session's history, trace and
 * counters without the peers knowing the session. */
#define SB_TYPE_RECORDER (sb_recorder_get_type ())
G_DECLARE_FINAL_TYPE (SbRecorder, sb_recorder, SB, RECORDER, GObject)

/* @datagram: data is traced as sendto()/recvfrom() rather than send()/recv(). */
SbRecorder *sb_recorder_new                (SbHistory      *history,
                                            SbTrace        *trace,
                                            gboolean        datagram);
SbHistory  *sb_recorder_get_history        (SbRecorder     *self);
SbTrace    *sb_recorder_get_trace          (SbRecorder     *self);
/* Records an event of @peer_id (0: the session's own). */
void        sb_recorder_event              (SbRecorder     *self,
                                            guint           peer_id,
                                            SbEventKind     event,
                                            const char     *format,
                                            ...) G_GNUC_PRINTF (4, 5);
/* Records bytes that crossed socket @socket_id and counts them. */
void        sb_recorder_data               (SbRecorder     *self,
                                            guint           peer_id,
                                            guint           socket_id,
                                            SbDirection     direction,
                                            const guint8   *data,
                                            gsize           len);
/* Records a socket call in the trace. */
void        sb_recorder_trace              (SbRecorder     *self,
                                            SbCallKind      kind,
                                            guint           socket_id,
                                            GSocketAddress *address,
                                            gint64          arg1,
                                            gint64          arg2,
                                            const char     *text,
                                            const GError   *error);
void        sb_recorder_count_dropped_peer (SbRecorder     *self);
void        sb_recorder_count_refused      (SbRecorder     *self);
void        sb_recorder_set_kernel_drops   (SbRecorder     *self,
                                            guint64         drops);
void        sb_recorder_get_counters       (SbRecorder     *self,
                                            SbCounters     *counters);

G_END_DECLS
