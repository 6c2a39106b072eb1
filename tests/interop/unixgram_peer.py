#!/usr/bin/env python3
"""UNIX datagram peer: binds a socket file, answers each datagram with 'pong'.

    python3 unixgram_peer.py /tmp/peer.sock

then:  sockbench --headless 'unixgram:///tmp/peer.sock?bind=/tmp/me.sock' --send=ping --count=1
(the bind path lets the peer answer: an unbound UNIX datagram socket has no address).
"""

import os
import socket
import sys


def open_bound(path):
    """An AF_UNIX datagram socket bound to PATH."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    return sock


def answer_once(sock, reply=b'pong', timeout=5.0):
    """Answers one datagram; returns (data, sender path)."""
    sock.settimeout(timeout)
    data, addr = sock.recvfrom(1024)
    sock.sendto(reply, addr)
    return data, addr


def main(argv):
    path = argv[1]
    with open_bound(path) as sock:
        try:
            while True:
                print(answer_once(sock, timeout=None), flush=True)
        finally:
            os.unlink(path)


if __name__ == '__main__':
    main(sys.argv)
