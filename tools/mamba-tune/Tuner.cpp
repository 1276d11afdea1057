//===- Tuner.cpp - times the legal tiles of kernel ops on the GPU ---------===//

#include "Tuner.h"

#include "dialect/MambaOps.h"
#include "passes/KernelPlan.h"
#include "passes/OpPlans.h"
#include "runtime/Compare.h"
#include "runtime/DType.h"
#include "runtime/Jit.h"
#include "runtime/cuda/CudaBackend.h"
#include "runtime/cuda/JitImpl.h"
#include "runtime/exec/CpuBackend.h"
#include "runtime/exec/Interpreter.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <map>

using namespace mamba;
using namespace mlir::mamba;
using exec::RtTensor;

namespace {

DType dtypeOfType(mlir::Type type) {
  mlir::Type t = mlir::getElementTypeOrSelf(type);
  if (t.isF16())
    return DType::F16;
  if (t.isBF16())
    return DType::BF16;
  return DType::F32;
}

struct Range {
  float lo, hi;
};

/// Inputs in the ranges a model feeds: A negative, dt before softplus
/// mostly negative (or small and positive without it), the rest in [-1, 1].
Range rangeOf(mlir::Operation *op, unsigned index) {
  mlir::Value v = op->getOperand(index);
  auto dt = [](bool softplus) {
    return softplus ? Range{-4, 0} : Range{0.001f, 0.1f};
  };
  auto bias = [](bool softplus) {
    return softplus ? Range{-1, 0.5} : Range{0, 0.05f};
  };
  return llvm::TypeSwitch<mlir::Operation *, Range>(op)
      .Case([&](SsdOp o) {
        if (v == o.getA())
          return Range{-3, -0.5};
        if (v == o.getDt())
          return dt(o.getDtSoftplus());
        if (v == o.getDtBias())
          return bias(o.getDtSoftplus());
        return Range{-1, 1};
      })
      .Case([&](SelectiveScanOp o) {
        if (v == o.getA())
          return Range{-2, -0.1f};
        if (v == o.getDelta())
          return dt(o.getDeltaSoftplus());
        if (v == o.getDeltaBias())
          return bias(o.getDeltaSoftplus());
        return Range{-1, 1};
      })
      .Case([&](SelectiveStateUpdateOp o) {
        if (v == o.getA())
          return Range{-2, -0.1f};
        // With dt_proj, dt is the low-rank input of the projection.
        if (v == o.getDt() && !o.getDtProj())
          return dt(o.getDtSoftplus());
        if (v == o.getDtBias())
          return bias(o.getDtSoftplus());
        return Range{-1, 1};
      })
      .Case([&](ConvStateUpdateOp o) {
        if (v == o.getA())
          return Range{-3, -0.5};
        if (v == o.getDt())
          return dt(o.getDtSoftplus());
        if (v == o.getDtBias())
          return bias(o.getDtSoftplus());
        return Range{-1, 1};
      })
      .Default([](mlir::Operation *) {
        return Range{-1, 1};
      });
}

/// The shape of a tensor type with its dynamic dims, in order, set to the
/// batch and the sequence length.
Result<std::vector<int64_t>> concreteShape(mlir::Type type, int64_t batch,
                                           int64_t seqlen) {
  auto shaped = mlir::cast<mlir::ShapedType>(type);
  std::vector<int64_t> shape;
  int dynamic = 0;
  for (int64_t d : shaped.getShape()) {
    if (d != mlir::ShapedType::kDynamic) {
      shape.push_back(d);
      continue;
    }
    if (dynamic == 2)
      return Error("more than two dynamic dims (batch, sequence)");
    shape.push_back(dynamic++ == 0 ? batch : seqlen);
  }
  return shape;
}

/// Random values in `r`, rounded to `t`, from a fast generator.
std::vector<float> randomValues(size_t n, DType t, Range r, uint64_t seed) {
  std::vector<float> v(n);
  uint64_t s = seed * 0x9e3779b97f4a7c15ull + 1;
  for (size_t i = 0; i < n; ++i) {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    float u = float(s >> 40) / float(1 << 24);
    v[i] = roundTo(t, r.lo + (r.hi - r.lo) * u);
  }
  return v;
}

std::vector<uint8_t> toBytes(const std::vector<float> &v, DType t) {
  std::vector<uint8_t> out(v.size() * dtypeSize(t));
  for (size_t i = 0; i < v.size(); ++i)
    storeFromFloat(out.data(), t, i, v[i]);
  return out;
}

std::string today() {
  std::time_t now = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&now));
  return buf;
}

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t)
      .count();
}

