#!/usr/bin/env bash
# The report rendered in a browser (issue 16; slow): Debian's chromium, headless, screenshots the page of a run; the
# screenshot must not be blank (more than 2 % of its pixels not white, and more than 10 distinct colours). Exits 77
# (skipped) when chromium is not installed: `apt-get install chromium` (not part of scripts/setup.sh: 300 MB).
source "$(dirname "$0")/lib.sh"
command -v chromium >/dev/null || { echo "SKIP: chromium is not installed"; exit 77; }
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/run.h5" --no-progress -q
expect_exit 0 "$BIN" report "$WORK/run.h5" -o "$WORK/run.html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2400 \
  --screenshot="$WORK/shot.png" "file://$WORK/run.html" >/dev/null 2>&1 || true
[ -s "$WORK/shot.png" ] || fail "chromium wrote no screenshot"
"$PY" - "$WORK/shot.png" <<'PY'
import sys
import matplotlib.image as mpimg
import numpy as np
img = mpimg.imread(sys.argv[1])[..., :3]
not_white = float((img.sum(axis=2) < 2.9).mean())
colours = len(np.unique((img * 255).astype(np.uint8).reshape(-1, 3), axis=0))
print(f"screenshot {img.shape[1]}x{img.shape[0]}: {not_white:.1%} of the pixels not white, {colours} colours")
assert not_white > 0.02 and colours > 10, (not_white, colours)
PY
echo "PASS report_render"
