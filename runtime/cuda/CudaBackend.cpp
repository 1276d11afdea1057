//===- CudaBackend.cpp - mamba ops as generated kernels and cuBLAS --------===//

#include "runtime/cuda/CudaBackend.h"
#include "passes/TileSpace.h"
#include "runtime/cuda/JitImpl.h"

#include "codegen/device/Params.h"
#include "dialect/MambaOps.h"

#include "passes/OpPlans.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

#include <map>
#include <mutex>

using namespace mamba;
using namespace mamba::cuda;
using namespace mlir::mamba;
using exec::RtTensor;

namespace mamba {
namespace cuda {

/// Device memory reused across steps: a freed block goes back to a free list
/// keyed by size, and a request takes the smallest free block that fits
/// without wasting more than half of it.
class DevicePool : public std::enable_shared_from_this<DevicePool> {
public:
  explicit DevicePool(GpuContext &gpu) : gpu_(gpu) {}

  Result<std::shared_ptr<void>> get(size_t bytes) {
    bytes = (std::max<size_t>(bytes, 1) + 511) / 512 * 512;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.lower_bound(bytes);
    void *p = nullptr;
    size_t size = bytes;
    if (it != free_.end() && it->first <= 2 * bytes) {
      p = it->second;
      size = it->first;
      free_.erase(it);
    } else {
      Result<DeviceBuffer> buf = gpu_.alloc(bytes);
      if (!buf.ok()) {
        // Give cached blocks back to the driver and try once more.
        releaseCachedLocked();
        buf = gpu_.alloc(bytes);
        if (!buf.ok())
          return Error(buf.error());
      }
      p = buf->data();
      total_ += bytes;
      owned_.emplace(p, buf.take());
    }
    std::weak_ptr<DevicePool> self = shared_from_this();
    std::shared_ptr<void> block(p, [self, size](void *q) {
      if (auto pool = self.lock()) {
        std::lock_guard<std::mutex> lock(pool->mutex_);
        pool->free_.emplace(size, q);
      }
    });
    if (recording_)
      recorded_.push_back(block);
    return block;
  }

  void startRecording() {
    std::lock_guard<std::mutex> lock(mutex_);
    recording_ = true;
  }
  std::vector<std::shared_ptr<void>> stopRecording() {
    std::lock_guard<std::mutex> lock(mutex_);
    recording_ = false;
    return std::move(recorded_);
  }

  size_t totalBytes() const { return total_; }

private:
  void releaseCachedLocked() {
    for (auto &[size, p] : free_) {
      owned_.erase(p);
      total_ -= size;
    }
    free_.clear();
  }

  GpuContext &gpu_;
  std::mutex mutex_;
  std::multimap<size_t, void *> free_;
  std::map<void *, DeviceBuffer> owned_;
  size_t total_ = 0;
  bool recording_ = false;
  std::vector<std::shared_ptr<void>> recorded_;
};

} // namespace cuda
} // namespace mamba

namespace {

/// Fails unless `t`'s last dim is contiguous (what every kernel assumes).
Status requireUnitInner(const RtTensor &t, const char *name) {
  if (t.rank() && t.shape.back() > 1 && t.strides.back() != 1)
    return Error(std::string("operand '") + name +
                 "' must be contiguous along its last dim, got " +
                 t.describe());
  return Status::success();
}

Status requireContiguous(const RtTensor &t, const char *name) {
  if (t.data && !t.isContiguous())
    return Error(std::string("operand '") + name +
                 "' must be contiguous, got " + t.describe());
  return Status::success();
}

/// Leading dims as rows: (rows, row stride).
Result<std::pair<int64_t, int64_t>> rows(const RtTensor &t) {
  int64_t r = t.rank();
  if (r < 2)
    return std::make_pair(int64_t(1), t.shape.empty() ? 0 : t.shape[0]);
  int64_t n = 1;
  for (int64_t d = 0; d < r - 1; ++d) {
    n *= t.shape[d];
    if (d + 1 < r - 1 && t.shape[d] > 1 &&
        t.strides[d] != t.strides[d + 1] * t.shape[d + 1])
      return Error("rows of " + t.describe() + " are not evenly strided");
  }
  return std::make_pair(n, t.strides[r - 2]);
}

int64_t stride(const RtTensor &t, int64_t d) {
  return t.data && d < t.rank() ? t.strides[d] : 0;
}

/// The number of sequences S of a packed op's cu_seqlens (S+1), 0 when the
/// op is not packed; fails unless the packed row is the only batch row.
Result<int64_t> packedSeqs(const RtTensor &cu, int64_t batch,
                           mlir::Operation *op) {
  if (!cu.data)
    return int64_t(0);
  if (batch != 1)
    return Error(op->getName().getStringRef().str() +
                 ": cu_seqlens packs the sequences in one batch row, got " +
                 std::to_string(batch) + " rows");
  if (cu.rank() != 1 || cu.shape[0] < 1)
    return Error(op->getName().getStringRef().str() +
                 ": cu_seqlens must be (S+1), got " + cu.describe());
  if (cu.shape[0] > 1 && cu.strides[0] != 1)
    return Error(op->getName().getStringRef().str() +
                 ": cu_seqlens must be contiguous, got " + cu.describe());
  return cu.shape[0] - 1;
}

} // namespace

