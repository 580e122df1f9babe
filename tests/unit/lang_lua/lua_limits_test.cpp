// Generated Lua always loads: inputs near Lua's hard limits (nesting depth, locals per
// function, upvalues, registers) either compile to Lua that luaL_loadbuffer accepts or
// get a compile diagnostic at the EventScript position, never unloadable Lua.

#include <gtest/gtest.h>

#include <string>

#include "lua_harness.h"

namespace er::lang {
namespace {

using testing::LuaHarness;

std::string repeat_joined(std::string_view item, std::string_view separator, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += separator;
    out += item;
  }
  return out;
}

// "" when every item loads; the first diagnostic ("line:col: message") when the
// compiler refused the source; "load: <message>" when Lua refused the generated code.
std::string compile_and_load(const std::string& source) {
  CompileOptions options;
  options.kind = SourceKind::rules_file;
  const CompileResult result = compile(source, options);
  if (!result.ok()) {
    const common::Diagnostic& d = result.diagnostics.items().front();
    return std::to_string(d.position.line) + ":" + std::to_string(d.position.column) + ": " + d.message;
  }
  // Loading changes nothing in the engine, so one engine serves every call.
  static LuaHarness lua;
  for (const CompiledItem& item : result.items) {
    const std::string error = lua.load(item.lua);
    if (!error.empty()) return "load: " + error;
  }
  return "";
}

TEST(lang_lua_lua_limits, long_left_associative_chains_load) {
  for (const std::string_view op : {"+", "-", "*", "/", "//", "%", "and", "or", "&", "|"}) {
    SCOPED_TRACE(op);
    EXPECT_EQ(compile_and_load("x = " + repeat_joined("1", std::string(" ") + std::string(op) + " ", 199)), "");
    EXPECT_EQ(compile_and_load("y = 2\nx = " + repeat_joined("y", std::string(" ") + std::string(op) + " ", 199)), "");
  }
}

TEST(lang_lua_lua_limits, long_right_associative_chains_load) {
  EXPECT_EQ(compile_and_load("y = 2\nx = " + repeat_joined("y", " ++ ", 150)), "");
  EXPECT_EQ(compile_and_load("y = 2\nx = " + repeat_joined("y", " ^ ", 90)), "");
  EXPECT_EQ(compile_and_load("y = 2\nx = " + repeat_joined("y", " ?? ", 150)), "");
}

TEST(lang_lua_lua_limits, deep_nesting_loads_or_is_refused) {
  EXPECT_EQ(compile_and_load("x = " + std::string(150, '(') + "1" + std::string(150, ')')), "");
  EXPECT_EQ(compile_and_load("x = " + std::string(150, '{') + std::string(150, '}')), "");
  EXPECT_EQ(compile_and_load("x = " + repeat_joined("f(", "", 150) + std::string(150, ')')), "");
  EXPECT_EQ(compile_and_load("x = " + repeat_joined("not ", "", 150) + "y"), "");
  EXPECT_EQ(compile_and_load("x = " + repeat_joined("-", " ", 150) + "y"), "");
  EXPECT_EQ(compile_and_load(repeat_joined("if x then ", "", 150) + repeat_joined("end", " ", 150)), "");
  EXPECT_EQ(compile_and_load(repeat_joined("do ", "", 150) + repeat_joined("end", " ", 150)), "");
}

// Every input up to the parser's own nesting limit either loads or gets a compile error.
TEST(lang_lua_lua_limits, nesting_up_to_the_parser_limit_never_gives_unloadable_lua) {
  const std::string y = "y = 2\n";
  for (int n : {50, 100, 150, 175, 190, 199, 200}) {
    SCOPED_TRACE(n);
    for (const std::string& source : {
             y + "x = " + std::string(static_cast<std::size_t>(n), '(') + "y" + std::string(static_cast<std::size_t>(n), ')'),
             y + "x = " + repeat_joined("not ", "", n) + "y",
             y + "x = " + repeat_joined("-", " ", n) + "y",
             y + "x = " + repeat_joined("y", " ^ ", n),
             y + "x = " + repeat_joined("y", " ?? ", n),
             y + "x = " + repeat_joined("y", " ++ ", n),
             y + "x = " + repeat_joined("{", "", n) + repeat_joined("}", "", n),
             y + "x = " + repeat_joined("f(", "", n) + repeat_joined(")", "", n),
             y + "x = " + repeat_joined("t[", "", n) + "1" + repeat_joined("]", "", n),
             y + "x = " + repeat_joined("y", " .. ", n),
             y + "x = " + repeat_joined("y:p(", "", n) + repeat_joined(")", "", n),
             y + "x = " + repeat_joined("f(1, 2, 3, 4, ", "", n) + repeat_joined(")", "", n),
             y + "x = " + repeat_joined("{1, 2, 3, 4, ", "", n) + repeat_joined("}", "", n),
             y + repeat_joined("if y then ", "", n) + repeat_joined("end", " ", n),
             y + repeat_joined("while y do ", "", n) + repeat_joined("end", " ", n),
             y + repeat_joined("x = function() ", "", n) + repeat_joined("end", " ", n),
             y + "x = " + repeat_joined("() -> ", "", n) + "1",
             y + "x = " + repeat_joined("[", " ", n) + " v" + repeat_joined(" for v in t]", "", n),
             "y:isOn & " + repeat_joined("(", "", n) + "y:value" + repeat_joined(")", "", n) + " => log(1)",
             "#go => " + repeat_joined("log(", "", n) + repeat_joined(")", "", n),
         }) {
      const std::string outcome = compile_and_load(source);
      EXPECT_FALSE(outcome.starts_with("load: ")) << source.substr(0, 60) << "...: " << outcome;
    }
  }
}

TEST(lang_lua_lua_limits, too_deep_for_lua_is_a_compile_error_at_the_source) {
  const std::string outcome = compile_and_load("y = 2\nx = " + repeat_joined("f(", "", 190) + std::string(190, ')'));
  EXPECT_TRUE(outcome.starts_with("2:")) << outcome;
  EXPECT_NE(outcome.find("nested too deeply"), std::string::npos) << outcome;
}

TEST(lang_lua_lua_limits, too_many_locals_is_a_compile_error_at_the_declaration) {
  std::string source = "function f()\n";
  for (int i = 1; i <= 199; ++i) source += "  local v" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  EXPECT_EQ(compile_and_load(source + "  return v1\nend\n"), "");
  source += "  local a, b = 1, 2\n  return a\nend\n";
  EXPECT_EQ(compile_and_load(source),
            "201:12: too many local variables (limit is 200) in one function; keep the values in a table or "
            "split the function");
}

TEST(lang_lua_lua_limits, for_loop_state_counts_as_locals) {
  std::string source = "function f()\n";
  for (int i = 1; i <= 195; ++i) source += "  local v" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  const std::string outcome = compile_and_load(source + "  for k, v in pairs(t) do end\nend\n");
  EXPECT_NE(outcome.find("too many local variables"), std::string::npos) << outcome;
  EXPECT_EQ(compile_and_load(source + "  for i = 1, 2 do end\nend\n"), "");
}

TEST(lang_lua_lua_limits, locals_count_per_function) {
  std::string source;
  for (int i = 1; i <= 150; ++i) source += "local v" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  source += "function f(a, b)\n";
  for (int i = 1; i <= 150; ++i) source += "  local w" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  EXPECT_EQ(compile_and_load(source + "  return a\nend\nreturn v1\n"), "");
}

TEST(lang_lua_lua_limits, too_many_registers_is_a_compile_error_at_the_source) {
  const std::string outcome =
      compile_and_load("y = 2\nx = " + repeat_joined("y:p(", "", 100) + repeat_joined(")", "", 100));
  EXPECT_TRUE(outcome.starts_with("2:")) << outcome;
  EXPECT_NE(outcome.find("too many registers"), std::string::npos) << outcome;
}

TEST(lang_lua_lua_limits, locals_and_wide_calls_together_load_or_are_refused) {
  for (int locals : {0, 100, 190, 199}) {
    for (int args : {10, 50, 60, 100, 240}) {
      std::string source = "function f()\n";
      for (int i = 1; i <= locals; ++i) source += "  local v" + std::to_string(i) + " = " + std::to_string(i) + "\n";
      source += "  return g(" + repeat_joined("1", ", ", args) + ")\nend\n";
      const std::string outcome = compile_and_load(source);
      EXPECT_FALSE(outcome.starts_with("load: ")) << locals << " locals, " << args << " args: " << outcome;
    }
  }
  std::string source = "function f()\n";
  for (int i = 1; i <= 100; ++i) source += "  local v" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  EXPECT_EQ(compile_and_load(source + "  return g(" + repeat_joined("1", ", ", 100) + ")\nend\n"), "");
}

TEST(lang_lua_lua_limits, wide_calls_and_tables_load) {
  EXPECT_EQ(compile_and_load("x = {" + repeat_joined("1", ",", 5000) + "}"), "");
  EXPECT_EQ(compile_and_load("x = f(" + repeat_joined("1", ",", 240) + ")"), "");
  EXPECT_EQ(compile_and_load("log(" + repeat_joined("1", ",", 240) + ")"), "");
}

}  // namespace
}  // namespace er::lang
