//===- MambaIrFuzzer.cpp - fuzz the mamba dialect parser and verifiers ----===//
//
// The input is .mlir text over the dialects mamba-opt registers (mamba, func,
// arith, tensor). Parsing and verifying arbitrary text may only produce
// diagnostics. IR that verifies must print, and the printed form must parse
// and verify again.
//
//===----------------------------------------------------------------------===//

#include "dialect/MambaDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;

// Debian's MLIR/LLVM libraries are not instrumented: llvm::BumpPtrAllocator
// poisons slab memory only in this file's inline copies, so manual poisoning
// is off (docs/fuzzing.md, "Mixed instrumentation").
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

static const DialectRegistry &registry() {
  static const DialectRegistry r = [] {
    DialectRegistry reg;
    reg.insert<mamba::MambaDialect, arith::ArithDialect, func::FuncDialect,
               tensor::TensorDialect>();
    return reg;
  }();
  return r;
}

/// Parses and verifies `text` in `ctx`; null when either fails. The text is
/// copied into a NUL-terminated buffer, as mamba-opt reads files: MLIR's
/// lexer stops at the NUL, not at the end of the buffer.
static OwningOpRef<ModuleOp> parseAndVerify(MLIRContext &ctx,
                                            llvm::StringRef text) {
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "input"), llvm::SMLoc());
  ParserConfig config(&ctx, /*verifyAfterParse=*/false);
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sources, config);
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A fresh context per input: a shared one would keep every type and
  // attribute any input ever made.
  MLIRContext ctx(registry(), MLIRContext::Threading::DISABLED);
  ctx.loadAllAvailableDialects();
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    diagnostics += diag.str();
    diagnostics += '\n';
    return success();
  });
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseAndVerify(ctx, text);
  if (!module)
    return 0;

  // Verified IR round-trips through its printed (custom) form.
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  os.flush();
  diagnostics.clear();
  if (!parseAndVerify(ctx, printed)) {
    std::fprintf(stderr, "verified IR does not round-trip:\n%s\n%s\n",
                 printed.c_str(), diagnostics.c_str());
    std::abort();
  }
  return 0;
}
