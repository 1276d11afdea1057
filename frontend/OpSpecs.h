//===- OpSpecs.h - one mamba op as MLIR text, from a few fields -*- C++ -*-===//
//
// Kernel tests, mamba-bench and mamba-tune need the same single-op modules
// over and over: these structs name the specialisation (dtype, d_state,
// headdim, groups, which optional operands exist) and print a module with one
// func (named `func`) holding that one op, with batch and sequence length
// dynamic. The text goes to Jit::compileModule; several can be concatenated
// into one module under distinct names. No MLIR types here.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_FRONTEND_OPSPECS_H
#define MAMBA_FRONTEND_OPSPECS_H

#include "runtime/DType.h"

#include <cstdint>
#include <string>

namespace mamba {

struct SelectiveScanSpec {
  DType dtype = DType::BF16;
  int64_t channels = 64, dstate = 16, groups = 1;
  bool constantB = false, constantC = false;
  bool hasD = true, hasZ = true, hasDeltaBias = true, softplus = true;
  bool initialState = false, lastState = false;
  bool packed = false; // a cu_seqlens operand (the packed form)
  std::string
      tile; // e.g. "warps = 4, channels_per_warp = 2, ..."; empty: heuristic
};

struct SsdSpec {
  DType dtype = DType::BF16;
  int64_t heads = 4, headdim = 64, groups = 1, dstate = 64;
  int64_t chunkSize = 256;
  bool hasD = true, dPerChannel = false, hasZ = true, hasDtBias = true;
  bool softplus = true;
  double dtMin = 0.0, dtMax = -1.0; // dtMax < 0: +inf
  bool initialStates = false, seqIdx = false, finalStates = false;
  bool packed = false; // a cu_seqlens operand (the packed form)
  std::string tile;
};

struct CausalConv1dSpec {
  DType dtype = DType::BF16, wtype = DType::BF16;
  int64_t channels = 64, width = 4;
  bool channelLast = false, hasBias = true, silu = true;
  bool initialStates = false, seqIdx = false, finalStates = false;
  bool packed = false; // a cu_seqlens operand (the packed form)
  std::string tile;
};

struct CausalConv1dUpdateSpec {
  DType dtype = DType::BF16, wtype = DType::BF16;
  int64_t channels = 64, width = 4, stateLen = 4;
  bool hasBias = true, silu = true, stateIndices = false;
  std::string tile;
};

struct SelectiveStateUpdateSpec {
  DType dtype = DType::BF16, stateType = DType::F32;
  bool headForm = true; // Mamba-2 (H, P) form, else Mamba-1 (D)
  int64_t heads = 4, headdim = 64, groups = 1,
          dstate = 64; // Mamba-1: headdim = D
  bool hasD = true, dPerChannel = false, hasZ = true, hasDtBias = true;
  bool softplus = true;
  double dtMin = 0.0, dtMax = -1.0;
  bool stateIndices = false;
  /// Mamba-1 form: > 0 gives the op dt_proj (D, dtRank), dt (Bt, dtRank).
  int64_t dtRank = 0;
  std::string tile;
};

/// mamba.conv_state_update in the ModelBuilder's layout: xBC = [x (H * P),
/// B (G * N), C (G * N)].
struct ConvStateUpdateSpec {
  DType dtype = DType::BF16, wtype = DType::BF16, stateType = DType::F32;
  int64_t heads = 4, headdim = 64, groups = 1, dstate = 64;
  int64_t width = 4, stateLen = 3;
  bool convBias = true;
  bool hasD = true, dPerChannel = false, hasZ = false, hasDtBias = true;
  bool softplus = true;
  double dtMin = 0.0, dtMax = -1.0;
  bool stateIndices = false;
  std::string tile;
  int64_t convDim() const { return heads * headdim + 2 * groups * dstate; }
};

struct RmsNormSpec {
  DType dtype = DType::BF16, wtype = DType::BF16;
  int64_t cols = 768;
  bool residual = true, residualOut = true;
  DType residualType = DType::F32;
  std::string tile;
};

struct GatedRmsNormSpec {
  DType dtype = DType::BF16, wtype = DType::BF16;
  int64_t cols = 768, groupSize = 0;
  bool hasZ = true, normBeforeGate = false;
  std::string tile;
};

/// mamba.argmax over rows of `cols` columns (0: a dynamic row length).
struct ArgmaxSpec {
  DType dtype = DType::F16;
  int64_t cols = 0;
  std::string tile;
};

std::string toMlir(const SelectiveScanSpec &s,
                   const std::string &func = "kernel");
std::string toMlir(const SsdSpec &s, const std::string &func = "kernel");
std::string toMlir(const CausalConv1dSpec &s,
                   const std::string &func = "kernel");
std::string toMlir(const CausalConv1dUpdateSpec &s,
                   const std::string &func = "kernel");
std::string toMlir(const SelectiveStateUpdateSpec &s,
                   const std::string &func = "kernel");
std::string toMlir(const ConvStateUpdateSpec &s,
                   const std::string &func = "kernel");
std::string toMlir(const RmsNormSpec &s, const std::string &func = "kernel");
std::string toMlir(const GatedRmsNormSpec &s,
                   const std::string &func = "kernel");
std::string toMlir(const ArgmaxSpec &s, const std::string &func = "kernel");

/// The MLIR spelling of an element type (f32, f16, bf16, i32, i64).
std::string mlirType(DType t);

/// " [tile]" for a spec's tile override, "" for the heuristic's: what test
/// and benchmark names append.
std::string tileLabel(const std::string &tile);

} // namespace mamba

#endif // MAMBA_FRONTEND_OPSPECS_H
