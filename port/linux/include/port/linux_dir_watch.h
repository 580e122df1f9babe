#pragma once
// Watches one folder for changed files with inotify, on a thread of its own. The
// callback runs on that thread with the name of each file written, created, moved in,
// moved out or deleted, so an editor that saves by writing a temporary file and
// renaming it over the original is seen as a change of the original. Callers filter
// the names they care about and debounce (an editor's save is several events).

#include <functional>
#include <memory>
#include <string>

namespace luasys {

class LinuxDirWatch {
 public:
  using Callback = std::function<void(const std::string& name)>;

  /// Starts watching `dir`. When that fails, ok() is false and error() says why.
  LinuxDirWatch(const std::string& dir, Callback on_change);
  /// Stops and joins the thread.
  ~LinuxDirWatch();
  LinuxDirWatch(const LinuxDirWatch&) = delete;
  LinuxDirWatch& operator=(const LinuxDirWatch&) = delete;

  [[nodiscard]] bool ok() const;
  [[nodiscard]] const std::string& error() const;

 private:
  struct State;  // Keeps <thread> and the descriptors out of this header.
  std::unique_ptr<State> state_;
};

}  // namespace luasys
