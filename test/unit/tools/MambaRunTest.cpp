//===- MambaRunTest.cpp - the mamba-run command line ----------------------===//
//
// Runs the built mamba-run on a tiny random Mamba-1 model that the test
// writes (vocabulary 283 padded to 288, with test/data/text's byte-level
// tokenizer): tokenization, greedy and seeded generation against the C++
// API, batches, prompts from stdin and files, perplexity against a
// recomputation, and the messages of bad input. Everything runs on the CPU.
//
//===----------------------------------------------------------------------===//

#include "ToolTestUtils.h"

#include "runtime/Mamba.h"
#include "runtime/text/Tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace mamba;
using namespace mamba::test;

namespace {

const std::string kMambaRun = fromEnv("MAMBA_RUN", MAMBA_RUN_PATH);
const std::string kTokenizer =
    fromEnv("MAMBA_TEST_DATA_DIR", MAMBA_TEST_DATA_DIR) +
    "/text/tiny-bytelevel.json";

// An untied lm_head: with a tied one, the residual stream of so small a
// random model is dominated by the input embedding and every token predicts
// itself.
const char *kConfig = R"({"d_model": 16, "n_layer": 2, "vocab_size": 283,
  "pad_vocab_size_multiple": 8, "tie_embeddings": false,
  "ssm_cfg": {"d_state": 8}})";

class MambaRun : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    writeTinyModel(model(), kConfig, kTokenizer);
    writeTinyModel(noTokenizer(), kConfig, "");
    writeTinyModel(nanModel(), kConfig, kTokenizer, /*nanLmHead=*/true);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string model() { return dir_->file("tiny"); }
  static std::string noTokenizer() { return dir_->file("no-tokenizer"); }
  static std::string nanModel() { return dir_->file("nan"); }
  static std::string scratch(const std::string &name) {
    return dir_->file(name);
  }

  /// mamba-run on the tiny model, on the CPU, with `args` appended.
  static ToolRun run(const std::string &args,
                     const std::string &stdinFile = "/dev/null") {
    return runTool(shellQuote(kMambaRun) + " --model " + shellQuote(model()) +
                       " --device cpu " + args,
                   stdinFile);
  }

  static text::Tokenizer tokenizer() {
    Result<text::Tokenizer> t = text::Tokenizer::fromFile(kTokenizer);
    EXPECT_TRUE(t.ok()) << t.error();
    return t.take();
  }

  static std::shared_ptr<Model> cpuModel() {
    LoadOptions o;
    o.device = Device::Cpu;
    Result<std::shared_ptr<Model>> m = Model::load(model(), o);
    EXPECT_TRUE(m.ok()) << m.error();
    return m.ok() ? *m : nullptr;
  }

  static TempDir *dir_;
};

TempDir *MambaRun::dir_ = nullptr;

std::string jsonList(const std::vector<int32_t> &ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i)
    s += (i ? ", " : "") + std::to_string(ids[i]);
  return s + "]";
}

/// A failed run: exit status 1 and one "mamba-run: ..." message, no crash.
void expectFailure(const ToolRun &r, const std::string &part) {
  EXPECT_EQ(r.status, 1) << r.command << "\n" << r.err;
  EXPECT_EQ(r.err.rfind("mamba-run: ", 0), 0u) << r.err;
  EXPECT_HAS(r.err, part);
  EXPECT_EQ(r.err.find("Stack dump"), std::string::npos) << r.err;
}

/// The number after "key: " at the start of a line of `text`, or NaN.
double valueAfter(const std::string &text, const std::string &key) {
  std::string line = key + ": ";
  size_t p = text.rfind(line, 0) == 0 ? 0 : text.find("\n" + line);
  if (p == std::string::npos)
    return NAN;
  return std::strtod(text.c_str() + p + (p ? 1 : 0) + line.size(), nullptr);
}

size_t lineCount(const std::string &text) {
  return size_t(std::count(text.begin(), text.end(), '\n'));
}

