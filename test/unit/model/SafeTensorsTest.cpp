//===- SafeTensorsTest.cpp - safetensors files and sharded indexes --------===//

#include "runtime/model/SafeTensors.h"

#include "TestWriters.h"

#include <gtest/gtest.h>

using namespace mamba;
using namespace mamba::test;

namespace {

#define EXPECT_HAS(message, part)                                              \
  EXPECT_NE((message).find(part), std::string::npos)                           \
      << "message: " << (message) << "\nlacks: " << (part)

std::vector<StTensor> sampleTensors() {
  return {{"a.f32", "F32", {2, 3}, encodeValues(6, DType::F32)},
          {"b.f16", "F16", {4}, encodeValues(4, DType::F16, 100)},
          {"c.bf16", "BF16", {2, 1, 2}, encodeValues(4, DType::BF16, 7)},
          {"empty", "F16", {0, 5}, ""},
          {"scalar", "F32", {}, encodeValues(1, DType::F32, 3)}};
}

/// Expects `view` to hold testValue(start + i) in row-major order.
void expectValues(const TensorView &view, int64_t start) {
  auto t = materialize(view, DType::F32);
  ASSERT_TRUE(t.ok()) << t.error();
  ASSERT_EQ(t->numel(), view.numel());
  for (int64_t i = 0; i < t->numel(); ++i)
    EXPECT_EQ(t->at(i), testValue(start + i)) << "element " << i;
}

Result<TensorSet> readBytes(const TempDir &dir, const std::string &bytes) {
  return readSafeTensors(dir.write("model.safetensors", bytes));
}

TEST(SafeTensors, RoundTripsEveryFloatType) {
  TempDir dir;
  auto set = readBytes(dir, safetensorsFile(sampleTensors()));
  ASSERT_TRUE(set.ok()) << set.error();
  ASSERT_EQ(set->tensors.size(), 5u);
  const TensorView &a = set->tensors.at("a.f32");
  EXPECT_EQ(a.dtype, DType::F32);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.strides, (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(a.file, dir.file("model.safetensors"));
  expectValues(a, 0);
  EXPECT_EQ(set->tensors.at("b.f16").dtype, DType::F16);
  expectValues(set->tensors.at("b.f16"), 100);
  EXPECT_EQ(set->tensors.at("c.bf16").dtype, DType::BF16);
  expectValues(set->tensors.at("c.bf16"), 7);
  EXPECT_EQ(set->tensors.at("scalar").numel(), 1);
  expectValues(set->tensors.at("scalar"), 3);
  EXPECT_EQ(set->tensors.at("empty").numel(), 0);
}

TEST(SafeTensors, ConversionRoundsToNearestEven) {
  // Values between representable f16/bf16 neighbours.
  std::vector<float> vals = {0.1f,       1.0f + 1.0f / 4096, -3.14159f,
                             65519.0f,   70000.0f,           1e-7f,
                             1.00390625f};
  std::string bytes(vals.size() * 4, '\0');
  std::memcpy(bytes.data(), vals.data(), bytes.size());
  TempDir dir;
  auto set = readBytes(
      dir, safetensorsFile({{"x", "F32", {int64_t(vals.size())}, bytes}}));
  ASSERT_TRUE(set.ok()) << set.error();
  for (DType t : {DType::F16, DType::BF16}) {
    auto m = materialize(set->tensors.at("x"), t);
    ASSERT_TRUE(m.ok()) << m.error();
    EXPECT_EQ(m->dtype, t);
    for (size_t i = 0; i < vals.size(); ++i)
      EXPECT_EQ(m->at(int64_t(i)), roundTo(t, vals[i]))
          << dtypeName(t) << " element " << i;
  }
}

TEST(SafeTensors, TruncatedFiles) {
  TempDir dir;
  auto e = readBytes(dir, "abc");
  ASSERT_FALSE(e.ok());
  EXPECT_HAS(e.error(), "model.safetensors: truncated");
  EXPECT_HAS(e.error(), "3 bytes");

  std::string good = safetensorsFile(sampleTensors());
  // The header length claims more than the file holds.
  e = readBytes(dir, good.substr(0, 40));
  ASSERT_FALSE(e.ok());
  EXPECT_HAS(e.error(), "header length");
  EXPECT_HAS(e.error(), "goes beyond the end of the file (40 bytes)");

  // Data cut short: the last tensor's offsets leave the file.
  e = readBytes(dir, good.substr(0, good.size() - 3));
  ASSERT_FALSE(e.ok());
  EXPECT_HAS(e.error(), "tensor 'scalar'");
  EXPECT_HAS(e.error(), "go beyond the end of the data");

  // Every prefix of a valid file is refused, none crashes.
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_FALSE(readBytes(dir, good.substr(0, n)).ok()) << n;
}

TEST(SafeTensors, BadHeaders) {
  TempDir dir;
  auto err = [&](const std::string &header, const std::string &data = "") {
    auto r = readBytes(dir, safetensorsFile(header, data));
    EXPECT_FALSE(r.ok()) << header;
    return r.ok() ? std::string() : r.error();
  };
  std::string e = err("{\"a\": {\"dtype\": \"F32\",");
  EXPECT_HAS(e, "model.safetensors: header: malformed JSON at byte ");
  e = err("[1]");
  EXPECT_HAS(e, "the header must be a JSON object, not an array");
  e = err(R"({"w": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}})",
          std::string(8, '\0'));
  EXPECT_HAS(e, "tensor 'w': has dtype F64; only F32, F16 and BF16");
  e = err(R"({"w": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]}})",
          std::string(4, '\0'));
  EXPECT_HAS(e, "has dtype I32");
  e = err(R"({"w": {"dtype": "F32", "shape": [1]}})");
  EXPECT_HAS(e, "tensor 'w': needs the keys dtype, shape and data_offsets");
  e = err(R"({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}})",
          std::string(4, '\0'));
  EXPECT_HAS(e, "shape must be a list of non-negative integers");
  e = err(R"({"w": {"dtype": "F32", "shape": "2", "data_offsets": [0, 4]}})",
          std::string(4, '\0'));
  EXPECT_HAS(e, "shape must be a list");
  e = err(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}})",
          std::string(4, '\0'));
  EXPECT_HAS(e, "data_offsets must be [begin, end]");
  e = err(R"({"w": 5})");
  EXPECT_HAS(e, "tensor 'w': expected an object");
  e = err(R"({"__metadata__": {"format": 1}})");
  EXPECT_HAS(e, "'__metadata__.format' must be a string");
}

