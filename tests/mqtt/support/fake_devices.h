#pragma once
// Runs tools/fake_devices (the `fake-devices` program) against a TestBroker: started
// with the broker's URL and login, ready once it printed "fake-devices: ready" (every
// device connected and its retained state acknowledged by the broker), driven by
// command lines on its stdin, and stopped with SIGTERM.
//
// A thread reads its output all the time: fake-devices prints a line per message, and
// a full pipe would stall its devices in a long test that does not look at it.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mqtt/support/test_client.h"
#include "support/process.h"

namespace er::mqtt_test {

class TestBroker;

/// The fake-devices program of this build.
std::string fake_devices_program();

class FakeDevices {
 public:
  /// Starts fake-devices with `arguments` (the devices and options, without --broker)
  /// and waits until it is ready.
  FakeDevices(const TestBroker& broker, const std::vector<std::string>& arguments,
              Millis timeout = Millis(10'000));
  /// Stops it (SIGTERM) unless stop() or kill() did.
  ~FakeDevices();
  FakeDevices(const FakeDevices&) = delete;
  FakeDevices& operator=(const FakeDevices&) = delete;

  /// Sends one command line (`set z2m hall/motion occupancy=true`).
  void command(const std::string& line);
  /// Waits until the output from `from` on contains `text`; returns where it starts.
  std::size_t wait_for_output(const std::string& text, Millis timeout = kDefaultTimeout,
                              std::size_t from = 0);
  /// Sends SIGTERM and returns the wait status once it ended.
  int stop(Millis timeout = Millis(10'000));
  /// SIGKILL, as a power cut: the devices publish nothing, the broker their wills.
  void kill();
  /// Everything it printed so far (stdout and stderr).
  [[nodiscard]] std::string output() const;

 private:
  /// The reader thread: appends the output to output_ until its end.
  void read_output();
  /// After the exit: waits for the reader to see the end of the output.
  void join_reader();

  test_support::Child process_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool output_ended_ = false;
};

}  // namespace er::mqtt_test
