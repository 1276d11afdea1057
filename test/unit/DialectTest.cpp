#include <gtest/gtest.h>
TEST(Dialect, Placeholder) {}
