-- er.serial: the text form of storable values (spec §5.3), as the state store keeps
-- them. encode(v) → text, or nil and what cannot be stored; decode(text) → value,
-- raising on malformed text. The form is a small subset of Lua's table syntax, on one
-- line, that decode parses itself (stored text is never `load`ed):
--
--   nil  true  false                   as in Lua
--   42  -7                             integers, always decimal
--   2.5  3.0  -0.0  1e+300             floats: the shortest decimal that reads back to
--                                      the same double, always with '.' or 'e' so that
--                                      they stay floats
--   inf  -inf  nan                     infinities and not-a-number (a NaN's sign and
--                                      payload are not kept)
--   "a\"b\n\0"                         strings (string.format %q, newline as \n); any
--                                      bytes, those >= 0x80 unescaped
--   {1,2,x=3,["a b"]=4,[2.5]=5}        tables: the sequence 1..n first, then the other
--                                      keys, numbers before strings, each group sorted,
--                                      so equal tables give equal text
--
-- Storable: nil, booleans, numbers, strings, and tables without metatables or cycles
-- whose keys are numbers or strings and whose values are storable.

local M = {}

local format, concat, sort, type, math_type = string.format, table.concat, table.sort, type, math.type
local floor = math.floor
local byte, find, sub, tonumber = string.byte, string.find, string.sub, tonumber
local rawget, next, getmetatable, ipairs = rawget, next, getmetatable, ipairs

-------------------------------------------------------------------------------
-- Encoding
-------------------------------------------------------------------------------

local KEYWORDS = {}
for word in ([[and break do else elseif end false for function goto if in local nil not
  or repeat return then true until while inf nan]]):gmatch("%a+") do KEYWORDS[word] = true end

