// The whole demo model (models/demo: Mamba-2, d_model 384 x 6 layers) as
// mamba-run builds it, in bf16 (with the packed prefill of ragged batches):
//   build/bin/mamba-run --emit=mlir > examples/mlir/demo-model.mlir
// test/examples/demo-model.test keeps it equal to that output.

module {
  func.func @embed_prefill(%arg0: tensor<?x?xi32>, %arg1: tensor<4096x384xbf16>) -> tensor<?x?x384xbf16> {
    %0 = mamba.embedding %arg0, %arg1 : (tensor<?x?xi32>, tensor<4096x384xbf16>) -> tensor<?x?x384xbf16>
    return %0 : tensor<?x?x384xbf16>
  }
  func.func @embed_decode(%arg0: tensor<?xi32>, %arg1: tensor<4096x384xbf16>) -> tensor<?x384xbf16> {
    %0 = mamba.embedding %arg0, %arg1 : (tensor<?xi32>, tensor<4096x384xbf16>) -> tensor<?x384xbf16>
    return %0 : tensor<?x384xbf16>
  }
  func.func @block_prefill(%arg0: tensor<?x?x384xbf16>, %arg1: tensor<?x?x384xf32>, %arg2: tensor<384xbf16>, %arg3: tensor<1676x384xbf16>, %arg4: tensor<896x4xbf16>, %arg5: tensor<896xbf16>, %arg6: tensor<12xf32>, %arg7: tensor<12xf32>, %arg8: tensor<12xf32>, %arg9: tensor<768xbf16>, %arg10: tensor<384x768xbf16>, %arg11: tensor<?x896x3xbf16>, %arg12: tensor<?x12x64x64xf32>) -> (tensor<?x?x384xbf16>, tensor<?x?x384xf32>, tensor<?x896x3xbf16>, tensor<?x12x64x64xf32>) {
    %y, %residual_out = mamba.rms_norm %arg0, %arg2 residual(%arg1) : (tensor<?x?x384xbf16>, tensor<384xbf16>, tensor<?x?x384xf32>) -> (tensor<?x?x384xbf16>, tensor<?x?x384xf32>)
    %0 = mamba.linear %y, %arg3 : (tensor<?x?x384xbf16>, tensor<1676x384xbf16>) -> tensor<?x?x1676xbf16>
    %c0 = arith.constant 0 : index
    %dim = tensor.dim %0, %c0 : tensor<?x?x1676xbf16>
    %c1 = arith.constant 1 : index
    %dim_0 = tensor.dim %0, %c1 : tensor<?x?x1676xbf16>
    %extracted_slice = tensor.extract_slice %0[0, 0, 0] [%dim, %dim_0, 768] [1, 1, 1] : tensor<?x?x1676xbf16> to tensor<?x?x768xbf16>
    %c0_1 = arith.constant 0 : index
    %dim_2 = tensor.dim %0, %c0_1 : tensor<?x?x1676xbf16>
    %c1_3 = arith.constant 1 : index
    %dim_4 = tensor.dim %0, %c1_3 : tensor<?x?x1676xbf16>
    %extracted_slice_5 = tensor.extract_slice %0[0, 0, 768] [%dim_2, %dim_4, 896] [1, 1, 1] : tensor<?x?x1676xbf16> to tensor<?x?x896xbf16>
    %c0_6 = arith.constant 0 : index
    %dim_7 = tensor.dim %0, %c0_6 : tensor<?x?x1676xbf16>
    %c1_8 = arith.constant 1 : index
    %dim_9 = tensor.dim %0, %c1_8 : tensor<?x?x1676xbf16>
    %extracted_slice_10 = tensor.extract_slice %0[0, 0, 1664] [%dim_7, %dim_9, 12] [1, 1, 1] : tensor<?x?x1676xbf16> to tensor<?x?x12xbf16>
    %out, %final_states = mamba.causal_conv1d %extracted_slice_5, %arg4 bias(%arg5) initial_states(%arg11) {layout = #mamba<layout channel_last>} : (tensor<?x?x896xbf16>, tensor<896x4xbf16>, tensor<896xbf16>, tensor<?x896x3xbf16>) -> (tensor<?x?x896xbf16>, tensor<?x896x3xbf16>)
    %1 = mamba.silu %out : tensor<?x?x896xbf16>
    %c0_11 = arith.constant 0 : index
    %dim_12 = tensor.dim %1, %c0_11 : tensor<?x?x896xbf16>
    %c1_13 = arith.constant 1 : index
    %dim_14 = tensor.dim %1, %c1_13 : tensor<?x?x896xbf16>
    %extracted_slice_15 = tensor.extract_slice %1[0, 0, 0] [%dim_12, %dim_14, 768] [1, 1, 1] : tensor<?x?x896xbf16> to tensor<?x?x768xbf16>
    %c0_16 = arith.constant 0 : index
    %dim_17 = tensor.dim %extracted_slice_15, %c0_16 : tensor<?x?x768xbf16>
    %c1_18 = arith.constant 1 : index
    %dim_19 = tensor.dim %extracted_slice_15, %c1_18 : tensor<?x?x768xbf16>
    %expanded = tensor.expand_shape %extracted_slice_15 [[0], [1], [2, 3]] output_shape [%dim_17, %dim_19, 12, 64] : tensor<?x?x768xbf16> into tensor<?x?x12x64xbf16>
    %c0_20 = arith.constant 0 : index
    %dim_21 = tensor.dim %1, %c0_20 : tensor<?x?x896xbf16>
    %c1_22 = arith.constant 1 : index
    %dim_23 = tensor.dim %1, %c1_22 : tensor<?x?x896xbf16>
    %extracted_slice_24 = tensor.extract_slice %1[0, 0, 768] [%dim_21, %dim_23, 64] [1, 1, 1] : tensor<?x?x896xbf16> to tensor<?x?x64xbf16>
    %c0_25 = arith.constant 0 : index
    %dim_26 = tensor.dim %extracted_slice_24, %c0_25 : tensor<?x?x64xbf16>
    %c1_27 = arith.constant 1 : index
    %dim_28 = tensor.dim %extracted_slice_24, %c1_27 : tensor<?x?x64xbf16>
    %expanded_29 = tensor.expand_shape %extracted_slice_24 [[0], [1], [2, 3]] output_shape [%dim_26, %dim_28, 1, 64] : tensor<?x?x64xbf16> into tensor<?x?x1x64xbf16>
    %c0_30 = arith.constant 0 : index
    %dim_31 = tensor.dim %1, %c0_30 : tensor<?x?x896xbf16>
    %c1_32 = arith.constant 1 : index
    %dim_33 = tensor.dim %1, %c1_32 : tensor<?x?x896xbf16>
    %extracted_slice_34 = tensor.extract_slice %1[0, 0, 832] [%dim_31, %dim_33, 64] [1, 1, 1] : tensor<?x?x896xbf16> to tensor<?x?x64xbf16>
    %c0_35 = arith.constant 0 : index
    %dim_36 = tensor.dim %extracted_slice_34, %c0_35 : tensor<?x?x64xbf16>
    %c1_37 = arith.constant 1 : index
    %dim_38 = tensor.dim %extracted_slice_34, %c1_37 : tensor<?x?x64xbf16>
    %expanded_39 = tensor.expand_shape %extracted_slice_34 [[0], [1], [2, 3]] output_shape [%dim_36, %dim_38, 1, 64] : tensor<?x?x64xbf16> into tensor<?x?x1x64xbf16>
    %2 = mamba.channel_add %extracted_slice_10, %arg6 {dim = 2 : i64} : (tensor<?x?x12xbf16>, tensor<12xf32>) -> tensor<?x?x12xbf16>
    %3 = mamba.softplus %2 : tensor<?x?x12xbf16>
    %out_40, %final_states_41 = mamba.ssd %expanded, %3, %arg7, %expanded_29, %expanded_39 initial_states(%arg12) {chunk_size = 64 : i64} : (tensor<?x?x12x64xbf16>, tensor<?x?x12xbf16>, tensor<12xf32>, tensor<?x?x1x64xbf16>, tensor<?x?x1x64xbf16>, tensor<?x12x64x64xf32>) -> (tensor<?x?x12x64xbf16>, tensor<?x12x64x64xf32>)
    %4 = mamba.channel_mul %expanded, %arg8 {dim = 2 : i64} : (tensor<?x?x12x64xbf16>, tensor<12xf32>) -> tensor<?x?x12x64xbf16>
    %5 = arith.addf %out_40, %4 : tensor<?x?x12x64xbf16>
    %collapsed = tensor.collapse_shape %5 [[0], [1], [2, 3]] : tensor<?x?x12x64xbf16> into tensor<?x?x768xbf16>
    %6 = mamba.gated_rms_norm %collapsed, %arg9 z(%extracted_slice) {group_size = 768 : i64} : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xbf16>) -> tensor<?x?x768xbf16>
    %7 = mamba.linear %6, %arg10 : (tensor<?x?x768xbf16>, tensor<384x768xbf16>) -> tensor<?x?x384xbf16>
    return %7, %residual_out, %final_states, %final_states_41 : tensor<?x?x384xbf16>, tensor<?x?x384xf32>, tensor<?x896x3xbf16>, tensor<?x12x64x64xf32>
  }
  func.func @block_decode(%arg0: tensor<?x384xbf16>, %arg1: tensor<?x384xf32>, %arg2: tensor<384xbf16>, %arg3: tensor<1676x384xbf16>, %arg4: tensor<896x4xbf16>, %arg5: tensor<896xbf16>, %arg6: tensor<12xf32>, %arg7: tensor<12xf32>, %arg8: tensor<12xf32>, %arg9: tensor<768xbf16>, %arg10: tensor<384x768xbf16>, %arg11: tensor<?x896x3xbf16>, %arg12: tensor<?x12x64x64xf32>) -> (tensor<?x384xbf16>, tensor<?x384xf32>, tensor<?x896x3xbf16>, tensor<?x12x64x64xf32>) {
    %y, %residual_out = mamba.rms_norm %arg0, %arg2 residual(%arg1) : (tensor<?x384xbf16>, tensor<384xbf16>, tensor<?x384xf32>) -> (tensor<?x384xbf16>, tensor<?x384xf32>)
    %0 = mamba.linear %y, %arg3 : (tensor<?x384xbf16>, tensor<1676x384xbf16>) -> tensor<?x1676xbf16>
    %c0 = arith.constant 0 : index
    %dim = tensor.dim %0, %c0 : tensor<?x1676xbf16>
    %extracted_slice = tensor.extract_slice %0[0, 0] [%dim, 768] [1, 1] : tensor<?x1676xbf16> to tensor<?x768xbf16>
    %c0_0 = arith.constant 0 : index
    %dim_1 = tensor.dim %0, %c0_0 : tensor<?x1676xbf16>
    %extracted_slice_2 = tensor.extract_slice %0[0, 768] [%dim_1, 896] [1, 1] : tensor<?x1676xbf16> to tensor<?x896xbf16>
    %c0_3 = arith.constant 0 : index
    %dim_4 = tensor.dim %0, %c0_3 : tensor<?x1676xbf16>
    %extracted_slice_5 = tensor.extract_slice %0[0, 1664] [%dim_4, 12] [1, 1] : tensor<?x1676xbf16> to tensor<?x12xbf16>
    %out, %new_state = mamba.causal_conv1d_update %extracted_slice_2, %arg11, %arg4 bias(%arg5) : (tensor<?x896xbf16>, tensor<?x896x3xbf16>, tensor<896x4xbf16>, tensor<896xbf16>) -> (tensor<?x896xbf16>, tensor<?x896x3xbf16>)
    %1 = mamba.silu %out : tensor<?x896xbf16>
    %c0_6 = arith.constant 0 : index
    %dim_7 = tensor.dim %1, %c0_6 : tensor<?x896xbf16>
    %extracted_slice_8 = tensor.extract_slice %1[0, 0] [%dim_7, 768] [1, 1] : tensor<?x896xbf16> to tensor<?x768xbf16>
    %c0_9 = arith.constant 0 : index
    %dim_10 = tensor.dim %extracted_slice_8, %c0_9 : tensor<?x768xbf16>
    %expanded = tensor.expand_shape %extracted_slice_8 [[0], [1, 2]] output_shape [%dim_10, 12, 64] : tensor<?x768xbf16> into tensor<?x12x64xbf16>
    %c0_11 = arith.constant 0 : index
    %dim_12 = tensor.dim %1, %c0_11 : tensor<?x896xbf16>
    %extracted_slice_13 = tensor.extract_slice %1[0, 768] [%dim_12, 64] [1, 1] : tensor<?x896xbf16> to tensor<?x64xbf16>
    %c0_14 = arith.constant 0 : index
    %dim_15 = tensor.dim %extracted_slice_13, %c0_14 : tensor<?x64xbf16>
    %expanded_16 = tensor.expand_shape %extracted_slice_13 [[0], [1, 2]] output_shape [%dim_15, 1, 64] : tensor<?x64xbf16> into tensor<?x1x64xbf16>
    %c0_17 = arith.constant 0 : index
    %dim_18 = tensor.dim %1, %c0_17 : tensor<?x896xbf16>
    %extracted_slice_19 = tensor.extract_slice %1[0, 832] [%dim_18, 64] [1, 1] : tensor<?x896xbf16> to tensor<?x64xbf16>
    %c0_20 = arith.constant 0 : index
    %dim_21 = tensor.dim %extracted_slice_19, %c0_20 : tensor<?x64xbf16>
    %expanded_22 = tensor.expand_shape %extracted_slice_19 [[0], [1, 2]] output_shape [%dim_21, 1, 64] : tensor<?x64xbf16> into tensor<?x1x64xbf16>
    %out_23, %new_state_24 = mamba.selective_state_update %arg12, %expanded, %extracted_slice_5, %arg7, %expanded_16, %expanded_22 D(%arg8) dt_bias(%arg6) {dt_softplus} : (tensor<?x12x64x64xf32>, tensor<?x12x64xbf16>, tensor<?x12xbf16>, tensor<12xf32>, tensor<?x1x64xbf16>, tensor<?x1x64xbf16>, tensor<12xf32>, tensor<12xf32>) -> (tensor<?x12x64xbf16>, tensor<?x12x64x64xf32>)
    %collapsed = tensor.collapse_shape %out_23 [[0], [1, 2]] : tensor<?x12x64xbf16> into tensor<?x768xbf16>
    %2 = mamba.gated_rms_norm %collapsed, %arg9 z(%extracted_slice) {group_size = 768 : i64} : (tensor<?x768xbf16>, tensor<768xbf16>, tensor<?x768xbf16>) -> tensor<?x768xbf16>
    %3 = mamba.linear %2, %arg10 : (tensor<?x768xbf16>, tensor<384x768xbf16>) -> tensor<?x384xbf16>
    return %3, %residual_out, %new_state, %new_state_24 : tensor<?x384xbf16>, tensor<?x384xf32>, tensor<?x896x3xbf16>, tensor<?x12x64x64xf32>
  }
  func.func @block_prefill_packed(%arg0: tensor<?x?x384xbf16>, %arg1: tensor<?x?x384xf32>, %arg2: tensor<384xbf16>, %arg3: tensor<1676x384xbf16>, %arg4: tensor<896x4xbf16>, %arg5: tensor<896xbf16>, %arg6: tensor<12xf32>, %arg7: tensor<12xf32>, %arg8: tensor<12xf32>, %arg9: tensor<768xbf16>, %arg10: tensor<384x768xbf16>, %arg11: tensor<?x896x3xbf16>, %arg12: tensor<?x12x64x64xf32>, %arg13: tensor<?xi32>) -> (tensor<?x?x384xbf16>, tensor<?x?x384xf32>, tensor<?x896x3xbf16>, tensor<?x12x64x64xf32>) {
    %y, %residual_out = mamba.rms_norm %arg0, %arg2 residual(%arg1) : (tensor<?x?x384xbf16>, tensor<384xbf16>, tensor<?x?x384xf32>) -> (tensor<?x?x384xbf16>, tensor<?x?x384xf32>)
    %0 = mamba.linear %y, %arg3 : (tensor<?x?x384xbf16>, tensor<1676x384xbf16>) -> tensor<?x?x1676xbf16>
    %c0 = arith.constant 0 : index
    %dim = tensor.dim %0, %c0 : tensor<?x?x1676xbf16>
    %c1 = arith.constant 1 : index
    %dim_0 = tensor.dim %0, %c1 : tensor<?x?x1676xbf16>
    %extracted_slice = tensor.extract_slice %0[0, 0, 0] [%dim, %dim_0, 768] [1, 1, 1] : tensor<?x?x1676xbf16> to tensor<?x?x768xbf16>
    %c0_1 = arith.constant 0 : index
    %dim_2 = tensor.dim %0, %c0_1 : tensor<?x?x1676xbf16>
    %c1_3 = arith.constant 1 : index
    %dim_4 = tensor.dim %0, %c1_3 : tensor<?x?x1676xbf16>
    %extracted_slice_5 = tensor.extract_slice %0[0, 0, 768] [%dim_2, %dim_4, 896] [1, 1, 1] : tensor<?x?x1676xbf16> to tensor<?x?x896xbf16>
    %c0_6 = arith.constant 0 : index
    %dim_7 = tensor.dim %0, %c0_6 : tensor<?x?x1676xbf16>
    %c1_8 = arith.constant 1 : index
    %dim_9 = tensor.dim %0, %c1_8 : tensor<?x?x1676xbf16>
    %extracted_slice_10 = tensor.extract_slice %0[0, 0, 1664] [%dim_7, %dim_9, 12] [1, 1, 1] : tensor<?x?x1676xbf16> to tensor<?x?x12xbf16>
    %out, %final_states = mamba.causal_conv1d %extracted_slice_5, %arg4 bias(%arg5) initial_states(%arg11) cu_seqlens(%arg13) {layout = #mamba<layout channel_last>} : (tensor<?x?x896xbf16>, tensor<896x4xbf16>, tensor<896xbf16>, tensor<?x896x3xbf16>, tensor<?xi32>) -> (tensor<?x?x896xbf16>, tensor<?x896x3xbf16>)
    %1 = mamba.silu %out : tensor<?x?x896xbf16>
    %c0_11 = arith.constant 0 : index
    %dim_12 = tensor.dim %1, %c0_11 : tensor<?x?x896xbf16>
    %c1_13 = arith.constant 1 : index
    %dim_14 = tensor.dim %1, %c1_13 : tensor<?x?x896xbf16>
    %extracted_slice_15 = tensor.extract_slice %1[0, 0, 0] [%dim_12, %dim_14, 768] [1, 1, 1] : tensor<?x?x896xbf16> to tensor<?x?x768xbf16>
    %c0_16 = arith.constant 0 : index
    %dim_17 = tensor.dim %extracted_slice_15, %c0_16 : tensor<?x?x768xbf16>
    %c1_18 = arith.constant 1 : index
    %dim_19 = tensor.dim %extracted_slice_15, %c1_18 : tensor<?x?x768xbf16>
    %expanded = tensor.expand_shape %extracted_slice_15 [[0], [1], [2, 3]] output_shape [%dim_17, %dim_19, 12, 64] : tensor<?x?x768xbf16> into tensor<?x?x12x64xbf16>
    %c0_20 = arith.constant 0 : index
    %dim_21 = tensor.dim %1, %c0_20 : tensor<?x?x896xbf16>
    %c1_22 = arith.constant 1 : index
    %dim_23 = tensor.dim %1, %c1_22 : tensor<?x?x896xbf16>
    %extracted_slice_24 = tensor.extract_slice %1[0, 0, 768] [%dim_21, %dim_23, 64] [1, 1, 1] : tensor<?x?x896xbf16> to tensor<?x?x64xbf16>
    %c0_25 = arith.constant 0 : index
    %dim_26 = tensor.dim %extracted_slice_24, %c0_25 : tensor<?x?x64xbf16>
    %c1_27 = arith.constant 1 : index
    %dim_28 = tensor.dim %extracted_slice_24, %c1_27 : tensor<?x?x64xbf16>
    %expanded_29 = tensor.expand_shape %extracted_slice_24 [[0], [1], [2, 3]] output_shape [%dim_26, %dim_28, 1, 64] : tensor<?x?x64xbf16> into tensor<?x?x1x64xbf16>
    %c0_30 = arith.constant 0 : index
    %dim_31 = tensor.dim %1, %c0_30 : tensor<?x?x896xbf16>
    %c1_32 = arith.constant 1 : index
    %dim_33 = tensor.dim %1, %c1_32 : tensor<?x?x896xbf16>
    %extracted_slice_34 = tensor.extract_slice %1[0, 0, 832] [%dim_31, %dim_33, 64] [1, 1, 1] : tensor<?x?x896xbf16> to tensor<?x?x64xbf16>
    %c0_35 = arith.constant 0 : index
    %dim_36 = tensor.dim %extracted_slice_34, %c0_35 : tensor<?x?x64xbf16>
    %c1_37 = arith.constant 1 : index
    %dim_38 = tensor.dim %extracted_slice_34, %c1_37 : tensor<?x?x64xbf16>
    %expanded_39 = tensor.expand_shape %extracted_slice_34 [[0], [1], [2, 3]] output_shape [%dim_36, %dim_38, 1, 64] : tensor<?x?x64xbf16> into tensor<?x?x1x64xbf16>
    %2 = mamba.channel_add %extracted_slice_10, %arg6 {dim = 2 : i64} : (tensor<?x?x12xbf16>, tensor<12xf32>) -> tensor<?x?x12xbf16>
    %3 = mamba.softplus %2 : tensor<?x?x12xbf16>
    %out_40, %final_states_41 = mamba.ssd %expanded, %3, %arg7, %expanded_29, %expanded_39 initial_states(%arg12) cu_seqlens(%arg13) {chunk_size = 64 : i64} : (tensor<?x?x12x64xbf16>, tensor<?x?x12xbf16>, tensor<12xf32>, tensor<?x?x1x64xbf16>, tensor<?x?x1x64xbf16>, tensor<?x12x64x64xf32>, tensor<?xi32>) -> (tensor<?x?x12x64xbf16>, tensor<?x12x64x64xf32>)
    %4 = mamba.channel_mul %expanded, %arg8 {dim = 2 : i64} : (tensor<?x?x12x64xbf16>, tensor<12xf32>) -> tensor<?x?x12x64xbf16>
    %5 = arith.addf %out_40, %4 : tensor<?x?x12x64xbf16>
    %collapsed = tensor.collapse_shape %5 [[0], [1], [2, 3]] : tensor<?x?x12x64xbf16> into tensor<?x?x768xbf16>
    %6 = mamba.gated_rms_norm %collapsed, %arg9 z(%extracted_slice) {group_size = 768 : i64} : (tensor<?x?x768xbf16>, tensor<768xbf16>, tensor<?x?x768xbf16>) -> tensor<?x?x768xbf16>
    %7 = mamba.linear %6, %arg10 : (tensor<?x?x768xbf16>, tensor<384x768xbf16>) -> tensor<?x?x384xbf16>
    return %7, %residual_out, %final_states, %final_states_41 : tensor<?x?x384xbf16>, tensor<?x?x384xf32>, tensor<?x896x3xbf16>, tensor<?x12x64x64xf32>
  }
  func.func @head_prefill(%arg0: tensor<?x?x384xbf16>, %arg1: tensor<?x?x384xf32>, %arg2: tensor<384xbf16>, %arg3: tensor<4096x384xbf16>) -> tensor<?x?x4096xbf16> {
    %y = mamba.rms_norm %arg0, %arg2 residual(%arg1) : (tensor<?x?x384xbf16>, tensor<384xbf16>, tensor<?x?x384xf32>) -> tensor<?x?x384xbf16>
    %0 = mamba.linear %y, %arg3 : (tensor<?x?x384xbf16>, tensor<4096x384xbf16>) -> tensor<?x?x4096xbf16>
    return %0 : tensor<?x?x4096xbf16>
  }
  func.func @head_decode(%arg0: tensor<?x384xbf16>, %arg1: tensor<?x384xf32>, %arg2: tensor<384xbf16>, %arg3: tensor<4096x384xbf16>) -> tensor<?x4096xbf16> {
    %y = mamba.rms_norm %arg0, %arg2 residual(%arg1) : (tensor<?x384xbf16>, tensor<384xbf16>, tensor<?x384xf32>) -> tensor<?x384xbf16>
    %0 = mamba.linear %y, %arg3 : (tensor<?x384xbf16>, tensor<4096x384xbf16>) -> tensor<?x4096xbf16>
    return %0 : tensor<?x4096xbf16>
  }
  func.func @greedy(%arg0: tensor<?x?xbf16>) -> tensor<?xi32> {
    %0 = mamba.argmax %arg0 : (tensor<?x?xbf16>) -> tensor<?xi32>
    return %0 : tensor<?xi32>
  }
}
