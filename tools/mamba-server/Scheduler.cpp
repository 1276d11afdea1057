//===- Scheduler.cpp - continuous batching over a slot pool ---------------===//

#include "Scheduler.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mamba;
using namespace mamba::server;

bool Sequence::next(Event &event, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (!ready_.wait_for(lock, timeout, [&] { return !events_.empty(); }))
    return false;
  event = std::move(events_.front());
  events_.pop_front();
  return true;
}

void Sequence::push(Event event) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::move(event));
  }
  ready_.notify_all();
}

/// A sequence in a slot.
struct Scheduler::Running {
  SequenceRequest request;
  std::shared_ptr<Sequence> sequence;
  int64_t row = 0;
  text::Sampler sampler;
  text::StreamDecoder decoder;
  std::vector<int32_t> history;
  /// Completion text not yet released, and the tokens behind it.
  std::string held;
  std::vector<TokenLogprob> tokens;
  int64_t generated = 0;
  int32_t next = 0;
  size_t longestStop = 0;
  bool done = false;

  Running(SequenceRequest req, std::shared_ptr<Sequence> seq, text::Sampler s,
          const text::Tokenizer &tok)
      : request(std::move(req)), sequence(std::move(seq)),
        sampler(std::move(s)), decoder(tok), history(request.prompt) {
    for (const std::string &stop : request.stop)
      longestStop = std::max(longestStop, stop.size());
  }
};

Result<std::unique_ptr<Scheduler>>
Scheduler::create(std::shared_ptr<Model> model,
                  const text::Tokenizer &tokenizer,
                  const SchedulerOptions &options) {
  if (options.slots < 1)
    return Error("--slots must be >= 1, got " + std::to_string(options.slots));
  std::unique_ptr<Scheduler> s(new Scheduler());
  s->model_ = model;
  s->tokenizer_ = std::make_unique<text::Tokenizer>(tokenizer);
  s->slots_ = options.slots;
  s->vocab_ = model->vocabSize();
  Result<std::unique_ptr<Session>> session =
      Session::create(model, options.slots);
  if (!session.ok())
    return Error(session.error());
  s->session_ = session.take();
  s->cache_ = std::make_unique<PrefixCache>(options.prefixCacheBytes, 64,
                                            options.prefixCacheDeviceBytes);
  s->running_.resize(size_t(options.slots));
  s->counters_.slots = options.slots;
  s->thread_ = std::thread([p = s.get()] { p->loop(); });
  return s;
}

Scheduler::~Scheduler() {
  stop(true);
  join();
}

std::shared_ptr<Sequence> Scheduler::submit(SequenceRequest request) {
  auto seq = std::make_shared<Sequence>();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      Event e;
      e.kind = Event::Failed;
      e.error = "the server is shutting down";
      seq->push(std::move(e));
      return seq;
    }
    queue_.emplace_back(std::move(request), seq);
  }
  wake_.notify_all();
  return seq;
}

void Scheduler::stop(bool cancelRunning) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    cancelAll_ = cancelAll_ || cancelRunning;
  }
  wake_.notify_all();
}

void Scheduler::join() {
  if (thread_.joinable())
    thread_.join();
}

int64_t Scheduler::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t n = int64_t(queue_.size());
  for (const auto &r : running_)
    n += r != nullptr;
  return n;
}

SchedulerMetrics Scheduler::metrics() const {
  SchedulerMetrics m;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    m = counters_;
    m.queued = int64_t(queue_.size());
    m.active = 0;
    for (const auto &r : running_)
      m.active += r != nullptr;
    auto now = std::chrono::steady_clock::now();
    int64_t tokens = 0;
    for (auto &[t, n] : recent_)
      if (now - t <= std::chrono::seconds(10))
        tokens += n;
    m.tokensPerSecond = double(tokens) / 10.0;
  }
  m.cacheHits = cache_->hits();
  m.cacheTokensSaved = cache_->tokensSaved();
  m.cacheBytes = cache_->bytes();
  m.cacheEntries = cache_->entries();
  m.cacheDeviceBytes = cache_->deviceBytes();
  m.cancelled = cancelled_.load();
  return m;
}

