// `why`, `trace` and `state` without a running engine (docs/traces.md): a home runs on
// the virtual clock with a state file, then the commands read that file, read-only,
// and answer from its traces and the notes the engine left (rules and what they listen
// to, device names and change times, when events were posted). The file is not
// changed by reading it.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_fixture.h"
#include "remote_commands.h"

namespace er::cli {
namespace {

using testing::Invocation;
using testing::invoke;

// The file's bytes (through a stringstream: GCC 12 warns about istreambuf_iterator).
std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class OfflineInspectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/er-offline-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::filesystem::create_directory(dir_ + "/home");
    std::ofstream(dir_ + "/home/home.lua")
        << "return {name = 'offline', location = {tz = 'UTC0'},\n"
           "  devices = {{id = 1, name = 'hall_motion', type = 'binarySensor', props = {value = false}},\n"
           "             {id = 2, name = 'hall_lamp', type = 'binarySwitch', props = {value = false}}},\n"
           "  simulation = {{at = '06:00:20', id = 1, prop = 'value', value = true},\n"
           "                {at = '06:00:40', id = 1, prop = 'value', value = false}}}\n";
    std::ofstream(dir_ + "/home/10-rules.er") << "::tick:: @@00:00:25 => $Ticks = ($Ticks ?? 0) + 1\n"
                                                 "::hall_night:: hall_motion:breached & 22:00..05:00 => hall_lamp:on\n"
                                                 "::door:: #door_open => hall_lamp:on\n"
                                                 "::bell:: #bell => hall_lamp:off\n"
                                                 "::ring:: @06:00:10 => post(#bell)\n"
                                                 "::boom:: @06:00:30 => log(nope)\n";
    const Invocation run = invoke(command_run, {dir_ + "/home", "--virtual", "--start", "2025-05-17 06:00:00",
                                                "--for", "1m", "--state", state()});
    ASSERT_EQ(run.status, 0) << run.err;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string state() const { return dir_ + "/state.db"; }

