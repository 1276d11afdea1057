//===- mamba-server.cpp - an OpenAI-compatible HTTP server ----------------===//
//
// mamba-server [--model DIR] [--port N] ...: serves one model over HTTP with
// cpp-httplib: /v1/completions, /v1/chat/completions, /v1/models, /health and
// /metrics (Prometheus text). Requests become sequences of the continuous
// batching Scheduler (Scheduler.h). Without --model it serves the demo model.
// Limits (body size, max_tokens, prompt length, concurrent requests) answer
// 4xx with a JSON error that names the limit and its option. SIGINT/SIGTERM
// stop taking requests, let running ones finish for --shutdown-timeout
// seconds, cancel the rest, and exit; a second signal cancels at once.
//
//===----------------------------------------------------------------------===//

#include "Request.h"
#include "RunOptions.h"
#include "Scheduler.h"
#include "runtime/Version.h"
#include "runtime/text/ChatTemplate.h"

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <unistd.h>

using namespace mamba;
using namespace mamba::server;
using Json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

/// The command line; the request limits (Request.h) are among them.
struct ServerOptions : RequestLimits {
  std::string host = "127.0.0.1";
  int port = 8080;
  int64_t slots = 8;
  size_t maxBodyBytes = 1 << 20;
  int64_t maxConcurrent = 64;
  double prefixCacheMb = 256;
  double prefixCacheDeviceMb = -1; // -1: 1024 on CUDA, 0 on the CPU
  std::string chatTemplate = "auto";
  double shutdownTimeout = 30;
};

void sendError(httplib::Response &res, const ApiError &e) {
  res.status = e.status;
  res.set_content(errorBody(e).dump(), "application/json");
}

/// Counters of the HTTP side for /metrics.
struct HttpMetrics {
  std::mutex mutex;
  std::map<std::pair<std::string, int>, int64_t> requests;
  std::atomic<int64_t> inFlight{0};
  void count(const std::string &path, int status) {
    std::lock_guard<std::mutex> lock(mutex);
    ++requests[{path, status}];
  }
};

/// --chat-template: auto (the chat_template of tokenizer_config.json beside
/// the tokenizer, if any), chatml (built in), none, or a file: a
/// tokenizer_config.json (a name ending in .json) or a Jinja template. A
/// template that does not parse is an error: the server does not start.
Result<ChatSetup> loadChat(const ServerOptions &o,
                           const run::LoadedTokenizer &loaded) {
  ChatSetup c;
  if (o.chatTemplate == "none") {
    c.why = "chat is off (--chat-template none)";
    return c;
  }
  std::optional<std::string> bos, eos;
  std::string source, origin;
  if (o.chatTemplate == "chatml") {
    source = text::chatMLTemplateSource();
    origin = "the built-in ChatML template";
  } else {
    bool isAuto = o.chatTemplate == "auto";
    std::string path = o.chatTemplate;
    if (isAuto)
      path = loaded.path.substr(0, loaded.path.find_last_of('/') + 1) +
             "tokenizer_config.json";
    const std::string hint = "; start the server with --chat-template "
                             "chatml to use ChatML, or --chat-template FILE";
    if (isAuto && access(path.c_str(), F_OK) != 0) {
      c.why = "the model has no chat template (no " + path + ")" + hint;
      return c;
    }
    Result<std::string> text = run::readFile(path);
    MAMBA_TRY(text);
    if (isAuto ||
        (path.size() >= 5 && path.substr(path.size() - 5) == ".json")) {
      Json config = Json::parse(*text, nullptr, false);
      if (config.is_discarded())
        return Error(path + ": not valid JSON");
      Result<std::optional<text::ChatTemplateSource>> found =
          text::chatTemplateFromConfig(config, path);
      MAMBA_TRY(found);
      if (!found->has_value()) {
        if (!isAuto)
          return Error(path + " has no 'chat_template'");
        c.why = "the model has no chat template ('chat_template' in " + path +
                ")" + hint;
        return c;
      }
      source = (*found)->source;
      bos = (*found)->bosToken;
      eos = (*found)->eosToken;
      origin = path + ": chat_template";
    } else {
      source = text.take();
      origin = path;
    }
  }
  Result<text::ChatTemplate> t = text::ChatTemplate::parse(source, origin);
  if (!t.ok())
    return Error(t.error() + " (--chat-template none starts the server "
                             "without chat)");
  return makeChatSetup(t.take(), loaded.tokenizer, bos, eos);
}

