//===- OpSpecs.cpp - one mamba op as MLIR text ----------------------------===//

#include "frontend/OpSpecs.h"

#include <sstream>
#include <vector>

using namespace mamba;

std::string mamba::mlirType(DType t) { return dtypeName(t); }

std::string mamba::tileLabel(const std::string &tile) {
  return tile.empty() ? "" : " [" + tile + "]";
}

namespace {

/// Accumulates the pieces of `func.func @kernel(...) { op; return }`.
class OpText {
public:
  /// Adds a function argument and returns its SSA name.
  std::string arg(const std::string &name, const std::string &type) {
    args_.push_back({name, type});
    operandTypes_.push_back(type);
    return "%" + name;
  }
  /// A mandatory operand.
  void operand(const std::string &name, const std::string &type) {
    operands_ += (operands_.empty() ? "" : ", ") + arg(name, type);
  }
  /// An optional operand printed as `keyword(%name)`.
  void optional(bool present, const std::string &keyword,
                const std::string &type) {
    if (present)
      optionals_ += " " + keyword + "(" + arg(keyword, type) + ")";
  }
  void result(const std::string &type) { results_.push_back(type); }
  void attr(const std::string &text) {
    attrs_ += (attrs_.empty() ? "" : ", ") + text;
  }
  void tile(const std::string &t) {
    if (!t.empty())
      attr("tile = #mamba.tile<" + t + ">");
  }

  std::string str(const std::string &opName, const std::string &func) const {
    std::ostringstream os;
    os << "func.func @" << func << "(";
    for (size_t i = 0; i < args_.size(); ++i)
      os << (i ? ", " : "") << "%" << args_[i].first << ": " << args_[i].second;
    os << ") -> (";
    for (size_t i = 0; i < results_.size(); ++i)
      os << (i ? ", " : "") << results_[i];
    os << ") {\n  ";
    for (size_t i = 0; i < results_.size(); ++i)
      os << (i ? ", " : "") << "%r" << i;
    os << " = " << opName << " " << operands_ << optionals_;
    if (!attrs_.empty())
      os << " {" << attrs_ << "}";
    os << " : (";
    for (size_t i = 0; i < operandTypes_.size(); ++i)
      os << (i ? ", " : "") << operandTypes_[i];
    os << ") -> ";
    if (results_.size() == 1) {
      os << results_[0];
    } else {
      os << "(";
      for (size_t i = 0; i < results_.size(); ++i)
        os << (i ? ", " : "") << results_[i];
      os << ")";
    }
    // Returning the results keeps the (pure) op alive through canonicalize.
    os << "\n  return ";
    for (size_t i = 0; i < results_.size(); ++i)
      os << (i ? ", " : "") << "%r" << i;
    os << " : ";
    for (size_t i = 0; i < results_.size(); ++i)
      os << (i ? ", " : "") << results_[i];
    os << "\n}\n";
    return os.str();
  }

private:
  std::vector<std::pair<std::string, std::string>> args_;
  std::vector<std::string> operandTypes_;
  std::vector<std::string> results_;
  std::string operands_, optionals_, attrs_;
};

std::string tensor(const std::string &shape, DType t) {
  return "tensor<" + shape + "x" + mlirType(t) + ">";
}
std::string dims(std::initializer_list<std::string> parts) {
  std::string s;
  for (const std::string &p : parts)
    s += (s.empty() ? "" : "x") + p;
  return s;
}
std::string n(int64_t v) { return std::to_string(v); }

std::string dtLimitAttrs(OpText &t, double lo, double hi) {
  std::ostringstream os;
  if (lo > 0.0) {
    os.precision(17);
    os << "dt_min = " << std::scientific << lo << " : f64";
    t.attr(os.str());
  }
  if (hi >= 0.0) {
    std::ostringstream h;
    h.precision(17);
    h << "dt_max = " << std::scientific << hi << " : f64";
    t.attr(h.str());
  }
  return "";
}

} // namespace

std::string mamba::toMlir(const SelectiveScanSpec &s, const std::string &func) {
  OpText t;
  std::string act = tensor(dims({"?", n(s.channels), "?"}), s.dtype);
  std::string bc = tensor(dims({"?", n(s.groups), n(s.dstate), "?"}), s.dtype);
  std::string cst = tensor(dims({n(s.channels), n(s.dstate)}), DType::F32);
  std::string vec = tensor(n(s.channels), DType::F32);
  std::string st = tensor(dims({"?", n(s.channels), n(s.dstate)}), DType::F32);
  t.operand("u", act);
  t.operand("delta", act);
  t.operand("A", cst);
  t.operand("B", s.constantB ? cst : bc);
  t.operand("C", s.constantC ? cst : bc);
  t.optional(s.hasD, "D", vec);
  t.optional(s.hasZ, "z", act);
  t.optional(s.hasDeltaBias, "delta_bias", vec);
  t.optional(s.initialState, "initial_state", st);
  t.optional(s.packed, "cu_seqlens", tensor("?", DType::I32));
  if (s.softplus)
    t.attr("delta_softplus");
  t.tile(s.tile);
  t.result(act);
  if (s.lastState)
    t.result(st);
  return t.str("mamba.selective_scan", func);
}

