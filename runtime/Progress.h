//===- Progress.h - progress of long steps, drawn on a terminal -*- C++ -*-===//
//
// Part of the public C++ API. Loading a large checkpoint and compiling a
// model's kernels take seconds; Model::load and Jit::compileModule report
// how far they are through a ProgressCallback (LoadOptions::onProgress,
// JitOptions::onProgress). ProgressDisplay is what the tools hand them: a
// bar redrawn in place on stderr when stderr is a terminal, nothing at all
// otherwise (logs and pipes only get the tools' message lines).
//
//   mamba::ProgressDisplay display("mamba-run");
//   mamba::LoadOptions options;
//   options.onProgress = display.callback();
//   options.progress = display.noteCallback();
//
//===----------------------------------------------------------------------===//
#ifndef MAMBA_RUNTIME_PROGRESS_H
#define MAMBA_RUNTIME_PROGRESS_H

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace mamba {

/// `done` of `total` units of the step `what` ("loading weights").
struct Progress {
  std::string what;
  int64_t done = 0;
  int64_t total = 0;
};

/// May be called from several threads at once (kernels compile in parallel).
using ProgressCallback = std::function<void(const Progress &)>;

class ProgressDisplay {
public:
  /// Draws on file descriptor `fd` when it is a terminal and $TERM is not
  /// "dumb"; every line starts with "[prefix] ".
  explicit ProgressDisplay(std::string prefix, int fd = 2);
  /// As above with the decision made by the caller (tests), redrawing a
  /// step at most every `redrawMs` milliseconds.
  ProgressDisplay(std::string prefix, int fd, bool drawBar,
                  int64_t redrawMs = 50);
  /// Erases a bar that is still drawn.
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay &) = delete;
  ProgressDisplay &operator=(const ProgressDisplay &) = delete;

  bool drawsBar() const { return drawBar_; }

  /// Redraws the bar ("[prefix] what [#####.....] done/total"), at most
  /// every 50 ms unless the step changes; erases it once done reaches
  /// total. Does nothing when not drawing.
  void update(const Progress &p);
  /// Prints "[prefix] line" on its own line (erasing the bar first), on a
  /// terminal or not.
  void note(const std::string &line);
  /// update() and note() as callbacks; valid while this display lives.
  ProgressCallback callback();
  std::function<void(const std::string &)> noteCallback();

  /// The bar's text for `p`, `width` cells wide (no escape codes).
  static std::string barText(const std::string &prefix, const Progress &p,
                             int width = 30);

private:
  void erase();
  void write(const std::string &text);

  std::string prefix_;
  int fd_;
  bool drawBar_;
  int64_t redrawNs_;
  std::mutex mutex_;
  bool shown_ = false;
  std::string lastWhat_;
  int64_t lastDrawNs_ = 0;
};

} // namespace mamba

#endif // MAMBA_RUNTIME_PROGRESS_H
