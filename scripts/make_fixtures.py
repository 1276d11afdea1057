#!/usr/bin/env python3
"""Writes tiny random Mamba models and their reference logits.

Usage: scripts/make_fixtures.py OUT_DIR [--decode-steps N]

Needs torch, transformers (written against 5.x; the cache API is probed, not
assumed), safetensors and numpy. Runs on the CPU in fp32, offline.

Each fixture is a subfolder of OUT_DIR holding a model directory as the C++
runtime reads it (config.json + weights) and the reference outputs of
transformers' PyTorch path:

  prompt_short.npy   int64 (2, 7)          logits_short.npy  f32 (2, 7, V)
  prompt_long.npy    int64 (2, 37)         logits_long.npy   f32 (2, 37, V)
  decode_tokens.npy  int64 (2, K)          decode_logits.npy f32 (2, K, V)

V is the width of the logits: the padded vocabulary for the mamba_ssm
format, vocab_size for the transformers format. Decoding continues the long
prompt with the cache: decode_tokens[:, t] is fed at position 37 + t and
decode_logits[:, t] is what that step returns. The tokens are greedy over the
real vocabulary: decode_tokens[:, 0] = argmax(logits_long[:, -1, :vocab]),
decode_tokens[:, t+1] = argmax(decode_logits[:, t, :vocab]).

OUT_DIR/manifest.json describes every fixture.

Checks that fail loudly (exit status 1):
  - every config field transformers was given reads back unchanged;
  - every parameter has the name and shape mamba_ssm's state_dict has
    (mamba-reference.md 2.1-2.3), so that the C++ expected-tensor list and
    these checkpoints agree;
  - no parameter element is exactly 0 or 1;
  - cached decoding equals a full no-cache forward over prompt + tokens;
  - the saved transformers checkpoint reloads to the same logits;
  - the tied lm_head of the mamba_ssm checkpoints shares the embedding's
    storage;
  - where ngroups > 1, the group-wise gated RMSNorm patch (below) is called
    by every layer and changes the output.

Gated RMSNorm (mamba-reference.md 1.7): transformers' Mamba2
MambaRMSNormGated normalises over all of d_inner and ignores n_groups;
mamba_ssm normalises each group of d_inner / ngroups channels, and this
project follows mamba_ssm. For ngroups > 1 the script replaces that forward
with a group-wise one and says so.
"""

import argparse
import collections
import inspect
import json
import math
import os
import sys

import numpy as np
import torch
import transformers
from transformers import (Mamba2Config, Mamba2ForCausalLM, MambaConfig,
                          MambaForCausalLM)

EOS = 0
SHORT_LEN = 7
LONG_LEN = 37  # longer than the Mamba-2 chunk (16): several chunks + a tail
BATCH = 2


class FixtureError(Exception):
    pass


def check(cond, message):
    if not cond:
        raise FixtureError(message)


# ----------------------------------------------------------------------------
# Fixture specifications
# ----------------------------------------------------------------------------

FIXTURES = [
    # name, arch, format, vocab, pad multiple (mamba_ssm only), tie, dtype
    dict(name="mamba1-hf", arch="mamba", format="transformers", vocab=251,
         pad=1, tie=True, ngroups=1, dtype="float32", seed=11),
    dict(name="mamba1-ssm", arch="mamba", format="mamba_ssm", vocab=1001,
         pad=8, tie=True, ngroups=1, dtype="float32", seed=12),
    dict(name="mamba2-hf", arch="mamba2", format="transformers", vocab=251,
         pad=1, tie=False, ngroups=2, dtype="float32", seed=21),
    dict(name="mamba2-ssm", arch="mamba2", format="mamba_ssm", vocab=251,
         pad=16, tie=True, ngroups=2, dtype="float32", seed=22),
    # Stored like the published Mamba-2 checkpoints: fp16, D in fp32.
    dict(name="mamba2-ssm-fp16", arch="mamba2", format="mamba_ssm", vocab=251,
         pad=16, tie=True, ngroups=1, dtype="float16", seed=23),
]

D_MODEL = 64
N_LAYER = 2
MAMBA1 = dict(d_state=16, d_conv=4, expand=2)
MAMBA2 = dict(d_state=32, d_conv=4, expand=2, headdim=32, chunk_size=16)


def padded(vocab, pad):
    return (vocab + pad - 1) // pad * pad


