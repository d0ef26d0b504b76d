"""Reference of the example model loader (examples/org.loupe.example.loader): a residual MLP in PyTorch.

Writes into OUT: tiny.json (the loader's JSON description), tiny.f32 (the state dict as raw
little-endian float32, tensors in state-dict order), input.f32 (a batch of 2 images [2, 3, 4, 4]),
and reference.json (the state dict's names and shapes, and every hook point's activations).
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

C, H, W, FEATURES, HIDDEN, BLOCKS, CLASSES = 3, 4, 4, 8, 16, 2, 5


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(FEATURES, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, FEATURES)

    def forward(self, x, acts, i):
        h = torch.relu(self.fc1(x))
        acts[f"blocks.{i}.hidden"] = h
        return x + self.fc2(h)


class ResidualMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(C * H * W, FEATURES)
        self.blocks = nn.ModuleList([Block() for _ in range(BLOCKS)])
        self.head = nn.Linear(FEATURES, CLASSES)

    def forward(self, x):
        acts = {}
        x = self.embed(x.flatten(1))
        acts["embed"] = x
        for i, b in enumerate(self.blocks):
            x = b(x, acts, i)
            acts[f"blocks.{i}.out"] = x
        acts["logits"] = self.head(x)
        return acts


def main(out):
    torch.manual_seed(0)
    model = ResidualMlp().eval()
    state = model.state_dict()
    np.concatenate([t.numpy().astype("<f4").ravel() for t in state.values()]).tofile(os.path.join(out, "tiny.f32"))
    with open(os.path.join(out, "tiny.json"), "w") as f:
        json.dump({"format": "residual-mlp", "name": "Tiny residual MLP", "input": {"channels": C, "height": H, "width": W},
                   "features": FEATURES, "hidden": HIDDEN, "blocks": BLOCKS, "classes": CLASSES,
                   "labels": [f"class {k}" for k in range(CLASSES)], "weights": "tiny.f32"}, f, indent=1)
    x = torch.rand(2, C, H, W)
    x.numpy().astype("<f4").tofile(os.path.join(out, "input.f32"))
    with torch.no_grad():
        acts = model(x)
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump({"tensors": {k: list(v.shape) for k, v in state.items()},
                   "activations": {k: v.numpy().ravel().tolist() for k, v in acts.items()},
                   "shapes": {k: list(v.shape) for k, v in acts.items()}}, f)
    print("wrote", out)


if __name__ == "__main__":
    main(sys.argv[1])
