/* sb-tls-cert.h — making certificates (GIO reads them but cannot make them)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  /* The subject's CN. */
  const char         *common_name;
  /* Subject alternative names: host names and IP addresses (NULL-terminated). */
  const char * const *hosts;
  /* Validity, in seconds since 1970 (UTC). */
  gint64              not_before;
  gint64              not_after;
  /* A certificate authority (signs others) rather than a server or client. */
  gboolean            is_ca;
  /* The signer, both PEM; NULL for a self-signed certificate. */
  const char         *issuer_cert_pem;
  const char         *issuer_key_pem;
} SbTlsCertRequest;

/* Makes a certificate and its new ECDSA P-256 key, both PEM (newly
 * allocated), with GnuTLS. */
gboolean sb_tls_cert_generate      (const SbTlsCertRequest  *request,
                                    char                   **cert_pem,
                                    char                   **key_pem,
                                    GError                 **error);
/* A certificate for a server on @bind_host (NULL: loopback): valid for a
 * year from a day ago, for localhost, 127.0.0.1, ::1 and @bind_host. */
GTlsCertificate *sb_tls_cert_new_self_signed (const char  *bind_host,
                                              GError     **error);
/* The same certificate with its key as one PEM text (certificate first),
 * what a setup keeps for a self-signed server. Newly allocated. */
char    *sb_tls_cert_new_identity  (const char              *bind_host,
                                    GError                 **error);
/* Checks that @pem holds a certificate and the key that goes with it, with
 * GnuTLS (no GIO backend needed); sets @fingerprint (may be NULL) to its
 * SHA-256 as sb_tls_cert_fingerprint() writes it. */
gboolean sb_tls_cert_check_identity (const char             *pem,
                                     char                  **fingerprint,
                                     GError                **error);
/* "AB:CD:…", the SHA-256 of the certificate's DER. Newly allocated. */
char    *sb_tls_cert_fingerprint   (GTlsCertificate         *certificate);

G_END_DECLS