class Server {
public:
  Server(const ServerOptions &o, std::shared_ptr<Model> model,
         text::Tokenizer tokenizer, ChatSetup chat,
         std::unique_ptr<Scheduler> scheduler)
      : o_(o), model_(std::move(model)), tok_(std::move(tokenizer)),
        chat_(std::move(chat)), scheduler_(std::move(scheduler)),
        created_(std::time(nullptr)) {}

  int run();
  void shutdown(bool cancel);

private:
  struct Choice {
    std::vector<int32_t> prompt;
    std::shared_ptr<Sequence> sequence;
    std::string text;
    std::vector<TokenLogprob> promptTokens, tokens;
    std::string finishReason;
    bool finished = false;
  };
  using Parsed = ParsedRequest;

  void routes();
  std::optional<ApiError> parse(const Json &body, const std::string &raw,
                                bool chat, Parsed &p) {
    std::lock_guard<std::mutex> lock(tokMutex_);
    return parseRequest(body, raw, chat, o_, chat_, tok_, p);
  }
  void complete(const httplib::Request &req, httplib::Response &res, bool chat);
  std::vector<std::shared_ptr<Choice>> start(const Parsed &p);
  /// Where each token's text starts in the choice's text, in characters
  /// (code points), as OpenAI's text_offset: the length of the text that
  /// the tokens before it decode to. A token that ends inside a character
  /// starts where that character does.
  struct TextOffsets {
    TextOffsets(const text::Tokenizer &tok, size_t start)
        : decoder(tok), at(start) {}
    /// The offset of token `id`, then `id` is counted.
    size_t next(int32_t id);
    text::StreamDecoder decoder;
    size_t at;
  };
  Json logprobsJson(const std::vector<TokenLogprob> &tokens,
                    TextOffsets &offsets, bool first) const;
  Json choiceJson(const Parsed &p, const Choice &c, size_t index) const;
  std::string metricsText();
  std::string tokenText(int32_t id) const { return tok_.decode({id}); }

  ServerOptions o_;
  std::shared_ptr<Model> model_;
  text::Tokenizer tok_;
  std::mutex tokMutex_;
  ChatSetup chat_;
  std::unique_ptr<Scheduler> scheduler_;
  httplib::Server http_;
  HttpMetrics metrics_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> nextId_{1};
  std::time_t created_;
};

std::vector<std::shared_ptr<Server::Choice>> Server::start(const Parsed &p) {
  std::vector<std::shared_ptr<Choice>> choices;
  for (const std::vector<int32_t> &prompt : p.prompts)
    for (int64_t j = 0; j < p.n; ++j) {
      SequenceRequest r = p.base;
      r.prompt = prompt;
      // Choice j of a seeded request draws with seed + j, so it does not
      // depend on the other choices or requests.
      r.sampling.seed = p.base.sampling.seed + uint64_t(j);
      auto c = std::make_shared<Choice>();
      c->prompt = prompt;
      c->sequence = scheduler_->submit(std::move(r));
      choices.push_back(c);
    }
  return choices;
}

/// The number of characters of valid UTF-8 `text`.
size_t codePoints(std::string_view text) {
  return size_t(std::count_if(text.begin(), text.end(), [](char c) {
    return (uint8_t(c) & 0xC0) != 0x80;
  }));
}

size_t Server::TextOffsets::next(int32_t id) {
  size_t offset = at;
  at += codePoints(decoder.push(id));
  return offset;
}