TEST_F(MambaRun, TokenizePrintsTheIdsWithoutLoadingWeights) {
  text::Tokenizer tok = tokenizer();
  ToolRun r = run("--tokenize --prompt 'Hello world, café!'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, jsonList(tok.encode("Hello world, café!")) + "\n");
  EXPECT_EQ(r.err.find("loading weights"), std::string::npos) << r.err;

  // With --tokenizer no model directory is needed, not even the demo one.
  ToolRun t = runTool("MAMBA_MODEL=/nonexistent/demo " + shellQuote(kMambaRun) +
                      " --tokenizer " + shellQuote(kTokenizer) +
                      " --tokenize --prompt ab --prompt 'a b c'");
  ASSERT_EQ(t.status, 0) << t.err;
  EXPECT_EQ(t.out, jsonList(tok.encode("ab")) + "\n" +
                       jsonList(tok.encode("a b c")) + "\n");
}

TEST_F(MambaRun, GreedyGenerationMatchesTheApiAndIsDeterministic) {
  const std::string prompt = "Hello world";
  const int64_t maxNew = 12;
  std::string args = "-q --temperature 0 --repetition-penalty 1 "
                     "--max-new-tokens " +
                     std::to_string(maxNew) + " --prompt " + shellQuote(prompt);
  ToolRun a = run(args), b = run(args);
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(a.out, b.out);

  // The same greedy decoding through the C++ API: argmax over the
  // tokenizer's vocabulary (not the padded rows), stop at EOS.
  text::Tokenizer tok = tokenizer();
  std::shared_ptr<Model> m = cpuModel();
  ASSERT_TRUE(m);
  auto s = Session::create(m, 1);
  ASSERT_TRUE(s.ok()) << s.error();
  std::vector<int32_t> ids = tok.encode(prompt);
  Result<Logits> logits = (*s)->prefill(ids, int64_t(ids.size()));
  std::vector<int32_t> generated;
  for (int64_t i = 0; i < maxNew; ++i) {
    ASSERT_TRUE(logits.ok()) << logits.error();
    const float *row = logits->row(0);
    int32_t best = 0;
    for (int32_t v = 1; v < int32_t(tok.vocabSize()); ++v)
      if (row[v] > row[best])
        best = v;
    if (best == *tok.eosId())
      break;
    generated.push_back(best);
    logits = (*s)->step({best});
  }
  EXPECT_EQ(a.out, prompt + tok.decode(generated) + "\n");
  // -q: only the statistics line.
  EXPECT_EQ(lineCount(a.err), 1u) << a.err;
  EXPECT_HAS(a.err, "| greedy | cpu f32\n");

  // --no-echo prints the continuation only.
  ToolRun c = run(args + " --no-echo");
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(c.out, tok.decode(generated) + "\n");
}

TEST_F(MambaRun, SeededSamplingIsReproducible) {
  std::string args = "-q --temperature 1 --top-p 0.9 --max-new-tokens 24 "
                     "--prompt 'The cat' --seed ";
  ToolRun a = run(args + "7"), b = run(args + "7"), c = run(args + "8");
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_HAS(a.err, "seed 7");
  EXPECT_EQ(a.out.rfind("The cat", 0), 0u) << a.out;
}

TEST_F(MambaRun, PrintsProgressAndAStatisticsLine) {
  ToolRun r = run("--max-new-tokens 5 --seed 1 --prompt 'a b c'");
  ASSERT_EQ(r.status, 0) << r.err;
  // Progress from the loader, then the load summary, then the statistics.
  EXPECT_GE(lineCount(r.err), 3u) << r.err;
  EXPECT_HAS(r.err, "[mamba-run] loaded in ");
  int64_t n = int64_t(tokenizer().encode("a b c").size());
  EXPECT_HAS(r.err, "prompt " + std::to_string(n) + " tokens, prefill ");
  EXPECT_HAS(r.err, " ms/token, ");
  EXPECT_HAS(r.err, " tokens/s | seed 1 | cpu f32\n");
  // stderr is a file here: message lines only, no progress bar.
  EXPECT_EQ(r.err.find('\r'), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("\x1b["), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("reading weights ["), std::string::npos) << r.err;
}

TEST_F(MambaRun, BatchPrintsEachRowAndMatchesSingleRuns) {
  text::Tokenizer tok = tokenizer();
  const std::string p0 = "Hello world", p1 = "Jello world";
  ASSERT_EQ(tok.encode(p0).size(), tok.encode(p1).size());
  std::string common = "-q --temperature 0 --max-new-tokens 8 ";
  ToolRun batch = run(common + "--prompt " + shellQuote(p0) + " --prompt " +
                      shellQuote(p1));
  ToolRun single0 = run(common + "--prompt " + shellQuote(p0));
  ToolRun single1 = run(common + "--prompt " + shellQuote(p1));
  ASSERT_EQ(batch.status, 0) << batch.err;
  ASSERT_EQ(single0.status, 0) << single0.err;
  ASSERT_EQ(single1.status, 0) << single1.err;
  EXPECT_HAS(batch.err, "prompt 2 x ");
  // Rows are printed when they end; here both end together, in order.
  EXPECT_EQ(batch.out, "[0] " + single0.out + "[1] " + single1.out);
}

TEST_F(MambaRun, PromptsFromStdinAndFromAFile) {
  std::string common = "-q --temperature 0 --max-new-tokens 6 ";
  ToolRun direct = run(common + "--prompt 'Hello world'");
  ASSERT_EQ(direct.status, 0) << direct.err;

  std::string in = scratch("stdin.txt");
  std::ofstream(in) << "Hello world\n";
  ToolRun piped = run(common, in);
  ASSERT_EQ(piped.status, 0) << piped.err;
  EXPECT_EQ(piped.out, direct.out);

  ToolRun whole =
      run(common + "--prompt-file " + shellQuote(in) + " --whole-file");
  ASSERT_EQ(whole.status, 0) << whole.err;
  EXPECT_EQ(whole.out, direct.out);

  std::string lines = scratch("prompts.txt");
  std::ofstream(lines) << "Hello world\r\n\n   \nJello world\n";
  ToolRun batch = run(common + "--prompt-file " + shellQuote(lines));
  ASSERT_EQ(batch.status, 0) << batch.err;
  EXPECT_EQ(batch.out.rfind("[0] " + direct.out, 0), 0u) << batch.out;
  EXPECT_HAS(batch.out, "\n[1] Jello world");
}

TEST_F(MambaRun, PerplexityEqualsTheApiRecomputation) {
  const std::string textBody =
      "The quick brown fox jumps over the lazy dog.\nA café!   [word] and "
      "more words, then numbers 12345 and the end.\n";
  std::string file = scratch("ppl.txt");
  std::ofstream(file, std::ios::binary) << textBody;
  ToolRun r = run("-q --perplexity " + shellQuote(file));
  ASSERT_EQ(r.status, 0) << r.err;
  double ppl = valueAfter(r.out, "perplexity");
  double nll = valueAfter(r.out, "mean NLL");
  ASSERT_TRUE(std::isfinite(ppl) && std::isfinite(nll)) << r.out;
  EXPECT_NEAR(ppl, std::exp(nll), 1e-5 * ppl) << r.out;

  // exp(mean NLL) through the C++ API: one prefill of x_0 .. x_{T-2}, all
  // positions, log-softmax in double over the tokenizer's 283 ids only.
  text::Tokenizer tok = tokenizer();
  std::vector<int32_t> ids = tok.encode(textBody);
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(valueAfter(r.out, "tokens"), double(ids.size())) << r.out;
  std::shared_ptr<Model> m = cpuModel();
  ASSERT_TRUE(m);
  ASSERT_GT(m->vocabSize(), tok.vocabSize()); // padded rows exist
  auto s = Session::create(m, 1);
  ASSERT_TRUE(s.ok());
  int64_t n = int64_t(ids.size()) - 1;
  Result<Logits> logits =
      (*s)->prefill(std::vector<int32_t>(ids.begin(), ids.end() - 1), n, true);
  ASSERT_TRUE(logits.ok()) << logits.error();
  double sum = 0;
  for (int64_t t = 0; t < n; ++t) {
    const float *z = logits->row(0, t);
    double mx = -INFINITY, e = 0;
    for (int64_t v = 0; v < tok.vocabSize(); ++v)
      mx = std::max(mx, double(z[v]));
    for (int64_t v = 0; v < tok.vocabSize(); ++v)
      e += std::exp(double(z[v]) - mx);
    sum += mx + std::log(e) - z[ids[t + 1]];
  }
  double want = sum / double(n);
  EXPECT_NEAR(nll, want, 1e-5 * want) << r.out;
  EXPECT_NEAR(ppl, std::exp(want), 1e-5 * std::exp(want)) << r.out;
}

/// The shared libraries the dynamic loader opened while running `args`
/// (glibc's LD_DEBUG=files report, which lists dlopen'ed ones too).
std::string loadedLibraries(const std::string &args) {
  ToolRun r = runTool("LD_DEBUG=files " + shellQuote(kMambaRun) + " " + args);
  EXPECT_EQ(r.status, 0) << r.command << "\n" << r.err;
  std::string libs;
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    if (size_t p = line.find("file="); p != std::string::npos)
      libs += line.substr(p + 5, line.find(' ', p) - p - 5) + "\n";
  EXPECT_HAS(libs, "libc.so.6");
  return libs;
}

TEST_F(MambaRun, CpuRunsNeverLoadTheCudaLibraries) {
  // NVRTC and cuBLASLt are opened only when the GPU backend starts; the
  // driver only when a GPU is asked for.
  for (const std::string &args :
       {std::string("--help"),
        "--model " + shellQuote(model()) + " --tokenize --prompt hi",
        "--model " + shellQuote(model()) +
            " --device cpu --max-new-tokens 2 --seed 1 --prompt hi"}) {
    std::string libs = loadedLibraries(args);
    for (const char *lib : {"libnvrtc", "libcublas", "libcuda.so"})
      EXPECT_EQ(libs.find(lib), std::string::npos)
          << args << " loaded " << lib << ":\n"
          << libs;
  }
}

TEST_F(MambaRun, MissingModelDirectory) {
  ToolRun r = runTool(shellQuote(kMambaRun) +
                      " --model /nonexistent/model --prompt hi");
  expectFailure(r, "model directory '/nonexistent/model' does not exist");
  ToolRun env = runTool("MAMBA_MODEL=/nonexistent/demo " +
                        shellQuote(kMambaRun) + " --prompt hi");
  expectFailure(env, "MAMBA_MODEL=/nonexistent/demo is not a directory");
  EXPECT_HAS(env.err, "--model DIR");
}

TEST_F(MambaRun, MambaModelNamesTheDefaultModel) {
  text::Tokenizer tok = tokenizer();
  for (const char *var : {"MAMBA_MODEL", "MAMBA_DEMO_MODEL"}) {
    ToolRun r = runTool(std::string(var) + "=" + shellQuote(model()) + " " +
                        shellQuote(kMambaRun) + " --tokenize --prompt 'a b'");
    ASSERT_EQ(r.status, 0) << var << ": " << r.err;
    EXPECT_EQ(r.out, jsonList(tok.encode("a b")) + "\n") << var;
  }
}

/// A copy of mamba-run at PREFIX/bin/mamba-run, as an install puts it.
std::string copyTool(const std::string &prefix) {
  std::filesystem::create_directories(prefix + "/bin");
  std::string exe = prefix + "/bin/mamba-run";
  std::filesystem::copy_file(kMambaRun, exe);
  return exe;
}

TEST_F(MambaRun, FindsTheDemoModelOfAnInstalledTree) {
  // PREFIX/share/mamba-jit/models/demo is the tiny model: its tokenizer's
  // ids show it was the one used.
  std::string prefix = scratch("installed");
  std::string exe = copyTool(prefix);
  std::filesystem::create_directories(prefix + "/share/mamba-jit/models");
  std::filesystem::create_directory_symlink(
      model(), prefix + "/share/mamba-jit/models/demo");
  ToolRun r = runTool("env -u MAMBA_MODEL -u MAMBA_DEMO_MODEL " +
                      shellQuote(exe) + " --tokenize --prompt 'a b'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, jsonList(tokenizer().encode("a b")) + "\n");
}

TEST_F(MambaRun, AMissingDemoModelListsEveryPlaceLooked) {
  std::string prefix = scratch("bare");
  std::string exe = copyTool(prefix);
  ToolRun r = runTool("env -u MAMBA_MODEL -u MAMBA_DEMO_MODEL " +
                      shellQuote(exe) + " --prompt hi");
  expectFailure(r, "the demo model is missing (looked in $MAMBA_MODEL, " +
                       prefix + "/share/mamba-jit/models/demo, " +
                       std::filesystem::path(prefix).parent_path().string() +
                       "/models/demo)");
  EXPECT_HAS(r.err, "pass --model DIR");
  EXPECT_HAS(r.err, "set MAMBA_MODEL=DIR");
}

TEST_F(MambaRun, VersionNamesTheCommitAndWhatItFound) {
  ToolRun r = runTool(shellQuote(kMambaRun) + " --version");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.rfind("mamba-run (mamba-jit) ", 0), 0u) << r.out;
  EXPECT_HAS(r.out, "\nMLIR/LLVM: 19.");
  EXPECT_HAS(r.out, "\nCUDA driver: ");
  EXPECT_HAS(r.out, "\nNVRTC: ");
  // The commit is a hexadecimal hash (with -dirty for local changes).
  std::string commit = r.out.substr(22, r.out.find('\n') - 22);
  EXPECT_GE(commit.size(), 7u) << r.out;
  EXPECT_EQ(commit.find_first_not_of("0123456789abcdef-dirty"),
            std::string::npos)
      << r.out;
}

TEST_F(MambaRun, MissingTokenizer) {
  ToolRun r = runTool(shellQuote(kMambaRun) + " --model " +
                      shellQuote(noTokenizer()) + " --prompt hi");
  expectFailure(r, noTokenizer() +
                       " has no tokenizer.json; pass --tokenizer FILE");
  ToolRun given =
      runTool(shellQuote(kMambaRun) + " --model " + shellQuote(noTokenizer()) +
              " --tokenizer " + shellQuote(kTokenizer) +
              " --device cpu -q --max-new-tokens 2 --prompt hi");
  EXPECT_EQ(given.status, 0) << given.err;
  ToolRun bad = run("--tokenizer /nonexistent/tokenizer.json --prompt hi");
  expectFailure(bad, "/nonexistent/tokenizer.json");
}

TEST_F(MambaRun, RandomModelNeedsAKnownShapeAndATokenizer) {
  std::string base = shellQuote(kMambaRun) + " --device cpu ";
  expectFailure(runTool(base + "--random-model mamba-130m --prompt hi"),
                "--random-model has no tokenizer.json; pass --tokenizer FILE");
  expectFailure(runTool(base + "--random-model mamba-13m --tokenizer " +
                        shellQuote(kTokenizer) + " --prompt hi"),
                "unknown model shape 'mamba-13m'; known: mamba-130m");
  expectFailure(runTool(base + "--random-model mamba-130m --model " +
                        shellQuote(model()) + " --prompt hi"),
                "not both");
}

// Prompts of different lengths are one ragged batch: each row prints what
// the prompt gives alone.
TEST_F(MambaRun, RunsPromptsOfUnequalLengthAsARaggedBatch) {
  std::string common = "-q --temperature 0 --max-new-tokens 6 ";
  ToolRun both =
      run(common + "--prompt hi --prompt 'a much longer prompt than that'");
  ASSERT_EQ(both.status, 0) << both.err;
  ToolRun first = run(common + "--prompt hi");
  ToolRun second = run(common + "--prompt 'a much longer prompt than that'");
  ASSERT_EQ(first.status, 0) << first.err;
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_EQ(both.out, "[0] " + first.out + "[1] " + second.out);
}

TEST_F(MambaRun, RefusesBadFlagValues) {
  expectFailure(run("--temperature=-1 --prompt hi"),
                "--temperature must be a finite number >= 0");
  expectFailure(run("--temperature -0.5 --prompt hi"), "got -0.5");
  expectFailure(run("--top-p 1.5 --prompt hi"),
                "--top-p must be in [0, 1] (1 is off), got 1.5");
  expectFailure(run("--min-p 2 --prompt hi"), "--min-p");
  expectFailure(run("--top-k=-3 --prompt hi"), "--top-k must be >= 0");
  expectFailure(run("--repetition-penalty 0 --prompt hi"),
                "--repetition-penalty");
  expectFailure(run("--max-new-tokens=-2 --prompt hi"), "--max-new-tokens");
  expectFailure(run("--temperature abc --prompt hi"), "--temperature");
  expectFailure(run("--no-such-flag --prompt hi"), "--no-such-flag");
  expectFailure(run("--prompt hi --perplexity x.txt"), "--perplexity");
  expectFailure(run("--perplexity /nonexistent/text.txt"),
                "/nonexistent/text.txt");
  expectFailure(run(""), "no prompt");
}

TEST_F(MambaRun, NanLogitsAreAnErrorNotText) {
  std::string base = shellQuote(kMambaRun) + " --model " +
                     shellQuote(nanModel()) + " --device cpu -q ";
  ToolRun gen = runTool(base + "--prompt 'Hello world' --max-new-tokens 4");
  expectFailure(gen, "NaN logit");
  std::string file = scratch("nan.txt");
  std::ofstream(file) << "Hello world, hello.";
  ToolRun ppl = runTool(base + "--perplexity " + shellQuote(file));
  expectFailure(ppl, "non-finite logit");
  EXPECT_TRUE(ppl.out.empty()) << ppl.out;
}

} // namespace
