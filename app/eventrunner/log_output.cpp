#include "log_output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace er::cli {

namespace {

// Opens `path` for appending, private to its owner whatever the umask (an existing
// file that others could read is made private too); -1 on failure.
int open_private(const std::string& path, bool truncate) {
  const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  const int fd = ::open(path.c_str(), flags, 0600);
  if (fd >= 0) ::fchmod(fd, 0600);
  return fd;
}

std::string rotated_name(const std::string& path, unsigned index) { return path + "." + std::to_string(index); }

}  // namespace

std::unique_ptr<RotatingLogFile> RotatingLogFile::open(const LogFileOptions& options, std::string& error) {
  const int fd = open_private(options.path, false);
  struct stat info {};
  if (fd < 0 || ::fstat(fd, &info) != 0) {
    error = "cannot open the log file '" + options.path + "': " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return nullptr;
  }
  return std::unique_ptr<RotatingLogFile>(new RotatingLogFile(options, fd, static_cast<std::size_t>(info.st_size)));
}

RotatingLogFile::RotatingLogFile(LogFileOptions options, int fd, std::size_t size)
    : options_(std::move(options)), fd_(fd), size_(size) {}

RotatingLogFile::~RotatingLogFile() {
  write_pending();
  if (fd_ >= 0) ::close(fd_);
}

std::streamsize RotatingLogFile::xsputn(const char* data, std::streamsize count) {
  pending_.append(data, static_cast<std::size_t>(count));
  return count;
}

RotatingLogFile::int_type RotatingLogFile::overflow(int_type c) {
  if (!traits_type::eq_int_type(c, traits_type::eof())) pending_.push_back(traits_type::to_char_type(c));
  return traits_type::not_eof(c);
}

int RotatingLogFile::sync() {
  write_pending();
  return 0;
}

// The lines since the last flush, as one write; a file that would grow past the limit
// is rotated first (unless it is empty: a single line longer than the limit still
// goes somewhere).
void RotatingLogFile::write_pending() {
  if (pending_.empty() || fd_ < 0) return;
  if (size_ > 0 && size_ + pending_.size() > options_.max_bytes) rotate();
  std::string_view rest = pending_;
  while (!rest.empty()) {
    const ssize_t written = ::write(fd_, rest.data(), rest.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) break;  // A full disk: the line is lost, the engine goes on.
    rest.remove_prefix(static_cast<std::size_t>(written));
    size_ += static_cast<std::size_t>(written);
  }
  pending_.clear();
}

// FILE.<keep-1> -> FILE.<keep>, ..., FILE -> FILE.1, then a new, empty FILE.
void RotatingLogFile::rotate() {
  ::close(fd_);
  if (options_.keep > 0) {
    for (unsigned i = options_.keep - 1; i >= 1; --i) {
      std::rename(rotated_name(options_.path, i).c_str(), rotated_name(options_.path, i + 1).c_str());
    }
    std::rename(options_.path.c_str(), rotated_name(options_.path, 1).c_str());
  }
  fd_ = open_private(options_.path, true);
  size_ = 0;
}

bool stderr_is_journal(const char* journal_stream) {
  if (journal_stream == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(journal_stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat info {};
  if (::fstat(STDERR_FILENO, &info) != 0) return false;
  return static_cast<unsigned long long>(info.st_dev) == device && static_cast<unsigned long long>(info.st_ino) == inode;
}

bool stdout_shows_colours(const char* no_color, const char* term) {
  if (no_color != nullptr && no_color[0] != '\0') return false;
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return ::isatty(STDOUT_FILENO) == 1;
}

}  // namespace er::cli
