// Expressions: EventScript expression nodes to Lua expressions
// (docs/runtime-interface.md §3 lists what each construct becomes).

#include <string>
#include <vector>

#include "codegen_internal.h"

namespace er::lang::detail {

namespace {

bool is_ascii_letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Operands that need no tostring(): `..` already turns them into the same text.
bool concat_literal(const Expr* e) {
  if (e->is<ExprString>()) return true;
  const auto* number = e->as<ExprNumber>();
  return number != nullptr;
}

// Operands of `??` that can be evaluated eagerly: no side effects, no errors.
bool is_pure_simple(const Expr* e, const Codegen& gen) {
  switch (e->kind) {
    case NodeKind::ExprNil:
    case NodeKind::ExprBool:
    case NodeKind::ExprNumber:
    case NodeKind::ExprString:
    case NodeKind::ExprTime:
      return true;
    case NodeKind::ExprName: return gen.find_local(e->cast<ExprName>()->name.text) != nullptr;
    default: return false;
  }
}

}  // namespace

// Lua 5.4's reserved words (llex.c). EventScript reserves them too, but capture names
// come from pattern strings ("$end") and may be anything.
constexpr std::string_view kLuaReserved[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
    "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"};

bool is_plain_lua_name(std::string_view name) {
  if (name.empty() || (name.size() >= 2 && name[0] == '_' && name[1] == '_')) return false;
  if (name[0] >= '0' && name[0] <= '9') return false;
  if (name.size() <= 8 && name[0] >= 'a' && name[0] <= 'w') {  // Only then can it be reserved.
    for (const std::string_view word : kLuaReserved) {
      if (name == word) return false;
    }
  }
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (!is_ascii_letter(byte) && byte != '_' && !(byte >= '0' && byte <= '9')) return false;
  }
  return true;
}

bool is_numeric_literal(const Expr* e) {
  while (const auto* paren = e->as<ExprParen>()) e = paren->inner;
  if (e->is<ExprNumber>() || e->is<ExprTime>()) return true;
  if (const auto* u = e->as<ExprUnary>(); u != nullptr && u->op == UnaryOp::Minus) {
    return is_numeric_literal(u->operand);
  }
  if (const auto* b = e->as<ExprBinary>()) {
    const bool arithmetic = b->op >= BinaryOp::Add && b->op <= BinaryOp::Pow;
    return arithmetic && is_numeric_literal(b->left) && is_numeric_literal(b->right);
  }
  return false;
}

bool is_multi_value(const Expr* e) {
  return e->is<ExprCall>() || e->is<ExprMethodCall>() || e->is<ExprVararg>();
}

int lua_precedence(const Expr* e) {
  if (const auto* b = e->as<ExprBinary>()) {
    switch (b->op) {
      case BinaryOp::Or: return kPrecOr;
      case BinaryOp::And: return kPrecAnd;
      case BinaryOp::Coalesce:
      case BinaryOp::Match:
      case BinaryOp::Between: return kPrecAtom;
      case BinaryOp::Concat: return kPrecConcat;
      case BinaryOp::Add:
      case BinaryOp::Sub: return kPrecAdd;
      case BinaryOp::Pow: return kPrecPow;
      case BinaryOp::Mul:
      case BinaryOp::Div:
      case BinaryOp::IntDiv:
      case BinaryOp::Mod: return kPrecMul;
      default: return kPrecCompare;
    }
  }
  if (const auto* u = e->as<ExprUnary>()) {
    return u->op == UnaryOp::Minus || u->op == UnaryOp::Not ? kPrecUnary : kPrecAtom;
  }
  if (const auto* p = e->as<ExprParen>(); p != nullptr && !is_multi_value(p->inner)) {
    return lua_precedence(p->inner);
  }
  return kPrecAtom;
}

Codegen::Codegen(const CodegenOptions& options, common::DiagnosticList& diagnostics,
                 LuaWriter& writer)
    : options_(options), diagnostics_(diagnostics), w_(writer) {}

int Codegen::position(common::Position at) {
  positions_.push_back(at);
  return static_cast<int>(positions_.size());
}

