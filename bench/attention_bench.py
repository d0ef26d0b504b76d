"""PyTorch eager timings of the attention analyses' work on torchvision ViT-B/16 at 224 (seeded random
weights, as make_models.py): one batched pass that records every block's attention probabilities
with hooks (each block's nn.MultiheadAttention swapped for the step-by-step ExplicitMHA of
oracle/zoo_vit.py, since the fused kernel exposes no probabilities), then the maps in torch for each
image: rollout (mean fusion, no discard, (A + I) / 2 row-normalised, product over layers, class-token
row) or gradient rollout (backward of the predicted logits, R += mean_heads((dA * A)+) R).
Prints JSON lines.  usage: /usr/bin/python3 attention_bench.py BATCHES ITERATIONS_BATCH1 ITERATIONS_BATCH16 THREADS"""
import json
import os
import statistics
import sys
import time

import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from zoo_vit import ExplicitMHA  # noqa: E402

batches = [int(b) for b in sys.argv[1].split(",")]
iter1, iter16, threads = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torchvision.models.vit_b_16(weights=None).eval()
for layer in model.encoder.layers:
    layer.self_attention = ExplicitMHA(layer.self_attention)
for p in model.parameters():
    p.requires_grad_(False)
probs = []
for layer in model.encoder.layers:
    layer.self_attention.probs.register_forward_hook(lambda m, i, o: probs.append(o))


def rollout(att):
    """att: list of [N, H, T, T] -> [N, T-1] maps."""
    n, _, t, _ = att[0].shape
    eye = torch.eye(t)
    r = eye.expand(n, t, t)
    for a in att:
        f = a.mean(1)
        f = (f + eye) / 2
        f = f / f.sum(dim=-1, keepdim=True)
        r = f @ r
    m = r[:, 0, 1:]
    return m / m.max(dim=1, keepdim=True).values


def grad_rollout(att, grads):
    n, _, t, _ = att[0].shape
    r = torch.eye(t).expand(n, t, t)
    for a, g in zip(att, grads):
        r = r + (g * a).clamp(min=0).mean(1) @ r
    m = r[:, 0, 1:]
    return m / m.max(dim=1, keepdim=True).values


def run(x, method):
    probs.clear()
    if method == "rollout":
        with torch.no_grad():
            model(x)
            return rollout(probs)
    logits = model(x)
    for p in probs:
        p.retain_grad()
    logits.gather(1, logits.argmax(1, keepdim=True)).sum().backward()
    with torch.no_grad():
        return grad_rollout([p.detach() for p in probs], [p.grad for p in probs])


for batch in batches:
    x0 = torch.randn(batch, 3, 224, 224)
    for method in ("rollout", "grad-rollout"):
        iterations = iter1 if batch == 1 else iter16
        warmup = 3 if batch == 1 else 1
        times = []
        for i in range(warmup + iterations):
            x = x0.clone().requires_grad_(method == "grad-rollout")
            t0 = time.perf_counter()
            run(x, method)
            if i >= warmup:
                times.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({"engine": "pytorch-eager", "method": method, "batch": batch, "torch": torch.__version__, "iterations": iterations,
                          "median_ms": round(statistics.median(times), 2), "min_ms": round(min(times), 2), "threads": threads}), flush=True)
