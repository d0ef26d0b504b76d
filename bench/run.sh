#!/bin/bash
# Loupe vs DJL-TorchScript vs PyTorch eager on ResNet-50 and ViT-B/16 at 224x224, batch 1 and 16,
# forward and forward+input-gradient, the same thread count and allocator settings everywhere.
# Writes bench/out/results.jsonl and prints the table with ratios (bench/report.py). Needs the
# product (./loupe builds it) and Debian's python3-torch + python3-torchvision + libopenblas0-pthread.
#   bench/run.sh [THREADS] [ROUNDS] [ITERATIONS_BATCH1] [ITERATIONS_BATCH16]
# A subset: BENCH_MODELS (default "resnet50 vit_b_16"), BENCH_MODES ("forward grad"), BENCH_CACHE
# ("none,all"), BENCH_MEMORY (1: also measure peak memory), BENCH_OUT (results file name, "results"),
# BENCH_ANCHOR (1: TorchScript takes turns with Loupe in its process; 0: Loupe alone).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
ROUNDS="${2:-2}"
ITER1="${3:-30}"
ITER16="${4:-5}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
LOUPE="$ROOT/loupe"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
# the allocator settings the loupe start script uses, for the PyTorch process too (see README.md)
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"

[ -f "$OUT/models/vit_b_16.pt" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
"$LOUPE" list >/dev/null   # build the product if needed

MODELS="${BENCH_MODELS:-resnet50 vit_b_16}"
MODES="${BENCH_MODES:-forward grad}"
CACHE="${BENCH_CACHE:-none,all}"
RESULTS="$OUT/${BENCH_OUT:-results}.jsonl"
: > "$RESULTS"
engines='s/^{"role": "model", /{"engine": "loupe", "round": ROUND, /; s/^{"role": "anchor", /{"engine": "djl-torchscript", "round": ROUND, /'
# timing: Loupe without and with the full cache and TorchScript take turns in one process, one pass
# each, so that a slow spell of the machine falls on all three; rounds repeat that in new processes
for round in $(seq 1 "$ROUNDS"); do
  for m in $MODELS; do
    for batch in 1 16; do
      iter=$ITER1 warmup=10
      [ "$batch" -gt 1 ] && iter=$ITER16 warmup=1
      for mode in $MODES; do
        anchor=(--anchor "$OUT/models/$m.pt")
        [ "${BENCH_ANCHOR:-1}" = 1 ] || anchor=()
        "$LOUPE" bench --model "$OUT/models/$m.safetensors" "${anchor[@]}" --cache "$CACHE" --batch "$batch" \
            --mode "$mode" --warmup "$warmup" --iterations "$iter" | sed "${engines//ROUND/$round}" >> "$RESULTS" \
          || echo "bench: $m batch $batch $mode failed" >&2   # reported, and the run goes on
      done
      /usr/bin/python3 "$ROOT/bench/pytorch_bench.py" "$m" "$batch" "$iter" "$THREADS" \
        | sed "s/^{/{\"round\": $round, /" >> "$RESULTS"
    done
  done
done
if [ "${BENCH_MEMORY:-1}" != 1 ]; then
  exec /usr/bin/python3 "$ROOT/bench/report.py" "$RESULTS"
fi
# peak memory (VmHWM is per process): batch 16 forward, each engine and cache setting on its own
MEMORY="$OUT/memory.jsonl"
: > "$MEMORY"
for m in resnet50 vit_b_16; do
  for cache in none all; do
    "$LOUPE" bench --model "$OUT/models/$m.safetensors" --cache "$cache" --batch 16 --warmup 1 --iterations 1 \
      | sed "${engines//ROUND/0}" >> "$MEMORY" || echo "bench: memory of $m $cache failed" >&2
  done
  "$LOUPE" bench --model "$OUT/models/$m.pt" --batch 16 --warmup 1 --iterations 1 \
    | sed 's/^{"role": "model", /{"engine": "djl-torchscript", "round": 0, /' >> "$MEMORY" \
    || echo "bench: memory of $m.pt failed" >&2
done
/usr/bin/python3 "$ROOT/bench/report.py" "$RESULTS" "$MEMORY"
