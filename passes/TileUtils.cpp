//===- TileUtils.cpp - the shared driver of the tile passes ---------------===//

#include "passes/TileUtils.h"

#include "passes/OpPlans.h"
#include "passes/TuningDb.h"

#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::mamba;

LogicalResult mlir::mamba::applyTileOverride(Operation *op, StringRef text,
                                             TileParams &params) {
  SmallVector<StringRef> entries;
  text.split(entries, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  // An override naming exactly the parameters of another variant of the op
  // selects that variant.
  llvm::SmallSetVector<StringRef, 8> named;
  for (StringRef entry : entries)
    named.insert(entry.split('=').first.trim());
  for (const SmallVector<StringRef> &alt : alternativeTileNames(op))
    if (named.size() == alt.size() && entries.size() == alt.size() &&
        llvm::all_of(alt, [&](StringRef n) { return named.contains(n); })) {
      params.clear();
      for (StringRef n : alt)
        params.emplace_back(n.str(), 0);
      break;
    }
  for (StringRef entry : entries) {
    auto [name, valueText] = entry.split('=');
    name = name.trim();
    valueText = valueText.trim();
    int64_t value;
    if (name.empty() || valueText.getAsInteger(10, value))
      return op->emitError() << "malformed tile override entry '" << entry
                             << "': expected name=integer";
    auto it = llvm::find_if(params, [&](auto &p) { return p.first == name; });
    if (it == params.end()) {
      std::string known;
      for (auto &p : params)
        known += (known.empty() ? "" : ", ") + p.first;
      return op->emitError()
             << "unknown tile parameter '" << name << "' for " << op->getName()
             << " (parameters: " << known << ")";
    }
    it->second = value;
  }
  return success();
}

LogicalResult
mlir::mamba::tileMatchingOps(Operation *root, StringRef overrideText,
                             StringRef arch, StringRef dbPath,
                             llvm::function_ref<bool(Operation *)> match) {
  FailureOr<TargetInfo> parsed = TargetInfo::get(arch);
  if (failed(parsed))
    return root->emitError() << "unknown target arch '" << arch
                             << "' (supported: sm_80, sm_86, sm_87, sm_89, "
                                "sm_90, sm_90a)";
  TargetInfo target = *parsed;
  std::shared_ptr<const TuningDb> db;
  if (!dbPath.empty()) {
    std::string error;
    FailureOr<std::shared_ptr<const TuningDb>> loaded =
        TuningDb::loadCached(dbPath.str(), error);
    if (failed(loaded))
      return root->emitError() << error;
    db = *loaded;
    if (db->arch() != arch)
      return root->emitError()
             << dbPath << ": gpu.arch: the tuning database is for "
             << db->arch() << ", the pass plans for " << arch;
  }
  auto toAttr = [&](const TileParams &params) {
    SmallVector<std::pair<StringRef, int64_t>> list;
    for (auto &p : params)
      list.emplace_back(p.first, p.second);
    return TileAttr::get(root->getContext(), list);
  };
  // A database tile that does not verify for this op is passed over.
  auto verifiesQuietly = [&](Operation *op, const TileParams &params) {
    ScopedDiagnosticHandler quiet(root->getContext(),
                                  [](Diagnostic &) { return success(); });
    return succeeded(verifyTile(op, toAttr(params)));
  };
  WalkResult result = root->walk([&](Operation *op) {
    if (!match(op))
      return WalkResult::advance();
    TileParams params;
    if (auto existing = op->getAttrOfType<TileAttr>("tile")) {
      for (const TileParam &p : existing.getParams())
        params.emplace_back(p.name.getValue().str(), p.value);
    } else {
      StringRef source;
      if (db) {
        if (const TuningRecord *r = db->find(op)) {
          if (verifiesQuietly(op, r->tile)) {
            params = r->tile;
            source = "db";
          } else {
            op->emitWarning() << dbPath << ": the tile of " << r->key()
                              << " does not verify for this op; the "
                                 "heuristic chooses";
          }
        } else {
          for (const TuningRecord *r : db->nearest(op))
            if (verifiesQuietly(op, r->tile)) {
              params = r->tile;
              source = "db-nearest";
              break;
            }
        }
      }
      if (source.empty()) {
        FailureOr<TileParams> chosen = heuristicTile(op, target);
        if (failed(chosen))
          return WalkResult::interrupt();
        params = *chosen;
      } else {
        op->setAttr(kTileSourceAttr, StringAttr::get(op->getContext(), source));
      }
    }
    if (!overrideText.empty() &&
        failed(applyTileOverride(op, overrideText, params)))
      return WalkResult::interrupt();
    auto tile = toAttr(params);
    if (failed(verifyTile(op, tile)))
      return WalkResult::interrupt();
    op->setAttr("tile", tile);
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}
