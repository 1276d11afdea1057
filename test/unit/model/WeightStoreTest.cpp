//===- WeightStoreTest.cpp - expected tensors and weight loading ----------===//

#include "runtime/model/WeightStore.h"

#include "TestWriters.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace mamba;
using namespace mamba::test;

namespace {

#define EXPECT_HAS(message, part)                                              \
  EXPECT_NE((message).find(part), std::string::npos)                           \
      << "message: " << (message) << "\nlacks: " << (part)

ModelConfig config(const std::string &json) {
  auto c = parseModelConfig(json, "config.json");
  EXPECT_TRUE(c.ok()) << c.error();
  return c.ok() ? *c : ModelConfig();
}

const ExpectedTensor *findExpected(const std::vector<ExpectedTensor> &all,
                                   const std::string &name) {
  for (const ExpectedTensor &e : all)
    if (e.name == name)
      return &e;
  return nullptr;
}

/// Parameters, counting a tied lm_head once, as the published sizes do.
int64_t parameterCount(const ModelConfig &cfg) {
  int64_t n = 0;
  for (const ExpectedTensor &e : expectedTensors(cfg)) {
    if (!e.tiedTo.empty())
      continue;
    int64_t k = 1;
    for (int64_t d : e.shape)
      k *= d;
    n += k;
  }
  return n;
}

TEST(ExpectedTensors, MatchPublishedParameterCounts) {
  // mamba-reference.md 2.5: the totals reproduce the HF file sizes.
  struct Row {
    int64_t dModel, nLayer;
    bool v2;
    int64_t params;
  } rows[] = {{768, 24, false, 129135360},   {1024, 48, false, 371516416},
              {1536, 48, false, 793204224},  {2048, 48, false, 1372178432},
              {2560, 64, false, 2768345600}, {768, 24, true, 128989632},
              {1024, 48, true, 368346624},   {1536, 48, true, 780161280},
              {2048, 48, true, 1343757312},  {2560, 64, true, 2702599680}};
  for (const Row &r : rows) {
    std::string json = "{\"d_model\": " + std::to_string(r.dModel) +
                       ", \"n_layer\": " + std::to_string(r.nLayer) +
                       (r.v2 ? ", \"ssm_cfg\": {\"layer\": \"Mamba2\"}, "
                               "\"pad_vocab_size_multiple\": 16}"
                             : "}");
    EXPECT_EQ(parameterCount(config(json)), r.params) << json;
  }
}

TEST(ExpectedTensors, Mamba1NamesShapesAndDtypes) {
  ModelConfig c = config(R"({"d_model": 16, "n_layer": 2, "vocab_size": 37,
      "ssm_cfg": {"d_state": 8}})");
  std::vector<ExpectedTensor> all = expectedTensors(c);
  EXPECT_EQ(all.size(), 1u + 2 * 10 + 2);
  EXPECT_EQ(all.front().name, "backbone.embedding.weight");
  EXPECT_EQ(all.front().shape, (std::vector<int64_t>{40, 16}));
  const std::string m = "backbone.layers.1.mixer.";
  struct {
    std::string name;
    std::vector<int64_t> shape;
    bool f32;
  } want[] = {{"backbone.layers.1.norm.weight", {16}, false},
              {m + "in_proj.weight", {64, 16}, false},
              {m + "conv1d.weight", {32, 1, 4}, false},
              {m + "conv1d.bias", {32}, false},
              {m + "x_proj.weight", {1 + 16, 32}, false},
              {m + "dt_proj.weight", {32, 1}, false},
              {m + "dt_proj.bias", {32}, false},
              {m + "A_log", {32, 8}, true},
              {m + "D", {32}, true},
              {m + "out_proj.weight", {16, 32}, false},
              {"backbone.norm_f.weight", {16}, false},
              {"lm_head.weight", {40, 16}, false}};
  for (const auto &w : want) {
    const ExpectedTensor *e = findExpected(all, w.name);
    ASSERT_NE(e, nullptr) << w.name;
    EXPECT_EQ(e->shape, w.shape) << w.name;
    EXPECT_EQ(e->alwaysF32, w.f32) << w.name;
    EXPECT_EQ(runtimeDType(*e, DType::F16), w.f32 ? DType::F32 : DType::F16);
  }
  EXPECT_EQ(findExpected(all, "lm_head.weight")->tiedTo,
            "backbone.embedding.weight");
  EXPECT_EQ(findExpected(all, m + "in_proj.bias"), nullptr);
}

