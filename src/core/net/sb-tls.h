/* sb-tls.h — TLS over a stream session's connections: the handshake, and
 * what it showed written into the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session-private.h"

G_BEGIN_DECLS

/*
 * Engine thread only. A TLS session is a stream session whose peers speak
 * TLS: once TCP connects (or accepts), the handshake runs; then the peer
 * reads and writes plaintext through the TLS connection, so the history
 * holds what the application sent and received. The handshake leaves these
 * events with the peer's id:
 *
 *   SB_EVENT_CERTIFICATE  one per certificate of the peer's chain, leaf first:
 *                         lines "Certificate N of M: SUBJECT", "Issued by: …",
 *                         "Valid: FROM to UNTIL", "Names: …", "SHA-256: …"
 *   SB_EVENT_ERROR        each reason the chain was refused, in words
 *   SB_EVENT_WARNING      … or each reason, when insecure=1 accepted it anyway
 *   SB_EVENT_TLS          "TLS 1.3, TLS_AES_256_GCM_SHA384, ALPN h2"
 */

/* Called once: @error NULL when the handshake succeeded (the peer now
 * speaks TLS; @tls is the GTlsConnection or GDtlsConnection), else why it
 * failed (cancelled when the session stopped). */
typedef void (*SbTlsDoneFunc) (SbSession    *session,
                               SbPeer       *peer,
                               GObject      *tls,
                               const GError *error);

/* FALSE, with an error saying to install glib-networking, when GIO has no
 * TLS backend. */
gboolean         _sb_tls_check_backend      (GError         **error);
/* The server's certificate: the spec's cert= and key= files, or the
 * self-signed one its setup keeps (the spec's identity_pem), or a new
 * self-signed one (either recorded as an event with its fingerprint). */
GTlsCertificate *_sb_tls_server_certificate (SbSession       *session,
                                             GError         **error);
/* Starts the handshake on @peer's connection (not yet started), as a client
 * (@certificate NULL) or as the server with @certificate. */
void             _sb_tls_handshake          (SbSession       *session,
                                             SbPeer          *peer,
                                             guint            socket_id,
                                             GTlsCertificate *certificate,
                                             SbTlsDoneFunc    done);

/* The same over @base: a GIOStream (TLS) or a connected datagram socket
 * (GDatagramBased: DTLS; the peer is not changed, @done gets the
 * GDtlsConnection to read and write through). */
void             _sb_tls_handshake_over     (SbSession       *session,
                                             SbPeer          *peer,
                                             guint            socket_id,
                                             GTlsCertificate *certificate,
                                             GObject         *base,
                                             SbTlsDoneFunc    done);

/* "TLS 1.3", "DTLS 1.2", … */
const char      *sb_tls_protocol_name       (GTlsProtocolVersion version);

G_END_DECLS
