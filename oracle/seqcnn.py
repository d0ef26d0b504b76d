"""Builds a sequential CNN from a Loupe JSON config in PyTorch with seeded weights and writes
weights (safetensors and npz) plus reference outputs, activations and gradients.

usage: /usr/bin/python3 seqcnn.py CONFIG.json OUTDIR
writes OUTDIR/<base>.json (config copy), <base>.safetensors, <base>.npz (weights), <base>_ref.npz
"""
import collections
import json
import math
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn as nn

from common import save_refs, write_safetensors


def build(cfg):
    c, h, w = cfg["input"]["channels"], cfg["input"]["height"], cfg["input"]["width"]
    shape = [c, h, w]
    layers = collections.OrderedDict()
    for l in cfg["layers"]:
        t, name = l["type"], l["name"]
        if t == "conv2d":
            k, s, p = l["kernel"], l.get("stride", 1), l.get("padding", 0)
            layers[name] = nn.Conv2d(shape[0], l["out_channels"], k, s, p, bias=l.get("bias", True))
            shape = [l["out_channels"], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif t == "batchnorm2d":
            layers[name] = nn.BatchNorm2d(shape[0], eps=l.get("eps", 1e-5))
        elif t in ("maxpool2d", "avgpool2d"):
            k, p = l["kernel"], l.get("padding", 0)
            s = l.get("stride", k)
            layers[name] = (nn.MaxPool2d if t == "maxpool2d" else nn.AvgPool2d)(k, s, p)
            shape = [shape[0], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif t == "global_avgpool":
            layers[name] = nn.AdaptiveAvgPool2d(1)
            shape = [shape[0], 1, 1]
        elif t == "flatten":
            layers[name] = nn.Flatten()
            shape = [int(np.prod(shape))]
        elif t == "linear":
            layers[name] = nn.Linear(shape[0], l["out_features"], bias=l.get("bias", True))
            shape = [l["out_features"]]
        else:
            layers[name] = {"relu": nn.ReLU, "gelu": nn.GELU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
                            "dropout": nn.Dropout}[t]()
    return nn.Sequential(layers)


def randomize_bn(net):
    """Non-trivial eval-mode batch norms: random affine parameters and running statistics (torch's RNG)."""
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)


def main(config_path, out):
    cfg = json.load(open(config_path))
    torch.manual_seed(0)
    net = build(cfg)
    randomize_bn(net)
    net.eval()
    os.makedirs(out, exist_ok=True)
    base = os.path.splitext(os.path.basename(config_path))[0]
    shutil.copy(config_path, os.path.join(out, base + ".json"))
    sd = net.state_dict()
    write_safetensors(os.path.join(out, base + ".safetensors"), sd)
    np.savez(os.path.join(out, base + ".npz"), **{k: v.numpy() for k, v in sd.items()})

    torch.manual_seed(1)
    inp = cfg["input"]
    x = torch.rand(2, inp["channels"], inp["height"], inp["width"])
    mean = torch.tensor(inp.get("mean", [0.0] * inp["channels"])).view(1, -1, 1, 1)
    std = torch.tensor(inp.get("std", [1.0] * inp["channels"])).view(1, -1, 1, 1)
    x = (x * inp.get("scale", 1.0) - mean) / std
    acts = {}
    hooks = [m.register_forward_hook(lambda mod, i, o, n=n: acts.__setitem__(n, o)) for n, m in net.named_children()]
    xg = x.clone().requires_grad_(True)
    logits = net(xg)
    for h in hooks:
        h.remove()
    # objective: mean of channel 1 of the layer named by "objective" in the config (default: first conv)
    target = cfg.get("objective", next(l["name"] for l in cfg["layers"] if l["type"] == "conv2d"))
    for a in acts.values():
        a.retain_grad()
    obj = acts[target][:, 1].mean() + logits[:, 0].sum()
    obj.backward()
    refs = {"input": x, "logits": logits, "objective": obj}
    for n, a in acts.items():
        refs["act." + n] = a
        refs["grad." + n] = a.grad
    refs["grad.input"] = xg.grad
    save_refs(os.path.join(out, base + "_ref.npz"), **refs)
    print("wrote", base, "params", sum(p.numel() for p in net.parameters()), "objective", float(obj))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
