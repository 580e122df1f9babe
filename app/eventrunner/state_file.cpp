#include "state_file.h"

#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <system_error>
#include <utility>
#include <vector>

#include "adapters/sqlite_state_store.h"

namespace er::cli {

namespace {

// The last component of `dir`, ignoring a trailing slash ("homes/flat/" -> "flat").
std::string folder_name(const std::string& dir) {
  std::error_code error;
  std::filesystem::path path = std::filesystem::absolute(dir, error).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();
  const std::string name = path.filename().string();
  return name.empty() ? "home" : name;
}

std::filesystem::path state_root() {
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg != nullptr && *xdg == '/') {
    return xdg;
  }
  const char* user_home = std::getenv("HOME");
  return std::filesystem::path(user_home != nullptr ? user_home : ".") / ".local" / "state";
}

// Creates `dir` and its missing parents with mode 0700 (mkdir's mode, so no moment
// exists when they are open to others). A failure shows up as the open error later.
void create_private_folders(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> missing;
  std::error_code error;
  for (std::filesystem::path at = dir; !at.empty() && !std::filesystem::exists(at, error);
       at = at.parent_path()) {
    missing.push_back(at);
    if (at == at.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) ::mkdir(it->c_str(), 0700);
}

// Test only: EVENTRUNNER_TEST_KILL_IN_BATCH=N makes the process kill itself with
// SIGKILL in the first device-state batch of at least N properties, after its Nth row
// is written and before the commit; "commit" kills it right after the first batch
// committed. tests/store uses it to check that a batch is atomic.
void install_test_kill(SqliteStoreOptions& options) {
  const char* setting = std::getenv("EVENTRUNNER_TEST_KILL_IN_BATCH");
  if (setting == nullptr || *setting == '\0') return;
  const std::string text = setting;
  const bool at_commit = text == "commit";
  const std::size_t rows = at_commit ? 0 : std::strtoul(setting, nullptr, 10);
  options.batch_probe = [at_commit, rows](std::size_t written, bool committed) {
    if (committed == at_commit && (at_commit || written == rows)) ::raise(SIGKILL);
  };
}

std::string in_use_hint(std::string_view command) {
  if (command == "eval") {
    return "; eval cannot use the state of a running engine (there is no control API yet)";
  }
  return "; stop it first, one engine per state file";
}

}  // namespace

std::string default_state_path(const std::string& home_dir) {
  return (state_root() / "eventrunner" / (folder_name(home_dir) + ".db")).string();
}

StateChoice open_state(const std::optional<std::string>& option, const std::string& home_dir,
                       bool use_default, std::string_view command, Streams& streams) {
  StateChoice choice;
  if (option && *option == "none") return choice;
  if (!option && !use_default) return choice;
  choice.path = option ? *option : default_state_path(home_dir);
  if (!option) create_private_folders(std::filesystem::path(choice.path).parent_path());
  StateLockResult locked = StateFileLock::acquire(choice.path, "eventrunner " + std::string(command));
  if (!locked.lock) {
    streams.err << "eventrunner: " << locked.error << (locked.in_use ? in_use_hint(command) : "")
                << '\n';
    choice.ok = false;
    return choice;
  }
  choice.lock = std::move(locked.lock);
  SqliteStoreOptions options;
  install_test_kill(options);
  SqliteOpenResult opened = SqliteStateStore::open(choice.path, options);
  if (!opened.store) {
    streams.err << "eventrunner: " << opened.error << '\n';
    choice.ok = false;
    return choice;
  }
  choice.store = std::move(opened.store);
  return choice;
}

}  // namespace er::cli
