#pragma once
// Lua code generation (docs/runtime-interface.md): one analysed rule or script in,
// one Lua 5.4 chunk out, plus its line map and position table.

#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "lang/ast.h"
#include "lang/lua_writer.h"
#include "lang/triggers.h"

namespace er::lang {

struct CodegenOptions {
  /// The text every location refers to (a whole rules file, or one definition).
  std::string_view source;
  /// The item's own text (its first line heads the chunk as a comment).
  std::string_view item_text;
  /// Put the line map into the chunk as the descriptor field `lines` (the engine
  /// needs it to place runtime errors when it keeps no C++ copy of the result).
  bool embed_line_map = false;
  /// False when no item of the source can read the run local `event` (the name was
  /// never written): then no function binds it. When true, each rule is checked.
  bool may_use_event = true;
  /// Start with a `-- <kind>: <first source line>` comment (readability only).
  bool header_comment = false;
  /// Also generate a rule's traced condition (`cond_traced`, which reports each term's
  /// value through __R.term) and its packed term list (`terms`), for the engine's traces
  /// (docs/traces.md, docs/runtime-interface.md §2.1).
  bool trace_terms = false;
};

/// A use of an EventScript global by name: one that is no local, parameter, capture,
/// `$name`, `#event`, device property or method, nor a name the compiler handles
/// itself (trueFor, once, again, event). For "did you mean" hints and tooling.
struct NameUse {
  std::string name;
  common::Position position;  ///< The first such use of the name (for `call`, the first call).
  bool call = false;          ///< The use is the callee of a call: `name(...)`.
};

/// One generated chunk.
struct GeneratedChunk {
  std::string lua;
  std::vector<LineMark> line_map;
  /// Position table: the p argument of a runtime call is a 1-based index into it.
  std::vector<common::Position> positions;
  /// Globals read, in source order: one entry per name and kind of use (read, call).
  std::vector<NameUse> free_names;
  /// Globals assigned (`x = 1`, `x += 1`, `function x() end`): one entry per name.
  std::vector<NameUse> assigned_names;
};

/// Generates the chunk of a rule. Reports code-generation diagnostics (for example
/// "compound assignment to a device property is not supported") into `diagnostics`.
GeneratedChunk generate_rule(const Rule& rule, const RuleTriggers& triggers,
                             const CodegenOptions& options, common::DiagnosticList& diagnostics);

/// Generates the chunk of a script (a block run once; its value follows spec §4.7).
GeneratedChunk generate_script(const StatBlock& script, const CodegenOptions& options,
                               common::DiagnosticList& diagnostics);

/// The same, writing through `writer` (empty on entry and again on return), so that
/// compiling many items reuses one buffer instead of allocating one per item.
GeneratedChunk generate_rule(const Rule& rule, const RuleTriggers& triggers,
                             const CodegenOptions& options, common::DiagnosticList& diagnostics,
                             LuaWriter& writer);
GeneratedChunk generate_script(const StatBlock& script, const CodegenOptions& options,
                               common::DiagnosticList& diagnostics, LuaWriter& writer);

}  // namespace er::lang
