#!/bin/bash
# Backward passes: ResNet-50 forward + gradient of the outputs' sum with respect to the input, at
# batch 1 and 16, Loupe vs DJL-TorchScript (one process, taking turns) vs PyTorch eager (Debian's
# torch, its own process), the same thread count and allocator settings everywhere; rounds repeat
# all three in new processes. Writes bench/out/backward.jsonl and prints the table (report.py).
# Needs the product (./loupe builds it) and Debian's python3-torch + python3-torchvision.
#   bench/backward.sh [THREADS] [ROUNDS] [ITERATIONS_BATCH1] [ITERATIONS_BATCH16]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
ROUNDS="${2:-3}"
ITER1="${3:-20}"
ITER16="${4:-5}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
LOUPE="$ROOT/loupe"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"

[ -f "$OUT/models/resnet50.pt" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
"$LOUPE" list >/dev/null   # build the product if needed

RESULTS="$OUT/backward.jsonl"
: > "$RESULTS"
engines='s/^{"role": "model", /{"engine": "loupe", "round": ROUND, /; s/^{"role": "anchor", /{"engine": "djl-torchscript", "round": ROUND, /'
for round in $(seq 1 "$ROUNDS"); do
  for batch in 1 16; do
    iter=$ITER1 warmup=10
    [ "$batch" -gt 1 ] && iter=$ITER16 warmup=1
    "$LOUPE" bench --model "$OUT/models/resnet50.safetensors" --anchor "$OUT/models/resnet50.pt" --cache none --batch "$batch" \
        --mode grad --warmup "$warmup" --iterations "$iter" | sed "${engines//ROUND/$round}" >> "$RESULTS" \
      || echo "bench: resnet50 batch $batch failed" >&2
    /usr/bin/python3 "$ROOT/bench/pytorch_bench.py" resnet50 "$batch" "$iter" "$THREADS" \
      | grep '"forward+grad"' | sed "s/^{/{\"round\": $round, /" >> "$RESULTS"
  done
done
/usr/bin/python3 "$ROOT/bench/report.py" "$RESULTS"
