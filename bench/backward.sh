#!/bin/bash
# Backward passes only: ResNet-50 forward + gradient of the outputs' sum with respect to the input,
# at batch 1 and 16, Loupe vs DJL-TorchScript (one process, taking turns) vs PyTorch eager (its own
# process), hooks recording nothing; rounds repeat all three in new processes. Writes
# bench/out/backward.jsonl and prints the table.
#   bench/backward.sh [THREADS] [ROUNDS] [ITERATIONS_BATCH1] [ITERATIONS_BATCH16]
BENCH_MODELS=resnet50 BENCH_MODES=grad BENCH_CACHE=none BENCH_MEMORY=0 BENCH_OUT=backward \
  exec "$(dirname "$0")/run.sh" "${1:-2}" "${2:-3}" "${3:-20}" "${4:-5}"
