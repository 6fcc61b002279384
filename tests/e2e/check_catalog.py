#!/usr/bin/python3
"""Checks the shipped catalog data (data/catalog/*.yaml) against the loader contract.

Every entry of every file must have a non-empty `source` that carries a status letter (V, R or E) and
all the required keys of its section, with no unknown keys; quantities must carry a unit of the right
family; cross references (default_server) must resolve; transceivers must be unique per (speed, kind).
Usage: /usr/bin/python3 tests/e2e/check_catalog.py [CATALOG_DIR]   (exits 1 and lists problems on failure)
"""
import os
import re
import sys

import yaml

NUM = r"[+]?\d+(\.\d+)?([eE][+-]?\d+)?\s?"
UNITS = {
    "compute": re.compile(NUM + r"(FLOPS|kFLOPS|MFLOPS|GFLOPS|TFLOPS|PFLOPS|EFLOPS)$"),
    "data": re.compile(NUM + r"(B|kB|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB)$"),
    "byte_rate": re.compile(NUM + r"(B/s|kB/s|MB/s|GB/s|TB/s)$"),
    "bit_rate": re.compile(NUM + r"(bps|kbps|Mbps|Gbps|Tbps)$"),
    "power": re.compile(NUM + r"(mW|W|kW|MW)$"),
    "time": re.compile(NUM + r"(ns|us|ms|s|min|h)$"),
}

# section -> file, {key: kind}; kind is a UNITS family, "int", "bool", "str" or "number".
SECTIONS = {
    "accelerators": ("accelerators.yaml", {
        "vendor": "str", "peak_bf16": "compute", "peak_fp8": "compute", "peak_fp4": "compute",
        "hbm": "data", "hbm_bandwidth": "byte_rate", "tdp": "power", "idle": "power",
        "scaleup_bandwidth": "byte_rate", "scaleup_domain": "int", "default_server": "str"}),
    "servers": ("servers.yaml", {"gpus": "int", "overhead_idle": "power", "overhead_max": "power"}),
    "pcie": ("pcie.yaml", {"lane_bandwidth": "bit_rate", "efficiency": "number"}),
    "engines": ("engines.yaml", {"step_overhead": "time", "collective_latency": "time"}),
    "software": ("software.yaml", {"description": "str"}),
    "nics": ("nics.yaml", {"bandwidth": "bit_rate", "power": "power"}),
    "switches": ("switches.yaml", {"radix": "int", "port_bandwidth": "bit_rate", "chassis": "power",
                                   "port": "power"}),
    "transceivers": ("transceivers.yaml", {"bandwidth": "bit_rate", "kind": "str", "power": "power"}),
    "models": ("models.yaml", {
        "layers": "int", "hidden": "int", "ffn_hidden": "int", "heads": "int", "kv_heads": "int",
        "vocab": "int", "seq_len": "int", "gated_ffn": "bool", "experts": "int", "active_experts": "int",
        "shared_experts": "int"}),
    "calibration": ("calibration.yaml", {"value": "number"}),
}
CALIBRATION_KEYS = {"matmul_efficiency", "memory_efficiency", "activity_communication", "power_busy_activity",
                    "power_compute_activity", "power_memory_activity", "power_dvfs_exponent",
                    "power_min_clock_ratio", "kernel_launch_s", "network_alpha_s"}
# Optional keys per section (checked in check_cross_references when they need other entries).
OPTIONAL = {"models": {"head_dim", "dense_layers", "dense_ffn_hidden", "q_lora_rank", "kv_lora_rank", "rope_dim",
                       "v_head_dim"}, "calibration": {"by_gpu"},
            "software": {"flash_attention", "sequence_parallel", "distributed_optimizer", "overlap_grad_reduce",
                         "overlap_tp_comm", "grad_reduce_dtype"},
            "servers": {"nic_pcie", "nic_pcie_lanes", "price", "price_source"},
            "switches": {"price", "price_source"}, "transceivers": {"price", "price_source"},
            "nics": {"price", "price_source"}}
TRANSCEIVER_KINDS = {"pluggable", "lpo", "cpo", "dac"}
BIT_RATE_SCALE = {"bps": 1, "kbps": 1e3, "Mbps": 1e6, "Gbps": 1e9, "Tbps": 1e12}


def bits_per_s(text):
    """'1.6Tbps' -> 1.6e12 (None when not a bit rate), so '1600Gbps' and '1.6Tbps' compare equal."""
    m = re.match(r"([+]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s?(bps|kbps|Mbps|Gbps|Tbps)$", str(text))
    return round(float(m.group(1)) * BIT_RATE_SCALE[m.group(2)]) if m else None


