#!/usr/bin/env python3
"""Fails on an #include that crosses a layer upwards (or sideways where not allowed).

Layers, lowest first; each may include itself and the layers it lists (transitively):
  common      units, diagnostics, statistics: nothing of ours
  spec        typed catalog records, experiment specs and their enums
  models      physics (compute, training, inference, power)        <- spec
  topologies  fabric graphs and their SimGrid platforms             <- spec
  input       file readers (traces, length quantiles)               <- spec
  config      YAML -> spec: schema, loader, cross-field rules       <- input
  setup       spec -> model parameters, physical checks             <- config, models, topologies
  results     result rows and their column tables                   <- common
  collectives SimGrid collectives                                   <- common
  engine      the SimGrid simulation                                <- setup, results, collectives
  output      HDF5 writer/reader, terminal summary                  <- results
  app         CLI, sweeps, validation, benchmarks                   <- engine, output
Usage: scripts/check_layers.py [REPO]   (exit 1 and one line per crossing)
"""
import os, re, sys

LAYERS = {  # layer: (path prefixes, direct dependencies)
    'common': (['common/'], []),
    'spec': (['spec/'], ['common']),
    'models': (['models/'], ['spec']),
    'topologies': (['topologies/'], ['spec']),
    'input': (['sim/input/'], ['spec']),
    'config': (['sim/config/'], ['input']),
    'setup': (['sim/setup/'], ['config', 'models', 'topologies']),
    'results': (['sim/results/'], ['common']),
    'collectives': (['sim/collectives/'], ['common']),
    'engine': (['sim/engine/'], ['setup', 'results', 'collectives']),
    'output': (['sim/output/'], ['results']),
    'app': (['sim/cli/', 'sim/sweep/', 'sim/validation/', 'sim/bench/'], ['engine', 'output']),
}


def layer_of(path):
    for name, (prefixes, _) in LAYERS.items():
        if any(path.startswith(p) for p in prefixes):
            return name
    return None


def allowed(name, seen=None):
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    for dep in LAYERS[name][1]:
        allowed(dep, seen)
    return seen


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    include = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
    bad = 0
    checked = 0
    for top in ['common', 'spec', 'models', 'topologies', 'sim']:
        for root, _, files in os.walk(os.path.join(repo, top)):
            for f in sorted(files):
                if not f.endswith(('.hpp', '.cpp', '.hpp.in')):
                    continue
                rel = os.path.relpath(os.path.join(root, f), repo)
                src = layer_of(rel)
                if src is None:
                    print(f'{rel}: not in any layer (add its folder to scripts/check_layers.py)')
                    bad += 1
                    continue
                ok = allowed(src)
                with open(os.path.join(root, f), encoding='utf-8') as fh:
                    for lineno, line in enumerate(fh, 1):
                        m = include.match(line)
                        if not m:
                            continue
                        dst = layer_of(m.group(1))
                        if dst is None:
                            continue  # a system or generated header
                        checked += 1
                        if dst not in ok:
                            print(f'{rel}:{lineno}: layer {src} includes "{m.group(1)}" of layer {dst} '
                                  f'(allowed: {", ".join(sorted(ok))})')
                            bad += 1
    print(f'check_layers: {checked} includes checked, {bad} crossing{"s" if bad != 1 else ""}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
