//===- TileUtils.h - the shared driver of the tile passes -------*- C++ -*-===//
#ifndef MAMBA_PASSES_TILEUTILS_H
#define MAMBA_PASSES_TILEUTILS_H

#include "passes/KernelPlan.h"

#include "mlir/IR/Operation.h"

namespace mlir {
namespace mamba {

/// Parses a tile override "a=1,b=2" into `params`, replacing the values of
/// parameters that exist. An unknown name or a malformed entry fails with a
/// diagnostic on `op`.
LogicalResult applyTileOverride(Operation *op, llvm::StringRef text,
                                TileParams &params);

/// Sets `tile` on every op that `match` accepts: an existing `tile` attribute
/// is kept (so a hand-written or tuned plan survives), else the heuristic
/// chooses; `overrideText` (the pass option) then replaces named parameters.
/// The result is verified against the op's kernel.
LogicalResult tileMatchingOps(Operation *root, llvm::StringRef overrideText,
                              llvm::StringRef arch,
                              llvm::function_ref<bool(Operation *)> match);

} // namespace mamba
} // namespace mlir

#endif // MAMBA_PASSES_TILEUTILS_H