std::string fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

bool tunedByDefault(mlir::Operation *op) {
  return mlir::isa<SelectiveScanOp, SsdOp, CausalConv1dOp, CausalConv1dUpdateOp,
                   SelectiveStateUpdateOp, ConvStateUpdateOp, RmsNormOp,
                   GatedRmsNormOp>(op);
}

class Tuner {
public:
  Tuner(std::shared_ptr<GpuContext> gpu, const TuneOptions &options)
      : gpu_(std::move(gpu)), options_(options) {}

  Status init() {
    Result<std::unique_ptr<Jit>> jit = Jit::create(gpu_);
    if (!jit.ok())
      return Error(jit.error());
    jit_ = jit.take();
    Result<std::unique_ptr<cuda::CudaBackend>> backend =
        cuda::CudaBackend::create(gpu_, *jit_);
    if (!backend.ok())
      return Error(backend.error());
    backend_ = backend.take();
    mlir::FailureOr<TargetInfo> target = TargetInfo::get(jit_->arch());
    if (mlir::failed(target))
      return Error("no launch limits for " + jit_->arch());
    target_ = *target;
    Result<double> r = gpu_->copyRoof();
    if (!r.ok())
      return Error("the copy roof: " + r.error());
    roof = *r;
    return Status::success();
  }

  Jit &jit() { return *jit_; }
  double roof = 0;
  Result<OpTuning> tune(mlir::Operation *op, const std::string &label);

private:
  void say(const std::string &line) {
    if (options_.progress)
      options_.progress(line);
  }
  /// Compiles the candidates' funcs; those that fail to compile, or spill,
  /// are rejected with the reason.
  Status compile(mlir::ModuleOp module, std::vector<mlir::func::FuncOp> &fns,
                 OpTuning &t);
  Result<std::vector<RtTensor>>
  upload(mlir::Operation *op, const std::vector<std::vector<float>> &v,
         const std::vector<std::vector<int64_t>> &shapes);

  std::shared_ptr<GpuContext> gpu_;
  TuneOptions options_;
  std::unique_ptr<Jit> jit_;
  std::unique_ptr<cuda::CudaBackend> backend_;
  exec::CpuBackend cpu_;
  TargetInfo target_;
};

Result<std::vector<RtTensor>>
Tuner::upload(mlir::Operation *op, const std::vector<std::vector<float>> &v,
              const std::vector<std::vector<int64_t>> &shapes) {
  std::vector<RtTensor> out;
  for (unsigned i = 0; i < op->getNumOperands(); ++i) {
    DType t = dtypeOfType(op->getOperand(i).getType());
    Result<RtTensor> d = backend_->allocate(t, shapes[i]);
    if (!d.ok())
      return Error(d.error());
    std::vector<uint8_t> bytes = toBytes(v[i], t);
    MAMBA_TRY(gpu_->upload(d->data, bytes.data(), bytes.size()));
    out.push_back(d.take());
  }
  return out;
}

