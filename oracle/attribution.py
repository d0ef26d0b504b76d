"""Reference attributions for Loupe's attribution methods on a sequential CNN, written out from
Captum's definitions (Captum itself is not installed): Saliency(abs=True), IntegratedGradients
(gausslegendre and riemann_trapezoid, approximation_methods.py), Occlusion (sliding window over
every channel, mean output drop over the windows covering an element), and pytorch-grad-cam's
GradCAM, GradCAM++ and HiResCAM at one layer (clamped at 0, not resized).

usage:
  /usr/bin/python3 attribution.py planted CONFIG.json OUTDIR Y0 Y1 X0 X1
      weights for CONFIG whose first linear layer reads only the conv positions of rows Y0+1..Y1-2,
      columns X0+1..X1-2, so (3x3 convolutions) the output depends only on the input region
      rows Y0..Y1-1, columns X0..X1-1; writes OUTDIR/<base>.json and <base>.safetensors
  /usr/bin/python3 attribution.py ref JOB.json OUT.npz
      JOB.json: {"config", "weights" (npz as seqcnn.py writes), "input", "baseline" (raw float32 files),
                 "shape": [N, C, H, W], "classes": [..], "steps": S, "window": W, "stride": S, "layer": NAME}
      writes saliency, ig_gausslegendre, ig_riemann_trapezoid, occlusion [N, C, H, W];
      gradcam, gradcampp, hirescam [N, h, w]
"""
import json
import os
import shutil
import sys

import numpy as np
import torch

from common import write_safetensors
from seqcnn import build


def load(job):
    cfg = json.load(open(job["config"]))
    net = build(cfg)
    w = np.load(job["weights"])
    net.load_state_dict({k: torch.from_numpy(w[k]) for k in w.files})
    return net.eval()


def selected(out, classes):
    return out[torch.arange(out.shape[0]), classes]


def grad(net, x, classes):
    x = x.clone().requires_grad_(True)
    selected(net(x), classes).sum().backward()
    return x.grad


def ig(net, x, b, classes, steps, method):
    if method == "gausslegendre":
        nodes, weights = np.polynomial.legendre.leggauss(steps)
        alphas, sizes = list(0.5 * (nodes + 1)), list(0.5 * weights)
    else:  # riemann_trapezoid
        alphas = list(np.linspace(0, 1, steps))
        sizes = [1 / (2 * (steps - 1))] + [1 / (steps - 1)] * (steps - 2) + [1 / (2 * (steps - 1))]
    total = torch.zeros_like(x)
    for a, s in zip(alphas, sizes):
        total += float(s) * grad(net, b + float(a) * (x - b), classes)
    return total * (x - b)


def occlusion(net, x, b, classes, window, stride):
    n, c, h, w = x.shape
    with torch.no_grad():
        clean = selected(net(x), classes)
        total = torch.zeros_like(x)
        count = torch.zeros_like(x)
        sh = int(np.ceil((h - window) / stride)) + 1
        sw = int(np.ceil((w - window) / stride)) + 1
        for i in range(sh):
            for j in range(sw):
                mask = torch.zeros(1, 1, h, w)
                mask[:, :, i * stride:i * stride + window, j * stride:j * stride + window] = 1
                occluded = x * (1 - mask) + b * mask
                drop = clean - selected(net(occluded), classes)
                total += drop.view(-1, 1, 1, 1) * mask
                count += mask
    return total / count


def cams(net, x, classes, layer):
    store = {}
    module = dict(net.named_children())[layer]

    def keep(m, i, o):
        o.retain_grad()
        store["a"] = o

    h = module.register_forward_hook(keep)
    selected(net(x.clone().requires_grad_(True)), classes).sum().backward()
    h.remove()
    a, g = store["a"].detach(), store["a"].grad
    gradcam = torch.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(1))
    hirescam = torch.relu((g * a).sum(1))
    g2, g3 = g ** 2, g ** 3
    sum_a = a.sum(dim=(2, 3), keepdim=True)
    aij = g2 / (2 * g2 + sum_a * g3 + 1e-6)
    aij = torch.where(g != 0, aij, torch.zeros_like(aij))
    weights = (torch.relu(g) * aij).sum(dim=(2, 3), keepdim=True)
    gradcampp = torch.relu((weights * a).sum(1))
    return gradcam, gradcampp, hirescam


def ref(job_path, out):
    job = json.load(open(job_path))
    net = load(job)
    shape = job["shape"]
    x = torch.from_numpy(np.fromfile(job["input"], dtype="<f4").reshape(shape))
    b = torch.from_numpy(np.fromfile(job["baseline"], dtype="<f4").reshape(shape))
    classes = torch.tensor(job["classes"])
    refs = {"saliency": grad(net, x, classes).abs()}
    for m in ("gausslegendre", "riemann_trapezoid"):
        refs["ig_" + m] = ig(net, x, b, classes, job["steps"], m)
    refs["occlusion"] = occlusion(net, x, b, classes, job["window"], job["stride"])
    refs["gradcam"], refs["gradcampp"], refs["hirescam"] = cams(net, x, classes, job["layer"])
    np.savez(out, **{k: v.detach().numpy().astype(np.float32) for k, v in refs.items()})
    print("wrote", out)


def planted(config_path, out, y0, y1, x0, x1):
    cfg = json.load(open(config_path))
    torch.manual_seed(3)
    net = build(cfg)
    convs = [l for l in cfg["layers"] if l["type"] == "conv2d"]
    first = next(l for l in cfg["layers"] if l["type"] == "linear")
    channels, h, w = convs[-1]["out_channels"], cfg["input"]["height"], cfg["input"]["width"]
    keep = torch.zeros(channels, h, w)
    keep[:, y0 + 1:y1 - 1, x0 + 1:x1 - 1] = 1
    with torch.no_grad():
        lin = dict(net.named_children())[first["name"]]
        lin.weight.mul_(keep.reshape(1, -1)).mul_(8.0)
    os.makedirs(out, exist_ok=True)
    base = os.path.splitext(os.path.basename(config_path))[0]
    shutil.copy(config_path, os.path.join(out, base + ".json"))
    write_safetensors(os.path.join(out, base + ".safetensors"), net.state_dict())
    print("wrote planted", base)


if __name__ == "__main__":
    if sys.argv[1] == "planted":
        planted(sys.argv[2], sys.argv[3], *map(int, sys.argv[4:8]))
    else:
        ref(sys.argv[2], sys.argv[3])
