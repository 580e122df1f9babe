// eventrunner ctl [HOME] [--connect URL] [--token-file FILE] [--state FILE] [--json]
//                 VERB [ARGS...]
//
// One operation on a running engine, for scripts (docs/console.md): the verbs of
// api_verbs.h, each one request of the control API. The first operand is HOME when it
// is a folder holding home.lua; otherwise HOME is the current folder. Human text by
// default, the raw JSON answer with --json. Exit 0 on success, 1 when the engine
// cannot be reached, answers an HTTP error or `"ok": false`, 2 on usage errors.

#include <cstdlib>
#include <optional>
#include <ostream>

#include "api_client.h"
#include "api_format.h"
#include "api_verbs.h"
#include "arg_reader.h"
#include "engine_locator.h"
#include "remote_commands.h"

namespace er::cli {

namespace {

struct CtlArgs {
  EngineOptions engine;
  VerbOptions verb_options;
  bool json_output = false;
  std::vector<std::string> operands;
};

void apply_ctl_option(ArgReader& reader, CtlArgs& args) {
  if (apply_engine_option(reader, args.engine)) return;
  const std::string_view name = reader.name();
  if (name == "--json") {
    args.json_output = true;
  } else if (name == "--dry-run") {
    args.verb_options.dry_run = true;
  } else if (name == "--since") {
    args.verb_options.since = reader.value();
  } else {
    reader.unknown();
  }
}

std::string verb_list() {
  std::string names;
  for (const Verb& verb : verbs()) names += (names.empty() ? "" : ", ") + std::string(verb.name);
  return names;
}

// The verb, after the HOME operand if there is one; reports a missing or unknown verb
// and options that the verb does not take.
const Verb* take_verb(ArgReader& reader, CtlArgs& args) {
  if (!args.operands.empty() && is_home_folder(args.operands.front())) {
    args.engine.home = args.operands.front();
    args.operands.erase(args.operands.begin());
  }
  if (args.operands.empty()) {
    reader.fail("ctl needs a VERB: " + verb_list() + " (eventrunner ctl help)");
    return nullptr;
  }
  const Verb* verb = find_verb(args.operands.front());
  if (verb == nullptr) {
    reader.fail("unknown ctl verb '" + args.operands.front() + "' (eventrunner ctl help)");
    return nullptr;
  }
  args.operands.erase(args.operands.begin());
  if (args.verb_options.dry_run && verb->name != "reload") reader.fail("--dry-run goes with reload only");
  if (args.verb_options.since && verb->name != "timeline") reader.fail("--since goes with timeline only");
  return reader.failed() ? nullptr : verb;
}

void print_verbs(std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  for (const Verb& verb : verbs()) {
    rows.push_back({"  " + std::string(verb.name) + " " + std::string(verb.usage), std::string(verb.summary)});
  }
  out << "usage: eventrunner ctl [HOME] [--connect URL] [--token-file FILE] [--state FILE] [--json] VERB [ARGS...]\n\n"
         "verbs:\n"
      << format_table(rows);
}

}  // namespace

int command_ctl(std::span<const std::string_view> argv, Streams& streams) {
  CtlArgs args;
  ArgReader reader(argv, streams);
  while (reader.next()) {
    if (reader.is_option()) {
      apply_ctl_option(reader, args);
    } else {
      args.operands.emplace_back(reader.operand());
    }
  }
  if (!reader.failed() && args.operands.size() == 1 && args.operands[0] == "help") {
    print_verbs(streams.out);
    return kExitOk;
  }
  const Verb* verb = reader.failed() ? nullptr : take_verb(reader, args);
  if (verb == nullptr || !verb_arguments_fit(*verb, args.operands.size(), streams)) return kExitUsage;
  const EngineAddress address = locate_engine(args.engine, std::getenv("EVENTRUNNER_TOKEN"));
  if (!address.ok()) {
    streams.err << "eventrunner: " << address.error << '\n';
    return kExitErrors;
  }
  ApiClient client(address.url, address.token);
  return run_verb(client, *verb, args.operands, args.verb_options, args.json_output, streams);
}

}  // namespace er::cli
