//===- mamba-tune.cpp - the autotuner and its database --------------------===//
//
// Every subcommand takes its kernel ops from IN.mlir, or from a model's IR
// (--model DIR: its config.json; --random-model NAME: a published shape),
// planned with mamba-to-cuda for --arch:
//
//   mamba-tune tune (IN.mlir | --model DIR | --random-model NAME)
//       [--batch 1,64] [--seqlen 2048] [--ops ssd,...] [--db FILE]
//       times the legal tiles of every kernel op on the GPU (Tuner.h) and
//       merges the winners into the tuning database the runtime reads
//       (default: <cache dir>/tuning-<arch>.json).
//   mamba-tune space (IN.mlir | --model DIR | --random-model NAME)
//       prints each kernel op's candidate tiles and the pruning counts
//       (no GPU needed).
//   mamba-tune records IN.mlir [--db FILE]
//       prints a tuning database with one record per kernel op: its key,
//       the tile it got and where that came from (db, db-nearest, or the
//       heuristic). Edit the tiles, or merge the file, to tune by hand.
//   mamba-tune merge OUT IN...
//       merges databases into OUT (a key already there is replaced unless
//       the record there is faster), under a lock of OUT.lock.
//
// The database format and the lookup rules are in passes/TuningDb.h.
//
//===----------------------------------------------------------------------===//

#include "dialect/MambaDialect.h"
#include "frontend/ModelBuilder.h"
#include "passes/Passes.h"
#include "passes/TileSpace.h"
#include "passes/TuningDb.h"
#include "runtime/Version.h"
#include "runtime/model/ModelConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/SourceMgr.h"

#if MAMBA_HAVE_CUDA
#include "Tuner.h"
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/KernelCache.h"
#include "runtime/cuda/Nvrtc.h"
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>
#endif

#include <CLI/CLI.hpp>

#include <cstdio>
#include <set>

using namespace mlir;
using namespace mlir::mamba;

namespace {

/// Where the kernel ops come from.
struct Source {
  std::string input, modelDir, randomModel, dtype = "bf16", arch = "sm_90";
  std::string db; // consulted while planning (records)

  void addOptions(CLI::App *app, bool models) {
    app->add_option("input", input, ".mlir file")->check(CLI::ExistingFile);
    if (models) {
      app->add_option("--model", modelDir, "A checkpoint directory's IR");
      app->add_option("--random-model", randomModel,
                      "A published model's IR (mamba-2.8b, mamba2-2.7b, ...)");
      app->add_option("--dtype", dtype, "Model activations: bf16, f16, f32");
    }
    app->add_option("--arch", arch, "Target arch (default sm_90)");
  }