// The p argument of a runtime call: an index into the chunk's position table.
void Codegen::position_arg(common::Position at) { w_.integer_argument(position(at)); }

// The p of a device access. A checked access may be written more than once (an edge
// operand is in `edges` and in `cond`) and its check is written apart from its code,
// so the first writing takes the index and later ones reuse it.
int Codegen::access_position(const Expr* access, common::Position at) {
  const auto it = check_positions_.find(access);
  if (it == check_positions_.end()) return position(at);
  if (it->second == 0) it->second = position(at);
  return it->second;
}

void Codegen::runtime_call(std::string_view function) { w_.member_call_open("__R", function); }

void Codegen::env_arg() { w_.name_argument("__env"); }

void Codegen::push_local(std::string_view name, LocalKind kind, common::Position at) {
  locals_.push_back({name, kind});
  w_.set_active_locals(active_locals());
  if (locals_.size() - function_base_ <= kMaxLuaLocals || locals_reported_) return;
  locals_reported_ = true;
  diagnostics_.error(at, "too many local variables (limit is " + std::to_string(kMaxLuaLocals) +
                             ") in one function; keep the values in a table or split the function");
}

void Codegen::push_hidden_locals(int count, common::Position at) {
  for (int i = 0; i < count; ++i) push_local({}, LocalKind::lua_local, at);
}

FunctionScope Codegen::begin_function_scope() {
  const FunctionScope saved{function_base_, locals_reported_};
  function_base_ = locals_.size();
  locals_reported_ = false;
  w_.set_active_locals(0);
  return saved;
}

void Codegen::end_function_scope(FunctionScope saved) {
  function_base_ = saved.base;
  locals_reported_ = saved.reported;
  w_.set_active_locals(active_locals());
}

void Codegen::note_global_read(std::string_view name, common::Position at, bool call) {
  if (!(call ? called_names_ : read_names_).insert(name).second) return;
  free_names_.push_back(NameUse{std::string(name), at, call});
}

void Codegen::note_global_assigned(std::string_view name, common::Position at) {
  if (!assigned_names_seen_.insert(name).second) return;
  assigned_names_.push_back(NameUse{std::string(name), at, false});
}

