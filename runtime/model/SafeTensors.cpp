//===- SafeTensors.cpp - safetensors checkpoints --------------------------===//

#include "runtime/model/SafeTensors.h"

#include "runtime/model/JsonUtil.h"

#include <algorithm>
#include <set>

namespace mamba {

namespace {

std::optional<DType> parseSafeTensorsDType(const std::string &s) {
  if (s == "F32")
    return DType::F32;
  if (s == "F16")
    return DType::F16;
  if (s == "BF16")
    return DType::BF16;
  return std::nullopt;
}

/// Reads a JSON list of non-negative integers.
std::optional<std::vector<int64_t>> readIntList(const Json &j) {
  if (!j.is_array())
    return std::nullopt;
  std::vector<int64_t> out;
  for (const Json &e : j) {
    std::optional<int64_t> v = jsonInt(e);
    if (!v || *v < 0)
      return std::nullopt;
    out.push_back(*v);
  }
  return out;
}

/// A relative path that stays inside its directory: no leading '/', no ".."
/// component.
bool isPlainRelativePath(const std::string &p) {
  if (p.empty() || p[0] == '/')
    return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos)
      end = p.size();
    if (p.compare(start, end - start, "..") == 0 && end - start == 2)
      return false;
    start = end + 1;
  }
  return true;
}

struct Extent {
  uint64_t begin, end;
  const std::string *name;
};

} // namespace

Result<TensorSet> readSafeTensors(const std::string &path) {
  auto mapped = MappedFile::open(path);
  MAMBA_TRY(mapped);
  const MappedFile &file = **mapped;
  size_t size = file.size();
  if (size < 8)
    return Error(path +
                 ": truncated: a safetensors file starts with an 8-byte "
                 "header length, but the file has " +
                 std::to_string(size) + " bytes");
  uint64_t headerLen = 0;
  for (int i = 7; i >= 0; --i)
    headerLen = (headerLen << 8) | file.data()[i];
  if (headerLen > size - 8)
    return Error(path + ": the header length (" + std::to_string(headerLen) +
                 " bytes) goes beyond the end of the file (" +
                 std::to_string(size) +
                 " bytes): the file is truncated or not safetensors");
  std::string headerText(reinterpret_cast<const char *>(file.data() + 8),
                         size_t(headerLen));
  auto header = parseJson(headerText, path + ": header", 8);
  MAMBA_TRY(header);
  if (!header->is_object())
    return Error(path + ": the header must be a JSON object, not " +
                 jsonTypeName(*header));

  const uint64_t dataStart = 8 + headerLen;
  const uint64_t dataSize = size - dataStart;
  TensorSet set;
  set.files.push_back(*mapped);
  std::vector<Extent> extents;
  for (auto it = header->begin(); it != header->end(); ++it) {
    const std::string &name = it.key();
    const Json &entry = it.value();
    if (name == "__metadata__") {
      if (!entry.is_object())
        return Error(path + ": '__metadata__' must be an object, not " +
                     jsonTypeName(entry));
      for (auto m = entry.begin(); m != entry.end(); ++m)
        if (!m.value().is_string())
          return Error(path + ": '__metadata__." + m.key() +
                       "' must be a string, not " + jsonTypeName(m.value()));
      continue;
    }
    std::string where = path + ": tensor '" + name + "'";
    if (!entry.is_object())
      return Error(where +
                   ": expected an object with dtype, shape and "
                   "data_offsets, not " +
                   jsonTypeName(entry));
    auto dt = entry.find("dtype");
    auto sh = entry.find("shape");
    auto off = entry.find("data_offsets");
    if (dt == entry.end() || sh == entry.end() || off == entry.end())
      return Error(where + ": needs the keys dtype, shape and data_offsets");
    if (!dt->is_string())
      return Error(where + ": dtype must be a string, not " +
                   jsonTypeName(*dt));
    std::optional<DType> dtype = parseSafeTensorsDType(dt->get<std::string>());
    if (!dtype)
      return Error(where + ": has dtype " + dt->get<std::string>() +
                   "; only F32, F16 and BF16 are supported");
    std::optional<std::vector<int64_t>> shape = readIntList(*sh);
    if (!shape)
      return Error(where + ": shape must be a list of non-negative integers");
    std::optional<std::vector<int64_t>> offsets = readIntList(*off);
    if (!offsets || offsets->size() != 2 || (*offsets)[0] > (*offsets)[1])
      return Error(where + ": data_offsets must be [begin, end] with "
                           "0 <= begin <= end");
    auto numel = checkedNumel(*shape, where);
    MAMBA_TRY(numel);
    uint64_t begin = uint64_t((*offsets)[0]), end = uint64_t((*offsets)[1]);
    uint64_t bytes;
    if (__builtin_mul_overflow(uint64_t(*numel), dtypeSize(*dtype), &bytes) ||
        bytes != end - begin)
      return Error(where + ": shape " + formatShape(*shape) + " of " +
                   dtypeName(*dtype) + " needs " +
                   std::to_string(uint64_t(*numel) * dtypeSize(*dtype)) +
                   " bytes, but data_offsets [" + std::to_string(begin) + ", " +
                   std::to_string(end) + "] span " +
                   std::to_string(end - begin));
    if (end > dataSize)
      return Error(where + ": data_offsets [" + std::to_string(begin) + ", " +
                   std::to_string(end) + "] go beyond the end of the data (" +
                   std::to_string(dataSize) +
                   " bytes): the file is truncated or corrupt");
    TensorView view;
    view.dtype = *dtype;
    view.shape = *shape;
    view.strides = contiguousStrides(*shape);
    view.data = file.data() + dataStart + begin;
    view.file = path;
    set.tensors.emplace(name, std::move(view));
    if (begin != end)
      extents.push_back({begin, end, &it.key()});
  }

  std::sort(extents.begin(), extents.end(),
            [](const Extent &a, const Extent &b) { return a.begin < b.begin; });
  for (size_t i = 1; i < extents.size(); ++i)
    if (extents[i].begin < extents[i - 1].end)
      return Error(path + ": tensors '" + *extents[i - 1].name + "' and '" +
                   *extents[i].name + "' overlap in the file");
  return set;
}

