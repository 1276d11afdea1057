//===- TuningDb.h - tuned tiles, persisted per GPU --------------*- C++ -*-===//
//
// A tuning database is a JSON file for one GPU:
//
//   {"format": "mamba-tuning-db", "version": 1,
//    "gpu": {"arch": "sm_90", "name": "...", "sms": 132, ...},
//    "records": [{"op": "mamba.ssd",
//                 "operands": ["tensor<?x?x80x64xbf16>", ...],
//                 "attributes": "{dt_softplus}",
//                 "tile": {"chunk": 64, "p_tile": 64, ...},
//                 "us": 112.4, "heuristic_us": 117.7, "date": "2026-12-07"}]}
//
// A record's key is the op's name, its operand types as the tile pass sees
// them (static sizes, `?` for dynamic ones, element types) and its inherent
// attributes other than the plan (tile, launch, kernel, library). The tile
// passes look an op up before they run the heuristic:
//   1. a record with the same key (source "db");
//   2. else the nearest record: same op, attributes and operand element
//      types and ranks, the same dynamic dimensions, and the smallest sum of
//      |log2(a / b)| over the static sizes, whose tile verifies for this op
//      (source "db-nearest");
//   3. else the heuristic.
// `gpu.arch` must be the arch the pass plans for.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_PASSES_TUNINGDB_H
#define MAMBA_PASSES_TUNINGDB_H

#include "passes/KernelPlan.h"

#include "mlir/IR/Operation.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace mamba {

struct TuningRecord {
  std::string op;
  std::vector<std::string> operands;
  std::string attributes;
  TileParams tile;
  std::optional<double> us, heuristicUs;
  std::string date;

  std::string key() const;
};

class TuningDb {
public:
  /// Reads and validates `path`. Errors name the file, the field and the
  /// rule ("db.json: records[2].tile.warps: expected an integer").
  static FailureOr<std::shared_ptr<const TuningDb>>
  load(const std::string &path, std::string &error);
  /// load() once per path and modification time, shared by every pass and
  /// thread of the process.
  static FailureOr<std::shared_ptr<const TuningDb>>
  loadCached(const std::string &path, std::string &error);

  /// The database the runtime plans with for `arch`: $MAMBA_TUNING_DB ("off"
  /// for none), else `cacheDir`/tuning-`arch`.json (what `mamba-tune tune`
  /// writes), else `arch`.json in the first of shippedDirs() that has it,
  /// else none (empty).
  /// `given` (a --tuning-db option) comes before all of them: a path, or
  /// "off" for none.
  static std::string runtimeDefault(const std::string &arch,
                                    const std::string &cacheDir,
                                    const std::string &given = "");
  /// Where the databases the project ships are looked for: the source
  /// tree's tuning/, then <executable>/../share/mamba-jit/tuning.
  static std::vector<std::string> shippedDirs();

  /// The key fields of `op` (its record has these op/operands/attributes).
  static TuningRecord describe(Operation *op);

  /// The exact record for `op`, else null.
  const TuningRecord *find(Operation *op) const;
  /// Records comparable to `op` (same op, attributes, element types, ranks
  /// and dynamic dims), nearest first.
  std::vector<const TuningRecord *> nearest(Operation *op) const;

  const std::string &arch() const { return arch_; }
  const std::vector<TuningRecord> &records() const { return records_; }

  /// Adds `r`, replacing a record of the same key unless that one is faster
  /// (both timed) or `r` has no time and it has.
  void add(const TuningRecord &r);
  void setGpu(std::string arch, std::string json);
  std::string toJson() const;

  /// Merges `records` into the database at `path` (created if missing) under
  /// an exclusive lock of `path`.lock, and writes it through a temporary
  /// file and a rename: safe when several processes write at once.
  /// `gpuJson`, when given, replaces the description of the GPU (name, SM
  /// count, driver, ...; `arch` stays).
  static LogicalResult mergeInto(const std::string &path,
                                 const std::string &arch,
                                 const std::vector<TuningRecord> &records,
                                 std::string &error,
                                 const std::string &gpuJson = "");

private:
  std::string arch_, gpuJson_ = "{}";
  std::vector<TuningRecord> records_;
  std::map<std::string, size_t> byKey_;
};

/// Where the tile of an op came from, as the tile passes record it in the
/// op's `tile_source` attribute ("db", "db-nearest"); no attribute means the
/// heuristic or a tile that was already there.
constexpr const char *kTileSourceAttr = "tile_source";

} // namespace mamba
} // namespace mlir

#endif // MAMBA_PASSES_TUNINGDB_H
