//===- MambaOps.cpp - verifiers and helpers of the mamba ops --------------===//
//
// Every verifier rule states what it expects and what it got, in the words of
// ../shared/docs/mamba-reference.md ("expects d_state <= 256, got 512"), so a
// user can act on the message without reading this file.
//
//===----------------------------------------------------------------------===//

#include "dialect/MambaOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <string>

using namespace mlir;
using namespace mlir::mamba;

#define GET_OP_CLASSES
#include "dialect/MambaOps.cpp.inc"

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

std::string dimStr(int64_t d) {
  return d == kDyn ? std::string("?") : std::to_string(d);
}

std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += dimStr(shape[i]);
  }
  return s + ")";
}

bool compatible(int64_t a, int64_t b) {
  return a == kDyn || b == kDyn || a == b;
}

/// A named dimension of an expected shape: label (for the message) and the
/// value it must have (kDyn when unconstrained so far).
struct Dim {
  StringRef label;
  int64_t value;
};

/// Collects the verifier checks of one op; each check emits the diagnostic
/// itself and returns failure.
class Checker {
public:
  explicit Checker(Operation *op) : op(op) {}

  /// `name` must have exactly the dims `dims`; dynamic dims match anything.
  LogicalResult shape(StringRef name, Value v, ArrayRef<Dim> dims) {
    auto type = cast<RankedTensorType>(v.getType());
    std::string expected = "(";
    std::string values = "(";
    for (size_t i = 0; i < dims.size(); ++i) {
      if (i) {
        expected += ", ";
        values += ", ";
      }
      expected += dims[i].label.str();
      values += dimStr(dims[i].value);
    }
    expected += ")";
    values += ")";
    if (type.getRank() != static_cast<int64_t>(dims.size()))
      return op->emitOpError()
             << "expects '" << name << "' of rank " << dims.size() << " "
             << expected << ", got rank " << type.getRank() << " "
             << shapeStr(type.getShape());
    for (size_t i = 0; i < dims.size(); ++i)
      if (!compatible(type.getDimSize(i), dims[i].value))
        return op->emitOpError()
               << "expects '" << name << "' of shape " << expected << " = "
               << values << ", got " << shapeStr(type.getShape()) << " (dim "
               << i << ", " << dims[i].label << ", differs)";
    return success();
  }

  LogicalResult rank(StringRef name, Value v, int64_t r, StringRef dims) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != r)
      return op->emitOpError()
             << "expects '" << name << "' of rank " << r << " " << dims
             << ", got rank " << type.getRank();
    return success();
  }

  LogicalResult elementType(StringRef name, Value v, Type expected,
                            StringRef why) {
    Type got = getElementTypeOrSelf(v.getType());
    if (got != expected)
      return op->emitOpError() << "expects '" << name << "' element type "
                               << expected << " (" << why << "), got " << got;
    return success();
  }

  LogicalResult sameType(StringRef name, Value v, StringRef refName,
                         Value ref) {
    if (v.getType() != ref.getType())
      return op->emitOpError()
             << "expects '" << name << "' to have the type of '" << refName
             << "' (" << ref.getType() << "), got " << v.getType();
    return success();
  }

  /// A dimension a kernel is specialised on must be known at compile time.
  LogicalResult isStatic(StringRef what, int64_t value) {
    if (value == kDyn)
      return op->emitOpError() << "expects " << what
                               << " to be static (kernels are specialised on "
                                  "it), got '?'";
    return success();
  }

  LogicalResult dState(int64_t n) {
    if (failed(isStatic("d_state", n)))
      return failure();
    if (n > 256)
      return op->emitOpError() << "expects d_state <= 256, got " << n;
    if (n < 8 || n % 8 != 0)
      return op->emitOpError()
             << "expects d_state to be a multiple of 8 in [8, 256], got " << n;
    return success();
  }

  LogicalResult headDim(int64_t p) {
    if (failed(isStatic("headdim", p)))
      return failure();
    if (p != 32 && p != 64 && p != 128)
      return op->emitOpError() << "expects headdim in {32, 64, 128}, got " << p;
    return success();
  }

  LogicalResult convWidth(int64_t w) {
    if (failed(isStatic("d_conv (weight dim 1)", w)))
      return failure();
    if (w < 2 || w > 4)
      return op->emitOpError()
             << "expects d_conv (weight dim 1) in [2, 4], got " << w;
    return success();
  }

  /// `groups` must be static, >= 1, and divide `total` (when static).
  LogicalResult groups(int64_t groups, int64_t total, StringRef totalName) {
    if (failed(isStatic("ngroups", groups)))
      return failure();
    if (groups < 1)
      return op->emitOpError() << "expects ngroups >= 1, got " << groups;
    if (total != kDyn && total % groups != 0)
      return op->emitOpError()
             << "expects ngroups (" << groups << ") to divide " << totalName
             << " (" << total << ")";
    return success();
  }

  LogicalResult dtLimits(double lo, double hi) {
    if (!(lo >= 0.0))
      return op->emitOpError() << "expects dt_min >= 0, got " << lo;
    if (!(lo <= hi))
      return op->emitOpError()
             << "expects dt_min <= dt_max, got dt_min = " << lo
             << " and dt_max = " << hi;
    return success();
  }

