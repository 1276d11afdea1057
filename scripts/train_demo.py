#!/usr/bin/env python3
"""Trains the demo model of `mamba-run` (models/demo/): a small Mamba-2 on the
King James Bible, with its own byte-level BPE tokenizer.

Usage (the corpus comes from scripts/make_corpus.sh):

  # smoke test, CPU, a few steps, writes to a temporary folder:
  python3 scripts/train_demo.py --corpus build-corpus/kjv.txt --dry-run

  # the real run (one GPU, about 6 minutes in all):
  python3 scripts/train_demo.py --corpus build-corpus/kjv.txt --out models/demo

Needs torch (2.x), transformers (written against 5.17), tokenizers (0.23),
safetensors and numpy; no network. The model is transformers'
Mamba2ForCausalLM on its PyTorch path (mamba_ssm's kernels are neither needed
nor expected).

Steps:
  1. Splits the corpus by lines (verses): the last --heldout-fraction (2%)
     is held out and written as heldout.txt; the --valid-fraction (1%) just
     before it is the validation text watched during training; the rest is
     the training text. Neither held-out nor validation text is trained on.
  2. Trains a GPT-NeoX-shaped byte-level BPE tokenizer on the training text
     (NFC normalizer, ByteLevel pre-tokenizer without prefix space and with
     the GPT-2 regex, ByteLevel decoder and post-processor, no dropout, no
     unk token, "<|endoftext|>" special at id 0), --vocab-size ids in all;
     writes tokenizer.json.
  3. Builds Mamba2Config with every field set (its defaults describe
     Mamba-Codestral) and Mamba2ForCausalLM, tied embeddings.
  4. Trains with AdamW, linear warmup then cosine decay, bf16 autocast on
     CUDA, random windows of --seq-len tokens, until --minutes of training
     time are spent (or --steps, if given). Prints the loss with the elapsed
     time, and the validation loss every --eval-every seconds. If the last
     validation loss is worse than the best one seen, the best weights are
     kept (a guard against overfitting the small corpus).
  5. Saves the model in fp16 as model.safetensors + config.json (transformers'
     save_pretrained), checks that the files reload to the same config and
     weights, and that the parameter names are the ones the C++ loader
     expects.
  6. Reloads the SAVED checkpoint, casts it to float32 (TF32 off) and writes
     reference.json for the C++ side:
       heldout_perplexity: heldout.txt tokenized as one sequence without
         special tokens, run through the model at once;
         ppl = exp(mean over t >= 1 of -log softmax(logits[t-1])[x_t]), the
         softmax over the first vocab_size logits (config.vocab_size equals
         the tokenizer's vocabulary, so that is all of them);
       greedy: 64 greedy tokens after "And God said" (no cache: a full
         forward per token), with each step's top-1/top-2 logit margin;
       tokenizer: the ids of "And God said" and of heldout.txt[:200].
  7. Prints a few samples at temperature 0.8, and the file sizes (the model
     files must stay under --max-mb, 20 MB).

Any failed check stops the script with a message and a non-zero exit.
"""

import argparse
import contextlib
import inspect
import json
import math
import os
import random
import re
import sys
import tempfile
import time
import unicodedata

T0 = time.time()

# The GPU machine has no network: never wait on the Hugging Face Hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

EOT = "<|endoftext|>"
GREEDY_PROMPT = "And God said"
GREEDY_TOKENS = 64
HELDOUT_PREFIX_CHARS = 200
SAMPLE_PROMPTS = ["And God said", "In the beginning", "Blessed are"]
SAMPLE_TOKENS = 120
SAMPLE_TEMPERATURE = 0.8

# Files this script writes into --out (and removes first, so that nothing
# stale is left next to them). README.md is never touched.
OUTPUT_FILES = ["model.safetensors", "config.json", "tokenizer.json",
                "heldout.txt", "reference.json"]
STALE_FILES = ["model.safetensors.index.json", "pytorch_model.bin",
               "pytorch_model.bin.index.json", "generation_config.json"]

# Keys of config.json that the C++ loader reads with Mamba2Config's defaults
# (which describe Mamba-Codestral) when they are missing: they must be there.
REQUIRED_CONFIG_KEYS = [
    "model_type", "vocab_size", "hidden_size", "num_hidden_layers",
    "state_size", "expand", "conv_kernel", "head_dim", "num_heads",
    "n_groups", "chunk_size", "rms_norm", "use_bias", "use_conv_bias",
    "residual_in_fp32", "tie_word_embeddings", "layer_norm_epsilon",
    "time_step_limit",
]


class TrainError(Exception):
    pass


def check(cond, message):
    if not cond:
        raise TrainError(message)


def log(message):
    print(f"[{time.strftime('%H:%M:%S')} {time.time() - T0:6.1f}s] {message}",
          flush=True)


def human_bytes(n):
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------

