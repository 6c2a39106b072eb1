#!/usr/bin/env python3
"""bench/driver.py — runs the Sockbench benchmark scenarios, prints figures.

    driver.py --bin-dir DIR --sockbench PATH [--quick] [--only NAME,…]
              [--renderers default,cairo] [--list]

DIR holds the programs built from bench/ (tcp-blast, bench-ingest, …),
PATH is the sockbench binary. tools/bench builds them in release mode and
calls this; the meson test "bench-quick" calls it on the test build with
--quick.

Every scenario measures the app's figure and a baseline on the same machine
in the same run. Each figure is printed as one line

    BENCH <name> <value> <unit> goal <goal> <pass|fail>

and each baseline it is compared with as

    BASE <name> <value> <unit>

The scenarios with a window run once per renderer configuration (RENDERERS:
first the renderer GTK picks by default, then GTK's cairo renderer, whose
figures are named …-cairo); "RENDERER" lines say which GskRenderer GTK
picked in each.

Full mode exits 1 if a goal fails, 2 if the harness did. Quick mode runs
every scenario small: it checks that each ran and produced its figures, not
the goals (those sizes are too small to judge them), and exits 0 when the
harness works.

Everything is on 127.0.0.1; every process started here is stopped here (by
its pid), every wait has a deadline.
"""
import argparse
import math
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SETTLE_S = 0.2


class HarnessError(Exception):
    pass


class Skip(Exception):
    """A scenario that cannot run here (a missing tool); says why."""


class Proc:
    """A child process whose stdout "key value" lines are collected."""

    running = []

    def __init__(self, argv, env=None, name=None, stdout_file=None):
        self.name = name or os.path.basename(argv[0])
        self.argv = argv
        self.values = {}
        self.lines = queue.Queue()
        self.err = tempfile.TemporaryFile(mode='w+', encoding='utf-8', errors='replace')
        self.stdout_file = stdout_file
        full_env = dict(os.environ)
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)   # None: not set at all
            else:
                full_env[key] = value
        self.popen = subprocess.Popen(
            argv,
            stdout=stdout_file if stdout_file is not None else subprocess.PIPE,
            stderr=self.err,
            stdin=subprocess.DEVNULL,
            env=full_env,
            text=True,
        )
        self.started = time.monotonic()
        Proc.running.append(self)
        if stdout_file is None:
            self.reader = threading.Thread(target=self._read, daemon=True)
            self.reader.start()
        else:
            self.reader = None

    def _read(self):
        for line in self.popen.stdout:
            line = line.rstrip('\n')
            key, _, value = line.partition(' ')
            self.values[key] = value
            self.lines.put((key, value))
        self.lines.put((None, None))

    def wait_key(self, key, timeout):
        """Returns the value of the first line with @key."""
        deadline = time.monotonic() + timeout
        while key not in self.values:
            left = deadline - time.monotonic()
            if left <= 0:
                self.fail(f'no "{key}" within {timeout:.0f} s')
            try:
                k, _ = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            if k is None and key not in self.values:
                self.wait(1)
                self.fail(f'ended without printing "{key}"')
        return self.values[key]

    def wait(self, timeout):
        """Waits for the exit (killing it after @timeout); returns the values."""
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            self.fail(f'still running after {timeout:.0f} s (killed)')
        if self.reader is not None:
            self.reader.join(timeout=5)
        self._forget()
        if self.popen.returncode != 0:
            self.fail(f'exit status {self.popen.returncode}')
        return self.values

    def stderr(self):
        self.err.seek(0)
        return self.err.read()

    def fail(self, what):
        text = self.stderr().strip()
        raise HarnessError(f'{self.name}: {what}' + (f'\n  stderr: {text[-2000:]}' if text else ''))

    def signal(self, signum):
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signum)

    def stop(self):
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=3)
            except subprocess.TimeoutExpired:
                os.kill(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=3)
        self._forget()

    def _forget(self):
        if self in Proc.running:
            Proc.running.remove(self)

    @classmethod
    def stop_all(cls):
        for proc in list(cls.running):
            proc.stop()


def num(values, key):
    try:
        return float(values[key])
    except (KeyError, ValueError):
        raise HarnessError(f'missing or bad figure "{key}" in {values}')


class Bench:
    def __init__(self, args):
        self.bin_dir = os.path.abspath(args.bin_dir)
        self.sockbench = os.path.abspath(args.sockbench) if args.sockbench else None
        self.quick = args.quick
        self.schema_dir = os.path.abspath(args.schema_dir or os.path.join(self.bin_dir, '..', 'data'))
        self.figures = []      # (scenario, name, value, unit, goal_text, ok)
        self.bases = []        # (scenario, name, value, unit)
        self.problems = []     # (scenario, message)
        self.skipped = []      # (scenario, reason)
        self.scenario = None
        self.display = None
        self.xvfb = None
        # The renderer configuration the GUI scenario running now uses
        # (RENDERERS); None outside GUI scenarios. Figures measured with a
        # configuration other than the first get its name as a suffix.
        self.renderers = args.renderers
        self.renderer = None
        self.picked = {}       # (configuration, program) -> GskRenderer type names

    # Programs

    def prog(self, name):
        path = os.path.join(self.bin_dir, name)
        if not os.access(path, os.X_OK):
            raise HarnessError(f'{path} is not built')
        return path

    def has_prog(self, name):
        return os.access(os.path.join(self.bin_dir, name), os.X_OK)

    def start(self, name, *args, env=None, **kw):
        return Proc([self.prog(name)] + [str(a) for a in args], env=env, **kw)

    # Figures

    def first_renderer(self):
        """True outside GUI scenarios and in the first configuration's pass
        (figures that do not depend on the renderer are taken there once)."""
        return self.renderer is None or self.renderer == self.renderers[0]

    def named(self, name):
        if self.renderer is None or self.renderer == 'default':
            return name
        return f'{name}-{self.renderer}'

    def base(self, name, value, unit):
        self.bases.append((self.scenario, self.named(name), value, unit))

    def figure(self, name, value, unit, op, goal):
        ok = value >= goal if op == '>=' else value <= goal
        goal_text = f'{op}{goal:g}'
        self.figures.append((self.scenario, self.named(name), value, unit, goal_text, ok))

    def note_renderer(self, program, values):
        """Remembers the GskRenderer @program said GTK picked (its "renderer" line)."""
        picked = values.get('renderer')
        if picked:
            self.picked.setdefault((self.renderer, program), set()).add(picked)
        return values

    # GUI

    def gui_env(self):
        """A display for GUI programs: our own Xvfb, started once."""
        if self.display is None:
            xvfb = shutil.which('Xvfb')
            if xvfb is None:
                if os.environ.get('DISPLAY'):
                    self.display = os.environ['DISPLAY']
                else:
                    raise HarnessError('no Xvfb and no DISPLAY')
            else:
                r, w = os.pipe()
                self.xvfb = subprocess.Popen(
                    [xvfb, '-displayfd', str(w), '-screen', '0', '1280x800x24', '-nolisten', 'tcp'],
                    pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                os.close(w)
                data = b''
                deadline = time.monotonic() + 10
                while not data.endswith(b'\n') and time.monotonic() < deadline:
                    chunk = os.read(r, 64)
                    if not chunk:
                        break
                    data += chunk
                os.close(r)
                if not data.strip():
                    raise HarnessError('Xvfb did not start')
                self.display = ':' + data.decode().strip()
        env = {
            'DISPLAY': self.display,
            'GDK_BACKEND': 'x11',
            'NO_AT_BRIDGE': '1',
            'GSETTINGS_BACKEND': 'memory',
            'GTK_A11Y': 'none',
            'GSETTINGS_SCHEMA_DIR': self.schema_dir,
            # No session bus is needed; never start one.
            'DBUS_SESSION_BUS_ADDRESS': 'unix:path=/nonexistent/sockbench-bench-bus',
        }
        env.update(RENDERERS[self.renderer or self.renderers[0]])
        return env

    def stop_display(self):
        if self.xvfb is not None and self.xvfb.poll() is None:
            os.kill(self.xvfb.pid, signal.SIGTERM)
            try:
                self.xvfb.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.xvfb.pid, signal.SIGKILL)
                self.xvfb.wait(timeout=5)


