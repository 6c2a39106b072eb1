#!/usr/bin/env python3
"""TCP echo server, the first program of the classic Python socket tutorial.

Accepts one client and sends back everything it receives until it closes.

    python3 tcp_echo_server.py [HOST [PORT]]      (PORT 0: the kernel chooses)

then:  sockbench --headless tcp://HOST:PORT --send='hello\\r\\n' --count=1
"""

import sys

from tcp_greet_server import open_listener


def echo_one(listener, timeout=5.0):
    """Echoes one client until it closes; returns all the bytes it sent."""
    listener.settimeout(timeout)
    conn, _ = listener.accept()
    received = b''
    with conn:
        conn.settimeout(timeout)
        while True:
            data = conn.recv(1024)
            if not data:
                return received
            received += data
            conn.sendall(data)


def main(argv):
    host = argv[1] if len(argv) > 1 else '127.0.0.1'
    port = int(argv[2]) if len(argv) > 2 else 0
    with open_listener(host, port) as listener:
        print('Listening on %s:%d' % (host, listener.getsockname()[1]), flush=True)
        print('Echoed', echo_one(listener, timeout=None))


if __name__ == '__main__':
    main(sys.argv)
