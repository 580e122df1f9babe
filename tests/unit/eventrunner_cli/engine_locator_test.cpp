// Finding a running engine: the URL and token files beside the state file, the
// options that override them, and the refusal of token files others may read.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "engine_locator.h"
#include "state_file.h"

namespace er::cli {
namespace {

namespace fs = std::filesystem;

class eventrunner_cli_engine_locator : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("er_locator_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    state_ = (dir_ / "home.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& path, const std::string& text, mode_t mode = 0600) {
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
  }

  EngineOptions with_state() {
    EngineOptions options;
    options.state = state_;
    return options;
  }

  fs::path dir_;
  std::string state_;
};

TEST_F(eventrunner_cli_engine_locator, reads_the_url_and_token_beside_the_state_file) {
  write(state_ + ".url", "http://127.0.0.1:8321\n");
  write(state_ + ".token", "  secret-token\n");
  const EngineAddress address = locate_engine(with_state(), nullptr);
  ASSERT_TRUE(address.ok()) << address.error;
  EXPECT_EQ(address.url, "http://127.0.0.1:8321");
  EXPECT_EQ(address.token, "secret-token");
}

TEST_F(eventrunner_cli_engine_locator, a_missing_url_file_means_no_engine_runs) {
  const EngineAddress address = locate_engine(with_state(), nullptr);
  EXPECT_FALSE(address.ok());
  EXPECT_EQ(address.error, "no engine is running for state file " + state_ + ": " + state_ +
                               ".url not found; start it with `eventrunner run . --state " + state_ + "`");
}

TEST_F(eventrunner_cli_engine_locator, the_default_state_file_is_the_homes_real_time_one) {
  const char* saved = std::getenv("XDG_STATE_HOME");
  const std::string saved_value = saved != nullptr ? saved : "";
  ::setenv("XDG_STATE_HOME", dir_.c_str(), 1);
  EngineOptions options;
  options.home = "/somewhere/flat";
  const std::string state = default_state_path("/somewhere/flat");
  EXPECT_EQ(state, (dir_ / "eventrunner" / "flat.db").string());
  const EngineAddress missing = locate_engine(options, nullptr);
  EXPECT_EQ(missing.error, "no engine is running for HOME /somewhere/flat: " + state +
                               ".url not found; start it with `eventrunner run /somewhere/flat`");
  fs::create_directories(dir_ / "eventrunner");
  write(state + ".url", "http://127.0.0.1:9000");
  write(state + ".token", "t");
  const EngineAddress found = locate_engine(options, nullptr);
  if (saved != nullptr) ::setenv("XDG_STATE_HOME", saved_value.c_str(), 1); else ::unsetenv("XDG_STATE_HOME");
  EXPECT_EQ(found.url, "http://127.0.0.1:9000");
  EXPECT_EQ(found.token, "t");
}

TEST_F(eventrunner_cli_engine_locator, connect_token_file_and_the_environment_override_the_files) {
  write(state_ + ".url", "http://127.0.0.1:8321");
  write(state_ + ".token", "from-state");
  write((dir_ / "other").string(), "from-file");
  EngineOptions options = with_state();
  options.connect = "http://10.0.0.2:8000";
  EXPECT_EQ(locate_engine(options, nullptr).url, "http://10.0.0.2:8000");
  EXPECT_EQ(locate_engine(options, nullptr).token, "from-state");
  EXPECT_EQ(locate_engine(options, "from-env").token, "from-env");
  options.token_file = (dir_ / "other").string();
  EXPECT_EQ(locate_engine(options, "from-env").token, "from-file");
}

TEST_F(eventrunner_cli_engine_locator, a_missing_token_says_how_to_give_one) {
  EngineOptions options = with_state();
  options.connect = "http://127.0.0.1:1";
  EXPECT_EQ(locate_engine(options, nullptr).error,
            "no token: " + state_ + ".token not found; pass --token-file FILE or set EVENTRUNNER_TOKEN");
  EXPECT_TRUE(locate_engine(options, "x").ok());
  EXPECT_FALSE(locate_engine(options, "").ok());  // An empty variable is no token.
}

TEST_F(eventrunner_cli_engine_locator, token_files_that_others_may_read_are_refused) {
  write(state_ + ".url", "http://127.0.0.1:8321");
  write(state_ + ".token", "secret", 0644);
  EXPECT_EQ(locate_engine(with_state(), nullptr).error,
            "the token file " + state_ + ".token may be read by other users (mode 0644); make it private with "
            "`chmod 600 " + state_ + ".token`");
  ::chmod((state_ + ".token").c_str(), 0620);
  EXPECT_FALSE(locate_engine(with_state(), nullptr).ok());
  ::chmod((state_ + ".token").c_str(), 0400);
  EXPECT_TRUE(locate_engine(with_state(), nullptr).ok());
}

TEST_F(eventrunner_cli_engine_locator, empty_or_missing_token_files_are_reported) {
  write(state_ + ".url", "http://127.0.0.1:8321");
  write(state_ + ".token", "\n");
  EXPECT_EQ(locate_engine(with_state(), nullptr).error, "the token file " + state_ + ".token is empty or unreadable");
  EngineOptions options = with_state();
  options.token_file = (dir_ / "nothing").string();
  EXPECT_EQ(locate_engine(options, nullptr).error,
            "cannot read the token file " + (dir_ / "nothing").string() + ": No such file or directory");
}

TEST_F(eventrunner_cli_engine_locator, a_home_folder_holds_home_lua) {
  const char* source = std::getenv("ER_SOURCE_DIR");
  const std::string root = source != nullptr ? source : ER_SOURCE_DIR;
  EXPECT_TRUE(is_home_folder(root + "/tests/rules/homes/mini"));
  EXPECT_FALSE(is_home_folder(root + "/tests/rules/homes"));
  EXPECT_FALSE(is_home_folder(root + "/nothing"));
}

}  // namespace
}  // namespace er::cli
