//===- RaggedTest.cpp - ragged batches, row states, the prefix cache ------===//
//
// On the CPU, prompts of different lengths run packed in one row
// (cu_seqlens); every row must get exactly the logits a prefill of its prompt
// alone gives (rel-L2 <= 1e-5, f32), for random tiny Mamba-1 and Mamba-2
// models and for the demo model (a trained Mamba-2), in one piece or in
// chunks, and the decode that follows (rows at different positions) must
// match too. Row states move between sessions, the prefix cache restores a
// prefix's state instead of recomputing it, and state files refuse another
// model's state naming the field.
//
//===----------------------------------------------------------------------===//

#include "runtime/Mamba.h"

#include "EngineTestUtils.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>

using namespace mamba;
using namespace mamba::test;

namespace {

using mamba::test::relativeL2;

double relativeL2(const Logits &a, const Logits &b) {
  EXPECT_EQ(a.values.size(), b.values.size());
  if (a.values.size() != b.values.size())
    return INFINITY;
  return relativeL2(a.values.data(), b.values.data(), a.values.size());
}

std::shared_ptr<Model> demoModel() {
  LoadOptions o;
  o.device = Device::Cpu;
  Result<std::shared_ptr<Model>> m = Model::load(MAMBA_DEMO_MODEL_DIR, o);
  EXPECT_TRUE(m.ok()) << m.error();
  return m.ok() ? *m : nullptr;
}

/// The logits of `tokens` prefilled alone in a fresh batch-1 session.
Logits alone(const std::shared_ptr<Model> &model,
             const std::vector<int32_t> &tokens, bool all) {
  auto s = Session::create(model, 1);
  EXPECT_TRUE(s.ok());
  Result<Logits> l = (*s)->prefill(tokens, int64_t(tokens.size()), all);
  EXPECT_TRUE(l.ok()) << l.error();
  return l.ok() ? *l : Logits();
}

std::vector<std::vector<int32_t>> prompts(const std::vector<int64_t> &lengths,
                                          int64_t vocab, uint64_t seed) {
  std::vector<std::vector<int32_t>> out;
  for (size_t k = 0; k < lengths.size(); ++k)
    out.push_back(randomTokens(lengths[k], vocab, seed + k));
  return out;
}

std::vector<int64_t> iota(int64_t n) {
  std::vector<int64_t> rows(n);
  for (int64_t r = 0; r < n; ++r)
    rows[r] = r;
  return rows;
}

/// The ragged prefill of `seqs` equals each prompt alone, at the last
/// position and at every position, and so do the decode steps after it.
void checkRagged(const std::shared_ptr<Model> &model,
                 const std::vector<std::vector<int32_t>> &seqs, int64_t vocab,
                 int64_t chunk, const char *what) {
  const int64_t n = int64_t(seqs.size());
  SessionOptions so;
  so.prefillChunk = chunk;
  for (bool all : {false, true}) {
    auto s = Session::create(model, n, so);
    ASSERT_TRUE(s.ok());
    Result<std::vector<Logits>> ragged = (*s)->prefillRows(iota(n), seqs, all);
    ASSERT_TRUE(ragged.ok()) << ragged.error();
    double worst = 0;
    for (int64_t k = 0; k < n; ++k) {
      Logits ref = alone(model, seqs[k], all);
      double e = relativeL2((*ragged)[k], ref);
      worst = std::max(worst, e);
      EXPECT_LE(e, 1e-5) << what << ": sequence " << k << " of length "
                         << seqs[k].size();
    }
    std::printf("[ragged] %s%s, chunk %lld: max rel-L2 %.3g over %lld "
                "sequences\n",
                what, all ? ", all positions" : "", (long long)chunk, worst,
                (long long)n);
    if (all)
      continue;
    // Decode of rows at different positions: each row continues its own
    // prompt with its own next token.
    std::vector<int32_t> next(n);
    for (int64_t k = 0; k < n; ++k)
      next[k] = int32_t((k * 7 + 3) % vocab);
    Result<Logits> step = (*s)->step(next);
    ASSERT_TRUE(step.ok()) << step.error();
    for (int64_t k = 0; k < n; ++k) {
      std::vector<int32_t> longer = seqs[k];
      longer.push_back(next[k]);
      Logits ref = alone(model, longer, false);
      EXPECT_LE(relativeL2(step->row(k), ref.row(0), ref.vocab), 1e-5)
          << what << ": decode of row " << k;
    }
  }
}

class RaggedTest : public ::testing::TestWithParam<Arch> {};

TEST_P(RaggedTest, PackedPrefillEqualsEachPromptAlone) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  // Shorter than the conv width, one token, longer than a chunk.
  auto seqs = prompts({1, 5, 23, 40, 2, 17}, 250, 11);
  const char *name = GetParam() == Arch::Mamba1 ? "mamba1" : "mamba2";
  checkRagged(model, seqs, 250, 0, name);
  // Pieces of 9 tokens over 6 sequences: shares of one token, sequences
  // that have finished pass their state through as empty ones.
  checkRagged(model, seqs, 250, 9, name);
}

