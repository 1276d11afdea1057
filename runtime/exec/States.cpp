//===- States.cpp - state files and the prefix-state cache ----------------===//
//
// The file format is documented at saveStateFile in runtime/Mamba.h.
//
//===----------------------------------------------------------------------===//

#include "runtime/Mamba.h"

#include "runtime/model/JsonUtil.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <list>
#include <map>
#include <mutex>
#include <sstream>

using namespace mamba;

namespace {

constexpr char kMagic[8] = {'M', 'A', 'M', 'B', 'A', 'S', 'T', '1'};

/// The header fields a state file must share with the model, in file order.
std::vector<std::pair<std::string, Json>> modelFields(const Model &model) {
  const ModelConfig &c = model.config();
  DType conv = model.device() == Device::Cuda ? model.dtype() : DType::F32;
  bool m2 = c.arch == Arch::Mamba2;
  return {{"arch", archName(c.arch)},
          {"d_model", c.dModel},
          {"n_layer", c.nLayer},
          {"d_inner", c.dInner},
          {"d_state", c.dState},
          {"d_conv", c.dConv},
          {"conv_dim", c.convDim()},
          {"nheads", m2 ? c.nheads : 0},
          {"headdim", m2 ? c.headdim : 0},
          {"conv_dtype", dtypeName(conv)},
          {"ssm_dtype", dtypeName(model.stateDType())}};
}

/// Bytes of one sequence's state (conv + SSM, every layer).
size_t rowBytes(const Model &model) {
  const ModelConfig &c = model.config();
  DType conv = model.device() == Device::Cuda ? model.dtype() : DType::F32;
  int64_t ssm = c.arch == Arch::Mamba1 ? c.dInner * c.dState
                                       : c.nheads * c.headdim * c.dState;
  return size_t(c.nLayer) *
         (size_t(c.convDim() * (c.dConv - 1)) * dtypeSize(conv) +
          size_t(ssm) * dtypeSize(model.stateDType()));
}

bool startsWith(const std::vector<int32_t> &tokens,
                const std::vector<int32_t> &prefix) {
  return prefix.size() <= tokens.size() &&
         std::equal(prefix.begin(), prefix.end(), tokens.begin());
}

} // namespace

Status mamba::saveStateFile(const std::string &path, const Model &model,
                            const StateFile &file) {
  if (file.state.batch < 1 ||
      file.state.bytes.size() != size_t(file.state.batch) * rowBytes(model))
    return Error("saving " + path + ": the state (" +
                 std::to_string(file.state.bytes.size()) + " bytes, batch " +
                 std::to_string(file.state.batch) + ") is not of this model");
  Json header = Json::object();
  header["format"] = "mamba-jit state";
  for (auto &[name, value] : modelFields(model))
    header[name] = value;
  header["batch"] = file.state.batch;
  header["state_bytes"] = file.state.bytes.size();
  header["tokens"] = file.tokens;
  std::string text = header.dump();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return Error("cannot write the state file " + path + ": " +
                 std::strerror(errno));
  uint8_t len[8];
  for (int i = 0; i < 8; ++i)
    len[i] = uint8_t(uint64_t(text.size()) >> (8 * i));
  out.write(kMagic, 8);
  out.write(reinterpret_cast<const char *>(len), 8);
  out.write(text.data(), std::streamsize(text.size()));
  out.write(reinterpret_cast<const char *>(file.state.bytes.data()),
            std::streamsize(file.state.bytes.size()));
  if (!out.flush())
    return Error("writing the state file " + path +
                 " failed: " + std::strerror(errno));
  return Status::success();
}

