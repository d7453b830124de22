#!/usr/bin/env python3
"""Prints the SGEMM table of scripts/bench-sgemm.sh: jlens (JMH SgemmBenchmark.packed) beside numpy, per shape.

Reads DIR/jmh-SHAPE-rROUND.json (JMH JSON, param "shape" = MxKxN) and DIR/numpy-SHAPE-rROUND.json (sgemm_peer.py),
pairs them by shape and round, and prints a TSV table per shape over the R rounds (of every DIR given, pooled:
copies of target/bench-sgemm from several runs of the same build):
  jlens, numpy    the medians over rounds of jlens's median JMH iteration and of numpy's median sample (the same
                  statistic on both sides: a mean would weigh the machine's slow moments more), in GFLOP/s;
  ratio           the median over rounds of that round's jlens / numpy (both measured within seconds of each other);
  ratio range     the lowest and highest round ratio;
  best ratio      the best JMH iteration of all rounds over the best numpy sample of all rounds (the least
                  disturbed moments of each).
Where a round also ran ReadBandwidthBenchmark (the one-row shapes), a second table: the time to read B once
(the memory floor of a one-row product) over each side's product time, medians over rounds.
Then any other benchmark in DIR/jmh-*.json (e.g. the scalar twin) as GFLOP/s. GFLOP/s = 2*M*N*K / time.
Usage: sgemm_table.py DIR [DIR...]
"""
import glob
import json
import os
import re
import statistics
import sys

UNIT_TO_S = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}


def gflops(shape, seconds):
    m, k, n = (int(x) for x in shape.split("x"))
    return 2.0 * m * n * k / seconds / 1e9


def rounds(dirs, prefix):
    """{(shape, "DIR:round"): parsed JSON} for every DIR/PREFIX-SHAPE-rROUND.json."""
    found = {}
    for out in dirs:
        for path in glob.glob(os.path.join(out, prefix + "-*-r*.json")):
            match = re.fullmatch(prefix + r"-(\d+x\d+x\d+)-r(\d+)\.json", os.path.basename(path))
            if match:
                found[(match[1], f"{out}:{match[2]}")] = json.load(open(path))
    return found


def benchmark(runs, name):
    """The JMH result of benchmark method NAME (e.g. "SgemmBenchmark.packed") in one JMH JSON file."""
    return next(run for run in runs if run["benchmark"].endswith("." + name))


def iteration_seconds(run):
    """Every measured iteration of one JMH result, in seconds per operation."""
    metric = run["primaryMetric"]
    return [t * UNIT_TO_S[metric["scoreUnit"]] for fork in metric["rawData"] for t in fork]


def median_seconds(run):
    return statistics.median(iteration_seconds(run))


def jmh_gflops(run):
    """(median iteration, best iteration) of one JMH result in GFLOP/s."""
    shape, times = run["params"]["shape"], iteration_seconds(run)
    return gflops(shape, statistics.median(times)), gflops(shape, min(times))


def print_read_floor(jmh, peers):
    """For rounds that also ran ReadBandwidthBenchmark: both products' speed as a share of reading B once."""
    rows = []
    for (shape, r), runs in sorted(jmh.items()):
        reads = [run for run in runs if run["benchmark"].endswith(".ReadBandwidthBenchmark.read")]
        if reads and (shape, r) in peers:
            floor = median_seconds(reads[0])
            ours = median_seconds(benchmark(runs, "SgemmBenchmark.packed"))
            theirs = peers[(shape, r)]["results"][0]["median_ms"] * 1e-3
            rows.append((shape, floor, floor / ours, floor / theirs))
    if not rows:
        return
    print("\nshape\trounds\tread B once GB/s\tjlens / read floor\tnumpy / read floor  (medians over rounds)")
    for shape in sorted({row[0] for row in rows}):
        mine = [row for row in rows if row[0] == shape]
        _, k, n = (int(x) for x in shape.split("x"))
        print(f"{shape}\t{len(mine)}\t{statistics.median(4.0 * k * n / row[1] / 1e9 for row in mine):.1f}"
              f"\t{statistics.median(row[2] for row in mine):.2f}\t{statistics.median(row[3] for row in mine):.2f}")


def main():
    dirs = sys.argv[1:]
    if not dirs:
        sys.exit("usage: sgemm_table.py DIR [DIR...]")
    jmh, peers = rounds(dirs, "jmh"), rounds(dirs, "numpy")
    print("shape\trounds\tjlens GFLOP/s\tnumpy GFLOP/s\tratio\tratio range\tbest: jlens\tnumpy\tratio")
    for shape in sorted({s for s, _ in jmh}, key=lambda s: [int(x) for x in s.split("x")]):
        paired = sorted(r for s, r in jmh if s == shape and (s, r) in peers)
        if not paired:
            continue
        ours = [jmh_gflops(benchmark(jmh[(shape, r)], "SgemmBenchmark.packed")) for r in paired]
        theirs = [peers[(shape, r)]["results"][0] for r in paired]
        ratios = [o[0] / t["gflops_median"] for o, t in zip(ours, theirs)]
        best_ours = max(o[1] for o in ours)
        best_theirs = max(t["gflops_best"] for t in theirs)
        print(f"{shape}\t{len(paired)}\t{statistics.median(o[0] for o in ours):.1f}"
              f"\t{statistics.median(t['gflops_median'] for t in theirs):.1f}\t{statistics.median(ratios):.2f}"
              f"\t{min(ratios):.2f}-{max(ratios):.2f}"
              f"\t{best_ours:.1f}\t{best_theirs:.1f}\t{best_ours / best_theirs:.2f}")
    print_read_floor(jmh, peers)
    others = [run for out in dirs for path in sorted(glob.glob(os.path.join(out, "jmh-*.json")))
              if not re.search(r"-r\d+\.json$", path) for run in json.load(open(path))]
    if others:
        print("\nshape\tbenchmark\tGFLOP/s")
        for run in others:
            name = run["benchmark"].rsplit(".", 2)
            print(f"{run['params']['shape']}\t{name[-2]}.{name[-1]}\t{jmh_gflops(run)[0]:.2f}")
    if peers:
        first = next(iter(peers.values()))
        print(f"\nnumpy {first['numpy']}, OPENBLAS_NUM_THREADS={first['threads']}")


if __name__ == "__main__":
    main()
