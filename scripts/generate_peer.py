#!/usr/bin/env python3
"""KV-cached greedy decoding of a GPT-2 checkpoint in PyTorch (CPU, fp32) or numpy: the peer of GenerateBenchmark.

    /usr/bin/python3 scripts/generate_peer.py --model DIR [--lib torch|numpy] [--batches 1,8] [--threads 2]

The same work as GenerateBenchmark: a 16-token random prompt is prefilled into per-layer key/value buffers
[B, H, n_ctx, 64], then each decode step runs B new tokens through the 12 blocks against the cache and takes the
argmax of the logits. Prints JSON {"torch": {"1": {"step_ms": median, "min_step_ms": ..., "generate_ms": ...}}}:
step_ms is the median of 24 decode steps after 4 warm-up steps; generate_ms the median of 2 calls of prefill + 32
greedy tokens. Weights come from scripts/reference/gpt2_numpy.py's safetensors reader (float32). torch runs with
--threads intra-op threads (jlens uses both cores of this machine).
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "reference"))
import gpt2_numpy  # noqa: E402

PROMPT, NEW, STEPS, WARMUP, CALLS = 16, 32, 24, 4, 2


class Decoder:
    """GPT-2 with a KV cache over an array library (numpy or torch): prefill(tokens), step(tokens) -> next ids."""

    def __init__(self, w, cfg, lib, batch):
        self.lib, self.cfg, self.batch = lib, cfg, batch
        if lib == "torch":
            import torch
            self.t = torch
            conv = lambda a: torch.from_numpy(np.ascontiguousarray(a))  # noqa: E731
        else:
            conv = np.ascontiguousarray
        self.w = {k: conv(v) for k, v in w.items()}
        self.w["W_U"] = conv(np.ascontiguousarray(w["wte.weight"].T))
        self.h, self.d = cfg["n_head"], cfg["n_embd"]
        self.hd = self.d // self.h
        self.eps = cfg.get("layer_norm_epsilon", 1e-5)
        self.reset()

    def reset(self):
        """Empties the cache: new zero buffers [B, H, n_ctx, hd] per layer."""
        shape = (self.batch, self.h, self.cfg["n_positions"], self.hd)
        zeros = (lambda s: self.t.zeros(s)) if self.lib == "torch" else (lambda s: np.zeros(s, np.float32))
        self.k = [zeros(shape) for _ in range(self.cfg["n_layer"])]
        self.v = [zeros(shape) for _ in range(self.cfg["n_layer"])]
        self.length = 0

    def ln(self, x, w, b):
        if self.lib == "torch":
            return self.t.nn.functional.layer_norm(x, (self.d,), w, b, self.eps)
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * w + b

    def gelu(self, x):
        if self.lib == "torch":
            return self.t.nn.functional.gelu(x, approximate="tanh")
        return gpt2_numpy.gelu_new(x)

    def softmax(self, s):
        if self.lib == "torch":
            return self.t.softmax(s, -1)
        e = np.exp(s - s.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)

    def run(self, tokens):
        """Logits of the last position [B, V] of new tokens [B, n] after the cached ones; appends to the cache."""
        w, n, p0 = self.w, tokens.shape[1], self.length
        b = self.batch
        x = w["wte.weight"][tokens] + w["wpe.weight"][p0:p0 + n]
        causal = np.tril(np.ones((n, p0 + n), bool), p0)
        mask = self.t.from_numpy(causal) if self.lib == "torch" else causal
        for layer in range(self.cfg["n_layer"]):
            p = f"h.{layer}."
            a = self.ln(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"])
            qkv = (a.reshape(b * n, self.d) @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"])
            q, k, v = (qkv[:, i * self.d:(i + 1) * self.d].reshape(b, n, self.h, self.hd).transpose(1, 2)
                       if self.lib == "torch" else
                       qkv[:, i * self.d:(i + 1) * self.d].reshape(b, n, self.h, self.hd).transpose(0, 2, 1, 3)
                       for i in range(3))
            self.k[layer][:, :, p0:p0 + n] = k
            self.v[layer][:, :, p0:p0 + n] = v
            keys, values = self.k[layer][:, :, :p0 + n], self.v[layer][:, :, :p0 + n]
            kt = keys.transpose(2, 3) if self.lib == "torch" else keys.transpose(0, 1, 3, 2)
            s = (q @ kt) / np.float32(np.sqrt(self.hd))
            s = s.masked_fill(~mask, float("-inf")) if self.lib == "torch" else np.where(mask, s, -np.inf)
            z = self.softmax(s) @ values  # [B, H, n, hd]
            z = (z.transpose(1, 2) if self.lib == "torch" else z.transpose(0, 2, 1, 3)).reshape(b * n, self.d)
            x = x + (z @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]).reshape(b, n, self.d)
            a = self.ln(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"])
            hidden = self.gelu(a.reshape(b * n, self.d) @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
            x = x + (hidden @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]).reshape(b, n, self.d)
        self.length += n
        last = self.ln(x[:, -1], w["ln_f.weight"], w["ln_f.bias"])
        return (last @ w["W_U"]).argmax(-1)

    def as_tokens(self, ids):
        return ids.reshape(self.batch, 1) if self.lib == "torch" else np.asarray(ids).reshape(self.batch, 1)


def measure(dec, prompt):
    nxt = dec.as_tokens(dec.run(prompt))
    times = []
    for i in range(WARMUP + STEPS):
        start = time.perf_counter()
        nxt = dec.as_tokens(dec.run(nxt))
        if i >= WARMUP:
            times.append((time.perf_counter() - start) * 1e3)
    calls = []
    for _ in range(CALLS):
        start = time.perf_counter()
        dec.reset()
        nxt = dec.as_tokens(dec.run(prompt))
        for _ in range(NEW - 1):
            nxt = dec.as_tokens(dec.run(nxt))
        calls.append((time.perf_counter() - start) * 1e3)
    return {"step_ms": statistics.median(times), "min_step_ms": min(times), "generate_ms": statistics.median(calls)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--lib", default="torch,numpy")
    ap.add_argument("--batches", default="1,8")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    w = gpt2_numpy.load_safetensors(os.path.join(args.model, "model.safetensors"), np.float32)
    out = {}
    for lib in args.lib.split(","):
        if lib == "torch":
            import torch
            torch.set_num_threads(args.threads)
            torch.set_grad_enabled(False)
        out[lib] = {}
        for batch in (int(b) for b in args.batches.split(",")):
            rng = np.random.default_rng(1)
            prompt = rng.integers(0, cfg["vocab_size"], size=(batch, PROMPT))
            if lib == "torch":
                prompt = torch.from_numpy(prompt)
            print(f"load before {lib} batch {batch}: " + open("/proc/loadavg").read().strip(), file=sys.stderr)
            out[lib][str(batch)] = measure(Decoder(w, cfg, lib, batch), prompt)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
