//===- CpuBackend.cpp - mamba ops on the CPU reference kernels ------------===//

#include "runtime/exec/CpuBackend.h"

#include "dialect/MambaOps.h"
#include "passes/KernelPlan.h"
#include "runtime/Limits.h"
#include "runtime/cpu/CpuKernels.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cassert>
#include <cstdlib>
#include <cstring>

using namespace mamba;
using namespace mamba::exec;
using namespace mlir::mamba;
using cpu::View;

namespace {

float *f32(const RtTensor &t) { return static_cast<float *>(t.data); }

/// A view with the tensor's own dims and strides (rank <= 4).
View viewOf(const RtTensor &t) {
  View v(f32(t));
  for (int64_t d = 0; d < t.rank() && d < 4; ++d)
    v.stride[d] = t.strides[d];
  return v;
}

/// A view with explicit strides (dims reordered or broadcast).
View viewWith(const RtTensor &t, std::initializer_list<int64_t> strides) {
  View v(f32(t));
  int i = 0;
  for (int64_t s : strides)
    v.stride[i++] = s;
  return v;
}

View optional(const RtTensor &t) { return t.data ? viewOf(t) : View(); }

/// The packed form's offsets (cu_seqlens) of an op, validated against the
/// sequence length `seqlen`; absent when `t` is.
Result<cpu::Packed> packedOf(const RtTensor &t, int64_t batch, int64_t seqlen,
                             mlir::Operation *op) {
  cpu::Packed p;
  if (!t.data)
    return p;
  if (batch != 1)
    return Error(op->getName().getStringRef().str() +
                 ": cu_seqlens packs the sequences in one batch row, got " +
                 std::to_string(batch) + " rows");
  p.cuSeqlens.data = static_cast<const int32_t *>(t.data);
  p.cuSeqlens.stride[0] = t.strides[0];
  p.numSeqs = t.shape[0] - 1;
  std::string rule = cpu::checkPacked(p, seqlen);
  if (!rule.empty())
    return Error(op->getName().getStringRef().str() + ": " + rule);
  return p;
}

/// The leading dims of `t` as rows of its last dim: (rows, row stride).
Result<std::pair<int64_t, int64_t>> rowsOf(const RtTensor &t) {
  int64_t r = t.rank();
  if (r == 1)
    return std::make_pair(int64_t(1), t.shape[0]);
  int64_t rows = 1;
  for (int64_t d = 0; d < r - 1; ++d) {
    rows *= t.shape[d];
    if (d + 1 < r - 1 && t.shape[d] > 1 &&
        t.strides[d] != t.strides[d + 1] * t.shape[d + 1])
      return Error("rows of " + t.describe() + " are not evenly strided");
  }
  return std::make_pair(rows, t.strides[r - 2]);
}

/// Applies f(x, w) elementwise; `w` broadcast over dims [dim, dim + rank).
Status pointwise(const RtTensor &x, const RtTensor *w, int64_t dim, RtTensor &y,
                 float (*f)(float, float)) {
  std::vector<int64_t> idx(x.rank(), 0);
  int64_t n = x.numel();
  for (int64_t i = 0; i < n; ++i) {
    int64_t xo = 0, yo = 0, wo = 0;
    for (int64_t d = 0; d < x.rank(); ++d) {
      xo += idx[d] * x.strides[d];
      yo += idx[d] * y.strides[d];
      if (w && d >= dim && d < dim + w->rank())
        wo += idx[d] * w->strides[d - dim];
    }
    f32(y)[yo] = f(f32(x)[xo], w ? f32(*w)[wo] : 0.0f);
    for (int64_t d = x.rank() - 1; d >= 0; --d) {
      if (++idx[d] < x.shape[d])
        break;
      idx[d] = 0;
    }
  }
  return Status::success();
}

Status runLinear(LinearOp op, const std::vector<RtTensor> &in,
                 std::vector<RtTensor> &out) {
  const RtTensor &x = in[0], &w = in[1];
  if (in[2].data || in[3].data)
    return Error("linear with bias or residual operands is not supported by "
                 "the runtime (the frontend emits the bias as channel_add)");
  RtTensor &y = out[0];
  bool inFirst = op.getInLayout() == ConvLayout::channel_first;
  bool outFirst = op.getOutLayout() == ConvLayout::channel_first;
  int64_t m = w.shape[0], k = w.shape[1];
  cpu::LinearArgs a;
  a.in = k;
  a.out = m;
  a.weight = viewOf(w);
  if (!inFirst && !outFirst) {
    Result<std::pair<int64_t, int64_t>> xr = rowsOf(x), yr = rowsOf(y);
    if (!xr.ok() || !yr.ok())
      return Error(xr.ok() ? yr.error() : xr.error());
    a.rows = xr->first;
    a.x = View(f32(x), xr->second, x.strides.back());
    a.y = View(f32(y), yr->second, y.strides.back());
    cpu::linear(a);
    return Status::success();
  }
  // Per batch row: the non-feature dim L becomes the GEMM rows.
  int64_t batch = x.shape[0];
  int64_t l = inFirst ? x.shape[2] : x.shape[1];
  for (int64_t b = 0; b < batch; ++b) {
    a.rows = l;
    float *xb = f32(x) + b * x.strides[0];
    float *yb = f32(y) + b * y.strides[0];
    a.x = inFirst ? View(xb, x.strides[2], x.strides[1])
                  : View(xb, x.strides[1], x.strides[2]);
    a.y = outFirst ? View(yb, y.strides[2], y.strides[1])
                   : View(yb, y.strides[1], y.strides[2]);
    cpu::linear(a);
  }
  return Status::success();
}

} // namespace

