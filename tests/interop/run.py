#!/usr/bin/env python3
"""Interop tests: Python socket peers against `sockbench --headless`, in TAP.

    python3 tests/interop/run.py PATH/TO/sockbench [WORD…]

With WORDs, only the cases whose name contains one of them run.
Every peer uses a kernel-chosen port on 127.0.0.1 or ::1, or a socket file in
a fresh temporary directory. Every wait is bounded: socket timeouts,
subprocess timeouts, and reading sockbench's stdout up to a deadline for the
"Listening on" line or the record expected. Nothing sleeps to let things
settle. On failure only the processes started here are killed.
"""

import sys

sys.dont_write_bytecode = True  # keep the source tree clean

import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import framed_device  # noqa: E402
import re  # noqa: E402
import modbus_device  # noqa: E402
import sbharness  # noqa: E402
import subprocess  # noqa: E402
import tcp_echo_server  # noqa: E402
import tcp_greet_client  # noqa: E402
import tcp_greet_server  # noqa: E402
import tls_peers  # noqa: E402
import udp_gbk_client  # noqa: E402
import udp_gbk_server  # noqa: E402
import unix_greet_client  # noqa: E402
import unix_greet_server  # noqa: E402
import unixgram_peer  # noqa: E402
from sbharness import Sockbench, Timeout  # noqa: E402

GREETING = tcp_greet_server.GREETING            # 您好，您收到了服务器的新年祝福！
GREETING_UTF8 = GREETING.encode('utf-8')        # 48 bytes
REPLY = udp_gbk_server.REPLY                    # 服务端收到信息啦！
REPLY_GBK = REPLY.encode('gbk')                 # 18 bytes
WAIT = 5.0                                      # one bounded wait, in seconds
DECRYPT_WAIT = 30.0                             # tshark reading a capture, again and again
BUDGET = 90.0                                   # the whole run, under meson's 120 s


class Skip(Exception):
    """The case cannot run here (e.g. no ::1)."""


# -- checks ------------------------------------------------------------------

def check(condition, message):
    if not condition:
        raise AssertionError(message)


def equal(got, expected, what):
    if got != expected:
        raise AssertionError('%s: expected %r, got %r' % (what, expected, got))


def stream_text(sb, direction, peer=None):
    """The DATA of all DIRECTION lines joined, and the sum of their LENGTHs."""
    records = [r for r in sb.with_direction(direction) if peer is None or r.peer == peer]
    return ''.join(r.data for r in records), sum(r.length for r in records)


def addr_label(addr):
    """Sockbench's way of writing a peer: 127.0.0.1:PORT, [::1]:PORT."""
    host, port = addr[0], addr[1]
    return ('[%s]:%d' if ':' in host else '%s:%d') % (host, port)


# -- one case's resources ----------------------------------------------------

class Peer(threading.Thread):
    """A Python peer running in a thread; result() re-raises its exception."""

    def __init__(self, function, *args, **kwargs):
        super().__init__(daemon=True)
        self._call = (function, args, kwargs)
        self._value = None
        self._error = None

    def run(self):
        function, args, kwargs = self._call
        try:
            self._value = function(*args, **kwargs)
        except BaseException as error:  # reported by result()
            self._error = error

    def result(self, timeout=WAIT):
        self.join(timeout)
        if self.is_alive():
            raise Timeout('Python peer %s still running after %.1f s'
                          % (self._call[0].__name__, timeout))
        if self._error is not None:
            raise AssertionError('Python peer %s failed: %r'
                                 % (self._call[0].__name__, self._error))
        return self._value


class Context:
    """What one case started: sockbench children, sockets, threads, a temp dir."""

    def __init__(self, exe):
        self.exe = exe
        self.tmpdir = tempfile.mkdtemp(prefix='sbi-')
        self.children = []
        self.sockets = []
        self.peers = []

    def path(self, name):
        return os.path.join(self.tmpdir, name)

    def sockbench(self, *args):
        """Starts `sockbench --headless ARGS…`."""
        sb = Sockbench(self.exe, args)
        self.children.append(sb)
        return sb

    def run(self, *args, timeout=10.0):
        """Runs sockbench until it ends by itself (bounded)."""
        sb = self.sockbench(*args)
        sb.wait_exit(timeout)
        return sb

    def keep(self, sock):
        """Closes SOCK at the end of the case."""
        self.sockets.append(sock)
        return sock

    def background(self, function, *args, **kwargs):
        peer = Peer(function, *args, **kwargs)
        self.peers.append(peer)
        peer.start()
        return peer

    def cleanup(self):
        """Returns the children that were still running (then killed)."""
        left = []
        for sb in self.children:
            if sb.returncode is None:
                left.append(sb)
            sb.kill()  # only our own child, by its Popen
        for sock in self.sockets:
            sock.close()
        for peer in self.peers:
            peer.join(1.0)
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        return left


CASES = []


def case(name):
    def register(function):
        CASES.append((name, function))
        return function
    return register


def have_ipv6_loopback():
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(('::1', 0))
        return True
    except OSError:
        return False


def unused_port(ctx, kind=socket.SOCK_STREAM):
    """A 127.0.0.1 port bound (not listening) for the whole case: nobody answers there."""
    sock = ctx.keep(socket.socket(socket.AF_INET, kind))
    sock.bind(('127.0.0.1', 0))
    return sock.getsockname()[1]


# -- 1. TCP -------------------------------------------------------------------

@case('tcp: python greeting server <- sockbench tcp:// prints the UTF-8 greeting, exits 0 when closed')
def tcp_client_greeted(ctx):
    listener = ctx.keep(tcp_greet_server.open_listener('127.0.0.1', 0))
    port = listener.getsockname()[1]
    server = ctx.background(tcp_greet_server.serve_one, listener, GREETING_UTF8)
    sb = ctx.run('tcp://127.0.0.1:%d' % port, '--timeout=5')
    server.result()
    equal(sb.returncode, 0, 'exit status')
    text, length = stream_text(sb, 'rx')
    equal(text, GREETING, 'rx text')
    equal(length, len(GREETING_UTF8), 'rx LENGTH')
    for record in sb.with_direction('rx'):
        equal(record.peer, '127.0.0.1:%d' % port, 'rx PEER')


