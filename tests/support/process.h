#pragma once
// Child processes for the tests that run real programs (eventrunner, mosquitto,
// fake-devices): start one with its output on a pipe or in a log file, read that output
// with a deadline, wait for the exit with a deadline, and make temporary folders and
// files. Failures throw Failure, so destructors (a broker's, a temporary folder's) run;
// a program-style test reports them with main_reporting_failures.
//
// Linux only (pidfd, prctl), which tests/ may use.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

extern char** environ;

namespace er::test_support {

namespace fs = std::filesystem;

/// How long any one step may take before the test gives up.
constexpr int kStepTimeoutMs = 30'000;

/// A test's failure: what went wrong, for the test's report.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail(const std::string& message) {
  throw Failure(message);
}

/// Runs `test` (a program-style test's real main): a Failure is printed as
/// "FAIL: <message>" and ends the program with exit code 1.
inline int main_reporting_failures(int (*test)(int, char**), int argc, char** argv) {
  try {
    return test(argc, argv);
  } catch (const Failure& failure) {
    std::fprintf(stderr, "FAIL: %s\n", failure.what());
    return 1;
  }
}

/// At most the last `limit` characters of `text` (the runs print long lines).
inline std::string tail(const std::string& text, std::size_t limit = 2000) {
  return text.size() <= limit ? text : "..." + text.substr(text.size() - limit);
}

struct Child {
  pid_t pid = -1;
  int output = -1;   ///< Read end of the child's stdout and stderr; -1 when they go to a file.
  int input = -1;    ///< Write end of the child's stdin when it is a pipe.
  std::string text;  ///< What was read so far.
  std::string name;  ///< The program's file name, for messages.
};

namespace detail {

/// `environ` with each "NAME=value" of `settings` added or replacing its name.
inline std::vector<std::string> environment_with(const std::vector<std::string>& settings) {
  std::vector<std::string> merged;
  for (char** entry = environ; *entry != nullptr; ++entry) merged.emplace_back(*entry);
  for (const std::string& setting : settings) {
    const std::string prefix = setting.substr(0, setting.find('=') + 1);
    std::erase_if(merged, [&](const std::string& old) { return old.rfind(prefix, 0) == 0; });
    merged.push_back(setting);
  }
  return merged;
}

/// Pointers into `strings` ending with a null pointer, as execve wants them.
inline std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) pointers.push_back(text.data());
  pointers.push_back(nullptr);
  return pointers;
}

/// Forks and executes argv with stdout and stderr on `output` and stdin on `input` (-1:
/// the test's own). Everything is prepared before the fork: the caller may have
/// threads, so the child may only make system calls. The pipes and files are
/// close-on-exec, so the child keeps only its three standard streams.
inline pid_t fork_exec(std::vector<std::string> argv, const std::vector<std::string>& env,
                       int output, int input) {
  std::vector<std::string> environment = environment_with(env);
  const std::vector<char*> args = pointers_to(argv);
  const std::vector<char*> envp = pointers_to(environment);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    // The child dies with the test, so a failed test leaves no process behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(output, STDOUT_FILENO);
    dup2(output, STDERR_FILENO);
    if (input >= 0) dup2(input, STDIN_FILENO);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace detail

/// Starts `argv` with stdout and stderr on a pipe and `env` ("NAME=value") added to
/// the environment. With `with_input`, its stdin is a pipe too (see write_input).
inline Child spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env = {},
                   bool with_input = false) {
  int output[2];
  int input[2] = {-1, -1};
  if (pipe2(output, O_CLOEXEC) != 0) fail("pipe failed");
  if (with_input && pipe2(input, O_CLOEXEC) != 0) fail("pipe failed");
  Child child;
  child.pid = detail::fork_exec(argv, env, output[1], input[0]);
  close(output[1]);
  if (with_input) close(input[0]);
  child.output = output[0];
  child.input = input[1];
  child.name = fs::path(argv[0]).filename().string();
  return child;
}

