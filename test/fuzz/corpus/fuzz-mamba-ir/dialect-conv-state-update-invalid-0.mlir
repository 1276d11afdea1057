// One case per rule of the mamba.conv_state_update verifier
// (dialect/MambaOps.cpp), the fused Mamba-2 decode step of
// mamba-fuse-decode. The valid op all cases start from: H = 4, P = 32,
// G = 2, N = 16, so Dc = 4 * 32 + 2 * 2 * 16 = 192 conv channels (x at 0,
// B at 128, C at 160), d_conv 4 and a conv state of K = 3.

func.func @x_rank(%x: tensor<?x192x1xbf16>, %cs: tensor<?x192x3xbf16>, %w: tensor<192x4xbf16>, %s: tensor<?x4x32x16xf32>, %dt: tensor<?x4xbf16>, %A: tensor<4xf32>) {
  // expected-error @+1 {{expects 'x' of rank 2 (Bt, Dc), got rank 3}}
  %y, %s1, %cs1 = mamba.conv_state_update %x, %cs, %w, %s, %dt, %A {x_offset = 0 : i64, b_offset = 128 : i64, c_offset = 160 : i64, ngroups = 2 : i64} : (tensor<?x192x1xbf16>, tensor<?x192x3xbf16>, tensor<192x4xbf16>, tensor<?x4x32x16xf32>, tensor<?x4xbf16>, tensor<4xf32>) -> (tensor<?x4x32xbf16>, tensor<?x4x32x16xf32>, tensor<?x192x3xbf16>)
  return
}
