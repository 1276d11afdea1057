//===- Model.cpp - models and sessions on the CPU or a GPU ----------------===//

#include "runtime/Mamba.h"

#include "runtime/Limits.h"

#include "frontend/ModelBuilder.h"
#include "passes/Passes.h"
#include "passes/TuningDb.h"
#include "runtime/exec/CpuBackend.h"
#include "runtime/exec/Interpreter.h"
#include "runtime/model/WeightStore.h"
#if MAMBA_HAVE_CUDA
#include "codegen/CudaEmitter.h"
#include "runtime/cuda/CudaBackend.h"
#include "runtime/cuda/KernelCache.h"
#endif

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <thread>
#include <unistd.h>

using namespace mamba;
using exec::RtTensor;

const char *mamba::deviceName(Device d) {
  switch (d) {
  case Device::Auto:
    return "auto";
  case Device::Cpu:
    return "cpu";
  case Device::Cuda:
    return "cuda";
  }
  return "?";
}

namespace {

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
      .count();
}

/// Collects MLIR diagnostics for error messages.
struct Diagnostics {
  explicit Diagnostics(mlir::MLIRContext &ctx)
      : handler(&ctx, [this](mlir::Diagnostic &d) {
          llvm::raw_string_ostream os(text);
          os << d << "\n";
          return mlir::success();
        }) {}
  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

/// Runs the passes a backend needs: fusion only for the CPU, the whole
/// mamba-to-cuda pipeline for CUDA.
/// The tuning database the CUDA pipeline consults (passes/TuningDb.h).
std::string tuningDbFor(const std::string &arch, const std::string &given) {
#if MAMBA_HAVE_CUDA
  return mlir::mamba::TuningDb::runtimeDefault(
      arch, cuda::KernelCache::defaultDir(), given);
#else
  return mlir::mamba::TuningDb::runtimeDefault(arch, "", given);
#endif
}

Status lowerModule(mlir::ModuleOp module, bool cuda, const std::string &arch,
                   const std::string &tuningDb = "") {
  mlir::MLIRContext &ctx = *module.getContext();
  Diagnostics diags(ctx);
  if (mlir::failed(mlir::verify(module)))
    return Error("the model IR does not verify:\n" + diags.text);
  mlir::PassManager pm(&ctx);
  if (cuda) {
    mlir::mamba::MambaToCudaOptions options;
    options.arch = arch;
    options.db = tuningDbFor(arch, tuningDb);
    mlir::mamba::buildMambaToCudaPipeline(pm, options);
  } else {
    // The fusions of mamba-to-cuda, so that the CPU runs (and checks) the
    // ops the GPU does.
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::mamba::createFuseElementwisePass());
    pm.addPass(mlir::mamba::createFuseDecodePass());
  }
  if (mlir::failed(pm.run(module)))
    return Error("compiling the model IR failed:\n" + diags.text);
  return Status::success();
}

} // namespace

Result<std::string> mamba::emitModel(const std::string &dir, EmitStage stage,
                                     DType dtype, const std::string &arch) {
  Result<ModelConfig> cfg = loadModelConfig(dir);
  if (!cfg.ok())
    return Error(cfg.error());
  mlir::MLIRContext ctx;
  mlir::mamba::ModelIROptions options;
  options.dtype = dtype;
  options.packedPrefill = true; // as Model::load builds it
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::mamba::buildModelIR(ctx, *cfg, options);
  if (stage != EmitStage::Mlir)
    MAMBA_TRY(lowerModule(*module, true, arch));
  std::string out;
  llvm::raw_string_ostream os(out);
  if (stage == EmitStage::Cuda) {
#if MAMBA_HAVE_CUDA
    mlir::FailureOr<mlir::mamba::TargetInfo> target =
        mlir::mamba::TargetInfo::get(arch);
    if (mlir::failed(target))
      return Error("unknown GPU architecture '" + arch + "'");
    Diagnostics diags(ctx);
    if (mlir::failed(mlir::mamba::translateModuleToCuda(*module, os, *target)))
      return Error("CUDA emission failed:\n" + diags.text);
#else
    return Error("this build has no CUDA code generator");
#endif
  } else {
    module->print(os);
  }
  return out;
}

struct Model::Impl {
  ModelConfig cfg;
  Device device = Device::Cpu;
  DType dtype = DType::F32;
  DType stateDType = DType::F32;
  std::string where = "CPU";
  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::shared_ptr<GpuContext> gpu;
  std::unique_ptr<Jit> jit;
  std::unique_ptr<exec::Backend> backend;
  std::map<std::string, std::unique_ptr<exec::FuncRunner>> funcs;
  std::vector<std::vector<RtTensor>> layers; // in blockWeights() order
  RtTensor embedding, normF, lmHead;
  double loadSec = 0, compileSec = 0;
  std::function<void(const std::string &)> progress;
  ProgressCallback onProgress;

  void advance(const char *what, int64_t done, int64_t total) {
    if (onProgress)
      onProgress({what, done, total});
  }

  void say(const std::string &line) {
    if (progress)
      progress(line);
  }

  /// A device tensor of `dtype` from host data of any float type. On the
  /// CPU an f32 tensor is adopted as it is, without a copy.
  Result<RtTensor> upload(Tensor host, DType dtype,
                          const std::vector<int64_t> &shape) {
    int64_t n = host.numel();
    if (device == Device::Cpu && host.dtype == DType::F32 &&
        dtype == DType::F32 &&
        n == std::accumulate(shape.begin(), shape.end(), int64_t(1),
                             std::multiplies<int64_t>()))
      return exec::adoptHostTensor(std::move(host), shape);
    Result<RtTensor> t = backend->allocate(dtype, shape);
    if (!t.ok())
      return Error(t.error());
    if (device == Device::Cpu) {
      float *dst = static_cast<float *>(t->data);
      for (int64_t i = 0; i < n; ++i)
        dst[i] = roundTo(dtype, host.at(i));
      return t.take();
    }
    std::vector<uint8_t> raw(size_t(n) * dtypeSize(dtype));
    if (host.dtype == dtype)
      std::memcpy(raw.data(), host.data(), raw.size());
    else
      for (int64_t i = 0; i < n; ++i)
        storeFromFloat(raw.data(), dtype, i, host.at(i));
    MAMBA_TRY(gpu->upload(t->data, raw.data(), raw.size()));
    return t.take();
  }

  Result<std::vector<RtTensor>> call(const std::string &fn,
                                     const std::vector<RtTensor> &args) {
    return funcs.at(fn)->run(args);
  }
};

Model::Model() : impl_(std::make_unique<Impl>()) {}
Model::~Model() = default;

const ModelConfig &Model::config() const { return impl_->cfg; }
Device Model::device() const { return impl_->device; }
DType Model::dtype() const { return impl_->dtype; }
DType Model::stateDType() const { return impl_->stateDType; }
int64_t Model::vocabSize() const { return impl_->cfg.paddedVocabSize; }
double Model::loadSeconds() const { return impl_->loadSec; }
double Model::compileSeconds() const { return impl_->compileSec; }

