//===- Gpu.cpp - a CUDA device, its memory and stream ---------------------===//

#include "runtime/Gpu.h"
#include "runtime/Limits.h"
#include "runtime/cuda/CudaDriver.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

using namespace mamba;
using namespace mamba::cuda;

namespace {
const CudaDriver &drv() { return **CudaDriver::get(); }
CUstream asStream(void *s) { return static_cast<CUstream>(s); }
CUdeviceptr asPtr(const void *p) { return reinterpret_cast<CUdeviceptr>(p); }
} // namespace

DeviceBuffer &DeviceBuffer::operator=(DeviceBuffer &&other) noexcept {
  if (this != &other) {
    this->~DeviceBuffer();
    ptr_ = other.ptr_;
    size_ = other.size_;
    owner_ = std::move(other.owner_);
    other.ptr_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_ && owner_) {
    (void)owner_->makeCurrent();
    drv().cuMemFree(asPtr(ptr_));
  }
  ptr_ = nullptr;
  owner_.reset();
}

Result<std::shared_ptr<GpuContext>> GpuContext::open(int ordinal) {
  Result<const CudaDriver *> d = CudaDriver::get();
  if (!d.ok())
    return Error(d.error());
  const CudaDriver &api = **d;
  if (const char *env = std::getenv("MAMBA_DEVICE"))
    ordinal = std::atoi(env);
  int count = 0;
  MAMBA_TRY(check(api.cuDeviceGetCount(&count), "cuDeviceGetCount"));
  if (ordinal < 0 || ordinal >= count)
    return Error("GPU " + std::to_string(ordinal) + " does not exist (" +
                 std::to_string(count) + " CUDA device(s) present)");
  std::shared_ptr<GpuContext> ctx(new GpuContext());
  ctx->ordinal_ = ordinal;
  CUdevice dev;
  MAMBA_TRY(check(api.cuDeviceGet(&dev, ordinal), "cuDeviceGet"));
  ctx->device_ = reinterpret_cast<void *>(static_cast<intptr_t>(dev));
  char name[256] = {0};
  MAMBA_TRY(
      check(api.cuDeviceGetName(name, sizeof(name), dev), "cuDeviceGetName"));
  ctx->name_ = name;
  int major = 0, minor = 0;
  MAMBA_TRY(
      check(api.cuDeviceGetAttribute(
                &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev),
            "cuDeviceGetAttribute"));
  MAMBA_TRY(
      check(api.cuDeviceGetAttribute(
                &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev),
            "cuDeviceGetAttribute"));
  ctx->cc_ = major * 10 + minor;
  MAMBA_TRY(
      check(api.cuDeviceGetAttribute(
                &ctx->sms_, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev),
            "cuDeviceGetAttribute"));
  MAMBA_TRY(
      check(api.cuDeviceTotalMem(&ctx->totalMemory_, dev), "cuDeviceTotalMem"));
  CUcontext cuctx;
  MAMBA_TRY(check(api.cuDevicePrimaryCtxRetain(&cuctx, dev),
                  "cuDevicePrimaryCtxRetain"));
  ctx->context_ = cuctx;
  MAMBA_TRY(check(api.cuCtxSetCurrent(cuctx), "cuCtxSetCurrent"));
  CUstream stream;
  MAMBA_TRY(check(api.cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
                  "cuStreamCreate"));
  ctx->stream_ = stream;
  return ctx;
}

GpuContext::~GpuContext() {
  if (!context_)
    return;
  const CudaDriver &api = drv();
  api.cuCtxSetCurrent(static_cast<CUcontext>(context_));
  if (stream_) {
    api.cuStreamSynchronize(asStream(stream_));
    api.cuStreamDestroy(asStream(stream_));
  }
  api.cuDevicePrimaryCtxRelease(
      static_cast<CUdevice>(reinterpret_cast<intptr_t>(device_)));
}

Status GpuContext::makeCurrent() const {
  return check(drv().cuCtxSetCurrent(static_cast<CUcontext>(context_)),
               "cuCtxSetCurrent");
}

Result<size_t> GpuContext::freeMemory() const {
  size_t freeBytes = 0, total = 0;
  MAMBA_TRY(check(drv().cuMemGetInfo(&freeBytes, &total), "cuMemGetInfo"));
  return freeBytes;
}

Result<DeviceBuffer> GpuContext::alloc(size_t bytes) {
  DeviceBuffer buf;
  if (bytes == 0)
    return buf;
  MAMBA_TRY(injectedAllocFailure(std::to_string(bytes) + " bytes on the GPU"));
  MAMBA_TRY(makeCurrent());
  CUdeviceptr p;
  CUresult r = drv().cuMemAlloc(&p, bytes);
  if (r != CUDA_SUCCESS) {
    size_t freeBytes = 0, total = 0;
    drv().cuMemGetInfo(&freeBytes, &total);
    return Error("cannot allocate " + std::to_string(bytes) +
                 " bytes on the GPU (" + std::to_string(freeBytes) +
                 " bytes free): " + drv().describe(r));
  }
  buf.ptr_ = reinterpret_cast<void *>(p);
  buf.size_ = bytes;
  buf.owner_ = shared_from_this();
  return buf;
}

