// LinuxWatchdog: ticks its client with the port's monotonic clock until destroyed.

#include "port/linux_watchdog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "port/linux_port.h"

namespace luasys {
namespace {

class CountingClient final : public WatchdogClient {
 public:
  void watchdog_tick(Millis now) noexcept override {
    if (now < last) backwards = true;
    last = now;
    ++ticks;
  }
  std::atomic<int> ticks{0};
  std::atomic<Millis> last{0};
  std::atomic<bool> backwards{false};
};

TEST(port_linux_linux_watchdog, TicksEveryPeriodWithTheMonotonicClock) {
  LinuxPort port;
  CountingClient client;
  {
    LinuxWatchdog watchdog(client, port, 10);
    std::this_thread::sleep_for(std::chrono::milliseconds(120));
  }
  const int ticks = client.ticks;
  EXPECT_GE(ticks, 3);
  EXPECT_LE(ticks, 13);
  EXPECT_FALSE(client.backwards);
  EXPECT_LE(client.last.load(), port.monotonic_ms());
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(client.ticks, ticks);  // Stopped with the watchdog.
}

TEST(port_linux_linux_watchdog, StopsPromptlyWithALongPeriod) {
  LinuxPort port;
  CountingClient client;
  const auto start = std::chrono::steady_clock::now();
  { LinuxWatchdog watchdog(client, port, 10'000); }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(client.ticks, 0);
}

}  // namespace
}  // namespace luasys
