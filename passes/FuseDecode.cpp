//===- FuseDecode.cpp - fewer kernels per decode step ---------------------===//
//
// One decoded token runs every layer's ops once on one row per sequence, so
// the kernels are tiny and a large model's step is bound by launches. The
// two patterns here merge a producer into the selective_state_update that
// consumes it, where the IR proves that nothing else sees the intermediate:
//
// 1. (Mamba-2) conv_state_update: causal_conv1d_update{silu} -> slices of
//    its output as x, B, C -> selective_state_update (head form). The new op
//    computes the conv of the channels each kernel block needs itself
//    (codegen/device/ConvStateUpdate.cuh), so xBC never goes to memory.
// 2. (Mamba-1) dt_proj: linear(dt_low, W) as the dt of a Mamba-1 form
//    selective_state_update -> the state update's `dt_proj(W)` operand; the
//    kernel computes each channel's dot product before its state row.
//
// Every rule below keeps the rewrite exact: anything the fused op cannot
// express (another use of an intermediate, a dynamic or overlapping column
// range, channels of the conv that no range covers, different state rows,
// a new conv state read before the state update) leaves the IR as it is.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "mamba-fuse-decode"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_FUSEDECODEPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

/// One of x, B, C: `expand_shape(extract_slice(conv.out))`, columns
/// [offset, offset + length) of the conv output.
struct Column {
  tensor::ExtractSliceOp slice;
  tensor::ExpandShapeOp expand;
  int64_t offset = 0, length = 0;
};

/// True when `v` is known to be the batch size of `conv`: a `tensor.dim`
/// of dim 0 of its input or output, or the size the slice that made its
/// input took along dim 0.
bool isBatchSize(Value v, CausalConv1dUpdateOp conv) {
  if (auto dim = v.getDefiningOp<tensor::DimOp>()) {
    std::optional<int64_t> index = dim.getConstantIndex();
    return index && *index == 0 &&
           (dim.getSource() == conv.getOut() || dim.getSource() == conv.getX());
  }
  if (auto in = conv.getX().getDefiningOp<tensor::ExtractSliceOp>())
    return in.getStaticSizes()[0] == kDyn && in.getStaticOffsets()[0] == 0 &&
           !in.getSizes().empty() && in.getSizes()[0] == v;
  return false;
}

/// Traces operand `v` of `ssu` back to a column range of a
/// causal_conv1d_update's output; the intermediates must have no other
/// users than the chain itself and tensor.dim.
std::optional<Column> traceColumn(Value v, SelectiveStateUpdateOp ssu,
                                  CausalConv1dUpdateOp &conv) {
  Column col;
  col.expand = v.getDefiningOp<tensor::ExpandShapeOp>();
  if (!col.expand || !v.hasOneUse() || *v.user_begin() != ssu.getOperation())
    return std::nullopt;
  auto reassoc = col.expand.getReassociationIndices();
  if (col.expand.getSrcType().getRank() != 2 || reassoc.size() != 2 ||
      reassoc[0].size() != 1 || reassoc[1].size() != 2)
    return std::nullopt;
  col.slice = col.expand.getSrc().getDefiningOp<tensor::ExtractSliceOp>();
  if (!col.slice)
    return std::nullopt;
  conv = col.slice.getSource().getDefiningOp<CausalConv1dUpdateOp>();
  if (!conv || col.slice.getSource() != conv.getOut())
    return std::nullopt;
  // Columns [offset, offset + length) of every batch row, unit strides.
  if (col.slice.getResultType().getRank() != 2 ||
      llvm::any_of(col.slice.getStaticStrides(),
                   [](int64_t s) { return s != 1; }))
    return std::nullopt;
  ArrayRef<int64_t> offsets = col.slice.getStaticOffsets();
  ArrayRef<int64_t> sizes = col.slice.getStaticSizes();
  if (offsets[0] != 0 || offsets[1] == kDyn || sizes[1] == kDyn)
    return std::nullopt;
  int64_t batch = conv.getOut().getType().getDimSize(0);
  if (sizes[0] == kDyn ? !isBatchSize(col.slice.getSizes()[0], conv)
                       : (batch == kDyn || sizes[0] != batch))
    return std::nullopt;
  for (Operation *user : col.slice->getUsers())
    if (user != col.expand.getOperation() && !isa<tensor::DimOp>(user))
      return std::nullopt;
  col.offset = offsets[1];
  col.length = sizes[1];
  return col;
}

