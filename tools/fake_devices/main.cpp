// fake-devices: Zigbee2MQTT, Tasmota and Home Assistant discovery devices on a real
// MQTT broker, for the tests (tests/mqtt) and for trying rules without hardware. The
// usage text is in options.cpp; each family's header lists its topics.
//
// Threads: libmosquitto runs one network thread per device connection (the families
// answer MQTT commands there); the main thread runs the command lines, the periodic
// telemetry and the shutdown.

#include <fcntl.h>
#include <mosquitto.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "options.h"
#include "output.h"
#include "runner.h"

namespace er::fake_devices {
namespace {

constexpr auto kShutdownTimeout = std::chrono::seconds(3);

/// Blocks SIGINT and SIGTERM in every thread (call it before any thread starts) and
/// returns a signalfd that reads them.
int block_stop_signals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  // Output to a reader that left must not kill fake-devices before its goodbye.
  signal(SIGPIPE, SIG_IGN);
  return signalfd(-1, &stop, SFD_CLOEXEC);
}

bool signal_arrived(int signals) {
  pollfd waiting{signals, POLLIN, 0};
  return poll(&waiting, 1, 0) > 0;
}

std::vector<std::unique_ptr<Family>> make_families(const Options& options) {
  std::vector<std::unique_ptr<Family>> families;
  if (!options.z2m_devices.empty()) {
    families.push_back(
        std::make_unique<Zigbee2Mqtt>(options.broker, options.z2m, options.z2m_devices));
  }
  if (!options.tasmota_devices.empty()) {
    families.push_back(
        std::make_unique<Tasmota>(options.broker, options.tasmota, options.tasmota_devices));
  }
  if (!options.ha_entities.empty()) {
    families.push_back(
        std::make_unique<HomeAssistant>(options.broker, options.ha, options.ha_entities));
  }
  return families;
}

enum class Start { ready, timed_out, stopped };

/// Waits until every connection is up with its retained state acknowledged.
Start wait_until_ready(const std::vector<Connection*>& connections, int signals,
                       Clock::time_point deadline) {
  for (Connection* connection : connections) {
    while (!connection->wait_settled(
        std::min(deadline, Clock::now() + std::chrono::milliseconds(100)))) {
      if (signal_arrived(signals)) return Start::stopped;
      if (Clock::now() >= deadline) return Start::timed_out;
    }
  }
  return Start::ready;
}

/// What the devices do on a clean shutdown, then the disconnections.
void shut_down(std::vector<std::unique_ptr<Family>>& families,
               const std::vector<Connection*>& connections) {
  for (const auto& family : families) family->shut_down();
  const Clock::time_point deadline = Clock::now() + kShutdownTimeout;
  for (Connection* connection : connections) connection->close(deadline);
}

int run(const Options& options, int signals, int input) {
  std::vector<std::unique_ptr<Family>> families = make_families(options);
  // The connection of the `pub` commands: a client of its own, as mosquitto_pub is.
  Connection raw(options.broker, "fake-devices-" + std::to_string(getpid()), std::nullopt);
  std::vector<Connection*> connections;
  for (const auto& family : families) {
    for (Connection* connection : family->connections()) connections.push_back(connection);
  }
  connections.push_back(&raw);
  for (Connection* connection : connections) connection->start();

  const auto deadline = Clock::now() + std::chrono::seconds(options.connect_timeout_s);
  const Start start = wait_until_ready(connections, signals, deadline);
  if (start == Start::timed_out) {
    complain("the devices could not connect to " + options.broker.host + ":" +
             std::to_string(options.broker.port) + " within " +
             std::to_string(options.connect_timeout_s) + " s");
    return 1;
  }
  if (start == Start::ready) {
    say("ready");
    Runner runner(families, raw, signals);
    if (runner.run_commands(input)) runner.run_until_signal();
  }
  shut_down(families, connections);
  return 0;
}

}  // namespace
}  // namespace er::fake_devices

int main(int argc, char** argv) {
  using namespace er::fake_devices;
  Options options;
  const std::string problem = parse_options(argc, argv, options);
  if (!problem.empty()) {
    complain(problem + " (fake-devices --help shows the usage)");
    return 2;
  }
  if (options.help) {
    std::fputs(usage(), stdout);
    return 0;
  }
  const int input =
      options.script.empty() ? STDIN_FILENO : open(options.script.c_str(), O_RDONLY | O_CLOEXEC);
  if (input < 0) {
    complain("cannot read the script " + options.script);
    return 2;
  }
  const int signals = block_stop_signals();
  mosquitto_lib_init();
  const int status = run(options, signals, input);
  mosquitto_lib_cleanup();
  return status;
}