def check_value(kind, value):
    """Returns an error text, or None when `value` fits `kind`."""
    if kind in UNITS:
        if not isinstance(value, str) or not UNITS[kind].match(value):
            return f"expected a {kind} quantity with unit, got {value!r}"
    elif kind == "int":
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return f"expected a non-negative integer, got {value!r}"
    elif kind == "bool":
        if not isinstance(value, bool):
            return f"expected true/false, got {value!r}"
    elif kind == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return f"expected a plain number, got {value!r}"
    elif not isinstance(value, str) or not value:
        return f"expected a non-empty string, got {value!r}"
    return None


def check_catalog(catalog_dir):
    """Returns (problems, number of entries checked) for the catalog directory."""
    problems, data = [], {}
    for section, (filename, required) in SECTIONS.items():
        path = os.path.join(catalog_dir, filename)
        try:
            with open(path, encoding="utf-8") as f:
                doc = yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            problems.append(f"{filename}: cannot load: {e}")
            continue
        if not isinstance(doc, dict) or set(doc) != {section} or not isinstance(doc[section], dict):
            problems.append(f"{filename}: expected exactly one top-level mapping '{section}'")
            continue
        entries = data[section] = doc[section]
        if not entries:
            problems.append(f"{filename}: '{section}' is empty")
        for name, entry in entries.items():
            where = f"{filename}: {section}.{name}"
            if not isinstance(entry, dict):
                problems.append(f"{where}: expected a mapping")
                continue
            source = entry.get("source")
            if not isinstance(source, str) or not source.strip():
                problems.append(f"{where}: missing or empty 'source'")
            elif not re.search(r"\b[VRE]\b", source):
                problems.append(f"{where}: 'source' names no status letter V, R or E")
            for key, kind in required.items():
                if key not in entry:
                    problems.append(f"{where}: missing required key '{key}'")
                else:
                    error = check_value(kind, entry[key])
                    if error:
                        problems.append(f"{where}.{key}: {error}")
            for key in set(entry) - set(required) - {"source"} - OPTIONAL.get(section, set()):
                problems.append(f"{where}: unknown key '{key}'")
    problems += check_cross_references(data)
    return problems, sum(len(entries) for entries in data.values())


def check_cross_references(data):
    """Rules across entries: server names resolve, transceivers unique, calibration complete."""
    problems = []
    servers = data.get("servers", {})
    for name, acc in data.get("accelerators", {}).items():
        if isinstance(acc, dict) and acc.get("default_server") not in servers:
            problems.append(f"accelerators.{name}: default_server {acc.get('default_server')!r} "
                            "is not in servers.yaml")
    for name, srv in servers.items():
        if isinstance(srv, dict) and srv.get("nic_pcie") and srv["nic_pcie"] not in data.get("pcie", {}):
            problems.append(f"servers.{name}: nic_pcie {srv['nic_pcie']!r} is not in pcie.yaml")
    seen = {}
    for name, t in data.get("transceivers", {}).items():
        if not isinstance(t, dict):
            continue
        if t.get("kind") not in TRANSCEIVER_KINDS:
            problems.append(f"transceivers.{name}: kind {t.get('kind')!r} not in {sorted(TRANSCEIVER_KINDS)}")
        pair = (bits_per_s(t.get("bandwidth")), t.get("kind"))
        if pair in seen:
            problems.append(f"transceivers.{name}: same (bandwidth, kind) {pair} as {seen[pair]}")
        seen[pair] = name
    for key, entry in data.get("calibration", {}).items():
        for gpu, value in (entry.get("by_gpu") or {}).items():
            if gpu not in data.get("accelerators", {}):
                problems.append(f"calibration.{key}.by_gpu: unknown accelerator '{gpu}'")
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                problems.append(f"calibration.{key}.by_gpu.{gpu}: expected a fraction 0..1, got {value!r}")
    if "calibration" in data:
        missing = CALIBRATION_KEYS - set(data["calibration"])
        if missing:
            problems.append(f"calibration: missing {sorted(missing)}")
    return problems


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    catalog_dir = argv[1] if len(argv) > 1 else os.path.join(here, "..", "..", "data", "catalog")
    problems, entries = check_catalog(catalog_dir)
    for p in problems:
        print(p)
    print(f"check_catalog: {entries} entries, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
