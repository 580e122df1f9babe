#include "lang/diagnostics.h"

#include <algorithm>

namespace er::lang {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "...";

bool is_continuation_byte(unsigned char c) { return (c & 0xC0U) == 0x80U; }

// The length a UTF-8 lead byte announces, or 0 for a byte that cannot start a sequence.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80U) return 1;
  if (lead >= 0xC2U && lead <= 0xDFU) return 2;
  if (lead >= 0xE0U && lead <= 0xEFU) return 3;
  if (lead >= 0xF0U && lead <= 0xF4U) return 4;
  return 0;
}

// Code points a terminal must not receive from a diagnostic: C1 controls, the line and
// paragraph separators and the bidirectional overrides and isolates ("Trojan Source").
bool is_unsafe_code_point(std::uint32_t cp) {
  return (cp >= 0x80U && cp <= 0x9FU) || cp == 0x2028U || cp == 0x2029U ||
         (cp >= 0x202AU && cp <= 0x202EU) || (cp >= 0x2066U && cp <= 0x2069U);
}

// Whether one character (a lead byte and its continuation bytes, as the lexer counts
// a column) may be shown as it is.
bool is_safe_character(std::string_view ch) {
  const auto lead = static_cast<unsigned char>(ch[0]);
  if (ch.size() == 1) return lead == '\t' || (lead >= 0x20U && lead < 0x7FU);
  const std::size_t length = sequence_length(lead);
  if (length != ch.size()) return false;
  std::uint32_t cp = lead & (0x7FU >> length);
  for (std::size_t i = 1; i < length; ++i) cp = (cp << 6U) | (static_cast<unsigned char>(ch[i]) & 0x3FU);
  constexpr std::uint32_t kMinimum[] = {0, 0, 0x80U, 0x800U, 0x10000U};
  const bool overlong = cp < kMinimum[length];
  const bool surrogate = cp >= 0xD800U && cp <= 0xDFFFU;
  return !overlong && !surrogate && cp <= 0x10FFFFU && !is_unsafe_code_point(cp);
}

// Calls `each(character)` for every character of `text`: a byte and the continuation
// bytes after it (stray continuation bytes at the start join the first character).
template <typename Each>
void for_each_character(std::string_view text, Each&& each) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start + 1;
    while (end < text.size() && is_continuation_byte(static_cast<unsigned char>(text[end]))) ++end;
    if (!each(text.substr(start, end - start))) return;
    start = end;
  }
}

std::size_t count_characters(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 0 || !is_continuation_byte(static_cast<unsigned char>(text[i]))) ++count;
  }
  return count;
}

void append_safe(std::string& out, std::string_view ch) {
  if (is_safe_character(ch)) {
    out.append(ch);
  } else {
    out.append(kReplacement);
  }
}

// The columns [first, last] of a line of `length` columns that show `column`.
struct Window {
  std::size_t first = 1;
  std::size_t last = 0;
};

Window window_around(std::size_t column, std::size_t length) {
  if (length <= kMaxExcerptColumns) return Window{1, length};
  const std::size_t first = column > kMaxExcerptColumns / 2 ? column - kMaxExcerptColumns / 2 : 1;
  const std::size_t last = std::min(first + kMaxExcerptColumns - 1, length);
  return Window{last - kMaxExcerptColumns + 1, last};
}

}  // namespace

Excerpt make_excerpt(std::string_view line_text, std::uint32_t column) {
  const std::size_t target = std::max<std::uint32_t>(column, 1);
  const std::size_t length = count_characters(line_text);
  const Window window = window_around(target, length);
  Excerpt out;
  if (window.first > 1) {
    out.line.append(kEllipsis);
    out.caret.append(kEllipsis.size(), ' ');
  }
  std::size_t current = 1;
  for_each_character(line_text, [&](std::string_view ch) {
    if (current > window.last) return false;
    if (current >= window.first) {
      append_safe(out.line, ch);
      if (current < target) out.caret.push_back(ch == "\t" ? '\t' : ' ');
    }
    ++current;
    return true;
  });
  if (window.last < length) out.line.append(kEllipsis);
  // A column past the end of the line (for example "got <eof>") still gets its caret.
  for (; current < target; ++current) out.caret.push_back(' ');
  out.caret.push_back('^');
  return out;
}

std::string safe_text(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxMessageBytes));
  for_each_character(text, [&](std::string_view ch) {
    if (out.size() + ch.size() > kMaxMessageBytes) {
      out.append(kEllipsis);
      return false;
    }
    if (ch == "\t") {
      out.push_back(' ');  // A message is one line; a tab in it aligns nothing.
    } else {
      append_safe(out, ch);
    }
    return true;
  });
  return out;
}

std::string render_report(std::string_view file, std::string_view source, common::Position at,
                          std::string_view label, std::string_view message) {
  const Excerpt excerpt = make_excerpt(common::source_line(source, at.line), at.column);
  std::string out = safe_text(file);
  out += ':' + std::to_string(at.line) + ':' + std::to_string(at.column) + ": ";
  out += label;
  out += ": ";
  out += safe_text(message);
  out += '\n';
  out += excerpt.line;
  out += '\n';
  out += excerpt.caret;
  out += '\n';
  return out;
}

std::string render_diagnostic(std::string_view file, std::string_view source,
                              const common::Diagnostic& diagnostic) {
  const std::string_view label = diagnostic.severity == common::Severity::Error ? "error" : "warning";
  return render_report(file, source, diagnostic.position, label, diagnostic.message);
}

}  // namespace er::lang
