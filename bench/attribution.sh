#!/bin/bash
# Integrated gradients (50 Gauss-Legendre steps, black baseline) and occlusion (16x16 window, stride 8,
# black baseline) on torchvision ResNet-50 at 224 (seeded weights, make_models.py), a batch of 8 noise
# images, each image's predicted class: Loupe (`loupe run integrated-gradients|occlusion`, the run's own
# time from its run.json: images, predictions, every pass, the maps) against the same computation
# written Captum-style in PyTorch eager (attribution_pytorch.py) with the same rows per pass (Loupe's
# memory budget decides them; the script reads them from Loupe's summary and gives them to PyTorch),
# the same threads and allocator settings. One run each. Peak memory: each process's peak RSS
# (/usr/bin/time; Loupe's includes the JVM and the workbench runtime).
#   flock /tmp/loupe-build.lock bench/attribution.sh [THREADS] [MEMORY_MB] [OCCLUSION_IMAGES] [METHODS] [ROUNDS]
# OCCLUSION_IMAGES (default 8) runs occlusion on fewer of the 8 images when time is short (each image
# costs the same 729 windows); the table says how many were used. METHODS (default "ig ig-folded
# occlusion") runs only some of them; ig-folded is integrated gradients with foldNorms=true (the batch
# norms folded into the convolutions), timed against the same PyTorch run as ig. ROUNDS (default 1) repeats each method's Loupe-then-PyTorch pair that many
# times in turn and reports every pair's ratio and their median: this machine's speed drifts by 10-20 %
# within minutes, so one pair can say 1.08 or 1.38 for the same code.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${1:-2}"
MEMORY="${2:-2048}"
OCC="${3:-8}"
METHODS="${4:-ig ig-folded occlusion}"
ROUNDS="${5:-1}"
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
export LOUPE_VMARGS="-Dloupe.threads=$THREADS ${LOUPE_VMARGS:-}"
export OMP_NUM_THREADS="$THREADS"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=1073741824:glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1}"
[ -f "$OUT/models/resnet50.safetensors" ] || /usr/bin/python3 "$ROOT/bench/make_models.py" "$OUT/models"
RESULTS="$OUT/attribution.jsonl"
: > "$RESULTS"
run_loupe() {  # METHOD COMMAND PARAMS IMAGES ROUND
  local dir="$OUT/attribution-$1"
  rm -rf "$dir"
  /usr/bin/time -f "%M" -o "$dir.rss" "$ROOT/loupe" run "$2" --model "$OUT/models/resnet50.safetensors" --image "noise:count=$4,size=224" \
      --param "$3" --out "$dir" > "$dir.log" 2>&1
  local seconds rows
  seconds=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['provenance']['durationMillis'] / 1000)" "$dir/run.json")
  rows=$(grep -rho "[0-9]* rows per pass" "$dir" | head -1 | cut -d' ' -f1)
  echo "{\"engine\": \"loupe\", \"round\": $5, \"method\": \"$1\", \"batch\": $4, \"threads\": $THREADS, \"rows_per_pass\": $rows, \"seconds\": $seconds, \"peak_rss_mb\": $(( $(cat "$dir.rss" | tail -1) / 1024 ))}" >> "$RESULTS"
  echo "$rows"
}
for round in $(seq 1 "$ROUNDS"); do
  ig=""
  if [[ " $METHODS " == *" ig "* ]]; then
    rows=$(run_loupe ig integrated-gradients "steps=50,method=gausslegendre,baseline=black,batchSize=8,memoryMb=$MEMORY" 8 "$round")
    ig="ig"
  fi
  if [[ " $METHODS " == *" ig-folded "* ]]; then
    rows=$(run_loupe ig-folded integrated-gradients "steps=50,method=gausslegendre,baseline=black,batchSize=8,memoryMb=$MEMORY,foldNorms=true" 8 "$round")
    ig="$ig ig-folded"
  fi
  if [ -n "$ig" ]; then
    line=$(/usr/bin/python3 "$ROOT/bench/attribution_pytorch.py" ig 8 "$THREADS" "$rows" 50 | sed "s/^{/{\"round\": $round, /")
    for m in $ig; do
      echo "$line" | sed "s/\"method\": \"ig\"/\"method\": \"$m\"/" >> "$RESULTS"
    done
  fi
  if [[ " $METHODS " == *" occlusion "* ]]; then
    rows=$(run_loupe occlusion occlusion "window=16,stride=8,baseline=black,batchSize=8,memoryMb=$MEMORY" "$OCC" "$round")
    /usr/bin/python3 "$ROOT/bench/attribution_pytorch.py" occlusion "$OCC" "$THREADS" "$rows" 16 8 | sed "s/^{/{\"round\": $round, /" >> "$RESULTS"
  fi
done
/usr/bin/python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
get = lambda e, m, r: next((x for x in rows if x["engine"] == e and x["method"] == m and x["round"] == r), None)
rounds = sorted({x["round"] for x in rows})
print("| method | round | images | rows per pass | Loupe (s) | PyTorch eager (s) | Loupe / PyTorch | peak RSS Loupe (MB) | peak RSS PyTorch (MB) |")
print("|---|---|---|---|---|---|---|---|---|")
for m, name in (("ig", "integrated gradients, 50 steps"), ("ig-folded", "integrated gradients, 50 steps, foldNorms=true"),
                ("occlusion", "occlusion 16x16, stride 8")):
    ratios = []
    for r in rounds:
        lo, pt = get("loupe", m, r), get("pytorch-eager", m, r)
        if lo is None or pt is None:
            continue
        ratios.append(lo["seconds"] / pt["seconds"])
        print(f"| {name} | {r} | {lo['batch']} | {lo['rows_per_pass']} | {lo['seconds']:.1f} | {pt['seconds']:.1f} | {ratios[-1]:.2f} "
              f"| {lo['peak_rss_mb']} | {pt['peak_rss_mb']} |")
    if len(ratios) > 1:
        print(f"| {name} | median of {len(ratios)} | | | | | **{statistics.median(ratios):.2f}** | | |")
PY
