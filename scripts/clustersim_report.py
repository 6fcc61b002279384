#!/usr/bin/python3
"""One self-contained HTML page from a clustersim run file or sweep directory (figures embedded as PNG).

Usage: /usr/bin/python3 scripts/clustersim_report.py RESULTS.h5|SWEEP_DIR|SWEEP.h5|PLAN.h5 -o report.html
       (``clustersim report`` runs this script.)

A run file gives: the run's provenance; the summary (every metric with its units); power over time broken
down into GPUs, the rest of the servers, the network, cooling and electrical losses, with facility power on
top; each training job's step time broken down (compute, exposed tensor/pipeline/data/expert-parallel
communication, bubble, optimizer, the rest); each inference service's latency distribution at its stored
quantiles (TTFT, TPOT, end-to-end: p50, p90, p99); utilisation and queue over time (GPUs held by training and
serving, jobs queued and running, requests waiting and running, KV-cache use); the jobs and services tables.
A sweep gives every run's metrics against each numeric swept axis (the other axes as series) and the runs
table; a plan (plan.h5 of `clustersim plan`) its answers plotted against each other (GPUs against provisioned
power, J per token and cost per million tokens) with the front marked, and their table. Nothing is fetched from
the network: the page opens offline.

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

from clustersim_figures import (latency_figure, power_figure, present, pue_figure, step_figure,  # noqa: E402
                                utilisation_figure)
from clustersim_results import _attrs, axis_label, load_run, load_sweep, si_scale  # noqa: E402

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


def section(fig, alt, empty, note=""):
    """A figure of clustersim_figures as embedded HTML, or `empty` when the run has nothing for it."""
    if fig is None:
        return f"<p>{html.escape(empty)}</p>" if empty else ""
    return figure_html(fig, alt) + (f'<p class="note">{html.escape(note)}</p>' if note else "")


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
            "<h2>Power over time</h2>",
            section(power_figure(run.get("timeseries")), "power over time", "No time series in this file."),
            section(pue_figure(run.get("timeseries")), "PUE over time", ""),
            "<h2>Training: step time</h2>",
            section(step_figure(run.get("jobs")), "step time breakdown", "No training jobs.",
                    'Exposed (not overlapped) parts; "other" is the step time the parts do not account for.'),
            "<h2>Inference: latency</h2>",
            section(latency_figure(run.get("services")), "latency distributions", "No inference services.",
                    "The distribution at the quantiles the results store (p50, p90, p99)."),
            "<h2>Utilisation and queues over time</h2>",
            section(utilisation_figure(run), "utilisation and queues over time",
                    "No utilisation or queue series in this file.")]
    for name, title in (("jobs", "Training jobs"), ("services", "Inference services")):
        df = run.get(name)
        if df is not None and len(df):
            body += [f"<h2>{title}</h2>", table_html(df)]
    return page(f"clustersim: {attrs.get('experiment', os.path.basename(path))}", "\n".join(body))


def sweep_report(path):
    try:
        runs = load_sweep(path, as_frame=True)
        with h5py.File(path, "r") as f:
            attrs = _attrs(f)
            axes_attrs = {k: _attrs(f["runs"][k]) for k in f["runs"].keys()}
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


def plan_report(path):
    """A plan (clustersim plan's plan.h5): the answers against each other, the front marked, and their table."""
    try:
        cands = load_sweep(path, as_frame=True, table="candidates")
        with h5py.File(path, "r") as f:
            attrs = _attrs(f)
    except (OSError, KeyError, ValueError) as e:
        raise ReportError(f"{path}: not a readable clustersim plan file ({e})")
    answered = cands[cands["size"] >= 0]
    body = [provenance_html(attrs, ("schema", "experiment", "created_utc", "plan_size", "plan_conditions")),
            f"<p>{len(cands)} choices, {len(answered)} with an answer: the smallest "
            f"{html.escape(str(attrs.get('plan_size', 'size')))} meeting "
            f"{html.escape(str(attrs.get('plan_conditions', '')))}.</p>"]
    axes = [c for c in cands.columns if "." in c]
    labels = [", ".join(f"{a}={row[a]}" for a in axes) or "(as written)" for _, row in answered.iterrows()]
    pairs = [("gpus", "GPUs", 1.0, ""), ("facility_power_provisioned", "provisioned facility power", 1e6, "MW"),
             ("energy_per_token", "J per token", 1.0, "J"), ("cost_per_million_tokens", "USD per million tokens", 1.0,
                                                              "USD")]
    shown = [p for p in pairs[1:] if present(answered, p[0])]
    if len(answered) and shown:
        fig, plots = plt.subplots(1, len(shown), figsize=(5 * len(shown), 4), squeeze=False)
        for ax, (col, title, factor, unit) in zip(plots[0], shown):
            front = answered["front"].to_numpy() > 0
            x = answered["gpus"].to_numpy(dtype=float)
            y = answered[col].to_numpy(dtype=float) / factor
            ax.scatter(x[~front], y[~front], color="#999", label="beaten")
            ax.scatter(x[front], y[front], color="tab:red", label="front")
            for xi, yi, text in zip(x, y, labels):
                ax.annotate(text, (xi, yi), fontsize=7, xytext=(3, 3), textcoords="offset points")
            ax.set_xlabel("GPUs")
            ax.set_ylabel(f"{title} [{unit}]" if unit else title)
        plots[0][0].legend(fontsize=8)
        fig.suptitle("The plan's answers: GPUs against power, energy and cost (front: beaten by none)")
        fig.tight_layout()
        body.append(figure_html(fig, "plan answers"))
    body += ["<h2>Answers</h2>", table_html(cands)]
    return page(f"clustersim plan: {attrs.get('experiment', os.path.dirname(path))}", "\n".join(body))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="a run file (.h5), a sweep directory or its sweep.h5")
    ap.add_argument("-o", "--output", required=True, help="the HTML file to write")
    a = ap.parse_args()
    path = a.input
    if os.path.isdir(path):  # a sweep's directory (sweep.h5) or a plan's (plan.h5)
        plan = os.path.join(path, "plan.h5")
        path = plan if os.path.isfile(plan) and not os.path.isfile(os.path.join(path, "sweep.h5")) \
            else os.path.join(path, "sweep.h5")
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
        if schema.startswith("clustersim.sweep"):
            text = sweep_report(path)
        elif schema.startswith("clustersim.plan"):
            text = plan_report(path)
        else:
            text = run_report(path)
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