Result<StateFile> mamba::loadStateFile(const std::string &path,
                                       const Model &model) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error("cannot open the state file " + path + ": " +
                 std::strerror(errno));
  std::stringstream buf;
  buf << in.rdbuf();
  std::string data = buf.str();
  auto bad = [&](const std::string &why) { return Error(path + ": " + why); };
  if (data.size() < 16 || std::memcmp(data.data(), kMagic, 8) != 0)
    return bad("not a mamba-jit state file (it must start with \"MAMBAST1\")");
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i)
    h |= uint64_t(uint8_t(data[8 + i])) << (8 * i);
  if (h > data.size() - 16)
    return bad("the header length (" + std::to_string(h) +
               " bytes) runs past the end of the file (" +
               std::to_string(data.size()) + " bytes)");
  Result<Json> header = parseJson(data.substr(16, h), path, 16);
  if (!header.ok())
    return Error(header.error());
  if (!header->is_object())
    return bad("the header is " + jsonTypeName(*header) + ", not an object");
  for (auto &[name, want] : modelFields(model)) {
    if (!header->contains(name))
      return bad("the header has no field '" + name + "'");
    const Json &got = (*header)[name];
    if (got != want)
      return bad("field '" + name + "' is " + got.dump() + ", this model has " +
                 want.dump() + " (the state is from another model or device)");
  }
  StateFile file;
  std::optional<int64_t> batch =
      header->contains("batch") ? jsonInt((*header)["batch"]) : std::nullopt;
  if (!batch || *batch < 1)
    return bad("field 'batch' must be an integer >= 1");
  const size_t row = rowBytes(model), have = data.size() - 16 - h;
  if (size_t(*batch) > have / row)
    return bad("field 'batch' is " + std::to_string(*batch) +
               ", but the file holds " + std::to_string(have) +
               " bytes after the header: the state of at most " +
               std::to_string(have / row) + " rows of this model");
  std::optional<int64_t> bytes = header->contains("state_bytes")
                                     ? jsonInt((*header)["state_bytes"])
                                     : std::nullopt;
  size_t want = size_t(*batch) * row;
  if (!bytes || size_t(*bytes) != want)
    return bad("field 'state_bytes' must be " + std::to_string(want) +
               " for batch " + std::to_string(*batch) + " of this model");
  if (have != want)
    return bad("the state has " + std::to_string(have) +
               " bytes after the header, field 'state_bytes' says " +
               std::to_string(want));
  if (!header->contains("tokens") || !(*header)["tokens"].is_array())
    return bad("field 'tokens' must be a list of token ids");
  for (const Json &t : (*header)["tokens"]) {
    std::optional<int64_t> id = jsonInt(t);
    if (!id || *id < 0 || *id >= model.vocabSize())
      return bad("field 'tokens' holds " + t.dump() +
                 ", not a token id of this model's vocabulary [0, " +
                 std::to_string(model.vocabSize()) + ")");
    file.tokens.push_back(int32_t(*id));
  }
  file.state.batch = *batch;
  file.state.bytes.assign(data.begin() + 16 + h, data.end());
  return file;
}

//===----------------------------------------------------------------------===//
// PrefixCache
//===----------------------------------------------------------------------===//

Status CachedPrefix::restoreInto(Session &session, int64_t row) const {
  return snapshot ? session.restore(row, *snapshot)
                  : session.restoreState(row, state);
}

struct PrefixCache::Impl {
  struct Entry {
    std::vector<int32_t> tokens;
    SessionState host;                             // host tier
    std::shared_ptr<const StateSnapshot> snapshot; // device tier
    bool restored = false;                         // a lookup has returned it
  };
  size_t hostMax, deviceMax;
  int64_t block;
  mutable std::mutex mutex;
  std::list<Entry> lru; // most recently used first
  size_t hostBytes = 0, deviceBytes = 0;
  int64_t hits = 0, saved = 0;

