// Expressions (spec §2, §3). Precedence, loosest first: | or; & and; ??; comparisons
// (non-associative); .. ++; prefix @ @@ @@-; + -; * / // %; prefix - ! not t/ n/ +/;
// ^ (right-associative); suffixes.

#include "parser_impl.h"
#include "string_join.h"

namespace er::lang {

namespace {

// Binding powers of the binary operators (spec §3.1), loosest first. Every binary level
// is left-associative (right power = left power) except '^', whose right operand is an
// unary expression. The prefix operators sit between levels: '@' '@@' '@@-' apply to an
// additive expression, '-' '!' 'not' 't/' 'n/' '+/' to an unary one.
constexpr int kOrPower = 1;
constexpr int kAndPower = 2;
constexpr int kCoalescePower = 3;
constexpr int kComparisonPower = 4;
constexpr int kRangePower = 5;
constexpr int kSchedulePower = 6;  // The operand of '@' binds tighter than '..'.
constexpr int kAdditivePower = 7;
constexpr int kMultiplicativePower = 8;
constexpr int kUnaryPower = 9;     // The operand of '-' binds tighter than '*'.
constexpr int kPowerPower = 10;

struct BinaryInfo {
  BinaryOp op;
  int power;
};

// The binary operator a token stands for, if any.
bool binary_info(TokenKind kind, BinaryInfo& info) {
  switch (kind) {
    case TokenKind::Pipe:
    case TokenKind::Or: info = {BinaryOp::Or, kOrPower}; return true;
    case TokenKind::Ampersand:
    case TokenKind::And: info = {BinaryOp::And, kAndPower}; return true;
    case TokenKind::Coalesce: info = {BinaryOp::Coalesce, kCoalescePower}; return true;
    case TokenKind::Equal: info = {BinaryOp::Equal, kComparisonPower}; return true;
    case TokenKind::TripleEqual: info = {BinaryOp::Match, kComparisonPower}; return true;
    case TokenKind::TildeEqual:
    case TokenKind::BangEqual: info = {BinaryOp::NotEqual, kComparisonPower}; return true;
    case TokenKind::Less: info = {BinaryOp::Less, kComparisonPower}; return true;
    case TokenKind::LessEqual: info = {BinaryOp::LessEqual, kComparisonPower}; return true;
    case TokenKind::Greater: info = {BinaryOp::Greater, kComparisonPower}; return true;
    case TokenKind::GreaterEqual: info = {BinaryOp::GreaterEqual, kComparisonPower}; return true;
    case TokenKind::DotDot: info = {BinaryOp::Between, kRangePower}; return true;
    case TokenKind::PlusPlus: info = {BinaryOp::Concat, kRangePower}; return true;
    case TokenKind::Plus: info = {BinaryOp::Add, kAdditivePower}; return true;
    case TokenKind::Minus: info = {BinaryOp::Sub, kAdditivePower}; return true;
    case TokenKind::Star: info = {BinaryOp::Mul, kMultiplicativePower}; return true;
    case TokenKind::Slash: info = {BinaryOp::Div, kMultiplicativePower}; return true;
    case TokenKind::SlashSlash: info = {BinaryOp::IntDiv, kMultiplicativePower}; return true;
    case TokenKind::Percent: info = {BinaryOp::Mod, kMultiplicativePower}; return true;
    case TokenKind::Caret: info = {BinaryOp::Pow, kPowerPower}; return true;
    default: return false;
  }
}

bool unary_op(TokenKind kind, UnaryOp& op) {
  switch (kind) {
    case TokenKind::Minus: op = UnaryOp::Minus; return true;
    case TokenKind::Bang:
    case TokenKind::Not: op = UnaryOp::Not; return true;
    case TokenKind::TodayPrefix: op = UnaryOp::Today; return true;
    case TokenKind::NextPrefix: op = UnaryOp::Next; return true;
    case TokenKind::FromNowPrefix: op = UnaryOp::FromNow; return true;
    default: return false;
  }
}

bool schedule_op(TokenKind kind, ScheduleKind& schedule) {
  switch (kind) {
    case TokenKind::At: schedule = ScheduleKind::Daily; return true;
    case TokenKind::AtAt: schedule = ScheduleKind::Interval; return true;
    case TokenKind::AtAtMinus: schedule = ScheduleKind::AlignedInterval; return true;
    default: return false;
  }
}

// A literal interval operand that is zero or negative (spec §7.6).
bool is_nonpositive_literal(const Expr* operand) {
  if (const auto* number = operand->as<ExprNumber>()) {
    return number->is_integer ? number->integer <= 0 : !(number->number > 0.0);
  }
  if (const auto* time = operand->as<ExprTime>()) return time->seconds <= 0;
  if (const auto* unary = operand->as<ExprUnary>()) {
    return unary->op == UnaryOp::Minus &&
           (unary->operand->is<ExprNumber>() || unary->operand->is<ExprTime>());
  }
  return false;
}

}  // namespace

// exp        ::= andexp {('|' | 'or') andexp}
// andexp     ::= coalexp {('&' | 'and') coalexp}
// coalexp    ::= cmpexp {'??' cmpexp}
// cmpexp     ::= rangeexp [('==' | '~=' | '!=' | '<' | '<=' | '>' | '>=') rangeexp]
// rangeexp   ::= schedexp {('..' | '++') schedexp}
// schedexp   ::= ('@' | '@@' | '@@-') addexp | addexp
// addexp     ::= mulexp {('+' | '-') mulexp}
// mulexp     ::= unexp {('*' | '/' | '//' | '%') unexp}
// unexp      ::= ('-' | '!' | 'not' | 't/' | 'n/' | '+/') unexp | postfix ['^' unexp]
// These levels are parsed by precedence climbing (as Lua's subexpr): one call per
// operand instead of one per level.
Expr* Parser::parse_expr() { return parse_binary(0); }

// An expression whose binary operators all bind tighter than `limit`.
Expr* Parser::parse_binary(int limit) {
  const int entry_depth = depth_;
  if (!enter_level()) {
    depth_ = entry_depth;
    return error_expr(current_.begin);
  }
  Expr* left = parse_operand(limit);
  BinaryInfo info{BinaryOp::Or, 0};
  // Each operator chained here deepens the tree by one level (left-associative
  // operators build it leftwards), so it counts against the nesting limit too.
  while (binary_info(current_.kind, info) && info.power > limit && enter_level()) {
    const Token op_token = current_;
    advance();
    // '^' is right-associative and its right operand may be unary.
    Expr* right = parse_binary(info.op == BinaryOp::Pow ? kUnaryPower : info.power);
    if (info.op == BinaryOp::Between) check_between_operands(op_token, left, right);
    left = make_binary(info.op, op_token, left, right);
    if (info.power == kComparisonPower && binary_info(current_.kind, info) &&
        info.power == kComparisonPower) {
      syntax_error(current_.begin, "Comparison operators cannot be chained; combine them with '&'");
    }
  }
  depth_ = entry_depth;
  return left;
}

// The first operand of an expression at `limit`: a prefix operator and its operand, or
// a postfix expression.
Expr* Parser::parse_operand(int limit) {
  UnaryOp unary = UnaryOp::Minus;
  if (unary_op(current_.kind, unary)) {
    const Token op_token = current_;
    advance();
    Expr* operand = parse_binary(kUnaryPower);
    return arena_.make<ExprUnary>(Location{op_token.begin, operand->location.end}, unary,
                                  op_token.location(), operand);
  }
  ScheduleKind schedule = ScheduleKind::Daily;
  if (limit < kSchedulePower && schedule_op(current_.kind, schedule)) {
    const Token op_token = current_;
    advance();
    Expr* operand = parse_binary(kSchedulePower);
    check_schedule(schedule, op_token, operand);
    return arena_.make<ExprSchedule>(Location{op_token.begin, operand->location.end}, schedule,
                                     op_token.location(), operand);
  }
  return parse_postfix();
}

Expr* Parser::make_binary(BinaryOp op, const Token& op_token, Expr* left, Expr* right) {
  return arena_.make<ExprBinary>(Location{left->location.begin, right->location.end}, op,
                                 op_token.location(), left, right);
}

// '@' / '@@' only in a rule condition; at most one '@@', never with '@' (spec §7.5, §7.6).
void Parser::check_schedule(ScheduleKind kind, const Token& op_token, Expr* operand) {
  if (!in_condition_) {
    static_error(op_token.begin, "'@' is only allowed in a rule condition");
    return;
  }
  const bool interval = kind != ScheduleKind::Daily;
  if (seen_interval_ || (interval && seen_daily_)) {
    static_error(op_token.begin, "a rule may have only one '@@' and cannot combine it with '@'");
  }
  (interval ? seen_interval_ : seen_daily_) = true;
  if (interval && is_nonpositive_literal(operand)) {
    static_error(operand->location.begin, "interval must be positive");
  }
  if (!interval) check_daily_literals(operand);
}

// A time of day written as a literal in an '@' operand (`@25:00`, `@{07:00, 24:30}`)
// must be before 24:00: such a time is a mistake, not a wish for 01:00. A computed
// value still counts modulo 24 hours (`@(sunset + 10:00)`).
void Parser::check_daily_literals(const Expr* operand) {
  while (const auto* paren = operand->as<ExprParen>()) operand = paren->inner;
  if (const auto* time = operand->as<ExprTime>()) {
    if (time->seconds >= 24 * 3600) {
      static_error(time->location.begin, "'@" + std::string(time->lexeme) +
                                             "' is not a time of day: hours go from 00 to 23");
    }
    return;
  }
  if (const auto* table = operand->as<ExprTable>()) {
    for (const TableField& field : table->fields) {
      if (field.kind == TableFieldKind::Positional) check_daily_literals(field.value);
    }
  }
}

// '..' on a string literal is a compile-time error (spec §3.5).
void Parser::check_between_operands(const Token& op_token, Expr* left, Expr* right) {
  if (left->is<ExprString>() || right->is<ExprString>()) {
    static_error(op_token.begin, "'..' is the between operator on times; use '++' to join strings");
  }
}

Expr* Parser::parse_condition() {
  Expr* condition = parse_expr();
  if (check(TokenKind::Assign)) {
    syntax_error(current_.begin,
                 "Did you mean '==' instead of '='? Use '==' for equality in conditions");
  }
  return condition;
}

// explist ::= exp {',' exp}
AstArray<Expr*> Parser::parse_expr_list() {
  const std::size_t mark = exprs_.mark();
  exprs_.push(parse_expr());
  while (accept(TokenKind::Comma)) exprs_.push(parse_expr());
  return exprs_.finish(mark, arena_);
}

// postfix ::= primary {'.' Name | '[' exp ']' | args | ':' Name args | ':' Name}
Expr* Parser::parse_postfix() {
  const Position begin = current_.begin;
  return parse_suffixes(parse_primary(), begin);
}

Expr* Parser::parse_suffixes(Expr* object, Position begin) {
  for (;;) {
    switch (current_.kind) {
      case TokenKind::Dot: {
        advance();
        const Binding name = expect_name();
        object = arena_.make<ExprField>(span_from(begin), object, name.name, name.location);
        break;
      }
      case TokenKind::LeftBracket: {
        const Position open = current_.begin;
        advance();
        Expr* key = parse_expr();
        expect_match(TokenKind::RightBracket, TokenKind::LeftBracket, open);
        object = arena_.make<ExprIndex>(span_from(begin), object, key);
        break;
      }
      case TokenKind::LeftParen:
      case TokenKind::LeftBrace:
      case TokenKind::String: {
        const AstArray<Expr*> args = parse_call_args();
        object = arena_.make<ExprCall>(span_from(begin), object, args);
        break;
      }
      case TokenKind::Colon:
        object = parse_colon_suffix(object, begin);
        break;
      default:
        return object;
    }
  }
}

// ':' Name args (a method call) | ':' Name (a property get)
Expr* Parser::parse_colon_suffix(Expr* object, Position begin) {
  advance();
  const Binding name = expect_name();
  if (check(TokenKind::LeftParen) || check(TokenKind::LeftBrace) || check(TokenKind::String)) {
    const AstArray<Expr*> args = parse_call_args();
    return arena_.make<ExprMethodCall>(span_from(begin), object, name.name, name.location, args);
  }
  return arena_.make<ExprProperty>(span_from(begin), object, name.name, name.location);
}

// args ::= '(' [explist] ')' | table | String
AstArray<Expr*> Parser::parse_call_args() {
  if (check(TokenKind::LeftBrace)) {
    const std::size_t mark = exprs_.mark();
    exprs_.push(parse_table());
    return exprs_.finish(mark, arena_);
  }
  if (check(TokenKind::String)) {
    const std::size_t mark = exprs_.mark();
    exprs_.push(parse_literal());
    return exprs_.finish(mark, arena_);
  }
  const Position open = current_.begin;
  advance();  // '('
  if (accept(TokenKind::RightParen)) return AstArray<Expr*>{};
  const AstArray<Expr*> args = parse_expr_list();
  expect_match(TokenKind::RightParen, TokenKind::LeftParen, open);
  return args;
}

// primary ::= 'nil' | 'false' | 'true' | Number | String | Time | Date | '...' | Event
//           | '$' Name | Name | '(' exp ')' | table | comprehension | 'function' funcbody
//           | lambda
Expr* Parser::parse_primary() {
  const Position begin = current_.begin;
  switch (current_.kind) {
    case TokenKind::Name: return parse_name_or_lambda();
    case TokenKind::LeftParen: return parse_paren_or_lambda();
    case TokenKind::LeftBrace: return parse_table();
    case TokenKind::LeftBracket: return parse_comprehension();
    case TokenKind::Event: return parse_event();
    case TokenKind::Persistent:
    case TokenKind::QaVariable:
    case TokenKind::QaStorage: return parse_persistent();
    case TokenKind::Function: {
      advance();
      return parse_function_body(begin, false);
    }
    default: return parse_literal();
  }
}

// 'nil' | 'false' | 'true' | Number | String | Time | Date | '...'
Expr* Parser::parse_literal() {
  const Token token = current_;
  Expr* literal = nullptr;
  switch (token.kind) {
    case TokenKind::Nil: literal = arena_.make<ExprNil>(token.location()); break;
    case TokenKind::True: literal = arena_.make<ExprBool>(token.location(), true); break;
    case TokenKind::False: literal = arena_.make<ExprBool>(token.location(), false); break;
    case TokenKind::Number: literal = parse_number_token(token); break;
    case TokenKind::String:
      literal = arena_.make<ExprString>(token.location(), token.text, decode_string_token(token));
      break;
    case TokenKind::Time:
      literal = arena_.make<ExprTime>(token.location(), token.text, parse_time(token.text));
      break;
    case TokenKind::Date: literal = parse_date_token(token); break;
    case TokenKind::Ellipsis:
      if (!function_.is_vararg) static_error(token.begin, "cannot use '...' outside a vararg function");
      literal = arena_.make<ExprVararg>(token.location());
      break;
    default:
      error_expected("<expression>");
      return error_expr(token.begin);
  }
  advance();
  return literal;
}

Expr* Parser::parse_number_token(const Token& token) {
  auto* number = arena_.make<ExprNumber>(token.location(), token.text);
  const NumberValue value = parse_number(token.text);
  number->is_integer = value.is_integer;
  number->integer = value.integer;
  number->number = value.is_integer ? static_cast<double>(value.integer) : value.number;
  return number;
}

ExprDate* Parser::parse_date_token(const Token& token) {
  auto* date = arena_.make<ExprDate>(token.location(), token.text);
  const DateValue value = parse_date(token.text);
  date->has_year = value.has_year;
  date->year = value.year;
  date->month = value.month;
  date->day = value.day;
  date->has_time = value.has_time;
  date->has_seconds = value.has_seconds;
  date->time_of_day = value.time_of_day;
  return date;
}

// Name | lambda ::= Name '->' exp
Expr* Parser::parse_name_or_lambda() {
  const Token name = current_;
  if (peek().kind == TokenKind::ThinArrow) {
    advance();
    const std::size_t mark = bindings_.mark();
    bindings_.push(binding(name));
    return parse_lambda_body(name.begin, bindings_.finish(mark, arena_), false);
  }
  advance();
  return arena_.make<ExprName>(name.location(), intern(name.text));
}

// '(' exp ')' | lambda ::= '(' [namelist] ')' '->' exp
Expr* Parser::parse_paren_or_lambda() {
  const Position begin = current_.begin;
  if (paren_starts_lambda()) {
    advance();  // '('
    const std::size_t mark = bindings_.mark();
    if (!check(TokenKind::RightParen)) {
      bindings_.push(expect_name());
      while (accept(TokenKind::Comma)) bindings_.push(expect_name());
    }
    expect(TokenKind::RightParen);
    return parse_lambda_body(begin, bindings_.finish(mark, arena_), true);
  }
  advance();
  Expr* inner = parse_expr();
  expect_match(TokenKind::RightParen, TokenKind::LeftParen, begin);
  return arena_.make<ExprParen>(span_from(begin), inner);
}

// Looks past '(' for "[Name {',' Name}] ')' '->'" without consuming anything.
bool Parser::paren_starts_lambda() {
  std::size_t at = 0;
  if (peek(at).kind != TokenKind::RightParen) {
    for (;;) {
      if (peek(at).kind != TokenKind::Name) return false;
      ++at;
      if (peek(at).kind != TokenKind::Comma) break;
      ++at;
    }
    if (peek(at).kind != TokenKind::RightParen) return false;
  }
  return peek(at + 1).kind == TokenKind::ThinArrow;
}

// '->' exp, with the body in its own function context.
ExprLambda* Parser::parse_lambda_body(Position begin, AstArray<Binding> params, bool parenthesized) {
  expect(TokenKind::ThinArrow);
  const FunctionContext saved_function = function_;
  const bool saved_condition = in_condition_;
  function_ = FunctionContext{};
  in_condition_ = false;
  Expr* body = parse_expr();
  function_ = saved_function;
  in_condition_ = saved_condition;
  return arena_.make<ExprLambda>(span_from(begin), params, parenthesized, body);
}

// funcbody ::= '(' [namelist [',' '...'] | '...'] ')' block 'end'
ExprFunction* Parser::parse_function_body(Position begin, bool is_method) {
  const std::size_t mark = bindings_.mark();
  Location vararg_location;
  const bool is_vararg = parse_parameters(vararg_location);
  const AstArray<Binding> params = bindings_.finish(mark, arena_);
  const FunctionContext saved_function = function_;
  const bool saved_condition = in_condition_;
  function_ = FunctionContext{is_vararg, 0, 0};
  in_condition_ = false;
  StatBlock* body = parse_block();
  expect_match(TokenKind::End, TokenKind::Function, begin);
  function_ = saved_function;
  in_condition_ = saved_condition;
  auto* function = arena_.make<ExprFunction>(span_from(begin), params, is_vararg, body);
  function->has_self = is_method;
  function->vararg_location = vararg_location;
  return function;
}

bool Parser::parse_parameters(Location& vararg_location) {
  expect(TokenKind::LeftParen);
  if (accept(TokenKind::RightParen)) return false;
  bool is_vararg = false;
  do {
    if (check(TokenKind::Ellipsis)) {
      vararg_location = current_.location();
      is_vararg = true;
      advance();
      break;
    }
    bindings_.push(expect_name());
  } while (accept(TokenKind::Comma));
  expect(TokenKind::RightParen);
  return is_vararg;
}

// table ::= '{' [field {(',' | ';') field} [',' | ';']] '}'
ExprTable* Parser::parse_table() {
  const Position begin = current_.begin;
  advance();  // '{'
  const std::size_t mark = fields_.mark();
  while (!check(TokenKind::RightBrace) && !check(TokenKind::Eof)) {
    parse_table_field();
    if (!accept(TokenKind::Comma) && !accept(TokenKind::Semicolon)) break;
  }
  expect_match(TokenKind::RightBrace, TokenKind::LeftBrace, begin);
  return arena_.make<ExprTable>(span_from(begin), fields_.finish(mark, arena_));
}

// field ::= '[' exp ']' '=' exp | Name '=' exp | exp
// A field starting with '[' may also be a comprehension: '[' exp 'for' ...
void Parser::parse_table_field() {
  const Position begin = current_.begin;
  TableField field;
  if (check(TokenKind::LeftBracket)) {
    advance();
    Expr* key = parse_expr();
    if (check(TokenKind::For)) {
      field.value = parse_comprehension_rest(begin, key);
    } else {
      expect_match(TokenKind::RightBracket, TokenKind::LeftBracket, begin);
      expect(TokenKind::Assign);
      field.kind = TableFieldKind::Keyed;
      field.key = key;
      field.value = parse_expr();
    }
  } else if (check(TokenKind::Name) && peek().kind == TokenKind::Assign) {
    field.kind = TableFieldKind::Named;
    field.name = intern(current_.text);
    advance();
    advance();  // '='
    field.value = parse_expr();
  } else {
    field.value = parse_expr();
  }
  field.location = span_from(begin);
  fields_.push(field);
}

// comprehension ::= '[' exp 'for' namelist 'in' exp ['if' exp] ']'
Expr* Parser::parse_comprehension() {
  const Position begin = current_.begin;
  advance();  // '['
  Expr* element = parse_expr();
  return parse_comprehension_rest(begin, element);
}

Expr* Parser::parse_comprehension_rest(Position begin, Expr* element) {
  expect(TokenKind::For);
  const std::size_t mark = bindings_.mark();
  bindings_.push(expect_name());
  while (accept(TokenKind::Comma)) bindings_.push(expect_name());
  const AstArray<Binding> names = bindings_.finish(mark, arena_);
  expect(TokenKind::In);
  Expr* source = parse_expr();
  Expr* filter = nullptr;
  if (accept(TokenKind::If)) filter = parse_expr();
  expect_match(TokenKind::RightBracket, TokenKind::LeftBracket, begin);
  return arena_.make<ExprComprehension>(span_from(begin), element, names, source, filter);
}

// Event ::= '#' Name [table]   (no whitespace inside)
Expr* Parser::parse_event() {
  const Token event = current_;
  advance();
  ExprTable* fields = nullptr;
  if (check(TokenKind::LeftBrace) && current_.offset == event.end_offset()) fields = parse_table();
  return arena_.make<ExprEvent>(span_from(event.begin), intern(event.text.substr(1)), fields);
}

// '$' Name. ER7's '$$' Name (QuickApp variables) and '$$$' Name (QuickApp storage)
// have no QuickApp behind them here; the message names the '$' variable to use.
Expr* Parser::parse_persistent() {
  const Token token = current_;
  advance();
  if (token.kind == TokenKind::QaVariable || token.kind == TokenKind::QaStorage) {
    const std::string_view what = token.kind == TokenKind::QaVariable
                                      ? "QuickApp variables do not exist here"
                                      : "QuickApp storage does not exist here";
    const std::string_view name = token.text.substr(token.text.find_first_not_of('$'));
    static_error(token.begin, join(join("'", token.text, "': ", what), "; use '$", name,
                                   "' (a persistent global, visible in the API)"));
    return error_expr(token.begin);
  }
  return arena_.make<ExprPersistent>(token.location(), intern(token.text.substr(1)));
}

}  // namespace er::lang
