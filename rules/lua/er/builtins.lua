-- er.builtins: the built-in functions of spec §11 that are plain values and helpers
-- (log, fmt, print, json, rnd, round, sign, sum, average, min, max, size, adde,
-- remove, sort, map, filter, reduce) and the constants BREAK and catch. They go into
-- base.G, the table R.gv falls back to. The built-ins that touch rules, runs and time
-- (post, wait, trueFor, enable, eval, now, HM, ...) are installed by rules and time.
--
--   local B = require("er.builtins").new(base)   -- base: G, log, on_reset
--   B.BREAK, B.catch      the constants (compared by identity)
--   B.set_seed(seed)      reseeds rnd (er.config{seed=}); a reset restores the default
--
-- Errors a user should see at the calling expression are raised with error(msg, 2):
-- the position prefix Lua adds then names the caller's chunk and line, which the
-- engine maps to the EventScript position and strips from the message.

local util = require("er.util")

local M = {}

local format, concat = string.format, table.concat
local floor, math_type, tointeger = math.floor, math.type, math.tointeger

-- A unique constant: compared by identity, printed by name.
local function constant(name)
  return setmetatable({}, {__name = name, __tostring = function() return name end,
                           __newindex = function() error(name .. " is a constant", 2) end})
end

------------------------------------------------------------------------------------
-- Text: log, fmt, print
------------------------------------------------------------------------------------

local function has_tostring(v)
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__tostring") ~= nil
end

-- How log and fmt show a table argument: its __tostring if it has one, else JSON;
-- a table JSON cannot hold (a function inside, a cycle) falls back to the canonical
-- form so that logging never fails because of what is logged.
local function loggable(util, v)
  if type(v) ~= "table" or has_tostring(v) then return v end
  local ok, text = pcall(util.json_encode, v)
  if ok then return text end
  return util.canonical(v)
end

-- The message of log(fmt, ...) and fmt(fmt, ...) (spec §11).
local function message(util, name, ...)
  local n = select("#", ...)
  if n <= 1 then return tostring((loggable(util, (...)))) end
  local args = table.pack(...)
  for i = 1, n do args[i] = loggable(util, args[i]) end
  local ok, text = pcall(format, table.unpack(args, 1, n))
  if not ok then
    -- Lua names string.format and counts its arguments as ours: say which built-in.
    error((tostring(text):gsub("to '[%w.]*format'", "to '" .. name .. "'")), 3)
  end
  return text
end

