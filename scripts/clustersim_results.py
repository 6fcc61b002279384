"""Load clustersim results files (HDF5) into pandas and xarray.

Run with Debian's ``/usr/bin/python3`` (it has h5py, xarray, h5netcdf, pandas); the ``python3``
first on PATH may lack them.

Layout of a run file (``clustersim.run/1``):

* root attributes: provenance (tool_version, git_commit, simgrid_version, config_yaml, seed, ...);
* ``/summary``: one 0-D dataset per metric, each with ``units`` and ``long_name`` attributes;
* ``/service_series``: the per-service samples as 2-D variables over (``time``, ``service``) (the same
  values as the long table ``service_timeseries``);
* ``Conventions = "CF-1.10"``: every ``units`` is in UDUNITS-2 spelling (counts as ``count``: tokens/s are
  ``count/s``; bytes ``byte``; degrees ``degC``), the declared spelling beside it as ``clustersim_units``
  (``token/s``), which the functions below report; text columns have no units; the tables' ``name`` columns are
  auxiliary coordinates (xarray makes them coordinates);
* one group per table (``timeseries``, ``jobs``, ``services``, ``inventory``, ...): 1-D column
  datasets sharing a dimension scale (``time``, ``job``, ``service``, ``tier``).

A merged sweep file (``clustersim.sweep/2``) holds the table ``runs`` (dimension ``run``), whose
parameter columns are xarray coordinates: numeric in SI units where every value is a number or quantity
(``fabric.link`` 8e11 bit/s; the values as written in the column's ``long_name``), text otherwise; and the
tables ``jobs`` and ``services`` (dimension ``row``): every job and service of every run, with ``run_index``.

``pd.read_hdf`` cannot read this layout; use the functions below or ``xr.open_dataset``.

Notebook example::

    import sys; sys.path.insert(0, "scripts")
    from clustersim_results import load_run, load_table, load_sweep

    run = load_run("results/h100-100k-800g.h5")
    run["summary"]                       # pandas Series: metric -> value
    run["summary"].attrs["units"]        # metric -> units ("s", "J", "token/s", ...)
    run["attrs"]["git_commit"]           # provenance
    run["jobs"].sort_values("tokens_per_s")   # one DataFrame per table, indexed by its dimension

    ts = load_table("results/h100-100k-800g.h5", "timeseries")   # xarray.Dataset
    (ts["facility_power"] / 1e6).plot()                            # x = time [s]

    runs = load_sweep("out/pod-sweep/sweep.h5")                    # xarray.Dataset, dim "run"
    df = runs.to_dataframe()
    grid = runs.set_index(run=["fabric.link", "facility.pue"]).unstack("run")
    jobs = load_sweep("out/pod-sweep/sweep.h5", table="jobs", as_frame=True)   # run_index, name, step_time, ...
"""

import h5py
import numpy as np
import pandas as pd
import xarray as xr

__all__ = ["load_run", "load_frame", "load_table", "load_timeseries", "load_sweep", "axis_label", "si_scale"]

_SI_PREFIXES = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]


def _text(value):
    """An HDF5 attribute as str (h5py returns bytes for fixed-length strings)."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray) and value.shape == ():
        return _text(value[()])
    return value


def _attrs(obj):
    """Attributes of an HDF5 object as a plain dict (numbers as Python scalars)."""
    out = {}
    for key, value in obj.attrs.items():
        value = _text(value)
        if isinstance(value, np.generic):
            value = value.item()
        out[key] = value
    return out


def _column(ds):
    """A 1-D dataset as a numpy array (vlen strings decoded to str)."""
    if h5py.check_string_dtype(ds.dtype) is not None:
        return ds.asstr()[()]
    return ds[()]


def _is_grid(group):
    """A 2-D group (``service_series``: variables over (time, service)), read with ``load_table`` (xarray)."""
    return any(isinstance(obj, h5py.Dataset) and obj.ndim == 2 for obj in group.values())


def _units(obj):
    """A dataset's units as clustersim declares them ("token/s"): its ``clustersim_units`` attribute where the
    file's CF ``units`` (UDUNITS-2 spelling: "count/s") differs, else ``units``; "" for text."""
    return _text(obj.attrs.get("clustersim_units", obj.attrs.get("units", "")))


def _scale_name(group):
    """The name of the group's dimension-scale dataset, or None."""
    for name, obj in group.items():
        if isinstance(obj, h5py.Dataset) and _text(obj.attrs.get("CLASS")) == "DIMENSION_SCALE":
            return name
    return None


