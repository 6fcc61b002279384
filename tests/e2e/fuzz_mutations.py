#!/usr/bin/python3
"""Mutation fuzzing of the CLI (issues 8 and 17): deterministic mutants of the shipped experiments.

Takes experiments/*.yaml and tests/e2e/data/*.yaml, produces COUNT mutated experiments from SEED (numbers to 0,
negative, huge, NaN, inf, strings; keys deleted or duplicated; YAML anchors and aliases; inline catalog and
calibration overrides; broken traces), runs `validate` on each and, when it says 0, a short `run`
(--set duration=...), each under a timeout and an address-space limit, and asserts:
  - the exit code is 0, 1 or 2 (no signal, no timeout, no abort), and no std::bad_alloc under the address limit;
  - no results file (nor its temporary) after a failure; after 0 a results file whose /summary has no inf and no
    negative value (NaN means not available) and whose MFUs are <= 1;
  - every `error:` line of an input error (exit 2) carries a location: `FILE:LINE:COL: error:` (or names the
    `--set` override it comes from);
  - `run` does not refuse (exit 2) what `validate` accepted with the same overrides.
Prints the counts by outcome and every failing case (mutation + observed); exit 1 when any case fails.

Usage: fuzz_mutations.py BIN SRC [--count N] [--seed S] [-j J] [--findings FILE] [--keep DIR] [--only REGEX]
"""
import argparse
import concurrent.futures
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

HUGE = ["1e30", "1e300", "-1e300", "2147483648", "9223372036854775808", "1e-300"]
SPECIAL = [".nan", ".inf", "-.inf", "NaN", "inf"]
WEIRD = ["0", "-1", "-0.5", "abc", "''", "[]", "{}", "~", "true", "0x10", "1e", "--5"]
UNIT_PREFIXES = ["0", "-1", "1e30", "1e300", "1e-300", "nan", "inf", "-inf"]

VALIDATE_TIMEOUT_S = 30
RUN_TIMEOUT_S = 45
RUN_DURATION = "10s"  # long enough for a training step of the small experiments
ADDRESS_LIMIT_B = 6 * 1024**3
# Bases whose short run takes many seconds or, at 8 MiB of actor stack per server, more address space than the
# limit (100k, 32k, 16k and 10k GPUs): validate only.
VALIDATE_ONLY = re.compile(r"100k|32k|16k|10k")

LOCATED = re.compile(r"^(?:.+?:\d+:\d+|--set [^:]+(?::\d+:\d+)?): error:")
SLOT = re.compile(r"(?P<pre>(?:^|[{,]\s*|^\s*-\s+|^\s+)(?P<key>[A-Za-z_][\w.-]*):[ ]+)"
                  r"(?P<val>[^\s,{}\[\]#&*|>'\"][^,{}\[\]#\n]*?)\s*(?=[,}\]]|\s+#|$)")
NUMBER_WITH_UNIT = re.compile(r"^(-?[0-9.]+(?:e-?\d+)?)\s*([A-Za-z/%:]*[A-Za-z/%]?[\w/:]*)$")


def slots(lines):
    """Every `key: scalar` occurrence (block or flow style): (line index, start, end, key, value)."""
    out = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        for m in SLOT.finditer(line):
            out.append((i, m.start("val"), m.end("val"), m.group("key"), m.group("val")))
    return out


def block_end(lines, i):
    """One past the last line of the block that starts at line i (its deeper-indented children)."""
    indent = len(lines[i]) - len(lines[i].lstrip())
    j = i + 1
    while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent
                              or lines[j].lstrip().startswith("#")):
        j += 1
    return j


def key_lines(lines):
    return [i for i, l in enumerate(lines)
            if re.match(r"^\s*(?:-\s+)?[A-Za-z_][\w.-]*:", l) and not l.lstrip().startswith("#")]


