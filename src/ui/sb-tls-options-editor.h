/* sb-tls-options-editor.h — the TLS options of a session spec, as fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-tls-options.h"

G_BEGIN_DECLS

#define SB_TYPE_TLS_OPTIONS_EDITOR (sb_tls_options_editor_get_type ())
G_DECLARE_FINAL_TYPE (SbTlsOptionsEditor, sb_tls_options_editor, SB, TLS_OPTIONS_EDITOR, GtkWidget)

/*
 * Window thread only. Signal "changed" when the person edits a field.
 * A server shows certificate, key, "make a self-signed certificate", the
 * CA its clients must be signed by, ALPN and the key log; a client shows
 * its CA, server name (SNI), ALPN, a client certificate, "accept an invalid
 * certificate" and the key log.
 */
void          sb_tls_options_editor_set_server  (SbTlsOptionsEditor *self,
                                                 gboolean            server);
/* A TLS relay (with server TRUE): its certificate for the clients, as a
 * server's; the CA, server name and "accept an invalid certificate" are
 * for the upstream server. */
void          sb_tls_options_editor_set_relay   (SbTlsOptionsEditor *self,
                                                 gboolean            relay);
/* @options NULL: every field empty (a server then makes a self-signed one). */
void          sb_tls_options_editor_set_options (SbTlsOptionsEditor *self,
                                                 const SbTlsOptions *options);
/* Returns what the fields say, or NULL when nothing is set. */
SbTlsOptions *sb_tls_options_editor_dup_options (SbTlsOptionsEditor *self);

G_END_DECLS
