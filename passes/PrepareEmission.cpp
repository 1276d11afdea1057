//===- PrepareEmission.cpp - kernel symbols and readiness checks ----------===//

#include "passes/KernelPlan.h"
#include "passes/Passes.h"
#include "passes/TuningDb.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#define DEBUG_TYPE "mamba-prepare-emission"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_PREPAREEMISSIONPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

/// Everything the kernel is specialised on, printed: operand and result types
/// (absent optional operands simply do not appear, and the segment sizes say
/// which is which), the inherent attributes, the tile and launch plans, and
/// the arch. Dynamic dims print as '?', so one kernel serves every batch and
/// sequence length.
static std::string specialisationKey(Operation *op, StringRef arch) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << op->getName() << ";" << arch << ";";
  for (Type t : op->getOperandTypes())
    os << t << ",";
  os << ";";
  for (Type t : op->getResultTypes())
    os << t << ",";
  os << ";";
  for (NamedAttribute attr : op->getAttrs())
    if (attr.getName() != "kernel" && attr.getName() != "library" &&
        attr.getName() != kTileSourceAttr)
      os << attr.getName() << "=" << attr.getValue() << ";";
  if (auto props = op->getPropertiesAsAttribute())
    os << props;
  return key;
}

namespace {
struct PrepareEmissionPass
    : public mlir::mamba::impl::PrepareEmissionPassBase<PrepareEmissionPass> {
  using Base::Base;
  void runOnOperation() override {
    WalkResult result = getOperation()->walk([&](Operation *op) {
      if (isa<LinearOp>(op)) {
        op->setAttr("library", StringAttr::get(op->getContext(), "cublas"));
        return WalkResult::advance();
      }
      if (!isKernelOp(op))
        return WalkResult::advance();
      if (!op->getAttrOfType<TileAttr>("tile") ||
          !op->getAttrOfType<LaunchAttr>("launch")) {
        op->emitOpError() << "reached emission without a "
                          << (op->getAttrOfType<TileAttr>("tile") ? "launch"
                                                                  : "tile")
                          << " plan; run the mamba-tile-* passes and "
                             "mamba-plan-launch first";
        return WalkResult::interrupt();
      }
      std::string key = specialisationKey(op, arch);
      uint64_t hash = llvm::xxh3_64bits(key);
      std::string mnemonic = op->getName().stripDialect().str();
      std::string dtype = elementTypeName(op->getOperand(0).getType());
      if (isa<EmbeddingOp>(op))
        dtype = elementTypeName(op->getOperand(1).getType());
      if (isa<SelectiveStateUpdateOp>(op))
        dtype = elementTypeName(op->getOperand(1).getType());
      std::string symbol =
          "mamba_" + mnemonic + "_" + dtype + "_" +
          llvm::utohexstr(hash, /*LowerCase=*/true).substr(0, 12);
      op->setAttr("kernel", StringAttr::get(op->getContext(), symbol));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
