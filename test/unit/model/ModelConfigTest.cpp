//===- ModelConfigTest.cpp - config.json in both formats ------------------===//

#include "runtime/model/ModelConfig.h"

#include "TestWriters.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mamba;
using mamba::test::TempDir;

namespace {

ModelConfig parseOk(const std::string &json) {
  auto cfg = parseModelConfig(json, "config.json");
  EXPECT_TRUE(cfg.ok()) << cfg.error();
  return cfg.ok() ? *cfg : ModelConfig();
}

/// Parses `json`, expects a failure, and returns the message.
std::string parseError(const std::string &json) {
  auto cfg = parseModelConfig(json, "config.json");
  EXPECT_FALSE(cfg.ok()) << "accepted: " << json;
  return cfg.ok() ? std::string() : cfg.error();
}

#define EXPECT_HAS(message, part)                                              \
  EXPECT_NE((message).find(part), std::string::npos)                           \
      << "message: " << (message) << "\nlacks: " << (part)

//===----------------------------------------------------------------------===//
// mamba_ssm format
//===----------------------------------------------------------------------===//

TEST(ModelConfig, MambaSsmMamba1AsPublished) {
  // state-spaces/mamba-130m/config.json (mamba-reference.md 2.5).
  ModelConfig c = parseOk(
      R"({"d_model": 768, "n_layer": 24, "vocab_size": 50277, "ssm_cfg": {},
          "rms_norm": true, "residual_in_fp32": true, "fused_add_norm": true,
          "pad_vocab_size_multiple": 8})");
  EXPECT_EQ(c.arch, Arch::Mamba1);
  EXPECT_EQ(c.format, ConfigFormat::MambaSsm);
  EXPECT_EQ(c.dModel, 768);
  EXPECT_EQ(c.nLayer, 24);
  EXPECT_EQ(c.vocabSize, 50277);
  EXPECT_EQ(c.paddedVocabSize, 50280);
  EXPECT_TRUE(c.tieEmbeddings);
  EXPECT_DOUBLE_EQ(c.normEps, 1e-5);
  EXPECT_TRUE(c.residualInFp32);
  EXPECT_EQ(c.dState, 16);
  EXPECT_EQ(c.dConv, 4);
  EXPECT_EQ(c.expand, 2);
  EXPECT_EQ(c.dInner, 1536);
  EXPECT_EQ(c.dtRank, 48);
  EXPECT_TRUE(c.convBias);
  EXPECT_FALSE(c.bias);
  EXPECT_EQ(c.convDim(), 1536);
  EXPECT_EQ(c.inProjDim(), 3072);
}

TEST(ModelConfig, MambaSsmMamba2AsPublished) {
  // state-spaces/mamba2-130m/config.json: all 12 keys.
  ModelConfig c = parseOk(
      R"({"d_model": 768, "d_intermediate": 0, "n_layer": 24,
          "vocab_size": 50277, "ssm_cfg": {"layer": "Mamba2"},
          "attn_layer_idx": [], "attn_cfg": {}, "rms_norm": true,
          "residual_in_fp32": true, "fused_add_norm": true,
          "pad_vocab_size_multiple": 16, "tie_embeddings": true})");
  EXPECT_EQ(c.arch, Arch::Mamba2);
  EXPECT_EQ(c.paddedVocabSize, 50288);
  EXPECT_EQ(c.dState, 128);
  EXPECT_EQ(c.dInner, 1536);
  EXPECT_EQ(c.dSsm, 1536);
  EXPECT_EQ(c.headdim, 64);
  EXPECT_EQ(c.nheads, 24);
  EXPECT_EQ(c.ngroups, 1);
  EXPECT_EQ(c.chunkSize, 256);
  EXPECT_TRUE(c.rmsnorm);
  EXPECT_FALSE(c.normBeforeGate);
  EXPECT_FALSE(c.dHasHdim);
  EXPECT_EQ(c.dtLimitLo, 0.0);
  EXPECT_TRUE(std::isinf(c.dtLimitHi));
  // The reference's table: conv_dim 1792, d_in_proj 3352.
  EXPECT_EQ(c.convDim(), 1792);
  EXPECT_EQ(c.inProjDim(), 3352);
}

