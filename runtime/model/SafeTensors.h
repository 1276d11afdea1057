//===- SafeTensors.h - safetensors checkpoints ------------------*- C++ -*-===//
//
// The safetensors format: an 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
// {...}}, then the data, offsets relative to the end of the header. Files are
// mapped; every tensor's extent is checked against the file before any view
// is handed out.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_SAFETENSORS_H
#define MAMBA_RUNTIME_MODEL_SAFETENSORS_H

#include "runtime/Result.h"
#include "runtime/model/Tensor.h"

#include <string>

namespace mamba {

/// Reads one .safetensors file. Only F32, F16 and BF16 tensors are accepted.
Result<TensorSet> readSafeTensors(const std::string &path);

/// Reads a sharded checkpoint through its index (model.safetensors.index.json:
/// {"weight_map": {tensor name: shard file name}}). Shards are resolved next
/// to the index and mapped once each; the index and the shards must agree.
Result<TensorSet> readSafeTensorsIndex(const std::string &indexPath);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_SAFETENSORS_H
