"""Reference dataset examples for Loupe's unit explorer, computed the plain PyTorch way: forward hooks
on the recorded modules, batches of images, each image's spatial maximum and minimum per unit, then
the top-k and bottom-k images per unit (stable sort: ties keep the earlier image first).

usage: /usr/bin/python3 units.py JOB.json OUT.npz
JOB.json: {"config": CONFIG.json, "weights": WEIGHTS.npz (as seqcnn.py writes), "input": RAW float32 file,
           "shape": [N, C, H, W], "layers": [NAME, ...], "k": K, "batch": B}
writes OUT.npz: for each layer L: L_top_idx, L_top_val, L_top_pos, L_bot_idx, L_bot_val, L_bot_pos, each [units, K]
(positions are row-major indices into the unit's map).
"""
import json
import sys

import numpy as np
import torch

from common import save_refs
from seqcnn import build


def main(job_path, out):
    job = json.load(open(job_path))
    net = build(json.load(open(job["config"])))
    weights = np.load(job["weights"])
    net.load_state_dict({k: torch.from_numpy(weights[k]) for k in weights.files})
    net.eval()
    x = torch.from_numpy(np.fromfile(job["input"], dtype="<f4").reshape(job["shape"]))
    modules = dict(net.named_children())
    layers, k, batch = job["layers"], job["k"], job["batch"]
    stats = {name: [] for name in layers}
    acts = {}
    hooks = [modules[n].register_forward_hook(lambda m, i, o, n=n: acts.__setitem__(n, o)) for n in layers]
    with torch.no_grad():
        for start in range(0, x.shape[0], batch):
            net(x[start:start + batch])
            for n in layers:
                a = acts[n].flatten(2)
                mx, amx = a.max(2)
                mn, amn = a.min(2)
                stats[n].append((mx, amx, mn, amn))
    for h in hooks:
        h.remove()
    refs = {}
    for n in layers:
        mx, amx, mn, amn = (torch.cat([s[i] for s in stats[n]]).T for i in range(4))  # [units, N]
        order = torch.sort(mx, dim=1, descending=True, stable=True).indices[:, :k]
        refs[n + "_top_idx"] = order
        refs[n + "_top_val"] = torch.gather(mx, 1, order)
        refs[n + "_top_pos"] = torch.gather(amx, 1, order)
        order = torch.sort(mn, dim=1, descending=False, stable=True).indices[:, :k]
        refs[n + "_bot_idx"] = order
        refs[n + "_bot_val"] = torch.gather(mn, 1, order)
        refs[n + "_bot_pos"] = torch.gather(amn, 1, order)
    save_refs(out, **{n: v.float().contiguous() for n, v in refs.items()})  # indices as float32: exact below 2^24


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