# Scenarios. Each measures the app and its baseline; sizes differ in quick mode.

def best_of(runs, key):
    return max(num(r, key) for r in runs)


def feed_tcp(b, receiver, size, extra=()):
    """Starts @receiver (which prints "port"), blasts @size bytes into it."""
    port = receiver.wait_key('port', 15)
    blast = b.start('tcp-blast', '127.0.0.1', port, size, *extra)
    blast.wait(120)
    return receiver.wait(60)


def scenario_tcp_ingest(b):
    size = '64M' if b.quick else '2G'
    rounds = 1 if b.quick else 3
    sinks, apps = [], []
    for _ in range(rounds):
        sinks.append(feed_tcp(b, b.start('tcp-sink'), size))
        apps.append(feed_tcp(b, b.start('bench-ingest'), size))
    sink = best_of(sinks, 'rate_Bps')
    app = best_of(apps, 'rate_Bps')
    last = max(apps, key=lambda r: num(r, 'rate_Bps'))
    b.base('tcp-sink-rate', sink / 1e6, 'MB/s')
    b.base('tcp-ingest-headless-rate', app / 1e6, 'MB/s')
    b.figure('tcp-ingest-headless', 100 * app / sink, '%sink', '>=', 80)
    b.base('tcp-ingest-headless-loop-p99', num(last, 'loop_p99_ms'), 'ms')
    b.base('tcp-ingest-headless-frame-p99', num(last, 'frame_p99_ms'), 'ms')
    b.base('tcp-ingest-headless-rss', num(last, 'hwm_kb') / 1024, 'MB')


def scenario_tcp_ingest_framed(b):
    # The same transfer with and without a delimiter framer, in turns, in
    # one run: tcp-blast writes a..z over and over, so delim:7a makes a
    # 26-byte message of each alphabet (the worst case for framing cost).
    size = '64M' if b.quick else '1G'
    rounds = 1 if b.quick else 3
    plain, framed = [], []
    for _ in range(rounds):
        plain.append(feed_tcp(b, b.start('bench-ingest'), size))
        framed.append(feed_tcp(b, b.start('bench-ingest', '--frame=delim:7a'), size))
    raw = best_of(plain, 'rate_Bps')
    with_frames = best_of(framed, 'rate_Bps')
    last = max(framed, key=lambda r: num(r, 'rate_Bps'))
    b.base('tcp-ingest-unframed-rate', raw / 1e6, 'MB/s')
    b.base('tcp-ingest-framed-rate', with_frames / 1e6, 'MB/s')
    b.base('tcp-ingest-framed-frames', num(last, 'frames'), 'frames')
    b.figure('tcp-ingest-framed-ratio', 100 * with_frames / raw, '%unframed', '>=', 75)


TLS_BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'tls_bench.py')


def make_tls_certs(b, folder):
    """server.pem and server.key (ECDSA P-256, for 127.0.0.1) in @folder:
    from the test build's tls-make-certs (GnuTLS, as Sockbench makes them),
    else from openssl; Skip when neither is here."""
    maker = os.path.join(b.bin_dir, '..', 'tests', 'tls-make-certs')
    if os.access(maker, os.X_OK):
        Proc([maker, folder], name='tls-make-certs').wait(30)
    elif shutil.which('openssl'):
        Proc(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
              '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1',
              '-days', '1', '-keyout', os.path.join(folder, 'server.key'),
              '-out', os.path.join(folder, 'server.pem')],
             name='openssl', stdout_file=subprocess.DEVNULL).wait(30)
    else:
        raise Skip('neither tests/tls-make-certs (built with the tests) nor openssl is here to make a certificate')
    return os.path.join(folder, 'server.pem'), os.path.join(folder, 'server.key')


def feed_tls(b, receiver, size):
    """Starts @receiver (which prints "port"), sends @size bytes over TLS 1.3
    with the python sender; the receiver's figures."""
    port = receiver.wait_key('port', 15)
    sender = Proc([sys.executable, TLS_BENCH, 'send', port, size], name='tls_bench.py send')
    sent = sender.wait(300)
    got = receiver.wait(60)
    if sent.get('version') != 'TLSv1.3':
        raise HarnessError(f'the sender spoke {sent.get("version")}, not TLS 1.3')
    return got


