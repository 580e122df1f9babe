// AST-READY
#pragma once
// The EventScript syntax tree (spec §2). One node type per construct, each with a
// source Location. Nodes live in a common::Arena and are trivially destructible: child
// lists are AstArray views into the arena, names are interned common::Name values and
// text is a string_view into the source or the arena. Nothing here owns memory.
//
// Categories: Expr (expressions), Stat (statements), plus Rule and Chunk at the top.
// `node->is<ExprCall>()` / `node->as<ExprCall>()` test and cast without RTTI
// (`node->cast<ExprCall>()` when the kind is known); an
// AstVisitor walks a tree (its bool results control descent).

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "common/interner.h"
#include "common/location.h"

namespace er::lang {

using common::Location;
using common::Name;
using common::Position;

/// A read-only pointer+size view of arena memory (Luau's AstArray).
template <typename T>
struct AstArray {
  T* data = nullptr;
  std::size_t size = 0;

  [[nodiscard]] T* begin() const { return data; }
  [[nodiscard]] T* end() const { return data + size; }
  [[nodiscard]] bool empty() const { return size == 0; }
  [[nodiscard]] T& operator[](std::size_t index) const { return data[index]; }
};

// Every concrete node kind. Category ranges are used by is<Expr>() / is<Stat>(), so
// keep the expression kinds between ExprFirst/ExprLast and the statements between
// StatFirst/StatLast ("ORDER NODEKIND": keep ast.cpp's name table in sync).
enum class NodeKind : std::uint8_t {
  // Expressions.
  ExprNil,
  ExprBool,
  ExprNumber,
  ExprString,
  ExprTime,
  ExprDate,
  ExprVararg,
  ExprEvent,
  ExprPersistent,
  ExprName,
  ExprParen,
  ExprTable,
  ExprComprehension,
  ExprFunction,
  ExprLambda,
  ExprBinary,
  ExprUnary,
  ExprSchedule,
  ExprIndex,
  ExprField,
  ExprCall,
  ExprMethodCall,
  ExprProperty,
  ExprError,
  // Statements.
  StatBlock,
  StatLocal,
  StatAssign,
  StatCompoundAssign,
  StatCall,
  StatPropertyGet,
  StatDo,
  StatWhile,
  StatRepeat,
  StatIf,
  StatCase,
  StatNumericFor,
  StatGenericFor,
  StatFunction,
  StatLocalFunction,
  StatReturn,
  StatBreak,
  StatError,
  // Top level.
  Rule,
  Chunk,
  SourceFile,

  ExprFirst = ExprNil,
  ExprLast = ExprError,
  StatFirst = StatBlock,
  StatLast = StatError,
};

/// The node kind's name as used in AST dumps ("ExprCall").
std::string_view node_kind_name(NodeKind kind);

/// The text of `source` between a location's begin and end (for example a rule
/// condition as written, for "Rule has no triggers: <condition text>"). Positions count
/// characters, as everywhere; a location outside the source gives an empty view.
std::string_view location_text(std::string_view source, Location location);

class AstVisitor;

/// Base of every node. Not polymorphic (no virtual functions), so that nodes stay
/// trivially destructible; dispatch goes through `kind`.
struct AstNode {
  NodeKind kind;
  Location location;

  AstNode(NodeKind node_kind, Location node_location) : kind(node_kind), location(node_location) {}
  static constexpr bool classof(NodeKind) { return true; }

  /// True if this node is a T (a concrete type or a category such as Expr).
  template <typename T>
  [[nodiscard]] bool is() const {
    return T::classof(kind);
  }
  template <typename T>
  [[nodiscard]] T* as() {
    return is<T>() ? static_cast<T*>(this) : nullptr;
  }
  template <typename T>
  [[nodiscard]] const T* as() const {
    return is<T>() ? static_cast<const T*>(this) : nullptr;
  }
  /// The node as a T, for code that already knows it is one (it switched on `kind`);
  /// checked only by assert (Luau's `as<T>`, unchecked like LLVM's `cast<T>`).
  template <typename T>
  [[nodiscard]] T* cast() {
    assert(is<T>());
    return static_cast<T*>(this);
  }
  template <typename T>
  [[nodiscard]] const T* cast() const {
    assert(is<T>());
    return static_cast<const T*>(this);
  }

