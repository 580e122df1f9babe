// Bus: bounded ring, refusals counted, producers, the ISR path.

#include "core/bus.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "fake_port.h"

namespace luasys {
namespace {

using testing::FakePort;

Message numbered(std::int64_t n) {
  Message message;
  message.id = StaticText("n");
  message.args[0] = n;
  message.argc = 1;
  return message;
}

std::int64_t number_of(const Message& message) { return std::get<std::int64_t>(message.args[0]); }

TEST(core_bus, TakesInAcceptanceOrder) {
  FakePort port;
  Bus bus(port, BusOptions{4});
  for (std::int64_t i = 0; i < 3; ++i) ASSERT_TRUE(bus.try_post(numbered(i)));
  Message out;
  for (std::int64_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(bus.take(out));
    EXPECT_EQ(number_of(out), i);
  }
  EXPECT_FALSE(bus.take(out));
  EXPECT_TRUE(bus.empty());
}

TEST(core_bus, WrapsAroundTheRing) {
  FakePort port;
  Bus bus(port, BusOptions{3});
  Message out;
  for (std::int64_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(bus.try_post(numbered(i)));
    ASSERT_TRUE(bus.take(out));
    EXPECT_EQ(number_of(out), i);
  }
}

TEST(core_bus, KeepsOwnedStringsAndArgumentCount) {
  FakePort port;
  Bus bus(port);
  Message message;
  message.id = std::string("a fairly long message id that does not fit in SSO");
  message.args[1] = 2.5;
  message.argc = 3;  // Trailing nil counted.
  ASSERT_TRUE(bus.post(std::move(message), 0));
  Message out;
  ASSERT_TRUE(bus.take(out));
  EXPECT_EQ(std::get<std::string>(out.id), "a fairly long message id that does not fit in SSO");
  EXPECT_EQ(std::get<double>(out.args[1]), 2.5);
  EXPECT_EQ(out.argc, 3);
}

TEST(core_bus, FullBusRefusesTryPostAndCountsTheDrop) {
  FakePort port;
  Bus bus(port, BusOptions{2});
  EXPECT_TRUE(bus.try_post(numbered(1)));
  EXPECT_TRUE(bus.try_post(numbered(2)));
  EXPECT_FALSE(bus.try_post(numbered(3)));
  EXPECT_FALSE(bus.try_post(numbered(4)));
  const BusStats stats = bus.stats();
  EXPECT_EQ(stats.posted, 2U);
  EXPECT_EQ(stats.dropped, 2U);
  EXPECT_EQ(stats.used, 2U);
  EXPECT_EQ(stats.peak, 2U);
  EXPECT_EQ(stats.slots, 2U);
  EXPECT_EQ(bus.dropped(), 2U);
}

TEST(core_bus, PostWithTimeoutTimesOutWhenFull) {
  FakePort port;
  Bus bus(port, BusOptions{1});
  ASSERT_TRUE(bus.post(numbered(1), 0));
  const Millis before = port.monotonic;
  EXPECT_FALSE(bus.post(numbered(2), 50));
  EXPECT_EQ(port.space_waits, std::vector<Millis>{50});
  EXPECT_EQ(port.monotonic, before + 50);
  EXPECT_EQ(bus.dropped(), 1U);
  EXPECT_FALSE(bus.post(numbered(3), 0));  // Zero timeout: no wait at all.
  EXPECT_EQ(port.space_waits.size(), 1U);
  EXPECT_EQ(bus.dropped(), 2U);
}

TEST(core_bus, EveryAcceptedPostWakesTheLoopAndEveryTakeNotifiesSpace) {
  FakePort port;
  Bus bus(port);
  bus.try_post(numbered(1));
  bus.post(numbered(2), kForever);
  EXPECT_EQ(port.wakes, 2);
  Message out;
  bus.take(out);
  EXPECT_EQ(port.space_notifications, 1);
  EXPECT_EQ(port.locks, port.unlocks);
}

TEST(core_bus, ClosedBusRefusesUntilReopened) {
  FakePort port;
  Bus bus(port);
  bus.close();
  EXPECT_FALSE(bus.try_post(numbered(1)));
  EXPECT_FALSE(bus.post(numbered(2), kForever));
  EXPECT_EQ(bus.dropped(), 2U);
  bus.reopen();
  EXPECT_TRUE(bus.try_post(numbered(3)));
}

TEST(core_bus, IsrPostRefusesOwnedStrings) {
  FakePort port;
  Bus bus(port);
  bool yield = true;
  Message owning;
  owning.args[3] = std::string("owned");
  EXPECT_FALSE(bus.try_post_from_isr(owning, &yield));
  EXPECT_FALSE(yield);
  EXPECT_EQ(bus.dropped(), 1U);
  Message plain = numbered(5);
  plain.args[1] = StaticText("static");
  EXPECT_TRUE(bus.try_post_from_isr(plain, &yield));
  Message out;
  ASSERT_TRUE(bus.take(out));
  EXPECT_EQ(std::get<StaticText>(out.args[1]).view(), "static");
}

TEST(core_bus, IsrPostOnFullBusIsCounted) {
  FakePort port;
  Bus bus(port, BusOptions{1});
  EXPECT_TRUE(bus.try_post_from_isr(numbered(1), nullptr));
  EXPECT_FALSE(bus.try_post_from_isr(numbered(2), nullptr));
  EXPECT_EQ(bus.dropped(), 1U);
}

TEST(core_bus, ProducersAreCountedWhileAlive) {
  FakePort port;
  Bus bus(port);
  Producer first = bus.add_producer("mqtt");
  EXPECT_EQ(first.name(), "mqtt");
  {
    Producer second = bus.add_producer("driver");
    EXPECT_EQ(bus.producer_count(), 2U);
  }
  EXPECT_EQ(bus.producer_count(), 1U);
  Producer moved = std::move(first);
  EXPECT_EQ(bus.producer_count(), 1U);
  EXPECT_EQ(bus.stats().producers, 1U);
  const int wakes_before = port.wakes;
  moved.release();
  moved.release();  // Harmless twice.
  EXPECT_EQ(bus.producer_count(), 0U);
  EXPECT_EQ(port.wakes, wakes_before + 1);  // The idle loop must re-check.
}

TEST(core_bus, MoveAssignmentReleasesTheOldRegistration) {
  FakePort port;
  Bus bus(port);
  Producer a = bus.add_producer("a");
  Producer b = bus.add_producer("b");
  a = std::move(b);
  EXPECT_EQ(bus.producer_count(), 1U);
  EXPECT_EQ(a.name(), "b");
}

TEST(core_bus, ZeroSlotsMeansOne) {
  FakePort port;
  Bus bus(port, BusOptions{0});
  EXPECT_TRUE(bus.try_post(numbered(1)));
  EXPECT_FALSE(bus.try_post(numbered(2)));
}

}  // namespace
}  // namespace luasys