TEST(ModelConfig, MambaSsmDefaults) {
  ModelConfig v1 = parseOk("{}");
  EXPECT_EQ(v1.arch, Arch::Mamba1);
  EXPECT_EQ(v1.dModel, 2560);
  EXPECT_EQ(v1.nLayer, 64);
  EXPECT_EQ(v1.vocabSize, 50277);
  EXPECT_EQ(v1.padVocabSizeMultiple, 8);
  EXPECT_EQ(v1.paddedVocabSize, 50280);
  EXPECT_EQ(v1.dtRank, 160);
  EXPECT_TRUE(v1.tieEmbeddings);

  ModelConfig v2 = parseOk(R"({"ssm_cfg": {"layer": "Mamba2"}})");
  EXPECT_EQ(v2.dInner, 5120);
  EXPECT_EQ(v2.nheads, 80);
  // mamba2-2.7b's conv_dim and d_in_proj.
  EXPECT_EQ(v2.convDim(), 5376);
  EXPECT_EQ(v2.inProjDim(), 10576);
}

TEST(ModelConfig, MambaSsmExplicitMixerKeys) {
  ModelConfig c = parseOk(
      R"({"d_model": 64, "n_layer": 2, "vocab_size": 1001,
          "pad_vocab_size_multiple": 8, "tie_embeddings": false,
          "residual_in_fp32": false,
          "ssm_cfg": {"layer": "Mamba2", "d_state": 32, "d_conv": 3,
                      "expand": 2, "headdim": 32, "ngroups": 2,
                      "chunk_size": 16, "rmsnorm": false,
                      "norm_before_gate": true, "D_has_hdim": true,
                      "dt_limit": [0.001, 0.5], "bias": true,
                      "conv_bias": false, "d_ssm": null,
                      "dt_min": 0.001, "dt_max": 0.1, "dt_init_floor": 1e-4,
                      "A_init_range": [1, 16], "use_mem_eff_path": true,
                      "conv_init": null}})");
  EXPECT_EQ(c.paddedVocabSize, 1008);
  EXPECT_FALSE(c.tieEmbeddings);
  EXPECT_FALSE(c.residualInFp32);
  EXPECT_EQ(c.dState, 32);
  EXPECT_EQ(c.dConv, 3);
  EXPECT_EQ(c.nheads, 4);
  EXPECT_EQ(c.ngroups, 2);
  EXPECT_EQ(c.chunkSize, 16);
  EXPECT_FALSE(c.rmsnorm);
  EXPECT_TRUE(c.normBeforeGate);
  EXPECT_TRUE(c.dHasHdim);
  EXPECT_DOUBLE_EQ(c.dtLimitLo, 0.001);
  EXPECT_DOUBLE_EQ(c.dtLimitHi, 0.5);
  EXPECT_TRUE(c.bias);
  EXPECT_FALSE(c.convBias);
  EXPECT_EQ(c.convDim(), 128 + 2 * 2 * 32);
  EXPECT_EQ(c.inProjDim(), 128 + c.convDim() + 4);

  ModelConfig v1 = parseOk(
      R"({"d_model": 64, "ssm_cfg": {"d_state": 8, "dt_rank": 7,
          "dt_init": "random", "dt_scale": 1.0, "use_fast_path": true}})");
  EXPECT_EQ(v1.dtRank, 7);
  EXPECT_EQ(v1.dState, 8);
}

TEST(ModelConfig, MambaSsmPythonInfinity) {
  // json.dumps writes float('inf') as a bare Infinity.
  ModelConfig c = parseOk(
      R"({"d_model": 64, "ssm_cfg": {"layer": "Mamba2", "headdim": 32,
          "dt_limit": [0.0, Infinity]}})");
  EXPECT_TRUE(std::isinf(c.dtLimitHi));
}