/// OpenAI's completions logprobs object for `tokens`, with their text
/// offsets from `offsets`; `first` marks the prompt's first token (logprob
/// null).
Json Server::logprobsJson(const std::vector<TokenLogprob> &tokens,
                          TextOffsets &offsets, bool first) const {
  Json out = {{"tokens", Json::array()},
              {"token_logprobs", Json::array()},
              {"top_logprobs", Json::array()},
              {"text_offset", Json::array()}};
  for (size_t i = 0; i < tokens.size(); ++i) {
    const TokenLogprob &t = tokens[i];
    out["tokens"].push_back(tokenText(t.id));
    if (first && i == 0) {
      out["token_logprobs"].push_back(nullptr);
      out["top_logprobs"].push_back(nullptr);
    } else {
      out["token_logprobs"].push_back(t.logprob);
      Json top = Json::object();
      for (auto &[id, lp] : t.top)
        top[tokenText(id)] = lp;
      out["top_logprobs"].push_back(top);
    }
    out["text_offset"].push_back(offsets.next(t.id));
  }
  return out;
}

Json Server::choiceJson(const Parsed &p, const Choice &c, size_t index) const {
  Json choice = {{"index", index}};
  choice["finish_reason"] =
      c.finishReason.empty() ? Json(nullptr) : Json(c.finishReason);
  if (p.chat) {
    choice["message"] = {{"role", "assistant"}, {"content", c.text}};
    if (p.base.logprobs >= 0) {
      Json content = Json::array();
      for (const TokenLogprob &t : c.tokens) {
        Json top = Json::array();
        for (auto &[id, lp] : t.top)
          top.push_back({{"token", tokenText(id)}, {"logprob", lp}});
        content.push_back({{"token", tokenText(t.id)},
                           {"logprob", t.logprob},
                           {"top_logprobs", top}});
      }
      choice["logprobs"] = {{"content", content}};
    } else {
      choice["logprobs"] = nullptr;
    }
    return choice;
  }
  std::string promptText = p.echo ? tok_.decode(c.prompt) : std::string();
  choice["text"] = promptText + c.text;
  if (p.base.logprobs < 0) {
    choice["logprobs"] = nullptr;
    return choice;
  }
  TextOffsets promptOffsets(tok_, 0), offsets(tok_, codePoints(promptText));
  Json lp = logprobsJson(c.promptTokens, promptOffsets, true);
  Json gen = logprobsJson(c.tokens, offsets, false);
  for (const char *k :
       {"tokens", "token_logprobs", "top_logprobs", "text_offset"})
    for (Json &x : gen[k])
      lp[k].push_back(x);
  choice["logprobs"] = lp;
  return choice;
}

