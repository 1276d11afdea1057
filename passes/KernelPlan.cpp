//===- KernelPlan.cpp - dispatch of tile heuristics and launch rules ------===//

#include "passes/KernelPlan.h"
#include "passes/OpPlans.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"
#include <algorithm>

using namespace mlir;
using namespace mlir::mamba;

FailureOr<TargetInfo> TargetInfo::get(StringRef arch) {
  StringRef digits = arch;
  if (!digits.consume_front("sm_"))
    return failure();
  digits.consume_back("a");
  int sm;
  if (digits.getAsInteger(10, sm))
    return failure();
  TargetInfo info;
  info.sm = sm;
  switch (sm) {
  case 80:
  case 87:
    info.maxSmemPerBlock = 166912;
    return info;
  case 86:
  case 89:
    info.maxSmemPerBlock = 101376;
    info.maxThreadsPerBlock = 1024;
    return info;
  case 90:
    info.maxSmemPerBlock = 232448;
    return info;
  default:
    return failure();
  }
}

int64_t GridDim::staticExtent() const {
  return source == Const ? value : ShapedType::kDynamic;
}

int64_t mlir::mamba::ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

int64_t GridDim::eval(int64_t batch, int64_t seqlen, int64_t rows) const {
  switch (source) {
  case Const:
    return value;
  case Batch:
    return ceilDiv(batch, value) * factor;
  case Seqlen:
    return ceilDiv(seqlen, value) * factor;
  case Rows:
    return ceilDiv(rows, value) * factor;
  case PerBatch:
    return std::max<int64_t>(1, value / std::max<int64_t>(batch, 1));
  }
  return 1;
}

int64_t KernelPlan::regBudget(const TargetInfo &target) const {
  int64_t perThread = target.regsPerSM / (threads() * minBlocksPerSM);
  if (perThread >= target.maxRegsPerThread)
    return target.maxRegsPerThread;
  return perThread / 8 * 8; // registers are allocated in units of 8
}

void KernelPlan::fitRegisters(int64_t regsPerThread) {
  int64_t full = std::min<int64_t>(32, 2048 / threads());
  minBlocksPerSM =
      std::clamp<int64_t>(65536 / (threads() * regsPerThread), 1, full);
}

bool mlir::mamba::isKernelOp(Operation *op) {
  return isa<SelectiveScanOp, SsdOp, CausalConv1dOp, CausalConv1dUpdateOp,
             SelectiveStateUpdateOp, ConvStateUpdateOp, RmsNormOp,
             GatedRmsNormOp, ArgmaxOp, EmbeddingOp, SiluOp, SoftplusOp,
             ChannelMulOp, ChannelAddOp>(op);
}

std::string mlir::mamba::elementTypeName(Type type) {
  Type t = getElementTypeOrSelf(type);
  if (t.isF32())
    return "f32";
  if (t.isF16())
    return "f16";
  if (t.isBF16())
    return "bf16";
  if (t.isInteger(32))
    return "i32";
  if (t.isInteger(64))
    return "i64";
  return "unknown";
}

FailureOr<TileParams> mlir::mamba::heuristicTile(Operation *op,
                                                 const TargetInfo &target) {
  return llvm::TypeSwitch<Operation *, FailureOr<TileParams>>(op)
      .Case([&](SelectiveScanOp o) {
        return heuristicSelectiveScanTile(o, target);
      })
      .Case([&](SsdOp o) { return heuristicSsdTile(o, target); })
      .Case([&](CausalConv1dOp o) {
        return heuristicCausalConv1dTile(o, target);
      })
      .Case([&](CausalConv1dUpdateOp o) {
        return heuristicCausalConv1dUpdateTile(o, target);
      })
      .Case([&](SelectiveStateUpdateOp o) {
        return heuristicSelectiveStateUpdateTile(o, target);
      })
      .Case([&](ConvStateUpdateOp o) {
        return heuristicConvStateUpdateTile(o, target);
      })
      .Case<RmsNormOp, GatedRmsNormOp, ArgmaxOp>(
          [&](Operation *o) { return heuristicNormTile(o, target); })
      .Case<EmbeddingOp, SiluOp, SoftplusOp, ChannelMulOp, ChannelAddOp>(
          [&](Operation *o) { return heuristicElementwiseTile(o, target); })
      .Default([&](Operation *o) -> FailureOr<TileParams> {
        o->emitOpError() << "has no generated kernel to tile";
        return failure();
      });
}

SmallVector<SmallVector<StringRef>>
mlir::mamba::alternativeTileNames(Operation *op) {
  if (isa<SelectiveScanOp>(op))
    return {SmallVector<StringRef>(std::begin(kScanChunkedTileNames),
                                   std::end(kScanChunkedTileNames)),
            SmallVector<StringRef>(std::begin(kScanByStateTileNames),
                                   std::end(kScanByStateTileNames))};
  return {};
}

