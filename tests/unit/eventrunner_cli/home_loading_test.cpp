// Loading a home with mistakes in it: every mistake is reported with where it is,
// nothing is skipped in silence (rules files that are folders, FIFOs or links to
// devices, duplicate device names, impossible locations), device names of home.lua
// are variables in rules, and a home without rules keeps its simulation running.

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_fixture.h"

namespace er::cli {
namespace {

using testing::invoke;

// A home folder in a fresh temporary directory, removed at the end of the test.
class TempHome {
 public:
  TempHome() {
    char pattern[] = "/tmp/er-home-XXXXXX";
    dir_ = ::mkdtemp(pattern);
  }
  ~TempHome() { std::filesystem::remove_all(dir_); }
  TempHome(const TempHome&) = delete;
  TempHome& operator=(const TempHome&) = delete;

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ + "/" + name) << text;
  }
  [[nodiscard]] const std::string& dir() const { return dir_; }
  [[nodiscard]] std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

const char* const kTwoDevices =
    "return {devices = {\n"
    "  {id = 10, name = 'hall_light', type = 'binarySwitch', props = {value = false}},\n"
    "  {id = 11, name = 'hall_motion', type = 'binarySensor', props = {value = false}},\n"
    "}, simulation = {{at = '08:00', id = 11, prop = 'value', value = true}}}\n";

TEST(eventrunner_cli_home_loading, rules_files_that_are_not_files_are_reported) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  home.write("10-ok.er", "hall_motion:breached => hall_light:on\n");
  std::filesystem::create_directory(home.path("20-folder.er"));
  ASSERT_EQ(::mkfifo(home.path("30-pipe.er").c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/zero", home.path("40-zero.er"));
  const auto result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find(home.path("20-folder.er") + ": not a rules file (it is a folder)"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(home.path("30-pipe.er") + ": not a rules file (it is a FIFO)"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(home.path("40-zero.er") + ": not a rules file (it is a device)"), std::string::npos)
      << result.err;
}

TEST(eventrunner_cli_home_loading, duplicate_device_names_are_errors) {
  TempHome home;
  home.write("home.lua",
             "return {devices = {{id = 1, name = 'lamp', type = 'binarySwitch'},"
             " {id = 2, name = 'lamp', type = 'binarySwitch'}}}\n");
  const auto result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("devices[2]: defineDevice: the name 'lamp' is already used by device 1"),
            std::string::npos)
      << result.err;
}

TEST(eventrunner_cli_home_loading, impossible_locations_are_errors) {
  TempHome home;
  home.write("home.lua", "return {location = {latitude = 123, longitude = 13}, devices = {}}\n");
  auto result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("latitude must be between -90 and 90, got 123"), std::string::npos) << result.err;
  home.write("home.lua", "return {location = {latitude = 52, longitude = 200}, devices = {}}\n");
  result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_NE(result.err.find("longitude must be between -180 and 180, got 200"), std::string::npos) << result.err;
}

// The alarm and the home modes are checked after the devices they name; a mistake
// stops the load (a home whose alarm is wrong must not run) and names the field.
TEST(eventrunner_cli_home_loading, alarm_and_profile_mistakes_stop_the_load) {
  TempHome home;
  home.write("home.lua",
             "return {devices = {{id = 1, name = 'door', type = 'binarySensor'}},\n"
             "  alarm = {partitions = {{id = 5, name = 'house', devices = {'door', 'window'}}}}}\n");
  auto result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_NE(result.status, kExitOk);
  EXPECT_NE(result.err.find(home.path("home.lua") +
                            ": alarm.partitions[1].devices[2]: no such device \"window\""),
            std::string::npos)
      << result.err;
  home.write("home.lua", "return {devices = {}, profiles = {'Home', 'Away', active = 'Party'}}\n");
  result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_NE(result.status, kExitOk);
  EXPECT_NE(result.err.find(home.path("home.lua") + ": profiles.active: \"Party\" is not one of the modes"),
            std::string::npos)
      << result.err;
  home.write("home.lua", "return {devices = {}, alarm = 'on'}\n");
  result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_NE(result.err.find("alarm must be a table, got string"), std::string::npos) << result.err;
}

TEST(eventrunner_cli_home_loading, device_names_are_variables_in_rules) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  home.write("10-hall.er", "hall_motion:breached => hall_light:on\n");
  const auto result =
      invoke(command_run, {home.dir(), "--virtual", "--start", "2025-05-14 07:00", "--for", "2h"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_NE(result.out.find("2025-05-14 08:00:00  [RULE1] 10 hall_light: turnOn"), std::string::npos)
      << result.out;
}

TEST(eventrunner_cli_home_loading, a_rules_file_that_renames_a_device_is_warned_about) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  home.write("10-hall.er", "hall_light, hall_motion = 10, 12\n");
  const auto result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_EQ(result.out.find("hall_light' is set to"), std::string::npos) << "the same id is no mismatch";
  EXPECT_NE((result.out + result.err).find("'hall_motion' is set to 12, but the home names device 11 'hall_motion'"),
            std::string::npos)
      << result.out << result.err;
}

TEST(eventrunner_cli_home_loading, a_home_without_rules_keeps_its_simulation_running) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  const auto result =
      invoke(command_run, {home.dir(), "--virtual", "--start", "2025-05-14 07:00", "--for", "3d"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  for (const char* day : {"2025-05-14", "2025-05-15", "2025-05-16"}) {
    EXPECT_NE(result.out.find(std::string(day) + " 08:00:00  [simulation] 11 hall_motion: value = true"),
              std::string::npos)
        << day << "\n"
        << result.out;
  }
  EXPECT_NE(result.out.find("2025-05-17 07:00:00  summary"), std::string::npos) << result.out;
}

TEST(eventrunner_cli_home_loading, a_rule_that_exhausts_the_heap_is_named_and_the_home_runs_on) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  home.write("10-hog.er",
             "#hog => local s = 'x'; while true do s = s ++ s end\n"
             "@@00:01 => log('beat')\n"
             "post(#hog)\n");
  const auto result =
      invoke(command_run, {home.dir(), "--virtual", "--start", "2025-05-14 07:00", "--for", "3m", "--heap-limit", "32m"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_NE(result.err.find("[RULE1] " + home.path("10-hog.er") +
                            ":1:1: runtime error: not enough memory (the Lua heap limit of 32 MB is reached)"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("[RULE1] disabled"), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("2025-05-14 07:03:00  [RULE2] beat"), std::string::npos) << result.out;
}

TEST(eventrunner_cli_home_loading, check_loads_a_home_and_reports_what_run_would_find) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  home.write("10-hall.er", "hall_motion:breached => hall_lihgt:on; log(greeting)\n");
  home.write("20-later.er", "greeting = 'hello'\n");  // Assigned by a later file: known.
  home.write("30-lamp.er", "#go => hall_light:turnon\n");
  const auto result = invoke(command_check, {home.dir()});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.out.find(home.path("10-hall.er") +
                            ":1:25: warning: unknown name 'hall_lihgt': not a device, variable or function "
                            "(did you mean 'hall_light'?)"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("unknown name 'greeting'"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("does not support 'turnon' (did you mean 'turnOn'?)"), std::string::npos)
      << result.out;
}

// A porting hazard: continuation lines written in column 1 (as in an EventRunner7 rule
// string) are a script of their own, which runs when the file loads.
const char* const kCutRule =
    "hall_motion:breached =>\n"
    "log('switching');\n"
    "hall_light:on\n";

TEST(eventrunner_cli_home_loading, check_warns_of_a_rule_continued_in_column_one) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  home.write("10-hall.er", kCutRule);
  const auto result = invoke(command_check, {home.dir()});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.out.find(home.path("10-hall.er") +
                            ":2:1: warning: line 2 starts in column 1, so it is a script that runs once when the "
                            "file is loaded, not part of the rule 'hall_motion:breached =>' (line 1): indent the "
                            "lines that continue the rule\nlog('switching');\n^\n"),
            std::string::npos)
      << result.out;
}

TEST(eventrunner_cli_home_loading, run_warns_of_a_rule_continued_in_column_one_and_runs_it_as_written) {
  TempHome home;
  home.write("home.lua", kTwoDevices);
  home.write("10-hall.er", kCutRule);
  const auto result = invoke(command_run, {home.dir(), "--virtual", "--start", "2025-05-14 07:00", "--for", "2h"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_NE(result.out.find("10-hall.er:2:1: warning: line 2 starts in column 1"), std::string::npos) << result.out;
  // As written, the script switched the light at start-up, and the rule at 08:00 did nothing.
  EXPECT_NE(result.out.find("07:00:00  [eval] switching"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("07:00:00  [eval] 10 hall_light: turnOn"), std::string::npos) << result.out;
}

// Devices with an `mqtt` mapping are simulated without a broker, and available.
TEST(eventrunner_cli_home_loading, simulated_mqtt_devices_are_available_and_rules_on_availability_run) {
  TempHome home;
  home.write("home.lua",
             "return {devices = {\n"
             "  {id = 11, name = 'hall_motion', type = 'binarySensor', mqtt = {zigbee2mqtt = 'hall/motion'}},\n"
             "}, simulation = {{at = '08:00', id = 11, prop = 'available', value = false}}}\n");
  home.write("10-rules.er",
             "#start => log('available at start: %s', hall_motion:available)\n"
             "hall_motion:available == false => log('the hall motion sensor is offline')\n");
  EXPECT_EQ(invoke(command_check, {home.dir()}).status, kExitOk);
  home.write("20-start.er", "post(#start)\n");
  const auto result = invoke(command_run, {home.dir(), "--virtual", "--start", "2025-05-14 07:00", "--for", "2h"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_NE(result.out.find("07:00:00  [RULE1] available at start: true"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("08:00:00  [RULE2] the hall motion sensor is offline"), std::string::npos) << result.out;
}

TEST(eventrunner_cli_home_loading, check_passes_the_mqtt_example_home) {
  const auto result = invoke(command_check, {testing::source_dir() + "/examples/mqtt-home"});
  EXPECT_EQ(result.status, kExitOk) << result.out << result.err;
}

TEST(eventrunner_cli_home_loading, check_passes_a_clean_home) {
  const auto result = invoke(command_check, {testing::source_dir() + "/examples/home"});
  EXPECT_EQ(result.status, kExitOk) << result.out << result.err;
  EXPECT_NE(result.out.find("examples/home: 30 devices, 58 rules, no errors"), std::string::npos) << result.out;
}

TEST(eventrunner_cli_home_loading, a_home_file_that_never_ends_is_stopped) {
  TempHome home;
  home.write("home.lua", "while true do end\n");
  const auto result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("home.lua ran too long (more than 100000000 instructions)"), std::string::npos)
      << result.err;
}

TEST(eventrunner_cli_home_loading, a_home_file_that_exhausts_the_heap_is_stopped) {
  TempHome home;
  home.write("home.lua", "local s = 'x' while true do s = s .. s end\n");
  const auto result = invoke(command_run, {home.dir(), "--virtual", "--for", "1h", "--heap-limit", "16m"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("not enough memory"), std::string::npos) << result.err;
}

TEST(eventrunner_cli_home_loading, a_bad_heap_limit_is_a_usage_error) {
  const auto result = invoke(command_run, {"examples/home", "--virtual", "--heap-limit", "lots"});
  EXPECT_EQ(result.status, kExitUsage);
  EXPECT_NE(result.err.find("--heap-limit: invalid size 'lots'"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace er::cli
