#pragma once
// er::StateFileLock: one engine per state file (docs/design.md, "One engine, one state,
// one writer"). The engine that uses a state file holds an exclusive lock on it for
// its whole life, and a second user is refused at once with a message naming the
// holder.
//
// The lock is flock(2) on a sidecar file `<state>.lock` (mode 0600) that records the
// holder's pid and command, not a lock on the database itself: SQLite uses POSIX
// record locks on the database, which a second open() in the same process would
// silently release. The kernel drops the lock when the holder dies, even by SIGKILL;
// the stale file left behind is simply taken over. A clean release removes the file.

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace er {

class StateFileLock;

/// What StateFileLock::acquire gives: the lock, or why there is none.
struct StateLockResult {
  std::unique_ptr<StateFileLock> lock;  ///< nullptr when refused
  /// The reason, e.g. "state file 'home.db' is in use by eventrunner run (pid 1234)".
  std::string error;
  bool in_use = false;  ///< True when another process holds the lock (not an I/O error).
};

class StateFileLock {
 public:
  /// The lock file of a state file: `state_path` + ".lock".
  static std::string lock_path(const std::string& state_path);

  /// Takes the lock on `state_path` without waiting; `holder` is what the lock file
  /// records for others to read (e.g. "eventrunner run").
  static StateLockResult acquire(const std::string& state_path, std::string_view holder);

  /// Removes the lock file and releases the lock.
  ~StateFileLock();
  StateFileLock(const StateFileLock&) = delete;
  StateFileLock& operator=(const StateFileLock&) = delete;

 private:
  StateFileLock(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  int fd_;
  std::string path_;  // The lock file.
};

}  // namespace er
