// eventrunner top [HOME] [--connect URL] [--token-file FILE] [--state FILE] [--once]
//                 [--interval SECONDS] [--limit N]
//
// The busiest rules of a running engine, live (docs/metrics.md): every interval (2 s)
// it asks `GET /api/metrics` and redraws the screen, like top(1), until Ctrl-C. When
// standard output is not a terminal it writes plain snapshots one after another,
// separated by a blank line; --once writes one and exits (for scripts and tests).
// Exit 0, or 1 when the engine cannot be reached (also when it goes away), 2 on usage
// errors.

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <ostream>
#include <thread>

#include "api_client.h"
#include "arg_reader.h"
#include "duration.h"
#include "engine_locator.h"
#include "remote_commands.h"
#include "top_format.h"

namespace er::cli {

namespace {

struct TopArgs {
  EngineOptions engine;
  bool once = false;
  double interval_s = 2.0;
  std::size_t limit = 20;
};

void apply_top_option(ArgReader& reader, TopArgs& args) {
  if (apply_engine_option(reader, args.engine)) return;
  const std::string_view name = reader.name();
  if (name == "--once") {
    args.once = true;
  } else if (name == "--interval" || name == "--limit") {
    const std::optional<std::string> text = reader.value();
    if (!text) return;
    const std::optional<double> value = luasys::app::parse_non_negative(*text);
    if (name == "--interval" && (!value || *value < 0.1)) {
      reader.fail("--interval: expected seconds, at least 0.1, got '" + *text + "'");
    } else if (name == "--limit" && (!value || *value != static_cast<double>(static_cast<std::size_t>(*value)))) {
      reader.fail("--limit: expected a whole number (0: all rules), got '" + *text + "'");
    } else if (name == "--interval") {
      args.interval_s = *value;
    } else {
      args.limit = static_cast<std::size_t>(*value);
    }
  } else {
    reader.unknown();
  }
}

std::optional<TopArgs> parse_top_args(std::span<const std::string_view> argv, Streams& streams) {
  TopArgs args;
  ArgReader reader(argv, streams);
  bool home_given = false;
  while (reader.next()) {
    if (reader.is_option()) {
      apply_top_option(reader, args);
    } else if (!home_given) {
      args.engine.home = std::string(reader.operand());
      home_given = true;
    } else {
      reader.fail("top takes one HOME folder");
    }
  }
  if (reader.failed()) return std::nullopt;
  return args;
}

// A live screen on a terminal: clear it and draw from the top left corner.
bool draws_on_terminal(const Streams& streams) { return &streams.out == &std::cout && ::isatty(STDOUT_FILENO) == 1; }

}  // namespace

int command_top(std::span<const std::string_view> argv, Streams& streams) {
  const std::optional<TopArgs> args = parse_top_args(argv, streams);
  if (!args) return kExitUsage;
  const EngineAddress address = locate_engine(args->engine, std::getenv("EVENTRUNNER_TOKEN"));
  if (!address.ok()) {
    streams.err << "eventrunner: " << address.error << '\n';
    return kExitErrors;
  }
  ApiClient client(address.url, address.token);
  const bool terminal = draws_on_terminal(streams);
  nlohmann::json previous;
  for (bool first = true;; first = false) {
    const ApiResponse response = client.get("/api/metrics");
    if (!response.ok()) {
      streams.err << "eventrunner: " << response.error << '\n';
      return kExitErrors;
    }
    const TopView view{args->limit, previous.is_null() ? nullptr : &previous};
    if (terminal) streams.out << "\x1b[H\x1b[2J";
    else if (!first) streams.out << '\n';
    streams.out << format_top(response.body, view) << std::flush;
    if (args->once) return kExitOk;
    previous = response.body;
    std::this_thread::sleep_for(std::chrono::duration<double>(args->interval_s));
  }
}

}  // namespace er::cli
