//===- ZipFuzzer.cpp - fuzz the ZIP reader and torch.save archives --------===//
//
// The input is a whole pytorch_model.bin. The central directory is read by
// ZipArchive (every entry's bytes are then read in full, as a CRC), and the
// archive by readTorchCheckpoint, whose tensors must lie inside the file.
//
//===----------------------------------------------------------------------===//

#include "test/fuzz/FuzzUtil.h"

#include "runtime/model/TorchCheckpoint.h"
#include "runtime/model/ZipArchive.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = mamba::fuzz::writeScratch(
      "pytorch_model.bin",
      std::string_view(reinterpret_cast<const char *>(data), size));
  auto file = mamba::MappedFile::open(path);
  if (!file)
    std::abort();
  auto zip = mamba::ZipArchive::open(*file);
  if (!mamba::fuzz::failedNaming(zip, path))
    for (const mamba::ZipEntry &e : zip->entries())
      (void)mamba::crc32(zip->data(e), size_t(e.size));
  auto set = mamba::readTorchCheckpoint(path);
  if (!mamba::fuzz::failedNaming(set, path))
    for (const auto &[name, view] : set->tensors)
      mamba::fuzz::touchView(view);
  return 0;
}
