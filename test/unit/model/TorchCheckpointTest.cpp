//===- TorchCheckpointTest.cpp - torch.save archives and pickles ----------===//

#include "runtime/model/TorchCheckpoint.h"

#include "TestWriters.h"

#include <gtest/gtest.h>

using namespace mamba;
using namespace mamba::test;

namespace {

#define EXPECT_HAS(message, part)                                              \
  EXPECT_NE((message).find(part), std::string::npos)                           \
      << "message: " << (message) << "\nlacks: " << (part)

/// The state dict that scripts/make_model_test_data.py writes too: a tied
/// pair, a transposed view, a strided view with an offset, f16 and bf16.
std::vector<TorchTensor> standardTensors() {
  return {{"emb.weight", "0", "FloatStorage", 20, 0, {5, 4}, {4, 1}},
          {"head.weight", "0", "FloatStorage", 20, 0, {5, 4}, {4, 1}},
          {"mat_t", "1", "FloatStorage", 12, 0, {4, 3}, {1, 4}},
          {"mat_strided", "1", "FloatStorage", 12, 2, {3}, {2}},
          {"half", "2", "HalfStorage", 6, 0, {6}, {1}},
          {"bf", "3", "BFloat16Storage", 6, 0, {2, 3}, {3, 1}}};
}

std::vector<std::pair<std::string, std::string>> standardStorages() {
  return {{"0", encodeValues(20, DType::F32)},
          {"1", encodeValues(12, DType::F32)},
          {"2", encodeValues(6, DType::F16)},
          {"3", encodeValues(6, DType::BF16)}};
}

std::vector<float> values(const TensorView &v) {
  auto t = materialize(v, DType::F32);
  EXPECT_TRUE(t.ok()) << t.error();
  std::vector<float> out;
  for (int64_t i = 0; t.ok() && i < t->numel(); ++i)
    out.push_back(t->at(i));
  return out;
}

void expectStandard(const TensorSet &set) {
  ASSERT_EQ(set.tensors.size(), 6u);
  const TensorView &emb = set.tensors.at("emb.weight");
  const TensorView &head = set.tensors.at("head.weight");
  EXPECT_EQ(emb.dtype, DType::F32);
  EXPECT_EQ(emb.shape, (std::vector<int64_t>{5, 4}));
  std::vector<float> e = values(emb);
  for (int64_t i = 0; i < 20; ++i)
    EXPECT_EQ(e[i], testValue(i));
  // Tied: one storage, two names.
  EXPECT_EQ(head.data, emb.data);
  EXPECT_EQ(head.strides, emb.strides);

  const TensorView &mt = set.tensors.at("mat_t");
  EXPECT_FALSE(mt.isContiguous());
  std::vector<float> m = values(mt);
  ASSERT_EQ(m.size(), 12u);
  for (int64_t i = 0; i < 4; ++i)
    for (int64_t j = 0; j < 3; ++j)
      EXPECT_EQ(m[i * 3 + j], testValue(i + 4 * j)) << i << "," << j;

  std::vector<float> s = values(set.tensors.at("mat_strided"));
  ASSERT_EQ(s.size(), 3u);
  for (int64_t k = 0; k < 3; ++k)
    EXPECT_EQ(s[k], testValue(2 + 2 * k));

  EXPECT_EQ(set.tensors.at("half").dtype, DType::F16);
  EXPECT_EQ(set.tensors.at("bf").dtype, DType::BF16);
  EXPECT_EQ(set.tensors.at("bf").shape, (std::vector<int64_t>{2, 3}));
  std::vector<float> h = values(set.tensors.at("half"));
  std::vector<float> b = values(set.tensors.at("bf"));
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(h[i], testValue(i));
    EXPECT_EQ(b[i], testValue(i));
  }
}

Result<TensorSet> readBytes(const TempDir &dir, const std::string &bytes) {
  return readTorchCheckpoint(dir.write("pytorch_model.bin", bytes));
}

std::string readError(const std::string &bytes) {
  TempDir dir;
  auto r = readBytes(dir, bytes);
  EXPECT_FALSE(r.ok());
  return r.ok() ? std::string() : r.error();
}

TEST(TorchCheckpoint, StateDictZip64Protocol2) {
  TempDir dir;
  auto set = readBytes(dir, torchArchive(stateDictPickle(standardTensors()),
                                         standardStorages(), /*zip64=*/true));
  ASSERT_TRUE(set.ok()) << set.error();
  expectStandard(*set);
  EXPECT_EQ(set->tensors.at("emb.weight").file, dir.file("pytorch_model.bin"));
}

TEST(TorchCheckpoint, StateDictZip32Protocol4) {
  TempDir dir;
  auto set = readBytes(dir, torchArchive(stateDictPickle(standardTensors(), 4),
                                         standardStorages(), /*zip64=*/false,
                                         "pytorch_model"));
  ASSERT_TRUE(set.ok()) << set.error();
  expectStandard(*set);
}