TokenLogprob Scheduler::logprobOf(const float *row, int32_t id,
                                  int32_t top) const {
  // log-softmax in double over the whole row, NaN as -inf.
  double mx = -std::numeric_limits<double>::infinity();
  for (int64_t v = 0; v < vocab_; ++v)
    if (!std::isnan(row[v]))
      mx = std::max(mx, double(row[v]));
  double sum = 0;
  for (int64_t v = 0; v < vocab_; ++v)
    if (!std::isnan(row[v]))
      sum += std::exp(double(row[v]) - mx);
  double lse = mx + std::log(sum);
  auto lp = [&](int32_t v) {
    return std::isnan(row[v]) ? -std::numeric_limits<float>::infinity()
                              : float(double(row[v]) - lse);
  };
  TokenLogprob t;
  t.id = id;
  t.logprob = lp(id);
  if (top > 0) {
    std::vector<int32_t> ids(static_cast<size_t>(vocab_));
    for (int64_t v = 0; v < vocab_; ++v)
      ids[v] = int32_t(v);
    int32_t k = int32_t(std::min<int64_t>(top, vocab_));
    std::partial_sort(ids.begin(), ids.begin() + k, ids.end(),
                      [&](int32_t a, int32_t b) {
                        float la = lp(a), lb = lp(b);
                        return la > lb || (la == lb && a < b);
                      });
    for (int32_t j = 0; j < k; ++j)
      t.top.emplace_back(ids[j], lp(ids[j]));
  }
  return t;
}

void Scheduler::finish(Running &r, const std::string &reason) {
  if (r.done)
    return;
  r.done = true;
  if (reason == "cancelled")
    ++cancelled_;
  else {
    r.held += r.decoder.finish();
    // A stop string may still be completed by the decoder's tail.
    for (const std::string &stop : r.request.stop)
      if (size_t at = r.held.find(stop); at != std::string::npos)
        r.held.resize(at);
    if (!r.held.empty() || !r.tokens.empty()) {
      Event e;
      e.kind = Event::Text;
      e.text = std::move(r.held);
      e.tokens = std::move(r.tokens);
      r.sequence->push(std::move(e));
    }
  }
  Event e;
  e.kind = Event::Done;
  e.finishReason = reason;
  r.sequence->push(std::move(e));
}

void Scheduler::cancelQueued(Sequence &seq) {
  ++cancelled_;
  Event e;
  e.kind = Event::Done;
  e.finishReason = "cancelled";
  seq.push(std::move(e));
}

