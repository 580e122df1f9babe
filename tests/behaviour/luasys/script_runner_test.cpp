// Behaviour tests for the `luasys` command, written from ../shared/spec/luasys.md.
//
// Every *.lua file in this folder is one test. A script states what it expects in
// the spec's own convention (spec section 0), so the spec's examples can be pasted
// unchanged:
//
//   -- luasys --virtual-time --for 1s ex.lua   first line, optional: the command
//   --> x                                      exact standard output lines, in order
//   --! x                                      standard error lines that must appear,
//                                              in order (other lines may interleave)
//   -- exit status: N                          the expected status (default 0)
//
// and a few runner markers of our own:
//
//   --~ x                 a standard error line containing x must appear (in order
//                         with the `--!` lines): for text the spec frames loosely
//   -- stderr lacks: x    no standard error line may contain x
//   -- also-real-time     run again without --virtual-time; stdout must not change
//   -- env: NAME=VALUE    set an environment variable for the run
//   -- stdout: any        do not check standard output
//   -- stderr: any        do not check standard error
//   -- stderr: exact      standard error must be exactly the `--!` lines
//
// Without `--!` or `--~` lines and without `-- stderr: any`, standard error must be
// empty.
//
// The spec's messages name the script `ex.lua` (e.g. `ex.lua:3: ...`), so each script
// is copied to a fresh temporary folder as ex.lua and run from there.
//
// The examples in examples/*.lua are tested the same way against examples/<name>.expected
// (their full standard output; standard error must be empty).

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef LUASYS_BIN
#error "LUASYS_BIN must name the luasys binary"
#endif

extern char** environ;

namespace {

namespace fs = std::filesystem;

// The binary under test: LUASYS_BIN from the build, unless ER_LUASYS_BIN names another
// (handy for checking the scripts against an installed or reference luasys).
std::string luasys_binary() {
  const char* override_path = std::getenv("ER_LUASYS_BIN");
  // Absolute, because the child starts in a temporary folder.
  return fs::absolute(override_path != nullptr ? override_path : LUASYS_BIN).string();
}

// A hung or runaway luasys (an implementation bug) must fail its test, not stall the
// suite or exhaust memory.
constexpr auto kRunTimeout = std::chrono::seconds(30);
constexpr std::size_t kMaxOutput = 16 * 1024 * 1024;

// ---------------------------------------------------------------------------
// What a script expects
// ---------------------------------------------------------------------------

// Marks an expected stderr entry that only has to be contained in a line (`--~`).
const std::string kSubstring = "\x01contains:";

struct Expectations {
  std::vector<std::string> args{"--virtual-time", "ex.lua"};  // argv after "luasys"
  std::vector<std::string> out_lines;                         // `-->` lines
  std::vector<std::string> err_lines;                         // `--!`, `--~` lines
  std::vector<std::string> env;                               // `-- env:` entries
  std::vector<std::string> err_absent;                        // `-- stderr lacks:` texts
  int exit_status = 0;
  bool also_real_time = false;
  bool any_stdout = false;
  bool any_stderr = false;
  bool exact_stderr = false;
};

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The text after a marker, without the one space that conventionally follows it.
std::string after_marker(const std::string& line, std::size_t marker_size) {
  std::string rest = line.substr(marker_size);
  if (!rest.empty() && rest.front() == ' ') {
    rest.erase(0, 1);
  }
  return rest;
}

// Splits a command line the way a shell would for simple cases: blanks separate
// words, and single or double quotes group a word (so `-e "x = 1"` works).
std::vector<std::string> split_command(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : text) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) {
        words.push_back(word);
      }
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) {
    words.push_back(word);
  }
  return words;
}

// Reads one line of a script into `exp`; lines that are not markers are code.
void parse_line(const std::string& line, Expectations& exp) {
  if (starts_with(line, "-->")) {
    exp.out_lines.push_back(after_marker(line, 3));
  } else if (starts_with(line, "--~")) {
    exp.err_lines.push_back(kSubstring + after_marker(line, 3));
  } else if (starts_with(line, "--!")) {
    exp.err_lines.push_back(after_marker(line, 3));
  } else if (starts_with(line, "-- exit status:")) {
    exp.exit_status = std::atoi(line.c_str() + std::strlen("-- exit status:"));
  } else if (starts_with(line, "-- also-real-time")) {
    exp.also_real_time = true;
  } else if (starts_with(line, "-- env:")) {
    exp.env.push_back(after_marker(line, std::strlen("-- env:")));
  } else if (starts_with(line, "-- stdout: any")) {
    exp.any_stdout = true;
  } else if (starts_with(line, "-- stderr: any")) {
    exp.any_stderr = true;
  } else if (starts_with(line, "-- stderr: exact")) {
    exp.exact_stderr = true;
  } else if (starts_with(line, "-- stderr lacks:")) {
    exp.err_absent.push_back(after_marker(line, std::strlen("-- stderr lacks:")));
  }
}

