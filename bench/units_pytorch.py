"""PyTorch eager baseline of the dataset-example scan: ResNet-18 (the seeded weights of
make_causal_models.py), forward hooks on layer2, layer3 and layer4, N images of 224x224 in batches,
and for every unit the running top-k and bottom-k images of its spatial maximum / minimum kept with
torch.topk (the plain loop a PyTorch user writes). The forward runs to the logits (a plain loop does
not stop after layer4). Prints one JSON line.
usage: /usr/bin/python3 units_pytorch.py THREADS N BATCH K [ARCH: resnet18|resnet50]
"""
import json
import sys
import time

import torch
import torchvision

threads, n, batch, k = (int(a) for a in sys.argv[1:5])
arch = sys.argv[5] if len(sys.argv) > 5 else "resnet18"
torch.set_num_threads(threads)
torch.manual_seed(0)
net = getattr(torchvision.models, arch)(weights=None).eval()
layers = ["layer2", "layer3", "layer4"]
acts = {}
for name in layers:
    getattr(net, name).register_forward_hook(lambda m, i, o, name=name: acts.__setitem__(name, o))
gen = torch.Generator().manual_seed(1)
best = {}


def keep(name, values, index, largest):
    key = (name, largest)
    if key in best:
        values = torch.cat([best[key][0], values], 1)
        index = torch.cat([best[key][1], index], 1)
    top = torch.topk(values, min(k, values.shape[1]), dim=1, largest=largest)
    best[key] = (top.values, torch.gather(index, 1, top.indices))


with torch.no_grad():
    net(torch.rand(2, 3, 224, 224, generator=gen))  # warm-up
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        x = torch.rand(min(batch, n - start), 3, 224, 224, generator=gen)  # stands for decoding the images
        net(x)
        ids = torch.arange(start, start + x.shape[0]).expand(1, -1)
        for name in layers:
            a = acts[name].flatten(2)
            mx, amx = a.max(2)
            mn, amn = a.min(2)
            keep(name, mx.T, ids.expand(mx.shape[1], -1), True)
            keep(name, mn.T, ids.expand(mn.shape[1], -1), False)
    seconds = time.perf_counter() - t0
print(json.dumps({"engine": "pytorch-eager", "torch": torch.__version__, "threads": threads, "images": n, "batch": batch,
                  "k": k, "seconds": round(seconds, 3), "images_per_second": round(n / seconds, 2)}))