bool Scheduler::advance(Running &r, const float *row) {
  if (r.sequence->cancelled()) {
    finish(r, "cancelled");
    return false;
  }
  if (r.generated >= r.request.maxTokens) {
    finish(r, "length");
    return false;
  }
  for (int64_t v = 0; v < vocab_; ++v)
    if (std::isnan(row[v])) {
      Event e;
      e.kind = Event::Failed;
      e.error = "the model produced a NaN logit (new token " +
                std::to_string(r.generated) + ")";
      r.sequence->push(std::move(e));
      r.done = true;
      return false;
    }
  int32_t id = r.sampler.sample(row, vocab_, r.history);
  r.next = id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counters_.generatedTokens;
    auto now = std::chrono::steady_clock::now();
    if (recent_.empty() || now - recent_.back().first > std::chrono::seconds(1))
      recent_.emplace_back(now, 0);
    ++recent_.back().second;
    while (!recent_.empty() &&
           now - recent_.front().first > std::chrono::seconds(11))
      recent_.pop_front();
  }
  std::optional<int32_t> eos = tokenizer_->eosId();
  if (eos && id == *eos) {
    finish(r, "stop");
    return false;
  }
  if (r.request.logprobs >= 0)
    r.tokens.push_back(logprobOf(row, id, r.request.logprobs));
  else
    r.tokens.push_back(TokenLogprob{id, 0, {}});
  r.history.push_back(id);
  ++r.generated;
  r.held += r.decoder.push(id);
  for (const std::string &stop : r.request.stop)
    if (size_t at = r.held.find(stop); at != std::string::npos) {
      r.held.resize(at);
      finish(r, "stop");
      return false;
    }
  if (r.generated >= r.request.maxTokens) {
    finish(r, "length");
    return false;
  }
  // Release what no stop string can reach into, cut at a character start.
  size_t keep = r.longestStop > 0 ? r.longestStop - 1 : 0;
  size_t cut = r.held.size() > keep ? r.held.size() - keep : 0;
  while (cut > 0 && cut < r.held.size() &&
         (uint8_t(r.held[cut]) & 0xC0) == 0x80)
    --cut;
  if (cut > 0 || (!r.tokens.empty() && r.request.logprobs >= 0)) {
    Event e;
    e.kind = Event::Text;
    e.text = r.held.substr(0, cut);
    r.held.erase(0, cut);
    e.tokens = std::move(r.tokens);
    r.tokens.clear();
    r.sequence->push(std::move(e));
  }
  return true;
}

