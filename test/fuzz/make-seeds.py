#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into test/fuzz/corpus/<harness>/.

Seeds are small files in the real formats: tiny safetensors files and a
sharded index, .npy arrays, the pickles and archives torch.save wrote for
test/data/model, every config.json and tokenizer of the repository (the
demo's tokenizer trimmed), text, the chat templates of
test/data/text/chat-templates.json, and the .mlir test inputs split at
`// -----`. Run it again after changing what it writes; it replaces the
corpus directories it owns.
"""
import hashlib
import json
import os
import shutil
import struct
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fuzz", "corpus")


def corpus(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def write(d, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=True):
    """tensors: list of (name, dtype, shape, bytes)."""
    header = {"__metadata__": {"format": "pt"}} if metadata else {}
    off = 0
    data = b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [off, off + len(raw)]}
        off += len(raw)
        data += raw
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + data


def f32(*v):
    return struct.pack("<%df" % len(v), *v)


def npy(descr, shape, raw, version=1, fortran=False):
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (
        descr, "True" if fortran else "False",
        "".join("%d," % s for s in shape) if len(shape) == 1
        else ", ".join(str(s) for s in shape))
    start = 10 if version == 1 else 12
    pad = (64 - (start + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode() + raw


def main():
    d = corpus("fuzz-safetensors")
    write(d, "f32.safetensors", safetensors([("w", "F32", [2, 3], f32(*range(6)))]))
    write(d, "mixed.safetensors", safetensors([
        ("a", "F16", [4], b"\x00\x3c" * 4), ("b", "BF16", [2, 2], b"\x80\x3f" * 4),
        ("empty", "F32", [0, 3], b""), ("scalar", "F32", [], f32(1.5))]))
    write(d, "nometa.safetensors", safetensors([("x", "F32", [1], f32(2))], metadata=False))
    # The demo model's real header without its data: a truncated file.
    with open(os.path.join(ROOT, "models/demo/model.safetensors"), "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        write(d, "demo-header-only.safetensors", struct.pack("<Q", n) + f.read(n))
    with open(os.path.join(ROOT, "test/data/fixtures/mamba2-hf/model.safetensors"), "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = f.read(n)
    # The real header of a fixture with zeroed offsets shrunk to fit: tensors
    # of the fixture's names and shapes, one element each.
    hdr = json.loads(header)
    small = [(k, v["dtype"], [1] * len(v["shape"]), b"\0" * {"F32": 4}.get(v["dtype"], 2))
             for k, v in hdr.items() if k != "__metadata__"]
    write(d, "fixture-names.safetensors", safetensors(small))

    d = corpus("fuzz-safetensors-index")
    s1 = safetensors([("a", "F32", [2], f32(1, 2))])
    s2 = safetensors([("b", "F16", [1], b"\x00\x3c"), ("c", "F32", [1], f32(3))])
    index = json.dumps({"metadata": {"total_size": 14},
                        "weight_map": {"a": "shard-1.safetensors",
                                       "b": "shard-2.safetensors",
                                       "c": "shard-2.safetensors"}})
    sep = b"\n--shard--\n"
    write(d, "two-shards", index.encode() + sep + s1 + sep + s2)
    write(d, "one-shard", json.dumps({"weight_map": {"a": "shard-1.safetensors"}}).encode() + sep + s1)

    d = corpus("fuzz-zip")
    for name in ["torch_protocol2.bin", "torch_protocol4.bin"]:
        shutil.copy(os.path.join(ROOT, "test/data/model", name), d)

    d = corpus("fuzz-unpickler")
    for src in ["test/data/model/torch_protocol2.bin", "test/data/model/torch_protocol4.bin",
                "test/data/fixtures/mamba1-ssm/pytorch_model.bin"]:
        z = zipfile.ZipFile(os.path.join(ROOT, src))
        pkl = [n for n in z.namelist() if n.endswith("/data.pkl")][0]
        # The harness names its archive "archive" and gives it storages 0-15.
        write(d, os.path.basename(os.path.dirname(src)) + "-" +
              os.path.basename(src) + ".pkl", z.read(pkl))

    d = corpus("fuzz-config")
    for sub in sorted(os.listdir(os.path.join(ROOT, "test/data/fixtures"))):
        p = os.path.join(ROOT, "test/data/fixtures", sub, "config.json")
        if os.path.exists(p):
            shutil.copy(p, os.path.join(d, sub + ".json"))
    shutil.copy(os.path.join(ROOT, "models/demo/config.json"), os.path.join(d, "demo.json"))

    d = corpus("fuzz-npy")
    write(d, "i64.npy", npy("<i8", [5], struct.pack("<5q", 1, 2, 3, 4, 5)))
    write(d, "i32-2d.npy", npy("<i4", [2, 3], struct.pack("<6i", *range(6))))
    write(d, "f32-v2.npy", npy("<f4", [2, 2], f32(1, 2, 3, 4), version=2))
    write(d, "scalar.npy", npy("<f4", [], f32(7)))
    write(d, "fortran.npy", npy("<i8", [2, 2], struct.pack("<4q", 1, 2, 3, 4), fortran=True))
    shutil.copy(os.path.join(ROOT, "test/data/fixtures/mamba1-hf/prompt_short.npy"), d)

    d = corpus("fuzz-tokenizer-json")
    shutil.copy(os.path.join(ROOT, "test/data/text/tiny-bytelevel.json"), d)
    demo = json.load(open(os.path.join(ROOT, "models/demo/tokenizer.json")))
    vocab = demo["model"]["vocab"]
    keep = dict(sorted(vocab.items(), key=lambda kv: kv[1])[:300])
    merges = [m for m in demo["model"]["merges"]
              if "".join(m if isinstance(m, list) else m.split(" ")) in keep][:40]
    demo["model"]["vocab"] = keep
    demo["model"]["merges"] = merges
    write(d, "demo-trimmed.json", json.dumps(demo, ensure_ascii=False))

    d = corpus("fuzz-tokenizer-codec")
    write(d, "ascii.txt", "And God said, Let there be light: and there was light.\n")
    write(d, "special.txt", "In the beginning<|endoftext|>God created\n\n  the heaven")
    write(d, "unicode.txt", "caf\u00e9 cafe\u0301 \u4e2d\u6587 \U0001F600 \u00c5ngstr\u00f6m\t\r\n")
    write(d, "invalid.bin", b"ok \xff\xfe \xe2\x82 \xc3( \xf0\x9f\x98")
    with open(os.path.join(ROOT, "models/demo/heldout.txt"), "rb") as f:
        write(d, "heldout.txt", f.read(1024))

    # Every template and one-rule snippet of the chat template test data.
    d = corpus("fuzz-chat-template")
    data = json.load(open(os.path.join(ROOT, "test/data/text/chat-templates.json")))
    for name, source in data["templates"].items():
        write(d, name + ".jinja", source)
    for source in {c["source"] for c in data["cases"] if "source" in c}:
        digest = hashlib.sha1(source.encode()).hexdigest()[:12]
        write(d, "snippet-%s.jinja" % digest, source)

    # mamba-server request bodies: a first byte "0" for /v1/completions, "1"
    # for /v1/chat/completions, then the body.
    d = corpus("fuzz-server-request")
    bodies = {
        "completion": ("0", {"model": "demo", "prompt": "And God said",
                             "max_tokens": 20, "temperature": 0, "seed": 3,
                             "stop": ["\n", "."], "logprobs": 2, "echo": True,
                             "n": 2, "stream": True}),
        "token-ids": ("0", {"prompt": [[1, 2, 3], [40, 41]], "max_tokens": 0,
                            "top_k": 5, "top_p": 0.9, "min_p": 0.05,
                            "repetition_penalty": 1.1}),
        "prompt-list": ("0", {"prompt": ["a", "H\u00e9llo \u2713 \U0001F600", ""],
                              "stop": "x", "logprobs": None}),
        "chat": ("1", {"model": "demo", "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "Hi"},
                                         {"type": "text", "text": "there"}]},
            {"role": "assistant", "content": None, "tool_calls": [
                {"type": "function",
                 "function": {"name": "f", "arguments": "{}"}}]},
            {"role": "tool", "content": "42"}],
            "max_completion_tokens": 8, "logprobs": True, "top_logprobs": 3,
            "tools": [{"type": "function", "function": {
                "name": "f", "parameters": {"type": "object"}}}],
            "chat_template_kwargs": {"x": 1}}),
        "chat-bad": ("1", {"messages": [{"role": 1, "content": "x"}],
                           "max_tokens": 1e9}),
    }
    for name, (endpoint, body) in bodies.items():
        write(d, name, (endpoint + json.dumps(body, ensure_ascii=False)).encode())
    write(d, "dup-keys", b'1{"messages": [{"role": "user", "content": "x"}], '
                         b'"messages": "s"}')

    # Tuning databases: the lit test's, the refused ones, the shipped sm_90.
    d = corpus("fuzz-tuning-db")
    for src in ["test/passes/Inputs/tuning-db.json", "tuning/sm_90.json"]:
        write(d, os.path.basename(os.path.dirname(src)) + "-" +
              os.path.basename(src), open(os.path.join(ROOT, src), "rb").read())
    text = open(os.path.join(ROOT, "test/passes/Inputs/tuning-db-invalid.txt")).read()
    for part in text.split("//--- ")[1:]:
        name, _, body = part.partition("\n")
        write(d, "invalid-" + name.strip(), body)

    d = corpus("fuzz-mamba-ir")
    n = 0
    for sub in ["test/dialect", "test/passes", "test/codegen"]:
        for name in sorted(os.listdir(os.path.join(ROOT, sub))):
            if not name.endswith(".mlir"):
                continue
            text = open(os.path.join(ROOT, sub, name)).read()
            for i, chunk in enumerate(text.split("// -----")):
                # RUN and CHECK lines are comments; drop them to keep seeds small.
                lines = [l for l in chunk.splitlines()
                         if not l.lstrip().startswith(("// RUN", "// CHECK"))]
                chunk = "\n".join(lines).strip() + "\n"
                if chunk.strip():
                    write(d, "%s-%s-%d.mlir" % (os.path.basename(sub), name[:-5], i), chunk)
                    n += 1


if __name__ == "__main__":
    main()
