#include "line_reader.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <utility>

#include <editline/readline.h>

#include "state_file.h"

namespace er::cli {

namespace {

constexpr int kHistoryLines = 1000;

// True when fd 0 has input (or its end) within `limit`; false on timeout or a signal.
bool poll_stdin(std::chrono::milliseconds limit) {
  pollfd watched{STDIN_FILENO, POLLIN, 0};
  const int ready = ::poll(&watched, 1, static_cast<int>(limit.count()));
  return ready > 0;
}

// ---- Plain reads of standard input (a pipe or a file) ----------------------------------

class FdLineReader final : public LineReader {
 public:
  std::optional<std::string> read_line(std::string_view /*prompt*/) override {
    while (true) {
      if (const auto end = buffer_.find('\n'); end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        return line;
      }
      if (ended_) return take_last();
      fill();
    }
  }

  bool wait_for_input(std::chrono::milliseconds limit) override {
    if (ended_ || buffer_.find('\n') != std::string::npos) return true;
    return poll_stdin(limit);
  }

 private:
  void fill() {
    char block[4096];
    const ssize_t got = ::read(STDIN_FILENO, block, sizeof block);
    if (got > 0) {
      buffer_.append(block, static_cast<std::size_t>(got));
    } else if (got == 0 || errno != EINTR) {
      ended_ = true;
    }
  }

  std::optional<std::string> take_last() {
    if (buffer_.empty()) return std::nullopt;
    return std::exchange(buffer_, std::string());
  }

  std::string buffer_;
  bool ended_ = false;
};

// ---- Any std::istream (tests) -------------------------------------------------------------

class StreamLineReader final : public LineReader {
 public:
  explicit StreamLineReader(std::istream& in) : in_(in) {}

  std::optional<std::string> read_line(std::string_view /*prompt*/) override {
    std::string line;
    if (!std::getline(in_, line)) return std::nullopt;
    return line;
  }

  // A string stream never blocks: its next line, or its end, is always there.
  bool wait_for_input(std::chrono::milliseconds /*limit*/) override { return true; }

 private:
  std::istream& in_;
};

// ---- libedit on a terminal -------------------------------------------------------------

// libedit's readline interface calls plain functions without a user pointer, so the
// completer and its answer live here while an EditLineReader exists (one at a time).
Completer* g_completer = nullptr;
std::vector<std::string> g_matches;

char* next_match(const char* /*text*/, int state) {
  static std::size_t index = 0;
  if (state == 0) index = 0;
  if (index >= g_matches.size()) return nullptr;
  return ::strdup(g_matches[index++].c_str());
}

char** complete(const char* text, int start, int end) {
  rl_attempted_completion_over = 1;  // Never fall back to file names.
  if (g_completer == nullptr || rl_line_buffer == nullptr) return nullptr;
  const std::string_view line(rl_line_buffer);
  g_matches = (*g_completer)(line, static_cast<std::size_t>(start), static_cast<std::size_t>(end));
  if (g_matches.empty()) return nullptr;
  return rl_completion_matches(text, next_match);
}

// Creates the history file private before libedit writes it, so no moment exists
// in which it is readable by others (typed lines may hold secrets).
void create_private_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  ::chmod(path.c_str(), 0600);
}

class EditLineReader final : public LineReader {
 public:
  explicit EditLineReader(LineReaderOptions options) : options_(std::move(options)) {
    static char word_breaks[] = " \t\n\"'`@><=;|&{}()[],+-*/%^~!#:";
    rl_readline_name = "eventrunner";
    rl_completer_word_break_characters = word_breaks;
    rl_attempted_completion_function = complete;
    g_completer = options_.completer ? &options_.completer : nullptr;
    using_history();
    stifle_history(kHistoryLines);
    if (!options_.history_file.empty()) read_history(options_.history_file.c_str());
  }

  ~EditLineReader() override {
    g_completer = nullptr;
    if (options_.history_file.empty()) return;
    create_private_file(options_.history_file);
    write_history(options_.history_file.c_str());
  }

  std::optional<std::string> read_line(std::string_view prompt) override {
    char* raw = readline(std::string(prompt).c_str());
    if (raw == nullptr) return std::nullopt;
    std::string line(raw);
    std::free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos) add_history(line.c_str());
    return line;
  }

  bool wait_for_input(std::chrono::milliseconds limit) override {
    if (!poll_stdin(limit)) return false;
    ::tcflush(STDIN_FILENO, TCIFLUSH);  // The Enter that ended the watch is no command.
    return true;
  }

  [[nodiscard]] bool interactive() const override { return true; }

 private:
  LineReaderOptions options_;
};

volatile sig_atomic_t g_interrupted = 0;

void note_interrupt(int /*signal*/) { g_interrupted = 1; }

}  // namespace

std::unique_ptr<LineReader> make_line_reader(Streams& streams, LineReaderOptions options) {
  if (&streams.in != &std::cin) return std::make_unique<StreamLineReader>(streams.in);
  if (::isatty(STDIN_FILENO) == 1) return std::make_unique<EditLineReader>(std::move(options));
  return std::make_unique<FdLineReader>();
}

std::string default_history_path() {
  // default_state_path names a file in the state folder; the history lives beside it.
  const std::filesystem::path folder = std::filesystem::path(default_state_path("console")).parent_path();
  std::error_code error;
  if (!std::filesystem::exists(folder, error)) {
    std::filesystem::create_directories(folder, error);
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all, error);
  }
  return (folder / "console_history").string();
}

struct InterruptGuard::Saved {
  struct sigaction previous {};
};

InterruptGuard::InterruptGuard() : saved_(std::make_unique<Saved>()) {
  g_interrupted = 0;
  struct sigaction action {};
  action.sa_handler = note_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // No SA_RESTART: poll() returns at once with EINTR.
  ::sigaction(SIGINT, &action, &saved_->previous);
}

InterruptGuard::~InterruptGuard() { ::sigaction(SIGINT, &saved_->previous, nullptr); }

bool InterruptGuard::interrupted() const { return g_interrupted != 0; }

}  // namespace er::cli
