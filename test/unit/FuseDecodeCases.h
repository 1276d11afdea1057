//===- FuseDecodeCases.h - decode steps that mamba-fuse-decode fuses -*- C++
//-*-===//
//
// The two decode-step shapes of passes/FuseDecode.cpp, written unfused as
// the ModelBuilder does (after mamba-fuse-elementwise): each case gives the
// arguments of one func @step (name, shape with the batch, element type,
// random range) and its MLIR text. The CPU test (test/unit/engine) runs the
// unfused and the fused func on the CPU backend; the GPU test
// (test/unit/kernels) runs the fused func on the CUDA backend against the
// unfused one on the CPU.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TEST_UNIT_FUSEDECODECASES_H
#define MAMBA_TEST_UNIT_FUSEDECODECASES_H

#include "runtime/DType.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace mamba::test {

/// One argument of @step. Dim 0 of `shape` is the batch when `batched`
/// (printed `?` in the IR).
struct StepArg {
  std::string name;
  std::vector<int64_t> shape;
  DType dtype = DType::F32;
  bool batched = false;
  float lo = -1, hi = 1;
};

/// Values for `a` at batch `batch`: uniform in [lo, hi], rounded to its
/// dtype; state indices are a reversed permutation with row 1 padding (-1)
/// when there are 3 or more rows.
inline std::vector<float> stepArgValues(const StepArg &a, std::mt19937_64 &rng,
                                        int64_t stateRows) {
  int64_t n = 1;
  for (int64_t d : a.shape)
    n *= d;
  std::vector<float> v(static_cast<size_t>(n));
  if (a.dtype == DType::I32) {
    for (int64_t b = 0; b < n; ++b)
      v[size_t(b)] = float(n >= 3 && b == 1 ? -1 : stateRows - 1 - 2 * b);
    return v;
  }
  std::uniform_real_distribution<float> dist(a.lo, a.hi);
  for (float &x : v)
    x = roundTo(a.dtype, dist(rng));
  return v;
}

inline std::string tensorText(const StepArg &a) {
  std::string s = "tensor<";
  for (size_t i = 0; i < a.shape.size(); ++i)
    s += (i == 0 && a.batched ? std::string("?") : std::to_string(a.shape[i])) +
         "x";
  return s + dtypeName(a.dtype) + ">";
}

inline std::string typeList(const std::vector<StepArg> &args) {
  std::string s;
  for (const StepArg &a : args)
    s += (s.empty() ? "" : ", ") + tensorText(a);
  return s;
}

/// causal_conv1d_update{silu} -> x, B, C column slices (ModelBuilder's
/// layout [x | B | C]) -> head-form selective_state_update: what
/// mamba-fuse-decode turns into one mamba.conv_state_update.
struct ConvStateCase {
  int64_t batch = 1, heads = 4, headdim = 32, groups = 1, dstate = 16;
  int64_t width = 4, stateLen = 3;
  bool convBias = true, hasD = true, dPerChannel = false, hasZ = false;
  bool hasDtBias = true, softplus = true, indices = false;
  DType dtype = DType::F32, stateType = DType::F32;

  int64_t convDim() const { return heads * headdim + 2 * groups * dstate; }
  /// State rows: a pool twice the batch plus one with state_indices.
  int64_t stateRows() const { return indices ? 2 * batch + 1 : batch; }

  std::string name() const {
    return std::string(dtypeName(dtype)) + "_state" + dtypeName(stateType) +
           "_b" + std::to_string(batch) + "_H" + std::to_string(heads) + "_P" +
           std::to_string(headdim) + "_G" + std::to_string(groups) + "_N" +
           std::to_string(dstate) + "_W" + std::to_string(width) + "_K" +
           std::to_string(stateLen) + (convBias ? "_bias" : "") +
           (hasD ? (dPerChannel ? "_Dhp" : "_D") : "") + (hasZ ? "_z" : "") +
           (hasDtBias ? "_dtbias" : "") + (softplus ? "_softplus" : "") +
           (indices ? "_indices" : "");
  }

  /// The arguments of @step, in order.
  std::vector<StepArg> args() const {
    const int64_t dc = convDim(), s = stateRows();
    std::vector<StepArg> a = {
        {"xbc", {batch, dc}, dtype, true},
        {"conv_state", {s, dc, stateLen}, dtype, !indices},
        {"conv_weight", {dc, width}, dtype, false, -0.5f, 0.5f},
        {"state", {s, heads, headdim, dstate}, stateType, !indices},
        // Raw dt: softplus(dt + bias) small but positive; without softplus
        // a positive step directly.
        {"dt",
         {batch, heads},
         dtype,
         true,
         softplus ? -4.0f : 0.001f,
         softplus ? 0.0f : 0.1f},
        {"A", {heads}, DType::F32, false, -3.0f, -0.5f}};
    if (convBias)
      a.push_back({"conv_bias", {dc}, dtype, false});
    if (hasD)
      a.push_back({"D",
                   dPerChannel ? std::vector<int64_t>{heads, headdim}
                               : std::vector<int64_t>{heads},
                   DType::F32, false});
    if (hasZ)
      a.push_back({"z", {batch, heads, headdim}, dtype, true, -2.0f, 2.0f});
    if (hasDtBias)
      a.push_back({"dt_bias",
                   {heads},
                   DType::F32,
                   false,
                   softplus ? -1.0f : 0.0f,
                   softplus ? 0.5f : 0.05f});
    if (indices)
      a.push_back({"idx", {batch}, DType::I32, true});
    return a;
  }

