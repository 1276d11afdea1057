// `mamba-tune space` lists each kernel op's candidate tiles for the tuner:
// the legal tiles (from the verifier) that the launch plan can run, the
// heuristic's first, then by distance from it, with the pruning counts.


// sm_89 has 99 KiB of shared memory a block: the heuristic's 113 KiB tile
// is over it, so the heuristic there is another, and plans over the limit go.
// ADA: mamba.ssd
// ADA-NEXT: candidates: {{.*}} pruned {{[1-9][0-9]*}} by launch limits
// ADA-NEXT: heuristic chunk = 64, p_tile = 64, warps = 8, stages = 1, segments = 1  [threads 256, smem 71168
// ADA-NOT: smem 115712

// STRICT: 1 candidates: {{.*}} by occupancy
// STRICT-NEXT: heuristic chunk = 64

// TWO: give exactly one of IN.mlir, --model DIR and --random-model NAME

func.func @ssd(%x: tensor<?x?x80x64xbf16>, %dt: tensor<?x?x80xbf16>, %A: tensor<80xf32>,
               %B: tensor<?x?x1x128xbf16>, %C: tensor<?x?x1x128xbf16>)
    -> tensor<?x?x80x64xbf16> {
  %out = mamba.ssd %x, %dt, %A, %B, %C {chunk_size = 256 : i64, dt_softplus}
      : (tensor<?x?x80x64xbf16>, tensor<?x?x80xbf16>, tensor<80xf32>,
         tensor<?x?x1x128xbf16>, tensor<?x?x1x128xbf16>) -> tensor<?x?x80x64xbf16>
  return %out : tensor<?x?x80x64xbf16>
}
