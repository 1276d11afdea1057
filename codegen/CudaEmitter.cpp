//===- CudaEmitter.cpp - planned mamba ops to CUDA C++ --------------------===//

#include "codegen/CudaEmitter.h"

#include "dialect/MambaOps.h"
#include "mlir/IR/Location.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "passes/OpPlans.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CommandLine.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mamba;

namespace {

/// The CUDA spelling of an element type.
std::string cudaType(Type type) {
  Type t = getElementTypeOrSelf(type);
  if (t.isF32())
    return "float";
  if (t.isF16())
    return "__half";
  if (t.isBF16())
    return "__nv_bfloat16";
  if (t.isInteger(32))
    return "int";
  if (t.isInteger(64))
    return "long long";
  return "void";
}

/// The CUDA spelling of an optional operand's element type: float when the
/// operand is absent (its template parameter is then unused).
std::string cudaTypeOr(Value v) { return v ? cudaType(v.getType()) : "float"; }

/// What the emitter needs of each op: the device template, its header, the
/// parameter struct, and the Config members.
struct KernelShape {
  const char *header;       // device header to include
  const char *entry;        // device template, instantiated with Config
  const char *paramsStruct; // launch parameter struct
  std::vector<std::pair<std::string, std::string>> types; // using a = b;
  std::vector<std::pair<std::string, int64_t>> ints;      // constexpr int
  std::vector<std::pair<std::string, bool>> flags;        // constexpr bool
  int paramsVersion = 1; // the struct's kVersion this emitter fills
};

int64_t dim(Value v, int64_t i) {
  return cast<RankedTensorType>(v.getType()).getDimSize(i);
}

/// `a`, or `b` when `a` is dynamic: a size that two operands share, known
/// from either (the tile passes require one of them to be static).
int64_t staticOf(int64_t a, int64_t b) {
  return a == ShapedType::kDynamic ? b : a;
}

/// Whether the kernel must clamp dt. The default limits (0, inf) are a no-op
/// after softplus, whose output is positive; without softplus they still
/// clamp negative steps to 0, as the reference's Triton kernels do.
bool hasDtLimit(FloatAttr lo, FloatAttr hi, bool softplus) {
  return lo.getValueAsDouble() > 0.0 || !std::isinf(hi.getValueAsDouble()) ||
         !softplus;
}

/// Appends the tile parameters as Config constants, e.g. `warps` -> kWarps,
/// `channels_per_warp` -> kChannelsPerWarp.
void addTile(KernelShape &shape, TileAttr tile) {
  for (const TileParam &p : tile.getParams()) {
    std::string name = "k";
    bool upper = true;
    for (char c : p.name.getValue()) {
      if (c == '_') {
        upper = true;
        continue;
      }
      name += upper ? char(std::toupper(c)) : c;
      upper = false;
    }
    shape.ints.emplace_back(name, p.value);
  }
}

KernelShape shapeOf(SelectiveScanOp op) {
  KernelShape s{"mamba/SelectiveScan.cuh",
                "selective_scan",
                "SelectiveScanParams",
                {},
                {},
                {}};
  if (auto tile = op->getAttrOfType<TileAttr>("tile");
      tile && isStateParallelScanTile(tile))
    s.entry = "selective_scan_by_state";
  s.types = {{"input_t", cudaType(op.getU().getType())}};
  int64_t gC = op.getC().getType().getRank() == 4 ? dim(op.getC(), 1) : 1;
  s.ints = {{"kDState", op.getDState()},
            {"kChannels", op.getNumChannels()},
            {"kGroupsB", op.getNumGroups()},
            {"kGroupsC", gC}};
  s.flags = {{"kVariableB", op.isVariableB()},
             {"kVariableC", op.isVariableC()},
             {"kHasD", bool(op.getD())},
             {"kHasZ", bool(op.getZ())},
             {"kHasDeltaBias", bool(op.getDeltaBias())},
             {"kDeltaSoftplus", op.getDeltaSoftplus()},
             {"kHasInitialState", bool(op.getInitialState())},
             {"kHasLastState", bool(op.getLastState())},
             {"kPacked", bool(op.getCuSeqlens())}};
  s.paramsVersion = 2;
  return s;
}

KernelShape shapeOf(SsdOp op) {
  KernelShape s{"mamba/Ssd.cuh", "ssd", "SsdParams", {}, {}, {}};
  s.types = {{"input_t", cudaType(op.getX().getType())},
             {"dt_t", cudaType(op.getDt().getType())},
             {"dparam_t", cudaTypeOr(op.getD())},
             {"dtbias_t", cudaTypeOr(op.getDtBias())}};
  s.ints = {{"kHeads", op.getNumHeads()},
            {"kHeadDim", op.getHeadDim()},
            {"kGroups", op.getNumGroups()},
            {"kDState", op.getDState()}};
  s.flags = {{"kHasD", bool(op.getD())},
             {"kDPerChannel", op.getD() && op.getD().getType().getRank() == 2},
             {"kHasZ", bool(op.getZ())},
             {"kHasDtBias", bool(op.getDtBias())},
             {"kDtSoftplus", op.getDtSoftplus()},
             {"kHasDtLimit", hasDtLimit(op.getDtMinAttr(), op.getDtMaxAttr(),
                                        op.getDtSoftplus())},
             {"kHasInitialStates", bool(op.getInitialStates())},
             {"kHasSeqIdx", bool(op.getSeqIdx())},
             {"kHasFinalStates", bool(op.getFinalStates())},
             {"kPacked", bool(op.getCuSeqlens())}};
  s.paramsVersion = 2;
  return s;
}

KernelShape shapeOf(CausalConv1dOp op) {
  KernelShape s{"mamba/CausalConv1d.cuh",
                "causal_conv1d",
                "CausalConv1dParams",
                {},
                {},
                {}};
  s.types = {{"input_t", cudaType(op.getX().getType())},
             {"weight_t", cudaType(op.getWeight().getType())}};
  int64_t channels = staticOf(dim(op.getX(), op.isChannelLast() ? 2 : 1),
                              dim(op.getWeight(), 0));
  s.ints = {{"kChannels", channels}, {"kWidth", op.getWidth()}};
  s.flags = {{"kChannelLast", op.isChannelLast()},
             {"kHasBias", bool(op.getBias())},
             {"kSilu", op.getActivation() == Activation::silu},
             {"kHasInitialStates", bool(op.getInitialStates())},
             {"kHasSeqIdx", bool(op.getSeqIdx())},
             {"kHasFinalStates", bool(op.getFinalStates())},
             {"kPacked", bool(op.getCuSeqlens())}};
  s.paramsVersion = 2;
  return s;
}

KernelShape shapeOf(CausalConv1dUpdateOp op) {
  KernelShape s{"mamba/CausalConv1dUpdate.cuh",
                "causal_conv1d_update",
                "CausalConv1dUpdateParams",
                {},
                {},
                {}};
  s.types = {{"input_t", cudaType(op.getX().getType())},
             {"weight_t", cudaType(op.getWeight().getType())}};
  s.ints = {{"kChannels", staticOf(dim(op.getX(), 1), dim(op.getWeight(), 0))},
            {"kWidth", op.getWidth()},
            {"kStateLen", dim(op.getConvState(), 2)}};
  s.flags = {{"kHasBias", bool(op.getBias())},
             {"kSilu", op.getActivation() == Activation::silu},
             {"kHasStateIndices", bool(op.getStateIndices())}};
  return s;
}

KernelShape shapeOf(SelectiveStateUpdateOp op) {
  KernelShape s{"mamba/SelectiveStateUpdate.cuh",
                "selective_state_update",
                "SelectiveStateUpdateParams",
                {},
                {},
                {}};
  s.types = {{"input_t", cudaType(op.getX().getType())},
             {"state_t", cudaType(op.getState().getType())},
             {"dt_t", cudaType(op.getDt().getType())},
             {"dparam_t", cudaTypeOr(op.getD())},
             {"dtbias_t", cudaTypeOr(op.getDtBias())}};
  bool dPerChannel =
      op.getD() && (!op.isHeadForm() || op.getD().getType().getRank() == 2);
  s.ints = {{"kHeads", op.getNumHeads()},
            {"kHeadDim", op.getHeadDim()},
            {"kGroups", op.getNumGroups()},
            {"kDState", op.getDState()},
            {"kDtRank", op.getDtRank()}};
  s.flags = {{"kHeadForm", op.isHeadForm()},
             {"kHasD", bool(op.getD())},
             {"kDPerChannel", dPerChannel},
             {"kHasZ", bool(op.getZ())},
             {"kHasDtBias", bool(op.getDtBias())},
             {"kDtSoftplus", op.getDtSoftplus()},
             {"kHasDtLimit", hasDtLimit(op.getDtMinAttr(), op.getDtMaxAttr(),
                                        op.getDtSoftplus())},
             {"kHasStateIndices", bool(op.getStateIndices())},
             {"kHasDtProj", bool(op.getDtProj())}};
  s.paramsVersion = 2;
  return s;
}

KernelShape shapeOf(ConvStateUpdateOp op) {
  KernelShape s{"mamba/ConvStateUpdate.cuh",
                "conv_state_update",
                "ConvStateUpdateParams",
                {},
                {},
                {}};
  s.types = {{"input_t", cudaType(op.getX().getType())},
             {"weight_t", cudaType(op.getConvWeight().getType())},
             {"state_t", cudaType(op.getState().getType())},
             {"dt_t", cudaType(op.getDt().getType())},
             {"dparam_t", cudaTypeOr(op.getD())},
             {"dtbias_t", cudaTypeOr(op.getDtBias())}};
  s.ints = {{"kHeads", op.getNumHeads()},
            {"kHeadDim", op.getHeadDim()},
            {"kGroups", op.getNumGroups()},
            {"kDState", op.getDState()},
            {"kConvDim", op.getConvDim()},
            {"kWidth", op.getWidth()},
            {"kStateLen", op.getConvStateLen()},
            {"kXOffset", op.getXOffsetAttr().getInt()},
            {"kBOffset", op.getBOffsetAttr().getInt()},
            {"kCOffset", op.getCOffsetAttr().getInt()}};
  s.flags = {{"kHasConvBias", bool(op.getConvBias())},
             {"kHasD", bool(op.getD())},
             {"kDPerChannel", op.getD() && op.getD().getType().getRank() == 2},
             {"kHasZ", bool(op.getZ())},
             {"kHasDtBias", bool(op.getDtBias())},
             {"kDtSoftplus", op.getDtSoftplus()},
             {"kHasDtLimit", hasDtLimit(op.getDtMinAttr(), op.getDtMaxAttr(),
                                        op.getDtSoftplus())},
             {"kHasStateIndices", bool(op.getStateIndices())}};
  return s;
}

KernelShape shapeOf(RmsNormOp op) {
  KernelShape s{"mamba/Norms.cuh", "rms_norm", "RmsNormParams", {}, {}, {}};
  s.types = {{"input_t", cudaType(op.getX().getType())},
             {"weight_t", cudaType(op.getWeight().getType())},
             {"residual_t", cudaTypeOr(op.getResidual())},
             {"residual_out_t", cudaTypeOr(op.getResidualOut())}};
  s.ints = {{"kCols", op.getX().getType().getShape().back()}};
  s.flags = {{"kHasResidual", bool(op.getResidual())},
             {"kHasResidualOut", bool(op.getResidualOut())}};
  return s;
}

KernelShape shapeOf(GatedRmsNormOp op) {
  KernelShape s{
      "mamba/Norms.cuh", "gated_rms_norm", "GatedRmsNormParams", {}, {}, {}};
  s.types = {{"input_t", cudaType(op.getX().getType())},
             {"weight_t", cudaType(op.getWeight().getType())}};
  s.ints = {{"kCols", op.getX().getType().getShape().back()},
            {"kGroupSize", op.getEffectiveGroupSize()}};
  s.flags = {{"kHasZ", bool(op.getZ())},
             {"kNormBeforeGate", op.getNormBeforeGate()}};
  return s;
}

KernelShape shapeOf(ArgmaxOp op) {
  KernelShape s{"mamba/Argmax.cuh", "argmax", "ArgmaxParams", {}, {}, {}};
  s.types = {{"input_t", cudaType(op.getX().getType())}};
  return s;
}

KernelShape shapeOf(EmbeddingOp op) {
  KernelShape s{
      "mamba/Elementwise.cuh", "embedding", "EmbeddingParams", {}, {}, {}};
  s.types = {{"id_t", cudaType(op.getIds().getType())},
             {"table_t", cudaType(op.getTable().getType())}};
  s.ints = {{"kDim", dim(op.getTable(), 1)}};
  return s;
}

/// silu, softplus, channel_mul, channel_add share one elementwise kernel.
KernelShape shapeOfPointwise(Operation *op) {
  KernelShape s{
      "mamba/Elementwise.cuh", "pointwise", "ElementwiseParams", {}, {}, {}};
  s.types = {{"input_t", cudaType(op->getOperand(0).getType())}};
  int64_t kind = llvm::TypeSwitch<Operation *, int64_t>(op)
                     .Case([](SiluOp) { return 0; })
                     .Case([](SoftplusOp) { return 1; })
                     .Case([](ChannelMulOp) { return 2; })
                     .Case([](ChannelAddOp) { return 3; })
                     .Default([](Operation *) { return -1; });
  s.types.emplace_back("w_t", op->getNumOperands() > 1
                                  ? cudaType(op->getOperand(1).getType())
                                  : "float");
  int64_t wsize = 1;
  if (op->getNumOperands() > 1)
    for (int64_t d :
         cast<RankedTensorType>(op->getOperand(1).getType()).getShape())
      wsize *= d;
  s.ints = {{"kOp", kind}, {"kWSize", wsize}};
  return s;
}

FailureOr<KernelShape> shapeOfOp(Operation *op) {
  return llvm::TypeSwitch<Operation *, FailureOr<KernelShape>>(op)
      .Case([](SelectiveScanOp o) { return shapeOf(o); })
      .Case([](SsdOp o) { return shapeOf(o); })
      .Case([](CausalConv1dOp o) { return shapeOf(o); })
      .Case([](CausalConv1dUpdateOp o) { return shapeOf(o); })
      .Case([](SelectiveStateUpdateOp o) { return shapeOf(o); })
      .Case([](ConvStateUpdateOp o) { return shapeOf(o); })
      .Case([](RmsNormOp o) { return shapeOf(o); })
      .Case([](GatedRmsNormOp o) { return shapeOf(o); })
      .Case([](ArgmaxOp o) { return shapeOf(o); })
      .Case([](EmbeddingOp o) { return shapeOf(o); })
      .Case<SiluOp, SoftplusOp, ChannelMulOp, ChannelAddOp>(
          [](Operation *o) { return shapeOfPointwise(o); })
      .Default([](Operation *o) -> FailureOr<KernelShape> {
        o->emitOpError() << "has no CUDA kernel";
        return failure();
      });
}

std::string gridText(const GridDim &g) {
  const char *name = g.source == GridDim::Batch    ? "Bt"
                     : g.source == GridDim::Seqlen ? "L"
                                                   : "rows";
  if (g.source == GridDim::Const)
    return std::to_string(g.value);
  if (g.source == GridDim::PerBatch)
    return "max(1, " + std::to_string(g.value) + " / Bt)";
  std::string s = g.value == 1 ? std::string(name)
                               : "ceil(" + std::string(name) + " / " +
                                     std::to_string(g.value) + ")";
  if (g.factor != 1)
    s += " * " + std::to_string(g.factor);
  return s;
}

std::string locText(Location loc) {
  std::string s;
  llvm::raw_string_ostream os(s);
  loc.print(os);
  return s;
}

} // namespace