Result<std::unique_ptr<CudaBackend>>
CudaBackend::create(std::shared_ptr<GpuContext> gpu, Jit &jit) {
  std::unique_ptr<CudaBackend> b(new CudaBackend());
  b->gpu_ = std::move(gpu);
  b->jit_ = &jit;
  Result<std::unique_ptr<Blas>> blas = Blas::create(*b->gpu_);
  if (!blas.ok())
    return Error(blas.error());
  b->blas_ = blas.take();
  b->pool_ = std::make_shared<DevicePool>(*b->gpu_);
  b->profiler_ = OpProfiler::fromEnvironment(b->gpu_->stream());
  Result<DeviceBuffer> flag = b->gpu_->alloc(256);
  if (!flag.ok())
    return Error(flag.error());
  b->errorFlag_ = flag.take();
  MAMBA_TRY(b->gpu_->zero(b->errorFlag_.data(), 256));
  return b;
}

CudaBackend::~CudaBackend() = default;

size_t CudaBackend::poolBytes() const { return pool_->totalBytes(); }

void CudaBackend::startRecording() { pool_->startRecording(); }

std::vector<std::shared_ptr<void>> CudaBackend::stopRecording() {
  return pool_->stopRecording();
}

Status CudaBackend::compileModule(mlir::ModuleOp module) {
  std::vector<mlir::Operation *> ops;
  module.walk([&](mlir::Operation *op) {
    if (isKernelOp(op))
      ops.push_back(op);
  });
  Result<std::vector<CompiledKernel>> compiled = jit_->impl().compileOps(ops);
  if (!compiled.ok())
    return Error(compiled.error());
  for (const CompiledKernel &k : *compiled)
    kernels_.emplace(k.info().symbol, k);
  for (mlir::Operation *op : ops)
    if (auto scan = mlir::dyn_cast<SelectiveScanOp>(op))
      MAMBA_TRY(compileShortScan(scan));
  return Status::success();
}

Status CudaBackend::compileShortScan(SelectiveScanOp scan) {
  auto tile = scan->getAttrOfType<TileAttr>("tile");
  if (!tile || isStateParallelScanTile(tile))
    return Status::success(); // already the state-parallel variant
  mlir::FailureOr<TileParams> alt = shortSequenceSelectiveScanTile(scan);
  if (mlir::failed(alt))
    return Status::success(); // d_state or groups do not fit it
  // A copy of the op with the other tile, alone in a function, planned by the
  // same pipeline.
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::ModuleOp::create(scan->getLoc());
  mlir::mamba::addIsolatedOpFunc(*module, scan, "short_scan", &*alt);
  MAMBA_TRY(jit_->impl().plan(*module));
  std::vector<mlir::Operation *> planned;
  module->walk([&](SelectiveScanOp o) { planned.push_back(o); });
  if (planned.size() != 1)
    return Error("planning the short-sequence selective_scan left " +
                 std::to_string(planned.size()) + " scans, expected 1");
  Result<std::vector<CompiledKernel>> k = jit_->impl().compileOps(planned);
  if (!k.ok())
    return Error(k.error());
  shortScans_.emplace(
      scan->getAttrOfType<mlir::StringAttr>("kernel").getValue().str(),
      k->front());
  return Status::success();
}