size_t Model::memoryBytes() const {
  size_t bytes = impl_->embedding.bytes() + impl_->normF.bytes();
  if (impl_->lmHead.data != impl_->embedding.data)
    bytes += impl_->lmHead.bytes();
  for (const std::vector<RtTensor> &layer : impl_->layers)
    for (const RtTensor &t : layer)
      bytes += t.bytes();
#if MAMBA_HAVE_CUDA
  if (impl_->device == Device::Cuda)
    bytes +=
        static_cast<cuda::CudaBackend *>(impl_->backend.get())->poolBytes();
#endif
  return bytes;
}

std::string Model::describe() const {
  const ModelConfig &c = impl_->cfg;
  return std::string(archName(c.arch)) + " d_model " +
         std::to_string(c.dModel) + " x " + std::to_string(c.nLayer) +
         " layers, " + dtypeName(impl_->dtype) + " on " + impl_->where;
}

namespace {
/// Host weights by canonical name, in any float type.
using WeightFetch = std::function<Result<Tensor>(
    const std::string &name, const std::vector<int64_t> &shape)>;
} // namespace

/// Everything but the weights: device, IR, backend, kernels.
/// Device bytes uploadWeights allocates for `m`'s weights (each rounded up
/// to the device pool's 512-byte blocks).
static uint64_t deviceWeightBytes(const Model::Impl &m,
                                  const mlir::mamba::ModelIROptions &ir) {
  auto bytes = [](const std::vector<int64_t> &shape, DType dtype) {
    uint64_t n = dtypeSize(dtype);
    for (int64_t d : shape)
      n *= uint64_t(d);
    return (n + 511) / 512 * 512;
  };
  uint64_t total = 0;
  for (const mlir::mamba::BlockWeight &bw :
       mlir::mamba::blockWeights(m.cfg, ir))
    total += bytes(bw.shape, bw.dtype);
  total *= uint64_t(m.cfg.nLayer);
  const int64_t v = m.cfg.paddedVocabSize, d = m.cfg.dModel;
  total += bytes({v, d}, m.dtype) * (m.cfg.tieEmbeddings ? 1 : 2);
  return total + bytes({d}, m.dtype);
}

static Status prepareModel(Model::Impl &m, const LoadOptions &options,
                           mlir::mamba::ModelIROptions &ir) {
  if (options.stateDType != DType::F32)
    return Error("only an f32 SSM state is supported so far (asked for " +
                 std::string(dtypeName(options.stateDType)) + ")");

  // Device.
  m.device = options.device;
#if MAMBA_HAVE_CUDA
  if (m.device != Device::Cpu) {
    Result<std::shared_ptr<GpuContext>> gpu = GpuContext::open();
    if (gpu.ok()) {
      m.gpu = *gpu;
      m.device = Device::Cuda;
      m.where = m.gpu->name();
    } else if (m.device == Device::Cuda) {
      return Error("--device cuda: " + gpu.error());
    } else {
      m.say("no usable GPU (" + gpu.error() + "); running on the CPU");
      m.device = Device::Cpu;
    }
  }
#else
  if (m.device == Device::Cuda)
    return Error("this build has no CUDA backend");
  m.device = Device::Cpu;
#endif
  m.dtype = options.dtype
                ? *options.dtype
                : (m.device == Device::Cuda ? DType::BF16 : DType::F32);
  if (!isFloat(m.dtype))
    return Error("the model dtype must be f32, f16 or bf16");
  m.stateDType = options.stateDType;

  // IR, lowered for the backend. The CPU computes in f32 throughout.
  m.context = std::make_unique<mlir::MLIRContext>();
  ir.dtype = m.device == Device::Cuda ? m.dtype : DType::F32;
  ir.stateDType = m.stateDType;
  // Ragged prefill runs as one packed batch (cu_seqlens) on every backend.
  ir.packedPrefill = true;
  m.module = mlir::mamba::buildModelIR(*m.context, m.cfg, ir);
  auto tc = std::chrono::steady_clock::now();
  if (m.device == Device::Cuda) {
#if MAMBA_HAVE_CUDA
    // Refuse a model that cannot fit before compiling or loading anything.
    Result<size_t> freeBytes = m.gpu->freeMemory();
    MAMBA_TRY(freeBytes);
    MAMBA_TRY(checkMemoryFits(
        deviceWeightBytes(m, ir), *freeBytes,
        "the " + std::string(dtypeName(m.dtype)) + " weights of this " +
            archName(m.cfg.arch) + " model (d_model " +
            std::to_string(m.cfg.dModel) + " x " +
            std::to_string(m.cfg.nLayer) + " layers)",
        "GPU memory free on " + m.gpu->name() +
            " (try --dtype bf16, a smaller model, or --device cpu)"));
    MAMBA_TRY(
        lowerModule(*m.module, true, m.gpu->arch(), options.jit.tuningDb));
    JitOptions jitOptions = options.jit;
    if (!jitOptions.onProgress)
      jitOptions.onProgress = options.onProgress;
    Result<std::unique_ptr<Jit>> jit = Jit::create(m.gpu, jitOptions);
    if (!jit.ok())
      return Error(jit.error());
    m.jit = jit.take();
    Result<std::unique_ptr<cuda::CudaBackend>> backend =
        cuda::CudaBackend::create(m.gpu, *m.jit);
    if (!backend.ok())
      return Error(backend.error());
    m.say("compiling kernels for " + m.jit->arch() + "...");
    MAMBA_TRY((*backend)->compileModule(*m.module));
    m.say("compiled " + std::to_string((*backend)->kernels().size()) +
          " kernels in " + std::to_string(secondsSince(tc)).substr(0, 5) +
          " s");
    m.backend = backend.take();
#endif
  } else {
    MAMBA_TRY(lowerModule(*m.module, false, ""));
    m.backend = std::make_unique<exec::CpuBackend>();
  }
  for (mlir::func::FuncOp fn : m.module->getOps<mlir::func::FuncOp>()) {
    Result<std::unique_ptr<exec::FuncRunner>> runner =
        exec::FuncRunner::create(fn, *m.backend);
    if (!runner.ok())
      return Error(runner.error());
    m.funcs[fn.getName().str()] = runner.take();
  }
  m.compileSec = secondsSince(tc);
  return Status::success();
}

