//===- Request.cpp - the OpenAI request bodies of mamba-server ------------===//

#include "Request.h"

#include <algorithm>
#include <random>
#include <variant>

namespace mamba::server {

using Json = nlohmann::json;
using ojson = nlohmann::ordered_json;

Json errorBody(const ApiError &e) {
  Json err = {{"message", e.message},
              {"type", e.status == 429   ? "rate_limit_error"
                       : e.status >= 500 ? "server_error"
                                         : "invalid_request_error"},
              {"code", e.status}};
  err["param"] = e.param.empty() ? Json(nullptr) : Json(e.param);
  return {{"error", err}};
}

namespace {

std::string findEndOfTurn(const text::ChatTemplate &t, const ojson &base) {
  const std::string reply = "MambaServerProbeReply";
  ojson context = base;
  context["messages"] = {
      {{"role", "user"}, {"content", "MambaServerProbeQuestion"}},
      {{"role", "assistant"}, {"content", reply}}};
  context["add_generation_prompt"] = false;
  Result<std::string> text = t.render(context);
  if (!text.ok())
    return "";
  size_t at = text->rfind(reply);
  if (at == std::string::npos)
    return "";
  std::string after = text->substr(at + reply.size());
  size_t b = after.find_first_not_of(" \t\r\n");
  if (b == std::string::npos)
    return "";
  return after.substr(b, after.find_first_of(" \t\r\n", b) - b);
}

} // namespace

ChatSetup makeChatSetup(text::ChatTemplate t, const text::Tokenizer &tok,
                        std::optional<std::string> bos,
                        std::optional<std::string> eos) {
  ChatSetup c;
  if (!bos && tok.bosId())
    bos = tok.decode({*tok.bosId()});
  if (!eos && tok.eosId())
    eos = tok.decode({*tok.eosId()});
  if (bos)
    c.base["bos_token"] = *bos;
  if (eos)
    c.base["eos_token"] = *eos;
  c.endOfTurn = findEndOfTurn(t, c.base);
  c.tmpl = std::move(t);
  return c;
}

namespace {

/// The request's messages as the template gets them, in their order of
/// keys: each an object with a string role and a string content (null or
/// left out: only for an assistant's tool_calls; a list of text parts:
/// their texts joined by newlines). Nullopt and `error` set when a message
/// is not so.
std::optional<ojson> chatMessages(const ojson &messages, std::string &error) {
  ojson out = ojson::array();
  for (size_t k = 0; k < messages.size(); ++k) {
    const ojson &m = messages[k];
    std::string at = "messages[" + std::to_string(k) + "]";
    if (!m.is_object()) {
      error = at + " must be an object with string 'role' and 'content'";
      return std::nullopt;
    }
    auto role = m.find("role");
    if (role == m.end() || !role->is_string()) {
      error = at + ".role must be a string";
      return std::nullopt;
    }
    ojson message = m;
    auto content = m.find("content");
    if (content == m.end() || content->is_null()) {
      auto calls = m.find("tool_calls");
      if (*role != "assistant" || calls == m.end() || !calls->is_array() ||
          calls->empty()) {
        error = at + ".content must be a string (it may be null only for an "
                     "assistant message with tool_calls)";
        return std::nullopt;
      }
    } else if (content->is_array()) {
      std::string text;
      for (size_t j = 0; j < content->size(); ++j) {
        const ojson &part = (*content)[j];
        if (!part.is_object() || !part.contains("type") ||
            part["type"] != "text" || !part.contains("text") ||
            !part["text"].is_string()) {
          error = at + ".content[" + std::to_string(j) +
                  "] must be a {\"type\": \"text\", \"text\": ...} part (no "
                  "other kinds are supported)";
          return std::nullopt;
        }
        text += (j ? "\n" : "") + part["text"].get<std::string>();
      }
      message["content"] = text;
    } else if (!content->is_string()) {
      error = at + ".content must be a string or a list of text parts";
      return std::nullopt;
    }
    out.push_back(std::move(message));
  }
  return out;
}

} // namespace

std::optional<ApiError> parseRequest(const Json &body, const std::string &raw,
                                     bool chat, const RequestLimits &limits,
                                     const ChatSetup &setup,
                                     const text::Tokenizer &tok,
                                     ParsedRequest &p) {
  auto bad = [](const std::string &param, const std::string &message) {
    return ApiError{400, message, param};
  };
  if (!body.is_object())
    return bad("", "the request body must be a JSON object");
  if (body.contains("model") && !body["model"].is_null() &&
      body["model"] != limits.modelName)
    return ApiError{404,
                    "model " + body["model"].dump() +
                        " is not served here; this server serves \"" +
                        limits.modelName + "\" (GET /v1/models)",
                    "model"};
  auto number = [&](const char *name, double lo, double hi,
                    double def) -> std::variant<double, ApiError> {
    if (!body.contains(name) || body[name].is_null())
      return def;
    if (!body[name].is_number())
      return bad(name, std::string("'") + name + "' must be a number");
    double v = body[name].get<double>();
    if (!(v >= lo && v <= hi))
      return bad(name, std::string("'") + name + "' must be in [" +
                           Json(lo).dump() + ", " + Json(hi).dump() +
                           "], got " + body[name].dump());
    return v;
  };
  auto integer = [&](const char *name, int64_t lo, int64_t hi,
                     int64_t def) -> std::variant<double, ApiError> {
    if (body.contains(name) && !body[name].is_null() &&
        !body[name].is_number_integer())
      return bad(name, std::string("'") + name + "' must be an integer");
    return number(name, double(lo), double(hi), double(def));
  };
  // Prompts. A chat's is the template's text for its messages.
  std::string chatPrompt;
  if (chat) {
    if (!setup.tmpl)
      return bad("messages",
                 "/v1/chat/completions is not available: " + setup.why);
    if (!body.contains("messages") || !body["messages"].is_array() ||
        body["messages"].empty())
      return bad("messages", "'messages' must be a non-empty list of "
                             "{\"role\", \"content\"} objects");
    // Parsed again keeping the order of keys, which the template may show
    // (a tool's JSON schema through tojson).
    ojson ordered = ojson::parse(raw, nullptr, false);
    std::string error;
    std::optional<ojson> messages = chatMessages(ordered["messages"], error);
    if (!messages)
      return bad("messages", error);
    ojson context = setup.base;
    if (ordered.contains("tools") && !ordered["tools"].is_null()) {
      if (!ordered["tools"].is_array())
        return bad("tools", "'tools' must be a list");
      context["tools"] = ordered["tools"];
    }
    if (ordered.contains("chat_template_kwargs")) {
      if (!ordered["chat_template_kwargs"].is_object())
        return bad("chat_template_kwargs",
                   "'chat_template_kwargs' must be an object");
      const ojson &kwargs = ordered["chat_template_kwargs"];
      for (auto it = kwargs.begin(); it != kwargs.end(); ++it)
        context[it.key()] = it.value();
    }
    context["messages"] = std::move(*messages);
    context["add_generation_prompt"] = true;
    Result<std::string> text = setup.tmpl->render(context);
    if (!text.ok())
      return bad("messages",
                 "the chat template refused the messages: " + text.error());
    chatPrompt = text.take();
    if (!setup.endOfTurn.empty())
      p.base.stop.push_back(setup.endOfTurn);
  }
  auto encode = [&](const std::string &text) -> std::vector<int32_t> {
    std::vector<int32_t> ids = tok.encode(text);
    if (ids.empty() && tok.bosId())
      ids.push_back(*tok.bosId());
    return ids;
  };
  if (chat) {
    // The template writes the special tokens it wants; the tokenizer's
    // post-processor does not add a BOS that is already there.
    std::vector<int32_t> ids = text::encodeChatPrompt(tok, chatPrompt);
    if (ids.empty() && tok.bosId())
      ids.push_back(*tok.bosId());
    p.prompts.push_back(std::move(ids));
  } else {
    if (!body.contains("prompt"))
      return bad("prompt", "'prompt' is required (a string, a list of "
                           "strings, a list of token ids or a list of lists)");
    const Json &prompt = body["prompt"];
    auto ids = [&](const Json &list) -> std::optional<std::vector<int32_t>> {
      std::vector<int32_t> out;
      for (const Json &v : list) {
        if (!v.is_number_integer() || v.get<int64_t>() < 0 ||
            v.get<int64_t>() >= tok.vocabSize())
          return std::nullopt;
        out.push_back(int32_t(v.get<int64_t>()));
      }
      return out;
    };
    if (prompt.is_string()) {
      p.prompts.push_back(encode(prompt.get<std::string>()));
    } else if (prompt.is_array() && !prompt.empty() && prompt[0].is_number()) {
      auto list = ids(prompt);
      if (!list)
        return bad("prompt", "a token-id prompt must hold integers in [0, " +
                                 std::to_string(tok.vocabSize()) + ")");
      p.prompts.push_back(*list);
    } else if (prompt.is_array() && !prompt.empty()) {
      for (const Json &item : prompt) {
        if (item.is_string()) {
          p.prompts.push_back(encode(item.get<std::string>()));
        } else if (item.is_array()) {
          auto list = ids(item);
          if (!list)
            return bad("prompt", "a token-id prompt must hold integers in "
                                 "[0, " +
                                     std::to_string(tok.vocabSize()) + ")");
          p.prompts.push_back(*list);
        } else {
          return bad("prompt", "each prompt of a list must be a string or a "
                               "list of token ids");
        }
      }
    } else {
      return bad("prompt", "'prompt' must be a string, a non-empty list of "
                           "strings, a list of token ids or a list of lists");
    }
  }
  for (const std::vector<int32_t> &ids : p.prompts) {
    if (ids.empty())
      return bad("prompt", "a prompt has no tokens and the tokenizer has no "
                           "BOS token to start from");
    if (int64_t(ids.size()) > limits.maxPromptTokens)
      return bad("prompt", "the prompt has " + std::to_string(ids.size()) +
                               " tokens, more than the limit of " +
                               std::to_string(limits.maxPromptTokens) +
                               " (--max-prompt-tokens)");
  }
  // Generation settings.
  int64_t defMax = chat ? std::min<int64_t>(256, limits.maxTokensLimit) : 16;
  const char *maxName = chat && body.contains("max_completion_tokens")
                            ? "max_completion_tokens"
                            : "max_tokens";
  if (body.contains(maxName) && body[maxName].is_number_integer() &&
      body[maxName].get<int64_t>() > limits.maxTokensLimit)
    return bad(maxName, std::string("'") + maxName + "' is " +
                            body[maxName].dump() + ", more than the limit of " +
                            std::to_string(limits.maxTokensLimit) +
                            " (--max-tokens-limit)");
  struct Field {
    const char *name;
    std::variant<double, ApiError> value;
  };
  std::vector<Field> fields = {
      {maxName, integer(maxName, 0, limits.maxTokensLimit, double(defMax))},
      {"temperature", number("temperature", 0, 100, 1.0)},
      {"top_p", number("top_p", 0, 1, 1.0)},
      {"top_k", integer("top_k", 0, 1 << 30, 0)},
      {"min_p", number("min_p", 0, 1, 0)},
      {"repetition_penalty", number("repetition_penalty", 1e-6, 1e6, 1.0)},
      {"n", integer("n", 1, limits.maxN, 1)},
  };
  std::map<std::string, double> v;
  for (Field &f : fields) {
    if (auto *e = std::get_if<ApiError>(&f.value)) {
      if (std::string(f.name) == "n")
        e->message += " (at most " + std::to_string(limits.maxN) + " choices)";
      return *e;
    }
    v[f.name] = std::get<double>(f.value);
  }
  p.base.maxTokens = int64_t(v[maxName]);
  p.base.sampling.temperature = float(v["temperature"]);
  p.base.sampling.topP = float(v["top_p"]);
  p.base.sampling.topK = int32_t(v["top_k"]);
  p.base.sampling.minP = float(v["min_p"]);
  p.base.sampling.repetitionPenalty = float(v["repetition_penalty"]);
  p.n = int64_t(v["n"]);
  if (body.contains("seed") && !body["seed"].is_null()) {
    if (!body["seed"].is_number_integer())
      return bad("seed", "'seed' must be an integer");
    p.base.sampling.seed = uint64_t(body["seed"].get<int64_t>());
    p.hasSeed = true;
  } else {
    p.base.sampling.seed =
        uint64_t(std::random_device()()) << 32 | std::random_device()();
  }
  if (body.contains("stream") && !body["stream"].is_null()) {
    if (!body["stream"].is_boolean())
      return bad("stream", "'stream' must be true or false");
    p.stream = body["stream"].get<bool>();
  }
  if (body.contains("stop") && !body["stop"].is_null()) {
    const Json &stop = body["stop"];
    if (stop.is_string())
      p.base.stop.push_back(stop.get<std::string>());
    else if (stop.is_array() && stop.size() <= 4)
      for (const Json &s : stop) {
        if (!s.is_string() || s.get<std::string>().empty())
          return bad("stop", "'stop' must be a string or a list of at most 4 "
                             "non-empty strings");
        p.base.stop.push_back(s.get<std::string>());
      }
    else
      return bad("stop", "'stop' must be a string or a list of at most 4 "
                         "non-empty strings");
  }
  if (chat) {
    if (body.contains("logprobs") && body["logprobs"].is_boolean() &&
        body["logprobs"].get<bool>()) {
      Json top = body.value("top_logprobs", Json(0));
      if (!top.is_number_integer() || top.get<int64_t>() < 0 ||
          top.get<int64_t>() > 20)
        return bad("top_logprobs",
                   "'top_logprobs' must be an integer in [0, 20]");
      p.base.logprobs = int32_t(top.get<int64_t>());
    }
  } else {
    if (body.contains("logprobs") && !body["logprobs"].is_null()) {
      if (!body["logprobs"].is_number_integer() ||
          body["logprobs"].get<int64_t>() < 0 ||
          body["logprobs"].get<int64_t>() > 20)
        return bad("logprobs", "'logprobs' must be an integer in [0, 20]");
      p.base.logprobs = int32_t(body["logprobs"].get<int64_t>());
    }
    if (body.contains("echo") && !body["echo"].is_null()) {
      if (!body["echo"].is_boolean())
        return bad("echo", "'echo' must be true or false");
      p.echo = body["echo"].get<bool>();
    }
  }
  if (Status s = p.base.sampling.validate(); !s.ok())
    return bad("", s.error());
  p.base.echo = p.echo && p.base.logprobs >= 0;
  p.chat = chat;
  return std::nullopt;
}

} // namespace mamba::server