def _frame(group):
    """A table group as a DataFrame indexed by its dimension scale, in column creation order.

    ``df.attrs["units"]`` and ``df.attrs["long_name"]`` map each column to its attributes.
    """
    index_name = _scale_name(group)
    data, units, long_names = {}, {}, {}
    for name, obj in group.items():
        if not isinstance(obj, h5py.Dataset) or name == index_name:
            continue
        data[name] = _column(obj)
        units[name] = _units(obj)
        long_names[name] = _text(obj.attrs.get("long_name", name))
    index = None
    if index_name is not None:
        index = pd.Index(_column(group[index_name]), name=index_name)
    df = pd.DataFrame(data, index=index)
    df.attrs["units"] = units
    df.attrs["long_name"] = long_names
    if index_name is not None:
        df.attrs["index_units"] = _units(group[index_name])
        df.attrs["index_long_name"] = _text(group[index_name].attrs.get("long_name", index_name))
    return df


def _summary(group):
    """The /summary group as a Series, with units and long names in ``.attrs``."""
    values, units, long_names = {}, {}, {}
    for name, obj in group.items():
        if isinstance(obj, h5py.Dataset) and obj.shape == ():
            values[name] = obj[()].item()
            units[name] = _units(obj)
            long_names[name] = _text(obj.attrs.get("long_name", name))
    series = pd.Series(values, dtype="float64", name="value")
    series.index.name = "metric"
    series.attrs["units"] = units
    series.attrs["long_name"] = long_names
    return series


def load_run(path):
    """Loads a whole run file.

    Returns a dict with ``summary`` (pandas Series metric -> value; ``.attrs["units"]`` and
    ``.attrs["long_name"]`` are dicts), ``attrs`` (root provenance attributes) and one pandas
    DataFrame per table group, keyed by the group name and indexed by the table's dimension. 2-D groups
    (``service_series``, the per-service samples over (time, service)) are left out: ``load_table`` reads
    them as an xarray.Dataset; the same samples are the table ``service_timeseries``.
    """
    with h5py.File(path, "r") as f:
        root = f["/"]  # the root group iterates in creation order, the File object does not
        run = {"attrs": _attrs(f), "summary": pd.Series(dtype="float64", name="value")}
        for name, obj in root.items():
            if not isinstance(obj, h5py.Group) or _is_grid(obj):
                continue
            run[name] = _summary(obj) if name == "summary" else _frame(obj)
        return run


def load_frame(path, group):
    """One table group as a pandas DataFrame (see ``load_run``), read with h5py."""
    with h5py.File(path, "r") as f:
        if group not in f or not isinstance(f[group], h5py.Group):
            raise KeyError(f"{path}: no group '{group}'")
        return _frame(f[group])


def load_table(path, group):
    """One table group as an xarray.Dataset (engine h5netcdf), loaded into memory and closed.

    Columns keep their ``units``/``long_name`` attributes; columns listed in the group's
    ``coordinates`` attributes become coordinates. ``.to_dataframe()`` gives pandas.
    """
    with xr.open_dataset(path, group=group, engine="h5netcdf") as ds:
        return ds.load()


def load_timeseries(path):
    """The ``timeseries`` group of a run file as an xarray.Dataset (dimension ``time``)."""
    return load_table(path, "timeseries")


def load_sweep(path, as_frame=False, table="runs"):
    """A table of a merged sweep file: ``runs`` (dimension ``run``, the swept parameters as coordinates),
    ``jobs`` or ``services`` (every run's rows, with ``run_index``); an xarray.Dataset, or a pandas
    DataFrame if ``as_frame``."""
    ds = load_table(path, table)
    return ds.to_dataframe() if as_frame else ds


def si_scale(max_abs, units):
    """A (factor, units) pair that shows values up to ``max_abs`` with an SI prefix:
    ``si_scale(2.4e7, "W") == (1e6, "MW")``. Unitless ("1", "") values are left alone."""
    if units in ("", "1") or not np.isfinite(max_abs):
        return 1.0, units
    for factor, prefix in _SI_PREFIXES:
        if max_abs >= factor:
            return factor, prefix + units
    return 1.0, units


def axis_label(long_name, units):
    """An axis label like ``"Facility power [MW]"`` (no brackets for unitless values)."""
    return f"{long_name} [{units}]" if units not in ("", "1") else long_name
