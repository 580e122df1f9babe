// Atomicity of a device-state batch with the real binary: the engine writes the device
// changes of one loop pass as one transaction, so a process killed between the writes
// of a batch leaves all of the batch or none of it.
//
// The home has eight dimmers; on #startup its rule counts the run in $Round (a durable
// `$name` write) and sets every dimmer to one large text ending in "#<round>", so one
// flush writes eight rows of 300 KB: more than SQLite's page cache holds, so part of
// an unfinished batch reaches the -wal file before the kill. The process kills itself
// with SIGKILL at a chosen point of the batch (EVENTRUNNER_TEST_KILL_IN_BATCH, a
// test-only hook of the eventrunner binary: after row N, or right after the commit).
// After each kill the file, read with SQLite and by a restarted engine (`eventrunner
// eval --home --state`), must hold one round for all eight dimmers: the last completed
// batch's after a kill mid-batch, the new one after a kill past the commit.
//
// usage: store_batch_test EVENTRUNNER

#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <string>

#include "process.h"

namespace {

using namespace er::store_test;

constexpr int kDevices = 8;

constexpr const char* kHome =
    "local devices = {}\n"
    "for id = 1, 8 do\n"
    "  devices[id] = {id = id, name = 'dimmer' .. id, type = 'multilevelSwitch', props = {value = 0}}\n"
    "end\n"
    "return {name = 'batch',\n"
    "  location = {latitude = 52.52, longitude = 13.405, tz = 'CET-1CEST,M3.5.0,M10.5.0/3'},\n"
    "  devices = devices}\n";

constexpr const char* kRule =
    "#startup => $Round = ($Round ?? 0) + 1;"
    " {1, 2, 3, 4, 5, 6, 7, 8}:value = string.rep('x', 300000) ++ '#' ++ $Round;"
    " log('round %d', $Round)\n";

// The round after the last '#' of a dimmer's value ("\"xx…x#3\"" -> 3), or -1.
int round_of(const std::string& text) {
  const std::size_t hash = text.rfind('#');
  return hash == std::string::npos ? -1 : std::atoi(text.c_str() + hash + 1);
}

struct Stored {
  int round = -1;                 // $Round
  std::map<std::string, int> devices;  // device id -> round of its value
};

Stored read_file(const fs::path& state) {
  Stored stored;
  query_state(state, "SELECT value FROM globals WHERE name = 'Round'",
              [&](sqlite3_stmt* row) { stored.round = std::atoi(column_text(row, 0).c_str()); });
  query_state(state, "SELECT device, value FROM device_properties WHERE property = 'value'",
              [&](sqlite3_stmt* row) {
                stored.devices[column_text(row, 0)] = round_of(column_text(row, 1));
              });
  return stored;
}

// The dimmers' rounds as a restarted engine on the file reads them: "{1, 1, …}".
std::string rounds_after_restart(const std::string& eventrunner, const fs::path& home,
                                 const fs::path& state) {
  const auto [status, output] = run(
      {eventrunner, "eval", "--home", home.string(), "--state", state.string(),
       "local t = {} for id = 1, 8 do t[id] = tonumber(string.match(id:value, '#(%d+)$')) end "
       "return t"});
  if (!exited_with(status, 0)) fail("eventrunner eval failed:\n" + tail(output));
  return output;
}

std::string expected_rounds(int round) {
  std::string text = "{";
  for (int id = 1; id <= kDevices; ++id) text += (id > 1 ? ", " : "") + std::to_string(round);
  return text + "}\n";
}

long long size_of(const fs::path& path) {
  struct stat status {};
  return stat(path.c_str(), &status) == 0 ? static_cast<long long>(status.st_size) : 0;
}

// One run of the home, killed at `kill_at` ("" lets it finish); checks how it ended.
void run_home(const std::string& eventrunner, const fs::path& home, const fs::path& state,
              const std::string& kill_at) {
  std::vector<std::string> env;
  if (!kill_at.empty()) env.push_back("EVENTRUNNER_TEST_KILL_IN_BATCH=" + kill_at);
  const auto [status, output] = run(
      {eventrunner, "run", home.string(), "--virtual", "--for", "1s", "--state", state.string()},
      env);
  if (kill_at.empty() ? !exited_with(status, 0) : !killed_by_sigkill(status)) {
    fail("eventrunner run (kill at '" + kill_at + "') ended unexpectedly:\n" + tail(output));
  }
}

// Checks that every dimmer holds `round`, in the file and after a restart.
void expect_batch(const std::string& eventrunner, const fs::path& home, const fs::path& state,
                  int run_round, int batch_round, const char* when) {
  const Stored stored = read_file(state);
  if (stored.round != run_round) {
    fail(std::string(when) + ": $Round is " + std::to_string(stored.round) + ", expected " +
         std::to_string(run_round));
  }
  if (stored.devices.size() != kDevices) fail(std::string(when) + ": not every dimmer is stored");
  for (const auto& [device, round] : stored.devices) {
    if (round != batch_round) {
      fail(std::string(when) + ": dimmer " + device + " holds round " + std::to_string(round) +
           ", expected round " + std::to_string(batch_round) + " for all (a torn batch)");
    }
  }
  const std::string restarted = rounds_after_restart(eventrunner, home, state);
  if (restarted != expected_rounds(batch_round)) {
    fail(std::string(when) + ": a restarted engine reads " + restarted);
  }
}

// The test; main reports its failures.
int test_main(int argc, char** argv) {
  if (argc != 2) fail("usage: store_batch_test EVENTRUNNER");
  const std::string eventrunner = fs::absolute(argv[1]).string();
  const fs::path dir = make_temp_dir("er-batch");
  const fs::path home = dir / "home";
  const fs::path state = dir / "state.db";
  fs::create_directory(home);
  write_file(home / "home.lua", kHome);
  write_file(home / "10-dimmers.er", kRule);

  run_home(eventrunner, home, state, "");
  expect_batch(eventrunner, home, state, 1, 1, "after a clean run");
  int round = 1;
  for (const char* rows : {"1", "4", "7"}) {
    run_home(eventrunner, home, state, rows);
    ++round;
    // Before anything opens the file again: how much of the batch reached the log.
    std::printf("killed after row %s of round %d's batch: the -wal file holds %lld bytes\n", rows,
                round, size_of(fs::path(state.string() + "-wal")));
    expect_batch(eventrunner, home, state, round, 1, "after a kill mid-batch");
  }
  run_home(eventrunner, home, state, "commit");
  ++round;
  expect_batch(eventrunner, home, state, round, round, "after a kill past the commit");
  std::printf("killed after round %d's commit: all of the batch is stored\n", round);
  fs::remove_all(dir);
  std::printf("OK\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return er::test_support::main_reporting_failures(test_main, argc, argv);
}
