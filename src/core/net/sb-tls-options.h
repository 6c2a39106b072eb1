/* sb-tls-options.h — how a TLS session is set up: certificates, names, ALPN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The options of a tls:// or tls-listen:// spec, written in its URI query:
 *
 *   tls://HOST:PORT?ca=/ca.pem&sni=NAME&alpn=h2,http/1.1&cert=/c.pem&key=/k.pem
 *   tls://HOST:PORT?insecure=1          accept an invalid certificate (a warning
 *                                       event says so; never the default)
 *   tls-listen://:PORT?cert=/c.pem&key=/k.pem[&ca=/ca.pem][&alpn=…]
 *   tls-listen://:PORT?self-signed=1    generate a certificate at start
 *   …&keylog=/tmp/keys.log              append the session keys (NSS key log)
 *
 * A server with ca= asks every client for a certificate that CA signed
 * (mutual TLS) and refuses those without one. A client's cert= and key= are
 * its certificate for mutual TLS. key= may be left out when the key is in
 * the certificate's file. Values are percent-decoded; write '&', '?', '%' as
 * %26, %3F, %25.
 */
typedef struct
{
  char     *cert_file;
  char     *key_file;
  char     *ca_file;
  char     *sni;
  /* Comma-separated, in order of preference: "h2,http/1.1". */
  char     *alpn;
  char     *keylog_file;
  gboolean  insecure;
  gboolean  self_signed;
  /* A self-signed server's certificate and key, PEM in one text, kept by
   * the page's setup so the server shows the same certificate each time
   * (sb-session-setup.h, "tls-self-signed"). Never in the URI; NULL: the
   * server makes one when it starts. Compared only when both have one. */
  char     *identity_pem;
} SbTlsOptions;

SbTlsOptions *sb_tls_options_new       (void);
SbTlsOptions *sb_tls_options_copy      (const SbTlsOptions *options);
void          sb_tls_options_free      (SbTlsOptions       *options);
/* NULL is the same as options with nothing set. */
gboolean      sb_tls_options_equal     (const SbTlsOptions *a,
                                        const SbTlsOptions *b);
gboolean      sb_tls_options_is_empty  (const SbTlsOptions *options);
/* Reads @query ("key=value&…", the part after '?') of @uri. @server: the
 * options of tls-listen://. Any other key, or one given twice, is an error
 * (SB_ADDRESS_ERROR_INVALID) that names it. */
SbTlsOptions *sb_tls_options_parse     (const char         *uri,
                                        const char         *query,
                                        gboolean            server,
                                        GError            **error);
/* The same for relay-tls:// (the query without ?to=): cert=, key=,
 * self-signed= are the listening side's certificate (self-signed when
 * none is given); ca=, sni=, insecure= check the upstream server; alpn=
 * and keylog= apply to both legs. */
SbTlsOptions *sb_tls_options_parse_relay (const char       *uri,
                                          const char       *query,
                                          GError          **error);
/* Checks options set one by one (as the parser does after reading them):
 * the error names @where (a URI or an option). */
gboolean      sb_tls_options_check     (const SbTlsOptions *options,
                                        const char         *where,
                                        GError            **error);
/* Appends "?key=value&…" (nothing when empty) as the parser reads it back. */
void          sb_tls_options_append    (const SbTlsOptions *options,
                                        GString            *uri);
/* The ALPN list as an array (NULL when none). */
char        **sb_tls_options_get_alpn  (const SbTlsOptions *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbTlsOptions, sb_tls_options_free)

G_END_DECLS
