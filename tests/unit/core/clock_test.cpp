// Clocks: the virtual clock jumps, the real clock follows the port.

#include "core/clock.h"

#include <gtest/gtest.h>

#include "fake_port.h"

namespace luasys {
namespace {

using testing::FakePort;

TEST(core_clock, VirtualStartsAtZeroWithTheGivenWallTime) {
  VirtualClock clock(5000);
  EXPECT_EQ(clock.now(), 0);
  EXPECT_EQ(clock.wall_ms(), 5000);
  EXPECT_TRUE(clock.is_virtual());
}

TEST(core_clock, VirtualAdvanceNeverGoesBack) {
  VirtualClock clock;
  clock.advance_to(100);
  clock.advance_to(40);
  EXPECT_EQ(clock.now(), 100);
  EXPECT_EQ(clock.wall_ms(), 100);
}

TEST(core_clock, VirtualIdleJumpsToTheDeadlineWithoutWaiting) {
  VirtualClock clock;
  FakePort port;
  clock.idle_until(7 * 24 * 3600 * 1000LL, port);
  EXPECT_EQ(clock.now(), 7 * 24 * 3600 * 1000LL);
  EXPECT_TRUE(port.waits.empty());
}

TEST(core_clock, VirtualIdleWithoutDeadlineBlocksInThePort) {
  VirtualClock clock;
  FakePort port;
  clock.idle_until(kForever, port);
  ASSERT_EQ(port.waits.size(), 1U);
  EXPECT_EQ(port.waits[0], kForever);
  EXPECT_EQ(clock.now(), 0);
}

TEST(core_clock, RealCountsFromThePortReadingAtConstruction) {
  FakePort port;
  port.monotonic = 5000;
  RealClock clock(port);
  EXPECT_EQ(clock.now(), 0);
  port.monotonic = 5250;
  EXPECT_EQ(clock.now(), 250);
  EXPECT_EQ(clock.wall_ms(), port.wall_ms());
  EXPECT_FALSE(clock.is_virtual());
}

TEST(core_clock, RealIdleWaitsInThePortAtTheShiftedDeadline) {
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

}  // namespace
}  // namespace luasys
