"""PyTorch eager baselines of the causal analyses, with the given thread count; prints JSON lines.

sweep: zero-ablate each of the 256 channels of ResNet-18 layer3 in turn on 64 images, two ways:
  naive  - a full forward per ablated channel with a forward hook on layer3 (the usual PyTorch loop);
  cached - the expert loop: run up to layer3 once, keep it, and run layer4 + head per channel.
  Images in batches of BATCH (the whole set by default). CHANNELS limits the channels timed (the
  time per channel is the same for every channel; the total is scaled to 256 and says so).
patching: ViT-B/16, one clean and one corrupted image: a plain forward, and a forward with one
  encoder block's output patched from the clean run by a forward hook (mean over the 12 blocks).
usage: /usr/bin/python3 causal_pytorch.py sweep|patching THREADS [CHANNELS] [BATCH]
"""
import json
import sys
import time

import torch
import torchvision

what, threads = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(threads)


def emit(**kw):
    print(json.dumps({"engine": "pytorch-eager", "torch": torch.__version__, "threads": threads, **kw}), flush=True)


if what == "sweep":
    channels = int(sys.argv[3]) if len(sys.argv) > 3 else 256
    torch.manual_seed(0)
    net = torchvision.models.resnet18(weights=None).eval()
    torch.manual_seed(1)
    x = torch.rand(64, 3, 224, 224)
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    with torch.no_grad():
        net(x[:2])  # warm-up
        t0 = time.perf_counter()
        for c in range(channels):
            def zero(m, i, o, c=c):
                o = o.clone()
                o[:, c] = 0
                return o
            h = net.layer3.register_forward_hook(zero)
            for b in range(0, 64, batch):
                net(x[b:b + batch])
            h.remove()
        naive = time.perf_counter() - t0
        emit(bench="sweep", method="naive", channels_timed=channels, seconds=round(naive * 256 / channels, 2))

        t0 = time.perf_counter()
        prefix = []
        for b in range(0, 64, batch):
            y = x[b:b + batch]
            for name in ("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3"):
                y = getattr(net, name)(y)
            prefix.append(y)
        for c in range(256):
            for p in prefix:
                a = p.clone()
                a[:, c] = 0
                net.fc(torch.flatten(net.avgpool(net.layer4(a)), 1))
        emit(bench="sweep", method="cached-prefix", channels_timed=256, seconds=round(time.perf_counter() - t0, 2))
else:
    torch.manual_seed(0)
    net = torchvision.models.vit_b_16(weights=None).eval()
    torch.nn.init.normal_(net.heads.head.weight, std=0.05)  # as make_causal_models.py
    torch.manual_seed(1)
    clean, corrupt = torch.rand(1, 3, 224, 224), torch.rand(1, 3, 224, 224)
    blocks = list(net.encoder.layers)
    with torch.no_grad():
        net(clean)
        t0 = time.perf_counter()
        for _ in range(5):
            net(corrupt)
        forward = (time.perf_counter() - t0) / 5
        saved = {}
        hs = [b.register_forward_hook(lambda m, i, o, k=k: saved.__setitem__(k, o)) for k, b in enumerate(blocks)]
        net(clean)
        for h in hs:
            h.remove()
        t0 = time.perf_counter()
        for k, b in enumerate(blocks):
            h = b.register_forward_hook(lambda m, i, o, k=k: saved[k])
            net(corrupt)
            h.remove()
        patched = (time.perf_counter() - t0) / len(blocks)
    emit(bench="patching", method="forward", ms=round(forward * 1000, 1))
    emit(bench="patching", method="patched-forward-per-hook-point", ms=round(patched * 1000, 1))
