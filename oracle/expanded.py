"""Reference expanded weights (Circuits, "Visualizing Weights") for Loupe's expanded-weights analysis,
computed by autograd: the gradient of one unit of a later layer, at the centre of its map, with respect to
the activations of an earlier layer, through the modules between them with every nonlinearity replaced by
the identity (batch norm in eval mode). Across a linear stretch that gradient is the expanded kernel.

usage: /usr/bin/python3 expanded.py CONFIG.json WEIGHTS.npz FROM TO UNIT OUT.npz
writes OUT.npz: grad [C_from, H_from, W_from] (float64) and pos [row, col] (the centre of TO's map).
"""
import json
import sys

import numpy as np
import torch
from torch import nn

from seqcnn import build


def main(config, weights, src, dst, unit, out):
    cfg = json.load(open(config))
    net = build(cfg)
    w = np.load(weights)
    net.load_state_dict({k: torch.from_numpy(w[k]) for k in w.files})
    net = net.double().eval()
    names = [n for n, _ in net.named_children()]
    a, b = names.index(src), names.index(dst)
    shapes = {}
    hooks = [m.register_forward_hook(lambda m, i, o, n=n: shapes.__setitem__(n, o.shape)) for n, m in net.named_children()]
    c = cfg["input"]
    with torch.no_grad():
        net(torch.zeros(1, c["channels"], c["height"], c["width"], dtype=torch.float64))
    for h in hooks:
        h.remove()
    stretch = [m for n, m in list(net.named_children())[a + 1:b + 1]]
    stretch = nn.Sequential(*[nn.Identity() if isinstance(m, (nn.ReLU, nn.GELU, nn.Sigmoid, nn.Tanh)) else m for m in stretch])
    x = torch.zeros(shapes[src], dtype=torch.float64, requires_grad=True)
    y = stretch(x)
    row, col = y.shape[2] // 2, y.shape[3] // 2
    y[0, int(unit), row, col].backward()
    np.savez(out, grad=x.grad[0].numpy(), pos=np.array([row, col], dtype=np.float64))


if __name__ == "__main__":
    main(*sys.argv[1:])