def hf_config(spec):
    """The transformers config of the model that computes the references.

    For the mamba_ssm format it is built with the padded vocabulary, which is
    what MambaLMHeadModel's embedding and lm_head have.
    """
    vocab = padded(spec["vocab"], spec["pad"])
    common = dict(vocab_size=vocab, hidden_size=D_MODEL,
                  num_hidden_layers=N_LAYER, layer_norm_epsilon=1e-5,
                  conv_kernel=4, expand=2, use_bias=False, use_conv_bias=True,
                  hidden_act="silu", residual_in_fp32=True,
                  tie_word_embeddings=spec["tie"])
    # Not read back: transformers 5 may keep token ids elsewhere.
    token_ids = dict(pad_token_id=0, bos_token_id=0, eos_token_id=EOS)
    if spec["arch"] == "mamba":
        cfg = MambaConfig(state_size=MAMBA1["d_state"], time_step_rank="auto",
                          **common, **token_ids)
        want = dict(common, state_size=MAMBA1["d_state"],
                    time_step_rank=math.ceil(D_MODEL / 16),
                    intermediate_size=2 * D_MODEL)
    else:
        d_inner = MAMBA2["expand"] * D_MODEL
        m2 = dict(state_size=MAMBA2["d_state"], head_dim=MAMBA2["headdim"],
                  num_heads=d_inner // MAMBA2["headdim"],
                  n_groups=spec["ngroups"], chunk_size=MAMBA2["chunk_size"],
                  rms_norm=True, time_step_limit=(0.0, float("inf")))
        cfg = Mamba2Config(**common, **m2, **token_ids)
        want = dict(common, **m2)
    for key, value in want.items():
        got = getattr(cfg, key, None)
        if isinstance(value, tuple):
            got = tuple(got) if got is not None else None
        check(got == value,
              f"{spec['name']}: transformers' config.{key} is {got!r}, "
              f"expected {value!r}: the {type(cfg).__name__} API changed")
    return cfg


def mamba_ssm_config(spec):
    """config.json in mamba_ssm's MambaConfig format."""
    if spec["arch"] == "mamba":
        ssm_cfg = dict(MAMBA1)
    else:
        ssm_cfg = dict(layer="Mamba2", ngroups=spec["ngroups"], **MAMBA2)
    return dict(d_model=D_MODEL, d_intermediate=0, n_layer=N_LAYER,
                vocab_size=spec["vocab"], ssm_cfg=ssm_cfg, attn_layer_idx=[],
                attn_cfg={}, rms_norm=True, residual_in_fp32=True,
                fused_add_norm=True, pad_vocab_size_multiple=spec["pad"],
                tie_embeddings=spec["tie"])


def expected_shapes(spec):
    """mamba_ssm state_dict names and shapes (mamba-reference.md 2.1-2.3).

    Mirrors expectedTensors() in runtime/model/WeightStore.cpp.
    """
    v = padded(spec["vocab"], spec["pad"])
    d = D_MODEL
    out = {"backbone.embedding.weight": (v, d)}
    for i in range(N_LAYER):
        p = f"backbone.layers.{i}."
        m = p + "mixer."
        out[p + "norm.weight"] = (d,)
        if spec["arch"] == "mamba":
            di, n, r = 2 * d, MAMBA1["d_state"], math.ceil(d / 16)
            out.update({
                m + "in_proj.weight": (2 * di, d),
                m + "conv1d.weight": (di, 1, 4),
                m + "conv1d.bias": (di,),
                m + "x_proj.weight": (r + 2 * n, di),
                m + "dt_proj.weight": (di, r),
                m + "dt_proj.bias": (di,),
                m + "A_log": (di, n),
                m + "D": (di,),
                m + "out_proj.weight": (d, di),
            })
        else:
            di, n, g = 2 * d, MAMBA2["d_state"], spec["ngroups"]
            h = di // MAMBA2["headdim"]
            conv = di + 2 * g * n
            out.update({
                m + "in_proj.weight": (di + conv + h, d),
                m + "conv1d.weight": (conv, 1, 4),
                m + "conv1d.bias": (conv,),
                m + "dt_bias": (h,),
                m + "A_log": (h,),
                m + "D": (h,),
                m + "norm.weight": (di,),
                m + "out_proj.weight": (d, di),
            })
    out["backbone.norm_f.weight"] = (d,)
    out["lm_head.weight"] = (v, d)
    return out


def canonical(name):
    return name.replace("backbone.embeddings.", "backbone.embedding.")


# ----------------------------------------------------------------------------
# Parameters
# ----------------------------------------------------------------------------

