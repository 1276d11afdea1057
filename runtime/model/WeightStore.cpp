//===- WeightStore.cpp - a checkpoint's tensors by canonical name ---------===//

#include "runtime/model/WeightStore.h"

#include "runtime/model/SafeTensors.h"
#include "runtime/model/TorchCheckpoint.h"

#include <sys/stat.h>

namespace mamba {

namespace {
const char *const kEmbedding = "backbone.embedding.weight";
const char *const kTransformersEmbedding = "backbone.embeddings.weight";
} // namespace

std::vector<ExpectedTensor> expectedTensors(const ModelConfig &cfg) {
  std::vector<ExpectedTensor> out;
  auto add = [&](std::string name, std::vector<int64_t> shape,
                 bool alwaysF32 = false) {
    out.push_back({std::move(name), std::move(shape), alwaysF32, ""});
  };
  const int64_t d = cfg.dModel, di = cfg.dInner, n = cfg.dState;
  add(kEmbedding, {cfg.paddedVocabSize, d});
  for (int64_t i = 0; i < cfg.nLayer; ++i) {
    std::string l = "backbone.layers." + std::to_string(i) + ".";
    std::string m = l + "mixer.";
    add(l + "norm.weight", {d});
    add(m + "in_proj.weight", {cfg.inProjDim(), d});
    if (cfg.bias)
      add(m + "in_proj.bias", {cfg.inProjDim()});
    add(m + "conv1d.weight", {cfg.convDim(), 1, cfg.dConv});
    if (cfg.convBias)
      add(m + "conv1d.bias", {cfg.convDim()});
    if (cfg.arch == Arch::Mamba1) {
      add(m + "x_proj.weight", {cfg.dtRank + 2 * n, di});
      add(m + "dt_proj.weight", {di, cfg.dtRank});
      add(m + "dt_proj.bias", {di});
      add(m + "A_log", {di, n}, /*alwaysF32=*/true);
      add(m + "D", {di}, /*alwaysF32=*/true);
    } else {
      add(m + "dt_bias", {cfg.nheads});
      add(m + "A_log", {cfg.nheads});
      add(m + "D", {cfg.dHasHdim ? cfg.dSsm : cfg.nheads}, /*alwaysF32=*/true);
      if (cfg.rmsnorm)
        add(m + "norm.weight", {cfg.dSsm});
    }
    add(m + "out_proj.weight", {d, di});
    if (cfg.bias)
      add(m + "out_proj.bias", {d});
  }
  add("backbone.norm_f.weight", {d});
  add("lm_head.weight", {cfg.paddedVocabSize, d});
  if (cfg.tieEmbeddings)
    out.back().tiedTo = kEmbedding;
  return out;
}

Result<WeightStore> WeightStore::open(const std::string &dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return Error(dir + ": not a directory");
  std::string path;
  auto set = [&]() -> Result<TensorSet> {
    if (isRegularFile(path = dir + "/model.safetensors"))
      return readSafeTensors(path);
    if (isRegularFile(path = dir + "/model.safetensors.index.json"))
      return readSafeTensorsIndex(path);
    if (isRegularFile(path = dir + "/pytorch_model.bin"))
      return readTorchCheckpoint(path);
    return Error(dir + ": no weights found; looked for model.safetensors, "
                       "model.safetensors.index.json and pytorch_model.bin");
  }();
  MAMBA_TRY(set);
  WeightStore store;
  store.source_ = path;
  TensorSet s = set.take();
  store.files_ = std::move(s.files);

  bool hasTransformers = s.tensors.count(kTransformersEmbedding) != 0;
  if (hasTransformers && s.tensors.count(kEmbedding))
    return Error(store.source_ + ": holds both '" + kEmbedding + "' and '" +
                 kTransformersEmbedding + "'; which one is the embedding?");
  store.layout_ =
      hasTransformers ? WeightLayout::Transformers : WeightLayout::MambaSsm;
  for (auto &[name, view] : s.tensors)
    store.tensors_.emplace(name == kTransformersEmbedding ? kEmbedding : name,
                           std::move(view));
  return store;
}

std::string WeightStore::fileName(const std::string &canonical) const {
  if (layout_ == WeightLayout::Transformers && canonical == kEmbedding)
    return kTransformersEmbedding;
  return canonical;
}

std::vector<std::string> WeightStore::names() const {
  std::vector<std::string> out;
  for (const auto &[name, view] : tensors_)
    out.push_back(name);
  return out;
}

Result<TensorView> WeightStore::view(const std::string &name,
                                     const std::vector<int64_t> &shape) {
  auto it = tensors_.find(name);
  if (it == tensors_.end())
    return Error(source_ + ": missing tensor '" + fileName(name) +
                 "' (the config needs shape " + formatShape(shape) + ")");
  used_.insert(name);
  const TensorView &v = it->second;
  if (v.shape != shape)
    return Error(v.file + ": tensor '" + fileName(name) + "' has shape " +
                 formatShape(v.shape) + " but the config needs " +
                 formatShape(shape));
  return v;
}

Result<Tensor> WeightStore::get(const std::string &name,
                                const std::vector<int64_t> &shape,
                                DType dtype) {
  auto v = view(name, shape);
  MAMBA_TRY(v);
  return materialize(*v, dtype);
}

Status WeightStore::checkAllUsed() const {
  std::vector<std::string> unused;
  for (const auto &[name, view] : tensors_)
    if (!used_.count(name))
      unused.push_back(fileName(name));
  if (unused.empty())
    return Status::success();
  std::string list;
  const size_t shown = 10;
  for (size_t i = 0; i < unused.size() && i < shown; ++i)
    list += (i ? ", '" : "'") + unused[i] + "'";
  if (unused.size() > shown)
    list += " and " + std::to_string(unused.size() - shown) + " more";
  return Error(source_ + ": " + std::to_string(unused.size()) +
               (unused.size() == 1 ? " tensor" : " tensors") +
               " that the config does not use: " + list +
               "; does config.json belong to these weights?");
}

namespace {
/// Whether two views of the same shape hold the same values.
bool sameValues(const TensorView &a, const TensorView &b) {
  if (a.data == b.data && a.strides == b.strides && a.dtype == b.dtype)
    return true;
  auto ma = materialize(a, DType::F32);
  auto mb = materialize(b, DType::F32);
  return ma && mb && ma->bytes == mb->bytes;
}
} // namespace

Result<std::map<std::string, Tensor>>
loadWeights(WeightStore &store, const ModelConfig &cfg, DType modelDType,
            const ProgressCallback &progress) {
  if (!isFloat(modelDType))
    return Error(std::string("the model dtype must be f32, f16 or bf16, not ") +
                 dtypeName(modelDType));
  std::map<std::string, Tensor> out;
  std::vector<ExpectedTensor> expected = expectedTensors(cfg);
  int64_t done = 0, total = int64_t(expected.size());
  for (const ExpectedTensor &e : expected) {
    if (progress)
      progress({"reading weights", done++, total});
    if (!e.tiedTo.empty()) {
      // mamba_ssm stores the tied head (sharing the embedding's storage);
      // transformers leaves it out.
      if (!store.contains(e.name))
        continue;
      auto head = store.view(e.name, e.shape);
      MAMBA_TRY(head);
      auto emb = store.view(e.tiedTo, e.shape);
      MAMBA_TRY(emb);
      if (!sameValues(*head, *emb))
        return Error(store.source() + ": '" + e.name + "' differs from '" +
                     e.tiedTo +
                     "', but the config ties them (tie_embeddings / "
                     "tie_word_embeddings is true)");
      continue;
    }
    auto t = store.get(e.name, e.shape, runtimeDType(e, modelDType));
    MAMBA_TRY(t);
    out.emplace(e.name, t.take());
  }
  if (progress)
    progress({"reading weights", total, total});
  MAMBA_TRY(store.checkAllUsed());
  return out;
}

} // namespace mamba
