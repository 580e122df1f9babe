#pragma once
// The console's dot commands (".rules", ".set hall_lamp value true") and the names
// it completes with Tab. Both are pure functions, so they are tested without a
// terminal or an engine.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace er::cli {

/// A line that starts with '.' and a letter: ".rule morning_lights" is {"rule",
/// "morning_lights"}. `rest` is the text after the name, trimmed.
struct ConsoleCommand {
  std::string name;
  std::string rest;
};

std::optional<ConsoleCommand> parse_console_command(std::string_view line);

/// Splits `rest` at white space into at most `max_words` words; the last one keeps the
/// rest of the text as typed (".set lamp label hello world" -> lamp, label, "hello
/// world"). kAnyCount (api_verbs.h) splits every word.
std::vector<std::string> split_words(std::string_view rest, std::size_t max_words);

/// The console's own commands (the others are the ctl verbs): name and help line.
struct ConsoleOnlyCommand {
  std::string_view name;
  std::string_view usage;
  std::string_view summary;
};
std::span<const ConsoleOnlyCommand> console_only_commands();

/// The names the console completes, from `GET /api/names`.
struct CompletionNames {
  std::vector<std::string> devices;
  std::vector<std::string> globals;  ///< Without the '$'.
  std::vector<std::string> rules;
  std::vector<std::string> builtins;
};

CompletionNames completion_names_from(const nlohmann::json& answer);

/// Where the word being completed starts in `line` (before `cursor`): after the last
/// character that cannot be part of a name ("hall_lamp:va" -> at "va").
std::size_t completion_word_start(std::string_view line, std::size_t cursor);

/// The completions of the word line[word_start, cursor), sorted and without repeats:
/// dot commands for a first word starting with '.', rule names after .rule, .enable,
/// .disable and .run, device names after .set, .device and .action, `$` globals for a
/// word starting with '$', else devices, globals, rules and builtins.
std::vector<std::string> complete_word(const CompletionNames& names, std::string_view line, std::size_t word_start,
                                       std::size_t cursor);

}  // namespace er::cli
