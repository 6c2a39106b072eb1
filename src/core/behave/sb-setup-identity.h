/* sb-setup-identity.h — the certificate a self-signed server's setup keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-address.h"

G_BEGIN_DECLS

/*
 * A TLS or DTLS server with self-signed=1 shows the same certificate each
 * time it starts, and so does the same page opened from a preset, here or
 * headless: its setup keeps the certificate and its key as PEM text (the
 * spec's tls->identity_pem) and the preset writes them in the setup's group
 * as "tls-self-signed". Main thread only (making one takes a millisecond).
 */

/* Whether @spec is a TLS or DTLS server that makes its own certificate. */
gboolean sb_setup_identity_wanted (const SbSessionSpec  *spec);
/* Whether @spec carries no certificate, or the one @kept carries. */
gboolean sb_setup_identity_same   (const SbSessionSpec  *kept,
                                   const SbSessionSpec  *spec);
/* Makes @spec (the setup's own copy) carry the certificate the setup
 * keeps in @kept: the spec's own when it brings one (kept from now on),
 * else @kept, else a new one (kept from now on). A spec that does not make
 * its own certificate carries none; @kept stays for when it does again. */
void     sb_setup_identity_attach (SbSessionSpec        *spec,
                                   char                **kept);
/* Reads the "tls-self-signed" key of @group into @spec when @spec wants
 * one: FALSE with @error when it is not a certificate with its key. */
gboolean sb_setup_identity_load   (SbSessionSpec        *spec,
                                   GKeyFile             *keyfile,
                                   const char           *group,
                                   GError              **error);
/* Writes the key, or removes it when @spec carries no certificate. */
void     sb_setup_identity_save   (const SbSessionSpec  *spec,
                                   GKeyFile             *keyfile,
                                   const char           *group);

G_END_DECLS
