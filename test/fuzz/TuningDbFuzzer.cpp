//===- TuningDbFuzzer.cpp - fuzz tuning databases through the pipeline ----===//
//
// The input is a tuning database (passes/TuningDb.h), as --tuning-db,
// MAMBA_TUNING_DB or `mamba-opt --mamba-to-cuda="db=FILE"` hand it over. It
// must load or fail with a message that names the file. One that loads
// writes itself out (toJson) and that loads again with the same records,
// and the whole mamba-to-cuda pipeline then plans the ops of
// test/passes/tuning-db.mlir with it: the pipeline may fail only with
// diagnostics, and IR it plans verifies (a database tile that does not
// verify for its op is never used).
//
//===----------------------------------------------------------------------===//

#include "FuzzMlir.h"
#include "FuzzUtil.h"

#include "passes/Passes.h"
#include "passes/TuningDb.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace mlir;

namespace {

const std::string &moduleText() {
  static const std::string text = [] {
    std::ifstream in(MAMBA_TUNING_DB_MODULE);
    std::stringstream s;
    s << in.rdbuf();
    if (!in || s.str().empty()) {
      std::fprintf(stderr, "cannot read %s\n", MAMBA_TUNING_DB_MODULE);
      std::abort();
    }
    return s.str();
  }();
  return text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A new name for every input: the passes share loaded databases by path
  // and modification time, which a rewrite within one tick would not change.
  static int counter = 0;
  const std::string name = "db-" + std::to_string(counter++) + ".json";
  std::string path = ::mamba::fuzz::writeScratch(
      name, std::string_view(reinterpret_cast<const char *>(data), size));
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{path};

  std::string error;
  FailureOr<std::shared_ptr<const mlir::mamba::TuningDb>> db =
      mlir::mamba::TuningDb::load(path, error);
  if (failed(db)) {
    if (error.find(path) == std::string::npos) {
      std::fprintf(stderr, "the error does not name the file: %s\n",
                   error.c_str());
      std::abort();
    }
    return 0;
  }
  // What it writes, it reads back.
  std::string again =
      ::mamba::fuzz::writeScratch(name + ".out", (*db)->toJson());
  Remove removeAgain{again};
  FailureOr<std::shared_ptr<const mlir::mamba::TuningDb>> back =
      mlir::mamba::TuningDb::load(again, error);
  if (failed(back) || (*back)->records().size() != (*db)->records().size()) {
    std::fprintf(stderr, "toJson does not load back: %s\n", error.c_str());
    std::abort();
  }

  ::mamba::fuzz::FuzzContext fc;
  MLIRContext &ctx = fc.ctx;
  const std::string &diagnostics = fc.diagnostics;
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(moduleText(), "tuning-db.mlir"),
      llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sources, &ctx);
  if (!module) {
    std::fprintf(stderr, "the fixed module does not parse:\n%s\n",
                 diagnostics.c_str());
    std::abort();
  }
  PassManager pm(&ctx);
  mlir::mamba::MambaToCudaOptions options;
  options.arch = (*db)->arch();
  options.db = path;
  mlir::mamba::buildMambaToCudaPipeline(pm, options);
  if (succeeded(pm.run(*module)) && failed(verify(*module))) {
    std::fprintf(stderr, "planned IR does not verify:\n%s\n",
                 diagnostics.c_str());
    std::abort();
  }
  return 0;
}
