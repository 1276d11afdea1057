//===- Request.h - the OpenAI request bodies of mamba-server ----*- C++ -*-===//
//
// What a /v1/completions or /v1/chat/completions body asks for, checked
// against the server's limits: the prompts (strings, token ids, or a chat's
// messages rendered by its template) and the generation settings of each
// sequence, or the 4xx error that names the field at fault. No HTTP here,
// so that test/fuzz/ServerRequestFuzzer.cpp can drive it directly.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TOOLS_MAMBASERVER_REQUEST_H
#define MAMBA_TOOLS_MAMBASERVER_REQUEST_H

#include "Scheduler.h"
#include "runtime/text/ChatTemplate.h"
#include "runtime/text/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mamba::server {

/// A request error: HTTP status, message, and the field at fault.
struct ApiError {
  int status;
  std::string message;
  std::string param;
};

/// OpenAI's error object for `e`: {"error": {message, type, param, code}}.
nlohmann::json errorBody(const ApiError &e);

/// The chat template of /v1/chat/completions (runtime/text/ChatTemplate.h)
/// and what the server gives it besides the request's messages.
struct ChatSetup {
  std::optional<text::ChatTemplate> tmpl;
  /// Without a template: why, for the 400 of a chat request.
  std::string why;
  /// The variables of every render besides the request's: bos_token and
  /// eos_token, and tools and documents as none (transformers always passes
  /// them).
  nlohmann::ordered_json base = {{"tools", nullptr}, {"documents", nullptr}};
  /// The text the template writes after an assistant's message (e.g.
  /// "<|im_end|>"): a stop string of every chat request.
  std::string endOfTurn;
};

/// The chat setup of template `t`: bos_token and eos_token are `bos` and
/// `eos` (a tokenizer_config.json's), else the tokenizer's special tokens;
/// endOfTurn is the text the template puts right after an assistant's
/// message, up to the first whitespace, found by rendering a probe
/// conversation (empty when that render fails or writes only whitespace
/// there).
ChatSetup makeChatSetup(text::ChatTemplate t, const text::Tokenizer &tok,
                        std::optional<std::string> bos,
                        std::optional<std::string> eos);

/// The server's limits that a request is checked against (the options of
/// the same names).
struct RequestLimits {
  std::string modelName;
  int64_t maxTokensLimit = 4096;
  int64_t maxPromptTokens = 16384;
  int64_t maxN = 16;
};

/// A request that passed: its prompts (each runs `n` times) and the
/// settings every one of its sequences shares.
struct ParsedRequest {
  std::vector<std::vector<int32_t>> prompts;
  SequenceRequest base;
  int64_t n = 1;
  bool stream = false, echo = false, chat = false;
  bool hasSeed = false;
};

/// Checks and reads `body` (`raw` is its text, parsed again for a chat to
/// keep the order of keys) into `p`; a chat request's messages go through
/// `setup`'s template. Returns the error (400, or 404 for another model)
/// instead when the body breaks a rule or a limit. `tok` is not locked here.
std::optional<ApiError>
parseRequest(const nlohmann::json &body, const std::string &raw, bool chat,
             const RequestLimits &limits, const ChatSetup &setup,
             const text::Tokenizer &tok, ParsedRequest &p);

} // namespace mamba::server

#endif // MAMBA_TOOLS_MAMBASERVER_REQUEST_H
