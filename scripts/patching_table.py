#!/usr/bin/env python3
"""Prints the table of scripts/bench-patching.sh: per sweep, naive and fast patches/s and the speed-up.

Reads DIR/naive-SWEEP.json and DIR/fast-SWEEP.json (JMH JSON of PatchingBenchmark, whose "patches" counter is
patches per second) and DIR/load-SWEEP.txt. Usage: patching_table.py DIR
"""
import json
import os
import sys


def patches_per_second(path):
    run = json.load(open(path))[0]
    return run["secondaryMetrics"]["patches"]["score"], run["params"]["subset"]


def main():
    out = sys.argv[1]
    print("sweep\tnaive patches/s (subset)\tfast patches/s (subset)\tspeed-up\tload")
    for sweep in ["resid_pre", "head_out_all_pos", "head_out_by_pos"]:
        naive_path = os.path.join(out, f"naive-{sweep}.json")
        fast_path = os.path.join(out, f"fast-{sweep}.json")
        if not (os.path.exists(naive_path) and os.path.exists(fast_path)):
            continue
        naive, naive_subset = patches_per_second(naive_path)
        fast, fast_subset = patches_per_second(fast_path)
        load = " / ".join(line.split(": ")[1].strip() for line in open(os.path.join(out, f"load-{sweep}.txt")))
        print(f"{sweep}\t{naive:.2f} ({naive_subset})\t{fast:.2f} ({fast_subset})\t{fast / naive:.2f}x\t{load}")


if __name__ == "__main__":
    main()
