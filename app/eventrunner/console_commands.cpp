#include "console_commands.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "api_verbs.h"

namespace er::cli {

namespace {

using nlohmann::json;

constexpr std::array<ConsoleOnlyCommand, 4> kConsoleOnly = {{
    {"post", "#event{...}", "post an event, as post(#event{...}) does"},
    {"watch", "[TEXT]", "follow the timeline (lines containing TEXT) until Ctrl-C or Enter"},
    {"help", "", "this list"},
    {"quit", "", "leave the console (also Ctrl-D)"},
}};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' || c == '.' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::vector<std::string> strings_of(const json& list, bool strip_dollar) {
  std::vector<std::string> names;
  if (!list.is_array()) return names;
  for (const json& item : list) {
    if (!item.is_string()) continue;
    std::string name = item.get<std::string>();
    if (strip_dollar && name.starts_with('$')) name.erase(0, 1);
    names.push_back(std::move(name));
  }
  return names;
}

void add_matching(std::vector<std::string>& out, const std::vector<std::string>& names, std::string_view prefix,
                  std::string_view add_before = "") {
  for (const std::string& name : names) {
    std::string candidate = std::string(add_before) + name;
    if (candidate.starts_with(prefix)) out.push_back(std::move(candidate));
  }
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const Verb& verb : verbs()) names.push_back("." + std::string(verb.name));
  for (const ConsoleOnlyCommand& command : kConsoleOnly) names.push_back("." + std::string(command.name));
  return names;
}

// What the word at `word_start` names, from the command it is an argument of.
enum class WordKind : unsigned char { command, rule, device, source, none };

WordKind word_kind(std::string_view line, std::size_t word_start) {
  const std::string_view before = line.substr(0, word_start);
  if (trim(before).empty()) return line.substr(word_start).starts_with('.') ? WordKind::command : WordKind::source;
  const std::optional<ConsoleCommand> command = parse_console_command(before);
  if (!command) return WordKind::source;
  if (!command->rest.empty()) return WordKind::none;  // Only the first argument names something known.
  static constexpr std::array<std::string_view, 5> kRuleCommands = {"rule", "enable", "disable", "run", "log-level"};
  static constexpr std::array<std::string_view, 3> kDeviceCommands = {"set", "device", "action"};
  if (std::find(kRuleCommands.begin(), kRuleCommands.end(), command->name) != kRuleCommands.end()) return WordKind::rule;
  if (std::find(kDeviceCommands.begin(), kDeviceCommands.end(), command->name) != kDeviceCommands.end()) {
    return WordKind::device;
  }
  return command->name == "eval" || command->name == "post" ? WordKind::source : WordKind::none;
}

}  // namespace

std::optional<ConsoleCommand> parse_console_command(std::string_view line) {
  line = trim(line);
  if (line.size() < 2 || line[0] != '.' || std::isalpha(static_cast<unsigned char>(line[1])) == 0) return std::nullopt;
  std::size_t end = 1;
  while (end < line.size() && !is_space(line[end])) ++end;
  return ConsoleCommand{std::string(line.substr(1, end - 1)), std::string(trim(line.substr(end)))};
}

std::vector<std::string> split_words(std::string_view rest, std::size_t max_words) {
  std::vector<std::string> words;
  rest = trim(rest);
  while (!rest.empty()) {
    if (words.size() + 1 == max_words) {
      words.emplace_back(rest);
      break;
    }
    std::size_t end = 0;
    while (end < rest.size() && !is_space(rest[end])) ++end;
    words.emplace_back(rest.substr(0, end));
    rest = trim(rest.substr(end));
  }
  return words;
}

std::span<const ConsoleOnlyCommand> console_only_commands() { return kConsoleOnly; }

CompletionNames completion_names_from(const json& answer) {
  const auto list = [&answer](const char* key) { return answer.is_object() && answer.contains(key) ? answer[key] : json(); };
  return {strings_of(list("devices"), false), strings_of(list("globals"), true), strings_of(list("rules"), false),
          strings_of(list("builtins"), false)};
}

std::size_t completion_word_start(std::string_view line, std::size_t cursor) {
  std::size_t start = std::min(cursor, line.size());
  while (start > 0 && is_name_char(line[start - 1])) --start;
  return start;
}

std::vector<std::string> complete_word(const CompletionNames& names, std::string_view line, std::size_t word_start,
                                       std::size_t cursor) {
  const std::string_view word = line.substr(word_start, std::min(cursor, line.size()) - word_start);
  std::vector<std::string> found;
  switch (word_kind(line, word_start)) {
    case WordKind::command: add_matching(found, command_names(), word); break;
    case WordKind::rule: add_matching(found, names.rules, word); break;
    case WordKind::device: add_matching(found, names.devices, word); break;
    case WordKind::none: break;
    case WordKind::source:
      if (word.starts_with('$')) {
        add_matching(found, names.globals, word, "$");
        break;
      }
      for (const auto* list : {&names.devices, &names.rules, &names.builtins}) add_matching(found, *list, word);
      break;
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace er::cli