  /// Calls the visitor's method for this node and, if it returns true, visits the
  /// children in source order.
  void visit(AstVisitor& visitor);
};

/// Category base of expressions.
struct Expr : AstNode {
  using AstNode::AstNode;
  static constexpr bool classof(NodeKind k) { return k >= NodeKind::ExprFirst && k <= NodeKind::ExprLast; }
};

/// Category base of statements.
struct Stat : AstNode {
  using AstNode::AstNode;
  static constexpr bool classof(NodeKind k) { return k >= NodeKind::StatFirst && k <= NodeKind::StatLast; }
};

// Declares the kind constant and classof() of a concrete node type.
#define ER_AST_NODE(Type)                                      \
  static constexpr NodeKind kKind = NodeKind::Type;            \
  static constexpr bool classof(NodeKind k) { return k == kKind; }

/// A declared name: a parameter, a local, a loop variable or a comprehension name.
/// Passes may key their own tables by the Binding's address (it is stable).
struct Binding {
  Name name;
  Location location;
};

// ---------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------

/// nil
struct ExprNil : Expr {
  ER_AST_NODE(ExprNil)
  explicit ExprNil(Location at) : Expr(kKind, at) {}
};

/// true / false
struct ExprBool : Expr {
  ER_AST_NODE(ExprBool)
  ExprBool(Location at, bool v) : Expr(kKind, at), value(v) {}
  bool value;
};

/// A numeral (spec §1.3), kept both as written and as its Lua 5.4 value. Decimal
/// integers that overflow become floats; hex integers wrap around (as Lua).
struct ExprNumber : Expr {
  ER_AST_NODE(ExprNumber)
  ExprNumber(Location at, std::string_view text) : Expr(kKind, at), lexeme(text) {}
  std::string_view lexeme;      ///< The source text ("0xff", "1e3").
  bool is_integer = false;      ///< Lua subtype: integer (use `integer`) or float (`number`).
  std::int64_t integer = 0;
  double number = 0.0;
};

/// A string literal; `value` is decoded (escapes applied, long-string newline dropped).
struct ExprString : Expr {
  ER_AST_NODE(ExprString)
  ExprString(Location at, std::string_view text, std::string_view decoded)
      : Expr(kKind, at), lexeme(text), value(decoded) {}
  std::string_view lexeme;  ///< Source text including quotes or long brackets.
  std::string_view value;   ///< Arena memory (or a view into the source when unchanged).
};

/// HH:MM or HH:MM:SS (spec §1.5): a short time in seconds.
struct ExprTime : Expr {
  ER_AST_NODE(ExprTime)
  ExprTime(Location at, std::string_view text, std::int64_t s)
      : Expr(kKind, at), lexeme(text), seconds(s) {}
  std::string_view lexeme;
  std::int64_t seconds;  ///< H*3600 + M*60 + S.
};

/// A date literal (spec §1.6): YYYY/MM/DD[/HH:MM[:SS]] or /MM/DD[/HH:MM[:SS]]. It is
/// converted to epoch seconds at run time (§9.3; year-less forms use the current year).
struct ExprDate : Expr {
  ER_AST_NODE(ExprDate)
  ExprDate(Location at, std::string_view text) : Expr(kKind, at), lexeme(text) {}
  std::string_view lexeme;
  bool has_year = false;       ///< False for the /MM/DD forms.
  std::int32_t year = 0;       ///< Valid when has_year.
  std::int32_t month = 1;      ///< 1-12.
  std::int32_t day = 1;        ///< 0-31 (0 and overflow roll over at conversion).
  bool has_time = false;       ///< False: local midnight.
  bool has_seconds = false;    ///< The time part was written HH:MM:SS.
  std::int64_t time_of_day = 0;  ///< Seconds after midnight, when has_time.
};

/// ...
struct ExprVararg : Expr {
  ER_AST_NODE(ExprVararg)
  explicit ExprVararg(Location at) : Expr(kKind, at) {}
};

/// Forward declaration for ExprEvent's fields.
struct ExprTable;

/// #name or #name{fields} (spec §3.10); `fields` is null for the bare form.
struct ExprEvent : Expr {
  ER_AST_NODE(ExprEvent)
  ExprEvent(Location at, Name n, ExprTable* f) : Expr(kKind, at), name(n), fields(f) {}
  Name name;          ///< Without '#'.
  ExprTable* fields;  ///< May be null.
};

/// $name, a persistent variable (spec §5.3).
struct ExprPersistent : Expr {
  ER_AST_NODE(ExprPersistent)
  ExprPersistent(Location at, Name n) : Expr(kKind, at), name(n) {}
  Name name;  ///< Without '$'.
};

/// A name (local, EventScript global, Lua global: resolved by later passes).
struct ExprName : Expr {
  ER_AST_NODE(ExprName)
  ExprName(Location at, Name n) : Expr(kKind, at), name(n) {}
  Name name;
};

/// ( exp ): truncates multiple values to one, as in Lua.
struct ExprParen : Expr {
  ER_AST_NODE(ExprParen)
  ExprParen(Location at, Expr* e) : Expr(kKind, at), inner(e) {}
  Expr* inner;
};

enum class TableFieldKind : std::uint8_t {
  Positional,  ///< exp
  Named,       ///< name = exp
  Keyed,       ///< [exp] = exp
};

/// One field of a table constructor.
struct TableField {
  TableFieldKind kind = TableFieldKind::Positional;
  Location location;
  Name name;             ///< Named fields only.
  Expr* key = nullptr;   ///< Keyed fields only.
  Expr* value = nullptr;
};

/// { fields }
struct ExprTable : Expr {
  ER_AST_NODE(ExprTable)
  ExprTable(Location at, AstArray<TableField> f) : Expr(kKind, at), fields(f) {}
  AstArray<TableField> fields;
};

/// [ element for names in source if filter ] (spec §3.9).
struct ExprComprehension : Expr {
  ER_AST_NODE(ExprComprehension)
  ExprComprehension(Location at, Expr* e, AstArray<Binding> n, Expr* s, Expr* f)
      : Expr(kKind, at), element(e), names(n), source(s), filter(f) {}
  Expr* element;
  AstArray<Binding> names;  ///< One (value) or two (key, value) names.
  Expr* source;
  Expr* filter;             ///< May be null.
};

struct StatBlock;

/// function (params) body end. Also the value of function statements; for methods
/// (`function a.b:m()`) `has_self` is true and `self` is the implicit first parameter,
/// not listed in `params`.
struct ExprFunction : Expr {
  ER_AST_NODE(ExprFunction)
  ExprFunction(Location at, AstArray<Binding> p, bool vararg, StatBlock* b)
      : Expr(kKind, at), params(p), is_vararg(vararg), body(b) {}
  AstArray<Binding> params;
  bool is_vararg;
  bool has_self = false;
  Location vararg_location;  ///< Where '...' is in the parameter list, when is_vararg.
  StatBlock* body;
  Name debug_name;           ///< "a.b:m" for function statements, else empty.
};

/// x -> exp, (a, b) -> exp, () -> exp (spec §3.8).
struct ExprLambda : Expr {
  ER_AST_NODE(ExprLambda)
  ExprLambda(Location at, AstArray<Binding> p, bool paren, Expr* b)
      : Expr(kKind, at), params(p), parenthesized(paren), body(b) {}
  AstArray<Binding> params;
  bool parenthesized;  ///< Written with '(' ')' (always true for zero parameters).
  Expr* body;
};

// Binary operators in precedence order, loosest first (spec §3.1). Equivalent
// spellings share one operator: '|'/'or', '&'/'and', '~='/'!='.
enum class BinaryOp : std::uint8_t {
  Or,            ///< | or
  And,           ///< & and
  Coalesce,      ///< ??
  Equal,         ///< ==
  NotEqual,      ///< ~= !=
  Match,         ///< === (string match, ER6's operator)
  Less,          ///< <
  LessEqual,     ///< <=
  Greater,       ///< >
  GreaterEqual,  ///< >=
  Between,       ///< ..  (spec §3.5)
  Concat,        ///< ++  (spec §3.4)
  Add,           ///< +
  Sub,           ///< -
  Mul,           ///< *
  Div,           ///< /
  IntDiv,        ///< //
  Mod,           ///< %
  Pow,           ///< ^
};

/// The canonical EventScript spelling ("|", "&", "~=", "..", "++").
std::string_view binary_op_spelling(BinaryOp op);
/// True for == ~= === < <= > >=.
bool is_comparison(BinaryOp op);

/// left op right
struct ExprBinary : Expr {
  ER_AST_NODE(ExprBinary)
  ExprBinary(Location at, BinaryOp o, Location op_at, Expr* l, Expr* r)
      : Expr(kKind, at), op(o), op_location(op_at), left(l), right(r) {}
  BinaryOp op;
  Location op_location;  ///< The operator token (runtime errors point at it).
  Expr* left;
  Expr* right;
};

enum class UnaryOp : std::uint8_t {
  Minus,    ///< -
  Not,      ///< ! not
  Today,    ///< t/  (spec §9.4)
  Next,     ///< n/
  FromNow,  ///< +/
};

/// The canonical spelling ("-", "!", "t/", "n/", "+/").
std::string_view unary_op_spelling(UnaryOp op);

/// op operand
struct ExprUnary : Expr {
  ER_AST_NODE(ExprUnary)
  ExprUnary(Location at, UnaryOp o, Location op_at, Expr* e)
      : Expr(kKind, at), op(o), op_location(op_at), operand(e) {}
  UnaryOp op;
  Location op_location;
  Expr* operand;
};

enum class ScheduleKind : std::uint8_t {
  Daily,            ///< @t     (spec §7.5)
  Interval,         ///< @@t    (spec §7.6)
  AlignedInterval,  ///< @@-t
};

/// "@", "@@" or "@@-".
std::string_view schedule_spelling(ScheduleKind kind);

/// @ / @@ / @@- applied to an additive expression (only valid in a rule condition).
struct ExprSchedule : Expr {
  ER_AST_NODE(ExprSchedule)
  ExprSchedule(Location at, ScheduleKind k, Location op_at, Expr* e)
      : Expr(kKind, at), schedule(k), op_location(op_at), operand(e) {}
  ScheduleKind schedule;
  Location op_location;
  Expr* operand;
};

/// object[key]
struct ExprIndex : Expr {
  ER_AST_NODE(ExprIndex)
  ExprIndex(Location at, Expr* o, Expr* k) : Expr(kKind, at), object(o), key(k) {}
  Expr* object;
  Expr* key;
};

/// object.name
struct ExprField : Expr {
  ER_AST_NODE(ExprField)
  ExprField(Location at, Expr* o, Name n, Location n_at)
      : Expr(kKind, at), object(o), name(n), name_location(n_at) {}
  Expr* object;
  Name name;
  Location name_location;
};

/// function(args), function{table}, function"string"
struct ExprCall : Expr {
  ER_AST_NODE(ExprCall)
  ExprCall(Location at, Expr* f, AstArray<Expr*> a) : Expr(kKind, at), function(f), args(a) {}
  Expr* function;
  AstArray<Expr*> args;
};

/// object:method(args) (spec §10.8).
struct ExprMethodCall : Expr {
  ER_AST_NODE(ExprMethodCall)
  ExprMethodCall(Location at, Expr* o, Name m, Location m_at, AstArray<Expr*> a)
      : Expr(kKind, at), object(o), method(m), method_location(m_at), args(a) {}
  Expr* object;
  Name method;
  Location method_location;
  AstArray<Expr*> args;
};

/// object:name without arguments: a property get (or, as an assignment target, a
/// property set) (spec §3.7, §10).
struct ExprProperty : Expr {
  ER_AST_NODE(ExprProperty)
  ExprProperty(Location at, Expr* o, Name n, Location n_at)
      : Expr(kKind, at), object(o), name(n), name_location(n_at) {}
  Expr* object;
  Name name;
  Location name_location;
};

/// Stands for an expression that could not be parsed (a diagnostic was reported);
/// `parts` keeps whatever sub-expressions were parsed.
struct ExprError : Expr {
  ER_AST_NODE(ExprError)
  ExprError(Location at, AstArray<Expr*> p) : Expr(kKind, at), parts(p) {}
  AstArray<Expr*> parts;
};

// ---------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------

/// A block: a sequence of statements (a `return` can only be last).
struct StatBlock : Stat {
  ER_AST_NODE(StatBlock)
  StatBlock(Location at, AstArray<Stat*> b) : Stat(kKind, at), body(b) {}
  AstArray<Stat*> body;
};

/// local names [= values]
struct StatLocal : Stat {
  ER_AST_NODE(StatLocal)
  StatLocal(Location at, AstArray<Binding> n, AstArray<Expr*> v) : Stat(kKind, at), names(n), values(v) {}
  AstArray<Binding> names;
  AstArray<Expr*> values;  ///< Empty when there is no '='.
};

/// targets = values. Targets are ExprName, ExprPersistent, ExprIndex, ExprField or
/// ExprProperty (a device property set).
struct StatAssign : Stat {
  ER_AST_NODE(StatAssign)
  StatAssign(Location at, AstArray<Expr*> t, AstArray<Expr*> v) : Stat(kKind, at), targets(t), values(v) {}
  AstArray<Expr*> targets;
  AstArray<Expr*> values;
};

/// target op= value, op one of Add Sub Mul Div Mod (spec §4.1).
struct StatCompoundAssign : Stat {
  ER_AST_NODE(StatCompoundAssign)
  StatCompoundAssign(Location at, BinaryOp o, Location op_at, Expr* t, Expr* v)
      : Stat(kKind, at), op(o), op_location(op_at), target(t), value(v) {}
  BinaryOp op;
  Location op_location;
  Expr* target;
  Expr* value;
};

/// A call or method call used as a statement; `call` is an ExprCall or ExprMethodCall.
struct StatCall : Stat {
  ER_AST_NODE(StatCall)
  StatCall(Location at, Expr* c) : Stat(kKind, at), call(c) {}
  Expr* call;
};

/// A property get used as a statement (`55:on`, which runs the action).
struct StatPropertyGet : Stat {
  ER_AST_NODE(StatPropertyGet)
  StatPropertyGet(Location at, ExprProperty* p) : Stat(kKind, at), property(p) {}
  ExprProperty* property;
};

/// do body end
struct StatDo : Stat {
  ER_AST_NODE(StatDo)
  StatDo(Location at, StatBlock* b) : Stat(kKind, at), body(b) {}
  StatBlock* body;
};

/// while condition do body end
struct StatWhile : Stat {
  ER_AST_NODE(StatWhile)
  StatWhile(Location at, Expr* c, StatBlock* b) : Stat(kKind, at), condition(c), body(b) {}
  Expr* condition;
  StatBlock* body;
};

/// repeat body until condition (the condition sees the body's locals).
struct StatRepeat : Stat {
  ER_AST_NODE(StatRepeat)
  StatRepeat(Location at, StatBlock* b, Expr* c) : Stat(kKind, at), body(b), condition(c) {}
  StatBlock* body;
  Expr* condition;
};

/// One `if`/`elseif` arm, or one `case` arm (|| condition >> body).
struct ConditionalClause {
  Location location;  ///< From the 'if'/'elseif'/'||' token to the end of the body.
  Expr* condition = nullptr;
  StatBlock* body = nullptr;
};

/// if c then b {elseif c then b} [else b] end. clauses[0] is the `if` arm.
struct StatIf : Stat {
  ER_AST_NODE(StatIf)
  StatIf(Location at, AstArray<ConditionalClause> c, StatBlock* e)
      : Stat(kKind, at), clauses(c), else_body(e) {}
  AstArray<ConditionalClause> clauses;
  StatBlock* else_body;  ///< May be null.
};

/// case {|| c >> b} end (spec §4.4).
struct StatCase : Stat {
  ER_AST_NODE(StatCase)
  StatCase(Location at, AstArray<ConditionalClause> c) : Stat(kKind, at), clauses(c) {}
  AstArray<ConditionalClause> clauses;
};

/// for var = from, to [, step] do body end
struct StatNumericFor : Stat {
  ER_AST_NODE(StatNumericFor)
  StatNumericFor(Location at, Binding v, Expr* f, Expr* t, Expr* s, StatBlock* b)
      : Stat(kKind, at), var(v), from(f), to(t), step(s), body(b) {}
  Binding var;
  Expr* from;
  Expr* to;
  Expr* step;  ///< May be null.
  StatBlock* body;
};

/// for names in values do body end
struct StatGenericFor : Stat {
  ER_AST_NODE(StatGenericFor)
  StatGenericFor(Location at, AstArray<Binding> n, AstArray<Expr*> v, StatBlock* b)
      : Stat(kKind, at), names(n), values(v), body(b) {}
  AstArray<Binding> names;
  AstArray<Expr*> values;
  StatBlock* body;
};

/// function a.b.c:m() ... end. `path` holds a, b, c (at least one name); `method` is m
/// (then function->has_self is true).
struct StatFunction : Stat {
  ER_AST_NODE(StatFunction)
  StatFunction(Location at, AstArray<Binding> p, bool has_m, Binding m, ExprFunction* f)
      : Stat(kKind, at), path(p), has_method(has_m), method(m), function(f) {}
  AstArray<Binding> path;
  bool has_method;
  Binding method;  ///< Valid when has_method.
  ExprFunction* function;
};

/// local function name() ... end (the function sees its own name).
struct StatLocalFunction : Stat {
  ER_AST_NODE(StatLocalFunction)
  StatLocalFunction(Location at, Binding n, ExprFunction* f) : Stat(kKind, at), name(n), function(f) {}
  Binding name;
  ExprFunction* function;
};

/// return [values]
struct StatReturn : Stat {
  ER_AST_NODE(StatReturn)
  StatReturn(Location at, AstArray<Expr*> v) : Stat(kKind, at), values(v) {}
  AstArray<Expr*> values;
};

/// break
struct StatBreak : Stat {
  ER_AST_NODE(StatBreak)
  explicit StatBreak(Location at) : Stat(kKind, at) {}
};

/// Stands for a statement that could not be parsed; keeps the parsed parts.
struct StatError : Stat {
  ER_AST_NODE(StatError)
  StatError(Location at, AstArray<Expr*> e, AstArray<Stat*> s)
      : Stat(kKind, at), expressions(e), statements(s) {}
  AstArray<Expr*> expressions;
  AstArray<Stat*> statements;
};

// ---------------------------------------------------------------------------------
// Rules and top level
// ---------------------------------------------------------------------------------

enum class ModifierKind : std::uint8_t {
  Single,    ///< single (no operand)
  Since,     ///< since T
  Debounce,  ///< debounce T
  Cooldown,  ///< cooldown T
  Every,     ///< every N
  FirstIn,   ///< first_in a..b
};

/// The modifier word ("single", "first_in").
std::string_view modifier_spelling(ModifierKind kind);

/// One rule modifier (spec §6.3), in written order.
struct RuleModifier {
  ModifierKind kind = ModifierKind::Single;
  Location location;          ///< The modifier word through the end of its operand.
  Location word_location;     ///< The modifier word.
  Expr* operand = nullptr;    ///< Null for `single`.
};

/// condition {modifier} => action (spec §6).
struct Rule : AstNode {
  ER_AST_NODE(Rule)
  Rule(Location at, Expr* c, AstArray<RuleModifier> m, Location arrow, StatBlock* a)
      : AstNode(kKind, at), condition(c), modifiers(m), arrow_location(arrow), action(a) {}
  Expr* condition;
  AstArray<RuleModifier> modifiers;
  Location arrow_location;  ///< The '=>' token.
  StatBlock* action;
};

/// One definition: a rule, or a script (a block). Exactly one of `rule` and `script`
/// is non-null. This is what er.eval compiles, and one item of a rules file.
struct Chunk : AstNode {
  ER_AST_NODE(Chunk)
  Chunk(Location at, Rule* r, StatBlock* s) : AstNode(kKind, at), rule(r), script(s) {}
  Rule* rule;
  StatBlock* script;
  /// The item's source text (a rules-file item's lines; the whole source for parse()).
  std::string_view text;
  /// True when a syntax error stopped parsing this item: its tree is partial (static
  /// errors, such as 'break' outside a loop, leave it false).
  bool has_syntax_error = false;
  /// The rule's name from a `::name::` label in front of it (empty: unnamed), and
  /// where the name is written.
  std::string_view name;
  Position name_position;
  /// FNV-1a (64 bits) of the item's normalized source: its token texts after the label,
  /// joined by single spaces, so comments and layout do not count (rule identity,
  /// docs/eventscript.md#rule-names-and-identity).
  std::uint64_t source_hash = 0;

