//===- UnpicklerFuzzer.cpp - fuzz the state-dict unpickler ----------------===//
//
// The input is the pickle alone (data.pkl). The harness packs it into a
// torch.save archive with a valid CRC and storages 0 to 15 of 1 KiB each, so
// that mutations reach the unpickler instead of failing the archive's checks.
//
//===----------------------------------------------------------------------===//

#include "test/fuzz/FuzzUtil.h"
#include "test/unit/model/TestWriters.h"

#include "runtime/model/TorchCheckpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mamba::test::ZipWriter zip;
  zip.add("archive/data.pkl",
          std::string(reinterpret_cast<const char *>(data), size));
  zip.add("archive/byteorder", "little");
  for (int i = 0; i < 16; ++i)
    zip.add("archive/data/" + std::to_string(i),
            std::string(1024, char(0x3c + i)));
  zip.add("archive/version", "3\n");
  std::string path =
      mamba::fuzz::writeScratch("pytorch_model.bin", zip.finish(size % 2));
  auto set = mamba::readTorchCheckpoint(path);
  if (!mamba::fuzz::failedNaming(set, path))
    for (const auto &[name, view] : set->tensors) {
      mamba::fuzz::touchView(view);
      if (!mamba::materialize(view, mamba::DType::F32))
        std::abort(); // an accepted view always converts
    }
  return 0;
}
