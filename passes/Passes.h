//===- Passes.h - passes of the mamba compiler ------------------*- C++ -*-===//
#ifndef MAMBA_PASSES_PASSES_H
#define MAMBA_PASSES_PASSES_H

#include "dialect/MambaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <memory>
#include <string>

namespace mlir {
namespace mamba {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

/// Options of the `mamba-to-cuda` pipeline.
struct MambaToCudaOptions : public PassPipelineOptions<MambaToCudaOptions> {
  Option<std::string> arch{*this, "arch",
                           llvm::cl::desc("Target GPU architecture"),
                           llvm::cl::init("sm_90")};
  Option<std::string> db{
      *this, "db",
      llvm::cl::desc("Tuning database the tile passes consult before their "
                     "heuristics (passes/TuningDb.h)"),
      llvm::cl::init("")};
};

/// verify -> canonicalize -> fuse (elementwise, decode) -> tile (every kernel
/// op) -> plan launches
/// -> prepare for emission.
void buildMambaToCudaPipeline(OpPassManager &pm,
                              const MambaToCudaOptions &options);

/// Registers every pass (registerMambaPasses, generated) and the
/// `mamba-to-cuda` pipeline.
void registerMambaPassesAndPipelines();

} // namespace mamba
} // namespace mlir

#endif // MAMBA_PASSES_PASSES_H