  /// The results of @step: y, the new conv state, the new state.
  std::vector<StepArg> results() const {
    std::vector<StepArg> a = args();
    return {{"y", {batch, heads, headdim}, dtype, true}, a[1], a[3]};
  }

  std::string ir() const {
    std::vector<StepArg> a = args(), r = results();
    auto has = [&](const char *n) {
      for (const StepArg &s : a)
        if (s.name == n)
          return true;
      return false;
    };
    const std::string act = dtypeName(dtype);
    const int64_t dc = convDim(), hp = heads * headdim, gn = groups * dstate;
    auto cols = [&](int64_t n) {
      return "tensor<?x" + std::to_string(n) + "x" + act + ">";
    };
    auto heads3 = [&](int64_t a1, int64_t a2) {
      return "tensor<?x" + std::to_string(a1) + "x" + std::to_string(a2) + "x" +
             act + ">";
    };
    std::string s = "func.func @step(";
    for (size_t i = 0; i < a.size(); ++i)
      s += (i ? ", %" : "%") + a[i].name + ": " + tensorText(a[i]);
    s += ") -> (" + typeList(r) + ") {\n";
    s += "  %c0 = arith.constant 0 : index\n";
    s += "  %out, %cs1 = mamba.causal_conv1d_update %xbc, %conv_state, "
         "%conv_weight";
    std::string convTypes =
        tensorText(a[0]) + ", " + tensorText(a[1]) + ", " + tensorText(a[2]);
    if (convBias) {
      s += " bias(%conv_bias)";
      convTypes += ", tensor<" + std::to_string(dc) + "x" + act + ">";
    }
    if (indices) {
      s += " state_indices(%idx)";
      convTypes += ", tensor<?xi32>";
    }
    s += " {activation = #mamba<activation silu>} : (" + convTypes + ") -> (" +
         cols(dc) + ", " + tensorText(a[1]) + ")\n";
    s += "  %bt = tensor.dim %out, %c0 : " + cols(dc) + "\n";
    auto slice = [&](const std::string &v, int64_t off, int64_t len, int64_t d1,
                     int64_t d2) {
      return "  %" + v + " = tensor.extract_slice %out[0, " +
             std::to_string(off) + "] [%bt, " + std::to_string(len) +
             "] [1, 1] : " + cols(dc) + " to " + cols(len) + "\n  %" + v +
             "h = tensor.expand_shape %" + v +
             " [[0], [1, 2]] output_shape [%bt, " + std::to_string(d1) + ", " +
             std::to_string(d2) + "] : " + cols(len) + " into " +
             heads3(d1, d2) + "\n";
    };
    s += slice("x", 0, hp, heads, headdim);
    s += slice("b", hp, gn, groups, dstate);
    s += slice("c", hp + gn, gn, groups, dstate);
    s += "  %y, %s1 = mamba.selective_state_update %state, %xh, %dt, %A, %bh, "
         "%ch";
    std::string ssuTypes = tensorText(a[3]) + ", " + heads3(heads, headdim) +
                           ", " + tensorText(a[4]) + ", " + tensorText(a[5]) +
                           ", " + heads3(groups, dstate) + ", " +
                           heads3(groups, dstate);
    for (const char *opt : {"D", "z", "dt_bias", "idx"}) {
      if (!has(opt))
        continue;
      for (const StepArg &x : a)
        if (x.name == opt) {
          s += std::string(" ") + (x.name == "idx" ? "state_indices" : x.name) +
               "(%" + x.name + ")";
          ssuTypes += ", " + tensorText(x);
        }
    }
    if (softplus)
      s += " {dt_softplus}";
    s += " : (" + ssuTypes + ") -> (" + tensorText(r[0]) + ", " +
         tensorText(a[3]) + ")\n";
    s += "  return %y, %cs1, %s1 : " + typeList(r) + "\n}\n";
    return s;
  }
};

/// linear(dt_low, W) (no bias) -> dt of a Mamba-1 form selective_state_update
/// with dt_bias: what mamba-fuse-decode folds into the update's dt_proj.
struct DtProjCase {
  int64_t batch = 1, channels = 37, rank = 5, dstate = 16, groups = 1;
  bool hasD = true, hasZ = true, hasDtBias = true, softplus = true;
  bool indices = false;
  DType dtype = DType::F32, stateType = DType::F32;

  int64_t stateRows() const { return indices ? 2 * batch + 1 : batch; }

  std::string name() const {
    return std::string(dtypeName(dtype)) + "_state" + dtypeName(stateType) +
           "_b" + std::to_string(batch) + "_D" + std::to_string(channels) +
           "_R" + std::to_string(rank) + "_N" + std::to_string(dstate) + "_G" +
           std::to_string(groups) + (hasD ? "_D" : "") + (hasZ ? "_z" : "") +
           (hasDtBias ? "_dtbias" : "") + (softplus ? "_softplus" : "") +
           (indices ? "_indices" : "");
  }