Expectations parse_script(const std::string& text) {
  Expectations exp;
  std::vector<std::string> lines = split_lines(text);
  if (!lines.empty() && starts_with(lines.front(), "-- luasys")) {
    std::vector<std::string> words = split_command(lines.front().substr(3));
    exp.args.assign(words.begin() + 1, words.end());  // words[0] is "luasys"
  }
  for (const std::string& line : lines) {
    parse_line(line, exp);
  }
  return exp;
}

// ---------------------------------------------------------------------------
// Running luasys
// ---------------------------------------------------------------------------

struct RunResult {
  std::string out;
  std::string err;
  int status = -1;  // exit status, or 128 + signal like a shell
  bool timed_out = false;
};

// A temporary folder that removes itself, so failed runs leave nothing behind.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "luasys-script-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed: " + std::string(std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// The child's environment: ours without LUASYS_* (so the developer's settings cannot
// change a result), plus the script's `-- env:` entries.
std::vector<std::string> child_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!starts_with(*entry, "LUASYS_")) {
      env.emplace_back(*entry);
    }
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) {
    pointers.push_back(s.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Moves whatever is readable on `fd` into `sink`; false once the pipe is closed.
bool drain_pipe(int fd, std::string& sink) {
  char buffer[4096];
  ssize_t n = read(fd, buffer, sizeof buffer);
  if (n > 0) {
    sink.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

// Reads both pipes until the child closes them or the deadline passes.
bool collect_output(int out_fd, int err_fd, RunResult& result) {
  auto deadline = std::chrono::steady_clock::now() + kRunTimeout;
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return false;
    }
    int ready = poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      return false;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
          !drain_pipe(fds[i].fd, *sinks[i])) {
        fds[i].fd = -1;
        --open_count;
      }
    }
    if (result.out.size() + result.err.size() > kMaxOutput) {
      return false;
    }
  }
  return true;
}

int wait_status(pid_t pid) {
  int raw = 0;
  while (waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(raw)) {
    return WEXITSTATUS(raw);
  }
  return WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : -1;
}

// Starts `luasys args...` in `cwd` with stdin from /dev/null and stdout/stderr on the
// given descriptors; returns posix_spawn's error number (0 on success).
int spawn_luasys(const std::vector<std::string>& args, const fs::path& cwd,
                 const std::vector<std::string>& extra_env, int out_fd, int err_fd, pid_t& pid) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<std::string> argv_strings{luasys_binary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = child_environment(extra_env);
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env_strings);
  int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return error;
}

// Runs luasys to completion (or kills it at the time limit) and collects its output.
RunResult run_luasys(const std::vector<std::string>& args, const fs::path& cwd,
                     const std::vector<std::string>& extra_env) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  pid_t pid = 0;
  int spawn_error = spawn_luasys(args, cwd, extra_env, out_pipe[1], err_pipe[1], pid);
  close(out_pipe[1]);  // Only the child writes; our copies would hide its EOF.
  close(err_pipe[1]);
  RunResult result;
  if (spawn_error == 0) {
    result.timed_out = !collect_output(out_pipe[0], err_pipe[0], result);
    if (result.timed_out) {
      kill(pid, SIGKILL);
    }
    result.status = wait_status(pid);
  } else {
    result.err = "posix_spawn failed: " + std::string(std::strerror(spawn_error));
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  return result;
}

// ---------------------------------------------------------------------------
// Reporting differences
// ---------------------------------------------------------------------------

// A line diff from the longest common subsequence: " " kept, "-" expected only,
// "+" actual only. Outputs are short, so the quadratic table is fine.
std::string unified_diff(const std::vector<std::string>& expected,
                         const std::vector<std::string>& actual) {
  std::size_t n = expected.size();
  std::size_t m = actual.size();
  std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      lcs[i][j] =
          expected[i] == actual[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::ostringstream diff;
  diff << "--- expected stdout\n+++ actual stdout\n";
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] == actual[j]) {
      diff << "  " << expected[i++] << "\n";
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      diff << "- " << expected[i++] << "\n";  // Removals first, as diff -u shows them.
    } else {
      diff << "+ " << actual[j++] << "\n";
    }
  }
  return diff.str();
}

// Whether an actual stderr line satisfies an expected one: equal, or for `--~` lines
// (stored with the kSubstring prefix) containing the text.
bool stderr_line_matches(const std::string& expected, const std::string& actual) {
  if (starts_with(expected, kSubstring)) {
    return actual.find(expected.substr(kSubstring.size())) != std::string::npos;
  }
  return actual == expected;
}

// Checks that every expected stderr line appears, in order; returns the first missing
// one's description, or an empty string.
std::string missing_stderr_line(const std::vector<std::string>& expected,
                                const std::vector<std::string>& actual) {
  std::size_t next = 0;
  for (const std::string& line : actual) {
    if (next < expected.size() && stderr_line_matches(expected[next], line)) {
      ++next;
    }
  }
  if (next == expected.size()) {
    return {};
  }
  return "missing (in order) on stderr: \"" + expected[next] + "\"";
}

std::string with_stderr(const RunResult& run) {
  constexpr std::size_t kShownBytes = 16 * 1024;  // Keeps a runaway report readable.
  std::string shown = run.err.substr(0, kShownBytes);
  if (shown.size() < run.err.size()) {
    shown += "\n(cut)\n";
  }
  return "\n---- actual stderr ----\n" + shown + "---- end of stderr ----";
}

