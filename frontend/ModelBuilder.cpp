//===- ModelBuilder.cpp - a Mamba language model as mamba IR --------------===//

#include "frontend/ModelBuilder.h"

#include "dialect/MambaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::mamba;
using ::mamba::Arch;
using ::mamba::DType;
using ::mamba::ModelConfig;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

Type elementType(MLIRContext *ctx, DType t) {
  switch (t) {
  case DType::F16:
    return Float16Type::get(ctx);
  case DType::BF16:
    return BFloat16Type::get(ctx);
  case DType::I32:
    return IntegerType::get(ctx, 32);
  case DType::I64:
    return IntegerType::get(ctx, 64);
  default:
    return Float32Type::get(ctx);
  }
}

/// Emits the body of one func: tensor types, slices and the mamba ops.
class Emitter {
public:
  Emitter(OpBuilder &b, Location loc, Type act)
      : b(b), loc(loc), act(act), f32(b.getF32Type()) {}

  RankedTensorType ty(ArrayRef<int64_t> shape, Type elt) {
    return RankedTensorType::get(shape, elt);
  }

  /// The run-time size of dim `d` of `v`, as an OpFoldResult (static sizes
  /// stay attributes).
  OpFoldResult size(Value v, int64_t d) {
    int64_t s = cast<RankedTensorType>(v.getType()).getDimSize(d);
    if (s != kDyn)
      return b.getIndexAttr(s);
    return b.create<tensor::DimOp>(loc, v, d).getResult();
  }

  /// `v[..., off:off+len, ...]` along `dim`.
  Value slice(Value v, int64_t dim, int64_t off, int64_t len) {
    auto type = cast<RankedTensorType>(v.getType());
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      offsets.push_back(b.getIndexAttr(d == dim ? off : 0));
      sizes.push_back(d == dim ? OpFoldResult(b.getIndexAttr(len))
                               : size(v, d));
      strides.push_back(b.getIndexAttr(1));
    }
    return b.create<tensor::ExtractSliceOp>(loc, v, offsets, sizes, strides);
  }

  /// Splits the last dim of `v` into (a, b).
  Value splitLast(Value v, int64_t a, int64_t bsize) {
    auto type = cast<RankedTensorType>(v.getType());
    int64_t r = type.getRank();
    SmallVector<int64_t> shape(type.getShape().drop_back());
    shape.push_back(a);
    shape.push_back(bsize);
    SmallVector<ReassociationIndices> reassoc;
    for (int64_t d = 0; d < r - 1; ++d)
      reassoc.push_back({d});
    reassoc.push_back({r - 1, r});
    SmallVector<OpFoldResult> outShape;
    for (int64_t d = 0; d < r - 1; ++d)
      outShape.push_back(size(v, d));
    outShape.push_back(b.getIndexAttr(a));
    outShape.push_back(b.getIndexAttr(bsize));
    return b.create<tensor::ExpandShapeOp>(
        loc, ty(shape, type.getElementType()), v, reassoc, outShape);
  }

  /// Merges the last two dims of `v`.
  Value mergeLast(Value v) {
    int64_t r = cast<RankedTensorType>(v.getType()).getRank();
    SmallVector<ReassociationIndices> reassoc;
    for (int64_t d = 0; d < r - 2; ++d)
      reassoc.push_back({d});
    reassoc.push_back({r - 2, r - 1});
    return b.create<tensor::CollapseShapeOp>(loc, v, reassoc);
  }

  /// A linear op; `shape` is the result shape.
  Value linear(Value x, Value w, ArrayRef<int64_t> shape,
               ConvLayout in = ConvLayout::channel_last,
               ConvLayout out = ConvLayout::channel_last, Value bias = {}) {
    auto op =
        b.create<LinearOp>(loc, ty(shape, act), x, w, bias, Value(), in, out);
    return op.getY();
  }

  Value silu(Value v) { return b.create<SiluOp>(loc, v); }
  Value softplus(Value v) { return b.create<SoftplusOp>(loc, v); }
  Value channelAdd(Value v, Value w, int64_t dim) {
    return b.create<ChannelAddOp>(loc, v.getType(), v, w,
                                  b.getI64IntegerAttr(dim));
  }
  Value channelMul(Value v, Value w, int64_t dim) {
    return b.create<ChannelMulOp>(loc, v.getType(), v, w,
                                  b.getI64IntegerAttr(dim));
  }
  Value add(Value a, Value c) { return b.create<arith::AddFOp>(loc, a, c); }
  Value mul(Value a, Value c) { return b.create<arith::MulFOp>(loc, a, c); }

  OpBuilder &b;
  Location loc;
  Type act, f32;
};