void Server::complete(const httplib::Request &req, httplib::Response &res,
                      bool chat) {
  const std::string path = req.path;
  if (stopping_) {
    sendError(res, {503, "the server is shutting down", ""});
    metrics_.count(path, res.status);
    return;
  }
  if (++metrics_.inFlight > o_.maxConcurrent) {
    --metrics_.inFlight;
    sendError(res,
              {429,
               "too many concurrent requests: the limit is " +
                   std::to_string(o_.maxConcurrent) + " (--max-concurrent)",
               ""});
    metrics_.count(path, res.status);
    return;
  }
  // Decremented when the response is done (or fails before streaming).
  auto release = std::make_shared<std::atomic<bool>>(false);
  auto done = [this, release] {
    if (!release->exchange(true))
      --metrics_.inFlight;
  };
  Json body = Json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    sendError(res, {400, "the request body is not valid JSON", ""});
    metrics_.count(path, res.status);
    return done();
  }
  auto parsed = std::make_shared<Parsed>();
  if (std::optional<ApiError> e = parse(body, req.body, chat, *parsed)) {
    sendError(res, *e);
    metrics_.count(path, res.status);
    return done();
  }
  auto choices =
      std::make_shared<std::vector<std::shared_ptr<Choice>>>(start(*parsed));
  std::string id = (chat ? "chatcmpl-" : "cmpl-") + std::to_string(nextId_++);
  std::time_t created = std::time(nullptr);
  metrics_.count(path, 200);
  auto cancelAll = [choices] {
    for (auto &c : *choices)
      c->sequence->cancel();
  };
  // Pulls the events of every unfinished choice and calls `on` for each.
  // False when a choice failed (error set). Spends at most about 200 ms a
  // choice: a sequence that produces events faster than the wait would
  // otherwise keep it here to its last token, and the caller's checks of
  // the client (a failed write, the keep-alive) with it.
  auto pump = [choices](std::string &error,
                        const std::function<void(size_t, const Event &)> &on) {
    for (size_t i = 0; i < choices->size(); ++i) {
      Choice &c = *(*choices)[i];
      Event e;
      auto deadline =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
      while (!c.finished && std::chrono::steady_clock::now() < deadline &&
             c.sequence->next(e, std::chrono::milliseconds(i == 0 ? 50 : 0))) {
        if (e.kind == Event::Prompt)
          c.promptTokens = e.tokens;
        if (e.kind == Event::Text) {
          c.text += e.text;
          c.tokens.insert(c.tokens.end(), e.tokens.begin(), e.tokens.end());
        }
        if (e.kind == Event::Done) {
          c.finishReason = e.finishReason;
          c.finished = true;
        }
        if (e.kind == Event::Failed) {
          error = e.error;
          c.finished = true;
        }
        on(i, e);
      }
    }
    return error.empty();
  };
  auto allFinished = [choices] {
    return std::all_of(choices->begin(), choices->end(),
                       [](const auto &c) { return c->finished; });
  };
  auto usage = [choices] {
    int64_t prompt = 0, completion = 0;
    for (auto &c : *choices) {
      prompt += int64_t(c->prompt.size());
      completion += int64_t(c->tokens.size());
    }
    return Json{{"prompt_tokens", prompt},
                {"completion_tokens", completion},
                {"total_tokens", prompt + completion}};
  };
  std::string object = chat ? "chat.completion" : "text_completion";
  std::string model = o_.modelName;

  if (!parsed->stream) {
    // Chunked, so that a client that went away is noticed (the write of a
    // JSON-neutral space fails) and its sequences are cancelled.
    res.set_chunked_content_provider(
        "application/json",
        [=, this](size_t, httplib::DataSink &sink) {
          std::string error;
          auto waitStart = std::chrono::steady_clock::now();
          while (!allFinished()) {
            if (!pump(error, [](size_t, const Event &) {}))
              break;
            if (std::chrono::steady_clock::now() - waitStart >
                std::chrono::seconds(1)) {
              waitStart = std::chrono::steady_clock::now();
              if (!sink.write(" ", 1)) {
                cancelAll();
                return false;
              }
            }
          }
          Json out;
          if (!error.empty()) {
            cancelAll();
            out = errorBody({500, error, ""});
          } else {
            out = {{"id", id},
                   {"object", object},
                   {"created", created},
                   {"model", model},
                   {"choices", Json::array()},
                   {"usage", usage()}};
            for (size_t i = 0; i < choices->size(); ++i)
              out["choices"].push_back(choiceJson(*parsed, *(*choices)[i], i));
          }
          std::string text = out.dump();
          sink.write(text.data(), text.size());
          sink.done();
          return true;
        },
        [done, cancelAll](bool) {
          cancelAll();
          done();
        });
    return;
  }

  // Server-sent events: one chunk per released text, a last chunk with the
  // finish reason per choice, then [DONE].
  res.set_header("Cache-Control", "no-cache");
  res.set_chunked_content_provider(
      "text/event-stream",
      [=, this](size_t, httplib::DataSink &sink) {
        std::vector<char> sentRole(choices->size(), 0);
        // The generated tokens' offsets continue after the echoed prompt.
        std::vector<TextOffsets> offsets;
        for (const auto &c : *choices)
          offsets.emplace_back(
              tok_, parsed->echo ? codePoints(tok_.decode(c->prompt)) : 0);
        bool ok = true;
        auto lastWrite = std::chrono::steady_clock::now();
        auto send = [&](const Json &chunk) {
          std::string line = "data: " + chunk.dump() + "\n\n";
          ok = ok && sink.write(line.data(), line.size());
          lastWrite = std::chrono::steady_clock::now();
        };
        auto chunkOf = [&](size_t i, const Json &choice) {
          return Json{
              {"id", id},
              {"object", chat ? "chat.completion.chunk" : "text_completion"},
              {"created", created},
              {"model", model},
              {"choices", Json::array({choice})}};
        };
        std::string error;
        while (ok && !allFinished()) {
          pump(error, [&](size_t i, const Event &e) {
            Choice &c = *(*choices)[i];
            Json choice = {{"index", i}, {"finish_reason", nullptr}};
            if (e.kind == Event::Failed)
              return;
            if (chat) {
              Json delta = Json::object();
              if (!sentRole[i]) {
                delta["role"] = "assistant";
                sentRole[i] = 1;
              }
              if (e.kind == Event::Text)
                delta["content"] = e.text;
              if (e.kind == Event::Done)
                choice["finish_reason"] = c.finishReason;
              choice["delta"] = delta;
              choice["logprobs"] = nullptr;
              if (e.kind != Event::Prompt)
                send(chunkOf(i, choice));
              return;
            }
            if (e.kind == Event::Prompt) {
              if (!parsed->echo)
                return;
              choice["text"] = tok_.decode(c.prompt);
              TextOffsets promptOffsets(tok_, 0);
              choice["logprobs"] = logprobsJson(e.tokens, promptOffsets, true);
            } else if (e.kind == Event::Text) {
              choice["text"] = e.text;
              choice["logprobs"] =
                  parsed->base.logprobs >= 0
                      ? logprobsJson(e.tokens, offsets[i], false)
                      : Json(nullptr);
            } else {
              choice["text"] = "";
              choice["logprobs"] = nullptr;
              choice["finish_reason"] = c.finishReason;
            }
            send(chunkOf(i, choice));
          });
          if (!error.empty())
            break;
          // A comment line (which clients ignore) after a second without a
          // chunk: text held back (a stop string's prefix, an incomplete
          // character) must not hide a client that went away.
          if (ok && std::chrono::steady_clock::now() - lastWrite >
                        std::chrono::seconds(1)) {
            static const char kKeepAlive[] = ": keep-alive\n\n";
            ok = sink.write(kKeepAlive, sizeof(kKeepAlive) - 1);
            lastWrite = std::chrono::steady_clock::now();
          }
        }
        if (!ok) {
          cancelAll();
          return false;
        }
        if (!error.empty()) {
          cancelAll();
          send(errorBody({500, error, ""}));
        } else {
          Json last = chunkOf(0, Json::object());
          last["choices"] = Json::array();
          last["usage"] = usage();
          send(last);
        }
        std::string end = "data: [DONE]\n\n";
        sink.write(end.data(), end.size());
        sink.done();
        return true;
      },
      [done, cancelAll](bool) {
        cancelAll();
        done();
      });
}

