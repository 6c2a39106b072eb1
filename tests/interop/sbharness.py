"""Run `sockbench --headless` as a child process and read what it prints.

Each line sockbench prints is one history record:

    TIME<TAB>DIRECTION<TAB>PEER<TAB>LENGTH<TAB>DATA

Sockbench.wait_for() reads these lines as they come, with a deadline, so
a test waits for what it needs ("Listening on 127.0.0.1:PORT", an rx line)
instead of sleeping. Only the processes started here are ever stopped.

Standard library only; used by run.py.
"""

import os
import queue
import re
import signal
import subprocess
import threading
import time

TIME_RE = re.compile(r'^\d\d:\d\d:\d\d\.\d\d\d$')
DIRECTIONS = ('rx', 'tx', 'event')
# "Listening on 127.0.0.1:PORT", "Listening on [::1]:PORT", "Listening on /PATH",
# "Bound to 127.0.0.1:PORT", "Bound to 127.0.0.1:PORT, sending to …"
READY_RE = re.compile(r'^(?:Listening on|Bound to) (.+?)(?:, sending to .*|, relaying to .*)?$')


class Timeout(AssertionError):
    """A bounded wait ran out."""


class Record:
    """One printed history record."""

    def __init__(self, time_text, direction, peer, length, data):
        self.time = time_text
        self.direction = direction
        self.peer = peer
        self.length = length
        self.data = data

    def __repr__(self):
        return 'Record(%s %s %s %d %r)' % (self.time, self.direction, self.peer,
                                            self.length, self.data)


def parse_line(line):
    """Splits one stdout line into a Record; raises ValueError when malformed."""
    fields = line.split('\t', 4)
    if len(fields) != 5:
        raise ValueError('expected 5 tab-separated fields, got %d' % len(fields))
    time_text, direction, peer, length, data = fields
    if not TIME_RE.match(time_text):
        raise ValueError('bad TIME %r' % time_text)
    if direction not in DIRECTIONS:
        raise ValueError('bad DIRECTION %r' % direction)
    if not length.isdigit():
        raise ValueError('bad LENGTH %r' % length)
    return Record(time_text, direction, peer, int(length), data)


def child_env():
    """The environment for sockbench: English messages, UTF-8 output."""
    env = dict(os.environ)
    for name in ('LANGUAGE', 'LC_MESSAGES', 'LC_CTYPE'):
        env.pop(name, None)
    env['LC_ALL'] = 'C.UTF-8'
    env['LANG'] = 'C.UTF-8'
    return env


class Sockbench:
    """One `sockbench --headless ARGS…` child process."""

    def __init__(self, exe, args):
        self.argv = [exe, '--headless'] + list(args)
        self.lines = []        # every stdout line, decoded, without '\n'
        self.records = []      # the lines that parsed
        self.problems = []     # lines that were not valid UTF-8 or not well formed
        self._stderr = []
        self._queue = queue.Queue()
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=child_env())
        self._out_thread = threading.Thread(target=self._read_stdout, daemon=True)
        self._err_thread = threading.Thread(target=self._read_stderr, daemon=True)
        self._out_thread.start()
        self._err_thread.start()

    # -- readers (threads) --------------------------------------------------

    def _read_stdout(self):
        for raw in iter(self.proc.stdout.readline, b''):
            if raw.endswith(b'\n'):
                raw = raw[:-1]
            else:
                self.problems.append('last line has no newline: %r' % raw)
            try:
                line = raw.decode('utf-8')
            except UnicodeDecodeError as error:
                self.problems.append('not UTF-8 (%s): %r' % (error, raw))
                line = raw.decode('utf-8', 'backslashreplace')
            self._queue.put(line)
        self._queue.put(None)

    def _read_stderr(self):
        self._stderr.append(self.proc.stderr.read())

    # -- reading lines -------------------------------------------------------

    def _take(self, line):
        self.lines.append(line)
        try:
            record = parse_line(line)
        except ValueError as error:
            self.problems.append('%s: %r' % (error, line))
            return None
        self.records.append(record)
        return record

    def wait_for(self, predicate, timeout=5.0, what='a matching line'):
        """Reads lines until predicate(record) is true; returns that record."""
        for record in self.records:
            if predicate(record):
                return record
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout('no %s within %.1f s' % (what, timeout))
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                raise Timeout('no %s within %.1f s' % (what, timeout)) from None
            if line is None:
                self._queue.put(None)  # stay at end of file
                raise AssertionError('sockbench ended its output before %s' % what)
            record = self._take(line)
            if record is not None and predicate(record):
                return record

    def wait_ready(self, timeout=5.0):
        """Waits for "Listening on ADDR" / "Bound to ADDR"; returns ADDR."""
        record = self.wait_for(lambda r: r.direction == 'event' and READY_RE.match(r.data),
                               timeout, what='"Listening on" / "Bound to" line')
        return READY_RE.match(record.data).group(1)

    def wait_port(self, timeout=5.0):
        """Like wait_ready(), for IP sessions: returns the port number."""
        address = self.wait_ready(timeout)
        return int(address.rsplit(':', 1)[1])

    # -- the end -------------------------------------------------------------

    def wait_exit(self, timeout=5.0):
        """Waits for the process to end by itself; returns its exit status."""
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Timeout('sockbench still running after %.1f s' % timeout) from None
        self._drain(timeout)
        return status

    def stop(self, timeout=5.0):
        """Asks sockbench to stop (SIGTERM) and returns its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.wait_exit(timeout)

    def kill(self):
        """Ends this child for sure (used on failure)."""
        if self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self._drain(1.0)

    def _drain(self, timeout):
        self._out_thread.join(timeout)
        self._err_thread.join(timeout)
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is None:
                self._queue.put(None)
                break
            self._take(line)

    @property
    def stderr(self):
        return b''.join(self._stderr).decode('utf-8', 'backslashreplace')

    @property
    def returncode(self):
        return self.proc.poll()

    def with_direction(self, direction):
        return [r for r in self.records if r.direction == direction]

    def diagnostics(self):
        """Lines describing this run, for "# …" TAP diagnostics."""
        out = ['command: %s' % ' '.join(repr(a) if (' ' in a or not a) else a
                                        for a in self.argv),
               'exit status: %s' % self.proc.poll()]
        out += ['stdout: %s' % line for line in self.lines]
        out += ['stderr: %s' % line for line in self.stderr.splitlines()]
        out += ['problem: %s' % p for p in self.problems]
        return out


def run_to_end(exe, args, timeout=10.0):
    """Runs sockbench until it ends by itself; returns the Sockbench."""
    sb = Sockbench(exe, args)
    try:
        sb.wait_exit(timeout)
    except Timeout:
        sb.kill()
        raise
    return sb
