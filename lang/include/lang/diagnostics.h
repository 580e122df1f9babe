#pragma once
// Formatting diagnostics for people: the spec's three-line block (position and message,
// the source line, a caret under the column), made safe for any input. A source is
// untrusted text, so the block never echoes it raw:
//   - control characters (C0 except tab, DEL, C1), bidirectional-override characters
//     and bytes that are not valid UTF-8 are each shown as U+FFFD, one column, like
//     the character they replace, so the caret stays aligned;
//   - a line longer than kMaxExcerptColumns is shown as a window of that many columns
//     around the error column, with "..." where text was left out.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/diagnostic.h"

namespace er::lang {

/// The widest source excerpt a diagnostic shows, in columns (characters).
inline constexpr std::size_t kMaxExcerptColumns = 120;
/// The longest message a diagnostic shows, in bytes; the rest becomes "...".
inline constexpr std::size_t kMaxMessageBytes = 400;

/// The source line and caret line of a diagnostic block, without line ends.
struct Excerpt {
  std::string line;
  std::string caret;
};

/// The safe excerpt of `line_text` (one source line) for `column` (1-based characters).
Excerpt make_excerpt(std::string_view line_text, std::uint32_t column);

/// `text` with every unsafe character (see above) replaced by U+FFFD and cut to
/// kMaxMessageBytes; used for messages, which quote source text.
std::string safe_text(std::string_view text);

/// One diagnostic in the spec shape (common::format_diagnostic, made safe):
///   <file>:<line>:<col>: error: <message>
///   <source line>
///   <caret line>
/// followed by a newline.
std::string render_diagnostic(std::string_view file, std::string_view source,
                              const common::Diagnostic& diagnostic);

/// The same shape with any label ("runtime error" for the engine's error reports).
std::string render_report(std::string_view file, std::string_view source, common::Position at,
                          std::string_view label, std::string_view message);

}  // namespace er::lang
