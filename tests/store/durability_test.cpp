// Durability of `$name` writes (issue #4 item 4): "a write acknowledged to a rule is
// never lost". Starts the real `eventrunner run HOME --state FILE` with a rule that
// writes $Counter in a fast burst and logs every 1000th acknowledged value, kills it
// with SIGKILL in the middle of the burst, and checks that the state file holds at
// least the last value logged, both read directly with SQLite and as `$Counter` in a
// restarted engine (`eventrunner eval --state`). Three rounds, each continuing from the
// restored counter and killed after a different number of acknowledgements.
//
// usage: store_durability_test EVENTRUNNER

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr int kAckTimeoutMs = 30'000;

// The rule: continue from the restored counter, one durable write per iteration.
constexpr const char* kBurstRule =
    "#startup => local n = $Counter ?? 0\n"
    "  for i = n + 1, n + 10000000 do\n"
    "    $Counter = i\n"
    "    if i % 1000 == 0 then log(\"ack %d\", i) end\n"
    "    wait(0)\n"
    "  end\n";

constexpr const char* kHome =
    "return {name = \"durability\",\n"
    "  location = {latitude = 52.52, longitude = 13.405, tz = \"CET-1CEST,M3.5.0,M10.5.0/3\"},\n"
    "  devices = {}}\n";

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "FAIL: %s\n", message.c_str());
  std::exit(1);
}

struct Child {
  pid_t pid = -1;
  int output = -1;  // Read end of the child's stdout and stderr.
};

// Starts `argv` with stdout and stderr on a pipe.
Child spawn(const std::vector<std::string>& argv) {
  int ends[2];
  if (pipe(ends) != 0) fail("pipe failed");
  const pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    dup2(ends[1], STDOUT_FILENO);
    dup2(ends[1], STDERR_FILENO);
    close(ends[0]);
    close(ends[1]);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(ends[1]);
  return {pid, ends[0]};
}

// Reads what is available (waiting up to timeout_ms); false at end of output.
bool read_some(int fd, std::string& into, int timeout_ms) {
  pollfd waiting{fd, POLLIN, 0};
  if (poll(&waiting, 1, timeout_ms) <= 0)
    fail("no output from eventrunner within the time limit:\n" + into);
  char block[4096];
  const ssize_t got = read(fd, block, sizeof block);
  if (got <= 0) return false;
  into.append(block, static_cast<std::size_t>(got));
  return true;
}

// The highest "ack N" in the complete lines of `output`.
long long last_ack(const std::string& output) {
  long long last = 0;
  std::size_t start = 0;
  for (std::size_t end; (end = output.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string line = output.substr(start, end - start);
    const std::size_t at = line.find("] ack ");
    if (at != std::string::npos) last = std::max(last, std::atoll(line.c_str() + at + 6));
  }
  return last;
}

// Runs the home until `acks` acknowledgements were logged past `from`, then SIGKILLs it
// and returns the last value acknowledged before it died.
long long run_and_kill(const std::string& eventrunner, const fs::path& home, const fs::path& state,
                       long long from, int acks) {
  Child child = spawn({eventrunner, "run", home.string(), "--state", state.string()});
  std::string output;
  while (last_ack(output) < from + 1000LL * acks) {
    if (!read_some(child.output, output, kAckTimeoutMs))
      fail("eventrunner ended early:\n" + output);
  }
  kill(child.pid, SIGKILL);
  int status = 0;
  waitpid(child.pid, &status, 0);
  if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
    fail("eventrunner was not killed:\n" + output);
  while (read_some(child.output, output, kAckTimeoutMs)) {
  }  // Lines written before the kill landed are acknowledged too.
  close(child.output);
  return last_ack(output);
}

// $Counter's stored text, read with SQLite as any other process would.
long long counter_in_file(const fs::path& state) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(state.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    fail("cannot open " + state.string());
  }
  sqlite3_stmt* query = nullptr;
  long long value = -1;
  if (sqlite3_prepare_v2(db, "SELECT value FROM globals WHERE name = 'Counter'", -1, &query,
                         nullptr) == SQLITE_OK &&
      sqlite3_step(query) == SQLITE_ROW) {
    value = std::atoll(reinterpret_cast<const char*>(sqlite3_column_text(query, 0)));
  }
  sqlite3_finalize(query);
  sqlite3_close(db);
  return value;
}

// `$Counter` as a restarted engine sees it.
long long counter_after_restart(const std::string& eventrunner, const fs::path& state) {
  Child child = spawn({eventrunner, "eval", "--state", state.string(), "return $Counter"});
  std::string output;
  while (read_some(child.output, output, kAckTimeoutMs)) {
  }
  close(child.output);
  int status = 0;
  waitpid(child.pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail("eventrunner eval failed:\n" + output);
  return std::atoll(output.c_str());
}

void write_file(const fs::path& path, const char* text) {
  std::ofstream out(path);
  out << text;
  if (!out) fail("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) fail("usage: store_durability_test EVENTRUNNER");
  const std::string eventrunner = fs::absolute(argv[1]).string();
  std::string dir_pattern = (fs::temp_directory_path() / "er-durability-XXXXXX").string();
  if (mkdtemp(dir_pattern.data()) == nullptr) fail("mkdtemp failed");
  const fs::path dir = dir_pattern;
  const fs::path home = dir / "home";
  const fs::path state = dir / "state.db";
  fs::create_directory(home);
  write_file(home / "home.lua", kHome);
  write_file(home / "burst.er", kBurstRule);

  long long restored = 0;
  for (const int acks : {3, 7, 11}) {
    const long long acknowledged = run_and_kill(eventrunner, home, state, restored, acks);
    const long long in_file = counter_in_file(state);
    restored = counter_after_restart(eventrunner, state);
    std::printf("killed after ack %lld: file holds %lld, restarted engine reads %lld\n",
                acknowledged, in_file, restored);
    if (in_file < acknowledged) fail("the state file lost acknowledged writes");
    if (restored != in_file) fail("the restarted engine does not read the stored $Counter");
  }
  fs::remove_all(dir);
  std::printf("OK\n");
  return 0;
}
