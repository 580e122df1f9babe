#pragma once
// Diagnostics are collected, never thrown: every pass appends to a DiagnosticList
// and returns a result, so one mistake does not hide the next.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/location.h"

namespace common {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  Position position;
  std::string message;
};

/// Options for DiagnosticList. The cap keeps a pathological input from producing
/// millions of lines.
struct DiagnosticOptions {
  std::size_t max_errors = 20;  ///< Errors beyond this are counted but not stored.
};

/// An ordered, deduplicated, capped collection of diagnostics.
class DiagnosticList {
 public:
  explicit DiagnosticList(DiagnosticOptions options = {}) : options_(options) {}

  /// Adds an error; a repeat at the same position is dropped (its first message wins).
  void error(Position at, std::string message);
  void warning(Position at, std::string message);

  [[nodiscard]] bool has_errors() const { return error_count_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return error_count_; }
  /// True when errors were dropped because of the cap.
  [[nodiscard]] bool truncated() const { return error_count_ > stored_errors_; }
  [[nodiscard]] const std::vector<Diagnostic>& items() const { return items_; }
  [[nodiscard]] bool empty() const { return items_.empty(); }
  void clear();

 private:
  void add(Severity severity, Position at, std::string message);

  DiagnosticOptions options_;
  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;
  std::size_t stored_errors_ = 0;
};

/// Returns line `line` (1-based) of `source`, without its line end; empty past the end.
std::string_view source_line(std::string_view source, std::uint32_t line);

/// The caret line under `line_text` for `column`: each tab before the column is
/// copied as a tab, every other character becomes a space, then `^`.
std::string caret_line(std::string_view line_text, std::uint32_t column);

/// Formats one diagnostic in the project's shape:
///   <file>:<line>:<col>: error: <message>
///   <source line>
///   <caret line>
/// followed by a newline.
std::string format_diagnostic(std::string_view file, std::string_view source,
                              const Diagnostic& diagnostic);

}  // namespace common
