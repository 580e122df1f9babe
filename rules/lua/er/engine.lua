-- Boots the engine: creates the context E (docs/engine-internals.md §3), installs the
-- modules in dependency order and defines the global `er`.

local M = {}

local MODULES = {"util", "serial", "time", "store", "devices", "errors", "core", "rule_state", "rules", "scheduler",
  "builtins", "api"}

local function new_context(native)
  local E = {native = native, R = {}, dynamic = {}, vars = {}, er = {}, midnight_hooks = {},
             NIL = setmetatable({}, {__name = "nil"}),
             -- Limits that keep one rule from taking the engine down (docs/limits.md);
             -- changed with E.set_limits (home.lua `limits = {...}`).
             limits = {cascade_depth = 100, cascade_runs = 10000, cascade_window = 1000,
                       actions_per_run = 500, posts_per_run = 500},
             -- The slice running now: its rule (nil for scripts) and what it did so far.
             slice = {actions = 0, posts = 0, rule = nil}}
  local dynamic = E.dynamic
  -- Names rules read that are neither variables, devices nor built-ins come from
  -- `fallback`: Lua's globals, or the sandbox's environment (E.set_sandbox).
  local fallback = _G
  E.G = setmetatable({}, {__index = function(_, name)
    local compute = dynamic[name]
    if compute ~= nil then return compute() end
    return fallback[name]
  end})


  function E.fail(p, message) error({position = p, message = message}, 0) end
  function E.epoch_ms() return native.epoch_ms() end
  function E.epoch() return native.epoch_ms() // 1000 end

  -- Midnight hooks run, in registration order, at the first instant of each local day
  -- (the scheduler calls them before it re-plans the rules, spec §8.8).
  function E.on_midnight(fn) E.midnight_hooks[#E.midnight_hooks + 1] = fn end

  local reset_hooks = {}
  function E.on_reset(fn) reset_hooks[#reset_hooks + 1] = fn end
  function E.reset()
    for _, fn in ipairs(reset_hooks) do fn() end
  end

  --- Sandboxed rules see only the safe parts of the standard library (docs/sandbox.md).
  local plain_os = nil  -- E.G.os outside the sandbox (the time module's).
  function E.set_sandbox(on)
    E.sandboxed = on and true or false
    if not on then
      fallback = _G
      debug.getmetatable("").__metatable = nil
      if plain_os then E.G.os, plain_os = plain_os, nil end
      return
    end
    local copy = function(t) local c = {}; for k, v in pairs(t) do c[k] = v end; return c end
    fallback = require("er.sandbox").environment({sys = copy(sys), log = copy(log), er = E.er})
    -- EventScript's os.time and os.date read the engine clock; the rest of os is gone.
    plain_os = plain_os or rawget(E.G, "os")
    fallback.os.time, fallback.os.date = E.G.ostime, E.G.osdate
    E.G.os = fallback.os
    -- Strings share one metatable whose __index is the string library: protected, so
    -- no code can reach the engine's library through a string.
    getmetatable("").__metatable = false
  end
  E.on_reset(function() E.set_sandbox(false) end)

  local LEVELS = {error = 4, warn = 3, info = 2, debug = 1}
  function E.log_sink(level, text) native.log(LEVELS[level] or 2, text) end
  function E.log(level, text) E.log_sink(level, text) end
  return E
end

function M.boot(native)
  -- Most of what the engine allocates (events, runs) dies young, while rules and
  -- devices live long: the generational collector then skips the long-lived heap
  -- in most cycles, so the cost of an event does not grow with the number of rules.
  collectgarbage("generational")
  local E = new_context(native)
  M.E = E
  for _, name in ipairs(MODULES) do
    require("er." .. name).install(E)
  end
  return E
end

--- Called by er::Engine before the Lua state closes: writes what is still batched.
function M.shutdown()
  local E = M.E
  if E and E.store and E.store.flush then E.store.flush() end
end

return M