def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Train the demo Mamba-2 model (models/demo/) on the KJV "
                    "Bible.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--corpus", required=True,
                   help="kjv.txt from scripts/make_corpus.sh (one verse a "
                        "line)")
    p.add_argument("--out", default=None,
                   help="output folder (models/demo); required unless "
                        "--dry-run, which defaults to a temporary folder")
    p.add_argument("--minutes", type=float, default=5.0,
                   help="wall-time budget of the training loop; data prep "
                        "before it and the checks after it add about a "
                        "minute")
    p.add_argument("--steps", type=int, default=None,
                   help="train exactly this many steps (the cosine schedule "
                        "then runs over steps, not time); --minutes still "
                        "stops the loop early")
    p.add_argument("--device", default="cuda", help="cuda, cuda:N or cpu")
    p.add_argument("--dry-run", action="store_true",
                   help="smoke test on the CPU: real tokenizer and model, a "
                        "few small steps, short evaluations; reference.json "
                        "is marked dry_run")
    p.add_argument("--seed", type=int, default=1234)
    # Tokenizer and model.
    p.add_argument("--vocab-size", type=int, default=4096)
    p.add_argument("--hidden-size", type=int, default=384)
    p.add_argument("--layers", type=int, default=6)
    p.add_argument("--expand", type=int, default=2)
    p.add_argument("--head-dim", type=int, default=64, choices=[32, 64, 128])
    p.add_argument("--state-size", type=int, default=64)
    p.add_argument("--chunk-size", type=int, default=64)
    p.add_argument("--conv-kernel", type=int, default=4)
    # Optimisation.
    p.add_argument("--seq-len", type=int, default=512)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--min-lr-ratio", type=float, default=0.1,
                   help="final learning rate as a fraction of --lr")
    p.add_argument("--warmup-steps", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=1.0)
    p.add_argument("--compile", action="store_true",
                   help="torch.compile the model for training (compile time "
                        "counts against --minutes; falls back to eager on "
                        "error)")
    # Data and reporting.
    p.add_argument("--heldout-fraction", type=float, default=0.02,
                   help="the last lines, written as heldout.txt and never "
                        "trained on")
    p.add_argument("--valid-fraction", type=float, default=0.01,
                   help="lines just before the held-out ones, not trained "
                        "on: the loss watched during training")
    p.add_argument("--log-every", type=int, default=25, help="steps")
    p.add_argument("--eval-every", type=float, default=30.0,
                   help="seconds between validation losses")
    p.add_argument("--max-mb", type=float, default=20.0,
                   help="limit on model.safetensors + tokenizer.json + "
                        "config.json, in MB (10^6 bytes)")
    args = p.parse_args(argv)

    if args.dry_run:
        args.device = "cpu"
        args.steps = 3 if args.steps is None else args.steps
        args.batch_size = min(args.batch_size, 2)
        args.seq_len = min(args.seq_len, 128)
        args.warmup_steps = min(args.warmup_steps, 1)
        args.log_every = 1
        if args.out is None:
            args.out = tempfile.mkdtemp(prefix="train_demo_dry_")
    if args.out is None:
        p.error("--out is required (for example --out models/demo), "
                "unless --dry-run")
    for name in ("minutes", "lr", "heldout_fraction", "valid_fraction",
                 "max_mb"):
        if not getattr(args, name) > 0:
            p.error(f"--{name.replace('_', '-')} must be positive")
    if args.heldout_fraction + args.valid_fraction >= 0.5:
        p.error("--heldout-fraction + --valid-fraction must be under 0.5")
    if args.steps is not None and args.steps < 1:
        p.error("--steps must be at least 1")
    for name in ("vocab_size", "hidden_size", "layers", "expand",
                 "state_size", "chunk_size", "seq_len", "batch_size",
                 "log_every"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be positive")
    if (args.hidden_size * args.expand) % args.head_dim:
        p.error(f"expand * hidden-size = {args.expand * args.hidden_size} "
                f"is not a multiple of --head-dim {args.head_dim}")
    if args.state_size % 8 or not 8 <= args.state_size <= 256:
        p.error("--state-size must be a multiple of 8 in [8, 256] (what the "
                "C++ kernels support)")
    if not 2 <= args.conv_kernel <= 4:
        p.error("--conv-kernel must be in [2, 4] (what the C++ kernels "
                "support)")
    if args.vocab_size < 300:
        p.error("--vocab-size must be at least 300 (256 bytes + specials + "
                "merges)")
    return args


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------

def read_corpus(path, held_fraction, valid_fraction):
    """(training lines, validation lines, held-out text): the held-out lines
    are the last ones, the validation lines the ones just before them."""
    check(os.path.isfile(path),
          f"{path}: no such file; make it with scripts/make_corpus.sh OUT_DIR "
          f"(then pass --corpus OUT_DIR/kjv.txt)")
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    check(len(lines) >= 100,
          f"{path}: only {len(lines)} non-empty lines; expected the KJV "
          f"(31102 verses, one a line)")
    n_held = max(1, round(len(lines) * held_fraction))
    n_valid = max(1, round(len(lines) * valid_fraction))
    cut = len(lines) - n_held - n_valid
    return (lines[:cut], lines[cut:len(lines) - n_held],
            "\n".join(lines[len(lines) - n_held:]) + "\n")


# ---------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------

def train_tokenizer(train_lines, vocab_size):
    from tokenizers import (AddedToken, Tokenizer, decoders, models,
                            normalizers, pre_tokenizers, processors, trainers)

    tok = Tokenizer(models.BPE(dropout=None, unk_token=None, fuse_unk=False,
                               byte_fallback=False))
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(
        add_prefix_space=False, trim_offsets=True, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=True)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        show_progress=False,
        special_tokens=[AddedToken(EOT, special=True, normalized=False)],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    # Lines keep their newline, so that the merges see "\n" as the text has
    # it.
    tok.train_from_iterator((line + "\n" for line in train_lines),
                            trainer=trainer, length=len(train_lines))
    return tok


def check_tokenizer(tok, held_text, vocab_size):
    check(tok.token_to_id(EOT) == 0,
          f"{EOT!r} has id {tok.token_to_id(EOT)}, not 0")
    n = tok.get_vocab_size(with_added_tokens=True)
    check(n <= vocab_size, f"the tokenizer has {n} ids, over {vocab_size}")
    if n < vocab_size:
        log(f"WARNING: the tokenizer has only {n} ids (asked for "
            f"{vocab_size}): the corpus ran out of merges")
    ids = tok.encode(held_text, add_special_tokens=False).ids
    check(all(0 < i < n for i in ids),
          "the held-out text encodes to an id out of range (or to the "
          "special token)")
    back = tok.decode(ids, skip_special_tokens=False)
    check(back == held_text,
          "the tokenizer does not round-trip the held-out text (decode "
          "(encode(text)) != text)")
    return n


def encode_lines(tok, lines, per_chunk=500):
    """Ids of "\\n".join(lines) + "\\n", encoded in parallel chunks of whole
    lines. The GPT-2 regex always splits at a "\\n" followed by a letter, so
    this equals one encode of the whole text (checked on a prefix)."""
    chunks = ["\n".join(lines[i:i + per_chunk]) + "\n"
              for i in range(0, len(lines), per_chunk)]
    ids = []
    for enc in tok.encode_batch(chunks, add_special_tokens=False):
        ids.extend(enc.ids)
    probe = lines[:2 * per_chunk + 7]
    whole = tok.encode("\n".join(probe) + "\n", add_special_tokens=False).ids
    check(ids[:len(whole)] == whole,
          "chunked encoding differs from encoding the text at once")
    return ids


# ---------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------

def config_fields(args, vocab):
    d_inner = args.expand * args.hidden_size
    return dict(
        # Sizes.
        vocab_size=vocab,
        hidden_size=args.hidden_size,
        num_hidden_layers=args.layers,
        expand=args.expand,
        state_size=args.state_size,
        head_dim=args.head_dim,
        num_heads=d_inner // args.head_dim,
        n_groups=1,
        conv_kernel=args.conv_kernel,
        chunk_size=args.chunk_size,
        # What "auto" resolves to (ceil(hidden / 16)); Mamba-2 does not use it.
        time_step_rank=math.ceil(args.hidden_size / 16),
        # Wiring.
        layer_norm_epsilon=1e-5,
        rms_norm=True,
        use_bias=False,
        use_conv_bias=True,
        residual_in_fp32=True,
        hidden_act="silu",
        tie_word_embeddings=True,
        time_step_limit=(0.0, float("inf")),
        # Training-time initialisation. initializer_range defaults to 0.1
        # (Codestral's); 0.02 is mamba_ssm's embedding init and GPT-2's.
        initializer_range=0.02,
        rescale_prenorm_residual=False,
        time_step_min=0.001,
        time_step_max=0.1,
        time_step_floor=1e-4,
        # Tokens: "<|endoftext|>" (id 0) is all of them.
        pad_token_id=0,
        bos_token_id=0,
        eos_token_id=0,
        use_cache=True,
    )


def same_value(a, b):
    if isinstance(b, (tuple, list)):
        return (isinstance(a, (tuple, list)) and len(a) == len(b)
                and all(same_value(x, y) for x, y in zip(a, b)))
    if isinstance(b, float) and isinstance(a, (int, float)):
        return a == b or (math.isinf(a) and math.isinf(b) and a * b > 0)
    return a == b


def check_config(cfg, fields, what):
    # Token ids may live in the generation config in transformers 5.
    for key, want in fields.items():
        got = getattr(cfg, key, None)
        if key.endswith("_token_id") and got is None:
            continue
        check(same_value(got, want),
              f"{what}: config.{key} is {got!r}, expected {want!r}: the "
              f"{type(cfg).__name__} API differs from what this script knows")


def expected_parameters(fields):
    """transformers' state_dict names and shapes; the C++ loader maps
    backbone.embeddings.* to mamba_ssm's backbone.embedding.*."""
    d = fields["hidden_size"]
    di = fields["expand"] * d
    n, g, h, k = (fields["state_size"], fields["n_groups"],
                  fields["num_heads"], fields["conv_kernel"])
    conv = di + 2 * g * n
    out = {"backbone.embeddings.weight": (fields["vocab_size"], d)}
    for i in range(fields["num_hidden_layers"]):
        m = f"backbone.layers.{i}.mixer."
        out[f"backbone.layers.{i}.norm.weight"] = (d,)
        out.update({
            m + "in_proj.weight": (di + conv + h, d),
            m + "conv1d.weight": (conv, 1, k),
            m + "conv1d.bias": (conv,),
            m + "dt_bias": (h,),
            m + "A_log": (h,),
            m + "D": (h,),
            m + "norm.weight": (di,),
            m + "out_proj.weight": (d, di),
        })
    out["backbone.norm_f.weight"] = (d,)
    out["lm_head.weight"] = (fields["vocab_size"], d)
    return out


def check_parameter_names(named_shapes, fields, what, head_optional):
    want = expected_parameters(fields)
    got = dict(named_shapes)
    if head_optional and "lm_head.weight" not in got:
        got["lm_head.weight"] = want["lm_head.weight"]
    check(set(got) == set(want),
          f"{what}: parameter names differ from what the C++ loader expects:"
          f" unexpected {sorted(set(got) - set(want))[:8]}, missing "
          f"{sorted(set(want) - set(got))[:8]}")
    for k, shape in want.items():
        check(tuple(got[k]) == shape,
              f"{what}: {k} has shape {tuple(got[k])}, expected {shape}")


def embedding_and_head(model):
    return model.backbone.embeddings.weight, model.lm_head.weight


def build_model(fields):
    from transformers import Mamba2Config, Mamba2ForCausalLM

    cfg = Mamba2Config(**fields)
    check_config(cfg, fields, "Mamba2Config")
    model = Mamba2ForCausalLM(cfg)
    emb, head = embedding_and_head(model)
    if head.data_ptr() != emb.data_ptr():
        # Mamba2ForCausalLM had an empty _tied_weights_keys before
        # transformers PR #43207 (January 2026), so tie_word_embeddings did
        # not tie there.
        log("WARNING: lm_head is not tied to the embedding although "
            "tie_word_embeddings=True; tying it by hand")
        model.lm_head.weight = emb
    emb, head = embedding_and_head(model)
    check(head.data_ptr() == emb.data_ptr(), "could not tie lm_head")
    names = [(k, tuple(v.shape)) for k, v in model.state_dict().items()]
    check_parameter_names(names, fields, "the built model", head_optional=True)
    return model


class PathProbe:
    """Counts calls of Mamba2Mixer.torch_forward, to report which path runs."""

    def __init__(self, model):
        self.calls = 0
        self.restore = None
        mixer_cls = type(model.backbone.layers[0].mixer)
        original = getattr(mixer_cls, "torch_forward", None)
        if original is None:
            return
        probe = self

        def counted(self_, *a, **kw):
            probe.calls += 1
            return original(self_, *a, **kw)

        mixer_cls.torch_forward = counted
        self.restore = lambda: setattr(mixer_cls, "torch_forward", original)

    def done(self):
        if self.restore:
            self.restore()
            self.restore = None


def forward_kwargs(model):
    params = inspect.signature(model.forward).parameters
    kw = {}
    if "use_cache" in params:
        kw["use_cache"] = False
    return kw, "labels" in params


# ---------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------

def lr_at(args, step, progress):
    """Linear warmup over steps, then cosine from --lr to min-lr-ratio * lr
    over `progress` (0..1: the fraction of steps, or of time, spent)."""
    if step < args.warmup_steps:
        return args.lr * (step + 1) / args.warmup_steps
    progress = min(max(progress, 0.0), 1.0)
    cos = 0.5 * (1.0 + math.cos(math.pi * progress))
    return args.lr * (args.min_lr_ratio + (1.0 - args.min_lr_ratio) * cos)


def make_optimizer(model, args, device):
    import torch

    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        # Matrices (projections, the tied embedding) decay; A_log, D,
        # dt_bias, norms, conv weights and biases do not.
        (decay if p.dim() == 2 else no_decay).append(p)
    groups = [{"params": decay, "weight_decay": args.weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]
    kw = dict(lr=args.lr, betas=(0.9, 0.95), eps=1e-8)
    if device.type == "cuda":
        try:
            return torch.optim.AdamW(groups, fused=True, **kw)
        except (TypeError, RuntimeError):
            pass
    return torch.optim.AdamW(groups, **kw)


def eval_windows(ids, seq_len, max_windows=None):
    import torch

    n = len(ids) // seq_len
    if max_windows is not None:
        n = min(n, max_windows)
    check(n >= 1, f"the validation text has {len(ids)} tokens, fewer than "
                  f"one window of {seq_len}: raise --valid-fraction")
    return torch.tensor(ids[:n * seq_len], dtype=torch.long).view(n, seq_len)


def windowed_loss(model, windows, batch_size, device, autocast, fkw):
    """Mean next-token loss within windows (the first token of each window
    has no context): a quick validation figure during training."""
    import torch
    import torch.nn.functional as F

    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, windows.shape[0], batch_size):
            x = windows[i:i + batch_size].to(device)
            with autocast():
                logits = model(input_ids=x, **fkw).logits
            logits = logits[:, :-1].float()
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                   x[:, 1:].reshape(-1), reduction="sum")
            total += loss.item()
            count += x[:, 1:].numel()
    if was_training:
        model.train()
    return total / count