/// Replaces every `tensor.dim` of `v` (whose dim 0 is the batch of `conv`
/// and whose other dims are static) by one that does not read `v`.
void replaceDims(Value v, CausalConv1dUpdateOp conv,
                 PatternRewriter &rewriter) {
  auto type = cast<RankedTensorType>(v.getType());
  for (Operation *user : llvm::make_early_inc_range(v.getUsers())) {
    auto dim = dyn_cast<tensor::DimOp>(user);
    if (!dim)
      continue;
    if (dim.use_empty()) {
      rewriter.eraseOp(dim);
      continue;
    }
    rewriter.setInsertionPoint(dim);
    std::optional<int64_t> index = dim.getConstantIndex();
    if (index && *index > 0 && *index < type.getRank() &&
        !type.isDynamicDim(*index))
      rewriter.replaceOpWithNewOp<arith::ConstantIndexOp>(
          dim, type.getDimSize(*index));
    else
      rewriter.replaceOpWithNewOp<tensor::DimOp>(dim, conv.getX(),
                                                 dim.getIndex());
  }
}

/// Pattern 1: causal_conv1d_update{silu} + slices + selective_state_update
/// (head form) -> conv_state_update.
struct FuseConvIntoStateUpdate
    : public OpRewritePattern<SelectiveStateUpdateOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SelectiveStateUpdateOp ssu,
                                PatternRewriter &rewriter) const override {
    if (!ssu.isHeadForm() || ssu.getDtProj())
      return rewriter.notifyMatchFailure(ssu, "not the head form");
    CausalConv1dUpdateOp convX, convB, convC;
    std::optional<Column> x = traceColumn(ssu.getX(), ssu, convX);
    std::optional<Column> bcol = traceColumn(ssu.getB(), ssu, convB);
    std::optional<Column> ccol = traceColumn(ssu.getC(), ssu, convC);
    if (!x || !bcol || !ccol || convX != convB || convX != convC)
      return rewriter.notifyMatchFailure(
          ssu, "x, B and C are not column slices of one conv update");
    CausalConv1dUpdateOp conv = convX;
    if (conv.getActivation() != Activation::silu)
      return rewriter.notifyMatchFailure(ssu, "the conv has no SiLU");
    if (conv.getStateIndices() != ssu.getStateIndices())
      return rewriter.notifyMatchFailure(
          ssu, "the conv and the state update use different state rows");
    // The conv output feeds nothing but the three slices (and dims).
    tensor::ExtractSliceOp slices[3] = {x->slice, bcol->slice, ccol->slice};
    if (slices[0] == slices[1] || slices[0] == slices[2] ||
        slices[1] == slices[2])
      return rewriter.notifyMatchFailure(ssu, "x, B and C share a slice");
    for (Operation *user : conv.getOut().getUsers())
      if (!isa<tensor::DimOp>(user) && !llvm::is_contained(slices, user))
        return rewriter.notifyMatchFailure(ssu,
                                           "the conv output has another use");
    // Shapes: x (Bt, H, P), B and C (Bt, G, N), the ranges partitioning the
    // conv channels, so that the fused kernel updates every conv state once.
    int64_t h = ssu.getNumHeads(), p = ssu.getHeadDim(), n = ssu.getDState(),
            g = ssu.getNumGroups();
    int64_t dc = conv.getOut().getType().getDimSize(1);
    if (h == kDyn || p == kDyn || n == kDyn || g == kDyn || dc == kDyn ||
        x->length != h * p || bcol->length != g * n || ccol->length != g * n)
      return rewriter.notifyMatchFailure(ssu, "column sizes do not match");
    Column *cols[3] = {&*x, &*bcol, &*ccol};
    for (int i = 0; i < 3; ++i)
      for (int j = i + 1; j < 3; ++j)
        if (cols[i]->offset < cols[j]->offset + cols[j]->length &&
            cols[j]->offset < cols[i]->offset + cols[i]->length)
          return rewriter.notifyMatchFailure(ssu, "column ranges overlap");
    if (h * p + 2 * g * n != dc)
      return rewriter.notifyMatchFailure(
          ssu, "x, B and C do not cover the conv channels");
    // The fused op takes the place of the state update: the new conv state
    // must not be read before it.
    DominanceInfo dom;
    for (Operation *user : conv.getNewState().getUsers())
      if (!dom.properlyDominates(ssu.getOperation(), user))
        return rewriter.notifyMatchFailure(
            ssu, "the new conv state is used before the state update");

    rewriter.setInsertionPoint(ssu);
    Location loc = rewriter.getFusedLoc({conv.getLoc(), ssu.getLoc()});
    auto fused = rewriter.create<ConvStateUpdateOp>(
        loc,
        TypeRange{ssu.getOut().getType(), ssu.getNewState().getType(),
                  conv.getNewState().getType()},
        conv.getX(), conv.getConvState(), conv.getWeight(), ssu.getState(),
        ssu.getDt(), ssu.getA(), conv.getBias(), ssu.getD(), ssu.getZ(),
        ssu.getDtBias(), ssu.getStateIndices(),
        rewriter.getI64IntegerAttr(x->offset),
        rewriter.getI64IntegerAttr(bcol->offset),
        rewriter.getI64IntegerAttr(ccol->offset), rewriter.getI64IntegerAttr(g),
        ssu.getDtSoftplusAttr(), ssu.getDtMinAttr(), ssu.getDtMaxAttr());
    rewriter.replaceOp(ssu, ValueRange{fused.getOut(), fused.getNewState()});
    rewriter.replaceAllUsesWith(conv.getNewState(), fused.getNewConvState());
    for (Column *c : cols)
      rewriter.eraseOp(c->expand);
    for (tensor::ExtractSliceOp slice : slices) {
      replaceDims(slice.getResult(), conv, rewriter);
      rewriter.eraseOp(slice);
    }
    replaceDims(conv.getOut(), conv, rewriter);
    rewriter.eraseOp(conv);
    return success();
  }
};