Result<int *> CudaBackend::syncCounters(int64_t count) {
  size_t bytes = size_t(std::max<int64_t>(count, 1)) * sizeof(int);
  if (syncCounters_.empty() || syncCounters_.back().size() < bytes) {
    // A new, larger block: zeroed once (in stream order, before any kernel
    // that uses it). The kernels leave it zero, and older blocks stay
    // alive because captured graphs have their addresses baked in.
    size_t grown = std::max<size_t>(
        {bytes, 4096,
         syncCounters_.empty() ? 0 : 2 * syncCounters_.back().size()});
    Result<DeviceBuffer> buf = gpu_->alloc(grown);
    if (!buf.ok())
      return Error(buf.error());
    MAMBA_TRY(gpu_->zero(buf->data(), grown));
    syncCounters_.push_back(buf.take());
  }
  return syncCounters_.back().as<int>();
}

Result<RtTensor> CudaBackend::allocate(DType dtype,
                                       const std::vector<int64_t> &shape) {
  RtTensor t;
  t.dtype = dtype;
  t.shape = shape;
  t.strides = exec::contiguousStridesOf(shape);
  Result<std::shared_ptr<void>> mem = pool_->get(t.bytes());
  if (!mem.ok())
    return Error(mem.error());
  t.owner = *mem;
  t.data = t.owner.get();
  return t;
}

Status CudaBackend::copy(const RtTensor &src, RtTensor &dst) {
  if (!src.isContiguous() || !dst.isContiguous() || src.bytes() != dst.bytes())
    return Error("device copies need contiguous tensors of one size");
  return gpu_->copy(dst.data, src.data, src.bytes());
}

Status CudaBackend::prepare(mlir::Operation *op) {
  if (mlir::isa<LinearOp>(op))
    return Status::success();
  auto sym = op->getAttrOfType<mlir::StringAttr>("kernel");
  if (!sym)
    return Error(op->getName().getStringRef().str() +
                 " was not planned (no 'kernel'); run mamba-to-cuda first");
  if (!kernels_.count(sym.getValue().str())) {
    Result<std::vector<CompiledKernel>> k = jit_->impl().compileOps({op});
    if (!k.ok())
      return Error(k.error());
    kernels_.emplace(sym.getValue().str(), k->front());
  }
  return Status::success();
}

