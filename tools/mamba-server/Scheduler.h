//===- Scheduler.h - continuous batching over a slot pool -------*- C++ -*-===//
//
// One thread owns a Session whose batch rows are the slots of a pool: a
// sequence (one completion) waits in a queue until a slot is free, joins the
// running batch between two decode steps (its prompt runs as part of a ragged
// prefill of every sequence joining at that point, through the prefix-state
// cache), decodes one token per step with the others, and leaves when it
// stops, reaches its token limit or is cancelled (its client went away),
// which frees the slot for the next one. Mamba's state per sequence is of a
// fixed size, so a slot is just a row of the conv and SSM states: nothing is
// paged.
//
// The running sequences are kept in the first rows (compacted with moveRow
// when one leaves), and a decode step runs the smallest power-of-two bucket
// of rows that holds them (Session::step with fewer tokens than the batch;
// the rows past it keep their state): on CUDA one captured decode graph per
// bucket size.
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_TOOLS_MAMBASERVER_SCHEDULER_H
#define MAMBA_TOOLS_MAMBASERVER_SCHEDULER_H

#include "runtime/Mamba.h"
#include "runtime/text/Sampling.h"
#include "runtime/text/Tokenizer.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mamba::server {

/// A token with its log-probability under the model (the log-softmax of the
/// raw logits over the whole logits row) and, when asked, the `top` most
/// likely tokens of that position.
struct TokenLogprob {
  int32_t id = 0;
  /// NaN for the first prompt token, which has no context.
  float logprob = 0;
  std::vector<std::pair<int32_t, float>> top;
};

/// What a sequence produces, in order: for echo, one Prompt event; then Text
/// events; then one Done or Failed.
struct Event {
  enum Kind { Prompt, Text, Done, Failed } kind = Text;
  /// Text: new completion text. It is released only once no stop string can
  /// begin in it, and never ends inside a UTF-8 character.
  std::string text;
  /// Prompt: every prompt token; Text: the tokens sampled since the last
  /// event (with logprobs when asked).
  std::vector<TokenLogprob> tokens;
  /// Done: "stop" (end of text or a stop string), "length" or "cancelled".
  std::string finishReason;
  std::string error; // Failed
};

struct SequenceRequest {
  std::vector<int32_t> prompt;
  int64_t maxTokens = 16;
  text::SamplingConfig sampling;
  std::vector<std::string> stop;
  /// -1: no logprobs; k >= 0: each token's logprob and the top k.
  int32_t logprobs = -1;
  /// Also the logprobs of the prompt's tokens (a Prompt event).
  bool echo = false;
};

/// One sequence, shared by the scheduler (which pushes events) and the
/// request handler (which pulls them).
class Sequence {
public:
  /// Waits up to `timeout` for the next event; false when none came.
  bool next(Event &event, std::chrono::milliseconds timeout);
  /// Asks the scheduler to drop the sequence and free its slot.
  void cancel() { cancelled_ = true; }
  bool cancelled() const { return cancelled_; }

private:
  friend class Scheduler;
  void push(Event event);
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Event> events_;
  std::atomic<bool> cancelled_{false};
};

struct SchedulerOptions {
  int64_t slots = 8;
  size_t prefixCacheBytes = size_t(256) << 20;
  /// The prefix cache's device tier (state snapshots on the GPU; 0: none).
  size_t prefixCacheDeviceBytes = 0;
};

/// Counters for /metrics.
struct SchedulerMetrics {
  int64_t slots = 0, active = 0, queued = 0;
  int64_t promptTokens = 0, generatedTokens = 0, sequences = 0;
  int64_t decodeSteps = 0, prefills = 0;
  /// Tokens generated per second over the last 10 s.
  double tokensPerSecond = 0;
  /// Sum over decode steps of the active rows (occupancy = this / steps /
  /// slots).
  int64_t activeRowSteps = 0;
  /// Sum over decode steps of the rows stepped (the bucket of the active
  /// rows: the next power of two, at most the slots).
  int64_t steppedRows = 0;
  int64_t cacheHits = 0, cacheTokensSaved = 0;
  size_t cacheBytes = 0, cacheEntries = 0, cacheDeviceBytes = 0;
  /// Sequences that ended cancelled (their client went away, or shutdown).
  int64_t cancelled = 0;
};

class Scheduler {
public:
  static Result<std::unique_ptr<Scheduler>>
  create(std::shared_ptr<Model> model, const text::Tokenizer &tokenizer,
         const SchedulerOptions &options);
  ~Scheduler();

  /// Queues a sequence; it runs when a slot is free.
  std::shared_ptr<Sequence> submit(SequenceRequest request);
  /// Stops taking sequences; the running and queued ones go on (finish) or
  /// are cancelled. Returns at once; join() waits for the thread.
  void stop(bool cancelRunning);
  void join();
  /// Sequences queued or running.
  int64_t pending() const;
  SchedulerMetrics metrics() const;

private:
  struct Running;
  Scheduler() = default;
  void loop();
  void admit(std::vector<std::unique_ptr<Running>> &joining);
  /// Samples the next token of `r` from `row`, pushes what it produced;
  /// false when the sequence is finished.
  bool advance(Running &r, const float *row);
  void finish(Running &r, const std::string &reason);
  /// Moves the running sequences into the first rows (the last one fills
  /// each hole); returns how many run.
  int64_t compact();
  /// Ends a sequence that never got a slot as cancelled.
  void cancelQueued(Sequence &seq);
  TokenLogprob logprobOf(const float *row, int32_t id, int32_t top) const;

  std::shared_ptr<Model> model_;
  std::unique_ptr<text::Tokenizer> tokenizer_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<PrefixCache> cache_;
  int64_t slots_ = 0, vocab_ = 0;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<SequenceRequest, std::shared_ptr<Sequence>>> queue_;
  std::vector<std::unique_ptr<Running>> running_; // one per slot (or null)
  bool stopping_ = false, cancelAll_ = false;
  SchedulerMetrics counters_;
  std::atomic<int64_t> cancelled_{0}; // finish() runs with and without mutex_
  std::deque<std::pair<std::chrono::steady_clock::time_point, int64_t>> recent_;
  std::thread thread_;
};

} // namespace mamba::server

#endif // MAMBA_TOOLS_MAMBASERVER_SCHEDULER_H