TEST_P(RaggedTest, RowsContinueFromTheirStateAndOthersKeepTheirs) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  auto head = prompts({6, 11, 3}, 250, 21), tail = prompts({4, 1, 9}, 250, 31);
  auto s = Session::create(model, 3);
  ASSERT_TRUE((*s)->prefillRows({0, 1, 2}, head).ok());
  Result<SessionState> row1 = (*s)->saveState(1);
  ASSERT_TRUE(row1.ok());
  // Rows 2 and 0 continue (in that order), row 1 is left alone.
  Result<std::vector<Logits>> cont =
      (*s)->prefillRows({2, 0}, {tail[2], tail[0]});
  ASSERT_TRUE(cont.ok()) << cont.error();
  for (auto [k, j] : {std::pair<int, int>{2, 0}, {0, 1}}) {
    std::vector<int32_t> whole = head[k];
    whole.insert(whole.end(), tail[k].begin(), tail[k].end());
    EXPECT_LE(relativeL2((*cont)[j], alone(model, whole, false)), 1e-5)
        << "row " << k;
  }
  Result<SessionState> after = (*s)->saveState(1);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->bytes, row1->bytes) << "row 1 was not part of the prefill";

  // A row's state is a batch-1 session's state.
  auto single = Session::create(model, 1);
  ASSERT_TRUE((*single)->restoreState(*row1).ok());
  Result<Logits> a = (*single)->prefill(tail[1], 1);
  ASSERT_TRUE(a.ok());
  std::vector<int32_t> whole = head[1];
  whole.push_back(tail[1][0]);
  EXPECT_LE(relativeL2(*a, alone(model, whole, false)), 1e-5);
}

TEST_P(RaggedTest, BadRaggedInputsAreErrors) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  auto s = Session::create(model, 2);
  auto expectError = [](const Status &st, const std::string &text) {
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().find(text), std::string::npos) << st.error();
  };
  auto status = [](const Result<std::vector<Logits>> &r) {
    return r.ok() ? Status::success() : Status(Error(r.error()));
  };
  expectError(status((*s)->prefillRows({0, 0}, {{1}, {2}})), "given twice");
  expectError(status((*s)->prefillRows({2}, {{1}})), "outside the session");
  expectError(status((*s)->prefillRows({0, 1}, {{1}, {}})), "has no tokens");
  expectError(status((*s)->prefillRows({0}, {{1}, {2}})), "2 sequences");
  expectError(status((*s)->prefillRows({0}, {{1, 99999}})),
              "outside the vocabulary");
  expectError((*s)->restoreState(0, SessionState{1, {1, 2, 3}}),
              "another model or batch size");
}

