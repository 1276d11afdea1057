// The CUDA text of mamba.rms_norm and mamba.gated_rms_norm kernels: the header comment, the device
// header, the Config that encodes the specialisation, the launch bounds and
// the signature.

// The prenorm of a Mamba block: d_model 768, bf16, with the f32 residual
// stream in and out.
func.func @rms_norm_residual(%x: tensor<?x?x768xbf16>, %w: tensor<768xbf16>, %r: tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>) {
  %y, %r1 = mamba.rms_norm %x, %w residual(%r) {eps = 1.0e-05 : f64} : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xf32>) -> (tensor<?x?x768xbf16>, tensor<?x?x768xf32>)
  return %y, %r1 : tensor<?x?x768xbf16>, tensor<?x?x768xf32>
}

// The final norm: no residual, f16 activations with an f32 weight.
func.func @rms_norm_final(%x: tensor<?x2560xf16>, %w: tensor<2560xf32>) -> tensor<?x2560xf16> {
  %y = mamba.rms_norm %x, %w : (tensor<?x2560xf16>, tensor<2560xf32>) -> tensor<?x2560xf16>
  return %y : tensor<?x2560xf16>
}

// The Mamba-2 output norm: groups of 640 columns of d_inner 5120, gated by
// silu(z) after the norm.
func.func @gated_rms_norm_groups(%x: tensor<?x?x5120xbf16>, %w: tensor<5120xbf16>, %z: tensor<?x?x5120xbf16>) -> tensor<?x?x5120xbf16> {
  %y = mamba.gated_rms_norm %x, %w z(%z) {group_size = 640 : i64} : (tensor<?x?x5120xbf16>, tensor<5120xbf16>, tensor<?x?x5120xbf16>) -> tensor<?x?x5120xbf16>
  return %y : tensor<?x?x5120xbf16>
}

// group_size 0 (the whole row), no z, norm_before_gate set, f32.
func.func @gated_rms_norm_whole_row(%x: tensor<?x1536xf32>, %w: tensor<1536xf32>) -> tensor<?x1536xf32> {
  %y = mamba.gated_rms_norm %x, %w {norm_before_gate = true} : (tensor<?x1536xf32>, tensor<1536xf32>) -> tensor<?x1536xf32>
  return %y : tensor<?x1536xf32>
}
