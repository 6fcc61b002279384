#!/usr/bin/env bash
# Cross-validation of the shipped anchors (issue 15) and the uncertainty bands it gives the runs.
# 1. validate-models --cross-validate over the T, I and P anchors: each dense anchor of a fit group left out, the
#    group's constants refitted on the other dense ones, the anchor rerun; MoE and long-context anchors predicted
#    with the constants fitted on all dense ones. Measured over 118 anchors in 11 groups: median 7.8 %, max 105 %
#    (I32, DeepSeek-R1 on GB200 NVL72: MoE serving); bounded at median <= 9 %, max <= 160 % so that a regression
#    fails (the issue's targets are far below: see the closing note of issue 15).
# 2. The bands it writes equal the shipped data/validation/bands.yaml (to 0.002): the file is generated, not typed.
# 3. A run carries them: small.yaml's H100 BF16 dense training job gets the h100-bf16-gemm dense band; its
#    TensorRT-LLM BF16 service has no anchor of its class and gets the widest dense serving band, marked
#    extrapolated.
source "$(dirname "$0")/lib.sh"
cd "$SRC"
expect_exit 0 "$BIN" validate-models --only 'T*,I*,P*' --cross-validate --max-cv-median 9 --max-cv-error 160 -j 2 \
  --write-bands "$WORK/bands.yaml"
grep -Eq '^all fit groups: cross-validated median \|error\| [0-9.]+%, max [0-9.]+% over 118 anchors' "$WORK/out.txt" ||
  fail "cross-validation summary over 118 anchors"
"$PY" - "$WORK/bands.yaml" "$SRC/data/validation/bands.yaml" <<'PYEOF' || fail "bands.yaml is not what validate-models writes"
import sys, yaml
fresh, shipped = (yaml.safe_load(open(p))["bands"] for p in sys.argv[1:3])
assert [(b["group"], b["kind"]) for b in fresh] == [(b["group"], b["kind"]) for b in shipped], "groups differ"
for f, s in zip(fresh, shipped):
    assert abs(f["relative"] - s["relative"]) <= 0.002, (f, s)
    assert {k: f[k] for k in f if k != "relative"} == {k: s[k] for k in s if k != "relative"}, (f, s)
PYEOF
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/small.h5" --no-progress
grep -Eq 'IT mean .* ±[0-9]+%' "$WORK/out.txt" || fail "IT power band in the summary"
"$PY" - "$WORK/small.h5" "$SRC/data/validation/bands.yaml" <<'PYEOF' || fail "bands in the results file"
import sys, h5py, math, yaml
f = h5py.File(sys.argv[1], "r")
shipped = yaml.safe_load(open(sys.argv[2]))["bands"]
bands = {(b["group"], b["kind"]): b["relative"] for b in shipped}
job_band = f["jobs/step_time_uncertainty"][0]
assert abs(job_band - bands[("h100-bf16-gemm", "dense")]) < 1e-12, job_band
assert f["jobs/uncertainty_basis"][0].decode() == "h100-bf16-gemm"
widest = max(b["relative"] for b in shipped if b["quantity"] == "serving_throughput" and b["kind"] == "dense")
assert abs(f["services/output_tokens_per_s_uncertainty"][0] - widest) < 1e-12
assert f["services/uncertainty_basis"][0].decode().startswith("extrapolated from ")
assert abs(f["summary/it_power_uncertainty"][()] - bands[("hgx-h100-node-power", "dense")]) < 1e-12
assert f["jobs/step_time_uncertainty"].attrs["units"] in (b"1", "1")
PYEOF
echo "PASS validate_cross"
