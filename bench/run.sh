#!/bin/bash
# Loupe vs DJL-TorchScript vs PyTorch eager on ResNet-50 and ViT-B/16 at 224x224, batch 1 and 16,
# forward and forward+input-gradient, the same thread count everywhere. Writes bench/out/results.jsonl
# and prints the table with ratios (bench/report.py). Needs the product (./loupe builds it) and
# Debian's python3-torch + python3-torchvision + libopenblas0-pthread.
#   bench/run.sh [THREADS] [ITERATIONS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
ITER="${2:-10}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
LOUPE="$ROOT/loupe"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"

[ -f "$OUT/models/vit_b_16.pt" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
"$LOUPE" list >/dev/null   # build the product if needed

RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
for m in resnet50 vit_b_16; do
  for batch in 1 16; do
    for mode in forward grad; do
      # every configuration in its own process, so peak memory (VmHWM) belongs to it
      "$LOUPE" bench --model "$OUT/models/$m.safetensors" --batch "$batch" --mode "$mode" --cache none --iterations "$ITER" \
        | sed "s/^{/{\"engine\": \"loupe\", /" >> "$RESULTS"
      "$LOUPE" bench --model "$OUT/models/$m.safetensors" --batch "$batch" --mode "$mode" --cache all --iterations "$ITER" \
        | sed "s/^{/{\"engine\": \"loupe\", /" >> "$RESULTS"
      "$LOUPE" bench --model "$OUT/models/$m.pt" --batch "$batch" --mode "$mode" --iterations "$ITER" \
        | sed "s/^{/{\"engine\": \"djl-torchscript\", /" >> "$RESULTS"
    done
  done
  /usr/bin/python3 "$ROOT/bench/pytorch_bench.py" "$m" 1,16 "$ITER" "$THREADS" >> "$RESULTS"
done
/usr/bin/python3 "$ROOT/bench/report.py" "$RESULTS"