const Local* Codegen::find_local(std::string_view name) const {
  for (auto it = locals_.rbegin(); it != locals_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

// User names are kept unless Lua cannot take them or they could meet a generated
// "__" name: those become "__u" followed by the name's bytes in hex.
void Codegen::local_name(std::string_view name) {
  if (is_plain_lua_name(name)) {
    w_.identifier(name);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string mangled = "__u";
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    mangled.push_back(kHex[byte >> 4U]);
    mangled.push_back(kHex[byte & 0xFU]);
  }
  w_.identifier(mangled);
}

void Codegen::name_read(const ExprName& name) {
  const std::string_view text = name.name.text;
  const Local* local = find_local(text);
  if (local == nullptr) {
    note_global_read(text, name.location.begin, callee_ == &name);
    runtime_call("gv");
    w_.string_literal(text);
    position_arg(name.location.begin);
    w_.symbol(')');
    return;
  }
  if (local->kind == LocalKind::capture) {
    w_.identifier("__env");
    w_.symbol('.');
    w_.identifier("cap");
    w_.symbol('[');
    w_.string_literal(text);
    w_.symbol(']');
    return;
  }
  local_name(text);
}

// `.name`, or `["name"]` when the name is not a plain Lua name.
void Codegen::field_name(std::string_view name) {
  if (is_plain_lua_name(name)) {
    w_.symbol('.');
    w_.identifier(name);
    return;
  }
  w_.symbol('[');
  w_.string_literal(name);
  w_.symbol(']');
}

void Codegen::expr_list(AstArray<Expr*> exprs) {
  for (std::size_t i = 0; i < exprs.size; ++i) {
    if (i > 0) w_.symbol(',');
    expr(exprs[i]);
  }
}

// Emits `e` as an operand of an operator of precedence `parent`, adding parentheses
// when Lua would otherwise group differently.
void Codegen::operand(const Expr* e, int parent, bool right_side) {
  const int own = lua_precedence(e);
  // Unary operators nest without parentheses (`not not x`, `- -x`), as in Lua.
  const bool right_assoc = parent == kPrecPow || parent == kPrecConcat || parent == kPrecUnary;
  const bool needs = own < parent || (own == parent && right_side != right_assoc && own != kPrecAtom);
  if (needs) w_.symbol('(');
  expr(e);
  if (needs) w_.symbol(')');
}

// Lua accepts only names, calls, indexing and parenthesised expressions before
// `.`, `[`, `:` and call arguments.
void Codegen::prefix_expr(const Expr* e) {
  switch (e->kind) {
    case NodeKind::ExprName:
    case NodeKind::ExprIndex:
    case NodeKind::ExprField:
    case NodeKind::ExprCall:
    case NodeKind::ExprMethodCall:
    case NodeKind::ExprProperty:
    case NodeKind::ExprPersistent:
    case NodeKind::ExprDate:
      expr(e);
      return;
    case NodeKind::ExprEvent:
      if (e->cast<ExprEvent>()->fields != nullptr &&
          (context_ != Context::condition || triggers_ == nullptr ||
           triggers_->pattern_index(e) < 0)) {
        expr(e);
        return;
      }
      break;
    default: break;
  }
  w_.symbol('(');
  expr(e);
  w_.symbol(')');
}

// While the traced condition is written, a term's code becomes
// `__R.term(__env, <id>, <code>)`, which records the value and returns it.
void Codegen::expr(const Expr* e) {
  if (tracing_) {
    const auto it = term_ids_.find(e);
    if (it != term_ids_.end()) {
      term_open(it->second);
      expr_node(e);
      w_.symbol(')');
      return;
    }
  }
  expr_node(e);
}

void Codegen::expr_node(const Expr* e) {
  switch (e->kind) {
    case NodeKind::ExprNil: w_.keyword("nil"); return;
    case NodeKind::ExprBool: w_.keyword(e->cast<ExprBool>()->value ? "true" : "false"); return;
    case NodeKind::ExprNumber: {
      const auto* n = e->as<ExprNumber>();
      if (n->is_integer) {
        w_.integer(n->integer);
      } else {
        w_.number(n->number);
      }
      return;
    }
    case NodeKind::ExprString: w_.string_literal(e->cast<ExprString>()->value); return;
    case NodeKind::ExprTime: w_.integer(e->cast<ExprTime>()->seconds); return;
    case NodeKind::ExprDate: date(*e->cast<ExprDate>()); return;
    case NodeKind::ExprVararg: w_.symbol("..."); return;
    case NodeKind::ExprEvent: event_literal(*e->cast<ExprEvent>()); return;
    case NodeKind::ExprPersistent:
      runtime_call("pget");
      w_.string_literal(e->cast<ExprPersistent>()->name.text);
      position_arg(e->location.begin);
      w_.symbol(')');
      return;
    case NodeKind::ExprName: name_read(*e->cast<ExprName>()); return;
    case NodeKind::ExprParen: {
      const Expr* inner = e->cast<ExprParen>()->inner;
      // Parentheses matter only to cut a call's results to one; grouping is
      // recomputed from precedence.
      if (is_multi_value(inner)) w_.symbol('(');
      expr(inner);
      if (is_multi_value(inner)) w_.symbol(')');
      return;
    }
    case NodeKind::ExprTable: table(*e->cast<ExprTable>()); return;
    case NodeKind::ExprComprehension: comprehension(*e->cast<ExprComprehension>()); return;
    case NodeKind::ExprFunction: {
      const auto* f = e->as<ExprFunction>();
      w_.keyword("function");
      function_body(f->params, f->is_vararg, f->has_self, f->body);
      return;
    }
    case NodeKind::ExprLambda: lambda(*e->cast<ExprLambda>()); return;
    case NodeKind::ExprBinary: binary(*e->cast<ExprBinary>()); return;
    case NodeKind::ExprUnary: unary(*e->cast<ExprUnary>()); return;
    case NodeKind::ExprSchedule: schedule(*e->cast<ExprSchedule>()); return;
    case NodeKind::ExprIndex: {
      const auto* i = e->as<ExprIndex>();
      prefix_expr(i->object);
      w_.mark(MarkKind::index, i->location.begin);
      w_.symbol('[');
      expr(i->key);
      w_.symbol(']');
      return;
    }
    case NodeKind::ExprField: {
      const auto* f = e->as<ExprField>();
      if (rule_env_field(*f)) return;
      prefix_expr(f->object);
      w_.mark(MarkKind::index, f->name_location.begin);
      if (is_plain_lua_name(f->name.text)) {
        w_.symbol('.');
        w_.identifier(f->name.text);
      } else {
        w_.symbol('[');
        w_.string_literal(f->name.text);
        w_.symbol(']');
      }
      return;
    }
    case NodeKind::ExprCall: call(*e->cast<ExprCall>()); return;
    case NodeKind::ExprMethodCall: method_call(*e->cast<ExprMethodCall>()); return;
    case NodeKind::ExprProperty: property(*e->cast<ExprProperty>()); return;
    default: w_.keyword("nil"); return;  // ExprError: the parser has reported it.
  }
}

// EventRunner7's rule environment, in a rule's condition and action: `env.event` is
// the run's event and `env.p` the table of its pattern captures (docs/reference.md),
// unless `env` is a local. Other uses of `env` are an ordinary name.
bool Codegen::rule_env_field(const ExprField& f) {
  if (triggers_ == nullptr || context_ == Context::definition) return false;
  const auto* name = f.object->as<ExprName>();
  if (name == nullptr || name->name.text != "env" || find_local("env") != nullptr) return false;
  const std::string_view field = f.name.text;
  if (field != "event" && field != "p") return false;
  w_.identifier("__env");
  w_.symbol('.');
  w_.identifier(field == "event" ? "event" : "cap");
  return true;
}

void Codegen::binary(const ExprBinary& b) {
  switch (b.op) {
    case BinaryOp::Or:
      operand(b.left, kPrecOr, false);
      w_.binary("or");
      operand(b.right, kPrecOr, true);
      return;
    case BinaryOp::And:
      operand(b.left, kPrecAnd, false);
      w_.binary("and");
      operand(b.right, kPrecAnd, true);
      return;
    case BinaryOp::Coalesce: coalesce(b); return;
    case BinaryOp::Equal: comparison(b, "=="); return;
    case BinaryOp::NotEqual: comparison(b, "~="); return;
    case BinaryOp::Match: binary_helper(b, "strmatch"); return;
    case BinaryOp::Less: comparison(b, "<"); return;
    case BinaryOp::LessEqual: comparison(b, "<="); return;
    case BinaryOp::Greater: comparison(b, ">"); return;
    case BinaryOp::GreaterEqual: comparison(b, ">="); return;
    case BinaryOp::Between:  // The parser reports string-literal operands (§3.5).
      binary_helper(b, "between");
      return;
    case BinaryOp::Concat: concat_chain(b); return;
    case BinaryOp::Add: arithmetic(b, "+", kPrecAdd); return;
    case BinaryOp::Sub: arithmetic(b, "-", kPrecAdd); return;
    case BinaryOp::Mul: arithmetic(b, "*", kPrecMul); return;
    case BinaryOp::Div: arithmetic(b, "/", kPrecMul); return;
    case BinaryOp::IntDiv: arithmetic(b, "//", kPrecMul); return;
    case BinaryOp::Mod: arithmetic(b, "%", kPrecMul); return;
    case BinaryOp::Pow: arithmetic(b, "^", kPrecPow); return;
  }
}

// operand() derives the associativity (right for '^') from the precedence.
void Codegen::arithmetic(const ExprBinary& b, std::string_view op, int precedence) {
  operand(b.left, precedence, false);
  // Lua folds operations on numeric literals at compile time: they cannot fail.
  if (!is_numeric_literal(b.left) || !is_numeric_literal(b.right)) {
    w_.mark(MarkKind::arithmetic, b.op_location.begin);
  }
  w_.binary(op);
  operand(b.right, precedence, true);
}

void Codegen::comparison(const ExprBinary& b, std::string_view op) {
  operand(b.left, kPrecCompare, false);
  if (op != "==" && op != "~=") w_.mark(MarkKind::comparison, b.op_location.begin);
  w_.binary(op);
  operand(b.right, kPrecCompare, true);
}

namespace {

// The operands of a '++' chain, in order, through parentheses.
void collect_concat_pieces(const Expr* e, std::vector<const Expr*>& pieces) {
  const Expr* inner = e;
  while (const auto* paren = inner->as<ExprParen>()) inner = paren->inner;
  if (const auto* b = inner->as<ExprBinary>(); b != nullptr && b->op == BinaryOp::Concat) {
    collect_concat_pieces(b->left, pieces);
    collect_concat_pieces(b->right, pieces);
    return;
  }
  pieces.push_back(inner);
}

}  // namespace

// `a ++ b` is tostring(a) .. tostring(b) (spec §3.4). A chain is written flat, since
// joining strings is associative; literals need no tostring(). Lua parses `..` right
// to left, one C level and one register per operand, so a long chain is cut into
// parenthesised groups: ((p1 .. ... p32) .. p33 .. ... p64) .. p65 ...
void Codegen::concat_chain(const ExprBinary& b) {
  constexpr std::size_t kGroup = 32;
  // The pieces go on a stack shared by nested chains (a piece may hold one).
  const std::size_t first = concat_pieces_.size();
  collect_concat_pieces(&b, concat_pieces_);
  const std::size_t count = concat_pieces_.size() - first;
  for (std::size_t i = kGroup; i < count; i += kGroup) w_.symbol('(');
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) {
      if (i % kGroup == 0) w_.symbol(')');
      w_.binary("..");
    }
    concat_piece(concat_pieces_[first + i]);
  }
  concat_pieces_.resize(first);
}

