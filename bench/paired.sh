#!/bin/bash
# Loupe vs PyTorch eager, paired: the two processes take turns pass by pass (bench/paired.py), so
# the ratio of each pair is measured under the same machine conditions. ResNet-50 by default,
# forward+gradient at batch 1 and 16. Writes bench/out/paired.jsonl.
#   bench/paired.sh [THREADS] [PAIRS_BATCH1] [PAIRS_BATCH16]
# Subsets: BENCH_MODELS (default "resnet50"), BENCH_MODES (default "grad"; also "forward").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
# the allocator settings of the loupe start script, for the PyTorch process too (see README.md)
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
[ -f "$OUT/models/vit_b_16.pt" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
"$ROOT/loupe" list >/dev/null   # build the product if needed
RESULTS="$OUT/paired.jsonl"
: > "$RESULTS"
for m in ${BENCH_MODELS:-resnet50}; do
  for mode in ${BENCH_MODES:-grad}; do
    /usr/bin/python3 "$ROOT/bench/paired.py" "$ROOT/loupe" "$OUT/models" "$m" 1 "$mode" 10 "${2:-60}" "$THREADS" | tee -a "$RESULTS"
    /usr/bin/python3 "$ROOT/bench/paired.py" "$ROOT/loupe" "$OUT/models" "$m" 16 "$mode" 2 "${3:-16}" "$THREADS" | tee -a "$RESULTS"
  done
done
