// RUN: mamba-opt %s --mamba-to-cuda | mamba-translate --mlir-to-cuda | FileCheck %s

// The CUDA text of mamba.argmax, the greedy-decoding head: one block per
// row, the row length a run-time parameter (the runtime passes a view that
// leaves out padded vocabulary rows).

// CHECK-LABEL: // ===== kernel mamba_argmax_f16_
// CHECK: // op:     mamba.argmax
// CHECK: // tile:   #mamba.tile<threads = 1024, items = 8>
// CHECK: // Grid: (rows, 1, 1) Block: (1024, 1, 1), 0 bytes of dynamic shared memory
// CHECK-NEXT: #include "mamba/Argmax.cuh"
// CHECK: struct Config {
// CHECK-NEXT: using input_t = __half;
// CHECK-NEXT: static constexpr int kThreads = 1024;
// CHECK-NEXT: static constexpr int kItems = 8;
// CHECK-NEXT: };
// CHECK: static_assert(mamba::ArgmaxParams::kVersion == 1, "launch parameters changed: update the emitter");
// CHECK: extern "C" __global__ void __launch_bounds__(1024, 1)
// CHECK: mamba::device::argmax<Config>(p);
func.func @greedy(%l: tensor<?x?xf16>) -> tensor<?xi32> {
  %ids = mamba.argmax %l : (tensor<?x?xf16>) -> tensor<?xi32>
  return %ids : tensor<?xi32>
}
