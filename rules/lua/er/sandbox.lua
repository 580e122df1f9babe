-- er.sandbox: what rules may reach in a sandboxed home (home.lua `sandbox = true`,
-- docs/sandbox.md).
--
-- Rules read names that are not variables, devices or built-ins from a fallback table:
-- Lua's global table normally, which gives them the whole standard library (files,
-- commands, the debug library, C modules) and, through `require`, the engine itself.
-- A sandboxed home gives them this environment instead: copies of the safe parts of
-- the standard library, so a rule can neither reach the system nor change a library
-- table the engine uses.

local M = {}

-- Library functions that stay, by library; everything else is left out.
local SAFE = {
  string = {"byte", "char", "find", "format", "gmatch", "gsub", "len", "lower", "match", "rep", "reverse",
            "sub", "upper", "pack", "packsize", "unpack"},
  table = {"concat", "insert", "move", "pack", "remove", "sort", "unpack"},
  math = {"abs", "ceil", "cos", "deg", "exp", "floor", "fmod", "huge", "log", "max", "maxinteger", "min",
          "mininteger", "modf", "pi", "rad", "random", "sin", "sqrt", "tan", "tointeger", "type", "ult",
          "atan", "asin", "acos"},
  utf8 = {"char", "charpattern", "codepoint", "codes", "len", "offset"},
  os = {"clock", "date", "difftime", "time"},
  coroutine = {"close", "create", "isyieldable", "resume", "running", "status", "wrap", "yield"},
}

local SAFE_GLOBALS = {"assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
                      "rawset", "select", "setmetatable", "tonumber", "tostring", "type", "xpcall", "_VERSION"}

local function copy_of(library, names)
  local copy = {}
  for _, name in ipairs(names) do copy[name] = library[name] end
  return copy
end

-- getmetatable that does not hand out the metatable strings share (its __index is
-- the engine's string library).
local function safe_getmetatable(value)
  if type(value) == "string" then return nil end
  return getmetatable(value)
end

-- collectgarbage limited to what cannot stop the collector.
local function safe_collectgarbage(option, ...)
  if option == nil or option == "collect" or option == "count" or option == "step" then
    return collectgarbage(option, ...)
  end
  error("collectgarbage: option '" .. tostring(option) .. "' is not available in a sandboxed home", 2)
end

--- The fallback table of a sandboxed home; `sys` and `log` are LuaSys's modules (the
--- engine passes its own).
function M.environment(modules)
  local env = {}
  for _, name in ipairs(SAFE_GLOBALS) do env[name] = _G[name] end
  for library, names in pairs(SAFE) do env[library] = copy_of(_G[library], names) end
  env.getmetatable = safe_getmetatable
  env.collectgarbage = safe_collectgarbage
  -- Text chunks only, and in this environment unless given another.
  env.load = function(chunk, name, _, chunk_env)
    return load(chunk, name, "t", chunk_env or env)
  end
  for name, module in pairs(modules) do env[name] = module end
  env._G = env
  return env
end

return M
