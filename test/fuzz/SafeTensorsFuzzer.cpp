//===- SafeTensorsFuzzer.cpp - fuzz the safetensors reader ----------------===//
//
// The input is a whole .safetensors file: header length, JSON header, data.
// Every tensor the reader accepts must lie inside the file and materialize.
//
//===----------------------------------------------------------------------===//

#include "test/fuzz/FuzzUtil.h"

#include "runtime/model/SafeTensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = mamba::fuzz::writeScratch(
      "model.safetensors",
      std::string_view(reinterpret_cast<const char *>(data), size));
  auto set = mamba::readSafeTensors(path);
  if (mamba::fuzz::failedNaming(set, path))
    return 0;
  for (const auto &[name, view] : set->tensors) {
    mamba::fuzz::touchView(view);
    if (view.numel() <= 4096) {
      auto t = mamba::materialize(view, mamba::DType::F32);
      if (!t)
        std::abort(); // an accepted view always converts
    }
  }
  return 0;
}
