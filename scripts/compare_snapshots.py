#!/usr/bin/python3
"""compare_snapshots.py A B: compares two scripts/snapshot.sh folders: every dataset and attribute of every .h5
(provenance attributes aside: wall time, creation, host, commit, command line; dimension references by presence)
and every line of every .txt/.log (timings and paths aside; the sweep's lines sorted, as its runs finish in any
order). Prints each difference and their count; exit 1 when there is any. Needs Debian's /usr/bin/python3 (h5py)."""
import sys, os, re, h5py, numpy as np
A, B = sys.argv[1], sys.argv[2]
SKIP_ATTR = re.compile(r'DIMENSION_LIST|REFERENCE_LIST|command_line|wall|created|creation|time_utc|host|commit|elapsed|date', re.I)
bad = 0
def walk(g, out, prefix=''):
    for k, v in g.attrs.items():
        if not SKIP_ATTR.search(k): out[prefix + '@' + k] = v
    if isinstance(g, h5py.Dataset):
        out[prefix] = g[()]; return
    for k in g: walk(g[k], out, prefix + '/' + k)
def eq(x, y):
    try:
        ax, ay = np.asarray(x), np.asarray(y)
        if ax.shape != ay.shape: return False
        if ax.dtype.kind == 'f': return np.array_equal(ax, ay, equal_nan=True)
        if ax.dtype.names: return ax.tobytes() == ay.tobytes()
        return np.array_equal(ax, ay)
    except Exception: return str(x) == str(y)
files = sorted(set(os.path.relpath(os.path.join(d, f), A) for d, _, fs in os.walk(A) for f in fs))
for rel in files:
    pa, pb = os.path.join(A, rel), os.path.join(B, rel)
    if not os.path.exists(pb): print('MISSING', rel); bad += 1; continue
    if rel.endswith('.h5'):
        da, db = {}, {}
        with h5py.File(pa) as fa, h5py.File(pb) as fb: walk(fa, da); walk(fb, db)
        for k in sorted(set(da) | set(db)):
            if k not in da or k not in db: print(rel, 'only in', 'A' if k in da else 'B', k); bad += 1
            elif not eq(da[k], db[k]):
                if k.endswith('config_yaml') or k.endswith('@wall_time_s'): pass
                print(rel, 'DIFF', k); bad += 1
    elif rel.endswith(('.txt', '.log')):
        norm = lambda s: [l for l in s.splitlines() if not re.search(r'wall|elapsed| in \d+(\.\d+)? ?s\b|took|\bseconds\b|results/|/work/|/tmp/|\.h5', l)]
        la, lb = norm(open(pa).read()), norm(open(pb).read())
        if rel.startswith('sweep'): la, lb = sorted(la), sorted(lb)
        if la != lb:
            import difflib; bad += 1
            print(rel, 'TEXT DIFF'); print('\n'.join(list(difflib.unified_diff(la, lb, lineterm='', n=0))[:20]))
print('differences:', bad)
sys.exit(1 if bad else 0)
