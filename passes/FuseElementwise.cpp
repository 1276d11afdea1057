//===- FuseElementwise.cpp - fold prologues and epilogues into SSM ops ----===//
//
// A frontend (or a person) may write the Mamba blocks with separate
// elementwise ops, as the PyTorch modules do. Each pattern here folds one of
// them into the producing SSM op when the intermediate has no other use, so
// that it costs no extra pass over memory. The order of the epilogue folds
// follows the math: y = (scan + D * u) * silu(z), so D is folded before z and
// a gate is never folded under a later skip term.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "mamba-fuse-elementwise"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

namespace {

/// silu(conv(x)) -> conv(x){activation = silu}, for both conv forms.
template <typename ConvOp>
struct FoldSiluIntoConv : public OpRewritePattern<SiluOp> {
  using OpRewritePattern<SiluOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(SiluOp silu,
                                PatternRewriter &rewriter) const override {
    auto conv = silu.getX().getDefiningOp<ConvOp>();
    if (!conv || conv.getOut() != silu.getX() || !conv.getOut().hasOneUse() ||
        conv.getActivation() != Activation::none)
      return failure();
    rewriter.modifyOpInPlace(conv, [&] {
      conv.setActivation(Activation::silu);
    });
    rewriter.replaceOp(silu, conv.getOut());
    return success();
  }
};

/// Matches `softplus(channel_add(v, bias))` or `softplus(v)` or
/// `channel_add(v, bias)` feeding a scan's dt operand along `dim`.
struct DtPrologue {
  Value raw;
  Value bias; // null when there is no bias add
  bool softplus = false;
};

static std::optional<DtPrologue> matchDtPrologue(Value dt, int64_t biasDim) {
  DtPrologue result{dt, {}, false};
  if (auto sp = dt.getDefiningOp<SoftplusOp>()) {
    if (!dt.hasOneUse())
      return std::nullopt;
    result.softplus = true;
    result.raw = sp.getX();
  }
  if (auto add = result.raw.getDefiningOp<ChannelAddOp>()) {
    if (result.raw.hasOneUse() && add.getDimAttr().getInt() == biasDim &&
        add.getW().getType().getRank() == 1) {
      result.bias = add.getW();
      result.raw = add.getX();
    }
  }
  if (!result.softplus && !result.bias)
    return std::nullopt;
  return result;
}

struct FoldScanDtPrologue : public OpRewritePattern<SelectiveScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SelectiveScanOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<DtPrologue> m = matchDtPrologue(op.getDelta(), 1);
    // An existing bias is added before the scan's softplus, so a softplus
    // that was applied before that bias cannot move into the flag.
    if (!m || (m->softplus && op.getDeltaSoftplus()) ||
        (m->bias && op.getDeltaBias()) || (m->softplus && op.getDeltaBias()))
      return failure();
    // A fused bias must be f32 (the scan's delta_bias rule), and a softplus
    // must not be hoisted above an add it did not cover.
    if (m->bias && !getElementTypeOrSelf(m->bias.getType()).isF32())
      return failure();
    if (!m->softplus && op.getDeltaSoftplus() && m->bias)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      op.getDeltaMutable().assign(m->raw);
      if (m->bias)
        op.getDeltaBiasMutable().assign(m->bias);
      if (m->softplus)
        op.setDeltaSoftplus(true);
    });
    return success();
  }
};

struct FoldSsdDtPrologue : public OpRewritePattern<SsdOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SsdOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<DtPrologue> m = matchDtPrologue(op.getDt(), 2);
    if (!m || (m->softplus && op.getDtSoftplus()) ||
        (m->bias && op.getDtBias()) || (m->softplus && op.getDtBias()))
      return failure();
    if (!m->softplus && op.getDtSoftplus() && m->bias)
      return failure();
    rewriter.modifyOpInPlace(op, [&] {
      op.getDtMutable().assign(m->raw);
      if (m->bias)
        op.getDtBiasMutable().assign(m->bias);
      if (m->softplus)
        op.setDtSoftplus(true);
    });
    return success();
  }
};

