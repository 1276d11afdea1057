//===- CpuKernels.h - reference kernels of every mamba op -------*- C++ -*-===//
//
// The CPU backend: straightforward f32 implementations of every op of the
// mamba dialect (math in ../shared/docs/mamba-reference.md section 1), with
// f64 accumulation where long sums make f32 drift (norm statistics, GEMM dot
// products, the scan output sum over d_state). They run the models on machines
// without a GPU and are the oracle of every GPU test.
//
// Conventions:
// - Every tensor argument is an f32 view: a base pointer plus element strides
//   for each dim in the order the comment gives, so slices of a larger buffer
//   (for example the parts of Mamba-2's in_proj output) need no copies.
// - Optional operands are views with data == nullptr.
// - Outputs are written in f32; the caller rounds them to the activation type
//   when it emulates fp16/bf16 execution.
// - Shapes are validated by the caller (the dialect verifier or the model
//   loader); these functions assert only what would otherwise corrupt memory.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_CPU_CPUKERNELS_H
#define MAMBA_RUNTIME_CPU_CPUKERNELS_H

#include <cstdint>
#include <limits>
#include <string>

namespace mamba {
namespace cpu {

/// A strided f32 view of up to 4 dims. Strides are in elements.
struct View {
  float *data = nullptr;
  int64_t stride[4] = {0, 0, 0, 0};