@case('tcp: sockbench tcp-listen --send greets each python client with the exact UTF-8 bytes')
def tcp_server_greets(ctx):
    sb = ctx.sockbench('tcp-listen://127.0.0.1:0', '--send=' + GREETING)
    port = sb.wait_port()
    # Two clients at once: each gets its own greeting as it connects.
    first = ctx.keep(tcp_greet_client.connect('127.0.0.1', port))
    second = ctx.keep(tcp_greet_client.connect('127.0.0.1', port))
    for sock in (first, second):
        got = tcp_greet_client.recv_exactly(sock, len(GREETING_UTF8))
        equal(got, GREETING_UTF8, 'bytes received by %s' % addr_label(sock.getsockname()))
    sb.wait_for(lambda r: len(sb.with_direction('tx')) >= 2, what='two tx lines')
    equal(sb.stop(), 0, 'exit status after SIGTERM')
    for sock in (first, second):
        label = addr_label(sock.getsockname())
        equal(stream_text(sb, 'tx', label), (GREETING, len(GREETING_UTF8)),
              'tx text and LENGTH to %s' % label)


@case('tcp: python echo server <- sockbench tcp:// --send --count=1 prints the echo, exits 0')
def tcp_echo(ctx):
    listener = ctx.keep(tcp_greet_server.open_listener('127.0.0.1', 0))
    port = listener.getsockname()[1]
    server = ctx.background(tcp_echo_server.echo_one, listener)
    sb = ctx.run('tcp://127.0.0.1:%d' % port, r'--send=hello\r\n', '--count=1', '--timeout=5')
    equal(sb.returncode, 0, 'exit status after --count=1')
    equal(server.result(), b'hello\r\n', 'bytes the echo server received')
    equal([(r.length, r.data) for r in sb.with_direction('tx')], [(7, r'hello\r\n')], 'tx lines')
    equal([(r.length, r.data) for r in sb.with_direction('rx')], [(7, r'hello\r\n')], 'rx lines')


def send_and_close(ctx, sb, port, data):
    """Connects to sockbench, sends DATA, closes, waits for sockbench to see EOF."""
    with tcp_greet_client.connect('127.0.0.1', port) as sock:
        label = addr_label(sock.getsockname())
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        sb.wait_for(lambda r: r.direction == 'event' and r.peer == label and 'closed' in r.data,
                    what='the event of %s closing' % label)
    return label


@case('tcp: 256 KiB of every byte value arrive exactly (--hex)')
def tcp_big_binary(ctx):
    data = bytes(range(256)) * 1024
    sb = ctx.sockbench('tcp-listen://127.0.0.1:0', '--hex')
    port = sb.wait_port()
    label = send_and_close(ctx, sb, port, data)
    equal(sb.stop(), 0, 'exit status after SIGTERM')
    rx = [r for r in sb.with_direction('rx') if r.peer == label]
    equal(sum(r.length for r in rx), len(data), 'sum of rx LENGTHs')
    got = bytes.fromhex(' '.join(r.data for r in rx))
    check(got == data, 'bytes differ from byte %s' % next(
        (i for i, (a, b) in enumerate(zip(got, data)) if a != b), min(len(got), len(data))))


@case('tcp utf-8: 100 000 characters of Chinese and ASCII, cut by the reads anywhere, shown whole')
def tcp_big_text(ctx):
    text = ('新年快乐，万事如意！Hello ' * 12000)[:100000]   # 1-, 3-byte characters
    data = text.encode('utf-8')
    sb = ctx.sockbench('tcp-listen://127.0.0.1:0')
    port = sb.wait_port()
    label = send_and_close(ctx, sb, port, data)
    equal(sb.stop(), 0, 'exit status after SIGTERM')
    rx = [r for r in sb.with_direction('rx') if r.peer == label]
    equal(sum(r.length for r in rx), len(data), 'sum of rx LENGTHs')
    joined = ''.join(r.data for r in rx)
    check('\\x' not in joined, 'a cut character was shown as escapes')
    check(joined == text, 'text differs from character %s' % next(
        (i for i, (a, b) in enumerate(zip(joined, text)) if a != b), min(len(joined), len(text))))
    ends, offset = [], 0
    for record in rx[:-1]:
        offset += record.length
        ends.append(offset)
    inside = sum(1 for end in ends if end < len(data) and (data[end] & 0xc0) == 0x80)
    print('# %d rx lines, %d of their ends inside a character' % (len(rx), inside))


@case('tcp: --hex --send of 16 KiB arrives exactly')
def tcp_big_send(ctx):
    data = bytes(range(256)) * 64
    sb = ctx.sockbench('tcp-listen://127.0.0.1:0', '--hex', '--send=' + data.hex(' '))
    port = sb.wait_port()
    with tcp_greet_client.connect('127.0.0.1', port) as sock:
        got = tcp_greet_client.recv_exactly(sock, len(data))
    check(got == data, 'received %d bytes, not the %d sent' % (len(got), len(data)))
    equal(sb.stop(), 0, 'exit status after SIGTERM')


# -- 2. UDP and GBK ---------------------------------------------------------------

@case('udp gbk: sockbench udp-listen --reply answers a python client in GBK')
def udp_server_replies_gbk(ctx):
    sb = ctx.sockbench('udp-listen://127.0.0.1:0', '--encoding=GBK', '--reply=' + REPLY)
    port = sb.wait_port()
    sock = ctx.keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    sock.bind(('127.0.0.1', 0))
    answer, addr = udp_gbk_client.ask('127.0.0.1', port, 'hello', 'gbk', WAIT, sock=sock)
    equal(answer, REPLY, 'reply decoded from GBK')
    equal(addr, ('127.0.0.1', port), 'reply source')
    sb.wait_for(lambda r: r.direction == 'tx', what='tx line')
    equal(sb.stop(), 0, 'exit status after SIGTERM')
    label = addr_label(sock.getsockname())
    rx = [(r.peer, r.length, r.data) for r in sb.with_direction('rx')]
    tx = [(r.peer, r.length, r.data) for r in sb.with_direction('tx')]
    equal(rx, [(label, 5, 'hello')], 'rx lines')
    equal(tx, [(label, len(REPLY_GBK), REPLY)], 'tx lines')


