"""Reference expanded weights (Circuits, "Visualizing Weights") for Loupe's expanded-weights analysis,
computed by autograd: the gradient of one unit of a later layer, at the centre of its map, with respect to
the activations of an earlier layer, through the modules between them with every nonlinearity replaced by
the identity (batch norm in eval mode). Across a linear stretch that gradient is the expanded kernel.

usage: /usr/bin/python3 expanded.py CONFIG.json WEIGHTS.npz FROM TO UNIT OUT.npz
writes OUT.npz: grad [C_from, H_from, W_from] (float64) and pos [row, col] (the centre of TO's map).

usage: /usr/bin/python3 expanded.py resnet OUTDIR
builds a torchvision ResNet-18 with seeded weights (batch norm statistics random, so that every batch norm
matters in eval mode) and writes OUTDIR/resnet18.safetensors and, last, OUTDIR/resnet18_expanded.npz with,
for each case and unit u, grad.<case>.<u> [C, H, W] (float32) and pos.<case> [row, col]: the gradient of
unit u at the centre of the later map with respect to the block's input (layer1, the output of layer1.1)
through the linear composition Loupe makes across layer2.0, in float64:
  add: layer2.0.add; the branch has a ReLU, so (the Circuits convention) the skip connection only: the
       downsample's 1x1 stride-2 convolution and its batch norm;
  bn1: layer2.0.bn1, the branch up to its first ReLU: the 3x3 stride-2 conv1 and bn1.
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

from seqcnn import build, randomize_bn


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


def linear_part(block, dst):
    """The linear map from a BasicBlock's input to `dst` ('add' or a module of the branch before its first
    ReLU), as Loupe composes it: for 'add', the skip connection plus the branch if the branch is linear
    (a torchvision BasicBlock's never is: it has a ReLU between bn1 and conv2), else the skip alone."""
    skip = block.downsample if block.downsample is not None else nn.Identity()
    if dst == "add":
        return skip  # the branch conv1-bn1-relu-conv2-bn2 is not linear and is left out
    branch = []
    for name in ["conv1", "bn1"]:
        branch.append(getattr(block, name))
        if name == dst:
            return nn.Sequential(*branch)
    raise ValueError(dst)


def resnet(out):
    import torchvision.models as tvm
    from common import write_safetensors
    torch.manual_seed(15)
    net = tvm.resnet18()
    randomize_bn(net)
    net.eval()
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "resnet18.safetensors"), net.state_dict())
    block = net.double().layer2[0]
    refs = {}
    for case in ["add", "bn1"]:
        stretch = linear_part(block, case)
        for unit in [0, 77]:
            x = torch.zeros(1, 64, 56, 56, dtype=torch.float64, requires_grad=True)
            y = stretch(x)
            row, col = y.shape[2] // 2, y.shape[3] // 2
            y[0, unit, row, col].backward()
            refs["grad.%s.%d" % (case, unit)] = x.grad[0].float().numpy()
            refs["pos." + case] = np.array([row, col], dtype=np.float64)
    np.savez(os.path.join(out, "resnet18_expanded.npz"), **refs)
    print("wrote resnet18 and", sorted(refs))


if __name__ == "__main__":
    if sys.argv[1] == "resnet":
        resnet(sys.argv[2])
    else:
        main(*sys.argv[1:])