std::string mamba::toMlir(const SsdSpec &s, const std::string &func) {
  OpText t;
  std::string x = tensor(dims({"?", "?", n(s.heads), n(s.headdim)}), s.dtype);
  std::string bc = tensor(dims({"?", "?", n(s.groups), n(s.dstate)}), s.dtype);
  std::string st =
      tensor(dims({"?", n(s.heads), n(s.headdim), n(s.dstate)}), DType::F32);
  t.operand("x", x);
  t.operand("dt", tensor(dims({"?", "?", n(s.heads)}), s.dtype));
  t.operand("A", tensor(n(s.heads), DType::F32));
  t.operand("B", bc);
  t.operand("C", bc);
  t.optional(
      s.hasD, "D",
      tensor(s.dPerChannel ? dims({n(s.heads), n(s.headdim)}) : n(s.heads),
             DType::F32));
  t.optional(s.hasZ, "z", x);
  t.optional(s.hasDtBias, "dt_bias", tensor(n(s.heads), DType::F32));
  t.optional(s.initialStates, "initial_states", st);
  t.optional(s.seqIdx, "seq_idx", tensor(dims({"?", "?"}), DType::I32));
  t.optional(s.packed, "cu_seqlens", tensor("?", DType::I32));
  t.attr("chunk_size = " + n(s.chunkSize) + " : i64");
  if (s.softplus)
    t.attr("dt_softplus");
  dtLimitAttrs(t, s.dtMin, s.dtMax);
  t.tile(s.tile);
  t.result(x);
  if (s.finalStates)
    t.result(st);
  return t.str("mamba.ssd", func);
}

std::string mamba::toMlir(const CausalConv1dSpec &s, const std::string &func) {
  OpText t;
  std::string x = tensor(s.channelLast ? dims({"?", "?", n(s.channels)})
                                       : dims({"?", n(s.channels), "?"}),
                         s.dtype);
  std::string st = tensor(dims({"?", n(s.channels), n(s.width - 1)}), s.dtype);
  t.operand("x", x);
  t.operand("weight", tensor(dims({n(s.channels), n(s.width)}), s.wtype));
  t.optional(s.hasBias, "bias", tensor(n(s.channels), s.wtype));
  t.optional(s.initialStates, "initial_states", st);
  t.optional(s.seqIdx, "seq_idx", tensor(dims({"?", "?"}), DType::I32));
  t.optional(s.packed, "cu_seqlens", tensor("?", DType::I32));
  if (s.channelLast)
    t.attr("layout = #mamba<layout channel_last>");
  if (s.silu)
    t.attr("activation = #mamba<activation silu>");
  t.tile(s.tile);
  t.result(x);
  if (s.finalStates)
    t.result(st);
  return t.str("mamba.causal_conv1d", func);
}

std::string mamba::toMlir(const CausalConv1dUpdateSpec &s,
                          const std::string &func) {
  OpText t;
  std::string x = tensor(dims({"?", n(s.channels)}), s.dtype);
  std::string st = tensor(dims({"?", n(s.channels), n(s.stateLen)}), s.dtype);
  t.operand("x", x);
  t.operand("conv_state", st);
  t.operand("weight", tensor(dims({n(s.channels), n(s.width)}), s.wtype));
  t.optional(s.hasBias, "bias", tensor(n(s.channels), s.wtype));
  t.optional(s.stateIndices, "state_indices", tensor("?", DType::I32));
  if (s.silu)
    t.attr("activation = #mamba<activation silu>");
  t.tile(s.tile);
  t.result(x);
  t.result(st);
  return t.str("mamba.causal_conv1d_update", func);
}