std::string Server::metricsText() {
  SchedulerMetrics m = scheduler_->metrics();
  std::string out;
  auto metric = [&](const std::string &name, const std::string &type,
                    const std::string &help) {
    out +=
        "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  auto value = [&](const std::string &name, double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.17g", v);
    out += name + " " + buf + "\n";
  };
  metric("mamba_requests_total", "counter",
         "HTTP requests by path and status code.");
  {
    std::lock_guard<std::mutex> lock(metrics_.mutex);
    for (auto &[key, n] : metrics_.requests)
      value("mamba_requests_total{path=\"" + key.first + "\",code=\"" +
                std::to_string(key.second) + "\"}",
            double(n));
  }
  metric("mamba_requests_in_flight", "gauge",
         "Completion requests being answered.");
  value("mamba_requests_in_flight", double(metrics_.inFlight.load()));
  metric("mamba_prompt_tokens_total", "counter", "Prompt tokens prefilled.");
  value("mamba_prompt_tokens_total", double(m.promptTokens));
  metric("mamba_generated_tokens_total", "counter", "Tokens generated.");
  value("mamba_generated_tokens_total", double(m.generatedTokens));
  metric("mamba_generation_tokens_per_second", "gauge",
         "Tokens generated per second over the last 10 s.");
  value("mamba_generation_tokens_per_second", m.tokensPerSecond);
  metric("mamba_sequences_total", "counter", "Sequences that got a slot.");
  value("mamba_sequences_total", double(m.sequences));
  metric("mamba_sequences_cancelled_total", "counter",
         "Sequences cancelled: their client went away, or shutdown.");
  value("mamba_sequences_cancelled_total", double(m.cancelled));
  metric("mamba_batch_slots", "gauge", "Slots of the batch (sequence states).");
  value("mamba_batch_slots", double(m.slots));
  metric("mamba_batch_active", "gauge", "Slots running a sequence now.");
  value("mamba_batch_active", double(m.active));
  metric("mamba_batch_occupancy", "gauge",
         "Mean share of the slots running a sequence, over all decode steps.");
  value("mamba_batch_occupancy",
        m.decodeSteps ? double(m.activeRowSteps) /
                            (double(m.decodeSteps) * double(m.slots))
                      : 0.0);
  metric("mamba_decode_rows_total", "counter",
         "Rows stepped over all decode steps (a step runs the power-of-two "
         "bucket that holds the running sequences).");
  value("mamba_decode_rows_total", double(m.steppedRows));
  metric("mamba_queue_length", "gauge", "Sequences waiting for a slot.");
  value("mamba_queue_length", double(m.queued));
  metric("mamba_decode_steps_total", "counter", "Decode steps of the batch.");
  value("mamba_decode_steps_total", double(m.decodeSteps));
  metric("mamba_prefix_cache_hits_total", "counter",
         "Prompts that restored a cached prefix state.");
  value("mamba_prefix_cache_hits_total", double(m.cacheHits));
  metric("mamba_prefix_cache_tokens_saved_total", "counter",
         "Prompt tokens not recomputed thanks to the prefix cache.");
  value("mamba_prefix_cache_tokens_saved_total", double(m.cacheTokensSaved));
  metric("mamba_prefix_cache_bytes", "gauge", "Host bytes of cached states.");
  value("mamba_prefix_cache_bytes", double(m.cacheBytes));
  metric("mamba_prefix_cache_device_bytes", "gauge",
         "Device bytes of cached states (the first tier).");
  value("mamba_prefix_cache_device_bytes", double(m.cacheDeviceBytes));
  return out;
}

