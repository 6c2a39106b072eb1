/* sb-socket-error.h — socket failures in words a person can act on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SB_SOCKET_OP_CONNECT,
  SB_SOCKET_OP_BIND,
  SB_SOCKET_OP_RESOLVE,
  SB_SOCKET_OP_SEND,
  SB_SOCKET_OP_RECEIVE,
  SB_SOCKET_OP_OPTION,
} SbSocketOp;

/* Returns a new error with the domain and code of @error and a message that
 * names what failed and where (@where: "127.0.0.1:80", a path or a host). */
GError *sb_socket_error_humanize (const GError *error,
                                  SbSocketOp    op,
                                  const char   *where);

/* The errno name behind @error when it is known ("ECONNREFUSED"), or NULL. */
const char *sb_socket_error_errno_name (const GError *error);

G_END_DECLS
