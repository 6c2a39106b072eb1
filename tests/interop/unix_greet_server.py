#!/usr/bin/env python3
"""UNIX stream greeting server: tcp_greet_server.py on a socket file.

    python3 unix_greet_server.py /tmp/greet.sock

then:  sockbench --headless unix:///tmp/greet.sock
"""

import os
import socket
import sys

from tcp_greet_server import GREETING, serve_one  # noqa: F401  (re-exported)


def open_listener(path):
    """A listening AF_UNIX stream socket at PATH."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(5)
    return listener


def main(argv):
    path = argv[1]
    with open_listener(path) as listener:
        try:
            print('Listening on', path, flush=True)
            serve_one(listener, timeout=None)
        finally:
            os.unlink(path)


if __name__ == '__main__':
    main(sys.argv)