  /// The planned module, or null after printing the error.
  OwningOpRef<ModuleOp> load(MLIRContext &context) const {
    int given = !input.empty() + !modelDir.empty() + !randomModel.empty();
    if (given != 1) {
      std::fprintf(stderr, "mamba-tune: give exactly one of IN.mlir, --model "
                           "DIR and --random-model NAME\n");
      return nullptr;
    }
    OwningOpRef<ModuleOp> module;
    if (!input.empty()) {
      llvm::SourceMgr sources;
      SourceMgrDiagnosticHandler diagnostics(sources, &context);
      module = parseSourceFile<ModuleOp>(input, sources, &context);
      if (!module)
        return nullptr;
    } else {
      ::mamba::Result<::mamba::ModelConfig> cfg =
          modelDir.empty() ? ::mamba::publishedModelConfig(randomModel)
                           : ::mamba::loadModelConfig(modelDir);
      if (!cfg.ok()) {
        std::fprintf(stderr, "mamba-tune: %s\n", cfg.error().c_str());
        return nullptr;
      }
      std::optional<::mamba::DType> t = ::mamba::parseFloatDType(dtype);
      if (!t) {
        std::fprintf(stderr,
                     "mamba-tune: --dtype: expected f32, f16 or bf16, got "
                     "'%s'\n",
                     dtype.c_str());
        return nullptr;
      }
      ModelIROptions options;
      options.dtype = *t;
      module = buildModelIR(context, *cfg, options);
    }
    llvm::SourceMgr sources;
    SourceMgrDiagnosticHandler diagnostics(sources, &context);
    PassManager pm(&context);
    MambaToCudaOptions options;
    options.arch = arch;
    options.db = db;
    buildMambaToCudaPipeline(pm, options);
    if (failed(pm.run(*module)))
      return nullptr;
    return module;
  }
};

/// Each kernel op of `module` whose key was not seen before.
std::vector<Operation *> uniqueKernelOps(ModuleOp module) {
  std::vector<Operation *> ops;
  std::set<std::string> keys;
  module.walk([&](Operation *op) {
    if (op->getAttrOfType<TileAttr>("tile") &&
        keys.insert(TuningDb::describe(op).key()).second)
      ops.push_back(op);
  });
  return ops;
}

DialectRegistry dialects() {
  DialectRegistry registry;
  registry.insert<MambaDialect, arith::ArithDialect, func::FuncDialect,
                  tensor::TensorDialect>();
  return registry;
}

/// The planned module of a source, in a context of its own; `module` is null
/// after an error was printed.
struct Planned {
  MLIRContext context;
  OwningOpRef<ModuleOp> module;
  explicit Planned(const Source &source) : context(dialects()) {
    module = source.load(context);
  }
};

int records(const Source &source) {
  Planned planned(source);
  if (!planned.module)
    return 1;
  ModuleOp module = *planned.module;
  TuningDb out;
  out.setGpu(source.arch, "{}");
  for (Operation *op : uniqueKernelOps(module)) {
    TuningRecord r = TuningDb::describe(op);
    for (const TileParam &p : op->getAttrOfType<TileAttr>("tile").getParams())
      r.tile.emplace_back(p.name.getValue().str(), p.value);
    out.add(r);
    auto from = op->getAttrOfType<StringAttr>(kTileSourceAttr);
    std::fprintf(stderr, "%s: tile from %s\n", r.key().c_str(),
                 from ? from.getValue().str().c_str() : "the heuristic");
  }
  std::fputs(out.toJson().c_str(), stdout);
  return 0;
}

int space(const Source &source, const TileSpaceOptions &options) {
  Planned planned(source);
  if (!planned.module)
    return 1;
  ModuleOp module = *planned.module;
  TargetInfo target = *TargetInfo::get(source.arch);
  for (Operation *op : uniqueKernelOps(module)) {
    OwningOpRef<ModuleOp> scratch = ModuleOp::create(op->getLoc());
    func::FuncOp fn = addIsolatedOpFunc(*scratch, op, "space", nullptr);
    TileSpaceStats stats;
    FailureOr<std::vector<TileCandidate>> tiles =
        enumerateTiles(&fn.getBody().front().front(), target, options, &stats);
    if (failed(tiles))
      return 1;
    std::printf("%s\n  %zu candidates: %lld combinations tried, %lld verify; "
                "pruned %lld by launch limits, %lld by registers, %lld by "
                "occupancy, %lld beyond the limit\n",
                TuningDb::describe(op).key().c_str(), tiles->size(),
                (long long)stats.combinations, (long long)stats.verified,
                (long long)stats.prunedLaunch, (long long)stats.prunedRegisters,
                (long long)stats.prunedOccupancy, (long long)stats.cut);
    for (const TileCandidate &c : *tiles)
      std::printf("  %-9s %s  [threads %lld, smem %lld, distance %.1f]\n",
                  c.heuristic ? "heuristic" : "", tileText(c.params).c_str(),
                  (long long)c.plan.threads(), (long long)c.plan.smem,
                  c.distance);
  }
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

#if MAMBA_HAVE_CUDA
std::string pointText(std::pair<int64_t, int64_t> p) {
  return "b" + std::to_string(p.first) +
         (p.second ? " L" + std::to_string(p.second) : "");
}

/// "13.0": the CUDA version the driver supports.
std::string driverVersion() {
  ::mamba::Result<int> v = ::mamba::cuda::driverVersion();
  if (!v.ok())
    return "unknown";
  return std::to_string(*v / 1000) + "." + std::to_string(*v % 1000 / 10);
}

int tune(const Source &source, ::mamba::TuneOptions options,
         const std::string &dbOut, const std::string &jsonOut) {
  ::mamba::Result<std::shared_ptr<::mamba::GpuContext>> gpu =
      ::mamba::GpuContext::open();
  if (!gpu.ok()) {
    std::fprintf(stderr, "mamba-tune tune: %s\n", gpu.error().c_str());
    return 1;
  }
  Source forGpu = source;
  forGpu.arch = (*gpu)->arch();
  Planned planned(forGpu);
  if (!planned.module)
    return 1;
  ModuleOp module = *planned.module;
  options.progress = [](const std::string &line) {
    std::fprintf(stderr, "%s\n", line.c_str());
  };
  std::fprintf(stderr, "mamba-tune: %s (%s, %d SMs)\n", (*gpu)->name().c_str(),
               (*gpu)->arch().c_str(), (*gpu)->multiProcessors());
  ::mamba::Result<std::vector<::mamba::OpTuning>> tuned =
      ::mamba::tuneModule(*gpu, module, options);
  if (!tuned.ok()) {
    std::fprintf(stderr, "mamba-tune tune: %s\n", tuned.error().c_str());
    return 1;
  }
  std::printf("%-28s %-14s %5s  %-52s %10s  %-52s %10s %6s %7s\n", "kernel",
              "points", "cands", "heuristic tile", "us", "tuned tile", "us",
              "x", "of_roof");
  std::vector<TuningRecord> records;
  int failures = 0;
  nlohmann::json doc = {{"device", (*gpu)->name()},
                        {"arch", (*gpu)->arch()},
                        {"ops", nlohmann::json::array()}};
  for (const ::mamba::OpTuning &t : *tuned) {
    std::string points;
    for (auto p : t.points)
      points += (points.empty() ? "" : ",") + pointText(p);
    nlohmann::json op = {{"key", t.record.key()},
                         {"skipped", t.skipped},
                         {"candidates", nlohmann::json::array()}};
    if (!t.skipped.empty()) {
      // A heuristic tile that fails its check is a bug to report.
      if (t.skipped.rfind("the heuristic tile", 0) == 0)
        failures = 1;
      doc["ops"].push_back(op);
      continue;
    }
    int timed = 0;
    for (const ::mamba::CandidateResult &c : t.candidates) {
      timed += c.reject.empty();
      op["candidates"].push_back({{"tile", tileText(c.tile)},
                                  {"registers", c.registers},
                                  {"spill_bytes", c.spillBytes},
                                  {"rel_l2", c.error},
                                  {"rejected", c.reject},
                                  {"us", c.us}});
    }
    nlohmann::json pts = nlohmann::json::array();
    for (auto p : t.points)
      pts.push_back({p.first, p.second});
    op["points"] = pts;
    op["best"] = t.best;
    const ::mamba::CandidateResult &h = t.candidates[0];
    const ::mamba::CandidateResult &w = t.candidates[size_t(t.best)];
    std::string shape = t.opName.substr(6) + " " + t.record.operands[0];
    // The summed floor times of the points over the summed tuned times.
    double floorUs = 0;
    for (double b : t.floorBytes)
      floorUs += b / t.copyRoof * 1e6;
    op["floor_bytes"] = t.floorBytes;
    op["copy_roof_GBps"] = t.copyRoof / 1e9;
    std::printf("%-28s %-14s %5d  %-52s %10.2f  %-52s %10.2f %5.2fx %6.1f%%\n",
                shape.c_str(), points.c_str(), timed, tileText(h.tile).c_str(),
                *t.record.heuristicUs, tileText(w.tile).c_str(), *t.record.us,
                *t.record.heuristicUs / *t.record.us,
                100 * floorUs / *t.record.us);
    doc["ops"].push_back(op);
    records.push_back(t.record);
  }
  if (!jsonOut.empty()) {
    std::ofstream(jsonOut) << doc.dump(2) << "\n";
    std::fprintf(stderr, "mamba-tune: wrote %s\n", jsonOut.c_str());
  }
  if (dbOut == "off" || records.empty())
    return failures;
  std::string path = dbOut.empty() ? ::mamba::cuda::KernelCache::defaultDir() +
                                         "/tuning-" + (*gpu)->arch() + ".json"
                                   : dbOut;
  std::string error;
  ::mamba::Result<std::string> nvrtc = ::mamba::cuda::nvrtcVersionString();
  nlohmann::json gpuInfo = {{"name", (*gpu)->name()},
                            {"sms", (*gpu)->multiProcessors()},
                            {"compute_capability", (*gpu)->computeCapability()},
                            {"driver", driverVersion()},
                            {"nvrtc", nvrtc.ok() ? *nvrtc : "unknown"}};
  if (failed(TuningDb::mergeInto(path, (*gpu)->arch(), records, error,
                                 gpuInfo.dump()))) {
    std::fprintf(stderr, "mamba-tune tune: %s\n", error.c_str());
    return 1;
  }
  std::fprintf(stderr, "mamba-tune: %zu records merged into %s\n",
               records.size(), path.c_str());
  return failures;
}
#endif

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"mamba-tune: the autotuner and tuning database of the tile "
               "passes"};
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       [] { return ::mamba::versionText("mamba-tune"); });
  Source source;
  std::string output, dbOut, jsonOut;
  std::vector<std::string> inputs;
  TileSpaceOptions spaceOptions;
  auto addSpaceOptions = [&](CLI::App *cmd) {
    cmd->add_option("--max-candidates", spaceOptions.maxCandidates,
                    "Keep the N tiles nearest the heuristic (0: all)");
    cmd->add_option("--min-registers", spaceOptions.minRegisters,
                    "Prune plans leaving fewer registers a thread");
    cmd->add_option("--min-warps", spaceOptions.minWarpsPerSM,
                    "Prune plans with fewer resident warps an SM");
  };

  CLI::App *tuneCmd = app.add_subcommand(
      "tune", "Time every kernel op's legal tiles on the GPU and record the "
              "fastest");
  source.addOptions(tuneCmd, true);
  addSpaceOptions(tuneCmd);
