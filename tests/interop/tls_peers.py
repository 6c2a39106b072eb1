#!/usr/bin/env python3
"""TLS peers with Python's ssl module, for the interop tests.

    python3 tls_peers.py server CERT KEY [HOST [PORT]]    echo one client over TLS
    python3 tls_peers.py client HOST PORT [CA]             print what the server sends

then e.g.:  sockbench --headless tls://HOST:PORT --ca=CA.pem --send='hello\\n'
"""

import hashlib
import socket
import ssl
import sys

from tcp_greet_server import open_listener


def server_context(cert, key, ca=None, alpn=None):
    """A server context; with CA, clients must show a certificate it signed."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if ca is not None:
        ctx.load_verify_locations(ca)
        ctx.verify_mode = ssl.CERT_REQUIRED
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def client_context(ca=None, cert=None, key=None):
    """A client context: verifies against CA, or accepts anything without it."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca is not None:
        ctx.load_verify_locations(ca)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if cert is not None:
        ctx.load_cert_chain(cert, key)
    return ctx


def echo_one(listener, ctx, timeout=5.0):
    """Accepts one client, handshakes, echoes until it closes. Returns
    (bytes received, ALPN protocol chosen, TLS version)."""
    listener.settimeout(timeout)
    raw, _ = listener.accept()
    raw.settimeout(timeout)
    with ctx.wrap_socket(raw, server_side=True) as conn:
        # Asked now: once the peer has gone, ssl has forgotten them.
        alpn, version = conn.selected_alpn_protocol(), conn.version()
        received = b''
        while True:
            try:
                data = conn.recv(1024)
            except (ssl.SSLEOFError, ConnectionResetError):
                data = b''
            if not data:
                return received, alpn, version
            received += data
            conn.sendall(data)


def connect(host, port, ctx, server_hostname=None, timeout=5.0):
    """A TLS connection, handshake done."""
    raw = socket.create_connection((host, port), timeout=timeout)
    return ctx.wrap_socket(raw, server_hostname=server_hostname or host)


def fingerprint(conn):
    """The server certificate's SHA-256, written as sockbench writes it."""
    digest = hashlib.sha256(conn.getpeercert(binary_form=True)).hexdigest().upper()
    return ':'.join(digest[i:i + 2] for i in range(0, len(digest), 2))


def main(argv):
    if len(argv) >= 4 and argv[1] == 'server':
        host = argv[4] if len(argv) > 4 else '127.0.0.1'
        port = int(argv[5]) if len(argv) > 5 else 0
        with open_listener(host, port) as listener:
            print('Listening on %s:%d' % (host, listener.getsockname()[1]), flush=True)
            print('Echoed', echo_one(listener, server_context(argv[2], argv[3]), timeout=None))
    elif len(argv) >= 4 and argv[1] == 'client':
        ctx = client_context(argv[4] if len(argv) > 4 else None)
        with connect(argv[2], int(argv[3]), ctx) as conn:
            print(conn.version(), conn.cipher()[0], fingerprint(conn))
            print(conn.recv(1024))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