TEST(ModelConfig, TransformersFiveInfinityObject) {
  // transformers 5.17's save_pretrained writes inf as {"__float__": ...}.
  ModelConfig c = parseOk(
      R"({"model_type": "mamba2", "hidden_size": 64, "num_heads": 4,
          "head_dim": 32, "n_groups": 2, "state_size": 32,
          "num_hidden_layers": 2, "vocab_size": 251,
          "time_step_limit": [0.0, {"__float__": "Infinity"}]})");
  EXPECT_TRUE(std::isinf(c.dtLimitHi));
  EXPECT_EQ(c.dtLimitLo, 0.0);
}

//===----------------------------------------------------------------------===//
// transformers format
//===----------------------------------------------------------------------===//

TEST(ModelConfig, TransformersMambaAsPublished) {
  // The shape of state-spaces/mamba-130m-hf/config.json.
  ModelConfig c = parseOk(
      R"({"architectures": ["MambaForCausalLM"], "bos_token_id": 0,
          "conv_kernel": 4, "eos_token_id": 0, "expand": 2,
          "hidden_act": "silu", "hidden_size": 768,
          "initializer_range": 0.1, "intermediate_size": 1536,
          "layer_norm_epsilon": 1e-05, "model_type": "mamba",
          "n_layer": 24, "num_hidden_layers": 24, "pad_token_id": 0,
          "rescale_prenorm_residual": false, "residual_in_fp32": true,
          "state_size": 16, "time_step_floor": 0.0001,
          "time_step_init_scheme": "random", "time_step_max": 0.1,
          "time_step_min": 0.001, "time_step_rank": 48,
          "time_step_scale": 1.0, "torch_dtype": "float32",
          "transformers_version": "4.39.0.dev0", "use_bias": false,
          "use_cache": true, "use_conv_bias": true, "vocab_size": 50280})");
  EXPECT_EQ(c.arch, Arch::Mamba1);
  EXPECT_EQ(c.format, ConfigFormat::Transformers);
  EXPECT_EQ(c.dModel, 768);
  EXPECT_EQ(c.nLayer, 24);
  EXPECT_EQ(c.vocabSize, 50280);
  EXPECT_EQ(c.padVocabSizeMultiple, 1);
  EXPECT_EQ(c.paddedVocabSize, 50280);
  EXPECT_EQ(c.dInner, 1536);
  EXPECT_EQ(c.dtRank, 48);
  EXPECT_EQ(c.dState, 16);
  EXPECT_TRUE(c.tieEmbeddings);
}

TEST(ModelConfig, TransformersMambaDefaults) {
  ModelConfig c = parseOk(R"({"model_type": "mamba"})");
  EXPECT_EQ(c.dModel, 768);
  EXPECT_EQ(c.nLayer, 32);
  EXPECT_EQ(c.vocabSize, 50280);
  EXPECT_EQ(c.paddedVocabSize, 50280);
  EXPECT_EQ(c.dState, 16);
  EXPECT_EQ(c.dConv, 4);
  EXPECT_EQ(c.dInner, 1536);
  EXPECT_EQ(c.dtRank, 48);
  EXPECT_TRUE(c.tieEmbeddings);
  EXPECT_TRUE(c.convBias);
  EXPECT_FALSE(c.bias);
  EXPECT_DOUBLE_EQ(c.normEps, 1e-5);

  ModelConfig odd = parseOk(
      R"({"model_type": "mamba", "hidden_size": 64, "vocab_size": 1001,
          "time_step_rank": "auto", "layer_norm_epsilon": 1e-6,
          "tie_word_embeddings": false, "use_bias": true})");
  EXPECT_EQ(odd.paddedVocabSize, 1001);
  EXPECT_EQ(odd.dtRank, 4);
  EXPECT_DOUBLE_EQ(odd.normEps, 1e-6);
  EXPECT_FALSE(odd.tieEmbeddings);
  EXPECT_TRUE(odd.bias);
}

