//===- ModelConfig.h - Mamba model hyper-parameters -------------*- C++ -*-===//
//
// One description of a model, in mamba_ssm's terms, whichever format its
// config.json was written in: mamba_ssm's MambaConfig (d_model, ssm_cfg, ...)
// or transformers' MambaConfig / Mamba2Config (hidden_size, state_size, ...).
// Loading refuses, with a message naming the key, anything the runtime does
// not implement, so that a config that loads is one the kernels can run.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_MODELCONFIG_H
#define MAMBA_RUNTIME_MODEL_MODELCONFIG_H

#include "runtime/Result.h"

#include <cstdint>
#include <limits>
#include <string>

namespace mamba {

enum class Arch { Mamba1, Mamba2 };

/// The layout config.json was written in; the weights' names follow it.
enum class ConfigFormat { MambaSsm, Transformers };

const char *archName(Arch a);

struct ModelConfig {
  Arch arch = Arch::Mamba1;
  ConfigFormat format = ConfigFormat::MambaSsm;

  int64_t dModel = 0;
  int64_t nLayer = 0;
  int64_t vocabSize = 0;
  int64_t padVocabSizeMultiple = 1;
  /// vocabSize rounded up to padVocabSizeMultiple: rows of the embedding and
  /// of lm_head, and the width of the logits.
  int64_t paddedVocabSize = 0;
  bool tieEmbeddings = true;
  /// Epsilon of every RMSNorm (block norms, norm_f and the gated norm).
  double normEps = 1e-5;
  bool residualInFp32 = true;

  int64_t dState = 0;
  int64_t dConv = 0;
  int64_t expand = 0;
  int64_t dInner = 0;
  /// conv1d has a bias.
  bool convBias = true;
  /// in_proj and out_proj have biases.
  bool bias = false;

  // Mamba-1 only.
  int64_t dtRank = 0;

  // Mamba-2 only.
  int64_t headdim = 0;
  int64_t ngroups = 0;
  int64_t nheads = 0;
  /// Channels that go through the SSM; equal to dInner (partial SSM with a
  /// gated-MLP branch is refused).
  int64_t dSsm = 0;
  int64_t chunkSize = 0;
  /// The gated RMSNorm (norm.weight) is present; otherwise z gates the scan.
  bool rmsnorm = true;
  bool normBeforeGate = false;
  /// D is per channel (dSsm) instead of per head.
  bool dHasHdim = false;
  double dtLimitLo = 0.0;
  double dtLimitHi = std::numeric_limits<double>::infinity();

  /// Mamba-1: dInner. Mamba-2: dSsm + 2 * ngroups * dState (x, B, C).
  int64_t convDim() const;
  /// Rows of in_proj.weight. Mamba-1: 2 * dInner. Mamba-2: z, xBC and dt.
  int64_t inProjDim() const;
};

/// Parses the text of a config.json; `source` names it in messages.
Result<ModelConfig> parseModelConfig(const std::string &jsonText,
                                     const std::string &source);

/// Reads `dir/config.json`.
Result<ModelConfig> loadModelConfig(const std::string &dir);

/// The config of a published checkpoint, by name: mamba-130m, mamba-370m,
/// mamba-790m, mamba-1.4b, mamba-2.8b, mamba2-130m, mamba2-370m,
/// mamba2-780m, mamba2-1.3b, mamba2-2.7b (a "state-spaces/" prefix is
/// accepted). Used to run models of those shapes with random weights.
Result<ModelConfig> publishedModelConfig(const std::string &name);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_MODELCONFIG_H
