//===- TuningDb.cpp - tuned tiles, persisted per GPU ----------------------===//

#include "passes/TuningDb.h"

#include "llvm/Support/Path.h"

#include "llvm/Support/FileSystem.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sys/file.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::mamba;
using json = nlohmann::ordered_json;

namespace {

constexpr const char *kFormat = "mamba-tuning-db";
constexpr int kVersion = 1;

bool isPlanAttr(StringRef name) {
  return name == "tile" || name == "launch" || name == "kernel" ||
         name == "library" || name == kTileSourceAttr;
}

/// `tensor<?x80x64xbf16>` -> (element type text, dims with -1 for `?`);
/// nullopt for a type that is not a ranked tensor.
std::optional<std::pair<std::string, std::vector<int64_t>>>
splitTensorType(const std::string &text) {
  llvm::StringRef t(text);
  if (!t.consume_front("tensor<") || !t.consume_back(">"))
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef> parts;
  t.split(parts, 'x');
  if (parts.empty())
    return std::nullopt;
  std::vector<int64_t> dims;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int64_t d;
    if (parts[i] == "?")
      dims.push_back(-1);
    else if (!parts[i].getAsInteger(10, d) && d > 0)
      dims.push_back(d);
    else
      return std::nullopt;
  }
  return std::make_pair(parts.back().str(), dims);
}

/// Sum of |log2(a / b)| over the static sizes, or nullopt when the two are
/// not comparable (other element type, rank, or dynamic dims).
std::optional<double> distance(const TuningRecord &a, const TuningRecord &b) {
  if (a.op != b.op || a.attributes != b.attributes ||
      a.operands.size() != b.operands.size())
    return std::nullopt;
  double d = 0;
  for (size_t i = 0; i < a.operands.size(); ++i) {
    if (a.operands[i] == b.operands[i])
      continue;
    auto x = splitTensorType(a.operands[i]), y = splitTensorType(b.operands[i]);
    if (!x || !y || x->first != y->first ||
        x->second.size() != y->second.size())
      return std::nullopt;
    for (size_t k = 0; k < x->second.size(); ++k) {
      int64_t p = x->second[k], q = y->second[k];
      if ((p < 0) != (q < 0))
        return std::nullopt;
      if (p > 0)
        d += std::fabs(std::log2(double(p) / double(q)));
    }
  }
  return d;
}

std::string fail(const std::string &path, const std::string &field,
                 const std::string &rule) {
  return path + ": " + field + ": " + rule;
}

} // namespace

std::string TuningRecord::key() const {
  std::string k = op + "(";
  for (size_t i = 0; i < operands.size(); ++i)
    k += (i ? ", " : "") + operands[i];
  return k + ")" + attributes;
}

std::vector<std::string> TuningDb::shippedDirs() {
  std::vector<std::string> dirs = {MAMBA_SOURCE_TUNING_DIR};
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  if (!exe.empty()) {
    llvm::SmallString<256> dir(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(dir, "..", "share", "mamba-jit", "tuning");
    llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
    dirs.push_back(std::string(dir));
  }
  return dirs;
}

std::string TuningDb::runtimeDefault(const std::string &arch,
                                     const std::string &cacheDir,
                                     const std::string &given) {
  if (!given.empty())
    return given == "off" ? "" : given;
  if (const char *env = std::getenv("MAMBA_TUNING_DB"))
    return std::string(env) == "off" ? "" : std::string(env);
  std::vector<std::string> paths;
  if (!cacheDir.empty())
    paths.push_back(cacheDir + "/tuning-" + arch + ".json");
  for (const std::string &dir : shippedDirs())
    paths.push_back(dir + "/" + arch + ".json");
  for (const std::string &path : paths) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
      return path;
  }
  return "";
}

TuningRecord TuningDb::describe(Operation *op) {
  TuningRecord r;
  r.op = op->getName().getStringRef().str();
  for (Value v : op->getOperands()) {
    std::string s;
    llvm::raw_string_ostream os(s);
    v.getType().print(os);
    r.operands.push_back(os.str());
  }
  std::string attrs;
  llvm::raw_string_ostream os(attrs);
  bool first = true;
  for (NamedAttribute a : op->getAttrs()) {
    if (isPlanAttr(a.getName().getValue()))
      continue;
    os << (first ? "" : ", ") << a.getName().getValue();
    if (!llvm::isa<UnitAttr>(a.getValue()))
      os << " = " << a.getValue();
    first = false;
  }
  r.attributes = first ? "" : "{" + os.str() + "}";
  return r;
}

