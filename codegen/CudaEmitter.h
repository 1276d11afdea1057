//===- CudaEmitter.h - planned mamba ops to CUDA C++ ------------*- C++ -*-===//
//
// Prints one CUDA C++ translation unit per planned kernel op: a header comment
// (op, location, tile and launch plan, grid and block), a `Config` struct in
// which every shape and option the kernel is specialised on is a compile-time
// constant, and an `extern "C"` kernel that instantiates the device template
// of its op (codegen/device/<Op>.cuh) with that Config. The text printed is
// exactly what NVRTC compiles; the device headers it includes are embedded in
// the binary (see deviceHeaders()). The emitter never changes IR.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_CODEGEN_CUDAEMITTER_H
#define MAMBA_CODEGEN_CUDAEMITTER_H

#include "passes/KernelPlan.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir {
namespace mamba {

/// A kernel ready for NVRTC.
struct KernelSource {
  std::string symbol;       // extern "C" name, the op's `kernel` attribute
  std::string source;       // the translation unit
  std::string paramsStruct; // e.g. "SelectiveScanParams"
  KernelPlan plan;          // grid rule, block, shared memory
};

/// Emits the kernel of a planned op (one that went through mamba-to-cuda).
/// Fails with a diagnostic on the op when it is not planned.
FailureOr<KernelSource> emitKernelSource(Operation *op,
                                         const TargetInfo &target);

/// Prints every kernel of `module`, in order, separated by a banner line.
/// Library calls (mamba.linear) are listed as comments.
LogicalResult translateModuleToCuda(ModuleOp module, llvm::raw_ostream &os,
                                    const TargetInfo &target);

/// One embedded device header: the include name and its text.
struct EmbeddedHeader {
  const char *name;
  const char *text;
};

/// The device headers generated kernels include ("mamba/Common.cuh", ...),
/// embedded from codegen/device at build time.
llvm::ArrayRef<EmbeddedHeader> deviceHeaders();

/// Registers the `--mlir-to-cuda` translation for mamba-translate.
void registerToCudaTranslation();

} // namespace mamba
} // namespace mlir

#endif // MAMBA_CODEGEN_CUDAEMITTER_H
