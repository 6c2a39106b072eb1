#!/usr/bin/env python3
"""`sockbench --headless --scenario` against Python peers, in TAP.

    python3 tests/interop/scenario_cli.py PATH/TO/sockbench EXAMPLES_DIR

Runs every example scenario, scenarios against Python peers written here
(an echo server, a server that resets), a script error, a syntax error and
an endless loop. Its TAP output must pass `prove` (when perl's prove is
installed) and its JUnit file must have the elements and attributes of the
common JUnit schema. Peers use kernel-chosen ports on 127.0.0.1; every wait
is bounded.
"""

import sys

sys.dont_write_bytecode = True  # keep the source tree clean

import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import traceback  # noqa: E402
import xml.etree.ElementTree as ET  # noqa: E402

TIMEOUT = 60

SUITE_ATTRS = ('name', 'tests', 'failures', 'errors', 'time', 'timestamp', 'hostname', 'id', 'package')


def check(condition, message):
    if not condition:
        raise AssertionError(message)


class EchoServer(threading.Thread):
    """Echoes every connection's bytes back; RESET: resets after a read."""

    def __init__(self, reset=False):
        super().__init__(daemon=True)
        self.reset = reset
        self.listener = socket.socket()
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen()
        self.listener.settimeout(TIMEOUT)
        self.port = self.listener.getsockname()[1]

    def serve(self, conn):
        conn.settimeout(TIMEOUT)
        with conn:
            while True:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                if self.reset:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                    return
                conn.sendall(data)

    def run(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def close(self):
        self.listener.close()


class Runner:
    def __init__(self, binary, tmp):
        self.binary = binary
        self.tmp = tmp
        self.prove = shutil.which('prove')

    def run(self, script, name, *args):
        """Runs SCRIPT (a path, or text written to NAME); returns (rc, tap, junit)."""
        if not os.path.exists(script):
            path = os.path.join(self.tmp, name)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(script)
            script = path
        junit = os.path.join(self.tmp, name + '.xml')
        proc = subprocess.run([self.binary, '--headless', '--scenario', script, '--junit', junit] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT,
                              env=dict(os.environ, LANGUAGE='C', LC_ALL='C.UTF-8'))
        tap = proc.stdout.decode('utf-8')
        check(tap.startswith('TAP version 13\n'), 'no TAP header: %r' % tap[:80])
        return proc.returncode, tap, junit

    def prove_ok(self, tap, name):
        """prove's verdict on TAP (True: all passed), or None without prove."""
        if self.prove is None:
            return None
        path = os.path.join(self.tmp, name + '.tap')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(tap)
        proc = subprocess.run([self.prove, '-e', 'cat', path], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TIMEOUT)
        out = proc.stdout.decode('utf-8', 'replace')
        check('Parse errors' not in out, 'prove could not parse the TAP:\n' + out)
        return proc.returncode == 0


def check_junit(path, tests, failures):
    root = ET.parse(path).getroot()
    check(root.tag == 'testsuites', 'root is %s' % root.tag)
    for attr in ('tests', 'failures', 'errors', 'time'):
        check(attr in root.attrib, 'testsuites has no %s' % attr)
    suites = list(root)
    check(len(suites) == 1 and suites[0].tag == 'testsuite', 'one testsuite expected')
    suite = suites[0]
    for attr in SUITE_ATTRS:
        check(attr in suite.attrib, 'testsuite has no %s' % attr)
    float(suite.get('time'))
    check(int(suite.get('tests')) == tests, 'tests=%s, expected %d' % (suite.get('tests'), tests))
    check(int(suite.get('failures')) == failures, 'failures=%s, expected %d' % (suite.get('failures'), failures))
    tags = [child.tag for child in suite]
    check(tags[0] == 'properties' and tags[-2:] == ['system-out', 'system-err'], 'order: %r' % tags)
    cases = suite.findall('testcase')
    check(len(cases) == tests, '%d testcase elements' % len(cases))
    failed = 0
    for case in cases:
        for attr in ('name', 'classname', 'time'):
            check(attr in case.attrib, 'testcase has no %s' % attr)
        float(case.get('time'))
        for failure in case.findall('failure'):
            check('message' in failure.attrib and 'type' in failure.attrib, 'failure attributes')
            failed += 1
    check(failed == failures, '%d failure elements' % failed)
    return cases


def case_examples(r, examples):
    for name in sorted(os.listdir(examples)):
        if not name.endswith('.lua'):
            continue
        rc, tap, junit = r.run(os.path.join(examples, name), name)
        check(rc == 0, '%s: exit status %d\n%s' % (name, rc, tap))
        check(r.prove_ok(tap, name) in (True, None), '%s: prove failed' % name)
        plan = [line for line in tap.splitlines() if line.startswith('1..')]
        check(len(plan) == 1, 'one plan')
        check_junit(junit, int(plan[0][3:]), 0)


def case_echo_peer(r, examples):
    peer = EchoServer()
    peer.start()
    try:
        rc, tap, junit = r.run(
            'connect("tcp://127.0.0.1:%d", {frame = "line"})\n'
            'test("met", function()\n'
            '  send("hello\\n")\n'
            '  local f = assert(expect("hello", 2000))\n'
            'end)\n'
            'test("captures", function()\n'
            '  send("OK 42\\n")\n'
            '  local f, n = expect(re("OK (\\\\d+)"), 2000)\n'
            '  check(n == "42", "capture " .. tostring(n))\n'
            'end)\n'
            'test("missed", function()\n'
            '  assert(expect("never", 100))\n'
            'end)\n'
            'test("1000 exchanges", function()\n'
            '  for i = 1, 1000 do\n'
            '    send(i .. "\\n")\n'
            '    assert(expect(i .. "\\n", 2000))\n'
            '  end\n'
            'end)\n' % peer.port, 'echo.lua')
    finally:
        peer.close()
    check(rc == 1, 'exit status %d' % rc)
    check('ok 1 - met\n' in tap and 'ok 2 - captures\n' in tap and 'ok 4 - 1000 exchanges\n' in tap, tap)
    check('not ok 3 - missed\n  ---\n  message: "expected “never” within 100 ms"\n  line: 12\n' in tap, tap)
    check(r.prove_ok(tap, 'echo') in (False, None), 'prove passed a failing run')
    cases = check_junit(junit, 4, 1)
    failure = cases[2].find('failure')
    check('line' not in failure.get('message') and failure.text.endswith(':12: expected “never” within 100 ms'),
          failure.text)


def case_reset_peer(r, examples):
    peer = EchoServer(reset=True)
    peer.start()
    try:
        rc, tap, junit = r.run(
            'connect("tcp://127.0.0.1:%d")\n'
            'test("reset", function()\n'
            '  send("hello")\n'
            '  local f = expect("answer", 5000)\n'
            'end)\n' % peer.port, 'reset.lua')
    finally:
        peer.close()
    check(rc == 1, 'exit status %d' % rc)
    check('not ok 1 - reset\n' in tap and 'was reset' in tap and '  line: 4\n' in tap, tap)
    check_junit(junit, 1, 1)


def case_script_error(r, examples):
    rc, tap, junit = r.run('test("io", function()\n  local p = io.open("/etc/passwd")\nend)\n', 'error.lua')
    check(rc == 1 and "global 'io'" in tap and '  line: 2\n' in tap, tap)
    rc, tap, junit = r.run('test("a", function()\n  send(1\nend)\n', 'syntax.lua')
    check(rc == 2 and 'Bail out! ' in tap and 'syntax.lua:3:' in tap, tap)


def case_endless(r, examples):
    rc, tap, junit = r.run('test("spin", function()\n  while true do end\nend)\n', 'spin.lua',
                           '--max-steps', '100000')
    check(rc == 1 and 'step budget of 100000' in tap and '  line: 2\n' in tap, tap)
    check(r.prove_ok(tap, 'spin') in (False, None), 'prove passed a failing run')
    check_junit(junit, 1, 1)


CASES = [case_examples, case_echo_peer, case_reset_peer, case_script_error, case_endless]


def main(argv):
    binary, examples = argv[1], argv[2]
    tmp = tempfile.mkdtemp(prefix='sockbench-scenario-')
    failed = 0
    print('TAP version 13')
    print('1..%d' % len(CASES))
    try:
        r = Runner(binary, tmp)
        for i, case in enumerate(CASES, 1):
            name = case.__name__[5:]
            try:
                case(r, examples)
                print('ok %d - %s' % (i, name))
            except Exception:
                failed += 1
                print('not ok %d - %s' % (i, name))
                for line in traceback.format_exc().splitlines():
                    print('# ' + line)
            sys.stdout.flush()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
