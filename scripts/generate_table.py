#!/usr/bin/env python3
"""Merges GenerateBenchmark and ReadBandwidthBenchmark JMH JSON with generate_peer.py's JSON files.

Prints per batch: jlens ms per decode step, tokens/s, its ratio to the weight-streaming floor (batch 1's target is
<= 1.3x), the peers' step times and jlens' speed-up over each (target >= 1.5x PyTorch at batch 1), and batch 8's
step over batch 1's (target <= 2x).
Usage: generate_table.py JMH_JSON PEER_JSON...
"""
import json
import sys

UNIT_TO_MS = {"s/op": 1e3, "ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6}


def ms(result):
    m = result["primaryMetric"]
    return m["score"] * UNIT_TO_MS[m["scoreUnit"]]


def main():
    with open(sys.argv[1]) as f:
        jmh = json.load(f)
    peers = {}
    for path in sys.argv[2:]:
        with open(path) as f:
            peers.update(json.load(f))
    floor = next(ms(r) for r in jmh if r["benchmark"].endswith("ReadBandwidthBenchmark.read"))
    print(f"weight stream (494 MB, ReadBandwidthBenchmark 1x768x160849): {floor:.1f} ms = {494 / floor:.1f} GB/s")
    steps = {r["params"]["batch"]: ms(r) for r in jmh if r["benchmark"].endswith("GenerateBenchmark.decodeStep")}
    calls = {r["params"]["batch"]: ms(r) for r in jmh if r["benchmark"].endswith("GenerateBenchmark.generate")}
    names = sorted(peers)
    print("batch\tjlens step ms\ttokens/s\tstep / floor\tgenerate(32) ms\t"
          + "\t".join(f"{n} step ms\tjlens speed-up" for n in names))
    for batch in sorted(steps, key=int):
        step = steps[batch]
        row = [batch, f"{step:.1f}", f"{int(batch) * 1e3 / step:.1f}", f"{step / floor:.2f}x",
               f"{calls.get(batch, float('nan')):.0f}"]
        for n in names:
            peer = peers[n].get(batch, {}).get("step_ms", float("nan"))
            row += [f"{peer:.1f}", f"{peer / step:.2f}x"]
        print("\t".join(str(x) for x in row))
    if "1" in steps and "8" in steps:
        print(f"batch 8 step / batch 1 step: {steps['8'] / steps['1']:.2f}x")


if __name__ == "__main__":
    main()
