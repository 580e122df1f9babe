#pragma once
// Where the console's lines come from:
//
//   * a terminal: libedit, with line editing, history (kept in a private file) and Tab
//     completion, and the prompts "> " and ".. ";
//   * a pipe or file on standard input (scripts and tests drive the console so): plain
//     reads of file descriptor 0 and no prompts, so that the output is only results;
//   * any other std::istream (the unit tests): getline.
//
// `.watch` sleeps in wait_for_input(), so that a line typed (or the end of a pipe)
// ends it as Ctrl-C does.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli.h"

namespace er::cli {

/// Completes the word line[start, cursor): the console's complete_word over its names.
using Completer = std::function<std::vector<std::string>(std::string_view line, std::size_t start, std::size_t cursor)>;

class LineReader {
 public:
  virtual ~LineReader() = default;
  /// The next line without its line end, or nothing at the end of input. `prompt` is
  /// shown on a terminal only.
  virtual std::optional<std::string> read_line(std::string_view prompt) = 0;
  /// Waits up to `limit` for input; true when a line or the end of input is there. On a
  /// terminal the typed line is discarded (it only meant "stop"); elsewhere it stays to
  /// be read as the next command. False when the wait was interrupted by a signal.
  virtual bool wait_for_input(std::chrono::milliseconds limit) = 0;
  /// A terminal with a person at it (prompts, history, completion).
  [[nodiscard]] virtual bool interactive() const { return false; }
};

struct LineReaderOptions {
  std::string history_file;  ///< Where a terminal's history is kept; empty: none.
  Completer completer;
};

/// The reader for `streams.in`: libedit or plain reads when it is std::cin (by whether
/// standard input is a terminal), a getline reader for any other stream.
std::unique_ptr<LineReader> make_line_reader(Streams& streams, LineReaderOptions options);

/// The console's history file: $XDG_STATE_HOME/eventrunner/console_history (default
/// ~/.local/state/eventrunner/console_history), its folder created private (0700).
std::string default_history_path();

/// While alive, SIGINT sets a flag instead of ending the program, and interrupts
/// blocking waits (no SA_RESTART); the previous handler is restored at the end.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  [[nodiscard]] bool interrupted() const;

 private:
  struct Saved;
  std::unique_ptr<Saved> saved_;
};

}  // namespace er::cli
