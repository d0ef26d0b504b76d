"""Input gradients of convolutions, for the oneDNN backward tests (ConvolutionGradientTest).

For each case (batch, in, out, size, kernel, stride, padding, dilation, groups, kind; kind 1: oneDNN's
backward is wrong, 2: it crashes, 0: it is exact, 3: a patch embedding): seeded x, w and an upstream gradient g in float32, and d sum(conv2d(x, w) * g) / dx computed by PyTorch in float64
(where no oneDNN kernel runs). Usage: conv_grad.py OUTDIR
"""
import sys

import torch

from common import save_refs

# needs the guard: dense, kernel > 1x1, output channels not a multiple of 16
WRONG_WITH_ONEDNN = [(2, 1, 4, 5, 3, 1, 0, 1, 1), (2, 16, 8, 20, 3, 1, 1, 1, 1), (2, 3, 12, 32, 7, 2, 3, 1, 1),
                     (4, 16, 8, 20, 3, 1, 2, 2, 1), (1, 16, 8, 40, 3, 1, 1, 1, 1), (2, 24, 20, 12, 5, 1, 2, 1, 1)]
# the backward crashes the process in oneDNN (SIGFPE): 1x1 with stride 2, ResNet's shortcuts
CRASH_WITH_ONEDNN = [(2, 512, 1024, 14, 1, 2, 0, 1, 1), (1, 256, 1024, 28, 1, 2, 0, 1, 1), (2, 1024, 2048, 14, 1, 2, 0, 1, 1)]
# patch embeddings (kernel == stride), computed by Convolutions as a matrix product
PATCHES = [(2, 3, 192, 64, 8, 8, 0, 1, 1), (2, 3, 96, 30, 4, 4, 0, 1, 1), (1, 3, 768, 224, 16, 16, 0, 1, 1)]
# exact with oneDNN: output channels a multiple of 16, 1x1, grouped, depthwise
EXACT_WITH_ONEDNN = [(2, 3, 64, 32, 7, 2, 3, 1, 1), (2, 17, 16, 20, 3, 1, 1, 1, 1), (16, 64, 64, 14, 3, 1, 1, 1, 1),
                     (2, 16, 8, 20, 1, 1, 0, 1, 1), (2, 24, 24, 20, 7, 1, 3, 1, 24), (2, 48, 24, 20, 3, 1, 1, 1, 3)]


def main(out):
    torch.manual_seed(0)
    arrays = {}
    cases = [(s, 1) for s in WRONG_WITH_ONEDNN] + [(s, 2) for s in CRASH_WITH_ONEDNN] + [(s, 0) for s in EXACT_WITH_ONEDNN] + [(s, 3) for s in PATCHES]
    for i, (spec, kind) in enumerate(cases):
        b, cin, cout, size, k, stride, pad, dil, groups = spec
        x = torch.randn(b, cin, size, size)
        w = torch.randn(cout, cin // groups, k, k)
        y = torch.nn.functional.conv2d(x, w, None, stride, pad, dil, groups)
        g = torch.randn(y.shape)
        x64 = x.double().requires_grad_(True)
        (torch.nn.functional.conv2d(x64, w.double(), None, stride, pad, dil, groups) * g.double()).sum().backward()
        arrays.update({f"c{i}_spec": torch.tensor(spec + (kind,), dtype=torch.float32),
                       f"c{i}_x": x, f"c{i}_w": w, f"c{i}_g": g, f"c{i}_grad": x64.grad.float()})
    save_refs(f"{out}/conv_grad_ref.npz", cases=torch.tensor([float(len(cases))]), **arrays)


if __name__ == "__main__":
    main(sys.argv[1])
