#!/usr/bin/env python3
"""Prints the SGEMM tables of scripts/bench-sgemm.sh: jlens (JMH SgemmBenchmark.packed) beside each BLAS peer.

Reads DIR/jmh-SHAPE-rROUND.json (JMH JSON, param "shape" = MxKxN), DIR/openblas-SHAPE-rROUND.json (JMH JSON of
SgemmBenchmark.openblas, OpenBLAS under the same harness) and DIR/numpy-SHAPE-rROUND.json (sgemm_peer.py), pairs
them by shape and round, and prints one TSV table per peer, a row per shape over the R rounds (of every DIR given,
pooled: copies of target/bench-sgemm from several runs of the same build):
  jlens, peer     the medians over rounds of each side's median iteration or sample (the same statistic on both
                  sides: a mean would weigh the machine's slow moments more), in GFLOP/s;
  ratio           the median over rounds of that round's jlens / peer (both measured within seconds of each other);
  ratio range     the lowest and highest round ratio;
  best ratio      jlens's best iteration of all rounds over the peer's best of all rounds (the least disturbed
                  moments of each).
Where a round also ran ReadBandwidthBenchmark (the one-row shapes), a last table: the time to read B once (the
memory floor of a one-row product) over each side's product time, medians over rounds.
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


def median_best_seconds(run):
    """(median iteration, best iteration) of one JMH result, in seconds per operation."""
    times = iteration_seconds(run)
    return statistics.median(times), min(times)


def jmh_gflops(run):
    """(median iteration, best iteration) of one JMH result in GFLOP/s."""
    return tuple(gflops(run["params"]["shape"], t) for t in median_best_seconds(run))


def numpy_seconds(result):
    """(median, best) seconds per product of one sgemm_peer.py result."""
    return result["results"][0]["median_ms"] * 1e-3, result["results"][0]["best_ms"] * 1e-3


def print_ratio_table(peer_name, ours, peer):
    """One row per shape: jlens beside one peer; OURS and PEER map (shape, round) to (median, best) seconds."""
    print(f"\nshape\trounds\tjlens GFLOP/s\t{peer_name} GFLOP/s\tratio\tratio range"
          f"\tbest: jlens\t{peer_name}\tratio")
    for shape in sorted({s for s, _ in ours}, key=lambda s: [int(x) for x in s.split("x")]):
        paired = sorted(r for s, r in ours if s == shape and (s, r) in peer)
        if not paired:
            continue
        mine = [[gflops(shape, t) for t in ours[(shape, r)]] for r in paired]
        theirs = [[gflops(shape, t) for t in peer[(shape, r)]] for r in paired]
        ratios = [o[0] / t[0] for o, t in zip(mine, theirs)]
        best_mine, best_theirs = max(o[1] for o in mine), max(t[1] for t in theirs)
        print(f"{shape}\t{len(paired)}\t{statistics.median(o[0] for o in mine):.1f}"
              f"\t{statistics.median(t[0] for t in theirs):.1f}\t{statistics.median(ratios):.2f}"
              f"\t{min(ratios):.2f}-{max(ratios):.2f}\t{best_mine:.1f}\t{best_theirs:.1f}"
              f"\t{best_mine / best_theirs:.2f}")


def print_read_floor(jmh, ours, peers):
    """For rounds that also ran ReadBandwidthBenchmark: each side's product speed as a share of reading B once."""
    names = ["jlens"] + list(peers)
    rows = {}  # shape -> one [floor, side / floor...] per round that has every side
    for (shape, r), runs in sorted(jmh.items()):
        reads = [run for run in runs if run["benchmark"].endswith(".ReadBandwidthBenchmark.read")]
        if reads and all((shape, r) in peer for peer in peers.values()):
            floor = median_best_seconds(reads[0])[0]
            sides = [ours[(shape, r)][0]] + [peer[(shape, r)][0] for peer in peers.values()]
            rows.setdefault(shape, []).append([floor] + [floor / t for t in sides])
    if not rows:
        return
    print("\nshape\trounds\tread B once GB/s\t" + "\t".join(f"{n} / read floor" for n in names)
          + "  (medians over rounds)")
    for shape, mine in sorted(rows.items()):
        _, k, n = (int(x) for x in shape.split("x"))
        shares = [f"{statistics.median(row[i] for row in mine):.2f}" for i in range(1, len(names) + 1)]
        print(f"{shape}\t{len(mine)}\t{statistics.median(4.0 * k * n / row[0] / 1e9 for row in mine):.1f}\t"
              + "\t".join(shares))


def main():
    dirs = sys.argv[1:]
    if not dirs:
        sys.exit("usage: sgemm_table.py DIR [DIR...]")
    jmh, numpy = rounds(dirs, "jmh"), rounds(dirs, "numpy")
    ours = {key: median_best_seconds(benchmark(runs, "SgemmBenchmark.packed")) for key, runs in jmh.items()}
    peers = {"openblas": {key: median_best_seconds(benchmark(runs, "SgemmBenchmark.openblas"))
                          for key, runs in rounds(dirs, "openblas").items()},
             "numpy": {key: numpy_seconds(result) for key, result in numpy.items()}}
    peers = {name: peer for name, peer in peers.items() if peer}
    for name, peer in peers.items():
        print_ratio_table(name, ours, peer)
    print_read_floor(jmh, ours, peers)
    others = [run for out in dirs for path in sorted(glob.glob(os.path.join(out, "jmh-*.json")))
              if not re.search(r"-r\d+\.json$", path) for run in json.load(open(path))]
    if others:
        print("\nshape\tbenchmark\tGFLOP/s")
        for run in others:
            name = run["benchmark"].rsplit(".", 2)
            print(f"{run['params']['shape']}\t{name[-2]}.{name[-1]}\t{jmh_gflops(run)[0]:.2f}")
    if numpy:
        first = next(iter(numpy.values()))
        print(f"\nnumpy {first['numpy']}, OPENBLAS_NUM_THREADS={first['threads']}")


if __name__ == "__main__":
    main()
