// Traces across starts (docs/traces.md): two `eventrunner run`s on one state file; the
// second starts from the records the first stored (keyed by rule identity), adds its
// own, and stores them again. A rule disabled by an error keeps its error record.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/sqlite_state_store.h"
#include "cli_fixture.h"

namespace er::cli {
namespace {

using testing::Invocation;
using testing::invoke;

class TracePersistenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/er-traces-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::filesystem::create_directory(dir_ + "/home");
    std::ofstream(dir_ + "/home/home.lua") << "return {name = 'traces', devices = {}}\n";
    std::ofstream(dir_ + "/home/10-rules.er") << "::tick:: @@00:00:10 => log('tick')\n"
                                                 "::boom:: @06:00:30 => log(nope)\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // One minute of the home on the virtual clock, starting at `start`.
  Invocation run_home(const std::string& start) const {
    return invoke(command_run, {dir_ + "/home", "--virtual", "--start", start, "--for", "1m", "--state",
                                dir_ + "/state.db"});
  }

  // The stored records of `rule` with `outcome`, newest first.
  nlohmann::json stored(const std::string& rule, const std::string& outcome) const {
    SqliteOpenResult opened = SqliteStateStore::open(dir_ + "/state.db");
    EXPECT_NE(opened.store, nullptr) << opened.error;
    StoredState state;
    EXPECT_TRUE(opened.store->load(state));
    const auto lists = state.traces.find(rule);
    if (lists == state.traces.end()) return nlohmann::json::array();
    const auto list = lists->second.find(outcome);
    if (list == lists->second.end()) return nlohmann::json::array();
    return nlohmann::json::parse(list->second);
  }

  std::string dir_;
};

// The suite is named <part>_<module> (docs/testing.md).
using eventrunner_cli_trace_persistence = TracePersistenceTest;

TEST_F(eventrunner_cli_trace_persistence, records_of_the_first_start_are_kept_by_the_second) {
  Invocation first = run_home("2025-05-17 06:00:00");
  ASSERT_EQ(first.status, 0) << first.err;
  const nlohmann::json after_first = stored("tick", "ran");
  ASSERT_GE(after_first.size(), 5U) << after_first.dump();
  ASSERT_EQ(stored("boom", "error").size(), 1U);

  Invocation second = run_home("2025-05-18 06:00:00");
  ASSERT_EQ(second.status, 0) << second.err;
  const nlohmann::json after_second = stored("tick", "ran");
  EXPECT_EQ(after_second.size(), 2 * after_first.size()) << after_second.dump();
  // Newest first: the second start's records, then the first start's, one day earlier.
  EXPECT_GT(after_second.front()["at"].get<double>(), after_first.front()["at"].get<double>());
  EXPECT_EQ(after_second.back()["at"], after_first.back()["at"]);
  const nlohmann::json errors = stored("boom", "error");
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_NE(errors[0]["error"].get<std::string>().find("Undefined variable: 'nope'"), std::string::npos)
      << errors.dump();
}

}  // namespace
}  // namespace er::cli
