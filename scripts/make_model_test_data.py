#!/usr/bin/env python3
"""Writes the torch-format checkpoints under test/data/model/.

The C++ loader tests build most of their inputs themselves; these files add
pickles written by CPython's own pickler, laid out the way torch.save lays out
a state dict (collections.OrderedDict + _metadata, _rebuild_tensor_v2,
('storage', torch.FloatStorage, key, 'cpu', numel) persistent ids, a stored
ZIP with <prefix>/data.pkl, data/<key>, byteorder, version).

torch is not needed: stand-in `torch` and `torch._utils` modules give the
pickler the globals to name. Only the standard library is used.

Usage: scripts/make_model_test_data.py [OUT_DIR]   (default test/data/model)

The values follow test/unit/model/TestWriters.h: element i of a storage is
(i % 17) * 0.25 - 2.125, exact in f32, f16 and bf16.
"""

import collections
import io
import os
import pickle
import struct
import sys
import types
import zipfile


def install_fake_torch():
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")
    torch._utils = utils

    def make_class(name):
        cls = type(name, (), {})
        cls.__module__ = "torch"
        cls.__qualname__ = name
        setattr(torch, name, cls)
        return cls

    for name in ("FloatStorage", "HalfStorage", "BFloat16Storage"):
        make_class(name)

    def _rebuild_tensor_v2(*args):
        raise AssertionError("never called: only pickled")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    sys.modules["torch"] = torch
    sys.modules["torch._utils"] = utils
    return torch, utils


TORCH, UTILS = install_fake_torch()


def value(i):
    return (i % 17) * 0.25 - 2.125


def f32_to_f16_bits(v):
    return struct.unpack("<H", struct.pack("<e", v))[0]


def f32_to_bf16_bits(v):
    # The test values are exact in bf16, so truncation is exact.
    return struct.unpack("<I", struct.pack("<f", v))[0] >> 16


class Storage:
    def __init__(self, key, type_name, numel):
        self.key = key
        self.type = getattr(TORCH, type_name)
        self.numel = numel

    def data(self):
        vals = [value(i) for i in range(self.numel)]
        name = self.type.__name__
        if name == "FloatStorage":
            return struct.pack("<%df" % self.numel, *vals)
        if name == "HalfStorage":
            return struct.pack("<%dH" % self.numel, *map(f32_to_f16_bits, vals))
        return struct.pack("<%dH" % self.numel, *map(f32_to_bf16_bits, vals))


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset = storage, offset
        self.size, self.stride = tuple(size), tuple(stride)

    def __reduce_ex__(self, protocol):
        return (
            UTILS._rebuild_tensor_v2,
            (self.storage, self.offset, self.size, self.stride, False,
             collections.OrderedDict()),
        )


class StateDictPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.type, obj.key, "cpu", obj.numel)
        return None


def state_dict():
    emb = Storage("0", "FloatStorage", 20)
    mat = Storage("1", "FloatStorage", 12)
    half = Storage("2", "HalfStorage", 6)
    bf = Storage("3", "BFloat16Storage", 6)
    sd = collections.OrderedDict()
    # Tied: two names, one storage.
    sd["emb.weight"] = Tensor(emb, 0, (5, 4), (4, 1))
    sd["head.weight"] = Tensor(emb, 0, (5, 4), (4, 1))
    # Non-contiguous: the transpose of a (3, 4) matrix.
    sd["mat_t"] = Tensor(mat, 0, (4, 3), (1, 4))
    # A strided view with a storage offset.
    sd["mat_strided"] = Tensor(mat, 2, (3,), (2,))
    sd["half"] = Tensor(half, 0, (6,), (1,))
    sd["bf"] = Tensor(bf, 0, (2, 3), (3, 1))
    sd._metadata = collections.OrderedDict([("", {"version": 1})])
    return sd, [emb, mat, half, bf]


def write_archive(path, protocol, force_zip64):
    sd, storages = state_dict()
    buf = io.BytesIO()
    StateDictPickler(buf, protocol=protocol).dump(sd)
    prefix = os.path.splitext(os.path.basename(path))[0]
    def entry(name):
        # A fixed timestamp keeps the files byte-for-byte reproducible.
        return zipfile.ZipInfo(prefix + "/" + name, date_time=(2024, 1, 1, 0, 0, 0))

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        with z.open(entry("data.pkl"), "w", force_zip64=force_zip64) as f:
            f.write(buf.getvalue())
        z.writestr(entry("byteorder"), "little")
        for s in storages:
            z.writestr(entry("data/" + s.key), s.data())
        z.writestr(entry("version"), "3\n")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "test", "data", "model")
    os.makedirs(out, exist_ok=True)
    write_archive(os.path.join(out, "torch_protocol2.bin"), 2, False)
    write_archive(os.path.join(out, "torch_protocol4.bin"), 4, True)
    print("wrote", out)


if __name__ == "__main__":
    main()