def train(model, train_ids, valid_ids, args, device):
    """Trains in place; returns statistics. The weights at the lowest
    validation loss are kept when the last ones are worse (overfitting)."""
    import torch
    import torch.nn.functional as F

    cuda = device.type == "cuda"
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

        def autocast():
            return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    else:
        autocast = contextlib.nullcontext

    fkw, has_labels = forward_kwargs(model)
    if not has_labels:
        log("WARNING: Mamba2ForCausalLM.forward takes no 'labels'; the loss "
            "is computed here")
    data = torch.tensor(train_ids, dtype=torch.long, device=device)
    L, B = args.seq_len, args.batch_size
    check(data.numel() > L + 1, "the training text is shorter than one window")
    gen = torch.Generator().manual_seed(args.seed + 1)
    arange = torch.arange(L, device=device)

    def batch():
        starts = torch.randint(0, data.numel() - L, (B,), generator=gen)
        return data[starts.to(device)[:, None] + arange]

    windows = eval_windows(valid_ids, L, 4 if args.dry_run else None)
    best = dict(loss=float("inf"), step=0, state=None)

    def validate(step):
        loss = windowed_loss(model, windows, B, device, autocast, fkw)
        if loss < best["loss"]:
            best.update(loss=loss, step=step, state={
                k: v.detach().to("cpu", copy=True)
                for k, v in model.state_dict().items()})
        return loss

    opt = make_optimizer(model, args, device)
    model.train()
    run = model
    if args.compile:
        log("torch.compile: compiling (the first steps are slow)")
        run = torch.compile(model)

    def loss_of(m, x):
        if has_labels:
            out = m(input_ids=x, labels=x, **fkw)
            return out.loss, out.logits
        logits = m(input_ids=x, **fkw).logits
        lg = logits[:, :-1].float()
        return (F.cross_entropy(lg.reshape(-1, lg.shape[-1]),
                                x[:, 1:].reshape(-1)), logits)

    # The model's own loss (labels shifted inside) against a hand-made one.
    probe = PathProbe(model)
    x0 = batch()
    with torch.no_grad(), autocast():
        loss0, logits0 = loss_of(model, x0)
    lg = logits0[:, :-1].float()
    manual = F.cross_entropy(lg.reshape(-1, lg.shape[-1]),
                             x0[:, 1:].reshape(-1))
    probe.done()
    check(torch.isfinite(loss0).item(), f"the initial loss is {loss0.item()}")
    check(abs(loss0.item() - manual.item()) <= 1e-3 * max(1.0, manual.item()),
          f"the model's loss {loss0.item():.5f} differs from next-token cross "
          f"entropy {manual.item():.5f}: labels are not handled as expected")
    log(f"initial loss {loss0.item():.4f} (ln vocab = "
        f"{math.log(logits0.shape[-1]):.4f}); logits {tuple(logits0.shape)} "
        f"{logits0.dtype}")
    mixer_module = sys.modules.get(type(model.backbone.layers[0].mixer)
                                   .__module__)
    fast = getattr(mixer_module, "is_fast_path_available", "unknown")
    path = ("the PyTorch path (Mamba2Mixer.torch_forward ran)" if probe.calls
            else "torch_forward did NOT run (renamed in this transformers, "
                 "or fast kernels are in use)")
    log(f"mixer: {path}; is_fast_path_available = {fast}")
    del x0, loss0, logits0, lg, manual

    budget = args.minutes * 60.0
    by_steps = args.steps is not None
    log(f"training: {B} x {L} tokens a step, "
        + (f"{args.steps} steps (cosine over steps)" if by_steps
           else f"{args.minutes:g} min (cosine over time)")
        + f", peak lr {args.lr:g}, warmup {args.warmup_steps} steps, "
          f"{len(train_ids):,} training tokens")
    start = time.time()
    last_eval = start
    step, bad, tokens = 0, 0, 0
    loss_sum, loss_n = 0.0, 0
    timing_printed = False
    while True:
        now = time.time()
        elapsed = now - start
        if by_steps and step >= args.steps:
            break
        if elapsed >= budget:
            if by_steps:
                log(f"WARNING: --minutes ran out after {step} of "
                    f"{args.steps} steps")
            break
        progress = step / args.steps if by_steps else elapsed / budget
        lr = lr_at(args, step, progress)
        for group in opt.param_groups:
            group["lr"] = lr
        x = batch()
        try:
            with autocast():
                loss, _ = loss_of(run, x)
        except Exception as e:  # torch.compile failures show up here
            if run is model:
                raise
            log(f"WARNING: torch.compile failed ({type(e).__name__}: "
                f"{str(e)[:200]}); going on without it")
            run = model
            continue
        if not torch.isfinite(loss).item():
            bad += 1
            opt.zero_grad(set_to_none=True)
            log(f"WARNING: step {step}: loss is {loss.item()}, step skipped")
            check(bad < 5, "5 non-finite losses in a row: lower --lr")
            step += 1
            continue
        bad = 0
        loss.backward()
        if args.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.grad_clip)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tokens += x.numel()
        loss_sum += loss.item()
        loss_n += 1

        if not timing_printed and step == 10:
            if cuda:
                torch.cuda.synchronize()
            dt = time.time() - start
            rate = tokens / dt
            steps_in_budget = int(budget / dt * step)
            log(f"timing: {dt / step * 1000:.0f} ms/step over the first "
                f"{step} steps (warm-up included), {rate / 1e3:.1f}k "
                f"tokens/s; about {steps_in_budget} steps, "
                f"{rate * budget / len(train_ids):.1f} epochs in "
                f"{args.minutes:g} min")
            if cuda:
                log(f"GPU memory: peak "
                    f"{torch.cuda.max_memory_allocated() / 2**30:.1f} GiB")
            timing_printed = True
        if step % args.log_every == 0:
            now = time.time()
            log(f"step {step:5d} | loss {loss_sum / loss_n:.4f} | lr "
                f"{lr:.2e} | {tokens / (now - start) / 1e3:6.1f}k tok/s | "
                f"epoch {tokens / len(train_ids):.2f}")
            loss_sum, loss_n = 0.0, 0
        if time.time() - last_eval >= args.eval_every:
            v = validate(step)
            log(f"validation loss {v:.4f} (ppl {math.exp(v):.2f}; best "
                f"{best['loss']:.4f} at step {best['step']})")
            last_eval = time.time()

    train_time = time.time() - start
    final = validate(step)
    log(f"training done: {step} steps, {tokens:,} tokens "
        f"({tokens / len(train_ids):.2f} epochs) in {train_time:.0f} s; "
        f"validation loss {final:.4f} (ppl {math.exp(final):.2f}, windows of "
        f"{L}, {'bf16 autocast' if cuda else 'fp32'})")
    restored = final > best["loss"] + 0.005
    if restored:
        log(f"WARNING: the validation loss was lower ({best['loss']:.4f}) at "
            f"step {best['step']}: keeping those weights (overfitting; "
            f"consider fewer --minutes or a smaller model)")
        model.load_state_dict(best["state"])
    return dict(steps=step, tokens=tokens, seconds=round(train_time, 1),
                epochs=round(tokens / len(train_ids), 2),
                final_validation_loss=round(final, 4),
                best_validation_loss=round(best["loss"], 4),
                best_validation_step=best["step"],
                kept_best_not_last=restored)


