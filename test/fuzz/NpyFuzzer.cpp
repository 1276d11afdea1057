//===- NpyFuzzer.cpp - fuzz the .npy reader -------------------------------===//
//
// The input is a whole .npy file, read as integers (--input-ids) and as
// floats. An accepted array must hold exactly as many values as its shape.
//
//===----------------------------------------------------------------------===//

#include "test/fuzz/FuzzUtil.h"

#include "runtime/model/Npy.h"

template <typename T> static void checkArray(const T &a) {
  auto n = mamba::checkedNumel(a.shape, "npy");
  if (!n || uint64_t(*n) != a.values.size())
    std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = mamba::fuzz::writeScratch(
      "input.npy",
      std::string_view(reinterpret_cast<const char *>(data), size));
  auto ints = mamba::readNpyInts(path);
  if (!mamba::fuzz::failedNaming(ints, path))
    checkArray(*ints);
  auto floats = mamba::readNpyFloats(path);
  if (!mamba::fuzz::failedNaming(floats, path))
    checkArray(*floats);
  return 0;
}
