#!/usr/bin/env bash
# `cmake --install` to a prefix, then the installed binary runs the quickstart from another directory with its
# own data (share/clustersim/data), finds the validation anchors there, and says so in --version; a data directory
# without catalog/ is refused with exit 2. $3 = the build directory.
source "$(dirname "$0")/lib.sh"
BUILD="$3"
PREFIX="$WORK/prefix"
cmake --install "$BUILD" --prefix "$PREFIX" > "$WORK/install.log" 2>&1 || { cat "$WORK/install.log" >&2; fail "install"; }
IBIN="$PREFIX/bin/clustersim"
[ -x "$IBIN" ] || fail "no installed binary"
for f in share/clustersim/data/catalog/accelerators.yaml share/clustersim/experiments/quickstart.yaml \
         share/clustersim/python/clustersim_results.py share/clustersim/python/clustersim_report.py \
         share/bash-completion/completions/clustersim \
         share/doc/clustersim/README.md share/doc/clustersim/CHANGELOG.md; do
  [ -f "$PREFIX/$f" ] || fail "not installed: $f"
done
mkdir -p "$WORK/elsewhere" && cd "$WORK/elsewhere"
expect_exit 0 "$IBIN" --version
grep -q "^data $PREFIX/share/clustersim/data (the installation)$" "$WORK/out.txt" || { cat "$WORK/out.txt"; fail "data dir"; }
grep -Eq '^SimGrid 3\.[0-9]+\.[0-9]+ \(linked' "$WORK/out.txt" || fail "SimGrid version"
expect_exit 0 "$IBIN" run "$PREFIX/share/clustersim/experiments/quickstart.yaml" -o quick.h5 -q
[ -f quick.h5 ] || fail "no results file"
"$PY" -c "import h5py,sys; f=h5py.File('quick.h5'); sys.exit(0 if len(f['jobs']['name']) > 0 else 1)" || fail "results"
expect_exit 0 "$IBIN" report quick.h5 -o quick.html
grep -q "<h2>Power over time</h2>" quick.html || fail "report from the installation"
expect_exit 0 "$IBIN" validate-models --only T1 -j 1
grep -q "^T1 " "$WORK/out.txt" || fail "validate-models from the installation"
mkdir -p "$WORK/nodata"
CLUSTERSIM_DATA_DIR="$WORK/nodata" expect_exit 2 "$IBIN" validate "$PREFIX/share/clustersim/experiments/quickstart.yaml"
grep -q "has no catalog/ folder" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "missing catalog message"; }
# Bash completion: the script loads and completes subcommands.
bash -c "source '$PREFIX/share/bash-completion/completions/clustersim'; COMP_WORDS=(clustersim val); COMP_CWORD=1; _clustersim; printf '%s\n' \"\${COMPREPLY[@]}\"" > "$WORK/comp.txt" 2>&1
grep -qx "validate" "$WORK/comp.txt" && grep -qx "validate-models" "$WORK/comp.txt" || { cat "$WORK/comp.txt"; fail "completion"; }
echo "PASS install"