TEST(ModelConfig, TransformersMamba2Defaults) {
  // Mamba2Config's defaults are Codestral's, not mamba2-130m's.
  ModelConfig c = parseOk(R"({"model_type": "mamba2"})");
  EXPECT_EQ(c.arch, Arch::Mamba2);
  EXPECT_EQ(c.dModel, 4096);
  EXPECT_EQ(c.nLayer, 64);
  EXPECT_EQ(c.vocabSize, 32768);
  EXPECT_EQ(c.paddedVocabSize, 32768);
  EXPECT_EQ(c.nheads, 128);
  EXPECT_EQ(c.headdim, 64);
  EXPECT_EQ(c.ngroups, 8);
  EXPECT_EQ(c.dState, 128);
  EXPECT_EQ(c.chunkSize, 256);
  EXPECT_FALSE(c.tieEmbeddings);
  EXPECT_FALSE(c.normBeforeGate);
  EXPECT_TRUE(c.rmsnorm);
  EXPECT_TRUE(std::isinf(c.dtLimitHi));
}

TEST(ModelConfig, TransformersMamba2Explicit) {
  ModelConfig c = parseOk(
      R"({"model_type": "mamba2", "hidden_size": 64, "num_heads": 4,
          "head_dim": 32, "n_groups": 2, "state_size": 32,
          "num_hidden_layers": 2, "vocab_size": 1001, "chunk_size": 16,
          "conv_kernel": 4, "expand": 2, "layer_norm_epsilon": 1e-6,
          "tie_word_embeddings": true, "time_step_limit": [0.0, Infinity],
          "norm_before_gate": true, "use_conv_bias": false,
          "rms_norm": true, "time_step_rank": 4, "intermediate_size": 128})");
  EXPECT_EQ(c.dInner, 128);
  EXPECT_EQ(c.nheads, 4);
  EXPECT_EQ(c.ngroups, 2);
  EXPECT_EQ(c.paddedVocabSize, 1001);
  EXPECT_TRUE(c.tieEmbeddings);
  EXPECT_TRUE(c.normBeforeGate);
  EXPECT_FALSE(c.convBias);
  EXPECT_DOUBLE_EQ(c.normEps, 1e-6);
  EXPECT_TRUE(std::isinf(c.dtLimitHi));
}

TEST(ModelConfig, LoadFromDirectory) {
  TempDir dir;
  dir.write("config.json", R"({"d_model": 64, "n_layer": 2})");
  auto c = loadModelConfig(dir.path());
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->dModel, 64);

  TempDir empty;
  auto missing = loadModelConfig(empty.path());
  ASSERT_FALSE(missing.ok());
  EXPECT_HAS(missing.error(), empty.path() + "/config.json");
  EXPECT_HAS(missing.error(), "not found");
}

//===----------------------------------------------------------------------===//
// Refusals
//===----------------------------------------------------------------------===//

TEST(ModelConfig, RefusesUnsupportedModels) {
  std::string e = parseError(R"({"attn_layer_idx": [9, 18],
      "attn_cfg": {"num_heads": 30}, "ssm_cfg": {"layer": "Mamba2"}})");
  EXPECT_HAS(e, "'attn_layer_idx'");
  EXPECT_HAS(e, "hybrid attention layers are not supported");

  e = parseError(R"({"d_intermediate": 128})");
  EXPECT_HAS(e, "'d_intermediate'");
  EXPECT_HAS(e, "GatedMLP");

  e = parseError(R"({"ssm_cfg": {"layer": "Mamba3"}})");
  EXPECT_HAS(e, "'ssm_cfg.layer'");
  EXPECT_HAS(e, "Mamba-3 layers are not supported");

  e = parseError(R"({"ssm_cfg": {"layer": "S4"}})");
  EXPECT_HAS(e, "expected \"Mamba1\" or \"Mamba2\"");

  e = parseError(R"({"rms_norm": false})");
  EXPECT_HAS(e, "'rms_norm'");
  EXPECT_HAS(e, "LayerNorm");

  e = parseError(R"({"model_type": "mamba", "hidden_act": "gelu"})");
  EXPECT_HAS(e, "'hidden_act'");
  EXPECT_HAS(e, "only \"silu\"");

  e = parseError(R"({"model_type": "mamba2", "rms_norm": false})");
  EXPECT_HAS(e, "'rms_norm'");

  e = parseError(R"({"d_model": 768,
      "ssm_cfg": {"layer": "Mamba2", "d_ssm": 1024}})");
  EXPECT_HAS(e, "'ssm_cfg.d_ssm'");
  EXPECT_HAS(e, "partial-SSM");

  e = parseError(R"({"model_type": "llama"})");
  EXPECT_HAS(e, "'model_type'");
  EXPECT_HAS(e, "\"mamba\" and \"mamba2\"");
}

