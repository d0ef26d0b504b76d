"""Feature-visualization pieces in PyTorch, for FeatureVizOracleTest.

Lucent's formulas (lucent.optvis.param, .transform, .objectives, as its source has them), written
here with plain torch: kornia's translate / get_rotation_matrix2d / warp_affine are rewritten as
their affine matrices normalised to [-1, 1] and F.affine_grid + F.grid_sample (align_corners=True,
zeros), as kornia computes them. MaCo's image as Xplique's maco_image_parametrization. Loupe's
silhouette as SilhouetteImage's formulas, with atan2 and cos(k theta) where Loupe recurses. Every input
is seeded and saved next to the outputs and the gradients of sum(output * g). Usage:
featureviz.py OUTDIR
"""
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

from common import save_refs

torch.manual_seed(0)
out = {}

# ---- FFT image (lucent.optvis.param.spatial.fft_image), even and odd width
def rfft2d_freqs(h, w):
    fy = np.fft.fftfreq(h)[:, None]
    if w % 2 == 1:
        fx = np.fft.fftfreq(w)[: w // 2 + 2]
    else:
        fx = np.fft.fftfreq(w)[: w // 2 + 1]
    return np.sqrt(fx * fx + fy * fy)


for tag, (b, c, h, w) in {"even": (2, 3, 12, 16), "odd": (1, 3, 9, 15)}.items():
    freqs = rfft2d_freqs(h, w)
    spec = (torch.randn(b, c, *freqs.shape, 2) * 0.5).requires_grad_(True)
    scale = torch.tensor(1.0 / np.maximum(freqs, 1.0 / max(w, h)) ** 1).float()[None, None, ..., None]
    image = torch.fft.irfftn(torch.view_as_complex(scale * spec), s=(h, w), norm="ortho")[:b, :c, :h, :w] / 4.0
    g = torch.randn(image.shape)
    (image * g).sum().backward()
    bins = w // 2 + 1
    out.update({f"fft_{tag}_shape": torch.tensor([b, c, h, w], dtype=torch.float32),
                f"fft_{tag}_re": spec[..., :bins, 0].detach(), f"fft_{tag}_im": spec[..., :bins, 1].detach(),
                f"fft_{tag}_scale": scale[0, 0, :, :bins, 0], f"fft_{tag}_image": image.detach(), f"fft_{tag}_g": g,
                f"fft_{tag}_grad_re": spec.grad[..., :bins, 0], f"fft_{tag}_grad_im": spec.grad[..., :bins, 1]})
    # the forward spectrum of a real image (rfftn, ortho), for accentuation and MaCo's mean spectrum
    x = torch.randn(h, w)
    f = torch.fft.rfftn(x, norm="ortho")
    out.update({f"rfft_{tag}_x": x, f"rfft_{tag}_re": f.real, f"rfft_{tag}_im": f.imag})

# ---- colour decorrelation + sigmoid (lucent.optvis.param.color.to_valid_rgb)
color_correlation_svd_sqrt = np.asarray([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]]).astype("float32")
max_norm_svd_sqrt = np.max(np.linalg.norm(color_correlation_svd_sqrt, axis=0))
color_correlation_normalized = color_correlation_svd_sqrt / max_norm_svd_sqrt


def decorrelate(t):
    t = t.permute(0, 2, 3, 1)
    t = torch.matmul(t, torch.tensor(color_correlation_normalized.T))
    return t.permute(0, 3, 1, 2)


x = (torch.randn(2, 3, 5, 7) * 2).requires_grad_(True)
y = torch.sigmoid(decorrelate(x))
g = torch.randn(y.shape)
(y * g).sum().backward()
out.update({"rgb_x": x.detach(), "rgb_y": y.detach(), "rgb_g": g, "rgb_grad": x.grad})


# ---- transforms with fixed draws (lucent.optvis.transform)
def warp_affine(img, M):
    """kornia.warp_affine(img, M, dsize=(h, w)), bilinear, zeros, align_corners=True."""
    b, _, h, w = img.shape
    N = torch.tensor([[2.0 / (w - 1), 0, -1], [0, 2.0 / (h - 1), -1], [0, 0, 1]], dtype=torch.float64)
    M3 = torch.cat([M.double(), torch.tensor([[0, 0, 1]], dtype=torch.float64)])
    theta = torch.linalg.inv(N @ M3 @ torch.linalg.inv(N))[:2].float()[None].repeat(b, 1, 1)
    grid = F.affine_grid(theta, list(img.shape), align_corners=True)
    return F.grid_sample(img, grid, mode="bilinear", padding_mode="zeros", align_corners=True)


def translate(img, dx, dy):
    return warp_affine(img, torch.tensor([[1.0, 0, dx], [0, 1.0, dy]]))


def rotate(img, angle):
    h, w = img.shape[2:]
    cx, cy = (w - 1) / 2, (h - 1) / 2
    a, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return warp_affine(img, torch.tensor([[a, s, (1 - a) * cx - s * cy], [-s, a, s * cx + (1 - a) * cy]]))


def random_scale_with(img, scale):
    shp = img.shape[2:]
    scale_shape = [int(np.ceil(scale * d)) for d in shp]
    pad_x = max(0, int(np.ceil((shp[1] - scale_shape[1]) / 2)))
    pad_y = max(0, int(np.ceil((shp[0] - scale_shape[0]) / 2)))
    up = torch.nn.Upsample(size=scale_shape, mode="bilinear", align_corners=True)
    return F.pad(up(img), [pad_y, pad_x] * 2)


img = torch.rand(2, 3, 20, 23)
cases = []
for i, (kind, v) in enumerate([("shift", (3, 5)), ("shift", (0, 7)), ("scale", 0.9), ("scale", 0.94), ("scale", 1.06), ("scale", 1.1),
                               ("rotate", -10), ("rotate", 3), ("rotate", 7), ("pad", 12), ("upsample", (31, 29))]):
    x = img.clone().requires_grad_(True)
    if kind == "shift":
        y = translate(x, *v)
    elif kind == "scale":
        y = random_scale_with(x, v)
    elif kind == "rotate":
        y = rotate(x, v)
    elif kind == "pad":
        y = F.pad(x, [v] * 4, mode="constant", value=0.5)
    else:
        y = torch.nn.Upsample(size=v, mode="bilinear", align_corners=True)(x)
    g = torch.randn(y.shape)
    (y * g).sum().backward()
    out.update({f"t{i}_y": y.detach(), f"t{i}_g": g, f"t{i}_grad": x.grad})
    cases.append(i)
out["t_image"] = img
out["t_cases"] = torch.tensor([float(len(cases))])

# ---- objectives (lucent.optvis.objectives), on a conv activation [N, C, H, W]
act = torch.randn(3, 4, 5, 5).requires_grad_(True)
vec = torch.randn(4)


def diversity(layer_t):
    batch, channels, _, _ = layer_t.shape
    flattened = layer_t.view(batch, channels, -1)
    grams = torch.matmul(flattened, torch.transpose(flattened, 1, 2))
    grams = F.normalize(grams, p=2, dim=(1, 2))
    return -sum([sum([(grams[i] * grams[j]).sum() for j in range(batch) if j != i]) for i in range(batch)]) / batch


objectives = {
    "channel": lambda a: a[:, 2].mean(),
    "channel_row": lambda a: a[1:2, 3].mean(),
    "neuron": lambda a: a[:, :, 2:3, 2:3][:, 1].mean(),
    "neuron_xy": lambda a: a[:, :, 3:4, 1:2][:, 0].mean(),
    "direction": lambda a: (a * vec.reshape(1, -1, 1, 1)).sum(1).mean(),
    "cosine": lambda a: torch.nn.CosineSimilarity(dim=1)(vec.reshape((1, -1, 1, 1)), a).mean(),
    "diversity": diversity,
    "tv": lambda a: (a[:, :, 1:, :] - a[:, :, :-1, :]).abs().sum() + (a[:, :, :, 1:] - a[:, :, :, :-1]).abs().sum(),
    "l2": lambda a: torch.sqrt(1e-6 + torch.sum((a - 0.5) ** 2)),
}
out["obj_act"] = act.detach()
out["obj_vec"] = vec
for name, f in objectives.items():
    if act.grad is not None:
        act.grad = None
    v = f(act)
    v.backward()
    out[f"obj_{name}"] = v.detach().reshape(1)
    out[f"obj_{name}_grad"] = act.grad.clone()

# ---- MaCo's image (Xplique's maco_image_parametrization), per image, then Lucent's colour + sigmoid
b, c, h, w = 2, 3, 10, 12
phase = torch.randn(b, c, h, w // 2 + 1).requires_grad_(True)
magnitude = torch.rand(c, h, w // 2 + 1) + 0.1


def standardise(t):
    m = t.mean(dim=(1, 2, 3), keepdim=True)
    s = t.std(dim=(1, 2, 3), keepdim=True, unbiased=False)
    return (t - m) / (s + 1e-5)


p = standardise(phase)
maco = torch.fft.irfftn(torch.complex(torch.cos(p) * magnitude, torch.sin(p) * magnitude), s=(h, w), norm="ortho")
maco = torch.sigmoid(decorrelate(standardise(maco)))
g = torch.randn(maco.shape)
(maco * g).sum().backward()
out.update({"maco_phase": phase.detach(), "maco_magnitude": magnitude, "maco_image": maco.detach(), "maco_g": g, "maco_grad": phase.grad})

# ---- Adam (torch.optim.Adam, lr 0.05): three steps with given gradients
p0 = torch.randn(7)
param = p0.clone().requires_grad_(True)
opt = torch.optim.Adam([param], lr=0.05)
grads = torch.randn(3, 7)
for k in range(3):
    opt.zero_grad()
    param.grad = grads[k].clone()
    opt.step()
out.update({"adam_p0": p0, "adam_grads": grads, "adam_p3": param.detach()})

# ---- silhouette (Loupe's SilhouetteImage): one object's outline r(theta), a hole, two colours
sb, side, kh = 2, 20, 5
sc = side / 64
sil = {"a": torch.randn(sb, kh) * 0.5, "b": torch.randn(sb, kh) * 0.5, "r0": torch.randn(sb) * 0.5, "c": torch.randn(sb, 2) * 0.5,
       "h": torch.randn(sb, 2) * 0.5, "hr": torch.randn(sb) * 0.3, "gate": torch.randn(sb), "fg": torch.randn(sb, 3), "bg": torch.randn(sb, 3)}
for v in sil.values():
    v.requires_grad_(True)
yy, xx = torch.meshgrid(torch.arange(side) + 0.5, torch.arange(side) + 0.5, indexing="ij")
cx = (side / 2 + 6 * sc * torch.tanh(sil["c"][:, 0])).view(-1, 1, 1)
cy = (side / 2 + 6 * sc * torch.tanh(sil["c"][:, 1])).view(-1, 1, 1)
rho = torch.sqrt((xx - cx) ** 2 + (yy - cy) ** 2 + 1e-6)
theta = torch.atan2(yy - cy, xx - cx)
k = torch.arange(1, kh + 1).float()
arg = sil["r0"].view(-1, 1, 1) + (sil["a"][:, None, None, :] * torch.cos(theta[..., None] * k)
                                  + sil["b"][:, None, None, :] * torch.sin(theta[..., None] * k)).sum(-1)
inside = torch.sigmoid((4 * sc + 24 * sc * torch.sigmoid(arg) - rho) / (0.7 * sc))
hx = cx + 8 * sc * torch.tanh(sil["h"][:, 0]).view(-1, 1, 1)
hy = cy + 8 * sc * torch.tanh(sil["h"][:, 1]).view(-1, 1, 1)
hd = torch.sqrt((xx - hx) ** 2 + (yy - hy) ** 2 + 1e-6)
cut = torch.sigmoid((10 * sc * torch.exp(sil["hr"]).view(-1, 1, 1) - hd) / (0.7 * sc)) * torch.sigmoid(sil["gate"]).view(-1, 1, 1)
mask = (inside * (1 - cut))[:, None]
lo, hi = torch.sigmoid(sil["bg"])[:, :, None, None], torch.sigmoid(sil["fg"])[:, :, None, None]
silhouette = lo + (hi - lo) * mask
g = torch.randn(silhouette.shape)
(silhouette * g).sum().backward()
out.update({"sil_image": silhouette.detach(), "sil_weights": g})
for name, v in sil.items():
    out.update({f"sil_{name}": v.detach(), f"sil_{name}_grad": v.grad})

save_refs(f"{sys.argv[1]}/featureviz_ref.npz", **out)
