#!/usr/bin/env python3
"""Reads a jlens activation export (DIR/export.json + shards/*.safetensors) with numpy alone, as a user would, and
checks it: every shard's tensors have the shapes export.json promises, contexts are consecutive, token ids are whole
numbers in [0, 50257). Writes a JSON summary: {"contexts": n, "tokens": [[...], ...] (all rows), "sums": {hook:
float64 sum}, "first": {hook: the first 4 values of context 0}}. jlens' ActivationExportTest compares it with its
own forward.

    python3 scripts/reference/read_export.py DIR --out summary.json
"""
import argparse
import json
import os
import struct

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16}


def read_safetensors(path):
    """The tensors and metadata of a safetensors file, parsed with struct/json/numpy (no safetensors package)."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        arr = np.frombuffer(data[base + begin:base + end], dtype=DTYPES[e["dtype"]])
        tensors[name] = arr.reshape(e["shape"])
    return tensors, meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(os.path.join(args.dir, "export.json")) as f:
        index = json.load(f)
    positions = index["positions"]
    kept = index["ctx_len"] if positions is None else len(positions)
    sums = {h: 0.0 for h in index["hooks"]}
    first = {}
    tokens = []
    expected_first = 0
    for shard in index["shards"]:
        t, meta = read_safetensors(os.path.join(args.dir, shard["file"]))
        n = shard["contexts"]
        assert int(meta["first_context"]) == shard["first_context"] == expected_first, shard
        expected_first += n
        assert t["tokens"].shape == (n, index["ctx_len"]), t["tokens"].shape
        ids = t["tokens"].astype(np.float64)
        assert np.all(ids == np.round(ids)) and ids.min() >= 0 and ids.max() < 50257
        tokens.extend(ids.astype(np.int64).tolist())
        for hook, trailing in index["hooks"].items():
            a = t[hook]
            assert a.shape == tuple([n, kept] + trailing), (hook, a.shape)
            sums[hook] += float(a.astype(np.float64).sum())
            if hook not in first:
                first[hook] = [float(x) for x in a[0].reshape(-1)[:4]]
    assert expected_first == index["contexts"]
    with open(args.out, "w") as f:
        json.dump({"contexts": index["contexts"], "tokens": tokens, "sums": sums, "first": first}, f)


if __name__ == "__main__":
    main()
