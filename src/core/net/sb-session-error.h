/* sb-session-error.h — the error domain of sessions and their peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_SESSION_ERROR (sb_session_error_quark ())

/* Socket failures keep their G_IO_ERROR domain and code, with a message a
 * person can act on; these are the session's own. */
typedef enum
{
  SB_SESSION_ERROR_NOT_READY,     /* not connected / not started */
  SB_SESSION_ERROR_NO_TARGET,     /* a datagram socket has nowhere to send */
  SB_SESSION_ERROR_BUSY,          /* too much is waiting to be sent (peer not reading) */
  SB_SESSION_ERROR_UNSUPPORTED,   /* the operation makes no sense for this kind */
} SbSessionError;

/* At most this much may wait to be written to one peer before sends fail with
 * SB_SESSION_ERROR_BUSY. */
#define SB_SESSION_MAX_PENDING (8 * 1024 * 1024)

GQuark sb_session_error_quark (void);

G_END_DECLS
