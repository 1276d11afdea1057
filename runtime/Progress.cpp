//===- Progress.cpp - progress of long steps, drawn on a terminal ---------===//

#include "runtime/Progress.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

using namespace mamba;

namespace {

bool isInteractive(int fd) {
  const char *term = std::getenv("TERM");
  return isatty(fd) && !(term && std::strcmp(term, "dumb") == 0);
}

int64_t nowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Carriage return, then "erase to the end of the line" (ECMA-48 EL).
constexpr const char *kEraseLine = "\r\x1b[K";

} // namespace

ProgressDisplay::ProgressDisplay(std::string prefix, int fd)
    : ProgressDisplay(std::move(prefix), fd, isInteractive(fd)) {}

ProgressDisplay::ProgressDisplay(std::string prefix, int fd, bool drawBar,
                                 int64_t redrawMs)
    : prefix_(std::move(prefix)), fd_(fd), drawBar_(drawBar),
      redrawNs_(redrawMs * 1'000'000) {}

ProgressDisplay::~ProgressDisplay() {
  std::lock_guard<std::mutex> lock(mutex_);
  erase();
}

std::string ProgressDisplay::barText(const std::string &prefix,
                                     const Progress &p, int width) {
  int64_t total = std::max<int64_t>(p.total, 1);
  int64_t done = std::clamp<int64_t>(p.done, 0, total);
  int filled = int(done * width / total);
  return "[" + prefix + "] " + p.what + " [" + std::string(filled, '#') +
         std::string(width - filled, '.') + "] " + std::to_string(p.done) +
         "/" + std::to_string(p.total);
}

void ProgressDisplay::write(const std::string &text) {
  const char *data = text.data();
  size_t left = text.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, data, left);
    if (n <= 0)
      return; // a closed or full stream loses the display, nothing else
    data += n;
    left -= size_t(n);
  }
}

void ProgressDisplay::erase() {
  if (shown_)
    write(kEraseLine);
  shown_ = false;
}

void ProgressDisplay::update(const Progress &p) {
  if (!drawBar_)
    return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (p.done >= p.total) {
    erase();
    lastWhat_.clear();
    return;
  }
  int64_t now = nowNs();
  bool newStep = p.what != lastWhat_;
  if (!newStep && shown_ && now - lastDrawNs_ < redrawNs_)
    return;
  write(std::string(kEraseLine) + barText(prefix_, p));
  shown_ = true;
  lastWhat_ = p.what;
  lastDrawNs_ = now;
}

void ProgressDisplay::note(const std::string &line) {
  std::lock_guard<std::mutex> lock(mutex_);
  erase();
  write("[" + prefix_ + "] " + line + "\n");
}

ProgressCallback ProgressDisplay::callback() {
  return [this](const Progress &p) { update(p); };
}

std::function<void(const std::string &)> ProgressDisplay::noteCallback() {
  return [this](const std::string &line) { note(line); };
}
