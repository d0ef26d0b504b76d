"""Planted-unit study for issue 11 (feature visualization), in PyTorch: which recipe makes the
visualisation of a hand-set grating unit look like the grating (PlantedUnitTest's localCorrelation
>= 0.8 on seeds 1-3), and what a plain pixel-space optimisation reaches.

The planted unit is PlantedUnitTest's: a 9x9 conv, 1 output channel, no bias, weights
0.1 * COLOUR[c] * cos(phase(x, y)), grating at 30 degrees, 1/8 cycle per pixel, COLOUR =
(0.6, 0.1, -0.5), then a ReLU, on a 64x64 input (no normalisation). The image is 40x40; the
objective is the mean of the ReLU channel; Adam (torch.optim.Adam). The pieces are Lucent's
formulas as in bench/featureviz_pytorch.py and oracle/featureviz.py (FFT image, colour
decorrelation + sigmoid, transforms written as affine grids), MaCo's image as oracle/featureviz.py
(and Loupe's MacoImage) has it. After the transforms the batch is resized to 64 (bilinear, corners
aligned) as Loupe's Visualizer does. localCorrelation is ported from PlantedUnitTest exactly
(float64; the windows are all 32x32 9x9 windows of the 40x40 image).

Image penalties as Loupe's objective language has them (on the rendered image, before the
transforms): "+l2sqW" is "relu:0 - W*l2(0.5)*l2(0.5)" (squared L2 from grey), "+l2_W" is
"relu:0 - W*l2(0.5)" (Lucent's L2, a norm). "plain-*" are pixel images without colour
decorrelation or random transforms: "-pad" pads 12 with 0.5 (the Lucent runs' geometry, no
rescaling), "-none" is Loupe's TransformSet.NONE (40 resized to 64); "sigmoid" is Loupe's ValidRgb,
"clamp" optimises the pixels directly and clamps them to [0, 1] after each step.

usage: /usr/bin/python3 planted_study.py [RECIPE ...]   (no argument: every recipe; see RECIPES)
Prints one JSON line per run and a table at the end.
"""
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)

THETA = math.radians(30)
FREQ = 1 / 8.0
COLOUR = (0.6, 0.1, -0.5)
K = 9
SIZE = 40
INPUT = 64


def phase(x, y):
    return 2 * math.pi * FREQ * (x * math.cos(THETA) + y * math.sin(THETA))


