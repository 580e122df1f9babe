// Golden tests over tests/golden/lang/:
//   parse/<area>.es        parsed as a rules file; expected AST dump in <area>.ast
//   diagnostics/<case>.es  parsed as one definition (er.eval); expected diagnostics, in
//                          the exact §13.1 format, in <case>.txt
// and a round trip (parse, print, parse: same tree) over every input that parses.
// Run with ER_UPDATE_GOLDEN=1 to rewrite the expectations (then review the diff).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "lang/ast_dump.h"
#include "lang/diagnostics.h"
#include "lang/parser.h"
#include "lang/printer.h"

namespace er::lang {
namespace {

namespace fs = std::filesystem;

fs::path golden_dir() { return fs::path(ER_SOURCE_DIR) / "tests" / "golden" / "lang"; }

bool updating() {
  const char* value = std::getenv("ER_UPDATE_GOLDEN");
  return value != nullptr && std::string_view(value) == "1";
}

std::vector<fs::path> inputs(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".es") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compares `actual` with the expectation file, or rewrites it in update mode.
void check_golden(const fs::path& expected_path, const std::string& actual) {
  if (updating()) {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path << " is missing; run with ER_UPDATE_GOLDEN=1";
  EXPECT_EQ(read_text(expected_path), actual) << "golden: " << expected_path;
}

std::string formatted(std::string_view file, std::string_view source, const common::DiagnosticList& list) {
  std::string out;
  for (const common::Diagnostic& diagnostic : list.items()) out += render_diagnostic(file, source, diagnostic);
  return out;
}

TEST(lang_golden, parse_dumps) {
  const std::vector<fs::path> files = inputs(golden_dir() / "parse");
  EXPECT_FALSE(files.empty());
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    const std::string source = read_text(path);
    common::Arena arena;
    common::Interner names;
    common::DiagnosticList diagnostics;
    const FileParseResult result = parse_file(source, arena, names, diagnostics);
    std::string actual = dump_ast(*result.file);
    if (!diagnostics.empty()) actual += "-- diagnostics:\n" + formatted(path.stem().string(), source, diagnostics);
    fs::path expected = path;
    check_golden(expected.replace_extension(".ast"), actual);
  }
}

TEST(lang_golden, diagnostics) {
  const std::vector<fs::path> files = inputs(golden_dir() / "diagnostics");
  EXPECT_FALSE(files.empty());
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.string());
    std::string source = read_text(path);
    // A single trailing line end is not part of the definition (editors add one).
    if (!source.empty() && source.back() == '\n') source.pop_back();
    common::Arena arena;
    common::Interner names;
    common::DiagnosticList diagnostics;
    parse(source, arena, names, diagnostics);
    EXPECT_FALSE(diagnostics.empty()) << "a diagnostics case without a diagnostic";
    fs::path expected = path;
    check_golden(expected.replace_extension(".txt"), formatted("eval", source, diagnostics));
  }
}

// Parse, print, parse again: the same tree. Inputs with errors are skipped.
void expect_file_round_trip(const std::string& source, bool& round_tripped) {
  common::Arena arena;
  common::Interner names;
  common::DiagnosticList diagnostics;
  const FileParseResult first = parse_file(source, arena, names, diagnostics);
  if (!first.ok()) return;
  const std::string printed = print_source_file(*first.file);
  common::DiagnosticList second_diagnostics;
  const FileParseResult second = parse_file(printed, arena, names, second_diagnostics);
  ASSERT_TRUE(second.ok()) << "printed:\n" << printed << formatted("printed", printed, second_diagnostics);
  EXPECT_EQ(dump_ast(*first.file), dump_ast(*second.file)) << "printed:\n" << printed;
  EXPECT_EQ(print_source_file(*second.file), printed);
  round_tripped = true;
}

TEST(lang_golden, round_trip_every_input) {
  int count = 0;
  for (const char* folder : {"parse", "diagnostics", "spec_examples"}) {
    for (const fs::path& path : inputs(golden_dir() / folder)) {
      SCOPED_TRACE(path.string());
      bool round_tripped = false;
      expect_file_round_trip(read_text(path), round_tripped);
      count += round_tripped ? 1 : 0;
    }
  }
  EXPECT_GT(count, 5);
}

// The spec example files shared with the code generator's tests (rules files, one
// item per line, and a table of values) must all parse and round-trip.
TEST(lang_golden, spec_example_files_parse) {
  const fs::path dir = golden_dir() / "spec_examples";
  if (!fs::exists(dir)) GTEST_SKIP() << "no spec examples";
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".er") continue;
    SCOPED_TRACE(entry.path().string());
    const std::string source = read_text(entry.path());
    common::Arena arena;
    common::Interner names;
    common::DiagnosticList diagnostics;
    EXPECT_TRUE(parse_file(source, arena, names, diagnostics).ok())
        << formatted(entry.path().filename().string(), source, diagnostics);
    bool round_tripped = false;
    expect_file_round_trip(source, round_tripped);
  }
}

}  // namespace
}  // namespace er::lang