Status Tuner::compile(mlir::ModuleOp module,
                      std::vector<mlir::func::FuncOp> &fns, OpTuning &t) {
  MAMBA_TRY(jit_->impl().plan(module));
  auto symbolOf = [](mlir::func::FuncOp fn) {
    std::string s;
    fn.walk([&](mlir::Operation *o) {
      if (auto k = o->getAttrOfType<mlir::StringAttr>("kernel"))
        s = k.getValue().str();
    });
    return s;
  };
  if (!backend_->compileModule(module).ok()) {
    // One at a time, to find which candidates do not compile.
    for (size_t i = 0; i < fns.size(); ++i) {
      mlir::OwningOpRef<mlir::ModuleOp> one =
          mlir::ModuleOp::create(fns[i].getLoc());
      one->getBody()->push_back(fns[i].clone());
      Status s = backend_->compileModule(*one);
      if (!s.ok())
        t.candidates[i].reject =
            "does not compile: " + s.error().substr(0, 200);
    }
  }
  for (size_t i = 0; i < fns.size(); ++i) {
    CandidateResult &c = t.candidates[i];
    if (!c.reject.empty())
      continue;
    auto it = backend_->kernels().find(symbolOf(fns[i]));
    if (it == backend_->kernels().end()) {
      c.reject = "no kernel was compiled";
      continue;
    }
    c.registers = it->second.info().registers;
    c.spillBytes = it->second.info().spillBytes;
    if (c.spillBytes > 0 && i != 0)
      c.reject = "spills " + std::to_string(c.spillBytes) + " bytes";
  }
  return Status::success();
}

