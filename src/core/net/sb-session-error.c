/* sb-session-error.c — the error domain of sessions and their peers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-error"

#include "config.h"

#include "sb-session-error.h"

G_DEFINE_QUARK (sb-session-error-quark, sb_session_error)
