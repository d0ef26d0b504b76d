#!/bin/bash
# Partial forward passes: Loupe stopped after a hook point / resumed from one, against the same part
# of the network traced to TorchScript and run by DJL, and against Loupe's full forward, all in one
# process taking turns one pass each. ResNet-50 until layer2 and from layer3, InceptionV1 (Lucent
# layout) until mixed4a, batch 1 and 16. Writes bench/out/partial.jsonl and prints the table with the
# ratios (bench/report_partial.py). Needs the product (./loupe builds it) and Debian's python3-torch.
#   bench/run_partial.sh [THREADS] [ROUNDS] [ITERATIONS_BATCH1] [ITERATIONS_BATCH16]   (defaults 2, 3, 30, 5)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
ROUNDS="${2:-3}"
ITER1="${3:-30}"
ITER16="${4:-5}"
MODELS="$ROOT/bench/out/partial"
LOUPE="$ROOT/loupe"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"

[ -f "$MODELS/inceptionv1_until_mixed4a.pt" ] || /usr/bin/python3 "$ROOT/bench/make_partial_models.py" "$MODELS"
"$LOUPE" list >/dev/null   # build the product if needed

RESULTS="$ROOT/bench/out/partial.jsonl"
: > "$RESULTS"
# model, the range (loupe bench options), the TorchScript module of the same part
CONFIGS=(
  "resnet50|--stop-after layer2|resnet50_until_layer2"
  "resnet50|--from layer3|resnet50_from_layer3"
  "inceptionv1|--stop-after mixed4a|inceptionv1_until_mixed4a"
)
for round in $(seq 1 "$ROUNDS"); do
  for config in "${CONFIGS[@]}"; do
    IFS='|' read -r model range anchor <<< "$config"
    for batch in 1 16; do
      iter=$ITER1 warmup=10
      [ "$batch" -gt 1 ] && iter=$ITER16 warmup=1
      # shellcheck disable=SC2086 # $range is two words
      "$LOUPE" bench --model "$MODELS/$model.safetensors" $range --anchor "$MODELS/$anchor.pt" --batch "$batch" \
          --warmup "$warmup" --iterations "$iter" | sed "s/^{/{\"round\": $round, /" >> "$RESULTS" \
        || echo "bench: $model $range batch $batch failed" >&2   # reported, and the run goes on
    done
  done
done
/usr/bin/python3 "$ROOT/bench/report_partial.py" "$RESULTS"
