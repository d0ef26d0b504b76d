"""Reference implementation of Loupe's explanation-quality metrics, written from Xplique's and
Quantus' definitions (numpy only), on hand-made images, masks and maps with a closed-form scorer.

Usage: metrics.py OUTDIR  ->  OUTDIR/metrics_ref.npz

The scorer: two classes, logits [0, 4 s] with s the mean of the image over all channels and the
pixels of a region R (the mask); scores = softmax probabilities. Everything the metrics see is
saved next to the results, so the Java side scores the very same inputs.
"""
import sys

import numpy as np

from common import save_refs

C, H, W = 3, 16, 16
R = (slice(4, 10), slice(5, 12))  # rows 4..9, cols 5..11: the object


def scorer(batch):
    s = batch[:, :, R[0], R[1]].mean(axis=(1, 2, 3))
    logits = np.stack([np.zeros_like(s), 4 * s], axis=1)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def ranking(m):
    """Most relevant first, ties in row-major order."""
    v = m.reshape(-1)
    return np.lexsort((np.arange(v.size), -v))


def relevance_mass(m, mask):
    a = np.maximum(m, 0)  # Quantus: a[a < 0] = 0
    return a[mask].sum() / a.sum() if a.sum() > 0 else 0.0


def pointing(m, mask):
    mx = m.max()
    tied = m == mx
    return (tied & mask).sum() / tied.sum()


def causal(x, m, target, mode, steps, max_fraction, baseline):
    """Xplique CausalFidelity.detailed_evaluate + evaluate for one image."""
    n = H * W
    max_nb = int(np.floor(n * max_fraction))
    levels = np.linspace(0, max_nb, steps + 1, dtype=np.int32)
    order = ranking(m)
    flat = x.reshape(C, n)
    base = np.full_like(flat, baseline)
    start, end = (flat, base) if mode == "deletion" else (base, flat)
    batch = []
    for k in levels:
        b = start.copy()
        b[:, order[:k]] = end[:, order[:k]]
        batch.append(b.reshape(C, H, W))
    scores = scorer(np.stack(batch))[:, target]
    auc = np.mean(scores[:-1] + scores[1:]) * 0.5
    return levels, scores, auc


