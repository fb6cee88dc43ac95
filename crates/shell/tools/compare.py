#!/usr/bin/env python3
"""Compare our shell with the host bash on conformance .cases files.

Usage: compare.py [--show-fail] [--filter SUBSTR] FILE.cases...

Our side runs `target/debug/examples/vmsh SCRIPT` (build it first with
`cargo build -p agentos-shell --examples`); the host side runs like
conformance/run-host.py. Host results are cached in /tmp/bash-cache.json.
"""
import json, os, subprocess, sys, tempfile, hashlib
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '../../../conformance'))
import importlib.util
spec = importlib.util.spec_from_file_location('rh', os.path.join(os.path.dirname(__file__), '../../../conformance/run-host.py'))
rh = importlib.util.module_from_spec(spec); spec.loader.exec_module(rh)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '../../..'))
VMSH = os.path.join(ROOT, 'target/debug/examples/vmsh')
CACHE = '/tmp/bash-cache.json'

def ours(script):
    try:
        p = subprocess.run([VMSH, script], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        return (b'', b'<TIMEOUT>', -999)
    d = p.stdout
    try:
        i = d.index(b'\n'); n = int(d[:i]); out = d[i+1:i+1+n]; d = d[i+1+n:]
        i = d.index(b'\n'); n = int(d[:i]); err = d[i+1:i+1+n]; d = d[i+1+n:]
        return (out, err, int(d.strip()))
    except Exception:
        return (b'', b'<CRASH>' + p.stderr[-2000:], -998)

def main(argv):
    show = '--show-fail' in argv
    filt = None
    if '--filter' in argv:
        filt = argv[argv.index('--filter') + 1]
    files = [a for a in argv if a.endswith('.cases')]
    cache = json.load(open(CACHE)) if os.path.exists(CACHE) else {}
    total = ok = 0
    fails = []
    for f in files:
        cases, _ = rh.parse(f)
        for name, script in cases:
            if filt and filt not in name:
                continue
            key = hashlib.sha1(script.encode()).hexdigest()
            if key not in cache:
                o, e, r = rh.run_case(script)
                cache[key] = [o.decode('latin1'), e.decode('latin1'), r]
            exp = tuple(cache[key])
            o, e, r = ours(script)
            got = (o.decode('latin1'), e.decode('latin1'), r)
            total += 1
            if got == exp:
                ok += 1
            else:
                fails.append((f, name))
                if show:
                    print(f'=== FAIL {os.path.basename(f)} :: {name}')
                    for lbl, a, b in (('stdout', exp[0], got[0]), ('stderr', exp[1], got[1]), ('status', exp[2], got[2])):
                        if a != b:
                            print(f'  {lbl} expected: {a!r}')
                            print(f'  {lbl}      got: {b!r}')
    json.dump(cache, open(CACHE, 'w'))
    if not show:
        for f, n in fails:
            print(f'FAIL {os.path.basename(f)} :: {n}')
    print(f'{ok}/{total} passed')

if __name__ == '__main__':
    main(sys.argv[1:])
