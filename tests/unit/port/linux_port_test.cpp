// LinuxPort: clocks, the latched wake, the loop's wait, and the bus lock's space wait.

#include "port/linux_port.h"

#include "core/bus.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

namespace luasys {
namespace {

TEST(port_linux_linux_port, ClocksAreSane) {
  LinuxPort port;
  const Millis first = port.monotonic_ms();
  EXPECT_GE(port.monotonic_ms(), first);
  EXPECT_GT(port.wall_ms(), 1'600'000'000'000);  // After September 2020.
}

TEST(port_linux_linux_port, WakeBeforeWaitIsNotLost) {
  LinuxPort port;
  port.wake();
  port.wait_until(kForever);  // Returns at once: the wake was latched.
  SUCCEED();
}

TEST(port_linux_linux_port, WakeIsConsumedByOneWait) {
  LinuxPort port;
  port.wake();
  port.wake();
  port.wait_until(kForever);
  const Millis before = port.monotonic_ms();
  port.wait_until(before + 5);  // No latched wake left: waits for the deadline.
  EXPECT_GE(port.monotonic_ms(), before + 5);
}

TEST(port_linux_linux_port, PastDeadlineReturnsAtOnce) {
  LinuxPort port;
  port.wait_until(port.monotonic_ms() - 1000);
  SUCCEED();
}

TEST(port_linux_linux_port, WakeFromAnotherThreadEndsAForeverWait) {
  LinuxPort port;
  std::thread waker([&port] { port.wake(); });
  port.wait_until(kForever);  // Whether the wake comes before or during the wait.
  waker.join();
}

TEST(port_linux_linux_port, WakeFromIsrDefaultNeverAsksForYield) {
  LinuxPort port;
  bool yield = true;
  port.wake_from_isr(&yield);
  EXPECT_FALSE(yield);
  port.wait_until(kForever);
}

TEST(port_linux_linux_port, WaitForSpaceTimesOutWithoutNotification) {
  LinuxPort port;
  port.lock();
  const Millis before = port.monotonic_ms();
  EXPECT_FALSE(port.wait_for_space(5));
  EXPECT_GE(port.monotonic_ms(), before + 5);
  port.unlock();  // The lock was given back.
}

TEST(port_linux_linux_port, NotifySpaceWakesABlockedProducer) {
  LinuxPort port;
  std::atomic<bool> space{false};
  std::promise<void> waiting;
  std::thread producer([&] {
    port.lock();
    waiting.set_value();
    while (!space.load()) port.wait_for_space(kForever);
    port.unlock();
  });
  waiting.get_future().wait();
  // The producer holds the lock until it sleeps, so taking it here orders the
  // notification after its check.
  port.lock();
  space.store(true);
  port.unlock();
  port.notify_space();
  producer.join();
}

TEST(port_linux_linux_port, BusPostTimesOutOnAFullBus) {
  LinuxPort port;
  Bus bus(port, BusOptions{1});
  ASSERT_TRUE(bus.post(Message{}, kForever));
  const Millis before = port.monotonic_ms();
  EXPECT_FALSE(bus.post(Message{}, 10));
  EXPECT_GE(port.monotonic_ms(), before + 10);
  EXPECT_EQ(bus.dropped(), 1U);
}

TEST(port_linux_linux_port, BlockedPostProceedsWhenTheLoopTakes) {
  LinuxPort port;
  Bus bus(port, BusOptions{1});
  ASSERT_TRUE(bus.try_post(Message{}));
  std::thread producer([&bus] { EXPECT_TRUE(bus.post(Message{}, kForever)); });
  Message out;
  int taken = 0;
  while (taken < 2) {
    if (bus.take(out)) {
      ++taken;
    } else {
      port.wait_until(kForever);  // Woken by the producer's post.
    }
  }
  producer.join();
  EXPECT_EQ(bus.dropped(), 0U);
}

TEST(port_linux_linux_port, CloseReleasesABlockedProducer) {
  LinuxPort port;
  Bus bus(port, BusOptions{1});
  ASSERT_TRUE(bus.try_post(Message{}));
  std::promise<void> about_to_post;
  std::thread producer([&] {
    about_to_post.set_value();
    EXPECT_FALSE(bus.post(Message{}, kForever));
  });
  about_to_post.get_future().wait();
  bus.close();  // Whether the producer is already blocked or not, it gives up.
  producer.join();
  EXPECT_EQ(bus.dropped(), 1U);
}

}  // namespace
}  // namespace luasys
