"""The figures of a clustersim run, as matplotlib figures: what ``clustersim report`` embeds in its page and
``plot_results.py`` writes as PNG files. Each function returns a figure (the caller saves and closes it), or
None when the run has nothing to draw for it. Titles start with ``prefix`` (the run's name).

* ``power_figure``: power over time, stacked: GPUs, the rest of the servers, the network, cooling and
  electrical losses, with facility power on top;
* ``pue_figure``: PUE over time (a varying facility model);
* ``step_figure``: each training job's step time broken down into its exposed parts;
* ``latency_figure``: each inference service's TTFT, TPOT and end-to-end latency at its stored quantiles;
* ``utilisation_figure``: GPUs held by training and serving, jobs queued and running, requests waiting and
  running, KV-cache use, over time;
* ``throughput_figure``: tokens/s of each training job and output tokens/s of each inference service.

Run with Debian's ``/usr/bin/python3``.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from clustersim_results import axis_label, si_scale  # noqa: E402

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
THROUGHPUT_PANELS = (("jobs", "tokens_per_s", "Training jobs"),
                     ("services", "output_tokens_per_s", "Inference services"))


def _title(prefix, text):
    return f"{prefix}: {text}" if prefix else text


def time_axis(seconds):
    """Times in a readable unit: (values, unit label)."""
    span = float(np.nanmax(seconds)) if len(seconds) else 0.0
    for factor, unit in ((86400.0, "d"), (3600.0, "h"), (60.0, "min")):
        if span >= 2 * factor:
            return np.asarray(seconds) / factor, unit
    return np.asarray(seconds), "s"


def times(df):
    """A table's time values: its "time" column, or its index when time is its dimension; None without."""
    if "time" in df.columns:
        return df["time"].to_numpy(dtype=float)
    if df.index.name == "time":
        return df.index.to_numpy(dtype=float)
    return None


def present(df, column):
    """True when `df` has `column` with at least one finite value."""
    return column in df.columns and np.isfinite(np.asarray(df[column], dtype=float)).any()


def power_figure(ts, prefix=""):
    if ts is None or len(ts) == 0 or times(ts) is None:
        return None
    t, unit = time_axis(times(ts))
    parts = [(c, label) for c, label in POWER_STACK if present(ts, c)]
    lines = [c for c in ("facility_power", "it_power") if present(ts, c)]
    if not parts and not lines:
        return None
    top = max([float(np.nanmax(ts[c])) for c in lines] + [1.0])
    factor, shown = si_scale(top, "W")
    fig, ax = plt.subplots(figsize=(10, 4))
    if parts:
        ax.stackplot(t, *[np.nan_to_num(ts[c].to_numpy(dtype=float)) / factor for c, _ in parts],
                     labels=[label for _, label in parts], alpha=0.8, step="post")
    if present(ts, "facility_power"):
        ax.step(t, ts["facility_power"].to_numpy() / factor, where="post", color="black", label="facility (total)")
    ax.set_xlabel(f"time [{unit}]")
    ax.set_ylabel(f"power [{shown}]")
    ax.set_title(_title(prefix, "power over time: IT (GPUs, servers, network) and facility overhead"))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_ylim(bottom=0)
    return fig


def pue_figure(ts, prefix=""):
    if ts is None or len(ts) == 0 or times(ts) is None or not present(ts, "pue"):
        return None
    if float(np.nanmax(ts["pue"]) - np.nanmin(ts["pue"])) < 1e-9:  # a constant PUE: nothing to see
        return None
    t, unit = time_axis(times(ts))
    fig, ax = plt.subplots(figsize=(10, 2.5))
    ax.step(t, ts["pue"].to_numpy(), where="post")
    ax.set_xlabel(f"time [{unit}]")
    ax.set_ylabel("PUE")
    ax.set_title(_title(prefix, "power usage effectiveness over time"))
    return fig


def step_figure(jobs, prefix=""):
    if jobs is None or len(jobs) == 0 or not present(jobs, "step_time"):
        return None
    shown = jobs[np.isfinite(jobs["step_time"].to_numpy(dtype=float))]
    if len(shown) > 30:  # the slowest 30 (a cluster of many jobs: the table has them all)
        shown = shown.sort_values("step_time", ascending=False).head(30)
    names = [str(n) for n in shown["name"]]
    fig, ax = plt.subplots(figsize=(10, 0.4 * len(names) + 1.5))
    left = np.zeros(len(names))
    for column, label in STEP_PARTS:
        if column not in shown.columns:
            continue
        v = np.nan_to_num(shown[column].to_numpy(dtype=float))
        if not v.any():
            continue
        ax.barh(names, v, left=left, label=label)
        left += v
    rest = np.clip(shown["step_time"].to_numpy(dtype=float) - left, 0, None)
    if rest.max() > 1e-9:
        ax.barh(names, rest, left=left, label="other (not in the parts)", color="#bbb")
    ax.set_xlabel("seconds per step")
    ax.set_title(_title(prefix, "step time of each training job, broken down (exposed parts)"))
    ax.invert_yaxis()
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def latency_figure(services, prefix=""):
    if services is None or len(services) == 0:
        return None
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
    if not drawn:
        plt.close(fig)
        return None
    axes[0].legend(fontsize=8)
    fig.suptitle(_title(prefix, "latency at the stored quantiles (p50, p90, p99)"))
    fig.tight_layout()
    return fig


def utilisation_figure(run, prefix=""):
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
        return None
    fig, axes = plt.subplots(len(panels), 1, figsize=(10, 2.6 * len(panels)), squeeze=False)
    for ax, (title, series) in zip(axes[:, 0], panels):
        for df, column, label in series:
            t, unit = time_axis(times(df))
            ax.step(t, df[column].to_numpy(dtype=float), where="post", label=label)
        ax.set_title(title)
        ax.set_xlabel(f"time [{unit}]")
        ax.legend(fontsize=8, loc="upper right")
    fig.suptitle(_title(prefix, "utilisation and queues over time"))
    fig.tight_layout()
    return fig


def throughput_figure(run, prefix=""):
    panels = [(run[group], column, title) for group, column, title in THROUGHPUT_PANELS
              if run.get(group) is not None and len(run[group]) and column in run[group].columns]
    if not panels:
        return None
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
    fig.suptitle(_title(prefix, "throughput"))
    fig.tight_layout()
    return fig