Status CudaBackend::runLinear(mlir::Operation *op,
                              const std::vector<RtTensor> &in,
                              std::vector<RtTensor> &out) {
  auto linear = mlir::cast<LinearOp>(op);
  const RtTensor &x = in[0], &w = in[1];
  RtTensor &y = out[0];
  if (in[2].data || in[3].data)
    return Error("linear with bias or residual operands is not supported by "
                 "the runtime (the frontend emits the bias as channel_add)");
  MAMBA_TRY(requireContiguous(w, "weight"));
  bool inFirst = linear.getInLayout() == ConvLayout::channel_first;
  bool outFirst = linear.getOutLayout() == ConvLayout::channel_first;
  int64_t m = w.shape[0], k = w.shape[1];
  Blas::Gemm g;
  g.dtype = x.dtype;
  if (!inFirst && !outFirst) {
    MAMBA_TRY(requireUnitInner(x, "x"));
    Result<std::pair<int64_t, int64_t>> xr = rows(x), yr = rows(y);
    if (xr.ok() && yr.ok()) {
      // y^T (M x R) = W (M x K) . x^T (K x R), all column-major views.
      g.transA = true;
      g.m = m;
      g.n = xr->first;
      g.k = k;
      g.A = w.data;
      g.lda = k;
      g.B = x.data;
      g.ldb = xr->second;
      g.C = y.data;
      g.ldc = yr->second;
      return blas_->run(g);
    }
    if (x.rank() != 3)
      return Error(xr.ok() ? yr.error() : xr.error());
    g.transA = true;
    g.m = m;
    g.n = x.shape[1];
    g.k = k;
    g.A = w.data;
    g.lda = k;
    g.B = x.data;
    g.ldb = x.strides[1];
    g.strideB = x.strides[0];
    g.C = y.data;
    g.ldc = y.strides[1];
    g.strideC = y.strides[0];
    g.batch = x.shape[0];
    return blas_->run(g);
  }
  g.batch = x.shape[0];
  g.strideA = g.strideB = g.strideC = 0;
  if (inFirst && outFirst) {
    // Per batch: y_b^T (L x M) = x_b^T (L x K) . W^T (K x M).
    if (x.strides[2] != 1 && x.shape[2] > 1)
      return Error("channel_first x must be contiguous along L");
    g.m = x.shape[2];
    g.n = m;
    g.k = k;
    g.A = x.data;
    g.lda = x.strides[1];
    g.strideA = x.strides[0];
    g.B = w.data;
    g.ldb = k;
    g.C = y.data;
    g.ldc = y.strides[1];
    g.strideC = y.strides[0];
  } else if (!inFirst && outFirst) {
    // Per batch: y_b^T (L x M) = x_b (L x K) . W^T (K x M).
    MAMBA_TRY(requireUnitInner(x, "x"));
    g.transA = true;
    g.m = x.shape[1];
    g.n = m;
    g.k = k;
    g.A = x.data;
    g.lda = x.strides[1];
    g.strideA = x.strides[0];
    g.B = w.data;
    g.ldb = k;
    g.C = y.data;
    g.ldc = y.strides[1];
    g.strideC = y.strides[0];
  } else {
    // Per batch: y_b^T (M x L) = W (M x K) . x_b (K x L).
    if (x.strides[2] != 1 && x.shape[2] > 1)
      return Error("channel_first x must be contiguous along L");
    g.transA = true;
    g.transB = true;
    g.m = m;
    g.n = x.shape[2];
    g.k = k;
    g.A = w.data;
    g.lda = k;
    g.B = x.data;
    g.ldb = x.strides[1];
    g.strideB = x.strides[0];
    g.C = y.data;
    g.ldc = y.strides[1];
    g.strideC = y.strides[0];
  }
  return blas_->run(g);
}

/// "block_prefill mamba.linear -> 64x100x10240 f16" for the profile table.
static std::string profileKey(mlir::Operation *op,
                              const std::vector<RtTensor> &out) {
  std::string key;
  if (auto fn = op->getParentOfType<mlir::FunctionOpInterface>())
    key = fn.getName().str() + " ";
  key += op->getName().getStringRef().str() + " ->";
  if (!out.empty()) {
    const char *sep = " ";
    for (int64_t d : out[0].shape) {
      key += sep + std::to_string(d);
      sep = "x";
    }
    key += std::string(" ") + dtypeName(out[0].dtype);
  }
  return key;
}

Status CudaBackend::run(mlir::Operation *op, const std::vector<RtTensor> &in,
                        std::vector<RtTensor> &out) {
  if (!profiler_)
    return launchOp(op, in, out);
  return profiler_->time(profileKey(op, out),
                         [&] { return launchOp(op, in, out); });
}