def scenario_tls_ingest(b):
    """TLS 1.3 into the headless core's tls-listen:// (bench-ingest --uri) vs a
    python ssl reader, the same python sender and certificate, in turns."""
    size = '64M' if b.quick else '1G'
    rounds = 1 if b.quick else 3
    readers, apps = [], []
    with tempfile.TemporaryDirectory(prefix='sockbench-bench-tls-') as folder:
        cert, key = make_tls_certs(b, folder)
        uri = f'tls-listen://127.0.0.1:0?cert={cert}&key={key}'
        for _ in range(rounds):
            readers.append(feed_tls(b, Proc([sys.executable, TLS_BENCH, 'read', cert, key],
                                            name='tls_bench.py read'), size))
            apps.append(feed_tls(b, b.start('bench-ingest', f'--uri={uri}'), size))
    reader = best_of(readers, 'rate_Bps')
    app = best_of(apps, 'rate_Bps')
    last = max(apps, key=lambda r: num(r, 'rate_Bps'))
    b.base('tls-ingest-python-rate', reader / 1e6, 'MB/s')
    b.base('tls-ingest-headless-rate', app / 1e6, 'MB/s')
    b.figure('tls-ingest-headless-vs-python', 100 * app / reader, '%python', '>=', 80)
    b.base('tls-ingest-headless-loop-p99', num(last, 'loop_p99_ms'), 'ms')
    b.base('tls-ingest-headless-rss', num(last, 'hwm_kb') / 1024, 'MB')


def udp_drops(port):
    """The kernel's drop counter of the UDP socket on 127.0.0.1:@port."""
    with open('/proc/net/udp') as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == f'0100007F:{port:04X}':
                return float(fields[-1])
    return float('nan')


def udp_flood(b, receiver, count):
    port = receiver.wait_key('port', 15)
    blast = b.start('udp-blast', '127.0.0.1', port, count, 64)
    sent = num(blast.wait(60), 'sent')
    return sent, receiver.wait(60)


def scenario_udp_flood(b):
    count = 10000 if b.quick else 100000
    sent, sink = udp_flood(b, b.start('udp-sink', f'--count={count}'), count)
    b.base('udp-sink-recorded', 100 * num(sink, 'received') / sent, '%')
    b.base('udp-sink-drops', num(sink, 'drops'), 'datagrams')

    sent, app = udp_flood(b, b.start('bench-udp', f'--count={count}'), count)
    b.figure('udp-flood-headless-recorded', 100 * num(app, 'records') / sent, '%', '>=', 99)
    b.base('udp-flood-headless-drops', num(app, 'drops'), 'datagrams')
    b.figure('udp-flood-headless-loop-p99', num(app, 'loop_p99_ms'), 'ms', '<=', 50)
    b.base('udp-flood-headless-frame-p99', num(app, 'frame_p99_ms'), 'ms')

    # The real binary: sockbench --headless, printing every record (to a file).
    with tempfile.NamedTemporaryFile(mode='w+', prefix='sockbench-udp-', suffix='.txt') as out:
        proc = Proc([b.sockbench, '--headless', 'udp-listen://127.0.0.1:0', '--hex', f'--count={count}'],
                    name='sockbench --headless', stdout_file=out)
        port = None
        deadline = time.monotonic() + 15
        while port is None and time.monotonic() < deadline:
            out.seek(0)
            for line in out:
                if '\tevent\t' in line and '127.0.0.1:' in line:
                    port = line.rsplit('127.0.0.1:', 1)[1].split()[0].rstrip('.)')
                    break
            else:
                time.sleep(0.02)
        if port is None:
            proc.stop()
            raise HarnessError('sockbench --headless did not say where it listens')
        blast = b.start('udp-blast', '127.0.0.1', port, count, 64)
        sent = num(blast.wait(60), 'sent')
        # It exits by itself after --count datagrams; what was lost never
        # comes: stop once its output has not grown for a second.
        deadline = time.monotonic() + (10 if b.quick else 30)
        size, still_since = -1, time.monotonic()
        while proc.popen.poll() is None and time.monotonic() < deadline:
            now_size = os.fstat(out.fileno()).st_size
            if now_size != size:
                size, still_since = now_size, time.monotonic()
            elif time.monotonic() - still_since > 1.0:
                break
            time.sleep(0.05)
        drops = udp_drops(int(port))
        proc.stop()
        out.seek(0)
        rx = sum(1 for line in out if '\trx\t' in line)
    b.figure('udp-flood-cli-recorded', 100 * rx / sent, '%', '>=', 99)
    # Gone already (it exits after --count): what never came was dropped.
    b.base('udp-flood-cli-drops', sent - rx if math.isnan(drops) else drops, 'datagrams')


# SIGTERM while a flood is received and printed: the time from the signal to
# the exit, the peak RSS, and whether what was printed is an exact prefix of
# what was sent (tcp-blast writes a..z over and over).