TEST(TorchCheckpoint, PickledByCPython) {
  for (const char *name : {"torch_protocol2.bin", "torch_protocol4.bin"}) {
    SCOPED_TRACE(name);
    auto set =
        readTorchCheckpoint(std::string(MAMBA_MODEL_TEST_DATA) + "/" + name);
    ASSERT_TRUE(set.ok()) << set.error();
    expectStandard(*set);
  }
}

/// Pushes the persistent id of storage `key` and loads it.
void storage(PickleWriter &w, const std::string &type, const std::string &key,
             int64_t numel) {
  w.op('(').str("storage").global("torch", type).str(key).str("cpu");
  w.integer(numel).op('t').op('Q');
}

TEST(TorchCheckpoint, ParametersAndUntypedStorages) {
  PickleWriter w;
  w.op('}').op('(');
  // 'p': a Parameter around a tensor.
  w.str("p").global("torch._utils", "_rebuild_parameter").op('(');
  w.global("torch._utils", "_rebuild_tensor_v2").op('(');
  storage(w, "FloatStorage", "0", 4);
  w.integer(0).ints({4}).ints({1}).op('\x89');
  w.global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
  w.op('\x88').op('}').op('t').op('R');
  // 'u': _rebuild_tensor_v3 on an untyped storage with an explicit dtype.
  w.str("u").global("torch._utils", "_rebuild_tensor_v3").op('(');
  storage(w, "UntypedStorage", "1", 8);
  w.integer(0).ints({4}).ints({1}).op('\x89').op('}');
  w.global("torch", "bfloat16").op('t').op('R');
  w.op('u');
  TempDir dir;
  auto set = readBytes(
      dir, torchArchive(w.finish(), {{"0", encodeValues(4, DType::F32)},
                                     {"1", encodeValues(4, DType::BF16)}}));
  ASSERT_TRUE(set.ok()) << set.error();
  EXPECT_EQ(set->tensors.at("p").dtype, DType::F32);
  EXPECT_EQ(set->tensors.at("u").dtype, DType::BF16);
  EXPECT_EQ(values(set->tensors.at("u")),
            (std::vector<float>{testValue(0), testValue(1), testValue(2),
                                testValue(3)}));
}

//===----------------------------------------------------------------------===//
// Bad pickles
//===----------------------------------------------------------------------===//

std::string archiveWith(const std::string &pickle) {
  return torchArchive(pickle, standardStorages());
}

TEST(TorchCheckpoint, UnknownOpcode) {
  PickleWriter w;
  w.op('}').op('d'); // DICT (protocol 0): not part of a state dict
  std::string e = readError(archiveWith(w.finish()));
  EXPECT_HAS(e, "pytorch_model.bin: archive/data.pkl: unsupported pickle "
                "opcode 0x64 ('d')");
  EXPECT_HAS(e, "at byte 3");
}

TEST(TorchCheckpoint, UnknownGlobals) {
  PickleWriter w;
  w.global("os", "system").str("true").op('\x85').op('R');
  std::string e = readError(archiveWith(w.finish()));
  EXPECT_HAS(e, "pytorch_model.bin");
  EXPECT_HAS(e, "unsupported global 'os.system'");

  PickleWriter w2;
  w2.op('}').op('(').str("x").global("torch._utils", "_rebuild_tensor_v2");
  w2.op('(');
  storage(w2, "DoubleStorage", "0", 2);
  std::string e2 = readError(archiveWith(w2.finish()));
  EXPECT_HAS(e2, "unsupported storage type torch.DoubleStorage");

  PickleWriter w3;
  w3.global("torch", "float64");
  EXPECT_HAS(readError(archiveWith(w3.finish())),
             "unsupported dtype torch.float64");

  PickleWriter w4;
  w4.global("collections", "OrderedDict").op('}').op('R');
  EXPECT_HAS(readError(archiveWith(w4.finish())), "are not a tuple");
}

TEST(TorchCheckpoint, MalformedPickles) {
  using namespace std::string_literals;
  auto bad = [](const std::string &ops) {
    return readError(archiveWith("\x80\x02"s + ops));
  };
  EXPECT_HAS(bad("t."), "no MARK to pop to");
  EXPECT_HAS(bad("R."), "stack underflow");
  EXPECT_HAS(bad("h\x05."), "memo entry 5 is not set");
  EXPECT_HAS(bad("}"), "truncated pickle (no STOP)");
  EXPECT_HAS(bad("X\xff\xff\x00\x00"s + "ab."), "string runs past the end");
  EXPECT_HAS(bad("]."), "holds a list, not a state dict");
  EXPECT_HAS(bad("}K\x01K\x02s."), "a state dict key is an int");
  EXPECT_HAS(bad("}X\x01\x00\x00\x00"s + "a}s."),
             "tensor 'a' is a dict: expected a flat state dict");
  EXPECT_HAS(bad("\x8a\x09" + std::string(9, '\x01') + "."),
             "integer of 9 bytes is too large");
  EXPECT_HAS(bad("K\x01K\x02\x86Q."), "unsupported persistent id");
}

