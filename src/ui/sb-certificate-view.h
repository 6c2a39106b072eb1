/* sb-certificate-view.h — the certificates a session's peers showed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-history.h"

G_BEGIN_DECLS

#define SB_TYPE_CERTIFICATE_VIEW (sb_certificate_view_get_type ())
G_DECLARE_FINAL_TYPE (SbCertificateView, sb_certificate_view, SB, CERTIFICATE_VIEW, GtkWidget)

/*
 * Window thread only. Reads the history's TLS events (sb-tls.h): for each
 * peer, its last handshake: the certificate chain, leaf first, each reason
 * it was refused or accepted against, and what was agreed (version, cipher
 * suite, ALPN). Sessions without TLS get a line saying so.
 */
GtkWidget *sb_certificate_view_new         (void);
/* Property "history" (nullable): read while set, nothing otherwise. */
void       sb_certificate_view_set_history (SbCertificateView *self,
                                            SbHistory         *history);
/* The number of peers whose handshake is shown. */
guint      sb_certificate_view_get_n_peers (SbCertificateView *self);

G_END_DECLS
