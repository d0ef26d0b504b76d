"""Writes the benchmark models with seeded random weights: torchvision ResNet-50 and ViT-B/16 as
safetensors (for Loupe's hooked architectures) and as TorchScript traces (DJL's own libtorch: the
speed limit for this library).  usage: /usr/bin/python3 make_models.py OUTDIR"""
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from common import write_safetensors  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
for name, make in [("resnet50", torchvision.models.resnet50), ("vit_b_16", torchvision.models.vit_b_16)]:
    m = make(weights=None).eval()
    write_safetensors(os.path.join(out, name + ".safetensors"), m.state_dict())
    # traced with gradients on: under no_grad torchvision's attention takes the fused fast path
    # (aten::_native_multi_head_attention), which has no backward, so the trace could not give input gradients
    traced = torch.jit.trace(m, torch.randn(1, 3, 224, 224), check_trace=False)
    traced.save(os.path.join(out, name + ".pt"))
    print("wrote", name)
