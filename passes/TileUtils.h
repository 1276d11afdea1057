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
/// is kept (so a hand-written or tuned plan survives), else the tuning
/// database at `dbPath` (if given; exact record, then the nearest one whose
/// tile verifies, passes/TuningDb.h) and then the heuristic choose;
/// `overrideText` (the pass option) then replaces named parameters. The
/// result is verified against the op's kernel. A tile from the database is
/// marked with `tile_source = "db"` or `"db-nearest"`.
LogicalResult tileMatchingOps(Operation *root, llvm::StringRef overrideText,
                              llvm::StringRef arch, llvm::StringRef dbPath,
                              llvm::function_ref<bool(Operation *)> match);

} // namespace mamba
} // namespace mlir

#endif // MAMBA_PASSES_TILEUTILS_H
