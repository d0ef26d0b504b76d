"""Prints the benchmark table from results.jsonl: milliseconds per pass and the ratios
Loupe / DJL-TorchScript (hooks recording nothing, and with the full activation cache) and
Loupe / PyTorch eager."""
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]


def model_of(r):
    m = r["model"]
    return "resnet50" if "resnet50" in m else "vit_b_16" if "vit_b_16" in m else m


def find(engine, model, batch, mode, cache=None):
    for r in rows:
        if r["engine"] == engine and model_of(r) == model and r["batch"] == batch and r["mode"] == mode \
                and (cache is None or r.get("cache") == cache):
            return r
    return None


print("| model | batch | pass | Loupe (ms) | Loupe + cache (ms) | TorchScript (ms) | PyTorch eager (ms) | Loupe/TS | Loupe+cache/TS | Loupe/eager | peak RSS Loupe+cache (MB) |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for model in ("resnet50", "vit_b_16"):
    for batch in (1, 16):
        for mode in ("forward", "forward+grad"):
            lo = find("loupe", model, batch, mode, "none")
            lc = find("loupe", model, batch, mode, "all")
            ts = find("djl-torchscript", model, batch, mode)
            py = find("pytorch-eager", model, batch, mode)
            if not (lo and lc and ts and py):
                continue
            print(f"| {model} | {batch} | {mode} | {lo['median_ms']:.1f} | {lc['median_ms']:.1f} | {ts['median_ms']:.1f} | "
                  f"{py['median_ms']:.1f} | {lo['median_ms'] / ts['median_ms']:.2f} | {lc['median_ms'] / ts['median_ms']:.2f} | "
                  f"{lo['median_ms'] / py['median_ms']:.2f} | {lc['peak_rss_mb']} |")
