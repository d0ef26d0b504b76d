"""Reference values for Loupe's causal analyses (ablation, ablation sweeps, activation patching) on a
sequential CNN, computed the plain PyTorch way: forward hooks that change a module's output, one full
forward per intervention.

usage: /usr/bin/python3 causal.py JOB.json OUT.npz
JOB.json: {"config": CONFIG.json, "weights": WEIGHTS.npz (as seqcnn.py writes), "input": RAW float32 file,
           "shape": [N, C, H, W], "layer": NAME, "units": [..], "donors": [..] (one per image)}
writes OUT.npz: clean [N, K]; zero, mean, resample [N, K] (the units ablated at the layer); sweep [U, N, K]
(each unit of the layer zero-ablated alone); patch_layers [L] (restoration of the logit difference by
patching each hook point whole, images in (clean, corrupted) pairs, summed over pairs before dividing);
patch_units [C] (the same for each channel of the layer).
"""
import json
import sys

import numpy as np
import torch

from seqcnn import build


def main(job_path, out):
    job = json.load(open(job_path))
    cfg = json.load(open(job["config"]))
    net = build(cfg)
    weights = np.load(job["weights"])
    net.load_state_dict({k: torch.from_numpy(weights[k]) for k in weights.files})
    net.eval()
    x = torch.from_numpy(np.fromfile(job["input"], dtype="<f4").reshape(job["shape"]))
    modules = dict(net.named_children())
    layer, units = job["layer"], job["units"]

    def run(inp, name=None, change=None):
        handle = modules[name].register_forward_hook(lambda m, i, o: change(o)) if name else None
        try:
            with torch.no_grad():
                return net(inp)
        finally:
            if handle:
                handle.remove()

    def replaced(o, ref):
        o = o.clone()
        o[:, units] = ref[:, units]
        return o

    acts = {}
    with torch.no_grad():
        hs = [m.register_forward_hook(lambda m, i, o, n=n: acts.__setitem__(n, o)) for n, m in modules.items()]
        clean = net(x)
        for h in hs:
            h.remove()
    a = acts[layer]
    refs = {"clean": clean}
    refs["zero"] = run(x, layer, lambda o: replaced(o, torch.zeros_like(o)))
    refs["mean"] = run(x, layer, lambda o: replaced(o, o.mean(0, keepdim=True).expand_as(o)))
    refs["resample"] = run(x, layer, lambda o: replaced(o, a[job["donors"]]))
    sweep = []
    for u in range(a.shape[1]):
        def zero_u(o, u=u):
            o = o.clone()
            o[:, u] = 0
            return o
        sweep.append(run(x, layer, zero_u))
    refs["sweep"] = torch.stack(sweep)

    # patching: images (2k, 2k+1) are (clean, corrupted)
    names = list(modules)
    num_layers = np.zeros(len(names))
    num_units = np.zeros(a.shape[1])
    den = 0.0
    for k in range(0, x.shape[0], 2):
        xc, xk = x[k:k + 1], x[k + 1:k + 2]
        lc, lk = clean[k], clean[k + 1]
        t = int(lc.argmax())
        masked = lk.clone()
        masked[t] = -float("inf")
        o = int(masked.argmax())
        metric = lambda logits: float(logits[0, t] - logits[0, o])
        m_corrupt = float(lk[t] - lk[o])
        den += float(lc[t] - lc[o]) - m_corrupt
        for j, n in enumerate(names):
            src = acts[n][k:k + 1]
            num_layers[j] += metric(run(xk, n, lambda out, src=src: src.clone())) - m_corrupt
        src = acts[layer][k:k + 1]
        for u in range(a.shape[1]):
            def patch_u(out, u=u):
                out = out.clone()
                out[:, u] = src[:, u]
                return out
            num_units[u] += metric(run(xk, layer, patch_u)) - m_corrupt
    refs["patch_layers"] = (num_layers / den).astype(np.float32)
    refs["patch_units"] = (num_units / den).astype(np.float32)
    np.savez(out, **{k: (v.numpy() if torch.is_tensor(v) else np.asarray(v)) for k, v in refs.items()})
    print("wrote", out, "layers", names)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