/// True when `v` is available at `user`: the epilogue folds move a value
/// that may be defined after the scan into the scan's operands.
static bool isAvailableAt(Value v, Operation *user) {
  return DominanceInfo().properlyDominates(v, user);
}

/// The skip term: addf(scan(u), channel_mul(u, D)) -> scan(u) with D.
/// `skipDim` is the first dim D covers in u's layout, `maxDRank` the largest
/// rank the scan's D operand accepts.
template <typename ScanOp>
struct FoldSkipTerm : public OpRewritePattern<arith::AddFOp> {
  FoldSkipTerm(MLIRContext *ctx, int64_t skipDim, int64_t maxDRank)
      : OpRewritePattern<arith::AddFOp>(ctx), skipDim(skipDim),
        maxDRank(maxDRank) {}
  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    for (int swap = 0; swap < 2; ++swap) {
      Value scanValue = swap ? add.getRhs() : add.getLhs();
      Value skipValue = swap ? add.getLhs() : add.getRhs();
      auto scan = scanValue.getDefiningOp<ScanOp>();
      auto mul = skipValue.getDefiningOp<ChannelMulOp>();
      if (!scan || !mul || scan->getResult(0) != scanValue ||
          !scanValue.hasOneUse() || !skipValue.hasOneUse() || scan.getD() ||
          scan.getZ() || mul.getDimAttr().getInt() != skipDim ||
          mul.getX() != scan->getOperand(0) ||
          !getElementTypeOrSelf(mul.getW().getType()).isF32() ||
          mul.getW().getType().getRank() > maxDRank ||
          !isAvailableAt(mul.getW(), scan))
        continue;
      rewriter.modifyOpInPlace(scan,
                               [&] { scan.getDMutable().assign(mul.getW()); });
      rewriter.replaceOp(add, scan->getResult(0));
      return success();
    }
    return failure();
  }
  int64_t skipDim;
  int64_t maxDRank;
};

/// The gate: mulf(scan, silu(z)) -> scan with z.
template <typename ScanOp>
struct FoldGate : public OpRewritePattern<arith::MulFOp> {
  using OpRewritePattern<arith::MulFOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::MulFOp mul,
                                PatternRewriter &rewriter) const override {
    for (int swap = 0; swap < 2; ++swap) {
      Value scanValue = swap ? mul.getRhs() : mul.getLhs();
      Value gateValue = swap ? mul.getLhs() : mul.getRhs();
      auto scan = scanValue.getDefiningOp<ScanOp>();
      auto silu = gateValue.getDefiningOp<SiluOp>();
      if (!scan || !silu || scan->getResult(0) != scanValue ||
          !scanValue.hasOneUse() || !gateValue.hasOneUse() || scan.getZ() ||
          silu.getX().getType() != scanValue.getType() ||
          !isAvailableAt(silu.getX(), scan))
        continue;
      rewriter.modifyOpInPlace(scan,
                               [&] { scan.getZMutable().assign(silu.getX()); });
      rewriter.replaceOp(mul, scan->getResult(0));
      return success();
    }
    return failure();
  }
};

struct FuseElementwisePass
    : public mlir::mamba::impl::FuseElementwisePassBase<FuseElementwisePass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<FoldSiluIntoConv<CausalConv1dOp>,
                 FoldSiluIntoConv<CausalConv1dUpdateOp>, FoldScanDtPrologue,
                 FoldSsdDtPrologue, FoldGate<SelectiveScanOp>,
                 FoldGate<SsdOp>>(ctx);
    patterns.add<FoldSkipTerm<SelectiveScanOp>>(ctx, /*skipDim=*/1,
                                                /*maxDRank=*/1);
    patterns.add<FoldSkipTerm<SsdOp>>(ctx, /*skipDim=*/2, /*maxDRank=*/2);
    if (failed(applyPatternsAndFoldGreedily(getOperation(),
                                            std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
