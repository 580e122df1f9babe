#pragma once
// The compiler's entry point: EventScript text in; Lua chunks, trigger descriptors and
// diagnostics out. It never throws and always returns a result (DESIGN.md decision 9).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"
#include "lang/codegen.h"
#include "lang/lua_writer.h"
#include "lang/triggers.h"

namespace er::lang {

/// The largest source compile() accepts by default: 8 MiB. A rules file is a few
/// hundred kilobytes at most; anything near this is a mistake (a log or binary file
/// passed by accident) or hostile, and refusing it early bounds the memory one compile
/// uses. Readers of files (the CLI) check it before reading the whole file.
inline constexpr std::size_t kMaxSourceBytes = std::size_t{8} << 20U;

/// The diagnostic message for a source of `size` bytes over `limit`, such as "input is
/// 12.3 MiB; the limit is 8 MiB (split it into several files)".
std::string source_too_large_message(std::size_t size, std::size_t limit);

/// What the source text is.
enum class SourceKind : unsigned char {
  definition,  ///< One rule or one script, as er.eval compiles it.
  rule,        ///< One rule, as er.rule compiles it (a script is "not a rule").
  rules_file,  ///< A rules file (.er): top-level items, each starting in column 1.
};

/// Options of compile(). Every field has a usable default.
struct CompileOptions {
  /// Name of the source in diagnostics (opts.file, else opts.name, else "eval").
  std::string file = "eval";
  SourceKind kind = SourceKind::definition;
  /// Names of the trigger variables the host has declared (er.triggerVar) before this
  /// definition. A condition reading one subscribes to "variable/<name>"; any other free
  /// name adds no trigger (it is listed in CompiledItem::candidates only), so that
  /// `x > 5 => log(x)` is "Rule has no triggers" as the spec requires.
  std::vector<std::string> trigger_variables;
  /// Also embed the line map in each chunk as the descriptor field `lines` (the
  /// engine has it as CompiledItem::line_map either way; embedding roughly doubles the
  /// chunk size).
  bool embed_line_map = false;
  /// Start each chunk with a `-- rule: <first line>` comment (for people reading the
  /// output, as `eventrunner compile` does; the engine does not need it).
  bool header_comment = false;
  /// Generate each rule's traced condition and term table as well (CodegenOptions::
  /// trace_terms); the engine asks for them, `eventrunner compile` does not.
  bool trace_terms = false;
  /// Maximum number of stored diagnostics (more are counted, not kept).
  std::size_t max_errors = 20;
  /// Sources longer than this (in bytes) are refused with one diagnostic at 1:1.
  std::size_t max_source_bytes = kMaxSourceBytes;
};

enum class ItemKind : unsigned char { rule, script };

/// One compiled definition.
struct CompiledItem {
  ItemKind kind = ItemKind::script;
  common::Location location;        ///< Where the item is in the source.
  std::string source_text;          ///< The item's EventScript text.
  /// The Lua chunk (docs/runtime-interface.md §2). A rule's definition-time device
  /// checks (spec §10.9) exist only there, as the descriptor function `checks` (§5.7):
  /// the engine needs the values of their objects, which only the chunk can compute.
  std::string lua;
  std::vector<LineMark> line_map;   ///< Lua line -> EventScript position.
  std::vector<common::Position> positions;  ///< Targets of the runtime calls' p arguments.
  std::vector<TriggerDescriptor> triggers;  ///< Static trigger sources (rules only).
  std::vector<std::string> candidates;      ///< Free names that may be trigger variables.
  std::vector<std::string> replan;          ///< Keys that re-plan timers instead of running.
  /// Globals the item reads or calls, and those it assigns (lang/codegen.h NameUse),
  /// for "did you mean" hints on undefined names.
  std::vector<NameUse> free_names;
  std::vector<NameUse> assigned_names;
  bool has_dynamic_triggers = false;        ///< The chunk has a trigger_fn to evaluate.
  /// The rule's name from its `::name::` label; empty for unnamed rules and scripts.
  std::string name;
  common::Position name_position;  ///< Where the name is written (when named).
  /// FNV-1a (64 bits) of the item's normalized source: the texts of its tokens (after
  /// the label) joined by single spaces, so comments and layout do not count. The
  /// engine keys unnamed rules by it and tells changed rules from unchanged ones
  /// (docs/eventscript.md#rule-names-and-identity).
  std::uint64_t source_hash = 0;
};

/// `hash` as 16 lowercase hex digits (how the engine sees CompiledItem::source_hash).
std::string hash_text(std::uint64_t hash);

struct CompileResult {
  std::vector<CompiledItem> items;      ///< Empty when the source has errors.
  common::DiagnosticList diagnostics;   ///< Errors of every phase, in order.
  [[nodiscard]] bool ok() const { return !diagnostics.has_errors(); }
};

/// Compiles `source`. On any error, `items` is empty and `diagnostics` says why.
CompileResult compile(std::string_view source, const CompileOptions& options = {});

/// Renders an item for people and golden files: a comment block (kind, line,
/// triggers, candidates, re-plan keys) followed by the Lua chunk.
std::string render_item(const CompiledItem& item, std::size_t index);

/// Formats every diagnostic of `result` in the spec §13.1 shape, with the source lines
/// made safe to print (lang/diagnostics.h).
std::string format_diagnostics(const CompileResult& result, std::string_view source,
                               std::string_view file);

}  // namespace er::lang