/// Uploads every weight the IR takes, fetched by canonical name.
static Status uploadWeights(Model::Impl &m,
                            const mlir::mamba::ModelIROptions &ir,
                            const WeightFetch &fetchHost) {
  DType wt = m.device == Device::Cuda ? m.dtype : DType::F32;
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const ExpectedTensor &e : expectedTensors(m.cfg))
    shapes[e.name] = e.shape;
  auto fetch = [&](const std::string &name) -> Result<Tensor> {
    return fetchHost(name, shapes[name]);
  };
  std::vector<mlir::mamba::BlockWeight> blockWeights =
      mlir::mamba::blockWeights(m.cfg, ir);
  for (int64_t l = 0; l < m.cfg.nLayer; ++l) {
    std::string prefix = "backbone.layers." + std::to_string(l) + ".";
    std::vector<RtTensor> layer;
    for (const mlir::mamba::BlockWeight &bw : blockWeights) {
      DType target = m.device == Device::Cuda ? bw.dtype : DType::F32;
      if (bw.name == "A") {
        Result<Tensor> alog = fetch(prefix + "mixer.A_log");
        if (!alog.ok())
          return Error(alog.error());
        // A = -exp(A_log), computed in f32 from the stored (rounded) A_log.
        const Tensor &a = *alog;
        Tensor f;
        f.dtype = DType::F32;
        f.shape = a.shape;
        f.bytes.resize(a.numel() * 4);
        for (int64_t i = 0; i < a.numel(); ++i)
          reinterpret_cast<float *>(f.bytes.data())[i] = -std::exp(a.at(i));
        Result<RtTensor> t = m.upload(std::move(f), DType::F32, bw.shape);
        if (!t.ok())
          return Error(t.error());
        layer.push_back(t.take());
        continue;
      }
      Result<Tensor> host = fetch(prefix + bw.name);
      if (!host.ok())
        return Error(host.error());
      Result<RtTensor> t = m.upload(host.take(), target, bw.shape);
      if (!t.ok())
        return Error(t.error());
      layer.push_back(t.take());
    }
    m.layers.push_back(std::move(layer));
    m.advance("loading layers", l + 1, m.cfg.nLayer);
    if ((l + 1) % 8 == 0 || l + 1 == m.cfg.nLayer)
      m.say("loaded layer " + std::to_string(l + 1) + "/" +
            std::to_string(m.cfg.nLayer));
  }
  auto global = [&](const std::string &name,
                    const std::vector<int64_t> &shape) -> Result<RtTensor> {
    Result<Tensor> host = fetch(name);
    if (!host.ok())
      return Error(host.error());
    return m.upload(host.take(), wt, shape);
  };
  int64_t v = m.cfg.paddedVocabSize, d = m.cfg.dModel;
  Result<RtTensor> emb = global("backbone.embedding.weight", {v, d});
  Result<RtTensor> normF = global("backbone.norm_f.weight", {d});
  if (!emb.ok() || !normF.ok())
    return Error(emb.ok() ? normF.error() : emb.error());
  m.embedding = emb.take();
  m.normF = normF.take();
  if (m.cfg.tieEmbeddings) {
    m.lmHead = m.embedding;
  } else {
    Result<RtTensor> head = global("lm_head.weight", {v, d});
    if (!head.ok())
      return Error(head.error());
    m.lmHead = head.take();
  }
  if (m.gpu)
    MAMBA_TRY(m.gpu->synchronize());
  return Status::success();
}

Result<std::shared_ptr<Model>> Model::load(const std::string &dir,
                                           const LoadOptions &options) {
  auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<Model> model(new Model());
  Impl &m = *model->impl_;
  m.progress = options.progress;
  m.onProgress = options.onProgress;
  Result<ModelConfig> cfg = loadModelConfig(dir);
  if (!cfg.ok())
    return Error(cfg.error());
  m.cfg = *cfg;
  mlir::mamba::ModelIROptions ir;
  MAMBA_TRY(prepareModel(m, options, ir));
  m.say("loading weights from " + dir);
  Result<WeightStore> store = WeightStore::open(dir);
  if (!store.ok())
    return Error(store.error());
  Result<std::map<std::string, Tensor>> weights =
      loadWeights(*store, m.cfg, m.dtype, options.onProgress);
  if (!weights.ok())
    return Error(weights.error());
  MAMBA_TRY(uploadWeights(m, ir,
                          [&](const std::string &name,
                              const std::vector<int64_t> &) -> Result<Tensor> {
                            auto it = weights->find(name);
                            if (it == weights->end())
                              return Error(store->source() +
                                           ": missing tensor '" + name + "'");
                            // Each weight is fetched once: hand it over.
                            Tensor t = std::move(it->second);
                            weights->erase(it);
                            return t;
                          }));
  m.loadSec = secondsSince(t0) - m.compileSec;
  return model;
}

/// A plausible random value for weight `name`: norms near 1, projections
/// uniform in +-1/sqrt(fan_in), A_log = log(1..16), dt biases the inverse
/// softplus of a step in [0.001, 0.1], as the modules initialise them.
/// Random weights shaped like a trained model's: each tensor kind gets its
/// own distribution (norm weights near 1, A_log = log(1..16), dt_bias the
/// inverse softplus of dt in [1e-3, 0.1], fan-in scaled projections). Values
/// come from a counter-based generator, so tensors of billions of elements
/// are filled on all cores and the result does not depend on the thread
/// count. Rounded to `dtype` as a checkpoint stored in it would be.
static Tensor randomWeight(const std::string &name,
                           const std::vector<int64_t> &shape, uint64_t seed,
                           DType dtype) {
  Tensor t;
  t.dtype = DType::F32;
  t.shape = shape;
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  t.bytes.resize(size_t(n) * 4);
  float *v = reinterpret_cast<float *>(t.bytes.data());
  uint64_t stream =
      seed ^ (std::hash<std::string>()(name) * 0x9e3779b97f4a7c15ull);
  auto ends = [&](const char *suffix) {
    return llvm::StringRef(name).ends_with(suffix);
  };
  enum class Kind { Norm, ALog, D, DtBias, Conv, Bias, Embedding, Proj };
  Kind kind = ends("norm.weight") || ends("norm_f.weight") ? Kind::Norm
              : ends("A_log")                              ? Kind::ALog
              : ends(".D")                                 ? Kind::D
              : ends("dt_bias") || ends("dt_proj.bias")    ? Kind::DtBias
              : ends("conv1d.weight")                      ? Kind::Conv
              : ends("bias")                               ? Kind::Bias
              : ends("embedding.weight")                   ? Kind::Embedding
                                                           : Kind::Proj;
  float scale = 1.0f / std::sqrt(shape.size() >= 2 ? float(shape.back()) : 1);
  auto value = [&](int64_t i) {
    // splitmix64 of (stream, i): 24 uniform bits in [0, 1).
    uint64_t z = stream + uint64_t(i + 1) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    float u = float(z >> 40) / float(1 << 24);
    switch (kind) {
    case Kind::Norm:
      return 0.9f + 0.2f * u;
    case Kind::ALog:
      return std::log(1.0f + 15.0f * u);
    case Kind::D:
      return 0.5f + u;
    case Kind::DtBias: {
      float dt =
          std::exp(std::log(0.001f) + u * (std::log(0.1f) - std::log(0.001f)));
      return dt + std::log(-std::expm1(-dt));
    }
    case Kind::Conv:
      return u - 0.5f;
    case Kind::Bias:
      return 0.2f * u - 0.1f;
    case Kind::Embedding:
      return 0.07f * u - 0.035f;
    case Kind::Proj:
      break;
    }
    return (2.0f * u - 1.0f) * scale;
  };
  int64_t threads = std::clamp<int64_t>(std::thread::hardware_concurrency(), 1,
                                        std::max<int64_t>(1, n >> 20));
  int64_t per = (n + threads - 1) / threads;
  auto fill = [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      v[i] = roundTo(dtype, value(i));
  };
  std::vector<std::thread> pool;
  for (int64_t k = 1; k < threads; ++k)
    pool.emplace_back(fill, std::min(n, k * per), std::min(n, (k + 1) * per));
  fill(0, std::min(n, per));
  for (std::thread &th : pool)
    th.join();
  return t;
}

