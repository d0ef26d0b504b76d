#!/bin/bash
# Attention rollout and gradient rollout on torchvision ViT-B/16 at 224, batch 1 and 16: Loupe's
# rollout analysis end to end (`loupe bench --analysis rollout`: noise images generated and
# preprocessed, one batched forward (+ backward) pass recording the attention, the maps, the
# results; the run is not saved) against the same work in PyTorch eager (attention_bench.py: hooks
# record the attention, rollout in torch). Same thread count and allocator settings; one run.
#   bench/attention.sh [THREADS] [ITERATIONS_BATCH1] [ITERATIONS_BATCH16]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
ITER1="${2:-10}"
ITER16="${3:-3}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
[ -f "$OUT/models/vit_b_16.safetensors" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
RESULTS="$OUT/attention.jsonl"
: > "$RESULTS"
for batch in 1 16; do
  iter=$ITER1 warmup=3
  [ "$batch" -gt 1 ] && iter=$ITER16 warmup=1
  for method in rollout grad-rollout; do
    grads=false
    [ "$method" = grad-rollout ] && grads=true
    "$ROOT/loupe" bench --model "$OUT/models/vit_b_16.safetensors" --analysis rollout --image "noise:count=$batch,size=224" \
        --param "method=$method,gradients=$grads,batchSize=$batch" --warmup "$warmup" --iterations "$iter" \
      | sed "s/^{/{\"engine\": \"loupe\", \"method\": \"$method\", \"batch\": $batch, /" >> "$RESULTS"
  done
  /usr/bin/python3 "$ROOT/bench/attention_bench.py" "$batch" "$ITER1" "$ITER16" "$THREADS" >> "$RESULTS"
done
/usr/bin/python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
get = lambda e, m, b: next(r["median_ms"] for r in rows if r["engine"] == e and r["method"] == m and r["batch"] == b)
print("| method | batch | Loupe (ms) | PyTorch eager (ms) | Loupe / PyTorch |")
print("|---|---|---|---|---|")
for m in ("rollout", "grad-rollout"):
    for b in (1, 16):
        lo, pt = get("loupe", m, b), get("pytorch-eager", m, b)
        print(f"| {m} | {b} | {lo:.0f} | {pt:.0f} | {lo / pt:.2f} |")
PY
