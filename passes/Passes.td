//===- Passes.td - passes of the mamba compiler ----------------------------===//
//
// One pass per file; the flag, the ODS def, the file passes/<Camel>.cpp, the
// test test/passes/<flag>.mlir and DEBUG_TYPE share one name.
//
//===----------------------------------------------------------------------===//

#ifndef MAMBA_PASSES_TD
#define MAMBA_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseElementwisePass : Pass<"mamba-fuse-elementwise"> {
  let summary = "Fold elementwise prologues and epilogues into the SSM ops";
  let description = [{
    Rewrites, when the intermediate value has no other use:
    - `silu(causal_conv1d{none})` and `silu(causal_conv1d_update{none}.out)`
      into the op with `activation = silu`;
    - a scan's `delta`/`dt` of the form `softplus(channel_add(d, bias))` or
      `softplus(d)` into the bias operand and the softplus flag
      (`selective_scan`, `ssd`);
    - `arith.addf(scan, channel_mul(u, D))` into the scan's `D` (the skip
      term), and `arith.mulf(scan, silu(z))` into its `z` (the gate), in that
      order, since the gate applies after the skip term.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def FuseDecodePass : Pass<"mamba-fuse-decode"> {
  let summary = "Fuse the ops of a decode step into fewer kernels";
  let description = [{
    Decode of a large model is bound by kernel launches, not bandwidth. Run
    after mamba-fuse-elementwise (it expects the SiLU folded into the conv),
    this pass rewrites, when it is legal (and leaves the IR unchanged
    otherwise):
    - (Mamba-2) `causal_conv1d_update{silu}` whose output is used only
      through `tensor.extract_slice` + `tensor.expand_shape` (and
      `tensor.dim`) as the x, B and C of one head-form
      `selective_state_update`, sharing its `state_indices`, with static
      column offsets that partition the conv channels, and whose new conv
      state is used only after the state update, into one
      `mamba.conv_state_update`;
    - (Mamba-1) `mamba.linear(dt_low, W)` (no bias or residual, channel-last)
      whose only use is the `dt` of a Mamba-1 form `selective_state_update`,
      into that op's `dt_proj(W)` operand, with `dt_low` as its `dt`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

class TilePass<string flag, string opName> : Pass<flag> {
  let summary = "Choose the tile plan of every `mamba." # opName # "`";
  let options = [
    Option<"tile", "tile", "std::string", /*default=*/"\"\"",
           "Override the heuristic, e.g. 'warps=4,items=8'; parameters not "
           "given keep their heuristic value">,
    Option<"arch", "arch", "std::string", /*default=*/"\"sm_90\"",
           "Target GPU architecture the heuristic sizes shared memory for">,
    Option<"db", "db", "std::string", /*default=*/"\"\"",
           "Tuning database (JSON, passes/TuningDb.h) consulted before the "
           "heuristic: the exact record, else the nearest shape">,
  ];
}

def TileSelectiveScanPass : TilePass<"mamba-tile-selective-scan", "selective_scan"> {
  let description = [{
    Sets `tile = #mamba.tile<warps, channels_per_warp, items, n_tile>`: a
    block of `warps` warps, each owning `channels_per_warp` channels and
    scanning chunks of `32 * items` steps, `items` per lane; per-token B and C
    are staged `n_tile` states at a time. See codegen/device/SelectiveScan.cuh.
  }];
}

def TileSsdPass : TilePass<"mamba-tile-ssd", "ssd"> {
  let description = [{
    Sets `tile = #mamba.tile<chunk, p_tile, warps, stages, segments>` for the
    fused SSD kernel (`stages` = 2 fills the next chunk's inputs while
    computing this one):
    one block per (batch, head, slice of p_tile channels of the head, segment)
    walks the chunks in order, carrying the P x N state in registers, and runs
    the intra-chunk products on tensor cores; with `segments` > 1 each block
    writes the outputs of its segment of the sequence and walks the chunks
    before it for the state only. See codegen/device/Ssd.cuh.
  }];
}

def TileCausalConv1dPass : TilePass<"mamba-tile-causal-conv1d", "causal_conv1d"> {
  let description = [{
    Sets `tile = #mamba.tile<l_tile, c_tile, threads>`: a block computes
    `l_tile` positions of `c_tile` channels, staging the inputs plus a halo
    of W-1 positions in shared memory with coalesced loads along the
    contiguous dim of the layout.
  }];
}

def TileCausalConv1dUpdatePass : TilePass<"mamba-tile-causal-conv1d-update",
                                          "causal_conv1d_update"> {
  let description = [{
    Sets `tile = #mamba.tile<threads>`: one thread per (batch row, channel)
    keeps the window in registers and rewrites its state row once.
  }];
}

def TileSelectiveStateUpdatePass : TilePass<"mamba-tile-selective-state-update",
                                            "selective_state_update"> {
  let description = [{
    Sets `tile = #mamba.tile<rows, lanes_per_row, warps>`: each group of
    `lanes_per_row` lanes owns one state row (one channel, N states) and
    reads and writes it once with 16-byte accesses along N; a block covers
    `rows` rows of one (batch, head).
  }];
}

def TileConvStateUpdatePass : TilePass<"mamba-tile-conv-state-update",
                                        "conv_state_update"> {
  let description = [{
    Sets `tile = #mamba.tile<lanes_per_row, warps>` for the fused Mamba-2
    decode step: a block of `warps` warps covers `rows = warps * 32 /
    lanes_per_row` state rows of one (batch, head); it first computes the
    conv and SiLU of its x channels and of its group's B and C channels, then
    updates the state rows as `selective_state_update` does
    (codegen/device/ConvStateUpdate.cuh).
  }];
}

def TileNormsPass : TilePass<"mamba-tile-norms",
                             "rms_norm / gated_rms_norm / argmax"> {
  let description = [{
    Sets `tile = #mamba.tile<threads, items>` for the row reductions
    `mamba.rms_norm`, `mamba.gated_rms_norm` and `mamba.argmax`: one block
    per row. A norm's threads hold `items` columns each in registers between
    the reduction and the scaling (the tile must cover the row); argmax
    streams the row `threads` x `items` columns at a time.
  }];
}

def TileElementwisePass : TilePass<"mamba-tile-elementwise",
                                   "embedding / silu / softplus / channel_*"> {
  let description = [{
    Sets `tile = #mamba.tile<threads, items>` for the remaining pointwise
    ops: `embedding`, `silu`, `softplus`, `channel_mul`, `channel_add`.
  }];
}

def PlanLaunchPass : Pass<"mamba-plan-launch"> {
  let summary = "Derive grid, block, shared memory and registers from the tiles";
  let description = [{
    Sets `launch = #mamba.launch<...>` on every op that has a `tile`, and
    checks it against the target's limits (threads per block, shared memory
    per block, registers) in this one place. Grid extents that depend on the
    batch or the sequence length are `?`; the runtime computes them with the
    same rule at launch.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"sm_90\"",
           "Target GPU architecture (sm_80, sm_86, sm_89, sm_90)">,
  ];
}

def PrepareEmissionPass : Pass<"mamba-prepare-emission"> {
  let summary = "Name every kernel and check it is ready for the CUDA emitter";
  let description = [{
    Gives every planned op its kernel symbol,
    `kernel = "mamba_<op>_<dtype>_<hash>"`, where the hash covers everything
    the kernel is specialised on (op, static shapes, element types, optional
    operands, attributes, tile and launch plan, arch), and marks
    `mamba.linear` as a library call (`library = "cublas"`). Fails on any op
    that reached it without a tile or launch plan. The emitter itself never
    changes IR.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"\"sm_90\"",
           "Target GPU architecture, part of the kernel hash">,
  ];
}

#endif // MAMBA_PASSES_TD
