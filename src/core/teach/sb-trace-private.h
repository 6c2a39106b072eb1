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

/* A call as the trace stores it: 32 bytes. What a call needs beyond that
 * (an address, a text, an error, arguments that do not fit in 32 bits) is
 * packed into one allocation of its exact size (pack_detail()); calls that
 * need nothing more — a data call, a close, an end of stream, most socket
 * options — allocate nothing. An accept costs 32 + 32 bytes. */
enum
{
  ENTRY_FAILED = 1 << 0,
  ENTRY_DATA   = 1 << 1,  /* a send or receive: @serial is its record */
  ENTRY_PACKED = 1 << 2,  /* @packed holds the detail, else @args */
};

typedef struct
{
  gint64   time;
  /* Data calls: the history record that holds the bytes. Other calls: the
   * serial of the next record when the call was made, its place in the
   * history, so it goes when the records around it go. */
  guint64  serial;
  union
  {
    guint8 *packed;       /* ENTRY_PACKED: g_free */
    gint32  args[2];      /* arg1, arg2 */
  };
  guint32  socket_id;
  guint8   kind;
  guint8   flags;
} Entry;

G_STATIC_ASSERT (sizeof (Entry) == 32);

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
  Entry    entry;   /* its packed detail not owned: NULL */
  Detail  *detail;  /* owned; NULL for data calls */
};

G_END_DECLS
