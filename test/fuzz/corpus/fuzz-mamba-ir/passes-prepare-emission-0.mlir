// mamba-prepare-emission names every planned kernel op
// `mamba_<op>_<dtype>_<hash>`, the hash covering everything the kernel is
// specialised on (static shapes, element types, optional operands,
// attributes, tile, launch, arch) and nothing else (SSA names, locations,
// the function), and marks mamba.linear as a cuBLAS call. The last RUN
// prints the file for sm_90 and then for sm_80: the arch changes the name.

// Two identical ops get one name, whatever their function, location or
// operands; a stale `kernel` is replaced and not hashed.
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