/// Creates `func.func @name(args) -> results` and positions the builder in
/// its body.
func::FuncOp makeFunc(OpBuilder &b, ModuleOp module, Location loc,
                      StringRef name, TypeRange args, TypeRange results) {
  b.setInsertionPointToEnd(module.getBody());
  auto fn = b.create<func::FuncOp>(loc, name, b.getFunctionType(args, results));
  b.setInsertionPointToStart(fn.addEntryBlock());
  return fn;
}

} // namespace

std::vector<int64_t> mlir::mamba::convStateShape(const ModelConfig &cfg) {
  return {cfg.convDim(), cfg.dConv - 1};
}

std::vector<int64_t> mlir::mamba::ssmStateShape(const ModelConfig &cfg) {
  if (cfg.arch == Arch::Mamba1)
    return {cfg.dInner, cfg.dState};
  return {cfg.nheads, cfg.headdim, cfg.dState};
}

std::vector<BlockWeight> mlir::mamba::blockWeights(const ModelConfig &cfg,
                                                   const ModelIROptions &o) {
  DType t = o.dtype;
  int64_t d = cfg.dModel, di = cfg.dInner, w = cfg.dConv, cd = cfg.convDim();
  std::vector<BlockWeight> list = {
      {"norm.weight", {d}, t},
      {"mixer.in_proj.weight", {cfg.inProjDim(), d}, t},
      {"mixer.conv1d.weight", {cd, w}, t},
      {"mixer.conv1d.bias", {cd}, t},
  };
  if (cfg.arch == Arch::Mamba1) {
    int64_t r = cfg.dtRank, n = cfg.dState;
    list.push_back({"mixer.x_proj.weight", {r + 2 * n, di}, t});
    list.push_back({"mixer.dt_proj.weight", {di, r}, t});
    list.push_back({"mixer.dt_proj.bias", {di}, DType::F32});
    list.push_back({"A", {di, n}, DType::F32});
    list.push_back({"mixer.D", {di}, DType::F32});
  } else {
    int64_t h = cfg.nheads;
    list.push_back({"mixer.dt_bias", {h}, DType::F32});
    list.push_back({"A", {h}, DType::F32});
    list.push_back({"mixer.D",
                    cfg.dHasHdim ? std::vector<int64_t>{h, cfg.headdim}
                                 : std::vector<int64_t>{h},
                    DType::F32});
    if (cfg.rmsnorm)
      list.push_back({"mixer.norm.weight", {di}, t});
  }
  list.push_back({"mixer.out_proj.weight", {d, di}, t});
  if (!cfg.convBias)
    list.erase(list.begin() + 3);
  return list;
}

