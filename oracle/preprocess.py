"""torchvision's evaluation preprocessing on PIL images, for Loupe's preprocessing golden test:
transforms.Resize(n, antialias=True) + CenterCrop(crop) (and Resize((h, w)) for a resize that does not
keep the aspect ratio), bilinear and bicubic, then ToTensor.

usage: /usr/bin/python3 preprocess.py OUTDIR
writes OUTDIR/<name>.png (seeded 8-bit RGB test images: smooth gradients, sharp-edged shapes and noise,
the content where resampling differences show) and last OUTDIR/preprocess.npz (the marker) with, per case
"<image>:<mode>:<resize>:<crop h>x<crop w>", the tensor [3, h, w] in [0, 1] torchvision produces.
"""
import os
import sys

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

# image name, width, height
IMAGES = [("photo320x240", 320, 240), ("portrait240x320", 240, 320), ("wide500x375", 500, 375),
          ("small101x67", 101, 67), ("tiny50x30", 50, 30), ("square224", 224, 224), ("odd333x257", 333, 257)]

# image, mode (short = Resize(n) + CenterCrop, stretch = Resize((h, w)); -bicubic: with BICUBIC), resize n, crop h, crop w
CASES = [("photo320x240", "short", 256, 224, 224), ("photo320x240", "short", 224, 224, 224),
         ("portrait240x320", "short", 256, 224, 224), ("wide500x375", "short", 232, 224, 224),
         ("wide500x375", "short", 236, 224, 224), ("small101x67", "short", 64, 56, 56),
         ("tiny50x30", "short", 64, 60, 60), ("square224", "short", 256, 224, 224),
         ("odd333x257", "short", 248, 224, 224), ("odd333x257", "short", 160, 150, 120),
         ("photo320x240", "stretch", 0, 224, 224), ("odd333x257", "stretch", 0, 32, 32),
         ("photo320x240", "short-bicubic", 256, 224, 224), ("wide500x375", "short-bicubic", 248, 224, 224),
         ("tiny50x30", "short-bicubic", 64, 60, 60), ("odd333x257", "stretch-bicubic", 0, 32, 32)]


def image(w, h, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    img = np.zeros((h, w, 3))
    for c in range(3):
        fx, fy, ph = rng.uniform(0.5, 6, 2).tolist() + [rng.uniform(0, 6.3)]
        img[..., c] = 0.5 + 0.35 * np.sin(2 * np.pi * (fx * x / w + fy * y / h) + ph)
    for _ in range(6):
        x0, y0 = rng.integers(0, w), rng.integers(0, h)
        x1, y1 = x0 + rng.integers(2, max(3, w // 3)), y0 + rng.integers(2, max(3, h // 3))
        img[y0:y1, x0:x1] = rng.uniform(0, 1, 3)
    img += rng.normal(0, 0.08, img.shape)
    return Image.fromarray((np.clip(img, 0, 1) * 255 + 0.5).astype(np.uint8), "RGB")


def main(out):
    os.makedirs(out, exist_ok=True)
    images = {}
    for i, (name, w, h) in enumerate(IMAGES):
        im = image(w, h, 100 + i)
        im.save(os.path.join(out, name + ".png"))
        images[name] = Image.open(os.path.join(out, name + ".png")).convert("RGB")
    refs = {}
    for name, mode, n, ch, cw in CASES:
        how = transforms.InterpolationMode.BICUBIC if mode.endswith("-bicubic") else transforms.InterpolationMode.BILINEAR
        if mode.startswith("short"):
            t = transforms.Compose([transforms.Resize(n, interpolation=how, antialias=True),
                                    transforms.CenterCrop((ch, cw)), transforms.ToTensor()])
        else:
            t = transforms.Compose([transforms.Resize((ch, cw), interpolation=how, antialias=True), transforms.ToTensor()])
        x = t(images[name])
        assert x.shape == (3, ch, cw), (name, x.shape)
        refs[f"{name}:{mode}:{n}:{ch}x{cw}"] = x.numpy()
    np.savez(os.path.join(out, "preprocess.npz"), **refs)
    print("wrote", len(refs), "cases")


if __name__ == "__main__":
    main(sys.argv[1])
