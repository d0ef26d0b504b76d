"""The Lucent loop in PyTorch, for the feature-visualization benchmark (featureviz.sh): Lucent's
render_vis with its defaults (FFT image 1/f-scaled, decorrelated colour + sigmoid, standard
transforms, upsampling to 224 with corners aligned, normalisation, Adam 0.05), the whole network
run every step with the layer read from a forward hook, objective = -mean of one channel. The
transforms are Lucent's, with kornia's translate/rotate written as affine grids (kornia is not in
Debian). Prints one JSON line: seconds per step (median over the timed steps) and for the run.
With a ninth argument "stop" the hook ends the forward pass at the layer (raises): what the loop
costs when it stops early as Loupe does, the floor for the early-stop targets.
usage: featureviz_pytorch.py MODELDIR ARCH LAYER UNIT STEPS SIZE THREADS [BATCH [stop]]"""
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle")
sys.path.insert(0, ORACLE)
import zoo_cnn  # noqa: E402
from lucent_inceptionv1 import InceptionV1Lucent  # noqa: E402

modeldir, arch, layer, unit, steps, size, threads = sys.argv[1:8]
batch = int(sys.argv[8]) if len(sys.argv) > 8 else 1
stop_early = len(sys.argv) > 9 and sys.argv[9] == "stop"
unit, steps, size, threads = int(unit), int(steps), int(size), int(threads)
torch.set_num_threads(threads)
torch.manual_seed(0)
np.random.seed(0)

model = InceptionV1Lucent() if arch == "inceptionv1" else zoo_cnn.ARCHS[arch][0]()
model.load_state_dict(torch.load(os.path.join(modeldir, arch + ".pth")))
model.eval()
for p in model.parameters():
    p.requires_grad_(False)
mean, std, scale = zoo_cnn.ARCHS[arch][1]
mean_t = torch.tensor(mean).view(1, 3, 1, 1)
std_t = torch.tensor(std).view(1, 3, 1, 1)
module = dict(model.named_modules())[layer]
features = {}


class StopForward(Exception):
    pass


def hook(m, i, o):
    features["x"] = o
    if stop_early:
        raise StopForward()


module.register_forward_hook(hook)

# parameterisation (lucent.optvis.param)
h = w = size
fy = np.fft.fftfreq(h)[:, None]
fx = np.fft.fftfreq(w)[: w // 2 + 2] if w % 2 == 1 else np.fft.fftfreq(w)[: w // 2 + 1]
freqs = np.sqrt(fx * fx + fy * fy)
spectrum = (torch.randn(batch, 3, *freqs.shape, 2) * 0.01).requires_grad_(True)
fscale = torch.tensor(1.0 / np.maximum(freqs, 1.0 / max(w, h))).float()[None, None, ..., None]
ccs = np.asarray([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]]).astype("float32")
ccn = torch.tensor((ccs / np.max(np.linalg.norm(ccs, axis=0))).T)


def image_f():
    img = torch.fft.irfftn(torch.view_as_complex(fscale * spectrum), s=(h, w), norm="ortho")[:batch, :3, :h, :w] / 4.0
    return torch.sigmoid(torch.matmul(img.permute(0, 2, 3, 1), ccn).permute(0, 3, 1, 2))


def warp(img, M):
    b, _, hh, ww = img.shape
    N = torch.tensor([[2.0 / (ww - 1), 0, -1], [0, 2.0 / (hh - 1), -1], [0, 0, 1]], dtype=torch.float64)
    M3 = torch.cat([M.double(), torch.tensor([[0, 0, 1]], dtype=torch.float64)])
    theta = torch.linalg.inv(N @ M3 @ torch.linalg.inv(N))[:2].float()[None].repeat(b, 1, 1)
    return F.grid_sample(img, F.affine_grid(theta, list(img.shape), align_corners=True), align_corners=True)


def jitter(d):
    return lambda x: warp(x, torch.tensor([[1.0, 0, float(np.random.choice(d))], [0, 1.0, float(np.random.choice(d))]]))


def random_scale(x):
    s = np.random.choice([1 + (i - 5) / 50.0 for i in range(11)])
    shp = x.shape[2:]
    ss = [int(np.ceil(s * d)) for d in shp]
    px, py = max(0, int(np.ceil((shp[1] - ss[1]) / 2))), max(0, int(np.ceil((shp[0] - ss[0]) / 2)))
    return F.pad(torch.nn.Upsample(size=ss, mode="bilinear", align_corners=True)(x), [py, px] * 2)


def random_rotate(x):
    a = math.radians(np.random.choice(list(range(-10, 11)) + 5 * [0]))
    hh, ww = x.shape[2:]
    cx, cy, c, s = (ww - 1) / 2, (hh - 1) / 2, math.cos(a), math.sin(a)
    return warp(x, torch.tensor([[c, s, (1 - c) * cx - s * cy], [-s, c, s * cx + (1 - c) * cy]]))


transforms = [lambda x: F.pad(x, [12] * 4, mode="constant", value=0.5), jitter(8), random_scale, random_rotate, jitter(4),
              lambda x: (x * scale - mean_t) / std_t, torch.nn.Upsample(size=224, mode="bilinear", align_corners=True)]
opt = torch.optim.Adam([spectrum], lr=0.05)
times = []
pieces = {k: [] for k in ("param", "transforms", "forward", "backward", "adam")}
t_run = time.perf_counter()
for i in range(steps):
    t0 = time.perf_counter()
    opt.zero_grad()
    x = image_f()
    t1 = time.perf_counter()
    for t in transforms:
        x = t(x)
    t2 = time.perf_counter()
    try:
        model(x)
    except StopForward:
        pass
    loss = -features["x"][:, unit].mean()
    t3 = time.perf_counter()
    loss.backward()
    t4 = time.perf_counter()
    opt.step()
    t5 = time.perf_counter()
    times.append(t5 - t0)
    for k, dt in zip(pieces, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
        pieces[k].append(dt)
total = time.perf_counter() - t_run
first = min(3, len(times) - 1)
timed = sorted(times[first:])


def median_ms(v):
    v = sorted(v[first:])
    return round(1000 * v[len(v) // 2], 2)


# per piece (CPU ops are synchronous, so a piece's wall time is its cost): median ms per step
print(json.dumps({"engine": "pytorch-lucent", "model": arch, "layer": layer, "batch": batch, "size": size, "steps": steps,
                  "median_step_ms": 1000 * timed[len(timed) // 2], "run_s": total, "threads": threads,
                  "pieces_ms": {k: median_ms(v) for k, v in pieces.items()}}))