TEST(ExpectedTensors, Mamba2OptionalParameters) {
  ModelConfig c = config(R"({"d_model": 64, "n_layer": 1, "vocab_size": 1001,
      "tie_embeddings": false, "ssm_cfg": {"layer": "Mamba2", "d_state": 32,
      "headdim": 32, "ngroups": 2, "D_has_hdim": true, "bias": true,
      "conv_bias": false}})");
  std::vector<ExpectedTensor> all = expectedTensors(c);
  const std::string m = "backbone.layers.0.mixer.";
  // in_proj: z (128) + xBC (128 + 2*2*32) + dt (4 heads).
  EXPECT_EQ(findExpected(all, m + "in_proj.weight")->shape,
            (std::vector<int64_t>{388, 64}));
  EXPECT_EQ(findExpected(all, m + "in_proj.bias")->shape,
            (std::vector<int64_t>{388}));
  EXPECT_EQ(findExpected(all, m + "conv1d.weight")->shape,
            (std::vector<int64_t>{256, 1, 4}));
  EXPECT_EQ(findExpected(all, m + "conv1d.bias"), nullptr);
  EXPECT_EQ(findExpected(all, m + "dt_bias")->shape, (std::vector<int64_t>{4}));
  EXPECT_EQ(findExpected(all, m + "A_log")->shape, (std::vector<int64_t>{4}));
  EXPECT_FALSE(findExpected(all, m + "A_log")->alwaysF32);
  EXPECT_EQ(findExpected(all, m + "D")->shape, (std::vector<int64_t>{128}));
  EXPECT_TRUE(findExpected(all, m + "D")->alwaysF32);
  EXPECT_EQ(findExpected(all, m + "norm.weight")->shape,
            (std::vector<int64_t>{128}));
  EXPECT_EQ(findExpected(all, m + "out_proj.bias")->shape,
            (std::vector<int64_t>{64}));
  EXPECT_EQ(findExpected(all, "lm_head.weight")->shape,
            (std::vector<int64_t>{1008, 64}));
  EXPECT_TRUE(findExpected(all, "lm_head.weight")->tiedTo.empty());

  ModelConfig noNorm = config(R"({"d_model": 64, "n_layer": 1,
      "ssm_cfg": {"layer": "Mamba2", "headdim": 32, "rmsnorm": false}})");
  EXPECT_EQ(findExpected(expectedTensors(noNorm), m + "norm.weight"), nullptr);
  EXPECT_EQ(findExpected(expectedTensors(noNorm), m + "D")->shape,
            (std::vector<int64_t>{4}));
}

//===----------------------------------------------------------------------===//
// Checkpoints for a config
//===----------------------------------------------------------------------===//

/// Element k of the tensor at position `index` in expectedTensors(): not
/// exact in f16 or bf16, so that conversions have to round.
float weightValue(size_t index, int64_t k) {
  return testValue(k + int64_t(index)) + 0.1f;
}

std::string encodeWeight(size_t index, int64_t n, DType t) {
  std::string out(size_t(n) * dtypeSize(t), '\0');
  for (int64_t k = 0; k < n; ++k)
    storeFromFloat(out.data(), t, size_t(k), weightValue(index, k));
  return out;
}

int64_t numel(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

const char *stDType(DType t) {
  return t == DType::F32 ? "F32" : t == DType::F16 ? "F16" : "BF16";
}

/// Every tensor of `cfg` as safetensors entries, stored as `stored`, in the
/// transformers layout (embeddings, no tied head) or mamba_ssm's.
std::vector<StTensor> modelTensors(const ModelConfig &cfg, bool transformers,
                                   DType stored = DType::F32) {
  std::vector<StTensor> out;
  std::vector<ExpectedTensor> all = expectedTensors(cfg);
  for (size_t i = 0; i < all.size(); ++i) {
    const ExpectedTensor &e = all[i];
    std::string name = e.name;
    size_t index = i;
    if (!e.tiedTo.empty()) {
      if (transformers)
        continue;
      index = 0; // the head holds the embedding's values
    }
    if (transformers && name == "backbone.embedding.weight")
      name = "backbone.embeddings.weight";
    out.push_back({name, stDType(stored), e.shape,
                   encodeWeight(index, numel(e.shape), stored)});
  }
  return out;
}

/// A mamba_ssm-style pytorch_model.bin; a tied lm_head shares the
/// embedding's storage.
std::string modelArchive(const ModelConfig &cfg) {
  std::vector<TorchTensor> tensors;
  std::vector<std::pair<std::string, std::string>> storages;
  std::vector<ExpectedTensor> all = expectedTensors(cfg);
  for (size_t i = 0; i < all.size(); ++i) {
    const ExpectedTensor &e = all[i];
    int64_t n = numel(e.shape);
    std::vector<int64_t> strides(e.shape.size(), 1);
    for (size_t d = e.shape.size(); d-- > 1;)
      strides[d - 1] = strides[d] * e.shape[d];
    std::string key = e.tiedTo.empty() ? std::to_string(i) : "0";
    tensors.push_back({e.name, key, "FloatStorage", n, 0, e.shape, strides});
    if (e.tiedTo.empty())
      storages.emplace_back(key, encodeWeight(i, n, DType::F32));
  }
  return torchArchive(stateDictPickle(tensors), storages);
}

const char *const kTinyMamba1 =
    R"({"model_type": "mamba", "hidden_size": 16, "num_hidden_layers": 2,
        "vocab_size": 37, "state_size": 8})";
