#pragma once
// Helpers of the real-process store tests: start the eventrunner binary with its
// output on a pipe, read that output with a deadline, wait for the exit, and read
// values from a state file with SQLite as any other process would.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace er::store_test {

namespace fs = std::filesystem;

/// How long any one step may take before the test gives up.
constexpr int kStepTimeoutMs = 30'000;

[[noreturn]] inline void fail(const std::string& message) {
  std::fprintf(stderr, "FAIL: %s\n", message.c_str());
  std::exit(1);
}

/// At most the last `limit` characters of `text` (the runs print long lines).
inline std::string tail(const std::string& text, std::size_t limit = 2000) {
  return text.size() <= limit ? text : "..." + text.substr(text.size() - limit);
}

struct Child {
  pid_t pid = -1;
  int output = -1;  ///< Read end of the child's stdout and stderr.
  std::string text;  ///< What was read so far.
};

/// Starts `argv` with stdout and stderr on a pipe and `env` ("NAME=value") added to
/// the environment.
inline Child spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env = {}) {
  int ends[2];
  if (pipe(ends) != 0) fail("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    dup2(ends[1], STDOUT_FILENO);
    dup2(ends[1], STDERR_FILENO);
    close(ends[0]);
    close(ends[1]);
    for (const std::string& setting : env) putenv(const_cast<char*>(setting.c_str()));
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(ends[1]);
  Child child;
  child.pid = pid;
  child.output = ends[0];
  return child;
}

/// Reads what is available into child.text, waiting up to timeout_ms; false at the end
/// of the output.
inline bool read_some(Child& child, int timeout_ms) {
  pollfd waiting{child.output, POLLIN, 0};
  if (poll(&waiting, 1, timeout_ms) <= 0) {
    fail("no output from eventrunner within the time limit:\n" + tail(child.text));
  }
  char block[65536];
  const ssize_t got = read(child.output, block, sizeof block);
  if (got <= 0) return false;
  child.text.append(block, static_cast<std::size_t>(got));
  return true;
}

/// Reads until child.text contains `wanted`, failing after kStepTimeoutMs.
inline void wait_for_output(Child& child, const std::string& wanted) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kStepTimeoutMs);
  while (child.text.find(wanted) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) fail("eventrunner did not print '" + wanted + "':\n" + tail(child.text));
    if (!read_some(child, static_cast<int>(left.count()))) {
      fail("eventrunner ended before printing '" + wanted + "':\n" + tail(child.text));
    }
  }
}

/// Reads the rest of the output and waits for the exit; returns the wait status.
inline int finish(Child& child) {
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

/// A fresh folder under the temporary directory.
inline fs::path make_temp_dir(const char* prefix) {
  std::string pattern = (fs::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) fail("mkdtemp failed");
  return pattern;
}

/// Calls on_row(statement) for each row of `sql` on the state file, opened as any
/// other process would open it.
template <class OnRow>
void query_state(const fs::path& state, const char* sql, OnRow&& on_row) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(state.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    fail("cannot open " + state.string());
  }
  sqlite3_stmt* query = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &query, nullptr) != SQLITE_OK) {
    fail(std::string("cannot query ") + state.string() + ": " + sqlite3_errmsg(db));
  }
  while (sqlite3_step(query) == SQLITE_ROW) on_row(query);
  sqlite3_finalize(query);
  sqlite3_close(db);
}

/// Column `column` of a result row as text.
inline std::string column_text(sqlite3_stmt* row, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(row, column));
  return text != nullptr ? text : "";
}

}  // namespace er::store_test
