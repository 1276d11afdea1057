//===- FuseDecodeTest.cpp - fused decode ops against the unfused graph ----===//
//
// mamba-fuse-decode (passes/FuseDecode.cpp) on the decode steps of
// test/unit/FuseDecodeCases.h, run on the CPU backend: the fused func (one
// mamba.conv_state_update, or a selective_state_update with dt_proj) must
// give the outputs and both new states of the unfused one over random
// inputs (relative L2 <= 1e-6 in f32), and the pass must have fused.
//
//===----------------------------------------------------------------------===//

#include "FuseDecodeCases.h"

#include "dialect/MambaDialect.h"
#include "passes/Passes.h"
#include "runtime/Compare.h"
#include "runtime/exec/CpuBackend.h"
#include "runtime/exec/Interpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>

using namespace mamba;
using namespace mamba::test;
using exec::RtTensor;

namespace {

class FuseDecodeCpu : public ::testing::Test {
protected:
  FuseDecodeCpu() {
    registry.insert<mlir::mamba::MambaDialect, mlir::arith::ArithDialect,
                    mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
    context = std::make_unique<mlir::MLIRContext>(registry);
    context->loadAllAvailableDialects();
  }

  /// `text` parsed, and with `fuse` run through mamba-fuse-decode.
  mlir::OwningOpRef<mlir::ModuleOp> parse(const std::string &text, bool fuse) {
    mlir::OwningOpRef<mlir::ModuleOp> m =
        mlir::parseSourceString<mlir::ModuleOp>(text, context.get());
    EXPECT_TRUE(m) << text;
    if (!m)
      return m;
    EXPECT_TRUE(mlir::succeeded(mlir::verify(*m))) << text;
    if (fuse) {
      mlir::PassManager pm(context.get());
      pm.addPass(mlir::mamba::createFuseDecodePass());
      EXPECT_TRUE(mlir::succeeded(pm.run(*m)));
    }
    return m;
  }

  static int count(mlir::ModuleOp m, llvm::StringRef name) {
    int n = 0;
    m.walk([&](mlir::Operation *op) {
      n += op->getName().getStringRef() == name;
    });
    return n;
  }

  /// Fresh tensors of the arguments' values (the states are updated in
  /// place, so every run gets its own).
  std::vector<RtTensor> tensors(const std::vector<StepArg> &args,
                                const std::vector<std::vector<float>> &values) {
    std::vector<RtTensor> out;
    for (size_t i = 0; i < args.size(); ++i) {
      Result<RtTensor> t = cpu.allocate(args[i].dtype, args[i].shape);
      EXPECT_TRUE(t.ok()) << t.error();
      if (args[i].dtype == DType::I32) {
        for (size_t k = 0; k < values[i].size(); ++k)
          static_cast<int32_t *>(t->data)[k] = int32_t(values[i][k]);
      } else {
        std::memcpy(t->data, values[i].data(), values[i].size() * 4);
      }
      out.push_back(t.take());
    }
    return out;
  }

  /// The elements of `t` in row-major order.
  static std::vector<float> flat(const RtTensor &t) {
    std::vector<float> v(size_t(t.numel()));
    std::vector<int64_t> idx(t.shape.size(), 0);
    for (size_t k = 0; k < v.size(); ++k) {
      int64_t off = 0;
      for (size_t d = 0; d < idx.size(); ++d)
        off += idx[d] * t.strides[d];
      v[k] = static_cast<const float *>(t.data)[off];
      for (int d = int(idx.size()) - 1; d >= 0; --d) {
        if (++idx[d] < t.shape[d])
          break;
        idx[d] = 0;
      }
    }
    return v;
  }

  static double relL2(const std::vector<float> &got,
                      const std::vector<float> &ref) {
    if (got.size() != ref.size())
      return INFINITY;
    return relativeL2(got.data(), ref.data(), got.size());
  }

