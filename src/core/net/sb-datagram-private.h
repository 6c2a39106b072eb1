/* sb-datagram-private.h — what the parts of SbDatagram share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/socket.h>

#include "sb-datagram.h"
#include "sb-session-private.h"

G_BEGIN_DECLS

/* Datagrams taken per g_socket_receive_messages() call, and calls per
 * wake-up before yielding to the rest of the main loop. */
#define RECV_BATCH      32
#define BATCHES_PER_DISPATCH 32
/* The largest UDP payload is 65507 bytes; one more shows truncation. */
#define DATAGRAM_MAX    (64 * 1024)
#define RECEIVE_BUFFER  (4 * 1024 * 1024)

/* Defaults of "max-peers" and "peer-timeout" (ms). */
#define DEFAULT_MAX_PEERS    10000
#define DEFAULT_PEER_TIMEOUT (10 * 60 * 1000)

typedef struct _SbDatagramPeer SbDatagramPeer;

typedef struct
{
  GBytes         *bytes;
  GSocketAddress *to;
} SbDatagramOutgoing;

struct _SbDatagram
{
  SbSession       parent_instance;

  GSocket        *socket;
  GSource        *read_source;
  GSource        *write_source;
  GSocketAddress *target;
  /* label → SbDatagramPeer, the peers we exchanged datagrams with
   * (sb-datagram-peers.c); by_age has them silent longest first. */
  GHashTable     *peers_by_label;
  GQueue          by_age;
  guint           max_peers;
  guint           peer_timeout;
  GSource        *expire_source;
  SbPeer         *last_sender;
  /* The last peer lookup found, by its address as bytes; cleared with
   * peers_by_label. */
  SbDatagramPeer *cached_entry;
  struct sockaddr_storage cached_native;
  gsize           cached_native_len;
  /* The socket file we bound, removed again on stop. */
  SbUnixFile      unix_file;

  GQueue          out;
  gsize           pending;

  guint8         *buffers;
  GInputVector    vectors[RECV_BATCH];
  GInputMessage   messages[RECV_BATCH];
  GSocketAddress *addresses[RECV_BATCH];

  guint           broadcast : 1;
  guint           warned_limit : 1;
};

/* Opens, binds and watches the socket, ending in LISTENING or CONNECTED
 * (or FAILED). */
void      _sb_datagram_open_socket  (SbDatagram  *self);
void      _sb_datagram_watch_readable (SbDatagram *self);

/* Returns the peer for @address and marks it heard of now; a new one is
 * returned in *@added (a reference) and only announced by
 * _sb_datagram_announce_peer(), after the datagram that made it is
 * recorded, so that history and signals keep causal order. */
SbPeer   *_sb_datagram_lookup_peer    (SbDatagram      *self,
                                       GSocketAddress  *address,
                                       SbPeer         **added);
/* Adds @added (may be NULL) to the session's list, then keeps the bound. */
void      _sb_datagram_announce_peer  (SbDatagram      *self,
                                       SbPeer          *added);
/* Forgets @peer (its removal from the list is the caller's). */
void      _sb_datagram_forget_peer    (SbDatagram      *self,
                                       SbPeer          *peer);
void      _sb_datagram_forget_all     (SbDatagram      *self);
void      _sb_datagram_set_max_peers  (SbDatagram      *self,
                                       guint            max_peers);
void      _sb_datagram_set_peer_timeout (SbDatagram    *self,
                                         guint          timeout_ms);

G_END_DECLS
