"""Prints the benchmark tables: from results.jsonl, milliseconds per pass (the median over rounds of
each round's median); the ratios Loupe / DJL-TorchScript with hooks recording nothing and with the
full activation cache, each taken within a round (the contestants shared its process) and then the
median over rounds; Loupe / PyTorch eager (per round, then the median); and fresh pages (minor page faults) per pass;
from memory.jsonl, the peak resident memory of a batch-16 forward pass per engine.
usage: report.py results.jsonl [memory.jsonl]"""
import json
import statistics
import sys
from collections import defaultdict


def load(path):
    runs = defaultdict(list)
    for line in open(path):
        if line.strip():
            r = json.loads(line)
            m = "resnet50" if "resnet50" in r["model"] else "vit_b_16" if "vit_b_16" in r["model"] else r["model"]
            runs[(r["engine"], m, r["batch"], r["mode"], r.get("cache", "none"))].append(r)
    return runs


runs = load(sys.argv[1])


def stat(engine, model, batch, mode, cache="none"):
    rs = runs.get((engine, model, batch, mode, cache))
    if not rs:
        return None
    return {"ms": statistics.median(r["median_ms"] for r in rs), "rounds": len(rs),
            "faults": statistics.median(r.get("page_faults_per_pass", -1) for r in rs)}


def paired_ratio(model, batch, mode, cache, against="djl-torchscript"):
    """Loupe (with cache) / TorchScript (or eager) within each round, then the median over rounds;
    '-' where there is nothing to pair."""
    ts = {r["round"]: r["median_ms"] for r in runs.get((against, model, batch, mode, "none"), [])}
    ratios = [r["median_ms"] / ts[r["round"]] for r in runs.get(("loupe", model, batch, mode, cache), []) if r["round"] in ts]
    return f"{statistics.median(ratios):.2f}" if ratios else "-"


print("| model | batch | pass | Loupe (ms) | Loupe + full cache (ms) | TorchScript (ms) | PyTorch eager (ms) "
      "| Loupe / TS | Loupe + cache / TS | Loupe / eager | fresh pages per pass: Loupe, + cache, TS |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for model in ("resnet50", "vit_b_16"):
    for batch in (1, 16):
        for mode in ("forward", "forward+grad"):
            lo, lc = stat("loupe", model, batch, mode), stat("loupe", model, batch, mode, "all")
            ts, py = stat("djl-torchscript", model, batch, mode), stat("pytorch-eager", model, batch, mode)
            if not (lo and ts):
                continue
            eager = f"{py['ms']:.0f}" if py else "-"
            cached = f"{lc['ms']:.0f}" if lc else "-"
            cached_faults = f"{lc['faults']:.0f}" if lc else "-"
            print(f"| {model} | {batch} | {mode} | {lo['ms']:.0f} | {cached} | {ts['ms']:.0f} | {eager} "
                  f"| {paired_ratio(model, batch, mode, 'none')} | {paired_ratio(model, batch, mode, 'all')} "
                  f"| {paired_ratio(model, batch, mode, 'none', 'pytorch-eager')} "
                  f"| {lo['faults']:.0f}, {cached_faults}, {ts['faults']:.0f} |")
print(f"\nrounds per configuration: {sorted({len(v) for v in runs.values()})}")

if len(sys.argv) > 2:
    memory = load(sys.argv[2])
    print("\n| model | peak RSS, batch 16 forward: Loupe (MB) | Loupe + full cache (MB) | TorchScript (MB) |")
    print("|---|---|---|---|")
    for model in ("resnet50", "vit_b_16"):
        cells = []
        for engine, cache in (("loupe", "none"), ("loupe", "all"), ("djl-torchscript", "none")):
            rs = memory.get((engine, model, 16, "forward", cache))
            cells.append(str(max(r["peak_rss_mb"] for r in rs)) if rs else "-")
        print(f"| {model} | " + " | ".join(cells) + " |")
