//===- Interpreter.h - runs a func of planned mamba IR ----------*- C++ -*-===//
//
// The executor "replays the plan": it walks a func's ops once to prepare
// them (compile kernels, resolve handlers), then runs them in order on
// run-time tensors. Shape ops (tensor.extract_slice, expand_shape,
// collapse_shape, cast, dim, arith.constant) become strided views, never
// copies; compute ops go to a Backend (CPU reference kernels, or generated
// CUDA kernels and cuBLAS). A value's buffer is released after its last use.
// A state operand whose updated result is returned (the decode ops' new_state)
// is updated in place when nothing else reads the old value.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_EXEC_INTERPRETER_H
#define MAMBA_RUNTIME_EXEC_INTERPRETER_H

#include "runtime/DType.h"
#include "runtime/Result.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <memory>
#include <string>
#include <vector>

namespace mamba {
namespace exec {

/// A strided view of device or host memory. Strides are in elements.
struct RtTensor {
  void *data = nullptr;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  std::shared_ptr<void> owner; // keeps the allocation alive

  int64_t numel() const;
  int64_t rank() const { return int64_t(shape.size()); }
  bool isContiguous() const;
  /// Bytes from data to one past the last element of a contiguous tensor.
  size_t bytes() const { return size_t(numel()) * dtypeSize(dtype); }
  /// The same memory reinterpreted with a contiguous shape (must be
  /// contiguous).
  std::string describe() const;
};

/// Row-major contiguous strides.
std::vector<int64_t> contiguousStridesOf(const std::vector<int64_t> &shape);

/// Runs the compute ops of one device kind.
class Backend {
public:
  virtual ~Backend();
  /// A new contiguous tensor (contents undefined).
  virtual Result<RtTensor> allocate(DType dtype,
                                    const std::vector<int64_t> &shape) = 0;
  /// Called once per op before any run (compiles kernels).
  virtual Status prepare(mlir::Operation *op) = 0;
  /// Runs `op` on `operands` (null data for absent optional operands),
  /// writing into `results`, which the interpreter has allocated (or aliased
  /// to a state operand for in-place updates).
  virtual Status run(mlir::Operation *op, const std::vector<RtTensor> &operands,
                     std::vector<RtTensor> &results) = 0;
  /// Copies a tensor into a contiguous one of the same shape.
  virtual Status copy(const RtTensor &src, RtTensor &dst) = 0;
};

/// One prepared func.
class FuncRunner {
public:
  static Result<std::unique_ptr<FuncRunner>> create(mlir::func::FuncOp fn,
                                                    Backend &backend);
  /// Runs the func. `args` must match its arguments (shapes of static dims
  /// are checked).
  Result<std::vector<RtTensor>> run(const std::vector<RtTensor> &args);
  const std::string &name() const { return name_; }

private:
  struct Step;
  FuncRunner() = default;
  std::string name_;
  Backend *backend_ = nullptr;
  mlir::func::FuncOp fn_;
  std::vector<std::shared_ptr<Step>> steps_;
  size_t numValues_ = 0;
  std::vector<int64_t> argSlots_, resultSlots_;
  std::vector<std::vector<int64_t>> argShapes_;
};

} // namespace exec
} // namespace mamba

#endif // MAMBA_RUNTIME_EXEC_INTERPRETER_H