std::string mamba::toMlir(const SelectiveStateUpdateSpec &s,
                          const std::string &func) {
  OpText t;
  std::string x, state, dt, a, d, bias;
  std::string bc = tensor(dims({"?", n(s.groups), n(s.dstate)}), s.dtype);
  if (s.headForm) {
    x = tensor(dims({"?", n(s.heads), n(s.headdim)}), s.dtype);
    state =
        tensor(dims({"?", n(s.heads), n(s.headdim), n(s.dstate)}), s.stateType);
    dt = tensor(dims({"?", n(s.heads)}), s.dtype);
    a = tensor(n(s.heads), DType::F32);
    d = tensor(s.dPerChannel ? dims({n(s.heads), n(s.headdim)}) : n(s.heads),
               DType::F32);
    bias = tensor(n(s.heads), DType::F32);
  } else {
    x = tensor(dims({"?", n(s.headdim)}), s.dtype);
    state = tensor(dims({"?", n(s.headdim), n(s.dstate)}), s.stateType);
    dt = s.dtRank > 0 ? tensor(dims({"?", n(s.dtRank)}), s.dtype) : x;
    a = tensor(dims({n(s.headdim), n(s.dstate)}), DType::F32);
    d = tensor(n(s.headdim), DType::F32);
    bias = d;
  }
  t.operand("state", state);
  t.operand("x", x);
  t.operand("dt", dt);
  t.operand("A", a);
  t.operand("B", bc);
  t.operand("C", bc);
  t.optional(s.hasD, "D", d);
  t.optional(s.hasZ, "z", x);
  t.optional(s.hasDtBias, "dt_bias", bias);
  t.optional(s.stateIndices, "state_indices", tensor("?", DType::I32));
  t.optional(!s.headForm && s.dtRank > 0, "dt_proj",
             tensor(dims({n(s.headdim), n(s.dtRank)}), s.dtype));
  if (s.softplus)
    t.attr("dt_softplus");
  dtLimitAttrs(t, s.dtMin, s.dtMax);
  t.tile(s.tile);
  t.result(x);
  t.result(state);
  return t.str("mamba.selective_state_update", func);
}

std::string mamba::toMlir(const ConvStateUpdateSpec &s,
                          const std::string &func) {
  OpText t;
  int64_t dc = s.convDim(), gn = s.groups * s.dstate;
  std::string cs = tensor(dims({"?", n(dc), n(s.stateLen)}), s.dtype);
  std::string state =
      tensor(dims({"?", n(s.heads), n(s.headdim), n(s.dstate)}), s.stateType);
  std::string out = tensor(dims({"?", n(s.heads), n(s.headdim)}), s.dtype);
  t.operand("x", tensor(dims({"?", n(dc)}), s.dtype));
  t.operand("conv_state", cs);
  t.operand("conv_weight", tensor(dims({n(dc), n(s.width)}), s.wtype));
  t.operand("state", state);
  t.operand("dt", tensor(dims({"?", n(s.heads)}), s.dtype));
  t.operand("A", tensor(n(s.heads), DType::F32));
  t.optional(s.convBias, "conv_bias", tensor(n(dc), s.wtype));
  t.optional(
      s.hasD, "D",
      tensor(s.dPerChannel ? dims({n(s.heads), n(s.headdim)}) : n(s.heads),
             DType::F32));
  t.optional(s.hasZ, "z", out);
  t.optional(s.hasDtBias, "dt_bias", tensor(n(s.heads), DType::F32));
  t.optional(s.stateIndices, "state_indices", tensor("?", DType::I32));
  t.attr("x_offset = 0 : i64");
  t.attr("b_offset = " + n(s.heads * s.headdim) + " : i64");
  t.attr("c_offset = " + n(s.heads * s.headdim + gn) + " : i64");
  t.attr("ngroups = " + n(s.groups) + " : i64");
  if (s.softplus)
    t.attr("dt_softplus");
  dtLimitAttrs(t, s.dtMin, s.dtMax);
  t.tile(s.tile);
  t.result(out);
  t.result(state);
  t.result(cs);
  return t.str("mamba.conv_state_update", func);
}

std::string mamba::toMlir(const RmsNormSpec &s, const std::string &func) {
  OpText t;
  std::string x = tensor(dims({"?", n(s.cols)}), s.dtype);
  std::string r = tensor(dims({"?", n(s.cols)}), s.residualType);
  t.operand("x", x);
  t.operand("weight", tensor(n(s.cols), s.wtype));
  t.optional(s.residual, "residual", r);
  t.tile(s.tile);
  t.result(x);
  if (s.residualOut)
    t.result(r);
  return t.str("mamba.rms_norm", func);
}

std::string mamba::toMlir(const GatedRmsNormSpec &s, const std::string &func) {
  OpText t;
  std::string x = tensor(dims({"?", n(s.cols)}), s.dtype);
  t.operand("x", x);
  t.operand("weight", tensor(n(s.cols), s.wtype));
  t.optional(s.hasZ, "z", x);
  if (s.groupSize)
    t.attr("group_size = " + n(s.groupSize) + " : i64");
  if (s.normBeforeGate)
    t.attr("norm_before_gate = true");
  t.tile(s.tile);
  t.result(x);
  return t.str("mamba.gated_rms_norm", func);
}

std::string mamba::toMlir(const ArgmaxSpec &s, const std::string &func) {
  OpText t;
  t.operand("x", tensor(dims({"?", s.cols ? n(s.cols) : "?"}), s.dtype));
  t.tile(s.tile);
  t.result(tensor("?", DType::I32));
  return t.str("mamba.argmax", func);
}
