// native.compile: the EventScript compiler (lang/) seen from the engine's Lua side.

#include <string>

#include "lang/compiler.h"
#include "lang/diagnostics.h"
#include "natives.h"

namespace er::detail {

namespace {

lang::SourceKind source_kind(std::string_view name) {
  if (name == "rule") return lang::SourceKind::rule;
  if (name == "rules_file") return lang::SourceKind::rules_file;
  return lang::SourceKind::definition;
}

// Reads the options table at `index` into `options` (strings are copied before any Lua
// allocation happens, so no raise can skip a destructor).
void read_options(lua_State* L, int index, lang::CompileOptions& options) {
  if (!lua_istable(L, index)) return;
  if (lua_getfield(L, index, "file") == LUA_TSTRING) options.file = lua_tostring(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, index, "kind") == LUA_TSTRING) options.kind = source_kind(lua_tostring(L, -1));
  lua_pop(L, 1);
  // The engine's rules are traced (docs/traces.md) unless the caller says otherwise.
  options.trace_terms = lua_getfield(L, index, "trace_terms") != LUA_TBOOLEAN || lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  if (lua_getfield(L, index, "trigger_variables") == LUA_TTABLE) {
    const lua_Integer count = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= count; ++i) {
      if (lua_rawgeti(L, -1, i) == LUA_TSTRING) options.trigger_variables.emplace_back(lua_tostring(L, -1));
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}

void push_strings(lua_State* L, const std::vector<std::string>& strings) {
  lua_createtable(L, static_cast<int>(strings.size()), 0);
  for (std::size_t i = 0; i < strings.size(); ++i) {
    lua_pushlstring(L, strings[i].data(), strings[i].size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

void set_integer(lua_State* L, const char* name, lua_Integer value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, name);
}

void set_string(lua_State* L, const char* name, std::string_view value) {
  lua_pushlstring(L, value.data(), value.size());
  lua_setfield(L, -2, name);
}

// The line map as text, "lua_line kind line col ..." (space-separated quadruples): a
// rule keeps it for as long as it lives and reads it only to locate an error, so one
// string costs less than a table, to build and to keep.
std::string line_map_text(const std::vector<lang::LineMark>& marks) {
  std::string text;
  text.reserve(marks.size() * 16);
  for (const lang::LineMark& mark : marks) {
    if (!text.empty()) text += ' ';
    text += std::to_string(mark.lua_line);
    text += ' ';
    text += lang::mark_kind_name(mark.kind);
    text += ' ';
    text += std::to_string(mark.source.line);
    text += ' ';
    text += std::to_string(mark.source.column);
  }
  return text;
}

// {{name=, line=, col=, call=}, ...}
void push_name_uses(lua_State* L, const std::vector<lang::NameUse>& uses) {
  lua_createtable(L, static_cast<int>(uses.size()), 0);
  for (std::size_t i = 0; i < uses.size(); ++i) {
    lua_createtable(L, 0, 4);
    set_string(L, "name", uses[i].name);
    set_integer(L, "line", uses[i].position.line);
    set_integer(L, "col", uses[i].position.column);
    lua_pushboolean(L, uses[i].call ? 1 : 0);
    lua_setfield(L, -2, "call");
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

void push_item(lua_State* L, const lang::CompiledItem& item) {
  lua_createtable(L, 0, 14);
  set_string(L, "kind", item.kind == lang::ItemKind::rule ? "rule" : "script");
  set_string(L, "lua", item.lua);
  set_string(L, "source", item.source_text);
  set_integer(L, "line", item.location.begin.line);
  set_integer(L, "col", item.location.begin.column);
  set_integer(L, "end_line", item.location.end.line);
  const std::string& map = push_boxed(L, [&] { return line_map_text(item.line_map); });
  lua_pushlstring(L, map.data(), map.size());
  lua_setfield(L, -3, "line_map");
  lua_pop(L, 1);  // The boxed text.
  lua_createtable(L, static_cast<int>(item.triggers.size()), 0);
  for (std::size_t i = 0; i < item.triggers.size(); ++i) {
    lua_pushlstring(L, item.triggers[i].key.data(), item.triggers[i].key.size());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "triggers");
  push_strings(L, item.candidates);
  lua_setfield(L, -2, "candidates");
  push_strings(L, item.replan);
  lua_setfield(L, -2, "replan");
  lua_pushboolean(L, item.has_dynamic_triggers ? 1 : 0);
  lua_setfield(L, -2, "dynamic");
  push_name_uses(L, item.free_names);
  lua_setfield(L, -2, "free_names");
  push_name_uses(L, item.assigned_names);
  lua_setfield(L, -2, "assigned_names");
  if (!item.name.empty()) {
    set_string(L, "name", item.name);
    set_integer(L, "name_line", item.name_position.line);
    set_integer(L, "name_col", item.name_position.column);
  }
  const std::string& hash = push_boxed(L, [&] { return lang::hash_text(item.source_hash); });
  lua_pushlstring(L, hash.data(), hash.size());
  lua_setfield(L, -3, "source_hash");
  lua_pop(L, 1);  // The boxed text.
}

// {{line=, col=, severity=, message=, text=}, ...}: each diagnostic on its own, with
// its formatted block, for hosts that show diagnostics one by one (reload, check).
void push_diagnostics(lua_State* L, const lang::CompileResult& result, std::string_view source,
                      std::string_view file) {
  const auto& items = result.diagnostics.items();
  lua_createtable(L, static_cast<int>(items.size()), 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const common::Diagnostic& diagnostic = items[i];
    lua_createtable(L, 0, 5);
    set_integer(L, "line", diagnostic.position.line);
    set_integer(L, "col", diagnostic.position.column);
    set_string(L, "severity", diagnostic.severity == common::Severity::Error ? "error" : "warning");
    const std::string& message = push_boxed(L, [&] { return lang::safe_text(diagnostic.message); });
    lua_pushlstring(L, message.data(), message.size());
    lua_setfield(L, -3, "message");
    lua_pop(L, 1);
    const std::string& text =
        push_boxed(L, [&] { return lang::render_diagnostic(file, source, diagnostic); });
    lua_pushlstring(L, text.data(), text.size());
    lua_setfield(L, -3, "text");
    lua_pop(L, 1);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

// native.compile(source, {file=, kind=, trigger_variables=}) -> items | nil, diagnostics, list
// items[i] = {kind, lua, source, line, col, end_line, line_map, triggers, candidates,
// replan, dynamic, free_names, assigned_names, source_hash [, name, name_line,
// name_col]}, line_map as text "lua_line kind line col ..."; diagnostics is the §13.1
// text of every error, list the same one by one (push_diagnostics). A source that
// compiles with warnings gives items, warnings text, list.
int compile(lua_State* L) {
  size_t length = 0;
  const char* source = luaL_checklstring(L, 1, &length);
  auto& options = push_boxed(L, [] { return lang::CompileOptions{}; });
  read_options(L, 2, options);
  const auto& result = push_boxed(L, [&] { return lang::compile(std::string_view(source, length), options); });
  if (!result.ok()) {
    const std::string& text = push_boxed(L, [&] {
      return lang::format_diagnostics(result, std::string_view(source, length), options.file);
    });
    lua_pushnil(L);
    lua_pushlstring(L, text.data(), text.size());
    push_diagnostics(L, result, std::string_view(source, length), options.file);
    return 3;
  }
  lua_createtable(L, static_cast<int>(result.items.size()), 0);
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    push_item(L, result.items[i]);
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  if (result.diagnostics.items().empty()) return 1;
  // Warnings only (porting hazards): the items, and the warnings as errors come.
  const std::string& text = push_boxed(L, [&] {
    return lang::format_diagnostics(result, std::string_view(source, length), options.file);
  });
  lua_pushlstring(L, text.data(), text.size());
  lua_remove(L, -2);
  push_diagnostics(L, result, std::string_view(source, length), options.file);
  return 3;
}

}  // namespace

void open_compiler_natives(lua_State* L, EngineContext& context) {
  static const luaL_Reg kFunctions[] = {{"compile", compile}, {nullptr, nullptr}};
  register_natives(L, context, kFunctions);
}

}  // namespace er::detail
