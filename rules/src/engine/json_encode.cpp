// The engine's JSON encoder (util.json_encode), in C: the engine encodes JSON on busy
// paths (trace records, the API's streams, MQTT payloads), where the Lua encoder took
// about 30 µs for a trace record.
//
// The text is the one the Lua encoder wrote, byte for byte: objects list their keys
// sorted by their text; a table whose keys are exactly 1..n (n >= 0) is an array, so
// the empty table is `[]`; numbers print as Lua's tostring prints them (`3`, `3.0`,
// `1e+20`); strings escape '"', '\' and the control characters; metatables are
// ignored.
//
// An object's keys are copied onto the Lua stack while it is written: they stay
// anchored there (a key's text is read in place) and its values are found with no
// allocation. The encoder's buffers are reused from call to call; what it allocates it
// owns, and it lives in a userdata, so an error raised anywhere (a bad value, or Lua
// out of memory) leaves nothing behind.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "natives.h"

namespace er::detail {

namespace {

constexpr std::size_t kMaxDepth =
    200;  // As deep as the Lua encoder got before its stack overflowed.

// Lua's tostring of a finite number: integers in decimal, floats as "%.14g" with ".0"
// when that looks like an integer. Writes into `buffer` (at least 32 bytes); false for
// inf and nan, which JSON cannot hold.
bool number_text(lua_State* L, int index, char* buffer, std::size_t& length) {
  char* const end = buffer + 32;
  std::to_chars_result result{};
  if (lua_isinteger(L, index) != 0) {
    result = std::to_chars(buffer, end, static_cast<long long>(lua_tointeger(L, index)));
  } else {
    const auto x = static_cast<double>(lua_tonumber(L, index));
    if (!std::isfinite(x)) return false;
    result = std::to_chars(buffer, end - 2, x, std::chars_format::general, 14);
    if (std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer))
            .find_first_not_of("-0123456789") == std::string_view::npos) {
      *result.ptr++ = '.';
      *result.ptr++ = '0';
    }
  }
  length = static_cast<std::size_t>(result.ptr - buffer);
  return true;
}

// The error text of a number JSON cannot hold, as Lua's tostring names it.
std::string bad_number(lua_State* L, int index) {
  char text[32];
  std::snprintf(text, sizeof text, "%.14g", static_cast<double>(lua_tonumber(L, index)));
  return std::string("cannot encode the number ") + text;
}

// Which bytes a JSON string escapes: '"', '\' and the control characters (Lua's %c).
constexpr auto kEscaped = [] {
  std::array<bool, 256> escaped{};
  for (std::size_t c = 0; c < 32; ++c) escaped[c] = true;
  escaped[127] = escaped['"'] = escaped['\\'] = true;
  return escaped;
}();

void append_escape(unsigned char c, std::string& out) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char code[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      out.append(code, sizeof code);
    }
  }
}

void append_quoted(std::string_view s, std::string& out) {
  out += '"';
  std::size_t clean_from = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!kEscaped[c]) continue;
    out.append(s.data() + clean_from, i - clean_from);
    append_escape(c, out);
    clean_from = i + 1;
  }
  out.append(s.data() + clean_from, s.size() - clean_from);
  out += '"';
}

std::string_view string_at(lua_State* L, int index) {
  std::size_t length = 0;
  const char* text = lua_tolstring(L, index, &length);  // A string already: no conversion.
  return {text, length};
}

// One key of the object being written: its copy on the Lua stack, and its text (a
// string key's own bytes, or a number key's text in `number`).
struct Key {
  int slot = 0;      // Stack index of the key's copy.
  int value_of = 0;  // Stack index of the key whose value is written (see share_values).
  const char* text = nullptr;
  std::size_t length = 0;
  char number[32] = {};

  [[nodiscard]] std::string_view view() const { return {text != nullptr ? text : number, length}; }
};

class Encoder {
 public:
  // Encodes the value at `index` (absolute); false with error() set when it cannot be.
  bool encode(lua_State* L, int index) {
    L_ = L;
    out_.clear();
    error_.clear();
    open_.clear();
    return value(index);
  }

  [[nodiscard]] const std::string& text() const { return out_; }
  [[nodiscard]] const std::string& error() const { return error_; }

  bool busy =
      false;  // In use: a finalizer that encodes during an encode gets an encoder of its own.

 private:
  bool value(int index) {
    switch (lua_type(L_, index)) {
      case LUA_TNIL:
        out_ += "null";
        return true;
      case LUA_TBOOLEAN:
        out_ += lua_toboolean(L_, index) != 0 ? "true" : "false";
        return true;
      case LUA_TNUMBER: {
        char text[32];
        std::size_t length = 0;
        if (!number_text(L_, index, text, length)) return fail(bad_number(L_, index));
        out_.append(text, length);
        return true;
      }
      case LUA_TSTRING:
        append_quoted(string_at(L_, index), out_);
        return true;
      case LUA_TTABLE:
        return table(index);
      default:
        return fail(std::string("cannot encode a value of type ") + luaL_typename(L_, index));
    }
  }

  bool fail(std::string message) {
    error_ = "json.encode: " + std::move(message);
    return false;
  }

  bool table(int index) {
    const void* self = lua_topointer(L_, index);
    if (std::find(open_.begin(), open_.end(), self) != open_.end()) {
      return fail("cannot encode a table that contains itself");
    }
    if (open_.size() >= kMaxDepth) return fail("cannot encode tables nested deeper than 200");
    if (lua_checkstack(L_, 3) == 0) return fail("out of stack space");
    open_.push_back(self);
    lua_Integer length = 0;
    const lua_Integer keys = count(index, length);
    const bool ok = keys == length ? array(index, length) : object(index, keys);
    open_.pop_back();
    return ok;
  }

