#!/bin/bash
# Feature visualization, Loupe vs the Lucent loop in PyTorch (featureviz_pytorch.py), same machine,
# same threads, one run: a channel of ResNet-18 layer4 and InceptionV1 mixed5b (the whole network is
# needed), InceptionV1 mixed3b and ResNet-50 layer2 (Loupe stops after the layer; Lucent runs the
# whole network and reads the layer from a hook), Lucent's defaults (128x128 FFT image upsampled to
# 224, decorrelated colour, standard transforms, Adam 0.05), STEPS steps each; and a layer gallery:
# the per-unit cost of 8 and 16 units in one batch against one unit alone. Step time on both sides is
# the median step after the first (Loupe's from its summary in run.json, PyTorch's from its loop);
# the whole run (Loupe's from run.json, model loading excluded; the loop's) is reported beside it.
# Prints a table and writes bench/out/featureviz.jsonl. Needs the product (./loupe builds it) and Debian's python3-torch.
#   bench/featureviz.sh [THREADS] [STEPS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
STEPS="${2:-64}"
OUT="$ROOT/bench/out"
MODELS="$OUT/models"
mkdir -p "$MODELS"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
for arch in resnet18 resnet50 inceptionv1; do
  [ -f "$MODELS/$arch.pth" ] || (cd "$ROOT/oracle" && /usr/bin/python3 -c "import zoo_cnn; zoo_cnn.main('$arch', '$MODELS')")
done
"$ROOT/loupe" list >/dev/null   # build the product if needed
RESULTS="$OUT/featureviz.jsonl"
: > "$RESULTS"

loupe_run() {   # ARCH LAYER EXTRA... -> "seconds of the run, median ms per step"
  local arch=$1 layer=$2 shift3=("${@:3}") dir
  dir=$(mktemp -d)
  rm -rf "$dir"
  "$ROOT/loupe" run "${shift3[@]}" --model "$MODELS/$arch.safetensors" --layer "$layer" --param steps="$STEPS" \
      --param size=128 --out "$dir" >/dev/null
  /usr/bin/python3 -c "import json,re,sys; t=open(sys.argv[1]).read(); print(json.loads(t)['provenance']['durationMillis'] / 1000, \
      float(re.search(r'median step ([0-9.]+) ms', t).group(1)))" "$dir/run.json"
  rm -rf "$dir"
}

for cfg in "resnet18 layer4" "inceptionv1 mixed5b" "inceptionv1 mixed3b" "resnet50 layer2"; do
  set -- $cfg
  read -r s m < <(loupe_run "$1" "$2" featureviz --unit 5 --param previewEvery=0)
  echo "{\"engine\": \"loupe\", \"model\": \"$1\", \"layer\": \"$2\", \"batch\": 1, \"steps\": $STEPS, \"run_s\": $s, \"median_step_ms\": $m}" >> "$RESULTS"
  /usr/bin/python3 "$ROOT/bench/featureviz_pytorch.py" "$MODELS" "$1" "$2" 5 "$STEPS" 128 "$THREADS" >> "$RESULTS"
done
for batch in 1 8 16; do
  read -r s m < <(loupe_run resnet50 layer2 featureviz-layer --param units=0-$((batch - 1)) --param batch="$batch")
  echo "{\"engine\": \"loupe-gallery\", \"model\": \"resnet50\", \"layer\": \"layer2\", \"batch\": $batch, \"steps\": $STEPS, \"run_s\": $s, \"median_step_ms\": $m}" >> "$RESULTS"
done
/usr/bin/python3 - "$RESULTS" "$STEPS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
steps = int(sys.argv[2])
print("| model | layer | Loupe (ms/step, median) | PyTorch Lucent loop (ms/step, median) | Loupe / PyTorch, step | Loupe / PyTorch, whole run | Loupe steps/s | Loupe s per 512 steps | PyTorch s per 512 steps |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    if r["engine"] != "loupe":
        continue
    p = next(x for x in rows if x["engine"] == "pytorch-lucent" and x["model"] == r["model"] and x["layer"] == r["layer"])
    lo, py = r["median_step_ms"], p["median_step_ms"]
    print(f"| {r['model']} | {r['layer']} | {lo:.1f} | {py:.1f} | {lo / py:.2f} | {r['run_s'] / p['run_s']:.2f} | {1000 / lo:.1f} | "
          f"{(r['run_s'] + 511 * lo / 1000) - (steps - 1) * lo / 1000:.0f} | {512 * py / 1000:.0f} |")
g = {r["batch"]: r for r in rows if r["engine"] == "loupe-gallery"}
print()
print("| gallery, resnet50 layer2 | units per batch | ms per step (median) | s per run | per-unit cost / one unit alone, step | whole run |")
print("|---|---|---|---|---|---|")
for b in sorted(g):
    print(f"| | {b} | {g[b]['median_step_ms']:.1f} | {g[b]['run_s']:.1f} | {g[b]['median_step_ms'] / b / g[1]['median_step_ms']:.2f} | "
          f"{g[b]['run_s'] / b / g[1]['run_s']:.2f} |")
PY