/// Starts `argv` with stdout and stderr appended to the file `log`.
inline Child spawn_logged(const std::vector<std::string>& argv, const fs::path& log,
                          const std::vector<std::string>& env = {}) {
  const int file = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (file < 0) fail("cannot open " + log.string());
  Child child;
  child.pid = detail::fork_exec(argv, env, file, -1);
  close(file);
  child.name = fs::path(argv[0]).filename().string();
  return child;
}

/// Writes `text` to the stdin of a child started with `with_input`.
inline void write_input(Child& child, const std::string& text) {
  // A child that ended must fail the test, not kill it with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t done = write(child.input, text.data() + written, text.size() - written);
    if (done <= 0) fail("cannot write to the input of " + child.name + ":\n" + tail(child.text));
    written += static_cast<std::size_t>(done);
  }
}

/// Closes the stdin of a child started with `with_input` (it reads the end of input).
inline void close_input(Child& child) {
  if (child.input >= 0) close(child.input);
  child.input = -1;
}

/// Reads what is available into child.text, waiting up to timeout_ms; false at the end
/// of the output.
inline bool read_some(Child& child, int timeout_ms) {
  pollfd waiting{child.output, POLLIN, 0};
  if (poll(&waiting, 1, timeout_ms) <= 0) {
    fail("no output from " + child.name + " within the time limit:\n" + tail(child.text));
  }
  char block[65536];
  const ssize_t got = read(child.output, block, sizeof block);
  if (got <= 0) return false;
  child.text.append(block, static_cast<std::size_t>(got));
  return true;
}

/// Milliseconds left until `deadline`, at least 0.
inline int ms_until(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

/// Reads until child.text contains `wanted` at or after `from`, failing after timeout_ms.
/// Returns where `wanted` starts.
inline std::size_t wait_for_output(Child& child, const std::string& wanted,
                                   int timeout_ms = kStepTimeoutMs, std::size_t from = 0) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const std::size_t found = child.text.find(wanted, from);
    if (found != std::string::npos) return found;
    const int left = ms_until(deadline);
    if (left == 0) fail(child.name + " did not print '" + wanted + "':\n" + tail(child.text));
    if (!read_some(child, left)) {
      fail(child.name + " ended before printing '" + wanted + "':\n" + tail(child.text));
    }
  }
}

/// Waits up to timeout_ms for the child to end; its wait status, or false when it still
/// runs at the deadline.
inline bool wait_exit(Child& child, int timeout_ms, int& status) {
  // A pidfd becomes readable when the process ends (glibc 2.36's pidfd_open wrapper is
  // not declared for C++, so the system call is made directly).
  const int exited = static_cast<int>(syscall(SYS_pidfd_open, child.pid, 0));
  if (exited < 0) fail("pidfd_open failed: " + std::string(std::strerror(errno)));
  pollfd waiting{exited, POLLIN, 0};
  const int ready = poll(&waiting, 1, timeout_ms);
  close(exited);
  if (ready <= 0) return false;
  waitpid(child.pid, &status, 0);
  child.pid = -1;
  return true;
}

/// Reads the rest of the output and waits for the exit; returns the wait status.
inline int finish(Child& child) {
  close_input(child);
  while (read_some(child, kStepTimeoutMs)) {
  }
  close(child.output);
  int status = 0;
  waitpid(child.pid, &status, 0);
  return status;
}

/// Runs `argv` to its end: the wait status and the output.
inline std::pair<int, std::string> run(const std::vector<std::string>& argv,
                                       const std::vector<std::string>& env = {}) {
  Child child = spawn(argv, env);
  const int status = finish(child);
  return {status, std::move(child.text)};
}

inline bool exited_with(int status, int code) {
  return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

inline bool killed_by_sigkill(int status) {
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

inline void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) fail("cannot write " + path.string());
}

/// The whole content of a file; empty when it cannot be read.
inline std::string file_text(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A fresh folder under the temporary directory.
inline fs::path make_temp_dir(const char* prefix) {
  std::string pattern = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) fail("mkdtemp failed");
  return pattern;
}

}  // namespace er::test_support
