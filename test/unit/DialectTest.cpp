//===- DialectTest.cpp - C++ builders, verifiers and attributes of mamba --===//
//
// Builds every op of the mamba dialect through its generated C++ builders,
// with the optional operands and results present and absent, and verifies the
// module; builds a few invalid ops and checks the verifier's diagnostics; and
// round-trips the #mamba.tile / #mamba.launch attributes through print+parse.
//
//===----------------------------------------------------------------------===//

#include "dialect/MambaDialect.h"
#include "dialect/MambaOps.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

using namespace mlir;
using namespace mlir::mamba;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

class DialectTest : public ::testing::Test {
protected:
  DialectTest() : builder(&ctx) {
    ctx.loadDialect<MambaDialect, func::FuncDialect>();
    module = ModuleOp::create(loc);
  }

  RankedTensorType f32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }
  RankedTensorType f16(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF16Type());
  }
  RankedTensorType bf16(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getBF16Type());
  }
  RankedTensorType i32(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getI32Type());
  }
  RankedTensorType i64(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getI64Type());
  }

  /// Adds `func.func @name(argTypes)` to the module, leaves the builder in
  /// its body and returns its arguments.
  Block::BlockArgListType beginFunc(StringRef name, TypeRange argTypes) {
    builder.setInsertionPointToEnd(module->getBody());
    func = builder.create<func::FuncOp>(loc, name,
                                        builder.getFunctionType(argTypes, {}));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToStart(body);
    return body->getArguments();
  }

  /// Returns `results` from the current function and fixes its type.
  void endFunc(ValueRange results) {
    builder.create<func::ReturnOp>(loc, results);
    func.setFunctionType(builder.getFunctionType(
        func.getArgumentTypes(), TypeRange(ValueRange(results))));
  }

  /// Verifies the module and collects the diagnostics into `diagnostics`
  /// instead of printing them.
  LogicalResult verifyModule() {
    diagnostics.clear();
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      diagnostics += diag.str();
      diagnostics += "\n";
      return success();
    });
    return mlir::verify(*module);
  }

  /// Expects the module to fail verification with a message containing
  /// `expected`.
  void expectInvalid(StringRef expected) {
    EXPECT_TRUE(failed(verifyModule()));
    EXPECT_NE(diagnostics.find(expected.str()), std::string::npos)
        << "expected a diagnostic containing: " << expected.str()
        << "\ngot: " << diagnostics;
  }

  std::string print(Attribute attr) {
    std::string s;
    llvm::raw_string_ostream os(s);
    attr.print(os);
    return os.str();
  }

  /// Parses `text` as an attribute, collecting diagnostics.
  Attribute parse(StringRef text) {
    diagnostics.clear();
    ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
      diagnostics += diag.str();
      diagnostics += "\n";
      return success();
    });
    return parseAttribute(text, &ctx);
  }

  APFloat f64(double v) { return APFloat(v); }
  APFloat inf() { return APFloat(std::numeric_limits<double>::infinity()); }

  MLIRContext ctx;
  OpBuilder builder;
  Location loc = UnknownLoc::get(&ctx);
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
  std::string diagnostics;
};

//===----------------------------------------------------------------------===//
// Valid ops through the generated builders
//===----------------------------------------------------------------------===//

