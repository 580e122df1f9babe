// Runaway rules against the real binary (docs/limits.md): a rule that never yields,
// however it tries (a loop inside pcall, debug.sethook() to clear the hook, a
// pathological string pattern), is interrupted and named while a heartbeat rule keeps
// its time; and SIGTERM stops `eventrunner run` within a second while a rule is busy.

#include "process.h"

#include <chrono>
#include <cstdio>
#include <string>

namespace er::store_test {
namespace {

using Clock = std::chrono::steady_clock;

const char* const kHome = "return {devices = {{id = 10, name = 'lamp', type = 'binarySwitch'}}}\n";

// Runs a real-time home whose rule `action` runs at start and whose heartbeat logs
// every second; the rule must be named with the slice limit's error and the
// heartbeat must go on after it.
void runaway_is_named(const std::string& eventrunner, const fs::path& dir, const std::string& name,
                      const std::string& action) {
  const fs::path home = dir / name;
  fs::create_directories(home);
  write_file(home / "home.lua", kHome);
  write_file(home / "rules.er", "@@00:00:01 => log('beat %d', os.time())\n"
                                "#startup => " + action + "\n");
  Child child = spawn({eventrunner, "run", home.string(), "--state", "none", "--slice-limit", "300"});
  wait_for_output(child, "runtime error: run time limit exceeded (300 ms without yielding)");
  if (child.text.find("[RULE2] " + (home / "rules.er").string() + ":2:") == std::string::npos) {
    fail(name + ": the error does not name the rule and its line:\n" + tail(child.text));
  }
  wait_for_output(child, "[RULE2] disabled");
  const std::size_t after = child.text.size();
  // Two more heartbeats after the interruption: the loop kept its time.
  while (child.text.find("beat", after) == std::string::npos ||
         child.text.find("beat", child.text.find("beat", after) + 1) == std::string::npos) {
    if (!read_some(child, kStepTimeoutMs)) fail(name + ": the heartbeat stopped:\n" + tail(child.text));
  }
  kill(child.pid, SIGTERM);
  if (!exited_with(finish(child), 0)) fail(name + ": the run did not end cleanly:\n" + tail(child.text));
}

void sigterm_stops_a_busy_engine(const std::string& eventrunner, const fs::path& dir) {
  const fs::path home = dir / "busy";
  fs::create_directories(home);
  write_file(home / "home.lua", kHome);
  write_file(home / "rules.er", "#startup => log('busy'); while true do pcall(function() while true do end end) end\n");
  // No slice limit: only the signal can end the run.
  Child child = spawn({eventrunner, "run", home.string(), "--state", "none", "--slice-limit", "0"});
  wait_for_output(child, "busy");
  const auto sent = Clock::now();
  kill(child.pid, SIGTERM);
  const int status = finish(child);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - sent).count();
  if (!exited_with(status, 0)) fail("SIGTERM: the run did not end cleanly:\n" + tail(child.text));
  if (took > 1000) fail("SIGTERM: the run took " + std::to_string(took) + " ms to stop");
  if (child.text.find("summary:") == std::string::npos) fail("SIGTERM: no summary:\n" + tail(child.text));
}

// The test; main reports its failures.
int test_main(int argc, char** argv) {
  if (argc != 2) fail("usage: runaway_test EVENTRUNNER");
  const std::string eventrunner = fs::absolute(argv[1]).string();
  const fs::path dir = make_temp_dir("er-runaway");
  runaway_is_named(eventrunner, dir, "loop", "while true do end");
  runaway_is_named(eventrunner, dir, "pcall", "while true do pcall(function() while true do end end) end");
  runaway_is_named(eventrunner, dir, "sethook", "while true do debug.sethook() end");
  runaway_is_named(eventrunner, dir, "pattern",
                   "local s = string.rep('a', 100000); s:match('.-.-.-.-.-b')");
  runaway_is_named(eventrunner, dir, "coroutine",
                   "coroutine.wrap(function() while true do end end)()");
  sigterm_stops_a_busy_engine(eventrunner, dir);
  fs::remove_all(dir);
  std::printf("OK\n");
  return 0;
}

}  // namespace
}  // namespace er::store_test

int main(int argc, char** argv) {
  return er::test_support::main_reporting_failures(er::store_test::test_main, argc, argv);
}
