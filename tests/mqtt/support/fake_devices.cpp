#include "mqtt/support/fake_devices.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "mqtt/support/broker.h"

namespace er::mqtt_test {

using namespace test_support;

std::string fake_devices_program() {
  return ER_FAKE_DEVICES;
}

FakeDevices::FakeDevices(const TestBroker& broker, const std::vector<std::string>& arguments,
                         Millis timeout) {
  std::vector<std::string> argv = {fake_devices_program(), "--broker", broker.url()};
  std::vector<std::string> env;
  if (!broker.options().username.empty()) {
    // The password goes by the environment, as a user of fake-devices would pass it.
    argv.insert(argv.end(), {"--username", broker.options().username});
    env.push_back("MQTT_PASSWORD=" + broker.options().password);
  }
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  process_ = spawn(argv, env, true);
  reader_ = std::thread([this] { read_output(); });
  try {
    wait_for_output("fake-devices: ready\n", timeout);
  } catch (const Failure&) {
    kill();
    throw;
  }
}

FakeDevices::~FakeDevices() {
  try {
    stop();
  } catch (const Failure&) {
    // The test is over; stop() killed it.
  }
  join_reader();
}

void FakeDevices::command(const std::string& line) {
  write_input(process_, line + "\n");
}

std::size_t FakeDevices::wait_for_output(const std::string& text, Millis timeout,
                                         std::size_t from) {
  std::unique_lock lock(mutex_);
  std::size_t found = std::string::npos;
  const auto done = [&] {
    found = output_.find(text, from);
    return found != std::string::npos || output_ended_;
  };
  if (changed_.wait_for(lock, timeout, done) && found != std::string::npos) return found;
  fail(std::string(output_ended_ ? "fake-devices ended before printing '"
                                 : "fake-devices did not print '") +
       text + "':\n" + tail(output_));
}

int FakeDevices::stop(Millis timeout) {
  if (process_.pid <= 0) return 0;
  ::kill(process_.pid, SIGTERM);
  close_input(process_);
  int status = 0;
  if (wait_exit(process_, static_cast<int>(timeout.count()), status)) {
    join_reader();
    return status;
  }
  kill();
  fail("fake-devices did not end after SIGTERM:\n" + tail(output()));
}

void FakeDevices::kill() {
  if (process_.pid <= 0) return;
  ::kill(process_.pid, SIGKILL);
  close_input(process_);
  int status = 0;
  if (!wait_exit(process_, kStepTimeoutMs, status)) fail("fake-devices survived SIGKILL");
  join_reader();
}

std::string FakeDevices::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

void FakeDevices::read_output() {
  char block[65536];
  for (;;) {
    const ssize_t got = read(process_.output, block, sizeof block);
    std::lock_guard lock(mutex_);
    if (got <= 0) {
      output_ended_ = true;
      changed_.notify_all();
      return;
    }
    output_.append(block, static_cast<std::size_t>(got));
    changed_.notify_all();
  }
}

void FakeDevices::join_reader() {
  if (!reader_.joinable()) return;
  // The process has ended, so the pipe reaches its end and the reader returns.
  reader_.join();
  close(process_.output);
  process_.output = -1;
}

}  // namespace er::mqtt_test
