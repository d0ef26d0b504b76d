"""Prints the causal benchmark table from bench/out/causal.jsonl.  usage: report_causal.py RESULTS.jsonl"""
import json
import sys

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
sweep = {r["method"]: r for r in rows if r["bench"] == "sweep"}
loupe = sweep["batched-resumed"]["seconds"]
print("| ResNet-18 layer3, 256 channels x 64 images | seconds | Loupe / this |")
print("|---|---|---|")
for method, label in [("batched-resumed", "Loupe ablation-sweep (prefix once, batched resumed passes)"),
                      ("naive", "PyTorch naive loop (full forward per channel, forward hook)"),
                      ("cached-prefix", "PyTorch loop with the prefix cached")]:
    r = sweep[method]
    note = "" if r.get("channels_timed", 256) == 256 else " (%d channels timed, scaled to 256)" % r["channels_timed"]
    print("| %s%s | %.1f | %.2f |" % (label, note, r["seconds"], loupe / r["seconds"]))
patch = {r["method"]: r for r in rows if r["bench"] == "patching"}
if patch:
    hook_points, heads = patch["every-hook-point"]["hook_points"], patch["every-hook-point"]["sites"]
    total = patch["every-hook-point"]["ms"]
    per = total / (hook_points + heads)
    print()
    print("| ViT-B/16 activation patching, 1 pair | ms |")
    print("|---|---|")
    print("| Loupe: %d hook points patched whole + %d heads, whole run | %.0f |" % (hook_points, heads, total))
    print("| Loupe: per patched hook point (run / %d) | %.0f |" % (hook_points + heads, per))
    print("| PyTorch: plain forward | %.0f |" % patch["forward"]["ms"])
    print("| PyTorch: forward with one block output patched by a hook | %.0f |" % patch["patched-forward-per-hook-point"]["ms"])
    print()
    print("Loupe per hook point / PyTorch patched forward: %.2f" % (per / patch["patched-forward-per-hook-point"]["ms"]))
