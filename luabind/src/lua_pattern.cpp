// The Lua-pattern matcher (lua_pattern.h). Semantics from the Lua 5.4 manual §6.4.1;
// the backtracking order, and with it every result and the nesting depth at which
// "pattern too complex" is raised, is the one Lua's reference matcher has, because
// scripts depend on which of several possible matches is found.
//
// Lua strings are always followed by a '\0' byte, and so the matcher may read the
// byte at the end of the subject or the pattern as '\0', as Lua's own does (it is
// what %f sees after the subject, and what ends a malformed pattern).
//
// Errors unwind with longjmp (runtime.h): every object here is trivially destructible.

#include "lua_pattern.h"

#include <cctype>
#include <cstddef>
#include <cstring>

#include "lua_util.h"

namespace luasys::detail {

namespace {

constexpr int kMaxCaptures = 32;      // LUA_MAXCAPTURES of the reference library.
constexpr int kMaxDepth = 200;        // Its MAXCCALLS: nesting of match() calls.
constexpr std::ptrdiff_t kOpen = -1;  // A capture not closed yet.
constexpr std::ptrdiff_t kPosition = -2;
constexpr char kEscape = '%';

bool has_specials(const char* p, std::size_t length) {
  static constexpr const char kSpecials[] = "^$*+?.([%-";
  for (std::size_t i = 0; i < length; ++i) {
    if (p[i] != '\0' && std::strchr(kSpecials, p[i]) != nullptr) return true;
  }
  return false;
}

// Plain substring search: the first `needle` in `hay`, or nullptr.
const char* find_plain(const char* hay, std::size_t hay_length, const char* needle,
                       std::size_t needle_length) {
  if (needle_length == 0) return hay;
  if (needle_length > hay_length) return nullptr;
  const char* last = hay + (hay_length - needle_length);
  for (const char* at = hay; at <= last; ++at) {
    at = static_cast<const char*>(std::memchr(at, needle[0], static_cast<std::size_t>(last - at) + 1));
    if (at == nullptr) return nullptr;
    if (std::memcmp(at + 1, needle + 1, needle_length - 1) == 0) return at;
  }
  return nullptr;
}

// A start position as string.find reads it: negative counts from the end, 0 is 1, and
// before the start clamps to 1. Returns a 1-based position.
std::size_t start_position(lua_Integer position, std::size_t length) {
  if (position > 0) return static_cast<std::size_t>(position);
  if (position == 0) return 1;
  if (position < -static_cast<lua_Integer>(length)) return 1;
  return length + static_cast<std::size_t>(position) + 1;
}

// %a, %d, ... for character `c`; an upper-case class letter complements. Any other
// escaped character stands for itself.
bool in_class(int c, int class_letter) {
  bool result = false;
  switch (std::tolower(class_letter)) {
    case 'a': result = std::isalpha(c) != 0; break;
    case 'c': result = std::iscntrl(c) != 0; break;
    case 'd': result = std::isdigit(c) != 0; break;
    case 'g': result = std::isgraph(c) != 0; break;
    case 'l': result = std::islower(c) != 0; break;
    case 'p': result = std::ispunct(c) != 0; break;
    case 's': result = std::isspace(c) != 0; break;
    case 'u': result = std::isupper(c) != 0; break;
    case 'w': result = std::isalnum(c) != 0; break;
    case 'x': result = std::isxdigit(c) != 0; break;
    case 'z': result = c == 0; break;  // Deprecated in the manual, still accepted.
    default: return class_letter == c;
  }
  return std::isupper(class_letter) != 0 ? !result : result;
}

unsigned char byte_at(const char* p) {
  return static_cast<unsigned char>(*p);
}

// A set [...] from `open` (its '[') to `close` (its ']'), against character c.
bool in_set(int c, const char* open, const char* close) {
  const char* p = open + 1;
  bool wanted = true;
  if (*p == '^') {
    wanted = false;
    ++p;
  }
  for (; p < close; ++p) {
    if (*p == kEscape) {
      ++p;
      if (in_class(c, byte_at(p))) return wanted;
    } else if (p[1] == '-' && p + 2 < close) {
      if (byte_at(p) <= c && c <= byte_at(p + 2)) return wanted;
      p += 2;
    } else if (byte_at(p) == c) {
      return wanted;
    }
  }
  return !wanted;
}

struct Capture {
  const char* start;
  std::ptrdiff_t length;  // Or kOpen, kPosition.
};

// One match attempt's state. Trivially destructible (errors longjmp over it).
class Matcher {
 public:
  void init(lua_State* L, const char* subject, std::size_t subject_length, const char* pattern,
            std::size_t pattern_length, const PatternInterrupt* interrupt) {
    L_ = L;
    subject_ = subject;
    subject_end_ = subject + subject_length;
    pattern_end_ = pattern + pattern_length;
    interrupt_ = interrupt;
    steps_ = 0;
    reset();
  }
  void set_state(lua_State* L) { L_ = L; }
  void reset() {
    captures_ = 0;
    depth_left_ = kMaxDepth;
  }
  [[nodiscard]] const char* subject() const { return subject_; }
  [[nodiscard]] const char* subject_end() const { return subject_end_; }
  [[nodiscard]] int captures() const { return captures_; }

