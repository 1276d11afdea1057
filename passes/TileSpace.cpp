//===- TileSpace.cpp - the legal tiles of a kernel op, for tuning ---------===//

#include "passes/TileSpace.h"

#include "passes/OpPlans.h"
#include "passes/TuningDb.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace mlir;
using namespace mlir::mamba;

const int64_t mlir::mamba::kTileSpaceValues[20] = {
    1,  2,  3,  4,   6,   8,   12,  16,  24,  32,
    48, 64, 96, 128, 192, 256, 384, 512, 768, 1024};

std::string mlir::mamba::tileText(const TileParams &params) {
  std::string s;
  for (const auto &[name, value] : params)
    s += (s.empty() ? "" : ", ") + name + " = " + std::to_string(value);
  return s;
}

TileAttr mlir::mamba::tileAttr(MLIRContext *ctx, const TileParams &params) {
  SmallVector<std::pair<StringRef, int64_t>> list;
  for (const auto &p : params)
    list.emplace_back(p.first, p.second);
  return TileAttr::get(ctx, list);
}

func::FuncOp mlir::mamba::addIsolatedOpFunc(ModuleOp module, Operation *op,
                                            StringRef name,
                                            const TileParams *tile,
                                            bool toF32) {
  MLIRContext *ctx = op->getContext();
  auto convert = [&](Type t) -> Type {
    auto ranked = dyn_cast<RankedTensorType>(t);
    if (!toF32 || !ranked || !isa<FloatType>(ranked.getElementType()))
      return t;
    return RankedTensorType::get(ranked.getShape(), Float32Type::get(ctx));
  };
  SmallVector<Type> args, results;
  for (Type t : op->getOperandTypes())
    args.push_back(convert(t));
  for (Type t : op->getResultTypes())
    results.push_back(convert(t));
  OpBuilder b(module.getBodyRegion());
  b.setInsertionPointToEnd(module.getBody());
  Location loc = op->getLoc();
  auto fn = b.create<func::FuncOp>(loc, name, b.getFunctionType(args, results));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  IRMapping map;
  map.map(op->getOperands(), entry->getArguments());
  Operation *copy = b.clone(*op, map);
  for (auto [r, t] : llvm::zip(copy->getResults(), results))
    r.setType(t);
  for (StringRef attr : {"tile", "launch", "kernel", kTileSourceAttr})
    copy->removeAttr(attr);
  if (tile)
    copy->setAttr("tile", tileAttr(ctx, *tile));
  b.create<func::ReturnOp>(loc, copy->getResults());
  return fn;
}

namespace {

/// The tile every parameter of a variant is varied around.
FailureOr<TileParams> baseTile(Operation *op, ArrayRef<StringRef> names,
                               const TileParams &heuristic) {
  auto sameNames = [&](const TileParams &t) {
    return t.size() == names.size() && llvm::all_of(t, [&](const auto &p) {
             return llvm::is_contained(names, p.first);
           });
  };
  if (sameNames(heuristic))
    return heuristic;
  if (auto scan = dyn_cast<SelectiveScanOp>(op)) {
    FailureOr<TileParams> t = shortSequenceSelectiveScanTile(scan);
    if (succeeded(t) && sameNames(*t))
      return t;
  }
  return failure();
}

double log2Distance(const TileParams &a, const TileParams &b) {
  double d = 0;
  for (const auto &[name, value] : a) {
    auto it = llvm::find_if(b, [&](const auto &p) { return p.first == name; });
    if (it == b.end())
      return -1;
    d += std::fabs(std::log2(double(value) / double(it->second)));
  }
  return d;
}

} // namespace

