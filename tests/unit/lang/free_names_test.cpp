// CompiledItem::free_names and assigned_names: the globals an item reads, calls and
// assigns, for "did you mean" hints (docs/runtime-interface.md, free and assigned names).

#include <gtest/gtest.h>

#include <string>

#include "lang/compiler.h"

namespace er::lang {
namespace {

// "name@line:col" (with "()" after a called name), space-separated.
std::string uses(const std::vector<NameUse>& list) {
  std::string out;
  for (const NameUse& use : list) {
    if (!out.empty()) out += ' ';
    out += use.name + (use.call ? "()" : "") + "@" + std::to_string(use.position.line) + ":" +
           std::to_string(use.position.column);
  }
  return out;
}

CompiledItem only_item(std::string_view source, SourceKind kind = SourceKind::definition) {
  CompileOptions options;
  options.kind = kind;
  const CompileResult result = compile(source, options);
  EXPECT_TRUE(result.ok()) << format_diagnostics(result, source, "eval");
  EXPECT_EQ(result.items.size(), 1U);
  return result.items.empty() ? CompiledItem{} : result.items[0];
}

TEST(lang_free_names, a_script_lists_reads_calls_and_assignments) {
  const CompiledItem item = only_item("x = y + 1\nlog(\"%s\", x, lampp)\ncount += 1");
  EXPECT_EQ(uses(item.free_names), "y@1:5 log()@2:1 x@2:11 lampp@2:14 count@3:1");
  EXPECT_EQ(uses(item.assigned_names), "x@1:1 count@3:1");
}

TEST(lang_free_names, locals_parameters_and_loop_variables_are_not_free) {
  const CompiledItem item = only_item(
      "local a = 1\n"
      "local function f(p, ...) return p + a + q end\n"
      "for i = 1, 3 do a = a + i end\n"
      "for k, v in pairs(t) do a = v end\n"
      "g = (z) -> z + w\n"
      "return [v * 2 for v in list if v > lim]");
  EXPECT_EQ(uses(item.free_names), "q@2:41 pairs()@4:13 t@4:19 w@5:16 list@6:24 lim@6:36");
  EXPECT_EQ(uses(item.assigned_names), "g@5:1");
}

TEST(lang_free_names, each_name_is_listed_once_per_kind_of_use) {
  const CompiledItem item = only_item("f(x)\nf(x)\ny = f\ny = 2");
  EXPECT_EQ(uses(item.free_names), "f()@1:1 x@1:3 f@3:5");
  EXPECT_EQ(uses(item.assigned_names), "y@3:1");
}

TEST(lang_free_names, persistent_events_and_device_names_are_excluded) {
  const CompiledItem item =
      only_item("#alarm{zone='$z'} & $Mode == 'away' & lamp:isOn => lamp:off(); log(z, event.type)");
  EXPECT_EQ(uses(item.free_names), "lamp@1:39 log()@1:64");
  EXPECT_EQ(uses(item.assigned_names), "");
}

TEST(lang_free_names, special_builtins_are_excluded_when_called) {
  const CompiledItem item =
      only_item("trueFor(00:05, 55:isOn) => log('on'); again(2); once(x)", SourceKind::rule);
  EXPECT_EQ(uses(item.free_names), "log()@1:28 x@1:54");
}

TEST(lang_free_names, function_statements_assign_or_read_their_first_name) {
  const CompiledItem item = only_item("function helper() return 1 end\nfunction util.go() end");
  EXPECT_EQ(uses(item.free_names), "util@2:10");
  EXPECT_EQ(uses(item.assigned_names), "helper@1:10");
}

TEST(lang_free_names, every_item_of_a_rules_file_has_its_own_lists) {
  CompileOptions options;
  options.kind = SourceKind::rules_file;
  const CompileResult result = compile("x = 1\n55:isOn => y = x\n", options);
  ASSERT_TRUE(result.ok()) << format_diagnostics(result, "", "f");
  ASSERT_EQ(result.items.size(), 2U);
  EXPECT_EQ(uses(result.items[0].assigned_names), "x@1:1");
  EXPECT_EQ(uses(result.items[1].free_names), "x@2:16");
  EXPECT_EQ(uses(result.items[1].assigned_names), "y@2:12");
}

}  // namespace
}  // namespace er::lang
