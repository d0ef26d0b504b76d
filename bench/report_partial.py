"""Prints the partial-pass table from partial.jsonl (bench/run_partial.sh): milliseconds per pass (the
median over rounds of each round's median) of Loupe's partial pass, the same part as TorchScript in
DJL and Loupe's full forward; the ratios Loupe partial / TorchScript partial and Loupe partial /
Loupe full, each taken within a round (the contestants shared its process), then the median over
rounds, with the highest per-round ratio; the TorchScript output's largest difference from Loupe's
(relative to the output's scale); fresh pages (minor page faults) per pass.
usage: report_partial.py partial.jsonl"""
import json
import statistics
import sys
from collections import defaultdict

# one process prints one line per contestant, consecutively: its partial pass, its full pass, the anchor
lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
processes = []
while lines:
    processes.append(lines[:lines[0]["contestants"]])
    lines = lines[lines[0]["contestants"]:]

print("| model | part | batch | Loupe part (ms) | TorchScript part (ms) | Loupe full (ms) | Loupe part / TS part (max) "
      "| Loupe part / Loupe full | TS vs Loupe, rel. difference | fresh pages per pass: Loupe part, TS |")
print("|---|---|---|---|---|---|---|---|---|---|")
table = []
by_part = defaultdict(lambda: defaultdict(list))   # (model, part, batch) -> what -> values over rounds
for rs in processes:
    full = next(r for r in rs if r["engine"] == "loupe" and r["part"] == "all")
    part = next(r for r in rs if r["engine"] == "loupe" and r["part"] != "all")
    ts = next((r for r in rs if r["engine"] == "djl-torchscript"), None)
    v = by_part[(part["model"], part["part"], part["batch"])]
    v["part"].append(part["median_ms"])
    v["full"].append(full["median_ms"])
    v["vs_full"].append(part["median_ms"] / full["median_ms"])
    v["faults"].append(part["page_faults_per_pass"])
    if ts:
        v["ts"].append(ts["median_ms"])
        v["vs_ts"].append(part["median_ms"] / ts["median_ms"])
        v["ts_faults"].append(ts["page_faults_per_pass"])
        v["diff"].append(ts["relative_difference"])
med = statistics.median
for (model, name, batch), v in by_part.items():
    ts = f"{med(v['ts']):.1f}" if v["ts"] else "-"
    vs_ts = f"{med(v['vs_ts']):.2f} ({max(v['vs_ts']):.2f})" if v["vs_ts"] else "-"
    diff = f"{max(v['diff']):.1g}" if v["diff"] else "-"
    ts_faults = f"{med(v['ts_faults']):.0f}" if v["ts_faults"] else "-"
    table.append((model, name, batch, f"| {model} | {name} | {batch} | {med(v['part']):.1f} | {ts} | {med(v['full']):.1f} | {vs_ts} "
                  f"| {med(v['vs_full']):.2f} | {diff} | {med(v['faults']):.0f}, {ts_faults} |", len(v["part"])))
for row in sorted(table):
    print(row[3])
print(f"\nrounds per configuration: {sorted({row[4] for row in table})}")
