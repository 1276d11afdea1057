//===- mamba-translate.cpp - translations out of the mamba dialect --------===//
//
// `mamba-translate --mlir-to-cuda FILE` prints, for every planned kernel op in
// FILE (the output of `mamba-opt --mamba-to-cuda`), exactly the CUDA C++ that
// the runtime hands to NVRTC.
//
//===----------------------------------------------------------------------===//

#include "codegen/CudaEmitter.h"
#include "runtime/Version.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << mamba::versionText("mamba-translate") << "\n";
  });
  mlir::mamba::registerToCudaTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "mamba-translate: mamba IR out"));
}