FailureOr<std::shared_ptr<const TuningDb>>
TuningDb::load(const std::string &path, std::string &error) {
  std::ifstream in(path);
  if (!in) {
    error = path + ": cannot open the tuning database";
    return failure();
  }
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    error = path + ": not valid JSON";
    return failure();
  }
  if (!doc.is_object() || !doc.contains("format") || doc["format"] != kFormat) {
    error = fail(path, "format", std::string("expected \"") + kFormat + "\"");
    return failure();
  }
  if (!doc.contains("version") || doc["version"] != kVersion) {
    error = fail(path, "version", "expected " + std::to_string(kVersion));
    return failure();
  }
  auto db = std::make_shared<TuningDb>();
  if (!doc.contains("gpu") || !doc["gpu"].is_object() ||
      !doc["gpu"].contains("arch") || !doc["gpu"]["arch"].is_string()) {
    error = fail(path, "gpu.arch", "expected a string such as \"sm_90\"");
    return failure();
  }
  db->arch_ = doc["gpu"]["arch"];
  db->gpuJson_ = doc["gpu"].dump();
  if (!doc.contains("records") || !doc["records"].is_array()) {
    error = fail(path, "records", "expected an array");
    return failure();
  }
  size_t i = 0;
  for (const json &j : doc["records"]) {
    std::string at = "records[" + std::to_string(i++) + "]";
    TuningRecord r;
    if (!j.is_object() || !j.contains("op") || !j["op"].is_string()) {
      error = fail(path, at + ".op", "expected the op name as a string");
      return failure();
    }
    r.op = j["op"];
    if (!j.contains("operands") || !j["operands"].is_array()) {
      error = fail(path, at + ".operands", "expected an array of types");
      return failure();
    }
    for (const json &t : j["operands"]) {
      if (!t.is_string()) {
        error = fail(path, at + ".operands", "expected an array of types");
        return failure();
      }
      r.operands.push_back(t);
    }
    if (j.contains("attributes")) {
      if (!j["attributes"].is_string()) {
        error = fail(path, at + ".attributes", "expected a string");
        return failure();
      }
      r.attributes = j["attributes"];
    }
    if (!j.contains("tile") || !j["tile"].is_object() || j["tile"].empty()) {
      error = fail(path, at + ".tile", "expected an object of tile parameters");
      return failure();
    }
    for (auto &[name, value] : j["tile"].items()) {
      if (!value.is_number_integer()) {
        error = fail(path, at + ".tile." + name, "expected an integer");
        return failure();
      }
      r.tile.emplace_back(name, value.get<int64_t>());
    }
    for (const char *f : {"us", "heuristic_us"}) {
      if (!j.contains(f))
        continue;
      if (!j[f].is_number() || !(j[f].get<double>() > 0)) {
        error = fail(path, at + "." + f, "expected a positive number");
        return failure();
      }
      (std::string(f) == "us" ? r.us : r.heuristicUs) = j[f].get<double>();
    }
    if (j.contains("date") && j["date"].is_string())
      r.date = j["date"];
    if (db->byKey_.count(r.key())) {
      error = fail(path, at, "a second record for " + r.key());
      return failure();
    }
    db->add(r);
  }
  return std::shared_ptr<const TuningDb>(db);
}

FailureOr<std::shared_ptr<const TuningDb>>
TuningDb::loadCached(const std::string &path, std::string &error) {
  static std::mutex mutex;
  static std::map<std::string, std::pair<std::filesystem::file_time_type,
                                         std::shared_ptr<const TuningDb>>>
      cache;
  std::error_code ec;
  auto stamp = std::filesystem::last_write_time(path, ec);
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(path);
  if (!ec && it != cache.end() && it->second.first == stamp)
    return it->second.second;
  FailureOr<std::shared_ptr<const TuningDb>> db = load(path, error);
  if (succeeded(db) && !ec)
    cache[path] = {stamp, *db};
  return db;
}

