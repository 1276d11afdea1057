//===- Params.h - launch parameters shared by host and device ---*- C++ -*-===//
//
// One parameter struct per kernel family. The host runtime fills it and
// passes it by value to cuLaunchKernel; the generated kernel receives it as
// its only argument. This header is compiled by both the host compiler and
// NVRTC (which has no <cstdint>), so it uses only built-in types. Each struct
// carries a version, bumped whenever its layout changes, and its size is
// checked on both sides.
//
// Conventions: strides are in elements; the innermost dim of every tensor is
// contiguous unless a stride for it is given. Pointers of activation tensors
// are `void*` because their element type is a compile-time constant of the
// kernel. Optional tensors are null when absent (the kernel is specialised on
// their presence, so it never reads a null pointer).
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_CODEGEN_DEVICE_PARAMS_H
#define MAMBA_CODEGEN_DEVICE_PARAMS_H

namespace mamba {

typedef long long index_t;

/// mamba.selective_scan. Activations (Bt, D, L), unit stride along L.
/// Version 2 added cu_seqlens.
struct SelectiveScanParams {
  static constexpr int kVersion = 2;
  const void *u;           // (Bt, D, L)
  const void *delta;       // (Bt, D, L)
  const void *z;           // (Bt, D, L), optional
  void *out;               // (Bt, D, L)
  const float *A;          // (D, N), contiguous
  const void *B;           // per token (Bt, G, N, L) itype; constant (D, N) f32
  const void *C;           // as B
  const float *D;          // (D), optional
  const float *delta_bias; // (D), optional
  const float *initial_state; // (Bt, D, N) contiguous, optional
  float *last_state;          // (Bt, D, N) contiguous, optional
  index_t batch, seqlen;
  index_t u_batch_stride, u_d_stride;
  index_t delta_batch_stride, delta_d_stride;
  index_t z_batch_stride, z_d_stride;
  index_t out_batch_stride, out_d_stride;
  index_t B_batch_stride, B_group_stride, B_n_stride;
  index_t C_batch_stride, C_group_stride, C_n_stride;
  // (S+1), the packed form (kernels specialised on kPacked): batch row 0
  // holds S sequences along L, grid y is S, and the states are (S, D, N).
  const int *cu_seqlens;
};

/// mamba.causal_conv1d. x and out are indexed (b, l, c) with explicit
/// strides, so one struct serves both layouts. Version 2 added cu_seqlens.
struct CausalConv1dParams {
  static constexpr int kVersion = 2;
  const void *x;              // (Bt, L, D) by strides
  const void *weight;         // (D, W) contiguous
  const void *bias;           // (D), optional
  const void *initial_states; // (Bt, D, W-1), optional
  const int *seq_idx;         // (Bt, L), optional
  void *out;                  // (Bt, L, D) by strides
  void *final_states;         // (Bt, D, W-1), optional
  index_t batch, seqlen;
  index_t x_batch_stride, x_l_stride, x_c_stride;
  index_t out_batch_stride, out_l_stride, out_c_stride;
  index_t initial_states_batch_stride, initial_states_c_stride;
  index_t final_states_batch_stride, final_states_c_stride;
  index_t seq_idx_batch_stride;
  // (num_seqs+1), the packed form (kernels specialised on kPacked): batch
  // row 0 holds num_seqs sequences along L; states (num_seqs, D, W-1).
  const int *cu_seqlens;
  index_t num_seqs;
};

/// mamba.causal_conv1d_update: one token, the state a shift register.
struct CausalConv1dUpdateParams {
  static constexpr int kVersion = 1;
  const void *x;            // (Bt, D)
  void *conv_state;         // (S, D, K), updated in place
  const void *weight;       // (D, W) contiguous
  const void *bias;         // (D), optional
  const int *state_indices; // (Bt), optional; negative = padding row
  void *out;                // (Bt, D)
  index_t batch;
  index_t x_batch_stride;
  index_t state_batch_stride, state_c_stride; // unit stride along K
  index_t out_batch_stride;
};

/// mamba.selective_state_update (both forms; Mamba-1 is heads = 1).
/// Version 2 added dt_proj.
struct SelectiveStateUpdateParams {
  static constexpr int kVersion = 2;
  void *state;              // (S, H, P, N), updated in place; (P, N) contiguous
  const void *x;            // (Bt, H, P)
  const void *dt;           // tied: (Bt, H); else (Bt, H, P); with dt_proj
                            // (Bt, R), unit stride along R
  const float *A;           // tied: (H); else (H, P, N) contiguous
  const void *B;            // (Bt, G, N)
  const void *C;            // (Bt, G, N)
  const void *D;            // (H) or (H, P), optional
  const void *z;            // (Bt, H, P), optional
  const void *dt_bias;      // (H) or (H, P), optional
  const int *state_indices; // (Bt), optional; negative = padding row
  const void *dt_proj;      // (D, R) contiguous, optional (Mamba-1 form)
  void *out;                // (Bt, H, P)
  index_t batch;
  index_t state_batch_stride, state_head_stride;
  index_t x_batch_stride, x_head_stride;
  index_t dt_batch_stride, dt_head_stride;
  index_t B_batch_stride, B_group_stride;
  index_t C_batch_stride, C_group_stride;
  index_t z_batch_stride, z_head_stride;
  index_t out_batch_stride, out_head_stride;
  float dt_min, dt_max;
};

/// mamba.conv_state_update: causal_conv1d_update + SiLU feeding the head
/// form of selective_state_update, in one kernel (ConvStateUpdate.cuh).
struct ConvStateUpdateParams {
  static constexpr int kVersion = 1;
  const void *x;            // (Bt, Dc), unit stride along Dc
  void *conv_state;         // (S, Dc, K), updated in place; unit stride on K
  const void *conv_weight;  // (Dc, W) contiguous
  const void *conv_bias;    // (Dc), optional
  void *state;              // (S, H, P, N), updated in place; (P, N) contiguous
  const void *dt;           // (Bt, H)
  const float *A;           // (H)
  const void *D;            // (H) or (H, P), optional
  const void *z;            // (Bt, H, P), optional; unit stride along P
  const void *dt_bias;      // (H), optional
  const int *state_indices; // (Bt), optional; negative = padding row
  void *out;                // (Bt, H, P), unit stride along P
  int *sync;                // (Bt, G) counters, zero before every launch;
                            // the kernel leaves them zero
  index_t batch;
  index_t x_batch_stride;
  index_t conv_state_batch_stride, conv_state_c_stride;
  index_t state_batch_stride, state_head_stride;
  index_t dt_batch_stride, dt_head_stride;
  index_t z_batch_stride, z_head_stride;
  index_t out_batch_stride, out_head_stride;
  float dt_min, dt_max;
};

/// mamba.ssd, fused into one kernel (see passes/TileSsd.cpp). Version 2
/// added cu_seqlens.
struct SsdParams {
  static constexpr int kVersion = 2;
  const void *x;               // (Bt, L, H, P), unit stride along P
  const void *dt;              // (Bt, L, H)
  const float *A;              // (H)
  const void *B;               // (Bt, L, G, N), unit stride along N
  const void *C;               // (Bt, L, G, N)
  const void *D;               // (H) or (H, P), optional
  const void *z;               // (Bt, L, H, P), optional
  const void *dt_bias;         // (H), optional
  const float *initial_states; // (Bt, H, P, N) contiguous, optional
  const int *seq_idx;          // (Bt, L), optional
  void *out;                   // (Bt, L, H, P)
  float *final_states;         // (Bt, H, P, N) contiguous, optional
  index_t batch, seqlen;
  index_t x_batch_stride, x_l_stride, x_head_stride;
  index_t dt_batch_stride, dt_l_stride, dt_head_stride;
  index_t B_batch_stride, B_l_stride, B_group_stride;
  index_t C_batch_stride, C_l_stride, C_group_stride;
  index_t z_batch_stride, z_l_stride, z_head_stride;
  index_t out_batch_stride, out_l_stride, out_head_stride;
  index_t seq_idx_batch_stride;
  float dt_min, dt_max;
  // (S+1), the packed form (kernels specialised on kPacked): batch row 0
  // holds S sequences along L, grid y is S, and the states are (S, H, P, N).
  const int *cu_seqlens;
};

/// mamba.rms_norm over rows of `cols` (a compile-time constant).
struct RmsNormParams {
  static constexpr int kVersion = 1;
  const void *x;        // (rows, cols)
  const void *residual; // (rows, cols), optional
  const void *weight;   // (cols)
  void *y;              // (rows, cols)
  void *residual_out;   // (rows, cols), optional
  index_t rows;
  index_t x_row_stride, residual_row_stride, y_row_stride,
      residual_out_row_stride;
  float eps;
};

/// mamba.gated_rms_norm over rows of `cols` in groups.
struct GatedRmsNormParams {
  static constexpr int kVersion = 1;
  const void *x;      // (rows, cols)
  const void *z;      // (rows, cols), optional
  const void *weight; // (cols)
  void *y;            // (rows, cols)
  index_t rows;
  index_t x_row_stride, z_row_stride, y_row_stride;
  float eps;
};

/// mamba.embedding: out[r, :] = table[ids[r], :].
struct EmbeddingParams {
  static constexpr int kVersion = 1;
  const void *ids;   // (rows) i32 or i64
  const void *table; // (V, dim) contiguous
  void *out;         // (rows, dim) contiguous
  index_t rows, vocab;
  int *error; // set to 1 when an id is out of range
};

/// mamba.argmax: ids[r] = the column of the largest x[r, :cols].
struct ArgmaxParams {
  static constexpr int kVersion = 1;
  const void *x; // (rows, cols), row stride x_row_stride
  int *ids;      // (rows)
  index_t rows, cols, x_row_stride;
};

/// Elementwise ops on contiguous tensors: silu, softplus, and the channel
/// ops, whose w is indexed by (i / inner) % wsize.
struct ElementwiseParams {
  static constexpr int kVersion = 1;
  const void *x;
  const void *w; // channel ops only
  void *y;
  index_t numel, inner, wsize;
};

} // namespace mamba

/// Every parameter struct with its ABI size. The host side
/// (runtime/cuda/Jit.cpp) and the device side both expand this list, so a new
/// struct is added once.
#define MAMBA_FOR_EACH_PARAMS(X)                                               \
  X(SelectiveScanParams, 224)                                                  \
  X(CausalConv1dParams, 176)                                                   \
  X(CausalConv1dUpdateParams, 88)                                              \
  X(SelectiveStateUpdateParams, 224)                                           \
  X(ConvStateUpdateParams, 208)                                                \
  X(SsdParams, 280)                                                            \
  X(RmsNormParams, 88)                                                         \
  X(GatedRmsNormParams, 72)                                                    \
  X(EmbeddingParams, 48)                                                       \
  X(ArgmaxParams, 40)                                                          \
  X(ElementwiseParams, 48)

#define MAMBA_PARAMS_SIZE_CHECK(S, N)                                          \
  static_assert(sizeof(mamba::S) == N, "ABI: " #S);
MAMBA_FOR_EACH_PARAMS(MAMBA_PARAMS_SIZE_CHECK)
#undef MAMBA_PARAMS_SIZE_CHECK

#endif // MAMBA_CODEGEN_DEVICE_PARAMS_H
