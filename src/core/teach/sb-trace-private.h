/* sb-trace-private.h — what the trace's store and its formatting share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pthread.h>

#include "sb-trace.h"

G_BEGIN_DECLS

/* What recv() asks for; the sessions read in chunks of this size. */
#define RECV_SIZE 65536
/* Bytes of a payload shown beside a send or receive. */
#define PREVIEW_BYTES 24

/* A call as the trace stores it: 24 bytes. What a call needs beyond that
 * (an address, a text, an error, arguments that do not fit in 16 bits) is
 * packed into one allocation of its exact size (pack_detail()), kept in the
 * trace's ring of details in call order; calls that need nothing more — a
 * data call, a close, an end of stream, most socket options — allocate
 * nothing. An accept costs 24 + 32 bytes and a slot of the ring. */
enum
{
  ENTRY_FAILED = 1 << 0,
  ENTRY_DATA   = 1 << 1,  /* a send or receive: @serial is its record */
  ENTRY_PACKED = 1 << 2,  /* @detail numbers its packed detail, else @args */
};

typedef struct
{
  gint64   time;
  /* Data calls: the history record that holds the bytes. Other calls: the
   * serial of the next record when the call was made, its place in the
   * history, so it goes when the records around it go. 48 bits: 2^48
   * records are years of a flood of tiny datagrams. */
  guint64  serial : 48;
  guint64  kind   : 8;
  guint64  flags  : 8;
  guint32  socket_id;
  union
  {
    guint32 detail;       /* ENTRY_PACKED: its number in the ring, modulo 2^32 */
    gint16  args[2];      /* arg1, arg2 */
  };
} Entry;

G_STATIC_ASSERT (sizeof (Entry) == 24);

/* A call's detail as an SbTraceCall holds it, unpacked. */
typedef struct _Detail
{
  GSocketAddress *address;
  gint64          arg1;
  gint64          arg2;
  char           *text;
  char           *errno_name;
  char           *message;
} Detail;

struct _SbTrace
{
  GObject    parent_instance;

  SbHistory *history;
  GArray    *entries;
  /* Packed details (guint8[]), in call order; a detail whose call is gone
   * is NULL until the ones before it go too. Lock. */
  gpointer  *details;
  guint      details_mask;  /* capacity - 1, capacity a power of two */
  guint      details_head;
  guint      details_len;
  guint32    first_detail;  /* number of the detail at details_head */
  /* Entries the model has announced; the rest wait for the idle. */
  guint      n_announced;
  GMainContext *context;    /* the owner's, where announcements run */
  GSource   *flush_source;  /* lock */
  /* Calls are added on the engine's thread of a session on an engine and
   * read on the owner's: @entries is only touched with @lock held (items
   * copy their entry); n_announced is the owner's. */
  pthread_mutex_t lock;
  /* Sockets whose TLS handshake succeeded: their data is SSL_write/SSL_read
   * in C. Lock. */
  GHashTable *tls_sockets;
};

struct _SbTraceCall
{
  GObject  parent_instance;

  SbTrace *trace;
  Entry    entry;
  Detail  *detail;  /* owned; NULL for data calls */
};

G_END_DECLS