def free_tcp_port():
    """A port the kernel just gave and took back (for a receiver whose
    output cannot say where it listens: /dev/null)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def tcp_listening(port):
    with open('/proc/net/tcp') as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == f'0100007F:{port:04X}' and fields[3] == '0A':
                return True
    return False


def printed_prefix(path, hex_output):
    """(bytes, exact): the received bytes a headless output printed, and
    whether they are a prefix of tcp-blast's a..z stream."""
    alphabet = bytes(range(ord('a'), ord('z') + 1))
    pattern = alphabet * (1 + (1 << 20) // 26) + alphabet
    offset, exact = 0, True
    with open(path, 'rb') as f:
        for line in f:
            fields = line.rstrip(b'\n').split(b'\t', 4)
            if len(fields) < 5 or fields[1] != b'rx':
                continue
            data = bytes.fromhex(fields[4].decode()) if hex_output else fields[4]
            start = offset % 26
            if len(data) > len(pattern) - start or data != pattern[start:start + len(data)]:
                exact = False
            offset += len(data)
    return offset, exact


def sigterm_run(b, size, hex_output, to_file):
    """Starts sockbench --headless on a free port; tcp-sigterm floods it
    with @size bytes and sends SIGTERM once half are written. Returns (ms
    from the signal to the exit, peak RSS in KB, printed bytes, exact
    prefix)."""
    port = free_tcp_port()
    argv = [b.sockbench, '--headless', f'tcp-listen://127.0.0.1:{port}'] + (['--hex'] if hex_output else [])
    with tempfile.NamedTemporaryFile(prefix='sockbench-sigterm-', suffix='.txt') as out:
        sink = out if to_file else open(os.devnull, 'wb')
        try:
            proc = Proc(argv, name='sockbench --headless', stdout_file=sink)
        finally:
            if sink is not out:
                sink.close()
        pid = proc.popen.pid
        deadline = time.monotonic() + 15
        while not tcp_listening(port):
            if proc.popen.poll() is not None or time.monotonic() > deadline:
                proc.stop()
                proc.fail(f'not listening on 127.0.0.1:{port}')
            time.sleep(0.01)
        sender = b.start('tcp-sigterm', '127.0.0.1', port, size, pid, '--timeout=60')
        # Reaped here, for its peak RSS (the sender watches it with a pidfd).
        deadline = time.monotonic() + 90
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done == pid:
                break
            if time.monotonic() > deadline:
                sender.stop()
                proc.stop()
                raise HarnessError('sockbench --headless still running 90 s after it was started')
            time.sleep(0.005)
        proc.popen.returncode = os.waitstatus_to_exitcode(status)
        proc._forget()
        s = sender.wait(30)
        if proc.popen.returncode != 0:
            proc.fail(f'exit status {proc.popen.returncode} after SIGTERM')
        printed, exact = printed_prefix(out.name, hex_output) if to_file else (float('nan'), True)
    return num(s, 'exit_ms'), usage.ru_maxrss, printed, exact


def scenario_sigterm(b):
    size = '16M' if b.quick else '256M'
    worst, exact_runs = 0.0, 0
    runs = [('hex-file', True, True), ('text-file', False, True), ('hex-null', True, False)]
    for name, hex_output, to_file in runs:
        ms, hwm_kb, printed, exact = sigterm_run(b, size, hex_output, to_file)
        worst = max(worst, ms)
        exact_runs += exact
        b.base(f'sigterm-exit-{name}', ms, 'ms')
        b.base(f'sigterm-rss-{name}', hwm_kb / 1024, 'MB')
        if to_file:
            b.base(f'sigterm-printed-{name}', printed / 1048576, 'MiB')
    b.figure('sigterm-exit', worst, 'ms', '<=', 500)
    b.figure('sigterm-prefix-exact', exact_runs, 'runs', '>=', len(runs))


def swarm(b, server, clients):
    port = server.wait_key('port', 15)
    client = b.start('tcp-swarm', '127.0.0.1', port, clients, '--expect=100', '--wait-ms=10000',
                     '--timeout=60')
    c = client.wait(60)
    s = server.wait(60)
    return c, s


def scenario_swarm(b):
    clients = 100 if b.quick else 1000
    c, s = swarm(b, b.start('tcp-fanout', f'--clients={clients}'), clients)
    b.base('swarm-fanout-c', (num(c, 't_last_us') - num(s, 'send_t0_us')) / 1000, 'ms')

    c, s = swarm(b, b.start('bench-swarm', f'--clients={clients}'), clients)
    b.figure('swarm-listed', num(s, 'listed'), 'peers', '>=', clients)
    complete = num(c, 'complete')
    if complete < clients:
        latency = float('inf')
    else:
        latency = (num(c, 't_last_us') - num(s, 'send_t0_us')) / 1000
    b.figure('swarm-send-all', latency, 'ms', '<=', 1000)
    b.base('swarm-send-all-reached', complete, 'peers')
    b.figure('swarm-peers-after', num(s, 'peers_after'), 'peers', '<=', 0)


def scenario_churn(b):
    cycles = 500 if b.quick else 10000
    sink = b.start('tcp-sink', f'--connections={cycles}')
    port = sink.wait_key('port', 15)
    b.start('tcp-churn', '127.0.0.1', port, cycles).wait(120)
    base = sink.wait(30)
    b.base('churn-c-rate', num(base, 'cycles_per_s'), 'cycles/s')

    app = b.start('bench-churn', f'--cycles={cycles}')
    port = app.wait_key('port', 15)
    churn = b.start('tcp-churn', '127.0.0.1', port, cycles).wait(120)
    s = app.wait(30)
    b.base('churn-app-rate', num(s, 'cycles_per_s'), 'cycles/s')
    b.base('churn-failed', num(churn, 'failed'), 'cycles')
    b.figure('churn-rss-growth', (num(s, 'rss_after_kb') - num(s, 'rss_before_kb')) / 1024, 'MB', '<=', 5)
    b.base('churn-rss-growth-second-half', (num(s, 'rss_after_kb') - num(s, 'rss_mid_kb')) / 1024, 'MB')
    b.figure('churn-peers-after', num(s, 'peers_after'), 'peers', '<=', 0)
    b.figure('churn-cycles', num(s, 'cycles'), 'cycles', '>=', cycles)

# The memory bound of docs/ARCHITECTURE.md ("Bounds") for N datagrams of
# 12 bytes, each from a sender of its own, at the default caps: every record
# kept (all N: below 1,000,000) costs its 32-byte slot, its payload, its
# trace slot and its peer's label; the newest MAX_PEERS senders are live
# peers; headless adds a decoder (its iconv state shared per thread) per
# live peer and direction.
SENDERS_RECORD_B = 32 + 12 + 32 + 256
SENDERS_PEER_B = 2048
SENDERS_DECODER_B = 2 * 512
SENDERS_MAX_PEERS = 10000
SENDERS_BASE_MB = 16


def senders_budget_mb(count, headless):
    peers = min(count, SENDERS_MAX_PEERS)
    per_peer = SENDERS_PEER_B + (SENDERS_DECODER_B if headless else 0)
    return SENDERS_BASE_MB + (count * SENDERS_RECORD_B + peers * per_peer) / 1048576


def vm_hwm_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return float(line.split()[1])
    raise HarnessError(f'no VmHWM for process {pid}')


def scenario_udp_senders(b):
    count = 20000 if b.quick else 200000
    rate = 40000

    # The core as a window page holds it: rows decoded in GBK, labels shown.
    app = b.start('bench-senders', f'--count={count}', '--encoding=GBK')
    port = app.wait_key('port', 15)
    sent = num(b.start('udp-senders', '127.0.0.1', port, count, f'--rate={rate}').wait(120), 'sent')
    s = app.wait(60)
    budget = senders_budget_mb(count, False)
    b.figure('udp-senders-rss-core', num(s, 'hwm_kb') / 1024, 'MB', '<=', round(budget))
    b.base('udp-senders-core-recorded', 100 * num(s, 'received') / sent, '%')
    b.base('udp-senders-core-labels', num(s, 'labels'), 'labels')
    b.base('udp-senders-core-peers', num(s, 'peers'), 'peers')

    # The real binary: sockbench --headless … --encoding=GBK, printing every
    # record to a file; its peak RSS is read before it is stopped.
    with tempfile.NamedTemporaryFile(mode='w+', prefix='sockbench-senders-', suffix='.txt') as out:
        proc = Proc([b.sockbench, '--headless', 'udp-listen://127.0.0.1:0', '--encoding=GBK'],
                    name='sockbench --headless', stdout_file=out)
        port = None
        deadline = time.monotonic() + 15
        while port is None and time.monotonic() < deadline:
            out.seek(0)
            for line in out:
                if '\tevent\t' in line and '127.0.0.1:' in line:
                    port = line.rsplit('127.0.0.1:', 1)[1].split()[0].rstrip('.)')
                    break
            else:
                time.sleep(0.02)
        if port is None:
            proc.stop()
            raise HarnessError('sockbench --headless did not say where it listens')
        sent = num(b.start('udp-senders', '127.0.0.1', port, count, f'--rate={rate}').wait(120), 'sent')
        # Until its output has not grown for a second: what was lost never comes.
        deadline = time.monotonic() + 30
        size, still_since = -1, time.monotonic()
        while proc.popen.poll() is None and time.monotonic() < deadline:
            now_size = os.fstat(out.fileno()).st_size
            if now_size != size:
                size, still_since = now_size, time.monotonic()
            elif time.monotonic() - still_since > 1.0:
                break
            time.sleep(0.05)
        if proc.popen.poll() is not None:
            proc.fail(f'exited early with status {proc.popen.returncode}')
        hwm = vm_hwm_kb(proc.popen.pid)
        proc.stop()
        out.seek(0)
        rx = sum(1 for line in out if '\trx\t' in line)
    budget = senders_budget_mb(count, True)
    b.figure('udp-senders-rss', hwm / 1024, 'MB', '<=', round(budget))
    b.base('udp-senders-recorded', 100 * rx / sent, '%')


def scenario_history(b):
    records = 100000 if b.quick else 1000000
    # Each tenth takes milliseconds: one burst of other work skews a run, so
    # the run with the median ratio is the one reported.
    runs = [b.start('bench-history', f'--records={records}').wait(120) for _ in range(1 if b.quick else 3)]
    h = sorted(runs, key=lambda r: num(r, 'last_over_first'))[len(runs) // 2]
    b.figure('history-rss', num(h, 'rss_after_kb') / 1024, 'MB', '<=', 250)
    b.base('history-bytes-per-record', num(h, 'bytes_per_record'), 'B')
    b.base('history-append-first', num(h, 'first_ns'), 'ns')
    b.base('history-append-last', num(h, 'last_ns'), 'ns')
    b.figure('history-append-flat', num(h, 'last_over_first'), 'x', '<=', 1.5)
    b.base('history-lookup', num(h, 'lookup_ns'), 'ns')


def scenario_repeat(b):
    seconds = 0.5 if b.quick else 5
    sink = b.start('tcp-sink')
    port = sink.wait_key('port', 15)
    base = b.start('tcp-tick', '127.0.0.1', port, '--interval-us=1000', f'--seconds={seconds}').wait(60)
    sink.wait(30)
    b.base('repeat-c', num(base, 'sends_per_s'), 'sends/s')

    for steady in (False, True):
        sink = b.start('tcp-sink')
        port = sink.wait_key('port', 15)
        args = [f'--port={port}', '--interval-ms=1', f'--seconds={seconds}']
        if steady:
            args.append('--steady')
        r = b.start('bench-repeat', *args).wait(60)
        sink.wait(30)
        if steady:
            b.base('repeat-headless-steady', num(r, 'sends_per_s'), 'sends/s')
        else:
            b.figure('repeat-headless', num(r, 'sends_per_s'), 'sends/s', '>=', 900)
            b.base('repeat-headless-errors', num(r, 'errors'), 'sends')


def scenario_pingpong(b):
    """A Lua scenario's send/expect round trips vs blocking C, same echo server."""
    seconds = 0.3 if b.quick else 3
    runs = []
    for prog, args in (('tcp-pingpong', ('127.0.0.1', '{port}', f'--seconds={seconds}')),
                       ('bench-scenario', ('--port={port}', f'--seconds={seconds}'))):
        echo = b.start('tcp-pingpong', '--serve')
        port = echo.wait_key('port', 15)
        runs.append(b.start(prog, *[a.format(port=port) for a in args]).wait(60))
        echo.wait(30)
    c, lua = (num(r, 'round_trips_per_s') for r in runs)
    b.base('pingpong-c', c, 'trips/s')
    b.base('pingpong-scenario', lua, 'trips/s')
    b.figure('pingpong-scenario-vs-c', 100 * lua / c, '%', '>=', 50)


# GUI scenarios: only when bench-gui was built (the window exists). Each
# runs once per renderer configuration (--renderers): first with the
# renderer GTK picks by default, as a user gets it (the main figures), then
# with GTK's CPU renderer (the same figures, named …-cairo). bench-gui and
# gtk-minimal print the GskRenderer GTK picked; the summary lists them.
RENDERERS = {
    # Nothing chosen: on a desktop GTK 4.8 picks GL (GskGLRenderer, "ngl");
    # under Xvfb that is Mesa's software rasteriser (llvmpipe) if it works.
    'default': {'GSK_RENDERER': None, 'GDK_DEBUG': None},
    # GTK's CPU renderer, and no GL at all (no Mesa loaded): what tools/bench
    # measured before, so its figures compare with older runs.
    'cairo': {'GSK_RENDERER': 'cairo', 'GDK_DEBUG': 'gl-disable'},
}


def gui_available(b):
    if not b.has_prog('bench-gui'):
        return 'bench-gui is not built (no window in this build)'
    if shutil.which('Xvfb') is None and not os.environ.get('DISPLAY'):
        return 'no X server (Xvfb) to show a window on'
    return None


def gui(b, *args):
    return b.start('bench-gui', *args, env=b.gui_env())


CLK_TCK = os.sysconf('SC_CLK_TCK')


def cpu_s(proc):
    """CPU time (user + system, all threads) @proc has used so far, in s."""
    try:
        with open(f'/proc/{proc.popen.pid}/stat') as f:
            fields = f.read().rsplit(')', 1)[1].split()
    except OSError:
        proc.fail('ended before its CPU time was read')
    # Fields 14 and 15 (utime, stime); fields[0] is field 3.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def udp_paced(b, receiver, count, rate):
    """udp-blast sends @count 64-byte datagrams at @rate per second into
    @receiver (which prints "port" and was told to expect one more, so it
    waits for silence before it ends). Returns (sent, its values, its CPU
    while the datagrams came, in % of one core)."""
    port = receiver.wait_key('port', 15)
    c0, t0 = cpu_s(receiver), time.monotonic()
    blast = b.start('udp-blast', '127.0.0.1', port, count, 64, f'--rate={rate}')
    sent = num(blast.wait(60 + count / rate), 'sent')
    c1, t1 = cpu_s(receiver), time.monotonic()
    return sent, receiver.wait(60), 100 * (c1 - c0) / (t1 - t0)
def listening(port):
    """Whether something listens on TCP 127.0.0.1:@port (from /proc/net/tcp)."""
    want = f'0100007F:{port:04X}'
    with open('/proc/net/tcp') as f:
        return any(line.split()[1] == want and line.split()[3] == '0A' for line in list(f)[1:])


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def through(b, start_front, size):
    """tcp-blast → a front (socat or a relay) → tcp-sink; the sink's figures."""
    sink = b.start('tcp-sink')
    sink_port = sink.wait_key('port', 15)
    front, port = start_front(sink_port)
    blast = b.start('tcp-blast', '127.0.0.1', port, size)
    blast.wait(300)
    result = sink.wait(60)
    front.stop()
    return result


def start_socat(b, sink_port):
    socat = shutil.which('socat')
    port = free_port()
    proc = Proc([socat, f'TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork', f'TCP:127.0.0.1:{sink_port}'],
                name='socat', stdout_file=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not listening(port):
        if time.monotonic() > deadline or proc.popen.poll() is not None:
            proc.fail('not listening after 10 s')
        time.sleep(0.02)
    return proc, port


def scenario_relay(b):
    """relay:// (headless, in-process; and the window) vs socat TCP-LISTEN,fork, same sink."""
    if shutil.which('socat') is None:
        raise Skip('socat is not installed (tools/bench installs it)')
    size = '64M' if b.quick else '1G'
    rounds = 1 if b.quick else 3
    socats, relays = [], []
    for _ in range(rounds):
        socats.append(through(b, lambda p: start_socat(b, p), size))

        def start_relay(p):
            r = b.start('bench-relay', f'--to={p}')
            return r, r.wait_key('port', 15)
        relays.append(through(b, start_relay, size))
    socat = best_of(socats, 'rate_Bps')
    relay = best_of(relays, 'rate_Bps')
    b.base('relay-socat-rate', socat / 1e6, 'MB/s')
    b.base('relay-headless-rate', relay / 1e6, 'MB/s')
    b.figure('relay-headless-vs-socat', 100 * relay / socat, '%socat', '>=', 80)
    if gui_available(b) is None:
        def start_gui(p):
            g = gui(b, 'relay', f'--port={p}')
            return g, g.wait_key('port', 30)
        window = best_of([through(b, start_gui, size) for _ in range(rounds)], 'rate_Bps')
        b.base('relay-gui-rate', window / 1e6, 'MB/s')
        b.base('relay-gui-vs-socat', 100 * window / socat, '%socat')


def scenario_gui_ingest(b):
    """200 MB into a tcp-listen page, against a C reader and the headless core."""
    size = '32M' if b.quick else '200M'
    rounds = 1 if b.quick else 3
    sinks, heads, apps = [], [], []
    for _ in range(rounds):
        sinks.append(feed_tcp(b, b.start('tcp-sink'), size))
        if b.first_renderer():
            heads.append(feed_tcp(b, b.start('bench-ingest'), size))
        apps.append(b.note_renderer('bench-gui', feed_tcp(b, gui(b, 'ingest'), size)))
    sink = best_of(sinks, 'rate_Bps')
    app = best_of(apps, 'rate_Bps')
    last = max(apps, key=lambda r: num(r, 'rate_Bps'))
    b.base('tcp-ingest-gui-sink-rate', sink / 1e6, 'MB/s')
    b.base('tcp-ingest-gui-rate', app / 1e6, 'MB/s')
    b.figure('tcp-ingest-gui', 100 * app / sink, '%sink', '>=', 50)
    # The longest the window's main loop was kept from running (a stall).
    b.figure('tcp-ingest-gui-stall', num(last, 'loop_max_ms'), 'ms', '<=', 50)
    b.figure('tcp-ingest-gui-loop-p99', num(last, 'loop_p99_ms'), 'ms', '<=', 50)
    b.figure('tcp-ingest-gui-frame-p99', num(last, 'frame_p99_ms'), 'ms', '<=', 50)
    b.base('tcp-ingest-gui-frames', num(last, 'frames'), 'frames')
    b.base('tcp-ingest-gui-frame-gap-max', num(last, 'frame_gap_max_ms'), 'ms')
    b.base('tcp-ingest-gui-frame-work-max', num(last, 'frame_work_max_ms'), 'ms')
    if heads:
        b.figure('tcp-ingest-gui-headless', 100 * best_of(heads, 'rate_Bps') / sink, '%sink', '>=', 80)


def gui_records(values, sent):
    return 100 * num(values, 'records') / sent


def scenario_gui_udp(b):
    """100,000 × 64 B at full speed into a udp-listen page in front."""
    count = 10000 if b.quick else 100000
    sent, sink = udp_flood(b, b.start('udp-sink', f'--count={count}'), count)
    b.base('udp-flood-gui-sink-recorded', 100 * num(sink, 'received') / sent, '%')
    sent, app = udp_flood(b, gui(b, 'udp', f'--count={count}'), count)
    b.note_renderer('bench-gui', app)
    b.figure('udp-flood-gui-recorded', gui_records(app, sent), '%', '>=', 99)
    b.figure('udp-flood-gui-stall', num(app, 'loop_max_ms'), 'ms', '<=', 50)
    b.base('udp-flood-gui-drops', num(app, 'drops'), 'datagrams')
    b.figure('udp-flood-gui-loop-p99', num(app, 'loop_p99_ms'), 'ms', '<=', 50)
    b.figure('udp-flood-gui-frame-p99', num(app, 'frame_p99_ms'), 'ms', '<=', 50)
    b.base('udp-flood-gui-frame-gap-max', num(app, 'frame_gap_max_ms'), 'ms')
    b.base('udp-flood-gui-frame-work-max', num(app, 'frame_work_max_ms'), 'ms')


# Paced UDP (udp-blast --rate, one source) into a udp-listen page in front:
# rate, CPU goal in % of a core, longest-stall goal in ms.
UDP_RATES = [(1000, 15, 20), (5000, 30, 20)]


def scenario_gui_udp_rate(b):
    """1,000 and 5,000 datagrams/s: the window's CPU and longest stall."""
    seconds = 1 if b.quick else 5
    for rate, cpu_goal, stall_goal in UDP_RATES:
        count = rate * seconds
        name = f'udp-{rate}ps'
        sent, sink, sink_cpu = udp_paced(b, b.start('udp-sink', f'--count={count + 1}'), count, rate)
        b.base(f'{name}-sink-cpu', sink_cpu, '%core')
        sent, app, app_cpu = udp_paced(b, gui(b, 'udp', f'--count={count + 1}'), count, rate)
        b.note_renderer('bench-gui', app)
        b.figure(f'{name}-gui-cpu', app_cpu, '%core', '<=', cpu_goal)
        b.figure(f'{name}-gui-stall', num(app, 'loop_max_ms'), 'ms', '<=', stall_goal)
        b.base(f'{name}-gui-recorded', gui_records(app, sent), '%')
        b.base(f'{name}-gui-frame-p99', num(app, 'frame_p99_ms'), 'ms')


def scenario_gui_udp_40k(b):
    """40,000 datagrams/s for 5 s: every one recorded, short stalls."""
    rate = 40000
    count = rate * (1 if b.quick else 5)
    sent, sink, sink_cpu = udp_paced(b, b.start('udp-sink', f'--count={count + 1}'), count, rate)
    b.base('udp-40kps-sink-recorded', 100 * num(sink, 'received') / sent, '%')
    b.base('udp-40kps-sink-cpu', sink_cpu, '%core')
    sent, app, app_cpu = udp_paced(b, gui(b, 'udp', f'--count={count + 1}'), count, rate)
    b.note_renderer('bench-gui', app)
    b.figure('udp-40kps-gui-recorded', gui_records(app, sent), '%', '>=', 100)
    b.figure('udp-40kps-gui-stall', num(app, 'loop_max_ms'), 'ms', '<=', 50)
    b.base('udp-40kps-gui-drops', num(app, 'drops'), 'datagrams')
    b.base('udp-40kps-gui-cpu', app_cpu, '%core')


def scenario_gui_history(b):
    records = 100000 if b.quick else 1000000
    h = b.note_renderer('bench-gui', gui(b, 'history', f'--records={records}').wait(180))
    b.figure('history-gui-rss', num(h, 'rss_kb') / 1024, 'MB', '<=', 250)
    # From setting the scroll position to the frame that shows it: the rows
    # bound on the way and the frame itself.
    b.figure('history-gui-scroll-max', num(h, 'scroll_latency_max_ms'), 'ms', '<=', 50)
    b.base('history-gui-scroll-p50', num(h, 'scroll_latency_p50_ms'), 'ms')
    b.base('history-gui-scroll-frame-work-max', num(h, 'scroll_frame_max_ms'), 'ms')
    b.base('history-gui-scroll-jumps', num(h, 'jumps'), 'jumps')


def scenario_gui_repeat(b):
    seconds = 0.5 if b.quick else 5
    sink = b.start('tcp-sink')
    port = sink.wait_key('port', 15)
    r = b.note_renderer('bench-gui', gui(b, 'repeat', f'--port={port}', f'--seconds={seconds}').wait(60))
    sink.wait(30)
    b.figure('repeat-gui', num(r, 'sends_per_s'), 'sends/s', '>=', 900)


def idle_rss_kb(b, argv, env, settle):
    """Starts @argv, lets it settle, returns its VmRSS in KiB, stops it."""
    proc = Proc(argv, env=env, name=os.path.basename(argv[0]) + ' (idle)')
    try:
        time.sleep(settle)
        if proc.popen.poll() is not None:
            proc.fail(f'exited with status {proc.popen.returncode}')
        with open(f'/proc/{proc.popen.pid}/status') as f:
            return next(int(line.split()[1]) for line in f if line.startswith('VmRSS:'))
    finally:
        proc.stop()
        b.note_renderer(os.path.basename(argv[0]), proc.values)


def scenario_gui_idle(b):
    """Idle memory of the real binary vs the bare GTK window, same renderer."""
    settle = 1.5 if b.quick else 3
    env = b.gui_env()
    minimal = idle_rss_kb(b, [b.prog('gtk-minimal'), '--hold'], env, settle)
    # The real binary, as a user starts it (the default page, not started).
    app = idle_rss_kb(b, [b.sockbench], env, settle)
    b.base('idle-gtk-minimal-rss', minimal / 1024, 'MB')
    b.figure('idle-rss-vs-minimal', app / minimal, 'x', '<=', 1.15)
    if b.renderer == 'cairo':
        # The bound set when only this configuration was measured.
        b.figure('idle-window-rss', app / 1024, 'MB', '<=', 80)
    else:
        b.base('idle-window-rss', app / 1024, 'MB')


def scenario_gui_startup(b):
    """Exec to first frame, the app's window vs the bare GTK window."""
    rounds = 2 if b.quick else 7
    times = {'gtk-minimal': [], 'bench-gui': []}
    phases = []
    for _ in range(rounds):
        for name, args in (('gtk-minimal', ()), ('bench-gui', ('startup',))):
            t0 = time.monotonic()
            values = b.note_renderer(name, b.start(name, *args, env=b.gui_env()).wait(60))
            times[name].append(num(values, 'first_frame_mono_us') / 1e6 - t0)
            if name == 'bench-gui':
                phases.append([num(values, k) / 1e6 - t0 for k in
                               ('main_mono_us', 'window_mono_us', 'realize_mono_us')])

    def median(xs):
        return sorted(xs)[len(xs) // 2]

    minimal = median(times['gtk-minimal'])
    app = median(times['bench-gui'])
    b.base('startup-gtk-minimal', minimal * 1000, 'ms')
    b.base('startup-window', app * 1000, 'ms')
    # Where the window's time goes: exec to main(), to the window, to its realize.
    for i, name in enumerate(('startup-window-main', 'startup-window-created', 'startup-window-realized')):
        b.base(name, median([p[i] for p in phases]) * 1000, 'ms')
    b.figure('startup-vs-minimal', app / minimal, 'x', '<=', 1.5)


SCENARIOS = [
    # name, function, GUI
    ('tcp-ingest', scenario_tcp_ingest, False),
    ('tcp-ingest-framed', scenario_tcp_ingest_framed, False),
    ('tls-ingest', scenario_tls_ingest, False),
    ('udp-flood', scenario_udp_flood, False),
    ('swarm', scenario_swarm, False),
    ('churn', scenario_churn, False),
    ('sigterm', scenario_sigterm, False),
    ('udp-senders', scenario_udp_senders, False),
    ('history', scenario_history, False),
    ('repeat', scenario_repeat, False),
    ('pingpong', scenario_pingpong, False),
    ('relay', scenario_relay, False),
    ('gui-ingest', scenario_gui_ingest, True),
    ('gui-udp', scenario_gui_udp, True),
    ('gui-udp-rate', scenario_gui_udp_rate, True),
    ('gui-udp-40k', scenario_gui_udp_40k, True),
    ('gui-history', scenario_gui_history, True),
    ('gui-repeat', scenario_gui_repeat, True),
    ('gui-idle', scenario_gui_idle, True),
    ('gui-startup', scenario_gui_startup, True),
]


def machine():
    """nproc, kernel and CPU model, as docs/BENCHMARKS.md records them."""
    cpu = '?'
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next(line.split(':', 1)[1].strip() for line in f if line.startswith('model name'))
    except (OSError, StopIteration):
        pass
    return f'nproc {os.cpu_count()}, kernel {os.uname().release}, CPU {cpu}'


def loadavg():
    try:
        with open('/proc/loadavg') as f:
            return ' '.join(f.read().split()[:3])
    except OSError:
        return '?'


def fmt(value):
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if value == int(value):
        return f'{value:.0f}'
    return f'{value:.2f}' if abs(value) < 10 else f'{value:.1f}'


def main():
    parser = argparse.ArgumentParser(description='Sockbench benchmarks')
    parser.add_argument('--bin-dir', required=True, help='directory of the built bench programs')
    parser.add_argument('--sockbench', help='the sockbench binary')
    parser.add_argument('--schema-dir', help='compiled GSettings schemas (default: BIN_DIR/../data)')
    parser.add_argument('--quick', action='store_true', help='every scenario, small (< 1 min)')
    parser.add_argument('--only', help='comma-separated scenario names')
    parser.add_argument('--no-gui', action='store_true', help='skip the scenarios with a window')
    parser.add_argument('--renderers', default=None,
                        help='renderer configurations for the scenarios with a window, in order, '
                             f'from {", ".join(RENDERERS)} (default: all; --quick: default only)')
    parser.add_argument('--list', action='store_true', help='list the scenarios')
    args = parser.parse_args()
    if args.renderers is None:
        args.renderers = 'default' if args.quick else ','.join(RENDERERS)
    args.renderers = [r for r in args.renderers.split(',') if r]
    if not args.renderers or set(args.renderers) - set(RENDERERS):
        parser.error(f'--renderers takes a list of {", ".join(RENDERERS)}')

    if args.list:
        for name, _, is_gui in SCENARIOS:
            print(name + (' (window)' if is_gui else ''))
        return 0

    b = Bench(args)
    wanted = set(args.only.split(',')) if args.only else None
    unknown = (wanted or set()) - {name for name, _, _ in SCENARIOS}
    if unknown:
        parser.error(f'no scenario named {", ".join(sorted(unknown))} (--list names them)')
    started = time.monotonic()
    print(f'MACHINE {machine()}', flush=True)
    print(f'LOAD start {loadavg()} (1, 5, 15 min; other work on the machine skews figures)', flush=True)

    def on_signal(signum, frame):
        Proc.stop_all()
        b.stop_display()
        sys.exit(130)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    try:
        runs = []   # (scenario, function, renderer configuration or None)
        for name, func, is_gui in SCENARIOS:
            if wanted is not None and name not in wanted:
                continue
            if is_gui:
                reason = 'skipped (--no-gui)' if args.no_gui else gui_available(b)
                if reason:
                    b.skipped.append((name, reason))
                    print(f'SKIP {name}: {reason}', flush=True)
                    continue
                # All of them with one renderer, then all with the next.
                continue
            runs.append((name, func, None))
        for renderer in b.renderers:
            for name, func, is_gui in SCENARIOS:
                if is_gui and (wanted is None or name in wanted) and not any(s[0] == name for s in b.skipped):
                    runs.append((name, func, renderer))

        for name, func, renderer in runs:
            b.scenario = name if renderer is None else f'{name}/{renderer}'
            b.renderer = renderer
            t0 = time.monotonic()
            n_before = len(b.figures)
            print(f'# {b.scenario} …', flush=True)
            try:
                func(b)
            except Skip as e:
                b.skipped.append((name, str(e)))
                print(f'SKIP {name}: {e}', flush=True)
                continue
            except HarnessError as e:
                b.problems.append((b.scenario, str(e)))
                print(f'ERROR {b.scenario}: {e}', flush=True)
            finally:
                Proc.stop_all()
            if len(b.figures) == n_before and not any(p[0] == b.scenario for p in b.problems):
                b.problems.append((b.scenario, 'produced no figure'))
            for _, fname, value, unit, goal, ok in b.figures[n_before:]:
                print(f'  {fname} {fmt(value)} {unit} (goal {goal})', flush=True)
            print(f'# {b.scenario} took {time.monotonic() - t0:.1f} s', flush=True)
            time.sleep(SETTLE_S)
        b.renderer = None
    finally:
        Proc.stop_all()
        b.stop_display()

    # The table, then one line per figure.
    print()
    print(f'{"scenario":<20} {"figure":<34} {"value":>10} {"unit":<10} {"goal":<8} result')
    for scenario, name, value, unit, goal, ok in b.figures:
        print(f'{scenario:<20} {name:<34} {fmt(value):>10} {unit:<10} {goal:<8} {"pass" if ok else "FAIL"}')
    for scenario, name, value, unit in b.bases:
        print(f'{scenario:<20} {name:<34} {fmt(value):>10} {unit:<10} {"(base)":<8}')
    print()
    for scenario, name, value, unit in b.bases:
        print(f'BASE {name} {fmt(value)} {unit}')
    for scenario, name, value, unit, goal, ok in b.figures:
        print(f'BENCH {name} {fmt(value)} {unit} goal {goal} {"pass" if ok else "fail"}')
    for renderer in b.renderers:
        picked = {prog: names for (r, prog), names in b.picked.items() if r == renderer}
        if picked:
            settings = ' '.join(f'{k}={"(unset)" if v is None else v}' for k, v in RENDERERS[renderer].items())
            said = ', '.join(f'{prog} {"/".join(sorted(names))}' for prog, names in sorted(picked.items()))
            # Both programs should name the same one: the comparison is fair.
            same = '' if len({n for names in picked.values() for n in names}) == 1 else ' (NOT THE SAME)'
            print(f'RENDERER {renderer} ({settings}): {said}{same}')
    for scenario, reason in b.skipped:
        print(f'SKIP {scenario}: {reason}')
    for scenario, message in b.problems:
        print(f'ERROR {scenario}: {message.splitlines()[0]}')

    print(f'MACHINE {machine()}')
    print(f'LOAD end {loadavg()}')
    failed = [f for f in b.figures if not f[5]]
    elapsed = time.monotonic() - started
    if args.quick:
        print(f'quick mode: every scenario ran small; this checks that each produced its figures, '
              f'not the goals ({len(failed)} of {len(b.figures)} goals missed at these sizes). '
              f'{elapsed:.0f} s.')
    else:
        print(f'{len(b.figures) - len(failed)} of {len(b.figures)} goals met. {elapsed:.0f} s.')

    if b.problems:
        return 2
    if not args.quick and failed:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
