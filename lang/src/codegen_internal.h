#pragma once
// The code generator's private state, shared by codegen_expr.cpp (expressions),
// codegen_stat.cpp (statements) and codegen_rule.cpp (chunk and descriptor layout).
// Names the generated code introduces all start with "__" (__R, __env, __t, ...);
// user names that start with "__" or hold non-ASCII bytes are rewritten, so the two
// can never collide (docs/runtime-interface.md §2.3).

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/diagnostic.h"
#include "lang/ast.h"
#include "lang/codegen.h"
#include "lang/lua_writer.h"
#include "lang/triggers.h"

namespace er::lang::detail {

/// How a name in scope is read.
enum class LocalKind : std::uint8_t {
  lua_local,  ///< An ordinary Lua local.
  capture,    ///< A pattern capture inside the condition: read as __env.cap.<name>.
};

struct Local {
  std::string_view name;
  LocalKind kind = LocalKind::lua_local;
};

/// Where the expression being generated is (it changes what some constructs mean).
enum class Context : std::uint8_t {
  condition,   ///< A rule condition: patterns match, '@'/'@@' read the run's timer.
  definition,  ///< Evaluated at definition (trigger_fn, '@' operands, edges).
  body,        ///< Actions, scripts and function bodies.
};

/// One access the engine checks at definition (spec §10.9; the descriptor field
/// `checks`, docs/runtime-interface.md §5.7).
struct DeviceCheck {
  const Expr* access = nullptr;  ///< The ExprProperty (get or set) or ExprMethodCall.
  const Expr* object = nullptr;  ///< X, written as the access's own code evaluates it.
  std::string_view name;         ///< The property or method name.
  common::Position name_at;      ///< Where the name is written: the access's p.
  std::string_view mode;         ///< "get", "set" or "call".
  /// An action's access whose X is a global name: checked by name, and only warned
  /// about (the name may name another device when the action runs).
  bool by_name = false;
};

/// The accesses of `rule` whose X the engine can evaluate at definition, in source
/// order: those of the condition and modifier operands whose X is free of side
/// effects, and those of the action whose X is a literal (codegen_checks.cpp).
std::vector<DeviceCheck> collect_device_checks(const Rule& rule, const RuleTriggers& triggers);

/// True when the rule's action cannot suspend: it calls no function or method (the
/// runtime's property, variable and operator helpers aside), runs no generic `for`
/// (whose iterator is a call) and has no `debounce` wait (codegen_suspend.cpp).
bool action_never_suspends(const Rule& rule);

/// True when a whole run of the rule (condition, modifier operands and action) is
/// straight-line code: it never suspends, calls nothing and has no loop, so it ends
/// without needing the instruction budget (codegen_suspend.cpp).
bool run_is_bounded(const Rule& rule);

/// What a term of a traced condition is (docs/traces.md): the runtime's explanation of a
/// false condition walks this tree. Keep in sync with kTermKindNames (codegen_terms.cpp).
enum class TermKind : std::uint8_t {
  all,       ///< `a & b`: false when one part is (not reported at run time).
  any,       ///< `a | b`: false when every part is (not reported at run time).
  test,      ///< A leaf: any other expression, reported with its value.
  read,      ///< A device property or `$global` read inside a test.
  true_for,  ///< trueFor(t, c): c is its child.
  once,      ///< once(c): c is its child.
  since,     ///< The `since` modifier: the condition is its child.
  cooldown,  ///< The `cooldown` modifier's gate.
  every,     ///< The `every` modifier's gate.
  first_in,  ///< The `first_in` modifier's gate.
};

/// One term of a rule's condition; ids are 1-based indexes into Codegen::terms_.
struct TermNode {
  TermKind kind = TermKind::test;
  int parent = 0;  ///< 0: the top level, an implicit `&` of its terms.
  common::Location location;
  int depth = 1;   ///< Terms above it, plus one.
};

/// The local-count state of the enclosing Lua function, saved while a nested one is
/// generated.
struct FunctionScope {
  std::size_t base = 0;
  bool reported = false;
};

class Codegen {
 public:
  /// `writer` must be empty; it may be reused for the next chunk after finish().
  Codegen(const CodegenOptions& options, common::DiagnosticList& diagnostics, LuaWriter& writer);

