#!/usr/bin/python3
"""Compares two clustersim results files for bit-identical content (the determinism test).

Usage: /usr/bin/python3 tests/e2e/compare_results.py A.h5 B.h5

Exit 0 iff both files hold the same groups and datasets (same names, dtypes, shapes, values bit
for bit), the same attributes on every object (except the run-specific root attributes in
IGNORED_ROOT_ATTRS), and the same dimension scales attached. Exit 1 and print the differences
otherwise, exit 2 if a file cannot be read.
"""

import sys

import h5py
import numpy as np

# Root attributes that legitimately differ between two runs of the same experiment and seed.
IGNORED_ROOT_ATTRS = ("created_utc", "wall_time_s", "command_line", "hostname")
# HDF5 dimension-scale bookkeeping: object references (compared through attached_scales instead).
REFERENCE_ATTRS = ("DIMENSION_LIST", "REFERENCE_LIST")


def objects(f):
    """Every group and dataset below the root, by path."""
    found = {}
    f.visititems(lambda name, obj: found.__setitem__("/" + name, obj))
    return found


def values(ds):
    """Dataset content as bytes (numbers, bit for bit) or a list of str (variable-length strings)."""
    if h5py.check_string_dtype(ds.dtype) is not None and h5py.check_string_dtype(ds.dtype).length is None:
        return list(np.atleast_1d(ds.asstr()[()]))
    return np.ascontiguousarray(ds[()]).tobytes()


def attr_value(value):
    """An attribute value in a form that compares bit for bit."""
    if isinstance(value, np.ndarray):
        return (str(value.dtype), value.shape, value.tobytes() if value.dtype.kind != "O" else value.tolist())
    if isinstance(value, np.generic):
        return (str(value.dtype), value.tobytes())
    return value


def attrs(obj, ignored=()):
    return {k: attr_value(v) for k, v in obj.attrs.items() if k not in ignored and k not in REFERENCE_ATTRS}


def attached_scales(ds):
    return [[scale.name for scale in dim.values()] for dim in ds.dims]


def compare(path_a, path_b):
    """Returns the list of differences (empty if identical)."""
    diffs = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        if attrs(a, IGNORED_ROOT_ATTRS) != attrs(b, IGNORED_ROOT_ATTRS):
            ra, rb = attrs(a, IGNORED_ROOT_ATTRS), attrs(b, IGNORED_ROOT_ATTRS)
            for k in sorted(set(ra) | set(rb)):
                if ra.get(k) != rb.get(k):
                    diffs.append(f"/: root attribute '{k}' differs")
        objs_a, objs_b = objects(a), objects(b)
        for name in sorted(set(objs_a) - set(objs_b)):
            diffs.append(f"{name}: only in {path_a}")
        for name in sorted(set(objs_b) - set(objs_a)):
            diffs.append(f"{name}: only in {path_b}")
        for name in sorted(set(objs_a) & set(objs_b)):
            oa, ob = objs_a[name], objs_b[name]
            if type(oa) is not type(ob):
                diffs.append(f"{name}: a {type(oa).__name__} in one file, a {type(ob).__name__} in the other")
                continue
            if attrs(oa) != attrs(ob):
                diffs.append(f"{name}: attributes differ")
            if isinstance(oa, h5py.Group):
                continue
            if oa.dtype != ob.dtype or oa.shape != ob.shape:
                diffs.append(f"{name}: {oa.dtype}{oa.shape} vs {ob.dtype}{ob.shape}")
            elif values(oa) != values(ob):
                diffs.append(f"{name}: values differ")
            if attached_scales(oa) != attached_scales(ob):
                diffs.append(f"{name}: attached dimension scales differ")
    return diffs


def main(argv):
    if len(argv) != 3:
        print("usage: compare_results.py A.h5 B.h5", file=sys.stderr)
        return 2
    try:
        diffs = compare(argv[1], argv[2])
    except OSError as e:
        print(f"compare_results: {e}", file=sys.stderr)
        return 2
    if diffs:
        for d in diffs:
            print(d)
        print(f"DIFFERENT: {len(diffs)} difference(s)")
        return 1
    print("IDENTICAL")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
