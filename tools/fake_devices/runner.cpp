#include "runner.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>

#include "output.h"

namespace er::fake_devices {
namespace {

constexpr auto kTickPeriod = std::chrono::seconds(1);
constexpr auto kForever = std::chrono::hours(24 * 365);

int ms_until(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 1'000'000));
}

}  // namespace

Runner::Runner(std::vector<std::unique_ptr<Family>>& families, Connection& raw, int signals)
    : families_(families), raw_(raw), signals_(signals) {}

bool Runner::run_commands(int input) {
  std::string pending;
  for (;;) {
    for (std::size_t end = pending.find('\n'); end != std::string::npos; end = pending.find('\n')) {
      const std::string line = pending.substr(0, end);
      pending.erase(0, end + 1);
      if (!run_line(line)) return false;
    }
    const Wake wake = wait(input, Clock::now() + kForever);
    if (wake == Wake::signal) return false;
    if (wake != Wake::input) continue;
    char block[4096];
    const ssize_t got = read(input, block, sizeof block);
    if (got <= 0) return pending.empty() || run_line(pending);  // The end of the input.
    pending.append(block, static_cast<std::size_t>(got));
  }
}

void Runner::run_until_signal() {
  while (wait(-1, Clock::now() + kForever) != Wake::signal) {
  }
}

Runner::Wake Runner::wait(int input, Clock::time_point deadline) {
  for (;;) {
    const Clock::time_point now = Clock::now();
    if (now >= next_tick_) {
      for (const auto& family : families_) family->tick(now);
      next_tick_ = now + kTickPeriod;
    }
    if (now >= deadline) return Wake::deadline;
    pollfd waiting[2] = {{signals_, POLLIN, 0}, {input, POLLIN, 0}};
    const int ready = poll(waiting, input >= 0 ? 2 : 1, ms_until(std::min(deadline, next_tick_)));
    if (ready > 0 && (waiting[0].revents & POLLIN) != 0) return Wake::signal;
    if (ready > 0 && waiting[1].revents != 0) return Wake::input;
  }
}

bool Runner::run_line(const std::string& line) {
  ++line_number_;
  std::string problem;
  const std::optional<Command> command = parse_command(line, problem);
  if (!problem.empty()) complain("line " + std::to_string(line_number_) + ": " + problem);
  return !command || execute(*command);
}

bool Runner::execute(const Command& command) {
  std::string problem;
  switch (command.verb) {
    case Verb::set:
    case Verb::sensor: {
      Family* family =
          command.verb == Verb::set ? family_named(command.family) : family_having(command.device);
      problem = family != nullptr ? family->change(command.device, command.values)
                                  : "no device '" + command.device + "'";
      break;
    }
    case Verb::offline:
    case Verb::online: {
      Family* family = family_named(command.family);
      problem = family != nullptr ? family->set_online(command.device, command.verb == Verb::online)
                                  : "no " + command.family + " devices";
      break;
    }
    case Verb::pub:
      raw_.publish(command.topic, command.payload, command.retain);
      break;
    case Verb::wait:
      return wait(-1, Clock::now() + std::chrono::milliseconds(command.wait_ms)) != Wake::signal;
    case Verb::exit:
      return false;
  }
  if (!problem.empty()) complain("line " + std::to_string(line_number_) + ": " + problem);
  return true;
}

Family* Runner::family_named(const std::string& name) {
  for (const auto& family : families_) {
    if (name == family->name()) return family.get();
  }
  return nullptr;
}

Family* Runner::family_having(const std::string& device) {
  for (const auto& family : families_) {
    if (family->has(device)) return family.get();
  }
  return nullptr;
}

}  // namespace er::fake_devices