  // Chunk layout (codegen_rule.cpp).
  void rule_chunk(const Rule& rule, const RuleTriggers& triggers);
  void script_chunk(const StatBlock& script);
  GeneratedChunk finish();

  // Expressions (codegen_expr.cpp). expr() reports a traced term's value around its code.
  void expr(const Expr* e);
  void expr_node(const Expr* e);
  void operand(const Expr* e, int parent_precedence, bool right_side);
  void prefix_expr(const Expr* e);
  void expr_list(AstArray<Expr*> exprs);
  void function_body(AstArray<Binding> params, bool vararg, bool has_self, const StatBlock* body);
  /// `(self, a, b, ...)`: declares the parameters in the function's scope.
  void parameter_list(AstArray<Binding> params, bool vararg, bool has_self);
  void name_read(const ExprName& name);
  void local_name(std::string_view name);
  void field_name(std::string_view name);
  int position(common::Position at);
  void position_arg(common::Position at);
  int access_position(const Expr* access, common::Position at);

  // Statements (codegen_stat.cpp).
  void block(const StatBlock* block);
  void statements(AstArray<Stat*> body, bool script_top_level);
  void stat(const Stat* s, bool value_wanted);

  // Scopes.
  /// Declares a name in scope (`at`: where the source declares it, for the limit error).
  void push_local(std::string_view name, LocalKind kind = LocalKind::lua_local, common::Position at = {});
  void push_local_at(std::string_view name, common::Position at) { push_local(name, LocalKind::lua_local, at); }
  /// Records a read (or, with `call`, a call) of a global.
  void note_global_read(std::string_view name, common::Position at, bool call);
  /// Records an assignment to a global.
  void note_global_assigned(std::string_view name, common::Position at);
  /// Counts `count` locals Lua declares without a name of ours (a for loop's state).
  void push_hidden_locals(int count, common::Position at);
  /// Starts the scope of a new Lua function; returns what end_function_scope() needs.
  [[nodiscard]] FunctionScope begin_function_scope();
  void end_function_scope(FunctionScope saved);
  [[nodiscard]] const Local* find_local(std::string_view name) const;
  [[nodiscard]] std::size_t scope_mark() const { return locals_.size(); }
  void pop_scope(std::size_t mark) {
    locals_.resize(mark);
    w_.set_active_locals(active_locals());
  }
  [[nodiscard]] std::uint32_t active_locals() const {
    return static_cast<std::uint32_t>(locals_.size() - std::min(function_base_, locals_.size()));
  }

 private:
  // Expression helpers.
  bool rule_env_field(const ExprField& f);
  void binary(const ExprBinary& b);
  void arithmetic(const ExprBinary& b, std::string_view op, int precedence);
  void comparison(const ExprBinary& b, std::string_view op);
  void concat_chain(const ExprBinary& b);
  void concat_piece(const Expr* e);
  void coalesce(const ExprBinary& b);
  void coalesce_chain(const ExprBinary& b);
  void binary_helper(const ExprBinary& b, std::string_view function);
  void unary(const ExprUnary& u);
  void schedule(const ExprSchedule& s);
  void call(const ExprCall& c);
  bool special_call(const ExprCall& c);
  [[nodiscard]] bool special_call_name(const ExprCall& c) const;
  void guard_paren_start(const Expr* statement_start);
  void method_call(const ExprMethodCall& m);
  void property(const ExprProperty& p);
  void access_call_open(std::string_view function, const Expr* access, const Expr* object,
                        std::string_view name, common::Position name_at);
  void table(const ExprTable& t);
  void table_fields(const ExprTable& t);
  void event_literal(const ExprEvent& e);
  void date(const ExprDate& d);
  void comprehension(const ExprComprehension& c);
  void lambda(const ExprLambda& l);
  void pattern_match(const Expr& node);
  void iife_open();
  void iife_close();
  void runtime_call(std::string_view function);
  void env_arg();

