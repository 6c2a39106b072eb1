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

typedef struct
{
  GBytes         *bytes;
  GSocketAddress *to;
} Outgoing;

struct _SbDatagram
{
  SbSession       parent_instance;

  GSocket        *socket;
  GSource        *read_source;
  GSource        *write_source;
  GSocketAddress *target;
  /* label → SbPeer, the peers we exchanged datagrams with */
  GHashTable     *peers_by_label;
  SbPeer         *last_sender;
  /* The last peer lookup_peer() found, by its address as bytes; cleared with
   * peers_by_label. */
  SbPeer         *cached_peer;
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
};

/* Opens, binds and watches the socket, ending in LISTENING or CONNECTED
 * (or FAILED). */
void      _sb_datagram_open_socket  (SbDatagram  *self);
void      _sb_datagram_watch_readable (SbDatagram *self);

G_END_DECLS
