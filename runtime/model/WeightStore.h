//===- WeightStore.h - a checkpoint's tensors by canonical name -*- C++ -*-===//
//
// Opens the weights of a model directory, whichever file they are in, and
// hands them out under mamba_ssm's state_dict names with their shapes checked
// against the config. transformers checkpoints differ only in the embedding's
// name (backbone.embeddings.weight) and in leaving out a tied lm_head.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_WEIGHTSTORE_H
#define MAMBA_RUNTIME_MODEL_WEIGHTSTORE_H

#include "runtime/DType.h"
#include "runtime/Progress.h"
#include "runtime/Result.h"
#include "runtime/model/ModelConfig.h"
#include "runtime/model/Tensor.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace mamba {

/// One parameter of the model, under its mamba_ssm name.
struct ExpectedTensor {
  std::string name;
  std::vector<int64_t> shape;
  /// mamba_ssm keeps it in f32 whatever the model dtype (Mamba-1 A_log and D,
  /// Mamba-2 D); everything else takes the model dtype, rounding included.
  bool alwaysF32 = false;
  /// Set on lm_head.weight when the config ties it to the embedding: it is
  /// the embedding's name.
  std::string tiedTo;
};

/// Every parameter of `cfg`'s MambaLMHeadModel, in state_dict order
/// (mamba-reference.md sections 2.1 to 2.3), optional biases included when
/// the config turns them on.
std::vector<ExpectedTensor> expectedTensors(const ModelConfig &cfg);

/// The element type `t` has at run time in a model of `modelDType`.
inline DType runtimeDType(const ExpectedTensor &t, DType modelDType) {
  return t.alwaysF32 ? DType::F32 : modelDType;
}

/// How the checkpoint names its tensors.
enum class WeightLayout { MambaSsm, Transformers };

class WeightStore {
public:
  /// Opens `dir`'s weights: model.safetensors, else the sharded
  /// model.safetensors.index.json, else pytorch_model.bin.
  static Result<WeightStore> open(const std::string &dir);

  WeightLayout layout() const { return layout_; }
  /// The file the weights were read from (the index when sharded).
  const std::string &source() const { return source_; }
  /// Canonical names of every tensor in the checkpoint.
  std::vector<std::string> names() const;
  bool contains(const std::string &name) const {
    return tensors_.count(name) != 0;
  }

  /// The tensor called `name` (canonical), which must have `shape`. Marks it
  /// as used.
  Result<TensorView> view(const std::string &name,
                          const std::vector<int64_t> &shape);
  /// view(), copied into a contiguous tensor of float type `dtype`.
  Result<Tensor> get(const std::string &name, const std::vector<int64_t> &shape,
                     DType dtype);
  /// An error naming every tensor that neither view() nor get() has used.
  Status checkAllUsed() const;

private:
  /// The name `canonical` has in the file, for messages.
  std::string fileName(const std::string &canonical) const;

  std::string source_;
  WeightLayout layout_ = WeightLayout::MambaSsm;
  std::map<std::string, TensorView> tensors_;
  std::vector<std::shared_ptr<const MappedFile>> files_;
  std::set<std::string> used_;
};

/// Loads every tensor of `cfg` from `store`, each in its runtime dtype for a
/// model of float type `modelDType`, and then refuses a checkpoint with
/// tensors the config does not use. A tied lm_head is not copied: it is left
/// out of the result (use backbone.embedding.weight), and where the
/// checkpoint stores it anyway it must equal the embedding. `progress`, when
/// set, hears of every tensor read ("reading weights").
Result<std::map<std::string, Tensor>>
loadWeights(WeightStore &store, const ModelConfig &cfg, DType modelDType,
            const ProgressCallback &progress = {});

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_WEIGHTSTORE_H