/// Pattern 2: linear(dt_low, W) as the dt of a Mamba-1 form state update ->
/// the update's dt_proj(W), with dt = dt_low.
struct FoldDtProjIntoStateUpdate
    : public OpRewritePattern<SelectiveStateUpdateOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SelectiveStateUpdateOp ssu,
                                PatternRewriter &rewriter) const override {
    if (ssu.isHeadForm() || ssu.getDtProj())
      return rewriter.notifyMatchFailure(ssu, "not the Mamba-1 form");
    auto linear = ssu.getDt().getDefiningOp<LinearOp>();
    if (!linear || !linear.getY().hasOneUse())
      return rewriter.notifyMatchFailure(ssu, "dt is not a linear of one use");
    if (linear.getBias() || linear.getResidual() ||
        linear.getInLayout() != ConvLayout::channel_last ||
        linear.getOutLayout() != ConvLayout::channel_last ||
        linear.getX().getType().getRank() != 2)
      return rewriter.notifyMatchFailure(
          ssu, "the linear has a bias, a residual or another layout");
    auto w = linear.getWeight().getType();
    if (w.isDynamicDim(0) || w.isDynamicDim(1))
      return rewriter.notifyMatchFailure(ssu, "the dt_proj weight is dynamic");
    rewriter.modifyOpInPlace(ssu, [&] {
      ssu.getDtMutable().assign(linear.getX());
      ssu.getDtProjMutable().assign(linear.getWeight());
    });
    rewriter.eraseOp(linear);
    return success();
  }
};

struct FuseDecodePass
    : public mlir::mamba::impl::FuseDecodePassBase<FuseDecodePass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FuseConvIntoStateUpdate, FoldDtProjIntoStateUpdate>(ctx);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