Result<std::shared_ptr<Model>> Model::random(const ModelConfig &config,
                                             const LoadOptions &options,
                                             uint64_t seed) {
  auto t0 = std::chrono::steady_clock::now();
  std::shared_ptr<Model> model(new Model());
  Impl &m = *model->impl_;
  m.progress = options.progress;
  m.onProgress = options.onProgress;
  m.cfg = config;
  mlir::mamba::ModelIROptions ir;
  MAMBA_TRY(prepareModel(m, options, ir));
  m.say("generating random weights");
  MAMBA_TRY(
      uploadWeights(m, ir,
                    [&](const std::string &name,
                        const std::vector<int64_t> &shape) -> Result<Tensor> {
                      if (shape.empty())
                        return Error("no tensor '" + name + "' in a " +
                                     archName(m.cfg.arch) + " model");
                      return randomWeight(name, shape, seed, m.dtype);
                    }));
  m.loadSec = secondsSince(t0) - m.compileSec;
  return model;
}

//===----------------------------------------------------------------------===//
// Session
//===----------------------------------------------------------------------===//

struct Session::Impl {
  std::shared_ptr<Model> model;
  Model::Impl *m = nullptr;
  int64_t batch = 0;
  SessionOptions options;
  std::vector<RtTensor> conv, ssm; // per layer
  // Decode step resources (fixed addresses, for graph replay).
  RtTensor ids, zeroResidual, logits;
  /// The decode step of the first `rows` rows: its CUDA graph (captured on
  /// its second step) and the memory blocks the graph uses.
  struct DecodeGraph {
    void *graph = nullptr;
    int steps = 0;
    std::vector<std::shared_ptr<void>> memory;
  };
  std::map<int64_t, DecodeGraph> graphs; // by rows

  ~Impl() {
#if MAMBA_HAVE_CUDA
    for (auto &[rows, g] : graphs)
      if (g.graph)
        m->gpu->destroyGraph(g.graph);
#endif
  }

  bool cuda() const { return m->device == Device::Cuda; }

  Status checkPrompt(const std::vector<int32_t> &tokens, int64_t rows,
                     int64_t length, bool allPositions) const;
  Status prefill(const std::vector<int32_t> &tokens, int64_t length,
                 Logits *all, RtTensor *last) {
    return prefillOn(tokens, batch, length, conv, ssm, all, last);
  }
  Status prefillOn(const std::vector<int32_t> &tokens, int64_t rows,
                   int64_t length, std::vector<RtTensor> &convStates,
                   std::vector<RtTensor> &ssmStates, Logits *all,
                   RtTensor *last);
  Status prefillPacked(const std::vector<std::vector<int32_t>> &seqs,
                       std::vector<RtTensor> &convStates,
                       std::vector<RtTensor> &ssmStates, bool allPositions,
                       std::vector<Logits> &out);

  /// Rows [r, r + n) of a tensor whose dim 0 is the batch.
  static RtTensor rowsOf(const RtTensor &t, int64_t r, int64_t n = 1) {
    RtTensor v = t;
    v.data =
        static_cast<char *>(t.data) + r * t.strides[0] * dtypeSize(t.dtype);
    v.shape[0] = n;
    return v;
  }

  /// Runs every layer's `fn` (block_prefill or, with `cuSeqlens`,
  /// block_prefill_packed) on hidden/residual, the states updated in place:
  /// into the session's own buffers, as a captured decode graph has their
  /// addresses baked in.
  Status runBlocks(const char *fn, RtTensor &hidden, RtTensor &residual,
                   std::vector<RtTensor> &convStates,
                   std::vector<RtTensor> &ssmStates,
                   const RtTensor *cuSeqlens) {
    for (int64_t l = 0; l < m->cfg.nLayer; ++l) {
      std::vector<RtTensor> args = {hidden, residual};
      args.insert(args.end(), m->layers[l].begin(), m->layers[l].end());
      args.push_back(convStates[l]);
      args.push_back(ssmStates[l]);
      if (cuSeqlens)
        args.push_back(*cuSeqlens);
      Result<std::vector<RtTensor>> r = m->call(fn, args);
      if (!r.ok())
        return Error(r.error());
      hidden = (*r)[0];
      residual = (*r)[1];
      MAMBA_TRY(m->backend->copy((*r)[2], convStates[l]));
      MAMBA_TRY(m->backend->copy((*r)[3], ssmStates[l]));
    }
    return Status::success();
  }

  /// Copies rows [row, row + n) of every state into `*into`, or from
  /// `*from` (the other is null).
  Status transferStates(int64_t row, int64_t n, SessionState *into,
                        const SessionState *from);
  /// The bytes of n rows of every state (SessionState's layout).
  size_t stateBytes(int64_t n) const;
  /// Calls `fn` on rows [row, row + n) of every state, in SessionState's
  /// layout, with the offset of each in it.
  Status
  forEachStateRows(int64_t row, int64_t n,
                   const std::function<Status(RtTensor &rows, size_t at)> &fn);

  /// Checks that `rows` are distinct rows of the session.
  Status checkRows(const std::vector<int64_t> &rows) {
    std::vector<char> seen(size_t(batch), 0);
    for (int64_t r : rows) {
      if (r < 0 || r >= batch)
        return Error("row " + std::to_string(r) +
                     " is outside the session's batch [0, " +
                     std::to_string(batch) + ")");
      if (seen[r]++)
        return Error("row " + std::to_string(r) + " is given twice");
    }
    return Status::success();
  }

  /// Copies the state rows `rows` into new tensors of one row each, in
  /// order (toSession false), or back from them (toSession true).
  Status gather(const std::vector<int64_t> &rows,
                std::vector<RtTensor> &convStates,
                std::vector<RtTensor> &ssmStates) {
    int64_t n = int64_t(rows.size());
    convStates.clear();
    ssmStates.clear();
    for (int64_t l = 0; l < m->cfg.nLayer; ++l) {
      for (auto [from, into] : {std::make_pair(&conv[l], &convStates),
                                std::make_pair(&ssm[l], &ssmStates)}) {
        std::vector<int64_t> shape = from->shape;
        shape[0] = n;
        Result<RtTensor> t = m->backend->allocate(from->dtype, shape);
        if (!t.ok())
          return Error(t.error());
        for (int64_t k = 0; k < n; ++k) {
          RtTensor dst = rowsOf(*t, k);
          MAMBA_TRY(m->backend->copy(rowsOf(*from, rows[k]), dst));
        }
        into->push_back(t.take());
      }
    }
    return Status::success();
  }
  Status scatter(const std::vector<int64_t> &rows,
                 const std::vector<RtTensor> &convStates,
                 const std::vector<RtTensor> &ssmStates) {
    for (int64_t l = 0; l < m->cfg.nLayer; ++l)
      for (size_t k = 0; k < rows.size(); ++k) {
        RtTensor c = rowsOf(conv[l], rows[k]), st = rowsOf(ssm[l], rows[k]);
        MAMBA_TRY(m->backend->copy(rowsOf(convStates[l], int64_t(k)), c));
        MAMBA_TRY(m->backend->copy(rowsOf(ssmStates[l], int64_t(k)), st));
      }
    return Status::success();
  }
  /// One decode step of the first tokens.size() rows into `logits`.
  Status decode(const std::vector<int32_t> &tokens);
  Result<std::vector<int32_t>> greedy(const RtTensor &logits, int64_t limit);

  /// memcpy on the session's device (host memory on the CPU).
  Status copyBytes(void *dst, const void *src, size_t bytes) {
    if (cuda())
      return m->gpu->copy(dst, src, bytes);
    std::memcpy(dst, src, bytes);
    return Status::success();
  }

