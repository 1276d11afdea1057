//===- TorchCheckpoint.h - torch.save state dicts ---------------*- C++ -*-===//
//
// Reads pytorch_model.bin as torch.save (zip format, torch >= 1.6) writes a
// state dict: a stored ZIP archive holding `<prefix>/data.pkl` (the pickled
// dict), `<prefix>/data/<key>` (one raw storage per key), `<prefix>/byteorder`
// and `<prefix>/version`. The pickle is interpreted by a small unpickler that
// knows only the opcodes and globals a state dict uses; anything else is an
// error naming the opcode or global, never code execution.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_TORCHCHECKPOINT_H
#define MAMBA_RUNTIME_MODEL_TORCHCHECKPOINT_H

#include "runtime/Result.h"
#include "runtime/model/Tensor.h"

#include <string>

namespace mamba {

/// Reads a torch.save'd flat state dict {name: tensor}. Tensors are views into
/// the mapped archive with their torch strides and storage offsets, so tied or
/// strided tensors share bytes as they did in torch. Only FloatStorage,
/// HalfStorage and BFloat16Storage (f32, f16, bf16) are accepted.
Result<TensorSet> readTorchCheckpoint(const std::string &path);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_TORCHCHECKPOINT_H
