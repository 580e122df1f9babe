// Runs the value examples of the spec (tests/golden/lang/spec_examples/values.txt)
// through the compiler and the engine's runtime (lua_harness.h: a booted engine with the
// reference home at the reference instant), and checks each result.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lua_harness.h"

namespace er::lang::testing {
namespace {

struct ValueExample {
  std::string source;
  std::string expected;
};

std::vector<ValueExample> load_examples() {
  const std::string text = read_text_file(source_dir() + "/tests/golden/lang/spec_examples/values.txt");
  std::vector<ValueExample> examples;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    examples.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return examples;
}

// A bare expression is not a statement, so it runs as `return <expr>`.
std::string as_script(const std::string& source) {
  const CompileResult direct = compile(source);
  if (direct.ok()) return source;
  return "return " + source;
}

TEST(lang_lua_spec_values, every_value_example_gives_the_specified_result) {
  const std::vector<ValueExample> examples = load_examples();
  ASSERT_GT(examples.size(), 100U);
  LuaHarness lua;
  for (const ValueExample& example : examples) {
    lua.reset();  // Each example starts from a freshly booted engine.
    EXPECT_EQ(lua.run(as_script(example.source)), example.expected) << "source: " << example.source;
  }
}

}  // namespace
}  // namespace er::lang::testing
