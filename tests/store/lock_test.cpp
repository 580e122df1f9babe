// One engine per state file, with the real binary (docs/homes.md, "State"):
//
//   1. `eventrunner run HOME --state F` in real time holds F; a second run and an
//      `eval --state F` fail at once (exit 1) naming the running process and its pid.
//      F, its -wal, -shm and .lock files are 0600 even under umask 0.
//   2. After SIGTERM the run ends cleanly, removes F.lock, and F is usable again.
//   3. A run killed with SIGKILL leaves F.lock behind; the kernel dropped the lock, so
//      the next user takes it over.
//   4. Without --state a real-time run creates its default folders
//      ($XDG_STATE_HOME/eventrunner) with mode 0700, and a second run is refused.
//
// usage: store_lock_test EVENTRUNNER HOME   (HOME: a home folder named "mini")

#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "process.h"

namespace {

using namespace er::store_test;

// The line `run` prints once the home is loaded (after it took the lock).
constexpr const char* kStarted = "home 'mini': ";

int mode_of(const fs::path& path) {
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) fail(path.string() + " does not exist");
  return static_cast<int>(status.st_mode & 0777);
}

void expect_mode(const fs::path& path, int mode) {
  if (mode_of(path) != mode) {
    char text[96];
    std::snprintf(text, sizeof text, " has mode %o, expected %o", mode_of(path), mode);
    fail(path.string() + text);
  }
}

void expect_refused(const std::pair<int, std::string>& result, const std::string& message,
                    const char* what) {
  if (!exited_with(result.first, 1)) fail(std::string(what) + " was not refused:\n" + result.second);
  if (result.second.find(message) == std::string::npos) {
    fail(std::string(what) + ": expected '" + message + "' in:\n" + result.second);
  }
}

std::string in_use(const fs::path& state, pid_t pid) {
  return "eventrunner: state file '" + state.string() + "' is in use by eventrunner run (pid " +
         std::to_string(pid) + ")";
}

void stop(Child& child) {
  kill(child.pid, SIGTERM);
  if (!exited_with(finish(child), 0)) fail("the run did not end cleanly:\n" + tail(child.text));
}

void second_users_are_refused(const std::string& eventrunner, const fs::path& home,
                              const fs::path& state) {
  Child first = spawn({eventrunner, "run", home.string(), "--state", state.string()});
  wait_for_output(first, kStarted);
  expect_refused(run({eventrunner, "run", home.string(), "--state", state.string()}),
                 in_use(state, first.pid) + "; stop it first, one engine per state file\n",
                 "a second run");
  expect_refused(run({eventrunner, "eval", "--state", state.string(), "return $Starts"}),
                 in_use(state, first.pid) +
                     "; eval cannot use the state of a running engine (there is no control API yet)\n",
                 "an eval");
  for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
    expect_mode(fs::path(state.string() + suffix), 0600);
  }
  stop(first);
  if (fs::exists(state.string() + ".lock")) fail("a clean stop left the lock file");
  const auto [status, output] = run({eventrunner, "eval", "--state", state.string(), "return $Starts"});
  if (!exited_with(status, 0) || output != "1\n") fail("eval after the run:\n" + output);
}

void a_killed_holder_releases_the_lock(const std::string& eventrunner, const fs::path& home,
                                       const fs::path& state) {
  Child first = spawn({eventrunner, "run", home.string(), "--state", state.string()});
  wait_for_output(first, "] start 2\n");  // The home's #startup rule counts $Starts.
  kill(first.pid, SIGKILL);
  if (!killed_by_sigkill(finish(first))) fail("the run was not killed");
  if (!fs::exists(state.string() + ".lock")) fail("expected a stale lock file after SIGKILL");
  const auto [status, output] = run({eventrunner, "eval", "--state", state.string(), "return $Starts"});
  if (!exited_with(status, 0) || output != "2\n") fail("eval after SIGKILL:\n" + output);
}

void default_folders_are_private(const std::string& eventrunner, const fs::path& home,
                                 const fs::path& dir) {
  const fs::path xdg = dir / "xdg" / "state";  // Neither folder exists yet.
  const std::vector<std::string> env = {"XDG_STATE_HOME=" + xdg.string()};
  Child first = spawn({eventrunner, "run", home.string()}, env);
  wait_for_output(first, kStarted);
  const fs::path state = xdg / "eventrunner" / "mini.db";
  expect_refused(run({eventrunner, "run", home.string()}, env), in_use(state, first.pid),
                 "a second run on the default state file");
  for (const fs::path& folder : {dir / "xdg", xdg, xdg / "eventrunner"}) expect_mode(folder, 0700);
  expect_mode(state, 0600);
  stop(first);
}

// The test; main reports its failures.
int test_main(int argc, char** argv) {
  if (argc != 3) fail("usage: store_lock_test EVENTRUNNER HOME");
  const std::string eventrunner = fs::absolute(argv[1]).string();
  const fs::path home = argv[2];
  umask(0);  // The modes must not depend on the user's umask.
  const fs::path dir = make_temp_dir("er-lock");
  const fs::path state = dir / "state.db";
  second_users_are_refused(eventrunner, home, state);
  a_killed_holder_releases_the_lock(eventrunner, home, state);
  default_folders_are_private(eventrunner, home, dir);
  fs::remove_all(dir);
  std::printf("OK\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return er::test_support::main_reporting_failures(test_main, argc, argv);
}
