#!/usr/bin/env python3
"""UDP client speaking GBK, after the classic Python socket tutorial.

Sends 'hello' encoded in GBK and prints the answer decoded as GBK.

    python3 udp_gbk_client.py HOST PORT [MESSAGE]

e.g. against:  sockbench --headless udp-listen://127.0.0.1:9999 --encoding=GBK --reply='服务端收到信息啦！'
"""

import socket
import sys


def ask(host, port, message='hello', encoding='gbk', timeout=5.0, sock=None):
    """Sends MESSAGE, waits for one answer; returns (answer text, answer address)."""
    family = socket.AF_INET6 if ':' in host else socket.AF_INET
    own = sock is None
    if own:
        sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        sock.settimeout(timeout)
        sock.sendto(message.encode(encoding), (host, port))
        data, addr = sock.recvfrom(1024)
        return data.decode(encoding), addr
    finally:
        if own:
            sock.close()


def main(argv):
    host, port = argv[1], int(argv[2])
    message = argv[3] if len(argv) > 3 else 'hello'
    answer, addr = ask(host, port, message, timeout=None)
    print(addr, answer)


if __name__ == '__main__':
    main(sys.argv)