@case('udp gbk: python GBK server <- sockbench udp:// --send --count=1 prints the reply decoded')
def udp_client_gbk(ctx):
    sock = ctx.keep(udp_gbk_server.open_udp('127.0.0.1', 0))
    port = sock.getsockname()[1]
    server = ctx.background(udp_gbk_server.serve_once, sock, REPLY, 'gbk', WAIT)
    sb = ctx.run('udp://127.0.0.1:%d' % port, '--encoding=GBK', '--send=hello',
                 '--count=1', '--timeout=5')
    data, _ = server.result()
    equal(data, b'hello', 'datagram the server received')
    equal(sb.returncode, 0, 'exit status')
    rx = [(r.peer, r.length, r.data) for r in sb.with_direction('rx')]
    equal(rx, [('127.0.0.1:%d' % port, len(REPLY_GBK), REPLY)], 'rx lines')
    equal([r.data for r in sb.with_direction('tx')], ['hello'], 'tx lines')


@case('tcp gbk: an invalid byte is shown as \\xNN: c4 fa ba c3 ff -> 您好\\xff')
def tcp_gbk_invalid_byte(ctx):
    sb = ctx.sockbench('tcp-listen://127.0.0.1:0', '--encoding=GBK', '--count=1')
    port = sb.wait_port()
    with tcp_greet_client.connect('127.0.0.1', port) as sock:
        sock.sendall(b'\xc4\xfa\xba\xc3\xff')
        equal(sb.wait_exit(WAIT), 0, 'exit status after --count=1')
    equal([(r.length, r.data) for r in sb.with_direction('rx')], [(5, '您好\\xff')], 'rx lines')


def split_character(ctx, encoding, text, cuts):
    """Sends TEXT in pieces cut at byte offsets CUTS (inside characters).

    Each piece waits for sockbench's --reply to the previous one, so each is
    surely a read of its own, well within the time a cut line is held.
    """
    data = text.encode(encoding)
    bounds = [0] + list(cuts) + [len(data)]
    pieces = [data[a:b] for a, b in zip(bounds, bounds[1:])]
    sb = ctx.sockbench('tcp-listen://127.0.0.1:0', '--encoding=' + encoding,
                       '--reply=ok', '--count=%d' % len(pieces))
    port = sb.wait_port()
    with tcp_greet_client.connect('127.0.0.1', port) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i, piece in enumerate(pieces):
            sock.sendall(piece)
            if i + 1 < len(pieces):
                equal(tcp_greet_client.recv_exactly(sock, 2), b'ok', 'reply to piece %d' % (i + 1))
        equal(sb.wait_exit(WAIT), 0, 'exit status after --count=%d' % len(pieces))
    rx = sb.with_direction('rx')
    equal([r.length for r in rx], [len(p) for p in pieces], 'rx LENGTHs (one read per piece)')
    equal(''.join(r.data for r in rx), text, 'rx lines joined')
    for record in rx:
        check('\\x' not in record.data, 'a cut character was shown as escapes: %r' % record)


@case('tcp utf-8: a character cut across two sends is shown whole')
def split_utf8(ctx):
    split_character(ctx, 'UTF-8', '您好', [2])          # e6 82 | a8 e5 a5 bd


@case('tcp utf-8: a character cut across three sends is shown whole')
def split_utf8_three(ctx):
    split_character(ctx, 'UTF-8', '新年好', [1, 2])     # e6 | 96 | b0 e5 b9 b4 e5 a5 bd


@case('tcp gbk: a character cut across two sends is shown whole')
def split_gbk(ctx):
    split_character(ctx, 'GBK', '您好', [1])            # c4 | fa ba c3


# -- 3. hex ----------------------------------------------------------------------

@case('hex: --hex --send="48 65 6c 6c 6f" sends b"Hello", rx shown as hex pairs')
def hex_send_receive(ctx):
    sb = ctx.sockbench('tcp-listen://127.0.0.1:0', '--hex', '--send=48 65 6c 6c 6f', '--count=1')
    port = sb.wait_port()
    with tcp_greet_client.connect('127.0.0.1', port) as sock:
        equal(tcp_greet_client.recv_exactly(sock, 5), b'Hello', 'bytes received')
        sock.sendall(b'Hi\x00\xff')
        equal(sb.wait_exit(WAIT), 0, 'exit status after --count=1')
    equal([(r.length, r.data) for r in sb.with_direction('tx')], [(5, '48 65 6c 6c 6f')], 'tx lines')
    equal([(r.length, r.data) for r in sb.with_direction('rx')], [(4, '48 69 00 ff')], 'rx lines')


# -- 4. UNIX sockets -------------------------------------------------------------

@case('unix: python UNIX greeting server <- sockbench unix:// prints the greeting, exits 0')
def unix_client_greeted(ctx):
    path = ctx.path('greet.sock')
    listener = ctx.keep(unix_greet_server.open_listener(path))
    server = ctx.background(unix_greet_server.serve_one, listener, GREETING_UTF8)
    sb = ctx.run('unix://' + path, '--timeout=5')
    server.result()
    equal(sb.returncode, 0, 'exit status')
    equal(stream_text(sb, 'rx'), (GREETING, len(GREETING_UTF8)), 'rx text and LENGTH')


@case('unix: sockbench unix-listen <- python client; escapes in --send and in rx')
def unix_server(ctx):
    path = ctx.path('sb.sock')
    sb = ctx.sockbench('unix-listen://' + path, r'--send=hi\r\n\x41\\', '--count=1')
    equal(sb.wait_ready(), path, 'listening address')
    with unix_greet_client.connect(path) as sock:
        equal(unix_greet_client.recv_exactly(sock, 6), b'hi\r\nA\\', 'greeting bytes')
        sock.sendall(b'hello unix\r\n\t\\\x00')
        equal(sb.wait_exit(WAIT), 0, 'exit status after --count=1')
    equal([(r.length, r.data) for r in sb.with_direction('tx')], [(6, r'hi\r\nA\\')], 'tx lines')
    equal([(r.length, r.data) for r in sb.with_direction('rx')],
          [(15, r'hello unix\r\n\t\\\0')], 'rx lines')


@case('unixgram: sockbench unixgram://PATH?bind= <-> python datagram peer')
def unixgram(ctx):
    peer_path, own_path = ctx.path('peer.sock'), ctx.path('me.sock')
    sock = ctx.keep(unixgram_peer.open_bound(peer_path))
    peer = ctx.background(unixgram_peer.answer_once, sock, b'pong', WAIT)
    sb = ctx.run('unixgram://%s?bind=%s' % (peer_path, own_path), '--send=ping', '--count=1')
    data, sender = peer.result()
    equal((data, sender), (b'ping', own_path), 'datagram and sender seen by the python peer')
    equal(sb.returncode, 0, 'exit status after --count=1')
    equal([(r.length, r.data) for r in sb.with_direction('rx')], [(4, 'pong')], 'rx lines')


