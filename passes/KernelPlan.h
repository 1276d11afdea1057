//===- KernelPlan.h - tile parameters and launch rules ----------*- C++ -*-===//
//
// The one place that knows, for every kernel op, which tile parameters its
// kernel takes and how a tile turns into a launch (grid, block, shared
// memory, register budget). The tile passes, mamba-plan-launch, the CUDA
// emitter and the runtime's launcher all ask this file, so the plan printed in
// the IR is exactly what runs.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_PASSES_KERNELPLAN_H
#define MAMBA_PASSES_KERNELPLAN_H

#include "dialect/MambaOps.h"

#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
namespace mamba {

/// Limits of a GPU architecture that launch planning checks against.
struct TargetInfo {
  int sm = 90; // compute capability major*10+minor
  int64_t maxThreadsPerBlock = 1024;
  int64_t maxSmemPerBlock = 232448; // opt-in dynamic shared memory, bytes
  int64_t regsPerSM = 65536;
  int64_t maxRegsPerThread = 255;

  /// Parses "sm_80", "sm_86", "sm_89", "sm_90" (also "sm_90a").
  static FailureOr<TargetInfo> get(llvm::StringRef arch);
};

/// One grid extent: a constant, ceil(size / divisor) * factor of a run-time
/// size, or (PerBatch) an extent for batch 1 that shrinks as the batch
/// grows, max(1, value / batch), so that the grid stays about one size.
struct GridDim {
  enum Source { Const, Batch, Seqlen, Rows, PerBatch };
  Source source = Const;
  int64_t value = 1; // the extent (Const) or the divisor (run-time sizes)
  int64_t factor = 1;

  static GridDim constant(int64_t v) { return {Const, v, 1}; }
  static GridDim perBatch(int64_t atBatch1) {
    return atBatch1 == 1 ? constant(1) : GridDim{PerBatch, atBatch1, 1};
  }
  static GridDim of(Source s, int64_t divisor = 1, int64_t factor = 1) {
    return {s, divisor, factor};
  }
  /// The extent, or ShapedType::kDynamic when it depends on a run-time size.
  int64_t staticExtent() const;
  /// The extent for the given run-time sizes.
  int64_t eval(int64_t batch, int64_t seqlen, int64_t rows) const;
};

/// What a launch needs beyond the kernel itself.
struct KernelPlan {
  std::array<GridDim, 3> grid;
  std::array<int64_t, 3> block = {1, 1, 1};
  int64_t smem = 0;           // dynamic shared memory, bytes
  int64_t minBlocksPerSM = 1; // second argument of __launch_bounds__

  int64_t threads() const { return block[0] * block[1] * block[2]; }
  /// Registers per thread that __launch_bounds__ leaves to the compiler.
  int64_t regBudget(const TargetInfo &target) const;
  /// Sets minBlocksPerSM to as many blocks as fit an SM's 64K registers when
  /// each thread needs `regsPerThread`, at most the 32 blocks and 2048
  /// threads an SM holds (sm_80, sm_90), at least one.
  void fitRegisters(int64_t regsPerThread);
};

/// Named tile parameters, in a fixed order per op.
using TileParams = std::vector<std::pair<std::string, int64_t>>;

/// The heuristic tile of a kernel op, or a diagnostic on the op when it has
/// no kernel or a dimension it needs is not static.
FailureOr<TileParams> heuristicTile(Operation *op, const TargetInfo &target);

/// Checks that `tile` has exactly the parameters the op's kernel takes, with
/// values it supports; emits a diagnostic naming the parameter otherwise.
LogicalResult verifyTile(Operation *op, TileAttr tile);

/// The launch of a planned op. Fails with a diagnostic when the plan exceeds
/// the target's limits.
FailureOr<KernelPlan> planKernel(Operation *op, TileAttr tile,
                                 const TargetInfo &target);

/// True for the ops that become generated kernels.
bool isKernelOp(Operation *op);

/// The element type name used in kernel symbols: f32, f16 or bf16.
std::string elementTypeName(Type type);

} // namespace mamba
} // namespace mlir

#endif // MAMBA_PASSES_KERNELPLAN_H
