// Text helpers of the mapping (text.h).

#include "text.h"

namespace er::mqtt {

namespace {

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

char ascii_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

std::string clip(std::string_view text, std::size_t limit) {
  const bool cut = text.size() > limit;
  std::string out(cut ? text.substr(0, limit) : text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) c = '?';
  }
  if (cut) out += "...";
  return out;
}

std::string in_quotes(std::string_view text) {
  return "'" + clip(text) + "'";
}

std::string device_name_from(std::string_view label) {
  std::string name;
  bool pending_separator = false;
  for (const char c : label) {
    if (!is_ascii_alnum(c)) {
      pending_separator = !name.empty();  // Leading separators are dropped.
      continue;
    }
    if (pending_separator) name += '_';
    pending_separator = false;
    name += ascii_lower(c);
  }
  if (name.empty()) return "device";
  if (name.front() >= '0' && name.front() <= '9') name.insert(0, "z_");
  return name;
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string uppercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

std::string capitalize(std::string_view text) {
  std::string out = lowercase(text);
  if (!out.empty()) out.front() = ascii_upper(out.front());
  return out;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kBlanks = " \t\r\n";
  const std::size_t first = text.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) return {};
  const std::size_t last = text.find_last_not_of(kBlanks);
  return text.substr(first, last - first + 1);
}

}  // namespace er::mqtt