Result<OpTuning> Tuner::tune(mlir::Operation *op, const std::string &label) {
  OpTuning t;
  t.copyRoof = roof;
  t.opName = op->getName().getStringRef().str();
  t.record = TuningDb::describe(op);
  for (mlir::Type type : op->getOperandTypes())
    if (!mlir::isa<mlir::FloatType>(mlir::getElementTypeOrSelf(type))) {
      t.skipped = "has integer operands";
      return t;
    }
  // Tuning points: (batch, length) when an operand has a sequence dim.
  bool sequence = false;
  for (mlir::Type type : op->getOperandTypes())
    sequence |= mlir::cast<mlir::ShapedType>(type).getNumDynamicDims() >= 2;
  for (int64_t b : options_.batches) {
    if (!sequence) {
      t.points.emplace_back(b, 0);
      continue;
    }
    for (int64_t l : options_.seqlens)
      if (!mlir::isa<SelectiveScanOp>(op) || l >= kShortScanMaxSeqLen)
        t.points.emplace_back(b, l);
  }
  if (t.points.empty()) {
    t.skipped = "no tuning point (selective_scan runs its state-parallel twin "
                "below " +
                std::to_string(kShortScanMaxSeqLen) + " steps)";
    return t;
  }

  // The tile space, on a copy of the op without its plan.
  mlir::OwningOpRef<mlir::ModuleOp> scratch =
      mlir::ModuleOp::create(op->getLoc());
  mlir::func::FuncOp spaceFn =
      addIsolatedOpFunc(*scratch, op, "space", nullptr);
  mlir::Operation *bare = &spaceFn.getBody().front().front();
  mlir::FailureOr<std::vector<TileCandidate>> space =
      enumerateTiles(bare, target_, options_.space, &t.stats);
  if (mlir::failed(space))
    return Error(label + ": no heuristic tile");
  say(label + ": " + std::to_string(space->size()) + " candidates (" +
      std::to_string(t.stats.verified) + " tiles verify; pruned " +
      std::to_string(t.stats.prunedLaunch) + " by launch limits, " +
      std::to_string(t.stats.prunedRegisters) + " by registers, " +
      std::to_string(t.stats.prunedOccupancy) + " by occupancy, " +
      std::to_string(t.stats.cut) + " beyond --max-candidates)");

  // Every candidate in its own func of one module: NVRTC compiles them in
  // parallel.
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::ModuleOp::create(op->getLoc());
  std::vector<mlir::func::FuncOp> fns;
  for (size_t i = 0; i < space->size(); ++i) {
    fns.push_back(addIsolatedOpFunc(*module, op, "c" + std::to_string(i),
                                    &(*space)[i].params));
    CandidateResult c;
    c.tile = (*space)[i].params;
    t.candidates.push_back(c);
  }
  auto tc = std::chrono::steady_clock::now();
  MAMBA_TRY(compile(*module, fns, t));
  say(label + ": compiled " + std::to_string(fns.size()) + " kernels in " +
      fixed(secondsSince(tc), 1) + " s");
  std::vector<std::unique_ptr<exec::FuncRunner>> runners(fns.size());
  for (size_t i = 0; i < fns.size(); ++i) {
    if (!t.candidates[i].reject.empty())
      continue;
    Result<std::unique_ptr<exec::FuncRunner>> r =
        exec::FuncRunner::create(fns[i], *backend_);
    if (!r.ok())
      return Error(label + ": " + r.error());
    runners[i] = r.take();
  }

  // The check: every candidate against the CPU reference at the check size.
  std::vector<std::vector<int64_t>> shapes;
  std::vector<std::vector<float>> values;
  for (unsigned i = 0; i < op->getNumOperands(); ++i) {
    mlir::Type type = op->getOperand(i).getType();
    Result<std::vector<int64_t>> shape =
        concreteShape(type, options_.checkBatch, options_.checkSeqlen);
    if (!shape.ok()) {
      t.skipped = "operand " + std::to_string(i) + ": " + shape.error();
      return t;
    }
    int64_t n = 1;
    for (int64_t d : *shape)
      n *= d;
    values.push_back(
        randomValues(size_t(n), dtypeOfType(type), rangeOf(op, i), 1000 + i));
    shapes.push_back(*shape);
  }
  mlir::OwningOpRef<mlir::ModuleOp> refModule =
      mlir::ModuleOp::create(op->getLoc());
  mlir::func::FuncOp refFn =
      addIsolatedOpFunc(*refModule, op, "reference", nullptr, /*toF32=*/true);
  Result<std::unique_ptr<exec::FuncRunner>> refRunner =
      exec::FuncRunner::create(refFn, cpu_);
  if (!refRunner.ok())
    return Error(label + ": " + refRunner.error());
  std::vector<RtTensor> refArgs;
  for (size_t i = 0; i < values.size(); ++i) {
    Result<RtTensor> a = cpu_.allocate(DType::F32, shapes[i]);
    if (!a.ok())
      return Error(a.error());
    std::memcpy(a->data, values[i].data(), values[i].size() * sizeof(float));
    refArgs.push_back(a.take());
  }
  auto tr = std::chrono::steady_clock::now();
  Result<std::vector<RtTensor>> ref = (*refRunner)->run(refArgs);
  if (!ref.ok())
    return Error(label + ": the CPU reference: " + ref.error());
  // 16-bit activations anywhere (an f32 state updated from bf16 inputs
  // too) give the 16-bit tolerance.
  bool narrow = false;
  for (mlir::Type type : op->getOperandTypes())
    narrow |= dtypeOfType(type) != DType::F32;
  for (mlir::Type type : op->getResultTypes())
    narrow |= dtypeOfType(type) != DType::F32;
  double tol = narrow ? 1e-2 : 1e-4;
  int passed = 0;
  for (size_t i = 0; i < fns.size(); ++i) {
    CandidateResult &c = t.candidates[i];
    if (!c.reject.empty())
      continue;
    Result<std::vector<RtTensor>> args = upload(op, values, shapes);
    if (!args.ok())
      return Error(args.error());
    Result<std::vector<RtTensor>> got = runners[i]->run(*args);
    if (!got.ok()) {
      c.reject = "fails to run: " + got.error();
      continue;
    }
    for (size_t r = 0; r < got->size(); ++r) {
      const RtTensor &g = (*got)[r];
      if (!(*ref)[r].isContiguous() || !g.isContiguous())
        return Error(label + ": a result is not contiguous");
      std::vector<uint8_t> raw(g.bytes());
      MAMBA_TRY(gpu_->download(raw.data(), g.data, raw.size()));
      std::vector<float> v(size_t(g.numel()));
      for (size_t k = 0; k < v.size(); ++k)
        v[k] = loadAsFloat(raw.data(), g.dtype, k);
      if (int(i) == options_.corruptCandidate && r == 0)
        for (float &x : v)
          x += 1;
      c.error = std::max(c.error,
                         relativeL2(v.data(),
                                    static_cast<const float *>((*ref)[r].data),
                                    v.size()));
    }
    if (!(c.error <= tol))
      c.reject = "wrong: relative L2 error " + std::to_string(c.error) + " > " +
                 std::to_string(tol);
    else
      ++passed;
  }
  say(label + ": " + std::to_string(passed) +
      " candidates match the CPU reference at batch " +
      std::to_string(options_.checkBatch) +
      (sequence ? ", length " + std::to_string(options_.checkSeqlen) : "") +
      " (reference " + fixed(secondsSince(tr), 1) + " s)");
  for (const CandidateResult &c : t.candidates)
    if (!c.reject.empty())
      say(label + ":   rejected " + tileText(c.tile) + ": " + c.reject);
  if (!t.candidates[0].reject.empty()) {
    t.skipped = "the heuristic tile " + tileText(t.candidates[0].tile) + " " +
                t.candidates[0].reject;
    return t;
  }

  // Timing, per point, of the candidates that passed.
  for (auto [batch, seqlen] : t.points) {
    std::vector<std::vector<int64_t>> pshapes;
    std::vector<std::vector<float>> pvalues;
    size_t footprint = 0;
    for (unsigned i = 0; i < op->getNumOperands(); ++i) {
      mlir::Type type = op->getOperand(i).getType();
      Result<std::vector<int64_t>> shape = concreteShape(type, batch, seqlen);
      int64_t n = 1;
      for (int64_t d : *shape)
        n *= d;
      pvalues.push_back(
          randomValues(size_t(n), dtypeOfType(type), rangeOf(op, i), 2000 + i));
      pshapes.push_back(*shape);
      footprint += size_t(n) * dtypeSize(dtypeOfType(type));
    }
    double resultBytes = 0;
    for (mlir::Type type : op->getResultTypes()) {
      Result<std::vector<int64_t>> shape = concreteShape(type, batch, seqlen);
      double n = 1;
      for (int64_t d : shape.ok() ? *shape : std::vector<int64_t>{})
        n *= double(d);
      resultBytes += n * double(dtypeSize(dtypeOfType(type)));
    }
    t.floorBytes.push_back(double(footprint) + resultBytes);
    footprint *= 2; // the results
    Result<size_t> free = gpu_->freeMemory();
    int copies =
        int(std::clamp<size_t>((size_t(256) << 20) / footprint, 1, 32));
    while (copies > 1 && free.ok() && size_t(copies) * footprint * 2 > *free)
      copies /= 2;
    std::vector<std::vector<RtTensor>> sets;
    for (int c = 0; c < copies; ++c) {
      Result<std::vector<RtTensor>> s = upload(op, pvalues, pshapes);
      if (!s.ok())
        return Error(label + ": inputs at batch " + std::to_string(batch) +
                     ": " + s.error());
      sets.push_back(s.take());
    }
    pvalues.clear();
    for (size_t i = 0; i < fns.size(); ++i) {
      CandidateResult &c = t.candidates[i];
      if (!c.reject.empty())
        continue;
      exec::FuncRunner &runner = *runners[i];
      auto once = [&]() -> Status {
        for (const std::vector<RtTensor> &s : sets) {
          Result<std::vector<RtTensor>> r = runner.run(s);
          if (!r.ok())
            return Error(r.error());
        }
        return Status::success();
      };
      MAMBA_TRY(once()); // warms the pool outside the capture
      backend_->startRecording();
      Result<void *> graph = gpu_->captureGraph(once);
      std::vector<std::shared_ptr<void>> held = backend_->stopRecording();
      if (!graph.ok())
        return Error(label + ": capturing: " + graph.error());
      Result<double> ms = gpu_->medianMs(
          [&] { return gpu_->launchGraph(*graph); }, 2, options_.repeats);
      gpu_->destroyGraph(*graph);
      if (!ms.ok())
        return Error(label + ": timing: " + ms.error());
      c.us.push_back(*ms * 1e3 / copies);
    }
    say(label + ": timed at batch " + std::to_string(batch) +
        (seqlen ? ", length " + std::to_string(seqlen) : "") + " (" +
        std::to_string(copies) + " rotating input copies)");
  }

  // The winner: the smallest mean ratio to the heuristic over the points.
  const CandidateResult &h = t.candidates[0];
  double bestScore = INFINITY;
  for (size_t i = 0; i < t.candidates.size(); ++i) {
    const CandidateResult &c = t.candidates[i];
    if (!c.reject.empty() || c.us.size() != t.points.size())
      continue;
    double score = 0;
    for (size_t p = 0; p < c.us.size(); ++p)
      score += c.us[p] / h.us[p];
    if (score < bestScore) {
      bestScore = score;
      t.best = int(i);
    }
  }
  // A win inside the noise of the measurement keeps the heuristic.
  if (bestScore / double(t.points.size()) > 1.0 - options_.minGain)
    t.best = 0;
  const CandidateResult &w = t.candidates[size_t(t.best)];
  double wSum = 0, hSum = 0;
  for (size_t p = 0; p < t.points.size(); ++p) {
    wSum += w.us[p];
    hSum += h.us[p];
  }
  t.record.tile = w.tile;
  t.record.us = wSum;
  t.record.heuristicUs = hSum;
  t.record.date = today();
  double floor = 0;
  for (double b : t.floorBytes)
    floor += b / roof * 1e6;
  say(label + ": best " + tileText(w.tile) + ": " + fixed(wSum, 2) +
      " us against the heuristic's " + fixed(hSum, 2) + " us (" +
      fixed(hSum / wSum, 2) + "x; the copy roof's " + fixed(floor, 2) +
      " us is " + fixed(100 * floor / wSum, 1) + "% of it)");
  return t;
}

} // namespace

