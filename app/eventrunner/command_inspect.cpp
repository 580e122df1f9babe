// eventrunner why RULE   [--home HOME | --state FILE] [--connect URL] [--token-file FILE] [--json]
// eventrunner trace RULE [--outcome X] [--last N] [--home HOME | --state FILE] ...
// eventrunner state      [--home HOME | --state FILE] ...
//
// What a home's rules did and why (docs/traces.md): the ctl verbs why, trace and state,
// with the rule and options of their own. The engine is found as ctl finds it
// (engine_locator.h): HOME's real-time state file, or --state FILE, beside which its
// URL and token are. When no engine answers there (and no --connect URL was given),
// the state file itself is read, read-only: an engine that loads no home and starts no
// rule answers from its contents (er.inspect_offline), and the file is not changed.

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "adapters/sqlite_state_store.h"
#include "api_client.h"
#include "api_verbs.h"
#include "arg_reader.h"
#include "engine_locator.h"
#include "remote_commands.h"
#include "session.h"
#include "state_file.h"

namespace er::cli {

namespace {

struct InspectArgs {
  EngineOptions engine;
  bool json_output = false;
  std::string outcome;
  std::string last;
  std::vector<std::string> operands;
};

void apply_inspect_option(ArgReader& reader, InspectArgs& args, bool trace) {
  if (apply_engine_option(reader, args.engine)) return;
  const std::string_view name = reader.name();
  if (name == "--home") {
    args.engine.home = reader.value().value_or(".");
  } else if (name == "--json") {
    args.json_output = true;
  } else if (trace && name == "--outcome") {
    args.outcome = reader.value().value_or("");
  } else if (trace && name == "--last") {
    args.last = reader.value().value_or("");
  } else {
    reader.unknown();
  }
}

// Answers from the state file: --state FILE, else HOME's real-time state file.
int run_offline(const InspectArgs& args, std::string_view verb_name, Streams& streams) {
  const std::string path = args.engine.state.value_or(default_state_path(args.engine.home));
  StoredState state;
  if (const std::string error = read_state_file(path, state); !error.empty()) {
    streams.err << "eventrunner: no engine answers and " << error << '\n';
    return kExitErrors;
  }
  MemoryStateStore store(std::move(state));
  SessionOptions options;
  options.store = &store;
  Session session(streams, options);
  if (!session.ok()) return kExitErrors;
  LuaRequest request;
  request.strings = {{"verb", std::string(verb_name)},
                     {"rule", args.operands.empty() ? std::string() : args.operands[0]},
                     {"outcome", args.outcome},
                     {"last", args.last}};
  request.flags = {{"json", args.json_output}};
  const LuaReply reply = session.call("inspect_offline", request);
  if (!reply.ok) {
    streams.err << "eventrunner: " << reply.message << '\n';
    return kExitErrors;
  }
  return static_cast<int>(reply.values[0]);
}

// True when an engine answers at `address` (any HTTP status: it is there).
bool engine_answers(const EngineAddress& address) {
  if (!address.ok()) return false;
  ApiClient probe(address.url, address.token);
  return probe.get("/api/health").status != 0;
}

// Parses the command line and runs `verb_name` with the operands (and for trace, the
// outcome and count as the verb's further arguments).
int run_inspect(std::span<const std::string_view> argv, std::string_view verb_name, std::size_t operands,
                Streams& streams) {
  InspectArgs args;
  const bool trace = verb_name == "trace";
  ArgReader reader(argv, streams);
  while (reader.next()) {
    if (reader.is_option()) {
      apply_inspect_option(reader, args, trace);
    } else {
      args.operands.emplace_back(reader.operand());
    }
  }
  if (!reader.failed() && args.operands.size() != operands) {
    reader.fail(operands == 0 ? std::string(verb_name) + " takes no operands" : std::string(verb_name) + " needs a RULE");
  }
  if (reader.failed()) return kExitUsage;
  const EngineAddress address = locate_engine(args.engine, std::getenv("EVENTRUNNER_TOKEN"));
  if (!engine_answers(address)) {
    if (args.engine.connect) {  // An engine asked for by URL is not replaced by a file.
      streams.err << "eventrunner: " << (address.ok() ? "no engine answers at " + address.url : address.error)
                  << '\n';
      return kExitErrors;
    }
    return run_offline(args, verb_name, streams);
  }
  std::vector<std::string> verb_args = args.operands;
  if (trace) {
    verb_args.push_back(args.outcome);
    if (!args.last.empty()) verb_args.push_back(args.last);
  }
  ApiClient client(address.url, address.token);
  return run_verb(client, *find_verb(verb_name), verb_args, VerbOptions{}, args.json_output, streams);
}

}  // namespace

int command_why(std::span<const std::string_view> argv, Streams& streams) {
  return run_inspect(argv, "why", 1, streams);
}

int command_trace(std::span<const std::string_view> argv, Streams& streams) {
  return run_inspect(argv, "trace", 1, streams);
}

int command_state(std::span<const std::string_view> argv, Streams& streams) {
  return run_inspect(argv, "state", 0, streams);
}

}  // namespace er::cli
