#pragma once
// The Linux port: clock_gettime clocks, a mutex and condition variables for the bus,
// and a wake flag for the loop's wait.

#include <memory>

#include "core/port.h"

namespace luasys {

class LinuxPort final : public Port {
 public:
  LinuxPort();
  ~LinuxPort() override;

  [[nodiscard]] Millis monotonic_ms() const override;
  [[nodiscard]] std::int64_t wall_ms() const override;
  void wait_until(Millis deadline) override;
  void wake() noexcept override;
  void lock() noexcept override;
  void unlock() noexcept override;
  bool wait_for_space(Millis timeout) override;
  void notify_space() noexcept override;

 private:
  struct State;  // Keeps <mutex> and <condition_variable> out of this header.
  std::unique_ptr<State> state_;
};

}  // namespace luasys
