#!/usr/bin/env python3
"""TCP client, after the classic Python socket tutorial.

Connects, reads a greeting of a known length (or until the server closes),
prints it as UTF-8.

    python3 tcp_greet_client.py HOST PORT [LENGTH]

e.g. against:  sockbench --headless tcp-listen://127.0.0.1:8080 --send='您好'
"""

import socket
import sys


def recv_exactly(sock, length):
    """Reads until LENGTH bytes came; fewer only if the peer closed first."""
    data = b''
    while len(data) < length:
        chunk = sock.recv(min(1024, length - len(data)))
        if not chunk:
            break
        data += chunk
    return data


def recv_all(sock):
    """Reads until the peer closes."""
    data = b''
    while True:
        chunk = sock.recv(1024)
        if not chunk:
            return data
        data += chunk


def connect(host, port, timeout=5.0):
    """A connected TCP socket (IPv6 when HOST contains ':')."""
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect((host, port))
    return sock


def receive_greeting(host, port, length=None, timeout=5.0):
    """Connects and returns the greeting bytes."""
    with connect(host, port, timeout) as sock:
        return recv_exactly(sock, length) if length else recv_all(sock)


def main(argv):
    host, port = argv[1], int(argv[2])
    length = int(argv[3]) if len(argv) > 3 else None
    data = receive_greeting(host, port, length, timeout=None)
    print(data.decode('utf-8', 'backslashreplace'))


if __name__ == '__main__':
    main(sys.argv)
