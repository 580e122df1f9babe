// Durability of `$name` writes (issue #4 item 4): "a write acknowledged to a rule is
// never lost". Starts the real `eventrunner run HOME --state FILE` with a rule that
// writes $Counter in a fast burst and logs every 1000th acknowledged value, kills it
// with SIGKILL in the middle of the burst, and checks that the state file holds at
// least the last value logged, both read directly with SQLite and as `$Counter` in a
// restarted engine (`eventrunner eval --state`). Three rounds, each continuing from the
// restored counter and killed after a different number of acknowledgements.
//
// usage: store_durability_test EVENTRUNNER

#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "process.h"

namespace {

using namespace er::store_test;

// The rule: continue from the restored counter, one durable write per iteration.
constexpr const char* kBurstRule =
    "#startup => local n = $Counter ?? 0\n"
    "  for i = n + 1, n + 10000000 do\n"
    "    $Counter = i\n"
    "    if i % 1000 == 0 then log(\"ack %d\", i) end\n"
    "    wait(0)\n"
    "  end\n";

constexpr const char* kHome =
    "return {name = \"durability\",\n"
    "  location = {latitude = 52.52, longitude = 13.405, tz = \"CET-1CEST,M3.5.0,M10.5.0/3\"},\n"
    "  devices = {}}\n";

// The highest "ack N" in the complete lines of `output`.
long long last_ack(const std::string& output) {
  long long last = 0;
  std::size_t start = 0;
  for (std::size_t end; (end = output.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = output.substr(start, end - start);
    const std::size_t at = line.find("] ack ");
    if (at != std::string::npos) last = std::max(last, std::atoll(line.c_str() + at + 6));
  }
  return last;
}

// Runs the home until `acks` acknowledgements were logged past `from`, then SIGKILLs it
// and returns the last value acknowledged before it died.
long long run_and_kill(const std::string& eventrunner, const fs::path& home, const fs::path& state,
                       long long from, int acks) {
  Child child = spawn({eventrunner, "run", home.string(), "--state", state.string()});
  while (last_ack(child.text) < from + 1000LL * acks) {
    if (!read_some(child, kStepTimeoutMs)) fail("eventrunner ended early:\n" + tail(child.text));
  }
  kill(child.pid, SIGKILL);
  // Lines written before the kill landed are acknowledged too.
  if (!killed_by_sigkill(finish(child))) fail("eventrunner was not killed:\n" + tail(child.text));
  return last_ack(child.text);
}

// $Counter's stored text, read with SQLite as any other process would.
long long counter_in_file(const fs::path& state) {
  long long value = -1;
  query_state(state, "SELECT value FROM globals WHERE name = 'Counter'",
              [&](sqlite3_stmt* row) { value = std::atoll(column_text(row, 0).c_str()); });
  return value;
}

// `$Counter` as a restarted engine sees it.
long long counter_after_restart(const std::string& eventrunner, const fs::path& state) {
  const auto [status, output] =
      run({eventrunner, "eval", "--state", state.string(), "return $Counter"});
  if (!exited_with(status, 0)) fail("eventrunner eval failed:\n" + output);
  return std::atoll(output.c_str());
}

// The test; main reports its failures.
int test_main(int argc, char** argv) {
  if (argc != 2) fail("usage: store_durability_test EVENTRUNNER");
  const std::string eventrunner = fs::absolute(argv[1]).string();
  const fs::path dir = make_temp_dir("er-durability");
  const fs::path home = dir / "home";
  const fs::path state = dir / "state.db";
  fs::create_directory(home);
  write_file(home / "home.lua", kHome);
  write_file(home / "burst.er", kBurstRule);

  long long restored = 0;
  for (const int acks : {3, 7, 11}) {
    const long long acknowledged = run_and_kill(eventrunner, home, state, restored, acks);
    const long long in_file = counter_in_file(state);
    restored = counter_after_restart(eventrunner, state);
    std::printf("killed after ack %lld: file holds %lld, restarted engine reads %lld\n",
                acknowledged, in_file, restored);
    if (in_file < acknowledged) fail("the state file lost acknowledged writes");
    if (restored != in_file) fail("the restarted engine does not read the stored $Counter");
  }
  fs::remove_all(dir);
  std::printf("OK\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return er::test_support::main_reporting_failures(test_main, argc, argv);
}