RtTensor mamba::exec::adoptHostTensor(Tensor host,
                                      const std::vector<int64_t> &shape) {
  assert(host.dtype == DType::F32);
  auto storage = std::make_shared<std::vector<uint8_t>>(std::move(host.bytes));
  RtTensor t;
  t.dtype = DType::F32;
  t.shape = shape;
  t.strides = contiguousStridesOf(shape);
  assert(t.bytes() == storage->size());
  t.data = storage->data();
  t.owner = std::move(storage);
  return t;
}

Result<RtTensor> CpuBackend::allocate(DType dtype,
                                      const std::vector<int64_t> &shape) {
  RtTensor t;
  // Every float tensor is f32 on the CPU; ids keep their integer type.
  t.dtype = isFloat(dtype) ? DType::F32 : dtype;
  t.shape = shape;
  t.strides = contiguousStridesOf(shape);
  size_t bytes = std::max<size_t>(t.bytes(), 64);
  MAMBA_TRY(
      injectedAllocFailure(std::to_string(bytes) + " bytes of host memory"));
  void *p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (!p)
    return Error("out of host memory allocating " + std::to_string(bytes) +
                 " bytes");
  t.owner = std::shared_ptr<void>(p, std::free);
  t.data = p;
  return t;
}

Status CpuBackend::prepare(mlir::Operation *op) {
  if (!mlir::isa<LinearOp>(op) && !isKernelOp(op))
    return Error("the CPU backend has no implementation of " +
                 op->getName().getStringRef().str());
  return Status::success();
}

Status CpuBackend::copy(const RtTensor &src, RtTensor &dst) {
  return pointwise(src, nullptr, 0, dst, [](float x, float) { return x; });
}

