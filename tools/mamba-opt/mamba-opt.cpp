//===- mamba-opt.cpp - run passes over .mlir files ------------------------===//
//
// Registers the mamba dialect, the upstream dialects that its IR uses (func,
// arith, tensor) and the passes of this project, and nothing else.
//
//===----------------------------------------------------------------------===//

#include "dialect/MambaDialect.h"
#include "passes/Passes.h"
#include "runtime/Version.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << mamba::versionText("mamba-opt") << "\n";
  });
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  mlir::mamba::registerMambaPassesAndPipelines();

  mlir::DialectRegistry registry;
  registry.insert<mlir::mamba::MambaDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mamba-opt: passes over the mamba dialect\n", registry));
}
