//===- Generate.cpp - mamba-run's prompts and text generation -------------===//
//
// The decode loop of mamba_ssm's utils/generation.py (mamba-reference.md
// section 4): prefill the prompts, sample the next token of every row from
// the last position's logits, feed the sampled tokens back one step at a
// time. Differences from the reference, all deliberate:
//  - --max-new-tokens counts new tokens only (the reference's max_length
//    counts the prompt too);
//  - a row stops at the tokenizer's EOS id, which is not printed; the other
//    rows go on (a finished row is fed EOS, its output ignored);
//  - ids past the tokenizer's vocabulary (the checkpoint's padding rows) are
//    never sampled;
//  - each row has its own sampler, seeded with seed + row, so a row's
//    randomness does not depend on the others';
//  - min-p is computed as Sampling.h documents (not the reference's bug).
//
//===----------------------------------------------------------------------===//

#include "Generate.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace mamba::run {

namespace {

double msSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t)
      .count();
}

/// Drops one trailing "\n" or "\r\n".
std::string chompNewline(std::string s) {
  if (!s.empty() && s.back() == '\n') {
    s.pop_back();
    if (!s.empty() && s.back() == '\r')
      s.pop_back();
  }
  return s;
}

bool isBlank(const std::string &s) {
  return s.find_first_not_of(" \t\r\v\f") == std::string::npos;
}

void writeOut(const std::string &s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
}

std::string jsonList(const std::vector<int32_t> &ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i)
    s += (i ? ", " : "") + std::to_string(ids[i]);
  return s + "]";
}

} // namespace

Result<std::vector<std::string>> gatherPrompts(const RunOptions &o) {
  if (!o.prompts.empty() && !o.promptFile.empty())
    return Error("give prompts either with --prompt or with --prompt-file, "
                 "not both");
  if (o.wholeFile && o.promptFile.empty())
    return Error("--whole-file goes with --prompt-file FILE");
  if (!o.prompts.empty())
    return o.prompts;
  if (!o.promptFile.empty()) {
    Result<std::string> text = readFile(o.promptFile);
    if (!text.ok())
      return Error("--prompt-file: " + text.error());
    if (o.wholeFile) {
      std::string prompt = chompNewline(text.take());
      if (prompt.empty())
        return Error("--prompt-file " + o.promptFile + " is empty");
      return std::vector<std::string>{prompt};
    }
    std::vector<std::string> prompts;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty() && line.back() == '\r')
        line.pop_back();
      if (!isBlank(line))
        prompts.push_back(line);
    }
    if (prompts.empty())
      return Error("--prompt-file " + o.promptFile +
                   " has no prompt (one per non-blank line; use --whole-file "
                   "for a single multi-line prompt)");
    return prompts;
  }
  if (isatty(STDIN_FILENO))
    return Error("no prompt: give --prompt TEXT, --prompt-file FILE, or pipe "
                 "the prompt on stdin");
  std::ostringstream s;
  s << std::cin.rdbuf();
  std::string prompt = chompNewline(s.str());
  if (prompt.empty())
    return Error("no prompt: stdin was empty; give --prompt TEXT, "
                 "--prompt-file FILE, or pipe the prompt on stdin");
  return std::vector<std::string>{prompt};
}

Result<std::vector<std::vector<int32_t>>>
tokenizePrompts(const std::vector<std::string> &prompts,
                const text::Tokenizer &tokenizer) {
  std::vector<std::vector<int32_t>> out;
  for (size_t i = 0; i < prompts.size(); ++i) {
    std::vector<int32_t> ids = tokenizer.encode(prompts[i]);
    if (ids.empty()) {
      if (!tokenizer.bosId())
        return Error("prompt #" + std::to_string(i) +
                     " has no tokens and the tokenizer has no BOS token to "
                     "start from; give a non-empty prompt");
      ids.push_back(*tokenizer.bosId());
    }
    out.push_back(std::move(ids));
  }
  return out;
}

Result<text::SamplingConfig> samplingConfig(const RunOptions &o) {
  auto bad = [](const char *what, double value) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", value);
    return Error(std::string(what) + ", got " + buf);
  };
  if (!(std::isfinite(o.temperature) && o.temperature >= 0))
    return bad("--temperature must be a finite number >= 0 (0 is greedy)",
               o.temperature);
  if (o.topK < 0)
    return bad("--top-k must be >= 0 (0 is off, 1 is greedy)", o.topK);
  if (!(o.topP >= 0 && o.topP <= 1))
    return bad("--top-p must be in [0, 1] (1 is off)", o.topP);
  if (!(o.minP >= 0 && o.minP <= 1))
    return bad("--min-p must be in [0, 1] (0 is off)", o.minP);
  if (!(std::isfinite(o.repetitionPenalty) && o.repetitionPenalty > 0))
    return bad("--repetition-penalty must be a finite number > 0 (1 is off)",
               o.repetitionPenalty);
  text::SamplingConfig c;
  c.temperature = o.temperature;
  c.topK = o.topK;
  c.topP = o.topP;
  c.minP = o.minP;
  c.repetitionPenalty = o.repetitionPenalty;
  c.seed = o.seed;
  MAMBA_TRY(c.validate());
  return c;
}

