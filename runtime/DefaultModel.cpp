//===- DefaultModel.cpp - where the model is when none is named -----------===//

#include "runtime/DefaultModel.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mamba;

namespace {

bool isDirectory(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

/// `path` without "." and "dir/.." components (lexically, as a user would
/// read it in a message).
std::string normalize(const std::string &path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos)
      j = path.size();
    std::string part = path.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..")
        parts.pop_back();
      else if (path[0] != '/')
        parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out = path[0] == '/' ? "" : ".";
  for (const std::string &part : parts)
    out += "/" + part;
  return out.empty() ? "/" : out;
}

std::string parentDir(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

} // namespace

std::string mamba::executablePath() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

std::vector<std::string> mamba::demoModelCandidates() {
  std::vector<std::string> out;
  std::string exe = executablePath();
  if (!exe.empty()) {
    std::string binDir = parentDir(exe);
    out.push_back(normalize(binDir + "/../share/mamba-jit/models/demo"));
    out.push_back(normalize(binDir + "/../../models/demo"));
  }
  // The installed tree of the shared library this code is in, when a
  // program elsewhere links it (find_package(MambaJIT)).
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&mamba::demoModelCandidates), &info) &&
      info.dli_fname && info.dli_fname[0] == '/' && info.dli_fname != exe)
    out.push_back(normalize(parentDir(info.dli_fname) +
                            "/../share/mamba-jit/models/demo"));
  // The source tree, for an executable of the build tree that came from it
  // (a build directory outside the source tree).
  std::string buildDir = MAMBA_BUILD_DIR;
  if (exe.rfind(buildDir + "/", 0) == 0)
    out.push_back(MAMBA_SOURCE_DIR "/models/demo");
  std::vector<std::string> unique;
  for (const std::string &c : out)
    if (std::find(unique.begin(), unique.end(), c) == unique.end())
      unique.push_back(c);
  return unique;
}

Result<std::string> mamba::findDefaultModel(const std::string &flag) {
  for (const char *var : {"MAMBA_MODEL", "MAMBA_DEMO_MODEL"}) {
    const char *env = std::getenv(var);
    if (!env || !*env)
      continue;
    if (!isDirectory(env))
      return Error(std::string(var) + "=" + env +
                   " is not a directory; point it at a model directory "
                   "(config.json, weights, tokenizer.json) or pass " +
                   flag);
    return std::string(env);
  }
  std::vector<std::string> candidates = demoModelCandidates();
  for (const std::string &c : candidates)
    if (isDirectory(c))
      return c;
  std::string where;
  for (size_t i = 0; i < candidates.size(); ++i)
    where += (i ? ", " : "") + candidates[i];
  return Error("no model given and the demo model is missing (looked in "
               "$MAMBA_MODEL, " +
               where + "); pass " + flag +
               " (a directory with config.json, model.safetensors and "
               "tokenizer.json) or set MAMBA_MODEL=DIR");
}
