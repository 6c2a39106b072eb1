#!/usr/bin/env python3
"""Counts test cases in a Meson test log: every TAP subtest, and every
non-TAP test as one case. Prints the failures and the final count line."""
import json
import re
import sys

TAP_LINE = re.compile(r'^(not ok|ok)\b(.*)$')

def main(path):
    passed = failed = skipped = 0
    failures = []
    with open(path, encoding='utf-8', errors='replace') as log:
        for raw in log:
            test = json.loads(raw)
            name = test.get('name', '?')
            result = test.get('result', '')
            out = test.get('stdout') or test.get('stdo') or ''
            cases = 0
            bad = 0
            for line in out.splitlines():
                m = TAP_LINE.match(line.strip())
                if not m:
                    continue
                cases += 1
                rest = m.group(2)
                if '# SKIP' in rest.upper():
                    skipped += 1
                elif m.group(1) == 'ok' or '# TODO' in rest.upper():
                    passed += 1
                else:
                    failed += 1
                    bad += 1
                    failures.append(f'{name}:{rest.strip()}')
            if cases == 0:
                if result == 'SKIP':
                    skipped += 1
                elif result in ('OK', 'EXPECTEDFAIL'):
                    passed += 1
                else:
                    failed += 1
                    failures.append(f'{name}: {result}')
            elif result not in ('OK', 'SKIP', 'EXPECTEDFAIL') and bad == 0:
                # It crashed or timed out after its last reported case.
                failed += 1
                failures.append(f'{name}: {result} after {cases} cases')
    for failure in failures:
        print(f'FAILED {failure}')
    line = f'{passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line)
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