TEST(ModelConfig, RefusesUnknownMambaSsmKeys) {
  std::string e = parseError(R"({"d_model": 64, "norm_epsilon": 1e-6})");
  EXPECT_HAS(e, "'norm_epsilon'");
  EXPECT_HAS(e, "not a mamba_ssm MambaConfig field");

  // A transformers config without model_type gets a hint.
  e = parseError(R"({"hidden_size": 768, "num_hidden_layers": 24})");
  EXPECT_HAS(e, "'hidden_size'");
  EXPECT_HAS(e, "\"model_type\"");

  e = parseError(R"({"ssm_cfg": {"headdim": 64}})");
  EXPECT_HAS(e, "'ssm_cfg.headdim' is not a parameter of Mamba1");

  e = parseError(R"({"ssm_cfg": {"layer": "Mamba2", "dt_rank": 4}})");
  EXPECT_HAS(e, "'ssm_cfg.dt_rank' is not a parameter of Mamba2");
}

TEST(ModelConfig, RefusesWrongTypes) {
  EXPECT_HAS(parseError(R"({"d_model": "768"})"),
             "'d_model' must be an integer, not a string");
  EXPECT_HAS(parseError(R"({"n_layer": 2.5})"),
             "'n_layer' must be an integer, not a float");
  EXPECT_HAS(parseError(R"({"ssm_cfg": []})"),
             "'ssm_cfg' must be an object, not an array");
  EXPECT_HAS(parseError(R"({"tie_embeddings": 1})"),
             "'tie_embeddings' must be true or false");
  EXPECT_HAS(parseError(R"({"attn_layer_idx": {}})"),
             "'attn_layer_idx' must be a list");
  EXPECT_HAS(parseError(R"({"ssm_cfg": {"dt_rank": 1.5}})"),
             "'ssm_cfg.dt_rank' must be \"auto\" or an integer");
  EXPECT_HAS(parseError(R"({"ssm_cfg": {"layer": 2}})"),
             "'ssm_cfg.layer' must be a string");
  EXPECT_HAS(
      parseError(R"({"model_type": "mamba2", "time_step_limit": "wide"})"),
      "'time_step_limit' must be a list of two numbers");
  EXPECT_HAS(
      parseError(R"({"model_type": "mamba2", "time_step_limit": [0.1, 0.01]})"),
      "0 <= lo < hi");
  EXPECT_HAS(parseError(R"({"model_type": "mamba", "layer_norm_epsilon": 0})"),
             "'layer_norm_epsilon' must be a positive finite number");
  EXPECT_HAS(parseError(R"({"model_type": 3})"),
             "'model_type' must be a string");
  EXPECT_HAS(parseError(R"([1, 2])"), "expected a JSON object, not an array");
}