void Codegen::concat_piece(const Expr* inner) {
  if (concat_literal(inner)) {
    expr(inner);
    return;
  }
  runtime_call("str");
  expr(inner);
  w_.symbol(')');
}

// `a ?? b` must not evaluate b when a is not nil. A simple b is passed eagerly; any
// other b goes into an immediately called function so it stays lazy.
void Codegen::coalesce(const ExprBinary& b) {
  const auto* left = b.left->as<ExprBinary>();
  if (left != nullptr && left->op == BinaryOp::Coalesce) {
    coalesce_chain(b);
    return;
  }
  if (is_pure_simple(b.right, *this)) {
    runtime_call("coalesce");
    expr(b.left);
    w_.symbol(',');
    expr(b.right);
    w_.symbol(')');
    return;
  }
  coalesce_chain(b);
}

// `a ?? b ?? c` groups as (a ?? b) ?? c; it is written as one function that tries each
// operand in turn, so a long chain nests no deeper than a short one.
void Codegen::coalesce_chain(const ExprBinary& b) {
  std::vector<const Expr*> operands{b.right};
  const Expr* first = b.left;
  while (const auto* left = first->as<ExprBinary>()) {
    if (left->op != BinaryOp::Coalesce) break;
    operands.push_back(left->right);
    first = left->left;
  }
  iife_open();
  w_.keyword("local");
  w_.identifier("__v");
  w_.binary("=");
  expr(first);
  for (auto it = operands.rbegin(); it != operands.rend(); ++it) {
    w_.keyword("if");
    w_.identifier("__v");
    w_.binary("==");
    w_.keyword("nil");
    w_.keyword("then");
    w_.identifier("__v");
    w_.binary("=");
    expr(*it);
    w_.keyword("end");
  }
  w_.keyword("return");
  w_.identifier("__v");
  iife_close();
}

