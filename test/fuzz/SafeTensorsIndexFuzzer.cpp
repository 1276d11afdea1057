//===- SafeTensorsIndexFuzzer.cpp - fuzz the sharded-checkpoint index -----===//
//
// The input is model.safetensors.index.json, then, after each line
// "--shard--", one shard file, written as shard-1.safetensors,
// shard-2.safetensors, ... next to the index. Shards left over from a
// previous input are removed first, so each input sees only its own. The
// directory is then opened as a checkpoint by WeightStore.
//
//===----------------------------------------------------------------------===//

#include "test/fuzz/FuzzUtil.h"

#include "runtime/model/SafeTensors.h"
#include "runtime/model/WeightStore.h"

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace mamba::fuzz;
  std::vector<std::string_view> parts =
      splitInput(std::string_view(reinterpret_cast<const char *>(data), size),
                 "\n--shard--\n");
  constexpr size_t kMaxShards = 4;
  for (size_t i = 1; i <= kMaxShards; ++i) {
    std::string name = "shard-" + std::to_string(i) + ".safetensors";
    if (i < parts.size())
      writeScratch(name, parts[i]);
    else
      ::unlink((scratchDir() + "/" + name).c_str());
  }
  std::string index = writeScratch("model.safetensors.index.json", parts[0]);
  // Errors name the index or a shard, both in the scratch directory.
  auto set = mamba::readSafeTensorsIndex(index);
  if (failedNaming(set, scratchDir()))
    return 0;
  for (const auto &[name, view] : set->tensors)
    touchView(view);

  // The same directory through WeightStore, which finds the index there and
  // renames transformers' embedding: every tensor it lists converts.
  auto store = mamba::WeightStore::open(scratchDir());
  if (failedNaming(store, scratchDir()))
    return 0;
  for (const auto &[inFile, view] : set->tensors) {
    bool renamed = store->layout() == mamba::WeightLayout::Transformers &&
                   inFile == "backbone.embeddings.weight";
    auto t = store->get(renamed ? "backbone.embedding.weight" : inFile,
                        view.shape, mamba::DType::F32);
    if (!t)
      std::abort(); // a listed tensor of its own shape always converts
  }
  if (!store->checkAllUsed().ok())
    std::abort(); // every tensor was just used
  return 0;
}