TEST(SafeTensors, SizeMustMatchShape) {
  TempDir dir;
  auto r = readBytes(
      dir,
      safetensorsFile(
          R"({"w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 20]}})",
          std::string(20, '\0')));
  ASSERT_FALSE(r.ok());
  EXPECT_HAS(r.error(), "tensor 'w': shape (2, 3) of f32 needs 24 bytes, but "
                        "data_offsets [0, 20] span 20");
  // A shape whose byte count overflows.
  r = readBytes(dir,
                safetensorsFile(
                    R"({"w": {"dtype": "F32", "shape": [4611686018427387904, 4],
                         "data_offsets": [0, 0]}})",
                    ""));
  ASSERT_FALSE(r.ok());
  EXPECT_HAS(r.error(), "tensor 'w'");
}

TEST(SafeTensors, OverlappingTensors) {
  TempDir dir;
  auto r = readBytes(
      dir, safetensorsFile(
               R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
              "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})",
               std::string(12, '\0')));
  ASSERT_FALSE(r.ok());
  EXPECT_HAS(r.error(), "tensors 'a' and 'b' overlap");
}

std::string
indexJson(const std::vector<std::pair<std::string, std::string>> &m) {
  std::string s = R"({"metadata": {"total_size": 0}, "weight_map": {)";
  for (size_t i = 0; i < m.size(); ++i)
    s += (i ? "," : "") + std::string("\"") + m[i].first + "\": \"" +
         m[i].second + "\"";
  return s + "}}";
}

TEST(SafeTensors, ShardedRoundTrip) {
  TempDir dir;
  std::vector<StTensor> all = sampleTensors();
  dir.write("model-00001-of-00002.safetensors",
            safetensorsFile({all[0], all[1]}));
  dir.write("model-00002-of-00002.safetensors",
            safetensorsFile({all[2], all[3], all[4]}));
  std::string index =
      dir.write("model.safetensors.index.json",
                indexJson({{"a.f32", "model-00001-of-00002.safetensors"},
                           {"b.f16", "model-00001-of-00002.safetensors"},
                           {"c.bf16", "model-00002-of-00002.safetensors"},
                           {"scalar", "model-00002-of-00002.safetensors"},
                           {"empty", "model-00002-of-00002.safetensors"}}));
  auto set = readSafeTensorsIndex(index);
  ASSERT_TRUE(set.ok()) << set.error();
  EXPECT_EQ(set->tensors.size(), 5u);
  EXPECT_EQ(set->files.size(), 2u); // each shard mapped once
  expectValues(set->tensors.at("a.f32"), 0);
  expectValues(set->tensors.at("c.bf16"), 7);
  EXPECT_EQ(set->tensors.at("c.bf16").file,
            dir.file("model-00002-of-00002.safetensors"));
}

TEST(SafeTensors, ShardedInconsistencies) {
  TempDir dir;
  std::vector<StTensor> all = sampleTensors();
  dir.write("s1.safetensors", safetensorsFile({all[0], all[1]}));
  auto err = [&](const std::string &indexText) {
    auto r = readSafeTensorsIndex(
        dir.write("model.safetensors.index.json", indexText));
    EXPECT_FALSE(r.ok()) << indexText;
    return r.ok() ? std::string() : r.error();
  };
  std::string e = err(indexJson({{"a.f32", "s1.safetensors"},
                                 {"b.f16", "s1.safetensors"},
                                 {"zz", "s1.safetensors"}}));
  EXPECT_HAS(e, "puts tensor 'zz' in s1.safetensors, but that shard has no "
                "such tensor");
  e = err(indexJson({{"a.f32", "s1.safetensors"}}));
  EXPECT_HAS(e, "s1.safetensors: holds tensor 'b.f16', which the index does "
                "not list");
  e = err(indexJson({{"a.f32", "missing.safetensors"}}));
  EXPECT_HAS(e, "missing.safetensors: cannot open");
  e = err(indexJson({{"a.f32", "../s1.safetensors"}}));
  EXPECT_HAS(e, "not a file next to the index");
  e = err(R"({"metadata": {}})");
  EXPECT_HAS(e, "needs a \"weight_map\" object");
  e = err(R"({"weight_map": {"a.f32": 3}})");
  EXPECT_HAS(e, "weight_map entry 'a.f32' must be a file name");
  e = err(R"({"weight_map": )");
  EXPECT_HAS(e, "model.safetensors.index.json: malformed JSON at byte 15");
}

} // namespace
