// RUN: mamba-opt %s --split-input-file --mamba-prepare-emission | FileCheck %s
// RUN: mamba-opt %s --split-input-file --mamba-prepare-emission="arch=sm_90" | FileCheck %s
// RUN: mamba-opt %s --split-input-file --mamba-prepare-emission="arch=sm_80" | FileCheck %s
// RUN: mamba-opt %s --split-input-file --mamba-prepare-emission > %t.sm90
// RUN: mamba-opt %s --split-input-file --mamba-prepare-emission="arch=sm_80" >> %t.sm90
// RUN: FileCheck %s --input-file=%t.sm90 --check-prefix=ARCH

// mamba-prepare-emission names every planned kernel op
// `mamba_<op>_<dtype>_<hash>`, the hash covering everything the kernel is
// specialised on (static shapes, element types, optional operands,
// attributes, tile, launch, arch) and nothing else (SSA names, locations,
// the function), and marks mamba.linear as a cuBLAS call. The last RUN
// prints the file for sm_90 and then for sm_80: the arch changes the name.

// Two identical ops get one name, whatever their function, location or
// operands; a stale `kernel` is replaced and not hashed.
// CHECK-LABEL: func.func @same_specialisation(
// CHECK: mamba.selective_scan
// CHECK-SAME: kernel = "[[K:mamba_selective_scan_bf16_[0-9a-f]+]]"
// CHECK: mamba.selective_scan
// CHECK-SAME: kernel = "[[K]]"
// CHECK: mamba.selective_scan
// CHECK-SAME: kernel = "[[K]]"
// The arch is part of the hash: the sm_80 output (second in the last RUN)
// names the same op differently.
// ARCH-LABEL: func.func @same_specialisation(
// ARCH: kernel = "[[K90:mamba_selective_scan_bf16_[0-9a-f]+]]"
// ARCH-LABEL: func.func @same_specialisation(
// ARCH: mamba.selective_scan
// ARCH-NOT: [[K90]]
// ARCH: return
func.func @same_specialisation(%u: tensor<?x1536x?xbf16>, %v: tensor<?x1536x?xbf16>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xbf16>) -> (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>) {
  %y0 = mamba.selective_scan %u, %u, %A, %B, %B {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  %y1 = mamba.selective_scan %v, %v, %A, %B, %B {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> loc("layers.3.mixer")
  %y2 = mamba.selective_scan %u, %v, %A, %B, %B {kernel = "mamba_selective_scan_bf16_stale", launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %y0, %y1, %y2 : tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>
}

// -----

// The same op in another function still gets the name of the first case.
// CHECK-LABEL: func.func @same_specialisation_elsewhere
// CHECK: mamba.selective_scan
// CHECK-SAME: kernel = "[[K]]"
func.func @same_specialisation_elsewhere(%w: tensor<?x1536x?xbf16>, %A2: tensor<1536x16xf32>, %B2: tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16> {
  %r = mamba.selective_scan %w, %w, %A2, %B2, %B2 {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  return %r : tensor<?x1536x?xbf16>
}

// -----

// Each op differs from the first case in one specialisation, so none gets
// its name [[K]].
// CHECK-LABEL: func.func @different_specialisations
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: mamba.selective_scan
// CHECK-NOT: [[K]]
// CHECK: return
// Ops in order: an optional operand (D), a unit attribute (delta_softplus), the tile, the launch alone, a static channel count (768), a static batch (2), an optional result (last_state), a constant C (rank 2, f32).
func.func @different_specialisations(%u: tensor<?x1536x?xbf16>, %u2: tensor<?x768x?xbf16>, %uB: tensor<2x1536x?xbf16>, %A: tensor<1536x16xf32>, %A2: tensor<768x16xf32>, %B: tensor<?x1x16x?xbf16>, %BB: tensor<2x1x16x?xbf16>, %D: tensor<1536xf32>) -> (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x768x?xbf16>, tensor<2x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>) {
  %y0 = mamba.selective_scan %u, %u, %A, %B, %B D(%D) {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>, tensor<1536xf32>) -> tensor<?x1536x?xbf16>
  %y1 = mamba.selective_scan %u, %u, %A, %B, %B {delta_softplus, launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  %y2 = mamba.selective_scan %u, %u, %A, %B, %B {launch = #mamba.launch<grid = [384, ?, 1], block = [64, 1, 1], smem = 49408, regs = 168>, tile = #mamba.tile<warps = 2, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  %y3 = mamba.selective_scan %u, %u, %A, %B, %B {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 128>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x1536x?xbf16>
  %y4 = mamba.selective_scan %u2, %u2, %A2, %B, %B {launch = #mamba.launch<grid = [96, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x768x?xbf16>, tensor<?x768x?xbf16>, tensor<768x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> tensor<?x768x?xbf16>
  %y5 = mamba.selective_scan %uB, %uB, %A, %BB, %BB {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<2x1536x?xbf16>, tensor<2x1536x?xbf16>, tensor<1536x16xf32>, tensor<2x1x16x?xbf16>, tensor<2x1x16x?xbf16>) -> tensor<2x1536x?xbf16>
  %y6, %s6 = mamba.selective_scan %u, %u, %A, %B, %B {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<?x1x16x?xbf16>) -> (tensor<?x1536x?xbf16>, tensor<?x1536x16xf32>)
  %y7 = mamba.selective_scan %u, %u, %A, %B, %A {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<1536x16xf32>, tensor<?x1x16x?xbf16>, tensor<1536x16xf32>) -> tensor<?x1536x?xbf16>
  return %y0, %y1, %y2, %y3, %y4, %y5, %y6, %y7 : tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x768x?xbf16>, tensor<2x1536x?xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536x?xbf16>
}

// -----

// The dtype in the name is the activation type: f32 here.
// CHECK-LABEL: func.func @dtype_f32
// CHECK: mamba.selective_scan
// CHECK-SAME: kernel = "{{mamba_selective_scan_f32_[0-9a-f]+}}"
func.func @dtype_f32(%u: tensor<?x1536x?xf32>, %A: tensor<1536x16xf32>, %B: tensor<?x1x16x?xf32>) -> tensor<?x1536x?xf32> {
  %y = mamba.selective_scan %u, %u, %A, %B, %B {launch = #mamba.launch<grid = [192, ?, 1], block = [128, 1, 1], smem = 49664, regs = 168>, tile = #mamba.tile<warps = 4, channels_per_warp = 2, items = 8, n_tile = 16>} : (tensor<?x1536x?xf32>, tensor<?x1536x?xf32>, tensor<1536x16xf32>, tensor<?x1x16x?xf32>, tensor<?x1x16x?xf32>) -> tensor<?x1536x?xf32>
  return %y : tensor<?x1536x?xf32>
}

// -----

// Every kernel op gets `mamba_<op>_<dtype>_<hash>` with the dtype of its
// activations: x for selective_state_update (its state is f32), the table
// for embedding (its ids are i32).
// CHECK-LABEL: func.func @every_kernel_op
// CHECK: mamba.ssd 
// CHECK-SAME: kernel = "{{mamba_ssd_bf16_[0-9a-f]+}}"
// CHECK: mamba.causal_conv1d 
// CHECK-SAME: kernel = "{{mamba_causal_conv1d_bf16_[0-9a-f]+}}"
// CHECK: mamba.causal_conv1d_update 
// CHECK-SAME: kernel = "{{mamba_causal_conv1d_update_f16_[0-9a-f]+}}"
// CHECK: mamba.selective_state_update 
// CHECK-SAME: kernel = "{{mamba_selective_state_update_bf16_[0-9a-f]+}}"
// CHECK: mamba.rms_norm 
// CHECK-SAME: kernel = "{{mamba_rms_norm_f16_[0-9a-f]+}}"
// CHECK: mamba.gated_rms_norm 
// CHECK-SAME: kernel = "{{mamba_gated_rms_norm_bf16_[0-9a-f]+}}"
// CHECK: mamba.embedding 
// CHECK-SAME: kernel = "{{mamba_embedding_bf16_[0-9a-f]+}}"
// CHECK: mamba.silu 
// CHECK-SAME: kernel = "{{mamba_silu_bf16_[0-9a-f]+}}"
// CHECK: mamba.softplus 
// CHECK-SAME: kernel = "{{mamba_softplus_f32_[0-9a-f]+}}"
// CHECK: mamba.channel_mul 
// CHECK-SAME: kernel = "{{mamba_channel_mul_f32_[0-9a-f]+}}"
// CHECK: mamba.channel_add 
// CHECK-SAME: kernel = "{{mamba_channel_add_f32_[0-9a-f]+}}"
func.func @every_kernel_op(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>, %xc: tensor<?x1536x?xbf16>, %wc: tensor<1536x4xbf16>, %xu: tensor<?x1536xf16>, %su: tensor<?x1536x4xf16>, %wu: tensor<1536x4xf16>, %st: tensor<?x24x64x128xf32>, %xs: tensor<?x24x64xbf16>, %ds: tensor<?x24xbf16>, %BCs: tensor<?x1x128xbf16>, %xr: tensor<?x768xf16>, %wr: tensor<768xf16>, %rr: tensor<?x768xf32>, %xg: tensor<?x1536xbf16>, %wg: tensor<1536xbf16>, %ids: tensor<?x?xi32>, %tab: tensor<50280x768xbf16>, %xe: tensor<?x?x24xf32>, %be: tensor<24xf32>) -> (tensor<1x?x24x64xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536xf16>, tensor<?x24x64xbf16>, tensor<?x768xf16>, tensor<?x1536xbf16>, tensor<?x?x768xbf16>, tensor<?x1536xbf16>, tensor<?x?x24xf32>, tensor<?x?x24xf32>, tensor<?x?x24xf32>) {
  %a = mamba.ssd %x, %dt, %A, %BC, %BC {launch = #mamba.launch<grid = [48, ?, 1], block = [128, 1, 1], smem = 58368, regs = 255>, tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  %b = mamba.causal_conv1d %xc, %wc {activation = #mamba<activation silu>, launch = #mamba.launch<grid = [?, 384, ?], block = [128, 1, 1], smem = 5180, regs = 128>, tile = #mamba.tile<l_tile = 256, c_tile = 4, threads = 128>} : (tensor<?x1536x?xbf16>, tensor<1536x4xbf16>) -> tensor<?x1536x?xbf16>
  %c, %c1 = mamba.causal_conv1d_update %xu, %su, %wu {launch = #mamba.launch<grid = [12, ?, 1], block = [128, 1, 1], smem = 0, regs = 128>, tile = #mamba.tile<threads = 128>} : (tensor<?x1536xf16>, tensor<?x1536x4xf16>, tensor<1536x4xf16>) -> (tensor<?x1536xf16>, tensor<?x1536x4xf16>)
  %d, %d1 = mamba.selective_state_update %st, %xs, %ds, %A, %BCs, %BCs {launch = #mamba.launch<grid = [384, ?, 1], block = [128, 1, 1], smem = 0, regs = 128>, tile = #mamba.tile<lanes_per_row = 32, warps = 4>} : (tensor<?x24x64x128xf32>, tensor<?x24x64xbf16>, tensor<?x24xbf16>, tensor<24xf32>, tensor<?x1x128xbf16>, tensor<?x1x128xbf16>) -> (tensor<?x24x64xbf16>, tensor<?x24x64x128xf32>)
  %e, %e1 = mamba.rms_norm %xr, %wr residual(%rr) {launch = #mamba.launch<grid = [?, 1, 1], block = [96, 1, 1], smem = 0, regs = 64>, tile = #mamba.tile<threads = 96, items = 8>} : (tensor<?x768xf16>, tensor<768xf16>, tensor<?x768xf32>) -> (tensor<?x768xf16>, tensor<?x768xf32>)
  %f = mamba.gated_rms_norm %xg, %wg z(%xg) {launch = #mamba.launch<grid = [?, 1, 1], block = [192, 1, 1], smem = 0, regs = 64>, tile = #mamba.tile<threads = 192, items = 8>} : (tensor<?x1536xbf16>, tensor<1536xbf16>, tensor<?x1536xbf16>) -> tensor<?x1536xbf16>
  %g = mamba.embedding %ids, %tab {launch = #mamba.launch<grid = [?, 1, 1], block = [128, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 128, items = 8>} : (tensor<?x?xi32>, tensor<50280x768xbf16>) -> tensor<?x?x768xbf16>
  %h = mamba.silu %xg {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x1536xbf16>
  %i = mamba.softplus %xe {launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : tensor<?x?x24xf32>
  %j = mamba.channel_mul %xe, %be {dim = 2 : i64, launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : (tensor<?x?x24xf32>, tensor<24xf32>) -> tensor<?x?x24xf32>
  %k = mamba.channel_add %xe, %be {dim = 2 : i64, launch = #mamba.launch<grid = [?, 1, 1], block = [256, 1, 1], smem = 0, regs = 32>, tile = #mamba.tile<threads = 256, items = 8>} : (tensor<?x?x24xf32>, tensor<24xf32>) -> tensor<?x?x24xf32>
  return %a, %b, %c, %d, %e, %f, %g, %h, %i, %j, %k : tensor<1x?x24x64xbf16>, tensor<?x1536x?xbf16>, tensor<?x1536xf16>, tensor<?x24x64xbf16>, tensor<?x768xf16>, tensor<?x1536xbf16>, tensor<?x?x768xbf16>, tensor<?x1536xbf16>, tensor<?x?x24xf32>, tensor<?x?x24xf32>, tensor<?x?x24xf32>
}

// -----

// The ssd's stages are part of its tile, so of its name: one and two stages
// of the same op are two kernels.
// CHECK-LABEL: func.func @ssd_stages
// CHECK: mamba.ssd
// CHECK-SAME: kernel = "[[S1:mamba_ssd_bf16_[0-9a-f]+]]"
// CHECK: mamba.ssd
// CHECK-NOT: [[S1]]
// CHECK: return
func.func @ssd_stages(%x: tensor<1x?x24x64xbf16>, %dt: tensor<1x?x24xbf16>, %A: tensor<24xf32>, %BC: tensor<1x?x1x128xbf16>) -> (tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>) {
  %a = mamba.ssd %x, %dt, %A, %BC, %BC {launch = #mamba.launch<grid = [48, ?, 1], block = [128, 1, 1], smem = 58368, regs = 255>, tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 1, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  %b = mamba.ssd %x, %dt, %A, %BC, %BC {launch = #mamba.launch<grid = [48, ?, 1], block = [128, 1, 1], smem = 98816, regs = 255>, tile = #mamba.tile<chunk = 64, p_tile = 32, warps = 4, stages = 2, segments = 1>} : (tensor<1x?x24x64xbf16>, tensor<1x?x24xbf16>, tensor<24xf32>, tensor<1x?x1x128xbf16>, tensor<1x?x1x128xbf16>) -> tensor<1x?x24x64xbf16>
  return %a, %b : tensor<1x?x24x64xbf16>, tensor<1x?x24x64xbf16>
}

// -----

// mamba.linear is a library call: it gets `library`, no kernel name, and
// needs no plan. Ops of other dialects are left alone.
// CHECK-LABEL: func.func @library_call
// CHECK: mamba.linear
// CHECK-SAME: library = "cublas"
// CHECK-NOT: kernel
// CHECK: arith.addf
// CHECK-NOT: kernel
// CHECK: return
func.func @library_call(%x: tensor<?x768xf16>, %w: tensor<1536x768xf16>, %r: tensor<?x1536xf16>) -> tensor<?x1536xf16> {
  %y = mamba.linear %x, %w : (tensor<?x768xf16>, tensor<1536x768xf16>) -> tensor<?x1536xf16>
  %z = arith.addf %y, %r : tensor<?x1536xf16>
  return %z : tensor<?x1536xf16>
}