# ---------------------------------------------------------------------------
# Saving and checking the checkpoint
# ---------------------------------------------------------------------------

def save_checkpoint(model, out):
    """fp16 model.safetensors + config.json, by save_pretrained."""
    import torch

    model = model.to("cpu").to(torch.float16).eval()
    params = inspect.signature(model.save_pretrained).parameters
    kw = {}
    if "safe_serialization" in params:  # removed in transformers 5
        kw["safe_serialization"] = True
    try:
        model.save_pretrained(out, **kw)
    except Exception as e:
        # Shared (tied) tensors that transformers does not know to drop.
        log(f"WARNING: save_pretrained failed ({type(e).__name__}: {e}); "
            f"writing model.safetensors with safetensors directly")
        from safetensors.torch import save_file
        sd = {k: v.contiguous() for k, v in model.state_dict().items()
              if k != "lm_head.weight"}
        save_file(sd, os.path.join(out, "model.safetensors"),
                  metadata={"format": "pt"})
        model.config.save_pretrained(out)
    for name in STALE_FILES:
        path = os.path.join(out, name)
        if os.path.exists(path):
            if name == "generation_config.json":
                os.remove(path)  # not needed: the model is all in config.json
            else:
                raise TrainError(f"save_pretrained wrote {name}: the "
                                 f"checkpoint is not one model.safetensors")
    check(os.path.isfile(os.path.join(out, "model.safetensors")),
          f"save_pretrained wrote {sorted(os.listdir(out))}, no "
          f"model.safetensors")
    return model