local function install_text(log, G)
  -- log(...) logs a formatted line. EventRunner7's log.<colour>(...) (log.orange,
  -- log.red, ... any name) logs the same line with that colour, which the host shows
  -- on a terminal. Both are tail calls into log_line, so message's errors still name
  -- the rule's call.
  local function log_line(colour, ...)
    local text = message(util, "log", ...)
    log("info", text, colour)
    return text
  end
  local coloured = {}  -- colour name -> its log function, made once
  G.log = setmetatable({}, {
    __call = function(_, ...) return log_line(nil, ...) end,
    __index = function(_, colour)
      if type(colour) ~= "string" then return nil end
      local fn = coloured[colour]
      if fn == nil then
        fn = function(...) return log_line(colour, ...) end
        coloured[colour] = fn
      end
      return fn
    end,
  })
  -- EventRunner's central scene codes of Fibaro switches (the `sceneId` of a button's
  -- scene activation event: `remote:scene == S1.double`): S1 the first, S2 the second
  -- button.
  G.S1 = {click = 16, double = 14, tripple = 15, hold = 12, release = 13}
  G.S2 = {click = 26, double = 24, tripple = 25, hold = 22, release = 23}
  function G.fmt(...)
    local text = message(util, "fmt", ...)  -- Not a tail call: errors name our caller.
    return text
  end
  function G.print(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    log("info", concat(parts, "\t", 1, parts.n))
  end
  -- encodeFast is EventRunner7's name for an encoder that skips sorting keys; the
  -- engine's encoder is fast with sorted keys, so it is the same one.
  local function json_encode(v) return util.json_encode(v) end
  G.json = {encode = json_encode, encodeFast = json_encode, decode = function(s) return util.json_decode(s) end}
end

------------------------------------------------------------------------------------
-- Numbers: rnd, round, sign, sum, average, min, max
------------------------------------------------------------------------------------

-- xoshiro256** (the generator Lua 5.4 uses), seeded through splitmix64. It is our own
-- so that rule results depend only on the seed, not on other users of math.random.
local DEFAULT_SEED = 20250514

local function rotl(x, n) return (x << n) | (x >> (64 - n)) end

local function splitmix64(state)
  state = state + 0x9e3779b97f4a7c15
  local z = state
  z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * 0x94d049bb133111eb
  return state, z ~ (z >> 31)
end

local function new_generator()
  local s = {0, 0, 0, 0}
  local gen = {}
  function gen.seed(seed)
    local state = seed
    for i = 1, 4 do state, s[i] = splitmix64(state) end
  end
  function gen.next()
    local s0, s1, s2, s3 = s[1], s[2], s[3], s[4]
    local result = rotl(s1 * 5, 7) * 9
    local t = s1 << 17
    s2 = s2 ~ s0; s3 = s3 ~ s1; s1 = s1 ~ s2; s0 = s0 ~ s3; s2 = s2 ~ t
    s[1], s[2], s[3], s[4] = s0, s1, s2, rotl(s3, 45)
    return result
  end
  -- A uniform integer in [0, limit] (limit taken as unsigned): draw under the
  -- smallest all-ones mask covering limit and reject draws above it.
  function gen.below_or_equal(limit)
    local mask = limit
    for shift = 0, 5 do mask = mask | (mask >> (1 << shift)) end
    while true do
      local r = gen.next() & mask
      if not math.ult(limit, r) then return r end
    end
  end
  return gen
end

-- A seed of any kind as a 64-bit integer: integers as they are, floats by their
-- bits, strings by their FNV-1a hash.
local function seed_integer(seed)
  if math_type(seed) == "integer" then return seed end
  if math_type(seed) == "float" then return string.unpack("<i8", string.pack("<d", seed)) end
  if type(seed) == "string" then
    local h = 0xcbf29ce484222325
    for i = 1, #seed do h = (h ~ seed:byte(i)) * 0x100000001b3 end
    return h
  end
  error(format("seed: expected a number or string, got %s", type(seed)), 3)
end

local function integer_arg(name, i, v)
  local n = type(v) == "number" and tointeger(v)
  if not n then
    local got = type(v) == "number" and "number has no integer representation"
                or "number expected, got " .. type(v)
    error(format("bad argument #%d to '%s' (%s)", i, name, got), 3)
  end
  return n
end

local function install_random(B, on_reset, G)
  local gen = new_generator()
  function B.set_seed(seed) gen.seed(seed_integer(seed)) end
  B.set_seed(DEFAULT_SEED)
  on_reset(function() B.set_seed(DEFAULT_SEED) end)
  -- rnd() a float in [0, 1); rnd(m) an integer in [1, m]; rnd(a, b) one in [a, b]
  -- (the argument forms of math.random).
  function G.rnd(a, b)
    if a == nil and b == nil then return (gen.next() >> 11) * 2.0 ^ -53 end
    local low, high = 1, integer_arg("rnd", 1, a)
    if b ~= nil then low, high = high, integer_arg("rnd", 2, b) end
    if low > high then error(format("rnd: empty interval [%d, %d]", low, high), 2) end
    return low + gen.below_or_equal(high - low)
  end
end

local function number_arg(name, v)
  if type(v) ~= "number" then
    error(format("%s: expected a number, got %s", name, type(v)), 3)
  end
  return v
end

-- The arguments of sum, average, min and max: one table's array part, or the
-- arguments themselves.
local function values_of(...)
  if select("#", ...) == 1 and type((...)) == "table" then return (...), #(...) end
  return table.pack(...), select("#", ...)
end

local function install_numbers(G)
  function G.round(x)
    return floor(number_arg("round", x) + 0.5)
  end
  function G.sign(x)
    x = number_arg("sign", x)
    if x > 0 then return 1 elseif x < 0 then return -1 end
    return 0
  end
  function G.sum(...)
    local t, n = values_of(...)
    local total = 0
    for i = 1, n do total = total + t[i] end
    return total
  end
  function G.average(...)
    local t, n = values_of(...)
    if n == 0 then return nil end
    local total = 0
    for i = 1, n do total = total + t[i] end
    return total / n
  end
  function G.min(...)
    local t, n = values_of(...)
    local best = t[1]
    for i = 2, n do if t[i] < best then best = t[i] end end
    return best
  end
  function G.max(...)
    local t, n = values_of(...)
    local best = t[1]
    for i = 2, n do if t[i] > best then best = t[i] end end
    return best
  end
end

------------------------------------------------------------------------------------
-- Tables: size, adde, remove, sort, map, filter, reduce
------------------------------------------------------------------------------------

local function table_arg(name, v)
  if type(v) ~= "table" then
    error(format("%s: expected a table, got %s", name, type(v)), 3)
  end
  return v
end

local function install_tables(G)
  function G.size(x)
    local kind = type(x)
    if kind ~= "table" and kind ~= "string" then
      error(format("size: expected a table or string, got %s", kind), 2)
    end
    return #x
  end
  function G.adde(t, v)
    table_arg("adde", t)
    t[#t + 1] = v
    return t
  end
  -- Removes every element equal (==) to v from the array part, keeping the order.
  function G.remove(t, v)
    local n, kept = #table_arg("remove", t), 0
    for i = 1, n do
      local x = t[i]
      if x ~= v then kept = kept + 1; t[kept] = x end
    end
    for i = kept + 1, n do t[i] = nil end
    return t
  end
  function G.sort(t, cmp)
    table.sort(table_arg("sort", t), cmp)
    return t
  end
  -- map and filter append, so a nil result leaves no hole (as comprehensions, §3.9).
  function G.map(t, f)
    local out = {}
    for _, v in ipairs(table_arg("map", t)) do out[#out + 1] = f(v) end
    return out
  end
  function G.filter(t, f)
    local out = {}
    for _, v in ipairs(table_arg("filter", t)) do
      if f(v) then out[#out + 1] = v end
    end
    return out
  end
  function G.reduce(t, f, init)
    local acc = init
    for _, v in ipairs(table_arg("reduce", t)) do acc = f(acc, v) end
    return acc
  end
end

------------------------------------------------------------------------------------

--- Installs the built-ins into base.G; returns {BREAK=, catch=, set_seed=}.
function M.new(base)
  local G = base.G
  local B = {BREAK = constant("BREAK"), catch = constant("catch")}
  G.BREAK, G.catch = B.BREAK, B.catch
  install_text(base.log, G)
  install_random(B, base.on_reset, G)
  install_numbers(G)
  install_tables(G)
  return B
end

return M
