// The command table and the input helper shared by the subcommands.

#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

#include "cli.h"
#include "lang/compiler.h"

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

// Reads a stream in blocks, to its end or to one byte past `limit` (enough to know
// the input is too large without holding all of it).
std::string read_all(std::istream& in, std::size_t limit) {
  std::string text;
  char block[16384];
  while (text.size() <= limit && (in.read(block, sizeof block) || in.gcount() > 0)) {
    text.append(block, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

void report_too_large(std::string_view name, std::size_t size, Streams& streams) {
  streams.err << "eventrunner: " << name << ": "
              << lang::source_too_large_message(size, lang::kMaxSourceBytes) << '\n';
}

// For input whose size is known only to be past the limit (a pipe, a growing file).
void report_over_limit(std::string_view name, Streams& streams) {
  streams.err << "eventrunner: " << name << ": input is over the limit of "
              << lang::kMaxSourceBytes / (1024 * 1024) << " MiB (split the rules into several files)\n";
}

}  // namespace

// Sources over lang::kMaxSourceBytes are refused before they are read in full: a file
// by its size, standard input after one block past the limit.
std::optional<SourceText> read_source(std::string_view path, Streams& streams) {
  if (path == "-") {
    std::string text = read_all(streams.in, lang::kMaxSourceBytes);
    if (text.size() > lang::kMaxSourceBytes) {
      report_over_limit("<stdin>", streams);
      return std::nullopt;
    }
    return SourceText{"<stdin>", std::move(text)};
  }
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(std::filesystem::path(path), error);
  if (!error && size > lang::kMaxSourceBytes) {
    report_too_large(path, static_cast<std::size_t>(size), streams);
    return std::nullopt;
  }
  std::ifstream file{std::string(path), std::ios::binary};
  if (!file) {
    streams.err << "eventrunner: cannot open '" << path << "'\n";
    return std::nullopt;
  }
  std::string text = read_all(file, lang::kMaxSourceBytes);
  if (text.size() > lang::kMaxSourceBytes) {  // A file that grew, or a pipe: no size.
    report_over_limit(path, streams);
    return std::nullopt;
  }
  return SourceText{std::string(path), std::move(text)};
}

}  // namespace er::cli