  Status zero(RtTensor &t) {
    if (cuda())
      return m->gpu->zero(t.data, t.bytes());
    std::memset(t.data, 0, t.bytes());
    return Status::success();
  }

  Result<RtTensor> zeros(DType dtype, const std::vector<int64_t> &shape) {
    Result<RtTensor> t = m->backend->allocate(dtype, shape);
    if (!t.ok())
      return Error(t.error());
    MAMBA_TRY(zero(*t));
    return t.take();
  }

  /// Copies int32 ids to the backend.
  Status putIds(RtTensor &dst, const int32_t *src, size_t n) {
    for (size_t i = 0; i < n; ++i)
      if (src[i] < 0 || src[i] >= m->cfg.paddedVocabSize)
        return Error("token id " + std::to_string(src[i]) +
                     " is outside the vocabulary [0, " +
                     std::to_string(m->cfg.paddedVocabSize) + ")");
    return putInts(dst, src, n);
  }

  /// Copies int32 values (ids, cu_seqlens) to the backend's memory.
  Status putInts(RtTensor &dst, const int32_t *src, size_t n) {
    if (cuda())
      return m->gpu->upload(dst.data, src, n * 4);
    std::memcpy(dst.data, src, n * 4);
    return Status::success();
  }

  /// Reads a (rows, vocab) logits tensor (any strides on rows) into f32.
  Status readLogits(const RtTensor &t, int64_t rows, float *dst) {
    int64_t vocab = t.shape.back();
    int64_t rowStride = t.rank() >= 2 ? t.strides[t.rank() - 2] : vocab;
    if (!cuda()) {
      for (int64_t r = 0; r < rows; ++r)
        std::memcpy(dst + r * vocab,
                    static_cast<const float *>(t.data) + r * rowStride,
                    vocab * 4);
      return Status::success();
    }
    size_t elt = dtypeSize(t.dtype);
    std::vector<uint8_t> raw(size_t(rows) * vocab * elt);
    if (rowStride == vocab) {
      MAMBA_TRY(m->gpu->download(raw.data(), t.data, raw.size()));
    } else {
      for (int64_t r = 0; r < rows; ++r)
        MAMBA_TRY(m->gpu->download(raw.data() + r * vocab * elt,
                                   static_cast<const char *>(t.data) +
                                       r * rowStride * elt,
                                   vocab * elt));
    }
    for (int64_t i = 0; i < rows * vocab; ++i)
      dst[i] = loadAsFloat(raw.data(), t.dtype, i);
    return Status::success();
  }

  /// One decode step of the first `rows` rows on the fixed buffers.
  Status decodeOnce(int64_t rows) {
    Result<std::vector<RtTensor>> h =
        m->call("embed_decode", {rowsOf(ids, 0, rows), m->embedding});
    if (!h.ok())
      return Error(h.error());
    RtTensor hidden = (*h)[0], residual = rowsOf(zeroResidual, 0, rows);
    for (int64_t l = 0; l < m->cfg.nLayer; ++l) {
      std::vector<RtTensor> args = {hidden, residual};
      args.insert(args.end(), m->layers[l].begin(), m->layers[l].end());
      RtTensor c = rowsOf(conv[l], 0, rows), st = rowsOf(ssm[l], 0, rows);
      args.push_back(c);
      args.push_back(st);
      Result<std::vector<RtTensor>> out = m->call("block_decode", args);
      if (!out.ok())
        return Error(out.error());
      hidden = (*out)[0];
      residual = (*out)[1];
      // The interpreter updates the states in place (a captured graph keeps
      // their addresses); should a result be a new tensor, it is copied
      // into the session's rows.
      for (auto [from, into] :
           {std::make_pair(&(*out)[2], &c), std::make_pair(&(*out)[3], &st)})
        if (from->data != into->data)
          MAMBA_TRY(m->backend->copy(*from, *into));
    }
    Result<std::vector<RtTensor>> out =
        m->call("head_decode", {hidden, residual, m->normF, m->lmHead});
    if (!out.ok())
      return Error(out.error());
    logits = (*out)[0];
    return Status::success();
  }
};

Session::Session() : impl_(std::make_unique<Impl>()) {}
Session::~Session() = default;
int64_t Session::batch() const { return impl_->batch; }
size_t Session::rowStateBytes() const { return impl_->stateBytes(1); }

Result<std::unique_ptr<Session>>
Session::create(std::shared_ptr<Model> model, int64_t batch,
                const SessionOptions &options) {
  if (!model)
    return Error("Session::create needs a model");
  if (batch < 1)
    return Error("batch must be >= 1, got " + std::to_string(batch));
  std::unique_ptr<Session> s(new Session());
  Impl &i = *s->impl_;
  i.model = model;
  i.m = &model->impl();
  i.batch = batch;
  i.options = options;
  const ModelConfig &cfg = i.m->cfg;
  std::vector<int64_t> convShape = {batch};
  for (int64_t d : mlir::mamba::convStateShape(cfg))
    convShape.push_back(d);
  std::vector<int64_t> ssmShape = {batch};
  for (int64_t d : mlir::mamba::ssmStateShape(cfg))
    ssmShape.push_back(d);
  DType act = i.cuda() ? i.m->dtype : DType::F32;
  for (int64_t l = 0; l < cfg.nLayer; ++l) {
    Result<RtTensor> c = i.zeros(act, convShape);
    Result<RtTensor> st = i.zeros(i.m->stateDType, ssmShape);
    if (!c.ok() || !st.ok())
      return Error(c.ok() ? st.error() : c.error());
    i.conv.push_back(c.take());
    i.ssm.push_back(st.take());
  }
  Result<RtTensor> ids = i.m->backend->allocate(DType::I32, {batch});
  Result<RtTensor> zr = i.zeros(DType::F32, {batch, cfg.dModel});
  if (!ids.ok() || !zr.ok())
    return Error(ids.ok() ? zr.error() : ids.error());
  i.ids = ids.take();
  i.zeroResidual = zr.take();
  return s;
}

Status Session::reset() {
  for (RtTensor &t : impl_->conv)
    MAMBA_TRY(impl_->zero(t));
  for (RtTensor &t : impl_->ssm)
    MAMBA_TRY(impl_->zero(t));
  return Status::success();
}

/// Runs `length` tokens per sequence through the model in pieces of at most
/// the prefill chunk. With `all`, the logits of every position land there
/// (host, f32); otherwise `last` gets the device logits of the last
/// position, (Bt, V).
/// Refuses a prompt whose shape does not match `tokens`, that is longer than
/// the session's limit, or whose logits of every position (`allPositions`)
/// cannot fit in host memory, before anything is allocated for it.
Status Session::Impl::checkPrompt(const std::vector<int32_t> &tokens,
                                  int64_t rows, int64_t length,
                                  bool allPositions) const {
  if (length < 1)
    return Error("prefill needs at least one token per sequence");
  if (options.maxPromptTokens > 0 && length > options.maxPromptTokens)
    return Error("the prompt has " + std::to_string(length) +
                 " tokens per sequence, more than the limit of " +
                 std::to_string(options.maxPromptTokens) +
                 " (SessionOptions::maxPromptTokens, mamba-run "
                 "--max-prompt-tokens)");
  uint64_t count;
  if (__builtin_mul_overflow(uint64_t(rows), uint64_t(length), &count) ||
      tokens.size() != count)
    return Error("prefill got " + std::to_string(tokens.size()) +
                 " tokens for a batch of " + std::to_string(rows) + " x " +
                 std::to_string(length));
  if (allPositions) {
    uint64_t bytes;
    if (__builtin_mul_overflow(count, uint64_t(m->cfg.paddedVocabSize) * 4,
                               &bytes))
      bytes = UINT64_MAX;
    uint64_t host =
        uint64_t(sysconf(_SC_PHYS_PAGES)) * uint64_t(sysconf(_SC_PAGE_SIZE));
    MAMBA_TRY(checkMemoryFits(bytes, host,
                              "the f32 logits of all " + std::to_string(count) +
                                  " positions over a vocabulary of " +
                                  std::to_string(m->cfg.paddedVocabSize),
                              "host memory"));
  }
  return Status::success();
}

