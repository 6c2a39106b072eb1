/* sb-icmp-private.h — what the parts of SbIcmp share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-icmp.h"
#include "sb-session-private.h"

G_BEGIN_DECLS

#define ICMP_HEADER_LEN       8
#define IPV4_HEADER_MIN       20
#define IPV6_HEADER_LEN       40

#define ICMP4_ECHO_REPLY      0
#define ICMP4_UNREACHABLE     3
#define ICMP4_ECHO_REQUEST    8
#define ICMP4_TIME_EXCEEDED   11
#define ICMP6_UNREACHABLE     1
#define ICMP6_TIME_EXCEEDED   3
#define ICMP6_ECHO_REQUEST    128
#define ICMP6_ECHO_REPLY      129

/* An IPv4 packet is at most 64 KiB, header included. */
#define RECEIVE_MAX           (64 * 1024)
#define READS_PER_DISPATCH    32

#define DEFAULT_INTERVAL      1000
#define MIN_INTERVAL          10
#define MAX_INTERVAL          3600000

/* The periodic payload: this text, then the send time (µs since the epoch,
 * big-endian), as ping puts a timeval after the header. */
#define PING_TEXT             "Sockbench ping"
#define PING_TEXT_LEN         (sizeof PING_TEXT - 1)

typedef struct
{
  guint16 seq;
  gint64  sent;   /* monotonic, µs */
} Pending;

struct _SbIcmp
{
  SbSession       parent_instance;

  /* Owned */
  GSocket        *socket;
  GSource        *read_source;
  GSource        *tick_source;
  GSource        *expire_source;
  GSocketAddress *target;
  GSocketAddress *owner_target;  /* the owner's copy (sb_icmp_get_target) */
  guint8         *buffer;
  /* Pending, oldest first; they all wait the same time, so the head
   * expires first. */
  GQueue          pending;
  /* label → SbPeer; the session's list owns the peers */
  GHashTable     *peers_by_label;

  /* Settings */
  guint           interval;
  guint           count;

  /* This run */
  guint16         identifier;
  guint16         next_seq;
  guint           n_periodic;
  guint           n_sent;
  guint           n_replies;
  guint           raw : 1;
};

static inline gboolean
_sb_icmp_is_ipv6 (SbIcmp *self)
{
  return self->target != NULL &&
         g_socket_address_get_family (self->target) == G_SOCKET_FAMILY_IPV6;
}

static inline guint16
_sb_icmp_read_u16 (const guint8 *p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

/* Opens the ICMP datagram socket, or SOCK_RAW when that is refused (sets
 * "raw"), tracing each try. Returns the fd, or -1 after failing the session. */
int       _sb_icmp_open_fd         (SbIcmp  *self);
/* Binds the ping socket; the kernel picks the identifier. */
gboolean  _sb_icmp_bind_identifier (SbIcmp  *self,
                                    GError **error);

G_END_DECLS
