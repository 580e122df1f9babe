// The home's own objects across a restart (docs/homes.md): two `eventrunner run`s on
// one state file. The first activates a scene, arms a partition, breaches another
// and switches the home mode; the second starts from what the first stored and
// reports it, then deactivates the scene, which restores what it changed before the
// restart.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_fixture.h"

namespace er::cli {
namespace {

using testing::Invocation;
using testing::invoke;

constexpr const char* kHome = R"(return {
  name = "objects",
  devices = {
    {id = 10, name = "lamp", type = "binarySwitch", props = {value = false}},
    {id = 20, name = "door", type = "binarySensor", props = {value = false}},
  },
  alarm = {partitions = {{id = 1, name = "house", devices = {"door"}},
                         {id = 2, name = "shed", devices = {"door"}}}},
  profiles = {"Home", "Away", active = "Home"},
}
)";

constexpr const char* kFirstRules = R"(scene cozy = {lamp:on}
#startup => cozy:activate; house:armed = true; shed:arm; door:prop = {'value', true}; home:profile = 'Away'
)";

constexpr const char* kSecondRules = R"(scene cozy = {lamp:on}
#startup => log('restored: cozy=%s house=%s shed breached=%s mode=%s lamp=%s',
  cozy:isActive, house:armed, shed:isAlarmBreached, home:profile, lamp:value);
  cozy:deactivate; log('deactivated: lamp=%s', lamp:value)
)";

class HomeObjectsPersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/er-home-objects-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::filesystem::create_directory(dir_ + "/home");
    std::ofstream(dir_ + "/home/home.lua") << kHome;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // One minute of the home with `rules` on the virtual clock, on the shared state file.
  Invocation run_home(const std::string& rules, const std::string& start) const {
    std::ofstream(dir_ + "/home/10-rules.er") << rules;
    return invoke(command_run, {dir_ + "/home", "--virtual", "--start", start, "--for", "1m",
                                "--state", dir_ + "/state.db"});
  }

  std::string dir_;
};

// The suite is named <part>_<module> (docs/testing.md).
using eventrunner_cli_home_objects_persistence = HomeObjectsPersistenceTest;

TEST_F(eventrunner_cli_home_objects_persistence, scene_alarm_and_mode_survive_a_restart) {
  Invocation first = run_home(kFirstRules, "2025-05-17 06:00:00");
  ASSERT_EQ(first.status, 0) << first.err;

  Invocation second = run_home(kSecondRules, "2025-05-18 06:00:00");
  ASSERT_EQ(second.status, 0) << second.err;
  const std::string output = second.out + second.err;
  EXPECT_NE(output.find("restored: cozy=true house=true shed breached=true mode=Away lamp=true"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("deactivated: lamp=false"), std::string::npos) << output;
}

}  // namespace
}  // namespace er::cli
