#!/usr/bin/env python3
"""Gradients of a GPT-2 metric at TransformerLens hook points by PyTorch autograd: the independent reference for
jlens' backward.

    python3 scripts/reference/gpt2_gradients_torch.py --model DIR --tokens 5,17,3 [--tokens ...] --target ID \
        --pos P --hooks NAME[,NAME...] --out DIR [--dtype float64|float32]
    python3 scripts/reference/gpt2_gradients_torch.py --make-fixture DIR
    python3 scripts/reference/gpt2_gradients_torch.py --make-bwd-hook-fixture DIR --model FIXTURE_DIR

Reads a Hugging Face GPT-2 folder (config.json, model.safetensors, parsed by scripts/reference/gpt2_numpy.py)
and runs the forward written after TransformerLens' GPT-2 components (embed.py, pos_embed.py, layer_norm.py,
abstract_attention.py, mlp.py, transformer_block.py; weights unprocessed, as from_pretrained_no_processing) in
torch, keeping every hook point's tensor with retain_grad. The metric is mean over the batch of
log_softmax(logits)[b, P, ID]; one .npy per hook point, named by the hook, holds d metric / d activation in TL's
shape. ln1 runs once per block here (TL calls it three times, for q, k and v): its gradient is the sum of TL's
three, the total derivative jlens reports. --make-fixture writes a small random checkpoint (make_gpt2_checkpoint's
weights at a micro shape) and float64 goldens for a fixed input into DIR, with FIXTURE.txt saying how.
--make-bwd-hook-fixture writes goldens of the same input with backward hooks attached the way TransformerLens
attaches them (HookPoint.add_hook(dir="bwd"): a full backward hook on an identity module that gets grad_output
and returns a replacement of grad_input), one folder per case of BWD_HOOK_CASES.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures"))
sys.path.insert(0, os.path.dirname(__file__))
import gpt2_numpy  # noqa: E402
import make_gpt2_checkpoint  # noqa: E402

MICRO = dict(n_embd=32, n_layer=2, n_head=4, vocab_size=97, n_positions=16)
FIXTURE_TOKENS = [[5, 17, 3, 88, 41, 17, 3, 60], [1, 96, 42, 7, 7, 30, 11, 2]]
FIXTURE_TARGET, FIXTURE_POS = 41, 6
FIXTURE_HOOKS = ["hook_embed", "hook_pos_embed", "blocks.0.hook_resid_pre", "blocks.0.ln1.hook_scale",
                 "blocks.0.ln1.hook_normalized", "blocks.0.attn.hook_q", "blocks.0.attn.hook_k",
                 "blocks.0.attn.hook_v", "blocks.0.attn.hook_attn_scores", "blocks.0.attn.hook_pattern",
                 "blocks.0.attn.hook_z", "blocks.0.hook_attn_out", "blocks.0.hook_resid_mid",
                 "blocks.0.ln2.hook_normalized", "blocks.0.mlp.hook_pre", "blocks.0.mlp.hook_post",
                 "blocks.0.hook_mlp_out", "blocks.1.hook_resid_pre", "blocks.1.attn.hook_pattern",
                 "blocks.1.attn.hook_z", "blocks.1.hook_resid_post", "ln_final.hook_scale",
                 "ln_final.hook_normalized"]


# d metric / d activation under TL backward hooks at blocks.0.hook_resid_mid, in registration order:
# "by_pos" multiplies the gradient at position p by p + 1, "times3" multiplies it by 3.
BWD_HOOK_POINT = "blocks.0.hook_resid_mid"
BWD_HOOK_FNS = {"by_pos": lambda g: g * torch.arange(1, g.shape[1] + 1, dtype=g.dtype).reshape(1, -1, 1),
                "times3": lambda g: g * 3}
BWD_HOOK_CASES = {"by_pos": ["by_pos"], "by_pos_then_times3": ["by_pos", "times3"]}
BWD_HOOK_GRADS = ["hook_embed", "blocks.0.hook_resid_pre", "blocks.0.hook_resid_mid", "blocks.1.hook_resid_pre"]


class HookPoint(torch.nn.Module):
    """TL's HookPoint: an identity module; add_bwd_hook mirrors add_hook(hook, dir="bwd")."""

    def forward(self, x):
        return x

    def add_bwd_hook(self, fn):
        def full_hook(module, grad_input, grad_output):
            out = fn(grad_output[0])  # TL passes grad_output; torch gives every hook the same one
            return None if out is None else (out,)
        self.register_full_backward_hook(full_hook)