void Server::routes() {
  http_.set_payload_max_length(o_.maxBodyBytes);
  http_.set_error_handler([this](const httplib::Request &req,
                                 httplib::Response &res) {
    if (!res.body.empty())
      return;
    if (res.status == 413)
      sendError(res, {413,
                      "the request body is larger than the limit of " +
                          std::to_string(o_.maxBodyBytes) +
                          " bytes (--max-body-bytes)",
                      ""});
    else if (res.status == 404)
      sendError(res, {404, "no route " + req.method + " " + req.path, ""});
    else
      sendError(res,
                {res.status, "HTTP error " + std::to_string(res.status), ""});
    metrics_.count(req.path, res.status);
  });
  http_.Get("/health",
            [this](const httplib::Request &req, httplib::Response &res) {
              if (stopping_) {
                sendError(res, {503, "the server is shutting down", ""});
              } else {
                res.set_content(Json{{"status", "ok"},
                                     {"model", o_.modelName},
                                     {"slots", o_.slots},
                                     {"pending", scheduler_->pending()}}
                                    .dump(),
                                "application/json");
              }
              metrics_.count(req.path, res.status);
            });
  http_.Get("/v1/models", [this](const httplib::Request &req,
                                 httplib::Response &res) {
    Json model = {{"id", o_.modelName},
                  {"object", "model"},
                  {"created", created_},
                  {"owned_by", "mamba-jit"},
                  {"description", model_->describe()}};
    res.set_content(
        Json{{"object", "list"}, {"data", Json::array({model})}}.dump(),
        "application/json");
    metrics_.count(req.path, 200);
  });
  http_.Get("/metrics",
            [this](const httplib::Request &req, httplib::Response &res) {
              metrics_.count(req.path, 200);
              res.set_content(metricsText(), "text/plain; version=0.0.4");
            });
  http_.Post("/v1/completions",
             [this](const httplib::Request &req, httplib::Response &res) {
               complete(req, res, false);
             });
  http_.Post("/v1/chat/completions",
             [this](const httplib::Request &req, httplib::Response &res) {
               complete(req, res, true);
             });
}

