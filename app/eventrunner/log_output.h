#pragma once
// Where `eventrunner run` writes its log (docs/operations.md#logging):
//
//   --log-file FILE    a private file (0600) rotated by size: when a line would take it
//                      past --log-size, FILE.1 .. FILE.<keep> move up one (the oldest is
//                      dropped), FILE becomes FILE.1, and a new FILE starts
//   (under systemd)    standard error is the journal when JOURNAL_STREAM names its
//                      device and inode; lines then go without time stamps (the journal
//                      adds its own) and with a syslog priority prefix
//
// RotatingLogFile is an std::streambuf, so the command hands the engine's session an
// ordinary std::ostream; a flush is a line boundary (er.cli flushes after each line),
// so a rotation never splits a line.

#include <cstddef>
#include <memory>
#include <streambuf>
#include <string>

namespace er::cli {

struct LogFileOptions {
  std::string path;
  std::size_t max_bytes = std::size_t{10} * 1024 * 1024;  ///< --log-size (10m).
  unsigned keep = 3;                                      ///< Rotated files kept: FILE.1 .. FILE.3.
};

class RotatingLogFile final : public std::streambuf {
 public:
  /// Opens (appends to) options.path, made private; nullptr with `error` set on failure.
  static std::unique_ptr<RotatingLogFile> open(const LogFileOptions& options, std::string& error);
  ~RotatingLogFile() override;
  RotatingLogFile(const RotatingLogFile&) = delete;
  RotatingLogFile& operator=(const RotatingLogFile&) = delete;

  /// Bytes in the current file.
  [[nodiscard]] std::size_t size() const { return size_; }

 protected:
  std::streamsize xsputn(const char* data, std::streamsize count) override;
  int_type overflow(int_type c) override;
  int sync() override;

 private:
  RotatingLogFile(LogFileOptions options, int fd, std::size_t size);
  void write_pending();
  void rotate();

  LogFileOptions options_;
  int fd_ = -1;
  std::size_t size_ = 0;
  std::string pending_;  // What was written since the last flush: whole lines.
};

/// True when standard error is the systemd journal: JOURNAL_STREAM ("DEV:INODE") is set
/// and matches standard error's device and inode, as systemd.exec(5) says to check.
bool stderr_is_journal(const char* journal_stream);

/// True when the timeline may use colours: standard output is a terminal, and neither
/// NO_COLOR (https://no-color.org) is set nor TERM is "dumb".
bool stdout_shows_colours(const char* no_color, const char* term);

}  // namespace er::cli
