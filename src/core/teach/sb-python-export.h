/* sb-python-export.h — a session as a standalone python3 script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-auto-reply.h"
#include "sb-session.h"

G_BEGIN_DECLS

typedef enum
{
  SB_PYTHON_THIS_SIDE,   /* does what this session did */
  SB_PYTHON_OTHER_SIDE,  /* the counterpart: a client for a server, and so on */
} SbPythonSide;

/*
 * Returns a python3 script (standard library only, newly allocated) that
 * does what @session did, or its counterpart: same family, type and
 * addresses (host and port, or path, overridable on the command line), the
 * messages in order as bytes, text shown in @encoding (NULL: UTF-8; "hex"),
 * half-close and close. Everything that came from the network or the user
 * is written as escaped printable-ASCII literals, never as code or in
 * comments. Comments are in the user's language.
 *
 * The conversation is the one with the first peer (a server's first client,
 * a bound datagram socket's first sender), until it closed, was reset or
 * the session stopped. Stream receives wait for exactly the bytes recorded;
 * each datagram is one sendto()/recvfrom(). Every wait is bounded (10 s),
 * except a server's wait for its first client.
 *
 * @rules (nullable) matter only for this side of a server: it becomes a
 * loop server that applies them instead of replaying the history.
 * Servers print "listening on HOST PORT" (or "listening on PATH") once
 * ready; port 0 lets the system choose and prints the real port.
 *
 * Fails for kinds a script cannot do (ICMP), an encoding Python lacks,
 * rules that do not parse, and a datagram server that spoke first to an
 * address it cannot name.
 */
char *sb_python_export (SbSession     *session,
                        SbPythonSide   side,
                        const char    *encoding,
                        SbAutoReply   *rules,
                        GError       **error);

G_END_DECLS
