//===- FuzzMlir.h - the MLIR setup of the IR-reading harnesses --*- C++ -*-===//
//
// MambaIrFuzzer.cpp and TuningDbFuzzer.cpp parse IR over the dialects that
// mamba-opt registers. Each input gets a fresh context (a shared one would
// keep every type and attribute any input ever made) whose diagnostics are
// collected into a string, for the harness to print when it aborts.
//
// Include this header in one file of a harness: it defines the harness's
// __asan_default_options. Debian's MLIR/LLVM libraries are not instrumented:
// llvm::BumpPtrAllocator poisons slab memory only in the harness's inline
// copies, so manual poisoning is off (docs/fuzzing.md, "Mixed
// instrumentation").
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TEST_FUZZ_FUZZMLIR_H
#define MAMBA_TEST_FUZZ_FUZZMLIR_H

#include "dialect/MambaDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"

#include <string>

extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

namespace mamba::fuzz {

/// The dialects of mamba-opt: mamba, arith, func, tensor.
inline const mlir::DialectRegistry &mambaRegistry() {
  static const mlir::DialectRegistry r = [] {
    mlir::DialectRegistry reg;
    reg.insert<mlir::mamba::MambaDialect, mlir::arith::ArithDialect,
               mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
    return reg;
  }();
  return r;
}

/// A context of one input, single-threaded, with those dialects loaded;
/// every diagnostic it emits is appended to `diagnostics`.
struct FuzzContext {
  mlir::MLIRContext ctx{mambaRegistry(),
                        mlir::MLIRContext::Threading::DISABLED};
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler{&ctx, [this](mlir::Diagnostic &diag) {
                                          diagnostics += diag.str();
                                          diagnostics += '\n';
                                          return mlir::success();
                                        }};
  FuzzContext() { ctx.loadAllAvailableDialects(); }
};

} // namespace mamba::fuzz

#endif // MAMBA_TEST_FUZZ_FUZZMLIR_H