Status CudaBackend::launchOp(mlir::Operation *op,
                             const std::vector<RtTensor> &in,
                             std::vector<RtTensor> &out) {
  if (mlir::isa<LinearOp>(op))
    return runLinear(op, in, out);
  const std::string symbol =
      op->getAttrOfType<mlir::StringAttr>("kernel").getValue().str();
  const CompiledKernel &kernel = kernels_.at(symbol);
  LaunchSizes sizes;
  auto launch = [&](const auto &p) {
    return kernel.launch(&p, sizeof(p), sizes);
  };
  return llvm::TypeSwitch<mlir::Operation *, Status>(op)
      .Case([&](SelectiveScanOp o) -> Status {
        Result<int64_t> seqs = packedSeqs(in[9], in[0].shape[0], op);
        if (!seqs.ok())
          return Error(seqs.error());
        // Short sequences take the state-parallel twin when there is one;
        // packed ones go by their mean length.
        const CompiledKernel *k = &kernel;
        const int64_t typicalLen =
            in[9].data ? in[0].shape[2] / std::max<int64_t>(*seqs, 1)
                       : in[0].shape[2];
        if (typicalLen < kShortScanMaxSeqLen) {
          auto twin = shortScans_.find(symbol);
          if (twin != shortScans_.end())
            k = &twin->second;
        }
        const RtTensor &u = in[0], &dl = in[1], &B = in[3], &C = in[4];
        for (auto [t, n] : {std::pair{&u, "u"},
                            {&dl, "delta"},
                            {&B, "B"},
                            {&C, "C"},
                            {&in[6], "z"},
                            {&out[0], "out"}})
          MAMBA_TRY(requireUnitInner(*t, n));
        MAMBA_TRY(requireContiguous(in[8], "initial_state"));
        SelectiveScanParams p{};
        p.u = u.data;
        p.delta = dl.data;
        p.z = in[6].data;
        p.out = out[0].data;
        p.A = static_cast<const float *>(in[2].data);
        p.B = B.data;
        p.C = C.data;
        p.D = static_cast<const float *>(in[5].data);
        p.delta_bias = static_cast<const float *>(in[7].data);
        p.initial_state = static_cast<const float *>(in[8].data);
        p.last_state =
            out.size() > 1 ? static_cast<float *>(out[1].data) : nullptr;
        p.batch = u.shape[0];
        p.seqlen = u.shape[2];
        p.u_batch_stride = u.strides[0];
        p.u_d_stride = u.strides[1];
        p.delta_batch_stride = dl.strides[0];
        p.delta_d_stride = dl.strides[1];
        p.z_batch_stride = stride(in[6], 0);
        p.z_d_stride = stride(in[6], 1);
        p.out_batch_stride = out[0].strides[0];
        p.out_d_stride = out[0].strides[1];
        auto bc = [](const RtTensor &t, index_t &bs, index_t &gs, index_t &ns) {
          bs = stride(t, 0);
          gs = t.rank() == 4 ? t.strides[1] : 0;
          ns = t.rank() == 4 ? t.strides[2] : stride(t, 1);
        };
        if (o.isVariableB())
          bc(B, p.B_batch_stride, p.B_group_stride, p.B_n_stride);
        if (o.isVariableC())
          bc(C, p.C_batch_stride, p.C_group_stride, p.C_n_stride);
        // Packed: one block row per sequence (grid y = S).
        p.cu_seqlens = static_cast<const int *>(in[9].data);
        sizes.batch = in[9].data ? *seqs : p.batch;
        sizes.seqlen = p.seqlen;
        return k->launch(&p, sizeof(p), sizes);
      })
      .Case([&](SsdOp) -> Status {
        const RtTensor &x = in[0], &dt = in[1], &B = in[3], &C = in[4];
        for (auto [t, n] : {std::pair{&x, "x"},
                            {&B, "B"},
                            {&C, "C"},
                            {&in[6], "z"},
                            {&out[0], "out"}})
          MAMBA_TRY(requireUnitInner(*t, n));
        MAMBA_TRY(requireContiguous(in[8], "initial_states"));
        Result<int64_t> seqs = packedSeqs(in[10], x.shape[0], op);
        if (!seqs.ok())
          return Error(seqs.error());
        SsdParams p{};
        p.x = x.data;
        p.dt = dt.data;
        p.A = static_cast<const float *>(in[2].data);
        p.B = B.data;
        p.C = C.data;
        p.D = in[5].data;
        p.z = in[6].data;
        p.dt_bias = in[7].data;
        p.initial_states = static_cast<const float *>(in[8].data);
        p.seq_idx = static_cast<const int *>(in[9].data);
        p.out = out[0].data;
        p.final_states =
            out.size() > 1 ? static_cast<float *>(out[1].data) : nullptr;
        p.batch = x.shape[0];
        p.seqlen = x.shape[1];
        p.x_batch_stride = x.strides[0];
        p.x_l_stride = x.strides[1];
        p.x_head_stride = x.strides[2];
        p.dt_batch_stride = dt.strides[0];
        p.dt_l_stride = dt.strides[1];
        p.dt_head_stride = dt.strides[2];
        p.B_batch_stride = B.strides[0];
        p.B_l_stride = B.strides[1];
        p.B_group_stride = B.strides[2];
        p.C_batch_stride = C.strides[0];
        p.C_l_stride = C.strides[1];
        p.C_group_stride = C.strides[2];
        p.z_batch_stride = stride(in[6], 0);
        p.z_l_stride = stride(in[6], 1);
        p.z_head_stride = stride(in[6], 2);
        p.out_batch_stride = out[0].strides[0];
        p.out_l_stride = out[0].strides[1];
        p.out_head_stride = out[0].strides[2];
        p.seq_idx_batch_stride = stride(in[9], 0);
        auto ssd = mlir::cast<SsdOp>(op);
        p.dt_min = float(ssd.getDtMin().convertToDouble());
        p.dt_max = float(ssd.getDtMax().convertToDouble());
        // Packed: one block row per sequence (grid y = S).
        p.cu_seqlens = static_cast<const int *>(in[10].data);
        sizes.batch = in[10].data ? *seqs : p.batch;
        sizes.seqlen = p.seqlen;
        return launch(p);
      })
      .Case([&](CausalConv1dOp o) -> Status {
        const RtTensor &x = in[0], &y = out[0];
        bool last = o.isChannelLast();
        MAMBA_TRY(requireUnitInner(in[3], "initial_states"));
        CausalConv1dParams p{};
        p.x = x.data;
        p.weight = in[1].data;
        p.bias = in[2].data;
        p.initial_states = in[3].data;
        p.seq_idx = static_cast<const int *>(in[4].data);
        p.out = y.data;
        p.final_states = out.size() > 1 ? out[1].data : nullptr;
        p.batch = x.shape[0];
        p.seqlen = last ? x.shape[1] : x.shape[2];
        p.x_batch_stride = x.strides[0];
        p.x_l_stride = last ? x.strides[1] : x.strides[2];
        p.x_c_stride = last ? x.strides[2] : x.strides[1];
        p.out_batch_stride = y.strides[0];
        p.out_l_stride = last ? y.strides[1] : y.strides[2];
        p.out_c_stride = last ? y.strides[2] : y.strides[1];
        p.initial_states_batch_stride = stride(in[3], 0);
        p.initial_states_c_stride = stride(in[3], 1);
        p.final_states_batch_stride = out.size() > 1 ? out[1].strides[0] : 0;
        p.final_states_c_stride = out.size() > 1 ? out[1].strides[1] : 0;
        p.seq_idx_batch_stride = stride(in[4], 0);
        Result<int64_t> seqs = packedSeqs(in[5], p.batch, op);
        if (!seqs.ok())
          return Error(seqs.error());
        // Packed: the grid tiles the packed positions of the one row.
        p.cu_seqlens = static_cast<const int *>(in[5].data);
        p.num_seqs = *seqs;
        sizes.batch = p.batch;
        sizes.seqlen = p.seqlen;
        if (in[5].data && p.seqlen == 0 && out.size() > 1 && *seqs > 0) {
          // No block runs: every sequence is empty and passes its initial
          // states (or zeros) through.
          const RtTensor &fin = out[1];
          if (in[3].data && in[3].isContiguous() && fin.isContiguous() &&
              in[3].bytes() == fin.bytes())
            return gpu_->copy(fin.data, in[3].data, fin.bytes());
          if (in[3].data)
            return Error("causal_conv1d: packed empty sequences need "
                         "contiguous states, got " +
                         in[3].describe());
          return gpu_->zero(fin.data, fin.bytes());
        }
        return launch(p);
      })
      .Case([&](CausalConv1dUpdateOp) -> Status {
        const RtTensor &x = in[0], &st = out[1];
        MAMBA_TRY(requireUnitInner(x, "x"));
        MAMBA_TRY(requireUnitInner(st, "conv_state"));
        CausalConv1dUpdateParams p{};
        p.x = x.data;
        p.conv_state = st.data;
        p.weight = in[2].data;
        p.bias = in[3].data;
        p.state_indices = static_cast<const int *>(in[4].data);
        p.out = out[0].data;
        p.batch = x.shape[0];
        p.x_batch_stride = x.strides[0];
        p.state_batch_stride = st.strides[0];
        p.state_c_stride = st.strides[1];
        p.out_batch_stride = out[0].strides[0];
        sizes.batch = p.batch;
        return launch(p);
      })
      .Case([&](SelectiveStateUpdateOp o) -> Status {
        const RtTensor &st = out[1], &x = in[1], &dt = in[2], &B = in[4],
                       &C = in[5], &z = in[7];
        for (auto [t, n] : {std::pair{&x, "x"},
                            {&B, "B"},
                            {&C, "C"},
                            {&z, "z"},
                            {&st, "state"},
                            {&out[0], "out"}})
          MAMBA_TRY(requireUnitInner(*t, n));
        bool head = o.isHeadForm();
        int64_t n = o.getDState();
        if (st.strides[st.rank() - 2] != n)
          return Error("state rows must be contiguous (N values each), got " +
                       st.describe());
        SelectiveStateUpdateParams p{};
        p.state = st.data;
        p.x = x.data;
        p.dt = dt.data;
        p.A = static_cast<const float *>(in[3].data);
        p.B = B.data;
        p.C = C.data;
        p.D = in[6].data;
        p.z = z.data;
        p.dt_bias = in[8].data;
        p.state_indices = static_cast<const int *>(in[9].data);
        p.dt_proj = in[10].data;
        if (in[10].data) {
          MAMBA_TRY(requireUnitInner(dt, "dt"));
          MAMBA_TRY(requireContiguous(in[10], "dt_proj"));
        }
        p.out = out[0].data;
        p.batch = x.shape[0];
        p.state_batch_stride = st.strides[0];
        p.state_head_stride = head ? st.strides[1] : 0;
        p.x_batch_stride = x.strides[0];
        p.x_head_stride = head ? x.strides[1] : 0;
        p.dt_batch_stride = dt.strides[0];
        p.dt_head_stride = head ? dt.strides[1] : 0;
        p.B_batch_stride = B.strides[0];
        p.B_group_stride = B.rank() == 3 ? B.strides[1] : 0;
        p.C_batch_stride = C.strides[0];
        p.C_group_stride = C.rank() == 3 ? C.strides[1] : 0;
        p.z_batch_stride = stride(z, 0);
        p.z_head_stride = head ? stride(z, 1) : 0;
        p.out_batch_stride = out[0].strides[0];
        p.out_head_stride = head ? out[0].strides[1] : 0;
        p.dt_min = float(o.getDtMin().convertToDouble());
        p.dt_max = float(o.getDtMax().convertToDouble());
        sizes.batch = p.batch;
        return launch(p);
      })
      .Case([&](ConvStateUpdateOp o) -> Status {
        const RtTensor &x = in[0], &cs = out[2], &st = out[1], &dt = in[4],
                       &z = in[8];
        for (auto [t, n] : {std::pair{&x, "x"},
                            {&cs, "conv_state"},
                            {&z, "z"},
                            {&st, "state"},
                            {&out[0], "out"}})
          MAMBA_TRY(requireUnitInner(*t, n));
        MAMBA_TRY(requireContiguous(in[2], "conv_weight"));
        if (st.strides[2] != o.getDState())
          return Error("state rows must be contiguous (N values each), got " +
                       st.describe());
        int64_t batch = x.shape[0];
        Result<int *> sync = syncCounters(batch * o.getNumGroups());
        if (!sync.ok())
          return Error(sync.error());
        ConvStateUpdateParams p{};
        p.x = x.data;
        p.conv_state = cs.data;
        p.conv_weight = in[2].data;
        p.conv_bias = in[6].data;
        p.state = st.data;
        p.dt = dt.data;
        p.A = static_cast<const float *>(in[5].data);
        p.D = in[7].data;
        p.z = z.data;
        p.dt_bias = in[9].data;
        p.state_indices = static_cast<const int *>(in[10].data);
        p.out = out[0].data;
        p.sync = *sync;
        p.batch = batch;
        p.x_batch_stride = x.strides[0];
        p.conv_state_batch_stride = cs.strides[0];
        p.conv_state_c_stride = cs.strides[1];
        p.state_batch_stride = st.strides[0];
        p.state_head_stride = st.strides[1];
        p.dt_batch_stride = dt.strides[0];
        p.dt_head_stride = dt.strides[1];
        p.z_batch_stride = stride(z, 0);
        p.z_head_stride = stride(z, 1);
        p.out_batch_stride = out[0].strides[0];
        p.out_head_stride = out[0].strides[1];
        p.dt_min = float(o.getDtMin().convertToDouble());
        p.dt_max = float(o.getDtMax().convertToDouble());
        sizes.batch = batch;
        return launch(p);
      })
      .Case([&](RmsNormOp o) -> Status {
        Result<std::pair<int64_t, int64_t>> xr = rows(in[0]);
        if (!xr.ok())
          return Error(xr.error());
        MAMBA_TRY(requireUnitInner(in[0], "x"));
        MAMBA_TRY(requireUnitInner(in[2], "residual"));
        RmsNormParams p{};
        p.x = in[0].data;
        p.residual = in[2].data;
        p.weight = in[1].data;
        p.y = out[0].data;
        p.residual_out = out.size() > 1 ? out[1].data : nullptr;
        p.rows = xr->first;
        p.x_row_stride = xr->second;
        p.residual_row_stride = in[2].data ? rows(in[2])->second : 0;
        p.y_row_stride = rows(out[0])->second;
        p.residual_out_row_stride = out.size() > 1 ? rows(out[1])->second : 0;
        p.eps = float(o.getEps().convertToDouble());
        sizes.rows = p.rows;
        return launch(p);
      })
      .Case([&](GatedRmsNormOp o) -> Status {
        Result<std::pair<int64_t, int64_t>> xr = rows(in[0]);
        if (!xr.ok())
          return Error(xr.error());
        MAMBA_TRY(requireUnitInner(in[0], "x"));
        MAMBA_TRY(requireUnitInner(in[2], "z"));
        GatedRmsNormParams p{};
        p.x = in[0].data;
        p.z = in[2].data;
        p.weight = in[1].data;
        p.y = out[0].data;
        p.rows = xr->first;
        p.x_row_stride = xr->second;
        p.z_row_stride = in[2].data ? rows(in[2])->second : 0;
        p.y_row_stride = rows(out[0])->second;
        p.eps = float(o.getEps().convertToDouble());
        sizes.rows = p.rows;
        return launch(p);
      })
      .Case([&](ArgmaxOp) -> Status {
        Result<std::pair<int64_t, int64_t>> xr = rows(in[0]);
        if (!xr.ok())
          return Error(xr.error());
        MAMBA_TRY(requireUnitInner(in[0], "x"));
        ArgmaxParams p{};
        p.x = in[0].data;
        p.ids = static_cast<int *>(out[0].data);
        p.rows = xr->first;
        p.cols = in[0].shape.back();
        p.x_row_stride = xr->second;
        sizes.rows = p.rows;
        return launch(p);
      })
      .Case([&](EmbeddingOp) -> Status {
        MAMBA_TRY(requireContiguous(in[0], "ids"));
        EmbeddingParams p{};
        p.ids = in[0].data;
        p.table = in[1].data;
        p.out = out[0].data;
        p.rows = in[0].numel();
        p.vocab = in[1].shape[0];
        p.error = errorFlag_.as<int>();
        sizes.rows = p.rows;
        return launch(p);
      })
      .Case<SiluOp, SoftplusOp, ChannelMulOp, ChannelAddOp>(
          [&](mlir::Operation *) -> Status {
            MAMBA_TRY(requireContiguous(in[0], "x"));
            ElementwiseParams p{};
            p.x = in[0].data;
            p.y = out[0].data;
            p.numel = in[0].numel();
            p.inner = 1;
            p.wsize = 1;
            if (in.size() > 1) {
              MAMBA_TRY(requireContiguous(in[1], "w"));
              int64_t dim =
                  op->getAttrOfType<mlir::IntegerAttr>("dim").getInt();
              p.w = in[1].data;
              p.wsize = in[1].numel();
              for (int64_t d = dim + in[1].rank(); d < in[0].rank(); ++d)
                p.inner *= in[0].shape[d];
            }
            sizes.rows = p.numel;
            return launch(p);
          })
      .Default([&](mlir::Operation *) -> Status {
        return Error("the CUDA backend cannot run this op");
      });
}