def init_parameters(model, gen):
    """Sets every parameter from `gen`, by role, with nothing left at 0 or 1.

    transformers' own init leaves D and the norms at exactly 1 and A_log at
    log(1..n); those would hide indexing and broadcasting bugs.
    """
    def randn(p):
        return torch.randn(p.shape, generator=gen, dtype=torch.float32)

    def uniform(p, lo, hi):
        return torch.rand(p.shape, generator=gen) * (hi - lo) + lo

    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("A_log"):
                v = torch.log(uniform(p, 1.0, 16.0))
            elif name.endswith("mixer.D"):
                v = 1.0 + 0.3 * randn(p)
            elif name.endswith("dt_bias") or name.endswith("dt_proj.bias"):
                # softplus^-1 of dt drawn log-uniformly in [1e-3, 1e-1].
                dt = torch.exp(uniform(p, math.log(1e-3), math.log(1e-1)))
                v = dt + torch.log(-torch.expm1(-dt))
            elif "norm" in name and name.endswith("weight"):
                v = 1.0 + 0.2 * randn(p)
            elif name.endswith("conv1d.weight"):
                v = randn(p) / math.sqrt(p.shape[-1])
            elif name.endswith(".bias"):
                v = 0.2 * randn(p)
            elif name.endswith("embeddings.weight"):
                v = 0.5 * randn(p)
            elif name.endswith(".weight") and p.dim() == 2:
                v = randn(p) / math.sqrt(p.shape[1])
            else:
                raise FixtureError(f"no init rule for parameter {name} "
                                   f"{tuple(p.shape)}")
            p.copy_(v)
        for name, p in model.named_parameters():
            check(not bool(((p == 0) | (p == 1)).any()),
                  f"parameter {name} has an element equal to 0 or 1")


def check_parameter_names(model, spec):
    want = expected_shapes(spec)
    got = {canonical(k): tuple(v.shape)
           for k, v in model.state_dict().items()}
    if spec["tie"] and "lm_head.weight" not in got:
        # A state_dict may list a tied head once; mamba_ssm stores it twice.
        got["lm_head.weight"] = got.get("backbone.embedding.weight")
    check(set(got) == set(want),
          f"{spec['name']}: transformers' parameters differ from mamba_ssm's: "
          f"only in transformers {sorted(set(got) - set(want))}, "
          f"only in mamba_ssm {sorted(set(want) - set(got))}")
    for k, shape in want.items():
        check(got[k] == shape,
              f"{spec['name']}: {k} has shape {got[k]}, mamba_ssm has {shape}")


# ----------------------------------------------------------------------------
# Group-wise gated RMSNorm (mamba_ssm semantics)
# ----------------------------------------------------------------------------

GATED_NORM_CALLS = [0]


def patch_gated_norm(model, spec):
    """Makes every layer's gated norm group-wise; returns the patched class."""
    norms = [layer.mixer.norm for layer in model.backbone.layers]
    cls = type(norms[0])
    check(all(type(n) is cls for n in norms), "mixed gated-norm classes")
    params = inspect.signature(cls.forward).parameters
    check("gate" in params,
          f"{cls.__module__}.{cls.__qualname__}.forward has no 'gate' "
          f"argument: not the gated norm this script knows how to patch")
    d_inner = MAMBA2["expand"] * D_MODEL
    group = d_inner // spec["ngroups"]
    for n in norms:
        check(n.weight.shape == (d_inner,), "unexpected gated norm weight")
        n.mamba_group_size = group

    def eps_of(module):
        for attr in ("variance_epsilon", "eps"):
            if hasattr(module, attr):
                return getattr(module, attr)
        raise FixtureError(f"{cls.__qualname__} has no epsilon attribute")

    def grouped_forward(self, hidden_states, gate=None):
        # mamba_ssm RMSNormGated with norm_before_gate=False: gate, then
        # normalise each group of `group` channels, then scale.
        GATED_NORM_CALLS[0] += 1
        dtype = hidden_states.dtype
        x = hidden_states.to(torch.float32)
        if gate is not None:
            x = x * torch.nn.functional.silu(gate.to(torch.float32))
        shape = x.shape
        x = x.reshape(*shape[:-1], shape[-1] // self.mamba_group_size,
                      self.mamba_group_size)
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps_of(self))
        return self.weight * x.reshape(shape).to(dtype)

    original = cls.forward
    cls.forward = grouped_forward
    print(f"  patched {cls.__module__}.{cls.__qualname__}.forward: gated "
          f"RMSNorm normalises {spec['ngroups']} groups of {group} channels "
          f"(mamba_ssm), not all {d_inner} (transformers)")
    return cls, original


