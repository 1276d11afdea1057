//===- mamba-translate.cpp - translations out of the mamba dialect --------===//
//
// `mamba-translate --mlir-to-cuda FILE` prints, for every planned kernel op in
// FILE (the output of `mamba-opt --mamba-to-cuda`), exactly the CUDA C++ that
// the runtime hands to NVRTC.
//
//===----------------------------------------------------------------------===//

#include "codegen/CudaEmitter.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::mamba::registerToCudaTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "mamba-translate: mamba IR out"));
}
