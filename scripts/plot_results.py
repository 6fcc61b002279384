#!/usr/bin/python3
"""Plot one clustersim run file.

Usage: /usr/bin/python3 scripts/plot_results.py RESULTS.h5 [-o OUTDIR]

Writes PNG figures named after the run (its experiment name, e.g. ``quickstart-power.png``) into OUTDIR
(default: the directory of RESULTS.h5) and prints their paths; each title names the run
(scripts/clustersim_figures.py draws them, as ``clustersim report`` does):

* ``NAME-power.png``: power over time broken down (GPUs, servers, network, cooling, losses; facility on top);
* ``NAME-pue.png``: PUE over time (a varying facility model only);
* ``NAME-throughput.png``: tokens/s per training job and output tokens/s per inference service;
* ``NAME-step-time.png``: each training job's step time broken down;
* ``NAME-latency.png``: each inference service's TTFT, TPOT and end-to-end latency at p50/p90/p99;
* ``NAME-utilisation.png``: GPUs held, jobs queued, requests waiting and KV use over time.

A figure with nothing to draw is skipped (said on stderr). Exits 2 when the file is missing, unreadable, or
lacks one of the groups timeseries, jobs, services.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

from clustersim_figures import (latency_figure, power_figure, pue_figure, step_figure,  # noqa: E402
                                throughput_figure, utilisation_figure)
from clustersim_results import load_run  # noqa: E402

REQUIRED_GROUPS = ("timeseries", "jobs", "services")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Plot the figures of a clustersim run file as PNG.")
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

    run = load_run(args.results)
    name = str(run["attrs"].get("experiment", "")) or os.path.splitext(os.path.basename(args.results))[0]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name)
    outdir = args.outdir or os.path.dirname(os.path.abspath(args.results))
    os.makedirs(outdir, exist_ok=True)
    figures = (("power", power_figure(run.get("timeseries"), name)),
               ("pue", pue_figure(run.get("timeseries"), name)),
               ("throughput", throughput_figure(run, name)),
               ("step-time", step_figure(run.get("jobs"), name)),
               ("latency", latency_figure(run.get("services"), name)),
               ("utilisation", utilisation_figure(run, name)))
    for kind, fig in figures:
        path = os.path.join(outdir, f"{stem}-{kind}.png")
        if fig is None:
            print(f"plot_results: skipped {os.path.basename(path)} (nothing to draw)", file=sys.stderr)
            continue
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
