// Parser tests: the grammar of spec §2, precedence of §3.1, every parser-level
// diagnostic of the spec with its position, and rules files.

#include "lang/parser.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/diagnostic.h"
#include "lang/ast_dump.h"

namespace er::lang {
namespace {

// A compact S-expression for precedence tests: (op left right), names and literals as
// written.
std::string sexpr(const Expr* e);

std::string sexpr_list(AstArray<Expr*> exprs) {
  std::string out;
  for (const Expr* e : exprs) {
    out += ' ';
    out += sexpr(e);
  }
  return out;
}

std::string sexpr(const Expr* e) {
  if (e == nullptr) return "null";
  if (const auto* b = e->as<ExprBinary>()) {
    return "(" + std::string(binary_op_spelling(b->op)) + " " + sexpr(b->left) + " " + sexpr(b->right) + ")";
  }
  if (const auto* u = e->as<ExprUnary>()) return "(" + std::string(unary_op_spelling(u->op)) + " " + sexpr(u->operand) + ")";
  if (const auto* s = e->as<ExprSchedule>()) {
    return "(" + std::string(schedule_spelling(s->schedule)) + " " + sexpr(s->operand) + ")";
  }
  if (const auto* n = e->as<ExprNumber>()) return std::string(n->lexeme);
  if (const auto* n = e->as<ExprName>()) return std::string(n->name.text);
  if (const auto* t = e->as<ExprTime>()) return std::string(t->lexeme);
  if (const auto* d = e->as<ExprDate>()) return std::string(d->lexeme);
  if (const auto* s = e->as<ExprString>()) return "'" + std::string(s->value) + "'";
  if (e->is<ExprNil>()) return "nil";
  if (const auto* b = e->as<ExprBool>()) return b->value ? "true" : "false";
  if (e->is<ExprVararg>()) return "...";
  if (const auto* p = e->as<ExprPersistent>()) return "$" + std::string(p->name.text);
  if (const auto* ev = e->as<ExprEvent>()) {
    return "#" + std::string(ev->name.text) + (ev->fields != nullptr ? sexpr(ev->fields) : "");
  }
  if (const auto* p = e->as<ExprParen>()) return "(paren " + sexpr(p->inner) + ")";
  if (const auto* p = e->as<ExprProperty>()) return "(:" + std::string(p->name.text) + " " + sexpr(p->object) + ")";
  if (const auto* f = e->as<ExprField>()) return "(." + std::string(f->name.text) + " " + sexpr(f->object) + ")";
  if (const auto* i = e->as<ExprIndex>()) return "([] " + sexpr(i->object) + " " + sexpr(i->key) + ")";
  if (const auto* c = e->as<ExprCall>()) return "(call " + sexpr(c->function) + sexpr_list(c->args) + ")";
  if (const auto* m = e->as<ExprMethodCall>()) {
    return "(:" + std::string(m->method.text) + "() " + sexpr(m->object) + sexpr_list(m->args) + ")";
  }
  if (const auto* l = e->as<ExprLambda>()) {
    std::string params;
    for (const Binding& p : l->params) params += (params.empty() ? "" : " ") + std::string(p.name.text);
    return "(-> (" + params + ") " + sexpr(l->body) + ")";
  }
  if (const auto* t = e->as<ExprTable>()) {
    std::string out = "{";
    for (const TableField& f : t->fields) {
      if (out.size() > 1) out += " ";
      if (f.kind == TableFieldKind::Named) out += std::string(f.name.text) + "=";
      if (f.kind == TableFieldKind::Keyed) out += "[" + sexpr(f.key) + "]=";
      out += sexpr(f.value);
    }
    return out + "}";
  }
  if (const auto* c = e->as<ExprComprehension>()) {
    std::string out = "[" + sexpr(c->element) + " for";
    for (const Binding& n : c->names) out += " " + std::string(n.name.text);
    out += " in " + sexpr(c->source);
    if (c->filter != nullptr) out += " if " + sexpr(c->filter);
    return out + "]";
  }
  return std::string(node_kind_name(e->kind));
}

struct Parsed {
  common::Arena arena;
  common::Interner names;
  common::DiagnosticList diagnostics;
  std::string source;
  Chunk* chunk = nullptr;
};

std::unique_ptr<Parsed> parse_source(std::string_view source, ChunkMode mode = ChunkMode::Auto) {
  auto parsed = std::make_unique<Parsed>();
  parsed->source = std::string(source);
  ParseOptions options;
  options.mode = mode;
  parsed->chunk = parse(parsed->source, parsed->arena, parsed->names, parsed->diagnostics, options).chunk;
  return parsed;
}

// All diagnostics as "line:col: message", one per line.
std::string errors_of(const Parsed& parsed) {
  std::string out;
  for (const common::Diagnostic& d : parsed.diagnostics.items()) {
    if (!out.empty()) out += "\n";
    out += std::to_string(d.position.line) + ":" + std::to_string(d.position.column) + ": " + d.message;
  }
  return out;
}

std::string errors(std::string_view source) { return errors_of(*parse_source(source)); }

// The S-expression of `text` parsed as an expression (via "return <text>").
std::string expr(std::string_view text) {
  auto parsed = parse_source("return " + std::string(text));
  EXPECT_EQ(errors_of(*parsed), "") << text;
  const StatBlock* block = parsed->chunk->script;
  if (block == nullptr || block->body.size != 1) return "<no return>";
  const auto* ret = block->body[0]->as<StatReturn>();
  if (ret == nullptr || ret->values.size != 1) return "<bad return>";
  return sexpr(ret->values[0]);
}

// The S-expression of a rule's condition.
std::string condition(std::string_view text) {
  auto parsed = parse_source(std::string(text) + " => x()");
  EXPECT_EQ(errors_of(*parsed), "") << text;
  if (parsed->chunk->rule == nullptr) return "<no rule>";
  return sexpr(parsed->chunk->rule->condition);
}

// The AST dump of a source that must parse without errors.
std::string dump(std::string_view source) {
  auto parsed = parse_source(source);
  EXPECT_EQ(errors_of(*parsed), "") << source;
  return dump_ast(*parsed->chunk);
}

// --- Precedence and associativity (spec §3.1) -----------------------------------------

TEST(lang_parser, binary_levels_are_left_associative) {
  EXPECT_EQ(expr("10 - 3 - 2"), "(- (- 10 3) 2)");
  EXPECT_EQ(expr("8 / 4 / 2"), "(/ (/ 8 4) 2)");
  EXPECT_EQ(expr("a .. b ++ c"), "(++ (.. a b) c)");
  EXPECT_EQ(expr("a ?? b ?? c"), "(?? (?? a b) c)");
  EXPECT_EQ(expr("a | b or c"), "(| (| a b) c)");
}

TEST(lang_parser, precedence_loosest_first) {
  EXPECT_EQ(expr("a | b & c"), "(| a (& b c))");
  EXPECT_EQ(expr("a or b and c"), "(| a (& b c))");
  EXPECT_EQ(expr("a & b ?? c"), "(& a (?? b c))");
  EXPECT_EQ(expr("nil ?? 1 == 1"), "(?? nil (== 1 1))");
  EXPECT_EQ(expr("a == b .. c"), "(== a (.. b c))");
  // '===' (string match) is a comparison: looser than '++', tighter than '??' and '&'.
  EXPECT_EQ(expr("a === b ++ c"), "(=== a (++ b c))");
  EXPECT_EQ(expr("a === b & c === d"), "(& (=== a b) (=== c d))");
  EXPECT_EQ(expr("a ?? b === c"), "(?? a (=== b c))");
  EXPECT_EQ(expr("a ++ b + 1"), "(++ a (+ b 1))");
  EXPECT_EQ(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(expr("-a * b"), "(* (- a) b)");
  EXPECT_EQ(expr("7 // 2 % 3"), "(% (// 7 2) 3)");
  EXPECT_EQ(expr("\"T=\" ++ 20 / 5"), "(++ 'T=' (/ 20 5))");
}

TEST(lang_parser, power_is_right_associative_with_unary_right_operand) {
  EXPECT_EQ(expr("2 ^ 3 ^ 2"), "(^ 2 (^ 3 2))");
  EXPECT_EQ(expr("-2 ^ 2"), "(- (^ 2 2))");
  EXPECT_EQ(expr("2 ^ -1"), "(^ 2 (- 1))");
  EXPECT_EQ(expr("a.b ^ c[1]"), "(^ (.b a) ([] c 1))");
}

TEST(lang_parser, unary_operators) {
  EXPECT_EQ(expr("!nil == true"), "(== (! nil) true)");
  EXPECT_EQ(expr("not a == b"), "(== (! a) b)");
  EXPECT_EQ(expr("- - a"), "(- (- a))");
  EXPECT_EQ(expr("t/08:00 + 1"), "(+ (t/ 08:00) 1)");
  EXPECT_EQ(expr("n/18:00"), "(n/ 18:00)");
  EXPECT_EQ(expr("+/00:10"), "(+/ 00:10)");
  EXPECT_EQ(expr("!x:isOn"), "(! (:isOn x))");
}

TEST(lang_parser, schedule_prefix_binds_looser_than_additive) {
  EXPECT_EQ(condition("@sunset - 00:10"), "(@ (- sunset 00:10))");
  EXPECT_EQ(condition("@08:00 & wday('mon-fri')"), "(& (@ 08:00) (call wday 'mon-fri'))");
  EXPECT_EQ(condition("@{07:00, 19:00}"), "(@ {07:00 19:00})");
  EXPECT_EQ(condition("@@00:15"), "(@@ 00:15)");
  EXPECT_EQ(condition("@@-01:00"), "(@@- 01:00)");
  EXPECT_EQ(condition("@2025/12/24/18:00"), "(@ 2025/12/24/18:00)");
  EXPECT_EQ(condition("@daily"), "(@ daily)");
}

TEST(lang_parser, comparisons) {
  EXPECT_EQ(expr("a != b"), "(~= a b)");
  EXPECT_EQ(expr("a ~= b"), "(~= a b)");
  EXPECT_EQ(expr("a <= b & c > d"), "(& (<= a b) (> c d))");
  EXPECT_EQ(expr("(1 < 2) == true"), "(== (paren (< 1 2)) true)");
}

// --- Primaries and suffixes -----------------------------------------------------------

TEST(lang_parser, literals) {
  EXPECT_EQ(expr("nil"), "nil");
  EXPECT_EQ(expr("0xff"), "0xff");
  EXPECT_EQ(expr("'a\\tb'"), "'a\tb'");
  EXPECT_EQ(expr("[[long]]"), "'long'");
  EXPECT_EQ(expr("10:00:30"), "10:00:30");
  EXPECT_EQ(expr("/12/24"), "/12/24");
  EXPECT_EQ(expr("#tick"), "#tick");
  EXPECT_EQ(expr("$Mode"), "$Mode");
  EXPECT_EQ(expr("5..10"), "(.. 5 10)");
}

TEST(lang_parser, number_values) {
  auto parsed = parse_source("return 42, 1e3, 0x10, 9223372036854775808");
  const auto* ret = parsed->chunk->script->body[0]->as<StatReturn>();
  ASSERT_NE(ret, nullptr);
  const auto* a = ret->values[0]->as<ExprNumber>();
  const auto* b = ret->values[1]->as<ExprNumber>();
  const auto* c = ret->values[2]->as<ExprNumber>();
  const auto* d = ret->values[3]->as<ExprNumber>();
  ASSERT_TRUE(a && b && c && d);
  EXPECT_TRUE(a->is_integer);
  EXPECT_EQ(a->integer, 42);
  EXPECT_FALSE(b->is_integer);
  EXPECT_EQ(b->number, 1000.0);
  EXPECT_EQ(c->integer, 16);
  EXPECT_FALSE(d->is_integer);
}

TEST(lang_parser, event_literals_take_an_adjacent_table) {
  EXPECT_EQ(expr("#alarm{zone=3}.zone"), "(.zone #alarm{zone=3})");
  EXPECT_EQ(expr("#a {1}"), "(call #a {1})");
  EXPECT_EQ(expr("#device{id=55, property=\"value\", value=\"$v\"}"),
            "#device{id=55 property='value' value='$v'}");
}

TEST(lang_parser, any_primary_takes_suffixes) {
  EXPECT_EQ(expr("{10,20,30}[2]"), "([] {10 20 30} 2)");
  EXPECT_EQ(expr("{a=1}.a"), "(.a {a=1})");
  EXPECT_EQ(expr("\"garage\":isOpen"), "(:isOpen 'garage')");
  EXPECT_EQ(expr("(\"abc\"):upper()"), "(:upper() (paren 'abc'))");
  EXPECT_EQ(expr("{77,78}:value:average"), "(:average (:value {77 78}))");
  EXPECT_EQ(expr("10:00:isOn"), "(:isOn 10:00)");
}

TEST(lang_parser, calls_methods_and_properties) {
  EXPECT_EQ(expr("f(1, 2)"), "(call f 1 2)");
  EXPECT_EQ(expr("f{1}"), "(call f {1})");
  EXPECT_EQ(expr("f\"s\""), "(call f 's')");
  EXPECT_EQ(expr("f()()"), "(call (call f))");
  EXPECT_EQ(expr("56:setValue(70)"), "(:setValue() 56 70)");
  EXPECT_EQ(expr("obj:m{1}"), "(:m() obj {1})");
  EXPECT_EQ(expr("55:isOn"), "(:isOn 55)");
  EXPECT_EQ(expr("a.b[c]:d"), "(:d ([] (.b a) c))");
  EXPECT_EQ(expr("math.floor(2.7)"), "(call (.floor math) 2.7)");
}

TEST(lang_parser, tables) {
  EXPECT_EQ(expr("{}"), "{}");
  EXPECT_EQ(expr("{1, 2; 3,}"), "{1 2 3}");
  EXPECT_EQ(expr("{a = 1, [k] = v, f(x)}"), "{a=1 [k]=v (call f x)}");
  EXPECT_EQ(expr("{a == 1}"), "{(== a 1)}");
}

TEST(lang_parser, lambdas_extend_as_far_as_possible) {
  EXPECT_EQ(expr("x -> x * 2"), "(-> (x) (* x 2))");
  EXPECT_EQ(expr("(x -> x * 2)(21)"), "(call (paren (-> (x) (* x 2))) 21)");
  EXPECT_EQ(expr("((a, b) -> a + b)(1, 2)"), "(call (paren (-> (a b) (+ a b))) 1 2)");
  EXPECT_EQ(expr("() -> 1"), "(-> () 1)");
  EXPECT_EQ(expr("map({1,2}, x -> x * 10)"), "(call map {1 2} (-> (x) (* x 10)))");
  EXPECT_EQ(expr("reduce(t, (a, b) -> a + b, 0)"), "(call reduce t (-> (a b) (+ a b)) 0)");
  EXPECT_EQ(expr("1 + x -> x | y"), "(+ 1 (-> (x) (| x y)))");
  EXPECT_EQ(expr("(a)"), "(paren a)");
}

TEST(lang_parser, comprehensions) {
  EXPECT_EQ(expr("[v * 2 for v in {1,2,3}]"), "[(* v 2) for v in {1 2 3}]");
  EXPECT_EQ(expr("[v for v in {1,2,3,4} if v % 2 == 0]"), "[v for v in {1 2 3 4} if (== (% v 2) 0)]");
  EXPECT_EQ(expr("[k for k, v in {a=1}]"), "[k for k v in {a=1}]");
  EXPECT_EQ(expr("[ [v for v in x] for x in t]"), "[[v for v in x] for x in t]");
  EXPECT_EQ(expr("{[x for x in t]}"), "{[x for x in t]}");
  EXPECT_EQ(expr("[x for x in t][1]"), "([] [x for x in t] 1)");
}

TEST(lang_parser, functions) {
  const std::string text = dump("f = function (a, ...) return select('#', ...) end");
  EXPECT_NE(text.find("(ExprFunction vararg"), std::string::npos) << text;
  EXPECT_NE(text.find("(params a)"), std::string::npos) << text;
  EXPECT_EQ(errors("f = function (...) return ... end"), "");
  EXPECT_EQ(errors("local function n(...) return select('#', ...) end; return n(1, nil, 3)"), "");
}

// --- Statements (spec §2, §4) ---------------------------------------------------------

TEST(lang_parser, statement_forms) {
  EXPECT_EQ(dump("local a, b = 1, 2"),
            "(Chunk\n  (StatBlock\n    (StatLocal\n      (names a b)\n      (values\n"
            "        (ExprNumber 1 int:1)\n        (ExprNumber 2 int:2)))))\n");
  EXPECT_EQ(dump("a, b = 1"),
            "(Chunk\n  (StatBlock\n    (StatAssign\n      (targets\n        (ExprName a)\n"
            "        (ExprName b))\n      (values\n        (ExprNumber 1 int:1)))))\n");
  EXPECT_EQ(dump("x += 2"),
            "(Chunk\n  (StatBlock\n    (StatCompoundAssign +=\n      (ExprName x)\n      (ExprNumber 2 int:2))))\n");
}

TEST(lang_parser, assignment_targets) {
  EXPECT_EQ(errors("x = 1; $Mode = 'away'; t.a = 1; t[1] = 2; 56:value = 70; a.b:c = 1"), "");
  EXPECT_EQ(errors("t = {a=1}; t.a *= 3; x -= 1; y /= 2; z %= 3; $Count += 1"), "");
  EXPECT_EQ(errors("x = 5; x += 2; return x"), "");
}

TEST(lang_parser, expression_statements) {
  EXPECT_EQ(errors("log('x') obj:m() 55:on \"garage\":isOpen #a{x=1}:post()"), "");
  auto parsed = parse_source("55:on");
  ASSERT_NE(parsed->chunk->script, nullptr);
  EXPECT_TRUE(parsed->chunk->script->body[0]->is<StatPropertyGet>());
  parsed = parse_source("f()");
  EXPECT_TRUE(parsed->chunk->script->body[0]->is<StatCall>());
}

TEST(lang_parser, control_flow) {
  EXPECT_EQ(errors("do local z = 5 end"), "");
  EXPECT_EQ(errors("while x do x = x - 1 if x then break end end"), "");
  EXPECT_EQ(errors("repeat local y = 1 until y"), "");
  EXPECT_EQ(errors("if a then b() elseif c then d() elseif e then f() else g() end"), "");
  EXPECT_EQ(errors("r = '' for i = 5, 1, -2 do r = r ++ i end return r"), "");
  EXPECT_EQ(errors("for k, v in pairs(t) do print(k, v) end"), "");
  EXPECT_EQ(errors("for i = 1, 3 do end"), "");
  EXPECT_EQ(errors("x = 4; case || x > 5 >> r = \"big\" || x > 2 >> r = \"mid\" || true >> r = \"small\" end; return r"), "");
  EXPECT_EQ(errors("case end"), "");
  EXPECT_EQ(errors("return"), "");
  EXPECT_EQ(errors("return;"), "");
  EXPECT_EQ(errors("return 1, 2;"), "");
  EXPECT_EQ(errors(";;; x = 1 ;"), "");
}

TEST(lang_parser, if_clauses_in_the_tree) {
  auto parsed = parse_source("if a then elseif b then else end");
  const auto* stat = parsed->chunk->script->body[0]->as<StatIf>();
  ASSERT_NE(stat, nullptr);
  EXPECT_EQ(stat->clauses.size, 2U);
  EXPECT_NE(stat->else_body, nullptr);
}

TEST(lang_parser, function_statements) {
  EXPECT_EQ(errors("function add(a, b) return a + b end; return add(2, 3)"), "");
  EXPECT_EQ(errors("obj = {n = 2}; function obj:twice() return self.n * 2 end; return obj:twice()"), "");
  auto parsed = parse_source("function a.b.c:m(x) end");
  const auto* stat = parsed->chunk->script->body[0]->as<StatFunction>();
  ASSERT_NE(stat, nullptr);
  EXPECT_EQ(stat->path.size, 3U);
  EXPECT_TRUE(stat->has_method);
  EXPECT_EQ(stat->method.name.text, "m");
  EXPECT_TRUE(stat->function->has_self);
  EXPECT_EQ(stat->function->debug_name.text, "a.b.c:m");
  parsed = parse_source("local function f() return f end");
  const auto* local = parsed->chunk->script->body[0]->as<StatLocalFunction>();
  ASSERT_NE(local, nullptr);
  EXPECT_EQ(local->name.name.text, "f");
}

// --- Rules (spec §6) ------------------------------------------------------------------

TEST(lang_parser, a_source_is_a_rule_iff_it_has_a_top_level_arrow) {
  EXPECT_TRUE(is_rule_source("66:breached => 55:on"));
  EXPECT_TRUE(is_rule_source("-- c\n#x\n  => log('a =>')"));
  EXPECT_FALSE(is_rule_source("f(function() return a => b end)"));
  EXPECT_FALSE(is_rule_source("x = '=>' -- =>\n--[[ => ]]"));
  EXPECT_FALSE(is_rule_source("t = {a => b}"));
  EXPECT_FALSE(is_rule_source("x = 1"));
}

TEST(lang_parser, rules_and_modifiers) {
  auto parsed = parse_source("66:breached debounce 00:02 single cooldown 10 every 3 first_in 06:00..09:00 since 5 => 55:off");
  EXPECT_EQ(errors_of(*parsed), "");
  const Rule* rule = parsed->chunk->rule;
  ASSERT_NE(rule, nullptr);
  ASSERT_EQ(rule->modifiers.size, 6U);
  EXPECT_EQ(rule->modifiers[0].kind, ModifierKind::Debounce);
  EXPECT_EQ(sexpr(rule->modifiers[0].operand), "00:02");
  EXPECT_EQ(rule->modifiers[1].kind, ModifierKind::Single);
  EXPECT_EQ(rule->modifiers[1].operand, nullptr);
  EXPECT_EQ(sexpr(rule->modifiers[4].operand), "(.. 06:00 09:00)");
  EXPECT_EQ(rule->modifiers[5].kind, ModifierKind::Since);
  EXPECT_EQ(rule->action->body.size, 1U);
  EXPECT_EQ(rule->arrow_location.begin.column, 85U);
}

TEST(lang_parser, spec_rule_examples_parse) {
  for (const char* source : {
           "66:breached debounce 00:02 => 55:off",
           "67:isOpen cooldown 00:10 => log(\"door\")",
           "66:breached every 3 => log(\"third\")",
           "66:breached first_in 06:00..09:00 => log(\"first motion this morning\")",
           "#doorbell => log(\"ding\")",
           "#alarm{zone=\"$z\", level=\"$l>2\"} => log(\"zone %s level %d\", z, l)",
           "#sensor{id={66,67}} => log(\"sensor\")",
           "@sunset - 00:30 => 55:on",
           "@{09:00, catch} => log(\"hi\")",
           "@$WakeUp => 55:on",
           "trueFor(00:10, 67:isOpen) => log(\"open %d min\", 10 * again(3))",
           "once(77:temp > 25) => log(\"warm\")",
           "66:breached => 55:on; wait(00:05); 55:off",
           "66:breached => 55:on; log(lampp)",
           "67:isOpen & 22:00..06:00 => notify('front door open')",
           "66:breached & 22:00..06:00 => 55:on",
           "x > 5 => log(x)",
           "@@00:15 => log('tick')",
           "single => x()",
       }) {
    auto parsed = parse_source(source);
    EXPECT_EQ(errors_of(*parsed), "") << source;
    EXPECT_NE(parsed->chunk->rule, nullptr) << source;
  }
}

TEST(lang_parser, modes) {
  EXPECT_EQ(errors_of(*parse_source("x = 1", ChunkMode::Rule)), "1:3: Did you mean '==' instead of '='? Use '==' for equality in conditions");
  EXPECT_EQ(errors_of(*parse_source("f() => b", ChunkMode::Script)), "1:5: Expected '<expression>', got '=>'");
  EXPECT_EQ(errors_of(*parse_source("55:isOn", ChunkMode::Rule)), "1:8: Expected '=>' after rule modifiers");
}

// --- Diagnostics with positions -------------------------------------------------------

TEST(lang_parser, spec_13_1_examples) {
  EXPECT_EQ(errors("@7:30 => 55:on"), "1:2: Time literals must be in HH:MM or HH:MM:SS format: 7:30");
  EXPECT_EQ(errors("66:breached && 55:isOff => 55:on"), "1:13: Use '&' (or 'and') for AND, not '&&'");
}

TEST(lang_parser, rule_diagnostics) {
  EXPECT_EQ(errors("=> 55:on"), "1:1: Rule requires a condition before '=>'");
  EXPECT_EQ(errors("x = 8 => 55:on"), "1:3: Did you mean '==' instead of '='? Use '==' for equality in conditions");
  EXPECT_EQ(errors("a => b() => c()"), "1:10: unexpected '=>': only one rule per definition");
  EXPECT_EQ(errors("a => b => c"), "1:8: unexpected '=>': only one rule per definition");
  EXPECT_EQ(errors("a => x = 1 => c"), "1:12: unexpected '=>': only one rule per definition");
  EXPECT_EQ(errors("66:breached single single => 55:on"), "1:20: duplicate modifier 'single'");
  EXPECT_EQ(errors("66:breached every 2 since 3 every 3 => 55:on"), "1:29: duplicate modifier 'every'");
  EXPECT_EQ(errors("66:breached foo => 55:on"), "1:13: Expected '=>' after rule modifiers");
  EXPECT_EQ(errors("66:breached single 55 => 55:on"), "1:20: Expected '=>' after rule modifiers");
  EXPECT_EQ(errors("66:breached || 67:breached => 55:on"), "1:13: Use '|' (or 'or') for OR, not '||'");
}

TEST(lang_parser, modifier_operand_diagnostics) {
  EXPECT_EQ(errors("66:breached since => 55:on"), "1:13: 'since' requires a duration (e.g. since 00:05)");
  EXPECT_EQ(errors("66:breached debounce => 55:on"), "1:13: 'debounce' requires a duration (e.g. debounce 2)");
  EXPECT_EQ(errors("66:breached cooldown => 55:on"), "1:13: 'cooldown' requires a duration (e.g. cooldown 00:10)");
  EXPECT_EQ(errors("66:breached every => 55:on"), "1:13: 'every' requires a count (e.g. every 3)");
  EXPECT_EQ(errors("66:breached first_in => 55:on"),
            "1:13: 'first_in' requires a time window (e.g. first_in 06:00..09:00)");
  EXPECT_EQ(errors("66:breached since single => 55:on"), "1:13: 'since' requires a duration (e.g. since 00:05)");
}

TEST(lang_parser, equality_hint_after_conditions) {
  const std::string hint = "Did you mean '==' instead of '='? Use '==' for equality in conditions";
  EXPECT_EQ(errors("if x = 1 then end"), "1:6: " + hint);
  EXPECT_EQ(errors("if a then elseif b = 2 then end"), "1:20: " + hint);
  EXPECT_EQ(errors("while y = 2 do end"), "1:9: " + hint);
  EXPECT_EQ(errors("repeat until z = 3"), "1:16: " + hint);
}

TEST(lang_parser, statement_diagnostics) {
  EXPECT_EQ(errors("x"), "1:1: expression cannot be used as a statement");
  EXPECT_EQ(errors("x = 1\n1 + 2"), "2:1: expression cannot be used as a statement");
  EXPECT_EQ(errors("#a{x=1}.x"), "1:1: expression cannot be used as a statement");
  EXPECT_EQ(errors("x == 1"), "1:1: expression cannot be used as a statement");
  EXPECT_EQ(errors("break"), "1:1: 'break' outside a loop");
  EXPECT_EQ(errors("while true do f(function() break end) end"), "1:28: 'break' outside a loop");
  EXPECT_EQ(errors("return ..."), "1:8: cannot use '...' outside a vararg function");
  EXPECT_EQ(errors("function f(a) return ... end"), "1:22: cannot use '...' outside a vararg function");
  EXPECT_EQ(errors("function f(...) return x -> ... end"), "1:29: cannot use '...' outside a vararg function");
  EXPECT_EQ(errors("goto done"), "1:1: goto and labels are not supported");
  EXPECT_EQ(errors("x = 1 ::done::"), "1:7: goto and labels are not supported");
  EXPECT_EQ(errors("$cfg.x = 1"), "1:1: cannot assign into a field of persistent variable '$cfg'; assign the whole value");
  EXPECT_EQ(errors("y, $cfg.a[1] = 1, 2"), "1:4: cannot assign into a field of persistent variable '$cfg'; assign the whole value");
  EXPECT_EQ(errors("$cfg.x += 1"), "1:1: cannot assign into a field of persistent variable '$cfg'; assign the whole value");
  EXPECT_EQ(errors("55:value += 1"), "1:1: compound assignment to a device property is not supported");
  EXPECT_EQ(errors("x = 1; || y"), "1:8: Use '|' (or 'or') for OR, not '||'");
  EXPECT_EQ(errors("x = a || b"), "1:7: Use '|' (or 'or') for OR, not '||'");
}

TEST(lang_parser, expression_diagnostics) {
  EXPECT_EQ(errors("return 1 < 2 < 3"), "1:14: Comparison operators cannot be chained; combine them with '&'");
  EXPECT_EQ(errors("1 < 2 < 3 => x()"), "1:7: Comparison operators cannot be chained; combine them with '&'");
  EXPECT_EQ(errors("return a == b ~= c"), "1:15: Comparison operators cannot be chained; combine them with '&'");
  EXPECT_EQ(errors("return a === b == c"),
            "1:16: Comparison operators cannot be chained; combine them with '&'");
  EXPECT_EQ(errors("return a ==="), "1:13: Expected '<expression>', got '<eof>'");
  EXPECT_EQ(errors("return \"a\" .. \"b\""), "1:12: '..' is the between operator on times; use '++' to join strings");
  EXPECT_EQ(errors("return x .. 'b'"), "1:10: '..' is the between operator on times; use '++' to join strings");
  EXPECT_EQ(errors("x = @08:00"), "1:5: '@' is only allowed in a rule condition");
  EXPECT_EQ(errors("66:breached => x = @@00:10"), "1:20: '@' is only allowed in a rule condition");
  EXPECT_EQ(errors("f(x -> @08:00) => y()"), "1:8: '@' is only allowed in a rule condition");
  EXPECT_EQ(errors("@@0 => x()"), "1:3: interval must be positive");
  EXPECT_EQ(errors("@@00:00 => x()"), "1:3: interval must be positive");
  EXPECT_EQ(errors("@@ -5 => x()"), "1:4: interval must be positive");
  EXPECT_EQ(errors("@@-0 => x()"), "1:4: interval must be positive");
  EXPECT_EQ(errors("@@00:15 & @08:00 => x()"), "1:11: a rule may have only one '@@' and cannot combine it with '@'");
  EXPECT_EQ(errors("@08:00 | @@00:15 => x()"), "1:10: a rule may have only one '@@' and cannot combine it with '@'");
  EXPECT_EQ(errors("@@00:15 | @@-00:10 => x()"), "1:11: a rule may have only one '@@' and cannot combine it with '@'");
  EXPECT_EQ(errors("@08:00 | @09:00 => x()"), "");
  // A literal after '@' is a time of day; a computed one counts modulo 24 hours.
  EXPECT_EQ(errors("@25:00 => x()"), "1:2: '@25:00' is not a time of day: hours go from 00 to 23");
  EXPECT_EQ(errors("@24:00 => x()"), "1:2: '@24:00' is not a time of day: hours go from 00 to 23");
  EXPECT_EQ(errors("@{07:00, (24:30), catch} => x()"),
            "1:11: '@24:30' is not a time of day: hours go from 00 to 23");
  EXPECT_EQ(errors("@23:59:59 => x()"), "");
  EXPECT_EQ(errors("@(13:00 + 24:00) => x()"), "");
  EXPECT_EQ(errors("x = 25:00; wait(25:00)"), "");
}

TEST(lang_parser, appendix_b_diagnostics) {
  EXPECT_EQ(errors("x = $$foo"),
            "1:5: '$$foo': QuickApp variables do not exist here; use '$foo' (a persistent global, "
            "visible in the API)");
  EXPECT_EQ(errors("x = $$$bar"),
            "1:5: '$$$bar': QuickApp storage does not exist here; use '$bar' (a persistent global, "
            "visible in the API)");
  EXPECT_EQ(errors("local x <const> = 5"), "1:9: Expected '=', got '<'");
  EXPECT_EQ(errors("local f <close> = x"), "1:9: Expected '=', got '<'");
}

// Scene declarations (EventRunner7's named scenes) are sugar for defineScene calls;
// their entries must be property sets or actions.
TEST(lang_parser, scene_declarations) {
  EXPECT_EQ(errors("scene cozy = {55:value = 80, hall:off}"), "");
  EXPECT_EQ(errors("scene movie = {activate: {55:off}, deactivate: {55:on}}"), "");
  EXPECT_EQ(errors("scene wakeup = {lights = 1}"),
            "1:17: a scene entry is 'object:property = value' or 'object:action'");
  EXPECT_EQ(errors("scene = 5"), "");  // `scene` is still an ordinary name.
}

// Lua's check_match: a missing closer names what it closes and where that opened.
TEST(lang_parser, unclosed_blocks_name_their_opener) {
  EXPECT_EQ(errors("x = 1\nwhile x do\n  y()\n"), "4:1: Expected 'end' (to close 'while' at line 2), got '<eof>'");
  EXPECT_EQ(errors("for i = 1, 2 do\n"), "2:1: Expected 'end' (to close 'for' at line 1), got '<eof>'");
  EXPECT_EQ(errors("for k, v in pairs(t) do\n"), "2:1: Expected 'end' (to close 'for' at line 1), got '<eof>'");
  EXPECT_EQ(errors("function f()\n  return 1\n"), "3:1: Expected 'end' (to close 'function' at line 1), got '<eof>'");
  EXPECT_EQ(errors("local function f()\n"), "2:1: Expected 'end' (to close 'function' at line 1), got '<eof>'");
  EXPECT_EQ(errors("x = function()\n"), "2:1: Expected 'end' (to close 'function' at line 1), got '<eof>'");
  EXPECT_EQ(errors("do\n  x = 1\n"), "3:1: Expected 'end' (to close 'do' at line 1), got '<eof>'");
  EXPECT_EQ(errors("repeat\n  x = 1\n"), "3:1: Expected 'until' (to close 'repeat' at line 1), got '<eof>'");
  EXPECT_EQ(errors("if a then\nelseif b then\nelse\n"), "4:1: Expected 'end' (to close 'if' at line 1), got '<eof>'");
  EXPECT_EQ(errors("case\n|| a >> x = 1\n"), "3:1: Expected 'end' (to close 'case' at line 1), got '<eof>'");
  // The innermost open block is the one named.
  EXPECT_EQ(errors("if a then\n  while b do\nend\n"), "4:1: Expected 'end' (to close 'if' at line 1), got '<eof>'");
  EXPECT_EQ(errors("while a do\n  if b then\n"), "3:1: Expected 'end' (to close 'if' at line 2), got '<eof>'");
  // Another token where the closer belongs is named as it is.
  EXPECT_EQ(errors("do\n  x = 1\nuntil"),
            "3:1: Expected 'end' (to close 'do' at line 1), got 'until' ('until' is a reserved word)");
}

TEST(lang_parser, unclosed_brackets_name_an_opener_on_an_earlier_line) {
  EXPECT_EQ(errors("f(1,\n  2"), "2:4: Expected ')' (to close '(' at line 1), got '<eof>'");
  EXPECT_EQ(errors("x = (1 +\n 2"), "2:3: Expected ')' (to close '(' at line 1), got '<eof>'");
  EXPECT_EQ(errors("x = {1,\n 2"), "2:3: Expected '}' (to close '{' at line 1), got '<eof>'");
  EXPECT_EQ(errors("x = t[1 +\n 2"), "2:3: Expected ']' (to close '[' at line 1), got '<eof>'");
  EXPECT_EQ(errors("x = {[1 +\n 2"), "2:3: Expected ']' (to close '[' at line 1), got '<eof>'");
  EXPECT_EQ(errors("x = [v for v in\n t"), "2:3: Expected ']' (to close '[' at line 1), got '<eof>'");
  // On the same line the caret already shows the opener.
  EXPECT_EQ(errors("x = t[1"), "1:8: Expected ']', got '<eof>'");
}

TEST(lang_parser, expected_token_diagnostics) {
  EXPECT_EQ(errors("if x then"), "1:10: Expected 'end' (to close 'if' at line 1), got '<eof>'");
  EXPECT_EQ(errors("if x y() end"), "1:6: Expected 'then', got 'y'");
  EXPECT_EQ(errors("local end = 1"), "1:7: Expected '<name>', got 'end' ('end' is a reserved word)");
  EXPECT_EQ(errors("f(1, 2"), "1:7: Expected ')', got '<eof>'");
  EXPECT_EQ(errors("x = (1"), "1:7: Expected ')', got '<eof>'");
  EXPECT_EQ(errors("x = {1, 2"), "1:10: Expected '}', got '<eof>'");
  EXPECT_EQ(errors("x = )"), "1:5: Expected '<expression>', got ')'");
  EXPECT_EQ(errors("end"), "1:1: Expected '<eof>', got 'end' ('end' is a reserved word)");
  EXPECT_EQ(errors("return 1 x = 2"), "1:10: Expected '<eof>', got 'x'");
  EXPECT_EQ(errors("for 1 = 1, 2 do end"), "1:5: Expected '<name>', got '1'");
  EXPECT_EQ(errors("for i = 1 do end"), "1:11: Expected ',', got 'do' ('do' is a reserved word)");
  EXPECT_EQ(errors("case || x y() end"), "1:11: Expected '>>', got 'y'");
  EXPECT_EQ(errors("x = a.end"), "1:7: Expected '<name>', got 'end' ('end' is a reserved word)");
  EXPECT_EQ(errors("x = [1 for in t]"), "1:12: Expected '<name>', got 'in' ('in' is a reserved word)");
  EXPECT_EQ(errors("x = 1\n\nif"), "3:3: Expected '<expression>', got '<eof>'");
}

TEST(lang_parser, only_the_first_syntax_error_is_reported) {
  EXPECT_EQ(errors("x = ) y = )"), "1:5: Expected '<expression>', got ')'");
  EXPECT_EQ(errors("x = 1 ~ 2 y = &&"), "1:7: Bitwise operators are not supported");
  // Static errors before the syntax error are kept.
  EXPECT_EQ(errors("break x = )"), "1:1: 'break' outside a loop\n1:11: Expected '<expression>', got ')'");
  // Static errors do not stop the parse.
  EXPECT_EQ(errors("break; return ..."),
            "1:1: 'break' outside a loop\n1:15: cannot use '...' outside a vararg function");
}

TEST(lang_parser, partial_trees_are_kept) {
  auto parsed = parse_source("x = 1 y = )");
  ASSERT_NE(parsed->chunk->script, nullptr);
  ASSERT_EQ(parsed->chunk->script->body.size, 2U);
  EXPECT_TRUE(parsed->chunk->script->body[0]->is<StatAssign>());
  EXPECT_TRUE(parsed->chunk->has_syntax_error);
  EXPECT_FALSE(parse_source("break")->chunk->has_syntax_error);  // A static error only.
  parsed = parse_source("x = 1 y == 2");
  ASSERT_EQ(parsed->chunk->script->body.size, 2U);
  const auto* error = parsed->chunk->script->body[1]->as<StatError>();
  ASSERT_NE(error, nullptr);
  ASSERT_EQ(error->expressions.size, 1U);
  EXPECT_EQ(sexpr(error->expressions[0]), "(== y 2)");
  parsed = parse_source("f() = 1");
  error = parsed->chunk->script->body[0]->as<StatError>();
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(error->expressions.size, 2U);
}

TEST(lang_parser, nesting_is_limited) {
  const std::string limit = "expression or block nested too deeply (limit is 200); simplify it";
  EXPECT_EQ(errors("return " + std::string(150, '(') + "1" + std::string(150, ')')), "");
  EXPECT_EQ(errors("return " + std::string(300, '(') + "1" + std::string(300, ')')).substr(0, 6), "1:207:");
  std::string minuses = "return ";
  for (int i = 0; i < 5000; ++i) minuses += "- ";  // Not "--", which starts a comment.
  EXPECT_NE(errors(minuses + "1").find(limit), std::string::npos);
  EXPECT_NE(errors("return " + std::string(5000, '!') + "1").find(limit), std::string::npos);
  std::string chain = "return 1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  EXPECT_NE(errors(chain).find(limit), std::string::npos);
  std::string blocks;
  for (int i = 0; i < 1000; ++i) blocks += "do ";
  EXPECT_NE(errors(blocks).find(limit), std::string::npos);
  std::string tables = "x = " + std::string(3000, '{');
  EXPECT_NE(errors(tables).find(limit), std::string::npos);
  std::string long_table = "x = {";
  for (int i = 0; i < 5000; ++i) long_table += "1, ";
  EXPECT_EQ(errors(long_table + "}"), "");  // Long lists are not nesting.
}

TEST(lang_parser, locations) {
  auto parsed = parse_source("66:breached & x =>\n  55:on\n  wait(00:05)");
  const Rule* rule = parsed->chunk->rule;
  ASSERT_NE(rule, nullptr);
  const auto* condition = rule->condition->as<ExprBinary>();
  ASSERT_NE(condition, nullptr);
  EXPECT_EQ(condition->location.begin, (Position{1, 1}));
  EXPECT_EQ(condition->location.end, (Position{1, 16}));
  EXPECT_EQ(condition->op_location.begin, (Position{1, 13}));
  const auto* property = condition->left->as<ExprProperty>();
  ASSERT_NE(property, nullptr);
  EXPECT_EQ(property->name_location.begin, (Position{1, 4}));
  EXPECT_EQ(rule->arrow_location.begin, (Position{1, 17}));
  EXPECT_EQ(rule->action->location.begin, (Position{2, 3}));
  EXPECT_EQ(rule->action->location.end, (Position{3, 14}));
  EXPECT_EQ(parsed->chunk->location.end, (Position{3, 14}));
}

// --- Rules files ----------------------------------------------------------------------

struct ParsedFile {
  common::Arena arena;
  common::Interner names;
  common::DiagnosticList diagnostics;
  std::string source;
  SourceFile* file = nullptr;
};

std::unique_ptr<ParsedFile> parse_rules_file(std::string_view source) {
  auto parsed = std::make_unique<ParsedFile>();
  parsed->source = std::string(source);
  parsed->file = parse_file(parsed->source, parsed->arena, parsed->names, parsed->diagnostics).file;
  return parsed;
}

std::string file_errors(const ParsedFile& parsed) {
  std::string out;
  for (const common::Diagnostic& d : parsed.diagnostics.items()) {
    if (!out.empty()) out += "\n";
    out += std::to_string(d.position.line) + ":" + std::to_string(d.position.column) + ": " + d.message;
  }
  return out;
}

TEST(lang_parser, rules_file_items_start_in_column_one) {
  auto parsed = parse_rules_file(
      "-- lights\n"
      "local dim = 30\n"
      "function half(x) return x / 2\n"
      "end\n"
      "\n"
      "66:breached => 55:on\n"
      "  wait(00:05)\n"
      "    -- comment\n"
      "  55:off\n"
      "{66, 67}:isOn\n"
      "  => log('any')\n"
      "x = 1\n"
      "y = 2\n");
  EXPECT_EQ(file_errors(*parsed), "");
  ASSERT_EQ(parsed->file->items.size, 4U);
  EXPECT_FALSE(parsed->file->items[0]->is_rule());
  EXPECT_EQ(parsed->file->items[0]->script->body.size, 2U);
  EXPECT_EQ(parsed->file->items[0]->text, "local dim = 30\nfunction half(x) return x / 2\nend");
  ASSERT_TRUE(parsed->file->items[1]->is_rule());
  EXPECT_EQ(parsed->file->items[1]->rule->action->body.size, 3U);
  EXPECT_EQ(parsed->file->items[1]->location.begin.line, 6U);
  EXPECT_EQ(parsed->file->items[1]->text, "66:breached => 55:on\n  wait(00:05)\n    -- comment\n  55:off");
  ASSERT_TRUE(parsed->file->items[2]->is_rule());
  EXPECT_EQ(parsed->file->items[2]->rule->action->body.size, 1U);
  EXPECT_FALSE(parsed->file->items[3]->is_rule());
  EXPECT_EQ(parsed->file->items[3]->script->body.size, 2U);
}

TEST(lang_parser, a_rule_action_ends_at_the_next_column_one_line) {
  auto parsed = parse_rules_file("a => b()\n(c)()\n");
  EXPECT_EQ(file_errors(*parsed), "");
  ASSERT_EQ(parsed->file->items.size, 2U);
  EXPECT_EQ(parsed->file->items[0]->rule->action->body.size, 1U);
  EXPECT_FALSE(parsed->file->items[1]->is_rule());
}

TEST(lang_parser, a_script_item_ends_where_a_rule_starts) {
  auto parsed = parse_rules_file("x = f\n(a) => b()\n");
  EXPECT_EQ(file_errors(*parsed), "");
  ASSERT_EQ(parsed->file->items.size, 2U);
  EXPECT_TRUE(parsed->file->items[1]->is_rule());
}

TEST(lang_parser, an_error_in_one_item_does_not_hide_the_next) {
  auto parsed = parse_rules_file(
      "66:breached && x => 55:on\n"
      "  55:off\n"
      "x = )\n"
      "  y = 2\n"
      "ok => fine()\n"
      "@7:30 => 55:on\n"
      "if x then\n"
      "z => a => b\n");
  EXPECT_EQ(file_errors(*parsed),
            "1:13: Use '&' (or 'and') for AND, not '&&'\n"
            "3:5: Expected '<expression>', got ')'\n"
            "6:2: Time literals must be in HH:MM or HH:MM:SS format: 7:30\n"
            "8:1: Expected 'end' (to close 'if' at line 7), got '<eof>'\n"
            "8:8: unexpected '=>': only one rule per definition");
  ASSERT_EQ(parsed->file->items.size, 6U);
  EXPECT_TRUE(parsed->file->items[2]->is_rule());
  EXPECT_TRUE(parsed->file->items[0]->has_syntax_error);
  EXPECT_TRUE(parsed->file->items[1]->has_syntax_error);
  EXPECT_FALSE(parsed->file->items[2]->has_syntax_error);
}

TEST(lang_parser, rules_file_second_arrow_on_an_indented_line) {
  auto parsed = parse_rules_file("a => b()\n  c => d()\ne => f()\n");
  EXPECT_EQ(file_errors(*parsed), "2:5: unexpected '=>': only one rule per definition");
  EXPECT_EQ(parsed->file->items.size, 2U);
}

TEST(lang_parser, rules_file_edge_cases) {
  EXPECT_EQ(parse_rules_file("")->file->items.size, 0U);
  EXPECT_EQ(parse_rules_file("-- only a comment\n\n")->file->items.size, 0U);
  auto parsed = parse_rules_file("  x = 1\ny = 2");  // The first item may be indented.
  EXPECT_EQ(file_errors(*parsed), "");
  EXPECT_EQ(parsed->file->items.size, 1U);
  parsed = parse_rules_file("--[[ never closed\nx = 1");
  EXPECT_EQ(file_errors(*parsed), "1:1: Unfinished long comment");
}

}  // namespace
}  // namespace er::lang