Status Session::Impl::prefillOn(const std::vector<int32_t> &tokens,
                                int64_t rows, int64_t length,
                                std::vector<RtTensor> &convStates,
                                std::vector<RtTensor> &ssmStates, Logits *all,
                                RtTensor *last) {
  Impl &i = *this;
  const ModelConfig &cfg = i.m->cfg;
  MAMBA_TRY(checkPrompt(tokens, rows, length, all != nullptr));
  int64_t chunk = i.options.prefillChunk > 0
                      ? i.options.prefillChunk
                      : std::max<int64_t>(1, (i.cuda() ? 16384 : 2048) / rows);
  const int64_t vocab = cfg.paddedVocabSize;
  for (int64_t start = 0; start < length; start += chunk) {
    int64_t len = std::min(chunk, length - start);
    std::vector<int32_t> piece(size_t(rows) * len);
    for (int64_t b = 0; b < rows; ++b)
      std::memcpy(&piece[b * len], &tokens[b * length + start], len * 4);
    Result<RtTensor> ids = i.m->backend->allocate(DType::I32, {rows, len});
    if (!ids.ok())
      return Error(ids.error());
    MAMBA_TRY(i.putIds(*ids, piece.data(), piece.size()));
    Result<std::vector<RtTensor>> h =
        i.m->call("embed_prefill", {*ids, i.m->embedding});
    if (!h.ok())
      return Error(h.error());
    Result<RtTensor> res0 = i.zeros(DType::F32, {rows, len, cfg.dModel});
    if (!res0.ok())
      return Error(res0.error());
    RtTensor hidden = (*h)[0], residual = res0.take();
    MAMBA_TRY(i.runBlocks("block_prefill", hidden, residual, convStates,
                          ssmStates, nullptr));
    if (all) {
      Result<std::vector<RtTensor>> lg = i.m->call(
          "head_prefill", {hidden, residual, i.m->normF, i.m->lmHead});
      if (!lg.ok())
        return Error(lg.error());
      std::vector<float> values(size_t(rows) * len * vocab);
      MAMBA_TRY(i.readLogits((*lg)[0], rows * len, values.data()));
      for (int64_t b = 0; b < rows; ++b)
        std::memcpy(&all->values[(b * length + start) * vocab],
                    &values[b * len * vocab], len * vocab * 4);
    } else if (start + len == length) {
      // Views of the last position: (Bt, d) with the batch stride of the
      // (Bt, len, d) tensors.
      auto lastOf = [&](RtTensor t) {
        t.data = static_cast<char *>(t.data) +
                 (len - 1) * t.strides[1] * dtypeSize(t.dtype);
        t.shape = {t.shape[0], t.shape[2]};
        t.strides = {t.strides[0], t.strides[2]};
        return t;
      };
      Result<std::vector<RtTensor>> lg =
          i.m->call("head_decode", {lastOf(hidden), lastOf(residual),
                                    i.m->normF, i.m->lmHead});
      if (!lg.ok())
        return Error(lg.error());
      *last = (*lg)[0];
    }
  }
  return Status::success();
}

/// Runs sequences of different lengths packed in one row through
/// @block_prefill_packed (the ragged prefill of every backend), from and
/// into the state rows `convStates`/`ssmStates` (one per sequence). Long
/// batches go in pieces of at most the prefill chunk, each taking the next
/// tokens of every unfinished sequence (an empty share passes its state
/// through).
Status
Session::Impl::prefillPacked(const std::vector<std::vector<int32_t>> &seqs,
                             std::vector<RtTensor> &convStates,
                             std::vector<RtTensor> &ssmStates,
                             bool allPositions, std::vector<Logits> &out) {
  Impl &i = *this;
  const ModelConfig &cfg = i.m->cfg;
  const int64_t S = int64_t(seqs.size()), vocab = cfg.paddedVocabSize;
  // The same token budget per piece as prefillOn's default.
  const int64_t chunk = i.options.prefillChunk > 0 ? i.options.prefillChunk
                        : i.cuda()                 ? 16384
                                                   : 2048;
  for (const std::vector<int32_t> &seq : seqs)
    MAMBA_TRY(i.checkPrompt(seq, 1, int64_t(seq.size()), allPositions));
  std::vector<int64_t> done(S, 0);
  for (;;) {
    int64_t active = 0;
    for (int64_t s = 0; s < S; ++s)
      active += done[s] < int64_t(seqs[s].size());
    if (active == 0)
      break;
    int64_t share = std::max<int64_t>(1, chunk / active);
    std::vector<int32_t> cu(S + 1, 0), piece;
    for (int64_t s = 0; s < S; ++s) {
      int64_t take =
          std::min<int64_t>(share, int64_t(seqs[s].size()) - done[s]);
      piece.insert(piece.end(), seqs[s].begin() + done[s],
                   seqs[s].begin() + done[s] + take);
      cu[s + 1] = cu[s] + int32_t(take);
    }
    const int64_t T = int64_t(piece.size());
    Result<RtTensor> ids = i.m->backend->allocate(DType::I32, {1, T});
    Result<RtTensor> cuT = i.m->backend->allocate(DType::I32, {S + 1});
    if (!ids.ok() || !cuT.ok())
      return Error(ids.ok() ? cuT.error() : ids.error());
    MAMBA_TRY(i.putIds(*ids, piece.data(), piece.size()));
    MAMBA_TRY(i.putInts(*cuT, cu.data(), cu.size()));
    Result<std::vector<RtTensor>> h =
        i.m->call("embed_prefill", {*ids, i.m->embedding});
    if (!h.ok())
      return Error(h.error());
    Result<RtTensor> res0 = i.zeros(DType::F32, {1, T, cfg.dModel});
    if (!res0.ok())
      return Error(res0.error());
    RtTensor hidden = (*h)[0], residual = res0.take();
    MAMBA_TRY(i.runBlocks("block_prefill_packed", hidden, residual, convStates,
                          ssmStates, &*cuT));
    if (allPositions) {
      Result<std::vector<RtTensor>> lg = i.m->call(
          "head_prefill", {hidden, residual, i.m->normF, i.m->lmHead});
      if (!lg.ok())
        return Error(lg.error());
      std::vector<float> values(size_t(T) * vocab);
      MAMBA_TRY(i.readLogits((*lg)[0], T, values.data()));
      for (int64_t s = 0; s < S; ++s)
        std::memcpy(&out[s].values[done[s] * vocab], &values[cu[s] * vocab],
                    size_t(cu[s + 1] - cu[s]) * vocab * 4);
    } else {
      // The last position of every sequence that ends in this piece, as
      // (E, d) rows for head_decode.
      std::vector<int64_t> ending;
      for (int64_t s = 0; s < S; ++s)
        if (cu[s + 1] > cu[s] &&
            done[s] + (cu[s + 1] - cu[s]) == int64_t(seqs[s].size()))
          ending.push_back(s);
      if (!ending.empty()) {
        const int64_t E = int64_t(ending.size());
        auto lastRows = [&](const RtTensor &t) -> Result<RtTensor> {
          Result<RtTensor> g = i.m->backend->allocate(t.dtype, {E, cfg.dModel});
          if (!g.ok())
            return Error(g.error());
          for (int64_t e = 0; e < E; ++e) {
            RtTensor row = t;
            row.data = static_cast<char *>(t.data) + (cu[ending[e] + 1] - 1) *
                                                         t.strides[1] *
                                                         dtypeSize(t.dtype);
            row.shape = {1, cfg.dModel};
            row.strides = {t.strides[1], t.strides[2]};
            RtTensor dst = rowsOf(*g, e);
            MAMBA_TRY(i.m->backend->copy(row, dst));
          }
          return g.take();
        };
        Result<RtTensor> lh = lastRows(hidden), lr = lastRows(residual);
        if (!lh.ok() || !lr.ok())
          return Error(lh.ok() ? lr.error() : lh.error());
        Result<std::vector<RtTensor>> lg =
            i.m->call("head_decode", {*lh, *lr, i.m->normF, i.m->lmHead});
        if (!lg.ok())
          return Error(lg.error());
        std::vector<float> values(size_t(E) * vocab);
        MAMBA_TRY(i.readLogits((*lg)[0], E, values.data()));
        for (int64_t e = 0; e < E; ++e)
          std::memcpy(out[ending[e]].values.data(), &values[e * vocab],
                      vocab * 4);
      }
    }
    for (int64_t s = 0; s < S; ++s)
      done[s] += cu[s + 1] - cu[s];
  }
  return Status::success();
}

