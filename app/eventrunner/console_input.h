#pragma once
// The console's multi-line input: lines are gathered into a chunk until it is whole,
// decided locally with the EventScript compiler, so the engine only ever sees complete
// chunks. A chunk stays open (the console prompts "..") while
//
//   * a block, bracket or long string/comment is unfinished: the compiler's only
//     complaint is that the input ended ("Expected 'end' (to close 'if' at line 1),
//     got '<eof>'"), or a short string ends the line with a backslash (Lua's escaped
//     line break);
//   * the chunk ends in `=>` (a rule whose action is on the next lines);
//   * the chunk is a rule (it has `=>` outside brackets) and the next line is
//     indented: a rule continues on indented lines, as in a rules file. A blank line or
//     a line starting in column 1 ends it.
//
// Everything else is complete, including wrong chunks that more lines cannot fix (the
// engine reports their error). Two blank lines in a row end any chunk, so a typo never
// traps the user in "..".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace er::cli {

/// What a chunk of input still needs.
enum class ChunkState : unsigned char {
  complete,       ///< Evaluate it now.
  open,           ///< More lines are needed.
  complete_rule,  ///< A whole rule, which indented lines may still continue.
};

/// Classifies `chunk` (one or more lines, without a final line end) as above.
ChunkState classify_chunk(std::string_view chunk);

/// Gathers console lines into chunks.
class ChunkAssembler {
 public:
  /// Lines are waiting for more: the console prompts ".." instead of "> ".
  [[nodiscard]] bool pending() const { return !buffer_.empty(); }

  /// The pending rule, when `line` does not continue it (blank or starting in column
  /// 1). The console calls it first, so that the rule is evaluated before `line` is
  /// taken as a console command.
  std::optional<std::string> take_rule_before(std::string_view line);

  /// Feeds one line (without its line end); returns the chunks now complete, in order:
  /// a pending rule that `line` ends, then `line`'s own chunk when it is complete.
  std::vector<std::string> add_line(std::string_view line);

  /// At the end of input: the pending chunk, whole or not.
  std::optional<std::string> finish();

 private:
  std::string take();

  std::string buffer_;
  ChunkState state_ = ChunkState::complete;
  bool last_line_blank_ = false;
};

/// True for a line of only spaces and tabs.
bool is_blank(std::string_view line);

}  // namespace er::cli
