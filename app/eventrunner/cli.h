#pragma once
// The eventrunner command line: one function per subcommand, found by name in the
// command table (commands.cpp). A subcommand gets its own arguments (without the
// program and subcommand names) and the streams to use, and returns the exit code.

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace er::cli {

/// Where a subcommand reads and writes; tests pass string streams.
struct Streams {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

using CommandFunction = int (*)(std::span<const std::string_view> args, Streams& streams);

struct Command {
  std::string_view name;
  std::string_view usage;    ///< Arguments, e.g. "FILE...".
  std::string_view summary;  ///< One line for the help text.
  CommandFunction run;
  std::string_view options;  ///< `eventrunner NAME --help`: one "  --x  meaning" line each.
};

/// Every subcommand, in help order.
std::span<const Command> commands();

/// The whole command line after the program name: `--help`, `--version`,
/// `COMMAND --help` (usage and options of that command, exit 0) or a subcommand.
int dispatch(std::span<const std::string_view> args, Streams& streams);

/// The project version (CMake's PROJECT_VERSION), e.g. "1.0.0".
std::string_view version();

/// Exit codes shared by all subcommands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitErrors = 1;  ///< The input had errors.
inline constexpr int kExitUsage = 2;   ///< Bad command line or unreadable file.
/// Not an exit code: er.cli.eval's answer that the chunk suspended and the loop must run.
inline constexpr int kEvalSuspended = 3;

/// A source to compile: its display name and text.
struct SourceText {
  std::string name;
  std::string text;
};

/// Reads FILE, or standard input for "-" (named "<stdin>"). Reports a failure on
/// streams.err and returns nothing.
std::optional<SourceText> read_source(std::string_view path, Streams& streams);

// The subcommands (one file each).
int command_check(std::span<const std::string_view> args, Streams& streams);
int command_mqtt(std::span<const std::string_view> args, Streams& streams);
int command_compile(std::span<const std::string_view> args, Streams& streams);
int command_run(std::span<const std::string_view> args, Streams& streams);
int command_eval(std::span<const std::string_view> args, Streams& streams);
int command_test(std::span<const std::string_view> args, Streams& streams);

}  // namespace er::cli
