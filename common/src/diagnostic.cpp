#include "common/diagnostic.h"

#include <algorithm>

namespace common {

void DiagnosticList::error(Position at, std::string message) {
  add(Severity::Error, at, std::move(message));
}

void DiagnosticList::warning(Position at, std::string message) {
  add(Severity::Warning, at, std::move(message));
}

void DiagnosticList::clear() {
  items_.clear();
  error_count_ = 0;
  stored_errors_ = 0;
}

void DiagnosticList::add(Severity severity, Position at, std::string message) {
  const bool repeat = std::any_of(items_.begin(), items_.end(), [&](const Diagnostic& d) {
    return d.position == at && d.severity == severity;
  });
  if (repeat) return;
  if (severity == Severity::Error) {
    ++error_count_;
    if (stored_errors_ >= options_.max_errors) return;
    ++stored_errors_;
  }
  items_.push_back(Diagnostic{severity, at, std::move(message)});
}

std::string_view source_line(std::string_view source, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t current = 1; current < line; ++current) {
    const std::size_t newline = source.find('\n', start);
    if (newline == std::string_view::npos) return {};
    start = newline + 1;
  }
  std::size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  if (end > start && source[end - 1] == '\r') --end;
  return source.substr(start, end - start);
}

namespace {

// A UTF-8 continuation byte does not start a new column.
bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

}  // namespace

std::string caret_line(std::string_view line_text, std::uint32_t column) {
  std::string caret;
  std::uint32_t current = 1;
  for (const char c : line_text) {
    if (current >= column) break;
    if (is_continuation_byte(c)) continue;
    caret.push_back(c == '\t' ? '\t' : ' ');
    ++current;
  }
  // A column past the end of the line (for example "got <eof>") still gets its caret.
  for (; current < column; ++current) caret.push_back(' ');
  caret.push_back('^');
  return caret;
}

std::string format_diagnostic(std::string_view file, std::string_view source,
                              const Diagnostic& diagnostic) {
  const Position at = diagnostic.position;
  const std::string_view text = source_line(source, at.line);
  std::string out;
  out.append(file);
  out += ':' + std::to_string(at.line) + ':' + std::to_string(at.column) + ": ";
  out += diagnostic.severity == Severity::Error ? "error: " : "warning: ";
  out += diagnostic.message;
  out += '\n';
  out.append(text);
  out += '\n';
  out += caret_line(text, at.column);
  out += '\n';
  return out;
}

}  // namespace common
