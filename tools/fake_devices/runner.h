#pragma once
// The command thread of fake-devices: runs the command lines of a script or of stdin
// (commands.h), gives the families their periodic ticks, and stops at SIGINT or
// SIGTERM (read from a signalfd) or at `exit`.

#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "connection.h"
#include "family.h"

namespace er::fake_devices {

class Runner {
 public:
  /// `raw` publishes the `pub` commands; `signals` is a signalfd for SIGINT and SIGTERM.
  Runner(std::vector<std::unique_ptr<Family>>& families, Connection& raw, int signals);

  /// Runs the command lines read from `input` (a script file or stdin) to its end.
  /// False when fake-devices should stop (a signal or `exit`).
  bool run_commands(int input);
  /// Keeps the devices going (ticks) until a signal.
  void run_until_signal();

 private:
  enum class Wake { input, deadline, signal };

  /// Waits for `input` (none when -1) until `deadline`, ticking the families.
  Wake wait(int input, Clock::time_point deadline);
  /// Runs one command line; false when fake-devices should stop.
  bool run_line(const std::string& line);
  bool execute(const Command& command);
  Family* family_named(const std::string& name);
  Family* family_having(const std::string& device);

  std::vector<std::unique_ptr<Family>>& families_;
  Connection& raw_;
  int signals_;
  int line_number_ = 0;
  Clock::time_point next_tick_ = Clock::now();
};

}  // namespace er::fake_devices