  // Statement helpers.
  void assign(const StatAssign& s, bool value_wanted);
  void assign_to(const Expr* target, const Expr* value, std::string_view temp);
  void assign_value_target(const Expr* target, std::string_view temp);
  bool native_target(const Expr* target) const;
  void compound(const StatCompoundAssign& s, bool value_wanted);
  void compound_value(const Expr* current, const StatCompoundAssign& s);
  void call_stat(const StatCall& s, bool value_wanted);
  void local_stat(const StatLocal& s);
  void if_stat(AstArray<ConditionalClause> clauses, const StatBlock* else_body);
  void numeric_for(const StatNumericFor& s);
  void generic_for(const StatGenericFor& s);
  void function_stat(const StatFunction& s);
  void return_stat(const StatReturn& s);
  void simple_blocks(const Stat* s);

  // Chunk helpers (codegen_rule.cpp).
  void chunk_header(std::string_view kind);
  void field_open(std::string_view name);
  void field_close();
  void condition_function(const Rule& rule);
  void condition_expr(const Rule& rule, bool traced);
  // Traced conditions (codegen_terms.cpp).
  void collect_terms(const Rule& rule);
  void term_tree(const Expr* e, int parent);
  void term_reads(const Expr* e, int parent, bool leaf);
  int add_term(TermKind kind, int parent, common::Location location);
  [[nodiscard]] bool traced_condition_fits() const;
  void traced_condition_function(const Rule& rule);
  void terms_function();
  void traced_tail(const Rule& rule, int occurrences, int modifiers);
  void term_open(int id);
  void action_function(const Rule& rule);
  void trigger_function();
  void checks_function();
  void daily_functions();
  void edge_functions();
  void interval_field();
  void string_list_field(std::string_view name, const std::vector<std::string>& values);
  void static_fields();
  void true_field(std::string_view name);
  void list_field_open(std::string_view name);
  void list_field_close();
  void env_function_open(bool vararg);
  void definition_function_open();
  void definition_function_close();
  void definition_value_function(const Expr* value);
  void run_locals_preamble(bool captures_as_locals);

  class ContextScope;
  class LuaFunctionScope;

