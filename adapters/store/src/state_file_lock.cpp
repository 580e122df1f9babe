// The state file lock: flock(2) on `<state>.lock`, which records "PID COMMAND".

#include "adapters/state_file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace er {

namespace {

// How often acquire() retries when the holder removed the lock file between our
// open() and flock(); each retry means another process just released the lock.
constexpr int kAttempts = 5;

std::string in_quotes(const std::string& path) { return "'" + path + "'"; }

// "cannot use state file 'x.db': cannot create lock file 'x.db.lock' (reason)".
std::string system_error(const std::string& state_path, const std::string& doing) {
  return "cannot use state file " + in_quotes(state_path) + ": cannot " + doing + " lock file " +
         in_quotes(StateFileLock::lock_path(state_path)) + " (" + std::strerror(errno) + ")";
}

// What the holder wrote: "PID COMMAND" -> "COMMAND (pid PID)", or "another process"
// while the holder has not written it yet.
std::string describe_holder(int fd) {
  char text[256];
  const ssize_t got = ::pread(fd, text, sizeof text - 1, 0);
  if (got <= 0) return "another process";
  std::string record(text, static_cast<std::size_t>(got));
  while (!record.empty() && (record.back() == '\n' || record.back() == ' ')) record.pop_back();
  const std::size_t space = record.find(' ');
  if (space == std::string::npos || space == 0) return "another process";
  return record.substr(space + 1) + " (pid " + record.substr(0, space) + ")";
}

// True when `fd` is still the file at `path` (the previous holder may have removed
// it after we opened it, and then our lock protects nothing).
bool still_linked(int fd, const std::string& path) {
  struct stat opened {};
  struct stat named {};
  return ::fstat(fd, &opened) == 0 && ::stat(path.c_str(), &named) == 0 &&
         opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

bool write_record(int fd, std::string_view holder) {
  const std::string record = std::to_string(::getpid()) + " " + std::string(holder) + "\n";
  return ::ftruncate(fd, 0) == 0 &&
         ::pwrite(fd, record.data(), record.size(), 0) == static_cast<ssize_t>(record.size());
}

}  // namespace

std::string StateFileLock::lock_path(const std::string& state_path) {
  return state_path + ".lock";
}

StateLockResult StateFileLock::acquire(const std::string& state_path, std::string_view holder) {
  const std::string path = lock_path(state_path);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return {nullptr, system_error(state_path, "create")};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const bool held = errno == EWOULDBLOCK;
      StateLockResult refused{nullptr, system_error(state_path, "lock")};
      if (held) {
        refused.error = "state file " + in_quotes(state_path) + " is in use by " + describe_holder(fd);
        refused.in_use = true;
      }
      ::close(fd);
      return refused;
    }
    if (!still_linked(fd, path)) {
      ::close(fd);
      continue;
    }
    if (!write_record(fd, holder)) {
      StateLockResult failed{nullptr, system_error(state_path, "write")};
      ::close(fd);
      return failed;
    }
    return {std::unique_ptr<StateFileLock>(new StateFileLock(fd, path)), {}};
  }
  return {nullptr, "cannot lock state file " + in_quotes(state_path) +
                       ": its lock file keeps changing; is another engine starting?"};
}

StateFileLock::~StateFileLock() {
  // Removed while still locked, so a process waiting on the old file sees it is gone.
  ::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace er