# -- 5. IPv6 ---------------------------------------------------------------------

@case('ipv6: sockbench tcp-listen://[::1]:0 <- python AF_INET6 client')
def ipv6_server(ctx):
    if not have_ipv6_loopback():
        raise Skip('::1 is not available')
    sb = ctx.sockbench('tcp-listen://[::1]:0', '--send=' + GREETING, '--count=1')
    address = sb.wait_ready()
    check(address.startswith('[::1]:'), 'listening address %r is not [::1]:PORT' % address)
    port = int(address.rsplit(':', 1)[1])
    with tcp_greet_client.connect('::1', port) as sock:
        equal(tcp_greet_client.recv_exactly(sock, len(GREETING_UTF8)), GREETING_UTF8, 'greeting bytes')
        sock.sendall('新年快乐'.encode('utf-8'))
        label = addr_label(sock.getsockname())
        equal(sb.wait_exit(WAIT), 0, 'exit status after --count=1')
    equal([(r.peer, r.data) for r in sb.with_direction('rx')], [(label, '新年快乐')], 'rx lines')


@case('ipv6: python AF_INET6 greeting server <- sockbench tcp://[::1]:PORT')
def ipv6_client(ctx):
    if not have_ipv6_loopback():
        raise Skip('::1 is not available')
    listener = ctx.keep(tcp_greet_server.open_listener('::1', 0))
    port = listener.getsockname()[1]
    server = ctx.background(tcp_greet_server.serve_one, listener, GREETING_UTF8)
    sb = ctx.run('tcp://[::1]:%d' % port, '--timeout=5')
    server.result()
    equal(sb.returncode, 0, 'exit status')
    equal(stream_text(sb, 'rx', '[::1]:%d' % port), (GREETING, len(GREETING_UTF8)),
          'rx text and LENGTH')


# -- 6. errors ---------------------------------------------------------------------

@case('error: connection refused -> non-zero exit, stderr says "refused"')
def error_refused(ctx):
    port = unused_port(ctx)
    sb = ctx.run('tcp://127.0.0.1:%d' % port, '--timeout=5')
    check(sb.returncode not in (0, None), 'exit status %r, expected non-zero' % sb.returncode)
    check('refused' in sb.stderr.lower(), 'stderr does not say "refused"')


@case('error: busy port -> non-zero exit, stderr names the port and says "in use"')
def error_busy(ctx):
    listener = ctx.keep(tcp_greet_server.open_listener('127.0.0.1', 0))
    port = listener.getsockname()[1]
    sb = ctx.run('tcp-listen://127.0.0.1:%d' % port)
    check(sb.returncode not in (0, None), 'exit status %r, expected non-zero' % sb.returncode)
    check(str(port) in sb.stderr, 'stderr does not name port %d' % port)
    check('in use' in sb.stderr, 'stderr does not say "in use"')


def bad_option(ctx, args, *needles):
    """Runs sockbench with bad options: exit 2, NEEDLES on stderr, no session started."""
    port = unused_port(ctx)
    sb = ctx.run('tcp://127.0.0.1:%d' % port, *args)
    equal(sb.returncode, 2, 'exit status')
    for needle in needles:
        check(needle in sb.stderr, 'stderr does not contain %r' % needle)
    equal(sb.lines, [], 'stdout (no session should start)')


@case('error: --hex --send=4g -> exit 2, stderr names "g" and its position')
def error_bad_hex(ctx):
    bad_option(ctx, ['--hex', '--send=4g'], '“g”', '2')


@case('error: --encoding=GBK --send=한 (not in GBK) -> exit 2, stderr names “한”')
def error_unencodable_gbk(ctx):
    bad_option(ctx, ['--encoding=GBK', '--send=hi 한'], '“한”')


@case('error: --encoding=ISO-8859-1 --send=€ -> exit 2, stderr names “€”')
def error_unencodable_latin1(ctx):
    bad_option(ctx, ['--encoding=ISO-8859-1', '--send=5 €'], '“€”')


@case('error: --hex --reply=zz -> exit 2, stderr names --reply')
def error_bad_reply(ctx):
    bad_option(ctx, ['--hex', '--reply=zz'], '--reply')


@case('error: --encoding=NO-SUCH-CODE -> exit 2')
def error_unknown_encoding(ctx):
    bad_option(ctx, ['--encoding=NO-SUCH-CODE'], 'NO-SUCH-CODE')


@case('error: bad URI foo://x -> exit 2')
def error_bad_uri(ctx):
    sb = ctx.run('foo://x')
    equal(sb.returncode, 2, 'exit status')
    check('foo://x' in sb.stderr, 'stderr does not name the URI')
    equal(sb.lines, [], 'stdout')


# -- 7. --count, greeting once per sender --------------------------------------------

@case('udp: udp-listen --send greets each new sender once, --reply answers all, --count=3 exits 0')
def udp_greet_once_per_sender(ctx):
    sb = ctx.sockbench('udp-listen://127.0.0.1:0', '--send=hi', '--reply=ok', '--count=3')
    port = sb.wait_port()
    target = ('127.0.0.1', port)
    first = ctx.keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    second = ctx.keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    for sock in (first, second):
        sock.bind(('127.0.0.1', 0))
        sock.settimeout(WAIT)

    def exchange(sock, message, expected):
        sock.sendto(message, target)
        got = [sock.recvfrom(1024)[0] for _ in expected]
        equal(got, expected, 'answers to %r from %s' % (message, addr_label(sock.getsockname())))

    exchange(first, b'1', [b'hi', b'ok'])
    exchange(first, b'2', [b'ok'])          # no second greeting for a known sender
    exchange(second, b'3', [b'hi', b'ok'])
    equal(sb.wait_exit(WAIT), 0, 'exit status after --count=3')
    equal([r.data for r in sb.with_direction('rx')], ['1', '2', '3'], 'rx lines')
    greetings = [r.peer for r in sb.with_direction('tx') if r.data == 'hi']
    equal(greetings, [addr_label(first.getsockname()), addr_label(second.getsockname())],
          'peers greeted (tx "hi" lines)')


