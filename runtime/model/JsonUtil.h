//===- JsonUtil.h - JSON parsing with located errors ------------*- C++ -*-===//
//
// Internal to runtime/model: config.json, safetensors headers and shard
// indexes are parsed here so that every syntax error names the file, the byte
// offset, the line and the column, and nothing ever throws.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_MODEL_JSONUTIL_H
#define MAMBA_RUNTIME_MODEL_JSONUTIL_H

#include "runtime/Result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace mamba {

using Json = nlohmann::json;

/// Parses `text`. A syntax error names `source` and the byte offset (plus
/// `baseOffset`, where the text sits inside a larger file), line and column.
///
/// Python's json.dumps writes float('inf') as the bare token `Infinity` (HF
/// configs carry `"time_step_limit": [0.0, Infinity]`), which strict JSON
/// refuses; the tokens Infinity, -Infinity and NaN are therefore read as the
/// strings "Infinity", "-Infinity" and "NaN", which jsonNumber() accepts.
Result<Json> parseJson(const std::string &text, const std::string &source,
                       size_t baseOffset = 0);

/// The JSON type of `j` in words ("a string", "an object", ...).
std::string jsonTypeName(const Json &j);

/// A number, or one of the strings parseJson() makes of Infinity/NaN.
std::optional<double> jsonNumber(const Json &j);

/// A JSON integer that fits in int64.
std::optional<int64_t> jsonInt(const Json &j);

} // namespace mamba

#endif // MAMBA_RUNTIME_MODEL_JSONUTIL_H
