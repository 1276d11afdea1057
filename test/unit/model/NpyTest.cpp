//===- NpyTest.cpp - tests of the .npy reader -----------------------------===//
//
// Well-formed files as numpy writes them, and headers that once crashed the
// reader or were silently misread (found by fuzz-npy and by hand): every one
// must give an error naming the file and the rule.
//
//===----------------------------------------------------------------------===//

#include "runtime/model/Npy.h"

#include "TestWriters.h"

#include <gtest/gtest.h>

using namespace mamba;
using mamba::test::TempDir;

namespace {

/// A .npy file with `header` (padded as numpy pads it) and `data`.
std::string npyFile(std::string header, const std::string &data,
                    int version = 1) {
  size_t start = version == 1 ? 10 : 12;
  while ((start + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += char(version);
  out += '\0';
  test::putLE(out, header.size(), version == 1 ? 2 : 4);
  return out + header + data;
}

std::string int64s(std::initializer_list<int64_t> v) {
  std::string s;
  for (int64_t x : v)
    test::putLE(s, uint64_t(x), 8);
  return s;
}

TEST(Npy, ReadsWhatNumpyWrites) {
  TempDir dir;
  std::string p = dir.write(
      "ids.npy",
      npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }",
              int64s({1, 2, 3, 4, 5, 6})));
  auto a = readNpyInts(p);
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a->values, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));

  std::string one = dir.write(
      "one.npy",
      npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
              int64s({42}), /*version=*/2));
  auto b = readNpyInts(one);
  ASSERT_TRUE(b.ok()) << b.error();
  EXPECT_EQ(b->shape, (std::vector<int64_t>{1}));
  EXPECT_EQ(b->values, (std::vector<int64_t>{42}));
}

TEST(Npy, FloatRoundTrip) {
  TempDir dir;
  float v[6] = {0.5f, -1.0f, 2.25f, 3.0f, -4.5f, 1e-3f};
  std::string p = dir.file("f.npy");
  ASSERT_TRUE(writeNpyFloats(p, {3, 2}, v).ok());
  auto a = readNpyFloats(p);
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(a->values, std::vector<float>(v, v + 6));
}

TEST(Npy, EmptyArrays) {
  // An empty float array passed a null pointer to memcpy (undefined
  // behaviour, found by fuzz-npy).
  TempDir dir;
  std::string p = dir.write(
      "empty.npy",
      npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 2), }",
              ""));
  auto a = readNpyFloats(p);
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->shape, (std::vector<int64_t>{0, 2}));
  EXPECT_TRUE(a->values.empty());
}

struct BadHeader {
  const char *name;
  std::string header;
  std::string expected;
};

TEST(Npy, BadHeadersAreErrorsNotCrashes) {
  const std::string pre = "{'descr': '<i8', 'fortran_order': False, ";
  const BadHeader cases[] = {
      // std::stoll threw std::out_of_range: the process aborted.
      {"huge-dim", pre + "'shape': (99999999999999999999,), }",
       "a dimension of 'shape' does not fit in 64 bits"},
      // The element count overflowed int64 (undefined behaviour).
      {"count-overflow", pre + "'shape': (4294967296, 4294967296, 16), }",
       "the element count of 'shape' does not fit in 64 bits"},
      // "-1" was read as 1: a silently wrong shape.
      {"negative-dim", pre + "'shape': (1, -1), }",
       "'shape' must hold non-negative integers"},
      {"no-shape", "{'descr': '<i8', 'fortran_order': False, }", "no 'shape'"},
      {"no-descr", "{'fortran_order': False, 'shape': (1,), }", "no 'descr'"},
      {"twice", pre + "'shape': (1,), 'shape': (2,), }",
       "the key 'shape' appears twice"},
      {"unknown-key", pre + "'shape': (1,), 'order': 'C', }",
       "unknown key 'order'"},
      {"bad-bool", "{'descr': '<i8', 'fortran_order': 0, 'shape': (1,), }",
       "'fortran_order' must be True or False"},
      {"no-brace", "'descr': '<i8'", "must be a Python dict literal"},
      {"unterminated", "{'descr': '<i8", "'descr' has no closing quote"},
      {"trailing", pre + "'shape': (1,), } x", "unexpected text after"},
      {"fortran", "{'descr': '<i8', 'fortran_order': True, 'shape': (1,), }",
       "Fortran-ordered arrays are not supported"},
  };
  TempDir dir;
  for (const BadHeader &c : cases) {
    std::string p =
        dir.write(std::string(c.name) + ".npy", npyFile(c.header, int64s({7})));
    auto a = readNpyInts(p);
    ASSERT_FALSE(a.ok()) << c.name;
    EXPECT_NE(a.error().find(p), std::string::npos) << a.error();
    EXPECT_NE(a.error().find(c.expected), std::string::npos)
        << c.name << ": " << a.error();
  }
}

TEST(Npy, LongHeaderDoesNotOverflowTheStack) {
  // std::regex recursed once per character of 'descr': a 300 kB header
  // (format 2 allows 4 GB) overflowed the stack.
  TempDir dir;
  std::string p = dir.write(
      "long.npy", npyFile("{'descr': '" + std::string(300000, 'x') +
                              "', 'fortran_order': False, 'shape': (1,), }",
                          int64s({7}), /*version=*/2));
  auto a = readNpyInts(p);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().find("token ids must be int32 or int64"),
            std::string::npos)
      << a.error().substr(0, 200);
}

TEST(Npy, TruncatedDataAndHeader) {
  TempDir dir;
  std::string p = dir.write(
      "short.npy",
      npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
              int64s({1, 2})));
  auto a = readNpyInts(p);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().find("the file holds 2 elements but its shape needs 3"),
            std::string::npos)
      << a.error();

  std::string h = npyFile("{'descr': '<i8', 'shape': (1,), }", "");
  std::string q = dir.write("cut.npy", h.substr(0, h.size() - 5));
  auto b = readNpyInts(q);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().find("truncated .npy header"), std::string::npos)
      << b.error();
}

} // namespace