  [[nodiscard]] bool is_rule() const { return rule != nullptr; }
};

/// A rules file (.er): its definitions in order. Each item starts in column 1; a rule's
/// action ends before the next line that starts in column 1.
struct SourceFile : AstNode {
  ER_AST_NODE(SourceFile)
  SourceFile(Location at, AstArray<Chunk*> i) : AstNode(kKind, at), items(i) {}
  AstArray<Chunk*> items;
};

#undef ER_AST_NODE

// ---------------------------------------------------------------------------------
// Visitor
// ---------------------------------------------------------------------------------

/// Walks a tree with AstNode::visit(). Each visit_* method defaults to its category's
/// method (visit_expr, visit_stat), which defaults to visit_node, which returns true.
/// Returning false skips the node's children. Method names are distinct (not overloads)
/// so that a pass overriding a few of them hides nothing.
class AstVisitor {
 public:
  virtual ~AstVisitor() = default;

  virtual bool visit_node(AstNode*) { return true; }
  virtual bool visit_expr(Expr* node) { return visit_node(node); }
  virtual bool visit_stat(Stat* node) { return visit_node(node); }

  virtual bool visit_expr_nil(ExprNil* node) { return visit_expr(node); }
  virtual bool visit_expr_bool(ExprBool* node) { return visit_expr(node); }
  virtual bool visit_expr_number(ExprNumber* node) { return visit_expr(node); }
  virtual bool visit_expr_string(ExprString* node) { return visit_expr(node); }
  virtual bool visit_expr_time(ExprTime* node) { return visit_expr(node); }
  virtual bool visit_expr_date(ExprDate* node) { return visit_expr(node); }
  virtual bool visit_expr_vararg(ExprVararg* node) { return visit_expr(node); }
  virtual bool visit_expr_event(ExprEvent* node) { return visit_expr(node); }
  virtual bool visit_expr_persistent(ExprPersistent* node) { return visit_expr(node); }
  virtual bool visit_expr_name(ExprName* node) { return visit_expr(node); }
  virtual bool visit_expr_paren(ExprParen* node) { return visit_expr(node); }
  virtual bool visit_expr_table(ExprTable* node) { return visit_expr(node); }
  virtual bool visit_expr_comprehension(ExprComprehension* node) { return visit_expr(node); }
  virtual bool visit_expr_function(ExprFunction* node) { return visit_expr(node); }
  virtual bool visit_expr_lambda(ExprLambda* node) { return visit_expr(node); }
  virtual bool visit_expr_binary(ExprBinary* node) { return visit_expr(node); }
  virtual bool visit_expr_unary(ExprUnary* node) { return visit_expr(node); }
  virtual bool visit_expr_schedule(ExprSchedule* node) { return visit_expr(node); }
  virtual bool visit_expr_index(ExprIndex* node) { return visit_expr(node); }
  virtual bool visit_expr_field(ExprField* node) { return visit_expr(node); }
  virtual bool visit_expr_call(ExprCall* node) { return visit_expr(node); }
  virtual bool visit_expr_method_call(ExprMethodCall* node) { return visit_expr(node); }
  virtual bool visit_expr_property(ExprProperty* node) { return visit_expr(node); }
  virtual bool visit_expr_error(ExprError* node) { return visit_expr(node); }

