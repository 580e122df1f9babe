// eventrunner test [--verbose] FILE...
//
// Runs rule test files (docs/testing-rules.md), each in a fresh engine on a virtual
// clock: the file runs as a LuaSys task (er.cli.test_file), the loop runs until that
// task ends and stops it, and er.cli.test_report prints what is left to say and
// returns the file's counts. Prints PASS/FAIL per case and "N passed, N failed".
// Exit 0 if all passed, 1 if any failed, 2 on usage errors (no file, unreadable file).

#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "arg_reader.h"
#include "cli.h"
#include "session.h"

namespace er::cli {

namespace {

// Rule tests stop runaway rules by the deterministic instruction budget, so a test of
// one takes no real time; the slice limit is only the backstop (a test file's own
// code may compute for a while between two waits).
SessionOptions test_session_options() {
  SessionOptions options;
  options.instruction_budget = 20'000'000;
  options.slice_limit_ms = 10'000;
  return options;
}

struct TestArgs {
  bool verbose = false;
  std::vector<std::string> files;
  SessionOptions session = test_session_options();
};

struct Counts {
  std::int64_t passed = 0;
  std::int64_t failed = 0;
};

bool parse_test_args(std::span<const std::string_view> argv, Streams& streams, TestArgs& args) {
  ArgReader reader(argv, streams);
  while (reader.next()) {
    if (!reader.is_option()) {
      args.files.emplace_back(reader.operand());
    } else if (reader.name() == "--verbose") {
      args.verbose = true;
    } else if (apply_session_option(reader, args.session)) {
    } else {
      reader.unknown();
    }
  }
  if (!reader.failed() && args.files.empty()) reader.fail("test needs at least one FILE");
  return !reader.failed();
}

// Runs one file in its own engine; false if the engine itself failed.
bool run_test_file(const std::string& file, const TestArgs& args, Streams& streams, Counts& counts) {
  const bool verbose = args.verbose;
  Session session(streams, args.session);
  if (!session.ok()) return false;
  LuaRequest request;
  request.strings = {{"file", file}};
  request.flags = {{"verbose", verbose}};
  LuaReply reply = session.call("test_file", request);
  if (reply.ok) {
    session.run_loop(luasys::kForever);  // Until the file's task calls native.stop().
    reply = session.call("test_report", {});
  }
  if (!reply.ok) {
    streams.err << "eventrunner: " << reply.message << '\n';
    return false;
  }
  counts.passed += reply.values[0];
  counts.failed += reply.values[1];
  return true;
}

}  // namespace

int command_test(std::span<const std::string_view> argv, Streams& streams) {
  TestArgs args;
  if (!parse_test_args(argv, streams, args)) return kExitUsage;
  Counts counts;
  bool unreadable = false;
  for (const std::string& file : args.files) {
    if (!std::ifstream(file)) {
      streams.err << "eventrunner: cannot open '" << file << "'\n";
      unreadable = true;
      continue;
    }
    if (!run_test_file(file, args, streams, counts)) ++counts.failed;
  }
  streams.out << counts.passed << " passed, " << counts.failed << " failed\n";
  if (unreadable) return kExitUsage;
  return counts.failed > 0 ? kExitErrors : kExitOk;
}

}  // namespace er::cli