LogicalResult mlir::mamba::verifyTile(Operation *op, TileAttr tile) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](SelectiveScanOp o) { return verifySelectiveScanTile(o, tile); })
      .Case([&](SsdOp o) { return verifySsdTile(o, tile); })
      .Case([&](CausalConv1dOp o) { return verifyCausalConv1dTile(o, tile); })
      .Case([&](CausalConv1dUpdateOp o) {
        return verifyCausalConv1dUpdateTile(o, tile);
      })
      .Case([&](SelectiveStateUpdateOp o) {
        return verifySelectiveStateUpdateTile(o, tile);
      })
      .Case([&](ConvStateUpdateOp o) {
        return verifyConvStateUpdateTile(o, tile);
      })
      .Case<RmsNormOp, GatedRmsNormOp, ArgmaxOp>(
          [&](Operation *o) { return verifyNormTile(o, tile); })
      .Case<EmbeddingOp, SiluOp, SoftplusOp, ChannelMulOp, ChannelAddOp>(
          [&](Operation *o) { return verifyElementwiseTile(o, tile); })
      .Default([&](Operation *o) {
        return o->emitOpError() << "has no generated kernel to tile";
      });
}

FailureOr<KernelPlan> mlir::mamba::planKernel(Operation *op, TileAttr tile,
                                              const TargetInfo &target) {
  if (failed(verifyTile(op, tile)))
    return failure();
  FailureOr<KernelPlan> plan =
      llvm::TypeSwitch<Operation *, FailureOr<KernelPlan>>(op)
          .Case([&](SelectiveScanOp o) { return planSelectiveScan(o, tile); })
          .Case([&](SsdOp o) { return planSsd(o, tile); })
          .Case([&](CausalConv1dOp o) { return planCausalConv1d(o, tile); })
          .Case([&](CausalConv1dUpdateOp o) {
            return planCausalConv1dUpdate(o, tile);
          })
          .Case([&](SelectiveStateUpdateOp o) {
            return planSelectiveStateUpdate(o, tile);
          })
          .Case(
              [&](ConvStateUpdateOp o) { return planConvStateUpdate(o, tile); })
          .Case<RmsNormOp, GatedRmsNormOp, ArgmaxOp>(
              [&](Operation *o) { return planNorm(o, tile); })
          .Case<EmbeddingOp, SiluOp, SoftplusOp, ChannelMulOp, ChannelAddOp>(
              [&](Operation *o) { return planElementwise(o, tile); })
          .Default([&](Operation *o) -> FailureOr<KernelPlan> {
            o->emitOpError() << "has no generated kernel to plan";
            return failure();
          });
  if (failed(plan))
    return failure();
  if (plan->threads() > target.maxThreadsPerBlock)
    return op->emitOpError() << "launch plan needs " << plan->threads()
                             << " threads per block, more than sm_" << target.sm
                             << " allows (" << target.maxThreadsPerBlock << ")";
  if (plan->smem > target.maxSmemPerBlock)
    return op->emitOpError()
           << "launch plan needs " << plan->smem
           << " bytes of shared memory per block, more than "
              "sm_"
           << target.sm << " allows (" << target.maxSmemPerBlock << ")";
  if (plan->threads() * plan->minBlocksPerSM * 8 > target.regsPerSM)
    return op->emitOpError()
           << "launch plan asks for " << plan->minBlocksPerSM
           << " resident blocks of " << plan->threads()
           << " threads, which leaves fewer than 8 registers per thread";
  return plan;
}

LogicalResult mlir::mamba::checkTileParam(Operation *op, TileAttr tile,
                                          StringRef name,
                                          function_ref<bool(int64_t)> ok,
                                          StringRef rule) {
  std::optional<int64_t> v = tile.lookup(name);
  if (!v)
    return op->emitOpError() << "tile lacks parameter '" << name << "'";
  if (!ok(*v))
    return op->emitOpError() << "tile parameter '" << name << "' must be "
                             << rule << ", got " << *v;
  return success();
}

LogicalResult mlir::mamba::checkTileNames(Operation *op, TileAttr tile,
                                          ArrayRef<StringRef> names) {
  for (const TileParam &p : tile.getParams())
    if (!llvm::is_contained(names, p.name.getValue()))
      return op->emitOpError()
             << "tile has unknown parameter '" << p.name.getValue()
             << "' (expected: " << llvm::join(names, ", ") << ")";
  for (StringRef n : names)
    if (!tile.lookup(n))
      return op->emitOpError() << "tile lacks parameter '" << n << "'";
  return success();
}

FailureOr<int64_t> mlir::mamba::requireStatic(Operation *op, int64_t value,
                                              StringRef what) {
  if (value == ShapedType::kDynamic) {
    op->emitOpError() << "needs a static " << what << " for tiling, got '?'";
    return failure();
  }
  return value;
}