  const char* match(const char* s, const char* p);
  int push_captures(const char* s, const char* e);
  void push_capture(int i, const char* s, const char* e);
  // The text of capture i (or the whole match for i == 0 without captures) in *text;
  // returns its length, or kPosition after pushing the position.
  std::ptrdiff_t capture_text(int i, const char* s, const char* e, const char** text);

 private:
  const char* dispatch(const char* s, const char* p);
  const char* item_end(const char* p);
  bool single(const char* s, const char* p, const char* ep) const;
  const char* greedy(const char* s, const char* p, const char* ep);
  const char* lazy(const char* s, const char* p, const char* ep);
  const char* open_capture(const char* s, const char* p, std::ptrdiff_t kind);
  const char* close_capture(const char* s, const char* p);
  const char* balance(const char* s, const char* p);
  const char* frontier(const char* s, const char* p);
  const char* back_reference(const char* s, int digit);
  int capture_index(int digit);
  int innermost_open();
  void poll() {
    if (interrupt_ != nullptr && interrupt_->check != nullptr && (++steps_ % kPatternCheckSteps) == 0)
      interrupt_->check(L_, interrupt_->context);
  }

  lua_State* L_ = nullptr;
  const char* subject_ = nullptr;
  const char* subject_end_ = nullptr;
  const char* pattern_end_ = nullptr;
  const PatternInterrupt* interrupt_ = nullptr;
  unsigned steps_ = 0;
  int captures_ = 0;
  int depth_left_ = kMaxDepth;
  Capture capture_[kMaxCaptures];
};

// Matches pattern p (to the end) at s; returns the end of the match or nullptr.
const char* Matcher::match(const char* s, const char* p) {
  if (depth_left_-- == 0) luaL_error(L_, "pattern too complex");
  poll();
  s = dispatch(s, p);
  ++depth_left_;
  return s;
}

// One pattern item after another. Items without alternatives loop here instead of
// recursing, which keeps the nesting depth (and "pattern too complex") Lua's and the
// C stack flat however long the pattern is.
const char* Matcher::dispatch(const char* s, const char* p) {
  while (p != pattern_end_) {
    switch (*p) {
      case '(':
        return p[1] == ')' ? open_capture(s, p + 2, kPosition) : open_capture(s, p + 1, kOpen);
      case ')':
        return close_capture(s, p + 1);
      case '$':
        if (p + 1 == pattern_end_) return s == subject_end_ ? s : nullptr;
        break;  // Elsewhere '$' is an ordinary character.
      case kEscape:
        if (p[1] == 'b') {
          s = balance(s, p + 2);
          if (s == nullptr) return nullptr;
          p += 4;
          continue;
        }
        if (p[1] == 'f') {
          p = frontier(s, p + 2);
          if (p == nullptr) return nullptr;
          continue;
        }
        if (std::isdigit(byte_at(p + 1)) != 0) {
          s = back_reference(s, byte_at(p + 1));
          if (s == nullptr) return nullptr;
          p += 2;
          continue;
        }
        break;
      default:
        break;
    }
    // A single-character class with its optional repetition suffix.
    const char* ep = item_end(p);
    const char suffix = *ep;  // '\0' at the end of the pattern.
    if (!single(s, p, ep)) {
      if (suffix != '*' && suffix != '?' && suffix != '-') return nullptr;
      p = ep + 1;  // Zero repetitions: go on with the rest.
      continue;
    }
    switch (suffix) {
      case '?': {
        const char* with = match(s + 1, ep + 1);
        if (with != nullptr) return with;
        p = ep + 1;
        continue;
      }
      case '+':
        return greedy(s + 1, p, ep);
      case '*':
        return greedy(s, p, ep);
      case '-':
        return lazy(s, p, ep);
      default:
        ++s;
        p = ep;
        continue;
    }
  }
  return s;
}

// The end of the single-character class at p: after an escape, after a set, or p+1.
const char* Matcher::item_end(const char* p) {
  const char c = *p++;
  if (c == kEscape) {
    if (p == pattern_end_) luaL_error(L_, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c == '[') {
    if (*p == '^') ++p;
    do {  // The first character after '[' (or "[^") is never the closing ']'.
      if (p == pattern_end_) luaL_error(L_, "malformed pattern (missing ']')");
      const char at = *p++;
      if (at == kEscape && p < pattern_end_) ++p;
    } while (p == pattern_end_ || *p != ']');
    return p + 1;
  }
  return p;
}

// Does the subject character at s match the class from p to ep?
bool Matcher::single(const char* s, const char* p, const char* ep) const {
  if (s >= subject_end_) return false;
  const int c = byte_at(s);
  switch (*p) {
    case '.':
      return true;
    case kEscape:
      return in_class(c, byte_at(p + 1));
    case '[':
      return in_set(c, p, ep - 1);
    default:
      return byte_at(p) == c;
  }
}

// x* and x+: the longest run first, then shorter ones.
const char* Matcher::greedy(const char* s, const char* p, const char* ep) {
  std::ptrdiff_t count = 0;
  while (single(s + count, p, ep)) ++count;
  for (; count >= 0; --count) {
    const char* end = match(s + count, ep + 1);
    if (end != nullptr) return end;
  }
  return nullptr;
}

// x-: the shortest run first.
const char* Matcher::lazy(const char* s, const char* p, const char* ep) {
  for (;;) {
    const char* end = match(s, ep + 1);
    if (end != nullptr) return end;
    if (!single(s, p, ep)) return nullptr;
    ++s;
  }
}

const char* Matcher::open_capture(const char* s, const char* p, std::ptrdiff_t kind) {
  if (captures_ >= kMaxCaptures) luaL_error(L_, "too many captures");
  capture_[captures_].start = s;
  capture_[captures_].length = kind;
  ++captures_;
  const char* end = match(s, p);
  if (end == nullptr) --captures_;
  return end;
}

const char* Matcher::close_capture(const char* s, const char* p) {
  const int i = innermost_open();
  capture_[i].length = s - capture_[i].start;
  const char* end = match(s, p);
  if (end == nullptr) capture_[i].length = kOpen;
  return end;
}

int Matcher::innermost_open() {
  for (int i = captures_ - 1; i >= 0; --i) {
    if (capture_[i].length == kOpen) return i;
  }
  return luaL_error(L_, "invalid pattern capture");
}

// %bxy at s, with p at x: the end of the balanced run, or nullptr.
const char* Matcher::balance(const char* s, const char* p) {
  if (p >= pattern_end_ - 1) luaL_error(L_, "malformed pattern (missing arguments to '%%b')");
  if (s >= subject_end_ || *s != *p) return nullptr;
  const char open = p[0];
  const char close = p[1];
  int depth = 1;
  while (++s < subject_end_) {
    if (*s == close) {
      if (--depth == 0) return s + 1;
    } else if (*s == open) {
      ++depth;
    }
  }
  return nullptr;
}

// %f[set] at s, with p at '[': where the pattern goes on, or nullptr.
const char* Matcher::frontier(const char* s, const char* p) {
  if (p == pattern_end_ || *p != '[') luaL_error(L_, "missing '[' after '%%f' in pattern");
  const char* ep = item_end(p);
  const int before = s == subject_ ? 0 : byte_at(s - 1);
  const int here = byte_at(s);  // '\0' at the end of the subject.
  if (!in_set(before, p, ep - 1) && in_set(here, p, ep - 1)) return ep;
  return nullptr;
}

int Matcher::capture_index(int digit) {
  const int i = digit - '1';
  if (i < 0 || i >= captures_ || capture_[i].length == kOpen)
    return luaL_error(L_, "invalid capture index %%%d", i + 1);
  return i;
}

// %1-%9: the text of that capture again.
const char* Matcher::back_reference(const char* s, int digit) {
  const int i = capture_index(digit);
  const auto length = static_cast<std::size_t>(capture_[i].length);  // Huge for positions.
  if (static_cast<std::size_t>(subject_end_ - s) >= length &&
      std::memcmp(capture_[i].start, s, length) == 0) {
    return s + length;
  }
  return nullptr;
}

std::ptrdiff_t Matcher::capture_text(int i, const char* s, const char* e, const char** text) {
  if (i >= captures_) {
    if (i != 0) luaL_error(L_, "invalid capture index %%%d", i + 1);
    *text = s;
    return e - s;
  }
  const Capture& capture = capture_[i];
  *text = capture.start;
  if (capture.length == kOpen) luaL_error(L_, "unfinished capture");
  if (capture.length == kPosition) lua_pushinteger(L_, (capture.start - subject_) + 1);
  return capture.length;
}

void Matcher::push_capture(int i, const char* s, const char* e) {
  const char* text = nullptr;
  const std::ptrdiff_t length = capture_text(i, s, e, &text);
  if (length != kPosition) lua_pushlstring(L_, text, static_cast<std::size_t>(length));
}

// Pushes the captures (or, without any and with s given, the whole match).
int Matcher::push_captures(const char* s, const char* e) {
  const int count = (captures_ == 0 && s != nullptr) ? 1 : captures_;
  luaL_checkstack(L_, count, "too many captures");
  for (int i = 0; i < count; ++i) push_capture(i, s, e);
  return count;
}

const PatternInterrupt* interrupt_of(lua_State* L) {
  return static_cast<const PatternInterrupt*>(lua_touserdata(L, lua_upvalueindex(1)));
}

// Matcher::init for find, match and gsub, where a leading '^' anchors the match at
// the start position. Returns whether it does; `pattern` then starts after the '^'.
bool init_anchored(Matcher& m, lua_State* L, const char* subject, std::size_t subject_length,
                   const char*& pattern, std::size_t pattern_length) {
  const bool anchored = *pattern == '^';
  if (anchored) {
    ++pattern;
    --pattern_length;
  }
  m.init(L, subject, subject_length, pattern, pattern_length, interrupt_of(L));
  return anchored;
}

// string.find (find) and string.match (!find).
int find_or_match(lua_State* L, bool find) {
  std::size_t subject_length = 0;
  std::size_t pattern_length = 0;
  const char* subject = luaL_checklstring(L, 1, &subject_length);
  const char* pattern = luaL_checklstring(L, 2, &pattern_length);
  const std::size_t init = start_position(luaL_optinteger(L, 3, 1), subject_length) - 1;
  if (init > subject_length) {
    lua_pushnil(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) != 0 || !has_specials(pattern, pattern_length))) {
    const char* at = find_plain(subject + init, subject_length - init, pattern, pattern_length);
    if (at != nullptr) {
      lua_pushinteger(L, static_cast<lua_Integer>(at - subject) + 1);
      lua_pushinteger(L, static_cast<lua_Integer>(at - subject + static_cast<std::ptrdiff_t>(pattern_length)));
      return 2;
    }
    lua_pushnil(L);
    return 1;
  }
  Matcher m;
  const bool anchored = init_anchored(m, L, subject, subject_length, pattern, pattern_length);
  const char* s = subject + init;
  do {
    m.reset();
    const char* end = m.match(s, pattern);
    if (end != nullptr) {
      if (!find) return m.push_captures(s, end);
      lua_pushinteger(L, static_cast<lua_Integer>(s - subject) + 1);
      lua_pushinteger(L, static_cast<lua_Integer>(end - subject));
      return m.push_captures(nullptr, nullptr) + 2;
    }
  } while (s++ < m.subject_end() && !anchored);
  lua_pushnil(L);
  return 1;
}

int str_find(lua_State* L) {
  return find_or_match(L, true);
}

int str_match(lua_State* L) {
  return find_or_match(L, false);
}

// gmatch's iterator state, a full userdata (upvalue 3; the strings are upvalues 1, 2).
struct GmatchState {
  Matcher matcher;
  const char* next = nullptr;
  const char* pattern = nullptr;
  const char* last_end = nullptr;  // End of the last match: an empty match there is skipped.
};

int gmatch_next(lua_State* L) {
  auto* state = static_cast<GmatchState*>(lua_touserdata(L, lua_upvalueindex(3)));
  Matcher& m = state->matcher;
  m.set_state(L);
  for (const char* s = state->next; s <= m.subject_end(); ++s) {
    m.reset();
    const char* end = m.match(s, state->pattern);
    if (end != nullptr && end != state->last_end) {
      state->next = state->last_end = end;
      return m.push_captures(s, end);
    }
  }
  return 0;
}

int str_gmatch(lua_State* L) {
  std::size_t subject_length = 0;
  std::size_t pattern_length = 0;
  const char* subject = luaL_checklstring(L, 1, &subject_length);
  const char* pattern = luaL_checklstring(L, 2, &pattern_length);
  std::size_t init = start_position(luaL_optinteger(L, 3, 1), subject_length) - 1;
  const PatternInterrupt* interrupt = interrupt_of(L);
  lua_settop(L, 2);  // The strings stay alive as upvalues of the iterator.
  auto* state = static_cast<GmatchState*>(lua_newuserdatauv(L, sizeof(GmatchState), 0));
  if (init > subject_length) init = subject_length + 1;
  state->matcher.init(L, subject, subject_length, pattern, pattern_length, interrupt);
  state->next = subject + init;
  state->pattern = pattern;
  state->last_end = nullptr;
  lua_pushcclosure(L, gmatch_next, 3);
  return 1;
}

// Appends the string replacement (argument 3) for the match s..e, with %0-%9 and %%.
void add_string_replacement(Matcher& m, lua_State* L, luaL_Buffer* b, const char* s,
                            const char* e) {
  std::size_t length = 0;
  const char* text = lua_tolstring(L, 3, &length);
  const char* escape = nullptr;
  while ((escape = static_cast<const char*>(std::memchr(text, kEscape, length))) != nullptr) {
    luaL_addlstring(b, text, static_cast<std::size_t>(escape - text));
    const char* p = escape + 1;  // At worst the '\0' after the replacement.
    if (*p == kEscape) {
      luaL_addchar(b, *p);
    } else if (*p == '0') {
      luaL_addlstring(b, s, static_cast<std::size_t>(e - s));
    } else if (std::isdigit(byte_at(p)) != 0) {
      const char* capture = nullptr;
      const std::ptrdiff_t capture_length = m.capture_text(*p - '1', s, e, &capture);
      if (capture_length == kPosition) {
        luaL_addvalue(b);
      } else {
        luaL_addlstring(b, capture, static_cast<std::size_t>(capture_length));
      }
    } else {
      luaL_error(L, "invalid use of '%c' in replacement string", kEscape);
    }
    length -= static_cast<std::size_t>(p + 1 - text);
    text = p + 1;
  }
  luaL_addlstring(b, text, length);
}

// Appends the replacement of the match s..e; false when the original text was kept.
bool add_replacement(Matcher& m, lua_State* L, luaL_Buffer* b, const char* s, const char* e,
                     int type) {
  if (type == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    const int n = m.push_captures(s, e);
    lua_call(L, n, 1);
  } else if (type == LUA_TTABLE) {
    m.push_capture(0, s, e);
    lua_gettable(L, 3);
  } else {
    add_string_replacement(m, L, b, s, e);
    return true;
  }
  if (lua_toboolean(L, -1) == 0) {  // nil or false: keep the original text.
    lua_pop(L, 1);
    luaL_addlstring(b, s, static_cast<std::size_t>(e - s));
    return false;
  }
  if (lua_isstring(L, -1) == 0) {
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  }
  luaL_addvalue(b);
  return true;
}

int str_gsub(lua_State* L) {
  std::size_t subject_length = 0;
  std::size_t pattern_length = 0;
  const char* subject = luaL_checklstring(L, 1, &subject_length);
  const char* pattern = luaL_checklstring(L, 2, &pattern_length);
  const int type = lua_type(L, 3);
  const lua_Integer max_replacements =
      luaL_optinteger(L, 4, static_cast<lua_Integer>(subject_length) + 1);
  luaL_argexpected(L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE,
                   3, "string/function/table");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  Matcher m;
  const bool anchored = init_anchored(m, L, subject, subject_length, pattern, pattern_length);
  const char* s = subject;
  const char* last_end = nullptr;
  lua_Integer count = 0;
  bool changed = false;
  while (count < max_replacements) {
    m.reset();
    const char* end = m.match(s, pattern);
    if (end != nullptr && end != last_end) {
      ++count;
      changed = add_replacement(m, L, &b, s, end, type) || changed;
      s = last_end = end;
    } else if (s < m.subject_end()) {
      luaL_addchar(&b, *s++);
    } else {
      break;
    }
    if (anchored) break;
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, s, static_cast<std::size_t>(m.subject_end() - s));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, count);
  return 2;
}

const luaL_Reg kPatternFunctions[] = {
    {"find", str_find}, {"match", str_match}, {"gmatch", str_gmatch},
    {"gsub", str_gsub}, {nullptr, nullptr},
};

}  // namespace

void set_pattern_functions(lua_State* L, const PatternInterrupt* interrupt) {
  lua_pushlightuserdata(L, const_cast<PatternInterrupt*>(interrupt));
  lua::set_functions(L, kPatternFunctions, 1);
}

}  // namespace luasys::detail
