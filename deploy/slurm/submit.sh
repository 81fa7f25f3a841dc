#!/bin/bash
# Submits the shard array, then the merge to run after all of it succeeded.
#   CONFIG=my-config.yaml ROWS=1000000 OUT=/shared/run ./submit.sh
set -euo pipefail
here=$(dirname "$0")
array=$(sbatch --parsable --export=ALL "$here/generate.sbatch")
sbatch --dependency="afterok:${array}" --export=ALL "$here/merge.sbatch"