@case('count: --count=1 still prints the --reply sent to that message')
def count_prints_last_reply(ctx):
    sb = ctx.sockbench('udp-listen://127.0.0.1:0', '--reply=ok', '--count=1')
    port = sb.wait_port()
    sock = ctx.keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    sock.settimeout(WAIT)
    sock.sendto(b'ping', ('127.0.0.1', port))
    equal(sock.recvfrom(1024)[0], b'ok', 'reply received by python')
    equal(sb.wait_exit(WAIT), 0, 'exit status after --count=1')
    equal([r.data for r in sb.with_direction('rx')], ['ping'], 'rx lines')
    equal([r.data for r in sb.with_direction('tx')], ['ok'],
          'tx lines (the reply crossed the socket, so it is in the history)')


@case('udp: a new sender\'s first datagram is printed before the --send greeting it triggers')
def udp_greeting_order(ctx):
    sb = ctx.sockbench('udp-listen://127.0.0.1:0', '--send=hi')
    port = sb.wait_port()
    sock = ctx.keep(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
    sock.settimeout(WAIT)
    sock.sendto(b'knock', ('127.0.0.1', port))
    equal(sock.recvfrom(1024)[0], b'hi', 'greeting received by python')
    sb.wait_for(lambda r: len(sb.with_direction('rx')) >= 1 and len(sb.with_direction('tx')) >= 1,
                what='rx and tx lines')
    equal(sb.stop(), 0, 'exit status after SIGTERM')
    order = [(r.direction, r.data) for r in sb.records if r.direction != 'event']
    equal(order, [('rx', 'knock'), ('tx', 'hi')], 'order of the records')


# -- relay ---------------------------------------------------------------------

def exchange_both_ways(sock, data, received):
    """Sends DATA and shuts down sending while reading until EOF into RECEIVED."""
    def send():
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        received.extend(chunk)
    sender.join(WAIT)
    return bytes(received)


@case('relay: python client and server, 1 MiB of random bytes each way through relay://, checksums equal, EOF passed on')
def relay_both_ways(ctx):
    import hashlib
    import random
    rng = random.Random(17)
    up = bytes(rng.getrandbits(8) for _ in range(1 << 20))
    down = bytes(rng.getrandbits(8) for _ in range(1 << 20))
    listener = ctx.keep(tcp_greet_server.open_listener('127.0.0.1', 0))
    server_port = listener.getsockname()[1]
    sb = ctx.sockbench('relay://127.0.0.1:0?to=127.0.0.1:%d' % server_port)
    port = sb.wait_port()

    def serve():
        listener.settimeout(WAIT * 4)
        conn, _ = listener.accept()
        conn.settimeout(WAIT * 4)
        with conn:
            return exchange_both_ways(conn, down, bytearray())
    server = ctx.background(serve)
    client = ctx.keep(tcp_greet_client.connect('127.0.0.1', port))
    client.settimeout(WAIT * 4)
    got_down = exchange_both_ways(client, up, bytearray())
    got_up = server.result(WAIT * 4)
    equal(hashlib.sha256(got_up).hexdigest(), hashlib.sha256(up).hexdigest(), 'sha256 of what the server got')
    equal(hashlib.sha256(got_down).hexdigest(), hashlib.sha256(down).hexdigest(), 'sha256 of what the client got')
    sb.wait_for(lambda r: r.direction == 'event' and r.data.startswith('Closed both legs'),
                timeout=WAIT * 2, what='the pair closing')
    equal(sb.stop(), 0, 'exit status after SIGTERM')
    equal(sum(r.length for r in sb.with_direction('rx')), len(up), 'sum of rx LENGTHs (client → server)')
    equal(sum(r.length for r in sb.with_direction('tx')), len(down), 'sum of tx LENGTHs (server → client)')


@case('relay: --split=s2c:3/20 passes the python server\'s reply on in 3-byte pieces, an event says so')
def relay_split(ctx):
    listener = ctx.keep(tcp_greet_server.open_listener('127.0.0.1', 0))
    server_port = listener.getsockname()[1]
    sb = ctx.sockbench('relay://127.0.0.1:0?to=127.0.0.1:%d' % server_port, '--split=s2c:3/20')
    port = sb.wait_port()
    server = ctx.background(tcp_greet_server.serve_one, listener, b'abcdefghi')
    client = ctx.keep(tcp_greet_client.connect('127.0.0.1', port))
    client.settimeout(WAIT)
    pieces = []
    while sum(len(p) for p in pieces) < 9:
        pieces.append(client.recv(100))
    server.result()
    equal(pieces, [b'abc', b'def', b'ghi'], 'reads of the python client')
    sb.wait_for(lambda r: r.direction == 'event' and 'Split 9 bytes' in r.data, what='the split event')
    equal(sb.stop(), 0, 'exit status after SIGTERM')


# -- runner --------------------------------------------------------------------------


# -- TLS ----------------------------------------------------------------------

def make_certs(ctx):
    """A CA and the server and client certificates it signed, made now."""
    tool = os.environ.get('SOCKBENCH_TLS_MAKE_CERTS')
    if not tool or not os.path.exists(tool):
        raise Skip('tls-make-certs was not built (SOCKBENCH_TLS_MAKE_CERTS)')
    subprocess.run([tool, ctx.tmpdir], check=True, timeout=WAIT)
    return {name: ctx.path(name) for name in
            ('ca.pem', 'server.pem', 'server.key', 'client.pem', 'client.key')}


def events(sb):
    return [r.data for r in sb.with_direction('event')]


def has_event(sb, text):
    return any(text in data for data in events(sb))


@case('tls: python ssl server (CA-signed, ALPN) <- sockbench tls:// --ca --alpn --send --count=1: echo, chain and ALPN printed')
def tls_client_python_server(ctx):
    certs = make_certs(ctx)
    listener = ctx.keep(tcp_greet_server.open_listener('127.0.0.1', 0))
    port = listener.getsockname()[1]
    context = tls_peers.server_context(certs['server.pem'], certs['server.key'], alpn=['h2', 'http/1.1'])
    server = ctx.background(tls_peers.echo_one, listener, context)
    sb = ctx.run('tls://127.0.0.1:%d' % port, '--ca=' + certs['ca.pem'], '--alpn=http/1.1',
                 r'--send=hello\r\n', '--count=1', '--timeout=5')
    equal(sb.returncode, 0, 'exit status after --count=1')
    received, alpn, version = server.result()
    equal(received, b'hello\r\n', 'plaintext the python server received')
    equal(alpn, 'http/1.1', 'ALPN the python server chose')
    equal([(r.length, r.data) for r in sb.with_direction('rx')], [(7, r'hello\r\n')], 'rx lines (plaintext)')
    check(has_event(sb, r'Certificate 1 of 2: CN=server\nIssued by: CN=Sockbench Interop CA'),
          'the chain is printed: %r' % events(sb))
    check(has_event(sb, 'ALPN protocol http/1.1'), 'ALPN printed: %r' % events(sb))
    check(has_event(sb, version.replace('TLSv', 'TLS ')), '%s printed: %r' % (version, events(sb)))


@case('tls: sockbench tls-listen --self-signed greets a python ssl client; the fingerprint printed is the one python sees')
def tls_server_python_client(ctx):
    sb = ctx.sockbench('tls-listen://127.0.0.1:0', '--self-signed', '--send=' + GREETING)
    port = sb.wait_port()
    made = sb.wait_for(lambda r: r.direction == 'event' and 'self-signed certificate' in r.data,
                       what='the self-signed certificate event')
    conn = ctx.keep(tls_peers.connect('127.0.0.1', port, tls_peers.client_context()))
    got = tcp_greet_client.recv_exactly(conn, len(GREETING_UTF8))
    equal(got, GREETING_UTF8, 'plaintext greeting python read')
    fingerprint = tls_peers.fingerprint(conn)
    check('SHA-256 %s' % fingerprint in made.data, '%s not in %r' % (fingerprint, made.data))
    sb.wait_for(lambda r: r.direction == 'tx', what='the tx line')
    equal(sb.stop(), 0, 'exit status after SIGTERM')


@case('tls: mutual TLS: a python client with a CA-signed certificate is served, one without is refused with the reason')
def tls_mutual_python_client(ctx):
    certs = make_certs(ctx)
    sb = ctx.sockbench('tls-listen://127.0.0.1:0', '--cert=' + certs['server.pem'],
                       '--key=' + certs['server.key'], '--ca=' + certs['ca.pem'], '--reply=pong')
    port = sb.wait_port()
    good = tls_peers.client_context(certs['ca.pem'], certs['client.pem'], certs['client.key'])
    with tls_peers.connect('127.0.0.1', port, good, server_hostname='localhost') as conn:
        conn.sendall(b'ping')
        equal(tcp_greet_client.recv_exactly(conn, 4), b'pong', 'reply over mutual TLS')
    sb.wait_for(lambda r: r.direction == 'event' and 'Certificate 1 of 2: CN=client' in r.data,
                what="the client's chain")
    try:
        with tls_peers.connect('127.0.0.1', port, tls_peers.client_context(certs['ca.pem']),
                               server_hostname='localhost') as conn:
            conn.sendall(b'ping')
            conn.recv(16)  # TLS 1.3: the refusal arrives after the handshake
    except (ssl_error(), OSError):
        pass
    sb.wait_for(lambda r: r.direction == 'event' and 'showed no client certificate' in r.data,
                what='the refusal of a client without a certificate')
    equal(sb.stop(), 0, 'exit status after SIGTERM')


def ssl_error():
    import ssl
    return ssl.SSLError


KEYLOG_RE = re.compile(r'^(CLIENT_RANDOM|CLIENT_HANDSHAKE_TRAFFIC_SECRET|SERVER_HANDSHAKE_TRAFFIC_SECRET|'
                       r'CLIENT_TRAFFIC_SECRET_0|SERVER_TRAFFIC_SECRET_0|EXPORTER_SECRET|'
                       r'EARLY_EXPORTER_SECRET|CLIENT_EARLY_TRAFFIC_SECRET) [0-9a-f]{64} [0-9a-f]{64,96}$')


def start_capture(ctx, port):
    """dumpcap on lo for PORT, once it says it captures; (None, why) when it cannot."""
    dumpcap, tshark = shutil.which('dumpcap'), shutil.which('tshark')
    if dumpcap is None or tshark is None:
        return None, 'tshark is not installed'
    out = ctx.path('capture.pcapng')
    proc = subprocess.Popen([dumpcap, '-q', '-i', 'lo', '-f', 'tcp port %d' % port, '-w', out],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    said = []
    reader = threading.Thread(target=lambda: said.extend(iter(proc.stderr.readline, b'')), daemon=True)
    reader.start()
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and proc.poll() is None:
        if any(b'Capturing on' in line for line in said):
            return (proc, out), None
        reader.join(0.05)
    proc.kill()  # our own child
    proc.wait(WAIT)
    return None, 'capturing on loopback is not permitted here (%s)' % b' '.join(said).decode(errors='replace').strip()


def tshark_finds(capture, keylog, secret):
    dump = subprocess.run([shutil.which('tshark'), '-r', capture, '-o', 'tls.keylog_file:' + keylog, '-x'],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=60).stdout.decode()
    return secret.hex(' ') in dump


def wait_decrypted(capture, keylog, secret, dumpcap):
    """Whether tshark finds SECRET decrypted in CAPTURE (dumpcap writes its
    packets in batches: each new batch is read again, up to DECRYPT_WAIT;
    one tshark run takes seconds on a busy machine). At the deadline DUMPCAP
    is stopped, which writes what it still held, and the file read once more."""
    deadline = time.monotonic() + DECRYPT_WAIT
    size = -1
    while time.monotonic() < deadline:
        now = os.path.getsize(capture) if os.path.exists(capture) else 0
        if now != size:
            size = now
            if tshark_finds(capture, keylog, secret):
                return True
        threading.Event().wait(0.1)  # the next batch; bounded by the deadline
    dumpcap.terminate()  # our own child
    dumpcap.wait(WAIT)
    return os.path.exists(capture) and tshark_finds(capture, keylog, secret)


@case('tls: keylog= writes an NSS key log (SSLKEYLOGFILE format); tshark decrypts a capture with it')
def tls_keylog(ctx):
    path = ctx.path('keys.log')
    secret = b'hi-tls-keylog'
    sb = ctx.sockbench('tls-listen://127.0.0.1:0?self-signed=1&keylog=' + path, '--send=' + secret.decode())
    port = sb.wait_port()
    capture, why = start_capture(ctx, port)
    try:
        with tls_peers.connect('127.0.0.1', port, tls_peers.client_context()) as conn:
            equal(tcp_greet_client.recv_exactly(conn, len(secret)), secret, 'greeting')
        sb.wait_for(lambda r: r.direction == 'event' and 'TLS keys are written to' in r.data,
                    what='the key log warning')
        decrypted = capture is not None and wait_decrypted(capture[1], path, secret, capture[0])
    finally:
        if capture is not None:
            capture[0].terminate()  # our own child
            capture[0].wait(WAIT)
    equal(sb.stop(), 0, 'exit status after SIGTERM')
    with open(path) as log:
        lines = [line.rstrip('\n') for line in log if line.strip()]
    bad = [line for line in lines if not KEYLOG_RE.match(line)]
    equal(bad, [], 'lines not in NSS key log format')
    labels = {line.split(' ')[0] for line in lines}
    for label in ('CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
                  'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0'):
        check(label in labels, '%s missing from the key log: %r' % (label, sorted(labels)))
    if capture is None:
        print('# %s: the key log\'s format is checked, not a decryption' % why)
        return
    if not decrypted:
        # Say what the capture held: packets, and the TLS handshake messages tshark saw.
        seen = subprocess.run([shutil.which('tshark'), '-r', capture[1], '-T', 'fields',
                               '-e', 'frame.number', '-e', 'tcp.len', '-e', 'tls.handshake.type'],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).stdout.decode()
        print('# the capture (frame, TCP payload, TLS handshake types):')
        for line in seen.splitlines():
            print('#   ' + line)
    check(decrypted, 'tshark did not decrypt the greeting with the key log within %.0f s' % DECRYPT_WAIT)
    raw = open(capture[1], 'rb').read()
    check(secret not in raw, 'the capture itself holds the plaintext')


# -- frames, templates, checks, honest output ----------------------------------

@case('frames: python device sends len:2:be frames in random cuts; --frame=len:2:be prints exactly its messages')
def frames_length_prefixed(ctx):
    messages = framed_device.make_messages(seed=13)
    listener = ctx.keep(framed_device.open_listener())
    port = listener.getsockname()[1]
    device = ctx.background(framed_device.serve_one, listener, messages, 13)
    sb = ctx.run('tcp://127.0.0.1:%d' % port, '--frame=len:2:be', '--hex', '--timeout=5')
    sizes = device.result()
    check(len(sizes) > len(messages), 'the device cut its frames')
    equal(sb.returncode, 0, 'exit status')
    rx = sb.with_direction('rx')
    equal([r.data for r in rx], [framed_device.encode(m).hex(' ') for m in messages], 'frames')
    equal([r.length for r in rx], [len(m) + 2 for m in messages], 'LENGTH of each frame')


@case('frames: Modbus/TCP device answers a --template request (seq, MBAP length); the reply is one frame')
def frames_modbus_tcp(ctx):
    listener = ctx.keep(modbus_device.open_listener())
    port = listener.getsockname()[1]
    device = ctx.background(modbus_device.serve_tcp, listener, 1)
    sb = ctx.run('tcp://127.0.0.1:%d' % port, '--frame=len:2:be:4', '--hex', '--template',
                 '--send=${seq:u16} 00 00 ${len:u16} ${begin} 01 03 00 00 00 0a', '--count=1',
                 '--timeout=5')
    equal(sb.returncode, 0, 'exit status')
    equal(device.result(), [bytes.fromhex('00 01 00 00 00 06 01 03 00 00 00 0a')], 'request')
    rx = sb.with_direction('rx')
    values = modbus_device.registers(0, 10)
    body = bytes([1, 3, 20]) + b''.join(v.to_bytes(2, 'big') for v in values)
    expected = bytes.fromhex('00 01 00 00') + len(body).to_bytes(2, 'big') + body
    equal([r.data for r in rx], [expected.hex(' ')], 'the reply as one frame')


@case('frames: Modbus RTU over TCP, --template CRC requests; --check=crc-16/modbus marks the corrupted reply')
def frames_modbus_rtu_check(ctx):
    listener = ctx.keep(modbus_device.open_listener())
    port = listener.getsockname()[1]
    device = ctx.background(modbus_device.serve_rtu, listener, (1,))
    request = '01 03 00 00 00 0a ${crc-16/modbus}'
    sb = ctx.run('tcp://127.0.0.1:%d' % port, '--frame=fixed:25', '--check=crc-16/modbus', '--hex',
                 '--template', '--send=' + request, '--reply=' + request, '--count=2', '--timeout=5')
    equal(sb.returncode, 0, 'exit status')
    equal(device.result()[0], bytes.fromhex('01 03 00 00 00 0a c5 cd'), 'first request')
    rx = sb.with_direction('rx')
    equal(len(rx), 2, 'two replies')
    equal([r.data.split('\t')[0] for r in rx], ['\u2714', '\u2718'], 'check marks')
    for record in sb.with_direction('tx'):
        equal(record.data, '-\t01 03 00 00 00 0a c5 cd', 'request with its CRC, no mark')


def flood(port, stop):
    """Connects and sends lines until stop is set or the peer goes."""
    with socket.create_connection(('127.0.0.1', port), timeout=5) as sock:
        while not stop.is_set():
            try:
                sock.sendall(b'line\n' * 100)
            except OSError:
                return


@case('output: a reader that goes away (| head -n 3) ends sockbench quietly with status 141')
def output_epipe(ctx):
    proc = subprocess.Popen([ctx.exe, '--headless', 'tcp-listen://127.0.0.1:0', '--frame=line'],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sbharness.child_env())
    stop = threading.Event()
    try:
        first = proc.stdout.readline().decode()
        port = int(first.split('\t')[4].rsplit(':', 1)[1])
        ctx.background(flood, port, stop)
        for _ in range(2):
            proc.stdout.readline()
        proc.stdout.close()
        status = proc.wait(timeout=10)
        equal(status, 141, 'exit status')
        equal(proc.stderr.read(), b'', 'stderr')
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        proc.stderr.close()


@case('output: a full stdout (>/dev/full) is reported on stderr and the exit status is 1')
def output_full(ctx):
    if not os.path.exists('/dev/full'):
        raise Skip('no /dev/full here')
    listener = ctx.keep(tcp_greet_server.open_listener('127.0.0.1', 0))
    port = listener.getsockname()[1]
    ctx.background(tcp_greet_server.serve_one, listener, GREETING_UTF8)
    with open('/dev/full', 'wb') as full:
        result = subprocess.run([ctx.exe, '--headless', 'tcp://127.0.0.1:%d' % port, '--count=1'],
                                stdout=full, stderr=subprocess.PIPE, env=sbharness.child_env(),
                                timeout=10)
    equal(result.returncode, 1, 'exit status')
    check(b'Cannot write the output: No space left on device' in result.stderr,
          'stderr says why: %r' % result.stderr)


@case('options: negative --count, --timeout and --hold are refused with a clear error')
def options_negative(ctx):
    for option, value in (('--count', -1), ('--timeout', -5), ('--hold', -10)):
        sb = ctx.run('tcp://127.0.0.1:9', '%s=%d' % (option, value))
        equal(sb.returncode, 2, 'exit status for %s' % option)
        check('%s: %d is negative; give 0 or more' % (option, value) in sb.stderr,
              'error for %s: %r' % (option, sb.stderr))


def alphabet_flood(port, size):
    """Sends SIZE bytes of a..z over and over to 127.0.0.1:PORT, then EOF,
    and waits until the receiver closes: it has read everything."""
    chunk = bytes(ord('a') + i % 26 for i in range(26 * 2521))   # 65,546 bytes
    with socket.create_connection(('127.0.0.1', port), timeout=30) as sock:
        sent = 0
        while sent < size:
            part = chunk[:min(len(chunk), size - sent)]
            sock.sendall(part)
            sent += len(part)
        sock.shutdown(socket.SHUT_WR)
        while sock.recv(4096):
            pass


@case('output: SIGTERM with 256 MiB received and not yet printed (--hex) exits at once; the output is an exact prefix, the rest counted on stderr')
def output_sigterm_backlog(ctx):
    size = 256 * 1024 * 1024
    out_path = ctx.path('out.txt')
    with open(out_path, 'wb') as out:
        proc = subprocess.Popen([ctx.exe, '--headless', 'tcp-listen://127.0.0.1:0', '--hex'],
                                stdout=out, stderr=subprocess.PIPE, env=sbharness.child_env())
    try:
        port = None
        deadline = time.monotonic() + WAIT
        while port is None:
            check(time.monotonic() < deadline, 'no "Listening on" line within %.0f s' % WAIT)
            with open(out_path, 'rb') as f:
                match = re.search(rb'Listening on 127\.0\.0\.1:(\d+)\n', f.read())
            port = int(match.group(1)) if match else None
            if port is None:
                time.sleep(0.01)
        # Received at ~1 GB/s, printed as hex at a few hundred MB/s: most of
        # it is still to print when the signal comes.
        ctx.background(alphabet_flood, port, size).join(60)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        status = proc.wait(timeout=30)
        took = time.monotonic() - started
        stderr = proc.stderr.read().decode('utf-8', 'backslashreplace')
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        proc.stderr.close()
    equal(status, 0, 'exit status after SIGTERM')
    # 250 ms of printing what is left, then the end (the benchmark's goal is
    # 500 ms; here room for a loaded or instrumented build). Printing it all
    # took seconds.
    check(took < 3.0, 'exit took %.2f s after SIGTERM' % took)
    offset = 0
    alphabet = bytes(range(ord('a'), ord('z') + 1))
    pattern = alphabet * 2600
    with open(out_path, 'rb') as f:
        for line in f:
            fields = line.rstrip(b'\n').split(b'\t', 4)
            if len(fields) == 5 and fields[1] == b'rx':
                data = bytes.fromhex(fields[4].decode())
                start = offset % 26
                check(data == pattern[start:start + len(data)],
                      'rx at byte %d is not what was sent' % offset)
                offset += len(data)
    # Everything received is printed or counted, nothing else.
    match = re.search(r'the last \d+ records? \(.*\((\d+) bytes\) of data\) (?:were|was) not printed', stderr)
    check(match is not None, 'stderr does not count what was not printed: %r' % stderr)
    equal(offset + int(match.group(1)), size, 'bytes printed + bytes counted as not printed')

def slow_character(listener, pause):
    """Sends 中 (e4 b8 ad) one byte at a time, `pause` seconds apart, then a newline."""
    conn, _ = listener.accept()
    with conn:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in '中\n'.encode('utf-8'):
            conn.sendall(bytes([byte]))
            time.sleep(pause)


@case('output: a character cut across slow reads is held (--hold) until it completes, or printed as \\xNN once idle')
def output_hold(ctx):
    for hold, expected in (('--hold=3000', '中\\n'), ('--hold=10', '\\xe4\\xb8\\xad\\n')):
        listener = ctx.keep(framed_device.open_listener())
        port = listener.getsockname()[1]
        ctx.background(slow_character, listener, 0.3)
        sb = ctx.run('tcp://127.0.0.1:%d' % port, hold, '--timeout=5')
        equal(sb.returncode, 0, 'exit status')
        equal(''.join(r.data for r in sb.with_direction('rx')), expected, 'text with %s' % hold)


def run_case(number, name, function, exe):
    ctx = Context(exe)
    started = time.monotonic()
    failure = None
    skip = None
    try:
        function(ctx)
        for sb in ctx.children:
            check(not sb.problems, 'malformed output: %s' % sb.problems)
    except Skip as reason:
        skip = str(reason)
    except Exception:  # noqa: BLE001 - any failure of a case is reported in TAP
        failure = traceback.format_exc()
    finally:
        left = ctx.cleanup()
    if failure is None and left:
        failure = 'sockbench still running at the end of the case (killed)\n'
    elapsed = time.monotonic() - started

    if skip is not None:
        print('ok %d - %s # SKIP %s' % (number, name, skip))
    elif failure is None:
        print('ok %d - %s' % (number, name))
    else:
        print('not ok %d - %s' % (number, name))
        for line in failure.rstrip().splitlines():
            print('# ' + line)
        for sb in ctx.children:
            for line in sb.diagnostics():
                print('#   ' + line)
    print('# %.2f s' % elapsed)
    sys.stdout.flush()
    return failure is None


def main(argv):
    if len(argv) < 2:
        print('usage: run.py PATH/TO/sockbench [WORD…]', file=sys.stderr)
        return 2
    exe = os.path.abspath(argv[1])
    words = argv[2:]
    selected = [(n, f) for n, f in CASES if not words or any(w in n for w in words)]
    started = time.monotonic()
    print('1..%d' % len(selected))
    sys.stdout.flush()
    failed = 0
    for number, (name, function) in enumerate(selected, 1):
        if time.monotonic() - started > BUDGET:
            print('not ok %d - %s' % (number, name))
            print('# not run: the cases before used up the %.0f s budget' % BUDGET)
            failed += 1
        elif not run_case(number, name, function, exe):
            failed += 1
    print('# %d of %d failed, %.1f s' % (failed, len(selected), time.monotonic() - started))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