const char *const kTinyMamba2 =
    R"({"d_model": 64, "n_layer": 2, "vocab_size": 37,
        "pad_vocab_size_multiple": 8, "ssm_cfg": {"layer": "Mamba2",
        "d_state": 16, "headdim": 32, "ngroups": 2, "chunk_size": 16}})";

/// Checks every loaded tensor against weightValue, rounded as stored and
/// then to its runtime type.
void expectLoaded(const std::map<std::string, Tensor> &weights,
                  const ModelConfig &cfg, DType modelDType, DType stored) {
  std::vector<ExpectedTensor> all = expectedTensors(cfg);
  size_t expected = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    const ExpectedTensor &e = all[i];
    auto it = weights.find(e.name);
    if (!e.tiedTo.empty()) {
      EXPECT_EQ(it, weights.end()) << "a tied head is not copied";
      continue;
    }
    ++expected;
    ASSERT_NE(it, weights.end()) << e.name;
    const Tensor &t = it->second;
    EXPECT_EQ(t.shape, e.shape) << e.name;
    DType want = runtimeDType(e, modelDType);
    ASSERT_EQ(t.dtype, want) << e.name;
    for (int64_t k = 0; k < t.numel(); ++k) {
      float v = roundTo(want, roundTo(stored, weightValue(i, k)));
      ASSERT_EQ(t.at(k), v) << e.name << " element " << k;
    }
  }
  EXPECT_EQ(weights.size(), expected);
}

TEST(WeightStore, TransformersSafetensorsTiedHeadAbsent) {
  ModelConfig cfg = config(kTinyMamba1);
  TempDir dir;
  dir.write("model.safetensors",
            safetensorsFile(modelTensors(cfg, /*transformers=*/true)));
  auto store = WeightStore::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->layout(), WeightLayout::Transformers);
  EXPECT_EQ(store->source(), dir.file("model.safetensors"));
  EXPECT_TRUE(store->contains("backbone.embedding.weight"));
  EXPECT_FALSE(store->contains("lm_head.weight"));
  std::vector<std::string> names = store->names();
  EXPECT_EQ(names.size(), expectedTensors(cfg).size() - 1);
  EXPECT_NE(std::find(names.begin(), names.end(), "backbone.embedding.weight"),
            names.end());
  auto w = loadWeights(*store, cfg, DType::F32);
  ASSERT_TRUE(w.ok()) << w.error();
  expectLoaded(*w, cfg, DType::F32, DType::F32);
}

TEST(WeightStore, MambaSsmBinWithSharedHeadStorage) {
  ModelConfig cfg = config(kTinyMamba2);
  TempDir dir;
  dir.write("pytorch_model.bin", modelArchive(cfg));
  auto store = WeightStore::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->layout(), WeightLayout::MambaSsm);
  auto head = store->view("lm_head.weight", {40, 64});
  auto emb = store->view("backbone.embedding.weight", {40, 64});
  ASSERT_TRUE(head.ok() && emb.ok());
  EXPECT_EQ(head->data, emb->data);
  auto w = loadWeights(*store, cfg, DType::F32);
  ASSERT_TRUE(w.ok()) << w.error();
  expectLoaded(*w, cfg, DType::F32, DType::F32);
}