/// One decode step into `logits`: eager the first time for its number of
/// rows, then as a CUDA graph captured on the second step and replayed after.
Status Session::Impl::decode(const std::vector<int32_t> &tokens) {
  Impl &i = *this;
  const int64_t rows = int64_t(tokens.size());
  if (rows < 1 || rows > i.batch)
    return Error("step takes one token per sequence for 1 to " +
                 std::to_string(i.batch) + " rows (the batch), got " +
                 std::to_string(tokens.size()));
  MAMBA_TRY(i.putIds(i.ids, tokens.data(), tokens.size()));
  DecodeGraph &g = i.graphs[rows];
#if MAMBA_HAVE_CUDA
  if (i.cuda() && i.options.cudaGraphs) {
    auto *backend = static_cast<cuda::CudaBackend *>(i.m->backend.get());
    if (!g.graph && g.steps >= 1) {
      // The first step ran eagerly and warmed the memory pool; capture the
      // second, keeping every block it uses for the graph's lifetime.
      backend->startRecording();
      Result<void *> captured =
          i.m->gpu->captureGraph([&] { return i.decodeOnce(rows); });
      g.memory = backend->stopRecording();
      if (!captured.ok())
        return Error("capturing the decode step: " + captured.error());
      g.graph = *captured;
    }
    if (g.graph) {
      MAMBA_TRY(i.m->gpu->launchGraph(g.graph));
    } else {
      MAMBA_TRY(i.decodeOnce(rows));
    }
  } else
#endif
  {
    MAMBA_TRY(i.decodeOnce(rows));
  }
  ++g.steps;
  return Status::success();
}

/// The argmax of each row of `logits` (Bt, V) over its first `limit`
/// columns, computed on the device; only the ids are copied back.
Result<std::vector<int32_t>> Session::Impl::greedy(const RtTensor &logits,
                                                   int64_t limit) {
  int64_t padded = m->cfg.paddedVocabSize;
  if (limit == 0)
    limit = m->cfg.vocabSize;
  if (limit < 1 || limit > padded)
    return Error("greedy decoding over the first " + std::to_string(limit) +
                 " vocabulary entries: the limit must be in [1, " +
                 std::to_string(padded) + "] (0: the model's vocab_size)");
  RtTensor view = logits;
  view.shape = {logits.shape[0], limit};
  Result<std::vector<RtTensor>> r = m->call("greedy", {view});
  if (!r.ok())
    return Error(r.error());
  std::vector<int32_t> ids(static_cast<size_t>(logits.shape[0]));
  if (cuda()) {
#if MAMBA_HAVE_CUDA
    MAMBA_TRY(m->gpu->download(ids.data(), (*r)[0].data, ids.size() * 4));
#endif
  } else {
    std::memcpy(ids.data(), (*r)[0].data, ids.size() * 4);
  }
  return ids;
}

Result<Logits> Session::prefill(const std::vector<int32_t> &tokens,
                                int64_t length, bool allPositions) {
  Impl &i = *impl_;
  Logits out;
  out.batch = i.batch;
  out.positions = allPositions ? length : 1;
  out.vocab = i.m->cfg.paddedVocabSize;
  MAMBA_TRY(i.checkPrompt(tokens, i.batch, length, allPositions));
  out.values.resize(size_t(out.batch) * out.positions * out.vocab);
  RtTensor last;
  MAMBA_TRY(i.prefill(tokens, length, allPositions ? &out : nullptr, &last));
  if (!allPositions)
    MAMBA_TRY(i.readLogits(last, i.batch, out.values.data()));
  return out;
}

Result<std::vector<int32_t>>
Session::prefillGreedy(const std::vector<int32_t> &tokens, int64_t length,
                       int64_t vocabLimit) {
  RtTensor last;
  MAMBA_TRY(impl_->prefill(tokens, length, nullptr, &last));
  return impl_->greedy(last, vocabLimit);
}

Result<Logits> Session::step(const std::vector<int32_t> &tokens) {
  Impl &i = *impl_;
  MAMBA_TRY(i.decode(tokens));
  Logits out;
  out.batch = int64_t(tokens.size());
  out.positions = 1;
  out.vocab = i.m->cfg.paddedVocabSize;
  out.values.resize(size_t(out.batch) * out.vocab);
  MAMBA_TRY(i.readLogits(i.logits, out.batch, out.values.data()));
  return out;
}

Result<std::vector<int32_t>>
Session::stepGreedy(const std::vector<int32_t> &tokens, int64_t vocabLimit) {
  MAMBA_TRY(impl_->decode(tokens));
  return impl_->greedy(impl_->logits, vocabLimit);
}