  void erase(std::list<Entry>::iterator it) {
    if (it->snapshot)
      deviceBytes -= it->snapshot->bytes();
    else
      hostBytes -= it->host.bytes.size();
    lru.erase(it);
  }
  void eraseTokens(const std::vector<int32_t> &tokens) {
    for (auto it = lru.begin(); it != lru.end(); ++it)
      if (it->tokens == tokens)
        return erase(it);
  }
  /// The least recently used entry of a tier (lru.end() when none).
  std::list<Entry>::iterator oldest(bool device) {
    for (auto it = lru.end(); it != lru.begin();) {
      --it;
      if (bool(it->snapshot) == device)
        return it;
    }
    return lru.end();
  }
  void evictHostTo(size_t budget) {
    while (hostBytes > budget) {
      auto it = oldest(false);
      if (it == lru.end())
        return;
      erase(it);
    }
  }
  /// Moves the oldest snapshots to the host tier until the device tier
  /// fits. A snapshot that no lookup has returned yet (a boundary of a
  /// prompt nothing shared), or one over a quarter of the host tier, or one
  /// whose copy fails, is dropped instead: a spill copies the whole state.
  void evictDeviceTo(size_t budget) {
    while (deviceBytes > budget) {
      auto it = oldest(true);
      if (it == lru.end())
        return;
      size_t size = it->snapshot->bytes();
      Result<SessionState> host =
          it->restored && size <= hostMax / 4
              ? it->snapshot->toHost()
              : Result<SessionState>(Error("not spilled"));
      if (!host.ok()) {
        erase(it);
        continue;
      }
      deviceBytes -= size;
      it->snapshot.reset();
      it->host = host.take();
      hostBytes += size;
      evictHostTo(hostMax);
    }
  }
};

PrefixCache::PrefixCache(size_t hostBytes, int64_t block, size_t deviceBytes)
    : impl_(std::make_unique<Impl>()) {
  impl_->hostMax = hostBytes;
  impl_->deviceMax = deviceBytes;
  impl_->block = std::max<int64_t>(1, block);
}
PrefixCache::~PrefixCache() = default;

void PrefixCache::put(const std::vector<int32_t> &tokens,
                      const SessionState &state) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Impl &c = *impl_;
  c.eraseTokens(tokens);
  if (state.bytes.size() > c.hostMax)
    return;
  c.evictHostTo(c.hostMax - state.bytes.size());
  c.lru.push_front({tokens, state, nullptr});
  c.hostBytes += state.bytes.size();
}

void PrefixCache::put(const std::vector<int32_t> &tokens,
                      std::shared_ptr<const StateSnapshot> snapshot) {
  if (!snapshot)
    return;
  if (snapshot->bytes() > impl_->deviceMax) {
    if (Result<SessionState> host = snapshot->toHost(); host.ok())
      put(tokens, *host);
    return;
  }
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Impl &c = *impl_;
  c.eraseTokens(tokens);
  c.evictDeviceTo(c.deviceMax - snapshot->bytes());
  c.deviceBytes += snapshot->bytes();
  c.lru.push_front({tokens, SessionState(), std::move(snapshot)});
}

CachedPrefix PrefixCache::longestPrefix(const std::vector<int32_t> &tokens,
                                        int64_t maxLength) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Impl &c = *impl_;
  auto best = c.lru.end();
  for (auto it = c.lru.begin(); it != c.lru.end(); ++it)
    if (int64_t(it->tokens.size()) <= maxLength &&
        startsWith(tokens, it->tokens) &&
        (best == c.lru.end() || it->tokens.size() > best->tokens.size()))
      best = it;
  if (best == c.lru.end() || best->tokens.empty())
    return CachedPrefix();
  c.lru.splice(c.lru.begin(), c.lru, best);
  best->restored = true;
  ++c.hits;
  c.saved += int64_t(best->tokens.size());
  return CachedPrefix{int64_t(best->tokens.size()), best->host, best->snapshot};
}

