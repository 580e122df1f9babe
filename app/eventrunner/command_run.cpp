// eventrunner run HOME [--virtual] [--start "YYYY-MM-DD HH:MM"] [--for DURATION]
//                      [--state FILE|none] [--verbose] [--http ADDR:PORT|off]
//                      [--token-file FILE] [--tls-cert FILE --tls-key FILE] [--web-dir DIR] [--no-watch]
//                      [--log-level LEVEL] [--log-file FILE [--log-size SIZE] [--log-keep N]]
//
// Loads a home folder (docs/homes.md) and runs its rules, printing a timeline of what
// happens on standard output and errors on standard error. Real time by default; with
// --virtual the clock jumps from one due timer to the next. Without --for it runs until
// SIGINT or SIGTERM. While it runs it serves the control API (api_options.h,
// docs/api.md) and reloads the home when its files change or on SIGHUP
// (docs/operations.md). Exit 0 when it ran (whatever the rules did), 1 if the home failed
// to load, the state file cannot be used (another eventrunner holds it: state_file.h)
// or the engine failed, 2 on usage errors (also a --start that is not a real time).

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <ostream>
#include <system_error>

#include "api_options.h"
#include "arg_reader.h"
#include "cli.h"
#include "duration.h"
#include "local_time.h"
#include "log_output.h"
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
  std::optional<std::string> log_level;
  LogFileOptions log_file;  ///< Used when log_file.path is set (--log-file).
  bool log_file_options = false;  ///< --log-size or --log-keep was given.
  SessionOptions session;
};

constexpr std::array<std::string_view, 5> kLogLevels = {"error", "warn", "info", "debug", "trace"};

// --log-level, --log-file, --log-size and --log-keep (docs/operations.md#logging); false
// when the current option is none of them.
bool apply_log_option(ArgReader& reader, RunArgs& args) {
  const std::string_view name = reader.name();
  if (name != "--log-level" && name != "--log-file" && name != "--log-size" && name != "--log-keep") return false;
  const std::optional<std::string> text = reader.value();
  if (!text) return true;
  LogFileOptions& file = args.log_file;
  if (name == "--log-level") {
    if (std::find(kLogLevels.begin(), kLogLevels.end(), *text) == kLogLevels.end()) {
      reader.fail("--log-level: expected error, warn, info, debug or trace, got '" + *text + "'");
    }
    args.log_level = text;
    return true;
  }
  args.log_file_options = args.log_file_options || name != "--log-file";
  if (name == "--log-file") {
    file.path = *text;
  } else if (name == "--log-size") {
    const std::optional<std::size_t> size = luasys::app::parse_size(*text);
    if (!size || *size == 0) reader.fail("--log-size: invalid size '" + *text + "' (e.g. 10m, 512k)");
    else file.max_bytes = *size;
  } else {
    const std::optional<double> keep = luasys::app::parse_non_negative(*text);
    if (!keep || *keep != static_cast<double>(static_cast<unsigned>(*keep)) || *keep > 100) {
      reader.fail("--log-keep: expected a whole number from 0 to 100, got '" + *text + "'");
    } else {
      file.keep = static_cast<unsigned>(*keep);
    }
  }
  return true;
}

// Applies one option of `reader`; false after a usage error.
bool apply_run_option(ArgReader& reader, RunArgs& args) {
  const std::string_view name = reader.name();
  if (apply_session_option(reader, args.session) || apply_api_option(reader, args.api) ||
      apply_log_option(reader, args)) {
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
  if (!reader.failed() && args.log_file_options && args.log_file.path.empty()) {
    reader.fail("--log-size and --log-keep need --log-file");
  }
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
  if (args.log_level) request.strings.emplace_back("log_level", *args.log_level);
  if (!state.path.empty()) request.strings.emplace_back("state", state.path);
  request.flags = {{"virtual", args.virtual_clock},
                   {"verbose", args.verbose},
                   {"watch", args.watch && !args.virtual_clock},
                   {"api", api.enabled},
                   {"heap_limit_given", args.session.heap_limit_given},
                   {"journal", args.log_file.path.empty() && stderr_is_journal(std::getenv("JOURNAL_STREAM"))},
                   {"colours", args.log_file.path.empty() &&
                                   stdout_shows_colours(std::getenv("NO_COLOR"), std::getenv("TERM"))}};
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
  // In real time the engine serves until it is stopped, also when nothing is scheduled:
  // a message, an API call or a file change may still come. (A virtual run ends when
  // simulated time has nothing left.)
  luasys::Producer serving;
  if (!args.virtual_clock) serving = runtime.bus().add_producer("eventrunner run");
  session.run_loop(until);
  serving.release();
  runtime.run_shutdown_hooks();
}

bool report_failed_call(const LuaReply& reply, Streams& streams) {
  if (reply.ok) return false;
  streams.err << "eventrunner: " << reply.message << '\n';
  return true;
}

// Runs the home with its timeline and log in `log_streams` (the command's streams, or
// the log file); the command's own complaints go to `streams`.
int run_home(const RunArgs& run_args, Streams& streams, Streams& log_streams) {
  const RunArgs* args = &run_args;
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
  Session session(log_streams, options);
  if (!session.ok()) return kExitErrors;
  const LuaReply loaded = session.call("run", run_request(*args, state, *api));
  if (report_failed_call(loaded, streams)) return kExitErrors;
  if (loaded.values[0] != kExitOk) return static_cast<int>(loaded.values[0]);  // 1 or 2.
  run_until_done(session, *args);
  const LuaReply finished = session.call("finish", {});
  return report_failed_call(finished, streams) ? kExitErrors : kExitOk;
}

}  // namespace

int command_run(std::span<const std::string_view> argv, Streams& streams) {
  const std::optional<RunArgs> args = parse_run_args(argv, streams);
  if (!args) return kExitUsage;
  if (args->log_file.path.empty()) return run_home(*args, streams, streams);
  std::string problem;
  const std::unique_ptr<RotatingLogFile> file = RotatingLogFile::open(args->log_file, problem);
  if (!file) {
    streams.err << "eventrunner: " << problem << '\n';
    return kExitErrors;
  }
  std::ostream log(file.get());
  Streams log_streams{streams.in, log, log};
  return run_home(*args, streams, log_streams);
}

}  // namespace er::cli
