#!/bin/bash
# Loupe vs DJL-TorchScript vs PyTorch eager on ResNet-50 and ViT-B/16 at 224x224, batch 1 and 16,
# forward and forward+input-gradient, the same thread count and allocator settings everywhere.
# Writes bench/out/results.jsonl and prints the table with ratios (bench/report.py). Needs the
# product (./loupe builds it) and Debian's python3-torch + python3-torchvision + libopenblas0-pthread.
#   bench/run.sh [THREADS] [ROUNDS] [ITERATIONS_BATCH1] [ITERATIONS_BATCH16]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
ROUNDS="${2:-2}"
ITER1="${3:-20}"
ITER16="${4:-3}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
LOUPE="$ROOT/loupe"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
# the allocator settings the loupe start script uses, for the PyTorch process too (see README.md)
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_threshold=33554432}"

[ -f "$OUT/models/vit_b_16.pt" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
"$LOUPE" list >/dev/null   # build the product if needed

RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
loupe_bench() { # ENGINE MODEL_FILE BATCH MODE ITERATIONS [CACHE]
  local warmup=3
  [ "$3" -gt 1 ] && warmup=1
  # a configuration that fails is reported and the run goes on
  "$LOUPE" bench --model "$2" --batch "$3" --mode "$4" --warmup "$warmup" --iterations "$5" ${6:+--cache $6} \
    | sed "s/^{/{\"engine\": \"$1\", \"round\": $round, /" >> "$RESULTS" \
    || echo "bench: $1 $2 batch $3 $4 ${6:-} failed" >&2
}
# rounds interleave the engines, so a slow spell of the machine does not land on one of them;
# every configuration runs in its own process, so peak memory (VmHWM) belongs to it
for round in $(seq 1 "$ROUNDS"); do
  for m in resnet50 vit_b_16; do
    for batch in 1 16; do
      iter=$ITER1
      [ "$batch" -gt 1 ] && iter=$ITER16
      for mode in forward grad; do
        loupe_bench loupe "$OUT/models/$m.safetensors" "$batch" "$mode" "$iter" none
        loupe_bench loupe "$OUT/models/$m.safetensors" "$batch" "$mode" "$iter" all
        loupe_bench djl-torchscript "$OUT/models/$m.pt" "$batch" "$mode" "$iter"
      done
      /usr/bin/python3 "$ROOT/bench/pytorch_bench.py" "$m" "$batch" "$iter" "$THREADS" \
        | sed "s/^{/{\"round\": $round, /" >> "$RESULTS"
    done
  done
done
/usr/bin/python3 "$ROOT/bench/report.py" "$RESULTS"