TEST(TorchCheckpoint, StorageProblems) {
  // The view reaches past its storage.
  std::vector<TorchTensor> t = {
      {"w", "0", "FloatStorage", 20, 10, {4, 4}, {4, 1}}};
  std::string e = readError(archiveWith(stateDictPickle(t)));
  EXPECT_HAS(e, "tensor 'w': shape (4, 4), stride (4, 1) and offset 10 reach "
                "past the end of its 80-byte storage");

  // The pickle declares more elements than the entry holds.
  t = {{"w", "2", "HalfStorage", 100, 0, {6}, {1}}};
  e = readError(archiveWith(stateDictPickle(t)));
  EXPECT_HAS(
      e, "its storage '2' has 12 bytes but the pickle says 100 f16 elements");

  t = {{"w", "9", "FloatStorage", 4, 0, {4}, {1}}};
  e = readError(archiveWith(stateDictPickle(t)));
  EXPECT_HAS(e, "tensor 'w': its storage '9' is missing from the archive");

  t = {{"w", "0", "FloatStorage", 20, 0, {4}, {-1}}};
  e = readError(archiveWith(stateDictPickle(t)));
  EXPECT_HAS(e, "negative size or stride");

  t = {{"w", "0", "FloatStorage", 20, 0, {1000000, 1000000}, {0, 0}}};
  e = readError(archiveWith(stateDictPickle(t)));
  EXPECT_HAS(e, "has 1000000000000 elements but its storage holds 20: "
                "overlapping (expanded) views are not supported");

  t = {{"w", "0", "FloatStorage", 20, 0, {4}, {1, 1}}};
  e = readError(archiveWith(stateDictPickle(t)));
  EXPECT_HAS(e, "size and stride tuples of the same length");
}

//===----------------------------------------------------------------------===//
// Bad archives
//===----------------------------------------------------------------------===//

TEST(TorchCheckpoint, NotAnArchive) {
  EXPECT_HAS(readError("hello, this is not a zip file at all"),
             "not a valid ZIP archive");
  EXPECT_HAS(readError(std::string("\x80\x02}q\x00.", 6)),
             "legacy (pre-1.6) torch serialization");
  ZipWriter z;
  z.add("archive/other.txt", "x");
  EXPECT_HAS(readError(z.finish()), "no '<name>/data.pkl' entry");
}

TEST(TorchCheckpoint, CompressedEntryRefused) {
  ZipWriter z;
  z.add("archive/data.pkl", stateDictPickle(standardTensors()), /*method=*/8);
  std::string e = readError(z.finish());
  EXPECT_HAS(e, "entry 'archive/data.pkl' is compressed (method 8, deflate)");
}

TEST(TorchCheckpoint, BigEndianRefused) {
  ZipWriter z;
  z.add("archive/data.pkl", stateDictPickle({}));
  z.add("archive/byteorder", "big");
  EXPECT_HAS(readError(z.finish()), "byteorder is \"big\"");
}

TEST(TorchCheckpoint, CorruptPickleFailsCrc) {
  std::string pickle = stateDictPickle(standardTensors());
  std::string file = archiveWith(pickle);
  size_t at = file.find(pickle);
  ASSERT_NE(at, std::string::npos);
  file[at + pickle.size() / 2] ^= 0x5a;
  EXPECT_HAS(readError(file), "archive/data.pkl fails its CRC check");
}

TEST(TorchCheckpoint, EveryTruncationIsAnError) {
  std::string file = archiveWith(stateDictPickle(standardTensors()));
  TempDir dir;
  for (size_t n = 0; n < file.size(); ++n)
    EXPECT_FALSE(readBytes(dir, file.substr(0, n)).ok()) << n;
}

TEST(TorchCheckpoint, CorruptedPicklesNeverCrash) {
  // Each byte of the pickle replaced (with a valid CRC, so that the
  // unpickler sees it): every outcome must be a value or an error.
  std::string pickle = stateDictPickle(standardTensors());
  TempDir dir;
  size_t failures = 0;
  for (size_t i = 0; i < pickle.size(); ++i) {
    for (uint8_t x : {uint8_t(0xff), uint8_t(0x01), uint8_t(0x80)}) {
      std::string p = pickle;
      p[i] = char(uint8_t(p[i]) ^ x);
      auto r = readBytes(dir, archiveWith(p));
      failures += !r.ok();
    }
  }
  EXPECT_GT(failures, 0u);
}

} // namespace
