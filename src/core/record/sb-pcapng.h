/* sb-pcapng.h — sessions as a pcapng capture that Wireshark reads, and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-address.h"
#include "sb-export.h"
#include "sb-session.h"

G_BEGIN_DECLS

#define SB_PCAPNG_DEFAULT_MSS 1460

/* Stand-ins for an address the history does not know (a history without a
 * session, a listener bound to every interface): the documentation
 * networks of RFC 5737 and RFC 3849, so they never look like a real host. */
#define SB_PCAPNG_STAND_IN_IPV4 "192.0.2.1"
#define SB_PCAPNG_STAND_IN_IPV6 "2001:db8::1"

/* What the capture needs of one session, copied out of it so a thread may
 * write it. */
typedef struct _SbPcapngSession SbPcapngSession;

/* @records: SbExportRecord in history order (a reference is taken).
 * @local: the session's own address, or NULL (a stand-in is used). @name
 * names the interface ("tcp://127.0.0.1:5000"). */
SbPcapngSession *sb_pcapng_session_new      (SbKind          kind,
                                             const char     *name,
                                             GSocketAddress *local,
                                             GPtrArray      *records);
void             sb_pcapng_session_free     (SbPcapngSession *session);
/* Copies what the capture needs of @session (main thread). */
SbPcapngSession *sb_pcapng_session_snapshot (SbSession      *session);

/* Builds the capture of @sessions (SbPcapngSession): one section, one
 * interface per session. TCP conversations get their handshake, sequence
 * and acknowledgement numbers, FIN and RST; payloads are cut at @mss
 * (0: SB_PCAPNG_DEFAULT_MSS); UDP and ICMP get their IP headers; UNIX
 * sockets their payload alone (link type Wireshark Upper PDU, "data").
 * Events become packet comments. Returns the file's bytes. */
GBytes          *sb_pcapng_build            (GPtrArray      *sessions,
                                             guint           mss);

/* Builds and writes the capture to @file, replacing it as
 * sb_export_replace_contents() does. Blocking. */
gboolean         sb_pcapng_write_file       (GFile          *file,
                                             GPtrArray      *sessions,
                                             GError        **error);
/* The same in a worker thread; @sessions is referenced. */
void             sb_pcapng_write_async      (GFile              *file,
                                             GPtrArray          *sessions,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean         sb_pcapng_write_finish     (GAsyncResult       *result,
                                             GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbPcapngSession, sb_pcapng_session_free)

/* Reading a capture back (libpcap: pcap and pcapng). */

typedef enum
{
  SB_CAPTURE_STREAM_TCP,
  SB_CAPTURE_STREAM_UDP,
} SbCaptureStreamKind;

/* One TCP stream or UDP conversation found in a capture. */
typedef struct
{
  SbCaptureStreamKind kind;
  guint      index;         /* the stream's number, as Wireshark counts them per kind */
  char      *client;        /* "127.0.0.1:40000": the side that sent first (TCP: the SYN) */
  char      *server;
  guint      n_packets;
  guint64    n_bytes;       /* payload bytes */
  gint64     first_time_us;
} SbCaptureStream;

typedef struct _SbCaptureFile SbCaptureFile;

/* Reads @data (a whole pcap or pcapng file) and finds its streams. Bad
 * input fails with a message that says what is wrong. */
SbCaptureFile   *sb_capture_file_new_from_bytes (GBytes       *data,
                                                 GError      **error);
SbCaptureFile   *sb_capture_file_new_from_file  (GFile        *file,
                                                 GError      **error);
void             sb_capture_file_free           (SbCaptureFile *capture);
/* The streams found, in order of their first packet (SbCaptureStream,
 * owned by @capture). */
GPtrArray       *sb_capture_file_get_streams    (SbCaptureFile *capture);
/* A one-line description for a chooser: "TCP 127.0.0.1:40000 ⇄ …, 12 packets". */
char            *sb_capture_stream_describe     (const SbCaptureStream *stream);
/* Finds a stream by "tcp:N" / "udp:N" / "N" (the Nth stream of any kind). */
const SbCaptureStream *sb_capture_file_find_stream (SbCaptureFile *capture,
                                                    const char    *which,
                                                    GError       **error);

/* The records of @stream as a history would hold them, seen from the
 * client (tx: what the client sent, rx: what it received; the peer is the
 * server), or from the server when @as_server: TCP payload reassembled in
 * order per direction (retransmissions and overlaps once), events for the
 * connection, the FINs and an RST; UDP one record per datagram. */
SbHistory       *sb_capture_file_to_history     (SbCaptureFile         *capture,
                                                 const SbCaptureStream *stream,
                                                 gboolean               as_server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbCaptureFile, sb_capture_file_free)

G_END_DECLS
