"""TorchScript models for Loupe's black-box loader tests.

usage: /usr/bin/python3 torchscript_models.py OUTDIR
writes OUTDIR/
  resnet18_traced.pt     torchvision resnet18 with seeded weights and non-trivial BatchNorm statistics,
                         traced in eval mode (torch.jit.trace(...).save)
  resnet18_scripted.pt   the same network compiled with torch.jit.script: unlike a trace (which bakes
                         training=False into each batch_norm call), it follows the module's train/eval
                         mode, so it shows whether a loader ever lets BatchNorm use batch statistics
  resnet18_state.pt      its state dict (torch.save): a zip without TorchScript code
  resnet18_ref.npz       input (batch 2, ImageNet-normalised), logits, objective
                         logits[:, 3].sum() + (logits[:, 1] ** 2).mean() and grad.input
  tiny_scripted.pt       a small CNN (3x32x32 -> 10) compiled with torch.jit.script, and
  tiny_scripted.json     its sidecar (input 32x32 with its own mean/std, 10 labels, a name)
  tiny_ref.npz           input, logits
The marker is resnet18_ref.npz, written last.
"""
import json
import os
import sys

import torch
import torch.nn as nn
from torchvision.models import resnet18

from common import save_refs


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        h = torch.relu(self.bn(self.conv(x)))
        return self.fc(h.mean(dim=(2, 3)))


def randomise_bn(model):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))

    torch.manual_seed(0)
    tiny = Tiny()
    randomise_bn(tiny)
    tiny.eval()
    torch.jit.script(tiny).save(os.path.join(out, "tiny_scripted.pt"))
    mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]
    with open(os.path.join(out, "tiny_scripted.json"), "w") as f:
        json.dump({"name": "Tiny scripted CNN", "labels": [f"label {i}" for i in range(10)],
                   "input": {"channels": 3, "height": 32, "width": 32, "mean": mean, "std": std}}, f)
    torch.manual_seed(1)
    xt = (torch.rand(2, 3, 32, 32) - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)
    with torch.no_grad():
        save_refs(os.path.join(out, "tiny_ref.npz"), input=xt, logits=tiny(xt))

    torch.manual_seed(0)
    net = resnet18(weights=None)
    randomise_bn(net)
    with torch.no_grad():
        net.fc.bias.normal_(0, 0.1)
    net.eval()
    torch.save(net.state_dict(), os.path.join(out, "resnet18_state.pt"))
    traced = torch.jit.trace(net, torch.rand(1, 3, 224, 224))
    traced.save(os.path.join(out, "resnet18_traced.pt"))
    torch.jit.script(net).save(os.path.join(out, "resnet18_scripted.pt"))

    torch.manual_seed(2)
    x = torch.rand(2, 3, 224, 224)
    x = (x - torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)) / torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    xg = x.clone().requires_grad_(True)
    logits = net(xg)
    obj = logits[:, 3].sum() + (logits[:, 1] ** 2).mean()
    obj.backward()
    for kind in ("traced", "scripted"):
        with torch.no_grad():
            diff = float((torch.jit.load(os.path.join(out, f"resnet18_{kind}.pt"))(x) - logits).abs().max())
        print(kind, "vs eager logits max |diff|", diff)
        assert diff < 1e-4
    save_refs(os.path.join(out, "resnet18_ref.npz"), input=x, logits=logits, objective=obj, **{"grad.input": xg.grad})
    print("wrote resnet18, objective", float(obj))


if __name__ == "__main__":
    main(sys.argv[1])