Result<std::vector<OpTuning>> mamba::tuneModule(std::shared_ptr<GpuContext> gpu,
                                                mlir::ModuleOp module,
                                                const TuneOptions &options) {
  Tuner tuner(std::move(gpu), options);
  MAMBA_TRY(tuner.init());
  MAMBA_TRY(tuner.jit().impl().plan(module));
  std::vector<mlir::Operation *> ops;
  std::set<std::string> keys;
  module.walk([&](mlir::Operation *op) {
    if (!isKernelOp(op))
      return;
    std::string name = op->getName().getStringRef().str();
    std::string bareName = name.substr(name.find('.') + 1);
    if (options.ops.empty() ? !tunedByDefault(op)
                            : !options.ops.count(bareName))
      return;
    if (keys.insert(TuningDb::describe(op).key()).second)
      ops.push_back(op);
  });
  if (ops.empty())
    return Error("no kernel op to tune");
  std::vector<OpTuning> out;
  for (size_t i = 0; i < ops.size(); ++i) {
    std::string label = "[" + std::to_string(i + 1) + "/" +
                        std::to_string(ops.size()) + "] " +
                        ops[i]->getName().getStringRef().str();
    Result<OpTuning> t = tuner.tune(ops[i], label);
    if (!t.ok())
      return Error(t.error());
    if (!t->skipped.empty() && options.progress)
      options.progress(label + ": skipped: " + t->skipped);
    out.push_back(t.take());
  }
  return out;
}
