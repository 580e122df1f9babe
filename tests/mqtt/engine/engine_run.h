#pragma once
// A home folder written by a test and `eventrunner run` on it, in real time, with its
// timeline read as it comes (waits have deadlines, never fixed sleeps).

#include <signal.h>

#include <algorithm>
#include <string>
#include <vector>

#include "mqtt/support/test_client.h"
#include "support/process.h"

namespace er::mqtt_test {

namespace fs = std::filesystem;

/// A home folder: home.lua and one rules file.
class TestHome {
 public:
  TestHome(const std::string& home_lua, const std::string& rules)
      : folder_(test_support::make_temp_dir("er-mqtt-home")) {
    test_support::write_file(folder_ / "home.lua", home_lua);
    test_support::write_file(folder_ / "10-rules.er", rules);
  }
  ~TestHome() {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  TestHome(const TestHome&) = delete;
  TestHome& operator=(const TestHome&) = delete;
  [[nodiscard]] const fs::path& folder() const { return folder_; }

 private:
  fs::path folder_;
};

/// `eventrunner run HOME --state none`; SIGTERM and wait in the destructor.
class EngineRun {
 public:
  /// Starts the engine and waits until the home is loaded: what the tests look for in
  /// the timeline is searched after the definitions (which echo the rules' text).
  explicit EngineRun(const TestHome& home, const std::vector<std::string>& env = {})
      : child_(test_support::spawn({ER_EVENTRUNNER, "run", home.folder().string(), "--state", "none"}, env)) {
    const std::size_t banner = test_support::wait_for_output(child_, " rules, real time", 20'000);
    start_ = child_.text.find('\n', banner);
  }
  /// Starts the engine with its timeline going to `log` (for benchmarks: nothing has to
  /// read it for the engine to go on). wait_for and output see nothing then.
  EngineRun(const TestHome& home, const fs::path& log)
      : child_(test_support::spawn_logged({ER_EVENTRUNNER, "run", home.folder().string(), "--state", "none"},
                                          log)) {}
  ~EngineRun() {
    if (child_.pid > 0) stop();
  }
  EngineRun(const EngineRun&) = delete;
  EngineRun& operator=(const EngineRun&) = delete;

  /// Waits until the timeline from `from` on holds `text`; where it starts.
  std::size_t wait_for(const std::string& text, std::size_t from = 0, int timeout_ms = 10'000) {
    return test_support::wait_for_output(child_, text, timeout_ms, std::max(from, start_));
  }
  /// The timeline read so far.
  [[nodiscard]] const std::string& output() const { return child_.text; }
  /// How many times `text` occurs in what was read so far.
  [[nodiscard]] std::size_t count(const std::string& text) const {
    std::size_t n = 0;
    for (std::size_t at = child_.text.find(text, start_); at != std::string::npos; at = child_.text.find(text, at + 1)) ++n;
    return n;
  }
  /// Publishes `payload` on `topic` until the timeline shows `answer`: the subscription
  /// of a rule may not be in place at the first try. Fails after 10 s.
  void publish_until(TestClient& client, const std::string& topic, const std::string& payload,
                     const std::string& answer) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      client.publish(topic, payload);
      try {
        wait_for(answer, 0, 200);
        return;
      } catch (const test_support::Failure&) {
      }
    }
    test_support::fail("eventrunner never printed '" + answer + "':\n" + test_support::tail(child_.text));
  }

  /// SIGTERM; the exit status, after reading the rest of the timeline.
  int stop() { return end_with(SIGTERM); }
  /// SIGKILL: the engine dies without a goodbye (the broker publishes its last will).
  int kill_hard() { return end_with(SIGKILL); }

 private:
  int end_with(int signal_number) {
    kill(child_.pid, signal_number);
    if (child_.output < 0) {
      int status = 0;
      if (!test_support::wait_exit(child_, 10'000, status)) test_support::fail("eventrunner did not stop");
      child_.pid = -1;
      return status;
    }
    const int status = test_support::finish(child_);
    child_.pid = -1;
    return status;
  }

  test_support::Child child_;
  std::size_t start_ = 0;  ///< Where the timeline after loading begins.
};

}  // namespace er::mqtt_test