class Mutator:
    def __init__(self, rng, src, catalog):
        self.rng = rng
        self.src = src
        self.catalog = catalog  # section -> list of entry names; "fields": section -> field names

    def pick_value(self, old):
        """A hostile replacement for a scalar, keeping its unit when it has one."""
        r = self.rng
        m = NUMBER_WITH_UNIT.match(old.strip())
        if m and m.group(2) and r.random() < 0.6:
            return r.choice(UNIT_PREFIXES) + m.group(2)
        return r.choice(HUGE + SPECIAL + WEIRD)

    # Each mutation: (lines, aux) -> (description, new text, extra files {name: content}) or None.
    def m_value(self, lines):
        s = slots(lines)
        if not s:
            return None
        numeric = [x for x in s if re.match(r"^-?[0-9.]", x[4])]
        i, a, b, key, old = self.rng.choice(numeric if numeric and self.rng.random() < 0.85 else s)
        new = self.pick_value(old)
        lines = list(lines)
        lines[i] = lines[i][:a] + new + lines[i][b:]
        return f"line {i + 1}: {key}: {old} -> {new}", lines, {}

    def m_delete_key(self, lines):
        k = key_lines(lines)
        if not k:
            return None
        i = self.rng.choice(k)
        j = block_end(lines, i)
        desc = f"line {i + 1}: delete '{lines[i].strip()[:50]}' ({j - i} lines)"
        return desc, lines[:i] + lines[j:], {}

    def m_duplicate_key(self, lines):
        k = key_lines(lines)
        if not k:
            return None
        i = self.rng.choice(k)
        j = block_end(lines, i)
        block = lines[i:j]
        if block[0].lstrip().startswith("- "):  # a list item: duplicate the item's first key instead
            block = [block[0].replace("- ", "  ", 1)]
        desc = f"line {i + 1}: duplicate '{lines[i].strip()[:50]}'"
        return desc, lines[:j] + block + lines[j:], {}

    def m_alias(self, lines):
        """Anchors and aliases: alias a whole top-level block elsewhere, an undefined alias, a merge key, or a
        small exponential alias tree."""
        r = self.rng
        tops = [i for i, l in enumerate(lines) if re.match(r"^[A-Za-z_]\w*:\s*$", l)]
        kind = r.choice(["swap", "undefined", "merge", "laughs", "scalar"])
        lines = list(lines)
        if kind == "swap" and len(tops) >= 2:
            a, b = r.sample(tops, 2)
            lines[a] = lines[a].rstrip() + " &blk"
            j = block_end(lines, b)
            name = lines[b].split(":")[0]
            lines = lines[:b] + [f"{name}: *blk"] + lines[j:] if b > a else lines
            if b < a:  # an alias before its anchor
                j = block_end(lines, b)
                lines = lines[:b] + [f"{name}: *blk"] + lines[j:]
            return f"top-level '{name}' replaced by an alias of line {a + 1}", lines, {}
        if kind == "merge" and tops:
            a = r.choice(tops)
            lines[a] = lines[a].rstrip() + " &m"
            lines.append("extra_merged:")
            lines.append("  <<: *m")
            return f"anchor on line {a + 1}, merged into a new top-level key", lines, {}
        if kind == "laughs":
            depth, width = r.choice([(4, 8), (6, 6), (8, 5)])
            lines.append("lol0: &l0 [x, x, x, x]")
            for d in range(1, depth):
                lines.append(f"lol{d}: &l{d} [" + ", ".join([f"*l{d - 1}"] * width) + "]")
            return f"alias expansion tree {width}^{depth}", lines, {}
        s = slots(lines)
        if not s:
            return None
        i, a, b, key, old = r.choice(s)
        if kind == "scalar":
            i2, a2, b2, key2, old2 = r.choice(s)
            lines[i] = lines[i][:a] + "&sc " + old + lines[i][b:]
            if i2 == i:
                return None
            lines[i2] = lines[i2][:a2] + "*sc" + lines[i2][b2:]
            return f"line {i2 + 1}: {key2} aliased to line {i + 1} ({key}: {old})", lines, {}
        lines[i] = lines[i][:a] + "*nowhere" + lines[i][b:]
        return f"line {i + 1}: {key}: undefined alias *nowhere", lines, {}

    def m_catalog(self, lines):
        """An inline `catalog:` override of one field of an entry the experiment uses (calibration by_gpu too)."""
        if any(l.startswith("catalog") for l in lines):
            return None
        r = self.rng
        text = "\n".join(lines)
        sections = sorted(self.catalog["fields"])  # the accelerator and calibration feed the models most directly
        section = r.choice(["accelerators", "calibration"] * len(sections) + sections)
        if section == "calibration":
            const = r.choice(self.catalog["calibration"])
            gpus = [g for g in self.catalog["accelerators"] if g in text] or ["H100-SXM"]
            val = r.choice(["0", "-1", "7", "1e300", ".nan", ".inf", "abc", "1e-300", "-0.5"])
            if "by_gpu" in self.catalog["calibration_fields"].get(const, []) and r.random() < 0.7:
                body = f"{{calibration: {{{const}: {{by_gpu: {{{r.choice(gpus)}: {val}}}}}}}}}"
            else:
                body = f"{{calibration: {{{const}: {{value: {val}}}}}}}"
            return f"catalog: {body}", lines + [f"catalog: {body}"], {}
        used = [n for n in self.catalog[section] if re.search(r"\b" + re.escape(n) + r"\b", text)]
        name = r.choice(used or self.catalog[section])
        field = r.choice(self.catalog["fields"][section])
        old = self.catalog["values"].get((section, name, field), "1")
        m = NUMBER_WITH_UNIT.match(str(old).strip())
        new = (r.choice(UNIT_PREFIXES) + m.group(2)) if m and m.group(2) else self.pick_value(str(old))
        body = f"{{{section}: {{{name}: {{{field}: {new}}}}}}}"
        return f"catalog: {body}", lines + [f"catalog: {body}"], {}

    def m_trace(self, lines):
        """Replace the arrivals of the first inference service by a trace file with hostile rows."""
        idx = [i for i, l in enumerate(lines) if re.match(r"^\s*arrivals:", l)]
        if not idx:
            return None
        r = self.rng
        i = idx[0]
        indent = " " * (len(lines[i]) - len(lines[i].lstrip()))
        j = block_end(lines, i)
        rows = {
            "equal-timestamps": ["2023-11-16 18:15:46.0,100,10"] * 5,
            "decreasing": [f"2023-11-16 18:15:{50 - k:02d}.0,100,10" for k in range(5)],
            "huge-tokens": ["2023-11-16 18:15:46.0,1e300,10", "2023-11-16 18:15:47.0,100000000000000000,1e17"],
            "negative-tokens": ["2023-11-16 18:15:46.0,-5,10", "2023-11-16 18:15:47.0,100,-1"],
            "nan": ["nan,100,10", "2023-11-16 18:15:47.0,nan,10"],
            "header-only": [],
            "empty": None,
            "garbage": ["\x00\x01,\udcff", "a,b,c,d,e"],
            "far-future": ["9999-12-31 23:59:59.0,100,10", "2023-11-16 18:15:47.0,100,10"],
        }
        kind = r.choice(sorted(rows))
        content = "" if rows[kind] is None else "\n".join(["TIMESTAMP,ContextTokens,GeneratedTokens"] + rows[kind]) + "\n"
        new = [f"{indent}arrivals: {{kind: trace, trace: hostile.csv, scale: {r.choice(['1', '1e6', '0.001'])}}}"]
        return f"line {i + 1}: arrivals from a {kind} trace", lines[:i] + new + lines[j:], {"hostile.csv": content}

    def m_structure(self, lines):
        r = self.rng
        kind = r.choice(["empty", "list-root", "scalar-root", "tab", "truncate", "deep", "bytes", "long-key"])
        if kind == "empty":
            return "empty file", [], {}
        if kind == "list-root":
            return "root is a list", ["- " + l if i == 0 else "  " + l for i, l in enumerate(lines)], {}
        if kind == "scalar-root":
            return "root is a scalar", ["42"], {}
        if kind == "tab":
            k = key_lines(lines)
            i = r.choice(k)
            lines = list(lines)
            lines[i] = "\t" + lines[i]
            return f"line {i + 1}: indented with a tab", lines, {}
        if kind == "truncate":
            n = r.randrange(1, max(2, len(lines)))
            return f"truncated after line {n}", lines[:n] + [lines[n][: len(lines[n]) // 2]] if n < len(lines) else lines[:n], {}
        if kind == "deep":
            return "nesting 5000 deep", lines + ["deep: " + "[" * 5000 + "]" * 5000], {}
        if kind == "bytes":
            return "invalid UTF-8 in a value", lines + ["name2: \udcff\udcfe"], {}
        return "100 kB key", lines + ["k" * 100000 + ": 1"], {}

    KINDS = ["m_value", "m_value", "m_value", "m_catalog", "m_catalog", "m_delete_key", "m_duplicate_key",
             "m_alias", "m_trace", "m_structure"]


def load_catalog(src, bin_path):
    cat = {"fields": {}, "values": {}, "calibration": [], "calibration_fields": {}}
    for sec in ["accelerators", "servers", "pcie", "engines", "nics", "switches", "transceivers", "models"]:
        cat[sec] = []
    keys = subprocess.run([bin_path, "describe", "keys"], capture_output=True, text=True).stdout.split("\n")
    for line in keys:
        k = line.split(" ")[0]
        m = re.match(r"^catalog\.(\w+)\.<name>\.(\w+)$", k)
        if m and m.group(2) != "source":
            cat["fields"].setdefault(m.group(1), []).append(m.group(2))
        m = re.match(r"^catalog\.calibration\.(\w+)\.(\w+)$", k)
        if m:
            cat["calibration_fields"].setdefault(m.group(1), []).append(m.group(2))
    for sec in cat["fields"]:  # every named-entries section the binary declares (failure_classes, ...)
        cat.setdefault(sec, [])
    cat["calibration"] = sorted(cat["calibration_fields"])
    if cat["calibration"]:
        cat["fields"]["calibration"] = ["value"]
    for f in sorted(os.listdir(os.path.join(src, "data", "catalog"))):
        if not f.endswith(".yaml"):
            continue
        with open(os.path.join(src, "data", "catalog", f)) as fh:
            doc = yaml.safe_load(fh) or {}
        for sec, entries in doc.items():
            if sec in cat and isinstance(entries, dict) and sec != "calibration":
                for name, fields in entries.items():
                    cat[sec].append(name)
                    if isinstance(fields, dict):
                        for fk, fv in fields.items():
                            cat["values"][(sec, name, fk)] = fv
    return cat


def make_cases(src, bin_path, count, seed):
    bases = sorted([os.path.join("experiments", f) for f in os.listdir(os.path.join(src, "experiments"))
                    if f.endswith(".yaml")] +
                   [os.path.join("tests", "e2e", "data", f) for f in os.listdir(os.path.join(src, "tests", "e2e", "data"))
                    if f.endswith(".yaml")])
    texts = {b: open(os.path.join(src, b)).read().split("\n") for b in bases}
    rng = random.Random(seed)
    mut = Mutator(rng, src, load_catalog(src, bin_path))
    cases = []
    n = 0
    while len(cases) < count and n < count * 20:
        kind = Mutator.KINDS[n % len(Mutator.KINDS)]
        n += 1
        base = rng.choice(bases)
        got = getattr(mut, kind)(texts[base])
        if got is None:
            continue
        desc, lines, extra = got
        cases.append({"id": len(cases), "base": base, "kind": kind[2:], "desc": desc,
                      "text": "\n".join(lines), "extra": extra})
    return cases


def limit_address_space():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_LIMIT_B, ADDRESS_LIMIT_B))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def sanitized(bin_path):
    out = subprocess.run(["ldd", bin_path], capture_output=True, text=True).stdout
    return "libasan" in out


