//===- Gpu.h - a CUDA device, its memory and stream -------------*- C++ -*-===//
//
// Part of the public C++ API (no CUDA or MLIR types). A GpuContext binds the
// device's primary context and owns one stream on which every copy, kernel
// and GEMM of the runtime is queued. Opening fails with a readable message on
// machines without a driver or GPU; nothing else in the process needs one.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_GPU_H
#define MAMBA_RUNTIME_GPU_H

#include "runtime/Result.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace mamba {

class GpuContext;

/// Device memory, freed when the last owner goes. Move-only.
class DeviceBuffer {
public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceBuffer &&other) noexcept { *this = std::move(other); }
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept;
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;
  ~DeviceBuffer();

  void *data() const { return ptr_; }
  size_t size() const { return size_; }
  explicit operator bool() const { return ptr_ != nullptr; }
  template <typename T> T *as() const { return static_cast<T *>(ptr_); }

private:
  friend class GpuContext;
  void *ptr_ = nullptr;
  size_t size_ = 0;
  std::shared_ptr<GpuContext> owner_;
};

class GpuContext : public std::enable_shared_from_this<GpuContext> {
public:
  /// Opens device `ordinal` (or $MAMBA_DEVICE when set).
  static Result<std::shared_ptr<GpuContext>> open(int ordinal = 0);
  ~GpuContext();

  const std::string &name() const { return name_; }
  /// Compute capability as major * 10 + minor (90 for an H100).
  int computeCapability() const { return cc_; }
  /// The NVRTC target of this device, "sm_90" for an H100.
  std::string arch() const { return "sm_" + std::to_string(cc_); }
  int multiProcessors() const { return sms_; }
  size_t totalMemory() const { return totalMemory_; }
  /// Bytes of device memory free right now.
  Result<size_t> freeMemory() const;

  Result<DeviceBuffer> alloc(size_t bytes);
  /// Stream-ordered copies; `download` waits for completion.
  Status upload(void *dst, const void *src, size_t bytes);
  Status download(void *dst, const void *src, size_t bytes);
  Status copy(void *dst, const void *src, size_t bytes);
  Status zero(void *dst, size_t bytes);
  Status synchronize();

  /// The stream everything runs on (a CUstream).
  void *stream() const { return stream_; }
  /// Makes the context current on the calling thread.
  Status makeCurrent() const;

  /// Runs `work` `warmup` times, then times `repeats` runs one by one with
  /// device events; returns the median in milliseconds.
  Result<double> medianMs(const std::function<Status()> &work, int warmup,
                          int repeats);

  /// The copy roof: bytes read + written per second by a 1 GiB
  /// device-to-device copy (the median of 20).
  Result<double> copyRoof();

  /// Captures `work` (which queues kernels on stream()) into a CUDA graph.
  Result<void *> captureGraph(const std::function<Status()> &work);
  /// Launches a graph made by captureGraph on stream().
  Status launchGraph(void *graph);
  /// Frees a graph made by captureGraph.
  void destroyGraph(void *graph);

private:
  GpuContext() = default;
  int ordinal_ = 0;
  int cc_ = 0;
  int sms_ = 0;
  size_t totalMemory_ = 0;
  std::string name_;
  void *device_ = nullptr;  // CUdevice, widened
  void *context_ = nullptr; // CUcontext
  void *stream_ = nullptr;  // CUstream
};

} // namespace mamba

#endif // MAMBA_RUNTIME_GPU_H
