//===- ModelConfig.cpp - Mamba model hyper-parameters ---------------------===//
//
// Defaults, per format:
//  - mamba_ssm: MambaConfig (models/config_mamba.py) and the Mamba / Mamba2
//    module signatures, from mamba-reference.md sections 2.1, 2.2 and 2.4.
//  - transformers: MambaConfig and Mamba2Config as of transformers 5.0
//    (src/transformers/models/mamba{,2}/configuration_mamba{,2}.py; the
//    defaults are unchanged since 4.44). Note that Mamba2Config's defaults
//    describe Mamba-Codestral, not mamba2-130m: n_groups 8, num_heads 128,
//    vocab_size 32768, hidden_size 4096, tie_word_embeddings false.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/ModelConfig.h"

#include "runtime/model/JsonUtil.h"
#include "runtime/model/MappedFile.h"

#include <cmath>
#include <set>
#include <vector>

namespace mamba {

const char *archName(Arch a) { return a == Arch::Mamba1 ? "Mamba1" : "Mamba2"; }

int64_t ModelConfig::convDim() const {
  return arch == Arch::Mamba1 ? dInner : dSsm + 2 * ngroups * dState;
}

int64_t ModelConfig::inProjDim() const {
  return arch == Arch::Mamba1 ? 2 * dInner
                              : dInner + convDim() + nheads; // z, xBC, dt
}

namespace {

/// Typed access to the keys of one JSON object. Remembers which keys were
/// read so that the mamba_ssm format can refuse the others, as
/// MambaConfig(**json) does.
class Fields {
public:
  Fields(const Json &obj, std::string source, std::string prefix)
      : obj_(obj), source_(std::move(source)), prefix_(std::move(prefix)) {}

  std::string path(const std::string &key) const { return prefix_ + key; }

  Error error(const std::string &key, const std::string &what) const {
    return Error(source_ + ": '" + path(key) + "' " + what);
  }

  /// The value of `key`, or null when absent. Marks it as known.
  const Json *find(const std::string &key) {
    known_.insert(key);
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }

  Result<int64_t> integer(const std::string &key, int64_t def) {
    const Json *v = find(key);
    if (!v)
      return def;
    std::optional<int64_t> i = jsonInt(*v);
    if (!i)
      return error(key, "must be an integer, not " + jsonTypeName(*v));
    return *i;
  }

  Result<bool> boolean(const std::string &key, bool def) {
    const Json *v = find(key);
    if (!v)
      return def;
    if (!v->is_boolean())
      return error(key, "must be true or false, not " + jsonTypeName(*v));
    return v->get<bool>();
  }

  Result<double> number(const std::string &key, double def) {
    const Json *v = find(key);
    if (!v)
      return def;
    std::optional<double> d = jsonNumber(*v);
    if (!d)
      return error(key, "must be a number, not " + jsonTypeName(*v));
    return *d;
  }

  Result<std::string> string(const std::string &key, const std::string &def) {
    const Json *v = find(key);
    if (!v)
      return def;
    if (!v->is_string())
      return error(key, "must be a string, not " + jsonTypeName(*v));
    return v->get<std::string>();
  }

  /// Marks keys that are accepted and deliberately ignored.
  void ignore(std::initializer_list<const char *> keys) {
    for (const char *k : keys)
      known_.insert(k);
  }

