#pragma once
// Walks a subcommand's arguments: flags ("--virtual"), options with a value
// ("--for 1d" or "--for=1d") and operands; "--" ends the options (eval -- -1). Usage
// errors are reported on the error stream once, as "eventrunner: <message>".

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cli.h"

namespace er::cli {

class ArgReader {
 public:
  ArgReader(std::span<const std::string_view> args, Streams& streams)
      : args_(args), streams_(streams) {}

  /// Moves to the next argument; false at the end or after a usage error.
  bool next();
  /// The current argument is an option (starts with '-', is not "-" and comes before "--").
  [[nodiscard]] bool is_option() const;
  /// The current option's name ("--for" of "--for=1d").
  [[nodiscard]] std::string_view name() const;
  /// The current argument as an operand.
  [[nodiscard]] std::string_view operand() const { return current_; }
  /// The current option's value (after '=' or the next argument); reports a missing one.
  std::optional<std::string> value();
  /// Reports `message` as a usage error and stops the walk.
  void fail(const std::string& message);
  /// Reports the current option as unknown.
  void unknown() { fail("unknown option '" + std::string(current_) + "'"); }
  /// Whether a usage error was reported.
  [[nodiscard]] bool failed() const { return failed_; }

 private:
  std::span<const std::string_view> args_;
  Streams& streams_;
  std::size_t index_ = 0;
  std::string_view current_;
  bool failed_ = false;
  bool options_ended_ = false;
};

}  // namespace er::cli