Status CpuBackend::run(mlir::Operation *op, const std::vector<RtTensor> &in,
                       std::vector<RtTensor> &out) {
  return llvm::TypeSwitch<mlir::Operation *, Status>(op)
      .Case([&](LinearOp o) { return runLinear(o, in, out); })
      .Case([&](RmsNormOp o) -> Status {
        cpu::RmsNormArgs a;
        Result<std::pair<int64_t, int64_t>> xr = rowsOf(in[0]);
        if (!xr.ok())
          return Error(xr.error());
        a.rows = xr->first;
        a.cols = in[0].shape.back();
        a.eps = float(o.getEps().convertToDouble());
        a.x = View(f32(in[0]), xr->second, 1);
        a.weight = viewOf(in[1]);
        if (in[2].data)
          a.residual = View(f32(in[2]), rowsOf(in[2])->second, 1);
        a.y = View(f32(out[0]), a.cols, 1);
        if (out.size() > 1)
          a.residualOut = View(f32(out[1]), a.cols, 1);
        cpu::rmsNorm(a);
        return Status::success();
      })
      .Case([&](GatedRmsNormOp o) -> Status {
        cpu::GatedRmsNormArgs a;
        Result<std::pair<int64_t, int64_t>> xr = rowsOf(in[0]);
        if (!xr.ok())
          return Error(xr.error());
        a.rows = xr->first;
        a.cols = in[0].shape.back();
        a.groupSize = o.getEffectiveGroupSize();
        a.eps = float(o.getEps().convertToDouble());
        a.normBeforeGate = o.getNormBeforeGate();
        a.x = View(f32(in[0]), xr->second, 1);
        if (in[2].data) {
          Result<std::pair<int64_t, int64_t>> zr = rowsOf(in[2]);
          if (!zr.ok())
            return Error(zr.error());
          a.z = View(f32(in[2]), zr->second, 1);
        }
        a.weight = viewOf(in[1]);
        a.y = View(f32(out[0]), a.cols, 1);
        cpu::gatedRmsNorm(a);
        return Status::success();
      })
      .Case([&](ArgmaxOp) -> Status {
        Result<std::pair<int64_t, int64_t>> xr = rowsOf(in[0]);
        if (!xr.ok())
          return Error(xr.error());
        cpu::argmax(xr->first, in[0].shape.back(),
                    View(f32(in[0]), xr->second, 1),
                    static_cast<int32_t *>(out[0].data));
        return Status::success();
      })
      .Case([&](EmbeddingOp) -> Status {
        const RtTensor &ids = in[0];
        std::vector<int64_t> flat(ids.numel());
        for (int64_t i = 0; i < ids.numel(); ++i)
          flat[i] = ids.dtype == DType::I64
                        ? static_cast<const int64_t *>(ids.data)[i]
                        : static_cast<const int32_t *>(ids.data)[i];
        int64_t vocab = in[1].shape[0], dim = in[1].shape[1];
        if (!cpu::embedding(flat.data(), int64_t(flat.size()), viewOf(in[1]),
                            vocab, dim, View(f32(out[0]), dim, 1)))
          return Error("a token id is outside the vocabulary [0, " +
                       std::to_string(vocab) + ")");
        return Status::success();
      })
      .Case([&](CausalConv1dOp o) -> Status {
        const RtTensor &x = in[0];
        bool last = o.isChannelLast();
        cpu::CausalConv1dArgs a;
        a.batch = x.shape[0];
        a.channels = last ? x.shape[2] : x.shape[1];
        a.seqlen = last ? x.shape[1] : x.shape[2];
        a.width = o.getWidth();
        a.silu = o.getActivation() == Activation::silu;
        auto bdt = [&](const RtTensor &t) {
          return last ? viewWith(t, {t.strides[0], t.strides[2], t.strides[1]})
                      : viewOf(t);
        };
        a.x = bdt(x);
        a.weight = viewOf(in[1]);
        a.bias = optional(in[2]);
        a.initialStates = optional(in[3]);
        std::vector<int32_t> seq;
        if (in[4].data) {
          a.seqIdx.data = static_cast<const int32_t *>(in[4].data);
          a.seqIdx.stride[0] = in[4].strides[0];
          a.seqIdx.stride[1] = in[4].strides[1];
        }
        Result<cpu::Packed> packed = packedOf(in[5], a.batch, a.seqlen, o);
        if (!packed.ok())
          return Error(packed.error());
        a.packed = *packed;
        a.out = bdt(out[0]);
        if (out.size() > 1)
          a.finalStates = viewOf(out[1]);
        cpu::causalConv1d(a);
        return Status::success();
      })
      .Case([&](CausalConv1dUpdateOp o) -> Status {
        cpu::CausalConv1dUpdateArgs a;
        a.batch = in[0].shape[0];
        a.channels = in[0].shape[1];
        a.width = o.getWidth();
        a.stateLen = in[1].shape[2];
        a.silu = o.getActivation() == Activation::silu;
        a.x = viewOf(in[0]);
        a.convState = viewOf(out[1]); // updated in place (aliases in[1])
        a.weight = viewOf(in[2]);
        a.bias = optional(in[3]);
        if (in[4].data) {
          a.stateIndices.data = static_cast<const int32_t *>(in[4].data);
          a.stateIndices.stride[0] = in[4].strides[0];
        }
        a.out = viewOf(out[0]);
        cpu::causalConv1dUpdate(a);
        return Status::success();
      })
      .Case([&](SelectiveScanOp o) -> Status {
        const RtTensor &u = in[0];
        cpu::SelectiveScanArgs a;
        a.batch = u.shape[0];
        a.channels = u.shape[1];
        a.seqlen = u.shape[2];
        a.dstate = o.getDState();
        a.variableB = o.isVariableB();
        a.variableC = o.isVariableC();
        auto bc = [&](const RtTensor &t, int64_t &groups) {
          if (t.rank() == 3) { // (Bt, N, L): one group
            groups = 1;
            return viewWith(t, {t.strides[0], 0, t.strides[1], t.strides[2]});
          }
          groups = t.rank() == 4 ? t.shape[1] : 1;
          return viewOf(t);
        };
        a.deltaSoftplus = o.getDeltaSoftplus();
        a.u = viewOf(u);
        a.delta = viewOf(in[1]);
        a.A = viewOf(in[2]);
        a.B = bc(in[3], a.groupsB);
        a.C = bc(in[4], a.groupsC);
        a.D = optional(in[5]);
        a.z = optional(in[6]);
        a.deltaBias = optional(in[7]);
        a.initialState = optional(in[8]);
        Result<cpu::Packed> packed = packedOf(in[9], a.batch, a.seqlen, o);
        if (!packed.ok())
          return Error(packed.error());
        a.packed = *packed;
        a.out = viewOf(out[0]);
        if (out.size() > 1)
          a.lastState = viewOf(out[1]);
        cpu::selectiveScan(a);
        return Status::success();
      })
      .Case([&](SelectiveStateUpdateOp o) -> Status {
        cpu::SelectiveStateUpdateArgs a;
        const RtTensor &x = in[1], &st = out[1];
        a.batch = x.shape[0];
        a.dstate = o.getDState();
        a.dtSoftplus = o.getDtSoftplus();
        a.dtMin = float(o.getDtMin().convertToDouble());
        a.dtMax = float(o.getDtMax().convertToDouble());
        const RtTensor &B = in[4], &C = in[5];
        a.groups = B.rank() == 3 ? B.shape[1] : 1;
        auto bc = [&](const RtTensor &t) {
          return t.rank() == 3 ? viewOf(t)
                               : viewWith(t, {t.strides[0], 0, t.strides[1]});
        };
        a.B = bc(B);
        a.C = bc(C);
        // With dt_proj, dt is the linear of the low-rank input: computed
        // here by the GEMM the unfused graph ran, then the update as usual.
        std::vector<float> dtProj;
        RtTensor dt = in[2];
        if (in[10].data) {
          const RtTensor &low = in[2], &w = in[10];
          int64_t channels = w.shape[0];
          dtProj.resize(size_t(a.batch * channels));
          cpu::LinearArgs l;
          l.rows = a.batch;
          l.in = w.shape[1];
          l.out = channels;
          l.x = View(f32(low), low.strides[0], low.strides[1]);
          l.weight = viewOf(w);
          l.y = View(dtProj.data(), channels, 1);
          cpu::linear(l);
          dt.data = dtProj.data();
          dt.shape = {a.batch, channels};
          dt.strides = {channels, 1};
        }
        if (o.isHeadForm()) {
          a.heads = x.shape[1];
          a.headdim = x.shape[2];
          a.tiedHead = true;
          a.state = viewOf(st);
          a.x = viewOf(x);
          a.dt = viewOf(in[2]);
          a.A = viewOf(in[3]);
          if (in[6].data)
            a.D = in[6].rank() == 2 ? viewOf(in[6])
                                    : viewWith(in[6], {in[6].strides[0], 0});
          a.z = optional(in[7]);
          a.dtBias = optional(in[8]);
          a.out = viewOf(out[0]);
        } else {
          // Mamba-1: one head of D channels, per-channel dt and A.
          a.heads = 1;
          a.headdim = x.shape[1];
          a.tiedHead = false;
          a.state =
              viewWith(st, {st.strides[0], 0, st.strides[1], st.strides[2]});
          a.x = viewWith(x, {x.strides[0], 0, x.strides[1]});
          a.dt = viewWith(dt, {dt.strides[0], 0, dt.strides[1]});
          a.A = viewWith(in[3], {0, in[3].strides[0], in[3].strides[1]});
          if (in[6].data)
            a.D = viewWith(in[6], {0, in[6].strides[0]});
          if (in[7].data)
            a.z = viewWith(in[7], {in[7].strides[0], 0, in[7].strides[1]});
          if (in[8].data)
            a.dtBias = viewWith(in[8], {0, in[8].strides[0]});
          a.out = viewWith(out[0], {out[0].strides[0], 0, out[0].strides[1]});
        }
        if (in[9].data) {
          a.stateIndices.data = static_cast<const int32_t *>(in[9].data);
          a.stateIndices.stride[0] = in[9].strides[0];
        }
        cpu::selectiveStateUpdate(a);
        return Status::success();
      })
      .Case([&](ConvStateUpdateOp o) -> Status {
        // The conv update with SiLU into a scratch xBC row per batch row,
        // then the head-form state update on its column ranges: the two
        // reference kernels the op fuses.
        const RtTensor &xbc = in[0];
        int64_t batch = xbc.shape[0], dc = xbc.shape[1];
        std::vector<float> conv(size_t(batch * dc));
        cpu::IndexView indices;
        if (in[10].data) {
          indices.data = static_cast<const int32_t *>(in[10].data);
          indices.stride[0] = in[10].strides[0];
        }
        cpu::CausalConv1dUpdateArgs c;
        c.batch = batch;
        c.channels = dc;
        c.width = o.getWidth();
        c.stateLen = in[1].shape[2];
        c.silu = true;
        c.x = viewOf(xbc);
        c.convState = viewOf(out[2]); // updated in place (aliases in[1])
        c.weight = viewOf(in[2]);
        c.bias = optional(in[6]);
        c.stateIndices = indices;
        c.out = View(conv.data(), dc, 1);
        cpu::causalConv1dUpdate(c);

        int64_t heads = o.getNumHeads(), headdim = o.getHeadDim(),
                n = o.getDState();
        cpu::SelectiveStateUpdateArgs a;
        a.batch = batch;
        a.heads = heads;
        a.headdim = headdim;
        a.dstate = n;
        a.groups = o.getNumGroups();
        a.tiedHead = true;
        a.dtSoftplus = o.getDtSoftplus();
        a.dtMin = float(o.getDtMin().convertToDouble());
        a.dtMax = float(o.getDtMax().convertToDouble());
        a.state = viewOf(out[1]); // updated in place (aliases in[3])
        a.x = View(conv.data() + o.getXOffsetAttr().getInt(), dc, headdim, 1);
        a.B = View(conv.data() + o.getBOffsetAttr().getInt(), dc, n, 1);
        a.C = View(conv.data() + o.getCOffsetAttr().getInt(), dc, n, 1);
        a.dt = viewOf(in[4]);
        a.A = viewOf(in[5]);
        if (in[7].data)
          a.D = in[7].rank() == 2 ? viewOf(in[7])
                                  : viewWith(in[7], {in[7].strides[0], 0});
        a.z = optional(in[8]);
        a.dtBias = optional(in[9]);
        a.stateIndices = indices;
        a.out = viewOf(out[0]);
        cpu::selectiveStateUpdate(a);
        return Status::success();
      })
      .Case([&](SsdOp o) -> Status {
        const RtTensor &x = in[0];
        cpu::SsdArgs a;
        a.batch = x.shape[0];
        a.seqlen = x.shape[1];
        a.heads = x.shape[2];
        a.headdim = x.shape[3];
        a.groups = o.getNumGroups();
        a.dstate = o.getDState();
        a.dtSoftplus = o.getDtSoftplus();
        a.dtMin = float(o.getDtMin().convertToDouble());
        a.dtMax = float(o.getDtMax().convertToDouble());
        a.x = viewOf(x);
        a.dt = viewOf(in[1]);
        a.A = viewOf(in[2]);
        a.B = viewOf(in[3]);
        a.C = viewOf(in[4]);
        if (in[5].data)
          a.D = in[5].rank() == 2 ? viewOf(in[5])
                                  : viewWith(in[5], {in[5].strides[0], 0});
        a.z = optional(in[6]);
        a.dtBias = optional(in[7]);
        a.initialStates = optional(in[8]);
        if (in[9].data) {
          a.seqIdx.data = static_cast<const int32_t *>(in[9].data);
          a.seqIdx.stride[0] = in[9].strides[0];
          a.seqIdx.stride[1] = in[9].strides[1];
        }
        Result<cpu::Packed> packed = packedOf(in[10], a.batch, a.seqlen, o);
        if (!packed.ok())
          return Error(packed.error());
        a.packed = *packed;
        a.out = viewOf(out[0]);
        if (out.size() > 1)
          a.finalStates = viewOf(out[1]);
        cpu::ssd(a);
        return Status::success();
      })
      .Case([&](SiluOp) {
        return pointwise(in[0], nullptr, 0, out[0],
                         [](float x, float) { return cpu::silu(x); });
      })
      .Case([&](SoftplusOp) {
        return pointwise(in[0], nullptr, 0, out[0],
                         [](float x, float) { return cpu::softplus(x); });
      })
      .Case([&](ChannelMulOp o) {
        return pointwise(in[0], &in[1], o.getDimAttr().getInt(), out[0],
                         [](float x, float w) { return x * w; });
      })
      .Case([&](ChannelAddOp o) {
        return pointwise(in[0], &in[1], o.getDimAttr().getInt(), out[0],
                         [](float x, float w) { return x + w; });
      })
      .Default([&](mlir::Operation *) -> Status {
        return Error("the CPU backend cannot run this op");
      });
}
