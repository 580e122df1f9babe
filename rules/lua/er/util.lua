-- Value helpers shared by the engine's modules: deep copy and equality, JSON and the
-- canonical value form of `eventrunner eval`.

local M = {}

local concat, sort, format = table.concat, table.sort, string.format
local math_type = math.type

local function deep_copy(v)
  if type(v) ~= "table" then return v end
  local copy = {}
  for k, x in pairs(v) do copy[deep_copy(k)] = deep_copy(x) end
  return copy
end
M.deep_copy = deep_copy

local function deep_equal(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, x in pairs(a) do
    if not deep_equal(x, b[k]) then return false end
  end
  for k in pairs(b) do
    if a[k] == nil then return false end
  end
  return true
end
M.deep_equal = deep_equal

-- The length of t's array part for printing: the count of consecutive non-nil values
-- from index 1 (raw, so a table with metamethods prints what it holds).
local function array_length(t)
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  return n
end

------------------------------------------------------------------------------------
-- JSON encoding (in C: er.json_native, rules/src/engine/json_encode.cpp)
--
-- Objects list their keys sorted; a table whose keys are exactly 1..n (n >= 0) is an
-- array, so the empty table is `[]`. Numbers print as Lua prints them (`3`, `3.0`,
-- `1e+20`), which is valid JSON for every finite number. Metatables are ignored: the
-- table's own fields are encoded. Errors (level 0, no position: the engine points at
-- the caller's expression) name the offending value.
------------------------------------------------------------------------------------

M.json_encode = require("er.json_native").encode

------------------------------------------------------------------------------------
-- JSON decoding
--
-- Full JSON (RFC 8259): objects become tables with string keys, arrays sequences
-- (a `null` element leaves a hole), `null` is nil, numbers without fraction or
-- exponent are integers when they fit. Errors say what was expected and where:
-- "json.decode: expected ':' at line 1, column 7".
------------------------------------------------------------------------------------

local MAX_DEPTH = 500

-- Raises a decode error at byte offset i of s, with its line and column.
local function decode_error(s, i, what)
  local line, col = 1, 1
  for pos = 1, math.min(i, #s + 1) - 1 do
    if s:byte(pos) == 10 then line, col = line + 1, 1 else col = col + 1 end
  end
  error(format("json.decode: %s at line %d, column %d", what, line, col), 0)
end

local function skip_space(s, i)
  return s:find("[^ \t\r\n]", i) or #s + 1
end

-- A description of what stands at i, for "expected X, got Y" messages.
local function found_at(s, i)
  if i > #s then return "end of text" end
  return format("'%s'", s:sub(i, i))
end

local decode_value

local function utf8_of_escape(s, i)
  local hex = s:match("^%x%x%x%x", i)
  if not hex then decode_error(s, i, "expected four hex digits after '\\u'") end
  local code = tonumber(hex, 16)
  if code >= 0xD800 and code <= 0xDBFF then  -- A high surrogate needs its low half.
    local low = s:match("^\\u([dD][c-fC-F]%x%x)", i + 4)
    if not low then decode_error(s, i + 4, "expected a low surrogate '\\uDC00'..'\\uDFFF'") end
    code = 0x10000 + (code - 0xD800) * 0x400 + (tonumber(low, 16) - 0xDC00)
    return utf8.char(code), i + 10
  end
  if code >= 0xDC00 and code <= 0xDFFF then decode_error(s, i, "unpaired low surrogate") end
  return utf8.char(code), i + 4
end

local UNESCAPE = {['"'] = '"', ["\\"] = "\\", ["/"] = "/", b = "\b", f = "\f", n = "\n",
                  r = "\r", t = "\t"}

-- Decodes the string whose opening quote is at i; returns it and the index after it.
local function decode_string(s, i)
  local parts, pos = {}, i + 1
  while true do
    local stop = s:find('["\\%c]', pos)
    if not stop then decode_error(s, #s + 1, "unfinished string") end
    parts[#parts + 1] = s:sub(pos, stop - 1)
    local c = s:sub(stop, stop)
    if c == '"' then return concat(parts), stop + 1 end
    if c ~= "\\" then decode_error(s, stop, "control character in string") end
    local e = s:sub(stop + 1, stop + 1)
    if e == "u" then
      parts[#parts + 1], pos = utf8_of_escape(s, stop + 2)
    elseif UNESCAPE[e] then
      parts[#parts + 1], pos = UNESCAPE[e], stop + 2
    else
      decode_error(s, stop, "invalid escape '\\" .. e .. "'")
    end
  end
end

-- JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][-+]?[0-9]+)?
local function decode_number(s, i)
  local j = i + (s:sub(i, i) == "-" and 1 or 0)
  local int = s:match("^0", j) or s:match("^[1-9]%d*", j)
  if not int or (int == "0" and s:match("^%d", j + 1)) then decode_error(s, i, "invalid number") end
  j = j + #int
  local frac = s:match("^%.%d+", j)
  if not frac and s:sub(j, j) == "." then decode_error(s, i, "invalid number") end
  j = j + #(frac or "")
  local exp = s:match("^[eE][-+]?%d+", j)
  if not exp and s:match("^[eE]", j) then decode_error(s, i, "invalid number") end
  j = j + #(exp or "")
  local value = tonumber(s:sub(i, j - 1))
  if frac or exp then value = value + 0.0 end  -- 1.0 and 1e2 stay floats.
  return value, j
end

local LITERALS = {["true"] = true, ["false"] = false}

-- After an element of an array or object, where `close` (']' or '}') or a comma must
-- follow: the index past the close and true, or the index of the next element.
local function after_element(s, i, close)
  i = skip_space(s, i)
  local c = s:sub(i, i)
  if c == close then return i + 1, true end
  if c ~= "," then decode_error(s, i, "expected ',' or '" .. close .. "', got " .. found_at(s, i)) end
  return skip_space(s, i + 1), false
end

local function decode_array(s, i, depth)
  local t, n = {}, 0
  i = skip_space(s, i + 1)
  if s:sub(i, i) == "]" then return t, i + 1 end
  local closed = false
  while not closed do
    n = n + 1
    t[n], i = decode_value(s, i, depth)
    i, closed = after_element(s, i, "]")
  end
  return t, i
end

local function decode_object(s, i, depth)
  local t = {}
  i = skip_space(s, i + 1)
  if s:sub(i, i) == "}" then return t, i + 1 end
  local closed = false
  while not closed do
    if s:sub(i, i) ~= '"' then
      decode_error(s, i, "expected a string key, got " .. found_at(s, i))
    end
    local key
    key, i = decode_string(s, i)
    i = skip_space(s, i)
    if s:sub(i, i) ~= ":" then decode_error(s, i, "expected ':', got " .. found_at(s, i)) end
    t[key], i = decode_value(s, skip_space(s, i + 1), depth)
    i, closed = after_element(s, i, "}")
  end
  return t, i
end

-- Decodes the value starting at i (no leading space); returns it and the next index.
function decode_value(s, i, depth)
  local c = s:sub(i, i)
  if c == "{" or c == "[" then
    if depth >= MAX_DEPTH then decode_error(s, i, "nesting deeper than " .. MAX_DEPTH) end
    if c == "{" then return decode_object(s, i, depth + 1) end
    return decode_array(s, i, depth + 1)
  end
  if c == '"' then return decode_string(s, i) end
  if c:match("[-%d]") then return decode_number(s, i) end
  local word = s:match("^%a+", i)
  if word == "null" then return nil, i + 4 end
  if LITERALS[word] ~= nil then return LITERALS[word], i + #word end
  decode_error(s, i, "expected a value, got " .. found_at(s, i))
end

function M.json_decode(s)
  if type(s) ~= "string" then
    error(format("json.decode: expected a string, got %s", type(s)), 0)
  end
  local value, i = decode_value(s, skip_space(s, 1), 0)
  i = skip_space(s, i)
  if i <= #s then decode_error(s, i, "unexpected " .. found_at(s, i) .. " after the value") end
  return value
end

------------------------------------------------------------------------------------
-- Canonical form (`eventrunner eval` output of one value)
--
--   nil, true, false          as Lua writes them
--   numbers                   as Lua prints them: 3, 3.0, 0.5, 1e+20, inf, -inf, nan
--   strings                   double-quoted Lua literals: "a\"b\n"; \\ \" \a \b \f \n
--                             \r \t \v, other control bytes as \ddd, other bytes as
--                             they are (UTF-8 stays readable)
--   tables                    {} or {1, 2, 3, a = 4, ["b c"] = 5, [10] = 6}: first
--                             the values at 1..n (n = the last of the consecutive
--                             non-nil indexes from 1), then the other keys sorted by
--                             type (numbers, strings, booleans, others) then value;
--                             string keys that are Lua names print bare
--   a table already being printed (a cycle)   {...}
--   a value with __tostring   tostring(v) (rule objects print their name, BREAK BREAK)
--   other functions, threads, userdata        <function>, <thread>, <userdata>
------------------------------------------------------------------------------------

local LUA_ESCAPES = {['"'] = '\\"', ["\\"] = "\\\\", ["\a"] = "\\a", ["\b"] = "\\b",
                     ["\f"] = "\\f", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t",
                     ["\v"] = "\\v"}

local function quote(s)
  -- \ddd is written with three digits so a following digit cannot extend it.
  return '"' .. s:gsub('[%c"\\]', function(c)
    return LUA_ESCAPES[c] or format("\\%03d", c:byte())
  end) .. '"'
end

local RESERVED = {}
for word in ([[and break do else elseif end false for function goto if in local nil not
               or repeat return then true until while]]):gmatch("%a+") do
  RESERVED[word] = true
end

local TYPE_ORDER = {number = 1, string = 2, boolean = 3}

local function key_less(a, b)
  local ta, tb = TYPE_ORDER[type(a)] or 4, TYPE_ORDER[type(b)] or 4
  if ta ~= tb then return ta < tb end
  if ta == 1 or ta == 2 then return a < b end
  if ta == 3 then return not a and b end
  return tostring(a) < tostring(b)
end

local canonical_value

local function canonical_key(k, open)
  if type(k) == "string" and k:match("^[%a_][%w_]*$") and not RESERVED[k] then return k end
  return "[" .. canonical_value(k, open) .. "]"
end

local function canonical_table(t, open)
  if open[t] then return "{...}" end
  open[t] = true
  local parts, n = {}, array_length(t)
  for i = 1, n do parts[i] = canonical_value(rawget(t, i), open) end
  local keys = {}
  for k in next, t do
    if math_type(k) ~= "integer" or k < 1 or k > n then keys[#keys + 1] = k end
  end
  sort(keys, key_less)
  for _, k in ipairs(keys) do
    parts[#parts + 1] = canonical_key(k, open) .. " = " .. canonical_value(rawget(t, k), open)
  end
  open[t] = nil
  return "{" .. concat(parts, ", ") .. "}"
end

function canonical_value(v, open)
  local kind = type(v)
  local mt = getmetatable(v)
  if kind ~= "string" and type(mt) == "table" and rawget(mt, "__tostring") then
    return tostring(v)
  end
  if kind == "string" then return quote(v) end
  if kind == "table" then return canonical_table(v, open) end
  if kind == "nil" or kind == "boolean" or kind == "number" then return tostring(v) end
  return "<" .. kind .. ">"
end

function M.canonical(v)
  return canonical_value(v, {})
end

--- Orders table keys and device ids: numbers first, then strings, each ascending
--- (numbers by value, strings by bytes).
function M.number_then_string_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta == "number" end
  return a < b
end


-- "Did you mean" ----------------------------------------------------------------

-- The edit distance of `a` and `b` (insertions, deletions, substitutions and swaps of
-- two neighbours), or a number above `limit` once it is certain to exceed it.
local function distance(a, b, limit)
  local la, lb = #a, #b
  if math.abs(la - lb) > limit then return limit + 1 end
  local before, row = nil, {}
  for j = 0, lb do row[j] = j end
  for i = 1, la do
    local prev, cur = row, {[0] = i}
    local best = i
    for j = 1, lb do
      local cost = a:byte(i) == b:byte(j) and 0 or 1
      local d = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if before and i > 1 and j > 1 and a:byte(i) == b:byte(j - 1) and a:byte(i - 1) == b:byte(j) then
        d = math.min(d, before[j - 2] + 1)
      end
      cur[j] = d
      if d < best then best = d end
    end
    if best > limit then return limit + 1 end
    before, row = prev, cur
  end
  return row[lb]
end

--- The candidate closest to `name` (case-insensitive edit distance of at most a third
--- of the name's length, at least 1), or nil; none for names under three characters.
--- `candidates` is an array or a set.
function M.suggest(name, candidates)
  if #name < 3 then return nil end  -- Everything is one edit away from a short name.
  local limit = math.max(1, #name // 3)
  local lower, best, best_d = name:lower(), nil, limit + 1
  local function consider(candidate)
    if type(candidate) ~= "string" or candidate == name then return end
    local d = distance(lower, candidate:lower(), limit)
    if d < best_d or (d == best_d and best and candidate < best) then best, best_d = candidate, d end
  end
  for k, v in pairs(candidates) do
    if math.type(k) == "integer" then consider(v) else consider(k) end
  end
  return best
end

--- True when MQTT topic `topic` matches topic filter `filter`: `+` is one level, a
--- final `#` the rest (the parent level included), and a filter that starts with a
--- wildcard never matches a `$` topic (`$SYS/...`).
function M.mqtt_topic_matches(filter, topic)
  if filter == topic then return true end
  local first = filter:byte(1)
  if (first == 43 or first == 35) and topic:byte(1) == 36 then return false end  -- + # $
  local fpos, tpos = 1, 1
  while true do
    local fend = filter:find("/", fpos, true) or #filter + 1
    local level = filter:sub(fpos, fend - 1)
    if level == "#" then return true end
    if tpos > #topic + 1 then return false end
    local tend = topic:find("/", tpos, true) or #topic + 1
    if level ~= "+" and level ~= topic:sub(tpos, tend - 1) then return false end
    fpos, tpos = fend + 1, tend + 1
    if fpos > #filter + 1 then return tpos > #topic + 1 end
    -- "a/#" also matches "a": the filter's next level is the last, and it is "#".
    if tpos > #topic + 1 then return filter:sub(fpos) == "#" end
  end
end

--- " (did you mean 'x'?)" for the closest candidate, or "".
function M.did_you_mean(name, candidates)
  local best = M.suggest(name, candidates)
  if best == nil then return "" end
  return " (did you mean '" .. best .. "'?)"
end

return M
