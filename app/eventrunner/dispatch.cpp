// The eventrunner command line as a whole: global help and version, per-command help,
// and the dispatch to a subcommand. main() only forwards argv here, so the command
// tests call it with string streams.

#include <algorithm>
#include <ostream>

#include "cli.h"

namespace er::cli {

namespace {

void print_help(std::ostream& out) {
  out << "usage: eventrunner <command> [arguments]\n"
         "       eventrunner <command> --help\n"
         "       eventrunner --version\n\ncommands:\n";
  for (const Command& command : commands()) {
    out << "  " << command.name << ' ' << command.usage << "\n      " << command.summary << '\n';
  }
  out << "\nFILE may be '-' for standard input.\n";
}

void print_command_help(const Command& command, std::ostream& out) {
  out << "usage: eventrunner " << command.name << ' ' << command.usage << "\n\n"
      << command.summary << "\n\noptions:\n"
      << command.options << "  -h, --help           show this help\n";
}

bool is_help(std::string_view arg) { return arg == "-h" || arg == "--help"; }

// `--help` among a command's options (before "--", after which it is an operand).
bool asks_for_help(std::span<const std::string_view> args) {
  const auto end = std::find(args.begin(), args.end(), "--");
  return std::any_of(args.begin(), end, is_help);
}

}  // namespace

std::string_view version() { return ER_VERSION; }

int dispatch(std::span<const std::string_view> args, Streams& streams) {
  if (args.empty()) {
    print_help(streams.err);
    return kExitUsage;
  }
  if (is_help(args[0]) || args[0] == "help") {
    print_help(streams.out);
    return kExitOk;
  }
  if (args[0] == "--version") {
    streams.out << "eventrunner " << version() << '\n';
    return kExitOk;
  }
  for (const Command& command : commands()) {
    if (command.name != args[0]) continue;
    const std::span<const std::string_view> rest = args.subspan(1);
    if (asks_for_help(rest)) {
      print_command_help(command, streams.out);
      return kExitOk;
    }
    return command.run(rest, streams);
  }
  streams.err << "eventrunner: unknown command '" << args[0] << "'\n";
  print_help(streams.err);
  return kExitUsage;
}

}  // namespace er::cli
