#!/usr/bin/env python3
"""Run conformance .cases files against the host bash + GNU coreutils.

Usage: run-host.py [--show] [--filter SUBSTR] FILE.cases [FILE.cases ...]

Each case is run twice, each time in a fresh empty temporary directory, as
`bash -c SCRIPT` with a minimal environment (see ENV below), umask 022 and
stdin redirected from /dev/null.  Cases whose stdout, stderr or
exit status differ between the two runs are reported as non-deterministic.
With --show, the stdout/stderr/status of every case is printed.

File format: lines starting with `#` before the first header are comments.
A case starts with a header line `=== <name>` and its script is every
following line up to the next `===` header line or end of file.
"""
import os
import re
import subprocess
import sys
import tempfile

HEADER = re.compile(r'^=== ([a-z0-9-]+)\s*$')
ENV = {
    'PATH': '/usr/local/bin:/usr/bin:/bin',
    'HOME': '/home/user',
    'USER': 'user',
    'LANG': 'C',
    'LC_ALL': 'C',
    'TZ': 'UTC',
}


def parse(path):
    cases = []
    errors = []
    cur = None
    with open(path, encoding='utf-8', newline='\n') as f:
        for lineno, line in enumerate(f.read().split('\n'), 1):
            if line.startswith('==='):
                m = HEADER.match(line)
                if not m:
                    errors.append(f'{path}:{lineno}: bad header {line!r}')
                    cur = None
                    continue
                cur = [m.group(1), []]
                cases.append(cur)
            elif cur is None:
                if line.strip() and not line.startswith('#'):
                    errors.append(f'{path}:{lineno}: text before first case')
            else:
                cur[1].append(line)
    out = []
    seen = set()
    for name, lines in cases:
        if name in seen:
            errors.append(f'{path}: duplicate case name {name}')
        seen.add(name)
        # drop trailing empty lines
        while lines and lines[-1] == '':
            lines.pop()
        out.append((name, '\n'.join(lines) + '\n'))
    return out, errors


def run_case(script):
    with tempfile.TemporaryDirectory(prefix='conf-') as d:
        try:
            p = subprocess.run(['bash', '-c', script], cwd=d, env=ENV,
                               preexec_fn=lambda: os.umask(0o022),
                               stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=20)
            return p.stdout, p.stderr, p.returncode
        except subprocess.TimeoutExpired:
            return b'', b'<TIMEOUT>', -999


def main(argv):
    show = False
    filt = None
    files = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == '--show':
            show = True
        elif a == '--filter':
            i += 1
            filt = argv[i]
        else:
            files.append(a)
        i += 1
    if not files:
        print(__doc__)
        return 2
    total_ok = 0
    total_bad = 0
    for path in files:
        cases, errors = parse(path)
        for e in errors:
            print('PARSE ERROR:', e)
            total_bad += 1
        ok = 0
        for name, script in cases:
            if filt and filt not in name:
                continue
            r1 = run_case(script)
            r2 = run_case(script)
            if show:
                print(f'--- {path} :: {name} (rc={r1[2]})')
                sys.stdout.write(r1[0].decode('utf-8', 'replace'))
                if r1[1]:
                    print('[stderr]')
                    sys.stdout.write(r1[1].decode('utf-8', 'replace'))
            if r1 != r2 or r1[2] == -999:
                total_bad += 1
                print(f'NONDETERMINISTIC: {path} :: {name}')
                for lbl, a, b in (('stdout', r1[0], r2[0]), ('stderr', r1[1], r2[1]), ('status', r1[2], r2[2])):
                    if a != b:
                        print(f'  {lbl}: {a!r} != {b!r}')
            else:
                ok += 1
        print(f'{path}: {ok} cases ok')
        total_ok += ok
    print(f'{total_ok} cases ok' + (f', {total_bad} problems' if total_bad else ''))
    return 1 if total_bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