def check_saved_files(out, fields, model_fp16):
    import torch
    from safetensors import safe_open
    from transformers import Mamba2Config

    path = os.path.join(out, "model.safetensors")
    with safe_open(path, framework="pt") as f:
        names = list(f.keys())
        tensors = {k: f.get_tensor(k) for k in names}
    check_parameter_names([(k, tuple(v.shape)) for k, v in tensors.items()],
                          fields, "model.safetensors", head_optional=True)
    dtypes = sorted({str(v.dtype) for v in tensors.values()})
    check(dtypes == ["torch.float16"],
          f"model.safetensors holds {dtypes}, expected float16 only")
    if "lm_head.weight" in tensors:
        check(torch.equal(tensors["lm_head.weight"],
                          tensors["backbone.embeddings.weight"]),
              "model.safetensors has an lm_head.weight that differs from the "
              "tied embedding")
    sd = model_fp16.state_dict()
    for k, v in tensors.items():
        check(torch.equal(v, sd[k].to(v.dtype)), f"{k} differs from the model")
    log(f"model.safetensors: {len(names)} tensors, float16, "
        f"{'with' if 'lm_head.weight' in tensors else 'without'} "
        f"lm_head.weight (tied)")

    # config.json: the keys the C++ loader needs, and a round trip.
    cpath = os.path.join(out, "config.json")
    with open(cpath, encoding="utf-8") as f:
        raw = json.load(f)
    check(raw.get("model_type") == "mamba2",
          f"config.json has model_type {raw.get('model_type')!r}")
    missing = [k for k in REQUIRED_CONFIG_KEYS if k not in raw]
    if missing:
        # transformers leaves out values equal to its defaults; the C++
        # loader would read Codestral's defaults for them.
        log(f"config.json lacks {missing}; adding them")
        for k in missing:
            v = fields[k] if k != "model_type" else "mamba2"
            raw[k] = list(v) if isinstance(v, tuple) else v
        with open(cpath, "w", encoding="utf-8") as f:
            json.dump(raw, f, indent=2, sort_keys=True)
            f.write("\n")
    for k in REQUIRED_CONFIG_KEYS[1:]:
        v = raw[k]
        if k == "time_step_limit":
            # transformers 5 writes inf as {"__float__": "Infinity"}.
            v = [float(x["__float__"]) if isinstance(x, dict) else x
                 for x in v]
        check(same_value(v, fields[k]),
              f"config.json: {k} is {raw[k]!r}, expected {fields[k]!r}")
    back = Mamba2Config.from_pretrained(out)
    check_config(back, fields, "config.json reloaded")
    log(f"config.json: {len(raw)} keys; reloads with the same fields "
        f"(time_step_limit written as {json.dumps(raw['time_step_limit'])})")


