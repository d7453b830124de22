#!/usr/bin/env python3
"""PyTorch eager forward (Hugging Face GPT2LMHeadModel, fp32) of a checkpoint folder: the GPU peer of ForwardBenchmark.

    python3 scripts/forward_peer_torch.py --model DIR [--shapes 8x15,1x1024] [--runs 50] [--device cuda]

For a machine with torch and transformers (the GPU machines have both; this one has neither, so the script has not
run here). Loads config.json + model.safetensors from DIR (e.g. model/target/fixtures/gpt2-random, the folder
scripts/bench-forward.sh gives ForwardBenchmark), TF32 off, and prints JSON {"8x15": {"ms": median, "min_ms": ...}}
timed with torch.cuda.synchronize() around each forward after warm-up.
"""
import argparse
import json
import statistics
import time

import torch
from transformers import GPT2LMHeadModel


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--shapes", default="8x15,1x1024")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--device", default="cuda")
    args = ap.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 GEMMs, as jlens without -Djlens.cuda.tf32
    torch.backends.cudnn.allow_tf32 = False
    model = GPT2LMHeadModel.from_pretrained(args.model, torch_dtype=torch.float32).to(args.device).eval()
    sync = torch.cuda.synchronize if args.device.startswith("cuda") else (lambda: None)
    gen = torch.Generator().manual_seed(1)
    out = {}
    with torch.no_grad():
        for shape in args.shapes.split(","):
            batch, pos = (int(x) for x in shape.split("x"))
            tokens = torch.randint(0, model.config.vocab_size, (batch, pos), generator=gen).to(args.device)
            for _ in range(5):
                model(tokens)
            times = []
            for _ in range(args.runs):
                sync()
                start = time.perf_counter()
                model(tokens).logits
                sync()
                times.append((time.perf_counter() - start) * 1e3)
            out[shape] = {"ms": statistics.median(times), "min_ms": min(times), "runs": args.runs,
                          "device": torch.cuda.get_device_name() if args.device.startswith("cuda") else "cpu"}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
