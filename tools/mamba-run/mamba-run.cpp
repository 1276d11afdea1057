//===- mamba-run.cpp - run a Mamba model ----------------------------------===//
//
//   mamba-run [--model DIR] [--prompt TEXT]... | --prompt-file FILE | <stdin>
//             [--max-new-tokens N] [sampling flags] [--device] [--dtype]
//   mamba-run [--model DIR] --perplexity FILE
//   mamba-run [--model DIR | --tokenizer FILE] --tokenize --prompt TEXT
//   mamba-run --model DIR --input-ids IDS.npy --logits-out OUT.npy
//   mamba-run --model DIR --emit=mlir|tiled|cuda
//
// Generation is RunOptions/Generate, perplexity Perplexity; this file parses
// the command line and picks the mode.
//
//===----------------------------------------------------------------------===//

#include "Generate.h"
#include "Perplexity.h"
#include "RunOptions.h"

#include "runtime/Version.h"
#include "runtime/model/Npy.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Signals.h"

#include <CLI/CLI.hpp>

#include <cstdio>

using namespace mamba;
using namespace mamba::run;

namespace {

/// Logits of every position for every prompt of IDS.npy.
int runLogits(const RunOptions &o, const std::string &dir) {
  Result<NpyInts> ids = readNpyInts(o.inputIds);
  if (!ids.ok())
    return fail(ids.error());
  if (ids->shape.size() != 2 || ids->shape[0] < 1 || ids->shape[1] < 1)
    return fail(o.inputIds + ": token ids must have shape [batch, length] with "
                             "both >= 1");
  Result<std::shared_ptr<Model>> model = loadModel(o, dir);
  if (!model.ok())
    return fail(model.error());
  int64_t batch = ids->shape[0], length = ids->shape[1];
  std::vector<int32_t> tokens(ids->values.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    int64_t v = ids->values[i];
    if (v < 0 || v >= (*model)->vocabSize())
      return fail(o.inputIds + ": token id " + std::to_string(v) +
                  " at index " + std::to_string(i) +
                  " is outside the vocabulary [0, " +
                  std::to_string((*model)->vocabSize()) + ")");
    tokens[i] = int32_t(v);
  }
  Result<std::unique_ptr<Session>> session =
      Session::create(*model, batch, sessionOptions(o));
  if (!session.ok())
    return fail(session.error());
  Result<Logits> logits = (*session)->prefill(tokens, length, true);
  if (!logits.ok())
    return fail(logits.error());
  Status s = writeNpyFloats(o.logitsOut, {batch, length, logits->vocab},
                            logits->values.data());
  if (!s.ok())
    return fail(s.error());
  if (!o.quiet)
    std::fprintf(stderr,
                 "[mamba-run] wrote %s: float32 [%lld, %lld, %lld] (%s)\n",
                 o.logitsOut.c_str(), (long long)batch, (long long)length,
                 (long long)logits->vocab, (*model)->describe().c_str());
  return 0;
}

const char *kFooter = R"(Modes (one per run; generation is the default):
  generate    prompts from --prompt (each one a row of the batch), else the
              non-blank lines of --prompt-file (--whole-file: the whole file
              is one prompt), else stdin (one prompt) when it is not a
              terminal. A whole file and stdin lose one trailing newline. The
              prompts of a batch may differ in length (one packed prefill on
              the CPU and on CUDA; no padding); a prompt
              with no tokens starts from the BOS token.
              Batch 1 streams the prompt and its continuation to stdout; a
              larger batch prints "[i] prompt+completion" per row when the row
              ends. A row ends at the tokenizer's EOS token (not printed) or
              after --max-new-tokens. Statistics go to stderr.
  --perplexity FILE   exp(mean over t >= 1 of -log p(x_t | x_<t)) of the whole
              file as one sequence, log-softmax in double over the tokenizer's
              vocabulary only (the checkpoint's padding rows are ignored).
  --tokenize  print each prompt's ids as a JSON list; loads no weights.
  --input-ids IDS.npy --logits-out OUT.npy   logits of every position.
  --emit=mlir|tiled|cuda   print a compilation stage.

Sampling (defaults: temperature 0.8, top-p 0.95, repetition penalty 1.1, a
random seed printed on the statistics line): --temperature 0 or --top-k 1 is
greedy. Order: repetition penalty, top-k, temperature, top-p, min-p (relative
to the most likely token), draw. Row i of a batch uses seed + i. Ids past the
tokenizer's vocabulary are never sampled.

Model: --model DIR, else $MAMBA_MODEL, else the demo model:
EXE/../share/mamba-jit/models/demo (installed), EXE/../../models/demo (a
source tree's build/bin), or the source tree of this build. The tokenizer is
DIR/tokenizer.json unless --tokenizer FILE is given.)";

} // namespace

int main(int argc, char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  CLI::App app{"mamba-run: generate text with, score text with, or run "
               "Mamba-1 and Mamba-2 language models"};
  app.footer(kFooter);
  app.set_version_flag("--version", [] { return versionText("mamba-run"); });
  RunOptions o;
  app.add_option("--model", o.model,
                 "Checkpoint directory (config.json, weights, tokenizer.json; "
                 "default: the demo model)")
      ->type_name("DIR");
  app.add_option("--random-model", o.randomModel, kRandomModelHelp)
      ->type_name("NAME");
  app.add_option("--tokenizer", o.tokenizer,
                 "tokenizer.json to use instead of DIR/tokenizer.json")
      ->type_name("FILE");
  app.add_option("--prompt", o.prompts,
                 "Prompt text; repeat for a batch (lengths may differ)")
      ->allow_extra_args(false);
  app.add_option("--prompt-file", o.promptFile,
                 "Prompts, one per non-blank line (a batch)")
      ->type_name("FILE");
  app.add_flag("--whole-file", o.wholeFile,
               "--prompt-file is one prompt, newlines included");
  app.add_option("--save-state", o.saveState,
                 "write the state after the prompt to FILE (one prompt)");
  app.add_option("--load-state", o.loadState,
                 "continue from the state in FILE: the prompt follows the "
                 "text that state has consumed (one prompt)");
  app.add_flag("--no-echo", o.noEcho,
               "Print only the generated text, not the prompt");
  app.add_option("--max-new-tokens", o.maxNewTokens,
                 "Tokens to generate per prompt at most (default 100)")
      ->type_name("N");
  app.add_option("--max-prompt-tokens", o.maxPromptTokens,
                 "Refuse longer prompts, per sequence (default 1048576; 0: "
                 "no limit)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--temperature", o.temperature,
                 "Softmax temperature, >= 0; 0 is greedy (default 0.8)");
  app.add_option("--top-k", o.topK,
                 "Keep the k most likely tokens; 0 off, 1 greedy (default 0)");
  app.add_option("--top-p", o.topP,
                 "Nucleus sampling mass in [0, 1]; 1 or 0 off (default 0.95)");
  app.add_option("--min-p", o.minP,
                 "Drop tokens less likely than min-p x the most likely one, "
                 "in [0, 1]; 0 off (default 0)");
  app.add_option("--repetition-penalty", o.repetitionPenalty,
                 "> 0; 1 off (default 1.1)");
  CLI::Option *seed = app.add_option(
      "--seed", o.seed, "Random seed of the sampler (default: a random one)");
  seed->type_name("N");
  app.add_option("--perplexity", o.perplexityFile,
                 "Report the perplexity of this text file and exit")
      ->type_name("FILE");
  app.add_flag("--tokenize", o.tokenize,
               "Print the prompts' token ids as JSON lists and exit");
  app.add_option("--input-ids", o.inputIds,
                 "Token ids as .npy (int32 or int64, shape [batch, length])")
      ->type_name("IDS.npy");
  app.add_option("--logits-out", o.logitsOut,
                 "Write float32 logits [batch, length, vocab] here as .npy")
      ->type_name("OUT.npy");
  app.add_option("--device", o.device, "auto, cuda or cpu (default auto)")
      ->check(CLI::IsMember({"auto", "cuda", "cpu"}));
  app.add_option("--tuning-db", o.tuningDb,
                 "Tuning database for the GPU's tiles (default: "
                 "$MAMBA_TUNING_DB, the cache's, else the shipped one; off: "
                 "none)");
  app.add_option("--dtype", o.dtype,
                 "Weights and activations: f32, f16 or bf16 (default: bf16 on "
                 "CUDA, f32 on the CPU)")
      ->check(CLI::IsMember(
          {"f32", "f16", "bf16", "float32", "float16", "bfloat16"}));
  app.add_option("--emit", o.emit,
                 "Print a compilation stage instead of running: mlir (as "
                 "built), tiled (after mamba-to-cuda) or cuda (the kernels)")
      ->check(CLI::IsMember({"mlir", "tiled", "cuda"}));
  app.add_option("--arch", o.arch, "GPU architecture for --emit")
      ->check(CLI::IsMember({"sm_80", "sm_86", "sm_87", "sm_89", "sm_90"}));
  app.add_flag("-q,--quiet", o.quiet,
               "No progress messages (the statistics line stays)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    return fail(std::string(e.what()) + " (see --help)");
  }
  o.seedGiven = seed->count() > 0;

  bool logitsMode = !o.inputIds.empty() || !o.logitsOut.empty();
  int modes = int(!o.emit.empty()) + int(logitsMode) +
              int(!o.perplexityFile.empty()) + int(o.tokenize);
  if (modes > 1)
    return fail("choose one of --emit, --input-ids/--logits-out, "
                "--perplexity and --tokenize");
  bool hasPrompt = !o.prompts.empty() || !o.promptFile.empty();
  if (hasPrompt && (!o.emit.empty() || logitsMode || !o.perplexityFile.empty()))
    return fail("--prompt and --prompt-file are for generation and "
                "--tokenize, not for --emit, --input-ids or --perplexity");
  if (logitsMode && (o.inputIds.empty() || o.logitsOut.empty()))
    return fail("--input-ids and --logits-out go together");

  // --tokenize with --tokenizer needs no model directory at all.
  if (o.tokenize && !o.tokenizer.empty()) {
    Result<LoadedTokenizer> tok = loadTokenizer(o, "");
    if (!tok.ok())
      return fail(tok.error());
    return runTokenize(o, tok->tokenizer);
  }
  // Bad sampling values are reported before anything is loaded.
  if (modes == 0) {
    if (Result<text::SamplingConfig> s = samplingConfig(o); !s.ok())
      return fail(s.error());
  }

  if (!o.randomModel.empty() && o.model.empty() && !o.emit.empty())
    return fail("--emit prints a checkpoint's compilation stages; pass "
                "--model DIR (the config.json is all it reads)");
  Result<std::string> dir = modelSource(o, !logitsMode);
  if (!dir.ok())
    return fail(dir.error());

  if (!o.emit.empty()) {
    EmitStage stage = o.emit == "mlir"    ? EmitStage::Mlir
                      : o.emit == "tiled" ? EmitStage::Tiled
                                          : EmitStage::Cuda;
    DType dtype = o.dtype.empty() ? DType::BF16 : *parseFloatDType(o.dtype);
    Result<std::string> text = emitModel(*dir, stage, dtype, o.arch);
    if (!text.ok())
      return fail(text.error());
    std::fputs(text->c_str(), stdout);
    return 0;
  }
  if (logitsMode)
    return runLogits(o, *dir);

  Result<LoadedTokenizer> tok = loadTokenizer(o, *dir);
  if (!tok.ok())
    return fail(tok.error());
  if (o.tokenize)
    return runTokenize(o, tok->tokenizer);
  if (!o.perplexityFile.empty())
    return runPerplexity(o, *dir, *tok);
  return runGenerate(o, *dir, *tok);
}