def ranks(v):
    order = np.argsort(v, kind="stable")
    r = np.empty(len(v))
    sv = v[order]
    i = 0
    while i < len(v):
        j = i
        while j + 1 < len(v) and sv[j + 1] == sv[i]:
            j += 1
        r[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return r


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    d = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return np.nan if d == 0 else (ra * rb).sum() / d


def mufidelity(x, m, target, keep, grid, baseline):
    """Xplique MuFidelity for one image with the given cell masks (True = kept)."""
    ys = np.minimum(grid - 1, np.floor(np.arange(H) * grid / H).astype(int))
    xs = np.minimum(grid - 1, np.floor(np.arange(W) * grid / W).astype(int))
    masks = keep.reshape(-1, grid, grid)[:, ys][:, :, xs].astype(np.float64)  # nearest resize
    degraded = x[None] * masks[:, None] + (1 - masks[:, None]) * baseline
    base = scorer(x[None])[0, target]
    preds = base - scorer(degraded)[:, target]
    attrs = (m[None] * (1 - masks)).sum(axis=(1, 2))
    c = spearman(preds, attrs)
    return 0.0 if np.isnan(c) else c


NEIGHBOURS = [((1, 1), 1 / 12), ((0, 1), 1 / 6), ((-1, 1), 1 / 12), ((1, -1), 1 / 12), ((0, -1), 1 / 6),
              ((-1, -1), 1 / 12), ((1, 0), 1 / 6), ((-1, 0), 1 / 6)]


def impute(x, removed):
    """Linear imputation (Rong et al.), noise 0: each removed pixel the weighted mean of its neighbours."""
    idx = -np.ones(H * W, dtype=int)
    unknown = np.flatnonzero(removed.reshape(-1))
    idx[unknown] = np.arange(len(unknown))
    out = x.copy().reshape(C, -1)
    A = np.zeros((len(unknown), len(unknown)))
    B = np.zeros((len(unknown), C))
    for i, p in enumerate(unknown):
        py, px = divmod(p, W)
        for (dx, dy), w in NEIGHBOURS:
            u, v = px + dx, py + dy
            if 0 <= u < W and 0 <= v < H:
                q = v * W + u
                A[i, i] += w
                if idx[q] >= 0:
                    A[i, idx[q]] -= w
                else:
                    B[i] += w * out[:, q]
    sol = np.linalg.solve(A, B)
    out[:, unknown] = sol.T
    return out.reshape(C, H, W)


def road(x, m, target, percentages, morf):
    order = ranking(m) if morf else np.lexsort((np.arange(H * W), m.reshape(-1)))
    batch, imputed = [], []
    for p in percentages:
        k = int(H * W * p / 100)
        removed = np.zeros(H * W, dtype=bool)
        removed[order[:k]] = True
        batch.append(impute(x, removed.reshape(H, W)))
    preds = scorer(np.stack(batch)).argmax(axis=1)
    return (preds == target).astype(np.float64), np.stack(batch)


def main(out):
    rng = np.random.default_rng(14)
    x = rng.normal(0, 0.5, (C, H, W))
    x[:, R[0], R[1]] += 1.0
    x = x.astype(np.float32).astype(np.float64)
    mask = np.zeros((H, W), dtype=bool)
    mask[R] = True
    yy, xx = np.mgrid[0:H, 0:W]
    sigma = min(H, W) / 4
    maps = np.stack([
        mask.astype(np.float64),                                      # 0: 1 inside the mask
        (~mask).astype(np.float64),                                   # 1: 1 outside
        rng.random((H, W)),                                           # 2: random
        np.exp(-((xx - (W - 1) / 2) ** 2 + (yy - (H - 1) / 2) ** 2) / (2 * sigma ** 2)),  # 3: centre bias
        np.abs(x).mean(axis=0) * (2 * mask - 1),                      # 4: signed: + inside, - outside
        rng.normal(0, 1, (H, W)),                                     # 5: signed random
    ]).astype(np.float32).astype(np.float64)
    target = 1
    grid, samples = 4, 40
    keep = rng.random((samples, grid * grid)) > 0.2
    percentages = [5, 20, 35, 50, 65, 80, 95]
    res = {"image": x, "mask": mask.astype(np.float32), "maps": maps, "keep": keep.astype(np.float32),
           "percentages": np.array(percentages, dtype=np.float32)}
    for name, (mode, steps, frac, base) in {"del10": ("deletion", 10, 1.0, 0.0), "ins10": ("insertion", 10, 1.0, 0.0),
                                            "del7": ("deletion", 7, 0.5, -0.25), "ins7": ("insertion", 7, 0.5, -0.25)}.items():
        lv, sc, auc = zip(*[causal(x, m, target, mode, steps, frac, base) for m in maps])
        res[name + "_levels"] = np.stack(lv).astype(np.float32)
        res[name + "_scores"] = np.stack(sc)
        res[name + "_auc"] = np.array(auc)
    res["mass"] = np.array([relevance_mass(m, mask) for m in maps])
    res["mass_abs"] = np.array([relevance_mass(np.abs(m), mask) for m in maps])
    res["pointing"] = np.array([pointing(m, mask) for m in maps])
    res["mufidelity"] = np.array([mufidelity(x, m, target, keep, grid, 0.0) for m in maps])
    morf, lerf = [], []
    for m in maps:
        morf.append(road(x, m, target, percentages, True)[0])
        lerf.append(road(x, m, target, percentages, False)[0])
    res["road_morf"] = np.stack(morf)
    res["road_lerf"] = np.stack(lerf)
    # imputation itself: the top 35 % of map 2 removed
    removed = np.zeros(H * W, dtype=bool)
    removed[ranking(maps[2])[:int(H * W * 0.35)]] = True
    res["impute_removed"] = removed.astype(np.float32)
    res["imputed"] = impute(x, removed.reshape(H, W))
    # rank correlation with ties
    a = np.round(rng.normal(0, 1, 50), 1)
    b = np.round(a + rng.normal(0, 1, 50), 0)
    res["spear_a"], res["spear_b"], res["spearman"] = a, b, np.array([spearman(a, b)])
    save_refs(f"{out}/metrics_ref.npz", **{k: np.asarray(v, dtype=np.float32) if np.asarray(v).dtype != np.float64 else v for k, v in res.items()})
    for k in ("mass", "pointing", "del10_auc", "ins10_auc", "mufidelity"):
        print(k, np.round(res[k], 4))
    print("road morf", res["road_morf"].mean(axis=1), "lerf", res["road_lerf"].mean(axis=1))


if __name__ == "__main__":
    main(sys.argv[1])