void Scheduler::admit(std::vector<std::unique_ptr<Running>> &joining) {
  std::vector<int64_t> rows, echoRows;
  std::vector<std::vector<int32_t>> prompts, echoPrompts;
  std::vector<Running *> plain, echo;
  for (auto &r : joining) {
    if (r->request.echo) {
      echoRows.push_back(r->row);
      echoPrompts.push_back(r->request.prompt);
      echo.push_back(r.get());
    } else {
      rows.push_back(r->row);
      prompts.push_back(r->request.prompt);
      plain.push_back(r.get());
    }
  }
  auto failAll = [&](const std::vector<Running *> &list,
                     const std::string &error) {
    for (Running *r : list) {
      Event e;
      e.kind = Event::Failed;
      e.error = error;
      r->sequence->push(std::move(e));
      r->done = true;
    }
  };
  if (!plain.empty()) {
    Result<std::vector<Logits>> logits =
        prefillCached(*session_, rows, prompts, *cache_);
    if (!logits.ok()) {
      failAll(plain, logits.error());
    } else {
      for (size_t k = 0; k < plain.size(); ++k)
        advance(*plain[k], (*logits)[k].row(0));
    }
  }
  if (!echo.empty()) {
    // Every position's logits, for the prompt's own log-probabilities; the
    // prefix cache cannot skip positions here.
    Status reset = session_->resetRows(echoRows);
    Result<std::vector<Logits>> logits =
        reset.ok() ? session_->prefillRows(echoRows, echoPrompts, true)
                   : Result<std::vector<Logits>>(Error(reset.error()));
    if (!logits.ok()) {
      failAll(echo, logits.error());
    } else {
      for (size_t k = 0; k < echo.size(); ++k) {
        Running &r = *echo[k];
        const Logits &l = (*logits)[k];
        Event e;
        e.kind = Event::Prompt;
        int32_t top = std::max<int32_t>(0, r.request.logprobs);
        for (size_t p = 0; p < r.request.prompt.size(); ++p) {
          if (p == 0) {
            e.tokens.push_back(
                TokenLogprob{r.request.prompt[0],
                             std::numeric_limits<float>::quiet_NaN(),
                             {}});
            continue;
          }
          e.tokens.push_back(
              logprobOf(l.row(0, int64_t(p) - 1), r.request.prompt[p], top));
        }
        r.sequence->push(std::move(e));
        advance(r, l.row(0, l.positions - 1));
      }
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  ++counters_.prefills;
  for (auto &r : joining)
    counters_.promptTokens += int64_t(r->request.prompt.size());
}

int64_t Scheduler::compact() {
  int64_t active = 0;
  for (const auto &r : running_)
    active += r != nullptr;
  for (int64_t hole = 0, last = slots_ - 1; hole < active; ++hole) {
    if (running_[hole])
      continue;
    while (!running_[last])
      --last;
    if (Status moved = session_->moveRow(last, hole); !moved.ok()) {
      Event e;
      e.kind = Event::Failed;
      e.error = "moving a sequence's state to row " + std::to_string(hole) +
                ": " + moved.error();
      running_[last]->sequence->push(std::move(e));
      running_[last].reset();
      return compact();
    }
    running_[hole] = std::move(running_[last]);
    running_[hole]->row = hole;
  }
  return active;
}

void Scheduler::loop() {
  std::vector<int32_t> feed;
  for (;;) {
    std::vector<std::unique_ptr<Running>> joining;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto anyRunning = [&] {
        return std::any_of(running_.begin(), running_.end(),
                           [](const auto &r) { return r != nullptr; });
      };
      wake_.wait(lock,
                 [&] { return stopping_ || anyRunning() || !queue_.empty(); });
      if (cancelAll_) {
        for (auto &[req, seq] : queue_)
          cancelQueued(*seq);
        queue_.clear();
        for (auto &r : running_)
          if (r)
            r->sequence->cancel();
      }
      if (stopping_ && queue_.empty() && !anyRunning())
        return;
      // Sequences join between two decode steps.
      for (int64_t slot = 0; slot < slots_ && !queue_.empty(); ++slot) {
        if (running_[slot])
          continue;
        auto [request, seq] = std::move(queue_.front());
        queue_.pop_front();
        if (seq->cancelled()) {
          cancelQueued(*seq);
          continue;
        }
        text::SamplingConfig cfg = request.sampling;
        cfg.vocabLimit = std::min<int64_t>(tokenizer_->vocabSize(), vocab_);
        Result<text::Sampler> sampler = text::Sampler::create(cfg);
        if (!sampler.ok()) {
          Event e;
          e.kind = Event::Failed;
          e.error = sampler.error();
          seq->push(std::move(e));
          continue;
        }
        auto r = std::make_unique<Running>(std::move(request), seq,
                                           sampler.take(), *tokenizer_);
        r->row = slot;
        joining.push_back(std::move(r));
        ++counters_.sequences;
      }
    }
    if (!joining.empty())
      admit(joining);
    std::unique_lock<std::mutex> lock(mutex_);
    for (auto &r : joining)
      if (!r->done)
        running_[r->row] = std::move(r);
    // Cancelled sequences leave before the step.
    for (auto &r : running_)
      if (r && r->sequence->cancelled()) {
        finish(*r, "cancelled");
        r.reset();
      }
    int64_t active = compact();
    if (active == 0)
      continue;
    // A step runs the smallest power-of-two bucket of rows that holds the
    // running sequences (all of them at most), not every slot.
    int64_t rows = 1;
    while (rows < active)
      rows *= 2;
    feed.assign(size_t(std::min(rows, slots_)), 0);
    for (int64_t slot = 0; slot < active; ++slot)
      feed[slot] = running_[slot]->next;
    ++counters_.decodeSteps;
    counters_.activeRowSteps += active;
    counters_.steppedRows += int64_t(feed.size());
    // The step runs without the lock: submit() and metrics() go on.
    lock.unlock();
    Result<Logits> logits = session_->step(feed);
    lock.lock();
    for (int64_t slot = 0; slot < active; ++slot) {
      std::unique_ptr<Running> &r = running_[slot]; // compact: none is null
      bool more = false;
      if (!logits.ok()) {
        Event e;
        e.kind = Event::Failed;
        e.error = logits.error();
        r->sequence->push(std::move(e));
      } else {
        lock.unlock();
        more = advance(*r, logits->row(slot));
        lock.lock();
      }
      if (!more)
        r.reset();
    }
  }
}