#if MAMBA_HAVE_CUDA
  ::mamba::TuneOptions tuneOptions;
  std::string opsList;
  tuneCmd
      ->add_option("--batch", tuneOptions.batches,
                   "Batch sizes to time at (default 1)")
      ->delimiter(',');
  tuneCmd
      ->add_option("--seqlen", tuneOptions.seqlens,
                   "Sequence lengths to time prefill ops at (default 2048)")
      ->delimiter(',');
  tuneCmd->add_option("--ops", opsList,
                      "Only these ops, e.g. ssd,selective_state_update");
  tuneCmd->add_option("--min-gain", tuneOptions.minGain,
                      "Keep the heuristic's tile unless one is this much "
                      "faster on average (default 0.03)");
  tuneCmd->add_option("--repeats", tuneOptions.repeats,
                      "Timed graph replays a candidate and point");
  tuneCmd->add_option("--db", dbOut,
                      "Database to merge the results into (default: the "
                      "runtime's, <cache dir>/tuning-<arch>.json; off: none)");
  tuneCmd->add_option("--json", jsonOut, "Every candidate's results as JSON");
#endif

  CLI::App *spaceCmd = app.add_subcommand(
      "space", "Print each kernel op's candidate tiles (no GPU needed)");
  source.addOptions(spaceCmd, true);
  addSpaceOptions(spaceCmd);

  CLI::App *rec = app.add_subcommand(
      "records", "Plan IR and print a tuning database of its kernel ops");
  source.addOptions(rec, true);
  rec->add_option("--db", source.db, "Tuning database to consult")
      ->check(CLI::ExistingFile);

  CLI::App *mrg =
      app.add_subcommand("merge", "Merge tuning databases into OUT");
  mrg->add_option("output", output, "Database to merge into")->required();
  mrg->add_option("inputs", inputs, "Databases to merge")
      ->required()
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  if (rec->parsed())
    return records(source);
  if (spaceCmd->parsed())
    return space(source, spaceOptions);
  if (mrg->parsed())
    return merge(output, inputs);
#if MAMBA_HAVE_CUDA
  tuneOptions.space = spaceOptions;
  for (llvm::StringRef rest = opsList; !rest.empty();) {
    auto [name, tail] = rest.split(',');
    if (!name.trim().empty())
      tuneOptions.ops.insert(name.trim().str());
    rest = tail;
  }
  return tune(source, tuneOptions, dbOut, jsonOut);
#else
  std::fprintf(stderr, "mamba-tune tune: this build has no CUDA backend\n");
  return 1;
#endif
}
