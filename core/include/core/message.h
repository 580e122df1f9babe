#pragma once
// Messages that cross threads on the bus. Values are plain C++ (no Lua), so any
// thread or ISR can build one.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace luasys {

/// Non-owning text with static lifetime (a literal). Copying it never allocates,
/// which makes it the string type an ISR may post.
struct StaticText {
  const char* data = "";
  std::size_t size = 0;

  constexpr StaticText() = default;
  template <std::size_t N>
  constexpr StaticText(const char (&literal)[N]) : data(literal), size(N - 1) {}  // NOLINT
  constexpr StaticText(const char* text, std::size_t length) : data(text), size(length) {}
  [[nodiscard]] constexpr std::string_view view() const { return {data, size}; }
  friend bool operator==(StaticText a, StaticText b) { return a.view() == b.view(); }
};

/// nil, boolean, integer, number, owned string, static text.
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, StaticText>;

/// True if copying `value` can allocate (an owned string).
inline bool value_owns_memory(const Value& value) {
  return std::holds_alternative<std::string>(value);
}

/// A bus message: an id and up to four arguments. `argc` is the exact argument count
/// (trailing nils included).
struct Message {
  Value id;
  std::array<Value, 4> args;
  std::uint8_t argc = 0;
};

}  // namespace luasys