  View() = default;
  View(float *d, int64_t s0 = 0, int64_t s1 = 0, int64_t s2 = 0, int64_t s3 = 0)
      : data(d), stride{s0, s1, s2, s3} {}
  explicit operator bool() const { return data != nullptr; }
  float &at(int64_t i) const { return data[i * stride[0]]; }
  float &at(int64_t i, int64_t j) const {
    return data[i * stride[0] + j * stride[1]];
  }
  float &at(int64_t i, int64_t j, int64_t k) const {
    return data[i * stride[0] + j * stride[1] + k * stride[2]];
  }
  float &at(int64_t i, int64_t j, int64_t k, int64_t l) const {
    return data[i * stride[0] + j * stride[1] + k * stride[2] + l * stride[3]];
  }
};

/// An i32 view (seq_idx, state indices), same conventions.
struct IndexView {
  const int32_t *data = nullptr;
  int64_t stride[2] = {0, 0};
  explicit operator bool() const { return data != nullptr; }
  int32_t at(int64_t i) const { return data[i * stride[0]]; }
  int32_t at(int64_t i, int64_t j) const {
    return data[i * stride[0] + j * stride[1]];
  }
};

float softplus(float x);
float silu(float x);

/// The packed ("varlen") form of causal_conv1d, selective_scan and ssd:
/// with `cuSeqlens` (numSeqs + 1 offsets), the one batch row holds numSeqs
/// sequences packed along L, sequence s at positions [cu[s], cu[s+1]). Each
/// is computed exactly as a batch of one would be, from state row s of the
/// initial states and into row s of the final states.
struct Packed {
  IndexView cuSeqlens; // (S+1), optional
  int64_t numSeqs = 0; // S
  explicit operator bool() const { return bool(cuSeqlens); }
  int64_t start(int64_t s) const { return cuSeqlens.at(s); }
  int64_t length(int64_t s) const {
    return cuSeqlens.at(s + 1) - cuSeqlens.at(s);
  }
};
/// "" when `p` is a valid packing of `seqlen` positions (starts at 0, does
/// not decrease, ends at seqlen), else the rule it breaks.
std::string checkPacked(const Packed &p, int64_t seqlen);

// --- causal_conv1d ---------------------------------------------------------
struct CausalConv1dArgs {
  int64_t batch, channels, seqlen, width;
  bool silu = false;
  View x;             // (Bt, D, L) in the index order b, d, t (any layout)
  View weight;        // (D, W)
  View bias;          // (D), optional
  View initialStates; // (Bt, D, W-1), optional
  IndexView seqIdx;   // (Bt, L), optional
  Packed packed;      // Bt = 1, states (S, D, W-1); optional
  View out;           // (Bt, D, L) in the index order b, d, t
  View finalStates;   // (Bt, D, W-1), optional output
};
/// Inputs at negative positions t-(W-1)+w < 0 are initialStates[b, d,
/// W-1+pos] (0 when absent). With seqIdx, a term is kept only when its
/// position has the label of t (positions < 0 have label -1), and a token
/// with a negative label outputs exactly 0. finalStates holds the last W-1
/// raw inputs, the older ones from initialStates (or 0) when L < W-1; it
/// may alias initialStates.
void causalConv1d(const CausalConv1dArgs &a);

// --- causal_conv1d_update --------------------------------------------------
struct CausalConv1dUpdateArgs {
  int64_t batch, channels, width, stateLen; // stateLen = K >= W-1
  bool silu = false;
  View x;                 // (Bt, D)
  View convState;         // (S, D, K), updated in place
  View weight;            // (D, W)
  View bias;              // (D), optional
  IndexView stateIndices; // (Bt), optional; negative = padding row
  View out;               // (Bt, D)
};
void causalConv1dUpdate(const CausalConv1dUpdateArgs &a);

// --- selective_scan (Mamba-1) ----------------------------------------------
struct SelectiveScanArgs {
  int64_t batch, channels, seqlen, dstate;
  int64_t groupsB = 1, groupsC = 1; // groups of per-token B / C
  bool variableB = true, variableC = true;
  bool deltaSoftplus = false;
  View u, delta;     // (Bt, D, L)
  View A;            // (D, N)
  View B, C;         // variable: (Bt, G, N, L); constant: (D, N) in dims 0, 1
  View D;            // (D), optional
  View z;            // (Bt, D, L), optional
  View deltaBias;    // (D), optional
  View initialState; // (Bt, D, N), optional
  Packed packed;     // Bt = 1, states (S, D, N); optional
  View out;          // (Bt, D, L)
  View lastState;    // (Bt, D, N), optional output
};
void selectiveScan(const SelectiveScanArgs &a);

// --- selective_state_update (decode) ---------------------------------------
// One form covers both: Mamba-1 is heads = 1, headdim = D with per-channel
// A (1, D, N) and dt (Bt, 1, D); Mamba-2 is the tied head form with A (H)
// and dt (Bt, H). `tiedHead` selects the form. Channel c = h*P + p reads
// group c / (H*P/G), which is h / (H/G) when G divides H.
// dt' = clamp(softplus?(dt + dtBias), dtMin, dtMax); the clamp applies even
// with the default limits, so dt' >= 0 (as in ssd).
struct SelectiveStateUpdateArgs {
  int64_t batch, heads, headdim, dstate, groups;
  bool tiedHead = false;
  bool dtSoftplus = false;
  float dtMin = 0.0f, dtMax = std::numeric_limits<float>::infinity();
  View state;             // (S, H, P, N), updated in place
  View x;                 // (Bt, H, P)
  View dt;                // tied: (Bt, H); else (Bt, H, P)
  View A;                 // tied: (H); else (H, P, N)
  View B, C;              // (Bt, G, N)
  View D;                 // (H, P) (stride 0 on P for a per-head D), optional
  View z;                 // (Bt, H, P), optional
  View dtBias;            // tied: (H); else (H, P); optional
  IndexView stateIndices; // (Bt), optional; negative = padding row
  View out;               // (Bt, H, P)
};
void selectiveStateUpdate(const SelectiveStateUpdateArgs &a);

// --- ssd (Mamba-2) ---------------------------------------------------------
// Computed by the exact sequential recurrence (not chunked): the oracle.
// dt' = clamp(softplus?(dt + dtBias), dtMin, dtMax), the clamp applied even
// with the default limits as in Triton's chunk cumsum.
//
// seqIdx labels packed sequences, each a contiguous run of one label:
// - the state is reset to 0 whenever the label differs from the previous
//   token's; the label before the first token is 0, so initialStates are
//   used only when the first token's label is 0;
// - a token with a negative label (padding) is a sequence of its own: its
//   output is computed from a zero state, and it leaves a zero state behind
//   (finalStates is 0 when the last token is padding). Triton's chunked
//   kernels differ only in letting two padding tokens of one chunk see each
//   other, and in applying initialStates to a label-0 run that follows
//   leading padding inside the first chunk.
struct SsdArgs {
  int64_t batch, seqlen, heads, headdim, groups, dstate;
  bool dtSoftplus = false;
  float dtMin = 0.0f, dtMax = std::numeric_limits<float>::infinity();
  View x;             // (Bt, L, H, P)
  View dt;            // (Bt, L, H)
  View A;             // (H)
  View B, C;          // (Bt, L, G, N)
  View D;             // (H, P) (stride 0 on P for a per-head D), optional
  View z;             // (Bt, L, H, P), optional
  View dtBias;        // (H), optional
  View initialStates; // (Bt, H, P, N), optional
  IndexView seqIdx;   // (Bt, L), optional
  Packed packed;      // Bt = 1, states (S, H, P, N); optional
  View out;           // (Bt, L, H, P)
  View finalStates;   // (Bt, H, P, N), optional output
};
void ssd(const SsdArgs &a);

// --- norms -----------------------------------------------------------------
struct RmsNormArgs {
  int64_t rows, cols;
  float eps = 1e-5f;
  View x;           // (rows, cols)
  View weight;      // (cols)
  View residual;    // (rows, cols), optional
  View y;           // (rows, cols) (may alias x)
  View residualOut; // (rows, cols), optional output (may alias residual)
};
void rmsNorm(const RmsNormArgs &a);

struct GatedRmsNormArgs {
  int64_t rows, cols, groupSize; // groupSize divides cols
  float eps = 1e-5f;
  bool normBeforeGate = false;
  View x;      // (rows, cols)
  View z;      // (rows, cols), optional
  View weight; // (cols)
  View y;      // (rows, cols) (may alias x or z)
};
void gatedRmsNorm(const GatedRmsNormArgs &a);

// --- graph ops -------------------------------------------------------------
/// y[r, m] = sum_k x[r, k] * w[m, k] (+ bias[m]) (+ residual[r, m]).
/// When x, weight and y are each unit-stride along one dim (rows contiguous,
/// or columns contiguous as in a channel-first activation), OpenBLAS sgemm
/// runs it; other layouts use a loop with f64 dot products. The residual may
/// alias y.
struct LinearArgs {
  int64_t rows, in, out;
  View x;        // (rows, in)
  View weight;   // (out, in)
  View bias;     // (out), optional
  View residual; // (rows, out), optional
  View y;        // (rows, out)
};
void linear(const LinearArgs &a);

/// ids[r] = the column of the largest x[r, c], c < cols. NaN ranks below
/// every number, ties go to the lower column, a row of NaNs gives 0.
void argmax(int64_t rows, int64_t cols, View x, int32_t *ids);

/// out[r, :] = table[ids[r], :]. Returns false (and writes nothing for that
/// row) when an id is outside [0, vocab).
bool embedding(const int64_t *ids, int64_t rows, View table, int64_t vocab,
               int64_t dim, View out);

} // namespace cpu
} // namespace mamba

#endif // MAMBA_RUNTIME_CPU_CPUKERNELS_H