# ----------------------------------------------------------------------------
# Running the model
# ----------------------------------------------------------------------------

def forward_kwargs(model):
    params = inspect.signature(model.forward).parameters
    if "cache_params" in params:
        cache_kw = "cache_params"
    elif "past_key_values" in params:
        cache_kw = "past_key_values"
    else:
        raise FixtureError(f"{type(model).__name__}.forward takes neither "
                           f"cache_params nor past_key_values")
    return cache_kw, "cache_position" in params


def output_cache(out):
    for attr in ("cache_params", "past_key_values"):
        cache = getattr(out, attr, None)
        if cache is not None:
            return cache
    raise FixtureError("a forward with use_cache=True returned no cache "
                       "(neither cache_params nor past_key_values)")


def logits_of(model, ids):
    with torch.no_grad():
        return model(input_ids=ids, use_cache=False).logits.float()


def decode(model, prompt, steps, vocab):
    """Prefill with the cache, then feed greedy tokens one at a time."""
    cache_kw, has_position = forward_kwargs(model)
    with torch.no_grad():
        out = model(input_ids=prompt, use_cache=True)
        cache = output_cache(out)
        nxt = out.logits[:, -1, :vocab].argmax(-1)
        tokens, logits = [], []
        for t in range(steps):
            kwargs = {cache_kw: cache, "use_cache": True}
            if has_position:
                kwargs["cache_position"] = torch.tensor(
                    [prompt.shape[1] + t], dtype=torch.long)
            out = model(input_ids=nxt[:, None], **kwargs)
            check(out.logits.shape[1] == 1,
                  f"a decode step returned {out.logits.shape[1]} positions")
            cache = output_cache(out)
            tokens.append(nxt)
            logits.append(out.logits[:, 0].float())
            nxt = out.logits[:, 0, :vocab].argmax(-1)
    return torch.stack(tokens, 1), torch.stack(logits, 1)


def max_rel_diff(a, b):
    return float((a - b).abs().max() / max(1.0, float(b.abs().max())))


def check_decode(model, prompt, tokens, dec_logits, name):
    """Cached decoding must equal one no-cache forward over everything."""
    full = logits_of(model, torch.cat([prompt, tokens], 1))
    ref = full[:, prompt.shape[1]:]
    err = max_rel_diff(dec_logits, ref)
    print(f"  decode vs no-cache forward: max rel diff {err:.2e}")
    check(err < 1e-4, f"{name}: cached decode differs from the full forward "
                      f"by {err:.2e}: the cache API was misused or changed")
    return err


def check_generate(model, prompt, tokens, dec_logits, name):
    """transformers' own generate() must take the same greedy path.

    generate() argmaxes over the whole logits width, so this is only called
    for the transformers-format models, whose logits are exactly the
    vocabulary. It stops a sequence at EOS, so the comparison ends at the
    first step that produced EOS.
    """
    steps = tokens.shape[1]
    try:
        gen = model.generate(prompt, max_new_tokens=steps, do_sample=False,
                             use_cache=True, output_logits=True,
                             return_dict_in_generate=True, pad_token_id=0)
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        print(f"  WARNING: generate() failed ({type(e).__name__}: {e}); "
              f"relying on the no-cache check alone")
        return
    eos_steps = (tokens == EOS).any(0).nonzero()
    upto = int(eos_steps[0]) + 1 if len(eos_steps) else steps
    new = gen.sequences[:, prompt.shape[1]:prompt.shape[1] + upto]
    check(torch.equal(new, tokens[:, :upto]),
          f"{name}: generate() chose {new.tolist()}, the manual cached "
          f"decode {tokens[:, :upto].tolist()}")
    # generate's logits[t] scored token t, so they come from the step that
    # consumed token t-1: decode_logits[:, t-1].
    gen_logits = torch.stack(gen.logits[1:upto], 1).float() if upto > 1 else None
    if gen_logits is not None:
        err = max_rel_diff(gen_logits, dec_logits[:, :upto - 1])
        print(f"  decode vs generate(): {upto} equal tokens, max rel diff "
              f"{err:.2e}")
        check(err < 1e-4, f"{name}: generate() logits differ by {err:.2e}")


# ----------------------------------------------------------------------------
# Saving
# ----------------------------------------------------------------------------