TEST_F(DialectTest, CausalConv1d) {
  auto x = f32({2, 64, kDyn});
  auto xl = bf16({kDyn, kDyn, 1792});
  auto args =
      beginFunc("conv", {x, f32({64, 4}), xl, f32({1792, 4}), f32({1792}),
                         bf16({kDyn, 1792, 3}), i32({kDyn, kDyn})});

  // No optional operand, no final_states, default attributes.
  auto minimal = builder.create<CausalConv1dOp>(
      loc, x, /*final_states=*/Type(), args[0], args[1], /*bias=*/Value(),
      /*initial_states=*/Value(), /*seq_idx=*/Value(),
      /*cu_seqlens=*/Value());
  EXPECT_FALSE(minimal.getBias());
  EXPECT_FALSE(minimal.getInitialStates());
  EXPECT_FALSE(minimal.getSeqIdx());
  EXPECT_FALSE(minimal.getFinalStates());
  EXPECT_EQ(minimal.getLayout(), ConvLayout::channel_first);
  EXPECT_EQ(minimal.getActivation(), Activation::none);
  EXPECT_FALSE(minimal.isChannelLast());
  EXPECT_EQ(minimal.getWidth(), 4);

  // Every optional operand and result, channel-last, SiLU.
  auto all = builder.create<CausalConv1dOp>(
      loc, xl, bf16({kDyn, 1792, 3}), args[2], args[3], args[4], args[5],
      args[6], Value(), ConvLayout::channel_last, Activation::silu);
  EXPECT_EQ(all.getBias(), args[4]);
  EXPECT_EQ(all.getInitialStates(), args[5]);
  EXPECT_EQ(all.getSeqIdx(), args[6]);
  EXPECT_TRUE(all.getFinalStates());
  EXPECT_TRUE(all.isChannelLast());
  EXPECT_EQ(all.getActivation(), Activation::silu);

  // seq_idx alone: the operand segments must skip bias and initial_states.
  auto seqOnly = builder.create<CausalConv1dOp>(
      loc, xl, Type(), args[2], args[3], Value(), Value(), args[6], Value(),
      ConvLayout::channel_last, Activation::none);
  EXPECT_FALSE(seqOnly.getBias());
  EXPECT_FALSE(seqOnly.getInitialStates());
  EXPECT_EQ(seqOnly.getSeqIdx(), args[6]);

  endFunc(
      {minimal.getOut(), all.getOut(), all.getFinalStates(), seqOnly.getOut()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, CausalConv1dUpdate) {
  auto x = f16({kDyn, 3072});
  auto state = f16({16, 3072, 4});
  auto args = beginFunc("conv_update", {x, state, bf16({3072, 4}), bf16({3072}),
                                        i32({kDyn}), f16({16, 3072})});

  // Without state_indices the pool has one row per batch row.
  auto minimal = builder.create<CausalConv1dUpdateOp>(
      loc, f16({16, 3072}), state, args[5], args[1], args[2],
      /*bias=*/Value(), /*state_indices=*/Value());
  EXPECT_FALSE(minimal.getBias());
  EXPECT_FALSE(minimal.getStateIndices());
  EXPECT_EQ(minimal.getWidth(), 4);

  auto all = builder.create<CausalConv1dUpdateOp>(loc, x, state, args[0],
                                                  args[1], args[2], args[3],
                                                  args[4], Activation::silu);
  EXPECT_EQ(all.getBias(), args[3]);
  EXPECT_EQ(all.getStateIndices(), args[4]);

  auto indicesOnly = builder.create<CausalConv1dUpdateOp>(
      loc, x, state, args[0], args[1], args[2], Value(), args[4]);
  EXPECT_FALSE(indicesOnly.getBias());
  EXPECT_EQ(indicesOnly.getStateIndices(), args[4]);

  endFunc({minimal.getOut(), all.getNewState(), indicesOnly.getOut()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, SelectiveScan) {
  auto u = bf16({kDyn, 1536, kDyn});
  auto a = f32({1536, 16});
  auto vec = f32({1536});
  auto state = f32({kDyn, 1536, 16});
  auto args = beginFunc("scan", {u, a, bf16({kDyn, 2, 16, kDyn}),
                                 bf16({kDyn, 16, kDyn}), vec, state});

  // Constant B and C, nothing optional.
  auto minimal = builder.create<SelectiveScanOp>(
      loc, u, /*last_state=*/Type(), args[0], args[0], args[1], args[1],
      args[1], /*D=*/Value(), /*z=*/Value(), /*delta_bias=*/Value(),
      /*initial_state=*/Value(), /*cu_seqlens=*/Value());
  EXPECT_FALSE(minimal.getLastState());
  EXPECT_FALSE(minimal.getDeltaSoftplus());
  EXPECT_FALSE(minimal.isVariableB());
  EXPECT_FALSE(minimal.isVariableC());
  EXPECT_EQ(minimal.getNumGroups(), 1);
  EXPECT_EQ(minimal.getDState(), 16);
  EXPECT_EQ(minimal.getNumChannels(), 1536);

  // Grouped per-token B, ungrouped per-token C, everything optional.
  auto all = builder.create<SelectiveScanOp>(
      loc, u, state, args[0], args[0], args[1], args[2], args[3], args[4],
      args[0], args[4], args[5], Value(), /*delta_softplus=*/true);
  EXPECT_TRUE(all.isVariableB());
  EXPECT_TRUE(all.isVariableC());
  EXPECT_EQ(all.getNumGroups(), 2);
  EXPECT_EQ(all.getD(), args[4]);
  EXPECT_EQ(all.getZ(), args[0]);
  EXPECT_EQ(all.getDeltaBias(), args[4]);
  EXPECT_EQ(all.getInitialState(), args[5]);
  EXPECT_TRUE(all.getDeltaSoftplus());
  EXPECT_TRUE(all.getLastState());

  // Only z and initial_state.
  auto some = builder.create<SelectiveScanOp>(
      loc, u, Type(), args[0], args[0], args[1], args[2], args[1], Value(),
      args[0], Value(), args[5], Value());
  EXPECT_FALSE(some.getD());
  EXPECT_EQ(some.getZ(), args[0]);
  EXPECT_FALSE(some.getDeltaBias());
  EXPECT_EQ(some.getInitialState(), args[5]);

  endFunc({minimal.getOut(), all.getLastState(), some.getOut()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, SelectiveStateUpdateMamba1) {
  auto state = f32({8, 64, 32});
  auto x = f16({kDyn, 64});
  auto args = beginFunc("ssu1", {state, x, f32({64, 32}), f16({kDyn, 32}),
                                 f16({kDyn, 2, 32}), f32({64}), i32({kDyn}),
                                 f32({kDyn, 64, 32})});

  auto minimal = builder.create<SelectiveStateUpdateOp>(
      loc, x, f32({kDyn, 64, 32}), args[7], args[1], args[1], args[2], args[3],
      args[3], /*D=*/Value(), /*z=*/Value(), /*dt_bias=*/Value(),
      /*state_indices=*/Value(), /*dt_proj=*/Value(), /*dt_softplus=*/false,
      f64(0.0), inf());
  EXPECT_FALSE(minimal.isHeadForm());
  EXPECT_EQ(minimal.getNumHeads(), 1);
  EXPECT_EQ(minimal.getHeadDim(), 64);
  EXPECT_EQ(minimal.getDState(), 32);
  EXPECT_EQ(minimal.getNumGroups(), 1);
  EXPECT_TRUE(minimal.getDtMax().isInfinity());

  auto all = builder.create<SelectiveStateUpdateOp>(
      loc, x, state, args[0], args[1], args[1], args[2], args[4], args[4],
      args[5], args[1], args[5], args[6], /*dt_proj=*/Value(),
      /*dt_softplus=*/true, f64(1e-3), f64(0.1));
  EXPECT_EQ(all.getNumGroups(), 2);
  EXPECT_EQ(all.getD(), args[5]);
  EXPECT_EQ(all.getZ(), args[1]);
  EXPECT_EQ(all.getDtBias(), args[5]);
  EXPECT_EQ(all.getStateIndices(), args[6]);
  EXPECT_TRUE(all.getDtSoftplus());
  EXPECT_EQ(all.getDtMin().convertToDouble(), 1e-3);

  endFunc({minimal.getOut(), all.getNewState()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, SelectiveStateUpdateMamba2) {
  auto state = f32({kDyn, 24, 64, 128});
  auto x = bf16({kDyn, 24, 64});
  auto heads = f32({24});
  auto args =
      beginFunc("ssu2", {state, x, bf16({kDyn, 24}), heads,
                         bf16({kDyn, 8, 128}), f32({24, 64}), i32({kDyn})});

  auto minimal = builder.create<SelectiveStateUpdateOp>(
      loc, x, state, args[0], args[1], args[2], args[3], args[4], args[4],
      Value(), Value(), Value(), Value(), Value(), false, f64(0.0), inf());
  EXPECT_TRUE(minimal.isHeadForm());
  EXPECT_EQ(minimal.getNumHeads(), 24);
  EXPECT_EQ(minimal.getHeadDim(), 64);
  EXPECT_EQ(minimal.getNumGroups(), 8);
  EXPECT_EQ(minimal.getDState(), 128);

  // D of shape (H, P), and D of shape (H).
  auto all = builder.create<SelectiveStateUpdateOp>(
      loc, x, state, args[0], args[1], args[2], args[3], args[4], args[4],
      args[5], args[1], args[3], args[6], Value(), true, f64(0.0), f64(16.0));
  auto perHead = builder.create<SelectiveStateUpdateOp>(
      loc, x, state, args[0], args[1], args[2], args[3], args[4], args[4],
      args[3], Value(), Value(), args[6], Value(), false, f64(0.0), inf());
  EXPECT_EQ(perHead.getD(), args[3]);
  EXPECT_FALSE(perHead.getDtBias());
  EXPECT_EQ(perHead.getStateIndices(), args[6]);

  endFunc({minimal.getOut(), all.getNewState(), perHead.getOut()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, Ssd) {
  auto x = bf16({kDyn, kDyn, 24, 64});
  auto bc = bf16({kDyn, kDyn, 8, 128});
  auto states = f32({kDyn, 24, 64, 128});
  auto args = beginFunc("ssd", {x, bf16({kDyn, kDyn, 24}), f32({24}), bc,
                                f32({24, 64}), states, i32({kDyn, kDyn})});

  auto minimal = builder.create<SsdOp>(
      loc, x, /*final_states=*/Type(), args[0], args[1], args[2], args[3],
      args[3], /*D=*/Value(), /*z=*/Value(), /*dt_bias=*/Value(),
      /*initial_states=*/Value(), /*seq_idx=*/Value(), /*cu_seqlens=*/Value(),
      /*chunk_size=*/256,
      /*dt_softplus=*/false, f64(0.0), inf());
  EXPECT_EQ(minimal.getNumHeads(), 24);
  EXPECT_EQ(minimal.getHeadDim(), 64);
  EXPECT_EQ(minimal.getNumGroups(), 8);
  EXPECT_EQ(minimal.getDState(), 128);
  EXPECT_EQ(minimal.getChunkSize(), 256u);
  EXPECT_FALSE(minimal.getFinalStates());

  auto all =
      builder.create<SsdOp>(loc, x, states, args[0], args[1], args[2], args[3],
                            args[3], args[4], args[0], args[2], args[5],
                            args[6], Value(), 64, true, f64(1e-4), f64(100.0));
  EXPECT_EQ(all.getD(), args[4]);
  EXPECT_EQ(all.getZ(), args[0]);
  EXPECT_EQ(all.getDtBias(), args[2]);
  EXPECT_EQ(all.getInitialStates(), args[5]);
  EXPECT_EQ(all.getSeqIdx(), args[6]);
  EXPECT_TRUE(all.getFinalStates());

  // Per-head D and seq_idx only.
  auto some =
      builder.create<SsdOp>(loc, x, Type(), args[0], args[1], args[2], args[3],
                            args[3], args[2], Value(), Value(), Value(),
                            args[6], Value(), 1024, false, f64(0.0), inf());
  EXPECT_EQ(some.getD(), args[2]);
  EXPECT_FALSE(some.getInitialStates());
  EXPECT_EQ(some.getSeqIdx(), args[6]);

  endFunc({minimal.getOut(), all.getFinalStates(), some.getOut()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, Norms) {
  auto x = bf16({kDyn, kDyn, 768});
  auto res = f32({kDyn, kDyn, 768});
  auto args = beginFunc("norms", {x, bf16({768}), res});

  auto plain = builder.create<RmsNormOp>(loc, x, /*residual_out=*/Type(),
                                         args[0], args[1],
                                         /*residual=*/Value(), f64(1e-5));
  EXPECT_FALSE(plain.getResidual());
  EXPECT_FALSE(plain.getResidualOut());

  auto fused = builder.create<RmsNormOp>(loc, x, res, args[0], args[1], args[2],
                                         f64(1e-6));
  EXPECT_EQ(fused.getResidual(), args[2]);
  EXPECT_TRUE(fused.getResidualOut());
  EXPECT_EQ(fused.getEps().convertToDouble(), 1e-6);

  // residual_out without residual (the first layer's prenorm).
  auto first = builder.create<RmsNormOp>(loc, x, res, args[0], args[1], Value(),
                                         f64(1e-5));
  EXPECT_TRUE(first.getResidualOut());

  auto gatedPlain = builder.create<GatedRmsNormOp>(loc, x, args[0], args[1],
                                                   /*z=*/Value(), f64(1e-5));
  EXPECT_FALSE(gatedPlain.getZ());
  EXPECT_EQ(gatedPlain.getEffectiveGroupSize(), 768);
  EXPECT_FALSE(gatedPlain.getNormBeforeGate());

  auto gated = builder.create<GatedRmsNormOp>(loc, x, args[0], args[1], args[0],
                                              f64(1e-5),
                                              /*group_size=*/256,
                                              /*norm_before_gate=*/true);
  EXPECT_EQ(gated.getZ(), args[0]);
  EXPECT_EQ(gated.getEffectiveGroupSize(), 256);
  EXPECT_TRUE(gated.getNormBeforeGate());

  endFunc({plain.getY(), fused.getResidualOut(), first.getY(),
           gatedPlain.getY(), gated.getY()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, GraphOps) {
  auto x = f16({kDyn, kDyn, 768});
  auto y = f16({kDyn, kDyn, 3072});
  auto table = bf16({50280, 768});
  auto args = beginFunc("graph", {x, f16({3072, 768}), f16({3072}), y,
                                  i32({kDyn, kDyn}), i64({kDyn}), table,
                                  f32({kDyn, 1536, kDyn}), f32({1536})});

  auto linear = builder.create<LinearOp>(loc, y, args[0], args[1],
                                         /*bias=*/Value(),
                                         /*residual=*/Value());
  auto linearAll =
      builder.create<LinearOp>(loc, y, args[0], args[1], args[2], args[3]);
  auto linearResidual =
      builder.create<LinearOp>(loc, y, args[0], args[1], Value(), args[3]);
  EXPECT_FALSE(linear.getBias());
  EXPECT_EQ(linearAll.getBias(), args[2]);
  EXPECT_EQ(linearAll.getResidual(), args[3]);
  EXPECT_FALSE(linearResidual.getBias());
  EXPECT_EQ(linearResidual.getResidual(), args[3]);

  auto emb32 = builder.create<EmbeddingOp>(loc, bf16({kDyn, kDyn, 768}),
                                           args[4], args[6]);
  auto emb64 =
      builder.create<EmbeddingOp>(loc, bf16({kDyn, 768}), args[5], args[6]);

  // The result type of the unary ops is inferred.
  auto silu = builder.create<SiluOp>(loc, args[0]);
  auto softplus = builder.create<SoftplusOp>(loc, silu.getY());
  EXPECT_EQ(softplus.getY().getType(), x);

  auto mul = builder.create<ChannelMulOp>(loc, args[7].getType(), args[7],
                                          args[8], /*dim=*/1);
  auto add = builder.create<ChannelAddOp>(loc, args[7].getType(), mul.getY(),
                                          args[8], 1);
  EXPECT_EQ(add.getDim(), 1u);

  endFunc({linear.getY(), linearAll.getY(), linearResidual.getY(),
           emb32.getOut(), emb64.getOut(), softplus.getY(), add.getY()});
  EXPECT_TRUE(succeeded(verifyModule())) << diagnostics;
}

TEST_F(DialectTest, DiscardableTileAndLaunchAttributes) {
  auto x = f32({kDyn, 64});
  auto args = beginFunc("attrs", {x});
  auto silu = builder.create<SiluOp>(loc, args[0]);
  SmallVector<std::pair<StringRef, int64_t>> params = {{"threads", 128},
                                                       {"items", 4}};
  silu->setAttr("tile", TileAttr::get(&ctx, params));
  silu->setAttr("launch", LaunchAttr::get(&ctx, {kDyn, 1, 1}, {128, 1, 1},
                                          /*smem=*/0, /*regs=*/64));
  endFunc({silu.getY()});
  ASSERT_TRUE(succeeded(verifyModule())) << diagnostics;

  // The whole module survives print + parse.
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  OwningOpRef<ModuleOp> reparsed = parseSourceString<ModuleOp>(text, &ctx);
  ASSERT_TRUE(reparsed);
  std::string again;
  llvm::raw_string_ostream os2(again);
  reparsed->print(os2);
  EXPECT_EQ(os.str(), os2.str());
  auto op = cast<SiluOp>(
      *cast<func::FuncOp>(reparsed->getBody()->front()).getOps().begin());
  auto tile = op->getAttrOfType<TileAttr>("tile");
  ASSERT_TRUE(tile);
  EXPECT_EQ(tile.get("items"), 4);
  auto launch = op->getAttrOfType<LaunchAttr>("launch");
  ASSERT_TRUE(launch);
  EXPECT_EQ(launch.getRegs(), 64);
}

//===----------------------------------------------------------------------===//
// Invalid ops: the verifier rejects them with the documented message
//===----------------------------------------------------------------------===//

TEST_F(DialectTest, InvalidDState) {
  auto u = f32({2, 64, 8});
  auto a = f32({64, 512});
  auto args = beginFunc("bad", {u, a});
  auto op = builder.create<SelectiveScanOp>(loc, u, Type(), args[0], args[0],
                                            args[1], args[1], args[1], Value(),
                                            Value(), Value(), Value(), Value());
  endFunc({op.getOut()});
  expectInvalid("expects d_state <= 256, got 512");
}

TEST_F(DialectTest, InvalidRankZeroANoCrash) {
  auto u = f32({2, 64, 8});
  auto args = beginFunc("bad", {u, f32({}), f32({64, 16})});
  auto op = builder.create<SelectiveScanOp>(loc, u, Type(), args[0], args[0],
                                            args[1], args[2], args[2], Value(),
                                            Value(), Value(), Value(), Value());
  endFunc({op.getOut()});
  expectInvalid("expects 'A' of rank 2 (D, N), got rank 0");
}

TEST_F(DialectTest, InvalidConvWidth) {
  auto x = bf16({2, 64, 8});
  auto args = beginFunc("bad", {x, bf16({64, 5})});
  auto op = builder.create<CausalConv1dOp>(loc, x, Type(), args[0], args[1],
                                           Value(), Value(), Value(), Value());
  endFunc({op.getOut()});
  expectInvalid("expects d_conv (weight dim 1) in [2, 4], got 5");
}

TEST_F(DialectTest, InvalidChunkSize) {
  auto x = f32({1, 16, 8, 64});
  auto bc = f32({1, 16, 1, 16});
  auto args = beginFunc("bad", {x, f32({1, 16, 8}), f32({8}), bc});
  auto op = builder.create<SsdOp>(loc, x, Type(), args[0], args[1], args[2],
                                  args[3], args[3], Value(), Value(), Value(),
                                  Value(), Value(), Value(), /*chunk_size=*/100,
                                  false, f64(0.0), inf());
  endFunc({op.getOut()});
  expectInvalid("expects chunk_size to be a power of two in [16, 1024], got "
                "100");
}

TEST_F(DialectTest, InvalidDtLimits) {
  auto state = f32({2, 64, 16});
  auto x = f32({2, 64});
  auto args = beginFunc("bad", {state, x, f32({64, 16}), f32({2, 16})});
  auto op = builder.create<SelectiveStateUpdateOp>(
      loc, x, state, args[0], args[1], args[1], args[2], args[3], args[3],
      Value(), Value(), Value(), Value(), Value(), false, f64(1.0), f64(0.5));
  endFunc({op.getOut()});
  expectInvalid("expects dt_min <= dt_max");
}

TEST_F(DialectTest, InvalidStateUpdateChannels) {
  auto state = f32({kDyn, 64, 16});
  auto x = f32({kDyn, 32});
  auto args = beginFunc(
      "bad", {state, x, f32({kDyn, 64}), f32({64, 16}), f32({kDyn, 16})});
  auto op = builder.create<SelectiveStateUpdateOp>(
      loc, x, state, args[0], args[1], args[2], args[3], args[4], args[4],
      Value(), Value(), Value(), Value(), Value(), false, f64(0.0), inf());
  endFunc({op.getOut()});
  expectInvalid("expects 'x' of shape (Bt, D) = (?, 64), got (?, 32)");
}

TEST_F(DialectTest, InvalidChannelDim) {
  auto x = f32({4, 8});
  auto args = beginFunc("bad", {x, f32({8})});
  auto op = builder.create<ChannelAddOp>(loc, x, args[0], args[1],
                                         builder.getI64IntegerAttr(-1));
  endFunc({op.getY()});
  expectInvalid("expects dim + rank(w) <= rank(x) with dim >= 0, got dim = "
                "-1");
}

TEST_F(DialectTest, InvalidLinearWeightType) {
  auto x = bf16({kDyn, 768});
  auto args = beginFunc("bad", {x, f32({3072, 768})});
  auto op = builder.create<LinearOp>(loc, bf16({kDyn, 3072}), args[0], args[1],
                                     Value(), Value());
  endFunc({op.getY()});
  expectInvalid("expects 'weight' element type 'bf16' (the element type of "
                "x), got 'f32'");
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

TEST_F(DialectTest, TileAttrGetAndLookup) {
  SmallVector<std::pair<StringRef, int64_t>> params = {
      {"threads", 128}, {"items", 16}, {"channels", 2}};
  TileAttr tile = TileAttr::get(&ctx, params);
  ASSERT_TRUE(tile);
  EXPECT_EQ(tile.lookup("threads"), std::optional<int64_t>(128));
  EXPECT_EQ(tile.lookup("channels"), std::optional<int64_t>(2));
  EXPECT_EQ(tile.lookup("warps"), std::nullopt);
  EXPECT_EQ(tile.get("items"), 16);

  // Parameters keep the order they were given in.
  ASSERT_EQ(tile.getParams().size(), 3u);
  EXPECT_EQ(tile.getParams()[0].name.getValue(), "threads");
  EXPECT_EQ(tile.getParams()[2].name.getValue(), "channels");

  // Attributes are uniqued: the same pairs give the same attribute, another
  // order a different one.
  EXPECT_EQ(TileAttr::get(&ctx, params), tile);
  SmallVector<std::pair<StringRef, int64_t>> reordered = {
      {"items", 16}, {"threads", 128}, {"channels", 2}};
  EXPECT_NE(TileAttr::get(&ctx, reordered), tile);

  TileAttr empty =
      TileAttr::get(&ctx, ArrayRef<std::pair<StringRef, int64_t>>());
  EXPECT_TRUE(empty.getParams().empty());
  EXPECT_EQ(empty.lookup("threads"), std::nullopt);
}

TEST_F(DialectTest, TileAttrRoundTrip) {
  SmallVector<std::pair<StringRef, int64_t>> params = {
      {"threads", 128}, {"block-n", 64}, {"items", 0}};
  TileAttr tile = TileAttr::get(&ctx, params);
  std::string text = print(tile);
  // A name that is not a bare identifier is printed quoted.
  EXPECT_EQ(text, "#mamba.tile<threads = 128, \"block-n\" = 64, items = 0>");
  Attribute parsed = parse(text);
  EXPECT_EQ(parsed, tile) << diagnostics;

  TileAttr empty =
      TileAttr::get(&ctx, ArrayRef<std::pair<StringRef, int64_t>>());
  EXPECT_EQ(print(empty), "#mamba.tile<>");
  EXPECT_EQ(parse("#mamba.tile<>"), empty);
}

TEST_F(DialectTest, TileAttrInvalid) {
  EXPECT_FALSE(parse("#mamba.tile<threads = 1, threads = 2>"));
  EXPECT_NE(diagnostics.find("tile parameter 'threads' is given twice"),
            std::string::npos)
      << diagnostics;
  EXPECT_FALSE(parse("#mamba.tile<items = -1>"));
  EXPECT_NE(diagnostics.find("expects tile parameter 'items' >= 0, got -1"),
            std::string::npos)
      << diagnostics;

  // getChecked reports through the given callback and returns null.
  std::string messages;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    messages += diag.str();
    return success();
  });
  SmallVector<TileParam> params = {{StringAttr::get(&ctx, "x"), 1},
                                   {StringAttr::get(&ctx, "x"), 2}};
  EXPECT_FALSE(TileAttr::getChecked([&] { return emitError(loc); }, &ctx,
                                    ArrayRef<TileParam>(params)));
  EXPECT_NE(messages.find("given twice"), std::string::npos) << messages;
}

TEST_F(DialectTest, LaunchAttrRoundTrip) {
  LaunchAttr launch =
      LaunchAttr::get(&ctx, {kDyn, 40, 1}, {128, 2, 1}, 12288, 128);
  EXPECT_EQ(launch.threadsPerBlock(), 256);
  EXPECT_EQ(launch.getGrid()[0], kDyn);
  EXPECT_EQ(launch.getSmem(), 12288);
  std::string text = print(launch);
  EXPECT_EQ(text, "#mamba.launch<grid = [?, 40, 1], block = [128, 2, 1], "
                  "smem = 12288, regs = 128>");
  EXPECT_EQ(parse(text), launch) << diagnostics;

  LaunchAttr fixed = LaunchAttr::get(&ctx, {1, 1, 1}, {32, 1, 1}, 0, 0);
  EXPECT_EQ(parse(print(fixed)), fixed) << diagnostics;
  EXPECT_NE(fixed, launch);
}

TEST_F(DialectTest, LaunchAttrInvalid) {
  struct Case {
    const char *text;
    const char *message;
  } cases[] = {
      {"#mamba.launch<grid = [1, 1], block = [1, 1, 1], smem = 0, regs = 0>",
       "expects 3 grid and 3 block extents, got 2 and 3"},
      {"#mamba.launch<grid = [0, 1, 1], block = [1, 1, 1], smem = 0, regs = "
       "0>",
       "expects grid extents >= 1 or '?', got 0"},
      {"#mamba.launch<grid = [1, 1, 1], block = [?, 1, 1], smem = 0, regs = "
       "0>",
       "expects block extents >= 1, got '?'"},
      {"#mamba.launch<grid = [1, 1, 1], block = [1, 1, 1], smem = -8, regs = "
       "0>",
       "expects smem >= 0, got -8"},
      {"#mamba.launch<grid = [1, 1, 1], block = [1, 1, 1], smem = 0, regs = "
       "300>",
       "expects regs in [0, 255], got 300"},
  };
  for (const Case &c : cases) {
    EXPECT_FALSE(parse(c.text)) << c.text;
    EXPECT_NE(diagnostics.find(c.message), std::string::npos)
        << c.text << "\ngot: " << diagnostics;
  }
}

TEST_F(DialectTest, EnumAttrRoundTrip) {
  auto layout = ConvLayoutAttr::get(&ctx, ConvLayout::channel_last);
  EXPECT_EQ(print(layout), "#mamba<layout channel_last>");
  EXPECT_EQ(parse(print(layout)), layout);
  auto act = ActivationAttr::get(&ctx, Activation::silu);
  EXPECT_EQ(print(act), "#mamba<activation silu>");
  EXPECT_EQ(parse(print(act)), act);
  EXPECT_EQ(symbolizeConvLayout("channel_first"), ConvLayout::channel_first);
  EXPECT_EQ(symbolizeActivation("gelu"), std::nullopt);
  EXPECT_EQ(stringifyActivation(Activation::none), "none");
}

} // namespace
