/* sb-address-private.h — what the parts of sb-address share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-address.h"

G_BEGIN_DECLS

/* sockaddr_un.sun_path is 108 bytes: a path needs its NUL, an abstract name
 * its leading NUL, and GUnixSocketAddress clips both to this. */
#define UNIX_PATH_MAX_LEN 107

#define HOST_NAME_MAX_LEN 253
#define HOST_LABEL_MAX_LEN 63

#define DEFAULT_BIND_HOST "127.0.0.1"

gboolean     _sb_address_set_invalid          (GError             **error,
                                               const char          *format,
                                               ...) G_GNUC_PRINTF (2, 3);
gboolean     _sb_address_check_ipv6           (const char          *inner,
                                               GError             **error);
gboolean     _sb_address_check_host_name      (const char          *host,
                                               GError             **error);
gboolean     _sb_address_parse_port           (const char          *text,
                                               guint16             *port,
                                               GError             **error);
gboolean     _sb_address_split_host_port      (const char          *text,
                                               char               **host_out,
                                               guint16             *port_out,
                                               gboolean            *has_port,
                                               GError             **error);
gboolean     _sb_address_check_unix_path      (const char          *path,
                                               GError             **error);
char        *_sb_address_decode_path          (const char          *text,
                                               gsize                len,
                                               GError             **error);
void         _sb_address_append_path          (GString             *out,
                                               const char          *path);
const char  *_sb_address_bind_host_or_default (const SbSessionSpec *spec);
/* sb-address-uri.c: "tcp", "udp-listen", … (case-insensitive) */
gboolean     _sb_address_kind_from_scheme     (const char          *name,
                                               SbKind              *kind);

G_END_DECLS
