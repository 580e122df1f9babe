#include "state_file.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <system_error>
#include <utility>

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

}  // namespace

std::string default_state_path(const std::string& home_dir) {
  return (state_root() / "eventrunner" / (folder_name(home_dir) + ".db")).string();
}

StateChoice open_state(const std::optional<std::string>& option, const std::string& home_dir,
                       bool use_default, Streams& streams) {
  StateChoice choice;
  if (option && *option == "none") return choice;
  if (!option && !use_default) return choice;
  choice.path = option ? *option : default_state_path(home_dir);
  if (!option) {
    std::error_code error;  // A failure shows up as the open error below.
    std::filesystem::create_directories(std::filesystem::path(choice.path).parent_path(), error);
  }
  SqliteOpenResult opened = SqliteStateStore::open(choice.path);
  if (!opened.store) {
    streams.err << "eventrunner: " << opened.error << '\n';
    choice.ok = false;
    return choice;
  }
  choice.store = std::move(opened.store);
  return choice;
}

}  // namespace er::cli
