#!/usr/bin/env python3
"""Float64 GPT-2 logits from a Hugging Face folder, in numpy only: the independent reference for jlens.

    python3 scripts/reference/gpt2_numpy.py --model DIR --tokens 50256,464,3290 [--tokens ...] \
        [--mask 0,1,1 ...] --out logits.npy

Reads config.json and model.safetensors (parsed here from the format spec, no safetensors package) and runs the
textbook GPT-2 forward (Radford et al. 2019; HF modeling_gpt2.py semantics) in float64: h = wte[t] + wpe[pos];
per block h += attn(ln_1(h)); h += mlp(ln_2(h)); logits = ln_f(h) wte^T. With --mask, positions count from the
first real token and masked keys get no attention, as Hugging Face and TransformerLens do for left padding.
Writes float64 logits [batch, pos, vocab] as .npy. Shares no code with jlens.
"""
import argparse
import json
import re
import struct

import numpy as np

DTYPES = {"F32": "<f4", "F16": "<f2"}


def load_safetensors(path, dtype=np.float64):
    """HF tensor name (without a "transformer." prefix) -> array of dtype, parsed from the format spec; the causal-mask
    buffers (h.L.attn.bias, h.L.attn.masked_bias) are skipped: the forward below masks by position itself."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")  # mapped, not read: an xl file need not fit twice in memory
    n = struct.unpack("<Q", raw[:8].tobytes())[0]
    header = json.loads(raw[8:8 + n].tobytes())
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or re.fullmatch(r"(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)", name):
            continue
        begin, end = info["data_offsets"]
        chunk = raw[base + begin:base + end]
        if info["dtype"] == "BF16":
            array = (np.frombuffer(chunk, "<u2").astype(np.uint32) << 16).view("<f4")
        else:
            array = np.frombuffer(chunk, DTYPES[info["dtype"]])
        out[name.removeprefix("transformer.")] = array.astype(dtype).reshape(info["shape"])
    return out


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu_new(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * (x * x * x))))


def linear(x, weight, bias):
    """x [..., in] @ weight [in, out] + bias as one 2-D GEMM (a 3-D @ 2-D product runs per batch entry)."""
    return (x.reshape(-1, x.shape[-1]) @ weight + bias).reshape(*x.shape[:-1], weight.shape[-1])


def unembedding(w):
    """W_U [d_model, vocab] as a contiguous array, made once per weights dict (lm_head, else tied wte)."""
    if "_W_U" not in w:
        w["_W_U"] = np.ascontiguousarray((w["lm_head.weight"] if "lm_head.weight" in w else w["wte.weight"]).T)
    return w["_W_U"]


def forward(w, cfg, tokens, mask=None):
    """Logits [batch, pos, vocab] of tokens [batch, pos] in the weights' dtype; mask [batch, pos] or None."""
    tokens = np.asarray(tokens)
    batch, seq = tokens.shape
    n_head, eps = cfg["n_head"], cfg.get("layer_norm_epsilon", 1e-5)
    dtype = w["wte.weight"].dtype
    mask = np.ones((batch, seq), dtype) if mask is None else np.asarray(mask, dtype)
    positions = np.maximum(np.cumsum(mask, axis=1) - 1, 0).astype(int)
    h = w["wte.weight"][tokens] + w["wpe.weight"][positions] * mask[..., None]
    d = h.shape[-1]
    hd = d // n_head
    allowed = np.tril(np.ones((seq, seq), dtype=bool))[None, None] & (mask[:, None, None, :] > 0)
    for layer in range(cfg["n_layer"]):
        p = f"h.{layer}."
        x = layer_norm(h, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = linear(x, w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"])
        q, k, v = (qkv[..., i * d:(i + 1) * d].reshape(batch, seq, n_head, hd).transpose(0, 2, 1, 3)
                   for i in range(3))
        scores = np.where(allowed, q @ k.transpose(0, 1, 3, 2) / dtype.type(np.sqrt(hd)), -np.inf)
        top = scores.max(-1, keepdims=True)
        top = np.where(np.isfinite(top), top, 0)
        e = np.where(allowed, np.exp(scores - top), 0)
        total = e.sum(-1, keepdims=True)
        pattern = np.divide(e, total, out=np.zeros_like(e), where=total > 0)
        z = (pattern @ v).transpose(0, 2, 1, 3).reshape(batch, seq, d)
        h = h + linear(z, w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"])
        x = layer_norm(h, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        hidden = gelu_new(linear(x, w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"]))
        h = h + linear(hidden, w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"])
    x = layer_norm(h, w["ln_f.weight"], w["ln_f.bias"], eps)
    return linear(x, unembedding(w), 0)


def ids(text):
    return [int(t) for t in text.split(",")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--tokens", action="append", required=True, type=ids)
    ap.add_argument("--mask", action="append", type=ids)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(f"{args.model}/config.json") as f:
        cfg = json.load(f)
    w = load_safetensors(f"{args.model}/model.safetensors")
    logits = forward(w, cfg, args.tokens, args.mask)
    np.save(args.out, logits)


if __name__ == "__main__":
    main()