# ---- the planted unit
_w = np.zeros((1, 3, K, K), dtype=np.float32)
for c in range(3):
    for y in range(K):
        for x in range(K):
            _w[0, c, y, x] = np.float32(0.1 * np.float32(COLOUR[c]) * math.cos(phase(x - K // 2, y - K // 2)))
WEIGHT = torch.tensor(_w)


def unit(x):
    return F.relu(F.conv2d(x, WEIGHT))


# ---- localCorrelation, as PlantedUnitTest has it
def _patterns():
    pat = np.zeros((2, 3, K, K))
    for q in range(2):
        for c in range(3):
            for y in range(K):
                for x in range(K):
                    ph = phase(x - K // 2, y - K // 2)
                    pat[q, c, y, x] = np.float32(COLOUR[c]) * (math.cos(ph) if q == 0 else math.sin(ph))
            pat[q, c] -= pat[q, c].mean()
    return pat.reshape(2, -1), (pat.reshape(2, -1) ** 2).sum(1)


PATTERN, NORM = _patterns()


def window_correlations(img):
    """[3, S, S] -> [S-K+1, S-K+1] per-window phase-free correlation (float64)."""
    x = torch.as_tensor(np.asarray(img, dtype=np.float64)).reshape(1, 3, SIZE, SIZE)
    u = F.unfold(x, K)[0].reshape(3, K * K, -1)  # [3, 81, windows]
    u = u - u.mean(1, keepdim=True)
    v = u.reshape(3 * K * K, -1).numpy()
    energy = (v * v).sum(0)
    dot = PATTERN @ v  # [2, windows]
    r = np.sqrt(dot[0] ** 2 / NORM[0] + dot[1] ** 2 / NORM[1]) / np.sqrt(np.maximum(energy, 1e-300))
    r = np.where(energy < 1e-12, 0.0, r)
    n = SIZE - K + 1
    return r.reshape(n, n)


def local_correlation(img):
    return float(window_correlations(img).mean())


def central_correlation(img, side=24):
    """The mean over the windows lying wholly inside the central side x side square."""
    r = window_correlations(img)
    o = (SIZE - side) // 2
    return float(r[o:o + side - K + 1, o:o + side - K + 1].mean())


# ---- parameterisations (Lucent's, MaCo's)
CCS = np.asarray([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]]).astype("float32")
CCN = torch.tensor((CCS / np.max(np.linalg.norm(CCS, axis=0))).T)


def rfft2d_freqs(h, w):
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.fftfreq(w)[: w // 2 + 2] if w % 2 == 1 else np.fft.fftfreq(w)[: w // 2 + 1]
    return np.sqrt(fx * fx + fy * fy)


def standardise(t):
    m = t.mean(dim=(1, 2, 3), keepdim=True)
    s = t.std(dim=(1, 2, 3), keepdim=True, unbiased=False)
    return (t - m) / (s + 1e-5)


def make_param(kind, decorrelate, output, gen, decay=1.0):
    """-> (leaves, render): render() gives [1, 3, SIZE, SIZE] in [0, 1]."""
    h = w = SIZE
    colour = (lambda t: torch.matmul(t.permute(0, 2, 3, 1), CCN).permute(0, 3, 1, 2)) if decorrelate else (lambda t: t)
    if kind == "pixel":
        if output == "clamp":  # plain pixels in [0, 1]: start at 0.5 + N(0, 0.01), clamped after each step
            v = (0.5 + 0.01 * torch.randn(1, 3, h, w, generator=gen)).requires_grad_(True)
            return [v], lambda: colour(v)
        v = (0.01 * torch.randn(1, 3, h, w, generator=gen)).requires_grad_(True)
        return [v], lambda: torch.sigmoid(colour(v))
    freqs = rfft2d_freqs(h, w)
    if kind == "fft":
        spec = (torch.randn(1, 3, *freqs.shape, 2, generator=gen) * 0.01).requires_grad_(True)
        fscale = torch.tensor(1.0 / np.maximum(freqs, 1.0 / max(w, h)) ** decay).float()[None, None, ..., None]
        return [spec], lambda: torch.sigmoid(colour(
            torch.fft.irfftn(torch.view_as_complex(fscale * spec), s=(h, w), norm="ortho")[:, :3, :h, :w] / 4.0))
    if kind == "maco":
        ph = torch.randn(1, 3, *freqs.shape, generator=gen).requires_grad_(True)
        mag = torch.tensor(1.0 / np.maximum(freqs, 1.0 / max(w, h))).float()[None]

        def render():
            p = standardise(ph)
            img = torch.fft.irfftn(torch.complex(torch.cos(p) * mag, torch.sin(p) * mag), s=(h, w), norm="ortho")
            return torch.sigmoid(colour(standardise(img)))
        return [ph], render
    raise ValueError(kind)


# ---- transforms (Lucent's, kornia as affine grids), with a numpy generator for the draws
def warp(img, M):
    b, _, hh, ww = img.shape
    N = torch.tensor([[2.0 / (ww - 1), 0, -1], [0, 2.0 / (hh - 1), -1], [0, 0, 1]], dtype=torch.float64)
    M3 = torch.cat([M.double(), torch.tensor([[0, 0, 1]], dtype=torch.float64)])
    theta = torch.linalg.inv(N @ M3 @ torch.linalg.inv(N))[:2].float()[None].repeat(b, 1, 1)
    return F.grid_sample(img, F.affine_grid(theta, list(img.shape), align_corners=True), align_corners=True)


def jitter(d, rng):
    return lambda x: warp(x, torch.tensor([[1.0, 0, float(rng.choice(d))], [0, 1.0, float(rng.choice(d))]]))


def random_scale(rng):
    def f(x):
        s = rng.choice([1 + (i - 5) / 50.0 for i in range(11)])
        shp = x.shape[2:]
        ss = [int(np.ceil(s * d)) for d in shp]
        px, py = max(0, int(np.ceil((shp[1] - ss[1]) / 2))), max(0, int(np.ceil((shp[0] - ss[0]) / 2)))
        return F.pad(F.interpolate(x, size=ss, mode="bilinear", align_corners=True), [py, px] * 2)
    return f


def random_rotate(rng):
    def f(x):
        a = math.radians(rng.choice(list(range(-10, 11)) + 5 * [0]))
        hh, ww = x.shape[2:]
        cx, cy, c, s = (ww - 1) / 2, (hh - 1) / 2, math.cos(a), math.sin(a)
        return warp(x, torch.tensor([[c, s, (1 - c) * cx - s * cy], [-s, c, s * cx + (1 - c) * cy]]))
    return f


def pad12(x):
    return F.pad(x, [12] * 4, mode="constant", value=0.5)


def random_crops(rng, count, box_from=0.5, box_to=0.05, noise=0.08):
    """MaCo's random crops as Loupe's Transforms.randomCrops (crop_and_resize, zeros outside, noise)."""
    def f(x, progress):
        _, _, h, w = x.shape
        box = box_from + (box_to - box_from) * progress
        outs = []
        for _ in range(count):
            side = min(1, max(0.05, box + 0.05 * rng.normal()))
            cy, cx = 0.5 + 0.15 * rng.normal(), 0.5 + 0.15 * rng.normal()
            top, left = cy - side / 2, cx - side / 2
            ys = (top + side * torch.arange(h, dtype=torch.float64) / (h - 1)) * (h - 1)
            xs = (left + side * torch.arange(w, dtype=torch.float64) / (w - 1)) * (w - 1)
            gy = (2 * ys / (h - 1) - 1)[:, None].expand(h, w)
            gx = (2 * xs / (w - 1) - 1)[None, :].expand(h, w)
            grid = torch.stack([gx, gy], -1)[None].float()
            outs.append(F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=True))
        out = torch.cat(outs)
        return out + noise * torch.as_tensor(rng.normal(size=out.shape), dtype=torch.float32)
    return f


def make_transforms(kind, rng, crops=16):
    if kind == "lucent":
        ts = [pad12, jitter(8, rng), random_scale(rng), random_rotate(rng), jitter(4, rng)]
        return lambda x, p: _chain(ts, x)
    if kind == "pad":  # pad 12 with 0.5 only: the geometry of the Lucent runs, no random draw
        return lambda x, p: pad12(x)
    if kind == "none":  # Loupe's TransformSet.NONE: the 40x40 image is resized to the model's 64
        return lambda x, p: x
    if kind == "crops":
        return random_crops(rng, crops)
    raise ValueError(kind)


def _chain(ts, x):
    for t in ts:
        x = t(x)
    return x


def to_input(x):
    return x if x.shape[2:] == (INPUT, INPUT) else F.interpolate(x, size=(INPUT, INPUT), mode="bilinear", align_corners=True)


def penalty_of(kind, weight):
    """Loupe's image penalties on the rendered image (before the transforms): l2 is Lucent's
    L2(0.5) = sqrt(1e-6 + sum((x - 0.5)^2)) ("relu:0 - w*l2(0.5)"), l2sq its square
    ("relu:0 - w*l2(0.5)*l2(0.5)"), tv the total variation ("relu:0 - w*tv")."""
    if kind is None:
        return lambda img: 0.0
    if kind == "l2":
        return lambda img: weight * torch.sqrt(1e-6 + ((img - 0.5) ** 2).sum())
    if kind == "l2sq":
        return lambda img: weight * (1e-6 + ((img - 0.5) ** 2).sum())
    if kind == "tv":
        return lambda img: weight * ((img[:, :, 1:] - img[:, :, :-1]).abs().sum() + (img[:, :, :, 1:] - img[:, :, :, :-1]).abs().sum())
    raise ValueError(kind)


def run(param, decorrelate, transforms, steps, seed, lr=0.05, output="sigmoid", decay=1.0, crops=16, penalty=None, weight=0.0):
    gen = torch.Generator().manual_seed(seed)
    rng = np.random.RandomState(seed)
    leaves, render = make_param(param, decorrelate, output, gen, decay)
    tf = make_transforms(transforms, rng, crops)
    opt = torch.optim.Adam(leaves, lr=lr)
    t0 = time.perf_counter()
    value = None
    pen = penalty_of(penalty, weight)
    for i in range(steps):
        opt.zero_grad()
        img = render()
        x = tf(img, i / max(1, steps - 1))
        act = unit(to_input(x)).mean()
        loss = -act + pen(img)
        loss.backward()
        opt.step()
        if output == "clamp":
            with torch.no_grad():
                leaves[0].clamp_(0, 1)
        value = act.item()
    secs = time.perf_counter() - t0
    with torch.no_grad():
        img = render()
        if output == "clamp":
            img = img.clamp(0, 1)
        # the objective of the final image in the test's geometry (pad 12 with 0.5, no random draw)
        final = unit(pad12(img)).mean().item()
        img = img[0].numpy()
    return {"corr": local_correlation(img), "central24": central_correlation(img), "obj_last_step": value,
            "obj_padded": final, "seconds": secs, "image": img}


# name -> (param, decorrelate, transforms, kwargs)
RECIPES = {
    "plain-sigmoid-pad": ("pixel", False, "pad", {}),
    "plain-clamp-pad": ("pixel", False, "pad", {"output": "clamp"}),
    "plain-sigmoid-none": ("pixel", False, "none", {}),
    "plain-clamp-none": ("pixel", False, "none", {"output": "clamp"}),
    "pixel-dec-lucent": ("pixel", True, "lucent", {}),
    "pixel-nodec-lucent": ("pixel", False, "lucent", {}),
    "fft-dec-lucent": ("fft", True, "lucent", {}),
    "fft0.5-dec-lucent": ("fft", True, "lucent", {"decay": 0.5}),
    "fft0-dec-lucent": ("fft", True, "lucent", {"decay": 0.0}),
    "maco-dec-lucent": ("maco", True, "lucent", {}),
    "maco-dec-crops": ("maco", True, "crops", {}),
}
# with Loupe's image penalties (objective "relu:0 - w*l2(0.5)*l2(0.5)" for l2sq, "relu:0 - w*l2(0.5)" for l2)
for _w in ("1e-4", "3e-4", "5e-4", "1e-3", "2e-3"):
    for _base in ("pixel-dec-lucent", "plain-sigmoid-pad", "fft-dec-lucent", "pixel-nodec-lucent", "plain-sigmoid-none"):
        _p, _d, _t, _kw = RECIPES[_base]
        RECIPES[f"{_base}+l2sq{_w}"] = (_p, _d, _t, {**_kw, "penalty": "l2sq", "weight": float(_w)})
for _w in ("0.001", "0.002", "0.005", "0.01"):
    for _base in ("pixel-dec-lucent", "plain-sigmoid-pad"):
        _p, _d, _t, _kw = RECIPES[_base]
        RECIPES[f"{_base}+l2_{_w}"] = (_p, _d, _t, {**_kw, "penalty": "l2", "weight": float(_w)})
STEPS = {"plain-sigmoid-pad": [256, 512, 1024], "plain-clamp-pad": [256, 512, 1024], "plain-sigmoid-none": [256],
         "plain-clamp-none": [256], "pixel-dec-lucent": [256, 512, 1024], "pixel-nodec-lucent": [256, 512, 1024],
         "fft-dec-lucent": [256, 512, 1024], "fft0.5-dec-lucent": [256, 512, 1024], "fft0-dec-lucent": [256, 512, 1024],
         "maco-dec-lucent": [256, 512], "maco-dec-crops": [256]}
for _name in RECIPES:
    STEPS.setdefault(_name, [256, 512, 1024] if _name.startswith(("pixel-dec-lucent", "plain-sigmoid-pad")) else [256, 512])


def main(names):
    rows = []
    for name in names:
        p, d, t, kw = RECIPES[name]
        for steps in STEPS[name]:
            res = []
            for seed in (1, 2, 3):
                r = run(p, d, t, steps, seed, **kw)
                r.pop("image")
                res.append(r)
                print(json.dumps({"recipe": name, "steps": steps, "seed": seed, **{k: round(v, 4) for k, v in r.items()}}), flush=True)
            rows.append((name, steps, res))
    print("\n| recipe | steps | corr s1 s2 s3 | spread | central 24x24 s1 s2 s3 | objective (padded, no draw) | s/run |")
    print("|---|---|---|---|---|---|---|")
    for name, steps, res in rows:
        c = [r["corr"] for r in res]
        print(f"| {name} | {steps} | {' '.join(f'{v:.3f}' for v in c)} | {max(c) - min(c):.3f} | "
              f"{' '.join('%.3f' % r['central24'] for r in res)} | {' '.join('%.3f' % r['obj_padded'] for r in res)} | "
              f"{np.mean([r['seconds'] for r in res]):.1f} |")


if __name__ == "__main__":
    main(sys.argv[1:] or list(RECIPES))
