-- item 1: rule at line 3
-- trigger global global/room @3:1
-- trigger device device/66/value @3:22
-- rule: $room === 'light$' & 66:value === "^1" => log('matched %s', $room === '^(%a+)_')
local __R = ...
return {
  kind = "rule",
  triggers = {"global/room", "device/66/value"},
  checks = function(__env)
    return {66, "value", "get", 1}
  end,
  cond = function(__env)
    return __R.strmatch(__R.pget("room", 2), "light$", 3) and __R.strmatch(__R.prop(__env, 66, "value", 1), "^1", 4)
  end,
  action = function(__env)
    __R.gv("log", 5)("matched %s", __R.strmatch(__R.pget("room", 6), "^(%a+)_", 7))
  end,
  positions = {3, 25, 3, 1, 3, 7, 3, 31, 3, 43, 3, 61, 3, 67},
}

-- item 2: script at line 4
-- script: a = x === y ++ z & !(p === q)
local __R = ...
return {
  kind = "script",
  run = function(__env, ...)
    __R.gs("a", __R.strmatch(__R.gv("x", 1), __R.str(__R.gv("y", 2)) .. __R.str(__R.gv("z", 3)), 4) and not __R.strmatch(__R.gv("p", 5), __R.gv("q", 6), 7))
    __R.gs("b", __R.date(2025, 3, 0, 0, 8))
    __R.gs("c", __R.date(nil, 1, 0, 30600, 9))
    __R.gs("d", "first line\nsecond line")
    do
      local __t1 = "tab\tand\nline"
      __R.gs("e", __t1)
      return __t1
    end
  end,
  positions = {4, 5, 4, 11, 4, 16, 4, 7, 4, 22, 4, 28, 4, 24, 5, 5, 6, 5},
}