int runTokenize(const RunOptions &o, const text::Tokenizer &tokenizer) {
  Result<std::vector<std::string>> prompts = gatherPrompts(o);
  if (!prompts.ok())
    return fail(prompts.error());
  // The ids exactly as encode() gives them (an empty prompt prints []).
  for (const std::string &p : *prompts)
    std::printf("%s\n", jsonList(tokenizer.encode(p)).c_str());
  return 0;
}

int runGenerate(const RunOptions &o, const std::string &modelDir,
                const LoadedTokenizer &loaded) {
  const text::Tokenizer &tok = loaded.tokenizer;
  Result<text::SamplingConfig> sampling = samplingConfig(o);
  if (!sampling.ok())
    return fail(sampling.error());
  if (o.maxNewTokens < 0)
    return fail("--max-new-tokens must be >= 0 (got " +
                std::to_string(o.maxNewTokens) + ")");
  Result<std::vector<std::string>> prompts = gatherPrompts(o);
  if (!prompts.ok())
    return fail(prompts.error());
  Result<std::vector<std::vector<int32_t>>> ids =
      tokenizePrompts(*prompts, tok);
  if (!ids.ok())
    return fail(ids.error());
  const int64_t batch = int64_t(ids->size());
  if ((!o.saveState.empty() || !o.loadState.empty()) && batch != 1)
    return fail("--save-state and --load-state take one prompt, got " +
                std::to_string(batch));
  // Prompts of different lengths run as one ragged prefill (packed with
  // their boundaries, on the CPU and on CUDA); nothing is padded, so every
  // row gets exactly its own prompt's logits.
  bool ragged = false;
  for (int64_t b = 1; b < batch; ++b)
    ragged |= (*ids)[b].size() != (*ids)[0].size();

  Result<std::shared_ptr<Model>> model = loadModel(o, modelDir);
  if (!model.ok())
    return fail(model.error());
  if (Status s = checkVocabularies(loaded, **model, modelDir); !s.ok())
    return fail(s.error());

  text::SamplingConfig cfg = *sampling;
  if (!o.seedGiven) {
    std::random_device rd;
    cfg.seed = (uint64_t(rd()) << 32) ^ rd();
  }
  // Padded vocabulary rows of the checkpoint are never sampled.
  cfg.vocabLimit = tok.vocabSize();
  std::vector<text::Sampler> samplers;
  for (int64_t b = 0; b < batch; ++b) {
    text::SamplingConfig rowCfg = cfg;
    rowCfg.seed = cfg.seed + uint64_t(b);
    Result<text::Sampler> s = text::Sampler::create(rowCfg);
    if (!s.ok())
      return fail(s.error());
    samplers.push_back(s.take());
  }

  Result<std::unique_ptr<Session>> session =
      Session::create(*model, batch, sessionOptions(o));
  if (!session.ok())
    return fail(session.error());
  std::vector<int32_t> consumed;
  if (!o.loadState.empty()) {
    Result<StateFile> file = loadStateFile(o.loadState, **model);
    if (!file.ok())
      return fail("--load-state: " + file.error());
    if (Status s = (*session)->restoreState(0, file->state); !s.ok())
      return fail("--load-state " + o.loadState + ": " + s.error());
    consumed = file->tokens;
    note(o, "continuing from the state of " + std::to_string(consumed.size()) +
                " tokens in " + o.loadState);
  }

  auto t0 = std::chrono::steady_clock::now();
  Result<Logits> logits = Error("no prefill");
  if (ragged) {
    std::vector<int64_t> rows;
    for (int64_t b = 0; b < batch; ++b)
      rows.push_back(b);
    Result<std::vector<Logits>> each = (*session)->prefillRows(rows, *ids);
    if (!each.ok())
      return fail(each.error());
    Logits joined;
    joined.batch = batch;
    joined.positions = 1;
    joined.vocab = (*each)[0].vocab;
    for (const Logits &l : *each)
      joined.values.insert(joined.values.end(), l.values.begin(),
                           l.values.end());
    logits = std::move(joined);
  } else {
    std::vector<int32_t> flat;
    for (const std::vector<int32_t> &row : *ids)
      flat.insert(flat.end(), row.begin(), row.end());
    logits = (*session)->prefill(flat, int64_t((*ids)[0].size()));
  }
  if (!logits.ok())
    return fail(logits.error());
  double prefillMs = msSince(t0);
  if (!o.saveState.empty()) {
    Result<SessionState> state = (*session)->saveState(0);
    if (!state.ok())
      return fail(state.error());
    consumed.insert(consumed.end(), (*ids)[0].begin(), (*ids)[0].end());
    if (Status s = saveStateFile(o.saveState, **model, {*state, consumed});
        !s.ok())
      return fail("--save-state: " + s.error());
    note(o, "saved the state after " + std::to_string(consumed.size()) +
                " tokens to " + o.saveState);
  }

  const std::optional<int32_t> eos = tok.eosId();
  std::vector<std::vector<int32_t>> history = *ids;
  std::vector<text::StreamDecoder> decoders(batch, text::StreamDecoder(tok));
  std::vector<std::string> completions(batch);
  std::vector<char> done(batch, 0);
  std::vector<int64_t> generated(batch, 0);
  int64_t remaining = batch;
  // Batch 1 streams; a batch prints each row when it is done.
  auto finishRow = [&](int64_t b) {
    done[b] = 1;
    --remaining;
    std::string tail = decoders[b].finish();
    if (batch == 1) {
      writeOut(tail + "\n");
    } else {
      writeOut("[" + std::to_string(b) + "] " +
               (o.noEcho ? std::string() : (*prompts)[b]) + completions[b] +
               tail + "\n");
    }
    std::fflush(stdout);
  };
  if (batch == 1 && !o.noEcho) {
    writeOut((*prompts)[0]);
    std::fflush(stdout);
  }
  // A failure mid-stream ends the partial line first.
  auto abort = [&](const std::string &message) {
    if (batch == 1)
      writeOut("\n");
    std::fflush(stdout);
    return fail(message);
  };

  auto td = std::chrono::steady_clock::now();
  int64_t rounds = 0, sampled = 0;
  std::vector<int32_t> next(batch, 0);
  if (o.maxNewTokens == 0)
    for (int64_t b = 0; b < batch; ++b)
      finishRow(b);
  while (remaining > 0) {
    for (int64_t b = 0; b < batch; ++b) {
      if (done[b]) {
        // Something valid to feed; its logits are ignored.
        next[b] = eos ? *eos : history[b].back();
        continue;
      }
      // The sampler reads NaN as -inf; a NaN here means a broken model or
      // kernel, which must not pass for text.
      const float *row = logits->row(b);
      for (int64_t v = 0; v < cfg.vocabLimit; ++v)
        if (std::isnan(row[v])) {
          return abort("the model produced a NaN logit (row " +
                       std::to_string(b) + ", new token " +
                       std::to_string(generated[b]) + ", id " +
                       std::to_string(v) + ")");
        }
      int32_t id = samplers[b].sample(row, logits->vocab, history[b]);
      ++sampled;
      next[b] = id;
      if (eos && id == *eos) {
        finishRow(b);
        continue;
      }
      history[b].push_back(id);
      ++generated[b];
      std::string piece = decoders[b].push(id);
      if (batch == 1) {
        writeOut(piece);
        std::fflush(stdout);
      } else {
        completions[b] += piece;
      }
      if (generated[b] == o.maxNewTokens)
        finishRow(b);
    }
    ++rounds;
    if (remaining == 0)
      break;
    logits = (*session)->step(next);
    if (!logits.ok())
      return abort(logits.error());
  }
  double decodeMs = msSince(td);

  // Decode time runs from the prefill's logits to the last sampled token:
  // `rounds` samplings (one per row each) and rounds - 1 steps, as the
  // reference counts its genlen tokens. ms/token is per round (the latency a
  // reader sees); tokens/s counts every sampled token of every row.
  char line[512];
  std::string sampler = cfg.isGreedy() ? std::string("greedy")
                                       : "seed " + std::to_string(cfg.seed);
  int64_t total = 0;
  for (const std::vector<int32_t> &row : *ids)
    total += int64_t(row.size());
  std::string promptDesc =
      batch == 1 ? std::to_string(total) + " tokens"
      : ragged ? std::to_string(batch) + " prompts, " + std::to_string(total) +
                     " tokens (ragged)"
               : std::to_string(batch) + " x " +
                     std::to_string((*ids)[0].size()) + " tokens";
  std::snprintf(line, sizeof(line),
                "[mamba-run] prompt %s, prefill %.2f ms | %lld new tokens, "
                "decode %.3f ms/token, %.2f tokens/s | %s | %s %s\n",
                promptDesc.c_str(), prefillMs, (long long)rounds,
                rounds ? decodeMs / double(rounds) : 0.0,
                decodeMs > 0 ? double(sampled) / (decodeMs / 1000.0) : 0.0,
                sampler.c_str(), deviceName((*model)->device()),
                dtypeName((*model)->dtype()));
  std::fputs(line, stderr);
  return 0;
}

} // namespace mamba::run
