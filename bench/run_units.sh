#!/bin/bash
# The dataset-example scan against PyTorch eager on the same machine, in one run, with the same
# threads and allocator settings (see run.sh): ResNet-18 (seeded torchvision weights), the top-8 and
# bottom-8 images of every unit of layer2, layer3 and layer4 over N noise images of 224x224.
# Loupe: `loupe run dataset-examples` into a fresh index (so it scans), its own time from run.json
# (the scan, the receptive fields and the crops of one unit; without starting the JVM and loading the
# model). PyTorch: units_pytorch.py, forward hooks and torch.topk. Writes bench/out/units.jsonl.
# ARCH resnet50 (the issue's configuration) scans the featureviz benchmark's seeded ResNet-50
# (oracle/zoo_cnn.py); the PyTorch side builds torchvision's resnet50 (the weights do not change the time).
#   flock /tmp/loupe-build.lock bench/run_units.sh [THREADS] [N] [BATCH] [ARCH: resnet18|resnet50]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
N="${2:-256}"
BATCH="${3:-32}"
ARCH="${4:-resnet18}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
[ -f "$OUT/models/resnet18.safetensors" ] || /usr/bin/python3 "$ROOT/bench/make_causal_models.py" "$OUT/models"
[ "$ARCH" != resnet50 ] || [ -f "$OUT/models/resnet50.safetensors" ] || (cd "$ROOT/oracle" && /usr/bin/python3 -c "import zoo_cnn; zoo_cnn.main('resnet50', '$OUT/models')")
RESULTS="$OUT/units.jsonl"
: > "$RESULTS"
rm -rf "$OUT/units-scan" "$OUT/units-index"
/usr/bin/time -f "%M" -o "$OUT/units-loupe.rss" "$ROOT/loupe" run dataset-examples --model "$OUT/models/$ARCH.safetensors" \
    --layer layer2 --image "noise:count=$N,size=224" --param layers=layer2+layer3+layer4 --param k=8 --param units=0 \
    --param batchSize="$BATCH" --param index="$OUT/units-index" --out "$OUT/units-scan" > "$OUT/units-scan.log" 2>&1
ms=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['provenance']['durationMillis'])" "$OUT/units-scan/run.json")
echo "{\"engine\": \"loupe\", \"arch\": \"$ARCH\", \"threads\": $THREADS, \"images\": $N, \"batch\": $BATCH, \"k\": 8, \"seconds\": ${ms}e-3, \"peak_rss_kb\": $(cat "$OUT/units-loupe.rss")}" >> "$RESULTS"
/usr/bin/time -f "%M" -o "$OUT/units-torch.rss" /usr/bin/python3 "$ROOT/bench/units_pytorch.py" "$THREADS" "$N" "$BATCH" 8 "$ARCH" > "$OUT/units-torch.json"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d['peak_rss_kb']=int(open(sys.argv[2]).read().split()[-1]); print(json.dumps(d))" \
    "$OUT/units-torch.json" "$OUT/units-torch.rss" >> "$RESULTS"
/usr/bin/python3 - "$RESULTS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
loupe = next(r for r in rows if r["engine"] == "loupe")
torch = next(r for r in rows if r["engine"] == "pytorch-eager")
print("| engine | images | batch | seconds | images/s | peak RSS (MB) |")
print("|---|---|---|---|---|---|")
for r in (loupe, torch):
    print(f"| {r['engine']} | {r['images']} | {r['batch']} | {float(r['seconds']):.2f} | {r['images'] / float(r['seconds']):.1f} | {r['peak_rss_kb'] / 1024:.0f} |")
print(f"Loupe / PyTorch time: {float(loupe['seconds']) / float(torch['seconds']):.3f}")
PY
