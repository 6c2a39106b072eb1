/* sb-address.h — addresses and session URIs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-tls-options.h"

G_BEGIN_DECLS

#define SB_ADDRESS_ERROR (sb_address_error_quark ())

typedef enum
{
  SB_ADDRESS_ERROR_INVALID,   /* the text is not an address; the message says why */
} SbAddressError;

typedef enum
{
  SB_KIND_TCP_CLIENT,    /* tcp://HOST:PORT, ?bind=[BIND]:PORT for the local side */
  SB_KIND_TCP_SERVER,    /* tcp-listen://[BIND]:PORT */
  SB_KIND_UDP,           /* udp://HOST:PORT (target) or udp-listen://[BIND]:PORT (bound) */
  SB_KIND_UNIX_CLIENT,   /* unix:///PATH, ?bind=/PATH for the local path */
  SB_KIND_UNIX_SERVER,   /* unix-listen:///PATH */
  SB_KIND_UNIX_DGRAM,    /* unixgram:///PATH (target), ?bind=/PATH for the local path */
  SB_KIND_ICMP,          /* icmp://HOST (echo requests, like ping) */
  SB_KIND_TLS_CLIENT,    /* tls://HOST:PORT[?options] (sb-tls-options.h) */
  SB_KIND_TLS_SERVER,    /* tls-listen://[BIND]:PORT[?options] */
  SB_KIND_DTLS_CLIENT,   /* dtls://HOST:PORT[?options] (TLS over UDP) */
  SB_KIND_DTLS_SERVER,   /* dtls-listen://[BIND]:PORT[?options] (one client at a time) */
  SB_KIND_RELAY_TCP,     /* relay://[BIND]:PORT?to=HOST:PORT */
  SB_KIND_RELAY_UDP,     /* relay-udp://[BIND]:PORT?to=HOST:PORT */
  SB_KIND_RELAY_UNIX,    /* relay-unix:///PATH?to=/PATH */
  SB_KIND_RELAY_TLS,     /* relay-tls://[BIND]:PORT?to=HOST:PORT[&options] (TLS in the middle) */
  SB_N_KINDS
} SbKind;

/*
 * What a session is: its kind and its addresses. Hosts are kept as typed
 * (names are resolved by the session, asynchronously). A UNIX path that
 * starts with '@' is in the Linux abstract namespace ("@name").
 *
 * URIs:
 *   tcp://HOST:PORT[?bind=[B]:P]    tcp-listen://[BIND]:PORT   (BIND defaults to 127.0.0.1)
 *   udp://HOST:PORT[?bind=B:P]      udp-listen://[BIND]:PORT[?target=H:P]
 *   unix:///PATH[?bind=/PATH]       unix-listen:///PATH
 *   unixgram:///PATH[?bind=/PATH]   unixgram://?bind=/PATH     (bound, no target)
 *   icmp://HOST                     (no port; "icmp://[::1]" or "icmp://::1")
 *   tls://HOST:PORT[?OPTIONS]       tls-listen://[BIND]:PORT[?OPTIONS]  (sb-tls-options.h)
 *   dtls://HOST:PORT[?OPTIONS]      dtls-listen://[BIND]:PORT[?OPTIONS] (the same options)
 *   relay://[BIND]:PORT?to=HOST:PORT        relay-udp://[BIND]:PORT?to=HOST:PORT
 *   relay-unix:///PATH?to=/PATH
 *   relay-tls://[BIND]:PORT?to=HOST:PORT[&OPTIONS]  (TLS options, as below)
 *   "tcp-listen://:0", "tcp-listen://0.0.0.0:80", "tcp://[::1]:7", "unix://@name"
 *
 * Details:
 *   - A listen URI without BIND ("tcp-listen://:0", "tcp-listen://0") binds
 *     127.0.0.1; a bind_host left NULL with has_bind means the same.
 *   - tcp://'s ?bind= chooses the client's local side before connect():
 *     "?bind=:40000" (bind_host NULL: any address of the target's family;
 *     not the 127.0.0.1 a listener defaults to), "?bind=127.0.0.1:40000",
 *     "?bind=[::1]:0". Without it (has_bind FALSE) the kernel chooses.
 *   - udp://'s ?bind= needs a host (0.0.0.0 for every interface): a loopback
 *     default could not reach the target. Port 0 is fine on the local side
 *     only. udp-listen://B?target=T and udp://T?bind=B are the same spec.
 *   - The UNIX path is everything after "//", percent-decoded: "unix:///tmp/x"
 *     is "/tmp/x", "unix://./s" is "./s", "unix://@name" is abstract and
 *     "unix:///@name" is the file "/@name". Paths hold at most 107 bytes
 *     (abstract names 107 after the '@'). Write '?', '%', '&' as %3F, %25, %26.
 *   - Hosts are not percent-decoded: an IPv6 zone is "[fe80::1%eth0]:80".
 *   - icmp:// takes a host name, an IPv4 address, or an IPv6 address with
 *     or without brackets (it has no port to confuse it with); it prints
 *     IPv6 in brackets. A port ("icmp://h:80") is an error.
 *   - Relays listen on the local side (bind_host/bind_port, BIND defaults to
 *     127.0.0.1 as for listeners; relay-unix: bind_path) and connect each
 *     client upstream to the remote side (host/port; relay-unix: path).
 *     ?to= is required.
 *   - relay-tls:// ends TLS from each client with its own certificate and
 *     opens TLS upstream, so the relay sees plaintext. Its TLS options
 *     (sb-tls-options.h) keep one meaning each: cert=, key= (or
 *     self-signed=1, the default) are the listening side's certificate;
 *     ca=, sni=, insecure=1 check the upstream server; alpn= and keylog=
 *     apply to both legs.
 *   - Any other option, or the same one twice, is an error.
 */
