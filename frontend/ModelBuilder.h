//===- ModelBuilder.h - a Mamba language model as mamba IR ------*- C++ -*-===//
//
// Builds, from a ModelConfig, a module with one func per (block kind x phase)
// that the runtime executes:
//
//   @embed_prefill(ids (Bt, L) i32, table) -> h (Bt, L, d)
//   @embed_decode(ids (Bt) i32, table) -> h (Bt, d)
//   @block_prefill(h, residual, <layer weights>, conv_state, ssm_state)
//       -> (h', residual', conv_state', ssm_state')
//   @block_decode(h, residual, <layer weights>, conv_state, ssm_state)
//       -> (h', residual', conv_state', ssm_state')
//   @block_prefill_packed(h (1, T, d), residual (1, T, d), <layer weights>,
//       conv_state (S, ...), ssm_state (S, ...), cu_seqlens (S+1) i32)
//       -> (h', residual', conv_state', ssm_state'), with packedPrefill:
//       S sequences of different lengths packed in one row, each with its
//       own state row (the conv and the scan restart at every boundary)
//   @head_prefill(h, residual, norm_f, lm_head) -> logits (Bt, L, V)
//   @head_decode(h, residual, norm_f, lm_head) -> logits (Bt, V)
//   @greedy(logits (Bt, n)) -> ids (Bt) i32, the row-wise argmax
//
// Batch and sequence length are dynamic; every size a kernel is specialised
// on is static. The blocks are written the way the PyTorch modules compute
// them (silu after the conv, softplus(dt + bias), the D skip term and the z
// gate as separate elementwise ops); mamba-fuse-elementwise folds them into
// the SSM ops. The residual stream is f32; the first layer gets a zero
// residual, which gives the reference's "residual = embedding" exactly. The
// conv state holds the last W-1 inputs; the SSM state is f32 in prefill and
// the chosen state type in decode.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_FRONTEND_MODELBUILDER_H
#define MAMBA_FRONTEND_MODELBUILDER_H

#include "runtime/DType.h"
#include "runtime/model/ModelConfig.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace mlir {
namespace mamba {

struct ModelIROptions {
  ::mamba::DType dtype = ::mamba::DType::F32;      // activations and weights
  ::mamba::DType stateDType = ::mamba::DType::F32; // SSM state
  /// Also emit @block_prefill_packed (both backends run ragged batches with
  /// it).
  bool packedPrefill = false;
};

/// The per-layer weight operands of the block funcs, in order, with their
/// canonical checkpoint names relative to `backbone.layers.<i>.` and the
/// element type they are passed in. A and the dt bias are derived (A =
/// -exp(A_log), f32).
struct BlockWeight {
  std::string name; // e.g. "mixer.in_proj.weight", or "A" (derived)
  std::vector<int64_t> shape;
  ::mamba::DType dtype;
};
std::vector<BlockWeight> blockWeights(const ::mamba::ModelConfig &cfg,
                                      const ModelIROptions &options);

/// Shapes of the per-layer decode state, batch excluded.
std::vector<int64_t> convStateShape(const ::mamba::ModelConfig &cfg);
std::vector<int64_t> ssmStateShape(const ::mamba::ModelConfig &cfg);

/// Builds the module; registers the dialects it needs in `ctx`.
OwningOpRef<ModuleOp> buildModelIR(MLIRContext &ctx,
                                   const ::mamba::ModelConfig &cfg,
                                   const ModelIROptions &options);

} // namespace mamba
} // namespace mlir

#endif // MAMBA_FRONTEND_MODELBUILDER_H
