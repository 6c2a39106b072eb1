#!/usr/bin/env python3
"""UNIX stream client: connects to a socket file, sends a line, prints what comes back.

    python3 unix_greet_client.py /tmp/sb.sock [MESSAGE]

e.g. against:  sockbench --headless unix-listen:///tmp/sb.sock --send='hi\\r\\n'
"""

import socket
import sys

from tcp_greet_client import recv_all, recv_exactly  # noqa: F401  (re-exported)


def connect(path, timeout=5.0):
    """A connected AF_UNIX stream socket."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(path)
    return sock


def main(argv):
    path = argv[1]
    message = argv[2] if len(argv) > 2 else 'hello unix\r\n'
    with connect(path, timeout=None) as sock:
        sock.sendall(message.encode('utf-8'))
        sock.shutdown(socket.SHUT_WR)
        print(recv_all(sock).decode('utf-8', 'backslashreplace'))


if __name__ == '__main__':
    main(sys.argv)
