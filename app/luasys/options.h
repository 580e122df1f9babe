#pragma once
// The luasys command line (spec §11): options, environment defaults, and the script
// with its arguments.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "duration.h"  // parse_duration, shared with eventrunner.
#include "luabind/runtime.h"

namespace luasys::app {

struct CommandLine {
  LoopOptions loop;           ///< --max-timers, --bus-slots, --heap-limit, --log-level, --for.
  bool virtual_time = false;  ///< --virtual-time.
  bool show_help = false;     ///< --help.
  bool show_version = false;  ///< --version.
  std::vector<std::string> chunks;    ///< -e CHUNK, in order.
  std::optional<std::string> script;  ///< The script path ("-": standard input).
  std::vector<std::string> script_args;
  int script_index = 0;  ///< argv index of the script (arg[0]); argc if none.
};

/// Parses argv and the LUASYS_* environment variables (the command line wins). On a
/// usage error returns nullopt and sets `error` to the message (without "luasys: ").
std::optional<CommandLine> parse_command_line(int argc, char** argv, std::string& error);

/// A non-negative integer.
std::optional<std::size_t> parse_count(std::string_view text);
/// DEBUG, INFO, WARN, ERROR, SILENT (any case) or 0..4.
std::optional<int> parse_log_level(std::string_view text);

/// The --help text.
std::string_view usage_text();

}  // namespace luasys::app
