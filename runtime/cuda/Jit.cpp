//===- Jit.cpp - compile mamba ops to CUDA kernels and launch them --------===//

#include "runtime/Jit.h"
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/JitImpl.h"
#include "runtime/cuda/Nvrtc.h"

#include "codegen/CudaEmitter.h"
#include "codegen/device/Params.h"
#include "dialect/MambaDialect.h"
#include "passes/Passes.h"
#include "passes/TuningDb.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sys/stat.h>
#include <thread>

using namespace mamba;
using namespace mamba::cuda;

namespace {

const CudaDriver &drv() { return **CudaDriver::get(); }

size_t paramsSizeOf(const std::string &name) {
#define MAMBA_PARAMS_SIZE(S, N)                                                \
  if (name == #S)                                                              \
    return sizeof(mamba::S);
  MAMBA_FOR_EACH_PARAMS(MAMBA_PARAMS_SIZE)
#undef MAMBA_PARAMS_SIZE
  return 0;
}

/// Collects MLIR diagnostics into a string for an Error.
struct DiagnosticCollector {
  explicit DiagnosticCollector(mlir::MLIRContext &ctx)
      : handler(&ctx, [this](mlir::Diagnostic &d) {
          llvm::raw_string_ostream os(text);
          os << d.getLocation() << ": " << d << "\n";
          for (mlir::Diagnostic &note : d.getNotes())
            os << "  note: " << note << "\n";
          return mlir::success();
        }) {}
  std::string text;
  mlir::ScopedDiagnosticHandler handler;
};

void writeFile(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

const HeaderList &embeddedHeaders() {
  static const HeaderList headers = [] {
    HeaderList list;
    for (const mlir::mamba::EmbeddedHeader &h : mlir::mamba::deviceHeaders())
      list.emplace_back(h.name, h.text);
    return list;
  }();
  return headers;
}

/// The part of every cache key that is not the kernel's own source; an
/// error when NVRTC cannot be loaded.
const Result<std::string> &keySalt() {
  static const Result<std::string> salt = []() -> Result<std::string> {
    Result<std::string> version = nvrtcVersionString();
    if (!version.ok())
      return version;
    std::string s = *version + "|opts:c++17,ptxas-v,lineinfo,default-device|";
    for (auto &[name, text] : embeddedHeaders())
      s += name + ":" + std::to_string(llvm::xxh3_64bits(text)) + "|";
    return s;
  }();
  return salt;
}

} // namespace

CompiledKernel::Impl::~Impl() {
  if (module && gpu) {
    (void)gpu->makeCurrent();
    drv().cuModuleUnload(module);
  }
}

const KernelInfo &CompiledKernel::info() const { return impl_->info; }

std::array<int64_t, 3> CompiledKernel::grid(const LaunchSizes &s) const {
  std::array<int64_t, 3> g;
  for (int i = 0; i < 3; ++i)
    g[i] = impl_->plan.grid[i].eval(s.batch, s.seqlen, s.rows);
  return g;
}

Status CompiledKernel::launch(const void *params, size_t paramsSize,
                              const LaunchSizes &sizes) const {
  if (!impl_->function)
    return Error("kernel " + impl_->info.symbol +
                 " was compiled without a GPU and cannot launch");
  if (paramsSize != impl_->paramsSize)
    return Error("kernel " + impl_->info.symbol + " takes " +
                 impl_->info.paramsStruct + " (" +
                 std::to_string(impl_->paramsSize) + " bytes), got " +
                 std::to_string(paramsSize) + " bytes of parameters");
  std::array<int64_t, 3> g = grid(sizes);
  if (g[0] < 1 || g[1] < 1 || g[2] < 1)
    return Status::success(); // nothing to do for empty sizes
  if (g[1] > 65535 || g[2] > 65535 || g[0] > 0x7fffffff)
    return Error("kernel " + impl_->info.symbol + " grid (" +
                 std::to_string(g[0]) + ", " + std::to_string(g[1]) + ", " +
                 std::to_string(g[2]) + ") exceeds the CUDA grid limits");
  void *args[] = {const_cast<void *>(params)};
  const auto &b = impl_->info.block;
  return check(drv().cuLaunchKernel(
                   impl_->function, unsigned(g[0]), unsigned(g[1]),
                   unsigned(g[2]), unsigned(b[0]), unsigned(b[1]),
                   unsigned(b[2]), unsigned(impl_->info.smem),
                   static_cast<CUstream>(impl_->gpu->stream()), args, nullptr),
               ("launching " + impl_->info.symbol).c_str());
}

Status Jit::Impl::plan(mlir::ModuleOp module) {
  DiagnosticCollector diags(context);
  mlir::PassManager pm(&context);
  mlir::mamba::MambaToCudaOptions options;
  options.arch = arch;
  options.db = mlir::mamba::TuningDb::runtimeDefault(
      arch, KernelCache::defaultDir(), tuningDb);
  mlir::mamba::buildMambaToCudaPipeline(pm, options);
  if (mlir::failed(pm.run(module)))
    return Error("the mamba-to-cuda pipeline failed:\n" + diags.text);
  return Status::success();
}

Result<std::vector<CompiledKernel>>
Jit::Impl::compileOps(const std::vector<mlir::Operation *> &ops) {
  struct Job {
    mlir::mamba::KernelSource source;
    std::string opText;
    std::string key;
    std::optional<KernelCache::Entry> entry;
    bool fromCache = false;
    std::string error;
  };
  const Result<std::string> &salt = keySalt();
  if (!salt.ok())
    return Error(salt.error());
  std::vector<Job> jobs;
  {
    DiagnosticCollector diags(context);
    for (mlir::Operation *op : ops) {
      mlir::FailureOr<mlir::mamba::KernelSource> src =
          mlir::mamba::emitKernelSource(op, target);
      if (mlir::failed(src))
        return Error("cannot emit CUDA for an op:\n" + diags.text);
      Job job;
      job.source = std::move(*src);
      llvm::raw_string_ostream os(job.opText);
      op->print(os, mlir::OpPrintingFlags().enableDebugInfo());
      job.key = *salt + arch + "|" + job.source.source;
      jobs.push_back(std::move(job));
    }
  }

  // NVRTC runs in parallel; everything else here is cheap.
  std::atomic<size_t> next{0}, finished{0};
  auto report = [&] {
    size_t done = ++finished;
    if (onProgress)
      onProgress({"compiling kernels", int64_t(done), int64_t(jobs.size())});
  };
  if (onProgress && !jobs.empty())
    onProgress({"compiling kernels", 0, int64_t(jobs.size())});
  auto worker = [&] {
    // report() runs after every job, `continue` included.
    for (size_t i = next++; i < jobs.size(); i = next++, report()) {
      Job &job = jobs[i];
      job.entry = cache.lookup(job.key);
      if (job.entry) {
        job.fromCache = true;
        continue;
      }
      Result<NvrtcOutput> out =
          compileWithNvrtc(job.source.source, job.source.symbol + ".cu", arch,
                           embeddedHeaders());
      if (!dumpDir.empty()) {
        writeFile(dumpDir + "/" + job.source.symbol + ".mlir", job.opText);
        writeFile(dumpDir + "/" + job.source.symbol + ".cu", job.source.source);
        writeFile(dumpDir + "/" + job.source.symbol + ".log",
                  out.ok() ? out->log : out.error());
      }
      if (!out.ok()) {
        std::string dir = dumpDir;
        if (dir.empty()) {
          dir = (std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") +
                std::string("/mamba-jit-failed");
          mkdir(dir.c_str(), 0755);
          writeFile(dir + "/" + job.source.symbol + ".cu", job.source.source);
        }
        job.error =
            out.error() + "\nsource: " + dir + "/" + job.source.symbol + ".cu";
        continue;
      }
      KernelCache::Entry e{std::move(out->cubin), out->registers,
                           out->spillStores, out->spillLoads};
      cache.store(job.key, e);
      job.entry = std::move(e);
    }
  };
  std::vector<std::thread> pool;
  int n = std::max(1, std::min<int>(threads, int(jobs.size())));
  for (int i = 1; i < n; ++i)
    pool.emplace_back(worker);
  worker();
  for (std::thread &t : pool)
    t.join();

  std::vector<CompiledKernel> kernels;
  for (Job &job : jobs) {
    if (!job.error.empty())
      return Error(job.error);
    std::lock_guard<std::mutex> lock(mutex);
    auto found = loaded.find(job.source.symbol);
    if (found != loaded.end()) {
      kernels.push_back(found->second);
      continue;
    }
    auto impl = std::make_shared<CompiledKernel::Impl>();
    impl->info.opName = job.opText.substr(0, job.opText.find(' '));
    impl->info.symbol = job.source.symbol;
    impl->info.paramsStruct = job.source.paramsStruct;
    impl->info.source = job.source.source;
    impl->info.arch = arch;
    impl->info.block = job.source.plan.block;
    impl->info.smem = job.source.plan.smem;
    impl->info.registers = job.entry->registers;
    impl->info.spillBytes = job.entry->spillStores + job.entry->spillLoads;
    impl->info.fromCache = job.fromCache;
    impl->plan = job.source.plan;
    impl->paramsSize = paramsSizeOf(job.source.paramsStruct);
    if (impl->paramsSize == 0)
      return Error("kernel " + job.source.symbol + " uses parameter struct '" +
                   job.source.paramsStruct +
                   "', which MAMBA_FOR_EACH_PARAMS in codegen/device/Params.h "
                   "does not list");
    for (mlir::Operation *op : ops)
      if (auto sym = op->getAttrOfType<mlir::StringAttr>("kernel"))
        if (sym.getValue() == job.source.symbol)
          impl->info.opName = op->getName().getStringRef().str();
    if (gpu) {
      MAMBA_TRY(gpu->makeCurrent());
      impl->gpu = gpu;
      MAMBA_TRY(
          check(drv().cuModuleLoadData(&impl->module, job.entry->cubin.data()),
                ("loading the CUBIN of " + job.source.symbol).c_str()));
      MAMBA_TRY(check(drv().cuModuleGetFunction(&impl->function, impl->module,
                                                job.source.symbol.c_str()),
                      ("finding " + job.source.symbol).c_str()));
      if (impl->info.smem > 48 * 1024)
        MAMBA_TRY(check(
            drv().cuFuncSetAttribute(
                impl->function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                int(impl->info.smem)),
            ("raising the shared-memory limit of " + job.source.symbol)
                .c_str()));
    }
    CompiledKernel kernel(impl);
    loaded.emplace(job.source.symbol, kernel);
    kernels.push_back(kernel);
  }
  return kernels;
}

Jit::Jit(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Jit::~Jit() = default;

static Result<std::unique_ptr<Jit::Impl>> makeImpl(JitOptions options) {
  std::string cacheDir = options.cacheDir.empty()    ? KernelCache::defaultDir()
                         : options.cacheDir == "off" ? ""
                                                     : options.cacheDir;
  auto impl = std::make_unique<Jit::Impl>(cacheDir);
  impl->arch = options.arch;
  if (const char *env = std::getenv("MAMBA_ARCH"))
    if (impl->arch.empty() || options.arch.empty())
      impl->arch = env;
  impl->dumpDir = options.dumpDir;
  impl->tuningDb = options.tuningDb;
  if (impl->dumpDir.empty())
    if (const char *env = std::getenv("MAMBA_DUMP_DIR"))
      impl->dumpDir = env;
  if (!impl->dumpDir.empty())
    mkdir(impl->dumpDir.c_str(), 0755);
  impl->onProgress = options.onProgress;
  impl->threads = options.threads > 0
                      ? options.threads
                      : std::max(1u, std::thread::hardware_concurrency());
  mlir::DialectRegistry registry;
  registry.insert<mlir::mamba::MambaDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();
  impl->context.appendDialectRegistry(registry);
  impl->context.loadAllAvailableDialects();
  return impl;
}

static Status setTarget(Jit::Impl &impl) {
  mlir::FailureOr<mlir::mamba::TargetInfo> target =
      mlir::mamba::TargetInfo::get(impl.arch);
  if (mlir::failed(target))
    return Error("unsupported GPU architecture '" + impl.arch +
                 "' (supported: sm_80, sm_86, sm_87, sm_89, sm_90)");
  impl.target = *target;
  return Status::success();
}

Result<std::unique_ptr<Jit>> Jit::create(std::shared_ptr<GpuContext> gpu,
                                         JitOptions options) {
  if (!gpu)
    return Error("Jit::create needs a GPU; use createCompileOnly without one");
  Result<std::unique_ptr<Impl>> impl = makeImpl(std::move(options));
  if (!impl.ok())
    return Error(impl.error());
  if ((*impl)->arch.empty())
    (*impl)->arch = gpu->arch();
  MAMBA_TRY(setTarget(**impl));
  (*impl)->gpu = std::move(gpu);
  return std::unique_ptr<Jit>(new Jit(impl.take()));
}

Result<std::unique_ptr<Jit>> Jit::createCompileOnly(JitOptions options) {
  Result<std::unique_ptr<Impl>> impl = makeImpl(std::move(options));
  if (!impl.ok())
    return Error(impl.error());
  if ((*impl)->arch.empty())
    (*impl)->arch = "sm_90";
  MAMBA_TRY(setTarget(**impl));
  return std::unique_ptr<Jit>(new Jit(impl.take()));
}

Result<std::vector<CompiledKernel>> Jit::compileModule(std::string_view mlir) {
  DiagnosticCollector diags(impl_->context);
  // MLIR's lexer ends at a NUL, not at the end of the buffer: a view that is
  // not NUL-terminated (part of a larger string) would be read past its end.
  // Parse a NUL-terminated copy.
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(mlir.data(), mlir.size()), "<module>"),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sources, &impl_->context);
  if (!module)
    return Error("cannot parse the MLIR module:\n" + diags.text);
  MAMBA_TRY(impl_->plan(*module));
  std::vector<mlir::Operation *> ops;
  module->walk([&](mlir::Operation *op) {
    if (mlir::mamba::isKernelOp(op))
      ops.push_back(op);
  });
  return impl_->compileOps(ops);
}

const std::string &Jit::arch() const { return impl_->arch; }
GpuContext *Jit::gpu() const { return impl_->gpu.get(); }
