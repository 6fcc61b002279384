#!/usr/bin/env bash
# clustersim report (issue 16): one self-contained HTML page from a run file and from a sweep.
# - a run: exit 0, the sections (summary, power, step time, latency, queues, tables), its figures embedded as PNG data
#   and nothing fetched from elsewhere (no http(s) src or href);
# - a sweep directory: its metrics plotted against the numeric axis (fabric.link) and the runs table;
# - bad input (no such file, not HDF5, a missing output folder): exit 2 with a message and no page left behind.
# The page rendered in a browser: e2e.report_render (slow).
source "$(dirname "$0")/lib.sh"
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/run.h5" --no-progress -q
expect_exit 0 "$BIN" report "$WORK/run.h5" -o "$WORK/run.html"
page="$WORK/run.html"
for h in "Summary" "Power over time" "Training: step time" "Inference: latency" "Utilisation and queues over time" \
         "Training jobs" "Inference services"; do
  grep -q "<h2>$h</h2>" "$page" || fail "report section '$h'"
done
n=$(grep -o 'src="data:image/png;base64,' "$page" | wc -l)
[ "$n" -ge 4 ] || fail "report: $n embedded figures, expected at least 4"
! grep -Eq '(src|href)="(https?:)?//' "$page" || fail "report: refers to another resource"
grep -q ">facility_power_mean<" "$page" || fail "report: summary metric names"
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw" -j 2
expect_exit 0 "$BIN" report "$WORK/sw" -o "$WORK/sweep.html"
grep -q "<h2>Against fabric.link</h2>" "$WORK/sweep.html" || fail "sweep report: axis section"
grep -q "<h2>Runs</h2>" "$WORK/sweep.html" || fail "sweep report: runs table"
grep -q 'src="data:image/png;base64,' "$WORK/sweep.html" || fail "sweep report: figure"
expect_exit 2 "$BIN" report "$WORK/none.h5" -o "$WORK/x.html"
grep -q "no such results file" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "missing input message"; }
expect_exit 2 "$BIN" report "$SMALL" -o "$WORK/x.html"
grep -q "not an HDF5 results file" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "not-HDF5 message"; }
expect_exit 2 "$BIN" report "$WORK/run.h5" -o "$WORK/no/such/dir/x.html"
[ ! -e "$WORK/x.html" ] || fail "a page was written for bad input"
[ -z "$(ls -A "$WORK" | grep '^\.report-')" ] || fail "a temporary page was left behind"
echo "PASS report"
