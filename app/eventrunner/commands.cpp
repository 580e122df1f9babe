// The command table and the input helper shared by the subcommands.

#include <array>
#include <fstream>
#include <iostream>

#include "cli.h"

namespace er::cli {

namespace {

// Keep in help order; a new subcommand adds one line here and one file.
const std::array<Command, 5> kCommands = {{
    {"check", "[--trigger-var NAME]... FILE...",
     "compile rules files and report diagnostics (exit 1 on any error)", command_check},
    {"compile", "[--trigger-var NAME]... FILE",
     "print the generated Lua of each item with its trigger descriptors", command_compile},
    {"run", "HOME [--virtual] [--start \"YYYY-MM-DD HH:MM\"] [--for DURATION] [--state FILE|none] [--verbose]",
     "run a home's rules and print a timeline (docs/homes.md)", command_run},
    {"eval", "[--at \"YYYY-MM-DD HH:MM:SS\"] [--home HOME] [--state FILE] [--for DURATION] SOURCE",
     "evaluate one EventScript chunk and print its values", command_eval},
    {"test", "[--verbose] FILE...",
     "run rule test files on a virtual clock (docs/testing-rules.md)", command_test},
}};

}  // namespace

std::span<const Command> commands() { return kCommands; }

namespace {

// Reads a stream to its end in blocks.
std::string read_all(std::istream& in) {
  std::string text;
  char block[16384];
  while (in.read(block, sizeof block) || in.gcount() > 0) {
    text.append(block, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

}  // namespace

std::optional<SourceText> read_source(std::string_view path, Streams& streams) {
  if (path == "-") return SourceText{"<stdin>", read_all(streams.in)};
  std::ifstream file{std::string(path), std::ios::binary};
  if (!file) {
    streams.err << "eventrunner: cannot open '" << path << "'\n";
    return std::nullopt;
  }
  return SourceText{std::string(path), read_all(file)};
}

}  // namespace er::cli
