//===- MambaIrFuzzer.cpp - fuzz the mamba dialect parser and verifiers ----===//
//
// The input is .mlir text over the dialects mamba-opt registers (mamba, func,
// arith, tensor). Parsing and verifying arbitrary text may only produce
// diagnostics. IR that verifies must print, and the printed form must parse
// and verify again.
//
//===----------------------------------------------------------------------===//

#include "FuzzMlir.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

using namespace mlir;

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
  ::mamba::fuzz::FuzzContext fc;
  MLIRContext &ctx = fc.ctx;
  std::string &diagnostics = fc.diagnostics;
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