def reload_fp32(out, model_fp16, device):
    """The SAVED checkpoint, as float32 on `device`, checked against the
    model it was saved from."""
    import torch
    from transformers import Mamba2ForCausalLM

    model = Mamba2ForCausalLM.from_pretrained(out)
    model = model.to(torch.float32).to(device).eval()
    emb, head = embedding_and_head(model)
    if head.data_ptr() != emb.data_ptr():
        check(torch.equal(head, emb),
              "the reloaded model's lm_head is not the embedding: "
              "tie_word_embeddings was not honoured on load")
    want = {k: v.float() for k, v in model_fp16.state_dict().items()}
    for k, v in model.state_dict().items():
        check(k in want and torch.equal(v.cpu(), want[k]),
              f"reloaded parameter {k} differs from the saved model")
    return model


# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------

def full_logits(model, ids, device, fkw):
    import torch

    with torch.no_grad():
        x = torch.tensor([ids], dtype=torch.long, device=device)
        return model(input_ids=x, **fkw).logits[0].float()


def heldout_perplexity(model, ids, vocab, device, fkw):
    import torch

    logits = full_logits(model, ids, device, fkw)[:, :vocab]
    logp = torch.log_softmax(logits[:-1].double(), dim=-1)
    target = torch.tensor(ids[1:], dtype=torch.long, device=device)
    nll = -logp.gather(1, target[:, None])[:, 0]
    mean = nll.mean().item()
    return dict(perplexity=math.exp(mean), mean_nll=mean,
                scored_tokens=len(ids) - 1, total_tokens=len(ids))


def greedy(model, ids, steps, vocab, device, fkw):
    """Greedy continuation with a full forward per token (no cache)."""
    import torch

    seq, margins = list(ids), []
    for _ in range(steps):
        last = full_logits(model, seq, device, fkw)[-1, :vocab]
        top = torch.topk(last, 2)
        seq.append(int(top.indices[0]))
        margins.append(float(top.values[0] - top.values[1]))
    return seq[len(ids):], margins


def sample(model, ids, steps, vocab, device, fkw, temperature, seed):
    import torch

    gen = torch.Generator(device=device).manual_seed(seed)
    seq = list(ids)
    for _ in range(steps):
        last = full_logits(model, seq, device, fkw)[-1, :vocab]
        probs = torch.softmax(last / temperature, dim=-1)
        seq.append(int(torch.multinomial(probs, 1, generator=gen)))
    return seq[len(ids):]


