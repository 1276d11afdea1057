// The CUDA text of mamba.embedding and the pointwise (silu, softplus,
// channel_mul, channel_add) kernels: the header comment, the device
// header, the Config that encodes the specialisation, the launch bounds and
// the signature.

// The token embedding: i32 ids, a bf16 table of d_model 768.
func.func @embedding_i32(%ids: tensor<?x?xi32>, %t: tensor<50280x768xbf16>) -> tensor<?x?x768xbf16> {
  %y = mamba.embedding %ids, %t : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x?x768xbf16>
  return %y : tensor<?x?x768xbf16>
}

// i64 ids and an f32 table.
func.func @embedding_i64(%ids: tensor<?xi64>, %t: tensor<1000x2560xf32>) -> tensor<?x2560xf32> {
  %y = mamba.embedding %ids, %t : (tensor<?xi64>, tensor<1000x2560xf32>) -> tensor<?x2560xf32>
  return %y : tensor<?x2560xf32>
}

// silu: kOp 0, no vector operand.
func.func @silu(%x: tensor<?x1536x?xbf16>) -> tensor<?x1536x?xbf16> {
  %y = mamba.silu %x : tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// softplus: kOp 1, f16.
func.func @softplus(%x: tensor<?x?x24xf16>) -> tensor<?x?x24xf16> {
  %y = mamba.softplus %x : tensor<?x?x24xf16>
  return %y : tensor<?x?x24xf16>
}

// channel_mul: kOp 2 with an f32 vector of 1536 channels.
func.func @channel_mul(%x: tensor<?x1536x?xbf16>, %w: tensor<1536xf32>) -> tensor<?x1536x?xbf16> {
  %y = mamba.channel_mul %x, %w {dim = 1 : i64} : (tensor<?x1536x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  return %y : tensor<?x1536x?xbf16>
}

// channel_add: kOp 3 with a bf16 (H, P) = 24 x 64 vector.
func.func @channel_add(%x: tensor<?x?x24x64xf32>, %w: tensor<24x64xbf16>) -> tensor<?x?x24x64xf32> {
  %y = mamba.channel_add %x, %w {dim = 2 : i64} : (tensor<?x?x24x64xf32>, tensor<24x64xbf16>) -> tensor<?x?x24x64xf32>
  return %y : tensor<?x?x24x64xf32>
}
