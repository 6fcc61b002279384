#!/usr/bin/env bash
# Installs what the slow SLURM test (tests/e2e/slurm_sweep.sh, label slow) needs: Debian's slurm-wlm and munge.
# Not part of scripts/setup.sh: the default build and tests do not need them.
set -euo pipefail
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends slurm-wlm munge