private:
  Operation *op;
};

int64_t dimOf(Value v, int64_t i) {
  return cast<RankedTensorType>(v.getType()).getDimSize(i);
}

/// The first static value among `values`, else kDyn. Used to pin a size that
/// several operands share before checking each of them against it.
int64_t firstStatic(std::initializer_list<int64_t> values) {
  for (int64_t v : values)
    if (v != kDyn)
      return v;
  return kDyn;
}

Type f32(Operation *op) { return Float32Type::get(op->getContext()); }

/// The rules of the packed form (`cu_seqlens`, (S+1) i32): one batch row,
/// no `seq_idx`. Sets `states` to the leading dim of the state operands and
/// results: S with cu_seqlens, else Bt.
LogicalResult verifyPacked(Operation *op, Value cuSeqlens, Value seqIdx,
                           int64_t bt, int64_t &states) {
  states = bt;
  if (!cuSeqlens)
    return success();
  auto type = cast<RankedTensorType>(cuSeqlens.getType());
  if (type.getRank() != 1)
    return op->emitOpError()
           << "expects 'cu_seqlens' of rank 1 (S+1), got rank "
           << type.getRank();
  if (seqIdx)
    return op->emitOpError()
           << "expects at most one of 'seq_idx' and 'cu_seqlens'";
  if (!compatible(bt, 1))
    return op->emitOpError() << "expects Bt = 1 with 'cu_seqlens' (the "
                                "sequences are packed in one row), got "
                             << bt;
  int64_t n = type.getDimSize(0);
  if (n != kDyn && n < 1)
    return op->emitOpError()
           << "expects 'cu_seqlens' of at least 1 entry (S+1), got " << n;
  states = n == kDyn ? kDyn : n - 1;
  return success();
}

} // namespace

// A statement, so that `if (...) CHECK(a); else CHECK(b);` binds as written.
#define CHECK(expr)                                                            \
  do {                                                                         \
    if (failed(expr))                                                          \
      return failure();                                                        \
  } while (false)

//===----------------------------------------------------------------------===//
// CausalConv1dOp
//===----------------------------------------------------------------------===//

int64_t CausalConv1dOp::getWidth() { return dimOf(getWeight(), 1); }

