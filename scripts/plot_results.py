#!/usr/bin/python3
"""Plot one clustersim run file.

Usage: /usr/bin/python3 scripts/plot_results.py RESULTS.h5 [-o OUTDIR]

Writes PNG figures into OUTDIR (default: the directory of RESULTS.h5) and prints their paths:

* ``power.png``: IT and facility power over time (group ``timeseries``), in W, kW or MW as fits;
* ``throughput.png``: tokens/s per training job (group ``jobs``) and output tokens/s per inference
  service (group ``services``); a panel is skipped when its table is empty.

Exits 2 when the file is missing, unreadable, or lacks one of these groups.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from clustersim_results import axis_label, load_frame, si_scale  # noqa: E402

REQUIRED_GROUPS = ("timeseries", "jobs", "services")
POWER_COLUMNS = ("it_power", "facility_power")
# (group, value column, panel title)
THROUGHPUT_PANELS = (("jobs", "tokens_per_s", "Training jobs"),
                     ("services", "output_tokens_per_s", "Inference services"))
TIME_UNITS = ((86400.0, "d"), (3600.0, "h"), (60.0, "min"))


def time_axis(df):
    """The time values of the timeseries table in a readable unit, and the axis label."""
    if "time" in df.columns:
        seconds = df["time"].to_numpy(dtype=float)
        long_name, units = df.attrs["long_name"]["time"], df.attrs["units"]["time"]
    else:
        seconds = df.index.to_numpy(dtype=float)
        long_name = df.attrs.get("index_long_name", "time")
        units = df.attrs.get("index_units", "s")
    if units == "s" and len(seconds) > 0:
        span = np.nanmax(seconds) - np.nanmin(seconds)
        for factor, name in TIME_UNITS:
            if span >= 2 * factor:
                return seconds / factor, axis_label(long_name, name)
    return seconds, axis_label(long_name, units)


def plot_power(df, out_path):
    """Draws power.png; returns False (and draws nothing) when there is nothing to draw."""
    columns = [c for c in POWER_COLUMNS if c in df.columns]
    if df.empty or not columns:
        return False
    x, x_label = time_axis(df)
    units = df.attrs["units"][columns[0]]
    factor, scaled_units = si_scale(np.nanmax(np.abs(df[columns].to_numpy(dtype=float))), units)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for c in columns:
        ax.plot(x, df[c].to_numpy(dtype=float) / factor, label=df.attrs["long_name"][c])
    ax.set_xlabel(x_label)
    ax.set_ylabel(axis_label("Power", scaled_units))
    ax.set_ylim(bottom=0)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)
    return True


def plot_throughput(frames, out_path):
    """Draws throughput.png with one bar panel per non-empty table; False if all are empty."""
    panels = [(frames[group], column, title) for group, column, title in THROUGHPUT_PANELS
              if not frames[group].empty and column in frames[group].columns]
    if not panels:
        return False
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
    for ax, (df, column, title) in zip(axes[0], panels):
        values = df[column].to_numpy(dtype=float)
        factor, units = si_scale(np.nanmax(np.abs(values)), df.attrs["units"][column])
        labels = df["name"].astype(str).tolist() if "name" in df.columns else [str(i) for i in df.index]
        ax.bar(range(len(values)), values / factor, color="tab:blue")
        ax.set_xticks(range(len(values)))
        ax.set_xticklabels(labels, rotation=30 if len(labels) > 4 else 0, ha="right" if len(labels) > 4 else "center")
        ax.set_ylabel(axis_label(df.attrs["long_name"][column], units))
        ax.set_title(title)
        ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out_path, dpi=120)
    plt.close(fig)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description="Plot power and throughput figures from a clustersim run file.")
    parser.add_argument("results", help="run file (RESULTS.h5)")
    parser.add_argument("-o", "--outdir", help="output directory (default: the directory of RESULTS.h5)")
    args = parser.parse_args(argv)

    if not os.path.isfile(args.results):
        print(f"plot_results: no such file: {args.results}", file=sys.stderr)
        return 2
    try:
        with h5py.File(args.results, "r") as f:
            missing = [g for g in REQUIRED_GROUPS if not isinstance(f.get(g), h5py.Group)]
    except OSError as e:
        print(f"plot_results: cannot read {args.results} as HDF5: {e}", file=sys.stderr)
        return 2
    if missing:
        print(f"plot_results: {args.results} lacks the group(s) {', '.join(missing)} "
              f"(expected {', '.join(REQUIRED_GROUPS)}); is it a clustersim run file?", file=sys.stderr)
        return 2

    outdir = args.outdir or os.path.dirname(os.path.abspath(args.results))
    os.makedirs(outdir, exist_ok=True)
    frames = {g: load_frame(args.results, g) for g in REQUIRED_GROUPS}

    power_path = os.path.join(outdir, "power.png")
    if plot_power(frames["timeseries"], power_path):
        print(power_path)
    else:
        print("plot_results: skipped power.png (empty timeseries)", file=sys.stderr)
    throughput_path = os.path.join(outdir, "throughput.png")
    if plot_throughput(frames, throughput_path):
        print(throughput_path)
    else:
        print("plot_results: skipped throughput.png (no jobs and no services)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
