//===- ServerRequestFuzzer.cpp - fuzz mamba-server's request bodies -------===//
//
// The input is a request body after one byte that picks the endpoint (odd:
// /v1/chat/completions with the built-in ChatML template, even:
// /v1/completions), read as mamba-server reads it with the demo model's
// tokenizer and small limits. A body that is not JSON is the server's 400
// before this point. Every other body must be either accepted within the
// limits (prompts of known ids, n, max_tokens and stop within bounds) or
// refused with a 400/404 whose JSON error object can be written, never
// crash, throw or hang.
//
//===----------------------------------------------------------------------===//

#include "Request.h"

#include <cstdio>
#include <cstdlib>

using namespace mamba;
using namespace mamba::server;

namespace {

const text::Tokenizer &demoTokenizer() {
  static const text::Tokenizer tok = [] {
    auto t = text::Tokenizer::fromFile(MAMBA_DEMO_TOKENIZER);
    if (!t) {
      std::fprintf(stderr, "%s\n", t.error().c_str());
      std::abort();
    }
    return t.take();
  }();
  return tok;
}

/// The built-in ChatML template with the tokenizer's special tokens, as
/// mamba-server --chat-template chatml sets it up.
const ChatSetup &chatSetup() {
  static const ChatSetup setup = [] {
    auto t = text::ChatTemplate::parse(text::chatMLTemplateSource(), "chatml");
    if (!t) {
      std::fprintf(stderr, "%s\n", t.error().c_str());
      std::abort();
    }
    return makeChatSetup(t.take(), demoTokenizer(), std::nullopt, std::nullopt);
  }();
  return setup;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  const bool chat = data[0] & 1;
  std::string raw(reinterpret_cast<const char *>(data + 1), size - 1);
  nlohmann::json body = nlohmann::json::parse(raw, nullptr, false);
  if (body.is_discarded())
    return 0;
  RequestLimits limits;
  limits.modelName = "demo";
  limits.maxTokensLimit = 64;
  limits.maxPromptTokens = 256;
  limits.maxN = 4;
  const text::Tokenizer &tok = demoTokenizer();
  ParsedRequest p;
  std::optional<ApiError> e =
      parseRequest(body, raw, chat, limits, chatSetup(), tok, p);
  if (e) {
    if ((e->status != 400 && e->status != 404) || e->message.empty())
      std::abort();
    (void)errorBody(*e).dump(); // throws on text that is not UTF-8
    return 0;
  }
  if (p.prompts.empty() || p.n < 1 || p.n > limits.maxN ||
      p.base.maxTokens < 0 || p.base.maxTokens > limits.maxTokensLimit ||
      p.base.stop.size() > 5 || p.chat != chat)
    std::abort();
  for (const std::vector<int32_t> &ids : p.prompts) {
    if (ids.empty() || int64_t(ids.size()) > limits.maxPromptTokens)
      std::abort();
    for (int32_t id : ids)
      if (id < 0 || id >= tok.vocabSize())
        std::abort();
  }
  for (const std::string &s : p.base.stop)
    if (s.empty())
      std::abort();
  return 0;
}
