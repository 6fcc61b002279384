#!/usr/bin/python3
"""One self-contained HTML page from a clustersim run file or sweep directory (figures embedded as PNG).

Usage: /usr/bin/python3 scripts/clustersim_report.py RESULTS.h5|SWEEP_DIR|SWEEP.h5 -o report.html
       (``clustersim report`` runs this script.)

A run file gives: the run's provenance; the summary (every metric with its units); power over time broken
down into GPUs, the rest of the servers, the network, cooling and electrical losses, with facility power on
top; each training job's step time broken down (compute, exposed tensor/pipeline/data/expert-parallel
communication, bubble, optimizer, the rest); each inference service's latency distribution at its stored
quantiles (TTFT, TPOT, end-to-end: p50, p90, p99); utilisation and queue over time (GPUs held by training and
serving, jobs queued and running, requests waiting and running, KV-cache use); the jobs and services tables.
A sweep gives every run's metrics against each numeric swept axis (the other axes as series) and the runs
table. Nothing is fetched from the network: the page opens offline.

Exit codes: 0 written; 2 the input is missing, unreadable or not a clustersim file, or the output cannot be
written (nothing is left behind: the page is written to a temporary file and renamed).
"""

import argparse
import base64
import datetime
import html
import io
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from clustersim_results import axis_label, load_run, load_sweep, si_scale  # noqa: E402

# Power over time, stacked bottom to top (timeseries columns), then facility power as a line.
POWER_STACK = (("gpu_power", "GPUs"), ("server_power", "servers (non-GPU)"), ("network_power", "network"),
               ("cooling_power", "cooling"), ("electrical_loss_power", "electrical losses"))
# Step-time parts (jobs columns) that add up to the step; what is left is shown as "other".
STEP_PARTS = (("compute_time", "compute"), ("tp_comm_time", "tensor-parallel comm"),
              ("other_local_comm_time", "CP / local PP comm"), ("exposed_pp_time", "pipeline sends"),
              ("exposed_dp_time", "data-parallel comm"), ("exposed_ep_time", "expert all-to-all"),
              ("bubble_time", "pipeline bubble"), ("optimizer_time", "optimizer"))
LATENCIES = (("ttft", "time to first token"), ("tpot", "time per output token"), ("e2e", "end-to-end latency"))
QUANTILES = ((0.5, "p50"), (0.9, "p90"), (0.99, "p99"))
# Sweep metrics plotted against each numeric axis (runs columns, when present and not all NaN).
SWEEP_METRICS = ("facility_power_mean", "it_power_mean", "training_tokens_per_s", "inference_output_tokens_per_s",
                 "energy_per_token", "pue", "job_wait_p99", "training_gpu_allocation", "wall_time_s")
STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: right; }
th { background: #f3f3f3; } td.text, th.text { text-align: left; }
img { max-width: 100%; } .note { color: #666; font-size: 0.85em; }
.scroll { overflow-x: auto; }
"""


class ReportError(Exception):
    """The input cannot be reported on (exit 2)."""


def figure_html(fig, alt):
    """The figure as an embedded PNG <img>; closes it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></p>'


def fmt(value, units=""):
    """A number with 4 significant digits and an SI prefix for its units; text as is."""
    if isinstance(value, (bytes, str)):
        return html.escape(value.decode() if isinstance(value, bytes) else value)
    try:
        v = float(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    if math.isnan(v):
        return "&ndash;"
    factor, shown = si_scale(abs(v), units)
    text = f"{v / factor:.4g}"
    return f"{text} {html.escape(shown)}" if shown not in ("", "1") else text


def table_html(df, max_rows=200):
    """A DataFrame (with attrs units / long_name) as an HTML table, units in the header."""
    units = df.attrs.get("units", {})
    long_names = df.attrs.get("long_name", {})
    cols = list(df.columns)
    head = "".join(
        f'<th class="text" title="{html.escape(long_names.get(c, c))}">{html.escape(c)}</th>'
        if df[c].dtype == object else
        f'<th title="{html.escape(long_names.get(c, c))}">{html.escape(c)}'
        f'{" [" + html.escape(units.get(c, "")) + "]" if units.get(c, "") not in ("", "1") else ""}</th>'
        for c in cols)
    rows = []
    for _, row in df.head(max_rows).iterrows():
        cells = []
        for c in cols:
            v = row[c]
            if df[c].dtype == object:
                cells.append(f'<td class="text">{fmt(v)}</td>')
            else:
                f = float(v)
                cells.append(f"<td>{'&ndash;' if math.isnan(f) else f'{f:.5g}'}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = f'<p class="note">{len(df) - max_rows} more rows in the file.</p>' if len(df) > max_rows else ""
    return f'<div class="scroll"><table><tr>{head}</tr>{"".join(rows)}</table></div>{more}'


def time_axis(seconds):
    """Times in a readable unit: (values, unit label)."""
    span = float(np.nanmax(seconds)) if len(seconds) else 0.0
    for factor, unit in ((86400.0, "d"), (3600.0, "h"), (60.0, "min")):
        if span >= 2 * factor:
            return np.asarray(seconds) / factor, unit
    return np.asarray(seconds), "s"


def times(df):
    """A table's time values: its "time" column, or its index when time is its dimension."""
    if "time" in df.columns:
        return df["time"].to_numpy(dtype=float)
    if df.index.name == "time":
        return df.index.to_numpy(dtype=float)
    return None


def present(df, column):
    """True when `df` has `column` with at least one finite value."""
    return column in df.columns and np.isfinite(np.asarray(df[column], dtype=float)).any()


def power_section(ts):
    if ts is None or len(ts) == 0 or times(ts) is None:
        return "<p>No time series in this file.</p>"
    t, unit = time_axis(times(ts))
    parts = [(c, label) for c, label in POWER_STACK if present(ts, c)]
    top = max([float(np.nanmax(ts[c])) for c in ("facility_power", "it_power") if present(ts, c)] + [1.0])
    factor, shown = si_scale(top, "W")
    fig, ax = plt.subplots(figsize=(10, 4))
    if parts:
        ax.stackplot(t, *[np.nan_to_num(ts[c].to_numpy(dtype=float)) / factor for c, _ in parts],
                     labels=[label for _, label in parts], alpha=0.8, step="post")
    if present(ts, "facility_power"):
        ax.step(t, ts["facility_power"].to_numpy() / factor, where="post", color="black", label="facility (total)")
    ax.set_xlabel(f"time [{unit}]")
    ax.set_ylabel(f"power [{shown}]")
    ax.set_title("Power over time: IT (GPUs, servers, network) and facility overhead")
    ax.legend(loc="lower right", fontsize=8)
    ax.set_ylim(bottom=0)
    out = figure_html(fig, "power over time")
    if present(ts, "pue"):
        fig, ax = plt.subplots(figsize=(10, 2.5))
        ax.step(t, ts["pue"].to_numpy(), where="post")
        ax.set_xlabel(f"time [{unit}]")
        ax.set_ylabel("PUE")
        ax.set_title("Power usage effectiveness over time")
        out += figure_html(fig, "PUE over time")
    return out


def step_section(jobs):
    if jobs is None or len(jobs) == 0 or not present(jobs, "step_time"):
        return "<p>No training jobs.</p>"
    shown = jobs[np.isfinite(jobs["step_time"].to_numpy(dtype=float))]
    if len(shown) > 30:  # the slowest 30 (a cluster of many jobs: the table has them all)
        shown = shown.sort_values("step_time", ascending=False).head(30)
    names = [str(n) for n in shown["name"]]
    fig, ax = plt.subplots(figsize=(10, 0.4 * len(names) + 1.5))
    left = np.zeros(len(names))
    accounted = np.zeros(len(names))
    for column, label in STEP_PARTS:
        if column not in shown.columns:
            continue
        v = np.nan_to_num(shown[column].to_numpy(dtype=float))
        if not v.any():
            continue
        ax.barh(names, v, left=left, label=label)
        left += v
        accounted += v
    rest = np.clip(shown["step_time"].to_numpy(dtype=float) - accounted, 0, None)
    if rest.max() > 1e-9:
        ax.barh(names, rest, left=left, label="other (overlap not shown)", color="#bbb")
    ax.set_xlabel("seconds per step")
    ax.set_title("Step time of each training job, broken down")
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="lower right")
    note = ('<p class="note">Exposed (not overlapped) parts; "other" is the step time the parts do not '
            "account for.</p>")
    return figure_html(fig, "step time breakdown") + note


def latency_section(services):
    if services is None or len(services) == 0:
        return "<p>No inference services.</p>"
    fig, axes = plt.subplots(1, len(LATENCIES), figsize=(12, 3.5))
    drawn = False
    for ax, (key, title) in zip(axes, LATENCIES):
        columns = [f"{key}_{q}" for _, q in QUANTILES]
        if not all(c in services.columns for c in columns):
            ax.set_visible(False)
            continue
        for _, row in services.iterrows():
            x = np.array([float(row[c]) for c in columns])
            if not np.isfinite(x).any():
                continue
            ax.plot(x * 1e3, [p for p, _ in QUANTILES], marker="o", label=str(row["name"]))
            drawn = True
        values = services[columns].to_numpy(dtype=float).ravel()
        values = values[np.isfinite(values) & (values > 0)]
        if len(values) and values.max() > 20 * values.min():
            ax.set_xscale("log")
        ax.set_xlabel(f"{title} [ms]")
        ax.set_ylabel("fraction of requests")
        ax.set_title(title)
        ax.set_ylim(0.4, 1.0)
    if drawn:
        axes[0].legend(fontsize=8)
        return figure_html(fig, "latency distributions") + (
            '<p class="note">The distribution at the quantiles the results store (p50, p90, p99).</p>')
    plt.close(fig)
    return "<p>No latency measured.</p>"


def utilisation_section(run):
    panels = []
    sched, pools, svc = run.get("schedule"), run.get("pool_timeseries"), run.get("service_timeseries")
    if pools is not None and len(pools) and present(pools, "training_gpus"):
        panels.append(("GPUs held", [(pools[pools["pool"] == p], c, f"{p}: {label}")
                                     for p in sorted(set(pools["pool"]))
                                     for c, label in (("training_gpus", "training"), ("serving_gpus", "serving"))
                                     if present(pools[pools["pool"] == p], c)]))
    if sched is not None and len(sched) and present(sched, "queued_jobs"):
        panels.append(("training jobs", [(sched, "queued_jobs", "queued"), (sched, "running_jobs", "running")]))
    if svc is not None and len(svc) and present(svc, "waiting"):
        names = sorted(set(svc["service"]))
        panels.append(("requests", [(svc[svc["service"] == s], c, f"{s}: {c}") for s in names
                                    for c in ("waiting", "running")]))
        if present(svc, "kv_use"):
            panels.append(("KV-cache use", [(svc[svc["service"] == s], "kv_use", s) for s in names]))
    if not panels:
        return "<p>No utilisation or queue series in this file.</p>"
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 2.6 * len(panels)), squeeze=False)
    for ax, (title, series) in zip(axes[:, 0], panels):
        for df, column, label in series:
            t, unit = time_axis(times(df))
            ax.step(t, df[column].to_numpy(dtype=float), where="post", label=label)
        ax.set_title(title)
        ax.set_xlabel(f"time [{unit}]")
        ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return figure_html(fig, "utilisation and queues over time")


def summary_html(summary):
    units, long_names = summary.attrs.get("units", {}), summary.attrs.get("long_name", {})
    rows = "".join(
        f'<tr><td class="text">{html.escape(long_names.get(k, k))}</td><td class="text">{html.escape(k)}</td>'
        f"<td>{fmt(v, units.get(k, ''))}</td></tr>"
        for k, v in summary.items() if not (isinstance(v, float) and math.isnan(v)))
    return f'<table><tr><th class="text">metric</th><th class="text">name</th><th>value</th></tr>{rows}</table>'


def provenance_html(attrs, keys):
    rows = "".join(f'<tr><td class="text">{html.escape(k)}</td><td class="text">{fmt(attrs[k])}</td></tr>'
                   for k in keys if k in attrs)
    return f"<table>{rows}</table>"


def page(title, body):
    made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{body}\n"
            f'<p class="note">clustersim report, made {made}.</p></body></html>\n')