LogicalResult CausalConv1dOp::verify() {
  Checker c(*this);
  CHECK(c.rank("x", getX(), 3,
               isChannelLast() ? "(Bt, L, D) for layout channel_last"
                               : "(Bt, D, L) for layout channel_first"));
  int64_t bt = dimOf(getX(), 0);
  int64_t d = dimOf(getX(), isChannelLast() ? 2 : 1);
  int64_t l = dimOf(getX(), isChannelLast() ? 1 : 2);
  CHECK(c.rank("weight", getWeight(), 2, "(D, W)"));
  d = firstStatic({d, dimOf(getWeight(), 0)});
  int64_t w = getWidth();
  CHECK(c.convWidth(w));
  CHECK(c.shape("weight", getWeight(), {{"D", d}, {"W", w}}));
  if (getBias()) {
    CHECK(c.shape("bias", getBias(), {{"D", d}}));
    CHECK(c.elementType("bias", getBias(),
                        getElementTypeOrSelf(getWeight().getType()),
                        "the weight's element type"));
  }
  Type itype = getElementTypeOrSelf(getX().getType());
  int64_t s;
  CHECK(verifyPacked(*this, getCuSeqlens(), getSeqIdx(), bt, s));
  StringRef sLabel = getCuSeqlens() ? "S" : "Bt";
  if (getInitialStates()) {
    CHECK(c.shape("initial_states", getInitialStates(),
                  {{sLabel, s}, {"D", d}, {"W-1", w - 1}}));
    CHECK(c.elementType("initial_states", getInitialStates(), itype,
                        "the element type of x"));
  }
  if (getSeqIdx())
    CHECK(c.shape("seq_idx", getSeqIdx(), {{"Bt", bt}, {"L", l}}));
  CHECK(c.sameType("out", getOut(), "x", getX()));
  if (getFinalStates()) {
    CHECK(c.shape("final_states", getFinalStates(),
                  {{sLabel, s}, {"D", d}, {"W-1", w - 1}}));
    CHECK(c.elementType("final_states", getFinalStates(), itype,
                        "the element type of x"));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// CausalConv1dUpdateOp
//===----------------------------------------------------------------------===//

int64_t CausalConv1dUpdateOp::getWidth() { return dimOf(getWeight(), 1); }

LogicalResult CausalConv1dUpdateOp::verify() {
  Checker c(*this);
  CHECK(c.rank("x", getX(), 2, "(Bt, D)"));
  int64_t bt = dimOf(getX(), 0);
  CHECK(c.rank("weight", getWeight(), 2, "(D, W)"));
  int64_t w = getWidth();
  CHECK(c.convWidth(w));
  int64_t d = firstStatic({dimOf(getX(), 1), dimOf(getWeight(), 0)});
  CHECK(c.shape("weight", getWeight(), {{"D", d}, {"W", w}}));
  CHECK(c.rank("conv_state", getConvState(), 3, "(S, D, K)"));
  int64_t k = dimOf(getConvState(), 2);
  CHECK(c.shape("conv_state", getConvState(),
                {{"S", getStateIndices() ? kDyn : bt}, {"D", d}, {"K", k}}));
  if (k != kDyn && k < w - 1)
    return emitOpError() << "expects conv_state length K >= d_conv - 1 = "
                         << w - 1 << ", got " << k;
  CHECK(c.elementType("conv_state", getConvState(),
                      getElementTypeOrSelf(getX().getType()),
                      "the element type of x"));
  if (getBias()) {
    CHECK(c.shape("bias", getBias(), {{"D", d}}));
    CHECK(c.elementType("bias", getBias(),
                        getElementTypeOrSelf(getWeight().getType()),
                        "the weight's element type"));
  }
  if (getStateIndices())
    CHECK(c.shape("state_indices", getStateIndices(), {{"Bt", bt}}));
  CHECK(c.sameType("out", getOut(), "x", getX()));
  CHECK(c.sameType("new_state", getNewState(), "conv_state", getConvState()));
  return success();
}

//===----------------------------------------------------------------------===//
// SelectiveScanOp
//===----------------------------------------------------------------------===//

int64_t SelectiveScanOp::getDState() { return dimOf(getA(), 1); }
int64_t SelectiveScanOp::getNumChannels() {
  return firstStatic({dimOf(getU(), 1), dimOf(getA(), 0)});
}
int64_t SelectiveScanOp::getNumGroups() {
  if (!isVariableB())
    return 1;
  return getB().getType().getRank() == 3 ? 1 : dimOf(getB(), 1);
}

/// B or C of a selective scan: constant (D, N) f32, or per token
/// (Bt, N, L) / (Bt, G, N, L) in the activation type.
static LogicalResult verifyScanBC(Checker &c, Operation *op, StringRef name,
                                  Value v, Type itype, int64_t bt, int64_t d,
                                  int64_t n, int64_t l) {
  int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
  if (rank == 2) {
    CHECK(c.shape(name, v, {{"D", d}, {"N", n}}));
    return c.elementType(name, v, f32(op), "a constant (rank 2) B/C is f32");
  }
  if (rank == 3)
    CHECK(c.shape(name, v, {{"Bt", bt}, {"N", n}, {"L", l}}));
  else if (rank == 4) {
    int64_t g = dimOf(v, 1);
    CHECK(c.groups(g, d, "channels D"));
    CHECK(c.shape(name, v, {{"Bt", bt}, {"G", g}, {"N", n}, {"L", l}}));
  } else {
    return op->emitOpError()
           << "expects '" << name
           << "' of rank 2 (D, N), 3 (Bt, N, L) or 4 (Bt, G, N, L), got rank "
           << rank;
  }
  return c.elementType(name, v, itype,
                       "a per-token B/C has the element type of u");
}

LogicalResult SelectiveScanOp::verify() {
  Checker c(*this);
  CHECK(c.rank("u", getU(), 3, "(Bt, D, L)"));
  CHECK(c.sameType("delta", getDelta(), "u", getU()));
  int64_t bt = dimOf(getU(), 0), l = dimOf(getU(), 2);
  CHECK(c.rank("A", getA(), 2, "(D, N)"));
  int64_t d = getNumChannels();
  int64_t n = getDState();
  CHECK(c.dState(n));
  CHECK(c.shape("A", getA(), {{"D", d}, {"N", n}}));
  Type itype = getElementTypeOrSelf(getU().getType());
  CHECK(verifyScanBC(c, *this, "B", getB(), itype, bt, d, n, l));
  CHECK(verifyScanBC(c, *this, "C", getC(), itype, bt, d, n, l));
  if (getD())
    CHECK(c.shape("D", getD(), {{"D", d}}));
  if (getZ())
    CHECK(c.sameType("z", getZ(), "u", getU()));
  if (getDeltaBias())
    CHECK(c.shape("delta_bias", getDeltaBias(), {{"D", d}}));
  int64_t s;
  CHECK(verifyPacked(*this, getCuSeqlens(), Value(), bt, s));
  StringRef sLabel = getCuSeqlens() ? "S" : "Bt";
  if (getInitialState())
    CHECK(c.shape("initial_state", getInitialState(),
                  {{sLabel, s}, {"D", d}, {"N", n}}));
  CHECK(c.sameType("out", getOut(), "u", getU()));
  if (getLastState())
    CHECK(c.shape("last_state", getLastState(),
                  {{sLabel, s}, {"D", d}, {"N", n}}));
  return success();
}

//===----------------------------------------------------------------------===//
// SelectiveStateUpdateOp
//===----------------------------------------------------------------------===//

int64_t SelectiveStateUpdateOp::getDState() {
  auto type = getState().getType();
  return type.getDimSize(type.getRank() - 1);
}
int64_t SelectiveStateUpdateOp::getNumHeads() {
  return isHeadForm() ? dimOf(getState(), 1) : 1;
}
int64_t SelectiveStateUpdateOp::getHeadDim() {
  return isHeadForm() ? dimOf(getState(), 2)
                      : firstStatic({dimOf(getState(), 1), dimOf(getX(), 1)});
}
int64_t SelectiveStateUpdateOp::getNumGroups() {
  return getB().getType().getRank() == 3 ? dimOf(getB(), 1) : 1;
}
int64_t SelectiveStateUpdateOp::getDtRank() {
  return getDtProj() ? dimOf(getDtProj(), 1) : 0;
}

LogicalResult SelectiveStateUpdateOp::verify() {
  Checker c(*this);
  int64_t stateRank = getState().getType().getRank();
  if (stateRank != 3 && stateRank != 4)
    return emitOpError() << "expects 'state' of rank 3 (S, D, N) for the "
                            "Mamba-1 form or 4 (S, H, P, N) for the Mamba-2 "
                            "head form, got rank "
                         << stateRank;
  int64_t n = getDState();
  CHECK(c.dState(n));
  CHECK(c.dtLimits(getDtMin().convertToDouble(), getDtMax().convertToDouble()));
  // Set once the rank of x is known (it depends on the form).
  int64_t bt = kDyn, s = kDyn;
  Type itype = getElementTypeOrSelf(getX().getType());

  // B and C: (Bt, G, N) or (Bt, N).
  auto verifyBC = [&](StringRef name, Value v, int64_t channels,
                      StringRef channelsName) -> LogicalResult {
    int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
    if (rank == 3) {
      int64_t g = dimOf(v, 1);
      CHECK(c.groups(g, channels, channelsName));
      CHECK(c.shape(name, v, {{"Bt", bt}, {"G", g}, {"N", n}}));
    } else if (rank == 2) {
      CHECK(c.shape(name, v, {{"Bt", bt}, {"N", n}}));
    } else {
      return emitOpError() << "expects '" << name
                           << "' of rank 3 (Bt, G, N) or 2 (Bt, N), got rank "
                           << rank;
    }
    return c.elementType(name, v, itype, "the element type of x");
  };

  if (!isHeadForm()) {
    CHECK(c.rank("x", getX(), 2, "(Bt, D) in the Mamba-1 form"));
    bt = dimOf(getX(), 0);
    s = getStateIndices() ? kDyn : bt;
    int64_t d = getHeadDim();
    CHECK(c.shape("state", getState(), {{"S", s}, {"D", d}, {"N", n}}));
    CHECK(c.shape("x", getX(), {{"Bt", bt}, {"D", d}}));
    if (getDtProj()) {
      // dt is the low-rank input of the dt_proj linear folded in.
      CHECK(c.rank("dt_proj", getDtProj(), 2, "(D, R)"));
      int64_t r = getDtRank();
      CHECK(c.isStatic("dt_rank (dt_proj dim 1)", r));
      CHECK(c.shape("dt_proj", getDtProj(), {{"D", d}, {"R", r}}));
      CHECK(c.shape("dt", getDt(), {{"Bt", bt}, {"R", r}}));
      CHECK(c.elementType("dt_proj", getDtProj(),
                          getElementTypeOrSelf(getDt().getType()),
                          "the element type of dt, as in the linear it "
                          "replaces"));
    } else {
      CHECK(c.shape("dt", getDt(), {{"Bt", bt}, {"D", d}}));
    }
    CHECK(c.shape("A", getA(), {{"D", d}, {"N", n}}));
    CHECK(verifyBC("B", getB(), d, "channels D"));
    CHECK(verifyBC("C", getC(), d, "channels D"));
    if (getD())
      CHECK(c.shape("D", getD(), {{"D", d}}));
    if (getDtBias())
      CHECK(c.shape("dt_bias", getDtBias(), {{"D", d}}));
  } else {
    if (getDtProj())
      return emitOpError() << "expects 'dt_proj' only in the Mamba-1 form "
                              "(state of rank 3), got the head form (the "
                              "kernel computes one dt per channel)";
    CHECK(c.rank("x", getX(), 3, "(Bt, H, P) in the Mamba-2 head form"));
    bt = dimOf(getX(), 0);
    s = getStateIndices() ? kDyn : bt;
    int64_t h = getNumHeads(), p = getHeadDim();
    CHECK(c.isStatic("nheads", h));
    CHECK(c.headDim(p));
    CHECK(
        c.shape("state", getState(), {{"S", s}, {"H", h}, {"P", p}, {"N", n}}));
    CHECK(c.shape("x", getX(), {{"Bt", bt}, {"H", h}, {"P", p}}));
    CHECK(c.shape("dt", getDt(), {{"Bt", bt}, {"H", h}}));
    CHECK(c.shape("A", getA(), {{"H", h}}));
    CHECK(c.rank("B", getB(), 3, "(Bt, G, N) in the Mamba-2 head form"));
    CHECK(c.rank("C", getC(), 3, "(Bt, G, N) in the Mamba-2 head form"));
    CHECK(verifyBC("B", getB(), h, "nheads"));
    CHECK(verifyBC("C", getC(), h, "nheads"));
    if (getD()) {
      if (getD().getType().getRank() == 2)
        CHECK(c.shape("D", getD(), {{"H", h}, {"P", p}}));
      else
        CHECK(c.shape("D", getD(), {{"H", h}}));
    }
    if (getDtBias())
      CHECK(c.shape("dt_bias", getDtBias(), {{"H", h}}));
  }
  // The kernel reads B and C of one group index per head (channel).
  auto groupsOf = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getRank() == 3 ? dimOf(v, 1) : 1;
  };
  if (groupsOf(getC()) != groupsOf(getB()))
    return emitOpError() << "expects 'C' to have the groups of 'B' ("
                         << groupsOf(getB()) << "), got " << groupsOf(getC());
  if (getZ())
    CHECK(c.sameType("z", getZ(), "x", getX()));
  if (getStateIndices())
    CHECK(c.shape("state_indices", getStateIndices(), {{"Bt", bt}}));
  CHECK(c.sameType("out", getOut(), "x", getX()));
  CHECK(c.sameType("new_state", getNewState(), "state", getState()));
  return success();
}

//===----------------------------------------------------------------------===//
// ConvStateUpdateOp
//===----------------------------------------------------------------------===//

int64_t ConvStateUpdateOp::getWidth() { return dimOf(getConvWeight(), 1); }
int64_t ConvStateUpdateOp::getConvStateLen() {
  return dimOf(getConvState(), 2);
}
int64_t ConvStateUpdateOp::getConvDim() {
  return firstStatic(
      {dimOf(getX(), 1), dimOf(getConvWeight(), 0), dimOf(getConvState(), 1)});
}
int64_t ConvStateUpdateOp::getNumHeads() { return dimOf(getState(), 1); }
int64_t ConvStateUpdateOp::getHeadDim() { return dimOf(getState(), 2); }
int64_t ConvStateUpdateOp::getDState() { return dimOf(getState(), 3); }

LogicalResult ConvStateUpdateOp::verify() {
  Checker c(*this);
  // The conv.
  CHECK(c.rank("x", getX(), 2, "(Bt, Dc)"));
  int64_t bt = dimOf(getX(), 0);
  CHECK(c.rank("conv_weight", getConvWeight(), 2, "(Dc, W)"));
  int64_t w = getWidth();
  CHECK(c.convWidth(w));
  int64_t dc = getConvDim();
  CHECK(c.isStatic("the conv channel count Dc", dc));
  CHECK(c.shape("x", getX(), {{"Bt", bt}, {"Dc", dc}}));
  CHECK(c.shape("conv_weight", getConvWeight(), {{"Dc", dc}, {"W", w}}));
  CHECK(c.rank("conv_state", getConvState(), 3, "(S, Dc, K)"));
  int64_t k = getConvStateLen();
  CHECK(c.isStatic("the conv state length K (conv_state dim 2)", k));
  CHECK(c.shape("conv_state", getConvState(),
                {{"S", getStateIndices() ? kDyn : bt}, {"Dc", dc}, {"K", k}}));
  if (k < w - 1)
    return emitOpError() << "expects conv_state length K >= d_conv - 1 = "
                         << w - 1 << ", got " << k;
  Type itype = getElementTypeOrSelf(getX().getType());
  CHECK(c.elementType("conv_state", getConvState(), itype,
                      "the element type of x"));
  if (getConvBias()) {
    CHECK(c.shape("conv_bias", getConvBias(), {{"Dc", dc}}));
    CHECK(c.elementType("conv_bias", getConvBias(),
                        getElementTypeOrSelf(getConvWeight().getType()),
                        "the element type of conv_weight"));
  }

  // The state update (head form).
  CHECK(c.rank("state", getState(), 4, "(S, H, P, N)"));
  int64_t h = getNumHeads(), p = getHeadDim(), n = getDState();
  CHECK(c.isStatic("nheads", h));
  CHECK(c.headDim(p));
  CHECK(c.dState(n));
  CHECK(c.shape(
      "state", getState(),
      {{"S", getStateIndices() ? kDyn : bt}, {"H", h}, {"P", p}, {"N", n}}));
  int64_t g = getNumGroups();
  CHECK(c.groups(g, h, "nheads"));
  CHECK(c.shape("dt", getDt(), {{"Bt", bt}, {"H", h}}));
  CHECK(c.shape("A", getA(), {{"H", h}}));
  if (getD()) {
    if (getD().getType().getRank() == 2)
      CHECK(c.shape("D", getD(), {{"H", h}, {"P", p}}));
    else
      CHECK(c.shape("D", getD(), {{"H", h}}));
  }
  if (getZ()) {
    CHECK(c.shape("z", getZ(), {{"Bt", bt}, {"H", h}, {"P", p}}));
    CHECK(c.elementType("z", getZ(), itype, "the element type of x"));
  }
  if (getDtBias())
    CHECK(c.shape("dt_bias", getDtBias(), {{"H", h}}));
  if (getStateIndices())
    CHECK(c.shape("state_indices", getStateIndices(), {{"Bt", bt}}));
  CHECK(c.dtLimits(getDtMin().convertToDouble(), getDtMax().convertToDouble()));

  // The columns of the conv output that are x, B and C.
  struct Range {
    StringRef name;
    int64_t begin, length;
  };
  Range ranges[3] = {{"x_offset", getXOffsetAttr().getInt(), h * p},
                     {"b_offset", getBOffsetAttr().getInt(), g * n},
                     {"c_offset", getCOffsetAttr().getInt(), g * n}};
  StringRef lengths[3] = {"nheads * headdim", "ngroups * d_state",
                          "ngroups * d_state"};
  for (int i = 0; i < 3; ++i) {
    const Range &r = ranges[i];
    if (r.begin < 0 || r.begin + r.length > dc)
      return emitOpError() << "expects " << r.name << " in [0, Dc - "
                           << lengths[i] << "] = [0, " << dc - r.length
                           << "] (the column range must lie in the " << dc
                           << " conv channels), got " << r.begin;
  }
  for (int i = 0; i < 3; ++i)
    for (int j = i + 1; j < 3; ++j) {
      const Range &a = ranges[i], &b = ranges[j];
      if (a.begin < b.begin + b.length && b.begin < a.begin + a.length)
        return emitOpError()
               << "expects the column ranges of " << a.name << " [" << a.begin
               << ", " << a.begin + a.length << ") and " << b.name << " ["
               << b.begin << ", " << b.begin + b.length << ") not to overlap";
    }
  if (h * p + 2 * g * n != dc)
    return emitOpError() << "expects the x, B and C column ranges to cover "
                            "the Dc = "
                         << dc
                         << " conv channels (each channel's conv state is "
                            "updated once), got nheads * headdim + 2 * "
                            "ngroups * d_state = "
                         << h * p + 2 * g * n;

  // Results.
  CHECK(c.shape("out", getOut(), {{"Bt", bt}, {"H", h}, {"P", p}}));
  CHECK(c.elementType("out", getOut(), itype, "the element type of x"));
  CHECK(c.sameType("new_state", getNewState(), "state", getState()));
  CHECK(c.sameType("new_conv_state", getNewConvState(), "conv_state",
                   getConvState()));
  return success();
}

//===----------------------------------------------------------------------===//
// SsdOp
//===----------------------------------------------------------------------===//

int64_t SsdOp::getNumHeads() { return dimOf(getX(), 2); }
int64_t SsdOp::getHeadDim() { return dimOf(getX(), 3); }
int64_t SsdOp::getNumGroups() { return dimOf(getB(), 2); }
int64_t SsdOp::getDState() { return dimOf(getB(), 3); }

LogicalResult SsdOp::verify() {
  Checker c(*this);
  CHECK(c.rank("x", getX(), 4, "(Bt, L, H, P)"));
  int64_t bt = dimOf(getX(), 0), l = dimOf(getX(), 1);
  int64_t h = getNumHeads(), p = getHeadDim();
  CHECK(c.isStatic("nheads", h));
  CHECK(c.headDim(p));
  CHECK(c.shape("dt", getDt(), {{"Bt", bt}, {"L", l}, {"H", h}}));
  CHECK(c.shape("A", getA(), {{"H", h}}));
  CHECK(c.rank("B", getB(), 4, "(Bt, L, G, N)"));
  int64_t g = getNumGroups(), n = getDState();
  CHECK(c.groups(g, h, "nheads"));
  CHECK(c.dState(n));
  CHECK(c.shape("B", getB(), {{"Bt", bt}, {"L", l}, {"G", g}, {"N", n}}));
  CHECK(c.elementType("B", getB(), getElementTypeOrSelf(getX().getType()),
                      "the element type of x"));
  CHECK(c.sameType("C", getC(), "B", getB()));
  if (getD()) {
    if (getD().getType().getRank() == 2)
      CHECK(c.shape("D", getD(), {{"H", h}, {"P", p}}));
    else
      CHECK(c.shape("D", getD(), {{"H", h}}));
  }
  if (getZ())
    CHECK(c.sameType("z", getZ(), "x", getX()));
  if (getDtBias())
    CHECK(c.shape("dt_bias", getDtBias(), {{"H", h}}));
  if (getSeqIdx())
    CHECK(c.shape("seq_idx", getSeqIdx(), {{"Bt", bt}, {"L", l}}));
  int64_t s;
  CHECK(verifyPacked(*this, getCuSeqlens(), getSeqIdx(), bt, s));
  StringRef sLabel = getCuSeqlens() ? "S" : "Bt";
  if (getInitialStates())
    CHECK(c.shape("initial_states", getInitialStates(),
                  {{sLabel, s}, {"H", h}, {"P", p}, {"N", n}}));
  int64_t q = static_cast<int64_t>(getChunkSize());
  if (q < 16 || q > 1024 || !llvm::isPowerOf2_64(q))
    return emitOpError()
           << "expects chunk_size to be a power of two in [16, 1024], got "
           << getChunkSizeAttr().getInt();
  CHECK(c.dtLimits(getDtMin().convertToDouble(), getDtMax().convertToDouble()));
  CHECK(c.sameType("out", getOut(), "x", getX()));
  if (getFinalStates())
    CHECK(c.shape("final_states", getFinalStates(),
                  {{sLabel, s}, {"H", h}, {"P", p}, {"N", n}}));
  return success();
}

//===----------------------------------------------------------------------===//
// Norms
//===----------------------------------------------------------------------===//

static LogicalResult verifyNormWeight(Checker &c, Operation *op, Value x,
                                      Value weight, double eps) {
  auto xt = cast<RankedTensorType>(x.getType());
  if (xt.getRank() < 1)
    return op->emitOpError() << "expects 'x' of rank >= 1, got rank 0";
  CHECK(c.shape("weight", weight, {{"N", xt.getShape().back()}}));
  if (!(eps > 0.0))
    return op->emitOpError() << "expects eps > 0, got " << eps;
  return success();
}

LogicalResult RmsNormOp::verify() {
  Checker c(*this);
  CHECK(verifyNormWeight(c, *this, getX(), getWeight(),
                         getEps().convertToDouble()));
  auto xShape = cast<RankedTensorType>(getX().getType()).getShape();
  SmallVector<Dim> dims;
  for (int64_t v : xShape)
    dims.push_back({"x", v});
  if (getResidual())
    CHECK(c.shape("residual", getResidual(), dims));
  CHECK(c.sameType("y", getY(), "x", getX()));
  if (getResidualOut()) {
    CHECK(c.shape("residual_out", getResidualOut(), dims));
    if (getResidual())
      CHECK(c.sameType("residual_out", getResidualOut(), "residual",
                       getResidual()));
  }
  return success();
}

int64_t GatedRmsNormOp::getEffectiveGroupSize() {
  int64_t g = getGroupSizeAttr().getInt();
  return g == 0 ? cast<RankedTensorType>(getX().getType()).getShape().back()
                : g;
}

LogicalResult GatedRmsNormOp::verify() {
  Checker c(*this);
  CHECK(verifyNormWeight(c, *this, getX(), getWeight(),
                         getEps().convertToDouble()));
  if (getZ())
    CHECK(c.sameType("z", getZ(), "x", getX()));
  int64_t n = cast<RankedTensorType>(getX().getType()).getShape().back();
  int64_t g = getGroupSizeAttr().getInt();
  if (g < 0)
    return emitOpError() << "expects group_size >= 0 (0 means the whole row), "
                            "got "
                         << g;
  if (g > 0 && n != kDyn && n % g != 0)
    return emitOpError() << "expects group_size (" << g
                         << ") to divide the row length (" << n << ")";
  CHECK(c.sameType("y", getY(), "x", getX()));
  return success();
}

//===----------------------------------------------------------------------===//
// Graph ops
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  Checker c(*this);
  auto xt = cast<RankedTensorType>(getX().getType());
  bool inFirst = getInLayout() == ConvLayout::channel_first;
  bool outFirst = getOutLayout() == ConvLayout::channel_first;
  if (inFirst)
    CHECK(c.rank("x", getX(), 3, "(Bt, K, L) for in_layout channel_first"));
  else if (xt.getRank() < 1)
    return emitOpError() << "expects 'x' of rank >= 1 (..., K), got rank 0";
  // The non-feature dims of x, in order, and its feature dim K.
  SmallVector<int64_t> outer(xt.getShape());
  int64_t k = inFirst ? outer[1] : outer.back();
  outer.erase(outer.begin() + (inFirst ? 1 : outer.size() - 1));
  if (outFirst && outer.size() != 2)
    return emitOpError() << "expects 'y' of rank 3 (Bt, M, L) for out_layout "
                            "channel_first, but x has "
                         << outer.size() << " non-feature dims";
  CHECK(c.rank("weight", getWeight(), 2, "(M, K)"));
  int64_t m = dimOf(getWeight(), 0);
  CHECK(c.shape("weight", getWeight(), {{"M", m}, {"K", k}}));
  CHECK(c.elementType("weight", getWeight(), xt.getElementType(),
                      "the element type of x"));
  if (getBias())
    CHECK(c.shape("bias", getBias(), {{"M", m}}));
  SmallVector<Dim> dims;
  for (int64_t v : outer)
    dims.push_back({"x", v});
  dims.insert(dims.begin() + (outFirst ? 1 : dims.size()), Dim{"M", m});
  CHECK(c.shape("y", getY(), dims));
  CHECK(
      c.elementType("y", getY(), xt.getElementType(), "the element type of x"));
  if (getResidual())
    CHECK(c.sameType("residual", getResidual(), "y", getY()));
  return success();
}

