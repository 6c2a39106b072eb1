/* sb-peer-private.h — what a peer's owner (a session) may do with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-engine.h"
#include "sb-peer.h"
#include "sb-recorder.h"
#include "sb-session-error.h"
#include "sb-socket-error.h"

G_BEGIN_DECLS

/* Reads and writes go in chunks of this size. */
#define SB_READ_CHUNK (64 * 1024)
/* A file send reads ahead at most this much into a peer's queue. */
#define SB_FILE_SEND_WINDOW (1024 * 1024)

/* How a stream peer tells its owner what happened; the owner sets it when
 * it takes the peer and clears it (NULL) before it lets go. */
typedef struct
{
  /* After the bytes were recorded. */
  void (*received) (SbPeer       *peer,
                    const guint8 *data,
                    gsize         len,
                    gpointer      user_data);
  /* The connection has closed for good. */
  void (*closed)   (SbPeer       *peer,
                    gpointer      user_data);
} SbPeerOwner;

/* For the peer's own parts (sb-peer*.c) only. */
struct _SbPeer
{
  GObject            parent_instance;

  /* Owned */
  SbRecorder        *recorder;
  /* Borrowed: the owner clears it before it lets go of the peer. */
  const SbPeerOwner *owner;
  gpointer           owner_data;
  /* Borrowed: engines live as long as the process. */
  SbEngine          *engine;

  GSocketAddress    *address;
  char              *label;
  /* TLS: reads and writes go through the TLS connection over "connection". */
  GIOStream         *tls;
  guint              id;
  gint64             since;
  guint              socket_id;

  guint64            rx_bytes;
  guint64            tx_bytes;
  guint64            rx_messages;
  guint64            tx_messages;

  /* Streams */
  GSocketConnection *connection;
  GSocket           *socket;
  GSource           *read_source;
  GSource           *write_source;
  guint8            *buffer;
  GQueue             out;
  gsize              out_offset;
  gsize              pending;
  GSourceFunc        writable_func;
  gpointer           writable_data;

  guint              is_stream : 1;
  guint              connected : 1;
  guint              read_closed : 1;
  guint              write_closed : 1;
  guint              shutdown_pending : 1;
  guint              close_when_sent : 1;
  guint              close_on_eof : 1;
  guint              tls_closing : 1;
  /* The three flags above for the owner's thread: PUB_* bits, atomic. */
  gint               published;
};

/* Engine: publishes the connected and closed flags for the owner's thread. */
void          _sb_peer_publish              (SbPeer             *self);

/* @socket_id numbers the connection in the trace (0: the session's own).
 * @remote is the address accept() or connect() gave, or NULL to ask the
 * connection. */
SbPeer       *_sb_peer_new_stream           (SbRecorder         *recorder,
                                             GSocketConnection  *connection,
                                             GSocketAddress     *remote,
                                             guint               socket_id);
SbPeer       *_sb_peer_new_datagram         (SbRecorder         *recorder,
                                             GSocketAddress     *address);
void          _sb_peer_set_owner            (SbPeer             *self,
                                             const SbPeerOwner  *owner,
                                             gpointer            user_data);
/* When the peer sent EOF, close once our pending writes are done. */
void          _sb_peer_set_close_on_eof     (SbPeer             *self,
                                             gboolean            close_on_eof);
void          _sb_peer_start                (SbPeer             *self);
gboolean      _sb_peer_send                 (SbPeer             *self,
                                             GBytes             *bytes,
                                             GError            **error);
gboolean      _sb_peer_shutdown_write       (SbPeer             *self,
                                             GError            **error);
/* Shuts our side down and closes once the queue is written (no timer). */
void          _sb_peer_close_when_sent      (SbPeer             *self);
/* Closes the connection now (pending writes are dropped and reported),
 * recording @event unless it is SB_EVENT_NONE. */
void          _sb_peer_close                (SbPeer             *self,
                                             SbEventKind         event);
void          _sb_peer_count                (SbPeer             *self,
                                             SbDirection         direction,
                                             gsize               len);
/* Calls @func once, on the main loop, when the peer's queue falls below
 * SB_FILE_SEND_WINDOW or the peer closes. One waiter at a time. */
void          _sb_peer_wait_writable        (SbPeer             *self,
                                             GSourceFunc         func,
                                             gpointer            data);
/* Forgets the waiter registered with @data, if it is still there. */
void          _sb_peer_unwait               (SbPeer             *self,
                                             gpointer            data);
/* The engine the peer's socket is read on (NULL: the thread that made it). */
void          _sb_peer_set_engine           (SbPeer             *self,
                                             SbEngine           *engine);
void          _sb_peer_set_label_id         (SbPeer             *self,
                                             guint               id);
/* The connection the peer was made with (for TLS: the one under it). */
GSocketConnection *_sb_peer_get_connection  (SbPeer             *self);
/* From now on bytes cross @tls (a TLS connection over the peer's own),
 * which is closed with the peer. Before _sb_peer_start(). */
void          _sb_peer_set_tls              (SbPeer             *self,
                                             GIOStream          *tls);

G_END_DECLS