// An immediately called function. It forwards '...' when the enclosing function has
// one, so that varargs inside the expression keep their meaning.
void Codegen::iife_open() {
  w_.symbol('(');
  w_.keyword("function");
  w_.symbol('(');
  if (vararg_function_) w_.symbol("...");
  w_.symbol(')');
}

void Codegen::iife_close() {
  w_.keyword("end");
  w_.symbol(')');
  w_.symbol('(');
  if (vararg_function_) w_.symbol("...");
  w_.symbol(')');
}

// `a === b` is the match of Lua pattern b in tostring(a), or nil (ER6's operator);
// `a .. b` is the between test. Both are runtime helpers that report a bad operand
// at the operator.
void Codegen::binary_helper(const ExprBinary& b, std::string_view function) {
  runtime_call(function);
  expr(b.left);
  w_.symbol(',');
  expr(b.right);
  position_arg(b.op_location.begin);
  w_.symbol(')');
}

void Codegen::unary(const ExprUnary& u) {
  switch (u.op) {
    case UnaryOp::Minus:
      if (!is_numeric_literal(u.operand)) w_.mark(MarkKind::arithmetic, u.op_location.begin);
      w_.prefix("-");
      operand(u.operand, kPrecUnary, true);
      return;
    case UnaryOp::Not:
      w_.prefix("not");
      operand(u.operand, kPrecUnary, true);
      return;
    case UnaryOp::Today: runtime_call("today"); break;
    case UnaryOp::Next: runtime_call("next_time"); break;
    case UnaryOp::FromNow: runtime_call("from_now"); break;
  }
  expr(u.operand);
  position_arg(u.op_location.begin);
  w_.symbol(')');
}