/// Steps of the first rows only, and rows that move (what mamba-server's
/// bucketed decode does), equal each sequence decoded alone; the rows not
/// stepped keep their state. Three steps per bucket: on CUDA the first runs
/// eagerly, the second is captured in that bucket's graph, the third replays.
void checkBucketedSteps(const std::shared_ptr<Model> &model, double tol) {
  auto seqs = prompts({5, 1, 12, 7}, 250, 41);
  auto s = Session::create(model, 4);
  ASSERT_TRUE(s.ok()) << s.error();
  ASSERT_TRUE((*s)->prefillRows(iota(4), seqs).ok());
  std::vector<std::unique_ptr<Session>> refs;
  for (const auto &p : seqs) {
    auto r = Session::create(model, 1);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE((*r)->prefill(p, int64_t(p.size())).ok());
    refs.push_back(r.take());
  }
  int32_t next = 3;
  // Steps `seq` (row k holds sequence seq[k]) and compares with the refs.
  auto stepAndCheck = [&](const std::vector<int> &seq, const char *what) {
    std::vector<int32_t> feed;
    for (size_t k = 0; k < seq.size(); ++k)
      feed.push_back(int32_t((next + 37 * k) % 250));
    ++next;
    Result<Logits> got = (*s)->step(feed);
    ASSERT_TRUE(got.ok()) << got.error();
    ASSERT_EQ(got->batch, int64_t(seq.size()));
    for (size_t k = 0; k < seq.size(); ++k) {
      Result<Logits> ref = refs[seq[k]]->step({feed[k]});
      ASSERT_TRUE(ref.ok());
      EXPECT_LE(relativeL2(got->row(int64_t(k)), ref->row(0), ref->vocab), tol)
          << what << ": row " << k << " (sequence " << seq[k] << ")";
    }
  };
  stepAndCheck({0, 1, 2, 3}, "all rows");
  Result<SessionState> row2 = (*s)->saveState(2), row3 = (*s)->saveState(3);
  ASSERT_TRUE(row2.ok() && row3.ok());
  for (int i = 0; i < 3; ++i)
    stepAndCheck({0, 1}, "the first two rows");
  EXPECT_EQ((*s)->saveState(2)->bytes, row2->bytes) << "row 2 was not stepped";
  EXPECT_EQ((*s)->saveState(3)->bytes, row3->bytes) << "row 3 was not stepped";
  // Sequence 1 leaves; sequence 3 moves into its row.
  ASSERT_TRUE((*s)->moveRow(3, 1).ok());
  for (int i = 0; i < 3; ++i)
    stepAndCheck({0, 3}, "after a move");
  stepAndCheck({0}, "one row");
  auto expectError = [](const Result<Logits> &r, const std::string &text) {
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().find(text), std::string::npos) << r.error();
  };
  expectError((*s)->step({}), "1 to 4 rows");
  expectError((*s)->step({1, 2, 3, 4, 5}), "1 to 4 rows");
  Status bad = (*s)->moveRow(0, 4);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("outside the session"), std::string::npos);
}

TEST_P(RaggedTest, StepsOfTheFirstRowsAndMovedRowsEqualEachSequenceAlone) {
  std::shared_ptr<Model> model = cpuModel(GetParam());
  ASSERT_TRUE(model);
  checkBucketedSteps(model, 1e-5);
}

TEST_P(RaggedTest, CudaStepsOfTheFirstRowsEqualEachSequenceAlone) {
  LoadOptions o;
  o.device = Device::Cuda;
  o.dtype = DType::F32;
  Result<std::shared_ptr<Model>> model =
      Model::random(tinyConfig(GetParam()), o, 7);
  if (!model.ok())
    GTEST_SKIP() << "no GPU: " << model.error();
  checkBucketedSteps(*model, 1e-4);
}

INSTANTIATE_TEST_SUITE_P(Arch, RaggedTest,
                         ::testing::Values(Arch::Mamba1, Arch::Mamba2),
                         [](const auto &info) {
                           return info.param == Arch::Mamba1 ? "Mamba1"
                                                             : "Mamba2";
                         });