def save_transformers(model, out_dir):
    params = inspect.signature(model.save_pretrained).parameters
    kwargs = {}
    if "safe_serialization" in params:  # removed in transformers 5
        kwargs["safe_serialization"] = True
    model.save_pretrained(out_dir, **kwargs)
    files = sorted(os.listdir(out_dir))
    check("model.safetensors" in files,
          f"save_pretrained wrote {files}, not one model.safetensors")
    return "model.safetensors"


def storage_ptr(t):
    # untyped_storage() is torch >= 2.0; storage() is deprecated there.
    if hasattr(t, "untyped_storage"):
        return t.untyped_storage().data_ptr()
    return t.storage().data_ptr()


def save_mamba_ssm(model, spec, out_dir):
    """config.json + pytorch_model.bin as mamba_ssm's save_pretrained writes
    them: the state dict under mamba_ssm's names, lm_head tied by storage."""
    sd = model.state_dict()
    half = spec["dtype"] == "float16"
    converted = {}
    renamed = {}
    for k, v in sd.items():
        # One converted tensor per storage, so that tied names stay tied.
        key = (v.data_ptr(), v.dtype, v.shape)
        if key not in converted:
            keep_f32 = k.endswith("mixer.D")
            converted[key] = (v.half() if half and not keep_f32 else v).clone()
        renamed[canonical(k)] = converted[key]
    if spec["tie"]:
        emb = renamed["backbone.embedding.weight"]
        renamed["lm_head.weight"] = emb
        check(renamed["lm_head.weight"].data_ptr() == emb.data_ptr(),
              "tied lm_head does not share the embedding's storage")
    ordered = collections.OrderedDict(
        (k, renamed[k]) for k in expected_shapes(spec))
    torch.save(ordered, os.path.join(out_dir, "pytorch_model.bin"))
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(mamba_ssm_config(spec), f, indent=2)
    # Read it back the way mamba_ssm does.
    back = torch.load(os.path.join(out_dir, "pytorch_model.bin"),
                      weights_only=True)
    if spec["tie"]:
        check(storage_ptr(back["lm_head.weight"]) ==
              storage_ptr(back["backbone.embedding.weight"]),
              "after torch.load, lm_head and the embedding are two storages")
    for k, v in ordered.items():
        check(torch.equal(back[k], v), f"{k} did not survive torch.save")
    return "pytorch_model.bin"


# ----------------------------------------------------------------------------
# One fixture
# ----------------------------------------------------------------------------

