//===- PlanLaunch.cpp - grid, block, shared memory and registers ----------===//

#include "passes/KernelPlan.h"
#include "passes/Passes.h"

#define DEBUG_TYPE "mamba-plan-launch"

namespace mlir {
namespace mamba {
#define GEN_PASS_DEF_PLANLAUNCHPASS
#include "passes/Passes.h.inc"
} // namespace mamba
} // namespace mlir

using namespace mlir;
using namespace mlir::mamba;

namespace {
struct PlanLaunchPass
    : public mlir::mamba::impl::PlanLaunchPassBase<PlanLaunchPass> {
  using Base::Base;
  void runOnOperation() override {
    FailureOr<TargetInfo> target = TargetInfo::get(arch);
    if (failed(target)) {
      getOperation()->emitError()
          << "unknown target arch '" << arch
          << "' (supported: sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)";
      return signalPassFailure();
    }
    WalkResult result = getOperation()->walk([&](Operation *op) {
      auto tile = op->getAttrOfType<TileAttr>("tile");
      if (!tile)
        return WalkResult::advance();
      FailureOr<KernelPlan> plan = planKernel(op, tile, *target);
      if (failed(plan))
        return WalkResult::interrupt();
      SmallVector<int64_t, 3> grid;
      for (const GridDim &g : plan->grid)
        grid.push_back(g.staticExtent());
      op->setAttr("launch",
                  LaunchAttr::get(op->getContext(), grid, plan->block,
                                  plan->smem, plan->regBudget(*target)));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
