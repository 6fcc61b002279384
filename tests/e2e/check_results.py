#!/usr/bin/python3
"""Checks the layout of a clustersim run file (CONVENTIONS.md section C).

Usage: /usr/bin/python3 tests/e2e/check_results.py RESULTS.h5

Checks: the root provenance attributes are present; every /summary entry is a 0-D dataset with
string `units` and `long_name`; every table group (a group of 1-D datasets) opens with
xr.open_dataset(group=..., engine="h5netcdf"), and with engine="netcdf4" when netCDF4 is
importable; every dataset of a table has a `long_name`, and `units` unless it holds text (CF).
Prints "OK <n> tables" and exits 0, or prints each problem and exits 1.
"""

import importlib.util
import sys
import warnings

import h5py
import xarray as xr

REQUIRED_ROOT_ATTRS = ("tool_version", "git_commit", "simgrid_version", "config_yaml", "seed")
SCALAR_GROUPS = ("summary", "params")  # groups of 0-D datasets

ENGINES = ("h5netcdf", "netcdf4") if importlib.util.find_spec("netCDF4") else ("h5netcdf",)


def has_text_attr(obj, name):
    value = obj.attrs.get(name)
    return isinstance(value, (str, bytes))


def check_units(ds, problems):
    # CF: every variable has a long_name; numbers have units, text has none.
    names = ("long_name",) if h5py.check_string_dtype(ds.dtype) is not None else ("units", "long_name")
    for name in names:
        if not has_text_attr(ds, name):
            problems.append(f"{ds.name}: missing string attribute '{name}'")


def check_summary(group, problems):
    for name, obj in group.items():
        if not isinstance(obj, h5py.Dataset):
            problems.append(f"{group.name}/{name}: not a dataset")
            continue
        if obj.shape != ():
            problems.append(f"{obj.name}: expected a 0-D dataset, found shape {obj.shape}")
        check_units(obj, problems)


def check_table(path, group, problems):
    datasets = [obj for obj in group.values() if isinstance(obj, h5py.Dataset)]
    if not datasets:
        problems.append(f"{group.name}: table group without datasets")
    grid = any(ds.ndim == 2 for ds in datasets)  # a 2-D group (service_series): (time, service)
    for ds in datasets:
        if ds.ndim != 1 and not (grid and ds.ndim == 2):
            problems.append(f"{ds.name}: expected a 1-D column (or 2-D in a grid group), found shape {ds.shape}")
        if ds.attrs.get("CLASS") != b"DIMENSION_SCALE" and any(not d.keys() for d in ds.dims):
            problems.append(f"{ds.name}: a dimension without a scale attached")
        check_units(ds, problems)
    for engine in ENGINES:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with xr.open_dataset(path, group=group.name, engine=engine) as ds:
                    ds.load()
                    ds.to_dataframe()
        except Exception as e:  # report any failure of the reader, whatever its type
            problems.append(f"{group.name}: xr.open_dataset(engine={engine!r}) failed: {type(e).__name__}: {e}")


def check(path):
    """Returns (number of tables, list of problems)."""
    problems = []
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        return 0, [f"cannot open {path}: {e}"]
    with f:
        for name in REQUIRED_ROOT_ATTRS:
            if name not in f.attrs:
                problems.append(f"/: missing root attribute '{name}'")
        if not isinstance(f.get("summary"), h5py.Group):
            problems.append("/summary: missing group")
        tables = 0
        for name, obj in f["/"].items():
            if not isinstance(obj, h5py.Group):
                problems.append(f"/{name}: unexpected dataset at the root")
            elif name in SCALAR_GROUPS:
                check_summary(obj, problems)
            else:
                tables += 1
                check_table(path, obj, problems)
    return tables, problems


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 1
    tables, problems = check(argv[1])
    if problems:
        for p in problems:
            print(p)
        print(f"FAILED {len(problems)} problem(s) in {argv[1]}")
        return 1
    print(f"OK {tables} tables")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
