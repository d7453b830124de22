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


def jmh_gflops(run):
    """(median iteration, best iteration) of one JMH result in GFLOP/s."""
    shape, metric = run["params"]["shape"], run["primaryMetric"]
    unit = UNIT_TO_S[metric["scoreUnit"]]
    times = [t for fork in metric["rawData"] for t in fork]
    return gflops(shape, statistics.median(times) * unit), gflops(shape, min(times) * unit)


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
        ours = [jmh_gflops(jmh[(shape, r)][0]) for r in paired]
        theirs = [peers[(shape, r)]["results"][0] for r in paired]
        ratios = [o[0] / t["gflops_median"] for o, t in zip(ours, theirs)]
        best_ours = max(o[1] for o in ours)
        best_theirs = max(t["gflops_best"] for t in theirs)
        print(f"{shape}\t{len(paired)}\t{statistics.median(o[0] for o in ours):.1f}"
              f"\t{statistics.median(t['gflops_median'] for t in theirs):.1f}\t{statistics.median(ratios):.2f}"
              f"\t{min(ratios):.2f}-{max(ratios):.2f}"
              f"\t{best_ours:.1f}\t{best_theirs:.1f}\t{best_ours / best_theirs:.2f}")
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