  std::string dir_;
};

// The suite is named <part>_<module> (docs/testing.md).
using eventrunner_cli_offline_inspect = OfflineInspectTest;

TEST_F(eventrunner_cli_offline_inspect, why_explains_from_the_state_file) {
  const Invocation night = invoke(command_why, {"hall_night", "--state", state()});
  ASSERT_EQ(night.status, 0) << night.err;
  EXPECT_EQ(night.out,
            "hall_night has not run since start-up (06:00:00): it was triggered twice; the condition was false "
            "because `22:00..05:00` was false at 06:00:20, and because `hall_motion:breached` was false at "
            "06:00:40.\n");

  const Invocation door = invoke(command_why, {"door", "--state", state()});
  EXPECT_EQ(door.out,
            "door has not been triggered since start-up (06:00:00): it listens to #door_open (never posted).\n");

  const Invocation boom = invoke(command_why, {"boom", "--state", state()});
  EXPECT_NE(boom.out.find("boom was disabled by an error at 06:00:30: "), std::string::npos) << boom.out;
  EXPECT_NE(boom.out.find("Undefined variable: 'nope'"), std::string::npos) << boom.out;

  const Invocation tick = invoke(command_why, {"tick", "--state", state()});
  EXPECT_EQ(tick.out, "tick last ran 06:00:50 (its interval). It has not been triggered since.\n");
}

TEST_F(eventrunner_cli_offline_inspect, why_names_when_an_event_was_last_posted) {
  // `bell` ran, so its answer is about its run; the listening sentence shows on a rule
  // that was never triggered, which the stored notes give for every event type.
  const Invocation bell = invoke(command_why, {"bell", "--state", state()});
  EXPECT_EQ(bell.out, "bell last ran 06:00:10 (#bell). It has not been triggered since.\n");
}

TEST_F(eventrunner_cli_offline_inspect, trace_prints_stored_records) {
  const Invocation ticks = invoke(command_trace, {"tick", "--state", state(), "--outcome", "ran", "--last", "2"});
  ASSERT_EQ(ticks.status, 0) << ticks.err;
  EXPECT_EQ(ticks.out, "06:00:25  tick  ran  its interval\n06:00:50  tick  ran  its interval\n");

  const Invocation falses = invoke(command_trace, {"hall_night", "--state", state(), "--outcome", "false"});
  EXPECT_EQ(falses.out,
            "06:00:20  hall_night  false  hall_motion.value false → true  `22:00..05:00` was false\n"
            "06:00:40  hall_night  false  hall_motion.value true → false  `hall_motion:breached` was false\n");
}

TEST_F(eventrunner_cli_offline_inspect, state_lists_devices_globals_and_rules) {
  const Invocation shown = invoke(command_state, {"--state", state()});
  ASSERT_EQ(shown.status, 0) << shown.err;
  EXPECT_NE(shown.out.find("  hall_motion          false        available  last change 06:00:40\n"),
            std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("  hall_lamp            false        available  last change 06:00:00\n"),
            std::string::npos)
      << shown.out;  // Never changed: from the engine's note.
  EXPECT_NE(shown.out.find("globals:\n  $Ticks = 3\n"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("  tick                 enabled  last run 06:00:50  next 06:01:15\n"), std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("  boom                 disabled last run -  next -  error: "), std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("  door                 enabled  last run -  next -\n"), std::string::npos) << shown.out;

  const Invocation json = invoke(command_state, {"--state", state(), "--json"});
  const nlohmann::json answer = nlohmann::json::parse(json.out);
  EXPECT_EQ(answer["rules"].size(), 6U) << json.out;
}

TEST_F(eventrunner_cli_offline_inspect, reading_leaves_the_file_unchanged) {
  const std::string before = file_bytes(state());
  ASSERT_FALSE(std::filesystem::exists(state() + "-wal"));  // The engine closed the file.
  EXPECT_EQ(invoke(command_why, {"tick", "--state", state()}).status, 0);
  EXPECT_EQ(invoke(command_trace, {"tick", "--state", state()}).status, 0);
  EXPECT_EQ(invoke(command_state, {"--state", state()}).status, 0);
  EXPECT_EQ(file_bytes(state()), before);
  EXPECT_FALSE(std::filesystem::exists(state() + "-wal"));
  EXPECT_FALSE(std::filesystem::exists(state() + "-shm"));
}

// --home HOME reads the home's real-time state file when its engine does not answer,
// also when the URL and token files of an engine that went away are still there.
TEST_F(eventrunner_cli_offline_inspect, home_reads_its_state_file_when_the_engine_is_gone) {
  const std::string xdg = dir_ + "/xdg";
  std::filesystem::create_directories(xdg + "/eventrunner");
  std::filesystem::copy_file(state(), xdg + "/eventrunner/home.db");
  std::ofstream(xdg + "/eventrunner/home.db.url") << "http://127.0.0.1:1\n";
  std::ofstream(xdg + "/eventrunner/home.db.token") << "stale\n";
  std::filesystem::permissions(xdg + "/eventrunner/home.db.token", std::filesystem::perms::owner_read |
                                                                       std::filesystem::perms::owner_write);
  const char* saved = std::getenv("XDG_STATE_HOME");
  const std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("XDG_STATE_HOME", xdg.c_str(), 1);
  const Invocation tick = invoke(command_why, {"tick", "--home", dir_ + "/home"});
  if (saved != nullptr) ::setenv("XDG_STATE_HOME", saved_value.c_str(), 1); else ::unsetenv("XDG_STATE_HOME");
  EXPECT_EQ(tick.status, 0) << tick.err;
  EXPECT_EQ(tick.out, "tick last ran 06:00:50 (its interval). It has not been triggered since.\n");
}

TEST_F(eventrunner_cli_offline_inspect, an_unknown_rule_or_file_is_an_error) {
  const Invocation unknown = invoke(command_why, {"nobody", "--state", state()});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("no rule 'nobody'"), std::string::npos) << unknown.err;
  const Invocation missing = invoke(command_why, {"tick", "--state", dir_ + "/none.db"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("no state file"), std::string::npos) << missing.err;
}

// The done-when of issue 12: after a simulated day of examples/home, `why` gives one
// paragraph for every rule, offline from the state file.
TEST(eventrunner_cli_offline_inspect_example, why_answers_every_rule_of_the_example_home) {
  char pattern[] = "/tmp/er-offline-day-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const std::string dir = pattern;
  const std::string state = dir + "/state.db";
  const Invocation run = invoke(command_run, {testing::source_dir() + "/examples/home", "--virtual", "--start",
                                              "2025-05-14 00:00:00", "--for", "1d", "--state", state});
  ASSERT_EQ(run.status, 0) << run.err;
  const Invocation listed = invoke(command_state, {"--state", state, "--json"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  const nlohmann::json rules = nlohmann::json::parse(listed.out)["rules"];
  ASSERT_EQ(rules.size(), 58U);
  for (const nlohmann::json& rule : rules) {
    const std::string name = rule["name"].get<std::string>();
    const Invocation why = invoke(command_why, {name, "--state", state});
    ASSERT_EQ(why.status, 0) << name << ": " << why.err;
    const std::string& text = why.out;
    ASSERT_FALSE(text.empty()) << name;
    EXPECT_EQ(text.find('\n'), text.size() - 1) << name << ": not one paragraph: " << text;
    EXPECT_EQ(text.rfind(name, 0), 0U) << name << ": does not start with the rule's name: " << text;
    EXPECT_EQ(text.find("nil"), std::string::npos) << name << ": " << text;
    EXPECT_EQ(text.find("unknown"), std::string::npos) << name << ": " << text;
    EXPECT_EQ(text.find("stack traceback"), std::string::npos) << name << ": " << text;
    EXPECT_EQ(text.find("#error"), std::string::npos) << name << ": " << text;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace er::cli