int Server::run() {
  routes();
  int port = o_.port;
  if (port == 0) {
    port = http_.bind_to_any_port(o_.host);
  } else if (!http_.bind_to_port(o_.host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::fprintf(stderr, "mamba-server: cannot listen on %s:%d\n",
                 o_.host.c_str(), o_.port);
    return 1;
  }
  std::printf("mamba-server: serving \"%s\" (%s) on http://%s:%d\n",
              o_.modelName.c_str(), model_->describe().c_str(), o_.host.c_str(),
              port);
  std::fflush(stdout);
  bool ok = http_.listen_after_bind();
  scheduler_->join();
  return ok || stopping_ ? 0 : 1;
}

/// Graceful: no new requests; the running ones finish within the timeout,
/// then the rest are cancelled and the listener stops.
void Server::shutdown(bool cancel) {
  stopping_ = true;
  scheduler_->stop(cancel);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(int64_t(o_.shutdownTimeout * 1000));
  while (scheduler_->pending() > 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  scheduler_->stop(true);
  // Let the handlers write their last bytes.
  while (metrics_.inFlight > 0 &&
         std::chrono::steady_clock::now() < deadline + std::chrono::seconds(2))
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  http_.stop();
}

} // namespace

/// SIGINT/SIGTERM write their number here; the watcher thread reads it (a
/// handler may run on any thread, OpenBLAS's included).
int signalPipe[2] = {-1, -1};

extern "C" void onSignal(int sig) {
  char c = char(sig);
  [[maybe_unused]] ssize_t n = write(signalPipe[1], &c, 1);
}

int waitSignal() {
  char c = 0;
  while (read(signalPipe[0], &c, 1) != 1)
    ;
  return c;
}

int main(int argc, char **argv) {
  if (pipe(signalPipe) != 0) {
    std::perror("mamba-server: pipe");
    return 1;
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGPIPE, SIG_IGN);

  run::RunOptions ro;
  ro.device = "auto";
  ServerOptions o;
  CLI::App app{"mamba-server: an OpenAI-compatible HTTP server for Mamba "
               "models (continuous batching, prefix-state cache)"};
  app.set_version_flag("--version",
                       [] { return ::mamba::versionText("mamba-server"); });
  app.add_option("--model", ro.model,
                 "Checkpoint directory (default: the bundled demo model)")
      ->type_name("DIR");
  app.add_option("--random-model", ro.randomModel, run::kRandomModelHelp)
      ->type_name("NAME");
  app.add_option("--tokenizer", ro.tokenizer,
                 "tokenizer.json (default: MODEL/tokenizer.json)")
      ->type_name("FILE");
  app.add_option("--device", ro.device, "auto, cuda or cpu (default auto)")
      ->check(CLI::IsMember({"auto", "cuda", "cpu"}));
  app.add_option("--tuning-db", ro.tuningDb,
                 "Tuning database for the GPU's tiles (default: "
                 "$MAMBA_TUNING_DB, the cache's, else the shipped one; off: "
                 "none)");
  app.add_option("--dtype", ro.dtype, "f32, f16 or bf16")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}));
  app.add_option("--host", o.host, "Address to listen on (default 127.0.0.1)");
  app.add_option("--port", o.port, "Port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--model-name", o.modelName,
                 "The model id of /v1/models and of requests (default: the "
                 "checkpoint directory's name)");
  app.add_option("--slots", o.slots,
                 "Sequences decoded together (the batch; default 8)")
      ->check(CLI::Range(int64_t(1), int64_t(1024)));
  app.add_option("--max-body-bytes", o.maxBodyBytes,
                 "Largest request body (default 1048576)");
  app.add_option("--max-tokens-limit", o.maxTokensLimit,
                 "Largest max_tokens a request may ask for (default 4096)")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-prompt-tokens", o.maxPromptTokens,
                 "Longest prompt in tokens (default 16384)")
      ->check(CLI::PositiveNumber);
  app.add_option("--max-concurrent", o.maxConcurrent,
                 "Completion requests answered at once; more get 429 "
                 "(default 64)")
      ->check(CLI::PositiveNumber);
  app.add_option("--prefix-cache-device-mb", o.prefixCacheDeviceMb,
                 "GPU memory for cached prefix states, the first tier, which "
                 "spills to --prefix-cache-mb (default 1024 on CUDA, 0 on "
                 "the CPU)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--prefix-cache-mb", o.prefixCacheMb,
                 "Host memory for cached prefix states, MiB (default 256; 0 "
                 "off)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--chat-template", o.chatTemplate,
                 "The template of /v1/chat/completions: auto (the "
                 "chat_template of tokenizer_config.json beside the "
                 "tokenizer; default), chatml (built in), none (no chat), or "
                 "a FILE: a Jinja template, or a tokenizer_config.json (a "
                 "name ending in .json) whose chat_template to use")
      ->type_name("auto|chatml|none|FILE")
      ->check(CLI::Validator(
          [](std::string &v) -> std::string {
            if (v == "auto" || v == "chatml" || v == "none" ||
                access(v.c_str(), R_OK) == 0)
              return "";
            return "not auto, chatml, none or a readable file: " + v;
          },
          ""));
  app.add_option("--shutdown-timeout", o.shutdownTimeout,
                 "Seconds running requests get to finish on SIGINT/SIGTERM "
                 "(default 30)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("-q,--quiet", ro.quiet, "No progress lines on stderr");
  CLI11_PARSE(app, argc, argv);

  Result<std::string> dir = run::modelSource(ro, /*needsTokenizer=*/true);
  if (!dir.ok())
    return run::fail(dir.error());
  Result<run::LoadedTokenizer> tok = run::loadTokenizer(ro, *dir);
  if (!tok.ok())
    return run::fail(tok.error());
  Result<std::shared_ptr<Model>> model = run::loadModel(ro, *dir);
  if (!model.ok())
    return run::fail(model.error());
  if (Status s = run::checkVocabularies(*tok, **model, *dir); !s.ok())
    return run::fail(s.error());
  if (o.modelName.empty() && !ro.randomModel.empty()) {
    o.modelName = ro.randomModel;
  } else if (o.modelName.empty()) {
    std::string d = *dir;
    while (d.size() > 1 && d.back() == '/')
      d.pop_back();
    o.modelName = d.substr(d.find_last_of('/') + 1);
  }
  SchedulerOptions so;
  so.slots = o.slots;
  so.prefixCacheBytes = size_t(o.prefixCacheMb * 1024 * 1024);
  double deviceMb = o.prefixCacheDeviceMb >= 0           ? o.prefixCacheDeviceMb
                    : (*model)->device() == Device::Cuda ? 1024
                                                         : 0;
  so.prefixCacheDeviceBytes = size_t(deviceMb * 1024 * 1024);
  Result<std::unique_ptr<Scheduler>> scheduler =
      Scheduler::create(*model, tok->tokenizer, so);
  if (!scheduler.ok())
    return run::fail(scheduler.error());
  Result<ChatSetup> chat = loadChat(o, *tok);
  if (!chat.ok())
    return run::fail(chat.error());
  if (chat->tmpl)
    run::note(ro, "chat template: " + chat->tmpl->origin() +
                      (chat->endOfTurn.empty()
                           ? std::string(" (no end-of-turn text found)")
                           : "; the assistant's turn ends at \"" +
                                 chat->endOfTurn + "\""));
  Server server(o, *model, tok->tokenizer, chat.take(), scheduler.take());
  std::thread watcher([&] {
    int sig = waitSignal();
    std::fprintf(stderr,
                 "mamba-server: signal %d: finishing running requests (up to "
                 "%g s; again to cancel them)\n",
                 sig, o.shutdownTimeout);
    std::thread second([&] {
      waitSignal();
      server.shutdown(true);
    });
    second.detach();
    server.shutdown(false);
  });
  watcher.detach();
  return server.run();
}
