// Loop time: saturating arithmetic on milliseconds.

#include "core/time.h"

#include <gtest/gtest.h>

namespace luasys {
namespace {

TEST(core_time, SaturatingAddClampsAtForever) {
  EXPECT_EQ(saturating_add(10, 5), 15);
  EXPECT_EQ(saturating_add(kForever - 1, 5), kForever);
  EXPECT_EQ(saturating_add(kForever, 0), kForever);
}

}  // namespace
}  // namespace luasys