FailureOr<KernelSource>
mlir::mamba::emitKernelSource(Operation *op, const TargetInfo &target) {
  auto symbol = op->getAttrOfType<StringAttr>("kernel");
  auto tile = op->getAttrOfType<TileAttr>("tile");
  auto launch = op->getAttrOfType<LaunchAttr>("launch");
  if (!symbol || !tile || !launch) {
    op->emitOpError() << "is not planned for emission (missing 'kernel', "
                         "'tile' or 'launch'); run the mamba-to-cuda pipeline";
    return failure();
  }
  FailureOr<KernelShape> shape = shapeOfOp(op);
  FailureOr<KernelPlan> plan = planKernel(op, tile, target);
  if (failed(shape) || failed(plan))
    return failure();
  addTile(*shape, tile);

  KernelSource out;
  out.symbol = symbol.getValue().str();
  out.paramsStruct = shape->paramsStruct;
  out.plan = *plan;
  llvm::raw_string_ostream os(out.source);
  os << "// Generated by mamba-jit from the IR below; do not edit.\n";
  os << "// op:     " << op->getName() << "\n";
  os << "// loc:    " << locText(op->getLoc()) << "\n";
  os << "// tile:   " << tile << "\n";
  os << "// launch: " << launch << "\n";
  os << "// Grid: (" << gridText(plan->grid[0]) << ", "
     << gridText(plan->grid[1]) << ", " << gridText(plan->grid[2])
     << ") Block: (" << plan->block[0] << ", " << plan->block[1] << ", "
     << plan->block[2] << "), " << plan->smem
     << " bytes of dynamic shared memory\n";
  os << "#include \"" << shape->header << "\"\n\n";
  os << "namespace {\n";
  os << "// Every shape and option this kernel is specialised on.\n";
  os << "struct Config {\n";
  for (auto &[name, type] : shape->types)
    os << "  using " << name << " = " << type << ";\n";
  for (auto &[name, value] : shape->ints)
    os << "  static constexpr int " << name << " = " << value << ";\n";
  for (auto &[name, value] : shape->flags)
    os << "  static constexpr bool " << name << " = "
       << (value ? "true" : "false") << ";\n";
  os << "};\n";
  os << "} // namespace\n\n";
  os << "static_assert(mamba::" << shape->paramsStruct
     << "::kVersion == " << shape->paramsVersion
     << ", \"launch parameters changed: update the "
        "emitter\");\n\n";
  os << "// p: the launch parameters (codegen/device/Params.h); pointer shapes "
        "are listed there.\n";
  os << "extern \"C\" __global__ void __launch_bounds__(" << plan->threads()
     << ", " << plan->minBlocksPerSM << ")\n";
  os << out.symbol << "(const mamba::" << shape->paramsStruct << " p) {\n";
  os << "  mamba::device::" << shape->entry << "<Config>(p);\n";
  os << "}\n";
  return out;
}