TEST(WeightStore, HalfModelsKeepTheReferenceMixedDtypes) {
  // mamba-reference.md 2.5: at fp16/bf16, Mamba-1 keeps A_log and D in f32
  // and rounds dt_proj.bias; Mamba-2 keeps D in f32 and rounds A_log and
  // dt_bias.
  for (DType model : {DType::F16, DType::BF16}) {
    ModelConfig v1 = config(kTinyMamba1);
    TempDir d1;
    d1.write("model.safetensors", safetensorsFile(modelTensors(v1, true)));
    auto s1 = WeightStore::open(d1.path());
    ASSERT_TRUE(s1.ok()) << s1.error();
    auto w1 = loadWeights(*s1, v1, model);
    ASSERT_TRUE(w1.ok()) << w1.error();
    expectLoaded(*w1, v1, model, DType::F32);
    EXPECT_EQ(w1->at("backbone.layers.0.mixer.A_log").dtype, DType::F32);
    EXPECT_EQ(w1->at("backbone.layers.0.mixer.D").dtype, DType::F32);
    EXPECT_EQ(w1->at("backbone.layers.0.mixer.dt_proj.bias").dtype, model);

    ModelConfig v2 = config(kTinyMamba2);
    TempDir d2;
    d2.write("pytorch_model.bin", modelArchive(v2));
    auto s2 = WeightStore::open(d2.path());
    ASSERT_TRUE(s2.ok()) << s2.error();
    auto w2 = loadWeights(*s2, v2, model);
    ASSERT_TRUE(w2.ok()) << w2.error();
    expectLoaded(*w2, v2, model, DType::F32);
    EXPECT_EQ(w2->at("backbone.layers.1.mixer.D").dtype, DType::F32);
    EXPECT_EQ(w2->at("backbone.layers.1.mixer.A_log").dtype, model);
    EXPECT_EQ(w2->at("backbone.layers.1.mixer.dt_bias").dtype, model);
  }
}

TEST(WeightStore, HalfStoredCheckpointToF32AndBf16) {
  ModelConfig cfg = config(kTinyMamba2);
  for (DType stored : {DType::F16, DType::BF16}) {
    TempDir dir;
    dir.write("model.safetensors",
              safetensorsFile(modelTensors(cfg, false, stored)));
    auto store = WeightStore::open(dir.path());
    ASSERT_TRUE(store.ok()) << store.error();
    for (DType model : {DType::F32, DType::BF16, DType::F16}) {
      auto w = loadWeights(*store, cfg, model);
      ASSERT_TRUE(w.ok()) << w.error();
      expectLoaded(*w, cfg, model, stored);
    }
  }
}

TEST(WeightStore, ShardedCheckpoint) {
  ModelConfig cfg = config(kTinyMamba2);
  std::vector<StTensor> all = modelTensors(cfg, false);
  size_t half = all.size() / 2;
  TempDir dir;
  dir.write("a.safetensors", safetensorsFile(std::vector<StTensor>(
                                 all.begin(), all.begin() + half)));
  dir.write("b.safetensors", safetensorsFile(std::vector<StTensor>(
                                 all.begin() + half, all.end())));
  std::string index = R"({"weight_map": {)";
  for (size_t i = 0; i < all.size(); ++i)
    index += (i ? "," : "") + std::string("\"") + all[i].name + "\": \"" +
             (i < half ? "a" : "b") + ".safetensors\"";
  dir.write("model.safetensors.index.json", index + "}}");
  auto store = WeightStore::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->source(), dir.file("model.safetensors.index.json"));
  auto w = loadWeights(*store, cfg, DType::F32);
  ASSERT_TRUE(w.ok()) << w.error();
  expectLoaded(*w, cfg, DType::F32, DType::F32);
}

TEST(WeightStore, FilePreference) {
  ModelConfig cfg = config(kTinyMamba1);
  TempDir dir;
  dir.write("pytorch_model.bin", "not read when safetensors exist");
  dir.write("model.safetensors", safetensorsFile(modelTensors(cfg, true)));
  auto store = WeightStore::open(dir.path());
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->source(), dir.file("model.safetensors"));

  TempDir bin;
  bin.write("pytorch_model.bin", "garbage");
  auto bad = WeightStore::open(bin.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_HAS(bad.error(), bin.file("pytorch_model.bin"));

  TempDir empty;
  auto none = WeightStore::open(empty.path());
  ASSERT_FALSE(none.ok());
  EXPECT_HAS(none.error(), "no weights found; looked for model.safetensors, "
                           "model.safetensors.index.json and "
                           "pytorch_model.bin");
  auto notDir = WeightStore::open(empty.file("nope"));
  ASSERT_FALSE(notDir.ok());
  EXPECT_HAS(notDir.error(), "not a directory");
}

//===----------------------------------------------------------------------===//
// Mismatches between config and checkpoint
//===----------------------------------------------------------------------===//

std::string loadError(const ModelConfig &cfg, std::vector<StTensor> tensors) {
  TempDir dir;
  dir.write("model.safetensors", safetensorsFile(tensors));
  auto store = WeightStore::open(dir.path());
  EXPECT_TRUE(store.ok()) << store.error();
  if (!store.ok())
    return "";
  auto w = loadWeights(*store, cfg, DType::F32);
  EXPECT_FALSE(w.ok());
  return w.ok() ? std::string() : w.error();
}