  virtual bool visit_stat_block(StatBlock* node) { return visit_stat(node); }
  virtual bool visit_stat_local(StatLocal* node) { return visit_stat(node); }
  virtual bool visit_stat_assign(StatAssign* node) { return visit_stat(node); }
  virtual bool visit_stat_compound_assign(StatCompoundAssign* node) { return visit_stat(node); }
  virtual bool visit_stat_call(StatCall* node) { return visit_stat(node); }
  virtual bool visit_stat_property_get(StatPropertyGet* node) { return visit_stat(node); }
  virtual bool visit_stat_do(StatDo* node) { return visit_stat(node); }
  virtual bool visit_stat_while(StatWhile* node) { return visit_stat(node); }
  virtual bool visit_stat_repeat(StatRepeat* node) { return visit_stat(node); }
  virtual bool visit_stat_if(StatIf* node) { return visit_stat(node); }
  virtual bool visit_stat_case(StatCase* node) { return visit_stat(node); }
  virtual bool visit_stat_numeric_for(StatNumericFor* node) { return visit_stat(node); }
  virtual bool visit_stat_generic_for(StatGenericFor* node) { return visit_stat(node); }
  virtual bool visit_stat_function(StatFunction* node) { return visit_stat(node); }
  virtual bool visit_stat_local_function(StatLocalFunction* node) { return visit_stat(node); }
  virtual bool visit_stat_return(StatReturn* node) { return visit_stat(node); }
  virtual bool visit_stat_break(StatBreak* node) { return visit_stat(node); }
  virtual bool visit_stat_error(StatError* node) { return visit_stat(node); }

  virtual bool visit_rule(Rule* node) { return visit_node(node); }
  virtual bool visit_chunk(Chunk* node) { return visit_node(node); }
  virtual bool visit_source_file(SourceFile* node) { return visit_node(node); }
};

static_assert(std::is_trivially_destructible_v<ExprFunction>);
static_assert(std::is_trivially_destructible_v<StatFunction>);
static_assert(std::is_trivially_destructible_v<Chunk>);

}  // namespace er::lang
