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

typedef struct
{
  gint64   time;
  /* Data calls: the history record that holds the bytes. Other calls: the
   * serial of the next record when the call was made, its place in the
   * history, so it goes when the records around it go. */
  guint64  serial;
  struct _Detail *detail;  /* NULL for data calls; a g_rc_box otherwise */
  guint32  socket_id;
  guint8   kind;
  guint8   failed;
} Entry;

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
  Entry    entry;
  Detail  *detail;  /* a reference, or NULL */
};

G_END_DECLS
