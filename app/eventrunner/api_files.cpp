#include "api_files.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace er::cli {

namespace {

constexpr std::size_t kTokenBytes = 32;

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    text.push_back(kDigits[bytes[i] >> 4U]);
    text.push_back(kDigits[bytes[i] & 15U]);
  }
  return text;
}


bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// A token file must be a regular file only its owner can read: a token others can
// read is no secret.
std::optional<std::string> read_token(const std::string& path, const struct stat& info, std::string& error) {
  if (!S_ISREG(info.st_mode)) {
    error = "token file '" + path + "' is not a regular file";
    return std::nullopt;
  }
  if ((info.st_mode & 077U) != 0) {
    error = "token file '" + path + "' can be read by others; make it private (chmod 600)";
    return std::nullopt;
  }
  std::optional<std::string> token = read_first_line(path);
  if (!token || token->empty()) {
    error = "token file '" + path + "' is empty or unreadable";
    return std::nullopt;
  }
  return token;
}

}  // namespace

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const std::size_t last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string fresh_token() {
  std::array<unsigned char, kTokenBytes> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::abort();  // The kernel's generator never fails once booted.
    filled += static_cast<std::size_t>(n);
  }
  return hex(bytes.data(), bytes.size());
}

std::optional<std::string> load_or_create_token(const std::string& path, std::string& error) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) return read_token(path, info, error);
  if (errno != ENOENT) {
    error = "token file '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  std::string token = fresh_token();
  if (!write_private_file(path, token, error)) return std::nullopt;
  return token;
}

bool write_private_file(const std::string& path, const std::string& text, std::string& error) {
  const std::string temporary = path + ".tmp" + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  const bool written = write_all(fd, text + "\n") && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    ::unlink(temporary.c_str());
    return false;
  }
  return true;
}

std::optional<std::string> read_first_line(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::string line;
  std::getline(file, line);
  return trimmed(line);
}

}  // namespace er::cli
