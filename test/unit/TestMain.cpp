//===- TestMain.cpp - gtest main with a stack trace on crashes ------------===//

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Signals.h"

#include <gtest/gtest.h>

int main(int argc, char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