def run_report(path):
    try:
        run = load_run(path)
    except (OSError, KeyError, ValueError) as e:
        raise ReportError(f"{path}: not a readable clustersim results file ({e})")
    attrs = run["attrs"]
    if not str(attrs.get("schema", "")).startswith("clustersim.run"):
        raise ReportError(f"{path}: not a clustersim run file (schema '{attrs.get('schema', '')}'); a sweep's "
                          "results are reported from its directory or its sweep.h5")
    body = [f"<p>{fmt(attrs.get('description', ''))}</p>",
            provenance_html(attrs, ("experiment", "source_path", "created_utc", "tool_version", "git_commit",
                                    "simgrid_version", "seed", "wall_time_s", "command_line")),
            "<h2>Summary</h2>", summary_html(run["summary"]),
            "<h2>Power over time</h2>", power_section(run.get("timeseries")),
            "<h2>Training: step time</h2>", step_section(run.get("jobs")),
            "<h2>Inference: latency</h2>", latency_section(run.get("services")),
            "<h2>Utilisation and queues over time</h2>", utilisation_section(run)]
    for name, title in (("jobs", "Training jobs"), ("services", "Inference services")):
        df = run.get(name)
        if df is not None and len(df):
            body += [f"<h2>{title}</h2>", table_html(df)]
    return page(f"clustersim: {attrs.get('experiment', os.path.basename(path))}", "\n".join(body))