TEST(ModelConfig, RefusesBadSizes) {
  EXPECT_HAS(parseError(R"({"n_layer": 0})"),
             "'n_layer' must be positive, not 0");
  EXPECT_HAS(parseError(R"({"d_model": -8})"), "'d_model' must be positive");
  EXPECT_HAS(parseError(R"({"vocab_size": 0})"),
             "'vocab_size' must be positive");
  EXPECT_HAS(parseError(R"({"pad_vocab_size_multiple": 0})"),
             "'pad_vocab_size_multiple' must be positive");
  EXPECT_HAS(parseError(R"({"model_type": "mamba", "hidden_size": 0})"),
             "'hidden_size' must be positive");
  EXPECT_HAS(parseError(R"({"ssm_cfg": {"expand": 0}})"),
             "'ssm_cfg.expand' must be positive");
  EXPECT_HAS(parseError(R"({"d_model": 99999999999})"), "implausibly large");
  EXPECT_HAS(parseError(R"({"ssm_cfg": {"layer": "Mamba2", "chunk_size": 0}})"),
             "'ssm_cfg.chunk_size' must be positive");

  // nheads * headdim != d_inner.
  std::string e = parseError(R"({"model_type": "mamba2", "hidden_size": 64,
      "head_dim": 32, "num_heads": 3, "n_groups": 1})");
  EXPECT_HAS(e, "'num_heads' = 3");
  EXPECT_HAS(e, "expand * hidden_size (128)");

  e = parseError(R"({"d_model": 80, "ssm_cfg": {"layer": "Mamba2",
      "expand": 1}})");
  EXPECT_HAS(e, "d_inner (80) is not a multiple of 'ssm_cfg.headdim' (64)");

  e = parseError(R"({"d_model": 96, "ssm_cfg": {"layer": "Mamba2",
      "ngroups": 2}})");
  EXPECT_HAS(e,
             "number of heads (3) is not a multiple of 'ssm_cfg.ngroups' (2)");

  e = parseError(R"({"model_type": "mamba", "hidden_size": 64,
      "intermediate_size": 100})");
  EXPECT_HAS(e, "'intermediate_size' = 100 differs");
}

TEST(ModelConfig, RefusesWhatTheKernelsCannotRun) {
  std::string e = parseError(R"({"ssm_cfg": {"d_state": 20}})");
  EXPECT_HAS(e, "'ssm_cfg.d_state' = 20 is not supported");
  EXPECT_HAS(e, "multiple of 8 in [8, 256]");
  EXPECT_HAS(parseError(R"({"ssm_cfg": {"layer": "Mamba2", "d_state": 512}})"),
             "'ssm_cfg.d_state' = 512");
  EXPECT_HAS(parseError(R"({"model_type": "mamba", "state_size": 4})"),
             "'state_size' = 4 is not supported");
  EXPECT_HAS(parseError(R"({"ssm_cfg": {"d_conv": 5}})"),
             "'ssm_cfg.d_conv' = 5 is not supported");
  EXPECT_HAS(parseError(R"({"model_type": "mamba", "conv_kernel": 1})"),
             "'conv_kernel' = 1 is not supported");
  e = parseError(R"({"d_model": 96, "ssm_cfg": {"layer": "Mamba2",
      "headdim": 48}})");
  EXPECT_HAS(e, "'ssm_cfg.headdim' = 48 is not supported");
  EXPECT_HAS(e, "32, 64 or 128");
}

TEST(ModelConfig, MalformedJsonIsLocated) {
  std::string text = "{\n  \"d_model\": 768,\n  \"n_layer\": ,\n}";
  std::string e = parseError(text);
  size_t comma = text.find(": ,") + 2;
  EXPECT_HAS(e, "config.json: malformed JSON at byte " + std::to_string(comma) +
                    " (line 3, column 14)");

  // Offsets count the original text even after Infinity was quoted.
  text = R"({"time_step_limit": [0.0, Infinity], "x": ])";
  e = parseError(text);
  EXPECT_HAS(e, "at byte " + std::to_string(text.rfind(']')));

  EXPECT_HAS(parseError(""), "malformed JSON at byte 0");
  EXPECT_HAS(parseError("{\"d_model\": 64"), "malformed JSON");
}

} // namespace