def make_fixture(spec, root, steps):
    name = spec["name"]
    print(f"{name}:")
    out_dir = os.path.join(root, name)
    os.makedirs(out_dir, exist_ok=True)
    gen = torch.Generator().manual_seed(spec["seed"])
    torch.manual_seed(spec["seed"])

    cfg = hf_config(spec)
    model_cls = MambaForCausalLM if spec["arch"] == "mamba" else Mamba2ForCausalLM
    model = model_cls(cfg).to(torch.float32).eval()
    init_parameters(model, gen)
    check_parameter_names(model, spec)
    if spec["dtype"] == "float16":
        # The reference runs in fp32 on exactly the values the file stores.
        with torch.no_grad():
            for k, p in model.named_parameters():
                if not k.endswith("mixer.D"):
                    p.copy_(p.half().float())

    patched = None
    if spec["arch"] == "mamba2" and spec["ngroups"] > 1:
        short = torch.randint(0, spec["vocab"], (BATCH, SHORT_LEN),
                              generator=torch.Generator().manual_seed(1))
        before = logits_of(model, short)
        patched = patch_gated_norm(model, spec)
        GATED_NORM_CALLS[0] = 0
        after = logits_of(model, short)
        check(GATED_NORM_CALLS[0] == N_LAYER,
              f"the patched gated norm ran {GATED_NORM_CALLS[0]} times in a "
              f"forward of {N_LAYER} layers")
        check(max_rel_diff(before, after) > 1e-4,
              "the group-wise gated norm did not change the output")

    vocab = spec["vocab"]
    width = padded(vocab, spec["pad"])
    prompt_short = torch.randint(0, vocab, (BATCH, SHORT_LEN), generator=gen)
    prompt_long = torch.randint(0, vocab, (BATCH, LONG_LEN), generator=gen)
    logits_short = logits_of(model, prompt_short)
    logits_long = logits_of(model, prompt_long)
    check(logits_long.shape == (BATCH, LONG_LEN, width),
          f"logits have shape {tuple(logits_long.shape)}")
    tokens, dec_logits = decode(model, prompt_long, steps, vocab)
    check(torch.equal(tokens[:, 0], logits_long[:, -1, :vocab].argmax(-1)),
          "the first decode token is not the prefill's greedy token")
    decode_err = check_decode(model, prompt_long, tokens, dec_logits, name)
    if spec["format"] == "transformers":
        check_generate(model, prompt_long, tokens, dec_logits, name)

    if spec["format"] == "transformers":
        weights = save_transformers(model, out_dir)
        reloaded = model_cls.from_pretrained(out_dir).to(torch.float32).eval()
        if patched is not None:
            for layer in reloaded.backbone.layers:
                layer.mixer.norm.mamba_group_size = \
                    model.backbone.layers[0].mixer.norm.mamba_group_size
        err = max_rel_diff(logits_of(reloaded, prompt_long), logits_long)
        check(err < 1e-6, f"{name}: the saved checkpoint reloads to logits "
                          f"that differ by {err:.2e}")
        with open(os.path.join(out_dir, "config.json")) as f:
            saved = json.load(f)
        check(saved.get("model_type") == spec["arch"],
              f"saved config.json has model_type {saved.get('model_type')!r}")
    else:
        weights = save_mamba_ssm(model, spec, out_dir)

    arrays = {
        "prompt_short.npy": prompt_short.numpy().astype(np.int64),
        "logits_short.npy": logits_short.numpy().astype(np.float32),
        "prompt_long.npy": prompt_long.numpy().astype(np.int64),
        "logits_long.npy": logits_long.numpy().astype(np.float32),
        "decode_tokens.npy": tokens.numpy().astype(np.int64),
        "decode_logits.npy": dec_logits.numpy().astype(np.float32),
    }
    for file, arr in arrays.items():
        np.save(os.path.join(out_dir, file), arr)

    if patched is not None:
        cls, original = patched
        cls.forward = original

    return {
        "name": name,
        "dir": name,
        "format": spec["format"],
        "arch": spec["arch"],
        "weights": weights,
        "stored_dtype": spec["dtype"] + (" (mixer.D float32)"
                                         if spec["dtype"] == "float16" else ""),
        "reference_dtype": "float32",
        "vocab_size": vocab,
        "logits_width": width,
        "tie_embeddings": spec["tie"],
        "d_model": D_MODEL,
        "n_layer": N_LAYER,
        "ngroups": spec["ngroups"] if spec["arch"] == "mamba2" else None,
        "gated_norm": ("group-wise (patched, mamba_ssm semantics)"
                       if patched else
                       "over d_inner (ngroups == 1: both agree)"
                       if spec["arch"] == "mamba2" else None),
        "seed": spec["seed"],
        "prefill": [
            {"tokens": "prompt_short.npy", "logits": "logits_short.npy",
             "shape": [BATCH, SHORT_LEN]},
            {"tokens": "prompt_long.npy", "logits": "logits_long.npy",
             "shape": [BATCH, LONG_LEN]},
        ],
        "decode": {
            "prompt": "prompt_long.npy",
            "tokens": "decode_tokens.npy",
            "logits": "decode_logits.npy",
            "steps": steps,
            "first_position": LONG_LEN,
            "token_rule": "greedy over ids < vocab_size; tokens[:, 0] from "
                          "the prompt's last logits",
            "max_rel_diff_vs_no_cache_forward": decode_err,
        },
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--decode-steps", type=int, default=6)
    args = parser.parse_args()

    print(f"torch {torch.__version__}, transformers {transformers.__version__}"
          f", numpy {np.__version__}")
    if not transformers.__version__.startswith("5."):
        print("WARNING: written against transformers 5.x; the checks below "
              "still guard the outputs")
    torch.set_grad_enabled(False)
    os.makedirs(args.out_dir, exist_ok=True)
    manifest = {
        "generator": "scripts/make_fixtures.py",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "device": "cpu",
        "fixtures": [],
    }
    try:
        for spec in FIXTURES:
            manifest["fixtures"].append(
                make_fixture(spec, args.out_dir, args.decode_steps))
    except FixtureError as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    with open(os.path.join(args.out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)

    total = 0
    for dirpath, _, files in os.walk(args.out_dir):
        total += sum(os.path.getsize(os.path.join(dirpath, n)) for n in files)
    print(f"wrote {len(FIXTURES)} fixtures, {total / 1e6:.2f} MB, to "
          f"{args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