def layer_norm(x, w, b, eps, name, hooks):
    """TL LayerNorm: hook_scale = sqrt(var + eps) [.., 1], hook_normalized = (x - mean) / scale, then w, b."""
    x = x - x.mean(-1, keepdim=True)
    scale = hooks(name + ".hook_scale", (x.pow(2).mean(-1, keepdim=True) + eps).sqrt())
    normalized = hooks(name + ".hook_normalized", x / scale)
    return normalized * w + b


def forward(w, cfg, tokens, hooks):
    """TL HookedTransformer.forward for GPT-2, unprocessed weights; hooks(name, t) returns t after keeping it."""
    n_head, eps = cfg["n_head"], cfg.get("layer_norm_epsilon", 1e-5)
    d = cfg["n_embd"]
    e = d // n_head
    batch, seq = tokens.shape
    resid = hooks("hook_embed", w["wte.weight"][tokens]) + hooks(
        "hook_pos_embed", w["wpe.weight"][torch.arange(seq)].expand(batch, seq, d))
    causal = torch.tril(torch.ones(seq, seq, dtype=torch.bool))
    for layer in range(cfg["n_layer"]):
        p, h = f"h.{layer}.", f"blocks.{layer}."
        resid = hooks(h + "hook_resid_pre", resid)
        x = layer_norm(resid, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps, h + "ln1", hooks)
        w_qkv = w[p + "attn.c_attn.weight"].reshape(d, 3, n_head, e).permute(1, 2, 0, 3)  # [3, h, d, e]
        b_qkv = w[p + "attn.c_attn.bias"].reshape(3, n_head, e)
        q, k, v = (hooks(h + "attn.hook_" + n, torch.einsum("bpd,hde->bphe", x, w_qkv[i]) + b_qkv[i])
                   for i, n in enumerate("qkv"))
        scores = torch.einsum("bqhe,bkhe->bhqk", q, k) / np.sqrt(e)
        scores = hooks(h + "attn.hook_attn_scores", torch.where(causal, scores, torch.tensor(-np.inf,
                                                                                           dtype=scores.dtype)))
        pattern = hooks(h + "attn.hook_pattern", torch.softmax(scores, -1))
        z = hooks(h + "attn.hook_z", torch.einsum("bhqk,bkhe->bqhe", pattern, v))
        w_o = w[p + "attn.c_proj.weight"].reshape(n_head, e, d)
        attn_out = hooks(h + "hook_attn_out", torch.einsum("bqhe,hed->bqd", z, w_o) + w[p + "attn.c_proj.bias"])
        resid = hooks(h + "hook_resid_mid", resid + attn_out)
        x = layer_norm(resid, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps, h + "ln2", hooks)
        pre = hooks(h + "mlp.hook_pre", x @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        post = hooks(h + "mlp.hook_post", 0.5 * pre * (1 + torch.tanh(np.sqrt(2 / np.pi) * (pre + 0.044715
                                                                                            * pre ** 3))))
        mlp_out = hooks(h + "hook_mlp_out", post @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"])
        resid = hooks(h + "hook_resid_post", resid + mlp_out)
    x = layer_norm(resid, w["ln_f.weight"], w["ln_f.bias"], eps, "ln_final", hooks)
    return x @ w["wte.weight"].T


def gradients(model_dir, tokens, target, pos, names, dtype, bwd_hooks=None):
    """{hook name: d metric / d activation} for metric = mean_b log_softmax(logits)[b, pos, target]; bwd_hooks maps
    hook names to TL backward hook functions, attached in order (the kept gradient there is the one arriving)."""
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    raw = gpt2_numpy.load_safetensors(os.path.join(model_dir, "model.safetensors"), np.float64)
    w = {k: torch.tensor(v, dtype=dtype) for k, v in raw.items()}
    kept = {}

    points = {}
    for name, fns in (bwd_hooks or {}).items():
        points[name] = HookPoint()
        for fn in fns:
            points[name].add_bwd_hook(fn)

    def hooks(name, t):
        if name in points:
            t = points[name](t)
        if name in names:
            t.retain_grad() if t.requires_grad else t.requires_grad_()
            kept.setdefault(name, t)
        return t

    for t in w.values():
        t.requires_grad_()  # so every activation is part of the graph (parameter gradients are not used)
    logits = forward(w, cfg, torch.tensor(tokens), hooks)
    metric = torch.log_softmax(logits[:, pos], -1)[:, target].mean()
    metric.backward()
    missing = [n for n in names if n not in kept]
    if missing:
        raise SystemExit(f"unknown or unreached hook names: {missing}")
    return {n: kept[n].grad.numpy() for n in names}, float(metric)


def make_fixture(out):
    os.makedirs(out, exist_ok=True)
    config = dict(model_type="gpt2", architectures=["GPT2LMHeadModel"], n_inner=None, n_ctx=MICRO["n_positions"],
                  layer_norm_epsilon=1e-5, activation_function="gelu_new", **MICRO)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    make_gpt2_checkpoint.write_safetensors(os.path.join(out, "model.safetensors"), MICRO, 7, "F32")
    grads, metric = gradients(out, FIXTURE_TOKENS, FIXTURE_TARGET, FIXTURE_POS, FIXTURE_HOOKS, torch.float64)
    for name, g in grads.items():
        np.save(os.path.join(out, name + ".npy"), g)
    with open(os.path.join(out, "FIXTURE.txt"), "w") as f:
        f.write("made by scripts/reference/gpt2_gradients_torch.py --make-fixture (torch " + torch.__version__
                + ", float64)\nweights: make_gpt2_checkpoint.write_safetensors(" + json.dumps(MICRO) + ", seed 7,"
                + " F32), Hugging Face layout, unprocessed\n"
                + "tokens " + ";".join(",".join(map(str, t)) for t in FIXTURE_TOKENS)
                + f"\ntarget {FIXTURE_TARGET}\npos {FIXTURE_POS}\nmetric {metric!r}\n"
                + "hooks " + ",".join(FIXTURE_HOOKS) + "\n")


def make_bwd_hook_fixture(out, model_dir):
    for case, fns in BWD_HOOK_CASES.items():
        grads, _ = gradients(model_dir, FIXTURE_TOKENS, FIXTURE_TARGET, FIXTURE_POS, BWD_HOOK_GRADS, torch.float64,
                             {BWD_HOOK_POINT: [BWD_HOOK_FNS[f] for f in fns]})
        os.makedirs(os.path.join(out, case), exist_ok=True)
        for name, g in grads.items():
            np.save(os.path.join(out, case, name + ".npy"), g)
    with open(os.path.join(out, "FIXTURE.txt"), "w") as f:
        f.write("made by scripts/reference/gpt2_gradients_torch.py --make-bwd-hook-fixture (torch "
                + torch.__version__ + ", float64) on the torch-gradients fixture's model, tokens, target and pos\n"
                + "backward hooks at " + BWD_HOOK_POINT + " as TL's add_hook(dir='bwd'), in order, per folder: "
                + json.dumps(BWD_HOOK_CASES) + "; by_pos: gradient at position p times p + 1; times3: times 3\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--make-fixture")
    ap.add_argument("--make-bwd-hook-fixture")
    ap.add_argument("--model")
    ap.add_argument("--tokens", action="append", type=gpt2_numpy.ids)
    ap.add_argument("--target", type=int)
    ap.add_argument("--pos", type=int)
    ap.add_argument("--hooks")
    ap.add_argument("--out")
    ap.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    args = ap.parse_args()
    if args.make_fixture:
        make_fixture(args.make_fixture)
        return
    if args.make_bwd_hook_fixture:
        make_bwd_hook_fixture(args.make_bwd_hook_fixture, args.model)
        return
    grads, _ = gradients(args.model, args.tokens, args.target, args.pos, args.hooks.split(","),
                         getattr(torch, args.dtype))
    os.makedirs(args.out, exist_ok=True)
    for name, g in grads.items():
        np.save(os.path.join(args.out, name + ".npy"), g.astype(np.float32 if args.dtype == "float32" else g.dtype))


if __name__ == "__main__":
    main()
