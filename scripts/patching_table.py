#!/usr/bin/env python3
"""Prints the table of scripts/bench-patching.sh: per sweep, naive, fast and attribution patches/s, the fast
loop's speed-up, and the PyTorch autograd peer's attribution patches/s.

Reads DIR/naive-SWEEP.json, DIR/fast-SWEEP.json and DIR/attribution-SWEEP.json (JMH JSON of PatchingBenchmark,
whose "patches" counter is patches per second), DIR/torch-attribution.txt (attribution_peer_torch.py's output) and
DIR/load-SWEEP.txt. Usage: patching_table.py DIR
"""
import json
import os
import sys


def patches_per_second(path):
    run = json.load(open(path))[0]
    return run["secondaryMetrics"]["patches"]["score"], run["params"]["subset"]


def torch_peer(out):
    """sweep -> the torch peer's attribution patches/s, from its output (empty when it did not run)."""
    path = os.path.join(out, "torch-attribution.txt")
    peer = {}
    for line in open(path) if os.path.exists(path) else []:
        parts = line.split("\t")
        if len(parts) >= 2 and parts[1].endswith("patches/s"):
            peer[parts[0]] = float(parts[1].split()[0])
    return peer


def main():
    out = sys.argv[1]
    peer = torch_peer(out)
    print("sweep\tnaive patches/s (subset)\tfast patches/s (subset)\tspeed-up\tattribution patches/s\t"
          "torch attribution patches/s\tload")
    for sweep in ["resid_pre", "head_out_all_pos", "head_out_by_pos"]:
        naive_path = os.path.join(out, f"naive-{sweep}.json")
        fast_path = os.path.join(out, f"fast-{sweep}.json")
        if not (os.path.exists(naive_path) and os.path.exists(fast_path)):
            continue
        naive, naive_subset = patches_per_second(naive_path)
        fast, fast_subset = patches_per_second(fast_path)
        load = " / ".join(line.split(": ")[1].strip() for line in open(os.path.join(out, f"load-{sweep}.txt")))
        attribution_path = os.path.join(out, f"attribution-{sweep}.json")
        attribution = f"{patches_per_second(attribution_path)[0]:.1f}" if os.path.exists(attribution_path) else "-"
        torch = f"{peer[sweep]:.1f}" if sweep in peer else "-"
        print(f"{sweep}\t{naive:.2f} ({naive_subset})\t{fast:.2f} ({fast_subset})\t{fast / naive:.2f}x\t"
              f"{attribution}\t{torch}\t{load}")


if __name__ == "__main__":
    main()
