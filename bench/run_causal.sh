#!/bin/bash
# The causal analyses against PyTorch eager on the same machine, in one run, with the same threads
# and allocator settings (see run.sh):
#  - ablation sweep over the 256 channels of ResNet-18 layer3 on 64 images at 224x224: Loupe
#    (`loupe run ablation-sweep`), the naive PyTorch loop (a full forward per ablated channel with
#    a forward hook) and the PyTorch loop that caches the prefix (run to layer3 once, then layer4 +
#    head per channel);
#  - activation patching on ViT-B/16: Loupe patching every hook point whole (plus the 12 heads of the
#    last block one at a time) vs a PyTorch forward with one block's output patched by a hook.
# Loupe's time is the run's own (run.json provenance: images, prefix, every pass), without starting
# the JVM and loading the model. Writes bench/out/causal.jsonl and prints the table.
#   bench/run_causal.sh [THREADS] [NAIVE_CHANNELS]
# NAIVE_CHANNELS (default 256) times the naive loop on that many channels and scales it to 256 (every
# channel costs one identical full forward pass). Run it under the build lock:
#   flock /tmp/loupe-build.lock bench/run_causal.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
NAIVE="${2:-256}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
[ -f "$OUT/models/resnet18.safetensors" ] && [ -f "$OUT/models/vit_b_16.safetensors" ] \
  || /usr/bin/python3 "$ROOT/bench/make_causal_models.py" "$OUT/models"
RESULTS="$OUT/causal.jsonl"
: > "$RESULTS"
rm -rf "$OUT/causal-sweep" "$OUT/causal-patching"   # loupe run refuses to overwrite an --out folder
millis() {  # the run's own time from its run.json
  /usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['provenance']['durationMillis'])" "$1/run.json"
}

"$ROOT/loupe" run ablation-sweep --model "$OUT/models/resnet18.safetensors" --layer layer3 --image noise:count=64,size=224 \
    --param target=predicted --param batchSize=64 --out "$OUT/causal-sweep" > "$OUT/causal-sweep.log" 2>&1
echo "{\"bench\": \"sweep\", \"engine\": \"loupe\", \"method\": \"batched-resumed\", \"threads\": $THREADS, \"seconds\": $(millis "$OUT/causal-sweep")e-3}" >> "$RESULTS"
/usr/bin/python3 "$ROOT/bench/causal_pytorch.py" sweep "$THREADS" "$NAIVE" >> "$RESULTS"

PROBS=encoder.layers.encoder_layer_11.self_attention.probs
"$ROOT/loupe" run patching --model "$OUT/models/vit_b_16.safetensors" --layer "$PROBS" --image noise:count=2,size=224 \
    --param over=heads --param map=selected --out "$OUT/causal-patching" > "$OUT/causal-patching.log" 2>&1
patched=$(( $(cat "$OUT"/causal-patching/*restoration-per-hook-point.csv | wc -l) - 1 ))
echo "{\"bench\": \"patching\", \"engine\": \"loupe\", \"method\": \"every-hook-point\", \"threads\": $THREADS, \"ms\": $(millis "$OUT/causal-patching"), \"hook_points\": $patched, \"sites\": 12}" >> "$RESULTS"
/usr/bin/python3 "$ROOT/bench/causal_pytorch.py" patching "$THREADS" >> "$RESULTS"
/usr/bin/python3 "$ROOT/bench/report_causal.py" "$RESULTS"