Status GpuContext::upload(void *dst, const void *src, size_t bytes) {
  if (!bytes)
    return Status::success();
  return check(
      drv().cuMemcpyHtoDAsync(asPtr(dst), src, bytes, asStream(stream_)),
      "cuMemcpyHtoDAsync");
}

Status GpuContext::download(void *dst, const void *src, size_t bytes) {
  if (bytes)
    MAMBA_TRY(check(
        drv().cuMemcpyDtoHAsync(dst, asPtr(src), bytes, asStream(stream_)),
        "cuMemcpyDtoHAsync"));
  return synchronize();
}

Status GpuContext::copy(void *dst, const void *src, size_t bytes) {
  if (!bytes)
    return Status::success();
  return check(
      drv().cuMemcpyDtoDAsync(asPtr(dst), asPtr(src), bytes, asStream(stream_)),
      "cuMemcpyDtoDAsync");
}

Status GpuContext::zero(void *dst, size_t bytes) {
  if (!bytes)
    return Status::success();
  return check(drv().cuMemsetD8Async(asPtr(dst), 0, bytes, asStream(stream_)),
               "cuMemsetD8Async");
}

Status GpuContext::synchronize() {
  return check(drv().cuStreamSynchronize(asStream(stream_)),
               "cuStreamSynchronize (an earlier kernel may have failed)");
}

Result<double> GpuContext::copyRoof() {
  const size_t bytes = size_t(1) << 30;
  Result<DeviceBuffer> a = alloc(bytes), b = alloc(bytes);
  if (!a.ok() || !b.ok())
    return Error(a.ok() ? b.error() : a.error());
  MAMBA_TRY(zero(a->data(), bytes));
  Result<double> ms =
      medianMs([&] { return copy(b->data(), a->data(), bytes); }, 3, 20);
  if (!ms.ok())
    return Error(ms.error());
  return 2.0 * bytes / (*ms * 1e-3);
}

Result<double> GpuContext::medianMs(const std::function<Status()> &work,
                                    int warmup, int repeats) {
  for (int i = 0; i < warmup; ++i)
    MAMBA_TRY(work());
  CUevent start, stop;
  MAMBA_TRY(
      check(drv().cuEventCreate(&start, CU_EVENT_DEFAULT), "cuEventCreate"));
  MAMBA_TRY(
      check(drv().cuEventCreate(&stop, CU_EVENT_DEFAULT), "cuEventCreate"));
  std::vector<double> times;
  Status status;
  for (int i = 0; i < repeats && status.ok(); ++i) {
    drv().cuEventRecord(start, asStream(stream_));
    status = work();
    drv().cuEventRecord(stop, asStream(stream_));
    if (status.ok())
      status = check(drv().cuEventSynchronize(stop), "cuEventSynchronize");
    float ms = 0;
    if (status.ok())
      status = check(drv().cuEventElapsedTime(&ms, start, stop),
                     "cuEventElapsedTime");
    times.push_back(ms);
  }
  drv().cuEventDestroy(start);
  drv().cuEventDestroy(stop);
  if (!status.ok())
    return Error(status.error());
  if (times.empty())
    return Error("medianMs needs repeats >= 1");
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

Result<void *> GpuContext::captureGraph(const std::function<Status()> &work) {
  MAMBA_TRY(makeCurrent());
  MAMBA_TRY(check(drv().cuStreamBeginCapture(asStream(stream_),
                                             CU_STREAM_CAPTURE_MODE_RELAXED),
                  "cuStreamBeginCapture"));
  Status status = work();
  CUgraph graph = nullptr;
  CUresult end = drv().cuStreamEndCapture(asStream(stream_), &graph);
  if (!status.ok()) {
    if (graph)
      drv().cuGraphDestroy(graph);
    return Error(status.error());
  }
  MAMBA_TRY(check(end, "cuStreamEndCapture"));
  CUgraphExec exec = nullptr;
  CUresult r = drv().cuGraphInstantiateWithFlags(&exec, graph, 0);
  drv().cuGraphDestroy(graph);
  MAMBA_TRY(check(r, "cuGraphInstantiate"));
  return static_cast<void *>(exec);
}

Status GpuContext::launchGraph(void *graph) {
  return check(
      drv().cuGraphLaunch(static_cast<CUgraphExec>(graph), asStream(stream_)),
      "cuGraphLaunch");
}

void GpuContext::destroyGraph(void *graph) {
  if (graph)
    drv().cuGraphExecDestroy(static_cast<CUgraphExec>(graph));
}