  /// Runs the unfused and the fused @step of `ir` on the same inputs and
  /// compares every result; `fusedOp` must appear in the fused module.
  void compare(const std::string &ir, const std::vector<StepArg> &args,
               int64_t stateRows, const std::string &name,
               const std::function<void(mlir::ModuleOp)> &expectFused) {
    SCOPED_TRACE(name);
    mlir::OwningOpRef<mlir::ModuleOp> unfused = parse(ir, false);
    mlir::OwningOpRef<mlir::ModuleOp> fused = parse(ir, true);
    ASSERT_TRUE(unfused && fused);
    expectFused(*fused);
    auto fnOf = [](mlir::ModuleOp m) {
      return *m.getOps<mlir::func::FuncOp>().begin();
    };
    Result<std::unique_ptr<exec::FuncRunner>> ru =
        exec::FuncRunner::create(fnOf(*unfused), cpu);
    Result<std::unique_ptr<exec::FuncRunner>> rf =
        exec::FuncRunner::create(fnOf(*fused), cpu);
    ASSERT_TRUE(ru.ok()) << ru.error();
    ASSERT_TRUE(rf.ok()) << rf.error();
    std::mt19937_64 rng(std::hash<std::string>()(name));
    std::vector<std::vector<float>> values;
    for (const StepArg &a : args)
      values.push_back(stepArgValues(a, rng, stateRows));
    // Two decode steps, the second from the states of the first.
    std::vector<RtTensor> inU = tensors(args, values),
                          inF = tensors(args, values);
    for (int step = 0; step < 2; ++step) {
      Result<std::vector<RtTensor>> outU = (*ru)->run(inU);
      Result<std::vector<RtTensor>> outF = (*rf)->run(inF);
      ASSERT_TRUE(outU.ok()) << outU.error();
      ASSERT_TRUE(outF.ok()) << outF.error();
      ASSERT_EQ(outU->size(), outF->size());
      for (size_t r = 0; r < outU->size(); ++r) {
        std::vector<float> u = flat((*outU)[r]), f = flat((*outF)[r]);
        double err = relL2(f, u);
        EXPECT_LE(err, 1e-6) << "result " << r << " step " << step;
        // A result that is all zeros would compare equal whatever the
        // fused op did: every output of these steps has non-zero values.
        double norm = 0;
        for (float v : u)
          norm += double(v) * v;
        EXPECT_GT(norm, 0.0) << "result " << r;
      }
      // The next step's states: the new states (the results alias the
      // state arguments when updated in place; copy them over otherwise).
      for (auto [res, arg] : stateResults) {
        std::vector<float> u = flat((*outU)[res]), f = flat((*outF)[res]);
        std::memcpy(inU[arg].data, u.data(), u.size() * 4);
        std::memcpy(inF[arg].data, f.data(), f.size() * 4);
      }
    }
  }

  mlir::DialectRegistry registry;
  std::unique_ptr<mlir::MLIRContext> context;
  exec::CpuBackend cpu;
  /// (result, argument) pairs of the states of the step being compared.
  std::vector<std::pair<size_t, size_t>> stateResults;
};

TEST_F(FuseDecodeCpu, ConvStateUpdateMatchesConvThenStateUpdate) {
  stateResults = {{1, 1}, {2, 3}};
  std::vector<ConvStateCase> cases = convStateCases();
  ASSERT_GE(cases.size(), 30u);
  for (const ConvStateCase &c : cases)
    compare(c.ir(), c.args(), c.stateRows(), c.name(), [&](mlir::ModuleOp m) {
      EXPECT_EQ(count(m, "mamba.conv_state_update"), 1) << c.ir();
      EXPECT_EQ(count(m, "mamba.causal_conv1d_update"), 0);
      EXPECT_EQ(count(m, "mamba.selective_state_update"), 0);
    });
}

TEST_F(FuseDecodeCpu, DtProjMatchesLinearThenStateUpdate) {
  stateResults = {{1, 0}};
  std::vector<DtProjCase> cases = dtProjCases();
  ASSERT_GE(cases.size(), 16u);
  for (const DtProjCase &c : cases)
    compare(c.ir(), c.args(), c.stateRows(), c.name(), [&](mlir::ModuleOp m) {
      EXPECT_EQ(count(m, "mamba.linear"), 0) << c.ir();
      int withDtProj = 0;
      m.walk([&](mlir::mamba::SelectiveStateUpdateOp op) {
        withDtProj += bool(op.getDtProj());
      });
      EXPECT_EQ(withDtProj, 1);
    });
}

/// The comparison can fail: a fused op whose B columns point at C gives
/// other outputs than the graph it claims to be.
TEST_F(FuseDecodeCpu, ComparisonSeesAWrongColumn) {
  ConvStateCase c;
  c.groups = 2;
  c.heads = 2;
  std::string ir = c.ir();
  mlir::OwningOpRef<mlir::ModuleOp> fused = parse(ir, true);
  ASSERT_TRUE(fused);
  fused->walk([&](mlir::mamba::ConvStateUpdateOp op) {
    // Swap B and C: still a valid partition, another function.
    auto b = op.getBOffsetAttr(), cc = op.getCOffsetAttr();
    op.setBOffsetAttr(cc);
    op.setCOffsetAttr(b);
  });
  mlir::OwningOpRef<mlir::ModuleOp> unfused = parse(ir, false);
  auto fnOf = [](mlir::ModuleOp m) {
    return *m.getOps<mlir::func::FuncOp>().begin();
  };
  Result<std::unique_ptr<exec::FuncRunner>> ru =
      exec::FuncRunner::create(fnOf(*unfused), cpu);
  Result<std::unique_ptr<exec::FuncRunner>> rf =
      exec::FuncRunner::create(fnOf(*fused), cpu);
  ASSERT_TRUE(ru.ok() && rf.ok());
  std::mt19937_64 rng(3);
  std::vector<StepArg> args = c.args();
  std::vector<std::vector<float>> values;
  for (const StepArg &a : args)
    values.push_back(stepArgValues(a, rng, c.stateRows()));
  Result<std::vector<RtTensor>> outU = (*ru)->run(tensors(args, values));
  Result<std::vector<RtTensor>> outF = (*rf)->run(tensors(args, values));
  ASSERT_TRUE(outU.ok() && outF.ok());
  EXPECT_GT(relL2(flat((*outF)[0]), flat((*outU)[0])), 1e-3);
  // The conv state does not depend on which columns are B and C.
  EXPECT_EQ(relL2(flat((*outF)[1]), flat((*outU)[1])), 0.0);
}

} // namespace
