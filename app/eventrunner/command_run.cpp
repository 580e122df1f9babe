// eventrunner run HOME [--virtual] [--start "YYYY-MM-DD HH:MM"] [--for DURATION]
//                      [--state FILE|none] [--verbose] [--http ADDR:PORT|off]
//                      [--token-file FILE] [--tls-cert FILE --tls-key FILE] [--no-watch]
//
// Loads a home folder (docs/homes.md) and runs its rules, printing a timeline of what
// happens on standard output and errors on standard error. Real time by default; with
// --virtual the clock jumps from one due timer to the next. Without --for it runs until
// SIGINT or SIGTERM. While it runs it serves the control API (api_options.h,
// docs/api.md) and reloads the home when its files change or on SIGHUP
// (docs/operations.md). Exit 0 when it ran (whatever the rules did), 1 if the home failed
// to load, the state file cannot be used (another eventrunner holds it: state_file.h)
// or the engine failed, 2 on usage errors (also a --start that is not a real time).

#include <filesystem>
#include <optional>
#include <ostream>
#include <system_error>

#include "api_options.h"
#include "arg_reader.h"
#include "cli.h"
#include "duration.h"
#include "local_time.h"
#include "session.h"
#include "signals.h"
#include "state_file.h"

namespace er::cli {

namespace {

struct RunArgs {
  std::string home;
  bool virtual_clock = false;
  bool verbose = false;
  bool watch = true;
  ApiArgs api;
  std::optional<std::string> start;
  std::optional<luasys::Millis> run_for;
  std::optional<std::string> state;
  SessionOptions session;
};

// Applies one option of `reader`; false after a usage error.
bool apply_run_option(ArgReader& reader, RunArgs& args) {
  const std::string_view name = reader.name();
  if (apply_session_option(reader, args.session) || apply_api_option(reader, args.api)) {
  } else if (name == "--no-watch") {
    args.watch = false;
  } else if (name == "--virtual") {
    args.virtual_clock = true;
  } else if (name == "--verbose") {
    args.verbose = true;
  } else if (name == "--start") {
    args.start = reader.value();
  } else if (name == "--state") {
    args.state = reader.value();
  } else if (name == "--for") {
    const std::optional<std::string> text = reader.value();
    if (!text) return false;
    args.run_for = luasys::app::parse_duration(*text);
    if (!args.run_for) reader.fail("--for: invalid duration '" + *text + "'");
  } else {
    reader.unknown();
  }
  return !reader.failed();
}

std::optional<RunArgs> parse_run_args(std::span<const std::string_view> argv, Streams& streams) {
  RunArgs args;
  ArgReader reader(argv, streams);
  while (reader.next()) {
    if (reader.is_option()) {
      apply_run_option(reader, args);
    } else if (args.home.empty()) {
      args.home = reader.operand();
    } else {
      reader.fail("run takes one HOME folder");
    }
  }
  if (!reader.failed() && args.home.empty()) reader.fail("run needs a HOME folder");
  if (!reader.failed() && args.start && !args.virtual_clock) reader.fail("--start needs --virtual");
  if (!reader.failed() && args.start) {
    if (const std::optional<std::string> wrong = check_local_time(*args.start)) {
      reader.fail("--start: " + *wrong);
    }
  }
  std::error_code error;
  if (!reader.failed() && !std::filesystem::is_regular_file(args.home + "/home.lua", error)) {
    reader.fail("'" + args.home + "' is not a home folder (no home.lua)");
  }
  if (reader.failed()) return std::nullopt;
  return args;
}

LuaRequest run_request(const RunArgs& args, const StateChoice& state, const ApiOptions& api) {
  LuaRequest request;
  request.strings = {{"home", args.home}};
  if (args.start) request.strings.emplace_back("start", *args.start);
  if (!state.path.empty()) request.strings.emplace_back("state", state.path);
  request.flags = {{"virtual", args.virtual_clock},
                   {"verbose", args.verbose},
                   {"watch", args.watch && !args.virtual_clock},
                   {"api", api.enabled},
                   {"heap_limit_given", args.session.heap_limit_given}};
  return request;
}

// Runs the loop until --for elapses or a signal arrives; the watcher thread only asks
// the loop to stop, so the store and the summary are finished on this thread.
void run_until_done(Session& session, const RunArgs& args) {
  luasys::Runtime& runtime = session.engine().runtime();
  // A rule busy in an endless loop is interrupted by the session's watchdog, so a
  // signal stops the engine within a second whatever runs.
  const luasys::app::SignalWatcher signals([&runtime] { runtime.interrupt_and_stop(); },
                                           [&session] { session.post_to_lua("hangup"); });
  const luasys::Millis until =
      args.run_for ? luasys::saturating_add(session.clock().now(), *args.run_for) : luasys::kForever;
  session.run_loop(until);
  runtime.run_shutdown_hooks();
}

bool report_failed_call(const LuaReply& reply, Streams& streams) {
  if (reply.ok) return false;
  streams.err << "eventrunner: " << reply.message << '\n';
  return true;
}

}  // namespace

int command_run(std::span<const std::string_view> argv, Streams& streams) {
  const std::optional<RunArgs> args = parse_run_args(argv, streams);
  if (!args) return kExitUsage;
  // Before any thread starts (the session's watchdog): only the signal watcher may
  // take SIGINT and SIGTERM.
  luasys::app::block_termination_signals();
  const StateChoice state = open_state(args->state, args->home, !args->virtual_clock, "run", streams);
  if (!state.ok) return kExitErrors;
  std::string problem;
  const std::optional<ApiOptions> api = resolve_api_options(args->api, args->virtual_clock, state.path, problem);
  if (!api) {
    streams.err << "eventrunner: " << problem << '\n';
    return kExitErrors;
  }
  SessionOptions options = args->session;
  options.virtual_clock = args->virtual_clock;
  options.store = state.store.get();
  options.api = &*api;
  Session session(streams, options);
  if (!session.ok()) return kExitErrors;
  const LuaReply loaded = session.call("run", run_request(*args, state, *api));
  if (report_failed_call(loaded, streams)) return kExitErrors;
  if (loaded.values[0] != kExitOk) return static_cast<int>(loaded.values[0]);  // 1 or 2.
  run_until_done(session, *args);
  const LuaReply finished = session.call("finish", {});
  return report_failed_call(finished, streams) ? kExitErrors : kExitOk;
}

}  // namespace er::cli
