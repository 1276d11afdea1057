//===- mamba-tune.cpp - the tuning database's tool
//-------------------------===//
//
//   mamba-tune records IN.mlir [--arch sm_90] [--db FILE]
//       plans IN.mlir with mamba-to-cuda (consulting FILE) and prints a
//       tuning database with one record per kernel op: its key (op, operand
//       types, attributes), the tile it got and where that came from
//       (`tile_source`: db, db-nearest, or none for the heuristic). Edit the
//       tiles, or merge the file, to tune by hand.
//   mamba-tune merge OUT IN... : merges tuning databases into OUT (created
//       if missing; a record of a key already there replaces it unless the
//       one there is faster), under a lock of OUT.lock, so that several
//       processes may merge into one database at once.
//
// The database format and the lookup rules are in passes/TuningDb.h.
//
//===----------------------------------------------------------------------===//

#include "dialect/MambaDialect.h"
#include "passes/Passes.h"
#include "passes/TuningDb.h"
#include "runtime/Version.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/SourceMgr.h"

#include <CLI/CLI.hpp>

#include <cstdio>

using namespace mlir;
using namespace mlir::mamba;

namespace {

int records(const std::string &input, const std::string &arch,
            const std::string &db) {
  DialectRegistry registry;
  registry.insert<MambaDialect, arith::ArithDialect, func::FuncDialect,
                  tensor::TensorDialect>();
  MLIRContext context(registry);
  llvm::SourceMgr sources;
  SourceMgrDiagnosticHandler diagnostics(sources, &context);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(input, sources, &context);
  if (!module)
    return 1;
  PassManager pm(&context);
  MambaToCudaOptions options;
  options.arch = arch;
  options.db = db;
  buildMambaToCudaPipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;
  TuningDb out;
  out.setGpu(arch, "{}");
  module->walk([&](Operation *op) {
    auto tile = op->getAttrOfType<TileAttr>("tile");
    if (!tile)
      return;
    TuningRecord r = TuningDb::describe(op);
    for (const TileParam &p : tile.getParams())
      r.tile.emplace_back(p.name.getValue().str(), p.value);
    out.add(r);
    auto source = op->getAttrOfType<StringAttr>(kTileSourceAttr);
    std::fprintf(stderr, "%s: tile from %s\n", r.key().c_str(),
                 source ? source.getValue().str().c_str() : "the heuristic");
  });
  std::fputs(out.toJson().c_str(), stdout);
  return 0;
}

int merge(const std::string &output, const std::vector<std::string> &inputs) {
  std::vector<TuningRecord> all;
  std::string arch;
  for (const std::string &in : inputs) {
    std::string error;
    FailureOr<std::shared_ptr<const TuningDb>> db = TuningDb::load(in, error);
    if (failed(db)) {
      std::fprintf(stderr, "mamba-tune merge: %s\n", error.c_str());
      return 1;
    }
    if (!arch.empty() && (*db)->arch() != arch) {
      std::fprintf(
          stderr, "mamba-tune merge: %s: gpu.arch: %s, but %s is for %s\n",
          in.c_str(), (*db)->arch().c_str(), inputs[0].c_str(), arch.c_str());
      return 1;
    }
    arch = (*db)->arch();
    all.insert(all.end(), (*db)->records().begin(), (*db)->records().end());
  }
  std::string error;
  if (failed(TuningDb::mergeInto(output, arch, all, error))) {
    std::fprintf(stderr, "mamba-tune merge: %s\n", error.c_str());
    return 1;
  }
  std::fprintf(stderr, "mamba-tune merge: %zu records into %s\n", all.size(),
               output.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"mamba-tune: the tuning database of the tile passes"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       [] { return ::mamba::versionText("mamba-tune"); });
  std::string input, arch = "sm_90", db, output;
  std::vector<std::string> inputs;
  CLI::App *rec = app.add_subcommand(
      "records", "Plan IR and print a tuning database of its kernel ops");
  rec->add_option("input", input, ".mlir file")
      ->required()
      ->check(CLI::ExistingFile);
  rec->add_option("--arch", arch, "Target arch (default sm_90)");
  rec->add_option("--db", db, "Tuning database to consult")
      ->check(CLI::ExistingFile);
  CLI::App *mrg =
      app.add_subcommand("merge", "Merge tuning databases into OUT");
  mrg->add_option("output", output, "Database to merge into")->required();
  mrg->add_option("inputs", inputs, "Databases to merge")
      ->required()
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (rec->parsed())
    return records(input, arch, db);
  return merge(output, inputs);
}
