//===- Tuner.h - times the legal tiles of kernel ops on the GPU -*- C++ -*-===//
//
// `mamba-tune tune`: for every kernel op of a module (a model's, or a file's),
//   1. enumerates and prunes its tile space (passes/TileSpace.h);
//   2. compiles every candidate with NVRTC, in parallel, in one module;
//      drops candidates that spill registers (ptxas);
//   3. checks each candidate against the CPU reference backend on random
//      inputs at a check size (batch 2, 259 steps: odd, several chunks, and
//      long enough that the chunked selective_scan runs): relative L2 error
//      of every result <= 1e-2 (16-bit activations) or 1e-4 (f32), else the
//      candidate is never timed or recorded;
//   4. times the survivors at every tuning point (against the copy roof: the
//      bytes of the operands and results at that size over the time) (batch x
//      length for ops with a sequence dimension, batch for decode ops) as the
//      median replay of a CUDA graph that runs the op on rotating copies of its
//      inputs;
//   5. picks the tile with the smallest mean ratio to the heuristic's time
//      over the points, keeps the heuristic's unless that mean is below
//      1 - minGain (3%: end-to-end runs differ by that much between
//      processes), and records it (op key, tile, summed times).
// Dynamic dims of an operand are, in order, the batch and the sequence
// length (the layout of the model's IR). selective_scan is timed only at
// lengths >= kShortScanMaxSeqLen: shorter ones run its state-parallel twin.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TOOLS_TUNER_H
#define MAMBA_TOOLS_TUNER_H

#include "passes/TileSpace.h"
#include "passes/TuningDb.h"
#include "runtime/Gpu.h"
#include "runtime/Result.h"

#include "mlir/IR/BuiltinOps.h"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace mamba {

struct TuneOptions {
  std::vector<int64_t> batches = {1};
  std::vector<int64_t> seqlens = {2048};
  /// Op names to tune ("ssd", "selective_scan", ...); empty: every op with
  /// a tile space worth searching (not argmax or elementwise ops).
  std::set<std::string> ops;
  mlir::mamba::TileSpaceOptions space;
  int repeats = 20;
  double minGain = 0.03;
  int64_t checkBatch = 2, checkSeqlen = 259;
  /// Test hook: adds 1 to the first output of this candidate (by index in
  /// the candidate list) before the check, which must then reject it.
  int corruptCandidate = -1;
  /// A line of progress.
  std::function<void(const std::string &)> progress;
};

struct CandidateResult {
  mlir::mamba::TileParams tile;
  int registers = -1, spillBytes = 0;
  double error = 0;       // largest relative L2 error of a result
  std::string reject;     // why it was not timed; empty if it was
  std::vector<double> us; // per tuning point
};

struct OpTuning {
  mlir::mamba::TuningRecord record; // key fields, the winner, summed times
  std::string opName;
  std::vector<std::pair<int64_t, int64_t>> points; // (batch, seqlen or 0)
  /// Bytes a point reads and writes at least: every operand read once and
  /// every result written once.
  std::vector<double> floorBytes;
  double copyRoof = 0;                     // bytes/s, measured once per run
  std::vector<CandidateResult> candidates; // the heuristic first
  mlir::mamba::TileSpaceStats stats;
  int best = 0;        // index into candidates
  std::string skipped; // why the op was not tuned; empty if it was
};

/// Tunes the kernel ops of `module` (planned or not; one op per key).
Result<std::vector<OpTuning>> tuneModule(std::shared_ptr<GpuContext> gpu,
                                         mlir::ModuleOp module,
                                         const TuneOptions &options);

} // namespace mamba

#endif // MAMBA_TOOLS_TUNER_H