std::vector<StTensor> without(std::vector<StTensor> all,
                              const std::string &name) {
  for (auto it = all.begin(); it != all.end(); ++it)
    if (it->name == name) {
      all.erase(it);
      break;
    }
  return all;
}

TEST(WeightStore, MissingTensor) {
  ModelConfig cfg = config(kTinyMamba2);
  std::string e = loadError(
      cfg, without(modelTensors(cfg, false), "backbone.layers.1.mixer.D"));
  EXPECT_HAS(e, "model.safetensors: missing tensor 'backbone.layers.1.mixer.D' "
                "(the config needs shape (4))");

  // Untied: lm_head must be there.
  ModelConfig untied = config(
      R"({"model_type": "mamba", "hidden_size": 16, "num_hidden_layers": 1,
          "vocab_size": 37, "state_size": 8, "tie_word_embeddings": false})");
  std::vector<StTensor> t = modelTensors(untied, true);
  e = loadError(untied, without(t, "lm_head.weight"));
  EXPECT_HAS(e, "missing tensor 'lm_head.weight' (the config needs shape "
                "(37, 16))");
}

TEST(WeightStore, MisShapedTensorNamesBothShapes) {
  ModelConfig cfg = config(kTinyMamba1);
  std::vector<StTensor> t = modelTensors(cfg, true);
  for (StTensor &s : t)
    if (s.name == "backbone.norm_f.weight") {
      s.shape = {17};
      s.bytes = encodeValues(17, DType::F32);
    }
  std::string e = loadError(cfg, t);
  EXPECT_HAS(e, "model.safetensors: tensor 'backbone.norm_f.weight' has shape "
                "(17) but the config needs (16)");

  // The transformers name is the one reported.
  t = modelTensors(cfg, true);
  t[0].shape = {37, 8};
  t[0].bytes = encodeValues(37 * 8, DType::F32);
  e = loadError(cfg, t);
  EXPECT_HAS(e, "tensor 'backbone.embeddings.weight' has shape (37, 8) but the "
                "config needs (37, 16)");
}

TEST(WeightStore, ExtraTensorsAreNamed) {
  ModelConfig cfg = config(kTinyMamba1);
  std::vector<StTensor> t = modelTensors(cfg, true);
  t.push_back({"backbone.layers.2.norm.weight",
               "F32",
               {16},
               encodeValues(16, DType::F32)});
  std::string e = loadError(cfg, t);
  EXPECT_HAS(e, "1 tensor that the config does not use: "
                "'backbone.layers.2.norm.weight'");

  for (int i = 0; i < 12; ++i)
    t.push_back({"extra." + std::to_string(i + 10),
                 "F32",
                 {1},
                 encodeValues(1, DType::F32)});
  e = loadError(cfg, t);
  EXPECT_HAS(e, "13 tensors that the config does not use");
  EXPECT_HAS(e, "and 3 more");
}

TEST(WeightStore, TiedHeadMustEqualEmbedding) {
  ModelConfig cfg = config(kTinyMamba2);
  std::vector<StTensor> t = modelTensors(cfg, false);
  // An identical copy (not shared storage) is fine.
  TempDir dir;
  dir.write("model.safetensors", safetensorsFile(t));
  auto store = WeightStore::open(dir.path());
  ASSERT_TRUE(store.ok());
  auto w = loadWeights(*store, cfg, DType::F32);
  EXPECT_TRUE(w.ok()) << w.error();

  for (StTensor &s : t)
    if (s.name == "lm_head.weight")
      s.bytes = encodeValues(40 * 64, DType::F32, 5);
  std::string e = loadError(cfg, t);
  EXPECT_HAS(e, "'lm_head.weight' differs from 'backbone.embedding.weight', "
                "but the config ties them");
}

TEST(WeightStore, BothEmbeddingNamesIsAmbiguous) {
  ModelConfig cfg = config(kTinyMamba1);
  std::vector<StTensor> t = modelTensors(cfg, true);
  t.push_back({"backbone.embedding.weight",
               "F32",
               {37, 16},
               encodeValues(37 * 16, DType::F32)});
  TempDir dir;
  dir.write("model.safetensors", safetensorsFile(t));
  auto store = WeightStore::open(dir.path());
  ASSERT_FALSE(store.ok());
  EXPECT_HAS(store.error(), "holds both 'backbone.embedding.weight' and "
                            "'backbone.embeddings.weight'");
}

} // namespace