TEST(RaggedDemo, PackedPrefillOfTheDemoModelEqualsEachPromptAlone) {
  std::shared_ptr<Model> model = demoModel();
  ASSERT_TRUE(model);
  int64_t vocab = model->config().vocabSize;
  checkRagged(model, prompts({3, 70, 12, 1}, vocab, 41), vocab, 0, "demo");
}

TEST(PrefixCache, RestoredPrefixGivesTheLogitsOfAFullPrefill) {
  for (Arch arch : {Arch::Mamba1, Arch::Mamba2}) {
    std::shared_ptr<Model> model = cpuModel(arch);
    ASSERT_TRUE(model);
    PrefixCache cache(64 << 20, /*block=*/8);
    std::vector<int32_t> header = randomTokens(21, 250, 51);
    std::vector<std::vector<int32_t>> first, second;
    for (int k = 0; k < 3; ++k) {
      std::vector<int32_t> p = header;
      std::vector<int32_t> q = randomTokens(5 + 4 * k, 250, 60 + k);
      p.insert(p.end(), q.begin(), q.end());
      (k == 0 ? first : second).push_back(p);
    }
    auto s = Session::create(model, 2);
    Result<std::vector<Logits>> cold = prefillCached(**s, {0}, first, cache);
    ASSERT_TRUE(cold.ok()) << cold.error();
    EXPECT_EQ(cache.hits(), 0);
    EXPECT_LE(relativeL2((*cold)[0], alone(model, first[0], false)), 1e-5);
    // Both later prompts share the 21-token header: the state cached at
    // 16 tokens (block 8 * 2) is restored, 16 tokens are not recomputed.
    Result<std::vector<Logits>> warm =
        prefillCached(**s, {1, 0}, second, cache);
    ASSERT_TRUE(warm.ok()) << warm.error();
    EXPECT_EQ(cache.hits(), 2);
    EXPECT_EQ(cache.tokensSaved(), 32);
    double worst = 0;
    for (int k = 0; k < 2; ++k) {
      double e = relativeL2((*warm)[k], alone(model, second[k], false));
      worst = std::max(worst, e);
      EXPECT_LE(e, 1e-5) << "prompt " << k;
    }
    std::printf("[prefix-cache] %s: restored prefix vs full prefill, max "
                "rel-L2 %.3g\n",
                arch == Arch::Mamba1 ? "mamba1" : "mamba2", worst);
    // The same prompt again restores its own end state minus nothing: the
    // longest prefix shorter than the prompt.
    Result<std::vector<Logits>> again =
        prefillCached(**s, {0}, {second[0]}, cache);
    ASSERT_TRUE(again.ok());
    EXPECT_LE(relativeL2((*again)[0], alone(model, second[0], false)), 1e-5);
  }
}

TEST(PrefixCache, StaysWithinItsBudgetLeastRecentlyUsedFirst) {
  PrefixCache cache(250, 64);
  auto state = [](size_t bytes) {
    return SessionState{1, std::vector<uint8_t>(bytes, 7)};
  };
  cache.put({1, 2, 3}, state(100));
  cache.put({1, 2}, state(100));
  EXPECT_EQ(cache.entries(), 2u);
  // Touch {1, 2, 3}, then a third entry evicts {1, 2}, the least recent.
  EXPECT_EQ(cache.longestPrefix({1, 2, 3, 4}, 10).length, 3);
  cache.put({9}, state(100));
  EXPECT_EQ(cache.entries(), 2u);
  EXPECT_LE(cache.bytes(), 250u);
  EXPECT_EQ(cache.longestPrefix({1, 2, 5}, 10).length, 0);
  EXPECT_EQ(cache.longestPrefix({1, 2, 3}, 10).length, 3);
  EXPECT_EQ(cache.longestPrefix({1, 2, 3}, 2).length, 0) << "maxLength";
  // Larger than the whole budget: not kept.
  cache.put({4}, state(300));
  EXPECT_EQ(cache.longestPrefix({4}, 10).length, 0);
}

