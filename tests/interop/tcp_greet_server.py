#!/usr/bin/env python3
"""TCP greeting server, after the classic Python socket tutorial.

Listens, accepts one client, sends it a New Year greeting in UTF-8, closes.

    python3 tcp_greet_server.py [HOST [PORT]]      (PORT 0: the kernel chooses)

then, in another terminal:

    sockbench --headless tcp://HOST:PORT

serve_one() also works on an AF_UNIX listener (see unix_greet_server.py).
"""

import socket
import sys

GREETING = '您好，您收到了服务器的新年祝福！'


def open_listener(host='127.0.0.1', port=0):
    """A listening TCP socket on HOST:PORT (IPv6 when HOST contains ':')."""
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.bind((host, port))
    listener.listen(5)
    return listener


def serve_one(listener, message=GREETING.encode('utf-8'), timeout=5.0):
    """Accepts one client, sends MESSAGE, closes; returns the client address."""
    listener.settimeout(timeout)
    conn, addr = listener.accept()
    with conn:
        conn.settimeout(timeout)
        conn.sendall(message)
    return addr


def main(argv):
    host = argv[1] if len(argv) > 1 else '127.0.0.1'
    port = int(argv[2]) if len(argv) > 2 else 0
    with open_listener(host, port) as listener:
        print('Listening on %s:%d' % (host, listener.getsockname()[1]), flush=True)
        addr = serve_one(listener, timeout=None)
        print('Greeted', addr)


if __name__ == '__main__':
    main(sys.argv)
