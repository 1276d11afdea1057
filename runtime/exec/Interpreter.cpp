//===- Interpreter.cpp - runs a func of planned mamba IR ------------------===//

#include "runtime/exec/Interpreter.h"

#include "dialect/MambaOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <variant>

using namespace mamba;
using namespace mamba::exec;
using mlir::Operation;
using mlir::Value;

Backend::~Backend() = default;

int64_t RtTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::vector<int64_t>
mamba::exec::contiguousStridesOf(const std::vector<int64_t> &shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (int i = int(shape.size()) - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

bool RtTensor::isContiguous() const {
  int64_t expect = 1;
  for (int i = int(shape.size()) - 1; i >= 0; --i) {
    if (shape[i] != 1 && strides[i] != expect)
      return false;
    expect *= shape[i];
  }
  return true;
}

std::string RtTensor::describe() const {
  std::string s = std::string(dtypeName(dtype)) + "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

namespace {

using Slot = std::variant<std::monostate, RtTensor, int64_t>;

DType dtypeOf(mlir::Type type) {
  mlir::Type t = mlir::getElementTypeOrSelf(type);
  if (t.isF16())
    return DType::F16;
  if (t.isBF16())
    return DType::BF16;
  if (t.isInteger(32))
    return DType::I32;
  if (t.isInteger(64))
    return DType::I64;
  return DType::F32;
}

std::string opText(Operation *op) { return op->getName().getStringRef().str(); }

} // namespace

/// One op of the func, with its operand and result slots.
struct FuncRunner::Step {
  Operation *op = nullptr;
  std::vector<int64_t> operands; // slot per operand
  std::vector<int64_t> results;  // slot per result
  std::vector<int64_t> release;  // slots whose last use is this step
  /// For each result: the operand it updates in place, or -1.
  std::vector<int> inPlace;
  bool isCompute = false;
};

/// The operands of `op` in ODS order, with a null Value for every absent
/// optional operand.
static std::vector<Value> expandedOperands(Operation *op) {
  std::vector<Value> out;
  if (std::optional<mlir::Attribute> segments =
          op->getInherentAttr("operandSegmentSizes");
      segments && *segments) {
    unsigned next = 0;
    for (int32_t n :
         mlir::cast<mlir::DenseI32ArrayAttr>(*segments).asArrayRef()) {
      if (n == 0)
        out.push_back(Value());
      for (int32_t i = 0; i < n; ++i)
        out.push_back(op->getOperand(next++));
    }
    return out;
  }
  out.assign(op->operand_begin(), op->operand_end());
  // The norms have one trailing optional operand and no segment sizes.
  if (mlir::isa<mlir::mamba::RmsNormOp, mlir::mamba::GatedRmsNormOp>(op))
    out.resize(3);
  return out;
}

/// The operand whose dynamic dims a result copies, or -1 for special rules.
static int shapeSource(Operation *op, unsigned result) {
  return llvm::TypeSwitch<Operation *, int>(op)
      .Case([&](mlir::mamba::SelectiveStateUpdateOp) {
        return result == 0 ? 1 : 0;
      })
      .Case([&](mlir::mamba::CausalConv1dUpdateOp) {
        return result == 0 ? 0 : 1;
      })
      .Case([&](mlir::mamba::ConvStateUpdateOp) {
        // out (Bt, H, P) takes the batch of x; the states keep their own.
        return result == 0 ? 0 : result == 1 ? 3 : 1;
      })
      .Case<mlir::mamba::LinearOp, mlir::mamba::EmbeddingOp>(
          [](Operation *) { return -1; })
      .Default([](Operation *) { return 0; });
}

static int inPlaceOperand(Operation *op, unsigned result) {
  if (mlir::isa<mlir::mamba::SelectiveStateUpdateOp>(op) && result == 1)
    return 0;
  if (mlir::isa<mlir::mamba::CausalConv1dUpdateOp>(op) && result == 1)
    return 1;
  // conv_state_update: new_state updates `state` (operand 3), new_conv_state
  // `conv_state` (operand 1); both precede the optional operands, so the
  // index is the same in ODS order and in the op's operand list.
  if (mlir::isa<mlir::mamba::ConvStateUpdateOp>(op) && result > 0)
    return result == 1 ? 3 : 1;
  return -1;
}

/// The operand index (in ODS order) of the `cu_seqlens` of a packed op, or
/// -1 for ops without one.
static int packedOperand(Operation *op) {
  return llvm::TypeSwitch<Operation *, int>(op)
      .Case([](mlir::mamba::CausalConv1dOp) { return 5; })
      .Case([](mlir::mamba::SelectiveScanOp) { return 9; })
      .Case([](mlir::mamba::SsdOp) { return 10; })
      .Default([](Operation *) { return -1; });
}

/// The run-time shape of result `i` of a compute op.
static Result<std::vector<int64_t>>
resultShape(Operation *op, unsigned i, const std::vector<RtTensor> &operands) {
  auto type = mlir::cast<mlir::RankedTensorType>(op->getResult(i).getType());
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  auto fill = [&](const std::vector<int64_t> &from) -> Status {
    for (size_t d = 0; d < shape.size(); ++d)
      if (shape[d] == mlir::ShapedType::kDynamic) {
        if (d >= from.size())
          return Error("cannot infer the shape of a result of " + opText(op));
        shape[d] = from[d];
      }
    return Status::success();
  };
  if (auto linear = mlir::dyn_cast<mlir::mamba::LinearOp>(op)) {
    // Non-feature dims of x, with M inserted where y keeps its features.
    std::vector<int64_t> outer = operands[0].shape;
    bool inFirst =
        linear.getInLayout() == mlir::mamba::ConvLayout::channel_first;
    bool outFirst =
        linear.getOutLayout() == mlir::mamba::ConvLayout::channel_first;
    outer.erase(outer.begin() + (inFirst ? 1 : outer.size() - 1));
    int64_t m = type.getShape()[outFirst ? 1 : type.getRank() - 1];
    outer.insert(outer.begin() + (outFirst ? 1 : outer.size()), m);
    MAMBA_TRY(fill(outer));
    return shape;
  }
  if (mlir::isa<mlir::mamba::ArgmaxOp>(op)) {
    std::vector<int64_t> from = operands[0].shape;
    from.pop_back();
    MAMBA_TRY(fill(from));
    return shape;
  }
  if (mlir::isa<mlir::mamba::EmbeddingOp>(op)) {
    std::vector<int64_t> from = operands[0].shape;
    from.push_back(shape.back());
    MAMBA_TRY(fill(from));
    return shape;
  }
  int src = shapeSource(op, i);
  if (src < 0 || src >= int(operands.size()) || !operands[src].data)
    return Error("cannot infer the shape of a result of " + opText(op));
  std::vector<int64_t> from = operands[src].shape;
  // Results of a different rank share only the batch dim; the states of a
  // packed op have one row per sequence (cu_seqlens holds S+1 offsets).
  int packed = packedOperand(op);
  if (i > 0 && packed >= 0 && packed < int(operands.size()) &&
      operands[packed].data)
    from = {operands[packed].shape[0] - 1};
  else if (from.size() != shape.size())
    from.resize(1);
  MAMBA_TRY(fill(from));
  return shape;
}

Result<std::unique_ptr<FuncRunner>> FuncRunner::create(mlir::func::FuncOp fn,
                                                       Backend &backend) {
  std::unique_ptr<FuncRunner> runner(new FuncRunner());
  runner->name_ = fn.getName().str();
  runner->backend_ = &backend;
  runner->fn_ = fn;
  llvm::DenseMap<Value, int64_t> slots;
  auto slotOf = [&](Value v) {
    auto it = slots.find(v);
    if (it != slots.end())
      return it->second;
    int64_t s = int64_t(slots.size());
    slots[v] = s;
    return s;
  };
  mlir::Block &body = fn.getBody().front();
  for (mlir::BlockArgument arg : body.getArguments()) {
    runner->argSlots_.push_back(slotOf(arg));
    auto t = mlir::cast<mlir::RankedTensorType>(arg.getType());
    runner->argShapes_.emplace_back(t.getShape().begin(), t.getShape().end());
  }
  llvm::DenseMap<int64_t, size_t> lastUse;
  for (Operation &op : body.getOperations()) {
    if (auto ret = mlir::dyn_cast<mlir::func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        runner->resultSlots_.push_back(slotOf(v));
      break;
    }
    auto step = std::make_shared<Step>();
    step->op = &op;
    step->isCompute = mlir::isa<mlir::mamba::MambaDialect>(op.getDialect());
    if (step->isCompute) {
      // Backends index operands by their ODS position; absent optional
      // operands get slot -1 (an empty tensor).
      for (Value v : expandedOperands(&op))
        step->operands.push_back(v ? slotOf(v) : -1);
    } else {
      for (Value v : op.getOperands())
        step->operands.push_back(slotOf(v));
    }
    for (Value v : op.getResults())
      step->results.push_back(slotOf(v));
    for (unsigned r = 0; r < op.getNumResults(); ++r) {
      int k = step->isCompute ? inPlaceOperand(&op, r) : -1;
      step->inPlace.push_back(k);
    }
    bool known =
        step->isCompute ||
        mlir::isa<mlir::tensor::ExtractSliceOp, mlir::tensor::ExpandShapeOp,
                  mlir::tensor::CollapseShapeOp, mlir::tensor::CastOp,
                  mlir::tensor::DimOp, mlir::arith::ConstantIndexOp>(op);
    if (!known)
      return Error("the runtime cannot execute '" + opText(&op) + "' in @" +
                   runner->name_);
    if (step->isCompute)
      MAMBA_TRY(backend.prepare(&op));
    for (int64_t s : step->operands)
      if (s >= 0)
        lastUse[s] = runner->steps_.size();
    runner->steps_.push_back(step);
  }
  // Func results live to the end; everything else is released after its
  // last use.
  for (int64_t s : runner->resultSlots_)
    lastUse.erase(s);
  for (int64_t s : runner->argSlots_)
    lastUse.erase(s); // the caller owns the arguments
  for (auto &[slot, idx] : lastUse)
    runner->steps_[idx]->release.push_back(slot);
  runner->numValues_ = slots.size();
  return runner;
}

Result<std::vector<RtTensor>>
FuncRunner::run(const std::vector<RtTensor> &args) {
  if (args.size() != argSlots_.size())
    return Error("@" + name_ + " takes " + std::to_string(argSlots_.size()) +
                 " arguments, got " + std::to_string(args.size()));
  std::vector<Slot> values(numValues_);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::vector<int64_t> &want = argShapes_[i];
    bool ok = want.size() == args[i].shape.size();
    for (size_t d = 0; ok && d < want.size(); ++d)
      ok = want[d] == mlir::ShapedType::kDynamic || want[d] == args[i].shape[d];
    if (!ok)
      return Error("argument " + std::to_string(i) + " of @" + name_ +
                   " has shape " + args[i].describe() +
                   ", which does not match the IR");
    values[argSlots_[i]] = args[i];
  }
  auto tensorAt = [&](int64_t slot) -> const RtTensor & {
    return std::get<RtTensor>(values[slot]);
  };
  auto indexAt = [&](int64_t slot) { return std::get<int64_t>(values[slot]); };

  for (const std::shared_ptr<Step> &step : steps_) {
    Operation *op = step->op;
    if (step->isCompute) {
      std::vector<RtTensor> operands;
      for (int64_t s : step->operands)
        operands.push_back(s >= 0 ? tensorAt(s) : RtTensor());
      std::vector<RtTensor> results(op->getNumResults());
      for (unsigned r = 0; r < op->getNumResults(); ++r) {
        Result<std::vector<int64_t>> shape = resultShape(op, r, operands);
        if (!shape.ok())
          return Error(shape.error());
        int k = step->inPlace[r];
        if (k >= 0 && op->getOperand(unsigned(k)).hasOneUse()) {
          results[r] = operands[k];
          continue;
        }
        Result<RtTensor> t =
            backend_->allocate(dtypeOf(op->getResult(r).getType()), *shape);
        if (!t.ok())
          return Error(t.error());
        results[r] = t.take();
        if (k >= 0) { // the old state is still needed: update a copy
          MAMBA_TRY(backend_->copy(operands[k], results[r]));
          operands[k] = results[r];
        }
      }
      Status s = backend_->run(op, operands, results);
      if (!s.ok())
        return Error("@" + name_ + ": " + opText(op) + ": " + s.error());
      for (unsigned r = 0; r < results.size(); ++r)
        values[step->results[r]] = std::move(results[r]);
    } else if (auto c = mlir::dyn_cast<mlir::arith::ConstantIndexOp>(op)) {
      values[step->results[0]] = int64_t(c.value());
    } else if (auto dim = mlir::dyn_cast<mlir::tensor::DimOp>(op)) {
      std::optional<int64_t> d = dim.getConstantIndex();
      if (!d)
        return Error("tensor.dim with a dynamic index is not supported");
      values[step->results[0]] = tensorAt(step->operands[0]).shape[*d];
    } else if (auto cast = mlir::dyn_cast<mlir::tensor::CastOp>(op)) {
      values[step->results[0]] = tensorAt(step->operands[0]);
    } else if (auto slice = mlir::dyn_cast<mlir::tensor::ExtractSliceOp>(op)) {
      RtTensor t = tensorAt(step->operands[0]);
      // Dynamic offsets and sizes come after the source operand, in order.
      size_t dyn = 1;
      int64_t offset = 0;
      std::vector<int64_t> shape(t.rank());
      for (int64_t d = 0; d < t.rank(); ++d) {
        int64_t o = slice.getStaticOffsets()[d];
        if (o == mlir::ShapedType::kDynamic)
          o = indexAt(step->operands[dyn++]);
        offset += o * t.strides[d];
      }
      for (int64_t d = 0; d < t.rank(); ++d) {
        int64_t sz = slice.getStaticSizes()[d];
        if (sz == mlir::ShapedType::kDynamic)
          sz = indexAt(step->operands[dyn++]);
        shape[d] = sz;
      }
      for (int64_t st : slice.getStaticStrides())
        if (st != 1)
          return Error("tensor.extract_slice with a non-unit stride is not "
                       "supported");
      if (slice.getResultType().getRank() != t.rank())
        return Error("rank-reducing tensor.extract_slice is not supported");
      t.data =
          static_cast<char *>(t.data) + offset * int64_t(dtypeSize(t.dtype));
      t.shape = shape;
      values[step->results[0]] = t;
    } else if (auto expand = mlir::dyn_cast<mlir::tensor::ExpandShapeOp>(op)) {
      RtTensor t = tensorAt(step->operands[0]);
      std::vector<int64_t> shape, strides;
      size_t dyn = 1;
      auto staticOut = expand.getStaticOutputShape();
      std::vector<int64_t> out(staticOut.begin(), staticOut.end());
      for (int64_t &v : out)
        if (v == mlir::ShapedType::kDynamic)
          v = indexAt(step->operands[dyn++]);
      for (auto [srcDim, group] :
           llvm::enumerate(expand.getReassociationIndices())) {
        // Splitting a dim of stride s into (a, b, ...) gives strides
        // (b * ... * s, ..., s).
        int64_t stride = t.strides[srcDim];
        std::vector<int64_t> groupStrides(group.size());
        for (int i = int(group.size()) - 1; i >= 0; --i) {
          groupStrides[i] = stride;
          stride *= out[group[i]];
        }
        for (size_t i = 0; i < group.size(); ++i) {
          shape.push_back(out[group[i]]);
          strides.push_back(groupStrides[i]);
        }
      }
      t.shape = shape;
      t.strides = strides;
      values[step->results[0]] = t;
    } else if (auto collapse =
                   mlir::dyn_cast<mlir::tensor::CollapseShapeOp>(op)) {
      RtTensor t = tensorAt(step->operands[0]);
      std::vector<int64_t> shape, strides;
      for (const mlir::ReassociationIndices &group :
           collapse.getReassociationIndices()) {
        int64_t size = 1;
        for (size_t i = 0; i < group.size(); ++i) {
          size *= t.shape[group[i]];
          if (i + 1 < group.size() &&
              t.strides[group[i]] !=
                  t.strides[group[i + 1]] * t.shape[group[i + 1]])
            return Error("@" + name_ +
                         ": tensor.collapse_shape of non-contiguous dims is "
                         "not supported");
        }
        shape.push_back(size);
        strides.push_back(t.strides[group.back()]);
      }
      t.shape = shape;
      t.strides = strides;
      values[step->results[0]] = t;
    }
    for (int64_t s : step->release)
      values[s] = std::monostate();
  }
  std::vector<RtTensor> results;
  for (int64_t s : resultSlots_)
    results.push_back(tensorAt(s));
  return results;
}
