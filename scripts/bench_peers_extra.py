#!/usr/bin/env python3
"""Measurements of scripts/bench-peers.sh that the peers' scripts do not make.

  bench_peers_extra.py env    the card's ceilings: a 1 GiB device-to-device copy
                              (bytes read + written per second) and an fp16
                              8192^3 matrix product through torch (cuBLAS)
  bench_peers_extra.py neox   a Transformer of mamba-2.8b's size (GPT-NeoX
                              2.8B shape, random fp16 weights, transformers'
                              static KV cache): prompt 2048, batch 1, 16, 64

Results are JSON lines appended to $OUT/extra.jsonl.
"""
import json
import os
import sys
import time

import torch

OUT = os.environ.get("OUT", "/tmp")


def log(**kw):
    print(json.dumps(kw), flush=True)
    with open(os.path.join(OUT, "extra.jsonl"), "a") as f:
        f.write(json.dumps(kw) + "\n")


def median_ms(fn, reps):
    fn()
    torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        a = torch.cuda.Event(enable_timing=True)
        b = torch.cuda.Event(enable_timing=True)
        a.record()
        fn()
        b.record()
        torch.cuda.synchronize()
        ts.append(a.elapsed_time(b))
    return sorted(ts)[len(ts) // 2]


def env():
    p = torch.cuda.get_device_properties(0)
    x = torch.empty(2**30, dtype=torch.uint8, device="cuda")
    y = torch.empty_like(x)
    x.random_()
    copy_ms = median_ms(lambda: y.copy_(x), 20)
    del x, y
    n = 8192
    a = torch.randn(n, n, device="cuda", dtype=torch.float16)
    b = torch.randn(n, n, device="cuda", dtype=torch.float16)
    gemm_ms = median_ms(lambda: a @ b, 20)
    log(sec="env", gpu=p.name, sms=p.multi_processor_count, torch=torch.__version__,
        copy_GBps=2 * 2**30 / copy_ms / 1e6, gemm_fp16_TFLOPs=2 * n**3 / gemm_ms / 1e9)


def neox():
    import transformers
    from transformers import GPTNeoXConfig, GPTNeoXForCausalLM

    # The Pythia-2.8B shape: 32 layers of width 2560, 32 heads, rotary 25%.
    cfg = GPTNeoXConfig(hidden_size=2560, num_hidden_layers=32, num_attention_heads=32,
                        intermediate_size=10240, vocab_size=50304, rotary_pct=0.25,
                        max_position_embeddings=4096, use_parallel_residual=True)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = GPTNeoXForCausalLM(cfg).to(torch.float16).eval()
    params = sum(p.numel() for p in model.parameters())
    gen = int(os.environ.get("NEOX_GENLEN", "64"))
    prompt = 2048
    for batch in (1, 16, 64):
        try:
            ids = torch.randint(1, 1000, (batch, prompt), device="cuda")

            def run(n):
                torch.cuda.synchronize()
                t = time.perf_counter()
                with torch.no_grad():
                    model.generate(ids, max_new_tokens=n, min_new_tokens=n, do_sample=False,
                                   cache_implementation="static", pad_token_id=0)
                torch.cuda.synchronize()
                return time.perf_counter() - t

            run(2)
            first = sorted(run(1) for _ in range(2))[0]
            full = sorted(run(gen + 1) for _ in range(2))[0]
            decode = (full - first) / gen
            log(sec="neox", model="gpt-neox-2.8b", params=params, batch=batch,
                promptlen=prompt, genlen=gen, transformers=transformers.__version__,
                prefill_ms=first * 1e3, decode_ms_per_tok=decode * 1e3,
                decode_tok_per_s=batch / decode,
                peak_memory_bytes=torch.cuda.max_memory_allocated())
        except Exception as e:  # an out-of-memory batch is a result too
            log(sec="neox", model="gpt-neox-2.8b", batch=batch, error=repr(e)[:300])
        torch.cuda.empty_cache()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("env", "neox"):
        sys.exit("usage: bench_peers_extra.py env|neox")
    {"env": env, "neox": neox}[sys.argv[1]]()