Result<TensorSet> readSafeTensorsIndex(const std::string &indexPath) {
  auto text = readTextFile(indexPath);
  MAMBA_TRY(text);
  auto index = parseJson(*text, indexPath);
  MAMBA_TRY(index);
  if (!index->is_object())
    return Error(indexPath + ": expected a JSON object, not " +
                 jsonTypeName(*index));
  auto wm = index->find("weight_map");
  if (wm == index->end() || !wm->is_object())
    return Error(indexPath + ": needs a \"weight_map\" object mapping tensor "
                             "names to shard files");

  std::string dir = ".";
  size_t slash = indexPath.rfind('/');
  if (slash != std::string::npos)
    dir = indexPath.substr(0, slash);

  // Shard name -> its tensors, each shard opened once.
  std::map<std::string, TensorSet> shards;
  TensorSet out;
  for (auto it = wm->begin(); it != wm->end(); ++it) {
    const std::string &name = it.key();
    if (!it.value().is_string())
      return Error(indexPath + ": weight_map entry '" + name +
                   "' must be a file name, not " + jsonTypeName(it.value()));
    const std::string &shard = it.value().get_ref<const std::string &>();
    // Shards live next to the index; a path that leaves the directory is
    // refused rather than followed.
    if (!isPlainRelativePath(shard))
      return Error(indexPath + ": weight_map entry '" + name +
                   "' names the shard \"" + shard +
                   "\", which is not a file next to the index");
    auto found = shards.find(shard);
    if (found == shards.end()) {
      auto set = readSafeTensors(dir + "/" + shard);
      MAMBA_TRY(set);
      found = shards.emplace(shard, set.take()).first;
    }
    auto t = found->second.tensors.find(name);
    if (t == found->second.tensors.end())
      return Error(indexPath + ": the index puts tensor '" + name + "' in " +
                   shard + ", but that shard has no such tensor");
    out.tensors.emplace(name, t->second);
  }
  for (auto &[shard, set] : shards) {
    for (auto &[name, view] : set.tensors) {
      auto listed = wm->find(name);
      if (listed == wm->end() || *listed != shard)
        return Error(dir + "/" + shard + ": holds tensor '" + name +
                     "', which the index " +
                     (listed == wm->end() ? std::string("does not list")
                                          : "puts in another shard"));
    }
    out.files.insert(out.files.end(), set.files.begin(), set.files.end());
  }
  return out;
}

} // namespace mamba
