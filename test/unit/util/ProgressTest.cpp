//===- ProgressTest.cpp - the progress display of the tools ---------------===//
//
// ProgressDisplay draws a bar only on a terminal: written to a file or a
// pipe, updates leave no trace and notes are plain lines; on a
// pseudo-terminal the bar is redrawn in place and erased when the step ends
// or a note is printed.
//
//===----------------------------------------------------------------------===//

#include "runtime/Progress.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fcntl.h>
#include <pty.h>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace mamba;

namespace {

/// Everything readable from `fd` right now.
std::string drain(int fd) {
  std::string out;
  char buf[4096];
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  for (ssize_t n; (n = read(fd, buf, sizeof(buf))) > 0;)
    out.append(buf, size_t(n));
  return out;
}

TEST(Progress, BarText) {
  EXPECT_EQ(ProgressDisplay::barText("tool", {"reading weights", 3, 12}, 8),
            "[tool] reading weights [##......] 3/12");
  EXPECT_EQ(ProgressDisplay::barText("tool", {"x", 12, 12}, 4),
            "[tool] x [####] 12/12");
  // Out-of-range counts draw a clamped bar but print the numbers as given.
  EXPECT_EQ(ProgressDisplay::barText("t", {"x", 5, 0}, 2), "[t] x [##] 5/0");
}

TEST(Progress, NotATerminalGetsOnlyTheNotes) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  {
    ProgressDisplay display("tool", fds[1]);
    EXPECT_FALSE(display.drawsBar());
    ProgressCallback update = display.callback();
    for (int i = 0; i <= 10; ++i)
      update({"reading weights", i, 10});
    display.noteCallback()("loaded");
    update({"compiling kernels", 1, 4});
  }
  close(fds[1]);
  EXPECT_EQ(drain(fds[0]), "[tool] loaded\n");
  close(fds[0]);
}

TEST(Progress, DumbTerminalGetsOnlyTheNotes) {
  int master, slave;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  setenv("TERM", "dumb", 1);
  {
    ProgressDisplay display("tool", slave);
    EXPECT_FALSE(display.drawsBar());
    display.update({"reading weights", 1, 10});
  }
  unsetenv("TERM");
  EXPECT_EQ(drain(master), "");
  close(slave);
  close(master);
}

TEST(Progress, TerminalGetsABarRedrawnInPlace) {
  int master, slave;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  setenv("TERM", "xterm", 1);
  EXPECT_TRUE(ProgressDisplay("tool", slave).drawsBar());
  unsetenv("TERM");
  std::string out;
  {
    ProgressDisplay display("tool", slave, /*drawBar=*/true,
                            /*redrawMs=*/600'000);
    display.update({"reading weights", 0, 4});
    // Within the redraw interval, the same step is not redrawn...
    display.update({"reading weights", 1, 4});
    // ...a new step is.
    display.update({"compiling kernels", 1, 2});
    display.note("half way");
    display.update({"compiling kernels", 1, 2});
    display.update({"compiling kernels", 2, 2});
    out = drain(master);
  }
  // The pty turns "\n" into "\r\n".
  const std::string erase = "\r\x1b[K";
  EXPECT_EQ(out, erase + "[tool] reading weights [" + std::string(30, '.') +
                     "] 0/4" + erase + "[tool] compiling kernels [" +
                     std::string(15, '#') + std::string(15, '.') + "] 1/2" +
                     erase + "[tool] half way\r\n" + erase +
                     "[tool] compiling kernels [" + std::string(15, '#') +
                     std::string(15, '.') + "] 1/2" + erase);
  close(slave);
  close(master);
}

TEST(Progress, ManyThreadsAtOnce) {
  // Kernels report from the compiling threads; every drawing stays whole.
  int master, slave;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  std::string out;
  {
    ProgressDisplay display("tool", slave, /*drawBar=*/true);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i)
          display.update({"step " + std::to_string(t), i, 100});
      });
    for (std::thread &t : threads)
      t.join();
    out = drain(master);
  }
  ASSERT_FALSE(out.empty());
  // Every piece between erasures is one whole bar.
  const std::string erase = "\r\x1b[K";
  size_t pieces = 0;
  for (size_t at = 0; (at = out.find(erase, at)) != std::string::npos;) {
    at += erase.size();
    size_t end = out.find(erase, at);
    std::string piece =
        out.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (piece.empty())
      continue;
    ++pieces;
    EXPECT_EQ(piece.rfind("[tool] step ", 0), 0u) << piece;
    EXPECT_NE(piece.find("/100"), std::string::npos) << piece;
  }
  EXPECT_GE(pieces, 4u);
  close(slave);
  close(master);
}

} // namespace
