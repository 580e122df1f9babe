// eventrunner <command> [args...]: dispatches to the subcommand functions.

#include <iostream>
#include <string_view>
#include <vector>

#include "cli.h"

namespace {

void print_help(std::ostream& out) {
  out << "usage: eventrunner <command> [arguments]\n\ncommands:\n";
  for (const er::cli::Command& command : er::cli::commands()) {
    out << "  " << command.name << ' ' << command.usage << "\n      " << command.summary << '\n';
  }
  out << "\nFILE may be '-' for standard input.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  er::cli::Streams streams{std::cin, std::cout, std::cerr};
  if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
    print_help(args.empty() ? std::cerr : std::cout);
    return args.empty() ? er::cli::kExitUsage : er::cli::kExitOk;
  }
  for (const er::cli::Command& command : er::cli::commands()) {
    if (command.name == args[0]) {
      const std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
      return command.run(rest, streams);
    }
  }
  std::cerr << "eventrunner: unknown command '" << args[0] << "'\n";
  print_help(std::cerr);
  return er::cli::kExitUsage;
}
