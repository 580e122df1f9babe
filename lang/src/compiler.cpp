#include "lang/compiler.h"

#include <cstdio>
#include <utility>

#include "common/arena.h"
#include "common/interner.h"
#include "lang/codegen.h"
#include "lang/diagnostics.h"
#include "lang/parser.h"

namespace er::lang {

namespace {

// Everything one compile() call shares between its items.
struct CompileContext {
  std::string_view source;
  const CompileOptions& options;
  CompileResult& result;
  bool may_use_event = true;
  bool may_call_again = true;
  LuaWriter writer{1U << 16U};  // One buffer for every item.
};

CodegenOptions codegen_options(const CompileContext& context, const Chunk& chunk) {
  CodegenOptions options;
  options.source = context.source;
  options.item_text = chunk.text;
  options.embed_line_map = context.options.embed_line_map;
  options.header_comment = context.options.header_comment;
  options.trace_terms = context.options.trace_terms;
  options.may_use_event = context.may_use_event;
  return options;
}

void add_rule_fields(CompiledItem& item, RuleTriggers& triggers) {
  item.triggers = std::move(triggers.sources);
  item.candidates = std::move(triggers.candidates);
  item.replan = std::move(triggers.replan);
  item.has_dynamic_triggers = !triggers.dynamic_devices.empty() || !triggers.patterns.empty();
}

// Analyses and generates one item; nothing is added when it has errors.
void compile_chunk(CompileContext& context, const Chunk& chunk) {
  common::DiagnosticList& diagnostics = context.result.diagnostics;
  const std::size_t errors_before = diagnostics.error_count();
  CompiledItem item;
  item.location = chunk.location;
  item.source_text = std::string(chunk.text);
  item.name = std::string(chunk.name);
  item.name_position = chunk.name_position;
  item.source_hash = chunk.source_hash;
  const CodegenOptions options = codegen_options(context, chunk);
  GeneratedChunk generated;
  if (chunk.is_rule()) {
    const TriggerOptions trigger_options{context.options.trigger_variables, context.may_call_again};
    RuleTriggers triggers =
        analyze_triggers(*chunk.rule, context.source, trigger_options, diagnostics);
    generated = generate_rule(*chunk.rule, triggers, options, diagnostics, context.writer);
    item.kind = ItemKind::rule;
    add_rule_fields(item, triggers);
  } else {
    if (context.may_call_again) check_script_semantics(*chunk.script, diagnostics);
    generated = generate_script(*chunk.script, options, diagnostics, context.writer);
    item.kind = ItemKind::script;
  }
  if (diagnostics.error_count() != errors_before) return;
  item.lua = std::move(generated.lua);
  item.line_map = std::move(generated.line_map);
  item.positions = std::move(generated.positions);
  item.free_names = std::move(generated.free_names);
  item.assigned_names = std::move(generated.assigned_names);
  context.result.items.push_back(std::move(item));
}

// Finds ExprError/StatError nodes: a syntax error left the tree partial, and
// analysing it would only add follow-on errors. (Static errors such as "'@' is only
// allowed in a rule condition" leave a whole tree, which is still analysed, so that
// one definition can report several problems as spec §13.1 allows.)
class ErrorNodeFinder : public AstVisitor {
 public:
  bool visit_expr_error(ExprError*) override {
    found = true;
    return false;
  }
  bool visit_stat_error(StatError*) override {
    found = true;
    return false;
  }
  bool found = false;
};

// The parser's static (non-syntax) messages: after them the tree is whole.
constexpr std::string_view kStaticMessages[] = {
    "'@' is only allowed in a rule condition",
    "a rule may have only one '@@'",
    "interval must be positive",
    "'..' is the between operator",
    "cannot use '...' outside a vararg function",
    "'break' outside a loop",
    "duplicate modifier",
    "cannot assign into a field of persistent variable",
    "compound assignment to a device property",
    "expression cannot be used as a statement",
    "goto and labels are not supported",
    "rule name '",
};

bool is_static_message(std::string_view message) {
  for (const std::string_view prefix : kStaticMessages) {
    if (message.starts_with(prefix)) return true;
  }
  return message.find("are not supported yet") != std::string_view::npos;
}

bool has_syntax_error(const Chunk& chunk, const common::DiagnosticList& diagnostics) {
  for (const common::Diagnostic& d : diagnostics.items()) {
    const bool inside = d.position >= chunk.location.begin && d.position <= chunk.location.end;
    if (inside && !is_static_message(d.message)) return true;
  }
  ErrorNodeFinder finder;
  const_cast<Chunk&>(chunk).visit(finder);  // The finder only reads.
  return finder.found;
}

// True if the parser interned `name`, i.e. the source uses it as a name somewhere
// (interning it here adds it only when it was not there).
bool source_has_name(common::Interner& names, std::string_view name) {
  const std::size_t before = names.size();
  names.intern(name);
  return names.size() == before;
}

// The name of unnamed rule number n is RULE<n>, so a name of that form could mean two
// rules.
bool is_reserved_rule_name(std::string_view name) {
  if (name.size() <= 4 || !name.starts_with("RULE")) return false;
  for (const char c : name.substr(4)) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Static errors of rule names: RULE<n> is reserved; within one rules file each name is
// used once (the engine checks a whole home the same way).
void check_rule_names(const AstArray<Chunk*>& items, common::DiagnosticList& diagnostics) {
  std::vector<const Chunk*> named;
  for (const Chunk* chunk : items) {
    if (chunk->name.empty()) continue;
    const std::string name(chunk->name);
    if (is_reserved_rule_name(chunk->name)) {
      diagnostics.error(
          chunk->name_position,
          "rule name '" + name + "' is reserved: RULE<n> are the names of unnamed rules");
    }
    for (const Chunk* earlier : named) {
      if (earlier->name != chunk->name) continue;
      diagnostics.error(chunk->name_position,
                        "rule name '" + name + "' is used twice in this file (first at line " +
                            std::to_string(earlier->name_position.line) + ")");
      break;
    }
    named.push_back(chunk);
  }
}

ChunkMode chunk_mode(SourceKind kind) {
  return kind == SourceKind::rule ? ChunkMode::Rule : ChunkMode::Auto;
}

}  // namespace

namespace {

// "12.3 MiB", "8 MiB", or "1001 bytes" below 1 MiB.
std::string size_text(std::size_t bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20U;
  if (bytes < kMiB) return std::to_string(bytes) + " bytes";
  if (bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / static_cast<double>(kMiB));
  return text;
}

}  // namespace

std::string source_too_large_message(std::size_t size, std::size_t limit) {
  // Sizes that would round alike ("8.0 MiB" against "8 MiB") are given in bytes.
  const bool close = size - limit < (std::size_t{1} << 20U) / 10;
  const std::string size_part = close ? std::to_string(size) + " bytes" : size_text(size);
  const std::string limit_part = close ? std::to_string(limit) + " bytes" : size_text(limit);
  return "input is " + size_part + "; the limit is " + limit_part +
         " (split the rules into several files)";
}

CompileResult compile(std::string_view source, const CompileOptions& options) {
  CompileResult result{{}, common::DiagnosticList(common::DiagnosticOptions{options.max_errors})};
  if (source.size() > options.max_source_bytes) {
    result.diagnostics.error(common::Position{1, 1},
                             source_too_large_message(source.size(), options.max_source_bytes));
    return result;
  }
  common::Arena arena;
  common::Interner names;
  ParseOptions parse_options;
  parse_options.file = options.file;
  parse_options.mode = chunk_mode(options.kind);
  CompileContext context{source, options, result, true, true, LuaWriter(1U << 16U)};
  if (options.kind == SourceKind::rules_file) {
    const FileParseResult parsed = parse_file(source, arena, names, result.diagnostics, parse_options);
    context.may_use_event = source_has_name(names, "event");
    context.may_call_again = source_has_name(names, "again");
    check_rule_names(parsed.file->items, result.diagnostics);
    // Items with syntax errors are skipped; the others are still checked.
    result.items.reserve(parsed.file->items.size);
    for (const Chunk* chunk : parsed.file->items) {
      if (chunk->rule == nullptr && chunk->script == nullptr) continue;
      if (!parsed.ok() && has_syntax_error(*chunk, result.diagnostics)) continue;
      compile_chunk(context, *chunk);
    }
  } else {
    const ParseResult parsed = parse(source, arena, names, result.diagnostics, parse_options);
    context.may_use_event = source_has_name(names, "event");
    context.may_call_again = source_has_name(names, "again");
    Chunk* single[] = {parsed.chunk};
    check_rule_names(AstArray<Chunk*>{single, 1}, result.diagnostics);
    if (parsed.ok() || !has_syntax_error(*parsed.chunk, result.diagnostics)) {
      compile_chunk(context, *parsed.chunk);
    }
  }
  if (result.diagnostics.has_errors()) result.items.clear();
  return result;
}

std::string render_item(const CompiledItem& item, std::size_t index) {
  std::string out = "-- item " + std::to_string(index) + ": ";
  out += item.kind == ItemKind::rule ? "rule" : "script";
  out += " at line " + std::to_string(item.location.begin.line) + "\n";
  if (!item.name.empty()) out += "-- name " + item.name + "\n";
  for (const TriggerDescriptor& trigger : item.triggers) {
    out += "-- trigger ";
    out += trigger_kind_name(trigger.kind);
    out += ' ' + trigger.key + " @" + std::to_string(trigger.position.line) + ':' +
           std::to_string(trigger.position.column) + '\n';
  }
  for (const std::string& name : item.candidates) out += "-- candidate variable " + name + '\n';
  for (const std::string& key : item.replan) out += "-- replan " + key + '\n';
  if (item.has_dynamic_triggers) out += "-- trigger_fn: evaluated at definition\n";
  out += item.lua;
  return out;
}

std::string hash_text(std::uint64_t hash) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i) {
    text[static_cast<std::size_t>(i)] = kDigits[hash & 0xfU];
    hash >>= 4U;
  }
  return text;
}

std::string format_diagnostics(const CompileResult& result, std::string_view source,
                               std::string_view file) {
  std::string out;
  for (const common::Diagnostic& diagnostic : result.diagnostics.items()) {
    out += render_diagnostic(file, source, diagnostic);
  }
  return out;
}

}  // namespace er::lang