def sweep_report(path):
    try:
        runs = load_sweep(path, as_frame=True)
        with h5py.File(path, "r") as f:
            attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
            axes_attrs = {k: {a: (v.decode() if isinstance(v, bytes) else v) for a, v in f["runs"][k].attrs.items()}
                          for k in f["runs"].keys()}
    except (OSError, KeyError, ValueError) as e:
        raise ReportError(f"{path}: not a readable clustersim sweep file ({e})")
    axes = [k for k, a in axes_attrs.items() if "." in k and k in runs.columns]
    numeric = [k for k in axes if runs[k].dtype != object and np.isfinite(runs[k].to_numpy(dtype=float)).all()]
    metrics = [m for m in SWEEP_METRICS if present(runs, m)]
    body = [provenance_html(attrs, ("schema", "experiment", "created_utc", "tool_version", "git_commit")),
            f"<p>{len(runs)} runs; swept: {', '.join(html.escape(a) for a in axes) or 'nothing'}.</p>"]
    for axis in numeric:
        others = [a for a in axes if a != axis]
        fig, plots = plt.subplots(math.ceil(len(metrics) / 3), 3, figsize=(12, 3.2 * math.ceil(len(metrics) / 3)),
                                  squeeze=False)
        groups = runs.groupby(others) if others else [((), runs)]
        for ax, metric in zip(plots.flat, metrics):
            units = axes_attrs.get(metric, {}).get("clustersim_units", axes_attrs.get(metric, {}).get("units", ""))
            factor, shown = si_scale(float(np.nanmax(np.abs(runs[metric]))), units)
            for key, df in groups:
                df = df.sort_values(axis)
                key = key if isinstance(key, tuple) else (key,)
                label = ", ".join(f"{a}={v}" for a, v in zip(others, key)) or None
                ax.plot(df[axis], df[metric] / factor, marker="o", label=label)
            ax.set_xlabel(axis_label(axis, axes_attrs[axis].get("clustersim_units", axes_attrs[axis].get("units", ""))))
            ax.set_ylabel(axis_label(metric, shown))
            if others and ax is plots.flat[0]:
                ax.legend(fontsize=7)
        for ax in list(plots.flat)[len(metrics):]:
            ax.set_visible(False)
        fig.suptitle(f"Metrics against {axis}")
        fig.tight_layout()
        body += [f"<h2>Against {html.escape(axis)}</h2>", figure_html(fig, f"metrics against {axis}")]
    if not numeric:
        body.append("<p>No numeric swept axis to plot against; the runs table follows.</p>")
    body += ["<h2>Runs</h2>", table_html(runs)]
    return page(f"clustersim sweep: {attrs.get('experiment', os.path.dirname(path))}", "\n".join(body))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="a run file (.h5), a sweep directory or its sweep.h5")
    ap.add_argument("-o", "--output", required=True, help="the HTML file to write")
    a = ap.parse_args()
    path = a.input
    if os.path.isdir(path):
        path = os.path.join(path, "sweep.h5")
    try:
        if not os.path.isfile(path):
            raise ReportError(f"{a.input}: no such results file" +
                              (" (a sweep directory needs sweep.h5: run `clustersim sweep --merge-only`)"
                               if os.path.isdir(a.input) else ""))
        try:
            with h5py.File(path, "r") as f:
                schema = f.attrs.get("schema", b"")
        except OSError as e:
            raise ReportError(f"{a.input}: not an HDF5 results file ({e}); give a run's .h5, a sweep directory or "
                              "its sweep.h5")
        schema = schema.decode() if isinstance(schema, bytes) else str(schema)
        text = sweep_report(path) if schema.startswith("clustersim.sweep") else run_report(path)
        out_dir = os.path.dirname(os.path.abspath(a.output))
        if not os.path.isdir(out_dir):
            raise ReportError(f"{a.output}: the folder {out_dir} does not exist")
        fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=out_dir)
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, a.output)
        except BaseException:
            os.unlink(tmp)
            raise
    except ReportError as e:
        print(f"clustersim report: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"clustersim report: error: {e}", file=sys.stderr)
        return 2
    print(a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
