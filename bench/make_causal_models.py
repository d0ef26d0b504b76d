"""Writes the causal-analysis benchmark models with seeded random weights as safetensors: torchvision
ResNet-18 (the ablation sweep over layer3) and ViT-B/16 (patching cost per hook point), the same
weights causal_pytorch.py builds.  usage: /usr/bin/python3 make_causal_models.py OUTDIR"""
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from common import write_safetensors  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name in ("resnet18", "vit_b_16"):
    torch.manual_seed(0)
    m = getattr(torchvision.models, name)(weights=None).eval()
    if name == "vit_b_16":  # torchvision zero-initialises the head: every input would give the same logits
        torch.nn.init.normal_(m.heads.head.weight, std=0.05)
    write_safetensors(os.path.join(out, name + ".safetensors"), m.state_dict())
    print("wrote", name)