LogicalResult mlir::mamba::translateModuleToCuda(ModuleOp module,
                                                 llvm::raw_ostream &os,
                                                 const TargetInfo &target) {
  bool first = true;
  WalkResult result = module.walk([&](Operation *op) {
    if (auto linear = dyn_cast<LinearOp>(op)) {
      os << (first ? "" : "\n")
         << "// ===== library call: " << linear->getName() << " at "
         << locText(linear.getLoc()) << " -> cuBLAS GEMM, not generated\n";
      first = false;
      return WalkResult::advance();
    }
    if (!isKernelOp(op))
      return WalkResult::advance();
    FailureOr<KernelSource> kernel = emitKernelSource(op, target);
    if (failed(kernel))
      return WalkResult::interrupt();
    os << (first ? "" : "\n") << "// ===== kernel " << kernel->symbol
       << " =====\n"
       << kernel->source;
    first = false;
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

void mlir::mamba::registerToCudaTranslation() {
  static llvm::cl::opt<std::string> arch(
      "cuda-arch", llvm::cl::desc("GPU arch the kernels were planned for"),
      llvm::cl::init("sm_90"));
  TranslateFromMLIRRegistration registration(
      "mlir-to-cuda", "Print the CUDA C++ of every planned mamba kernel",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        FailureOr<TargetInfo> target = TargetInfo::get(arch);
        if (failed(target))
          return op->emitError() << "unknown --cuda-arch '" << arch << "'";
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError() << "expects a builtin.module";
        return translateModuleToCuda(module, os, *target);
      },
      [](DialectRegistry &registry) {
        registry.insert<MambaDialect, arith::ArithDialect, func::FuncDialect,
                        tensor::TensorDialect>();
      });
}
