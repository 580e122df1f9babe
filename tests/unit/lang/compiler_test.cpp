// The compiler entry point: golden files (tests/golden/lang/lua/<area>.es ->
// <area>.lua, rewritten with ER_UPDATE_GOLDEN=1), diagnostics with positions, rules
// files, options.

#include "lang/compiler.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace er::lang {
namespace {

// Turns each two-character "\\n" of a table line into a newline. Built by appending,
// because GCC 12 -O3 reports a false -Wrestrict on std::string::replace here.
std::string unescape_newlines(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string source_dir() {
  const char* dir = std::getenv("ER_SOURCE_DIR");
  return dir != nullptr ? dir : ER_SOURCE_DIR;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Everything a golden file records: diagnostics, or every item rendered.
std::string render(const std::string& source, const std::string& file) {
  CompileOptions options;
  options.file = file;
  options.kind = SourceKind::rules_file;
  options.header_comment = true;
  const CompileResult result = compile(source, options);
  if (!result.ok()) return format_diagnostics(result, source, file);
  std::string out;
  for (std::size_t i = 0; i < result.items.size(); ++i) out += render_item(result.items[i], i + 1) + "\n";
  return out;
}

TEST(lang_compiler, golden_files_match) {
  const std::filesystem::path dir = std::filesystem::path(source_dir()) / "tests/golden/lang/lua";
  const bool update = std::getenv("ER_UPDATE_GOLDEN") != nullptr;
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".es") continue;
    const std::string actual = render(read_file(entry.path()), entry.path().filename().string());
    std::filesystem::path expected_path = entry.path();
    expected_path.replace_extension(".lua");
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
    } else {
      EXPECT_EQ(actual, read_file(expected_path)) << "golden " << expected_path
                                                  << " (rewrite with ER_UPDATE_GOLDEN=1)";
    }
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

// "line:col: message" of every diagnostic.
std::vector<std::string> diagnostics_of(std::string_view source, CompileOptions options = {}) {
  const CompileResult result = compile(source, options);
  std::vector<std::string> out;
  for (const common::Diagnostic& d : result.diagnostics.items()) {
    out.push_back(std::to_string(d.position.line) + ":" + std::to_string(d.position.column) + ": " +
                  d.message);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(lang_compiler, reports_rules_without_triggers_in_the_spec_shape) {
  const std::string source = "x > 5 => log(x)";
  CompileOptions options;
  options.file = "rules.er";
  const CompileResult result = compile(source, options);
  EXPECT_TRUE(result.items.empty());
  EXPECT_EQ(format_diagnostics(result, source, "rules.er"),
            "rules.er:1:1: error: Rule has no triggers: x > 5\n"
            "x > 5 => log(x)\n"
            "^\n");
}

TEST(lang_compiler, declared_trigger_variables_make_a_rule_valid) {
  CompileOptions options;
  options.trigger_variables = {"x"};
  const CompileResult result = compile("x > 5 => log(x)", options);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.items.size(), 1U);
  EXPECT_EQ(result.items[0].triggers.at(0).key, "variable/x");
}

// "Rule has no triggers" at the same position as an earlier error is dropped (one
// message per position), which keeps the more specific message.
TEST(lang_compiler, reports_every_semantic_error_of_a_definition) {
  EXPECT_EQ(diagnostics_of("55:on & wait(1) => log(again())"),
            (Lines{"1:1: 'on' is an action and cannot be used in a rule condition",
                   "1:9: wait is not allowed in a rule condition",
                   "1:24: again() can only be used in the action of a trueFor rule"}));
  EXPECT_EQ(diagnostics_of("1 & wait(1) => log(1)"),
            (Lines{"1:5: wait is not allowed in a rule condition",
                   "1:1: Rule has no triggers: 1 & wait(1)"}));
}

TEST(lang_compiler, again_in_a_script_is_an_error) {
  EXPECT_EQ(diagnostics_of("x = 1\nlog(again(2))"),
            Lines{"2:5: again() can only be used in the action of a trueFor rule"});
}

TEST(lang_compiler, parser_static_errors_are_not_reported_twice) {
  EXPECT_EQ(diagnostics_of("55:value += 1"),
            Lines{"1:1: compound assignment to a device property is not supported"});
  EXPECT_EQ(diagnostics_of("$cfg.x = 1"),
            Lines{"1:1: cannot assign into a field of persistent variable '$cfg'; assign the whole value"});
  EXPECT_EQ(diagnostics_of("@@0 => log(1)"), Lines{"1:3: interval must be positive"});
}

TEST(lang_compiler, a_syntax_error_gives_no_follow_on_errors) {
  EXPECT_EQ(diagnostics_of("66:breached && 55:isOff => 55:on"),
            Lines{"1:13: Use '&' (or 'and') for AND, not '&&'"});
}

TEST(lang_compiler, rule_kind_rejects_a_script) {
  CompileOptions options;
  options.kind = SourceKind::rule;
  EXPECT_FALSE(compile("x = 1", options).ok());
}

TEST(lang_compiler, rules_files_give_one_item_per_top_level_definition) {
  CompileOptions options;
  options.kind = SourceKind::rules_file;
  const CompileResult result = compile(
      "-- lights\n"
      "66:breached =>\n"
      "  55:on\n"
      "  wait(00:05)\n"
      "\n"
      "  55:off\n"
      "x = 1\n"
      "y = 2\n"
      "@08:00 => log(x)\n",
      options);
  ASSERT_TRUE(result.ok()) << format_diagnostics(result, "", "f");
  ASSERT_EQ(result.items.size(), 3U);
  EXPECT_EQ(result.items[0].kind, ItemKind::rule);
  EXPECT_EQ(result.items[1].kind, ItemKind::script);
  EXPECT_EQ(result.items[2].kind, ItemKind::rule);
  EXPECT_EQ(result.items[2].location.begin.line, 9U);
}

TEST(lang_compiler, errors_in_one_item_leave_no_items_but_report_all_items) {
  CompileOptions options;
  options.kind = SourceKind::rules_file;
  const std::vector<std::string> lines = diagnostics_of("x > 1 => log(1)\n55:on => log(2)\n", options);
  EXPECT_EQ(lines, (Lines{"1:1: Rule has no triggers: x > 1",
                          "2:1: 'on' is an action and cannot be used in a rule condition"}));
}

// Every "→ error:" example of the spec (tests/golden/lang/spec_examples/errors.txt):
// the first diagnostic's position and message.
TEST(lang_compiler, spec_error_examples_give_the_specified_first_diagnostic) {
  std::istringstream lines(read_file(std::filesystem::path(source_dir()) /
                                     "tests/golden/lang/spec_examples/errors.txt"));
  int checked = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    const std::string source = unescape_newlines(line.substr(0, tab));
    const std::vector<std::string> found = diagnostics_of(source);
    ASSERT_FALSE(found.empty()) << source;
    EXPECT_EQ(found.front(), line.substr(tab + 1)) << source;
    ++checked;
  }
  EXPECT_GE(checked, 40);
}

TEST(lang_compiler, options_control_the_chunk_decorations) {
  CompileOptions options;
  options.header_comment = false;
  options.embed_line_map = false;
  const CompileResult bare = compile("x = 1", options);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare.items[0].lua.rfind("local __R = ...", 0), 0U);
  EXPECT_EQ(bare.items[0].lua.find("lines ="), std::string::npos);
  CompileOptions full_options;
  full_options.embed_line_map = true;
  full_options.header_comment = true;
  const CompileResult full = compile("x = 1", full_options);
  EXPECT_EQ(full.items[0].lua.rfind("-- script: x = 1\n", 0), 0U);
  EXPECT_NE(full.items[0].lua.find("lines = {"), std::string::npos);
}

// The text of `source` from a position (columns count characters, not bytes).
std::string_view text_at(std::string_view source, common::Position at) {
  std::size_t offset = 0;
  for (std::uint32_t line = 1; line < at.line; ++line) offset = source.find('\n', offset) + 1;
  for (std::uint32_t column = 1; column < at.column && offset < source.size(); ++column) {
    ++offset;
    while (offset < source.size() && (static_cast<unsigned char>(source[offset]) & 0xC0U) == 0x80U) ++offset;
  }
  return source.substr(std::min(offset, source.size()));
}

struct CheckQuadruple {
  std::string access;
  std::string mode;
  std::size_t p = 0;
};

// The `"name", "mode", p` parts of a chunk's `checks` line, in order. (Parsed by hand:
// <regex> trips GCC 12's -Wmaybe-uninitialized in the sanitizer build.)
std::vector<CheckQuadruple> check_quadruples(const std::string& line) {
  std::vector<CheckQuadruple> found;
  for (const char* mode : {"get", "set", "call"}) {
    const std::string marker = std::string("\", \"") + mode + "\", ";
    for (std::size_t at = line.find(marker); at != std::string::npos; at = line.find(marker, at + 1)) {
      const std::size_t open = line.rfind('"', at - 1);
      std::size_t digits = at + marker.size();
      std::size_t end = digits;
      while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end])) != 0) ++end;
      found.push_back({line.substr(open + 1, at - open - 1), mode, std::stoul(line.substr(digits, end - digits))});
    }
  }
  return found;
}