  const CodegenOptions& options_;
  common::DiagnosticList& diagnostics_;
  LuaWriter& w_;
  std::vector<common::Position> positions_;
  std::vector<Local> locals_;
  std::vector<const Expr*> concat_pieces_;  // concat_chain()'s stack.
  std::vector<NameUse> free_names_;
  std::vector<NameUse> assigned_names_;
  // The names already in free_names_ (read, called) and assigned_names_. The views are
  // of interned names, valid for the whole compile.
  std::unordered_set<std::string_view> read_names_;
  std::unordered_set<std::string_view> called_names_;
  std::unordered_set<std::string_view> assigned_names_seen_;
  const ExprName* callee_ = nullptr;  // The name being written as a call's function.
  // Lua allows 200 active locals per function (MAXVARS in lparser.c); the compiler
  // counts them and reports the excess at the EventScript declaration.
  std::size_t function_base_ = 0;   // locals_ index where the current Lua function starts.
  bool locals_reported_ = false;    // The current function's excess is reported.
  const RuleTriggers* triggers_ = nullptr;
  std::vector<DeviceCheck> checks_;
  // The position index of each checked access, 0 until its code is first written:
  // the access's runtime call and its check share one p, wherever each is written.
  std::unordered_map<const Expr*, int> check_positions_;
  Context context_ = Context::body;
  bool vararg_function_ = false;   // The innermost enclosing function takes '...'.
  int temp_counter_ = 0;           // Numbers temporaries (__t1, __t2, ...).
  int occurrence_counter_ = 0;     // Numbers trueFor/once occurrences (their state key).
  int modifier_counter_ = 0;       // Numbers cooldown/every/first_in states.
  bool binds_event_ = true;        // Generated functions bind the run local `event`.
  // Traced conditions: the term tree, the id of each wrapped expression, the ids of
  // the since and gate modifiers (by modifier index, 0 when none), and whether
  // expr() wraps terms now (only while the traced condition is written).
  std::vector<TermNode> terms_;
  std::unordered_map<const Expr*, int> term_ids_;
  std::vector<int> modifier_term_ids_;
  bool tracing_ = false;
};

// Generates in `context` until the end of the C++ scope, then restores the previous
// one; also ends the names declared meanwhile (each descriptor function has its own).
class Codegen::ContextScope {
 public:
  ContextScope(Codegen& gen, Context context)
      : gen_(gen), saved_(gen.context_), mark_(gen.scope_mark()) {
    gen.context_ = context;
  }
  ~ContextScope() {
    gen_.pop_scope(mark_);
    gen_.context_ = saved_;
  }
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  Codegen& gen_;
  Context saved_;
  std::size_t mark_;
};

// Generates a nested Lua function until the end of the C++ scope: the function counts
// its own locals, takes '...' only when `vararg`, and its code is a body; then ends
// its names and restores the enclosing function's state.
class Codegen::LuaFunctionScope {
 public:
  LuaFunctionScope(Codegen& gen, bool vararg)
      : gen_(gen),
        mark_(gen.scope_mark()),
        saved_scope_(gen.begin_function_scope()),
        saved_vararg_(gen.vararg_function_),
        saved_context_(gen.context_) {
    gen.vararg_function_ = vararg;
    gen.context_ = Context::body;
  }
  ~LuaFunctionScope() {
    gen_.pop_scope(mark_);
    gen_.end_function_scope(saved_scope_);
    gen_.vararg_function_ = saved_vararg_;
    gen_.context_ = saved_context_;
  }
  LuaFunctionScope(const LuaFunctionScope&) = delete;
  LuaFunctionScope& operator=(const LuaFunctionScope&) = delete;

 private:
  Codegen& gen_;
  std::size_t mark_;
  FunctionScope saved_scope_;
  bool saved_vararg_;
  Context saved_context_;
};

/// Lua's limit on active local variables in one function (MAXVARS, lparser.c).
inline constexpr std::size_t kMaxLuaLocals = 200;

/// The deepest generated code the compiler lets through, as lua_meter.h
/// measures it. Lua stops at 200 C levels (LUAI_MAXCCALLS) and its own chunk and
/// function structure takes some; lang_lua_limits_test checks the margin.
inline constexpr std::uint32_t kMaxLuaNesting = 180;

/// The most registers the compiler lets a function need, as lua_meter.h
/// estimates it; Lua's limit is 255 (MAXREGS in lcode.c).
inline constexpr std::uint32_t kMaxLuaRegisters = 250;

/// Lua binary operator precedence (lparser.c), used to place parentheses.
inline constexpr int kPrecOr = 1;
inline constexpr int kPrecAnd = 2;
inline constexpr int kPrecCompare = 3;
inline constexpr int kPrecConcat = 9;
inline constexpr int kPrecAdd = 10;
inline constexpr int kPrecMul = 11;
inline constexpr int kPrecUnary = 12;
inline constexpr int kPrecPow = 14;
inline constexpr int kPrecAtom = 100;

/// The Lua precedence of the code generated for `e` (kPrecAtom for calls, names, ...).
int lua_precedence(const Expr* e);

/// True if `name` can be written as a Lua name unchanged.
bool is_plain_lua_name(std::string_view name);

/// True for number and time literals and arithmetic on them only (Lua folds those).
bool is_numeric_literal(const Expr* e);

/// True for expressions that may produce several values (calls and '...').
bool is_multi_value(const Expr* e);

}  // namespace er::lang::detail
