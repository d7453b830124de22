#!/usr/bin/env python3
"""The PyTorch autograd peer of PatchingBenchmark's attribution loop: the same estimate, the same shape.

    /usr/bin/python3 scripts/attribution_peer_torch.py [--seconds 20] [--threads N]

GPT-2-small shape (12 layers, d_model 768, vocab 50257), seeded random float32 weights, 8 prompts x 15 tokens
(corrupted = clean with positions 2 and 10 changed), metric = mean logit difference of random answer pairs at the
last position. One estimate = clean forward caching the activation, corrupted forward, metric.backward(), then
sum over each patched slice of (clean - corrupted) * grad: resid_pre by layer x pos (180 patches), head z all
positions (144) and by position (2160). The forward is scripts/reference/gpt2_gradients_torch.py's (TL's GPT-2
components in torch), so both sides compute the same thing. Prints patches per second per sweep, and the torch
forward alone in ms, with /proc/loadavg.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "reference"))
import gpt2_gradients_torch as ref  # noqa: E402

CFG = dict(n_embd=768, n_layer=12, n_head=12, vocab_size=50257, n_positions=1024, layer_norm_epsilon=1e-5)
BATCH, POS = 8, 15


def weights(seed=0):
    g = torch.Generator().manual_seed(seed)
    d, v = CFG["n_embd"], CFG["vocab_size"]

    def r(*shape, std=0.02):
        return torch.randn(*shape, generator=g) * std

    w = {"wte.weight": r(v, d), "wpe.weight": r(CFG["n_positions"], d, std=0.01),
         "ln_f.weight": 1 + r(d, std=0.1), "ln_f.bias": r(d)}
    for layer in range(CFG["n_layer"]):
        p = f"h.{layer}."
        w.update({p + "ln_1.weight": 1 + r(d, std=0.1), p + "ln_1.bias": r(d),
                  p + "attn.c_attn.weight": r(d, 3 * d, std=0.05), p + "attn.c_attn.bias": r(3 * d),
                  p + "attn.c_proj.weight": r(d, d), p + "attn.c_proj.bias": r(d),
                  p + "ln_2.weight": 1 + r(d, std=0.1), p + "ln_2.bias": r(d),
                  p + "mlp.c_fc.weight": r(d, 4 * d), p + "mlp.c_fc.bias": r(4 * d),
                  p + "mlp.c_proj.weight": r(4 * d, d), p + "mlp.c_proj.bias": r(d)})
    return w


def estimate(w, clean, corrupted, answers, act):
    """(clean - corrupted) * d metric / d act for act in resid_pre / z of every layer: one backward."""
    names = [f"blocks.{layer}." + ("hook_resid_pre" if act == "resid_pre" else "attn.hook_z")
             for layer in range(CFG["n_layer"])]
    cache = {}
    with torch.no_grad():
        ref.forward(w, CFG, clean, lambda n, t: cache.setdefault(n, t) if n in names else t)
    kept = {}

    def keep(n, t):
        if n in names:
            t.requires_grad_(True) if not t.requires_grad else t.retain_grad()
            kept[n] = t
        return t

    logits = ref.forward(w, CFG, corrupted, keep)
    last = logits[:, -1]
    metric = (last.gather(1, answers[:, :1]) - last.gather(1, answers[:, 1:])).mean()
    metric.backward()
    return [((cache[n] - kept[n].detach()) * kept[n].grad) for n in names]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(1)
    clean = torch.tensor(rng.integers(0, CFG["vocab_size"], (BATCH, POS)))
    corrupted = clean.clone()
    corrupted[:, [2, 10]] = torch.tensor(rng.integers(0, CFG["vocab_size"], (BATCH, 2)))
    answers = torch.tensor(rng.integers(0, CFG["vocab_size"], (BATCH, 2)))
    w = weights()
    print(f"torch {torch.__version__}, {args.threads} threads, load before {open('/proc/loadavg').read().split()[:3]}")
    with torch.no_grad():
        for _ in range(2):
            ref.forward(w, CFG, corrupted, lambda n, t: t)
        start, runs = time.perf_counter(), 0
        while time.perf_counter() - start < args.seconds / 4:
            ref.forward(w, CFG, corrupted, lambda n, t: t)
            runs += 1
        print(f"forward\t{1000 * (time.perf_counter() - start) / runs:.1f} ms")
    sweeps = {"resid_pre": ("resid_pre", lambda d: d.sum((0, 2)), 180),
              "head_out_all_pos": ("z", lambda d: d.sum((0, 1, 3)), 144),
              "head_out_by_pos": ("z", lambda d: d.sum((0, 3)), 2160)}
    for sweep, (act, reduce, patches) in sweeps.items():
        torch.stack([reduce(d) for d in estimate(w, clean, corrupted, answers, act)])  # warm-up
        start, runs = time.perf_counter(), 0
        while time.perf_counter() - start < args.seconds / 4:
            torch.stack([reduce(d) for d in estimate(w, clean, corrupted, answers, act)])
            runs += 1
        seconds = (time.perf_counter() - start) / runs
        print(f"{sweep}\t{patches / seconds:.1f} patches/s\t({1000 * seconds:.0f} ms per estimate)")
    print(f"load after {open('/proc/loadavg').read().split()[:3]}")


if __name__ == "__main__":
    main()