  // The table's key count, and in `length` the count of its values 1, 2, ... up to
  // the first nil.
  lua_Integer count(int index, lua_Integer& length) {
    while (lua_rawgeti(L_, index, length + 1) != LUA_TNIL) {
      lua_pop(L_, 1);
      ++length;
    }
    lua_pop(L_, 1);
    lua_Integer keys = 0;
    lua_pushnil(L_);
    while (lua_next(L_, index) != 0) {
      lua_pop(L_, 1);
      ++keys;
    }
    return keys;
  }

  bool array(int index, lua_Integer length) {
    if (lua_checkstack(L_, 2) == 0) return fail("out of stack space");
    out_ += '[';
    for (lua_Integer i = 1; i <= length; ++i) {
      if (i > 1) out_ += ',';
      lua_rawgeti(L_, index, i);
      const bool ok = value(lua_gettop(L_));
      lua_pop(L_, 1);
      if (!ok) return false;
    }
    out_ += ']';
    return true;
  }

  bool object(int index, lua_Integer key_count) {
    if (key_count > 1'000'000 || lua_checkstack(L_, static_cast<int>(key_count) + 3) == 0) {
      return fail("out of stack space");
    }
    const int base = lua_gettop(L_);
    const std::size_t first = keys_.size();
    const bool ok = collect_keys(index, first) && write_object(index, first);
    keys_.resize(first);
    lua_settop(L_, base);
    return ok;
  }

  // Copies the keys onto the stack, in traversal order, each with its text in keys_
  // from `first` on; false when a key cannot be a JSON key.
  bool collect_keys(int index, std::size_t first) {
    lua_pushnil(L_);
    while (lua_next(L_, index) != 0) {
      lua_pop(L_, 1);
      lua_pushvalue(L_, -1);  // The copy stays below the key lua_next continues from.
      const int slot = lua_gettop(L_) - 1;
      Key& key = keys_.emplace_back();
      key.slot = key.value_of = slot;
      if (lua_type(L_, slot) == LUA_TSTRING) {
        const std::string_view text = string_at(L_, slot);
        key.text = text.data();
        key.length = text.size();
      } else if (lua_type(L_, slot) != LUA_TNUMBER) {
        lua_pop(L_, 1);
        return fail(std::string("cannot encode a table key of type ") + luaL_typename(L_, slot));
      } else if (!number_text(L_, slot, key.number, key.length)) {
        lua_pop(L_, 1);
        return fail(bad_number(L_, slot));
      }
    }
    std::sort(keys_.begin() + static_cast<std::ptrdiff_t>(first), keys_.end(),
              [](const Key& a, const Key& b) {
                const int order = a.view().compare(b.view());
                return order != 0 ? order < 0 : a.slot < b.slot;
              });
    share_values(first);
    return true;
  }

  // Keys of one text (1 and "1") all print the value of the last of them in the
  // traversal, as the Lua encoder's text -> key table had it.
  void share_values(std::size_t first) {
    for (std::size_t run = first; run < keys_.size();) {
      std::size_t end = run + 1;
      int last = keys_[run].slot;
      for (; end < keys_.size() && keys_[end].view() == keys_[run].view(); ++end)
        last = std::max(last, keys_[end].slot);
      for (std::size_t i = run; i < end; ++i) keys_[i].value_of = last;
      run = end;
    }
  }

  bool write_object(int index, std::size_t first) {
    out_ += '{';
    for (std::size_t i = first; i < keys_.size(); ++i) {
      if (i > first) out_ += ',';
      append_quoted(keys_[i].view(), out_);
      out_ += ':';
      lua_pushvalue(L_, keys_[i].value_of);
      lua_rawget(L_, index);
      const bool ok = value(lua_gettop(L_));
      lua_pop(L_, 1);
      if (!ok) return false;
    }
    out_ += '}';
    return true;
  }

  lua_State* L_ = nullptr;
  std::string out_;
  std::string error_;
  std::vector<const void*> open_;
  std::vector<Key> keys_;  // The keys of the objects being written, outermost first.
};

// Encodes argument 1 with `encoder` and pushes the text, or raises the error (level 0:
// the engine points at the caller's expression).
int encode_with(lua_State* L, Encoder& encoder) {
  encoder.busy = true;
  const bool ok = encoder.encode(L, 1);
  encoder.busy = false;
  const std::string& text = ok ? encoder.text() : encoder.error();
  lua_pushlstring(L, text.data(), text.size());
  if (!ok) return lua_error(L);
  return 1;
}

// encode(value) -> string, with the module's encoder (upvalue 1).
int json_encode(lua_State* L) {
  lua_settop(L, 1);
  auto* shared = static_cast<Encoder*>(lua_touserdata(L, lua_upvalueindex(1)));
  if (!shared->busy) return encode_with(L, *shared);
  return encode_with(L, push_boxed(L, [] { return Encoder(); }));
}

// require("er.json_native") -> {encode = json_encode}
int open_json_module(lua_State* L) {
  lua_newtable(L);
  push_boxed(L, [] { return Encoder(); });
  lua_pushcclosure(L, json_encode, 1);
  lua_setfield(L, -2, "encode");
  return 1;
}

}  // namespace

void preload_json_module(lua_State* L) {
  lua_getglobal(L, "package");
  lua_getfield(L, -1, "preload");
  lua_pushcfunction(L, open_json_module);
  lua_setfield(L, -2, "er.json_native");
  lua_pop(L, 2);
}

}  // namespace er::detail