void check_status(const RunResult& run, int expected_status, const std::string& label) {
  EXPECT_FALSE(run.timed_out)
      << label << ": luasys did not finish within the time limit (or wrote over 16 MiB)"
      << with_stderr(run);
  EXPECT_EQ(run.status, expected_status) << label << ": exit status" << with_stderr(run);
}

void check_stdout(const RunResult& run, const std::vector<std::string>& expected,
                  const std::string& label) {
  std::vector<std::string> actual = split_lines(run.out);
  if (actual == expected) {
    return;
  }
  constexpr std::size_t kShownLines = 400;  // A runaway script's output stays readable.
  std::vector<std::string> shown(
      actual.begin(),
      actual.begin() + static_cast<std::ptrdiff_t>(std::min(actual.size(), kShownLines)));
  ADD_FAILURE() << label << ": stdout differs" << (shown.size() < actual.size() ? " (cut)" : "")
                << "\n"
                << unified_diff(expected, shown) << with_stderr(run);
}

void check_stderr_lacks(const RunResult& run, const Expectations& exp, const std::string& label) {
  for (const std::string& text : exp.err_absent) {
    EXPECT_EQ(run.err.find(text), std::string::npos)
        << label << ": stderr must not contain \"" << text << "\"" << with_stderr(run);
  }
}

void check_stderr(const RunResult& run, const Expectations& exp, const std::string& label) {
  check_stderr_lacks(run, exp, label);
  if (exp.any_stderr) {
    return;
  }
  if (exp.err_lines.empty()) {
    EXPECT_EQ(run.err, "") << label << ": stderr should be empty";
    return;
  }
  if (exp.exact_stderr) {
    EXPECT_TRUE(split_lines(run.err) == exp.err_lines)
        << label << ": stderr must be exactly the --! lines" << with_stderr(run);
    return;
  }
  std::string missing = missing_stderr_line(exp.err_lines, split_lines(run.err));
  EXPECT_EQ(missing, "") << label << with_stderr(run);
}

// ---------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------

fs::path source_dir() {
  return fs::path(ER_SOURCE_DIR);
}

std::vector<std::string> files_in(const fs::path& dir, const std::string& extension) {
  std::vector<std::string> names;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator(dir, ignored)) {
    if (entry.path().extension() == extension) {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// gtest names may hold only letters, digits and underscores.
std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !is_name_char(c); }, '_');
  return name;
}

void skip_unless_built() {
  if (!fs::exists(luasys_binary())) {
    GTEST_SKIP() << luasys_binary() << " is not built";
  }
}

// Runs a script from a temporary copy named `as_name`.
RunResult run_copy(const fs::path& script, const std::string& as_name,
                   const std::vector<std::string>& args, const std::vector<std::string>& env) {
  TempDir dir;
  fs::copy_file(script, dir.path() / as_name);
  return run_luasys(args, dir.path(), env);
}

std::vector<std::string> without_virtual_time(std::vector<std::string> args) {
  args.erase(std::remove(args.begin(), args.end(), "--virtual-time"), args.end());
  return args;
}

class ScriptTest : public testing::TestWithParam<std::string> {};

TEST_P(ScriptTest, MatchesItsExpectations) {
  skip_unless_built();
  fs::path script = source_dir() / "tests/behaviour/luasys" / (GetParam() + ".lua");
  Expectations exp = parse_script(read_file(script));
  RunResult run = run_copy(script, "ex.lua", exp.args, exp.env);
  check_status(run, exp.exit_status, "virtual time");
  if (!exp.any_stdout) {
    check_stdout(run, exp.out_lines, "virtual time");
  }
  check_stderr(run, exp, "virtual time");
  if (exp.also_real_time) {
    // Spec 11: output without times is the same with or without --virtual-time.
    RunResult real = run_copy(script, "ex.lua", without_virtual_time(exp.args), exp.env);
    check_status(real, exp.exit_status, "real time");
    check_stdout(real, exp.out_lines, "real time");
  }
}

INSTANTIATE_TEST_SUITE_P(luasys, ScriptTest,
                         testing::ValuesIn(files_in(source_dir() / "tests/behaviour/luasys",
                                                    ".lua")),
                         test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ScriptTest);

class ExampleTest : public testing::TestWithParam<std::string> {};

TEST_P(ExampleTest, PrintsItsExpectedOutput) {
  skip_unless_built();
  fs::path example = source_dir() / "examples" / (GetParam() + ".lua");
  std::string name = GetParam() + ".lua";
  RunResult run = run_copy(example, name, {"--virtual-time", name}, {});
  check_status(run, 0, name);
  check_stdout(run, split_lines(read_file(example.parent_path() / (GetParam() + ".expected"))),
               name);
  EXPECT_EQ(run.err, "") << name << ": stderr should be empty";
}

INSTANTIATE_TEST_SUITE_P(examples, ExampleTest,
                         testing::ValuesIn(files_in(source_dir() / "examples", ".expected")),
                         test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ExampleTest);

}  // namespace
