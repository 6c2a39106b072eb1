#!/usr/bin/env python3
"""bench/tls_bench.py — TLS 1.3 peers with Python's ssl module, for driver.py.

    tls_bench.py read CERT KEY          listen on 127.0.0.1 (port 0), print
                                        "port N"; take one TLS 1.3 client, read
                                        until it closes; print bytes, seconds
                                        (handshake done to EOF), rate_Bps,
                                        version, cipher
    tls_bench.py send PORT SIZE         connect to 127.0.0.1:PORT over TLS 1.3
                                        (certificate not checked: a bench on
                                        loopback), write SIZE bytes (a..z, k/M/G
                                        suffixes) in 256 KiB writes, send
                                        close_notify; print bytes, version, cipher

The baseline of the tls-ingest scenario: the same sender feeds this reader
and the headless core's tls-listen:// (bench-ingest --uri), with the same
certificate. Every wait has a timeout.
"""
import socket
import ssl
import sys
import time

CHUNK = 256 * 1024
TIMEOUT = 120.0


def out(key, value):
    print(f'{key} {value}', flush=True)


def size_of(text):
    units = {'k': 1 << 10, 'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30}
    if text and text[-1] in units:
        return int(text[:-1]) * units[text[-1]]
    return int(text)


def read(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.load_cert_chain(cert, key)
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', 0))
        listener.listen(1)
        listener.settimeout(TIMEOUT)
        out('port', listener.getsockname()[1])
        raw, _ = listener.accept()
        raw.settimeout(TIMEOUT)
        with ctx.wrap_socket(raw, server_side=True) as conn:
            t0 = time.monotonic()
            buf = bytearray(CHUNK)
            view = memoryview(buf)
            total = 0
            while True:
                try:
                    n = conn.recv_into(view)
                except (ssl.SSLEOFError, ConnectionResetError):
                    n = 0
                if n == 0:
                    break
                total += n
            seconds = time.monotonic() - t0
            version, cipher = conn.version(), conn.cipher()[0]
    out('bytes', total)
    out('seconds', f'{seconds:.6f}')
    out('rate_Bps', f'{total / seconds:.0f}')
    out('version', version.replace(' ', '_'))
    out('cipher', cipher)
    return 0


def send(port, size):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    pattern = bytes(range(ord('a'), ord('z') + 1))
    block = memoryview((pattern * (CHUNK // len(pattern) + 1))[:CHUNK])
    raw = socket.create_connection(('127.0.0.1', port), timeout=TIMEOUT)
    conn = ctx.wrap_socket(raw, server_hostname='localhost')
    version, cipher = conn.version(), conn.cipher()[0]
    left = size
    while left > 0:
        n = min(left, CHUNK)
        conn.sendall(block[:n])
        left -= n
    # close_notify, so the reader sees a clean end; the reader may close
    # without answering it.
    try:
        conn.unwrap()
    except (ssl.SSLError, OSError):
        pass
    conn.close()
    out('bytes', size)
    out('version', version.replace(' ', '_'))
    out('cipher', cipher)
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == 'read':
        return read(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == 'send':
        return send(int(argv[2]), size_of(argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
