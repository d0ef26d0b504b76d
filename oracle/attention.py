"""Attention rollout, gradient rollout and raw attention in PyTorch, for Loupe's attention tests.

usage: /usr/bin/python3 attention.py OUTDIR
writes
  OUTDIR/att_vit.safetensors (+ .json sidecar): a small ViT under timm names (image 32, patch 8,
      3 blocks, 2 heads, width 32, 5 classes) with seeded random weights, attention sharpened;
  OUTDIR/att_uniform.safetensors (+ .json): the same network with queries and keys zero, so every
      attention row is uniform (1/T) in closed form;
  OUTDIR/att_ref.npz: the input, the logits, the target classes (each image's predicted class),
      the attention probabilities "probs" [N, L, H, T, T] (hooks on blocks.i.attn.probs), their
      gradients "grads" (autograd of the sum over images of the target logit), and maps computed
      here from those tensors with the formulas of Abnar & Zuidema / vit-explain (rollout, with
      vit-explain's row normalisation fixed, discard sparing the class-token column) and Chefer
      et al. 2021 (gradient rollout), in float64; keys are described in MAPS below.
"""
import json
import math
import os
import sys

import numpy as np
import torch

from common import save_refs, write_safetensors
from zoo_vit import TimmViT

CFG = dict(image=32, patch=8, depth=3, heads=2, dim=32, hidden=64, classes=5)
CLS = 0


def fuse(a, fusion):
    if fusion == "mean":
        return a.mean(0)
    if fusion == "max":
        return a.max(0).values
    return a.min(0).values


def rollout(att, fusion, discard, start, token):
    """att [L, H, T, T] float64 -> the map over the patches, scaled to max 1."""
    t = att.shape[-1]
    eye = torch.eye(t, dtype=torch.float64)
    r = eye.clone()
    for layer in range(start, att.shape[0]):
        f = fuse(att[layer], fusion).clone()
        if discard > 0:
            flat = f.flatten()
            candidates = torch.nonzero(torch.arange(t * t) % t != CLS).flatten()
            k = int(math.floor(discard * candidates.numel()))
            _, low = flat[candidates].topk(k, largest=False)
            flat[candidates[low]] = 0
            f = flat.view(t, t)
        a = (f + eye) / 2
        a = a / a.sum(dim=-1, keepdim=True)
        r = a @ r
    return scaled(r[CLS if token < 0 else token, 1:])


def grad_rollout(att, grad, start, token):
    t = att.shape[-1]
    r = torch.eye(t, dtype=torch.float64)
    for layer in range(start, att.shape[0]):
        cam = (grad[layer] * att[layer]).clamp(min=0).mean(0)
        r = r + cam @ r
    return scaled(r[CLS if token < 0 else token, 1:])


def head(att, layer, h):
    return att[layer].mean(0) if h < 0 else att[layer, h]


def raw(att, layer, h, token):
    return scaled(head(att, layer, h)[CLS if token < 0 else token, 1:])


def attended_by(att, layer, h, token):
    return scaled(head(att, layer, h)[1:, CLS if token < 0 else token])


def scaled(m):
    return m / m.max() if m.max() > 0 else m


# key -> function of (att, grad); the Java test parses the key the same way
MAPS = {}
for fusion in ("mean", "max", "min"):
    for discard in (0.0, 0.5, 0.9):
        for start in (0, 1):
            MAPS[f"rollout_{fusion}_{discard}_{start}_-1"] = (lambda a, g, f=fusion, d=discard, s=start: rollout(a, f, d, s, -1))
MAPS["rollout_max_0.9_0_6"] = lambda a, g: rollout(a, "max", 0.9, 0, 6)
MAPS["rollout_mean_0.0_0_11"] = lambda a, g: rollout(a, "mean", 0.0, 0, 11)
for start in (0, 1, 2):
    MAPS[f"grad_{start}_-1"] = (lambda a, g, s=start: grad_rollout(a, g, s, -1))
MAPS["grad_0_9"] = lambda a, g: grad_rollout(a, g, 0, 9)
for layer, h, token in ((2, 1, -1), (0, -1, -1), (1, 0, 4), (2, -1, 16)):
    MAPS[f"raw_{layer}_{h}_{token}"] = (lambda a, g, l=layer, hh=h, tk=token: raw(a, l, hh, tk))
    MAPS[f"attendedBy_{layer}_{h}_{token}"] = (lambda a, g, l=layer, hh=h, tk=token: attended_by(a, l, hh, tk))


def build(seed, uniform):
    torch.manual_seed(seed)
    model = TimmViT(**CFG).eval()
    d = CFG["dim"]
    with torch.no_grad():
        model.cls_token.normal_(0, 0.5)
        model.pos_embed.normal_(0, 0.5)
        for blk in model.blocks:
            blk.attn.qkv.weight[: 2 * d] *= 4.0  # sharper attention, far from uniform
            blk.attn.qkv.bias.normal_(0, 0.1)
            if uniform:
                blk.attn.qkv.weight[: 2 * d] = 0
                blk.attn.qkv.bias[: 2 * d] = 0
    return model


def record(model, x):
    probs = []
    hooks = [blk.attn.probs.register_forward_hook(lambda m, i, o: probs.append(o)) for blk in model.blocks]
    logits = model(x)
    for h in hooks:
        h.remove()
    for p in probs:
        p.retain_grad()
    target = logits.argmax(1)
    logits.gather(1, target[:, None]).sum().backward()
    att = torch.stack(probs, 1).detach()          # [N, L, H, T, T]
    grad = torch.stack([p.grad for p in probs], 1)
    return logits.detach(), target, att, grad


def main(out):
    os.makedirs(out, exist_ok=True)
    sidecar = {"heads": CFG["heads"], "name": "attention test ViT"}
    for name, uniform in (("att_uniform", True), ("att_vit", False)):
        model = build(3, uniform)
        write_safetensors(os.path.join(out, name + ".safetensors"), model.state_dict())
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(sidecar, f)
    torch.manual_seed(4)
    x = torch.randn(2, 3, CFG["image"], CFG["image"])
    logits, target, att, grad = record(model, x)
    refs = {"input": x, "logits": logits, "target": target.float(), "probs": att, "grads": grad}
    for key, fn in MAPS.items():
        refs["map." + key] = torch.stack([fn(att[n].double(), grad[n].double()) for n in range(x.shape[0])]).float()
    save_refs(os.path.join(out, "att_ref.npz"), **refs)
    print("wrote", len(MAPS), "maps for", x.shape[0], "images; targets", target.tolist())


if __name__ == "__main__":
    main(sys.argv[1])
