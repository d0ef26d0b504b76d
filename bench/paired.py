"""Paired timing of Loupe against PyTorch eager: two long-lived processes take turns, one pass
each, so that they never compete for the cores and a slow spell of the machine falls on both.
This script is the PyTorch process and the driver: it starts `loupe bench --paced` (which loads the
same torchvision weights from safetensors and runs one pass per line it reads), then alternates
an eager pass and a Loupe pass, swapping who goes first every pair, with a pause between passes so
that neither side's OpenMP threads are still spinning when the other starts. The ratio is taken
per pair; the report is the median over pairs. Prints one JSON line per configuration.
usage: /usr/bin/python3 paired.py LOUPE MODELS_DIR MODEL BATCH MODE WARMUP PAIRS THREADS
  MODE: forward or grad (forward + gradient of the outputs' sum with respect to the input)"""
import json
import statistics
import subprocess
import sys
import time

import torch

from pytorch_bench import one_pass, seeded

loupe, models, name, batch, mode, warmup, pairs, threads = sys.argv[1:9]
batch, warmup, pairs, threads = int(batch), int(warmup), int(pairs), int(threads)
model = seeded(name, threads)
x0 = torch.randn(batch, 3, 224, 224)


def eager():
    return one_pass(model, x0, mode)


proc = subprocess.Popen([loupe, "bench", "--model", f"{models}/{name}.safetensors", "--batch", str(batch), "--mode", mode, "--paced"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)


def reply():
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit(f"loupe bench --paced stopped (exit {proc.wait()})")
        if line.startswith("ready") or line.startswith("{"):
            return line


def loupe_pass():
    proc.stdin.write("pass\n")
    proc.stdin.flush()
    return json.loads(reply())


reply()  # the model is open
eager_ms, loupe_ms, ratios, faults = [], [], [], []
for i in range(warmup + pairs):
    if i % 2 == 0:
        e = eager()
        time.sleep(0.2)
        lo = loupe_pass()
    else:
        lo = loupe_pass()
        time.sleep(0.2)
        e = eager()
    time.sleep(0.2)
    if i >= warmup:
        eager_ms.append(e)
        loupe_ms.append(lo["ms"])
        faults.append(lo["page_faults"])
        ratios.append(lo["ms"] / e)
proc.stdin.write("quit\n")
proc.stdin.flush()
proc.wait()
print(json.dumps({"model": name, "batch": batch, "mode": "forward" if mode == "forward" else "forward+grad", "pairs": pairs,
                  "threads": threads, "torch": torch.__version__, "eager_median_ms": round(statistics.median(eager_ms), 2),
                  "loupe_median_ms": round(statistics.median(loupe_ms), 2), "median_ratio": round(statistics.median(ratios), 3),
                  "ratio_q1": round(statistics.quantiles(ratios, n=4)[0], 3), "ratio_q3": round(statistics.quantiles(ratios, n=4)[2], 3),
                  "loupe_page_faults_per_pass": round(statistics.median(faults))}), flush=True)
