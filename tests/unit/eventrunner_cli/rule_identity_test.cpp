// Rule identity across starts (docs/eventscript.md#rule-names-and-identity): what is
// stored per rule (the enabled flag, the runtime error that disabled it) is keyed by
// the rule's name or by its file and normalized source, so inserting, removing and
// reordering rules between two `eventrunner run`s on one state file leaves every flag
// with its rule; a rule disabled by an error stays disabled, said once at the start,
// until its source changes.

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

class RuleIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/er-identity-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::filesystem::create_directory(dir_ + "/home");
    write("home.lua", "return {name = 'identity', devices = {}}\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ + "/home/" + name) << text;
  }
  void remove(const std::string& name) const { std::filesystem::remove(dir_ + "/home/" + name); }

  // One minute of the home on the virtual clock, on the test's state file.
  Invocation run_home() const {
    return invoke(command_run, {dir_ + "/home", "--virtual", "--start", "2025-05-17 06:00:00",
                                "--for", "1m", "--state", dir_ + "/state.db"});
  }

  std::string dir_;
};

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The suite is named <part>_<module> (docs/testing.md).
using eventrunner_cli_rule_identity = RuleIdentityTest;

const char* const kFirstRules =
    "#startup => log('A')\n"
    "#startup => log('B')\n"
    "::named:: #startup => log('named')\n"
    "::boom:: @06:00:30 => log(nope)\n"
    "#ping => log('C')\n";

// Disables B (RULE2 in the first start) and `named`; later starts go without it.
const char* const kDisableBAndNamed = "#startup => disable('RULE2'); disable('named')\n";

TEST_F(eventrunner_cli_rule_identity, flags_and_errors_stay_with_their_rules_when_rules_move) {
  write("10-lights.er", kFirstRules);
  write("20-setup.er", kDisableBAndNamed);
  Invocation first = run_home();
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_TRUE(has(first.err, "runtime error: Undefined variable: 'nope'")) << first.err;

  // Rules inserted, removed and reordered; B, `named` and `boom` unchanged.
  write("10-lights.er",
        "#ping => log('C')\n"
        "#startup => log('inserted')\n"
        "-- a comment does not change B\n"
        "#startup   =>   log('B')\n"
        "#startup => log('A')\n"
        "::boom:: @06:00:30 => log(nope)\n"
        "::named:: #startup => log('named')\n");
  remove("20-setup.er");
  Invocation second = run_home();
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_TRUE(has(second.out, "] A\n")) << second.out;
  EXPECT_TRUE(has(second.out, "] inserted\n")) << second.out;
  EXPECT_FALSE(has(second.out, "] B\n")) << second.out;
  EXPECT_FALSE(has(second.out, "] named\n")) << second.out;
  EXPECT_TRUE(
      has(second.out, "[boom] stays disabled by an earlier error: " + dir_ +
                          "/home/10-lights.er:4:27: runtime error: Undefined variable: 'nope'"))
      << second.out;
  EXPECT_FALSE(has(second.err, "[boom] disabled")) << second.err;
}

TEST_F(eventrunner_cli_rule_identity,
       a_rule_disabled_by_an_error_comes_back_when_its_source_changes) {
  write("10-lights.er", "::boom:: @06:00:30 => log(nope)\n");
  ASSERT_EQ(run_home().status, 0);
  Invocation same = run_home();
  EXPECT_TRUE(has(same.out, "[boom] stays disabled by an earlier error:")) << same.out;

  write("10-lights.er", "::boom:: @06:00:30 => log('fixed')\n");
  Invocation fixed = run_home();
  ASSERT_EQ(fixed.status, 0) << fixed.err;
  EXPECT_FALSE(has(fixed.out, "stays disabled")) << fixed.out;
  EXPECT_TRUE(has(fixed.out, "06:00:30  [boom] fixed\n")) << fixed.out;
  // And it stays enabled at the next start.
  Invocation again = run_home();
  EXPECT_TRUE(has(again.out, "06:00:30  [boom] fixed\n")) << again.out;
}

TEST_F(eventrunner_cli_rule_identity, an_unnamed_rule_disabled_by_an_error_is_known_by_its_source) {
  write("10-lights.er", "@06:00:30 => log(nope)\n");
  ASSERT_EQ(run_home().status, 0);
  write("10-lights.er", "#ping => log('first')\n@06:00:30 => log(nope)\n");
  Invocation second = run_home();
  EXPECT_TRUE(has(second.out, "[RULE2] stays disabled by an earlier error:")) << second.out;
  EXPECT_FALSE(has(second.err, "runtime error")) << second.err;
}

TEST_F(eventrunner_cli_rule_identity,
       a_name_used_in_two_files_of_a_home_is_an_error_at_the_second) {
  write("10-a.er", "::hall:: #a => log('a')\n");
  write("20-b.er", "#x => log('x')\n::hall:: #b => log('b')\n");
  Invocation result = run_home();
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_TRUE(has(result.err,
                  dir_ + "/home/20-b.er:2:3: error: rule name 'hall' is used twice in this home "
                         "(first at 10-a.er:1:3)\n::hall:: #b => log('b')\n  ^\n"))
      << result.err;
}

}  // namespace
}  // namespace er::cli