namespace {

/// Emits one block (prefill when `prefill`, else decode). A packed prefill
/// takes one row of sequences packed along L, a state row per sequence and
/// their offsets (cu_seqlens).
void emitBlock(OpBuilder &b, ModuleOp module, const ModelConfig &cfg,
               const ModelIROptions &o, bool prefill, bool packed = false) {
  MLIRContext *ctx = b.getContext();
  Location loc = b.getUnknownLoc();
  Type act = elementType(ctx, o.dtype), f32 = b.getF32Type();
  // Prefill carries the state in f32 (the scans' state operands are f32);
  // decode keeps it in the chosen state type.
  Type stateElt = prefill ? f32 : elementType(ctx, o.stateDType);
  int64_t d = cfg.dModel, di = cfg.dInner, cd = cfg.convDim(), w = cfg.dConv;
  auto T = [](ArrayRef<int64_t> s, Type e) {
    return RankedTensorType::get(s, e);
  };

  std::vector<BlockWeight> weights = blockWeights(cfg, o);
  // A packed prefill has one batch row (its ops check that at run time).
  SmallVector<int64_t> hShape = prefill ? SmallVector<int64_t>{kDyn, kDyn, d}
                                        : SmallVector<int64_t>{kDyn, d};
  SmallVector<Type> args = {T(hShape, act), T(hShape, f32)};
  for (const BlockWeight &bw : weights)
    args.push_back(T(bw.shape, elementType(ctx, bw.dtype)));
  SmallVector<int64_t> conv = {kDyn, cd, w - 1};
  SmallVector<int64_t> ssm = {kDyn};
  for (int64_t s : ssmStateShape(cfg))
    ssm.push_back(s);
  args.push_back(T(conv, act));
  args.push_back(T(ssm, stateElt));
  SmallVector<Type> results = {args[0], args[1], args[args.size() - 2],
                               args.back()};
  if (packed)
    args.push_back(T({kDyn}, b.getI32Type()));
  func::FuncOp fn = makeFunc(b, module, loc,
                             packed    ? "block_prefill_packed"
                             : prefill ? "block_prefill"
                                       : "block_decode",
                             args, results);
  Block &body = fn.getBody().front();
  auto arg = [&](StringRef name) -> Value {
    for (size_t i = 0; i < weights.size(); ++i)
      if (weights[i].name == name)
        return body.getArgument(2 + i);
    return Value();
  };
  Value h = body.getArgument(0), res = body.getArgument(1);
  unsigned stateArg = 2 + weights.size();
  Value convState = body.getArgument(stateArg);
  Value ssmState = body.getArgument(stateArg + 1);
  Value cuSeqlens = packed ? body.getArgument(stateArg + 2) : Value();
  Emitter e(b, loc, act);

  auto norm = b.create<RmsNormOp>(
      loc, TypeRange{T(hShape, act), T(hShape, f32)}, h, arg("norm.weight"),
      res, b.getF64FloatAttr(cfg.normEps));
  Value hn = norm.getY();
  Value resOut = norm.getResidualOut();
  Value convOut, ssmOut, y;

  if (cfg.arch == Arch::Mamba1) {
    int64_t r = cfg.dtRank, n = cfg.dState;
    if (prefill) {
      // Activations are (Bt, channels, L), as in the reference, so that the
      // scan reads contiguous sequences.
      Value xz = e.linear(hn, arg("mixer.in_proj.weight"), {kDyn, 2 * di, kDyn},
                          ConvLayout::channel_last, ConvLayout::channel_first);
      Value x = e.slice(xz, 1, 0, di), z = e.slice(xz, 1, di, di);
      auto c = b.create<CausalConv1dOp>(
          loc, TypeRange{x.getType(), T(conv, act)}, x,
          arg("mixer.conv1d.weight"), arg("mixer.conv1d.bias"), convState,
          Value(), cuSeqlens, ConvLayout::channel_first, Activation::none);
      Value xc = e.silu(c.getOut());
      convOut = c.getFinalStates();
      Value xdbl =
          e.linear(xc, arg("mixer.x_proj.weight"), {kDyn, r + 2 * n, kDyn},
                   ConvLayout::channel_first, ConvLayout::channel_first);
      Value dtLow = e.slice(xdbl, 1, 0, r);
      Value Bm = e.slice(xdbl, 1, r, n), Cm = e.slice(xdbl, 1, r + n, n);
      Value delta =
          e.linear(dtLow, arg("mixer.dt_proj.weight"), {kDyn, di, kDyn},
                   ConvLayout::channel_first, ConvLayout::channel_first);
      delta = e.softplus(e.channelAdd(delta, arg("mixer.dt_proj.bias"), 1));
      auto scan = b.create<SelectiveScanOp>(
          loc, TypeRange{xc.getType(), T(ssm, f32)}, xc, delta, arg("A"), Bm,
          Cm, Value(), Value(), Value(), ssmState, cuSeqlens, UnitAttr());
      y = e.mul(e.add(scan.getOut(), e.channelMul(xc, arg("mixer.D"), 1)),
                e.silu(z));
      ssmOut = scan.getLastState();
      y = e.linear(y, arg("mixer.out_proj.weight"), {kDyn, kDyn, d},
                   ConvLayout::channel_first, ConvLayout::channel_last);
    } else {
      Value xz = e.linear(hn, arg("mixer.in_proj.weight"), {kDyn, 2 * di});
      Value x = e.slice(xz, 1, 0, di), z = e.slice(xz, 1, di, di);
      auto c = b.create<CausalConv1dUpdateOp>(
          loc, TypeRange{x.getType(), convState.getType()}, x, convState,
          arg("mixer.conv1d.weight"), arg("mixer.conv1d.bias"), Value(),
          Activation::none);
      Value xc = e.silu(c.getOut());
      convOut = c.getNewState();
      Value xdbl = e.linear(xc, arg("mixer.x_proj.weight"), {kDyn, r + 2 * n});
      Value dtLow = e.slice(xdbl, 1, 0, r);
      Value Bm = e.slice(xdbl, 1, r, n), Cm = e.slice(xdbl, 1, r + n, n);
      Value dt = e.linear(dtLow, arg("mixer.dt_proj.weight"), {kDyn, di});
      auto upd = b.create<SelectiveStateUpdateOp>(
          loc, TypeRange{xc.getType(), ssmState.getType()}, ssmState, xc, dt,
          arg("A"), Bm, Cm, arg("mixer.D"), z, arg("mixer.dt_proj.bias"),
          /*state_indices=*/Value(), /*dt_proj=*/Value(), b.getUnitAttr(),
          b.getF64FloatAttr(0.0),
          b.getF64FloatAttr(std::numeric_limits<double>::infinity()));
      ssmOut = upd.getNewState();
      y = e.linear(upd.getOut(), arg("mixer.out_proj.weight"), {kDyn, d});
    }
  } else {
    int64_t hN = cfg.nheads, p = cfg.headdim, g = cfg.ngroups, n = cfg.dState;
    int64_t gn = g * n;
    if (prefill) {
      Value zx = e.linear(hn, arg("mixer.in_proj.weight"),
                          {kDyn, kDyn, cfg.inProjDim()});
      Value z = e.slice(zx, 2, 0, di);
      Value xbc = e.slice(zx, 2, di, cd);
      Value dt = e.slice(zx, 2, di + cd, hN);
      auto c = b.create<CausalConv1dOp>(
          loc, TypeRange{xbc.getType(), T(conv, act)}, xbc,
          arg("mixer.conv1d.weight"), arg("mixer.conv1d.bias"), convState,
          Value(), cuSeqlens, ConvLayout::channel_last, Activation::none);
      Value xc = e.silu(c.getOut());
      convOut = c.getFinalStates();
      Value x = e.splitLast(e.slice(xc, 2, 0, di), hN, p);
      Value Bm = e.splitLast(e.slice(xc, 2, di, gn), g, n);
      Value Cm = e.splitLast(e.slice(xc, 2, di + gn, gn), g, n);
      dt = e.softplus(e.channelAdd(dt, arg("mixer.dt_bias"), 2));
      auto ssd = b.create<SsdOp>(
          loc, TypeRange{x.getType(), T(ssm, f32)}, x, dt, arg("A"), Bm, Cm,
          Value(), Value(), Value(), ssmState, Value(), cuSeqlens,
          b.getI64IntegerAttr(cfg.chunkSize), UnitAttr(),
          b.getF64FloatAttr(cfg.dtLimitLo), b.getF64FloatAttr(cfg.dtLimitHi));
      ssmOut = ssd.getFinalStates();
      Value yv = e.add(ssd.getOut(), e.channelMul(x, arg("mixer.D"), 2));
      if (!cfg.rmsnorm)
        yv = e.mul(yv, e.silu(e.splitLast(z, hN, p)));
      Value y2 = e.mergeLast(yv);
      if (cfg.rmsnorm)
        y2 = b.create<GatedRmsNormOp>(
            loc, y2.getType(), y2, arg("mixer.norm.weight"), z,
            b.getF64FloatAttr(cfg.normEps), b.getI64IntegerAttr(di / g),
            b.getBoolAttr(cfg.normBeforeGate));
      y = e.linear(y2, arg("mixer.out_proj.weight"), {kDyn, kDyn, d});
    } else {
      Value zx =
          e.linear(hn, arg("mixer.in_proj.weight"), {kDyn, cfg.inProjDim()});
      Value z = e.slice(zx, 1, 0, di);
      Value xbc = e.slice(zx, 1, di, cd);
      Value dt = e.slice(zx, 1, di + cd, hN);
      auto c = b.create<CausalConv1dUpdateOp>(
          loc, TypeRange{xbc.getType(), convState.getType()}, xbc, convState,
          arg("mixer.conv1d.weight"), arg("mixer.conv1d.bias"), Value(),
          Activation::none);
      Value xc = e.silu(c.getOut());
      convOut = c.getNewState();
      Value x = e.splitLast(e.slice(xc, 1, 0, di), hN, p);
      Value Bm = e.splitLast(e.slice(xc, 1, di, gn), g, n);
      Value Cm = e.splitLast(e.slice(xc, 1, di + gn, gn), g, n);
      Value zh = cfg.rmsnorm ? Value() : e.splitLast(z, hN, p);
      auto upd = b.create<SelectiveStateUpdateOp>(
          loc, TypeRange{x.getType(), ssmState.getType()}, ssmState, x, dt,
          arg("A"), Bm, Cm, arg("mixer.D"), zh, arg("mixer.dt_bias"),
          /*state_indices=*/Value(), /*dt_proj=*/Value(), b.getUnitAttr(),
          b.getF64FloatAttr(cfg.dtLimitLo), b.getF64FloatAttr(cfg.dtLimitHi));
      ssmOut = upd.getNewState();
      Value y2 = e.mergeLast(upd.getOut());
      if (cfg.rmsnorm)
        y2 = b.create<GatedRmsNormOp>(
            loc, y2.getType(), y2, arg("mixer.norm.weight"), z,
            b.getF64FloatAttr(cfg.normEps), b.getI64IntegerAttr(di / g),
            b.getBoolAttr(cfg.normBeforeGate));
      y = e.linear(y2, arg("mixer.out_proj.weight"), {kDyn, d});
    }
  }
  b.create<func::ReturnOp>(loc, ValueRange{y, resOut, convOut, ssmOut});
}

void emitEmbed(OpBuilder &b, ModuleOp module, const ModelConfig &cfg, Type act,
               bool prefill) {
  Location loc = b.getUnknownLoc();
  SmallVector<int64_t> ids =
      prefill ? SmallVector<int64_t>{kDyn, kDyn} : SmallVector<int64_t>{kDyn};
  SmallVector<int64_t> out(ids);
  out.push_back(cfg.dModel);
  auto idsT = RankedTensorType::get(ids, b.getI32Type());
  auto tableT = RankedTensorType::get({cfg.paddedVocabSize, cfg.dModel}, act);
  auto outT = RankedTensorType::get(out, act);
  func::FuncOp fn =
      makeFunc(b, module, loc, prefill ? "embed_prefill" : "embed_decode",
               {idsT, tableT}, {outT});
  Block &body = fn.getBody().front();
  Value h = b.create<EmbeddingOp>(loc, outT, body.getArgument(0),
                                  body.getArgument(1));
  b.create<func::ReturnOp>(loc, h);
}

void emitHead(OpBuilder &b, ModuleOp module, const ModelConfig &cfg, Type act,
              bool prefill) {
  Location loc = b.getUnknownLoc();
  SmallVector<int64_t> h = prefill
                               ? SmallVector<int64_t>{kDyn, kDyn, cfg.dModel}
                               : SmallVector<int64_t>{kDyn, cfg.dModel};
  SmallVector<int64_t> logits(h.begin(), h.end() - 1);
  logits.push_back(cfg.paddedVocabSize);
  auto hT = RankedTensorType::get(h, act);
  auto rT = RankedTensorType::get(h, b.getF32Type());
  auto wT = RankedTensorType::get({cfg.dModel}, act);
  auto lmT = RankedTensorType::get({cfg.paddedVocabSize, cfg.dModel}, act);
  auto outT = RankedTensorType::get(logits, act);
  func::FuncOp fn =
      makeFunc(b, module, loc, prefill ? "head_prefill" : "head_decode",
               {hT, rT, wT, lmT}, {outT});
  Block &body = fn.getBody().front();
  auto norm = b.create<RmsNormOp>(loc, TypeRange{hT}, body.getArgument(0),
                                  body.getArgument(2), body.getArgument(1),
                                  b.getF64FloatAttr(cfg.normEps));
  Value out = b.create<LinearOp>(loc, outT, norm.getY(), body.getArgument(3),
                                 Value(), Value(), ConvLayout::channel_last,
                                 ConvLayout::channel_last);
  b.create<func::ReturnOp>(loc, out);
}

/// @greedy(logits (Bt, n)) -> ids (Bt): the row-wise argmax. n is dynamic
/// so that the runtime can pass a view without the padded vocabulary rows.
void emitGreedy(OpBuilder &b, ModuleOp module, Type act) {
  Location loc = b.getUnknownLoc();
  auto inT = RankedTensorType::get({kDyn, kDyn}, act);
  auto outT = RankedTensorType::get({kDyn}, b.getI32Type());
  func::FuncOp fn = makeFunc(b, module, loc, "greedy", {inT}, {outT});
  Block &body = fn.getBody().front();
  Value ids = b.create<ArgmaxOp>(loc, outT, body.getArgument(0));
  b.create<func::ReturnOp>(loc, ids);
}

} // namespace

OwningOpRef<ModuleOp> mlir::mamba::buildModelIR(MLIRContext &ctx,
                                                const ModelConfig &cfg,
                                                const ModelIROptions &options) {
  ctx.loadDialect<MambaDialect, arith::ArithDialect, func::FuncDialect,
                  tensor::TensorDialect>();
  OpBuilder b(&ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
  Type act = elementType(&ctx, options.dtype);
  emitEmbed(b, *module, cfg, act, true);
  emitEmbed(b, *module, cfg, act, false);
  emitBlock(b, *module, cfg, options, true);
  emitBlock(b, *module, cfg, options, false);
  if (options.packedPrefill)
    emitBlock(b, *module, cfg, options, true, /*packed=*/true);
  emitHead(b, *module, cfg, act, true);
  emitHead(b, *module, cfg, act, false);
  emitGreedy(b, *module, act);
  return module;
}