def check_generate(model, prompt_ids, want, device):
    """transformers' generate() (cached decoding) against the no-cache greedy
    tokens. Informational: a difference is reported, not fatal."""
    import torch

    try:
        x = torch.tensor([prompt_ids], dtype=torch.long, device=device)
        with torch.no_grad():
            out = model.generate(x, max_new_tokens=len(want), do_sample=False,
                                 min_new_tokens=len(want), pad_token_id=0)
        got = out[0, len(prompt_ids):].tolist()
    except Exception as e:
        log(f"note: generate() could not be checked ({type(e).__name__}: "
            f"{str(e)[:200]})")
        return None
    same = 0
    while same < min(len(got), len(want)) and got[same] == want[same]:
        same += 1
    if same == len(want):
        log(f"generate() (cached decoding) gives the same {same} greedy "
            f"tokens")
    else:
        log(f"WARNING: generate() agrees on the first {same} of {len(want)} "
            f"greedy tokens only")
    return same


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def dump_json(obj, path):
    """Indented JSON with lists of numbers kept on one line."""
    text = json.dumps(obj, indent=2, allow_nan=False)
    text = re.sub(r"\[\s*([-+0-9.eE,\s]*?)\s*\]",
                  lambda m: "[" + ", ".join(m.group(1).split()).replace(
                      ",,", ",") + "]", text)
    json.loads(text)  # still the same JSON
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


def file_size(out, name):
    path = os.path.join(out, name)
    return os.path.getsize(path) if os.path.exists(path) else 0


