#pragma once
// A value-or-error result for the calendar's parsers. The library runs on ESP32 builds
// that may disable exceptions, so a bad TZ rule or calendar spec is reported as a value
// whose message can be shown to the user unchanged.

#include <string>
#include <utility>
#include <variant>

namespace er::calendar {

/// The error half of a Result: a complete, user-facing message.
struct Error {
  std::string message;
};

/// Either a T or an Error. Check ok() before value(); value() on an error is a bug.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design.
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design.

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  [[nodiscard]] const T& value() const& { return std::get<T>(state_); }
  [[nodiscard]] T& value() & { return std::get<T>(state_); }
  [[nodiscard]] T&& value() && { return std::get<T>(std::move(state_)); }

  /// The message of an error result; empty for a success.
  [[nodiscard]] const std::string& error() const {
    static const std::string kNoError;
    const Error* error = std::get_if<Error>(&state_);
    return error != nullptr ? error->message : kNoError;
  }

 private:
  std::variant<T, Error> state_;
};

}  // namespace er::calendar