const TuningRecord *TuningDb::find(Operation *op) const {
  auto it = byKey_.find(describe(op).key());
  return it == byKey_.end() ? nullptr : &records_[it->second];
}

std::vector<const TuningRecord *> TuningDb::nearest(Operation *op) const {
  TuningRecord self = describe(op);
  std::vector<std::pair<double, const TuningRecord *>> scored;
  for (const TuningRecord &r : records_)
    if (std::optional<double> d = distance(self, r))
      scored.emplace_back(*d, &r);
  std::stable_sort(scored.begin(), scored.end(),
                   [](auto &a, auto &b) { return a.first < b.first; });
  std::vector<const TuningRecord *> out;
  for (auto &s : scored)
    out.push_back(s.second);
  return out;
}

void TuningDb::add(const TuningRecord &r) {
  auto it = byKey_.find(r.key());
  if (it == byKey_.end()) {
    byKey_[r.key()] = records_.size();
    records_.push_back(r);
    return;
  }
  TuningRecord &old = records_[it->second];
  bool keepOld = old.us && (!r.us || *old.us <= *r.us);
  if (!keepOld)
    old = r;
}

void TuningDb::setGpu(std::string arch, std::string gpuJson) {
  arch_ = std::move(arch);
  gpuJson_ = std::move(gpuJson);
}

std::string TuningDb::toJson() const {
  json gpu = json::parse(gpuJson_, nullptr, false);
  if (!gpu.is_object())
    gpu = json::object();
  gpu["arch"] = arch_;
  json records = json::array();
  for (const TuningRecord &r : records_) {
    json tile = json::object();
    for (auto &[name, value] : r.tile)
      tile[name] = value;
    json j = {{"op", r.op}, {"operands", r.operands}, {"tile", tile}};
    if (!r.attributes.empty())
      j["attributes"] = r.attributes;
    if (r.us)
      j["us"] = *r.us;
    if (r.heuristicUs)
      j["heuristic_us"] = *r.heuristicUs;
    if (!r.date.empty())
      j["date"] = r.date;
    records.push_back(j);
  }
  json doc = {{"format", kFormat},
              {"version", kVersion},
              {"gpu", gpu},
              {"records", records}};
  return doc.dump(2) + "\n";
}

LogicalResult TuningDb::mergeInto(const std::string &path,
                                  const std::string &arch,
                                  const std::vector<TuningRecord> &records,
                                  std::string &error,
                                  const std::string &gpuJson) {
  std::filesystem::path p(path);
  std::error_code ec;
  if (p.has_parent_path())
    std::filesystem::create_directories(p.parent_path(), ec);
  std::string lockPath = path + ".lock";
  int fd = ::open(lockPath.c_str(), O_CREAT | O_RDWR, 0644);
  if (fd < 0 || ::flock(fd, LOCK_EX) != 0) {
    error = lockPath + ": cannot lock the tuning database";
    if (fd >= 0)
      ::close(fd);
    return failure();
  }
  auto unlock = llvm::make_scope_exit([&] {
    ::flock(fd, LOCK_UN);
    ::close(fd);
  });
  TuningDb db;
  db.arch_ = arch;
  if (std::filesystem::exists(p)) {
    FailureOr<std::shared_ptr<const TuningDb>> old = load(path, error);
    if (failed(old))
      return failure();
    if ((*old)->arch() != arch) {
      error = fail(path, "gpu.arch",
                   "the database is for " + (*old)->arch() +
                       ", the records are for " + arch);
      return failure();
    }
    db = **old;
  }
  if (!gpuJson.empty())
    db.gpuJson_ = gpuJson;
  for (const TuningRecord &r : records)
    db.add(r);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << db.toJson();
    if (!out) {
      error = tmp + ": cannot write";
      std::filesystem::remove(tmp, ec);
      return failure();
    }
  }
  std::filesystem::rename(tmp, p, ec);
  if (ec) {
    error = path + ": cannot replace: " + ec.message();
    std::filesystem::remove(tmp, ec);
    return failure();
  }
  return success();
}