local function encode_float(x)
  -- The common case first: a whole number that %.15g would print without an exponent
  -- (a sensor's 21.0) reads back exactly from one format.
  if x > -1e15 and x < 1e15 and x == floor(x) then return format("%.1f", x) end
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" end
  if x == -math.huge then return "-inf" end
  local text
  for digits = 15, 17 do
    text = format("%." .. digits .. "g", x)
    if tonumber(text) == x then break end
  end
  if not find(text, "[.e]") then text = text .. ".0" end  -- keeps 3.0 and -0.0 floats
  return text
end

local function encode_string(s)
  return (format("%q", s):gsub("\n", "n"))  -- %q writes a newline as '\' + newline
end

local function encode_number(x)
  if math_type(x) == "integer" then return format("%d", x) end
  return encode_float(x)
end

-- Numbers before strings; numbers by value, strings by bytes.
local key_before = require("er.util").number_then_string_less

local encode_value

local function encode_key(k, what_of)
  local tk = type(k)
  if tk == "string" then
    if find(k, "^[%a_][%w_]*$") and not KEYWORDS[k] then return k end
    return "[" .. encode_string(k) .. "]"
  elseif tk == "number" then
    return "[" .. encode_number(k) .. "]"
  end
  what_of[1] = "a table key of type '" .. tk .. "'"
  return nil
end

-- Appends the fields of table t to parts; on an unstorable part sets what_of[1].
local function encode_fields(t, parts, open, what_of)
  local n = 0
  while rawget(t, n + 1) ~= nil do
    n = n + 1
    local text = encode_value(t[n], open, what_of)
    if text == nil then return end
    parts[#parts + 1] = text
  end
  local keys = {}
  for k in next, t do
    local tk = type(k)
    if tk ~= "number" and tk ~= "string" then return encode_key(k, what_of) end
    if not (math_type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  sort(keys, key_before)
  for _, k in ipairs(keys) do
    local key = encode_key(k, what_of)
    if key == nil then return end
    local text = encode_value(t[k], open, what_of)
    if text == nil then return end
    parts[#parts + 1] = key .. "=" .. text
  end
  return true
end

local function encode_table(t, open, what_of)
  if getmetatable(t) ~= nil then
    what_of[1] = "a table with a metatable"
    return nil
  end
  if open[t] then
    what_of[1] = "a table that contains itself"
    return nil
  end
  open[t] = true
  local parts = {}
  local ok = encode_fields(t, parts, open, what_of)
  open[t] = nil
  if not ok then return nil end
  return "{" .. concat(parts, ",") .. "}"
end

function encode_value(v, open, what_of)
  local tv = type(v)
  if tv == "string" then return encode_string(v)
  elseif tv == "number" then return encode_number(v)
  elseif tv == "boolean" then return v and "true" or "false"
  elseif tv == "nil" then return "nil"
  elseif tv == "table" then return encode_table(v, open, what_of)
  end
  what_of[1] = "a value of type '" .. tv .. "'"
  return nil
end

--- The text of a storable value; for anything else nil and a description of the first
--- part that cannot be stored ("a value of type 'function'", "a table with a metatable",
--- "a table that contains itself", "a table key of type 'boolean'").
function M.encode(v)
  local tv = type(v)
  if tv == "number" then return encode_number(v) end  -- the common cases, without tables
  if tv == "string" then return encode_string(v) end
  local what_of = {}
  local text = encode_value(v, {}, what_of)
  if text == nil then return nil, what_of[1] end
  return text
end

-------------------------------------------------------------------------------
-- Decoding: a recursive-descent parser over the grammar above
-------------------------------------------------------------------------------

local ESCAPES = {n = "\n", t = "\t", r = "\r", a = "\a", b = "\b", f = "\f", v = "\v",
                 ["\\"] = "\\", ['"'] = '"', ["'"] = "'", ["\n"] = "\n"}

local function malformed(text, at, what)
  error(format("malformed stored value at byte %d: %s", at, what), 0)
end

-- Reads the string literal starting at text[at] == '"'; → value, next position.
local function decode_string(text, at)
  local parts, pos = {}, at + 1
  while true do
    local stop = find(text, '["\\]', pos)
    if stop == nil then malformed(text, at, "unfinished string") end
    parts[#parts + 1] = sub(text, pos, stop - 1)
    if byte(text, stop) == 34 then return concat(parts), stop + 1 end  -- closing '"'
    local code = sub(text, stop + 1, stop + 1)
    local digits = text:match("^%d%d?%d?", stop + 1)
    if digits then
      local value = tonumber(digits)
      if value > 255 then malformed(text, stop, "escape out of range") end
      parts[#parts + 1] = string.char(value)
      pos = stop + 1 + #digits
    elseif ESCAPES[code] then
      parts[#parts + 1] = ESCAPES[code]
      pos = stop + 2
    else
      malformed(text, stop, "bad escape")
    end
  end
end

local WORDS = {["true"] = true, ["false"] = false, inf = math.huge, nan = 0.0 / 0.0}

-- Reads a number at text[at] (optionally signed); → value, next position.
local function decode_number(text, at)
  local token = text:match("^%-?[%d.][%deE.+-]*", at)
  if token == nil then
    if text:match("^%-inf", at) then return -math.huge, at + 4 end
    malformed(text, at, "unexpected character")
  end
  local value = tonumber(token)
  if value == nil then malformed(text, at, "bad number '" .. token .. "'") end
  local is_float = find(token, "[.eE]") ~= nil
  if is_float ~= (math_type(value) == "float") then
    malformed(text, at, "integer out of range '" .. token .. "'")
  end
  return value, at + #token
end

local decode_value

-- Reads one `key=` (name or [value]) if present at text[at]; → key or nil, next position.
local function decode_key(text, at, depth)
  local name = text:match("^[%a_][%w_]*=", at)
  if name then return sub(name, 1, -2), at + #name end
  if byte(text, at) ~= 91 then return nil, at end  -- '['
  local key, pos = decode_value(text, at + 1, depth)
  if type(key) ~= "string" and type(key) ~= "number" or key ~= key then
    malformed(text, at, "bad table key")
  end
  if sub(text, pos, pos + 1) ~= "]=" then malformed(text, pos, "']=' expected") end
  return key, pos + 2
end

-- Reads the table starting at text[at] == '{'; → value, next position.
local function decode_table(text, at, depth)
  if depth > 200 then malformed(text, at, "tables nested too deeply") end
  local t, n, pos = {}, 0, at + 1
  if byte(text, pos) == 125 then return t, pos + 1 end  -- '}'
  while true do
    local key
    key, pos = decode_key(text, pos, depth + 1)
    local value
    value, pos = decode_value(text, pos, depth + 1)
    if key == nil then
      n = n + 1
      key = n
    end
    t[key] = value
    local c = byte(text, pos)
    if c == 125 then return t, pos + 1 end
    if c ~= 44 then malformed(text, pos, "',' or '}' expected") end  -- ','
    pos = pos + 1
  end
end

function decode_value(text, at, depth)
  local c = byte(text, at)
  if c == 34 then return decode_string(text, at) end     -- '"'
  if c == 123 then return decode_table(text, at, depth) end  -- '{'
  local word = text:match("^%a+", at)
  if word then
    if word == "nil" then return nil, at + 3 end
    local value = WORDS[word]
    if value == nil then malformed(text, at, "unexpected '" .. word .. "'") end
    return value, at + #word
  end
  if c == nil then malformed(text, at, "value expected") end
  return decode_number(text, at)
end

--- The value of `text` as encode wrote it. Raises "malformed stored value at byte N:
--- ..." (a string error, no position) on anything else.
function M.decode(text)
  if type(text) ~= "string" then error("malformed stored value: not a string", 0) end
  local value, pos = decode_value(text, 1, 0)
  if pos <= #text then malformed(text, pos, "unexpected text after the value") end
  return value
end


return M