typedef struct
{
  SbKind   kind;

  /* Remote side: TCP/UDP clients, UDP targets, ICMP (host only, port 0). */
  char    *host;
  guint16  port;

  /* Local side: servers, bound UDP sockets, TCP clients that choose their
   * port. has_bind is FALSE when not bound. */
  gboolean has_bind;
  char    *bind_host;
  guint16  bind_port;

  /* UNIX: the remote path (clients, datagram target) or the listening path. */
  char    *path;
  /* UNIX datagram and stream client: the local path to bind, or NULL. */
  char    *bind_path;

  /* TLS kinds: certificates, names, ALPN; NULL when nothing is set. */
  SbTlsOptions *tls;
} SbSessionSpec;

GQuark         sb_address_error_quark      (void);

/* Returns an empty spec of @kind; a TCP server starts bound to 127.0.0.1:0. */
SbSessionSpec *sb_session_spec_new         (SbKind               kind);
SbSessionSpec *sb_session_spec_copy        (const SbSessionSpec *spec);
void           sb_session_spec_free        (SbSessionSpec       *spec);
/* Parses a session URI; the error says what is wrong and where. */
SbSessionSpec *sb_session_spec_parse       (const char          *uri,
                                            GError             **error);
/* Returns the URI that sb_session_spec_parse() reads back to the same spec. */
char          *sb_session_spec_to_uri      (const SbSessionSpec *spec);
/* Compares only the fields @a's kind uses: TRUE when both are the same session. */
gboolean       sb_session_spec_equal       (const SbSessionSpec *a,
                                            const SbSessionSpec *b);
/* The fields of a spec as an editor shows them, one entry each. */
typedef enum
{
  SB_SPEC_FIELD_KIND,       /* a scheme name: "tcp", "udp-listen", "unix", … */
  SB_SPEC_FIELD_HOST,       /* the remote host: a name, IPv4, IPv6 (brackets optional) */
  SB_SPEC_FIELD_PORT,       /* the remote port: 1–65535 */
  SB_SPEC_FIELD_PATH,       /* the UNIX path connected to or listened on ("@name": abstract) */
  SB_SPEC_FIELD_BIND_HOST,  /* the local address to bind; "" for the default (127.0.0.1;
                             * any address for a TCP client) */
  SB_SPEC_FIELD_BIND_PORT,  /* the local port: 0–65535 (0: the system chooses) */
  SB_SPEC_FIELD_BIND_PATH,  /* the local path of a UNIX datagram or client socket; "" for none */
} SbSpecField;