def invoke(args, timeout, limit):
    start = time.time()
    try:
        p = subprocess.run(args, capture_output=True, timeout=timeout, preexec_fn=limit_address_space if limit else None)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), time.time() - start
    except subprocess.TimeoutExpired as e:
        err = (e.stderr or b"").decode(errors="replace")
        return "timeout", "", err, time.time() - start


def unlocated_errors(stderr):
    lines = [l for l in stderr.split("\n") if re.search(r"\berror:", l)]
    if not lines:
        return ["(no 'error:' line at all)"]
    return [l for l in lines if not LOCATED.match(l)]


def describe_rc(rc):
    if rc == "timeout":
        return "timeout"
    if isinstance(rc, int) and rc < 0:
        return f"signal {-rc}"
    if rc > 128:
        return f"exit {rc} (signal {rc - 128}?)"
    return f"exit {rc}"


def check_step(step, rc, out, err, path, results):
    """Problems with one invocation (empty list if it behaved)."""
    problems = []
    if rc == "timeout" or not isinstance(rc, int) or rc not in (0, 1, 2):
        tail = " | ".join([l for l in err.strip().split("\n") if l.strip()][-3:])[:300]
        problems.append(f"{step}: {describe_rc(rc)}: {tail}")
        return problems
    if rc == 1 and "bad_alloc" in err:  # a hang or a missing size guard, stopped by the address-space limit
        problems.append(f"{step}: exit 1, out of memory under the {ADDRESS_LIMIT_B >> 30} GiB address-space limit")
    if rc == 2:
        bad = unlocated_errors(err)
        if bad:
            problems.append(f"{step}: exit 2 without location: {bad[0][:200]}")
    if results is not None:
        leftovers = [f for f in os.listdir(os.path.dirname(results)) if f.startswith(os.path.basename(results))]
        if rc != 0 and leftovers:
            problems.append(f"{step}: exit {rc} but left {', '.join(leftovers)}")
        if rc == 0:
            problems += check_results(step, results)
    return problems