  std::vector<StepArg> args() const {
    const int64_t d = channels, s = stateRows();
    // dt = dt_low . W: |dt| ~ sqrt(R) / 3 with these ranges; without
    // softplus both are positive and W small, so dt is a positive step.
    std::vector<StepArg> a = {
        {"state", {s, d, dstate}, stateType, !indices},
        {"x", {batch, d}, dtype, true},
        {"dt_low", {batch, rank}, dtype, true},
        {"dt_proj",
         {d, rank},
         dtype,
         false,
         softplus ? -1.0f : 0.0f,
         softplus ? 1.0f : 0.05f},
        {"A", {d, dstate}, DType::F32, false, -2.0f, -0.1f},
        {"B", {batch, groups, dstate}, dtype, true},
        {"C", {batch, groups, dstate}, dtype, true}};
    if (!softplus)
      a[2].lo = 0.0f;
    if (hasD)
      a.push_back({"D", {d}, DType::F32, false});
    if (hasZ)
      a.push_back({"z", {batch, d}, dtype, true, -2.0f, 2.0f});
    if (hasDtBias)
      a.push_back({"dt_bias",
                   {d},
                   DType::F32,
                   false,
                   softplus ? -1.0f : 0.0f,
                   softplus ? 0.5f : 0.05f});
    if (indices)
      a.push_back({"idx", {batch}, DType::I32, true});
    return a;
  }

  std::vector<StepArg> results() const {
    std::vector<StepArg> a = args();
    return {{"y", {batch, channels}, dtype, true}, a[0]};
  }

  std::string ir() const {
    std::vector<StepArg> a = args(), r = results();
    std::string s = "func.func @step(";
    for (size_t i = 0; i < a.size(); ++i)
      s += (i ? ", %" : "%") + a[i].name + ": " + tensorText(a[i]);
    s += ") -> (" + typeList(r) + ") {\n";
    s += "  %dt = mamba.linear %dt_low, %dt_proj : (" + tensorText(a[2]) +
         ", " + tensorText(a[3]) + ") -> " + tensorText(a[1]) + "\n";
    s += "  %y, %s1 = mamba.selective_state_update %state, %x, %dt, %A, %B, "
         "%C";
    std::string types = tensorText(a[0]) + ", " + tensorText(a[1]) + ", " +
                        tensorText(a[1]) + ", " + tensorText(a[4]) + ", " +
                        tensorText(a[5]) + ", " + tensorText(a[6]);
    for (size_t i = 7; i < a.size(); ++i) {
      s += " " +
           (a[i].name == "idx" ? std::string("state_indices") : a[i].name) +
           "(%" + a[i].name + ")";
      types += ", " + tensorText(a[i]);
    }
    if (softplus)
      s += " {dt_softplus}";
    s += " : (" + types + ") -> (" + typeList(r) + ")\n";
    s += "  return %y, %s1 : " + typeList(r) + "\n}\n";
    return s;
  }
};

/// The shapes both tests sweep: odd head counts, batch 1 and 3, d_state 16,
/// 64 and 128, 1 and 2 groups, with and without each optional operand, d_conv
/// 3 and 4 with K = W - 1 and a longer K, and a state pool with a padding
/// row.
inline std::vector<ConvStateCase> convStateCases() {
  std::vector<ConvStateCase> out;
  for (int64_t batch : {1, 3})
    for (int64_t n : {16, 64, 128})
      for (int64_t g : {1, 2}) {
        ConvStateCase c;
        c.batch = batch;
        c.dstate = n;
        c.groups = g;
        c.heads = g == 1 ? 3 : 6;
        c.headdim = n == 128 ? 32 : 64;
        out.push_back(c); // D, dt_bias, conv bias, softplus
        ConvStateCase all = c;
        all.hasZ = all.dPerChannel = true;
        all.width = 3;
        all.stateLen = 5;
        all.indices = batch == 3;
        out.push_back(all);
        ConvStateCase bare = c;
        bare.convBias = bare.hasD = bare.hasDtBias = bare.softplus = false;
        bare.heads = g == 1 ? 5 : 2;
        out.push_back(bare);
      }
  return out;
}

inline std::vector<DtProjCase> dtProjCases() {
  std::vector<DtProjCase> out;
  for (int64_t batch : {1, 3})
    for (int64_t n : {16, 64})
      for (int64_t g : {1, 2}) {
        DtProjCase c;
        c.batch = batch;
        c.dstate = n;
        c.groups = g;
        c.channels = g == 1 ? 37 : 38;
        c.rank = n == 16 ? 5 : 13;
        c.indices = batch == 3 && g == 2;
        out.push_back(c);
        DtProjCase bare = c;
        bare.hasD = bare.hasZ = bare.hasDtBias = bare.softplus = false;
        bare.rank = 160;
        out.push_back(bare);
      }
  return out;
}

} // namespace mamba::test

#endif // MAMBA_TEST_UNIT_FUSEDECODECASES_H