LogicalResult EmbeddingOp::verify() {
  Checker c(*this);
  CHECK(c.rank("table", getTable(), 2, "(V, d)"));
  SmallVector<Dim> dims;
  for (int64_t v : getIds().getType().getShape())
    dims.push_back({"ids", v});
  dims.push_back({"d", dimOf(getTable(), 1)});
  CHECK(c.shape("out", getOut(), dims));
  CHECK(c.elementType("out", getOut(),
                      getElementTypeOrSelf(getTable().getType()),
                      "the table's element type"));
  return success();
}

LogicalResult ArgmaxOp::verify() {
  Checker c(*this);
  auto xShape = getX().getType().getShape();
  if (xShape.empty())
    return emitOpError() << "expects x of rank >= 1 (..., V)";
  SmallVector<Dim> dims;
  for (int64_t v : xShape.drop_back())
    dims.push_back({"x", v});
  return c.shape("ids", getIds(), dims);
}

template <typename OpT> static LogicalResult verifyChannelOp(OpT op) {
  Checker c(op);
  auto xt = cast<RankedTensorType>(op.getX().getType());
  auto wt = cast<RankedTensorType>(op.getW().getType());
  int64_t dim = op.getDimAttr().getInt();
  if (dim < 0 || dim + wt.getRank() > xt.getRank())
    return op.emitOpError() << "expects dim + rank(w) <= rank(x) with dim >= "
                               "0, got dim = "
                            << dim << ", rank(w) = " << wt.getRank()
                            << ", rank(x) = " << xt.getRank();
  SmallVector<Dim> dims;
  for (int64_t i = 0; i < wt.getRank(); ++i)
    dims.push_back({"x", xt.getDimSize(dim + i)});
  CHECK(c.shape("w", op.getW(), dims));
  return c.sameType("y", op.getY(), "x", op.getX());
}

LogicalResult ChannelMulOp::verify() { return verifyChannelOp(*this); }
LogicalResult ChannelAddOp::verify() { return verifyChannelOp(*this); }