TEST(PrefixCache, APromptCachesAtMostHalfTheFirstTier) {
  std::shared_ptr<Model> model = cpuModel(Arch::Mamba1);
  ASSERT_TRUE(model);
  auto s = Session::create(model, 1);
  ASSERT_TRUE(s.ok());
  // Room for four states: a prompt caches two, its end and its longest
  // boundary (256 of 8, 16, ..., 256).
  PrefixCache cache(4 * (*s)->rowStateBytes(), /*block=*/8);
  std::vector<int32_t> first = randomTokens(300, 250, 81);
  ASSERT_TRUE(prefillCached(**s, {0}, {first}, cache).ok());
  EXPECT_EQ(cache.entries(), 2u);
  std::vector<int32_t> second(first.begin(), first.begin() + 260);
  second[259] = (second[259] + 1) % 250;
  Result<std::vector<Logits>> warm = prefillCached(**s, {0}, {second}, cache);
  ASSERT_TRUE(warm.ok()) << warm.error();
  EXPECT_EQ(cache.hits(), 1);
  EXPECT_EQ(cache.tokensSaved(), 256);
  EXPECT_LE(relativeL2((*warm)[0], alone(model, second, false)), 1e-5);
}

TEST(PrefixCache, DeviceTierSpillsToTheHostTierAndBothRestore) {
  std::shared_ptr<Model> model = cpuModel(Arch::Mamba2);
  ASSERT_TRUE(model);
  auto s = Session::create(model, 1);
  ASSERT_TRUE(s.ok());
  std::vector<std::vector<int32_t>> ps = prompts({9, 13, 6}, 250, 71);
  Result<std::shared_ptr<const StateSnapshot>> probe = (*s)->snapshot(0);
  ASSERT_TRUE(probe.ok()) << probe.error();
  const size_t size = (*probe)->bytes();
  EXPECT_EQ((*s)->rowStateBytes(), size);
  // One snapshot on the "device" (host memory on the CPU), four host copies.
  PrefixCache cache(4 * size, 64, size);
  // A host tier of fewer than four states takes no spills.
  PrefixCache small(size, 64, size);
  for (size_t k = 0; k < ps.size(); ++k) {
    const std::vector<int32_t> &p = ps[k];
    ASSERT_TRUE((*s)->reset().ok());
    ASSERT_TRUE((*s)->prefill(p, int64_t(p.size())).ok());
    Result<std::shared_ptr<const StateSnapshot>> snap = (*s)->snapshot(0);
    ASSERT_TRUE(snap.ok());
    cache.put(p, *snap);
    small.put(p, *snap);
    if (k == 0) { // the first prompt's state is used before it is evicted
      std::vector<int32_t> longer = p;
      longer.push_back(3);
      EXPECT_EQ(cache.longestPrefix(longer, 100).length, int64_t(p.size()));
      EXPECT_EQ(small.longestPrefix(longer, 100).length, int64_t(p.size()));
    }
  }
  EXPECT_EQ(cache.deviceBytes(), size);
  EXPECT_EQ(cache.bytes(), size) << "the used first state spilled";
  EXPECT_EQ(cache.entries(), 2u) << "the unused second one was dropped";
  EXPECT_EQ(cache.longestPrefix(ps[1], 100).length, 0);
  EXPECT_EQ(small.deviceBytes(), size);
  EXPECT_EQ(small.bytes(), 0u) << "too large a share of the host tier";
  EXPECT_EQ(small.entries(), 1u);
  EXPECT_EQ(small.longestPrefix(ps[0], 100).length, 0);
  for (int k : {0, 2}) {
    std::vector<int32_t> whole = ps[k];
    whole.push_back(17);
    CachedPrefix hit = cache.longestPrefix(whole, 100);
    ASSERT_EQ(hit.length, int64_t(ps[k].size()));
    EXPECT_EQ(bool(hit.snapshot), k == 2) << "prompt " << k;
    ASSERT_TRUE(hit.restoreInto(**s, 0).ok());
    Result<Logits> l = (*s)->prefill({17}, 1);
    ASSERT_TRUE(l.ok());
    EXPECT_LE(relativeL2(*l, alone(model, whole, false)), 1e-5) << k;
  }
  // A snapshot of another model is refused.
  auto other = Session::create(cpuModel(Arch::Mamba1), 1);
  Status bad = (*other)->restore(0, **probe);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("another model"), std::string::npos);
}

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/" + name;
}

