//===- MambaOps.td - ops of the mamba dialect -----------------------------===//
//
// The math of every op follows ../shared/docs/mamba-reference.md section 1.
// Notation: Bt batch, L sequence length, D channels, N d_state, H heads,
// P headdim, G ngroups, W conv width.
//
//===----------------------------------------------------------------------===//

#ifndef MAMBA_OPS_TD
#define MAMBA_OPS_TD

include "dialect/MambaDialect.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

class Mamba_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mamba_Dialect, mnemonic, !listconcat(traits, [Pure])>;

// Activation element types.
def Mamba_IType : AnyTypeOf<[F32, F16, BF16]>;
def Mamba_FloatTensor : RankedTensorOf<[F32, F16, BF16]>;
def Mamba_F32Tensor : RankedTensorOf<[F32]>;
def Mamba_I32Tensor : RankedTensorOf<[I32]>;
def Mamba_IndexTensor : RankedTensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// causal_conv1d
//===----------------------------------------------------------------------===//

def Mamba_CausalConv1dOp : Mamba_Op<"causal_conv1d", [AttrSizedOperandSegments]> {
  let summary = "causal depthwise conv1d over a sequence, with optional SiLU";
  let description = [{
    For every batch b, channel d and position t:

    ```
    out[b,d,t] = bias[d] + sum_{w=0}^{W-1} weight[d,w] * x[b,d,t-(W-1)+w]
    out = silu(out)                               if activation = silu
    ```

    `x` at a negative position is read from `initial_states[b, d, W-1+pos]`
    when given, else it is 0. `weight[:, W-1]` multiplies the current token.
    Accumulation is f32; `out` has x's type.

    `layout` gives the order of the dims of `x` and `out`: `channel_first` is
    (Bt, D, L) (Mamba-1), `channel_last` is (Bt, L, D) (Mamba-2). Other
    operands are laid out the same for both: `weight` (D, W), `bias` (D),
    `initial_states` and the `final_states` result (Bt, D, W-1).

    With `seq_idx` (Bt, L) i32, term w is kept only when
    `seq_idx[b, t-(W-1)+w] == seq_idx[b, t]` (positions before 0 carry the
    label -1), and a position whose label is negative outputs exactly 0.
    Unlike the reference, which accepts `seq_idx` and states only in the
    channel-last layout, both layouts accept them here.

    With `cu_seqlens` (S+1) i32 (exclusive with `seq_idx`), `x` holds S
    sequences packed along L in its one batch row (Bt = 1): sequence s is
    positions [cu_seqlens[s], cu_seqlens[s+1]). The conv restarts at every
    boundary, each sequence computed as if it were alone: its negative
    positions read `initial_states[s]` (or 0), and `final_states[s]` holds
    its last W-1 inputs; both states are then (S, D, W-1). cu_seqlens must
    start at 0, not decrease and end at L; an empty sequence passes its
    initial state through. This is the packed ("varlen") form ragged batches
    use.

    `final_states[b, d, :]` holds the last W-1 raw inputs `x[b, d, L-(W-1):L]`,
    preceded by the tail of `initial_states` (or zeros) when L < W-1.

    Example:

    ```mlir
    %y, %fs = mamba.causal_conv1d %x, %w bias(%b) {activation = #mamba<activation silu>,
        layout = #mamba<layout channel_last>}
        : (tensor<?x?x1792xbf16>, tensor<1792x4xbf16>, tensor<1792xbf16>)
        -> (tensor<?x?x1792xbf16>, tensor<?x1792x3xbf16>)
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$weight,
    Optional<Mamba_FloatTensor>:$bias,
    Optional<Mamba_FloatTensor>:$initial_states,
    Optional<Mamba_I32Tensor>:$seq_idx,
    Optional<Mamba_I32Tensor>:$cu_seqlens,
    DefaultValuedAttr<Mamba_ConvLayoutAttr, "::mlir::mamba::ConvLayout::channel_first">:$layout,
    DefaultValuedAttr<Mamba_ActivationAttr, "::mlir::mamba::Activation::none">:$activation);
  let results = (outs
    Mamba_FloatTensor:$out,
    Optional<Mamba_FloatTensor>:$final_states);
  let assemblyFormat = [{
    $x `,` $weight (`bias` `(` $bias^ `)`)?
    (`initial_states` `(` $initial_states^ `)`)? (`seq_idx` `(` $seq_idx^ `)`)?
    (`cu_seqlens` `(` $cu_seqlens^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    bool isChannelLast() { return getLayout() == ConvLayout::channel_last; }
    int64_t getWidth();
  }];
}

def Mamba_CausalConv1dUpdateOp : Mamba_Op<"causal_conv1d_update",
    [AttrSizedOperandSegments]> {
  let summary = "one decode step of the causal conv1d, with a rolling state";
  let description = [{
    The conv state is a shift register of the last K raw inputs of each
    channel (K >= W-1; the Mamba modules keep K = W). For batch row b:

    ```
    s       = state row of b: conv_state[b], or conv_state[state_indices[b]]
    window  = [s[:, K-(W-1):K], x[b, :]]               W values per channel
    out[b]  = bias + sum_w weight[:, w] * window[:, w]  (silu if asked)
    s'      = [s[:, 1:K], x[b, :]]                      shifted left by one
    ```

    `new_state` is `conv_state` with the touched rows replaced by `s'`. A row
    whose state index is negative is padding: its output is 0 and no state
    row changes. Without `state_indices`, batch row b uses state row b and
    the state pool size must equal Bt.

    Example:

    ```mlir
    %y, %s1 = mamba.causal_conv1d_update %x, %s0, %w bias(%b)
        {activation = #mamba<activation silu>}
        : (tensor<?x3072xf16>, tensor<?x3072x4xf16>, tensor<3072x4xf16>,
           tensor<3072xf16>) -> (tensor<?x3072xf16>, tensor<?x3072x4xf16>)
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$conv_state,
    Mamba_FloatTensor:$weight,
    Optional<Mamba_FloatTensor>:$bias,
    Optional<Mamba_I32Tensor>:$state_indices,
    DefaultValuedAttr<Mamba_ActivationAttr, "::mlir::mamba::Activation::none">:$activation);
  let results = (outs Mamba_FloatTensor:$out, Mamba_FloatTensor:$new_state);
  let assemblyFormat = [{
    $x `,` $conv_state `,` $weight (`bias` `(` $bias^ `)`)?
    (`state_indices` `(` $state_indices^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{ int64_t getWidth(); }];
}

//===----------------------------------------------------------------------===//
// selective_scan (Mamba-1)
//===----------------------------------------------------------------------===//

def Mamba_SelectiveScanOp : Mamba_Op<"selective_scan", [AttrSizedOperandSegments]> {
  let summary = "the Mamba-1 selective scan over a sequence";
  let description = [{
    Per batch b, channel d and state n, all in f32:

    ```
    dt[b,d,t]   = delta[b,d,t] + delta_bias[d]          (softplus if delta_softplus)
    x[b,d,n,-1] = initial_state[b,d,n]  (0 when absent)
    x[b,d,n,t]  = exp(dt * A[d,n]) * x[b,d,n,t-1] + dt * B_t[d,n] * u[b,d,t]
    y[b,d,t]    = sum_n x[b,d,n,t] * C_t[d,n] + D[d] * u[b,d,t]
    out         = y * silu(z[b,d,t])                    (when z is given)
    last_state  = x[:, :, :, L-1]                       (Bt, D, N) f32
    ```

    `u`, `delta`, `z` and `out` are (Bt, D, L) in one activation type.
    `A` is (D, N) f32 (Mamba-1 stores `-exp(A_log)`). `B` and `C` are each
    either constant, (D, N) f32, or per token, (Bt, G, N, L) in the
    activation type; channel d reads group `d / (D / G)`. `D` and
    `delta_bias` are (D) f32. `initial_state` is (Bt, D, N) f32; mamba_ssm has
    no such input and always starts from zero. The optional result
    `last_state` is the state after the last token.

    With `cu_seqlens` (S+1) i32, the one batch row (Bt = 1) holds S
    sequences packed along L: sequence s is positions [cu_seqlens[s],
    cu_seqlens[s+1]), and the scan restarts at every boundary from
    `initial_state[s]` (or 0); `last_state[s]` is the state after its last
    token. Both states are then (S, D, N). cu_seqlens must start at 0, not
    decrease and end at L; an empty sequence passes its initial state
    through. mamba_ssm has no packed form of this scan.

    Example:

    ```mlir
    %y, %s = mamba.selective_scan %u, %dt, %A, %B, %C D(%D) z(%z) delta_bias(%db)
        {delta_softplus}
        : (tensor<1x1536x?xbf16>, tensor<1x1536x?xbf16>, tensor<1536x16xf32>,
           tensor<1x1x16x?xbf16>, tensor<1x1x16x?xbf16>, tensor<1536xf32>,
           tensor<1x1536x?xbf16>, tensor<1536xf32>)
        -> (tensor<1x1536x?xbf16>, tensor<1x1536x16xf32>)
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$u,
    Mamba_FloatTensor:$delta,
    Mamba_F32Tensor:$A,
    Mamba_FloatTensor:$B,
    Mamba_FloatTensor:$C,
    Optional<Mamba_F32Tensor>:$D,
    Optional<Mamba_FloatTensor>:$z,
    Optional<Mamba_F32Tensor>:$delta_bias,
    Optional<Mamba_F32Tensor>:$initial_state,
    Optional<Mamba_I32Tensor>:$cu_seqlens,
    UnitAttr:$delta_softplus);
  let results = (outs
    Mamba_FloatTensor:$out,
    Optional<Mamba_F32Tensor>:$last_state);
  let assemblyFormat = [{
    $u `,` $delta `,` $A `,` $B `,` $C (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`delta_bias` `(` $delta_bias^ `)`)? (`initial_state` `(` $initial_state^ `)`)?
    (`cu_seqlens` `(` $cu_seqlens^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getDState();
    int64_t getNumChannels();
    /// Groups of the per-token B (1 when B is constant).
    int64_t getNumGroups();
    bool isVariableB() { return getB().getType().getRank() != 2; }
    bool isVariableC() { return getC().getType().getRank() != 2; }
  }];
}

//===----------------------------------------------------------------------===//
// selective_state_update (decode step, Mamba-1 and Mamba-2 forms)
//===----------------------------------------------------------------------===//

def Mamba_SelectiveStateUpdateOp : Mamba_Op<"selective_state_update",
    [AttrSizedOperandSegments]> {
  let summary = "one decode step of the selective scan (Mamba-1 or Mamba-2 form)";
  let description = [{
    Advances the SSM state by one token. All math is f32; the state is read
    and written in its own element type (f32 by default, bf16/f16 allowed).

    **Mamba-1 form** (state rank 3): `state` (S, D, N), `x`, `dt`, `z` (Bt, D),
    `A` (D, N) f32, `B`, `C` (Bt, G, N) or (Bt, N), `D` and `dt_bias` (D) f32.

    **Mamba-2 head form** (state rank 4): `state` (S, H, P, N), `x`, `z`
    (Bt, H, P), `dt` (Bt, H) (one step per head), `A` (H) f32, `B`, `C`
    (Bt, G, N), `D` (H) or (H, P), `dt_bias` (H). Heads share groups:
    head h reads group `h / (H / G)`.

    ```
    dt'  = clamp(softplus?(dt + dt_bias), dt_min, dt_max)
    s    = state row of b (state_indices[b] when given)
    s'   = exp(A * dt') * s + (dt' * x) outer B          s'[p,n] per channel p
    out  = sum_n s'[p,n] * C[n] + D[p] * x[p]            (* silu(z) when given)
    ```

    `new_state` is `state` with the updated rows. A negative state index marks
    a padding row: its output is 0 and no state row changes. `dt_min` and
    `dt_max` default to 0 and +inf; unlike mamba_ssm's decode step, which
    ignores dt_limit, the limits are applied here so that decode and prefill
    agree.

    **dt_proj** (Mamba-1 form only): with `dt_proj` (D, R) in dt's element
    type, `dt` is the low-rank input (Bt, R) of the Mamba-1 `dt_proj` linear
    (without its bias, which is `dt_bias` here), and the op computes the step
    itself before the rule above:

    ```
    dt[b, c] = round(sum_r dt[b, r] * dt_proj[c, r])   f32 sum, rounded to
                                                       dt's element type
    ```

    exactly as the unfused `mamba.linear` would produce it (`mamba-fuse-decode`
    folds that linear in).

    Example (Mamba-2):

    ```mlir
    %y, %s1 = mamba.selective_state_update %s0, %x, %dt, %A, %B, %C D(%D)
        dt_bias(%db) {dt_softplus}
        : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>,
           tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>,
           tensor<24xf32>, tensor<24xf32>)
        -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$state,
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$dt,
    Mamba_F32Tensor:$A,
    Mamba_FloatTensor:$B,
    Mamba_FloatTensor:$C,
    Optional<Mamba_FloatTensor>:$D,
    Optional<Mamba_FloatTensor>:$z,
    Optional<Mamba_FloatTensor>:$dt_bias,
    Optional<Mamba_I32Tensor>:$state_indices,
    Optional<Mamba_FloatTensor>:$dt_proj,
    UnitAttr:$dt_softplus,
    DefaultValuedAttr<F64Attr, "0.0">:$dt_min,
    DefaultValuedAttr<F64Attr, "std::numeric_limits<double>::infinity()">:$dt_max);
  let results = (outs Mamba_FloatTensor:$out, Mamba_FloatTensor:$new_state);
  let assemblyFormat = [{
    $state `,` $x `,` $dt `,` $A `,` $B `,` $C (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`dt_bias` `(` $dt_bias^ `)`)? (`state_indices` `(` $state_indices^ `)`)?
    (`dt_proj` `(` $dt_proj^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// True for the Mamba-2 head form (state of rank 4).
    bool isHeadForm() { return getState().getType().getRank() == 4; }
    int64_t getDState();
    /// Heads (1 in the Mamba-1 form).
    int64_t getNumHeads();
    /// Channels per head: headdim (Mamba-2) or D (Mamba-1).
    int64_t getHeadDim();
    int64_t getNumGroups();
    /// R of `dt_proj` (D, R), or 0 without it.
    int64_t getDtRank();
  }];
}

//===----------------------------------------------------------------------===//
// conv_state_update (the fused Mamba-2 decode step)
//===----------------------------------------------------------------------===//

def Mamba_ConvStateUpdateOp : Mamba_Op<"conv_state_update",
    [AttrSizedOperandSegments]> {
  let summary = "causal_conv1d_update with SiLU feeding selective_state_update, in one op";
  let description = [{
    The Mamba-2 decode step from the conv to the SSM output, as one op (what
    `mamba-fuse-decode` makes of a `causal_conv1d_update` with SiLU whose
    output is sliced into the x, B and C of a head-form
    `selective_state_update`). For batch row b, with `s` its state row
    (`state_indices[b]` when given, else b):

    ```
    xbc[c]   = silu(conv_bias[c] + sum_w conv_weight[c, w] * window[c, w])
               window = [conv_state[s, c, K-(W-1):K], x[b, c]],
               rounded to x's element type (the unfused conv's output)
    xh[h, p] = xbc[x_offset + h * P + p]
    B[g, n]  = xbc[b_offset + g * N + n],   C[g, n] = xbc[c_offset + g * N + n]
    out, new_state = selective_state_update(state, xh, dt, A, B, C, D, z,
                                            dt_bias, dt_softplus, dt_min,
                                            dt_max)   (head form, ngroups)
    new_conv_state = conv_state with row s shifted left by one, x[b] last
    ```

    `x` is (Bt, Dc) and `conv_state` (S, Dc, K) in one activation type,
    `conv_weight` (Dc, W) and `conv_bias` (Dc) in one weight type; `state`
    is (S, H, P, N), `dt` (Bt, H), `A` (H) f32, `D` (H) or (H, P), `z`
    (Bt, H, P) in x's type, `dt_bias` (H). The column ranges
    [x_offset, +H*P), [b_offset, +G*N) and [c_offset, +G*N) must partition
    the Dc conv channels, so that every channel's conv state is updated
    exactly once. A negative state index marks a padding row: its output is
    0 and neither state changes.

    Example (mamba2-130m):

    ```mlir
    %y, %s1, %cs1 = mamba.conv_state_update %xbc, %cs0, %w, %s0, %dt, %A
        conv_bias(%cb) D(%D) dt_bias(%db)
        {x_offset = 0 : i64, b_offset = 1536 : i64, c_offset = 1664 : i64,
         ngroups = 1 : i64, dt_softplus}
        : (tensor<?x1792xbf16>, tensor<?x1792x3xbf16>, tensor<1792x4xbf16>,
           tensor<?x24x64x128xf32>, tensor<?x24xbf16>, tensor<24xf32>,
           tensor<1792xbf16>, tensor<24xf32>, tensor<24xf32>)
        -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>,
            tensor<?x1792x3xbf16>)
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$conv_state,
    Mamba_FloatTensor:$conv_weight,
    Mamba_FloatTensor:$state,
    Mamba_FloatTensor:$dt,
    Mamba_F32Tensor:$A,
    Optional<Mamba_FloatTensor>:$conv_bias,
    Optional<Mamba_FloatTensor>:$D,
    Optional<Mamba_FloatTensor>:$z,
    Optional<Mamba_FloatTensor>:$dt_bias,
    Optional<Mamba_I32Tensor>:$state_indices,
    I64Attr:$x_offset,
    I64Attr:$b_offset,
    I64Attr:$c_offset,
    I64Attr:$ngroups,
    UnitAttr:$dt_softplus,
    DefaultValuedAttr<F64Attr, "0.0">:$dt_min,
    DefaultValuedAttr<F64Attr, "std::numeric_limits<double>::infinity()">:$dt_max);
  let results = (outs
    Mamba_FloatTensor:$out,
    Mamba_FloatTensor:$new_state,
    Mamba_FloatTensor:$new_conv_state);
  let assemblyFormat = [{
    $x `,` $conv_state `,` $conv_weight `,` $state `,` $dt `,` $A
    (`conv_bias` `(` $conv_bias^ `)`)? (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`dt_bias` `(` $dt_bias^ `)`)? (`state_indices` `(` $state_indices^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getWidth();
    /// K, the length of a conv state row.
    int64_t getConvStateLen();
    /// Dc, the conv channels (static once verified).
    int64_t getConvDim();
    int64_t getNumHeads();
    int64_t getHeadDim();
    int64_t getDState();
    int64_t getNumGroups() { return getNgroupsAttr().getInt(); }
  }];
}

//===----------------------------------------------------------------------===//
// ssd (Mamba-2)
//===----------------------------------------------------------------------===//

def Mamba_SsdOp : Mamba_Op<"ssd", [AttrSizedOperandSegments]> {
  let summary = "the Mamba-2 SSD scan (state-space duality, chunked)";
  let description = [{
    For each batch b and head h, with the state S a P x N matrix, in f32:

    ```
    dt_t  = clamp(softplus?(dt[b,t,h] + dt_bias[h]), dt_min, dt_max)
    S_-1  = initial_states[b,h]  (0 when absent)
    S_t   = exp(dt_t * A[h]) * S_{t-1} + dt_t * (x[b,t,h,:] outer B[b,t,g(h),:])
    y_t   = S_t . C[b,t,g(h),:] + D[h] * x[b,t,h,:]     (D may be (H, P))
    out   = y * silu(z[b,t,h,:])                        (when z is given)
    final_states = S_{L-1}                              (Bt, H, P, N) f32
    ```

    `x`, `z` and `out` are (Bt, L, H, P); `dt` is (Bt, L, H); `B` and `C` are
    (Bt, L, G, N) with head h reading group `h / (H / G)`. `A` is (H) f32.

    `chunk_size` (a power of two) is the length of the chunks the sequence is
    cut into; the chunked algorithm is exact, so it changes only rounding.
    `seq_idx` (Bt, L) i32 labels packed sequences: tokens of different
    labels never interact, the state is reset at a label change, and
    `initial_states` applies to the sequence labelled 0 only.

    `cu_seqlens` (S+1) i32 (exclusive with `seq_idx`) is the packed form with
    a state per sequence: the one batch row (Bt = 1) holds S sequences,
    sequence s at positions [cu_seqlens[s], cu_seqlens[s+1]), each starting
    from `initial_states[s]` (or 0) and leaving `final_states[s]`; both
    states are then (S, H, P, N). Chunks restart at every boundary, so each
    sequence is computed exactly as it would be alone. cu_seqlens must start
    at 0, not decrease and end at L.

    Example:

    ```mlir
    %y, %fs = mamba.ssd %x, %dt, %A, %B, %C D(%D) dt_bias(%db)
        {chunk_size = 256 : i64, dt_softplus}
        : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>,
           tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>, tensor<24xf32>,
           tensor<24xf32>) -> (tensor<1x?x24x64xbf16>, tensor<1x24x64x128xf32>)
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$dt,
    Mamba_F32Tensor:$A,
    Mamba_FloatTensor:$B,
    Mamba_FloatTensor:$C,
    Optional<Mamba_FloatTensor>:$D,
    Optional<Mamba_FloatTensor>:$z,
    Optional<Mamba_FloatTensor>:$dt_bias,
    Optional<Mamba_F32Tensor>:$initial_states,
    Optional<Mamba_I32Tensor>:$seq_idx,
    Optional<Mamba_I32Tensor>:$cu_seqlens,
    DefaultValuedAttr<I64Attr, "256">:$chunk_size,
    UnitAttr:$dt_softplus,
    DefaultValuedAttr<F64Attr, "0.0">:$dt_min,
    DefaultValuedAttr<F64Attr, "std::numeric_limits<double>::infinity()">:$dt_max);
  let results = (outs
    Mamba_FloatTensor:$out,
    Optional<Mamba_F32Tensor>:$final_states);
  let assemblyFormat = [{
    $x `,` $dt `,` $A `,` $B `,` $C (`D` `(` $D^ `)`)? (`z` `(` $z^ `)`)?
    (`dt_bias` `(` $dt_bias^ `)`)? (`initial_states` `(` $initial_states^ `)`)?
    (`seq_idx` `(` $seq_idx^ `)`)? (`cu_seqlens` `(` $cu_seqlens^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getNumHeads();
    int64_t getHeadDim();
    int64_t getNumGroups();
    int64_t getDState();
  }];
}

//===----------------------------------------------------------------------===//
// Norms
//===----------------------------------------------------------------------===//

def Mamba_RmsNormOp : Mamba_Op<"rms_norm"> {
  let summary = "RMSNorm over the last dim, with an optional fused residual add";
  let description = [{
    ```
    s            = f32(x) + f32(residual)        (just f32(x) without residual)
    residual_out = s                             (in its result type, f32 normally)
    y            = s / sqrt(mean(s^2) + eps) * weight
    ```

    `x` and `y` share one type (..., N); `weight` is (N); `residual` and
    `residual_out` have x's shape. The Mamba blocks keep the residual stream
    in f32 and request `residual_out` (prenorm); the final norm omits it.

    Example:

    ```mlir
    %y, %r = mamba.rms_norm %h, %w residual(%r0) {eps = 1.0e-05 : f64}
        : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xf32>)
        -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>)
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$weight,
    Optional<Mamba_FloatTensor>:$residual,
    DefaultValuedAttr<F64Attr, "1e-5">:$eps);
  let results = (outs
    Mamba_FloatTensor:$y,
    Optional<Mamba_FloatTensor>:$residual_out);
  let assemblyFormat = [{
    $x `,` $weight (`residual` `(` $residual^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mamba_GatedRmsNormOp : Mamba_Op<"gated_rms_norm"> {
  let summary = "group-wise RMSNorm gated by silu(z) (the Mamba-2 output norm)";
  let description = [{
    ```
    x'  = x * silu(z)                        if z and not norm_before_gate
    per group of group_size contiguous columns g:
        y_g = x'_g / sqrt(mean(x'_g^2) + eps) * weight_g
    y   = y * silu(z)                        if z and norm_before_gate
    ```

    `x`, `z` and `y` share one type (..., N); `weight` is (N). `group_size`
    must divide N; 0 means N (one group). Mamba-2 uses
    `group_size = d_inner / ngroups` and `norm_before_gate = false`. The norm
    is group-wise as in mamba_ssm (transformers' Mamba-2 ignores the groups).

    Example:

    ```mlir
    %y = mamba.gated_rms_norm %x, %w z(%z) {group_size = 1536 : i64}
        : (tensor<?x?x1536xbf16>, tensor<1536xbf16>, tensor<?x?x1536xbf16>)
        -> tensor<?x?x1536xbf16>
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$weight,
    Optional<Mamba_FloatTensor>:$z,
    DefaultValuedAttr<F64Attr, "1e-5">:$eps,
    DefaultValuedAttr<I64Attr, "0">:$group_size,
    DefaultValuedAttr<BoolAttr, "false">:$norm_before_gate);
  let results = (outs Mamba_FloatTensor:$y);
  let assemblyFormat = [{
    $x `,` $weight (`z` `(` $z^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// group_size with 0 resolved to the full row.
    int64_t getEffectiveGroupSize();
  }];
}

//===----------------------------------------------------------------------===//
// Graph ops: linear, embedding, elementwise
//===----------------------------------------------------------------------===//

def Mamba_LinearOp : Mamba_Op<"linear", [AttrSizedOperandSegments]> {
  let summary = "y = x . weight^T (+ bias): a GEMM that lowers to a library call";
  let description = [{
    `weight` is (M, K) in x's element type (a PyTorch `nn.Linear` weight),
    `bias` is (M). Accumulation is f32. On CUDA this becomes a cuBLAS call, on
    the CPU an OpenBLAS call; it is never code-generated.

    `in_layout` and `out_layout` say where the feature dim is, so that a
    GEMM can produce the layout the next op wants at no cost:
    - `channel_last` (default): `x` is (..., K), `y` is (..., M);
    - `channel_first`: `x` is (Bt, K, L), `y` is (Bt, M, L), i.e.
      `y[b, :, l] = weight . x[b, :, l]`.
    The other dims (all but the feature dim) must agree between x and y. The
    Mamba-1 block uses channel_first activations, as the reference does, so
    that the scan reads contiguous sequences.

    `residual`, when given, has y's type and is added to the product (a
    fused epilogue).

    Example:

    ```mlir
    %y = mamba.linear %x, %w : (tensor<?x?x768xbf16>, tensor<3072x768xbf16>)
        -> tensor<?x?x3072xbf16>
    %xz = mamba.linear %h, %w {out_layout = #mamba<layout channel_first>}
        : (tensor<?x?x768xbf16>, tensor<3072x768xbf16>) -> tensor<?x3072x?xbf16>
    ```
  }];
  let arguments = (ins
    Mamba_FloatTensor:$x,
    Mamba_FloatTensor:$weight,
    Optional<Mamba_FloatTensor>:$bias,
    Optional<Mamba_FloatTensor>:$residual,
    DefaultValuedAttr<Mamba_ConvLayoutAttr, "::mlir::mamba::ConvLayout::channel_last">:$in_layout,
    DefaultValuedAttr<Mamba_ConvLayoutAttr, "::mlir::mamba::ConvLayout::channel_last">:$out_layout);
  let results = (outs Mamba_FloatTensor:$y);
  let assemblyFormat = [{
    $x `,` $weight (`bias` `(` $bias^ `)`)? (`residual` `(` $residual^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mamba_EmbeddingOp : Mamba_Op<"embedding"> {
  let summary = "row gather from an embedding table";
  let description = [{
    `out[..., :] = table[ids[...], :]`. `ids` are i32 or i64 of any shape,
    `table` is (V, d), `out` is (ids shape..., d) in the table's type. An id
    outside [0, V) is an error at run time.

    ```mlir
    %h = mamba.embedding %ids, %table : (tensor<?x?xi32>, tensor<50280x768xbf16>)
        -> tensor<?x?x768xbf16>
    ```
  }];
  let arguments = (ins Mamba_IndexTensor:$ids, Mamba_FloatTensor:$table);
  let results = (outs Mamba_FloatTensor:$out);
  let assemblyFormat = [{
    $ids `,` $table attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mamba_ArgmaxOp : Mamba_Op<"argmax"> {
  let summary = "index of the largest value of each row (greedy decoding)";
  let description = [{
    `ids[...] = argmax_v x[..., v]` over the last dim of `x`, so that greedy
    decoding copies one i32 per sequence to the host instead of a row of
    logits. NaN ranks below every number, ties go to the lowest index, and a
    row of NaNs gives 0. `ids` has x's shape without the last dim. To
    exclude padded vocabulary rows, pass a view of x that ends before them.

    ```mlir
    %ids = mamba.argmax %logits : (tensor<?x50280xf16>) -> tensor<?xi32>
    ```
  }];
  let arguments = (ins Mamba_FloatTensor:$x);
  let results = (outs Mamba_I32Tensor:$ids);
  let assemblyFormat = [{
    $x attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

class Mamba_UnaryOp<string mnemonic, string summaryText, string math>
    : Mamba_Op<mnemonic, [SameOperandsAndResultType]> {
  let summary = summaryText;
  let description = "Elementwise, computed in f32: `" # math # "`.";
  let arguments = (ins Mamba_FloatTensor:$x);
  let results = (outs Mamba_FloatTensor:$y);
  let assemblyFormat = "$x attr-dict `:` type($x)";
}

def Mamba_SiluOp : Mamba_UnaryOp<"silu", "SiLU activation", "y = x / (1 + exp(-x))">;
def Mamba_SoftplusOp : Mamba_UnaryOp<"softplus", "softplus with threshold 20",
    "y = x > 20 ? x : log(1 + exp(x))">;

class Mamba_ChannelOp<string mnemonic, string summaryText, string math>
    : Mamba_Op<mnemonic> {
  let summary = summaryText;
  let description = "Elementwise with `w` broadcast: `" # math # [{`, where
    `w` (rank r) covers the dims `[dim, dim + r)` of `x`. Computed in f32; `y`
    has x's type. For example the D skip term of a scan is
    `mamba.channel_mul %u, %D {dim = 1}` for `u` (Bt, D, L).

    ```mlir
    %y = mamba.}] # mnemonic # [{ %u, %w {dim = 1 : i64}
        : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
    ```
  }];
  let arguments = (ins Mamba_FloatTensor:$x, Mamba_FloatTensor:$w, I64Attr:$dim);
  let results = (outs Mamba_FloatTensor:$y);
  let assemblyFormat = [{
    $x `,` $w attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mamba_ChannelMulOp : Mamba_ChannelOp<"channel_mul",
    "multiply by a per-channel vector", "y = x * w">;
def Mamba_ChannelAddOp : Mamba_ChannelOp<"channel_add",
    "add a per-channel vector", "y = x + w">;

#endif // MAMBA_OPS_TD
