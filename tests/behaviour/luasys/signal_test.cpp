// SIGTERM and SIGINT stop the real luasys process within one second even while a task
// is busy in an endless loop (spec §11: status 143 / 130, hooks run).

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string luasys_binary() {
  const char* override_path = std::getenv("ER_LUASYS_BIN");
  return fs::absolute(override_path != nullptr ? override_path : LUASYS_BIN).string();
}

struct Child {
  pid_t pid = -1;
  int out = -1;  // Read end of the child's standard output.
};

// Starts `luasys <args> script` with standard output on a pipe.
Child spawn(const std::string& script, const char* option) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    const std::string bin = luasys_binary();
    execl(bin.c_str(), bin.c_str(), option, script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  return Child{pid, fds[0]};
}

// Reads the child's output until it contains `text` or `deadline` passes.
bool wait_for_output(int fd, const std::string& text, Clock::time_point deadline,
                     std::string& seen) {
  while (seen.find(text) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[256];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) return seen.find(text) != std::string::npos;
    seen.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

// Waits for the child to exit until `deadline`; returns its wait status, or -1.
int wait_exit(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    if (Clock::now() >= deadline) return -1;
    usleep(5000);
  }
}

class SignalTest : public ::testing::TestWithParam<int> {};

TEST_P(SignalTest, StopsABusyTaskWithinOneSecondAndRunsTheHooks) {
  const int signal_number = GetParam();
  const fs::path dir = fs::temp_directory_path() / ("luasys_signal_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path script = dir / "busy.lua";
  std::ofstream(script) << "sys.onShutdown(function() print('hook') end)\n"
                           "sys.taskInit(function()\n"
                           "  print('started') io.stdout:flush()\n"
                           "  while true do pcall(function() while true do end end) end\n"
                           "end)\n";
  // No slice limit: only the signal may end the loop.
  Child child = spawn(script.string(), "--slice-limit=0");
  ASSERT_GT(child.pid, 0);
  std::string output;
  ASSERT_TRUE(wait_for_output(child.out, "started\n", Clock::now() + std::chrono::seconds(10), output))
      << output;
  const auto sent = Clock::now();
  kill(child.pid, signal_number);
  const int status = wait_exit(child.pid, sent + std::chrono::seconds(1));
  if (status == -1) {
    kill(child.pid, SIGKILL);
    waitpid(child.pid, nullptr, 0);
  }
  ASSERT_NE(status, -1) << "luasys did not exit within 1 s of the signal";
  wait_for_output(child.out, "hook\n", Clock::now() + std::chrono::seconds(1), output);
  close(child.out);
  fs::remove_all(dir);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + signal_number);
  EXPECT_EQ(output, "started\nhook\n");
}

std::string signal_name(const ::testing::TestParamInfo<int>& param) {
  return param.param == SIGTERM ? "SIGTERM" : "SIGINT";
}

INSTANTIATE_TEST_SUITE_P(signals, SignalTest, ::testing::Values(SIGTERM, SIGINT), signal_name);

}  // namespace