TEST(StateFile, RoundTripAndRefusals) {
  std::shared_ptr<Model> m2 = cpuModel(Arch::Mamba2),
                         m1 = cpuModel(Arch::Mamba1);
  ASSERT_TRUE(m1 && m2);
  std::vector<int32_t> prompt = randomTokens(13, 250, 71);
  auto s = Session::create(m2, 1);
  ASSERT_TRUE((*s)->prefill(prompt, 13).ok());
  Result<SessionState> state = (*s)->saveState();
  ASSERT_TRUE(state.ok());
  std::string path = tempPath("state.bin");
  ASSERT_TRUE(saveStateFile(path, *m2, {*state, prompt}).ok());

  Result<StateFile> back = loadStateFile(path, *m2);
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->tokens, prompt);
  EXPECT_EQ(back->state.bytes, state->bytes);
  // Continuing from the file equals the full prefill.
  auto t = Session::create(m2, 1);
  ASSERT_TRUE((*t)->restoreState(0, back->state).ok());
  Result<Logits> cont = (*t)->prefill({5, 6}, 2);
  ASSERT_TRUE(cont.ok());
  std::vector<int32_t> whole = prompt;
  whole.insert(whole.end(), {5, 6});
  EXPECT_LE(relativeL2(*cont, alone(m2, whole, false)), 1e-5);

  auto expectError = [](const Result<StateFile> &r, const std::string &text) {
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().find(text), std::string::npos) << r.error();
  };
  // Another model: the first differing field is named.
  expectError(loadStateFile(path, *m1), "field 'arch' is \"Mamba2\"");
  // A different width of the same architecture.
  ModelConfig wider = tinyConfig(Arch::Mamba2);
  wider.nLayer = 3;
  LoadOptions o;
  o.device = Device::Cpu;
  Result<std::shared_ptr<Model>> m3 = Model::random(wider, o, 7);
  ASSERT_TRUE(m3.ok()) << m3.error();
  expectError(loadStateFile(path, **m3), "field 'n_layer' is 2");

  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  auto writeBytes = [&](const std::string &name, const std::string &data) {
    std::string p = tempPath(name);
    std::ofstream(p, std::ios::binary) << data;
    return p;
  };
  expectError(loadStateFile(writeBytes("bad-magic.bin", "XX" + bytes), *m2),
              "not a mamba-jit state file");
  expectError(
      loadStateFile(writeBytes("short.bin", bytes.substr(0, bytes.size() - 4)),
                    *m2),
      "bytes after the header");
  expectError(loadStateFile(writeBytes("cut.bin", bytes.substr(0, 30)), *m2),
              "runs past the end of the file");
  expectError(loadStateFile(tempPath("missing.bin"), *m2),
              "cannot open the state file");
  // A batch whose byte count wraps around 2^64 to the one row the file
  // holds: (batch - 1) * rowBytes == 0 mod 2^64.
  const uint64_t row = state->bytes.size();
  const int zeros = __builtin_ctzll(row);
  ASSERT_GE(zeros, 2);
  uint64_t hlen = 0;
  for (int i = 0; i < 8; ++i)
    hlen |= uint64_t(uint8_t(bytes[8 + i])) << (8 * i);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(16, hlen));
  header["batch"] = int64_t(1 + (uint64_t(1) << (64 - zeros)));
  std::string text = header.dump();
  std::string wrapped = bytes.substr(0, 8);
  for (int i = 0; i < 8; ++i)
    wrapped += char(uint8_t(uint64_t(text.size()) >> (8 * i)));
  wrapped += text + bytes.substr(16 + hlen);
  expectError(loadStateFile(writeBytes("wrapped.bin", wrapped), *m2),
              "field 'batch' is " + header["batch"].dump());
}

} // namespace