int64_t PrefixCache::block() const { return impl_->block; }
size_t PrefixCache::bytes() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->hostBytes;
}
size_t PrefixCache::deviceBytes() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->deviceBytes;
}
size_t PrefixCache::deviceBudget() const { return impl_->deviceMax; }
size_t PrefixCache::hostBudget() const { return impl_->hostMax; }
size_t PrefixCache::entries() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->lru.size();
}
int64_t PrefixCache::hits() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->hits;
}
int64_t PrefixCache::tokensSaved() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->saved;
}

Result<std::vector<Logits>>
mamba::prefillCached(Session &session, const std::vector<int64_t> &rows,
                     const std::vector<std::vector<int32_t>> &tokens,
                     PrefixCache &cache) {
  if (rows.size() != tokens.size())
    return Error("prefillCached got " + std::to_string(rows.size()) +
                 " rows and " + std::to_string(tokens.size()) + " prompts");
  // Per prompt: where it starts (the restored prefix) and the positions at
  // which its state is cached: the end, and block * 2^k past the prefix,
  // the longest first, while they fill at most half of the first tier.
  const size_t tier =
      cache.deviceBudget() > 0 ? cache.deviceBudget() : cache.hostBudget();
  const size_t perPrompt = std::max<size_t>(
      1, tier / 2 / std::max<size_t>(1, session.rowStateBytes()));
  std::vector<std::vector<int64_t>> cuts(tokens.size());
  for (size_t k = 0; k < tokens.size(); ++k) {
    int64_t n = int64_t(tokens[k].size());
    if (n < 1)
      return Error("prompt #" + std::to_string(k) + " has no tokens");
    CachedPrefix prefix = cache.longestPrefix(tokens[k], n - 1);
    int64_t start = prefix.length;
    if (start > 0)
      MAMBA_TRY(prefix.restoreInto(session, rows[k]));
    else
      MAMBA_TRY(session.resetRows({rows[k]}));
    cuts[k].push_back(start);
    std::vector<int64_t> boundaries;
    for (int64_t b = cache.block(); b < n; b *= 2)
      if (b > start)
        boundaries.push_back(b);
    // The longest boundaries first, within the per-prompt share.
    size_t keep = std::min(boundaries.size(), perPrompt - 1);
    cuts[k].insert(cuts[k].end(), boundaries.end() - keep, boundaries.end());
    cuts[k].push_back(n);
  }
  std::vector<Logits> out(tokens.size());
  // Round r runs the r-th segment of every prompt that has one, as one
  // ragged prefill.
  for (size_t round = 1;; ++round) {
    std::vector<int64_t> roundRows;
    std::vector<std::vector<int32_t>> pieces;
    std::vector<size_t> which;
    for (size_t k = 0; k < tokens.size(); ++k)
      if (round < cuts[k].size()) {
        roundRows.push_back(rows[k]);
        pieces.emplace_back(tokens[k].begin() + cuts[k][round - 1],
                            tokens[k].begin() + cuts[k][round]);
        which.push_back(k);
      }
    if (which.empty())
      break;
    Result<std::vector<Logits>> logits = session.prefillRows(roundRows, pieces);
    if (!logits.ok())
      return Error(logits.error());
    for (size_t j = 0; j < which.size(); ++j) {
      size_t k = which[j];
      std::vector<int32_t> prefix(tokens[k].begin(),
                                  tokens[k].begin() + cuts[k][round]);
      // The device tier when there is one; a snapshot that cannot be
      // allocated (device memory is short) goes to the host tier instead.
      bool cached = false;
      if (cache.deviceBudget() > 0) {
        Result<std::shared_ptr<const StateSnapshot>> snap =
            session.snapshot(rows[k]);
        if ((cached = snap.ok()))
          cache.put(prefix, *snap);
      }
      if (!cached) {
        Result<SessionState> state = session.saveState(rows[k]);
        if (!state.ok())
          return Error(state.error());
        cache.put(prefix, *state);
      }
      if (round + 1 == cuts[k].size())
        out[k] = std::move((*logits)[j]);
    }
  }
  return out;
}
