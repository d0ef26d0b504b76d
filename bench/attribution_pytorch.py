"""PyTorch eager timings of Loupe's attribution benchmark on torchvision ResNet-50 at 224 (seeded random
weights, as make_models.py), written Captum-style (Captum itself is not installed):
  ig         integrated gradients, Gauss-Legendre points and weights (Captum's default), black baseline,
             every path point of every image expanded into one long batch and processed in internal
             batches of ROWS rows (Captum's internal_batch_size), gradients of the selected logits;
  occlusion  a WINDOW x WINDOW window over all channels sliding by STRIDE (Captum's Occlusion), black
             baseline, ROWS perturbed copies per forward pass (Captum's perturbations_per_eval), mean
             logit drop over the windows covering each pixel.
The images are uniform noise in [0, 1], ImageNet-normalised, as Loupe's noise source.
Prints one JSON line with the seconds of the computation (model loading excluded) and the peak RSS.
  usage: /usr/bin/python3 attribution_pytorch.py ig|occlusion BATCH THREADS ROWS [STEPS|WINDOW STRIDE]"""
import json
import math
import resource
import sys
import time

import numpy as np
import torch
import torchvision

method, batch, threads, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.manual_seed(0)
model = torchvision.models.resnet50(weights=None).eval()
for p in model.parameters():
    p.requires_grad_(False)
mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
gen = torch.Generator().manual_seed(0)
x = (torch.rand(batch, 3, 224, 224, generator=gen) - mean) / std
black = ((torch.zeros(1, 3, 1, 1) - mean) / std).expand_as(x).contiguous()


def selected(out, classes):
    return out[torch.arange(out.shape[0]), classes]


def integrated_gradients(x, b, classes, steps):
    nodes, weights = np.polynomial.legendre.leggauss(steps)
    alphas = torch.tensor(0.5 * (nodes + 1), dtype=torch.float32)
    sizes = torch.tensor(0.5 * weights, dtype=torch.float32)
    n = x.shape[0]
    # Captum: the scaled inputs of every step, step-major, then internal batches
    total = torch.zeros_like(x)
    pts = steps * n
    for start in range(0, pts, rows):
        idx = torch.arange(start, min(pts, start + rows))
        step, img = idx // n, idx % n
        a = alphas[step].view(-1, 1, 1, 1)
        path = (b[img] + a * (x[img] - b[img])).requires_grad_(True)
        g, = torch.autograd.grad(selected(model(path), classes[img]).sum(), path)
        total.index_add_(0, img, g * sizes[step].view(-1, 1, 1, 1))
    return total * (x - b)


def occlusion(x, b, classes, window, stride):
    n, c, h, w = x.shape
    sh = math.ceil((h - window) / stride) + 1
    sw = math.ceil((w - window) / stride) + 1
    out = torch.zeros_like(x)
    with torch.no_grad():
        clean = selected(model(x), classes)
        for i in range(n):
            total = torch.zeros(h, w)
            count = torch.zeros(h, w)
            positions = [(p // sw * stride, p % sw * stride) for p in range(sh * sw)]
            for start in range(0, len(positions), rows):
                chunk = positions[start:start + rows]
                masks = torch.zeros(len(chunk), 1, h, w)
                for j, (y0, x0) in enumerate(chunk):
                    masks[j, :, y0:y0 + window, x0:x0 + window] = 1
                copies = x[i:i + 1] + masks * (b[i:i + 1] - x[i:i + 1])
                drop = clean[i] - model(copies)[:, classes[i]]
                total += (drop.view(-1, 1, 1) * masks[:, 0]).sum(0)
                count += masks[:, 0].sum(0)
            out[i] = (total / count).expand(c, h, w)
    return out


with torch.no_grad():
    classes = model(x).argmax(1)
t0 = time.perf_counter()
if method == "ig":
    steps = int(sys.argv[5])
    a = integrated_gradients(x, black, classes, steps)
    extra = {"steps": steps}
else:
    window, stride = int(sys.argv[5]), int(sys.argv[6])
    a = occlusion(x, black, classes, window, stride)
    extra = {"window": window, "stride": stride}
seconds = time.perf_counter() - t0
print(json.dumps({"engine": "pytorch-eager", "method": method, "batch": batch, "threads": threads, "rows_per_pass": rows,
                  "seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "checksum": float(a.abs().sum()), **extra}))