// In a condition '@' is true iff this run was started by the rule's daily timer and
// '@@' iff by its interval timer (§7.1). Elsewhere the parser has reported it.
void Codegen::schedule(const ExprSchedule& s) {
  if (s.schedule == ScheduleKind::Daily) {
    runtime_call("at");
    w_.identifier("__env");
    w_.symbol(',');
    const int index = triggers_ != nullptr ? triggers_->daily_index(&s) : -1;
    w_.integer(index + 1);
  } else {
    runtime_call("interval");
    w_.identifier("__env");
  }
  w_.symbol(')');
}

void Codegen::date(const ExprDate& d) {
  runtime_call("date");
  if (d.has_year) {
    w_.integer(d.year);
  } else {
    w_.keyword("nil");
  }
  w_.symbol(',');
  w_.integer(d.month);
  w_.symbol(',');
  w_.integer(d.day);
  w_.symbol(',');
  w_.integer(d.has_time ? d.time_of_day : 0);
  position_arg(d.location.begin);
  w_.symbol(')');
}

void Codegen::event_literal(const ExprEvent& e) {
  if (context_ == Context::condition && triggers_ != nullptr && triggers_->pattern_index(&e) >= 0) {
    pattern_match(e);
    return;
  }
  if (e.fields == nullptr) {
    w_.symbol('{');
    w_.identifier("type");
    w_.binary("=");
    w_.string_literal(e.name.text);
    w_.symbol('}');
    return;
  }
  runtime_call("event");
  w_.string_literal(e.name.text);
  w_.symbol(',');
  table_fields(*e.fields);
  w_.symbol(')');
}

void Codegen::pattern_match(const Expr& node) {
  runtime_call("match");
  w_.identifier("__env");
  w_.symbol(',');
  const int index = triggers_ != nullptr ? triggers_->pattern_index(&node) : -1;
  w_.integer(index + 1);
  w_.symbol(')');
}

void Codegen::table(const ExprTable& t) {
  if (context_ == Context::condition && triggers_ != nullptr && triggers_->pattern_index(&t) >= 0) {
    pattern_match(t);
    return;
  }
  table_fields(t);
}

void Codegen::table_fields(const ExprTable& t) {
  w_.symbol('{');
  for (std::size_t i = 0; i < t.fields.size; ++i) {
    const TableField& field = t.fields[i];
    if (i > 0) w_.symbol(',');
    if (field.kind == TableFieldKind::Named && is_plain_lua_name(field.name.text)) {
      w_.identifier(field.name.text);
      w_.binary("=");
    } else if (field.kind != TableFieldKind::Positional) {
      w_.symbol('[');
      if (field.kind == TableFieldKind::Named) {
        w_.string_literal(field.name.text);
      } else {
        expr(field.key);
      }
      w_.symbol(']');
      w_.binary("=");
    }
    expr(field.value);
  }
  w_.symbol('}');
}

}  // namespace er::lang::detail
