#!/bin/bash
# Attention rollout and gradient rollout on torchvision ViT-B/16 at 224, batch 1 and 16: Loupe's
# rollout analysis end to end (`loupe bench --analysis rollout`: noise images generated and
# preprocessed, one batched forward (+ backward) pass recording the attention, the maps, the
# results; the run is not saved) against the same work in PyTorch eager (attention_bench.py: hooks
# record the attention, rollout in torch). Same thread count and allocator settings. Rounds repeat
# the two side by side, so a slow spell of the machine falls on both; the table gives the medians
# over rounds of each one's median and of the per-round ratio.
#   bench/attention.sh [THREADS] [ITERATIONS_BATCH1] [ITERATIONS_BATCH16] [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
ITER1="${2:-10}"
ITER16="${3:-3}"
ROUNDS="${4:-2}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
[ -f "$OUT/models/vit_b_16.safetensors" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
RESULTS="$OUT/attention.jsonl"
: > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
for batch in 1 16; do
  iter=$ITER1 warmup=3
  [ "$batch" -gt 1 ] && iter=$ITER16 warmup=1
  for method in rollout grad-rollout; do
    grads=false
    [ "$method" = grad-rollout ] && grads=true
    "$ROOT/loupe" bench --model "$OUT/models/vit_b_16.safetensors" --analysis rollout --image "noise:count=$batch,size=224" \
        --param "method=$method,gradients=$grads,batchSize=$batch" --warmup "$warmup" --iterations "$iter" \
      | sed "s/^{/{\"round\": $round, \"engine\": \"loupe\", \"method\": \"$method\", \"batch\": $batch, /" >> "$RESULTS"
  done
  /usr/bin/python3 "$ROOT/bench/attention_bench.py" "$batch" "$ITER1" "$ITER16" "$THREADS" | sed "s/^{/{\"round\": $round, /" >> "$RESULTS"
done
done
/usr/bin/python3 - "$RESULTS" <<'PY'
import json, sys
from statistics import median
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rounds = sorted({r["round"] for r in rows})
get = lambda e, m, b, k: next(r["median_ms"] for r in rows if r["engine"] == e and r["method"] == m and r["batch"] == b and r["round"] == k)
print("| method | batch | Loupe (ms) | PyTorch eager (ms) | Loupe / PyTorch | per-round ratios |")
print("|---|---|---|---|---|---|")
for m in ("rollout", "grad-rollout"):
    for b in (1, 16):
        lo = [get("loupe", m, b, k) for k in rounds]
        pt = [get("pytorch-eager", m, b, k) for k in rounds]
        ratios = [x / y for x, y in zip(lo, pt)]
        print(f"| {m} | {b} | {median(lo):.0f} | {median(pt):.0f} | {median(ratios):.2f} | {', '.join(f'{r:.2f}' for r in ratios)} |")
PY
