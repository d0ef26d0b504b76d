"""PyTorch eager timings of the same work as `loupe bench`: forward and forward+input-gradient of
torchvision ResNet-50 / ViT-B/16 on random input, with the given thread count. Prints JSON lines.
usage: /usr/bin/python3 pytorch_bench.py MODEL BATCHES ITERATIONS THREADS"""
import json
import resource
import statistics
import sys
import time

import torch
import torchvision

name, batches, iterations, threads = sys.argv[1], [int(b) for b in sys.argv[2].split(",")], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = getattr(torchvision.models, name)(weights=None).eval()
for p in model.parameters():
    p.requires_grad_(False)
for batch in batches:
    x0 = torch.randn(batch, 3, 224, 224)
    for mode in ("forward", "forward+grad"):
        times = []
        warmup = 10 if batch == 1 else 1
        for i in range(warmup + iterations):
            t0 = time.perf_counter()
            if mode == "forward":
                with torch.no_grad():
                    model(x0)
            else:
                x = x0.clone().requires_grad_(True)
                model(x).sum().backward()
            if i >= warmup:
                times.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({"model": name, "batch": batch, "mode": mode, "engine": "pytorch-eager", "torch": torch.__version__,
                          "iterations": iterations, "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "threads": threads}), flush=True)