/* Checks @text, typed in the @field entry of a spec of @kind (for
 * SB_SPEC_FIELD_KIND, @kind is ignored). On failure the error
 * (SB_ADDRESS_ERROR_INVALID) names the field and says what is wrong, in the
 * words sb_session_spec_parse() uses for the same mistake in a URI: "Host:
 * “300.1.2.3” is not a valid IPv4 address: 300 is more than 255". A field
 * the kind does not use is an error too. Host names are only checked for
 * form: no lookup is made. */
gboolean       sb_session_spec_check_field (SbKind               kind,
                                            SbSpecField          field,
                                            const char          *text,
                                            GError             **error);
/* Checks every field @spec's kind uses, as sb_session_spec_check_field()
 * does (so a spec built field by field holds no address the resolver would
 * misread); sets *@field (nullable) to the first bad one. */
gboolean       sb_session_spec_check       (const SbSessionSpec *spec,
                                            SbSpecField         *field,
                                            GError             **error);
/* Returns TRUE for kinds that use a byte stream (TCP, UNIX stream, TLS). */
gboolean       sb_kind_is_stream           (SbKind               kind);
gboolean       sb_kind_is_server           (SbKind               kind);
gboolean       sb_kind_is_unix             (SbKind               kind);
/* TLS and DTLS kinds: their URIs take the options of sb-tls-options.h. */
gboolean       sb_kind_is_tls              (SbKind               kind);
/* relay://, relay-udp://, relay-unix:// */
gboolean       sb_kind_is_relay            (SbKind               kind);
/* "tcp", "tcp-listen", "udp", "unix", "unix-listen", "unixgram", "icmp", "tls", "tls-listen",
 * "dtls", "dtls-listen", "relay", "relay-udp", "relay-unix" */
const char    *sb_kind_to_scheme           (SbKind               kind);

/* Parses "host:port" or "[v6]:port"; with @host_optional also ":port" and
 * "port" alone (*host set to NULL). Port must be 0–65535. */
gboolean       sb_address_parse_host_port  (const char          *text,
                                            gboolean             host_optional,
                                            char               **host,
                                            guint16             *port,
                                            GError             **error);
/* "127.0.0.1:80", "[::1]:80", "host.example:80". Newly allocated. */
char          *sb_address_format_host_port (const char          *host,
                                            guint16              port);
/* Prints a socket address the way the UI shows peers: "127.0.0.1:5000",
 * "[::1]:5000" (IPv4-mapped IPv6 shown as plain IPv4), "/tmp/s", "@name",
 * "(unnamed)" for an unbound UNIX socket. Newly allocated. */
char          *sb_address_to_string        (GSocketAddress      *address);
/* Returns TRUE if @host is a literal that binds every interface (0.0.0.0, ::). */
gboolean       sb_address_is_any           (const char          *host);
/* Makes a GUnixSocketAddress for @path ('@' prefix: abstract namespace).
 * Fails with a clear message when the path is too long. */
GSocketAddress *sb_address_new_unix        (const char          *path,
                                            GError             **error);
/* The address a server listens on: @host an IP literal of this computer
 * ("localhost" is 127.0.0.1), else a clear error saying what to use. */
GSocketAddress *sb_address_new_listen      (const char          *host,
                                            guint16              port,
                                            GError             **error);

/* The boxed type (defined with SbSession, which has a "spec" property). */
#define SB_TYPE_SESSION_SPEC (sb_session_spec_get_type ())
GType          sb_session_spec_get_type    (void) G_GNUC_CONST;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbSessionSpec, sb_session_spec_free)

G_END_DECLS
