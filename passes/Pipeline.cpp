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
  pm.addPass(createFuseDecodePass());
  pm.addPass(createCSEPass());
  {
    TileSelectiveScanPassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileSelectiveScanPass(o));
  }
  {
    TileSsdPassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileSsdPass(o));
  }
  {
    TileCausalConv1dPassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileCausalConv1dPass(o));
  }
  {
    TileCausalConv1dUpdatePassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileCausalConv1dUpdatePass(o));
  }
  {
    TileSelectiveStateUpdatePassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileSelectiveStateUpdatePass(o));
  }
  {
    TileConvStateUpdatePassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileConvStateUpdatePass(o));
  }
  {
    TileNormsPassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileNormsPass(o));
  }
  {
    TileElementwisePassOptions o;
    o.arch = options.arch;
    o.db = options.db;
    pm.addPass(createTileElementwisePass(o));
  }
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
