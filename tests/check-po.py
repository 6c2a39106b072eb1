#!/usr/bin/env python3
"""check-po.py PO_DIR — every catalog in po/, as TAP.

Each po/*.po passes `msgfmt --check --check-accelerators=_` (format
strings, mnemonics, headers), whether or not it is in LINGUAS, and LINGUAS
and the .po files agree. The statistics are printed, so what is left to
translate shows in the log.
"""
import glob
import os
import subprocess
import sys

po_dir = sys.argv[1]
results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


pos = sorted(glob.glob(os.path.join(po_dir, "*.po")))
with open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8") as f:
    linguas = sorted(w for line in f for w in line.split("#")[0].split())

langs = [os.path.basename(p)[:-3] for p in pos]
check("LINGUAS lists every .po and nothing else", langs == linguas,
      "LINGUAS: %s; .po files: %s" % (" ".join(linguas), " ".join(langs)))

for po in pos:
    lang = os.path.basename(po)[:-3]
    run = subprocess.run(["msgfmt", "--check", "--check-accelerators=_", "--statistics",
                          "--output-file=/dev/null", po],
                         capture_output=True, text=True)
    check("msgfmt --check %s" % lang, run.returncode == 0,
          (run.stdout + run.stderr).strip())

print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    for line in detail.splitlines():
        print("# " + line)
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
