/* sb-tls-dtls.h — a DTLS session: TLS over UDP, one peer at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

/*
 * dtls://HOST:PORT connects a UDP socket to the server and handshakes;
 * dtls-listen://[BIND]:PORT waits for the first datagram, connects its
 * socket to that sender (so DTLS talks to one client) and handshakes; when
 * that client leaves, the next one is served. Each datagram read or written
 * through DTLS is one record of plaintext in the history; the handshake
 * leaves the events sb-tls.h lists.
 */
#define SB_TYPE_DTLS_SESSION (sb_dtls_session_get_type ())
G_DECLARE_FINAL_TYPE (SbDtlsSession, sb_dtls_session, SB, DTLS_SESSION, SbSession)

G_END_DECLS
