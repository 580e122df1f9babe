#include "options.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace luasys::app {

namespace {

constexpr std::string_view kUsage =
    "usage: luasys [options] [script.lua [args...]]\n"
    "  -e CHUNK          run CHUNK before the script (repeatable, in order)\n"
    "  --virtual-time    use the virtual clock\n"
    "  --for DURATION    stop after 250ms, 10s, 5m, 2h or 1d of loop clock (bare number: seconds)\n"
    "  --max-timers N    pending-timer limit (0: none)      [LUASYS_MAX_TIMERS]\n"
    "  --bus-slots N     bus capacity in messages (256)      [LUASYS_BUS_SLOTS]\n"
    "  --heap-limit SIZE Lua heap limit, k and m suffixes    [LUASYS_HEAP_LIMIT]\n"
    "  --log-level L     DEBUG, INFO, WARN, ERROR or SILENT  [LUASYS_LOG_LEVEL]\n"
    "  --slice-limit MS  interrupt Lua that runs MS ms without yielding (1000; 0: off)\n"
    "                                                        [LUASYS_SLICE_LIMIT]\n"
    "  --version         print the version and exit\n"
    "  --help            print this help and exit\n"
    "Environment variables give defaults; the command line wins.\n";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One value-taking option, applied to the command line; false with `error` set.
bool apply_option(std::string_view name, std::string_view value, CommandLine& line,
                  std::string& error) {
  const auto bad = [&](std::string_view what) {
    error = std::string(name) + ": invalid " + std::string(what) + " '" + std::string(value) + "'";
    return false;
  };
  if (name == "--for") {
    const auto ms = parse_duration(value);
    if (!ms) return bad("duration");
    line.loop.run_until = *ms;
  } else if (name == "--max-timers" || name == "LUASYS_MAX_TIMERS") {
    const auto n = parse_count(value);
    if (!n) return bad("number");
    line.loop.max_timers = *n;
  } else if (name == "--bus-slots" || name == "LUASYS_BUS_SLOTS") {
    const auto n = parse_count(value);
    if (!n || *n == 0) return bad("number");
    line.loop.bus_slots = *n;
  } else if (name == "--heap-limit" || name == "LUASYS_HEAP_LIMIT") {
    const auto n = parse_size(value);
    if (!n) return bad("size");
    line.loop.heap_limit = *n;
  } else if (name == "--slice-limit" || name == "LUASYS_SLICE_LIMIT") {
    const auto n = parse_count(value);
    if (!n || *n > 86'400'000) return bad("number");
    line.loop.slice_limit_ms = static_cast<Millis>(*n);
  } else if (name == "--log-level" || name == "LUASYS_LOG_LEVEL") {
    const auto level = parse_log_level(value);
    if (!level) return bad("log level");
    line.loop.log_level = *level;
  }
  return true;
}

bool takes_value(std::string_view name) {
  return name == "-e" || name == "--for" || name == "--max-timers" || name == "--bus-slots" ||
         name == "--heap-limit" || name == "--log-level" || name == "--slice-limit";
}

bool apply_environment(CommandLine& line, std::string& error) {
  for (const char* name :
       {"LUASYS_MAX_TIMERS", "LUASYS_BUS_SLOTS", "LUASYS_HEAP_LIMIT", "LUASYS_LOG_LEVEL",
        "LUASYS_SLICE_LIMIT"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0' && !apply_option(name, value, line, error)) return false;
  }
  return true;
}

}  // namespace

std::string_view usage_text() {
  return kUsage;
}

std::optional<std::size_t> parse_count(std::string_view text) {
  std::size_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc{} || result.ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<int> parse_log_level(std::string_view text) {
  static constexpr std::string_view kNames[] = {"silent", "debug", "info", "warn", "error"};
  const std::string t = lower(text);
  for (int level = 0; level <= 4; ++level) {
    if (t == kNames[level]) return level;
  }
  const auto n = parse_count(text);
  if (n && *n <= 4) return static_cast<int>(*n);
  return std::nullopt;
}

std::optional<CommandLine> parse_command_line(int argc, char** argv, std::string& error) {
  CommandLine line;
  if (!apply_environment(line, error)) return std::nullopt;
  int i = 1;
  for (; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') break;  // The script ("-" is standard input).
    std::string_view name = arg;
    std::optional<std::string_view> value;
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (name == "--virtual-time") {
      line.virtual_time = true;
    } else if (name == "--help" || name == "-h") {
      line.show_help = true;
    } else if (name == "--version" || name == "-v") {
      line.show_version = true;
    } else if (takes_value(name)) {
      if (!value) {
        if (i + 1 >= argc) {
          error = std::string(name) + " needs a value";
          return std::nullopt;
        }
        value = argv[++i];
      }
      if (name == "-e") {
        line.chunks.emplace_back(*value);
      } else if (!apply_option(name, *value, line, error)) {
        return std::nullopt;
      }
    } else {
      error = "unknown option '" + std::string(arg) + "'";
      return std::nullopt;
    }
  }
  line.script_index = i;
  if (i < argc) {
    line.script = argv[i];
    for (int k = i + 1; k < argc; ++k) line.script_args.emplace_back(argv[k]);
  }
  return line;
}

}  // namespace luasys::app
