#!/usr/bin/env bash
# CF conventions of the results (issue 16): a run file and a merged sweep file say Conventions = CF-1.10; every
# `units` attribute in them parses with UDUNITS-2 (Debian's udunits2, package udunits-bin, installed by
# scripts/setup.sh), text columns carry none, a unit that UDUNITS spells otherwise keeps the declared spelling as
# `clustersim_units` (token/s -> count/s); the tables' names are coordinates for xarray.
source "$(dirname "$0")/lib.sh"
command -v udunits2 >/dev/null || fail "udunits2 is missing: apt-get install udunits-bin (scripts/setup.sh does)"
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/run.h5" --no-progress -q
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw" -j 2
for f in "$WORK/run.h5" "$WORK/sw/sweep.h5"; do
  "$PY" - "$f" > "$WORK/units.txt" <<'PY'
import sys, h5py
units = set()
with h5py.File(sys.argv[1]) as f:
    conv = f.attrs["Conventions"]
    assert (conv.decode() if isinstance(conv, bytes) else conv) == "CF-1.10", conv
    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        text = h5py.check_string_dtype(obj.dtype) is not None
        assert not (text and "units" in obj.attrs), f"{name}: text with units"
        assert text or "units" in obj.attrs, f"{name}: no units"
        if "units" in obj.attrs:
            u = obj.attrs["units"]
            units.add(u.decode() if isinstance(u, bytes) else u)
    f.visititems(visit)
print("\n".join(sorted(units)))
PY
  n=0
  while IFS= read -r u; do
    udunits2 -H "$u" -W "" >/dev/null 2>&1 || fail "$f: units '$u' is not UDUNITS-2"
    n=$((n + 1))
  done < "$WORK/units.txt"
  [ "$n" -ge 8 ] || fail "$f: only $n distinct units"
  echo "$(basename "$f"): $n distinct units, all UDUNITS-2: $(tr '\n' ' ' < "$WORK/units.txt")"
done
"$PY" - "$WORK/run.h5" <<'PY'
import sys, h5py, xarray as xr
with h5py.File(sys.argv[1]) as f:
    tps = f["jobs"]["tokens_per_s"].attrs
    assert tps["units"] == "count/s" and tps["clustersim_units"] == "token/s", dict(tps)
jobs = xr.open_dataset(sys.argv[1], group="jobs", engine="h5netcdf")
assert "name" in jobs.coords, jobs
services = xr.open_dataset(sys.argv[1], group="services", engine="h5netcdf")
assert "name" in services.coords, services
PY
echo "PASS units"
