//===- TuningDbTest.cpp - the tuning database's format and merging -------===//
//
// The lookup rules are tested through the passes (test/passes/tuning-db.mlir);
// here: records survive a write and a read, a merge keeps the faster record
// of a key, refuses another GPU's database, and several processes merging
// into one file at once lose no record.
//
//===----------------------------------------------------------------------===//

#include "passes/TuningDb.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::mamba;
namespace fs = std::filesystem;

namespace {

TuningRecord record(int heads, int64_t warps, std::optional<double> us) {
  TuningRecord r;
  r.op = "mamba.ssd";
  r.operands = {"tensor<1x?x" + std::to_string(heads) + "x64xbf16>"};
  r.attributes = "{chunk_size = 256 : i64}";
  r.tile = {{"chunk", 64}, {"p_tile", 64}, {"warps", warps}};
  r.us = us;
  r.date = "2026-12-07";
  return r;
}

fs::path tempPath(const char *name) {
  fs::path p = fs::temp_directory_path() /
               ("mamba-tuning-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(p);
  return p;
}

std::shared_ptr<const TuningDb> loadOk(const fs::path &p) {
  std::string error;
  auto db = TuningDb::load(p.string(), error);
  EXPECT_TRUE(succeeded(db)) << error;
  return succeeded(db) ? *db : nullptr;
}

} // namespace

TEST(TuningDb, WriteAndReadBack) {
  fs::path p = tempPath("roundtrip.json");
  std::string error;
  ASSERT_TRUE(succeeded(TuningDb::mergeInto(
      p.string(), "sm_90", {record(80, 16, 117.7), record(40, 8, std::nullopt)},
      error)))
      << error;
  auto db = loadOk(p);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->arch(), "sm_90");
  ASSERT_EQ(db->records().size(), 2u);
  const TuningRecord &r = db->records()[0];
  EXPECT_EQ(r.key(), record(80, 16, 0).key());
  EXPECT_EQ(r.tile, record(80, 16, 0).tile); // order kept
  EXPECT_DOUBLE_EQ(*r.us, 117.7);
  EXPECT_EQ(r.date, "2026-12-07");
  EXPECT_FALSE(db->records()[1].us.has_value());
  EXPECT_FALSE(fs::exists(p.string() + ".tmp." + std::to_string(getpid())));
  fs::remove(p);
  fs::remove(p.string() + ".lock");
}

TEST(TuningDb, MergeKeepsTheFasterRecordOfAKey) {
  fs::path p = tempPath("merge.json");
  std::string error;
  ASSERT_TRUE(succeeded(TuningDb::mergeInto(p.string(), "sm_90",
                                            {record(80, 16, 117.7)}, error)));
  // Slower, and untimed: neither replaces the timed faster one.
  ASSERT_TRUE(succeeded(TuningDb::mergeInto(
      p.string(), "sm_90", {record(80, 8, 130.0), record(80, 4, std::nullopt)},
      error)));
  EXPECT_EQ(loadOk(p)->records()[0].tile[2].second, 16);
  // Faster: replaces it.
  ASSERT_TRUE(succeeded(
      TuningDb::mergeInto(p.string(), "sm_90", {record(80, 8, 114.4)}, error)));
  auto db = loadOk(p);
  ASSERT_EQ(db->records().size(), 1u);
  EXPECT_EQ(db->records()[0].tile[2].second, 8);
  // Another GPU's records are refused, naming the file and the field.
  EXPECT_TRUE(failed(
      TuningDb::mergeInto(p.string(), "sm_80", {record(80, 8, 1.0)}, error)));
  EXPECT_NE(error.find("merge.json: gpu.arch: the database is for sm_90"),
            std::string::npos)
      << error;
  fs::remove(p);
  fs::remove(p.string() + ".lock");
}

TEST(TuningDb, ConcurrentMergesLoseNoRecord) {
  fs::path p = tempPath("concurrent.json");
  const int kProcesses = 6, kEach = 5;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      bool ok = true;
      for (int k = 0; k < kEach; ++k) {
        std::string error;
        ok = ok && succeeded(TuningDb::mergeInto(
                       p.string(), "sm_90",
                       {record(8 * (i * kEach + k + 1), 4, 10.0)}, error));
      }
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto db = loadOk(p);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->records().size(), size_t(kProcesses * kEach));
  fs::remove(p);
  fs::remove(p.string() + ".lock");
}

TEST(TuningDb, RuntimeDefaultFollowsTheEnvironment) {
  fs::path dir = tempPath("cache");
  fs::create_directories(dir);
  unsetenv("MAMBA_TUNING_DB");
  // No database for sm_86 anywhere.
  EXPECT_EQ(TuningDb::runtimeDefault("sm_86", dir.string()), "");
  std::string error;
  std::string path = (dir / "tuning-sm_90.json").string();
  ASSERT_TRUE(succeeded(
      TuningDb::mergeInto(path, "sm_90", {record(80, 8, 1.0)}, error)));
  EXPECT_EQ(TuningDb::runtimeDefault("sm_90", dir.string()), path);
  EXPECT_EQ(TuningDb::runtimeDefault("sm_86", dir.string()), "");
  setenv("MAMBA_TUNING_DB", "off", 1);
  EXPECT_EQ(TuningDb::runtimeDefault("sm_90", dir.string()), "");
  setenv("MAMBA_TUNING_DB", "/some/db.json", 1);
  EXPECT_EQ(TuningDb::runtimeDefault("sm_90", dir.string()), "/some/db.json");
  // A --tuning-db option comes first.
  EXPECT_EQ(TuningDb::runtimeDefault("sm_90", dir.string(), "/given.json"),
            "/given.json");
  EXPECT_EQ(TuningDb::runtimeDefault("sm_90", dir.string(), "off"), "");
  unsetenv("MAMBA_TUNING_DB");
  fs::remove_all(dir);
}

TEST(TuningDb, TheShippedDatabaseIsTheDefaultWithoutACacheFile) {
  std::vector<std::string> dirs = TuningDb::shippedDirs();
  ASSERT_FALSE(dirs.empty());
  std::string shipped = dirs[0] + "/sm_90.json";
  ASSERT_TRUE(fs::exists(shipped)) << shipped;
  auto db = loadOk(shipped);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->arch(), "sm_90");
  EXPECT_GE(db->records().size(), 20u);
  for (const TuningRecord &r : db->records()) {
    EXPECT_TRUE(r.us && r.heuristicUs) << r.key();
    if (r.us && r.heuristicUs)
      EXPECT_LE(*r.us, *r.heuristicUs * 1.03) << r.key();
  }
  fs::path empty = tempPath("no-cache");
  fs::create_directories(empty);
  unsetenv("MAMBA_TUNING_DB");
  EXPECT_EQ(TuningDb::runtimeDefault("sm_90", empty.string()), shipped);
  fs::remove_all(empty);
}
