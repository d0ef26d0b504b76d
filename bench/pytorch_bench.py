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


def seeded(name, threads):
    """The torchvision model with seeded random weights, frozen, on `threads` threads."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def one_pass(model, x0, mode):
    """Milliseconds of one pass: "forward", or forward + gradient of the outputs' sum w.r.t. the input."""
    t0 = time.perf_counter()
    if mode == "forward":
        with torch.no_grad():
            model(x0)
    else:
        x = x0.clone().requires_grad_(True)
        model(x).sum().backward()
    return (time.perf_counter() - t0) * 1000


def main():
    name, batches, iterations, threads = sys.argv[1], [int(b) for b in sys.argv[2].split(",")], int(sys.argv[3]), int(sys.argv[4])
    model = seeded(name, threads)
    for batch in batches:
        x0 = torch.randn(batch, 3, 224, 224)
        for mode in ("forward", "forward+grad"):
            warmup = 10 if batch == 1 else 1
            times = [one_pass(model, x0, mode) for _ in range(warmup + iterations)][warmup:]
            print(json.dumps({"model": name, "batch": batch, "mode": mode, "engine": "pytorch-eager", "torch": torch.__version__,
                              "iterations": iterations, "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2),
                              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "threads": threads}), flush=True)


if __name__ == "__main__":
    main()
