//===- Pipeline.cpp - the mamba-to-cuda pipeline and registration ---------===//

#include "passes/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::mamba;

void mlir::mamba::buildMambaToCudaPipeline(OpPassManager &pm,
                                           const MambaToCudaOptions &options) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createFuseElementwisePass());
  pm.addPass(createCSEPass());
  pm.addPass(createTileSelectiveScanPass());
  pm.addPass(createTileSsdPass());
  pm.addPass(createTileCausalConv1dPass());
  pm.addPass(createTileCausalConv1dUpdatePass());
  pm.addPass(createTileSelectiveStateUpdatePass());
  pm.addPass(createTileNormsPass());
  pm.addPass(createTileElementwisePass());
  PlanLaunchPassOptions plan;
  plan.arch = options.arch;
  pm.addPass(createPlanLaunchPass(plan));
  PrepareEmissionPassOptions prepare;
  prepare.arch = options.arch;
  pm.addPass(createPrepareEmissionPass(prepare));
}

void mlir::mamba::registerMambaPassesAndPipelines() {
  registerMambaPasses();
  PassPipelineRegistration<MambaToCudaOptions>(
      "mamba-to-cuda",
      "Fuse, tile and plan every mamba op, and name its kernel for the CUDA "
      "emitter",
      buildMambaToCudaPipeline);
}
