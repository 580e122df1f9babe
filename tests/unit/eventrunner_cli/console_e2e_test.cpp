// console and ctl against a real `eventrunner run`, started as
//
//   eventrunner run HOME --http 127.0.0.1:0 --state FILE
//
// which serves the control API (docs/api.md) and writes FILE.url and FILE.token. The
// programs run as processes, so the console reads a real non-terminal standard input.
// Until the engine serves the API (the URL file never appears), every test here is
// skipped with the reason.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <thread>

#include "cli.h"
#include "cli_fixture.h"

namespace er::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kStartDeadline = 15s;

std::string program() { return std::string(ER_BINARY_DIR) + "/bin/eventrunner"; }

std::string read_file(const fs::path& path) {
  std::ifstream file(path);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Starts `args` with standard input from `input`, output and errors to files.
pid_t start(const std::vector<std::string>& args, const fs::path& input, const fs::path& out, const fs::path& err) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::unsetenv("EVENTRUNNER_TOKEN");
  const int in_fd = ::open(input.c_str(), O_RDONLY);
  const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(in_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

// True when some line of `text` starts with the first of `parts` and holds the others in
// order (a table row, whatever the column widths).
bool has_line_with(const std::string& text, std::initializer_list<std::string_view> parts) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::size_t at = 0;
    bool found = line.starts_with(*parts.begin());
    for (const std::string_view part : parts) {
      if (!found) break;
      at = line.find(part, at);
      found = at != std::string::npos;
    }
    if (found) return true;
  }
  return false;
}

int wait_status(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class eventrunner_cli_console_e2e : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("er_console_e2e_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    home_ = dir_ / "mini";
    fs::copy(testing::source_dir() + "/tests/rules/homes/mini", home_, fs::copy_options::recursive);
    state_ = (dir_ / "mini.db").string();
    std::ofstream(dir_ / "empty");
    // --no-watch: the reload tests reload by command, not by the folder watcher racing them.
    engine_ = start({program(), "run", home_.string(), "--http", "127.0.0.1:0", "--state", state_, "--no-watch"},
                    dir_ / "empty", dir_ / "engine.out", dir_ / "engine.err");
    if (!wait_for_url()) {
      FAIL() << "the engine does not serve the control API (no " << state_ << ".url within "
             << kStartDeadline.count() << " s; engine said: " << read_file(dir_ / "engine.err") << ")";
    }
  }

  void TearDown() override {
    if (engine_ > 0) {
      ::kill(engine_, SIGTERM);
      wait_status(engine_);
    }
    fs::remove_all(dir_);
  }

  // Waits for the URL file; false when it does not come or the engine ended first.
  bool wait_for_url() {
    const auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(state_ + ".url") && !read_file(state_ + ".url").empty()) return true;
      int status = 0;
      if (::waitpid(engine_, &status, WNOHANG) == engine_) {
        engine_ = -1;
        return false;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  // Runs `eventrunner <args>` with `input` on standard input.
  testing::Invocation run(const std::vector<std::string>& args, const std::string& input = {}) {
    std::vector<std::string> argv{program()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::ofstream(dir_ / "input") << input;
    const pid_t pid = start(argv, dir_ / "input", dir_ / "out", dir_ / "err");
    const int status = wait_status(pid);
    return {status, read_file(dir_ / "out"), read_file(dir_ / "err")};
  }

  testing::Invocation ctl(std::vector<std::string> args) {
    args.insert(args.begin(), {"ctl", "--state", state_});
    return run(args);
  }

  testing::Invocation console(const std::string& input) { return run({"console", "--state", state_}, input); }

  // Evaluates `source` until it prints `expected` (rules run on the engine's loop).
  bool eventually_prints(const std::string& source, const std::string& expected) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (ctl({"eval", source}).out == expected) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  fs::path dir_;
  fs::path home_;
  std::string state_;
  pid_t engine_ = -1;
};

TEST_F(eventrunner_cli_console_e2e, ctl_reads_the_running_home_and_exits_by_outcome) {
  auto result = ctl({"health"});
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_TRUE(result.out.starts_with("mini: version ")) << result.out;
  result = ctl({"devices"});
  EXPECT_TRUE(has_line_with(result.out, {"1 ", "lamp", "binarySwitch", "false", "yes"})) << result.out;
  EXPECT_EQ(ctl({"global", "Starts"}).out, "1\n");
  result = ctl({"rule", "no_such_rule"});
  EXPECT_EQ(result.status, kExitErrors);
  EXPECT_NE(result.err.find("(HTTP 404)"), std::string::npos) << result.err;
  EXPECT_EQ(ctl({"set", "motion"}).status, kExitUsage);
  EXPECT_EQ(ctl({"eval", "1 +"}).status, kExitErrors);
}

TEST_F(eventrunner_cli_console_e2e, an_injected_report_runs_the_rules) {
  EXPECT_EQ(ctl({"eval", "lamp:value"}).out, "false\n");
  EXPECT_EQ(ctl({"set", "motion", "value", "true"}).status, kExitOk);
  EXPECT_TRUE(eventually_prints("lamp:value", "true\n"));
  EXPECT_NE(ctl({"timeline"}).out.find("lamp"), std::string::npos);
}

TEST_F(eventrunner_cli_console_e2e, the_console_evaluates_piped_lines) {
  const auto result = console("lamp:value\nif true then\n  x = 2\nend\nx + 1\n.devices\n");
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_TRUE(result.out.starts_with("false\n3\nID")) << result.out;
}

TEST_F(eventrunner_cli_console_e2e, the_console_reloads_an_edited_home) {
  std::ofstream(home_ / "40-added.er") << "@23:59 => log(\"added\")\n";
  const auto result = console(".reload\n.rules\n");
  EXPECT_EQ(result.status, kExitOk) << result.err;
  EXPECT_NE(result.out.find("1 added"), std::string::npos) << result.out;
  EXPECT_EQ(ctl({"reload", "--dry-run"}).status, kExitOk);
  std::ofstream(home_ / "40-added.er") << "@23:59 => log(\n";
  const auto refused = ctl({"reload"});
  EXPECT_EQ(refused.status, kExitErrors);
  EXPECT_NE(refused.err.find("40-added.er"), std::string::npos) << refused.err;
}

TEST_F(eventrunner_cli_console_e2e, watch_shows_the_recent_timeline) {
  ctl({"set", "motion", "value", "true"});
  ASSERT_TRUE(eventually_prints("lamp:value", "true\n"));
  const auto result = console(".watch lamp\n");
  EXPECT_NE(result.out.find("lamp"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace er::cli
