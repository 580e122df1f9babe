// Clocks: the virtual clock jumps, the real clock follows the port.

#include "core/clock.h"

#include <gtest/gtest.h>

#include "fake_port.h"

namespace luasys {
namespace {

using testing::FakePort;

TEST(core_virtual_clock_test, StartsAtZeroWithTheGivenWallTime) {
  VirtualClock clock(5000);
  EXPECT_EQ(clock.now(), 0);
  EXPECT_EQ(clock.wall_ms(), 5000);
  EXPECT_TRUE(clock.is_virtual());
}

TEST(core_virtual_clock_test, AdvanceNeverGoesBack) {
  VirtualClock clock;
  clock.advance_to(100);
  clock.advance_to(40);
  EXPECT_EQ(clock.now(), 100);
  EXPECT_EQ(clock.wall_ms(), 100);
}

TEST(core_virtual_clock_test, IdleJumpsToTheDeadlineWithoutWaiting) {
  VirtualClock clock;
  FakePort port;
  clock.idle_until(7 * 24 * 3600 * 1000LL, port);
  EXPECT_EQ(clock.now(), 7 * 24 * 3600 * 1000LL);
  EXPECT_TRUE(port.waits.empty());
}

TEST(core_virtual_clock_test, IdleWithoutDeadlineBlocksInThePort) {
  VirtualClock clock;
  FakePort port;
  clock.idle_until(kForever, port);
  ASSERT_EQ(port.waits.size(), 1U);
  EXPECT_EQ(port.waits[0], kForever);
  EXPECT_EQ(clock.now(), 0);
}

TEST(core_real_clock_test, CountsFromThePortReadingAtConstruction) {
  FakePort port;
  port.monotonic = 5000;
  RealClock clock(port);
  EXPECT_EQ(clock.now(), 0);
  port.monotonic = 5250;
  EXPECT_EQ(clock.now(), 250);
  EXPECT_EQ(clock.wall_ms(), port.wall_ms());
  EXPECT_FALSE(clock.is_virtual());
}

TEST(core_real_clock_test, IdleWaitsInThePortAtTheShiftedDeadline) {
  FakePort port;
  port.monotonic = 5000;
  RealClock clock(port);
  clock.idle_until(300, port);
  clock.idle_until(kForever, port);
  ASSERT_EQ(port.waits.size(), 2U);
  EXPECT_EQ(port.waits[0], 5300);
  EXPECT_EQ(port.waits[1], kForever);
  EXPECT_EQ(clock.now(), 300);
}

TEST(core_time_test, SaturatingAddClampsAtForever) {
  EXPECT_EQ(saturating_add(10, 5), 15);
  EXPECT_EQ(saturating_add(kForever - 1, 5), kForever);
  EXPECT_EQ(saturating_add(kForever, 0), kForever);
}

}  // namespace
}  // namespace luasys