// True if some line of `code` calls __R.<function>(__env, ...) on `"access"` with p.
bool has_runtime_call(const std::string& code, const std::string& function, const std::string& access,
                      std::size_t p) {
  const std::string call = "__R." + function + "(__env, ";
  const std::string name = "\"" + access + "\", ";
  std::size_t begin = 0;
  while (begin < code.size()) {
    const std::size_t end = std::min(code.find('\n', begin), code.size());
    const std::string line = code.substr(begin, end - begin);
    const std::size_t name_at = line.find(name);
    if (line.find(call) != std::string::npos && name_at != std::string::npos) {
      const std::string tail = line.substr(name_at);
      const std::string number = std::to_string(p);
      if (tail.find(", " + number + ",") != std::string::npos || tail.find(", " + number + ")") != std::string::npos ||
          tail.find(name + number) != std::string::npos) {
        return true;
      }
    }
    begin = end + 1;
  }
  return false;
}

// Over every rule of the spec examples: each check's p points at its name, and the
// access's own runtime call in the chunk uses the same p.
TEST(lang_compiler, every_check_shares_the_position_of_its_access) {
  int checked = 0;
  for (const char* name : {"rules.er", "guide.er"}) {
    const std::string source =
        read_file(std::filesystem::path(source_dir()) / "tests/golden/lang/spec_examples" / name);
    CompileOptions options;
    options.kind = SourceKind::rules_file;
    const CompileResult result = compile(source, options);
    ASSERT_TRUE(result.ok()) << name;
    for (const CompiledItem& item : result.items) {
      const std::size_t begin = item.lua.find("  checks = function(__env)\n");
      if (begin == std::string::npos) continue;
      const std::string line = item.lua.substr(begin, item.lua.find("\n  end,", begin) - begin);
      for (const CheckQuadruple& check : check_quadruples(line)) {
        ASSERT_LE(check.p, item.positions.size()) << item.lua;
        EXPECT_TRUE(text_at(source, item.positions[check.p - 1]).starts_with(check.access))
            << check.access << " in " << item.lua;
        const std::string function = check.mode == "get" ? "prop" : check.mode == "set" ? "setprop" : "mcall";
        EXPECT_TRUE(has_runtime_call(item.lua.substr(begin + line.size()), function, check.access, check.p))
            << check.access << " in " << item.lua;
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 30);
}

}  // namespace
}  // namespace er::lang