def check_results(step, path):
    try:
        import h5py
    except ImportError:
        return []
    if not os.path.exists(path):
        return [f"{step}: exit 0 but no results file"]
    try:
        with h5py.File(path, "r") as f:
            bad = []
            for k in f["summary"]:
                v = f["summary"][k][()]
                try:  # NaN marks "not available" (no step finished, no token served); inf or < 0 is wrong
                    if math.isinf(float(v)) or float(v) < 0:
                        bad.append(f"{k}={v}")
                except (TypeError, ValueError):
                    pass
            if "jobs" in f and "mfu" in f["jobs"]:
                for v in f["jobs"]["mfu"][()]:
                    if math.isinf(float(v)) or float(v) > 1 or float(v) < 0:  # NaN: no step finished
                        bad.append(f"jobs.mfu={v}")
            if bad:
                return [f"{step}: exit 0 with non-finite or impossible results: {', '.join(bad[:4])}"]
    except Exception as e:  # noqa: BLE001 - an unreadable results file is a finding
        return [f"{step}: exit 0 but results unreadable: {e}"]
    return []


def run_case(case, bin_path, work, limit):
    d = os.path.join(work, f"case-{case['id']:04d}")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, "exp.yaml")
    with open(f, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write(case["text"])
    for name, content in case["extra"].items():
        with open(os.path.join(d, name), "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write(content)
    res = {"case": case, "steps": [], "problems": [], "outcome": None}
    rc, out, err, t = invoke([bin_path, "validate", f], VALIDATE_TIMEOUT_S, limit)
    res["steps"].append(("validate", rc, round(t, 2)))
    res["problems"] += check_step("validate", rc, out, err, f, None)
    res["outcome"] = f"validate {describe_rc(rc)}"
    if rc == 1:
        res["exit1"] = " | ".join(l for l in err.strip().split("\n")[:2])[:200]
    if rc == 0 and not VALIDATE_ONLY.search(case["base"]):
        results = os.path.join(d, "out.h5")
        args = [bin_path, "run", f, "-o", results, "--set", f"duration={RUN_DURATION}", "--no-progress", "-q"]
        rc2, out2, err2, t2 = invoke(args, RUN_TIMEOUT_S, limit)
        res["steps"].append(("run", rc2, round(t2, 2)))
        res["problems"] += check_step("run", rc2, out2, err2, f, results)
        res["outcome"] = f"run {describe_rc(rc2)}"
        if rc2 == 1:
            res["exit1"] = " | ".join(l for l in err2.strip().split("\n")[:2])[:200]
        if rc2 == 2:
            rc3, _, _, _ = invoke([bin_path, "validate", f, "--set", f"duration={RUN_DURATION}"], VALIDATE_TIMEOUT_S,
                                  limit)
            if rc3 == 0:
                msg = [l for l in err2.split("\n") if "error" in l][:1]
                res["problems"].append(f"run: exit 2 on what validate accepts: {msg[0][:200] if msg else ''}")
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("src")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--findings", help="also write the failing cases to this file")
    ap.add_argument("--keep", help="keep the case folders here (default: a temporary folder, removed)")
    ap.add_argument("--only", help="run only cases whose id matches this regex")
    a = ap.parse_args()
    bin_path = os.path.abspath(a.bin)
    limit = not sanitized(bin_path)  # ASan reserves terabytes of shadow memory: no address-space limit then
    start = time.time()
    cases = make_cases(a.src, bin_path, a.count, a.seed)
    if a.only:
        cases = [c for c in cases if re.fullmatch(a.only, str(c["id"]))]
    work = a.keep or tempfile.mkdtemp(prefix="clustersim-fuzz.")
    os.makedirs(work, exist_ok=True)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as ex:
            results = list(ex.map(lambda c: run_case(c, bin_path, work, limit), cases))
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    outcomes, kinds, failing, exit1 = {}, {}, [], {}
    for r in results:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
        k = kinds.setdefault(r["case"]["kind"], [0, 0])
        k[0] += 1
        if r["problems"]:
            k[1] += 1
            failing.append(r)
        if "exit1" in r:
            exit1[r["exit1"]] = exit1.get(r["exit1"], 0) + 1
    lines = [f"fuzz_mutations: seed {a.seed}, {len(results)} cases tried, {len(failing)} failing, "
             f"{time.time() - start:.0f} s (binary {'sanitized' if not limit else 'plain'})",
             "by outcome: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())),
             "by mutation (tried/failing): " + ", ".join(f"{k}: {v[0]}/{v[1]}" for k, v in sorted(kinds.items()))]
    if exit1:
        lines.append("exit 1 (simulation failure) messages, allowed but worth a look:")
        lines += [f"  {n} x {m}" for m, n in sorted(exit1.items(), key=lambda x: -x[1])]
    lines.append("failing cases (reproduce: --seed S --count N --only ID --keep DIR):")
    for r in failing:
        c = r["case"]
        steps = ", ".join(f"{s} {describe_rc(rc)} {t}s" for s, rc, t in r["steps"])
        lines.append(f"  #{c['id']} [{c['kind']}] {c['base']}: {c['desc'][:160]}")
        lines.append(f"      observed: {steps}")
        for p in r["problems"]:
            lines.append(f"      - {p}")
    print("\n".join(lines))
    if a.findings:
        with open(a.findings, "w") as fh:
            fh.write("\n".join(lines) + "\n")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