FailureOr<std::vector<TileCandidate>>
mlir::mamba::enumerateTiles(Operation *op, const TargetInfo &target,
                            const TileSpaceOptions &options,
                            TileSpaceStats *statsOut) {
  TileSpaceStats stats;
  FailureOr<TileParams> heuristic = heuristicTile(op, target);
  if (failed(heuristic))
    return failure();
  MLIRContext *ctx = op->getContext();
  std::vector<TileCandidate> out;
  {
    // Rejections are expected here: keep them off the user's terminal.
    ScopedDiagnosticHandler quiet(ctx, [](Diagnostic &) { return success(); });
    SmallVector<SmallVector<StringRef>> variants = alternativeTileNames(op);
    if (variants.empty()) {
      SmallVector<StringRef> names;
      for (const auto &p : *heuristic)
        names.push_back(p.first);
      variants.push_back(names);
    }
    for (const SmallVector<StringRef> &names : variants) {
      FailureOr<TileParams> base = baseTile(op, names, *heuristic);
      if (failed(base))
        continue;
      // The values of each parameter that verify with the others at base.
      std::vector<std::vector<int64_t>> legal(base->size());
      for (size_t i = 0; i < base->size(); ++i) {
        for (int64_t v : kTileSpaceValues) {
          TileParams t = *base;
          t[i].second = v;
          ++stats.combinations;
          if (succeeded(verifyTile(op, tileAttr(ctx, t))))
            legal[i].push_back(v);
        }
        if (!llvm::is_contained(legal[i], (*base)[i].second))
          legal[i].push_back((*base)[i].second);
      }
      // Their product, in odometer order.
      std::vector<size_t> digit(base->size(), 0);
      while (true) {
        TileParams t = *base;
        for (size_t i = 0; i < t.size(); ++i)
          t[i].second = legal[i][digit[i]];
        ++stats.combinations;
        TileAttr attr = tileAttr(ctx, t);
        if (succeeded(verifyTile(op, attr))) {
          ++stats.verified;
          FailureOr<KernelPlan> plan = planKernel(op, attr, target);
          if (failed(plan)) {
            ++stats.prunedLaunch;
          } else if (plan->regBudget(target) < options.minRegisters) {
            ++stats.prunedRegisters;
          } else {
            int64_t threads = plan->threads();
            int64_t blocks = std::min<int64_t>(32, 2048 / threads);
            if (plan->smem > 0)
              blocks = std::min(blocks, target.maxSmemPerBlock / plan->smem);
            blocks = std::min(blocks, target.regsPerSM /
                                          (threads * plan->regBudget(target)));
            if (blocks * threads / 32 < options.minWarpsPerSM) {
              ++stats.prunedOccupancy;
            } else {
              TileCandidate c;
              c.params = t;
              c.plan = *plan;
              double d = log2Distance(t, *heuristic);
              c.distance = d >= 0 ? d : 4 + log2Distance(t, *base);
              c.heuristic = t == *heuristic;
              out.push_back(std::move(c));
            }
          }
        }
        size_t i = 0;
        for (; i < digit.size(); ++i) {
          if (++digit[i] < legal[i].size())
            break;
          digit[i] = 0;
        }
        if (i == digit.size())
          break;
      }
    }
  }
  // The heuristic's tile is always a candidate, even where the pruning rules
  // would drop it: it is what the tuned tile is compared with.
  if (llvm::none_of(out, [](const TileCandidate &c) { return c.heuristic; })) {
    FailureOr<KernelPlan> plan =
        planKernel(op, tileAttr(ctx, *heuristic), target);
    if (failed(plan))
      return failure();
    out.push_back({*heuristic, *plan, 0, true});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TileCandidate &a, const TileCandidate &b) {
                     if (a.heuristic != b.heuristic)
                       return a.heuristic;
                     return a.distance < b.distance;
                   });
  if (options.maxCandidates > 0 &&
      int64_t(out.size()) > options.maxCandidates) {
    stats.cut = int64_t(out.size()) - options.maxCandidates;
    out.resize(size_t(options.maxCandidates));
  }
  if (statsOut)
    *statsOut = stats;
  return out;
}
