"""Prints the benchmark table from results.jsonl: milliseconds per pass (the median over rounds of
each round's median) and the ratios Loupe / DJL-TorchScript with hooks recording nothing and with
the full activation cache, and Loupe / PyTorch eager; peak resident memory and fresh pages per pass.
usage: report.py results.jsonl"""
import json
import statistics
import sys
from collections import defaultdict

runs = defaultdict(list)
for line in open(sys.argv[1]):
    if line.strip():
        r = json.loads(line)
        m = "resnet50" if "resnet50" in r["model"] else "vit_b_16" if "vit_b_16" in r["model"] else r["model"]
        runs[(r["engine"], m, r["batch"], r["mode"], r.get("cache", "none"))].append(r)


def stat(engine, model, batch, mode, cache="none"):
    rs = runs.get((engine, model, batch, mode, cache))
    if not rs:
        return None
    return {"ms": statistics.median(r["median_ms"] for r in rs), "rss": max(r["peak_rss_mb"] for r in rs),
            "faults": statistics.median(r.get("page_faults_per_pass", -1) for r in rs), "rounds": len(rs)}


print("| model | batch | pass | Loupe (ms) | Loupe + full cache (ms) | TorchScript (ms) | PyTorch eager (ms) "
      "| Loupe / TS | Loupe + cache / TS | Loupe / eager | peak RSS Loupe, + cache, TS (MB) | fresh pages per pass Loupe, + cache, TS |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for model in ("resnet50", "vit_b_16"):
    for batch in (1, 16):
        for mode in ("forward", "forward+grad"):
            lo, lc = stat("loupe", model, batch, mode), stat("loupe", model, batch, mode, "all")
            ts, py = stat("djl-torchscript", model, batch, mode), stat("pytorch-eager", model, batch, mode)
            if not (lo and lc and ts):
                continue
            eager = f"{py['ms']:.0f}" if py else "-"
            vs_eager = f"{lo['ms'] / py['ms']:.2f}" if py else "-"
            print(f"| {model} | {batch} | {mode} | {lo['ms']:.0f} | {lc['ms']:.0f} | {ts['ms']:.0f} | {eager} "
                  f"| {lo['ms'] / ts['ms']:.2f} | {lc['ms'] / ts['ms']:.2f} | {vs_eager} "
                  f"| {lo['rss']}, {lc['rss']}, {ts['rss']} | {lo['faults']:.0f}, {lc['faults']:.0f}, {ts['faults']:.0f} |")
rounds = sorted({s["rounds"] for s in (stat(*k[:4], k[4]) for k in runs)})
print(f"\n{len(runs)} configurations, rounds per configuration: {rounds}")
