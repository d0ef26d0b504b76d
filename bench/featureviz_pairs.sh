#!/bin/bash
# Feature visualization, Loupe and the Lucent loop in PyTorch taking turns: PAIRS alternating runs
# per model (Loupe's run, then the loop's), STEPS steps each, the same settings as featureviz.sh;
# prints each pair's median steps and their ratio. Separate runs on this machine move by up to 50 %,
# so read the spread across pairs, not one pair. Run it under the build lock.
#   bench/featureviz_pairs.sh [THREADS] [STEPS] [PAIRS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
STEPS="${2:-64}"
PAIRS="${3:-3}"
MODELS="$ROOT/bench/out/models"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
for arch in resnet18 resnet50 inceptionv1; do
  [ -f "$MODELS/$arch.pth" ] || (mkdir -p "$MODELS" && cd "$ROOT/oracle" && /usr/bin/python3 -c "import zoo_cnn; zoo_cnn.main('$arch', '$MODELS')")
done
"$ROOT/loupe" list >/dev/null   # build the product if needed
for cfg in "resnet18 layer4" "resnet50 layer2" "inceptionv1 mixed5b"; do
  set -- $cfg
  for i in $(seq 1 "$PAIRS"); do
    dir=$(mktemp -d)
    rm -rf "$dir"
    "$ROOT/loupe" run featureviz --model "$MODELS/$1.safetensors" --layer "$2" --unit 5 --param steps="$STEPS" --param size=128 \
        --param previewEvery=0 --no-store --out "$dir" >/dev/null
    lo=$(grep -o 'median step [0-9.]*' "$dir/01-summary.txt" | awk '{print $3}')
    rm -rf "$dir"
    py=$(/usr/bin/python3 "$ROOT/bench/featureviz_pytorch.py" "$MODELS" "$1" "$2" 5 "$STEPS" 128 "$THREADS" \
        | /usr/bin/python3 -c "import json,sys; print(round(json.load(sys.stdin)['median_step_ms'], 1))")
    echo "$1 $2 pair $i: Loupe $lo ms, PyTorch $py ms, ratio $(/usr/bin/python3 -c "print(round($lo / $py, 3))")"
  done
done
