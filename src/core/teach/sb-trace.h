/* sb-trace.h — the socket calls a session really made, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-history.h"

G_BEGIN_DECLS

typedef enum
{
  SB_CALL_GETADDRINFO,
  SB_CALL_SOCKET,
  SB_CALL_SETSOCKOPT,
  SB_CALL_BIND,
  SB_CALL_LISTEN,
  SB_CALL_ACCEPT,
  SB_CALL_CONNECT,
  SB_CALL_SEND,
  SB_CALL_SENDTO,
  SB_CALL_RECV,
  SB_CALL_RECVFROM,
  SB_CALL_SHUTDOWN,
  SB_CALL_CLOSE,
  /* TLS over the socket: text the server name (clients), arg1 1 on the server side. */
  SB_CALL_TLS_WRAP,
  /* arg1 1 on the server side; text "TLSv1.3 CIPHER" once done. */
  SB_CALL_TLS_HANDSHAKE,
  /* text the peer certificate's subject, NULL when it showed none. */
  SB_CALL_TLS_PEERCERT,
} SbCallKind;

typedef enum
{
  SB_TRACE_PYTHON,
  SB_TRACE_C,
} SbTraceSyntax;

/* Socket options the trace knows by name. */
typedef enum
{
  SB_SOCKOPT_SO_REUSEADDR,
  SB_SOCKOPT_SO_BROADCAST,
  SB_SOCKOPT_SO_RCVBUF,
  SB_SOCKOPT_TCP_NODELAY,
  SB_SOCKOPT_IP_ADD_MEMBERSHIP,
  SB_SOCKOPT_IP_DROP_MEMBERSHIP,
  SB_SOCKOPT_IP_MULTICAST_IF,
  SB_SOCKOPT_IP_MULTICAST_TTL,
  SB_SOCKOPT_IPV6_V6ONLY,
  SB_SOCKOPT_IPV6_JOIN_GROUP,
  SB_SOCKOPT_IPV6_LEAVE_GROUP,
  SB_SOCKOPT_IPV6_MULTICAST_IF,
  SB_SOCKOPT_IPV6_MULTICAST_HOPS,
} SbSockopt;

#define SB_TYPE_TRACE (sb_trace_get_type ())
G_DECLARE_FINAL_TYPE (SbTrace, sb_trace, SB, TRACE, GObject)

#define SB_TYPE_TRACE_CALL (sb_trace_call_get_type ())
G_DECLARE_FINAL_TYPE (SbTraceCall, sb_trace_call, SB, TRACE_CALL, GObject)

/*
 * SbTrace is a GListModel of SbTraceCall, appended as the session works and
 * announced once per idle like SbHistory. Sends and receives are not stored
 * twice: their call refers to the history record that holds the bytes.
 *
 * Sockets are numbered per session: 0 is the session's own socket ("s");
 * connections a server accepts are 1, 2, 3… ("conn1", "conn2"…).
 */
SbTrace     *sb_trace_new                  (SbHistory     *history);
SbHistory   *sb_trace_get_history          (SbTrace       *self);
void         sb_trace_flush                (SbTrace       *self);
/* The position of the call that moved the history record @serial, if any. */
gboolean     sb_trace_find_serial          (SbTrace       *self,
                                            guint64        serial,
                                            guint         *position);

/* SOCKET's type for SOCK_RAW, which GSocketType does not have. */
#define SB_TRACE_SOCK_RAW 0x100

/* Recording, for sessions. @address, @text and @error may be NULL.
 * SOCKET: arg1 family, arg2 type (a GSocketType or SB_TRACE_SOCK_RAW), text
 * the protocol ("IPPROTO_ICMP"; NULL: 0, the default). SETSOCKOPT: arg1
 * SbSockopt, arg2 value, text the group. BIND: arg1 the port asked for.
 * LISTEN: arg1 backlog. RECV with arg1 0: end of stream. SHUTDOWN: arg1 0
 * read, 1 write, 2 both. GETADDRINFO: text the host name, address the
 * first result. */
void         sb_trace_add                  (SbTrace        *self,
                                            SbCallKind      kind,
                                            guint           socket_id,
                                            GSocketAddress *address,
                                            gint64          arg1,
                                            gint64          arg2,
                                            const char     *text,
                                            const GError   *error);
/* A send or receive whose bytes are history record @serial. */
void         sb_trace_add_data             (SbTrace        *self,
                                            SbCallKind      kind,
                                            guint           socket_id,
                                            guint64         serial);

SbCallKind   sb_trace_call_get_kind        (SbTraceCall   *self);
gint64       sb_trace_call_get_time        (SbTraceCall   *self);
/* The history record of a send or receive, or -1. */
gint64       sb_trace_call_get_serial      (SbTraceCall   *self);
gboolean     sb_trace_call_failed          (SbTraceCall   *self);
/* "ECONNREFUSED", or NULL. */
const char  *sb_trace_call_get_errno_name  (SbTraceCall   *self);
/* The call as a line of code with its result as a comment. Newly allocated. */
char        *sb_trace_call_format          (SbTraceCall   *self,
                                            SbTraceSyntax  syntax);

G_END_DECLS