def main(argv=None):
    args = parse_args(argv)
    try:
        import numpy as np
        import torch
        import transformers
        import tokenizers
        import safetensors
    except ImportError as e:
        print(f"train_demo: error: {e}; needs torch, transformers, "
              f"tokenizers, safetensors and numpy", file=sys.stderr)
        return 1

    log(f"torch {torch.__version__}, transformers {transformers.__version__},"
        f" tokenizers {tokenizers.__version__}, safetensors "
        f"{getattr(safetensors, '__version__', '?')}, numpy {np.__version__}")
    if not transformers.__version__.startswith("5."):
        log("WARNING: written against transformers 5.x; the checks below "
            "still guard the outputs")
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print("train_demo: error: --device cuda but CUDA is not available; "
              "use --device cpu (slow) or --dry-run", file=sys.stderr)
        return 1
    device = torch.device(args.device)
    if device.type == "cuda":
        log(f"device: {torch.cuda.get_device_name(device)}")
    if args.dry_run:
        log(f"DRY RUN: CPU, {args.steps} steps of {args.batch_size} x "
            f"{args.seq_len}; writing to {args.out}")

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(args.seed)

    out = args.out
    os.makedirs(out, exist_ok=True)
    for name in OUTPUT_FILES + STALE_FILES:
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))

    # 1. Corpus.
    train_lines, valid_lines, held_text = read_corpus(
        args.corpus, args.heldout_fraction, args.valid_fraction)
    held_path = os.path.join(out, "heldout.txt")
    with open(held_path, "w", encoding="utf-8", newline="") as f:
        f.write(held_text)
    log(f"corpus: {len(train_lines):,} training lines, {len(valid_lines):,} "
        f"validation lines, {held_text.count(chr(10)):,} held-out lines "
        f"({human_bytes(len(held_text.encode()))}) -> {held_path}")

    # 2. Tokenizer.
    tok = train_tokenizer(train_lines, args.vocab_size)
    tok_path = os.path.join(out, "tokenizer.json")
    tok.save(tok_path)
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(tok_path)  # from here on, the saved one
    with open(held_path, encoding="utf-8", newline="") as f:
        held_text = f.read()
    vocab = check_tokenizer(tok, held_text, args.vocab_size)
    train_ids = encode_lines(tok, train_lines)
    held_ids = tok.encode(held_text, add_special_tokens=False).ids
    # mamba-run --perplexity encodes with the post-processor on; it adds
    # nothing here (no BOS/EOS), so both definitions see the same ids.
    check(tok.encode(held_text, add_special_tokens=True).ids == held_ids,
          "add_special_tokens=True changes the held-out ids: the "
          "post-processor adds tokens")
    valid_ids = encode_lines(tok, valid_lines)
    n_chars = sum(len(line) + 1 for line in train_lines)
    log(f"tokenizer: {vocab} ids ({EOT!r} = 0) -> {tok_path}; training text "
        f"{len(train_ids):,} tokens ({n_chars / len(train_ids):.2f} chars a "
        f"token), validation {len(valid_ids):,}, held-out {len(held_ids):,}")

    # 3. Model.
    fields = config_fields(args, vocab)
    model = build_model(fields)
    n_params = sum(p.numel() for p in model.parameters())
    n_emb = model.backbone.embeddings.weight.numel()
    est = 2 * n_params + os.path.getsize(tok_path) + 2000
    log(f"model: Mamba-2, {args.layers} layers, d_model {args.hidden_size}, "
        f"{fields['num_heads']} heads of {args.head_dim}, d_state "
        f"{args.state_size}, chunk {args.chunk_size}, vocab {vocab}; "
        f"{n_params:,} parameters ({n_emb:,} in the tied embedding); fp16 "
        f"files about {human_bytes(est)}")
    check(est <= args.max_mb * 1e6,
          f"the model files would take about {human_bytes(est)}, over "
          f"--max-mb {args.max_mb:g}: lower --hidden-size or --layers")
    model.to(device)

    # 4. Training.
    stats = train(model, train_ids, valid_ids, args, device)

    # 5. Save and check.
    model_fp16 = save_checkpoint(model, out)
    del model
    if device.type == "cuda":
        torch.cuda.empty_cache()
    check_saved_files(out, fields, model_fp16)

    # 6. References from the saved checkpoint, in float32 without TF32.
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    ref = reload_fp32(out, model_fp16, device)
    fkw, _ = forward_kwargs(ref)
    # The reloaded model on a short prompt against the in-memory one.
    probe_ids = tok.encode(GREEDY_PROMPT, add_special_tokens=False).ids
    mem = model_fp16.to(torch.float32).to(device).eval()
    diff = (full_logits(ref, probe_ids, device, fkw)
            - full_logits(mem, probe_ids, device, fkw)).abs().max().item()
    check(diff < 1e-4, f"the reloaded checkpoint's logits differ from the "
                       f"saved model's by {diff:.2e}")
    del mem, model_fp16

    ppl_ids = held_ids[:1024] if args.dry_run else held_ids
    t = time.time()
    ppl = heldout_perplexity(ref, ppl_ids, vocab, device, fkw)
    log(f"held-out perplexity (fp32, whole sequence of {len(ppl_ids):,} "
        f"tokens{', DRY RUN: truncated' if args.dry_run else ''}): "
        f"{ppl['perplexity']:.4f} (mean NLL {ppl['mean_nll']:.5f}) in "
        f"{time.time() - t:.1f} s")

    prompt_ids = tok.encode(GREEDY_PROMPT, add_special_tokens=False).ids
    cont, margins = greedy(ref, prompt_ids, GREEDY_TOKENS, vocab, device, fkw)
    last = full_logits(ref, prompt_ids, device, fkw)[-1, :vocab]
    top5 = torch.topk(last, 5)
    gen_same = check_generate(ref, prompt_ids, cont, device)
    cont_text = tok.decode(cont, skip_special_tokens=False)
    log(f"greedy: {GREEDY_PROMPT!r} -> {cont_text!r} (smallest top-1/top-2 "
        f"margin {min(margins):.4f})")

    prefix = held_text[:HELDOUT_PREFIX_CHARS]
    reference = {
        "generator": "scripts/train_demo.py",
        "dry_run": bool(args.dry_run),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
        "device": (torch.cuda.get_device_name(device)
                   if device.type == "cuda" else "cpu"),
        "compute_dtype": "float32 (TF32 off), from the saved float16 "
                         "checkpoint",
        "vocab_size": vocab,
        "heldout_perplexity": {
            "file": "heldout.txt",
            "definition": "heldout.txt tokenized as one sequence without "
                          "special tokens; one forward over the whole "
                          "sequence; ppl = exp(mean over t >= 1 of -log "
                          "softmax(logits[t-1])[x_t])",
            "special_tokens": "none added: encoding with "
                              "add_special_tokens=True gives the same ids "
                              "(checked)",
            "softmax_over": f"the first vocab_size = {vocab} logits, which "
                            f"are all of them: config.vocab_size equals the "
                            f"tokenizer's vocabulary, so nothing is "
                            f"restricted",
            "truncated_to_tokens": len(ppl_ids) if args.dry_run else None,
            **ppl,
        },
        "greedy": {
            "prompt": GREEDY_PROMPT,
            "prompt_ids": prompt_ids,
            "new_tokens": GREEDY_TOKENS,
            "ids": cont,
            "text": cont_text,
            "full_text": tok.decode(prompt_ids + cont,
                                    skip_special_tokens=False),
            "method": "argmax over the first vocab_size logits of a full "
                      "no-cache forward per step",
            "top1_top2_margins": [round(m, 6) for m in margins],
            "min_margin": min(margins),
            "prompt_last_logits_top5": {
                "ids": top5.indices.tolist(),
                "logits": [round(v, 5) for v in top5.values.tolist()],
            },
            "generate_agreeing_tokens": gen_same,
        },
        "tokenizer": {
            "cases": [
                {"text": GREEDY_PROMPT, "ids": prompt_ids},
                {"text": prefix, "ids": tok.encode(
                    prefix, add_special_tokens=False).ids,
                 "what": f"heldout.txt[:{HELDOUT_PREFIX_CHARS}] (characters)"},
            ],
            "add_special_tokens": False,
        },
        "model": {
            "parameters": n_params,
            "config": {k: (list(v) if isinstance(v, tuple) else v)
                       for k, v in fields.items()
                       if k != "time_step_limit"},
        },
        "training": {**stats,
                     "command": "python3 scripts/train_demo.py "
                                + " ".join(sys.argv[1:] if argv is None
                                           else argv),
                     "seed": args.seed, "seq_len": args.seq_len,
                     "batch_size": args.batch_size, "peak_lr": args.lr,
                     "train_tokens": len(train_ids),
                     "validation_tokens": len(valid_ids),
                     "heldout_tokens": len(held_ids),
                     "split": "verses (lines) of kjv.txt: training, then "
                              "--valid-fraction validation, then the last "
                              "--heldout-fraction held out (heldout.txt); "
                              "neither of the last two is trained on, nor "
                              "used to train the tokenizer"},
    }
    dump_json(reference, os.path.join(out, "reference.json"))
    log(f"wrote {os.path.join(out, 'reference.json')}")

    # 7. Samples, for the eye.
    print()
    print(f"--- samples, temperature {SAMPLE_TEMPERATURE} ---")
    for i, prompt in enumerate(SAMPLE_PROMPTS):
        ids = tok.encode(prompt, add_special_tokens=False).ids
        new = sample(ref, ids, SAMPLE_TOKENS // (4 if args.dry_run else 1),
                     vocab, device, fkw, SAMPLE_TEMPERATURE, args.seed + i)
        print(f"[{prompt}]{tok.decode(new, skip_special_tokens=False)}")
        print()

    sizes = {n: file_size(out, n) for n in OUTPUT_FILES}
    model_files = (sizes["model.safetensors"] + sizes["tokenizer.json"]
                   + sizes["config.json"])
    print("--- files ---")
    for name in sorted(os.listdir(out)):
        print(f"  {name:22s} {human_bytes(file_size(out, name)):>10s}")
    print(f"  model files (safetensors + tokenizer + config): "
          f"{human_bytes(model_files)} (limit {args.max_mb:g} MB)")
    print(f"--- summary: {n_params:,} parameters; held-out perplexity "
          f"{ppl['perplexity']:.3f}; {stats['steps']} steps in "
          f"{stats['seconds']:.0f} s; total time {time.time() - T0:.0f} s"
          + (" (DRY RUN)" if args.dry_run else ""))
    check(model_files <= args.max_mb * 1e6,
          f"the model files take {human_bytes(model_files)}, over --max-mb "
          f"{args.max_mb:g}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except TrainError as e:
        print(f"train_demo: error: {e}", file=sys.stderr)
        sys.exit(1)