  /// The first key that was neither read nor ignored.
  std::optional<std::string> firstUnknownKey() const {
    for (auto it = obj_.begin(); it != obj_.end(); ++it)
      if (!known_.count(it.key()))
        return it.key();
    return std::nullopt;
  }

private:
  const Json &obj_;
  std::string source_;
  std::string prefix_;
  std::set<std::string> known_;
};

/// The key names a format uses, so that range errors name the key the user
/// has to edit.
struct KeyNames {
  std::string dModel, nLayer, vocabSize, padMultiple, dState, dConv, expand,
      headdim, ngroups, chunkSize, dtRank, eps;
};

const KeyNames mambaSsmKeys = {"d_model",         "n_layer",
                               "vocab_size",      "pad_vocab_size_multiple",
                               "ssm_cfg.d_state", "ssm_cfg.d_conv",
                               "ssm_cfg.expand",  "ssm_cfg.headdim",
                               "ssm_cfg.ngroups", "ssm_cfg.chunk_size",
                               "ssm_cfg.dt_rank", ""};

const KeyNames transformersKeys = {"hidden_size",    "num_hidden_layers",
                                   "vocab_size",     "pad_vocab_size_multiple",
                                   "state_size",     "conv_kernel",
                                   "expand",         "head_dim",
                                   "n_groups",       "chunk_size",
                                   "time_step_rank", "layer_norm_epsilon"};

Error keyError(const std::string &source, const std::string &key,
               const std::string &what) {
  return Error(source + ": '" + key + "' " + what);
}

Status requirePositive(const std::string &source, const std::string &key,
                       int64_t v) {
  if (v <= 0)
    return keyError(source, key, "must be positive, not " + std::to_string(v));
  return Status::success();
}

Status requireAtMost(const std::string &source, const std::string &key,
                     int64_t v, int64_t max) {
  if (v > max)
    return keyError(source, key,
                    "= " + std::to_string(v) +
                        " is implausibly large (the "
                        "limit is " +
                        std::to_string(max) + ")");
  return Status::success();
}

/// Reads a (lo, hi) dt clamp range.
Status readDtLimit(Fields &f, const std::string &key, ModelConfig &cfg) {
  const Json *v = f.find(key);
  if (!v)
    return Status::success();
  if (!v->is_array() || v->size() != 2)
    return f.error(
        key,
        "must be a list of two numbers [lo, hi], not " + jsonTypeName(*v) +
            (v->is_array() ? " of " + std::to_string(v->size()) + " elements"
                           : ""));
  std::optional<double> lo = jsonNumber((*v)[0]);
  std::optional<double> hi = jsonNumber((*v)[1]);
  if (!lo || !hi || std::isnan(*lo) || std::isnan(*hi))
    return f.error(key, "must be a list of two numbers [lo, hi]");
  if (*lo < 0 || !(*lo < *hi))
    return f.error(key, "must satisfy 0 <= lo < hi, not [" +
                            std::to_string(*lo) + ", " + std::to_string(*hi) +
                            "]");
  cfg.dtLimitLo = *lo;
  cfg.dtLimitHi = *hi;
  return Status::success();
}

/// Derived sizes and the checks common to both formats: positivity,
/// consistency, and what the kernels support.
Status finish(ModelConfig &cfg, const KeyNames &k, const std::string &source) {
  MAMBA_TRY(requirePositive(source, k.dModel, cfg.dModel));
  MAMBA_TRY(requirePositive(source, k.nLayer, cfg.nLayer));
  MAMBA_TRY(requirePositive(source, k.vocabSize, cfg.vocabSize));
  MAMBA_TRY(requirePositive(source, k.padMultiple, cfg.padVocabSizeMultiple));
  MAMBA_TRY(requirePositive(source, k.expand, cfg.expand));
  MAMBA_TRY(requirePositive(source, k.dState, cfg.dState));
  if (!(cfg.normEps > 0) || !std::isfinite(cfg.normEps))
    return keyError(source, k.eps,
                    "must be a positive finite number, not " +
                        std::to_string(cfg.normEps));

  // Bounds that keep every derived size (and later byte counts) far from
  // overflow; real models are orders of magnitude below them.
  const int64_t maxDim = int64_t(1) << 24;
  MAMBA_TRY(requireAtMost(source, k.dModel, cfg.dModel, maxDim));
  MAMBA_TRY(requireAtMost(source, k.nLayer, cfg.nLayer, 65536));
  MAMBA_TRY(
      requireAtMost(source, k.vocabSize, cfg.vocabSize, int64_t(1) << 31));
  MAMBA_TRY(
      requireAtMost(source, k.padMultiple, cfg.padVocabSizeMultiple, maxDim));
  MAMBA_TRY(requireAtMost(source, k.expand, cfg.expand, 64));

  cfg.paddedVocabSize = (cfg.vocabSize + cfg.padVocabSizeMultiple - 1) /
                        cfg.padVocabSizeMultiple * cfg.padVocabSizeMultiple;

  if (cfg.dState % 8 != 0 || cfg.dState < 8 || cfg.dState > 256)
    return keyError(source, k.dState,
                    "= " + std::to_string(cfg.dState) +
                        " is not supported: the kernels need a multiple of 8 "
                        "in [8, 256]");
  if (cfg.dConv < 2 || cfg.dConv > 4)
    return keyError(source, k.dConv,
                    "= " + std::to_string(cfg.dConv) +
                        " is not supported: the conv kernels need a width in "
                        "[2, 4]");

  if (cfg.arch == Arch::Mamba1) {
    MAMBA_TRY(requirePositive(source, k.dtRank, cfg.dtRank));
    if (cfg.dtRank > cfg.dInner)
      return keyError(source, k.dtRank,
                      "= " + std::to_string(cfg.dtRank) +
                          " is larger than d_inner (" +
                          std::to_string(cfg.dInner) + ")");
    return Status::success();
  }

  MAMBA_TRY(requirePositive(source, k.headdim, cfg.headdim));
  MAMBA_TRY(requirePositive(source, k.ngroups, cfg.ngroups));
  MAMBA_TRY(requirePositive(source, k.chunkSize, cfg.chunkSize));
  if (cfg.chunkSize < 16 || cfg.chunkSize > 1024 ||
      (cfg.chunkSize & (cfg.chunkSize - 1)) != 0)
    return keyError(source, k.chunkSize,
                    "= " + std::to_string(cfg.chunkSize) +
                        " is not supported: it must be a power of two in "
                        "[16, 1024]");
  if (cfg.headdim != 32 && cfg.headdim != 64 && cfg.headdim != 128)
    return keyError(source, k.headdim,
                    "= " + std::to_string(cfg.headdim) +
                        " is not supported: the kernels need 32, 64 or 128");
  if (cfg.dSsm % cfg.headdim != 0)
    return Error(source + ": d_inner (" + std::to_string(cfg.dSsm) +
                 ") is not a multiple of '" + k.headdim + "' (" +
                 std::to_string(cfg.headdim) + ")");
  cfg.nheads = cfg.dSsm / cfg.headdim;
  if (cfg.nheads % cfg.ngroups != 0)
    return Error(source + ": the number of heads (" +
                 std::to_string(cfg.nheads) + ") is not a multiple of '" +
                 k.ngroups + "' (" + std::to_string(cfg.ngroups) +
                 "): every group must serve the same number of heads");
  return Status::success();
}

/// Top-level keys of transformers' configs; named in the hint when one shows
/// up in a config without model_type.
bool isTransformersKey(const std::string &key) {
  static const std::set<std::string> keys = {
      "hidden_size",   "state_size",         "num_hidden_layers",
      "conv_kernel",   "layer_norm_epsilon", "time_step_rank",
      "num_heads",     "head_dim",           "n_groups",
      "use_bias",      "use_conv_bias",      "tie_word_embeddings",
      "architectures", "intermediate_size",  "transformers_version"};
  return keys.count(key) != 0;
}

Status readMambaSsmMixer(Fields &ssm, ModelConfig &cfg) {
  auto layer = ssm.string("layer", "Mamba1");
  MAMBA_TRY(layer);
  if (*layer == "Mamba3")
    return ssm.error("layer", "is \"Mamba3\": Mamba-3 layers are not "
                              "supported; only Mamba1 and Mamba2 run");
  if (*layer != "Mamba1" && *layer != "Mamba2")
    return ssm.error("layer", "is \"" + *layer +
                                  "\": expected \"Mamba1\" or \"Mamba2\"");
  cfg.arch = *layer == "Mamba1" ? Arch::Mamba1 : Arch::Mamba2;
  bool v1 = cfg.arch == Arch::Mamba1;

  auto dState = ssm.integer("d_state", v1 ? 16 : 128);
  auto dConv = ssm.integer("d_conv", 4);
  auto expand = ssm.integer("expand", 2);
  auto convBias = ssm.boolean("conv_bias", true);
  auto bias = ssm.boolean("bias", false);
  MAMBA_TRY(dState);
  MAMBA_TRY(dConv);
  MAMBA_TRY(expand);
  MAMBA_TRY(convBias);
  MAMBA_TRY(bias);
  cfg.dState = *dState;
  cfg.dConv = *dConv;
  cfg.expand = *expand;
  cfg.convBias = *convBias;
  cfg.bias = *bias;
  // Guarded so that a huge expand reports through finish(), not overflow.
  cfg.dInner =
      (cfg.expand > 0 && cfg.expand <= 64 && cfg.dModel <= (int64_t(1) << 24))
          ? cfg.expand * cfg.dModel
          : 0;

  if (v1) {
    // dt_rank is "auto" (ceil(d_model / 16)) or an integer.
    const Json *dtRank = ssm.find("dt_rank");
    if (!dtRank || (dtRank->is_string() && *dtRank == "auto")) {
      cfg.dtRank = (cfg.dModel + 15) / 16;
    } else if (std::optional<int64_t> r = jsonInt(*dtRank)) {
      cfg.dtRank = *r;
    } else {
      return ssm.error("dt_rank", "must be \"auto\" or an integer, not " +
                                      jsonTypeName(*dtRank));
    }
    // Initialisation-only parameters of Mamba.__init__.
    ssm.ignore({"dt_min", "dt_max", "dt_init", "dt_scale", "dt_init_floor",
                "use_fast_path"});
  } else {
    auto headdim = ssm.integer("headdim", 64);
    auto ngroups = ssm.integer("ngroups", 1);
    auto chunk = ssm.integer("chunk_size", 256);
    auto rmsnorm = ssm.boolean("rmsnorm", true);
    auto nbg = ssm.boolean("norm_before_gate", false);
    auto dHasHdim = ssm.boolean("D_has_hdim", false);
    MAMBA_TRY(headdim);
    MAMBA_TRY(ngroups);
    MAMBA_TRY(chunk);
    MAMBA_TRY(rmsnorm);
    MAMBA_TRY(nbg);
    MAMBA_TRY(dHasHdim);
    cfg.headdim = *headdim;
    cfg.ngroups = *ngroups;
    cfg.chunkSize = *chunk;
    cfg.rmsnorm = *rmsnorm;
    cfg.normBeforeGate = *nbg;
    cfg.dHasHdim = *dHasHdim;
    MAMBA_TRY(readDtLimit(ssm, "dt_limit", cfg));
    cfg.dSsm = cfg.dInner;
    // d_ssm: null (the Python default None) means d_inner.
    if (const Json *dSsm = ssm.find("d_ssm"); dSsm && !dSsm->is_null()) {
      std::optional<int64_t> v = jsonInt(*dSsm);
      if (!v)
        return ssm.error("d_ssm", "must be an integer or null, not " +
                                      jsonTypeName(*dSsm));
      if (*v != cfg.dInner)
        return ssm.error(
            "d_ssm", "= " + std::to_string(*v) + " differs from d_inner (" +
                         std::to_string(cfg.dInner) +
                         "): partial-SSM Mamba2 (with a gated-MLP branch) is "
                         "not supported; remove d_ssm");
    }
    // Initialisation- and training-only parameters of Mamba2.__init__.
    ssm.ignore({"conv_init", "A_init_range", "dt_min", "dt_max",
                "dt_init_floor", "use_mem_eff_path", "sequence_parallel"});
  }
  if (std::optional<std::string> k = ssm.firstUnknownKey())
    return ssm.error(*k, std::string("is not a parameter of ") +
                             archName(cfg.arch) +
                             " (mamba_ssm would refuse it too); remove it");
  return Status::success();
}

Result<ModelConfig> parseMambaSsm(const Json &root, const std::string &source) {
  ModelConfig cfg;
  cfg.format = ConfigFormat::MambaSsm;
  // norm_epsilon is not a MambaConfig field: MixerModel always uses 1e-5.
  cfg.normEps = 1e-5;
  Fields top(root, source, "");

  auto dModel = top.integer("d_model", 2560);
  auto dInter = top.integer("d_intermediate", 0);
  auto nLayer = top.integer("n_layer", 64);
  auto vocab = top.integer("vocab_size", 50277);
  auto rmsNorm = top.boolean("rms_norm", true);
  auto resid = top.boolean("residual_in_fp32", true);
  auto fused = top.boolean("fused_add_norm", true);
  auto padMul = top.integer("pad_vocab_size_multiple", 8);
  auto tie = top.boolean("tie_embeddings", true);
  MAMBA_TRY(dModel);
  MAMBA_TRY(dInter);
  MAMBA_TRY(nLayer);
  MAMBA_TRY(vocab);
  MAMBA_TRY(rmsNorm);
  MAMBA_TRY(resid);
  MAMBA_TRY(fused); // Fused or not, the math is the same.
  MAMBA_TRY(padMul);
  MAMBA_TRY(tie);
  cfg.dModel = *dModel;
  cfg.nLayer = *nLayer;
  cfg.vocabSize = *vocab;
  cfg.residualInFp32 = *resid;
  cfg.padVocabSizeMultiple = *padMul;
  cfg.tieEmbeddings = *tie;

  const Json *attnIdx = top.find("attn_layer_idx");
  const Json *attnCfg = top.find("attn_cfg");
  const Json *ssmCfg = top.find("ssm_cfg");
  if (std::optional<std::string> k = top.firstUnknownKey()) {
    std::string hint =
        isTransformersKey(*k)
            ? " (this looks like a transformers config: it needs \"model_type\""
              ": \"mamba\" or \"mamba2\")"
            : "";
    return top.error(*k, "is not a mamba_ssm MambaConfig field (mamba_ssm "
                         "would refuse it too); remove it" +
                             hint);
  }

  if (*dInter != 0)
    return top.error("d_intermediate",
                     "= " + std::to_string(*dInter) +
                         ": GatedMLP sub-blocks are not supported; only "
                         "d_intermediate = 0");
  if (!*rmsNorm)
    return top.error("rms_norm", "is false: LayerNorm models are not "
                                 "supported; only RMSNorm (rms_norm: true)");
  if (attnIdx) {
    if (!attnIdx->is_array())
      return top.error("attn_layer_idx",
                       "must be a list, not " + jsonTypeName(*attnIdx));
    if (!attnIdx->empty())
      return top.error("attn_layer_idx",
                       "= " + attnIdx->dump() +
                           ": hybrid attention layers are not supported; "
                           "only pure Mamba models run");
  }
  if (attnCfg && !attnCfg->is_object())
    return top.error("attn_cfg",
                     "must be an object, not " + jsonTypeName(*attnCfg));

  static const Json emptyObject = Json::object();
  if (ssmCfg && !ssmCfg->is_object())
    return top.error("ssm_cfg",
                     "must be an object, not " + jsonTypeName(*ssmCfg));
  Fields ssm(ssmCfg ? *ssmCfg : emptyObject, source, "ssm_cfg.");
  MAMBA_TRY(readMambaSsmMixer(ssm, cfg));
  MAMBA_TRY(finish(cfg, mambaSsmKeys, source));
  return cfg;
}

Result<ModelConfig> parseTransformers(const Json &root,
                                      const std::string &modelType,
                                      const std::string &source) {
  ModelConfig cfg;
  cfg.format = ConfigFormat::Transformers;
  cfg.arch = modelType == "mamba" ? Arch::Mamba1 : Arch::Mamba2;
  bool v1 = cfg.arch == Arch::Mamba1;
  // transformers passes unknown keys through to PretrainedConfig, so only the
  // keys that shape the model are read; the rest are ignored.
  Fields f(root, source, "");

  auto hidden = f.integer("hidden_size", v1 ? 768 : 4096);
  auto state = f.integer("state_size", v1 ? 16 : 128);
  auto layers = f.integer("num_hidden_layers", v1 ? 32 : 64);
  auto eps = f.number("layer_norm_epsilon", 1e-5);
  auto conv = f.integer("conv_kernel", 4);
  auto expand = f.integer("expand", 2);
  auto useBias = f.boolean("use_bias", false);
  auto convBias = f.boolean("use_conv_bias", true);
  auto vocab = f.integer("vocab_size", v1 ? 50280 : 32768);
  auto tie = f.boolean("tie_word_embeddings", v1);
  auto resid = f.boolean("residual_in_fp32", true);
  auto act = f.string("hidden_act", "silu");
  // Not a transformers key: transformers never pads the vocabulary.
  auto padMul = f.integer("pad_vocab_size_multiple", 1);
  MAMBA_TRY(hidden);
  MAMBA_TRY(state);
  MAMBA_TRY(layers);
  MAMBA_TRY(eps);
  MAMBA_TRY(conv);
  MAMBA_TRY(expand);
  MAMBA_TRY(useBias);
  MAMBA_TRY(convBias);
  MAMBA_TRY(vocab);
  MAMBA_TRY(tie);
  MAMBA_TRY(resid);
  MAMBA_TRY(act);
  MAMBA_TRY(padMul);
  if (*act != "silu")
    return f.error("hidden_act",
                   "is \"" + *act + "\": only \"silu\" is supported");
  cfg.dModel = *hidden;
  cfg.dState = *state;
  cfg.nLayer = *layers;
  cfg.normEps = *eps;
  cfg.dConv = *conv;
  cfg.expand = *expand;
  cfg.bias = *useBias;
  cfg.convBias = *convBias;
  cfg.vocabSize = *vocab;
  cfg.tieEmbeddings = *tie;
  cfg.residualInFp32 = *resid;
  cfg.padVocabSizeMultiple = *padMul;
  bool sizesSane =
      cfg.expand > 0 && cfg.expand <= 64 && cfg.dModel <= (int64_t(1) << 24);
  cfg.dInner = sizesSane ? cfg.expand * cfg.dModel : 0;

  if (v1) {
    // MambaConfig stores intermediate_size, and the saved value is what the
    // model is built with.
    auto inter = f.integer("intermediate_size", cfg.dInner);
    MAMBA_TRY(inter);
    if (sizesSane && *inter != cfg.dInner)
      return f.error("intermediate_size",
                     "= " + std::to_string(*inter) +
                         " differs from expand * hidden_size (" +
                         std::to_string(cfg.dInner) + ")");
    const Json *rank = f.find("time_step_rank");
    if (!rank || (rank->is_string() && *rank == "auto")) {
      cfg.dtRank = (cfg.dModel + 15) / 16;
    } else if (std::optional<int64_t> r = jsonInt(*rank)) {
      cfg.dtRank = *r;
    } else {
      return f.error("time_step_rank", "must be \"auto\" or an integer, not " +
                                           jsonTypeName(*rank));
    }
    MAMBA_TRY(finish(cfg, transformersKeys, source));
    return cfg;
  }

  auto heads = f.integer("num_heads", 128);
  auto headDim = f.integer("head_dim", 64);
  auto groups = f.integer("n_groups", 8);
  auto chunk = f.integer("chunk_size", 256);
  auto rms = f.boolean("rms_norm", true);
  // Not a Mamba2Config key (transformers always gates before the norm), but
  // honoured when a converted config carries it.
  auto nbg = f.boolean("norm_before_gate", false);
  MAMBA_TRY(heads);
  MAMBA_TRY(headDim);
  MAMBA_TRY(groups);
  MAMBA_TRY(chunk);
  MAMBA_TRY(rms);
  MAMBA_TRY(nbg);
  if (!*rms)
    return f.error("rms_norm", "is false: Mamba2 without the gated RMSNorm "
                               "is not supported in the transformers format");
  cfg.headdim = *headDim;
  cfg.ngroups = *groups;
  cfg.chunkSize = *chunk;
  cfg.rmsnorm = true;
  cfg.normBeforeGate = *nbg;
  cfg.dSsm = cfg.dInner;
  MAMBA_TRY(readDtLimit(f, "time_step_limit", cfg));
  MAMBA_TRY(finish(cfg, transformersKeys, source));
  if (*heads != cfg.nheads)
    return f.error("num_heads", "= " + std::to_string(*heads) +
                                    " but num_heads * head_dim "
                                    "must equal expand * hidden_size (" +
                                    std::to_string(cfg.dInner) +
                                    "), which needs " +
                                    std::to_string(cfg.nheads) + " heads of " +
                                    std::to_string(cfg.headdim));
  return cfg;
}

} // namespace

Result<ModelConfig> parseModelConfig(const std::string &jsonText,
                                     const std::string &source) {
  auto root = parseJson(jsonText, source);
  MAMBA_TRY(root);
  if (!root->is_object())
    return Error(source + ": expected a JSON object, not " +
                 jsonTypeName(*root));
  auto mt = root->find("model_type");
  if (mt == root->end())
    return parseMambaSsm(*root, source);
  if (!mt->is_string())
    return Error(source + ": 'model_type' must be a string, not " +
                 jsonTypeName(*mt));
  const std::string &type = mt->get_ref<const std::string &>();
  if (type != "mamba" && type != "mamba2")
    return Error(source + ": 'model_type' is \"" + type +
                 "\": only \"mamba\" and \"mamba2\" models are supported");
  return parseTransformers(*root, type, source);
}

Result<ModelConfig> loadModelConfig(const std::string &dir) {
  std::string path = dir + "/config.json";
  if (!isRegularFile(path))
    return Error(path + ": not found; a model directory needs a config.json "
                        "(mamba_ssm or transformers format)");
  auto text = readTextFile(path);
  MAMBA_TRY(text);
  return parseModelConfig(*text, path);
}

Result<ModelConfig> publishedModelConfig(const std::string &name) {
  std::string n = name;
  if (n.rfind("state-spaces/", 0) == 0)
    n = n.substr(13);
  // d_model and n_layer from the mamba_ssm README; everything else is the
  // module defaults, as in the published config.json files.
  static const struct {
    const char *name;
    int dModel, nLayer;
    bool mamba2;
  } kModels[] = {{"mamba-130m", 768, 24, false},  {"mamba-370m", 1024, 48, false},
                 {"mamba-790m", 1536, 48, false}, {"mamba-1.4b", 2048, 48, false},
                 {"mamba-2.8b", 2560, 64, false}, {"mamba2-130m", 768, 24, true},
                 {"mamba2-370m", 1024, 48, true}, {"mamba2-780m", 1536, 48, true},
                 {"mamba2-1.3b", 2048, 48, true}, {"mamba2-2.7b", 2560, 64, true}};
  std::string known;
  for (const auto &m : kModels) {
    known += std::string(known.empty() ? "" : ", ") + m.name;
    if (n != m.name)
      continue;
    std::string json =
        "{\"d_model\": " + std::to_string(m.dModel) +
        ", \"n_layer\": " + std::to_string(m.nLayer) +
        ", \"vocab_size\": 50277, \"ssm_cfg\": " +
        (m.mamba2 ? "{\"layer\": \"Mamba2\"}" : "{}") +
        ", \"rms_norm\": true, \"residual_in_fp32\": true, "
        "\"fused_add_norm\": true, \"pad_vocab_size_multiple\": " +
        (m.mamba2 ? "16" : "8") + "}";
    return parseModelConfig(json, n + " (built-in shape)");
  }
  return Error("unknown model shape '" + name + "'; known: " + known);
}

} // namespace mamba
