#!/usr/bin/env python3
"""UDP server answering in GBK, after the classic Python socket tutorial.

Receives a datagram, prints it (decoded as GBK), and answers the sender
'服务端收到信息啦！' encoded in GBK.

    python3 udp_gbk_server.py [HOST [PORT]]

then:  sockbench --headless udp://HOST:PORT --encoding=GBK --send=hello --count=1
"""

import socket
import sys

REPLY = '服务端收到信息啦！'


def open_udp(host='127.0.0.1', port=0):
    """A UDP socket bound to HOST:PORT (IPv6 when HOST contains ':')."""
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind((host, port))
    return sock


def serve_once(sock, reply=REPLY, encoding='gbk', timeout=5.0):
    """Answers one datagram; returns (data received, sender address)."""
    sock.settimeout(timeout)
    data, addr = sock.recvfrom(1024)
    sock.sendto(reply.encode(encoding), addr)
    return data, addr


def main(argv):
    host = argv[1] if len(argv) > 1 else '127.0.0.1'
    port = int(argv[2]) if len(argv) > 2 else 0
    with open_udp(host, port) as sock:
        print('Bound to %s:%d' % (host, sock.getsockname()[1]), flush=True)
        while True:
            data, addr = serve_once(sock, timeout=None)
            print(addr, data.decode('gbk', 'backslashreplace'), flush=True)


if __name__ == '__main__':
    main(sys.argv)
