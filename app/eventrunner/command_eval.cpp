// eventrunner eval [--at "YYYY-MM-DD HH:MM[:SS]"] [--home HOME] [--state FILE]
//                  [--for DURATION] SOURCE
//
// Evaluates one EventScript chunk on the virtual clock and prints its values one per
// line in canonical form (or the defined rule's name). Without --home it runs in the
// spec's reference setting and home (§0, §10.2), at 2025-05-14 12:00:00 unless --at
// says otherwise, so the spec's examples evaluate as written. A chunk that suspends
// (wait) runs on the virtual clock until it finishes, at most --for (default 1d). A
// SOURCE that only compiles as `return SOURCE` is evaluated so (`eventrunner eval now`).
// SOURCE "-" reads standard input. docs/homes.md describes the command. Exit 0, 1 on a
// compile or runtime error (reported on standard error in the spec §13 shape) or a
// state file in use by a running engine, 2 on usage errors (also an --at that is not a
// real time).

#include <optional>
#include <ostream>

#include "arg_reader.h"
#include "cli.h"
#include "duration.h"
#include "local_time.h"
#include "session.h"
#include "state_file.h"

namespace er::cli {

namespace {

constexpr luasys::Millis kDefaultEvalBound = 24 * 3600 * 1000;

struct EvalArgs {
  std::optional<std::string> at;
  std::optional<std::string> home;
  std::optional<std::string> state;
  luasys::Millis bound = kDefaultEvalBound;
  std::optional<std::string> source;
  SessionOptions session;
};

void apply_eval_option(ArgReader& reader, EvalArgs& args) {
  const std::string_view name = reader.name();
  if (apply_session_option(reader, args.session)) return;
  if (name == "--at") {
    args.at = reader.value();
    if (!args.at) return;
    if (const std::optional<std::string> wrong = check_local_time(*args.at)) {
      reader.fail("--at: " + *wrong);
    }
  } else if (name == "--home") {
    args.home = reader.value();
  } else if (name == "--state") {
    args.state = reader.value();
  } else if (name == "--for") {
    const std::optional<std::string> text = reader.value();
    if (!text) return;
    const std::optional<luasys::Millis> bound = luasys::app::parse_duration(*text);
    if (!bound) return reader.fail("--for: invalid duration '" + *text + "'");
    args.bound = *bound;
  } else {
    reader.unknown();
  }
}

std::optional<EvalArgs> parse_eval_args(std::span<const std::string_view> argv, Streams& streams) {
  EvalArgs args;
  ArgReader reader(argv, streams);
  while (reader.next()) {
    if (reader.is_option()) {
      apply_eval_option(reader, args);
    } else if (!args.source) {
      args.source = std::string(reader.operand());
    } else {
      reader.fail("eval takes one SOURCE (quote it)");
    }
  }
  if (!reader.failed() && !args.source) reader.fail("eval needs a SOURCE");
  if (reader.failed()) return std::nullopt;
  if (*args.source == "-") {
    const std::optional<SourceText> text = read_source("-", streams);
    args.source = text ? text->text : std::string();
  }
  return args;
}

LuaRequest eval_request(const EvalArgs& args) {
  LuaRequest request;
  request.strings = {{"source", *args.source}};
  if (args.at) request.strings.emplace_back("at", *args.at);
  if (args.home) request.strings.emplace_back("home", *args.home);
  request.flags = {{"heap_limit_given", args.session.heap_limit_given}};
  return request;
}

int reply_status(const LuaReply& reply, Streams& streams) {
  if (reply.ok) return static_cast<int>(reply.values[0]);
  streams.err << "eventrunner: " << reply.message << '\n';
  return kExitErrors;
}

}  // namespace

int command_eval(std::span<const std::string_view> argv, Streams& streams) {
  const std::optional<EvalArgs> args = parse_eval_args(argv, streams);
  if (!args) return kExitUsage;
  const StateChoice state = open_state(args->state, args->home.value_or(""), false, "eval", streams);
  if (!state.ok) return kExitErrors;
  SessionOptions options = args->session;
  options.store = state.store.get();
  Session session(streams, options);
  if (!session.ok()) return kExitErrors;
  const int status = reply_status(session.call("eval", eval_request(*args)), streams);
  if (status != kEvalSuspended) return status;
  // er.cli stops the loop (native.stop) when the chunk's task ends.
  session.run_loop(luasys::saturating_add(session.clock().now(), args->bound));
  return reply_status(session.call("eval_finish", {}), streams);
}

}  // namespace er::cli
