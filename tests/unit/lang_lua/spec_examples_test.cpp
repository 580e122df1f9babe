// Compiles every spec example file (tests/golden/lang/spec_examples/*.er) and loads
// every generated chunk with a real Lua 5.4 luaL_loadbuffer: each must load.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "lua_harness.h"

namespace er::lang::testing {
namespace {

std::vector<std::filesystem::path> example_files() {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path dir = source_dir() + "/tests/golden/lang/spec_examples";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".er") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(lang_lua_spec_examples, every_example_compiles_and_its_chunks_load) {
  const auto files = example_files();
  ASSERT_GE(files.size(), 2U);
  for (const auto& path : files) {
    const std::string source = read_text_file(path.string());
    CompileOptions options;
    options.file = path.filename().string();
    options.kind = SourceKind::rules_file;
    const CompileResult result = compile(source, options);
    EXPECT_TRUE(result.ok()) << format_diagnostics(result, source, options.file);
    EXPECT_FALSE(result.items.empty()) << path;
    LuaHarness lua;
    for (const CompiledItem& item : result.items) {
      EXPECT_EQ(lua.load(item.lua), "") << path << " item at line " << item.location.begin.line
                                        << ":\n" << item.lua;
    }
  }
}

TEST(lang_lua_spec_examples, every_value_example_chunk_loads) {
  const std::string text = read_text_file(source_dir() + "/tests/golden/lang/spec_examples/values.txt");
  std::istringstream lines(text);
  LuaHarness lua;
  int loaded = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    std::string source = line.substr(0, line.find('\t'));
    CompileResult result = compile(source);
    if (!result.ok()) result = compile("return " + source);
    ASSERT_TRUE(result.ok()) << source;
    for (const CompiledItem& item : result.items) EXPECT_EQ(lua.load(item.lua), "") << source;
    ++loaded;
  }
  EXPECT_GT(loaded, 100);
}

}  // namespace
}  // namespace er::lang::testing