Result<std::vector<Logits>>
Session::prefillRows(const std::vector<int64_t> &rows,
                     const std::vector<std::vector<int32_t>> &tokens,
                     bool allPositions) {
  Impl &i = *impl_;
  if (rows.size() != tokens.size())
    return Error("prefillRows got " + std::to_string(rows.size()) +
                 " rows and " + std::to_string(tokens.size()) + " sequences");
  MAMBA_TRY(i.checkRows(rows));
  std::vector<Logits> out(tokens.size());
  for (size_t k = 0; k < tokens.size(); ++k) {
    if (tokens[k].empty())
      return Error("sequence #" + std::to_string(k) + " (row " +
                   std::to_string(rows[k]) + ") has no tokens");
    out[k].batch = 1;
    out[k].positions = allPositions ? int64_t(tokens[k].size()) : 1;
    out[k].vocab = i.m->cfg.paddedVocabSize;
    out[k].values.resize(size_t(out[k].positions) * out[k].vocab);
  }
  if (rows.empty())
    return out;
  if (!i.m->funcs.count("block_prefill_packed"))
    return Error("the model has no block_prefill_packed function (the "
                 "packed prefill of ragged batches)");
  std::vector<RtTensor> convStates, ssmStates;
  MAMBA_TRY(i.gather(rows, convStates, ssmStates));
  MAMBA_TRY(i.prefillPacked(tokens, convStates, ssmStates, allPositions, out));
  MAMBA_TRY(i.scatter(rows, convStates, ssmStates));
  return out;
}

Status Session::resetRows(const std::vector<int64_t> &rows) {
  Impl &i = *impl_;
  MAMBA_TRY(i.checkRows(rows));
  for (std::vector<RtTensor> *list : {&i.conv, &i.ssm})
    for (RtTensor &t : *list)
      for (int64_t r : rows) {
        RtTensor row = Impl::rowsOf(t, r);
        MAMBA_TRY(i.zero(row));
      }
  return Status::success();
}

Status Session::moveRow(int64_t from, int64_t to) {
  Impl &i = *impl_;
  MAMBA_TRY(i.checkRows({from}));
  MAMBA_TRY(i.checkRows({to}));
  if (from == to)
    return Status::success();
  for (std::vector<RtTensor> *list : {&i.conv, &i.ssm})
    for (RtTensor &t : *list) {
      RtTensor dst = Impl::rowsOf(t, to);
      MAMBA_TRY(i.m->backend->copy(Impl::rowsOf(t, from), dst));
    }
  return Status::success();
}

/// The bytes are the conv states of every layer, then the SSM states.
size_t Session::Impl::stateBytes(int64_t n) const {
  size_t need = 0;
  for (const std::vector<RtTensor> *list : {&conv, &ssm})
    for (const RtTensor &t : *list)
      need += rowsOf(t, 0, n).bytes();
  return need;
}

Status Session::Impl::forEachStateRows(
    int64_t row, int64_t n,
    const std::function<Status(RtTensor &rows, size_t at)> &fn) {
  size_t at = 0;
  for (std::vector<RtTensor> *list : {&conv, &ssm})
    for (RtTensor &t : *list) {
      RtTensor r = rowsOf(t, row, n);
      MAMBA_TRY(fn(r, at));
      at += r.bytes();
    }
  return Status::success();
}

Status Session::Impl::transferStates(int64_t row, int64_t n, SessionState *into,
                                     const SessionState *from) {
  size_t need = stateBytes(n);
  if (into) {
    into->batch = n;
    into->bytes.resize(need);
  } else if (from->batch != n || from->bytes.size() != need) {
    return Error("the saved state is for another model or batch size (" +
                 std::to_string(from->bytes.size()) + " bytes, batch " +
                 std::to_string(from->batch) + "; this needs " +
                 std::to_string(need) + " bytes, batch " + std::to_string(n) +
                 ")");
  }
  return forEachStateRows(row, n, [&](RtTensor &r, size_t at) -> Status {
    if (into && cuda())
      return m->gpu->download(into->bytes.data() + at, r.data, r.bytes());
    if (into)
      std::memcpy(into->bytes.data() + at, r.data, r.bytes());
    else if (cuda())
      return m->gpu->upload(r.data, from->bytes.data() + at, r.bytes());
    else
      std::memcpy(r.data, from->bytes.data() + at, r.bytes());
    return Status::success();
  });
}

struct StateSnapshot::Impl {
  std::shared_ptr<Model> model;
  size_t size = 0;
  std::vector<uint8_t> host; // CPU
#if MAMBA_HAVE_CUDA
  DeviceBuffer device; // CUDA
#endif
  char *data() const {
#if MAMBA_HAVE_CUDA
    if (device)
      return device.as<char>();
#endif
    return const_cast<char *>(reinterpret_cast<const char *>(host.data()));
  }
};

StateSnapshot::StateSnapshot(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
StateSnapshot::~StateSnapshot() = default;
size_t StateSnapshot::bytes() const { return impl_->size; }

Result<SessionState> StateSnapshot::toHost() const {
  SessionState state;
  state.batch = 1;
  state.bytes.resize(impl_->size);
#if MAMBA_HAVE_CUDA
  if (impl_->device) {
    MAMBA_TRY(impl_->model->impl().gpu->download(
        state.bytes.data(), impl_->device.data(), impl_->size));
    return state;
  }
#endif
  std::memcpy(state.bytes.data(), impl_->host.data(), impl_->size);
  return state;
}

Result<std::shared_ptr<const StateSnapshot>> Session::snapshot(int64_t row) {
  Impl &i = *impl_;
  MAMBA_TRY(i.checkRows({row}));
  auto s = std::make_unique<StateSnapshot::Impl>();
  s->model = i.model;
  s->size = i.stateBytes(1);
  if (i.cuda()) {
#if MAMBA_HAVE_CUDA
    Result<DeviceBuffer> buffer = i.m->gpu->alloc(s->size);
    if (!buffer.ok())
      return Error("a state snapshot of " + std::to_string(s->size) +
                   " bytes: " + buffer.error());
    s->device = buffer.take();
#endif
  } else {
    s->host.resize(s->size);
  }
  char *base = s->data();
  MAMBA_TRY(i.forEachStateRows(row, 1, [&](RtTensor &r, size_t at) {
    return i.copyBytes(base + at, r.data, r.bytes());
  }));
  return std::shared_ptr<const StateSnapshot>(
      std::make_shared<StateSnapshot>(std::move(s)));
}

Status Session::restore(int64_t row, const StateSnapshot &snapshot) {
  Impl &i = *impl_;
  MAMBA_TRY(i.checkRows({row}));
  const StateSnapshot::Impl &s = snapshot.impl();
  if (s.model != i.model || s.size != i.stateBytes(1))
    return Error("the state snapshot is of another model (" +
                 std::to_string(s.size) + " bytes; this session's rows hold " +
                 std::to_string(i.stateBytes(1)) + ")");
  const char *base = s.data();
  return i.forEachStateRows(row, 1, [&](RtTensor &r, size_t at) {
    return i.copyBytes(r.data, base + at, r.bytes());
  });
}

Result<SessionState> Session::saveState() {
  SessionState state;
  MAMBA_TRY(impl_->transferStates(0, impl_->batch, &state, nullptr));
  return state;
}

Status Session::restoreState(const SessionState &state) {
  return impl_->transferStates(0, impl_->batch, nullptr, &state);
}

Result<SessionState> Session::saveState(int64_t row) {
  MAMBA_TRY(impl_->checkRows({row}));
  SessionState state;
  MAMBA_TRY(impl_->transferStates(row, 1, &state, nullptr));
  return state;
}

Status Session::restoreState(int64_t row, const SessionState &state) {
  MAMBA_TRY(impl_->checkRows({row}));
  return impl_->transferStates(row, 1, nullptr, &state);
}
