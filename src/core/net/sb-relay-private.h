/* sb-relay-private.h — what the relay's parts share: pairs and pipes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-relay.h"
#include "sb-session-private.h"

G_BEGIN_DECLS

/* Engine thread only */

/* A pipe stops reading while this much waits in it (backpressure: the slow
 * side slows the fast one instead of a queue growing), and reads again
 * below the low mark. */
#define SB_RELAY_HIGH_WATER (1024 * 1024)
#define SB_RELAY_LOW_WATER  (256 * 1024)
/* Datagram relays: client addresses with an upstream socket at most, and
 * how long one may stay silent before its socket is closed. */
#define SB_RELAY_MAX_UDP_PAIRS 1024
#define SB_RELAY_UDP_IDLE_S    120

typedef struct _SbRelayPair SbRelayPair;

typedef struct
{
  GBytes *bytes;
  gint64  release_us;   /* monotonic */
} SbRelayChunk;

/* One direction of a pair: read from one socket, faults, write to the other. */
typedef struct
{
  SbRelayPair      *pair;
  SbRelayDirection  direction;

  GSource          *read_source;
  GSource          *write_source;
  GSource          *timer;
  /* SbRelayChunk*, in release order */
  GQueue            chunks;
  gsize             head_offset;
  /* Bytes waiting here: chunks, the join buffer and what is held. */
  gsize             queued;

  GBytes           *held;
  GByteArray       *join;
  guint             join_reads;
  gint64            join_deadline;

  guint64           forwarded;
  gint64            last_release;
  gint64            rate_free_at;

  guint             eof : 1;        /* the sending side closed (EOF) */
  guint             shut : 1;       /* we shut the receiving side's write down */
  guint             reset_due : 1;  /* reset-after reached: reset once written */
  guint             closing : 1;    /* TLS: close_notify on its way */
} SbRelayPipe;

struct _SbRelayPair
{
  /* Borrowed: the relay owns its pairs. */
  SbRelay        *relay;
  SbPeer         *peer;
  /* In the trace: the accepted connection, and the upstream one. */
  guint           socket_id;
  guint           upstream_id;

  GSocketConnection *client_connection;
  GSocketConnection *server_connection;
  GSocket        *client;       /* streams: the accepted socket */
  GSocket        *server;       /* the upstream socket (NULL while connecting) */
  GCancellable   *connecting;
  /* relay-tls: the TLS connections over the two legs; the pipes read and
   * write through them once both handshakes are done. */
  GIOStream      *client_tls;
  GIOStream      *server_tls;

  /* Datagram relays: the client's address and its key in the table. */
  GSocketAddress *client_address;
  GBytes         *key;
  gint64          last_active;

  SbRelayPipe     pipes[SB_RELAY_N_DIRECTIONS];
  guint           closed : 1;
};

struct _SbRelay
{
  SbSession       parent_instance;

  /* Owned */
  GSocket        *listener;
  GSource        *listen_source;
  GSource        *sweep_source;
  GSource        *reap_source;
  GSocketAddress *upstream;
  char           *upstream_label;
  /* relay-tls: the listening side's certificate (cert= or made at start) */
  GTlsCertificate *certificate;
  SbUnixFile      unix_file;
  /* SbRelayPair*, owned; ended ones wait in dead until the reap idle. */
  GPtrArray      *pairs;
  GPtrArray      *dead;
  /* Datagram relays: client address (native bytes) → pair */
  GHashTable     *by_address;
  GRand          *rand;
  guint8         *buffer;
  guint           n_sockets;

  SbRelayFaults   faults[SB_RELAY_N_DIRECTIONS];
  gboolean        intercept[SB_RELAY_N_DIRECTIONS];
  /* SbRelayRewrite*, in the order they apply */
  GPtrArray      *rewrites[SB_RELAY_N_DIRECTIONS];
};

typedef struct
{
  GBytes *match;
  GBytes *replace;
} SbRelayRewrite;

void          _sb_relay_rewrite_free  (SbRelayRewrite   *rewrite);
/* Applies the rewrites of @direction to @bytes; returns the bytes to pass
 * on (@bytes itself when nothing matched) and records what changed. */
GBytes       *_sb_relay_rewrite       (SbRelayPair      *pair,
                                       SbRelayDirection  direction,
                                       GBytes           *bytes);

/* sb-relay.c */
gboolean      _sb_relay_is_datagram   (SbRelay          *self);
/* relay-tls:// */
gboolean      _sb_relay_is_tls        (SbRelay          *self);
/* Both legs are up (TLS: both handshakes done): the pipes may run. */
gboolean      _sb_relay_pair_ready    (SbRelayPair      *pair);
SbRecorder   *_sb_relay_get_recorder  (SbRelay          *self);
const SbRelayFaults *_sb_relay_get_faults (SbRelay      *self,
                                        SbRelayDirection direction);
gboolean      _sb_relay_intercepting  (SbRelay          *self,
                                       SbRelayDirection  direction);
GRand        *_sb_relay_get_rand      (SbRelay          *self);
/* One read's worth, shared by every pipe (one thread). */
guint8       *_sb_relay_get_buffer    (SbRelay          *self);
/* Records bytes read in @direction: rx of the client peer for client →
 * server, tx for server → client. */
void          _sb_relay_pair_record   (SbRelayPair      *pair,
                                       SbRelayDirection  direction,
                                       const guint8     *data,
                                       gsize             len);
void          _sb_relay_pair_event    (SbRelayPair      *pair,
                                       SbEventKind       event,
                                       const char       *format,
                                       ...) G_GNUC_PRINTF (3, 4);
/* Both pipes have passed EOF on: the pair ends in order. */
void          _sb_relay_pair_check_done (SbRelayPair    *pair);
/* The listening socket of a datagram relay: where replies to clients go. */
GSocket      *_sb_relay_get_listener  (SbRelay          *self);
void          _sb_relay_fault_event   (SbRelayPair      *pair,
                                       SbRelayDirection  direction,
                                       const char       *format,
                                       ...) G_GNUC_PRINTF (3, 4);
/* Ends the pair: closes both legs (resetting them when @reset) and lets the
 * relay forget it. */
void          _sb_relay_pair_end      (SbRelayPair      *pair,
                                       gboolean          reset);

/* Finds the pair of @peer, or NULL. */
SbRelayPair  *_sb_relay_find_pair     (SbRelay          *self,
                                       SbPeer           *peer);

/* sb-relay-pipe.c */
void          _sb_relay_pipe_init     (SbRelayPipe      *pipe,
                                       SbRelayPair      *pair,
                                       SbRelayDirection  direction);
void          _sb_relay_pipe_clear    (SbRelayPipe      *pipe);
/* Streams: starts or stops watching the sending socket, as the pipe's
 * state allows (not while held, silent, over the high mark or at EOF). */
void          _sb_relay_pipe_update_reading (SbRelayPipe *pipe);
/* Bytes read in the pipe's direction, already recorded: intercept, then faults. */
void          _sb_relay_pipe_take     (SbRelayPipe      *pipe,
                                       const guint8     *data,
                                       gsize             len);
/* After intercept: the faults, then the write queue. */
void          _sb_relay_pipe_forward  (SbRelayPipe      *pipe,
                                       GBytes           *bytes);
/* The faults changed: silent pipes stop, others may read again. */
void          _sb_relay_pipe_faults_changed (SbRelayPipe *pipe);
GSocket      *_sb_relay_pipe_source_socket (SbRelayPipe *pipe);
/* Writes what is due; arms the timer for what is not. */
void          _sb_relay_pipe_flush    (SbRelayPipe      *pipe);

G_END_DECLS
